"""Hard constraints on a single application-supervisor pair."""

from __future__ import annotations

from tyonohjaus_plugin.matching.engine.types import Application, Reason, Supervisor

NO_SHARED_LANGUAGE = "no_shared_language"
FORMAT_NOT_TAKEN = "format_not_taken"
OWN_UNIT = "own_unit"
FORBIDDEN = "forbidden"
CONFLICT = "conflict_of_interest"


def blockers(
    app: Application, sup: Supervisor, forbidden: bool = False, conflict: bool = False
) -> tuple[Reason, ...]:
    """Every hard constraint the pair breaks, as reason codes; empty when the pair is feasible.

    Capacity is not a property of a pair, so it is checked by the solver and `check`, not here.
    """
    found: list[Reason] = []
    if not set(app.langs) & set(sup.langs):
        found.append((NO_SHARED_LANGUAGE, {"langs": app.langs}))
    if app.kind not in sup.formats:
        found.append((FORMAT_NOT_TAKEN, {"kind": app.kind}))
    shared_units = sorted(set(app.org_units) & set(sup.org_units))
    if shared_units:
        found.append((OWN_UNIT, {"units": tuple(shared_units)}))
    if forbidden:
        found.append((FORBIDDEN, {}))
    if conflict:
        found.append((CONFLICT, {}))
    return tuple(found)


def is_feasible(
    app: Application, sup: Supervisor, forbidden: bool = False, conflict: bool = False
) -> bool:
    # Same rules as `blockers`, without building reasons. The solver uses the vectorised copy in
    # `arrays`; this one is the reference the tests compare it with.
    return (
        not forbidden
        and not conflict
        and app.kind in sup.formats
        and not set(app.langs).isdisjoint(sup.langs)
        and set(app.org_units).isdisjoint(sup.org_units)
    )


def violations(problem, assignment) -> list[str]:
    """Every hard constraint an assignment breaks, as English lines (empty when it is valid)."""
    apps = {a.id: a for a in problem.applications}
    sups = {s.id: s for s in problem.supervisors}
    found: list[str] = []
    seen: set[str] = set()
    load: dict[str, int] = {}
    for a, s in assignment:
        if a not in apps or s not in sups:
            found.append(f"({a}, {s}): unknown id")
            continue
        if a in seen:
            found.append(f"{a}: matched more than once")
        seen.add(a)
        load[s] = load.get(s, 0) + 1
        pair = (a, s)
        for code, _ in blockers(
            apps[a], sups[s], pair in problem.forbids, pair in problem.conflicts
        ):
            found.append(f"({a}, {s}): {code}")
    for s, count in sorted(load.items()):
        if count > sups[s].capacity:
            found.append(f"{s}: {count} applications but capacity {sups[s].capacity}")
    pairs = {tuple(p) for p in assignment}
    found += [f"({a}, {s}): pin missing" for a, s in sorted(problem.pins) if (a, s) not in pairs]
    return found
