from django.db import transaction

from measures.access import ensure_roles
from measures.management.base import TrackerCommand
from measures.seeding import seed_letters


class Command(TrackerCommand):
    help = (
        "Create the role groups and replay the seed letters (fixtures/seed_letters.json) in date "
        "order, with their history; running it again changes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        ensure_roles()
        self.stdout.write("Roles ready.")
        written = seed_letters(by=self.resolve_user(options.get("user")))
        if written:
            summary = ", ".join(f"{name}: {count}" for name, count in sorted(written.items()))
            self.stdout.write(f"Seed letters replayed ({summary}).")
        else:
            self.stdout.write("Seed letters already loaded; nothing changed.")
