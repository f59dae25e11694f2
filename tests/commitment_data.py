"""
Test data for the commitments register, the indicators and the reminders, modelled on the letters:

- the AO (debate) of 20 March 2014: the minister promises to report on average prison sentences in
  child abuse material cases "in de volgende voortgangsrapportage" (read as 4 September 2014); the
  letter of 1 June 2015 answers it, late;
- the letter of 21 March 2016 promises the new child sex tourism plan "voor het zomerreces" (read
  as 1 July 2016); the letter of 6 September 2016 delivers it, late;
- the indicator "Interventies": 2015 target 600, realised 842.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from measures.models import (
    Commitment,
    CommitmentKind,
    Indicator,
    IndicatorUnit,
    IndicatorValue,
    LetterStatus,
    MadeAtKind,
    ProgressLetter,
)


def sent_letter(day, title, kamerstuk=""):
    return ProgressLetter.objects.create(
        date=day,
        title=title,
        kamerstuk=kamerstuk,
        status=LetterStatus.SENT,
        sent_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))),
    )


def letter_2015():
    return sent_letter(
        datetime.date(2015, 6, 1),
        "Voortgangsbrief aanpak kinderpornografie",
        kamerstuk="31 015, nr. 112",
    )


def letter_march_2016():
    return sent_letter(
        datetime.date(2016, 3, 21), "Voortgangsbrief kindersekstoerisme", "31 015, nr. 125"
    )


def letter_september_2016():
    return sent_letter(
        datetime.date(2016, 9, 6), "Plan van aanpak kindersekstoerisme 2016–2018", "31 015, nr. 131"
    )


def sentences_commitment(**extra):
    """The promise from the AO of 20 March 2014 on average prison sentences in KP cases."""
    fields = {
        "kind": CommitmentKind.COMMITMENT,
        "number": "T-2014-03",
        "title": "Gemiddelde strafmaat in kinderpornozaken",
        "text": "De minister informeert de Kamer over de gemiddelde opgelegde gevangenisstraf "
        "in kinderpornografiezaken.",
        "made_by": "Minister van Veiligheid en Justitie",
        "made_at_kind": MadeAtKind.DEBATE,
        "made_at": "AO kinderpornografie van 20 maart 2014",
        "made_on": datetime.date(2014, 3, 20),
        "kamerstuk": "31 015, nr. 101",
        "to_whom": "Tweede Kamer",
        "deadline_text": "in de volgende voortgangsrapportage",
        "due_date": datetime.date(2014, 9, 4),
    }
    fields.update(extra)
    return Commitment.objects.create(**fields)


def kst_plan_commitment(letter_made_in=None, **extra):
    """The promise in the letter of 21 March 2016 to offer the new KST plan before summer."""
    fields = {
        "kind": CommitmentKind.COMMITMENT,
        "number": "T-2016-07",
        "title": "Nieuw plan van aanpak kindersekstoerisme",
        "text": "De minister biedt het nieuwe plan van aanpak kindersekstoerisme aan.",
        "made_by": "Minister van Veiligheid en Justitie",
        "made_at_kind": MadeAtKind.LETTER,
        "made_at": "Voortgangsbrief van 21 maart 2016",
        "made_on": datetime.date(2016, 3, 21),
        "made_in_letter": letter_made_in,
        "kamerstuk": "31 015, nr. 125",
        "to_whom": "Tweede Kamer",
        "deadline_text": "voor het zomerreces",
        "due_date": datetime.date(2016, 7, 1),
    }
    fields.update(extra)
    return Commitment.objects.create(**fields)


def open_commitment(number, due_date, title=None, **extra):
    return Commitment.objects.create(
        number=number,
        title=title or f"Toezegging {number}",
        text="De minister zal de Kamer informeren.",
        made_on=datetime.date(2014, 1, 1),
        due_date=due_date,
        **extra,
    )


def interventions(theme, **extra):
    return Indicator.objects.create(
        name="Interventies", unit=IndicatorUnit.COUNT, theme=theme, **extra
    )


def value(indicator, year, target, realised, **extra):
    return IndicatorValue.objects.create(
        indicator=indicator,
        year=year,
        target=None if target is None else Decimal(target),
        realised=None if realised is None else Decimal(realised),
        **extra,
    )
