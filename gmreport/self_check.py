"""The blank workbook's own checks (SPEC §5 ◆): spreadsheet formulas, derived from the schema,
that mark a doubtful cell as the unit types and count the marked cells of each data sheet.

Each check is an expression written once for a reference `x` to the column's cells: given one
cell (`$B3`) it is the conditional format of the column's first data cell; given the column's
data rows (`$B$3:$B$502`) it is an array whose marked rows SUMPRODUCT counts. So the checks use
only what Excel and LibreOffice both evaluate element by element inside SUMPRODUCT without an
array formula: arithmetic on comparisons for AND and OR (AND and OR themselves fold an array
into one value), ISNUMBER around what may be an error value (VALUE of a word, 1/0) instead of
IF or IFERROR (IF needs an array formula in Excel before 365), and COUNTIF, LEN, TRIM,
SUBSTITUTE, LEFT, INT, DATE. No macro, no volatile function, nothing of Excel 365 only.

These are hints for the unit; `gmreport check` decides (the 填報說明 says what a formula cannot
see: `CANNOT_CHECK`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .cells import UNIT_WORDS, column_letters
from .format import ROC_OFFSET
from .schema import INFO_FIELDS, INFO_SHEET, SHEETS_BY_KEY, Column, Kind, Sheet

MARK_FILL = "FFC7CE"
"""The fill of a marked cell (the light red of Excel's own 「淺紅色填滿」)."""
MARK_FONT = "9C0006"
"""The text colour of a marked cell (its dark red)."""
STATUS_FILL = "FFEB9C"
"""The fill of a data sheet's title while some cell of the sheet is marked."""
NOTHING_FOUND = "本表未發現待確認之處"
COUNT_FAILED = "本表有錯誤值（如 #N/A），待確認處數無法計算"


def status_text(n: int) -> str:
    """The status line of a data sheet with `n` marked cells, as the formula writes it."""
    return NOTHING_FOUND if n == 0 else f"本表尚有 {n} 處待確認"


CANNOT_CHECK = (
    "以文字輸入的日期只檢查開頭的年份（民國或西元年），不檢查月、日是否存在；"
    "以全形數字輸入的日期、人數、時數也會標示，但人事室檢核時可以接受。",
    "人數、時數、金額可含千分位及「人」「小時」「元」等單位；其他寫法（例如國字數字）會標示。",
    "姓名、選項前後的空白不影響判斷，但姓名中間的空白會使培力紀錄的姓名被標示為不在人員名冊。",
    "留職停薪迄日早於起日、離職日期早於到職日期，只在兩個日期都是 Excel 日期時標示。",
    "只檢查有格式的前 {rows} 列資料（第 {first} 列至第 {last} 列）；以下各列不會標示。",
)
"""What the formulas cannot see, for the 填報說明 (with the data rows filled in)."""


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


@dataclass(frozen=True)
class Layout:
    """Where the checks look: the data rows, and the hidden sheet's word lists."""

    first_row: int
    last_row: int
    words: Mapping[tuple[str, str], str]
    """(sheet key, column key) → the absolute range of the words the column accepts."""

    def column(self, sheet: Sheet, key: str) -> str:
        """The absolute range of column `key`'s data rows, named with its sheet."""
        letter = column_letters([c.key for c in sheet.columns].index(key) + 1)
        return f"{_quoted(sheet.name)}!${letter}${self.first_row}:${letter}${self.last_row}"


YEAR_CELL = f"{_quoted(INFO_SHEET)}!$B${[f.key for f in INFO_FIELDS].index('year') + 2}"
"""The 基本資料 cell of the workbook's ROC year (its value in column B, from row 2 down)."""


def _filled(x: str) -> str:
    return f"(LEN(TRIM({x}))>0)"


def _number(x: str) -> str:
    """The number typed in `x`, its thousands separators and unit dropped; an error value
    when it is no number (wrap in ISNUMBER)."""
    text = f"TRIM({x})"
    for word in (",", *UNIT_WORDS.split("|")):
        text = f'SUBSTITUTE({text},"{word}","")'
    return f"VALUE({text})"


def _date_in_year(x: str) -> str:
    """1 when `x` is a date of the workbook's year: an Excel date of it; a date LibreOffice
    made of a typed ROC date (113/3/5 in its Julian calendar, year 113: serial numbers from
    -693595, its 1 January of the year 1); or text that begins with the year, ROC or AD."""
    y = YEAR_CELL
    ad = f"({y}+{ROC_OFFSET})"
    excel = f"({x}>=DATE({ad},1,1))*({x}<=DATE({ad},12,31))"
    julian = f"({x}>=-693595+365*({y}-1)+INT(({y}-1)/4))*({x}<-693595+365*{y}+INT({y}/4))"
    text = f"TRIM({x})"
    for separator in (".", "-", "年"):
        text = f'SUBSTITUTE({text},"{separator}","/")'
    begins = (
        f'(LEFT({text},LEN({y})+1)={y}&"/")'
        f'+(LEFT({text},LEN({y})+2)="0"&{y}&"/")'
        f'+(LEFT({text},5)={ad}&"/")'
    )
    return f"(ISNUMBER({x})*({excel}+{julian})+{begins})"


def _valid_number(column: Column, x: str) -> str | None:
    """1 when `x` holds a number the column's kind allows (ISNUMBER of 1/(1 or 0))."""
    v = _number(x)
    match column.kind:
        case Kind.COUNT:
            return f"ISNUMBER(1/(({v}>=0)*(INT({v})={v})))"
        case Kind.HOURS:
            return f"ISNUMBER(1/(({v}>0)*({v}<=24)))"
        case Kind.AMOUNT:
            return f"ISNUMBER(1/(({v}>=0)*1))"
    return None


def checks(sheet: Sheet, column: Column, layout: Layout, ref: Callable[[str], str]) -> list[str]:
    """The column's checks at `ref` (column key → reference): expressions that are above 0
    where the cell is to be marked."""
    x = ref(column.key)
    found = []
    if column.required:
        row = "&".join(ref(c.key) for c in sheet.columns)
        found.append(f"(LEN(TRIM({x}))=0)*{_filled(row)}")
    if (sheet.key, column.key) in layout.words:
        words = layout.words[(sheet.key, column.key)]
        found.append(f"{_filled(x)}*(COUNTIF({words},TRIM({x}))=0)")
    if column.kind is Kind.DATE:
        found.append(f"{_filled(x)}*ISNUMBER({YEAR_CELL})*({_date_in_year(x)}=0)")
    if (valid := _valid_number(column, x)) is not None:
        found.append(f"{_filled(x)}*({valid}=0)")
    if column.unique:
        every = layout.column(sheet, column.key)
        found.append(f"{_filled(x)}*(COUNTIF({every},{x})>1)")
    if column.listed_in:
        other = SHEETS_BY_KEY[column.listed_in]
        names = layout.column(other, column.key)
        found.append(f"{_filled(x)}*(COUNTIF({names},{x})=0)")
    if column.after:
        first = ref(column.after)
        found.append(f"ISNUMBER({first})*ISNUMBER({x})*({x}<{first})")
    return found


def rule(sheet: Sheet, column: Column, layout: Layout) -> str | None:
    """The conditional format's formula of `column`'s data cells (None: nothing to check):
    its references are to the first data row, the column fixed."""
    letters = {c.key: column_letters(i) for i, c in enumerate(sheet.columns, start=1)}
    found = checks(sheet, column, layout, lambda key: f"${letters[key]}{layout.first_row}")
    return f"({'+'.join(found)})>0" if found else None


def count(sheet: Sheet, layout: Layout) -> str:
    """A formula for how many of `sheet`'s cells are marked (each cell once), or -1 when a
    cell holds an error value that makes the count impossible: the checks at the data rows,
    named with their sheet, are the arrays SUMPRODUCT counts on the hidden sheet."""
    parts = [
        f"(({'+'.join(found)})>0)"
        for column in sheet.columns
        if (found := checks(sheet, column, layout, lambda key: layout.column(sheet, key)))
    ]
    return f"IFERROR(SUMPRODUCT({'+'.join(parts) or '0'}),-1)"


def status(title: str, count_cell: str) -> str:
    """The title of a data sheet with, on its second line, the status of the cell `count_cell`."""
    n = count_cell
    text = title.replace('"', '""')
    return (
        f'="{text}"&CHAR(10)&IF({n}<0,"{COUNT_FAILED}",'
        f'IF({n}=0,"{NOTHING_FOUND}","本表尚有 "&{n}&" 處待確認"))'
    )
