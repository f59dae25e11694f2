"""The measure list with its bulk changes, the measure page, editing, and logging progress."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from ..access import can_edit_measure, is_coordinator
from ..filters import MeasureFilter
from ..forms.measures import BulkChangeForm, MeasureForm, ProgressForm
from ..history.asof import measures_on, progress_on, shown_then
from ..history.changes import m2m_history_model, m2m_target_attname, stale_message
from ..locking import StaleEdit
from ..models import (
    ChangeReason,
    DocumentLink,
    Measure,
    MeasureEvent,
    MeasureLink,
    ProgressUpdate,
)
from .access import coordinator_required, get_measure_for_user
from .as_of import AsOfRefused, as_of_control, read_as_of, with_last_progress
from .dashboard import stale_of_own_organisation

PAGE_SIZE = 25


def export_url(fmt, query):
    """Return the address of the list's download in `fmt`, with the list's filters."""
    url = reverse("measures:measure_export", kwargs={"fmt": fmt})
    return f"{url}?{query.urlencode()}" if query else url


def measure_list(request):
    try:
        as_of = read_as_of(request)
    except AsOfRefused as refused:
        return refused.response
    visible = Measure.objects.visible_to(request.user)
    if as_of:
        measures = with_last_progress(measures_on(as_of, user=request.user), as_of, request.user)
    else:
        measures = visible.for_list()
    measure_filter = MeasureFilter(request.GET, queryset=measures, request=request, as_of=as_of)
    page = Paginator(measure_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    if as_of:
        page.object_list = shown_then(page.object_list)
    bulk_form = None
    if is_coordinator(request.user) and not as_of:
        bulk_form = BulkChangeForm(measures=visible, auto_id="bulk_%s")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "measures/measure_list.html",
        {
            "filter": measure_filter,
            "page": page,
            "bulk_form": bulk_form,
            "query": query.urlencode(),
            "export_xlsx_url": export_url("xlsx", query),
            "export_csv_url": export_url("csv", query),
            "columns": sort_columns(request),
            "next": request.get_full_path(),
            "today": as_of.day if as_of else timezone.localdate(),
            **as_of_control(request, as_of),
        },
    )


@require_POST
@coordinator_required(action=gettext_lazy("change several measures at once"))
def bulk_change(request):
    form = BulkChangeForm(
        request.POST, measures=Measure.objects.visible_to(request.user), auto_id="bulk_%s"
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back_to_list(request))
    with transaction.atomic():
        changed, refused = _apply_bulk_change(form.cleaned_data, by=request.user)
        # One refused measure refuses them all: the user corrects the day or the selection.
        transaction.set_rollback(bool(refused))
    if refused:
        for measure, error in refused:
            for message in error.messages:
                messages.error(
                    request, _("%(measure)s: %(error)s") % {"measure": measure, "error": message}
                )
        messages.error(request, _("No measure was changed."))
    else:
        messages.success(
            request,
            ngettext("%(n)d measure changed.", "%(n)d measures changed.", changed) % {"n": changed},
        )
    return redirect(_back_to_list(request))


def _apply_bulk_change(data, *, by):
    """Apply the bulk form's change to each measure; return the number changed and the measures
    whose own rules refused it (with the error; also one someone saved since it was read). A
    measure that has the status or the owner already keeps it, and its date."""
    changed, refused = 0, []
    for measure in data["measures"]:
        try:
            if data["action"] == BulkChangeForm.STATUS:
                if measure.status == data["status"]:
                    continue
                measure.set_status(data["status"], by=by, on=data["on"], reason=ChangeReason.BULK)
            else:
                if measure.owner_id == data["owner"].pk:
                    continue
                measure.change_owner(data["owner"], by=by)
        except ValidationError as error:
            refused.append((measure, error))
            continue
        changed += 1
    return changed, refused


def _back_to_list(request):
    """Return the list page the bulk change came from (same site only), or the plain list."""
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return reverse("measures:list")


SORT_COLUMNS = [
    ("title", gettext_lazy("Title")),
    ("owner", gettext_lazy("Owner")),
    ("status", gettext_lazy("Status")),
    ("due", gettext_lazy("Due date")),
    ("progress", gettext_lazy("Last progress")),
]


def sort_columns(request):
    """Return the sortable column headers: label, link that sorts by it, and current order."""
    current = request.GET.get("ordering", "")
    columns = {}
    for key, label in SORT_COLUMNS:
        query = request.GET.copy()
        query.pop("page", None)
        sort = "ascending" if current == key else "descending" if current == f"-{key}" else ""
        query["ordering"] = f"-{key}" if sort == "ascending" else key
        columns[key] = {"label": label, "url": f"?{query.urlencode()}", "sort": sort}
    return columns


def measure_detail(request, pk):
    try:
        as_of = read_as_of(request)
    except AsOfRefused as refused:
        return refused.response
    if as_of:
        return measure_detail_as_of(request, pk, as_of)
    updates = ProgressUpdate.objects.visible_to(request.user).select_related(
        "author", "author_organisation", "approved_by"
    )
    measure = get_object_or_404(
        Measure.objects.visible_to(request.user)
        .for_list()
        .select_related("parent", "funder", "source_letter")
        .prefetch_related(
            "partners",
            "countries",
            "commitments",
            Prefetch("updates", queryset=updates, to_attr="timeline"),
            Prefetch(
                "children",
                queryset=Measure.objects.visible_to(request.user).select_related("owner"),
                to_attr="visible_children",
            ),
            Prefetch(
                "events",
                queryset=MeasureEvent.objects.visible_to(request.user),
                to_attr="visible_events",
            ),
            Prefetch(
                "document_links",
                queryset=DocumentLink.objects.select_related("document").order_by(
                    "-document__date", "document__title"
                ),
            ),
            Prefetch(
                "links",
                queryset=MeasureLink.objects.visible_to(request.user).select_related("target"),
                to_attr="visible_links",
            ),
            Prefetch(
                "linked_from",
                queryset=MeasureLink.objects.visible_to(request.user).select_related("source"),
                to_attr="visible_linked_from",
            ),
        ),
        pk=pk,
    )
    return render(
        request,
        "measures/measure_detail.html",
        {
            "measure": measure,
            "parent": measure.parent_for(request.user),
            "partners": measure.partners.all(),
            "countries": measure.countries.all(),
            "timeline": measure.timeline,
            "events": measure.visible_events,
            "documents": [link.document for link in measure.document_links.all()],
            "measure_links": measure.visible_links,
            "measure_linked_from": measure.visible_linked_from,
            "can_edit": can_edit_measure(request.user, measure),
            "is_coordinator": is_coordinator(request.user),
            "today": timezone.localdate(),
        },
    )


def measure_detail_as_of(request, pk, as_of):
    """The measure as it stood at `as_of`: that version's fields and the progress up to then,
    read-only. 404 when it did not exist then, or the user could not see it then or now."""
    get_object_or_404(Measure.objects.visible_to(request.user), pk=pk)
    record = next(iter(shown_then(measures_on(as_of, user=request.user).filter(id=pk))), None)
    if record is None:
        raise Http404(_("This measure was not in the programme at that moment."))
    timeline = list(progress_on(as_of, user=request.user, measures=[pk]))
    return render(
        request,
        "measures/measure_detail.html",
        {
            "measure": record,
            "parent": record.parent_for(request.user),
            "timeline": timeline,
            "partners": members_then(record, "partners"),
            "countries": members_then(record, "countries"),
            "can_edit": False,
            "is_coordinator": False,
            "today": as_of.day,
            **as_of_control(request, as_of),
        },
    )


def members_then(record, name):
    """Return the partners or countries (by field `name`) of a measure record: as recorded with a
    history record, or a live row's own."""
    if not hasattr(record, "history_id"):
        return getattr(record, name).all()
    m2m = Measure._meta.get_field(name)
    ids = (
        m2m_history_model(Measure, m2m)
        .objects.filter(history_id=record.history_id)
        .values(f"{m2m_target_attname(m2m)}_id")
    )
    return m2m.related_model.objects.filter(pk__in=ids)


@coordinator_required(action=gettext_lazy("create a measure"))
def measure_create(request):
    return _edit(request, Measure())


def measure_edit(request, pk):
    return _edit(request, get_measure_for_user(request, pk, edit=True))


def _edit(request, measure):
    form = MeasureForm(request.POST or None, instance=measure, user=request.user)
    if form.is_valid() and form.save_change(by=request.user):
        messages.success(request, _("The measure “%(m)s” has been saved.") % {"m": measure})
        return redirect(measure)
    return render(request, "measures/measure_form.html", {"form": form, "measure": measure})


def log_progress(request, pk):
    measure = get_measure_for_user(request, pk, edit=True)
    form = ProgressForm(
        request.POST or None,
        initial={"date": timezone.localdate()},
        measure=measure,
        user=request.user,
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            update = measure.log_progress(
                expected_version=data["version"],
                by=request.user,
                date=data["date"],
                status=data["status"] or None,
                text=data["text"],
                next_steps=data["next_steps"],
                include_in_letter=data["include_in_letter"],
            )
        except StaleEdit as stale:
            form.refuse_stale(stale)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if update.is_approved:
                recorded = _("The progress has been recorded.")
            else:
                recorded = _(
                    "The progress has been recorded as a draft; a coordinator approves it."
                )
            messages.success(request, with_next_to_do(recorded, request.user, measure))
            return redirect(measure)
    previous = (
        ProgressUpdate.objects.visible_to(request.user)
        .filter(measure=measure)
        .order_by("-date", "-pk")
        .first()
    )
    return render(
        request,
        "measures/progress_form.html",
        {"form": form, "measure": measure, "previous": previous},
    )


def with_next_to_do(message, user, measure):
    """Return `message` with a link to log progress on the next measure of a contributor's
    organisation still without progress since the last letter, when there is one."""
    own_stale = stale_of_own_organisation(user)
    if own_stale is None:
        return message
    following = own_stale.exclude(pk=measure.pk).order_by("title", "pk").first()
    if following is None:
        return message
    return format_html(
        '{} <a href="{}" id="next-to-do">{}: {}</a>',
        message,
        reverse("measures:log_progress", args=[following.pk]),
        _("Next measure without progress"),
        following,
    )


@require_POST
@coordinator_required(action=gettext_lazy("approve progress for the letter"))
def approve_update(request, pk):
    update = get_object_or_404(
        ProgressUpdate.objects.visible_to(request.user).select_related("measure"), pk=pk
    )
    try:
        # The version the page showed: an update changed since is not approved unseen.
        update.approve(by=request.user, expected_version=request.POST.get("version"))
    except StaleEdit as stale:
        messages.error(request, stale_message(stale, request.user))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The update has been approved for the letter."))
    return redirect(update.measure)
