from . import service
from . import notice
from . import plan_change
from . import transfer
from . import fault
from . import promise
