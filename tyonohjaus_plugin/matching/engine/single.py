"""Off-round assignment: one application against the places supervisors have left."""

from __future__ import annotations

from collections.abc import Mapping

from tyonohjaus_plugin.matching.engine import explain
from tyonohjaus_plugin.matching.engine.feasibility import blockers, is_feasible
from tyonohjaus_plugin.matching.engine.scoring import load_penalty, pair_value
from tyonohjaus_plugin.matching.engine.types import Problem, ProblemError, Result


def assign_one(problem: Problem, application_id: str, loads: Mapping[str, int]) -> Result:
    """The best supervisor with room for one application, without re-solving the round.

    `loads`: applications each supervisor already has (missing means 0). Among feasible,
    non-forbidden, conflict-free supervisors with load < capacity, the one with the highest
    pair value minus the load penalty of its next place; ties go to the smallest supervisor id.
    A pin wins if its supervisor has room (a full one cannot take it off-round, so then the
    best other choice is offered). The score is what this one pair adds.
    """
    apps = {a.id: a for a in problem.applications}
    if application_id not in apps:
        raise ProblemError(f"unknown application {application_id}")
    app = apps[application_id]
    sups = {s.id: s for s in problem.supervisors}
    w = problem.weights

    def allowed(sup_id: str) -> bool:
        pair = (application_id, sup_id)
        return is_feasible(app, sups[sup_id], pair in problem.forbids, pair in problem.conflicts)

    def has_room(sup_id: str) -> bool:
        return loads.get(sup_id, 0) < sups[sup_id].capacity

    pins = sorted(s for a, s in problem.pins if a == application_id)
    if len(pins) > 1:
        raise ProblemError(f"application {application_id} is pinned to more than one supervisor")
    for sup_id in pins:
        if sup_id not in sups:
            raise ProblemError(f"unknown id in pin ({application_id}, {sup_id})")
        if not allowed(sup_id):
            pair = (application_id, sup_id)
            broken = blockers(app, sups[sup_id], pair in problem.forbids, pair in problem.conflicts)
            codes = ", ".join(code for code, _ in broken)
            raise ProblemError(
                f"pin ({application_id}, {sup_id}) breaks a hard constraint: {codes}"
            )

    def gain(sup_id: str) -> int:
        sup = sups[sup_id]
        kept = (application_id, sup_id) in problem.keep
        value = pair_value(app, sup, w, kept)
        return value - load_penalty(loads.get(sup_id, 0) + 1, sup.capacity, w)

    open_ = [s for s in sups if allowed(s) and has_room(s)]
    if pins and has_room(pins[0]):
        chosen = pins[0]
    elif open_:
        chosen = min(open_, key=lambda s: (-gain(s), s))
    else:
        return Result((), 0, 0, {application_id: explain.unmatched_reason(problem, app)}, {})
    k = loads.get(chosen, 0) + 1
    reasons = explain.pair_reasons(problem, app, sups[chosen], k)
    return Result(((application_id, chosen),), 1, gain(chosen), {}, {application_id: reasons})
