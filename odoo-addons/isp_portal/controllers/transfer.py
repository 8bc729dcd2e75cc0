"""Bank transfers reported by the customer: list, report form, and one transfer's page."""
import math
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.http import request, route

from odoo.addons.isp_billing.models.isp_bank_transfer_payment import duplicate_key
from odoo.addons.isp_billing.models.isp_subscription import UNPAID_STATES
from odoo.addons.isp_portal.controllers.ownership import customer, own_record, own_records
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from .uploads import UploadRefused, read_upload

TRANSFER_MODEL = 'isp.bank.transfer.payment'
MAX_TEXT_LENGTH = 64
MAX_AMOUNT = 10 ** 9
OLDEST_TRANSFER_DAYS = 366
TRANSFERS_PER_PAGE = 20


class TransferPortal(CustomerPortal):

    # ------------------------------------------------------------------ home

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if 'isp_transfer_count' in counters:
            Transfer = request.env[TRANSFER_MODEL]
            values['isp_transfer_count'] = Transfer.search_count(
                [('partner_id', 'child_of', customer().id)]) if Transfer.has_access('read') else 0
        return values

    # ------------------------------------------------------------------ list

    @route(['/my/isp/payments', '/my/isp/payments/page/<int:page>'], type='http', auth='user', website=True)
    def portal_isp_transfers(self, page=1, **kw):
        Transfer = request.env[TRANSFER_MODEL].sudo()
        domain = [('partner_id', 'child_of', customer().id)]
        total = Transfer.search_count(domain)
        page = max(1, min(page, math.ceil(total / TRANSFERS_PER_PAGE) or 1))
        pager = portal_pager(url='/my/isp/payments', total=total, page=page, step=TRANSFERS_PER_PAGE)
        transfers = Transfer.search(domain, limit=TRANSFERS_PER_PAGE, offset=pager['offset'])
        values = self._prepare_portal_layout_values()
        values.update({
            'page_name': 'isp_transfers',
            'transfers': transfers,
            'pager': pager,
            'state_labels': self._transfer_state_labels(),
        })
        return request.render('isp_portal.portal_isp_transfers', values)

    # ------------------------------------------------------------------ report form

    @route('/my/isp/payments/transfer', type='http', auth='user', website=True, methods=['GET', 'POST'])
    def portal_isp_transfer_form(self, **kw):
        if request.httprequest.method == 'GET':
            preselected = kw.get('subscription_id')
            if preselected:
                preselected = str(own_record('isp.subscription', preselected).id)
            today = fields.Date.context_today(request.env.user).isoformat()
            return self._render_transfer_form({'subscription_id': preselected or '', 'transfer_date': today})
        return self._submit_transfer()

    def _submit_transfer(self):
        form = request.httprequest.form
        data = {name: (form.get(name) or '').strip()
                for name in ('subscription_id', 'bank_name', 'reference', 'amount', 'transfer_date')}
        data['invoice_ids'] = form.getlist('invoice_ids')
        files = [f for f in request.httprequest.files.getlist('receipt') if f.filename]
        errors = {}
        subscription = self._form_subscription(data, errors)
        invoices = self._form_invoices(data, subscription, errors)
        vals = self._form_transfer_values(data, errors)
        receipt = self._form_receipt(files, errors)
        if errors:
            return self._render_transfer_form(data, errors, status=400, file_sent=bool(files))
        vals.update({
            'partner_id': customer().id,
            'subscription_id': subscription.id,
            'company_id': subscription.company_id.id,
            'invoice_ids': [Command.set(invoices.ids)],
        })
        if duplicate := self._duplicate_refusal(vals):
            errors['general'] = duplicate
            return self._render_transfer_form(data, errors, status=400, file_sent=True)
        try:
            transfer = self._create_transfer(vals, receipt)
        except (UserError, ValidationError) as error:
            errors['general'] = error.args[0]
        except IntegrityError:
            # Reported at the same moment by someone else: the unique indexes answered.
            errors['general'] = request.env._(
                "This bank transfer or this receipt has just been reported. Check your transfers before "
                "reporting it again.")
        if errors:
            return self._render_transfer_form(data, errors, status=400, file_sent=True)
        return request.redirect(transfer.access_url)

    def _duplicate_refusal(self, vals):
        """The same bank transfer reported before, said before trying to store it.

        The model and the database refuse it too (race-proof); asking first keeps another
        customer's transfer unnamed and the log free of failed inserts.
        """
        env = request.env
        same = env[TRANSFER_MODEL].sudo().search([
            ('company_id', '=', vals['company_id']),
            ('duplicate_key', '=', duplicate_key(vals['bank_name'], vals['reference'])),
            ('state', '!=', 'rejected'),
        ], limit=1)
        if not same:
            return False
        if same.partner_id.commercial_partner_id == customer():
            return env._("You already reported this bank transfer (same bank and reference): %s.", same.name)
        return env._("This bank transfer (same bank and reference) has already been reported.")

    def _receipt_refusal(self, checksum):
        """The same receipt on a transfer that still counts (checked on the stored content,
        which Odoo may have shrunk), in the same spirit as ``_duplicate_refusal``."""
        env = request.env
        same = env['isp.bank.transfer.receipt'].sudo().search(
            [('checksum', '=', checksum), ('state', '!=', 'rejected')], limit=1).transfer_id
        if not same:
            return False
        if same.partner_id.commercial_partner_id == customer():
            return env._("This receipt has already been submitted with transfer %s. Upload the receipt of this "
                         "transfer.", same.name)
        return env._("This receipt has already been submitted with another transfer. Upload the receipt of this "
                     "transfer.")

    def _create_transfer(self, vals, receipt):
        """Transfer, receipt and submission, all or nothing."""
        content, mimetype, filename = receipt
        Transfer = request.env[TRANSFER_MODEL].sudo()
        with request.env.cr.savepoint():
            attachment = request.env['ir.attachment'].sudo().create({
                'name': filename,
                'raw': content,
                'mimetype': mimetype,
                'res_model': TRANSFER_MODEL,
                'res_id': 0,
            })
            if refusal := self._receipt_refusal(attachment.checksum):
                raise ValidationError(refusal)
            transfer = Transfer.create({**vals, 'attachment_ids': [Command.link(attachment.id)]})
            transfer.action_submit()
            transfer._portal_ensure_token()
            attachment.generate_access_token()
        return transfer

    # ------------------------------------------------------------------ form fields

    def _form_subscription(self, data, errors):
        if not data['subscription_id']:
            errors['subscription_id'] = request.env._("Choose the service this transfer pays for.")
            return request.env['isp.subscription'].sudo()
        subscription = own_record('isp.subscription', data['subscription_id'])
        if subscription.state not in ('active', 'suspended'):
            errors['subscription_id'] = request.env._(
                "Service %s is not active: it cannot receive transfers.", subscription.name)
        return subscription

    def _form_invoices(self, data, subscription, errors):
        invoices = own_records('account.move', data['invoice_ids'])
        wrong = invoices.filtered(lambda inv: inv.move_type != 'out_invoice' or inv.state != 'posted')
        paid = invoices.filtered(lambda inv: inv.payment_state not in UNPAID_STATES) - wrong
        other = invoices.filtered(
            lambda inv: subscription and inv.isp_subscription_id and inv.isp_subscription_id != subscription)
        if wrong:
            errors['invoice_ids'] = request.env._("%s cannot be paid.", ", ".join(wrong.mapped('name')))
        elif paid:
            errors['invoice_ids'] = request.env._(
                "%s: nothing left to pay.", ", ".join(paid.mapped('name')))
        elif other:
            errors['invoice_ids'] = request.env._(
                "%(invoices)s: not invoices of service %(service)s.",
                invoices=", ".join(other.mapped('name')), service=subscription.name)
        return invoices

    def _form_transfer_values(self, data, errors):
        env = request.env
        if not data['bank_name']:
            errors['bank_name'] = env._("Enter the bank of the transfer.")
        elif len(data['bank_name']) > MAX_TEXT_LENGTH:
            errors['bank_name'] = env._("The bank name is too long (at most %s characters).", MAX_TEXT_LENGTH)
        if not data['reference']:
            errors['reference'] = env._("Enter the reference of the transfer.")
        elif len(data['reference']) > MAX_TEXT_LENGTH:
            errors['reference'] = env._("The reference is too long (at most %s characters).", MAX_TEXT_LENGTH)
        elif not any(ch.isalnum() for ch in data['reference']):
            errors['reference'] = env._("The reference must contain letters or digits.")
        return {
            'bank_name': data['bank_name'],
            'reference': data['reference'],
            'amount': self._form_amount(data['amount'], errors),
            'transfer_date': self._form_date(data['transfer_date'], errors),
        }

    def _form_amount(self, text, errors):
        currency = request.env.company.currency_id
        try:
            amount = Decimal(text.replace(' ', ''))
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            errors['amount'] = request.env._("Enter the amount as a number, e.g. 1500.00.")
            return 0.0
        if amount <= 0:
            errors['amount'] = request.env._("The amount must be more than zero.")
        elif amount >= MAX_AMOUNT:
            errors['amount'] = request.env._("This amount is too large for a bank transfer report.")
        elif amount != amount.quantize(Decimal(1).scaleb(-currency.decimal_places)):
            errors['amount'] = request.env._("The amount has more decimals than the currency allows.")
        return float(amount)

    def _form_date(self, text, errors):
        try:
            # fromisoformat alone also accepts 20260301 and week dates.
            if len(text) != 10:
                raise ValueError(text)
            day = date.fromisoformat(text)
        except ValueError:
            errors['transfer_date'] = request.env._("Enter the transfer date as YYYY-MM-DD.")
            return None
        today = fields.Date.context_today(request.env.user)
        if day > today:
            errors['transfer_date'] = request.env._("The transfer date cannot be in the future.")
        elif day < today - timedelta(days=OLDEST_TRANSFER_DAYS):
            errors['transfer_date'] = request.env._(
                "The transfer date is more than a year ago: contact us about this transfer.")
        return day

    def _form_receipt(self, files, errors):
        """``(content, mimetype, filename)`` of the single receipt, or None with an error."""
        env = request.env
        if not files:
            errors['receipt'] = env._("Attach the receipt of the transfer (photo or PDF).")
            return None
        if len(files) > 1:
            errors['receipt'] = env._("Attach one receipt only.")
            return None
        try:
            receipt = read_upload(files[0], 'receipt')
        except UploadRefused as refusal:
            errors['receipt'] = refusal.args[0]
            return None
        if receipt is None:
            errors['receipt'] = env._("Attach the receipt of the transfer (photo or PDF).")
        return receipt

    # ------------------------------------------------------------------ rendering

    def _render_transfer_form(self, data, errors=None, status=200, file_sent=False):
        cust = customer()
        subscriptions = request.env['isp.subscription'].sudo().search(
            [('partner_id', 'child_of', cust.id), ('state', 'in', ('active', 'suspended'))], order='name')
        invoices = request.env['account.move'].sudo().search([
            ('commercial_partner_id', '=', cust.id),
            ('move_type', '=', 'out_invoice'),
            ('state', '=', 'posted'),
            ('payment_state', 'in', UNPAID_STATES),
        ], order='invoice_date_due, id')
        if not data.get('subscription_id') and len(subscriptions) == 1:
            data['subscription_id'] = str(subscriptions.id)
        errors = errors or {}
        if errors and file_sent and 'receipt' not in errors:
            # Browsers never fill a file input back in.
            errors['receipt'] = request.env._("Select the receipt file again.")
        values = self._prepare_portal_layout_values()
        values.update({
            'page_name': 'isp_transfer_new',
            'form': data,
            'selected_invoice_ids': set(data.get('invoice_ids') or []),
            'errors': errors,
            'subscriptions': subscriptions,
            'invoices': invoices,
            'currency': request.env.company.currency_id,
            'today': fields.Date.context_today(request.env.user),
        })
        return request.render('isp_portal.portal_isp_transfer_form', values, status=status)

    # ------------------------------------------------------------------ one transfer

    @route('/my/isp/payments/transfer/<int:transfer_id>', type='http', auth='user', website=True)
    def portal_isp_transfer(self, transfer_id, **kw):
        transfer = own_record(TRANSFER_MODEL, transfer_id)
        transfer._portal_ensure_token()
        receipts = transfer.attachment_ids
        receipts.generate_access_token()
        values = self._prepare_portal_layout_values()
        values.update({
            'page_name': 'isp_transfer',
            'transfer': transfer,
            'receipts': receipts,
            'state_labels': self._transfer_state_labels(),
            # The chatter lets the customer write back (posting needs more than read access).
            'token': transfer.access_token,
        })
        values = self._get_page_view_values(transfer, transfer.access_token, values, 'my_isp_transfers_history',
                                            False, **kw)
        return request.render('isp_portal.portal_isp_transfer', values)

    def _transfer_state_labels(self):
        field = request.env[TRANSFER_MODEL]._fields['state']
        return dict(field._description_selection(request.env))
