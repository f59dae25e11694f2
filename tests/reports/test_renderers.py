"""The renderers: Word, PDF, Markdown and HTML format the summary and nothing user-written can
break out of its place."""

import io
import re
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from markdown_it import MarkdownIt
from pypdf import PdfReader

from measures.models import ProgressUpdate
from measures.reports.renderers.docx import Blocks, paragraph_xml, render_docx, run_xml
from measures.reports.renderers.html import render_letter_html
from measures.reports.renderers.markdown import escape, render_markdown
from measures.reports.renderers.pdf import STATIC_PREFIX, StaticOnlyFetcher, render_pdf
from measures.reports.summary import build_summary, letter_summary
from tests import summary_data
from tests.summary_data import END, HOSTILE, START, at, save_at

kp, letters, letter_data = summary_data.kp, summary_data.letters, summary_data.letter_data

HOSTILE_TITLE = '<script>alert("x")</script> & <w:p><w:t>injected</w:t></w:p> # [x](y) | * _'
LONG_WORD = "W" * 500


@pytest.fixture
def summary(letter_data):
    letter = letter_data["letter"]
    return letter_summary(letter)


@pytest.fixture
def hostile_summary(letter_data):
    """The letter's data with hostile text in a title, a progress text, next steps, a
    commitment, an indicator's name and the signatory."""
    moment = at(END, 8)
    handbook = letter_data["handbook"]
    handbook.title = HOSTILE_TITLE
    save_at(handbook, moment)
    update = ProgressUpdate.objects.get(measure=handbook)
    update.text = HOSTILE
    update.next_steps = "# Kop\n- lijst\n1. nummer <b>vet</b>"
    save_at(update, moment.replace(minute=1))
    commitment = letter_data["motion"]
    commitment.title = HOSTILE_TITLE
    commitment.fulfilment_note = HOSTILE
    commitment.kamerstuk = "<w:footnote>31 015</w:footnote> & nr. 1"
    save_at(commitment, moment.replace(minute=2))
    indicator = letter_data["suspects"]
    indicator.name = HOSTILE_TITLE
    indicator.save()
    letter = letter_data["letter"]
    letter.signed_by = "<w:p>Minister & co</w:p>"
    letter.save()
    return letter_summary(letter)


# --- Word --------------------------------------------------------------------------------------


def docx_xml(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("word/document.xml").decode(), archive.read("word/styles.xml").decode()


def docx_footnotes(content):
    """Return the texts of the real footnotes, in order, from word/footnotes.xml."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "footnotes.xml" in archive.read("word/_rels/document.xml.rels").decode()
        root = etree.fromstring(archive.read("word/footnotes.xml"))
    return [
        "".join(note.itertext()).strip()
        for note in root.iter(qn("w:footnote"))
        if note.get(qn("w:type")) is None
    ]


def test_word_has_real_numbered_headings_per_theme_and_action_line(summary):
    document = Document(io.BytesIO(render_docx(summary)))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name != "Normal"]

    # The title is the frame's subject ("Betreft"), not a heading of its own.
    assert "Betreft\tVoortgang aanpak kinderpornografie en kindersekstoerisme" in [
        p.text for p in document.paragraphs
    ]
    assert ("Heading 1", "1. Kinderpornografie") in headings
    assert ("Heading 1", "2. Kindersekstoerisme") in headings
    assert ("Heading 2", "2.1 Preventie") in headings
    assert ("Heading 2", "2.3 Samenwerking nationaal en internationaal") in headings
    assert ("Heading 3", "Handboek kindersekstoerisme") in headings
    assert ("Heading 1", "3. Toezeggingen en moties") in headings


def test_word_tables_repeat_their_header_row_and_show_dutch_numbers(summary):
    document = Document(io.BytesIO(render_docx(summary)))
    frame, table, second = document.tables[:3]  # the frame's addressee and references first

    assert frame.rows[0]._tr.trPr is None  # the frame has no header row
    header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None and header.get(qn("w:val")) == "true"
    assert [c.text for c in table.rows[0].cells][:3] == ["Jaar", "Streven", "Gerealiseerd"]
    assert [c.text for c in table.rows[-1].cells] == ["2014", "594", "560", "-34", "94,3 %"]
    assert [c.text for c in second.rows[-1].cells][2] == "30,8 %"


def test_word_puts_each_figure_tables_chart_under_it_with_alt_text(summary):
    content = render_docx(summary)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        images = [name for name in archive.namelist() if name.startswith("word/media/")]
        assert all(archive.read(name).startswith(b"\x89PNG") for name in images)
    assert len(images) == len(summary.figure_tables) > 0
    document_xml, _ = docx_xml(content)
    root = etree.fromstring(document_xml.encode())
    wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    descriptions = [pr.get("descr") for pr in root.iter(f"{{{wp}}}docPr")]
    shape_ids = [pr.get("id") for pr in root.iter(f"{{{wp}}}docPr")]
    assert len(set(shape_ids)) == len(shape_ids) == len(images)
    suspects = summary.figure_tables[0]
    assert descriptions[0] == (
        f"Grafiek bij tabel 1, {suspects.title}: gerealiseerd tegenover streven per jaar. "
        "2012: streven 511, gerealiseerd 522; 2013: streven 546, gerealiseerd 568; "
        "2014: streven 594, gerealiseerd 560."
    )
    body = root.find(qn("w:body"))
    kinds = [child.tag for child in body]
    first_table = kinds.index(qn("w:tbl"))
    # table, its source line, then the paragraph with the picture
    assert "drawing" in etree.tostring(body[first_table + 2]).decode()
    assert kinds[-1] == qn("w:sectPr")  # the section's properties stay last in the body


def test_word_runs_write_tabs_and_line_breaks_as_python_docx_does():
    document = Document()
    blocks = Blocks(document)
    texts = ["plain", " spaced ", "tab\there", "one\ntwo\r\nthree", "\t", "", "a ]]> & <w:t>"]
    for text in texts:
        ours = blocks.paragraph().add_run(text)
        theirs = document.add_paragraph().add_run(text)
        assert ours._r.xml == theirs._r.xml
        theirs.bold = True
        blocks.xml([paragraph_xml(run_xml(text, "<w:b/>"))])
        (written,) = document.element.body[-2]  # before the section's properties
        assert written.xml == theirs._r.xml


def test_rendering_word_does_not_query(summary, django_assert_num_queries):
    with django_assert_num_queries(0):
        render_docx(summary)


def test_word_is_a_dutch_letter_with_date_notes_and_closing(summary):
    content = render_docx(summary)
    document_xml, styles_xml = docx_xml(content)
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)

    assert 'w:lang w:val="nl-NL"' in styles_xml
    assert "Datum\t1 juni 2015" in text
    assert "vorige voortgangsbrief van 4 september 2014" in text
    assert "De Minister van Veiligheid en Justitie,\nG.A. van der Steur" in text
    assert document_xml.count("<w:footnoteReference ") == 4
    assert docx_footnotes(content) == [
        "Kamerstuk 31 015, nr. 104.",
        "Kamerstuk 31 015, nr. 93.",
        "Kamerstuk 31 015, nr. 102.",
        "Kamerstuk 31 015, nr. 105.",
    ]
    assert "Stand: later beantwoord dan toegezegd op 1 juni 2015 met deze brief." in text


def test_a_draft_names_the_letter_that_answered_a_commitment(letter_data):
    text = render_markdown(build_summary(START, END))

    assert (
        "Stand: later beantwoord dan toegezegd op 1 juni 2015 met de brief "
        "«Voortgang aanpak kinderpornografie en kindersekstoerisme».*"
    ) in text


def test_word_leaves_out_confidential_and_internal_measures(summary):
    document_xml, _ = docx_xml(render_docx(summary))

    assert "Geheime operatie" not in document_xml
    assert "Interne evaluatie" not in document_xml
    assert "Vertrouwelijke" not in document_xml


def test_word_writes_hostile_text_as_text(hostile_summary):
    content = render_docx(hostile_summary)
    document_xml, _ = docx_xml(content)
    document = Document(io.BytesIO(content))

    assert "&lt;w:p&gt;&lt;w:t&gt;injected&lt;/w:t&gt;&lt;/w:p&gt;" in document_xml
    assert not re.search(r"<w:t[^>]*>injected</w:t>", document_xml)
    assert "&lt;script&gt;" in document_xml and "<script>" not in document_xml
    texts = [p.text for p in document.paragraphs]
    assert HOSTILE_TITLE in texts
    assert docx_footnotes(content)[-1] == "<w:footnote>31 015</w:footnote> & nr. 1"
    assert any(LONG_WORD in t for t in texts)
    assert any("<w:p>Minister & co</w:p>" in t for t in texts)


def test_word_keeps_a_measures_text_exactly_but_for_control_characters(letter_data):
    moment = at(END, 8)
    handbook = letter_data["handbook"]
    handbook.title = "A ]]> <![CDATA[b]]> &amp;\x01 <w:t>c</w:t>\td"
    save_at(handbook, moment)
    update = ProgressUpdate.objects.get(measure=handbook)
    update.text = "Tekst ]]> & <w:br/>\x07 \"q\" 'r'"
    update.next_steps = "Later ]]>\x1f <w:b/>"
    save_at(update, moment.replace(minute=1))
    letter = letter_data["letter"]
    content = render_docx(letter_summary(letter))
    paragraphs = Document(io.BytesIO(content)).paragraphs
    texts = [p.text for p in paragraphs]

    assert ("Heading 3", "A ]]> <![CDATA[b]]> &amp; <w:t>c</w:t>\td") in [
        (p.style.name, p.text) for p in paragraphs
    ]
    assert any(text.endswith(" – Tekst ]]> & <w:br/> \"q\" 'r'") for text in texts)
    assert "Vervolg: Later ]]> <w:b/>" in texts
    assert len(docx_footnotes(content)) == 4


# --- PDF ---------------------------------------------------------------------------------------


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_pdf_has_the_headings_figures_and_commitments(summary):
    content = render_pdf(summary)
    text = pdf_text(content)

    assert content.startswith(b"%PDF")
    for expected in (
        "2. Kindersekstoerisme",
        "2.1 Preventie",
        "Handboek kindersekstoerisme",
        "Verdachten aangeleverd bij het OM",
        "30,8 %",
        "94,3 %",
        "Datum 1 juni 2015",
        "Toezeggingen en moties",
        "Kamerstuk 31 015, nr. 93.",
        "G.A. van der Steur",
    ):
        assert expected in text, expected
    assert "Geheime operatie" not in text
    assert "Vertrouwelijke" not in text


def test_pdf_is_tagged_and_dutch(summary):
    reader = PdfReader(io.BytesIO(render_pdf(summary)))
    root = reader.trailer["/Root"]

    assert root["/Lang"] == "nl"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == "Voortgang aanpak kinderpornografie en kindersekstoerisme"


def test_pdf_shows_hostile_text_as_text(hostile_summary):
    text = pdf_text(render_pdf(hostile_summary))

    assert '<script>alert("x")</script>' in text
    assert "<w:p><w:t>injected</w:t></w:p>" in text


def test_the_pdf_fetcher_serves_our_static_files_only(settings):
    fetcher = StaticOnlyFetcher()

    response = fetcher.fetch(STATIC_PREFIX + "css/tracker.css")
    assert b"--tracker-blue" in response.read()
    for url in (
        "https://example.org/x.css",
        "file:///etc/passwd",
        STATIC_PREFIX + "../../etc/passwd",
        "http://127.0.0.1:8000/admin/",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


# --- Markdown ----------------------------------------------------------------------------------


def test_markdown_has_the_letter_structure(summary):
    text = render_markdown(summary)
    headings = [line for line in text.splitlines() if line.startswith("#")]

    assert headings[:3] == [
        "# Voortgang aanpak kinderpornografie en kindersekstoerisme",
        "## 1\\. Kinderpornografie",
        "## 2\\. Kindersekstoerisme",
    ]
    assert "### 2.1 Preventie" in headings
    assert "#### Handboek kindersekstoerisme[^2]" in headings
    assert "| 2014 | 594 | 560 | -34 | 94,3 % |" in text
    assert "[^2]: Kamerstuk 31 015, nr. 93." in text
    assert "Geheime operatie" not in text


def test_markdown_escapes_user_text_so_it_cannot_make_structure(hostile_summary):
    text = render_markdown(hostile_summary)
    lines = text.splitlines()

    assert not [line for line in lines if "<script>" in line or "<w:p>" in line]
    assert "\\[x\\](y)" in text
    title_line = next(line for line in lines if "alert" in line and line.startswith("####"))
    assert title_line.startswith("#### \\<script\\>")
    assert " \\# \\[x\\](y) \\| \\* \\_" in title_line
    assert "**Vervolg:** \\# Kop - lijst 1. nummer \\<b\\>vet\\</b\\>" in text
    table_rows = [line for line in lines if line.startswith("| ")]
    assert all(line.count(" | ") == 4 for line in table_rows)
    assert LONG_WORD in text


def test_markdown_parsed_as_commonmark_has_only_our_structure(summary, hostile_summary):
    """Parse both drafts with a CommonMark parser (with tables): the hostile one has the same
    headings, tables and no HTML, links, emphasis or lists of its own."""
    parser = MarkdownIt("commonmark").enable("table")

    def structure(text):
        tokens = parser.parse(text)
        inline = [child.type for t in tokens if t.children for child in t.children]
        return {
            "headings": [t.tag for t in tokens if t.type == "heading_open"],
            "tables": sum(t.type == "table_open" for t in tokens),
            "rows": sum(t.type == "tr_open" for t in tokens),
            "blocks": sorted({t.type for t in tokens}),
            "html": [t for t in tokens if t.type.startswith("html")]
            + [c for c in inline if c.startswith("html")],
            "links": [c for c in inline if c == "link_open"],
        }

    plain, hostile = (
        structure(render_markdown(summary)),
        structure(render_markdown(hostile_summary)),
    )
    assert hostile == plain
    assert hostile["html"] == [] and hostile["links"] == []
    assert "bullet_list_open" not in hostile["blocks"]
    assert "ordered_list_open" not in hostile["blocks"]
    assert hostile["tables"] == 2 and hostile["rows"] == 7
    html = parser.render(render_markdown(hostile_summary))
    assert "&lt;script&gt;alert" in html and "<script" not in html


def test_markdown_escape_neutralises_line_starts():
    assert escape("- item") == "\\- item"
    assert escape("1. item") == "1\\. item"
    assert escape("a\n\n# b") == "a \\# b"


# --- HTML --------------------------------------------------------------------------------------


def render_body(summary):
    return render_letter_html(summary, top=2)


def test_html_has_the_letter_structure(summary):
    html = render_body(summary)

    assert '<article class="summary-letter" lang="nl"' in html
    assert '<h3 class="h4">2. Kindersekstoerisme</h3>' in html
    assert '<h4 class="h5">2.1 Preventie</h4>' in html
    assert "<caption>Tabel 1: Verdachten aangeleverd bij het OM</caption>" in html
    assert '<th scope="col">Gerealiseerd</th>' in html
    assert "<td>94,3 %</td>" in html
    assert '<li id="note-2">Kamerstuk 31 015, nr. 93.</li>' in html
    assert "Geheime operatie" not in html


def test_html_escapes_user_text(hostile_summary):
    html = render_body(hostile_summary)

    assert "<script>" not in html and "<w:p>" not in html and "<b>vet" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;w:p&gt;" in html
    assert LONG_WORD in html


@pytest.fixture
def noted_summary(summary):
    """The letter's summary with a note, hostile text included, on the 2014 figure."""
    table = summary.themes[0].figures[0]
    table.rows[-1].note = "Exclusief KMar <b>vet</b> & # kop"
    return summary


def test_every_renderer_shows_a_figures_note_under_its_table(noted_summary):
    html = render_body(noted_summary)
    assert (
        '<p class="figure-note">Toelichting 2014: Exclusief KMar &lt;b&gt;vet&lt;/b&gt; &amp;'
        in html
    )
    assert "Toelichting 2014: Exclusief KMar" in render_markdown(noted_summary)
    document, _ = docx_xml(render_docx(noted_summary))
    assert "Toelichting 2014: Exclusief KMar &lt;b&gt;vet&lt;/b&gt; &amp; # kop" in document
