"""Indicators: the list /indicators/ and one indicator /indicators/<id>/ with chart and table."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import (
    Indicator,
    IndicatorBreakdown,
    IndicatorUnit,
    IndicatorValue,
    LetterStatus,
    ProgressLetter,
)
from tests.commitment_data import interventions, letter_2015, value

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def indicator(kst):
    indicator = interventions(kst)
    value(indicator, 2014, 500, 560)
    value(indicator, 2015, 600, 842, source="Politie")
    return indicator


def detail(client, indicator):
    return client.get(reverse("measures:indicator_detail", args=[indicator.pk]))


def row(page, period):
    return page.split(f'<th scope="row">{period}</th>')[1].split("</tr>")[0]


def test_it_shows_target_realised_difference_and_share_the_dutch_way(client, vera, indicator):
    IndicatorValue.objects.filter(year=2015).update(realised=Decimal("1842"))
    client.force_login(vera)
    page = detail(client, indicator).content.decode()
    cells = row(page, "2015")
    assert "<td>600</td>" in cells
    assert "<td>1.842</td>" in cells  # a dot for thousands
    assert "<td>1.242</td>" in cells
    assert "<td>307,0 %</td>" in cells  # a decimal comma


def test_it_shows_the_interventions_of_2015(client, vera, indicator):
    client.force_login(vera)
    page = detail(client, indicator).content.decode()
    cells = row(page, "2015")
    assert "<td>600</td>" in cells
    assert "<td>842</td>" in cells
    assert "<td>242</td>" in cells
    assert "<td>140,3 %</td>" in cells
    assert "Final" in cells
    assert "Politie" in cells


def test_its_chart_is_accessible_svg_with_a_point_per_period(client, vera, indicator):
    client.force_login(vera)
    page = detail(client, indicator).content.decode()
    svg = ET.fromstring(page[page.index("<svg") : page.index("</svg>") + len("</svg>")])
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id
    assert svg.find(f"{SVG}desc").get("id") == desc_id
    realised = {
        point.get("data-period"): point.get("data-value")
        for point in svg.iter()
        if "point-realised" in (point.get("class") or "")
    }
    assert realised == {"2014": "560.00", "2015": "842.00"}


def test_its_data_table_is_the_charts_text_alternative(client, vera, indicator):
    client.force_login(vera)
    page = detail(client, indicator).content.decode()
    table = page[page.index('<table class="table table-sm align-top table-figures') :]
    table = table[: table.index("</table>") + len("</table>")]
    root = ET.fromstring(table.replace("&nbsp;", " "))
    assert "target and realised per period" in root.find("caption").text
    assert [th.get("scope") for th in root.find("thead").iter("th")][:5] == ["col"] * 5
    assert [th.text for th in root.find("tbody").iter("th")] == ["2014", "2015"]


def test_it_lists_indicators_with_their_latest_figures(client, vera, indicator):
    client.force_login(vera)
    page = client.get(reverse("measures:indicators")).content.decode()
    assert "Interventies" in page
    assert "140,3 %" in page
    assert "<td>842</td>" in page


def test_a_percentage_indicator_shows_percentages(client, vera, kst):
    share = interventions(kst, description="")
    share.name, share.unit = "Aandeel binnen 6 maanden", IndicatorUnit.PERCENT
    share.save()
    value(share, 2015, "25", "30.8")
    client.force_login(vera)
    page = detail(client, share).content.decode()
    assert "<td>30,8 %</td>" in row(page, "2015")


# --- Changed after being reported ------------------------------------------------------------


def edit(value_, realised, when):
    """Change the realised figure as if it happened at `when`."""
    value_.realised = Decimal(realised)
    value_._history_date = when
    value_.save()


def test_it_warns_when_a_reported_value_was_changed_after_the_letter(client, vera, indicator):
    letter = letter_2015()
    value_2014 = indicator.values.get(year=2014)
    value_2014.source_letter = letter
    value_2014.save()  # recorded now, but it changes nothing that was reported
    edit(value_2014, "561", timezone.now())
    client.force_login(vera)
    page = detail(client, indicator).content.decode()
    assert "changed-after-report" in page
    assert "Changed after it was reported" in row(page, "2014")
    assert "Changed after it was reported" not in row(page, "2015")


def test_it_does_not_warn_about_changes_before_the_letter(client, vera, kst):
    indicator = interventions(kst)
    figure = IndicatorValue(indicator=indicator, year=2014, target=500, realised=560)
    figure.source_letter = letter_2015()
    figure._history_date = timezone.make_aware(datetime.datetime(2015, 3, 1, 12))
    figure.save()
    edit(figure, "561", timezone.make_aware(datetime.datetime(2015, 5, 1, 12)))
    edit(figure, "562", timezone.make_aware(datetime.datetime(2015, 6, 1, 11)))  # before sending
    client.force_login(vera)
    assert "changed-after-report" not in detail(client, indicator).content.decode()


def test_it_warns_about_a_change_the_same_day_after_the_letter_was_sent(client, vera, kst):
    """The letter reports what was known when it was marked as sent (noon here), as its
    rebuilt text does: a change that evening was not in it."""
    indicator = interventions(kst)
    figure = IndicatorValue(indicator=indicator, year=2014, target=500, realised=560)
    figure.source_letter = letter_2015()
    figure._history_date = timezone.make_aware(datetime.datetime(2015, 3, 1, 12))
    figure.save()
    edit(figure, "562", timezone.make_aware(datetime.datetime(2015, 6, 1, 23)))
    client.force_login(vera)
    assert "changed-after-report" in detail(client, indicator).content.decode()


def test_it_does_not_warn_when_the_reporting_letter_is_a_draft(client, vera, indicator):
    draft = ProgressLetter.objects.create(
        date=datetime.date(2015, 6, 1), title="Concept", status=LetterStatus.DRAFT
    )
    value_2014 = indicator.values.get(year=2014)
    value_2014.source_letter = draft
    value_2014.save()
    edit(value_2014, "561", timezone.now())
    client.force_login(vera)
    assert "changed-after-report" not in detail(client, indicator).content.decode()


def test_it_counts_a_value_as_reported_by_a_later_sent_letter(client, vera, kst):
    indicator = interventions(kst)
    figure = IndicatorValue(indicator=indicator, year=2014, target=500, realised=560)
    figure._history_date = timezone.make_aware(datetime.datetime(2015, 3, 1, 12))
    figure.save()
    letter_2015()  # sent after the value was recorded, so it reported the value
    edit(figure, "570", timezone.now())
    client.force_login(vera)
    page = detail(client, indicator).content.decode()
    assert "changed-after-report" in page
    assert "Voortgangsbrief aanpak kinderpornografie" in row(page, "2014")


def test_an_unreported_value_may_change_without_warning(client, vera, indicator):
    edit(indicator.values.get(year=2015), "850", timezone.now())
    client.force_login(vera)
    assert "changed-after-report" not in detail(client, indicator).content.decode()


# --- Query counts ------------------------------------------------------------------------------


def make_values(indicator, count):
    letter = letter_2015()
    for year in range(1990, 1990 + count):
        figure = value(indicator, year, 100, 120, source_letter=letter)
        edit(figure, "121", timezone.now())


@pytest.mark.parametrize("count", [3, 30])
def test_the_detail_query_count_does_not_grow_with_the_values(
    client, alice, kst, count, django_assert_num_queries
):
    indicator = interventions(kst)
    make_values(indicator, count)
    client.force_login(alice)
    # 1 session, 2 user, 3 groups, 4 indicator with theme, owner and plan, 5 its breakdowns,
    # 6 values with their letters, 7 their history with users, 8 the sent letters.
    with django_assert_num_queries(8):
        response = detail(client, indicator)
    assert len(response.context["changed"]) == count


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_query_count_does_not_grow_with_the_indicators(
    client, vera, kst, count, django_assert_num_queries
):
    for number in range(count):
        indicator = interventions(kst, order=number)
        indicator.name = f"Indicator {number}"
        indicator.save()
        value(indicator, 2015, 600, 842)
    client.force_login(vera)
    # 1 session, 2 user, 3 the user's groups (may they set up?), 4 indicators with theme and
    # owner, 5 their values.
    with django_assert_num_queries(5):
        client.get(reverse("measures:indicators"))


def test_it_shows_each_figure_with_its_note_and_the_breakdowns(client, vera, kst):
    indicator = interventions(kst, default_source="Politie")
    IndicatorBreakdown.objects.create(indicator=indicator, name="Eenheid A", order=1)
    value(indicator, 2015, 600, 842, note="Exclusief Caribisch Nederland")
    client.force_login(vera)
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert "Exclusief Caribisch Nederland" in page
    assert "Broken down into: Eenheid A" in page
    assert "Usual source: Politie" in page


def test_the_list_shows_only_the_indicators_missing_a_years_realised_total(client, vera, kst):
    """The letter checklist's link: `?missing=2025` leaves the indicators that have the realised
    yearly total of 2025; a target alone or a breakdown alone does not count as having it."""
    entered = interventions(kst, order=1)
    value(entered, 2025, 600, 842)
    target_only = Indicator.objects.create(name="Alleen een streefcijfer", theme=kst, order=2)
    value(target_only, 2025, 100, None)
    breakdown_only = Indicator.objects.create(name="Alleen uitgesplitst", theme=kst, order=3)
    value(breakdown_only, 2025, None, 4, breakdown="Noord")
    other_year = Indicator.objects.create(name="Een ander jaar", theme=kst, order=4)
    value(other_year, 2024, None, 7)
    client.force_login(vera)
    response = client.get(reverse("measures:indicators"), {"missing": "2025"})
    assert [i.name for i in response.context["indicators"]] == [
        "Alleen een streefcijfer",
        "Alleen uitgesplitst",
        "Een ander jaar",
    ]
    assert "Only the 3 indicators without a realised total for 2025." in (response.content.decode())


@pytest.mark.parametrize("year", ["twintig", "1800", ""])
def test_a_year_not_understood_shows_every_indicator_with_a_message(client, vera, kst, year):
    interventions(kst)
    client.force_login(vera)
    response = client.get(reverse("measures:indicators"), {"missing": year})
    assert response.status_code == 200
    assert len(response.context["indicators"]) == 1
    assert "The year to look for missing figures was not understood" in response.content.decode()
