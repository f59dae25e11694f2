"""Progress letters: the list, a letter's page (its summary as of its date), saving and sending."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..access import is_coordinator
from ..forms.summaries import LetterForm
from ..history.changes import stale_lines
from ..locking import StaleEdit
from ..models import ProgressLetter
from ..reports.collector import collector_paused
from ..reports.renderers import correction_sentences
from ..reports.summary import corrections, letter_summary
from .access import coordinator_required
from .summaries import DOWNLOADS, download

COORDINATORS_ONLY = gettext_lazy("Only coordinators can save and send progress letters.")


def letter_list(request):
    letters = ProgressLetter.objects.select_related("sent_by")
    return render(request, "measures/letter_list.html", {"letters": letters})


def _corrections_text(letter, user):
    """Return (intro, sentences) of what was recorded after a sent letter about its period, as
    `user` may read it; None for a draft or when nothing was."""
    found = corrections(letter, user=user)
    if found is None or found.is_empty:
        return None
    return correction_sentences(found)


@collector_paused
def letter_detail(request, pk):
    letter = get_object_or_404(ProgressLetter, pk=pk)
    result = letter_summary(letter, user=request.user)
    fmt = request.GET.get("format")
    if fmt in DOWNLOADS:
        return download(result, fmt, f"brief-{letter.date}")
    context = {
        "letter": letter,
        "summary": result,
        "corrections": _corrections_text(letter, request.user),
        "is_coordinator": is_coordinator(request.user),
    }
    return render(request, "measures/letter_detail.html", context)


@require_POST
@coordinator_required(COORDINATORS_ONLY)
def letter_create(request):
    form = LetterForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The letter was not saved: %(errors)s")
            % {"errors": "; ".join(e for errors in form.errors.values() for e in errors)},
        )
        return redirect("measures:summary")
    letter = form.save()
    messages.success(request, _("The draft letter was saved."))
    return redirect("measures:letter_detail", pk=letter.pk)


@require_POST
@coordinator_required(COORDINATORS_ONLY)
def letter_send(request, pk):
    letter = get_object_or_404(ProgressLetter, pk=pk)
    try:
        letter.mark_sent(by=request.user, expected_version=request.POST.get("version"))
    except StaleEdit as stale:
        messages.error(request, " ".join([*stale.messages, *stale_lines(stale, request.user)]))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The letter is marked as sent; its content is now fixed."))
    return redirect("measures:letter_detail", pk=letter.pk)
