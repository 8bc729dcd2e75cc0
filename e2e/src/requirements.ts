import { findOdoo, isExecutable, type OdooCommand } from '@isp/testing';
import { CHROMEDRIVER, CHROMIUM } from './browser';

export type Requirements =
  { readonly ok: true; readonly odoo: OdooCommand } | { readonly ok: false; readonly missing: string };

/** Odoo 19, Debian's Chromium and chromedriver; what is missing, in one line, when not all are here. */
export async function checkRequirements(): Promise<Requirements> {
  const missing: string[] = [];
  const odoo = await findOdoo();
  if (odoo === undefined) missing.push('Odoo 19 (set ODOO_HOME)');
  if (!isExecutable(CHROMIUM)) missing.push(`Chromium (${CHROMIUM}: apt-get install chromium)`);
  if (!isExecutable(CHROMEDRIVER))
    missing.push(`chromedriver (${CHROMEDRIVER}: apt-get install chromium-driver)`);
  if (odoo === undefined || missing.length > 0)
    return { ok: false, missing: `browser end-to-end skipped: no ${missing.join(', no ')}` };
  return { ok: true, odoo };
}
