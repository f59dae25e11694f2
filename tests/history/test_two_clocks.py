"""The two clocks on the seed letters (issue 14): facts recorded after the fact count in their
period as known now, and never in a letter already sent; a sent letter stays what it was."""

import datetime
import io
import zipfile

import pytest
from django.contrib.auth import get_user_model

from measures.history.asof import AsOf, measures_on, shown_then
from measures.models import (
    Measure,
    MeasureStatus,
    Organisation,
    ProgressLetter,
    Visibility,
)
from measures.reports.renderers.docx import render_docx
from measures.reports.renderers.markdown import render_markdown
from measures.reports.summary import build_summary, corrections, letter_summary

pytestmark = pytest.mark.django_db

SEPTEMBER_2014, JUNE_2015 = datetime.date(2014, 9, 1), datetime.date(2015, 6, 1)
MARCH_1_2015 = datetime.date(2015, 3, 1)


@pytest.fixture(scope="module", autouse=True)
def _seeded(seeded_module):
    """The seed letters, loaded once for this module (tests/conftest.py)."""


@pytest.fixture
def coordinator(db):
    return get_user_model().objects.create_superuser("co", "co@example.org", "x")


def june_2015_letter():
    return ProgressLetter.objects.get(date=JUNE_2015)


def kst_measure_in(summary):
    """A measure of the letter of 1 June 2015 that was in progress throughout its period."""
    return next(
        m
        for m in summary.measures
        if m.status_start == MeasureStatus.IN_PROGRESS and m.status_end == MeasureStatus.IN_PROGRESS
    )


def test_a_back_dated_status_counts_in_its_period_as_known_now_not_in_the_letter_sent(
    coordinator,
):
    letter = june_2015_letter()
    entry = kst_measure_in(letter_summary(letter))
    measure = Measure.objects.get(pk=entry.id)

    measure.set_status(MeasureStatus.DELAYED, by=coordinator, on=MARCH_1_2015)

    now = {m.id: m for m in build_summary(SEPTEMBER_2014, JUNE_2015).measures}
    assert (now[measure.pk].status_start, now[measure.pk].status_end) == ("in_progress", "delayed")
    sent = {m.id: m for m in letter_summary(letter).measures}
    assert sent[measure.pk].status_end == "in_progress"
    # The pages say the same: on 1 June 2015 as known now, and as the letter saw it.
    assert shown_status(measure, AsOf(JUNE_2015)) == "delayed"
    assert shown_status(measure, AsOf(JUNE_2015, letter=letter)) == "in_progress"
    assert shown_status(measure, AsOf(datetime.date(2015, 2, 28))) == "in_progress"
    # And the letter's page lists the correction.
    (found,) = [(then, now) for then, now in corrections(letter).statuses if now.id == measure.pk]
    assert (found[0].status_end, found[1].status_end) == ("in_progress", "delayed")


def shown_status(measure, as_of):
    return {r.id: r.status for r in shown_then(measures_on(as_of))}[measure.pk]


def letter_texts(letter):
    """The Markdown of a sent letter and the text of its Word document (document.xml)."""
    summary = letter_summary(letter)
    with zipfile.ZipFile(io.BytesIO(render_docx(summary))) as docx:
        word = docx.read("word/document.xml")
    return render_markdown(summary).encode(), word


def test_a_sent_letter_is_byte_identical_after_its_measures_are_edited_deleted_hidden_and_re_owned(
    coordinator,
):
    letter = june_2015_letter()
    before = letter_texts(letter)
    reported = Measure.objects.filter(pk__in=[m.id for m in letter_summary(letter).measures])
    childless = reported.filter(children__isnull=True).order_by("pk")
    assert childless.count() >= 4
    edited, hidden, re_owned, deleted = childless[:4]

    edited.title = "Herschreven titel"
    edited.set_status(MeasureStatus.STOPPED, by=coordinator, on=datetime.date(2015, 1, 1))
    update = edited.updates.first()
    update.text = "Achteraf herschreven tekst"
    update.save()
    hidden.visibility = Visibility.CONFIDENTIAL
    hidden.save()
    re_owned.owner = Organisation.objects.exclude(pk=re_owned.owner_id).first()
    re_owned.save()
    owner = Organisation.objects.get(pk=deleted.owner_id)
    owner.name, owner.abbreviation = "Hernoemde organisatie", "HO"
    owner.save()
    deleted.commitments.clear()
    deleted.delete()

    assert letter_texts(letter) == before
    # As known now the letter's period reads differently: that is what corrections are for.
    assert render_markdown(build_summary(*letter.period)).encode() != before[0]


def test_the_next_draft_offers_the_corrections_in_every_format(coordinator):
    from docx import Document

    from measures.reports.renderers.html import render_letter_html

    letter = june_2015_letter()
    entry = kst_measure_in(letter_summary(letter))
    measure = Measure.objects.get(pk=entry.id)
    measure.set_status(MeasureStatus.DELAYED, by=coordinator, on=MARCH_1_2015)

    draft = build_summary(
        datetime.date(2015, 6, 2), datetime.date(2015, 12, 31), with_corrections=True
    )

    assert [c.letter.id for c in draft.corrections] == [letter.pk]
    sentence = (
        f"De status van «{entry.title}» in die periode was lopend → vertraagd, "
        "niet lopend zoals gemeld."
    )
    heading = "Aanvullingen en correcties op eerdere brieven"
    markdown = render_markdown(draft)
    assert heading in markdown and f"- {sentence}" in markdown.replace("\\", "")
    assert heading in render_letter_html(draft) and sentence in render_letter_html(draft)
    paragraphs = Document(io.BytesIO(render_docx(draft))).paragraphs
    [item] = [p for p in paragraphs if p.text == sentence]
    assert item.style.name == "List Bullet"
    assert any(p.text.endswith(heading) and p.style.name == "Heading 1" for p in paragraphs)
    # A letter rebuilt as sent offers nothing: corrections belong to the next draft.
    assert letter_summary(letter).corrections == []
