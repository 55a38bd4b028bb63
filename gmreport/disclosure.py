"""The disclosure audit of the staff figures, and the suppression it chooses (SPEC §3 ◆).

The audit works as statistical offices audit a set of tables (τ-ARGUS's audit): the
unknowns are how many of the agency's 應訓 people fall in each combination of 性別, staff
group, 主管, 性別業務承辦人, 年齡層 and 完訓 — the finest partition the tables are sums of.
Every published staff figure is a linear constraint on them: a count is a sum of
partition cells, a shown 完訓率 r bounds |完訓 − r·應訓| by the rounding of r, a shown
平均時數 beside its 總時數 bounds the 應訓 people, 「—」 for a rate says nobody. So every
identity between the tables (男 + 女 + 其他 = 合計, the groups and age bands that add up to
the agency, the same people in several tables, 0 ≤ 完訓 ≤ 應訓) holds without being listed.

A protected group is disclosed when its people, or those of them who completed, are pinned
to one value or confined to 1 … `min_cell` − 1. (That everyone, or no one, of a larger
group completed — a 100% the 考核 verdict states anyway — says the same of every part of
it; that is not a disclosure of the part.)

A protected group is a 性別 of a population the tables show with 1 to `min_cell` − 1 of
its people (or any population, when that 性別 has so few people in the whole agency: then
a shown 0 would tell where they are not). For each, its people and those of them who
completed are bounded by integer linear programming (HiGHS).

`protect` chooses what to hide: the protected groups' figures, the 合計 of each row that
shows one (so 男 and 女 stay comparable), then, with the audit in the loop, the cheapest
further figure that breaks a remaining disclosure, until the audit finds none.
"""

from __future__ import annotations

import functools
import itertools
import math
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import cast

import highspy
import numpy as np
from numpy.typing import NDArray

from .figures import Figures, YearFigures
from .format import SUPPRESSED
from .privacy import EVERYONE, Figure, Population, as_shown
from .privacy import _node as figure_at
from .schema import GENDER_KEYS

GENDERS = tuple(GENDER_KEYS.values())
CATEGORIES = ("civil_servants", "other_staff")
"""The staff groups that divide the agency's 應訓 people between them."""
RATE_ROUNDING = 0.0005  # a rate is shown to 0.1%
AVERAGE_ROUNDING = 0.005  # 平均時數 to 0.01
HOURS_ROUNDING = 0.05  # 總時數 to 0.1
Vector = NDArray[np.float64]
Bound = Callable[[Vector, float, float], None]
"""Adds a constraint: low ≤ vector · partition ≤ high."""


@dataclass(frozen=True)
class Group:
    """A protected group: the people of one 性別 in `population`, `size` of them."""

    population: Population
    gender: str
    size: int


@dataclass(frozen=True)
class Disclosure:
    """A protected group's figure (人數 or 完訓人數) that the published figures
    pin to one value or confine to 1 … min_cell − 1: its range, low to high."""

    group: Group
    what: str
    low: float
    high: float


@dataclass(frozen=True)
class Audit:
    """What the audit of one set of published staff figures found."""

    published: int
    """Staff figures shown."""
    hidden: int
    """Staff figures hidden."""
    hidden_large: int
    """Hidden counts and rates of `min_cell` or more people: the loss of information."""
    checked: int
    """Protected figures whose ranges were computed (two per protected group)."""
    disclosures: tuple[Disclosure, ...]


Published = Mapping[Figure, float | str | None]
"""Each staff figure of the tables with its value as shown (「*」 where hidden)."""


def staff_figures(figures: YearFigures) -> dict[str, Figure]:
    """Every staff figure the report and the statistics workbook show, by path."""
    from .tables import report_tables  # the tables are declared after this stage's inputs

    tables = report_tables(cast(Figures, {"history": {}, **figures}))
    return {f.path: f for t in tables for f in t.figures_at.values()}


def audit(figures: YearFigures, *, exact: bool = True) -> Audit:
    """The audit of the staff figures as the report and the statistics workbook publish
    them (`figures["suppressed"]` hidden), against the exact figures: by integer programs,
    or, not `exact`, by their linear relaxations (faster; what `protect` uses)."""
    shown = as_shown(figures)
    found = staff_figures(figures)
    published = {f: figure_at(shown, f.path.split(".")) for f in found.values()}
    min_cell = figures["privacy"]["min_cell"]
    groups = protected_groups(figures, found.values(), min_cell)
    model = _Model(published, min_cell, exact)
    disclosures = tuple(d for g in groups for d in model.disclosures(g))
    hidden = [f for f, v in published.items() if v == SUPPRESSED]
    return Audit(
        published=len(published) - len(hidden),
        hidden=len(hidden),
        hidden_large=sum(_people(figures, f) >= min_cell for f in hidden if _counted(f)),
        checked=2 * len(groups),
        disclosures=disclosures,
    )


def protect(figures: YearFigures) -> list[str]:
    """The paths of the staff figures to hide, in the order the tables show them: the
    protected groups' figures; then, until no sum has exactly one hidden term, the row's 合計
    (so that 男 and 女 stay comparable) or, down a column of rows that add up to the agency,
    the smallest other row; then, with the audit in the loop, the cheapest figure that breaks
    a disclosure the audit still finds (a rate, a 平均時數, the roster's counts)."""
    min_cell = figures["privacy"]["min_cell"]
    found = staff_figures(figures)
    groups = protected_groups(figures, found.values(), min_cell)
    if not groups:
        return []
    exact = {f: figure_at(figures, f.path.split(".")) for f in found.values()}
    cost = {f: _people(figures, f) for f in exact}
    hidden = _alike(exact, {f for f in exact for g in groups if _of(f, g)})
    hidden = _alike(exact, hidden | _complements(exact, hidden, cost))
    while True:
        model = _Model(_shown(exact, hidden), min_cell)
        disclosure = next((d for g in groups for d in model.disclosures(g)), None)
        if disclosure is None:
            return [f.path for f in found.values() if f in hidden]
        breaking = _breaking(exact, hidden, disclosure, cost, min_cell)
        if breaking is not None:
            hidden = _alike(exact, hidden | {breaking})
            continue
        # nothing of its row or the agency's row is left to hide: hide every figure about
        # people who may be of the group (a very small agency); if that is all, stop
        more = {f for f in exact if f not in hidden and _overlaps(f, disclosure.group)}
        more |= {
            f
            for f in exact
            if f not in hidden and f.measure not in ("required", "completed", "rate")
        }
        if not more:
            return [f.path for f in found.values() if f in hidden]
        hidden = _alike(exact, hidden | more)
        hidden = _alike(exact, hidden | _complements(exact, hidden, cost))


def _alike(exact: Iterable[Figure], hidden: set[Figure]) -> set[Figure]:
    """`hidden` and every figure that shows the same number as one of them (主管人員 in the
    groups' table and 主管 in the 交織分析; the agency's 應訓 in two tables)."""
    same = {(f.population, f.gender, f.measure) for f in hidden}
    return {f for f in exact if (f.population, f.gender, f.measure) in same}


def _complements(
    exact: Mapping[Figure, object], hidden: set[Figure], cost: Mapping[Figure, float]
) -> set[Figure]:
    """The figures to hide beside `hidden` so that no sum of counts has exactly one term
    hidden: a row's 男 + 女 + 其他 = 合計 (the 合計 goes first), and the rows of a table that
    divide the agency between them (the smallest other row goes)."""
    by_key = {(f.population, f.gender, f.measure): f for f in exact}
    sums = [
        [by_key.get((p, g, m)) for g in (*GENDERS, "total")]
        for p in {f.population for f in exact}
        for m in ("required", "completed")
    ]
    for parts in _divisions({f.population for f in exact}):
        for g in (*GENDERS, "total"):
            for m in ("required", "completed"):
                sums.append([*(by_key.get((p, g, m)) for p in parts), by_key.get((EVERYONE, g, m))])
    added: set[Figure] = set()
    changed = True
    while changed:
        changed = False
        for terms in sums:
            present = [f for f in terms if f is not None]
            if len(present) < len(terms):
                continue  # a sum the tables do not show whole
            gone = [f for f in present if f in hidden or f in added]
            if len(gone) == 1:
                last = present[-1]
                shown = [f for f in present if f not in gone]
                pick = (
                    last
                    if last in shown and last.gender == "total"
                    else min(
                        (f for f in shown if f is not last or last.gender == "total"),
                        key=lambda f: cost[f],
                    )
                )
                added.add(pick)
                changed = True
    return added


def _divisions(populations: set[Population]) -> list[list[Population]]:
    """The sets of rows that divide the agency between them: by staff group, by 年齡層,
    主管 and 非主管."""
    found = []
    for name in ("category", "supervisor", "gender_officer", "age"):
        parts = [
            p for p in populations if p != EVERYONE and p == Population(**{name: getattr(p, name)})
        ]
        values = {getattr(p, name) for p in parts}
        complete = name == "age" or values in ({True, False}, set(CATEGORIES))
        if parts and complete:
            found.append(sorted(parts, key=str))
    return found


def protected_groups(figures: YearFigures, found: Iterable[Figure], min_cell: int) -> list[Group]:
    """The groups the published figures must not single out (see the module's docstring)."""
    sizes = {
        (f.population, f.gender): _value(figures, f)
        for f in found
        if f.measure == "required" and f.gender in GENDERS
    }
    few = {g for g in GENDERS if 0 < sizes.get((EVERYONE, g), 0) < min_cell}
    return [
        Group(population, gender, size)
        for (population, gender), size in sizes.items()
        if gender in few or 0 < size < min_cell
    ]


def _breaking(
    exact: Mapping[Figure, float | str | None],
    hidden: set[Figure],
    disclosure: Disclosure,
    cost: Mapping[Figure, float],
    min_cell: int,
) -> Figure | None:
    """The cheapest shown figure whose hiding breaks `disclosure` (its group's figure is
    no longer pinned or confined): one of its row, or of the agency's row, that sums people
    who may be of the group. If no single one does, the cheapest of them; None if none is
    left."""
    group = disclosure.group
    rows = {group.population, EVERYONE}
    candidates = sorted(
        (f for f in exact if f not in hidden and f.population in rows and _overlaps(f, group)),
        key=lambda f: cost[f],
    )
    if not candidates:
        return None
    for candidate in candidates:
        model = _Model(_shown(exact, _alike(exact, hidden | {candidate})), min_cell)
        if not any(d.what == disclosure.what for d in model.disclosures(group)):
            return candidate
    return candidates[0]


def _shown(
    exact: Mapping[Figure, float | str | None], hidden: set[Figure]
) -> dict[Figure, float | str | None]:
    return {f: SUPPRESSED if f in hidden else v for f, v in exact.items()}


def _of(figure: Figure, group: Group) -> bool:
    return figure.population == group.population and figure.gender == group.gender


def _overlaps(figure: Figure, group: Group) -> bool:
    """Whether `figure` sums people who may be of `group`."""
    if figure.gender not in (group.gender, "total"):
        return False
    a, b = figure.population, group.population
    return all(
        x is None or y is None or x == y
        for x, y in (
            (a.category, b.category),
            (a.supervisor, b.supervisor),
            (a.gender_officer, b.gender_officer),
            (a.age, b.age),
        )
    )


def _counted(figure: Figure) -> bool:
    return figure.measure in ("required", "completed", "rate")


def _value(figures: YearFigures, figure: Figure) -> int:
    value = figure_at(figures, figure.path.split("."))
    return int(value) if isinstance(value, int | float) else 0


def _people(figures: YearFigures, figure: Figure) -> float:
    """How many people a figure is about: its row's 應訓 people of its 性別 (the count
    itself for the roster's rows)."""
    if figure.measure in ("roster", "short", "on_leave"):
        value = figure_at(figures, figure.path.split("."))
        return float(value) if isinstance(value, int | float) else 0.0
    prefix = figure.path.rsplit(".", 2 if _counted(figure) else 1)[0]
    value = figure_at(figures, [*prefix.split("."), "required", figure.gender])
    return float(value) if isinstance(value, int | float) else 0.0


class _Model:
    """The published figures as linear constraints on the partition of the agency's
    應訓 people (and, for the roster's rows, those not 應訓)."""

    def __init__(
        self, published: Mapping[Figure, float | str | None], min_cell: int, exact: bool = False
    ) -> None:
        self.min_cell, self.exact = min_cell, exact
        ages: list[str | None] = [
            *sorted({f.population.age for f in published if f.population.age})
        ] or [None]
        self.cells = list(
            itertools.product(
                GENDERS, CATEGORIES, (True, False), (True, False), ages, (True, False)
            )
        )
        self.size = len(self.cells) + 2  # and the roster's not 應訓: short service, on leave
        columns = list(zip(*self.cells, strict=True))
        self.dims = {
            name: np.array(values, dtype=object if name in ("gender", "category", "age") else bool)
            for name, values in zip(
                ("gender", "category", "supervisor", "gender_officer", "age", "completed"),
                columns,
                strict=True,
            )
        }
        rows: list[Vector] = []
        low: list[float] = []
        high: list[float] = []

        def bound(vector: Vector, lo: float, hi: float) -> None:
            rows.append(vector)
            low.append(lo)
            high.append(hi)

        by_row: dict[Population, dict[str, float | None]] = {}
        for f, value in published.items():
            if value == SUPPRESSED or isinstance(value, str):
                continue
            if f.measure in ("hours", "average_hours"):
                by_row.setdefault(f.population, {})[f.measure] = value
                continue
            people = self.people(f.population, f.gender)
            if f.measure == "required":
                bound(people, float(value or 0), float(value or 0))
            elif f.measure == "completed":
                done = self.people(f.population, f.gender, completed=True)
                bound(done, float(value or 0), float(value or 0))
            elif f.measure == "rate":
                self._rate(
                    bound, people, self.people(f.population, f.gender, completed=True), value
                )
            else:
                bound(self.roster(f.measure), float(value or 0), float(value or 0))
        for population, shown in by_row.items():
            if "average_hours" in shown and "hours" in shown:
                self._average(bound, self.people(population, "total"), shown)
        self.matrix = np.array(rows) if rows else np.zeros((0, self.size))
        self.low, self.high = np.array(low), np.array(high)
        self._highs: highspy.Highs | None = None
        self._columns = np.arange(self.size, dtype=np.int32)
        self._integer = np.full(self.size, highspy.HighsVarType.kInteger)
        self._continuous = np.full(self.size, highspy.HighsVarType.kContinuous)

    def people(self, population: Population, gender: str, completed: bool = False) -> Vector:
        """The partition cells summed by a count (of those who completed, if `completed`)."""
        d = self.dims
        mask = np.ones(len(self.cells), dtype=bool)
        if gender != "total":
            mask &= d["gender"] == gender
        for name in ("category", "supervisor", "gender_officer", "age"):
            wanted = getattr(population, name)
            if wanted is not None:
                mask &= d[name] == wanted
        if completed:
            mask &= d["completed"]
        return np.concatenate([mask.astype(float), np.zeros(2)])

    def roster(self, measure: str) -> Vector:
        vector = np.zeros(self.size)
        if measure in ("roster", "short"):
            vector[-2] = 1
        if measure in ("roster", "on_leave"):
            vector[-1] = 1
        if measure == "roster":
            vector[: len(self.cells)] = 1
        return vector

    @staticmethod
    def _rate(bound: Bound, people: Vector, done: Vector, rate: float | None) -> None:
        """A shown 完訓率: 「—」 says nobody; 100.0% that all completed; any other rate, that
        the 完訓 lie within its rounding, and (a rate short of 100% never reads 100.0%)
        that someone did not."""
        if rate is None:
            bound(people, 0, 0)
            return
        bound(people, 1, math.inf)
        if rate >= 1:
            bound(done - people, 0, 0)
            return
        bound(done - people, -math.inf, -1)
        bound(done - (rate - RATE_ROUNDING) * people, 0, math.inf)
        bound(done - (rate + RATE_ROUNDING) * people, -math.inf, 0)

    @staticmethod
    def _average(bound: Bound, people: Vector, shown: Mapping[str, float | None]) -> None:
        """A shown 平均時數 beside its 總時數: the 應訓 people are their quotient, within
        the rounding of both; 「—」 says nobody."""
        average, total = shown["average_hours"], shown["hours"] or 0.0
        if average is None:
            bound(people, 0, 0)
            return
        bound(people * (average + AVERAGE_ROUNDING), total - HOURS_ROUNDING, math.inf)
        if average > AVERAGE_ROUNDING:
            bound(people * (average - AVERAGE_ROUNDING), -math.inf, total + HOURS_ROUNDING)

    def disclosures(self, group: Group) -> list[Disclosure]:
        """The figures of `group` the constraints pin or confine to 1 … min_cell − 1."""
        people = self.people(group.population, group.gender)
        done = self.people(group.population, group.gender, completed=True)
        found = []
        for what, vector in (("人數", people), ("完訓人數", done)):
            high = self._extreme(vector, maximum=True)
            if high >= self.min_cell:
                low = self._extreme(vector, maximum=False) if high < math.inf else 0.0
                if low < high:
                    continue
            else:
                low = self._extreme(vector, maximum=False)
                if low < high and low < 1:
                    continue
            found.append(Disclosure(group, what, low, high))
        return found

    def _extreme(self, vector: Vector, *, maximum: bool) -> float:
        """The largest (or smallest) whole value of `vector` · partition the constraints
        allow: the linear program's optimum when it falls on whole numbers (then no whole
        solution does better), else, if `exact`, the integer program's, or the linear
        program's rounded inwards (a bound the whole solutions may fall short of)."""
        solver = self._solver()
        solver.changeColsCost(self.size, self._columns, -vector if maximum else vector)
        value = self._run(solver)
        if value is None:
            return math.inf if maximum else -math.inf
        if not self.exact:
            return float(math.floor(1e-6 - value) if maximum else math.ceil(value - 1e-6))
        x = np.array(solver.getSolution().col_value)
        if not np.allclose(x, np.round(x), atol=1e-7):
            solver.changeColsIntegrality(self.size, self._columns, self._integer)
            value = self._run(solver)
            solver.changeColsIntegrality(self.size, self._columns, self._continuous)
            assert value is not None  # bounded as a linear program, so as an integer one
        return round(-value if maximum else value, 6)

    def _run(self, solver: highspy.Highs) -> float | None:
        """The optimum of the solver's program, None if unbounded."""
        solver.run()
        status = solver.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"個資保護稽核無解（{solver.modelStatusToString(status)}）")
        return float(solver.getInfo().objective_function_value)

    def _solver(self) -> highspy.Highs:
        if self._highs is None:
            self._highs = _shared_solver()
            lp = highspy.HighsLp()
            lp.num_col_, lp.num_row_ = self.size, len(self.low)
            lp.col_cost_ = np.zeros(self.size)
            lp.col_lower_ = np.zeros(self.size)
            lp.col_upper_ = np.full(self.size, highspy.kHighsInf)
            lp.row_lower_ = np.where(np.isfinite(self.low), self.low, -highspy.kHighsInf)
            lp.row_upper_ = np.where(np.isfinite(self.high), self.high, highspy.kHighsInf)
            columns, rows = np.nonzero(self.matrix.T)  # by column, then row
            lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
            lp.a_matrix_.start_ = np.searchsorted(columns, np.arange(self.size + 1))
            lp.a_matrix_.index_ = rows
            lp.a_matrix_.value_ = self.matrix[rows, columns]
            self._highs.passModel(lp)
        return self._highs


@functools.cache
def _shared_solver() -> highspy.Highs:
    """A silent HiGHS: its greeting goes to the process's own output, below Python, when
    the solver is made, so that output is closed for the moment."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            solver = highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    solver.setOptionValue("output_flag", False)
    return solver
