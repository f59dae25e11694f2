"""Write the whole database, history included, to one JSON file that `restore` reads back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from measures.backup import OPENERS, BackupError, opener_for, write_backup


class Command(BaseCommand):
    help = (
        "Back up the whole database (every app, users and groups, the history tables; not "
        "sessions or failed logins) to FILE (.json, or compressed .json.gz / .json.bz2 / "
        ".json.xz), readable by its owner only. Restore it with `manage.py restore FILE` into "
        "an empty, migrated database."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file to write, e.g. backup-2026-11-23.json.gz")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            opener_for(path)
        except BackupError:
            raise CommandError(f"The backup file must end in {' or '.join(OPENERS)}.") from None
        if not path.parent.is_dir():
            raise CommandError(f"There is no folder {path.parent}.")
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Every table as of one moment, while the site goes on working.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            write_backup(path)
        self.stdout.write(f"Backup written to {path}.")
