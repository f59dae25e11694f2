"""Comparing two moments: /compare/?from=…&to=… or from_letter/to_letter."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import Measure, MeasureStatus, ProgressLetter

pytestmark = pytest.mark.django_db

URL = reverse("measures:compare")
DAY1 = datetime.date(2015, 6, 1)
DAY2 = datetime.date(2015, 12, 1)


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def history(plan, kst, police, alice):
    old = Measure(
        joined_on=DAY1, plan=plan, theme=kst, owner=police, title="Oud", status="in_progress"
    )
    old._history_date = at(DAY1)
    old.save()
    old.set_status(MeasureStatus.COMPLETED, by=alice, on=DAY2, history_date=at(DAY2))
    new = Measure(joined_on=DAY2, plan=plan, theme=kst, owner=police, title="Nieuw")
    new._history_date = at(DAY2)
    new.save()
    return old, new


def test_it_shows_added_measures_and_status_changes_between_dates(client, history, alice):
    client.force_login(alice)
    response = client.get(URL, {"from": DAY1.isoformat(), "to": DAY2.isoformat()})
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert [m.title for m in comparison.added] == ["Nieuw"]
    assert [(c.old_label, c.new_label) for c in comparison.status_changes] == [
        ("Lopend", "Afgerond")
    ]
    html = response.content.decode()
    assert "Nieuw" in html and "Afgerond" in html


def test_it_compares_two_letters(client, history, alice):
    first = ProgressLetter.objects.create(date=DAY1, title="Eerste brief")
    second = ProgressLetter.objects.create(date=DAY2, title="Tweede brief")
    client.force_login(alice)
    response = client.get(URL, {"from_letter": first.pk, "to_letter": second.pk})
    assert [m.title for m in response.context["comparison"].added] == ["Nieuw"]


def test_a_missing_or_bad_moment_gets_a_message(client, alice):
    client.force_login(alice)
    response = client.get(URL, {"from": "gisteren", "to": ""})
    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert set(response.context["form"].errors) == {"from", "to"}
    assert 'aria-describedby="id_from-error"' in response.content.decode()


def test_a_future_date_is_refused(client, alice):
    client.force_login(alice)
    response = client.get(URL, {"from": "2015-01-01", "to": "2999-01-01"})
    assert "to" in response.context["form"].errors


def test_the_empty_page_asks_for_two_moments(client, alice):
    client.force_login(alice)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["comparison"] is None


def test_it_compares_as_known_on_a_day(client, history, alice):
    """With `known`, what was recorded after that day is left out of both moments."""
    client.force_login(alice)
    params = {"from": DAY1.isoformat(), "to": DAY2.isoformat()}
    response = client.get(URL, {**params, "known": DAY1.isoformat()})
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert comparison.added == [] and comparison.status_changes == []
    assert "zoals bekend op 1 juni 2015" in response.content.decode()


def test_a_letter_links_to_its_comparison_with_the_previous_sent_letter(client, alice):
    earlier = ProgressLetter.objects.create(date=DAY1, title="Eerste")
    earlier.mark_sent(by=alice)
    later = ProgressLetter.objects.create(date=DAY2, title="Tweede")
    client.force_login(alice)
    text = client.get(reverse("measures:letter_detail", args=[later.pk])).content.decode()
    assert f"{URL}?from_letter={earlier.pk}&amp;to_letter={later.pk}" in text
    first = client.get(reverse("measures:letter_detail", args=[earlier.pk])).content.decode()
    assert "from_letter=" not in first  # nothing before the first letter


def test_the_letters_and_the_changes_link_to_the_comparison(client, alice):
    client.force_login(alice)
    for name in ("measures:letters", "measures:changes"):
        assert f'href="{URL}"' in client.get(reverse(name)).content.decode(), name
