"""The benchmark's synthetic data has the shape of the seed data, with honest history, and its
floor shows the same first page as the admin changelist."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.test import RequestFactory

from bench import synthetic
from bench.floor import PAGE_SIZE, floor_rows
from bench.run import assemble, check_targets
from measures.models import (
    Measure,
    MeasureStatus,
    OrganisationKind,
    ProgressLetter,
    ProgressUpdate,
)

SCALE = 30


@pytest.fixture
def generated(db):
    return synthetic.generate(SCALE)


def history_models():
    return [
        m
        for m in apps.get_app_config("measures").get_models()
        if m.__name__.startswith("Historical") and hasattr(m, "history_date")
    ]


def test_the_generator_builds_every_model_in_proportion(generated):
    assert generated["Measure"] == SCALE
    assert generated["Organisation"] >= 30
    assert generated["Theme"] == 3
    assert generated["Country"] == 20
    assert generated["Plan"] == 2
    assert generated["ActionLine"] == 3 * generated["Plan"]
    assert generated["Commitment"] == 3
    assert generated["CommitmentLink"] >= 1
    assert generated["Indicator"] == 3
    assert generated["IndicatorValue"] >= 3 * 5
    assert generated["ProgressLetter"] == 7
    assert ProgressLetter.objects.sent().count() == 6
    kinds = set(synthetic.Organisation.objects.values_list("kind", flat=True))
    assert {OrganisationKind.MINISTRY, OrganisationKind.POLICE, OrganisationKind.NGO} <= kinds
    assert Measure.objects.filter(title__icontains=synthetic.SEARCH_WORD).exists()
    assert Measure.objects.filter(status=MeasureStatus.IN_PROGRESS).exists()


def test_every_measure_has_about_ten_updates_and_five_history_versions(generated):
    updates = Measure.objects.annotate(n=Count("updates")).values_list("n", flat=True)
    assert all(8 <= n <= 12 for n in updates)
    assert 8 * SCALE <= ProgressUpdate.objects.count() <= 12 * SCALE
    versions = Measure.history.values("id").annotate(n=Count("history_id"))
    assert sorted(v["n"] for v in versions) == [5] * SCALE
    assert generated["HistoricalMeasure"] == 5 * SCALE
    assert generated["HistoricalProgressUpdate"] == generated["ProgressUpdate"]


def test_the_latest_history_version_is_the_measure_as_it_stands(generated):
    for measure in Measure.objects.all():
        first, *_, latest = measure.history.order_by("history_date")
        assert first.history_type == "+"
        assert (latest.status, latest.title, latest.due_date) == (
            measure.status,
            measure.title,
            measure.due_date,
        )
        assert latest.history_date == measure.updated_at
        assert set(latest.partners.values_list("organisation_id", flat=True)) == set(
            measure.partners.values_list("pk", flat=True)
        )


def test_no_two_history_records_of_one_object_share_a_date_and_all_have_a_user(generated):
    for model in history_models():
        assert not model.objects.filter(history_user__isnull=True).exists(), model.__name__
        assert not model.objects.exclude(history_origin=synthetic.ORIGIN).exists()
        clashes = (
            model.objects.values("id", "history_date")
            .annotate(n=Count("history_id"))
            .filter(n__gt=1)
        )
        assert not clashes.exists(), model.__name__


def test_the_floor_shows_the_admin_changelists_first_page_in_its_order(generated):
    superuser = get_user_model().objects.get(username=synthetic.ADMIN_USERNAME)
    request = RequestFactory().get("/admin/measures/measure/")
    request.user = superuser
    changelist = admin.site._registry[Measure].get_changelist_instance(request)
    # The admin shows 100 rows a page; the floor (like the measure list) shows 25.
    admin_ids = [measure.pk for measure in changelist.result_list][:PAGE_SIZE]
    floor_ids = [row[0] for row in floor_rows()]
    assert len(floor_ids) == PAGE_SIZE < SCALE
    assert floor_ids == admin_ids


def test_the_floor_page_renders_its_rows(generated, client, settings):
    settings.ROOT_URLCONF = "bench.urls"
    client.force_login(get_user_model().objects.get(username=synthetic.COORDINATOR_USERNAME))
    html = client.get("/bench/floor/").content.decode()
    assert html.count("<tr><td>") == PAGE_SIZE
    assert floor_rows()[0][1] in html


def row(median, queries=5, first=None):
    found = {"median_ms": median, "p90_ms": median * 1.2, "queries": queries}
    return found if first is None else {**found, "first_ms": first}


def test_results_leave_out_pages_not_built_and_check_the_targets():
    by_scale = {
        1000: {
            "pages": {"measure_list": row(40), "summary": row(300)},
            "peers": {"admin_changelist": row(50), "floor": row(10)},
        },
        10000: {
            "pages": {"measure_list": row(60, 6), "summary": row(2500)},
            "peers": {"admin_changelist": row(55), "floor": row(11)},
        },
    }
    results, missing = assemble([1000, 10000], by_scale)
    assert set(results) == {"scales", "pages", "peers", "conditions"}
    assert results["scales"] == [1000, 10000]
    assert set(results["pages"]) == {"measure_list", "summary"}
    assert results["pages"]["measure_list"]["10000"] == row(60, 6)
    assert "dashboard" in missing
    verdicts = dict(check_targets(results))
    failed = [text for text, passed in verdicts.items() if not passed]
    assert any(t.startswith("measure_list: queries 5 / 6") for t in failed)
    assert any(t.startswith("measure_list at 10000") for t in failed)
    assert any(t.startswith("summary at 10000") for t in failed)
    assert any(t.startswith("measure_list at 1000:") for t, ok in verdicts.items() if ok)


def test_the_summary_is_held_to_1_s_and_its_word_letter_to_3_s_first_requests_too():
    by_scale = {
        10000: {
            "pages": {"summary": row(900, first=1100), "summary_docx": row(2900, first=2500)},
            "peers": {},
            "load_average": 0.5,
            "requests": 20,
        }
    }
    results, _missing = assemble([10000], by_scale)
    assert results["conditions"] == {"10000": {"load_average": 0.5, "requests": 20}}
    verdicts = {text.split(":")[0]: passed for text, passed in check_targets(results)}
    assert verdicts["summary at 10000"] and verdicts["summary_docx at 10000"]
    assert not verdicts["summary at 10000, first request of the process"]
    assert verdicts["summary_docx at 10000, first request of the process"]


def test_only_the_pages_asked_for_are_reported():
    by_scale = {1000: {"pages": {"summary_docx": row(300)}, "peers": {}}}
    results, missing = assemble([1000], by_scale, ["summary_docx"])
    assert set(results["pages"]) == {"summary_docx"}
    assert missing == []


def test_a_built_database_is_reused_only_for_the_same_scale_and_schema(db):
    from django.db import connection

    from bench.run import cached, record_build, schema_fingerprint

    fingerprint = schema_fingerprint()
    assert fingerprint.startswith(f"v{synthetic.GENERATOR_VERSION}:")
    assert "measures.0001_initial" in fingerprint
    assert not cached(connection, SCALE, fingerprint)
    record_build(connection, SCALE, fingerprint)
    assert cached(connection, SCALE, fingerprint)
    assert not cached(connection, SCALE + 1, fingerprint)
    assert not cached(connection, SCALE, fingerprint + ",measures.0002_new")
