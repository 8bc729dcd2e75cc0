import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { OdooClient } from '@isp/odoo-client';
import type { OdooCommand } from '@isp/testing';
import { Browser, DESKTOP, PHONE, type WindowSize } from './browser';
import { adminLifecycle } from './flows/admin-lifecycle';
import { adminReview } from './flows/admin-review';
import { customerPhone } from './flows/customer-phone';
import { customerPortal } from './flows/customer-portal';
import type { Customer, FlowContext, Setup } from './flows/context';
import { LabControl } from './lab-control';
import { startStack } from './stack';
import { StepRunner, type StepOutcome } from './steps';

export const ARTIFACTS_DIR = resolve(import.meta.dirname, '../../.e2e-artifacts');

export interface SuiteResult {
  readonly outcomes: readonly StepOutcome[];
  readonly seconds: number;
}

/** The ISP's configuration the story starts from: a sector, the lab's router and two plans. */
async function configureIsp(
  rpc: OdooClient,
  router: { address: string; port: number },
  tag: string,
): Promise<Setup> {
  const setup: Setup = {
    sector: `North ${tag}`,
    router: `lab-router-${tag}`,
    plan: { name: `Home 20/5 ${tag}`, limit: '5M/20M' },
    biggerPlan: { name: `Home 100/20 ${tag}`, limit: '20M/100M' },
  };
  const [sectorId] = (await rpc.create('isp.sector', [{ name: setup.sector, code: `SEC-E2E-${tag}` }])) as [
    number,
  ];
  await rpc.create('isp.device', [
    {
      name: setup.router,
      sector_id: sectorId,
      mgmt_ip: router.address,
      api_port: router.port,
      api_user: 'admin',
      identity: 'MikroTik',
    },
  ]);
  await rpc.create('isp.service_plan', [
    { name: setup.plan.name, down_mbps: 20, up_mbps: 5, price: 25 },
    { name: setup.biggerPlan.name, down_mbps: 100, up_mbps: 20, price: 70 },
  ]);
  return setup;
}

/** A customer of its own per run (MAC and address from the run's tag: a reused database already has others). */
function newCustomer(tag: string): Customer {
  const bytes = tag.match(/../g) ?? [];
  const [b1 = 0, b2 = 0] = bytes.slice(1).map((b) => Number.parseInt(b, 16));
  return {
    name: `Ana Reyes ${tag}`,
    email: `ana.${tag}@example.com`,
    password: `portal-${tag}-pw`,
    mac: `AA:BB:CC:${bytes.map((b) => b.toUpperCase()).join(':')}`,
    ip: `10.80.${b1}.${1 + (b2 % 254)}`,
  };
}

async function withBrowser(size: WindowSize, use: (browser: Browser) => Promise<void>): Promise<void> {
  const browser = await Browser.open(size);
  try {
    await use(browser);
  } finally {
    await browser.close();
  }
}

/** While suspended, the customer's phone asks for any plain-HTTP site: the router sends it to the notice. */
function suspendedNotice(runner: StepRunner, noticeAddress: string): Promise<void> {
  return withBrowser(PHONE, async (phone) => {
    const flow = runner.flow('customer while suspended', phone);
    await flow.step('a plain-HTTP page lands on the suspension notice', async () => {
      await phone.go(`http://${noticeAddress}/any/page`);
      await phone.urlContains('/isp/suspended');
      await phone.withText('main', 'suspended', 'the notice text');
    });
  });
}

/**
 * The whole browser suite: starts the stack, plays the flows in one headless Chromium per person
 * (admin at a desktop, the customer at a desktop and on a phone), stops everything.
 */
export async function runSuite(
  odoo: OdooCommand,
  options: { readonly keep: boolean; readonly log: (line: string) => void },
): Promise<SuiteResult> {
  const started = performance.now();
  const { log } = options;
  rmSync(ARTIFACTS_DIR, { recursive: true, force: true });
  const runner = new StepRunner(ARTIFACTS_DIR, log);
  const stack = await startStack(odoo, log);
  let failed = true;
  try {
    const tag = randomBytes(3).toString('hex');
    const ctx: FlowContext = {
      stack,
      rpc: stack.rpc,
      lab: new LabControl(stack.controlUrl, stack.router.address),
      customer: newCustomer(tag),
      setup: await configureIsp(stack.rpc, stack.router, tag),
      story: {},
    };
    const admin = await Browser.open(DESKTOP);
    try {
      log('▸ admin in the back office');
      await adminLifecycle(runner, ctx, admin, () => suspendedNotice(runner, stack.noticeAddress));
      log('▸ customer in the portal');
      await withBrowser(DESKTOP, (desktop) => customerPortal(runner, ctx, desktop));
      log('▸ customer on a phone');
      await withBrowser(PHONE, (phone) => customerPhone(runner, ctx, phone));
      log('▸ admin reviews');
      await adminReview(runner, ctx, admin);
    } finally {
      await admin.close();
    }
    failed = runner.outcomes.some((o) => o.status !== 'passed');
  } finally {
    const keep = options.keep || failed;
    if (keep) log(`keeping Odoo's database ${stack.odoo.db} and its logs in ${stack.workDir}`);
    await stack.stop({ keep });
  }
  return { outcomes: runner.outcomes, seconds: (performance.now() - started) / 1000 };
}
