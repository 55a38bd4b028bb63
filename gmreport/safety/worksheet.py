"""The worksheet scan: one pass over a sheet's XML that describes the sheet.

It finds the cells' used bounds, the merged ranges, the cells holding Excel errors, and
refuses a sheet whose data or declared ranges reach further than a reader can afford.
`SheetScan` streams the part through expat with a Python handler for every element; what it
shares with the scan of an .ods (`opendocument.ContentScan`) is in `Scan`.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from gmreport.cells import cell_position, column_letters, range_bounds

from .limits import EXCEL_COLS, EXCEL_ROWS, MAX_DEPTH, MAX_MERGED, beyond
from .refused import Refused
from .xmlparts import Budget, XmlPart, attribute


@dataclass(frozen=True)
class SheetInfo:
    """A sheet as its XML describes it, in workbook order.

    `rows` and `cols` are the 1-based last row and column of a cell holding a value or a
    formula (0 for an empty sheet or a chart sheet); `merged` lists the merged ranges as
    written in the XML, e.g. ("A5:A7",) (in an .ods, as the spans of each merge's top-left
    cell give them); `errors` the cells holding an error value (#N/A, #REF!…), which
    readers show as blank; `formulas` the cells holding a formula whose result may be
    missing (in an .xlsx, one not of text type; in an .ods, one without a value), which
    readers show as blank when the program that wrote the file computed nothing.
    """

    name: str
    rows: int
    cols: int
    merged: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    formulas: tuple[str, ...] = ()


class Scan:
    """What the scans of an .xlsx sheet and of an .ods share: the elements left of the budget
    and the depth, which their `start` handlers count themselves since expat calls them for
    every element; the used bounds, the merged ranges and the cells noted."""

    part: XmlPart
    start: Callable[[str, list[str]], None]
    end: Callable[[str], None]

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.elements = budget.left  # counted here, and handed back to the budget at the end
        self.depth = 0
        self.clear()

    def clear(self) -> None:
        """Start a sheet."""
        self.max_row = self.max_col = 0
        self.merged: list[str] = []
        self.errors: list[str] = []
        self.formulas: list[str] = []

    def run(self, z: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        """Parse the part with the scan's handlers."""
        self.part = XmlPart(info.filename, self.budget, start=self.start, end=self.end)
        self.part.feed(z, info)
        self.budget.left = self.elements

    def described(self, sheet: str) -> SheetInfo:
        return SheetInfo(
            sheet,
            self.max_row,
            self.max_col,
            tuple(self.merged),
            tuple(self.errors),
            tuple(self.formulas),
        )

    def widen(self, row: int, col: int, sheet: str, outside: str) -> None:
        """Widen the used bounds to a cell holding a value; refuse a sheet whose data would
        reach past what a reader can afford. `outside` names where a cell beyond the sheet's
        own limits is, in the refusal."""
        if row <= self.max_row and col <= self.max_col:
            return
        self.max_row, self.max_col = max(self.max_row, row), max(self.max_col, col)
        if beyond(self.max_row, self.max_col):
            inside = row <= EXCEL_ROWS and col <= EXCEL_COLS
            where = f"{column_letters(col)}{row}" if inside else outside
            raise Refused("huge-range", f"有資料的儲存格延伸至 {where}", sheet)


class SheetScan(Scan):
    """Stream a worksheet once: the cells' used bounds, the merged ranges, the claimed range.

    A cell counts once a value or formula is seen in it; only then is its reference parsed,
    since templates hold thousands of styled empty cells. A cell without `r` sits right of
    the previous cell of its row, and a row without `r` under the previous row, as calamine
    places them.

    `start` and `end` are expat's handlers, called for every element of the sheet, so they
    read each attribute into a local once and leave the rare work to other methods.
    """

    def __init__(self, sheet: str, budget: Budget) -> None:
        super().__init__(budget)
        self.sheet = sheet
        self.data_depth = 0  # the depth of <sheetData>
        self.row = 0
        self.anchor: str | None = None  # the last cell reference seen in this row
        self.since = 0  # cells seen in this row since `anchor`
        self.cell_ref: str | None = None
        self.cell_attrs: list[str] = []
        self.in_data = False
        self.in_cell = False
        self.kinds: dict[str, str] = {}  # element name → its local name, or "content"
        self.columns: dict[str, int] = {}  # column letters → column number

    def scan(self, z: zipfile.ZipFile, info: zipfile.ZipInfo) -> SheetInfo:
        """Stream the worksheet part `info` once and describe it; raise Refused if unsafe.

        The elements parsed are taken from the budget, which the whole inspection shares.
        """
        self.run(z, info)
        return self.described(self.sheet)

    def start(self, name: str, attrs: list[str]) -> None:
        """expat's StartElementHandler."""
        depth = self.depth = self.depth + 1
        elements = self.elements = self.elements - 1
        if depth > MAX_DEPTH:
            raise self.part.too_deep()
        if elements < 0:
            raise self.part.too_many(self.sheet)
        try:
            kind = self.kinds[name]
        except KeyError:
            kind = self._kind_of(name)
        if self.in_cell:
            if kind == "content" or kind == "f":
                if kind == "f" and "str" not in self.cell_attrs:
                    self._note(self.formulas)  # a formula whose result is a number, or none
                self.in_cell = False
                cell_ref = self.cell_ref
                if cell_ref is not None:  # the common case, inside the bounds found so far
                    letters = cell_ref.rstrip("0123456789")
                    column = self.columns.get(letters)
                    digits = len(cell_ref) - len(letters)
                    if column is not None and column <= self.max_col and 0 < digits < 10:
                        number = int(cell_ref[len(letters) :])
                        if 0 < number <= self.max_row:
                            return
                self._count_cell()
        elif self.in_data:
            if kind == "c":
                cell_ref = attrs[1] if attrs and attrs[0] == "r" else attribute(attrs, "r")
                self.cell_ref = cell_ref
                self.cell_attrs = attrs
                if cell_ref is None:
                    self.since += 1
                else:
                    self.anchor = cell_ref
                    self.since = 0
                self.in_cell = True
                # t="e" puts "e" in the list; testing that first spares nearly every cell the loop.
                if "e" in attrs and attribute(attrs, "t") == "e":
                    self._note(self.errors)
            elif kind == "row":
                ref = attrs[1] if attrs and attrs[0] == "r" else attribute(attrs, "r")
                if ref is None:
                    self.row += 1
                elif ref.isascii() and ref.isdecimal() and int(ref[:10]) > 0:
                    self.row = int(ref) if len(ref) < 10 else 10**10
                else:
                    raise Refused(
                        "corrupt", f"工作表「{self.sheet}」的列號「{ref}」無效", self.sheet
                    )
                self.anchor = None
                self.since = 0
        elif kind == "sheetData":
            self.in_data = True
            self.data_depth = depth
        elif kind == "dimension":
            self._claim(attribute(attrs, "ref") or "", "宣告範圍", "宣告的範圍")
        elif kind == "mergeCell":
            ref = attribute(attrs, "ref") or ""
            self._claim(ref, "合併儲存格", "的合併儲存格")
            self.merged.append(ref)
            if len(self.merged) > MAX_MERGED:
                raise Refused("huge-range", f"合併儲存格超過 {MAX_MERGED:,} 個", self.sheet)

    def end(self, name: str) -> None:
        """expat's EndElementHandler."""
        depth = self.depth
        if self.in_cell:
            self.in_cell = self.kinds[name] != "c"
        elif self.in_data and depth == self.data_depth:
            self.in_data = False
        self.depth = depth - 1

    def _kind_of(self, name: str) -> str:
        local = name.rpartition(":")[2]
        self.kinds[name] = kind = "content" if local in ("v", "is") else local
        return kind

    def _note(self, cells: list[str]) -> None:
        """Note the current cell in `cells` (errors or formulas), as far as MAX_MERGED."""
        if len(cells) < MAX_MERGED:
            column = self._column()
            cells.append(self.cell_ref or f"{column_letters(column)}{self.row}")

    def _column(self) -> int:
        """The column of a cell without `r`, right of the row's last cell with one."""
        anchor = self.anchor
        return (self._position(anchor)[1] if anchor else 0) + self.since

    def _position(self, ref: str) -> tuple[int, int]:
        found = cell_position(ref) if "$" not in ref else None  # the XML writes no $A$1
        if found is None:
            raise Refused("corrupt", f"工作表「{self.sheet}」的儲存格位置「{ref}」無效", self.sheet)
        self.columns[ref.rstrip("0123456789")] = found[1]
        return found

    def _count_cell(self) -> None:
        """Widen the used bounds to the current cell, which holds a value or formula."""
        if self.cell_ref is not None:
            row, col = self._position(self.cell_ref)
        else:
            row, col = self.row, self._column()
        self.widen(row, col, self.sheet, "Excel 工作表範圍之外")

    def _claim(self, ref: str, what: str, written: str) -> None:
        """Refuse a declared range that is none, or too big to read."""
        bounds = range_bounds(ref) if "$" not in ref else None  # the XML writes no $A$1
        if bounds is None:
            raise Refused("corrupt", f"工作表「{self.sheet}」{written}「{ref}」無效", self.sheet)
        if beyond(max(bounds[1], bounds[3]), max(bounds[0], bounds[2])):
            raise Refused("huge-range", f"{what} {ref}", self.sheet)
