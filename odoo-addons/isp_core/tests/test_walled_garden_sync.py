from odoo.tests import tagged

from .common import IspCoreCase


@tagged('post_install', '-at_install')
class TestWalledGardenSync(IspCoreCase):
    """A walled-garden change queues one device_sync per router it concerns, never a second pending one."""

    def setUp(self):
        super().setUp()
        self.env['isp.device'].search([('id', 'not in', (self.device | self.device_b).ids)]).active = False
        self.Garden = self.env['isp.captive.walled_garden'].with_user(self.noc_user)

    def _syncs(self):
        return self.env['isp.provisioning_job'].search([('job_type', '=', 'device_sync')])

    def _settle(self):
        self._syncs().filtered(lambda j: j.state == 'queued').sudo()._mark_done()

    def test_walled_garden_create_queues_sync_of_its_routers(self):
        self.Garden.create({'dst_host': 'pay.example.com', 'device_ids': [(6, 0, self.device.ids)]})
        self.assertEqual(self._syncs().device_id, self.device)
        self._settle()
        self.Garden.create({'dst_host': 'help.example.com'})
        syncs = self._syncs().filtered(lambda j: j.state == 'queued')
        self.assertEqual((len(syncs), syncs.device_id), (2, self.device | self.device_b), "empty: every router")
        self.assertEqual(self.device.last_sync_queued_at, syncs[0].requested_at)

    def test_walled_garden_no_duplicate_pending_sync(self):
        self.device._queue_device_job('device_sync').sudo()._mark_running()
        entry = self.Garden.create({'dst_host': 'pay.example.com'})
        entry.dst_host = 'pay2.example.com'
        syncs = self._syncs()
        self.assertEqual(len(syncs.filtered(lambda j: j.device_id == self.device)), 1, "the running one")
        self.assertEqual(len(syncs.filtered(lambda j: j.device_id == self.device_b)), 1, "one queued")

    def test_walled_garden_edit_archive_and_move(self):
        entry = self.Garden.create({'dst_host': 'pay.example.com', 'device_ids': [(6, 0, self.device.ids)]})
        self._settle()
        entry.comment = "Payment gateway"
        self.assertFalse(self._syncs().filtered(lambda j: j.state == 'queued'), "a comment is not on the router")
        entry.device_ids = [(6, 0, self.device_b.ids)]
        self.assertEqual(self._syncs().filtered(lambda j: j.state == 'queued').device_id, self.device | self.device_b,
                         "the old router drops the host, the new one gets it")
        self._settle()
        entry.active = False
        self.assertEqual(self._syncs().filtered(lambda j: j.state == 'queued').device_id, self.device_b)
        self._settle()
        entry.active = True
        self.assertEqual(self._syncs().filtered(lambda j: j.state == 'queued').device_id, self.device_b)
        self._settle()
        entry.sudo().unlink()
        self.assertEqual(self._syncs().filtered(lambda j: j.state == 'queued').device_id, self.device_b)

    def test_walled_garden_archived_router_left_out(self):
        self.device_b.active = False
        self.Garden.create([{'dst_host': 'a.example.com'},
                            {'dst_host': 'b.example.com', 'device_ids': [(6, 0, self.device_b.ids)]}])
        self.assertEqual(self._syncs().device_id, self.device)
