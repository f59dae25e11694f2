"""The progress summary page: the draft of the next letter, and its downloads."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render

from ..access import is_coordinator
from ..forms.summaries import SummaryForm
from ..models import ProgressLetter
from ..reports.collector import collector_paused
from ..reports.renderers import letter_title
from ..reports.renderers.docx import render_docx
from ..reports.renderers.markdown import render_markdown
from ..reports.renderers.pdf import render_pdf
from ..reports.summary import build_summary, letters_to_correct

DOWNLOADS = {
    "md": (render_markdown, "text/markdown; charset=utf-8"),
    "docx": (
        render_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pdf": (render_pdf, "application/pdf"),
}


def download(summary, fmt, name):
    """Return the summary rendered as `fmt` as an attachment called `name`.`fmt`."""
    render_format, content_type = DOWNLOADS[fmt]
    response = HttpResponse(render_format(summary), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@collector_paused
def summary(request):
    start, end = ProgressLetter.objects.next_period()
    data = None
    if request.GET:
        data = request.GET.copy()
        data.setdefault("from", start.isoformat())
        data.setdefault("to", end.isoformat())
    form = SummaryForm(data, user=request.user, initial={"start": start, "end": end})
    if form.is_bound and not form.is_valid():
        context = {"form": form, "summary": None}
        return render(request, "measures/summary.html", context, status=400)
    options = form.cleaned_data if form.is_bound else {"start": start, "end": end}
    result = build_summary(
        options["start"],
        options["end"],
        theme=options.get("theme"),
        plan=options.get("plan"),
        organisation=options.get("organisation"),
        include_internal=bool(options.get("include_internal")),
        user=request.user,
        with_corrections=bool(options.get("corrections")),
    )
    fmt = options.get("format")
    if fmt in DOWNLOADS:
        return download(result, fmt, f"voortgang-{result.start}-{result.end}")
    query = request.GET.copy()
    query.pop("format", None)
    context = {
        "form": form,
        "summary": result,
        "letters_to_correct": (
            []
            if result.corrections or not is_coordinator(request.user)
            else letters_to_correct(result.previous_letter, result.end)
        ),
        "query": query.urlencode(),
        "new_letter_query": (
            urlencode({"from": result.start, "to": result.end, "title": letter_title(result)})
            if is_coordinator(request.user)
            else ""
        ),
        "is_coordinator": is_coordinator(request.user),
        # The draft letters of this very period, whose own words the coordinator may write.
        "drafts": (
            ProgressLetter.objects.drafts_of(result.start, result.end)
            if is_coordinator(request.user)
            else []
        ),
    }
    return render(request, "measures/summary.html", context)
