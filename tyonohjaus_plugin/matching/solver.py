"""Exact optimum of a round as a min-cost max-flow (OR-tools `SimpleMinCostFlow`).

Network: source -> application (capacity 1) -> supervisor (one arc per feasible, not forbidden
pair, cost -pair_value) -> sink (one unit arc per free place, the k-th costing the load penalty of
the k-th application). `solve_max_flow_with_min_cost` first maximises the flow, which is the
number matched, then minimises cost among maximum flows, which is -score: exactly the
lexicographic objective, so no "BIG" constant is needed and costs stay small.

The load penalty is non-decreasing in k (load_weight >= 0), so among a supervisor's parallel unit
arcs a min-cost flow always uses the cheapest, i.e. the first ones: the cost of m applications is
the penalty of the 1st..m-th, as the objective defines. Pins are pre-assigned: a pinned
application leaves the network and takes its supervisor's first places, so the remaining unit
arcs start at k = pins + 1 and the penalty stays exact.
"""

from __future__ import annotations

from collections import Counter

from ortools.graph.python import min_cost_flow

from . import explain
from .feasibility import blockers, is_feasible
from .scoring import load_penalty, objective, pair_value
from .types import Problem, ProblemError, Result


def validate(problem: Problem) -> None:
    """Reject problems no assignment can satisfy, naming the offending ids."""
    apps = {a.id: a for a in problem.applications}
    sups = {s.id: s for s in problem.supervisors}
    if len(apps) != len(problem.applications) or len(sups) != len(problem.supervisors):
        raise ProblemError("application and supervisor ids must be unique")
    if problem.weights.load_weight < 0:
        # A decreasing penalty would let the flow fill later places first and undercount it.
        raise ProblemError("load_weight must be >= 0")
    if any(s.capacity < 0 for s in sups.values()):
        raise ProblemError("capacities must be >= 0")
    for a, s in sorted(problem.pins | problem.forbids):
        if a not in apps or s not in sups:
            raise ProblemError(f"unknown id in pin or forbid ({a}, {s})")
    pinned = Counter(a for a, _ in problem.pins)
    for a, s in sorted(problem.pins):
        if pinned[a] > 1:
            raise ProblemError(f"application {a} is pinned to more than one supervisor")
        broken = blockers(apps[a], sups[s], (a, s) in problem.forbids)
        if broken:
            codes = ", ".join(code for code, _ in broken)
            raise ProblemError(f"pin ({a}, {s}) breaks a hard constraint: {codes}")
    for s, count in sorted(Counter(s for _, s in problem.pins).items()):
        if count > sups[s].capacity:
            raise ProblemError(f"supervisor {s} has {count} pins but capacity {sups[s].capacity}")


def solve(problem: Problem) -> Result:
    validate(problem)
    weights = problem.weights
    # Sorted ids give the same network, hence the same optimum, for any input order.
    apps = sorted(problem.applications, key=lambda a: a.id)
    sups = sorted(problem.supervisors, key=lambda s: s.id)
    pinned = dict(problem.pins)
    pins_per_sup = Counter(pinned.values())
    free_apps = [a for a in apps if a.id not in pinned]

    source, sink = 0, 1
    app_node = {a.id: 2 + i for i, a in enumerate(free_apps)}
    sup_node = {s.id: 2 + len(free_apps) + j for j, s in enumerate(sups)}

    tails: list[int] = []
    heads: list[int] = []
    costs: list[int] = []

    def arc(tail: int, head: int, cost: int) -> None:
        tails.append(tail)
        heads.append(head)
        costs.append(cost)

    for a in free_apps:
        arc(source, app_node[a.id], 0)
    first_pair_arc = len(tails)
    pair_arcs: list[tuple[str, str]] = []
    for a in free_apps:
        for s in sups:
            if is_feasible(a, s, (a.id, s.id) in problem.forbids):
                arc(app_node[a.id], sup_node[s.id], -pair_value(a, s, weights))
                pair_arcs.append((a.id, s.id))
    for s in sups:
        # Pinned applications hold places 1..pins, so free places start at k = pins + 1.
        for k in range(pins_per_sup[s.id] + 1, s.capacity + 1):
            arc(sup_node[s.id], sink, load_penalty(k, s.capacity, weights))

    assignment = sorted(problem.pins)
    flow_cost = 0
    if pair_arcs:
        flow = min_cost_flow.SimpleMinCostFlow()
        arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, [1] * len(tails), costs)
        flow.set_node_supply(source, len(free_apps))
        flow.set_node_supply(sink, -len(free_apps))
        status = flow.solve_max_flow_with_min_cost()
        if status != flow.OPTIMAL:
            raise RuntimeError(f"min-cost flow failed: {status}")
        used = flow.flows(arcs[first_pair_arc : first_pair_arc + len(pair_arcs)])
        assignment = sorted(assignment + [p for p, f in zip(pair_arcs, used, strict=True) if f])
        flow_cost = flow.optimal_cost()

    matched, score = objective(problem, assignment)
    # Certificate: the flow's cost plus the pins' share must be exactly -score; otherwise the
    # network does not model the objective and the "optimum" would be wrong.
    if objective(problem, problem.pins)[1] - flow_cost != score:
        raise RuntimeError(f"flow cost {flow_cost} does not match score {score}")
    return Result(
        assignment=tuple(assignment),
        matched=matched,
        score=score,
        unmatched=explain.unmatched_reasons(problem, assignment),
        explanations=explain.pair_explanations(problem, assignment),
    )
