import { describe, expect, it } from 'vitest';

import { runScript } from '../src/script-runner';
import type { ScriptHost } from '../src/script-runner';

function recorder(): { host: ScriptHost; calls: Record<string, string>[] } {
  const calls: Record<string, string>[] = [];
  return {
    calls,
    host: {
      fetch: (args) => {
        calls.push({ ...args });
        return Promise.resolve();
      },
      get: (menu, property) => (menu === '/system/identity' && property === 'name' ? 'rtr-01' : undefined),
    },
  };
}

describe('runScript', () => {
  it('interpolates variables, concatenates and reads singleton menus', async () => {
    const { host, calls } = recorder();
    await runScript(
      String.raw`/tool/fetch url="http://127.0.0.1/h" http-method=post http-data=("{\"mac\":\"$leaseActMAC\",\"host\":\"" . $"lease-hostname" . "\",\"r\":\"" . [/system identity get name] . "\"}")`,
      { leaseActMAC: 'AA:BB', 'lease-hostname': 'onu' },
      host,
    );
    expect(calls).toEqual([
      {
        url: 'http://127.0.0.1/h',
        'http-method': 'post',
        'http-data': '{"mac":"AA:BB","host":"onu","r":"rtr-01"}',
      },
    ]);
  });

  it('follows :if / else and :local / :set', async () => {
    const { host, calls } = recorder();
    const script = `:local state "released"
:if ($leaseBound = 1) do={ :set state "bound" } else={ :log info "gone" }
/tool fetch url=("http://127.0.0.1/" . $state)`;
    await runScript(script, { leaseBound: '1' }, host);
    await runScript(script, { leaseBound: '0' }, host);
    expect(calls.map((call) => call['url'])).toEqual(['http://127.0.0.1/bound', 'http://127.0.0.1/released']);
  });

  it('runs on-error when a fetch fails inside :do', async () => {
    const calls: string[] = [];
    const host: ScriptHost = {
      fetch: (args) => {
        calls.push(args['url'] ?? '');
        return args['url'] === 'http://127.0.0.1/a'
          ? Promise.reject(new Error('refused'))
          : Promise.resolve();
      },
      get: () => undefined,
    };
    await runScript(
      ':do { /tool fetch url="http://127.0.0.1/a" } on-error={ /tool fetch url="http://127.0.0.1/b" }',
      {},
      host,
    );
    expect(calls).toEqual(['http://127.0.0.1/a', 'http://127.0.0.1/b']);
  });

  it('refuses constructs it cannot run with a typed error', async () => {
    const { host } = recorder();
    await expect(runScript('/ip address add address=1.2.3.4/24', {}, host)).rejects.toMatchObject({
      code: 'ISP_ERR_SIM_SCRIPT',
    });
    await expect(runScript(':local x [:len "abc"]', {}, host)).rejects.toMatchObject({
      code: 'ISP_ERR_SIM_SCRIPT',
    });
  });
});
