"""The blank standard workbook (標準填報活頁簿) that units fill in, derived from the schema.

Sheet names, headers, dropdown lists and help texts all come from `schema`; nothing about
the contract is written here a second time.
"""

from __future__ import annotations

from collections.abc import Mapping
from copy import copy
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from . import self_check
from .atomic import atomic_path
from .format import display_width
from .ods_writer import write_ods
from .schema import (
    INFO_FIELDS,
    INFO_SHEET,
    INSTRUCTIONS_SHEET,
    OPTIONS_SHEET,
    SHEETS,
    SHEETS_BY_KEY,
    Column,
    Kind,
    Sheet,
)

TITLE_ROW = 1
HEADER_ROW = 2
FIRST_DATA_ROW = 3
DATA_ROWS = 500
"""Rows below the header that carry the validations (the formats are the whole column's)."""

NUMBER_FORMATS = {
    Kind.DATE: "yyyy/mm/dd",
    Kind.COUNT: "0",
    Kind.HOURS: "0.0",
    Kind.AMOUNT: "#,##0",
}

CREATOR = "gmreport"
Aliases = Mapping[str, Mapping[str, str]]
"""The config's own words for dropdown values: column header → {word: allowed value}."""

_FONT = "微軟正黑體"
_TITLE_FONT = Font(name=_FONT, size=14, bold=True)
_HEADER_FONT = Font(name=_FONT, size=11, bold=True)
_BODY_FONT = Font(name=_FONT, size=11)
_NOTE_FONT = Font(name=_FONT, size=10, color="595959")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_SECTION_FILL = PatternFill("solid", fgColor="E2EFDA")
_THIN = Side(style="thin", color="808080")
_HAIR = Side(style="hair", color="BFBFBF")
_HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CELL_BORDER = Border(left=_HAIR, right=_HAIR, top=_HAIR, bottom=_HAIR)
_WRAP = Alignment(wrap_text=True, vertical="top")
_MARK = FormulaRule(  # type: ignore[no-untyped-call]
    formula=["TRUE"],  # each column's own formula replaces it (see _self_check)
    fill=PatternFill("solid", fgColor=self_check.MARK_FILL, bgColor=self_check.MARK_FILL),
    font=Font(color=self_check.MARK_FONT),
)
_STATUS_MARK = PatternFill("solid", fgColor=self_check.STATUS_FILL, bgColor=self_check.STATUS_FILL)
_CENTER_WRAP = Alignment(horizontal="center", vertical="center", wrap_text=True)
_GUIDE_WIDTHS = (24, 10, 8, 34, 60)
"""The widths of the 填報說明's columns."""

# Excel's own limits for a data validation's messages.
PROMPT_TITLE_MAX = 32
PROMPT_MAX = 255
ERROR_MAX = 225
LIST_FORMULA_MAX = 255


def write_blank_workbook(
    path: Path,
    *,
    agency: str,
    unit: str,
    year: int,
    data_rows: int = DATA_ROWS,
    aliases: Aliases | None = None,
) -> None:
    """Write the blank standard workbook of `unit` for ROC `year` to `path`: an OpenDocument
    spreadsheet (LibreOffice) when `path` ends in .ods, otherwise an .xlsx. Both are written
    from the one workbook model that `blank_workbook` builds (see it for `data_rows` and
    `aliases`)."""
    workbook = blank_workbook(
        agency=agency, unit=unit, year=year, data_rows=data_rows, aliases=aliases
    )
    if path.suffix.lower() == ".ods":
        write_ods(workbook, path, blank_results())
        return
    with atomic_path(path) as tmp:
        workbook.save(tmp)


def blank_workbook(
    *,
    agency: str,
    unit: str,
    year: int,
    data_rows: int = DATA_ROWS,
    aliases: Aliases | None = None,
) -> Workbook:
    """The blank standard workbook as an openpyxl Workbook, not yet saved.

    `data_rows` is how many rows below the header carry the validations and the checks
    (DATA_ROWS in the template); `aliases` the config's own words for dropdown values,
    accepted by the checks too.
    """
    if data_rows < 1:
        raise ValueError(f"data_rows must be at least 1, not {data_rows}")
    workbook = Workbook()
    instructions = workbook.active
    assert isinstance(instructions, Worksheet)
    instructions.title = INSTRUCTIONS_SHEET
    _write_instructions(instructions, agency=agency, unit=unit, year=year, data_rows=data_rows)
    _write_info(workbook.create_sheet(INFO_SHEET), agency=agency, unit=unit, year=year)
    data_sheets = [workbook.create_sheet(sheet.name) for sheet in SHEETS]
    options = workbook.create_sheet(OPTIONS_SHEET)
    layout = self_check.Layout(
        FIRST_DATA_ROW, FIRST_DATA_ROW + data_rows - 1, _write_options(options, aliases or {})
    )
    for i, (ws, sheet) in enumerate(zip(data_sheets, SHEETS, strict=True)):
        options.cell(i + 2, 1, sheet.name)
        count = options.cell(i + 2, 2, "=" + self_check.count(sheet, layout))
        _write_data_sheet(
            ws, sheet, layout, f"'{OPTIONS_SHEET}'!${count.column_letter}${count.row}"
        )
    workbook.properties.title = f"{agency}{year}年度性別主流化填報活頁簿（{unit}）"
    workbook.properties.subject = "性別主流化推動計畫年度執行成果填報"
    workbook.properties.creator = CREATOR
    workbook.properties.lastModifiedBy = CREATOR
    return workbook


def blank_results() -> dict[tuple[str, str], str]:
    """The status lines of the blank workbook, by (sheet, cell): what an .ods holds as their
    last result (see `ods_writer.write_ods`)."""
    return {
        (sheet.name, f"A{TITLE_ROW}"): f"{sheet.title}\n{self_check.status_text(0)}"
        for sheet in SHEETS
    }


def _write_data_sheet(ws: Worksheet, sheet: Sheet, layout: self_check.Layout, count: str) -> None:
    """The title with its status line (of the cell `count`), the headers, the data rows'
    formats, prompts and dropdowns, and the checks as conditional formats."""
    last = get_column_letter(len(sheet.columns))
    title = ws.cell(TITLE_ROW, 1, self_check.status(sheet.title, count))
    title.font = _TITLE_FONT
    title.alignment = Alignment(vertical="center", wrap_text=True)
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.row_dimensions[TITLE_ROW].height = 42
    ws.row_dimensions[HEADER_ROW].height = 36
    for i, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        _header(ws.cell(HEADER_ROW, i, column.header), column.required)
        # The column carries the data rows' style, so the blank rows are no cells at all:
        # a spreadsheet gives a cell typed into the column the column's style.
        dimension = ws.column_dimensions[letter]
        dimension.width = _width(column)
        dimension.number_format = NUMBER_FORMATS.get(column.kind, "General")
        dimension.border = _CELL_BORDER
        dimension.alignment = Alignment(vertical="top", wrap_text=column.kind is Kind.TEXT)
        rows = f"{letter}{layout.first_row}:{letter}{layout.last_row}"
        ws.add_data_validation(_validation(column, rows))
        if (formula := self_check.rule(sheet, column, layout)) is not None:
            mark = copy(_MARK)
            mark.formula = [formula]
            ws.conditional_formatting.add(rows, mark)
    ws.conditional_formatting.add(
        f"A{TITLE_ROW}:{last}{TITLE_ROW}",
        FormulaRule(formula=[f"{count}<>0"], fill=_STATUS_MARK),  # type: ignore[no-untyped-call]
    )
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    _print_on_a4(ws, "landscape")


def _write_options(ws: Worksheet, aliases: Aliases) -> dict[tuple[str, str], str]:
    """Fill the hidden sheet 選項: in columns A and B each data sheet's count of marked cells
    (filled in by the caller), from column C each dropdown's accepted words (its choices, the
    schema's aliases and the config's), one column per distinct list. Return where each
    dropdown column's words are, by (sheet key, column key)."""
    ws.sheet_state = "hidden"
    ws.cell(1, 1, "工作表")
    ws.cell(1, 2, "待確認處數")
    lists: dict[tuple[str, ...], list[tuple[Sheet, Column]]] = {}
    for sheet in SHEETS:
        for column in sheet.columns:
            if column.has_dropdown and column.kind is not Kind.DIMENSIONS:
                extra = aliases.get(column.header, {})
                words = (*column.allowed, *column.aliases, *extra)
                lists.setdefault(tuple(dict.fromkeys(words)), []).append((sheet, column))
    where: dict[tuple[str, str], str] = {}
    for col, (words, users) in enumerate(lists.items(), start=3):
        letter = get_column_letter(col)
        ws.cell(1, col, "、".join(f"{sheet.name}／{column.header}" for sheet, column in users))
        for row, word in enumerate(words, start=2):
            ws.cell(row, col, word)
        span = f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${len(words) + 1}"
        for sheet, column in users:
            where[(sheet.key, column.key)] = span
    return where


def _validation(column: Column, sqref: str) -> DataValidation:
    """A dropdown for choice columns; for the others an input prompt that restricts nothing."""
    title = column.header + ("（必填）" if column.required else "")
    if not column.has_dropdown:
        return _prompt(title, column.help, sqref)
    choices = "、".join(column.allowed)
    formula = '"' + ",".join(column.allowed) + '"'
    if len(formula) > LIST_FORMULA_MAX or any("," in v or '"' in v for v in column.allowed):
        raise ValueError(f"{column.header}: choices do not fit an Excel list validation")
    # A value the reader accepts as an alias (男性→男) must not be refused outright;
    # the dimensions of 複分類 are suggestions, any text goes.
    lenient = bool(column.aliases)
    pick = (
        "可由下拉選單選擇，也可自行輸入" if column.kind is Kind.DIMENSIONS else "請由下拉選單選擇"
    )
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showDropDown=False,  # openpyxl's name for Excel's "hide the in-cell arrow"
        showInputMessage=True,
        showErrorMessage=column.kind is not Kind.DIMENSIONS,
        errorStyle="warning" if lenient else "stop",
        promptTitle=_clip(title, PROMPT_TITLE_MAX),
        prompt=_clip(f"{_sentence(column.help)}{pick}：{choices}。", PROMPT_MAX),
        errorTitle=_clip(f"「{column.header}」的值不在選項內", PROMPT_TITLE_MAX),
        error=_clip(
            f"請由下拉選單選擇：{choices}。"
            + ("若確定要保留輸入的值，請按「是」。" if lenient else "請按「重試」後重新選擇。"),
            ERROR_MAX,
        ),
        sqref=sqref,
    )


def _prompt(title: str, text: str, sqref: str) -> DataValidation:
    """An input prompt at `sqref` that restricts nothing."""
    return DataValidation(
        allow_blank=True,
        showInputMessage=True,
        promptTitle=_clip(title, PROMPT_TITLE_MAX),
        prompt=_clip(text, PROMPT_MAX),
        sqref=sqref,
    )


def _write_info(ws: Worksheet, *, agency: str, unit: str, year: int) -> None:
    ws.cell(1, 1, INFO_SHEET).font = _TITLE_FONT
    ws.row_dimensions[1].height = 26
    prefilled: dict[str, str | int] = {"agency": agency, "unit": unit, "year": year}
    for row, info in enumerate(INFO_FIELDS, start=2):
        _header(ws.cell(row, 1, info.label), info.required, Alignment(vertical="center"))
        value = ws.cell(row, 2, prefilled.get(info.key))
        value.font = _BODY_FONT
        value.border = _HEADER_BORDER
        value.alignment = Alignment(horizontal="left", vertical="center")
        if info.key == "year":
            value.number_format = "0"
        elif info.key == "filed_on":
            value.number_format = NUMBER_FORMATS[Kind.DATE]
        note = ws.cell(row, 3, info.help)
        note.font = _NOTE_FONT
        note.alignment = Alignment(vertical="center", wrap_text=True)
        ws.add_data_validation(_prompt(info.label, info.help, value.coordinate))
        ws.row_dimensions[row].height = 22
    for letter, width in zip("ABC", (14, 32, 56), strict=True):
        ws.column_dimensions[letter].width = width
    _print_on_a4(ws, "portrait")


def _write_instructions(
    ws: Worksheet, *, agency: str, unit: str, year: int, data_rows: int
) -> None:
    roster = SHEETS_BY_KEY["roster"].name
    training = SHEETS_BY_KEY["training"].name
    narratives = SHEETS_BY_KEY["narratives"].name
    steps = (
        f"先填寫「{INFO_SHEET}」工作表：機關名稱、填報單位及年度已預先填入，"
        "請補填填報人、聯絡電話及填報日期。",
        "依本單位業務填寫各工作表，每筆資料一列，由第 3 列（欄位標題下一列）開始往下填；"
        "本單位沒有資料的工作表保持空白即可，請勿刪除或更名工作表。",
        "請勿修改第 2 列的欄位標題，也請勿使用合併儲存格；如需自用欄位，請加在最右側，不會被讀取。",
        "標題底色為淺橘色的欄位為必填；有下拉選單的欄位請由選單選擇。",
        "日期可填 Excel 日期，或 113/3/5、113.03.05、113年3月5日、2024-03-05 等寫法；"
        "人數、時數、金額請填阿拉伯數字，可含千分位或「人」「小時」「元」等單位。",
        f"「{training}」的姓名須與本活頁簿「{roster}」的姓名完全相同；"
        "同名者請在名冊加註區分，例如 王小明(A)。",
        f"只有日期在 {year} 年 1 月 1 日至 12 月 31 日之間的資料列入 {year} 年度統計。",
        f"「{narratives}」的文字將直接納入年度執行成果報告，請以完整句子撰寫。",
        "填寫時，本活頁簿會自動以淺紅色標示可能有誤的儲存格，各工作表標題下方並顯示"
        "「本表尚有 N 處待確認」或「本表未發現待確認之處」（說明見下方「參、自動提示」）。"
        "這些標示僅供參考，是否有誤以人事室的檢核結果為準。",
        "填畢可執行 gmreport check 自行檢核，或交人事室檢核；依檢核結果修正後，"
        "於規定期限內將本檔案送交人事室彙整。",
    )
    last_row = FIRST_DATA_ROW + data_rows - 1
    hints = (
        "必填欄位空白，而同一列已填有其他資料。",
        "下拉選單欄位的值不在選項內（本機關慣用的同義詞，例如「約僱人員」「男性」，不會標示）。",
        f"日期不在本活頁簿「{INFO_SHEET}」所填年度之內（含以文字輸入的日期）。",
        "時數不是大於 0 且不超過 24 的數字；人數不是 0 以上的整數；金額不是 0 以上的數字。",
        f"「{training}」的姓名不在本活頁簿的「{roster}」中；「{roster}」中有重複的姓名。",
        "離職日期早於到職日期；留職停薪迄日早於起日。",
    )
    notes = (
        "以下情形公式無法判斷或判斷不完整，請以人事室檢核結果為準：",
        *(
            "・" + t.format(rows=data_rows, first=FIRST_DATA_ROW, last=last_row)
            for t in self_check.CANNOT_CHECK
        ),
        "本活頁簿未使用巨集；標示與處數皆由公式即時計算，以 Excel 或 LibreOffice 開啟皆可。",
    )
    for i, width in enumerate(_GUIDE_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    ws.cell(1, 1, f"{agency} {year} 年度性別主流化填報活頁簿（{unit}）填報說明").font = _TITLE_FONT
    ws.row_dimensions[1].height = 26
    row = _section(ws, 3, "壹、填報流程")
    for n, step in enumerate(steps, start=1):
        row = _paragraph_row(ws, row, f"{n}. {step}")

    row = _section(ws, row + 1, "貳、各工作表及欄位說明")
    for i, text in enumerate(("工作表／欄位", "類型", "必填", "可選填的值", "說明"), start=1):
        _header(ws.cell(row, i, text))
    row += 1
    row = _sheet_heading(ws, row, INFO_SHEET, "本活頁簿的機關、單位及年度；B 欄填寫內容。")
    for info in INFO_FIELDS:
        row = _field_row(ws, row, (info.label, "", _mark(info.required), "", info.help))
    for sheet in SHEETS:
        row = _sheet_heading(ws, row, sheet.name, sheet.help)
        for column in sheet.columns:
            row = _field_row(
                ws,
                row,
                (
                    column.header,
                    column.kind.value,
                    _mark(column.required),
                    "、".join(column.allowed),
                    column.help,
                ),
            )
    row = _section(ws, row + 1, "參、自動提示（僅供參考，以人事室檢核結果為準）")
    row = _paragraph_row(ws, row, "下列情形的儲存格會以淺紅色標示：")
    for n, hint in enumerate(hints, start=1):
        row = _paragraph_row(ws, row, f"{n}. {hint}")
    for note in notes:
        row = _paragraph_row(ws, row, note)
    _print_on_a4(ws, "portrait")


def _paragraph_row(ws: Worksheet, row: int, text: str) -> int:
    cell = ws.cell(row, 1, text)
    cell.alignment = Alignment(vertical="top", wrap_text=True, indent=1)
    cell.font = _BODY_FONT
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(_GUIDE_WIDTHS))
    lines = -(-display_width(text) // (sum(_GUIDE_WIDTHS) - 4))
    ws.row_dimensions[row].height = 16.5 * lines + 2
    return row + 1


def _section(ws: Worksheet, row: int, text: str) -> int:
    cell = ws.cell(row, 1, text)
    cell.font = Font(name=_FONT, size=12, bold=True)
    return row + 1


def _sheet_heading(ws: Worksheet, row: int, name: str, help: str) -> int:
    ws.cell(row, 1, name)
    ws.cell(row, 2, help)
    for i in range(1, len(_GUIDE_WIDTHS) + 1):
        cell = ws.cell(row, i)
        cell.font = _HEADER_FONT if i == 1 else _BODY_FONT
        cell.fill = _SECTION_FILL
        cell.border = _HEADER_BORDER
        cell.alignment = _WRAP
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=len(_GUIDE_WIDTHS))
    return row + 1


def _field_row(ws: Worksheet, row: int, values: tuple[str, ...]) -> int:
    for i, value in enumerate(values, start=1):
        cell = ws.cell(row, i, value or None)
        cell.font = _BODY_FONT
        cell.border = _CELL_BORDER
        cell.alignment = Alignment(
            horizontal="center" if i in (2, 3) else None, vertical="top", wrap_text=True
        )
    ws.cell(row, 1).alignment = Alignment(indent=1, vertical="top", wrap_text=True)
    longest = max(display_width(values[3]) / 32, display_width(values[4]) / 58)
    ws.row_dimensions[row].height = 16.5 * max(1, -(-longest // 1))
    return row + 1


def _header(cell: Cell, required: bool = False, alignment: Alignment = _CENTER_WRAP) -> None:
    cell.font = _HEADER_FONT
    cell.fill = _REQUIRED_FILL if required else _HEADER_FILL
    cell.border = _HEADER_BORDER
    cell.alignment = alignment


def _mark(required: bool) -> str:
    return "是" if required else ""


def _width(column: Column) -> float:
    """Wide enough for the header on one line, and at least the schema's width."""
    return max(column.width, round(display_width(column.header) * 0.85 + 1.5, 1))


def _sentence(text: str) -> str:
    return text if not text or text.endswith(("。", "！", "？")) else text + "。"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _print_on_a4(ws: Worksheet, orientation: Literal["portrait", "landscape"]) -> None:
    """Print the sheet on A4 in `orientation`, as wide as one page."""
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
