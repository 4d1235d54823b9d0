"""Command line: `python -m tyonohjaus_plugin.matching solve|check ...`."""

from __future__ import annotations

import argparse
import sys
import time

from tyonohjaus_plugin.matching.engine.feasibility import violations
from tyonohjaus_plugin.matching.engine.io import read_problem, read_result, write_result
from tyonohjaus_plugin.matching.engine.scoring import objective
from tyonohjaus_plugin.matching.engine.types import ProblemError


def _say(line: str) -> None:
    sys.stderr.write(line + "\n")


def _solve(args) -> int:
    start = time.perf_counter()
    from tyonohjaus_plugin.matching.engine.solver import (
        solve,  # OR-tools loads only for this subcommand
    )

    imported = time.perf_counter()
    problem = read_problem(args.problem)
    loaded = time.perf_counter()
    result = solve(problem)
    solved = time.perf_counter()
    write_result(result, args.output)
    written = time.perf_counter()
    stats = result.stats
    _say(
        f"{len(problem.applications)} applications, {len(problem.supervisors)} supervisors, "
        f"capacity {sum(s.capacity for s in problem.supervisors)}, "
        f"{stats['feasible_pairs']} feasible pairs, {len(problem.pins)} pins, "
        f"{len(problem.forbids)} forbids, {len(problem.conflicts)} conflicts, "
        f"{len(problem.keep)} kept"
    )
    _say(
        f"network: {stats['groups']} groups, {stats['arcs']} pair arcs, "
        f"optimal for all pairs after {stats['rounds']} round(s)"
    )
    phases = {
        "import": imported - start,
        "read": loaded - imported,
        **stats["phases"],
        "write": written - solved,
    }
    _say("phases: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in phases.items()))
    _say(f"solved in {solved - loaded:.2f} s: matched {result.matched}, score {result.score}")
    return 0


def _check(args) -> int:
    problem = read_problem(args.problem)
    result = read_result(args.result)
    assignment = [tuple(p) for p in result["assignment"]]
    found = violations(problem, assignment)
    valid = [
        (a, s)
        for a, s in assignment
        if not any(v.startswith(f"({a}, {s}): unknown") for v in found)
    ]
    matched, score = objective(problem, valid)
    claimed = result.get("objective", {})
    if (claimed.get("matched"), claimed.get("score")) != (matched, score):
        found.append(f"objective claimed {claimed} but recomputed matched {matched}, score {score}")
    for line in found:
        _say(f"violation: {line}")
    _say(f"{len(found)} violations; recomputed matched {matched}, score {score}")
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tyonohjaus_plugin.matching")
    commands = parser.add_subparsers(dest="command", required=True)
    solve_cmd = commands.add_parser("solve", help="solve PROBLEM.json into RESULT.json")
    solve_cmd.add_argument("problem")
    solve_cmd.add_argument("-o", "--output", required=True)
    solve_cmd.set_defaults(run=_solve)
    check_cmd = commands.add_parser("check", help="verify RESULT.json against PROBLEM.json")
    check_cmd.add_argument("problem")
    check_cmd.add_argument("result")
    check_cmd.set_defaults(run=_check)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ProblemError as exc:
        _say(f"error: {exc}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
