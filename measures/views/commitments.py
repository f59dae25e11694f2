"""The register of commitments and motions: list with filters, detail, recording the answer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ..access import is_coordinator
from ..filters import CommitmentFilter
from ..forms.commitments import CommitmentFulfilForm
from ..history.changes import reason_in_words
from ..locking import StaleEdit
from ..models import Commitment, CommitmentStatus, Document
from ..spreadsheets import files
from .access import coordinator_required
from .history import query_and

# The model's field names in `Commitment.fulfil` errors, and the form fields they belong to.
FORM_FIELDS = {"fulfilled_on": "on", "fulfilled_by": "letter", "status": "status"}


def commitment_list(request):
    commitments = CommitmentFilter(
        request.GET or None, queryset=Commitment.objects.for_list(request.user)
    )
    fmt = request.GET.get("format")
    if fmt in files.FORMATS:
        return files.export_rows(
            commitment_header(), commitment_rows(commitments.qs), fmt, _("commitments")
        )
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "measures/commitment_list.html",
        {"filter": commitments, "today": timezone.localdate(), "query_and": query_and(query)},
    )


def commitment_header():
    return [
        _("Number"),
        _("Kind"),
        _("Subject"),
        _("What was promised or asked"),
        _("Made by"),
        _("Made at"),
        _("Made on"),
        _("Parliamentary paper"),
        _("Deadline"),
        _("Deadline read as"),
        _("Status"),
        _("Answered late"),
        _("Answered in"),
        _("Answered on"),
        _("Measures"),
    ]


def commitment_rows(commitments):
    """Yield the register's rows for a spreadsheet; `commitments` comes from `for_list(user)`,
    so its measures are the ones the user may see."""
    for commitment in commitments:
        made_at = commitment.get_made_at_kind_display()
        if commitment.made_at:
            made_at = f"{made_at}: {commitment.made_at}"
        yield [
            commitment.number,
            commitment.get_kind_display(),
            commitment.title,
            commitment.text,
            commitment.made_by,
            made_at,
            commitment.made_on,
            commitment.kamerstuk,
            commitment.deadline_text,
            commitment.due_date,
            commitment.get_status_display(),
            commitment.status != CommitmentStatus.OPEN and commitment.is_late,
            commitment.fulfilled_by.title if commitment.fulfilled_by else "",
            commitment.fulfilled_on,
            "; ".join(str(measure) for measure in commitment.measures.all()),
        ]


def commitment_detail(request, pk):
    commitment = get_object_or_404(Commitment.objects.for_list(request.user), pk=pk)
    return render(request, "measures/commitment_detail.html", _detail_context(request, commitment))


@require_http_methods(["GET", "POST"])
@coordinator_required(gettext_lazy("Only coordinators record how a commitment was answered."))
def commitment_fulfil(request, pk):
    """Record how a commitment was answered. The form sits on the commitment's page; a refused
    answer is shown at this address, which also answers GET with the form, so a reload or a
    language switch there shows the page instead of a 405."""
    if request.method == "GET":
        commitment = get_object_or_404(Commitment.objects.for_list(request.user), pk=pk)
        if commitment.status != CommitmentStatus.OPEN:
            return redirect(commitment)
        context = _detail_context(request, commitment)
        return render(request, "measures/commitment_fulfil.html", context)
    commitment = get_object_or_404(Commitment, pk=pk)
    form = CommitmentFulfilForm(request.POST, instance=commitment, user=request.user)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            commitment.fulfil(by=request.user, expected_version=data.pop("version"), **data)
        except StaleEdit as stale:
            form.refuse_stale(stale)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect(commitment)
            for field, errors in error.message_dict.items():
                form.add_error(FORM_FIELDS.get(field), errors)
        else:
            messages.success(request, _("The answer to this commitment has been recorded."))
            return redirect(commitment)
    commitment = get_object_or_404(Commitment.objects.for_list(request.user), pk=pk)
    context = _detail_context(request, commitment, form)
    return render(request, "measures/commitment_fulfil.html", context)


def _with_reasons(records):
    """Return the history records with `reason_text`, the change reason as the reader reads it."""
    records = list(records)
    for record in records:
        record.reason_text = reason_in_words(record.history_change_reason)
    return records


def _detail_context(request, commitment, form=None):
    may_fulfil = is_coordinator(request.user) and commitment.status == CommitmentStatus.OPEN
    return {
        "commitment": commitment,
        "today": timezone.localdate(),
        "form": form
        or (CommitmentFulfilForm(instance=commitment, user=request.user) if may_fulfil else None),
        "may_fulfil": may_fulfil,
        "documents": Document.objects.linked_to("commitment", commitment),
        "history": _with_reasons(
            commitment.history.select_related("history_user").order_by("-history_date")
        ),
    }
