"""The order of plans: one rule (Plan.Meta.ordering), with Plan.sort_key as its Python twin."""

import datetime

import pytest

from measures.models import Plan


@pytest.fixture
def plans(ministry):
    for title, start in (
        ("Zonder datum", None),
        ("B 2015", datetime.date(2015, 1, 1)),
        ("A 2015", datetime.date(2015, 1, 1)),
        ("Z 2011", datetime.date(2011, 1, 1)),
    ):
        Plan.objects.create(title=title, start=start, owner=ministry)


def test_plans_are_oldest_first_then_by_title_and_undated_last(plans):
    assert [p.title for p in Plan.objects.all()] == ["Z 2011", "A 2015", "B 2015", "Zonder datum"]


def test_sort_key_puts_plans_in_the_database_order(plans):
    in_database = list(Plan.objects.all())
    created = list(Plan.objects.order_by("pk"))  # another order than the database's
    assert created != in_database
    assert sorted(created, key=lambda plan: plan.sort_key) == in_database
