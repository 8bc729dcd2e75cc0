from . import isp_device
