"""The admin shows every domain model, in Dutch, with its history."""

import pytest
from django.apps import apps
from django.contrib import admin


def domain_models():
    return [
        m
        for m in apps.get_app_config("measures").get_models()
        if not m.__name__.startswith("Historical")
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
    assert client.get(f"/admin/{opts.app_label}/{opts.model_name}/add/").status_code == 200


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


def test_the_admin_keeps_the_completion_date_in_step_with_the_status(client, alice, measure):
    from measures.models import Measure

    client.force_login(alice)
    data = {
        "plan": measure.plan_id,
        "action_line": measure.action_line_id,
        "theme": measure.theme_id,
        "title": measure.title,
        "owner": measure.owner_id,
        "status": "completed",
        "visibility": "public",
        "version": measure.version,
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
        "updates-MIN_NUM_FORMS": "0",
        "updates-MAX_NUM_FORMS": "1000",
    }
    response = client.post(f"/admin/measures/measure/{measure.pk}/change/", data)
    assert response.status_code == 302
    assert Measure.objects.get(pk=measure.pk).completed_date is not None
