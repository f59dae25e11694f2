"""Action plans and their action lines."""

import datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from ..dates import check_dates
from .history import history
from .letters import ProgressLetter
from .reference import Organisation, PlanKind, Theme

# --- Plans -------------------------------------------------------------------------------------


class PlanQuerySet(models.QuerySet):
    def for_list(self, measures):
        """Return the plans with their owner, themes and action lines, the plans and the lines
        each with `measure_count`: how many of `measures` (the ones the reader may see) they
        hold, and the links to their documents. Four queries, whatever the number of plans."""
        readable = Q(measures__pk__in=measures.values("pk"))
        lines = ActionLine.objects.annotate(measure_count=Count("measures", filter=readable))
        return (
            self.select_related("owner")
            .prefetch_related(
                "themes",
                Prefetch("action_lines", queryset=lines),
                Prefetch(  # by name: the documents module imports this one
                    "document_links",
                    queryset=apps.get_model("measures", "DocumentLink")
                    .objects.select_related("document")
                    .order_by("document__date", "document__pk"),
                ),
            )
            .annotate(measure_count=Count("measures", filter=readable))
        )


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

    objects = PlanQuerySet.as_manager()
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
