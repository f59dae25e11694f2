"""The one FilterSet of the measure list; every custom filter delegates to MeasureQuerySet."""

from itertools import groupby
from operator import attrgetter

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .dates import DateFilter
from .history.asof import overdue_on
from .models import (
    ActionLine,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    Measure,
    MeasureStatus,
    Organisation,
    Plan,
    ProgressLetter,
    Theme,
)
from .widgets import DateInput, QuickSelect


class MeasureOrderingFilter(django_filters.OrderingFilter):
    """Sort the same way on every database: measures without a due date come last, and so do
    measures without progress when the newest progress comes first (and first when the oldest
    does, so the longest-silent measures lead). Title and id break ties, so pages are stable."""

    NULLS_FIRST_ASCENDING = {"last_progress"}
    NULLS_LAST = {"due_date", "last_progress"}

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        field = value.lstrip("-")
        if field not in self.NULLS_LAST:
            return value
        if value.startswith("-"):
            return F(field).desc(nulls_last=True)
        if field in self.NULLS_FIRST_ASCENDING:
            return F(field).asc(nulls_first=True)
        return F(field).asc(nulls_last=True)

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "title", "pk") if value else qs


class ActionLineChoices(django_filters.fields.ModelChoiceIterator):
    """Action lines grouped under their plan (one <optgroup> each): plans have action lines of
    the same name (prevention, say), so the names alone do not tell them apart."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for plan, lines in groupby(self.queryset, key=attrgetter("plan")):
            yield (str(plan), [self.choice(line) for line in lines])


class ActionLineChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ActionLineChoices


class ActionLineFilter(django_filters.ModelChoiceFilter):
    field_class = ActionLineChoiceField


YES_NO = [("", _("Either")), ("true", _("Yes")), ("false", _("No"))]


# The status filter's value for measures whose status is not stated (stored as "").
NOT_STATED = "none"


class MeasureFilter(django_filters.FilterSet):
    """Filters of the measure list; they live in the query string, so a list can be bookmarked.

    With `as_of` (an AsOf) the queryset holds the measures then (`asof.measures_on`): status
    filters the status in effect on that day, owner, theme, plan and action line the fields as
    recorded then, the search covers title and description, "overdue" is judged at that day; a
    filter that cannot be applied then is left out and its label put in `not_applied`, so the
    page can say so.
    """

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Searches titles, descriptions and progress texts."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[*MeasureStatus.choices[1:], (NOT_STATED, MeasureStatus.UNKNOWN.label)],
        empty_label=_("All statuses"),
        method="filter_status",
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"),
        queryset=Organisation.objects.all(),
        empty_label=_("All owners"),
        widget=QuickSelect,
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), empty_label=_("All themes")
    )
    plan = django_filters.ModelChoiceFilter(
        label=_("Plan"), queryset=Plan.objects.all(), empty_label=_("All plans"), widget=QuickSelect
    )
    action_line = ActionLineFilter(
        label=_("Action line"),
        queryset=ActionLine.objects.select_related("plan").order_by("plan", "order"),
        empty_label=_("All action lines"),
        widget=QuickSelect,
    )
    overdue = django_filters.TypedChoiceFilter(
        label=_("Overdue"),
        choices=YES_NO,
        coerce=lambda value: value == "true",
        method="filter_overdue",
    )
    stale = django_filters.TypedChoiceFilter(
        label=_("Without progress since the last letter"),
        choices=YES_NO,
        coerce=lambda value: value == "true",
        method="filter_stale",
    )
    ordering = MeasureOrderingFilter(
        label=_("Sort by"),
        empty_label=_("Plan and number"),
        fields=(
            ("title", "title"),
            ("owner__name", "owner"),
            ("status", "status"),
            ("due_date", "due"),
            ("last_progress", "progress"),
        ),
        field_labels={
            "title": _("Title"),
            "owner__name": _("Owner"),
            "status": _("Status"),
            "due_date": _("Due date"),
            "last_progress": _("Last progress"),
        },
    )

    class Meta:
        model = Measure
        fields = ["q", "status", "owner", "theme", "plan", "action_line", "overdue", "stale"]

    def __init__(self, *args, as_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.as_of = as_of
        self.not_applied = []
        if as_of:  # the past is searched in the measures' own texts only (see filter_search)
            self.filters["q"].extra["help_text"] = _(
                "Searches titles and descriptions as they were then."
            )

    def filter_search(self, queryset, name, value):
        if self.as_of:
            value = value.strip()
            return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))
        return queryset.search(value, user=self.request.user if self.request else None)

    def filter_status(self, queryset, name, value):
        value = MeasureStatus.UNKNOWN if value == NOT_STATED else value
        return queryset.filter(**{"status_then" if self.as_of else "status": value})

    def filter_overdue(self, queryset, name, value):
        if self.as_of:
            overdue = overdue_on(queryset, self.as_of.day)
            return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))
        overdue = queryset.overdue(timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_stale(self, queryset, name, value):
        if self.as_of:
            self.not_applied.append(self.filters[name].label)
            return queryset
        stale = queryset.open().without_progress_since(self.last_letter_date)
        return stale if value else queryset.exclude(pk__in=stale.values("pk"))

    @property
    def last_letter_date(self):
        if not hasattr(self, "_last_letter"):
            self._last_letter = ProgressLetter.objects.last_sent()
        return self._last_letter.date if self._last_letter else None


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CommitmentStatus.choices, empty_label=_("All statuses")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=CommitmentKind.choices, empty_label=_("All kinds")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Only overdue"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )
    due_from = DateFilter(
        label=_("Due from"),
        field_name="due_date",
        lookup_expr="gte",
        widget=DateInput(),
    )
    due_to = DateFilter(
        label=_("Due until"),
        field_name="due_date",
        lookup_expr="lte",
        widget=DateInput(),
    )

    class Meta:
        model = Commitment
        fields = ["q", "status", "kind", "overdue", "due_from", "due_to"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_overdue(self, queryset, name, value):
        if value:
            return queryset.overdue(timezone.localdate())
        return queryset
