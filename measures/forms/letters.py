"""Forms of the progress letters: a draft letter, and the confirmation that a letter was sent."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..dates import DateField
from ..models import DEFAULT_ADDRESSEE, ProgressLetter
from ..widgets import DateInput
from .base import TrackerFormMixin
from .measures import VersionedFormMixin


class LetterForm(TrackerFormMixin, forms.ModelForm):
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
            "addressee",
            "our_reference",
            "your_reference",
            "enclosures",
        ]
        widgets = {
            "addressee": forms.Textarea(attrs={"rows": 4}),
            "date": DateInput(),
            "period_start": DateInput(),
            "period_end": DateInput(),
        }

    required_messages = {
        "title": _("Enter the title of the letter."),
        "date": _("Enter the date of the letter."),
        "period_start": _("Enter the first day of the period the letter reports on."),
        "period_end": _("Enter the last day of the period the letter reports on."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("date", "period_start", "period_end"):
            self.fields[name].required = True
            self.fields[name].input_formats = ["%Y-%m-%d"]
        self.fields["addressee"].required = False
        self.fields["addressee"].help_text = _(
            "One line per line; left empty: the Speaker of the House of Representatives."
        )

    def clean_addressee(self):
        return self.cleaned_data["addressee"].strip() or DEFAULT_ADDRESSEE


class LetterSendForm(TrackerFormMixin, VersionedFormMixin, forms.Form):
    """The parliamentary paper and the day a letter (`instance`) went out;
    `ProgressLetter.mark_sent` does the rest: it checks the day and refuses a letter someone
    changed since the confirmation page was opened."""

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

    required_messages = {
        "kamerstuk": _("Enter the number of the parliamentary paper."),
        "sent_on": _("Enter the day the letter was sent."),
    }

    def __init__(self, *args, instance, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.initial.setdefault("kamerstuk", instance.kamerstuk)
