"""Indicators and their figures per period: list, detail with chart and table, entering values."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..access import is_coordinator
from ..forms.commitments import IndicatorValueForm
from ..forms.figures import FigureGrid, MissingFiguresForm, YearForm, grid_years
from ..forms.setup import BreakdownFormSet, IndicatorForm
from ..models import Indicator, IndicatorValue
from ..reports.charts import indicator_chart_svg
from .access import coordinator_required


def indicator_list(request):
    indicators = Indicator.objects.select_related("theme", "owner").prefetch_related(
        Prefetch("values", queryset=IndicatorValue.objects.for_table())
    )
    missing = MissingFiguresForm(request.GET) if "missing" in request.GET else None
    if missing is not None and missing.is_valid():
        indicators = indicators.without_total_for(missing.cleaned_data["missing"])
    return render(
        request,
        "measures/indicator_list.html",
        {"indicators": indicators, "missing": missing, "may_edit": is_coordinator(request.user)},
    )


def indicator_detail(request, pk):
    indicator = get_object_or_404(
        Indicator.objects.select_related("theme", "owner", "plan").prefetch_related("breakdowns"),
        pk=pk,
    )
    values = indicator.values.for_table().with_report_state()
    return render(
        request,
        "measures/indicator_detail.html",
        {
            "indicator": indicator,
            "values": values,
            # Built by our own code, with every text escaped (see measures/reports/charts.py).
            "chart": mark_safe(indicator_chart_svg(indicator, values)),
            "changed": [value for value in values if value.changed_after_report],
            "may_edit": is_coordinator(request.user),
        },
    )


COORDINATORS_ONLY = gettext_lazy("Only coordinators enter or change the figures of an indicator.")
SET_UP_ONLY = gettext_lazy("Only coordinators set up indicators.")


@coordinator_required(SET_UP_ONLY)
def indicator_create(request):
    return _indicator_form(request, Indicator())


@coordinator_required(SET_UP_ONLY)
def indicator_edit(request, pk):
    return _indicator_form(request, get_object_or_404(Indicator, pk=pk))


def _indicator_form(request, indicator):
    """The indicator and, on the same page, its breakdowns; saved together or not at all."""
    data = request.POST if request.method == "POST" else None
    form = IndicatorForm(data, instance=indicator)
    breakdowns = BreakdownFormSet(data, instance=indicator, prefix="breakdowns")
    if data is not None and form.is_valid() and breakdowns.is_valid():
        try:
            with transaction.atomic():
                indicator = form.save()
                breakdowns.instance = indicator
                breakdowns.save()
                for row in breakdowns.initial_forms:
                    if "name" in row.changed_data:
                        indicator.rename_breakdown_values(
                            row.initial["name"], row.cleaned_data["name"], by=request.user
                        )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request, _("The indicator “%(name)s” has been saved.") % {"name": indicator}
            )
            return redirect(indicator)
    return render(
        request,
        "measures/indicator_form.html",
        {"form": form, "breakdowns": breakdowns, "has_errors": data is not None},
    )


@coordinator_required(COORDINATORS_ONLY)
def indicator_figures(request, pk):
    """A year's figures as a grid of periods by breakdowns (the year from ?year=, default
    this year); saving writes the changed cells only, all or none."""
    indicator = get_object_or_404(Indicator.objects.select_related("theme"), pk=pk)
    years = grid_years(indicator.values.order_by().values_list("year", flat=True).distinct())
    year_form = YearForm(request.GET or None, years=years, initial={"year": years[1]})
    year = year_form.cleaned_data["year"] if year_form.is_valid() else years[1]
    grid = FigureGrid(indicator, year, request.POST or None, user=request.user)
    if request.method == "POST" and grid.is_valid():
        saved = grid.save(by=request.user)
        if saved == 0:
            messages.info(request, _("Nothing was changed, so nothing was saved."))
            return redirect(indicator)
        if saved is not None:
            messages.success(
                request,
                ngettext(
                    "%(count)d figure for %(year)d has been saved.",
                    "%(count)d figures for %(year)d have been saved.",
                    saved,
                )
                % {"count": saved, "year": year},
            )
            return redirect(indicator)
    return render(
        request,
        "measures/indicator_figures.html",
        {
            "indicator": indicator,
            "grid": grid,
            "year_form": year_form,
            "year": year,
            "has_errors": request.method == "POST",
        },
        status=400 if request.method == "POST" else 200,
    )


@coordinator_required(COORDINATORS_ONLY)
def indicator_value_create(request, pk):
    indicator = get_object_or_404(Indicator, pk=pk)
    return _value_form(request, indicator, IndicatorValue(indicator=indicator))


@coordinator_required(COORDINATORS_ONLY)
def indicator_value_edit(request, pk):
    value = get_object_or_404(IndicatorValue.objects.select_related("indicator"), pk=pk)
    return _value_form(request, value.indicator, value)


def _value_form(request, indicator, value):
    """Show the form on GET; save on POST (the form runs the model's full validation)."""
    form = IndicatorValueForm(
        request.POST or None, instance=value, indicator=indicator, user=request.user
    )
    if request.method == "POST" and form.is_valid() and form.save_change(by=request.user):
        messages.success(
            request, _("The figures for %(p)s have been saved.") % {"p": value.period_label}
        )
        return redirect(indicator)
    return render(
        request, "measures/indicator_value_form.html", {"indicator": indicator, "form": form}
    )
