"""
Spreadsheets in and out: the column layout of measures and progress updates, writing rows to
.xlsx (openpyxl) and CSV, and reading them back.

Plain code, no views: `measure_rows()` and `update_rows()` turn model instances into rows,
`write_xlsx()` / `write_csv()` turn rows into a file, `read_table()` turns a file back into rows,
and `export_rows()` wraps a file in an HttpResponse for any page that offers a download.

Every text cell that a spreadsheet program could take for a formula (it starts with `=`, `+`,
`-`, `@`, a tab or a carriage return) is written with a leading apostrophe, in both formats;
`restore_text()` takes that apostrophe off again when the file comes back, so an export → edit →
import round trip changes nothing.

The CSV flavour is the one Dutch Excel opens with a double click: UTF-8 with a byte-order mark
and `;` between the cells.
"""

import csv
import datetime
import decimal
import io
import zipfile
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import translation
from django.utils.text import slugify
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .models import MeasureStatus

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"
MEASURES_SHEET = "Maatregelen"
UPDATES_SHEET = "Voortgang"
LIST_SEPARATOR = ";"
YES, NO = "ja", "nee"


@dataclass(frozen=True)
class Column:
    """One column of a layout: `key` is the name in code, `header` the fixed text in row 1.

    Headers are part of the file format, not of the interface: they stay Dutch whatever the
    language of the page, so a file exported by anyone imports for everyone. Import accepts the
    header or the key, in any case.
    """

    key: str
    header: str
    imported: bool = True


# The measure layout. `status` holds the code (or, when typed by hand, a Dutch or English label);
# `status_label` is the readable Dutch label, used on import only when `status` is empty.
MEASURE_COLUMNS = (
    Column("id", "id"),
    Column("plan", "plan"),
    Column("action_line", "actielijn"),
    Column("theme", "thema"),
    Column("parent", "onderdeel van (id)"),
    Column("code", "nummer"),
    Column("title", "titel"),
    Column("description", "omschrijving"),
    Column("owner", "trekker"),
    Column("partners", "partners"),
    Column("status", "status"),
    Column("status_label", "status (tekst)"),
    Column("start_date", "startdatum"),
    Column("due_date", "uiterste datum"),
    Column("completed_date", "afgerond op"),
    Column("budget_eur", "budget (euro)"),
    Column("funder", "financier"),
    Column("countries", "landen"),
    Column("visibility", "zichtbaarheid"),
    Column("source_reference", "bron"),
)

# The progress-update layout (sheet "Voortgang" of the .xlsx, or a CSV file of its own). Rows
# without an id are new updates, logged with Measure.log_progress; rows with an id are updates
# that exist already and are left as they are. The last three columns are for reading only.
UPDATE_COLUMNS = (
    Column("id", "id"),
    Column("measure", "maatregel (id)"),
    Column("measure_title", "maatregel", imported=False),
    Column("date", "datum"),
    Column("status", "status na update"),
    Column("text", "voortgang"),
    Column("next_steps", "volgende stappen"),
    Column("include_in_letter", "in de brief"),
    Column("visibility", "zichtbaarheid"),
    Column("state", "goedkeuring", imported=False),
    Column("author", "auteur", imported=False),
    Column("organisation", "namens", imported=False),
)


def headers(columns):
    return [column.header for column in columns]


# --- Formula neutralising ----------------------------------------------------------------------


def neutralise(value):
    """Return `value` safe to put in a spreadsheet cell: text that would start a formula gets a
    leading apostrophe. Numbers and dates are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore_text(value):
    """Undo `neutralise()` on a cell read back from a file."""
    if isinstance(value, str) and value[:1] == "'" and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


# --- Rows --------------------------------------------------------------------------------------


def iso(day):
    return day.isoformat() if day else ""


def yes_no(flag):
    return YES if flag else NO


def dutch_label(choices, value):
    with translation.override("nl"):
        return str(choices(value).label) if value in choices.values else value


def measure_row(measure):
    """Return the cells of one measure, in the order of MEASURE_COLUMNS (an unsaved or
    half-filled measure, as in an import preview, gives empty cells where it has nothing)."""
    saved = measure.pk is not None
    return [
        measure.pk,
        str(measure.plan) if measure.plan_id else "",
        measure.action_line.name if measure.action_line_id else "",
        measure.theme.name if measure.theme_id else "",
        measure.parent_id or "",
        measure.code,
        measure.title,
        measure.description,
        measure.owner.short_name if measure.owner_id else "",
        LIST_SEPARATOR.join(o.short_name for o in measure.partners.all()) if saved else "",
        measure.status,
        dutch_label(MeasureStatus, measure.status),
        measure.start_date,
        measure.due_date,
        measure.completed_date,
        measure.budget_eur,
        measure.funder.short_name if measure.funder_id else "",
        LIST_SEPARATOR.join(c.name for c in measure.countries.all()) if saved else "",
        measure.visibility,
        measure.source_reference,
    ]


def measure_rows(measures):
    """Return the rows of `measures` (a queryset: it is fetched with `for_export()`)."""
    if hasattr(measures, "for_export"):
        measures = measures.for_export()
    return [measure_row(m) for m in measures]


def update_row(update):
    """Return the cells of one progress update, in the order of UPDATE_COLUMNS."""
    from .models import UpdateState

    return [
        update.pk,
        update.measure_id,
        str(update.measure),
        update.date,
        update.status,
        update.text,
        update.next_steps,
        yes_no(update.include_in_letter),
        update.visibility,
        dutch_label(UpdateState, update.state),
        author_name(update.author),
        update.author_organisation.short_name if update.author_organisation_id else "",
    ]


def author_name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def update_rows(updates):
    """Return the rows of `updates` (a queryset of ProgressUpdate)."""
    if hasattr(updates, "select_related"):
        updates = updates.select_related("measure", "author", "author_organisation").order_by(
            "measure_id", "date", "pk"
        )
    return [update_row(u) for u in updates]


# --- Writing -----------------------------------------------------------------------------------


def csv_cell(value):
    """Return the text of one CSV cell: ISO dates, a decimal point, neutralised text."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, int | float | decimal.Decimal):
        return str(value)
    return neutralise(str(value))


def write_csv(header, rows):
    """Return `rows` under `header` as CSV text for Dutch Excel: BOM, `;`, CRLF line ends."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=CSV_DELIMITER, quoting=csv.QUOTE_MINIMAL)
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()


def xlsx_cell(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel knows no time zones.
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, int | float | decimal.Decimal | datetime.date):
        return value
    # Control characters (other than tab, line feed and carriage return) cannot be stored in an
    # .xlsx cell at all: openpyxl refuses the whole file. They carry no meaning in our text.
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def write_xlsx(sheets):
    """Return an .xlsx workbook as bytes; `sheets` is a list of (title, header, rows).

    Every text cell is written as a string (never as a formula), dates as dates shown
    yyyy-mm-dd, the header row in bold and frozen.
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([xlsx_cell(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([xlsx_cell(value) for value in row])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, datetime.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, str):
                    cell.data_type = TYPE_STRING  # openpyxl would take "=…" for a formula.
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_rows(header, rows, fmt, filename):
    """Return a download of `rows` under `header` as `fmt` ("xlsx" or "csv").

    For any page that offers its table as a spreadsheet, e.g. the change feed or the
    commitments register::

        return export_rows(["Datum", "Wat"], [[day, text], ...], "xlsx", "wijzigingen")

    Cells may be text, numbers, Decimals, dates or datetimes (naive or aware), booleans (ja/nee)
    or None; text that could start a formula is neutralised. `filename` gets the extension.
    Raises ValueError for an unknown format (views turn that into a 404).
    """
    return spreadsheet_response([(filename, header, rows)], fmt, filename)


def spreadsheet_response(sheets, fmt, filename):
    """Return an HttpResponse with `sheets` as one workbook (xlsx) or the first sheet (csv)."""
    name = f"{slugify(filename) or 'export'}-{datetime.date.today():%Y-%m-%d}.{fmt}"
    if fmt == "xlsx":
        response = HttpResponse(write_xlsx(sheets), content_type=XLSX_CONTENT_TYPE)
    elif fmt == "csv":
        _, header, rows = sheets[0]
        response = HttpResponse(write_csv(header, rows), content_type=CSV_CONTENT_TYPE)
    else:
        raise ValueError(f"Unknown format {fmt!r}; choose xlsx or csv.")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def measures_file(measures, fmt, updates=None):
    """Return the measures as .xlsx bytes (with a "Voortgang" sheet when `updates` is given) or
    as CSV text (the measures only)."""
    if fmt == "csv":
        return write_csv(headers(MEASURE_COLUMNS), measure_rows(measures))
    return write_xlsx(measures_workbook(measures, updates))


def updates_file(updates, fmt):
    """Return progress updates as .xlsx bytes (sheet "Voortgang") or as CSV text."""
    if fmt == "csv":
        return write_csv(headers(UPDATE_COLUMNS), update_rows(updates))
    return write_xlsx([(UPDATES_SHEET, headers(UPDATE_COLUMNS), update_rows(updates))])


def measures_workbook(measures, updates=None):
    """Return the sheets of a measure export: the measures and, if given, their updates."""
    sheets = [(MEASURES_SHEET, headers(MEASURE_COLUMNS), measure_rows(measures))]
    if updates is not None:
        sheets.append((UPDATES_SHEET, headers(UPDATE_COLUMNS), update_rows(updates)))
    return sheets


# --- Reading -----------------------------------------------------------------------------------


class UnreadableFile(ValueError):
    """The file is not a spreadsheet this tracker can read."""


@dataclass
class Table:
    """The rows of one sheet: `header` as found in row 1, and (row number, cells) pairs."""

    header: list
    rows: list


def detect_format(name):
    lowered = (name or "").lower()
    if lowered.endswith(".xlsx"):
        return "xlsx"
    if lowered.endswith((".csv", ".txt")):
        return "csv"
    raise UnreadableFile(f"{name}: only .xlsx and .csv files can be imported.")


def read_table(data, fmt, sheet=None, max_rows=None):
    """Return the Table in `data` (bytes). For .xlsx read the sheet named `sheet` (the first
    one if None; an absent sheet gives None). Blank rows are skipped but keep their number."""
    if fmt == "xlsx":
        rows = _xlsx_rows(data, sheet)
        if rows is None:
            return None
    elif fmt == "csv":
        rows = _csv_rows(data)
    else:
        raise UnreadableFile(f"Unknown format {fmt!r}.")
    return _table(rows, max_rows)


def _table(rows, max_rows):
    header = None
    found = []
    for number, cells in enumerate(rows, start=1):
        if header is None:
            header = [str(c).strip() if c is not None else "" for c in cells]
            continue
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        found.append((number, [restore_text(c) for c in cells]))
        if max_rows is not None and len(found) > max_rows:
            raise UnreadableFile(f"The file has more than {max_rows} rows; split it up.")
    if header is None:
        raise UnreadableFile("The file is empty: the first row must hold the column names.")
    return Table(header=header, rows=found)


def _xlsx_rows(data, sheet):
    # openpyxl parses with defusedxml when it is installed (it is a dependency): entity
    # expansion ("billion laughs") and external entities are refused, not expanded.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise UnreadableFile(f"This is not a readable .xlsx file ({exc}).") from None
    except Exception as exc:  # defusedxml and the XML parser raise many kinds of error.
        raise UnreadableFile(
            f"This .xlsx file could not be read safely ({root_cause(exc)})."
        ) from None
    if sheet is None:
        worksheet = workbook.worksheets[0]
    elif sheet in workbook.sheetnames:
        worksheet = workbook[sheet]
    else:
        return None
    try:
        return [list(row) for row in worksheet.iter_rows(values_only=True)]
    except Exception as exc:
        raise UnreadableFile(
            f"This .xlsx file could not be read safely ({root_cause(exc)})."
        ) from None


def root_cause(exc):
    """Return the name of the first error in the chain (openpyxl wraps the parser's error)."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    return type(exc).__name__


def _csv_rows(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Older Excel saves "CSV" in Windows-1252.
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[cell if cell != "" else None for cell in row] for row in reader]
