"""Choices and reference data: themes, organisations, countries, profiles."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..formatting import date_nl
from .history import history

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
    RETURNED = "returned", _("Sent back")


class LetterKind(models.TextChoices):
    PROGRESS = "progress", _("Progress letter")
    RESULTS = "results", _("Results letter")
    PLAN = "plan", _("Letter presenting a plan")
    OTHER = "other", _("Other letter")


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")


class PassagePlace(models.TextChoices):
    """Where a coordinator's own text goes in a letter (`LetterPassage`)."""

    OPENING = "opening", _("Opening")
    THEME = "theme", _("Before a theme")
    PLAN = "plan", _("Before a plan")
    ACTION_LINE = "action_line", _("Before an action line")
    MEASURE = "measure", _("Instead of a measure's paragraph")
    ASSESSMENT = "assessment", _("Assessment")
    CLOSING = "closing", _("Closing")


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


# The years a figure may have (IndicatorValue's constraint): an indicator's base and target
# years and the first year a letter's tables show lie in them too.
FIGURE_YEARS = (1900, 2200)


class TargetChange(models.TextChoices):
    """How an indicator's target is set against its base year: "+25 %" or "+100"."""

    PERCENT = "percent", _("Percentage of the base value")
    VALUE = "value", _("In the indicator's unit")


class ValueStatus(models.TextChoices):
    PROVISIONAL = "provisional", _("Provisional")
    FINAL = "final", _("Final")


class ChangeReason(models.TextChoices):
    """The reasons the tracker itself records with a change, stored as these short codes and shown
    translated (`changes.reason_in_words`); a reason a person types (a revert) is kept as typed."""

    APPROVED = "approved", _("approved for the letter")
    RETURNED = "returned", _("sent back with a comment")
    CHECKED = "checked", _("checked before sending")
    SENT = "sent", _("marked as sent")
    ANSWERED = "answered", _("answer recorded")
    BULK = "bulk", _("bulk change")
    IMPORT = "import", _("imported from a spreadsheet")
    PROGRESS = "progress", _("progress logged")
    SEED_CREATED = "seed-created", _("loaded from a letter: created")
    SEED_UPDATED = "seed-updated", _("loaded from a letter: updated")
    SEED_STATUS = "seed-status", _("loaded from a letter: status updated")
    SEED_LINKS = "seed-links", _("loaded from a letter: links changed")
    WORDS = "words", _("letter text written")


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


def end_of_day(day):
    """Return the last moment of `day` in the current time zone, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def not_in_future(day):
    """The message for a valid date after today (nothing is reported before it happens)."""
    return ValidationError(
        _("%(day)s lies in the future; enter what has happened."),
        code="future",
        params={"day": date_nl(day)},
    )


def before_joining(joined_on):
    """The message for a date before the measure joined the programme."""
    return ValidationError(
        _("This lies before the measure joined the programme (%(day)s)."),
        code="before_joining",
        params={"day": date_nl(joined_on)},
    )
