"""A round's applications, supervisors and HR's overrides as the matching engine's problem.

The engine sees opaque ids ("a12", "s3"), unit codes, language codes and theme translation
keys: no names, e-mails or free text leave the database for the solver.
"""

from __future__ import annotations

from collections import defaultdict

from .matching import Application as Unit
from .matching import Problem, Weights
from .matching import Supervisor as Offer
from .models import (
    Application,
    ApplicationParticipant,
    MatchOverride,
    OverrideKind,
    ParticipantStatus,
    Supervisor,
)
from .models.applications import UNMATCHED_STATUSES


def application_key(pk: int) -> str:
    return f"a{pk}"


def supervisor_key(pk: int) -> str:
    return f"s{pk}"


def pk_of(key: str) -> int:
    return int(key[1:])


def matchable_applications(round):
    """Applications of ``round`` still waiting for a supervisor, oldest first."""
    return Application.objects.filter(round=round, status__in=UNMATCHED_STATUSES).order_by(
        "submitted_at", "pk"
    )


def build_problem(round, weights: Weights | None = None) -> Problem:
    """The matching problem of ``round``: a fixed number of queries, whatever its size."""
    applications = list(matchable_applications(round).values_list("pk", "format", "languages"))
    ids = [pk for pk, _format, _languages in applications]

    # Members who confirmed (the applicant always has): their units and user ids.
    units, members = defaultdict(set), defaultdict(set)
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

    supervisors = []
    conflicts = {}
    for supervisor in (
        Supervisor.objects.filter(active=True)
        .prefetch_related("themes", "round_capacities", "conflict_users")
        .order_by("pk")
    ):
        own_units = set(supervisor.unit_codes) | set(supervisor.conflict_unit_codes)
        supervisors.append(
            Offer(
                id=supervisor_key(supervisor.pk),
                external=supervisor.is_external,
                org_units=tuple(sorted(own_units)),
                langs=tuple(supervisor.languages),
                formats=tuple(supervisor.formats),
                capacity=supervisor.capacity_for(round),
                themes=tuple(
                    sorted(str(theme.translation_key) for theme in supervisor.themes.all())
                ),
            )
        )
        # A supervisor never gets a group with themselves or a person listed as a conflict.
        conflicts[supervisor.pk] = {user.pk for user in supervisor.conflict_users.all()} | (
            {supervisor.user_id} if supervisor.user_id else set()
        )

    count = len(applications) or 1
    units_list = [
        Unit(
            id=application_key(pk),
            kind=format,
            size=max(len(members[pk]), 1),
            org_units=tuple(sorted(units[pk])),
            langs=tuple(languages),
            themes=tuple(themes[pk]),
            lottery=index / count,  # arrival order, for the engine's explanations
        )
        for index, (pk, format, languages) in enumerate(applications)
    ]

    forbids = {
        (application_key(pk), supervisor_key(supervisor_pk))
        for pk in ids
        for supervisor_pk, people in conflicts.items()
        if members[pk] & people
    }
    known_apps, known_sups = set(ids), {pk_of(s.id) for s in supervisors}
    pins = set()
    for application_id, supervisor_id, kind in MatchOverride.objects.filter(
        round=round
    ).values_list("application_id", "supervisor_id", "kind"):
        if application_id not in known_apps or supervisor_id not in known_sups:
            continue  # the application was matched meanwhile, or the supervisor left
        pair = (application_key(application_id), supervisor_key(supervisor_id))
        (pins if kind == OverrideKind.PIN else forbids).add(pair)

    return Problem(
        applications=tuple(units_list),
        supervisors=tuple(supervisors),
        weights=weights or Weights(),
        pins=frozenset(pins),
        forbids=frozenset(forbids),
    )
