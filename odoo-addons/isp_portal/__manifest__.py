{
    'name': 'ISP Customer Portal',
    'version': '19.0.1.0.0',
    'summary': "Customers' self-service: their service, invoices and online payment, bank transfers, "
               "plan changes, fault tickets, promise to pay, and the notice page for suspended connections",
    # README.md is Markdown; Odoo would read it as reStructuredText for the Apps page.
    'description': "Customer portal of the ISP: see README.md.",
    'category': 'Services/ISP',
    'license': 'LGPL-3',
    'author': 'ISP Management contributors',
    'depends': ['isp_billing', 'portal', 'auth_signup', 'account_payment'],
    'data': [
        'security/ir.model.access.csv',
        'security/isp_portal_rules.xml',
        'data/ir_config_parameter.xml',
        'data/ir_cron_data.xml',
        'data/mail_templates.xml',
        'views/portal_layout_templates.xml',
        'views/portal_service_templates.xml',
        'views/portal_plan_change_templates.xml',
        'views/portal_transfer_templates.xml',
        'views/portal_fault_templates.xml',
        'views/portal_promise_templates.xml',
        'views/notice_templates.xml',
        'views/isp_subscription_views.xml',
        'views/isp_payment_promise_views.xml',
        'views/res_config_settings_views.xml',
    ],
    'assets': {
        'web.assets_frontend': [
            'isp_portal/static/src/scss/**/*',
            'isp_portal/static/src/interactions/**/*',
        ],
        'web.assets_tests': [
            'isp_portal/static/tests/tours/**/*',
        ],
    },
    'installable': True,
}
