"""Sending a letter: the day it went out is checked and turned into the moment it fixes, on the
model (the confirmation form and any other caller get the same rule)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from measures.models import ProgressLetter, end_of_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter():
    return ProgressLetter.objects.create(date=datetime.date(2015, 6, 1), title="Voortgangsbrief")


def test_a_letter_sent_on_an_earlier_day_fixes_what_was_known_at_its_end(letter, alice):
    letter.mark_sent(by=alice, on=datetime.date(2015, 6, 3), kamerstuk="31 015, nr. 112")
    letter.refresh_from_db()
    assert letter.sent_at == end_of_day(datetime.date(2015, 6, 3))
    assert letter.kamerstuk == "31 015, nr. 112"


def test_a_letter_sent_today_fixes_what_is_known_now(letter, alice):
    before = timezone.now()
    letter.mark_sent(by=alice, on=timezone.localdate())
    letter.refresh_from_db()
    assert before <= letter.sent_at <= timezone.now()


@pytest.mark.parametrize(
    "day", [datetime.date(2015, 5, 31), timezone.localdate() + datetime.timedelta(days=1)]
)
def test_a_day_before_the_letter_or_in_the_future_is_refused_on_the_day(letter, alice, day):
    with pytest.raises(ValidationError) as refused:
        letter.mark_sent(by=alice, on=day)
    assert list(refused.value.error_dict) == ["sent_on"]
    letter.refresh_from_db()
    assert not letter.is_sent and letter.history.count() == 1


def test_what_a_sent_letter_published_can_no_longer_be_changed(db, alice):
    """Its Word and PDF read the letter's own fields: changing them after sending would change
    the letter as sent. The parliamentary paper number may still be corrected."""
    letter = ProgressLetter.objects.create(
        date=datetime.date(2015, 6, 1), title="Voortgangsbrief", addressee="De Voorzitter"
    )
    letter.addressee = "Een ander"  # a draft may change
    letter.save_change(by=alice)
    letter.mark_sent(by=alice, kamerstuk="31 015, nr. 112")
    for field, value in (("addressee", "Nog een ander"), ("our_reference", "X"), ("title", "Y")):
        letter.refresh_from_db()
        setattr(letter, field, value)
        with pytest.raises(ValidationError) as refused:
            letter.save_change(by=alice)
        assert field in refused.value.message_dict
    letter.refresh_from_db()
    assert (letter.addressee, letter.title) == ("Een ander", "Voortgangsbrief")
    letter.kamerstuk = "31 015, nr. 113"
    letter.save_change(by=alice)
