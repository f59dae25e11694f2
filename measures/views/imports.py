"""The coordinators' spreadsheet import: upload → preview → confirm.

The preview is a dry run of `imports.import_file`, the pipeline the import_measures command
uses, so the page and the command give the same messages. A file that passes is kept on the
server (`imports.StoredUpload`) under a random token bound to the coordinator; the confirmation
names that token, imports the kept file for real and removes it. A refused file is never kept.
Uploads are read into memory by `LimitedUploadHandler`, which stops reading past the import
limit: nothing is written to the system's temp folder.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import MemoryFileUploadHandler, StopUpload
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from ..access import is_coordinator
from ..forms.imports import ImportForm
from ..spreadsheets.imports import ImportRefused, StoredUpload, import_file, max_bytes

FORM_TEMPLATE = "measures/import_form.html"


class LimitedUploadHandler(MemoryFileUploadHandler):
    """Read uploaded files into memory (never a temp file), and stop reading the request once
    its files pass twice the import limit (the spreadsheet and the progress file)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = True

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > 2 * max_bytes():
            self.request.import_too_large = True
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)


def _require_coordinator(request):
    if not is_coordinator(request.user):
        raise PermissionDenied(_("Only coordinators can import spreadsheets."))


def _refused(request, refused, form=None):
    return render(
        request,
        FORM_TEMPLATE,
        {"form": form or ImportForm(), "errors": refused.errors},
    )


@csrf_exempt  # the body must not be read before the upload handler is set; see _upload
def import_upload(request):
    _require_coordinator(request)
    if request.method == "POST":
        request.upload_handlers = [LimitedUploadHandler(request)]
    return _upload(request)


@csrf_protect
def _upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if getattr(request, "import_too_large", False):
        context = {"form": ImportForm(), "too_large": max_bytes()}
        return render(request, FORM_TEMPLATE, context, status=413)
    if request.method == "POST" and form.is_valid():
        arguments = form.import_arguments()
        try:
            import_file(**arguments, by=request.user, dry_run=True)
        except ImportRefused as refused:
            return _refused(request, refused, form)
        upload = StoredUpload.store(request.user, **arguments)
        return redirect("measures:import_preview", token=upload.token)
    return render(request, FORM_TEMPLATE, {"form": form})


def _stored(request, token):
    _require_coordinator(request)
    upload = StoredUpload.load(token, request.user)
    if upload is None:
        raise Http404(_("This import is not there (any more); upload the file again."))
    return upload


def import_preview(request, token):
    upload = _stored(request, token)
    try:
        report = import_file(**upload.import_arguments(), by=request.user, dry_run=True)
    except ImportRefused as refused:
        upload.delete()  # Refused since the upload (someone saved a measure): not kept.
        return _refused(request, refused)
    context = {
        "upload": upload,
        "report": report,
        "shown": [r for r in report.results if r.action != "unchanged"],
    }
    return render(request, "measures/import_preview.html", context)


@require_POST
def import_confirm(request, token):
    upload = _stored(request, token)
    try:
        report = import_file(**upload.import_arguments(), by=request.user)
    except ImportRefused as refused:
        return _refused(request, refused)
    finally:
        upload.delete()
    messages.success(request, report.summary)
    return redirect("measures:list")


@require_POST
def import_cancel(request, token):
    _stored(request, token).delete()
    messages.info(request, _("The import was cancelled; nothing was written."))
    return redirect("measures:import")
