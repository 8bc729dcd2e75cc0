#!/bin/sh
# One-shot: create the database and install (or update) the ISP addons, then create the sidecars'
# service user and set the system parameters the sidecars and the routers rely on. Safe to re-run.
set -eu
: "${ODOO_DB:?}" "${ODOO_SIDECAR_PASSWORD:?}" "${ISP_MAC_TOKEN:?}" "${ISP_SIDECAR_TOKEN:?}"
ADDONS=isp_core,isp_mikrotik,isp_billing
/opt/isp/start.sh -d "$ODOO_DB" -i "$ADDONS" --stop-after-init --no-http
/opt/isp/start.sh shell -d "$ODOO_DB" --no-http <<PY
from odoo import Command
params = env['ir.config_parameter'].sudo()
params.set_param('isp_core.sidecar_url', 'http://gateway:${GATEWAY_PORT:-3000}')
params.set_param('isp_core.sidecar_token', '${ISP_SIDECAR_TOKEN}')
params.set_param('isp_core.mac_onboarding_token', '${ISP_MAC_TOKEN}')
group = env.ref('isp_core.group_isp_sidecar')
user = env['res.users'].search([('login', '=', 'isp_sidecar')])
if not user:
    user = env['res.users'].create({'name': 'ISP sidecar', 'login': 'isp_sidecar',
                                    'group_ids': [Command.set([env.ref('base.group_user').id, group.id])]})
user.password = '${ODOO_SIDECAR_PASSWORD}'
env.cr.commit()
PY
