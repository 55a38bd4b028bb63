"""Privacy of small groups (SPEC §3): which staff figures the report and the statistics
workbook hide, what a published staff figure means, and the figures as published.

The rule in force (`suppressed_cells`) hides a cell of 1 to `min_cell` − 1 people of one
性別 and, in its row, the smallest other 性別. `gmreport.disclosure` audits what that
publishes: it finds the rule lets a reader work out such a group by subtraction across
rows and tables (SPEC v3 §3 ◆), which the rule chosen with the audit in the loop replaces.

Every staff figure the report, the statistics workbook or the roll-up publishes is a
`Figure`: a count (應訓, 完訓), a 完訓率 or hours of one 性別 (or 合計) of a `Population` of
the agency's 應訓 people, named by its `path` in the figures ("training.groups.all.rate.other").
The figures list the hidden ones' paths under `suppressed`, and `as_shown` gives the
figures as published.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from .figures import Completion, YearFigures
from .format import SUPPRESSED
from .schema import EVERYONE as EVERYONE_GROUP
from .schema import GENDER_KEYS

_GENDERS = tuple(GENDER_KEYS.values())

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


def completion_figures(prefix: str, population: Population) -> dict[tuple[str, str], Figure]:
    """The figures of a completion row (`prefix` "training.groups.all"), by (measure, gender)."""
    return {
        (m, g): Figure(f"{prefix}.{m}.{g}", population, g, m)
        for m in COUNTED
        for g in (*GENDER_KEYS.values(), "total")
    }


def group_cell(group: str, gender: str, part: str = "") -> str:
    """The name, in `suppressed`, of a training group's cell: "training.groups.supervisors.other"
    (its 應訓, 完訓 and 完訓率; "….total" for the row's 合計), or with `part` only that part
    ("training.groups.all.rate.other")."""
    return ".".join(("training", "groups", group, *((part,) if part else ()), gender))


def cell_hidden(suppressed: Iterable[str], group: str, part: str, gender: str) -> bool:
    """Whether a training group's figure (part: required, completed or rate) is 「*」."""
    hidden = set(suppressed)
    return group_cell(group, gender) in hidden or (
        part != "required" and group_cell(group, gender, part) in hidden
    )


def suppressed_cells(figures: YearFigures, min_cell: int) -> list[str]:
    """The paths of the staff cells to show as 「*」: "training.groups.supervisors.other" (its
    應訓, 完訓 and 完訓率; "….total" for the row's 合計), or "training.groups.all.rate.other"
    and "training.groups.all.completed.other" (the agency's count by 性別 stays)."""
    training = figures["training"]
    paths = []
    for key, group in training["groups"].items():
        if key == EVERYONE_GROUP.key:  # counts by 性別 shown (SPEC §3), not who of them completed
            small = _small(group, min_cell)
            paths += [group_cell(key, g, part) for g in small for part in ("completed", "rate")]
        else:
            paths += [group_cell(key, g) for g in _row(group, min_cell)]
    for table in ("by_age", "by_supervisor"):
        for row in training[table]:
            paths += [f"training.{table}.{row['label']}.{g}" for g in _row(row, min_cell)]
    return paths


def _counts(completion: Completion) -> dict[str, int]:
    """應訓 people by gender key."""
    return {g: int(completion["required"][g]) for g in ("male", "female", "other")}


def _small(completion: Completion, min_cell: int) -> list[str]:
    required = _counts(completion)
    return [g for g in _GENDERS if 0 < required[g] < min_cell]


def _row(completion: Completion, min_cell: int) -> list[str]:
    """The gender cells of one row to suppress, with the one that keeps them from being
    worked out from the row's 合計."""
    small = _small(completion, min_cell)
    if len(small) == 1:
        required = _counts(completion)
        others = [g for g in _GENDERS if g not in small and required[g]]
        if not others:  # the row is that one small cell: its 合計 would tell it
            return [*small, "total"]
        small.append(min(others, key=lambda g: required[g]))
    return [g for g in _GENDERS if g in small]


def as_shown(figures: F) -> F:
    """A copy of `figures` with each figure of `figures["suppressed"]` as 「*」 (so its
    numbers there are text: what the report shows). A path of a file written before v3
    ("training.groups.supervisors.other") hides that 性別's 應訓, 完訓 and 完訓率."""
    shown = copy.deepcopy(figures)
    for path in figures["suppressed"]:
        *parents, last = path.split(".")
        node = _node(shown, parents)
        if isinstance(node, dict) and last in node:
            node[last] = SUPPRESSED
        elif isinstance(node, dict) and all(isinstance(node.get(m), dict) for m in COUNTED):
            for m in COUNTED:
                if last in node[m]:
                    node[m][last] = SUPPRESSED
    return shown


def _node(figures: Any, keys: list[str]) -> Any:
    """The part of the figures at `keys`: a key of a mapping, or the label of a list's row;
    None where the figures have no such part (a name they do not know: nothing to hide)."""
    node = figures
    for key in keys:
        if isinstance(node, dict):
            node = node.get(key)
        elif isinstance(node, list):
            node = next((r for r in node if isinstance(r, dict) and r.get("label") == key), None)
        else:
            return None
    return node


def note(min_cell: int) -> str:
    """The note of a table that holds suppressed cells."""
    return (
        f"為保護個人資料，人數未達 {min_cell} 人者不予揭露，"
        f"並同列另一性別以免由合計推算，均以「{SUPPRESSED}」表示。"
    )
