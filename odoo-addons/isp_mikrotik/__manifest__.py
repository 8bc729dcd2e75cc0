{
    'name': 'ISP MikroTik',
    'version': '19.0.1.0.0',
    'summary': 'MikroTik router credentials (encrypted at rest) and router actions for ISP Core',
    'category': 'Services/ISP',
    'license': 'LGPL-3',
    'author': 'ISP Management contributors',
    'depends': ['isp_core'],
    'external_dependencies': {'python': ['cryptography']},
    'data': [
        'views/isp_device_views.xml',
    ],
    'installable': True,
}
