import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ADDONS_DIR = resolve(import.meta.dirname, '../../../../odoo-addons');

/**
 * Odoo addons that test databases get beside the project's, never production: the portal's
 * online-payment tests need a payment provider that confirms without a bank.
 */
export const TEST_SUPPORT_ADDONS: readonly string[] = ['payment_demo'];

/**
 * Odoo's own tests that must still pass with the project's addons installed (the customer
 * portal extends Odoo's portal, invoice pages and invoice payment). Post-install tests only: an at-install test of
 * `portal` runs with only the models up to `portal` loaded, which an installed database no
 * longer fits.
 */
export const UPSTREAM_TEST_TAGS: readonly string[] = [
  'post_install/portal',
  'post_install/account_payment',
  'post_install/account:TestPortalInvoice',
  'post_install/account:TestPortalAttachment',
];

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
