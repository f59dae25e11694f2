"""The MeasureQuerySet and ProgressUpdateQuerySet reads behind the list and the dashboard."""

import datetime

import pytest
from django.utils import timezone

from measures.models import Measure, ProgressUpdate, Visibility
from tests.factories import make_measure


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def confidential(measure):
    return make_measure(
        like=measure, owner=measure.owner, title="Vertrouwelijk", visibility=Visibility.CONFIDENTIAL
    )


def test_for_list_annotates_the_date_of_the_latest_progress(measure, alice, today):
    measure.log_progress(by=alice, date=today - datetime.timedelta(days=9), text="oud")
    measure.log_progress(by=alice, date=today - datetime.timedelta(days=2), text="nieuw")
    assert Measure.objects.for_list().get().last_progress == today - datetime.timedelta(days=2)


def test_search_finds_title_description_progress_and_next_steps_once(measure, alice):
    measure.log_progress(by=alice, text="Drukker gevonden", next_steps="Verspreiden")
    measure.log_progress(by=alice, text="Tweede drukker")
    assert list(Measure.objects.search("handboek")) == [measure]
    assert list(Measure.objects.search("DRUKKER")) == [measure]
    assert list(Measure.objects.search("verspreiden")) == [measure]
    assert list(Measure.objects.search("nergens")) == []
    assert Measure.objects.search("  ").count() == 1


def test_search_with_a_user_skips_confidential_progress_the_user_may_not_read(measure, alice, vera):
    measure.log_progress(by=alice, text="Geheime bron", visibility=Visibility.CONFIDENTIAL)
    assert list(Measure.objects.search("geheime bron", user=alice)) == [measure]
    assert list(Measure.objects.search("geheime bron", user=vera)) == []


def test_without_progress_since_counts_only_updates_after_the_date(measure, alice, today):
    measure.log_progress(by=alice, date=today - datetime.timedelta(days=10), text="x")
    since = today - datetime.timedelta(days=10)
    assert list(Measure.objects.without_progress_since(since)) == [measure]
    assert list(Measure.objects.without_progress_since(since - datetime.timedelta(days=1))) == []
    assert list(Measure.objects.without_progress_since(None)) == []


def test_progress_updates_visible_to_follow_the_measure_and_confidentiality(
    measure, confidential, alice, bob, carol, vera
):
    public = measure.log_progress(by=bob, text="openbaar")
    secret = measure.log_progress(by=bob, text="geheim", visibility=Visibility.CONFIDENTIAL)
    hidden = confidential.log_progress(by=bob, text="in een vertrouwelijke maatregel")
    everything = {public, secret, hidden}
    assert set(ProgressUpdate.objects.visible_to(alice)) == everything
    assert set(ProgressUpdate.objects.visible_to(bob)) == everything
    assert set(ProgressUpdate.objects.visible_to(carol)) == {public}
    assert set(ProgressUpdate.objects.visible_to(vera)) == {public}


@pytest.mark.parametrize("username", ["alice", "bob", "carol", "vera"])
def test_the_access_rule_answers_the_same_for_a_live_row_and_its_latest_record(
    username, alice, bob, carol, vera, measure, police, prosecution, kst
):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from measures.history.asof import latest_records
    from measures.models import Measure, ProgressUpdate, Visibility

    for owner in (police, prosecution):
        for visibility in Visibility.values:
            other = make_measure(
                plan=measure.plan,
                theme=kst,
                owner=owner,
                title=f"{owner} {visibility}",
                visibility=visibility,
            )
            for author in (alice, bob, carol):
                other.log_progress(by=author, text="x", visibility=visibility)
    user = get_user_model().objects.get(username=username)
    for model in (Measure, ProgressUpdate):
        live = set(model.objects.visible_to(user).values_list("pk", flat=True))
        latest = latest_records(model.history.all(), timezone.now()).visible_to(user)
        assert set(latest.values_list("id", flat=True)) == live
        assert 0 < len(live) <= model.objects.count()
