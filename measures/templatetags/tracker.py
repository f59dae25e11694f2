from django import template

from .. import formatting
from ..middleware import idle_seconds_left

register = template.Library()


@register.filter
def date_nl(value):
    return formatting.date_nl(value)


@register.filter
def number_nl(value, decimals=None):
    return formatting.number_nl(value, None if decimals in (None, "") else int(decimals))


@register.filter
def percent_nl(value, decimals=1):
    return formatting.percent_nl(value, int(decimals))


@register.filter
def euro_nl(value):
    return formatting.euro_nl(value)


# The longest list a page prints in full before it says how many more there are.
SHORTLIST_LENGTH = 20


@register.filter
def shortlist(items, length=SHORTLIST_LENGTH):
    """Return {"shown": the first `length` items, "more": how many are left out}: an overview of
    10,000 measures names a few and counts the rest rather than printing every one."""
    items = list(items)
    length = int(length)
    return {"shown": items[:length], "more": max(0, len(items) - length)}


@register.simple_tag
def error_links(*forms):
    """Return (anchor, message) for each error of `forms` (forms or formsets), for the error
    summary: a field's errors link to the field (its first box for a list of checkboxes or radio
    buttons), errors of a whole form or formset link nowhere (anchor None)."""
    links = []
    for form in forms:
        if not form:
            continue
        if hasattr(form, "forms"):  # a formset: its own errors, then each row's
            links += [(None, error) for error in form.non_form_errors()]
            links += error_links(*form.forms)
            continue
        if not form.errors:
            continue
        links += [(None, error) for error in form.non_field_errors()]
        for field in form:
            if field.errors and not field.is_hidden:
                anchor = field.id_for_label or f"{field.auto_id}_0"
                links += [(f"#{anchor}", error) for error in field.errors]
        for field in form.hidden_fields():
            links += [(None, error) for error in field.errors]
    return links


@register.simple_tag(takes_context=True)
def session_seconds_left(context):
    """Return how many seconds the page's session has left without another request."""
    return idle_seconds_left(context["request"].session)


@register.inclusion_tag("measures/_breadcrumbs.html")
def breadcrumbs(*links, current):
    """Render the way back from a sub-page: `links` are url, label pairs from the top down,
    `current` names the page itself."""
    return {"links": list(zip(links[::2], links[1::2], strict=True)), "current": current}
