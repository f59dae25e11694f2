"""The history page of one measure: /measures/<id>/history/."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.attribution import acting_as
from measures.history.changes import origin_in_words
from measures.models import MeasureStatus, Visibility

pytestmark = pytest.mark.django_db


def url(measure, **params):
    from urllib.parse import urlencode

    base = reverse("measures:history", args=[measure.pk])
    return f"{base}?{urlencode(params)}" if params else base


def make_versions(measure, user, count, organisations):
    """Give the measure `count` more versions: status changes, partners and progress updates."""
    statuses = [MeasureStatus.DELAYED, MeasureStatus.IN_PROGRESS]
    start = timezone.now()
    for i in range(count):
        measure._history_date = start + datetime.timedelta(seconds=i)
        if i % 3 == 0:
            with acting_as(user, "command test"):
                measure.partners.add(organisations[i % len(organisations)])
        elif i % 3 == 1:
            measure.log_progress(by=user, text=f"Stap {i}")
        else:
            measure.set_status(statuses[i % 2], by=user, reason=f"reden {i}")


def test_it_shows_who_changed_what_in_words(client, measure, alice, bob):
    measure.set_status(MeasureStatus.DELAYED, by=bob, reason="capaciteit")
    client.force_login(alice)
    response = client.get(url(measure))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bob" in html and "Politie" in html
    assert "Lopend" in html and "Vertraagd" in html  # labels (no Dutch catalogue yet)
    assert "capaciteit" in html
    assert "<del" in html and "<ins>" in html


def test_it_shows_partners_added_by_name(client, measure, alice, prosecution):
    with acting_as(alice, "command import"):
        measure.partners.add(prosecution)
    client.force_login(alice)
    html = client.get(url(measure)).content.decode()
    assert "Openbaar Ministerie" in html
    assert origin_in_words("command import") in html  # where it came from, in words


def test_it_shows_the_version_as_of_a_date(client, measure, alice):
    measure.set_status(MeasureStatus.COMPLETED, by=alice)
    measure.history.filter(version=1).update(history_date=timezone.now() - datetime.timedelta(3))
    day = timezone.localdate() - datetime.timedelta(2)
    client.force_login(alice)
    response = client.get(url(measure, as_of=day.isoformat()))
    assert response.status_code == 200
    assert response.context["version"].status == MeasureStatus.IN_PROGRESS
    html = response.content.decode()
    assert "as-of-banner" in html


def test_a_bad_as_of_gets_a_clear_message(client, measure, alice):
    client.force_login(alice)
    response = client.get(url(measure, as_of="gisteren"), follow=True)
    assert response.status_code == 200
    assert response.context["version"] is None
    assert "is geen datum" in response.content.decode() or "is not a date" in (
        response.content.decode()
    )


def test_a_hidden_measure_is_not_found(client, measure, vera, alice):
    measure.visibility = Visibility.CONFIDENTIAL
    measure._history_user = alice
    measure.save()
    client.force_login(vera)
    assert client.get(url(measure)).status_code == 404


def test_anonymous_is_sent_to_login(client, measure):
    response = client.get(url(measure))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("versions", [3, 30])
def test_the_query_count_does_not_grow_with_the_versions(
    client,
    measure,
    alice,
    police,
    prosecution,
    ministry,
    versions,
    django_assert_num_queries,
    monkeypatch,
):
    # A page long enough to hold every version, so both pages show the same kinds of change.
    monkeypatch.setattr("measures.views.history.HISTORY_PAGE_SIZE", 100)
    make_versions(measure, alice, versions, [prosecution, ministry, police])
    client.force_login(alice)
    # 1 session, 1 user, 1 groups of the user (coordinator check in visible_to), 1 the measure,
    # 1 UNION ALL: the newest (model, history_id, date, predecessor id) of measure and progress,
    # 1 measure records with their predecessors (with user, profile, organisation),
    # 1 progress records (same), 1 UNION ALL of the partner/country snapshots,
    # names, one query per related model: 1 measures, 1 users, 1 organisations, 1 plans,
    # 1 action lines, 1 themes
    with django_assert_num_queries(14):
        response = client.get(url(measure))
    assert response.status_code == 200
    assert (
        len(response.context["page"].items) == 1 + versions
    )  # creation, then one record per version


def test_it_shows_the_version_reported_in_a_letter_with_the_banner(client, measure, alice):
    from measures.models import ProgressLetter

    letter = ProgressLetter.objects.create(date=timezone.localdate(), title="Voortgangsbrief")
    client.force_login(alice)
    response = client.get(url(measure, letter=letter.pk))
    assert response.context["as_of"].letter == letter
    assert response.context["version"].id == measure.pk
    html = response.content.decode()
    assert "as-of-banner" in html
    assert "History in record time" in html or "Geschiedenis in registratietijd" in html
    assert f'href="{url(measure)}"' in html  # back to today


def test_the_older_link_shows_the_rest_of_the_history(client, measure, alice, monkeypatch):
    monkeypatch.setattr("measures.views.history.HISTORY_PAGE_SIZE", 2)
    for i, status in enumerate([MeasureStatus.DELAYED, MeasureStatus.STOPPED]):
        measure._history_date = timezone.now() + datetime.timedelta(seconds=i + 1)
        measure.set_status(status, by=alice)
    client.force_login(alice)
    first = client.get(url(measure))
    assert "Older changes" in first.content.decode() or "Oudere wijzigingen" in (
        first.content.decode()
    )
    cursor = first.context["page"].next_before
    older = client.get(url(measure, before=cursor.isoformat()))
    kinds = [c.kind for c in older.context["page"].items]
    assert kinds == ["+"]
    assert not older.context["page"].has_more
