import secrets

from . import models
from . import report
from . import wizards


def post_init_hook(env):
    """Give a fresh install its own random shared secrets instead of guessable defaults."""
    params = env['ir.config_parameter'].sudo()
    for key in ('isp_core.mac_onboarding_token', 'isp_core.sidecar_token'):
        if not params.get_param(key):
            params.set_param(key, secrets.token_urlsafe(32))
