"""The summary as Markdown: plain text in which no user text can change the structure."""

import re

from ...formatting import date_nl
from ..text import BULLETS
from . import (
    ASSESSMENT_HEADING,
    COMMITMENTS_HEADING,
    CORRECTIONS_HEADING,
    SOURCE_PREFIX,
    assessment_number,
    clean,
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
    has_news,
    letter_title,
    link_sentence,
    no_progress_line,
    opening,
    paragraphs,
    period_text,
    place_and_date,
    quiet_line,
    status_line,
)

# Every ASCII punctuation character CommonMark lets a backslash escape and that can start or
# change structure: emphasis, links, headings, tables, HTML, code, lists, entities.
SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#~&!$])")
# At the start of a line these make a list item or a setext heading.
LEADING = re.compile(r"^(?:(\d+)([.)])|([-+=]))")


def _escape_leading(match):
    if match.group(3):
        return "\\" + match.group(3)
    return match.group(1) + "\\" + match.group(2)


def escape(text, *, line_start=True):
    """Return user text safe to place in a Markdown paragraph, heading or table cell (where
    nothing starts a line: `line_start=False`)."""
    text = SPECIAL.sub(r"\\\1", " ".join(clean(text).split()))
    return LEADING.sub(_escape_leading, text) if line_start else text


def note_ref(number):
    return f"[^{number}]" if number else ""


def runs_markdown(runs):
    """Return a line of runs (`text.Run`) as Markdown: each run's text escaped (the first as at
    the start of a line), emphasis as *…*, strong as **…**; the spaces between runs kept."""
    out = []
    for i, run in enumerate(runs):
        text = escape(run.text, line_start=i == 0)
        if not text:
            out.append(" ")
            continue
        marks = ("*" if run.emphasis else "") + ("**" if run.strong else "")
        lead = " " if run.text[:1].isspace() else ""
        trail = " " if run.text[-1:].isspace() else ""
        out.append(f"{lead}{marks}{text}{marks}{trail}")
    return "".join(out)


def passage_markdown(passage, note=None):
    """Return the lines of the coordinator's text `passage`: paragraphs and lists, each
    followed by a blank line; the reference to footnote `note` after the first paragraph or
    list item."""
    if passage is None:
        return []
    out = []
    for i, block in enumerate(passage.blocks):
        ref = note_ref(note) if i == 0 else ""
        if block.is_list:
            for j, line in enumerate(block.lines, start=1):
                marker = "-" if block.kind == BULLETS else f"{j}."
                out.append(f"{marker} {runs_markdown(line)}{ref if j == 1 else ''}")
        else:
            out.append(runs_markdown(block.runs) + ref)
        out.append("")
    return out


def _figure_table(table):
    """Return the lines of a figure table: its caption, a pipe table (a category's label
    says its year: a pipe table cannot indent), its source and the lines under it."""
    out = [f"**Tabel {table.number}: {escape(table.title)}**", ""]
    out.append("| " + " | ".join(escape(h, line_start=False) for h in figure_headers(table)) + " |")
    out.append("| --- | ---: | ---: | ---: | ---: |")
    for row in table.rows:
        label, *cells = figure_cells(row)
        if row.is_category:
            label = f"{period_text(row)}: {label}"
        out.append("| " + " | ".join(escape(c, line_start=False) for c in (label, *cells)) + " |")
    out.append("")
    if table.source:
        out += [f"*{SOURCE_PREFIX}: {escape(table.source)}*", ""]
    for line in figure_lines(table):
        out += [escape(line), ""]
    return out


def render_markdown(summary):
    """Return the summary as a Markdown document (str)."""
    out = [f"# {escape(letter_title(summary))}", "", escape(place_and_date(summary)), ""]
    text, note = opening(summary)
    if summary.opening_passage:
        out += passage_markdown(summary.opening_passage, note)
    else:
        out += [escape(text) + note_ref(note) + ("." if summary.previous_letter else ""), ""]
    for theme in summary.themes:
        out += [f"## {theme.number}\\. {escape(theme.name)}", ""]
        out += passage_markdown(theme.passage)
        for line in theme.action_lines:
            out += [f"### {line.number} {escape(line.name)}", ""]
            out += passage_markdown(line.plan_passage)
            out += passage_markdown(line.passage)
            for measure in line.reported:
                title = f"{measure.code} {measure.title}" if measure.code else measure.title
                refs = "".join(note_ref(number) for number in measure.notes)
                out += [f"#### {escape(title)}{refs}", ""]
                out += [f"*{escape(status_line(measure))}*", ""]
                if measure.replacement:
                    out += passage_markdown(measure.replacement)
                    continue
                for link in measure.links:
                    out += [escape(link_sentence(link)), ""]
                if not has_news(measure):
                    out += [escape(no_progress_line()), ""]
                for update in dated_news(measure):
                    for i, para in enumerate(paragraphs(update.text)):
                        prefix = f"{escape(date_nl(update.date))} — " if i == 0 else ""
                        out += [prefix + escape(para), ""]
                if measure.next_steps:
                    out += ["**Vervolg:** " + escape(" ".join(paragraphs(measure.next_steps))), ""]
            if line.quiet:
                out += [escape(quiet_line(line.quiet)), ""]
        for table in theme.figures:
            out += _figure_table(table)
    if summary.assessment:
        out += [f"## {assessment_number(summary)}\\. {ASSESSMENT_HEADING}", ""]
        out += passage_markdown(summary.assessment)
    if summary.commitments:
        out += [f"## {commitments_number(summary)}\\. {COMMITMENTS_HEADING}", ""]
        for commitment in summary.commitments:
            refs = "".join(note_ref(number) for number in commitment.notes)
            out += [f"### {escape(commitment_heading(commitment))}{refs}", ""]
            for para in paragraphs(commitment.text):
                out += [escape(para), ""]
            made = commitment_made(commitment)
            if made:
                out += [escape(made), ""]
            out += [f"*{escape(commitment_answer(commitment))}*", ""]
            for para in paragraphs(commitment.fulfilment_note):
                out += [escape(para), ""]
    section = corrections_section(summary)
    if section:
        number, letters = section
        out += [f"## {number}\\. {escape(CORRECTIONS_HEADING)}", ""]
        for intro, items in letters:
            out += [escape(intro), ""]
            out += [f"- {escape(item, line_start=False)}" for item in items] + [""]
    out += passage_markdown(summary.closing_passage)
    lines = closing(summary)
    if lines:
        out += ["  \n".join(escape(line) for line in lines), ""]
    for note in summary.notes:
        out.append(f"[^{note.number}]: {escape(note.text)}")
    return "\n".join(out).rstrip() + "\n"
