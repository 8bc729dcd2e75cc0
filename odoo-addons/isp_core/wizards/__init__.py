from . import isp_subscription_suspend
