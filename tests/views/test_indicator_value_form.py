"""Entering and changing an indicator's figures: /indicators/<id>/values/new/ and
/indicators/values/<id>/edit/."""

from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import IndicatorUnit, IndicatorValue, ValueStatus
from tests.commitment_data import interventions, letter_2015, value

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


@pytest.fixture
def indicator(kst):
    return interventions(kst)


def new_url(indicator):
    return reverse("measures:indicator_value_create", args=[indicator.pk])


def edit_url(figure):
    return reverse("measures:indicator_value_edit", args=[figure.pk])


def form_data(**changes):
    data = {
        "year": "2015",
        "quarter": "0",
        "breakdown": "",
        "target": "600",
        "realised": "842",
        "status": ValueStatus.FINAL,
        "source": "Politie",
        "source_letter": "",
        "note": "",
        "version": "1",
    }
    data.update(changes)
    return data


def test_a_coordinator_enters_a_value_with_history(client, alice, indicator):
    client.force_login(alice)
    response = client.post(new_url(indicator), form_data())
    assert response.status_code == 302
    assert response["Location"] == indicator.get_absolute_url()
    figure = indicator.values.get()
    assert (figure.year, figure.target, figure.realised) == (2015, Decimal(600), Decimal(842))
    assert figure.history.get().history_user == alice


def test_a_coordinator_changes_a_value_with_history(client, alice, indicator):
    figure = value(indicator, 2015, 600, 800, source_letter=letter_2015())
    client.force_login(alice)
    page = client.get(edit_url(figure)).content.decode()
    assert "were reported to parliament" in page
    response = client.post(edit_url(figure), form_data(source_letter=figure.source_letter_id))
    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.realised == Decimal(842)
    assert figure.history.latest().history_user == alice


def test_it_refuses_a_second_value_for_the_same_period(client, alice, indicator):
    value(indicator, 2015, 600, 842)
    client.force_login(alice)
    response = client.post(new_url(indicator), form_data(realised="900"))
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == [
        "This indicator already has a value for that period."
    ]
    assert indicator.values.count() == 1


def test_another_quarter_is_another_period(client, alice, indicator):
    value(indicator, 2015, 600, 842)
    client.force_login(alice)
    client.post(new_url(indicator), form_data(quarter="2"))
    assert indicator.values.count() == 2


@pytest.mark.parametrize("field", ["target", "realised"])
def test_it_refuses_a_negative_count(client, alice, indicator, field):
    client.force_login(alice)
    response = client.post(new_url(indicator), form_data(**{field: "-5"}))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == ["A count or amount cannot be negative."]
    assert 'aria-invalid="true"' in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_it_refuses_a_percentage_over_100(client, alice, indicator):
    indicator.unit = IndicatorUnit.PERCENT
    indicator.save()
    client.force_login(alice)
    response = client.post(new_url(indicator), form_data(target="25", realised="130,5"))
    assert response.context["form"].errors["realised"] == ["A percentage lies between 0 and 100."]
    assert not IndicatorValue.objects.exists()


def test_an_edit_keeps_its_own_period(client, alice, indicator):
    figure = value(indicator, 2015, 600, 800)
    value(indicator, 2016, 600, 700)
    client.force_login(alice)
    response = client.post(edit_url(figure), form_data(year="2016"))
    assert "year" in response.context["form"].errors
    figure.refresh_from_db()
    assert figure.year == 2015 and figure.history.count() == 1


@pytest.mark.parametrize("username", ["vera", "bob"])
def test_it_refuses_others_with_a_reason(client, request, indicator, username):
    figure = value(indicator, 2015, 600, 800)
    client.force_login(request.getfixturevalue(username))
    for url in (new_url(indicator), edit_url(figure)):
        response = client.post(url, form_data(year="2016"))
        assert response.status_code == 403
        assert "Only coordinators enter or change the figures" in response.content.decode()
        assert client.get(url).status_code == 403
    assert indicator.values.count() == 1


def test_it_asks_anonymous_visitors_to_log_in(client, indicator):
    response = client.post(new_url(indicator), form_data())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("typed", "saved"),
    [("22,0", Decimal(22)), ("1.234", Decimal(1234)), ("1.234,5", Decimal("1234.5"))],
)
def test_it_reads_numbers_the_dutch_way(client, alice, indicator, typed, saved):
    client.force_login(alice)
    response = client.post(new_url(indicator), form_data(realised=typed))
    assert response.status_code == 302
    assert indicator.values.get().realised == saved


@pytest.mark.parametrize("typed", ["22.5", "1.23", "1.2345"])
def test_it_refuses_a_dot_that_is_not_a_thousands_separator(client, alice, indicator, typed):
    client.force_login(alice)
    response = client.post(new_url(indicator), form_data(target=typed))
    assert response.context["form"].errors["target"] == [
        "Use a comma for decimals, for example 22,5"
    ]
    assert not IndicatorValue.objects.exists()


def test_the_edit_form_shows_a_stored_number_with_a_decimal_comma(client, alice, indicator):
    figure = value(indicator, 2015, 600, Decimal("22.50"))
    client.force_login(alice)
    page = client.get(edit_url(figure)).content.decode()
    assert 'name="realised" value="22,5"' in page
    assert 'name="target" value="600"' in page


def test_a_value_with_a_new_breakdown_lists_it_on_the_indicator(client, alice, indicator):
    client.force_login(alice)
    response = client.post(new_url(indicator), form_data(breakdown="Eenheid Noord"))
    assert response.status_code == 302
    breakdown = indicator.breakdowns.get()
    assert (breakdown.name, breakdown.order) == ("Eenheid Noord", 1)
    assert breakdown.history.get().history_user == alice


def test_a_refused_value_lists_no_breakdown(client, alice, indicator):
    client.force_login(alice)
    client.post(new_url(indicator), form_data(breakdown="Eenheid Noord", realised="-1"))
    assert not indicator.breakdowns.exists()
