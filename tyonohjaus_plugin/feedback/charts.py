"""Server-rendered SVG chart data: responses per week as bars, "yes" share as a line.

Pure functions over plain values, so the chart is testable without a browser.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 220
MARGIN_LEFT = 44
MARGIN_RIGHT = 44
MARGIN_TOP = 12
MARGIN_BOTTOM = 36


@dataclass(frozen=True)
class Week:
    start: datetime.date
    responses: int
    yes: int

    @property
    def yes_share(self) -> float | None:
        return self.yes / self.responses if self.responses else None


@dataclass(frozen=True)
class Bar:
    week: Week
    x: float
    y: float
    width: float
    height: float


def weekly(rows: Iterable[tuple[datetime.date, bool, int]]) -> list[Week]:
    """Group ``(date, found_information, count)`` rows into consecutive ISO weeks, gaps filled."""
    counts: dict[datetime.date, list[int]] = {}
    for day, found, count in rows:
        monday = day - datetime.timedelta(days=day.weekday())
        total = counts.setdefault(monday, [0, 0])
        total[0] += count
        total[1] += count if found else 0
    if not counts:
        return []
    weeks = []
    monday, last = min(counts), max(counts)
    while monday <= last:
        responses, yes = counts.get(monday, (0, 0))
        weeks.append(Week(monday, responses, yes))
        monday += datetime.timedelta(days=7)
    return weeks


def layout(weeks: list[Week]) -> dict:
    """Coordinates for the SVG template: bars, the yes-share polyline and axis labels."""
    if not weeks:
        return {}
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    bottom = MARGIN_TOP + plot_height
    top_count = max(week.responses for week in weeks) or 1
    slot = plot_width / len(weeks)
    bars, points = [], []
    for index, week in enumerate(weeks):
        height = plot_height * week.responses / top_count
        x = MARGIN_LEFT + index * slot
        bars.append(Bar(week, x + slot * 0.15, bottom - height, slot * 0.7, height))
        if week.yes_share is not None:
            points.append((x + slot / 2, bottom - plot_height * week.yes_share))
    label_every = max(1, len(weeks) // 8)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "plot_left": MARGIN_LEFT,
        "plot_right": WIDTH - MARGIN_RIGHT,
        "plot_top": MARGIN_TOP,
        "plot_bottom": bottom,
        "top_count": top_count,
        "bars": bars,
        "line": " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
        "points": points,
        "x_labels": [
            (bar.x + bar.width / 2, bar.week.start)
            for index, bar in enumerate(bars)
            if index % label_every == 0
        ],
    }
