
from . import test_portal_service
from . import test_portal_service_map
from . import test_portal_access
from . import test_portal_payment
from . import test_portal_tour
from . import test_portal_plan_change
from . import test_portal_fault
from . import test_portal_transfer
from . import test_portal_plan_fault_tours
from . import test_portal_promise
from . import test_signup
from . import test_translations
from . import test_portal_spanish
