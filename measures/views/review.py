"""The review queue: coordinators approve drafts of progress, one or several at once, or send one
back to its author with a comment."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ..history.changes import stale_lines, stale_message
from ..locking import StaleEdit
from ..models import ProgressUpdate
from .access import coordinator_required

REVIEW = gettext_lazy("review progress for the letter")


@coordinator_required(action=REVIEW)
def review_queue(request, refused=None, opened=None):
    """The drafts the coordinator may read, oldest first. `refused` (pk, errors, comment as
    typed) is a send-back that was refused: shown at its draft, with a 400 and the error
    summary. `opened`: the draft whose send-back form is shown open."""
    drafts = ProgressUpdate.objects.visible_to(request.user).to_review()
    links = []
    if refused is not None:
        opened, errors, comment = refused
        links = [(f"#comment-{opened}", error) for error in errors]
        for update in drafts:
            if update.pk == opened:
                update.send_back_errors, update.typed_comment = errors, comment
    context = {"drafts": drafts, "opened": opened, "error_links": links, "has_errors": bool(links)}
    return render(request, "measures/review.html", context, status=400 if refused else 200)


@require_POST
@coordinator_required(action=REVIEW)
def review_approve(request):
    """Approve the selected drafts (or the one whose own button was pressed), each with the
    version its row showed, in one transaction: one refused refuses them all."""
    selected = (
        [request.POST["only"]] if request.POST.get("only") else request.POST.getlist("selected")
    )
    ids = {int(pk) for pk in selected if pk.isdigit()}
    if not ids:
        messages.error(request, _("Select the updates to approve."))
        return redirect("measures:review")
    updates = (
        ProgressUpdate.objects.visible_to(request.user)
        .filter(pk__in=ids)
        .select_related("measure")
        .order_by("date", "pk")
    )
    refused = []
    with transaction.atomic():
        found = 0
        for update in updates:
            found += 1
            try:
                update.approve(
                    by=request.user, expected_version=request.POST.get(f"version-{update.pk}")
                )
            except ValidationError as error:
                refused.append((update, error))
        # One refused update refuses them all: the coordinator looks again at the one named.
        transaction.set_rollback(bool(refused) or found != len(ids))
    if found != len(ids):
        messages.error(
            request, _("An update you selected no longer exists or is not yours to see.")
        )
    for update, error in refused:
        lines = [*error.messages]
        if isinstance(error, StaleEdit):
            lines += stale_lines(error, request.user)
        messages.error(
            request, _("%(update)s: %(error)s") % {"update": update, "error": " ".join(lines)}
        )
    if refused or found != len(ids):
        messages.error(request, _("No update was approved."))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)d update approved for the letter.",
                "%(n)d updates approved for the letter.",
                found,
            )
            % {"n": found},
        )
    return redirect("measures:review")


@require_http_methods(["GET", "POST"])
@coordinator_required(action=REVIEW)
def review_send_back(request, pk):
    """Send one draft back to its author with a comment; without a comment the queue is shown
    again with the error at that draft and nothing written. GET (a reload or a language switch
    after a refusal) shows the queue with this draft's send-back form open."""
    if request.method == "GET":
        return review_queue(request, opened=pk)
    update = get_object_or_404(
        ProgressUpdate.objects.visible_to(request.user).select_related("measure"), pk=pk
    )
    comment = request.POST.get("review_comment", "")
    try:
        update.send_back(
            by=request.user, comment=comment, expected_version=request.POST.get("version")
        )
    except StaleEdit as stale:
        messages.error(request, stale_message(stale, request.user))
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            return review_queue(request, refused=(update.pk, error.messages, comment))
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The update on “%(measure)s” has been sent back to its author.")
            % {"measure": update.measure},
        )
    return redirect("measures:review")
