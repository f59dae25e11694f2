"""Arbitrary text through the forms, the summary renderers and the exports: never a server error,
always shown as the text that was typed, never as markup.

Hypothesis generates the text: markup, Word XML, Markdown syntax, control characters,
right-to-left marks, emoji and very long words, mixed with whatever else it finds. Under
`make test` the examples are the same on every run (the "deterministic" profile in
tests/conftest.py); `make fuzz` draws many more from a random seed.

A page is checked by parsing it, never by searching its source for the text (a short text such as
`<` is in every page):
- each line of the text that the page shows is a text node of the page;
- the page has the same elements and attribute names as the page after the same change made with
  the text's *shadow*: each character that is not white space replaced by "x". Markup in the text
  that reached the page as markup would add an element, an attribute or a comment that the
  shadow's page does not have.
"""

import csv
import datetime
import io
from html.parser import HTMLParser

import openpyxl
import pytest
from django.db import transaction
from docx import Document
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from measures.models import Measure, ProgressUpdate
from measures.reports.renderers import clean, paragraphs
from measures.reports.renderers.docx import render_docx
from measures.reports.renderers.markdown import render_markdown
from measures.reports.summary import build_summary
from measures.spreadsheets.files import (
    ILLEGAL_CHARACTERS_RE,
    export_rows,
    restore_csv_text,
    restore_text,
)

JAN_1, MAY_1, JUNE_1 = (datetime.date(2015, m, 1) for m in (1, 5, 6))

NASTY = [
    "<script>alert(1)</script>",
    "</w:t></w:r><w:r><w:t>",
    "<w:p/>",
    "& &amp; &lt;",
    "# Kop\n| a | b |\n* lijst [link](javascript:alert(1))",
    "\u202e\u200fomgekeerd",
    "😀🇳🇱",
    "x" * 600,
    "\"'`${{7*7}}",
    '=HYPERLINK("http://x")',
    "\t\r\n",
    "<!-- -->",
    '" onmouseover="alert(1)',
]
HOSTILE = st.one_of(
    st.sampled_from(NASTY),
    st.lists(st.sampled_from(NASTY) | st.text(min_size=1, max_size=40), min_size=1, max_size=4).map(
        "".join
    ),
    st.text(min_size=1, max_size=300),
)


class ParsedPage(HTMLParser):
    """A page as its elements (tag and attribute names, in order) and its text nodes."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.structure = []
        self.texts = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.structure.append((tag, *sorted(name for name, _ in attrs)))

    def handle_endtag(self, tag):
        self.structure.append(("/" + tag,))

    def handle_data(self, data):
        self.texts.append(data.strip())

    def handle_comment(self, data):
        self.structure.append(("<!--",))

    def handle_decl(self, decl):
        self.structure.append(("<!", decl))

    def handle_pi(self, data):
        self.structure.append(("<?",))

    def unknown_decl(self, data):
        self.structure.append(("<![",))


def shadow(text):
    """Return `text` with each character that is not white space (or a NUL, which the forms
    refuse) replaced by "x": the same lines, length and validity, and no markup."""
    return "".join(c if c.isspace() or c == "\x00" else "x" for c in text)


def lines(text):
    """Return the lines with something on them, as a page shows `text` (linebreaks)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [line.strip() for line in text.split("\n") if line.strip()]


def change_and_read(client, url, data, pages, read_back):
    """POST `data` to `url`, read `pages` and `read_back()` the stored text, then undo it all:
    return (status of the POST, the parsed pages, what was stored)."""
    with transaction.atomic():
        status = client.post(url, data).status_code
        parsed = {page: ParsedPage(client.get(page).content.decode()) for page in pages}
        stored = read_back()
        transaction.set_rollback(True)
    return status, parsed, stored


def assert_shown_as_text(client, url, data_with, pages, read_back, text, shown_on, nodes):
    """Make the change with `text` and with its shadow; the pages must have the same structure,
    and the pages in `shown_on` each text node that `nodes(stored)` says what was stored shows
    as."""
    before = read_back()
    status, parsed, stored = change_and_read(client, url, data_with(text), pages, read_back)
    assert status in (200, 302), status
    shadow_status, shadow_parsed, _ = change_and_read(
        client, url, data_with(shadow(text)), pages, read_back
    )
    assert status == shadow_status
    for page in pages:
        assert parsed[page].structure == shadow_parsed[page].structure, f"markup on {page}"
    if status == 200:  # refused with a message (too long, blank, a NUL): nothing was written
        assert stored == before
        return
    for page in shown_on:
        for node in nodes(stored):
            assert node in parsed[page].texts, f"{node!r} is not a text node of {page}"


@pytest.fixture
def coordinator_client(client, alice):
    client.force_login(alice)
    return client


@given(text=HOSTILE)
def test_progress_text_is_shown_as_text_on_the_measure_page(coordinator_client, measure, text):
    page = f"/measures/{measure.pk}/"

    def progress(text):
        return {
            "date": "2015-05-01",
            "status": "",
            "text": text,
            "include_in_letter": "on",
            "version": Measure.objects.get(pk=measure.pk).version,
        }

    def latest_text():
        latest = ProgressUpdate.objects.filter(measure=measure).order_by("-pk").first()
        return latest.text if latest else None

    assert_shown_as_text(
        coordinator_client, f"{page}progress/", progress, [page], latest_text, text, [page], lines
    )


@given(title=HOSTILE)
def test_a_measure_title_is_shown_as_text_on_the_list_detail_history_and_feed(
    coordinator_client, measure, title
):
    current = Measure.objects.get(pk=measure.pk)

    def edit(title):
        return {
            "plan": current.plan_id,
            "action_line": current.action_line_id or "",
            "theme": current.theme_id,
            "title": title,
            "owner": current.owner_id,
            "joined_on": current.joined_on.isoformat(),
            "status": current.status,
            "status_since": current.status_since.isoformat(),
            "visibility": current.visibility,
            "version": current.version,
        }

    def stored_title():
        return Measure.objects.get(pk=measure.pk).title

    pages = ["/measures/", f"/measures/{measure.pk}/", f"/measures/{measure.pk}/history/"]
    pages += ["/changes/", "/"]
    assert_shown_as_text(
        coordinator_client,
        f"/measures/{measure.pk}/edit/",
        edit,
        pages,
        stored_title,
        title,
        ["/measures/", f"/measures/{measure.pk}/"],
        lambda title: [title.strip()],  # one text node, whatever lines it has
    )


def markdown_texts(markdown):
    """Return the text of each heading and paragraph of `markdown` read as CommonMark, and the
    kinds of inline markup in it."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    texts, kinds = [], set()
    for token in tokens:
        if token.type == "inline":
            kinds |= {child.type for child in token.children}
            texts.append("".join(child.content for child in token.children).strip())
        elif token.type.startswith("html"):
            kinds.add(token.type)
    return texts, kinds


@given(text=HOSTILE, title=HOSTILE)
def test_the_summary_renderers_write_the_text_as_text(alice, measure, text, title):
    # PostgreSQL stores no NUL character; the forms refuse it before it gets this far.
    text, title = text.replace("\x00", "") or "x", title.replace("\x00", "") or "x"
    current = Measure.objects.get(pk=measure.pk)
    current.title = title[:300]
    current.save()
    current.log_progress(by=alice, text=text, date=MAY_1)
    summary = build_summary(JAN_1, JUNE_1)
    heading = " ".join(clean(current.title).split())
    blocks = [" ".join(block.split()) for block in paragraphs(text)]

    texts, kinds = markdown_texts(render_markdown(summary))
    assert kinds <= {"text", "softbreak", "em_open", "em_close"}, kinds  # no HTML, link or code
    assert heading in texts
    if blocks:  # the first paragraph follows the date, the others stand alone
        assert any(t.startswith("1 mei 2015") and t.endswith(f" {blocks[0]}") for t in texts)
        assert all(block in texts for block in blocks[1:])

    # The Word file opens, and its paragraphs hold the text: data, never markup.
    document = Document(io.BytesIO(render_docx(summary)))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert clean(current.title).replace("\r", "\n") in texts
    for i, block in enumerate(paragraphs(text)):
        if i == 0:
            assert any(t.startswith("1 mei 2015") and t.endswith(f" {block}") for t in texts)
        else:
            assert block in texts


@given(cell=HOSTILE)
def test_exports_neutralise_and_keep_every_cell(cell):
    response = export_rows(["kolom"], [[cell]], "csv", "test")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert not rows[1][0].startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore_text(restore_csv_text(rows[1][0])) == cell  # as the import reads it back

    response = export_rows(["kolom"], [[cell]], "xlsx", "test")
    assert response.status_code == 200
    value = openpyxl.load_workbook(io.BytesIO(response.content)).active.cell(row=2, column=1).value
    assert not str(value or "").startswith(("=", "+", "-", "@", "\t", "\r"))
    kept = ILLEGAL_CHARACTERS_RE.sub("", cell)  # what an .xlsx cell can hold at all
    assert restore_text(value or "") == kept
