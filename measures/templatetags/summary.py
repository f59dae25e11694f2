"""Filters that give the letter's fixed Dutch phrases to the HTML and PDF templates."""

from django import template

from .. import renderers

register = template.Library()


@register.filter
def paragraphs(text):
    return renderers.paragraphs(text)


@register.filter
def status_line(measure):
    return renderers.status_line(measure)


@register.filter
def quiet_line(measures):
    return renderers.quiet_line(measures)


@register.filter
def commitment_heading(commitment):
    return renderers.commitment_heading(commitment)


@register.filter
def commitment_made(commitment):
    return renderers.commitment_made(commitment)


@register.filter
def commitment_answer(commitment):
    return renderers.commitment_answer(commitment)


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
