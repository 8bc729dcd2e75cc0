import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { SIDECAR_ENTRIES } from '../bundle/sidecars';
import { ROOT } from './static-steps';

// `docker-compose config` (the compose step) proves the file is valid Compose; these checks pin
// what the stack must look like for an operator: every long-running service health-checked and
// started in dependency order, Odoo configured safely.
const serviceSchema = z.object({
  image: z.string().optional(),
  command: z.array(z.string()).optional(),
  restart: z.string().optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  volumes: z.array(z.string()).optional(),
  ports: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.string()).optional(),
});
const composeSchema = z.object({ services: z.record(z.string(), serviceSchema) });

const compose = composeSchema.parse(
  parse(readFileSync(resolve(ROOT, 'compose/docker-compose.yml'), 'utf8'), { merge: true }),
);
const composeText = readFileSync(resolve(ROOT, 'compose/docker-compose.yml'), 'utf8');
const envExample = readFileSync(resolve(ROOT, 'compose/.env.example'), 'utf8');
const odooConf = readFileSync(resolve(ROOT, 'compose/odoo/odoo.conf'), 'utf8');
const service = (name: string): z.infer<typeof serviceSchema> => {
  const s = compose.services[name];
  if (s === undefined) throw new Error(`no service ${name}`);
  return s;
};

describe('compose/docker-compose.yml', () => {
  it('runs the whole stack', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['gateway', 'odoo', 'odoo-addons', 'odoo-init', 'postgres', 'provisioner', 'routeros-lab'].sort(),
    );
  });

  it('uses the official odoo:19 image with the addons and their browser libraries assembled', () => {
    for (const name of ['odoo', 'odoo-init']) {
      expect(service(name).image, name).toBe('odoo:19');
      expect(service(name).volumes, name).toContain('addons:/mnt/extra-addons:ro');
      expect(service(name).depends_on, name).toMatchObject({
        'odoo-addons': { condition: 'service_completed_successfully' },
      });
    }
    // Assembled from the repository's folder, read-only, and the sidecar image's vendored libraries.
    expect(service('odoo-addons').image).toBe('isp-sidecars:local');
    expect(service('odoo-addons').volumes).toEqual(
      expect.arrayContaining(['../odoo-addons:/src/odoo-addons:ro', 'addons:/srv/odoo-addons']),
    );
  });

  it('health-checks every long-running service', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      if (s.restart === 'no') continue; // the one-shots: odoo-addons, odoo-init
      expect(s.healthcheck, name).toBeDefined();
    }
  });

  it('runs the sidecars as node itself on their bundles, so that docker stop’s SIGTERM reaches their graceful shutdown', () => {
    // `pnpm <script>` exits on SIGTERM without passing it on: the service would be killed, never
    // drained. The image holds the bundles only (scripts/bundle/sidecars.ts), no tsx.
    for (const [name, bundle] of [
      ['gateway', 'gateway'],
      ['provisioner', 'provisioner'],
      ['routeros-lab', 'lab'],
    ] as const) {
      expect(service(name).command, name).toEqual(['node', `dist/${bundle}.mjs`]);
      expect(SIDECAR_ENTRIES[bundle], name).toBeDefined();
    }
  });

  it('starts services only when what they need is healthy', () => {
    expect(service('odoo').depends_on).toMatchObject({
      postgres: { condition: 'service_healthy' },
      'odoo-init': { condition: 'service_completed_successfully' },
    });
    for (const name of ['gateway', 'provisioner']) {
      expect(service(name).depends_on, name).toMatchObject({
        postgres: { condition: 'service_healthy' },
        odoo: { condition: 'service_healthy' },
      });
    }
  });
});

describe('compose/docker-compose.yml settings', () => {
  it('publishes Odoo on this host only unless ODOO_BIND says otherwise', () => {
    expect(service('odoo').ports).toEqual(['${ODOO_BIND:-127.0.0.1}:${ODOO_PORT:-8069}:8069']);
  });

  it('logs the sidecars in with the API key odoo-init stores, over JSON-2 by default', () => {
    for (const name of ['gateway', 'provisioner']) {
      const env = service(name).environment ?? {};
      expect(env['ODOO_PROTOCOL'], name).toBe('${ODOO_PROTOCOL:-json2}');
      expect(env['ODOO_API_KEY'], name).toMatch(/^\$\{ODOO_SIDECAR_API_KEY:\?/);
      expect(env['ODOO_PASSWORD'], name).toBeUndefined();
    }
    expect(service('odoo-init').environment?.['ODOO_SIDECAR_API_KEY']).toBeDefined();
  });

  it('gives the lab and odoo-init the same LAB_ROUTERS', () => {
    expect(service('routeros-lab').environment?.['LAB_ROUTERS']).toBe(
      service('odoo-init').environment?.['LAB_ROUTERS'],
    );
  });

  it('names in .env.example every variable it reads, each secret as a change-me placeholder', () => {
    const defined = new Set([...envExample.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    const used = new Set([...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
    expect([...used].filter((name) => !defined.has(name))).toEqual([]);
    for (const secret of ['ISP_FERNET_KEY', 'ODOO_ADMIN_PASSWORD', 'ODOO_SIDECAR_API_KEY']) {
      expect(new RegExp(`^${secret}=change-me`, 'm').test(envExample), secret).toBe(true);
    }
    expect(envExample).toMatch(/^ODOO_PROTOCOL=json2$/m);
  });
});

describe('compose/odoo/odoo.conf', () => {
  const option = (key: string): string | undefined =>
    new RegExp(`^${key}\\s*=\\s*(.*)$`, 'm').exec(odooConf)?.[1]?.trim();

  it('hides the database manager and trusts the reverse proxy', () => {
    expect(option('list_db')).toBe('False');
    expect(option('proxy_mode')).toBe('True');
  });

  it('never connects as the postgres role and keeps secrets out of the file', () => {
    expect(option('db_user')).not.toBe('postgres');
    expect(option('admin_passwd')).toBeUndefined();
    expect(option('db_password')).toBeUndefined();
  });
});
