"""
The programme at a moment: the one reader of the past, for every page and output.

Every fact has two times (see shared TIME.md): its **valid time**, when it happened or applies (a
measure's joining date, the day a status took effect, a progress update's date, a figure's year),
entered by users; and its **record time**, when the tracker learned it (the history record's
`history_date`). Every "as of" question is a pair: *the programme on day D, as known at moment K*.

    as_of = parse_as_of(request)      # AsOf or None; raises InvalidAsOf (a ValidationError)
        # ?as_of=YYYY-MM-DD      "stand op": the valid day D
        # ?known=YYYY-MM-DD      "zoals bekend op": K is the end of that day (default: now)
        # ?letter=<id>           K is the moment that letter was sent; D defaults to its date
    as_of.day, as_of.known            # date D; aware datetime K, or None for now

    records_at(model, known)          # every object as recorded at K: the latest history record
                                      # of each (deletions dropped), or the live table for now
    measures_on(as_of, user=…)        # the measures in the programme on D as known at K that
                                      # `user` may read, each with `status_then` (its status on D)
    progress_on(as_of, user=…)        # their progress updates dated up to D, as known at K
    status_on(day, known)             # the expression behind `status_then`
    version_at(model, pk, known)      # one object's record at K (the history page: record time)
    compare(start, end, user=…)       # what changed between two AsOfs

The status on D as known at K is the status of the latest record (up to K) whose `status_since`
is on or before D: a later record with an earlier `status_since` (a back-dated change, or a
correction) overrides what was recorded before it from that day on. Access is the one rule of
`models.readable_measures`/`readable_updates`, applied to each record by its own visibility and
owner and by the measure's present terms.

Each function runs a fixed number of queries. The latest record per object is chosen by
(history_date, history_id), so two records with the same timestamp never give an object twice —
the duplicate pitfall of simple-history's own `as_of()`.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, DateField, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..dates import EARLIEST
from ..formatting import date_nl
from ..models import (
    Measure,
    MeasureStatus,
    ProgressLetter,
    ProgressUpdate,
    end_of_day,
    readable_measures,
    readable_updates,
)


class InvalidAsOf(ValidationError):
    """The requested moment cannot be read."""


@dataclass
class AsOf:
    """The programme on `day` (valid time) as known at the end of `known_day`, or at the moment
    `letter` was sent, or now when neither is given (record time)."""

    day: datetime.date
    known_day: datetime.date | None = None
    letter: ProgressLetter | None = None

    @property
    def known(self):
        """Return the record moment K as an aware datetime, or None for now."""
        if self.letter is not None and self.letter.known_at is not None:
            return self.letter.known_at
        if self.known_day is not None:
            return end_of_day(self.known_day)
        return None

    @property
    def known_text(self):
        """Return K in words: a letter's date, a day, or None for now."""
        if self.letter is not None and self.letter.is_sent:
            return date_nl(self.letter.date)
        if self.known_day is not None:
            return date_nl(self.known_day)
        return None

    def query(self, prefix=""):
        """Return the query string that selects this moment again."""
        parts = []
        if self.letter:
            parts.append(f"letter={self.letter.pk}")
            if self.day != self.letter.date:
                parts.append(f"as_of={self.day.isoformat()}")
        else:
            parts.append(f"as_of={self.day.isoformat()}")
            if self.known_day is not None:
                parts.append(f"known={self.known_day.isoformat()}")
        return prefix + "&".join(parts)


def parse_day(text, *, today=None):
    """Return the date in `text` (YYYY-MM-DD); raise InvalidAsOf for anything else or the future."""
    try:
        day = datetime.date.fromisoformat((text or "").strip())
    except ValueError:
        raise InvalidAsOf(
            _("“%(value)s” is not a date; use the form 2015-06-01."), params={"value": text}
        ) from None
    if day > (today or timezone.localdate()):
        raise InvalidAsOf(_("%(day)s lies in the future."), params={"day": date_nl(day)})
    if day < EARLIEST:
        raise InvalidAsOf(_("%(day)s lies before any record."), params={"day": date_nl(day)})
    return day


def parse_letter(text):
    """Return the ProgressLetter with id `text`; raise InvalidAsOf when there is none."""
    try:
        return ProgressLetter.objects.get(pk=int(text))
    except (TypeError, ValueError, OverflowError, ProgressLetter.DoesNotExist):
        raise InvalidAsOf(
            _("There is no letter with number “%(value)s”."), params={"value": text}
        ) from None


def as_of_from(day_text=None, letter_text=None, known_text=None):
    """Return the AsOf for a valid day, a letter and a known-at day given as text (each may be
    empty), or None when none is given."""
    letter = parse_letter(letter_text) if letter_text else None
    known_day = parse_day(known_text) if known_text and letter is None else None
    if day_text:
        day = parse_day(day_text)
    elif letter is not None:
        day = letter.date
    elif known_day is not None:
        day = known_day
    else:
        return None
    return AsOf(day=day, known_day=known_day, letter=letter)


def parse_as_of(request, day_param="as_of", letter_param="letter", known_param="known"):
    """Return the AsOf that `?as_of=`, `?known=` and `?letter=` ask for, or None for today."""
    return as_of_from(
        request.GET.get(day_param), request.GET.get(letter_param), request.GET.get(known_param)
    )


# --- Record time: what was recorded at K --------------------------------------------------------


def latest_records(history_queryset, moment, *, inclusive=True):
    """Return the last record of every object at `moment` (strictly before it when not
    `inclusive`), deletions dropped, one per object: the latest by (history_date, history_id),
    so two records with one timestamp never give an object twice. One query, in SQL; further
    filters on the result (e.g. `date__gte`) apply to the chosen records, not to the choice."""
    model = history_queryset.model
    until = "history_date__lte" if inclusive else "history_date__lt"
    latest = (
        model.objects.filter(id=OuterRef("id"), **{until: moment})
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return (
        history_queryset.filter(**{until: moment})
        .filter(history_id=Subquery(latest))
        .exclude(history_type="-")
    )


def records_at(model, known=None):
    """Return `model`'s objects as recorded at `known` (None: now), unordered, as a queryset to
    filter and read `.values()` from (`id` is the object's id either way).

    A moment in the past reads the history: the latest record of each object then
    (`latest_records`). Now (or a moment from now on) reads the live table instead: every write
    through the models stores its history record as it happens, so the latest records now are the
    live rows, and the live table answers without a correlated subquery per object. Writes that
    skip the history (bulk_create, bulk_update, QuerySet.update(), loaddata: simple-history
    records from signals) would make the two differ; the tracker makes none.
    """
    if known is None or known >= timezone.now():
        return model._default_manager.order_by()
    return latest_records(model.history.all(), known).order_by()


def version_at(model, pk, known):
    """Return the version of one object recorded at `known`, or None if it had none then."""
    return latest_records(model.history.filter(id=pk), known).first()


# --- Valid time: what applied on D --------------------------------------------------------------


def status_on(day, known=None, *, ref="id"):
    """Return an expression for the status in effect on `day`, as known at `known` (None: now), of
    the measure whose id is the outer query's `ref`: the status of the latest record up to `known`
    whose status took effect on or before `day`; "" when none had (joined without a status then).

    On a live row or a record of K whose own status took effect by `day`, that is its own status
    (the latest record with an earlier date is itself); the history is read only for the others.
    """
    records = Measure.history.filter(id=OuterRef(ref), status_since__lte=day)
    if known is not None:
        records = records.filter(history_date__lte=known)
    earlier = Subquery(records.order_by("-history_date", "-history_id").values("status")[:1])
    return Case(
        When(status_since__lte=day, then=F("status")),
        default=Coalesce(earlier, Value("")),
        output_field=CharField(),
    )


def measures_on(as_of, *, user=None):
    """Return the measures in the programme on `as_of.day` as known at `as_of.known` that `user`
    may read (None: all): live rows for now, else history records; each with `status_then`, its
    status on that day (the record's own `status` is the latest one recorded at K). Ordered as
    the programme is."""
    records = readable_measures(records_at(Measure, as_of.known), user)
    return (
        records.filter(joined_on__lte=as_of.day)
        .annotate(
            status_then=status_on(as_of.day, as_of.known),
            day_then=Value(as_of.day, output_field=DateField()),
        )
        .select_related("plan", "action_line", "theme", "owner")
        .order_by("plan", "action_line__order", "code", "title")
    )


def shown_then(records):
    """Return `records` (from `measures_on`) as a list whose `status` is the status on the day
    asked for, so templates and the rules of the model (`is_closed`, `is_overdue`) answer for it."""
    records = list(records)
    for record in records:
        # The record's own date goes with its own status only when that status held by then;
        # otherwise the day the status then began is not read here, so it is not shown.
        if record.status != record.status_then or record.status_since > record.day_then:
            record.status_since = None
        record.status = record.status_then
    return records


def overdue_on(records, day):
    """Return the measures among `records` (from `measures_on`) overdue on `day`: not closed by
    their status then, due before it. The rule of `MeasureQuerySet.overdue` for a past day."""
    return records.exclude(status_then__in=MeasureStatus.closed()).filter(due_date__lt=day)


def progress_on(as_of, *, user=None, measures=None):
    """Return the progress updates dated up to `as_of.day` as recorded at `as_of.known` (newest
    date first) that `user` may read, of measures in the programme then (`measures_on`), and of
    the measure ids in `measures` when given."""
    records = readable_updates(records_at(ProgressUpdate, as_of.known), user)
    records = records.filter(
        date__lte=as_of.day, measure_id__in=measures_on(as_of, user=user).values("id")
    )
    if measures is not None:
        records = records.filter(measure_id__in=list(measures))
    return records.select_related("author", "author_organisation").order_by("-date", "-id")


# --- Comparing two moments ----------------------------------------------------------------------


@dataclass
class MeasureThen:
    """What a comparison shows of a measure at one moment."""

    id: int
    code: str
    title: str
    status: str

    def get_status_display(self):
        return MeasureStatus(self.status).label


@dataclass
class ProgressThen:
    id: int
    measure_id: int
    date: datetime.date
    text: str
    measure_then: MeasureThen | None = None


@dataclass
class StatusChange:
    measure: MeasureThen  # the measure at the later moment
    old_status: str
    new_status: str

    @property
    def old_label(self):
        return MeasureStatus(self.old_status).label

    @property
    def new_label(self):
        return MeasureStatus(self.new_status).label


@dataclass
class Comparison:
    start: AsOf
    end: AsOf
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    status_changes: list = field(default_factory=list)
    progress: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not (self.added or self.removed or self.status_changes or self.progress)

    @property
    def moments(self):
        return (self.start, self.end)


def _measures_then(as_of, user):
    """Return {id: MeasureThen} of `measures_on(as_of)`, read as plain values (one query)."""
    rows = measures_on(as_of, user=user).values("id", "code", "title", "status_then")
    return {
        row["id"]: MeasureThen(row["id"], row["code"], row["title"], row["status_then"])
        for row in rows
    }


def compare(start, end, *, user=None):
    """Return what changed in the programme between two AsOfs: measures that joined and left,
    status changes (from → to, each as known at its own moment), and the progress dated after
    the first day up to the second, as known at the second. Three queries, plain values."""
    if (start.day, start.known or timezone.now()) > (end.day, end.known or timezone.now()):
        start, end = end, start
    before = _measures_then(start, user)
    after = _measures_then(end, user)
    comparison = Comparison(start=start, end=end)
    for pk, measure in after.items():
        old = before.get(pk)
        if old is None:
            comparison.added.append(measure)
        elif old.status != measure.status:
            comparison.status_changes.append(StatusChange(measure, old.status, measure.status))
    comparison.removed = [measure for pk, measure in before.items() if pk not in after]
    updates = (
        readable_updates(records_at(ProgressUpdate, end.known), user)
        .filter(
            date__gt=start.day,
            date__lte=end.day,
            measure_id__in=measures_on(end, user=user).values("id"),
        )
        .order_by("-date", "-id")
        .values("id", "measure_id", "date", "text")
    )
    comparison.progress = [
        ProgressThen(**row, measure_then=after.get(row["measure_id"])) for row in updates
    ]
    return comparison
