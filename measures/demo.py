"""The demo accounts: published with their password, so they are for development only.

`create_demo_users` makes them (only with DEBUG on); under production settings the login backend
refuses the demo password and `check --deploy` fails while a demo account still has it.
"""

from django.contrib.auth import get_user_model

DEMO_PASSWORD = "tracker-demo"
DEMO_USERNAMES = ("admin", "coordinator", "contributor", "viewer")


def is_demo_password(password):
    """Return True if `password` is the published demo password."""
    return password == DEMO_PASSWORD


def demo_accounts():
    """Return the demo accounts that still have the published demo password."""
    candidates = get_user_model().objects.filter(username__in=DEMO_USERNAMES)
    return [user for user in candidates if user.check_password(DEMO_PASSWORD)]
