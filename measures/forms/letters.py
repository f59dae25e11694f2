"""Forms of the progress letters: a draft letter, and the confirmation that a letter was sent."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..dates import DateField
from ..formatting import date_nl
from ..history.changes import stale_lines
from ..locking import StaleEdit
from ..models import DEFAULT_ADDRESSEE, ChangeReason, LetterPassage, ProgressLetter
from ..reports.renderers import no_progress_line, opening, paragraphs, status_line
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
            "figures_from_year",
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


class PassageField(forms.CharField):
    """A textarea for one place of the letter; line ends stored as "\n"."""

    widget = forms.Textarea(attrs={"rows": 3, "class": "form-control", "lang": "nl"})

    def __init__(self, **kwargs):
        max_length = LetterPassage._meta.get_field("text").max_length
        super().__init__(required=False, max_length=max_length, **kwargs)

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class Place:
    """One place of the letter the text page offers, in the letter's order: a heading to show
    where it is, the field, and for a measure what the tracker writes there itself."""

    key: str
    heading: str
    level: int
    label: str
    generated: tuple = ()  # what the letter says here without the coordinator's text

    @property
    def version_key(self):
        return f"{self.key}-version"


def _generated_paragraph(measure):
    """Return the lines the letter writes under a measure's heading by itself."""
    lines = [status_line(measure)]
    for update in measure.updates:
        lines.append(f"{date_nl(update.date)} – {' '.join(paragraphs(update.text))}")
    if not measure.updates:
        lines.append(no_progress_line())
    if measure.next_steps:
        lines.append(f"Vervolg: {' '.join(paragraphs(measure.next_steps))}")
    return tuple(lines)


def letter_places(summary):
    """Return the places of a letter's text, in its order, from the letter's own structure (the
    builder's): the opening, each theme, each plan's first section, each action line and each
    measure, the assessment and the closing."""
    generated_opening = opening(summary)[0] + ("." if summary.previous_letter else "")
    places = [
        Place(
            "opening",
            _("Opening"),
            2,
            _("Opening (replaces the generated sentence)"),
            (generated_opening,),
        )
    ]
    for theme in summary.themes:
        places.append(
            Place(theme.key, f"{theme.number}. {theme.name}", 2, _("Paragraph under the theme"))
        )
        for section in theme.action_lines:
            heading = f"{section.number} {section.name}"
            if section.is_first_of_plan and section.plan_key:
                label = _("Paragraph before the measures of the plan “%(plan)s”") % {
                    "plan": section.plan_name
                }
                places.append(Place(section.plan_key, heading, 3, label))
                heading = ""
            if section.key:
                places.append(Place(section.key, heading, 3, _("Paragraph under the action line")))
            for measure in section.measures:
                title = f"{measure.code} {measure.title}" if measure.code else measure.title
                places.append(
                    Place(
                        measure.key,
                        title,
                        4,
                        _("Replace the paragraph for this letter only"),
                        _generated_paragraph(measure),
                    )
                )
    places.append(Place("assessment", _("Assessment"), 2, _("Assessment (“Beoordeling”)")))
    places.append(Place("closing", _("Closing"), 2, _("Closing, before the signature")))
    return places


class LetterTextForm(TrackerFormMixin, forms.Form):
    """The coordinator's words of a draft letter: a textarea per place (`letter_places`), each
    with the version of its passage the page showed. `save(by=…)` writes only the passages whose
    text changed, each through `LetterPassage.save_change` with its version; a passage someone
    else saved meanwhile is refused on its field with what changed, and then nothing is
    written."""

    mark_optional = False  # every place may stay empty

    def __init__(self, data=None, *, letter, summary, passages, user=None):
        super().__init__(data)
        self.letter = letter
        self.user = user
        self.passages = passages  # {key: LetterPassage} as stored now
        self.places = letter_places(summary)
        for place in self.places:
            passage = passages.get(place.key)
            self.fields[place.key] = PassageField(label=place.label)
            self.fields[place.version_key] = forms.IntegerField(
                required=False, min_value=1, widget=forms.HiddenInput
            )
            if passage is not None:
                self.initial[place.key] = passage.text
                self.initial[place.version_key] = passage.version
        for place in self.places:
            place.field = self[place.key]
            place.version_field = self[place.version_key]

    def save(self, *, by):
        """Write what changed; return the number of passages written, or None when refused (the
        errors are on the form, nothing is written)."""
        written = 0
        with transaction.atomic():
            for place in self.places:
                text = self.cleaned_data[place.key]
                version = self.cleaned_data[place.version_key]
                try:
                    written += self._write(place.key, text, version, by)
                except StaleEdit as stale:
                    self._refuse_stale(place, stale)
                except ValidationError as error:
                    self.add_error(place.key, error.messages)
            if self.errors:
                transaction.set_rollback(True)
                return None
        return written

    def _write(self, key, text, version, by):
        passage = self.passages.get(key)
        if passage is None:
            if not text.strip():
                return 0
            passage = LetterPassage.for_key(self.letter, key)
        elif passage.text == text:
            return 0
        elif version != passage.version:
            # Saved by someone else since the page was shown (or written while it was open):
            # what was it then? Unchanged here: keep theirs; changed here too: refused.
            if text == (passage.text_at(version) if version else ""):
                return 0
            raise StaleEdit(passage, version)
        passage.text = text
        passage.save_change(
            by=by,
            reason=ChangeReason.WORDS,
            expected_version=version if passage.pk else None,
        )
        return 1

    def _refuse_stale(self, place, stale):
        self.add_error(place.key, stale.messages)
        for line in stale_lines(stale, self.user):
            self.add_error(place.key, line)
        self.data = self.data.copy()
        self.data[place.version_key] = self.passages[place.key].version
