"""Progress letters: the list, a letter's page (its summary as of its date), saving and sending."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from ..access import is_coordinator
from ..forms.letters import LetterForm, LetterSendForm, LetterTextForm, letter_places
from ..forms.summaries import SummaryForm
from ..history.changes import latest_changes, letter_history_querysets, stale_message
from ..locking import StaleEdit
from ..models import Document, LetterPassage, ProgressLetter
from ..models.letters import SENT_KEEPS_ITS_WORDS
from ..reports.checklist import changed_since
from ..reports.collector import collector_paused
from ..reports.renderers import correction_sentences
from ..reports.summary import corrections, letter_summary
from .access import coordinator_required
from .summaries import DOWNLOADS, download

COORDINATORS_ONLY = gettext_lazy("Only coordinators can save and send progress letters.")


def letter_list(request):
    letters = ProgressLetter.objects.select_related("sent_by")
    context = {"letters": letters, "is_coordinator": is_coordinator(request.user)}
    return render(request, "measures/letter_list.html", context)


def _corrections_text(letter, user):
    """Return (intro, sentences) of what was recorded after a sent letter about its period, as
    `user` may read it; None for a draft or when nothing was."""
    found = corrections(letter, user=user)
    if found is None or found.is_empty:
        return None
    return correction_sentences(found)


@collector_paused
def letter_detail(request, pk):
    letter = get_object_or_404(ProgressLetter.objects.select_related("checked_by"), pk=pk)
    result = letter_summary(letter, user=request.user)
    fmt = request.GET.get("format")
    if fmt in DOWNLOADS:
        return download(result, fmt, f"brief-{letter.date}")
    context = {
        "letter": letter,
        "summary": result,
        "corrections": _corrections_text(letter, request.user),
        "is_coordinator": is_coordinator(request.user),
        # Said to coordinators only: whatever changed may be confidential.
        "changed_since_check": is_coordinator(request.user)
        and letter.checked_at is not None
        and not letter.is_sent
        and changed_since(letter.checked_at),
        "previous": letter.previous_sent(),
        "documents": Document.objects.linked_to("letter", letter),
    }
    return render(request, "measures/letter_detail.html", context)


@coordinator_required(COORDINATORS_ONLY)
def letter_create(request):
    """A draft letter's own page: the form starts with the period in the URL (`from`, `to`,
    `title`, as the summary page links to it); a refused form comes back with its input."""
    start, end = ProgressLetter.objects.next_period()
    period = SummaryForm(
        {"from": request.GET.get("from", start), "to": request.GET.get("to", end)},
        user=request.user,
    )
    if period.is_valid():
        start, end = period.cleaned_data["start"], period.cleaned_data["end"]
    initial = {
        "title": request.GET.get("title", ""),
        "date": end,
        "period_start": start,
        "period_end": end,
    }
    form = LetterForm(request.POST or None, initial=initial)
    if form.is_valid():
        letter = form.save()
        messages.success(request, _("The draft letter was saved."))
        return redirect("measures:letter_detail", pk=letter.pk)
    return render(request, "measures/letter_form.html", {"form": form})


@require_POST
@coordinator_required(COORDINATORS_ONLY)
def letter_check(request, pk):
    """Record that the coordinator read the draft through (`ProgressLetter.mark_checked`), for
    the version of the letter the page showed."""
    letter = get_object_or_404(ProgressLetter, pk=pk)
    try:
        letter.mark_checked(by=request.user, expected_version=request.POST.get("version"))
    except StaleEdit as stale:
        messages.error(request, stale_message(stale, request.user))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The draft is marked as checked."))
    return redirect("measures:letter_detail", pk=letter.pk)


@collector_paused
@coordinator_required(COORDINATORS_ONLY)
def letter_send(request, pk):
    """Confirm that a letter went out, with its parliamentary paper and the day: a valid form
    marks it sent (`ProgressLetter.mark_sent`); a refused one comes back with its input."""
    letter = get_object_or_404(ProgressLetter, pk=pk)
    form = None
    if not letter.is_sent:
        form = LetterSendForm(request.POST or None, instance=letter, user=request.user)
    if form is not None and form.is_valid():
        try:
            letter.mark_sent(
                by=request.user,
                on=form.cleaned_data["sent_on"],
                expected_version=form.cleaned_data["version"],
                kamerstuk=form.cleaned_data["kamerstuk"],
            )
        except StaleEdit as stale:
            form.refuse_stale(stale)
        except ValidationError as error:
            # Errors of the form's fields (the day) land on them; any other is the form's own.
            on_fields = set(getattr(error, "error_dict", {})) <= set(form.fields)
            form.add_error(None, error if on_fields else error.messages)
        else:
            messages.success(request, _("The letter is marked as sent; its content is now fixed."))
            return redirect("measures:letter_detail", pk=letter.pk)
    summary = letter_summary(letter, user=request.user) if form is not None else None
    context = {"letter": letter, "form": form, "summary": summary}
    return render(request, "measures/letter_send.html", context)


@collector_paused
@coordinator_required(COORDINATORS_ONLY)
def letter_text(request, pk):
    """The letter's own words: a textarea at every place of its structure (the builder's), one
    Save that writes what changed (`LetterTextForm.save`); a refused form comes back with its
    input. A sent letter's words are shown, not offered for editing."""
    letter = get_object_or_404(ProgressLetter, pk=pk)
    if letter.is_sent and request.method == "POST":
        raise PermissionDenied(str(SENT_KEEPS_ITS_WORDS))
    summary = letter_summary(letter, user=request.user)
    form = None
    if not letter.is_sent:
        passages = {p.key: p for p in LetterPassage.objects.filter(letter=letter)}
        form = LetterTextForm(
            request.POST or None,
            letter=letter,
            summary=summary,
            passages=passages,
            user=request.user,
        )
    if form is not None and form.is_valid():
        written = form.save(by=request.user)
        if written is not None:
            if written:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d text of the letter was saved.",
                        "%(count)d texts of the letter were saved.",
                        written,
                    )
                    % {"count": written},
                )
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("measures:letter_detail", pk=letter.pk)
    context = {
        "letter": letter,
        "form": form,
        "places": form.places if form is not None else letter_places(summary),
        "summary": summary,
    }
    return render(request, "measures/letter_text.html", context)


HISTORY_PAGE_SIZE = 25


def letter_history(request, pk):
    """Every version of the letter and of its own words, newest first."""
    letter = get_object_or_404(ProgressLetter, pk=pk)
    page = latest_changes(
        letter_history_querysets(letter, request.user), limit=HISTORY_PAGE_SIZE, user=request.user
    )
    return render(request, "measures/letter_history.html", {"letter": letter, "page": page})
