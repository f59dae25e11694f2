"""Our CSP (script-src 'self') blocks inline scripts, event-handler attributes and javascript:
URLs: none of our templates may have one; every script is a static file."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
JAVASCRIPT_URL = re.compile(r"javascript\s*:", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


def test_there_are_templates_to_scan():
    assert len(TEMPLATES) > 30


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_no_template_has_an_inline_handler_script_or_javascript_url(template):
    text = template.read_text()
    assert not HANDLER.search(text), HANDLER.search(text).group(0)
    assert not JAVASCRIPT_URL.search(text)
    for tag in SCRIPT_TAG.findall(text):
        assert "src=" in tag, f"inline <script> in {template.name}: {tag}"


@pytest.mark.parametrize(
    "html",
    [
        '<button onclick="window.print()">',
        "<body\n  onload='x()'>",
        '<a href="javascript:alert(1)">',
        "<script>alert(1)</script>",
    ],
)
def test_the_scan_finds_each_kind(html):
    found = (
        HANDLER.search(html)
        or JAVASCRIPT_URL.search(html)
        or any("src=" not in tag for tag in SCRIPT_TAG.findall(html))
    )
    assert found
