"""A control character in an indicator's name (the admin accepts one) breaks no Word download:
the letter's text and its chart are cleaned where they enter Word and SVG."""

import io

import docx
import pytest
from django.urls import reverse

from measures.models import Indicator
from measures.reports.charts import indicator_chart_png, indicator_chart_svg
from tests import summary_data
from tests.summary_data import END, START

kp, letters, letter_data = summary_data.kp, summary_data.letters, summary_data.letter_data

HOSTILE = "Verdachten\x01 aangeleverd\x0b bij het OM"
CLEAN = "Verdachten aangeleverd bij het OM"


@pytest.fixture
def hostile_indicator(letter_data):
    indicator = Indicator.objects.get(name=CLEAN)
    indicator.name = HOSTILE
    indicator.save()
    return indicator


def word_text(content):
    document = docx.Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for t in document.tables for row in t.rows for cell in row.cells]
    pictures = document.inline_shapes
    return "\n".join(texts), len(pictures)


@pytest.mark.parametrize("where", ["summary", "letter"])
def test_the_word_download_opens_with_the_name_cleaned(
    client, vera, letter_data, hostile_indicator, where
):
    client.force_login(vera)
    if where == "summary":
        url, query = reverse("measures:summary"), {"from": START, "to": END, "format": "docx"}
    else:
        url = reverse("measures:letter_detail", args=[letter_data["letter"].pk])
        query = {"format": "docx"}
    response = client.get(url, query)
    assert response.status_code == 200
    text, pictures = word_text(response.content)
    assert CLEAN in text
    assert "\x01" not in text and "\x0b" not in text
    assert pictures >= 1  # the chart is there


def test_the_chart_cleans_its_own_text(hostile_indicator):
    values = list(hostile_indicator.values.all())
    svg = indicator_chart_svg(hostile_indicator, values)
    assert "\x01" not in svg and "\x0b" not in svg
    assert CLEAN in svg
    assert indicator_chart_png(hostile_indicator, values).startswith(b"\x89PNG")
