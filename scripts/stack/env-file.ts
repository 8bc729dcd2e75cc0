import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './engine';

/** The settings of compose/.env the test reads back. */
export interface StackEnv {
  readonly file: string;
  readonly values: Readonly<Record<string, string>>;
  readonly odooPort: number;
  readonly gatewayPort: number;
  readonly labAddress: string;
  readonly labRouters: number;
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolvePort(port);
      });
    });
  });
}

/**
 * compose/.env as an operator makes it from compose/.env.example: every change-me value replaced by
 * a strong secret (a real Fernet key, a 40-hex API key), free ports on this host, and a subnet of
 * the test's own. A setting .env.example lacks fails the stack, so the example is proven complete.
 */
export async function writeStackEnv(dir: string, subnetOctet: number): Promise<StackEnv> {
  const example = readFileSync(join(ROOT, 'compose/.env.example'), 'utf8');
  const subnet = `10.231.${String(subnetOctet)}`;
  const overrides: Record<string, string> = {
    ODOO_ADMIN_PASSWORD: hex(16),
    ISP_FERNET_KEY: randomBytes(32).toString('base64url') + '=',
    ODOO_SIDECAR_API_KEY: hex(20),
    ODOO_PORT: String(await freePort()),
    GATEWAY_PORT: String(await freePort()),
    GATEWAY_NOTICE_PORT: String(await freePort()),
    ISP_SUBNET: `${subnet}.0/24`,
    LAB_ADDRESS: `${subnet}.10`,
  };
  const values: Record<string, string> = {};
  const lines = example.split('\n').map((line) => {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match === null) return line;
    const [, key = '', value = ''] = match;
    const next = overrides[key] ?? (value.startsWith('change-me') ? hex(24) : value);
    values[key] = next;
    return `${key}=${next}`;
  });
  values['GATEWAY_NOTICE_URL'] = `http://localhost:${values['ODOO_PORT'] ?? ''}/isp/suspended`;
  const text = lines
    .map((line) =>
      line.startsWith('GATEWAY_NOTICE_URL=') ? `GATEWAY_NOTICE_URL=${values['GATEWAY_NOTICE_URL']}` : line,
    )
    .join('\n');
  const file = join(dir, '.env');
  writeFileSync(file, text, { mode: 0o600 });
  return {
    file,
    values,
    odooPort: Number(values['ODOO_PORT']),
    gatewayPort: Number(values['GATEWAY_PORT']),
    labAddress: values['LAB_ADDRESS'] ?? '',
    labRouters: Number(values['LAB_ROUTERS']),
  };
}

/**
 * compose/.env with `changes` made, as an operator edits it (ISP_DEMO=1 and the demo customers'
 * portal password, say); every other line stays.
 */
export function editStackEnv(env: StackEnv, changes: Readonly<Record<string, string>>): StackEnv {
  const text = readFileSync(env.file, 'utf8')
    .split('\n')
    .map((line) => {
      const key = /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1];
      return key !== undefined && key in changes ? `${key}=${changes[key] ?? ''}` : line;
    })
    .join('\n');
  writeFileSync(env.file, text, { mode: 0o600 });
  return { ...env, values: { ...env.values, ...changes } };
}
