import pg from 'pg';

export interface PostgresServer {
  /** An admin URL (may create and drop databases), without a database name in the path. */
  readonly adminUrl: string;
  /** Where it came from, for the test summary. */
  readonly source: 'DATABASE_URL' | 'local' | 'testcontainers';
}

const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function fromTestcontainers(): Promise<string | undefined> {
  // Kept small on purpose: it only runs where a Docker engine exists, which is not the case on the
  // development machines of this project.
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch {
    return undefined;
  }
  const container = await new GenericContainer('postgres:17')
    .withEnvironment({ POSTGRES_PASSWORD: 'test' })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  return `postgres://postgres:test@${container.getHost()}:${container.getMappedPort(5432)}/postgres`;
}

let cached: Promise<PostgresServer> | undefined;

/**
 * Finds the Postgres server tests run against: `DATABASE_URL`, else the local server on
 * 127.0.0.1:5432, else a testcontainers Postgres where a Docker engine exists, else a clear error.
 */
export function resolvePostgres(): Promise<PostgresServer> {
  cached ??= (async (): Promise<PostgresServer> => {
    const fromEnv = process.env['DATABASE_URL'];
    if (fromEnv !== undefined && fromEnv !== '') {
      if (!(await reachable(fromEnv))) {
        throw new Error('DATABASE_URL is set but Postgres does not answer there');
      }
      return { adminUrl: fromEnv, source: 'DATABASE_URL' };
    }
    if (await reachable(LOCAL_URL)) return { adminUrl: LOCAL_URL, source: 'local' };
    const container = await fromTestcontainers();
    if (container !== undefined) return { adminUrl: container, source: 'testcontainers' };
    throw new Error(
      'No Postgres for tests: set DATABASE_URL, or run Postgres on 127.0.0.1:5432 (user postgres, trust auth), or provide a Docker engine for testcontainers',
    );
  })();
  return cached;
}
