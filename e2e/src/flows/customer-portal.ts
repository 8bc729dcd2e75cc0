import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { By } from 'selenium-webdriver';
import { z } from 'zod';
import type { Browser } from '../browser';
import { Portal } from '../pages/portal';
import type { StepRunner } from '../steps';
import { must, type FlowContext } from './context';

const SIGNUP_LINK = /href="([^"]*\/web\/(?:signup|reset_password|login)\?[^"]*token=[^"]*)"/;

/**
 * The link of the portal invitation Odoo mailed the customer (no mail server here: the message
 * waits in Odoo's outgoing queue), on this stack's Odoo address.
 */
async function invitationLink(ctx: FlowContext): Promise<string> {
  const [partner] = await ctx.rpc.searchRead(
    'res.partner',
    { domain: [['email', '=', ctx.customer.email]], fields: ['id'] },
    z.object({ id: z.number() }),
  );
  if (partner === undefined) throw new Error(`no customer ${ctx.customer.email}`);
  const mails = await ctx.rpc.searchRead(
    'mail.mail',
    { domain: [['recipient_ids', 'in', [partner.id]]], fields: ['body_html'], order: 'id desc' },
    z.object({ body_html: z.union([z.string(), z.literal(false)]) }),
  );
  for (const mail of mails) {
    const href = SIGNUP_LINK.exec(mail.body_html || '')?.[1];
    if (href !== undefined) {
      const link = new URL(href.replaceAll('&amp;', '&'));
      return `${ctx.stack.odoo.url}${link.pathname}${link.search}`;
    }
  }
  throw new Error(`no invitation with a sign-up link among ${mails.length} mails to ${ctx.customer.email}`);
}

/** The customer, at a desktop: sign-up from the invitation, the dashboard, every self-service form, online payment. */
export async function customerPortal(runner: StepRunner, ctx: FlowContext, browser: Browser): Promise<void> {
  const portal = new Portal(browser, ctx.stack.odoo.url);
  const flow = runner.flow('customer portal', browser);
  const { customer, setup } = ctx;

  await flow.step('customer follows the invitation and chooses a password', async () => {
    await portal.acceptInvitation(await invitationLink(ctx), customer.password);
  });
  await flow.step('customer opens My Internet', async () => {
    await portal.openMyInternet();
    await browser.withText('.o_isp_card .o_isp_state', 'Connected', 'the service shown connected');
  });
  await flow.step('customer opens the service page', async () => {
    await portal.openService();
    await browser.withText('.o_isp_service_page', setup.plan.name, 'the plan on the service page');
  });
  await flow.step('customer asks for a faster plan', async () => {
    await browser.click('a.o_isp_action_plan_change', 'Change plan');
    await browser.visible('form.o_isp_plan_change_form', 'the plan change form');
    await portal.check(setup.biggerPlan.name);
    await portal.submit('form.o_isp_plan_change_form');
    await browser.withText('main', setup.biggerPlan.name, 'the requested plan');
    await browser.until('the request page', async () =>
      (await browser.driver.getCurrentUrl()).includes('/my/isp/plan/requests/'),
    );
  });
  await flow.step('customer reports a bank transfer with a photo of the receipt', async () => {
    await browser.go(
      `${ctx.stack.odoo.url}/my/isp/service/${must(ctx.story.subscriptionId, 'the subscription')}`,
    );
    await browser.click('a.o_isp_action_transfer', 'Report a bank transfer');
    await browser.visible('#isp_transfer_bank', 'the transfer form');
    const invoice = must(ctx.story.openInvoices?.[0], 'the invoice paid by transfer');
    await portal.check(invoice);
    await browser.type('#isp_transfer_bank', 'Banco Popular', 'the bank');
    await browser.type('#isp_transfer_reference', `TRX-${customer.password}`, 'the reference');
    await browser.type('#isp_transfer_amount', must(ctx.story.transferAmount, 'the amount'), 'the amount');
    // The receipt: a photo of the bank's slip (any picture of this run is unique, as Odoo demands).
    const receipt = join(ctx.stack.workDir, `receipt-${customer.password}.png`);
    writeFileSync(receipt, await browser.screenshot(), 'base64');
    await (await browser.visible('#isp_transfer_receipt', 'the receipt upload')).sendKeys(receipt);
    await browser.click('#isp_transfer_submit', 'Report the transfer');
    await browser.until('the transfer page', async () =>
      /\/my\/isp\/payments\/transfer\/\d+/.test(await browser.driver.getCurrentUrl()),
    );
  });
  await flow.step('customer reports a fault', async () => {
    await browser.go(
      `${ctx.stack.odoo.url}/my/isp/service/${must(ctx.story.subscriptionId, 'the subscription')}`,
    );
    await browser.click('a.o_isp_action_fault', 'Report a fault');
    await browser.visible('#isp_fault_description', 'the fault form');
    await browser.type(
      '#isp_fault_description',
      'The connection drops every evening around 8 pm.',
      'the description',
    );
    await portal.submit('form[action="/my/isp/faults/new"]');
    await browser.until(
      'the ticket page',
      async () =>
        /\/my\/isp\/faults\/[^/]+$/.test(await browser.driver.getCurrentUrl()) &&
        !(await browser.driver.getCurrentUrl()).endsWith('/new'),
    );
  });
  await flow.step("customer pays an invoice online from Odoo's invoice list (demo provider)", async () => {
    await browser.go(`${ctx.stack.odoo.url}/my`);
    await browser.click('a[href^="/my/invoices"]', 'the Invoices entry of the portal home');
    const invoice = must(ctx.story.openInvoices?.[1], 'the second open invoice');
    await browser.click(`a[title="${invoice}"]`, `invoice ${invoice} in the list`);
    await payOnline(portal);
  });
  await flow.step('the Pay button of My Internet opens an invoice that can be paid online', async () => {
    await portal.openMyInternet();
    const invoice = must(ctx.story.openInvoices?.[2], 'the third open invoice');
    const row = await browser.withText(
      '.o_isp_latest_invoices li',
      invoice,
      `invoice ${invoice} on the dashboard`,
    );
    await browser.clickElement(await row.findElement(By.css('a.o_isp_invoice_pay')));
    await payOnline(portal);
  });
}

/** From an invoice's portal page: Pay Now, the demo card, Pay; waits for Odoo to confirm the payment. */
async function payOnline(portal: Portal): Promise<void> {
  const { browser } = portal;
  await browser.urlContains('/my/invoices/');
  await browser.clickText('a, button', 'Pay Now', 'Pay Now');
  await browser.type('input[name="customer_input"]', '4242424242424242', 'the demo card number');
  await browser.click('button[name="o_payment_submit_button"]', 'Pay');
  await browser.until('Odoo to confirm the payment', async () => {
    const body = await browser.text('body');
    const failed = body.indexOf('Payment processing failed');
    if (failed >= 0) throw new Error(body.slice(failed, failed + 300).replace(/\s+/g, ' '));
    return /has been processed|\bPaid\b/.test(body) && !(await browser.isDisplayed('#pay_with'));
  });
}
