import { describe, expect, it } from 'vitest';
import { coalesceLeases } from '../../src/jobs/dhcp-lease.job';

const event = (mac: string, second: number, bound: boolean) => ({
  mac,
  ip: '10.0.0.1',
  bound,
  server: 'dhcp-lan',
  hostname: 'ONU',
  router: 'rtr-1',
  receivedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
});

describe(coalesceLeases.name, () => {
  it('keeps the latest event per MAC, whatever the arrival order', () => {
    const leases = coalesceLeases([
      event('AA:00:00:00:00:01', 5, false),
      event('AA:00:00:00:00:01', 9, true),
      event('AA:00:00:00:00:02', 1, true),
      event('AA:00:00:00:00:01', 3, false),
    ]);
    expect(leases).toEqual([
      {
        mac: 'AA:00:00:00:00:01',
        ip: '10.0.0.1',
        bound: true,
        server: 'dhcp-lan',
        hostname: 'ONU',
        router: 'rtr-1',
      },
      {
        mac: 'AA:00:00:00:00:02',
        ip: '10.0.0.1',
        bound: true,
        server: 'dhcp-lan',
        hostname: 'ONU',
        router: 'rtr-1',
      },
    ]);
  });

  it('passes the router’s serial on to Odoo when the event has one', () => {
    const [lease] = coalesceLeases([{ ...event('AA:00:00:00:00:03', 1, true), serial: 'D4E50A1B2C3F' }]);
    expect(lease).toMatchObject({ router: 'rtr-1', serial: 'D4E50A1B2C3F' });
  });
});
