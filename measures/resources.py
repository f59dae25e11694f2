"""
django-import-export for the admin: the measure layout of measures/spreadsheets.py, read and
checked by the same `MeasureRowParser` as the import_measures command.

The admin's two steps (preview, then confirm) run the import once as a dry run and once for real,
each in a transaction. Rows are saved one by one (no `use_bulk`), so history records the admin
user; unchanged rows are skipped, so they leave no empty history records. `full_clean()` runs on
every row (`clean_model_instances`).
"""

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from import_export import resources, widgets
from import_export.fields import Field
from import_export.formats import base_formats

from . import spreadsheets
from .imports import MeasureRowParser, cells_by_key, column_keys
from .models import Measure
from .spreadsheets import MEASURE_COLUMNS

KEYS = [c.key for c in MEASURE_COLUMNS]
KEY_OF = {c.header: c.key for c in MEASURE_COLUMNS}


class MeasureResource(resources.ModelResource):
    class Meta:
        model = Measure
        fields = ("id",)
        import_order = export_order = tuple(KEYS)
        import_id_fields = ["id"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_bulk = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields = {
            c.key: Field(
                attribute=c.key,
                column_name=c.header,
                widget=widgets.IntegerWidget() if c.key == "id" else widgets.Widget(),
            )
            for c in MEASURE_COLUMNS
        }
        self.parser = None
        self.keys = None
        self.pending = {}

    # --- Import ----------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        """Load the reference data once and map the file's headers onto the layout."""
        self.parser = MeasureRowParser()
        self.keys = column_keys(list(dataset.headers or []), MEASURE_COLUMNS)
        self.headers = list(dataset.headers)

    def import_instance(self, instance, row, **kwargs):
        cells = cells_by_key(self.keys, [row.get(h) for h in self.headers])
        changed, m2m, errors = self.parser.apply(instance, cells)
        self.pending[id(instance)] = (changed, m2m)
        if errors:
            # Keyed by field, so that full_clean() leaves those fields to these messages.
            raise ValidationError({KEY_OF[column]: [message] for column, message in errors.items()})

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        changed, _m2m = self.pending.get(id(instance), ([], {}))
        return instance.pk is not None and not changed

    def save_m2m(self, instance, row, **kwargs):
        if not self._is_using_transactions(kwargs) and self._is_dry_run(kwargs):
            return
        _changed, m2m = self.pending.pop(id(instance), ([], {}))
        for name, objs in m2m.items():
            getattr(instance, name).set(objs)

    # --- Export ----------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        return queryset.for_export()

    def export_resource(self, instance, selected_fields=None, **kwargs):
        row = spreadsheets.measure_row(instance)
        return [
            row[KEYS.index(self.get_field_name(f))] for f in self.get_export_fields(selected_fields)
        ]

    def export_field(self, field, instance, **kwargs):
        return spreadsheets.measure_row(instance)[KEYS.index(self.get_field_name(field))]


def dataset_from(table):
    """Return a tablib Dataset of a spreadsheets.Table, every row as wide as the header."""
    width = len(table.header)
    dataset = tablib.Dataset(headers=table.header)
    for _number, cells in table.rows:
        dataset.append((list(cells) + [None] * width)[:width])
    return dataset


def max_bytes():
    return getattr(settings, "TRACKER_MAX_IMPORT_BYTES", 5 * 1024 * 1024)


def max_rows():
    return getattr(settings, "TRACKER_MAX_IMPORT_ROWS", 5000)


class SpreadsheetFormat:
    """Read and write through measures/spreadsheets.py: the size and row limits, formula
    neutralising, Dutch-Excel CSV and defused XML hold in the admin too."""

    FORMAT = ""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream):
        data = in_stream.encode("utf-8") if isinstance(in_stream, str) else in_stream
        if len(data) > max_bytes():
            raise spreadsheets.UnreadableFile(
                f"The file is {len(data)} bytes; at most {max_bytes()} bytes can be imported."
            )
        sheet = spreadsheets.MEASURES_SHEET if self.FORMAT == "xlsx" else None
        table = spreadsheets.read_table(data, self.FORMAT, sheet, max_rows())
        if table is None:
            table = spreadsheets.read_table(data, self.FORMAT, None, max_rows())
        return dataset_from(table)


class TrackerCSV(SpreadsheetFormat, base_formats.CSV):
    FORMAT = "csv"
    CONTENT_TYPE = spreadsheets.CSV_CONTENT_TYPE

    def export_data(self, dataset, **kwargs):
        return spreadsheets.write_csv(dataset.headers, list(dataset))


class TrackerXLSX(SpreadsheetFormat, base_formats.XLSX):
    FORMAT = "xlsx"

    def export_data(self, dataset, **kwargs):
        return spreadsheets.write_xlsx(
            [(spreadsheets.MEASURES_SHEET, dataset.headers, list(dataset))]
        )


FORMATS = [TrackerXLSX, TrackerCSV]
