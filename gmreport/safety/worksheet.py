"""The worksheet scan: one pass over a sheet's XML that describes the sheet.

It finds the cells' used bounds, the merged ranges, the cells holding Excel errors, and
refuses a sheet whose data or declared ranges reach further than a reader can afford.

`SheetScan` streams the part through expat with a Python handler for every element. The rows
and cells that make up nearly all of a sheet are usually written in one of a few plain forms,
so `_quick_scan` first tries those forms with compiled patterns and expat alone; it describes
the sheet only when it is sure `SheetScan` would describe it alike, and otherwise leaves the
part to `SheetScan`, which gives every refusal.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

from .limits import (
    EXCEL_COLS,
    EXCEL_ROWS,
    MAX_DEPTH,
    MAX_MERGED,
    MAX_SHEET_CELLS,
    MAX_TAG_BYTES,
)
from .refused import Refused
from .xmlparts import Budget, XmlPart, attribute


@dataclass(frozen=True)
class SheetInfo:
    """A sheet as its XML describes it, in workbook order.

    `rows` and `cols` are the 1-based last row and column of a cell holding a value or a
    formula (0 for an empty sheet or a chart sheet); `merged` lists the merged ranges as
    written in the XML, e.g. ("A5:A7",) (in an .ods, as the spans of each merge's top-left
    cell give them); `errors` the cells holding an error value (#N/A, #REF!…), which
    readers show as blank.
    """

    name: str
    rows: int
    cols: int
    merged: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()


def scan_sheet(z: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, budget: Budget) -> SheetInfo:
    """Stream the worksheet part `info` of `sheet` once and describe it; raise Refused if unsafe.

    The elements parsed are taken from `budget`, which the whole inspection shares.
    """
    return _quick_scan(z, info, sheet, budget) or SheetScan(sheet, budget).scan(z, info)


class SheetScan:
    """Stream a worksheet once: the cells' used bounds, the merged ranges, the claimed range.

    A cell counts once a value or formula is seen in it; only then is its reference parsed,
    since templates hold thousands of styled empty cells. A cell without `r` sits right of
    the previous cell of its row, and a row without `r` under the previous row, as calamine
    places them.

    `start` and `end` are expat's handlers, called for every element of the sheet, so they
    read each attribute into a local once and leave the rare work to other methods.
    """

    __slots__ = (
        "anchor",
        "budget",
        "cell_ref",
        "columns",
        "data_depth",
        "depth",
        "elements",
        "errors",
        "in_cell",
        "in_data",
        "kinds",
        "max_col",
        "max_row",
        "merged",
        "part",
        "row",
        "sheet",
        "since",
    )

    part: XmlPart

    def __init__(self, sheet: str, budget: Budget) -> None:
        self.sheet = sheet
        self.budget = budget
        self.elements = budget.left  # counted here, and handed back to the budget at the end
        self.depth = 0
        self.data_depth = 0  # the depth of <sheetData>
        self.max_row = 0
        self.max_col = 0
        self.row = 0
        self.anchor: str | None = None  # the last cell reference seen in this row
        self.since = 0  # cells seen in this row since `anchor`
        self.cell_ref: str | None = None
        self.in_data = False
        self.in_cell = False
        self.merged: list[str] = []
        self.errors: list[str] = []
        self.kinds: dict[str, str] = {}  # element name → its local name, or "content"
        self.columns: dict[str, int] = {}  # column letters → column number

    def scan(self, z: zipfile.ZipFile, info: zipfile.ZipInfo) -> SheetInfo:
        """Parse the part and describe the sheet."""
        self.part = XmlPart(info.filename, self.budget, start=self.start, end=self.end)
        self.part.feed(z, info)
        self.budget.left = self.elements
        return SheetInfo(
            self.sheet, self.max_row, self.max_col, tuple(self.merged), tuple(self.errors)
        )

    def start(self, name: str, attrs: list[str]) -> None:
        """expat's StartElementHandler."""
        depth = self.depth = self.depth + 1
        elements = self.elements = self.elements - 1
        if depth > MAX_DEPTH:
            raise self.part.too_deep()
        if elements < 0:
            raise Refused("huge-range", f"XML 元素超過 {self.budget.limit:,} 個", self.sheet)
        try:
            kind = self.kinds[name]
        except KeyError:
            kind = self._kind_of(name)
        if self.in_cell:
            if kind == "content":
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
                if cell_ref is None:
                    self.since += 1
                else:
                    self.anchor = cell_ref
                    self.since = 0
                self.in_cell = True
                # t="e" puts "e" in the list; testing that first spares nearly every cell the loop.
                if "e" in attrs and attribute(attrs, "t") == "e":
                    self._error_cell()
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
            ref = attribute(attrs, "ref") or ""
            if self._claim(ref, "宣告範圍") is None:
                raise Refused(
                    "corrupt", f"工作表「{self.sheet}」宣告的範圍「{ref}」無效", self.sheet
                )
        elif kind == "mergeCell":
            ref = attribute(attrs, "ref") or ""
            if self._claim(ref, "合併儲存格") is None:
                raise Refused(
                    "corrupt", f"工作表「{self.sheet}」的合併儲存格「{ref}」無效", self.sheet
                )
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
        self.kinds[name] = kind = "content" if local in ("v", "f", "is") else local
        return kind

    def _error_cell(self) -> None:
        """Note the current cell, which holds an Excel error value."""
        if len(self.errors) < MAX_MERGED:
            anchor = self.anchor
            column = (self._position(anchor)[1] if anchor else 0) + self.since
            self.errors.append(self.cell_ref or f"{column_letters(column)}{self.row}")

    def _position(self, ref: str) -> tuple[int, int]:
        found = _parse_cell(ref)
        if found is None:
            raise Refused("corrupt", f"工作表「{self.sheet}」的儲存格位置「{ref}」無效", self.sheet)
        self.columns[ref.rstrip("0123456789")] = found[1]
        return found

    def _count_cell(self) -> None:
        """Widen the used bounds to the current cell, which holds a value or formula."""
        if self.cell_ref is not None:
            cell_row, cell_col = self._position(self.cell_ref)
        else:
            anchor = self.anchor
            cell_row = self.row
            cell_col = (self._position(anchor)[1] if anchor else 0) + self.since
        if cell_row > self.max_row or cell_col > self.max_col:
            self.max_row, self.max_col = widen_used(
                (self.max_row, self.max_col), cell_row, cell_col, self.sheet, "Excel 工作表範圍之外"
            )

    def _claim(self, ref: str, what: str) -> tuple[int, int] | None:
        """The bottom-right corner of a declared range; refuse a range too big to read."""
        corner = _parse_range(ref)
        if corner and (
            corner[0] * corner[1] > MAX_SHEET_CELLS
            or corner[0] > EXCEL_ROWS
            or corner[1] > EXCEL_COLS
        ):
            raise Refused("huge-range", f"{what} {ref}", self.sheet)
        return corner


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def widen_used(
    bounds: tuple[int, int], row: int, col: int, sheet: str, outside: str
) -> tuple[int, int]:
    """The used bounds (last row, last column) widened to a cell holding a value; refuse a
    sheet whose data would reach past what a reader can afford. `outside` names where a cell
    beyond the sheet's own limits is, in the refusal."""
    max_row, max_col = max(bounds[0], row), max(bounds[1], col)
    if max_row * max_col > MAX_SHEET_CELLS or max_row > EXCEL_ROWS or max_col > EXCEL_COLS:
        inside = row <= EXCEL_ROWS and col <= EXCEL_COLS
        where = f"{column_letters(col)}{row}" if inside else outside
        raise Refused("huge-range", f"有資料的儲存格延伸至 {where}", sheet)
    return max_row, max_col


def column_letters(n: int) -> str:
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _parse_cell(ref: str) -> tuple[int, int] | None:
    """(row, col) of an A1-style reference, or None; absurdly long numbers become 10**10."""
    letters = ref.rstrip("0123456789")
    digits = ref[len(letters) :]
    if not (letters and digits and letters.isascii() and letters.isalpha()):
        return None
    row = int(digits) if len(digits) < 10 else 10**10
    col = _column_number(letters) if len(letters) < 5 else 10**10
    return (row, col) if row > 0 else None


def _parse_range(ref: str) -> tuple[int, int] | None:
    """The bottom-right (row, col) reached by an A1 or A1:B2 range, or None if malformed."""
    corners = [_parse_cell(part) for part in ref.split(":")]
    if not 1 <= len(corners) <= 2 or None in corners:
        return None
    return max(c[0] for c in corners if c), max(c[1] for c in corners if c)


# --- the quick path -----------------------------------------------------------------------------
#
# Nearly all of a template's sheet is <sheetData>: rows of cells written the same few ways by
# Excel, LibreOffice and openpyxl. `_quick_scan` checks those bytes against a strict grammar
# with compiled patterns and lets `SheetScan` see the rest of the part, so no Python runs per
# cell. It only ever accepts: a part that the grammar does not fit, or that anything in it might
# refuse, returns None and gets the full scan, so every refusal is the full scan's own.

_WS = rb"[ \t\r\n]*+"
# A tag's attributes, literal (no "&"): a value cannot hold "<", and one holding ">" or quoted
# with "'" breaks the grammar (the text after it is not whitespace), so " t=" in a tag is `t`.
_ATTRS = rb"[^<>'&]*+"
_TEXT = rb"[^<]*+"
_T = rb'<t(?: xml:space="preserve")?>' + _TEXT + rb"</t>|<t/>"
_RUN_PROPERTY = (
    rb"<(?:b|i|u|sz|color|rFont|family|charset|scheme|strike|outline|shadow|condense|extend"
    rb"|vertAlign)(?:[ \t\r\n/]" + _ATTRS + rb")?>(?<=/>)"
)
_RUN = (
    rb"<r>"
    + _WS
    + rb"(?:<rPr>"
    + _WS
    + rb"(?:(?:"
    + _RUN_PROPERTY
    + rb")"
    + _WS
    + rb")*+</rPr>"
    + _WS
    + rb")?+(?:"
    + _T
    + rb")"
    + _WS
    + rb"</r>"
)
_CONTENT = (
    rb"<v>" + _TEXT + rb"</v>|<v/>"
    rb"|<f(?:[ \t\r\n/]" + _ATTRS + rb")?>(?:(?<=/>)|(?<!/>)" + _TEXT + rb"</f>)"
    rb"|<is>" + _WS + rb"(?:(?:" + _T + rb"|" + _RUN + rb")" + _WS + rb")*+</is>|<is/>"
)
# An empty cell, the bulk of a template, is tried first.
_CELL = (
    rb'<c r="[A-Z]{1,3}+[1-9][0-9]{0,6}+"'
    + _ATTRS
    + rb">(?:(?<=/>)|(?<!/>)"
    + _WS
    + rb"(?:(?:"
    + _CONTENT
    + rb")"
    + _WS
    + rb")*+</c>)"
)
_ROW = (
    rb'<row r="[1-9][0-9]{0,6}+"'
    + _ATTRS
    + rb">(?:(?<=/>)|(?<!/>)"
    + _WS
    + rb"(?:(?:"
    + _CELL
    + rb")"
    + _WS
    + rb")*+</row>)"
)
_SHEET_DATA = re.compile(_WS + rb"(?:(?:" + _ROW + rb")" + _WS + rb")*+")
# A cell holding a value or formula: its start tag followed by a child (the grammar allows only
# v, f and is); and a cell holding an Excel error.
_FILLED = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*+>(?<!/>)(?=' + _WS + rb"<[vfi])")
_ERROR = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*?[ \t\r\n]t="e"')
# An empty cell as Excel, LibreOffice and openpyxl write the styled blanks of a template, where
# the grammar places a cell: before another cell or the end of its row. Such a cell is a whole
# well-formed element with distinct attributes, holds nothing and is no error, so removing each
# one changes neither whether the rows fit the grammar, nor whether expat accepts them, nor what
# the scan reports; the rest of the rows, a fraction of the bytes, is then checked as before.
_BLANK_CELL = re.compile(
    rb'<c r="[A-Z]{1,3}+[1-9][0-9]{0,6}+"(?: s="[0-9]{1,6}+")?(?: t="n")?(?:/>|></c>)'
    rb"(?=<c |</row>)"
)
_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:<\?xml[^<>?]*\?>)?")
_UTF8 = re.compile(rb'encoding=["\']utf-?8["\']', re.IGNORECASE)
# Deepest element the grammar allows below <sheetData>: row, c, is, r, rPr and a run property.
_GRAMMAR_DEPTH = 6


def _quick_scan(
    z: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, budget: Budget
) -> SheetInfo | None:
    """Describe the sheet as `SheetScan` would, or None when only `SheetScan` may decide."""
    # A part no longer than a tag may be can hold no over-long tag, whatever its chunks.
    if info.file_size > MAX_TAG_BYTES:
        return None
    try:
        with z.open(info) as f:
            data = f.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError):
        return None  # the full scan meets the same error in its own order
    if len(data) > info.file_size:
        return None
    start = data.find(b"<sheetData>")
    end = data.find(b"</sheetData>", start)
    prolog = _PROLOG.match(data)
    # One sheetData, so the rest of the part holds no cells that the full scan would count.
    if start < 0 or end < 0 or prolog is None or data.count(b"sheetData") != 2:
        return None
    declaration = prolog.group()
    # Markup other than tags before <sheetData> could hide it (a comment, CDATA, a DTD).
    if (b"encoding" in declaration and not _UTF8.search(declaration)) or re.search(
        rb"<[!?]", data[prolog.end() : start]
    ):
        return None
    body, blanks = _BLANK_CELL.subn(b"", data[start + len(b"<sheetData>") : end])
    if not _SHEET_DATA.fullmatch(body):
        return None
    # Everything but the rows and cells goes through the full scan, on a budget of its own.
    spare = Budget(budget.limit)
    spare.left = budget.left
    scan = SheetScan(sheet, spare)
    scan.part = part = XmlPart(info.filename, spare, start=scan.start, end=scan.end)
    parser = part.parser
    opening = start + len(b"<sheetData>")
    try:
        parser.Parse(data[:opening], False)
        if not scan.in_data or scan.depth != scan.data_depth:
            return None  # not the <sheetData> that the full scan would take
        if scan.depth + _GRAMMAR_DEPTH > MAX_DEPTH:
            return None
        # The rows (less their blank cells) are parsed too, so the part is checked as XML
        # whole, but call no Python.
        parser.StartElementHandler = parser.EndElementHandler = None
        parser.Parse(body, False)
        parser.StartElementHandler, parser.EndElementHandler = scan.start, scan.end
        parser.Parse(data[end:], True)
    except (Refused, expat.ExpatError, LookupError, ValueError):
        return None
    # Every "<" in the rows is a start or end tag: none in text, values, comments or CDATA.
    left = scan.elements - blanks - (body.count(b"<") - body.count(b"</"))
    rows = cols = 0
    filled = _FILLED.findall(body)
    if filled:
        rows = max(int(digits) for _, digits in filled)
        cols = max(_column_number(letters.decode()) for letters in {c for c, _ in filled})
    rows, cols = max(rows, scan.max_row), max(cols, scan.max_col)
    if left < 0 or rows * cols > MAX_SHEET_CELLS or rows > EXCEL_ROWS or cols > EXCEL_COLS:
        return None
    errors = [ref.decode() for ref in _ERROR.findall(body)] if b't="e"' in body else []
    errors += scan.errors
    budget.left = left
    return SheetInfo(sheet, rows, cols, tuple(scan.merged), tuple(errors[:MAX_MERGED]))
