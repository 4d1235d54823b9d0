"""The plain-JSON problem and RESULT.json formats of /work/shared/matching/README.md."""

from __future__ import annotations

import json
from pathlib import Path

from tyonohjaus_plugin.matching.engine.explain import render
from tyonohjaus_plugin.matching.engine.types import (
    PREFERENCES,
    Application,
    Problem,
    ProblemError,
    Result,
    Supervisor,
    Weights,
)


def _preference(value) -> str:
    """The application's `pref`; missing (or null) means "any"."""
    if value is None:
        return "any"
    if value not in PREFERENCES:
        raise ValueError(f"pref must be one of {', '.join(PREFERENCES)}, not {value!r}")
    return value


def problem_from_dict(data: dict) -> Problem:
    try:
        w = data.get("weights", {})
        defaults = Weights()
        weights = Weights(
            theme_rank=tuple(int(x) for x in w.get("theme_rank", defaults.theme_rank)),
            named_rank=tuple(int(x) for x in w.get("named_rank", defaults.named_rank)),
            external_cost=int(w.get("external_cost", defaults.external_cost)),
            load_weight=int(w.get("load_weight", defaults.load_weight)),
            pref_match=int(w.get("pref_match", defaults.pref_match)),
            keep_bonus=int(w.get("keep_bonus", defaults.keep_bonus)),
        )
        apps = tuple(
            Application(
                id=str(a["id"]),
                kind=a["kind"],
                size=int(a.get("size", 1)),
                org_units=tuple(a.get("org_units", ())),
                langs=tuple(a["langs"]),
                themes=tuple(a.get("themes", ())),
                named=tuple(a.get("named", ())),
                lottery=float(a.get("lottery", 0.0)),
                pref=_preference(a.get("pref")),
            )
            for a in data["applications"]
        )
        sups = tuple(
            Supervisor(
                id=str(s["id"]),
                external=bool(s.get("external", False)),
                org_units=tuple(s.get("org_units", ())),
                langs=tuple(s["langs"]),
                formats=tuple(s["formats"]),
                capacity=int(s["capacity"]),
                themes=tuple(s.get("themes", ())),
            )
            for s in data["supervisors"]
        )
        pins, forbids, conflicts, keep = (
            frozenset((str(a), str(s)) for a, s in data.get(key, ()))
            for key in ("pins", "forbids", "conflicts", "keep")
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ProblemError(f"malformed problem: {exc!r}") from exc
    return Problem(apps, sups, weights, pins, forbids, conflicts, keep)


def read_problem(path: str | Path) -> Problem:
    return problem_from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def result_to_dict(result: Result) -> dict:
    return {
        "assignment": [list(pair) for pair in result.assignment],
        "objective": {"matched": result.matched, "score": result.score},
        "unmatched": [{"id": a, "reason": render(r)} for a, r in result.unmatched.items()],
        "explanations": {a: [render(r) for r in rs] for a, rs in result.explanations.items()},
    }


def write_result(result: Result, path: str | Path) -> None:
    text = json.dumps(result_to_dict(result), ensure_ascii=False, separators=(",", ":"))
    Path(path).write_text(text + "\n", encoding="utf-8")


def read_result(path: str | Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))
