"""
Import of measures and progress updates from a spreadsheet in the export's own layout
(measures/spreadsheets/), so export → edit → import round-trips.

The one import pipeline, for the import_measures command and the coordinators' import page
(measures/views/imports.py): the page's preview is a dry run of the same `import_file`.

Validate all, then write: every row is parsed and checked with the model's own rules
(`full_clean()`) before anything is saved. If any row is wrong, `ImportRefused` lists each bad row
with its row number in the file (the header is row 1) and the column's header, and nothing is
written. A good import saves row by row inside one transaction, so every change gets its history
record with the importing user; rows that change nothing are not saved (no empty history
records). Measures are written by `_save_measure` alone, progress updates by
`Measure.log_progress`, the one transition for progress.

Rules for a row of a measure that exists:
- an empty cell leaves its field as it is;
- the row's "versie" is the version it was exported at: when the measure was saved since, the
  row is refused as stale, listing what changed, unless the import is told to `overwrite`;
- an import never lowers a measure's visibility (public < internal < confidential).
"""

import datetime
import decimal
import functools
import json
import os
import re
import secrets
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..history.changes import stale_lines
from ..locking import StaleEdit
from ..models import (
    ActionLine,
    ChangeReason,
    Country,
    Measure,
    MeasureStatus,
    Organisation,
    Plan,
    ProgressUpdate,
    Theme,
    Visibility,
)
from . import files
from .layout import MEASURE_COLUMNS, UPDATE_COLUMNS

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DUTCH_DATE = re.compile(r"^(\d{2})-(\d{2})-(\d{4})$")
DUTCH_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
TRUE_WORDS = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
FALSE_WORDS = {"nee", "n", "no", "false", "onwaar", "0"}


# --- Results -----------------------------------------------------------------------------------


@dataclass
class RowError:
    sheet: str
    row: int
    messages: list

    def __str__(self):
        if not self.row:
            return f"{self.sheet}: " + "; ".join(str(m) for m in self.messages)
        return _("%(sheet)s, row %(row)d: %(messages)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "messages": "; ".join(str(m) for m in self.messages),
        }


class ImportRefused(Exception):
    """The file cannot be imported; nothing was written. `errors` says why, row by row."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


ACTIONS = {
    "created": gettext_lazy("new"),
    "updated": gettext_lazy("changed"),
    "unchanged": gettext_lazy("unchanged"),
    "added": gettext_lazy("progress update added"),
}


@dataclass
class RowResult:
    sheet: str
    row: int
    action: str  # "created", "updated", "unchanged" or "added" (a progress update)
    label: str
    changed: list = field(default_factory=list)  # the headers of the changed columns
    # (header, old text, new text) of each changed column, values as a reader sees them
    changes: list = field(default_factory=list)

    @property
    def action_text(self):
        return ACTIONS[self.action]

    def __str__(self):
        text = f"{self.sheet}, {_('row')} {self.row}: {ACTIONS[self.action]} – {self.label}"
        if self.changed:
            text += f" ({', '.join(self.changed)})"
        return text


@dataclass
class ImportReport:
    results: list
    dry_run: bool

    def count(self, action):
        return sum(1 for r in self.results if r.action == action)

    @property
    def summary(self):
        counts = {a: self.count(a) for a in ("created", "updated", "unchanged", "added")}
        text = (
            _(
                "%(created)d measures created, %(updated)d updated, %(unchanged)d unchanged; "
                "%(added)d progress updates added."
            )
            % counts
        )
        if self.dry_run:
            text = _("Dry run, nothing was written: ") + text
        return text


# --- Parsing one cell --------------------------------------------------------------------------


def text(value):
    """Return a cell as text: empty for a blank cell, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


def parse_date(value):
    """Return the date in a cell: a spreadsheet date, yyyy-mm-dd or dd-mm-yyyy, strictly."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = str(value).strip()
    if not raw:
        return None
    if match := ISO_DATE.match(raw):
        year, month, day = match.groups()
    elif match := DUTCH_DATE.match(raw):
        day, month, year = match.groups()
    else:
        raise ValueError(_("“%(v)s” is not a date; write yyyy-mm-dd or dd-mm-yyyy.") % {"v": raw})
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(_("“%(v)s” is not a date that exists.") % {"v": raw}) from None


def parse_decimal(value):
    """Return the amount in a cell: a number, 1500.50, or the Dutch 1.500,50 (a € is allowed)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(_("“%(v)s” is not an amount.") % {"v": value})
    if isinstance(value, int | decimal.Decimal):
        return decimal.Decimal(value)
    if isinstance(value, float):
        return decimal.Decimal(repr(value))
    raw = str(value).replace("€", "").replace(" ", "").replace("\u00a0", "").strip()
    if not raw:
        return None
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif DUTCH_THOUSANDS.match(raw):
        if raw.count(".") == 1:
            raise ValueError(
                _("“%(v)s” is ambiguous; write 1500 or 1,5 (or 1.500,00).") % {"v": value}
            )
        raw = raw.replace(".", "")
    try:
        return decimal.Decimal(raw)
    except decimal.InvalidOperation:
        raise ValueError(_("“%(v)s” is not an amount.") % {"v": value}) from None


@functools.cache
def choice_names(choices):
    """Return {code or label in Dutch or English, casefolded: code} for a TextChoices class."""
    names = {}
    for language in ("en", "nl"):
        with translation.override(language):
            for code, label in choices.choices:
                names.setdefault(str(label).casefold(), code)
    for code in choices.values:
        names[code.casefold()] = code
    return names


def parse_choice(choices, value, what):
    """Return the code of a TextChoices value given by its code or its Dutch or English label."""
    raw = text(value)
    try:
        return choice_names(choices)[raw.casefold()]
    except KeyError:
        raise ValueError(_("unknown %(what)s “%(v)s”") % {"what": what, "v": raw}) from None


def parse_bool(value, default=True):
    if value is None or text(value) == "":
        return default
    if isinstance(value, bool):
        return value
    word = text(value).casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(_("“%(v)s” is not ja or nee.") % {"v": value})


def visibility_rank(value):
    """Return how closed a visibility is: public < internal < confidential (Visibility's order)."""
    return Visibility.values.index(value)


def parse_id(value, what):
    raw = text(value)
    if not raw:
        return None
    if not raw.isdigit():
        raise ValueError(_("%(what)s “%(v)s” is not a number.") % {"what": what, "v": raw})
    return int(raw)


def same_text(old, new):
    """Return True if two texts differ at most in surrounding spaces and line-end style."""

    def plain(value):
        return "\n".join(line.rstrip() for line in value.strip().splitlines())

    return plain(old) == plain(new)


def split_list(value):
    return [part.strip() for part in text(value).split(files.LIST_SEPARATOR) if part.strip()]


# --- Reference data by name --------------------------------------------------------------------


class Lookups:
    """The reference data an import names, loaded once: plans, action lines, themes,
    organisations and countries, found by any of their names, ignoring case."""

    def __init__(self):
        self.plans = list(Plan.objects.all())
        self.action_lines = list(ActionLine.objects.all())
        self.themes = list(Theme.objects.all())
        self.organisations = list(Organisation.objects.all())
        self.countries = list(Country.objects.all())
        self.measure_ids = set(Measure.objects.values_list("pk", flat=True))

    @staticmethod
    def find(items, value, names, what):
        wanted = text(value).casefold()
        found = [i for i in items if wanted in {(n(i) or "").casefold() for n in names}]
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValueError(_("unknown %(what)s “%(v)s”") % {"what": what, "v": text(value)})
        raise ValueError(
            _("%(what)s “%(v)s” is ambiguous; use the full name") % {"what": what, "v": text(value)}
        )

    def plan(self, value):
        return self.find(self.plans, value, [lambda p: p.title, lambda p: p.short_title], "plan")

    def action_line(self, plan, value):
        lines = [a for a in self.action_lines if plan is not None and a.plan_id == plan.pk]
        return self.find(lines, value, [lambda a: a.name], _("action line in this plan"))

    def theme(self, value):
        return self.find(self.themes, value, [lambda t: t.code, lambda t: t.name], _("theme"))

    def organisation(self, value):
        return self.find(
            self.organisations,
            value,
            [lambda o: o.abbreviation, lambda o: o.name],
            _("organisation"),
        )

    def country(self, value):
        return self.find(
            self.countries,
            value,
            [lambda c: c.name, lambda c: c.name_en, lambda c: c.code],
            _("country"),
        )


# --- One measure row ---------------------------------------------------------------------------

MEASURE_KEYS = {c.key for c in MEASURE_COLUMNS}
HEADER_OF = {c.key: c.header for c in MEASURE_COLUMNS}
PLAIN_TEXT = ("code", "title", "description", "source_reference")
DATES = ("start_date", "due_date", "completed_date")


def column_keys(header, columns):
    """Return the column key of each header cell (None for an empty one), or raise ValueError
    naming the headers this layout does not know."""
    by_name = {}
    for column in columns:
        by_name[column.header.casefold()] = column.key
        by_name[column.key.casefold()] = column.key
    keys, unknown = [], []
    for name in header:
        if not name:
            keys.append(None)
        elif name.strip().casefold() in by_name:
            keys.append(by_name[name.strip().casefold()])
        else:
            keys.append(None)
            unknown.append(name)
    if unknown:
        raise ValueError(
            _("unknown columns: %(names)s (expected: %(expected)s)")
            % {
                "names": ", ".join(unknown),
                "expected": ", ".join(c.header for c in columns),
            }
        )
    return keys


def cells_by_key(keys, cells):
    return {key: cells[i] if i < len(cells) else None for i, key in enumerate(keys) if key}


class MeasureRowParser:
    """Apply the cells of one spreadsheet row to a Measure, field by field, collecting what is
    wrong instead of stopping at the first problem."""

    def __init__(self, lookups=None):
        self.lookups = lookups or Lookups()

    def apply(self, measure, cells):
        """Set the fields that `cells` (column key → raw value) gives on `measure`.

        Return (changed, m2m, errors): the names of the changed fields (many-to-many included),
        the many-to-many values to set after saving ({"partners": [...], ...}) and a dict of
        column header → message. Columns absent from the file leave their field as it is.
        """
        changed, m2m, errors = [], {}, {}

        def assign(name, value):
            attname = measure._meta.get_field(name).attname
            new = value.pk if hasattr(value, "pk") else value
            old = getattr(measure, attname)
            if isinstance(new, str) and isinstance(old, str) and same_text(old, new):
                return  # Only spaces or line ends differ: a spreadsheet's doing, not an edit.
            if old != new:
                changed.append(name)
            if hasattr(value, "pk") or value is None and attname.endswith("_id"):
                setattr(measure, name, value)
            else:
                setattr(measure, attname, value)

        def attempt(key, func):
            if key not in cells:
                return
            if measure.pk is not None and text(cells[key]) == "":
                return  # An empty cell leaves the field of a measure that exists as it is.
            try:
                func(cells[key])
            except ValueError as exc:
                errors[HEADER_OF[key]] = str(exc)

        lookups = self.lookups
        row_id = parse_id(cells.get("id"), "id") if "id" in cells else None
        if measure.pk is None and row_id is not None and row_id not in lookups.measure_ids:
            errors["id"] = _(
                "there is no measure with id %(id)s; leave the id empty to add a new measure"
            ) % {"id": row_id}

        for key in PLAIN_TEXT:
            attempt(key, lambda v, key=key: assign(key, text(v)))
        attempt("plan", lambda v: assign("plan", lookups.plan(v) if text(v) else None))
        plan = next((p for p in lookups.plans if p.pk == measure.plan_id), None)
        attempt(
            "action_line",
            lambda v: assign("action_line", lookups.action_line(plan, v) if text(v) else None),
        )
        attempt("theme", lambda v: assign("theme", lookups.theme(v) if text(v) else None))
        attempt("owner", lambda v: assign("owner", lookups.organisation(v) if text(v) else None))
        attempt("funder", lambda v: assign("funder", lookups.organisation(v) if text(v) else None))

        def parent(value):
            parent_id = parse_id(value, _("measure"))
            if parent_id is not None and parent_id not in lookups.measure_ids:
                raise ValueError(_("there is no measure with id %(id)s") % {"id": parent_id})
            assign("parent", Measure(pk=parent_id) if parent_id else None)

        attempt("parent", parent)
        for key in DATES:
            attempt(key, lambda v, key=key: assign(key, parse_date(v)))
        attempt("budget_eur", lambda v: assign("budget_eur", parse_decimal(v)))

        def visibility(value):
            new = parse_choice(Visibility, value, _("visibility")) if text(value) else None
            new = new or Visibility.PUBLIC
            if measure.pk is not None and visibility_rank(new) < visibility_rank(
                measure.visibility
            ):
                raise ValueError(
                    _(
                        "an import cannot lower the visibility (from %(old)s to %(new)s); "
                        "change it on the measure's page"
                    )
                    % {
                        "old": Visibility(measure.visibility).label,
                        "new": Visibility(new).label,
                    }
                )
            assign("visibility", new)

        attempt("visibility", visibility)
        self._status(measure, cells, assign, errors)

        def many(name, find):
            def apply(value):
                objs, problems = [], []
                for part in split_list(value):
                    try:
                        objs.append(find(part))
                    except ValueError as exc:
                        problems.append(str(exc))
                if problems:
                    raise ValueError("; ".join(problems))
                current = set() if measure.pk is None else self._current(measure, name)
                if {o.pk for o in objs} != current:
                    changed.append(name)
                    m2m[name] = objs

            return apply

        attempt("partners", many("partners", lookups.organisation))
        attempt("countries", many("countries", lookups.country))
        return changed, m2m, errors

    @staticmethod
    def _current(measure, name):
        return {o.pk for o in getattr(measure, name).all()}

    @staticmethod
    def _status(measure, cells, assign, errors):
        """The status column rules; the readable label column counts only when it is empty.
        Both filled in and naming different statuses is an error."""
        if "status" not in cells and "status_label" not in cells:
            return
        if measure.pk is not None and not (
            text(cells.get("status")) or text(cells.get("status_label"))
        ):
            return  # Both empty: the status stays as it is.
        found = {}
        for key in ("status", "status_label"):
            if text(cells.get(key)):
                try:
                    found[key] = parse_choice(MeasureStatus, cells[key], _("status"))
                except ValueError as exc:
                    errors[HEADER_OF[key]] = str(exc)
                    return
        if len(set(found.values())) > 1:
            # Someone edited one of the two columns: the one that differs from the stored
            # status is the edit. Both edited, differently: ask which one is meant.
            edited = {v for v in found.values() if v != measure.status}
            if measure.pk is None or len(edited) != 1:
                errors[HEADER_OF["status"]] = _(
                    "the status “%(code)s” and the status text “%(label)s” disagree"
                ) % {"code": text(cells["status"]), "label": text(cells["status_label"])}
                return
            assign("status", edited.pop())
            return
        assign("status", found.get("status", found.get("status_label", MeasureStatus.UNKNOWN)))


def validation_messages(exc, header_of, model=Measure):
    """Return a ValidationError's messages as 'column: message' texts (a field that has no
    column is named by its label, never by its name in code)."""

    def label(name):
        if name in header_of:
            return header_of[name]
        try:
            return model._meta.get_field(name).verbose_name
        except Exception:
            return _("row")

    if hasattr(exc, "error_dict"):
        return [
            f"{label(name)}: {message}"
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return list(exc.messages)


# --- The import --------------------------------------------------------------------------------


@dataclass
class PlannedMeasure:
    row: int
    measure: Measure
    action: str
    changed: list
    m2m: dict
    expected_version: int | None = None
    changes: list = field(default_factory=list)


@dataclass
class PlannedUpdate:
    row: int
    measure_id: int
    values: dict


def max_bytes():
    return getattr(settings, "TRACKER_MAX_IMPORT_BYTES", 5 * 1024 * 1024)


def check_size(size, name):
    if size > max_bytes():
        raise ImportRefused(
            [
                RowError(
                    name,
                    0,
                    [
                        _("the file is %(size)s bytes; at most %(max)s bytes can be imported")
                        % {"size": size, "max": max_bytes()}
                    ],
                )
            ]
        )


def read_tables(data, name, updates_data=None, updates_name=None):
    """Return (measures table, updates table) from the uploaded file(s); either may be None.

    An .xlsx holds the measures on its first sheet (or the sheet "Maatregelen") and the progress
    updates on a sheet "Voortgang". A CSV holds one table: measures, or progress updates when it
    is given as the updates file.
    """
    measures_table = updates_table = None
    try:
        if data is not None:
            check_size(len(data), name)
            fmt = files.detect_format(name)
            if fmt == "xlsx":
                measures_table = files.read_table(
                    data, fmt, files.MEASURES_SHEET
                ) or files.read_table(data, fmt, None)
                updates_table = files.read_table(data, fmt, files.UPDATES_SHEET)
                if measures_table is not None and _looks_like_updates(measures_table):
                    measures_table = None  # A workbook with only the "Voortgang" sheet.
            else:
                measures_table = files.read_table(data, fmt, None)
        if updates_data is not None:
            check_size(len(updates_data), updates_name)
            fmt = files.detect_format(updates_name)
            sheet = files.UPDATES_SHEET if fmt == "xlsx" else None
            updates_table = files.read_table(updates_data, fmt, sheet)
    except files.UnreadableFile as exc:
        raise ImportRefused([RowError(name, 0, [str(exc)])]) from None
    return measures_table, updates_table


def _looks_like_updates(table):
    names = {h.casefold() for h in table.header}
    return UPDATE_HEADERS["measure"].casefold() in names and HEADER_OF["title"] not in names


def import_tables(measures_table, updates_table, *, by, dry_run=False, overwrite=False):
    """Validate every row of both tables, then (unless `dry_run`) write them in one transaction.
    With `overwrite`, rows exported before their measure was last saved replace those changes
    instead of being refused as stale.

    Return an ImportReport; raise ImportRefused, having written nothing, if any row is wrong.
    """
    lookups = Lookups()
    errors = []
    planned_measures = (
        _plan_measures(measures_table, lookups, errors, by=by, overwrite=overwrite)
        if measures_table
        else []
    )
    planned_updates = _plan_updates(updates_table, lookups, by, errors) if updates_table else []
    if errors:
        raise ImportRefused(errors)
    results = [
        RowResult(
            files.MEASURES_SHEET,
            p.row,
            p.action,
            str(p.measure),
            [HEADER_OF.get(name, name) for name in p.changed],
            p.changes,
        )
        for p in planned_measures
    ] + [
        RowResult(
            files.UPDATES_SHEET,
            p.row,
            "added",
            str(p.values["measure"]),
            changes=_update_changes(p.values),
        )
        for p in planned_updates
    ]
    if not dry_run:
        _write(planned_measures, planned_updates, by)
    return ImportReport(results=results, dry_run=dry_run)


def _plan_measures(table, lookups, errors, *, by, overwrite=False):
    sheet = files.MEASURES_SHEET
    try:
        keys = column_keys(table.header, MEASURE_COLUMNS)
    except ValueError as exc:
        errors.append(RowError(sheet, 1, [str(exc)]))
        return []
    parser = MeasureRowParser(lookups)
    rows = [(number, cells_by_key(keys, cells)) for number, cells in table.rows]
    ids = [i for _n, c in rows if (i := _safe_id(c.get("id"))) is not None]
    existing = {
        m.pk: m
        for m in Measure.objects.filter(pk__in=ids)
        .select_related("plan", "action_line", "theme", "owner", "funder")
        .prefetch_related("partners", "countries")
    }
    seen = {}
    planned = []
    for number, cells in rows:
        row_id = _safe_id(cells.get("id"))
        if row_id is not None and row_id in seen:
            errors.append(
                RowError(
                    sheet,
                    number,
                    [
                        _("id %(id)s is also in row %(other)d")
                        % {"id": row_id, "other": seen[row_id]}
                    ],
                )
            )
            continue
        if row_id is not None:
            seen[row_id] = number
        measure = existing.get(row_id) or Measure()
        before = readable_values(measure) if measure.pk is not None else {}
        try:
            changed, m2m, problems = parser.apply(measure, cells)
        except ValueError as exc:
            errors.append(RowError(sheet, number, [str(exc)]))
            continue
        messages = [f"{column}: {message}" for column, message in problems.items()]
        action = "created" if measure.pk is None else ("updated" if changed else "unchanged")
        try:
            expected_version = _expected_version(measure, cells, action, overwrite, by)
        except ValueError as exc:
            messages.append(str(exc))
            expected_version = None
        if action != "unchanged" or messages:
            # The model's own rules, for the fields that could be read: all problems at once.
            unread = [KEY_OF[column] for column in problems if column in KEY_OF]
            try:
                measure.full_clean(
                    exclude=unread + (["status"] if "status_label" in unread else [])
                )
            except ValidationError as exc:
                messages += validation_messages(exc, FIELD_HEADERS)
        if action == "unchanged" and not messages:
            planned.append(PlannedMeasure(number, measure, action, changed, m2m))
            continue
        if messages:
            errors.append(RowError(sheet, number, messages))
            continue
        after = readable_values(measure, m2m)
        changes = [
            (HEADER_OF[name], before.get(name, ""), after[name])
            for name in changed
            if name in after
        ]
        planned.append(
            PlannedMeasure(number, measure, action, changed, m2m, expected_version, changes)
        )
    return planned


def _expected_version(measure, cells, action, overwrite, by):
    """Return the version a row of an existing measure may be saved over, or raise ValueError
    (with what changed since) when the row was exported before the measure's last save. Rows
    without a version (a file made by hand) count as made from the current version."""
    if measure.pk is None:
        return None
    version = parse_id(cells.get("version"), HEADER_OF["version"])
    current = measure.version
    if version is not None and version > current:
        raise ValueError(
            _("%(column)s: version %(v)s of this measure does not exist (it is at %(current)s)")
            % {"column": HEADER_OF["version"], "v": version, "current": current}
        )
    if version is None or version == current or overwrite or action == "unchanged":
        return current
    lines = stale_lines(StaleEdit(measure, version), by)
    text = _(
        "%(column)s: this row was exported at version %(v)s, but the measure was changed "
        "since (now version %(current)s); import a fresh export, or choose to overwrite "
        "those changes"
    ) % {"column": HEADER_OF["version"], "v": version, "current": current}
    if lines:
        text += ". " + _("Changed since: %(lines)s") % {"lines": "; ".join(lines)}
    raise ValueError(text)


def readable_values(measure, m2m=None):
    """Return {field name: the value as a reader sees it} of the imported fields of `measure`:
    labels for choices, names for related rows (never codes or ids)."""
    m2m = m2m or {}
    values = {}
    for key in MEASURE_KEYS - {"id", "version", "status_label"}:
        if key in ("partners", "countries"):
            if key in m2m:
                objs = m2m[key]
            elif measure.pk is not None:
                objs = list(getattr(measure, key).all())
            else:
                objs = []
            values[key] = ", ".join(str(o) for o in objs)
            continue
        field_ = measure._meta.get_field(key)
        if field_.choices:
            values[key] = str(getattr(measure, f"get_{key}_display")())
        elif field_.is_relation:
            related_id = getattr(measure, field_.attname)
            if related_id is None:
                values[key] = ""
            elif key == "parent":
                values[key] = str(related_id)
            else:
                values[key] = str(getattr(measure, key))
        else:
            value = getattr(measure, key)
            values[key] = "" if value is None else str(value)
    return values


def _update_changes(values):
    """The columns of a new progress update, as a reader sees them, for the preview."""
    status = values.get("status")
    return [
        (UPDATE_HEADERS["date"], "", str(values.get("date") or _("today"))),
        (UPDATE_HEADERS["status"], "", MeasureStatus(status).label if status else ""),
        (UPDATE_HEADERS["text"], "", values.get("text", "")),
        (UPDATE_HEADERS["visibility"], "", Visibility(values["visibility"]).label),
    ]


KEY_OF = {c.header: c.key for c in MEASURE_COLUMNS}
FIELD_HEADERS = {c.key: c.header for c in MEASURE_COLUMNS} | {"__all__": gettext_lazy("row")}


def _safe_id(value):
    try:
        return parse_id(value, "id")
    except ValueError:
        return None


UPDATE_HEADERS = {c.key: c.header for c in UPDATE_COLUMNS}


def _plan_updates(table, lookups, by, errors):
    sheet = files.UPDATES_SHEET
    try:
        keys = column_keys(table.header, UPDATE_COLUMNS)
    except ValueError as exc:
        errors.append(RowError(sheet, 1, [str(exc)]))
        return []
    imported = {c.key for c in UPDATE_COLUMNS if c.imported}
    rows = [(n, cells_by_key(keys, cells)) for n, cells in table.rows]
    measures = Measure.objects.in_bulk(
        [i for _n, c in rows if (i := _safe_id(c.get("measure"))) is not None]
    )
    existing = ProgressUpdate.objects.in_bulk(
        [i for _n, c in rows if (i := _safe_id(c.get("id"))) is not None]
    )
    planned = []
    for number, cells in rows:
        cells = {k: v for k, v in cells.items() if k in imported}
        problems = []
        values = {}

        def attempt(key, func, cells=cells, values=values, problems=problems):
            try:
                values[key] = func(cells.get(key))
            except ValueError as exc:
                problems.append(f"{UPDATE_HEADERS[key]}: {exc}")

        attempt("id", lambda v: parse_id(v, "id"))
        attempt("measure", lambda v: parse_id(v, _("measure")))
        attempt("date", parse_date)
        attempt(
            "status",
            lambda v: parse_choice(MeasureStatus, v, _("status")) if text(v) else "",
        )
        attempt("text", text)
        attempt("next_steps", text)
        attempt("include_in_letter", parse_bool)
        attempt(
            "visibility",
            lambda v: parse_choice(Visibility, v, _("visibility")) if text(v) else "public",
        )
        measure = measures.get(values.get("measure"))
        if values.get("measure") is None and "measure" in values:
            problems.append(f"{UPDATE_HEADERS['measure']}: {_('this field is required')}")
        elif "measure" in values and measure is None:
            problems.append(
                f"{UPDATE_HEADERS['measure']}: "
                + _("there is no measure with id %(id)s") % {"id": values["measure"]}
            )
        if problems:
            errors.append(RowError(sheet, number, problems))
            continue
        if values["id"] is not None:
            update = existing.get(values["id"])
            if update is None:
                problems.append(_("there is no progress update with id %(id)s") % values)
            elif _differs(update, values):
                problems.append(
                    _(
                        "a progress update that exists cannot be changed by an import; "
                        "empty its id to add it as a new update"
                    )
                )
            if problems:
                errors.append(RowError(sheet, number, problems))
            continue  # An existing update, unchanged: nothing to do.
        values["measure"] = measure
        candidate = ProgressUpdate(
            measure=measure,
            date=values["date"] or datetime.date.today(),
            author=by,
            status=values["status"],
            text=values["text"],
            next_steps=values["next_steps"],
            include_in_letter=values["include_in_letter"],
            visibility=values["visibility"],
        )
        try:
            candidate.full_clean(exclude=["author", "author_organisation"])
        except ValidationError as exc:
            errors.append(
                RowError(sheet, number, validation_messages(exc, UPDATE_HEADERS, ProgressUpdate))
            )
            continue
        planned.append(PlannedUpdate(number, measure.pk, values))
    return planned


def _differs(update, values):
    return any(
        getattr(update, key) != values[key]
        for key in ("date", "status", "text", "next_steps", "include_in_letter", "visibility")
        if key in values and not (key == "date" and values[key] is None)
    ) or (values.get("measure") is not None and update.measure_id != values["measure"])


IMPORT_REASON = ChangeReason.IMPORT


def _save_measure(measure, *, by, reason, expected_version, m2m):
    """Write one imported measure, the only place an import saves a measure: through the one
    write path (`save_change`), with the version check for one that exists (StaleEdit when
    someone saved it since `expected_version`)."""
    measure.save_change(by=by, reason=reason, expected_version=expected_version, m2m=m2m)


def _write(planned_measures, planned_updates, by):
    """Save row by row, in one transaction (history needs the signals bulk writes skip)."""
    with transaction.atomic():
        for plan in planned_measures:
            if plan.action == "unchanged":
                continue
            try:
                _save_measure(
                    plan.measure,
                    by=by,
                    reason=IMPORT_REASON,
                    expected_version=plan.expected_version,
                    m2m=plan.m2m,
                )
            except StaleEdit as stale:
                lines = [str(stale.message), *stale_lines(stale, by)]
                raise ImportRefused([RowError(files.MEASURES_SHEET, plan.row, lines)]) from stale
            except (ValidationError, DatabaseError) as exc:
                raise ImportRefused(
                    [RowError(files.MEASURES_SHEET, plan.row, _messages(exc))]
                ) from exc
        for plan in planned_updates:
            values = plan.values
            measure = Measure.objects.get(pk=plan.measure_id)
            try:
                measure.log_progress(
                    by=by,
                    text=values["text"],
                    date=values["date"],
                    status=values["status"] or None,
                    next_steps=values["next_steps"],
                    include_in_letter=values["include_in_letter"],
                    visibility=values["visibility"],
                )
            except (ValidationError, DatabaseError) as exc:
                raise ImportRefused(
                    [RowError(files.UPDATES_SHEET, plan.row, _messages(exc))]
                ) from exc


def _messages(exc):
    if isinstance(exc, ValidationError):
        return validation_messages(exc, FIELD_HEADERS)
    return [str(exc)]


def import_file(
    data, name, *, by, dry_run=False, updates_data=None, updates_name=None, overwrite=False
):
    """Read, validate and (unless `dry_run`) import a spreadsheet; see `import_tables`."""
    measures_table, updates_table = read_tables(data, name, updates_data, updates_name)
    if measures_table is None and updates_table is None:
        raise ImportRefused(
            [RowError(name or updates_name, 0, [_("the file holds no measures or updates")])]
        )
    return import_tables(measures_table, updates_table, by=by, dry_run=dry_run, overwrite=overwrite)


# --- Uploads kept between the import page's preview and its confirmation ----------------------

UPLOAD_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


@dataclass
class StoredUpload:
    """An uploaded file (and its optional updates file) kept on the server, in a private folder,
    under a random token bound to the user who uploaded it, until it is confirmed, cancelled or
    expired (TRACKER_IMPORT_UPLOAD_MINUTES). The confirmation names the token only: never a
    file name from the client."""

    token: str
    user_id: int
    name: str
    updates_name: str
    overwrite: bool
    created: float

    @staticmethod
    def folder():
        return Path(settings.TRACKER_IMPORT_UPLOAD_DIR)

    @property
    def path(self):
        return self.folder() / self.token

    @classmethod
    def store(cls, user, *, data, name, updates_data=None, updates_name=None, overwrite=False):
        """Keep the upload and return it; expired uploads of anyone are removed first."""
        cls.sweep()
        upload = cls(
            token=secrets.token_urlsafe(32),
            user_id=user.pk,
            name=name or "",
            updates_name=updates_name or "",
            overwrite=bool(overwrite),
            created=time.time(),
        )
        upload.path.mkdir(mode=0o700, parents=True)
        meta = {k: v for k, v in asdict(upload).items() if k != "token"}
        for filename, content in (
            ("meta.json", json.dumps(meta).encode()),
            ("data", data),
            ("updates", updates_data),
        ):
            if content is not None:
                descriptor = os.open(upload.path / filename, os.O_WRONLY | os.O_CREAT, 0o600)
                with os.fdopen(descriptor, "wb") as out:
                    out.write(content)
        return upload

    @classmethod
    def load(cls, token, user):
        """Return the upload under `token` if `user` made it and it has not expired, else None."""
        if not UPLOAD_TOKEN.match(token or "") or not user.is_authenticated:
            return None
        try:
            meta = json.loads((cls.folder() / token / "meta.json").read_bytes())
            upload = cls(token=token, **meta)
        except (OSError, ValueError, TypeError):
            return None
        if upload.expired():
            upload.delete()
            return None
        return upload if upload.user_id == user.pk else None

    def expired(self):
        return time.time() - self.created > settings.TRACKER_IMPORT_UPLOAD_MINUTES * 60

    def read(self, filename):
        path = self.path / filename
        return path.read_bytes() if path.exists() else None

    def import_arguments(self):
        """Return the keyword arguments of `import_file` for this upload."""
        return {
            "data": self.read("data"),
            "name": self.name or None,
            "updates_data": self.read("updates"),
            "updates_name": self.updates_name or None,
            "overwrite": self.overwrite,
        }

    def delete(self):
        shutil.rmtree(self.path, ignore_errors=True)

    @classmethod
    def sweep(cls):
        """Remove the uploads that were never confirmed or cancelled in time."""
        folder = cls.folder()
        if not folder.is_dir():
            return
        limit = time.time() - settings.TRACKER_IMPORT_UPLOAD_MINUTES * 60
        for path in folder.iterdir():
            if UPLOAD_TOKEN.match(path.name) and path.stat().st_mtime < limit:
                shutil.rmtree(path, ignore_errors=True)
