"""measures/history/asof.py: the one reader of the programme on day D as known at moment K."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from measures.history.asof import (
    AsOf,
    InvalidAsOf,
    compare,
    measures_on,
    parse_as_of,
    progress_on,
    records_at,
    shown_then,
    version_at,
)
from measures.models import (
    Measure,
    MeasureStatus,
    ProgressLetter,
    Visibility,
    end_of_day,
)

pytestmark = pytest.mark.django_db

JUNE_1 = datetime.date(2015, 6, 1)
JUNE_2 = JUNE_1 + datetime.timedelta(days=1)


def at(day, hour=12, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def dated(obj, moment, by):
    obj._history_date = moment
    obj._history_user = by
    return obj


def make_measure(plan, kst, police, title, moment, by, **fields):
    """A measure recorded at `moment`, joined that day unless `joined_on` says otherwise."""
    fields.setdefault("joined_on", timezone.localdate(moment))
    measure = Measure(plan=plan, theme=kst, owner=police, title=title, **fields)
    dated(measure, moment, by).save()
    return measure


@pytest.fixture
def programme(plan, kst, police, alice):
    """Two measures on 1 June 2015, entered that day; on 2 June one is delayed (that day) and a
    third is added."""
    first = make_measure(plan, kst, police, "Eerste", at(JUNE_1, 9), alice, status="in_progress")
    second = make_measure(plan, kst, police, "Tweede", at(JUNE_1, 10), alice, status="not_started")
    first.set_status(MeasureStatus.DELAYED, by=alice, on=JUNE_2, history_date=at(JUNE_2, 9))
    third = make_measure(plan, kst, police, "Derde", at(JUNE_2, 10), alice)
    return first, second, third


def statuses(as_of, **kwargs):
    return {r.id: r.status for r in shown_then(measures_on(as_of, **kwargs))}


def test_the_measures_on_a_day_as_known_then(programme, django_assert_num_queries):
    first, second, third = programme
    # 1 query: the latest record per measure then, its status on the day, plan, theme, owner
    with django_assert_num_queries(1):
        records = {r.id: r for r in measures_on(AsOf(JUNE_1, known_day=JUNE_1))}
    assert set(records) == {first.pk, second.pk}
    assert records[first.pk].status_then == MeasureStatus.IN_PROGRESS
    assert records[first.pk].plan.title == "Plan van aanpak kindersekstoerisme"
    assert statuses(AsOf(JUNE_2, known_day=JUNE_2)) == {
        first.pk: "delayed",
        second.pk: "not_started",
        third.pk: "",
    }


def test_a_fact_entered_after_the_fact_shows_on_its_day_as_known_now_not_as_known_then(
    plan, kst, police, alice
):
    """The case of the issue: a measure that joined on 1 February 2016, with its status from
    1 May 2016, typed in today."""
    measure = Measure.objects.create(
        plan=plan, theme=kst, owner=police, title="Achteraf", joined_on=datetime.date(2016, 2, 1)
    )
    measure.log_progress(
        by=alice, text="Gestart", date=datetime.date(2016, 5, 1), status="in_progress"
    )

    assert statuses(AsOf(datetime.date(2016, 1, 31))) == {}
    assert statuses(AsOf(datetime.date(2016, 3, 1))) == {measure.pk: ""}
    assert statuses(AsOf(datetime.date(2016, 12, 31))) == {measure.pk: "in_progress"}
    # As known at the end of 2016 nothing of it had been recorded.
    assert statuses(AsOf(datetime.date(2016, 12, 31), known_day=datetime.date(2016, 12, 31))) == {}
    [update] = progress_on(AsOf(datetime.date(2016, 12, 31)))
    assert update.text == "Gestart"
    assert list(progress_on(AsOf(datetime.date(2016, 4, 30)))) == []


def test_a_back_dated_status_applies_from_its_day_and_overrides_what_was_recorded_before(
    plan, kst, police, alice
):
    measure = make_measure(
        plan, kst, police, "Terug", at(datetime.date(2014, 1, 1)), alice, status="in_progress"
    )
    measure.set_status(
        "completed",
        by=alice,
        on=datetime.date(2016, 1, 1),
        history_date=at(datetime.date(2016, 2, 1)),
    )
    measure.refresh_from_db()
    measure.set_status("delayed", by=alice, on=datetime.date(2015, 3, 1))  # recorded now

    assert statuses(AsOf(datetime.date(2015, 2, 28))) == {measure.pk: "in_progress"}
    assert statuses(AsOf(datetime.date(2015, 6, 1))) == {measure.pk: "delayed"}
    assert statuses(AsOf(datetime.date(2016, 6, 1))) == {measure.pk: "delayed"}
    # As known in the spring of 2016: in progress until 2016, then completed.
    spring = datetime.date(2016, 4, 1)
    assert statuses(AsOf(datetime.date(2015, 6, 1), known_day=spring)) == {
        measure.pk: "in_progress"
    }
    assert statuses(AsOf(spring, known_day=spring)) == {measure.pk: "completed"}


def test_the_end_of_the_day_is_amsterdam_time(plan, kst, police, alice):
    # 23:30 in Amsterdam on 1 June is 21:30 UTC: still that day.
    late = make_measure(plan, kst, police, "Laat", at(JUNE_1, 23, 30), alice)
    assert [r.id for r in measures_on(AsOf(JUNE_1, known_day=JUNE_1))] == [late.pk]


def test_two_records_with_one_timestamp_give_the_measure_once(plan, kst, police, alice):
    moment = at(JUNE_1, 9)
    measure = make_measure(plan, kst, police, "Dubbel", moment, alice)
    measure.set_status(MeasureStatus.COMPLETED, by=alice, on=JUNE_1, history_date=moment)
    assert len(list(Measure.history.as_of(end_of_day(JUNE_1)))) == 2  # the upstream pitfall
    records = shown_then(measures_on(AsOf(JUNE_1, known_day=JUNE_1)))
    assert [r.status for r in records] == [MeasureStatus.COMPLETED]


def test_a_deleted_measure_stays_in_what_was_known_before_its_deletion(programme, alice):
    first = programme[0]
    pk = first.pk
    dated(first, at(JUNE_1 + datetime.timedelta(3)), alice).delete()
    assert pk in {r.id for r in measures_on(AsOf(JUNE_1, known_day=JUNE_2))}
    assert pk not in {r.id for r in measures_on(AsOf(JUNE_1))}
    assert pk not in {r.id for r in records_at(Measure, None)}


def test_a_version_that_was_confidential_stays_hidden_though_the_measure_is_public_now(
    programme, vera, alice, bob
):
    second = programme[1]
    second.visibility = Visibility.CONFIDENTIAL
    dated(second, at(JUNE_1, 11), alice).save()
    second.visibility = Visibility.PUBLIC
    dated(second, at(JUNE_2, 11), alice).save()
    then = AsOf(JUNE_1, known_day=JUNE_1)
    assert second.pk not in {r.id for r in measures_on(then, user=vera)}
    assert second.pk in {r.id for r in measures_on(then, user=alice)}
    assert second.pk in {r.id for r in measures_on(then, user=bob)}  # the police own it
    assert second.pk in {r.id for r in measures_on(AsOf(JUNE_2), user=vera)}


def test_a_measure_confidential_now_hides_its_earlier_public_versions(programme, vera, alice):
    first = programme[0]
    first.refresh_from_db()
    first.visibility = Visibility.CONFIDENTIAL
    first.save()
    assert first.pk not in {r.id for r in measures_on(AsOf(JUNE_1, known_day=JUNE_1), user=vera)}
    assert first.pk in {r.id for r in measures_on(AsOf(JUNE_1, known_day=JUNE_1), user=alice)}


def test_the_version_recorded_at_a_moment(programme):
    first = programme[0]
    assert version_at(Measure, first.pk, end_of_day(JUNE_1)).status == "in_progress"
    assert version_at(Measure, first.pk, end_of_day(JUNE_1 - datetime.timedelta(1))) is None


def test_progress_as_it_was_known_then(programme, alice, django_assert_num_queries):
    first = programme[0]
    update = first.log_progress(by=alice, text="Oude tekst", date=JUNE_1)
    update.history.update(history_date=at(JUNE_1, 15))
    update.text = "Nieuwe tekst"
    dated(update, at(JUNE_2, 15), alice).save()
    then = AsOf(JUNE_1, known_day=JUNE_1)
    # 1 query: update records, of the measures in the programme then, with author
    with django_assert_num_queries(1):
        texts = [u.text for u in progress_on(then, user=alice)]
    assert texts == ["Oude tekst"]
    assert [u.text for u in progress_on(AsOf(JUNE_2), measures=[first.pk])] == ["Nieuwe tekst"]


def test_parse_as_of_reads_a_day_a_known_day_or_a_letter(alice):
    factory = RequestFactory()
    assert parse_as_of(factory.get("/")) is None
    as_of = parse_as_of(factory.get("/", {"as_of": "2015-06-01"}))
    assert (as_of.day, as_of.known) == (JUNE_1, None)
    as_of = parse_as_of(factory.get("/", {"as_of": "2015-06-01", "known": "2015-06-02"}))
    assert (as_of.day, as_of.known) == (JUNE_1, end_of_day(JUNE_2))
    assert as_of.query() == "as_of=2015-06-01&known=2015-06-02"
    letter = ProgressLetter.objects.create(date=JUNE_1, title="Voortgangsbrief")
    as_of = parse_as_of(factory.get("/", {"letter": str(letter.pk)}))
    assert (as_of.letter, as_of.day, as_of.known) == (letter, JUNE_1, None)  # a draft: now
    letter.mark_sent(by=alice, at=at(JUNE_2, 16))
    as_of = parse_as_of(factory.get("/", {"letter": str(letter.pk)}))
    assert as_of.known == at(JUNE_2, 16)  # the moment it was marked as sent


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as_of": "1-6-2015"}, "is geen datum"),
        ({"as_of": "2999-01-01"}, "ligt in de toekomst"),
        ({"as_of": "0001-01-01"}, "ligt vóór"),
        ({"as_of": "2015-06-01", "known": "2999-01-01"}, "ligt in de toekomst"),
        ({"letter": "999"}, "Er is geen brief"),
        ({"letter": "abc"}, "Er is geen brief"),
        ({"letter": "99999999999999999999999"}, "Er is geen brief"),
    ],
)
def test_parse_as_of_refuses_bad_input_clearly(params, message):
    with pytest.raises(InvalidAsOf) as refused:
        parse_as_of(RequestFactory().get("/", params))
    assert isinstance(refused.value, ValidationError)
    assert message in refused.value.messages[0]


def test_compare_lists_added_measures_status_changes_and_progress(programme, alice):
    first, second, third = programme
    first.refresh_from_db()
    first.log_progress(by=alice, text="Vertraagd door capaciteit", date=JUNE_2)
    comparison = compare(AsOf(JUNE_1), AsOf(JUNE_2), user=alice)
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
    comparison = compare(AsOf(JUNE_2), AsOf(JUNE_1), user=alice)
    assert comparison.start.day == JUNE_1
    assert [m.title for m in comparison.added] == ["Derde"]


def test_confidential_progress_only_for_coordinators_and_the_owner(programme, alice, bob, vera):
    first = programme[0]
    first.refresh_from_db()
    update = first.log_progress(by=alice, text="Vertrouwelijk", visibility=Visibility.CONFIDENTIAL)
    today = AsOf(timezone.localdate())
    assert [u.id for u in progress_on(today, user=alice)] == [update.pk]
    assert [u.id for u in progress_on(today, user=bob)] == [update.pk]  # police owns it
    assert list(progress_on(today, user=vera)) == []
