"""Privacy of small groups (SPEC §3): which staff figures the report and the statistics
workbook hide, what a published staff figure means, and the figures as published.

Which are hidden is chosen, and proven safe, by `gmreport.disclosure`.

Every staff figure the report, the statistics workbook or the roll-up publishes is a
`Figure`: a count (應訓, 完訓), a 完訓率 or hours of one 性別 (or 合計) of a `Population` of
the agency's 應訓 people, named by its `path` in the figures ("training.groups.all.rate.other").
The figures list the hidden ones' paths under `suppressed`, and `as_shown` gives the
figures as published.

A 性別統計指標 is a count a unit typed (its own staff, or the public of a small 里): a row with
a 性別 of 1 to `min_cell` − 1 shows it as 「*」 with what would give it back (`indicator_cells`,
"indicators.list.2.other" by the row's place in the list).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from .figures import YearFigures
from .format import SUPPRESSED
from .schema import GENDER_KEYS

F = TypeVar("F", bound=YearFigures)
Measure = Literal[
    "required", "completed", "rate", "hours", "average_hours", "roster", "short", "on_leave"
]
COUNTED: tuple[Measure, ...] = ("required", "completed", "rate")
"""The parts of a completion row, each by 性別 and 合計."""
PROTECTED_TEXT = "—（個資保護）"
"""A hidden figure in running text and in the 考核 table, where 「*」 would read as a footnote."""


@dataclass(frozen=True)
class Population:
    """A set of the agency's 應訓 people, by the attributes the staff tables cross with
    性別: None means any. `category` is the staff group a person's 人員類別 puts them in
    ("civil_servants" or "other_staff", which divide the agency between them)."""

    category: str | None = None
    supervisor: bool | None = None
    gender_officer: bool | None = None
    age: str | None = None


EVERYONE = Population()


@dataclass(frozen=True)
class Figure:
    """A published staff figure: `measure` of the people of `population` of one 性別
    ("male", "female", "other") or all ("total"). "roster", "short" and "on_leave" count the
    agency's roster and those not 應訓 (for short service, for leave); "hours" and
    "average_hours" are the 應訓 people's hours, in all and per person."""

    path: str
    population: Population
    gender: str
    measure: Measure

    def __hash__(self) -> int:  # a path names one figure; the audit hashes them by the thousand
        return hash(self.path)


def completion_figures(prefix: str, population: Population) -> dict[tuple[str, str], Figure]:
    """The figures of a completion row (`prefix` "training.groups.all"), by (measure, gender)."""
    return {
        (m, g): Figure(f"{prefix}.{m}.{g}", population, g, m)
        for m in COUNTED
        for g in (*GENDER_KEYS.values(), "total")
    }


def hidden(figures: YearFigures, path: str) -> bool:
    """Whether the figure at `path` ("training.groups.all.rate.total") is hidden from what
    is published: listed in `figures["suppressed"]`, or in a file written before v3 its
    row's 性別 ("training.groups.all.other" hides that 性別's 應訓, 完訓 and 完訓率)."""
    suppressed = figures["suppressed"]
    if path in suppressed:
        return True
    parents, _, gender = path.rpartition(".")
    parents, _, part = parents.rpartition(".")
    return part in COUNTED and f"{parents}.{gender}" in suppressed


def small(count: int, figures: YearFigures) -> bool:
    """Whether a count of people (「尚有 2 人未達目標時數」) is too small to state: 1 to
    `min_cell` − 1. Text says 「部分人員」 instead (SPEC §3)."""
    return 0 < count < figures["privacy"]["min_cell"]


def as_shown(figures: F) -> F:
    """A copy of `figures` with each figure of `figures["suppressed"]` as 「*」 (so its
    numbers there are text: what the report shows). A path of a file written before v3
    ("training.groups.supervisors.other") hides that 性別's 應訓, 完訓 and 完訓率."""
    shown = copy.deepcopy(figures)
    for path in figures["suppressed"]:
        *parents, last = path.split(".")
        node = figure_at(shown, parents)
        if isinstance(node, dict) and last in node:
            node[last] = SUPPRESSED
        elif isinstance(node, dict) and all(isinstance(node.get(m), dict) for m in COUNTED):
            for m in COUNTED:
                if last in node[m]:
                    node[m][last] = SUPPRESSED
    return shown


def figure_at(figures: Any, keys: list[str]) -> Any:
    """The part of the figures at `keys`: a key of a mapping, or the label of a list's row
    (or, in a list of rows without labels, its place: "2"); None where the figures have no
    such part (a name they do not know: nothing to hide)."""
    node = figures
    for key in keys:
        if isinstance(node, dict):
            node = node.get(key)
        elif isinstance(node, list):
            found = next((r for r in node if isinstance(r, dict) and r.get("label") == key), None)
            if found is None and key.isdigit() and int(key) < len(node):
                found = node[int(key)]
            node = found
        else:
            return None
    return node


def indicator_cells(figures: YearFigures) -> list[str]:
    """The paths of the 性別統計指標 cells to hide (SPEC §3): in a row with a 性別 of 1 to
    `min_cell` − 1, that count and the row's 合計 (so 男 and 女 stay comparable, and no
    subtraction gives it back), and its 女性比例, which beside a shown 女 would narrow the
    合計 — and with it the hidden count, which a reader knows is 1 to `min_cell` − 1, a 0
    being shown — to a value or two; unless 女 is 0, when it reads 0.0% whatever the 合計."""
    min_cell = figures["privacy"]["min_cell"]
    found = []
    for n, row in enumerate(figures["indicators"]["list"]):
        small = [g for g in GENDER_KEYS.values() if _small_count(row.get(g), min_cell)]
        if not small:
            continue
        keys = [*small, "total", *(["female_ratio"] if row.get("female") else [])]
        found += [f"indicators.list.{n}.{key}" for key in keys]
    return found


def _small_count(count: Any, min_cell: int) -> bool:
    return isinstance(count, int | float) and not isinstance(count, bool) and 0 < count < min_cell


def note(min_cell: int, derived: str = "其人數或完訓情形") -> str:
    """The note of a table that holds hidden figures: what else is hidden for them,
    `derived` (「其人數」 where no 完訓 is shown)."""
    return (
        f"為保護個人資料，人數未達 {min_cell} 人之性別不予分列，"
        f"可據以推算{derived}之數字亦不揭露，均以「{SUPPRESSED}」表示。"
    )
