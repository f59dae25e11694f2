import datetime

import pytest
from django.urls import reverse

from measures.formatting import date_nl
from measures.models import Measure, MeasureStatus

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


URL = reverse("measures:create")


def test_it_redirects_an_anonymous_visitor_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_coordinator_creates_a_measure_with_history_by_her(
    client, alice, plan, prevention, kst, police, prosecution
):
    client.force_login(alice)
    assert client.get(URL).status_code == 200
    response = client.post(
        URL,
        {
            "title": "Nieuwe maatregel",
            "plan": plan.pk,
            "action_line": prevention.pk,
            "theme": kst.pk,
            "owner": police.pk,
            "partners": [prosecution.pk],
            "status": MeasureStatus.COMPLETED,
            "visibility": "public",
            "version": 1,
        },
    )
    measure = Measure.objects.get(title="Nieuwe maatregel")
    assert response.url == measure.get_absolute_url()
    assert list(measure.partners.all()) == [prosecution]
    assert measure.completed_date is not None
    assert measure.history.earliest().history_user == alice


def test_it_shows_errors_on_the_fields_and_creates_nothing(client, alice, plan):
    client.force_login(alice)
    response = client.post(URL, {"plan": plan.pk, "visibility": "public"})
    assert response.status_code == 200
    assert {"title", "theme", "owner"} <= set(response.context["form"].errors)
    assert not Measure.objects.exists()


@pytest.mark.parametrize("who", ["bob", "vera"])
def test_it_refuses_a_contributor_or_viewer_and_says_why(client, request, who, plan):
    client.force_login(request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == 403
    assert "Only a coordinator can create a measure." in response.content.decode()
    assert client.post(URL, {"title": "x"}).status_code == 403


@pytest.fixture
def new_measure(plan, prevention, kst, police):
    """Return the create form's data for a measure, with `changes`."""

    def data(**changes):
        return {
            "title": "Nieuwe maatregel",
            "plan": plan.pk,
            "action_line": prevention.pk,
            "theme": kst.pk,
            "owner": police.pk,
            "status": MeasureStatus.IN_PROGRESS,
            "visibility": "public",
            "version": 1,
            **changes,
        }

    return data


def test_a_measure_entered_after_the_fact_keeps_its_joining_and_status_dates(
    client, alice, new_measure
):
    client.force_login(alice)
    response = client.post(URL, new_measure(joined_on="2016-02-01", status_since="2016-05-01"))
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert measure.joined_on == datetime.date(2016, 2, 1)
    assert measure.status_since == datetime.date(2016, 5, 1)
    assert measure.history.count() == 1


def test_without_dates_a_measure_joins_on_its_start_date_with_its_status(
    client, alice, new_measure
):
    client.force_login(alice)
    client.post(URL, new_measure(start_date="2016-03-01"))
    measure = Measure.objects.get()
    assert measure.joined_on == measure.status_since == datetime.date(2016, 3, 1)


def test_without_a_start_date_a_measure_joins_today(client, alice, new_measure, today):
    client.force_login(alice)
    client.post(URL, new_measure())
    measure = Measure.objects.get()
    assert measure.joined_on == measure.status_since == today


def test_a_status_date_before_the_default_joining_day_is_refused_and_nothing_is_created(
    client, alice, new_measure, today
):
    client.force_login(alice)
    response = client.post(URL, new_measure(status_since="2016-05-01"))
    assert response.status_code == 200
    assert response.context["form"].errors["status_since"] == [
        f"This lies before the measure joined the programme ({date_nl(today)})."
    ]
    assert not Measure.objects.exists()


def test_a_joining_day_in_the_future_is_refused_and_nothing_is_created(
    client, alice, new_measure, today
):
    client.force_login(alice)
    tomorrow = today + datetime.timedelta(days=1)
    response = client.post(URL, new_measure(joined_on=tomorrow.isoformat()))
    assert response.context["form"].errors["joined_on"] == [
        f"{date_nl(tomorrow)} lies in the future; enter what has happened."
    ]
    assert not Measure.objects.exists()


# --- The form as a page: groups, choices, optional fields, the error summary --------------------


def test_the_new_measure_form_is_grouped_and_starts_at_not_started(
    client, alice, plan, prevention, police, prosecution
):
    client.force_login(alice)
    response = client.get(URL)
    form = response.context["form"]
    assert form["status"].value() == MeasureStatus.NOT_STARTED
    page = response.content.decode()
    assert '<option value="not_started" selected>' in page
    for legend in ("What", "Place in the programme", "Who and where", "Planning"):
        assert f'<legend class="h5">{legend}</legend>' in page
    assert "---------" not in page
    assert '<option value="" selected>Choose …</option>' in page
    # Partners as checkboxes, not a Ctrl-click multiple select.
    assert f'type="checkbox" class="form-check-input"  name="partners" value="{police.pk}"' in page
    assert '<select name="partners"' not in page and "Ctrl" not in page
    # Each action line says which plan it belongs to, for the script that filters them.
    assert f'<option value="{prevention.pk}" data-plan="{plan.pk}">' in page


def test_optional_fields_say_so_and_required_ones_do_not(client, alice, plan):
    client.force_login(alice)
    page = client.get(URL).content.decode()
    assert 'Number <span class="optional-marker">(optional)</span>' in page
    assert 'Description <span class="optional-marker">(optional)</span>' in page
    assert 'Title <span class="optional-marker">' not in page
    assert 'Plan <span class="optional-marker">' not in page


def test_an_empty_form_gets_an_error_summary_with_messages_that_name_the_fields(
    client, alice, plan
):
    client.force_login(alice)
    response = client.post(URL, {"visibility": "public", "version": 1})
    page = response.content.decode()
    assert "<title>Error: New measure" in page
    assert '<div class="error-summary" role="alert"' in page and 'tabindex="-1"' in page
    assert "There is a problem" in page
    assert '<a href="#id_title">Enter the title of the measure.</a>' in page
    assert '<a href="#id_plan">Choose the plan the measure belongs to.</a>' in page
    assert '<a href="#id_owner">Choose the organisation that owns the measure.</a>' in page
    assert "This field is required." not in page
    assert not Measure.objects.exists()


def test_a_valid_form_has_no_error_in_its_title(client, alice):
    client.force_login(alice)
    page = client.get(URL).content.decode()
    assert "<title>New measure" in page
    assert "There is a problem" not in page


def test_an_action_line_of_another_plan_is_refused_on_the_server_too(
    client, alice, plan, kst, police
):
    from measures.models import ActionLine, Plan

    other = Plan.objects.create(title="Ander plan", short_title="Ander", owner=police)
    foreign = ActionLine.objects.create(plan=other, name="Elders", order=1)
    client.force_login(alice)
    response = client.post(
        URL,
        {
            "title": "Maatregel",
            "plan": plan.pk,
            "action_line": foreign.pk,
            "theme": kst.pk,
            "owner": police.pk,
            "status": MeasureStatus.NOT_STARTED,
            "visibility": "public",
            "version": 1,
        },
    )
    assert response.context["form"].errors["action_line"] == [
        "This action line belongs to another plan."
    ]
    assert '<a href="#id_action_line">This action line belongs to another plan.</a>' in (
        response.content.decode()
    )
    assert not Measure.objects.exists()
