"""The objective: pair preference, external cost and the convex load penalty."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from tyonohjaus_plugin.matching.engine.types import Application, Problem, Supervisor, Weights


def pair_preference(app: Application, sup: Supervisor, weights: Weights) -> int:
    """Theme points for each ranked theme the supervisor covers, plus points if named and if the
    supervisor is of the kind (internal or external) the applicant asked for."""
    points = sum(
        weights.theme_rank[rank]
        for rank, theme in enumerate(app.themes[: len(weights.theme_rank)])
        if theme in sup.themes
    )
    named = app.named[: len(weights.named_rank)]
    if sup.id in named:
        points += weights.named_rank[named.index(sup.id)]
    if preference_met(app, sup):
        points += weights.pref_match
    return points


def preference_met(app: Application, sup: Supervisor) -> bool:
    """The applicant asked for this kind of supervisor ("any" asks for nothing)."""
    return app.pref == ("external" if sup.external else "internal")


def pair_value(app: Application, sup: Supervisor, weights: Weights, kept: bool = False) -> int:
    """What matching this pair adds to the score before the load penalty.

    `kept`: the pair is in `Problem.keep` (the previous proposal), worth `keep_bonus` more.
    """
    external = weights.external_cost if sup.external else 0
    return pair_preference(app, sup, weights) - external + (weights.keep_bonus if kept else 0)


def load_penalty(k: int, capacity: int, weights: Weights) -> int:
    """Cost of a supervisor's k-th application (k >= 1): floor(load_weight * (k - 1) / c)."""
    # A zero-capacity supervisor only gets here in an over-capacity assignment, which `check`
    # reports anyway; max() keeps the recomputation total instead of crashing.
    return weights.load_weight * (k - 1) // max(capacity, 1)


def total_load_penalty(count: int, capacity: int, weights: Weights) -> int:
    return sum(load_penalty(k, capacity, weights) for k in range(1, count + 1))


def objective(problem: Problem, assignment: Iterable[tuple[str, str]]) -> tuple[int, int]:
    """(matched, score) of an assignment; assumes ids exist (see `check` for validation)."""
    apps = {a.id: a for a in problem.applications}
    sups = {s.id: s for s in problem.supervisors}
    pairs = list(assignment)
    w, keep = problem.weights, problem.keep
    score = sum(pair_value(apps[a], sups[s], w, (a, s) in keep) for a, s in pairs)
    for sup_id, count in Counter(s for _, s in pairs).items():
        score -= total_load_penalty(count, sups[sup_id].capacity, problem.weights)
    return len(pairs), score
