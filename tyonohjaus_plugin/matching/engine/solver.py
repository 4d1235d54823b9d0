"""Exact optimum of a round as a min-cost flow (OR-tools `SimpleMinCostFlow`), with a proof.

Network: each group of interchangeable free applications is a node whose supply is its size,
with an arc to each candidate supervisor (cost -pair_value); a supervisor reaches the sink through
one unit arc per free place, the k-th costing the load penalty of the k-th application.
`solve_max_flow_with_min_cost` maximises the flow, which is the number matched, then minimises the
cost among maximum flows, which is -score: exactly the lexicographic objective.

The load penalty is non-decreasing in k (load_weight >= 0), so among a supervisor's parallel unit
arcs a min-cost flow always uses the cheapest, i.e. the first ones: the cost of m applications is
the penalty of the 1st..m-th, as the objective defines. Pins are pre-assigned: a pinned
application leaves the network and takes its supervisor's first places, so the remaining unit
arcs start at k = pins + 1 and the penalty stays exact.

Pruning with a proof: a national round has ~20 M allowed pairs, but the optimum uses few of them.
The first network holds each group's best supervisors and each supervisor's best groups. Its
optimum is optimal over all pairs if no left-out pair has a negative reduced cost with respect to
node potentials of the flow (shortest-path distances in its residual network). For that test the
lexicographic objective is one linear cost: BIG per unmatched application (an arc group -> sink)
minus the score, where BIG exceeds any difference in score. Left-out pairs that fail the test
join the network and it is solved again, so the result is the optimum over all pairs whatever
the pruning keeps.
"""

from __future__ import annotations

import time
from collections import Counter

import numpy as np
from ortools.graph.python import min_cost_flow

from tyonohjaus_plugin.matching.engine import explain
from tyonohjaus_plugin.matching.engine.arrays import Tables, value_bound
from tyonohjaus_plugin.matching.engine.feasibility import blockers
from tyonohjaus_plugin.matching.engine.scoring import objective
from tyonohjaus_plugin.matching.engine.types import PREFERENCES, Problem, ProblemError, Result

# Pair arcs in the first network: each group's best supervisors, and each supervisor's best
# groups (without these, supervisors few applicants rank highly stay empty and the first flow
# matches far fewer than the optimum, which costs more rounds). Later rounds add, per group, at
# most ADD of the left-out pairs the certificate finds improving.
CANDIDATES = 4
PER_SUPERVISOR = 24
ADD = 16
BLOCK = 1 << 21  # matrix entries processed at once: bounds temporary memory at any size
DISCOUNT_BOUND = 1 << 12  # the largest discount `_best` takes off a value before ranking


def validate(problem: Problem) -> None:
    """Reject problems no assignment can satisfy, naming the offending ids."""
    apps = {a.id: a for a in problem.applications}
    sups = {s.id: s for s in problem.supervisors}
    if len(apps) != len(problem.applications) or len(sups) != len(problem.supervisors):
        raise ProblemError("application and supervisor ids must be unique")
    if value_bound(problem.weights) >= np.iinfo(np.int32).max:
        raise ProblemError("weights too large: a pair value must fit in 32 bits")
    if problem.weights.load_weight < 0:
        # A decreasing penalty would let the flow fill later places first and undercount it.
        raise ProblemError("load_weight must be >= 0")
    for a in apps.values():
        if a.pref not in PREFERENCES:
            raise ProblemError(f"application {a.id}: pref must be one of {', '.join(PREFERENCES)}")
    if any(s.capacity < 0 for s in sups.values()):
        raise ProblemError("capacities must be >= 0")
    # Keep pairs may name applications withdrawn since the previous proposal: they are ignored.
    for a, s in sorted(problem.pins | problem.forbids | problem.conflicts):
        if a not in apps or s not in sups:
            raise ProblemError(f"unknown id in pin, forbid or conflict ({a}, {s})")
    pinned = Counter(a for a, _ in problem.pins)
    for a, s in sorted(problem.pins):
        if pinned[a] > 1:
            raise ProblemError(f"application {a} is pinned to more than one supervisor")
        pair = (a, s)
        broken = blockers(apps[a], sups[s], pair in problem.forbids, pair in problem.conflicts)
        if broken:
            codes = ", ".join(code for code, _ in broken)
            raise ProblemError(f"pin ({a}, {s}) breaks a hard constraint: {codes}")
    for s, count in sorted(Counter(s for _, s in problem.pins).items()):
        if count > sups[s].capacity:
            raise ProblemError(f"supervisor {s} has {count} pins but capacity {sups[s].capacity}")


def _blocks(n_rows: int, n_cols: int):
    step = max(1, BLOCK // max(n_cols, 1))
    for start in range(0, n_rows, step):
        yield start, min(start + step, n_rows)


def _best_in_rows(values: np.ndarray, usable: np.ndarray, k: int):
    """(row, column) of each row's k highest `values` among `usable`; ties: the lower column."""
    n_cols = values.shape[1]
    count = usable.sum(axis=1)
    few, many = np.flatnonzero((count > 0) & (count <= k)), np.flatnonzero(count > k)
    rows, cols = np.nonzero(usable[few])
    rows = few[rows]
    if len(many):
        # Distinct keys: argpartition is several times slower on the many ties of raw values.
        order = np.arange(n_cols)
        keys = np.where(
            usable[many],
            values[many].astype(np.int64) * n_cols + (n_cols - 1 - order),
            np.iinfo(np.int64).min + order,
        )
        top = np.argpartition(keys, n_cols - k, axis=1)[:, n_cols - k :]
        rows, cols = np.r_[rows, np.repeat(many, k)], np.r_[cols, top.ravel()]
    return rows, cols


def _best(values: np.ndarray, none, k: int, by_column: bool = False, discount=None):
    """(row, column) of the k highest values (not `none`) of each row, or of each column.
    Blockwise, over the compact matrix of `solve`. `discount(start, stop)` (columns only): what
    to take off columns start..stop before ranking, as a (columns x rows) array of at most
    `DISCOUNT_BOUND`."""
    if by_column:
        found = [
            (rows, cols + start)
            for start, stop in _blocks(values.shape[1], len(values))
            for cols, rows in [
                _best_of_block(
                    values[:, start:stop].T,
                    none,
                    k,
                    start,
                    discount(start, stop) if discount else None,
                )
            ]
        ]
    else:
        found = [
            (rows + start, cols)
            for start, stop in _blocks(len(values), values.shape[1])
            for rows, cols in [_best_of_block(values[start:stop], none, k, start)]
        ]
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return tuple(np.concatenate(x) for x in zip(*found, strict=True))


def _best_of_block(block: np.ndarray, none, k: int, first_row: int, discount=None):
    """(row, column) of each row's k highest values (not `none`) in `block`, whose first row is
    row `first_row` of the matrix; ranked by value - `discount` if given."""
    n_cols = block.shape[1]
    if k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if n_cols <= k:
        return np.nonzero(block != none)
    # Distinct keys value * n + tie-break: argpartition is several times slower on the many ties
    # of raw values. The tie-break order rotates from row to row, so equally good columns are
    # spread over the rows instead of every row taking the same few (which crowds some
    # supervisors and leaves others empty in the first network). `none` stays below every real
    # value, so it needs no mask (a discount can lower `none` too, never a real value below it).
    low = abs(int(none)) + (DISCOUNT_BOUND if discount is not None else 0) + 1
    wide = np.int32 if low * n_cols < np.iinfo(np.int32).max else np.int64
    keys = block.astype(wide, order="C")
    if discount is not None:
        keys -= discount
    keys *= n_cols
    shift = (np.arange(first_row, first_row + len(block)) * 7919 % n_cols).astype(wide)
    keys += (np.arange(n_cols, dtype=wide) + shift[:, None]) % n_cols
    cols = np.argpartition(keys, n_cols - k, axis=1)[:, n_cols - k :].ravel()
    rows = np.repeat(np.arange(len(block)), k)
    real = block[rows, cols] != none
    return rows[real], cols[real]


def _potentials(n_nodes: int, tail, head, cost) -> np.ndarray:
    """Shortest-path distances from a virtual root joined to every node, over residual arcs.

    They make every residual arc's reduced cost, cost + d[tail] - d[head], non-negative (they exist
    because an optimal flow leaves no negative cycle). Bellman-Ford in vectorised rounds, each
    relaxing only the arcs out of nodes that improved in the previous round.
    """
    order = np.argsort(tail, kind="stable")
    tail, head, cost = tail[order], head[order], cost[order]
    first = np.searchsorted(tail, np.arange(n_nodes + 1))
    dist = np.zeros(n_nodes, dtype=np.int64)
    changed = np.arange(n_nodes)
    for _ in range(n_nodes + 1):
        lo, sizes = first[changed], first[changed + 1] - first[changed]
        total = int(sizes.sum())
        arcs = np.repeat(lo - (np.cumsum(sizes) - sizes), sizes) + np.arange(total)
        reach = dist[tail[arcs]] + cost[arcs]
        heads = head[arcs]
        better = reach < dist[heads]
        if not better.any():
            return dist
        np.minimum.at(dist, heads[better], reach[better])
        changed = np.unique(heads[better])
    raise RuntimeError("negative cycle in the residual network: the flow is not optimal")


class _Network:
    """Nodes: groups, then supervisors, then the sink. Pair arcs are added between solves."""

    def __init__(self, counts: np.ndarray, capacity: np.ndarray, room: np.ndarray) -> None:
        self.counts, self.capacity, self.room = counts, capacity, room
        self.n_groups = len(counts)
        self.sink = self.n_groups + len(room)
        self.pair_group = np.zeros(0, dtype=np.int64)
        self.pair_sup = np.zeros(0, dtype=np.int64)
        self.pair_value = np.zeros(0, dtype=np.int64)

    def add(self, parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> None:
        """Add pair arcs given as (groups, supervisors, values) blocks."""
        parts = [(self.pair_group, self.pair_sup, self.pair_value), *parts]
        g, s, v = (np.concatenate(column) for column in zip(*parts, strict=True))
        # Sorted by (group, supervisor): the same set of arcs always gives the same network.
        _, order = np.unique(g * (self.sink - self.n_groups) + s, return_index=True)
        self.pair_group, self.pair_sup, self.pair_value = g[order], s[order], v[order]

    def solve(self, big: int, load_weight: int):
        """The optimal flow: arcs (tail, head, capacity, cost), their flows, and the cost.

        OR-tools maximises the flow, then minimises its cost among maximum flows: the same optimum
        as BIG on "unmatched" arcs, but faster (a smaller cost range means fewer scaling phases).
        The unmatched arcs are added to the returned arrays, with BIG, for the certificate.
        """
        n_groups, counts, room = self.n_groups, self.counts, self.room
        places = np.repeat(np.arange(len(room)), room)
        # The k-th place of a supervisor counts its pinned applications first.
        nth_free = np.arange(len(places)) - np.repeat(np.cumsum(room) - room, room)
        capacity = self.capacity[places]
        k = capacity - room[places] + 1 + nth_free
        penalty = load_weight * (k - 1) // np.maximum(capacity, 1)
        tail = np.r_[self.pair_group, n_groups + places]
        head = np.r_[n_groups + self.pair_sup, np.full(len(places), self.sink)]
        cap = np.r_[counts[self.pair_group], np.ones(len(places), dtype=np.int64)]
        cost = np.r_[-self.pair_value, penalty]
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(tail, head, cap, cost)
        supply = np.zeros(self.sink + 1, dtype=np.int64)
        supply[:n_groups], supply[self.sink] = counts, -counts.sum()
        flow.set_nodes_supplies(np.arange(self.sink + 1), supply)
        status = flow.solve_max_flow_with_min_cost()
        if status == flow.BAD_COST_RANGE:
            raise ProblemError("weights too large for an exact integer min-cost flow")
        if status != flow.OPTIMAL:
            raise RuntimeError(f"min-cost flow failed: {status}")
        used = flow.flows(np.arange(len(tail)))
        unmatched = counts - np.bincount(
            self.pair_group, used[: len(self.pair_group)], minlength=n_groups
        ).astype(np.int64)
        total = flow.optimal_cost() + big * int(unmatched.sum())
        groups = np.arange(n_groups)
        return (
            np.r_[tail, groups],
            np.r_[head, np.full(n_groups, self.sink)],
            np.r_[cap, counts],
            np.r_[cost, np.full(n_groups, big)],
            np.r_[used, unmatched],
            total,
        )


def solve(
    problem: Problem,
    candidates: int | None = CANDIDATES,
    per_supervisor: int = PER_SUPERVISOR,
) -> Result:
    """Optimal assignment. The first network holds each group's `candidates` and each
    supervisor's `per_supervisor` best pairs; `candidates=None` puts in every allowed pair (the
    unpruned reference the tests compare with)."""
    clock = time.perf_counter()
    phases: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        phases[name] = phases.get(name, 0.0) + now - clock
        clock = now

    validate(problem)
    w = problem.weights
    tables = Tables(problem)
    apps, n_sups = tables.apps, len(tables.sups)
    pinned = dict(problem.pins)
    pins_per_sup = np.bincount(
        [tables.sup_index[s] for s in pinned.values()], minlength=n_sups
    ).astype(np.int64)
    room = tables.capacity - pins_per_sup
    has_room = room > 0

    # Interchangeable free applications (same feasibility, points and sparse corrections)
    # form one node; the flow is split among them afterwards.
    corrections = tables.corrections()
    groups: dict[tuple, list[int]] = {}
    for i, a in enumerate(apps):
        if a.id not in pinned:
            key = (tables.feas_key[i], tables.points_key[i], corrections.get(i, ()))
            groups.setdefault(key, []).append(i)
    members = list(groups.values())
    first = np.array([m[0] for m in members], dtype=np.int64)
    counts = np.array([len(m) for m in members], dtype=np.int64)
    n_groups = len(members)
    lap("arrays")

    # Every allowed pair's value, once, in the smallest integer type that holds it: the
    # certificate reads them again after each solve. `none` marks a pair that is not allowed (or
    # whose supervisor has no free place).
    dtype = np.int16 if value_bound(w) < np.iinfo(np.int16).max else np.int32
    none = np.iinfo(dtype).min
    values = np.empty((n_groups, n_sups), dtype=dtype)
    for start, stop in _blocks(n_groups, n_sups):
        block, allowed = tables.rows(first[start:stop])
        values[start:stop] = np.where(allowed & has_room, block, none)
    lap("values")
    # Two assignments' scores differ by less than BIG (all values span at most 2 * bound, plus
    # all load penalties), so one more match always outweighs any score.
    big = 2 * value_bound(w) * int(counts.sum()) + w.load_weight * int(room.sum()) + 1
    network = _Network(counts, tables.capacity, room)

    # Each supervisor's best groups are ranked without the preference bonus. It is the same for
    # every group asking for the supervisor's kind, so ranking by it would fill every external
    # supervisor's list with the same few groups that ask for an external one, leave the rest
    # unconnected, and cost the certificate rounds of extra arcs. (Each group's own best
    # supervisors include it; the certificate proves the optimum over all pairs either way.)
    asks = np.array([apps[i].pref for i in first.tolist()], dtype=object)
    bonus = int(np.clip(w.pref_match, -DISCOUNT_BOUND, DISCOUNT_BOUND))
    # int16 rows (|bonus| <= DISCOUNT_BOUND): a small array per block, whatever the key type.
    bonus_of = {
        kind: (bonus * (asks == kind)).astype(np.int16)[None, :]
        for kind in ("internal", "external")
    }
    external = np.array([s.external for s in tables.sups], dtype=bool)

    def asked_bonus(start, stop):
        return np.where(external[start:stop, None], bonus_of["external"], bonus_of["internal"])

    if candidates is None:
        rows, cols = np.nonzero(values != none)
        network.add([(rows, cols, values[rows, cols])])
    else:
        by_group = _best(values, none, candidates)
        by_sup = _best(values, none, per_supervisor, by_column=True, discount=asked_bonus)
        network.add([(r, c, values[r, c]) for r, c in (by_group, by_sup)])
    lap("candidates")

    rounds = 0
    while True:
        rounds += 1
        tail, head, cap, cost, used, flow_cost = network.solve(big, w.load_weight)
        lap("flow")
        if candidates is None:
            break
        forward, backward = used < cap, used > 0
        dist = _potentials(
            network.sink + 1,
            np.r_[tail[forward], head[backward]],
            np.r_[head[forward], tail[backward]],
            np.r_[cost[forward], -cost[backward]],
        )
        sup_dist = dist[n_groups : n_groups + n_sups]
        missing = []
        for start, stop in _blocks(n_groups, n_sups):
            block = values[start:stop]
            # A pair group -> supervisor left out of the network could improve the flow only if
            # its reduced cost -value + d[group] - d[supervisor] is negative: if it "gains".
            gain = block + (sup_dist - dist[start:stop, None])
            improving = (gain > 0) & (block != none)
            lo, hi = np.searchsorted(network.pair_group, [start, stop])
            improving[network.pair_group[lo:hi] - start, network.pair_sup[lo:hi]] = False
            rows, cols = _best_in_rows(gain, improving, ADD)
            missing.append((rows + start, cols, block[rows, cols]))
        lap("certificate")
        if not sum(len(rows) for rows, _, _ in missing):
            break
        network.add(missing)

    # Split each group's flow: earlier arrivals (lottery, then id) first, supervisors by id.
    n_pairs = len(network.pair_group)
    pair_flow = used[:n_pairs]
    assignment = list(problem.pins)
    queues = [sorted(m, key=lambda i: (apps[i].lottery, apps[i].id)) for m in members]
    served = [0] * n_groups
    for arc in np.flatnonzero(pair_flow).tolist():
        g, sup_id = int(network.pair_group[arc]), tables.sups[int(network.pair_sup[arc])].id
        for i in queues[g][served[g] : served[g] + int(pair_flow[arc])]:
            assignment.append((apps[i].id, sup_id))
        served[g] += int(pair_flow[arc])
    assignment.sort()
    unmatched_free = int(counts.sum()) - sum(served)

    matched, score = objective(problem, assignment)
    # Self-check of the model: the flow's cost is BIG per unmatched application minus the free
    # pairs' score; with the pins' share it must be exactly the recomputed score.
    if objective(problem, problem.pins)[1] - (flow_cost - big * unmatched_free) != score:
        raise RuntimeError(f"flow cost {flow_cost} does not match score {score}")
    lap("split")
    unmatched = explain.unmatched_reasons(problem, assignment, tables)
    explanations = explain.pair_explanations(problem, assignment)
    lap("explain")
    return Result(
        assignment=tuple(assignment),
        matched=matched,
        score=score,
        unmatched=unmatched,
        explanations=explanations,
        stats={
            "feasible_pairs": tables.allowed_pairs(),
            "groups": n_groups,
            "arcs": n_pairs,
            "rounds": rounds,
            "phases": phases,
        },
    )
