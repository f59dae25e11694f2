import datetime

import pytest
from django.urls import reverse

from measures.formatting import date_nl
from measures.history.changes import changes_since
from measures.locking import StaleEdit
from measures.models import Measure, MeasureStatus, ProgressUpdate, UpdateState

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


def url(measure):
    return reverse("measures:log_progress", args=[measure.pk])


def test_it_redirects_an_anonymous_visitor_to_the_login_page(client, measure):
    response = client.get(url(measure))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_form_starts_with_today(client, bob, measure, today):
    client.force_login(bob)
    response = client.get(url(measure))
    assert response.status_code == 200
    assert today.isoformat() in response.content.decode()


def test_a_contributor_logs_a_draft_update_and_moves_the_status(
    client, bob, police, measure, today
):
    client.force_login(bob)
    before = measure.history.count()
    response = client.post(
        url(measure),
        {
            "date": today.isoformat(),
            "version": measure.version,
            "status": MeasureStatus.DELAYED,
            "text": "De drukker is failliet.",
            "next_steps": "Nieuwe drukker zoeken.",
            "include_in_letter": "on",
        },
    )
    assert response.status_code == 302
    assert response.url == measure.get_absolute_url()
    update = ProgressUpdate.objects.get(measure=measure)
    assert (update.author, update.author_organisation) == (bob, police)
    assert update.state == UpdateState.DRAFT
    assert update.include_in_letter is True
    assert update.history.get().history_user == bob
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DELAYED
    assert measure.history.count() == before + 1
    assert measure.history.first().history_user == bob


def test_a_coordinators_update_is_approved_at_once_and_leaves_the_status(
    client, alice, ministry, measure, today
):
    client.force_login(alice)
    before = measure.history.count()
    client.post(
        url(measure),
        {"date": today.isoformat(), "status": "", "text": "Loopt.", "version": measure.version},
    )
    update = ProgressUpdate.objects.get(measure=measure)
    assert update.state == UpdateState.APPROVED
    assert update.author_organisation == ministry
    assert update.include_in_letter is False  # the box was left unticked
    assert measure.history.count() == before


def test_it_refuses_a_future_date_and_an_empty_text_on_their_fields(client, bob, measure, today):
    client.force_login(bob)
    response = client.post(
        url(measure),
        {
            "date": (today + datetime.timedelta(days=1)).isoformat(),
            "text": "   ",
            "version": measure.version,
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"date", "text"}
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_it_refuses_a_viewer(client, vera, measure, today):
    client.force_login(vera)
    assert client.get(url(measure)).status_code == 403
    response = client.post(
        url(measure), {"date": today.isoformat(), "text": "x", "version": measure.version}
    )
    assert response.status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_it_refuses_a_contributor_of_another_organisation_and_says_why(
    client, carol, measure, today
):
    client.force_login(carol)
    response = client.post(
        url(measure), {"date": today.isoformat(), "text": "x", "version": measure.version}
    )
    assert response.status_code == 403
    assert "Politie" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("who", ["vera", "carol"])
def test_a_confidential_measure_is_not_found(client, request, who, confidential):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(confidential)).status_code == 404


def test_the_form_carries_the_version_of_the_measure(client, bob, measure):
    client.force_login(bob)
    response = client.get(url(measure))
    assert f'name="version" value="{measure.version}"' in response.content.decode()


def test_progress_on_a_measure_changed_meanwhile_is_refused_and_says_what_changed(
    client, bob, alice, measure, today
):
    client.force_login(bob)
    opened = {
        "date": today.isoformat(),
        "version": measure.version,
        "status": MeasureStatus.COMPLETED,
        "text": "De folder is verspreid.",
    }
    measure.set_status(MeasureStatus.DELAYED, by=alice)  # Alice changes the status meanwhile
    before = (measure.history.count(), ProgressUpdate.objects.count())
    response = client.post(url(measure), opened)
    assert response.status_code == 200
    errors = [m for e in response.context["form"].non_field_errors().as_data() for m in e.messages]
    assert "Someone else saved this measure" in errors[0]
    assert "status: In progress → Delayed (by Alice" in errors[1]
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DELAYED
    assert (measure.history.count(), ProgressUpdate.objects.count()) == before
    # The form comes back filled in, now carrying the current version: sending it again applies.
    content = response.content.decode()
    assert "De folder is verspreid." in content
    assert f'name="version" value="{measure.version}"' in content
    again = {**opened, "version": response.context["form"].data["version"]}
    assert client.post(url(measure), again).status_code == 302
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.COMPLETED
    assert measure.updates.get().text == "De folder is verspreid."


def test_log_progress_with_a_stale_version_writes_nothing(bob, alice, measure):
    version = measure.version
    measure.set_status(MeasureStatus.DELAYED, by=alice)
    with pytest.raises(StaleEdit) as refused:
        Measure.objects.get(pk=measure.pk).log_progress(
            by=bob, text="Te laat", status=MeasureStatus.STOPPED, expected_version=version
        )
    # The status and the day it took effect (today: the change had no date of its own)
    changed = [
        field.name
        for change in changes_since(refused.value.instance, version, user=bob)
        for field in change.fields
    ]
    assert changed == ["status", "status_since"]
    assert not ProgressUpdate.objects.filter(measure=measure).exists()
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.DELAYED


# --- The update's date is the day the status takes effect ------------------------------------


@pytest.fixture
def joined_2016(measure):
    measure.joined_on = measure.status_since = datetime.date(2016, 2, 1)
    measure.save()
    return measure


def test_the_form_says_the_new_status_takes_the_date_of_the_update(client, bob, measure):
    client.force_login(bob)
    content = client.get(url(measure)).content.decode()
    assert "A new status takes effect on the date of this update." in content


def test_a_back_dated_update_dates_the_status_it_sets(client, alice, joined_2016):
    client.force_login(alice)
    response = client.post(
        url(joined_2016),
        {
            "date": "2016-05-01",
            "status": MeasureStatus.COMPLETED,
            "text": "De campagne is afgerond.",
            "version": joined_2016.version,
        },
    )
    assert response.status_code == 302
    joined_2016.refresh_from_db()
    assert joined_2016.status == MeasureStatus.COMPLETED
    assert joined_2016.status_since == joined_2016.completed_date == datetime.date(2016, 5, 1)
    assert joined_2016.updates.get().date == datetime.date(2016, 5, 1)


def test_a_future_date_is_refused_on_the_date_field_with_the_reason(client, bob, measure, today):
    client.force_login(bob)
    before = measure.history.count()
    tomorrow = today + datetime.timedelta(days=1)
    response = client.post(
        url(measure),
        {
            "date": tomorrow.isoformat(),
            "status": MeasureStatus.COMPLETED,
            "text": "Klaar.",
            "version": measure.version,
        },
    )
    assert response.context["form"].errors["date"] == [
        f"{date_nl(tomorrow)} lies in the future; enter what has happened."
    ]
    assert not ProgressUpdate.objects.exists()
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.IN_PROGRESS
    assert measure.history.count() == before


def test_a_date_before_the_measure_joined_is_refused_on_the_date_field(client, bob, joined_2016):
    client.force_login(bob)
    before = joined_2016.history.count()
    response = client.post(
        url(joined_2016),
        {
            "date": "2016-01-31",
            "status": MeasureStatus.DELAYED,
            "text": "Te vroeg.",
            "version": joined_2016.version,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        "This lies before the measure joined the programme (1 februari 2016)."
    ]
    assert not ProgressUpdate.objects.exists()
    assert joined_2016.history.count() == before


def test_an_update_entered_out_of_order_leaves_the_later_status_alone(alice, joined_2016):
    """Reports typed in after the fact, the later one first: the earlier update keeps its
    status as its own statement; the measure stays completed, with its completion date."""
    measure = joined_2016
    measure.log_progress(
        by=alice, text="Afgerond", date=datetime.date(2016, 11, 1), status="completed"
    )
    measure.refresh_from_db()
    update = measure.log_progress(
        by=alice, text="Vertraagd", date=datetime.date(2016, 5, 1), status="delayed"
    )
    measure.refresh_from_db()
    assert update.status == "delayed"
    assert (measure.status, measure.status_since, measure.completed_date) == (
        "completed",
        datetime.date(2016, 11, 1),
        datetime.date(2016, 11, 1),
    )


def test_the_form_shows_the_previous_update_the_user_may_read(client, alice, bob, measure, today):
    client.force_login(bob)
    assert (
        "No progress has been logged on this measure yet."
        in client.get(url(measure)).content.decode()
    )
    measure.log_progress(
        by=alice,
        date=today - datetime.timedelta(days=40),
        text="De pilot is gestart.",
        next_steps="Evaluatie in het voorjaar.",
    )
    measure.log_progress(
        by=alice, date=today - datetime.timedelta(days=90), text="Een oudere stap."
    )
    page = client.get(url(measure)).content.decode()
    assert "De pilot is gestart." in page
    assert "Evaluatie in het voorjaar." in page
    assert "Een oudere stap." not in page


@pytest.mark.parametrize("updates", [1, 20])
def test_the_forms_query_count_does_not_grow_with_the_updates(
    client, alice, bob, measure, today, updates, django_assert_num_queries
):
    for day in range(updates):
        measure.log_progress(
            by=alice, date=today - datetime.timedelta(days=day + 1), text=f"Stap {day}"
        )
    client.force_login(bob)
    # session, user, groups, profile, organisation (access), the measure, the previous
    # update, the measure's owner (the heading)
    with django_assert_num_queries(8):
        assert client.get(url(measure)).status_code == 200
