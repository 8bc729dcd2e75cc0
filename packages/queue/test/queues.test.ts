import { describe, expect, it } from 'vitest';
import { QueueError } from '../src/errors';
import { parsePayload } from '../src/queue-definition';
import { dhcpLeaseQueue, isSafeText } from '../src/queues/dhcp-lease.queue';
import { provisioningJobQueue } from '../src/queues/provisioning-job.queue';

const event = {
  mac: 'AA:BB:CC:DD:EE:FF',
  ip: '10.20.0.15',
  bound: true,
  server: 'dhcp-lan',
  hostname: 'ONU-1',
  router: 'edge-1',
  receivedAt: '2026-11-25T04:00:00.000Z',
};

describe('dhcpLeaseQueue', () => {
  describe('sendOptions', () => {
    it('keys deduplication by mac, bound state and ip within a window', () => {
      expect(dhcpLeaseQueue.sendOptions(event)).toEqual({
        singletonKey: 'AA:BB:CC:DD:EE:FF|bound|10.20.0.15',
        singletonSeconds: 60,
      });
      expect(dhcpLeaseQueue.sendOptions({ ...event, bound: false }).singletonKey).toBe(
        'AA:BB:CC:DD:EE:FF|released|10.20.0.15',
      );
    });

    it('ignores the router, hostname and arrival time', () => {
      const other = { ...event, router: 'edge-2', hostname: 'x', receivedAt: '2026-11-25T04:00:30.000Z' };
      expect(dhcpLeaseQueue.sendOptions(other)).toEqual(dhcpLeaseQueue.sendOptions(event));
    });
  });

  describe('schema', () => {
    it('accepts only the normalised MAC form and an IPv4 address', () => {
      expect(() => parsePayload(dhcpLeaseQueue, event)).not.toThrow();
      expect(() => parsePayload(dhcpLeaseQueue, { ...event, mac: 'aa:bb:cc:dd:ee:ff' })).toThrow(QueueError);
      expect(() => parsePayload(dhcpLeaseQueue, { ...event, ip: '10.20.0.256' })).toThrow(/ip/);
    });
  });
});

describe('provisioningJobQueue', () => {
  describe('sendOptions', () => {
    it('keys the job by its Odoo id', () => {
      expect(provisioningJobQueue.sendOptions({ odooJobId: 7, source: 'sweeper' })).toEqual({
        singletonKey: '7',
      });
    });
  });

  describe('schema', () => {
    it('refuses a non-positive or fractional job id', () => {
      for (const odooJobId of [0, -1, 1.5]) {
        expect(() => parsePayload(provisioningJobQueue, { odooJobId, source: 'notify' })).toThrow(
          /odooJobId/,
        );
      }
    });

    it('reads a message of an older sidecar, dropping the keys it no longer carries', () => {
      expect(
        parsePayload(provisioningJobQueue, {
          odooJobId: 9,
          source: 'notify',
          enqueuedAt: '2026-11-24T10:00:00.000Z',
        }),
      ).toEqual({ odooJobId: 9, source: 'notify' });
    });
  });
});

describe('isSafeText', () => {
  it('accepts printable text in any script', () => {
    expect(['', 'ONU-1', 'café', '😀', 'Los Cacaos'].every(isSafeText)).toBe(true);
  });

  it('refuses control characters and unpaired surrogates', () => {
    expect(['a\u0000', 'tab\t', 'del\u007f', '\uD800', 'x\uDC00y'].some(isSafeText)).toBe(false);
  });
});
