from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import IspCoreCase


@tagged('post_install', '-at_install')
class TestFaultTicket(IspCoreCase):

    def _ticket(self, **values):
        vals = {'subscription_id': self._subscription().id, 'priority': 'normal', 'description': "No service"}
        vals.update(values)
        ticket = self.env['isp.fault.ticket'].with_user(self.support_user).create(vals)
        # Stored SLA fields are computed at flush: do it while the test's clock is frozen.
        ticket.flush_recordset()
        return ticket

    def test_sla_deadline_by_priority(self):
        with freeze_time('2026-05-01 10:00:00'):
            for priority, hours in (('urgent', 8), ('high', 24), ('normal', 48), ('low', 72)):
                ticket = self._ticket(priority=priority)
                self.assertEqual(ticket.sla_deadline, datetime(2026, 5, 1, 10) + timedelta(hours=hours), priority)

    def test_partner_from_subscription_and_sequence(self):
        ticket = self._ticket()
        self.assertEqual(ticket.partner_id, self.partner)
        self.assertTrue(ticket.name.startswith('TCK/'))

    def test_flow_assigns_and_records_closing_time(self):
        ticket = self._ticket()
        ticket.with_user(self.field_user).action_start()
        self.assertEqual((ticket.state, ticket.user_id), ('in_progress', self.field_user))
        ticket.action_resolve()
        self.assertTrue(ticket.closed_at)
        self.assertEqual(ticket.sla_status, 'met')
        ticket.action_close()
        self.assertEqual(ticket.state, 'closed')
        ticket.action_reopen()
        self.assertEqual((ticket.state, ticket.closed_at, ticket.sla_status), ('in_progress', False, 'running'))

    def test_wrong_state_calls(self):
        ticket = self._ticket()
        with self.assertRaisesRegex(UserError, "cannot be reopened: it is New"):
            ticket.action_reopen()
        ticket.action_cancel()
        with self.assertRaisesRegex(UserError, "cannot be resolved: it is Cancelled"):
            ticket.action_resolve()

    def test_overdue_flag_and_search(self):
        with freeze_time('2026-05-01 10:00:00'):
            ticket = self._ticket(priority='urgent')
        with freeze_time('2026-05-01 17:00:00'):
            self.assertFalse(ticket.is_overdue)
        with freeze_time('2026-05-01 19:00:00'):
            ticket.invalidate_recordset(['is_overdue'])
            self.assertTrue(ticket.is_overdue)
            self.assertIn(ticket, self.env['isp.fault.ticket'].search([('is_overdue', '=', True)]))
            self.assertNotIn(ticket, self.env['isp.fault.ticket'].search([('is_overdue', '=', False)]))

    def test_late_resolution_breaches_sla(self):
        with freeze_time('2026-05-01 10:00:00'):
            ticket = self._ticket(priority='high')
        with freeze_time('2026-05-03 10:00:00'):
            ticket.action_resolve()
        self.assertEqual(ticket.sla_status, 'breached')

    def test_cron_flags_open_breached_tickets(self):
        with freeze_time('2026-05-01 10:00:00'):
            ticket = self._ticket(priority='urgent')
        self.assertEqual(ticket.sla_status, 'running')
        with freeze_time('2026-05-02 10:00:00'):
            self.env['isp.fault.ticket']._cron_flag_breached()
        self.assertEqual(ticket.sla_status, 'breached')
