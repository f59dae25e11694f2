"""The coordinator's letter checklist: each step's state comes from the data, and each link opens
the list where the work is."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from measures.models import (
    Commitment,
    CommitmentKind,
    Indicator,
    IndicatorValue,
    LetterStatus,
    Measure,
    MeasureStatus,
    ProgressLetter,
    Visibility,
)
from measures.reports.checklist import letter_checklist
from tests.factories import make_measure

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def sent(alice, today):
    letter = ProgressLetter.objects.create(
        date=today - datetime.timedelta(days=60), title="Vorige voortgangsbrief"
    )
    letter.mark_sent(by=alice)
    return letter


def steps(user, today, last=None):
    return {step.key: step for step in letter_checklist(user, today, last).steps}


def test_a_programme_with_nothing_left_has_only_drafting_checking_and_sending_to_do(
    alice, measure, sent, today
):
    measure.log_progress(by=alice, text="Gedaan.", date=today, approved=True)
    checklist = letter_checklist(alice, today, sent)
    assert checklist.start == sent.date and checklist.end == today
    assert checklist.figures_year == today.year - 1
    done = {step.key: step.done for step in checklist.steps}
    assert done == {
        "progress": True,
        "review": True,
        "commitments": True,
        "figures": True,  # no indicators, so none without figures
        "draft": False,
        "checked": False,
        "sent": False,
    }
    assert checklist.next_step.key == "draft"
    assert checklist.next_step.link.url == (
        reverse("measures:letter_create") + f"?from={sent.date.isoformat()}&to={today.isoformat()}"
    )


def test_progress_counts_open_measures_without_progress_since_the_last_letter_per_owner(
    alice, bob, measure, sent, today, prosecution, police
):
    make_measure(like=measure, owner=prosecution, title="Bij het OM")
    make_measure(like=measure, owner=police, title="Tweede bij de politie")
    make_measure(like=measure, owner=police, title="Klaar", status=MeasureStatus.COMPLETED)
    make_measure(like=measure, owner=police, title="Bijgewerkt").log_progress(
        by=bob, text="Stap gezet.", date=today
    )
    step = steps(alice, today, sent)["progress"]
    assert not step.done
    assert step.link.count == 3
    assert [(link.text, link.count) for link in step.details] == [
        (police.abbreviation or police.name, 2),
        (prosecution.abbreviation or prosecution.name, 1),
    ]
    assert step.details[0].url == reverse("measures:list") + f"?stale=true&owner={police.pk}"


def test_progress_counts_only_the_measures_the_user_may_read(alice, carol, measure, sent, today):
    make_measure(
        like=measure, owner=measure.owner, title="Geheim", visibility=Visibility.CONFIDENTIAL
    )
    assert steps(alice, today, sent)["progress"].link.count == 2
    assert steps(carol, today, sent)["progress"].link.count == 1


def test_drafts_to_review_and_commitments_due_keep_their_steps_open(
    alice, bob, measure, sent, today
):
    measure.log_progress(by=bob, text="Concept.", date=today)  # a contributor's draft
    Commitment.objects.create(
        kind=CommitmentKind.COMMITMENT,
        title="Rapportage over de pilot",
        text="De minister zegt toe te rapporteren.",
        due_date=today - datetime.timedelta(days=1),
    )
    Commitment.objects.create(
        kind=CommitmentKind.COMMITMENT,
        title="Later",
        text="Na de volgende brief.",
        due_date=today + datetime.timedelta(days=30),
    )
    found = steps(alice, today, sent)
    assert not found["review"].done and found["review"].link.count == 1
    assert found["review"].link.url == reverse("measures:review")
    assert not found["commitments"].done and found["commitments"].link.count == 1
    assert found["commitments"].link.url == (
        reverse("measures:commitments") + f"?status=open&due_to={today.isoformat()}"
    )


def test_figures_are_missing_until_the_realised_total_of_last_year_is_entered(
    alice, kst, sent, today
):
    year = today.year - 1
    indicator = Indicator.objects.create(name="Meldingen", theme=kst)
    IndicatorValue.objects.create(indicator=indicator, year=year, target=10)  # a target only
    IndicatorValue.objects.create(indicator=indicator, year=year, breakdown="Politie", realised=4)
    step = steps(alice, today, sent)["figures"]
    assert not step.done and step.link.count == 1
    assert step.link.url == reverse("measures:indicators") + f"?missing={year}"
    IndicatorValue.objects.filter(breakdown="").update(realised=12)
    assert steps(alice, today, sent)["figures"].done


def test_a_draft_letter_counts_its_own_period_and_is_checked_until_the_programme_changes(
    alice, measure, sent, today
):
    draft = ProgressLetter.objects.create(
        date=today,
        title="Nieuwe voortgangsbrief",
        period_start=sent.date,
        period_end=today - datetime.timedelta(days=5),
    )
    checklist = letter_checklist(alice, today, sent)
    assert checklist.draft == draft
    assert checklist.end == draft.period_end
    found = {step.key: step for step in checklist.steps}
    assert found["draft"].done
    assert not found["checked"].done and "Not checked yet" in found["checked"].status
    assert found["sent"].link.url == reverse("measures:letter_send", args=[draft.pk])

    draft.mark_checked(by=alice)
    assert steps(alice, today, sent)["checked"].done

    measure.title = "Handboek kindersekstoerisme, herzien"
    measure.save_change(by=alice)
    checked = steps(alice, today, sent)["checked"]
    assert not checked.done
    assert "changed since" in checked.status


def test_a_draft_older_than_the_last_sent_letter_is_not_the_next_letter(alice, sent, today):
    ProgressLetter.objects.create(date=sent.date - datetime.timedelta(days=10), title="Oud")
    checklist = letter_checklist(alice, today, sent)
    assert checklist.draft is None


def test_a_sent_letter_cannot_be_checked(alice, sent):
    with pytest.raises(ValidationError, match="already been marked as sent"):
        sent.mark_checked(by=alice)
    assert ProgressLetter.objects.get(pk=sent.pk).checked_at is None
    assert sent.status == LetterStatus.SENT


def test_checking_writes_a_history_record_with_the_user_and_the_reason(alice, today):
    draft = ProgressLetter.objects.create(date=today, title="Concept")
    draft.mark_checked(by=alice)
    record = draft.history.latest()
    assert record.history_user == alice
    assert record.history_change_reason == "checked"
    assert record.checked_by_id == alice.pk
    assert Measure.objects.count() == 0
