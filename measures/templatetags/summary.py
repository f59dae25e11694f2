"""The letter's HTML for the page, a letter's page and the PDF (see renderers/html.py)."""

from django import template

from ..reports import renderers
from ..reports.renderers.html import render_letter_html

register = template.Library()


@register.simple_tag
def letter_html(summary, top=2, frame=False):
    """Render the letter with its title as an <h`top`> heading (with `frame`: in its frame,
    with footnotes at their references, for the PDF)."""
    return render_letter_html(summary, top=int(top), frame=bool(frame))


@register.simple_tag
def letter_title(summary):
    return renderers.letter_title(summary)
