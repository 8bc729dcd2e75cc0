import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Builder, By, error, Key, logging, until, type WebDriver, type WebElement } from 'selenium-webdriver';
import chrome from 'selenium-webdriver/chrome.js';

/** Errors of a page still rendering: the same lookup a moment later may succeed. */
function isTransient(err: unknown): boolean {
  return (
    err instanceof error.StaleElementReferenceError ||
    err instanceof error.NoSuchElementError ||
    err instanceof error.ElementClickInterceptedError ||
    err instanceof error.ElementNotInteractableError
  );
}

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMEDRIVER = '/usr/bin/chromedriver';

/** Generous: the machine is small and shared; every wait still ends as soon as its condition holds. */
export const WAIT_MS = 60_000;

export interface WindowSize {
  readonly width: number;
  readonly height: number;
}
export const DESKTOP: WindowSize = { width: 1366, height: 900 };
export const PHONE: WindowSize = { width: 390, height: 844 };
/** Narrower than this is a phone (Bootstrap's `sm` breakpoint): touch and a mobile layout viewport. */
const PHONE_MAX_WIDTH = 576;

/**
 * One headless Chromium driven through chromedriver (Debian's, never a download), with a fresh
 * profile of its own, and the explicit waits every page object uses.
 */
export class Browser {
  private constructor(
    readonly driver: WebDriver,
    private readonly profileDir: string,
  ) {}

  static async open(size: WindowSize): Promise<Browser> {
    const profileDir = mkdtempSync(join(tmpdir(), 'isp-e2e-chromium-'));
    const options = new chrome.Options();
    options.setChromeBinaryPath(CHROMIUM);
    options.addArguments(
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      `--user-data-dir=${profileDir}`,
      `--window-size=${size.width},${size.height}`,
      '--lang=en-US',
    );
    const prefs = new logging.Preferences();
    prefs.setLevel(logging.Type.BROWSER, logging.Level.ALL);
    options.setLoggingPrefs(prefs);
    const driver = await new Builder()
      .forBrowser('chrome')
      .setChromeOptions(options)
      .setChromeService(new chrome.ServiceBuilder(CHROMEDRIVER))
      .build();
    await driver.manage().setTimeouts({ pageLoad: WAIT_MS, script: WAIT_MS });
    const browser = new Browser(driver, profileDir);
    // The window alone is not the viewport asked for (see setViewport): a phone is a phone.
    await browser.setViewport(size, size.width < PHONE_MAX_WIDTH);
    return browser;
  }

  async close(): Promise<void> {
    try {
      await this.driver.quit();
    } finally {
      rmSync(this.profileDir, { recursive: true, force: true });
    }
  }

  /**
   * Gives pages exactly `size` as their viewport (CSS pixels), whatever the window around them:
   * headless Chromium keeps a window at least 500 px wide and takes its own bars off its height.
   * `mobile` makes it a phone's (touch, a narrow layout viewport).
   */
  async setViewport(size: WindowSize, mobile = false): Promise<void> {
    if (!(this.driver instanceof chrome.Driver)) throw new Error('the browser is not Chromium');
    await this.driver.sendDevToolsCommand('Emulation.setDeviceMetricsOverride', {
      width: size.width,
      height: size.height,
      deviceScaleFactor: 1,
      mobile,
    });
  }

  async go(url: string): Promise<void> {
    await this.driver.get(url);
  }

  /** The first element `css` matches, once it is displayed (and contains `text` when given). */
  async visible(css: string, what: string = css, text?: string): Promise<WebElement> {
    const found = await this.driver.wait(
      async () => {
        try {
          return await this.findDisplayed(css, text);
        } catch (err) {
          if (isTransient(err)) return undefined;
          throw err;
        }
      },
      WAIT_MS,
      `no ${what}`,
    );
    if (found === undefined) throw new Error(`no ${what}`);
    return found;
  }

  /** The displayed element matching `css` whose text contains `text`. */
  withText(css: string, text: string, what = `${css} "${text}"`): Promise<WebElement> {
    return this.visible(css, what, text);
  }

  /**
   * Clicks the first displayed, enabled element `css` matches (whose text contains `text` when
   * given). The web client re-renders often: a node replaced between finding and clicking, or
   * covered for a moment, is looked up again until the click lands.
   */
  async click(css: string, what?: string, text?: string): Promise<void> {
    await this.driver.wait(
      async () => {
        try {
          const element = await this.findDisplayed(css, text);
          if (element === undefined || !(await element.isEnabled())) return false;
          await this.clickElement(element);
          return true;
        } catch (err) {
          if (isTransient(err)) return false;
          throw err;
        }
      },
      WAIT_MS,
      `could not click ${what ?? css}${text === undefined ? '' : ` "${text}"`}`,
    );
  }

  async clickText(css: string, text: string, what?: string): Promise<void> {
    await this.click(css, what, text);
  }

  private async findDisplayed(css: string, text?: string): Promise<WebElement | undefined> {
    for (const element of await this.driver.findElements(By.css(css))) {
      if (!(await element.isDisplayed())) continue;
      if (text === undefined || (await element.getText()).includes(text)) return element;
    }
    return undefined;
  }

  /** Clicks, scrolling the element into view first (phone-sized windows hide much below the fold). */
  async clickElement(element: WebElement): Promise<void> {
    await this.driver.executeScript('arguments[0].scrollIntoView({block: "center"});', element);
    await element.click();
  }

  /** Replaces the value of an input with `text` (as a person selecting all and typing). */
  async type(css: string, text: string, what?: string): Promise<void> {
    await this.driver.wait(
      async () => {
        try {
          const input = await this.findDisplayed(css);
          if (input === undefined) return false;
          await this.clickElement(input);
          await input.sendKeys(Key.chord(Key.CONTROL, 'a'), Key.BACK_SPACE);
          await input.sendKeys(text);
          return true;
        } catch (err) {
          if (isTransient(err)) return false;
          throw err;
        }
      },
      WAIT_MS,
      `could not type in ${what ?? css}`,
    );
  }

  /** Waits until nothing matches `css` (a dialog closed, a spinner gone). */
  async gone(css: string, what: string = css): Promise<void> {
    await this.driver.wait(
      async () => {
        for (const element of await this.driver.findElements(By.css(css))) {
          try {
            if (await element.isDisplayed()) return false;
          } catch {
            // detached: gone
          }
        }
        return true;
      },
      WAIT_MS,
      `${what} is still there`,
    );
  }

  async isDisplayed(css: string): Promise<boolean> {
    try {
      return (await this.findDisplayed(css)) !== undefined;
    } catch (err) {
      if (isTransient(err)) return false;
      throw err;
    }
  }

  /** Whether `css` is displayed within `timeoutMs` (no error when not). */
  async appears(css: string, timeoutMs: number): Promise<boolean> {
    try {
      await this.driver.wait(() => this.isDisplayed(css), timeoutMs);
      return true;
    } catch (err) {
      if (err instanceof error.TimeoutError) return false;
      throw err;
    }
  }

  /**
   * Waits for `check` (an explicit condition), polled by the driver. A page re-rendering under
   * the check only means "not yet"; any other error ends the wait with that error.
   */
  async until(what: string, check: () => Promise<boolean>, timeoutMs = WAIT_MS): Promise<void> {
    await this.driver.wait(
      async () => {
        try {
          return await check();
        } catch (err) {
          if (isTransient(err)) return false;
          throw err;
        }
      },
      timeoutMs,
      `timed out waiting for ${what}`,
    );
  }

  async urlContains(part: string): Promise<void> {
    await this.driver.wait(until.urlContains(part), WAIT_MS, `the URL never contained ${part}`);
  }

  /** The text of the first displayed element `css` matches, once there is one. */
  async text(css: string): Promise<string> {
    let text: string | undefined;
    await this.until(`a displayed ${css}`, async () => {
      text = await (await this.findDisplayed(css))?.getText();
      return text !== undefined;
    });
    return text ?? '';
  }

  async screenshot(): Promise<string> {
    return this.driver.takeScreenshot();
  }

  async html(): Promise<string> {
    return this.driver.getPageSource();
  }

  /** The browser console since the last call (chromedriver hands each entry out once). */
  async consoleLog(): Promise<string[]> {
    const entries = await this.driver.manage().logs().get(logging.Type.BROWSER);
    return entries.map((e) => `${new Date(e.timestamp).toISOString()} ${e.level.name} ${e.message}`);
  }
}
