"""Measures and their progress updates: querysets, the rules their history records share, and who
may read them."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoricalQuerySet

from ..access import can_see_confidential, is_coordinator, user_organisation
from ..dates import check_dates
from ..formatting import date_nl
from ..locking import Versioned
from .history import history
from .letters import ProgressLetter
from .plans import ActionLine, Plan
from .reference import (
    ChangeReason,
    Country,
    MeasureStatus,
    Organisation,
    Theme,
    UpdateState,
    Visibility,
    before_joining,
    not_in_future,
)

# --- Measures ----------------------------------------------------------------------------------


class MeasureQuerySet(models.QuerySet):
    def for_list(self):
        """Return measures with everything a list row shows, in a fixed number of queries: the
        related rows joined, and the date of the latest progress update as `last_progress`."""
        latest = ProgressUpdate.objects.filter(measure=OuterRef("pk")).order_by("-date", "-pk")
        return self.select_related("plan", "action_line", "theme", "owner", "responsible").annotate(
            last_progress=Subquery(latest.values("date")[:1])
        )

    def search(self, q, user=None):
        """Return measures whose title, description or progress (text or next steps) contains
        `q`; with `user`, only the progress updates that user may read are searched."""
        q = (q or "").strip()
        if not q:
            return self
        updates = ProgressUpdate.objects.visible_to(user)
        matching_updates = updates.filter(measure=OuterRef("pk")).filter(
            Q(text__icontains=q) | Q(next_steps__icontains=q)
        )
        return self.filter(
            Q(title__icontains=q)
            | Q(code__icontains=q)
            | Q(description__icontains=q)
            | Exists(matching_updates)
        )

    def without_progress_since(self, date):
        """Return measures with no progress update dated after `date` (with `date` None: no
        progress update at all)."""
        updates = ProgressUpdate.objects.filter(measure=OuterRef("pk"))
        if date is not None:
            updates = updates.filter(date__gt=date)
        return self.filter(~Exists(updates))

    def status_counts(self, by_action_line=False, status="status"):
        """Return (plan, status, count) rows, one query, in display order; with
        `by_action_line`, (theme, plan, action line, status, count) rows: a finer table that
        grows with every action line and theme of every plan. `status` names the field or
        annotation counted (`status_then` for the status on a past day); rows carry it as
        `counted_status`."""
        if not by_action_line:
            return (
                self.order_by()
                .values("plan__pk", "plan__title", "plan__short_title", counted_status=F(status))
                .annotate(count=Count("pk"))
                .order_by("plan")  # Plan's own order
            )
        return (
            self.order_by()
            .values(
                "theme__pk",
                "theme__name",
                "theme__order",
                "plan__pk",
                "plan__title",
                "plan__short_title",
                "action_line__pk",
                "action_line__name",
                "action_line__order",
                counted_status=F(status),
            )
            .annotate(count=Count("pk"))
            .order_by("theme__order", "theme__name", "plan", "action_line__order")
        )

    def for_export(self):
        """Return measures with everything a spreadsheet row holds, in a fixed number of
        queries (the list's, plus the funder, the partners and the countries)."""
        return self.for_list().select_related("funder").prefetch_related("partners", "countries")

    def open(self):
        return self.exclude(status__in=MeasureStatus.closed())

    def overdue(self, today):
        """Return open measures whose due date has passed."""
        return self.open().filter(due_date__lt=today)

    def visible_to(self, user):
        """Return the measures `user` may read (see `readable_measures`)."""
        return readable_measures(self, user)


class HistoricalMeasureQuerySet(HistoricalQuerySet):
    def visible_to(self, user):
        """Return the versions of measures `user` may read (see `readable_measures`)."""
        return readable_measures(self, user)


class MeasureRules:
    """The rules a measure answers, as a live row and as a history record alike."""

    @property
    def is_closed(self):
        return self.status in MeasureStatus.closed()

    def is_overdue(self, today):
        return bool(self.due_date and self.due_date < today and not self.is_closed)

    def parent_for(self, user):
        """Return the measure this one is part of, as it is now, if `user` may read it; else
        None (also when it has been deleted). On the live row `can_read_measure` is the whole
        rule: a live row's own terms are its present terms."""
        if self.parent_id is None:
            return None
        try:
            parent = self.parent
        except ObjectDoesNotExist:
            return None
        return parent if can_read_measure(user, parent) else None


class Measure(MeasureRules, Versioned):
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="measures"
    )
    action_line = models.ForeignKey(
        ActionLine,
        verbose_name=_("action line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="measures"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of measure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_measures",
    )
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partners"), blank=True, related_name="partner_in_measures"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible staff member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_for",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus.choices, blank=True, db_index=True
    )
    # Valid time (see shared TIME.md): when things happened, as the user says; the history
    # tables keep when the tracker learned them.
    joined_on = models.DateField(
        _("in the programme since"),
        blank=True,
        help_text=_("The day the measure became part of the programme; default its start date."),
    )
    joined_on_is_estimated = models.BooleanField(
        _("joining date estimated"),
        default=False,
        help_text=_("No source states the day; it is the date of the letter that first names it."),
    )
    status_since = models.DateField(
        _("status since"),
        blank=True,
        help_text=_("The day the current status took effect; it may lie in the past."),
    )
    status_since_is_estimated = models.BooleanField(
        _("status date estimated"),
        default=False,
        help_text=_("No source states the day; it is the date of the letter that reports it."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    completed_date = models.DateField(_("completed on"), null=True, blank=True)
    budget_eur = models.DecimalField(
        _("budget (euro)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    funder = models.ForeignKey(
        Organisation,
        verbose_name=_("funded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funded_measures",
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="measures"
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    source_reference = models.CharField(_("source reference"), max_length=200, blank=True)
    source_letter = models.ForeignKey(
        ProgressLetter,
        verbose_name=_("first reported in letter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeasureQuerySet.as_manager()
    history = history(
        m2m_fields=[partners, countries],
        historical_queryset=HistoricalMeasureQuerySet,
        rules=[MeasureRules],
    )

    class Meta:
        ordering = ["plan", "action_line__order", "code", "title"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(due_date__isnull=True)
                | Q(start_date__lte=F("due_date")),
                name="measure_due_after_start",
                violation_error_message=_("The due date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(completed_date__isnull=True)
                | Q(start_date__lte=F("completed_date")),
                name="measure_completed_after_start",
                violation_error_message=_("A measure cannot be completed before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(budget_eur__isnull=True) | Q(budget_eur__gte=0),
                name="measure_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeasureStatus.values),
                name="measure_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values),
                name="measure_visibility_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["due_date"], name="measure_due_idx"),
            models.Index(fields=["updated_at"], name="measure_updated_idx"),
        ]

    stale_message = _(
        "Someone else saved this measure while you were editing it. Your changes have "
        "not been saved. Check what changed meanwhile and make your edit again."
    )

    def __str__(self):
        return f"{self.code} {self.title}" if self.code else self.title

    def save(self, *args, **kwargs):
        self.fill_valid_dates()
        super().save(*args, **kwargs)
        self._stored_status = (self.status, self.status_since)

    def get_absolute_url(self):
        return reverse("measures:detail", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The status as stored, so a status changed without its date gets today's (see
        # keep_status_dates_in_step).
        loaded = dict(zip(field_names, values, strict=False))
        instance._stored_status = (loaded.get("status"), loaded.get("status_since"))
        return instance

    def fill_valid_dates(self):
        """Give a measure without them its joining date (its start date, else today) and the date
        of its status (its joining date)."""
        if self.joined_on is None:
            self.joined_on = self.start_date or timezone.localdate()
        if self.status_since is None:
            self.status_since = self.joined_on

    def clean(self):
        check_dates(self)  # 1900-2100, as every date the tracker takes
        # Check the dates save() will store: a blank joining or status date gets its default.
        self.fill_valid_dates()
        errors = {}
        if self.start_date and self.due_date and self.start_date > self.due_date:
            errors["due_date"] = _("The due date cannot be before the start date.")
        if self.start_date and self.completed_date and self.start_date > self.completed_date:
            errors["completed_date"] = _("A measure cannot be completed before it starts.")
        if self.action_line_id and self.plan_id and self.action_line.plan_id != self.plan_id:
            errors["action_line"] = _("This action line belongs to another plan.")
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = _("A measure cannot be part of itself.")
        if self.title and any(c in self.title for c in "\r\n\v\f\x85\u2028\u2029"):
            errors["title"] = _("A title is one line: remove the line breaks.")
        today = timezone.localdate()
        for name in ("joined_on", "status_since"):
            day = getattr(self, name)
            if day is not None and day > today:
                errors[name] = not_in_future(day)
        if (
            "status_since" not in errors
            and self.joined_on
            and self.status_since
            and self.status_since < self.joined_on
        ):
            errors["status_since"] = before_joining(self.joined_on)
        if errors:
            raise ValidationError(errors)

    def prepare_change(self, *, status_on=None, status_date_is_estimated=None):
        """Keep the status dates in step before a change is saved (see
        keep_status_dates_in_step); `status_on` dates the status. When the status date moves,
        `status_date_is_estimated` (unless None) says whether it is an estimate."""
        since = self.status_since
        self.keep_status_dates_in_step(on=status_on)
        moved = status_on is not None or self.status_since != since
        if moved and status_date_is_estimated is not None:
            self.status_since_is_estimated = status_date_is_estimated

    def set_status(
        self,
        status,
        *,
        by,
        on=None,
        date_is_estimated=False,
        reason="",
        history_date=None,
        expected_version=None,
    ):
        """Move the measure to `status` as of `on` (the day it took effect; default: today when
        the status changes), keeping the completion date in step, and save. `date_is_estimated`
        says whether the status date given (or set here) is an estimate.

        Claims the version read (or `expected_version`): StaleEdit if someone saved in between.
        `history_date` dates the history record (replaying past letters); default now.
        """
        if status not in MeasureStatus.values:
            raise ValidationError({"status": _("Unknown status: %(s)s") % {"s": status}})
        self.status = status
        self.save_change(
            by=by,
            reason=reason,
            expected_version=expected_version or self.version,
            history_date=history_date,
            status_on=on,
            status_date_is_estimated=date_is_estimated,
        )

    def change_owner(self, owner, *, by, reason=ChangeReason.BULK, expected_version=None):
        """Hand the measure to `owner` (claiming the version read, or `expected_version`)."""
        self.owner = owner
        self.save_change(by=by, reason=reason, expected_version=expected_version or self.version)

    def keep_status_dates_in_step(self, *, on=None):
        """Date the status: `on` when given; else, when the status differs from the stored one
        and its date was not changed with it, today. Give a completed measure its completion date
        (the status's day when `on` is given or it has none) and take it from any other.
        `save_change` calls this on every write, so no path can skip it."""
        stored_status, stored_since = getattr(self, "_stored_status", (None, None))
        if on is not None:
            self.status_since = on
        elif self._state.adding:
            pass  # fill_valid_dates dates a new measure's status at its joining
        elif self.status != stored_status and self.status_since == stored_since:
            self.status_since = timezone.localdate()
        if self.status == MeasureStatus.COMPLETED:
            if on is not None or self.completed_date is None:
                self.completed_date = self.status_since or timezone.localdate()
        else:
            self.completed_date = None

    def revert_to(self, record, *, by, reason, expected_version=None):
        """Restore the fields, partners and countries of historical `record` (an earlier version of
        this measure) as a new change by `by`, with `reason` (required) as its change reason."""
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Say why the measure is reverted.")})
        if len(reason.strip()) > 100:
            raise ValidationError({"reason": _("Keep the reason to 100 characters or fewer.")})
        if record.id != self.pk or record.history_type == "-":
            raise ValidationError(_("This version does not belong to this measure."))
        keep = {"id", "created_at", "updated_at", "version"}
        for field in self._meta.concrete_fields:
            if field.name not in keep:
                setattr(self, field.attname, getattr(record, field.attname))
        m2m = {
            "partners": list(record.partners.values_list("organisation_id", flat=True)),
            "countries": list(record.countries.values_list("country_id", flat=True)),
        }
        self.save_change(
            by=by,
            reason=reason.strip(),
            expected_version=expected_version or self.version,
            m2m=m2m,
        )

    @transaction.atomic
    def log_progress(
        self,
        *,
        by,
        text,
        date=None,
        date_is_estimated=False,
        status=None,
        next_steps="",
        include_in_letter=True,
        organisation=None,
        approved=None,
        visibility=Visibility.PUBLIC,
        source_letter=None,
        history_date=None,
        expected_version=None,
    ):
        """Record a dated progress update and, when `status` is given, move the measure to it.

        With `expected_version` (the log-progress form) nothing is written when someone saved the
        measure since that version was read: StaleEdit is raised, listing what they changed. The
        version is claimed as in `save_change`, and the update and the status move are one
        transaction.

        An update by a coordinator is approved for the letter at once unless `approved` says
        otherwise; a contributor's update stays a draft until a coordinator approves it.
        `history_date` is the moment of the change (replaying a past letter): it dates the
        history records and the approval; default now. `date_is_estimated` marks `date` (and
        the status date it gives) as an estimate.
        """
        date = date or timezone.localdate()
        if approved is None:
            approved = is_coordinator(by)
        with transaction.atomic():
            if expected_version is not None:
                self._claim_version(expected_version)
            return self._log_progress(
                by=by,
                text=text,
                date=date,
                date_is_estimated=date_is_estimated,
                status=status,
                next_steps=next_steps,
                include_in_letter=include_in_letter,
                organisation=organisation or user_organisation(by),
                approved=approved,
                visibility=visibility,
                source_letter=source_letter,
                history_date=history_date,
            )

    def _log_progress(
        self,
        *,
        by,
        text,
        date,
        status,
        next_steps,
        include_in_letter,
        organisation,
        approved,
        visibility,
        source_letter,
        history_date,
        date_is_estimated=False,
    ):
        update = ProgressUpdate(
            measure=self,
            date=date,
            date_is_estimated=date_is_estimated,
            author=by,
            author_organisation=organisation,
            status=status or "",
            text=text,
            next_steps=next_steps,
            include_in_letter=include_in_letter,
            visibility=visibility,
            source_letter=source_letter,
            state=UpdateState.APPROVED if approved else UpdateState.DRAFT,
            approved_by=by if approved else None,
            approved_at=(history_date or timezone.now()) if approved else None,
        )
        update.save_change(by=by, history_date=history_date)
        # An update dated before the current status took effect (a report entered out of order)
        # keeps its status as its own statement and leaves the current status as it is.
        if status is not None and status != self.status and date >= self.status_since:
            self.set_status(
                status,
                by=by,
                on=date,
                date_is_estimated=date_is_estimated,
                reason=ChangeReason.PROGRESS,
                history_date=history_date,
            )
        return update


class ProgressUpdateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the updates `user` may read (see `readable_updates`)."""
        return readable_updates(self, user)

    def approved(self):
        return self.filter(state=UpdateState.APPROVED)

    def drafts(self):
        """Return the drafts waiting for a coordinator's approval (not those sent back)."""
        return self.filter(state=UpdateState.DRAFT)

    def to_review(self):
        """Return the drafts, oldest first, with what the review queue shows of each."""
        return (
            self.drafts()
            .select_related("measure__owner", "author", "author_organisation")
            .order_by("date", "pk")
        )


class HistoricalProgressUpdateQuerySet(HistoricalQuerySet):
    def visible_to(self, user):
        """Return the versions of updates `user` may read (see `readable_updates`)."""
        return readable_updates(self, user)


# --- Who may read what: one rule for live rows and history records -----------------------------


def _hidden_by_own_terms(user):
    """Return a Q for the measure rows or records that `user` may not read by their own
    visibility and owner (confidential, of another organisation), or None when `user` reads
    everything (a coordinator)."""
    if can_see_confidential(user):
        return None
    hidden = Q(visibility=Visibility.CONFIDENTIAL)
    organisation = user_organisation(user)
    if organisation is not None:
        hidden &= ~Q(owner_id=organisation.pk)
    return hidden


def _measures_hidden_now(user, hidden):
    """Return the ids (two subqueries) of the measures `user` may not read as they are now: live
    rows by their present terms, deleted measures by the terms of their deletion record."""
    return (
        Measure.objects.filter(hidden).values("pk"),
        Measure.history.filter(history_type="-").filter(hidden).values("id"),
    )


def readable_measures(records, user):
    """Return the measure rows or history records among `records` that `user` may read.

    The one access rule: a record is readable when its own visibility and owner allow it (a
    version that was confidential stays hidden though the measure is public now) and the
    measure as it is now allows it too (a measure made confidential, re-owned or deleted while
    confidential hides its earlier versions). Confidential measures are read by coordinators and
    by the organisation that owns them. `user` None means the system itself (a sent letter is
    rebuilt as it was published): everything.
    """
    if user is None:
        return records
    if not user.is_authenticated:
        return records.none()
    hidden = _hidden_by_own_terms(user)
    if hidden is None:
        return records
    records = records.exclude(hidden)
    if records.model is Measure:
        return records  # a live row's own terms are its present terms
    live, deleted = _measures_hidden_now(user, hidden)
    return records.exclude(id__in=live).exclude(id__in=deleted)


def readable_updates(records, user):
    """Return the progress updates (rows or history records) among `records` that `user` may
    read: updates of measures readable now (`readable_measures`), and a confidential update only
    for coordinators, the organisation that wrote it and the organisation that owns the measure
    now (a deleted measure: the owner its deletion record names, as in `readable_measures`)."""
    if user is None:
        return records
    if not user.is_authenticated:
        return records.none()
    hidden = _hidden_by_own_terms(user)
    if hidden is None:
        return records
    live, deleted = _measures_hidden_now(user, hidden)
    records = records.exclude(measure_id__in=live).exclude(measure_id__in=deleted)
    confidential = Q(visibility=Visibility.CONFIDENTIAL)
    organisation = user_organisation(user)
    if organisation is not None:
        own = Measure.objects.filter(owner_id=organisation.pk).values("pk")
        own_deleted = Measure.history.filter(history_type="-", owner_id=organisation.pk)
        confidential &= (
            ~Q(author_organisation_id=organisation.pk)
            & ~Q(measure_id__in=own)
            & ~Q(measure_id__in=own_deleted.values("id"))
        )
    return records.exclude(confidential)


def can_read_measure(user, measure):
    """Return True if `user` may read `measure` (a row or a history record) as it is: its own
    terms only; for one object already read through `visible_to` that is the whole rule."""
    if user is None:
        return True
    if not user.is_authenticated:
        return False
    if can_see_confidential(user) or measure.visibility != Visibility.CONFIDENTIAL:
        return True
    organisation = user_organisation(user)
    return organisation is not None and measure.owner_id == organisation.pk


class ProgressUpdate(Versioned):
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="updates"
    )
    date = models.DateField(_("date"))
    date_is_estimated = models.BooleanField(
        _("date estimated"),
        default=False,
        help_text=_("No source states the day; it is the date of the letter that reports it."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_updates",
    )
    author_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_updates",
    )
    status = models.CharField(
        _("status after the update"),
        max_length=20,
        choices=MeasureStatus.choices,
        blank=True,
        help_text=_("Leave empty when the status does not change."),
    )
    text = models.TextField(_("progress"))
    next_steps = models.TextField(_("next steps"), blank=True)
    include_in_letter = models.BooleanField(_("include in the next letter"), default=True)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    state = models.CharField(
        _("approval"), max_length=10, choices=UpdateState.choices, default=UpdateState.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    review_comment = models.TextField(
        _("review comment"),
        blank=True,
        help_text=_("Why a coordinator sent the update back; shown to its author."),
    )
    source_letter = models.ForeignKey(
        ProgressLetter,
        verbose_name=_("reported in letter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_updates",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProgressUpdateQuerySet.as_manager()
    history = history(indexes=[("date",)], historical_queryset=HistoricalProgressUpdateQuerySet)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=UpdateState.APPROVED) | Q(approved_at__isnull=False),
                name="update_approved_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeasureStatus.values), name="update_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["measure", "-date"], name="update_measure_date_idx")]

    def __str__(self):
        return f"{self.measure} – {date_nl(self.date)}"

    def clean(self):
        check_dates(self)  # 1900-2100, as every date the tracker takes
        if self.date is None:
            return
        if self.date > timezone.localdate():
            raise ValidationError({"date": not_in_future(self.date)})
        joined_on = self.measure.joined_on if self.measure_id else None
        if joined_on and self.date < joined_on:
            raise ValidationError({"date": before_joining(joined_on)})

    @property
    def is_approved(self):
        return self.state == UpdateState.APPROVED

    def approve(self, *, by, expected_version=None):
        """Approve the update for the next letter, claiming the version read (or
        `expected_version`): of N coordinators approving at once, one approves it and the others
        are refused (StaleEdit)."""
        if self.is_approved:
            raise ValidationError(_("This update has already been approved."))
        self.state = UpdateState.APPROVED
        self.approved_by = by
        self.approved_at = timezone.now()
        self.save_change(
            by=by, reason=ChangeReason.APPROVED, expected_version=expected_version or self.version
        )

    def send_back(self, *, by, comment, expected_version=None):
        """Send the update back to its author with `comment` (required): it is no longer waiting
        for approval and stays out of the letter. Claims the version read (or
        `expected_version`), as `approve` does."""
        if self.is_approved:
            raise ValidationError(_("This update has already been approved."))
        comment = (comment or "").strip()
        if not comment:
            raise ValidationError({"review_comment": _("Say what the author should change.")})
        self.state = UpdateState.RETURNED
        self.review_comment = comment
        self.save_change(
            by=by, reason=ChangeReason.RETURNED, expected_version=expected_version or self.version
        )
