"""Write all measures (and their progress updates) to an .xlsx or CSV file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measures.models import Measure, ProgressUpdate
from measures.spreadsheets import files


class Command(BaseCommand):
    help = (
        "Export every measure to FILE (.xlsx: sheets 'Maatregelen' and 'Voortgang'; .csv: the "
        "measures only, or the progress updates with --updates). The file imports back with "
        "import_measures."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx or .csv file to write.")
        parser.add_argument(
            "--updates",
            action="store_true",
            help="For a .csv file: write the progress updates instead of the measures.",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            fmt = files.detect_format(path.name)
        except files.UnreadableFile as exc:
            raise CommandError(str(exc)) from None
        measures = Measure.objects.all()
        updates = ProgressUpdate.objects.all()
        if fmt == "xlsx":
            path.write_bytes(files.measures_file(measures, fmt, updates))
        elif options["updates"]:
            path.write_text(files.updates_file(updates, fmt), encoding="utf-8", newline="")
        else:
            path.write_text(files.measures_file(measures, fmt), encoding="utf-8", newline="")
        self.stdout.write(f"Written to {path}.")
