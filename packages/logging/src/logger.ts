import { pino } from 'pino';
import type { Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

export interface LoggerOptions {
  /** Component name, bound on every line (`gateway`, `provisioner`, `routeros-sim`, …). */
  readonly name: string;
  readonly level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  readonly destination?: NodeJS.WritableStream;
}

// Every place a secret can appear in a logged object. Keys are matched at the top level and one or
// two levels down, which covers `{ req: { headers } }`, `{ config: { odooApiKey } }` and job payloads.
const SECRET_KEYS = [
  'password',
  'passwd',
  'apiKey',
  'api_key',
  'apiPassword',
  'api_password',
  'token',
  'secret',
  'authorization',
  'odooApiKey',
  'odooPassword',
  'macToken',
  'sidecarToken',
  'pppoe_password',
  'pppoePassword',
  'adminPassword',
  'databaseUrl',
  'connectionString',
];

export const REDACT_PATHS: readonly string[] = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'headers.authorization',
];

export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? process.env['LOG_LEVEL'] ?? 'info';
  const config = {
    name: options.name,
    level,
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
  };
  return options.destination === undefined ? pino(config) : pino(config, options.destination);
}
