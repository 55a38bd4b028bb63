"""An openpyxl Workbook written as an OpenDocument spreadsheet (.ods), for LibreOffice.

The blank standard workbook is built once, as an openpyxl Workbook (`blank_workbook`); this
module carries that model into ODF rather than describing the template a second time: sheets
in order, values, merged cells, column widths and styles, row heights, fonts, fills, borders,
alignment, number formats, frozen rows, print setup, print title rows, data validations
(dropdowns with their prompts and error messages), formulas and conditional formats of a
formula (LibreOffice's calcext:conditional-formats), translated from Excel's syntax to
OpenFormula; hidden sheets. A feature of the model it cannot carry raises ValueError, so the
template cannot gain something the .ods silently drops.

Formulas are matched as Excel matches them: without case, wildcards in COUNTIF's criteria
(not regular expressions, ODF's default).

The file is the same, byte for byte, each time it is written: its zip times are fixed and
its meta.xml holds no dates.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from odf.element import Element
from odf.namespaces import (
    CONFIGNS,
    DCNS,
    FONS,
    LOEXTNS,
    METANS,
    NUMBERNS,
    OFFICENS,
    STYLENS,
    SVGNS,
    TABLENS,
    TEXTNS,
    nsdict,
)
from odf.opendocument import OpenDocument, OpenDocumentSpreadsheet
from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.formatting.rule import Rule
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.styles.borders import Side
from openpyxl.styles.colors import Color
from openpyxl.styles.fills import PatternFill
from openpyxl.styles.fonts import DEFAULT_FONT, Font
from openpyxl.styles.proxy import StyleProxy
from openpyxl.utils import column_index_from_string
from openpyxl.utils import get_column_letter as _letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.worksheet import Worksheet

from .atomic import atomic_path
from .cells import cell_position

CALCEXTNS = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
nsdict.setdefault(CALCEXTNS, "calcext")  # LibreOffice's own; odfpy knows it by no prefix

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
"""Every zip member's time: the earliest a zip can hold, so that equal files are equal bytes."""

_NAMESPACES = {
    "calcext": CALCEXTNS,
    "config": CONFIGNS,
    "dc": DCNS,
    "fo": FONS,
    "loext": LOEXTNS,
    "meta": METANS,
    "number": NUMBERNS,
    "office": OFFICENS,
    "style": STYLENS,
    "svg": SVGNS,
    "table": TABLENS,
    "text": TEXTNS,
}

# How LibreOffice reads a width in Excel's character units, and Excel's border weights.
_POINTS_PER_WIDTH_UNIT = 7.0
_DEFAULT_COLUMN_WIDTH = 8.43
_INDENT_POINTS = 10.5
_BORDERS = {
    "hair": "0.06pt solid",
    "thin": "0.74pt solid",
    "medium": "1.76pt solid",
    "thick": "2.49pt solid",
    "dashed": "0.74pt dashed",
    "dotted": "0.74pt dotted",
    "double": "2.49pt double",
}
_HORIZONTAL = {"left": "start", "center": "center", "right": "end", "justify": "justify"}
_VERTICAL = {"top": "top", "center": "middle", "bottom": "bottom"}
_PAPER_CM = {1: (21.59, 27.94), 9: (21.0, 29.7)}  # openpyxl's paperSize: Letter, A4
_NUMBER = re.compile(r"(?P<grouping>#,##)?0(?:\.(?P<decimals>0+))?")
_DATE_PART = re.compile(r"yyyy|yy|mm|m|dd|d|hh|h|ss|s|[/\-.: ]")
_SPACES = re.compile(r"\t|^ +| {2,}")
_DATE_FIELDS = {
    "y": "number:year",
    "m": "number:month",
    "d": "number:day",
    "h": "number:hours",
    "n": "number:minutes",
    "s": "number:seconds",
}
"""Excel's date and time codes (n: the minute, which Excel also writes m) and their ODF fields."""
_EMPTY = ("cell", None, None, None, None)
"""A cell with nothing in it: no style, validation, merge or value."""


Results = Mapping[tuple[str, str], str]
"""Known text results of formulas, by (sheet, cell): written as the formula's last result."""


def write_ods(workbook: Workbook, path: Path, results: Results | None = None) -> None:
    """Write `workbook` to `path` as an OpenDocument spreadsheet, atomically. A formula is
    written without a result, for LibreOffice to compute, unless `results` gives it one:
    LibreOffice computes no formula in or above a sheet's print title rows when it opens
    the file (it keeps the result written, and computes the formula again when a cell it
    depends on changes)."""
    data = ods_bytes(workbook, results)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def ods_bytes(workbook: Workbook, results: Results | None = None) -> bytes:
    """`workbook` as the bytes of an .ods file; the same workbook gives the same bytes."""
    with _fresh_namespaces():
        doc = _Writer(workbook, results or {}).document()
        buffer = io.BytesIO()
        doc.write(buffer)
    return _fixed_zip_times(buffer.getvalue())


@contextlib.contextmanager
def _fresh_namespaces() -> Iterator[None]:
    # odfpy collects the namespaces an element declares in one dict shared by the whole
    # process, so a file written after another was read would declare more of them.
    saved = Element.namespaces
    Element.namespaces = {}
    try:
        yield
    finally:
        Element.namespaces = saved


def _fixed_zip_times(package: bytes) -> bytes:
    """The zip `package` with every member's time fixed (odfpy stamps the current time)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as src,
        zipfile.ZipFile(out, "w") as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = info.compress_type  # mimetype stays first and stored
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _el(qname: str, attrs: dict[str, str | None] | None = None, *children: Element) -> Element:
    """The ODF element `qname` ("table:table-cell") with `attrs` (None values left out)."""
    prefix, local = qname.split(":")
    qattributes = {}
    for name, value in (attrs or {}).items():
        if value is not None:
            ns, attr = name.split(":")
            qattributes[(_NAMESPACES[ns], attr)] = value
    element = Element(qname=(_NAMESPACES[prefix], local), qattributes=qattributes)
    for child in children:
        element.addElement(child)
    return element


def _paragraphs(text: str) -> list[Element]:
    """`text` as text:p elements, one a line, its spaces and tabs kept (ODF collapses
    spaces a reader sees at the start of a line or after another space)."""
    paragraphs = []
    for line in text.split("\n"):
        p, start = _el("text:p"), 0
        for found in _SPACES.finditer(line):
            before, run = line[start : found.start()], found.group()
            if run != "\t" and found.start() > 0:
                before, run = before + " ", run[1:]
            if before:
                p.addText(before)
            p.addElement(
                _el("text:tab") if run == "\t" else _el("text:s", {"text:c": str(len(run))})
            )
            start = found.end()
        if line[start:]:
            p.addText(line[start:])
        paragraphs.append(p)
    return paragraphs


def _unsupported(what: str) -> ValueError:
    return ValueError(f"{what} cannot be written to an .ods by gmreport.ods_writer")


def _color(color: Color | None) -> str | None:
    """A colour as #rrggbb, or None for the automatic (theme text) colour."""
    if color is None:
        return None
    if color.type == "rgb" and isinstance(color.rgb, str):
        return "#" + color.rgb[-6:].lower()
    if (color.type == "theme" and color.theme == 1 and not color.tint) or (
        color.type == "indexed" and color.indexed == 64
    ):
        return None
    raise _unsupported(f"colour {color!r}")


_STYLE_PREFIXES = {"table": "ta", "table-column": "co", "table-row": "ro"}


def _every_script(prop: str, value: str) -> dict[str, str | None]:
    """A text property for Latin, East Asian (Chinese) and complex scripts alike."""
    return {f"fo:{prop}": value, f"style:{prop}-asian": value, f"style:{prop}-complex": value}


def _length(points: float) -> str:
    return f"{round(points, 2):g}pt"


class _Writer:
    """One workbook's conversion: styles are named as they are first met, so always alike."""

    def __init__(self, workbook: Workbook, results: Results) -> None:
        self.workbook = workbook
        self.results = results
        self.doc: OpenDocument = OpenDocumentSpreadsheet()
        self.default_font = _font_key(DEFAULT_FONT)
        self.fonts: set[str] = set()
        self.cell_styles: dict[tuple[Any, ...], str] = {}
        self.cell_style_of: dict[int, str | None] = {}  # openpyxl style id → name
        self.data_styles: dict[str, str] = {}
        self.column_styles: dict[str, str] = {}
        self.row_styles: dict[str, str] = {}
        self.page_layouts: dict[tuple[Any, ...], str] = {}
        self.table_styles: dict[tuple[Any, ...], str] = {}
        self.validations = _el("table:content-validations")
        self.condition_styles: dict[tuple[Any, ...], str] = {}

    def document(self) -> OpenDocument:
        sheets: list[Worksheet] = []
        for ws in self.workbook.worksheets:
            if not isinstance(ws, Worksheet):
                raise _unsupported(f"sheet {ws.title!r} (a chart sheet)")
            sheets.append(ws)
        tables = [self._table(ws) for ws in sheets]
        self._default_style()
        self.doc.spreadsheet.addElement(
            _el(
                "table:calculation-settings",
                {
                    "table:case-sensitive": "false",
                    "table:use-regular-expressions": "false",
                    "table:use-wildcards": "true",
                    "table:automatic-find-labels": "false",
                },
            )
        )
        if self.validations.childNodes:
            self.doc.spreadsheet.addElement(self.validations)
        for table in tables:
            self.doc.spreadsheet.addElement(table)
        for name in sorted(self.fonts):
            family = f"'{name}'" if " " in name else name
            self.doc.fontfacedecls.addElement(
                _el("style:font-face", {"style:name": name, "svg:font-family": family})
            )
        self._settings(sheets)
        self._meta()
        return self.doc

    # The document around the tables

    def _default_style(self) -> None:
        self.doc.styles.addElement(
            _el(
                "style:style",
                {"style:name": "Default", "style:family": "table-cell"},
                self._text_properties(DEFAULT_FONT, always=True),
            )
        )

    def _meta(self) -> None:
        props = self.workbook.properties
        for qname, value in (
            ("dc:title", props.title),
            ("dc:subject", props.subject),
            ("dc:description", props.description),
            ("meta:initial-creator", props.creator),
            ("dc:creator", props.lastModifiedBy),
            ("dc:language", props.language),
        ):
            if value:
                element = _el(qname)
                element.addText(value)
                self.doc.meta.addElement(element)
        if props.keywords:
            keyword = _el("meta:keyword")
            keyword.addText(props.keywords)
            self.doc.meta.addElement(keyword)

    def _settings(self, sheets: list[Worksheet]) -> None:
        """The view: which sheet is open, and each sheet's frozen rows and columns."""

        def item(name: str, kind: str, value: object) -> Element:
            element = _el("config:config-item", {"config:name": name, "config:type": kind})
            element.addText(str(value).lower() if isinstance(value, bool) else str(value))
            return element

        tables = _el("config:config-item-map-named", {"config:name": "Tables"})
        for ws in sheets:
            entry = _el("config:config-item-map-entry", {"config:name": ws.title})
            if position := cell_position(ws.freeze_panes or ""):
                rows, cols = position[0] - 1, position[1] - 1
                for name, kind, value in (
                    ("CursorPositionX", "int", cols),
                    ("CursorPositionY", "int", rows),
                    ("HorizontalSplitMode", "short", 2 if cols else 0),
                    ("VerticalSplitMode", "short", 2 if rows else 0),
                    ("HorizontalSplitPosition", "int", cols),
                    ("VerticalSplitPosition", "int", rows),
                    ("ActiveSplitRange", "short", (2 if rows else 0) + (1 if cols else 0)),
                    ("PositionLeft", "int", 0),
                    ("PositionRight", "int", cols),
                    ("PositionTop", "int", 0),
                    ("PositionBottom", "int", rows),
                ):
                    entry.addElement(item(name, kind, value))
            entry.addElement(item("ShowGrid", "boolean", ws.sheet_view.showGridLines is not False))
            tables.addElement(entry)
        view = _el(
            "config:config-item-map-entry",
            None,
            item("ViewId", "string", "view1"),
            tables,
            item("ActiveTable", "string", self.workbook.active.title),  # type: ignore[union-attr]
        )
        self.doc.settings.addElement(
            _el(
                "config:config-item-set",
                {"config:name": "ooo:view-settings"},
                _el("config:config-item-map-indexed", {"config:name": "Views"}, view),
            )
        )

    # A sheet

    def _table(self, ws: Worksheet) -> Element:
        _refuse_unsupported(ws)
        spans, covered = _merges(ws)
        validation_of = self._validations(ws)
        max_row = max(
            [ws.max_row, *(r for (r, _) in validation_of), *(r for (_, r) in spans.values())]
        )
        max_col = max(
            [
                ws.max_column,
                *(c for (_, c) in validation_of),
                *(c for (c, _) in spans.values()),
                *(_column_span(letter, d)[1] for letter, d in ws.column_dimensions.items()),
            ]
        )
        table = _el(
            "table:table", {"table:name": ws.title, "table:style-name": self._table_style(ws)}
        )
        defaults = [self._column_cell_style(ws, col) for col in range(1, max_col + 1)]
        columns = [
            (self._column_style(ws, col), defaults[col - 1]) for col in range(1, max_col + 1)
        ]
        for (style, default), count in _runs(columns):
            table.addElement(
                _el(
                    "table:table-column",
                    {
                        "table:style-name": style,
                        "table:number-columns-repeated": str(count) if count > 1 else None,
                        "table:default-cell-style-name": default,
                    },
                )
            )
        header_rows = _print_title_rows(ws)
        group: Element = table
        rows: list[tuple[Any, ...]] = []

        def flush() -> None:
            for row, count in _runs(rows):
                group.addElement(self._row(row, count))
            rows.clear()

        for r in range(1, max_row + 1):
            if r in header_rows and group is table:
                flush()
                group = _el("table:table-header-rows")
                table.addElement(group)
            elif r not in header_rows and group is not table:
                flush()
                group = table
            cells = []
            for c in range(1, max_col + 1):
                cell = ws._cells.get((r, c))
                style = self._cell_style(cell)
                if style is None and cell is not None and defaults[c - 1] is not None:
                    style = "Default"  # a cell of its own has no style, not its column's
                cells.append(
                    (
                        "covered" if (r, c) in covered else "cell",
                        style,
                        validation_of.get((r, c)),
                        spans.get((r, c)),
                        _value(cell, self.results.get((ws.title, f"{_letter(c)}{r}"))),
                    )
                )
            while cells and cells[-1] == _EMPTY:
                cells.pop()
            rows.append((self._row_style(ws, r), tuple(cells)))
        flush()
        if formats := self._conditional_formats(ws):
            table.addElement(formats, check_grammar=False)  # not in odfpy's grammar
        return table

    def _conditional_formats(self, ws: Worksheet) -> Element | None:
        """`ws`'s conditional formats of a formula, each range with its rules in order."""
        formats = _el("calcext:conditional-formats")
        sheet = _sheet_name(ws.title)
        for cf in ws.conditional_formatting:
            ranges = list(cf.sqref.ranges)
            target = " ".join(
                f"{sheet}.{r.coord.split(':')[0]}:{sheet}.{r.coord.split(':')[-1]}" for r in ranges
            )
            element = _el("calcext:conditional-format", {"calcext:target-range-address": target})
            for rule in sorted(cf.rules, key=lambda r: r.priority):
                if rule.type != "expression" or len(rule.formula) != 1 or rule.dxf is None:
                    raise _unsupported(f"the conditional format {rule.type!r} of {ws.title!r}")
                element.addElement(
                    _el(
                        "calcext:condition",
                        {
                            "calcext:apply-style-name": self._condition_style(rule),
                            "calcext:value": f"formula-is({_open_formula(rule.formula[0])})",
                            "calcext:base-cell-address": f"{sheet}.{ranges[0].coord.split(':')[0]}",
                        },
                    )
                )
            formats.addElement(element)
        return formats if formats.childNodes else None

    def _condition_style(self, rule: Rule) -> str:
        """The common style a conditional format applies: its fill and its font's colour."""
        dxf = rule.dxf
        assert dxf is not None
        fill = None
        if isinstance(dxf.fill, PatternFill) and dxf.fill.patternType == "solid":
            fill = _color(dxf.fill.bgColor) or _color(dxf.fill.fgColor)
        color = _color(dxf.font.color) if dxf.font is not None else None
        if dxf.border is not None or dxf.numFmt is not None:
            raise _unsupported("a conditional format's border or number format")
        key = (fill, color)
        if key not in self.condition_styles:
            name = f"Mark{len(self.condition_styles) + 1}"
            self.condition_styles[key] = name
            style = _el(
                "style:style",
                {
                    "style:name": name,
                    "style:family": "table-cell",
                    "style:parent-style-name": "Default",
                },
            )
            if fill:
                style.addElement(_el("style:table-cell-properties", {"fo:background-color": fill}))
            if color:
                style.addElement(_el("style:text-properties", {"fo:color": color}))
            self.doc.styles.addElement(style)
        return self.condition_styles[key]

    def _row(self, row: tuple[Any, ...], repeated: int) -> Element:
        style, cells = row
        element = _el(
            "table:table-row",
            {
                "table:style-name": style,
                "table:number-rows-repeated": str(repeated) if repeated > 1 else None,
            },
        )
        for cell, count in _runs(cells or [_EMPTY]):
            element.addElement(_cell_element(cell, count))
        return element

    def _validations(self, ws: Worksheet) -> dict[tuple[int, int], str]:
        """Declare each of `ws`'s validations; return the name that applies at each cell."""
        applies: dict[tuple[int, int], str] = {}
        for dv in ws.data_validations.dataValidation:
            ranges = list(dv.sqref.ranges)
            if not ranges:
                continue
            name = f"val{len(self.validations.childNodes) + 1}"
            first = ranges[0]
            base = f"'{ws.title.replace(chr(39), chr(39) * 2)}'.{first.coord.split(':')[0]}"
            self.validations.addElement(_validation(dv, name, base))
            for rng in ranges:
                for row in range(rng.min_row, rng.max_row + 1):
                    for col in range(rng.min_col, rng.max_col + 1):
                        applies[(row, col)] = name
        return applies

    # Styles, each declared once and named in the order first met

    def _automatic_style(
        self,
        styles: dict[Any, str],
        key: Any,
        family: str,
        properties: Callable[[], Element],
        extra: dict[str, str | None] | None = None,
    ) -> str:
        """The name of the automatic style of `family` for `key`: declared the first time
        it is met, named by the family's prefix and the order met (ta1, co2, ro3)."""
        if key not in styles:
            styles[key] = name = f"{_STYLE_PREFIXES[family]}{len(styles) + 1}"
            attrs = {"style:name": name, "style:family": family, **(extra or {})}
            self.doc.automaticstyles.addElement(_el("style:style", attrs, properties()))
        return styles[key]

    def _table_style(self, ws: Worksheet) -> str:
        key = (self._master_page(ws), ws.sheet_state == "visible")
        return self._automatic_style(
            self.table_styles,
            key,
            "table",
            lambda: _el("style:table-properties", {"table:display": str(key[1]).lower()}),
            {"style:master-page-name": key[0]},
        )

    def _master_page(self, ws: Worksheet) -> str:
        setup, margins = ws.page_setup, ws.page_margins
        fit = (
            ws.sheet_properties.pageSetUpPr is not None
            and ws.sheet_properties.pageSetUpPr.fitToPage
        )
        paper = int(setup.paperSize) if setup.paperSize is not None else 9
        if paper not in _PAPER_CM:
            raise _unsupported(f"paper size {paper}")
        key = (
            paper,
            setup.orientation or "portrait",
            (setup.fitToWidth, setup.fitToHeight) if fit else None,
            (margins.top, margins.bottom, margins.left, margins.right),
        )
        if key not in self.page_layouts:
            n = len(self.page_layouts) + 1
            self.page_layouts[key] = f"PageStyle{n}"
            width, height = _PAPER_CM[paper]
            if key[1] == "landscape":
                width, height = height, width
            properties: dict[str, str | None] = {
                "fo:page-width": f"{width}cm",
                "fo:page-height": f"{height}cm",
                "style:print-orientation": key[1],
                "fo:margin-top": f"{margins.top}in",
                "fo:margin-bottom": f"{margins.bottom}in",
                "fo:margin-left": f"{margins.left}in",
                "fo:margin-right": f"{margins.right}in",
            }
            if fit:  # 0 pages: as many as it takes
                properties["loext:scale-to-X"] = str(setup.fitToWidth or "") or None
                properties["loext:scale-to-Y"] = str(setup.fitToHeight or "") or None
            self.doc.automaticstyles.addElement(
                _el(
                    "style:page-layout",
                    {"style:name": f"pm{n}"},
                    _el("style:page-layout-properties", properties),
                )
            )
            self.doc.masterstyles.addElement(
                _el(
                    "style:master-page",
                    {"style:name": f"PageStyle{n}", "style:page-layout-name": f"pm{n}"},
                )
            )
        return self.page_layouts[key]

    def _column_style(self, ws: Worksheet, col: int) -> str:
        width = _DEFAULT_COLUMN_WIDTH
        if ws.sheet_format.defaultColWidth:
            width = ws.sheet_format.defaultColWidth
        for letter, dim in ws.column_dimensions.items():
            first, last = _column_span(letter, dim)
            if first <= col <= last:
                if dim.hidden:
                    raise _unsupported("a hidden column")
                width = dim.width or width
        inches = f"{width * _POINTS_PER_WIDTH_UNIT / 72:.4f}in"
        return self._automatic_style(
            self.column_styles,
            inches,
            "table-column",
            lambda: _el("style:table-column-properties", {"style:column-width": inches}),
        )

    def _column_cell_style(self, ws: Worksheet, col: int) -> str | None:
        """The style of the cells of column `col` that have none of their own."""
        for letter, dim in ws.column_dimensions.items():
            first, last = _column_span(letter, dim)
            if first <= col <= last and dim.has_style:
                return self._cell_style(dim)
        return None

    def _row_style(self, ws: Worksheet, row: int) -> str | None:
        dim = ws.row_dimensions.get(row)
        if dim is None:
            return None
        if dim.hidden:
            raise _unsupported("a hidden row")
        if dim.height is None:
            return None
        height = _length(dim.height)
        return self._automatic_style(
            self.row_styles,
            height,
            "table-row",
            lambda: _el(
                "style:table-row-properties",
                {"style:row-height": height, "style:use-optimal-row-height": "false"},
            ),
        )

    def _cell_style(self, cell: Cell | MergedCell | ColumnDimension | None) -> str | None:
        if cell is None or not cell.has_style:
            return None
        if cell.style_id not in self.cell_style_of:
            self.cell_style_of[cell.style_id] = self._declare_cell_style(cell)
        return self.cell_style_of[cell.style_id]

    def _declare_cell_style(self, cell: Cell | MergedCell | ColumnDimension) -> str | None:
        cell_props = {**_fill(cell), **_borders(cell), **_alignment(cell)}
        paragraph_props = _paragraph(cell)
        text = self._text_properties(cell.font)
        data_style = self._data_style(cell.number_format)
        key = (
            tuple(cell_props.items()),
            tuple(paragraph_props.items()),
            tuple(sorted(text.attributes.items())),
            data_style,
        )
        if not any(key):
            return None
        if key not in self.cell_styles:
            name = f"ce{len(self.cell_styles) + 1}"
            self.cell_styles[key] = name
            style = _el(
                "style:style",
                {
                    "style:name": name,
                    "style:family": "table-cell",
                    "style:parent-style-name": "Default",
                    "style:data-style-name": data_style,
                },
            )
            if cell_props:
                style.addElement(_el("style:table-cell-properties", cell_props))
            if paragraph_props:
                style.addElement(_el("style:paragraph-properties", paragraph_props))
            if text.attributes:
                style.addElement(text)
            self.doc.automaticstyles.addElement(style)
        return self.cell_styles[key]

    def _text_properties(self, font: Font | StyleProxy, *, always: bool = False) -> Element:
        """The font as text properties: only what differs from the default, unless `always`."""
        name, size, bold, italic, color = _font_key(font)
        default = self.default_font
        attrs: dict[str, str | None] = {}
        if name and (always or name != default[0]):
            self.fonts.add(name)
            for suffix in ("", "-asian", "-complex"):
                attrs[f"style:font-name{suffix}"] = name
        if size and (always or size != default[1]):
            attrs.update(_every_script("font-size", _length(size)))
        if bold != default[2]:
            attrs.update(_every_script("font-weight", "bold" if bold else "normal"))
        if italic != default[3]:
            attrs.update(_every_script("font-style", "italic" if italic else "normal"))
        if color != default[4]:
            attrs["fo:color"] = color
        return _el("style:text-properties", attrs)

    def _data_style(self, number_format: str) -> str | None:
        if number_format == "General":
            return None
        if number_format not in self.data_styles:
            name = f"N{len(self.data_styles) + 1}"
            self.data_styles[number_format] = name
            self.doc.automaticstyles.addElement(_number_style(number_format, name))
        return self.data_styles[number_format]


def _font_key(font: Font | StyleProxy) -> tuple[str | None, float | None, bool, bool, str | None]:
    if font.u or font.strike or font.vertAlign or font.outline or font.shadow:
        raise _unsupported(f"font {font!r}")
    return (font.name, font.sz, bool(font.b), bool(font.i), _color(font.color))


def _fill(cell: Cell | MergedCell | ColumnDimension) -> dict[str, str | None]:
    fill = cell.fill
    if fill.tagname != "patternFill":  # a GradientFill
        raise _unsupported(f"fill {fill!r}")
    if fill.patternType is None:
        return {}
    if fill.patternType != "solid":
        raise _unsupported(f"fill pattern {fill.patternType!r}")
    return {"fo:background-color": _color(fill.fgColor) or "transparent"}


def _borders(cell: Cell | MergedCell | ColumnDimension) -> dict[str, str | None]:
    border = cell.border
    if border.diagonal is not None and border.diagonal.style:
        raise _unsupported("a diagonal border")
    sides = {
        side: _border_side(getattr(border, side)) for side in ("left", "right", "top", "bottom")
    }
    if not any(sides.values()):
        return {}
    if len(set(sides.values())) == 1:
        return {"fo:border": sides["left"]}
    return {f"fo:border-{side}": value or "none" for side, value in sides.items()}


def _border_side(side: Side | None) -> str | None:
    if side is None or side.style is None:
        return None
    if side.style not in _BORDERS:
        raise _unsupported(f"border style {side.style!r}")
    return f"{_BORDERS[side.style]} {_color(side.color) or '#000000'}"


def _alignment(cell: Cell | MergedCell | ColumnDimension) -> dict[str, str | None]:
    a = cell.alignment
    if a.textRotation or a.readingOrder or a.relativeIndent or a.justifyLastLine:
        raise _unsupported(f"alignment {a!r}")
    if a.horizontal not in (None, "general", *_HORIZONTAL) or a.vertical not in (None, *_VERTICAL):
        raise _unsupported(f"alignment {a.horizontal!r}/{a.vertical!r}")
    props: dict[str, str | None] = {}
    if a.horizontal in _HORIZONTAL:
        props["style:text-align-source"] = "fix"
    if a.vertical:
        props["style:vertical-align"] = _VERTICAL[a.vertical]
    if a.wrap_text:
        props["fo:wrap-option"] = "wrap"
    if a.shrink_to_fit:
        props["style:shrink-to-fit"] = "true"
    return props


def _paragraph(cell: Cell | MergedCell | ColumnDimension) -> dict[str, str | None]:
    a = cell.alignment
    props: dict[str, str | None] = {}
    if a.horizontal in _HORIZONTAL:
        props["fo:text-align"] = _HORIZONTAL[a.horizontal]
    if a.indent:
        props["fo:margin-left"] = _length(a.indent * _INDENT_POINTS)
    return props


def _number_style(number_format: str, name: str) -> Element:
    """The ODF data style of a simple Excel number or date format."""
    if found := _NUMBER.fullmatch(number_format):
        decimals = str(len(found["decimals"] or ""))
        attrs: dict[str, str | None] = {
            "number:decimal-places": decimals,
            "number:min-decimal-places": decimals,
            "number:min-integer-digits": "1",
            "number:grouping": "true" if found["grouping"] else None,
        }
        return _el("number:number-style", {"style:name": name}, _el("number:number", attrs))
    parts = _DATE_PART.findall(number_format)
    if "".join(parts) != number_format or not any(p[0] in "ymd" for p in parts):
        raise _unsupported(f"number format {number_format!r}")
    style = _el("number:date-style", {"style:name": name})
    kinds = [p[0] for p in parts if p[0] in _DATE_FIELDS]
    n = 0  # how many date or time fields so far
    for part in parts:
        if part[0] not in _DATE_FIELDS:
            text = _el("number:text")
            text.addText(part)
            style.addElement(text)
            continue
        kind = part[0]
        if kind == "m" and {"h", "s"} & set(kinds[max(n - 1, 0) : n + 2]):
            kind = "n"  # Excel's m beside an hour or a second is the minute
        style.addElement(
            _el(_DATE_FIELDS[kind], {"number:style": "long" if len(part) > 1 else "short"})
        )
        n += 1
    return style


def _value(cell: Cell | MergedCell | None, result: str | None = None) -> tuple[Any, ...] | None:
    """A cell's value as (value type, ODF value attribute, value, text shown); a formula's
    as ("formula", its OpenFormula, its known text `result` or None)."""
    value = None if cell is None else cell.value
    if value is None:
        return None
    if isinstance(cell, Cell) and cell.data_type == "f":
        if not isinstance(value, str):
            raise _unsupported(f"the formula in {cell.coordinate}")
        return ("formula", "of:=" + _open_formula(value), result)
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
        return ("boolean", "office:boolean-value", str(value).lower(), text)
    if isinstance(value, int | float):
        return ("float", "office:value", repr(value), str(value))
    if isinstance(value, datetime | date):
        return ("date", "office:date-value", value.isoformat(), value.isoformat())
    if isinstance(value, str):
        return ("string", None, None, value)
    raise _unsupported(f"the value {value!r}")


def _cell_element(cell: tuple[Any, ...], repeated: int) -> Element:
    kind, style, validation, span, value = cell
    attrs: dict[str, str | None] = {
        "table:style-name": style,
        "table:content-validation-name": validation,
        "table:number-columns-repeated": str(repeated) if repeated > 1 else None,
    }
    if span is not None:
        attrs["table:number-columns-spanned"] = str(span[0])
        attrs["table:number-rows-spanned"] = str(span[1])
    children = []
    if value is not None and value[0] == "formula":
        _, attrs["table:formula"], result = value
        if result is not None:
            attrs["office:value-type"] = "string"
            attrs["office:string-value"] = result
            children = _paragraphs(result)
    elif value is not None:
        value_type, attr, raw, text = value
        attrs["office:value-type"] = value_type
        if attr is not None:
            attrs[attr] = raw
        children = _paragraphs(text)
    return _el(
        f"table:{'covered-table-cell' if kind == 'covered' else 'table-cell'}", attrs, *children
    )


def _validation(dv: DataValidation, name: str, base: str) -> Element:
    """An openpyxl data validation as a table:content-validation named `name`."""
    condition = None
    if dv.type == "list":
        condition = f"of:cell-content-is-in-list({';'.join(_list_items(dv.formula1))})"
    elif dv.type is not None:
        raise _unsupported(f"a validation of type {dv.type!r}")
    element = _el(
        "table:content-validation",
        {
            "table:name": name,
            "table:condition": condition,
            "table:allow-empty-cell": str(bool(dv.allow_blank)).lower(),
            "table:base-cell-address": base,
            "table:display-list": None
            if condition is None
            else ("none" if dv.showDropDown else "unsorted"),
        },
    )
    element.addElement(
        _el(
            "table:help-message",
            {
                "table:title": dv.promptTitle,
                "table:display": str(bool(dv.showInputMessage)).lower(),
            },
            *_paragraphs(dv.prompt or ""),
        )
    )
    if condition is not None:
        element.addElement(
            _el(
                "table:error-message",
                {
                    "table:title": dv.errorTitle,
                    "table:display": str(bool(dv.showErrorMessage)).lower(),
                    "table:message-type": dv.errorStyle or "stop",
                },
                *_paragraphs(dv.error or ""),
            )
        )
    return element


def _sheet_name(name: str) -> str:
    """A sheet's name as an OpenFormula or cell-range address names it."""
    return "'" + name.replace("'", "''") + "'" if re.search(r"[^\w]", name) else name


_REFERENCE = re.compile(r"(?:(?P<sheet>'(?:[^']|'')+'|[^'!]+)!)?(?P<cells>[$A-Za-z0-9:]+)")


def _open_formula(formula: str) -> str:
    """An Excel formula (with or without its =) in OpenFormula's syntax, as ODF stores it:
    references in brackets ([.A3], [$'選項'.$C$2:.$C$6]) and arguments parted by `;`."""
    tokens = Tokenizer(formula if formula.startswith("=") else "=" + formula).items
    out = []
    for token in tokens:
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            out.append(_open_reference(token.value))
        elif token.type == Token.SEP and token.subtype == Token.ARG:
            out.append(";")
        elif token.type == Token.SEP or token.subtype == Token.ERROR:
            raise _unsupported(f"the formula {formula!r}")
        else:
            out.append(token.value)
    return "".join(out)


def _open_reference(reference: str) -> str:
    found = _REFERENCE.fullmatch(reference)
    if found is None or found["cells"].upper() in ("TRUE", "FALSE"):
        if reference.upper() in ("TRUE", "FALSE"):
            return reference.upper() + "()"
        raise _unsupported(f"the reference {reference!r}")
    sheet = found["sheet"]
    parts = found["cells"].split(":")
    if sheet is None:
        return "[" + ":".join("." + p for p in parts) + "]"
    name = sheet if sheet.startswith("'") else _sheet_name(sheet)
    return "[$" + name + "." + ":.".join(parts) + "]"


def _list_items(formula: str | None) -> list[str]:
    """The choices of an Excel list literal ('"男,女,其他"') as OpenFormula strings."""
    if not formula or len(formula) < 2 or formula[0] != '"' or formula[-1] != '"':
        raise _unsupported(f"a list validation of {formula!r} (only a literal list is)")
    return ['"' + item.replace('"', '""') + '"' for item in formula[1:-1].split(",")]


def _merges(ws: Worksheet) -> tuple[dict[tuple[int, int], tuple[int, int]], set[tuple[int, int]]]:
    """Each merged range's top-left cell with its (columns, rows) span, and the cells it covers."""
    spans, covered = {}, set()
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = (
            rng.max_col - rng.min_col + 1,
            rng.max_row - rng.min_row + 1,
        )
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                if (row, col) != (rng.min_row, rng.min_col):
                    covered.add((row, col))
    return spans, covered


def _print_title_rows(ws: Worksheet) -> range:
    if ws.print_title_cols:
        raise _unsupported("print title columns")
    if not ws.print_title_rows:
        return range(0)
    first, _, last = ws.print_title_rows.replace("$", "").partition(":")
    return range(int(first), int(last or first) + 1)


def _column_span(letter: str, dim: Any) -> tuple[int, int]:
    if dim.min and dim.max:
        return dim.min, dim.max
    index = column_index_from_string(letter)
    return index, index


def _refuse_unsupported(ws: Worksheet) -> None:
    for what, present in (
        ("images", bool(ws._images)),  # type: ignore[attr-defined]
        ("charts", bool(ws._charts)),  # type: ignore[attr-defined]
        ("an autofilter", bool(ws.auto_filter.ref)),
        ("sheet protection", bool(ws.protection.sheet)),
        ("comments or hyperlinks", any(c.comment or c.hyperlink for c in ws._cells.values())),
    ):
        if present:
            raise _unsupported(f"{what} (sheet {ws.title!r})")


def _runs(items: Any) -> list[tuple[Any, int]]:
    """Consecutive equal items as (item, how many): ODF's repeated rows, columns and cells."""
    runs: list[tuple[Any, int]] = []
    for item in items:
        if runs and runs[-1][0] == item:
            runs[-1] = (item, runs[-1][1] + 1)
        else:
            runs.append((item, 1))
    return runs
