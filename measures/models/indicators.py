"""Indicators and their values."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import formatting
from ..locking import Versioned
from .history import history
from .letters import ProgressLetter
from .plans import Plan
from .reference import (
    FIGURE_YEARS,
    IndicatorUnit,
    Organisation,
    TargetChange,
    Theme,
    ValueStatus,
)


def base_target(base_value, change, unit):
    """Return the target a change on a base value sets: 475 +25 % is 593,75; 475 +100 is 575
    (None when a part is missing). The letter builder reads the fields as recorded, so this is
    the one calculation both use."""
    if base_value is None or change is None or not unit:
        return None
    if unit == TargetChange.PERCENT:
        return base_value * (1 + change / 100)
    return base_value + change


def written_target(target, unit):
    """Return a target as a letter writes it: a count rounded to a whole number (475 +25 % is
    593,75: 594), an amount to cents, a percentage to one decimal."""
    if target is None:
        return None
    places = {IndicatorUnit.COUNT: Decimal(1), IndicatorUnit.PERCENT: Decimal("0.1")}
    return target.quantize(places.get(unit, Decimal("0.01")), rounding=ROUND_HALF_UP)


# --- Indicators --------------------------------------------------------------------------------


class IndicatorQuerySet(models.QuerySet):
    def without_total_for(self, year):
        """Return the indicators with no realised yearly total for `year`: the figure a summary
        shows (see `reports.summary._figures`), still to be entered."""
        totals = IndicatorValue.objects.filter(
            indicator=models.OuterRef("pk"),
            year=year,
            quarter=0,
            breakdown="",
            realised__isnull=False,
        )
        return self.exclude(models.Exists(totals))


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
    # A target set against a base year, as the letters state it: "594 verdachten in 2014, +25 %
    # ten opzichte van 2010 (475)".
    base_year = models.PositiveSmallIntegerField(
        _("base year"),
        null=True,
        blank=True,
        help_text=_("The year a target is measured against, e.g. 2010."),
    )
    base_value = models.DecimalField(
        _("base value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The figure of the base year, e.g. 475."),
    )
    target_year = models.PositiveSmallIntegerField(
        _("target year"),
        null=True,
        blank=True,
        help_text=_("The year the target against the base year is to be reached."),
    )
    target_change = models.DecimalField(
        _("target change"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The change on the base value aimed at, e.g. 25 (with a percentage: +25 %)."),
    )
    target_change_unit = models.CharField(
        _("target change in"),
        max_length=10,
        choices=TargetChange.choices,
        blank=True,
    )

    objects = IndicatorQuerySet.as_manager()
    history = history()

    class Meta:
        ordering = ["theme", "order", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(base_year__isnull=True, base_value__isnull=True)
                | Q(base_year__isnull=False, base_value__isnull=False, base_value__gte=0),
                name="indicator_base_year_with_value",
                violation_error_message=_("A base year needs its value, and a value its year."),
            ),
            models.CheckConstraint(
                condition=Q(target_change__isnull=True, target_year__isnull=True)
                | (
                    Q(target_change__isnull=False, base_year__isnull=False)
                    & Q(target_year__gt=models.F("base_year"))
                    & ~Q(target_change_unit="")
                ),
                name="indicator_target_change_complete",
                violation_error_message=_(
                    "A target against the base year needs the base year, a later target year, "
                    "the change and its unit."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("measures:indicator_detail", args=[self.pk])

    def clean(self):
        """Refuse a base year without its value (or the reverse), and a target against the base
        that misses a part, lies before the base year or comes out negative."""
        errors = {}
        for name in ("base_year", "target_year"):
            year = getattr(self, name)
            if year is not None and not (FIGURE_YEARS[0] <= year <= FIGURE_YEARS[1]):
                errors[name] = _("Enter a year between %(first)s and %(last)s.") % {
                    "first": FIGURE_YEARS[0],
                    "last": FIGURE_YEARS[1],
                }
        if (self.base_year is None) != (self.base_value is None):
            field = "base_value" if self.base_value is None else "base_year"
            errors.setdefault(field, _("A base year needs its value, and a value its year."))
        if self.base_value is not None and self.base_value < 0:
            errors["base_value"] = _("A count or amount cannot be negative.")
        elif self.base_value is not None and self.is_percentage and self.base_value > 100:
            errors["base_value"] = _("A percentage lies between 0 and 100.")
        parts = (self.target_year, self.target_change, self.target_change_unit or None)
        if any(part is not None for part in parts):
            if self.base_year is None and not errors:
                errors["base_year"] = _("A target against a base year needs the base year.")
            if self.target_year is None:
                errors["target_year"] = _("Enter the year the target is to be reached.")
            elif self.base_year is not None and self.target_year <= self.base_year:
                errors["target_year"] = _("The target year comes after the base year.")
            if self.target_change is None:
                errors["target_change"] = _("Enter the change on the base value aimed at.")
            if not self.target_change_unit:
                errors["target_change_unit"] = _(
                    "Choose whether the change is a percentage or a value."
                )
            if self.target_change_unit == TargetChange.PERCENT and self.base_value == 0:
                errors["target_change_unit"] = _("A change in percent needs a base value above 0.")
            target = None if errors else self.base_target
            if target is not None and target < 0:
                errors["target_change"] = _("The target comes out below zero.")
            elif target is not None and self.is_percentage and target > 100:
                errors["target_change"] = _("The target comes out above 100 %.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_percentage(self):
        return self.unit == IndicatorUnit.PERCENT

    @property
    def base_target(self):
        """Return the target of `target_year` set against the base year: the base value plus
        the change (in percent of it, or in the indicator's unit); None without one."""
        return base_target(self.base_value, self.target_change, self.target_change_unit)

    @property
    def target_change_text(self):
        """Return the change the target states: "+25 %" or "+100"."""
        percent = self.target_change_unit == TargetChange.PERCENT
        return formatting.signed_change_nl(self.target_change, percent=percent)

    @property
    def written_base_target(self):
        """Return `base_target` as a letter writes it (`written_target`): 594, not 593,75."""
        return written_target(self.base_target, self.unit)

    @property
    def latest_value(self):
        """Return the figure for the most recent period from `values.all()` (so a prefetch
        serves it): its total, or, for an indicator recorded only by breakdown, the first
        breakdown of that period; None without figures."""
        values = list(self.values.all())
        if not values:
            return None
        latest = max((value.year, value.quarter) for value in values)
        of_period = [value for value in values if (value.year, value.quarter) == latest]
        return min(of_period, key=lambda value: (bool(value.breakdown), value.breakdown))

    def add_breakdown(self, name, *, by=None, history_date=None):
        """Return the breakdown called `name`, listed last when it is new, as a change by `by`
        dated `history_date` (default now). A value saved with a breakdown the indicator did
        not list yet lists it, so the grid shows every one."""
        breakdown = self.breakdowns.filter(name=name).first()
        if breakdown is None:
            last = self.breakdowns.aggregate(last=models.Max("order"))["last"] or 0
            breakdown = IndicatorBreakdown(indicator=self, name=name, order=last + 1)
            breakdown._history_user = by
            if history_date is not None:
                breakdown._history_date = history_date
            breakdown.save()
        return breakdown

    def rename_breakdown_values(self, old, new, *, by):
        """Give the values recorded under breakdown `old` the breakdown `new`, each through
        its `save_change`, after the breakdown itself was renamed (raise ValidationError, e.g.
        when a period already has a value under `new`; the caller's transaction undoes it)."""
        for value in self.values.filter(breakdown=old):
            value.breakdown = new
            value.save_change(by=by)

    def breakdown_names(self):
        """Return the names of the breakdowns, in order, from `breakdowns.all()` (a prefetch
        serves it)."""
        return [breakdown.name for breakdown in self.breakdowns.all()]


class IndicatorBreakdown(models.Model):
    """A part an indicator's total is broken down into (a police unit, a kind of report). A
    value names its breakdown by this name (`IndicatorValue.breakdown`), so the figures
    recorded before breakdowns were listed keep showing."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="breakdowns",
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    history = history()

    class Meta:
        ordering = ["indicator", "order", "name"]
        verbose_name = _("breakdown")
        verbose_name_plural = _("breakdowns")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "name"],
                name="indicator_breakdown_name_unique",
                violation_error_message=_("This indicator already has a breakdown by that name."),
            ),
        ]

    def __str__(self):
        return self.name


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

    def prepare_change(self):
        """List the value's breakdown on its indicator when it is a new one (the change's
        transaction takes it back if the value is refused)."""
        if self.breakdown and self.indicator_id:
            self.indicator.add_breakdown(
                self.breakdown,
                by=getattr(self, "_history_user", None),
                history_date=getattr(self, "_history_date", None),
            )

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
