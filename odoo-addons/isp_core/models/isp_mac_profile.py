import logging
import secrets

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.isp_core.tools.flags import is_enabled, parse_flag
from odoo.addons.isp_core.tools.network import is_valid_ipv4, normalize_mac

_logger = logging.getLogger(__name__)

_TEXT_MAX = 255


class IspMacProfile(models.Model):
    _name = 'isp.mac.profile'
    _description = "MAC profile (DHCP client seen by a router)"
    _order = 'last_seen desc, id desc'
    _rec_name = 'mac_address'

    mac_address = fields.Char("MAC address", required=True, copy=False)
    ip_address = fields.Char("IP address")
    hostname = fields.Char()
    dhcp_server = fields.Char("DHCP server")
    device_id = fields.Many2one('isp.device', string="Router", index='btree_not_null', ondelete='set null')
    sector_id = fields.Many2one(related='device_id.sector_id')
    bound = fields.Boolean(help="Whether the last DHCP event bound the lease (else it was released).")
    first_seen = fields.Datetime("First seen", readonly=True)
    last_seen = fields.Datetime("Last seen", readonly=True)
    bound_at = fields.Datetime("Last bound", readonly=True)
    released_at = fields.Datetime("Last released", readonly=True)
    subscription_id = fields.Many2one('isp.subscription', index='btree_not_null', ondelete='set null')
    router_match_note = fields.Char(
        "Router match", readonly=True,
        help="Why the last lease could not be tied to one router (unknown, or several routers with that "
             "identity); empty when it was.")

    _mac_uniq = models.Constraint('UNIQUE(mac_address)', "A MAC profile with this address already exists.")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_vals(vals)
        return super().write(vals)

    def _normalize_vals(self, vals):
        if 'mac_address' in vals:
            mac = normalize_mac(vals['mac_address'])
            if not mac:
                raise ValidationError(self.env._("%s is not a valid MAC address.", vals['mac_address']))
            vals['mac_address'] = mac
        if vals.get('ip_address') and not is_valid_ipv4(vals['ip_address']):
            raise ValidationError(self.env._("%s is not a valid IPv4 address.", vals['ip_address']))

    # ------------------------------------------------------------------ leases (sidecar API)

    @api.model
    def register_leases(self, leases):
        """The public contract's name of ``isp.sidecar.api.sidecar_register_leases`` (same guard, same code)."""
        return self.env['isp.sidecar.api'].sidecar_register_leases(leases)

    @api.model
    def _register_leases(self, leases):
        """Upsert DHCP lease events by MAC in a bounded number of queries.

        ``leases`` is a list of gateway webhook bodies ``{mac, ip, bound, server, hostname, router,
        serial}`` (``router`` = identity or serial of the router, ``serial`` optional). Returns
        ``{'profile_ids': [...], 'results': [{'index', 'mac', 'profile_id', 'error', 'warning'}, ...]}``:
        one result per entry, in order; a bad entry carries an ``error`` text and
        ``profile_id`` False while the good entries of the batch are still saved; ``warning`` says
        why a saved entry got no router (unknown or ambiguous), else False.
        """
        if not isinstance(leases, (list, tuple)):
            raise ValidationError(self.env._("register_leases expects a list of lease objects."))
        results, entries = [], {}
        for index, lease in enumerate(leases):
            entry, error = self._parse_lease(lease)
            mac = entry['mac'] if entry else (lease.get('mac') if isinstance(lease, dict) else False)
            results.append({'index': index, 'mac': mac or False, 'profile_id': False, 'error': error or False,
                            'warning': False})
            if entry:
                # Several events for one MAC in a batch: the last one is the current state.
                entries[entry['mac']] = entry
        if entries:
            profile_by_mac = self.sudo()._upsert_leases(entries)
            for result in results:
                if not result['error']:
                    result['profile_id'] = profile_by_mac[result['mac']]
                    result['warning'] = entries[result['mac']]['note'] or False
        return {
            'profile_ids': list(dict.fromkeys(r['profile_id'] for r in results if r['profile_id'])),
            'results': results,
        }

    @api.model
    def _parse_lease(self, lease):
        """Return ``(entry, None)`` or ``(None, error text)``."""
        if not isinstance(lease, dict):
            return None, self.env._("the entry is not an object")
        mac = normalize_mac(lease.get('mac'))
        if not mac:
            return None, self.env._("invalid MAC address: %s", repr(lease.get('mac')))
        bound = parse_flag(lease.get('bound', True))
        if bound is None:
            return None, self.env._("'bound' must be true or false")
        ip = lease.get('ip') or False
        if ip and not is_valid_ipv4(ip):
            return None, self.env._("invalid IPv4 address: %s", repr(ip))
        if bound and not ip:
            return None, self.env._("a bound lease needs an IP address")
        entry = {'mac': mac, 'ip': ip and ip.strip(), 'bound': bound}
        for key in ('hostname', 'server', 'router', 'serial'):
            value = lease.get(key)
            if value is not None and not isinstance(value, str):
                return None, self.env._("'%s' must be a string", key)
            entry[key] = (value or '').strip()[:_TEXT_MAX] or False
        return entry, None

    def _upsert_leases(self, entries):
        """Save parsed entries keyed by MAC; return ``{mac: profile id}`` (runs as superuser)."""
        now = fields.Datetime.now()
        settings = self._onboarding_settings()
        macs = list(entries)
        self._match_routers(entries)
        subs_by_mac = {sub.service_mac: sub for sub in self.env['isp.subscription'].search_fetch(
            [('service_mac', 'in', macs), ('state', '!=', 'terminated')],
            ['service_mac', 'device_id', 'state', 'auth_method', 'dhcp_mode'])}
        existing = {p.mac_address: p for p in self.search_fetch(
            [('mac_address', 'in', macs)], ['mac_address', 'subscription_id', 'device_id', 'ip_address', 'bound'])}
        readdressed = self._readdressed_subscriptions(entries, subs_by_mac, existing)

        if settings['auto_create'] and settings['plan']:
            subs_by_mac.update(self._auto_create_subscriptions(
                [e for mac, e in entries.items()
                 if mac not in subs_by_mac and existing.get(mac, self).subscription_id.state in (False, 'terminated')
                 and e['bound'] and e['device']],
                settings['plan']))

        created = self.create([{
            'mac_address': mac,
            'ip_address': entry['ip'],
            'hostname': entry['hostname'],
            'dhcp_server': entry['server'],
            'device_id': entry['device'].id,
            'router_match_note': entry['note'],
            'bound': entry['bound'],
            'first_seen': now,
            'last_seen': now,
            'bound_at': now if entry['bound'] else False,
            'released_at': False if entry['bound'] else now,
            'subscription_id': subs_by_mac.get(mac, self.env['isp.subscription']).id,
        } for mac, entry in entries.items() if mac not in existing])
        if existing:
            self._update_existing(existing, entries, subs_by_mac, now)

        profile_by_mac = {p.mac_address: p.id for p in created}
        profile_by_mac.update({mac: p.id for mac, p in existing.items()})
        if readdressed:
            before = {sub.id: {'client_address': old_ip} for sub, old_ip in readdressed.items()}
            after = {sub.id: {'client_address': entries[sub.service_mac]['ip']} for sub in readdressed}
            subs = self.env['isp.subscription'].union(*readdressed)
            subs._audit('subscription.update', subs._queue_jobs('update_subscription'), before=before, after=after)
        if settings['auto_captive']:
            captive_users = self._auto_create_captive_users(entries, subs_by_mac, settings['captive_profile'])
            if settings['auto_provision_captive']:
                captive_users._queue_jobs('captive_user_create')
        return profile_by_mac

    @api.model
    def _readdressed_subscriptions(self, entries, subs_by_mac, existing):
        """``{subscription: previous address}`` of the live dynamic-DHCP subscriptions whose service MAC
        got a bound lease on an address its profile did not hold (or no profile, or an unbound one):
        the router's queue targets the client's address, so it must follow."""
        found = {}
        for mac, entry in entries.items():
            sub = subs_by_mac.get(mac)
            if not (entry['bound'] and sub and sub.state in ('active', 'suspended') and sub.device_id
                    and sub.auth_method == 'dhcp' and sub.dhcp_mode == 'dynamic'):
                continue
            profile = existing.get(mac)
            if not (profile and profile.bound and profile.ip_address == entry['ip']):
                found[sub] = profile.ip_address if profile else False
        return found

    def _update_existing(self, existing, entries, subs_by_mac, now):
        rows = [SQL(
            "(%s::int, %s::varchar, %s::varchar, %s::varchar, %s::int, %s::bool, %s::int, %s::bool, %s::varchar)",
            profile.id, entries[mac]['ip'] or None, entries[mac]['hostname'] or None,
            entries[mac]['server'] or None, entries[mac]['device'].id or None, entries[mac]['bound'],
            subs_by_mac[mac].id if mac in subs_by_mac else None, entries[mac]['ambiguous'],
            entries[mac]['note'] or None,
        ) for mac, profile in existing.items()]
        self.flush_model()
        # One statement for the whole batch: per-record ORM writes would cost one UPDATE each.
        self.env.cr.execute(SQL("""
            UPDATE isp_mac_profile AS p
               SET ip_address = COALESCE(v.ip, p.ip_address),
                   hostname = COALESCE(v.hostname, p.hostname),
                   dhcp_server = COALESCE(v.server, p.dhcp_server),
                   device_id = CASE WHEN v.ambiguous THEN NULL ELSE COALESCE(v.device_id, p.device_id) END,
                   router_match_note = v.note,
                   subscription_id = COALESCE(v.subscription_id, p.subscription_id),
                   bound = v.bound,
                   last_seen = %(now)s,
                   bound_at = CASE WHEN v.bound THEN %(now)s ELSE p.bound_at END,
                   released_at = CASE WHEN v.bound THEN p.released_at ELSE %(now)s END,
                   write_uid = %(uid)s,
                   write_date = %(now)s
              FROM (VALUES %(rows)s) AS v(id, ip, hostname, server, device_id, bound, subscription_id,
                                          ambiguous, note)
             WHERE p.id = v.id
        """, now=now, uid=self.env.uid, rows=SQL(", ").join(rows)))
        self.browse([p.id for p in existing.values()]).invalidate_recordset()

    @api.model
    def _onboarding_settings(self):
        params = self.env['ir.config_parameter'].sudo()
        plan = self.env['isp.service_plan']
        plan_id = params.get_param('isp_core.mac_default_plan_id')
        if plan_id and plan_id.isdigit():
            plan = plan.browse(int(plan_id)).exists()
        return {
            'auto_create': is_enabled(params.get_param('isp_core.mac_auto_create')),
            'plan': plan,
            'auto_captive': is_enabled(params.get_param('isp_core.mac_auto_create_captive_user')),
            'auto_provision_captive': is_enabled(params.get_param('isp_core.mac_auto_provision_captive')),
            'captive_profile': params.get_param('isp_core.mac_captive_default_profile') or 'default',
        }

    @api.model
    def _match_routers(self, entries):
        """Give each entry its ``device``, ``ambiguous`` and ``note``: the router whose serial is the
        lease's ``serial`` (or its ``router``), else the one router whose identity is ``router``.
        Several routers with that identity (every factory MikroTik is "MikroTik") are not guessed
        between: no router, and a note saying why."""
        serials = {e['serial'] for e in entries.values() if e['serial']}
        names = {e['router'] for e in entries.values() if e['router']}
        devices = self.env['isp.device']
        if serials or names:
            devices = devices.search_fetch(
                ['|', ('serial', 'in', list(serials | names)), ('identity', 'in', list(names))],
                ['identity', 'serial', 'sector_id'])
        by_serial = {device.serial: device for device in devices if device.serial}
        by_identity = {}
        for device in devices:
            if device.identity:
                by_identity[device.identity] = by_identity.get(device.identity, devices.browse()) | device
        ambiguous = {}
        for entry in entries.values():
            device = by_serial.get(entry['serial']) or by_serial.get(entry['router'])
            named = by_identity.get(entry['router'], devices.browse())
            if not device and len(named) == 1:
                device = named
            entry.update(device=device or devices.browse(), ambiguous=False, note=False)
            if device or not (entry['router'] or entry['serial']):
                continue
            if named:
                entry['ambiguous'] = True
                entry['note'] = self.env._(
                    "%(count)s routers have the identity %(identity)s: give each router its own identity, "
                    "or its serial number in Odoo.", count=len(named), identity=entry['router'])
                ambiguous.setdefault(entry['router'], []).append(entry['mac'])
            elif entry['serial']:
                entry['note'] = self.env._(
                    "No router has the serial %(serial)s or the identity %(identity)s.",
                    serial=entry['serial'], identity=entry['router'] or "-")
            else:
                entry['note'] = self.env._("No router has the identity or serial %s.", entry['router'])
        for identity, macs in ambiguous.items():
            _logger.warning("%d lease(s) (first %s) name router %r, which %d routers have as identity: "
                            "left without a router", len(macs), macs[0], identity, len(by_identity[identity]))

    @api.model
    def _auto_create_subscriptions(self, entries, plan):
        """Draft subscriptions for unknown MACs: default plan, sector and router from the lease."""
        subs = self.env['isp.subscription'].with_context(tracking_disable=True).create([{
            'plan_id': plan.id,
            'sector_id': entry['device'].sector_id.id,
            'device_id': entry['device'].id,
            'service_mac': entry['mac'],
            'auth_method': 'dhcp',
            'dhcp_mode': 'dynamic',
        } for entry in entries])
        return {sub.service_mac: sub for sub in subs}

    @api.model
    def _auto_create_captive_users(self, entries, subs_by_mac, profile):
        """One captive user per MAC (login = the MAC, as MikroTik MAC authentication expects)."""
        captive = self.env['isp.captive.user']
        known = set(captive.search_fetch([('mac_address', 'in', list(entries))], ['mac_address']).mapped('mac_address'))
        return captive.create([{
            'name': mac,
            # Given here (we run as superuser) so that create needs no per-user password write.
            'password': secrets.token_urlsafe(12),
            'profile': profile,
            'mac_address': mac,
            'subscription_id': subs_by_mac.get(mac, self.env['isp.subscription']).id,
            'device_id': entry['device'].id,
        } for mac, entry in entries.items() if mac not in known and entry['bound']])
