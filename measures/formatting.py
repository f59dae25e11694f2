"""
Dutch formatting for letters and pages: "1 juni 2015", "30,8 %", "€ 2.000.000", "1.373".

The letter to parliament is always Dutch, whatever language the user reads the tracker in, so
these helpers do not depend on the active locale.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def date_nl(value):
    """Return `value` as a Dutch date in words: 1 juni 2015."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        # A moment is dated where the tracker is (Amsterdam), not in UTC.
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return f"{value.day} {MONTHS_NL[value.month - 1]} {value.year}"


def number_nl(value, decimals=None):
    """Return `value` with a decimal comma and a dot for thousands: 1.373 or 30,8.

    With `decimals` None, whole numbers get none and others keep up to two.
    """
    if value is None:
        return ""
    number = Decimal(str(value))
    if decimals is None:
        decimals = (
            0
            if number == number.to_integral_value()
            else min(2, max(1, -number.normalize().as_tuple().exponent))
        )
    quantum = Decimal(1).scaleb(-decimals)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + ".".join(groups)
    return f"{text},{fraction}" if fraction else text


def percent_nl(value, decimals=1):
    """Return a percentage the Dutch way: 30,8 %."""
    if value is None:
        return ""
    return f"{number_nl(value, decimals)} %"


def euro_nl(value):
    """Return an amount in euro: € 2.000.000 (or € 1.250,50)."""
    if value is None:
        return ""
    return f"€ {number_nl(value)}"


def signed_percent_nl(value, decimals=1):
    """Return a change in percent with its sign: +17,9 % or -4,0 %."""
    if value is None:
        return ""
    sign = "+" if value > 0 else ""
    return f"{sign}{percent_nl(value, decimals)}"


def signed_change_nl(value, *, percent):
    """Return a change as a letter states a target: "+25 %" (a percentage, its own decimals)
    or "+100", "-12,5"."""
    if value is None:
        return ""
    if percent:
        return signed_percent_nl(value, decimals=None)
    sign = "+" if value > 0 else ""
    return f"{sign}{number_nl(value)}"


def display_name(user, unknown=""):
    """Return how the tracker names a user: the full name, else the username; `unknown` when
    there is no user."""
    if user is None:
        return unknown
    return user.get_full_name() or user.get_username()
