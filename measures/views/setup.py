"""Setting up the programme without the Django admin: plans with their action lines, themes and
organisations. Everyone reads the plans; only coordinators create and change."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..access import is_coordinator
from ..forms.setup import ActionLineFormSet, OrganisationForm, PlanForm, ThemeForm
from ..models import Measure, Organisation, Plan, Theme
from .access import coordinator_required

SET_UP = gettext_lazy("set up plans, themes, organisations and indicators")


def plan_list(request):
    plans = Plan.objects.for_list(Measure.objects.visible_to(request.user))
    return render(
        request,
        "measures/plan_list.html",
        {"plans": plans, "may_edit": is_coordinator(request.user)},
    )


@coordinator_required(action=SET_UP)
def plan_create(request):
    return _plan_form(request, Plan())


@coordinator_required(action=SET_UP)
def plan_edit(request, pk):
    return _plan_form(request, get_object_or_404(Plan, pk=pk))


def _plan_form(request, plan):
    """The plan and, on the same page, its action lines; saved together or not at all."""
    data = request.POST if request.method == "POST" else None
    form = PlanForm(data, instance=plan)
    lines = ActionLineFormSet(data, instance=plan, prefix="lines")
    if data is not None and form.is_valid() and lines.is_valid():
        with transaction.atomic():
            plan = form.save()
            lines.instance = plan
            lines.save()
        messages.success(request, _("The plan “%(plan)s” has been saved.") % {"plan": plan})
        return redirect(reverse("measures:plans") + f"#plan-{plan.pk}")
    return render(
        request,
        "measures/plan_form.html",
        {"form": form, "lines": lines, "has_errors": data is not None},
    )


@coordinator_required(action=SET_UP)
def setup(request):
    """The set-up overview: themes and organisations with their links, and where plans and
    indicators are set up."""
    return render(
        request,
        "measures/setup.html",
        {"themes": Theme.objects.all(), "organisations": Organisation.objects.all()},
    )


@coordinator_required(action=SET_UP)
def theme_create(request):
    return _setup_form(request, ThemeForm, Theme(), _("New theme"))


@coordinator_required(action=SET_UP)
def theme_edit(request, pk):
    theme = get_object_or_404(Theme, pk=pk)
    return _setup_form(request, ThemeForm, theme, _("Change theme “%(name)s”") % {"name": theme})


@coordinator_required(action=SET_UP)
def organisation_create(request):
    return _setup_form(request, OrganisationForm, Organisation(), _("New organisation"))


@coordinator_required(action=SET_UP)
def organisation_edit(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    title = _("Change organisation “%(name)s”") % {"name": organisation.short_name}
    return _setup_form(request, OrganisationForm, organisation, title)


def _setup_form(request, form_class, instance, title):
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("“%(name)s” has been saved.") % {"name": saved})
        return redirect("measures:setup")
    return render(request, "measures/setup_form.html", {"form": form, "title": title})
