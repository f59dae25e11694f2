"""Creating and changing an indicator with its breakdowns: /indicators/new/ and
/indicators/<id>/edit/; and the indicator list's links for coordinators."""

import pytest
from django.urls import reverse

from measures.models import Indicator, IndicatorBreakdown, IndicatorUnit
from tests.commitment_data import interventions, value

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)

NEW_URL = reverse("measures:indicator_create")
LIST_URL = reverse("measures:indicators")


def edit_url(indicator):
    return reverse("measures:indicator_edit", args=[indicator.pk])


def indicator_data(theme, breakdowns=(), **changes):
    data = {
        "name": "Meldingen bij het Meldpunt",
        "unit": IndicatorUnit.COUNT,
        "theme": theme.pk,
        "plan": "",
        "owner": "",
        "default_source": "Jaarverslag EOKM",
        "order": "1",
        "description": "",
        "breakdowns-TOTAL_FORMS": "3",
        "breakdowns-INITIAL_FORMS": "0",
        "breakdowns-MIN_NUM_FORMS": "0",
        "breakdowns-MAX_NUM_FORMS": "1000",
    }
    for i in range(3):
        data[f"breakdowns-{i}-name"] = breakdowns[i] if i < len(breakdowns) else ""
        data[f"breakdowns-{i}-order"] = str(i + 1)
    data.update(changes)
    return data


def test_a_coordinator_creates_an_indicator_with_three_breakdowns(client, alice, kst):
    client.force_login(alice)
    names = ["Nederland", "Europa", "Elders"]
    response = client.post(NEW_URL, indicator_data(kst, names))
    indicator = Indicator.objects.get()
    assert response.status_code == 302
    assert response["Location"] == indicator.get_absolute_url()
    assert indicator.default_source == "Jaarverslag EOKM"
    assert indicator.breakdown_names() == names
    assert indicator.history.get().history_user == alice
    assert {b.history.get().history_user for b in indicator.breakdowns.all()} == {alice}
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert "Nederland, Europa, Elders" in page
    assert "Jaarverslag EOKM" in page


def test_a_coordinator_changes_an_indicator_and_adds_a_breakdown(client, alice, kst):
    indicator = interventions(kst)
    IndicatorBreakdown.objects.create(indicator=indicator, name="Eenheid A", order=1)
    client.force_login(alice)
    rows = client.get(edit_url(indicator)).context["breakdowns"].forms
    assert [row["order"].value() for row in rows] == [1, 2, 3, 4]
    data = indicator_data(kst, name="Interventies (totaal)")
    data.update(
        {
            "breakdowns-TOTAL_FORMS": "2",
            "breakdowns-INITIAL_FORMS": "1",
            "breakdowns-0-id": str(indicator.breakdowns.get().pk),
            "breakdowns-0-indicator": str(indicator.pk),
            "breakdowns-0-name": "Eenheid A",
            "breakdowns-0-order": "1",
            "breakdowns-1-name": "Eenheid B",
            "breakdowns-1-order": "2",
        }
    )
    response = client.post(edit_url(indicator), data)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "Interventies (totaal)"
    assert indicator.breakdown_names() == ["Eenheid A", "Eenheid B"]
    assert indicator.history.latest().history_user == alice


def test_bad_input_saves_nothing_and_keeps_what_was_typed(client, alice, kst):
    client.force_login(alice)
    response = client.post(NEW_URL, {**indicator_data(kst, ["Noord", "Zuid"]), "theme": ""})
    assert response.status_code == 200
    assert "theme" in response.context["form"].errors
    page = response.content.decode()
    assert 'value="Noord"' in page and 'value="Zuid"' in page and "Error:" in page
    assert not Indicator.objects.exists() and not IndicatorBreakdown.objects.exists()


def test_two_breakdowns_by_one_name_are_refused(client, alice, kst):
    client.force_login(alice)
    response = client.post(NEW_URL, indicator_data(kst, ["Noord", "Noord"]))
    assert response.status_code == 200
    formset = response.context["breakdowns"]
    assert formset.non_form_errors() or any(form.errors for form in formset)
    assert not Indicator.objects.exists()


@pytest.mark.parametrize("user", ["bob", "vera"])
def test_contributors_and_readers_may_not_create_or_change(client, request, user, kst):
    indicator = interventions(kst)
    client.force_login(request.getfixturevalue(user))
    assert client.get(NEW_URL).status_code == 403
    assert client.post(NEW_URL, indicator_data(kst, ["A"])).status_code == 403
    assert client.post(edit_url(indicator), indicator_data(kst)).status_code == 403
    assert Indicator.objects.get().name == "Interventies"
    assert not IndicatorBreakdown.objects.exists()


def test_anonymous_is_sent_to_log_in(client, kst):
    response = client.post(NEW_URL, indicator_data(kst))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- The list -------------------------------------------------------------------------------------


def test_an_indicator_with_only_breakdown_figures_is_not_listed_without_figures(client, vera, kst):
    indicator = interventions(kst)
    value(indicator, 2015, None, 12, breakdown="Eenheid A")
    value(indicator, 2015, None, 30, breakdown="Eenheid B")
    client.force_login(vera)
    page = client.get(LIST_URL).content.decode()
    assert "No figures yet" not in page
    assert "2015 (Eenheid A)" in page


def test_the_list_offers_set_up_to_coordinators_only(client, alice, vera, kst):
    interventions(kst)
    client.force_login(alice)
    page = client.get(LIST_URL).content.decode()
    assert NEW_URL in page and reverse("measures:setup") in page
    assert reverse("measures:plans") in page
    client.force_login(vera)
    page = client.get(LIST_URL).content.decode()
    assert NEW_URL not in page and reverse("measures:setup") not in page
    assert reverse("measures:plans") in page


def rename_data(indicator, kst, breakdown, new_name):
    data = indicator_data(kst, name=indicator.name)
    data.update(
        {
            "breakdowns-TOTAL_FORMS": "1",
            "breakdowns-INITIAL_FORMS": "1",
            "breakdowns-0-id": str(breakdown.pk),
            "breakdowns-0-indicator": str(indicator.pk),
            "breakdowns-0-name": new_name,
            "breakdowns-0-order": "1",
        }
    )
    return data


def test_renaming_a_breakdown_renames_its_figures_with_history(client, alice, kst):
    indicator = interventions(kst)
    figure = value(indicator, 2015, None, 12, breakdown="KLPD")
    breakdown = IndicatorBreakdown.objects.create(indicator=indicator, name="KLPD", order=1)
    client.force_login(alice)
    response = client.post(
        edit_url(indicator), rename_data(indicator, kst, breakdown, "Landelijke Eenheid")
    )
    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.breakdown == "Landelijke Eenheid"
    assert figure.history.latest().history_user == alice
    assert indicator.breakdown_names() == ["Landelijke Eenheid"]


def test_a_rename_onto_figures_of_another_breakdown_is_refused_whole(client, alice, kst):
    indicator = interventions(kst)
    value(indicator, 2015, None, 12, breakdown="KLPD")
    # A figure under a breakdown text the indicator does not list (recorded before the list).
    value(indicator, 2015, None, 30, breakdown="Landelijke Eenheid")
    klpd = IndicatorBreakdown.objects.create(indicator=indicator, name="KLPD", order=1)
    client.force_login(alice)
    data = rename_data(indicator, kst, klpd, "Landelijke Eenheid")
    response = client.post(edit_url(indicator), data)
    assert response.status_code == 200
    assert "already has a value for that period" in response.content.decode()
    assert set(indicator.values.values_list("breakdown", flat=True)) == {
        "KLPD",
        "Landelijke Eenheid",
    }
    assert indicator.breakdown_names() == ["KLPD"]


BASE_YEAR_TARGET = {
    "base_year": "2010",
    "base_value": "475",
    "target_year": "2014",
    "target_change": "25",
    "target_change_unit": "percent",
}


def test_a_coordinator_sets_a_target_against_a_base_year(client, alice, kst):
    client.force_login(alice)
    response = client.post(NEW_URL, indicator_data(kst, **BASE_YEAR_TARGET))

    indicator = Indicator.objects.get()
    assert response.status_code == 302
    assert (indicator.base_year, indicator.base_value, indicator.target_year) == (2010, 475, 2014)
    assert indicator.base_target == 593.75
    assert indicator.history.get().history_user == alice


def test_a_target_year_before_the_base_year_is_refused_and_nothing_saved(client, alice, kst):
    client.force_login(alice)
    response = client.post(
        NEW_URL, indicator_data(kst, **{**BASE_YEAR_TARGET, "target_year": "2009"})
    )

    assert response.status_code == 200
    assert response.context["form"].errors["target_year"] == [
        "The target year comes after the base year."
    ]
    assert 'value="2009"' in response.content.decode()
    assert not Indicator.objects.exists()


def test_the_indicator_page_states_its_target_against_the_base_year(client, vera, kst):
    indicator = Indicator(name="Verdachten", theme=kst, target_change_unit="percent")
    indicator.base_year, indicator.base_value, indicator.target_year = 2010, 475, 2014
    indicator.target_change = 25
    indicator.save()
    client.force_login(vera)

    page = client.get(indicator.get_absolute_url()).content.decode()

    assert "Target for 2014: 594 (+25 % on 475 in 2010)." in page
