from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "KP/KST tracker"
admin.site.site_title = "KP/KST tracker"

urlpatterns = [
    path("", include("measures.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
