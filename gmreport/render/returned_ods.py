"""The marked copy of an .ods, made by editing its content.xml (and the active sheet in
settings.xml): every other part is copied as it is.

A marked cell gets a style of its own: a copy of its automatic style (number format, font,
borders as they were) with the background colour, or, for a cell in a common style, a
style based on it. Its annotation holds the message and the fix. Repeated rows and cells
are split so that only the marked cell changes. The list sheet is a new first table.
"""

from __future__ import annotations

import zipfile
from copy import deepcopy
from pathlib import Path
from typing import Any

from lxml import etree

from ..format import writable
from ..ods_writer import NAMESPACES
from ..problems import Problem
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

NS = NAMESPACES  # ODF's prefixes, for lxml's find


def _q(name: str) -> str:
    """An ODF name ("table:table-row") as lxml spells it, with its namespace."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _qualified(attrs: dict[str, str]) -> dict[str, str]:
    return {_q(name): value for name, value in attrs.items()}


TABLE, ROW, CELL, COVERED, COLUMN = (
    _q(f"table:{tag}")
    for tag in ("table", "table-row", "table-cell", "covered-table-cell", "table-column")
)
ROWS_REPEATED = _q("table:number-rows-repeated")
COLS_REPEATED = _q("table:number-columns-repeated")
STYLE_NAME = _q("table:style-name")


def mark_ods(source: Path, target: Path, problems: list[Problem], heading: str) -> None:
    """Write the marked copy of the .ods `source` to `target`."""
    with zipfile.ZipFile(source) as z:
        content = etree.fromstring(z.read("content.xml"), PARSER)
        spreadsheet = content.find("office:body/office:spreadsheet", NS)
        tables = {t.get(_q("table:name"), ""): t for t in spreadsheet.iterchildren(TABLE)}
        marks, listed = plan(problems, list(tables))
        automatic = content.find("office:automatic-styles", NS)
        if automatic is None:
            automatic = etree.Element(_q("office:automatic-styles"))
            content.find("office:body", NS).addprevious(automatic)
        styles = _Styles(automatic)
        for m in marks:
            _mark(tables[m.sheet], m, styles)
        name = free_name(list_sheet_name, tables)
        first = next(spreadsheet.iterchildren(TABLE))
        first.addprevious(_list_table(name, listed, heading, styles))
        changed = {"content.xml": _dump(content)}
        if "settings.xml" in z.namelist():
            settings = etree.fromstring(z.read("settings.xml"), PARSER)
            for item in settings.iter(_q("config:config-item")):
                if item.get(_q("config:name")) == "ActiveTable":
                    item.text = name
            changed["settings.xml"] = _dump(settings)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as w:
            for info in z.infolist():
                copy = zipfile.ZipInfo(info.filename, info.date_time)
                copy.compress_type = info.compress_type  # the mimetype stays first and stored
                copy.external_attr = info.external_attr
                w.writestr(copy, changed.get(info.filename) or z.read(info))


def _dump(root: Any) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _repeat(el: Any, attr: str) -> int:
    value = el.get(attr, "1")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def _split(el: Any, attr: str, at: int) -> Any:
    """Of `el` repeated n times, make the repetition `at` (0-based) an element of its own:
    up to three elements, the same but for their counts. Returns the one at `at`."""
    n = _repeat(el, attr)
    if n == 1:
        return el
    one = deepcopy(el)
    one.attrib.pop(attr, None)
    el.addnext(one)
    if after := n - at - 1:
        rest = deepcopy(one)
        if after > 1:
            rest.set(attr, str(after))
        one.addnext(rest)
    if at > 1:
        el.set(attr, str(at))
    elif at == 1:
        el.attrib.pop(attr, None)
    else:
        el.getparent().remove(el)
    return one


def _own(table: Any, tag: str) -> list[Any]:
    """The table's elements `tag` in order, in row groups and header rows too (not those of
    a table inside it)."""
    return [el for el in table.iter(tag) if next(el.iterancestors(TABLE)) is table]


def _nth(items: list[Any], attr: str, index: int) -> tuple[Any, int] | None:
    """The element covering the 0-based position `index`, and `index` within its repeats."""
    n = 0
    for el in items:
        k = _repeat(el, attr)
        if n <= index < n + k:
            return el, index - n
        n += k
    return None


def _at(parent: Any, items: list[Any], attr: str, index: int) -> Any:
    """The row or cell at the 0-based position `index` among `items`, the rows or cells of
    `parent`, made an element of its own; past the last, one added (after a filler)."""
    found = _nth(items, attr, index)
    if found is not None:
        return _split(found[0], attr, found[1])
    tag = ROW if attr == ROWS_REPEATED else CELL
    new = [etree.Element(tag)]
    if gap := index - sum(_repeat(el, attr) for el in items):
        if gap > 1:
            new[0].set(attr, str(gap))
        if tag == ROW:
            etree.SubElement(new[0], CELL)
        new.append(etree.Element(tag))
    if items:
        for el in reversed(new):
            items[-1].addnext(el)
    else:
        parent.extend(new)
    return new[-1]


class _Styles:
    """content.xml's automatic styles, to which the marked cells' styles are added."""

    def __init__(self, automatic: Any) -> None:
        self.automatic = automatic
        self.by_name = {
            s.get(_q("style:name")): s
            for s in automatic.iterchildren(_q("style:style"))
            if s.get(_q("style:family")) == "table-cell"
        }
        self.taken = {s.get(_q("style:name")) for s in automatic.iterchildren()}
        self.made: dict[tuple[str, str], str] = {}

    def _name(self, stem: str) -> str:
        n = 1
        while f"{stem}{n}" in self.taken:
            n += 1
        self.taken.add(f"{stem}{n}")
        return f"{stem}{n}"

    def filled(self, base: str, colour: str) -> str:
        """A cell style that is `base` with the background `colour`."""
        key = (base, colour)
        if key in self.made:
            return self.made[key]
        own = self.by_name.get(base)
        if own is not None:
            style = deepcopy(own)
        else:  # a common style (or none): based on it
            parent = {"style:family": "table-cell", "style:parent-style-name": base or "Default"}
            style = etree.Element(_q("style:style"), _qualified(parent))
        name = self._name("gmrMark")
        style.set(_q("style:name"), name)
        props = style.find("style:table-cell-properties", NS)
        if props is None:
            props = etree.Element(_q("style:table-cell-properties"))
            style.insert(0, props)
        props.set(_q("fo:background-color"), "#" + colour.lower())
        self.automatic.append(style)
        self.made[key] = name
        return name

    def own(self, family: str, properties: dict[str, dict[str, str]]) -> str:
        """A style of the list sheet's: its properties elements' attributes by element
        (「table-cell-properties」: {"fo:wrap-option": "wrap"})."""
        name = self._name("gmrCol" if family == "table-column" else "gmrList")
        attrs = {"style:name": name, "style:family": family}
        if family == "table-cell":
            attrs["style:parent-style-name"] = "Default"
        style = etree.SubElement(self.automatic, _q("style:style"), _qualified(attrs))
        for kind, props in properties.items():
            etree.SubElement(style, _q(f"style:{kind}"), _qualified(props))
        return name


def _mark(table: Any, m: Mark, styles: _Styles) -> None:
    row = _at(table, _own(table, ROW), ROWS_REPEATED, m.row - 1)
    cell = _at(row, [c for c in row if c.tag in (CELL, COVERED)], COLS_REPEATED, m.col - 1)
    if cell.tag == COVERED:  # inside a merged range, whose first cell is what shows
        return
    column = _nth(_own(table, COLUMN), COLS_REPEATED, m.col - 1)
    column_style = None if column is None else column[0].get(_q("table:default-cell-style-name"))
    base = cell.get(STYLE_NAME) or column_style or "Default"
    cell.set(STYLE_NAME, styles.filled(base, FILLS[m.severity]))
    note = cell.find("office:annotation", NS)
    if note is None:
        note = etree.Element(_q("office:annotation"))
        etree.SubElement(note, _q("dc:creator")).text = AUTHOR
        cell.insert(0, note)
    for line in m.text.split("\n"):
        etree.SubElement(note, _q("text:p")).text = writable(line)


def _list_table(name: str, listed: list[Listed], heading: str, styles: _Styles) -> Any:
    table = etree.Element(TABLE, _qualified({"table:name": name}))
    for width in LIST_WIDTHS:
        column = {"table-column-properties": {"style:column-width": f"{width * 0.09:.2f}in"}}
        etree.SubElement(table, COLUMN).set(STYLE_NAME, styles.own("table-column", column))

    def cell_style(fill: str | None = None, bold: bool = False) -> str:
        cell = {"fo:background-color": "#" + fill.lower()} if fill else {}
        text = {"text-properties": {"fo:font-weight": "bold"}} if bold else {}
        cell["fo:wrap-option"] = "wrap"
        return styles.own("table-cell", {"table-cell-properties": cell, **text})

    plain = cell_style()
    header = cell_style(HEADER_FILL, bold=True)
    severity = {s: cell_style(c) for s, c in FILLS.items()}

    def row(values: list[tuple[str, str, str | None]]) -> Any:
        el = etree.SubElement(table, ROW)
        for value, style, href in values:
            cell = {"table:style-name": style, "office:value-type": "string"}
            p = etree.SubElement(etree.SubElement(el, CELL, _qualified(cell)), _q("text:p"))
            if href is not None:  # a link to the cell
                link = {"xlink:type": "simple", "xlink:href": href}
                p = etree.SubElement(p, _q("text:a"), _qualified(link))
            p.text = writable(value)
        return el

    top = row([(heading, header, None)])
    top[0].set(_q("table:number-columns-spanned"), str(len(LIST_HEADERS)))
    # 48 pt, as the .xlsx's: no reader sizes a row to the wrapped text of a merged cell
    tall = {"style:row-height": "48pt", "style:use-optimal-row-height": "false"}
    top.set(STYLE_NAME, styles.own("table-row", {"table-row-properties": tall}))
    for _ in LIST_HEADERS[1:]:
        etree.SubElement(top, COVERED)
    row([(h, header, None) for h in LIST_HEADERS])
    for n, item in enumerate(listed, start=1):
        p = item.problem
        href = None
        if item.sheet is not None:
            quoted = item.sheet.replace("'", "''")
            href = f"#'{quoted}'.{item.ref}"
        row(
            [
                (str(n), plain, None),
                (p.severity.value, severity[p.severity], None),
                (p.sheet, plain, None),
                (item.place, plain, href),
                (p.title, plain, None),
                (p.message, plain, None),
                (p.hint, plain, None),
            ]
        )
    return table
