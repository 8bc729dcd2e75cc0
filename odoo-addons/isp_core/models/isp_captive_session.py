from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.isp_core.tools.network import is_valid_ipv4, normalize_mac

# Keys of one /ip/hotspot/active entry as the provisioner sends it; other keys are ignored.
SESSION_TEXT_KEYS = ('router_id', 'user', 'ip_address', 'mac_address')
SESSION_COUNTER_KEYS = ('uptime_seconds', 'bytes_in', 'bytes_out')
# Errors listed in one refusal: enough to fix the caller, not a wall of text.
MAX_REPORTED_ERRORS = 10


class IspCaptiveSession(models.Model):
    _name = 'isp.captive.session'
    _description = "Hotspot session (mirror of /ip/hotspot/active)"
    _order = 'started_at desc, id desc'

    user_id = fields.Many2one('isp.captive.user', string="Captive user", index=True, ondelete='cascade',
                              readonly=True)
    device_id = fields.Many2one('isp.device', string="Router", index=True, ondelete='cascade', readonly=True)
    router_id = fields.Char(
        "Router entry", readonly=True,
        help="The router's id of the session (.id of /ip/hotspot/active, e.g. *80000001).")
    login = fields.Char(readonly=True, help="The hotspot user the router reports for the session.")
    ip_address = fields.Char("IP address", readonly=True)
    mac_address = fields.Char("MAC address", readonly=True)
    started_at = fields.Datetime("Started on", readonly=True)
    ended_at = fields.Datetime("Ended on", readonly=True)
    uptime_seconds = fields.Integer("Uptime (seconds)", readonly=True)
    bytes_in = fields.Float("Bytes in", readonly=True, digits=(16, 0))
    bytes_out = fields.Float("Bytes out", readonly=True, digits=(16, 0))

    _open_device_idx = models.Index('(device_id, router_id) WHERE ended_at IS NULL')

    # ------------------------------------------------------------------ provisioner

    @api.model
    def _sync_sessions(self, device_id, sessions):
        """Provisioner (``isp.sidecar.api.sidecar_sync_sessions``): mirror router ``device_id``'s whole
        ``/ip/hotspot/active`` list.

        ``sessions``: ``[{router_id, user, ip_address, mac_address, uptime_seconds, bytes_in, bytes_out}]``.
        An open session of the router with the same ``router_id`` and login is updated, an unknown one
        opened (started ``uptime_seconds`` ago, linked to the captive user of that login on the router,
        else with that login and no router), and the router's open sessions missing from the list are
        closed now. Any invalid element refuses the whole call before anything is written.
        Returns ``{'opened': n, 'updated': n, 'closed': n}``.
        """
        device = self._sync_device(device_id)
        entries = self._validated_sessions(sessions)
        now = fields.Datetime.now()
        sessions_sudo = self.sudo()
        open_sessions = sessions_sudo.search_fetch(
            [('device_id', '=', device.id), ('ended_at', '=', False)],
            ['router_id', 'login', 'user_id', 'ip_address', 'mac_address', 'uptime_seconds', 'bytes_in', 'bytes_out'])
        by_key = {}
        for session in open_sessions:
            by_key.setdefault((session.router_id, session.login), session)
        updated = sessions_sudo.browse()
        new_entries = []
        for entry in entries:
            session = by_key.get((entry['router_id'], entry['user']))
            if session is None:
                new_entries.append(entry)
                continue
            updated |= session
            vals = {key: entry[key] for key in ('ip_address', 'mac_address', 'uptime_seconds', 'bytes_in',
                                                'bytes_out') if session[key] != entry[key]}
            if vals:
                session.write(vals)
        users = self._captive_users_by_login(device, {entry['user'] for entry in new_entries})
        opened = sessions_sudo.create([{
            'device_id': device.id,
            'router_id': entry['router_id'],
            'login': entry['user'],
            'user_id': users.get(entry['user'], False),
            'ip_address': entry['ip_address'],
            'mac_address': entry['mac_address'],
            'started_at': now - timedelta(seconds=entry['uptime_seconds']),
            'uptime_seconds': entry['uptime_seconds'],
            'bytes_in': entry['bytes_in'],
            'bytes_out': entry['bytes_out'],
        } for entry in new_entries])
        closed = open_sessions - updated
        closed.write({'ended_at': now})
        return {'opened': len(opened), 'updated': len(updated), 'closed': len(closed)}

    # ------------------------------------------------------------------ business methods

    @api.model
    def _sync_device(self, device_id):
        if isinstance(device_id, bool) or not isinstance(device_id, int):
            raise ValidationError(self.env._("device_id must be a router id, not %r.", device_id))
        device = self.env['isp.device'].sudo().with_context(active_test=False).browse(device_id).exists()
        if not device:
            raise ValidationError(self.env._("Router %s does not exist.", device_id))
        return device

    @api.model
    def _validated_sessions(self, sessions):
        """The entries of ``sessions`` with their MAC normalized, or a ValidationError listing what is wrong."""
        if not isinstance(sessions, (list, tuple)):
            raise ValidationError(self.env._("sessions must be a list of hotspot sessions."))
        errors, entries, seen = [], [], set()
        for index, raw in enumerate(sessions):
            entry, problems = self._validated_session(raw)
            if not problems:
                key = (entry['router_id'], entry['user'])
                if key in seen:
                    problems.append(self.env._("session %(router_id)s of %(user)s is listed twice",
                                               router_id=key[0], user=key[1]))
                seen.add(key)
            errors.extend(f"sessions[{index}]: {problem}" for problem in problems)
            entries.append(entry)
        if errors:
            shown = errors[:MAX_REPORTED_ERRORS]
            if len(errors) > len(shown):
                shown.append(self.env._("… and %s more errors", len(errors) - len(shown)))
            raise ValidationError(self.env._("Invalid hotspot sessions, nothing was recorded:\n%s", "\n".join(shown)))
        return entries

    @api.model
    def _validated_session(self, raw):
        """``(entry, problems)`` for one element of the list."""
        if not isinstance(raw, dict):
            return None, [self.env._("must be an object with %s", ", ".join(SESSION_TEXT_KEYS + SESSION_COUNTER_KEYS))]
        problems, entry = [], {}
        for key in SESSION_TEXT_KEYS:
            value = raw.get(key)
            if not isinstance(value, str) or not value.strip():
                problems.append(self.env._("%s must be a non-empty text", key))
            else:
                entry[key] = value.strip()
        for key in SESSION_COUNTER_KEYS:
            value = raw.get(key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                problems.append(self.env._("%s must be a non-negative integer", key))
            else:
                entry[key] = value
        if entry.get('ip_address') and not is_valid_ipv4(entry['ip_address']):
            problems.append(self.env._("%s is not a valid IPv4 address", entry['ip_address']))
        if entry.get('mac_address'):
            mac = normalize_mac(entry['mac_address'])
            if not mac:
                problems.append(self.env._("%s is not a valid MAC address", entry['mac_address']))
            entry['mac_address'] = mac
        return entry, problems

    @api.model
    def _captive_users_by_login(self, device, logins):
        """``{login: captive user id}``: the user of that login on ``device``, else the one without a router."""
        if not logins:
            return {}
        users = self.env['isp.captive.user'].sudo().search_fetch(
            [('name', 'in', list(logins)), '|', ('device_id', '=', device.id), ('device_id', '=', False)],
            ['name', 'device_id'], order='id')
        found = {}
        for user in users.filtered('device_id') + users.filtered(lambda u: not u.device_id):
            found.setdefault(user.name, user.id)
        return found
