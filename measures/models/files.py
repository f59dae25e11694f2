"""Uploaded files (a department's letter template, its logo, a document's copy), kept in the
database: backed up, restored and moved between SQLite and PostgreSQL with everything else, and
never served from a public folder. The object that owns a file (and carries the history) points to
it; a changed file is a new StoredFile, so the old one stays what an earlier version pointed to.

`StoredFile.from_upload` is the one place an upload is checked: its size, and that its bytes are
what its kind says (a .docx is a Word package, a PDF starts as one, an image opens as one);
`file_response` the one way one is sent back.
"""

import hashlib
import io
import mimetypes
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from ..formatting import number_nl


class FileKind(models.TextChoices):
    DOCX = "docx", _("Word document (.docx)")
    PDF = "pdf", _("PDF document (.pdf)")
    IMAGE = "image", _("Image (.png, .jpg)")


EXTENSIONS = {
    FileKind.DOCX: {".docx"},
    FileKind.PDF: {".pdf"},
    FileKind.IMAGE: {".png", ".jpg", ".jpeg"},
}
CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


# A Word package unpacks to at most this much: a letter template or a report is a few MB; a small
# file that unpacks to gigabytes (a zip bomb) is refused before anything reads it.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


def _is_docx(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, ValueError):
        return False
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        return False
    names = {member.filename for member in members}
    return "[Content_Types].xml" in names and "word/document.xml" in names


def is_image(data):
    """Whether `data` opens as a PNG or JPEG image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return image.format in {"PNG", "JPEG"}
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return False


CHECKS = {
    FileKind.DOCX: _is_docx,
    FileKind.PDF: lambda data: data.startswith(b"%PDF-"),
    FileKind.IMAGE: is_image,
}


class StoredFile(models.Model):
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    data = models.BinaryField(_("content"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self):
        return self.name

    @property
    def size_text(self):
        """Return the size as people read it: "12 kB", "1,4 MB"."""
        if self.size < 1024 * 1024:
            return f"{number_nl(max(1, round(self.size / 1024)))} kB"
        return f"{number_nl(round(self.size / 1024 / 1024, 1))} MB"

    @classmethod
    def from_upload(cls, upload, kinds, *, by=None):
        """Return an unsaved StoredFile holding `upload` (a Django UploadedFile), or raise
        ValidationError saying why not: larger than TRACKER_MAX_UPLOAD_BYTES, a name not ending
        as one of `kinds` (FileKind values), or bytes that are not what the name says."""
        limit = settings.TRACKER_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s MB; at most %(limit)s MB is accepted."),
                code="too_large",
                params={
                    "size": number_nl(round(upload.size / 1024 / 1024, 1)),
                    "limit": number_nl(round(limit / 1024 / 1024, 1)),
                },
            )
        name = PurePath(upload.name or "").name[-255:]
        extension = PurePath(name).suffix.lower()
        kind = next((k for k in kinds if extension in EXTENSIONS[FileKind(k)]), None)
        if kind is None:
            accepted = ", ".join(sorted(e for k in kinds for e in EXTENSIONS[FileKind(k)]))
            raise ValidationError(
                _("A file ending in %(accepted)s is accepted, not “%(name)s”."),
                code="wrong_kind",
                params={"accepted": accepted, "name": name},
            )
        data = b"".join(upload.chunks())
        if not CHECKS[FileKind(kind)](data):
            raise ValidationError(
                _("“%(name)s” is not a readable %(kind)s."),
                code="unreadable",
                params={"name": name, "kind": FileKind(kind).label},
            )
        return cls(
            name=name,
            content_type=CONTENT_TYPES.get(extension)
            or mimetypes.guess_type(name)[0]
            or "application/octet-stream",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
            uploaded_by=by,
        )


def file_response(stored, *, inline=False):
    """Return `stored` as a download (or shown in the browser with `inline`: images), with its
    own content type, never sniffed."""
    response = HttpResponse(bytes(stored.data), content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, stored.name)
    response["Content-Length"] = str(stored.size)
    response["X-Content-Type-Options"] = "nosniff"
    return response
