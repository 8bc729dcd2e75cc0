import { readFileSync } from 'node:fs';

import { isIpv4 } from '@isp/routeros';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

import { PreloaderError } from './errors';
import { inPrefix, parseCidr } from './lib/ipv4';

const prefix = z.string().refine((v) => parseCidr(v) !== undefined && v.includes('/'), {
  message: 'must be an IPv4 prefix such as 10.10.0.0/24',
});
const ipv4 = z.string().refine(isIpv4, { message: 'must be an IPv4 address such as 192.168.88.1' });
const port = z.number().int().min(1).max(65535);
// RouterOS interface names: letters, digits and - _ . / (the CLI quotes anything else).
const interfaceName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/, {
  message: 'must be a RouterOS interface name such as ether1',
});
// /user name rule (RouterOS refuses the rest).
const userName = z.string().regex(/^[A-Za-z0-9_.#@-]{1,64}$/, {
  message: 'must be letters, digits and _ . # - @ only',
});
const dnsName = z
  .string()
  .regex(/^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/, {
    message: 'must be a DNS name such as portal.example.net',
  });
// An identity becomes a RouterOS string and a name in Odoo; keep it to what both print plainly.
const identityText = z.string().regex(/^[A-Za-z0-9{][A-Za-z0-9 _.@#{}-]{0,63}$/, {
  message: 'must be 1-64 letters, digits, spaces and _ . @ # - (with {sector} {serial} {n} placeholders)',
});
// A WireGuard key: 32 bytes in base64 (44 characters, the last one `=`).
const wireguardKey = z.string().regex(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/, {
  message: 'must be a WireGuard public key (44 base64 characters ending in =)',
});
const hostPort = z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, {
  message: 'must be host:port, e.g. noc.example.net:13231',
});

const targetSchema = z.union([
  ipv4,
  z.strictObject({
    host: ipv4,
    port: port.optional(),
    api_ssl_port: port.optional(),
    identity: identityText.optional(),
    tunnel_address: prefix.optional(),
  }),
]);

export const configSchema = z
  .strictObject({
    // The seed's keys (binding).
    subnet: prefix.optional(),
    targets: z.array(targetSchema).min(1).optional(),
    mgmt_subnet: prefix,
    wan_interface: interfaceName,
    lan_ports: z.array(interfaceName).min(1),
    hotspot_dns_name: dnsName,
    sector_code: z.string().min(1).max(64),
    routeros: z.strictObject({
      api_port: port.default(8728),
      mgmt_user: userName,
      // This project's keys.
      mgmt_group: userName.default('isp-noc'),
      api_ssl: z.boolean().default(false),
      api_ssl_port: port.default(8729),
      admin: z.enum(['randomize', 'disable']).default('randomize'),
      // MAC-Telnet, MAC-WinBox, MAC-ping: off (the LAN is the customers' side), or the LAN list.
      mac_access: z.enum(['off', 'lan']).default('off'),
      // Neighbour discovery (MNDP, CDP, LLDP): the LAN interface list only, or off.
      discovery: z.enum(['lan', 'off']).default('lan'),
      timeout_ms: z.number().int().min(100).max(120_000).default(10_000),
    }),
    odoo: z.strictObject({
      url: z.url({ protocol: /^https?$/ }),
      db: z.string().min(1),
      user: z.string().min(1),
    }),
    gateway: z.strictObject({
      url: z.url({ protocol: /^https?$/ }),
      check_certificate: z.boolean().default(true),
    }),
    // This project's keys.
    identity: identityText.default('{sector}-{serial}'),
    lan: z
      .strictObject({
        bridge: interfaceName.default('bridge'),
        address: prefix.default('192.168.88.1/24'),
        pool: z
          .string()
          .regex(/^\d+\.\d+\.\d+\.\d+-\d+\.\d+\.\d+\.\d+$/, { message: 'must be a range first-last' })
          .default('192.168.88.10-192.168.88.254'),
      })
      .prefault({}),
    tunnel: z
      .strictObject({
        endpoint: hostPort,
        peer_public_key: wireguardKey,
        address: prefix.optional(),
        interface: interfaceName.default('wg-noc'),
        listen_port: port.default(13231),
        persistent_keepalive: z
          .string()
          .regex(/^\d+s$/, { message: 'must be seconds, e.g. 25s' })
          .default('25s'),
      })
      .optional(),
    concurrency: z.number().int().min(1).max(64).default(4),
  })
  .superRefine((config, ctx) => {
    if ((config.subnet === undefined) === (config.targets === undefined))
      ctx.addIssue({ code: 'custom', path: ['subnet'], message: 'give either subnet or targets (not both)' });
    if (config.lan_ports.includes(config.wan_interface))
      ctx.addIssue({ code: 'custom', path: ['lan_ports'], message: 'must not contain wan_interface' });
    const lan = parseCidr(config.lan.address);
    const [first = '', last = ''] = config.lan.pool.split('-');
    if (lan !== undefined && !(inPrefix(first, lan) && inPrefix(last, lan)))
      ctx.addIssue({
        code: 'custom',
        path: ['lan', 'pool'],
        message: `must lie inside lan.address ${config.lan.address}`,
      });
    if (config.tunnel !== undefined) {
      const perTarget = (config.targets ?? []).every(
        (t) => typeof t !== 'string' && t.tunnel_address !== undefined,
      );
      if (config.tunnel.address === undefined && !(config.targets !== undefined && perTarget))
        ctx.addIssue({
          code: 'custom',
          path: ['tunnel', 'address'],
          message: 'is required (or a tunnel_address on every target)',
        });
    }
  });

export type PreloaderConfig = z.output<typeof configSchema>;

/** Secrets come from the environment only; they are never in the file, the logs or the output. */
export interface Secrets {
  readonly mgmtPassword: string;
  readonly odooPassword: string;
  readonly macToken: string;
  /** The factory admin's password: empty, or the one on a newer model's sticker (optional). */
  readonly factoryPassword?: string;
}

export const SECRET_ENV = {
  mgmtPassword: 'MIKROTIK_MGMT_PASS',
  odooPassword: 'ODOO_ADMIN_PASS',
  macToken: 'ISP_MAC_TOKEN',
} as const;

/** Optional: the sticker password of routers that do not ship with an empty one. */
export const FACTORY_PASSWORD_ENV = 'MIKROTIK_FACTORY_PASS';

/** `key.sub: message` per issue, one per line, so the operator sees which key is wrong. */
export function formatConfigIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const key = issue.path.map(String).join('.') || '(file)';
      if (issue.code === 'unrecognized_keys') return `${key}: unknown key(s) ${issue.keys.join(', ')}`;
      if (issue.code === 'invalid_type' && issue.input === undefined) return `${key}: is required`;
      return `${key}: ${issue.message}`;
    })
    .join('\n');
}

export function parseConfig(source: string, text: string): PreloaderConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new PreloaderError(
      'ISP_ERR_PRELOADER_CONFIG',
      `${source}: not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success)
    throw new PreloaderError(
      'ISP_ERR_PRELOADER_CONFIG',
      `${source}:\n${formatConfigIssues(parsed.error.issues)}`,
    );
  return parsed.data;
}

export function loadConfigFile(file: string): PreloaderConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PreloaderError(
      'ISP_ERR_PRELOADER_CONFIG',
      `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseConfig(file, text);
}

export function secretsFromEnv(env: Readonly<Record<string, string | undefined>>): Secrets {
  const missing = Object.values(SECRET_ENV).filter((name) => (env[name] ?? '') === '');
  if (missing.length > 0)
    throw new PreloaderError('ISP_ERR_PRELOADER_ENV', `set ${missing.join(', ')} in the environment`);
  const secrets = {
    mgmtPassword: env[SECRET_ENV.mgmtPassword] ?? '',
    odooPassword: env[SECRET_ENV.odooPassword] ?? '',
    macToken: env[SECRET_ENV.macToken] ?? '',
    factoryPassword: env[FACTORY_PASSWORD_ENV] ?? '',
  };
  if (/[\s,]/.test(secrets.macToken))
    throw new PreloaderError(
      'ISP_ERR_PRELOADER_ENV',
      `${SECRET_ENV.macToken} must not contain spaces or commas`,
    );
  return secrets;
}

export interface Target {
  readonly host: string;
  readonly port: number;
  readonly apiSslPort: number;
  readonly identity: string | undefined;
  readonly tunnelAddress: string | undefined;
}

/** The explicit targets of the file; with `subnet` the caller scans for them. */
export function explicitTargets(config: PreloaderConfig): Target[] | undefined {
  return config.targets?.map((t) =>
    typeof t === 'string'
      ? targetAt(config, t)
      : {
          host: t.host,
          port: t.port ?? config.routeros.api_port,
          apiSslPort: t.api_ssl_port ?? config.routeros.api_ssl_port,
          identity: t.identity,
          tunnelAddress: t.tunnel_address ?? config.tunnel?.address,
        },
  );
}

export function targetAt(config: PreloaderConfig, host: string, portOverride?: number): Target {
  return {
    host,
    port: portOverride ?? config.routeros.api_port,
    apiSslPort: config.routeros.api_ssl_port,
    identity: undefined,
    tunnelAddress: config.tunnel?.address,
  };
}
