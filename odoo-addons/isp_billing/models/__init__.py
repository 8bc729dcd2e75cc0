from . import account_move
from . import isp_service_plan
from . import isp_subscription
from . import isp_bank_transfer_payment
from . import isp_bank_transfer_receipt
from . import isp_dashboard
from . import res_config_settings
