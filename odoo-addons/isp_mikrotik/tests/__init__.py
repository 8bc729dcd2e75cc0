from . import test_credentials
from . import test_device_actions
from . import test_translations
