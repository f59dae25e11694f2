"""The plans page /plans/ and creating and changing a plan with its action lines on one page:
/plans/new/ and /plans/<id>/edit/."""

import pytest
from django.urls import reverse

from measures.models import ActionLine, Plan, PlanKind, Visibility
from tests.factories import make_measure

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)

URL = reverse("measures:plans")
NEW_URL = reverse("measures:plan_create")


def edit_url(plan):
    return reverse("measures:plan_edit", args=[plan.pk])


def plan_data(kst, lines=(), **changes):
    """The plan form as posted: the plan's fields, then its action-line rows (three empty
    rows after the existing ones unless `lines` fills them)."""
    data = {
        "title": "Plan van aanpak kindersekstoerisme 2016-2018",
        "short_title": "PvA KST 2016",
        "kind": PlanKind.ACTION_PLAN,
        "themes": [kst.pk],
        "owner": "",
        "start": "2016-01-01",
        "end": "2018-12-31",
        "source_reference": "Kamerstuk 31 015, nr. 130",
        "predecessor": "",
        "description": "",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for i in range(3):
        data[f"lines-{i}-name"] = ""
        data[f"lines-{i}-order"] = str(i + 1)
    for i, name in enumerate(lines):
        data[f"lines-{i}-name"] = name
    data.update(changes)
    return data


# --- The list ------------------------------------------------------------------------------------


def test_it_lists_plans_with_their_action_lines_and_measure_counts(client, vera, measure, plan):
    client.force_login(vera)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Plan van aanpak kindersekstoerisme" in page
    assert "Preventie" in page
    assert f"?plan={plan.pk}&amp;action_line={measure.action_line_id}" in page
    assert "1 measure" in page
    assert NEW_URL not in page  # a reader cannot create


def test_it_counts_only_the_measures_the_reader_may_see(
    client, vera, alice, measure, plan, prevention, kst, police
):
    make_measure(
        plan=plan,
        action_line=prevention,
        theme=kst,
        owner=police,
        title="Vertrouwelijk",
        visibility=Visibility.CONFIDENTIAL,
    )
    client.force_login(vera)
    listed = client.get(URL).context["plans"][0]
    assert listed.measure_count == 1
    assert listed.action_lines.all()[0].measure_count == 1
    client.force_login(alice)
    assert client.get(URL).context["plans"][0].measure_count == 2


def test_a_coordinator_sees_the_links_to_create_and_change(client, alice, plan):
    client.force_login(alice)
    page = client.get(URL).content.decode()
    assert NEW_URL in page and edit_url(plan) in page
    assert reverse("measures:setup") in page


def test_it_requires_login(client, plan):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("count", [2, 12])
def test_its_query_count_does_not_grow_with_the_plans(
    client, vera, kst, police, count, django_assert_num_queries
):
    for i in range(count):
        plan = Plan.objects.create(title=f"Plan {i}")
        plan.themes.add(kst)
        line = ActionLine.objects.create(plan=plan, name="Preventie", order=1)
        make_measure(plan=plan, action_line=line, theme=kst, owner=police, title=f"M {i}")
    client.force_login(vera)
    # 1 session, 2 user, 3 the user's groups, 4 profile (for visible_to), 5 plans with owner
    # and measure counts, 6 their themes, 7 their action lines with measure counts, 8 the links
    # to their documents with the documents.
    with django_assert_num_queries(8):
        response = client.get(URL)
    assert len(response.context["plans"]) == count


# --- Creating and changing -----------------------------------------------------------------------


def test_a_coordinator_creates_a_plan_with_three_action_lines(client, alice, kst):
    client.force_login(alice)
    lines = ["Preventie", "Opsporing en vervolging", "Internationale samenwerking"]
    response = client.post(NEW_URL, plan_data(kst, lines))
    plan = Plan.objects.get(short_title="PvA KST 2016")
    assert response.status_code == 302
    assert response["Location"] == f"{URL}#plan-{plan.pk}"
    assert [(line.name, line.order) for line in plan.action_lines.all()] == [
        (name, order) for order, name in enumerate(lines, 1)
    ]
    assert list(plan.themes.all()) == [kst]
    assert plan.history.latest().history_user == alice
    assert {line.history.get().history_user for line in plan.action_lines.all()} == {alice}


def test_a_coordinator_changes_a_plan_and_adds_an_action_line(client, alice, plan, prevention):
    client.force_login(alice)
    rows = client.get(edit_url(plan)).context["lines"].forms
    # The existing line, then three empty rows numbered on from it.
    assert [row["order"].value() for row in rows] == [1, 2, 3, 4]
    data = plan_data(plan.themes.get(), ["Preventie", "Opsporing"], title="Nieuwe titel")
    data.update(
        {
            "lines-TOTAL_FORMS": "4",
            "lines-INITIAL_FORMS": "1",
            "lines-0-id": str(prevention.pk),
            "lines-0-plan": str(plan.pk),
            "lines-1-name": "Opsporing",
            "lines-1-order": "2",
            "lines-2-order": "3",
            "lines-3-name": "",
            "lines-3-order": "4",
        }
    )
    response = client.post(edit_url(plan), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Nieuwe titel"
    assert [line.name for line in plan.action_lines.all()] == ["Preventie", "Opsporing"]
    assert plan.history.latest().history_user == alice


def test_bad_input_saves_nothing_and_keeps_what_was_typed(client, alice, kst):
    client.force_login(alice)
    data = plan_data(kst, ["Preventie", "Preventie"], title="", start="2018-01-01")
    response = client.post(NEW_URL, data)
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    page = response.content.decode()
    assert "Error:" in page
    assert 'value="Preventie"' in page
    assert not Plan.objects.exists() and not ActionLine.objects.exists()


def test_two_action_lines_with_one_order_are_refused(client, alice, kst):
    client.force_login(alice)
    data = plan_data(kst, ["Preventie", "Opsporing"], **{"lines-1-order": "1"})
    response = client.post(NEW_URL, data)
    assert response.status_code == 200
    assert response.context["lines"].non_form_errors() or any(
        form.errors for form in response.context["lines"]
    )
    assert not Plan.objects.exists()


@pytest.mark.parametrize("user", ["bob", "vera"])
def test_contributors_and_readers_may_not_create_or_change(client, request, user, plan, kst):
    client.force_login(request.getfixturevalue(user))
    assert client.get(NEW_URL).status_code == 403
    assert client.post(NEW_URL, plan_data(kst, ["X"])).status_code == 403
    assert client.post(edit_url(plan), plan_data(kst, ["X"])).status_code == 403
    assert Plan.objects.count() == 1 and not ActionLine.objects.exists()


def test_anonymous_is_sent_to_log_in(client, plan, kst):
    for url in (NEW_URL, edit_url(plan)):
        response = client.post(url, plan_data(kst))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
