from . import billing_period
