// A screenshot of each main screen of the stack's Odoo, on its demo data, for the next reader:
// the back office as the admin sees it at a desktop size, the login page, and the customer portal
// at a desktop and a phone size. Debian's headless Chromium through the e2e suite's Browser.
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BackOffice, Browser, CHROMEDRIVER, CHROMIUM, Portal, type WindowSize } from '@isp/e2e';
import { isExecutable } from '@isp/testing';

export const DESKTOP: WindowSize = { width: 1440, height: 900 };
export const PHONE: WindowSize = { width: 390, height: 844 };

/** What the screenshots lack on this machine (Debian's chromium and chromium-driver), if anything. */
export function missingBrowser(): string | undefined {
  const missing = [CHROMIUM, CHROMEDRIVER].filter((path) => !isExecutable(path));
  return missing.length === 0
    ? undefined
    : `no ${missing.join(', no ')} (apt-get install chromium chromium-driver)`;
}

/**
 * Every screen, in the order of their file numbers (<nn>-<name>.png): a screen keeps its number
 * whether or not the ones before it were taken, so links to the files stay right.
 */
export const SCREEN_NAMES = [
  'login',
  'dashboard',
  'subscriptions',
  'subscription-form',
  'routers',
  'router-form',
  'plans',
  'sectors',
  'provisioning-jobs',
  'audit-log',
  'fault-tickets',
  'bank-transfers',
  'settings',
  'map',
  'portal',
  'portal-phone',
] as const;
export type ScreenName = (typeof SCREEN_NAMES)[number];

/** A screen of the back office: where it is and what shows it rendered. */
export interface Screen {
  readonly name: ScreenName;
  /** Path under the Odoo URL (`/odoo/action-<xml id>[/<record id>]`). */
  readonly path: string;
  /** The view's main element, present once its data is drawn. */
  readonly ready: string;
}

/** Anything still loading: Odoo's indicator and overlay, spinners, placeholders. */
const BUSY = '.o_loading_indicator, .o_blockUI, .fa-spin, .spinner-border, .o-skeleton';

/**
 * Rendered: nothing busy is displayed, the fonts and every image loaded, and the page no longer
 * changing (its markup the same twice in a row, a quarter second apart).
 */
async function settled(browser: Browser, ready: string, what: string): Promise<void> {
  await browser.visible(ready, what);
  await browser.gone(BUSY, `a spinner on ${what}`);
  let last = '';
  await browser.until(`${what} rendered`, async () => {
    const state = await browser.driver.executeScript<string>(
      `if (document.fonts.status !== 'loaded') return 'fonts';
       if (!Array.from(document.images).every((image) => image.complete)) return 'images';
       return String(document.body.innerHTML.length);`,
    );
    const stable = state === last && /^\d+$/.test(state);
    last = state;
    if (!stable) await new Promise((r) => setTimeout(r, 250));
    return stable;
  });
}

export class ScreenShooter {
  constructor(
    private readonly odooUrl: string,
    private readonly dir: string,
    private readonly log: (line: string) => void,
  ) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  private async shoot(browser: Browser, name: ScreenName): Promise<void> {
    const number = String(SCREEN_NAMES.indexOf(name) + 1).padStart(2, '0');
    const file = join(this.dir, `${number}-${name}.png`);
    writeFileSync(file, await browser.screenshot(), 'base64');
    this.log(`screen ${file}`);
  }

  /** The login page, then each back-office screen as the admin. */
  async backOffice(password: string, screens: readonly Screen[]): Promise<void> {
    const browser = await Browser.open(DESKTOP);
    try {
      await browser.setViewport(DESKTOP);
      const office = new BackOffice(browser, this.odooUrl);
      await browser.go(`${this.odooUrl}/web/login`);
      await settled(browser, 'form.oe_login_form', 'the login page');
      await this.shoot(browser, 'login');
      await office.login('admin', password);
      for (const screen of screens) {
        await browser.go(`${this.odooUrl}${screen.path}`);
        await office.closeChatWindows();
        await settled(browser, screen.ready, screen.name);
        await this.shoot(browser, screen.name);
      }
    } finally {
      await browser.close();
    }
  }

  /** A portal customer's My Internet page, at `size` (a phone's when `phone`). */
  async portal(
    login: string,
    password: string,
    size: WindowSize,
    phone: boolean,
    name: ScreenName,
  ): Promise<void> {
    const browser = await Browser.open(size);
    try {
      await browser.setViewport(size, phone);
      const portal = new Portal(browser, this.odooUrl);
      await portal.login(login, password);
      await browser.go(`${this.odooUrl}/my/isp`);
      await settled(browser, '.o_isp_portal', 'the My Internet page');
      await this.shoot(browser, name);
    } finally {
      await browser.close();
    }
  }
}

/** Replaces the PNGs of `target` (docs/screenshots) with the run's. */
export function copyScreens(from: string, target: string): string[] {
  mkdirSync(target, { recursive: true });
  for (const old of readdirSync(target).filter((f) => f.endsWith('.png'))) rmSync(join(target, old));
  const files = readdirSync(from)
    .filter((f) => f.endsWith('.png'))
    .sort();
  for (const file of files) copyFileSync(join(from, file), join(target, file));
  return files;
}
