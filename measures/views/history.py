"""History pages: one measure's versions, the change feed (HTML, .xlsx and CSV), comparing two
moments, and reverting a measure to an earlier version."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..access import is_coordinator
from ..forms.history import ChangeFilterForm, CompareForm, RevertForm
from ..history.asof import InvalidAsOf, compare, parse_as_of, version_at
from ..history.changes import (
    feed_querysets,
    latest_changes,
    measure_history_querysets,
    snapshot_in_words,
)
from ..locking import StaleEdit
from ..models import Measure, can_read_measure, end_of_day
from ..spreadsheets import files
from .access import coordinator_required, get_measure_for_user

HISTORY_PAGE_SIZE = 25
FEED_PAGE_SIZE = 50
CSV_LIMIT = 10000


def _as_of_or_message(request):
    try:
        return parse_as_of(request)
    except InvalidAsOf as error:
        messages.error(request, error.messages[0])
        return None


def _cursor(request):
    form = ChangeFilterForm({"before": request.GET.get("before", "")}, user=request.user)
    if not form.is_valid() and "before" in form.errors:
        messages.error(request, " ".join(form.errors["before"]))
    return form.cleaned_data.get("before")


def measure_history(request, pk):
    measure = get_measure_for_user(request, pk)
    as_of = _as_of_or_message(request)
    # The history is record time: the version recorded by the end of the day (or the letter).
    known = as_of and (as_of.known or end_of_day(as_of.day))
    version = version_at(Measure, measure.pk, known) if as_of else None
    # The measure is readable now (above); the version then must be readable by its own terms.
    hidden = version is not None and not can_read_measure(request.user, version)
    if hidden:
        version = None
    page = latest_changes(
        measure_history_querysets(measure, request.user),
        limit=HISTORY_PAGE_SIZE,
        before=_cursor(request),
        user=request.user,
    )
    context = {
        "measure": measure,
        "page": page,
        "as_of": as_of,
        "version": version,
        "version_hidden": hidden,
        "version_fields": snapshot_in_words(version, user=request.user) if version else None,
        "can_revert": is_coordinator(request.user),
    }
    return render(request, "measures/measure_history.html", context)


def change_list(request):
    form = ChangeFilterForm(request.GET or None, user=request.user)
    valid = form.is_valid() if form.is_bound else True
    arguments = form.feed_arguments() if form.is_bound and valid else {}
    querysets = feed_querysets(request.user, **arguments) if valid else {}
    fmt = request.GET.get("format")
    if fmt in files.FORMATS and valid:
        page = latest_changes(querysets, limit=CSV_LIMIT, user=request.user)
        return files.export_rows(
            change_header(page.show_origin), change_rows(page), fmt, _("changes")
        )
    before = form.cleaned_data.get("before") if form.is_bound and valid else None
    page = latest_changes(querysets, limit=FEED_PAGE_SIZE, before=before, user=request.user)
    query = request.GET.copy()
    query.pop("before", None)
    query.pop("format", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "query_and": query_and(query),
    }
    return render(request, "measures/change_list.html", context)


def query_and(query):
    """Return the query string ready for one more parameter: "a=1&" (or "" when empty)."""
    text = query.urlencode()
    return f"{text}&" if text else ""


def change_header(show_origin):
    return [
        _("Date and time"),
        _("Changed by"),
        _("Organisation"),
        *([_("Origin")] if show_origin else []),
        _("Kind of object"),
        _("Object"),
        _("Action"),
        _("Field"),
        _("From"),
        _("To"),
        _("Reason"),
    ]


def change_rows(page):
    """Yield one spreadsheet row per changed field of each change on `page` (one row for a
    change without fields); the origin only for a reader who may see it."""
    for change in page.items:
        common = [
            change.when_text,
            change.user_name,
            change.organisation_name,
            *([change.origin] if page.show_origin else []),
            str(change.model_label).capitalize(),
            change.object_label,
            change.kind_label,
        ]
        rows = []
        for field in change.fields:
            if field.is_many:
                old = ", ".join(field.removed) and _("removed: %s") % ", ".join(field.removed)
                new = ", ".join(field.added) and _("added: %s") % ", ".join(field.added)
                rows.append([field.label, old, new])
            else:
                rows.append([field.label, field.old_text, field.new_text])
        for row in rows or [["", "", ""]]:
            yield [*common, *row, change.reason]


def compare_view(request):
    form = CompareForm(request.GET or None)
    comparison = None
    if form.is_bound and form.is_valid():
        comparison = compare(
            form.cleaned_data["start"], form.cleaned_data["end"], user=request.user
        )
    return render(request, "measures/compare.html", {"form": form, "comparison": comparison})


@coordinator_required(gettext_lazy("Only coordinators may revert a measure to an earlier version."))
def revert(request, pk, history_id):
    measure = get_measure_for_user(request, pk)
    record = get_object_or_404(measure.history.exclude(history_type="-"), history_id=history_id)
    form = RevertForm(request.POST or None, instance=measure, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            measure.revert_to(
                record,
                by=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit as stale:
            form.refuse_stale(stale)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The measure has been reverted to the chosen version."))
            return redirect("measures:history", pk=measure.pk)
    context = {
        "measure": measure,
        "record": record,
        "form": form,
        "version_fields": snapshot_in_words(record, user=request.user),
    }
    return render(request, "measures/revert_confirm.html", context)
