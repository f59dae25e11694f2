"""
No lost updates: one write path with optimistic locking for everything staff edit.

A `Versioned` model (measures, progress updates, commitments, indicator values, letters) raises
its `version` by one on every save. Every change goes through `save_change(by=…, reason=…,
expected_version=…, m2m=…)`: in one transaction it claims the version the change started from (a
conditional UPDATE … WHERE version = …; zero rows means someone saved first, and StaleEdit is
raised with nothing written), runs the model's own step (`prepare_change`) and full validation,
saves with the history user and reason, and sets the many-to-many values.

A transition (`approve`, `fulfil`, `mark_sent`, `set_status`) claims the version it read, so of N
parallel requests exactly one applies it; the others are refused with what changed. Forms carry
the version in a hidden field (`forms.VersionedFormMixin`), which also shows a refusal with what
changed meanwhile (read from the history by `changes.stale_lines`).

This module imports nothing of the project, so `models` imports it at the top.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class StaleEdit(ValidationError):
    """Someone saved the object after the version this change started from. It keeps only the
    object and that version; what changed meanwhile is read when shown (`changes.stale_lines`)."""

    def __init__(self, instance, expected_version):
        self.instance = instance
        self.expected_version = expected_version
        super().__init__(instance.stale_message, code="stale")


class Versioned(models.Model):
    """An abstract model with a `version` column and the one write path, `save_change`."""

    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_(
            "Goes up by one with every save; an edit based on an older version is refused."
        ),
    )

    stale_message = _(
        "Someone else saved this while you were editing it. Your changes have not been saved. "
        "Check what changed meanwhile and make your edit again."
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Every save of an existing row counts as a new version, so an edit opened before it is
        # refused instead of silently undoing it.
        if not self._state.adding and not kwargs.get("force_insert"):
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)

    def save_change(
        self, *, by, reason="", expected_version=None, m2m=None, history_date=None, **step
    ):
        """Validate and save this object (new or existing) as a change by `by` with `reason`.

        With `expected_version` (an existing object) nothing is written when someone saved it
        since that version: StaleEdit is raised. `m2m` maps many-to-many field names to their
        new values. `history_date` dates the history record (replaying past events); default
        now. `step` goes to `prepare_change`, the model's own step before validation (a
        measure keeps its status dates in step there). Raise ValidationError on bad input:
        nothing is written then either."""
        with transaction.atomic():
            if expected_version is not None and self.pk is not None:
                self._claim_version(expected_version)
            # Who, why and when first: the model's own step may write related rows as part of
            # the same change (an indicator value lists a new breakdown).
            self._history_user = by
            self._change_reason = reason or ""
            if history_date is not None:
                self._history_date = history_date
            try:
                self.prepare_change(**step)
                self.full_clean()
                self.save()
            finally:
                self.__dict__.pop("_history_date", None)
            for name, values in (m2m or {}).items():
                getattr(self, name).set(values)
        return self

    def prepare_change(self):
        """Set the fields that follow from others before a change is validated and saved."""

    def _claim_version(self, expected_version):
        """Inside a transaction: claim the row at `expected_version` (raise StaleEdit when someone
        saved it since) and continue from that version. On PostgreSQL the conditional UPDATE locks
        the row, so a concurrent writer waits and then finds the version gone; on SQLite the
        IMMEDIATE transaction queues writers."""
        try:
            expected_version = int(expected_version)
        except (TypeError, ValueError):
            raise StaleEdit(self, None) from None
        claimed = (
            type(self)
            ._default_manager.filter(pk=self.pk, version=expected_version)
            .update(version=expected_version)
        )
        if not claimed:
            raise StaleEdit(self, expected_version)
        self.version = expected_version
