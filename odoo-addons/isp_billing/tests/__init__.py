from . import test_billing_period
from . import test_invoicing
from . import test_suspension
from . import test_bank_transfer
from . import test_access
from . import test_dashboard
from . import test_back_office
from . import test_translations
