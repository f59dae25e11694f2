"""The draft for 1 September 2014 – 1 June 2015, built from the seeded letters, covers what the
letter of 1 June 2015 covers. Nothing of that letter is in the code: it all comes from the seed
fixture, and changing the data changes the draft (test_the_draft_follows_the_data_not_the_code)."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from docx import Document

from measures.models import (
    ActionLine,
    CommitmentStatus,
    IndicatorValue,
    LetterKind,
    Measure,
    ProgressLetter,
    TargetChange,
    Theme,
)
from measures.reports.renderers import figure_lines
from measures.reports.renderers.docx import render_docx
from measures.reports.renderers.markdown import render_markdown
from measures.reports.summary import (
    OUTCOME_FULFILLED,
    OUTCOME_LATE,
    build_summary,
    letter_summary,
)

pytestmark = pytest.mark.django_db

START, END = datetime.date(2014, 9, 1), datetime.date(2015, 6, 1)

KST_LINES = {
    "Preventie": ["Campagne tegen kindersekstoerisme «Don't Look Away»", "SOMEC-project"],
    "Strafrechtelijke aanpak": [
        "Handboek kindersekstoerisme (verbetering informatiepositie)",
        "Inzet liaisons en de strategische politiefunctionaris",
    ],
    "Samenwerking nationaal en internationaal": [
        "Strafrechtelijke samenwerking met bronlanden van kindersekstoerisme",
        "Samenwerking met NGO's",
    ],
}
MOTION = "Berndsen-Jansen"
SENTENCES = "Gemiddelde duur van vrijheidsstraffen in kinderpornografiezaken"
SUSPECTS = "Verdachten aangeleverd bij het OM"


@pytest.fixture(scope="module", autouse=True)
def _seeded(seeded_module):
    """The seed letters, loaded once for this module (tests/conftest.py)."""


@pytest.fixture
def summary():
    return build_summary(START, END)


def kst(summary):
    return next(theme for theme in summary.themes if theme.code == "kst")


def line_named(theme, start):
    return next(line for line in theme.action_lines if line.name.startswith(start))


def docx_text(content):
    document = Document(io.BytesIO(content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        texts += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(texts)


# --- The builder --------------------------------------------------------------------------------


def test_the_child_sex_tourism_measures_stand_under_their_three_action_lines(summary):
    theme = kst(summary)
    for line_start, titles in KST_LINES.items():
        line = line_named(theme, line_start)
        reported = [measure.title for measure in line.reported]
        for title in titles:
            assert title in reported
            measure = next(m for m in line.measures if m.title == title)
            assert measure.updates, f"{title} has no progress in the period"
            assert START <= measure.updates[-1].date <= END  # dated as the letter states


def test_the_action_lines_come_in_the_plans_order(summary):
    names = [line.name for line in kst(summary).action_lines]
    order = [next(i for i, n in enumerate(names) if n.startswith(s)) for s in KST_LINES]
    assert order == sorted(order)


def test_the_motion_berndsen_jansen_is_answered_but_not_called_timely(summary):
    """It had no deadline: the letter says it was answered, never that it was "tijdig"."""
    motion = next(c for c in summary.commitments if MOTION in c.title)
    assert motion.kind == "motie"
    assert motion.number == "29 628, nr. 494"
    assert motion.outcome != OUTCOME_FULFILLED
    assert "tijdig" not in motion.outcome_nl
    assert motion.fulfilled_on == datetime.date(2014, 12, 18)
    interpol = [m for m in summary.measures if MOTION in m.title]
    assert interpol and interpol[0].updates


def test_the_figures_on_suspects_show_target_594_and_560_realised_in_2014(summary):
    table = next(t for t in summary.figure_tables if t.title == SUSPECTS)
    row = next(r for r in table.rows if r.year == 2014)
    assert (row.target, row.realised) == (Decimal(594), Decimal(560))
    assert row.difference == Decimal(-34)


def test_the_commitment_on_prison_sentences_is_fulfilled_late(summary):
    commitment = next(c for c in summary.commitments if c.title == SENTENCES)
    assert commitment.status == CommitmentStatus.FULFILLED
    assert commitment.outcome == OUTCOME_LATE
    assert commitment.made_on == datetime.date(2014, 3, 20)
    assert commitment.fulfilled_on == END
    assert "135" in commitment.fulfilment_note


def test_the_draft_follows_the_progress_report_of_4_september_2014(summary):
    assert summary.previous_letter.date == datetime.date(2014, 9, 4)
    assert summary.previous_letter.kamerstuk == "31 015, nr. 104"


# --- The sent letter of 1 June 2015, rebuilt ------------------------------------------------------


@pytest.fixture
def letter_of_june_2015():
    letter = ProgressLetter.objects.get(date=END, kind=LetterKind.PROGRESS)
    assert letter.is_sent
    return letter_summary(letter)


def test_the_letter_of_june_2015_shows_percentage_of_target_in_its_tables(letter_of_june_2015):
    tables = {table.title: table for table in letter_of_june_2015.figure_tables}
    suspects = tables[SUSPECTS]
    assert [(r.year, r.percentage_of_target_text) for r in suspects.totals] == [
        (2010, "–"),
        (2012, "102,2 %"),
        (2013, "104,0 %"),
        (2014, "94,3 %"),
    ]
    # The interventions' first target (2015) has no realised figure yet in that letter.
    [interventions] = tables["Interventies"].rows
    assert (interventions.year, interventions.target_text) == (2015, "600")
    assert interventions.percentage_of_target_text == "–"
    text = render_markdown(letter_of_june_2015)
    assert "| Jaar | Streven | Gerealiseerd | Verschil | % van streven |" in text
    assert "| 2014 | 594 (+25 %) | 560 (+17,9 %) | -34 | 94,3 % |" in text


def test_the_letter_of_june_2015_writes_the_base_year_target_as_the_letter_does(
    letter_of_june_2015,
):
    """The letter: «De kwantitatieve doelstelling van 594 … (+25% ten opzichte van 2010)»; from the
    indicator's base year (2010: 475) and its target (+25 % in 2014) in the seed."""
    suspects = next(t for t in letter_of_june_2015.figure_tables if t.title == SUSPECTS)
    assert figure_lines(suspects)[0] == (
        "Doelstelling voor 2014: 594 (+25 % ten opzichte van 2010: 475)."
    )
    text = docx_text(render_docx(letter_of_june_2015))
    assert "Doelstelling voor 2014: 594 (+25 % ten opzichte van 2010: 475)." in text
    assert "Toelichting 2014, begin 2015 herkenbaar in de OM-systemen:" in text


def test_the_letter_of_2010_shows_the_polices_quarters_with_three_units_and_the_total():
    """The 2010 letter's table of cases per quarter: Regio's, BR-en, KLPD and the total."""
    letter = ProgressLetter.objects.get(date=datetime.date(2010, 7, 1))
    summary = letter_summary(letter)
    table = next(t for t in summary.figure_tables if t.title.startswith("Kinderpornozaken in"))

    first_of_2010 = [row for row in table.rows if (row.year, row.quarter) == (2010, 1)]
    assert [(row.breakdown, row.realised) for row in first_of_2010] == [
        ("", Decimal(779)),
        ("Regio's", Decimal(414)),
        ("BR-en", Decimal(209)),
        ("KLPD", Decimal(156)),
    ]
    assert len(table.rows) == 5 * 4  # four quarters of 2009 and the first of 2010
    text = render_markdown(summary)
    assert "| 1e kwartaal 2010 | n.v.t. | 779 | – | – |" in text
    assert "| 1e kwartaal 2010: KLPD | n.v.t. | 156 | – | – |" in text


# --- The rendered letter ------------------------------------------------------------------------


@pytest.mark.parametrize("render", ["markdown", "docx"])
def test_the_rendered_letter_says_all_of_it(summary, render):
    if render == "markdown":
        text = render_markdown(summary).replace("\\", "")
    else:
        text = docx_text(render_docx(summary))
    for line_start, titles in KST_LINES.items():
        assert line_start in text
        for title in titles:
            assert title in text
    assert "Motie Berndsen-Jansen (D66): financiële bijdrage aan Interpol" in text
    assert re.search(r"2014 \| 594 \(\+25 %\) \| 560 \(\+17,9 %\) \| -34 \| 94,3 %", text)
    assert SENTENCES in text
    assert "Stand: later beantwoord dan toegezegd op 1 juni 2015" in text
    assert "vorige voortgangsbrief van 4 september 2014" in text
    assert "Over deze periode is geen voortgang gemeld" not in text


def test_the_word_letter_has_the_suspects_chart_with_its_numbers_as_alt_text(summary):
    content = render_docx(summary)
    document = Document(io.BytesIO(content))
    descriptions = [
        element.get("descr")
        for element in document.element.body.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        )
    ]
    assert any(
        SUSPECTS in text and "2014: streven 594, gerealiseerd 560" in text for text in descriptions
    )


# --- Nothing of the letter in the code: change the data and the draft follows -------------------


def test_the_draft_follows_the_data_not_the_code():
    """Rename an action line and a measure and change a figure: the draft and both rendered
    letters say the new words and numbers, and none of the old ones."""
    theme = Theme.objects.get(code="kst")
    for line in ActionLine.objects.filter(plan__themes=theme, name="Preventie"):
        line.name = "Voorkomen"
        line.save()
    measure = Measure.objects.get(title=KST_LINES["Preventie"][1])
    measure.title = "Project Zuidoost-Azië"
    measure.save()
    value = IndicatorValue.objects.get(indicator__name=SUSPECTS, year=2014, target=594)
    value.target = 612
    value.save()
    indicator = value.indicator  # its base-year target: 475 + 137 is 612
    indicator.target_change, indicator.target_change_unit = 137, TargetChange.VALUE
    indicator.save()

    summary = build_summary(START, END)
    names = [line.name for line in kst(summary).action_lines]
    assert "Voorkomen (PvA KST 2013)" in names
    assert not any(name.startswith("Preventie") for name in names)
    reported = [m.title for m in line_named(kst(summary), "Voorkomen").reported]
    assert "Project Zuidoost-Azië" in reported and KST_LINES["Preventie"][1] not in reported
    table = next(t for t in summary.figure_tables if t.title == SUSPECTS)
    row = next(r for r in table.rows if r.year == 2014)
    assert (row.target, row.difference) == (Decimal(612), Decimal(-52))

    for text in (render_markdown(summary).replace("\\", ""), docx_text(render_docx(summary))):
        assert "Voorkomen" in text and "Preventie" not in text
        assert "Project Zuidoost-Azië" in text
        assert re.search(r"2014 \| 612 \(\+137\) \| 560 \(\+17,9 %\) \| -52", text)
        assert "Doelstelling voor 2014: 612 (+137 ten opzichte van 2010: 475)." in text
        assert "594" not in text
