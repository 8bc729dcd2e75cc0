import { By } from 'selenium-webdriver';
import type { Browser } from '../browser';

/**
 * The customer portal (isp_portal on Odoo's /my) as a customer uses it: links, forms and buttons.
 */
export class Portal {
  constructor(
    readonly browser: Browser,
    readonly url: string,
  ) {}

  /** Follows the invitation link, chooses a password and lands in the portal. */
  async acceptInvitation(link: string, password: string): Promise<void> {
    await this.browser.go(link);
    await this.browser.type('input#password', password, 'the new password');
    await this.browser.type('input#confirm_password', password, 'the password confirmation');
    await this.browser.click('form.oe_signup_form button[type="submit"]', 'the sign up button');
    await this.browser.until('the portal after sign-up', async () =>
      /\/my(\/|$|\?)/.test(new URL(await this.browser.driver.getCurrentUrl()).pathname + '/'),
    );
  }

  async login(login: string, password: string): Promise<void> {
    await this.browser.go(`${this.url}/web/login`);
    await this.browser.type('input#login', login, 'the login field');
    await this.browser.type('input#password', password, 'the password field');
    await this.browser.click('form.oe_login_form button[type="submit"]', 'the log in button');
    await this.browser.urlContains('/my');
  }

  /** From the portal home, the "My Internet" entry. */
  async openMyInternet(): Promise<void> {
    await this.browser.go(`${this.url}/my`);
    await this.browser.click('a[href="/my/isp"]', 'the My Internet entry');
    await this.browser.visible('.o_isp_portal', 'the My Internet dashboard');
  }

  async openService(): Promise<void> {
    await this.browser.click('a.o_isp_details, a.o_isp_service_link', 'the service details link');
    await this.browser.visible('.o_isp_service_page', 'the service page');
  }

  /** Clicks the radio or checkbox whose label contains `label`. */
  async check(label: string): Promise<void> {
    const labelElement = await this.browser.withText('label', label, `the choice ${label}`);
    await this.browser.clickElement(labelElement);
    const id = await labelElement.getAttribute('for');
    if (id) {
      await this.browser.until(`${label} checked`, async () =>
        (await this.browser.driver.findElement(By.id(id))).isSelected(),
      );
    }
  }

  async submit(formCss: string): Promise<void> {
    await this.browser.click(`${formCss} button[type="submit"]`, 'the form submit button');
  }

  /** A form page answered with an error (the field messages Odoo's portal shows). */
  async formErrors(): Promise<string[]> {
    const alerts = await this.browser.driver.findElements(By.css('.alert-danger, .invalid-feedback'));
    const texts = await Promise.all(alerts.map(async (a) => ((await a.isDisplayed()) ? a.getText() : '')));
    return texts.filter((t) => t.trim() !== '');
  }

  /** True when the page is no wider than the window (nothing to scroll sideways on a phone). */
  async fitsWidth(): Promise<boolean> {
    const fits: unknown = await this.browser.driver.executeScript(
      'return document.documentElement.scrollWidth <= window.innerWidth;',
    );
    return fits === true;
  }
}
