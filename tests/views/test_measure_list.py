import datetime
import re

import pytest
from django.urls import reverse

from measures.models import ActionLine, Measure, MeasureStatus, Plan
from tests.factories import EARLY, make_measure

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


URL = reverse("measures:list")


def titles(response):
    return [measure.title for measure in response.context["page"].object_list]


@pytest.fixture
def three(measure, police, prosecution, alice, today):
    """The fixture measure plus two more: one of the OM, overdue; one completed."""
    om = make_measure(
        like=measure,
        action_line=measure.action_line,
        title="Snellere vervolging",
        description="Doorlooptijden bij het OM",
        owner=prosecution,
        status=MeasureStatus.DELAYED,
        due_date=today - datetime.timedelta(days=5),
    )
    done = make_measure(
        like=measure,
        title="Campagne op Schiphol",
        owner=police,
        status=MeasureStatus.COMPLETED,
        completed_date=today,
        due_date=today - datetime.timedelta(days=5),
    )
    measure.log_progress(by=alice, date=today, text="Het handboek is naar de drukker.")
    return measure, om, done


def test_it_redirects_an_anonymous_visitor_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_lists_the_visible_measures(client, vera, three, confidential):
    client.force_login(vera)
    response = client.get(URL)
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(m.title for m in three)
    assert confidential.title not in response.content.decode()


def test_it_filters_by_status_owner_and_overdue_from_the_query_string(
    client, vera, three, prosecution
):
    measure, om, done = three
    client.force_login(vera)
    assert titles(client.get(URL, {"status": MeasureStatus.DELAYED})) == [om.title]
    assert titles(client.get(URL, {"owner": prosecution.pk})) == [om.title]
    assert titles(client.get(URL, {"overdue": "true"})) == [om.title]
    assert om.title not in titles(client.get(URL, {"overdue": "false"}))
    assert titles(client.get(URL, {"action_line": measure.action_line_id, "overdue": "true"})) == [
        om.title
    ]


def test_it_filters_by_plan_and_theme(client, vera, three, plan, kst):
    client.force_login(vera)
    assert len(titles(client.get(URL, {"plan": plan.pk, "theme": kst.pk}))) == 3


def test_the_action_line_filter_groups_the_lines_under_their_plan(
    client, vera, plan, prevention, ministry
):
    other = Plan.objects.create(title="Actieplan zeden", owner=ministry)
    other_prevention = ActionLine.objects.create(plan=other, name="Preventie", order=1)
    client.force_login(vera)
    response = client.get(URL, {"action_line": other_prevention.pk})
    html = re.sub(r">\s+<", "><", response.content.decode())
    assert (
        f'<optgroup label="{plan.title}"><option value="{prevention.pk}">Preventie</option>'
        "</optgroup>" in html
    )
    assert (
        f'<optgroup label="Actieplan zeden"><option value="{other_prevention.pk}" selected>'
        "Preventie</option></optgroup>" in html
    )


def test_it_searches_titles_descriptions_and_progress_texts(client, vera, three):
    measure, om, done = three
    client.force_login(vera)
    assert titles(client.get(URL, {"q": "schiphol"})) == [done.title]
    assert titles(client.get(URL, {"q": "doorlooptijden"})) == [om.title]
    assert titles(client.get(URL, {"q": "drukker"})) == [measure.title]
    assert titles(client.get(URL, {"q": "bestaat niet"})) == []


def test_it_filters_open_measures_without_progress_since_the_last_letter(
    client, vera, three, sent_letter
):
    measure, om, done = three
    client.force_login(vera)
    # The fixture measure has progress today; the completed one needs none.
    assert titles(client.get(URL, {"stale": "true"})) == [om.title]


def test_it_sorts_by_the_chosen_column_both_ways(client, vera, three):
    measure, om, done = three
    client.force_login(vera)
    assert titles(client.get(URL, {"ordering": "title"})) == sorted(m.title for m in three)
    assert titles(client.get(URL, {"ordering": "-title"})) == sorted(
        (m.title for m in three), reverse=True
    )
    # Measures without progress come last when the newest progress comes first, on every
    # database, and first when the oldest comes first.
    assert titles(client.get(URL, {"ordering": "-progress"}))[0] == measure.title
    assert titles(client.get(URL, {"ordering": "progress"}))[-1] == measure.title
    assert titles(client.get(URL, {"ordering": "-due"}))[-1] == measure.title  # no due date
    response = client.get(URL, {"ordering": "due"})
    assert response.context["columns"]["due"]["sort"] == "ascending"
    assert 'aria-sort="ascending"' in response.content.decode()


def test_it_pages_by_25_and_the_page_links_keep_the_filters(
    client, vera, plan, prevention, kst, police
):
    Measure.objects.bulk_create(
        Measure(
            joined_on=EARLY,
            status_since=EARLY,
            plan=plan,
            theme=kst,
            owner=police,
            title=f"M {i:02}",
        )
        for i in range(30)
    )
    client.force_login(vera)
    response = client.get(URL, {"q": "M ", "ordering": "title"})
    assert len(response.context["page"].object_list) == 25
    assert "?q=M+&amp;ordering=title&amp;page=2" in response.content.decode()
    second = client.get(URL, {"q": "M ", "ordering": "title", "page": 2})
    assert titles(second) == [f"M {i:02}" for i in range(25, 30)]


def test_only_a_coordinator_gets_checkboxes_and_the_bulk_form(client, alice, bob, three):
    client.force_login(bob)
    assert 'id="bulk-form"' not in client.get(URL).content.decode()
    client.force_login(alice)
    content = client.get(URL).content.decode()
    assert 'id="bulk-form"' in content
    assert 'name="measures"' in content


def test_the_table_has_a_caption_and_column_headers(client, vera, three):
    client.force_login(vera)
    content = client.get(URL).content.decode()
    assert "<caption" in content
    assert 'scope="col"' in content


@pytest.mark.parametrize("size", [3, 30])
def test_its_query_count_does_not_grow_with_the_programme(
    client, alice, programme, size, django_assert_num_queries
):
    programme(size)
    client.force_login(alice)
    # session, user, groups, count, page rows (last progress annotated), the filter form's
    # organisations, themes, plans and action lines, the bulk form's organisations, the sent
    # letters of the "View as of" control
    with django_assert_num_queries(11):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == min(size, 25)


@pytest.mark.parametrize("size", [3, 30])
def test_its_query_count_with_every_filter_does_not_grow(
    client, bob, programme, size, django_assert_num_queries
):
    programme(size)
    client.force_login(bob)
    # session, user, groups, profile, organisation, last sent letter, count, page rows,
    # organisations, themes, plans, action lines (no bulk form for a contributor), sent letters
    with django_assert_num_queries(13):
        client.get(URL, {"q": "Voortgang", "overdue": "false", "stale": "false", "ordering": "due"})
