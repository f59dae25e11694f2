from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy
from django.views.i18n import set_language

from measures.views.accounts import ThrottledPasswordResetView, keep_alive

# One name for the product, in the tracker and in its admin: "KP/KST-volger" in Dutch.
admin.site.site_header = gettext_lazy("KP/KST tracker")
admin.site.site_title = gettext_lazy("KP/KST tracker")
admin.site.index_title = gettext_lazy("Set-up and data management")

urlpatterns = [
    path("", include("measures.urls")),
    path("admin/", admin.site.urls),
    # Before Django's own: on only with a mail server, and throttled.
    path(
        "accounts/password_reset/",
        ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/keep-alive/", keep_alive, name="keep_alive"),
    path("accounts/", include("django.contrib.auth.urls")),
    # The language can be chosen before logging in, on the login page.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]
