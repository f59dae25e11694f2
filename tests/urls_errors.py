"""A URL configuration with a view that fails, to test the generic error page."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path


@login_not_required
def failing_view(request):
    raise RuntimeError("secret detail that must not leak")


urlpatterns = [path("fail/", failing_view)]
