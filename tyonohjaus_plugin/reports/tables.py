"""The reports' tables: what each section shows, exports and draws, in the reader's language.

Each builder turns one ``queries`` result into ``Table`` objects: columns with headings, rows of
plain values (numbers stay numbers for the spreadsheet; a suppressed count is the text "<5"),
and a chart drawn from the same values.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tyonohjaus_plugin.reports import queries
from tyonohjaus_plugin.reports.charts import bar_chart
from tyonohjaus_plugin.reports.stats import COMPLEMENT, MINIMUM, small

#: The sections, in the order of the tabs: URL slug and name.
SECTIONS = (
    ("demand", gettext_lazy("Demand and capacity")),
    ("timing", gettext_lazy("Time to match")),
    ("supervision", gettext_lazy("Internal and external")),
    ("outcomes", gettext_lazy("Outcomes")),
    ("load", gettext_lazy("Supervisor load")),
    ("units", gettext_lazy("Participation by unit")),
    ("feedback", gettext_lazy("Feedback")),
)

INT, DAYS, MONEY, PERCENT, DECIMAL, TEXT = "int", "days", "money", "percent", "decimal", "text"


def show(value, kind: str) -> str:
    """A cell as text in the reader's language ("—" for no figure)."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if kind == MONEY:
        return _("%(amount)s €") % {"amount": number_format(value, 2, force_grouping=True)}
    if kind == PERCENT:
        return _("%(share)s %%") % {"share": number_format(value, 0)}
    if kind in (DAYS, DECIMAL):
        return number_format(value, 0 if float(value).is_integer() else 1, force_grouping=True)
    if kind == INT:
        return number_format(value, 0, force_grouping=True)
    return str(value)


def chart_number(value) -> str:
    return number_format(value, 0 if float(value).is_integer() else 1, force_grouping=True)


@dataclass
class Column:
    key: str
    heading: str
    kind: str = INT


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict]
    description: str = ""
    chart: dict = field(default_factory=dict)
    chart_title: str = ""
    chart_description: str = ""

    @property
    def display_rows(self) -> list[list[str]]:
        return [[show(row.get(c.key), c.kind) for c in self.columns] for row in self.rows]

    def export_value(self, value, kind):
        """A spreadsheet cell: numbers as numbers (money with cents), suppressed as "<5"."""
        if isinstance(value, float):
            return round(value, 1)
        if isinstance(value, Decimal):
            return value.quantize(Decimal("0.01"))
        return value


def _series_rows(series, data):
    return [{"series": s.label, **data.get(s.key, {})} for s in series]


def _chart(table: Table, keys, title: str, description: str, categories_key="series"):
    categories = [str(row[categories_key]) for row in table.rows]
    headings = {c.key: c.heading for c in table.columns}
    series = [(str(headings[key]), [_number(row.get(key)) for row in table.rows]) for key in keys]
    table.chart = bar_chart(categories, series, formatter=chart_number)
    table.chart_title, table.chart_description = title, description


def _number(value):
    if value is None or isinstance(value, str):
        return None
    return float(value)


# -- sections ---------------------------------------------------------------------------------


def demand_tables(report: queries.Report) -> list[Table]:
    rows = _series_rows(report.series(), queries.demand(report))
    table = Table(
        "demand",
        _("Demand and capacity per round"),
        [
            Column("series", _("Round"), TEXT),
            Column("applications", _("Applications")),
            Column("persons", _("Persons")),
            Column("places", _("Places offered")),
            Column("matched", _("Got a supervisor")),
            Column("unmatched", _("Without a supervisor")),
            Column("all_full", _("All supervisors full")),
            Column("language", _("No shared language")),
            Column("format", _("Format not taken")),
            Column("conflict", _("Conflict of interest")),
            Column("withdrawn", _("Withdrawn")),
            Column("other", _("Other or not yet matched")),
        ],
        rows,
        _(
            "Places offered: the supervisors' capacity in the round (the round's own figure, "
            "else the default of each active supervisor). Without a supervisor, by the latest "
            "matching run's reason; a declared conflict of interest counts as a conflict."
        ),
    )
    _chart(
        table,
        ("applications", "places", "matched", "unmatched"),
        _("Applications, places and matches per round"),
        _(
            "Bars per round: applications, places offered, applications that got a supervisor "
            "and those left without one. The same figures are in the table below."
        ),
    )
    return [table]


def timing_tables(report: queries.Report) -> list[Table]:
    rows = _series_rows(report.series(), queries.timing(report))
    table = Table(
        "timing",
        _("Days from the application to the match and to the first meeting"),
        [
            Column("series", _("Round"), TEXT),
            Column("matched", _("Matched")),
            Column("match_q1", _("Match: first quartile"), DAYS),
            Column("match_median", _("Match: median"), DAYS),
            Column("match_q3", _("Match: third quartile"), DAYS),
            Column("met", _("Met")),
            Column("meeting_q1", _("First meeting: first quartile"), DAYS),
            Column("meeting_median", _("First meeting: median"), DAYS),
            Column("meeting_q3", _("First meeting: third quartile"), DAYS),
        ],
        rows,
        _(
            "Calendar days from sending the application to the first confirmed supervisor and "
            "to the first held meeting. A quarter of the applications waited less than the "
            "first quartile, half less than the median, three quarters less than the third."
        ),
    )
    _chart(
        table,
        ("match_median", "meeting_median"),
        _("Median days to the match and to the first meeting"),
        _("Bars per round: the median number of days to the match and to the first meeting."),
    )
    return [table]


def supervision_tables(report: queries.Report) -> list[Table]:
    by_series, by_year = queries.supervision(report)
    columns = [
        Column("internal", _("Internal engagements")),
        Column("external", _("External engagements")),
        Column("external_share", _("External share"), PERCENT),
        Column("internal_meetings", _("Meetings held, internal")),
        Column("external_meetings", _("Meetings held, external")),
        Column("estimated", _("External cost, estimated"), MONEY),
        Column("realised", _("External cost, realised"), MONEY),
    ]
    rounds = Table(
        "supervision",
        _("Internal and external supervision per round"),
        [Column("series", _("Round"), TEXT), *columns],
        _series_rows(report.series(), by_series),
        _(
            "Estimated cost: the planned meetings of the engagements that go on plus the held "
            "meetings of cancelled ones, at the external supervisor's cost per meeting. "
            "Realised: the meetings held. An engagement ended by a declared conflict of "
            "interest is not counted."
        ),
    )
    _chart(
        rounds,
        ("internal", "external"),
        _("Internal and external engagements per round"),
        _("Bars per round: engagements with an internal and with an external supervisor."),
    )
    years = Table(
        "supervision_years",
        _("Internal and external supervision per year"),
        [Column("series", _("Year"), TEXT), *columns],
        [{"series": str(year), **row} for year, row in by_year.items()],
        _(
            "Engagements by the year they were confirmed, meetings and realised cost by the "
            "year the meeting was held."
        ),
    )
    _chart(
        years,
        ("estimated", "realised"),
        _("External cost per year"),
        _("Bars per year: the estimated and the realised cost of external supervision in euros."),
    )
    return [rounds, years]


def outcome_tables(report: queries.Report) -> list[Table]:
    results, evaluations = queries.outcomes(report)
    series = report.series()
    outcomes = Table(
        "outcomes",
        _("Outcomes of the engagements per round"),
        [
            Column("series", _("Round"), TEXT),
            Column("engagements", _("Engagements")),
            Column("completed", _("Completed")),
            Column("not_a_fit", _("Ended after the first meeting")),
            Column("withdrawn", _("Withdrawn")),
            Column("cancelled", _("Cancelled otherwise")),
            Column("active", _("Still going on")),
            Column("held", _("Meetings held")),
            Column("held_per_engagement", _("Meetings held per engagement"), DECIMAL),
        ],
        _series_rows(series, results),
    )
    _chart(
        outcomes,
        ("completed", "not_a_fit", "withdrawn"),
        _("Completed, ended after the first meeting and withdrawn per round"),
        _("Bars per round: engagements completed, ended after the first meeting and withdrawn."),
    )
    scores = Table(
        "evaluations",
        _("End evaluation: how well the goals were reached (1–5)"),
        [
            Column("series", _("Round"), TEXT),
            Column("answers", _("Answers")),
            *(Column(f"score_{k}", str(k)) for k in range(1, 6)),
            Column("average", _("Average"), DECIMAL),
        ],
        _series_rows(series, evaluations),
        _("Shown for a round with at least %(count)s answers; no single answer is shown.")
        % {"count": queries.MIN_ANSWERS},
    )
    _chart(
        scores,
        [f"score_{k}" for k in range(1, 6)],
        _("End-evaluation scores per round"),
        _(
            "Bars per round: how many answered 1, 2, 3, 4 and 5 (rounds with too few answers are "
            "left out)."
        ),
    )
    return [outcomes, scores]


def load_tables(report: queries.Report) -> list[Table]:
    rows = queries.supervisor_load(report)
    table = Table(
        "load",
        _("Supervisor load per round"),
        [
            Column("series", _("Round"), TEXT),
            Column("supervisor", _("Supervisor"), TEXT),
            Column("kind", _("Kind"), TEXT),
            Column("offered", _("Places offered")),
            Column("used", _("Places used")),
            Column("use", _("Use"), PERCENT),
        ],
        rows,
        _("Over 100 % means more engagements than places; an empty place is under-use."),
    )
    latest = [s for s in report.series() if s.round is not None][-1:]
    if latest:
        shown = [row for row in rows if row["series"] == latest[0].label]
        chart = Table("", "", table.columns, shown)
        _chart(
            chart,
            ("offered", "used"),
            _("Places offered and used in %(round)s") % {"round": latest[0].label},
            _("Bars per supervisor: places offered and places used in the latest round."),
            categories_key="supervisor",
        )
        table.chart, table.chart_title = chart.chart, chart.chart_title
        table.chart_description = chart.chart_description
    return [table]


def unit_tables(report: queries.Report) -> list[Table]:
    units, series, result = queries.participation(report)
    hidden = small()
    columns = [
        Column("unit", _("Unit"), TEXT),
        *(Column(f"s{n}", s.label) for n, s in enumerate(series)),
        Column("total", _("Total")),
    ]
    rows = []
    for unit, values, total in zip(units, result.cells, result.row_totals, strict=True):
        row = {"unit": unit or _("Other units")}
        row.update({f"s{n}": v for n, v in enumerate(values)})
        row["total"] = total
        rows.append(row)
    if units:
        totals = {"unit": _("Total")}
        totals.update({f"s{n}": v for n, v in enumerate(result.column_totals)})
        totals["total"] = result.total
        rows.append(totals)
    table = Table(
        "units",
        _("Participants per unit"),
        columns,
        rows,
        _(
            "People in the applications by the applicant's unit. A count under %(count)s is "
            "shown as %(hidden)s; %(complement)s hides another figure of its row or column "
            "where the totals would give the small count away. A unit with fewer than "
            "%(count)s applications in a round is counted in “Other units”."
        )
        % {"count": MINIMUM, "hidden": hidden, "complement": COMPLEMENT},
    )
    chart_rows = rows[:-1]
    per_unit = Table("", "", [Column("unit", ""), Column("total", _("Participants"))], chart_rows)
    _chart(
        per_unit,
        ("total",),
        _("Participants per unit"),
        _("Bars per unit: participants over the period; a hidden count is not drawn."),
        categories_key="unit",
    )
    table.chart, table.chart_title = per_unit.chart, per_unit.chart_title
    table.chart_description = per_unit.chart_description
    return [table]


def feedback_tables(report: queries.Report, since: datetime.date, until: datetime.date):
    """The service page's feedback in the period: the feedback report's weekly chart and the
    totals. Returns (tables, weekly chart rows)."""
    rows = queries.feedback_rows(report, since, until)
    responses = sum(n for _day, _found, n in rows)
    yes = sum(n for _day, found, n in rows if found)
    table = Table(
        "feedback",
        _("Feedback on the service page"),
        [
            Column("since", _("From"), TEXT),
            Column("until", _("To"), TEXT),
            Column("responses", _("Responses")),
            Column("yes", _("Found the information")),
            Column("share", _("Share of yes"), PERCENT),
        ],
        [
            {
                "since": since,
                "until": until,
                "responses": responses,
                "yes": yes,
                "share": 100 * yes / responses if responses else None,
            }
        ],
    )
    return [table], rows


BUILDERS = {
    "demand": demand_tables,
    "timing": timing_tables,
    "supervision": supervision_tables,
    "outcomes": outcome_tables,
    "load": load_tables,
    "units": unit_tables,
}
