import datetime

import pytest
from django.urls import reverse

from measures.formatting import date_nl
from measures.models import MeasureStatus, ProgressUpdate

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


def url(measure):
    return reverse("measures:edit", args=[measure.pk])


def form_data(measure, **changes):
    data = {
        "code": measure.code,
        "title": measure.title,
        "description": measure.description,
        "plan": measure.plan_id,
        "action_line": measure.action_line_id or "",
        "theme": measure.theme_id,
        "owner": measure.owner_id,
        "joined_on": measure.joined_on.isoformat(),
        "status": measure.status,
        "visibility": measure.visibility,
        "version": measure.version,
    }
    data.update(changes)
    return data


def test_it_redirects_an_anonymous_visitor_to_the_login_page(client, measure):
    response = client.get(url(measure))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_owning_contributor_sees_the_form(client, bob, measure):
    client.force_login(bob)
    response = client.get(url(measure))
    assert response.status_code == 200
    assert 'name="title"' in response.content.decode()


def test_a_coordinator_saves_changes_with_one_history_record_by_her(client, alice, measure, police):
    client.force_login(alice)
    before = measure.history.count()
    response = client.post(url(measure), form_data(measure, title="Nieuw handboek"))
    assert response.status_code == 302
    assert response.url == measure.get_absolute_url()
    measure.refresh_from_db()
    assert measure.title == "Nieuw handboek"
    assert measure.history.count() == before + 1
    assert measure.history.first().history_user == alice


def test_completing_through_the_form_sets_the_completion_date_and_reopening_clears_it(
    client, bob, measure
):
    client.force_login(bob)
    client.post(url(measure), form_data(measure, status=MeasureStatus.COMPLETED))
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.COMPLETED
    assert measure.completed_date is not None
    client.post(url(measure), form_data(measure, status=MeasureStatus.IN_PROGRESS))
    measure.refresh_from_db()
    assert measure.completed_date is None


def test_a_contributor_cannot_hand_the_measure_to_another_owner(client, bob, measure, prosecution):
    client.force_login(bob)
    client.post(url(measure), form_data(measure, owner=prosecution.pk, title="Nog steeds"))
    measure.refresh_from_db()
    assert measure.title == "Nog steeds"
    assert measure.owner.abbreviation == "Politie"


def test_it_ties_a_validation_error_to_its_field_and_writes_nothing(client, alice, measure):
    client.force_login(alice)
    before = measure.history.count()
    today = datetime.date.today()
    response = client.post(
        url(measure),
        form_data(
            measure,
            title="",
            start_date=today.isoformat(),
            due_date=(today - datetime.timedelta(days=1)).isoformat(),
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "title" in form.errors
    assert "due_date" in form.errors
    content = response.content.decode()
    assert 'aria-invalid="true"' in content
    assert measure.history.count() == before


def test_an_action_line_of_another_plan_is_refused_on_its_field(client, alice, measure, ministry):
    from measures.models import ActionLine, Plan

    other_plan = Plan.objects.create(title="Ander plan", owner=ministry)
    line = ActionLine.objects.create(plan=other_plan, name="Elders", order=1)
    client.force_login(alice)
    response = client.post(url(measure), form_data(measure, action_line=line.pk))
    assert "action_line" in response.context["form"].errors


def test_it_refuses_a_viewer_and_says_why(client, vera, measure):
    client.force_login(vera)
    response = client.get(url(measure))
    assert response.status_code == 403
    assert "Only a coordinator or a contributor of Politie" in response.content.decode()


def test_it_refuses_a_contributor_of_another_organisation(client, carol, measure):
    client.force_login(carol)
    assert client.get(url(measure)).status_code == 403
    response = client.post(url(measure), form_data(measure, title="Gekaapt"))
    assert response.status_code == 403
    measure.refresh_from_db()
    assert measure.title != "Gekaapt"


@pytest.mark.parametrize("who", ["vera", "carol"])
def test_a_confidential_measure_is_not_found(client, request, who, confidential):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(confidential)).status_code == 404


def test_an_edit_based_on_an_older_version_is_refused_and_says_what_changed(
    client, bob, alice, measure
):
    client.force_login(bob)
    opened = form_data(measure, title="Bobs titel")
    measure.set_status(MeasureStatus.DELAYED, by=alice)  # Alice saves meanwhile
    before = measure.history.count()
    response = client.post(url(measure), opened)
    assert response.status_code == 200
    assert "Someone else saved this measure" in response.content.decode()
    measure.refresh_from_db()
    assert measure.title != "Bobs titel"
    assert measure.status == MeasureStatus.DELAYED
    assert measure.history.count() == before


# --- The valid time: the day the measure joined and the day its status took effect -----------

JOINED = datetime.date(2016, 2, 1)
RUNNING_SINCE = datetime.date(2016, 5, 1)


@pytest.fixture
def running(measure):
    """The measure joined the programme on 1 February 2016 and is running since 1 May 2016."""
    measure.joined_on, measure.status_since = JOINED, RUNNING_SINCE
    measure.save()
    return measure


def test_the_form_asks_the_status_date_starting_at_today_and_shows_the_current_one(
    client, bob, running, today
):
    client.force_login(bob)
    response = client.get(url(running))
    form = response.context["form"]
    assert form["status_since"].value() == today
    assert form["joined_on"].value() == JOINED
    assert "Used only when the status changes" in form["status_since"].help_text
    assert "Now: in progress since 1 mei 2016." in form["status_since"].help_text
    content = response.content.decode()
    assert f'name="status_since" value="{today.isoformat()}"' in content
    assert 'name="joined_on" value="2016-02-01"' in content


def test_a_status_change_takes_the_back_dated_day_given(client, bob, running):
    client.force_login(bob)
    before = running.history.count()
    response = client.post(
        url(running),
        form_data(running, status=MeasureStatus.COMPLETED, status_since="2016-09-01"),
    )
    assert response.status_code == 302
    running.refresh_from_db()
    assert (running.status, running.status_since) == (
        MeasureStatus.COMPLETED,
        datetime.date(2016, 9, 1),
    )
    assert running.completed_date == datetime.date(2016, 9, 1)
    assert running.joined_on == JOINED
    assert running.history.count() == before + 1
    assert running.history.first().history_user == bob


def test_a_status_change_with_the_day_left_at_today_takes_today(client, bob, running, today):
    client.force_login(bob)
    client.post(
        url(running),
        form_data(running, status=MeasureStatus.DELAYED, status_since=today.isoformat()),
    )
    running.refresh_from_db()
    assert (running.status, running.status_since) == (MeasureStatus.DELAYED, today)


def test_a_status_change_without_a_day_takes_today(client, bob, running, today):
    client.force_login(bob)
    client.post(url(running), form_data(running, status=MeasureStatus.DELAYED))
    running.refresh_from_db()
    assert (running.status, running.status_since) == (MeasureStatus.DELAYED, today)


def test_an_edit_that_leaves_the_status_and_the_day_alone_keeps_the_status_date(
    client, bob, running, today
):
    client.force_login(bob)
    client.post(
        url(running), form_data(running, title="Nieuwe titel", status_since=today.isoformat())
    )
    running.refresh_from_db()
    assert running.title == "Nieuwe titel"
    assert (running.status, running.status_since) == (MeasureStatus.IN_PROGRESS, RUNNING_SINCE)


def test_changing_only_the_day_corrects_the_date_of_the_current_status(client, alice, running):
    client.force_login(alice)
    client.post(url(running), form_data(running, status_since="2016-04-15"))
    running.refresh_from_db()
    assert (running.status, running.status_since) == (
        MeasureStatus.IN_PROGRESS,
        datetime.date(2016, 4, 15),
    )


def test_a_status_date_in_the_future_is_refused_on_its_field_and_nothing_is_written(
    client, bob, running, today
):
    client.force_login(bob)
    before = running.history.count()
    tomorrow = today + datetime.timedelta(days=1)
    response = client.post(
        url(running),
        form_data(running, status=MeasureStatus.COMPLETED, status_since=tomorrow.isoformat()),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["status_since"] == [
        f"{date_nl(tomorrow)} lies in the future; enter what has happened."
    ]
    assert 'id="id_status_since"' in response.content.decode()
    running.refresh_from_db()
    assert (running.status, running.status_since) == (MeasureStatus.IN_PROGRESS, RUNNING_SINCE)
    assert running.history.count() == before


def test_a_status_date_before_joining_is_refused_on_its_field(client, bob, running):
    client.force_login(bob)
    before = running.history.count()
    response = client.post(
        url(running), form_data(running, status=MeasureStatus.DELAYED, status_since="2016-01-31")
    )
    assert response.context["form"].errors["status_since"] == [
        "This lies before the measure joined the programme (1 februari 2016)."
    ]
    running.refresh_from_db()
    assert running.status == MeasureStatus.IN_PROGRESS
    assert running.history.count() == before


def test_a_joining_day_in_the_future_is_refused(client, alice, running, today):
    client.force_login(alice)
    tomorrow = today + datetime.timedelta(days=1)
    response = client.post(url(running), form_data(running, joined_on=tomorrow.isoformat()))
    assert "joined_on" in response.context["form"].errors
    running.refresh_from_db()
    assert running.joined_on == JOINED


def test_a_joining_day_after_the_current_status_date_is_refused_on_the_joining_field(
    client, alice, running
):
    client.force_login(alice)
    response = client.post(url(running), form_data(running, joined_on="2016-06-01"))
    assert response.context["form"].errors["joined_on"] == [
        "The current status took effect on 1 mei 2016, before this day."
    ]
    running.refresh_from_db()
    assert running.joined_on == JOINED


def test_a_joining_day_after_logged_progress_is_refused(client, alice, bob, running):
    running.log_progress(by=bob, date=datetime.date(2016, 3, 1), text="Eerste overleg")
    running.refresh_from_db()
    client.force_login(alice)
    response = client.post(
        url(running),
        form_data(running, joined_on="2016-04-01", status_since="2016-04-01"),
    )
    assert response.context["form"].errors["joined_on"] == [
        "Progress on this measure is dated before this day."
    ]
    running.refresh_from_db()
    assert running.joined_on == JOINED
    assert ProgressUpdate.objects.count() == 1


def test_moving_the_joining_day_earlier_keeps_the_status_date(client, alice, running):
    client.force_login(alice)
    client.post(url(running), form_data(running, joined_on="2015-12-01"))
    running.refresh_from_db()
    assert (running.joined_on, running.status_since) == (datetime.date(2015, 12, 1), RUNNING_SINCE)


def test_a_correction_cannot_move_the_start_of_the_status_later(client, alice, measure):
    """The reader takes a day's status from the latest record dated by it: a later start would
    leave the days in between with this status. The form says how instead."""
    measure.status_since = measure.joined_on = datetime.date(2016, 3, 1)
    measure.save()
    client.force_login(alice)
    response = client.post(url(measure), form_data(measure, status_since="2016-04-01"))
    assert response.status_code == 200
    assert "status_since" in response.context["form"].errors
    measure.refresh_from_db()
    assert measure.status_since == datetime.date(2016, 3, 1)


@pytest.mark.parametrize("title", ["Kop\nregel twee", "Kop\r\n| a | b |", "Kop\u2028twee"])
def test_a_title_with_line_breaks_is_refused_on_its_field_and_writes_nothing(
    client, alice, measure, title
):
    client.force_login(alice)
    before = measure.history.count()
    response = client.post(url(measure), form_data(measure, title=title))
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    measure.refresh_from_db()
    assert "\n" not in measure.title and "\u2028" not in measure.title
    assert measure.history.count() == before
