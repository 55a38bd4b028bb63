"""Warnings to 人事室 where a unit's own entries could single out a colleague (SPEC §3 ◆).

The report hides the staff figures that would tell who a colleague of a small group is
(`gmreport.disclosure`), but two things a unit types go into it as they are: a 性別統計
indicator that counts the office's own staff, and the narratives of 執行成果說明. Each is
checked against the year's figures, and a warning names the cell for the unit to reword.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .config import Config
from .problems import Problem
from .schema import (
    CONTRACT_STAFF,
    GENDER_KEYS,
    SELF_EMPLOYED,
    SHEETS_BY_KEY,
    WORK_ITEMS_BY_KEY,
    WORKER,
)
from .validate import CleanWorkbook

if TYPE_CHECKING:
    from .aggregate import Shortfall

STAFF_WORDS = ("員工", "同仁", "人員", "職員")
"""An indicator named with one of these counts the office's own staff (本所員工人數…)."""
SELF_WORDS = ("本所", "本機關", "本局", "本處", "本府", "本會", "本署")
"""How an office names itself: 「本所同仁」 in an indicator's 應用情形 says it counts staff."""
GROUP_WORDS = {
    CONTRACT_STAFF: ("約聘", "約僱", "聘用人員", "聘任人員"),
    WORKER: ("職工", "技工", "工友", "駕駛", "司機", "駐衛警"),
    SELF_EMPLOYED: ("自僱", "臨時人員", "計畫人員"),
}
"""The words that name a small 人員類別 in a narrative (the 類別 and the staff words of
schema.STAFF_ALIASES); 公務人員, the plan's own group, is too common a word to flag."""
TRAINING_WORDS = ("時數", "訓", "培力", "研習", "課程")
"""A narrative with one of these speaks of training, beside the report's 完訓 figures."""


def privacy_warnings(
    workbooks: Sequence[CleanWorkbook], shortfalls: Sequence[Shortfall], config: Config
) -> list[Problem]:
    """The warnings of both checks over the year's accepted workbooks."""
    return [
        *staff_indicators(workbooks, config.privacy.min_cell),
        *named_groups(workbooks, shortfalls, config),
    ]


def counts_staff(name: str, application: str) -> bool:
    """Whether a 性別統計 indicator counts the office's own staff: its name says so
    (員工, 同仁, 人員), or its 應用情形 names them (「本所同仁」)."""
    return any(w in name for w in STAFF_WORDS) or any(
        f"{s}{w}" in application for s in SELF_WORDS for w in STAFF_WORDS
    )


def staff_indicators(workbooks: Sequence[CleanWorkbook], min_cell: int) -> list[Problem]:
    """A 性別統計 row counting the office's staff with 1 to min_cell − 1 of one 性別: the
    report shows those counts as 「*」, but the unit should check that the indicator's name
    and 應用情形 do not state the number."""
    sheet = SHEETS_BY_KEY["indicators"]
    found = []
    for w in workbooks:
        letters = w.letters.get(sheet.key, {})
        for row, record in w.records.get(sheet.key, {}).items():
            name, application = str(record.get("name") or ""), str(record.get("application") or "")
            if not counts_staff(name, application):
                continue
            for header, key in GENDER_KEYS.items():
                count = record.get(key)
                if isinstance(count, int | float) and 0 < count < min_cell and key in letters:
                    found.append(
                        w.problem_at(
                            "staff-indicator-small-cell",
                            sheet,
                            key,
                            row,
                            value=name,
                            column=header,
                            detail=f"{count:g}",
                            expected=min_cell,
                        )
                    )
    return found


def named_groups(
    workbooks: Sequence[CleanWorkbook], shortfalls: Sequence[Shortfall], config: Config
) -> list[Problem]:
    """A narrative about training that names a 人員類別 of which 1 to min_cell − 1 people
    are short of their hours: beside the report's 「部分人員未達目標時數」 it tells who."""
    min_cell = config.privacy.min_cell
    short = Counter(s.staff_type for s in shortfalls)
    own = config.aliases.get("人員類別", {})  # the agency's own words for these 人員類別
    small = {
        g: (*words, *(word for word, to in own.items() if to == g))
        for g, words in GROUP_WORDS.items()
        if 0 < short[g] < min_cell
    }
    if not small:
        return []
    sheet = SHEETS_BY_KEY["narratives"]
    training = WORK_ITEMS_BY_KEY["training"].name
    found = []
    for w in workbooks:
        letters = w.letters.get(sheet.key, {})
        for row, record in w.records.get(sheet.key, {}).items():
            for key in ("done", "review"):
                text = str(record.get(key) or "")
                about = record.get("item") == training or any(t in text for t in TRAINING_WORDS)
                named = [(g, word) for g, words in small.items() for word in words if word in text]
                if not (about and named and key in letters):
                    continue
                group, word = named[0]
                found.append(
                    w.problem_at(
                        "narrative-names-small-group",
                        sheet,
                        key,
                        row,
                        column=sheet.column(key).header,
                        value=word,
                        detail=group,
                        expected=min_cell,
                    )
                )
    return found
