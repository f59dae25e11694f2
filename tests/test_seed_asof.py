"""Acceptance on the seed letters: the measure page, the list and the dashboard as of the letter
of 1 June 2015 show what that letter reported; today they show what stands now."""

import datetime

import pytest
from django.urls import reverse

from measures.access import ensure_roles
from measures.models import Measure, MeasureStatus, Organisation, ProgressLetter

from .conftest import make_user

pytestmark = pytest.mark.django_db

NGO = "Samenwerking met NGO's"
NGO_TEXT_2015 = "geborgd in het reguliere proces"
CAMPAIGN = "Bewustwordingscampagne kindersekstoerisme (2010)"


@pytest.fixture(scope="module", autouse=True)
def _seeded(seeded_module):
    """The seed letters, loaded once for this module (tests/conftest.py)."""


def letter(day):
    return ProgressLetter.objects.get(date=day, source_file__gt="")


@pytest.fixture
def coordinator():
    """A coordinator of the seeded ministry (the shared fixtures would add a second one)."""
    role = ensure_roles()[0]
    ministry = Organisation.objects.filter(abbreviation="JenV").first()
    return make_user("coordinator-test", role, ministry, first_name="Coördinator")


@pytest.fixture
def june_2015():
    return letter(datetime.date(2015, 6, 1))


@pytest.fixture
def ngo(coordinator):
    """The NGO pilot, with progress logged today that moves it on: later than any letter."""
    measure = Measure.objects.get(title=NGO)
    measure.log_progress(
        by=coordinator,
        status=MeasureStatus.COMPLETED,
        text="Vandaag afgerond: de pilotpartners zijn overgedragen aan de liaisons.",
    )
    return measure


def page(client, measure, **params):
    response = client.get(reverse("measures:detail", args=[measure.pk]), params)
    assert response.status_code == 200
    return response, response.content.decode()


@pytest.mark.parametrize("how", ["as_of", "letter"])
def test_the_ngo_pilot_as_of_the_june_2015_letter_shows_what_that_letter_reported(
    client, coordinator, ngo, june_2015, how
):
    client.force_login(coordinator)
    params = {"letter": june_2015.pk} if how == "letter" else {"as_of": "2015-06-01"}
    response, html = page(client, ngo, **params)
    assert response.context["measure"].status == MeasureStatus.EMBEDDED
    assert "Geborgd in regulier werk" in html
    timeline = response.context["timeline"]
    assert [update.source_letter_id for update in timeline] == [june_2015.pk]
    assert NGO_TEXT_2015 in timeline[0].text
    assert NGO_TEXT_2015 in html
    assert "Vandaag afgerond" not in html
    assert "1 juni 2015" in html
    if how == "letter":
        assert "zoals bekend toen de brief van 1 juni 2015 werd verzonden" in html


def test_the_ngo_pilot_today_shows_what_stands_now(client, coordinator, ngo):
    client.force_login(coordinator)
    response, html = page(client, ngo)
    assert response.context["measure"].status == MeasureStatus.COMPLETED
    assert "Vandaag afgerond" in html
    assert NGO_TEXT_2015 in html  # the letter's progress is still part of the timeline


def test_the_2010_campaign_reads_as_running_in_2010_and_replaced_in_2015(
    client, coordinator, june_2015
):
    campaign = Measure.objects.get(title=CAMPAIGN)
    july_2010 = letter(datetime.date(2010, 7, 1))
    client.force_login(coordinator)
    then, html_then = page(client, campaign, letter=july_2010.pk)
    assert then.context["measure"].status == MeasureStatus.IN_PROGRESS
    assert [u.source_letter_id for u in then.context["timeline"]] == [july_2010.pk]
    later, _html = page(client, campaign, letter=june_2015.pk)
    assert later.context["measure"].status == MeasureStatus.REPLACED
    assert [u.source_letter_id for u in later.context["timeline"]] == [june_2015.pk, july_2010.pk]


def test_a_measure_of_2016_did_not_exist_in_june_2015(client, coordinator, june_2015):
    barrier = Measure.objects.get(title="Barrièremodel kindersekstoerisme")
    client.force_login(coordinator)
    response = client.get(reverse("measures:detail", args=[barrier.pk]), {"letter": june_2015.pk})
    assert response.status_code == 404


def test_the_list_and_dashboard_as_of_june_2015_count_what_existed_then(
    client, coordinator, ngo, june_2015
):
    client.force_login(coordinator)
    listed = client.get(reverse("measures:list"), {"letter": june_2015.pk, "status": "embedded"})
    assert NGO in [r.title for r in listed.context["page"].object_list]
    now = client.get(reverse("measures:list"), {"status": "embedded"})
    assert NGO not in [m.title for m in now.context["page"].object_list]
    dashboard = client.get(reverse("measures:dashboard"), {"letter": june_2015.pk})
    total_then = sum(row["total"] for row in dashboard.context["status_rows"])
    assert total_then == Measure.history.as_of(june_2015.as_of).count()
    assert total_then < Measure.objects.count()
    assert "zoals gerapporteerd in de brief van 1 juni 2015" in dashboard.content.decode()
