import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { leaseScript } from '../src/lease-script';

describe('leaseScript', () => {
  it('posts to <gateway>/v1/dhcp/lease with the token, checking the certificate by default', () => {
    const script = leaseScript({ gatewayUrl: 'https://gw.example.net/', token: 'abc123' });
    expect(script).toContain('url="https://gw.example.net/v1/dhcp/lease"');
    expect(script).toContain('check-certificate=yes');
    expect(script).toContain('Authorization: Bearer abc123"');
    expect(script).toContain(':local serial ""\n');
    expect(script).toContain(String.raw`"\",\"serial\":\"" . $serial . "\"}")`);
  });

  it('reads the serial through :parse inside :do on-error, so a CHR runs the script with an empty serial', () => {
    const lines = leaseScript({ gatewayUrl: 'https://gw.example.net', token: 't' }).split('\n');
    // No plain [/system routerboard …]: RouterOS would refuse the whole script on a CHR.
    expect(lines.filter((line) => line.includes('/system routerboard'))).toEqual([
      ':do { :local readSerial [:parse ":return [/system routerboard get serial-number]"]; :set serial [$readSerial] } on-error={}',
    ]);
    expect(lines.indexOf(':local serial ""')).toBeLessThan(lines.findIndex((l) => l.startsWith(':do')));
  });

  it('is the script the README shows under "Lease webhook"', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('**Lease webhook.**'));
    const block = /```\n([\s\S]*?)\n {3}```/.exec(section)?.[1] ?? '';
    const shown = block
      .split('\n')
      .map((line) => line.replace(/^ {3}/, ''))
      .join('\n');
    const built = leaseScript({ gatewayUrl: 'https://gateway.invalid', token: 'TOKEN' })
      .replace('gateway.invalid', '<gateway>')
      .replace('TOKEN', '<token>');
    expect(`${shown}\n`).toBe(built);
  });

  it('keeps a path prefix of the gateway URL and turns certificate checks off on request', () => {
    const script = leaseScript({
      gatewayUrl: 'http://127.0.0.1:8080/isp',
      token: 't',
      checkCertificate: false,
    });
    expect(script).toContain('url="http://127.0.0.1:8080/isp/v1/dhcp/lease"');
    expect(script).toContain('check-certificate=no');
  });

  it('escapes what RouterOS strings treat specially', () => {
    expect(leaseScript({ gatewayUrl: 'https://gw/', token: 'a$b"c\\d' })).toContain(
      String.raw`Bearer a\$b\"c\\d"`,
    );
  });

  it.each([
    [{ gatewayUrl: 'gw.example.net', token: 't' }, /not a URL/],
    [{ gatewayUrl: 'ftp://gw.example.net', token: 't' }, /not http/],
    [{ gatewayUrl: 'https://gw.example.net/?a=1', token: 't' }, /query or fragment/],
    [{ gatewayUrl: 'https://gw.example.net', token: '' }, /token/],
    [{ gatewayUrl: 'https://gw.example.net', token: 'a,b' }, /token/],
    [{ gatewayUrl: 'https://gw.example.net', token: 'a b' }, /token/],
    [{ gatewayUrl: 'https://gw.example.net', token: 'a\u0001b' }, /token/],
  ])('refuses %o', (opts, message) => {
    expect(() => leaseScript(opts)).toThrow(message);
  });
});
