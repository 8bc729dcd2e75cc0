import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';

const env = {
  ISP_MAC_TOKEN: 'mac-token-0123456789',
  ISP_SIDECAR_TOKEN: 'sidecar-token-0123456789',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/isp',
  ODOO_URL: 'http://127.0.0.1:8069',
  ODOO_DB: 'isp',
  ODOO_USER: 'isp_sidecar',
  ODOO_API_KEY: 'key',
};

function configError(input: Record<string, string>): string {
  try {
    loadConfig(input);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('loadConfig accepted an invalid environment');
}

describe('loadConfig', () => {
  it('reads the contract’s variables with defaults, frozen', () => {
    const config = loadConfig(env);
    expect(config).toMatchObject({
      port: 8088,
      macToken: env.ISP_MAC_TOKEN,
      rateLimitPerMinute: 600,
      logLevel: 'info',
    });
    expect(config.odoo).toMatchObject({ protocol: 'json2', db: 'isp' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every problem in one error', () => {
    const { ISP_MAC_TOKEN: _m, ...rest } = env;
    const message = configError({ ...rest, GATEWAY_PORT: 'eighty' });
    expect(message).toContain('GATEWAY_PORT');
    expect(message).toContain('ISP_MAC_TOKEN');
  });

  it('runs the suspension notice server only with both its URL and port, and an http(s) URL', () => {
    expect(loadConfig(env).notice).toBeUndefined();
    expect(loadConfig({ ...env, GATEWAY_NOTICE_URL: '', GATEWAY_NOTICE_PORT: '' }).notice).toBeUndefined();
    const url = 'https://portal.example.net/isp/suspended';
    expect(loadConfig({ ...env, GATEWAY_NOTICE_URL: url, GATEWAY_NOTICE_PORT: '8080' }).notice).toEqual({
      url,
      port: 8080,
    });
    expect(configError({ ...env, GATEWAY_NOTICE_URL: url })).toContain('go together');
    expect(configError({ ...env, GATEWAY_NOTICE_URL: 'ftp://x/y', GATEWAY_NOTICE_PORT: '8080' })).toContain(
      'GATEWAY_NOTICE_URL',
    );
  });

  it('refuses the same token for routers and Odoo', () => {
    expect(() => loadConfig({ ...env, ISP_SIDECAR_TOKEN: env.ISP_MAC_TOKEN })).toThrow(/must differ/);
  });

  it('never puts a secret in the error message', () => {
    const message = configError({ ...env, ISP_SIDECAR_TOKEN: env.ISP_MAC_TOKEN, DATABASE_URL: 'mysql://x' });
    expect(message).toContain('DATABASE_URL');
    expect(message).not.toContain(env.ISP_MAC_TOKEN);
  });
});
