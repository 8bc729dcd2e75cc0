import { readFileSync } from 'node:fs';

import { createLogger } from '@isp/logging';
import { Command, InvalidArgumentError } from 'commander';

import { startControlApi } from './control-api';
import { startLab } from './lab';

const logger = createLogger({ name: 'routeros-sim' });

function hostPort(value: string): { host: string; port: number } {
  const match = /^(.+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (match === null || port > 65535)
    throw new InvalidArgumentError('must be <host>:<port>, e.g. 127.0.0.1:8730');
  return { host: match[1] ?? '', port };
}

function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError('must be a non-negative integer');
  return parsed;
}

const env = process.env;
const program = new Command('routeros-sim')
  .description('Simulated MikroTik routers speaking the RouterOS API, in factory-default state')
  .option(
    '--host <ip>',
    'first loopback address (env ROUTEROS_SIM_HOST)',
    env['ROUTEROS_SIM_HOST'] ?? '127.0.0.1',
  )
  .option(
    '--port <port>',
    'API port of every router (env ROUTEROS_SIM_PORT)',
    integer,
    integer(env['ROUTEROS_SIM_PORT'] ?? '8728'),
  )
  .option(
    '--count <n>',
    'number of routers on consecutive addresses (env ROUTEROS_SIM_COUNT)',
    integer,
    integer(env['ROUTEROS_SIM_COUNT'] ?? '1'),
  )
  .option(
    '--version <v>',
    'RouterOS version; 7.18+ sends !empty (env ROUTEROS_SIM_VERSION)',
    env['ROUTEROS_SIM_VERSION'] ?? '7.20',
  )
  .option(
    '--latency <ms>',
    'delay before each command is handled (env ROUTEROS_SIM_LATENCY_MS)',
    integer,
    integer(env['ROUTEROS_SIM_LATENCY_MS'] ?? '0'),
  )
  .option('--legacy-login', 'emulate the pre-6.43 MD5 challenge login', false)
  .option('--chr', 'every router is a CHR (x86): no /system routerboard menu', false)
  .option(
    '--admin-password <password>',
    'factory admin password (env ROUTEROS_SIM_ADMIN_PASSWORD)',
    env['ROUTEROS_SIM_ADMIN_PASSWORD'] ?? '',
  )
  .option(
    '--tls-key <file>',
    'PEM key api-ssl serves while its certificate is none (env ROUTEROS_SIM_TLS_KEY)',
    env['ROUTEROS_SIM_TLS_KEY'],
  )
  .option(
    '--tls-cert <file>',
    'PEM certificate api-ssl serves while its certificate is none (env ROUTEROS_SIM_TLS_CERT)',
    env['ROUTEROS_SIM_TLS_CERT'],
  )
  .option(
    '--tls-port <port>',
    'api-ssl port (env ROUTEROS_SIM_TLS_PORT)',
    integer,
    integer(env['ROUTEROS_SIM_TLS_PORT'] ?? '8729'),
  )
  .option(
    '--state-file <file>',
    'keep router state in this JSON file across restarts (env ROUTEROS_SIM_STATE_FILE)',
    env['ROUTEROS_SIM_STATE_FILE'],
  )
  .option(
    '--control <host:port>',
    'serve the JSON control API (leases, PPPoE, hotspot, packets, faults) on this loopback address (env ROUTEROS_SIM_CONTROL)',
    hostPort,
    env['ROUTEROS_SIM_CONTROL'] === undefined ? undefined : hostPort(env['ROUTEROS_SIM_CONTROL']),
  )
  .option(
    '--mndp <host:port>',
    'announce every router by MNDP to this UDP host:port, periodically and on request (env ROUTEROS_SIM_MNDP)',
    hostPort,
    env['ROUTEROS_SIM_MNDP'] === undefined ? undefined : hostPort(env['ROUTEROS_SIM_MNDP']),
  )
  .option(
    '--mndp-interval <ms>',
    'between MNDP announcements (env ROUTEROS_SIM_MNDP_INTERVAL_MS)',
    integer,
    integer(env['ROUTEROS_SIM_MNDP_INTERVAL_MS'] ?? '30000'),
  )
  .action(
    async (options: {
      host: string;
      port: number;
      count: number;
      version: string;
      latency: number;
      legacyLogin: boolean;
      chr: boolean;
      adminPassword: string;
      tlsKey?: string;
      tlsCert?: string;
      tlsPort: number;
      stateFile?: string;
      control?: { host: string; port: number };
      mndp?: { host: string; port: number };
      mndpInterval: number;
    }) => {
      const tls =
        options.tlsKey !== undefined && options.tlsCert !== undefined
          ? { key: readFileSync(options.tlsKey), cert: readFileSync(options.tlsCert), port: options.tlsPort }
          : undefined;
      const lab = await startLab({
        host: options.host,
        port: options.port,
        count: options.count,
        version: options.version,
        latencyMs: options.latency,
        legacyLogin: options.legacyLogin,
        adminPassword: options.adminPassword,
        ...(options.chr ? { platforms: Array.from({ length: options.count }, () => 'chr' as const) } : {}),
        sslPort: options.tlsPort,
        ...(tls === undefined ? {} : { tls }),
        ...(options.stateFile === undefined ? {} : { stateFile: options.stateFile }),
        ...(options.mndp === undefined
          ? {}
          : { mndp: { ...options.mndp, intervalMs: options.mndpInterval } }),
      });
      for (const router of lab.routers) {
        process.stdout.write(
          `router ${router.address}:${router.port}${router.sslPort === undefined ? '' : ` (api-ssl ${router.sslPort})`}\n`,
        );
      }
      const control = options.control === undefined ? undefined : await startControlApi(lab, options.control);
      if (control !== undefined) process.stdout.write(`control http://${control.address}\n`);
      logger.info({ routers: lab.routers.length, version: options.version }, 'simulator ready');
      const stop = (): void => {
        logger.info('simulator stopping');
        Promise.all([control?.close(), lab.close()]).then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'simulator did not close cleanly');
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
  );

program.parseAsync().catch((error: unknown) => {
  logger.error({ err: error }, 'simulator failed to start');
  process.exitCode = 1;
});
