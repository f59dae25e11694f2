"""The coordinator's own words in a letter: the builder hangs each passage at its place, a sent
letter is rebuilt with the words it was sent with, and every format shows them there."""

import datetime
import io

import pytest
from docx import Document
from lxml import html as lxml_html
from markdown_it import MarkdownIt
from pypdf import PdfReader

from measures.models import (
    ChangeReason,
    LetterPassage,
    MeasureStatus,
    Plan,
    passage_key,
)
from measures.reports.renderers.docx import render_docx
from measures.reports.renderers.html import render_letter_html
from measures.reports.renderers.markdown import render_markdown
from measures.reports.renderers.pdf import render_pdf
from measures.reports.summary import letter_summary
from tests import summary_data
from tests.summary_data import END, START, at, make_measure, make_update, save_at

kp, letters, letter_data = summary_data.kp, summary_data.letters, summary_data.letter_data

ASSESSMENT = (
    "De doelstelling is *niet gerealiseerd*. **Desondanks ben ik tevreden** over:\n"
    "- de inzet van de politie;\n"
    "- de samenwerking met de NGO's."
)


def write(letter, key, text, by=None):
    passage = LetterPassage.for_key(letter, key)
    passage.text = text
    return passage.save_change(by=by, reason=ChangeReason.WORDS)


def words(letter_data, alice):
    """Write a passage at every kind of place of the letter of 1 June 2015."""
    letter, plan, lines = letter_data["letter"], letter_data["plan"], letter_data["lines"]
    texts = {
        "opening": "Hierbij ontvangt u de voortgangsbrief.",
        passage_key("theme", letter_data["handbook"].theme_id): "Over kindersekstoerisme.",
        passage_key("plan", plan.pk): "Het plan van aanpak loopt tot 2016.",
        passage_key("action_line", lines[2].pk): "Over opsporing en vervolging.",
        passage_key("measure", letter_data["handbook"].pk): "Het handboek is *klaar*.",
        "assessment": ASSESSMENT,
        "closing": "Ik houd uw Kamer op de hoogte.",
    }
    for key, text in texts.items():
        write(letter, key, text, by=alice)
    return texts


@pytest.fixture
def worded(letter_data, alice):
    texts = words(letter_data, alice)
    return letter_summary(letter_data["letter"]), texts


# --- The builder ------------------------------------------------------------------------------


def test_each_passage_lands_at_its_place(worded, letter_data):
    summary, texts = worded
    kst = summary.themes[1]

    assert summary.opening_passage.text == texts["opening"]
    assert summary.assessment.text == ASSESSMENT
    assert summary.closing_passage.text == texts["closing"]
    assert kst.passage.text == "Over kindersekstoerisme."
    assert summary.themes[0].passage is None
    assert [s.plan_passage and s.plan_passage.text for s in kst.action_lines] == [
        "Het plan van aanpak loopt tot 2016.",
        None,
        None,
    ]
    assert [s.passage and s.passage.text for s in kst.action_lines] == [
        None,
        "Over opsporing en vervolging.",
        None,
    ]
    handbook = next(m for m in summary.measures if m.id == letter_data["handbook"].pk)
    assert handbook.replacement.text == "Het handboek is *klaar*."
    assert [m.replacement for m in summary.measures if m is not handbook] == [None] * (
        len(summary.measures) - 1
    )


def test_an_emptied_passage_says_nothing(letter_data, alice):
    letter = letter_data["letter"]
    passage = write(letter, "assessment", "Eerst iets.", by=alice)
    passage.text = ""
    passage.save_change(by=alice, reason=ChangeReason.WORDS, expected_version=passage.version)

    assert letter_summary(letter).assessment is None


def test_a_measure_with_only_a_replacement_is_reported_not_named_among_the_quiet(
    letter_data, alice
):
    toolkit = letter_data["toolkit"]
    letter = letter_data["letter"]
    toolkit.status = MeasureStatus.IN_PROGRESS
    toolkit.due_date = None
    save_at(toolkit, at(datetime.date(2014, 1, 3)))
    before = letter_summary(letter)
    assert toolkit.pk in {m.id for line in before.themes[1].action_lines for m in line.quiet}

    write(letter, passage_key("measure", toolkit.pk), "De toolkit wordt herzien.", by=alice)

    after = letter_summary(letter)
    reported = {m.id for line in after.themes[1].action_lines for m in line.reported}
    assert toolkit.pk in reported


def test_a_sent_letter_is_rebuilt_with_the_words_recorded_when_it_was_sent(letter_data, alice):
    letter = letter_data["letter"]
    passage = LetterPassage.for_key(letter, "assessment")
    passage.text = "Zoals verzonden."
    passage.save_change(by=alice, history_date=at(END, 9))
    later = LetterPassage.for_key(letter, "closing")
    later.text = "Vastgelegd na het verzenden."
    later.save_change(by=alice)  # recorded now, after the moment the letter is sent below
    letter.mark_sent(by=alice, at=at(END, 16))

    summary = letter_summary(letter)

    assert summary.assessment.text == "Zoals verzonden."
    assert summary.closing_passage is None  # not known when it was sent
    assert letter_summary(letter, now=True).closing_passage.text == "Vastgelegd na het verzenden."


def test_reading_the_words_is_one_query_however_many_there_are(
    letter_data, alice, django_assert_num_queries
):
    letter = letter_data["letter"]
    with django_assert_num_queries(17) as without:
        letter_summary(letter)
    words(letter_data, alice)
    # the builder's 16 queries (no document is linked: the documents are not read) and 1 for
    # the letter's own words, with one passage or seven
    with django_assert_num_queries(len(without)):
        summary = letter_summary(letter)
    assert summary.assessment is not None


# --- Structure: plans without action lines ------------------------------------------------------


def test_a_plan_without_action_lines_is_its_own_section_named_by_the_plan(
    letter_data, kst, ministry, police, alice
):
    plan = letter_data["plan"]
    agenda = save_at(
        Plan(title="Veiligheidsagenda 2015-2018", short_title="Veiligheidsagenda", owner=ministry),
        at(datetime.date(2014, 10, 1)),
    )
    campaign = make_measure(agenda, None, kst, police, "Campagne", at(datetime.date(2014, 10, 2)))
    make_update(campaign, datetime.date(2015, 1, 8), "De campagne is gestart.")
    loose = make_measure(plan, None, kst, police, "Los actiepunt", at(datetime.date(2014, 10, 3)))
    make_update(loose, datetime.date(2015, 1, 9), "Het actiepunt loopt.")
    letter = letter_data["letter"]
    write(letter, passage_key("plan", agenda.pk), "De agenda is nieuw.", by=alice)

    summary = letter_summary(letter)
    sections = summary.themes[1].action_lines

    assert [s.name for s in sections] == [
        "Preventie (Plan van aanpak kindersekstoerisme)",
        "Opsporing en vervolging (Plan van aanpak kindersekstoerisme)",
        "Samenwerking nationaal en internationaal (Plan van aanpak kindersekstoerisme)",
        "Overige maatregelen (Plan van aanpak kindersekstoerisme)",
        "Veiligheidsagenda",
    ]
    assert [m.title for m in sections[3].measures] == ["Los actiepunt"]
    assert [m.title for m in sections[4].measures] == ["Campagne"]
    assert sections[4].plan_passage.text == "De agenda is nieuw."
    assert sections[4].action_line_id is None and sections[4].key is None
    html = render_letter_html(summary)
    assert "2.5 Veiligheidsagenda</h" in html
    assert html.index("De agenda is nieuw.") < html.index("Campagne")


def test_two_plans_without_action_lines_are_not_lumped_together(letter_data, kst, ministry):
    names = []
    for day, title in ((4, "Actieplan A"), (5, "Actieplan B")):
        plan = save_at(Plan(title=title, owner=ministry), at(datetime.date(2014, 10, day)))
        measure = make_measure(plan, None, kst, ministry, f"Maatregel van {title}", at(START, 9))
        make_update(measure, datetime.date(2015, 1, day), "Voortgang.")
        names.append(title)

    sections = letter_summary(letter_data["letter"]).themes[1].action_lines

    assert [s.name for s in sections[-2:]] == names
    assert [[m.title for m in s.measures] for s in sections[-2:]] == [
        ["Maatregel van Actieplan A"],
        ["Maatregel van Actieplan B"],
    ]


# --- Every format shows the words at their place ----------------------------------------------


def test_html_shows_each_passage_at_its_place_escaped(worded):
    summary, texts = worded
    page = render_letter_html(summary)
    root = lxml_html.fromstring(page)

    assessment = root.xpath('//section[@class="letter-assessment"]')[0]
    assert assessment.xpath("./h3")[0].text_content() == "3. Beoordeling"
    assert assessment.xpath(".//em")[0].text == "niet gerealiseerd"
    assert assessment.xpath(".//strong")[0].text == "Desondanks ben ik tevreden"
    assert [li.text_content() for li in assessment.xpath(".//ul/li")] == [
        "de inzet van de politie;",
        "de samenwerking met de NGO's.",
    ]
    # The order of the letter: opening, the themes, the assessment, the commitments, the closing.
    order = [
        page.index(texts["opening"]),
        page.index("Over kindersekstoerisme."),
        page.index("Het plan van aanpak loopt tot 2016."),
        page.index("Over opsporing en vervolging."),
        page.index("3. Beoordeling"),
        page.index("4. Toezeggingen en moties"),
        page.index(texts["closing"]),
        page.index("G.A. van der Steur"),
    ]
    assert order == sorted(order)
    # The coordinator's opening replaces the generated sentence; the footnote stays with it.
    assert "Met deze brief informeer ik uw Kamer" not in page
    opening = root.xpath('//div[@data-place="opening"]')[0]
    assert opening.xpath('.//sup[@class="note-ref"]')[0].text_content() == "1"
    # The replaced paragraph is the coordinator's; the generated progress is gone.
    assert "Het handboek is verspreid" not in page
    assert "<em>klaar</em>" in page


def shown(inline):
    """The text an inline token shows (its escapes resolved)."""
    return "".join(child.content for child in inline.children if child.type == "text")


def test_markdown_shows_the_assessment_as_its_own_section(worded):
    summary, _texts = worded
    tokens = MarkdownIt("commonmark").parse(render_markdown(summary))

    headings = [shown(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings.index("3. Beoordeling") == headings.index("4. Toezeggingen en moties") - 1
    start = next(
        i for i, t in enumerate(tokens) if t.type == "inline" and shown(t) == "3. Beoordeling"
    )
    inline = tokens[start + 3]  # heading_close, paragraph_open, inline
    kinds = [child.type for child in inline.children]
    assert "em_open" in kinds and "strong_open" in kinds
    assert inline.children[kinds.index("em_open") + 1].content == "niet gerealiseerd"
    after = tokens[start + 5 :]
    assert after[0].type == "bullet_list_open"
    items = [shown(t) for t in after if t.type == "inline"][:2]
    assert items == ["de inzet van de politie;", "de samenwerking met de NGO's."]


def test_word_shows_the_assessment_with_its_emphasis_and_list(worded):
    summary, texts = worded
    document = Document(io.BytesIO(render_docx(summary)))
    paragraphs = document.paragraphs
    texts_in_order = [p.text for p in paragraphs]

    heading = texts_in_order.index("3. Beoordeling")
    assert paragraphs[heading].style.name == "Heading 1"
    first = paragraphs[heading + 1]
    assert [(r.text, bool(r.italic), bool(r.bold)) for r in first.runs] == [
        ("De doelstelling is ", False, False),
        ("niet gerealiseerd", True, False),
        (". ", False, False),
        ("Desondanks ben ik tevreden", False, True),
        (" over:", False, False),
    ]
    assert [(p.style.name, p.text) for p in paragraphs[heading + 2 : heading + 4]] == [
        ("List Bullet", "de inzet van de politie;"),
        ("List Bullet", "de samenwerking met de NGO's."),
    ]
    assert paragraphs[heading + 4].text == "4. Toezeggingen en moties"
    signature = next(i for i, text in enumerate(texts_in_order) if "G.A. van der Steur" in text)
    assert texts_in_order.index(texts["closing"]) < signature
    assert "Met deze brief informeer ik" not in "\n".join(texts_in_order)


def test_pdf_shows_the_assessment_after_the_themes_and_before_the_commitments(worded):
    summary, _texts = worded
    reader = PdfReader(io.BytesIO(render_pdf(summary)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)

    assert "3. Beoordeling" in text
    position = text.index("3. Beoordeling")
    assert text.index("Kindersekstoerisme") < position < text.index("4. Toezeggingen en moties")
    assert text.index("niet gerealiseerd", position) < text.index("4. Toezeggingen")
    assert text.index("de samenwerking met de NGO", position) < text.index("4. Toezeggingen")


HOSTILE_WORDS = (
    '<script>alert("x")</script> & <w:p><w:t>injected</w:t></w:p>\n'
    "# Kop\n[link](javascript:x) | *nadruk* \\* ` <b>vet</b>\n\n"
    "- 1. genest\n- # geen kop"
)


def test_hostile_words_stay_text_in_every_format(letter_data, alice):
    letter = letter_data["letter"]
    write(letter, "assessment", HOSTILE_WORDS, by=alice)
    summary = letter_summary(letter)

    page = render_letter_html(summary)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>vet</b>" not in page

    tokens = MarkdownIt("commonmark").parse(render_markdown(summary))
    assert not any(t.type in ("html_block", "html_inline", "link_open") for t in tokens)
    assert not any(
        c.type in ("html_inline", "link_open") for t in tokens for c in (t.children or [])
    )
    headings = [shown(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert "Kop" not in headings and "geen kop" not in headings
    assert [t.type for t in tokens].count("ordered_list_open") == 0

    content = render_docx(summary)
    document = Document(io.BytesIO(content))
    assert any(
        p.text.startswith('<script>alert("x")</script> & <w:p>') for p in document.paragraphs
    )


def test_each_numbered_list_in_word_counts_from_one(letter_data, alice):
    letter = letter_data["letter"]
    write(letter, "assessment", "1. eerste\n2. tweede", by=alice)
    write(letter, "closing", "1. opnieuw een", by=alice)
    document = Document(io.BytesIO(render_docx(letter_summary(letter))))

    items = [p for p in document.paragraphs if p.style.name == "List Number"]
    num_ids = [p._p.pPr.numPr.numId.val for p in items]
    assert [p.text for p in items] == ["eerste", "tweede", "opnieuw een"]
    assert num_ids[0] == num_ids[1] != num_ids[2]
    numbering = document.part.numbering_part.element
    for num_id in {num_ids[0], num_ids[2]}:
        (start,) = numbering.num_having_numId(num_id).xpath(".//w:startOverride/@w:val")
        assert start == "1"
