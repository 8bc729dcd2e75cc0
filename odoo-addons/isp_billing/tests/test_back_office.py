import ast

from lxml import etree

from odoo.tests import TransactionCase, tagged


@tagged('post_install', '-at_install')
class TestBillingBackOffice(TransactionCase):

    def _arch(self, model, view_type, view=False):
        return etree.fromstring(self.env[model].get_views([(view, view_type)])['views'][view_type]['arch'])

    def test_plan_form_shows_the_product_once(self):
        form = self._arch('isp.service_plan', 'form')
        self.assertEqual(len(form.xpath("//field[@name='product_id']")), 1)
        taxes = form.xpath("//field[@name='tax_ids']")
        self.assertEqual(len(taxes), 1)
        self.assertIn('no_create', taxes[0].get('options') or '')

    def test_settings_suspension_day_has_no_thousands_separator(self):
        settings = self._arch('res.config.settings', 'form')
        day = settings.xpath("//field[@name='isp_billing_suspension_day']")[0]
        self.assertIs(ast.literal_eval(day.get('options') or '{}').get('enable_formatting'), False)
