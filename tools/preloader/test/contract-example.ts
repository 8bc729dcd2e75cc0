/** The configuration file of the contract's example (every binding key, nothing else). */
export const CONTRACT_EXAMPLE = `
subnet: 192.168.88.0/24
mgmt_subnet: 10.10.0.0/24
wan_interface: ether1
lan_ports: [ether2, sfp1]
hotspot_dns_name: portal.example.net
sector_code: SEC-001-los_cacaos
routeros: {api_port: 8728, mgmt_user: odoo_noc}
odoo: {url: http://odoo:8069, db: isp, user: admin}
gateway: {url: https://gw.example.net}
`;
