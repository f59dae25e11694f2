"""Forms of the document register and of a measure's events. They clean input; the views save."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..dates import DateField
from ..models import (
    Commitment,
    Document,
    FileKind,
    Measure,
    MeasureEvent,
    MeasureLink,
    Plan,
    ProgressLetter,
    StoredFile,
)
from ..widgets import DateInput
from .base import TrackerFormMixin
from .measures import VersionedFormMixin


class DocumentForm(TrackerFormMixin, VersionedFormMixin, forms.ModelForm):
    """A document of the register, what it is linked to, and optionally its file (PDF or Word;
    a new upload replaces the file, the old one stays with the earlier version)."""

    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A PDF or Word file; replaces the current one."),
    )
    measures = forms.ModelMultipleChoiceField(
        Measure.objects.none(), label=_("Measures"), required=False
    )
    plans = forms.ModelMultipleChoiceField(Plan.objects.all(), label=_("Plans"), required=False)
    commitments = forms.ModelMultipleChoiceField(
        Commitment.objects.all(), label=_("Commitments and motions"), required=False
    )
    letters = forms.ModelMultipleChoiceField(
        ProgressLetter.objects.all(), label=_("Letters"), required=False
    )

    class Meta:
        model = Document
        fields = [
            "kind",
            "title",
            "date",
            "date_is_estimated",
            "dossier",
            "number",
            "organisation",
            "url",
        ]
        field_classes = {"date": DateField}
        widgets = {"date": DateInput(), "url": forms.URLInput()}

    LINKS = {
        "measures": "measure",
        "plans": "plan",
        "commitments": "commitment",
        "letters": "letter",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].queryset = Measure.objects.visible_to(self.user)
        for name in self.LINKS:
            self.fields[name].widget.attrs["size"] = 8
        if self.instance.pk:
            for name, target in self.LINKS.items():
                self.initial[name] = [
                    getattr(link, f"{target}_id")
                    for link in self.instance.links.all()
                    if getattr(link, f"{target}_id")
                ]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        return StoredFile.from_upload(upload, [FileKind.PDF, FileKind.DOCX], by=self.user)

    def save_document(self, *, by):
        """Save the document, its new file and its links in one transaction; return it, or None
        with the refusal as form errors (someone saved it meanwhile)."""
        document = self.instance
        stored = self.cleaned_data.get("upload")
        links = {target: self.cleaned_data[name] for name, target in self.LINKS.items()}
        expected = self.cleaned_data["version"] if document.pk else None
        try:
            with transaction.atomic():
                if stored is not None:
                    stored.save()
                    document.file = stored
                document.save_with_links(by=by, links=links, expected_version=expected)
        except ValidationError as error:
            if hasattr(error, "expected_version"):
                self.refuse_stale(error)
            else:
                self.add_error(None, error.messages)
            return None
        return document


class DocumentFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "form-select"
        self.fields["q"].widget.attrs["class"] = "form-control"
        self.fields["kind"].choices = [
            ("", _("All kinds")),
            *Document._meta.get_field("kind").choices,
        ]


class MeasureEventForm(TrackerFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = MeasureEvent
        fields = ["date", "date_is_estimated", "text", "visibility"]
        field_classes = {"date": DateField}
        widgets = {"date": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": _("What happened")}


class MeasureLinkForm(TrackerFormMixin, forms.ModelForm):
    """Say that the measure continues, replaces or was split from an earlier one (among the
    measures the user may read)."""

    class Meta:
        model = MeasureLink
        fields = ["kind", "target"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Measure.objects.visible_to(user).exclude(
            pk=self.instance.source_id
        )
