import { join } from 'node:path';
import { z } from 'zod';
import type { OdooTestDatabase } from './instance';
import { runOdooShell } from './instance';
import type { OdooCommand } from './locate';

/** Who the TypeScript tests log in as: the admin, and the sidecars' service user with an API key. */
export const odooFixtureSchema = z.object({
  admin: z.object({ login: z.string(), password: z.string() }),
  sidecar: z.object({ login: z.string(), password: z.string(), apiKey: z.string(), uid: z.number() }),
});
export type OdooFixture = z.infer<typeof odooFixtureSchema>;

// The service user gets the sidecar group when isp_core is installed; an API key is created for it
// the way an operator would (persistent, global scope). The admin password is reset so the tests know it.
const SCRIPT = `
import json
from odoo import Command
groups = [env.ref('base.group_user').id]
sidecar_group = env.ref('isp_core.group_isp_sidecar', raise_if_not_found=False)
if sidecar_group:
    groups.append(sidecar_group.id)
user = env['res.users'].search([('login', '=', 'isp_sidecar')])
if not user:
    user = env['res.users'].create({
        'name': 'ISP sidecar', 'login': 'isp_sidecar', 'password': 'isp_sidecar',
        'group_ids': [Command.set(groups)],
    })
key = env['res.users.apikeys'].with_user(user).sudo()._generate(None, 'isp tests', None)
env.ref('base.user_admin').password = 'admin'
env.cr.commit()
print('ISP_FIXTURE ' + json.dumps({
    'admin': {'login': 'admin', 'password': 'admin'},
    'sidecar': {'login': 'isp_sidecar', 'password': 'isp_sidecar', 'apiKey': key, 'uid': user.id},
}))
`;

export async function createOdooFixture(odoo: OdooCommand, db: OdooTestDatabase): Promise<OdooFixture> {
  const run = await runOdooShell(odoo, db, SCRIPT, join(db.workDir, 'fixture.log'));
  const line = run.log.split('\n').find((l) => l.startsWith('ISP_FIXTURE '));
  if (run.exitCode !== 0 || line === undefined) {
    throw new Error(
      `creating the Odoo test fixture failed (exit ${run.exitCode}); see ${join(db.workDir, 'fixture.log')}`,
    );
  }
  return odooFixtureSchema.parse(JSON.parse(line.slice('ISP_FIXTURE '.length)));
}
