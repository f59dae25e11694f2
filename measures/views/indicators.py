"""Indicators and their figures per period: list, detail with chart and table, entering values."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..access import is_coordinator
from ..forms.commitments import IndicatorValueForm
from ..models import Indicator, IndicatorValue
from ..reports.charts import indicator_chart_svg
from .access import coordinator_required


def indicator_list(request):
    indicators = Indicator.objects.select_related("theme", "owner").prefetch_related(
        Prefetch("values", queryset=IndicatorValue.objects.for_table())
    )
    return render(request, "measures/indicator_list.html", {"indicators": indicators})


def indicator_detail(request, pk):
    indicator = get_object_or_404(Indicator.objects.select_related("theme", "owner", "plan"), pk=pk)
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
