"""
The programme as it stood at a moment: measures and their progress as of the end of a day.

The API, for the dashboard, the list and the measure page:

    as_of = parse_as_of(request)            # AsOf or None; raises InvalidAsOf (a ValidationError)
                                            # for a bad ?as_of=YYYY-MM-DD or ?letter=<id>
    as_of.moment                            # aware datetime: the end of that day, Amsterdam time
    as_of.letter                            # the ProgressLetter when ?letter= was used, else None

    measures_as_of(as_of.moment, user=request.user)
        # → a queryset of HistoricalMeasure records: the last version of every measure that existed
        #   then (deleted ones left out), as `user` may see it. Records have the measure's fields
        #   (title, status, get_status_display(), plan, owner, theme, action_line …; `id` is the
        #   measure's id) and can be filtered like Measure.objects (`.filter(status="delayed")`).
    progress_as_of(as_of.moment, user=request.user, measures=[ids])
        # → HistoricalProgressUpdate records as they stood then (newest date first).
    measure_as_of(measure_id, as_of.moment)  # → one HistoricalMeasure record, or None
    compare(from_as_of, to_as_of, user=…)   # → Comparison: added, removed, status changes, progress

    {% include "measures/_as_of_banner.html" %}   # in {% block banner %}, with `as_of` in context

Each function runs a fixed number of queries. The latest record per measure is chosen by
(history_date, history_id), so two records with the same timestamp never give a measure twice —
the duplicate pitfall of simple-history's own `as_of()`.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .formatting import date_nl
from .models import Measure, MeasureStatus, ProgressLetter, ProgressUpdate, Visibility, end_of_day


class InvalidAsOf(ValidationError):
    """The requested moment cannot be read."""


@dataclass
class AsOf:
    day: datetime.date
    letter: ProgressLetter | None = None

    @property
    def moment(self):
        return self.letter.as_of if self.letter else end_of_day(self.day)

    @property
    def day_text(self):
        return date_nl(self.day)

    def query(self, prefix=""):
        """Return the query-string parameter that selects this moment again."""
        if self.letter:
            return f"{prefix}letter={self.letter.pk}"
        return f"{prefix}as_of={self.day.isoformat()}"


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
    return day


def parse_letter(text):
    """Return the ProgressLetter with id `text`; raise InvalidAsOf when there is none."""
    try:
        return ProgressLetter.objects.get(pk=int(text))
    except (TypeError, ValueError, ProgressLetter.DoesNotExist):
        raise InvalidAsOf(
            _("There is no letter with number “%(value)s”."), params={"value": text}
        ) from None


def as_of_from(day_text=None, letter_text=None):
    """Return an AsOf for a date or a letter given as text, or None when neither is given."""
    if letter_text:
        letter = parse_letter(letter_text)
        return AsOf(day=letter.date, letter=letter)
    if day_text:
        return AsOf(day=parse_day(day_text))
    return None


def parse_as_of(request, day_param="as_of", letter_param="letter"):
    """Return the AsOf that `?as_of=YYYY-MM-DD` or `?letter=<id>` asks for, or None for today."""
    return as_of_from(request.GET.get(day_param), request.GET.get(letter_param))


# --- The programme then -----------------------------------------------------------------------


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


_latest_records = latest_records


def _visible_measure_records(records, user):
    """Keep the records `user` may read, judged by the visibility and owner they had then."""
    from .permissions import can_see_confidential, user_organisation

    if user is None or can_see_confidential(user):
        return records
    if not user.is_authenticated:
        return records.none()
    organisation = user_organisation(user)
    hidden = Q(visibility=Visibility.CONFIDENTIAL)
    if organisation is not None:
        hidden &= ~Q(owner_id=organisation.pk)
    return records.exclude(hidden)


def measures_as_of(moment, *, user=None):
    """Return the measures as they stood at `moment` (HistoricalMeasure records, see above)."""
    records = _latest_records(Measure.history.all(), moment)
    records = _visible_measure_records(records, user)
    return records.select_related("plan", "action_line", "theme", "owner").order_by(
        "plan_id", "action_line__order", "code", "title"
    )


def measure_as_of(measure_id, moment):
    """Return the version of one measure at `moment`, or None if it did not exist then."""
    return _latest_records(Measure.history.filter(id=measure_id), moment).first()


def progress_as_of(moment, *, user=None, measures=None):
    """Return the progress updates as they stood at `moment`, newest date first; only those of
    measures visible to `user` then, and of the measure ids in `measures` when given."""
    records = _latest_records(ProgressUpdate.history.all(), moment)
    visible = measures_as_of(moment, user=user).values("id")
    records = records.filter(measure_id__in=visible)
    if measures is not None:
        records = records.filter(measure_id__in=list(measures))
    if user is not None:
        from .permissions import can_see_confidential, user_organisation

        if not can_see_confidential(user):
            # Confidential updates only for the organisation that owned the measure then.
            organisation = user_organisation(user)
            own = measures_as_of(moment).filter(owner_id=getattr(organisation, "pk", None))
            records = records.exclude(
                Q(visibility=Visibility.CONFIDENTIAL) & ~Q(measure_id__in=own.values("id"))
            )
    return records.select_related("author", "author_organisation").order_by("-date", "-history_id")


# --- Comparing two moments ----------------------------------------------------------------------


@dataclass
class StatusChange:
    measure: object  # the HistoricalMeasure record at the later moment
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


def compare(start, end, *, user=None):
    """Return what changed in the programme between two AsOf moments: measures added and removed,
    status changes (from → to), and the progress logged in between. Four queries."""
    if start.moment > end.moment:
        start, end = end, start
    before = {r.id: r for r in measures_as_of(start.moment, user=user)}
    after = list(measures_as_of(end.moment, user=user))
    after_ids = {r.id for r in after}
    comparison = Comparison(start=start, end=end)
    for record in after:
        old = before.get(record.id)
        if old is None:
            comparison.added.append(record)
        elif old.status != record.status:
            comparison.status_changes.append(StatusChange(record, old.status, record.status))
    comparison.removed = [r for pk, r in before.items() if pk not in after_ids]
    created_between = ProgressUpdate.history.filter(
        history_type="+", history_date__gt=start.moment, history_date__lte=end.moment
    ).values("id")
    progress = progress_as_of(end.moment, user=user).filter(id__in=created_between)
    names = {r.id: r for r in after}
    comparison.progress = list(progress)
    for update in comparison.progress:
        update.measure_then = names.get(update.measure_id)
    return comparison
