# Demo data of the ISP addons, run in `odoo shell` (`env` is Odoo's environment) by `pnpm dev` on
# every start and by the compose stack's odoo-init when ISP_DEMO=1. Every record carries an
# external id of the `isp_demo` namespace: a second run finds them and changes nothing.
#
# Settings (environment):
#   ISP_DEMO_ROUTERS          lab routers as host:port[/identity],… (else LAB_ROUTERS routers on
#                             LAB_ADDRESS, port 8728 + n, as the compose lab serves them)
#   ISP_DEMO_ROUTER_PASSWORD  the routers' admin password (else LAB_ROUTER_PASSWORD; empty: none)
#   ISP_DEMO_PORTAL_PASSWORD  password of the demo customers' portal users (required)
# It prints one line `ISP_DEMO {json}` with the counts and the portal logins.
import base64
import json
import logging
import os
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError

_logger = logging.getLogger('isp.demo')
MODULE = 'isp_demo'
LAB_FIRST_PORT = 8728
PAYMENT_DAYS = 10  # last month's invoices were due this many days after their date

SECTORS = [
    ('sector_los_cacaos', "Los Cacaos", 'SEC-001', 18.4861, -69.9312),
    ('sector_villa_mella', "Villa Mella", 'SEC-002', 18.5628, -69.9003),
]
PLANS = [
    ('plan_20_5', "DHCP 20/5", 20, 5, 25.0),
    ('plan_50_10', "Fibra 50/10", 50, 10, 45.0),
    ('plan_100_20', "Fibra 100/20", 100, 20, 70.0),
]
# (first name, last name, state, plan, months billed): 24 customers; `overdue` customers were
# activated 40 days ago and owe last month's invoice, the others started this month.
CUSTOMERS = [
    ("Ana", "Rosario", 'active', 'plan_50_10', 'overdue'),
    ("Luis", "Peralta", 'suspended', 'plan_20_5', 'overdue'),
    ("María", "Santos", 'terminated', 'plan_100_20', 'current'),
    ("José", "Núñez", 'draft', 'plan_20_5', 'current'),
    ("Carmen", "Reyes", 'active', 'plan_20_5', 'current'),
    ("Pedro", "Martínez", 'active', 'plan_100_20', 'overdue'),
    ("Rosa", "Jiménez", 'active', 'plan_50_10', 'current'),
    ("Juan", "Castillo", 'suspended', 'plan_50_10', 'overdue'),
    ("Altagracia", "Féliz", 'active', 'plan_20_5', 'current'),
    ("Rafael", "Guzmán", 'active', 'plan_50_10', 'overdue'),
    ("Yolanda", "Batista", 'draft', 'plan_50_10', 'current'),
    ("Miguel", "Cabrera", 'active', 'plan_100_20', 'current'),
    ("Francisca", "Vargas", 'active', 'plan_20_5', 'overdue'),
    ("Ramón", "De la Cruz", 'suspended', 'plan_20_5', 'overdue'),
    ("Luz", "Mejía", 'active', 'plan_50_10', 'current'),
    ("Héctor", "Polanco", 'terminated', 'plan_20_5', 'current'),
    ("Esperanza", "Tavárez", 'active', 'plan_100_20', 'current'),
    ("Manuel", "Ortiz", 'active', 'plan_20_5', 'current'),
    ("Dolores", "Pichardo", 'active', 'plan_50_10', 'overdue'),
    ("Andrés", "Familia", 'suspended', 'plan_100_20', 'overdue'),
    ("Teresa", "Almonte", 'active', 'plan_20_5', 'current'),
    ("Julio", "Sánchez", 'draft', 'plan_100_20', 'current'),
    ("Mercedes", "Paulino", 'active', 'plan_50_10', 'current'),
    ("Ángel", "Rodríguez", 'terminated', 'plan_50_10', 'current'),
]
PPPOE_CUSTOMERS = {4, 11}  # indexes of CUSTOMERS dialling in over PPPoE instead of DHCP
PORTAL_CUSTOMERS = (0, 1, 4)
TRANSFERS = [
    # (customer index, bank, reference, final state)
    (0, "Banco Popular", 'BP-2026-0001', 'review'),
    (5, "Banreservas", 'BR-77120', 'review'),
    (9, "Banco BHD", 'BHD-551203', 'review'),
    (12, "Banco Popular", 'BP-2026-0002', 'applied'),
    (18, "Banreservas", 'BR-77188', 'rejected'),
]
# (customer index, type, priority, state, description, opened hours ago): spread over two days, as
# a day's tickets are, so that the demo shows no outage (a ticket burst) and one ticket past its SLA.
TICKETS = [
    (0, 'slow', 'high', 'new', "Speed drops every evening.", 26),
    (6, 'no_service', 'urgent', 'in_progress', "No internet since the storm last night.", 5),
    (11, 'equipment', 'normal', 'new', "The ONU's LOS light blinks red.", 20),
    (14, 'other', 'low', 'resolved', "Wants the Wi-Fi password changed.", 50),
]


def service_mac(index):
    """The MAC of customer ``index``'s ONU; the lab's lease timer binds these same MACs."""
    return f"02:15:00:00:00:{index + 1:02X}"


def demo_routers():
    """[(host, port, identity)] from ISP_DEMO_ROUTERS, else the compose lab's LAB_ROUTERS."""
    spec = os.environ.get('ISP_DEMO_ROUTERS', '').strip()
    if spec:
        routers = []
        for n, item in enumerate(spec.split(','), start=1):
            address, _, identity = item.strip().partition('/')
            host, _, port = address.rpartition(':')
            routers.append((host, int(port), identity or f'lab-router-{n}'))
        return routers
    count = int(os.environ.get('LAB_ROUTERS') or 0)
    address = os.environ.get('LAB_ADDRESS') or ''
    return [(address, LAB_FIRST_PORT + i, f'lab-router-{i + 1}') for i in range(count)]


class Loader:
    def __init__(self, env):
        self.env = env
        self.created = 0

    def ref(self, name):
        return self.env.ref(f'{MODULE}.{name}', raise_if_not_found=False)

    def ensure(self, name, model, values, find=None):
        """The record of external id ``name``; else the one ``find`` returns (adopted), else created."""
        record = self.ref(name)
        if record:
            return record
        record = find() if find else self.env[model]
        if not record:
            record = self.env[model].create(values)
            self.created += 1
        self.env['ir.model.data'].create({'module': MODULE, 'name': name, 'model': model,
                                          'res_id': record.id, 'noupdate': True})
        return record

    def sectors(self):
        sectors = self.env['isp.sector'].with_context(active_test=False)
        return [self.ensure(key, 'isp.sector', {'name': name, 'code': code, 'gps_lat': lat, 'gps_lng': lng},
                            lambda code=code: sectors.search([('code', '=', code)], limit=1))
                for key, name, code, lat, lng in SECTORS]

    def plans(self):
        return {key: self.ensure(key, 'isp.service_plan',
                                 {'name': name, 'down_mbps': down, 'up_mbps': up, 'price': price})
                for key, name, down, up, price in PLANS}

    def routers(self, sectors, password):
        """Routers 1, 3, … in the first sector, 2, 4, … in the second; found by address and port."""
        devices = self.env['isp.device'].with_context(active_test=False)
        routers = []
        for n, (host, port, identity) in enumerate(demo_routers(), start=1):
            device = self.ensure(f'router_{n}', 'isp.device', {
                'name': f"Lab router {n}", 'sector_id': sectors[(n - 1) % len(sectors)].id, 'mgmt_ip': host,
                'api_port': port, 'api_user': 'admin', 'identity': identity,
            }, lambda host=host, port=port: devices.search([('mgmt_ip', '=', host), ('api_port', '=', port)],
                                                           limit=1))
            # The lab moved (LAB_HOST, LAB_ADDRESS): the registered router follows it.
            if (device.mgmt_ip, device.api_port) != (host, port):
                device.write({'mgmt_ip': host, 'api_port': port})
            # A lab router registered before the demo was turned on (sector Lab, no position) stands
            # where the demo places its customers (see customers()), so that the maps show it.
            if not (device.gps_lat or device.gps_lng):
                centre = sectors[(n - 1) % len(sectors)]
                device.write({'gps_lat': centre.gps_lat, 'gps_lng': centre.gps_lng})
            # Stored again when LAB_ROUTER_PASSWORD or the Fernet key changed, so the sidecars log in.
            if password and stored_password(device) != password:
                device.api_password = password
            routers.append(device)
        return routers

    def customers(self, sectors, plans, routers):
        today = fields.Date.context_today(self.env.user)
        subs = self.env['isp.subscription']
        for index, (first, last, state, plan, billed) in enumerate(CUSTOMERS):
            router = routers[index % len(routers)]
            login = f"{first}.{last}".lower().replace(' ', '')
            partner = self.ensure(f'partner_{index}', 'res.partner', {
                'name': f"{first} {last}", 'email': f"{ascii_name(login)}@example.com",
                'phone': f"+1 809 555 {index + 100:04d}", 'city': router.sector_id.name,
            })
            start = today - timedelta(days=40) if billed == 'overdue' else today
            pppoe = index in PPPOE_CUSTOMERS
            sector = router.sector_id
            # Around the router's sector; a lab router registered before the demo was turned on stays
            # in the sector Lab, which has no position: its customers go around the demo sector the
            # router would have had (0/0 cannot be activated).
            centre = sector if (sector.gps_lat or sector.gps_lng) else \
                sectors[(index % len(routers)) % len(sectors)]
            subs |= self.ensure(f'subscription_{index}', 'isp.subscription', {
                'partner_id': partner.id, 'plan_id': plans[plan].id, 'sector_id': sector.id,
                'device_id': router.id, 'auth_method': 'pppoe' if pppoe else 'dhcp',
                'pppoe_username': ascii_name(login) if pppoe else False,
                'service_mac': False if pppoe else service_mac(index),
                'gps_lat': centre.gps_lat + (index % 5 - 2) * 0.0011,
                'gps_lng': centre.gps_lng + (index % 7 - 3) * 0.0009,
                'start_date': start, 'next_invoice_date': start,
                'billing_day': min(start.day, 28),
            })
        return subs

    def lifecycle(self, subs):
        """Each subscription through the real lifecycle (jobs, audit rows), up to its demo state."""
        for index, sub in enumerate(subs):
            target = CUSTOMERS[index][2]
            if sub.state == 'draft' and target != 'draft':
                sub.action_activate()
            if sub.state == 'active' and target == 'suspended':
                sub.action_suspend(reason="Non-payment of last month's invoice")
            if sub.state != 'terminated' and target == 'terminated':
                sub.action_terminate()

    def invoices(self, subs):
        """Last month's invoice for the `overdue` customers (dated 40 days ago, so due), then this
        month's for every active or suspended one."""
        today = fields.Date.context_today(self.env.user)
        billable = subs.filtered(lambda s: s.state in ('active', 'suspended'))
        for day in sorted({s.next_invoice_date for s in billable}):
            due = billable.filtered(lambda s, day=day: s.next_invoice_date == day)
            if due and day < today:
                # Dated back, Odoo still makes an invoice without payment terms due today.
                due._create_period_invoices(day).invoice_date_due = day + timedelta(days=PAYMENT_DAYS)
        due = billable.filtered(lambda s: s.next_invoice_date <= today)
        if due:
            due._create_period_invoices(today)

    def transfers(self, subs):
        for index, bank, reference, state in TRANSFERS:
            name = f'transfer_{index}'
            if self.ref(name):
                continue
            sub = subs[index]
            invoice = self.env['account.move'].search([
                ('isp_subscription_id', '=', sub.id), ('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),
                ('payment_state', 'in', ('not_paid', 'partial'))], order='invoice_date', limit=1)
            if not invoice:
                continue
            receipt = self.env['ir.attachment'].create({
                'name': f"{reference}.pdf", 'mimetype': 'application/pdf',
                'datas': base64.b64encode(receipt_pdf(bank, reference, invoice.amount_residual)),
            })
            transfer = self.ensure(name, 'isp.bank.transfer.payment', {
                'partner_id': sub.partner_id.id, 'subscription_id': sub.id, 'invoice_ids': [Command.set(invoice.ids)],
                'bank_name': bank, 'reference': reference, 'amount': invoice.amount_residual,
                'attachment_ids': [Command.set(receipt.ids)],
            })
            transfer.action_submit()
            if state == 'applied':
                transfer.action_approve()
                transfer.action_apply()
            elif state == 'rejected':
                transfer.rejection_reason = "The reference does not match any transfer received."
                transfer.action_reject()

    def tickets(self, subs):
        now = fields.Datetime.now()
        for index, fault_type, priority, state, description, hours_ago in TICKETS:
            name = f'ticket_{index}'
            if self.ref(name):
                continue
            ticket = self.ensure(name, 'isp.fault.ticket', {
                'partner_id': subs[index].partner_id.id, 'subscription_id': subs[index].id,
                'fault_type': fault_type, 'priority': priority, 'description': description,
                'opened_at': now - timedelta(hours=hours_ago),
            })
            if state in ('in_progress', 'resolved'):
                ticket.action_start()
            if state == 'resolved':
                ticket.action_resolve()

    def plan_change(self, subs, plans):
        self.ensure('plan_change_0', 'isp.plan.change.request', {
            'subscription_id': subs[0].id, 'requested_plan_id': plans['plan_100_20'].id,
        })

    def portal_users(self, subs, password):
        portal = self.env.ref('base.group_portal')
        users = self.env['res.users'].with_context(active_test=False, no_reset_password=True)
        logins = []
        for index in PORTAL_CUSTOMERS:
            partner = subs[index].partner_id
            user = self.ensure(f'portal_user_{index}', 'res.users', {
                'name': partner.name, 'login': partner.email, 'partner_id': partner.id, 'password': password,
                'group_ids': [Command.set(portal.ids)],
            }, lambda login=partner.email: users.search([('login', '=', login)], limit=1))
            logins.append(user.login)
        return logins

    def admin_home(self):
        """The admin lands on the ISP dashboard rather than Discuss."""
        admin = self.env.ref('base.user_admin')
        if not admin.action_id:
            admin.action_id = self.env.ref('isp_core.isp_dashboard_action').id


def stored_password(device):
    """The router's stored password in clear, or None when the current key cannot read it."""
    try:
        return device._decrypt_password()
    except UserError:
        return None


def ascii_name(text):
    plain = text.translate(str.maketrans("áéíóúñÁÉÍÓÚÑ", "aeiounAEIOUN"))
    return ''.join(ch for ch in plain if ch.isalnum() or ch == '.')


def receipt_pdf(bank, reference, amount):
    """A one-page PDF standing for the photo of a bank receipt (unique per transfer)."""
    text = f"{bank} transfer {reference} amount {amount:.2f}".replace('(', '').replace(')', '')
    stream = f"BT /F1 14 Tf 40 100 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def load(env, router_password, portal_password):
    """Loads (or completes) the demo data; returns what the `ISP_DEMO` line reports."""
    loader = Loader(env)
    sectors = loader.sectors()
    plans = loader.plans()
    routers = loader.routers(sectors, router_password)
    if not routers:
        raise SystemExit("isp demo: no lab routers (set ISP_DEMO_ROUTERS, or LAB_ROUTERS and LAB_ADDRESS)")
    subs = loader.customers(sectors, plans, routers)
    loader.lifecycle(subs)
    loader.invoices(subs)
    loader.transfers(subs)
    loader.tickets(subs)
    loader.plan_change(subs, plans)
    logins = loader.portal_users(subs, portal_password)
    loader.admin_home()
    return {
        'created': loader.created,
        'routers': [{'id': r.id, 'host': r.mgmt_ip, 'port': r.api_port, 'identity': r.identity} for r in routers],
        'macs': {r.identity: [s.service_mac for s in subs if s.device_id == r and s.service_mac] for r in routers},
        'portal_logins': logins,
    }


def main(env):
    portal_password = os.environ.get('ISP_DEMO_PORTAL_PASSWORD') or ''
    if not portal_password:
        raise SystemExit("isp demo: set ISP_DEMO_PORTAL_PASSWORD (the demo customers' portal password)")
    router_password = os.environ.get('ISP_DEMO_ROUTER_PASSWORD', os.environ.get('LAB_ROUTER_PASSWORD') or '')
    report = load(env, router_password, portal_password)
    env.cr.commit()
    _logger.info("demo data: %s records created", report['created'])
    print('ISP_DEMO ' + json.dumps(report))


main(env)  # noqa: F821 (`env` is the environment `odoo shell` runs this script in)
