"""Forms clean input; the model methods (`set_status`, `log_progress`) make the changes."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .locking import VersionedFormMixin
from .models import Measure, MeasureStatus, Organisation
from .permissions import is_coordinator

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeasureForm(VersionedFormMixin, forms.ModelForm):
    """Create or edit a measure. The view saves it through `Measure.set_status`, so the
    completion date follows the status, with the version check against lost updates; a
    contributor cannot hand the measure to another owner."""

    class Meta:
        model = Measure
        fields = [
            "code",
            "title",
            "description",
            "plan",
            "action_line",
            "theme",
            "parent",
            "owner",
            "partners",
            "responsible",
            "status",
            "start_date",
            "due_date",
            "budget_eur",
            "funder",
            "countries",
            "visibility",
            "source_reference",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "start_date": DATE_INPUT,
            "due_date": DATE_INPUT,
            "partners": forms.SelectMultiple(attrs={"size": 6}),
            "countries": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "status": _("Completing a measure sets its completion date to today."),
            "partners": _("Hold Ctrl (or Cmd) to select more than one."),
            "countries": _("Hold Ctrl (or Cmd) to select more than one."),
        }

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["action_line"].queryset = self.fields["action_line"].queryset.select_related(
            "plan"
        )
        self.fields["action_line"].label_from_instance = lambda line: f"{line.plan} – {line}"
        parents = Measure.objects.visible_to(user).select_related("plan")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        if self.instance.parent_id and self.instance.parent_for(user) is None:
            del self.fields["parent"]  # part of a measure `user` may not read: kept as it is
        self.fields["responsible"].queryset = get_user_model().objects.filter(is_active=True)
        self.fields["responsible"].label_from_instance = lambda u: u.get_full_name() or u.username
        if not is_coordinator(user):
            self.fields["owner"].disabled = True
            self.fields["owner"].help_text = _("Only a coordinator can change the owner.")
            self.fields["visibility"].disabled = True
            self.fields["visibility"].help_text = _("Only a coordinator can change the visibility.")


class ProgressForm(forms.Form):
    """A dated progress update; `Measure.log_progress` records it and moves the status. Like
    the edit form it carries the measure's version, so progress logged on a measure someone
    changed meanwhile is refused (see `refuse_stale`)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    status = forms.ChoiceField(
        label=_("New status"),
        required=False,
        choices=[("", _("Unchanged"))] + MeasureStatus.choices[1:],
        help_text=_("Leave unchanged when the status stays the same."),
    )
    text = forms.CharField(
        label=_("Progress"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened since the last update, in sentences fit for the letter."),
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    include_in_letter = forms.BooleanField(
        label=_("Include in the next progress letter"), required=False, initial=True
    )

    def refuse_stale(self, stale, current_version, user):
        """Show why the update was refused, line by line (what `user` may read), and carry the
        current version, so sending the form again (filled in as it was) applies the update to
        the measure as it is now."""
        self.add_error(None, stale)
        for line in stale.describe(user):
            self.add_error(None, line)
        self.data = self.data.copy()
        self.data["version"] = current_version

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date of an update cannot lie in the future."))
        return date

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Describe the progress."))
        return text


class BulkChangeForm(forms.Form):
    """Change the status or the owner of several measures at once (coordinators)."""

    STATUS = "status"
    OWNER = "owner"

    measures = forms.ModelMultipleChoiceField(
        label=_("Measures"),
        queryset=Measure.objects.none(),
        error_messages={"required": _("Select at least one measure.")},
    )
    action = forms.ChoiceField(
        label=_("Change"), choices=[(STATUS, _("Status")), (OWNER, _("Owner"))]
    )
    status = forms.ChoiceField(
        label=_("New status"), required=False, choices=[("", "—")] + MeasureStatus.choices[1:]
    )
    owner = forms.ModelChoiceField(
        label=_("New owner"), required=False, queryset=Organisation.objects.all()
    )

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].queryset = measures

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == self.STATUS and not cleaned.get("status"):
            self.add_error("status", _("Choose the new status."))
        if action == self.OWNER and not cleaned.get("owner"):
            self.add_error("owner", _("Choose the new owner."))
        return cleaned
