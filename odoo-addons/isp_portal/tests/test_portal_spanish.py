from odoo.tests import tagged

from .common import IspPortalCase


@tagged('post_install', '-at_install')
class TestPortalSpanish(IspPortalCase):
    """A customer whose language is Spanish reads the portal in Spanish, through real HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        lang = cls.env['res.lang']._activate_lang('es_ES')
        # Views are translated in the database from the addons' i18n/es.po, as installing a language does.
        cls.env['ir.module.module']._load_module_terms(['isp_core', 'isp_billing', 'isp_portal'], [lang.code])
        cls.portal_a.lang = lang.code

    def _get(self, path):
        """The page at ``path``, reached as a browser does: Odoo sends a Spanish reader to /es/<path>."""
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith(f'/es{path}'), response.url)
        return response.text

    def assertWords(self, body, spanish, english):
        for word in spanish:
            self.assertIn(word, body)
        for word in english:
            self.assertNotIn(word, body)

    def test_dashboard_in_spanish(self):
        self._login(self.portal_a)
        self.assertWords(
            self._get('/my/isp'),
            spanish=["Mi Internet", "Conectado", "bajada/subida", "Saldo pendiente", "Próxima factura",
                     "Últimas facturas", "Reportes de avería", "Todas las facturas", "Detalles",
                     'title="Velocidad de bajada/subida"', 'title="Descargar PDF"',
                     "01/04/2026"],
            english=["My Internet", "Connected", "download/upload", "Balance due", "Next invoice",
                     "Latest invoices", "Fault reports", "All invoices", "Details", "Download/upload speed",
                     "Download PDF", "04/01/2026"])

    def test_suspended_card_in_spanish(self):
        self._overdue_subscription(self.customer)
        self._login(self.portal_a)
        self.assertWords(
            self._get('/my/isp'),
            spanish=["Suspendido", "Su servicio de Internet está suspendido.", "Motivo:",
                     "Se restablece pocos minutos después de su pago.", "Pagar ahora",
                     "Pagué por transferencia bancaria"],
            english=["Suspended", "Your internet service is suspended", "Reason:", "It comes back within minutes",
                     "Pay now", "I paid by bank transfer"])

    def test_fault_pages_in_spanish(self):
        """Python messages (form errors, ticket state text) come from the same es.po as the views."""
        self._login(self.portal_a)
        response = self._post('/my/isp/faults/new', {
            'subscription_id': self.sub_a.id, 'fault_type': 'alien', 'description': "Sin luz en el router"})
        self.assertEqual(response.status_code, 422)
        self.assertWords(response.text, spanish=["Elija el tipo de avería.", "¿Qué problema tiene?"],
                         english=["Choose what kind of fault it is.", "What is wrong?"])

        ticket = self.env['isp.fault.ticket'].create({
            'subscription_id': self.sub_a.id, 'fault_type': 'no_service', 'description': "Sin luz en el router"})
        self.assertWords(
            self._get(ticket.access_url),
            spanish=["Recibimos su reporte y asignaremos un técnico.", "Reportada el", "Sin servicio"],
            english=["We received your report", "Reported on", "No service"])
