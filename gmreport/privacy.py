"""Privacy of small groups (SPEC §3): which staff cells the report and the statistics
workbook show as 「*」, and the figures as those outputs show them.

A cell crossing 性別 with another attribute (a training group, 年齡層, 主管) that holds 1 to
`min_cell` − 1 people is suppressed, with its 完訓人數 and 完訓率. When that leaves one gender
cell of a row suppressed, the row's smallest other gender cell is suppressed too, or the
row's 合計 would give it away. The agency's totals by 性別 are shown, but not a 完訓率 of
fewer than `min_cell` people. The JSON keeps the exact figures and lists the paths.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, TypeVar

from .figures import Completion, YearFigures
from .format import SUPPRESSED
from .schema import EVERYONE, GENDER_KEYS

_GENDERS = tuple(GENDER_KEYS.values())
F = TypeVar("F", bound=YearFigures)


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
        if key == EVERYONE.key:  # counts by 性別 shown (SPEC §3), not who of them completed
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
    """A copy of `figures` with each suppressed cell of `figures["suppressed"]` as 「*」 (so
    its numbers there are text: what the report shows)."""
    shown = copy.deepcopy(figures)
    training: Any = shown["training"]
    for path in figures["suppressed"]:
        try:
            _, table, label, *rest = path.split(".")
            if table == "groups":
                row = training["groups"][label]
            else:
                row = next(r for r in training[table] if r["label"] == label)
            if rest[0] in ("completed", "rate"):
                row[rest[0]][rest[1]] = SUPPRESSED
            else:
                for part in ("required", "completed", "rate"):
                    row[part][rest[0]] = SUPPRESSED
        except (KeyError, TypeError, StopIteration, ValueError, IndexError):
            continue  # a name of a cell the figures do not have: nothing there to show
    return shown


def note(min_cell: int) -> str:
    """The note of a table that holds suppressed cells."""
    return (
        f"為保護個人資料，人數未達 {min_cell} 人者不予揭露，"
        f"並同列另一性別以免由合計推算，均以「{SUPPRESSED}」表示。"
    )
