/** What the provisioner needs to know of one subscription to compute its router objects. */
export interface SubscriptionSnapshot {
  /** The subscription's name (its sequence, e.g. `SUB/2026/00042`): the owner tag on the router. */
  readonly name: string;
  readonly state: 'draft' | 'active' | 'suspended' | 'terminated';
  readonly authMethod: 'dhcp' | 'pppoe';
  readonly dhcpMode: 'dynamic' | 'static';
  readonly serviceMac?: string | undefined;
  /** The pinned address (static DHCP, PPPoE remote address), when there is one. */
  readonly serviceIp?: string | undefined;
  /** Where the customer is now: the pinned address, else the address of its latest bound lease. */
  readonly clientAddress?: string | undefined;
  readonly pppoeUsername?: string | undefined;
  readonly pppoePassword?: string | undefined;
  readonly plan: { readonly upMbps: number; readonly downMbps: number };
  /** The router the subscription is on (Odoo's `device_id`). */
  readonly deviceId?: number | undefined;
}
