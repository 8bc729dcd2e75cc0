import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, resolvePostgres, useTestDatabase } from '../src/index';

async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const res = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return res.rowCount === 1;
  } finally {
    await client.end();
  }
}

describe(createTestDatabase.name, () => {
  it('creates a database of its own and drops it without a trace', async () => {
    const server = await resolvePostgres();
    const db = await createTestDatabase('Self Test!');
    expect(db.name).toMatch(/^isp_t_self_test_[0-9a-f]{8}$/);
    expect(await databaseExists(server.adminUrl, db.name)).toBe(true);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const res = await client.query<{ db: string }>('SELECT current_database() AS db');
    await client.end();
    expect(res.rows[0]?.db).toBe(db.name);
    await db.drop();
    expect(await databaseExists(server.adminUrl, db.name)).toBe(false);
  });
});

describe(useTestDatabase.name, () => {
  const db = useTestDatabase('use-hook');
  it('hands the file a reachable database', async () => {
    const client = new pg.Client({ connectionString: db().url });
    await client.connect();
    const res = await client.query<{ one: number }>('SELECT 1 AS one');
    await client.end();
    expect(res.rows[0]?.one).toBe(1);
  });
});
