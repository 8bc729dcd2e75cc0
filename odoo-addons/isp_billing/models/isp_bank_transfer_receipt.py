from odoo import fields, models


class IspBankTransferReceipt(models.Model):
    """One distinct receipt content of a bank transfer, kept in step with its ``attachment_ids``.

    It exists for the database to refuse the same receipt on two transfers that still count,
    including two submitted at the same moment, which no check in Python can see.
    """
    _name = 'isp.bank.transfer.receipt'
    _description = "Receipt content of a bank transfer"

    transfer_id = fields.Many2one('isp.bank.transfer.payment', required=True, index=True, ondelete='cascade')
    checksum = fields.Char(required=True, help="SHA-1 of the content of one of the transfer's receipts.")
    state = fields.Selection(related='transfer_id.state', store=True)

    _checksum_uniq = models.UniqueIndex(
        "(checksum) WHERE state != 'rejected'",
        "This receipt has already been submitted with another bank transfer. Upload the receipt of this "
        "transfer.")
