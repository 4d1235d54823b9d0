"""Pure matching engine: assigns applications to supervisors with a proven optimum.

No Django imports here or below, so the engine runs from the command line, in tests and in a
worker without a database. The Django side maps its models onto `types` and back. `solve` is a
whole round (`solver`), `assign_one` one application between rounds (`single`).
"""

from tyonohjaus_plugin.matching.engine.single import assign_one
from tyonohjaus_plugin.matching.engine.types import (
    Application,
    Problem,
    ProblemError,
    Result,
    Supervisor,
    Weights,
)

__all__ = [
    "Application",
    "Problem",
    "ProblemError",
    "Result",
    "Supervisor",
    "Weights",
    "assign_one",
    "solve",
]


def solve(problem: Problem) -> Result:
    """Optimal assignment of `problem` (imported lazily: OR-tools is heavy to load)."""
    from tyonohjaus_plugin.matching.engine.solver import solve as _solve

    return _solve(problem)
