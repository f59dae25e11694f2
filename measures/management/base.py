"""The base for management commands that write: every change is attributed and traced."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ..attribution import acting_as, get_system_user


class TrackerCommand(BaseCommand):
    """A command whose writes are recorded in history as `--user` (or the system account),
    with the command's name as their origin."""

    def add_arguments(self, parser):
        parser.add_argument(
            "--user",
            help="Username to record in the history as the one who made the changes "
            "(default: the inactive system account).",
        )

    def resolve_user(self, username):
        if not username:
            return get_system_user()
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}; nothing was written.") from None

    def execute(self, *args, **options):
        user = self.resolve_user(options.get("user"))
        name = self.__module__.rsplit(".", 1)[-1]
        with acting_as(user, f"command {name}"):
            return super().execute(*args, **options)
