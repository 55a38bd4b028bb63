"""The disclosure audit of the staff figures, and the suppression it chooses (SPEC §3 ◆).

The audit works as statistical offices audit a set of tables (τ-ARGUS's audit): the
unknowns are how many of the agency's 應訓 people fall in each combination of 性別, staff
group, 主管, 性別業務承辦人, 年齡層 and 完訓 — the finest partition the tables are sums of.
Every published staff figure is a linear constraint on them: a count is a sum of
partition cells, a shown 完訓率 r bounds |完訓 − r·應訓| by the rounding of r, a shown
平均時數 beside its 總時數 bounds the 應訓 people, 「—」 for a rate says nobody. So every
identity between the tables (男 + 女 + 其他 = 合計, the groups and age bands that add up to
the agency, the same people in several tables, 0 ≤ 完訓 ≤ 應訓) holds without being listed.

A protected group is a 性別 of a population the tables show with 1 to `min_cell` − 1 of
its people (or any population, when that 性別 has so few people in the whole agency: then
a shown 0 would tell where they are not). It is disclosed when the published figures —
and the 考核 verdicts on 完訓率, published too — allow its people, or those of them who
completed, only one whole value, or only values in 1 … `min_cell` − 1; or tell that some of
them did not complete, or that all did: decided by whole-number solutions (integer
programs, HiGHS), the linear relaxation answering first where it can; a verdict missed by
one of several groups is read branch by branch, one group's shortfall in each. (That everyone, or
no one, of a larger group completed — a 100%, a verdict met — says the same of every part
of it; that is not a disclosure of the part.)

`protect` chooses what to hide: the protected groups' figures; the 合計 of each row that
shows one (so 男 and 女 stay comparable) and, down rows that add up to the agency, the
smallest other row, until no sum has one term hidden; the 平均時數 of a row whose 合計 is
hidden, and the roster's count beside the agency's; then, with the audit in the loop, the
cheapest further figure that breaks a disclosure the audit still finds.

The 性別統計指標 rows are counts units typed, each a population of its own (the office's
staff, the public of a 里): a row is audited alone, 男 + 女 + 其他 = 合計 and its shown
女性比例 constraining its four counts (`_listed`); `protect` hides what
`privacy.indicator_cells` chooses for them.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import math
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, cast

import highspy
import numpy as np
from numpy.typing import NDArray

from .figures import Figures, YearFigures
from .format import shown_rate
from .privacy import EVERYONE, Figure, Measure, Population, figure_at, indicator_cells
from .privacy import hidden as is_hidden
from .schema import GENDER_KEYS

GENDERS = tuple(GENDER_KEYS.values())
GENDER_COUNTS = (*GENDERS, "total")
CATEGORIES = ("civil_servants", "other_staff")
"""The staff groups that divide the agency's 應訓 people between them."""
ATTRIBUTES = ("category", "supervisor", "gender_officer", "age")
"""The attributes of a `Population`, which the staff tables cross with 性別."""
AVERAGE_ROUNDING = 0.005  # 平均時數 to 0.01
HOURS_ROUNDING = 0.05  # 總時數 to 0.1
MAX_PASSES = 4
"""Passes of `protect` over the groups (see there)."""
MAX_TRIALS = 60
"""Figures `_breaking` tries one by one before it falls back on the cheapest of the row."""
Vector = NDArray[np.float64]
Row = tuple[Vector | Sequence[float], float, float]
"""A constraint low ≤ vector · x ≤ high: vector, low, high."""
Values = Mapping[Figure, float | str | None]
"""Each staff figure of the tables with its exact value."""
Verdicts = Sequence[tuple[Sequence[Population], float, bool]]
"""The published 考核 verdicts on 完訓率: the groups judged, the goal, whether met."""


@dataclass(frozen=True)
class Group:
    """A protected group: the people of one 性別 in `population`; `size` of them, `done`
    of whom completed."""

    population: Population
    gender: str
    size: int
    done: int


@dataclass(frozen=True)
class Listed:
    """A protected count of a listed row of 男/女/其他/合計 (a 性別統計指標): the `gender`
    count of the row at `path` ("indicators.list.2"), of `size` people."""

    path: str
    gender: str
    size: int


@dataclass(frozen=True)
class Disclosure:
    """A protected group's 人數 or 完訓人數 (`what`) that the published figures pin to its
    real value (`value`) or confine to 1 … min_cell − 1; or its 未完訓人數 when they tell
    that some of the group did not complete, or that all did. For a `Listed` count, its
    人數 alone."""

    group: Group | Listed
    what: str
    value: int


@dataclass(frozen=True)
class Audit:
    """What the audit of one set of published staff figures found."""

    hidden: int
    """Staff figures hidden, and 性別統計指標 counts and 女性比例."""
    checked: int
    """Facts checked: three per protected group (人數, 完訓人數, 未完訓人數), one per
    protected count of a 性別統計指標."""
    disclosures: tuple[Disclosure, ...]


def verdicts(figures: YearFigures) -> list[tuple[list[Population], float, bool]]:
    """The 考核 verdicts on 完訓率 the report publishes, as the audit reads them."""
    from .tables import GROUP_POPULATIONS
    from .targets import INCOMPLETE, MET, MISSED, TARGETS_BY_ID

    found = []
    for result in figures["targets"]:
        target = TARGETS_BY_ID.get(result["id"])
        if target is None or not target.is_rate or not isinstance(result["required"], int | float):
            continue
        keys = target.training_groups or ("all",)
        populations = [GROUP_POPULATIONS[k] for k in keys if k in GROUP_POPULATIONS]
        # 資料不全 is said only where the published (partial) figures meet the goal — had
        # they missed it, it would read 未達成 (SPEC §3 ◆) — so a reader learns from it what
        # 達成 tells: each group's 完訓 ≥ goal × 應訓 in the figures published. Read it as met.
        if result["verdict"] in (MET, MISSED, INCOMPLETE):
            found.append((populations, float(result["required"]), result["verdict"] != MISSED))
    return found


def staff_figures(figures: YearFigures) -> dict[str, Figure]:
    """Every staff figure the report and the statistics workbook show, by path."""
    from .tables import report_tables  # the tables are declared after this stage's inputs

    tables = report_tables(cast(Figures, {"history": {}, **figures}))
    return {f.path: f for t in tables for f in t.figures_at.values()}


def audit(figures: YearFigures) -> Audit:
    """The audit of the staff figures as the report and the statistics workbook publish
    them (`figures["suppressed"]` hidden), against the exact figures."""
    found = staff_figures(figures)
    exact = _values(figures, found.values())
    gone = {f for f in exact if is_hidden(figures, f.path)}
    min_cell = figures["privacy"]["min_cell"]
    groups = protected_groups(figures, found.values(), min_cell)
    model = _Model(exact, min_cell, verdicts(figures))
    model.hide(gone)
    found_staff = tuple(d for g in groups for d in model.disclosures(g))
    rows = dict(enumerate(figures["indicators"]["list"]))
    listed = [_listed(figures, f"indicators.list.{n}", row, min_cell) for n, row in rows.items()]
    cells = [f"indicators.list.{n}.{key}" for n in rows for key in (*GENDER_COUNTS, "female_ratio")]
    return Audit(
        hidden=len(gone) + sum(is_hidden(figures, path) for path in cells),
        checked=3 * len(groups) + sum(len(protected) for protected, _ in listed),
        disclosures=(*found_staff, *(d for _, found in listed for d in found)),
    )


def protect(figures: YearFigures) -> list[str]:
    """The paths of the staff figures to hide (see the module's docstring), in the order
    the tables show them; then the 性別統計指標 cells to hide."""
    return [*_protect_staff(figures), *indicator_cells(figures)]


def _protect_staff(figures: YearFigures) -> list[str]:
    min_cell = figures["privacy"]["min_cell"]
    found = staff_figures(figures)
    groups = protected_groups(figures, found.values(), min_cell)
    if not groups:
        return []
    exact = _values(figures, found.values())
    cost = {f: _people(figures, f) for f in exact}
    own = {(g.population, g.gender) for g in groups}
    hidden = _closed(exact, {f for f in exact if (f.population, f.gender) in own}, cost)
    model = _Model(exact, min_cell, verdicts(figures))
    # hiding more widens what the figures allow, so a group found safe mostly stays safe;
    # not always: what is known of a larger population no longer excuses (`_Model._of_all`)
    for _ in range(MAX_PASSES):
        before = len(hidden)
        for group in groups:
            while True:
                model.hide(hidden)
                disclosure = next(model.disclosures(group), None)
                if disclosure is None:  # safe
                    break
                more = _breaking(model, exact, hidden, group, disclosure.what, cost)
                if not more:  # nothing left to hide: the audit reports it
                    break
                hidden = _closed(exact, hidden | more, cost)
        if len(hidden) == before:
            break
    return [f.path for f in found.values() if f in hidden]


def protected_groups(figures: YearFigures, found: Iterable[Figure], min_cell: int) -> list[Group]:
    """The groups the published figures must not single out (see the module's docstring)."""
    counts = {(f.population, f.gender, f.measure): f for f in found if f.gender in GENDERS}
    sizes = {(p, g): int(_value(figures, f)) for (p, g, m), f in counts.items() if m == "required"}
    few = {g for g in GENDERS if 0 < sizes.get((EVERYONE, g), 0) < min_cell}
    return [
        Group(p, g, size, int(_value(figures, counts[p, g, "completed"])))
        for (p, g), size in sizes.items()
        if (g in few or 0 < size < min_cell) and (p, g, "completed") in counts
    ]


def _closed(exact: Values, hidden: set[Figure], cost: Mapping[Figure, float]) -> set[Figure]:
    """`hidden` and every figure that shows the same number as one of them (主管人員 in the
    groups' table and 主管 in the 交織分析; the agency's 應訓 in two tables), then their
    `_complements` and every figure alike to those."""
    same = {_key(f) for f in hidden}
    same |= {_key(f) for f in _complements(exact, {f for f in exact if _key(f) in same}, cost)}
    return {f for f in exact if _key(f) in same}


def _complements(
    exact: Mapping[Figure, object], hidden: set[Figure], cost: Mapping[Figure, float]
) -> set[Figure]:
    """The figures to hide beside `hidden` so that no sum of counts has exactly one term
    hidden: a row's 男 + 女 + 其他 = 合計 (the 合計 goes first), and the rows of a table that
    divide the agency between them (the smallest other row goes)."""
    by_key = {_key(f): f for f in exact}
    sums = [
        [by_key.get((p, g, m)) for g in GENDER_COUNTS]
        for p in {f.population for f in exact}
        for m in ("required", "completed")
    ]
    for parts in _divisions({f.population for f in exact}):
        for g in GENDER_COUNTS:
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
                # the 合計 of a row first; down a column, the smallest other row; the
                # agency's own cell only when nothing else is left
                others = [f for f in present if f not in gone and f is not last]
                if (last not in gone and last.gender == "total") or not others:
                    added.add(last)
                else:
                    added.add(min(others, key=lambda f: cost[f]))
                changed = True
    lifted = {_key(f) for f in hidden | added}
    # a rate goes with its counts; a 平均時數 with its row's 應訓 people
    added |= {f for f in exact if f.measure != "hours" and lifted & set(_behind(f))}
    if (EVERYONE, "total", "required") in lifted:  # 在職 − 未列入應訓 gives it too
        added |= {f for f in exact if f.measure == "roster"}
    return added


def _divisions(populations: set[Population]) -> list[list[Population]]:
    """The sets of rows that divide the agency between them: by staff group, by 年齡層,
    主管 and 非主管."""
    found = []
    for name in ATTRIBUTES:
        parts = [
            p for p in populations if p != EVERYONE and p == Population(**{name: getattr(p, name)})
        ]
        values = {getattr(p, name) for p in parts}
        complete = name == "age" or values in ({True, False}, set(CATEGORIES))
        if parts and complete:
            found.append(sorted(parts, key=str))
    return found


def _breaking(
    model: _Model,
    exact: Values,
    hidden: set[Figure],
    group: Group,
    what: str,
    cost: Mapping[Figure, float],
) -> set[Figure]:
    """What to hide further to break the disclosure of `what` of `group`: the cheapest
    shown figure whose hiding (with what then goes with it) breaks it — tried only where
    that lifts a constraint of the proof the linear relaxation gives, when it gives one;
    if no single one does, the cheapest of its row or the agency's about people who may
    be of its group; if none is left, every shown figure about people who may be of the
    group; nothing if that is none."""
    rows = {group.population, EVERYONE}
    close = {f for f in exact if f.population in rows and _overlaps(f, group)}
    # by cost; at equal cost, those of the group's row or the agency's first
    shown = sorted((f for f in exact if f not in hidden), key=lambda f: (cost[f], f not in close))
    need = model.why(group, what)  # None: any figure may be the one
    tried = 0
    for candidate in shown:
        trial = _closed(exact, hidden | {candidate}, cost)
        if need is not None and not need & trial:
            continue  # the proof stands without it
        model.hide(trial)
        if not model.discloses(group, what):
            return {candidate}
        tried += 1
        if tried == MAX_TRIALS:
            break
    # else the cheapest of the group's row or the agency's; else a figure of another 性別
    # of a population that holds the group's (男 beside a missed verdict): the cheapest, and
    # the next pass looks again
    near = [f for f in shown if f in close]
    holding = [f for f in shown if _contains(f.population, group.population)]
    if near or holding:
        return {(near or holding)[0]}
    return {f for f in exact if f not in hidden and (_overlaps(f, group) or not _counted(f))}


def _values(figures: YearFigures, found: Iterable[Figure]) -> dict[Figure, float | str | None]:
    return {f: figure_at(figures, f.path.split(".")) for f in found}


Key = tuple[Population, str, Measure]
"""A figure's population, 性別 and measure: two figures of one key show the same number."""


def _key(figure: Figure) -> Key:
    return figure.population, figure.gender, figure.measure


def _behind(figure: Figure) -> tuple[Key, ...]:
    """The counts a rate or a 平均時數 (and its 總時數) is read with (none for a count)."""
    p, g = figure.population, figure.gender
    if figure.measure == "rate":
        return (p, g, "required"), (p, g, "completed")
    if figure.measure in ("hours", "average_hours"):
        return ((p, "total", "required"),)
    return ()


def _overlaps(figure: Figure, group: Group) -> bool:
    """Whether `figure` sums people who may be of `group`."""
    a, b = figure.population, group.population
    return figure.gender in (group.gender, "total") and all(
        None in (getattr(a, name), getattr(b, name)) or getattr(a, name) == getattr(b, name)
        for name in ATTRIBUTES
    )


def _contains(outer: Population, inner: Population) -> bool:
    """Whether every person of `inner` is of `outer`."""
    return all(getattr(outer, name) in (None, getattr(inner, name)) for name in ATTRIBUTES)


def _counted(figure: Figure) -> bool:
    return figure.measure in ("required", "completed", "rate")


def _value(figures: YearFigures, figure: Figure) -> float:
    """The figure's exact value; 0 for none (「—」)."""
    return _number(figure_at(figures, figure.path.split(".")))


def _people(figures: YearFigures, figure: Figure) -> float:
    """How many people a figure is about: its row's 應訓 people of its 性別 (the count
    itself for the roster's rows)."""
    if figure.measure in ("roster", "short", "on_leave"):
        return _value(figures, figure)
    prefix = figure.path.rsplit(".", 2 if _counted(figure) else 1)[0]
    return _number(figure_at(figures, [*prefix.split("."), "required", figure.gender]))


class _Model:
    """Every staff figure as linear constraints on the partition of the agency's 應訓
    people (and, for the roster's rows, two counts of those not 應訓: short service, on
    leave), in one HiGHS model; a hidden figure's constraints are lifted (`hide`)."""

    def __init__(self, exact: Values, min_cell: int, verdicts: Verdicts = ()) -> None:
        self.min_cell = min_cell
        ages: list[str | None] = [*sorted({f.population.age for f in exact if f.population.age})]
        cells = list(
            itertools.product(GENDERS, CATEGORIES, (True, False), (True, False), ages or [None])
        )
        self.cells = [(*c, done) for c in cells for done in (True, False)]
        self.size = len(self.cells) + 2
        self.dims = {
            name: np.array([c[i] for c in self.cells], dtype=object)
            for i, name in enumerate(("gender", *ATTRIBUTES, "completed"))
        }
        self.rows: list[Row] = []
        self.rows_of: dict[Figure, list[int]] = {}
        alternatives: list[list[int]] = []
        averages: dict[Population, dict[str, Figure]] = {}
        for f, value in exact.items():
            if f.measure in ("hours", "average_hours"):
                averages.setdefault(f.population, {})[f.measure] = f
            elif f.measure in ("required", "completed"):
                counted = self.people(f.population, f.gender, f.measure == "completed")
                self._bound(f, counted, _number(value), _number(value))
            elif f.measure == "rate":
                self._rate(f, value)
            else:
                self._bound(f, self.roster(f.measure), _number(value), _number(value))
        for population, pair in averages.items():
            if len(pair) == 2:
                self._average(population, pair, exact)
        for populations, goal, met in verdicts:
            alternatives += self._verdict(populations, goal, met)
        self.branches = [*itertools.product(*alternatives)]
        """Each way the verdicts missed by one of several groups may hold: a row of each
        such verdict, the shortfall of one of its groups, in force (`_exists`)."""
        self.branch_rows = np.array(sorted({r for rows in alternatives for r in rows}), np.int32)
        self.judged = {p for populations, _, _ in verdicts for p in populations}
        self.sizes = {
            (f.population, f.gender): float(v)
            for f, v in exact.items()
            if f.measure == "required" and isinstance(v, int | float)
        }
        self.solver = _solver()
        self._state: frozenset[Figure] = frozenset()
        self._known: dict[tuple[frozenset[Figure], Group, str], bool] = {}
        self._load()

    def people(self, population: Population, gender: str, completed: bool = False) -> Vector:
        """The partition cells summed by a count (of those who completed, if `completed`)."""
        wanted = {name: getattr(population, name) for name in ATTRIBUTES}
        wanted |= {"gender": None if gender == "total" else gender, "completed": completed or None}
        mask = np.ones(len(self.cells), dtype=bool)
        for name, value in wanted.items():
            if value is not None:
                mask &= self.dims[name] == value
        return np.concatenate([mask.astype(float), np.zeros(2)])

    def roster(self, measure: str) -> Vector:
        vector = np.zeros(self.size)
        vector[-2] = measure in ("roster", "short")
        vector[-1] = measure in ("roster", "on_leave")
        if measure == "roster":
            vector[: len(self.cells)] = 1
        return vector

    def _bound(
        self, figure: Figure | tuple[Figure, ...], vector: Vector, low: float, high: float
    ) -> None:
        for f in figure if isinstance(figure, tuple) else (figure,):
            self.rows_of.setdefault(f, []).append(len(self.rows))
        self.rows.append((vector, low, high))

    def _rate(self, f: Figure, rate: float | str | None) -> None:
        """A shown 完訓率: 「—」 says nobody; 100.0% that all completed; any other rate, that
        the 完訓 lie within its rounding, and (a rate short of 100% never reads 100.0%)
        that someone did not."""
        people = self.people(f.population, f.gender)
        done = self.people(f.population, f.gender, completed=True)
        if not isinstance(rate, int | float):
            self._bound(f, people, 0, 0)
            return
        self._bound(f, people, 1, math.inf)
        if rate >= 1:
            self._bound(f, done - people, 0, 0)
            return
        self._bound(f, done - people, -math.inf, -1)
        # as shown, to 0.1%: 97.8% is 0.9775 ≤ 完訓/應訓 ≤ 0.9785, here times 2,000 so that
        # the coefficients are whole (1,955 and 1,957), which the integer programs solve fast
        tenths = round(shown_rate(rate) * 1000)
        self._bound(f, 2000 * done - (2 * tenths - 1) * people, 0, math.inf)
        self._bound(f, 2000 * done - (2 * tenths + 1) * people, -math.inf, 0)

    def _average(self, population: Population, pair: Mapping[str, Figure], exact: Values) -> None:
        """A shown 平均時數 beside its 總時數: the 應訓 people are their quotient, within
        the rounding of both; 「—」 says nobody."""
        both = (pair["hours"], pair["average_hours"])
        people = self.people(population, "total")
        average, total = exact[both[1]], _number(exact[both[0]])
        if not isinstance(average, int | float):
            self._bound(both, people, 0, 0)
            return
        self._bound(both, people * (average + AVERAGE_ROUNDING), total - HOURS_ROUNDING, math.inf)
        if average > AVERAGE_ROUNDING:
            bound = total + HOURS_ROUNDING
            self._bound(both, people * (average - AVERAGE_ROUNDING), -math.inf, bound)

    def _verdict(
        self, populations: Sequence[Population], goal: float, met: bool
    ) -> list[list[int]]:
        """A published 考核 verdict on 完訓率: met, each group's 完訓 ≥ goal × 應訓; missed, some
        group's 完訓 < goal × 應訓. With goal = p/q, q × 完訓 − p × 應訓 is whole, so "< 0" is
        "≤ −1". Missed by one of several groups is no linear fact: their rows are returned,
        one of which holds in each branch."""
        ratio = Fraction(goal).limit_denominator(10_000)
        rows = []
        for population in populations:
            people = self.people(population, "total")
            done = self.people(population, "total", completed=True)
            vector = ratio.denominator * done - ratio.numerator * people
            rows.append(len(self.rows))
            self._bound((), vector, *((0, math.inf) if met else (-math.inf, -1)))
        return [rows] if not met and len(rows) > 1 else []

    def _load(self) -> None:
        self._low, self._high = _pass(self.solver, self.size, self.rows)
        self._all = np.arange(len(self.rows), dtype=np.int32)
        self._columns = np.arange(self.size, dtype=np.int32)

    def hide(self, hidden: Iterable[Figure]) -> None:
        """Lift the constraints of the figures `hidden`; those of the others hold, except a
        rate's or a 平均時數's whose counts are shown (implied by them, and with fractional
        coefficients that make the integer programs slow)."""
        gone = self._state = frozenset(hidden)
        shown = {_key(f) for f in self.rows_of if f not in gone}
        low, high = self._low.copy(), self._high.copy()
        for f, rows in self.rows_of.items():
            behind = _behind(f)
            if f in gone or (behind and all(k in shown for k in behind)):
                low[rows], high[rows] = -highspy.kHighsInf, highspy.kHighsInf
        low[self.branch_rows], high[self.branch_rows] = -highspy.kHighsInf, highspy.kHighsInf
        if len(self._all):
            self.solver.changeRowsBounds(len(self._all), self._all, low, high)  # type: ignore[attr-defined]

    def disclosures(self, group: Group) -> Iterator[Disclosure]:
        """The facts of `group` the constraints disclose (see `discloses`), one by one."""
        for what, value in _facts(group):
            if self.discloses(group, what):
                yield Disclosure(group, what, value)

    def discloses(self, group: Group, what: str) -> bool:
        """Whether the constraints pin the group's 人數 or 完訓人數 to its value or confine it
        to 1 … min_cell − 1; or, for its 未完訓人數, tell that some of the group did not
        complete, or that all did (and do not say the same of a larger population).
        Answered once for each set of figures hidden (`protect` asks again and again)."""
        key = (self._state, group, what)
        if key not in self._known:
            self._known[key] = not any(
                self._exists(*probe) for probe in self._probes(group, what)
            ) and (
                what != "未完訓人數"
                or (group.size > 0 and not self._of_all(group, completed=group.done == group.size))
            )
        return self._known[key]

    def why(self, group: Group, what: str) -> set[Figure] | None:
        """The figures whose constraints prove a disclosure of `group` (`what`) by the
        linear relaxation alone — one of them at least must go to break it; None when
        only whole numbers prove it."""
        found: set[Figure] = set()
        for vector, low, high in self._probes(group, what):
            rows = self._certificate(vector, low, high)
            if rows is None:
                return None
            found |= {f for f, at in self.rows_of.items() if rows.intersection(at)}
        return found

    def _probes(self, group: Group, what: str) -> list[tuple[Vector, float, float]]:
        """What the figures must leave possible for the fact `what` of `group` to stay
        undisclosed (any one of them): for a count of value v, another value (v ≥ min_cell),
        a value ≥ 1 (v = 0), or one outside 1 … min_cell − 1; for its 未完訓人數, that all
        completed (someone did not) or that someone did not (all did)."""
        value = dict(_facts(group))[what]
        if what == "未完訓人數":
            short = self._short(group.population, group.gender)
            return [(short, -math.inf, 0)] if value >= 1 else [(short, 1, math.inf)]
        vector = self.people(group.population, group.gender, what == "完訓人數")
        if value == 0:
            return [(vector, 1, math.inf)]
        if value >= self.min_cell:
            return [(vector, value + 1, math.inf), (vector, -math.inf, value - 1)]
        return [(vector, self.min_cell, math.inf), (vector, -math.inf, 0)]

    def _short(self, population: Population, gender: str) -> Vector:
        """Those of the population and 性別 who did not complete."""
        return self.people(population, gender) - self.people(population, gender, completed=True)

    def _of_all(self, group: Group, *, completed: bool) -> bool:
        """Whether the same is known of everyone of a larger published population that holds
        the group (of its 性別 or all), of `min_cell` or more people or judged by a 考核
        verdict — all of them completed (a 100%, a verdict met at 100%), or none did: then it
        is said of every part of that population, and is no disclosure of the group."""
        for (population, gender), size in self.sizes.items():
            if (
                (size < self.min_cell and population not in self.judged)
                or gender not in (group.gender, "total")
                or (population, gender) == (group.population, group.gender)
                or not _contains(population, group.population)
            ):
                continue
            if completed and not self._exists(self._short(population, gender), 1, math.inf):
                return True
            done = self.people(population, gender, completed=True)
            if not completed and not self._exists(done, 1, math.inf):
                return True
        return False

    def _exists(self, vector: Vector, low: float, high: float) -> bool:
        """Whether some whole-number partition the constraints allow (in some branch) has
        low ≤ vector · partition ≤ high."""
        with self._probe(vector, low, high):
            for rows in self.branches:
                with self._branch(rows):
                    if self._whole():
                        return True
        return False

    def _whole(self) -> bool:
        """Whether the constraints allow a whole-number partition: not if the linear
        relaxation allows none; yes if its solution is whole; else the integer program
        decides."""
        if not _feasible(self.solver):
            return False
        x = np.array(self.solver.getSolution().col_value)
        if np.allclose(x, np.round(x), rtol=0, atol=1e-7):
            return True
        self.solver.changeColsIntegrality(self.size, self._columns, _kinds(self.size, True))
        try:
            return _feasible(self.solver)
        finally:
            self.solver.changeColsIntegrality(self.size, self._columns, _kinds(self.size, False))

    def _certificate(self, vector: Vector, low: float, high: float) -> set[int] | None:
        """The rows of the constraints that together rule out low ≤ vector · partition ≤
        high in the linear relaxation, in every branch (the support of their Farkas
        certificates); None if the relaxation allows it."""
        found: set[int] = set()
        with self._probe(vector, low, high):
            for rows in self.branches:
                with self._branch(rows):
                    if _feasible(self.solver):
                        return None
                    _, has_ray, ray = self.solver.getDualRay()  # type: ignore[attr-defined]
                    if not has_ray:
                        return None
                    found |= {int(i) for i in np.nonzero(np.abs(ray[: len(self.rows)]) > 1e-9)[0]}
        return found

    @contextlib.contextmanager
    def _branch(self, rows: Sequence[int]) -> Iterator[None]:
        """The shortfall rows `rows` (one of each verdict missed by one of several groups)
        in force, for the moment."""
        at = np.array(rows, dtype=np.int32)
        inf = np.full(len(at), highspy.kHighsInf)
        if len(at):
            self.solver.changeRowsBounds(len(at), at, -inf, np.full(len(at), -1.0))  # type: ignore[attr-defined]
        try:
            yield
        finally:
            if len(at):
                self.solver.changeRowsBounds(len(at), at, -inf, inf)  # type: ignore[attr-defined]

    @contextlib.contextmanager
    def _probe(self, vector: Vector, low: float, high: float) -> Iterator[None]:
        """The constraint low ≤ vector · partition ≤ high, for the moment."""
        at = np.nonzero(vector)[0].astype(np.int32)
        self.solver.addRow(low, high, len(at), at, vector[at])
        try:
            yield
        finally:
            last = np.array([self.solver.getNumRow() - 1], dtype=np.int32)
            self.solver.deleteRows(1, last)


def _listed(
    figures: YearFigures, path: str, row: Mapping[str, Any], min_cell: int
) -> tuple[list[Listed], list[Disclosure]]:
    """The protected counts of the listed row at `path`, and those of them that the row as
    published pins or confines to 1 … min_cell − 1: no whole-number 男, 女, 其他, 合計 with
    the row's sum, its shown counts and its shown 女性比例 has that count 0 or min_cell and
    more."""
    exact = {g: int(row[g]) for g in GENDER_COUNTS}
    rows: list[Row] = [([1, 1, 1, -1], 0, 0)]
    for i, g in enumerate(GENDER_COUNTS):
        if not is_hidden(figures, f"{path}.{g}"):
            rows.append(([float(i == j) for j in range(4)], exact[g], exact[g]))
    if not is_hidden(figures, f"{path}.female_ratio"):
        ratio = row.get("female_ratio")
        if not isinstance(ratio, int | float):  # 「—」: nobody
            rows.append(([0, 0, 0, 1], 0, 0))
        else:  # 女 / 合計 rounds to it (see _Model._rate)
            tenths = round(shown_rate(float(ratio)) * 1000)
            rows.append(([0, 0, 0, 1], 1, math.inf))
            rows.append(([0, 2000, 0, -(2 * tenths - 1)], 0, math.inf))
            rows.append(([0, 2000, 0, -(2 * tenths + 1)], -math.inf, 0))
    protected = [Listed(path, g, exact[g]) for g in GENDERS if 0 < exact[g] < min_cell]
    found = []
    for listed in protected:
        at = [float(g == listed.gender) for g in GENDER_COUNTS]
        if not any(
            _whole_row([*rows, (at, lo, hi)]) for lo, hi in ((-math.inf, 0), (min_cell, math.inf))
        ):
            found.append(Disclosure(listed, "人數", listed.size))
    return protected, found


def _whole_row(rows: Sequence[Row]) -> bool:
    """Whether four whole numbers ≥ 0 satisfy every low ≤ vector · x ≤ high of `rows`
    (an integer program of its own, HiGHS)."""
    solver = _solver("listed")
    _pass(solver, 4, rows, whole=True)
    return _feasible(solver)


def _pass(
    solver: highspy.Highs, size: int, rows: Sequence[Row], whole: bool = False
) -> tuple[Vector, Vector]:
    """Give `solver` the model of `size` unknowns x ≥ 0 (whole numbers if `whole`) and the
    constraints low ≤ vector · x ≤ high of `rows`, with no objective: the question is
    whether any x satisfies it. Returns the rows' lows and highs."""
    matrix = np.array([vector for vector, _, _ in rows], dtype=float).reshape(len(rows), size)
    low = np.array([lo for _, lo, _ in rows], dtype=float)
    high = np.array([hi for _, _, hi in rows], dtype=float)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = size, len(rows)
    lp.col_cost_ = np.zeros(size)
    lp.col_lower_ = np.zeros(size)
    lp.col_upper_ = np.full(size, highspy.kHighsInf)
    lp.row_lower_, lp.row_upper_ = low, high
    columns, at = np.nonzero(matrix.T)  # by column, then row
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.searchsorted(columns, np.arange(size + 1))
    lp.a_matrix_.index_ = at
    lp.a_matrix_.value_ = matrix[at, columns]
    if whole:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * size
    solver.passModel(lp)
    return low, high


def _feasible(solver: highspy.Highs) -> bool:
    """Whether the model `solver` holds has a solution (an error if HiGHS cannot tell)."""
    solver.run()
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return False
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"個資保護稽核未能求解（{solver.modelStatusToString(status)}）")
    return True


def _facts(group: Group) -> tuple[tuple[str, int], ...]:
    """The three facts the audit keeps of a protected group, with their real values."""
    return ("人數", group.size), ("完訓人數", group.done), ("未完訓人數", group.size - group.done)


def _number(value: float | str | None) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


@functools.cache
def _kinds(size: int, integer: bool) -> NDArray[np.uint8]:
    kind = highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
    return np.full(size, int(kind), dtype=np.uint8)


@functools.cache
def _solver(use: str = "staff") -> highspy.Highs:
    """A silent HiGHS, one per process and `use` (the staff model, the listed rows'): it
    greets on the process's own output, below Python, when made, so that output is closed
    for the moment."""
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
