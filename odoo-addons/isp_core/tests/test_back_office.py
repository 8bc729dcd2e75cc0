import ast
import re

from lxml import etree

from odoo.tests import Form, tagged

from .common import IspCoreCase


def formatted(node):
    """Whether the integer widget of ``node`` groups thousands (Odoo 19: ``enable_formatting``, default on)."""
    return ast.literal_eval(node.get('options') or '{}').get('enable_formatting', True)


def view_arch(env, model, view_type):
    """The arch of a model's default view as the web client receives it (inherited views applied)."""
    return etree.fromstring(env[model].get_views([(False, view_type)])['views'][view_type]['arch'])


@tagged('post_install', '-at_install')
class TestBackOfficeRelations(IspCoreCase):

    def test_router_choice_sets_the_sector(self):
        with Form(self.env['isp.subscription']) as form:
            form.device_id = self.device_b
            self.assertEqual(form.sector_id, self.sector_b)
            form.device_id = self.device
            self.assertEqual(form.sector_id, self.sector)
            form.sector_id = self.sector_b
            self.assertFalse(form.device_id, "a router of another sector cannot stay")
            form.device_id = self.device_b
            form.sector_id = self.sector_b
            self.assertEqual(form.device_id, self.device_b)
            form.plan_id = self.plan
            form.partner_id = self.partner

    def test_olt_router_sets_the_sector(self):
        with Form(self.env['isp.olt']) as form:
            form.name = "OLT A"
            form.device_id = self.device_b
            self.assertEqual(form.sector_id, self.sector_b)
            form.sector_id = self.sector
            self.assertFalse(form.device_id)

    def test_plan_button_opens_the_subscriptions_it_counts(self):
        live = self._subscription()
        live.action_activate()
        self._subscription()  # a draft is not counted
        action = self.plan.action_view_subscriptions()
        self.assertEqual(self.env['isp.subscription'].search(action['domain']), live)
        self.assertEqual(self.plan.subscription_count, 1)

    def test_router_offered_without_a_sector(self):
        device = view_arch(self.env, 'isp.subscription', 'form').find(".//field[@name='device_id']")
        domain = device.get('domain')
        self.assertIn("if sector_id else []", domain, "without a sector every router is offered")

    def test_no_quick_create_where_it_makes_an_invalid_record(self):
        """Quick-create gives a record only its name: routers, sectors, plans, OLTs and subscriptions
        need more, so their fields offer at most "Create and edit"."""
        quick_create_invalid = {'isp.device', 'isp.sector', 'isp.service_plan', 'isp.olt', 'isp.onu',
                                'isp.subscription', 'res.users', 'account.journal', 'account.tax'}
        checked = 0
        for view in self.env['ir.ui.view'].search([
                ('model', '=like', 'isp.%'), ('type', '=', 'form'), ('inherit_id', '=', False)]):
            arch = view_arch(self.env, view.model, 'form')
            fields = self.env[view.model]._fields
            for node in arch.iter('field'):
                field = fields.get(node.get('name'))
                if not field or field.type not in ('many2one', 'many2many'):
                    continue
                if field.comodel_name not in quick_create_invalid or node.xpath('ancestor::field'):
                    continue
                if node.get('readonly') == '1' or field.readonly and not node.get('readonly'):
                    continue
                options = node.get('options') or ''
                self.assertTrue('no_quick_create' in options or 'no_create' in options,
                                f"{view.model}.{field.name} offers quick-create")
                checked += 1
        self.assertGreaterEqual(checked, 15)


# Integers that name something (a port, a day) rather than count it: "8,728" is not a port.
IDENTIFIER_FIELDS = {
    'isp.device': {'api_port'},
    'isp.olt': {'pon_ports'},
    'isp.onu': {'pon_port'},
    'isp.subscription': {'billing_day'},
}


@tagged('post_install', '-at_install')
class TestBackOfficeNumbers(IspCoreCase):

    def test_identifiers_have_no_thousands_separator(self):
        seen = set()
        for model, names in IDENTIFIER_FIELDS.items():
            for view_type in ('list', 'form'):
                for node in view_arch(self.env, model, view_type).iter('field'):
                    if node.get('name') in names:
                        self.assertFalse(formatted(node),
                                         f"{model} {view_type} view: {node.get('name')} shows thousands separators")
                        seen.add((model, node.get('name')))
        # the OLT form lists its ONUs' PON port too
        onus = view_arch(self.env, 'isp.olt', 'form').find(".//field[@name='onu_ids']//field[@name='pon_port']")
        self.assertFalse(formatted(onus))
        self.assertEqual(seen, {(model, name) for model, names in IDENTIFIER_FIELDS.items() for name in names})


ISP_MODULES = {'isp_core', 'isp_billing', 'isp_mikrotik', 'isp_portal'}
AUTOMATIC_FIELDS = {'id', 'display_name', 'create_uid', 'create_date', 'write_uid', 'write_date'}
# Acronyms as Odoo's derived labels spell them ("Dhcp Mode"): a label must spell them in capitals.
DERIVED_ACRONYMS = re.compile(r'\b(Dhcp|Pppoe|Ip|Mac|Onu|Olt|Api|Tls|Sla|Gps|Pon|Vlan|Url|Mb|Isp)\b')


def derived_label(name):
    """The label Odoo derives from a field name when the field gives none (``odoo/orm/fields.py``)."""
    base = name[:-4] if name.endswith('_ids') else name[:-3] if name.endswith('_id') else name
    return base.replace('_', ' ').title()


@tagged('post_install', '-at_install')
class TestBackOfficeLabels(IspCoreCase):

    def test_every_field_has_a_written_label(self):
        problems = []
        for model_name in self.env.registry:
            for name, field in self.env[model_name]._fields.items():
                if field._module not in ISP_MODULES or field.related or name in AUTOMATIC_FIELDS:
                    continue
                if DERIVED_ACRONYMS.search(field.string):
                    problems.append(f"{model_name}.{name}: {field.string!r} misspells an acronym")
                elif field.string == derived_label(name) and ' ' in field.string:
                    problems.append(f"{model_name}.{name}: {field.string!r} is derived from the field name")
        self.assertFalse(problems, "\n".join(problems))


@tagged('post_install', '-at_install')
class TestBackOfficeEmptyStates(IspCoreCase):

    def test_every_list_action_explains_its_empty_state(self):
        data = self.env['ir.model.data'].search([
            ('module', 'in', list(ISP_MODULES)), ('model', '=', 'ir.actions.act_window')])
        actions = self.env['ir.actions.act_window'].browse(data.mapped('res_id')).filtered(
            lambda action: action.target != 'new' and action.view_mode != 'form')
        self.assertGreaterEqual(len(actions), 15)
        for action in actions:
            help_html = etree.fromstring(f"<div>{action.help or ''}</div>")
            title = help_html.xpath("p[contains(@class, 'o_view_nocontent_')]")
            self.assertTrue(title and title[0].text, f"{action.name}: no empty-state title")
            self.assertTrue(len(help_html.xpath("p")) >= 2, f"{action.name}: no explanation under the title")

    def test_generated_records_do_not_invite_creation(self):
        for xmlid in ('isp_core.isp_provisioning_job_action', 'isp_core.isp_audit_log_action',
                      'isp_core.isp_mac_profile_action', 'isp_core.isp_captive_session_action'):
            self.assertIn('o_view_nocontent_empty_folder', self.env.ref(xmlid).help, xmlid)
