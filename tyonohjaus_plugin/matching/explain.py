"""Why each pair was matched and why each unmatched application stayed unmatched.

Reasons are codes with named parameters so the Django side can translate them; `render` gives
the English text used by the command line and RESULT.json.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .feasibility import is_feasible
from .scoring import load_penalty
from .types import Problem, Reason

MESSAGES = {
    # why a pair was matched
    "pinned": "pinned by HR",
    "shares_language": "shares {lang}",
    "takes_format": "takes {kind} supervision",
    "outside_own_units": "not from the applicant's own units",
    "covers_theme": "covers {nth} theme '{theme}'",
    "named": "named {nth}",
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


def pair_explanations(
    problem: Problem, assignment: Iterable[tuple[str, str]]
) -> dict[str, tuple[Reason, ...]]:
    """For each matched application, the reasons its pair is allowed and what it scores."""
    apps = {a.id: a for a in problem.applications}
    sups = {s.id: s for s in problem.supervisors}
    w = problem.weights
    by_sup: dict[str, list[str]] = {}
    for a, s in assignment:
        by_sup.setdefault(s, []).append(a)
    out: dict[str, tuple[Reason, ...]] = {}
    for sup_id in sorted(by_sup):
        sup = sups[sup_id]
        # Which application is "the k-th" is arbitrary; pins first, then arrival order.
        order = sorted(
            by_sup[sup_id],
            key=lambda a: ((a, sup_id) not in problem.pins, apps[a].lottery, a),
        )
        for k, app_id in enumerate(order, start=1):
            app = apps[app_id]
            reasons: list[Reason] = []
            if (app_id, sup_id) in problem.pins:
                reasons.append(("pinned", {}))
            reasons += [
                ("shares_language", {"lang": lang}) for lang in app.langs if lang in sup.langs
            ]
            reasons.append(("takes_format", {"kind": app.kind}))
            reasons.append(("outside_own_units", {}))
            reasons += [
                ("covers_theme", {"theme": theme, "rank": r})
                for r, theme in enumerate(app.themes, start=1)
                if theme in sup.themes
            ]
            if sup_id in app.named:
                reasons.append(("named", {"rank": app.named.index(sup_id) + 1}))
            reasons.append(
                ("external", {"cost": w.external_cost}) if sup.external else ("internal", {})
            )
            penalty = load_penalty(k, sup.capacity, w)
            reasons.append(("load", {"k": k, "capacity": sup.capacity, "penalty": penalty}))
            out[app_id] = tuple(reasons)
    return dict(sorted(out.items()))


def unmatched_reasons(
    problem: Problem, assignment: Iterable[tuple[str, str]]
) -> Mapping[str, Reason]:
    """For each unmatched application, the first filter that left it no supervisor.

    If suitable supervisors exist they are all full: the optimum matches as many as possible, so a
    free suitable place would have been used.
    """
    matched = {a for a, _ in assignment}
    sups = sorted(problem.supervisors, key=lambda s: s.id)
    out: dict[str, Reason] = {}
    for app in sorted(problem.applications, key=lambda a: a.id):
        if app.id in matched:
            continue
        if not sups:
            out[app.id] = ("no_supervisors", {})
            continue
        speaking = [s for s in sups if set(app.langs) & set(s.langs)]
        taking = [s for s in speaking if app.kind in s.formats]
        other_unit = [s for s in taking if not set(app.org_units) & set(s.org_units)]
        allowed = [s for s in other_unit if is_feasible(app, s, (app.id, s.id) in problem.forbids)]
        if not speaking:
            out[app.id] = ("no_shared_language", {"langs": app.langs})
        elif not taking:
            out[app.id] = ("no_format", {"kind": app.kind})
        elif not other_unit:
            out[app.id] = ("own_unit_only", {"kind": app.kind, "units": app.org_units})
        elif not allowed:
            out[app.id] = ("forbidden_by_hr", {"count": len(other_unit)})
        else:
            out[app.id] = ("all_full", {"count": len(allowed)})
    return out
