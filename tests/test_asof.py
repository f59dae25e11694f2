"""measures/asof.py: the programme as it stood at the end of a day or as of a letter."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from measures.asof import (
    AsOf,
    InvalidAsOf,
    compare,
    measure_as_of,
    measures_as_of,
    parse_as_of,
    progress_as_of,
)
from measures.models import (
    Measure,
    MeasureStatus,
    ProgressLetter,
    Visibility,
    end_of_day,
)

# Measures join the programme long before the dates the tests log progress on.
EARLY = datetime.date(2000, 1, 1)

pytestmark = pytest.mark.django_db

JUNE_1 = datetime.date(2015, 6, 1)


def at(day, hour=12, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def dated(obj, moment, by):
    obj._history_date = moment
    obj._history_user = by
    return obj


def make_measure(plan, kst, police, title, moment, by, **fields):
    measure = Measure(joined_on=EARLY, plan=plan, theme=kst, owner=police, title=title, **fields)
    dated(measure, moment, by).save()
    return measure


@pytest.fixture
def programme(plan, kst, police, alice):
    """Two measures on 1 June 2015; on 2 June one is delayed and a third is added."""
    first = make_measure(plan, kst, police, "Eerste", at(JUNE_1, 9), alice, status="in_progress")
    second = make_measure(plan, kst, police, "Tweede", at(JUNE_1, 10), alice, status="not_started")
    first.set_status(
        MeasureStatus.DELAYED, by=alice, history_date=at(JUNE_1 + datetime.timedelta(1), 9)
    )
    third = make_measure(plan, kst, police, "Derde", at(JUNE_1 + datetime.timedelta(1), 10), alice)
    return first, second, third


def test_the_measures_as_they_stood_at_the_end_of_a_day(programme, django_assert_num_queries):
    first, second, third = programme
    # 1 query: the latest record per measure at that moment, with plan, action line, theme, owner
    with django_assert_num_queries(1):
        records = {r.id: r for r in measures_as_of(end_of_day(JUNE_1))}
    assert set(records) == {first.pk, second.pk}
    assert records[first.pk].status == MeasureStatus.IN_PROGRESS
    assert records[first.pk].get_status_display() == "Lopend"
    assert records[first.pk].plan.title == "Plan van aanpak kindersekstoerisme"
    later = {r.id: r.status for r in measures_as_of(end_of_day(JUNE_1 + datetime.timedelta(1)))}
    assert later == {first.pk: "delayed", second.pk: "not_started", third.pk: ""}


def test_the_end_of_the_day_is_amsterdam_time(plan, kst, police, alice):
    # 23:30 in Amsterdam on 1 June is 21:30 UTC: still that day.
    late = make_measure(plan, kst, police, "Laat", at(JUNE_1, 23, 30), alice)
    assert [r.id for r in measures_as_of(end_of_day(JUNE_1))] == [late.pk]


def test_two_records_with_one_timestamp_give_the_measure_once(plan, kst, police, alice):
    moment = at(JUNE_1, 9)
    measure = make_measure(plan, kst, police, "Dubbel", moment, alice)
    measure.set_status(MeasureStatus.COMPLETED, by=alice, history_date=moment)
    assert len(list(Measure.history.as_of(end_of_day(JUNE_1)))) == 2  # the upstream pitfall
    records = list(measures_as_of(end_of_day(JUNE_1)))
    assert len(records) == 1
    assert records[0].status == MeasureStatus.COMPLETED


def test_deleted_measures_are_gone_after_their_deletion(programme, alice):
    first = programme[0]
    pk = first.pk
    dated(first, at(JUNE_1 + datetime.timedelta(3)), alice).delete()
    assert pk in {r.id for r in measures_as_of(end_of_day(JUNE_1))}
    assert pk not in {r.id for r in measures_as_of(end_of_day(JUNE_1 + datetime.timedelta(3)))}


def test_confidential_measures_then_are_hidden_from_viewers(programme, vera, alice, bob):
    second = programme[1]
    second.visibility = Visibility.CONFIDENTIAL
    dated(second, at(JUNE_1, 11), alice).save()
    assert second.pk not in {r.id for r in measures_as_of(end_of_day(JUNE_1), user=vera)}
    assert second.pk in {r.id for r in measures_as_of(end_of_day(JUNE_1), user=alice)}
    # Bob works for the owner, the police.
    assert second.pk in {r.id for r in measures_as_of(end_of_day(JUNE_1), user=bob)}


def test_one_measure_as_of_a_moment(programme):
    first = programme[0]
    assert measure_as_of(first.pk, end_of_day(JUNE_1)).status == "in_progress"
    assert measure_as_of(first.pk, end_of_day(JUNE_1 - datetime.timedelta(1))) is None


def test_progress_as_it_stood_then(programme, alice, django_assert_num_queries):
    first = programme[0]
    update = first.log_progress(by=alice, text="Oude tekst", date=JUNE_1)
    update.history.update(history_date=at(JUNE_1, 15))
    update.text = "Nieuwe tekst"
    dated(update, at(JUNE_1 + datetime.timedelta(1), 15), alice).save()
    # 1 query: latest update records, limited to the measures visible then, with author
    with django_assert_num_queries(1):
        texts = [u.text for u in progress_as_of(end_of_day(JUNE_1), user=alice)]
    assert texts == ["Oude tekst"]
    assert [u.text for u in progress_as_of(timezone.now(), measures=[first.pk])] == ["Nieuwe tekst"]


def test_parse_as_of_reads_a_date_or_a_letter():
    factory = RequestFactory()
    assert parse_as_of(factory.get("/")) is None
    as_of = parse_as_of(factory.get("/", {"as_of": "2015-06-01"}))
    assert as_of.day == JUNE_1
    assert as_of.moment == end_of_day(JUNE_1)
    letter = ProgressLetter.objects.create(date=JUNE_1, title="Voortgangsbrief")
    as_of = parse_as_of(factory.get("/", {"letter": str(letter.pk)}))
    assert (as_of.letter, as_of.moment) == (letter, letter.as_of)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as_of": "1-6-2015"}, "is geen datum"),
        ({"as_of": "2999-01-01"}, "ligt in de toekomst"),
        ({"letter": "999"}, "Er is geen brief"),
        ({"letter": "abc"}, "Er is geen brief"),
    ],
)
def test_parse_as_of_refuses_bad_input_clearly(params, message):
    with pytest.raises(InvalidAsOf) as refused:
        parse_as_of(RequestFactory().get("/", params))
    assert isinstance(refused.value, ValidationError)
    assert message in refused.value.messages[0]


def test_compare_lists_added_measures_status_changes_and_progress(programme, alice):
    first, second, third = programme
    update = first.log_progress(by=alice, text="Vertraagd door capaciteit")
    update.history.update(history_date=at(JUNE_1 + datetime.timedelta(1), 11))
    comparison = compare(AsOf(JUNE_1), AsOf(JUNE_1 + datetime.timedelta(1)), user=alice)
    assert [m.id for m in comparison.added] == [third.pk]
    (change,) = comparison.status_changes
    assert (change.measure.id, change.old_label, change.new_label) == (
        first.pk,
        "Lopend",
        "Vertraagd",
    )
    assert [u.text for u in comparison.progress] == ["Vertraagd door capaciteit"]
    assert comparison.removed == []


def test_compare_takes_the_moments_in_either_order(programme, alice):
    comparison = compare(AsOf(JUNE_1 + datetime.timedelta(1)), AsOf(JUNE_1), user=alice)
    assert comparison.start.day == JUNE_1
    assert [m.title for m in comparison.added] == ["Derde"]


def test_confidential_progress_only_for_coordinators_and_the_owner(programme, alice, bob, vera):
    first = programme[0]
    update = first.log_progress(by=alice, text="Vertrouwelijk", visibility=Visibility.CONFIDENTIAL)
    now = timezone.now()
    assert [u.id for u in progress_as_of(now, user=alice)] == [update.pk]
    assert [u.id for u in progress_as_of(now, user=bob)] == [update.pk]  # police owns it
    assert list(progress_as_of(now, user=vera)) == []
