"""Calendar arithmetic of billing periods and of the suspension point, free of the ORM."""
from datetime import timedelta

from dateutil.relativedelta import relativedelta

MAX_MONTH_DAY = 28


def next_billing_date(day, billing_day):
    """First occurrence of ``billing_day`` strictly after ``day``."""
    candidate = day.replace(day=billing_day)
    if candidate <= day:
        candidate += relativedelta(months=1)
    return candidate


def period_for(start, billing_day):
    """The period that begins on ``start``: ``(end, days, full_days)``.

    A period ends the day before the next billing day; ``days < full_days`` only for a
    period that does not begin on a billing day (the first one), which is prorated.
    """
    following = next_billing_date(start, billing_day)
    previous = following - relativedelta(months=1)
    return following - timedelta(days=1), (following - start).days, (following - previous).days


def suspension_cutoff(today, suspension_day, grace_days):
    """Invoices whose reference date is strictly before the returned date are past their
    suspension point today.

    The suspension point of an invoice is the first ``suspension_day`` of a month strictly
    after its reference date (the later of its due date and the start of its service period),
    moved ``grace_days`` later. The returned date is the latest such day whose suspension
    point has been reached.
    """
    effective = today - timedelta(days=grace_days)
    cutoff = effective.replace(day=suspension_day)
    if effective.day < suspension_day:
        cutoff -= relativedelta(months=1)
    return cutoff


def clamp_day(value, default):
    """A configured day of the month as an int in 1..28 (bad input falls back to ``default``)."""
    try:
        day = int(value)
    except (TypeError, ValueError):
        return default
    return min(max(day, 1), MAX_MONTH_DAY)
