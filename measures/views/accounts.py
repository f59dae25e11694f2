"""Account pages: keeping a session alive, and password reset by e-mail (only with a mail server,
throttled per address and per client)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import PasswordResetView
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from ..attribution import client_address
from ..middleware import renew_session
from ..throttle import allow

HOUR = 60 * 60


@method_decorator(login_not_required, name="dispatch")
class ThrottledPasswordResetView(PasswordResetView):
    """Django's password reset form, absent (404) unless TRACKER_PASSWORD_RESET is on, and
    refused (429) after TRACKER_PASSWORD_RESET_PER_HOUR requests for one e-mail address or
    TRACKER_PASSWORD_RESET_PER_CLIENT_HOUR from one client within an hour. The answer for an
    address without an account stays the same as for one with (no user enumeration)."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.TRACKER_PASSWORD_RESET:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        client_ok = allow(
            "password-reset-client",
            client_address(self.request),
            limit=settings.TRACKER_PASSWORD_RESET_PER_CLIENT_HOUR,
            seconds=HOUR,
        )
        address_ok = allow(
            "password-reset-address",
            form.cleaned_data["email"].strip().lower(),
            limit=settings.TRACKER_PASSWORD_RESET_PER_HOUR,
            seconds=HOUR,
        )
        if not (client_ok and address_ok):
            return render(self.request, "registration/password_reset_throttled.html", status=429)
        return super().form_valid(form)


@require_POST
def keep_alive(request):
    """Renew the session of a user who asked to stay logged in (static/js/session.js): 204.
    A session that has ended never gets here: SessionLimitMiddleware and the login requirement
    send the request to the login page instead."""
    renew_session(request.session)
    return HttpResponse(status=204)
