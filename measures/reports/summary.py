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
    Indicator,
    IndicatorUnit,
    IndicatorValue,
    LetterKind,
    LetterTemplate,
    Measure,
    MeasureStatus,
    Organisation,
    Plan,
    ProgressLetter,
    ProgressUpdate,
    StoredFile,
    Theme,
    UpdateState,
    Visibility,
    readable_measures,
    readable_updates,
)
from .collector import collector_paused

# The letters a progress letter follows on ("de vorige voortgangsbrief"); a letter on one motion
# or presenting a plan is not one of them.
REPORTING_KINDS = (LetterKind.PROGRESS, LetterKind.RESULTS)

# How many years before the period's first year the figure tables show.
FIGURE_YEARS_BEFORE = 3


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

    @property
    def status_changed(self):
        return self.status_start != self.status_end

    @property
    def is_reported(self):
        """Whether the letter has something to say about it: progress, next steps, a change of
        status, a delay or a footnote. The others are named together in one sentence."""
        return bool(
            self.updates
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
    number: str
    name: str
    measures: list[MeasureEntry]

    @property
    def reported(self):
        return [m for m in self.measures if m.is_reported]

    @property
    def quiet(self):
        return [m for m in self.measures if not m.is_reported]


@dataclass
class FigureRow:
    year: int
    target: Decimal | None
    realised: Decimal | None
    unit: str
    previous_realised: Decimal | None = None
    note: str = ""  # the value's note, shown under the table with the year

    difference = IndicatorValue.difference  # realised minus target, as the indicator page has it

    @property
    def change(self):
        """Return the change on the year before in percent (counts and amounts only)."""
        if self.unit == IndicatorUnit.PERCENT or not self.previous_realised:
            return None
        if self.realised is None:
            return None
        return (self.realised - self.previous_realised) / self.previous_realised * 100

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
    def change_text(self):
        return formatting.signed_percent_nl(self.change) or "–"


@dataclass
class FigureTable:
    number: int
    indicator_id: int
    title: str
    unit: str
    source: str
    rows: list[FigureRow]

    @property
    def notes(self):
        """Return the notes of the table's years as (year, note), oldest first."""
        return [(row.year, row.note) for row in self.rows if row.note]


@dataclass
class ThemeSection:
    number: int
    code: str
    name: str
    action_lines: list[ActionLineSection]
    figures: list[FigureTable]


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


class _Notes:
    def __init__(self):
        self.notes = []
        self._by_text = {}

    def cite(self, reference):
        text = _kamerstuk_text(reference)
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
    organisations = {
        pk: row["abbreviation"] or row["name"]
        for pk, row in _names_at(Organisation, known, "name", "abbreviation").items()
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

    # Sections: theme order, then plan and action line order, then code and title.
    def plan_key(plan_id):
        """The plan's place in Plan.Meta.ordering (see Plan.sort_key), from its row."""
        row = plans.get(plan_id) or {"start": None, "title": "", "id": plan_id}
        return (row["start"] is None, row["start"] or datetime.date.min, row["title"], plan_id)

    def plan_name(plan_id):
        row = plans.get(plan_id)
        return (row["short_title"] or row["title"]) if row else ""

    def line_key(entry):
        line = lines.get(entry.action_line_id)
        if line is None:
            return (1, (), 0)
        return (0, plan_key(line["plan_id"]), line["order"])

    theme_sections = []
    by_theme = {}
    for entry in entries.values():
        by_theme.setdefault(entry.theme_id, []).append(entry)

    # Queries: the indicators of the themes shown and their values, as recorded at `known`.
    figure_theme_ids = {theme_id} if theme_id else set(by_theme)
    if not theme_id and not plan_id and not organisation_id:
        figure_theme_ids = set(themes)
    figures_by_theme = _figures(figure_theme_ids, start, end, known, only=only and only.indicators)

    theme_order = sorted(themes.values(), key=lambda t: (t["order"], t["name"], t["id"]))
    numbered_themes = [t for t in theme_order if t["id"] in by_theme or t["id"] in figures_by_theme]
    for number, theme_row in enumerate(numbered_themes, start=1):
        measures = sorted(
            by_theme.get(theme_row["id"], []),
            key=lambda e: (line_key(e), e.code, e.title.lower(), e.id),
        )
        sections = []
        plans_in_theme = {m.plan_id for m in measures}
        for entry in measures:
            line = lines.get(entry.action_line_id)
            name = line["name"] if line else "Overige maatregelen"
            if line and len(plans_in_theme) > 1:
                name = f"{name} ({plan_name(line['plan_id'])})"
            if not sections or sections[-1].name != name:
                sections.append(
                    ActionLineSection(
                        number=f"{number}.{len(sections) + 1}", name=name, measures=[]
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

    commitments, unanswered = _commitments(
        letter,
        start,
        end,
        known,
        set(entries),
        notes,
        theme_id or plan_id or organisation_id,
        only=only and only.commitments,
    )

    ordered = [m for t in theme_sections for line in t.action_lines for m in line.measures]
    status_changes = []
    for entry in ordered:
        row = selected[entry.id]
        status_then = row["status_at_letter"] if row["joined_on"] <= changes_day else None
        if status_then != entry.status_end:
            status_changes.append(StatusChange(entry, status_then, entry.status_end))

    letter_ref = None
    if letter is not None:
        letter_ref = LetterRef(letter.pk, letter.title, letter.date, letter.kamerstuk)
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
    )


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


def _figures(theme_ids, start, end, known, *, only=None):
    """Return {theme id: [FigureTable]} for the yearly totals around the period (2 queries: the
    indicators and their values as recorded at `known`)."""
    first_year = start.year - FIGURE_YEARS_BEFORE
    indicators_then = {
        row["id"]: row
        for row in records_at(Indicator, known)
        .filter(theme_id__in=theme_ids, **({} if only is None else {"id__in": only}))
        .values("id", "name", "unit", "theme_id", "default_source", "order")
    }
    values = _rows_at(
        IndicatorValue,
        known,
        Q(
            indicator_id__in=list(indicators_then),
            quarter=0,
            breakdown="",
            year__gte=first_year - 1,
            year__lte=end.year,
        ),
        "indicator_id",
        "year",
        "target",
        "realised",
        "source",
        "note",
    )
    for row in values.values():
        indicator = indicators_then[row["indicator_id"]]
        row.update({f"indicator__{name}": indicator[name] for name in indicator if name != "id"})
    by_indicator = {}
    for row in values.values():
        by_indicator.setdefault(row["indicator_id"], {})[row["year"]] = row
    # Each row carries its indicator's fields; the first row of each indicator stands for it.
    indicators = sorted(
        (next(iter(years.values())) for years in by_indicator.values()),
        key=lambda row: (row["indicator__order"], row["indicator__name"], row["indicator_id"]),
    )
    result = {}
    for indicator in indicators:
        years = by_indicator[indicator["indicator_id"]]
        unit = indicator["indicator__unit"]
        rows = []
        source = indicator["indicator__default_source"]
        for year in sorted(years):
            if year < first_year:
                continue
            row = years[year]
            previous = years.get(year - 1)
            source = row["source"] or source
            rows.append(
                FigureRow(
                    year=year,
                    target=row["target"],
                    realised=row["realised"],
                    unit=unit,
                    previous_realised=previous["realised"] if previous else None,
                    note=row["note"],
                )
            )
        if rows:
            result.setdefault(indicator["indicator__theme_id"], []).append(
                FigureTable(
                    number=0,
                    indicator_id=indicator["indicator_id"],
                    title=indicator["indicator__name"],
                    unit=unit,
                    source=source,
                    rows=rows,
                )
            )
    return result


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


def _commitments(this_letter, start, end, known, measure_ids, notes, filtered, *, only=None):
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
        values = IndicatorValue.history.filter(
            **after, year__gte=start.year - FIGURE_YEARS_BEFORE - 1, year__lte=end.year
        )
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
        old_rows = {r.year: r for r in old_table.rows} if old_table else {}
        for row in table.rows:
            previous = old_rows.get(row.year)
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
