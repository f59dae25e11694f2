"""Login rules beyond Django's: the published demo password never logs in under production."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from .demo import is_demo_password


class TrackerBackend(ModelBackend):
    """Django's model backend that refuses the demo password unless DEBUG is on.

    The demo accounts (`create_demo_users`) and their password are in the README; a database that
    was seeded for a demonstration and then put into production must not let them in. The refusal
    is an ordinary failed login, so django-axes counts it like any other.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.DEBUG and is_demo_password(password):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
