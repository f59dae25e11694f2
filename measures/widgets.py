"""Form widgets for long choice lists."""

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A select that writes its options in Python instead of through a template each.

    The measure list's plan and action-line filters grow with the programme (hundreds of options
    at 10,000 measures) and the template engine's include per option made them the largest cost
    of the page. The markup is the same as `forms.Select`'s; a choice whose label is a list of
    choices becomes an <optgroup>.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        # As django/forms/widgets/attrs.html: in their order, True as a bare name, False left out.
        attrs_html = mark_safe(
            "".join(
                format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value)
                for key, value in attrs.items()
                if value is not False
            )
        )
        selected = self.format_value(value)[:1]
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            attrs_html,
            self.options(self.choices, selected),
        )

    def options(self, choices, selected):
        html = []
        for value, label in choices:
            if isinstance(label, (list, tuple)):
                html.append(
                    format_html(
                        '<optgroup label="{}">{}</optgroup>', value, self.options(label, selected)
                    )
                )
                continue
            value = "" if value is None else str(value)
            html.append(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    value,
                    mark_safe(" selected") if value in selected else "",
                    label,
                )
            )
        return mark_safe("".join(html))


class DateInput(forms.DateInput):
    """A browser date picker; its value is always ISO (yyyy-mm-dd), whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ActionLineSelect(forms.Select):
    """The action lines of every plan, each option marked with its plan (`data-plan`), so
    static/js/forms.js can offer only the lines of the plan chosen beside it. Without the script
    every line can be chosen; `Measure.clean` refuses a line of another plan."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        line = getattr(value, "instance", None)
        if line is not None:
            option["attrs"]["data-plan"] = line.plan_id
        return option


class FilterableCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes instead of a Ctrl-click multiple select; static/js/forms.js puts a filter
    field above a long list (`data-filter-list` on the boxes)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"data-filter-list": "", **(attrs or {})})
