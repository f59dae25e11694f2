"""The dashboard, the measure list and the measure page as of a date (`?as_of=`) or a letter
(`?letter=`): the programme as it stood then, read-only, under the banner."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import (
    LetterStatus,
    Measure,
    MeasureStatus,
    ProgressLetter,
    Visibility,
    end_of_day,
)
from tests.factories import EARLY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

THEN = datetime.date(2015, 6, 1)


def at(day, hour=12):
    return end_of_day(day) - datetime.timedelta(hours=24 - hour)


@pytest.fixture
def letter(alice):
    letter = ProgressLetter.objects.create(
        date=THEN, title="Voortgangsbrief juni 2015", status=LetterStatus.DRAFT
    )
    letter.mark_sent(by=alice, at=at(THEN, 18), history_date=at(THEN, 18))
    return letter


@pytest.fixture
def pilot(plan, prevention, kst, police, alice, bob):
    """A measure created before the letter with progress reported in it, changed since."""
    pilot = Measure(
        joined_on=EARLY,
        plan=plan,
        action_line=prevention,
        theme=kst,
        code="7",
        title="Pilot samenwerking",
        description="Samen met ngo's",
        owner=police,
        status=MeasureStatus.IN_PROGRESS,
        due_date=datetime.date(2015, 3, 1),
    )
    pilot._history_date = at(THEN - datetime.timedelta(days=100))
    pilot.save()
    pilot.log_progress(
        by=alice,
        date=THEN - datetime.timedelta(days=10),
        text="De pilot loopt in drie regio's.",
        history_date=at(THEN - datetime.timedelta(days=10)),
    )
    pilot.log_progress(
        by=alice,
        status=MeasureStatus.EMBEDDED,
        text="Geborgd in het reguliere werk.",
        history_date=at(THEN + datetime.timedelta(days=300)),
        date=THEN + datetime.timedelta(days=300),
    )
    pilot.refresh_from_db()
    return pilot


@pytest.fixture
def newcomer(plan, prevention, kst, prosecution):
    return Measure.objects.create(
        joined_on=timezone.localdate(),
        plan=plan,
        action_line=prevention,
        theme=kst,
        title="Nieuwe maatregel van later",
        owner=prosecution,
        status=MeasureStatus.NOT_STARTED,
    )


def detail(measure, **params):
    return reverse("measures:detail", args=[measure.pk]), params


# --- the measure page -------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["letter", "as_of"])
def test_the_measure_page_shows_the_version_and_progress_of_then(client, alice, pilot, letter, how):
    client.force_login(alice)
    params = {"letter": letter.pk} if how == "letter" else {"as_of": THEN.isoformat()}
    response = client.get(reverse("measures:detail", args=[pilot.pk]), params)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["measure"].status == MeasureStatus.IN_PROGRESS
    assert [u.text for u in response.context["timeline"]] == ["De pilot loopt in drie regio's."]
    assert "Geborgd in het reguliere werk." not in html
    assert "as-of-banner" in html
    if how == "letter":
        assert "as known when the letter of 1 juni 2015 was sent" in html
    else:
        assert "as it stood on 1 juni 2015, as known now" in html
    assert f'href="{reverse("measures:detail", args=[pilot.pk])}"' in html  # the current page


def test_the_measure_page_as_of_then_has_no_edit_buttons_or_forms(
    client, alice, bob, pilot, letter
):
    pilot.log_progress(
        by=bob,
        date=THEN - datetime.timedelta(days=5),
        text="Concept van de politie.",
        history_date=at(THEN - datetime.timedelta(days=5)),
    )
    client.force_login(alice)
    today_html = client.get(reverse("measures:detail", args=[pilot.pk])).content.decode()
    assert "/approve/" in today_html  # the draft can be approved today, so the check can fail
    html = client.get(
        reverse("measures:detail", args=[pilot.pk]), {"letter": letter.pk}
    ).content.decode()
    assert reverse("measures:edit", args=[pilot.pk]) not in html
    assert reverse("measures:log_progress", args=[pilot.pk]) not in html
    assert "/approve/" not in html
    assert "csrfmiddlewaretoken" not in html.split('id="content"')[-1]


def test_the_measure_page_today_still_shows_the_latest(client, alice, pilot, letter):
    client.force_login(alice)
    response = client.get(reverse("measures:detail", args=[pilot.pk]))
    assert response.context["measure"].status == MeasureStatus.EMBEDDED
    assert "Geborgd in het reguliere werk." in response.content.decode()
    assert "as-of-banner" not in response.content.decode()


def test_a_measure_that_did_not_exist_then_is_not_found(client, alice, newcomer, letter):
    client.force_login(alice)
    response = client.get(reverse("measures:detail", args=[newcomer.pk]), {"letter": letter.pk})
    assert response.status_code == 404


def test_a_confidential_measure_stays_hidden_as_of_a_date(client, vera, pilot, alice, letter):
    pilot.visibility = Visibility.CONFIDENTIAL
    pilot._history_date = at(THEN - datetime.timedelta(days=50))
    pilot.save()
    client.force_login(vera)
    response = client.get(reverse("measures:detail", args=[pilot.pk]), {"letter": letter.pk})
    assert response.status_code == 404
    listed = client.get(reverse("measures:list"), {"letter": letter.pk})
    assert "Pilot samenwerking" not in listed.content.decode()


@pytest.mark.parametrize(
    "params, message",
    [
        ({"as_of": "1 juni"}, "is not a date"),
        ({"as_of": "2999-01-01"}, "lies in the future"),
        ({"letter": "999999"}, "There is no letter with number"),
    ],
)
@pytest.mark.parametrize("page", ["dashboard", "list", "detail"])
def test_an_unreadable_moment_gives_a_clear_400(client, alice, pilot, params, message, page):
    client.force_login(alice)
    args = [pilot.pk] if page == "detail" else []
    response = client.get(reverse(f"measures:{page}", args=args), params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'id="as-of-date"' in response.content.decode()  # the control, to try again


# --- the dashboard ----------------------------------------------------------------------------


def test_the_dashboard_as_of_a_letter_counts_the_statuses_of_then(
    client, alice, pilot, newcomer, letter
):
    client.force_login(alice)
    response = client.get(reverse("measures:dashboard"), {"letter": letter.pk})
    html = response.content.decode()
    rows = response.context["status_rows"]
    assert [row["total"] for row in rows] == [1]
    assert rows[0]["counts"][MeasureStatus.IN_PROGRESS] == 1
    # Overdue then: due 1 March 2015, still open on 1 June 2015.
    assert [m.title for m in response.context["overdue"]] == ["Pilot samenwerking"]
    assert f'href="/measures/{pilot.pk}/?letter={letter.pk}"' in html
    assert "Nieuwe maatregel van later" not in html
    assert "as reported in the letter of 1 juni 2015" in html
    assert 'id="today-only"' in html
    assert 'id="latest-changes"' not in html


def test_the_dashboard_offers_the_view_as_of_control_with_the_sent_letters(client, alice, letter):
    draft = ProgressLetter.objects.create(date=THEN, title="Concept", status=LetterStatus.DRAFT)
    client.force_login(alice)
    html = client.get(reverse("measures:dashboard")).content.decode()
    assert 'type="date" name="as_of"' in html
    assert f'<option value="{letter.pk}"' in html
    assert f'<option value="{draft.pk}"' not in html


@pytest.mark.parametrize("size", [3, 30])
def test_the_dashboard_as_of_query_count_does_not_grow(
    client, alice, programme, letter, size, django_assert_num_queries
):
    programme(size)
    client.force_login(alice)
    # session, user, groups, status counts, overdue rows (last progress then as a subquery),
    # overdue count, sent letters of the control
    with django_assert_num_queries(7):
        response = client.get(reverse("measures:dashboard"), {"as_of": timezone.localdate()})
    assert sum(row["total"] for row in response.context["status_rows"]) == size


# --- the measure list -------------------------------------------------------------------------


def test_the_list_as_of_a_letter_shows_the_status_of_then_and_no_bulk_form(
    client, alice, pilot, newcomer, letter
):
    client.force_login(alice)
    response = client.get(reverse("measures:list"), {"letter": letter.pk})
    html = response.content.decode()
    rows = list(response.context["page"].object_list)
    assert [(r.title, r.status) for r in rows] == [("Pilot samenwerking", "in_progress")]
    assert rows[0].last_progress == THEN - datetime.timedelta(days=10)
    assert 'id="bulk-form"' not in html
    assert reverse("measures:create") not in html
    assert f'<input type="hidden" name="letter" value="{letter.pk}">' in html
    assert all(f"letter={letter.pk}" in c["url"] for c in response.context["columns"].values())


@pytest.mark.parametrize(
    "params, found",
    [
        ({"status": "in_progress"}, True),
        ({"status": "embedded"}, False),
        ({"q": "ngo"}, True),
        ({"q": "reguliere"}, False),  # progress of later, and progress is not searched then
        ({"overdue": "true"}, True),
        ({"owner": "prosecution"}, False),
    ],
)
def test_the_list_filters_apply_to_the_measures_as_they_were(
    client, alice, pilot, letter, prosecution, params, found
):
    if params.get("owner") == "prosecution":
        params = {"owner": prosecution.pk}
    client.force_login(alice)
    response = client.get(reverse("measures:list"), {"as_of": THEN.isoformat(), **params})
    titles = [r.title for r in response.context["page"].object_list]
    assert titles == (["Pilot samenwerking"] if found else [])


def test_the_search_help_says_what_is_searched_then(client, alice, pilot, letter):
    client.force_login(alice)
    then = client.get(reverse("measures:list"), {"letter": letter.pk}).content.decode()
    now = client.get(reverse("measures:list")).content.decode()

    assert "Searches titles and descriptions as they were then." in then
    assert "Searches titles, descriptions and progress texts." not in then
    assert "Searches titles, descriptions and progress texts." in now


def test_a_filter_that_cannot_apply_then_is_named_on_the_page(client, alice, pilot, letter):
    client.force_login(alice)
    response = client.get(reverse("measures:list"), {"letter": letter.pk, "stale": "true"})
    html = response.content.decode()
    assert 'id="not-applied"' in html
    assert "Without progress since the last letter" in html.split('id="not-applied"')[1]
    assert [r.title for r in response.context["page"].object_list] == ["Pilot samenwerking"]


def test_pagination_keeps_the_moment(client, alice, programme, monkeypatch):
    monkeypatch.setattr("measures.views.measures.PAGE_SIZE", 2)
    programme(5)
    client.force_login(alice)
    day = timezone.localdate().isoformat()
    html = client.get(reverse("measures:list"), {"as_of": day}).content.decode()
    assert f"?as_of={day}&amp;page=2" in html


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_as_of_query_count_does_not_grow(
    client, bob, programme, size, django_assert_num_queries
):
    programme(size)
    client.force_login(bob)
    # session, user, groups, profile, organisation (who may see what then), count, page rows
    # (last progress then as a subquery), organisations, themes, plans, action lines,
    # sent letters of the control
    with django_assert_num_queries(12):
        response = client.get(
            reverse("measures:list"),
            {"as_of": timezone.localdate(), "q": "Voorlichting", "status": "in_progress"},
        )
    assert response.context["page"].paginator.count > 0


@pytest.mark.parametrize("size", [3, 30])
def test_the_measure_page_as_of_query_count_does_not_grow(
    client, alice, programme, size, django_assert_num_queries
):
    measures = programme(size)
    client.force_login(alice)
    # session, user, groups, the measure now (may the user see it), its version then,
    # its progress then, partners then, countries then, sent letters of the control
    with django_assert_num_queries(9):
        response = client.get(
            reverse("measures:detail", args=[measures[0].pk]), {"as_of": timezone.localdate()}
        )
    assert len(response.context["timeline"]) == 2


def test_the_measure_page_of_a_past_day_does_not_pair_its_status_with_a_later_date(
    client, alice, pilot
):
    client.force_login(alice)
    response = client.get(reverse("measures:detail", args=[pilot.pk]), {"as_of": THEN.isoformat()})
    shown = response.context["measure"]
    assert (shown.status, shown.status_since) == (MeasureStatus.IN_PROGRESS, None)
    status = response.content.decode().split('id="status-since">')[1].split("</dd>")[0]
    assert status.strip() == "in progress"
