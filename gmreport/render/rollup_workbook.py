"""The city's `{Y}年度各機關性別主流化執行成果彙整.xlsx`: 說明, the city's tables (`gmreport.city`),
the agencies that sent nothing and the files not used.

Each sheet with a row per agency ends with the city's 合計 (counts summed, rates from the
summed exact counts) and the agencies' 中位數. A staff cell an agency's own report showed
as 「*」 stays 「*」 in that agency's row (SPEC §3, §7); the city rows use the exact counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, Rule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..atomic import atomic_path
from ..city import (
    AGENCY,
    THEMES,
    agencies,
    agency_table,
    table,
    target_summaries,
    targets_sheet,
    trend,
    trend_table,
)
from ..format import roc_short_date
from ..rollup import Rollup
from ..tables import Col, Table
from ..targets import MISSED, NOT_DONE
from .workbooks import NONE_TEXT, _first_sheet, _write_table

ROLLUP_WORKBOOK_NAME = "{year}年度各機關性別主流化執行成果彙整.xlsx"
MISSED_FILL = PatternFill("solid", fgColor="FFC7CE")
MISSED_FONT = Font(bold=True, color="9C0006")


@dataclass(frozen=True)
class RollupSheets:
    """The city's workbook as plain data, which `write_rollup_workbook` writes: the 說明
    sheet's title and rows, then a sheet per table."""

    title: str
    info: list[tuple[str, Any]]
    tables: list[Table]


def rollup_sheets(rollup: Rollup, *, generated: dt.datetime | None = None) -> RollupSheets:
    """What the city's workbook shows: 說明, 目標達成, a sheet per theme, the trend when the
    files carry earlier years, the agencies that sent nothing and the files left out."""
    found = agencies(rollup)
    sheets = (targets_sheet(target_summaries(found)), *THEMES)
    tables = [agency_table(rollup.year, sheet, found) for sheet in sheets]
    if years := trend(rollup):
        tables.append(trend_table(rollup.year, years))
    missing = [(a, "未繳交") for a in rollup.missing]
    missing += [(a, "不在機關清單中（已納入彙整）") for a in rollup.unexpected]
    title = f"{rollup.year}年度未繳交統計數據之機關"
    tables.append(table("未繳交機關", title, [Col(AGENCY), Col("情形")], list(missing)))
    files = [(p.file, p.title, p.message) for p in [*rollup.left_out, *rollup.set_aside]]
    title = f"未納入{rollup.year}年度彙整之檔案"
    tables.append(table("未納入檔案", title, [Col("檔案"), Col("類型"), Col("原因")], files))
    generated = generated or dt.datetime.now()
    info = [
        ("年度", f"{rollup.year}年度"),
        ("產製時間", f"{roc_short_date(generated.date())} {generated:%H:%M}"),
        ("彙整機關數", len(rollup.submissions)),
        ("應繳交機關數", len(rollup.expected) if rollup.expected else "（未提供機關清單）"),
        ("未繳交機關", "、".join(rollup.missing) or NONE_TEXT),
        ("未納入之檔案", len(rollup.left_out)),
        ("非本年度擱置之檔案", len(rollup.set_aside)),
        (
            "說明",
            "各機關列依該機關成果報告所揭露之數據呈現，人數未達揭露門檻者以「*」表示；"
            "合計列為全市合計（比率由合計人數計算），中位數為各機關數值之中位數。",
        ),
    ]
    return RollupSheets(f"{rollup.year}年度各機關性別主流化執行成果彙整", info, tables)


def write_rollup_workbook(sheets: RollupSheets, path: Path) -> None:
    """Write the city's `{Y}年度各機關性別主流化執行成果彙整.xlsx` that `rollup_sheets` made."""
    wb = Workbook()
    _write_info(_first_sheet(wb), sheets)
    for t in sheets.tables:
        ws = wb.create_sheet(t.name)
        _write_table(ws, t)
        _mark_missed(ws, len(t.rows), len(t.columns))
    with atomic_path(path) as tmp:
        wb.save(tmp)


def _write_info(ws: Worksheet, sheets: RollupSheets) -> None:
    ws.title = "說明"
    ws.append([sheets.title])
    ws["A1"].font = Font(bold=True, size=14)
    for key, value in sheets.info:
        ws.append([key, value])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.append([])
    ws.append(["工作表", "內容"])
    for t in sheets.tables:
        ws.append([t.name, t.title])
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 80
    for row in ws.iter_rows():  # no cell is a formula: 「=HYPERLINK(…)」 stays text
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _mark_missed(ws: Worksheet, rows: int, columns: int) -> None:
    """未達成 and 未辦理 stand out, in every cell that holds them."""
    if not rows:
        return
    area = f"A3:{get_column_letter(columns)}{rows + 2}"
    for word in (MISSED, NOT_DONE):
        ws.conditional_formatting.add(
            area,
            _cell_is(operator="equal", formula=[f'"{word}"'], fill=MISSED_FILL, font=MISSED_FONT),
        )


_cell_is: Callable[..., Rule] = CellIsRule  # openpyxl does not type it
