"""退回修正 (SPEC §5 ◆): each unit's own workbook back, marked where its problems are.

A copy of the unit's file in which each problem cell is filled (an error red, a warning
yellow) and carries a comment with the message and the fix, and whose first sheet
「檢核結果」 lists the problems, each linked to its cell. Nothing else of the file changes:
the package is edited part by part (`returned_xlsx`, `returned_ods`), never loaded into a
spreadsheet library and saved again, which would drop what that library does not know
(images, form controls, conditional formats' extensions, an .xlsm's macros).

The file is copied once into the staging folder and passes the safety gate again there:
the copy is made from the very bytes that were checked.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import count
from pathlib import Path

from lxml import etree

from ..cells import cell_position, column_letters, reading_order
from ..format import display_width, writable
from ..problems import Problem, Severity
from ..safety import Refused, inspect_workbook
from ..safety.limits import EXCEL_COLS, EXCEL_ROWS
from ..schema import RETURNED_SHEET

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
"""How the marked copies parse a unit's XML parts: the safety gate has checked them, and
this parser, too, expands no entity and reads no DTD or network resource."""


def free_name(name: Callable[[int], str], taken: Iterable[str]) -> str:
    """The first of name(1), name(2), … not among `taken`, case aside (a part's or a sheet's
    name the unit's file does not use)."""
    folded = {t.casefold() for t in taken}
    return next(name(n) for n in count(1) if name(n).casefold() not in folded)


def list_sheet_name(n: int) -> str:
    """「檢核結果」, then 「檢核結果(2)」 … for the list sheet when the unit has one so named."""
    return f"{LIST_SHEET}({n})" if n > 1 else LIST_SHEET


RETURNED_FOLDER = "退回修正"
RETURNED_NAME = "{year}年度_{unit}_檢核結果.{suffix}"
LIST_SHEET = RETURNED_SHEET
LIST_HEADERS = ("項次", "等級", "工作表", "儲存格", "類型", "問題說明", "修正方式")
LIST_WIDTHS = (6, 6, 14, 16, 18, 60, 60)
"""The list sheet's columns and their widths in characters."""

FILLS = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C"}
"""Error red and warning yellow, as in the 填報檢核結果 workbook."""
HEADER_FILL = "D9E1F2"
AUTHOR = "人事室"
WHOLE_FILE = "（整份檔案）"


@dataclass(frozen=True)
class Mark:
    """One cell to mark: its sheet (as the workbook names it), 1-based row and column,
    the worst severity of the problems there, and the comment's text."""

    sheet: str
    row: int
    col: int
    severity: Severity
    text: str

    @property
    def ref(self) -> str:
        return f"{column_letters(self.col)}{self.row}"


@dataclass(frozen=True)
class Listed:
    """One row of the list sheet: the problem, and the cell it links to (None: no cell)."""

    problem: Problem
    sheet: str | None
    ref: str | None

    @property
    def place(self) -> str:
        if self.sheet is None:
            return self.problem.sheet or WHOLE_FILE
        return f"{self.sheet}!{self.ref}"


def comment_text(problems: list[Problem]) -> str:
    """What a marked cell's comment says: each problem's severity, message and fix."""
    return "\n".join(
        f"【{p.severity.value}】{p.message}" + (f"\n修正方式：{p.hint}" if p.hint else "")
        for p in problems
    )


def first_cell(cell: str) -> tuple[int, int]:
    """The (row, column) a problem's cell marks: a range's first cell, a whole row's first
    cell (「第7列」), a whole sheet's A1."""
    if cell.startswith("第") and cell.endswith("列") and cell[1:-1].isdigit():
        return int(cell[1:-1]), 1
    position = cell_position(cell.partition(":")[0]) if cell else None
    if position is None or position[0] > EXCEL_ROWS or position[1] > EXCEL_COLS:
        return 1, 1
    return position


def plan(problems: list[Problem], sheets: list[str]) -> tuple[list[Mark], list[Listed]]:
    """The cells to mark among `sheets` (the workbook's own names) and the list's rows."""
    from ..read import same_sheet

    by_cell: dict[tuple[str, int, int], list[Problem]] = {}
    listed: list[Listed] = []
    for p in sorted(problems, key=lambda p: reading_order(p.cell)):
        own = next((s for s in sheets if s == p.sheet), None) or next(
            (s for s in sheets if p.sheet and same_sheet(s, p.sheet)), None
        )
        if own is None:
            listed.append(Listed(p, None, None))
            continue
        row, col = first_cell(p.cell)
        by_cell.setdefault((own, row, col), []).append(p)
        listed.append(Listed(p, own, f"{column_letters(col)}{row}"))
    marks = [
        Mark(
            sheet,
            row,
            col,
            Severity.ERROR if any(p.is_error for p in found) else Severity.WARNING,
            comment_text(found),
        )
        for (sheet, row, col), found in by_cell.items()
    ]
    return marks, listed


def title(unit: str, year: int | None, problems: list[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    when = f" {year} 年度" if year is not None else ""
    return (
        f"{unit}{when}填報檢核結果：錯誤 {errors} 項、警告 {len(problems) - errors} 項。"
        "紅底為錯誤（須修正後重新繳交），黃底為警告（請確認）；"
        "點選「儲存格」欄可跳到該處，游標移到標色儲存格可看說明。"
    )


def suffix_of(path: Path) -> str:
    """The suffix the marked copy of `path` gets, from what the package holds: ods,
    xlsm (a workbook with macros, whose content type Excel checks against the name), or xlsx."""
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        if "content.xml" in names and "xl/workbook.xml" not in names:
            return "ods"
        types = z.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    return "xlsm" if b"macroEnabled" in types else "xlsx"


def mark_copy(
    source: Path,
    stage: Path,
    name_stem: str,
    problems: list[Problem],
    *,
    unit: str,
    year: int | None,
) -> Path | None:
    """Write the marked copy of `source` into `stage` as `name_stem` and its suffix; None
    when the file no longer passes the safety gate (it changed since it was read)."""
    checked = stage / f"{name_stem}.source"
    try:
        shutil.copyfile(source, checked)
        inspect_workbook(checked)
        suffix = suffix_of(checked)
    except (OSError, Refused, zipfile.BadZipFile):
        checked.unlink(missing_ok=True)
        return None
    target = stage / f"{name_stem}.{suffix}"
    heading = title(unit, year, problems)
    try:
        if suffix == "ods":
            from .returned_ods import mark_ods

            mark_ods(checked, target, problems, heading)
        else:
            from .returned_xlsx import mark_xlsx

            mark_xlsx(checked, target, problems, heading)
    finally:
        checked.unlink(missing_ok=True)
    return target


def write_letter(
    target: Path, unit: str, year: int | None, file: str, found: list[Problem]
) -> Path:
    """A unit's file that could not be read at all gets, instead of a marked copy, a short
    workbook that says so: which file, why, and what to do (SPEC §5 ◆, issue 24)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = LIST_SHEET
    when = f" {year} 年度" if year is not None else ""
    lines = [
        f"{unit}{when}填報檢核結果",
        f"貴單位繳交的檔案「{file}」無法讀取，其內容未納入彙整。",
        *(f"原因：{p.message}" for p in found),
        *(f"處理方式：{p.hint}" for p in found if p.hint),
        "修正後請將檔案重新送交人事室。",
    ]
    for r, text in enumerate(lines, start=1):
        cell = ws.cell(r, 1, writable(text))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[r].height = 18 * max(1, -(-display_width(text) // 90))
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 100
    wb.save(target)
    return target
