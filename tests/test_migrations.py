"""Migrations 0005 and 0006: valid time filled in from the history, without losing a record.

The database is taken back to 0004, given measures and history records as the tracker wrote them
before valid time existed (with the historical models of that state), and migrated forward. The
joining date is the start date when the measure started before the tracker first recorded it,
else the (local) day of its first record; each history record's status date is the day its run
of that status began (a completed run: the completion date); the live rows get the dates of
their last record. No history record is added, dropped or re-dated.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("measures", "0004_plan_order_undated_last")]
AFTER = [("measures", "0006_valid_time_required")]
UTC = datetime.UTC


def moment(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def day(text):
    return datetime.date.fromisoformat(text)


def migrate(targets):
    """Migrate to `targets`; return the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def write(HistoricalMeasure, measure, when, kind="~", **changes):
    """Save `measure` with `changes` (unless `kind` is a deletion) and write its history record
    at `when`, as simple-history did."""
    for name, value in changes.items():
        setattr(measure, name, value)
    if kind != "-":
        measure.save()
    values = {f.attname: getattr(measure, f.attname) for f in measure._meta.concrete_fields}
    return HistoricalMeasure.objects.create(history_date=when, history_type=kind, **values)


def history_rows(HistoricalMeasure):
    """Every history record as it was written: the columns the migration must not touch."""
    return list(
        HistoricalMeasure.objects.order_by("history_id").values_list(
            "history_id", "id", "history_date", "history_type", "status", "title", "completed_date"
        )
    )


@pytest.fixture
def at_0004(transactional_db):
    """The database at 0004 for the test, and back at the latest migrations afterwards."""
    apps = migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_valid_time_is_filled_from_the_history(at_0004):
    apps = at_0004
    Organisation = apps.get_model("measures", "Organisation")
    Theme = apps.get_model("measures", "Theme")
    Plan = apps.get_model("measures", "Plan")
    Measure = apps.get_model("measures", "Measure")
    HistoricalMeasure = apps.get_model("measures", "HistoricalMeasure")

    police = Organisation.objects.create(name="Nationale Politie", kind="police")
    theme = Theme.objects.create(code="kst", name="Kindersekstoerisme")
    plan = Plan.objects.create(title="Plan van aanpak", owner=police)
    common = {"plan": plan, "theme": theme, "owner": police}

    # Started in January 2014, before its first record (2 March 2015): in progress, delayed in
    # June, completed on 20 January 2016 (recorded on 1 February), then edited twice.
    started = Measure(
        title="Handboek", status="in_progress", start_date=day("2014-01-15"), **common
    )
    write(HistoricalMeasure, started, moment(2015, 3, 2, 9), "+")
    write(HistoricalMeasure, started, moment(2015, 3, 5, 9), title="Handboek KST")
    write(HistoricalMeasure, started, moment(2015, 6, 10, 9), status="delayed")
    write(HistoricalMeasure, started, moment(2015, 6, 20, 9), title="Handboek kst")
    write(
        HistoricalMeasure,
        started,
        moment(2016, 2, 1, 9),
        status="completed",
        completed_date=day("2016-01-20"),
    )
    write(HistoricalMeasure, started, moment(2016, 2, 3, 9), title="Handboek (klaar)")

    # Starting later than its first record, which is 22:30 UTC on 1 September 2015: already
    # the 2nd in Amsterdam. Not started, in progress, delayed, in progress again.
    later = Measure(title="Campagne", status="not_started", start_date=day("2016-01-01"), **common)
    write(HistoricalMeasure, later, moment(2015, 9, 1, 22, 30), "+")
    write(HistoricalMeasure, later, moment(2015, 10, 1, 9), status="in_progress")
    write(HistoricalMeasure, later, moment(2015, 11, 1, 9), status="delayed")
    write(HistoricalMeasure, later, moment(2015, 12, 1, 9), status="in_progress")

    # Deleted: only its records remain.
    gone = Measure(title="Ingetrokken", status="in_progress", **common)
    write(HistoricalMeasure, gone, moment(2015, 4, 1, 9), "+")
    write(HistoricalMeasure, gone, moment(2015, 5, 1, 9), status="stopped")
    gone_id = gone.pk
    write(HistoricalMeasure, gone, moment(2015, 7, 1, 9), "-")
    gone.delete()

    # Written without history (a bulk write): its start date, or today.
    unrecorded = Measure.objects.create(
        title="Zonder geschiedenis", status="embedded", start_date=day("2013-05-05"), **common
    )

    rows_before = history_rows(HistoricalMeasure)
    assert len(rows_before) == 13

    apps = migrate(AFTER)
    Measure = apps.get_model("measures", "Measure")
    HistoricalMeasure = apps.get_model("measures", "HistoricalMeasure")

    assert history_rows(HistoricalMeasure) == rows_before  # none added, dropped or re-dated

    def dates(pk):
        return [
            (r.status, r.joined_on, r.status_since)
            for r in HistoricalMeasure.objects.filter(id=pk).order_by("history_date")
        ]

    joined = day("2014-01-15")  # the start date, earlier than the first record
    assert dates(started.pk) == [
        ("in_progress", joined, day("2015-03-02")),
        ("in_progress", joined, day("2015-03-02")),
        ("delayed", joined, day("2015-06-10")),
        ("delayed", joined, day("2015-06-10")),
        ("completed", joined, day("2016-01-20")),  # its completion date, not the record's day
        ("completed", joined, day("2016-01-20")),
    ]
    joined = day("2015-09-02")  # the first record's day in Amsterdam; the start is later
    assert dates(later.pk) == [
        ("not_started", joined, joined),
        ("in_progress", joined, day("2015-10-01")),
        ("delayed", joined, day("2015-11-01")),
        ("in_progress", joined, day("2015-12-01")),  # a new run of an earlier status
    ]
    joined = day("2015-04-01")
    assert dates(gone_id) == [
        ("in_progress", joined, joined),
        ("stopped", joined, day("2015-05-01")),
        ("stopped", joined, day("2015-05-01")),  # the deletion record
    ]
    assert not Measure.objects.filter(pk=gone_id).exists()

    live = {m.pk: (m.joined_on, m.status_since) for m in Measure.objects.all()}
    assert live == {
        started.pk: (day("2014-01-15"), day("2016-01-20")),
        later.pk: (day("2015-09-02"), day("2015-12-01")),
        unrecorded.pk: (day("2013-05-05"), day("2013-05-05")),
    }
