from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Action plans and measures")

    def connect_history_origin(self):
        from simple_history.signals import pre_create_historical_record

        from . import attribution

        pre_create_historical_record.connect(
            attribution.stamp_origin, dispatch_uid="measures.attribution.stamp_origin"
        )

    def connect_session_clock(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="measures.middleware.stamp_login")

    def ready(self):
        from . import checks  # noqa: F401 (registers the deployment checks)

        self.connect_history_origin()
        self.connect_session_clock()
