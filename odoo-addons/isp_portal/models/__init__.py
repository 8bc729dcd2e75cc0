from . import isp_subscription
from . import isp_service_plan
from . import isp_fault_ticket
from . import isp_plan_change_request
from . import isp_bank_transfer_payment
from . import isp_payment_promise
from . import res_config_settings
from . import payment_transaction
