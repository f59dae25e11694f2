"""Import measures and progress updates from a spreadsheet in the export's layout."""

from pathlib import Path

from django.core.management.base import CommandError

from measures.management.base import TrackerCommand
from measures.spreadsheets.imports import ImportRefused, check_size, import_file


class Command(TrackerCommand):
    help = (
        "Import measures (and progress updates) from an .xlsx or CSV file in the export's "
        "layout. Rows with an id update that measure, rows without one add a measure. Every row "
        "is checked first; if any is wrong nothing is written. An .xlsx may hold progress "
        "updates on a sheet 'Voortgang'; for CSV give them with --updates. A row exported before "
        "its measure was last saved is refused unless --overwrite is given; an empty cell leaves "
        "its field as it is."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", nargs="?", help="The .xlsx or .csv file with the measures.")
        parser.add_argument(
            "--updates", help="A .csv (or .xlsx) file with progress updates to add."
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Apply rows exported before their measure was last saved, replacing the changes "
            "made since (without it such rows are refused as stale).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, without writing anything.",
        )

    def handle(self, *args, **options):
        if not options["file"] and not options["updates"]:
            raise CommandError("Name a file to import (and/or --updates FILE).")
        data, name = self.read(options["file"])
        updates_data, updates_name = self.read(options["updates"])
        try:
            report = import_file(
                data,
                name,
                by=self.resolve_user(options["user"]),
                dry_run=options["dry_run"],
                updates_data=updates_data,
                updates_name=updates_name,
                overwrite=options["overwrite"],
            )
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"The import was refused: {len(refused.errors)} row(s) need correcting. "
                "Nothing was written."
            ) from None
        verbosity = options["verbosity"]
        for result in report.results:
            if verbosity >= 2 or (verbosity >= 1 and result.action != "unchanged"):
                self.stdout.write(str(result))
        self.stdout.write(report.summary)

    def read(self, filename):
        if not filename:
            return None, None
        path = Path(filename)
        if not path.is_file():
            raise CommandError(f"No file {filename}; nothing was written.")
        try:
            check_size(path.stat().st_size, path.name)
        except ImportRefused as refused:
            raise CommandError(f"{refused} Nothing was written.") from None
        return path.read_bytes(), path.name
