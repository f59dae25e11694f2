"""Reverting a measure to an earlier version: /measures/<id>/history/<history_id>/revert/."""

import pytest
from django.urls import reverse

from measures.attribution import acting_as
from measures.models import Measure, MeasureStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed(measure, alice, prosecution):
    """The measure with a partner added and then its title and status changed."""
    with acting_as(alice, "command test"):
        measure.partners.add(prosecution)
    first = measure.history.first()
    measure.title = "Verkeerde titel"
    measure.status = MeasureStatus.STOPPED
    measure._history_user = alice
    measure.save()
    measure.partners.clear()
    return measure, first


def url(measure, record):
    return reverse("measures:revert", args=[measure.pk, record.history_id])


def test_a_coordinator_reverts_fields_and_partners_with_a_reason(
    client, changed, alice, prosecution
):
    measure, record = changed
    client.force_login(alice)
    response = client.post(
        url(measure, record),
        {"reason": "titel per ongeluk gewijzigd", "version": measure.version},
        REMOTE_ADDR="10.0.0.7",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:history", args=[measure.pk])
    measure.refresh_from_db()
    assert measure.title == "Handboek kindersekstoerisme"
    assert measure.status == MeasureStatus.IN_PROGRESS
    assert list(measure.partners.all()) == [prosecution]
    latest = measure.history.first()
    assert latest.history_user == alice
    assert latest.history_change_reason == "titel per ongeluk gewijzigd"
    assert latest.history_origin == "web 10.0.0.7"
    # The restore of the fields is a record of its own, with the same user, reason and origin.
    restored = measure.history.filter(title="Handboek kindersekstoerisme").first()
    assert (restored.history_user, restored.history_change_reason, restored.history_origin) == (
        alice,
        "titel per ongeluk gewijzigd",
        "web 10.0.0.7",
    )


def test_the_confirm_page_shows_the_version_and_asks_for_a_reason(client, changed, alice):
    measure, record = changed
    client.force_login(alice)
    response = client.get(url(measure, record))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Openbaar Ministerie" in html and 'name="reason"' in html
    assert Measure.objects.get(pk=measure.pk).title == "Verkeerde titel"


def test_a_reason_is_required(client, changed, alice):
    measure, record = changed
    client.force_login(alice)
    response = client.post(url(measure, record), {"reason": "  ", "version": measure.version})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert Measure.objects.get(pk=measure.pk).title == "Verkeerde titel"


def test_a_stale_version_is_refused_with_what_changed(client, changed, alice, bob):
    measure, record = changed
    opened_at = measure.version
    measure.set_status(MeasureStatus.DELAYED, by=bob, reason="intussen")
    client.force_login(alice)
    response = client.post(url(measure, record), {"reason": "terug", "version": opened_at})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iemand anders heeft deze maatregel opgeslagen" in html
    assert "Gestopt → Vertraagd" in html
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.DELAYED


def test_contributors_and_viewers_are_refused(client, changed, bob, vera):
    measure, record = changed
    for user in (bob, vera):
        client.force_login(user)
        response = client.post(url(measure, record), {"reason": "x", "version": measure.version})
        assert response.status_code == 403
    assert Measure.objects.get(pk=measure.pk).title == "Verkeerde titel"


def test_anonymous_is_sent_to_login(client, changed):
    measure, record = changed
    assert client.post(url(measure, record), {"reason": "x"}).status_code == 302


def test_a_version_of_another_measure_is_not_found(client, changed, alice, plan, kst, police):
    measure, record = changed
    other = Measure.objects.create(plan=plan, theme=kst, owner=police, title="Ander")
    client.force_login(alice)
    response = client.post(
        reverse("measures:revert", args=[other.pk, record.history_id]), {"reason": "x"}
    )
    assert response.status_code == 404
