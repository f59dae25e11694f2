from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

admin.site.site_header = "KP/KST tracker"
admin.site.site_title = "KP/KST tracker"

urlpatterns = [
    path("", include("measures.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    # The language can be chosen before logging in, on the login page.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]
