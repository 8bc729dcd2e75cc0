import type { Browser } from '../browser';
import { Portal } from '../pages/portal';
import type { StepRunner } from '../steps';
import type { FlowContext } from './context';

async function fitsPhone(portal: Portal, page: string): Promise<void> {
  if (!(await portal.fitsWidth())) throw new Error(`${page} is wider than the phone's screen`);
}

/** The same customer on a phone-sized window: log in, dashboard, service page, self-service forms, nothing wider than the screen. */
export async function customerPhone(runner: StepRunner, ctx: FlowContext, browser: Browser): Promise<void> {
  const portal = new Portal(browser, ctx.stack.odoo.url);
  const flow = runner.flow('customer on a phone', browser);
  await flow.step('customer logs in on a phone', async () => {
    await portal.login(ctx.customer.email, ctx.customer.password);
  });
  await flow.step('the dashboard fits the phone', async () => {
    await portal.openMyInternet();
    await browser.visible('.o_isp_card', 'the service card');
    await fitsPhone(portal, 'My Internet');
  });
  await flow.step('the service page fits the phone', async () => {
    await portal.openService();
    await browser.visible('a.o_isp_action_fault', 'the self-service actions');
    await fitsPhone(portal, 'the service page');
  });
  await flow.step('the fault form fits the phone', async () => {
    await browser.click('a.o_isp_action_fault', 'Report a fault');
    await browser.visible('#isp_fault_description', 'the fault form');
    await fitsPhone(portal, 'the fault form');
  });
  await flow.step('the bank transfer form fits the phone', async () => {
    await browser.go(`${ctx.stack.odoo.url}/my/isp/payments/transfer`);
    await browser.visible('#isp_transfer_bank', 'the transfer form');
    await fitsPhone(portal, 'the transfer form');
  });
}
