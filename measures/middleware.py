"""Session limits and cache headers: pages with data are never stored by a browser or proxy."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

SESSION_STARTED = "tracker_session_started"
SESSION_SEEN = "tracker_session_seen"
# How often (seconds) an active session's last-seen time is written back, so that a page view does
# not write the session on every request.
SEEN_REFRESH = 60


def stamp_login(sender, request, user, **kwargs):
    """Signal receiver (user_logged_in): start the session's clocks."""
    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now


def renew_session(session):
    """Start the session's idle time again (a user asked to stay logged in)."""
    session[SESSION_SEEN] = int(time.time())


def idle_seconds_left(session):
    """Return how many seconds the session has left before its idle limit ends it (as
    SessionLimitMiddleware counts: from the last-seen time it keeps, at most a minute old), or
    before its absolute limit when that comes first."""
    now = int(time.time())
    idle = settings.SESSION_COOKIE_AGE - (now - session.get(SESSION_SEEN, now))
    absolute = settings.TRACKER_SESSION_ABSOLUTE_SECONDS - (now - session.get(SESSION_STARTED, now))
    return max(0, min(idle, absolute))


class SessionLimitMiddleware:
    """End a session after TRACKER_SESSION_IDLE_MINUTES without a request, and in any case at its
    absolute limit, however active it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            started = session.get(SESSION_STARTED, now)
            seen = session.get(SESSION_SEEN, now)
            if (
                now - started > settings.TRACKER_SESSION_ABSOLUTE_SECONDS
                or now - seen > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                return redirect_to_login(request.get_full_path())
            if SESSION_STARTED not in session:
                session[SESSION_STARTED] = now
            if now - seen >= SEEN_REFRESH or SESSION_SEEN not in session:
                session[SESSION_SEEN] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Mark every response for a logged-in user `Cache-Control: no-store`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response
