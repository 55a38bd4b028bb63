"""Warnings to 人事室 about the units' own words in the report (SPEC §8 ◆), and where a
unit wrote a whole-period review (計畫期程總檢討) in a year that does not print it.

Each work item's chapter describes what its 主辦單位 did in its own words, and each missed
target's row gives the reasons and the measures from that unit's 檢討與精進. A lead unit
that sent its workbook without them gets a warning naming its 執行成果說明 sheet, so that
人事室 can ask for the text before the report is signed (a unit that sent nothing is
warned of already, as 未繳交). A text that counts the people short of their hours
(「尚有 1 名約僱人員未達目標時數」) is checked against the figures.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .cells import chinese_to_int
from .config import Config
from .figures import TargetResult
from .problems import Problem, problem
from .schema import (
    PERIOD_REVIEW_ITEM,
    SHEETS_BY_KEY,
    STAFF_ALIASES,
    STAFF_TYPES,
    WORK_ITEM_LIST,
    lead_and_support,
)
from .targets import MISSED, NOT_DONE
from .validate import CleanWorkbook

if TYPE_CHECKING:
    from .aggregate import Shortfall

NARRATIVES = SHEETS_BY_KEY["narratives"]
SHORT_COUNT = re.compile(
    r"(\d+|[一二兩三四五六七八九十]+)\s*(?:名|人|位)\s*([^，。；、\s\d]{0,8}?)\s*"
    r"(?:同仁)?\s*(?:尚|仍)?未(?:能)?(?:達|完成|滿|足)[^，。；]{0,6}?時數"
)
"""「1 名約僱人員未達目標時數」, 「兩位同仁尚未完成訓練時數」: a count of people short of hours,
and the 人員類別 it may name."""


def narrative_warnings(
    workbooks: Sequence[CleanWorkbook],
    targets: Sequence[TargetResult],
    config: Config,
    year: int,
) -> list[Problem]:
    """The warnings of the checks over the year's accepted workbooks."""
    by_unit = {w.unit: w for w in workbooks}
    written = {w.unit: _written(w) for w in workbooks}
    leads = {i.name: lead_and_support(config.lead_units.get(i.name, ""))[0] for i in WORK_ITEM_LIST}
    found = _period_reviews(
        workbooks, written, {u for us in leads.values() for u in us}, config, year
    )
    for name, units in leads.items():
        for unit in units:
            if unit in by_unit and name not in written[unit]["done"]:
                found.append(_problem("narrative-missing", by_unit[unit], name))
    for target in targets:
        if target["verdict"] not in (MISSED, NOT_DONE):
            continue
        name = target["work_item"]
        for unit in lead_and_support(target["lead_unit"])[0]:
            if unit in by_unit and name not in written[unit]["review"]:
                found.append(_problem("review-missing", by_unit[unit], name, target["label"]))
    return found


def count_warnings(
    workbooks: Sequence[CleanWorkbook], shortfalls: Sequence[Shortfall]
) -> list[Problem]:
    """A narrative that counts the people short of their hours otherwise than the figures:
    the agency's count, or the 人員類別's it names."""
    found = []
    kinds = {**{t: t for t in STAFF_TYPES}, **STAFF_ALIASES}
    for w in workbooks:
        for row, record in w.records.get(NARRATIVES.key, {}).items():
            for key in ("done", "review"):
                text = str(record.get(key) or "")
                for match in SHORT_COUNT.finditer(text):
                    said = match[1]
                    stated = int(said) if said.isdigit() else chinese_to_int(said)
                    if stated is None or stated == len(shortfalls):
                        continue  # agrees, or no one count (「兩三位」)
                    kind = next((kinds[k] for k in kinds if k in match[2]), None)
                    of_kind = sum(s.staff_type == kind for s in shortfalls)
                    detail = f"全機關共 {len(shortfalls)} 人"
                    if kind is not None:
                        detail += f"（其中{kind} {of_kind} 人）"
                    found.append(
                        w.problem_at(
                            "narrative-count-differs",
                            NARRATIVES,
                            key,
                            row,
                            column=NARRATIVES.column(key).header,
                            value=match[0],
                            detail=detail,
                        )
                    )
    return found


def _period_reviews(
    workbooks: Sequence[CleanWorkbook],
    written: Mapping[str, Mapping[str, set[str]]],
    leads: set[str],
    config: Config,
    year: int,
) -> list[Problem]:
    """In the plan's last year, each lead unit (of `leads`) that wrote no whole-period review
    (工作項目「計畫期程總檢討」); in another year, each row that has one, which that year's
    report leaves out."""
    last = config.plan.last_year
    if year == last:
        return [
            _problem("period-review-missing", w, PERIOD_REVIEW_ITEM)
            for w in workbooks
            if w.unit in leads
            and PERIOD_REVIEW_ITEM not in written[w.unit]["done"] | written[w.unit]["review"]
        ]
    found = []
    for w in workbooks:
        for row, record in w.records.get(NARRATIVES.key, {}).items():
            text = any(str(record.get(k) or "").strip() for k in ("done", "review"))
            if record.get("item") == PERIOD_REVIEW_ITEM and text:
                found.append(
                    w.problem_at(
                        "period-review-not-last-year",
                        NARRATIVES,
                        "item",
                        row,
                        value=PERIOD_REVIEW_ITEM,
                        detail=year,
                        expected=last,
                    )
                )
    return found


def _written(workbook: CleanWorkbook) -> Mapping[str, set[str]]:
    """The work items under which the unit wrote 辦理情形 (done) and 檢討與精進 (review)."""
    rows = workbook.records.get(NARRATIVES.key, {}).values()
    return {
        part: {str(r["item"]) for r in rows if str(r.get(part) or "").strip()}
        for part in ("done", "review")
    }


def _problem(code: str, workbook: CleanWorkbook, item: str, label: str = "") -> Problem:
    return problem(
        code,
        file=workbook.file,
        unit=workbook.unit,
        sheet=NARRATIVES.name,
        value=item,
        detail=label,
    )
