"""measures/history/changes.py: history records read as changes in words."""

import datetime

import pytest
from django.utils import timezone

from measures.attribution import acting_as
from measures.history.changes import feed_querysets, latest_changes, measure_history_querysets
from measures.models import (
    Country,
    Measure,
    MeasureStatus,
    Organisation,
    ProgressUpdate,
    Visibility,
)

pytestmark = pytest.mark.django_db


def history_of(measure, user=None):
    return latest_changes(measure_history_querysets(measure, user), limit=50, user=user).items


def test_creation_lists_the_initial_values_in_words(measure):
    (created,) = history_of(measure)
    assert created.kind == "+"
    values = {f.name: f.new_text for f in created.fields}
    assert values["title"] == "Handboek kindersekstoerisme"
    assert values["status"] == "Lopend"
    assert values["owner"] == "Nationale Politie"
    assert values["plan"] == "Plan van aanpak kindersekstoerisme"


def test_a_status_change_reads_from_label_to_label_with_user_and_reason(measure, alice):
    measure.set_status(MeasureStatus.DELAYED, by=alice, reason="wacht op de politie")
    latest = history_of(measure)[0]
    assert latest.user_name == "Alice"
    assert latest.organisation_name == "JenV"
    assert latest.reason == "wacht op de politie"
    assert latest.origin == "shell"
    (status,) = [f for f in latest.fields if f.name == "status"]
    assert (status.old_text, status.new_text) == ("Lopend", "Vertraagd")


def test_foreign_keys_read_as_names(measure, alice, prosecution):
    measure.owner = prosecution
    measure._history_user = alice
    measure.save()
    (owner,) = [f for f in history_of(measure)[0].fields if f.name == "owner"]
    assert owner.old_text == "Nationale Politie"
    assert owner.new_text == "Openbaar Ministerie"


def test_partners_added_and_removed_are_named(measure, alice, prosecution, ministry):
    with acting_as(alice, "command test"):
        measure.partners.add(prosecution, ministry)
        measure.partners.remove(ministry)
    removed, added = history_of(measure)[:2]
    assert added.fields[0].added == ["Ministerie van Justitie en Veiligheid", "Openbaar Ministerie"]
    assert removed.fields[0].removed == ["Ministerie van Justitie en Veiligheid"]
    assert removed.fields[0].added == []
    assert removed.origin == "command test"


def test_countries_are_named_too(measure, alice):
    thailand = Country.objects.create(name="Thailand", code="TH")
    with acting_as(alice, "command test"):
        measure.countries.add(thailand)
    assert history_of(measure)[0].fields[0].added == ["Thailand"]


def test_deletion_is_shown(measure, alice):
    pk = measure.pk
    measure._history_user = alice
    measure.delete()
    page = latest_changes({Measure: Measure.history.filter(id=pk)}, limit=10, user=None)
    assert page.items[0].kind == "-"
    assert page.items[0].kind_label == "verwijderd"
    assert page.items[0].object_label == "Handboek kindersekstoerisme"


def test_progress_updates_belong_to_the_measure_history(measure, bob):
    measure.log_progress(by=bob, text="Eerste versie klaar", status=MeasureStatus.DELAYED)
    kinds = [(c.model, c.kind) for c in history_of(measure)]
    assert (ProgressUpdate, "+") in kinds
    assert kinds[0] == (Measure, "~")


def test_records_with_the_same_timestamp_each_diff_against_their_own_predecessor(measure, alice):
    moment = timezone.now()
    for status in (MeasureStatus.DELAYED, MeasureStatus.COMPLETED):
        measure._history_date = moment
        measure.set_status(status, by=alice)
    first, second = history_of(measure)[:2]
    assert [(f.old_text, f.new_text) for f in first.fields if f.name == "status"] == [
        ("Vertraagd", "Afgerond")
    ]
    assert [(f.old_text, f.new_text) for f in second.fields if f.name == "status"] == [
        ("Lopend", "Vertraagd")
    ]


def test_the_cursor_pages_back_in_time(measure, alice):
    for day in range(1, 6):
        measure._history_date = timezone.now() + datetime.timedelta(seconds=day)
        measure.set_status(
            MeasureStatus.DELAYED if day % 2 else MeasureStatus.IN_PROGRESS, by=alice
        )
    querysets = measure_history_querysets(measure, None)
    first = latest_changes(querysets, limit=4, user=None)
    assert first.has_more
    rest = latest_changes(querysets, limit=4, user=None, before=first.next_before)
    assert not rest.has_more
    ids = [c.history_id for c in first.items + rest.items]
    assert len(ids) == len(set(ids)) == 6


def test_confidential_measures_stay_out_of_the_feed_for_others(measure, vera, alice, carol):
    measure.visibility = Visibility.CONFIDENTIAL
    measure._history_user = alice
    measure.save()

    def measure_ids(user):
        page = latest_changes(feed_querysets(user), limit=100, user=user)
        return {c.measure_id for c in page.items if c.model is Measure}

    assert measure.pk in measure_ids(alice)
    assert measure.pk not in measure_ids(vera)
    assert measure.pk not in measure_ids(carol)


def test_the_feed_filters_by_organisation_of_the_user(measure, alice, bob):
    measure.set_status(MeasureStatus.DELAYED, by=alice)
    measure.log_progress(by=bob, text="Gestart")
    police = Organisation.objects.get(abbreviation="Politie")
    page = latest_changes(feed_querysets(alice, organisation=police), limit=100, user=alice)
    assert {c.user_name for c in page.items} == {"Bob"}
