import { z } from 'zod';
import type { Browser } from '../browser';
import { expectVerdict } from '../lab-control';
import { BackOffice } from '../pages/back-office';
import type { StepRunner } from '../steps';
import { daysAgo, must, type FlowContext } from './context';

const ISP_APP = 'isp_core.menu_isp_root';
const SUBSCRIPTIONS = ['isp_core.menu_isp_customers', 'isp_core.isp_subscription_menu'] as const;
const JOB_WAIT_MS = 120_000;

/** Opens the story's subscription from the ISP menu, by searching its customer. */
async function openSubscription(office: BackOffice, ctx: FlowContext): Promise<void> {
  await office.openMenu(ISP_APP, ...SUBSCRIPTIONS);
  await office.search(ctx.customer.name);
  await office.openRow(ctx.customer.name);
}

/** Every provisioning job of the open subscription has reached the router (the list shows them all green). */
async function jobsGreen(office: BackOffice): Promise<void> {
  await office.buttonTo('action_view_jobs', '.o_list_view');
  await office.listBadgesAll('state', 'Success', JOB_WAIT_MS);
}

/**
 * The seed's sentence, by the admin in the back office: create the customer, the subscription
 * (GPS on the form), activate it, the router serves the customer at the plan's speed; invoice,
 * suspend for non-payment, the router cuts the customer; pay, reconnected.
 */
export async function adminLifecycle(
  runner: StepRunner,
  ctx: FlowContext,
  browser: Browser,
  whileSuspended: () => Promise<void>,
): Promise<void> {
  const office = new BackOffice(browser, ctx.stack.odoo.url);
  const flow = runner.flow('admin back office', browser);
  const { customer, setup, lab } = ctx;

  await flow.step('admin logs in to the back office', async () => {
    await office.login(ctx.stack.odoo.admin.login, ctx.stack.odoo.admin.password);
  });
  await flow.step('admin opens a new subscription from the ISP menu', async () => {
    await office.openMenu(ISP_APP, ...SUBSCRIPTIONS);
    await office.newRecord();
  });
  await flow.step('admin creates the customer from the subscription form', async () => {
    await office.createAndEdit('partner_id', customer.name);
    await office.fillInDialog('email', customer.email);
    await office.saveDialog();
  });
  await flow.step('admin chooses plan, sector and router', async () => {
    await office.pick('plan_id', setup.plan.name);
    await office.pick('sector_id', setup.sector);
    await office.pick('device_id', setup.router);
  });
  await flow.step('admin enters the access: static DHCP with MAC and IP', async () => {
    await office.tab('access');
    await office.select('dhcp_mode', 'Static');
    await office.fill('service_mac', customer.mac);
    await office.fill('service_ip', customer.ip);
  });
  await flow.step('admin enters the GPS position', async () => {
    await office.tab('location');
    await office.fill('gps_lat', '18.4861');
    await office.fill('gps_lng', '-69.9312');
  });
  await flow.step('admin sets the service start two months back', async () => {
    await office.tab('billing');
    await office.fillDate('start_date', daysAgo(70));
  });
  await flow.step('admin saves the subscription', async () => {
    await office.save();
    ctx.story.subscriptionId = await office.recordId();
    ctx.story.subscriptionName = await office.browser.text('.oe_title h1');
  });
  await flow.step('admin activates the subscription', async () => {
    await office.button('action_activate');
    await office.status('Active');
  });
  await flow.step('the activation job turns green', async () => {
    await jobsGreen(office);
  });
  await flow.step("the lab router lets the customer through at the plan's speed", async () => {
    expectVerdict(
      await lab.web(customer.ip),
      { verdict: 'accept', limit: setup.plan.limit },
      'HTTPS of the customer',
    );
  });
  await flow.step('admin gives the customer portal access', async () => {
    await office.breadcrumb(must(ctx.story.subscriptionName, 'the subscription'));
    await office.button('action_grant_portal_access');
    await office.browser.withText('.o_notification', 'Portal invitation sent', 'the invitation notice');
  });
  await flow.step('admin generates the invoice', async () => {
    await office.button('action_generate_invoice');
    await office.confirm();
    await office.status('Posted');
    ctx.story.invoiceId = await office.recordId();
  });
  await flow.step('admin dates the invoice two months back (time passes)', async () => {
    await office.button('button_draft');
    await office.status('Draft');
    await office.fillDate('invoice_date', daysAgo(65));
    await office.fillDate('invoice_date_due', daysAgo(65));
    await office.button('action_post');
    await office.status('Posted');
    ctx.story.invoiceName = await office.browser.text('.oe_title h1');
  });
  await flow.step('admin runs the suspension cron by hand', async () => {
    // Scheduled actions live in the developer mode's Technical menu, as for any admin.
    await office.browser.go(`${ctx.stack.odoo.url}/odoo/action-base.ir_cron_act?debug=1`);
    await office.actionLoaded();
    await office.search('suspend for non-payment');
    await office.openRow('suspend for non-payment');
    await office.button('method_direct_trigger');
    await office.browser.gone('.o_blockUI');
    await openSubscription(office, ctx);
    await office.status('Suspended');
  });
  await flow.step('the suspension job turns green', async () => {
    await jobsGreen(office);
  });
  await flow.step('the router cuts the customer and sends plain HTTP to the notice', async () => {
    const web = await lab.web(customer.ip);
    if (web.verdict === 'accept')
      throw new Error(`HTTPS of a suspended customer passes: ${JSON.stringify(web)}`);
    expectVerdict(
      await lab.plainHttp(customer.ip),
      { verdict: 'accept', dstnat: ctx.stack.noticeAddress },
      'plain HTTP of the customer',
    );
  });
  if (!flow.broken) await whileSuspended();
  await flow.step('admin registers the payment of the invoice', async () => {
    await office.browser.go(
      `${ctx.stack.odoo.url}/odoo/action-account.action_move_out_invoice_type/${must(ctx.story.invoiceId, 'the invoice')}`,
    );
    await office.status('Posted');
    await office.button('action_register_payment');
    await office.browser.visible('.modal .o_form_view', 'the payment dialog');
    await office.dialogButton('action_create_payments');
    await office.browser.until('the invoice to read paid', async () => {
      const ribbon = await office.browser.text('.o_form_view .ribbon');
      return /paid|in payment/i.test(ribbon);
    });
  });
  await flow.step('the subscription is reconnected', async () => {
    await openSubscription(office, ctx);
    await office.status('Active');
    await jobsGreen(office);
    expectVerdict(
      await lab.web(customer.ip),
      { verdict: 'accept', limit: setup.plan.limit },
      'HTTPS after the payment',
    );
  });
  await flow.step('admin invoices the next three periods', async () => {
    const subscription = must(ctx.story.subscriptionName, 'the subscription');
    for (let period = 0; period < 3; period++) {
      await office.breadcrumb(subscription);
      await office.button('action_generate_invoice');
      await office.confirm();
      await office.status('Posted');
    }
    const open = await ctx.rpc.searchRead(
      'account.move',
      {
        domain: [
          ['isp_subscription_id', '=', must(ctx.story.subscriptionId, 'the subscription')],
          ['state', '=', 'posted'],
          ['payment_state', '=', 'not_paid'],
        ],
        fields: ['name', 'amount_total'],
        order: 'id',
      },
      z.object({ name: z.string(), amount_total: z.number() }),
    );
    const [first] = open;
    if (open.length !== 3 || first === undefined)
      throw new Error(`expected three open invoices, found ${open.length}`);
    ctx.story.openInvoices = open.map((invoice) => invoice.name);
    ctx.story.transferAmount = first.amount_total.toFixed(2);
  });
}
