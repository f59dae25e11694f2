"""ProgressLetter.previous_sent(): the sent letter a letter is compared with."""

import datetime

import pytest

from measures.models import ProgressLetter

pytestmark = pytest.mark.django_db


def sent(day, title, by):
    letter = ProgressLetter.objects.create(date=day, title=title)
    letter.mark_sent(by=by)
    return letter


def test_it_is_the_latest_sent_letter_before_it_drafts_left_out(alice):
    first = sent(datetime.date(2014, 6, 1), "Eerste", alice)
    second = sent(datetime.date(2015, 6, 1), "Tweede", alice)
    ProgressLetter.objects.create(date=datetime.date(2015, 9, 1), title="Concept")
    third = ProgressLetter.objects.create(date=datetime.date(2016, 6, 1), title="Derde")
    assert third.previous_sent() == second
    assert second.previous_sent() == first
    assert first.previous_sent() is None


def test_of_two_letters_of_one_day_the_earlier_numbered_comes_first(alice):
    morning = sent(datetime.date(2015, 6, 1), "Ochtend", alice)
    afternoon = sent(datetime.date(2015, 6, 1), "Middag", alice)
    assert afternoon.previous_sent() == morning
    assert morning.previous_sent() is None
