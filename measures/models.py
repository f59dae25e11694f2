"""
The domain of the tracker: organisations, action plans with their action lines, measures with their
progress, commitments to parliament, indicators with their figures, and the progress letters.

Every model keeps its full history (django-simple-history). Transitions live here, once, as model
methods (`Measure.log_progress`, `ProgressUpdate.approve`, `Commitment.fulfil`,
`ProgressLetter.mark_sent`); views, the admin, imports and commands call them.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoricalQuerySet
from simple_history.models import HistoricalRecords

from .dates import check_dates
from .history import current_user
from .locking import Versioned
from .permissions import can_see_confidential, is_coordinator, user_organisation


class HistoryOrigin(models.Model):
    """Extra columns on every history table: where the change came from."""

    history_origin = models.CharField(_("origin"), max_length=200, blank=True)

    class Meta:
        abstract = True


class TrackedHistory(HistoricalRecords):
    """simple-history with the indexes our reads of the past need on every history table.

    Besides simple-history's (history_date, id) for the newest-first change feed: (id,
    history_date, history_id), so "the latest record of this object at that moment" (the
    correlated subquery of `asof.latest_records`, run once per object by the summary and the
    as-of pages) is one index seek without a sort; it replaces the plain index on id (the
    history tables of many-to-many fields, read by their record's history_id only, keep no
    index on id). `indexes` adds a table's own, e.g. the date of a progress update the summary
    selects by.
    """

    def __init__(self, *, indexes=(), **kwargs):
        super().__init__(no_db_index=["id"], **kwargs)
        self.extra_indexes = indexes

    def get_meta_options(self, model):
        meta = super().get_meta_options(model)
        meta["indexes"] = (
            *meta.get("indexes", ()),
            models.Index(fields=(model._meta.pk.attname, "history_date", "history_id")),
            *(models.Index(fields=fields) for fields in self.extra_indexes),
        )
        return meta


def history(*, rules=(), **kwargs):
    """Return the HistoricalRecords every domain model uses; `rules` are mixins the model and its
    history records share, so a record of the past answers the same rules as a live row."""
    return TrackedHistory(
        bases=[HistoryOrigin, *rules],
        get_user=current_user,
        cascade_delete_history=False,
        **kwargs,
    )


# --- Choices -----------------------------------------------------------------------------------


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    POLICE = "police", _("Police")
    PROSECUTION = "prosecution", _("Public prosecution service")
    MARECHAUSSEE = "marechaussee", _("Royal Marechaussee")
    PUBLIC = "public", _("Other public body")
    NGO = "ngo", _("NGO")
    PRIVATE = "private", _("Private sector")
    INTERNATIONAL = "international", _("International organisation")
    PARLIAMENT = "parliament", _("Parliament")


class MeasureStatus(models.TextChoices):
    UNKNOWN = "", _("Not stated")
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")
    EMBEDDED = "embedded", _("Embedded in regular work")
    REPLACED = "replaced", _("Replaced by another measure")

    @classmethod
    def closed(cls):
        """Return the statuses in which a measure needs no further progress."""
        return [cls.COMPLETED, cls.STOPPED, cls.EMBEDDED, cls.REPLACED]


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")


class PlanKind(models.TextChoices):
    ACTION_PLAN = "action_plan", _("Action plan")
    IMPROVEMENT_PLAN = "improvement_plan", _("Improvement plan")
    PROGRAMME = "programme", _("Programme")
    AGENDA = "agenda", _("Agenda")
    PRIORITIES = "priorities", _("Priorities")


class UpdateState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved for the letter")


class LetterKind(models.TextChoices):
    PROGRESS = "progress", _("Progress letter")
    RESULTS = "results", _("Results letter")
    PLAN = "plan", _("Letter presenting a plan")
    OTHER = "other", _("Other letter")


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")


class CommitmentKind(models.TextChoices):
    COMMITMENT = "toezegging", _("Commitment")
    MOTION = "motie", _("Motion")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FULFILLED = "fulfilled", _("Fulfilled")
    PARTLY_FULFILLED = "partly_fulfilled", _("Partly fulfilled")
    LAPSED = "lapsed", _("Lapsed")

    @classmethod
    def answered(cls):
        return [cls.FULFILLED, cls.PARTLY_FULFILLED, cls.LAPSED]


class MadeAtKind(models.TextChoices):
    DEBATE = "debate", _("Debate")
    LETTER = "letter", _("Letter")
    BUDGET_DEBATE = "budget_debate", _("Budget debate")
    OTHER = "other", _("Other")


class CommitmentLinkKind(models.TextChoices):
    REPEATS = "repeats", _("Repeats")
    SUPPLEMENTS = "supplements", _("Supplements")
    AMENDS = "amends", _("Amends")


class IndicatorUnit(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENT = "percent", _("Percentage")
    EURO = "euro", _("Euro")


class ValueStatus(models.TextChoices):
    PROVISIONAL = "provisional", _("Provisional")
    FINAL = "final", _("Final")


class ChangeReason(models.TextChoices):
    """The reasons the tracker itself records with a change, stored as these short codes and shown
    translated (`changes.reason_in_words`); a reason a person types (a revert) is kept as typed."""

    APPROVED = "approved", _("approved for the letter")
    SENT = "sent", _("marked as sent")
    ANSWERED = "answered", _("answer recorded")
    BULK = "bulk", _("bulk change")
    IMPORT = "import", _("imported from a spreadsheet")
    PROGRESS = "progress", _("progress logged")
    SEED_CREATED = "seed-created", _("loaded from a letter: created")
    SEED_UPDATED = "seed-updated", _("loaded from a letter: updated")
    SEED_STATUS = "seed-status", _("loaded from a letter: status updated")
    SEED_LINKS = "seed-links", _("loaded from a letter: links changed")


# --- Reference data ----------------------------------------------------------------------------


class Theme(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = history()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )
    country = models.CharField(_("country"), max_length=100, blank=True)

    history = history()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        if self.abbreviation and self.abbreviation != self.name:
            return f"{self.name} ({self.abbreviation})"
        return self.name

    @property
    def short_name(self):
        return self.abbreviation or self.name


class Country(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    code = models.CharField(_("ISO code"), max_length=2, unique=True)

    history = history()

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name


class Profile(models.Model):
    """The organisation a staff member works for; contributors edit that organisation's measures."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )

    history = history()

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return f"{self.user} – {self.organisation or '—'}"


# --- Letters -----------------------------------------------------------------------------------


class ProgressLetterQuerySet(models.QuerySet):
    def sent(self):
        return self.filter(status=LetterStatus.SENT)

    def last_sent(self, before=None):
        """Return the most recent sent letter (on or before `before`), or None."""
        letters = self.sent()
        if before is not None:
            letters = letters.filter(date__lte=before)
        return letters.order_by("-date", "-pk").first()


class ProgressLetter(Versioned):
    """A letter to parliament; once sent it fixes what was reported as of its date."""

    date = models.DateField(_("date"))
    date_is_estimated = models.BooleanField(
        _("date estimated"),
        default=False,
        help_text=_("The letter itself carries no date; the date was derived from its content."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=LetterKind.choices, default=LetterKind.PROGRESS
    )
    title = models.CharField(_("title"), max_length=300)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    kamerstuk = models.CharField(
        _("parliamentary paper"), max_length=100, blank=True, help_text=_("e.g. 31 015, nr. 112")
    )
    signed_by = models.CharField(_("signed by"), max_length=200, blank=True)
    signed_title = models.CharField(_("title of the signatory"), max_length=200, blank=True)
    opening = models.TextField(_("opening"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    sent_at = models.DateTimeField(_("marked as sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked as sent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_file = models.CharField(_("source file"), max_length=200, blank=True)

    objects = ProgressLetterQuerySet.as_manager()
    history = history()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("progress letter")
        verbose_name_plural = _("progress letters")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_start__lte=F("period_end")),
                name="letter_period_in_order",
                violation_error_message=_("The period must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status=LetterStatus.DRAFT) | Q(sent_at__isnull=False),
                name="letter_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.date:%d-%m-%Y})"

    def clean(self):
        check_dates(self)  # 1900-2100, as every date the tracker takes
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValidationError({"period_end": _("The period must end after it starts.")})

    @property
    def is_sent(self):
        return self.status == LetterStatus.SENT

    @property
    def as_of(self):
        """Return the end of the letter's date, Amsterdam time."""
        return end_of_day(self.date)

    @property
    def period(self):
        """Return (first day, last day) the letter reports on; its date when it names none."""
        return (self.period_start or self.date, self.period_end or self.date)

    @property
    def known_at(self):
        """Return the record moment a sent letter fixes: the moment it was marked as sent (what
        the tracker knew then); None for a draft, which reads now."""
        return self.sent_at if self.is_sent else None

    def mark_sent(self, *, by, at=None, history_date=None, expected_version=None):
        """Fix the letter: from now on it reports the programme as it stood on its date.

        Claims the version read (or `expected_version`), so of two people sending it at once
        one is refused (StaleEdit). `history_date` dates the history record (replaying past
        letters); default now.
        """
        if self.is_sent:
            raise ValidationError(_("This letter has already been marked as sent."))
        self.status = LetterStatus.SENT
        self.sent_at = at or timezone.now()
        self.sent_by = by
        self.save_change(
            by=by,
            reason=ChangeReason.SENT,
            expected_version=expected_version or self.version,
            history_date=history_date,
        )


def end_of_day(day):
    """Return the last moment of `day` in the current time zone, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def not_in_future(day):
    """The message for a valid date after today (nothing is reported before it happens)."""
    return ValidationError(
        _("%(day)s lies in the future; enter what has happened."),
        code="future",
        params={"day": day.strftime("%d-%m-%Y")},
    )


def before_joining(joined_on):
    """The message for a date before the measure joined the programme."""
    return ValidationError(
        _("This lies before the measure joined the programme (%(day)s)."),
        code="before_joining",
        params={"day": joined_on.strftime("%d-%m-%Y")},
    )


# --- Plans -------------------------------------------------------------------------------------


class Plan(models.Model):
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(_("short title"), max_length=100, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=PlanKind.choices, default=PlanKind.ACTION_PLAN
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="plans")
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
    )
    description = models.TextField(_("description"), blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    source_reference = models.CharField(
        _("source (parliamentary paper)"), max_length=200, blank=True
    )
    source_letter = models.ForeignKey(
        ProgressLetter,
        verbose_name=_("reported in letter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("succeeds"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
    )

    history = history(m2m_fields=[themes])

    class Meta:
        # The programme's order of plans, everywhere: oldest first, a plan without a start date
        # last (on SQLite and PostgreSQL alike). Ordering by a plan ("plan") uses it.
        ordering = [F("start").asc(nulls_last=True), "title", "pk"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(start__lte=F("end")),
                name="plan_dates_in_order",
                violation_error_message=_("A plan must end after it starts."),
            ),
        ]

    def __str__(self):
        return self.short_title or self.title

    @property
    def sort_key(self):
        """The plan's place in Meta.ordering, for sorting in Python."""
        return (self.start is None, self.start or datetime.date.min, self.title, self.pk)

    def clean(self):
        check_dates(self)  # 1900-2100, as every date the tracker takes
        if self.start and self.end and self.start > self.end:
            raise ValidationError({"end": _("A plan must end after it starts.")})


class ActionLine(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="action_lines"
    )
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    history = history()

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("action line")
        verbose_name_plural = _("action lines")
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="action_line_order_unique"),
            models.UniqueConstraint(fields=["plan", "name"], name="action_line_name_unique"),
        ]

    def __str__(self):
        return self.name


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
                condition=Q(state=UpdateState.DRAFT) | Q(approved_at__isnull=False),
                name="update_approved_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeasureStatus.values), name="update_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["measure", "-date"], name="update_measure_date_idx")]

    def __str__(self):
        return f"{self.measure} – {self.date:%d-%m-%Y}"

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


# --- Commitments -------------------------------------------------------------------------------


class CommitmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=CommitmentStatus.OPEN)

    def overdue(self, today):
        """Return open commitments whose deadline has passed."""
        return self.open().filter(due_date__lt=today)

    def search(self, text):
        """Return commitments whose number, subject, text, origin or paper contain `text`."""
        words = text.split()
        commitments = self
        for word in words:
            commitments = commitments.filter(
                Q(number__icontains=word)
                | Q(title__icontains=word)
                | Q(text__icontains=word)
                | Q(made_at__icontains=word)
                | Q(made_by__icontains=word)
                | Q(kamerstuk__icontains=word)
            )
        return commitments

    def for_list(self, user):
        """Return commitments with what the register shows, in a fixed number of queries: the
        letters, the links both ways and the measures `user` may see."""
        return self.select_related("made_in_letter", "fulfilled_by").prefetch_related(
            models.Prefetch(
                "measures",
                queryset=Measure.objects.visible_to(user).select_related("owner"),
            ),
            models.Prefetch("links", queryset=CommitmentLink.objects.select_related("target")),
            models.Prefetch(
                "linked_from", queryset=CommitmentLink.objects.select_related("source")
            ),
        )


class Commitment(Versioned):
    kind = models.CharField(
        _("kind"), max_length=20, choices=CommitmentKind.choices, default=CommitmentKind.COMMITMENT
    )
    number = models.CharField(_("number"), max_length=40, blank=True)
    title = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("what was promised or asked"))
    made_by = models.CharField(
        _("made by"), max_length=200, blank=True, help_text=_("Minister or member of parliament")
    )
    made_at_kind = models.CharField(
        _("made at"), max_length=20, choices=MadeAtKind.choices, default=MadeAtKind.DEBATE
    )
    made_at = models.CharField(
        _("debate or letter"), max_length=300, blank=True, help_text=_("e.g. AO of 20 March 2014")
    )
    made_on = models.DateField(_("made on"), null=True, blank=True)
    made_in_letter = models.ForeignKey(
        ProgressLetter,
        verbose_name=_("made in letter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments_made",
    )
    kamerstuk = models.CharField(_("parliamentary paper"), max_length=100, blank=True)
    to_whom = models.CharField(_("to whom"), max_length=200, blank=True)
    deadline_text = models.CharField(
        _("deadline as said"),
        max_length=200,
        blank=True,
        help_text=_("e.g. in the next progress letter, before the summer recess"),
    )
    due_date = models.DateField(_("deadline read as"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.OPEN,
        db_index=True,
    )
    fulfilled_by = models.ForeignKey(
        ProgressLetter,
        verbose_name=_("answered in letter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments_fulfilled",
    )
    fulfilled_on = models.DateField(_("answered on"), null=True, blank=True)
    fulfilment_note = models.TextField(_("how it was answered"), blank=True)
    measures = models.ManyToManyField(
        Measure, verbose_name=_("measures"), blank=True, related_name="commitments"
    )
    source_letter = models.ForeignKey(
        ProgressLetter,
        verbose_name=_("reported in letter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments_reported",
    )

    objects = CommitmentQuerySet.as_manager()
    history = history(m2m_fields=[measures])

    class Meta:
        ordering = ["due_date", "made_on", "pk"]
        verbose_name = _("commitment or motion")
        verbose_name_plural = _("commitments and motions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CommitmentStatus.OPEN) | Q(fulfilled_on__isnull=False),
                name="commitment_answered_has_date",
                violation_error_message=_("An answered commitment needs the date it was answered."),
            ),
            models.CheckConstraint(
                condition=Q(made_on__isnull=True)
                | Q(fulfilled_on__isnull=True)
                | Q(made_on__lte=F("fulfilled_on")),
                name="commitment_answered_after_made",
                violation_error_message=_("A commitment cannot be answered before it was made."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("measures:commitment_detail", args=[self.pk])

    def clean(self):
        check_dates(self)  # 1900-2100, as every date the tracker takes
        if self.made_on and self.fulfilled_on and self.made_on > self.fulfilled_on:
            raise ValidationError(
                {"fulfilled_on": _("A commitment cannot be answered before it was made.")}
            )
        if self.status != CommitmentStatus.OPEN and not self.fulfilled_on:
            raise ValidationError(
                {"fulfilled_on": _("An answered commitment needs the date it was answered.")}
            )
        today = timezone.localdate()
        for name in ("made_on", "fulfilled_on"):
            day = getattr(self, name)
            if day is not None and day > today:
                raise ValidationError({name: not_in_future(day)})

    @property
    def is_late(self):
        """Return True if it was answered after its deadline (or is open past it today)."""
        if self.due_date is None:
            return False
        answered = self.fulfilled_on or timezone.localdate()
        return answered > self.due_date

    def is_overdue(self, today):
        return self.status == CommitmentStatus.OPEN and bool(
            self.due_date and self.due_date < today
        )

    def fulfil(
        self,
        *,
        by,
        letter=None,
        on=None,
        status=CommitmentStatus.FULFILLED,
        note="",
        history_date=None,
        expected_version=None,
    ):
        """Record how the commitment was answered: by `letter` (its date by default) or on `on`.

        Claims the version read (or `expected_version`, the form's): of N answers sent at once
        one is recorded and the others are refused (StaleEdit). `history_date` dates the history
        record (replaying past letters); default now.
        """
        if status == CommitmentStatus.OPEN:
            raise ValidationError(_("Choose how the commitment was answered."))
        if self.status != CommitmentStatus.OPEN:
            raise ValidationError(_("This commitment has already been answered."))
        self.status = status
        self.fulfilled_by = letter
        self.fulfilled_on = on or (letter.date if letter else timezone.localdate())
        self.fulfilment_note = note
        self.save_change(
            by=by,
            reason=ChangeReason.ANSWERED,
            expected_version=expected_version or self.version,
            history_date=history_date,
        )


class CommitmentLink(models.Model):
    """A relation between two commitments: one repeats, supplements or amends the other."""

    source = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="links"
    )
    target = models.ForeignKey(
        Commitment,
        verbose_name=_("related commitment"),
        on_delete=models.CASCADE,
        related_name="linked_from",
    )
    kind = models.CharField(_("relation"), max_length=20, choices=CommitmentLinkKind.choices)

    history = history()

    class Meta:
        verbose_name = _("link between commitments")
        verbose_name_plural = _("links between commitments")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="commitment_link_unique"),
            models.CheckConstraint(
                condition=~Q(source=F("target")), name="commitment_link_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.get_kind_display().lower()} {self.target}"


# --- Indicators --------------------------------------------------------------------------------


class Indicator(models.Model):
    name = models.CharField(_("name"), max_length=300, unique=True)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(
        _("unit"), max_length=10, choices=IndicatorUnit.choices, default=IndicatorUnit.COUNT
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="indicators"
    )
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
    )
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
    )
    default_source = models.CharField(_("usual source"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = history()

    class Meta:
        ordering = ["theme", "order", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("measures:indicator_detail", args=[self.pk])

    @property
    def is_percentage(self):
        return self.unit == IndicatorUnit.PERCENT

    @property
    def latest_value(self):
        """Return the total (not broken down) for the most recent period, from `values.all()`
        (so a prefetch serves it), or None."""
        totals = [value for value in self.values.all() if not value.breakdown]
        return max(totals, key=lambda value: (value.year, value.quarter), default=None)


class IndicatorValueQuerySet(models.QuerySet):
    def for_table(self):
        return self.select_related("source_letter").order_by("year", "quarter", "breakdown")

    def with_report_state(self):
        """Return the values as a list, each with `reported_in` (the sent letter that reported
        it, or None) and `changed_after_report` (the first history record that changed it after
        that letter's date, or None). Three queries, whatever the number of values."""
        values = list(self.select_related("source_letter"))
        IndicatorValue.mark_report_state(values)
        return values


class IndicatorValue(Versioned):
    """The target and realised figure of one indicator for one year or quarter."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), default=0, help_text=_("1–4 for a quarter; 0 for the whole year.")
    )
    breakdown = models.CharField(
        _("breakdown"),
        max_length=100,
        blank=True,
        help_text=_("A part of the total, e.g. one police unit; empty for the total."),
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    realised = models.DecimalField(
        _("realised"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ValueStatus.choices, default=ValueStatus.FINAL
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    source_letter = models.ForeignKey(
        ProgressLetter,
        verbose_name=_("reported in letter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_values",
    )

    objects = IndicatorValueQuerySet.as_manager()
    history = history()

    class Meta:
        ordering = ["indicator", "year", "quarter", "breakdown"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter", "breakdown"],
                name="indicator_value_one_per_period",
                violation_error_message=_("This indicator already has a value for that period."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=0) & Q(quarter__lte=4),
                name="indicator_value_quarter_range",
                violation_error_message=_("The quarter must be 0 (whole year) or 1 to 4."),
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=0),
                name="indicator_value_target_not_negative",
                violation_error_message=_("A target cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(realised__isnull=True) | Q(realised__gte=0),
                name="indicator_value_realised_not_negative",
                violation_error_message=_("A realised figure cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=2200),
                name="indicator_value_year_range",
                violation_error_message=_("The year is out of range."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} – {self.period_label}"

    @property
    def period_label(self):
        label = f"Q{self.quarter} {self.year}" if self.quarter else str(self.year)
        return f"{label} ({self.breakdown})" if self.breakdown else label

    def clean(self):
        errors = {}
        percentage = self.indicator_id and self.indicator.is_percentage
        for field in ("target", "realised"):
            value = getattr(self, field)
            if value is None:
                continue
            if percentage and not (0 <= value <= 100):
                errors[field] = _("A percentage lies between 0 and 100.")
            elif value < 0:
                errors[field] = _("A count or amount cannot be negative.")
        if errors:
            raise ValidationError(errors)

    # The fields whose change after a letter means parliament was told something else.
    REPORTED_FIELDS = ("year", "quarter", "breakdown", "target", "realised", "status")

    @staticmethod
    def mark_report_state(values):
        """Set `reported_in` and `changed_after_report` on each of `values` (see
        `IndicatorValueQuerySet.with_report_state`), in two queries.

        A value counts as reported when its `source_letter` is a sent letter, or else when a
        letter was sent on or after the day the value was first recorded. It counts as changed
        afterwards when a history record of a change is dated after that letter was sent
        (`ProgressLetter.known_at`).
        """
        if not values:
            return values
        records = {}
        for record in (
            IndicatorValue.history.filter(id__in=[value.pk for value in values])
            .select_related("history_user")
            .order_by("history_date", "history_id")
        ):
            records.setdefault(record.id, []).append(record)
        sent = list(ProgressLetter.objects.sent().order_by("date", "pk"))
        for value in values:
            history_of_value = records.get(value.pk, [])
            letter = value.source_letter if value.source_letter_id else None
            if letter is None or not letter.is_sent:
                created = history_of_value[0].history_date if history_of_value else None
                created_on = timezone.localdate(created) if created else None
                letter = next(
                    (item for item in sent if created_on and item.date >= created_on), None
                )
            value.reported_in = letter
            value.changed_after_report = None
            if letter is None:
                continue
            for previous, record in zip(history_of_value, history_of_value[1:], strict=False):
                if record.history_date > letter.known_at and any(
                    getattr(previous, field) != getattr(record, field)
                    for field in IndicatorValue.REPORTED_FIELDS
                ):
                    value.changed_after_report = record
                    break
        return values

    @property
    def difference(self):
        if self.target is None or self.realised is None:
            return None
        return self.realised - self.target

    @property
    def percentage_of_target(self):
        if not self.target or self.realised is None:
            return None
        return self.realised / self.target * 100
