"""Migration 0013: each letter's recorded opening becomes its opening passage, with a history
record dated when the letter first recorded it, so a sent letter rebuilt as sent still has it."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("measures", "0012_stored_files")]
AFTER = [("measures", "0013_letter_passages")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0012(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_each_letters_opening_becomes_its_opening_passage(at_0012):
    Letter = at_0012.get_model("measures", "ProgressLetter")
    HistoricalLetter = at_0012.get_model("measures", "HistoricalProgressLetter")
    recorded = timezone.make_aware(datetime.datetime(2015, 6, 1, 12))
    with_opening = Letter.objects.create(
        date=datetime.date(2015, 6, 1), title="Met opening", opening="Met deze brief …"
    )
    HistoricalLetter.objects.create(
        id=with_opening.pk,
        date=with_opening.date,
        title=with_opening.title,
        opening=with_opening.opening,
        kind="progress",
        status="draft",
        version=1,
        history_date=recorded,
        history_type="+",
    )
    Letter.objects.create(date=datetime.date(2015, 12, 1), title="Zonder opening")

    apps = migrate(AFTER)

    Passage = apps.get_model("measures", "LetterPassage")
    passage = Passage.objects.get()
    assert (passage.letter_id, passage.place, passage.text, passage.version) == (
        with_opening.pk,
        "opening",
        "Met deze brief …",
        1,
    )
    record = apps.get_model("measures", "HistoricalLetterPassage").objects.get()
    assert (record.id, record.history_date, record.text) == (passage.pk, recorded, passage.text)
    assert "opening" not in {
        f.name for f in apps.get_model("measures", "ProgressLetter")._meta.fields
    }
