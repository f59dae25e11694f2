"""The database refuses rows that break the rules, whatever path writes them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from measures.models import (
    Commitment,
    CommitmentLink,
    CommitmentStatus,
    Indicator,
    IndicatorUnit,
    IndicatorValue,
    Measure,
    Plan,
    ProgressLetter,
)

D = datetime.date


def refused(save):
    with pytest.raises(IntegrityError), transaction.atomic():
        save()


def test_a_measure_due_before_it_starts_is_refused(measure):
    measure.start_date, measure.due_date = D(2015, 6, 1), D(2015, 1, 1)
    refused(measure.save)
    with pytest.raises(ValidationError) as error:
        measure.full_clean()
    assert "due_date" in error.value.message_dict


def test_a_measure_completed_before_it_starts_is_refused(measure):
    measure.start_date, measure.completed_date = D(2015, 6, 1), D(2015, 1, 1)
    refused(measure.save)


def test_a_negative_budget_is_refused(measure):
    measure.budget_eur = Decimal("-1")
    refused(measure.save)


def test_an_unknown_status_is_refused(measure):
    measure.status = "bijna klaar"
    refused(measure.save)


def test_an_action_line_of_another_plan_is_refused_by_validation(measure, ministry):
    other = Plan.objects.create(title="Ander plan", owner=ministry)
    line = other.action_lines.create(name="Preventie", order=1)
    measure.action_line = line
    with pytest.raises(ValidationError) as error:
        measure.full_clean()
    assert "action_line" in error.value.message_dict


def test_a_plan_ending_before_it_starts_is_refused(ministry):
    refused(lambda: Plan.objects.create(title="x", start=D(2016, 1, 1), end=D(2015, 1, 1)))


def test_a_letter_period_out_of_order_is_refused(db):
    refused(
        lambda: ProgressLetter.objects.create(
            date=D(2015, 6, 1), title="x", period_start=D(2015, 6, 1), period_end=D(2014, 9, 1)
        )
    )


def test_a_sent_letter_needs_its_sending_time(db):
    refused(lambda: ProgressLetter.objects.create(date=D(2015, 6, 1), title="x", status="sent"))


@pytest.fixture
def suspects(kst):
    return Indicator.objects.create(name="Verdachten aangeleverd bij het OM", theme=kst)


def test_one_value_per_indicator_and_period(suspects):
    IndicatorValue.objects.create(indicator=suspects, year=2014, target=594, realised=560)
    refused(lambda: IndicatorValue.objects.create(indicator=suspects, year=2014, realised=1))
    # a quarter or a breakdown of the same year is another period
    IndicatorValue.objects.create(indicator=suspects, year=2014, quarter=1, realised=100)
    IndicatorValue.objects.create(indicator=suspects, year=2014, breakdown="KLPD", realised=10)


def test_negative_figures_are_refused(suspects):
    refused(lambda: IndicatorValue.objects.create(indicator=suspects, year=2014, realised=-1))
    refused(lambda: IndicatorValue.objects.create(indicator=suspects, year=2015, target=-5))


def test_a_quarter_outside_one_to_four_is_refused(suspects):
    refused(lambda: IndicatorValue.objects.create(indicator=suspects, year=2014, quarter=5))


def test_a_percentage_above_100_is_refused_by_validation(kst):
    share = Indicator.objects.create(name="Aandeel", theme=kst, unit=IndicatorUnit.PERCENT)
    value = IndicatorValue(indicator=share, year=2014, realised=Decimal("130.8"))
    with pytest.raises(ValidationError) as error:
        value.full_clean()
    assert "realised" in error.value.message_dict


def test_an_answered_commitment_needs_a_date(db):
    refused(
        lambda: Commitment.objects.create(
            title="x", text="x", status=CommitmentStatus.FULFILLED, fulfilled_on=None
        )
    )


def test_a_commitment_answered_before_it_was_made_is_refused(db):
    refused(
        lambda: Commitment.objects.create(
            title="x",
            text="x",
            made_on=D(2015, 1, 1),
            status=CommitmentStatus.FULFILLED,
            fulfilled_on=D(2014, 1, 1),
        )
    )


def test_a_commitment_cannot_link_to_itself(db):
    commitment = Commitment.objects.create(title="x", text="x")
    refused(
        lambda: CommitmentLink.objects.create(source=commitment, target=commitment, kind="repeats")
    )


def test_the_same_action_line_order_twice_in_a_plan_is_refused(plan, prevention):
    refused(lambda: plan.action_lines.create(name="Iets anders", order=prevention.order))


def test_a_completed_status_sets_and_a_reopened_status_clears_the_completion_date(measure, alice):
    measure.set_status("completed", by=alice, on=D(2016, 1, 5))
    assert measure.completed_date == D(2016, 1, 5)
    measure.set_status("in_progress", by=alice)
    assert measure.completed_date is None
    assert Measure.objects.get(pk=measure.pk).completed_date is None
