"""The accessibility statement: public, as the EU web accessibility directive asks of a
government service, so it can be read before logging in."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def accessibility_statement(request):
    context = {"contact": settings.TRACKER_ACCESSIBILITY_CONTACT}
    return render(request, "measures/accessibility.html", context)
