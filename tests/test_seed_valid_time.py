"""The seed replays the letters on both clocks: each fact carries the valid date the letters state
(or its letter's date, marked estimated), each record the moment of its letter. And it holds what
the domain check (shared reviews/domain.md, W1–W8 and section 4) found the letters support."""

import datetime

import pytest

from measures.models import (
    Measure,
    MeasureStatus,
    ProgressLetter,
    ProgressUpdate,
)

pytestmark = pytest.mark.django_db

D = datetime.date
JUNE_2015 = D(2015, 6, 1)
PERIOD_2015 = (D(2014, 9, 1), JUNE_2015)  # the letter of 1 June 2015: "september 2014 tot heden"
PERIOD_2010 = (D(2010, 3, 31), D(2010, 7, 1))  # the 2010 letter: "de periode vanaf 31 maart 2010"

SOMEC = "SOMEC-project"
ECPAT = "Project ECPAT/Defence for Children"
CAMPAIGN_2010 = "Bewustwordingscampagne kindersekstoerisme (2010)"
DONT_LOOK_AWAY = "Campagne tegen kindersekstoerisme «Don't Look Away»"
HANDBOOK = "Handboek kindersekstoerisme (verbetering informatiepositie)"
PLAN_2013 = "PvA KST 2013"


@pytest.fixture(scope="module", autouse=True)
def _seeded(seeded_module):
    """The seed letters, loaded once for this module (tests/conftest.py)."""


def measure(title):
    return Measure.objects.get(title=title)


def letter(day):
    return ProgressLetter.objects.get(date=day)


def record_at(obj, moment):
    """The history record of `obj` as it stood at `moment` (record time)."""
    return obj.history.filter(history_date__lte=moment).order_by("-history_date").first()


def update_of(title, letter_day):
    return ProgressUpdate.objects.get(measure__title=title, source_letter__date=letter_day)


def new_in(period, letter_day):
    """Titles of the measures first reported by the letter of `letter_day` that joined the
    programme within `period` (valid time): what a summary of that period may call new."""
    start, end = period
    return {
        m.title
        for m in Measure.objects.filter(
            source_letter__date=letter_day, joined_on__gte=start, joined_on__lte=end
        )
    }


# --- the model: an estimated date is stored as such ----------------------------------------------


def test_log_progress_stores_an_estimated_date_on_the_update_and_the_status(admin_user):
    item = measure("Lidmaatschap van de Virtual Global Taskforce (VGT)")
    update = item.log_progress(
        by=admin_user,
        text="Test",
        date=D(2016, 1, 1),
        date_is_estimated=True,
        status=MeasureStatus.DELAYED,
    )
    assert update.date_is_estimated
    item.refresh_from_db()
    assert (item.status_since, item.status_since_is_estimated) == (D(2016, 1, 1), True)
    item.set_status(MeasureStatus.IN_PROGRESS, by=admin_user, on=D(2016, 2, 1))
    item.refresh_from_db()
    assert (item.status_since, item.status_since_is_estimated) == (D(2016, 2, 1), False)
