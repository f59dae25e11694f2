"""The letter's frame: the department's letterhead and Word template around the letter's text,
and what a template may not do (bad placeholders, escaping, styles it lacks)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from lxml import etree
from PIL import Image
from pypdf import PdfReader

from measures.docx_frame import PLACEHOLDERS, check_template, default_template
from measures.models import DEFAULT_ADDRESSEE, FileKind, LetterTemplate, StoredFile
from measures.reports.renderers.docx import render_docx
from measures.reports.renderers.html import render_letter_html
from measures.reports.renderers.pdf import render_pdf
from measures.reports.summary import build_summary, letter_summary
from tests import summary_data
from tests.summary_data import END, START, at

kp, letters, letter_data = summary_data.kp, summary_data.letters, summary_data.letter_data

HEADER_TEXT = "Kopregel van het Testdepartement"
HOSTILE = '<w:p><w:t>x</w:t></w:p> & "Co" <script>'


def department_template(*, body=True, extra="", delete_heading=True):
    """Return a department's .docx made in the test with python-docx: a header line, a style of
    its own (Huisstijl, in Georgia) and the placeholders; without Heading 1 (Word leaves out
    styles a document never used)."""
    document = Document()
    header = document.sections[0].header
    header.paragraphs[0].text = f"{HEADER_TEXT} {{{{ afzender }}}}"
    style = document.styles.add_style("Huisstijl", WD_STYLE_TYPE.PARAGRAPH)
    style.font.name = "Georgia"
    if delete_heading:
        document.styles["Heading 1"].element.getparent().remove(
            document.styles["Heading 1"].element
        )
    document.add_paragraph("{{ adres }}", style="Huisstijl")
    document.add_paragraph("Datum: {{ datum }} Betreft: {{ betreft }}", style="Huisstijl")
    document.add_paragraph("Ons kenmerk: {{ ons_kenmerk }} Uw kenmerk: {{ uw_kenmerk }}")
    if body:
        document.add_paragraph("{{ brieftekst }}")
    if extra:
        document.add_paragraph(extra)
    document.add_paragraph("{{ functie }}")
    document.add_paragraph("{{ ondertekenaar }}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (30, 100), (21, 66, 115)).save(buffer, "PNG")
    return buffer.getvalue()


def stored(data, name, kind):
    file = StoredFile.from_upload(SimpleUploadedFile(name, data), [kind])
    file.save()
    return file


def letterhead(alice, **fields):
    values = {
        "department": "Ministerie van Testzaken",
        "sender_address": "Teststraat 1\n2500 AA  Den Haag",
        "closing_title": "De Minister van Testzaken,",
    }
    values.update(fields)
    return LetterTemplate(**values).save_change(by=alice)


def parts(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# --- The department's template ------------------------------------------------------------------


def test_the_letter_carries_the_departments_header_and_styles(letter_data, alice):
    letter = letter_data["letter"]
    letter.our_reference = "2015-0001"
    letter.save()
    letterhead(alice, docx=stored(department_template(), "sjabloon.docx", FileKind.DOCX))

    content = render_docx(letter_summary(letter))
    files = parts(content)
    headers = b"".join(data for name, data in files.items() if name.startswith("word/header"))
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]

    assert f"{HEADER_TEXT} Ministerie van Testzaken".encode() in headers
    assert b"Georgia" in files["word/styles.xml"]
    assert document.paragraphs[0].style.name == "Huisstijl"
    assert (
        texts[0]
        == "De Voorzitter van de Tweede Kamer der Staten-Generaal\nPostbus 20018\n2500 EA  DEN HAAG"
    )
    assert (
        "Datum: 1 juni 2015 Betreft: Voortgang aanpak kinderpornografie en kindersekstoerisme"
        in texts
    )
    assert "Ons kenmerk: 2015-0001 Uw kenmerk: " in texts
    # The body stands where {{ brieftekst }} was: after the references, before the closing.
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["1. Kinderpornografie", "2. Kindersekstoerisme"]  # style added
    first_heading = texts.index(headings[0])
    assert texts.index("Ons kenmerk: 2015-0001 Uw kenmerk: ") < first_heading
    assert texts[-2:] == ["De Minister van Veiligheid en Justitie,", "G.A. van der Steur"]
    assert not any("brieftekst" in text for text in texts)
    assert document.core_properties.author == "Ministerie van Testzaken"


def test_the_letterhead_gives_the_closing_when_the_letter_names_no_title(letter_data, alice):
    letter = letter_data["letter"]
    letter.signed_title = ""
    letter.save()
    letterhead(alice)

    texts = [p.text for p in Document(io.BytesIO(render_docx(letter_summary(letter)))).paragraphs]

    assert texts[-2:] == ["De Minister van Testzaken,", "G.A. van der Steur"]


def test_user_text_with_xml_characters_makes_a_valid_document(letter_data, alice):
    letter = letter_data["letter"]
    letter.our_reference = HOSTILE
    letter.addressee = f"{HOSTILE}\r\nPostbus 1"
    letter.save()
    letterhead(
        alice,
        department=HOSTILE,
        docx=stored(department_template(), "sjabloon.docx", FileKind.DOCX),
    )

    content = render_docx(letter_summary(letter))
    for name, data in parts(content).items():
        if name.endswith(".xml"):
            etree.fromstring(data)  # every part is well-formed XML
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    assert f"{HOSTILE}\nPostbus 1" in texts
    assert f"Ons kenmerk: {HOSTILE} Uw kenmerk: " in texts
    assert document.sections[0].header.paragraphs[0].text == f"{HEADER_TEXT} {HOSTILE}"
    assert b"<script>" not in parts(content)["word/document.xml"]


def test_the_neutral_example_template_has_every_placeholder_and_passes_the_check():
    example = parts(default_template())["word/document.xml"].decode()
    for name in PLACEHOLDERS:
        assert f"{{{{ {name} }}}}" in example, name
    check_template(default_template())
    check_template(default_template(png()))


def test_a_logo_is_in_the_letterhead_of_word_and_pdf(letter_data, alice):
    letterhead(alice, logo=stored(png(), "logo.png", FileKind.IMAGE))
    summary = letter_summary(letter_data["letter"])

    files = parts(render_docx(summary))
    header_rels = b"".join(d for n, d in files.items() if n.startswith("word/_rels/header"))
    assert b"image" in header_rels
    assert any(name.startswith("word/media/") and data == png() for name, data in files.items())
    first_page = PdfReader(io.BytesIO(render_pdf(summary))).pages[0]
    assert len(first_page.images) == 1


@pytest.mark.parametrize(
    ("extra", "body", "code"),
    [
        ("{{ datum ", True, "syntax"),
        ("{{ onbekend }}", True, "unknown"),
        ("{{ datum.__class__.__mro__ }}", True, "template"),  # the sandbox
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", True, "template"),
        ("", False, "no_body"),
    ],
)
def test_a_bad_template_is_refused_with_what_is_wrong(extra, body, code):
    with pytest.raises(ValidationError) as refused:
        check_template(department_template(body=body, extra=extra))

    assert refused.value.code == code
    assert refused.value.messages[0]


def test_a_file_that_is_no_template_is_refused():
    with pytest.raises(ValidationError) as refused:
        check_template(b"PK\x03\x04 not a zip")
    assert refused.value.code == "unreadable"


def test_the_letterhead_refuses_a_bad_template_and_writes_nothing(letter_data, alice):
    bad = StoredFile.from_upload(
        SimpleUploadedFile("slecht.docx", department_template(body=False)), [FileKind.DOCX]
    )
    with pytest.raises(ValidationError) as refused:
        LetterTemplate(department="Ministerie", docx=bad).save_change(by=alice)

    assert "brieftekst" in refused.value.message_dict["docx"][0]
    assert not LetterTemplate.objects.exists() and not StoredFile.objects.exists()


def test_a_sent_letter_keeps_the_letterhead_it_was_sent_with(letter_data, alice):
    letter = letter_data["letter"]
    letter.mark_sent(by=alice, at=at(END, 16))
    letterhead(alice)  # recorded now, after the letter went out

    assert letter_summary(letter).frame.department == ""
    assert letter_summary(letter, now=True).frame.department == "Ministerie van Testzaken"


def test_the_letterhead_changes_are_in_its_history(alice):
    head = letterhead(alice)
    head.department = "Ministerie van Justitie en Veiligheid"
    head.save_change(by=alice, expected_version=head.version)

    records = list(head.history.order_by("history_date"))
    assert [r.department for r in records] == [
        "Ministerie van Testzaken",
        "Ministerie van Justitie en Veiligheid",
    ]
    assert {r.history_user for r in records} == {alice}


def test_only_one_letterhead_is_in_use(alice):
    letterhead(alice)
    with pytest.raises(ValidationError):
        letterhead(alice, department="Nog een")


def test_the_word_frame_has_no_theme_colours_or_fonts(letter_data):
    styles = etree.fromstring(
        parts(render_docx(letter_summary(letter_data["letter"])))["word/styles.xml"]
    )
    for style in styles.iter(qn("w:style")):
        name = style.find(qn("w:name")).get(qn("w:val"))
        if name in ("heading 1", "heading 2", "heading 3", "Title", "caption"):
            color = style.find(f"{qn('w:rPr')}/{qn('w:color')}")
            assert color.get(qn("w:val")) == "000000" and color.get(qn("w:themeColor")) is None
            fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            assert fonts.get(qn("w:ascii")) == "Verdana"
            assert fonts.get(qn("w:asciiTheme")) is None


def test_a_draft_summary_without_a_letter_has_the_default_frame(letter_data, alice):
    letterhead(alice)
    summary = build_summary(START, END)

    assert summary.frame.addressee == DEFAULT_ADDRESSEE
    assert summary.frame.our_reference == ""
    assert summary.frame.department == "Ministerie van Testzaken"
    assert summary.signed_title == "De Minister van Testzaken"


def test_the_pdfs_html_writes_notes_at_their_references_and_the_page_keeps_its_list(
    letter_data, alice
):
    letterhead(alice, department=HOSTILE)
    summary = letter_summary(letter_data["letter"])
    note = summary.notes[0].text

    printed = render_letter_html(summary, top=1, frame=True)
    page = render_letter_html(summary, top=2)

    assert f'<span class="footnote">{note}</span>' in printed
    assert "letter-notes" not in printed and 'href="#note-' not in printed
    assert '<p class="wordmark">&lt;w:p&gt;&lt;w:t&gt;x&lt;/w:t&gt;&lt;/w:p&gt; &amp;' in printed
    assert "<script>" not in printed
    assert f'<li id="note-1">{note}</li>' in page and "footnote" not in page
    assert "wordmark" not in page and "Ons kenmerk" not in page


def test_a_template_without_list_styles_still_numbers_the_coordinators_lists(letter_data, alice):
    """A template made in Word rarely holds the list styles: the letter still has its bullets
    and a numbered list counting from 1 (numbering of our own), and no error at download."""
    from measures.models import ChangeReason, LetterPassage

    template = Document(io.BytesIO(department_template(delete_heading=False)))
    for name in ("List Bullet", "List Number"):
        element = template.styles[name].element
        element.getparent().remove(element)
    buffer = io.BytesIO()
    template.save(buffer)
    letterhead(alice, docx=stored(buffer.getvalue(), "sjabloon.docx", FileKind.DOCX))
    passage = LetterPassage.for_key(letter_data["letter"], "assessment")
    passage.text = "Ik ben tevreden over:\n- de politie;\n- het OM.\n\n1. eerst dit;\n2. dan dat."
    passage.save_change(by=alice, reason=ChangeReason.WORDS)

    document = Document(io.BytesIO(render_docx(letter_summary(letter_data["letter"]))))
    items = [p for p in document.paragraphs if p.text in {"de politie;", "het OM.", "eerst dit;"}]
    assert len(items) == 3
    numbering = document.part.numbering_part.element
    formats = []
    for item in items:
        num_id = item._p.pPr.numPr.numId.val
        abstract = numbering.num_having_numId(num_id).abstractNumId.val
        found = [
            a
            for a in numbering.iter(qn("w:abstractNum"))
            if a.get(qn("w:abstractNumId")) == str(abstract)
        ]
        formats.append(found[0].find(f"{qn('w:lvl')}/{qn('w:numFmt')}").get(qn("w:val")))
    assert formats == ["bullet", "bullet", "decimal"]


def test_the_letterhead_takes_only_an_image_as_its_logo(alice):
    """The admin chooses the logo among the stored files: a PDF is refused with a message."""
    pdf = stored(b"%PDF-1.4 a report", "rapport.pdf", FileKind.PDF)
    with pytest.raises(ValidationError) as refused:
        letterhead(alice, logo=pdf)
    assert "logo" in refused.value.message_dict
    assert not LetterTemplate.objects.exists()
