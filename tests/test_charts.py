"""The feedback chart's data: pure functions, no database."""

import datetime

from tyonohjaus_plugin.feedback.charts import HEIGHT, WIDTH, layout, weekly

D = datetime.date


def test_weekly_groups_by_iso_week_and_fills_gaps():
    rows = [
        (D(2026, 9, 1), True, 2),  # Tuesday, week of Mon 31 Aug
        (D(2026, 9, 6), False, 1),  # Sunday, same week
        (D(2026, 9, 21), True, 1),  # two weeks later
    ]
    weeks = weekly(rows)
    assert [week.start for week in weeks] == [
        D(2026, 8, 31),
        D(2026, 9, 7),
        D(2026, 9, 14),
        D(2026, 9, 21),
    ]
    assert [(week.responses, week.yes) for week in weeks] == [(3, 2), (0, 0), (0, 0), (1, 1)]
    assert weeks[0].yes_share == 2 / 3
    assert weeks[1].yes_share is None


def test_layout_scales_bars_and_share_inside_the_plot():
    chart = layout(weekly([(D(2026, 9, 1), True, 4), (D(2026, 9, 8), False, 2)]))
    tall, short = chart["bars"]
    assert tall.height == chart["plot_bottom"] - chart["plot_top"]  # the busiest week fills it
    assert short.height == tall.height / 2
    assert all(0 <= bar.x and bar.x + bar.width <= WIDTH for bar in chart["bars"])
    # 100 % yes at the top, 0 % at the bottom.
    (x1, y1), (x2, y2) = chart["points"]
    assert y1 == chart["plot_top"] and y2 == chart["plot_bottom"]
    assert 0 < chart["plot_bottom"] < HEIGHT
    assert chart["top_count"] == 4


def test_empty_data_gives_no_chart():
    assert weekly([]) == []
    assert layout([]) == {}


def test_weeks_without_answers_leave_gaps_in_the_line():
    chart = layout(weekly([(D(2026, 9, 1), True, 1), (D(2026, 9, 15), False, 1)]))
    assert len(chart["bars"]) == 3
    assert len(chart["points"]) == 2
