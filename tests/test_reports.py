"""HR reports (issue 19): figures against a hand-computed round, suppression, the same figures
after the retention job, permissions, exports, and a constant number of queries."""

import csv
import datetime
import io
import itertools
import re
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.users.models import UserProfile

from tests.factories import (
    ApplicationFactory,
    ApplicationParticipantFactory,
    ApplicationRoundFactory,
    EmployeeProfileFactory,
    EngagementFactory,
    EngagementParticipantFactory,
    EvaluationAnswerFactory,
    MatchRunFactory,
    MatchUnmatchedFactory,
    MeetingFactory,
    SupervisorCapacityFactory,
    SupervisorFactory,
    UserFactory,
)
from tests.utils import final_status, group_for
from tyonohjaus_plugin.actions.run_retention import run_retention
from tyonohjaus_plugin.models import Application
from tyonohjaus_plugin.reports import queries
from tyonohjaus_plugin.reports import tables as report_tables
from tyonohjaus_plugin.reports.queries import Criteria, Report
from tyonohjaus_plugin.reports.stats import COMPLEMENT, quartiles, suppress

URL = "/admin/tyonohjaus/reports/"
SECTIONS = [slug for slug, _name in report_tables.SECTIONS]


def at(day: str, hour=12) -> datetime.datetime:
    """A moment of a local date ("2025-03-10")."""
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour))
    )


def person(unit=None, **fields):
    user = UserFactory(**fields)
    if unit is not None:
        EmployeeProfileFactory(user=user, unit_code=unit)
    return user


def held_meetings(engagement, days, *, planned=()):
    for number, day in enumerate(days, start=1):
        MeetingFactory(engagement=engagement, number=number, starts_at=at(day), state="held")
    for number, day in enumerate(planned, start=len(days) + 1):
        MeetingFactory(engagement=engagement, number=number, starts_at=at(day), state="planned")


@pytest.fixture
def known_round(db):
    """A small matched round whose every figure is worked out by hand in the tests below, and an
    application made between rounds. All applications were sent on 10 March 2025 at noon.

    S1: external, 100 € a meeting, default capacity 2. S2: internal, default 3, 1 in the round.
    A1 group of two (U1), completed with S1: confirmed +30 d, 4 meetings held from +40 d.
    A2 (U1) S2, ended after the first meeting (+40 d, held +50 d), back in review.
    A3 (U1) S2 declared a conflict (+22 d), then S1 (+41 d), first meeting held +61 d.
    A4 (U1) withdrawn. A5 (U1) unmatched: all full, then no shared language (latest).
    A6 (U2, a team) unmatched: no supervisor takes the format. A7 (no unit) rejected.
    A8 between rounds (U1), sent 1 June 2025, S1 confirmed +10 d, 3 meetings planned.
    """
    service = "5d7a3c34-9b53-4c5e-8a36-1c7f0f0c0a01"
    round = ApplicationRoundFactory(
        service_key=service,
        name="Kevät 2025",
        opens_at=at("2025-03-01"),
        closes_at=at("2025-03-31"),
        programme_ends_on=datetime.date(2025, 9, 30),
        state="matched",
    )
    s1 = SupervisorFactory(cost_per_meeting=Decimal("100.00"), default_capacity=2)
    s2 = SupervisorFactory(internal=True, default_capacity=3)
    SupervisorCapacityFactory(supervisor=s2, round=round, capacity=1)
    sent = at("2025-03-10")

    def application(unit, status, **fields):
        return ApplicationFactory(
            round=round,
            service_key=service,
            applicant=person(unit),
            status=status,
            submitted_at=sent,
            status_changed_at=at("2025-06-01"),
            **fields,
        )

    a1 = application("U1", "completed", format="group")
    ApplicationParticipantFactory(application=a1, user=person("U1"), status="confirmed")
    a2 = application("U1", "in_review")
    a3 = application("U1", "in_progress")
    application("U1", "withdrawn")
    a5 = application("U1", "in_review")
    a6 = application("U2", "waitlisted", format="team")
    application(None, "rejected")
    e1 = EngagementFactory(
        application=a1, supervisor=s1, confirmed_at=at("2025-04-09"), state="completed"
    )
    held_meetings(e1, ["2025-04-19", "2025-05-03", "2025-05-17", "2025-05-31"])
    for participant in (
        EngagementParticipantFactory(engagement=e1, user=a1.applicant),
        EngagementParticipantFactory(engagement=e1, user=None),
    ):
        EvaluationAnswerFactory(participant=participant, goals_reached=4 + participant.pk % 2)
    e2 = EngagementFactory(
        application=a2,
        supervisor=s2,
        confirmed_at=at("2025-04-19"),
        state="cancelled",
        end_reason="not_a_fit",
        meeting_count=3,
    )
    held_meetings(e2, ["2025-04-29"])
    MeetingFactory(engagement=e2, number=2, starts_at=at("2025-05-13"), state="cancelled")
    EngagementFactory(
        application=a3,
        supervisor=s2,
        confirmed_at=at("2025-04-01"),
        state="cancelled",
        end_reason="conflict",
    )
    e3 = EngagementFactory(
        application=a3, supervisor=s1, confirmed_at=at("2025-04-20"), state="in_progress"
    )
    held_meetings(e3, ["2025-05-10"], planned=["2025-05-24"])
    first, latest = MatchRunFactory(round=round), MatchRunFactory(round=round)
    MatchUnmatchedFactory(run=first, application=a5, reason=["all_full", {}])
    MatchUnmatchedFactory(run=latest, application=a5, reason=["no_shared_language", {}])
    MatchUnmatchedFactory(run=latest, application=a6, reason=["no_format", {"kind": "team"}])
    off = ApplicationFactory(
        round=None,
        service_key=service,
        applicant=person("U1"),
        status="matched",
        submitted_at=at("2025-06-01"),
    )
    EngagementFactory(
        application=off, supervisor=s1, confirmed_at=at("2025-06-11"), state="planned",
        meeting_count=3,
    )  # fmt: skip
    return {"round": round, "s1": s1, "s2": s2}


def report(**criteria):
    return Report(Criteria(**criteria))


# -- the hand-computed figures ----------------------------------------------------------------


def test_demand_per_round_with_places_matches_and_reasons(known_round):
    key = str(known_round["round"].pk)
    rows = queries.demand(report())
    assert {k: rows[key][k] for k in ("applications", "persons", "places", "matched")} == {
        "applications": 7,
        "persons": 8,  # A1 is a group of two
        "places": 3,  # S1's default 2 + S2's 1 in the round
        "matched": 3,  # A1, A2, A3 (A3's conflict is not its match)
    }
    assert {k: rows[key][k] for k in queries.UNMATCHED_REASONS} == {
        "all_full": 0,
        "language": 1,  # the latest run's reason counts
        "format": 1,
        "conflict": 0,
        "withdrawn": 1,
        "other": 1,
    }
    assert rows[key]["unmatched"] == 4
    assert rows["off"] == {
        **rows["off"],
        "applications": 1,
        "persons": 1,
        "places": None,
        "matched": 1,
        "unmatched": 0,
    }


def test_time_to_match_and_first_meeting_quartiles(known_round):
    rows = queries.timing(report())
    key = str(known_round["round"].pk)
    # Match: 30, 40, 41 days; first meeting: 40, 50, 61 days (percentile_cont).
    assert rows[key] == {
        "matched": 3,
        "match_q1": 35.0,
        "match_median": 40,
        "match_q3": 40.5,
        "met": 3,
        "meeting_q1": 45.0,
        "meeting_median": 50,
        "meeting_q3": 55.5,
    }
    assert rows["off"]["match_median"] == 10
    assert rows["off"]["meeting_median"] is None


def test_internal_and_external_with_estimated_and_realised_cost(known_round):
    by_round, by_year = queries.supervision(report())
    key = str(known_round["round"].pk)
    row = by_round[key]
    assert (row["internal"], row["external"]) == (1, 2)
    assert round(row["external_share"], 1) == 66.7
    assert (row["internal_meetings"], row["external_meetings"]) == (1, 5)
    assert row["estimated"] == Decimal("800")  # A1 4 + A3 4 planned meetings × 100 €
    assert row["realised"] == Decimal("500")  # 5 held external meetings × 100 €
    assert by_round["off"]["estimated"] == Decimal("300")
    assert by_round["off"]["realised"] == 0
    assert list(by_year) == [2025]
    assert by_year[2025]["estimated"] == Decimal("1100")
    assert by_year[2025]["realised"] == Decimal("500")
    assert (by_year[2025]["internal"], by_year[2025]["external"]) == (1, 3)


def test_outcomes_and_evaluations_shown_from_five_answers(known_round):
    results, evaluations = queries.outcomes(report())
    key = str(known_round["round"].pk)
    assert results[key] == {
        "engagements": 3,
        "completed": 1,
        "not_a_fit": 1,
        "withdrawn": 0,
        "cancelled": 0,
        "active": 1,
        "held": 6,
        "held_per_engagement": 2.0,
    }
    assert evaluations[key]["answers"] == 2
    assert evaluations[key]["shown"] is False
    assert evaluations[key]["score_4"] is None and evaluations[key]["average"] is None


def test_evaluation_distribution_over_five_answers(known_round):
    engagement = EngagementFactory(
        application=ApplicationFactory(round=known_round["round"], status="completed"),
        supervisor=known_round["s1"],
        state="completed",
    )
    for score in (1, 3, 3):
        EvaluationAnswerFactory(
            participant=EngagementParticipantFactory(engagement=engagement, user=None),
            goals_reached=score,
        )
    _results, evaluations = queries.outcomes(report())
    row = evaluations[str(known_round["round"].pk)]
    assert row["shown"] is True
    assert [row[f"score_{k}"] for k in range(1, 6)] == [1, 0, 2, 1, 1]
    assert row["average"] == pytest.approx(16 / 5)


def test_supervisor_load_per_round(known_round):
    rows = queries.supervisor_load(report())
    name = known_round["round"].localized_name
    found = {(r["series"], r["supervisor"]): (r["offered"], r["used"]) for r in rows}
    assert found[name, known_round["s1"].display_name] == (2, 2)
    assert found[name, known_round["s2"].display_name] == (1, 1)  # the conflict is not a place
    off = queries.Series("off", None).label
    assert found[off, known_round["s1"].display_name] == (None, 1)


def test_participation_by_unit_folds_small_units_and_suppresses(known_round):
    units, series, result = queries.participation(report())
    assert units == ["U1", ""]  # U2 had one application in the round: "other units"
    assert [s.key for s in series] == [str(known_round["round"].pk), "off"]
    # Counts: U1 [6, 0], other [2, 1] (A8's unit is not kept between rounds).
    assert result.cells == [[COMPLEMENT, 0], ["<5", "<5"]]
    assert result.row_totals == [COMPLEMENT, "<5"]
    assert result.column_totals == [COMPLEMENT, "<5"]
    assert result.total == 9


def test_filters_by_format_language_unit_and_dates(known_round):
    key = str(known_round["round"].pk)
    assert queries.demand(report(format="team"))[key]["applications"] == 1
    assert queries.demand(report(language="sv"))[key]["applications"] == 0
    assert queries.demand(report(unit="U1"))[key]["applications"] == 5
    assert queries.demand(report(unit="U2"))[key]["applications"] == 0  # not a named unit
    only_off = queries.demand(report(rounds=("off",)))
    assert list(only_off) == ["off"]
    dated = report(date_from=datetime.date(2025, 5, 1), date_to=datetime.date(2025, 12, 31))
    assert queries.demand(dated)["off"]["applications"] == 1
    assert queries.demand(dated).get(key, {}).get("applications", 0) == 0


# -- the same figures after the retention job -------------------------------------------------


def all_figures():
    r = report()
    return {
        "demand": queries.demand(r),
        "timing": queries.timing(r),
        "supervision": queries.supervision(r),
        "outcomes": queries.outcomes(r),
        "load": queries.supervisor_load(r),
        "units": queries.participation(Report(Criteria()))[::2],
        "unit_filter": queries.demand(report(unit="U1")),
    }


def test_the_report_reads_the_same_after_the_retention_job(known_round):
    before = all_figures()
    counts = run_retention()
    assert counts["identities"] >= 5  # the ended applications of the round lost their people
    assert Application.objects.filter(anonymised_at__isnull=False, applicant=None).count() >= 5
    assert Application.objects.filter(unit_code="U1").exists()
    assert all_figures() == before


# -- suppression, quartiles -------------------------------------------------------------------


def derivable_lines(result, rows, columns):
    """Lines (a row or a column with its total) hiding exactly one figure: it is derivable."""
    grid = [[*cells, total] for cells, total in zip(result.cells, result.row_totals, strict=True)]
    grid.append([*result.column_totals, result.total])
    lines = [grid[i] for i in range(rows + 1)] + [
        [grid[i][j] for i in range(rows + 1)] for j in range(columns + 1)
    ]
    return [line for line in lines if sum(isinstance(v, str) for v in line) == 1]


@pytest.mark.parametrize(
    "cells",
    [
        [[3, 10], [7, 8]],
        [[1, 0, 0], [0, 0, 0]],
        [[12, 4, 9], [6, 15, 20], [2, 30, 5]],
        [[5, 5], [5, 4]],
        [[0, 0], [0, 0]],
        [[100]],
        [[4]],
    ],
)
def test_suppression_shows_no_small_count_and_no_derivable_one(cells):
    result = suppress(cells)
    shown = [
        *itertools.chain.from_iterable(result.cells),
        *result.row_totals,
        *result.column_totals,
        result.total,
    ]
    assert all(isinstance(v, str) or v == 0 or v >= 5 for v in shown)
    assert not derivable_lines(result, len(cells), len(cells[0]))
    # Every small count is hidden, every shown one is the true figure.
    for row, found in zip(cells, result.cells, strict=True):
        for value, cell in zip(row, found, strict=True):
            assert cell == "<5" if 0 < value < 5 else cell in (value, COMPLEMENT)


def test_suppression_keeps_a_table_without_small_counts():
    result = suppress([[5, 6], [7, 8]])
    assert result.cells == [[5, 6], [7, 8]]
    assert (result.row_totals, result.column_totals, result.total) == ([11, 15], [12, 14], 26)


def test_quartiles_are_percentile_cont():
    assert quartiles({1: 1, 2: 1, 3: 1, 4: 1}) == (1.75, 2.5, 3.25)
    assert quartiles({5: 3, 10: 1}) == (5, 5, 6.25)
    assert quartiles({}) == (None, None, None)


# -- screens: permissions, exports, queries ---------------------------------------------------


def hr_user(*, reports=True):
    user = UserFactory()
    group = group_for("hr", name=f"HR {user.pk}")
    if not reports:
        group.permissions.remove(Permission.objects.get(codename="view_reports"))
    user.groups.add(group)
    return user


@pytest.mark.parametrize("path", ["", "timing/", "units/", "feedback/", "print/"])
@pytest.mark.parametrize(
    "who, expected",
    [("hr", 200), ("hr_without", 403), ("supervisor", 403), ("employee", 302), ("nobody", 302)],
)
def test_permission_matrix(client, known_round, who, expected, path):
    if who == "hr":
        client.force_login(hr_user())
    elif who == "hr_without":
        client.force_login(hr_user(reports=False))
    elif who == "supervisor":
        user = UserFactory()
        user.groups.add(group_for("supervisor"))
        client.force_login(user)
    elif who == "employee":
        client.force_login(UserFactory())
    response = client.get(URL + path)
    assert response.status_code == expected
    if expected == 200:
        assert b"<svg" in response.content or path == "feedback/"


def test_reports_menu_item_only_with_the_permission(client, db):
    client.force_login(hr_user())
    assert URL.encode() in client.get("/admin/").content
    client.force_login(hr_user(reports=False))
    assert URL.encode() not in client.get("/admin/").content


@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_renders_with_charts_and_tables(client, known_round, section):
    client.force_login(hr_user())
    response = client.get(URL + f"{section}/", HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 200
    assert b"<table" in response.content
    # The fixture's unit totals are all hidden and it has no feedback: nothing to draw.
    assert (b'role="img"' in response.content) == (section not in ("units", "feedback"))


def test_chart_coordinates_are_not_localised(client, known_round):
    """In Finnish a decimal comma ("107,5") would make every bar's x invalid SVG: all at 0."""
    user = hr_user()
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fi"
    profile.save()
    client.force_login(user)
    content = client.get(URL + "timing/").content.decode()
    numbers = re.findall(r'<rect x="([^"]*)" y="([^"]*)" width="([^"]*)" height="([^"]*)"', content)
    assert numbers
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", n) for bar in numbers for n in bar)


def test_bad_filters_are_errors_at_the_field(client, known_round):
    client.force_login(hr_user())
    response = client.get(
        URL, {"rounds": ["999999"], "date_from": "2025-02-01", "date_to": "2025-01-01"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "rounds" in form.errors and "date_to" in form.errors
    assert response.context["tables"] == []
    response = client.get(URL, {"unit": "NOPE"})
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    assert final_status(client, client.get(URL + "nonsense/")) == 404
    assert client.get(URL + "print/", {"year": "x"}).status_code == 400


def test_units_export_keeps_the_suppression(client, known_round):
    client.force_login(hr_user())
    response = client.get(URL + "units/", {"export": "csv", "table": "units"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:3] == ["U1", COMPLEMENT, "0"]
    assert rows[2][1:3] == ["<5", "<5"]
    assert rows[-1][-1] == "9"
    response = client.get(URL + "units/", {"export": "xlsx", "table": "units"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[1][:3] == ("U1", COMPLEMENT, 0)
    assert values[2][1:3] == ("<5", "<5")


@pytest.mark.parametrize(
    "section, table", [("demand", "demand"), ("supervision", "supervision_years")]
)
def test_exports_of_report_tables(client, known_round, section, table):
    client.force_login(hr_user())
    response = client.get(URL + f"{section}/", {"export": "xlsx", "table": table})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'report-{table.replace("_", "-")}.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    if table == "demand":
        assert values[1][1:6] == (7, 8, 3, 3, 4)
    else:
        assert values[1][0] == "2025" and float(values[1][-1]) == 500
    missing = client.get(URL + f"{section}/", {"export": "csv", "table": "x"})
    assert final_status(client, missing) == 404


def grow(known_round, extra):
    """``extra`` more applications in the round, each with an engagement, meetings and an
    evaluation, and as many between rounds."""
    for n in range(extra):
        for round in (known_round["round"], None):
            application = ApplicationFactory(
                round=round,
                applicant=person(f"U{n % 3}"),
                status="completed",
                submitted_at=at("2025-03-10"),
            )
            engagement = EngagementFactory(
                application=application,
                supervisor=known_round["s1" if n % 2 else "s2"],
                confirmed_at=at("2025-04-10"),
                state="completed",
            )
            held_meetings(engagement, ["2025-04-20", "2025-05-04"])
            EvaluationAnswerFactory(
                participant=EngagementParticipantFactory(engagement=engagement), goals_reached=3
            )


@pytest.mark.parametrize("section", [*SECTIONS, "print"])
def test_queries_do_not_grow_with_the_rows(client, known_round, section):
    client.force_login(hr_user())
    path = URL + f"{section}/"
    client.get(path)  # warm the caches (site, locales, permissions)

    def count():
        with CaptureQueriesContext(connection) as queries_run:
            assert client.get(path).status_code == 200
        return len(queries_run)

    small = count()
    grow(known_round, 12)
    assert count() == small
    assert small <= 30  # the session, the user, the menu and a handful of aggregates


def test_reports_group_permission_is_offered(db):
    from tyonohjaus_plugin.permissions import REGISTERED_CODENAMES, ROLES

    assert "view_reports" in REGISTERED_CODENAMES
    assert "tyonohjaus_plugin.view_reports" in ROLES["hr"]
    assert Permission.objects.filter(codename="view_reports").exists()
    assert not Group.objects.filter(permissions__codename="view_reports").exists()


def test_feedback_chart_coordinates_are_not_localised():
    """The feedback trend shown beside the reports: ``floatformat`` localises even inside
    ``{% localize off %}``, so in Finnish the bars' coordinates read "107,5" (invalid SVG)."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from tyonohjaus_plugin.feedback.charts import layout, weekly

    day = datetime.date(2026, 3, 2)
    rows = [(day + datetime.timedelta(days=7 * k), k % 2 == 0, 3 + k) for k in range(7)]
    with translation.override("fi"):
        svg = render_to_string(
            "tyonohjaus_plugin/admin/feedback_chart.html", {"chart": layout(weekly(rows))}
        )
    numbers = re.findall(r'<(?:rect|circle) (?:x|cx)="([^"]*)" (?:y|cy)="([^"]*)"', svg)
    assert len(numbers) == 14
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", n) for pair in numbers for n in pair)
