from django import template

from .. import formatting

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


@register.inclusion_tag("measures/_breadcrumbs.html")
def breadcrumbs(*links, current):
    """Render the way back from a sub-page: `links` are url, label pairs from the top down,
    `current` names the page itself."""
    return {"links": list(zip(links[::2], links[1::2], strict=True)), "current": current}
