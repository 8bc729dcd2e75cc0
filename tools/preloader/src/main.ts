import { createLogger } from '@isp/logging';
import { createOdooClient } from '@isp/odoo-client';
import { MNDP_PORT } from '@isp/routeros';
import { Command, InvalidArgumentError, Option } from 'commander';

import { loadConfigFile, secretsFromEnv } from './config';
import { errorCode, errorMessage } from './errors';
import { odooDeviceRegistry } from './onboard/odoo-registry';
import { onboard } from './onboard/onboard.command';
import { stderrProgress } from './output';
import { adminPasswordNotice, onboardJson, renderOnboard, renderScan, scanJson } from './render';
import { scan } from './scan/scan.command';

// Logs are for machines (pino JSON) and go to stderr with the progress; stdout is the result.
const logger = createLogger({
  name: 'preloader',
  destination: process.stderr,
  level: process.env['LOG_LEVEL'] ?? 'warn',
});
const env = process.env;

function integer(min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max)
      throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    return parsed;
  };
}

function fail(error: unknown, json: boolean): void {
  const body = { error: { code: errorCode(error), message: errorMessage(error) } };
  if (json) process.stdout.write(`${JSON.stringify(body)}\n`);
  process.stderr.write(`preloader: [${body.error.code}] ${body.error.message}\n`);
  process.exitCode = 2;
}

const program = new Command('preloader')
  .description('Find factory-default MikroTiks, then secure, configure and register them in Odoo')
  .showHelpAfterError();

program
  .command('scan')
  .description('Find RouterOS API listeners in a subnet and identify each; hear MNDP announcements meanwhile')
  .addOption(
    new Option('--subnet <cidr>', 'IPv4 subnet to probe, e.g. 192.168.88.0/24 (env PRELOADER_SUBNET)')
      .env('PRELOADER_SUBNET')
      .makeOptionMandatory(),
  )
  .addOption(
    new Option('--port <port>', 'API port (env PRELOADER_PORT)')
      .env('PRELOADER_PORT')
      .argParser(integer(1, 65535))
      .default(8728),
  )
  .addOption(new Option('--json', 'print the result as JSON for scripts').default(false))
  .addOption(
    new Option('--concurrency <n>', 'sockets open at once (env PRELOADER_CONCURRENCY)')
      .env('PRELOADER_CONCURRENCY')
      .argParser(integer(1, 4096))
      .default(256),
  )
  .addOption(
    new Option('--timeout <ms>', 'per-host connect and login timeout (env PRELOADER_TIMEOUT_MS)')
      .env('PRELOADER_TIMEOUT_MS')
      .argParser(integer(50, 60_000))
      .default(1000),
  )
  .addOption(
    new Option('--mndp-port <port>', 'UDP port to hear MNDP announcements on (env PRELOADER_MNDP_PORT)')
      .env('PRELOADER_MNDP_PORT')
      .argParser(integer(1, 65535))
      .default(MNDP_PORT),
  )
  .addOption(new Option('--no-mndp', 'do not listen for MNDP announcements'))
  .addOption(
    new Option('--mndp-wait <ms>', 'listen for MNDP at least this long (env PRELOADER_MNDP_WAIT_MS)')
      .env('PRELOADER_MNDP_WAIT_MS')
      .argParser(integer(0, 600_000))
      .default(2000),
  )
  .action(
    async (options: {
      subnet: string;
      port: number;
      json: boolean;
      concurrency: number;
      timeout: number;
      mndpPort: number;
      mndp: boolean;
      mndpWait: number;
    }) => {
      try {
        const result = await scan(
          {
            subnet: options.subnet,
            port: options.port,
            concurrency: options.concurrency,
            timeoutMs: options.timeout,
            mndpPort: options.mndp ? options.mndpPort : undefined,
            mndpWaitMs: options.mndp ? options.mndpWait : 0,
          },
          { logger, progress: stderrProgress() },
        );
        process.stdout.write(options.json ? scanJson(result) : renderScan(result));
      } catch (error) {
        fail(error, options.json);
      }
    },
  );

program
  .command('onboard')
  .description(
    'Secure, configure, name and register the routers of a configuration file (secrets from the environment)',
  )
  .addOption(
    new Option('--config <file>', 'YAML configuration (env PRELOADER_CONFIG)')
      .env('PRELOADER_CONFIG')
      .makeOptionMandatory(),
  )
  .addOption(
    new Option('--dry-run', 'print the plan and the exact RouterOS commands; change nothing').default(false),
  )
  .addOption(new Option('--json', 'print the result as JSON for scripts').default(false))
  .action(async (options: { config: string; dryRun: boolean; json: boolean }) => {
    let odoo: ReturnType<typeof createOdooClient> | undefined;
    try {
      const config = loadConfigFile(options.config);
      const secrets = secretsFromEnv(env);
      odoo = options.dryRun
        ? undefined
        : createOdooClient({
            connection: {
              url: config.odoo.url,
              db: config.odoo.db,
              login: config.odoo.user,
              secret: secrets.odooPassword,
              protocol: 'xmlrpc',
            },
            logger,
          });
      const result = await onboard(
        { config, secrets, dryRun: options.dryRun },
        {
          logger,
          progress: stderrProgress(),
          registry: odoo === undefined ? undefined : odooDeviceRegistry(odoo),
        },
      );
      if (options.json) {
        process.stdout.write(onboardJson(result));
        process.stderr.write(adminPasswordNotice(result));
      } else process.stdout.write(renderOnboard(result));
      process.exitCode = result.ok ? 0 : 1;
    } catch (error) {
      fail(error, options.json);
    } finally {
      odoo?.close();
    }
  });

program.parseAsync().catch((error: unknown) => {
  fail(error, false);
});
