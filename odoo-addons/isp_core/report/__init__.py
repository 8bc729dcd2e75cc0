from . import isp_voucher_card_report
