/**
 * The DHCP server `lease-script` that posts every bind and release to the gateway's
 * `/v1/dhcp/lease`. One source for the README, the simulator's tests and the preloader, which
 * installs it on the routers it onboards.
 */
export interface LeaseScriptOptions {
  /** The gateway's base URL, e.g. `https://gw.example.net` (the path is appended). */
  readonly gatewayUrl: string;
  /** The bearer token the gateway expects (`isp_core.mac_onboarding_token`). */
  readonly token: string;
  /** `check-certificate=yes` (the default) or `no` (plain HTTP labs, self-signed gateways). */
  readonly checkCertificate?: boolean;
}

// Inside a RouterOS string `\`, `"` and `$` are special; control characters cannot be written.
function routerOsString(value: string, what: string): string {
  if (/\p{Cc}/u.test(value)) throw new Error(`${what} contains a control character`);
  return value.replace(/[\\"$]/g, (c) => `\\${c}`);
}

/**
 * Builds the lease-script. The body is `{"mac","ip","bound","server","hostname","router","serial"}`:
 * `router` is the identity, `serial` the RouterBOARD serial number, empty on a CHR or x86 router.
 * Those have no `/system routerboard` menu, and RouterOS compiles a script before running it: a
 * plain `[/system routerboard get serial-number]` would refuse the whole script there. Read
 * through `:parse`, the menu is looked up only when that line runs, so its error stays inside
 * `:do { … } on-error={}` and the lease is posted with an empty serial (the gateway treats it as
 * absent, and Odoo matches the router by identity).
 */
export function leaseScript(opts: LeaseScriptOptions): string {
  let url: URL;
  try {
    url = new URL(opts.gatewayUrl);
  } catch {
    throw new Error(`gateway URL ${JSON.stringify(opts.gatewayUrl)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`gateway URL ${JSON.stringify(opts.gatewayUrl)} is not http(s)`);
  if (url.search !== '' || url.hash !== '')
    throw new Error(`gateway URL ${JSON.stringify(opts.gatewayUrl)} must not carry a query or fragment`);
  // `http-header-field` is a comma-separated list: a comma or a space would split the token.
  if (opts.token === '' || /[\s,]/.test(opts.token))
    throw new Error('token must be non-empty, without spaces or commas');
  const endpoint = `${url.origin}${url.pathname.replace(/\/+$/, '')}/v1/dhcp/lease`;
  const check = opts.checkCertificate === false ? 'no' : 'yes';
  const data = [
    String.raw`("{\"mac\":\"" . $leaseActMAC . "\",\"ip\":\"" . $leaseActIP . "\",\"bound\":" . $bound`,
    String.raw` . ",\"server\":\"" . $leaseServerName . "\",\"hostname\":\"" . $"lease-hostname"`,
    String.raw` . "\",\"router\":\"" . [/system identity get name] . "\",\"serial\":\"" . $serial . "\"}")`,
  ].join('');
  return [
    ':local bound "false"',
    ':if ($leaseBound = 1) do={ :set bound "true" }',
    ':local serial ""',
    ':do { :local readSerial [:parse ":return [/system routerboard get serial-number]"]; :set serial [$readSerial] } on-error={}',
    `/tool fetch url="${routerOsString(endpoint, 'gateway URL')}" http-method=post output=none check-certificate=${check} \\`,
    `  http-header-field="Content-Type: application/json,Authorization: Bearer ${routerOsString(opts.token, 'token')}" \\`,
    `  http-data=${data}`,
    '',
  ].join('\n');
}
