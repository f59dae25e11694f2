"""The form of the coordinators' import page: the spreadsheet, an optional progress file and
whether stale rows may overwrite changes made since the export."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ..spreadsheets import files
from ..spreadsheets.imports import max_bytes


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        required=False,
        help_text=_(
            "An .xlsx or .csv file in the layout of the measure export. Rows with an id change "
            "that measure, rows without one add a measure; an empty cell leaves a field as it "
            "is. A progress sheet “Voortgang” in the .xlsx adds progress updates."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    updates_file = forms.FileField(
        label=_("Progress updates (optional)"),
        required=False,
        help_text=_("A separate .csv or .xlsx file in the layout of the progress sheet."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    overwrite = forms.BooleanField(
        label=_("Overwrite changes made since the export"),
        required=False,
        help_text=_(
            "Without this, a row exported before its measure was last changed is refused, so "
            "nobody's change is undone unnoticed."
        ),
    )

    def clean_file(self):
        return self._checked(self.cleaned_data.get("file"))

    def clean_updates_file(self):
        return self._checked(self.cleaned_data.get("updates_file"))

    @staticmethod
    def _checked(upload):
        if upload is None:
            return None
        try:
            files.detect_format(upload.name)
        except files.UnreadableFile as exc:
            raise forms.ValidationError(str(exc)) from None
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("This file is %(size)s; at most %(max)s can be imported.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes())}
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not cleaned.get("updates_file"):
            raise forms.ValidationError(_("Choose a spreadsheet to import."))
        return cleaned

    def import_arguments(self):
        """Return the keyword arguments of `imports.import_file` (and of StoredUpload.store)."""
        upload = self.cleaned_data.get("file")
        updates = self.cleaned_data.get("updates_file")
        return {
            "data": upload.read() if upload else None,
            "name": upload.name if upload else None,
            "updates_data": updates.read() if updates else None,
            "updates_name": updates.name if updates else None,
            "overwrite": self.cleaned_data["overwrite"],
        }
