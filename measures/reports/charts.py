"""
Charts of indicator figures, drawn on the server as SVG text (and PNG for Word).

`indicator_chart_svg(indicator, values)` returns a self-contained, accessible SVG: `role="img"`,
a `<title>` and `<desc>` named by `aria-labelledby`, the realised figure as a line with a point per
period and the target as a dashed line. The page shows the figures in a table beside it as the text
alternative. `indicator_chart_png` turns the same SVG into PNG bytes with CairoSVG.
"""

import functools
import io
import struct
import zlib
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.utils import translation
from django.utils.translation import gettext as _

from ..formatting import number_nl, percent_nl
from ..models import Indicator, IndicatorValue
from .renderers import clean

WIDTH = 640
HEIGHT = 320
MARGIN_LEFT = 64
MARGIN_RIGHT = 16
MARGIN_TOP = 40
MARGIN_BOTTOM = 48
REALISED_COLOUR = "#154273"  # The tracker's blue: 10.4:1 on white.
TARGET_COLOUR = "#6b3a00"  # Dark brown, dashed: told apart by pattern as well as colour.
GRID_COLOUR = "#d0d0d0"
TEXT_COLOUR = "#1f1f1f"


def _format(indicator, number):
    if number is None:
        return "–"
    return percent_nl(number) if indicator.is_percentage else number_nl(number)


def _nice_maximum(largest):
    """Return a round upper bound for the value axis: 1, 2, 2.5 or 5 times a power of ten."""
    if largest <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(largest))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if largest <= magnitude * step:
            return magnitude * Decimal(step)
    return magnitude * 10


def chart_values(values):
    """Return the values a chart shows: the totals (no breakdown), in period order."""
    return sorted(
        (value for value in values if not value.breakdown),
        key=lambda value: (value.year, value.quarter),
    )


def period_time(value):
    """Return where a period lies on the time axis, in years: 2014 for the year 2014, 2014.25
    for its second quarter."""
    return value.year + (value.quarter - 1) / 4 if value.quarter else value.year


def table_chart_values(table):
    """Return (indicator, values) for the chart of a letter's figure table: its yearly
    totals as unsaved objects, so the renderers draw from the builder's numbers without
    querying."""
    indicator = Indicator(pk=table.indicator_id, name=table.title, unit=table.unit)
    values = [
        IndicatorValue(
            indicator=indicator,
            year=row.year,
            quarter=row.quarter,
            breakdown="",
            target=row.target,
            realised=row.realised,
        )
        for row in table.totals
    ]
    return indicator, values


def table_chart_svg(table):
    """Return the SVG chart of a letter's figure table in Dutch (the letter is), or "" when
    the table has no yearly totals to draw."""
    if not table.totals:
        return ""
    with translation.override("nl"):
        return indicator_chart_svg(
            *table_chart_values(table), element_id=f"letter-chart-{table.number}"
        )


def text(value):
    """Return `value` as SVG text: without characters XML cannot hold (CairoSVG refuses the
    whole chart for one), and escaped. Every text of a chart goes through it."""
    return escape(clean(value))


def indicator_chart_svg(indicator, values, *, element_id=None):
    """Return an SVG chart of realised against target over time for `indicator`.

    `values` are its IndicatorValue objects (any order; broken-down values are left out).
    `element_id` prefixes the ids of the title and description, so that several charts can share
    a page; it defaults to `chart-<indicator id>`.
    """
    values = chart_values(values)
    prefix = element_id or f"chart-{indicator.pk}"
    title = _("%(name)s: realised against target") % {"name": indicator.name}
    has_target = any(value.target is not None for value in values)
    if values:
        first, last = values[0].period_label, values[-1].period_label
        if has_target:
            description = _(
                "Line chart of %(count)d periods from %(first)s to %(last)s. The solid line with "
                "dots is the realised figure, the dashed line the target. The table below gives "
                "the figures."
            )
        else:
            description = _(
                "Line chart of %(count)d periods from %(first)s to %(last)s. The solid line with "
                "dots is the realised figure; no target was set. The table below gives the figures."
            )
        description %= {"count": len(values), "first": first, "last": last}
    else:
        description = _("No figures have been recorded yet.")

    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    numbers = [
        number
        for value in values
        for number in (value.target, value.realised)
        if number is not None
    ]
    maximum = Decimal(100) if indicator.is_percentage else _nice_maximum(max(numbers, default=0))

    padding = 32  # Keeps the first and last points and their labels off the edges.
    # A true time axis: each period placed by its time, so 2011 and 2014 stand three years
    # apart and a gap in the figures shows as one.
    times = [period_time(value) for value in values]
    span = (times[-1] - times[0]) if values else 0

    def x(index):
        if not span:
            return MARGIN_LEFT + plot_width / 2
        return MARGIN_LEFT + padding + (plot_width - 2 * padding) * (times[index] - times[0]) / span

    def y(number):
        return MARGIN_TOP + plot_height * (1 - float(number / maximum))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" class="indicator-chart" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" font-family="sans-serif" '
        f'font-size="12" fill="{TEXT_COLOUR}">',
        f'<title id="{prefix}-title">{text(title)}</title>',
        f'<desc id="{prefix}-desc">{text(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    # Grid lines and value axis labels at 0, 25, 50, 75 and 100 % of the maximum.
    for step in range(5):
        number = maximum * step / 4
        level = y(number)
        parts.append(
            f'<line x1="{MARGIN_LEFT}" y1="{level:.1f}" x2="{WIDTH - MARGIN_RIGHT}" '
            f'y2="{level:.1f}" stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{MARGIN_LEFT - 8}" y="{level + 4:.1f}" text-anchor="end">'
            f"{text(_format(indicator, number))}</text>"
        )
    for index, value in enumerate(values):
        parts.append(
            f'<text x="{x(index):.1f}" y="{HEIGHT - MARGIN_BOTTOM + 20}" text-anchor="middle">'
            f"{text(value.period_label)}</text>"
        )

    def series(field, colour, dashed):
        points = [
            (x(index), y(getattr(value, field)), value)
            for index, value in enumerate(values)
            if getattr(value, field) is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _value in points)
            dash = ' stroke-dasharray="6 4"' if dashed else ""
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash} class="series-{field}"/>'
            )
        for px, py, value in points:
            number = getattr(value, field)
            shape = (
                f'<rect x="{px - 4:.1f}" y="{py - 4:.1f}" width="8" height="8" '
                f'fill="#ffffff" stroke="{colour}" stroke-width="2"'
                if dashed
                else f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4.5" fill="{colour}"'
            )
            parts.append(
                f'{shape} class="point point-{field}" '
                f"data-period={quoteattr(clean(value.period_label))} "
                f'data-value="{number}"/>'
            )
            if not dashed:
                # The label goes above the point, or below it when the target lies above.
                below = value.target is not None and number < value.target
                label_y = py + 20 if below else py - 10
                parts.append(
                    f'<text x="{px:.1f}" y="{label_y:.1f}" text-anchor="middle" '
                    f'font-weight="bold">{text(_format(indicator, number))}</text>'
                )

    series("target", TARGET_COLOUR, dashed=True)
    series("realised", REALISED_COLOUR, dashed=False)

    # Legend: a solid line with a dot for realised, a dashed line with a square for the target
    # (only when there is one).
    legend_y = 18
    parts.append(
        f'<line x1="{MARGIN_LEFT}" y1="{legend_y}" x2="{MARGIN_LEFT + 28}" y2="{legend_y}" '
        f'stroke="{REALISED_COLOUR}" stroke-width="2.5"/>'
        f'<circle cx="{MARGIN_LEFT + 14}" cy="{legend_y}" r="4.5" fill="{REALISED_COLOUR}"/>'
        f'<text x="{MARGIN_LEFT + 36}" y="{legend_y + 4}">{text(_("Realised"))}</text>'
    )
    if has_target:
        parts.append(
            f'<line x1="{MARGIN_LEFT + 150}" y1="{legend_y}" x2="{MARGIN_LEFT + 178}" '
            f'y2="{legend_y}" stroke="{TARGET_COLOUR}" stroke-width="2.5" stroke-dasharray="6 4"/>'
            f'<rect x="{MARGIN_LEFT + 160}" y="{legend_y - 4}" width="8" height="8" '
            f'fill="#ffffff" stroke="{TARGET_COLOUR}" stroke-width="2"/>'
            f'<text x="{MARGIN_LEFT + 186}" y="{legend_y + 4}">{text(_("Target"))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# Drawn charts, by their SVG text (which holds every number, label and colour drawn): a Word letter
# downloaded again, or another letter with the same figures, reuses them instead of drawing them
# again (about 30 ms each). Per process; at most this many charts (about 30 kB each) are kept.
PNG_CACHE_SIZE = 256
PNG_LEVEL = 5  # zlib: faster than cairo and smaller files (level 3: faster, bigger files)


def indicator_chart_png(indicator, values, *, scale=2):
    """Return the chart as PNG bytes (for Word documents), drawn by CairoSVG from the SVG."""
    return svg_png(indicator_chart_svg(indicator, values), scale)


@functools.lru_cache(maxsize=PNG_CACHE_SIZE)
def svg_png(svg, scale):
    """Return the SVG text `svg` drawn as PNG bytes at `scale` (remembered, see PNG_CACHE_SIZE)."""
    # Imported here: importing cairosvg loads the cairo library (about 0.7 s), and only the PNG
    # chart for Word needs it.
    from cairosvg.surface import PNGSurface

    class Surface(PNGSurface):
        def finish(self):
            self.output.write(png_bytes(self.cairo))
            return super(PNGSurface, self).finish()

    return Surface.convert(bytestring=svg.encode("utf-8"), scale=scale)


def png_bytes(surface):
    """Return a cairo ARGB32 image surface as PNG bytes with the very pixels cairo's own
    `write_to_png` writes, sooner: cairo (libpng) tries every row filter on every row, most of
    the time of a chart. A chart is mostly white: unfiltered rows compressed at PNG_LEVEL take
    about 30 % less time per chart and come out about 18 % smaller. An opaque image (every chart:
    it has a white background) is written as RGB, as cairo does; any other is left to cairo."""
    surface.flush()
    width, height, stride = surface.get_width(), surface.get_height(), surface.get_stride()
    pixels = bytes(surface.get_data())  # B, G, R, A per pixel (little-endian ARGB32)
    if stride == width * 4:
        packed = pixels
    else:
        packed = b"".join(pixels[y * stride : y * stride + width * 4] for y in range(height))
    if packed[3::4].count(255) != width * height:
        output = io.BytesIO()
        surface.write_to_png(output)
        return output.getvalue()
    rgb = bytearray(width * height * 3)
    rgb[0::3], rgb[1::3], rgb[2::3] = packed[2::4], packed[1::4], packed[0::4]
    line = width * 3
    raw = b"".join(b"\0" + rgb[y * line : (y + 1) * line] for y in range(height))  # filter 0

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, PNG_LEVEL))
        + chunk(b"IEND", b"")
    )
