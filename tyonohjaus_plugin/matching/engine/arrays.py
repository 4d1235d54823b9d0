"""A problem as numpy arrays: `feasibility` and `scoring` for many pairs at once.

A national round has ~30 M application-supervisor pairs, far too many for Python objects. A pair's
feasibility depends only on the application's (kind, languages, units) and its points only on its
ranked themes and supervisor preference; both have a few hundred distinct values per round, so
they are computed once per distinct value as small tables (`points_key` picks an application's
row), and a block of applications gathers its rows from them. What
is specific to one pair (named supervisors, kept pairs, forbids, conflicts) is a sparse correction.
The tests compare these arrays with the readable per-pair definitions.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from tyonohjaus_plugin.matching.engine.types import Problem, Weights

FORBIDDEN, CONFLICT = 1, 2  # codes in `Tables.excluded_kind`


def value_bound(w: Weights) -> int:
    """An upper bound on the absolute value of any `pair_value` under weights `w`."""
    named = max((abs(x) for x in w.named_rank), default=0)
    return (
        sum(abs(x) for x in w.theme_rank)
        + named
        + abs(w.external_cost)
        + abs(w.keep_bonus)
        + abs(w.pref_match)
    )


def _cross(
    table: np.ndarray,
    row_items: Iterable[Iterable[str]],
    col_items: Iterable[Iterable[str]],
) -> None:
    """Set table[r, c] where row r and column c share an item (sparse: one block per item)."""
    rows_of: dict[str, list[int]] = {}
    cols_of: dict[str, list[int]] = {}
    for r, items in enumerate(row_items):
        for item in set(items):
            rows_of.setdefault(item, []).append(r)
    for c, items in enumerate(col_items):
        for item in set(items):
            cols_of.setdefault(item, []).append(c)
    for item, rows in rows_of.items():
        if item in cols_of:
            table[np.ix_(rows, cols_of[item])] = True


class Tables:
    """Applications and supervisors sorted by id (so any input order gives the same arrays)."""

    def __init__(self, problem: Problem) -> None:
        w = problem.weights
        self.apps = sorted(problem.applications, key=lambda a: a.id)
        self.sups = sorted(problem.supervisors, key=lambda s: s.id)
        self.app_index = {a.id: i for i, a in enumerate(self.apps)}
        self.sup_index = {s.id: j for j, s in enumerate(self.sups)}
        n_sups = len(self.sups)
        self.capacity = np.array([s.capacity for s in self.sups], dtype=np.int64)

        # Hard constraints per distinct (kind, languages, units): speaks ⊇ takes ⊇ feasible.
        feas: dict[tuple, int] = {}
        self.feas_key = np.array(
            [
                feas.setdefault((a.kind, frozenset(a.langs), frozenset(a.org_units)), len(feas))
                for a in self.apps
            ],
            dtype=np.int64,
        )
        keys = list(feas)
        self.speaks = np.zeros((len(keys), n_sups), dtype=bool)
        _cross(self.speaks, (k[1] for k in keys), (s.langs for s in self.sups))
        fmt = np.zeros_like(self.speaks)
        _cross(fmt, ((k[0],) for k in keys), (s.formats for s in self.sups))
        own = np.zeros_like(self.speaks)
        _cross(own, (k[2] for k in keys), (s.org_units for s in self.sups))
        self.takes = self.speaks & fmt
        self.feasible = self.takes & ~own

        # Theme points, the preference bonus and minus the external cost per distinct (ranked
        # themes, preference) (`pair_value` without the named and keep bonuses): the preference
        # at most triples the few hundred theme tuples.
        ranks = len(w.theme_rank)
        themes: dict[tuple[tuple[str, ...], str], int] = {}
        self.points_key = np.array(
            [themes.setdefault((a.themes[:ranks], a.pref), len(themes)) for a in self.apps],
            dtype=np.int64,
        )
        covers = np.zeros((len(themes), n_sups), dtype=np.int64)
        vocabulary = sorted({t for s in self.sups for t in s.themes})
        has = np.zeros((len(vocabulary), n_sups), dtype=bool)
        _cross(has, ([t] for t in vocabulary), (s.themes for s in self.sups))
        row_of = {t: i for i, t in enumerate(vocabulary)}
        external = np.array([s.external for s in self.sups], dtype=bool)
        asked = {"internal": ~external, "external": external}
        for (tuple_, pref), k in themes.items():
            for rank, theme in enumerate(tuple_):
                if theme in row_of:
                    covers[k] += w.theme_rank[rank] * has[row_of[theme]]
            if pref in asked:
                covers[k] += w.pref_match * asked[pref]
        self.points = covers - w.external_cost * external

        # Sparse per-pair corrections, as (application, supervisor) index arrays.
        bonus: dict[tuple[int, int], int] = {}
        for i, a in enumerate(self.apps):
            for rank, sup_id in enumerate(a.named[: len(w.named_rank)]):
                j = self.sup_index.get(sup_id)
                # Only the first mention counts, as in `pair_preference`.
                if j is not None and a.named.index(sup_id) == rank:
                    bonus[i, j] = bonus.get((i, j), 0) + w.named_rank[rank]
        for pair in problem.keep:
            i, j = self.app_index.get(pair[0]), self.sup_index.get(pair[1])
            if i is not None and j is not None:
                bonus[i, j] = bonus.get((i, j), 0) + w.keep_bonus
        self.bonus_app, self.bonus_sup, self.bonus_value = self._sparse(bonus)
        excluded: dict[tuple[int, int], int] = {}
        for kind, pairs in ((FORBIDDEN, problem.forbids), (CONFLICT, problem.conflicts)):
            for a_id, s_id in pairs:
                i, j = self.app_index.get(a_id), self.sup_index.get(s_id)
                if i is not None and j is not None:
                    excluded[i, j] = excluded.get((i, j), 0) | kind
        self.excluded_app, self.excluded_sup, self.excluded_kind = self._sparse(excluded)

    @staticmethod
    def _sparse(entries: dict[tuple[int, int], int]) -> tuple[np.ndarray, ...]:
        items = sorted(entries.items())
        apps = np.array([i for (i, _), _ in items], dtype=np.int64)
        sups = np.array([j for (_, j), _ in items], dtype=np.int64)
        values = np.array([v for _, v in items], dtype=np.int64)
        return apps, sups, values

    def corrections(self) -> dict[int, tuple]:
        """Application index -> its sparse entries (supervisor, bonus or exclusion kind, which)."""
        out: dict[int, list] = {}
        for which, (apps, sups, values) in enumerate(
            (
                (self.bonus_app, self.bonus_sup, self.bonus_value),
                (self.excluded_app, self.excluded_sup, self.excluded_kind),
            )
        ):
            for i, j, v in zip(apps.tolist(), sups.tolist(), values.tolist(), strict=True):
                out.setdefault(i, []).append((which, j, v))
        return {i: tuple(entries) for i, entries in out.items()}

    def rows(self, apps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pair values and allowed-masks (feasible, not forbidden, no conflict) of applications
        `apps` (indices, no repeats) against every supervisor, as two len(apps) x n_sups arrays."""
        values = self.points[self.points_key[apps]]
        allowed = self.feasible[self.feas_key[apps]]
        at = np.full(len(self.apps), -1, dtype=np.int64)
        at[apps] = np.arange(len(apps))
        hit = at[self.bonus_app] >= 0
        values[at[self.bonus_app[hit]], self.bonus_sup[hit]] += self.bonus_value[hit]
        hit = at[self.excluded_app] >= 0
        allowed[at[self.excluded_app[hit]], self.excluded_sup[hit]] = False
        return values, allowed

    def allowed_pairs(self) -> int:
        """How many pairs are feasible and neither forbidden nor in conflict."""
        every = np.arange(len(self.apps))
        forbidden, conflicts = self.excluded_counts(every)
        per_key = self.feasible.sum(axis=1)
        return int(per_key[self.feas_key].sum() - forbidden.sum() - conflicts.sum())

    def excluded_counts(self, apps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per application in `apps`: how many otherwise feasible supervisors HR forbade, and how
        many a conflict of interest excludes (a pair that is both counts as a conflict)."""
        at = np.full(len(self.apps), -1, dtype=np.int64)
        at[apps] = np.arange(len(apps))
        pos = at[self.excluded_app]
        hit = (pos >= 0) & self.feasible[self.feas_key[self.excluded_app], self.excluded_sup]
        conflict = (self.excluded_kind & CONFLICT) > 0
        forbidden = np.bincount(pos[hit & ~conflict], minlength=len(apps))
        conflicts = np.bincount(pos[hit & conflict], minlength=len(apps))
        return forbidden, conflicts
