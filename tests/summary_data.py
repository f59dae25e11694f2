"""
Test data for the summaries, modelled on the progress letter of 1 June 2015: the KST plan with
its three action lines and measures, the KP indicator of suspects handed to the OM, the motion
Berndsen-Jansen and the commitment on prison sentences of the AO of 20 March 2014.

Every record is saved with a history date inside (or before) the period, as if it had been
entered at the time: `save_at(obj, moment)`.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from measures.models import (
    ActionLine,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    Indicator,
    IndicatorUnit,
    IndicatorValue,
    Measure,
    MeasureStatus,
    Plan,
    ProgressLetter,
    ProgressUpdate,
    Theme,
    UpdateState,
    Visibility,
)

START = datetime.date(2014, 9, 4)
END = datetime.date(2015, 6, 1)
HOSTILE = (
    '<script>alert("x")</script> & <w:p><w:r><w:t>injected</w:t></w:r></w:p> '
    "# [x](y) | * _ " + "W" * 500
)


def at(day, hour=12, minute=0):
    """Return an aware moment on `day` (Amsterdam time)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def save_at(obj, moment):
    """Save `obj` with a history record dated `moment` (never twice the same moment)."""
    obj._history_date = moment
    obj.save()
    del obj._history_date
    return obj


def add_at(obj, relation, items, moment):
    """Add to a many-to-many field with its history record dated `moment`."""
    obj._history_date = moment
    getattr(obj, relation).add(*items)
    del obj._history_date


def make_measure(plan, line, theme, owner, title, created, **fields):
    """A measure recorded at `created`, which (unless `joined_on` says otherwise) is also the
    day it joined the programme: the data is entered as it happens."""
    fields.setdefault("joined_on", timezone.localdate(created))
    measure = Measure(
        plan=plan,
        action_line=line,
        theme=theme,
        owner=owner,
        title=title,
        **fields,
    )
    return save_at(measure, created)


def make_update(measure, day, text, *, approved=True, minute=0, **fields):
    update = ProgressUpdate(
        measure=measure,
        date=day,
        text=text,
        state=UpdateState.APPROVED if approved else UpdateState.DRAFT,
        approved_at=at(day) if approved else None,
        **fields,
    )
    return save_at(update, at(day, 12, minute))


def set_status(measure, status, day, minute=30):
    """Record on `day` that the status changed that day."""
    measure.status = status
    measure.status_since = day
    if status == MeasureStatus.COMPLETED:
        measure.completed_date = day
    return save_at(measure, at(day, 12, minute))


@pytest.fixture
def kp(db):
    return Theme.objects.create(code="kp", name="Kinderpornografie", order=1)


@pytest.fixture
def letters(db, alice):
    previous = ProgressLetter.objects.create(
        date=datetime.date(2014, 9, 4),
        title="Voortgangsrapportage kinderpornografie en kindersekstoerisme",
        kamerstuk="31 015, nr. 104",
        period_start=datetime.date(2014, 3, 20),
        period_end=datetime.date(2014, 9, 4),
    )
    previous.mark_sent(by=alice, at=at(datetime.date(2014, 9, 4), 16))
    letter = ProgressLetter.objects.create(
        date=END,
        title="Voortgang aanpak kinderpornografie en kindersekstoerisme",
        kamerstuk="31 015, nr. 112",
        period_start=START,
        period_end=END,
        signed_by="G.A. van der Steur",
        signed_title="De Minister van Veiligheid en Justitie",
    )
    return {"previous": previous, "letter": letter}


@pytest.fixture
def letter_data(kp, kst, ministry, police, prosecution, letters):
    """The programme of the letter of 1 June 2015, with history dated as it happened."""
    plan = Plan(
        title="Plan van aanpak kindersekstoerisme",
        owner=ministry,
        start=datetime.date(2013, 10, 9),
        source_reference="31 015, nr. 93",
    )
    save_at(plan, at(datetime.date(2013, 10, 9)))
    plan.themes.add(kst)
    lines = {}
    for order, name in enumerate(
        ("Preventie", "Opsporing en vervolging", "Samenwerking nationaal en internationaal"), 1
    ):
        lines[order] = save_at(
            ActionLine(plan=plan, name=name, order=order), at(datetime.date(2013, 10, 9), 13, order)
        )
    created = at(datetime.date(2013, 11, 1))
    handbook = make_measure(
        plan,
        lines[1],
        kst,
        police,
        "Handboek kindersekstoerisme",
        created,
        status=MeasureStatus.IN_PROGRESS,
        source_reference="31 015, nr. 93",
    )
    make_update(
        handbook,
        datetime.date(2015, 2, 10),
        "Het handboek is verspreid onder alle eenheden.",
        next_steps="In 2015 volgt een training.",
        status=MeasureStatus.COMPLETED,
    )
    set_status(handbook, MeasureStatus.COMPLETED, datetime.date(2015, 2, 10))

    filo = make_measure(
        plan,
        lines[2],
        kst,
        police,
        "Tweede FILO in Bangkok",
        at(datetime.date(2013, 11, 2)),
        status=MeasureStatus.IN_PROGRESS,
    )
    make_update(filo, datetime.date(2014, 6, 1), "Oude voortgang van voor de periode.")
    make_update(
        filo,
        datetime.date(2014, 11, 3),
        "De tweede FILO is in Bangkok gestart.",
        next_steps="Evaluatie in 2016.",
    )
    make_update(
        filo, datetime.date(2015, 1, 5), "Conceptvoortgang nog niet goedgekeurd.", approved=False
    )
    make_update(
        filo,
        datetime.date(2015, 1, 6),
        "Goedgekeurd maar niet voor de brief.",
        include_in_letter=False,
    )
    make_update(
        filo,
        datetime.date(2015, 1, 7),
        "Vertrouwelijke voortgang over een bron.",
        visibility=Visibility.CONFIDENTIAL,
    )

    pilot = make_measure(
        plan,
        lines[3],
        kst,
        prosecution,
        "Samenwerkingspilot met NGO's",
        at(datetime.date(2014, 10, 1)),
        status=MeasureStatus.IN_PROGRESS,
    )
    make_update(
        pilot, datetime.date(2015, 3, 2), "De werkwijze is geborgd in het reguliere proces."
    )
    set_status(pilot, MeasureStatus.EMBEDDED, datetime.date(2015, 3, 2))

    toolkit = make_measure(
        plan,
        lines[3],
        kst,
        ministry,
        "Toolkit Aanpak Kindersekstoerisme",
        created.replace(hour=14),
        status=MeasureStatus.DELAYED,
        due_date=datetime.date(2015, 1, 1),
    )

    secret = make_measure(
        plan,
        lines[2],
        kst,
        police,
        "Geheime operatie Zuidoost-Azie",
        at(datetime.date(2014, 1, 1)),
        status=MeasureStatus.IN_PROGRESS,
        visibility=Visibility.CONFIDENTIAL,
    )
    make_update(secret, datetime.date(2015, 2, 2), "Vertrouwelijke stand van de operatie.")
    internal = make_measure(
        plan,
        lines[1],
        kst,
        ministry,
        "Interne evaluatie voorlichting",
        at(datetime.date(2014, 1, 2)),
        status=MeasureStatus.IN_PROGRESS,
        visibility=Visibility.INTERNAL,
    )
    make_update(internal, datetime.date(2015, 2, 3), "Interne notitie over de evaluatie.")

    suspects = Indicator.objects.create(
        name="Verdachten aangeleverd bij het OM",
        theme=kp,
        owner=police,
        default_source="Op basis van politiegegevens",
    )
    for year, target, realised in ((2012, 511, 522), (2013, 546, 568), (2014, 594, 560)):
        save_at(
            IndicatorValue(
                indicator=suspects, year=year, target=Decimal(target), realised=Decimal(realised)
            ),
            at(datetime.date(year + 1, 2, 1)),
        )
    spreading = Indicator.objects.create(
        name="Aandeel zaken met verspreiding",
        theme=kp,
        unit=IndicatorUnit.PERCENT,
        order=1,
        default_source="Op basis van politiegegevens",
    )
    for year, realised in ((2013, "20.7"), (2014, "30.8")):
        save_at(
            IndicatorValue(indicator=spreading, year=year, realised=Decimal(realised)),
            at(datetime.date(year + 1, 2, 2)),
        )

    sentences = save_at(
        Commitment(
            kind=CommitmentKind.COMMITMENT,
            title="Gemiddelde duur opgelegde vrijheidsstraf in kinderpornografiezaken",
            text="Ingaan op de gemiddelde duur van vrijheidsstraffen in kinderpornografiezaken.",
            made_at="AO van 20 maart 2014",
            made_on=datetime.date(2014, 3, 20),
            kamerstuk="31 015, nr. 102",
            deadline_text="in de volgende voortgangsrapportage",
            due_date=datetime.date(2014, 9, 4),
        ),
        at(datetime.date(2014, 3, 21)),
    )
    add_at(sentences, "measures", [handbook], at(datetime.date(2014, 3, 21), 13))
    sentences.status = CommitmentStatus.FULFILLED
    sentences.fulfilled_by = letters["letter"]
    sentences.fulfilled_on = END
    save_at(sentences, at(END, 10))
    motion = save_at(
        Commitment(
            kind=CommitmentKind.MOTION,
            number="31 015, nr. 105",
            title="Motie Berndsen-Jansen over een financiële bijdrage aan Interpol",
            text="Verzoekt de regering een financiële bijdrage aan Interpol te leveren.",
            made_by="Berndsen-Jansen (D66)",
            made_on=datetime.date(2014, 10, 1),
            kamerstuk="31 015, nr. 105",
            due_date=datetime.date(2015, 6, 1),
        ),
        at(datetime.date(2014, 10, 2)),
    )
    add_at(motion, "measures", [filo], at(datetime.date(2014, 10, 2), 12, 5))
    motion.status = CommitmentStatus.FULFILLED
    motion.fulfilled_on = datetime.date(2015, 5, 1)
    motion.fulfilment_note = "Nederland draagt € 2.000.000 bij aan Interpol."
    save_at(motion, at(datetime.date(2015, 5, 1)))
    open_one = save_at(
        Commitment(
            title="Evaluatie van de liaisons",
            text="De evaluatie van de inzet van de liaisons aan de Kamer sturen.",
            made_on=datetime.date(2014, 10, 1),
            due_date=datetime.date(2015, 4, 1),
        ),
        at(datetime.date(2014, 10, 2), 13),
    )
    return {
        "plan": plan,
        "lines": lines,
        "handbook": handbook,
        "filo": filo,
        "pilot": pilot,
        "toolkit": toolkit,
        "secret": secret,
        "internal": internal,
        "suspects": suspects,
        "sentences": sentences,
        "motion": motion,
        "open": open_one,
        **letters,
    }
