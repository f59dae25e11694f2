"""What every data-entry form of the tracker shares: how its fields are labelled and what it says
when one is left empty. One home, so the measure form, the progress form, the letter forms and
the others read alike."""

from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

CHOOSE = _("Choose …")
DASHES = BLANK_CHOICE_DASH[0][1]
CHOICE_WIDGETS = (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple)


class TrackerFormMixin:
    """A tracker form: empty select options say "Choose …" instead of "---------", optional
    fields say so in their label, and a required field left empty gets a message that names it
    ("Enter the title", "Choose the plan") instead of "This field is required.".

    `mark_optional = False` for a form whose fields are filters or depend on each other (the
    bulk change, the change feed's filter): there "(optional)" would say nothing or mislead.

    `required_messages` (field name → message) gives a field its own message where the one built
    from its label reads badly (or, in Dutch, needs its article).
    """

    required_messages = {}
    mark_optional = True
    _fields_prepared = False

    def __getitem__(self, name):
        # Every way to a bound field passes here (rendering, `visible_fields`, and cleaning
        # through `_bound_items`), after the form's own __init__ has set which fields are
        # required or disabled.
        if not self._fields_prepared:
            self._fields_prepared = True
            self.prepare_fields()
        return super().__getitem__(name)

    def prepare_fields(self):
        for name, field in self.fields.items():
            self._choose_label(field)
            if field.disabled or field.widget.is_hidden:
                continue
            if field.required:
                self._required_message(name, field)
            elif self.mark_optional and field.label and not isinstance(field, forms.BooleanField):
                field.label = format_html(
                    '{} <span class="optional-marker">{}</span>', field.label, _("(optional)")
                )

    @staticmethod
    def _choose_label(field):
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DASHES:
                field.empty_label = CHOOSE
        elif isinstance(field, forms.ChoiceField) and any(
            label == DASHES for _value, label in field.choices
        ):
            field.choices = [
                (value, CHOOSE if label == DASHES else label) for value, label in field.choices
            ]

    def _required_message(self, name, field):
        default = forms.Field.default_error_messages["required"]
        if name in self.required_messages:
            message = self.required_messages[name]
        elif field.error_messages.get("required") != default or not field.label:
            return  # a message of the field's own
        else:
            label = str(field.label)
            label = label[:1].lower() + label[1:]
            if isinstance(field.widget, CHOICE_WIDGETS):
                message = _("Choose the %(label)s.") % {"label": label}
            else:
                message = _("Enter the %(label)s.") % {"label": label}
        field.error_messages = {**field.error_messages, "required": message}
