"""Where a change came from and the whole-year quarter, in words (measures/history/changes.py)."""

import pytest
from django.utils import translation

from measures.history.changes import origin_in_words, value_in_words
from measures.models import IndicatorValue


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("origin", "words"),
    [
        ("web 192.0.2.7", "the website, from 192.0.2.7"),
        ("command seed", "loading the example data"),
        ("command import_measures", "the spreadsheet import (command)"),
        ("command tidy_up", "the server command “tidy_up”"),
        ("shell", "the server console"),
        ("", ""),
    ],
)
def test_an_origin_reads_as_words(origin, words):
    assert origin_in_words(origin) == words


def test_quarter_0_of_a_figure_is_the_whole_year():
    quarter = IndicatorValue._meta.get_field("quarter")
    assert value_in_words(quarter, 0) == "Whole year"
    assert value_in_words(quarter, 3) == "Quarter 3"
