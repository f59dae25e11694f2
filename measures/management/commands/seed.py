from django.db import transaction

from measures.management.base import TrackerCommand
from measures.permissions import ensure_roles


class Command(TrackerCommand):
    help = "Create the role groups and load the seed data; running it again changes nothing."

    @transaction.atomic
    def handle(self, *args, **options):
        ensure_roles()
        self.stdout.write("Roles ready.")
