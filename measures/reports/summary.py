"""
The progress summary: the draft of the next progress letter, built from the data.

`build_summary(start, end, ...)` asks about valid time as known at one record moment (see shared
TIME.md): the facts that applied in [start, end] — measures that joined the programme in it, the
status in effect at its start and end, progress dated in it, figures of its years, commitments
made, due or answered in it — as the tracker knew them at `known` (default now). A sent letter
is the same built as known at its sent moment (`ProgressLetter.known_at`), so it stays identical
whatever is recorded later; `corrections(letter)` is the difference. It returns plain
dataclasses; the renderers in `measures/reports/renderers/` only format them. Nothing here renders,
nothing there queries.

Every model is read through the one reader, `asof.records_at` (the live table for now, the
latest history record of each object at a past moment), in one query each; a measure's statuses
at the period's start and end and at the previous letter are `asof.status_on` expressions of
the same query; progress updates are read only when dated in the period (or since the previous
letter, for the changes). Names (organisations, themes, plans, action lines, indicators) are
read as recorded at `known` too, so a renamed organisation does not change a sent letter.

A letter's own words (`LetterPassage`: the coordinator's opening, a paragraph before a theme,
plan or action line, a measure's paragraph replaced for this letter, the assessment and the
closing) are read the same way, as recorded at `known`, and hung on the structure: `Summary`
(opening, assessment, closing), `ThemeSection`, `ActionLineSection` (its plan's paragraph on
the first section of the plan, its line's) and `MeasureEntry` (the replacement). Where they go
in the letter, and what they replace, is the renderers' one decision (see
renderers/__init__.py).

Sections: under each theme, each action line is a section (named with its plan when the theme
holds measures of several plans); a plan without action lines is one section named by the plan;
the measures of a plan with action lines that sit on none are "Overige maatregelen (<plan>)".
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation

from .. import formatting
from ..history.asof import records_at, status_on
from ..models import (
    DEFAULT_ADDRESSEE,
    ActionLine,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    Document,
    DocumentLink,
    Indicator,
    IndicatorBreakdown,
    IndicatorUnit,
    IndicatorValue,
    LetterKind,
    LetterPassage,
    LetterTemplate,
    Measure,
    MeasureEvent,
    MeasureLink,
    MeasureStatus,
    Organisation,
    OrganisationName,
    PassagePlace,
    Plan,
    ProgressLetter,
    ProgressUpdate,
    StoredFile,
    TargetChange,
    Theme,
    UpdateState,
    ValueStatus,
    Visibility,
    kamerstuk_reference,
    passage_key,
    readable_measures,
    readable_updates,
)
from ..models.indicators import base_target, written_target
from . import text as letter_text
from .collector import collector_paused

# The letters a progress letter follows on ("de vorige voortgangsbrief"); a letter on one motion
# or presenting a plan is not one of them.
REPORTING_KINDS = (LetterKind.PROGRESS, LetterKind.RESULTS)


def status_nl(status):
    """Return a status as the letter writes it in a sentence, whatever language the reader has
    chosen (see formatting.py): the Dutch label of the catalogue, lower case ("lopend", "geborgd
    in regulier werk"); "" for no status."""
    if status not in MeasureStatus.values:
        return ""
    with translation.override("nl"):
        label = str(MeasureStatus(status).label)
    return label[:1].lower() + label[1:]


OUTCOME_FULFILLED = "fulfilled"
OUTCOME_ANSWERED = "answered"  # answered, and no deadline was set: neither on time nor late
OUTCOME_PARTLY = "partly"
OUTCOME_LAPSED = "lapsed"
OUTCOME_LATE = "late"
OUTCOME_OPEN = "open"
OUTCOME_NL = {
    OUTCOME_FULFILLED: "tijdig beantwoord",
    OUTCOME_ANSWERED: "beantwoord",
    OUTCOME_PARTLY: "gedeeltelijk beantwoord",
    OUTCOME_LAPSED: "vervallen",
    OUTCOME_LATE: "later beantwoord dan toegezegd",
    OUTCOME_OPEN: "nog open",
}


# --- The structure -----------------------------------------------------------------------------


@dataclass
class Note:
    """A footnote citing a parliamentary paper; numbered in order of first mention."""

    number: int
    text: str


@dataclass
class Passage:
    """The coordinator's own text at one place of the letter, and its blocks (`text.parse`)."""

    id: int
    key: str
    text: str

    @property
    def blocks(self):
        return letter_text.parse(self.text)


@dataclass
class LetterRef:
    id: int
    title: str
    date: datetime.date
    kamerstuk: str = ""
    note: int | None = None


@dataclass
class Frame:
    """What a letter's frame carries around its text: the letter's own addressee and references
    (a draft without a letter: the defaults), and the department's letterhead in use when the
    letter was sent (a draft: now), or the neutral frame without one."""

    addressee: str = DEFAULT_ADDRESSEE
    our_reference: str = ""
    your_reference: str = ""
    enclosures: str = ""
    department: str = ""
    sender_address: str = ""
    logo: bytes | None = None
    logo_type: str = ""
    template: bytes | None = None  # the department's .docx template


@dataclass
class UpdateEntry:
    id: int
    date: datetime.date
    text: str
    next_steps: str
    status: str
    organisation: str
    visibility: str


@dataclass
class EventEntry:
    """A dated event of a measure in the period (an appointment, a first conviction)."""

    id: int
    date: datetime.date
    text: str


@dataclass
class LinkEntry:
    """A link between this measure and another: `outgoing` when this one continues, replaces or
    was split from `title`; else `title` continues, replaces or was split from this one."""

    kind: str
    outgoing: bool
    title: str


@dataclass
class MeasureEntry:
    id: int
    code: str
    title: str
    owner: str
    theme_id: int
    plan_id: int
    action_line_id: int | None
    visibility: str
    status_start: str | None
    status_end: str
    due_date: datetime.date | None
    completed_date: datetime.date | None
    is_new: bool
    is_completed: bool
    is_delayed: bool
    is_overdue: bool
    updates: list[UpdateEntry] = field(default_factory=list)
    next_steps: str = ""
    drafts_waiting: int = 0
    has_progress: bool = False
    note: int | None = None
    events: list[EventEntry] = field(default_factory=list)
    links: list[LinkEntry] = field(default_factory=list)
    document_notes: list[int] = field(default_factory=list)
    documents_in_period: bool = False
    replacement: Passage | None = None  # the coordinator's paragraph instead of the generated

    @property
    def notes(self):
        """Return the numbers of every footnote the measure cites, the source reference first."""
        return [n for n in (self.note, *self.document_notes) if n]

    @property
    def key(self):
        return passage_key(PassagePlace.MEASURE, self.id)

    @property
    def status_changed(self):
        return self.status_start != self.status_end

    @property
    def is_reported(self):
        """Whether the letter has something to say about it: progress, next steps, a change of
        status, a delay, an event, a document of the period, a footnote, or (a new measure)
        the measure it continues, replaces or was split from. The others are named together in
        one sentence."""
        return bool(
            self.replacement
            or self.updates
            or self.events
            or (self.is_new and self.links)
            or self.documents_in_period
            or self.next_steps
            or (self.status_start is not None and self.status_changed)
            or self.is_completed
            or self.is_delayed
            or self.is_overdue
            or self.note
        )

    @property
    def status_start_nl(self):
        return "nieuw" if self.status_start is None else status_nl(self.status_start)

    @property
    def status_end_nl(self):
        return status_nl(self.status_end)


@dataclass
class ActionLineSection:
    """A section under a theme: an action line, a plan without action lines, or the measures of
    a plan that sit on none of its lines. `plan_passage` is on the first section of its plan in
    the letter."""

    number: str
    name: str
    measures: list[MeasureEntry]
    plan_id: int | None = None
    action_line_id: int | None = None
    plan_name: str = ""
    passage: Passage | None = None  # before the action line
    plan_passage: Passage | None = None  # before the plan's measures
    is_first_of_plan: bool = False

    @property
    def key(self):
        """The place of this section's own paragraph: its action line's; None for a section
        that is no action line."""
        if self.action_line_id is None:
            return None
        return passage_key(PassagePlace.ACTION_LINE, self.action_line_id)

    @property
    def plan_key(self):
        return passage_key(PassagePlace.PLAN, self.plan_id) if self.plan_id else None

    @property
    def reported(self):
        return [m for m in self.measures if m.is_reported]

    @property
    def quiet(self):
        return [m for m in self.measures if not m.is_reported]


@dataclass
class FigureRow:
    """One row of a letter's figure table: a year's total, or one category (`breakdown`) of
    it. A year recorded only by category has a row without figures (`recorded` False) that
    heads its categories: their sum is not taken for a total, as a category need not be a
    complete part of it ("waarvan door inzet van kinderpornografiecapaciteit")."""

    year: int
    target: Decimal | None
    realised: Decimal | None
    unit: str
    breakdown: str = ""  # the category; "" for the period's total
    quarter: int = 0  # 1-4 for a quarter; 0 for the year
    recorded: bool = True
    provisional: bool = False  # ValueStatus.PROVISIONAL: marked in the table
    note: str = ""  # the value's note, shown under the table with its year
    base_value: Decimal | None = None  # the base year's figure the realised is set against
    target_change: Decimal | None = None  # the change on the base the target states
    target_change_unit: str = ""

    # Realised minus target and realised as a percentage of the target, as the indicator page
    # has them.
    difference = IndicatorValue.difference
    percentage_of_target = IndicatorValue.percentage_of_target

    @property
    def is_category(self):
        return bool(self.breakdown)

    @property
    def period(self):
        """Return (year, quarter, category): what the row is the figure of."""
        return (self.year, self.quarter, self.breakdown)

    def _amount(self, value):
        if value is None:
            return "–"
        if self.unit == IndicatorUnit.PERCENT:
            return formatting.percent_nl(value)
        if self.unit == IndicatorUnit.EURO:
            return formatting.euro_nl(value)
        return formatting.number_nl(value)

    @property
    def target_text(self):
        return self._amount(self.target) if self.target is not None else "n.v.t."

    @property
    def realised_text(self):
        return self._amount(self.realised)

    @property
    def difference_text(self):
        diff = self.difference
        if diff is None:
            return "–"
        text = self._amount(abs(diff))
        return f"+{text}" if diff > 0 else (f"-{text}" if diff < 0 else text)

    @property
    def percentage_of_target_text(self):
        return formatting.percent_nl(self.percentage_of_target) or "–"

    @property
    def realised_change(self):
        """Return the realised figure's change on the base year's in percent (a year after
        the base year, counts and amounts only), as the letters add it: "522 (+9,9 %)"."""
        if self.base_value is None or self.realised is None or self.unit == IndicatorUnit.PERCENT:
            return None
        if not self.base_value:
            return None
        return (self.realised - self.base_value) / self.base_value * 100

    @property
    def realised_change_text(self):
        return formatting.signed_percent_nl(self.realised_change)

    @property
    def target_change_text(self):
        """Return the change on the base year the indicator states for this year's target:
        "+25 %" or "+100" (the target year's row only), else ""."""
        percent = self.target_change_unit == TargetChange.PERCENT
        return formatting.signed_change_nl(self.target_change, percent=percent)


@dataclass
class FigureTable:
    """A letter's table of one indicator: a row per year from `first_year` to the period's
    last, each year's categories under it, in their listed order."""

    number: int
    indicator_id: int
    title: str
    unit: str
    source: str
    rows: list[FigureRow]
    first_year: int | None = None
    base_year: int | None = None
    base_value: Decimal | None = None
    target_year: int | None = None
    target_change: Decimal | None = None
    target_change_unit: str = ""

    @property
    def notes(self):
        """Return the rows with a note, in table order."""
        return [row for row in self.rows if row.note]

    @property
    def has_categories(self):
        return any(row.is_category for row in self.rows)

    @property
    def has_provisional(self):
        return any(row.provisional for row in self.rows)

    @property
    def periods_without_total(self):
        """Return the heading rows of the periods recorded only by category."""
        return [row for row in self.rows if not row.recorded]

    @property
    def totals(self):
        """Return the rows of the years' totals (what the chart draws)."""
        return [row for row in self.rows if row.recorded and not row.is_category]

    @property
    def base_target(self):
        """Return the target of `target_year` the indicator sets against its base year, as the
        letter writes it (`written_target`)."""
        return written_target(
            base_target(self.base_value, self.target_change, self.target_change_unit), self.unit
        )

    def amount_text(self, value):
        return FigureRow(0, None, None, self.unit)._amount(value)

    @property
    def target_change_text(self):
        """Return the change on the base year the target states: "+25 %" or "+100"."""
        percent = self.target_change_unit == TargetChange.PERCENT
        return formatting.signed_change_nl(self.target_change, percent=percent)

    @property
    def base_target_text(self):
        return self.amount_text(self.base_target)

    @property
    def shows_base_change(self):
        """Whether realised figures carry their change on the base year (counts and amounts
        with a base above 0)."""
        return bool(self.base_value) and self.unit != IndicatorUnit.PERCENT


@dataclass
class ThemeSection:
    number: int
    code: str
    name: str
    action_lines: list[ActionLineSection]
    figures: list[FigureTable]
    id: int | None = None
    passage: Passage | None = None  # before the theme's action lines

    @property
    def key(self):
        return passage_key(PassagePlace.THEME, self.id)


@dataclass
class CommitmentEntry:
    id: int
    kind: str
    number: str
    title: str
    text: str
    made_by: str
    made_at: str
    made_on: datetime.date | None
    due_date: datetime.date | None
    deadline_text: str
    status: str
    outcome: str
    fulfilled_on: datetime.date | None
    fulfilled_by: LetterRef | None
    fulfilment_note: str
    note: int | None = None
    in_this_letter: bool = False
    document_notes: list[int] = field(default_factory=list)

    @property
    def notes(self):
        """Return the numbers of every footnote the commitment cites, its paper first."""
        return [n for n in (self.note, *self.document_notes) if n]

    @property
    def kind_nl(self):
        return "motie" if self.kind == CommitmentKind.MOTION else "toezegging"

    @property
    def outcome_nl(self):
        return OUTCOME_NL[self.outcome]


@dataclass
class StatusChange:
    measure: MeasureEntry
    status_then: str | None
    status_now: str

    @property
    def status_then_nl(self):
        return "nieuw" if self.status_then is None else status_nl(self.status_then)

    @property
    def status_now_nl(self):
        return status_nl(self.status_now)


@dataclass
class Changes:
    """What changed since the last sent letter (for the coordinator's page, not the letter)."""

    since: LetterRef | None
    status_changes: list[StatusChange]
    new_updates: list[tuple[MeasureEntry, UpdateEntry]]


@dataclass
class Completeness:
    """What the coordinator should chase before the letter goes out (not part of the letter)."""

    measures_without_progress: list[MeasureEntry]
    drafts_waiting: list[MeasureEntry]
    commitments_unanswered: list[CommitmentEntry]

    @property
    def is_complete(self):
        return not (
            self.measures_without_progress or self.drafts_waiting or self.commitments_unanswered
        )


@dataclass
class Corrections:
    """What was recorded after a letter was sent about the period it reported on: the letter as
    known now against the letter as sent. Each pair is (as sent, as known now); None where one
    side has nothing."""

    letter: LetterRef
    added: list[MeasureEntry]
    withdrawn: list[MeasureEntry]
    statuses: list[tuple[MeasureEntry, MeasureEntry]]
    progress: list[tuple[MeasureEntry, UpdateEntry | None, UpdateEntry | None]]
    figures: list[tuple[FigureTable, FigureRow | None, FigureRow | None]]
    commitments: list[tuple[CommitmentEntry | None, CommitmentEntry | None]]

    @property
    def is_empty(self):
        return not (
            self.added
            or self.withdrawn
            or self.statuses
            or self.progress
            or self.figures
            or self.commitments
        )


@dataclass
class Summary:
    start: datetime.date
    end: datetime.date
    known: datetime.datetime | None  # the record moment read; None: now
    include_internal: bool
    filters: dict
    previous_letter: LetterRef | None
    themes: list[ThemeSection]
    new_measures: list[MeasureEntry]
    completed_measures: list[MeasureEntry]
    delayed_measures: list[MeasureEntry]
    commitments: list[CommitmentEntry]
    notes: list[Note]
    completeness: Completeness
    changes: Changes
    letter: LetterRef | None = None
    signed_by: str = ""
    signed_title: str = ""
    corrections: list["Corrections"] = field(default_factory=list)
    # The coordinator's own words (a letter's only).
    opening_passage: Passage | None = None
    assessment: Passage | None = None
    closing_passage: Passage | None = None
    frame: Frame = field(default_factory=Frame)

    @property
    def measures(self):
        return [m for t in self.themes for line in t.action_lines for m in line.measures]

    @property
    def figure_tables(self):
        return [table for t in self.themes for table in t.figures]

    @property
    def period_text(self):
        return f"{formatting.date_nl(self.start)} tot en met {formatting.date_nl(self.end)}"


# --- Reading ----------------------------------------------------------------------------------


def _rows_at(model, known, filters, *fields):
    """Return {object id: values} of `model`'s objects matching `filters` as recorded at
    `known` (one query; unordered: the caller sorts what it shows)."""
    rows = records_at(model, known).filter(filters).values("id", *fields)
    return {row["id"]: row for row in rows}


def _names_at(model, known, *fields):
    """Return {id: values} of every object of a short reference table as recorded at `known`
    (one query; two for a past moment: objects the history never recorded by then, e.g.
    written in bulk, answer with their present row rather than not at all)."""
    rows = {row["id"]: row for row in records_at(model, known).values("id", *fields)}
    if known is not None and known < timezone.now():
        unrecorded = model._default_manager.exclude(
            pk__in=model.history.filter(history_date__lte=known).values("id")
        )
        rows.update({row["id"]: row for row in unrecorded.values("id", *fields)})
    return rows


def _kamerstuk_text(reference):
    reference = (reference or "").strip()
    if reference and reference[0].isdigit():
        return f"Kamerstuk {reference}."
    return reference


def organisation_names(known, day):
    """Return {organisation id: {"name", "abbreviation"}} as a letter dated `day` names them, as
    recorded at `known`: the present name, unless a former name was still in use on `day` (the
    earliest such, "Ministerie van Veiligheid en Justitie" in 2015). The one home of the names
    organisations carry in a letter (2 queries; 3 for a past moment)."""
    names = _names_at(Organisation, known, "name", "abbreviation")
    former = (
        records_at(OrganisationName, known)
        .filter(used_until__gte=day)
        .order_by("-used_until")
        .values("organisation_id", "name", "abbreviation")
    )
    for row in former:  # the latest first, so the earliest still in use on `day` wins
        if row["organisation_id"] in names:
            names[row["organisation_id"]] = {
                "id": row["organisation_id"],
                "name": row["name"],
                "abbreviation": row["abbreviation"],
            }
    return names


def document_citation(row, organisations):
    """Return a document's footnote as the letters write it: "Kamerstuk 31 015, nr. 112." for a
    parliamentary paper, else "<title>, <organisation>, <date>." and its web address."""
    reference = kamerstuk_reference(row["kind"], row["dossier"], row["number"])
    if reference:
        return _kamerstuk_text(reference)
    parts = [row["title"].strip().rstrip(".")]
    organisation = organisations.get(row["organisation_id"])
    if organisation:
        parts.append(organisation["name"])
    parts.append(formatting.date_nl(row["date"]))
    text = ", ".join(parts) + "."
    if row["url"]:
        text += f" {row['url']}"
    return text


class _Notes:
    def __init__(self):
        self.notes = []
        self._by_text = {}

    def cite(self, reference):
        return self.cite_text(_kamerstuk_text(reference))

    def cite_text(self, text):
        """Return the number of the footnote saying `text` (the same text, the same note)."""
        if not text:
            return None
        if text not in self._by_text:
            note = Note(number=len(self.notes) + 1, text=text)
            self.notes.append(note)
            self._by_text[text] = note.number
        return self._by_text[text]


def _pk(value):
    return getattr(value, "pk", value)


def _allowed_visibilities(include_internal):
    if include_internal:
        return {Visibility.PUBLIC, Visibility.INTERNAL, Visibility.CONFIDENTIAL}
    return {Visibility.PUBLIC}


# --- The builder -------------------------------------------------------------------------------


@collector_paused
def build_summary(
    start,
    end,
    *,
    theme=None,
    plan=None,
    organisation=None,
    include_internal=False,
    user=None,
    known=None,
    letter=None,
    only=None,
    with_corrections=False,
):
    """Return the summary of [start, end]: the facts valid in the period as the tracker knew
    them at `known` (default: now; for a sent `letter`, the moment it was sent). Internal and
    confidential measures and updates stay out unless `include_internal`; confidential ones then
    only for a `user` who may see them. With `user` only what that user may read is included
    (`models.readable_measures`); a sent letter is built for nobody in particular: it is what
    was published (see `letter_summary`). `only` (a Touched) keeps the measures, indicators and
    commitments it names (for `corrections`). With `with_corrections` a draft read now adds the
    corrections to the previous letter and the letters sent since (`letters_to_correct`)."""
    if start > end:
        raise ValueError("The period must end after it starts.")
    if isinstance(theme, str):
        theme = Theme.objects.get(code=theme)
    theme_id, plan_id, organisation_id = _pk(theme), _pk(plan), _pk(organisation)
    # Who may read a record is the one rule (readable_measures/readable_updates, below); what a
    # summary shows besides is public only, or with `include_internal` internal and confidential
    # too, confidential only for a reader (a text for nobody in particular publishes none).
    allowed = _allowed_visibilities(include_internal)
    if user is None:
        allowed.discard(Visibility.CONFIDENTIAL)
    notes = _Notes()

    # Query: the previous sent progress (or results) letter (the opening refers to it, the
    # changes start from it): the last one sent before the period's end, so a letter sent early
    # in the period counts (the letter of 1 June 2015 follows the one of 4 September 2014, though
    # its period starts on 1 September), and a letter dated on the last day is the one being
    # drafted. A letter rebuilt as known when it was sent only follows on letters sent by then.
    letters = ProgressLetter.objects.filter(kind__in=REPORTING_KINDS)
    if known is not None:
        letters = letters.filter(sent_at__lte=known)
    previous = letters.last_sent(before=end - datetime.timedelta(days=1))
    if letter is not None and previous is not None and previous.pk == letter.pk:
        previous = letters.last_sent(before=letter.date - datetime.timedelta(days=1))
    previous_ref = None
    if previous is not None:
        previous_ref = LetterRef(
            previous.pk,
            previous.title,
            previous.date,
            previous.kamerstuk,
            notes.cite(previous.kamerstuk),
        )
    day_before = start - datetime.timedelta(days=1)
    changes_day = previous.date if previous is not None else day_before

    # Query: every measure in the programme by the period's end as recorded at `known`, with its
    # status in effect the day before the period, on its last day and on the previous letter's
    # day (valid time, as known then).
    measures_then = readable_measures(records_at(Measure, known), user)
    if only is not None:
        measures_then = measures_then.filter(id__in=only.measures)
    at_end = {
        row["id"]: row
        for row in measures_then.filter(joined_on__lte=end)
        .annotate(
            status_at_start=status_on(day_before, known),
            status_at_end=status_on(end, known),
            status_at_letter=status_on(changes_day, known),
        )
        .values(
            "id",
            "code",
            "title",
            "owner_id",
            "theme_id",
            "plan_id",
            "action_line_id",
            "visibility",
            "joined_on",
            "due_date",
            "completed_date",
            "source_reference",
            "status_at_start",
            "status_at_end",
            "status_at_letter",
        )
    }

    selected = {}
    for pk, row in at_end.items():
        if row["visibility"] not in allowed:
            continue
        if theme_id and row["theme_id"] != theme_id:
            continue
        if plan_id and row["plan_id"] != plan_id:
            continue
        if organisation_id and row["owner_id"] != organisation_id:
            continue
        selected[pk] = row

    # Queries: the names of themes, plans, action lines and organisations (owners and authors)
    # as recorded at `known`: short tables, read whole.
    themes = _names_at(Theme, known, "code", "name", "order")
    plans = _names_at(Plan, known, "title", "short_title", "start")
    lines = _names_at(ActionLine, known, "plan_id", "name", "order")
    organisation_rows = organisation_names(known, letter.date if letter is not None else end)
    organisations = {
        pk: row["abbreviation"] or row["name"] for pk, row in organisation_rows.items()
    }

    entries = {}
    closed = MeasureStatus.closed()
    for pk, row in selected.items():
        is_new = row["joined_on"] >= start
        status_start = None if is_new else row["status_at_start"]
        status_end = row["status_at_end"]
        entries[pk] = MeasureEntry(
            id=pk,
            code=row["code"],
            title=row["title"],
            owner=organisations.get(row["owner_id"], ""),
            theme_id=row["theme_id"],
            plan_id=row["plan_id"],
            action_line_id=row["action_line_id"],
            visibility=row["visibility"],
            status_start=status_start,
            status_end=status_end,
            due_date=row["due_date"],
            completed_date=row["completed_date"],
            is_new=is_new,
            is_completed=status_end == MeasureStatus.COMPLETED
            and status_start != MeasureStatus.COMPLETED,
            is_delayed=status_end == MeasureStatus.DELAYED,
            is_overdue=bool(row["due_date"] and row["due_date"] < end and status_end not in closed),
        )

    # Query: the progress updates as recorded at `known`, dated in the period (or after the
    # previous letter, for the changes since then); those of measures not shown are skipped below.
    first_day = start
    if previous is not None:
        first_day = min(start, previous.date + datetime.timedelta(days=1))
    # Before the period only approved updates that may be shown count (for the changes).
    in_changes = Q(state=UpdateState.APPROVED, visibility__in=allowed)
    update_rows = (
        readable_updates(records_at(ProgressUpdate, known), user)
        .filter(Q(date__gte=first_day, date__lte=end) & (Q(date__gte=start) | in_changes))
        .order_by("date", "id")
        .values_list(
            "id",
            "measure_id",
            "date",
            "text",
            "next_steps",
            "status",
            "state",
            "include_in_letter",
            "visibility",
            "author_organisation_id",
        )
    )
    new_updates = []
    approved = UpdateState.APPROVED
    since_letter = previous.date if previous is not None else None
    for pk, measure_id, date, text, steps, status, state, included, visibility, org in update_rows:
        entry = entries.get(measure_id)
        if entry is None:
            continue
        in_period = date >= start  # and by the query's filter, on or before the end
        if in_period:
            entry.has_progress = True
        if state != approved:
            # Sent back: out of the letter like a draft, but waiting for its author, not for
            # approval (the review queue lists the drafts only).
            entry.drafts_waiting += in_period and state == UpdateState.DRAFT
            continue
        if visibility not in allowed:
            continue
        update = UpdateEntry(
            id=pk,
            date=date,
            text=text,
            next_steps=steps,
            status=status,
            organisation=organisations.get(org, ""),
            visibility=visibility,
        )
        if since_letter is not None and date > since_letter:
            new_updates.append((entry, update))
        if in_period and included:
            entry.updates.append(update)
            if steps:
                entry.next_steps = steps

    # Query: the events of the measures shown dated in the period, as recorded at `known`, by the
    # rule of progress updates (`readable_updates`).
    event_rows = (
        readable_updates(records_at(MeasureEvent, known), user)
        .filter(date__gte=start, date__lte=end, visibility__in=allowed)
        .order_by("date", "id")
        .values_list("id", "measure_id", "date", "text")
    )
    for pk, measure_id, date, text in event_rows:
        if measure_id in entries:
            entries[measure_id].events.append(EventEntry(id=pk, date=date, text=text))

    # Query: the links between the measures in the programme, as recorded at `known`; a measure
    # on the other side is named only when this summary may name it.
    nameable = {pk for pk, row in at_end.items() if row["visibility"] in allowed}
    link_rows = (
        records_at(MeasureLink, known)
        .filter(Q(source_id__in=list(entries)) | Q(target_id__in=list(entries)))
        .order_by("id")
        .values_list("source_id", "target_id", "kind")
    )
    for source_id, target_id, kind in link_rows:
        for this, other, outgoing in ((source_id, target_id, True), (target_id, source_id, False)):
            if this in entries and other in nameable:
                row = at_end[other]
                title = f"{row['code']} {row['title']}" if row["code"] else row["title"]
                entries[this].links.append(LinkEntry(kind=kind, outgoing=outgoing, title=title))

    # Queries: the documents linked to the measures shown and to commitments, as recorded at
    # `known` (the links, then the documents).
    document_links = list(
        records_at(DocumentLink, known)
        .filter(Q(measure_id__in=list(entries)) | Q(commitment_id__isnull=False))
        .order_by("id")
        .values_list("document_id", "measure_id", "commitment_id")
    )
    documents = _rows_at(
        Document,
        known,
        Q(id__in={link[0] for link in document_links}),
        "kind",
        "title",
        "date",
        "dossier",
        "number",
        "organisation_id",
        "url",
    )
    documents_of = {}
    for document_id, measure_id, commitment_id in document_links:
        if document_id in documents:
            key = ("measure", measure_id) if measure_id else ("commitment", commitment_id)
            documents_of.setdefault(key, []).append(documents[document_id])
    for pk, entry in entries.items():
        entry.documents_in_period = any(
            start <= row["date"] <= end for row in documents_of.get(("measure", pk), [])
        )

    def cite_documents(kind, pk):
        rows = sorted(documents_of.get((kind, pk), []), key=lambda r: (r["date"], r["id"]))
        cited = (notes.cite_text(document_citation(row, organisation_rows)) for row in rows)
        return list(dict.fromkeys(n for n in cited if n))

    # Sections: theme order, then plan and action line order, then code and title.
    def plan_key(plan_id):
        """The plan's place in Plan.Meta.ordering (see Plan.sort_key), from its row."""
        row = plans.get(plan_id) or {"start": None, "title": "", "id": plan_id}
        return (row["start"] is None, row["start"] or datetime.date.min, row["title"], plan_id)

    def plan_name(plan_id):
        row = plans.get(plan_id)
        return (row["short_title"] or row["title"]) if row else ""

    def entry_plan(entry):
        """The plan a measure is listed under: its action line's, else its own."""
        line = lines.get(entry.action_line_id)
        return line["plan_id"] if line else entry.plan_id

    def line_key(entry):
        """A plan's action lines in their order, then its measures on none of them."""
        line = lines.get(entry.action_line_id)
        return (plan_key(entry_plan(entry)), line is None, line["order"] if line else 0)

    plans_with_lines = {line["plan_id"] for line in lines.values()}

    theme_sections = []
    by_theme = {}
    for entry in entries.values():
        by_theme.setdefault(entry.theme_id, []).append(entry)

    # Queries: the indicators of the themes shown and their values, as recorded at `known`.
    figure_theme_ids = {theme_id} if theme_id else set(by_theme)
    if not theme_id and not plan_id and not organisation_id:
        figure_theme_ids = set(themes)
    figures_by_theme = _figures(
        figure_theme_ids,
        start,
        end,
        known,
        plans,
        from_year=letter.figures_from_year if letter is not None else None,
        only=only and only.indicators,
    )

    theme_order = sorted(themes.values(), key=lambda t: (t["order"], t["name"], t["id"]))
    numbered_themes = [t for t in theme_order if t["id"] in by_theme or t["id"] in figures_by_theme]
    for number, theme_row in enumerate(numbered_themes, start=1):
        measures = sorted(
            by_theme.get(theme_row["id"], []),
            key=lambda e: (line_key(e), e.code, e.title.lower(), e.id),
        )
        sections = []
        plans_in_theme = {entry_plan(m) for m in measures}
        for entry in measures:
            line = lines.get(entry.action_line_id)
            section_plan = entry_plan(entry)
            if line is not None:
                name = line["name"]
                if len(plans_in_theme) > 1:
                    name = f"{name} ({plan_name(section_plan)})"
            elif section_plan in plans_with_lines:
                name = f"Overige maatregelen ({plan_name(section_plan)})"
            else:  # a plan without action lines is a section of its own
                name = plan_name(section_plan) or "Overige maatregelen"
            section_line = line["id"] if line else None
            last = sections[-1] if sections else None
            if last is None or (last.plan_id, last.action_line_id) != (section_plan, section_line):
                sections.append(
                    ActionLineSection(
                        number=f"{number}.{len(sections) + 1}",
                        name=name,
                        measures=[],
                        plan_id=section_plan,
                        action_line_id=section_line,
                        plan_name=plan_name(section_plan),
                        is_first_of_plan=last is None or last.plan_id != section_plan,
                    )
                )
            sections[-1].measures.append(entry)
        theme_sections.append(
            ThemeSection(
                number=number,
                code=theme_row["code"],
                name=theme_row["name"],
                action_lines=sections,
                figures=figures_by_theme.get(theme_row["id"], []),
                id=theme_row["id"],
            )
        )
    table_number = 0
    for section in theme_sections:
        for table in section.figures:
            table_number += 1
            table.number = table_number

    # Footnotes in reading order: measures first, then commitments.
    for entry in (m for t in theme_sections for line in t.action_lines for m in line.measures):
        entry.note = notes.cite(selected[entry.id]["source_reference"])
        if entry.is_reported:
            entry.document_notes = [
                n for n in cite_documents("measure", entry.id) if n != entry.note
            ]

    commitments, unanswered = _commitments(
        letter,
        start,
        end,
        known,
        set(entries),
        notes,
        theme_id or plan_id or organisation_id,
        only=only and only.commitments,
        cite_documents=cite_documents,
    )

    ordered = [m for t in theme_sections for line in t.action_lines for m in line.measures]
    status_changes = []
    for entry in ordered:
        row = selected[entry.id]
        status_then = row["status_at_letter"] if row["joined_on"] <= changes_day else None
        if status_then != entry.status_end:
            status_changes.append(StatusChange(entry, status_then, entry.status_end))

    letter_ref = None
    passages = {}
    if letter is not None:
        letter_ref = LetterRef(letter.pk, letter.title, letter.date, letter.kamerstuk)
    if letter is not None and only is None:  # (the corrections compare facts, not words)
        # Query: the letter's own words as recorded at `known` (as sent, for a sent letter).
        passages = _passages(letter, known)
        _hang_passages(passages, theme_sections)
    frame, closing_title = _frame(letter, known)
    return Summary(
        start=start,
        end=end,
        known=known,
        include_internal=include_internal,
        filters={
            "theme": themes[theme_id]["name"] if theme_id in themes else "",
            "plan": str(plan) if plan else "",
            "organisation": str(organisation) if organisation else "",
        },
        previous_letter=previous_ref,
        themes=theme_sections,
        new_measures=[m for m in ordered if m.is_new],
        completed_measures=[m for m in ordered if m.is_completed],
        delayed_measures=[m for m in ordered if m.is_delayed or m.is_overdue],
        commitments=commitments,
        notes=notes.notes,
        completeness=Completeness(
            measures_without_progress=[m for m in ordered if not m.has_progress],
            drafts_waiting=[m for m in ordered if m.drafts_waiting],
            commitments_unanswered=unanswered,
        ),
        changes=Changes(
            since=previous_ref,
            status_changes=status_changes,
            new_updates=new_updates if previous is not None else [],
        ),
        letter=letter_ref,
        signed_by=letter.signed_by if letter else "",
        signed_title=(letter.signed_title if letter else "") or closing_title,
        frame=frame,
        corrections=(
            _corrections_to_offer(previous, end, user)
            if with_corrections and known is None and only is None
            else []
        ),
        opening_passage=passages.get(PassagePlace.OPENING),
        assessment=passages.get(PassagePlace.ASSESSMENT),
        closing_passage=passages.get(PassagePlace.CLOSING),
    )


def _passages(letter, known):
    """Return {place key: Passage} of `letter`'s own words with text, as recorded at `known`
    (1 query). An emptied passage says nothing."""
    rows = (
        records_at(LetterPassage, known)
        .filter(letter_id=letter.pk)
        .exclude(text="")
        .values("id", "place", "theme_id", "plan_id", "action_line_id", "measure_id", "text")
    )
    found = {}
    for row in rows:
        target = row["theme_id"] or row["plan_id"] or row["action_line_id"] or row["measure_id"]
        key = passage_key(row["place"], target)
        found[key] = Passage(id=row["id"], key=key, text=row["text"])
    return found


def _hang_passages(passages, theme_sections):
    """Put each passage on the part of the letter it belongs to; a plan's paragraph on the
    first section of the plan in the letter (a plan may reach into several themes)."""
    plans_seen = set()
    for theme in theme_sections:
        theme.passage = passages.get(theme.key)
        for section in theme.action_lines:
            if section.key:
                section.passage = passages.get(section.key)
            if section.plan_id and section.plan_id not in plans_seen and section.is_first_of_plan:
                plans_seen.add(section.plan_id)
                section.plan_passage = passages.get(section.plan_key)
            else:
                section.is_first_of_plan = False
            for entry in section.measures:
                entry.replacement = passages.get(entry.key)


def _frame(letter, known):
    """Return (the Frame of `letter` or of a draft without one, the minister's title of the
    letterhead) as recorded at `known`: the letterhead in use then (1 query) and its files (1
    query, none without files)."""
    frame = Frame()
    if letter is not None:
        frame.addressee = letter.addressee
        frame.our_reference = letter.our_reference
        frame.your_reference = letter.your_reference
        frame.enclosures = letter.enclosures
    letterhead = (
        records_at(LetterTemplate, known)
        .filter(in_use=True)
        .values("department", "sender_address", "closing_title", "logo_id", "docx_id")
        .first()
    )
    if letterhead is None:
        return frame, ""
    frame.department = letterhead["department"]
    frame.sender_address = letterhead["sender_address"]
    file_ids = [pk for pk in (letterhead["logo_id"], letterhead["docx_id"]) if pk]
    if file_ids:
        files = {
            row["id"]: row
            for row in StoredFile.objects.filter(pk__in=file_ids).values(
                "id", "data", "content_type"
            )
        }
        logo = files.get(letterhead["logo_id"])
        if logo is not None:
            frame.logo, frame.logo_type = bytes(logo["data"]), logo["content_type"]
        template = files.get(letterhead["docx_id"])
        if template is not None:
            frame.template = bytes(template["data"])
    return frame, letterhead["closing_title"]


def _figures(theme_ids, start, end, known, plans, *, from_year=None, only=None):
    """Return {theme id: [FigureTable]} of the indicators of `theme_ids` with current yearly
    figures (totals or categories), up to the period's last year, from `from_year` (the
    letter's choice) or else from the start of the indicator's plan or its first figure (3
    queries: the indicators, their yearly values and their categories' order, as recorded at
    `known`; `plans` are the plans as recorded then, by id). An indicator is current when it
    has a figure for a year of the period or the year before (a letter early in a year reports
    on the last): a series that ended long before is not reported again."""
    indicators = {
        row["id"]: row
        for row in records_at(Indicator, known)
        .filter(theme_id__in=theme_ids, **({} if only is None else {"id__in": only}))
        .values(
            "id",
            "name",
            "unit",
            "theme_id",
            "plan_id",
            "default_source",
            "order",
            "base_year",
            "base_value",
            "target_year",
            "target_change",
            "target_change_unit",
        )
    }
    values = _rows_at(
        IndicatorValue,
        known,
        Q(indicator_id__in=list(indicators), year__lte=end.year),
        "indicator_id",
        "year",
        "quarter",
        "breakdown",
        "target",
        "realised",
        "status",
        "source",
        "note",
    )
    category_order = {
        (row["indicator_id"], row["name"]): row["order"]
        for row in records_at(IndicatorBreakdown, known)
        .filter(indicator_id__in=list(indicators))
        .values("indicator_id", "name", "order")
    }
    by_indicator = {}
    for row in values.values():
        by_indicator.setdefault(row["indicator_id"], {}).setdefault(row["year"], []).append(row)
    ordered = sorted(
        (indicators[pk] for pk in by_indicator),
        key=lambda row: (row["order"], row["name"], row["id"]),
    )
    result = {}
    for indicator in ordered:
        years = by_indicator[indicator["id"]]
        if max(years) < start.year - 1:
            continue
        plan = plans.get(indicator["plan_id"]) if indicator["plan_id"] else None
        first_year = from_year
        if first_year is None and plan is not None and plan["start"] is not None:
            first_year = plan["start"].year
        if first_year is None:
            first_year = min(years)
        unit = indicator["unit"]
        base_year, base_value = indicator["base_year"], indicator["base_value"]
        stated_target = written_target(
            base_target(base_value, indicator["target_change"], indicator["target_change_unit"]),
            unit,
        )
        rows, source = [], indicator["default_source"]
        for year, quarter in _periods(years, first_year):
            recorded = [row for row in years[year] if row["quarter"] == quarter]
            total = next((row for row in recorded if not row["breakdown"]), None)
            categories = sorted(
                (row for row in recorded if row["breakdown"]),
                key=lambda row: (
                    category_order.get((indicator["id"], row["breakdown"]), 1 << 16),
                    row["breakdown"],
                ),
            )
            against_base = base_year is not None and year > base_year
            # The target year's target carries the stated change when it is the target the
            # change sets: a target recorded otherwise is not said to be "+25 %".
            stated = (indicator["target_year"], 0) == (year, quarter) and stated_target is not None
            for row in ([total] if total else []) + categories:
                source = (row["source"] or source) if not row["breakdown"] else source
                rows.append(
                    FigureRow(
                        year=year,
                        quarter=quarter,
                        target=row["target"],
                        realised=row["realised"],
                        unit=unit,
                        breakdown=row["breakdown"],
                        provisional=row["status"] == ValueStatus.PROVISIONAL,
                        note=row["note"],
                        base_value=base_value if against_base and not row["breakdown"] else None,
                        target_change=indicator["target_change"]
                        if stated and not row["breakdown"] and row["target"] == stated_target
                        else None,
                        target_change_unit=indicator["target_change_unit"],
                    )
                )
            if total is None:  # a heading for the year's categories, without a total
                rows.insert(
                    len(rows) - len(categories),
                    FigureRow(
                        year=year,
                        quarter=quarter,
                        target=None,
                        realised=None,
                        unit=unit,
                        recorded=False,
                    ),
                )
        if rows:
            result.setdefault(indicator["theme_id"], []).append(
                FigureTable(
                    number=0,
                    indicator_id=indicator["id"],
                    title=indicator["name"],
                    unit=unit,
                    source=source,
                    rows=rows,
                    first_year=first_year,
                    base_year=base_year,
                    base_value=base_value,
                    target_year=indicator["target_year"],
                    target_change=indicator["target_change"],
                    target_change_unit=indicator["target_change_unit"],
                )
            )
    return result


def _periods(years, first_year):
    """Return the (year, quarter) periods a table shows from `first_year`: a year by its
    yearly figures (quarter 0) where it has any, else by its quarters, as the letters give the
    police's production figures per quarter ("1e 2009 … 1e 2010"). `years` holds the values'
    rows by year."""
    periods = []
    for year in sorted(y for y in years if y >= first_year):
        quarters = {row["quarter"] for row in years[year]}
        periods += [(year, 0)] if 0 in quarters else [(year, q) for q in sorted(quarters)]
    return periods


def _outcome(row, answered):
    """Return how a commitment stood: open, answered on time, late, without a deadline (then
    neither on time nor late), partly, or lapsed."""
    if not answered:
        return OUTCOME_OPEN
    if row["status"] == CommitmentStatus.LAPSED:
        return OUTCOME_LAPSED
    if row["status"] == CommitmentStatus.PARTLY_FULFILLED:
        return OUTCOME_PARTLY
    if row["due_date"] is None:
        return OUTCOME_ANSWERED
    if row["fulfilled_on"] > row["due_date"]:
        return OUTCOME_LATE
    return OUTCOME_FULFILLED


def _commitments(
    this_letter,
    start,
    end,
    known,
    measure_ids,
    notes,
    filtered,
    *,
    only=None,
    cite_documents=lambda kind, pk: [],
):
    """Return (commitments made, due or answered in the period, and those due by its end and
    unanswered then), as recorded at `known`, with the letters that answered them (1 query; 2
    when `filtered`). An answer dated after the period does not count in it."""
    rows = _rows_at(
        Commitment,
        known,
        Q() if only is None else Q(id__in=only),
        "kind",
        "number",
        "title",
        "text",
        "made_by",
        "made_at",
        "made_on",
        "due_date",
        "deadline_text",
        "status",
        "fulfilled_on",
        "fulfilled_by_id",
        "fulfilment_note",
        "kamerstuk",
        "fulfilled_by__title",
        "fulfilled_by__date",
        "fulfilled_by__kamerstuk",
    )
    if filtered:
        linked = set(
            Commitment.measures.through.objects.filter(
                commitment_id__in=list(rows), measure_id__in=list(measure_ids)
            ).values_list("commitment_id", flat=True)
        )
        rows = {pk: row for pk, row in rows.items() if pk in linked}
    shown, unanswered = [], []
    ordered = sorted(
        rows.values(),
        key=lambda r: (
            r["due_date"] or datetime.date.max,
            r["made_on"] or datetime.date.min,
            r["id"],
        ),
    )
    for row in ordered:
        if row["made_on"] is not None and row["made_on"] > end:
            continue  # made after the period
        answered = row["status"] != CommitmentStatus.OPEN and row["fulfilled_on"] <= end
        made_in = row["made_on"] is not None and start <= row["made_on"] <= end
        due_in = row["due_date"] is not None and start <= row["due_date"] <= end
        answered_in = answered and start <= row["fulfilled_on"] <= end
        due_by_end = row["due_date"] is not None and row["due_date"] <= end
        if not (made_in or due_in or answered_in or (due_by_end and not answered)):
            continue
        outcome = _outcome(row, answered)
        letter = None
        if row["fulfilled_by__date"] is not None:  # the letter, joined: it may have been deleted
            letter = LetterRef(
                row["fulfilled_by_id"],
                row["fulfilled_by__title"],
                row["fulfilled_by__date"],
                row["fulfilled_by__kamerstuk"],
            )
        entry = CommitmentEntry(
            id=row["id"],
            kind=row["kind"],
            number=row["number"],
            title=row["title"],
            text=row["text"],
            made_by=row["made_by"],
            made_at=row["made_at"],
            made_on=row["made_on"],
            due_date=row["due_date"],
            deadline_text=row["deadline_text"],
            status=row["status"],
            outcome=outcome,
            fulfilled_on=row["fulfilled_on"] if answered else None,
            fulfilled_by=letter if answered else None,
            fulfilment_note=row["fulfilment_note"] if answered else "",
            note=notes.cite(row["kamerstuk"]),
            in_this_letter=bool(
                answered and this_letter and row["fulfilled_by_id"] == this_letter.pk
            ),
        )
        entry.document_notes = [
            n for n in cite_documents("commitment", entry.id) if n != entry.note
        ]
        shown.append(entry)
        if not answered and due_by_end:
            unanswered.append(entry)
    return shown, unanswered


# --- A letter, and what was recorded about its period after it was sent ------------------------


def letter_summary(letter, *, user=None, now=False):
    """Return the summary a letter reports: its period as known when it was sent, as it was
    published (the same for every reader); with `now`, or for a draft, as known now and as `user`
    may read it."""
    if letter.is_sent and not now:
        return build_summary(*letter.period, letter=letter, known=letter.known_at)
    return build_summary(*letter.period, letter=letter, user=user)


@dataclass
class Touched:
    """What was recorded after a moment that can change what a letter says about [start, end]:
    measures created, deleted, or given another status, status date, joining date or visibility
    (a record whose terms no earlier record of the measure had), measures with progress dated in
    the period recorded since, indicators with values for the years the letter's tables show,
    and commitments. Plain edits (a title, a due date) do not change what the letter reported."""

    measures: set
    indicators: set
    commitments: set

    @classmethod
    def since(cls, moment, start, end):
        """Four queries over the history recorded after `moment` (date index range scans)."""
        after = {"history_date__gt": moment}
        same_terms = Measure.history.filter(
            id=OuterRef("id"),
            history_date__lt=OuterRef("history_date"),
            status=OuterRef("status"),
            status_since=OuterRef("status_since"),
            joined_on=OuterRef("joined_on"),
            visibility=OuterRef("visibility"),
        )
        # (Also records that moved a measure or an update out of the period.)
        measures = Measure.history.filter(**after).filter(Q(history_type="-") | ~Exists(same_terms))
        dated_in = ProgressUpdate.history.filter(id=OuterRef("id"), date__gte=start, date__lte=end)
        updates = ProgressUpdate.history.filter(**after).filter(
            Q(date__gte=start, date__lte=end) | Exists(dated_in)
        )
        values = IndicatorValue.history.filter(**after, year__lte=end.year)
        return cls(
            measures=set(measures.values_list("id", flat=True))
            | set(updates.values_list("measure_id", flat=True)),
            indicators=set(values.values_list("indicator_id", flat=True)),
            commitments=set(Commitment.history.filter(**after).values_list("id", flat=True)),
        )


def corrections(letter, *, user=None):
    """Return the Corrections of a sent `letter`: its summary built again as known now, against
    the summary as sent, both as `user` may read them now, for what was recorded after it was
    sent (`Touched`): measures added or withdrawn, statuses corrected, progress added, changed
    or withdrawn, figures revised and commitments answered since. None for a draft. The same
    builder reads both sides, restricted to the touched objects, so the cost follows what
    changed, not the size of the programme."""
    if not letter.is_sent:
        return None
    touched = Touched.since(letter.known_at, *letter.period)
    if not (touched.measures or touched.indicators or touched.commitments):
        return Corrections(
            LetterRef(letter.pk, letter.title, letter.date, letter.kamerstuk),
            [],
            [],
            [],
            [],
            [],
            [],
        )
    # Both sides as `user` may read them now: what was published but is hidden from them now
    # is neither added nor withdrawn for them.
    options = {"letter": letter, "only": touched, "user": user}
    then = build_summary(*letter.period, known=letter.known_at, **options)
    now = build_summary(*letter.period, **options)
    # A measure left out now only because it is no longer public is not withdrawn: the draft
    # says nothing about it.
    in_period_now = set(
        Measure.objects.filter(
            id__in=touched.measures, joined_on__lte=letter.period[1]
        ).values_list("pk", flat=True)
    )
    return _differences(letter, then, now, in_period_now)


def letters_to_correct(previous, end):
    """Return the sent letters a draft up to `end` may correct: the previous progress letter
    (a LetterRef or a ProgressLetter, or None) and every letter sent after it (a letter
    presenting a plan, say), oldest first."""
    letters = ProgressLetter.objects.sent().filter(date__lte=end).order_by("date", "pk")
    if previous is not None:
        letters = letters.filter(date__gte=previous.date)
    return letters


def _corrections_to_offer(previous, end, user):
    """Return the Corrections a draft adds: to each of `letters_to_correct`, those with
    something to say."""
    found = (corrections(letter, user=user) for letter in letters_to_correct(previous, end))
    return [item for item in found if not item.is_empty]


def _said(update):
    """What an update tells parliament (not how its author's organisation is named)."""
    return (update.date, update.text, update.next_steps, update.status)


def _differences(letter, then, now, in_period_now):
    before = {m.id: m for m in then.measures}
    after = {m.id: m for m in now.measures}
    statuses, progress = [], []
    for pk, entry in after.items():
        old = before.get(pk)
        if old is None:  # added: all it says is new
            progress.extend((entry, None, update) for update in entry.updates)
            continue
        if (old.status_start, old.status_end) != (entry.status_start, entry.status_end):
            statuses.append((old, entry))
        old_updates = {u.id: u for u in old.updates}
        new_updates = {u.id: u for u in entry.updates}
        for update_id, update in new_updates.items():
            previous = old_updates.get(update_id)
            if previous is None or _said(previous) != _said(update):
                progress.append((entry, previous, update))
        progress.extend(
            (entry, update, None)
            for update_id, update in old_updates.items()
            if update_id not in new_updates
        )
    figures = []
    old_tables = {t.indicator_id: t for t in then.figure_tables}
    for table in now.figure_tables:
        old_table = old_tables.get(table.indicator_id)
        old_rows = {r.period: r for r in old_table.rows} if old_table else {}
        for row in table.rows:
            if not row.recorded:
                continue
            previous = old_rows.get(row.period)
            revised = previous is None or (previous.target, previous.realised) != (
                row.target,
                row.realised,
            )
            if revised:
                figures.append((table, previous, row))
    old_commitments = {c.id: c for c in then.commitments}
    commitments = []
    for entry in now.commitments:
        previous = old_commitments.pop(entry.id, None)
        if previous is None or (previous.outcome, previous.fulfilled_on) != (
            entry.outcome,
            entry.fulfilled_on,
        ):
            commitments.append((previous, entry))
    commitments.extend((previous, None) for previous in old_commitments.values())
    return Corrections(
        letter=LetterRef(letter.pk, letter.title, letter.date, letter.kamerstuk),
        added=[m for pk, m in after.items() if pk not in before],
        withdrawn=[m for pk, m in before.items() if pk not in after and pk not in in_period_now],
        statuses=statuses,
        progress=progress,
        figures=figures,
        commitments=commitments,
    )
