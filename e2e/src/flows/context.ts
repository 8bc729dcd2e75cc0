import type { OdooClient } from '@isp/odoo-client';
import type { LabControl } from '../lab-control';
import type { E2eStack } from '../stack';

/** The customer the flows follow, unique per run. */
export interface Customer {
  readonly name: string;
  readonly email: string;
  readonly password: string;
  readonly mac: string;
  readonly ip: string;
}

/** The ISP's own set-up before the story starts (an operator did it once): names the flows pick. */
export interface Setup {
  readonly sector: string;
  readonly router: string;
  readonly plan: { readonly name: string; readonly limit: string };
  readonly biggerPlan: { readonly name: string; readonly limit: string };
}

/** What one flow learns and the next ones need. */
export interface Story {
  subscriptionId?: number;
  subscriptionName?: string;
  invoiceId?: number;
  invoiceName?: string;
  /** Open invoices, oldest first: paid by bank transfer, online from Odoo's list, online from My Internet. */
  openInvoices?: readonly string[];
  /** The amount of the first, as the customer types it. */
  transferAmount?: string;
}

export interface FlowContext {
  readonly stack: E2eStack;
  readonly rpc: OdooClient;
  readonly lab: LabControl;
  readonly customer: Customer;
  readonly setup: Setup;
  readonly story: Story;
}

export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is unknown: an earlier flow did not get that far`);
  return value;
}

/** A date `days` before today (UTC). */
export const daysAgo = (days: number): Date => new Date(Date.now() - days * 86_400_000);
