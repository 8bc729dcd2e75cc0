from . import test_credentials
from . import test_device_actions
