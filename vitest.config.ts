import { defineConfig } from 'vitest/config';

// Three tiers, selected by file name so a reader knows what a test needs from its name:
//   *.test.ts       unit: no I/O at all
//   *.int.test.ts   integration: real Postgres, the RouterOS simulator on loopback
//   *.odoo.test.ts  Odoo tier: a real Odoo 19 started by scripts/test (ODOO_TEST_URL)
const roots = ['packages/*/', 'services/*/', 'tools/*/', 'scripts/', 'e2e/'];
const files = (suffix: string): string[] => roots.map((r) => `${r}**/*.${suffix}`);
const exclude = ['**/node_modules/**'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: files('test.ts'),
          exclude: [...exclude, '**/*.int.test.ts', '**/*.odoo.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: files('int.test.ts'),
          exclude,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'odoo',
          include: files('odoo.test.ts'),
          exclude,
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          globalSetup: ['packages/testing/src/odoo/vitest-global-setup.ts'],
        },
      },
    ],
  },
});
