"""The pure matching engine: optimality against brute force, hard constraints, CLI. No database."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tyonohjaus_plugin.matching import (
    Application,
    Problem,
    ProblemError,
    Supervisor,
    Weights,
    solve,
)
from tyonohjaus_plugin.matching.explain import MESSAGES, render
from tyonohjaus_plugin.matching.feasibility import is_feasible, violations
from tyonohjaus_plugin.matching.io import problem_from_dict, result_to_dict
from tyonohjaus_plugin.matching.scoring import load_penalty, objective

GEN = Path("/work/shared/matching/gen.py")
KINDS = ("individual", "group", "team")
LANGS = ("fi", "sv", "en")
UNITS = ("U1", "U2", "U3")
THEMES = ("change", "career", "conflict", "leadership")


def app(id, kind="individual", units=("U1",), langs=("fi",), themes=(), named=(), lottery=0.5):
    return Application(
        id, kind, 1, tuple(units), tuple(langs), tuple(themes), tuple(named), lottery
    )


def sup(id, capacity=1, external=False, units=("U2",), langs=("fi",), formats=KINDS, themes=()):
    return Supervisor(id, external, tuple(units), tuple(langs), tuple(formats), capacity, themes)


def subsets(items, min_size=0):
    return st.lists(st.sampled_from(items), min_size=min_size, max_size=len(items), unique=True)


@st.composite
def problems(draw):
    n_apps = draw(st.integers(0, 6))
    n_sups = draw(st.integers(0, 3))
    apps = tuple(
        Application(
            id=f"a{i}",
            kind=draw(st.sampled_from(KINDS)),
            size=1,
            org_units=tuple(draw(subsets(UNITS, 1))),
            langs=tuple(draw(subsets(LANGS, 1))),
            themes=tuple(draw(subsets(THEMES))),
            named=tuple(draw(subsets([f"s{j}" for j in range(n_sups)] or ["s9"]))),
            lottery=draw(st.floats(0, 1)),
        )
        for i in range(n_apps)
    )
    sups = tuple(
        Supervisor(
            id=f"s{j}",
            external=draw(st.booleans()),
            org_units=tuple(draw(subsets(UNITS))),
            langs=tuple(draw(subsets(LANGS, 1))),
            formats=tuple(draw(subsets(KINDS, 1))),
            capacity=draw(st.integers(0, 2)),
            themes=tuple(draw(subsets(THEMES))),
        )
        for j in range(n_sups)
    )
    weights = Weights(
        theme_rank=tuple(draw(st.lists(st.integers(0, 40), min_size=1, max_size=3))),
        named_rank=tuple(draw(st.lists(st.integers(0, 60), min_size=0, max_size=3))),
        external_cost=draw(st.integers(0, 40)),
        load_weight=draw(st.integers(0, 30)),
    )
    pairs = [(a.id, s.id) for a in apps for s in sups]
    forbids = (
        frozenset(draw(st.lists(st.sampled_from(pairs), max_size=3))) if pairs else frozenset()
    )
    # Pins must be satisfiable: feasible, not forbidden, one per application, within capacity.
    pins, room = set(), {s.id: s.capacity for s in sups}
    for a in apps:
        for s in sups:
            ok = is_feasible(a, s, (a.id, s.id) in forbids) and room[s.id] > 0
            if ok and draw(st.integers(0, 5)) == 0:
                pins.add((a.id, s.id))
                room[s.id] -= 1
                break
    return Problem(apps, sups, weights, frozenset(pins), forbids)


def brute_force(problem):
    """Best (matched, score) over every assignment that meets the hard constraints."""
    apps, sups = problem.applications, problem.supervisors
    pinned = dict(problem.pins)
    options = [
        [pinned[a.id]]
        if a.id in pinned
        else [None] + [s.id for s in sups if is_feasible(a, s, (a.id, s.id) in problem.forbids)]
        for a in apps
    ]
    room = {s.id: s.capacity for s in sups}
    best = (0, float("-inf"))
    chosen = []

    def walk(i):
        nonlocal best
        if i == len(apps):
            best = max(best, objective(problem, chosen))
            return
        for s in options[i]:
            if s is None:
                walk(i + 1)
            elif room[s] > 0:
                room[s] -= 1
                chosen.append((apps[i].id, s))
                walk(i + 1)
                chosen.pop()
                room[s] += 1

    walk(0)
    return best


@settings(max_examples=150, deadline=None)
@given(problems())
def test_solver_is_optimal_valid_and_explained(problem):
    result = solve(problem)
    assert violations(problem, result.assignment) == []
    assert set(problem.pins) <= set(result.assignment)
    assert not set(problem.forbids) & set(result.assignment)
    assert (result.matched, result.score) == objective(problem, result.assignment)
    assert (result.matched, result.score) == brute_force(problem)
    matched = {a for a, _ in result.assignment}
    assert set(result.explanations) == matched
    assert set(result.unmatched) == {a.id for a in problem.applications} - matched
    for reasons in [*result.explanations.values(), *([r] for r in result.unmatched.values())]:
        assert reasons and all(render(r) for r in reasons)
    # Same input, in any order, gives the same output.
    shuffled = Problem(
        problem.applications[::-1],
        problem.supervisors[::-1],
        problem.weights,
        problem.pins,
        problem.forbids,
    )
    assert solve(shuffled) == result


def test_load_penalty_is_nondecreasing_and_matches_formula():
    w = Weights(load_weight=20)
    for c in range(1, 9):
        penalties = [load_penalty(k, c, w) for k in range(1, c + 1)]
        assert penalties == [20 * (k - 1) // c for k in range(1, c + 1)]
        assert penalties == sorted(penalties)


def test_load_spreads_relative_to_capacity():
    # Two equal applications, two equal supervisors of capacity 2: one each (penalty 0 + 0)
    # beats both on one supervisor (0 + 10).
    problem = Problem((app("a1"), app("a2")), (sup("s1", 2), sup("s2", 2)), Weights(load_weight=20))
    result = solve(problem)
    assert {s for _, s in result.assignment} == {"s1", "s2"}
    assert result.score == 0


def test_matching_more_beats_a_higher_score():
    # a1 could get a named supervisor worth 50, but only giving s1 to a2 lets both match.
    problem = Problem(
        (app("a1", named=("s1",)), app("a2", langs=("sv",))),
        (sup("s1", 1, langs=("fi", "sv")), sup("s2", 1, langs=("fi",))),
    )
    result = solve(problem)
    assert result.matched == 2
    assert set(result.assignment) == {("a1", "s2"), ("a2", "s1")}


def test_pin_keeps_the_load_penalty_exact():
    w = Weights(load_weight=20)
    problem = Problem((app("a1"), app("a2")), (sup("s1", 2),), w, pins=frozenset({("a2", "s1")}))
    result = solve(problem)
    assert result.assignment == (("a1", "s1"), ("a2", "s1"))
    assert result.score == 0 - 10
    assert ("pinned", {}) in result.explanations["a2"]
    loads = {dict(r[1])["k"] for rs in result.explanations.values() for r in rs if r[0] == "load"}
    assert loads == {1, 2}


def test_forbid_drops_the_pair():
    problem = Problem((app("a1"),), (sup("s1"),), forbids=frozenset({("a1", "s1")}))
    result = solve(problem)
    assert result.matched == 0
    assert result.unmatched["a1"][0] == "forbidden_by_hr"


def test_empty_round():
    result = solve(Problem((), ()))
    assert (result.assignment, result.matched, result.score) == ((), 0, 0)
    assert result.unmatched == {} and result.explanations == {}


def test_zero_capacity_supervisors():
    result = solve(Problem((app("a1"), app("a2")), (sup("s1", 0), sup("s2", 0))))
    assert result.matched == 0
    assert result.unmatched == {
        "a1": ("all_full", {"count": 2}),
        "a2": ("all_full", {"count": 2}),
    }


@pytest.mark.parametrize(
    ("application", "supervisors", "code"),
    [
        (app("a1"), (), "no_supervisors"),
        (app("a1", langs=("sv",)), (sup("s1"),), "no_shared_language"),
        (app("a1", kind="team"), (sup("s1", formats=("individual",)),), "no_format"),
        (app("a1", units=("U2",)), (sup("s1", units=("U2",)),), "own_unit_only"),
    ],
)
def test_no_feasible_supervisor_says_why(application, supervisors, code):
    result = solve(Problem((application,), supervisors))
    assert result.matched == 0
    assert result.unmatched["a1"][0] == code
    assert render(result.unmatched["a1"])


@pytest.mark.parametrize(
    ("pins", "message"),
    [
        ({("a1", "s9")}, "unknown id"),
        ({("a1", "s1"), ("a1", "s2")}, "more than one"),
        ({("a1", "s3")}, "own_unit"),
        ({("a1", "s1"), ("a2", "s1")}, "capacity"),
    ],
)
def test_impossible_pins_are_rejected(pins, message):
    sups = (sup("s1"), sup("s2"), sup("s3", units=("U1",)))
    with pytest.raises(ProblemError, match=message):
        solve(Problem((app("a1"), app("a2")), sups, pins=frozenset(pins)))


def test_every_message_renders():
    params = {"lang": "fi", "langs": ("fi",), "kind": "team", "theme": "x", "rank": 2, "k": 1}
    params |= {"capacity": 2, "penalty": 0, "cost": 25, "units": ("U1",), "count": 3}
    for code in MESSAGES:
        assert render((code, params))
    assert render(("covers_theme", {"theme": "change", "rank": 1})) == "covers 1st theme 'change'"


def test_engine_imports_without_django():
    code = (
        "import sys, tyonohjaus_plugin.matching.solver, tyonohjaus_plugin.matching.__main__; "
        "assert not [m for m in sys.modules if m.split('.')[0] in ('django', 'wagtail')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent.parent)


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "tyonohjaus_plugin.matching", *args],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )


@pytest.mark.skipif(not GEN.exists(), reason="needs the shared generator")
@pytest.mark.parametrize("overrides", [False, True])
def test_cli_on_generated_round(tmp_path, overrides):
    problem_path, result_path = tmp_path / "S.json", tmp_path / "RESULT.json"
    gen = [sys.executable, str(GEN), "S", "-o", str(problem_path)]
    subprocess.run(gen + (["--overrides"] if overrides else []), check=True, capture_output=True)

    solved = run_cli("solve", str(problem_path), "-o", str(result_path))
    assert solved.returncode == 0, solved.stderr
    printed = re.search(r"matched (\d+), score (-?\d+)", solved.stderr)
    checked = run_cli("check", str(problem_path), str(result_path))
    assert checked.returncode == 0, checked.stderr
    assert "0 violations" in checked.stderr
    recomputed = re.search(r"recomputed matched (\d+), score (-?\d+)", checked.stderr)
    assert printed.groups() == recomputed.groups()

    data = json.loads(problem_path.read_text())
    result = json.loads(result_path.read_text())
    assert set(result) == {"assignment", "objective", "unmatched", "explanations"}
    pairs = {tuple(p) for p in result["assignment"]}
    assert {tuple(p) for p in data["pins"]} <= pairs
    assert not {tuple(p) for p in data["forbids"]} & pairs
    matched = {a for a, _ in pairs}
    assert set(result["explanations"]) == matched
    assert all(result["explanations"][a] for a in matched)
    assert {u["id"] for u in result["unmatched"]} == {
        a["id"] for a in data["applications"]
    } - matched
    assert all(u["reason"] for u in result["unmatched"])
    assert result_to_dict(solve(problem_from_dict(data))) == result


def test_check_reports_violations(tmp_path):
    problem = {
        "applications": [{"id": "a1", "kind": "individual", "org_units": ["U1"], "langs": ["fi"]}],
        "supervisors": [
            {
                "id": "s1",
                "org_units": ["U1"],
                "langs": ["fi"],
                "formats": ["individual"],
                "capacity": 1,
            }
        ],
    }
    bad = {"assignment": [["a1", "s1"]], "objective": {"matched": 1, "score": 0}}
    (tmp_path / "p.json").write_text(json.dumps(problem))
    (tmp_path / "r.json").write_text(json.dumps(bad))
    checked = run_cli("check", str(tmp_path / "p.json"), str(tmp_path / "r.json"))
    assert checked.returncode == 1
    assert "own_unit" in checked.stderr
