import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ADDONS_DIR = resolve(import.meta.dirname, '../../../../odoo-addons');

/**
 * The project's addons: every folder of odoo-addons/ with a manifest, in a stable order.
 * `ISP_ODOO_ADDONS` (a comma list, possibly empty) narrows the set while working on one addon.
 */
export function projectAddons(dir: string = ADDONS_DIR): string[] {
  const only = process.env['ISP_ODOO_ADDONS'];
  if (only !== undefined)
    return only
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== '');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, '__manifest__.py')))
    .map((e) => e.name)
    .sort();
}
