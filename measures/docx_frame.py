"""
The frame of a Word letter: a Word template with placeholders (docxtpl, Jinja in a sandbox) that
the letter's frame fills, and a paragraph holding only {{ brieftekst }} where the body writer
(`renderers/docx.py`) puts the letter's text.

A department uploads its own template (`LetterTemplate.docx`); without one the tracker's neutral
frame is used, built here with python-docx from the same placeholders (`default_template`), so a
department can download it and start from it. `check_template` test-renders an upload and says
what is wrong with it, so a template in use never fails when a letter is downloaded.

This module imports nothing of the project, so the models can import it at the top.
"""

import copy
import functools
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

# The placeholders the frame fills, in the order the upload page explains them.
PLACEHOLDERS = {
    "afzender": _("the department (the wordmark)"),
    "afzender_adres": _("the sender's address, on several lines"),
    "adres": _("the addressee, on several lines"),
    "datum": _("the letter's date, e.g. 1 juni 2015"),
    "betreft": _("the subject: the letter's title"),
    "ons_kenmerk": _("our reference"),
    "uw_kenmerk": _("your reference"),
    "bijlagen": _("the enclosures"),
    "functie": _(
        "the signatory's title with its comma, e.g. De Minister van Justitie en Veiligheid,"
    ),
    "ondertekenaar": _("the signatory's name"),
    "brieftekst": _("the letter's text: a paragraph holding only this placeholder"),
}
BODY = "brieftekst"
# What the body placeholder is filled with, to find its paragraph afterwards.
BODY_MARKER = "\u2060[brieftekst]\u2060"

TEXT_COLOUR = RGBColor(0, 0, 0)
FONT = "Verdana"  # on Windows; LibreOffice and Linux show DejaVu Sans, drawn to its measure
BODY_SIZE = Pt(9.5)
TEXT_WIDTH = Cm(16.0)  # A4 (21 cm) less 2.5 cm margins
LOGO_HEIGHT = Cm(2.2)
SMALL = Pt(7.5)

# Styles the body writer uses; a department template without them gets the neutral ones.
BODY_STYLES = (
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Caption",
    "Table Grid",
    "List Bullet",
    "List Number",
)


def jinja_env():
    """A sandboxed Jinja environment: an uploaded template reaches nothing but the text it is
    given; every value is escaped for XML (docxtpl escapes nothing by default); a placeholder
    the tracker does not fill is an error, not an empty string."""
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


def render_template(data, context):
    """Return (the python-docx Document of template `data` rendered with `context`, the
    paragraph element of the body placeholder, or None when the template has none)."""
    template = DocxTemplate(io.BytesIO(data))
    template.render({**context, BODY: BODY_MARKER}, jinja_env=jinja_env(), autoescape=True)
    document = template.docx
    marker = next(
        (p for p in document.element.body.iter(qn("w:p")) if _text(p).strip() == BODY_MARKER),
        None,
    )
    return document, marker


def _text(paragraph):
    return "".join(t.text or "" for t in paragraph.iter(qn("w:t")))


def check_template(data):
    """Raise ValidationError saying what is wrong with a department's template `data`: its
    placeholders cannot be read, it names one the tracker does not fill, or it has no
    paragraph for the letter's text."""
    sample = {name: name for name in PLACEHOLDERS}
    try:
        _document, marker = render_template(data, sample)
    except TemplateSyntaxError as error:
        raise ValidationError(
            _("The template's placeholders cannot be read: %(error)s. Write each as {{ name }}."),
            code="syntax",
            params={"error": error.message},
        ) from error
    except UndefinedError as error:
        raise ValidationError(
            _(
                "The template uses a placeholder the tracker does not fill (%(error)s). "
                "The placeholders are: %(names)s."
            ),
            code="unknown",
            params={"error": error.message, "names": ", ".join(PLACEHOLDERS)},
        ) from error
    except TemplateError as error:
        raise ValidationError(
            _("The template cannot be filled in: %(error)s."),
            code="template",
            params={"error": error.message},
        ) from error
    except Exception as error:  # anything docxtpl or lxml trips on in an uploaded file
        raise ValidationError(
            _("The file cannot be read as a letter template."), code="unreadable"
        ) from error
    if marker is None:
        raise ValidationError(
            _(
                "The template has no paragraph holding only {{ brieftekst }}: the letter's text "
                "goes there."
            ),
            code="no_body",
        )


# --- The neutral frame --------------------------------------------------------------------------


def _fonts(style, name=FONT):
    """Give `style` the font `name` for every script, without the theme's fonts (which would
    win over it)."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme"):
            del fonts.attrib[attribute]
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)


def _text_colour(style):
    color = style.element.get_or_add_rPr().find(qn("w:color"))
    if color is not None:
        color.getparent().remove(color)
    style.font.color.rgb = TEXT_COLOUR


def _styles(document):
    """The letter's own sober styles: one sans font, headings bold in the text colour, no
    coloured rules (python-docx's default is Word 2013's blue Title and headings)."""
    normal = document.styles["Normal"]
    _fonts(normal)
    normal.font.size = BODY_SIZE
    normal.paragraph_format.space_after = Pt(7)
    normal.paragraph_format.line_spacing = 1.25
    for name, size, italic in (
        ("Title", 12, False),
        ("Heading 1", 11, False),
        ("Heading 2", 10, False),
        ("Heading 3", 9.5, True),
        ("Caption", 8.5, False),
    ):
        style = document.styles[name]
        _fonts(style)
        _text_colour(style)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = italic
        style.paragraph_format.space_before = Pt(12 if name.startswith("Heading") else 0)
        style.paragraph_format.space_after = Pt(4)
        border = style.element.get_or_add_pPr().find(qn("w:pBdr"))
        if border is not None:
            border.getparent().remove(border)
    for name in ("Header", "Footer"):
        _fonts(document.styles[name])


def _paragraph(container, text="", *, size=None, bold=False, space_after=0, align=None):
    paragraph = container.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.line_spacing = 1.15
    if align is not None:
        paragraph.alignment = align
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        if size is not None:
            run.font.size = size
    return paragraph


def _field(paragraph, instruction, size):
    """Append a simple field (PAGE, NUMPAGES) that Word and LibreOffice fill in."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    font_size = OxmlElement("w:sz")
    font_size.set(qn("w:val"), str(int(size.pt * 2)))
    properties.append(font_size)
    run.append(properties)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _no_borders(table):
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{side}")
        border.set(qn("w:val"), "nil")
        borders.append(border)
    properties.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(margins)


def _reference(cell, label, placeholder):
    """A label and its value in the reference column, left out when the value is empty."""
    _paragraph(cell, f"{{%p if {placeholder} %}}")
    _paragraph(cell, label, size=Pt(6.5), bold=True)
    _paragraph(cell, f"{{{{ {placeholder} }}}}", size=SMALL, space_after=6)
    _paragraph(cell, "{%p endif %}")


@functools.lru_cache(maxsize=4)
def default_template(logo=None):
    """Return the tracker's neutral letter template (.docx bytes), with the image `logo` (bytes)
    in the letterhead when given: A4 with a rijksbrief's margins, the wordmark in the header,
    the addressee beside the reference column, date and subject, the body placeholder, the
    closing with room to sign, and "Pagina x van y" in the footer."""
    document = Document()
    _styles(document)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # w:pgSz 11906 × 16838
    section.top_margin, section.bottom_margin = Cm(4.0), Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.5)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.2)

    header = section.header
    header.is_linked_to_previous = False
    first = header.paragraphs[0]
    first.paragraph_format.space_after = Pt(4)
    if logo:
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        first.add_run().add_picture(io.BytesIO(logo), height=LOGO_HEIGHT)
        wordmark = header.add_paragraph()
    else:
        wordmark = first
    wordmark.paragraph_format.left_indent = Cm(8.3)
    wordmark.add_run("{{ afzender }}").font.size = Pt(10)

    footer = section.footer
    footer.is_linked_to_previous = False
    pages = footer.paragraphs[0]
    pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    pages.add_run("Pagina ").font.size = SMALL
    _field(pages, "PAGE", SMALL)
    pages.add_run(" van ").font.size = SMALL
    _field(pages, "NUMPAGES", SMALL)

    # The addressee and the reference column: a table without borders, which Word and
    # LibreOffice lay out alike (a frame or text box moves about between them).
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _no_borders(table)
    address, column = table.rows[0].cells
    for i, width in enumerate((Cm(10.7), Cm(5.3))):
        table.columns[i].width = width  # the grid, which LibreOffice follows
        table.rows[0].cells[i].width = width  # the cell, which Word follows
    address.paragraphs[0].add_run("{{ adres }}")
    column.paragraphs[0].add_run("{{ afzender }}").bold = True
    column.paragraphs[0].runs[0].font.size = SMALL
    column.paragraphs[0].paragraph_format.space_after = Pt(0)
    _paragraph(column, "{{ afzender_adres }}", size=SMALL, space_after=10)
    _reference(column, "Ons kenmerk", "ons_kenmerk")
    _reference(column, "Uw kenmerk", "uw_kenmerk")
    _reference(column, "Bijlage(n)", "bijlagen")

    for label, placeholder, before, after in (
        ("Datum", "datum", 36, 2),
        ("Betreft", "betreft", 0, 24),
    ):
        line = _paragraph(document, space_after=after)
        line.paragraph_format.space_before = Pt(before)
        line.paragraph_format.left_indent = Cm(2.0)
        line.paragraph_format.first_line_indent = Cm(-2.0)
        line.paragraph_format.tab_stops.add_tab_stop(Cm(2.0))
        line.add_run(f"{label}\t{{{{ {placeholder} }}}}")

    document.add_paragraph("{{ brieftekst }}")

    closing = document.add_paragraph("{{ functie }}")
    closing.paragraph_format.space_before = Pt(18)
    closing.paragraph_format.keep_with_next = True
    signature = document.add_paragraph("{{ ondertekenaar }}")
    signature.paragraph_format.space_before = Pt(60)  # room to sign
    document.core_properties.author = ""
    document.core_properties.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@functools.lru_cache(maxsize=1)
def _neutral_styles():
    return Document(io.BytesIO(default_template())).styles.element


def add_missing_styles(document, names=BODY_STYLES):
    """Copy into `document` (a department's template) the neutral styles of `names` it lacks,
    with the styles they are based on, so the body writer finds every style it uses."""
    source = _neutral_styles()
    styles = document.styles.element

    def name_of(style):
        name = style.find(qn("w:name"))
        return name.get(qn("w:val")).lower() if name is not None else ""

    have_ids = {style.get(qn("w:styleId")) for style in styles.iter(qn("w:style"))}
    have_names = {name_of(style) for style in styles.iter(qn("w:style"))}
    by_id = {style.get(qn("w:styleId")): style for style in source.iter(qn("w:style"))}
    by_name = {name_of(style): style for style in source.iter(qn("w:style"))}
    for name in names:
        if name.lower() in have_names:
            continue
        style = by_name.get(name.lower())
        while style is not None and style.get(qn("w:styleId")) not in have_ids:
            added = copy.deepcopy(style)
            for numbering in list(added.iter(qn("w:numPr"))):  # the template lacks our lists
                numbering.getparent().remove(numbering)
            styles.append(added)
            have_ids.add(style.get(qn("w:styleId")))
            based = style.find(qn("w:basedOn"))
            style = by_id.get(based.get(qn("w:val"))) if based is not None else None
