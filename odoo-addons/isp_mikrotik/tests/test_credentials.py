import os
from unittest.mock import patch

from cryptography.fernet import Fernet

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.isp_core.tests.common import IspCoreCase
from odoo.addons.isp_mikrotik.tools import secret_box

KEY = Fernet.generate_key().decode()
CLEAR = 'R0uter-Secret-Π'


@tagged('post_install', '-at_install')
class TestCredentials(IspCoreCase):

    def setUp(self):
        super().setUp()
        key_patch = patch.object(secret_box, 'configured_key', return_value=KEY)
        self.key_patch = key_patch.start()
        self.addCleanup(key_patch.stop)
        self.device.with_user(self.admin_user).write({'api_user': 'odoo_noc', 'api_password': CLEAR})

    def _column(self):
        self.env.flush_all()
        [(token,)] = self.env.execute_query(SQL(
            "SELECT api_password_token FROM isp_device WHERE id = %s", self.device.id))
        return token

    def test_column_holds_ciphertext_only(self):
        token = self._column()
        self.assertTrue(token)
        self.assertNotIn(CLEAR, token)
        self.assertEqual(Fernet(KEY).decrypt(token.encode()).decode(), CLEAR)

    def test_read_never_returns_password(self):
        device = self.device.with_user(self.admin_user)
        self.assertFalse(device.read(['api_password'])[0]['api_password'])
        row = device.search_read([('id', '=', device.id)], [])[0]
        self.assertFalse(row['api_password'])
        self.assertNotIn(CLEAR, str(row))
        self.assertTrue(device.api_password_set)

    def test_export_never_returns_password(self):
        self.admin_user.group_ids += self.env.ref('base.group_allow_export')
        exported = self.device.with_user(self.admin_user).export_data(['name', 'api_password'])['datas']
        self.assertNotIn(CLEAR, str(exported))
        self.assertFalse(self.env['isp.device'].fields_get(['api_password'])['api_password']['exportable'])

    def test_password_not_searchable(self):
        with self.assertRaises(ValueError):
            self.env['isp.device'].search([('api_password', '=', CLEAR)])

    def test_non_admin_cannot_read_or_write_password(self):
        for user in (self.noc_user, self.support_user, self.sidecar_user):
            with self.assertRaises(AccessError, msg=user.login):
                self.device.with_user(user).read(['api_password'])
        with self.assertRaises(AccessError):
            self.device.with_user(self.noc_user).write({'api_password': 'x'})
        with self.assertRaises(AccessError):
            self.device.with_user(self.noc_user).read(['api_password_token'])

    def test_sidecar_gets_clear_credentials(self):
        creds = self.env['isp.device'].with_user(self.sidecar_user).get_api_credentials([self.device.id])
        self.assertEqual(creds, [{
            'id': self.device.id, 'name': 'Router A', 'mgmt_ip': '10.0.0.1', 'api_port': 8728, 'api_tls': False,
            'api_tls_fingerprint': '', 'api_user': 'odoo_noc', 'api_password': CLEAR}])
        empty = self.env['isp.device'].with_user(self.sidecar_user).get_api_credentials([self.device_b.id])
        self.assertEqual(empty[0]['api_password'], '')
        api = self.env['isp.sidecar.api'].with_user(self.sidecar_user)
        self.assertEqual(api.sidecar_router_credentials([self.device.id]), creds, "one code, two names")

    def test_credentials_refused_to_everyone_else(self):
        for user in (self.admin_user, self.noc_user, self.plain_user):
            with self.assertRaisesRegex(AccessError, "Only the ISP services user", msg=user.login):
                self.env['isp.device'].with_user(user).get_api_credentials([self.device.id])
            with self.assertRaisesRegex(AccessError, "Only the ISP services user", msg=user.login):
                self.env['isp.sidecar.api'].with_user(user).sidecar_router_credentials([self.device.id])

    def test_no_key_refuses_to_store(self):
        self.key_patch.return_value = None
        with self.assertRaisesRegex(UserError, "no encryption key is configured: set isp_fernet_key"):
            self.device_b.with_user(self.admin_user).write({'api_password': 'whatever'})
        self.assertFalse(self.device_b.api_password_set)

    def test_wrong_key_gives_clear_error(self):
        self.key_patch.return_value = Fernet.generate_key().decode()
        with self.assertRaisesRegex(UserError, "cannot be decrypted: the encryption key is not the one"):
            self.env['isp.device'].with_user(self.sidecar_user).get_api_credentials([self.device.id])

    def test_empty_value_clears_password(self):
        self.device.with_user(self.admin_user).write({'api_password': False})
        self.assertFalse(self._column())
        self.assertFalse(self.device.api_password_set)

    def test_password_not_copied(self):
        copy = self.device.copy({'serial': 'SER-COPY'})
        self.assertFalse(copy.api_password_set)


@tagged('post_install', '-at_install')
class TestKeySource(IspCoreCase):

    def test_environment_variable_is_a_key_source(self):
        with patch.dict(os.environ, {'ISP_FERNET_KEY': KEY}), \
                patch.dict(secret_box.config.options, {'isp_fernet_key': None}):
            self.assertEqual(secret_box.configured_key(), KEY)
            self.assertEqual(secret_box.decrypt(secret_box.encrypt('abc')), 'abc')

    def test_odoo_conf_option_wins(self):
        other = Fernet.generate_key().decode()
        with patch.dict(os.environ, {'ISP_FERNET_KEY': KEY}), \
                patch.dict(secret_box.config.options, {'isp_fernet_key': other}):
            self.assertEqual(secret_box.configured_key(), other)

    def test_tls_fingerprint_normalised_validated_and_given_to_the_sidecar(self):
        hex64 = 'ab' * 31 + '0f'
        pairs = ':'.join(hex64[i:i + 2] for i in range(0, 64, 2)).upper()
        for notation in (hex64, pairs.lower(), f"SHA256 Fingerprint={pairs}", pairs.replace(':', ' ')):
            self.device.write({'api_tls': True, 'api_port': 8729, 'api_tls_fingerprint': notation})
            self.assertEqual(self.device.api_tls_fingerprint, pairs, notation)
        creds = self.env['isp.device'].with_user(self.sidecar_user).get_api_credentials([self.device.id])
        self.assertEqual((creds[0]['api_tls'], creds[0]['api_tls_fingerprint']), (True, pairs))
        for bad in ('ab' * 20, 'zz' * 32, 'ab' * 33, 'SHA1 Fingerprint=' + 'AB:' * 19 + 'AB'):
            with self.assertRaisesRegex(ValidationError, "not a SHA-256 certificate fingerprint"):
                self.device.write({'api_tls_fingerprint': bad})
        with self.assertRaisesRegex(ValidationError, "not a SHA-256"):
            self.env['isp.device'].create({'name': "R", 'sector_id': self.sector.id, 'api_tls_fingerprint': 'nope'})
        self.device.write({'api_tls_fingerprint': False})
        self.assertFalse(self.device.api_tls_fingerprint)
