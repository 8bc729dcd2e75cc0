import { randomUUID } from 'node:crypto';
import { createLogger } from '@isp/logging';
import { odooTestContext } from '@isp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOdooClient, type OdooClient } from '../src/client';
import {
  OdooAccessError,
  OdooAuthError,
  OdooMissingRecordError,
  OdooUserError,
  OdooValidationError,
} from '../src/errors';
import type { OdooProtocol } from '../src/transport';

const ctx = odooTestContext();
const logger = createLogger({ name: 'odoo-client-test', level: 'silent' });
const clients: OdooClient[] = [];

function clientFor(protocol: OdooProtocol, secret = ctx.sidecar.apiKey): OdooClient {
  const client = createOdooClient({
    connection: {
      url: ctx.url,
      db: ctx.db,
      login: ctx.sidecar.login,
      secret,
      protocol,
      timeoutMs: 20_000,
      retries: 0,
    },
    logger,
  });
  clients.push(client);
  return client;
}

// In Odoo 19 an internal user may not create contacts; the tests' partners need "Contact/Creation".
// The admin grants it over XML-RPC with its password, the way an operator would configure the user.
beforeAll(async () => {
  const admin = createOdooClient({
    connection: {
      url: ctx.url,
      db: ctx.db,
      login: ctx.admin.login,
      secret: ctx.admin.password,
      protocol: 'xmlrpc',
    },
    logger,
  });
  clients.push(admin);
  const [group] = await admin.searchRead(
    'ir.model.data',
    {
      domain: [
        ['module', '=', 'base'],
        ['name', '=', 'group_partner_manager'],
      ],
      fields: ['res_id'],
    },
    z.object({ res_id: z.number() }),
  );
  await admin.write('res.users', [ctx.sidecar.uid], { group_ids: [[4, group!.res_id]] });
});

afterAll(() => {
  for (const c of clients) c.close();
});

const partnerRow = z.object({
  id: z.number(),
  name: z.string(),
  parent_id: z.union([z.literal(false), z.tuple([z.number(), z.string()])]),
});

describe.each(['json2', 'xmlrpc'] as const)('OdooClient over %s', (protocol) => {
  const client = clientFor(protocol);

  describe('verify', () => {
    it('accepts the sidecar’s API key', async () => {
      await expect(client.verify()).resolves.toBeUndefined();
    });

    it('refuses a wrong key with OdooAuthError', async () => {
      await expect(clientFor(protocol, 'not-the-key').verify()).rejects.toBeInstanceOf(OdooAuthError);
    });
  });

  describe('searchRead', () => {
    it('returns typed rows', async () => {
      const rows = await client.searchRead(
        'res.users',
        { domain: [['login', '=', ctx.sidecar.login]], fields: ['login'] },
        z.object({ id: z.number(), login: z.string() }),
      );
      expect(rows).toEqual([{ id: ctx.sidecar.uid, login: ctx.sidecar.login }]);
    });
  });

  describe('create and write', () => {
    it('creates records, writes them and reads the change back', async () => {
      const name = `odoo-client ${protocol} ${randomUUID()}`;
      const ids = await client.create('res.partner', [{ name }, { name: `${name} 2` }]);
      expect(ids).toHaveLength(2);
      await client.write('res.partner', [ids[1]!], { parent_id: ids[0] });
      const rows = await client.searchRead(
        'res.partner',
        { domain: [['id', 'in', ids]], fields: ['name', 'parent_id'], order: 'id' },
        partnerRow,
      );
      expect(rows.map((r) => r.name)).toEqual([name, `${name} 2`]);
      expect(rows[1]?.parent_id).toEqual([ids[0], expect.any(String)]);
    });
  });

  describe('callMethod', () => {
    it('turns a returned recordset into ids', async () => {
      const [id] = await client.create('res.partner', [{ name: `copy me ${randomUUID()}` }]);
      const copied = await client.callMethod('res.partner', 'copy', [id!], {}, z.array(z.number()));
      expect(copied).toHaveLength(1);
      expect(copied[0]).not.toBe(id);
    });

    it('reports a method that does not exist as ISP_ERR_ODOO_NOT_FOUND', async () => {
      await expect(
        client.callMethod('res.partner', 'no_such_method', [1], {}, z.unknown()),
      ).rejects.toMatchObject({
        code: 'ISP_ERR_ODOO_NOT_FOUND',
      });
    });
  });

  describe('fault mapping', () => {
    it('maps a ValidationError to a user error carrying Odoo’s message', async () => {
      const [id] = await client.create('res.partner', [{ name: `loop ${randomUUID()}` }]);
      const failure = client.write('res.partner', [id!], { parent_id: id });
      await expect(failure).rejects.toBeInstanceOf(OdooUserError);
      await expect(failure).rejects.toThrow('You cannot create recursive Partner hierarchies.');
      // Only JSON-2 names the exception class; XML-RPC's fault code 2 covers every UserError.
      if (protocol === 'json2') await expect(failure).rejects.toBeInstanceOf(OdooValidationError);
    });

    it('maps a UserError to OdooUserError', async () => {
      const failure = client.callMethod(
        'res.users',
        'change_password',
        undefined,
        { old_passwd: ctx.sidecar.password, new_passwd: '   ' },
        z.unknown(),
      );
      await expect(failure).rejects.toBeInstanceOf(OdooUserError);
      await expect(failure).rejects.toMatchObject({ code: 'ISP_ERR_ODOO_USER_ERROR' });
      await expect(failure).rejects.toThrow('Setting empty passwords is not allowed');
    });

    it('maps an AccessError to OdooAccessError', async () => {
      const failure = client.searchRead('ir.config_parameter', { domain: [], fields: ['key'] }, z.unknown());
      await expect(failure).rejects.toBeInstanceOf(OdooAccessError);
      await expect(failure).rejects.toMatchObject({
        code: 'ISP_ERR_ODOO_ACCESS',
        model: 'ir.config_parameter',
      });
    });

    it('maps a write to a deleted record to a missing-record error', async () => {
      const failure = client.write('res.partner', [2_000_000_000], { name: 'ghost' });
      await expect(failure).rejects.toBeInstanceOf(OdooUserError);
      if (protocol === 'json2') await expect(failure).rejects.toBeInstanceOf(OdooMissingRecordError);
    });
  });
});
