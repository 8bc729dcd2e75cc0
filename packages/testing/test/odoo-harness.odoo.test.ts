import { describe, expect, it } from 'vitest';
import { odooTestContext } from '../src/index';

describe('Odoo test harness', () => {
  const ctx = odooTestContext();

  it('serves a healthy Odoo 19 on loopback', async () => {
    expect(new URL(ctx.url).hostname).toBe('127.0.0.1');
    const res = await fetch(`${ctx.url}/web/health`);
    expect(res.status).toBe(200);
  });

  it('gives the sidecar user an API key that JSON-2 accepts', async () => {
    const res = await fetch(`${ctx.url}/json/2/res.users/search_read`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${ctx.sidecar.apiKey}`,
        'Content-Type': 'application/json',
        'X-Odoo-Database': ctx.db,
      },
      body: JSON.stringify({ domain: [['login', '=', ctx.sidecar.login]], fields: ['id', 'login'] }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ id: ctx.sidecar.uid, login: ctx.sidecar.login }]);
  });

  it('refuses a wrong API key', async () => {
    const res = await fetch(`${ctx.url}/json/2/res.users/search_read`, {
      method: 'POST',
      headers: {
        Authorization: 'Bearer not-a-key',
        'Content-Type': 'application/json',
        'X-Odoo-Database': ctx.db,
      },
      body: JSON.stringify({ domain: [], fields: ['id'] }),
    });
    expect(res.status).toBe(401);
  });
});
