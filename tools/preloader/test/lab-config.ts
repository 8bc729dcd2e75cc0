import type { LabRouter } from '@isp/routeros-sim';

import { parseConfig, type PreloaderConfig, type Secrets } from '../src/config';

export const SECRETS: Secrets = {
  mgmtPassword: 'Mgmt-Secret-4711',
  odooPassword: 'Odoo-Secret-0815',
  macToken: 'Mac-Token-2342',
};

export const SECRET_ENV_VALUES = {
  MIKROTIK_MGMT_PASS: SECRETS.mgmtPassword,
  ODOO_ADMIN_PASS: SECRETS.odooPassword,
  ISP_MAC_TOKEN: SECRETS.macToken,
};

/** A configuration file for a lab: every router a target, the API limited to this machine (127.0.0.1). */
export function labConfigText(routers: readonly LabRouter[], extra = ''): string {
  return `targets:
${routers.map((r) => `  - {host: ${r.address}, port: ${r.port}}`).join('\n')}
mgmt_subnet: 127.0.0.1/32
wan_interface: ether1
lan_ports: [ether2, ether3]
hotspot_dns_name: portal.example.net
sector_code: SEC-001-los_cacaos
routeros: {api_port: 8728, mgmt_user: odoo_noc, timeout_ms: 5000}
odoo: {url: http://127.0.0.1:8069, db: isp, user: admin}
gateway: {url: http://127.0.0.1:3000, check_certificate: false}
concurrency: 4
${extra}`;
}

export function labConfig(routers: readonly LabRouter[], extra = ''): PreloaderConfig {
  return parseConfig('lab.yaml', labConfigText(routers, extra));
}
