import { describe, expect, it } from 'vitest';

import { decodeMndp, MNDP_REQUEST } from '../src/mndp';

/** Builds a datagram by hand from the published layout: 4-byte header, then type/length/value. */
function datagram(seq: number, tlvs: readonly (readonly [number, Buffer])[]): Buffer {
  const header = Buffer.from([0, 0, seq >> 8, seq & 0xff]);
  return Buffer.concat([
    header,
    ...tlvs.map(([type, value]) =>
      Buffer.concat([Buffer.from([type >> 8, type & 0xff, value.length >> 8, value.length & 0xff]), value]),
    ),
  ]);
}

const announcement = datagram(0x0102, [
  [1, Buffer.from('48a98a460101', 'hex')],
  [5, Buffer.from('MikroTik')],
  [7, Buffer.from('7.20 (stable) 2026-01-15 10:00:00')],
  [8, Buffer.from('MikroTik')],
  [10, Buffer.from([0x10, 0x0e, 0x00, 0x00])], // 3600 s, little-endian
  [11, Buffer.from('H792-MXJ3')],
  [12, Buffer.from('RBD52G-5HacD2HnD')],
  [14, Buffer.from([0])],
  [15, Buffer.from('fe80000000000000 4aa98afffe460101'.replace(' ', ''), 'hex')],
  [16, Buffer.from('bridge')],
  [17, Buffer.from([192, 168, 88, 1])],
  [99, Buffer.from('future field')],
]);

describe('decodeMndp', () => {
  it('reads every known field of an announcement and skips unknown ones', () => {
    expect(decodeMndp(announcement)).toEqual({
      seq: 0x0102,
      macAddress: '48:A9:8A:46:01:01',
      identity: 'MikroTik',
      version: '7.20 (stable) 2026-01-15 10:00:00',
      platform: 'MikroTik',
      uptimeSeconds: 3600,
      softwareId: 'H792-MXJ3',
      board: 'RBD52G-5HacD2HnD',
      unpack: 0,
      ipv6Address: 'fe80::4aa9:8aff:fe46:101',
      interfaceName: 'bridge',
      ipv4Address: '192.168.88.1',
    });
  });

  it('returns undefined for a discovery request, a truncated TLV or a field of the wrong size', () => {
    expect(decodeMndp(MNDP_REQUEST)).toBeUndefined();
    expect(decodeMndp(announcement.subarray(0, announcement.length - 3))).toBeUndefined();
    expect(decodeMndp(datagram(1, [[1, Buffer.from('48a98a46', 'hex')]]))).toBeUndefined();
    expect(decodeMndp(datagram(1, [[17, Buffer.from([10, 0, 0])]]))).toBeUndefined();
    expect(decodeMndp(Buffer.from('not mndp at all'))).toBeUndefined();
  });

  it('keeps an announcement that leaves fields out', () => {
    expect(decodeMndp(datagram(7, [[5, Buffer.from('rtr-01')]]))).toEqual({ seq: 7, identity: 'rtr-01' });
  });
});
