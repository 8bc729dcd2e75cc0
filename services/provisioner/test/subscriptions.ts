import type { ProvisioningSubscription } from '../src/adapters/provisioner-odoo';
import type { FakeOdoo } from './fake-odoo';

/**
 * Makes active static-DHCP subscriptions on router 1 and registers them in the fake Odoo, each with
 * its own id, name `SUB/<tag>/0001…`, MAC `02:00:00:00:<net>:…` and address `10.<net>.0.<id>`: a test
 * file passes the loopback block it owns as `net`, so its objects are told apart on any router.
 */
export function subscriptionMaker(
  odoo: FakeOdoo,
  options: { readonly tag: string; readonly net: number },
): (values?: Partial<ProvisioningSubscription>) => ProvisioningSubscription {
  let next = 1;
  return (values = {}) => {
    const id = next++;
    const address = `10.${String(options.net)}.0.${String(id)}`;
    const sub: ProvisioningSubscription = {
      id,
      deviceId: 1,
      name: `SUB/${options.tag}/${String(id).padStart(4, '0')}`,
      state: 'active',
      authMethod: 'dhcp',
      dhcpMode: 'static',
      serviceMac: `02:00:00:00:${String(options.net)}:${id.toString(16).padStart(2, '0').toUpperCase()}`,
      serviceIp: address,
      clientAddress: address,
      pppoeUsername: undefined,
      pppoePassword: undefined,
      plan: { upMbps: 5, downMbps: 20 },
      ...values,
    };
    odoo.subs.set(id, sub);
    return sub;
  };
}
