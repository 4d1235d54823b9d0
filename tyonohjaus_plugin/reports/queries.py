"""The reports' figures: a few aggregate queries each, whatever the number of applications.

Every query groups in the database and returns at most one row per round (or per round and a
small code: a status, a score, a number of days, a unit, a supervisor), so a report costs the same
handful of queries for ten applications or ten years of them; medians and quartiles are computed
from per-round histograms of days (``stats.quantile``), which SQLite and PostgreSQL both group.

Only what the retention job keeps is read (``privacy.anonymise``): round, format, languages,
status and its dates, the places (participant rows without people), engagements, held meetings,
evaluation scores and the unit. The unit is the applicant's current one for a live application
and the kept ``unit_code`` for an anonymised one; since anonymisation keeps a unit only where at
least ``UNIT_MIN_APPLICANTS`` applications of the round had it, the reports fold every smaller
unit of a round into "other units" before and after alike, so the figures do not change when the
job runs.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from tyonohjaus_plugin.models import (
    Application,
    ApplicationParticipant,
    ApplicationRound,
    ApplicationStatus,
    EndReason,
    Engagement,
    EngagementState,
    EvaluationAnswer,
    FeedbackResponse,
    MatchUnmatched,
    Meeting,
    MeetingState,
    ParticipantStatus,
    Supervisor,
    SupervisorCapacity,
    SupervisorKind,
)
from tyonohjaus_plugin.reports.stats import MINIMUM, quartiles, suppress

#: The pseudo-round of applications made between rounds (a series of its own).
OFF_ROUND = "off"
#: The unit of applications whose unit is unknown or had fewer than the minimum in the round.
OTHER_UNITS = ""
#: Evaluation figures are shown over at least this many answers (``engagements.views``'s rule).
MIN_ANSWERS = 5
#: A unit is named for a round only where at least this many applied in it: the retention job's
#: rule (``privacy.policy.UNIT_MIN_APPLICANTS``), so the report reads the same after the job.
UNIT_MIN_APPLICANTS = 5

#: The engine's reasons for leaving an application unmatched, in the report's four groups.
UNMATCHED_GROUPS = {
    "all_full": "all_full",
    "no_supervisors": "all_full",
    "no_shared_language": "language",
    "no_format": "format",
    "own_unit_only": "conflict",
    "conflict_of_interest": "conflict",
    "excluded": "conflict",
    "forbidden_by_hr": "conflict",
}
UNMATCHED_REASONS = ("all_full", "language", "format", "conflict", "withdrawn", "other")


@dataclass(frozen=True)
class Criteria:
    """The filters: a period (rounds, with ``OFF_ROUND`` for between rounds, or submission
    dates), a service, a format, a language and a unit. Empty means all."""

    rounds: tuple[str, ...] = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    service: str = ""
    format: str = ""
    language: str = ""
    unit: str = ""

    def round_ids(self) -> list[int]:
        return [int(r) for r in self.rounds if r != OFF_ROUND]

    @property
    def all_rounds(self) -> bool:
        return not self.rounds


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def unit_expression(prefix: str = ""):
    """The applicant's unit now, or the unit kept at anonymisation (the job's own expression)."""
    return Coalesce(
        F(f"{prefix}applicant__tyonohjaus_profile__unit_code"),
        F(f"{prefix}unit_code"),
        Value(""),
    )


@dataclass
class Series:
    """A column of the per-round reports: a round, or the applications between rounds."""

    key: str
    round: ApplicationRound | None

    @property
    def label(self) -> str:
        if self.round is None:
            return gettext("Between rounds")
        return self.round.localized_name

    @property
    def year(self) -> int | None:
        return timezone.localtime(self.round.opens_at).year if self.round else None


def series_key(round_id) -> str:
    return OFF_ROUND if round_id is None else str(round_id)


@dataclass
class Report:
    """The criteria with what every section needs once: the rounds and the named units."""

    criteria: Criteria
    _cache: dict = field(default_factory=dict)

    # -- the period -------------------------------------------------------------------------

    def rounds(self) -> list[ApplicationRound]:
        if "rounds" not in self._cache:
            rounds = ApplicationRound.objects.order_by("opens_at", "pk")
            c = self.criteria
            if c.service:
                rounds = rounds.filter(service_key=c.service)
            if not c.all_rounds:
                rounds = rounds.filter(pk__in=c.round_ids())
            if c.date_from:
                rounds = rounds.filter(closes_at__gte=_aware(c.date_from))
            if c.date_to:
                rounds = rounds.filter(opens_at__lt=_aware(c.date_to + datetime.timedelta(days=1)))
            self._cache["rounds"] = list(rounds)
        return self._cache["rounds"]

    @property
    def everything(self) -> bool:
        """Every round and the applications between rounds, whenever they were sent."""
        c = self.criteria
        return c.all_rounds and not c.date_from and not c.date_to

    @property
    def includes_off_round(self) -> bool:
        return self.criteria.all_rounds or OFF_ROUND in self.criteria.rounds

    def series(self) -> list[Series]:
        found = [Series(str(r.pk), r) for r in self.rounds()]
        if self.includes_off_round:
            found.append(Series(OFF_ROUND, None))
        return found

    # -- units ------------------------------------------------------------------------------

    def named_units(self) -> set[tuple[int, str]]:
        """(round id, unit) pairs with at least ``UNIT_MIN_APPLICANTS`` applications in the
        whole round (whatever the other filters): the units the retention job keeps."""
        if "units" not in self._cache:
            rows = (
                Application.objects.filter(round__in=[r.pk for r in self.rounds()])
                .annotate(unit=unit_expression())
                .exclude(unit="")
                .values("round_id", "unit")
                .annotate(n=Count("pk"))
                .filter(n__gte=UNIT_MIN_APPLICANTS)
                .values_list("round_id", "unit")
            )
            self._cache["units"] = set(rows)
        return self._cache["units"]

    def unit_choices(self) -> list[str]:
        return sorted({unit for _round, unit in self.named_units()})

    # -- the filter of applications -----------------------------------------------------------

    def applications_q(self, prefix: str = "") -> Q:
        """The applications the criteria select, from a model reached through ``prefix``."""
        c, p = self.criteria, prefix
        if self.everything:
            # Every round and between rounds: no list of rounds to look up row by row (an
            # index lookup per row is slower than reading the table).
            q = Q(**{f"{p}service_key": c.service}) if c.service else Q()
        else:
            q = Q(**{f"{p}round__in": [r.pk for r in self.rounds()]})
            if self.includes_off_round:
                off = Q(**{f"{p}round__isnull": True})
                if c.service:
                    off &= Q(**{f"{p}service_key": c.service})
                q |= off
        if c.date_from:
            q &= Q(**{f"{p}submitted_at__gte": _aware(c.date_from)})
        if c.date_to:
            q &= Q(**{f"{p}submitted_at__lt": _aware(c.date_to + datetime.timedelta(days=1))})
        if c.format:
            q &= Q(**{f"{p}format": c.format})
        if c.language:
            # JSON lists are matched as text so that SQLite and PostgreSQL behave alike.
            q &= Q(**{f"{p}languages__icontains": f'"{c.language}"'})
        if c.unit:
            rounds = [r for r, unit in self.named_units() if unit == c.unit]
            live = Q(**{f"{p}applicant__tyonohjaus_profile__unit_code": c.unit})
            kept = Q(**{f"{p}applicant__tyonohjaus_profile__isnull": True, f"{p}unit_code": c.unit})
            q &= Q(**{f"{p}round__in": rounds}) & (live | kept)
        return q

    def scope(self, prefix: str, round_field: str) -> Q:
        """The criteria from a model reached through ``prefix`` to its application, by the
        model's own copy of the round (``round_field``) when the criteria need nothing else of
        the application: the common case reads one table instead of joining two."""
        c = self.criteria
        if c.date_from or c.date_to or c.format or c.language or c.unit or c.service:
            return self.applications_q(prefix)
        if self.everything:
            return Q()
        q = Q(**{f"{round_field}__in": [r.pk for r in self.rounds()]})
        if self.includes_off_round:
            off = Q(**{f"{round_field}__isnull": True})
            if c.service:
                off &= Q(**{f"{prefix}service_key": c.service})
            q |= off
        return q

    def applications(self):
        return Application.objects.filter(self.applications_q())

    def engagements(self):
        return Engagement.objects.filter(self.scope("application__", "round"))

    def held_meetings(self):
        return Meeting.objects.filter(
            self.scope("engagement__application__", "engagement__round"), state=MeetingState.HELD
        )


def _got_supervision(prefix: str = "") -> Exists:
    """An engagement that was not ended by a declared conflict: the application got supervision."""
    return Exists(
        Engagement.objects.filter(application=OuterRef(f"{prefix}pk")).exclude(
            end_reason=EndReason.CONFLICT
        )
    )


# -- demand and capacity ----------------------------------------------------------------------


def places_offered(report: Report) -> dict[str, int]:
    """Round key -> the supervisors' places: the round's own capacity where HR set one, else
    the default capacity of each active supervisor. Two queries."""
    rounds = [r.pk for r in report.rounds()]
    defaults = Supervisor.objects.filter(active=True).aggregate(
        n=Coalesce(Sum("default_capacity"), 0)
    )["n"]
    per_round = {
        row["round_id"]: row
        for row in SupervisorCapacity.objects.filter(round__in=rounds)
        .values("round_id")
        .annotate(
            places=Sum("capacity"),
            replaced=Coalesce(
                Sum("supervisor__default_capacity", filter=Q(supervisor__active=True)), 0
            ),
        )
    }
    found = {}
    for pk in rounds:
        row = per_round.get(pk)
        found[str(pk)] = defaults + (row["places"] - row["replaced"] if row else 0)
    return found


def demand(report: Report) -> dict:
    """Per series: applications, persons, places, matched, and the unmatched by reason."""
    applications = (
        report.applications()
        .values("round_id")
        .annotate(
            applications=Count("pk"),
            matched=Count("pk", filter=Q(_got_supervision())),
        )
    )
    persons = (
        ApplicationParticipant.objects.filter(
            report.scope("application__", "round"), status=ParticipantStatus.CONFIRMED
        )
        .values("round_id")
        .annotate(n=Count("pk"))
    )
    latest_reason = (
        MatchUnmatched.objects.filter(application=OuterRef("pk"))
        .order_by("-run_id")
        .annotate(code=KeyTextTransform("0", "reason"))
        .values("code")[:1]
    )
    conflict = Exists(
        Engagement.objects.filter(application=OuterRef("pk"), end_reason=EndReason.CONFLICT)
    )
    unmatched = (
        report.applications()
        .exclude(_got_supervision())
        .annotate(conflict=conflict, code=Subquery(latest_reason))
        .values("round_id", "status", "conflict", "code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = {s.key: {"applications": 0, "persons": 0, "matched": 0} for s in report.series()}
    for row in applications:
        rows.setdefault(series_key(row["round_id"]), {}).update(
            applications=row["applications"], matched=row["matched"]
        )
    for row in persons:
        rows.setdefault(series_key(row["round_id"]), {})["persons"] = row["n"]
    for row in rows.values():
        row.update(dict.fromkeys(UNMATCHED_REASONS, 0))
    for row in unmatched:
        if row["conflict"]:
            reason = "conflict"
        elif row["code"] in UNMATCHED_GROUPS:
            reason = UNMATCHED_GROUPS[row["code"]]
        elif row["status"] == ApplicationStatus.WITHDRAWN:
            reason = "withdrawn"
        else:
            reason = "other"
        target = rows.setdefault(series_key(row["round_id"]), dict.fromkeys(UNMATCHED_REASONS, 0))
        target[reason] = target.get(reason, 0) + row["n"]
    places = places_offered(report)
    for key, row in rows.items():
        row["places"] = places.get(key)
        row["unmatched"] = sum(row.get(reason, 0) for reason in UNMATCHED_REASONS)
    return rows


# -- time to match and to the first meeting ---------------------------------------------------


class WholeDays(Func):
    """Days from the second moment to the first, rounded to the nearest whole day (so a change
    to or from summer time does not lose one), computed by the database itself: Django's SQLite
    date functions are Python callbacks, one call a row."""

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        later, earlier = (compiler.compile(e) for e in self.source_expressions)
        sql = f"CAST(ROUND(EXTRACT(EPOCH FROM ({later[0]} - {earlier[0]})) / 86400) AS integer)"
        return sql, (*later[1], *earlier[1])

    def as_sqlite(self, compiler, connection, **extra_context):
        later, earlier = (compiler.compile(e) for e in self.source_expressions)
        sql = f"CAST(ROUND(julianday({later[0]}) - julianday({earlier[0]})) AS INTEGER)"
        return sql, (*later[1], *earlier[1])


def _days(later, earlier):
    return WholeDays(F(later), F(earlier))


def year_of(field: str, years: range):
    """The calendar year (local time) of ``field`` by comparisons with the years' first
    moments: no per-row date function. ``years`` must cover the values."""
    starts = {year: _aware(datetime.date(year, 1, 1)) for year in years}
    return Case(
        *(
            When(**{f"{field}__lt": starts[year + 1]}, then=Value(year))
            for year in years
            if year + 1 in starts
        ),
        default=Value(years[-1]),
        output_field=IntegerField(),
    )


def _years(first: datetime.datetime | None, last: datetime.datetime | None) -> range:
    today = timezone.localdate().year
    low = timezone.localtime(first).year if first else today
    high = max(timezone.localtime(last).year if last else today, low)
    return range(low, high + 1)


def timing(report: Report) -> dict:
    """Per series: quartiles of the days from submission to the first confirmed engagement and
    to the first held meeting. Two queries, each one row per series and number of days."""
    # The first engagement that was not ended by a declared conflict (a conflict is no match).
    matches = Engagement.objects.exclude(end_reason=EndReason.CONFLICT)
    first_engagement = (
        report.engagements()
        .exclude(end_reason=EndReason.CONFLICT)
        .exclude(
            Exists(
                matches.filter(
                    application=OuterRef("application"), confirmed_at__lt=OuterRef("confirmed_at")
                )
            )
        )
    )
    to_match = (
        first_engagement.annotate(days=_days("confirmed_at", "application__submitted_at"))
        .values("round_id", "days")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # The first meeting of that engagement (an application's first one that was not a conflict):
    # a meeting number 1 and an engagement per application, both found through their indexes.
    first_meeting = (
        report.held_meetings()
        .filter(number=1)
        .exclude(engagement__end_reason=EndReason.CONFLICT)
        .exclude(
            Exists(
                matches.filter(
                    application=OuterRef("engagement__application"),
                    confirmed_at__lt=OuterRef("engagement__confirmed_at"),
                )
            )
        )
    )
    to_meeting = (
        first_meeting.annotate(days=_days("starts_at", "engagement__application__submitted_at"))
        .values("engagement__round_id", "days")
        .annotate(n=Count("pk"))
        .order_by()
    )
    histograms = defaultdict(lambda: {"match": defaultdict(int), "meeting": defaultdict(int)})
    for row in to_match:
        key = series_key(row["round_id"])
        histograms[key]["match"][_as_days(row["days"])] += row["n"]
    for row in to_meeting:
        key = series_key(row["engagement__round_id"])
        histograms[key]["meeting"][_as_days(row["days"])] += row["n"]
    rows = {}
    for s in report.series():
        found = histograms.get(s.key, {"match": {}, "meeting": {}})
        q1, median, q3 = quartiles(found["match"])
        mq1, mmedian, mq3 = quartiles(found["meeting"])
        rows[s.key] = {
            "matched": sum(found["match"].values()),
            "match_q1": q1,
            "match_median": median,
            "match_q3": q3,
            "met": sum(found["meeting"].values()),
            "meeting_q1": mq1,
            "meeting_median": mmedian,
            "meeting_q3": mq3,
        }
    return rows


def _as_days(value) -> int:
    if isinstance(value, datetime.timedelta):
        return value.days
    return int(value or 0)


# -- internal and external supervision --------------------------------------------------------


def supervision(report: Report) -> tuple[dict, dict]:
    """Per series and per year: engagements, meetings held and external cost by the
    supervisor's kind. Estimated cost: the planned meetings of engagements not cancelled plus
    the held meetings of cancelled ones, at the supervisor's cost per meeting; realised: the
    held meetings. Four queries: the engagements and the held meetings are counted per
    supervisor (a bounded number of rows), and each supervisor's kind and cost applied here
    rather than joined to every meeting."""
    not_cancelled = ~Q(state=EngagementState.CANCELLED)
    engaged = report.engagements().exclude(end_reason=EndReason.CONFLICT)
    span = engaged.aggregate(first=Min("confirmed_at"), last=Max("confirmed_at"))
    years = _years(span["first"], span["last"] and span["last"] + datetime.timedelta(days=366))
    engagements = (
        engaged.values("round_id", "supervisor_id", year=year_of("confirmed_at", years))
        .annotate(
            engagements=Count("pk"),
            planned=Coalesce(Sum("meeting_count", filter=not_cancelled), 0),
        )
        .order_by()
    )
    meetings = (
        report.held_meetings()
        .exclude(engagement__end_reason=EndReason.CONFLICT)
        .values(
            "engagement__round_id",
            "engagement__supervisor_id",
            "engagement__state",
            year=year_of("starts_at", years),
        )
        .annotate(held=Count("pk"))
        .order_by()
    )
    engagements, meetings = list(engagements), list(meetings)
    involved = {row["supervisor_id"] for row in engagements}
    involved |= {row["engagement__supervisor_id"] for row in meetings}
    supervisors = {
        pk: (kind, cost or Decimal(0))
        for pk, kind, cost in Supervisor.objects.filter(pk__in=involved).values_list(
            "pk", "kind", "cost_per_meeting"
        )
    }

    def blank():
        return {
            "internal": 0,
            "external": 0,
            "internal_meetings": 0,
            "external_meetings": 0,
            "planned": 0,
            "estimated": Decimal(0),
            "realised": Decimal(0),
        }

    by_series = {s.key: blank() for s in report.series()}
    by_year: dict[int, dict] = defaultdict(blank)
    for row in engagements:
        kind, cost = supervisors[row["supervisor_id"]]
        for target in (
            by_series.setdefault(series_key(row["round_id"]), blank()),
            by_year[row["year"]],
        ):
            target[kind] += row["engagements"]
            target["planned"] += row["planned"]
            if kind == SupervisorKind.EXTERNAL:
                target["estimated"] += row["planned"] * cost
    for row in meetings:
        kind, cost = supervisors[row["engagement__supervisor_id"]]
        key = series_key(row["engagement__round_id"])
        for target in (by_series.setdefault(key, blank()), by_year[row["year"]]):
            target[f"{kind}_meetings"] += row["held"]
            if kind == SupervisorKind.EXTERNAL:
                target["realised"] += row["held"] * cost
                if row["engagement__state"] == EngagementState.CANCELLED:
                    target["estimated"] += row["held"] * cost
    for row in [*by_series.values(), *by_year.values()]:
        total = row["internal"] + row["external"]
        row["external_share"] = 100 * row["external"] / total if total else None
    return by_series, dict(sorted(by_year.items()))


# -- outcomes ---------------------------------------------------------------------------------


def outcomes(report: Report) -> tuple[dict, dict]:
    """Per series: engagements completed, ended after the first meeting, withdrawn, other
    cancellations, meetings held per engagement; and the end-evaluation scores (shown where
    at least ``MIN_ANSWERS`` answered). Three queries."""
    engagements = report.engagements().exclude(end_reason=EndReason.CONFLICT)
    rows = {
        series_key(row["round_id"]): row
        for row in engagements.values("round_id").annotate(
            engagements=Count("pk"),
            completed=Count("pk", filter=Q(state=EngagementState.COMPLETED)),
            not_a_fit=Count("pk", filter=Q(end_reason=EndReason.NOT_A_FIT)),
            withdrawn=Count("pk", filter=Q(end_reason=EndReason.WITHDRAWN)),
            cancelled=Count(
                "pk",
                filter=Q(state=EngagementState.CANCELLED)
                & ~Q(end_reason__in=(EndReason.NOT_A_FIT, EndReason.WITHDRAWN)),
            ),
            active=Count(
                "pk", filter=~Q(state__in=(EngagementState.COMPLETED, EngagementState.CANCELLED))
            ),
        )
    }
    held = {
        series_key(row["engagement__round_id"]): row["n"]
        for row in report.held_meetings()
        .exclude(engagement__end_reason=EndReason.CONFLICT)
        .values("engagement__round_id")
        .annotate(n=Count("pk"))
    }
    scores = defaultdict(dict)
    for row in (
        EvaluationAnswer.objects.filter(
            report.scope("engagement__application__", "engagement__round")
        )
        .values("engagement__round_id", "goals_reached")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        scores[series_key(row["engagement__round_id"])][row["goals_reached"]] = row["n"]
    result, evaluations = {}, {}
    for s in report.series():
        row = dict(rows.get(s.key, {}))
        row.pop("round_id", None)
        for name in ("engagements", "completed", "not_a_fit", "withdrawn", "cancelled", "active"):
            row.setdefault(name, 0)
        row["held"] = held.get(s.key, 0)
        row["held_per_engagement"] = (
            row["held"] / row["engagements"] if row["engagements"] else None
        )
        result[s.key] = row
        counts = scores.get(s.key, {})
        answers = sum(counts.values())
        shown = answers >= MIN_ANSWERS
        evaluations[s.key] = {
            "answers": answers,
            "shown": shown,
            **{f"score_{k}": counts.get(k, 0) if shown else None for k in range(1, 6)},
            "average": sum(k * n for k, n in counts.items()) / answers if shown else None,
        }
    return result, evaluations


# -- supervisor load --------------------------------------------------------------------------


def supervisor_load(report: Report) -> list[dict]:
    """Per round and supervisor: places offered (the round's capacity or the default) and
    used (engagements, a declared conflict not counted). Three queries."""
    rounds = report.rounds()
    used = defaultdict(int)
    for row in (
        report.engagements()
        .exclude(end_reason=EndReason.CONFLICT)
        .values("round_id", "supervisor_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        used[series_key(row["round_id"]), row["supervisor_id"]] = row["n"]
    capacities = {
        (str(row.round_id), row.supervisor_id): row.capacity
        for row in SupervisorCapacity.objects.filter(round__in=[r.pk for r in rounds])
    }
    involved = {supervisor for _key, supervisor in [*used, *capacities]}
    supervisors = list(
        Supervisor.objects.filter(Q(active=True) | Q(pk__in=involved))
        .select_related("user")
        .order_by("pk")
    )
    rows = []
    for s in report.series():
        for supervisor in supervisors:
            if s.round is None:
                offered = None
            elif supervisor.active or (s.key, supervisor.pk) in capacities:
                offered = capacities.get((s.key, supervisor.pk), supervisor.default_capacity)
            else:
                offered = 0
            n = used.get((s.key, supervisor.pk), 0)
            if not n and not offered:
                continue
            rows.append(
                {
                    "series": s.label,
                    "supervisor": supervisor.display_name,
                    "kind": supervisor.get_kind_display(),
                    "offered": offered,
                    "used": n,
                    "use": 100 * n / offered if offered else None,
                }
            )
    return rows


# -- participation by unit --------------------------------------------------------------------


def participation(report: Report):
    """Persons (confirmed places) per unit and series, a unit named only where the retention
    job would keep it, with minimum-count suppression over the cells and the totals. Two
    queries. Returns (units, series, ``stats.Suppressed``)."""
    named = report.named_units()
    counts = defaultdict(int)
    for row in (
        ApplicationParticipant.objects.filter(
            report.applications_q("application__"), status=ParticipantStatus.CONFIRMED
        )
        .annotate(unit=unit_expression("application__"))
        .values("application__round_id", "unit")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        round_id = row["application__round_id"]
        unit = row["unit"] if (round_id, row["unit"]) in named else OTHER_UNITS
        counts[unit, series_key(round_id)] += row["n"]
    series = report.series()
    units = sorted({unit for unit, _key in counts} - {OTHER_UNITS})
    if any(unit == OTHER_UNITS for unit, _key in counts):
        units.append(OTHER_UNITS)
    cells = [[counts.get((unit, s.key), 0) for s in series] for unit in units]
    return units, series, suppress(cells, MINIMUM)


# -- the service page's feedback --------------------------------------------------------------


def feedback_rows(report: Report, since: datetime.date, until: datetime.date):
    """(date, found the information, count) of the service page's feedback in the period: the
    feedback report's chart rows (``feedback.reports``). One query."""
    responses = FeedbackResponse.objects.filter(created_on__gte=since, created_on__lte=until)
    if report.criteria.service:
        responses = responses.filter(page__translation_key=report.criteria.service)
    if report.criteria.language:
        responses = responses.filter(locale__language_code=report.criteria.language)
    return list(
        responses.values_list("created_on", "found_information").annotate(n=Count("pk")).order_by()
    )
