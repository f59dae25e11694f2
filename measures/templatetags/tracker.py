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
