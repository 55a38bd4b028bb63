"""XML parts of the package: streamed through expat with fixed limits, or parsed when small.

Every XML part is streamed once through `XmlPart`, which refuses DTDs (so entity bombs never
expand), over-long tags, deep nesting and more elements than the inspection's `Budget`.
The small parts that say where the sheets are (workbook.xml and the .rels parts) are then
parsed in memory with defusedxml, and the worksheets are found from them the way calamine
finds them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .container import part_key
from .limits import (
    CHUNK_BYTES,
    MAX_DEPTH,
    MAX_SHARED_STRINGS,
    MAX_SMALL_PART_BYTES,
    MAX_TAG_BYTES,
    mb,
)
from .refused import Refused

XML_SUFFIXES = (".xml", ".rels", ".vml")
# Relationship types whose parts calamine reads besides the sheets.
READ_RELS = ("sharedStrings", "styles")
# calamine recognises a package as .xlsx only by one of these exact types in _rels/.rels.
OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
)
_OFFICE = "/relationships/officeDocument"
_SHEET_RELS = ("worksheet", "chartsheet", "dialogsheet")
_SHEET_FOLDERS = ("worksheets", "chartsheets", "dialogsheets")


class _Stop(Exception):
    pass


class Budget:
    """How many more XML elements an inspection may parse."""

    def __init__(self, limit: int) -> None:
        self.limit = self.left = limit


class XmlPart:
    """Streams one XML part through expat: refuses DTDs, over-long tags and deep nesting.

    Without `start` and `end` handlers it only counts elements against the budget and the
    nesting depth; handlers that are given take over both (see `worksheet.SheetScan`). With
    `prolog_only` the part is parsed up to its root element and no further.
    """

    def __init__(
        self,
        part: str,
        budget: Budget,
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
            declared = attribute(attrs, "uniqueCount") or ""
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
            raise self.too_many()

    def _count_end(self, name: str) -> None:
        self.depth -= 1

    def too_deep(self) -> Refused:
        """The refusal for nesting deeper than MAX_DEPTH, for handlers that count depth."""
        return Refused("unsafe-content", f"「{self.part}」的 XML 巢狀層數超過 {MAX_DEPTH} 層")

    def too_many(self, sheet: str | None = None) -> Refused:
        """The refusal for more elements than the budget: in the data of `sheet`, or else in
        this part and those before it."""
        limit = self.budget.limit
        if sheet is not None:
            return Refused("huge-range", f"XML 元素超過 {limit:,} 個", sheet)
        return Refused("too-large", f"「{self.part}」等的 XML 元素超過 {limit:,} 個")

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
                "corrupt", f"「{self.part}」不是有效的 XML（第 {e.lineno} 行格式錯誤）"
            ) from None
        except (LookupError, ValueError):
            if self.started:  # raised by a handler, which is a bug
                raise
            raise Refused("corrupt", f"「{self.part}」使用不支援的文字編碼") from None


def attribute(attrs: list[str], key: str) -> str | None:
    """An attribute from expat's ordered list [name, value, name, value, …]."""
    for i in range(0, len(attrs) - 1, 2):
        if attrs[i] == key:
            return attrs[i + 1]
    return None


def parse_small(z: zipfile.ZipFile, info: zipfile.ZipInfo, max_elements: int) -> Element:
    """Parse a small part (workbook, relationships) with defusedxml, after a streamed check.

    The streamed check allows `max_elements` elements in this part alone.
    """
    if info.file_size > MAX_SMALL_PART_BYTES:
        raise Refused("too-large", f"「{info.filename}」宣告解壓縮後 {mb(info.file_size)}")
    XmlPart(info.filename, Budget(max_elements)).feed(z, info)
    with z.open(info) as f:
        data = f.read(info.file_size + 1)
    try:
        root: Element = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise Refused("unsafe-content", f"「{info.filename}」含有 XML DTD／實體宣告") from None
    except ParseError as e:
        raise Refused("corrupt", f"「{info.filename}」不是有效的 XML（{e.msg}）") from None
    except (LookupError, ValueError):
        raise Refused("corrupt", f"「{info.filename}」使用不支援的文字編碼") from None
    return root


def resolve(target: str) -> str:
    """A workbook relationship's target as a zip path, the way calamine resolves it."""
    if not target:
        return ""
    if target.startswith("/"):
        return target[1:]
    return target if target.startswith("xl/") else "xl/" + target


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def last(uri: str) -> str:
    """The last segment of a URI, e.g. a relationship type's short name."""
    return uri.rpartition("/")[2]


def relationships(root: Element) -> list[tuple[str, str, str]]:
    """(Id, target, type) of each relationship in a .rels part, in order."""
    return [
        (el.get("Id", ""), el.get("Target", ""), el.get("Type", ""))
        for el in root.iter()
        if _local(el.tag) == "Relationship"
    ]


WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"


@dataclass(frozen=True)
class WorkbookParts:
    """Where calamine reads an .xlsx: its workbook part, that part's relationships and the
    sheets they lead to, each as the zip member calamine opens.

    The safety gate inspects these parts and the marked copy (`render.returned_xlsx`) edits
    them, so the cells marked are the cells read.
    """

    workbook: zipfile.ZipInfo
    rels: zipfile.ZipInfo
    targets: dict[str, tuple[str, str]]
    worksheets: list[tuple[str, zipfile.ZipInfo]]
    # chart and dialog sheets, which pandas leaves out; their parts are checked as XML
    other_sheets: list[tuple[str, zipfile.ZipInfo]]
    members: dict[str, zipfile.ZipInfo]

    def read_parts(self, kind: str) -> list[zipfile.ZipInfo]:
        """The members of the workbook's relationships of type `kind` (e.g. "styles")."""
        keys = [part_key(resolve(t)) for t, k in self.targets.values() if last(k) == kind]
        return [self.members[key] for key in keys if key in self.members]


def workbook_parts(
    z: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], max_elements: int
) -> WorkbookParts:
    """The parts calamine reads the sheets from, or Refused if it would not find them.

    `members` maps `part_key`s to members (see `container.check_members`); each small part is
    parsed with at most `max_elements` elements.
    """
    package_rels = members.get("_rels/.rels")
    package = (
        [] if package_rels is None else relationships(parse_small(z, package_rels, max_elements))
    )
    # Of two relationships with one Id, the last counts here, as everywhere in the workbook's.
    if not any(kind in OFFICE_DOCUMENT for kind in {i: k for i, _, k in package}.values()):
        raise Refused("corrupt", "缺少指向活頁簿內容的關聯（_rels/.rels）")
    # calamine reads the workbook, its relationships and its parts from the folder of the last
    # relationship whose type ends so, whatever the folder is called.
    folders = [t.lstrip("/").rpartition("/")[0] + "/" for _, t, k in package if k.endswith(_OFFICE)]
    if any(part_key(folder) != "xl/" for folder in folders):
        raise Refused("corrupt", "活頁簿內容不在 xl 資料夾中（_rels/.rels）")
    rels = members.get(WORKBOOK_RELS)
    if rels is None:
        raise Refused("corrupt", f"缺少活頁簿的關聯檔 {WORKBOOK_RELS}")
    workbook = members[WORKBOOK]
    targets = {i: (t, k) for i, t, k in relationships(parse_small(z, rels, max_elements))}
    sheets = _sheets(parse_small(z, workbook, max_elements), targets, members)
    return WorkbookParts(
        workbook,
        rels,
        targets,
        [(name, info) for name, info, kind in sheets if kind == "worksheet"],
        [(name, info) for name, info, kind in sheets if kind != "worksheet"],
        members,
    )


def _sheets(
    root: Element, targets: dict[str, tuple[str, str]], members: dict[str, zipfile.ZipInfo]
) -> list[tuple[str, zipfile.ZipInfo, str]]:
    """The workbook's sheets in order, each with its part and kind ("worksheet", "chartsheet",
    "dialogsheet"), found the way calamine does: the kind is the relationship's, whatever
    folder its part is in, so a worksheet filed under xl/chartsheets/ is scanned as one."""
    sheets: list[tuple[str, zipfile.ZipInfo, str]] = []
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
        target = resolve(target)
        folder = target.split("/")[1] if "/" in target else ""
        info = members.get(part_key(target))
        if last(kind) not in _SHEET_RELS or folder not in _SHEET_FOLDERS or info is None:
            raise Refused("corrupt", f"找不到工作表「{name}」的內容")
        sheets.append((name, info, last(kind)))
    if not seen:
        raise Refused("corrupt", "活頁簿中沒有任何工作表")
    return sheets
