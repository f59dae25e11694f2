"""The admin shows every domain model, in Dutch, with its history."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin


def domain_models():
    """The models people change. Not a StoredFile: its bytes are never changed (a new file is a
    new row) and the object that points to it (a document, the letterhead) keeps the history."""
    return [
        m
        for m in apps.get_app_config("measures").get_models()
        if not m.__name__.startswith("Historical") and m.__name__ != "StoredFile"
    ]


def test_every_domain_model_is_in_the_admin_with_history():
    from simple_history.admin import SimpleHistoryAdmin

    for model in domain_models():
        assert model in admin.site._registry, f"{model.__name__} is not in the admin"
        assert isinstance(admin.site._registry[model], SimpleHistoryAdmin)


def test_every_domain_model_keeps_history():
    for model in domain_models():
        assert hasattr(model, "history"), f"{model.__name__} keeps no history"


def test_the_admin_index_lists_the_models_in_dutch(client, alice):
    client.force_login(alice)
    html = client.get("/admin/").content.decode()
    for label in [
        "Maatregelen",
        "Voortgangsupdates",
        "Toezeggingen en moties",
        "Indicatoren",
        "Voortgangsbrieven",
        "Organisaties",
        "Actielijnen",
        "Plannen",
    ]:
        assert label in html


@pytest.mark.parametrize("model", domain_models(), ids=lambda m: m.__name__)
def test_each_changelist_and_add_form_opens(client, alice, measure, model):
    client.force_login(alice)
    opts = model._meta
    assert client.get(f"/admin/{opts.app_label}/{opts.model_name}/").status_code == 200
    # Only administrators add profiles (tests/test_admin_security.py).
    expected = 403 if opts.model_name == "profile" else 200
    assert client.get(f"/admin/{opts.app_label}/{opts.model_name}/add/").status_code == expected


def test_a_measures_history_opens_in_the_admin(client, alice, measure):
    client.force_login(alice)
    measure.log_progress(by=alice, text="Voortgang", status="delayed")
    response = client.get(f"/admin/measures/measure/{measure.pk}/history/")
    assert response.status_code == 200
    assert "alice" in response.content.decode()


def test_the_admin_can_revert_a_measure_to_an_earlier_version(client, alice, measure):
    client.force_login(alice)
    original = measure.history.earliest()
    measure.set_status("stopped", by=alice)
    url = f"/admin/measures/measure/{measure.pk}/history/{original.history_id}/"
    assert client.get(url).status_code == 200


def admin_change_data(measure, **changes):
    return {
        "plan": measure.plan_id,
        "action_line": measure.action_line_id,
        "theme": measure.theme_id,
        "title": measure.title,
        "owner": measure.owner_id,
        "joined_on": measure.joined_on.isoformat(),
        "status": measure.status,
        "status_since": measure.status_since.isoformat(),
        "visibility": "public",
        "version": measure.version,
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
        "updates-MIN_NUM_FORMS": "0",
        "updates-MAX_NUM_FORMS": "1000",
        **changes,
    }


def test_the_admin_keeps_the_completion_date_in_step_with_the_status(client, alice, measure):
    from measures.models import Measure

    client.force_login(alice)
    data = admin_change_data(measure, status="completed")
    response = client.post(f"/admin/measures/measure/{measure.pk}/change/", data)
    assert response.status_code == 302
    assert Measure.objects.get(pk=measure.pk).completed_date is not None


@pytest.fixture
def joined_2016(measure):
    measure.joined_on = measure.status_since = datetime.date(2016, 2, 1)
    measure.save()
    return measure


def test_the_admin_shows_the_valid_dates_of_a_measure(client, alice, joined_2016):
    client.force_login(alice)
    content = client.get(f"/admin/measures/measure/{joined_2016.pk}/change/").content.decode()
    for name in (
        "joined_on",
        "joined_on_is_estimated",
        "status_since",
        "status_since_is_estimated",
    ):
        assert f'name="{name}"' in content


def test_the_admin_dates_a_status_change_with_the_day_given(client, alice, joined_2016):
    client.force_login(alice)
    data = admin_change_data(joined_2016, status="completed", status_since="2016-05-01")
    client.post(f"/admin/measures/measure/{joined_2016.pk}/change/", data)
    joined_2016.refresh_from_db()
    assert joined_2016.status == "completed"
    assert joined_2016.status_since == joined_2016.completed_date == datetime.date(2016, 5, 1)


def test_the_admin_dates_a_status_change_without_a_new_day_today(client, alice, joined_2016):
    client.force_login(alice)
    client.post(
        f"/admin/measures/measure/{joined_2016.pk}/change/",
        admin_change_data(joined_2016, status="delayed"),
    )
    joined_2016.refresh_from_db()
    assert (joined_2016.status, joined_2016.status_since) == ("delayed", datetime.date.today())


def test_the_admin_refuses_a_status_day_in_the_future_or_before_joining(client, alice, joined_2016):
    client.force_login(alice)
    url = f"/admin/measures/measure/{joined_2016.pk}/change/"
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    for day in (tomorrow.isoformat(), "2016-01-31"):
        response = client.post(
            url, admin_change_data(joined_2016, status="delayed", status_since=day)
        )
        assert response.status_code == 200
        assert "status_since" in response.context["adminform"].form.errors
    joined_2016.refresh_from_db()
    assert joined_2016.status == "in_progress"


def test_the_admin_refuses_a_commitment_made_or_answered_in_the_future(client, alice):
    from measures.models import Commitment

    client.force_login(alice)
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        "/admin/measures/commitment/add/",
        {
            "kind": "commitment",
            "title": "Kamer informeren",
            "text": "De minister informeert de Kamer.",
            "made_on": tomorrow,
            "status": "open",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
            "links-MIN_NUM_FORMS": "0",
            "links-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "made_on" in response.context["adminform"].form.errors
    assert not Commitment.objects.exists()


def test_progress_updates_are_listed_in_the_measure_admin_but_changed_on_their_own_page(
    client, alice, measure
):
    """The inline is a list with links: a row changed through the measure's formset would bypass
    the update's own write path and version check."""
    from measures.models import ProgressUpdate

    update = measure.log_progress(by=alice, text="Eerste stap gezet")
    measure.refresh_from_db()
    client.force_login(alice)
    url = f"/admin/measures/measure/{measure.pk}/change/"
    page = client.get(url).content.decode()
    assert "Eerste stap gezet" in page
    assert 'name="updates-0-text"' not in page
    assert f"/admin/measures/progressupdate/{update.pk}/change/" in page

    data = admin_change_data(measure, title="Handboek, herzien")
    data |= {
        "updates-TOTAL_FORMS": "1",
        "updates-INITIAL_FORMS": "1",
        "updates-0-id": str(update.pk),
        "updates-0-measure": str(measure.pk),
        "updates-0-text": "Overschreven via de maatregel",
    }
    assert client.post(url, data).status_code == 302
    assert ProgressUpdate.objects.get(pk=update.pk).text == "Eerste stap gezet"
    assert update.history.count() == 1


def test_a_save_slipping_in_after_the_admin_forms_check_is_refused_with_a_message(
    client, alice, bob, measure, monkeypatch
):
    """Someone saves between the form's version check and the claim: the request rolls back and
    the form page says why (it was an error page)."""
    from measures.admin import VersionedAdminForm
    from measures.models import Measure

    checked = VersionedAdminForm.clean

    def clean_then_someone_saves(form):
        cleaned = checked(form)
        other = Measure.objects.get(pk=measure.pk)
        other.description = "Tussendoor gewijzigd"
        other.save_change(by=bob)
        return cleaned

    monkeypatch.setattr(VersionedAdminForm, "clean", clean_then_someone_saves)
    client.force_login(alice)
    url = f"/admin/measures/measure/{measure.pk}/change/"
    response = client.post(url, admin_change_data(measure, title="Handboek, herzien"), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Iemand anders heeft" in page  # the refusal, in Dutch, on the change form
    assert 'name="title"' in page
    # In this test the other save ran in the same transaction, so it went back with the refused
    # one; in production it is another request's, and the lines say what it changed.
    assert Measure.objects.get(pk=measure.pk).title == measure.title


def test_the_admin_carries_the_trackers_name(client, alice):
    client.force_login(alice)
    text = client.get("/admin/").content.decode()
    assert "KP/KST-volger" in text  # the Dutch name, as in the tracker itself
    assert "KP/KST tracker" not in text


def test_the_admin_neither_renames_nor_deletes_a_breakdown_its_figures_carry(client, alice, kst):
    """A value names its breakdown by text: renaming or deleting the breakdown in the admin would
    leave its figures under a name no longer listed. The tracker's indicator form renames both."""
    from measures.models import Indicator, IndicatorBreakdown, IndicatorValue

    indicator = Indicator.objects.create(name="Meldingen", theme=kst)
    breakdown = IndicatorBreakdown.objects.create(indicator=indicator, name="Noord", order=1)
    IndicatorValue.objects.create(indicator=indicator, year=2025, breakdown="Noord", realised=4)
    client.force_login(alice)
    url = f"/admin/measures/indicatorbreakdown/{breakdown.pk}/change/"
    client.post(url, {"indicator": indicator.pk, "name": "Zuid", "order": 5})
    breakdown.refresh_from_db()
    assert (breakdown.name, breakdown.order) == ("Noord", 5)
    assert (
        client.post(f"/admin/measures/indicatorbreakdown/{breakdown.pk}/delete/").status_code == 403
    )
    inline = admin.site._registry[Indicator].get_inline_instances(None)[0]
    row = inline.get_formset(None, indicator).form(instance=breakdown)
    assert row.fields["name"].disabled and not inline.can_delete
    assert IndicatorBreakdown.objects.filter(pk=breakdown.pk).exists()


def test_the_admin_refuses_an_incomplete_base_year_target(client, alice, kst):
    """The admin checks an indicator by the model's own rules (`Indicator.clean`)."""
    from measures.models import Indicator

    client.force_login(alice)
    response = client.post(
        "/admin/measures/indicator/add/",
        {
            "name": "Verdachten",
            "unit": "count",
            "theme": kst.pk,
            "order": "1",
            "base_year": "2010",
            "target_year": "2014",
            "target_change": "25",
            "target_change_unit": "percent",
            "breakdowns-TOTAL_FORMS": "0",
            "breakdowns-INITIAL_FORMS": "0",
            "breakdowns-MIN_NUM_FORMS": "0",
            "breakdowns-MAX_NUM_FORMS": "1000",
            "values-TOTAL_FORMS": "0",
            "values-INITIAL_FORMS": "0",
            "values-MIN_NUM_FORMS": "0",
            "values-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "base_value" in response.context["adminform"].form.errors
    assert not Indicator.objects.exists()
