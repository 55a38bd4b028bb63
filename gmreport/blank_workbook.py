"""The blank standard workbook (標準填報活頁簿) that units fill in, derived from the schema.

Sheet names, headers, dropdown lists and help texts all come from `schema`; nothing about
the contract is written here a second time.
"""

from __future__ import annotations

from copy import copy
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .atomic import atomic_path
from .format import display_width
from .opendocument import write_ods
from .schema import (
    INFO_FIELDS,
    INFO_SHEET,
    INSTRUCTIONS_SHEET,
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
"""Rows below the header that carry formats and validations."""

NUMBER_FORMATS = {
    Kind.DATE: "yyyy/mm/dd",
    Kind.COUNT: "0",
    Kind.HOURS: "0.0",
    Kind.AMOUNT: "#,##0",
}

CREATOR = "gmreport"

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
_CENTER_WRAP = Alignment(horizontal="center", vertical="center", wrap_text=True)

# Excel's own limits for a data validation's messages.
PROMPT_TITLE_MAX = 32
PROMPT_MAX = 255
ERROR_MAX = 225
LIST_FORMULA_MAX = 255


def write_blank_workbook(
    path: Path, *, agency: str, unit: str, year: int, data_rows: int = DATA_ROWS
) -> None:
    """Write the blank standard workbook of `unit` for ROC `year` to `path`: an OpenDocument
    spreadsheet (LibreOffice) when `path` ends in .ods, otherwise an .xlsx. Both are written
    from the one workbook model that `blank_workbook` builds.

    `data_rows` is how many rows below the header carry formats and validations.
    """
    workbook = blank_workbook(agency=agency, unit=unit, year=year, data_rows=data_rows)
    if path.suffix.lower() == ".ods":
        write_ods(workbook, path)
        return
    with atomic_path(path) as tmp:
        workbook.save(tmp)


def blank_workbook(*, agency: str, unit: str, year: int, data_rows: int = DATA_ROWS) -> Workbook:
    """The blank standard workbook as an openpyxl Workbook, not yet saved.

    `data_rows` is how many rows below the header carry formats and validations; tests that
    need only a few rows ask for fewer than the template's DATA_ROWS, which is much faster.
    """
    if data_rows < 1:
        raise ValueError(f"data_rows must be at least 1, not {data_rows}")
    workbook = Workbook()
    instructions = workbook.active
    assert isinstance(instructions, Worksheet)
    instructions.title = INSTRUCTIONS_SHEET
    _write_instructions(instructions, agency=agency, unit=unit, year=year)
    _write_info(workbook.create_sheet(INFO_SHEET), agency=agency, unit=unit, year=year)
    for sheet in SHEETS:
        _write_data_sheet(workbook.create_sheet(sheet.name), sheet, data_rows)
    workbook.properties.title = f"{agency}{year}年度性別主流化填報活頁簿（{unit}）"
    workbook.properties.subject = "性別主流化推動計畫年度執行成果填報"
    workbook.properties.creator = CREATOR
    workbook.properties.lastModifiedBy = CREATOR
    return workbook


def _write_data_sheet(ws: Worksheet, sheet: Sheet, data_rows: int) -> None:
    last_col = len(sheet.columns)
    last_row = FIRST_DATA_ROW + data_rows - 1
    ws.cell(TITLE_ROW, 1, sheet.title).font = _TITLE_FONT
    ws.cell(TITLE_ROW, 1).alignment = Alignment(vertical="center")
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=last_col)
    ws.row_dimensions[TITLE_ROW].height = 26
    ws.row_dimensions[HEADER_ROW].height = 36
    for i, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(HEADER_ROW, i, column.header)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cell.border = _HEADER_BORDER
        cell.alignment = _CENTER_WRAP
        ws.column_dimensions[letter].width = _width(column)
        first = ws.cell(FIRST_DATA_ROW, i)
        first.number_format = NUMBER_FORMATS.get(column.kind, "General")
        first.border = _CELL_BORDER
        first.alignment = Alignment(vertical="top", wrap_text=column.kind is Kind.TEXT)
        for row in range(FIRST_DATA_ROW + 1, last_row + 1):
            # Sharing the style record is ~10x faster than setting three styles per cell.
            ws.cell(row, i)._style = copy(first._style)  # type: ignore[union-attr]
        ws.add_data_validation(_validation(column, f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}"))
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1).coordinate
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    _print_on_a4(ws, "landscape")


def _validation(column: Column, sqref: str) -> DataValidation:
    """A dropdown for choice columns; for the others an input prompt that restricts nothing."""
    required = "（必填）" if column.required else ""
    if not column.has_dropdown:
        validation = DataValidation(allow_blank=True, showInputMessage=True)
        validation.promptTitle = _clip(column.header + required, PROMPT_TITLE_MAX)
        validation.prompt = _clip(column.help, PROMPT_MAX)
        validation.add(sqref)
        return validation
    choices = "、".join(column.allowed)
    formula = '"' + ",".join(column.allowed) + '"'
    if len(formula) > LIST_FORMULA_MAX or any("," in v or '"' in v for v in column.allowed):
        raise ValueError(f"{column.header}: choices do not fit an Excel list validation")
    # A value the reader accepts as an alias (男性→男) must not be refused outright;
    # the dimensions of 複分類 are suggestions, any text goes.
    lenient = bool(column.aliases)
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showDropDown=False,  # openpyxl's name for Excel's "hide the in-cell arrow"
        showInputMessage=True,
        showErrorMessage=column.kind is not Kind.DIMENSIONS,
        errorStyle="warning" if lenient else "stop",
    )
    validation.promptTitle = _clip(column.header + required, PROMPT_TITLE_MAX)
    pick = (
        "可由下拉選單選擇，也可自行輸入" if column.kind is Kind.DIMENSIONS else "請由下拉選單選擇"
    )
    validation.prompt = _clip(f"{_sentence(column.help)}{pick}：{choices}。", PROMPT_MAX)
    validation.errorTitle = _clip(f"「{column.header}」的值不在選項內", PROMPT_TITLE_MAX)
    validation.error = _clip(
        f"請由下拉選單選擇：{choices}。"
        + ("若確定要保留輸入的值，請按「是」。" if lenient else "請按「重試」後重新選擇。"),
        ERROR_MAX,
    )
    validation.add(sqref)
    return validation


def _write_info(ws: Worksheet, *, agency: str, unit: str, year: int) -> None:
    ws.cell(1, 1, INFO_SHEET).font = _TITLE_FONT
    ws.row_dimensions[1].height = 26
    prefilled: dict[str, str | int] = {"agency": agency, "unit": unit, "year": year}
    for row, info in enumerate(INFO_FIELDS, start=2):
        label = ws.cell(row, 1, info.label)
        label.font = _HEADER_FONT
        label.fill = _REQUIRED_FILL if info.required else _HEADER_FILL
        label.border = _HEADER_BORDER
        label.alignment = Alignment(vertical="center")
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
        validation = DataValidation(allow_blank=True, showInputMessage=True)
        validation.promptTitle = _clip(info.label, PROMPT_TITLE_MAX)
        validation.prompt = _clip(info.help, PROMPT_MAX)
        validation.add(value.coordinate)
        ws.add_data_validation(validation)
        ws.row_dimensions[row].height = 22
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 32
    ws.column_dimensions["C"].width = 56
    _print_on_a4(ws, "portrait")


def _write_instructions(ws: Worksheet, *, agency: str, unit: str, year: int) -> None:
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
        "填畢可執行 gmreport check 自行檢核，或交人事室檢核；依檢核結果修正後，"
        "於規定期限內將本檔案送交人事室彙整。",
    )
    widths = (24, 10, 8, 34, 60)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    last_col = len(widths)

    ws.cell(1, 1, f"{agency} {year} 年度性別主流化填報活頁簿（{unit}）填報說明").font = _TITLE_FONT
    ws.row_dimensions[1].height = 26
    row = 3
    row = _section(ws, row, "壹、填報流程")
    for n, step in enumerate(steps, start=1):
        text = f"{n}. {step}"
        cell = ws.cell(row, 1, text)
        cell.alignment = Alignment(vertical="top", wrap_text=True, indent=1)
        cell.font = _BODY_FONT
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
        lines = -(-display_width(text) // (sum(widths) - 4))
        ws.row_dimensions[row].height = 16.5 * lines + 2
        row += 1

    row = _section(ws, row + 1, "貳、各工作表及欄位說明")
    for i, text in enumerate(("工作表／欄位", "類型", "必填", "可選填的值", "說明"), start=1):
        cell = ws.cell(row, i, text)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.border = _HEADER_BORDER
        cell.alignment = _CENTER_WRAP
    row += 1
    row = _sheet_heading(
        ws, row, INFO_SHEET, "本活頁簿的機關、單位及年度；B 欄填寫內容。", last_col
    )
    for info in INFO_FIELDS:
        row = _field_row(ws, row, (info.label, "", _mark(info.required), "", info.help))
    for sheet in SHEETS:
        row = _sheet_heading(ws, row, sheet.name, sheet.help, last_col)
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
    _print_on_a4(ws, "portrait")


def _section(ws: Worksheet, row: int, text: str) -> int:
    cell = ws.cell(row, 1, text)
    cell.font = Font(name=_FONT, size=12, bold=True)
    return row + 1


def _sheet_heading(ws: Worksheet, row: int, name: str, help: str, last_col: int) -> int:
    ws.cell(row, 1, name)
    ws.cell(row, 2, help)
    for i in range(1, last_col + 1):
        cell = ws.cell(row, i)
        cell.font = _HEADER_FONT if i == 1 else _BODY_FONT
        cell.fill = _SECTION_FILL
        cell.border = _HEADER_BORDER
        cell.alignment = _WRAP
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=last_col)
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
