"""Matching engine against the full network and a naive greedy on generated rounds.

    .venv/bin/python benchmarks/matching.py                 # S and M
    .venv/bin/python benchmarks/matching.py --sizes S,M,L   # L: 20,000 persons (~70 s, 3 GB)

For each size: generate the problem with ``shared/matching/gen.py`` (seeded), run the engine's
``solve`` command, the straightforward full network (every allowed pair in one OR-tools min-cost
flow: the reference pipeline) and a greedy baseline in separate processes (so peak memory is each
one's own), check every result with the engine's ``check`` command, and print time, peak memory,
matched and score, the engine's ratio to the full network, and its network size and phase
timings. Engine and full network must agree (both are the proven optimum); the greedy shows what
a home-made pass loses.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT.parent / "shared" / "matching" / "gen.py"

GREEDY = r"""
import json, sys
from tyonohjaus_plugin.matching.engine.io import read_problem
from tyonohjaus_plugin.matching.engine.feasibility import is_feasible
from tyonohjaus_plugin.matching.engine.scoring import objective, pair_value

problem = read_problem(sys.argv[1])
left = {s.id: s.capacity for s in problem.supervisors}
forbids = problem.forbids
assignment = [list(pair) for pair in sorted(problem.pins)]
for a, s in problem.pins:
    left[s] -= 1
pinned = {a for a, _ in problem.pins}
# Arrival order; each application takes its best-scoring feasible supervisor with room.
for app in sorted(problem.applications, key=lambda a: a.lottery):
    if app.id in pinned:
        continue
    best = None
    for sup in problem.supervisors:
        if left[sup.id] <= 0 or (app.id, sup.id) in forbids or not is_feasible(app, sup):
            continue
        value = pair_value(app, sup, problem.weights)
        if best is None or value > best[0]:
            best = (value, sup.id)
    if best:
        left[best[1]] -= 1
        assignment.append([app.id, best[1]])
matched, score = objective(problem, [tuple(pair) for pair in assignment])
json.dump(
    {"assignment": assignment, "objective": {"matched": matched, "score": score}},
    open(sys.argv[2], "w"),
)
"""

# The straightforward pipeline the engine is measured against: the same arrays and OR-tools
# min-cost flow, but every allowed pair in one network (no grouping, no pruning).
FULL = r"""
import sys
from tyonohjaus_plugin.matching.engine.io import read_problem, write_result
from tyonohjaus_plugin.matching.engine.solver import solve

write_result(solve(read_problem(sys.argv[1]), candidates=None), sys.argv[2])
"""


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def run_measured(args: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds and peak RSS (MB) of one child process (``wait4`` gives its own rusage)."""
    started = time.perf_counter()
    # The commands write their results to files and their summaries to stderr only.
    child = subprocess.Popen(
        args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    stdout, stderr = "", child.stderr.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        sys.stderr.write(stderr)
        raise SystemExit(f"{' '.join(args[:4])} failed with {child.returncode}")
    return seconds, usage.ru_maxrss / 1024, subprocess.CompletedProcess(args, 0, stdout, stderr)


def objective(problem_path: Path, result_path: Path) -> dict:
    """Verify a result with the engine's own checker (0 violations, objective as claimed)."""
    command = ["-m", "tyonohjaus_plugin.matching", "check", str(problem_path), str(result_path)]
    _, _, done = run_measured([sys.executable, *command])
    found = re.search(r"0 violations; recomputed matched (\d+), score (-?\d+)", done.stderr)
    if not found:
        raise SystemExit(f"{result_path.name}: {done.stderr.strip()}")
    return {"matched": int(found[1]), "score": int(found[2])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    python = sys.version.split()[0]
    out(f"== Matching: engine vs full network vs greedy == {os.cpu_count()} CPUs, Python {python}")
    out(f"{'size':<5}{'solver':<8}{'seconds':>9}{'peak MB':>9}{'matched':>9}{'score':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes.split(","):
            problem = Path(tmp, f"{size}.json")
            subprocess.run(
                [
                    sys.executable,
                    str(GENERATOR),
                    size,
                    "--seed",
                    str(args.seed),
                    "-o",
                    str(problem),
                ],
                check=True,
                capture_output=True,
            )
            rows, summary = {}, ""
            for name, command in (
                ("engine", ["-m", "tyonohjaus_plugin.matching", "solve", str(problem), "-o"]),
                ("full", ["-c", FULL, str(problem)]),
                ("greedy", ["-c", GREEDY, str(problem)]),
            ):
                result = Path(tmp, f"{size}-{name}.json")
                seconds, peak, done = run_measured([sys.executable, *command, str(result)])
                rows[name] = (seconds, peak, objective(problem, result))
                if name == "engine":
                    summary = done.stderr
            for name, (seconds, peak, found) in rows.items():
                out(
                    f"{size:<5}{name:<8}{seconds:>9.2f}{peak:>9.0f}"
                    f"{found['matched']:>9}{found['score']:>9}"
                )
            engine, greedy = rows["engine"][2], rows["greedy"][2]
            if rows["full"][2] != engine:
                raise SystemExit(f"{size}: pruned and full networks disagree on the optimum")
            out(
                f"{size:<5}engine vs full network: x{rows['engine'][0] / rows['full'][0]:.2f} "
                f"time, x{rows['engine'][1] / rows['full'][1]:.2f} peak memory, same optimum"
            )
            if (greedy["matched"], greedy["score"]) > (engine["matched"], engine["score"]):
                raise SystemExit(f"{size}: the greedy beat the engine, which claims an optimum")
            lost = 100 * (engine["score"] - greedy["score"]) / max(engine["score"], 1)
            out(
                f"{size:<5}greedy loses {engine['matched'] - greedy['matched']} matches and "
                f"{lost:.1f} % of the score"
            )
            # The engine's own summary: sizes, network, and where its time went.
            for line in summary.splitlines():
                if line.startswith(("network:", "phases:")):
                    out(f"{size:<5}engine {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
