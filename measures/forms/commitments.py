"""Forms for the commitments register and the indicator figures: they clean input, nothing more."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from ..dates import DateField
from ..models import CommitmentStatus, IndicatorValue, ProgressLetter
from ..widgets import DateInput
from .base import TrackerFormMixin
from .fields import DutchDecimalField
from .measures import VersionedFormMixin


class CommitmentFulfilForm(TrackerFormMixin, VersionedFormMixin, forms.Form):
    """How a commitment (`instance`) was answered; `Commitment.fulfil` does the rest, refusing
    an answer to a commitment someone changed since the form was opened."""

    letter = forms.ModelChoiceField(
        label=_("Answered in letter"),
        queryset=ProgressLetter.objects.order_by("-date", "-pk"),
        required=False,
        help_text=_("Leave empty when it was answered otherwise, e.g. in a debate."),
    )
    on = DateField(
        label=_("Answered on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to use the date of the letter."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (value, label)
            for value, label in CommitmentStatus.choices
            if value in CommitmentStatus.answered()
        ],
        initial=CommitmentStatus.FULFILLED,
    )
    note = forms.CharField(
        label=_("How it was answered"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, instance, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("letter") and not cleaned.get("on") and "on" not in self.errors:
            self.add_error("on", _("Give the letter that answered it, or the date."))
        return cleaned


class IndicatorValueForm(TrackerFormMixin, VersionedFormMixin, forms.ModelForm):
    """One period's target and realised figure. The model's rules apply in full, including one
    value per period (a constraint that includes the indicator, which the form does not show).
    It carries the version it was opened at: an edit over someone else's is refused."""

    class Meta:
        model = IndicatorValue
        fields = [
            "year",
            "quarter",
            "breakdown",
            "target",
            "realised",
            "status",
            "source",
            "source_letter",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"target": DutchDecimalField, "realised": DutchDecimalField}

    # The field a clash with another value of the same period is shown at (None: the form's).
    period_field = "year"

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.indicator = indicator
        if "quarter" in self.fields:
            self.fields["quarter"].help_text = ""
            self.fields["quarter"].widget = forms.Select(
                choices=[(0, _("Whole year"))]
                + [(q, _("Quarter %(q)d") % {"q": q}) for q in range(1, 5)]
            )
        if "source_letter" in self.fields:
            self.fields["source_letter"].queryset = ProgressLetter.objects.order_by("-date", "-pk")
        if "source" in self.fields and not self.instance.pk and indicator.default_source:
            self.fields["source"].initial = indicator.default_source

    def _post_clean(self):
        super()._post_clean()
        # ModelForm skips constraints on fields it does not show (the indicator); check them now,
        # leaving out the fields that already have an error, and tie "one per period" to the year.
        exclude = {name for name in self.errors if name != NON_FIELD_ERRORS}
        try:
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as error:
            known = set(self.non_field_errors())
            for message in error.message_dict.get(NON_FIELD_ERRORS, []):
                if message not in known:
                    self.add_error(self.period_field, message)
