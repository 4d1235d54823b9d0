"""Why each pair was matched and why each unmatched application stayed unmatched.

Reasons are codes with named parameters so the Django side can translate them; `render` gives
the English text used by the command line and RESULT.json.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from tyonohjaus_plugin.matching.engine.scoring import load_penalty, preference_met
from tyonohjaus_plugin.matching.engine.types import Application, Problem, Reason, Supervisor

if TYPE_CHECKING:
    from tyonohjaus_plugin.matching.engine.arrays import Tables

MESSAGES = {
    # why a pair was matched
    "pinned": "pinned by HR",
    "kept": "kept from the previous proposal",
    "shares_language": "shares {lang}",
    "takes_format": "takes {kind} supervision",
    "outside_own_units": "not from the applicant's own units",
    "covers_theme": "covers {nth} theme '{theme}'",
    "named": "named {nth}",
    "asked_internal": "the applicant asked for an internal supervisor",
    "asked_external": "the applicant asked for an external supervisor",
    "internal": "internal supervisor",
    "external": "external supervisor (cost {cost})",
    "load": "place {k} of {capacity} (load penalty {penalty})",
    # why an application stayed unmatched
    "no_supervisors": "the round has no supervisors",
    "no_shared_language": "no supervisor shares a language ({langs})",
    "no_format": "no supervisor sharing a language takes {kind} supervision",
    "own_unit_only": "every supervisor who shares a language and takes {kind} supervision is "
    "from the applicant's own units ({units})",
    "forbidden_by_hr": "HR forbade all {count} otherwise suitable supervisors",
    "conflict_of_interest": "all {count} otherwise suitable supervisors have a conflict of "
    "interest",
    "excluded": "every otherwise suitable supervisor is excluded: {forbidden} forbidden by HR, "
    "{conflicts} with a conflict of interest",
    "all_full": "all {count} suitable supervisors are full",
}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def render(reason: Reason) -> str:
    code, params = reason
    shown = {k: ", ".join(v) if isinstance(v, tuple | list) else v for k, v in params.items()}
    if "rank" in params:
        shown["nth"] = _ordinal(params["rank"])
    return MESSAGES[code].format(**shown)


def pair_reasons(problem: Problem, app: Application, sup: Supervisor, k: int) -> tuple[Reason, ...]:
    """Why `app` may have `sup` and what the pair scores as the supervisor's k-th application."""
    w = problem.weights
    pair = (app.id, sup.id)
    reasons: list[Reason] = []
    if pair in problem.pins:
        reasons.append(("pinned", {}))
    if pair in problem.keep:
        reasons.append(("kept", {}))
    reasons += [("shares_language", {"lang": lang}) for lang in app.langs if lang in sup.langs]
    reasons.append(("takes_format", {"kind": app.kind}))
    reasons.append(("outside_own_units", {}))
    reasons += [
        ("covers_theme", {"theme": theme, "rank": r})
        for r, theme in enumerate(app.themes, start=1)
        if theme in sup.themes
    ]
    if sup.id in app.named:
        reasons.append(("named", {"rank": app.named.index(sup.id) + 1}))
    if preference_met(app, sup):
        reasons.append((f"asked_{app.pref}", {}))
    reasons.append(("external", {"cost": w.external_cost}) if sup.external else ("internal", {}))
    penalty = load_penalty(k, sup.capacity, w)
    reasons.append(("load", {"k": k, "capacity": sup.capacity, "penalty": penalty}))
    return tuple(reasons)


def pair_explanations(
    problem: Problem, assignment: Iterable[tuple[str, str]]
) -> dict[str, tuple[Reason, ...]]:
    """For each matched application, the reasons its pair is allowed and what it scores."""
    apps = {a.id: a for a in problem.applications}
    sups = {s.id: s for s in problem.supervisors}
    by_sup: dict[str, list[str]] = {}
    for a, s in assignment:
        by_sup.setdefault(s, []).append(a)
    out: dict[str, tuple[Reason, ...]] = {}
    for sup_id in sorted(by_sup):
        # Which application is "the k-th" is arbitrary; pins first, then arrival order.
        order = sorted(
            by_sup[sup_id],
            key=lambda a: ((a, sup_id) not in problem.pins, apps[a].lottery, a),
        )
        for k, app_id in enumerate(order, start=1):
            out[app_id] = pair_reasons(problem, apps[app_id], sups[sup_id], k)
    return dict(sorted(out.items()))


def _first_filter(
    app: Application,
    n_sups: int,
    speaking: int,
    taking: int,
    other_unit: int,
    forbidden: int,
    conflicts: int,
) -> Reason:
    """The reason from the counts of supervisors left after each filter (`taking` of those who
    speak, ...; `forbidden` and `conflicts` among `other_unit`, a pair in both is a conflict)."""
    if not n_sups:
        return ("no_supervisors", {})
    if not speaking:
        return ("no_shared_language", {"langs": app.langs})
    if not taking:
        return ("no_format", {"kind": app.kind})
    if not other_unit:
        return ("own_unit_only", {"kind": app.kind, "units": app.org_units})
    if forbidden + conflicts == other_unit:
        if not conflicts:
            return ("forbidden_by_hr", {"count": forbidden})
        if not forbidden:
            return ("conflict_of_interest", {"count": conflicts})
        return ("excluded", {"forbidden": forbidden, "conflicts": conflicts})
    # Suitable supervisors exist: the optimum matches as many as possible, so they are full.
    return ("all_full", {"count": other_unit - forbidden - conflicts})


def unmatched_reason(problem: Problem, app: Application) -> Reason:
    """Why `app` has no supervisor, supposing every suitable one is full (one application; the
    readable definition that `unmatched_reasons` vectorises)."""
    speaking = [s for s in problem.supervisors if set(app.langs) & set(s.langs)]
    taking = [s for s in speaking if app.kind in s.formats]
    other_unit = [s for s in taking if not set(app.org_units) & set(s.org_units)]
    conflicts = sum((app.id, s.id) in problem.conflicts for s in other_unit)
    forbidden = sum(
        (app.id, s.id) in problem.forbids and (app.id, s.id) not in problem.conflicts
        for s in other_unit
    )
    return _first_filter(
        app,
        len(problem.supervisors),
        len(speaking),
        len(taking),
        len(other_unit),
        forbidden,
        conflicts,
    )


def unmatched_reasons(
    problem: Problem, assignment: Iterable[tuple[str, str]], tables: Tables | None = None
) -> Mapping[str, Reason]:
    """For each unmatched application (by id), the first filter that left it no supervisor.

    Counted over arrays (`tables`: an `arrays.Tables` of the problem, built if not given), since a
    national round has thousands of unmatched applications and thousands of supervisors.
    """
    # Imported here so that `render` (used by `check` and the Django side) needs no numpy.
    import numpy as np

    from tyonohjaus_plugin.matching.engine.arrays import Tables

    tables = tables or Tables(problem)
    matched = {a for a, _ in assignment}
    left = np.array([i for i, a in enumerate(tables.apps) if a.id not in matched], dtype=np.int64)
    keys = tables.feas_key[left]
    speaking = tables.speaks.sum(axis=1)[keys].tolist()
    taking = tables.takes.sum(axis=1)[keys].tolist()
    other_unit = tables.feasible.sum(axis=1)[keys].tolist()
    forbidden, conflicts = (c.tolist() for c in tables.excluded_counts(left))
    n_sups = len(tables.sups)
    return {
        tables.apps[i].id: _first_filter(tables.apps[i], n_sups, *counts)
        for i, *counts in zip(
            left.tolist(), speaking, taking, other_unit, forbidden, conflicts, strict=True
        )
    }
