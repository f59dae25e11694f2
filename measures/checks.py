"""Deployment checks (`manage.py check --deploy`) for what Django's own checks cannot know."""

from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from .demo import DEMO_PASSWORD, demo_accounts


@register(Tags.security, deploy=True)
def check_no_demo_accounts(app_configs=None, **kwargs):
    """Fail while a demo account with the published password exists in the database."""
    try:
        found = demo_accounts()
    except DatabaseError:  # Not migrated yet: there are no accounts to find.
        return []
    if not found:
        return []
    names = ", ".join(sorted(user.username for user in found))
    return [
        Error(
            f"Demo accounts with the published password {DEMO_PASSWORD!r} exist: {names}.",
            hint="Delete them or give them real passwords (manage.py changepassword USER) "
            "before going into production.",
            id="tracker.E001",
        )
    ]
