from odoo import api, models

CARDS_PER_ROW = 2
ROWS_PER_PAGE = 5


class IspVoucherCardReport(models.AbstractModel):
    _name = 'report.isp_core.report_voucher_cards'
    _description = "Hotspot voucher cards"

    @api.model
    def _get_report_values(self, docids, data=None):
        """The batches and, per batch id, its cards laid out ``pages → rows → cards``.

        Voucher passwords are read as superuser once the user is found to manage the batches (write
        access): printing the cards is how the staff who sell vouchers get them.
        """
        batches = self.env['isp.voucher.batch'].browse(docids)
        batches.check_access('write')
        return {
            'doc_ids': batches.ids,
            'doc_model': 'isp.voucher.batch',
            'docs': batches,
            'pages': {batch.id: _layout(_cards(batch)) for batch in batches},
            'terms': {batch.id: self._card_terms(batch) for batch in batches},
        }

    @api.model
    def _card_terms(self, batch):
        """The validity and limits of the batch's cards, as whole sentences for the translators."""
        _ = self.env._
        return {
            'validity': _("Valid %s days from the first login", batch.validity_days) if batch.validity_days
            else _("No expiry date"),
            'uptime': _("Time: %s h", batch.limit_uptime_hours) if batch.limit_uptime_hours
            else _("Time: unlimited"),
            'data': _("Data: %s MB", batch.limit_bytes_mb) if batch.limit_bytes_mb else _("Data: unlimited"),
        }


def _cards(batch):
    return [{'login': voucher.name, 'password': voucher.password}
            for voucher in batch.sudo().voucher_ids.sorted('name')]


def _layout(cards):
    """``cards`` as pages of ``ROWS_PER_PAGE`` rows of ``CARDS_PER_ROW`` cards."""
    rows = [cards[i:i + CARDS_PER_ROW] for i in range(0, len(cards), CARDS_PER_ROW)]
    return [rows[i:i + ROWS_PER_PAGE] for i in range(0, len(rows), ROWS_PER_PAGE)]
