from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _
from simple_history.signals import pre_create_historical_record

from . import attribution


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Action plans and measures")

    def connect_history_origin(self):
        pre_create_historical_record.connect(
            attribution.stamp_origin, dispatch_uid="measures.attribution.stamp_origin"
        )

    def connect_session_clock(self):
        # Imported here, not at the top: at the top it would run before Django's app registry is
        # ready (django.core.exceptions.AppRegistryNotReady: Apps aren't loaded yet).
        from .middleware import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="measures.middleware.stamp_login")

    def ready(self):
        # Imported for its side effect, once the app registry is ready: it registers the
        # deployment checks (manage.py check --deploy).
        from . import checks  # noqa: F401

        self.connect_history_origin()
        self.connect_session_clock()
