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
import re
import zipfile
from dataclasses import dataclass, replace
from xml.sax.handler import ContentHandler, feature_namespaces

from defusedxml import expatreader as defused_expat
from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.styles import Font
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from ..formatting import display_name
from ..models import MeasureStatus, UpdateState
from .layout import MEASURE_COLUMNS, UPDATE_COLUMNS, headers

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# In CSV a formula character after a separator (of either kind) or a line break inside a cell
# is neutralised too: a program that splits the file on the other separator, or ignores the
# quotes, would otherwise start a cell with it.
CSV_INNER_FORMULA = re.compile(r"([,;\n\r])([=+\-@\t\r])")
CSV_INNER_RESTORE = re.compile(r"([,;\n\r])'([=+\-@\t\r])")
CSV_DELIMITER = ";"
MEASURES_SHEET = "Maatregelen"
UPDATES_SHEET = "Voortgang"
LIST_SEPARATOR = ";"
YES, NO = "ja", "nee"


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


def neutralise_csv(value):
    """Return text for a CSV cell: neutralised at its start and after every separator or line
    break inside it."""
    return neutralise(CSV_INNER_FORMULA.sub(r"\1'\2", value))


def restore_csv_text(value):
    """Undo `neutralise_csv()` inside a CSV cell (the start is undone by `restore_text`)."""
    return CSV_INNER_RESTORE.sub(r"\1\2", value)


# --- Rows --------------------------------------------------------------------------------------


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
        measure.version if saved else "",
    ]


def measure_rows(measures):
    """Return the rows of `measures` (a queryset: it is fetched with `for_export()`)."""
    if hasattr(measures, "for_export"):
        measures = measures.for_export()
    return [measure_row(m) for m in measures]


def update_row(update):
    """Return the cells of one progress update, in the order of UPDATE_COLUMNS."""
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
        display_name(update.author),
        update.author_organisation.short_name if update.author_organisation_id else "",
    ]


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
    return neutralise_csv(str(value))


def write_csv(header, rows):
    """Return `rows` under `header` as CSV text for Dutch Excel: BOM, `;`, CRLF line ends, every
    cell quoted (so no separator, `;` or `,`, can start a cell of its own)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=CSV_DELIMITER, quoting=csv.QUOTE_ALL)
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
    """The file is not a spreadsheet this tracker can read, or it is larger than the limits."""


@dataclass
class Table:
    """The rows of one sheet: `header` as found in row 1, and (row number, cells) pairs."""

    header: list
    rows: list


@dataclass(frozen=True)
class Limits:
    """How much of a file is read before it is refused. Every limit is counted while reading,
    never taken from what the file says about itself (an .xlsx's declared dimension), so a
    small hostile file is refused after reading about as much as an honest one.

    `rows` counts every row after the header, blank rows included; `columns` is the furthest
    column a cell may stand in; `cell_chars` the longest text of one cell; `unpacked_bytes` the
    most an .xlsx part may unpack to, and `ratio` how many times its packed size it may be.
    """

    rows: int = 5000
    columns: int = 60
    cell_chars: int = 100_000
    unpacked_bytes: int = 50 * 1024 * 1024
    ratio: int = 200

    @classmethod
    def from_settings(cls):
        return cls(
            rows=getattr(settings, "TRACKER_MAX_IMPORT_ROWS", cls.rows),
            columns=getattr(settings, "TRACKER_MAX_IMPORT_COLUMNS", cls.columns),
            cell_chars=getattr(settings, "TRACKER_MAX_IMPORT_CELL_CHARS", cls.cell_chars),
            unpacked_bytes=getattr(
                settings, "TRACKER_MAX_IMPORT_UNPACKED_BYTES", cls.unpacked_bytes
            ),
        )

    def check_row(self, number):
        """Refuse row `number` (the header is row 1) when it is past the row limit."""
        if number - 1 > self.rows:
            raise UnreadableFile(
                _("The file has more than %(max)d rows (blank rows included); split it up.")
                % {"max": self.rows}
            )

    def check_column(self, column):
        if column > self.columns:
            raise UnreadableFile(
                _("The file has cells beyond column %(max)d; only the export's columns are read.")
                % {"max": self.columns}
            )

    def check_cell(self, length):
        if length > self.cell_chars:
            raise UnreadableFile(
                _("A cell holds more than %(max)d characters; no field takes that much text.")
                % {"max": self.cell_chars}
            )


def detect_format(name):
    lowered = (name or "").lower()
    if lowered.endswith(".xlsx"):
        return "xlsx"
    if lowered.endswith((".csv", ".txt")):
        return "csv"
    raise UnreadableFile(_("%(name)s: only .xlsx and .csv files can be imported.") % {"name": name})


def read_table(data, fmt, sheet=None, max_rows=None, limits=None):
    """Return the Table in `data` (bytes). For .xlsx read the sheet named `sheet` (the first
    one if None; an absent sheet gives None). Blank rows are skipped but keep their number, and
    count towards the row limit. Raise UnreadableFile as soon as a limit is passed."""
    limits = limits or Limits.from_settings()
    if max_rows is not None:
        limits = replace(limits, rows=max_rows)
    if fmt == "xlsx":
        rows = _xlsx_rows(data, sheet, limits)
        if rows is None:
            return None
    elif fmt == "csv":
        rows = _csv_rows(data, limits)
    else:
        raise UnreadableFile(_("Unknown format %(fmt)s.") % {"fmt": fmt})
    return _table(rows, limits)


def _table(rows, limits):
    """Collect (number, cells) pairs into a Table; `rows` is an iterator, checked as it goes."""
    header = None
    found = []
    for number, cells in rows:
        limits.check_row(number)
        if header is None:
            header = [str(c).strip() if c is not None else "" for c in cells]
            continue
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        found.append((number, [restore_text(c) for c in cells]))
    if header is None:
        raise UnreadableFile(_("The file is empty: the first row must hold the column names."))
    return Table(header=header, rows=found)


def _csv_rows(data, limits):
    """Yield (number, cells) of a CSV file line by line; `;` or `,` as in its first line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Older Excel saves "CSV" in Windows-1252.
    first_line = text[: text.find("\n")] if "\n" in text else text
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for row in reader:
            number += 1
            limits.check_row(number)
            limits.check_column(len(row))
            for cell in row:
                limits.check_cell(len(cell))
            yield number, [restore_csv_text(cell) if cell != "" else None for cell in row]
    except csv.Error:
        # The csv module's own field limit (131,072 characters) or a broken quote.
        raise UnreadableFile(
            _("Row %(row)d of this CSV file could not be read (a cell too long or a stray quote).")
            % {"row": number + 1}
        ) from None


# An .xlsx is read straight from its zip with a streaming parser (defusedxml's expat: no DTD
# entities, no external references). openpyxl is not used for reading: it reads the shared
# strings table whole when it opens a file and pads rows to the dimension the file declares.

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
BUILTIN_DATE_FORMATS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}
CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def _xlsx_rows(data, sheet, limits):
    """Return an iterator of (number, cells) for the sheet named `sheet` (the first if None),
    or None when the workbook has no such sheet."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _check_members(archive, limits)
        sheets, date1904 = _workbook_sheets(archive, limits)
        if not sheets:
            raise UnreadableFile(_("This .xlsx file holds no sheets."))
        if sheet is None:
            path = sheets[0][1]
        else:
            path = dict(sheets).get(sheet)
            if path is None:
                return None
        strings = _shared_strings(archive, limits)
        date_styles = _date_styles(archive, limits)
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError) as exc:
        raise UnreadableFile(
            _("This is not a readable .xlsx file (%(error)s).") % {"error": type(exc).__name__}
        ) from None
    except Exception as exc:  # defusedxml and the XML parser raise many kinds of error.
        raise UnreadableFile(_unsafe(exc)) from None
    return _guarded(_sheet_rows(archive, path, strings, date_styles, date1904, limits))


def _unsafe(exc):
    return _("This .xlsx file could not be read safely (%(error)s).") % {"error": root_cause(exc)}


def _guarded(rows):
    """Pass the rows on, turning a parser's error half-way into UnreadableFile."""
    try:
        yield from rows
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile(_unsafe(exc)) from None


def _check_members(archive, limits):
    """Refuse a zip whose parts unpack to more than the limit, or far more than their packed
    size (a zip bomb), before any of it is unpacked."""
    members = archive.infolist()
    if len(members) > 1000:
        raise UnreadableFile(_("This .xlsx file has too many parts to be a spreadsheet."))
    total = 0
    for member in members:
        total += member.file_size
        packed = max(member.compress_size, 1)
        if (
            member.file_size > limits.unpacked_bytes
            or total > limits.unpacked_bytes
            or (member.file_size > 1024 * 1024 and member.file_size / packed > limits.ratio)
        ):
            raise UnreadableFile(
                _(
                    "This .xlsx file unpacks to more than %(max)d MB; "
                    "no export of this tracker is that large."
                )
                % {"max": limits.unpacked_bytes // (1024 * 1024)}
            )


class _Handler(ContentHandler):
    """A SAX handler that keeps the name of each open element (without namespace)."""

    def __init__(self):
        super().__init__()
        self.path = []

    def startElementNS(self, name, qname, attrs):
        self.path.append(name[1])
        self.start(name[1], {key[1]: value for key, value in attrs.items()})

    def endElementNS(self, name, qname):
        self.end(self.path.pop())

    def start(self, tag, attrs):
        pass

    def end(self, tag):
        pass


def _parse(archive, name, handler, limits, chunk=64 * 1024):
    """Feed zip member `name` to `handler` in chunks (never the whole part at once). Parsing
    stops, with UnreadableFile, when the part unpacks to more than its declared size."""
    parser = defused_expat.create_parser()
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(handler)
    read = 0
    with archive.open(name) as member:
        while block := member.read(chunk):
            read += len(block)
            if read > limits.unpacked_bytes:
                raise UnreadableFile(_("This .xlsx file unpacks to more than it says."))
            parser.feed(block)
            yield
    parser.close()
    yield


def _run(archive, name, handler, limits):
    for _step in _parse(archive, name, handler, limits):
        pass


def _workbook_sheets(archive, limits):
    """Return [(sheet name, part path)] in the workbook's order, and whether dates count from
    1904."""

    class Workbook(_Handler):
        sheets = []
        date1904 = False

        def start(self, tag, attrs):
            if tag == "sheet":
                self.sheets.append((attrs.get("name", ""), attrs.get("id", "")))
            elif tag == "workbookPr":
                self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")

    class Relations(_Handler):
        targets = {}

        def start(self, tag, attrs):
            if tag == "Relationship":
                self.targets[attrs.get("Id", "")] = attrs.get("Target", "")

    workbook, relations = Workbook(), Relations()
    workbook.sheets, relations.targets = [], {}
    _run(archive, "xl/workbook.xml", workbook, limits)
    _run(archive, "xl/_rels/workbook.xml.rels", relations, limits)
    found = []
    for name, rel_id in workbook.sheets:
        target = relations.targets.get(rel_id, "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        found.append((name, path))
    return found, workbook.date1904


def _shared_strings(archive, limits):
    """Return the shared strings, refusing one longer than a cell may be while reading it."""
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []

    class Strings(_Handler):
        def __init__(self):
            super().__init__()
            self.strings, self.parts, self.length, self.reading = [], [], 0, False

        def start(self, tag, attrs):
            if tag == "si":
                self.parts, self.length = [], 0
            elif tag == "t" and "rPh" not in self.path:  # not the phonetic reading
                self.reading = True

        def characters(self, content):
            if self.reading:
                self.length += len(content)
                limits.check_cell(self.length)
                self.parts.append(content)

        def end(self, tag):
            if tag == "t":
                self.reading = False
            elif tag == "si":
                self.strings.append("".join(self.parts))
                if len(self.strings) > (limits.rows + 1) * limits.columns:
                    raise UnreadableFile(_("This .xlsx file holds more text than its rows can."))

    handler = Strings()
    _run(archive, "xl/sharedStrings.xml", handler, limits)
    return handler.strings


def _date_styles(archive, limits):
    """Return the indexes of the cell styles that show a number as a date."""
    if "xl/styles.xml" not in archive.namelist():
        return set()

    class Styles(_Handler):
        def __init__(self):
            super().__init__()
            self.formats, self.styles = {}, []

        def start(self, tag, attrs):
            if tag == "numFmt":
                self.formats[attrs.get("numFmtId")] = attrs.get("formatCode", "")
            elif tag == "xf" and "cellXfs" in self.path:
                self.styles.append(attrs.get("numFmtId", "0"))
                if len(self.styles) > 10_000:
                    raise UnreadableFile(_("This .xlsx file has too many cell styles."))

    handler = Styles()
    _run(archive, "xl/styles.xml", handler, limits)
    dates = set()
    for index, format_id in enumerate(handler.styles):
        code = handler.formats.get(format_id)
        if (code is not None and is_date_format(code)) or (
            code is None and format_id.isdigit() and int(format_id) in BUILTIN_DATE_FORMATS
        ):
            dates.add(index)
    return dates


def _column_number(letters):
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


class _SheetRows(_Handler):
    """Collect the rows of a worksheet as they are parsed; `done` holds the finished rows."""

    def __init__(self, strings, date_styles, date1904, limits):
        super().__init__()
        self.strings, self.date_styles, self.limits = strings, date_styles, limits
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.done, self.number, self.cells = [], 0, None
        self.cell, self.text, self.length, self.reading = None, [], 0, False

    def start(self, tag, attrs):
        if tag == "row":
            number = attrs.get("r")
            self.number = int(number) if number and number.isdigit() else self.number + 1
            self.limits.check_row(self.number)
            self.cells = {}
        elif tag == "c" and self.cells is not None:
            match = CELL_REF.match(attrs.get("r", ""))
            column = _column_number(match.group(1)) if match else len(self.cells) + 1
            self.limits.check_column(column)
            self.limits.check_column(len(self.cells) + 1)
            self.cell = (column, attrs.get("t", "n"), attrs.get("s"))
            self.text, self.length = [], 0
        elif tag in ("v", "t") and self.cell is not None and "rPh" not in self.path:
            self.reading = True

    def characters(self, content):
        if self.reading:
            self.length += len(content)
            self.limits.check_cell(self.length)
            self.text.append(content)

    def end(self, tag):
        if tag in ("v", "t"):
            self.reading = False
        elif tag == "c" and self.cell is not None:
            column, kind, style = self.cell
            self.cells[column] = self.value(kind, style, "".join(self.text))
            self.cell = None
        elif tag == "row" and self.cells is not None:
            width = max(self.cells, default=0)
            self.done.append((self.number, [self.cells.get(i) for i in range(1, width + 1)]))
            self.cells = None

    def value(self, kind, style, raw):
        if kind == "s":
            return (
                self.strings[int(raw)] if raw.isdigit() and int(raw) < len(self.strings) else None
            )
        if kind in ("inlineStr", "str"):
            return raw
        if raw == "":
            return None
        if kind == "b":
            return raw == "1"
        if kind == "e":
            return None  # An error value (#N/A …) reads as an empty cell.
        if kind == "d":
            return datetime.datetime.fromisoformat(raw)
        number = float(raw) if any(c in raw for c in ".eE") else int(raw)
        if style is not None and style.isdigit() and int(style) in self.date_styles:
            return from_excel(number, self.epoch)
        return number


def _sheet_rows(archive, path, strings, date_styles, date1904, limits):
    handler = _SheetRows(strings, date_styles, date1904, limits)
    for _step in _parse(archive, path, handler, limits):
        yield from handler.done
        handler.done = []


def root_cause(exc):
    """Return the name of the first error in the chain (openpyxl wraps the parser's error)."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    return type(exc).__name__
