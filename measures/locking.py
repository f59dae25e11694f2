"""
No lost updates: optimistic locking for measures.

Every save of a measure raises its `version` by one. A form built with `VersionedFormMixin` carries
the version it was opened at in a hidden field; `Measure.save_checked(expected_version, …)` saves
only when that is still the version in the database, and otherwise raises `StaleEdit`, which lists
what was changed meanwhile (read from the history, in words) so the user can redo the edit.

    class MeasureForm(VersionedFormMixin, forms.ModelForm):
        ...

    form = MeasureForm(request.POST or None, instance=measure)
    if form.is_valid():
        form.save_checked(by=request.user, reason="…")   # adds a form error when stale
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class StaleEdit(ValidationError):
    """Someone saved the measure after the version this edit started from."""

    def __init__(self, measure, expected_version):
        self.measure = measure
        self.expected_version = expected_version
        super().__init__(
            _(
                "Someone else saved this measure while you were editing it. Your changes have "
                "not been saved. Check what changed meanwhile and make your edit again."
            ),
            code="stale",
        )

    def changes(self, user):
        """Return the changes saved since the expected version that `user` may read (the
        versions and names of measures they may not read are left out)."""
        from .changes import changes_since

        if not self.expected_version:
            return []
        return changes_since(self.measure, self.expected_version, user=user)

    def describe(self, user):
        """Return one line per field changed meanwhile that `user` may read: who, and from what
        to what."""
        lines = []
        for change in self.changes(user):
            for field in change.fields:
                lines.append(
                    gettext("%(field)s: %(old)s → %(new)s (by %(user)s, %(when)s)")
                    % {
                        "field": field.label,
                        "old": field.old_text,
                        "new": field.new_text,
                        "user": change.user_name,
                        "when": change.when_text,
                    }
                )
        return lines


class VersionedFormMixin:
    """A ModelForm mixin for Measure: a hidden `version` field, and `save_checked()` that refuses
    an edit based on an older version with a form error listing what changed meanwhile, as far
    as the form's `user` (set by the form or the view) may read it."""

    version_field_name = "version"
    # Picked up by Django's form metaclass, so the field is part of base_fields (and the admin
    # renders it) in every form class that mixes this in.
    declared_fields = {"version": forms.IntegerField(widget=forms.HiddenInput, min_value=1)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault(self.version_field_name, self.instance.version)

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get(self.version_field_name)
        if version is not None and self.instance.pk and version != self._current_version():
            self._add_stale_error(StaleEdit(self.instance, version))
        return cleaned

    def _current_version(self):
        return (
            type(self.instance)
            .objects.filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )

    def _add_stale_error(self, stale):
        self.stale_edit = stale
        self.add_error(None, stale)
        for line in stale.describe(self.user):
            self.add_error(None, line)

    def save_checked(self, *, by, reason=""):
        """Save the form's measure with the version check; return it, or None (with form errors)
        when someone saved in between."""
        from .models import Measure

        instance = self.instance
        m2m = {
            name: self.cleaned_data[name]
            for name in ("partners", "countries")
            if name in self.cleaned_data
        }
        try:
            if instance.pk is None:
                instance._history_user = by
                instance._change_reason = reason
                instance.save()
                for name, values in m2m.items():
                    getattr(instance, name).set(values)
            else:
                Measure.save_checked(
                    instance,
                    self.cleaned_data[self.version_field_name],
                    by=by,
                    reason=reason,
                    m2m=m2m,
                )
        except StaleEdit as stale:
            self._add_stale_error(stale)
            return None
        return instance
