"""Filters that give the letter's fixed Dutch phrases to the HTML and PDF templates."""

from django import template

from .. import renderers

register = template.Library()


# The phrases the Word and Markdown renderers use, as filters, so every format says the same.
for _name in (
    "paragraphs",
    "status_line",
    "quiet_line",
    "commitment_heading",
    "commitment_made",
    "commitment_answer",
):
    register.filter(_name, getattr(renderers, _name))


@register.simple_tag
def letter_parts(summary):
    """Return the title, place and date, opening (text, note) and closing lines of the letter."""
    text, note = renderers.opening(summary)
    return {
        "title": renderers.letter_title(summary),
        "place_and_date": renderers.place_and_date(summary),
        "opening": text,
        "opening_note": note,
        "closing": renderers.closing(summary),
        "figure_headers": renderers.FIGURE_HEADERS,
    }
