"""Every customer-facing id goes through here before anything else touches it.

The portal user's own environment (ACLs + ``base.group_portal`` record rules) decides first;
the commercial partner is then compared explicitly, so that a rule widened by mistake in
another addon still cannot hand one customer's record to another. Only the record returned
here may be used with ``sudo()``.
"""
from werkzeug.exceptions import NotFound

from odoo.exceptions import AccessError, MissingError
from odoo.http import request


def customer():
    """The commercial partner whose records the logged-in portal user may see."""
    return request.env.user.partner_id.commercial_partner_id


def parse_id(value):
    """An id from a URL or a form; anything else is a 404, never a 500."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
    if number <= 0:
        raise NotFound()
    return number


def own_record(model, record_id, partner_field='partner_id'):
    """``model`` record ``record_id`` if it belongs to the current customer, as sudo; else 404.

    A missing record and another customer's record answer the same, so that ids cannot be
    probed.
    """
    record = request.env[model].browse(parse_id(record_id))
    try:
        record.check_access('read')
        owner = record.sudo()[partner_field].commercial_partner_id
    except (AccessError, MissingError):
        raise NotFound() from None
    if owner != customer():
        raise NotFound()
    return record.sudo()


def own_records(model, record_ids, partner_field='partner_id'):
    """Several ids at once (a repeated form field); one foreign id refuses them all."""
    records = request.env[model].sudo().browse()
    for record_id in record_ids:
        records |= own_record(model, record_id, partner_field)
    return records
