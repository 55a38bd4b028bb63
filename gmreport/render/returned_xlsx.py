"""The marked copy of an .xlsx or .xlsm, made by editing its package's XML.

Only these parts change: the styles (two fills and the cell formats that use them, added
at the end), the worksheets with problems (the marked cells' `s`, a legacyDrawing), the
workbook (the list sheet first: sheet-scoped names and the active tab shifted by one),
its relationships and the content types; new parts are added for the list sheet and for
each marked sheet's comments and their VML drawing. Every other part is copied as it is,
the macros (vbaProject.bin) among them.
"""

from __future__ import annotations

import posixpath
import zipfile
from copy import deepcopy
from pathlib import Path
from typing import Any

from lxml import etree

from .. import safety
from ..cells import cell_position, column_letters
from ..format import display_width, writable
from ..problems import Problem, Severity
from ..safety.container import check_members
from ..safety.xmlparts import workbook_parts
from .returned import (
    AUTHOR,
    FILLS,
    HEADER_FILL,
    LIST_HEADERS,
    LIST_WIDTHS,
    PARSER,
    Listed,
    Mark,
    free_name,
    list_sheet_name,
    plan,
)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_WORKSHEET = R + "/worksheet"
REL_COMMENTS = R + "/comments"
REL_VML = R + "/vmlDrawing"
REL_STYLES = R + "/styles"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"

# Elements a worksheet may hold after <legacyDrawing>, in the schema's order.
_AFTER_LEGACY = {
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
}


def _q(tag: str, ns: str = MAIN) -> str:
    return f"{{{ns}}}{tag}"


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _parse(data: bytes) -> Any:
    return etree.fromstring(data, PARSER)


def _dump(root: Any) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _target(base: str, target: str) -> str:
    """A worksheet's relationship target as a zip path, from the part `base` it belongs to
    (its comments and drawing, which Excel reads and calamine does not)."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _relative(base: str, part: str) -> str:
    return posixpath.relpath(part, posixpath.dirname(base) or ".")


class _Package:
    """The parts of one package: read on demand, changed ones kept to be written."""

    def __init__(self, z: zipfile.ZipFile) -> None:
        self.z = z
        self.names = {i.filename for i in z.infolist()}
        self.trees: dict[str, Any] = {}
        self.rels_of: dict[str, str] = {}  # part → its relationships' part, where not by name

    def tree(self, part: str) -> Any:
        if part not in self.trees:
            self.trees[part] = _parse(self.z.read(part))
        return self.trees[part]

    def unused(self, pattern: str) -> str:
        """A part name not yet taken: pattern with {n} filled."""
        return free_name(lambda n: pattern.format(n=n), self.names | self.trees.keys())

    def rels(self, part: str) -> Any:
        name = self.rels_of.get(part) or _rels_name(part)
        if name in self.trees or name in self.names:
            return self.tree(name)
        root = self.trees[name] = etree.Element(_q("Relationships", PKG_R), nsmap={None: PKG_R})
        return root

    def add_rel(self, part: str, kind: str, target: str) -> str:
        root = self.rels(part)
        ids = {el.get("Id") for el in root}
        n = len(ids) + 1
        while f"rId{n}" in ids:
            n += 1
        rid = f"rId{n}"
        etree.SubElement(
            root, _q("Relationship", PKG_R), Id=rid, Type=kind, Target=_relative(part, target)
        )
        return rid

    def write(self, target: Path) -> None:
        out = {part: _dump(root) for part, root in self.trees.items()}
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as w:
            for info in self.z.infolist():
                data = out.pop(info.filename, None)
                copy = zipfile.ZipInfo(info.filename, info.date_time)
                copy.compress_type = info.compress_type
                copy.external_attr = info.external_attr
                w.writestr(copy, data if data is not None else self.z.read(info))
            for name, data in out.items():
                w.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def mark_xlsx(source: Path, target: Path, problems: list[Problem], heading: str) -> None:
    """Write the marked copy of the .xlsx or .xlsm `source` to `target`.

    The parts are found as the safety gate found them, the way calamine reads them
    (`safety.xmlparts.workbook_parts`), so the cells marked are those the problems were
    found in.
    """
    with zipfile.ZipFile(source) as z:
        found = workbook_parts(z, check_members(z), safety.MAX_SMALL_PART_ELEMENTS)
        pkg = _Package(z)
        book_part = found.workbook.filename
        pkg.rels_of[book_part] = found.rels.filename
        sheet_parts = {name: info.filename for name, info in found.worksheets}
        marks, listed = plan(problems, list(sheet_parts))
        types = pkg.tree("[Content_Types].xml")
        styles = _Styles(pkg.tree(_styles_part(pkg, types, book_part, found.read_parts("styles"))))
        by_sheet: dict[str, list[Mark]] = {}
        for m in marks:
            by_sheet.setdefault(m.sheet, []).append(m)
        for block, (sheet, found_marks) in enumerate(by_sheet.items(), start=1):
            _mark_sheet(pkg, types, sheet_parts[sheet], found_marks, styles, block)
        # the list sheet is the one selected
        for _, info in found.worksheets + found.other_sheets:
            part = info.filename
            if part not in pkg.trees and b"tabSelected" not in pkg.z.read(part):
                continue
            for view in pkg.tree(part).iter(_q("sheetView")):
                view.attrib.pop("tabSelected", None)
        folder = posixpath.dirname(book_part)
        list_part = pkg.unused(f"{folder}/worksheets/gmreport_list{{n}}.xml")
        pkg.trees[list_part] = _list_sheet(listed, heading, styles)
        _override(types, list_part, CT_WORKSHEET)
        _add_first_sheet(pkg.tree(book_part), pkg.add_rel(book_part, REL_WORKSHEET, list_part))
        pkg.write(target)


def _styles_part(pkg: _Package, types: Any, book_part: str, parts: list[Any]) -> str:
    """The workbook's stylesheet part; a new, empty one when it has none (a workbook some
    systems write without styles is still a workbook calamine reads)."""
    if parts:
        return str(parts[0].filename)
    part = pkg.unused(f"{posixpath.dirname(book_part)}/gmreport_styles{{n}}.xml")
    pkg.trees[part] = etree.Element(_q("styleSheet"), nsmap={None: MAIN})
    _override(types, part, CT_STYLES)
    pkg.add_rel(book_part, REL_STYLES, part)
    return part


def _override(types: Any, part: str, content_type: str) -> None:
    etree.SubElement(types, _q("Override", CT), PartName="/" + part, ContentType=content_type)


def _default(types: Any, extension: str, content_type: str) -> None:
    # The root's own <Default>s: one a hostile file nests elsewhere neither counts nor is a
    # place to insert beside (`index` would fail on it).
    defaults = list(types.iterchildren(_q("Default", CT)))
    if not any(el.get("Extension", "").lower() == extension for el in defaults):
        el = etree.Element(_q("Default", CT), Extension=extension, ContentType=content_type)
        types.insert(types.index(defaults[-1]) + 1 if defaults else 0, el)


def _add_first_sheet(book: Any, rid: str) -> None:
    """The list sheet, first in the workbook `book` and its active tab."""
    sheets = book.find(_q("sheets"))
    name = free_name(list_sheet_name, (el.get("name", "") for el in sheets))
    ids = [int(el.get("sheetId", "0")) for el in sheets if el.get("sheetId", "").isdigit()]
    first = etree.Element(_q("sheet"), name=name, sheetId=str(max(ids, default=0) + 1))
    first.set(_q("id", R), rid)
    sheets.insert(0, first)
    for el in book.iterfind(_q("definedNames") + "/*"):  # sheet-scoped names: one sheet on
        local = el.get("localSheetId", "")
        if local.isdigit():
            el.set("localSheetId", str(int(local) + 1))
    for view in book.iterfind(_q("bookViews") + "/*"):
        view.set("activeTab", "0")
        view.set("firstSheet", "0")


class _Styles:
    """The stylesheet, to which fills and cell formats are added at the end (every existing
    index keeps its meaning)."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.fills = self._list("fills")
        self.fonts = self._list("fonts")
        self.xfs = self._list("cellXfs")
        self.fill_ids: dict[str, int] = {}
        self.marked: dict[tuple[int, Severity], int] = {}
        self.own: dict[str, int] = {}

    def _list(self, tag: str) -> Any:
        el = self.root.find(_q(tag))
        if el is None:  # a minimal stylesheet: the lists it lacks, in the schema's order
            order = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs"]
            el = etree.Element(_q(tag))
            later = [self.root.find(_q(t)) for t in order[order.index(tag) + 1 :]]
            later_el = next((e for e in later if e is not None), None)
            self.root.insert(len(order) if later_el is None else self.root.index(later_el), el)
            if tag == "cellXfs":
                etree.SubElement(el, _q("xf"), numFmtId="0", fontId="0", fillId="0", borderId="0")
        return el

    def _append(self, parent: Any, el: Any) -> int:
        parent.append(el)
        parent.set("count", str(len(parent)))
        return len(parent) - 1

    def fill(self, rgb: str) -> int:
        if rgb not in self.fill_ids:
            fill = etree.Element(_q("fill"))
            pattern = etree.SubElement(fill, _q("patternFill"), patternType="solid")
            etree.SubElement(pattern, _q("fgColor"), rgb="FF" + rgb)
            etree.SubElement(pattern, _q("bgColor"), indexed="64")
            self.fill_ids[rgb] = self._append(self.fills, fill)
        return self.fill_ids[rgb]

    def marked_xf(self, base: int, severity: Severity) -> int:
        """The cell format `base` with the severity's fill: number format, font, borders,
        alignment and protection as they were."""
        key = (base, severity)
        if key not in self.marked:
            xfs = list(self.xfs)
            xf = deepcopy(xfs[base]) if 0 <= base < len(xfs) else etree.Element(_q("xf"))
            for attr, default in (("numFmtId", "0"), ("fontId", "0"), ("borderId", "0")):
                xf.set(attr, xf.get(attr, default))
            xf.set("fillId", str(self.fill(FILLS[severity])))
            xf.set("applyFill", "1")
            self.marked[key] = self._append(self.xfs, xf)
        return self.marked[key]

    def list_xf(self, kind: str) -> int:
        """The list sheet's own formats: header, link, error, warning, text."""
        if kind not in self.own:
            xf = etree.Element(_q("xf"), numFmtId="0", fontId="0", fillId="0", borderId="0")
            if kind in ("header", "link"):
                look = "<b/>" if kind == "header" else '<u/><color rgb="FF0563C1"/>'
                font = f'<font xmlns="{MAIN}">{look}<sz val="11"/><name val="微軟正黑體"/></font>'
                xf.set("fontId", str(self._append(self.fonts, _parse(font.encode()))))
                xf.set("applyFont", "1")
            fill = {"header": HEADER_FILL, "error": FILLS[Severity.ERROR]}.get(kind)
            fill = FILLS[Severity.WARNING] if kind == "warning" else fill
            if fill:
                xf.set("fillId", str(self.fill(fill)))
                xf.set("applyFill", "1")
            xf.set("applyAlignment", "1")
            etree.SubElement(xf, _q("alignment"), vertical="top", wrapText="1")
            self.own[kind] = self._append(self.xfs, xf)
        return self.own[kind]


def _positions(sheet_data: Any) -> dict[int, Any]:
    """Row number → its <row>, numbering rows that omit `r` as Excel does."""
    rows: dict[int, Any] = {}
    n = 0
    for row in sheet_data.iterchildren(_q("row")):
        r = row.get("r")
        n = int(r) if r and r.isdigit() else n + 1
        rows[n] = row
    return rows


def _cell(row_el: Any, row: int, col: int, base: int) -> Any:
    """The <c> at column `col` of `row_el`, made (with the row's or column's format) if absent."""
    new = etree.Element(_q("c"), r=f"{column_letters(col)}{row}")
    if base:
        new.set("s", str(base))
    n = 0
    for c in row_el.iterchildren(_q("c")):
        position = cell_position(c.get("r", ""))
        n = position[1] if position else n + 1
        if n == col:
            return c
        if n > col:
            c.addprevious(new)
            return new
    row_el.append(new)
    spans = row_el.get("spans", "")
    first, _, last = spans.partition(":")
    if first.isdigit() and last.isdigit() and col > int(last):
        row_el.set("spans", f"{first}:{col}")
    return new


def _column_style(root: Any, col: int) -> int:
    cols = root.find(_q("cols"))
    for el in cols if cols is not None else ():
        low, high = el.get("min", "0"), el.get("max", "0")
        if low.isdigit() and high.isdigit() and int(low) <= col <= int(high):
            style = el.get("style", "0")
            return int(style) if style.isdigit() else 0
    return 0


def _mark_sheet(
    pkg: _Package, types: Any, part: str, marks: list[Mark], styles: _Styles, block: int
) -> None:
    root = pkg.tree(part)
    sheet_data = root.find(_q("sheetData"))
    rows = _positions(sheet_data)
    for m in marks:
        row_el = rows.get(m.row)
        if row_el is None:
            row_el = etree.Element(_q("row"), r=str(m.row))
            later = [r for n, r in rows.items() if n > m.row]
            sheet_data.insert(sheet_data.index(later[0]) if later else len(sheet_data), row_el)
            rows = dict(sorted({**rows, m.row: row_el}.items()))
        if row_el.get("customFormat") in ("1", "true") and (row_el.get("s") or "").isdigit():
            base = int(row_el.get("s"))
        else:
            base = _column_style(root, m.col)
        c = _cell(row_el, m.row, m.col, base)
        s = c.get("s", "0")
        c.set("s", str(styles.marked_xf(int(s) if s.isdigit() else 0, m.severity)))
    _add_comments(pkg, types, part, root, marks, block)


def _add_comments(
    pkg: _Package, types: Any, part: str, root: Any, marks: list[Mark], block: int
) -> None:
    """The marks' comments: into the sheet's comments part and its VML drawing, added if
    the sheet has none, else extended."""
    targets = {
        el.get("Type"): _target(part, el.get("Target", "")) for el in pkg.rels(part).iterfind("*")
    }
    comments_part, vml_part = targets.get(REL_COMMENTS), targets.get(REL_VML)
    if comments_part is None:
        comments_part = pkg.unused("xl/gmreport_comments{n}.xml")
        pkg.trees[comments_part] = _parse(
            f'<comments xmlns="{MAIN}"><authors/><commentList/></comments>'.encode()
        )
        pkg.add_rel(part, REL_COMMENTS, comments_part)
        _override(types, comments_part, CT_COMMENTS)
    comments = pkg.tree(comments_part)
    authors = comments.find(_q("authors"))
    author_id = len(authors)
    etree.SubElement(authors, _q("author")).text = AUTHOR
    listing = comments.find(_q("commentList"))
    existing = {el.get("ref"): el for el in listing}
    for m in marks:
        el = existing.get(m.ref)
        prefix = "" if el is None else "\n"  # the unit's own note stays, ours follows it
        if el is None:
            el = etree.SubElement(listing, _q("comment"), ref=m.ref, authorId=str(author_id))
        text = el.find(_q("text"))
        if text is None:
            text = etree.SubElement(el, _q("text"))
        run = etree.SubElement(text, _q("r"))
        props = etree.SubElement(run, _q("rPr"))
        etree.SubElement(props, _q("sz"), val="10")
        etree.SubElement(props, _q("rFont"), val="微軟正黑體")
        t = etree.SubElement(run, _q("t"))
        t.text = writable(prefix + m.text)
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    if vml_part is None:
        vml_part = pkg.unused("xl/drawings/gmreport_vmlDrawing{n}.vml")
        pkg.trees[vml_part] = _parse(_VML_ROOT.format(block=block + 1000).encode())
        rid = pkg.add_rel(part, REL_VML, vml_part)
        _default(types, "vml", CT_VML)
        legacy = etree.Element(_q("legacyDrawing"))
        legacy.set(_q("id", R), rid)
        later = next((i for i, el in enumerate(root) if _local(el.tag) in _AFTER_LEGACY), None)
        root.insert(len(root) if later is None else later, legacy)
    vml = pkg.tree(vml_part)
    first = (block + 1000) * 1024 + len(vml)
    for i, m in enumerate(marks):
        r, c = m.row - 1, m.col - 1
        anchor = f"{c + 1}, 15, {r}, 2, {c + 5}, 15, {r + 6}, 16"
        shape = _VML_SHAPE.format(id=first + i, row=r, col=c, anchor=anchor)
        vml.append(_parse(shape.encode()))


_VML_NS = (
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:x="urn:schemas-microsoft-com:office:excel"'
)
_VML_ROOT = (
    f"<xml {_VML_NS}>"
    '<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'
    '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
    'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
    '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype></xml>'
)
_VML_SHAPE = (
    f"<v:shape {_VML_NS} "
    'id="_x0000_s{id}" type="#_x0000_t202" style="position:absolute;margin-left:80pt;'
    'margin-top:2pt;width:260pt;height:90pt;z-index:1;visibility:hidden" '
    'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
    '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
    '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"/></v:textbox>'
    '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
    "<x:Anchor>{anchor}</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{col}</x:Column>"
    "</x:ClientData></v:shape>"
)


# The list sheet around its columns, rows and links: its tab red, printed on A4 landscape one
# page wide (as many pages down as needed), the heading and the column titles kept in view.
_LIST_SHEET = (
    f'<worksheet xmlns="{MAIN}" xmlns:r="{R}"><sheetPr><tabColor rgb="FFC00000"/>'
    '<pageSetUpPr fitToPage="1"/></sheetPr><sheetViews><sheetView tabSelected="1" '
    'workbookViewId="0"><pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" '
    'state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols/>'
    '<sheetData/><mergeCells count="1"><mergeCell ref="A1:{last}1"/></mergeCells><hyperlinks/>'
    '<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
    '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
    "</worksheet>"
)


def _list_sheet(listed: list[Listed], heading: str, styles: _Styles) -> Any:
    """The 檢核結果 sheet: a heading, then one row per problem, its cell linked."""
    root = _parse(_LIST_SHEET.format(last=column_letters(len(LIST_HEADERS))).encode())
    cols = root.find(_q("cols"))
    for i, width in enumerate(LIST_WIDTHS, start=1):
        etree.SubElement(cols, _q("col"), min=str(i), max=str(i), width=str(width), customWidth="1")
    data = root.find(_q("sheetData"))
    text_xf = styles.list_xf("text")

    def row(n: int, values: list[tuple[str, int]]) -> None:
        el = etree.SubElement(data, _q("row"), r=str(n))
        # tall enough for the wrapped text (no program sizes a row of a file it opens)
        lines = max(
            -(-display_width(v) // w) for (v, _), w in zip(values, LIST_WIDTHS, strict=False)
        )
        if n > 1 and lines > 1:
            el.set("ht", str(15 * lines))
            el.set("customHeight", "1")
        for j, (value, xf) in enumerate(values, start=1):
            c = etree.SubElement(el, _q("c"), r=f"{column_letters(j)}{n}", s=str(xf), t="inlineStr")
            t = etree.SubElement(etree.SubElement(c, _q("is")), _q("t"))
            t.text = writable(value)
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    row(1, [(heading, styles.list_xf("header"))])
    data[0].set("ht", "48")
    data[0].set("customHeight", "1")
    header = styles.list_xf("header")
    row(2, [(h, header) for h in LIST_HEADERS])
    links = []
    for n, item in enumerate(listed, start=3):
        p = item.problem
        severity = styles.list_xf("error" if p.is_error else "warning")
        link = styles.list_xf("link") if item.sheet is not None else text_xf
        row(
            n,
            [
                (str(n - 2), text_xf),
                (p.severity.value, severity),
                (p.sheet or "", text_xf),
                (item.place, link),
                (p.title, text_xf),
                (p.message, text_xf),
                (p.hint, text_xf),
            ],
        )
        if item.sheet is not None:
            quoted = item.sheet.replace("'", "''")
            links.append((f"D{n}", f"'{quoted}'!{item.ref}", item.place))
    hyperlinks = root.find(_q("hyperlinks"))
    for ref, location, display in links:
        etree.SubElement(hyperlinks, _q("hyperlink"), ref=ref, location=location, display=display)
    if not links:
        root.remove(hyperlinks)
    return root
