"""Uploaded files kept in the database: what an upload must be to be kept, and how one is sent."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from PIL import Image

from measures.models import FileKind, StoredFile, file_response

pytestmark = pytest.mark.django_db


def docx_bytes():
    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_word_document_is_kept_with_its_name_type_size_and_hash():
    data = docx_bytes()
    stored = StoredFile.from_upload(SimpleUploadedFile("../../Sjabloon JenV.docx", data), ["docx"])
    stored.save()
    stored.refresh_from_db()
    assert stored.name == "Sjabloon JenV.docx"  # no path from the client
    assert stored.content_type.endswith("wordprocessingml.document")
    assert stored.size == len(data)
    assert bytes(stored.data) == data
    assert len(stored.sha256) == 64


@pytest.mark.parametrize(
    ("name", "data", "kinds", "code"),
    [
        ("brief.exe", b"MZ...", [FileKind.DOCX], "wrong_kind"),
        ("brief.docx", b"not a zip at all", [FileKind.DOCX], "unreadable"),
        ("rapport.pdf", b"<html>not a pdf</html>", [FileKind.PDF], "unreadable"),
        ("logo.png", b"%PDF-1.7 pretending", [FileKind.IMAGE], "unreadable"),
        ("logo.svg", b"<svg/>", [FileKind.IMAGE], "wrong_kind"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(name, data, kinds, code):
    with pytest.raises(ValidationError) as refused:
        StoredFile.from_upload(SimpleUploadedFile(name, data), kinds)
    assert refused.value.code == code
    assert StoredFile.objects.count() == 0


def test_a_zip_without_a_word_body_is_not_a_word_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ValidationError):
        StoredFile.from_upload(SimpleUploadedFile("x.docx", buffer.getvalue()), [FileKind.DOCX])


def test_a_file_over_the_limit_is_refused_with_both_sizes(settings):
    settings.TRACKER_MAX_UPLOAD_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("groot.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        StoredFile.from_upload(upload, [FileKind.PDF])
    assert refused.value.code == "too_large"
    assert refused.value.params == {"size": "2", "limit": "1"}


def test_an_image_and_a_pdf_are_accepted_by_their_bytes():
    image = StoredFile.from_upload(SimpleUploadedFile("logo.PNG", png_bytes()), ["image", "pdf"])
    assert image.content_type == "image/png"
    pdf = StoredFile.from_upload(SimpleUploadedFile("r.pdf", b"%PDF-1.7\n..."), ["image", "pdf"])
    assert pdf.content_type == "application/pdf"


def test_the_response_is_a_download_of_its_own_type_never_sniffed():
    stored = StoredFile.from_upload(
        SimpleUploadedFile("Rapport “WODC” 2015.pdf", b"%PDF-1"), ["pdf"]
    )
    response = file_response(stored)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''Rapport%20%E2%80%9CWODC%E2%80%9D%202015.pdf"
        in response["Content-Disposition"]
    )
    assert response.content == b"%PDF-1"
    assert file_response(stored, inline=True)["Content-Disposition"].startswith("inline;")


def test_a_word_package_that_unpacks_to_too_much_is_refused():
    """A zip bomb: a small file whose parts claim gigabytes is refused before anything reads
    them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"\0" * (201 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        StoredFile.from_upload(SimpleUploadedFile("bom.docx", buffer.getvalue()), ["docx"])
    assert refused.value.code == "unreadable"
