import datetime

import pytest
from django.urls import reverse

from measures.models import MeasureStatus

from .english import english  # noqa: F401  (the client asks for English)


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
