"""Forms clean input; the model methods (`save_change`, `log_progress`) make the changes."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..access import is_coordinator
from ..dates import DateField
from ..formatting import date_nl, display_name
from ..history.changes import stale_lines
from ..locking import StaleEdit
from ..models import Measure, MeasureStatus, Organisation, ProgressUpdate, not_in_future
from ..widgets import ActionLineSelect, DateInput, FilterableCheckboxes
from .base import TrackerFormMixin


class VersionedFormMixin:
    """A form about one Versioned object (`self.instance`: a ModelForm's, or set by a plain
    form for a transition): a hidden `version` field with the version the form was opened at,
    a check in clean() that it is still current, and the one way a refused edit is shown,
    `refuse_stale`. A ModelForm saves with `save_change`.

        form = MeasureForm(request.POST or None, instance=measure, user=request.user)
        if form.is_valid() and form.save_change(by=request.user):
            ...  # saved; otherwise the form carries the refusal and what changed meanwhile
    """

    # Picked up by Django's form metaclass, so the field is part of base_fields (and the admin
    # renders it) in every form class that mixes this in.
    declared_fields = {"version": forms.IntegerField(widget=forms.HiddenInput, min_value=1)}
    user = None  # who reads the lines of a refusal; None: the system, everything

    def __init__(self, *args, user=None, **kwargs):
        if user is not None:
            self.user = user
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get("version")
        if version is not None and self.instance.pk and version != self.current_version():
            self.refuse_stale(StaleEdit(self.instance, version))
        return cleaned

    def current_version(self):
        return (
            type(self.instance)
            ._default_manager.filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )

    def refuse_stale(self, stale):
        """Show why the edit was refused, then what changed meanwhile line by line (as far as
        the form's user may read), and carry the current version, so sending the form again (as
        it was filled in) applies it to the object as it is now."""
        self.stale_edit = stale
        self.add_error(None, stale)
        for line in stale_lines(stale, self.user):
            self.add_error(None, line)
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = self.current_version()

    def save_change(self, *, by, reason="", **step):
        """Save the form's object (and its many-to-many fields on the form) through the model's
        `save_change` with the version check; return it, or None with the refusal as form
        errors. `step` goes to the model's `prepare_change`."""
        instance = self.instance
        m2m = {
            f.name: self.cleaned_data[f.name]
            for f in instance._meta.many_to_many
            if f.name in self.cleaned_data
        }
        expected = self.cleaned_data["version"] if instance.pk else None
        try:
            instance.save_change(by=by, reason=reason, expected_version=expected, m2m=m2m, **step)
        except StaleEdit as stale:
            self.refuse_stale(stale)
            return None
        except ValidationError as error:
            self.add_error(None, error.messages)
            return None
        return instance


class MeasureForm(TrackerFormMixin, VersionedFormMixin, forms.ModelForm):
    """Create or edit a measure. `save_change` saves it through `Measure.save_change`, so the
    completion date follows the status, with the version check against lost updates; a
    contributor cannot hand the measure to another owner, nor touch the measure it is part of
    when they may not read that one (the field is left out, so the value is kept).

    The status date field starts at today on an existing measure: it dates a status change
    (back-dated if the user says so), or, changed on its own, corrects the date of the current
    status. Left alone with the status unchanged, the stored date stays (see `status_on`).

    The page shows the fields in the groups of `fieldsets` (see `groups`); a new measure starts
    at "Not started".
    """

    fieldsets = [
        (_("What"), ["code", "title", "description"]),
        (_("Place in the programme"), ["plan", "action_line", "theme", "parent"]),
        (_("Who and where"), ["owner", "partners", "responsible", "funder", "countries"]),
        (
            _("Planning"),
            ["joined_on", "status", "status_since", "start_date", "due_date", "budget_eur"],
        ),
        (_("Visibility and source"), ["visibility", "source_reference"]),
    ]
    required_messages = {
        "title": _("Enter the title of the measure."),
        "plan": _("Choose the plan the measure belongs to."),
        "theme": _("Choose the theme."),
        "owner": _("Choose the organisation that owns the measure."),
        "joined_on": _("Enter the day the measure joined the programme."),
    }

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
            "joined_on",
            "status",
            "status_since",
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
            "joined_on": DateInput(),
            "status_since": DateInput(),
            "start_date": DateInput(),
            "due_date": DateInput(),
            "action_line": ActionLineSelect(),
            "partners": FilterableCheckboxes(),
            "countries": FilterableCheckboxes(),
        }
        labels = {"status_since": _("Status takes effect on")}
        help_texts = {
            "joined_on": _("Empty: its start date, or today without one."),
            "status": _("Completing a measure sets its completion date to the status date."),
            "status_since": _("Empty: the day it joined the programme."),
            "action_line": _("Only the lines of the chosen plan can be chosen."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["action_line"].queryset = self.fields["action_line"].queryset.select_related(
            "plan"
        )
        self.fields["action_line"].label_from_instance = lambda line: f"{line.plan} – {line}"
        parents = Measure.objects.visible_to(user).select_related("plan")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.current_parent = self.instance.parent_for(user)
        if self.instance.parent_id and self.current_parent is None:
            del self.fields["parent"]  # part of a measure `user` may not read: kept as it is
        self.fields["responsible"].queryset = get_user_model().objects.filter(is_active=True)
        self.fields["responsible"].label_from_instance = display_name
        # The status and its date as stored: construct_instance overwrites the instance's.
        self.stored_status = (self.instance.status, self.instance.status_since)
        self.status_on = None
        if not self.instance.pk and not self.instance.status:
            self.initial["status"] = MeasureStatus.NOT_STARTED  # not the model's "Not stated"
        if self.instance.pk:
            self.fields["joined_on"].required = True
            self.fields["joined_on"].help_text = ""
            self.initial["status_since"] = timezone.localdate()
            self.fields["status_since"].help_text = self._status_date_help()
        if not is_coordinator(user):
            self.fields["owner"].disabled = True
            self.fields["owner"].help_text = _("Only a coordinator can change the owner.")
            self.fields["visibility"].disabled = True
            self.fields["visibility"].help_text = _("Only a coordinator can change the visibility.")

    def groups(self):
        """Return (legend, bound fields) per group of `fieldsets`, without the fields the form
        left out for this user."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldsets
        ]

    def save_change(self, *, by, reason=""):
        """Save with the status dated as the form says (see `status_on`)."""
        return super().save_change(
            by=by, reason=reason, status_on=self.status_on, status_date_is_estimated=False
        )

    def _status_date_help(self):
        status, since = self.stored_status
        text = _(
            "Used only when the status changes: the day the new status took effect (default "
            "today; it may lie in the past). Change it alone to correct the date of the "
            "current status."
        )
        if not since:
            return text
        current = _("Now: %(status)s since %(day)s.") % {
            "status": (self.instance.get_status_display() or "").lower(),
            "day": date_nl(since),
        }
        return f"{text} {current}"

    def clean(self):
        cleaned = super().clean()
        if "status" in cleaned and "status_since" in cleaned:
            self.status_on = self._status_date(cleaned["status"], cleaned["status_since"])
            # Undated, the status keeps its stored date (and the model checks that one).
            cleaned["status_since"] = self.status_on or self.stored_status[1]
            since = self.stored_status[1]
            correction = self.instance.pk and cleaned["status"] == self.stored_status[0]
            if correction and self.status_on and since and self.status_on > since:
                # The reader takes a status from the latest record dated by a day; a later start
                # would leave the days in between with this status.
                self.add_error(
                    "status_since",
                    _(
                        "A correction can only move the start of the current status earlier "
                        "(now %(day)s). To say it started later, first record the status it had "
                        "before, from %(day)s."
                    )
                    % {"day": date_nl(since)},
                )
            joined_on = cleaned.get("joined_on")
            if self.status_on is None and joined_on and since and joined_on > since:
                self.add_error(
                    "joined_on",
                    _("The current status took effect on %(day)s, before this day.")
                    % {"day": date_nl(since)},
                )
        return cleaned

    def clean_joined_on(self):
        joined_on = self.cleaned_data["joined_on"]
        if (
            joined_on
            and self.instance.pk
            and joined_on != self.instance.joined_on
            and self.instance.updates.filter(date__lt=joined_on).exists()
        ):
            raise forms.ValidationError(
                _("Progress on this measure is dated before this day."), code="after_progress"
            )
        return joined_on

    def _status_date(self, status, day):
        """Return the day the status takes effect when the form dates it, else None.

        A new measure: the day given (None: its joining day). An existing one: when the status
        changes, the day given (default today); when only the day was changed from its
        default, that day (a correction); otherwise None, and nothing moves."""
        if not self.instance.pk:
            return day
        if status != self.stored_status[0]:
            return day or timezone.localdate()
        if day and day != self.initial["status_since"]:
            return day
        return None


class ProgressForm(TrackerFormMixin, VersionedFormMixin, forms.Form):
    """A dated progress update; `Measure.log_progress` records it and moves the status. Like
    the edit form it carries the measure's version, so progress logged on a measure someone
    changed meanwhile is refused (see `refuse_stale`)."""

    date = DateField(
        label=_("Date"),
        widget=DateInput(),
        help_text=_("The day it happened; it may lie in the past."),
    )
    status = forms.ChoiceField(
        label=_("New status"),
        required=False,
        choices=[("", _("Unchanged"))] + MeasureStatus.choices[1:],
        help_text=_(
            "Leave unchanged when the status stays the same. A new status takes effect on the "
            "date of this update."
        ),
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

    required_messages = {
        "date": _("Enter the day it happened."),
        "text": _("Describe the progress."),
    }

    def __init__(self, *args, measure, **kwargs):
        self.instance = self.measure = measure
        super().__init__(*args, **kwargs)

    def clean_date(self):
        """Apply the update's own rule for its date (not in the future, not before the measure
        joined), so its message shows on this field."""
        date = self.cleaned_data["date"]
        try:
            ProgressUpdate(measure=self.measure, date=date).clean()
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["date"]) from None
        return date

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Describe the progress."))
        return text


class BulkChangeForm(TrackerFormMixin, forms.Form):
    """Change the status or the owner of several measures at once (coordinators)."""

    mark_optional = False  # the status or the owner: which one is needed depends on `action`

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
        label=_("New status"), required=False, choices=BLANK_CHOICE_DASH + MeasureStatus.choices[1:]
    )
    on = DateField(
        label=_("Status takes effect on"),
        required=False,
        initial=timezone.localdate,
        widget=DateInput(),
        help_text=_("One day for every selected measure; default today."),
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
        if action == self.STATUS and "on" in cleaned:
            # Each measure's own rules (not before it joined) apply when its status is set.
            cleaned["on"] = cleaned["on"] or timezone.localdate()
            if cleaned["on"] > timezone.localdate():
                self.add_error("on", not_in_future(cleaned["on"]))
        if action == self.OWNER and not cleaned.get("owner"):
            self.add_error("owner", _("Choose the new owner."))
        return cleaned
