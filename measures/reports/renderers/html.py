"""The letter as HTML, for the summary page, a letter's page and the PDF (WeasyPrint).

Written in Python rather than a template for speed: a ministry-wide letter has thousands of
measures, and the template engine spent about 25 µs on every variable it printed (five of the
six seconds of the summary page at 10,000 measures). Every piece of user text goes through
`escape` (the standard library's, which Django's wraps: the same entities, without the lazy-string
check on every call); the markup is the same for the page and the PDF, only the heading levels
differ.

For the PDF (`frame=True`) the letter stands in its frame (letterhead, addressee, reference
column, closing with room to sign) and each footnote is written at its reference, for WeasyPrint
to set at the foot of that page (`float: footnote`); the page keeps its list of notes.
"""

from html import escape

from django.utils.safestring import mark_safe

from ...formatting import date_nl
from ..charts import table_chart_svg
from ..collector import collector_paused
from ..text import BULLETS
from . import (
    ASSESSMENT_HEADING,
    COMMITMENTS_HEADING,
    CORRECTIONS_HEADING,
    assessment_number,
    closing,
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
    letter_title,
    link_sentence,
    no_progress_line,
    opening,
    paragraphs,
    period_text,
    place_and_date,
    quiet_line,
    signatory,
    status_line,
)

# The address the PDF's logo is fetched from (pdf.py serves the letterhead's logo there).
LOGO_URL = "letterhead/logo"


def _link_ref(number):
    if not number:
        return ""
    return f'<sup class="note-ref"><a href="#note-{number}">{number}</a></sup>'


def runs_html(runs):
    """Return a line of runs (`text.Run`) as escaped HTML with <em> and <strong>."""
    out = []
    for run in runs:
        text = escape(run.text)
        if run.emphasis:
            text = f"<em>{text}</em>"
        if run.strong:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


def _passage(out, passage, place, note=None, note_ref=None):
    """Append the coordinator's text `passage` (its blocks); the reference to footnote `note`
    (written by `note_ref`: a link, or in the PDF the note itself) after its first paragraph or
    list item."""
    if passage is None:
        return
    out.append(f'<div class="letter-passage" data-place="{escape(place)}">')
    for i, block in enumerate(passage.blocks):
        ref = (note_ref or _note_ref)(note) if i == 0 else ""
        if block.is_list:
            tag = "ul" if block.kind == BULLETS else "ol"
            items = [
                f"<li>{runs_html(line)}{ref if j == 0 else ''}</li>"
                for j, line in enumerate(block.lines)
            ]
            out.append(f"<{tag}>{''.join(items)}</{tag}>")
        else:
            out.append(f"<p>{runs_html(block.runs)}{ref}</p>")
    out.append("</div>")


def _inline_ref(texts):
    """Return a function writing footnote `number` at its reference (the PDF's notes)."""

    def note(number):
        if not number:
            return ""
        return f'<span class="footnote">{escape(texts[number])}</span>'

    def notes(numbers):
        # One call for a heading that cites several: WeasyPrint moves a second note of a
        # heading at a page's foot to the next page.
        numbers = [n for n in numbers if n]
        if not numbers:
            return ""
        return f'<span class="footnote">{escape(" ".join(texts[n] for n in numbers))}</span>'

    note.many = notes
    return note


def _note_refs(numbers, note_ref):
    """Return the references to footnotes `numbers` at one place: each its own call on the
    page, one call for them together in the PDF."""
    if hasattr(note_ref, "many"):
        return note_ref.many(numbers)
    return "".join(note_ref(number) for number in numbers)


_note_ref = _link_ref  # the page's notes: a link to the list at the end


def _lines_html(text):
    return "<br>".join(escape(line) for line in text.split("\n"))


def _frame_html(summary, top):
    """Return the letterhead, the addressee with the reference column, and the date and
    subject (the letter's title as its heading) of a letter in its frame."""
    fields = frame_fields(summary)
    logo = (
        f'<img class="logo" src="{LOGO_URL}" alt="Logo {escape(fields["afzender"])}">'
        if summary.frame.logo
        else ""
    )
    wordmark = f'<p class="wordmark">{escape(fields["afzender"])}</p>' if fields["afzender"] else ""
    references = "".join(
        f"<dt>{label}</dt><dd>{escape(fields[key])}</dd>"
        for key, label in (
            ("ons_kenmerk", "Ons kenmerk"),
            ("uw_kenmerk", "Uw kenmerk"),
            ("bijlagen", "Bijlage(n)"),
        )
        if fields[key]
    )
    sender = ""
    if fields["afzender"] or fields["afzender_adres"]:
        sender = (
            f'<p class="sender"><strong>{escape(fields["afzender"])}</strong><br>'
            f"{_lines_html(fields['afzender_adres'])}</p>"
        )
    return [
        f'<header class="letterhead">{logo}{wordmark}</header>' if logo or wordmark else "",
        '<div class="letter-frame">',
        f'<p class="addressee">{_lines_html(fields["adres"])}</p>',
        f'<aside class="reference">{sender}<dl>{references}</dl></aside>',
        "</div>",
        '<div class="date-subject">',
        f'<p><span class="label">Datum</span>{escape(fields["datum"])}</p>',
        f'<div class="subject"><span class="label">Betreft</span>'
        f'<h{top} id="letter-title" class="letter-title">{escape(fields["betreft"])}</h{top}>'
        "</div>",
        "</div>",
    ]


def _measure(out, measure, h4, _note_ref=_note_ref):
    title = f"{measure.code} {measure.title}" if measure.code else measure.title
    refs = _note_refs(measure.notes, _note_ref)
    out.append('<div class="letter-measure">')
    out.append(f'<h{h4} class="h6 fw-bold">{escape(title)}{refs}</h{h4}>')
    out.append(f'<p class="status-line"><em>{escape(status_line(measure))}</em></p>')
    if measure.replacement:
        _passage(out, measure.replacement, "measure")
        out.append("</div>")
        return
    for link in measure.links:
        out.append(f'<p class="measure-link">{escape(link_sentence(link))}</p>')
    for update in dated_news(measure):
        for i, para in enumerate(paragraphs(update.text)):
            date = f"<strong>{date_nl(update.date)}</strong> – " if i == 0 else ""
            out.append(f"<p>{date}{escape(para)}</p>")
    if not has_news(measure):
        out.append(f"<p>{no_progress_line()}</p>")
    if measure.next_steps:
        steps = escape(" ".join(paragraphs(measure.next_steps)))
        out.append(f"<p><strong>Vervolg:</strong> {steps}</p>")
    out.append("</div>")


def _figure_table(out, table):
    """A figure table: its caption, the table (each year's categories indented under it),
    its source, the lines under it (`figure_lines`), and its chart (inline SVG, described
    by its title and text; the table above holds the same numbers)."""
    out.append('<div class="figure-table">')
    kind = " figure-categories" if table.has_categories else ""
    out.append(f'<table class="table table-sm table-figures{kind}">')
    out.append(f"<caption>Tabel {table.number}: {escape(table.title)}</caption>")
    headers = "".join(f'<th scope="col">{escape(header)}</th>' for header in figure_headers(table))
    out.append(f"<thead><tr>{headers}</tr></thead>")
    out.append("<tbody>")
    for row in table.rows:
        label, *cells = figure_cells(row)
        tds = "".join(f"<td>{escape(cell)}</td>" for cell in cells)
        if row.is_category:
            out.append(
                f'<tr class="figure-category"><th scope="row">'
                f'<span class="visually-hidden">{period_text(row)}: </span>'
                f"{escape(label)}</th>{tds}</tr>"
            )
        else:
            kind = "figure-year" if table.has_categories else "figure-row"
            out.append(f'<tr class="{kind}"><th scope="row">{escape(label)}</th>{tds}</tr>')
    out.append("</tbody>")
    out.append("</table>")
    if table.source:
        out.append(f'<p class="figure-source"><em>Bron: {escape(table.source)}</em></p>')
    for line in figure_lines(table):
        out.append(f'<p class="figure-note">{escape(line)}</p>')
    svg = table_chart_svg(table)
    if svg:
        # Built by charts.py, every text in it escaped there.
        out.append(f'<figure class="figure-chart">{svg}</figure>')
    out.append("</div>")


def _commitment(out, commitment, h3, _note_ref=_note_ref):
    refs = _note_refs(commitment.notes, _note_ref)
    heading = escape(commitment_heading(commitment)) + refs
    out.append('<div class="letter-commitment">')
    out.append(f'<h{h3} class="h6 fw-bold">{heading}</h{h3}>')
    out.extend(f"<p>{escape(para)}</p>" for para in paragraphs(commitment.text))
    made = commitment_made(commitment)
    if made:
        out.append(f"<p>{escape(made)}</p>")
    out.append(f"<p><em>{escape(commitment_answer(commitment))}</em></p>")
    out.extend(f"<p>{escape(para)}</p>" for para in paragraphs(commitment.fulfilment_note))
    out.append("</div>")


@collector_paused
def render_letter_html(summary, top=2, *, frame=False):
    """Return the letter as an HTML <article> (safe), its title an <h`top`> and the themes,
    action lines and measures the three levels below it. With `frame` (the PDF): in its frame,
    each footnote at its reference."""
    h2, h3, h4 = top + 1, top + 2, top + 3
    _note_ref = _inline_ref({n.number: n.text for n in summary.notes}) if frame else _link_ref
    text, note = opening(summary)
    out = ['<article class="summary-letter" lang="nl" aria-labelledby="letter-title">']
    if frame:
        out.extend(_frame_html(summary, top))
    else:
        out.append(
            f'<h{top} id="letter-title" class="letter-title">'
            f"{escape(letter_title(summary))}</h{top}>"
        )
        out.append(f'<p class="letter-date">{escape(place_and_date(summary))}</p>')
    if summary.opening_passage:
        _passage(out, summary.opening_passage, "opening", note, _note_ref)
    else:
        out.append(
            f"<p>{escape(text)}{_note_ref(note)}{'.' if summary.previous_letter else ''}</p>"
        )
    for theme in summary.themes:
        out.append('<section class="letter-theme">')
        out.append(f'<h{h2} class="h4">{theme.number}. {escape(theme.name)}</h{h2}>')
        _passage(out, theme.passage, "theme")
        for line in theme.action_lines:
            out.append(f'<h{h3} class="h5">{escape(line.number)} {escape(line.name)}</h{h3}>')
            _passage(out, line.plan_passage, "plan")
            _passage(out, line.passage, "action_line")
            for measure in line.reported:
                _measure(out, measure, h4, _note_ref)
            if line.quiet:
                out.append(f'<p class="letter-quiet">{escape(quiet_line(line.quiet))}</p>')
        for table in theme.figures:
            _figure_table(out, table)
        out.append("</section>")
    if summary.assessment:
        out.append('<section class="letter-assessment">')
        number = assessment_number(summary)
        out.append(f'<h{h2} class="h4">{number}. {ASSESSMENT_HEADING}</h{h2}>')
        _passage(out, summary.assessment, "assessment")
        out.append("</section>")
    if summary.commitments:
        number = commitments_number(summary)
        out.append('<section class="letter-commitments">')
        out.append(f'<h{h2} class="h4">{number}. {COMMITMENTS_HEADING}</h{h2}>')
        for commitment in summary.commitments:
            _commitment(out, commitment, h3, _note_ref)
        out.append("</section>")
    section = corrections_section(summary)
    if section:
        number, letters = section
        out.append('<section class="letter-corrections">')
        out.append(f'<h{h2} class="h4">{number}. {CORRECTIONS_HEADING}</h{h2}>')
        for intro, items in letters:
            out.append(f"<p>{escape(intro)}</p>")
            out.append("<ul>")
            out.extend(f"<li>{escape(item)}</li>" for item in items)
            out.append("</ul>")
        out.append("</section>")
    _passage(out, summary.closing_passage, "closing")
    if frame:
        title, name = signatory(summary)
        out.append('<div class="letter-closing">')
        out.append(f"<p>{escape(title)}</p>" if title else "")
        out.append(f'<p class="signature">{escape(name)}</p>' if name else "")
        out.append("</div>")
    elif lines := closing(summary):
        out.append(f'<p class="letter-closing">{"<br>".join(escape(line) for line in lines)}</p>')
    if summary.notes and not frame:
        out.append('<section class="letter-notes" aria-labelledby="notes-heading">')
        out.append(f'<h{h2} id="notes-heading" class="h5">Noten</h{h2}>')
        out.append('<ol class="small">')
        out.extend(f'<li id="note-{n.number}">{escape(n.text)}</li>' for n in summary.notes)
        out.append("</ol>")
        out.append("</section>")
    out.append("</article>")
    return mark_safe("\n".join(out))  # every piece of text in it went through escape()
