import { afterAll, afterEach, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './test-database';

/**
 * Gives the calling test file a database of its own. It is dropped after the file when every test
 * passed; when one failed it is kept (and named on stderr) so the data can be inspected.
 */
export function useTestDatabase(label: string): () => TestDatabase {
  let db: TestDatabase | undefined;
  let failed = false;
  beforeAll(async () => {
    db = await createTestDatabase(label);
  });
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') failed = true;
  });
  afterAll(async () => {
    if (db === undefined) return;
    if (failed) {
      process.stderr.write(`test database kept for inspection: ${db.name}\n`);
      return;
    }
    await db.drop();
  });
  return () => {
    if (db === undefined) throw new Error('useTestDatabase: database used outside a test');
    return db;
  };
}
