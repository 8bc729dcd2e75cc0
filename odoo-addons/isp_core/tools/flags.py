"""Booleans as routers, scripts and ir.config_parameter spell them."""

_TRUE_TEXT = {'1', 'true', 'yes', 'on'}
_FALSE_TEXT = {'0', 'false', 'no', 'off', ''}


def parse_flag(value):
    """True/False for a bool, 0/1 or a common spelling ("1", "true", "no" …); None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE_TEXT | _FALSE_TEXT:
        return value.strip().lower() in _TRUE_TEXT
    return None


def is_enabled(param_value):
    """A system parameter switch ("1"/"0" in the contract) is on."""
    return parse_flag(param_value or '') is True
