"""The indicator chart: SVG text built on the server (and PNG for Word)."""

import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import cairocffi
import cairosvg
import pytest
from django.utils import translation
from PIL import Image

from measures.models import IndicatorUnit, IndicatorValue
from measures.reports.charts import indicator_chart_png, indicator_chart_svg, png_bytes, svg_png
from tests.commitment_data import interventions, value

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def indicator(kst):
    indicator = interventions(kst)
    value(indicator, 2014, 500, 560)
    value(indicator, 2015, 600, 842)
    value(indicator, 2015, 300, 400, breakdown="Eenheid Oost-Nederland")
    return indicator


def points(svg, series):
    return [
        (element.get("data-period"), element.get("data-value"))
        for element in svg.iter()
        if f"point-{series}" in (element.get("class") or "")
    ]


def test_it_draws_realised_against_target_per_period(indicator):
    with translation.override("en"):
        svg = ET.fromstring(indicator_chart_svg(indicator, indicator.values.all()))
    assert points(svg, "realised") == [("2014", "560.00"), ("2015", "842.00")]
    assert points(svg, "target") == [("2014", "500.00"), ("2015", "600.00")]
    assert svg.find(f"{SVG}polyline[@class='series-realised']") is not None
    labels = [text.text for text in svg.iter(f"{SVG}text")]
    assert "842" in labels and "Target" in labels and "Realised" in labels


def test_it_is_labelled_for_assistive_technology(indicator):
    with translation.override("en"):
        svg = ET.fromstring(indicator_chart_svg(indicator, indicator.values.all()))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == f"chart-{indicator.pk}-title chart-{indicator.pk}-desc"
    assert svg.find(f"{SVG}title").text == "Interventies: realised against target"
    assert "2 periods from 2014 to 2015" in svg.find(f"{SVG}desc").text


def test_without_a_target_the_legend_and_description_name_only_the_realised_figure(kst):
    indicator = interventions(kst)
    value(indicator, 2014, None, 560)
    value(indicator, 2015, None, 842)
    with translation.override("en"):
        svg = ET.fromstring(indicator_chart_svg(indicator, indicator.values.all()))
    labels = [text.text for text in svg.iter(f"{SVG}text")]
    assert "Realised" in labels and "Target" not in labels
    assert "no target was set" in svg.find(f"{SVG}desc").text
    assert points(svg, "target") == []


def test_it_escapes_names_and_draws_an_empty_chart(kst):
    indicator = interventions(kst)
    indicator.name = "Meldingen <EOKM> & partners"
    svg = ET.fromstring(indicator_chart_svg(indicator, []))
    assert "<EOKM> & partners" in svg.find(f"{SVG}title").text
    assert points(svg, "realised") == []


def test_a_percentage_axis_runs_to_100(kst):
    indicator = interventions(kst)
    indicator.unit = IndicatorUnit.PERCENT
    figure = IndicatorValue(
        indicator=indicator, year=2015, target=Decimal(25), realised=Decimal("30.8")
    )
    svg = ET.fromstring(indicator_chart_svg(indicator, [figure]))
    labels = [text.text for text in svg.iter(f"{SVG}text")]
    assert "100,0 %" in labels and "30,8 %" in labels


def test_it_offers_the_chart_as_png(indicator):
    png = indicator_chart_png(indicator, indicator.values.all())
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(png[16:20], "big")
    assert width == 1280  # 640 wide at scale 2


def test_the_png_has_the_pixels_cairo_writes(indicator):
    svg = indicator_chart_svg(indicator, indicator.values.all())
    ours = Image.open(io.BytesIO(svg_png(svg, 2)))
    cairos = Image.open(io.BytesIO(cairosvg.svg2png(bytestring=svg.encode(), scale=2)))
    assert (ours.mode, ours.size) == (cairos.mode, cairos.size) == ("RGB", (1280, 640))
    assert ours.tobytes() == cairos.tobytes()
    assert ours.info == cairos.info  # no resolution either: Word sizes the picture alike


def test_a_png_with_transparency_is_left_to_cairo():
    surface = cairocffi.ImageSurface(cairocffi.FORMAT_ARGB32, 5, 3)
    context = cairocffi.Context(surface)
    context.set_source_rgba(0.2, 0.4, 0.6, 0.5)
    context.rectangle(0, 0, 2, 3)
    context.fill()
    written = io.BytesIO()
    surface.write_to_png(written)
    assert png_bytes(surface) == written.getvalue()
