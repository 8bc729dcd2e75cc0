# Run by init.sh in `odoo shell` (`env` is Odoo's environment), at every `up`; each step changes
# only what differs from the settings in the environment, so a second run changes nothing.
import logging
import os

from odoo import Command
from odoo.addons.base.models.res_users import INDEX_SIZE, KEY_CRYPT_CONTEXT

_logger = logging.getLogger('isp.compose.init')
SIDECAR_LOGIN = 'isp_sidecar'
SIDECAR_KEY_NAME = 'compose: ODOO_SIDECAR_API_KEY'
LAB_SECTOR_CODE = 'LAB'
LAB_FIRST_PORT = 8728


def set_admin_password(env, password):
    """Replace the factory admin/admin by ODOO_ADMIN_PASSWORD; a password changed since is left alone."""
    admin = env.ref('base.user_admin')
    env.cr.execute("SELECT COALESCE(password, '') FROM res_users WHERE id = %s", [admin.id])
    stored = env.cr.fetchone()[0]
    if stored and admin._crypt_context().verify('admin', stored):
        admin.password = password
        _logger.info("admin password set from ODOO_ADMIN_PASSWORD")


def ensure_sidecar_user(env, api_key):
    """The sidecars' service user, in the sidecar group, authenticating with ODOO_SIDECAR_API_KEY."""
    group = env.ref('isp_core.group_isp_sidecar')
    users = env['res.users'].with_context(active_test=False)
    user = users.search([('login', '=', SIDECAR_LOGIN)])
    if not user:
        user = users.create({'name': "ISP sidecar", 'login': SIDECAR_LOGIN,
                             'group_ids': [Command.set([env.ref('base.group_user').id, group.id])]})
        _logger.info("sidecar user %s created", SIDECAR_LOGIN)
    elif not user.active or group not in user.group_ids:
        user.write({'active': True, 'group_ids': [Command.link(group.id)]})
    if env['res.users.apikeys']._check_credentials(scope='rpc', key=api_key) == user.id:
        return
    # Odoo keeps only a hash of a key; the key is the operator's, so it is stored the way
    # res.users.apikeys._generate stores the keys it makes (a key set before is replaced).
    env.cr.execute("DELETE FROM res_users_apikeys WHERE user_id = %s AND name = %s", [user.id, SIDECAR_KEY_NAME])
    env.cr.execute(
        "INSERT INTO res_users_apikeys (name, user_id, scope, expiration_date, key, index)"
        " VALUES (%s, %s, NULL, NULL, %s, %s)",
        [SIDECAR_KEY_NAME, user.id, KEY_CRYPT_CONTEXT.hash(api_key), api_key[:INDEX_SIZE]])
    _logger.info("API key of %s set from ODOO_SIDECAR_API_KEY", SIDECAR_LOGIN)


def set_parameters(env, gateway_port, sidecar_token, mac_token):
    params = env['ir.config_parameter'].sudo()
    params.set_param('isp_core.sidecar_url', f'http://gateway:{gateway_port}')
    params.set_param('isp_core.sidecar_token', sidecar_token)
    params.set_param('isp_core.mac_onboarding_token', mac_token)


def register_lab_routers(env, count, address, password):
    """The lab's routers (router n answers on the lab's address, port 8728 + n), each created once."""
    if not count:
        return
    sectors = env['isp.sector'].with_context(active_test=False)
    sector = sectors.search([('code', '=', LAB_SECTOR_CODE)], limit=1) or sectors.create(
        {'name': "Lab", 'code': LAB_SECTOR_CODE})
    devices = env['isp.device'].with_context(active_test=False)
    for index in range(count):
        port = LAB_FIRST_PORT + index
        if devices.search_count([('mgmt_ip', '=', address), ('api_port', '=', port)]):
            continue
        device = devices.create({'name': f"Lab router {index + 1}", 'sector_id': sector.id,
                                 'mgmt_ip': address, 'api_port': port, 'api_user': 'admin'})
        if password:
            device.api_password = password
        _logger.info("lab router %s registered (%s:%s)", device.name, address, port)


def main(env):
    set_admin_password(env, os.environ['ODOO_ADMIN_PASSWORD'])
    ensure_sidecar_user(env, os.environ['ODOO_SIDECAR_API_KEY'])
    set_parameters(env, os.environ.get('GATEWAY_PORT') or '3000', os.environ['ISP_SIDECAR_TOKEN'],
                   os.environ['ISP_MAC_TOKEN'])
    # With ISP_DEMO=1 the demo loader (demo.py, run next) registers the lab routers in its sectors.
    if os.environ.get('ISP_DEMO') != '1':
        register_lab_routers(env, int(os.environ.get('LAB_ROUTERS') or 0), os.environ.get('LAB_ADDRESS') or '',
                             os.environ.get('LAB_ROUTER_PASSWORD') or '')
    env.cr.commit()


main(env)  # noqa: F821 (`env` is the environment `odoo shell` runs this script in)
