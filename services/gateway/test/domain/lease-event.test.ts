import { describe, expect, it } from 'vitest';
import { toLeaseEvent } from '../../src/domain/lease-event';

const at = new Date('2026-11-25T04:00:00.000Z');
const body = {
  mac: 'aa-bb-cc-dd-ee-ff',
  ip: '10.20.0.15',
  bound: true,
  server: 'dhcp-lan',
  hostname: 'ONU-1',
  router: ' edge-1 ',
};

describe('toLeaseEvent', () => {
  it('normalises the MAC and router and stamps the arrival time', () => {
    expect(toLeaseEvent(body, at)).toEqual({
      ok: true,
      event: { ...body, mac: 'AA:BB:CC:DD:EE:FF', router: 'edge-1', receivedAt: '2026-11-25T04:00:00.000Z' },
    });
  });

  it('reads RouterOS’s "1"/"0" as bound/released', () => {
    expect(toLeaseEvent({ ...body, bound: '0' }, at)).toMatchObject({ ok: true, event: { bound: false } });
    expect(toLeaseEvent({ ...body, bound: 1 }, at)).toMatchObject({ ok: true, event: { bound: true } });
  });

  it('defaults a missing server and hostname to empty strings', () => {
    const { server: _s, hostname: _h, ...bare } = body;
    expect(toLeaseEvent(bare, at)).toMatchObject({ ok: true, event: { server: '', hostname: '' } });
  });

  it('refuses a bad MAC or a blank router with a message naming the field', () => {
    expect(toLeaseEvent({ ...body, mac: 'not-a-mac' }, at)).toEqual({
      ok: false,
      message: 'body/mac is not a MAC address',
    });
    expect(toLeaseEvent({ ...body, router: '   ' }, at)).toEqual({
      ok: false,
      message: 'body/router must not be blank',
    });
  });

  it('carries a trimmed serial, and none for an empty one', () => {
    expect(toLeaseEvent({ ...body, serial: ' D4E50A1B2C3F ' }, at)).toMatchObject({
      ok: true,
      event: { serial: 'D4E50A1B2C3F' },
    });
    const empty = toLeaseEvent({ ...body, serial: '  ' }, at);
    expect(empty.ok && 'serial' in empty.event).toBe(false);
    expect(toLeaseEvent({ ...body, serial: 'AB\u0007' }, at)).toEqual({
      ok: false,
      message: 'body/serial must not contain control characters',
    });
  });

  it('refuses control characters and unpaired surrogates, which Postgres could not store', () => {
    expect(toLeaseEvent({ ...body, hostname: 'ONU\u0000' }, at)).toEqual({
      ok: false,
      message: 'body/hostname must not contain control characters',
    });
    expect(toLeaseEvent({ ...body, router: 'edge\uD800' }, at)).toMatchObject({ ok: false });
    expect(toLeaseEvent({ ...body, hostname: 'café 😀' }, at)).toMatchObject({ ok: true });
  });
});
