"""Form fields shared by the forms: numbers typed the Dutch way."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A whole part with a dot only between groups of exactly three digits: 1.234 or 12.345.678.
_GROUPED = re.compile(r"[+-]?\d{1,3}(\.\d{3})+")


def parse_dutch_number(text):
    """Return `text` as a number string Python's Decimal reads, reading it the Dutch way: the
    comma is the decimal separator and a dot only separates thousands ("1.234,5" -> "1234.5").
    Raise ValidationError (code "decimal_dot") for any other dot ("22.5", "1.23", "1.2345"):
    read the English way it would be a different number."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    whole, comma, fraction = text.partition(",")
    if "." in fraction:
        raise ValidationError(
            DutchDecimalField.default_error_messages["decimal_dot"], "decimal_dot"
        )
    if "." in whole:
        if not _GROUPED.fullmatch(whole):
            raise ValidationError(
                DutchDecimalField.default_error_messages["decimal_dot"], "decimal_dot"
            )
        whole = whole.replace(".", "")
    return f"{whole}.{fraction}" if comma else whole


class DutchDecimalField(forms.DecimalField):
    """A number field that reads and shows numbers the Dutch way: "22,0" is 22, "1.234" is
    1234 and "1.234,5" is 1234.5; a dot anywhere else is refused, not guessed. Every number
    field of a form for figures uses it."""

    default_error_messages = {
        "decimal_dot": _("Use a comma for decimals, for example 22,5"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # Not DecimalField's: a "step" attribute means nothing on a text input.
        return forms.Field.widget_attrs(self, widget)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            value = parse_dutch_number(value)
        return super().to_python(value)

    def prepare_value(self, value):
        """Show a stored number with a decimal comma and no trailing zeros (600.00 -> 600,
        22.50 -> 22,5); text typed by the user is shown as typed."""
        if isinstance(value, Decimal):
            text = f"{value.normalize():f}" if value == value else str(value)
            return text.replace(".", ",")
        return value
