"""Parsing of the network identifiers operators and routers send us."""
import ipaddress
import re

_HEX_ONLY = re.compile(r'[^0-9A-Fa-f]')
_MAC_SHAPES = (
    re.compile(r'^[0-9A-Fa-f]{2}([:\-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}$'),  # AA:BB:.. / aa-bb-..
    re.compile(r'^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$'),  # Cisco aabb.ccdd.eeff
    re.compile(r'^[0-9A-Fa-f]{12}$'),  # bare aabbccddeeff
)


def normalize_mac(value):
    """Return ``AA:BB:CC:DD:EE:FF`` for any common notation, or ``None`` when it is not a MAC."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not any(shape.match(text) for shape in _MAC_SHAPES):
        return None
    digits = _HEX_ONLY.sub('', text).upper()
    return ':'.join(digits[i:i + 2] for i in range(0, 12, 2))


def is_valid_ipv4(value):
    if not isinstance(value, str):
        return False
    try:
        ipaddress.IPv4Address(value.strip())
    except ValueError:
        return False
    return True


def parse_ip_port(value):
    """Return ``(ip, port)`` for an ``a.b.c.d:port`` text (port 1-65535), or ``None``."""
    if not isinstance(value, str):
        return None
    ip, sep, port = value.strip().rpartition(':')
    if not sep or not is_valid_ipv4(ip) or ip != ip.strip() or not (port.isascii() and port.isdigit()):
        return None
    if not 0 < int(port) < 65536:
        return None
    return ip, int(port)
