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
      hasMenu: () => true,
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
      hasMenu: () => true,
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

/** A router's menus for scripts: a RouterBOARD has `/system/routerboard`, a CHR does not. */
function router(platform: 'routerboard' | 'chr'): { host: ScriptHost; urls: string[] } {
  const urls: string[] = [];
  const menus = new Set([
    '/tool',
    '/tool/fetch',
    '/system',
    '/system/identity',
    '/ip',
    '/ip/address',
    ...(platform === 'chr' ? [] : ['/system/routerboard']),
  ]);
  return {
    urls,
    host: {
      fetch: (args) => {
        urls.push(args['url'] ?? '');
        return Promise.resolve();
      },
      get: (menu, property) => {
        if (!menus.has(menu)) throw new Error('the runner read a menu it should have refused');
        return menu === '/system/routerboard' && property === 'serial-number' ? 'HG509N6TMYE' : 'rtr';
      },
      hasMenu: (menu) => menus.has(menu),
    },
  };
}

const READ_SERIAL = `:local serial ""
:do { :local readSerial [:parse ":return [/system routerboard get serial-number]"]; :set serial [$readSerial] } on-error={}
/tool fetch url=("http://127.0.0.1/s=" . $serial)`;

describe('runScript on RouterBOARD and CHR', () => {
  it('refuses a whole script that names a menu the router lacks, before its first line runs', async () => {
    const { host, urls } = router('chr');
    await expect(
      runScript(
        '/tool fetch url="http://127.0.0.1/first"\n:local s [/system routerboard get serial-number]',
        {},
        host,
      ),
    ).rejects.toThrow('bad command name routerboard');
    expect(urls).toEqual([]);
  });

  it('tells a misspelt menu (refused by the router) from a command the simulator does not run', async () => {
    const { host } = router('routerboard');
    await expect(runScript('/ip adress add address=10.0.0.1/24', {}, host)).rejects.toThrow(
      'bad command name adress',
    );
    for (const script of ['/ip address add address=10.0.0.1/24', '/ip/address/add address=10.0.0.1/24'])
      await expect(runScript(script, {}, host)).rejects.toMatchObject({ code: 'ISP_ERR_SIM_SCRIPT' });
  });

  it('runs a :parse function with :return, called as [$name]', async () => {
    const { host, urls } = router('routerboard');
    await runScript(READ_SERIAL, {}, host);
    expect(urls).toEqual(['http://127.0.0.1/s=HG509N6TMYE']);
  });

  it('compiles :parse code when it runs: on a CHR the error is caught by on-error and the script goes on', async () => {
    const { host, urls } = router('chr');
    await runScript(READ_SERIAL, {}, host);
    expect(urls).toEqual(['http://127.0.0.1/s=']);
  });

  it('fails at the :parse line, not before, when no on-error catches it', async () => {
    const { host, urls } = router('chr');
    await expect(
      runScript(
        '/tool fetch url="http://127.0.0.1/first"\n:local f [:parse "/system routerboard get serial-number"]',
        {},
        host,
      ),
    ).rejects.toThrow('bad command name routerboard');
    expect(urls).toEqual(['http://127.0.0.1/first']);
  });

  it('refuses to call what is not a :parse function, and a function used as a string', async () => {
    const { host } = router('routerboard');
    await expect(runScript(':local f "x"\n:local r [$f]', {}, host)).rejects.toMatchObject({
      code: 'ISP_ERR_SIM_SCRIPT',
    });
    await expect(
      runScript(':local f [:parse ":return 1"]\n/tool fetch url=("http://127.0.0.1/" . $f)', {}, host),
    ).rejects.toMatchObject({ code: 'ISP_ERR_SIM_SCRIPT' });
  });
});
