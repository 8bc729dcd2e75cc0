import { By } from 'selenium-webdriver';
import type { Browser } from '../browser';
import { expectVerdict } from '../lab-control';
import { BackOffice } from '../pages/back-office';
import type { StepRunner } from '../steps';
import type { FlowContext } from './context';

const JOB_WAIT_MS = 120_000;

/** The back office answers what the customer asked for in the portal, and reads the KPI dashboard. */
export async function adminReview(runner: StepRunner, ctx: FlowContext, browser: Browser): Promise<void> {
  const office = new BackOffice(browser, ctx.stack.odoo.url);
  const flow = runner.flow('admin reviews', browser);
  const { customer, setup, lab } = ctx;

  await flow.step('admin opens the plan change request', async () => {
    await office.openMenu(
      'isp_core.menu_isp_root',
      'isp_core.menu_isp_customers',
      'isp_core.isp_plan_change_request_menu',
    );
    await office.search(customer.name);
    await office.closeChatWindows();
    await office.openRow(customer.name);
    const requested = await office.fieldValue('requested_plan_id');
    if (!requested.includes(setup.biggerPlan.name)) throw new Error(`the request is for ${requested}`);
  });
  await flow.step('admin approves the plan change and applies it now', async () => {
    await office.button('action_approve_immediate');
    await office.status('Applied');
  });
  await flow.step("the router shapes the customer at the new plan's speed", async () => {
    await browser.until(
      "the router to apply the new plan's queue",
      async () => (await lab.web(customer.ip)).limit === setup.biggerPlan.limit,
      JOB_WAIT_MS,
    );
    expectVerdict(
      await lab.web(customer.ip),
      { verdict: 'accept', limit: setup.biggerPlan.limit },
      'HTTPS on the new plan',
    );
  });
  await flow.step('admin opens the reported bank transfer', async () => {
    await office.openMenu(
      'isp_core.menu_isp_root',
      'isp_billing.menu_isp_billing',
      'isp_billing.isp_bank_transfer_payment_menu',
    );
    await office.openRow(customer.name);
  });
  await flow.step('admin approves the bank transfer', async () => {
    await office.button('action_approve');
    await office.status('Approved');
  });
  await flow.step('admin applies the transfer to the invoice', async () => {
    await office.button('action_apply');
    await office.status('Applied');
    await office.browser.until('the invoice paid by the transfer', async () => {
      const status = await office.browser.text(
        '.o_form_view .o_field_widget[name="invoice_ids"] .o_data_row',
      );
      return /\b(Paid|In Payment)\b/.test(status);
    });
  });
  await flow.step('admin drills down from a KPI tile to its list', async () => {
    await office.openMenu('isp_core.menu_isp_root', 'isp_core.menu_isp_dashboard');
    const tile = '.o_isp_dashboard_tile[data-tile="tickets"]';
    const shown = Number(await office.browser.text(`${tile} .o_isp_dashboard_tile_value`));
    await office.browser.click(tile, 'the Open tickets tile');
    await office.browser.visible('.o_list_view', 'the ticket list');
    await office.browser.withText('.o_data_row', customer.name, "the customer's ticket in the list");
    const rows = (await office.browser.driver.findElements(By.css('.o_list_view .o_data_row'))).length;
    if (rows !== shown) throw new Error(`the tile says ${shown} open tickets, its list has ${rows}`);
  });
}
