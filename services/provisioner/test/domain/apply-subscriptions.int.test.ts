import { RouterClient, type PrintOptions, type Row } from '@isp/routeros';
import { startLab, type Lab } from '@isp/routeros-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvisioningSubscription } from '../../src/adapters/provisioner-odoo';
import { applySubscriptions } from '../../src/domain/apply-subscriptions';

// This file owns 127.0.46.x.
let lab: Lab;

/** A client that counts the rows the router sent back. */
class CountingClient extends RouterClient {
  rowsRead = 0;

  override async print(menu: string, options: PrintOptions = {}): Promise<readonly Row[]> {
    const rows = await super.print(menu, options);
    this.rowsRead += rows.length;
    return rows;
  }
}

function subscription(id: number): ProvisioningSubscription {
  return {
    id,
    deviceId: 1,
    name: `SUB/A/${id}`,
    state: 'active',
    authMethod: 'dhcp',
    dhcpMode: 'static',
    serviceMac: `02:00:00:00:46:0${id}`,
    serviceIp: `10.46.0.${id}`,
    clientAddress: `10.46.0.${id}`,
    pppoeUsername: undefined,
    pppoePassword: undefined,
    plan: { upMbps: 5, downMbps: 20 },
  };
}

function client(): CountingClient {
  const router = lab.routers[0];
  if (router === undefined) throw new Error('no router');
  return new CountingClient({ host: router.address, port: router.port, user: 'admin', password: '' });
}

const owned = (menu: string, name: string): Record<string, string>[] =>
  lab
    .control(0)
    .rows(menu)
    .filter((row) => row['comment'] === `isp:${name}`);

beforeAll(async () => {
  lab = await startLab({ host: '127.0.46.1', port: 0 });
});

afterAll(async () => {
  await lab.close();
});

describe(applySubscriptions.name, () => {
  it("reads only the given subscriptions' objects, repairs them and leaves every other object alone", async () => {
    const subs = [1, 2, 3, 4].map(subscription);
    const setup = client();
    await applySubscriptions(setup, subs, { scope: 'subscriptions', dryRun: false });
    // A duplicate of subscription 1's lease, a queue edited behind the system's back, and an
    // object of the NOC.
    await setup.add('/ip/dhcp-server/lease', {
      'mac-address': '02:00:00:00:46:09',
      address: '10.46.0.9',
      comment: 'isp:SUB/A/1',
    });
    const [queue] = owned('/queue/simple', 'SUB/A/1');
    await setup.set('/queue/simple', queue?.['.id'], { 'max-limit': '1M/1M' });
    await setup.add('/queue/simple', { name: 'noc-q', target: '10.46.9.9', comment: 'manual by the NOC' });
    await setup.close();
    const before = lab.control(0).changes.length;

    const reader = client();
    const outcome = await applySubscriptions(reader, [subscription(1)], {
      scope: 'subscriptions',
      dryRun: false,
    });
    await reader.close();

    // Two leases and one queue came back, not the whole router.
    expect(reader.rowsRead).toBe(3);
    expect(outcome.bySubscription.get(1)).toMatchObject({ changes: 2, failures: [] });
    expect(owned('/ip/dhcp-server/lease', 'SUB/A/1')).toMatchObject([{ 'mac-address': '02:00:00:00:46:01' }]);
    expect(owned('/queue/simple', 'SUB/A/1')).toMatchObject([{ 'max-limit': '5000000/20000000' }]);
    expect(lab.control(0).changes.slice(before)).toHaveLength(2);
    for (const other of ['SUB/A/2', 'SUB/A/3', 'SUB/A/4'])
      expect(owned('/queue/simple', other)).toHaveLength(1);
    expect(
      lab
        .control(0)
        .rows('/queue/simple')
        .some((row) => row['name'] === 'noc-q'),
    ).toBe(true);
  });
});
