"""Data for the view tests: a programme of measures with progress, letters and commitments."""

import datetime

import pytest
from django.utils import timezone

from measures.models import (
    Commitment,
    LetterStatus,
    MeasureStatus,
    ProgressLetter,
    Visibility,
)
from tests.factories import make_measure


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def sent_letter(alice, today):
    letter = ProgressLetter.objects.create(
        date=today - datetime.timedelta(days=60), title="Voortgangsbrief", status=LetterStatus.DRAFT
    )
    letter.mark_sent(by=alice)
    return letter


@pytest.fixture
def confidential(plan, prevention, kst, police):
    return make_measure(
        plan=plan,
        action_line=prevention,
        theme=kst,
        title="Vertrouwelijke opsporingsmaatregel",
        owner=police,
        status=MeasureStatus.IN_PROGRESS,
        visibility=Visibility.CONFIDENTIAL,
    )


@pytest.fixture
def programme(plan, prevention, kst, police, prosecution, alice, bob, sent_letter, today):
    """Return a function that adds `n` measures, each with two progress updates and a
    commitment, some overdue, some confidential, some without progress since the letter."""

    def make(n):
        measures = []
        for i in range(n):
            measure = make_measure(
                plan=plan,
                action_line=prevention,
                theme=kst,
                code=f"{i + 1}",
                title=f"Maatregel {i + 1}",
                description="Voorlichting aan reizigers",
                owner=police if i % 2 else prosecution,
                status=MeasureStatus.IN_PROGRESS if i % 3 else MeasureStatus.DELAYED,
                due_date=today + datetime.timedelta(days=(i % 5) * 30 - 60),
                visibility=Visibility.CONFIDENTIAL if i % 4 == 0 else Visibility.PUBLIC,
            )
            for days in (90 + i, 10 + (i % 70)):
                measure.log_progress(
                    by=bob if i % 2 else alice,
                    date=today - datetime.timedelta(days=days),
                    text=f"Voortgang {i} na {days} dagen",
                )
            commitment = Commitment.objects.create(
                title=f"Toezegging {i}",
                text="De minister informeert de Kamer",
                due_date=today + datetime.timedelta(days=i % 40),
            )
            commitment.measures.add(measure)
            measures.append(measure)
        return measures

    return make
