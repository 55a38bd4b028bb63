"""OpenDocument spreadsheets (.ods): the package, then one streamed pass over content.xml.

calamine finds three members of an .ods by their exact names: `mimetype`, which must name a
spreadsheet; `META-INF/manifest.xml`, read only to refuse an encrypted file; and
`content.xml`, whose named tables (table:table) are the sheets, in document order. It never
opens the other parts (styles.xml, meta.xml, settings.xml), so they are checked up to their
root element, where a DTD would be.

A table stores a run of equal rows or cells once, with a count (table:number-rows-repeated,
table:number-columns-repeated), so a few bytes can stand for the whole grid. The scan counts
runs the way calamine expands them, without expanding anything:

- A row's cells sit one after the other. A run of empty cells (no value, no formula) takes
  its columns only when another cell follows it in the row, so trailing empty cells cost
  nothing; but calamine stores every cell before a row's last one (up to 16,384) for each
  row as written, before rows are repeated. Those stored cells are counted too.
- The used range runs from A1 to the last row and column of a cell with a value or a
  formula, a run of such cells filling all its rows and columns. calamine fills the whole
  range and copies a cell's text and formula into every cell of its run, so that text is
  counted as expanded.
- A count is a positive integer, as ODF says: calamine takes a row or cell counted 0 out
  of the grid but not out of its reckoning of where the others are, and cuts rows and
  columns past 1,048,576 × 16,384 in ways that shift cells too. So a count of 0 is refused
  as corrupt and a value past the grid as too far.
- Covered cells (table:covered-table-cell, under a merge) are cells like any other; a merge
  is the number-rows-spanned × number-columns-spanned of the cell at its top left.

calamine matches names with their usual prefixes (table:, office:), as the scan does. What
calamine fails on and LibreOffice never writes (a row holding anything but cells; a table,
row or cell inside a cell) is refused as corrupt.
"""

from __future__ import annotations

import zipfile

from gmreport.cells import column_letters

from .limits import EXCEL_COLS, MAX_DEPTH, MAX_MERGED, MAX_SHEET_CELLS, MAX_TEXT_CHARS, beyond
from .refused import Refused
from .worksheet import Scan, SheetInfo
from .xmlparts import XML_SUFFIXES, Budget, XmlPart, attribute, parse_small

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
# Packages that other readers of calamine open before an .ods: an .xlsx needs _rels/.rels,
# an .xlsb xl/workbook.bin. An .ods holding either is read as something unchecked.
OTHER_READERS = ("_rels/.rels", "xl/workbook.bin")

_KINDS = {
    "application/vnd.oasis.opendocument.spreadsheet-template": "OpenDocument 試算表範本（.ots）",
    "application/vnd.oasis.opendocument.text": "OpenDocument 文字文件（.odt）",
    "application/vnd.oasis.opendocument.text-template": "OpenDocument 文字文件範本（.ott）",
    "application/vnd.oasis.opendocument.text-master": "OpenDocument 主控文件（.odm）",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument 簡報（.odp）",
    "application/vnd.oasis.opendocument.presentation-template": "OpenDocument 簡報範本（.otp）",
    "application/vnd.oasis.opendocument.graphics": "OpenDocument 繪圖（.odg）",
    "application/vnd.oasis.opendocument.formula": "OpenDocument 公式（.odf）",
    "application/vnd.oasis.opendocument.chart": "OpenDocument 圖表（.odc）",
    "application/vnd.oasis.opendocument.database": "OpenDocument 資料庫（.odb）",
    "application/vnd.sun.xml.calc": "舊版 OpenOffice 試算表（.sxc）",
    "application/vnd.sun.xml.writer": "舊版 OpenOffice 文字文件（.sxw）",
    "application/epub+zip": "電子書（.epub）",
}
_PART_SUFFIXES = (*XML_SUFFIXES, ".rdf")
_TABLE = "table:table"
_ROW = "table:table-row"
_CELLS = frozenset({"table:table-cell", "table:covered-table-cell"})
_STRUCTURE = _CELLS | {_TABLE, _ROW}
_TEXT_VALUES = frozenset({"office:string-value", "office:date-value", "office:time-value"})
# The attributes that give a cell a value in calamine; the first one found is the value.
_VALUES = _TEXT_VALUES | {"office:value", "office:boolean-value"}


def read_mimetype(z: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> str | None:
    """The start of the `mimetype` member, found as calamine finds it (by its exact name).

    calamine reads an .ods whose `mimetype` starts with ODS_MIMETYPE, whatever follows.
    """
    info = _exact(members, "mimetype")
    if info is None:
        return None
    with z.open(info) as f:
        return f.read(200).decode("ascii", errors="replace").strip()


def describe_mimetype(mimetype: str) -> str:
    """What a package with this `mimetype` (not an .ods) is, for the not-a-workbook detail."""
    return _KINDS.get(mimetype, "OpenDocument 或其他非 Excel 格式的檔案")


def inspect_opendocument(
    z: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    budget: Budget,
    small_elements: int,
) -> tuple[SheetInfo, ...]:
    """Check an .ods package and scan its tables; raise Refused if unsafe or unreadable.

    The manifest is parsed as a small part (`small_elements` elements at most); every other
    XML part is streamed against `budget`, which the content scan shares.
    """
    manifest = _exact(members, "META-INF/manifest.xml")
    if manifest is None:
        raise Refused("corrupt", "缺少 OpenDocument 的清單檔 META-INF/manifest.xml")
    # Encrypted parts are not XML, so this is decided before any of them is parsed.
    entries = parse_small(z, manifest, small_elements).iter()
    if any(el.tag.rpartition("}")[2] == "encryption-data" for el in entries):
        raise Refused("encrypted", "設有開啟密碼的 OpenDocument 試算表")
    content = _exact(members, "content.xml")
    if content is None:
        raise Refused("corrupt", "缺少試算表內容 content.xml")
    for key, info in members.items():
        if key.endswith(_PART_SUFFIXES) and info not in (manifest, content):
            XmlPart(info.filename, budget, prolog_only=True).feed(z, info)
    scan = ContentScan(budget)
    scan.run(z, content)
    sheets = tuple(scan.sheets)
    if not sheets:
        raise Refused("corrupt", "試算表中沒有任何工作表")
    return sheets


def _exact(members: dict[str, zipfile.ZipInfo], name: str) -> zipfile.ZipInfo | None:
    info = members.get(name.lower())
    return info if info is not None and info.filename == name else None


def _count(text: str) -> int | None:
    """A positive count as calamine parses it (digits, an optional +), or None."""
    digits = text[1:] if text.startswith("+") else text
    if not (digits.isascii() and digits.isdecimal()):
        return None
    return (int(digits) if len(digits) < 20 else 10**20) or None


class ContentScan(Scan):
    """Stream content.xml once: each named table's used range, merges and error cells.

    `start`, `end` and `chars` are expat's handlers. A table, a row and a cell are each
    open from their start to the end at the same depth (0 when none is open); what a cell
    holds is skipped, except the text calamine reads from a string cell without a
    string-value, which is counted.
    """

    def __init__(self, budget: Budget) -> None:
        super().__init__(budget)
        self.sheets: list[SheetInfo] = []
        self.names: set[str] = set()
        self.text = 0  # characters of cell text and formulas, as calamine expands them
        self.sheet: str | None = None  # the named table being scanned
        self.table_depth = self.row_depth = self.cell_depth = 0
        self.cell_reps = 1
        self.cell_text = 0
        self.filled = False
        self.reading = False

    def clear(self) -> None:
        super().clear()
        self.row_pos = 0  # rows above the current row
        self.row_reps = 1
        self.col = 0  # columns taken in the current row
        self.pending = 0  # empty columns that take their place if another cell follows
        self.stored = 0  # cells calamine stores before repeating rows

    def start(self, name: str, attrs: list[str]) -> None:
        """expat's StartElementHandler."""
        depth = self.depth = self.depth + 1
        elements = self.elements = self.elements - 1
        if depth > MAX_DEPTH:
            raise self.part.too_deep()
        if elements < 0:
            raise self.part.too_many(self.sheet)
        if self.cell_depth:
            if name in _STRUCTURE:
                raise self._corrupt("的儲存格中含有表格結構")
            if self.reading:
                # calamine starts a line for each paragraph and writes text:s as c spaces.
                spaces = _count(attribute(attrs, "text:c") or "1") if name == "text:s" else 1
                self.cell_text += spaces or 1
        elif self.row_depth:
            if name not in _CELLS:
                raise self._corrupt("的列中含有儲存格以外的內容")
            self._cell(name, attrs, depth)
        elif self.sheet is not None:
            if name == _ROW:
                self._row(attrs, depth)
            elif name in _STRUCTURE:
                raise self._corrupt("的表格結構無效")
        elif name == _TABLE:
            self._table(attrs, depth)

    def end(self, name: str) -> None:
        """expat's EndElementHandler."""
        depth = self.depth
        self.depth = depth - 1
        if depth == self.cell_depth:
            self._end_cell()
        elif depth == self.row_depth:
            self._end_row()
        elif depth == self.table_depth:
            self._end_table()

    def chars(self, data: str) -> None:
        """expat's CharacterDataHandler, set while calamine would read a cell's text."""
        self.cell_text += len(data)

    def _corrupt(self, what: str) -> Refused:
        return Refused("corrupt", f"工作表「{self.sheet}」{what}", self.sheet or "")

    def _table(self, attrs: list[str], depth: int) -> None:
        name = attribute(attrs, "table:name")
        if name is None:
            return  # calamine passes over a table without a name, as if it were not there
        if name.casefold() in self.names:
            raise Refused("corrupt", f"工作表名稱「{name}」重複")
        self.names.add(name.casefold())
        self.sheet = name
        self.table_depth = depth
        self.clear()

    def _end_table(self) -> None:
        assert self.sheet is not None
        self.sheets.append(self.described(self.sheet))
        self.sheet = None
        self.table_depth = 0

    def _row(self, attrs: list[str], depth: int) -> None:
        self.row_depth = depth
        self.row_reps = self._repeats(attribute(attrs, "table:number-rows-repeated"))
        self.col = self.pending = 0

    def _end_row(self) -> None:
        self.stored += min(self.col, EXCEL_COLS)
        if self.stored > MAX_SHEET_CELLS:
            raise Refused(
                "huge-range", f"儲存格（含空白格）超過 {MAX_SHEET_CELLS:,} 格", self.sheet or ""
            )
        self.row_pos += self.row_reps
        self.row_depth = 0

    def _repeats(self, text: str | None) -> int:
        if text is None:
            return 1
        count = _count(text)
        if count is None:
            raise self._corrupt(f"的重複次數「{text[:20]}」無效")
        return count

    def _cell(self, name: str, attrs: list[str], depth: int) -> None:
        reps = 1
        value = string = formula = error = False
        text = 0
        rows_spanned = cols_spanned = None
        for i in range(0, len(attrs) - 1, 2):
            key = attrs[i]
            if key in _VALUES:
                if not value:
                    value = True
                    text = len(attrs[i + 1]) if key in _TEXT_VALUES else 0
            elif key == "office:value-type":
                string = not value and attrs[i + 1] == "string"
            elif key == "table:formula":
                formula = bool(attrs[i + 1])
                text += len(attrs[i + 1])
            elif key == "calcext:value-type":
                error = attrs[i + 1] == "error"
            elif key == "table:number-columns-repeated":
                reps = self._repeats(attrs[i + 1])
            elif key == "table:number-rows-spanned":
                rows_spanned = attrs[i + 1]
            elif key == "table:number-columns-spanned":
                cols_spanned = attrs[i + 1]
        reading = string and not value  # calamine reads the text of the cell's paragraphs
        filled = value or string or formula
        first = self.col + self.pending
        if filled:
            self.col = first + reps
            self.pending = 0
            self.widen(
                self.row_pos + self.row_reps, first + reps, self.sheet or "", "工作表範圍之外"
            )
        else:
            self.col = first
            self.pending = reps
        if (rows_spanned or cols_spanned) and name == "table:table-cell":
            rows = _count(rows_spanned or "1") or 1
            cols = _count(cols_spanned or "1") or 1
            if rows > 1 or cols > 1:
                self._merge(first, reps, rows, cols)
        if error:
            self._error(first, reps, self.errors)
        elif formula and not value and not string:
            self._error(first, reps, self.formulas)
        self.cell_depth = depth
        self.cell_reps = reps
        self.cell_text = text
        self.filled = filled
        self.reading = reading
        if reading:
            self.part.parser.CharacterDataHandler = self.chars

    def _end_cell(self) -> None:
        if self.reading:
            self.part.parser.CharacterDataHandler = None
            self.reading = False
        if self.filled and self.cell_text:
            self.text += self.cell_text * self.cell_reps * self.row_reps
            if self.text > MAX_TEXT_CHARS:
                raise Refused(
                    "too-large",
                    f"儲存格文字展開後超過 {MAX_TEXT_CHARS:,} 字（工作表「{self.sheet}」）",
                )
        self.cell_depth = 0

    def _merge(self, first: int, reps: int, rows: int, cols: int) -> None:
        """Note the merges of a run of cells that each span rows × cols."""
        count = reps * self.row_reps
        if len(self.merged) + count > MAX_MERGED:
            raise Refused("huge-range", f"合併儲存格超過 {MAX_MERGED:,} 個", self.sheet or "")
        top, left = self.row_pos + self.row_reps, first + reps  # the last merge of the run
        bottom, right = top + rows - 1, left + cols - 1
        if beyond(bottom, right):
            ref = f"{column_letters(left)}{top}:{column_letters(right)}{bottom}"
            raise Refused("huge-range", f"合併儲存格 {ref}", self.sheet or "")
        for row in range(self.row_pos + 1, top + 1):
            for col in range(first + 1, left + 1):
                self.merged.append(
                    f"{column_letters(col)}{row}:{column_letters(col + cols - 1)}{row + rows - 1}"
                )

    def _error(self, first: int, reps: int, cells: list[str]) -> None:
        """Note in `cells` the cells of a run (that hold an error value, or a formula without
        its value), as far as MAX_MERGED of them."""
        for row in range(self.row_pos + 1, self.row_pos + self.row_reps + 1):
            for col in range(first + 1, first + reps + 1):
                if len(cells) >= MAX_MERGED:
                    return
                cells.append(f"{column_letters(col)}{row}")
