"""Inspect a workbook file before any spreadsheet reader opens it.

calamine builds a dense grid of rows × columns for every sheet, and reserves memory from
counts the file declares; when such an allocation fails it aborts the whole process
(python-calamine #130, calamine #684 and #693). Zip bombs and XML entity bombs hurt any
reader. So the container is inspected here first, streaming and against fixed limits, and a
file that is unsafe or unreadable is refused with a code of the error catalogue.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NoReturn
from xml.etree.ElementTree import Element, ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from gmreport.problems import CATALOGUE, Problem, problem

MB = 1 << 20
EXCEL_ROWS = 1_048_576
EXCEL_COLS = 16_384

# A standard workbook of a few thousand rows is well under 5 MB; Excel compresses pasted
# photos on save, so even dozens of them stay below this.
MAX_FILE_BYTES = 100 * MB
# A real package has tens of parts; these bound what zipfile builds from the central directory.
MAX_MEMBERS = 10_000
MAX_DIRECTORY_BYTES = 4 * MB
# Declared uncompressed sizes. A 5,000-row sheet is about 5 MB of XML. A sheet formatted down to
# row 1,048,576 is ~200 MB but claims that range in <dimension>, so it gets the clearer huge-range.
MAX_MEMBER_BYTES = 256 * MB
MAX_TOTAL_BYTES = 512 * MB
# Sheet XML compresses 10–30:1 and a styles part bloated with 64,000 copies of one style about
# 300:1 (but stays under 16 MB); deflate tops out near 1,032:1, which is what bombs use.
MAX_RATIO = 200
RATIO_MIN_BYTES = 16 * MB
# calamine allocates a 32-byte cell for each of rows × cols and pandas copies the grid. Measured
# with pandas 3 / python-calamine 0.9: one 2,000,000-cell sheet peaks 112 MB above baseline and
# each further sheet keeps about 19 bytes a cell, so these keep a whole workbook under ~100 MB.
# A real sheet is a few thousand rows × ~20 columns (~100,000 cells; 12 such sheets pass too).
MAX_SHEET_CELLS = 1_000_000
MAX_WORKBOOK_CELLS = 2_000_000
# calamine reserves 24 bytes for every unique string that sharedStrings.xml declares (#684).
MAX_SHARED_STRINGS = 1_000_000
MAX_MERGED = 10_000
# Each XML element costs ~0.6 µs through expat and Python handlers, so this bounds a scan to
# ~2.5 s. A real workbook has tens of thousands; a 1,000,000-cell sheet needs at most 3 a cell.
MAX_XML_ELEMENTS = 4_000_000
# expat holds a whole tag in memory until it ends, and ~120 bytes for every open element.
MAX_TAG_BYTES = 8 * MB
MAX_DEPTH = 256
# workbook.xml and .rels parts are parsed in memory by defusedxml; real ones are a few KB.
MAX_SMALL_PART_BYTES = 16 * MB
MAX_SMALL_PART_ELEMENTS = 100_000
CHUNK_BYTES = 256 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_EOCD = struct.Struct("<4s4H2LH")
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")


@dataclass(frozen=True)
class SheetInfo:
    """A sheet as its XML describes it, in workbook order.

    `rows` and `cols` are the 1-based last row and column of a cell holding a value or a
    formula (0 for an empty sheet or a chart sheet); `merged` lists the merged ranges as
    written in the XML, e.g. ("A5:A7",); `errors` the cells holding an Excel error value
    (#N/A, #REF!…), which readers show as blank.
    """

    name: str
    rows: int
    cols: int
    merged: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()


class Refused(Exception):
    """A file refused before reading: a catalogue code, a short Chinese detail, the sheet."""

    def __init__(self, code: str, detail: str = "", sheet: str = "") -> None:
        if code not in CATALOGUE:
            raise ValueError(f"unknown problem code {code!r}")
        super().__init__(code, detail, sheet)
        self.code = code
        self.detail = detail
        self.sheet = sheet

    def __str__(self) -> str:
        return self.problem().message

    def problem(self, file: str = "") -> Problem:
        """The catalogue problem that this refusal stands for."""
        return problem(self.code, file=file, sheet=self.sheet, detail=self.detail)


def inspect_workbook(path: Path) -> tuple[SheetInfo, ...]:
    """Check that `path` is a safe, readable .xlsx and describe its sheets; raise Refused if not.

    Reads the file as a stream with bounded memory: the zip directory first, then each XML
    part once. Nothing is handed to a spreadsheet library.
    """
    try:
        with open(path, "rb") as f:
            status = os.fstat(f.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise Refused("unreadable", "這不是一般檔案")
            size = status.st_size
            head = f.read(4096)
            if head.startswith(_OLE_MAGIC):
                _refuse_ole(f, size)
            if not head.startswith(_ZIP_MAGIC):
                raise Refused("not-a-workbook", _describe_non_zip(head))
            if size > MAX_FILE_BYTES:
                raise Refused("too-large", f"檔案大小 {_mb(size)}，上限 {_mb(MAX_FILE_BYTES)}")
            _check_directory(f, size)
            try:
                with zipfile.ZipFile(f) as z:
                    return _inspect_package(z)
            except (
                zipfile.BadZipFile,
                zlib.error,
                EOFError,
                struct.error,
                UnicodeDecodeError,
            ) as e:
                raise Refused("corrupt", _zip_detail(e)) from None
            except NotImplementedError:
                raise Refused("corrupt", "使用了不支援的壓縮方式") from None
    except OSError as e:
        if e.errno == errno.EINVAL:
            raise Refused("corrupt", "壓縮檔結構錯誤") from None
        raise Refused("unreadable", _os_detail(e)) from None


def _inspect_package(z: zipfile.ZipFile) -> tuple[SheetInfo, ...]:
    members = _check_members(z)
    if "xl/workbook.xml" not in members:
        raise Refused("not-a-workbook", _describe_other_package(members))
    package_rels = members.get("_rels/.rels")
    if package_rels is None or not any(
        kind in _OFFICE_DOCUMENT
        for _, kind in _relationships(_parse_small(z, package_rels)).values()
    ):
        raise Refused("corrupt", "缺少指向活頁簿內容的關聯（_rels/.rels）")
    rels = members.get("xl/_rels/workbook.xml.rels")
    if rels is None:
        raise Refused("corrupt", "缺少活頁簿的關聯檔 xl/_rels/workbook.xml.rels")
    targets = _relationships(_parse_small(z, rels))
    sheets = _sheet_parts(_parse_small(z, members["xl/workbook.xml"]), targets, members)

    done = {"_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"}
    done.update(_part_key(info.filename) for _, info in sheets)
    # calamine reads these whole, so they are checked whole; other parts only up to their root.
    read = {"xl/sharedstrings.xml", "xl/styles.xml", "[content_types].xml"}
    read.update(_part_key(_resolve(t)) for t, kind in targets.values() if _last(kind) in _READ_RELS)
    budget = _Budget(MAX_XML_ELEMENTS)
    for key, info in members.items():
        if key.endswith(_XML_SUFFIXES) and key not in done:
            _XmlPart(info.filename, budget, prolog_only=key not in read).feed(z, info)

    result = tuple(_scan_sheet(z, info, name, budget) for name, info in sheets)
    total = sum(s.rows * s.cols for s in result)
    if total > MAX_WORKBOOK_CELLS:
        raise Refused(
            "too-large", f"各工作表資料範圍合計 {total:,} 格，上限 {MAX_WORKBOOK_CELLS:,} 格"
        )
    return result


# --- the container ---------------------------------------------------------------------------


def _check_directory(f: BinaryIO, size: int) -> None:
    """Refuse a truncated zip, or one whose central directory is too big to load."""
    tail_len = min(size, _EOCD.size + 0xFFFF)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or len(tail) - pos < _EOCD.size:
        raise Refused("corrupt", "找不到壓縮檔結尾的目錄，檔案可能未完整複製")
    entries, directory = _EOCD.unpack_from(tail, pos)[4:6]
    locator = pos - _EOCD64_LOCATOR.size
    if (entries == 0xFFFF or directory == 0xFFFFFFFF) and tail[locator : locator + 4] == (
        b"PK\x06\x07"
    ):
        f.seek(_EOCD64_LOCATOR.unpack_from(tail, locator)[2])
        record = f.read(_EOCD64.size)
        if len(record) < _EOCD64.size or not record.startswith(b"PK\x06\x06"):
            raise Refused("corrupt", "壓縮檔目錄損毀")
        entries, directory = _EOCD64.unpack(record)[7:9]
    if entries > MAX_MEMBERS or directory > MAX_DIRECTORY_BYTES:
        raise Refused("too-large", f"壓縮檔內有 {entries:,} 個項目")


def _check_members(z: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """Check every member's declared size; map normalised names to members."""
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in z.infolist():
        key = _part_key(info.filename)
        if key in members:
            raise Refused("corrupt", f"壓縮檔內有重複的項目「{info.filename}」")
        members[key] = info
        if info.flag_bits & 0x1:
            raise Refused("encrypted", f"壓縮項目「{info.filename}」設有密碼")
        if info.file_size > MAX_MEMBER_BYTES:
            raise Refused("too-large", f"「{info.filename}」宣告解壓縮後 {_mb(info.file_size)}")
        if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * info.compress_size:
            ratio = info.file_size // max(info.compress_size, 1)
            raise Refused("too-large", f"「{info.filename}」壓縮比約 {ratio:,}:1")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise Refused("too-large", f"解壓縮後合計 {_mb(total)}，上限 {_mb(MAX_TOTAL_BYTES)}")
    return members


def _part_key(name: str) -> str:
    """How calamine finds a part: case-insensitively, with either slash."""
    return name.replace("\\", "/").lstrip("/").lower()


def _describe_other_package(members: dict[str, zipfile.ZipInfo]) -> str:
    if "xl/workbook.bin" in members:
        return "Excel 二進位活頁簿（.xlsb）"
    if "word/document.xml" in members:
        return "Word 文件（.docx）"
    if "ppt/presentation.xml" in members:
        return "PowerPoint 簡報（.pptx）"
    if "mimetype" in members:
        return "OpenDocument 檔案（例如 .ods）"
    return "一般壓縮檔，不含 Excel 活頁簿內容"


def _describe_non_zip(head: bytes) -> str:
    if not head:
        return "空白檔案（0 位元組）"
    if head.startswith(b"%PDF"):
        return "PDF 文件"
    if _looks_like_text(head):
        text = head.lower()
        if b"<html" in text or b"<table" in text:
            return "網頁（HTML）檔案，常見於系統匯出的 .xls"
        if b"urn:schemas-microsoft-com:office:spreadsheet" in text:
            return "Excel 2003 XML 試算表"
        return "文字檔（例如 CSV）"
    return "無法辨識的檔案格式"


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp950"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


_OLE_STREAMS = {  # the first one found decides
    "EncryptedPackage": ("encrypted", "設有開啟密碼的活頁簿"),
    "Workbook": ("legacy-xls", "Excel 97-2003 活頁簿（.xls）"),
    "Book": ("legacy-xls", "Excel 5.0/95 活頁簿（.xls）"),
    "WordDocument": ("not-a-workbook", "舊版 Word 文件（.doc）"),
    "PowerPoint Document": ("not-a-workbook", "舊版 PowerPoint 簡報（.ppt）"),
}


def _refuse_ole(f: BinaryIO, size: int) -> NoReturn:
    """Tell an encrypted .xlsx from an old .xls (or .doc) by the OLE directory's stream names.

    Directory entries are 128 bytes at 128-byte-aligned offsets (sectors of 512 or 4,096 bytes
    follow a 512-byte header); each starts with its UTF-16 name and holds the name's length,
    terminator included, at offset 64. So the file is searched for such entries.
    """
    wanted = {
        name.encode("utf-16-le"): struct.pack("<H", 2 * len(name) + 2) for name in _OLE_STREAMS
    }
    found: set[bytes] = set()
    f.seek(0)
    for _ in range(min(size, MAX_FILE_BYTES) // MB + 1):
        chunk = f.read(MB)
        for name, length in wanted.items():
            at = chunk.find(name)
            while at >= 0 and not (at % 128 == 0 and chunk[at + 64 : at + 66] == length):
                at = chunk.find(name, at + 1)
            if at >= 0:
                found.add(name)
        if "EncryptedPackage".encode("utf-16-le") in found or len(chunk) < MB:
            break
    for name, verdict in _OLE_STREAMS.items():
        if name.encode("utf-16-le") in found:
            raise Refused(*verdict)
    raise Refused("legacy-xls", "Office 97-2003 格式的檔案")


# --- XML parts ---------------------------------------------------------------------------------


class _Stop(Exception):
    pass


class _Budget:
    """How many more XML elements an inspection may parse."""

    def __init__(self, limit: int) -> None:
        self.limit = self.left = limit


class _XmlPart:
    """Streams one XML part through expat: refuses DTDs, over-long tags and deep nesting."""

    def __init__(
        self,
        part: str,
        budget: _Budget,
        *,
        prolog_only: bool = False,
        start: Callable[[str, list[str]], None] | None = None,
        end: Callable[[str], None] | None = None,
    ) -> None:
        self.part = part
        self.budget = budget
        self.prolog_only = prolog_only
        self.depth = 0
        self.started = False
        self.parser = parser = expat.ParserCreate()
        parser.ordered_attributes = True  # a list is cheaper to build than a dict
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._doctype
        parser.StartElementHandler = self._root
        self._start = start
        self._end = end

    def _doctype(self, *_: object) -> None:
        raise Refused("unsafe-content", f"「{self.part}」含有 XML DTD／實體宣告")

    def _root(self, name: str, attrs: list[str]) -> None:
        self.started = True
        if name.rpartition(":")[2] == "sst":
            declared = _attribute(attrs, "uniqueCount") or ""
            if declared.isascii() and declared.isdecimal():
                count = int(declared) if len(declared) < 12 else 10**12
                if count > MAX_SHARED_STRINGS:
                    raise Refused("too-large", f"共用字串表宣告 {count:,} 筆字串")
        if self.prolog_only:
            raise _Stop
        start = self._start or self._count_start
        self.parser.StartElementHandler = start
        self.parser.EndElementHandler = self._end or self._count_end
        start(name, attrs)

    def _count_start(self, name: str, attrs: list[str]) -> None:
        self.depth += 1
        self.budget.left -= 1
        if self.depth > MAX_DEPTH:
            raise self.too_deep()
        if self.budget.left < 0:
            raise Refused("too-large", f"「{self.part}」等的 XML 元素超過 {self.budget.limit:,} 個")

    def _count_end(self, name: str) -> None:
        self.depth -= 1

    def too_deep(self) -> Refused:
        return Refused("unsafe-content", f"「{self.part}」的 XML 巢狀層數超過 {MAX_DEPTH} 層")

    def feed(self, z: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        """Parse the part, never reading past its declared size."""
        parser = self.parser
        left = info.file_size
        fed = 0
        if self.prolog_only and not left:
            return
        try:
            with z.open(info) as f:
                while chunk := f.read(CHUNK_BYTES):
                    left -= len(chunk)
                    if left < 0:
                        raise Refused("too-large", f"「{self.part}」解壓縮後超過宣告的大小")
                    parser.Parse(chunk, False)
                    fed += len(chunk)
                    if fed - parser.CurrentByteIndex > MAX_TAG_BYTES:
                        raise Refused("unsafe-content", f"「{self.part}」含有異常冗長的 XML 標記")
            parser.Parse(b"", True)
        except _Stop:
            pass
        except expat.ExpatError as e:
            raise Refused(
                "corrupt", f"「{self.part}」不是有效的 XML（第 {e.lineno} 行：{_expat_reason(e)}）"
            ) from None
        except (LookupError, ValueError):
            if self.started:  # raised by a handler, which is a bug
                raise
            raise Refused("corrupt", f"「{self.part}」使用不支援的文字編碼") from None


def _attribute(attrs: list[str], key: str) -> str | None:
    """An attribute from expat's ordered list [name, value, name, value, …]."""
    for i in range(0, len(attrs) - 1, 2):
        if attrs[i] == key:
            return attrs[i + 1]
    return None


def _expat_reason(e: expat.ExpatError) -> str:
    return expat.ErrorString(e.code) if e.code is not None else "格式錯誤"


def _parse_small(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> Element:
    """Parse a small part (workbook, relationships) with defusedxml, after a streamed check."""
    if info.file_size > MAX_SMALL_PART_BYTES:
        raise Refused("too-large", f"「{info.filename}」宣告解壓縮後 {_mb(info.file_size)}")
    _XmlPart(info.filename, _Budget(MAX_SMALL_PART_ELEMENTS)).feed(z, info)
    with z.open(info) as f:
        data = f.read(info.file_size + 1)
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise Refused("unsafe-content", f"「{info.filename}」含有 XML DTD／實體宣告") from None
    except ParseError as e:
        raise Refused("corrupt", f"「{info.filename}」不是有效的 XML（{e.msg}）") from None
    except (LookupError, ValueError):
        raise Refused("corrupt", f"「{info.filename}」使用不支援的文字編碼") from None


def _resolve(target: str) -> str:
    """A workbook relationship's target as a zip path, the way calamine resolves it."""
    if not target:
        return ""
    if target.startswith("/"):
        return target[1:]
    return target if target.startswith("xl/") else "xl/" + target


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


# Relationship types whose parts calamine reads besides the sheets.
_READ_RELS = ("sharedStrings", "styles")
# calamine recognises a package as .xlsx only by one of these exact types in _rels/.rels.
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
)
_SHEET_RELS = ("worksheet", "chartsheet", "dialogsheet")
_SHEET_FOLDERS = ("worksheets", "chartsheets", "dialogsheets")


def _relationships(root: Element) -> dict[str, tuple[str, str]]:
    """Id → (target, type) of the relationships in a .rels part."""
    return {
        el.get("Id", ""): (el.get("Target", ""), el.get("Type", ""))
        for el in root.iter()
        if _local(el.tag) == "Relationship"
    }


def _last(uri: str) -> str:
    return uri.rpartition("/")[2]


def _sheet_parts(
    root: Element, targets: dict[str, tuple[str, str]], members: dict[str, zipfile.ZipInfo]
) -> list[tuple[str, zipfile.ZipInfo]]:
    """The workbook's worksheets in order, each with its part, found the way calamine does.

    Chart and dialog sheets are left out, as pandas does; their parts are checked as XML.
    """
    sheets: list[tuple[str, zipfile.ZipInfo]] = []
    seen: set[str] = set()
    for el in root.iter():
        if _local(el.tag) != "sheet":
            continue
        name = el.get("name", "")
        rid = next((v for k, v in el.attrib.items() if k.startswith("{") and _local(k) == "id"), "")
        if not name or not rid:
            raise Refused("corrupt", "活頁簿的工作表清單不完整")
        if name.casefold() in seen:
            raise Refused("corrupt", f"工作表名稱「{name}」重複")
        seen.add(name.casefold())
        target, kind = targets.get(rid, ("", ""))
        target = _resolve(target)
        folder = target.split("/")[1] if "/" in target else ""
        info = members.get(_part_key(target))
        if _last(kind) not in _SHEET_RELS or folder not in _SHEET_FOLDERS or info is None:
            raise Refused("corrupt", f"找不到工作表「{name}」的內容")
        if folder == "worksheets":
            sheets.append((name, info))
    if not seen:
        raise Refused("corrupt", "活頁簿中沒有任何工作表")
    return sheets


# --- worksheets -------------------------------------------------------------------------------


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _column_letters(n: int) -> str:
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


def _scan_sheet(
    z: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, budget: _Budget
) -> SheetInfo:
    """Stream a worksheet once: the cells' used bounds, the merged ranges, the claimed range.

    A cell counts once a value or formula is seen in it; only then is its reference parsed,
    since templates hold thousands of styled empty cells. A cell without `r` sits right of
    the previous cell of its row, and a row without `r` under the previous row, as calamine
    places them.
    """
    depth = data_depth = 0
    max_row = max_col = 0
    row = 0
    anchor: str | None = None  # the last cell reference seen in this row
    since = 0  # cells seen in this row since `anchor`
    cell_ref: str | None = None
    in_data = in_cell = False
    merged: list[str] = []
    errors: list[str] = []
    kinds: dict[str, str] = {}
    columns: dict[str, int] = {}
    elements = budget.left

    def kind_of(name: str) -> str:
        local = name.rpartition(":")[2]
        kinds[name] = kind = "content" if local in ("v", "f", "is") else local
        return kind

    def position(ref: str) -> tuple[int, int]:
        found = _parse_cell(ref)
        if found is None:
            raise Refused("corrupt", f"工作表「{sheet}」的儲存格位置「{ref}」無效", sheet)
        columns[ref.rstrip("0123456789")] = found[1]
        return found

    def count_cell() -> None:
        nonlocal max_row, max_col
        if cell_ref is not None:
            cell_row, cell_col = position(cell_ref)
        else:
            cell_row, cell_col = row, (position(anchor)[1] if anchor else 0) + since
        if cell_row <= max_row and cell_col <= max_col:
            return
        max_row, max_col = max(max_row, cell_row), max(max_col, cell_col)
        if max_row * max_col > MAX_SHEET_CELLS or max_row > EXCEL_ROWS or max_col > EXCEL_COLS:
            inside = cell_row <= EXCEL_ROWS and cell_col <= EXCEL_COLS
            where = f"{_column_letters(cell_col)}{cell_row}" if inside else "Excel 工作表範圍之外"
            raise Refused("huge-range", f"有資料的儲存格延伸至 {where}", sheet)

    def claim(ref: str, what: str) -> tuple[int, int] | None:
        corner = _parse_range(ref)
        if corner and (
            corner[0] * corner[1] > MAX_SHEET_CELLS
            or corner[0] > EXCEL_ROWS
            or corner[1] > EXCEL_COLS
        ):
            raise Refused("huge-range", f"{what} {ref}", sheet)
        return corner

    def start(name: str, attrs: list[str]) -> None:
        nonlocal depth, data_depth, row, anchor, since, cell_ref, in_data, in_cell, elements
        depth += 1
        elements -= 1
        if depth > MAX_DEPTH:
            raise part.too_deep()
        if elements < 0:
            raise Refused("huge-range", f"XML 元素超過 {MAX_XML_ELEMENTS:,} 個", sheet)
        try:
            kind = kinds[name]
        except KeyError:
            kind = kind_of(name)
        if in_cell:
            if kind == "content":
                in_cell = False
                if cell_ref is not None:  # the common case, inside the bounds found so far
                    letters = cell_ref.rstrip("0123456789")
                    column = columns.get(letters)
                    digits = len(cell_ref) - len(letters)
                    if column is not None and column <= max_col and 0 < digits < 10:
                        number = int(cell_ref[len(letters) :])
                        if 0 < number <= max_row:
                            return
                count_cell()
        elif in_data:
            if kind == "c":
                cell_ref = attrs[1] if attrs and attrs[0] == "r" else _attribute(attrs, "r")
                if cell_ref is None:
                    since += 1
                else:
                    anchor, since = cell_ref, 0
                in_cell = True
                if _attribute(attrs, "t") == "e" and len(errors) < MAX_MERGED:
                    column = (position(anchor)[1] if anchor else 0) + since
                    errors.append(cell_ref or f"{_column_letters(column)}{row}")
            elif kind == "row":
                ref = attrs[1] if attrs and attrs[0] == "r" else _attribute(attrs, "r")
                if ref is None:
                    row += 1
                elif ref.isascii() and ref.isdecimal() and int(ref[:10]) > 0:
                    row = int(ref) if len(ref) < 10 else 10**10
                else:
                    raise Refused("corrupt", f"工作表「{sheet}」的列號「{ref}」無效", sheet)
                anchor, since = None, 0
        elif kind == "sheetData":
            in_data = True
            data_depth = depth
        elif kind == "dimension":
            ref = _attribute(attrs, "ref") or ""
            if claim(ref, "宣告範圍") is None:
                raise Refused("corrupt", f"工作表「{sheet}」宣告的範圍「{ref}」無效", sheet)
        elif kind == "mergeCell":
            ref = _attribute(attrs, "ref") or ""
            if claim(ref, "合併儲存格") is None:
                raise Refused("corrupt", f"工作表「{sheet}」的合併儲存格「{ref}」無效", sheet)
            merged.append(ref)
            if len(merged) > MAX_MERGED:
                raise Refused("huge-range", f"合併儲存格超過 {MAX_MERGED:,} 個", sheet)

    def end(name: str) -> None:
        nonlocal depth, in_cell, in_data
        if in_cell:
            in_cell = kinds[name] != "c"
        elif in_data and depth == data_depth:
            in_data = False
        depth -= 1

    part = _XmlPart(info.filename, budget, start=start, end=end)
    part.feed(z, info)
    budget.left = elements
    return SheetInfo(sheet, max_row, max_col, tuple(merged), tuple(errors))


# --- messages ---------------------------------------------------------------------------------


def _mb(n: int) -> str:
    return f"{n / MB:,.0f} MB"


def _zip_detail(e: Exception) -> str:
    text = str(e)
    if text.startswith("Bad CRC-32"):
        return "壓縮內容的檢查碼不符，檔案可能在複製時損壞"
    if "not a zip file" in text or "Truncated" in text or isinstance(e, EOFError):
        return "壓縮檔不完整，檔案可能未完整複製"
    return "壓縮檔結構錯誤"


def _os_detail(e: OSError) -> str:
    if isinstance(e, FileNotFoundError):
        return "找不到檔案"
    if isinstance(e, IsADirectoryError):
        return "這是資料夾，不是檔案"
    if isinstance(e, PermissionError):
        return "沒有讀取權限，或檔案正被其他程式（例如 Excel）鎖定"
    return f"系統錯誤（{e.strerror or type(e).__name__}）"
