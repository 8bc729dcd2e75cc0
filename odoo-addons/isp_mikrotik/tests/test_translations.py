from odoo.tests import TransactionCase, tagged

from odoo.addons.isp_core.tests.translation_check import translation_problems


@tagged('post_install', '-at_install')
class TestTranslations(TransactionCase):

    def test_spanish_translates_every_term(self):
        problems = translation_problems(self.env, 'isp_mikrotik')
        self.assertFalse(problems, "isp_mikrotik/i18n/es.po:\n" + "\n".join(problems))
