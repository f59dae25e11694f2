"""Migration 0010: each indicator's breakdowns listed from the breakdown texts its values
already carry, so the figures recorded before keep showing in the grid."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("measures", "0009_progress_update_sent_back")]
AFTER = [("measures", "0010_indicator_breakdowns")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0009(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_breakdowns_are_listed_from_the_values_texts(at_0009):
    Theme = at_0009.get_model("measures", "Theme")
    Indicator = at_0009.get_model("measures", "Indicator")
    IndicatorValue = at_0009.get_model("measures", "IndicatorValue")
    theme = Theme.objects.create(code="kp", name="Kinderpornografie")
    cases = Indicator.objects.create(name="Zaken in behandeling", theme=theme)
    totals = Indicator.objects.create(name="Interventies", theme=theme)
    for year, quarter, breakdown in [
        (2009, 1, "Regio's"),
        (2009, 1, "KLPD"),
        (2009, 2, "KLPD"),
        (2009, 2, "BR-en"),
        (2009, 0, ""),
    ]:
        IndicatorValue.objects.create(
            indicator=cases, year=year, quarter=quarter, breakdown=breakdown
        )
    IndicatorValue.objects.create(indicator=totals, year=2015)

    apps = migrate(AFTER)

    IndicatorBreakdown = apps.get_model("measures", "IndicatorBreakdown")
    listed = IndicatorBreakdown.objects.order_by("indicator_id", "order")
    assert [(b.indicator_id, b.name, b.order) for b in listed] == [
        (cases.pk, "BR-en", 1),
        (cases.pk, "KLPD", 2),
        (cases.pk, "Regio's", 3),
    ]
