"""
Who made a change and where it came from, for every history record.

Web requests are covered by simple-history's HistoryRequestMiddleware. Everything else (management
commands, the shell, data loading) runs inside `acting_as(user, origin)`; when nothing is set, the
change is attributed to the inactive system account, so a history record never has an empty user.
"""

import contextvars
import ipaddress
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from simple_history.models import HistoricalRecords

SYSTEM_USERNAME = "systeem"

_actor = contextvars.ContextVar("history_actor", default=None)
_origin = contextvars.ContextVar("history_origin", default="")


@contextmanager
def acting_as(user, origin):
    """Attribute every change made inside the block to `user`, coming from `origin`."""
    actor_token = _actor.set(user)
    origin_token = _origin.set(origin)
    try:
        yield user
    finally:
        _actor.reset(actor_token)
        _origin.reset(origin_token)


def get_system_user():
    """Return the inactive account that owns changes made outside any request or command."""
    user, _ = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"is_active": False, "first_name": "Systeem"},
    )
    return user


def current_user(instance=None, request=None, **kwargs):
    """Return the user to record; simple-history calls this for every historical record."""
    actor = _actor.get()
    if actor is not None:
        return actor
    if request is not None and request.user.is_authenticated:
        return request.user
    return get_system_user()


def client_address(request):
    """Return the client's address: with TRACKER_TRUST_X_FORWARDED_FOR, the one the trusted proxy
    appended to X-Forwarded-For (the last entry), else the socket's.

    The one rule for "the client's address": the history origin and django-axes' login throttling
    (AXES_CLIENT_IP_CALLABLE) both use it. A forwarded value that is not an address is ignored.
    """
    if settings.TRACKER_TRUST_X_FORWARDED_FOR:
        last = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR", "")


def current_origin():
    """Return where the current change comes from: `web <address>`, a command's name, or shell."""
    origin = _origin.get()
    if origin:
        return origin
    request = getattr(HistoricalRecords.context, "request", None)
    if request is not None:
        return f"web {client_address(request)}".strip()
    return "shell"


def stamp_origin(sender, history_instance, **kwargs):
    """Signal receiver: record the origin on each new historical record."""
    history_instance.history_origin = current_origin()[:200]
