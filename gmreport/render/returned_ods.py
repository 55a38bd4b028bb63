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
from ..problems import Problem
from .returned import (
    AUTHOR,
    FILLS,
    HEADER_FILL,
    LIST_HEADERS,
    LIST_SHEET,
    LIST_WIDTHS,
    Listed,
    Mark,
    plan,
)

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
XLINK = "http://www.w3.org/1999/xlink"
DC = "http://purl.org/dc/elements/1.1/"
CONFIG = "urn:oasis:names:tc:opendocument:xmlns:config:1.0"

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_blank_text=False,
)


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


ROW, CELL, COVERED, COLUMN = (
    _q(TABLE, "table-row"),
    _q(TABLE, "table-cell"),
    _q(TABLE, "covered-table-cell"),
    _q(TABLE, "table-column"),
)
ROWS_REPEATED = _q(TABLE, "number-rows-repeated")
COLS_REPEATED = _q(TABLE, "number-columns-repeated")
STYLE_NAME = _q(TABLE, "style-name")
DEFAULT_CELL_STYLE = _q(TABLE, "default-cell-style-name")


def mark_ods(source: Path, target: Path, problems: list[Problem], heading: str) -> None:
    """Write the marked copy of the .ods `source` to `target`."""
    with zipfile.ZipFile(source) as z:
        content = etree.fromstring(z.read("content.xml"), _PARSER)
        spreadsheet = content.find(f"{_q(OFFICE, 'body')}/{_q(OFFICE, 'spreadsheet')}")
        tables = {
            t.get(_q(TABLE, "name"), ""): t for t in spreadsheet.iterchildren(_q(TABLE, "table"))
        }
        marks, listed = plan(problems, list(tables))
        automatic = content.find(_q(OFFICE, "automatic-styles"))
        if automatic is None:
            automatic = etree.Element(_q(OFFICE, "automatic-styles"))
            body = content.find(_q(OFFICE, "body"))
            body.addprevious(automatic)
        styles = _Styles(automatic)
        for m in marks:
            _mark(tables[m.sheet], m, styles)
        name = _unused_name(list(tables))
        first = next(spreadsheet.iterchildren(_q(TABLE, "table")))
        first.addprevious(_list_table(name, listed, heading, styles))
        changed = {"content.xml": _dump(content)}
        if "settings.xml" in z.namelist():
            settings = etree.fromstring(z.read("settings.xml"), _PARSER)
            for item in settings.iter(_q(CONFIG, "config-item")):
                if item.get(_q(CONFIG, "name")) == "ActiveTable":
                    item.text = name
            changed["settings.xml"] = _dump(settings)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as w:
            for info in z.infolist():
                data = changed.get(info.filename)
                copy = zipfile.ZipInfo(info.filename, info.date_time)
                copy.compress_type = info.compress_type  # the mimetype stays first and stored
                copy.external_attr = info.external_attr
                w.writestr(copy, data if data is not None else z.read(info))


def _dump(root: Any) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _unused_name(names: list[str]) -> str:
    taken = {n.casefold() for n in names}
    name, n = LIST_SHEET, 1
    while name.casefold() in taken:
        n += 1
        name = f"{LIST_SHEET}({n})"
    return name


def _repeat(el: Any, attr: str) -> int:
    value = el.get(attr, "1")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def _split(el: Any, attr: str, at: int) -> Any:
    """Of `el` repeated n times, make the repetition `at` (0-based) an element of its own:
    up to three elements, the same but for their counts. Returns the one at `at`."""
    n = _repeat(el, attr)
    if n == 1:
        return el
    before, after = at, n - at - 1
    one = deepcopy(el)
    one.attrib.pop(attr, None)
    if before:
        if before > 1:
            el.set(attr, str(before))
        else:
            el.attrib.pop(attr, None)
        el.addnext(one)
    else:
        el.addprevious(one)
        el.getparent().remove(el)
    if after:
        rest = deepcopy(one)
        if after > 1:
            rest.set(attr, str(after))
        one.addnext(rest)
    return one


def _rows(table: Any) -> list[Any]:
    """The table's rows in order, in row groups and header rows too."""
    return [r for r in table.iter(ROW) if _owner(r) is table]


def _owner(el: Any) -> Any:
    parent = el.getparent()
    while parent is not None and parent.tag != _q(TABLE, "table"):
        parent = parent.getparent()
    return parent


def _nth(items: list[Any], attr: str, index: int) -> tuple[Any, int] | None:
    """The element covering the 0-based position `index`, and `index` within its repeats."""
    n = 0
    for el in items:
        k = _repeat(el, attr)
        if n <= index < n + k:
            return el, index - n
        n += k
    return None


def _row(table: Any, index: int) -> Any:
    rows = _rows(table)
    found = _nth(rows, ROWS_REPEATED, index)
    if found is None:  # past the table's last row: rows added up to it
        n = sum(_repeat(r, ROWS_REPEATED) for r in rows)
        anchor = rows[-1] if rows else None
        gap = index - n
        if gap:
            filler = etree.Element(ROW)
            if gap > 1:
                filler.set(ROWS_REPEATED, str(gap))
            etree.SubElement(filler, CELL)
            _after(table, anchor, filler)
            anchor = filler
        row = etree.Element(ROW)
        _after(table, anchor, row)
        return row
    return _split(found[0], ROWS_REPEATED, found[1])


def _after(table: Any, anchor: Any, el: Any) -> None:
    if anchor is not None:
        anchor.addnext(el)
    else:
        table.append(el)


def _cell(row: Any, index: int) -> Any:
    cells = [c for c in row if c.tag in (CELL, COVERED)]
    found = _nth(cells, COLS_REPEATED, index)
    if found is None:
        n = sum(_repeat(c, COLS_REPEATED) for c in cells)
        gap = index - n
        if gap:
            filler = etree.SubElement(row, CELL)
            if gap > 1:
                filler.set(COLS_REPEATED, str(gap))
        return etree.SubElement(row, CELL)
    return _split(found[0], COLS_REPEATED, found[1])


def _column_style(table: Any, index: int) -> str | None:
    columns = [c for c in table.iter(COLUMN) if _owner(c) is table]
    found = _nth(columns, COLS_REPEATED, index)
    return None if found is None else found[0].get(DEFAULT_CELL_STYLE)


class _Styles:
    """content.xml's automatic styles, to which the marked cells' styles are added."""

    def __init__(self, automatic: Any) -> None:
        self.automatic = automatic
        self.by_name = {
            s.get(_q(STYLE, "name")): s
            for s in automatic.iterchildren(_q(STYLE, "style"))
            if s.get(_q(STYLE, "family")) == "table-cell"
        }
        self.taken = {s.get(_q(STYLE, "name")) for s in automatic.iterchildren()}
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
            style = etree.Element(_q(STYLE, "style"))
            style.set(_q(STYLE, "family"), "table-cell")
            style.set(_q(STYLE, "parent-style-name"), base or "Default")
        name = self._name("gmrMark")
        style.set(_q(STYLE, "name"), name)
        props = style.find(_q(STYLE, "table-cell-properties"))
        if props is None:
            props = etree.Element(_q(STYLE, "table-cell-properties"))
            style.insert(0, props)
        props.set(_q(FO, "background-color"), "#" + colour.lower())
        self.automatic.append(style)
        self.made[key] = name
        return name

    def own(self, family: str, **props: str) -> str:
        """A style of the list sheet's: `props` as (properties element, attribute) pairs."""
        style = etree.SubElement(self.automatic, _q(STYLE, "style"))
        name = self._name({"table-column": "gmrCol", "table-row": "gmrRow"}.get(family, "gmrList"))
        style.set(_q(STYLE, "name"), name)
        style.set(_q(STYLE, "family"), family)
        if family == "table-cell":
            style.set(_q(STYLE, "parent-style-name"), "Default")
        for key, value in props.items():
            element, _, attr = key.partition("__")
            ns, local = attr.split("_", 1)
            el = style.find(_q(STYLE, element))
            if el is None:
                el = etree.SubElement(style, _q(STYLE, element))
            el.set(_q({"fo": FO, "style": STYLE}[ns], local.replace("_", "-")), value)
        return name


def _mark(table: Any, m: Mark, styles: _Styles) -> None:
    row = _row(table, m.row - 1)
    cell = _cell(row, m.col - 1)
    if cell.tag == COVERED:  # inside a merged range, whose first cell is what shows
        return
    base = cell.get(STYLE_NAME) or _column_style(table, m.col - 1) or "Default"
    cell.set(STYLE_NAME, styles.filled(base, FILLS[m.severity]))
    note = cell.find(_q(OFFICE, "annotation"))
    if note is None:
        note = etree.Element(_q(OFFICE, "annotation"))
        etree.SubElement(note, _q(DC, "creator")).text = AUTHOR
        cell.insert(0, note)
    for line in m.text.split("\n"):
        etree.SubElement(note, _q(TEXT, "p")).text = writable(line)


def _list_table(name: str, listed: list[Listed], heading: str, styles: _Styles) -> Any:
    table = etree.Element(_q(TABLE, "table"))
    table.set(_q(TABLE, "name"), name)
    for width in LIST_WIDTHS:
        col = etree.SubElement(table, COLUMN)
        col.set(
            STYLE_NAME,
            styles.own(
                "table-column", table_column_properties__style_column_width=f"{width * 0.09:.2f}in"
            ),
        )
    wrap = {"table_cell_properties__fo_wrap_option": "wrap"}
    plain = styles.own("table-cell", **wrap)
    bold = {"text_properties__fo_font_weight": "bold"}
    header = styles.own(
        "table-cell",
        table_cell_properties__fo_background_color="#" + HEADER_FILL.lower(),
        **wrap,
        **bold,
    )
    severity = {
        s: styles.own(
            "table-cell", table_cell_properties__fo_background_color="#" + c.lower(), **wrap
        )
        for s, c in FILLS.items()
    }

    def row(values: list[tuple[str, str, str | None]]) -> Any:
        el = etree.SubElement(table, ROW)
        for value, style, href in values:
            cell = etree.SubElement(el, CELL)
            cell.set(STYLE_NAME, style)
            cell.set(_q(OFFICE, "value-type"), "string")
            p = etree.SubElement(cell, _q(TEXT, "p"))
            if href is None:
                p.text = writable(value)
            else:
                a = etree.SubElement(p, _q(TEXT, "a"))
                a.set(_q(XLINK, "type"), "simple")
                a.set(_q(XLINK, "href"), href)
                a.text = writable(value)
        return el

    top = row([(heading, header, None)])
    top[0].set(_q(TABLE, "number-columns-spanned"), str(len(LIST_HEADERS)))
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
