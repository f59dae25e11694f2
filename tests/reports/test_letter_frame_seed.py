"""The letter of 1 June 2015 rebuilt from the seed data, in its frame: Word (A4, header and
footer, addressee and reference column, footnotes, the letter's properties), the same Word file
as LibreOffice lays it out, and the PDF (A4, tagged, each footnote on the page of its
reference). Nothing of that letter is in the code: the texts come from the seed fixture."""

import datetime
import io
import os
import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from pypdf import PdfReader

from measures.models import DEFAULT_ADDRESSEE, ProgressLetter
from measures.reports.renderers.docx import render_docx
from measures.reports.renderers.pdf import render_pdf
from measures.reports.summary import letter_summary

pytestmark = pytest.mark.django_db

A4_TWIPS = ("11906", "16838")
A4_POINTS = (595.3, 841.9)


@pytest.fixture(scope="module", autouse=True)
def _seeded(seeded_module):
    """The seed letters, loaded once for this module (tests/conftest.py)."""


@pytest.fixture
def letter():
    letter = ProgressLetter.objects.get(date=datetime.date(2015, 6, 1))
    letter.our_reference = "645321"
    letter.enclosures = "1"
    letter.save()  # the letter's own fields: read as they are, also once sent
    return letter


@pytest.fixture
def summary(letter):
    return letter_summary(letter)


@pytest.fixture
def docx(summary):
    return render_docx(summary)


@pytest.fixture
def pdf(summary):
    return render_pdf(summary)


def parts(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def words(text):
    return " ".join(text.split())


def letters(text):
    """`text` without any white space: pypdf reads "T weede" where the font kerns."""
    return "".join(text.split())


def test_word_is_a4_with_a_header_and_a_footer_with_page_numbers(docx):
    files = parts(docx)
    body = etree.fromstring(files["word/document.xml"])
    (size,) = body.iter(qn("w:pgSz"))

    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == A4_TWIPS
    assert [n for n in files if n.startswith("word/header")]
    footers = [data for name, data in files.items() if name.startswith("word/footer")]
    assert any(b"Pagina " in f and b"PAGE" in f and b"NUMPAGES" in f for f in footers)


def test_word_has_the_addressee_and_the_reference_column(docx, letter, summary):
    document = Document(io.BytesIO(docx))
    address, column = document.tables[0].rows[0].cells
    texts = [p.text for p in document.paragraphs]

    assert address.text == DEFAULT_ADDRESSEE
    references = [p.text for p in column.paragraphs]
    assert references[references.index("Ons kenmerk") + 1] == "645321"
    assert references[references.index("Bijlage(n)") + 1] == "1"
    assert "Uw kenmerk" not in references  # left out: the letter has none
    assert "Datum\t1 juni 2015" in texts
    assert f"Betreft\t{letter.title}" in texts
    assert texts[-2:] == [f"{letter.signed_title},", letter.signed_by]


def test_word_has_the_letters_footnotes(docx, summary):
    root = etree.fromstring(parts(docx)["word/footnotes.xml"])
    notes = [
        "".join(note.itertext()).strip()
        for note in root.iter(qn("w:footnote"))
        if note.get(qn("w:type")) is None
    ]
    assert summary.notes and set(notes) == {note.text for note in summary.notes}


def test_words_properties_come_from_the_letter(docx, letter):
    properties = Document(io.BytesIO(docx)).core_properties

    assert properties.title == letter.title
    assert properties.created.date() == letter.date
    assert "1 september 2014" in properties.subject
    assert "python-docx" not in parts(docx)["docProps/core.xml"].decode()


@pytest.mark.skipif(
    shutil.which("soffice") is None and os.environ.get("CI") != "true",
    reason="LibreOffice is not installed (make install installs it; under CI=true this fails)",
)
def test_libreoffice_lays_out_the_frame(docx, tmp_path, letter):
    source = tmp_path / "brief.docx"
    source.write_bytes(docx)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    reader = PdfReader(tmp_path / "brief.pdf")
    first = letters(reader.pages[0].extract_text())

    assert [round(float(x), 1) for x in reader.pages[0].mediabox[2:]] == list(A4_POINTS)
    for expected in (
        "De Voorzitter van de Tweede Kamer der Staten-Generaal Postbus 20018",
        "Ons kenmerk 645321",
        "Datum 1 juni 2015",
        f"Betreft {letter.title}",
        f"Pagina 1 van {len(reader.pages)}",
    ):
        assert letters(expected) in first, expected
    assert "Pagina 2 van" in reader.pages[1].extract_text()


def test_the_pdf_is_a4_and_tagged_with_the_frame(pdf, letter):
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    first = letters(reader.pages[0].extract_text())

    assert [round(float(x), 1) for x in reader.pages[0].mediabox[2:]] == list(A4_POINTS)
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert reader.metadata.title == letter.title
    for expected in (
        "De Voorzitter van de Tweede Kamer der Staten-Generaal Postbus 20018",
        "Ons kenmerk 645321",
        "Datum 1 juni 2015",
        f"Betreft {letter.title}",
        f"Pagina 1 van {len(reader.pages)}",
    ):
        assert letters(expected) in first, expected
    last = letters(reader.pages[-1].extract_text())
    assert letters(f"{letter.signed_title}, {letter.signed_by}") in last


def test_each_footnote_of_the_pdf_is_on_the_page_of_its_reference(pdf, summary):
    """The notes are numbered in the order they are cited: the opening's (the previous letter),
    then the measures', then the commitments'. Each is at the foot of the page that cites it."""
    pages = [letters(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]
    texts = {note.number: note.text for note in summary.notes}
    cited = []
    if summary.previous_letter and summary.previous_letter.note:
        # The opening: the letter's own (the seed's letters carry theirs), else the generated one.
        opening = summary.opening_passage.text.split("\n\n")[0] if summary.opening_passage else None
        cited.append((opening or summary.period_text, summary.previous_letter.note))
    # A heading citing a paper and a linked document has one call for both (its first note's
    # text leads).
    headings = [(m.title, m.notes) for m in summary.measures if m.is_reported]
    headings += [(c.title, c.notes) for c in summary.commitments]
    cited += [(title, notes[0]) for title, notes in headings if notes]
    assert len(cited) >= 3
    for number, (where, note) in enumerate(cited, 1):
        # The page where the text is followed by its note's call (a title may be named earlier).
        page = next(i for i, text in enumerate(pages) if letters(f"{where}{number}") in text)
        assert letters(f"{number} {texts[note]}") in pages[page], (number, where)


def test_the_pdf_keeps_the_web_pages_notes_list_out(pdf):
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Noten" not in text.split()


def test_the_letters_charts_are_in_word_and_in_the_pdf(summary, docx, pdf):
    """One chart under each figure table with yearly totals, in both files: Word's pictures and
    the PDF's tagged figures (each with its text alternative), drawn on the page."""
    from tests.reports.test_figures import structure_elements

    charted = [table for table in summary.figure_tables if table.totals]
    assert len(charted) >= 2  # the letter of 1 June 2015 reports several series
    body = etree.fromstring(parts(docx)["word/document.xml"])
    pictures = list(body.iter(qn("wp:docPr")))
    assert len(pictures) == len(charted)
    assert all(picture.get("descr") for picture in pictures)

    reader = PdfReader(io.BytesIO(pdf))
    figures = structure_elements(reader, "/Figure")
    assert len(figures) == len(charted)
    for table, figure in zip(charted, figures, strict=True):
        assert table.title in figure["/Alt"]
