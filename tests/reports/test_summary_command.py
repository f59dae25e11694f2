"""`manage.py summary`: each format to a file and to standard output; bad input refused."""

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from pypdf import PdfReader

from tests import summary_data

kp, letters, letter_data = summary_data.kp, summary_data.letters, summary_data.letter_data

PERIOD = ["--from", "2014-09-04", "--to", "2015-06-01"]


def run(*args):
    """Run the command with a binary-capable stdout; return (bytes written, stderr text)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.StringIO()
    call_command("summary", *args, stdout=out, stderr=err)
    out.flush()
    return out.buffer.getvalue(), err.getvalue()


@pytest.mark.parametrize("fmt", ["md", "docx", "pdf", "html"])
def test_it_writes_each_format_to_a_file(letter_data, tmp_path, fmt):
    target = tmp_path / f"brief.{fmt}"
    written, messages = run(*PERIOD, "--format", fmt, "--output", str(target))

    content = target.read_bytes()
    assert written == b""
    assert f"Wrote {target}" in messages
    if fmt == "docx":
        text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
        assert "2.1 Preventie" in text
    elif fmt == "pdf":
        text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
        assert "Kinderpornografie" in text
    else:
        assert "Handboek kindersekstoerisme" in content.decode()
        assert "Geheime operatie" not in content.decode()


def test_it_writes_markdown_and_binary_formats_to_standard_output(letter_data):
    markdown, _ = run(*PERIOD)
    assert markdown.decode().startswith("# Voortgang van de aanpak van kinderpornografie")

    docx, _ = run(*PERIOD, "--format", "docx")
    assert docx.startswith(b"PK")
    texts = [p.text for p in Document(io.BytesIO(docx)).paragraphs]
    assert "Betreft\tVoortgang van de aanpak van kinderpornografie en kindersekstoerisme" in texts

    pdf, _ = run(*PERIOD, "--format", "pdf")
    assert pdf.startswith(b"%PDF")


def test_it_keeps_one_theme_and_includes_internal_only_when_asked(letter_data, alice):
    only_kst, _ = run(*PERIOD, "--theme", "kst")
    assert "Kinderpornografie" not in only_kst.decode()

    internal, _ = run(*PERIOD, "--include-internal")
    assert "Interne evaluatie voorlichting" in internal.decode()
    assert "Geheime operatie" not in internal.decode()
    confidential, _ = run(*PERIOD, "--include-internal", "--user", "alice")
    assert "Geheime operatie" in confidential.decode()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2015-13-01", "--to", "2015-06-01"], "is not a date"),
        (["--from", "2015-06-01", "--to", "2014-09-04"], "must end on or after"),
        ([*PERIOD, "--theme", "xx"], "No theme 'xx'"),
        ([*PERIOD, "--user", "nobody"], "No user named 'nobody'"),
        ([*PERIOD, "--output", "/nonexistent/dir/brief.md"], "Cannot write"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
