"""The department's letterhead: its texts, its logo and its own Word template."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import FileKind, LetterTemplate, StoredFile
from .base import TrackerFormMixin
from .measures import VersionedFormMixin


class LetterTemplateForm(TrackerFormMixin, VersionedFormMixin, forms.ModelForm):
    """The letterhead in use. A file chosen replaces the one stored (the old one stays what
    earlier versions point to); "remove" goes back to none. A file is checked by
    `StoredFile.from_upload`, a Word template test-filled by the model (`LetterTemplate.clean`):
    a bad one is refused with what is wrong, and nothing is written."""

    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("A PNG or JPEG image, shown above the wordmark."),
        widget=forms.FileInput(attrs={"accept": ".png,.jpg,.jpeg"}),
    )
    docx = forms.FileField(
        label=_("Word template"),
        required=False,
        help_text=_("A .docx with the placeholders below; without one the neutral frame is used."),
        widget=forms.FileInput(attrs={"accept": ".docx"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    remove_docx = forms.BooleanField(label=_("Remove the Word template"), required=False)

    class Meta:
        model = LetterTemplate
        fields = ["department", "sender_address", "closing_title", "in_use", "logo", "docx"]
        widgets = {"sender_address": forms.Textarea(attrs={"rows": 5})}

    required_messages = {"department": _("Enter the name of the department.")}

    def __init__(self, *args, user=None, **kwargs):
        self.uploader = user
        super().__init__(*args, user=user, **kwargs)
        for name, remove in (("logo", "remove_logo"), ("docx", "remove_docx")):
            if getattr(self.instance, f"{name}_id") is None:
                del self.fields[remove]

    def _stored(self, name, kind):
        """Return what the letterhead's `name` becomes: the file uploaded (checked, unsaved),
        none when removed, else the one it has."""
        upload = self.files.get(self.add_prefix(name))  # cleaned_data holds the initial id
        if upload:
            return StoredFile.from_upload(upload, [kind], by=self.uploader)
        if self.data.get(self.add_prefix(f"remove_{name}")):
            return None
        return getattr(self.instance, name) if getattr(self.instance, f"{name}_id") else None

    def clean_logo(self):
        return self._stored("logo", FileKind.IMAGE)

    def clean_docx(self):
        return self._stored("docx", FileKind.DOCX)
