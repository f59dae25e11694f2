import datetime

import pytest
from django.urls import reverse

from measures.models import ActionLine, Commitment, MeasureStatus, Plan, Theme
from tests.factories import make_measure

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


URL = reverse("measures:dashboard")


def test_it_redirects_an_anonymous_visitor_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.fixture
def two_lines(programme, plan, prosecution):
    """The programme's six measures and one in another action line and theme of the plan."""
    programme(6)
    make_measure(
        plan=plan,
        action_line=ActionLine.objects.create(plan=plan, name="Opsporing", order=2),
        theme=Theme.objects.create(code="kp", name="Kinderpornografie", order=1),
        owner=prosecution,
        title="Andere actielijn, ander thema",
        status=MeasureStatus.NOT_STARTED,
    )


def test_it_counts_measures_per_plan_by_status(client, vera, two_lines, plan):
    client.force_login(vera)
    response = client.get(URL)
    assert response.status_code == 200
    [row] = response.context["status_rows"]
    assert row["plan"] == plan.title
    # Measures 0 and 4 are confidential: Vera counts the other four and the new one.
    assert row["total"] == 5
    statuses = [value for value, _label in response.context["statuses"]]
    counts = dict(zip(statuses, row["cells"], strict=True))
    assert counts[MeasureStatus.IN_PROGRESS][0] == 3  # measures 1, 2, 5
    assert counts[MeasureStatus.DELAYED][0] == 1  # measure 3
    assert counts[MeasureStatus.NOT_STARTED][0] == 1
    assert "" not in statuses  # no measure without status, so no "not stated" column
    assert 'href="/?by=action_line"' in response.content.decode()


def test_every_count_in_the_status_table_links_to_the_list_of_those_measures(
    client, vera, two_lines
):
    """Each cell and each total opens the measure list filtered to exactly the measures it
    counts, per plan and per theme and action line."""
    client.force_login(vera)
    for query in ({}, {"by": "action_line"}):
        response = client.get(URL, query)
        page = response.content.decode()
        for row in response.context["status_rows"]:
            links = [*row["cells"], (row["total"], row["link"])]
            for count, url in links:
                if not count:
                    continue
                assert f'href="{url}"'.replace("&", "&amp;") in page
                listed = client.get(url).context["page"].paginator.count
                assert listed == count, url


def test_the_status_table_links_the_measures_without_a_stated_status(
    client, vera, plan, kst, police
):
    make_measure(plan=plan, theme=kst, owner=police, title="Zonder status", status="")
    make_measure(
        plan=plan, theme=kst, owner=police, title="Gestart", status=MeasureStatus.IN_PROGRESS
    )
    client.force_login(vera)
    response = client.get(URL)
    statuses = [value for value, _label in response.context["statuses"]]
    [row] = response.context["status_rows"]
    count, url = dict(zip(statuses, row["cells"], strict=True))[""]
    assert count == 1
    listed = client.get(url).context["page"].object_list
    assert [measure.title for measure in listed] == ["Zonder status"]


def test_the_plans_are_listed_oldest_first_and_undated_last(client, vera, plan, kst, police):
    for title, start in (
        ("A 2015", datetime.date(2015, 1, 1)),
        ("Z 2011", datetime.date(2011, 1, 1)),
    ):
        dated = Plan.objects.create(title=title, owner=plan.owner, start=start)
        make_measure(plan=dated, theme=kst, owner=police, title=f"In {title}")
    make_measure(plan=plan, theme=kst, owner=police, title="In the plan without a start")
    client.force_login(vera)
    rows = client.get(URL).context["status_rows"]
    assert [row["plan"] for row in rows] == ["Z 2011", "A 2015", plan.title]


def test_it_splits_the_counts_per_theme_and_action_line_on_request(client, vera, two_lines):
    client.force_login(vera)
    response = client.get(URL, {"by": "action_line"})
    rows = [
        (row["theme"], row["action_line"], row["total"]) for row in response.context["status_rows"]
    ]
    assert rows == [("Kinderpornografie", "Opsporing", 1), ("Kindersekstoerisme", "Preventie", 4)]
    statuses = [value for value, _label in response.context["statuses"]]
    counts = dict(zip(statuses, response.context["status_rows"][1]["cells"], strict=True))
    assert counts[MeasureStatus.IN_PROGRESS][0] == 3
    assert counts[MeasureStatus.DELAYED][0] == 1
    assert 'id="status-by">Show per plan' in response.content.decode()


def test_it_lists_overdue_open_measures_but_not_closed_ones(client, alice, measure, today):
    late = make_measure(
        like=measure,
        owner=measure.owner,
        title="Te laat",
        status=MeasureStatus.IN_PROGRESS,
        due_date=today - datetime.timedelta(days=1),
    )
    make_measure(
        like=measure,
        owner=measure.owner,
        title="Afgerond en dus niet te laat",
        status=MeasureStatus.COMPLETED,
        completed_date=today,
        due_date=today - datetime.timedelta(days=1),
    )
    client.force_login(alice)
    response = client.get(URL)
    assert list(response.context["overdue"]) == [late]
    assert response.context["overdue_count"] == 1


def test_it_lists_open_measures_without_progress_since_the_last_sent_letter(
    client, alice, measure, sent_letter, today
):
    quiet = make_measure(like=measure, owner=measure.owner, title="Stil")
    quiet.log_progress(by=alice, date=sent_letter.date, text="Op de dag van de brief")
    measure.log_progress(by=alice, date=today, text="Na de brief")
    client.force_login(alice)
    response = client.get(URL)
    assert list(response.context["stale"]) == [quiet]
    assert response.context["last_letter"] == sent_letter


def test_it_shows_open_commitments_due_soon_or_overdue(client, alice, today):
    due = Commitment.objects.create(title="Binnenkort", text="-", due_date=today)
    late = Commitment.objects.create(
        title="Te laat", text="-", due_date=today - datetime.timedelta(days=3)
    )
    Commitment.objects.create(
        title="Nog ver weg", text="-", due_date=today + datetime.timedelta(days=200)
    )
    answered = Commitment.objects.create(title="Al beantwoord", text="-", due_date=today)
    answered.fulfil(by=alice, on=today)
    client.force_login(alice)
    response = client.get(URL)
    assert list(response.context["commitments"]) == [late, due]
    assert "Te laat" in response.content.decode()


def test_latest_changes_say_who_changed_what(client, alice, bob, measure):
    measure.log_progress(by=bob, text="Bob schreef dit")
    client.force_login(alice)
    response = client.get(URL)
    [latest, *_] = response.context["changes"]
    assert latest["kind"] == "update"
    assert latest["record"].history_user == bob
    assert latest["measure_id"] == measure.pk
    assert "progress logged" in response.content.decode()


def test_it_hides_confidential_measures_from_a_viewer_everywhere(client, bob, vera, confidential):
    confidential.log_progress(by=bob, text="geheim")
    client.force_login(vera)
    response = client.get(URL)
    assert confidential.title not in response.content.decode()
    assert response.context["status_rows"] == []
    assert response.context["changes"] == []


def test_a_contributor_sees_the_confidential_measures_of_its_own_organisation(
    client, bob, carol, confidential
):
    client.force_login(bob)
    assert confidential.title in client.get(URL).content.decode()
    client.force_login(carol)
    assert confidential.title not in client.get(URL).content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_its_query_count_does_not_grow_with_the_programme(
    client, alice, programme, size, django_assert_num_queries
):
    programme(size)
    client.force_login(alice)
    # session, user, groups, last sent letter, status counts, overdue rows, overdue count,
    # stale rows, stale count, commitments due, measure history, progress-update history,
    # the sent letters of the "View as of" control; the letter checklist: the draft letter,
    # measures without progress per owner, drafts to review, commitments due unanswered,
    # indicators without the year's total
    with django_assert_num_queries(18):
        response = client.get(URL)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_its_query_count_for_a_contributor_does_not_grow_either(
    client, bob, programme, size, django_assert_num_queries
):
    programme(size)
    client.force_login(bob)
    # As for a coordinator less the letter checklist (5), plus the profile and organisation
    # behind `visible_to`, plus "For you to do": its measures, their count and the
    # contributor's own open updates and the commitments on their organisation's measures due.
    with django_assert_num_queries(19):
        client.get(URL)
