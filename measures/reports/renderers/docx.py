"""The summary as a Word letter (python-docx), with the little OXML python-docx has no API for:
the document language, repeating table header rows, cell shading and real footnotes (a
footnotes part of our own, since python-docx has no footnote API).

The frame around the text (letterhead, addressee, reference column, closing, page numbers) is a
Word template filled with docxtpl (`measures/docx_frame.py`): the department's own when one is
uploaded, the tracker's neutral one otherwise; the body is written where its {{ brieftekst }}
paragraph was."""

import datetime
import io
import re
from xml.sax.saxutils import escape, quoteattr

from docx.enum.style import WD_STYLE_TYPE
from docx.image import image as docx_image
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.shared import Cm, Pt
from docx.text import paragraph as docx_paragraph

from ...docx_frame import add_missing_styles, default_template, render_template
from ...formatting import date_nl
from ..charts import svg_png, table_chart_svg
from ..collector import collector_paused
from ..text import BULLETS
from . import (
    ASSESSMENT_HEADING,
    COMMITMENTS_HEADING,
    CORRECTIONS_HEADING,
    SOURCE_PREFIX,
    assessment_number,
    chart_alt_text,
    chart_title,
    clean,
    commitment_answer,
    commitment_heading,
    commitment_made,
    commitments_number,
    corrections_section,
    dated_news,
    figure_cells,
    figure_headers,
    figure_lines,
    frame_fields,
    has_news,
    letter_date,
    link_sentence,
    no_progress_line,
    opening,
    paragraphs,
    quiet_line,
    status_line,
)

LANGUAGE = "nl-NL"
# Within the 16 cm of text of an A4 page with 2,5 cm margins; a table with categories has a
# wider first column for their names.
COLUMN_WIDTHS = (Cm(2.0), Cm(3.2), Cm(3.6), Cm(2.4), Cm(2.8))
COLUMN_WIDTHS_WITH_CATEGORIES = (Cm(4.0), Cm(3.2), Cm(3.4), Cm(2.2), Cm(3.0))
CATEGORY_INDENT = Cm(0.4)
HEADER_FILL = "E8EEF5"
CHART_WIDTH = Cm(14.8)  # within the text width, about as wide as a figure table


def _set_language(document):
    """Mark every run as Dutch (docDefaults) so Word checks the spelling in Dutch."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:  # a department's template may have none
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), LANGUAGE)
    document.core_properties.language = LANGUAGE


def _remember_style_ids(document):
    """Look each style name up once: python-docx resolves a style name on every paragraph by
    scanning all the styles (twice: the name, then the default style), which was most of the
    render time of a long letter. The styles do not change while the letter is written."""
    part = document.part
    look_up = part.get_style_id
    found = {}

    def get_style_id(style_or_name, style_type):
        if not isinstance(style_or_name, str):
            return look_up(style_or_name, style_type)
        key = (style_or_name, style_type)
        if key not in found:
            found[key] = look_up(style_or_name, style_type)
        return found[key]

    part.get_style_id = get_style_id


class Paragraph(docx_paragraph.Paragraph):
    """python-docx's paragraph with a quicker `add_run` for text without tabs or line breaks.
    python-docx clears each new, empty run with an XPath query and passes the text through its
    tab and line-break translator a character at a time; such text ends up as one `w:t` anyway."""

    LAYOUT = re.compile(r"[\t\r\n]")

    def add_run(self, text=None, style=None):
        if not text or self.LAYOUT.search(text):
            return super().add_run(text, style)
        run = super().add_run(None, style)
        run._r.add_t(text)
        return run


LAYOUT = re.compile(r"([\t\r\n])")


def _text_xml(text):
    """Return `text` (without tabs or line breaks) as a `w:t`, as python-docx writes it: cleaned
    of characters XML cannot hold, and escaped."""
    text = clean(text)
    space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
    return f"<w:t{space}>{escape(text)}</w:t>"


def run_xml(text, properties=""):
    """Return the XML of a run holding `text` as python-docx's `add_run` writes it: a tab as
    `w:tab`, each CR or LF as `w:br`, the rest as `w:t`; `properties` is the inside of its
    `w:rPr` (e.g. "<w:b/>"). `text` is any user text: it is cleaned and escaped here."""
    rpr = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    if not text:
        content = ""
    elif LAYOUT.search(text) is None:
        content = _text_xml(text)
    else:
        content = "".join(
            "<w:tab/>" if piece == "\t" else "<w:br/>" if piece in "\r\n" else _text_xml(piece)
            for piece in LAYOUT.split(text)
            if piece
        )
    return f"<w:r>{rpr}{content}</w:r>"


def runs_docx_xml(runs):
    """Return a line of runs (`text.Run`) as WordprocessingML runs, emphasis in italics
    (`w:i`), strong in bold (`w:b`)."""
    return "".join(
        run_xml(run.text, ("<w:b/>" if run.strong else "") + ("<w:i/>" if run.emphasis else ""))
        for run in runs
    )


def passage_xml(blocks, passage, reference=""):
    """Return the paragraphs of the coordinator's text `passage`: its paragraphs in the normal
    style, list items in "List Bullet" or "List Number"; `reference` (a footnote reference's
    XML) after the first paragraph or list item."""
    if passage is None:
        return []
    out = []
    for i, block in enumerate(passage.blocks):
        style, num_id = None, None
        if block.kind == BULLETS:
            style, num_id = blocks.style_id("List Bullet"), blocks.list_numbering(BULLETS)
        elif block.is_list:  # numbered: each list counts from 1
            style, num_id = blocks.style_id("List Number"), blocks.list_numbering(block.kind)
        for j, line in enumerate(block.lines):
            note = reference if i == 0 and j == 0 else ""
            out.append(paragraph_xml(runs_docx_xml(line) + note, style, num_id))
    return out


def paragraph_xml(runs="", style_id=None, num_id=None):
    """Return the XML of a paragraph with `runs` (XML) in the style with id `style_id` (an item
    of the numbered list `num_id`, when given)."""
    style = f"<w:pStyle w:val={quoteattr(style_id)}/>" if style_id else ""
    if num_id is not None:
        style += f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{int(num_id)}"/></w:numPr>'
    return f"<w:p><w:pPr>{style}</w:pPr>{runs}</w:p>" if style else f"<w:p>{runs}</w:p>"


def parse_fragment(xml):
    """Return the elements of `xml`, WordprocessingML elements in the `w` namespace."""
    return list(parse_xml(f"<w:body {nsdecls('w')}>{xml}</w:body>"))


class Blocks:
    """Append paragraphs, tables and pictures to the end of a document's body, each in constant
    time. python-docx's `Document.add_paragraph` and friends find the body's closing `w:sectPr`
    by scanning all the body's children, `add_table` looks up the last section by scanning them
    all again and `add_picture` numbers its shape by reading every id in the document: each is
    linear in the length of the letter, which made a long letter quadratic."""

    def __init__(self, document, before=None):
        self.document = document
        self._body = document._body
        # Everything goes before `before` (the frame's body placeholder) or at the body's end.
        self._end = before if before is not None else document.element.body.sectPr
        self._width = document._block_width
        self._next_shape_id = document.part.next_id
        self._images = None  # the document's image parts by the SHA-1 of their bytes
        self._lists = None  # {list kind: [abstract numbering id, shared instance id]}

    def _append(self, element):
        self._end.addprevious(element)
        return element

    def list_numbering(self, kind):
        """Return the id of the numbering a list of `kind` (BULLETS, or numbered) is written
        with: one shared instance for bullets, a new one for each numbered list so it counts
        from 1 (python-docx has no API to restart a list). The definitions are our own, added
        to the document's numbering part, so a department's template needs no list styles of
        its own (copied styles lose their numbering)."""
        if self._lists is None:
            self._lists = {}
        numbering = self.document.part.numbering_part.element
        if kind not in self._lists:
            ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.iter(qn("w:abstractNum"))]
            abstract_id = max(ids, default=-1) + 1
            fmt, text = ("bullet", "\u2022") if kind == BULLETS else ("decimal", "%1.")
            abstract = parse_xml(
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0">'
                f'<w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
                '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr>'
                "</w:lvl></w:abstractNum>"
            )
            first_num = numbering.find(qn("w:num"))  # every abstractNum comes before the nums
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                numbering.append(abstract)
            self._lists[kind] = [abstract_id, None]
        abstract_id, shared = self._lists[kind]
        if kind == BULLETS and shared is not None:
            return shared
        num = numbering.add_num(abstract_id)
        if kind != BULLETS:
            num.add_lvlOverride(ilvl=0).add_startOverride(1)
        self._lists[kind][1] = num.numId
        return num.numId

    def style_id(self, name):
        """Return the id of the paragraph style `name` (None for the default style), as
        python-docx resolves it when a paragraph's `style` is set to `name`."""
        return self.document.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)

    def xml(self, paragraphs):
        """Append paragraphs given as WordprocessingML strings (`paragraph_xml`), parsed at
        once: python-docx builds each element and property one by one, which was most of
        the render time of a long letter."""
        for element in parse_fragment("".join(paragraphs)):
            self._end.addprevious(element)

    def paragraph(self, text="", style=None):
        """Return a new paragraph with `text` in one run (like `Document.add_paragraph`)."""
        paragraph = Paragraph(self._append(OxmlElement("w:p")), self._body)
        if text:
            paragraph.add_run(text)
        if style is not None:
            paragraph.style = style
        return paragraph

    def _image_part(self, image):
        """Return the image part holding `image` (a stream), added if the document has none
        with the same bytes, as `Package.get_or_add_image_part` does. That one hashes every
        image part already in the document to compare, which made many charts quadratic; here
        each part's hash is taken once."""
        image_parts = self.document.part.package.image_parts
        if self._images is None:
            self._images = {part.sha1: part for part in image_parts}
        image = docx_image.Image.from_file(image)
        if image.sha1 not in self._images:
            self._images[image.sha1] = image_parts._add_image_part(image)
        return self._images[image.sha1]

    def picture(self, image, width):
        """Return a new paragraph holding only the picture `image` (a stream), `width` wide
        (like `Document.add_picture`)."""
        image_part = self._image_part(image)
        rid = self.document.part.relate_to(image_part, RT.IMAGE)
        picture = image_part.image
        cx, cy = picture.scaled_dimensions(width, None)
        inline = CT_Inline.new_pic_inline(self._next_shape_id, rid, picture.filename, cx, cy)
        self._next_shape_id += 1
        paragraph = self.paragraph()
        paragraph.add_run()._r.add_drawing(inline)
        return paragraph


FOOTNOTES_XML = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
    "<w:r><w:separator/></w:r></w:p></w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"/>'
    "</w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    "</w:footnotes>"
)


class FootnotesPart(XmlPart):
    """word/footnotes.xml, whose notes are added as XML strings and parsed at once when the
    document is saved."""

    def __init__(self, package, partname=None, element=None):
        uri = partname or PackURI("/word/footnotes.xml")
        super().__init__(uri, CT.WML_FOOTNOTES, element or parse_xml(FOOTNOTES_XML), package)
        self.pending = []

    @property
    def blob(self):
        self._element.extend(parse_fragment("".join(self.pending)))
        self.pending = []
        return super().blob


class Footnotes:
    """The document's footnotes part; Word numbers the notes itself, in order of reference. A
    template's own footnotes part (Word adds one to many documents) is taken over, its notes
    kept."""

    def __init__(self, document):
        package = document.part.package
        existing = next(
            (rel for rel in document.part.rels.values() if rel.reltype == RT.FOOTNOTES), None
        )
        self.part = FootnotesPart(package)
        self.next_id = 1
        if existing is None:
            document.part.relate_to(self.part, RT.FOOTNOTES)
            return
        old = existing.target_part
        self.part = FootnotesPart(package, partname=old.partname, element=parse_xml(old.blob))
        existing._target = self.part
        ids = [int(note.get(qn("w:id"))) for note in self.part.element.iter(qn("w:footnote"))]
        self.next_id = max([0, *ids]) + 1

    def add(self, paragraph, text):
        """Add a footnote with `text` and its reference mark at the end of `paragraph`."""
        paragraph._p.extend(parse_fragment(self.reference(text)))

    def reference(self, text):
        """Add a footnote with `text` and return the XML of its reference mark (a run)."""
        note_id = str(self.next_id)
        self.next_id += 1
        self.part.pending.append(
            f'<w:footnote w:id="{note_id}"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
            '<w:r><w:rPr><w:sz w:val="16"/><w:vertAlign w:val="superscript"/></w:rPr>'  # 8 pt
            '<w:footnoteRef/></w:r><w:r><w:rPr><w:sz w:val="16"/></w:rPr>'
            f'<w:t xml:space="preserve"> {escape(clean(text))}</w:t></w:r></w:p></w:footnote>'
        )
        return (
            '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteReference w:id="{note_id}"/></w:r>'
        )


TABLE_LOOK = (
    '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" '
    'w:noVBand="1" w:val="04A0"/>'
)
CELL_SPACING = '<w:keepNext/><w:spacing w:after="0"/>'  # table, source and chart together
CELL_FONT = '<w:sz w:val="20"/>'  # 10 pt
SHADING = f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>'


def _row_xml(texts, widths, run_properties, cell_properties="", row_properties="", indent=0):
    """Return a table row of `texts`, the first left aligned (indented `indent` twips) and the
    others right aligned, each cell as wide as its column in `widths`."""
    cells = []
    for i, (text, width) in enumerate(zip(texts, widths, strict=True)):
        align = '<w:jc w:val="right"/>' if i else (f'<w:ind w:left="{indent}"/>' if indent else "")
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width.twips}"/>{cell_properties}</w:tcPr>'
            f"<w:p><w:pPr>{CELL_SPACING}{align}</w:pPr>{run_xml(text, run_properties)}</w:p></w:tc>"
        )
    return f"<w:tr>{row_properties}{''.join(cells)}</w:tr>"


def figure_table_xml(blocks, table):
    """Return the caption, the table and the lines under it of a figure table as
    WordprocessingML, as python-docx's table API wrote them: a "Table Grid" table with fixed
    column widths within the page's text width, a shaded header row Word repeats on every
    page, each year's categories indented under it, and every paragraph kept with the next so
    the table, its source and its chart stay on one page."""
    caption = run_xml(f"Tabel {table.number}: {table.title}")
    caption_style = quoteattr(blocks.style_id("Caption"))
    grid_style = quoteattr(blocks.document.part.get_style_id("Table Grid", WD_STYLE_TYPE.TABLE))
    widths = COLUMN_WIDTHS_WITH_CATEGORIES if table.has_categories else COLUMN_WIDTHS
    columns = "".join(f'<w:gridCol w:w="{width.twips}"/>' for width in widths)
    rows = [
        _row_xml(
            figure_headers(table),
            widths,
            f"<w:b/>{CELL_FONT}",
            SHADING,
            '<w:trPr><w:tblHeader w:val="true"/></w:trPr>',
        )
    ]
    for row in table.rows:
        indent = CATEGORY_INDENT.twips if row.is_category else 0
        # With categories the year's row (its total) is bold, its categories plain.
        bold = table.has_categories and not row.is_category
        properties = f"<w:b/>{CELL_FONT}" if bold else CELL_FONT
        rows.append(_row_xml(figure_cells(row), widths, properties, indent=indent))
    parts = [
        f"<w:p><w:pPr><w:pStyle w:val={caption_style}/><w:keepNext/></w:pPr>{caption}</w:p>",
    ]
    parts.append(
        f"<w:tbl><w:tblPr><w:tblStyle w:val={grid_style}/>"
        f'<w:tblW w:type="auto" w:w="0"/><w:jc w:val="left"/><w:tblLayout w:type="fixed"/>'
        f"{TABLE_LOOK}</w:tblPr><w:tblGrid>{columns}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )
    if table.source:
        source = run_xml(f"{SOURCE_PREFIX}: {table.source}", '<w:i/><w:sz w:val="18"/>')
        parts.append(f"<w:p><w:pPr><w:keepNext/></w:pPr>{source}</w:p>")
    for line in figure_lines(table):
        note = run_xml(line, '<w:sz w:val="18"/>')
        parts.append(f"<w:p><w:pPr><w:keepNext/></w:pPr>{note}</w:p>")
    return parts


def _figure_table(blocks, table):
    blocks.xml(figure_table_xml(blocks, table))
    _figure_chart(blocks, table)


def _figure_chart(blocks, table):
    """Put the chart of `table` under it, with alt text in `wp:docPr/@descr`."""
    svg = table_chart_svg(table)
    if not svg:
        return
    picture = blocks.picture(io.BytesIO(svg_png(svg, 2)), CHART_WIDTH)
    picture.paragraph_format.space_before = Pt(6)
    for doc_pr in picture._p.xpath(".//wp:docPr"):
        doc_pr.set("descr", chart_alt_text(table))
        doc_pr.set("title", chart_title(table))


def _properties(document, summary):
    """Set the document's properties from the letter, not python-docx's ("python-docx",
    created in 2013): its title and subject, the department as author, its date."""
    properties = document.core_properties
    fields = frame_fields(summary)
    day = letter_date(summary)
    moment = datetime.datetime(day.year, day.month, day.day, 9, tzinfo=datetime.UTC)
    properties.title = fields["betreft"][:255]
    properties.subject = f"Voortgangsbrief over de periode van {summary.period_text}"[:255]
    properties.author = properties.last_modified_by = fields["afzender"][:255]
    properties.comments = properties.keywords = properties.category = ""
    properties.identifier = fields["ons_kenmerk"][:255]
    properties.created = properties.modified = moment
    properties.last_printed = moment
    properties.revision = 1


@collector_paused
def render_docx(summary):
    """Return the summary as the bytes of a .docx letter: its frame from the department's
    template (or the neutral one), the body where the template's {{ brieftekst }} was."""
    frame = summary.frame
    template = frame.template or default_template(frame.logo)
    document, marker = render_template(template, frame_fields(summary))
    add_missing_styles(document)
    _set_language(document)
    _properties(document, summary)
    _remember_style_ids(document)
    blocks = Blocks(document, before=marker)
    footnotes = Footnotes(document)
    note_texts = {note.number: note.text for note in summary.notes}

    def _note(paragraph, number):
        if number:
            footnotes.add(paragraph, note_texts[number])

    text, note = opening(summary)
    if summary.opening_passage:
        reference = footnotes.reference(note_texts[note]) if note else ""
        blocks.xml(passage_xml(blocks, summary.opening_passage, reference))
    else:
        para = blocks.paragraph(text)
        _note(para, note)
        if summary.previous_letter:
            para.add_run(".")

    heading_ids = [blocks.style_id(f"Heading {level}") for level in (1, 2, 3)]

    def heading(text, level, notes=()):
        """A heading (with the references to footnotes `notes`), as `Document.add_heading`."""
        references = "".join(footnotes.reference(note_texts[note]) for note in notes if note)
        return paragraph_xml((run_xml(text) if text else "") + references, heading_ids[level - 1])

    def plain(text):
        """A paragraph of `text`, like `Blocks.paragraph`."""
        return paragraph_xml(run_xml(text) if text else "")

    def lead(label, text):
        """A paragraph of `text` after a bold label (a date, "Vervolg:")."""
        return paragraph_xml(run_xml(label, "<w:b/>") + run_xml(text))

    for theme in summary.themes:
        body = [heading(f"{theme.number}. {theme.name}", 1)]
        body += passage_xml(blocks, theme.passage)
        for line in theme.action_lines:
            body.append(heading(f"{line.number} {line.name}", 2))
            body += passage_xml(blocks, line.plan_passage)
            body += passage_xml(blocks, line.passage)
            for measure in line.reported:
                label = f"{measure.code} {measure.title}" if measure.code else measure.title
                body.append(heading(label, 3, measure.notes))
                body.append(paragraph_xml(run_xml(status_line(measure), "<w:i/>")))
                if measure.replacement:
                    body += passage_xml(blocks, measure.replacement)
                    continue
                body.extend(plain(link_sentence(link)) for link in measure.links)
                if not has_news(measure):
                    body.append(plain(no_progress_line()))
                for update in dated_news(measure):
                    for i, block in enumerate(paragraphs(update.text)):
                        if i == 0:
                            body.append(lead(f"{date_nl(update.date)} – ", block))
                        else:
                            body.append(plain(block))
                if measure.next_steps:
                    body.append(lead("Vervolg: ", " ".join(paragraphs(measure.next_steps))))
            if line.quiet:
                body.append(plain(quiet_line(line.quiet)))
        blocks.xml(body)
        for table in theme.figures:
            _figure_table(blocks, table)

    if summary.assessment:
        body = [heading(f"{assessment_number(summary)}. {ASSESSMENT_HEADING}", 1)]
        body += passage_xml(blocks, summary.assessment)
        blocks.xml(body)

    if summary.commitments:
        body = [heading(f"{commitments_number(summary)}. {COMMITMENTS_HEADING}", 1)]
        for commitment in summary.commitments:
            body.append(heading(commitment_heading(commitment), 3, commitment.notes))
            body.extend(plain(block) for block in paragraphs(commitment.text))
            made = commitment_made(commitment)
            if made:
                body.append(plain(made))
            body.append(paragraph_xml(run_xml(commitment_answer(commitment), "<w:i/>")))
            body.extend(plain(block) for block in paragraphs(commitment.fulfilment_note))
        blocks.xml(body)

    section = corrections_section(summary)
    if section:
        number, letters = section
        body = [heading(f"{number}. {CORRECTIONS_HEADING}", 1)]
        bullet, bullets = blocks.style_id("List Bullet"), blocks.list_numbering(BULLETS)
        for intro, items in letters:
            body.append(plain(intro))
            body.extend(paragraph_xml(run_xml(item), bullet, bullets) for item in items)
        blocks.xml(body)

    if summary.closing_passage:
        blocks.xml(passage_xml(blocks, summary.closing_passage))

    if marker is not None:
        marker.getparent().remove(marker)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
