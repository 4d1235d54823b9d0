"""Immutable inputs and outputs of the matching engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# A reason is a code plus named parameters; `explain.render` turns it into text, and the Django
# side will translate the same codes.
Reason = tuple[str, Mapping[str, object]]

#: An applicant's supervisor preference (the form's "internal / external / no preference").
PREFERENCES = ("internal", "external", "any")


class ProblemError(ValueError):
    """The problem itself is contradictory or malformed (unknown ids, impossible pins, ...)."""


@dataclass(frozen=True)
class Application:
    id: str
    kind: str  # "individual" | "group" | "team"
    size: int
    org_units: tuple[str, ...]  # units of all members
    langs: tuple[str, ...]
    themes: tuple[str, ...] = ()  # ranked, best first
    named: tuple[str, ...] = ()  # ranked supervisor ids, best first; may be infeasible
    lottery: float = 0.0
    pref: str = "any"  # one of PREFERENCES: the kind of supervisor the applicant asked for


@dataclass(frozen=True)
class Supervisor:
    id: str
    external: bool
    org_units: tuple[str, ...]
    langs: tuple[str, ...]
    formats: tuple[str, ...]
    capacity: int
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Weights:
    theme_rank: tuple[int, ...] = (30, 20, 10)
    named_rank: tuple[int, ...] = (50, 35, 20)
    external_cost: int = 25
    load_weight: int = 20
    pref_match: int = 15  # the supervisor is of the kind the applicant asked for (`pref`)
    keep_bonus: int = 0  # per matched pair of `Problem.keep`: a re-run moves as few as possible


@dataclass(frozen=True)
class Problem:
    applications: tuple[Application, ...]
    supervisors: tuple[Supervisor, ...]
    weights: Weights = field(default_factory=Weights)
    pins: frozenset[tuple[str, str]] = frozenset()  # (application id, supervisor id)
    forbids: frozenset[tuple[str, str]] = frozenset()  # excluded by HR
    conflicts: frozenset[tuple[str, str]] = frozenset()  # excluded by a conflict of interest
    keep: frozenset[tuple[str, str]] = frozenset()  # pairs of the previous proposal


@dataclass(frozen=True)
class Result:
    assignment: tuple[tuple[str, str], ...]  # (application id, supervisor id), sorted
    matched: int
    score: int
    unmatched: Mapping[str, Reason]  # application id -> why it stayed unmatched
    explanations: Mapping[str, tuple[Reason, ...]]  # matched application id -> why this pair
    # Sizes and phase timings for logs; not part of the answer, so equality ignores them.
    stats: Mapping[str, object] = field(default_factory=dict, compare=False)
