"""GPS helpers without the ORM: coordinate checks and great-circle distances, in Python and in SQL."""
import math

from odoo.tools import SQL

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius


def has_position(lat, lng):
    """Whether ``lat``/``lng`` name a position: 0/0 is what an empty Float field holds, never a real site."""
    return bool(lat or lng)


def gps_problem(lat, lng, required=False):
    """What is wrong with a coordinate pair: ``'lat'`` or ``'lng'`` out of range, ``'missing'`` (0/0 when
    ``required``), or None when it is acceptable."""
    if not -90 <= (lat or 0.0) <= 90:
        return 'lat'
    if not -180 <= (lng or 0.0) <= 180:
        return 'lng'
    if required and not has_position(lat, lng):
        return 'missing'
    return None


def haversine_km(lat1, lng1, lat2, lng2):
    """Great-circle distance in kilometres between two WGS84 points given in decimal degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_sql(lat1, lng1, lat2, lng2):
    """``haversine_km`` as a Postgres expression over four SQL operands (columns or values), for searches."""
    return SQL(
        "(2 * %(radius)s * asin(least(1.0, sqrt("
        "power(sin(radians(%(lat2)s - %(lat1)s) / 2), 2)"
        " + cos(radians(%(lat1)s)) * cos(radians(%(lat2)s)) * power(sin(radians(%(lng2)s - %(lng1)s) / 2), 2)))))",
        radius=EARTH_RADIUS_KM, lat1=lat1, lng1=lng1, lat2=lat2, lng2=lng2)
