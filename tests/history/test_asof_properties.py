"""The reader of the programme on day D as known at moment K, against a plain replay.

Hypothesis writes a random sequence of changes through the models — measures created, their
status set (back-dated or not), titles edited, visibility and owner changed, joining dates moved,
measures deleted; progress logged (with or without a status), edited, re-dated and deleted —
each at a strictly later record moment (a progress update and the status it sets share one;
no object ever has two records at one moment), with random valid dates no later than that
moment's day. Alongside, a plain Python log keeps what each write recorded. Then, for random
pairs (D, K) and for each kind of reader (the system, a coordinator, a contributor of one
organisation, a viewer without one), `measures_on` and `progress_on` must answer what a replay of
the log answers: the latest version of each object recorded up to K (a deletion removes it),
and within those what was valid on D.

Derandomised: the same examples on every run and no example database, so a failure is the
code's, never an example kept from an earlier run and replayed.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from measures.history.asof import AsOf, measures_on, progress_on
from measures.models import Measure, MeasureStatus, ProgressUpdate, Visibility

pytestmark = pytest.mark.django_db

PROPERTIES = settings(
    derandomize=True,
    database=None,
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# Record moments start here (UTC, so adding a gap never runs backwards over a clock change) and
# stay years before the real now, so every K but "now" reads the history tables.
START = datetime.datetime(2015, 3, 28, 22, 0, tzinfo=datetime.UTC)
GAPS = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(hours=1),
    datetime.timedelta(hours=7),
    datetime.timedelta(days=1),
    datetime.timedelta(days=5),
    datetime.timedelta(days=40),
]
STATUSES = list(MeasureStatus.values)
VISIBILITIES = list(Visibility.values)
DAY = datetime.timedelta(days=1)


# --- The plain log and its replay --------------------------------------------------------------


@dataclass(frozen=True)
class Write:
    """One record as the test meant to write it: its moment, the object and its fields then."""

    moment: datetime.datetime
    kind: str  # "measure" or "update"
    id: int
    fields: dict
    deleted: bool = False


@dataclass
class Log:
    writes: list = field(default_factory=list)

    def add(self, moment, kind, pk, fields, deleted=False):
        # Moments never run backwards, and one object never has two records at one moment
        # (the simple-history pitfall); a progress update and the status it sets share one.
        assert all(
            w.moment < moment or (w.moment == moment and (w.kind, w.id) != (kind, pk))
            for w in self.writes[-2:]
        )
        self.writes.append(Write(moment, kind, pk, dict(fields), deleted))

    def recorded(self, kind, known=None):
        """Return {id: fields} of the `kind` objects as recorded at `known` (None: all),
        the latest write of each, deletions dropped."""
        latest = {}
        for write in self.writes:
            if write.kind == kind and (known is None or write.moment <= known):
                latest[write.id] = write
        return {pk: w.fields for pk, w in latest.items() if not w.deleted}

    def last(self, kind, pk):
        """Return the fields of the last write of an object, its deletion included."""
        return [w for w in self.writes if w.kind == kind and w.id == pk][-1].fields

    def status_on(self, pk, day, known):
        """The status of the latest write up to `known` whose status took effect by `day`."""
        status = ""
        for write in self.writes:
            if (
                write.kind == "measure"
                and write.id == pk
                and (known is None or write.moment <= known)
                and write.fields["status_since"] <= day
            ):
                status = write.fields["status"]
        return status


@dataclass(frozen=True)
class Reader:
    """Who reads: None is the system (everything); else coordinator or not, and an organisation."""

    name: str
    user: object
    coordinator: bool
    organisation_id: int | None

    def may_read(self, visibility, owner_id):
        """A measure's terms: confidential only for coordinators and the owning organisation."""
        if self.user is None or self.coordinator or visibility != Visibility.CONFIDENTIAL:
            return True
        return self.organisation_id is not None and owner_id == self.organisation_id


def expected_measures(log, day, known, reader):
    """{id: (status on `day`, title)} of the measures in the programme on `day` as known at
    `known` that `reader` may read by the record's own terms and the measure's present ones."""
    result = {}
    for pk, fields in log.recorded("measure", known).items():
        now = log.last("measure", pk)  # the live row, or the record of its deletion
        if (
            fields["joined_on"] <= day
            and reader.may_read(fields["visibility"], fields["owner_id"])
            and reader.may_read(now["visibility"], now["owner_id"])
        ):
            result[pk] = (log.status_on(pk, day, known), fields["title"])
    return result


def expected_progress(log, day, known, reader):
    """{id: text} of the progress updates dated by `day` as known at `known`, of the measures
    `reader` sees then; a confidential update only for coordinators, the organisation that wrote
    it and the organisation that owns its measure now (the live row, or the deletion record)."""
    shown = expected_measures(log, day, known, reader)
    result = {}
    for pk, fields in log.recorded("update", known).items():
        if fields["date"] > day or fields["measure_id"] not in shown:
            continue
        if not (
            reader.user is None
            or reader.coordinator
            or fields["visibility"] != Visibility.CONFIDENTIAL
            or (
                reader.organisation_id is not None
                and (
                    fields["author_organisation_id"] == reader.organisation_id
                    or log.last("measure", fields["measure_id"])["owner_id"]
                    == reader.organisation_id
                )
            )
        ):
            continue
        result[pk] = fields["text"]
    return result


# --- Writing through the models ----------------------------------------------------------------


def measure_fields(measure):
    """What the log keeps of a measure the test has just written (from the test's own values,
    set on the instance before saving, not read back from the database)."""
    return {
        "title": measure.title,
        "joined_on": measure.joined_on,
        "status": measure.status,
        "status_since": measure.status_since,
        "visibility": measure.visibility,
        "owner_id": measure.owner_id,
    }


def dated(obj, moment, by):
    obj._history_date = moment
    obj._history_user = by
    return obj


class Writer:
    """Draws and performs one change at a time, logging what it meant to write."""

    def __init__(self, data, world):
        self.data = data
        self.world = world
        self.log = Log()
        self.moment = START
        self.serial = 0

    def draw(self, strategy, label):
        return self.data.draw(strategy, label=label)

    def text(self, prefix):
        self.serial += 1
        return f"{prefix} {self.serial}"

    def day(self):
        return timezone.localdate(self.moment)

    def date_between(self, first, last, label):
        return self.draw(st.dates(min_value=first, max_value=last), label)

    def live_measures(self):
        return sorted(self.log.recorded("measure"))

    def live_updates(self):
        live = self.log.recorded("measure")
        return sorted(
            pk for pk, fields in self.log.recorded("update").items() if fields["measure_id"] in live
        )

    def step(self):
        self.moment += self.draw(st.sampled_from(GAPS), "gap")
        # Repeats weigh the choice: progress and access changes more often than the rest.
        choices = ["create"] * 2
        if self.live_measures():
            choices += ["status", "status", "title", "visibility", "visibility", "owner"]
            choices += ["joining", "delete", "log", "log", "log", "log"]
        if self.live_updates():
            choices += ["edit_update", "edit_update", "delete_update"]
        getattr(self, "op_" + self.draw(st.sampled_from(choices), "operation"))()

    # Measures

    def pick_measure(self):
        pk = self.draw(st.sampled_from(self.live_measures()), "measure")
        return Measure.objects.get(pk=pk)

    def save_measure(self, measure, by=None):
        dated(measure, self.moment, by or self.world["alice"]).save()
        self.log_measure(measure)

    def log_measure(self, measure, deleted=False):
        self.log.add(self.moment, "measure", measure.pk, measure_fields(measure), deleted)

    def op_create(self):
        w = self.world
        measure = Measure(
            plan=w["plan"],
            theme=w["theme"],
            title=self.text("Maatregel"),
            joined_on=self.date_between(self.day() - 90 * DAY, self.day(), "joined_on"),
            status=self.draw(st.sampled_from(STATUSES), "status"),
            visibility=self.draw(st.sampled_from(VISIBILITIES), "visibility"),
            owner=self.draw(st.sampled_from(w["owners"]), "owner"),
        )
        self.save_measure(measure)
        # A new measure's status dates from its joining (fill_valid_dates).
        assert measure.status_since == measure.joined_on
        note(f"{self.moment:%Y-%m-%d %H:%M} create {measure.pk}: {measure_fields(measure)}")

    def op_status(self):
        measure = self.pick_measure()
        status = self.draw(st.sampled_from(STATUSES), "status")
        on = self.date_between(measure.joined_on, self.day(), "on")
        measure.set_status(status, by=self.world["alice"], on=on, history_date=self.moment)
        assert (measure.status, measure.status_since) == (status, on)
        self.log_measure(measure)
        note(f"{self.moment:%Y-%m-%d %H:%M} status {measure.pk}: {status} on {on}")

    def op_title(self):
        measure = self.pick_measure()
        measure.title = self.text("Titel")
        self.save_measure(measure)
        note(f"{self.moment:%Y-%m-%d %H:%M} title {measure.pk}: {measure.title}")

    def op_visibility(self):
        measure = self.pick_measure()
        measure.visibility = self.draw(st.sampled_from(VISIBILITIES), "visibility")
        self.save_measure(measure)
        note(f"{self.moment:%Y-%m-%d %H:%M} visibility {measure.pk}: {measure.visibility}")

    def op_owner(self):
        measure = self.pick_measure()
        measure.owner = self.draw(st.sampled_from(self.world["owners"]), "owner")
        self.save_measure(measure)
        note(f"{self.moment:%Y-%m-%d %H:%M} owner {measure.pk}: {measure.owner}")

    def op_joining(self):
        """Correct the joining date, no later than the status date and the earliest progress."""
        measure = self.pick_measure()
        dates = [
            f["date"] for f in self.log.recorded("update").values() if f["measure_id"] == measure.pk
        ]
        latest = min([measure.status_since, self.day(), *dates])
        measure.joined_on = self.date_between(latest - 60 * DAY, latest, "joined_on")
        self.save_measure(measure)
        note(f"{self.moment:%Y-%m-%d %H:%M} joined {measure.pk}: {measure.joined_on}")

    def op_delete(self):
        measure = self.pick_measure()
        pk, fields = measure.pk, measure_fields(measure)
        # Its progress updates go with it (a cascade, whose records are dated now: the replay
        # needs none of them, as a deleted measure shows no progress).
        dated(measure, self.moment, self.world["alice"]).delete()
        self.log.add(self.moment, "measure", pk, fields, deleted=True)
        note(f"{self.moment:%Y-%m-%d %H:%M} delete {pk}")

    # Progress

    def op_log(self):
        measure = self.pick_measure()
        author = self.draw(st.sampled_from([self.world["alice"], self.world["bob"]]), "author")
        date = self.date_between(measure.joined_on, self.day(), "date")
        status = self.draw(st.none() | st.sampled_from(STATUSES), "status")
        visibility = self.draw(st.sampled_from(VISIBILITIES), "visibility")
        before, before_since = measure.status, measure.status_since
        update = measure.log_progress(
            by=author,
            text=self.text("Voortgang"),
            date=date,
            status=status,
            visibility=visibility,
            history_date=self.moment,
        )
        self.log.add(self.moment, "update", update.pk, self.update_fields(update))
        if status is not None and status != before and date >= before_since:
            # the measure moves to the status as of the update's date, at the same moment
            assert (measure.status, measure.status_since) == (status, date)
            self.log_measure(measure)
        else:
            # an update dated before the current status began leaves it alone
            assert (measure.status, measure.status_since) == (before, before_since)
        note(
            f"{self.moment:%Y-%m-%d %H:%M} log {update.pk} on {measure.pk} by {author}: "
            f"{date} {visibility} status={status!r}"
        )

    def update_fields(self, update):
        return {
            "measure_id": update.measure_id,
            "date": update.date,
            "text": update.text,
            "visibility": update.visibility,
            "author_organisation_id": update.author_organisation_id,
        }

    def pick_update(self):
        pk = self.draw(st.sampled_from(self.live_updates()), "update")
        return ProgressUpdate.objects.select_related("measure").get(pk=pk)

    def op_edit_update(self):
        update = self.pick_update()
        update.text = self.text("Gecorrigeerd")
        if self.draw(st.booleans(), "redate"):
            update.date = self.date_between(update.measure.joined_on, self.day(), "date")
        update.visibility = self.draw(st.sampled_from(VISIBILITIES), "visibility")
        dated(update, self.moment, self.world["alice"]).save()
        self.log.add(self.moment, "update", update.pk, self.update_fields(update))
        note(f"{self.moment:%Y-%m-%d %H:%M} edit {update.pk}: {self.update_fields(update)}")

    def op_delete_update(self):
        update = self.pick_update()
        pk, fields = update.pk, self.update_fields(update)
        dated(update, self.moment, self.world["alice"]).delete()
        self.log.add(self.moment, "update", pk, fields, deleted=True)
        note(f"{self.moment:%Y-%m-%d %H:%M} delete update {pk}")


# --- The property ------------------------------------------------------------------------------


@pytest.fixture
def world(plan, kst, police, prosecution, alice, bob, vera):
    return {
        "plan": plan,
        "theme": kst,
        "owners": [police, prosecution],
        "alice": alice,
        "bob": bob,
        "readers": [
            Reader("system", None, True, None),
            Reader("coordinator", alice, True, alice.profile.organisation_id),
            Reader("contributor", bob, False, police.pk),
            Reader("viewer", vera, False, None),
        ],
    }


def moments_to_ask(writer):
    """The K days worth asking about: each record's day and the days either side; and now."""
    days = {
        timezone.localdate(w.moment) + d for w in writer.log.writes for d in (-DAY, 0 * DAY, DAY)
    }
    return [None, *sorted(days)]


def days_to_ask(writer):
    """The D days worth asking about: each valid date written and the days either side."""
    dates = set()
    for write in writer.log.writes:
        for name in ("joined_on", "status_since", "date"):
            if name in write.fields:
                dates |= {write.fields[name] - DAY, write.fields[name], write.fields[name] + DAY}
    return sorted(dates)


@PROPERTIES
@given(data=st.data())
def test_the_reader_answers_as_a_replay_of_the_writes(world, data):
    with transaction.atomic():
        writer = Writer(data, world)
        steps = data.draw(st.integers(min_value=1, max_value=25), label="steps")
        for _ in range(steps):
            writer.step()
        pairs = data.draw(
            st.lists(
                st.tuples(
                    st.sampled_from(days_to_ask(writer)), st.sampled_from(moments_to_ask(writer))
                ),
                min_size=1,
                max_size=8,
            ),
            label="(D, K day)",
        )
        for day, known_day in pairs:
            as_of = AsOf(day, known_day=known_day)
            for reader in world["readers"]:
                got = {r.id: (r.status_then, r.title) for r in measures_on(as_of, user=reader.user)}
                want = expected_measures(writer.log, day, as_of.known, reader)
                assert got == want, f"measures on {day} known {known_day} for {reader.name}"
                got = {u.id: u.text for u in progress_on(as_of, user=reader.user)}
                want = expected_progress(writer.log, day, as_of.known, reader)
                assert got == want, f"progress on {day} known {known_day} for {reader.name}"
        transaction.set_rollback(True)


def test_confidential_progress_of_a_deleted_measure_stays_with_its_owner(
    plan, kst, police, alice, bob
):
    """The police own a measure on which the ministry logs confidential progress; the measure is
    deleted the next day. As known before the deletion, the police still read the measure (its
    deletion record is theirs), and so its confidential progress, as they did then."""
    june_1 = datetime.date(2015, 6, 1)
    noon = datetime.datetime(2015, 6, 1, 10, tzinfo=datetime.UTC)
    measure = Measure(plan=plan, theme=kst, owner=police, title="Handboek", joined_on=june_1)
    dated(measure, noon, alice).save()
    update = measure.log_progress(
        by=alice,
        text="Vertrouwelijk",
        date=june_1,
        visibility=Visibility.CONFIDENTIAL,
        history_date=noon + datetime.timedelta(hours=1),
    )
    then = AsOf(june_1, known_day=june_1)
    assert [u.id for u in progress_on(then, user=bob)] == [update.pk]  # id: pk is history_id
    pk = measure.pk
    dated(measure, noon + DAY, alice).delete()
    assert [m.id for m in measures_on(then, user=bob)] == [pk]
    assert [u.id for u in progress_on(then, user=bob)] == [update.pk]
