"""The department's letterhead (coordinators): its page with the placeholders and history, the
neutral template to start from, and the department's own template back."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..docx_frame import PLACEHOLDERS, default_template
from ..forms.letterheads import LetterTemplateForm
from ..models import LetterTemplate, StoredFile, file_response
from ..models.files import CONTENT_TYPES
from .access import coordinator_required

COORDINATORS_ONLY = gettext_lazy("Only coordinators can change the letterhead.")


def _letterhead():
    """Return the letterhead the page edits: the one in use, else the latest, else a new one."""
    return (
        LetterTemplate.objects.in_use()
        or LetterTemplate.objects.select_related("logo", "docx").first()
        or LetterTemplate()
    )


@coordinator_required(COORDINATORS_ONLY)
def letter_template(request):
    letterhead = _letterhead()
    form = LetterTemplateForm(
        request.POST or None, request.FILES or None, instance=letterhead, user=request.user
    )
    if form.is_valid() and form.save_change(by=request.user):
        messages.success(request, _("The letterhead was saved."))
        return redirect("measures:letter_template")
    history = list(letterhead.history.select_related("history_user")[:20]) if letterhead.pk else []
    ids = {pk for record in history for pk in (record.logo_id, record.docx_id) if pk}
    names = dict(StoredFile.objects.filter(pk__in=ids).values_list("id", "name"))
    for record in history:
        record.logo_name, record.docx_name = names.get(record.logo_id), names.get(record.docx_id)
    context = {
        "form": form,
        "letterhead": letterhead,
        "placeholders": PLACEHOLDERS.items(),
        "history": history,
        "if_tag": "{%p if uw_kenmerk %}",
        "endif_tag": "{%p endif %}",
    }
    status = 400 if form.is_bound else 200
    return render(request, "measures/letter_template.html", context, status=status)


@coordinator_required(COORDINATORS_ONLY)
def letter_template_example(request):
    """The neutral template, with the letterhead's logo when it has one: a department's start."""
    letterhead = LetterTemplate.objects.in_use()
    logo = bytes(letterhead.logo.data) if letterhead and letterhead.logo else None
    response = HttpResponse(default_template(logo), content_type=CONTENT_TYPES[".docx"])
    response["Content-Disposition"] = content_disposition_header(True, "briefsjabloon.docx")
    return response


@coordinator_required(COORDINATORS_ONLY)
def letter_template_file(request):
    """The department's own template as uploaded."""
    letterhead = LetterTemplate.objects.in_use()
    if letterhead is None or letterhead.docx is None:
        raise Http404(_("No Word template is in use."))
    return file_response(letterhead.docx)
