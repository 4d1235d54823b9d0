"""Bar charts of the reports, drawn by the server as SVG.

Why our own SVG rather than a chart library: the charts must work without JavaScript, load
nothing from a CDN, pass the site's strict Content-Security-Policy (no inline script or style:
every colour here is an SVG presentation attribute, the rest is in ``admin.css``), print as they
look, and read in the admin user's language. The libraries that draw in the browser (Chart.js,
Vega-Lite, ECharts) need JavaScript; pygal, which draws on the server, embeds inline scripts
and styles and links its tooltips to a CDN by default; matplotlib is a large dependency for a few
bar charts and still leaves the accessible title, description and data table to us. The
feedback report already draws its chart this way (``feedback/charts.py``); these are grouped
bars on the same principles: a title and a description the screen reader announces
(``role="img"`` with ``aria-labelledby``), the numbers as a table beside each chart, labels
formatted by the caller in the reader's language.

Pure: plain numbers in, coordinates out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 680
HEIGHT = 240
MARGIN_LEFT = 56
MARGIN_RIGHT = 12
MARGIN_TOP = 12
MARGIN_BOTTOM = 48

#: Series colours: a colour-blind-safe palette (Okabe–Ito) dark enough against white (≥ 3:1).
COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#785ef0", "#8a6d00")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str  # "series, category: value", for the bar's own <title>


def nice_top(value: float) -> float:
    """The axis top: ``value`` rounded up to 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def bar_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    formatter=str,
) -> dict:
    """Grouped bars: one group per category, one bar per series (``None``: no bar).

    ``formatter`` writes a number in the reader's language (the axis and the bars' titles).
    Returns {} when there is nothing to draw.
    """
    values = [v for _name, row in series for v in row if v is not None]
    if not categories or not values:
        return {}
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    bottom = MARGIN_TOP + plot_height
    top = nice_top(max(values))
    slot = plot_width / len(categories)
    bar_width = slot * 0.8 / max(1, len(series))
    bars = []
    for s, (name, row) in enumerate(series):
        colour = COLOURS[s % len(COLOURS)]
        for c, value in enumerate(row):
            if value is None:
                continue
            height = plot_height * max(value, 0) / top
            x = MARGIN_LEFT + c * slot + slot * 0.1 + s * bar_width
            label = f"{name}, {categories[c]}: {formatter(value)}"
            # Rounded here: the template writes them as they are (``floatformat`` would localise
            # them, "107,5", which SVG cannot read).
            bars.append(
                Bar(
                    round(x, 1),
                    round(bottom - height, 1),
                    round(bar_width, 1),
                    round(height, 1),
                    colour,
                    label,
                )
            )
    ticks = [
        (
            bottom - plot_height * k / 4,
            formatter(top * k / 4 if top >= 4 else round(top * k / 4, 2)),
        )
        for k in range(5)
    ]
    label_every = max(1, math.ceil(len(categories) / 10))
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "plot_left": MARGIN_LEFT,
        "plot_right": WIDTH - MARGIN_RIGHT,
        "plot_top": MARGIN_TOP,
        "plot_bottom": bottom,
        "label_y": bottom + 16,
        "bars": bars,
        "ticks": ticks,
        "tick_x": MARGIN_LEFT - 6,
        "x_labels": [
            (round(MARGIN_LEFT + c * slot + slot / 2, 1), name)
            for c, name in enumerate(categories)
            if c % label_every == 0
        ],
        "legend": [(name, COLOURS[s % len(COLOURS)]) for s, (name, _row) in enumerate(series)],
    }
