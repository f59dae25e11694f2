"""The form of the summary page: its period and filters (GET)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..access import is_coordinator
from ..dates import DateField
from ..models import Organisation, Plan, Theme
from ..widgets import DateInput

FORMAT_CHOICES = [("html", "HTML"), ("md", "Markdown"), ("docx", "Word"), ("pdf", "PDF")]


class SummaryForm(forms.Form):
    """The period and the filters of a summary; `from`/`to` are the URL's own parameter names."""

    start = DateField(label=_("From"), widget=DateInput(), input_formats=["%Y-%m-%d"])
    end = DateField(label=_("To"), widget=DateInput(), input_formats=["%Y-%m-%d"])
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), required=False, empty_label=_("All themes")
    )
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=Plan.objects.all(), required=False, empty_label=_("All plans")
    )
    organisation = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("All organisations"),
    )
    include_internal = forms.BooleanField(
        label=_("Include internal measures and updates (not for the letter)"), required=False
    )
    corrections = forms.BooleanField(
        label=_("Add the corrections to earlier letters"),
        help_text=_(
            "What was recorded after the previous letter (and any letter sent since) went out, "
            "about the periods they reported on."
        ),
        required=False,
    )
    format = forms.ChoiceField(choices=FORMAT_CHOICES, required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        if not is_coordinator(user):
            del self.fields["include_internal"]

    def add_prefix(self, field_name):
        """Name the period fields `from` and `to` in the page, as in the URL."""
        return {"start": "from", "end": "to"}.get(field_name, field_name)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The period must end on or after its first day."))
        return data
