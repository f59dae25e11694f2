"""Forms of the history pages: the change-feed filter, the comparison of two moments, revert."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..dates import DateField, DateTimeField
from ..formatting import display_name
from ..history.asof import InvalidAsOf, as_of_from
from ..history.changes import tracked_models
from ..models import Measure, Organisation, ProgressLetter
from ..widgets import DateInput
from .base import TrackerFormMixin
from .measures import VersionedFormMixin


class ErrorsTiedToFields:
    """Mark fields with errors as invalid and point them to their message (WCAG 3.3.1)."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}-error"
                attrs["class"] = (attrs.get("class", "") + " is-invalid").strip()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            f.widget.attrs.setdefault("class", css)


class ChangeFilterForm(TrackerFormMixin, ErrorsTiedToFields, forms.Form):
    """The filter of the change feed; `querysets_for(user)` hands its values to feed_querysets."""

    mark_optional = False  # a filter: every field is

    user = forms.ModelChoiceField(
        label=_("Changed by"), queryset=get_user_model().objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation of the person"), queryset=Organisation.objects.all(), required=False
    )
    kind = forms.ChoiceField(label=_("Kind of object"), required=False)
    # A number, not a list: a list of every measure grows with the programme (10,000 options).
    measure = forms.ModelChoiceField(
        label=_("Measure number"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1}),
        help_text=_("The number in the measure's address, e.g. 42 for /measures/42/."),
    )
    start = DateField(label=_("From"), required=False, widget=DateInput())
    end = DateField(label=_("To"), required=False, widget=DateInput())
    before = DateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.order_by(
            "first_name", "last_name", "username"
        )
        self.fields["user"].label_from_instance = display_name
        self.fields["kind"].choices = [("", _("All kinds"))] + [
            (m._meta.model_name, m._meta.verbose_name_plural.capitalize()) for m in tracked_models()
        ]
        self.fields["measure"].queryset = Measure.objects.visible_to(user).only("code", "title")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end date cannot be before the start date."))
        return cleaned

    def feed_arguments(self):
        data = self.cleaned_data
        return {
            "kind": data.get("kind") or None,
            "history_user": data.get("user"),
            "organisation": data.get("organisation"),
            "measure": data.get("measure"),
            "start": data.get("start"),
            "end": data.get("end"),
        }


class CompareForm(TrackerFormMixin, ErrorsTiedToFields, forms.Form):
    """Two moments, each a date (`from`, `to`) or a letter (`from_letter`, `to_letter`)."""

    mark_optional = False  # a date or a letter for each moment: neither alone is required

    from_letter = forms.ModelChoiceField(
        label=_("or the letter"), queryset=ProgressLetter.objects.all(), required=False
    )
    to = DateField(label=_("To date"), required=False, widget=DateInput())
    to_letter = forms.ModelChoiceField(
        label=_("or the letter"), queryset=ProgressLetter.objects.all(), required=False
    )

    known = DateField(
        label=_("As known on (optional)"),
        required=False,
        widget=DateInput(),
        help_text=_("For two dates: only what had been recorded by then."),
    )

    field_order = ["from", "from_letter", "to", "to_letter", "known"]

    def _moment(self, day_field, letter_field):
        day, letter = self.cleaned_data.get(day_field), self.cleaned_data.get(letter_field)
        known = self.cleaned_data.get("known")
        if not day and not letter:
            self.add_error(day_field, _("Give a date or choose a letter."))
            return None
        try:
            return as_of_from(
                day and day.isoformat(), letter and str(letter.pk), known and known.isoformat()
            )
        except InvalidAsOf as error:
            self.add_error(day_field, error)
            return None

    def clean(self):
        cleaned = super().clean()
        for key, day_field, letter_field in (
            ("start", "from", "from_letter"),
            ("end", "to", "to_letter"),
        ):
            if day_field not in self.errors and letter_field not in self.errors:
                cleaned[key] = self._moment(day_field, letter_field)
        return cleaned


# "from" is a Python keyword, so the field is added under its query-string name here.
CompareForm.base_fields = {
    "from": DateField(label=_("From date"), required=False, widget=DateInput()),
    **CompareForm.base_fields,
}


class RevertForm(TrackerFormMixin, ErrorsTiedToFields, VersionedFormMixin, forms.Form):
    """Why a measure (`instance`) goes back to an earlier version; `Measure.revert_to` does it."""

    reason = forms.CharField(
        label=_("Why revert to this version?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=100,
        help_text=_("Recorded in the history with the change."),
    )

    def __init__(self, *args, instance, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why the measure is reverted."))
        return reason
