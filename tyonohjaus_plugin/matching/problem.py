"""A round's applications, supervisors and HR's overrides as the matching engine's problem.

The engine sees opaque ids ("a12", "s3"), unit codes, language codes and theme translation
keys: no names, e-mails or free text leave the database for the solver.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count

from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.matching.engine import Application as Unit
from tyonohjaus_plugin.matching.engine import Problem, Weights
from tyonohjaus_plugin.matching.engine import Supervisor as Offer
from tyonohjaus_plugin.models import (
    ACTIVE_ENGAGEMENT_STATES,
    Application,
    ApplicationParticipant,
    Engagement,
    EngagementState,
    ExcludedPair,
    MatchOverride,
    MatchProposal,
    MatchRun,
    MatchRunState,
    OverrideKind,
    ParticipantStatus,
    Supervisor,
    SupervisorPreference,
)

#: The form's supervisor preference as the engine's ``pref`` ("no preference" asks for nothing).
PREFERENCES = {
    SupervisorPreference.INTERNAL: "internal",
    SupervisorPreference.EXTERNAL: "external",
}
#: The columns of an application that ``_units`` reads.
UNIT_COLUMNS = ("pk", "format", "languages", "supervisor_preference")


def application_key(pk: int) -> str:
    return f"a{pk}"


def supervisor_key(pk: int) -> str:
    return f"s{pk}"


def pk_of(key: str) -> int:
    return int(key[1:])


def matchable_applications(round):
    """Applications of ``round`` (None: between rounds) still waiting for a supervisor."""
    return Application.objects.in_round(round).waiting().order_by("submitted_at", "pk")


def off_round_applications():
    """Waiting applications matched with the off-round rules (every active supervisor's free
    places): those made between rounds, those HR waitlisted, and those back on the board after
    an ended engagement (not a good fit, a declared conflict), whatever their round. These are
    the waiting list that freed places are offered to."""
    return Application.objects.waiting_list().order_by("submitted_at", "pk")


def excluded_pairs(application_ids) -> frozenset:
    """The pairs no problem may propose (``ExcludedPair``: a conflict, not a good fit)."""
    return frozenset(
        (application_key(a), supervisor_key(s))
        for a, s in ExcludedPair.objects.filter(application_id__in=application_ids).values_list(
            "application_id", "supervisor_id"
        )
    )


def latest_done_run(round):
    return MatchRun.objects.filter(round=round, state=MatchRunState.DONE).first()


def _unit_row(application) -> tuple:
    return tuple(getattr(application, column) for column in UNIT_COLUMNS)


def _units(rows):
    """Engine units for ``rows`` of ``UNIT_COLUMNS``, and each one's confirmed people."""
    ids = [row[0] for row in rows]
    # Members who confirmed (the applicant always has): their units and user ids.
    units, members = defaultdict(set), defaultdict(set)
    for pk in ids:
        members[pk] = set()  # every application, with people or not (``_conflict_pairs``)
    for application_id, user_id, unit in ApplicationParticipant.objects.filter(
        application_id__in=ids, status=ParticipantStatus.CONFIRMED
    ).values_list("application_id", "user_id", "user__tyonohjaus_profile__unit_code"):
        members[application_id].add(user_id)
        if unit:
            units[application_id].add(unit)

    themes = defaultdict(list)
    for application_id, key in (
        Application.themes.through.objects.filter(application_id__in=ids)
        .order_by("theme__sort_order", "theme__translation_key")
        .values_list("application_id", "theme__translation_key")
    ):
        themes[application_id].append(str(key))

    count = len(rows) or 1
    return [
        Unit(
            id=application_key(pk),
            kind=format,
            size=max(len(members[pk]), 1),
            org_units=tuple(sorted(units[pk])),
            langs=tuple(languages),
            themes=tuple(themes[pk]),
            lottery=index / count,  # arrival order, for the engine's explanations
            pref=PREFERENCES.get(preference, "any"),
        )
        for index, (pk, format, languages, preference) in enumerate(rows)
    ], members


def _offers(capacity_of, supervisors=None):
    """Active supervisors as engine offers, and the people each must never supervise."""
    offers, conflicts = [], {}
    for supervisor in (
        (supervisors if supervisors is not None else Supervisor.objects.filter(active=True))
        .prefetch_related("themes", "round_capacities", "conflict_users")
        .order_by("pk")
    ):
        own_units = set(supervisor.unit_codes) | set(supervisor.conflict_unit_codes)
        offers.append(
            Offer(
                id=supervisor_key(supervisor.pk),
                external=supervisor.is_external,
                org_units=tuple(sorted(own_units)),
                langs=tuple(supervisor.languages),
                formats=tuple(supervisor.formats),
                capacity=max(capacity_of(supervisor), 0),
                themes=tuple(
                    sorted(str(theme.translation_key) for theme in supervisor.themes.all())
                ),
            )
        )
        # A supervisor never gets a group with themselves or a person listed as a conflict.
        conflicts[supervisor.pk] = {user.pk for user in supervisor.conflict_users.all()} | (
            {supervisor.user_id} if supervisor.user_id else set()
        )
    return offers, conflicts


def _conflict_pairs(members, conflicts):
    """Pairs the engine must never propose: a supervisor with a person of the application
    among their conflicts, and every ``ExcludedPair`` of these applications (a declared conflict,
    or "not a good fit" after a first meeting), in whichever round it was recorded."""
    excluded = ExcludedPair.objects.filter(
        application_id__in=list(members), supervisor_id__in=list(conflicts)
    ).values_list("application_id", "supervisor_id")
    return frozenset(
        (application_key(pk), supervisor_key(supervisor_pk))
        for pk, people in members.items()
        for supervisor_pk, excluded_people in conflicts.items()
        if people & excluded_people
    ) | frozenset((application_key(a), supervisor_key(s)) for a, s in excluded)


def _places_taken(**filters) -> Counter:
    return Counter(
        dict(
            Engagement.objects.filter(**filters)
            .values_list("supervisor_id")
            .annotate(n=Count("pk"))
            .values_list("supervisor_id", "n")
        )
    )


def build_problem(round, weights: Weights | None = None) -> Problem:
    """The matching problem of ``round``: a fixed number of queries, whatever its size.

    Places already confirmed in the round are taken off each supervisor's capacity; HR's pins and
    forbids apply; the pairs of the latest proposal get a keep bonus, so a re-run moves as few
    people as possible.
    """
    rows = list(matchable_applications(round).values_list(*UNIT_COLUMNS))
    units, members = _units(rows)
    taken = _places_taken(
        round=round, state__in=[*ACTIVE_ENGAGEMENT_STATES, EngagementState.COMPLETED]
    )
    offers, conflicts = _offers(lambda s: s.capacity_for(round) - taken[s.pk])

    known_apps = {row[0] for row in rows}
    known_sups = {pk_of(offer.id) for offer in offers}
    pins, forbids = set(), set()
    for application_id, supervisor_id, kind in MatchOverride.objects.filter(
        round=round
    ).values_list("application_id", "supervisor_id", "kind"):
        if application_id not in known_apps or supervisor_id not in known_sups:
            continue  # the application was matched meanwhile, or the supervisor left
        pair = (application_key(application_id), supervisor_key(supervisor_id))
        (pins if kind == OverrideKind.PIN else forbids).add(pair)

    keep = set()
    previous = latest_done_run(round)
    if previous is not None:
        keep = {
            (application_key(a), supervisor_key(s))
            for a, s in MatchProposal.objects.filter(run=previous).values_list(
                "application_id", "supervisor_id"
            )
            if a in known_apps and s in known_sups
        }
    if weights is None:
        weights = Weights(keep_bonus=plugin_settings.MATCHING_KEEP_BONUS)
    return Problem(
        applications=tuple(units),
        supervisors=tuple(offers),
        weights=weights,
        pins=frozenset(pins),
        forbids=frozenset(forbids),
        conflicts=_conflict_pairs(members, conflicts),
        keep=frozenset(keep),
    )


def build_single_problem(application) -> tuple[Problem, dict[str, int]]:
    """One off-round application against every active supervisor's default capacity.

    Returns the problem and each supervisor's current load: their engagements that are planned
    or in progress, whichever round they came from (between rounds that is what keeps them busy).
    """
    units, members = _units([_unit_row(application)])
    offers, conflicts = _offers(lambda s: s.default_capacity)
    taken = _places_taken(state__in=ACTIVE_ENGAGEMENT_STATES)
    loads = {offer.id: taken[pk_of(offer.id)] for offer in offers}
    problem = Problem(
        applications=tuple(units),
        supervisors=tuple(offers),
        forbids=excluded_pairs([application.pk]),
        conflicts=_conflict_pairs(members, conflicts),
    )
    return problem, loads


def build_waiting_problem(supervisor, applications) -> Problem:
    """The waiting ``applications`` against one supervisor (off-round rules), for offering the
    supervisor's freed place: the engine's units, conflicts and excluded pairs."""
    rows = [_unit_row(application) for application in applications]
    units, members = _units(rows)
    offers, conflicts = _offers(
        lambda s: s.default_capacity, Supervisor.objects.filter(pk=supervisor.pk)
    )
    return Problem(
        applications=tuple(units),
        supervisors=tuple(offers),
        forbids=excluded_pairs([row[0] for row in rows]),
        conflicts=_conflict_pairs(members, conflicts),
    )


def build_application_problem(application, round) -> Problem:
    """One application of ``round`` against every active supervisor, with the places each has
    left in the round, the conflicts and HR's forbids: for choosing or checking a pin."""
    units, members = _units([_unit_row(application)])
    taken = _places_taken(
        round=round, state__in=[*ACTIVE_ENGAGEMENT_STATES, EngagementState.COMPLETED]
    )
    offers, conflicts = _offers(lambda s: s.capacity_for(round) - taken[s.pk])
    forbids = frozenset(
        (application_key(a), supervisor_key(s))
        for a, s in MatchOverride.objects.filter(
            round=round, application=application, kind=OverrideKind.FORBID
        ).values_list("application_id", "supervisor_id")
    )
    return Problem(
        applications=tuple(units),
        supervisors=tuple(offers),
        forbids=forbids,
        conflicts=_conflict_pairs(members, conflicts),
    )
