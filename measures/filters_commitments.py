"""The one FilterSet of the commitments register; its custom filters call CommitmentQuerySet."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .dates import DateFilter
from .models import Commitment, CommitmentKind, CommitmentStatus


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
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_to = DateFilter(
        label=_("Due until"),
        field_name="due_date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
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
