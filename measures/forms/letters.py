"""Forms of the progress letters: a draft letter, and the confirmation that a letter was sent."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..dates import DateField
from ..formatting import date_nl
from ..models import ProgressLetter, end_of_day, not_in_future
from ..widgets import DateInput
from .measures import VersionedFormMixin


class LetterForm(forms.ModelForm):
    """Save a summary's period as a draft progress letter."""

    class Meta:
        model = ProgressLetter
        fields = [
            "title",
            "date",
            "period_start",
            "period_end",
            "kamerstuk",
            "signed_by",
            "signed_title",
        ]
        widgets = {
            "date": DateInput(),
            "period_start": DateInput(),
            "period_end": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("date", "period_start", "period_end"):
            self.fields[name].required = True
            self.fields[name].input_formats = ["%Y-%m-%d"]


class LetterSendForm(VersionedFormMixin, forms.Form):
    """The parliamentary paper and the day a letter (`instance`) went out;
    `ProgressLetter.mark_sent` does the rest, refusing a letter someone changed since the
    confirmation page was opened."""

    kamerstuk = forms.CharField(
        label=_("Parliamentary paper"),
        max_length=ProgressLetter._meta.get_field("kamerstuk").max_length,
        help_text=_("e.g. 31 015, nr. 112"),
    )
    sent_on = DateField(
        label=_("Sent on"),
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        initial=timezone.localdate,
    )

    def __init__(self, *args, instance, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.initial.setdefault("kamerstuk", instance.kamerstuk)

    def clean_sent_on(self):
        day = self.cleaned_data["sent_on"]
        if day > timezone.localdate():
            raise not_in_future(day)
        if day < self.instance.date:
            raise forms.ValidationError(
                _("A letter is not sent before its date (%(day)s)."),
                code="before_letter",
                params={"day": date_nl(self.instance.date)},
            )
        return day

    def sent_at(self):
        """Return the moment the letter was sent: now when it went out today, else the end of
        the day it went out (the letter fixes what the tracker knew by then)."""
        day = self.cleaned_data["sent_on"]
        return None if day == timezone.localdate() else end_of_day(day)
