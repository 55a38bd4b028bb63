"""The statistics workbook (統計總表) and the check-result workbook (填報檢核結果)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from copy import copy
from pathlib import Path
from types import MappingProxyType
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..aggregate import Shortfall
from ..atomic import atomic_path
from ..cells import reading_order
from ..figures import Figures
from ..format import cell_rate, display_width, roc_short_date, writable
from ..privacy import as_shown
from ..problems import Problem, Severity
from ..tables import (
    NO_RATE_NOTE,
    TOTAL_LABEL,
    Table,
    ValueKind,
    report_tables,
    rows_check,
    text,
)
from . import built_utc
from .trends import trend_tables

INFO_SHEET = "說明"
PROBLEMS_SHEET = "檢核結果"
SHORTFALL_SHEET = "待補訓名單"
SUMMARY_SHEET = "摘要"
PROBLEM_COLUMNS = (
    "檔案",
    "單位",
    "工作表",
    "儲存格",
    "嚴重度",
    "問題類型",
    "訊息",
    "建議修正",
    "代碼",
)
SHORTFALL_COLUMNS = (
    "單位",
    "姓名",
    "人員類別",
    "目標時數",
    "已完成時數",
    "尚缺時數",
    "補訓期限",
    "處理情形",
)
"""The 待補訓名單: the last two columns are left blank for 人事室 to fill in."""
SUMMARY_COLUMNS = ("單位", "錯誤", "警告", "合計", "待補訓人數", "退回修正檔")
NONE_TEXT = "無"
ROC_DATE_FORMAT = "[$-404]e/mm/dd"
"""A date cell shown in the ROC calendar (113/12/30) by Excel; the cell stays a real date, so
it sorts and computes as one (LibreOffice shows it in the western calendar)."""
UNKNOWN_UNIT = "（未能判別單位）"
ERROR = Severity.ERROR.value
T, C, H = ValueKind.TEXT, ValueKind.COUNT, ValueKind.HOURS

NUMBER_FORMATS = {
    ValueKind.COUNT: "#,##0",
    ValueKind.AMOUNT: "#,##0",
    ValueKind.RATE: "0.0%",
    ValueKind.HOURS: "#,##0.0",
    ValueKind.AVERAGE_HOURS: "#,##0.00",
    ValueKind.DATE: ROC_DATE_FORMAT,
}
MIN_WIDTH, MAX_WIDTH = 8, 50
LINE_HEIGHT = 16

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_SEVERITY_STYLE = {
    Severity.ERROR: (PatternFill("solid", fgColor="FFC7CE"), Font(bold=True, color="9C0006")),
    Severity.WARNING: (PatternFill("solid", fgColor="FFEB9C"), Font(color="9C5700")),
}
_BOLD = Font(bold=True)
_LINK_FONT = Font(color="0563C1", underline="single")
_TOP = Alignment(vertical="top", wrap_text=True)
_CENTER = Alignment(horizontal="center", vertical="top")


def write_statistics(figures: Figures, path: Path, *, generated: dt.datetime | None = None) -> None:
    """Write the `{Y}年度性別主流化統計總表.xlsx`: a 說明 sheet, then one sheet per report table."""
    tables = [t.for_workbook() for t in report_tables(as_shown(figures))]
    numbered = sum(t.number is not None for t in tables)
    tables += [t.for_workbook() for t in trend_tables(figures, first=numbered + 1)]
    draft = figures["draft"]
    wb = Workbook()
    _name_the_agency(wb, figures, "性別主流化統計總表")
    _write_info(_first_sheet(wb), figures, tables, generated or dt.datetime.now(), draft)
    for table in tables:
        ws = wb.create_sheet(table.name)
        _write_table(ws, table, draft=draft)
        said = [table.note] if table.note else []
        if any(  # a rate with nothing to divide by is blank, which its note says
            v is None and table.kind(r, c) is ValueKind.RATE
            for r, row in enumerate(table.rows)
            for c, v in enumerate(row)
        ):
            said.append(NO_RATE_NOTE)
        if said:
            ws.cell(ws.max_row + 2, 1, "\n".join(said)).font = Font(italic=True)
    with atomic_path(path) as tmp:
        wb.save(tmp)


def _name_the_agency(wb: Workbook, figures: Figures, title: str) -> None:
    """The workbook's properties name the agency and the build time, not the tool."""
    wb.properties.creator = wb.properties.lastModifiedBy = figures["agency"]
    wb.properties.title = f"{figures['agency']}{figures['year']}年度{title}"
    wb.properties.created = built_utc(figures)


def write_problems(
    problems: list[Problem],
    shortfalls: list[Shortfall],
    path: Path,
    *,
    unit_order: Sequence[str] = (),
    figures: Figures | None = None,
    copies: Mapping[str, Path] = MappingProxyType({}),
) -> None:
    """Write the `{Y}年度填報檢核結果.xlsx` that 人事室 sends back to units.

    `shortfalls` are the people short of their training hours. Units come in `unit_order`
    (the config's order), others after them by name, and problems of no unit last. `copies`
    are the units' marked copies (退回修正), as paths from the output folder: the 摘要 links
    each unit to its own.
    """
    order = {unit: i for i, unit in enumerate(unit_order)}

    def unit_key(unit: str) -> tuple[bool, int, str]:
        return not unit, order.get(unit, len(order)), unit

    rows = sorted(
        (
            (p.file, p.unit, p.sheet, p.cell, p.severity.value, p.title, p.message, p.hint, p.code)
            for p in problems
        ),
        key=lambda r: (unit_key(r[1]), r[0], r[2], reading_order(r[3]), r[4] != ERROR),
    )
    errors = sum(r[4] == ERROR for r in rows)
    short = sorted(
        (
            ("、".join(s.units), s.name, s.staff_type, s.target, s.hours, s.gap, None, None)
            for s in shortfalls
        ),
        key=lambda r: (unit_key(r[0]), -r[5], r[1]),
    )
    wb = Workbook()
    if figures is not None:
        _name_the_agency(wb, figures, "填報檢核結果")
    ws = _first_sheet(wb)
    ws.title = PROBLEMS_SHEET
    title = f"填報檢核結果（共 {len(rows)} 筆：錯誤 {errors} 筆、警告 {len(rows) - errors} 筆）"
    kinds = (T,) * len(PROBLEM_COLUMNS)
    _write_table(ws, Table(PROBLEMS_SHEET, title, PROBLEM_COLUMNS, kinds, rows), autofilter=True)
    styles = _body_styles(ws)
    for r in range(3, 3 + len(rows)):  # each severity in its colours
        cell = ws.cell(r, PROBLEM_COLUMNS.index("嚴重度") + 1)
        cell.style = styles[str(cell.value)]
    title = f"性別意識培力待補訓名單（共 {len(short)} 人；僅供人事室追蹤，請勿外流）"
    kinds = (T, T, T, H, H, H, T, T)
    _write_table(
        wb.create_sheet(SHORTFALL_SHEET),
        Table(SHORTFALL_SHEET, title, SHORTFALL_COLUMNS, kinds, short),
        autofilter=True,
    )
    summary = wb.create_sheet(SUMMARY_SHEET)
    summed = _summary_rows(rows, short, unit_key, unit_order)
    named = [(*r, copies[r[0]].name if r[0] in copies else "") for r in summed]
    _write_table(
        summary,
        Table(SUMMARY_SHEET, "各單位檢核結果摘要", SUMMARY_COLUMNS, (T, C, C, C, C, T), named),
    )
    for r, row in enumerate(named, start=3):  # each unit's own marked copy, a click away
        if row[0] in copies:
            cell = summary.cell(r, len(SUMMARY_COLUMNS))
            cell.hyperlink = copies[row[0]].as_posix()
            cell.font = _LINK_FONT
    if figures is not None:  # where the figures came from: for 人事室, not the report
        for table in (_submissions(figures), _files(figures), rows_check(figures)):
            _write_table(wb.create_sheet(table.name), table)
    with atomic_path(path) as tmp:
        wb.save(tmp)


def _submissions(figures: Figures) -> Table:
    """Each unit of the config and whether it sent its workbook: what to chase."""
    units = figures["units"]
    files = {f["unit"]: f["file"] for f in figures["files"]["read"]}
    status = {u: "已繳交" for u in units["submitted"]}
    status |= {u: "繳交空白表：請填寫後重新繳交" for u in units["empty"]}
    status |= {u: "未繳交：請督促繳交" for u in units["missing"]}
    rows = [(u, status.get(u, ""), files.get(u, "")) for u in units["expected"]]
    title = f"{figures['year']}年度各單位繳交情形"
    return Table("繳交情形", title, ("單位", "繳交情形", "檔案"), (T, T, T), rows)


def _files(figures: Figures) -> Table:
    """Every file read, set aside or left out, with why."""
    files = figures["files"]
    rows: list[tuple[Any, ...]] = [
        (f["file"], f["unit"], f["year"], "納入統計", "") for f in files["read"]
    ]
    rows += [
        (f["file"], f["unit"], f["year"], "另列，未納入統計", f["reason"])
        for f in files["set_aside"]
    ]
    rows += [(f["file"], "", None, "無法讀取或未納入", f["reason"]) for f in files["rejected"]]
    columns = ("檔案", "單位", "年度", "處理", "說明")
    return Table("檔案清單", f"{figures['year']}年度彙整之檔案", columns, (T, T, C, T, T), rows)


def _first_sheet(wb: Workbook) -> Worksheet:
    """The sheet a new workbook starts with."""
    ws = wb.active
    assert isinstance(ws, Worksheet)
    return ws


def _summary_rows(
    problems: list[tuple[Any, ...]],
    shortfalls: list[tuple[Any, ...]],
    unit_key: Callable[[str], tuple[Any, ...]],
    unit_order: Sequence[str],
) -> list[tuple[Any, ...]]:
    """Every unit of the config (those without a problem too), then any other."""
    errors = Counter(r[1] for r in problems if r[4] == ERROR)
    warnings = Counter(r[1] for r in problems if r[4] != ERROR)
    short = Counter(r[0] for r in shortfalls)
    units = sorted(set(errors) | set(warnings) | set(short) | set(unit_order), key=unit_key)
    if not units:
        return []
    rows: list[tuple[Any, ...]] = [
        (u or UNKNOWN_UNIT, errors[u], warnings[u], errors[u] + warnings[u], short[u])
        for u in units
    ]
    rows.append((TOTAL_LABEL, *(sum(r[i] for r in rows) for i in range(1, len(rows[0])))))
    return rows


def _write_info(
    ws: Worksheet, figures: Figures, tables: list[Table], generated: dt.datetime, draft: bool
) -> None:
    ws.title = INFO_SHEET
    year = figures["year"]
    issues = figures["issues"]
    ws.append([writable(f"{figures['agency']}{year}年度性別主流化統計總表")])
    ws["A1"].font = Font(bold=True, size=14)
    info = [
        ("機關名稱", figures["agency"]),
        ("年度", f"{year}年度"),
        ("產製時間", f"{roc_short_date(generated.date())} {generated:%H:%M}"),
        ("版本", "草稿（尚有填報錯誤未更正，數字僅供參考）" if draft else "正式"),
        ("未繳交單位", "、".join(figures["units"]["missing"]) or NONE_TEXT),
        ("繳交空白表單位", "、".join(figures["units"]["empty"]) or NONE_TEXT),
        ("檢核結果", f"錯誤 {issues['errors']} 筆、警告 {issues['warnings']} 筆"),
    ]
    for key, value in info:
        ws.append([key, writable(value)])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        if key == "版本" and draft:
            ws.cell(ws.max_row, 2).font = Font(bold=True, color="C00000")
    ws.append([])
    listed = [("工作表", "內容"), *((t.name, t.title) for t in tables)]
    for i, row in enumerate(listed):
        ws.append(row)
        for cell in ws[ws.max_row]:
            cell.border = _BORDER
            if not i:
                cell.font = Font(bold=True)
                cell.fill = _HEADER_FILL
    _fit_widths(ws, [0, 0], [[display_width(text) for text in row] for row in [*listed, *info]])


def _write_table(
    ws: Worksheet,
    table: Table,
    *,
    draft: bool = False,
    autofilter: bool = False,
) -> None:
    """Title in row 1, headers in row 2, values from row 3 (or a line 「無」). A cell holds the
    exact value, which its number format shows as the report does (a date in the ROC
    calendar); a rate with nothing to divide by is blank, which the table's note explains.
    No value is a formula: a text a person typed that looks like one (「=HYPERLINK(…)」)
    stays text."""
    title = writable(table.title + ("（草稿）" if draft else ""))
    ws.cell(1, 1, title).font = Font(bold=True, size=14)
    for col, header in enumerate(table.columns, 1):
        cell = ws.cell(2, col, writable(header))
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    styles = _body_styles(ws)
    # A cell takes a style by copying that of the first cell that took it by name, since
    # naming a style looks it up by name each time, which dominates a long table.
    made: dict[str, Any] = {}
    sizes: list[list[int]] = []  # each value's display width, to size its column and row
    first_total = len(table.rows) - table.totals
    for r, row in enumerate(table.rows):
        bold = r >= first_total or row[0] == TOTAL_LABEL
        cells = []
        sizes.append([])
        for c, value in enumerate(row):
            kind = table.kind(r, c)
            sizes[-1].append(display_width("" if value is None else text(value, kind)))
            if kind is ValueKind.RATE and isinstance(value, float | int):
                value = cell_rate(value)  # exact, but never shown 100.0% short of 100%
            cell = Cell(ws, r + 3, c + 1, writable(value) if isinstance(value, str) else value)
            if cell.data_type == "f":
                cell.data_type = "s"
            if value is None:
                name = styles["center"]
            else:
                name = styles[kind.value if kind in NUMBER_FORMATS else "text"]
            if name in made:
                cell._style = copy(made[name])  # type: ignore[attr-defined]  # not in the stubs
            else:
                cell.style = name
                made[name] = copy(cell._style)  # type: ignore[attr-defined]
            if bold:
                cell.font = _BOLD
            cells.append(cell)
        ws.append(cells)  # row r + 3 whole: ws.cell would first look each cell up by its place
    if not table.rows:
        ws.cell(3, 1, table.empty if table.number else NONE_TEXT)
    ws.freeze_panes = "B3" if len(table.columns) > 4 else "A3"
    if autofilter:
        last_col = get_column_letter(len(table.columns))
        ws.auto_filter.ref = f"A2:{last_col}{max(2 + len(table.rows), 3)}"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    widths = _fit_widths(ws, [_header_width(h) for h in table.columns], sizes)
    _fit_heights(ws, 2, [[display_width(h) for h in table.columns]], widths)
    _fit_heights(ws, 3, sizes, widths)


def _body_styles(ws: Worksheet) -> dict[str, str]:
    """The names of the table body's styles, added to the workbook of `ws` once: shared
    styles, so that a long table does not make and compare a style for each cell."""
    wb = ws.parent
    assert wb is not None
    named: dict[str, dict[str, Any]] = {
        "text": {"alignment": _TOP},
        "center": {"alignment": _CENTER},
        **{kind.value: {"number_format": fmt} for kind, fmt in NUMBER_FORMATS.items()},
        ValueKind.DATE.value: {"number_format": ROC_DATE_FORMAT, "alignment": _CENTER},
        **{
            severity.value: {"fill": fill, "font": font, "alignment": _CENTER}
            for severity, (fill, font) in _SEVERITY_STYLE.items()
        },
    }
    names = {key: f"gmreport {key}" for key in named}
    if names["text"] not in wb.named_styles:
        for key, attributes in named.items():
            wb.add_named_style(NamedStyle(names[key], border=_BORDER, **attributes))
    return names


def _header_width(header: str) -> int:
    """Headers wrap, so a long one needs only about half its width."""
    width = display_width(header)
    return width if width <= MIN_WIDTH + 2 else (width + 1) // 2 + 2


def _fit_widths(ws: Worksheet, minimum: list[int], sizes: list[list[int]]) -> list[int]:
    """Set each column wide enough for its longest text, within MIN_WIDTH..MAX_WIDTH.
    `sizes` holds the texts' display widths, a list per row."""
    widths = []
    for col, least in enumerate(minimum, 1):
        longest = max((row[col - 1] for row in sizes if col <= len(row)), default=0)
        width = min(max(least, longest + 2, MIN_WIDTH), MAX_WIDTH)
        ws.column_dimensions[get_column_letter(col)].width = width
        widths.append(width)
    return widths


def _fit_heights(ws: Worksheet, first_row: int, sizes: list[list[int]], widths: list[int]) -> None:
    """Give rows whose text wraps room for every line (not every spreadsheet does it on
    opening). `sizes` holds the texts' display widths, a list per row."""
    for r, row in enumerate(sizes, first_row):
        lines = max(-(-size // max(width - 2, 1)) for size, width in zip(row, widths, strict=True))
        if lines > 1:
            ws.row_dimensions[r].height = LINE_HEIGHT * lines
