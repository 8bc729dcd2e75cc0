import { Writable } from 'node:stream';
import { createLogger } from '@isp/logging';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOdooClient } from '../src/client';
import { OdooError, OdooUserError } from '../src/errors';
import type { RetryClock } from '../src/retry';
import type { OdooCall, OdooTransport } from '../src/transport';

const SECRET = 'super-secret-api-key-0123456789';

class FakeTransport implements OdooTransport {
  readonly protocol = 'json2';
  readonly calls: OdooCall[] = [];
  constructor(private readonly answer: (call: OdooCall, signal: AbortSignal) => Promise<unknown>) {}
  execute(call: OdooCall, signal: AbortSignal): Promise<unknown> {
    this.calls.push(call);
    return this.answer(call, signal);
  }
  verify(signal: AbortSignal): Promise<void> {
    return this.answer({ model: 'res.users', method: 'context_get' }, signal).then(() => undefined);
  }
  close(): void {}
}

const instantClock: RetryClock = { random: () => 0.5, sleep: () => Promise.resolve() };

function setup(answer: (call: OdooCall, signal: AbortSignal) => Promise<unknown>, timeoutMs = 5_000) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const transport = new FakeTransport(answer);
  const client = createOdooClient({
    connection: {
      url: 'http://127.0.0.1:8069',
      db: 'isp',
      login: 'isp_sidecar',
      secret: SECRET,
      protocol: 'json2',
      timeoutMs,
    },
    logger: createLogger({ name: 'test', level: 'debug', destination }),
    transport,
    clock: instantClock,
  });
  return { client, transport, lines };
}

describe('createOdooClient', () => {
  describe('searchRead', () => {
    it('sends JSON-2 named arguments and returns validated rows', async () => {
      const { client, transport } = setup(() => Promise.resolve([{ id: 3, name: 'Ana' }]));
      const rows = await client.searchRead(
        'res.partner',
        { domain: [['name', '=', 'Ana']], fields: ['name'], limit: 5 },
        z.object({ id: z.number(), name: z.string() }),
      );
      expect(rows).toEqual([{ id: 3, name: 'Ana' }]);
      expect(transport.calls[0]).toMatchObject({
        model: 'res.partner',
        method: 'search_read',
        params: { domain: [['name', '=', 'Ana']], fields: ['name'], limit: 5 },
      });
    });

    it('rejects a result that does not match the schema with ISP_ERR_ODOO_BAD_RESPONSE', async () => {
      const { client } = setup(() => Promise.resolve([{ id: 'three' }]));
      await expect(
        client.searchRead('res.partner', { domain: [], fields: ['id'] }, z.object({ id: z.number() })),
      ).rejects.toMatchObject({
        code: 'ISP_ERR_ODOO_BAD_RESPONSE',
      });
    });
  });

  describe('create', () => {
    it('returns the new ids', async () => {
      const { client, transport } = setup(() => Promise.resolve([7, 8]));
      expect(await client.create('res.partner', [{ name: 'a' }, { name: 'b' }])).toEqual([7, 8]);
      expect(transport.calls[0]?.params).toEqual({ vals_list: [{ name: 'a' }, { name: 'b' }] });
    });
  });

  describe('write', () => {
    it('passes ids and vals', async () => {
      const { client, transport } = setup(() => Promise.resolve(true));
      await client.write('res.partner', [7], { name: 'c' });
      expect(transport.calls[0]).toMatchObject({
        method: 'write',
        ids: [7],
        params: { vals: { name: 'c' } },
      });
    });
  });

  describe('call', () => {
    it('retries a network error and then succeeds', async () => {
      let n = 0;
      const { client, transport, lines } = setup(() =>
        ++n === 1 ? Promise.reject(new OdooError('ISP_ERR_ODOO_NETWORK')) : Promise.resolve(42),
      );
      expect(await client.call({ model: 'x.y', method: 'm' }, z.number())).toBe(42);
      expect(transport.calls).toHaveLength(2);
      expect(lines.some((l) => l.includes('retrying'))).toBe(true);
    });

    it('does not retry a fault and surfaces Odoo’s message', async () => {
      const { client, transport } = setup(() =>
        Promise.reject(new OdooUserError({ message: 'Wrong state' })),
      );
      await expect(client.call({ model: 'x.y', method: 'm' }, z.unknown())).rejects.toThrow('Wrong state');
      expect(transport.calls).toHaveLength(1);
    });

    it('aborts a call that outlives its timeout with ISP_ERR_ODOO_TIMEOUT', async () => {
      const { client } = setup(
        (_call, signal) =>
          new Promise((_resolve, reject) => {
            signal.addEventListener('abort', () => {
              reject(signal.reason as Error);
            });
          }),
        20,
      );
      await expect(client.call({ model: 'x.y', method: 'm' }, z.unknown())).rejects.toMatchObject({
        code: 'ISP_ERR_ODOO_TIMEOUT',
      });
    });

    it('never logs the secret or the call’s values', async () => {
      let n = 0;
      const { client, lines } = setup(() =>
        ++n === 1
          ? Promise.reject(new OdooError('ISP_ERR_ODOO_NETWORK'))
          : Promise.reject(new OdooUserError()),
      );
      await expect(
        client.call(
          { model: 'res.users', method: 'write', ids: [1], params: { vals: { password: 'hunter2-value' } } },
          z.unknown(),
        ),
      ).rejects.toBeInstanceOf(OdooUserError);
      const log = lines.join('');
      expect(log).toContain('res.users');
      expect(log).not.toContain(SECRET);
      expect(log).not.toContain('hunter2-value');
    });
  });

  it('refuses an invalid connection with ISP_ERR_ODOO_CONFIG', () => {
    expect(() =>
      createOdooClient({
        connection: { url: 'ftp://x', db: 'd', login: 'l', secret: 's', protocol: 'json2' },
        logger: createLogger({ name: 'test', level: 'silent' }),
      }),
    ).toThrow(expect.objectContaining({ code: 'ISP_ERR_ODOO_CONFIG' }) as Error);
  });
});
