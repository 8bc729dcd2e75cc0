import { describe, expect, it } from 'vitest';
import { odooConnectionFromEnv } from '../src/config';

const base = { ODOO_URL: 'http://127.0.0.1:8069/', ODOO_DB: 'isp', ODOO_USER: 'isp_sidecar' };

describe('odooConnectionFromEnv', () => {
  it('reads the contract’s variables and defaults to json2', () => {
    const c = odooConnectionFromEnv({ ...base, ODOO_API_KEY: 'k' });
    expect(c).toMatchObject({
      url: 'http://127.0.0.1:8069',
      db: 'isp',
      login: 'isp_sidecar',
      secret: 'k',
      protocol: 'json2',
    });
    expect(c.timeoutMs).toBe(30_000);
  });

  it('accepts a password for xmlrpc', () => {
    expect(odooConnectionFromEnv({ ...base, ODOO_PASSWORD: 'p', ODOO_PROTOCOL: 'xmlrpc' }).secret).toBe('p');
  });

  it('refuses json2 without an API key, naming the variable', () => {
    expect(() => odooConnectionFromEnv({ ...base, ODOO_PASSWORD: 'p' })).toThrow(/ODOO_API_KEY/);
  });

  it('refuses an unknown protocol', () => {
    expect(() => odooConnectionFromEnv({ ...base, ODOO_API_KEY: 'k', ODOO_PROTOCOL: 'soap' })).toThrow(
      /ODOO_PROTOCOL/,
    );
  });
});
