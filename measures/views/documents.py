"""The document register: everyone reads it (the measures a document is linked to only as far as
the reader may see them); coordinators add and change documents. A measure's dated events:
whoever may edit the measure adds and changes them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..access import is_coordinator, user_organisation
from ..forms.documents import DocumentFilterForm, DocumentForm, MeasureEventForm, MeasureLinkForm
from ..models import (
    Document,
    DocumentLink,
    Measure,
    MeasureEvent,
    MeasureLink,
    file_response,
)
from .access import coordinator_required, get_measure_for_user

PAGE_SIZE = 25
KEEP_DOCUMENTS = gettext_lazy("add or change documents")


def document_list(request):
    filters = DocumentFilterForm(request.GET or None)
    documents = Document.objects.visible_to(request.user).for_list()
    if filters.is_valid():
        if filters.cleaned_data["kind"]:
            documents = documents.filter(kind=filters.cleaned_data["kind"])
        documents = documents.search(filters.cleaned_data["q"])
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "measures/document_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "may_edit": is_coordinator(request.user),
        },
    )


def document_detail(request, pk):
    readable = Measure.objects.visible_to(request.user).select_related("owner")
    links = DocumentLink.objects.select_related("plan", "commitment", "letter").prefetch_related(
        Prefetch("measure", queryset=readable)
    )
    document = get_object_or_404(
        Document.objects.visible_to(request.user)
        .for_list()
        .prefetch_related(Prefetch("links", queryset=links)),
        pk=pk,
    )
    linked = {"measure": [], "plan": [], "commitment": [], "letter": []}
    for link in document.links.all():
        for target in linked:
            if getattr(link, f"{target}_id") and getattr(link, target) is not None:
                linked[target].append(getattr(link, target))
    return render(
        request,
        "measures/document_detail.html",
        {"document": document, "linked": linked, "may_edit": is_coordinator(request.user)},
    )


def document_file(request, pk):
    """The document's file, for whoever may see the document (`DocumentQuerySet.visible_to`)."""
    document = get_object_or_404(
        Document.objects.visible_to(request.user).select_related("file"), pk=pk
    )
    if document.file is None:
        return redirect(document)
    return file_response(document.file)


@coordinator_required(action=KEEP_DOCUMENTS)
def document_create(request):
    return _document_form(request, Document(), _("New document"))


@coordinator_required(action=KEEP_DOCUMENTS)
def document_edit(request, pk):
    document = get_object_or_404(Document, pk=pk)
    return _document_form(
        request, document, _("Change document “%(title)s”") % {"title": document.title}
    )


def _document_form(request, document, title):
    form = DocumentForm(
        request.POST or None, request.FILES or None, instance=document, user=request.user
    )
    if request.method == "POST" and form.is_valid() and form.save_document(by=request.user):
        messages.success(
            request, _("The document “%(title)s” has been saved.") % {"title": document.title}
        )
        return redirect(document)
    return render(
        request,
        "measures/document_form.html",
        {
            "form": form,
            "title": title,
            "document": document,
            "has_errors": request.method == "POST",
        },
    )


def event_create(request, pk):
    measure = get_measure_for_user(request, pk, edit=True)
    event = MeasureEvent(measure=measure, author_organisation=user_organisation(request.user))
    return _event_form(request, measure, event, _("New event"))


def event_edit(request, pk, event_pk):
    measure = get_measure_for_user(request, pk, edit=True)
    event = get_object_or_404(
        MeasureEvent.objects.visible_to(request.user), pk=event_pk, measure=measure
    )
    return _event_form(request, measure, event, _("Change event"))


def _event_form(request, measure, event, title):
    form = MeasureEventForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid() and form.save_change(by=request.user):
        messages.success(request, _("The event has been saved."))
        return redirect(measure.get_absolute_url() + "#events-heading")
    return render(
        request,
        "measures/event_form.html",
        {"form": form, "title": title, "measure": measure, "has_errors": request.method == "POST"},
    )


def measure_link_create(request, pk):
    """Link the measure to an earlier one it continues, replaces or was split from: for whoever
    may edit the measure. A replaced measure keeps its status: its owner sets "replaced", dated
    on the day it took effect (the link itself has no date)."""
    measure = get_measure_for_user(request, pk, edit=True)
    link = MeasureLink(source=measure)
    form = MeasureLinkForm(request.POST or None, instance=link, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            form.instance.record(by=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The link has been saved."))
            return redirect(measure.get_absolute_url() + "#measure-links-heading")
    return render(
        request,
        "measures/event_form.html",
        {
            "form": form,
            "title": _("Link to an earlier measure"),
            "measure": measure,
            "has_errors": request.method == "POST",
        },
    )


@require_POST
def measure_link_delete(request, pk, link_pk):
    measure = get_measure_for_user(request, pk, edit=True)
    link = get_object_or_404(MeasureLink, pk=link_pk, source=measure)
    link._history_user = request.user
    link.delete()
    messages.success(request, _("The link has been removed."))
    return redirect(measure.get_absolute_url() + "#measure-links-heading")
