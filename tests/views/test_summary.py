"""The summary page: period and filters, downloads, who sees what, bad input."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import Commitment, Indicator, IndicatorValue, Measure, MeasureStatus
from tests import summary_data
from tests.summary_data import END, START, at, make_measure, make_update, save_at

kp, letters, letter_data = summary_data.kp, summary_data.letters, summary_data.letter_data

URL = reverse("measures:summary")
PERIOD = {"from": START.isoformat(), "to": END.isoformat()}


def test_anonymous_users_are_sent_to_the_login_page(client, db):
    response = client.get(URL, PERIOD)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_coordinator_sees_the_draft_the_completeness_list_and_the_internal_checkbox(
    client, alice, letter_data
):
    client.force_login(alice)
    response = client.get(URL, PERIOD)

    content = response.content.decode()
    assert response.status_code == 200
    assert "2.1 Preventie" in content
    assert "Handboek kindersekstoerisme" in content
    assert 'id="completeness-heading"' in content
    assert 'name="include_internal"' in content
    assert "Toolkit Aanpak Kindersekstoerisme (JenV)" in content  # without progress
    assert "Geheime operatie" not in content
    assert 'id="changes-heading"' in content
    # The drafts waiting for approval link to the review queue.
    assert (
        f'<a href="{reverse("measures:review")}">Voortgang die op goedkeuring wacht (1)</a>'
        in content
    )


def test_a_viewer_sees_the_draft_without_completeness_list_or_internal_checkbox(
    client, vera, letter_data
):
    client.force_login(vera)
    response = client.get(URL, {**PERIOD, "include_internal": "on"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Handboek kindersekstoerisme" in content
    assert 'id="completeness-heading"' not in content
    assert 'name="include_internal"' not in content
    assert "Interne evaluatie voorlichting" not in content


def test_the_coordinator_can_include_internal_measures(client, alice, letter_data):
    client.force_login(alice)
    response = client.get(URL, {**PERIOD, "include_internal": "on"}, HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()

    assert "Interne evaluatie voorlichting" in content
    assert "Geheime operatie Zuidoost-Azie" in content
    assert "This summary includes internal information" in content


def test_without_a_period_it_runs_from_the_last_sent_letter_to_today(client, alice, letters):
    client.force_login(alice)
    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["summary"].start == datetime.date(2014, 9, 4)
    assert response.context["summary"].end == timezone.localdate()


@pytest.mark.parametrize(
    "period, message",
    [
        ({"from": "2015-13-01", "to": "2015-06-01"}, "Enter a valid date"),
        ({"from": "1 juni", "to": "2015-06-01"}, "Enter a valid date"),
        ({"from": "2015-06-01", "to": "2014-09-04"}, "The period must end on or after"),
        ({"from": "", "to": "2015-06-01"}, "This field is required"),
    ],
)
def test_bad_dates_give_a_form_error_not_a_server_error(client, alice, db, period, message):
    client.force_login(alice)
    response = client.get(URL, period, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "invalid-feedback" in content or "alert-danger" in content


@pytest.mark.parametrize(
    "fmt, content_type, start",
    [
        ("docx", "application/vnd.openxmlformats-officedocument", b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
        ("md", "text/markdown", b"# Voortgang"),
    ],
)
def test_the_page_downloads_word_pdf_and_markdown(
    client, alice, letter_data, fmt, content_type, start
):
    client.force_login(alice)
    response = client.get(URL, {**PERIOD, "format": fmt})

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert f'filename="voortgang-2014-09-04-2015-06-01.{fmt}"' in response["Content-Disposition"]
    assert response.content.startswith(start)


def test_a_download_without_a_period_uses_the_default_period(client, alice, letters):
    client.force_login(alice)
    response = client.get(URL, {"format": "md"})

    assert response.status_code == 200
    assert f"voortgang-2014-09-04-{timezone.localdate()}.md" in response["Content-Disposition"]


def test_an_unknown_format_is_a_form_error(client, alice, db):
    client.force_login(alice)
    response = client.get(URL, {**PERIOD, "format": "exe"})

    assert response.status_code == 400


def test_download_links_keep_the_period_and_filters(client, alice, letter_data, kst):
    client.force_login(alice)
    content = client.get(URL, {**PERIOD, "theme": kst.pk}).content.decode()

    assert f"?from=2014-09-04&amp;to=2015-06-01&amp;theme={kst.pk}&amp;format=docx" in content


@pytest.fixture
def many_measures(plan, prevention, kst, police, letters):
    """Measures with progress by an author organisation, an indicator with a value and a
    commitment answered by a letter: every kind of row the summary reads."""
    indicator = Indicator.objects.create(name="Meldingen", theme=kst)
    save_at(IndicatorValue(indicator=indicator, year=2014, target=10, realised=12), at(START))
    commitment = save_at(Commitment(title="Toezegging", text="Iets", due_date=END), at(START))
    commitment.fulfil(by=None, letter=letters["letter"], history_date=at(END, 9))

    def make(count):
        for i in range(count):
            measure = make_measure(
                plan, prevention, kst, police, f"Maatregel {i}", at(START, 8, i % 60),
                status=MeasureStatus.IN_PROGRESS,
            )  # fmt: skip
            make_update(
                measure,
                datetime.date(2015, 1, 1 + i % 28),
                f"Voortgang {i}",
                minute=i,
                author_organisation=police,
            )
        return Measure.objects.count()

    return make


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_needs_the_same_number_of_queries_for_3_and_30_measures(
    client, alice, many_measures, django_assert_num_queries, count
):
    assert many_measures(count) == count
    client.force_login(alice)
    # 1 session, 2 user, 3 groups (is_coordinator), 4 last sent letter (default period),
    # 5-7 theme, plan and organisation choices of the form,
    # builder: 8 previous letter, 9 measures (readable_measures: a coordinator reads all),
    # 10 themes, 11 plans, 12 action lines, 13 organisations, 14 their former names,
    # 15 updates, 16 events, 17 links between measures, 18 links to documents (none: the
    # documents are not read), 19 indicators, 20 indicator values, 21 the order of their
    # categories, 22 commitments with the letters that answered them; 23 the sent letters
    # whose corrections the page offers; 24 the draft letters of the period (whose text the
    # coordinator may write); 25 the letterhead in use
    with django_assert_num_queries(25):
        response = client.get(URL, PERIOD)
    assert response.status_code == 200
    summary = response.context["summary"]
    assert len(summary.figure_tables) == 1
    assert summary.commitments[0].fulfilled_by is not None
    assert {m.updates[0].organisation for m in summary.measures} == {"Politie"}
    assert len(response.context["summary"].measures) == count


def test_long_overview_lists_name_the_first_twenty_and_count_the_rest(client, alice, many_measures):
    many_measures(30)
    client.force_login(alice)
    response = client.get(URL, PERIOD)

    overview = response.content.decode().split('id="changes-heading"')[0]
    new_measures = overview.split("Nieuwe maatregelen (30)")[1].split("</ul>")[0]
    assert new_measures.count("<li>") == 20
    assert "… en nog 10" in new_measures
    # The draft itself names every measure.
    assert all(f"Maatregel {i}<" in response.content.decode() for i in range(30))
