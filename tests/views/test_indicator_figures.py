"""Entering a year's figures as a grid of periods by breakdowns: /indicators/<id>/figures/."""

from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import IndicatorBreakdown, IndicatorValue, ValueStatus
from tests.commitment_data import interventions, value

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


@pytest.fixture
def indicator(kst):
    indicator = interventions(kst, default_source="Op basis van politiegegevens")
    for order, name in enumerate(["Noord", "Midden", "Zuid"], 1):
        IndicatorBreakdown.objects.create(indicator=indicator, name=name, order=order)
    return indicator


def url(indicator, year=2015):
    return reverse("measures:indicator_figures", args=[indicator.pk]) + f"?year={year}"


def cells(response):
    return {
        (row.quarter, cell.column): cell
        for row in response.context["grid"].rows
        for cell in row.cells
    }


def grid_data(response, **typed):
    """The grid as the browser posts it, unchanged, with `typed` ("q0-t-realised": "842")
    over it."""
    data = {"source": response.context["grid"].source_form["source"].value() or ""}
    for cell in cells(response).values():
        for bound in cell:
            value = bound.value()
            data[bound.html_name] = "" if value is None else str(value)
    data.update(typed)
    return data


def prefix(indicator, name):
    return f"b{indicator.breakdowns.get(name=name).pk}"


def test_it_shows_the_year_as_periods_by_breakdowns_with_the_usual_source(client, alice, indicator):
    value(indicator, 2015, 600, 842, note="Inclusief Caribisch Nederland")
    client.force_login(alice)
    response = client.get(url(indicator))
    assert response.status_code == 200
    grid = response.context["grid"]
    assert [row.quarter for row in grid.rows] == [0, 1, 2, 3, 4]
    assert [cell.column for cell in grid.rows[0].cells] == ["Total", "Noord", "Midden", "Zuid"]
    assert grid.source_form["source"].value() == "Op basis van politiegegevens"
    page = response.content.decode()
    assert 'value="842"' in page and "Inclusief Caribisch Nederland" in page
    assert 'aria-label="Realised – Whole year 2015, Noord"' in page


def test_a_coordinator_saves_the_changed_cells_with_history(client, alice, indicator):
    client.force_login(alice)
    page = client.get(url(indicator))
    noord = prefix(indicator, "Noord")
    typed = {
        "q0-t-target": "600",
        "q0-t-realised": "1.234",
        "q0-t-note": "Voorlopig cijfer",
        "q0-t-status": ValueStatus.PROVISIONAL,
        f"q1-{noord}-realised": "22,5",
    }
    response = client.post(url(indicator), grid_data(page, **typed))
    assert response.status_code == 302
    assert response["Location"] == indicator.get_absolute_url()
    total = indicator.values.get(quarter=0, breakdown="")
    assert (total.target, total.realised, total.status, total.note) == (
        Decimal(600),
        Decimal(1234),
        ValueStatus.PROVISIONAL,
        "Voorlopig cijfer",
    )
    assert total.source == "Op basis van politiegegevens"
    q1 = indicator.values.get(quarter=1, breakdown="Noord")
    assert q1.realised == Decimal("22.5")
    assert indicator.values.count() == 2  # the cells left empty are not written
    assert {v.history.get().history_user for v in indicator.values.all()} == {alice}


def test_unchanged_cells_are_not_written(client, alice, indicator):
    kept = value(indicator, 2015, 600, 842, source="Politie")
    client.force_login(alice)
    page = client.get(url(indicator))
    response = client.post(url(indicator), grid_data(page, **{"q2-t-realised": "200"}))
    assert response.status_code == 302
    kept.refresh_from_db()
    assert (kept.version, kept.history.count(), kept.source) == (1, 1, "Politie")
    assert indicator.values.get(quarter=2).realised == Decimal(200)


def test_a_grid_without_changes_writes_nothing(client, alice, indicator):
    value(indicator, 2015, 600, 842)
    client.force_login(alice)
    page = client.get(url(indicator))
    response = client.post(url(indicator), grid_data(page), follow=True)
    assert "Nothing was changed" in response.content.decode()
    assert IndicatorValue.history.count() == 1


def test_bad_input_is_shown_per_cell_and_nothing_is_written(client, alice, indicator):
    client.force_login(alice)
    page = client.get(url(indicator))
    noord = prefix(indicator, "Noord")
    typed = {"q0-t-realised": "842", f"q3-{noord}-target": "22.5", "q4-t-realised": "-3"}
    response = client.post(url(indicator), grid_data(page, **typed))
    assert response.status_code == 400
    shown = cells(response)
    assert shown[(3, "Noord")].errors["target"] == ["Use a comma for decimals, for example 22,5"]
    assert shown[(4, "Total")].errors["realised"]
    html = response.content.decode()
    assert "<title>Error: Figures" in html and "data-error-summary" in html
    assert f'href="#id_q3-{noord}-target"' in html
    # Nothing typed is lost, nothing is written.
    assert 'value="22.5"' in html and 'value="842"' in html and 'value="-3"' in html
    assert not IndicatorValue.objects.exists()


def test_a_cell_changed_by_someone_else_meanwhile_is_refused_and_nothing_written(
    client, alice, indicator, bob
):
    figure = value(indicator, 2015, 600, 800)
    client.force_login(alice)
    page = client.get(url(indicator))
    # Someone else changes the whole year's total after the page was shown.
    figure.realised = Decimal(810)
    figure.save_change(by=bob)
    typed = {"q0-t-realised": "842", "q1-t-realised": "200"}
    response = client.post(url(indicator), grid_data(page, **typed))
    assert response.status_code == 400
    assert "Someone else saved this" in response.content.decode()
    figure.refresh_from_db()
    assert figure.realised == Decimal(810)
    assert not indicator.values.filter(quarter=1).exists()
    # Sent again as it was filled in, it now applies to the value as it is.
    again = client.post(url(indicator), grid_data(response))
    assert again.status_code == 302
    figure.refresh_from_db()
    assert figure.realised == Decimal(842)


def test_the_year_comes_from_the_query(client, alice, indicator):
    value(indicator, 2014, 500, 555)
    client.force_login(alice)
    response = client.get(url(indicator, 2014))
    assert response.context["year"] == 2014
    assert cells(response)[(0, "Total")]["realised"].value() == "555"
    fallback = client.get(reverse("measures:indicator_figures", args=[indicator.pk]) + "?year=x")
    assert fallback.status_code == 200 and fallback.context["year"] > 2014


@pytest.mark.parametrize("count", [1, 4])
def test_its_query_count_does_not_grow_with_the_rows(
    client, alice, kst, count, django_assert_num_queries
):
    indicator = interventions(kst)
    for order in range(count):
        name = f"Eenheid {order}"
        IndicatorBreakdown.objects.create(indicator=indicator, name=name, order=order)
        for quarter in (0, 1, 2):
            value(indicator, 2015, 10, 12, quarter=quarter, breakdown=name)
    client.force_login(alice)
    # 1 session, 2 user, 3 the user's groups (coordinator?), 4 the indicator with its theme,
    # 5 the years it has figures for, 6 its breakdowns, 7 the year's values.
    with django_assert_num_queries(7):
        response = client.get(url(indicator))
    assert len(response.context["grid"].rows[0].cells) == count + 1


@pytest.mark.parametrize("user", ["bob", "vera"])
def test_contributors_and_readers_are_refused(client, request, user, indicator):
    client.force_login(request.getfixturevalue(user))
    assert client.get(url(indicator)).status_code == 403
    response = client.post(url(indicator), {"q0-t-realised": "842", "source": ""})
    assert response.status_code == 403
    assert not IndicatorValue.objects.exists()


def test_anonymous_is_sent_to_log_in(client, indicator):
    response = client.post(url(indicator), {"q0-t-realised": "842"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not IndicatorValue.objects.exists()
