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

import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import Any

from odf.element import Element
from odf.namespaces import nsdict
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
NAMESPACES = {prefix: uri for uri, prefix in nsdict.items()}
"""ODF's namespaces by prefix (「table」: its URI), as odfpy knows them."""

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
"""Every zip member's time: the earliest a zip can hold, so that equal files are equal bytes."""

# How LibreOffice reads a width in Excel's character units, and Excel's border weights.
_POINTS_PER_WIDTH_UNIT = 7.0
_DEFAULT_COLUMN_WIDTH = 8.43
_INDENT_POINTS = 10.5
_BORDERS = {"hair": "0.06pt solid", "thin": "0.74pt solid"}
_HORIZONTAL = {"left": "start", "center": "center"}
_VERTICAL = {"top": "top", "center": "middle"}
_A4 = 9  # openpyxl's paperSize
_SIDES = ("top", "bottom", "left", "right")
_NUMBER = re.compile(r"(?P<grouping>#,##)?0(?:\.(?P<decimals>0+))?")
_DATE_PART = re.compile(r"yyyy|mm|dd|h|ss|[-/ :]")
_SPACES = re.compile(r"^ +| {2,}")
_DATE_FIELDS = {
    "yyyy": "number:year",
    "mm": "number:month",
    "dd": "number:day",
    "h": "number:hours",
    "ss": "number:seconds",
}
"""The date and time codes of the formats gmreport's workbooks hold: a date column's
(yyyy/mm/dd) and openpyxl's for a date or a datetime typed into a cell (yyyy-mm-dd h:mm:ss,
where mm after a colon is the minute)."""
_EMPTY = ("table:table-cell", None, None, (), None)
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
    # odfpy collects the namespaces an element declares in one dict shared by the whole
    # process, so a file written after another was read would declare more of them.
    saved, Element.namespaces = Element.namespaces, {}
    try:
        buffer = io.BytesIO()
        _Writer(workbook, results or {}).document().write(buffer)
    finally:
        Element.namespaces = saved
    return _fixed_zip_times(buffer.getvalue())


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


def _el(
    qname: str,
    attrs: Mapping[str, str | None] | None = None,
    *children: Element,
    text: str | None = None,
) -> Element:
    """The ODF element `qname` ("table:table-cell") with `attrs` (None values left out),
    `children` and `text`."""
    prefix, local = qname.split(":")
    qattributes = {}
    for name, value in (attrs or {}).items():
        if value is not None:
            ns, attr = name.split(":")
            qattributes[(NAMESPACES[ns], attr)] = value
    element = Element(qname=(NAMESPACES[prefix], local), qattributes=qattributes)
    for child in children:
        element.addElement(child)
    if text is not None:
        element.addText(text)
    return element


def _style(
    name: str, family: str, attrs: dict[str, str | None], properties: dict[str, dict[str, Any]]
) -> Element:
    """A style:style and a properties element of each kind in `properties` that sets
    anything ({"table-cell": ...} → style:table-cell-properties)."""
    return _el(
        "style:style",
        {"style:name": name, "style:family": family, **attrs},
        *(_el(f"style:{kind}-properties", p) for kind, p in properties.items() if any(p.values())),
    )


def _repeated(count: int) -> str | None:
    return str(count) if count > 1 else None


def _paragraphs(text: str) -> list[Element]:
    """`text` as text:p elements, one a line, its spaces kept (ODF collapses spaces a
    reader sees at the start of a line or after another space)."""
    paragraphs = []
    for line in text.split("\n"):
        p, start = _el("text:p"), 0
        for found in _SPACES.finditer(line):
            before, run = line[start : found.start()], found.group()
            if found.start() > 0:
                before, run = before + " ", run[1:]
            if before:
                p.addText(before)
            p.addElement(_el("text:s", {"text:c": str(len(run))}))
            start = found.end()
        if line[start:]:
            p.addText(line[start:])
        paragraphs.append(p)
    return paragraphs


def _unsupported(what: str) -> ValueError:
    return ValueError(f"{what} cannot be written to an .ods by gmreport.ods_writer")


def _one_range(ranges: Any, what: str) -> tuple[Any]:
    """The one range `what` applies to (gmreport's apply to one range each)."""
    found = tuple(ranges)
    if len(found) != 1:
        raise _unsupported(f"{what} over {len(found)} ranges")
    return (found[0],)


def _color(color: Color | None) -> str | None:
    """A colour as #rrggbb, or None for the automatic (theme text) colour."""
    if color is None:
        return None
    if color.type == "rgb" and isinstance(color.rgb, str):
        return "#" + color.rgb[-6:].lower()
    if color.type == "theme" and color.theme == 1 and not color.tint:
        return None
    raise _unsupported(f"colour {color!r}")


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
        self.names: dict[str, dict[Any, str]] = defaultdict(dict)  # by prefix: key → name
        self.cell_style_of: dict[int, str | None] = {}  # openpyxl style id → name
        self.validations = _el("table:content-validations")

    def document(self) -> OpenDocument:
        sheets: list[Worksheet] = []
        for ws in self.workbook.worksheets:
            if not isinstance(ws, Worksheet):
                raise _unsupported(f"sheet {ws.title!r} (a chart sheet)")
            sheets.append(ws)
        tables = [self._table(ws) for ws in sheets]
        default_text = self._text_properties(DEFAULT_FONT, always=True)
        self.doc.styles.addElement(_style("Default", "table-cell", {}, {"text": default_text}))
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
            self.doc.fontfacedecls.addElement(
                _el("style:font-face", {"style:name": name, "svg:font-family": name})
            )
        self._settings(sheets)
        self._meta()
        return self.doc

    # The document around the tables

    def _meta(self) -> None:
        props = self.workbook.properties
        if props.description or props.keywords or props.language:
            raise _unsupported("a description, keywords or language of the workbook")
        for qname, value in (
            ("dc:title", props.title),
            ("dc:subject", props.subject),
            ("meta:initial-creator", props.creator),
            ("dc:creator", props.lastModifiedBy),
        ):
            if value:
                self.doc.meta.addElement(_el(qname, text=value))

    def _settings(self, sheets: list[Worksheet]) -> None:
        """The view: which sheet is open, and each sheet's frozen rows (no frozen columns,
        see `_refuse_unsupported`)."""

        def item(name: str, kind: str, text: str) -> Element:
            return _el("config:config-item", {"config:name": name, "config:type": kind}, text=text)

        tables = _el("config:config-item-map-named", {"config:name": "Tables"})
        for ws in sheets:
            entry = _el("config:config-item-map-entry", {"config:name": ws.title})
            if position := cell_position(ws.freeze_panes or ""):
                rows = str(position[0] - 1)
                for name, kind, value in (
                    ("CursorPositionX", "int", "0"),
                    ("CursorPositionY", "int", rows),
                    ("HorizontalSplitMode", "short", "0"),
                    ("VerticalSplitMode", "short", "2"),
                    ("HorizontalSplitPosition", "int", "0"),
                    ("VerticalSplitPosition", "int", rows),
                    ("ActiveSplitRange", "short", "2"),
                    ("PositionLeft", "int", "0"),
                    ("PositionRight", "int", "0"),
                    ("PositionTop", "int", "0"),
                    ("PositionBottom", "int", rows),
                ):
                    entry.addElement(item(name, kind, value))
            entry.addElement(item("ShowGrid", "boolean", "true"))
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
        spans = {
            (r.min_row, r.min_col): {
                "table:number-columns-spanned": str(r.max_col - r.min_col + 1),
                "table:number-rows-spanned": str(r.max_row - r.min_row + 1),
            }
            for r in ws.merged_cells.ranges
        }
        validation_of = self._validations(ws)
        # Each of gmreport's column dimensions is the one column of its letter (min = max).
        dims = {column_index_from_string(k): d for k, d in ws.column_dimensions.items()}
        max_row = max([ws.max_row, *(r for (r, _) in validation_of)])
        max_col = max([ws.max_column, *(c for (_, c) in validation_of), *dims])
        table = _el(
            "table:table", {"table:name": ws.title, "table:style-name": self._table_style(ws)}
        )
        defaults = [self._cell_style(dims.get(col)) for col in range(1, max_col + 1)]
        columns = [
            (self._column_style(dims.get(col)), defaults[col - 1]) for col in range(1, max_col + 1)
        ]
        for (style, default), count in _runs(columns):
            table.addElement(
                _el(
                    "table:table-column",
                    {
                        "table:style-name": style,
                        "table:number-columns-repeated": _repeated(count),
                        "table:default-cell-style-name": default,
                    },
                )
            )
        header_rows = _print_title_rows(ws)
        rows = []
        for r in range(1, max_row + 1):
            cells = []
            for c in range(1, max_col + 1):
                cell = ws._cells.get((r, c))
                style = self._cell_style(cell)
                if style is None and cell is not None and defaults[c - 1] is not None:
                    style = "Default"  # a cell of its own has no style, not its column's
                value, text = _value(cell, self.results.get((ws.title, f"{_letter(c)}{r}")))
                kind = "covered-table-cell" if isinstance(cell, MergedCell) else "table-cell"
                attrs = tuple({**spans.get((r, c), {}), **value}.items())
                cells.append((f"table:{kind}", style, validation_of.get((r, c)), attrs, text))
            while cells and cells[-1] == _EMPTY:
                cells.pop()
            rows.append((r in header_rows, self._row_style(ws, r), tuple(cells)))
        for header, group in groupby(rows, key=lambda row: row[0]):
            parent = _el("table:table-header-rows") if header else table
            if header:
                table.addElement(parent)
            for (_, style, cells), count in _runs(group):
                parent.addElement(_row(style, cells, count))
        if formats := self._conditional_formats(ws):
            table.addElement(formats, check_grammar=False)  # not in odfpy's grammar
        return table

    def _conditional_formats(self, ws: Worksheet) -> Element | None:
        """`ws`'s conditional formats of a formula, each range with its rules in order."""
        formats = _el("calcext:conditional-formats")
        sheet = _sheet_name(ws.title)
        for cf in ws.conditional_formatting:
            (cells,) = _one_range(cf.sqref.ranges, "a conditional format")
            first, _, last = cells.coord.partition(":")
            target = f"{sheet}.{first}:{sheet}.{last or first}"
            element = _el("calcext:conditional-format", {"calcext:target-range-address": target})
            for rule in sorted(cf.rules, key=lambda r: r.priority):
                if rule.type != "expression" or len(rule.formula) != 1 or rule.dxf is None:
                    raise _unsupported(f"the conditional format {rule.type!r} of {ws.title!r}")
                condition = {
                    "calcext:apply-style-name": self._condition_style(rule),
                    "calcext:value": f"formula-is({_open_formula(rule.formula[0])})",
                    "calcext:base-cell-address": f"{sheet}.{first}",
                }
                element.addElement(_el("calcext:condition", condition))
            formats.addElement(element)
        return formats if formats.childNodes else None

    def _condition_style(self, rule: Rule) -> str:
        """The common style a conditional format applies: its fill and its font's colour."""
        dxf = rule.dxf
        assert dxf is not None
        if not isinstance(dxf.fill, PatternFill) or dxf.fill.patternType != "solid":
            raise _unsupported("a conditional format without a solid fill")
        if dxf.border is not None or dxf.numFmt is not None:
            raise _unsupported("a conditional format's border or number format")
        fill = _color(dxf.fill.bgColor)
        color = _color(dxf.font.color) if dxf.font is not None else None
        properties = {"table-cell": {"fo:background-color": fill}, "text": {"fo:color": color}}
        return self._named(
            "Mark",
            (fill, color),
            lambda name: self.doc.styles.addElement(
                _style(name, "table-cell", {"style:parent-style-name": "Default"}, properties)
            ),
        )

    def _validations(self, ws: Worksheet) -> dict[tuple[int, int], str]:
        """Declare each of `ws`'s validations; return the name that applies at each cell."""
        applies: dict[tuple[int, int], str] = {}
        for dv in ws.data_validations.dataValidation:
            (cells,) = _one_range(dv.sqref.ranges, "a data validation")
            name = f"val{len(self.validations.childNodes) + 1}"
            base = f"'{ws.title.replace(chr(39), chr(39) * 2)}'.{cells.coord.partition(':')[0]}"
            self.validations.addElement(_validation(dv, name, base))
            applies.update(dict.fromkeys(cells.cells, name))
        return applies

    # Styles, each declared once and named in the order first met

    def _named(self, prefix: str, key: Any, declare: Callable[[str], object]) -> str:
        """The name of the style for `key` among those named `prefix` and a number (ce1,
        co2, N3): numbered in the order met, and declared by `declare(name)` when first met."""
        names = self.names[prefix]
        if key not in names:
            names[key] = f"{prefix}{len(names) + 1}"
            declare(names[key])
        return names[key]

    def _automatic_style(
        self,
        prefix: str,
        family: str,
        key: Any,
        properties: dict[str, dict[str, Any]],
        attrs: dict[str, str | None] | None = None,
    ) -> str:
        return self._named(
            prefix,
            key,
            lambda name: self.doc.automaticstyles.addElement(
                _style(name, family, attrs or {}, properties)
            ),
        )

    def _table_style(self, ws: Worksheet) -> str:
        page, display = self._master_page(ws), str(ws.sheet_state == "visible").lower()
        return self._automatic_style(
            "ta",
            "table",
            (page, display),
            {"table": {"table:display": display}},
            {"style:master-page-name": page},
        )

    def _master_page(self, ws: Worksheet) -> str:
        setup, margins = ws.page_setup, ws.page_margins
        fit = (
            ws.sheet_properties.pageSetUpPr is not None
            and ws.sheet_properties.pageSetUpPr.fitToPage
        )
        if setup.paperSize not in (None, _A4):
            raise _unsupported(f"paper size {setup.paperSize}")
        orientation = setup.orientation or "portrait"
        width, height = ("29.7", "21.0") if orientation == "landscape" else ("21.0", "29.7")
        properties: dict[str, str | None] = {
            "fo:page-width": f"{width}cm",
            "fo:page-height": f"{height}cm",
            "style:print-orientation": orientation,
            **{f"fo:margin-{side}": f"{getattr(margins, side)}in" for side in _SIDES},
        }
        if fit:  # 0 pages: as many as it takes
            properties["loext:scale-to-X"] = str(setup.fitToWidth or "") or None
            properties["loext:scale-to-Y"] = str(setup.fitToHeight or "") or None

        def declare(name: str) -> None:
            layout = "pm" + name.removeprefix("PageStyle")
            self.doc.automaticstyles.addElement(
                _el(
                    "style:page-layout",
                    {"style:name": layout},
                    _el("style:page-layout-properties", properties),
                )
            )
            self.doc.masterstyles.addElement(
                _el("style:master-page", {"style:name": name, "style:page-layout-name": layout})
            )

        return self._named("PageStyle", tuple(properties.items()), declare)

    def _column_style(self, dim: ColumnDimension | None) -> str:
        if dim is not None and dim.hidden:
            raise _unsupported("a hidden column")
        width = (dim.width if dim else None) or _DEFAULT_COLUMN_WIDTH
        inches = f"{width * _POINTS_PER_WIDTH_UNIT / 72:.4f}in"
        return self._automatic_style(
            "co", "table-column", inches, {"table-column": {"style:column-width": inches}}
        )

    def _row_style(self, ws: Worksheet, row: int) -> str | None:
        dim = ws.row_dimensions.get(row)
        if dim is not None and dim.hidden:
            raise _unsupported("a hidden row")
        if dim is None or dim.height is None:
            return None
        height = _length(dim.height)
        properties = {"style:row-height": height, "style:use-optimal-row-height": "false"}
        return self._automatic_style("ro", "table-row", height, {"table-row": properties})

    def _cell_style(self, cell: Cell | MergedCell | ColumnDimension | None) -> str | None:
        if cell is None or not cell.has_style:
            return None
        if cell.style_id not in self.cell_style_of:
            self.cell_style_of[cell.style_id] = self._declare_cell_style(cell)
        return self.cell_style_of[cell.style_id]

    def _declare_cell_style(self, cell: Cell | MergedCell | ColumnDimension) -> str:
        properties = {
            "table-cell": {**_fill(cell), **_borders(cell), **_alignment(cell)},
            "paragraph": _paragraph(cell),
            "text": self._text_properties(cell.font),
        }
        data_style = self._data_style(cell.number_format)
        # Property names differ between kinds: one flat key of those set tells styles apart.
        key = (*((k, v) for p in properties.values() for k, v in p.items() if v), data_style)
        attrs = {"style:parent-style-name": "Default", "style:data-style-name": data_style}
        return self._automatic_style("ce", "table-cell", key, properties, attrs)

    def _text_properties(
        self, font: Font | StyleProxy, *, always: bool = False
    ) -> dict[str, str | None]:
        """The font as text properties: only what differs from the default, unless `always`."""
        name, size, bold, color = _font_key(font)
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
        if color != default[3]:
            attrs["fo:color"] = color
        return attrs

    def _data_style(self, number_format: str) -> str | None:
        if number_format == "General":
            return None
        return self._named(
            "N",
            number_format,
            lambda name: self.doc.automaticstyles.addElement(_number_style(number_format, name)),
        )


def _font_key(font: Font | StyleProxy) -> tuple[str | None, float | None, bool, str | None]:
    if font.i or font.u or font.strike or font.vertAlign or font.outline or font.shadow:
        raise _unsupported(f"font {font!r}")
    return (font.name, font.sz, bool(font.b), _color(font.color))


def _fill(cell: Cell | MergedCell | ColumnDimension) -> dict[str, str | None]:
    fill = cell.fill
    if fill.tagname != "patternFill":  # a GradientFill
        raise _unsupported(f"fill {fill!r}")
    if fill.patternType is None:
        return {}
    if fill.patternType != "solid":
        raise _unsupported(f"fill pattern {fill.patternType!r}")
    return {"fo:background-color": _color(fill.fgColor)}


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
    if a.textRotation or a.readingOrder or a.relativeIndent or a.justifyLastLine or a.shrinkToFit:
        raise _unsupported(f"alignment {a!r}")
    if a.horizontal not in (None, *_HORIZONTAL) or a.vertical not in (None, *_VERTICAL):
        raise _unsupported(f"alignment {a.horizontal!r}/{a.vertical!r}")
    return {
        "style:text-align-source": "fix" if a.horizontal in _HORIZONTAL else None,
        "style:vertical-align": _VERTICAL[a.vertical] if a.vertical else None,
        "fo:wrap-option": "wrap" if a.wrap_text else None,
    }


def _paragraph(cell: Cell | MergedCell | ColumnDimension) -> dict[str, str | None]:
    a = cell.alignment
    return {
        "fo:text-align": _HORIZONTAL.get(a.horizontal or ""),
        "fo:margin-left": _length(a.indent * _INDENT_POINTS) if a.indent else None,
    }


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
    if "".join(parts) != number_format or not _DATE_FIELDS.keys() & parts:
        raise _unsupported(f"number format {number_format!r}")
    style = _el("number:date-style", {"style:name": name})
    for before, part in zip(["", *parts], parts, strict=False):
        if part not in _DATE_FIELDS:
            style.addElement(_el("number:text", text=part))
            continue
        field = "number:minutes" if part == "mm" and before == ":" else _DATE_FIELDS[part]
        style.addElement(_el(field, {"number:style": "short" if part == "h" else "long"}))
    return style


def _value(cell: Cell | MergedCell | None, result: str | None) -> tuple[dict[str, str], str | None]:
    """A cell's value as its ODF attributes and the text shown; a formula's as its
    OpenFormula and its known text `result`, if any."""
    value = None if cell is None else cell.value
    if value is None:
        return {}, None
    if isinstance(cell, Cell) and cell.data_type == "f":
        if not isinstance(value, str):
            raise _unsupported(f"the formula in {cell.coordinate}")
        formula = {"table:formula": "of:=" + _open_formula(value)}
        if result is None:
            return formula, None
        return {**formula, "office:value-type": "string", "office:string-value": result}, result
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"office:value-type": "float", "office:value": repr(value)}, str(value)
    if isinstance(value, date):  # a datetime too
        text = value.isoformat()
        return {"office:value-type": "date", "office:date-value": text}, text
    if isinstance(value, str):
        return {"office:value-type": "string"}, value
    raise _unsupported(f"the value {value!r}")


def _row(style: str | None, cells: tuple[Any, ...], repeated: int) -> Element:
    """A table:table-row of `cells`, each (element name, style, validation, other
    attributes, text shown or None), equal cells side by side written once, repeated."""
    element = _el(
        "table:table-row",
        {"table:style-name": style, "table:number-rows-repeated": _repeated(repeated)},
    )
    for (qname, cell_style, validation, attrs, text), count in _runs(cells or [_EMPTY]):
        attributes = {
            "table:style-name": cell_style,
            "table:content-validation-name": validation,
            "table:number-columns-repeated": _repeated(count),
            **dict(attrs),
        }
        element.addElement(_el(qname, attributes, *([] if text is None else _paragraphs(text))))
    return element


def _validation(dv: DataValidation, name: str, base: str) -> Element:
    """An openpyxl data validation as a table:content-validation named `name`."""
    condition = None
    if dv.type == "list" and not dv.showDropDown:  # openpyxl's True hides the arrow
        condition = f"of:cell-content-is-in-list({';'.join(_list_items(dv.formula1))})"
    elif dv.type is not None:
        raise _unsupported(f"a validation of type {dv.type!r} (or a list without its arrow)")
    element = _el(
        "table:content-validation",
        {
            "table:name": name,
            "table:condition": condition,
            "table:allow-empty-cell": str(bool(dv.allow_blank)).lower(),
            "table:base-cell-address": base,
            "table:display-list": None if condition is None else "unsorted",
        },
    )
    messages = {"help": (dv.promptTitle, dv.showInputMessage, dv.prompt)}
    if condition is not None:
        messages["error"] = (dv.errorTitle, dv.showErrorMessage, dv.error)
    for kind, (title, shown, text) in messages.items():
        attrs = {
            "table:title": title,
            "table:display": str(bool(shown)).lower(),
            "table:message-type": dv.errorStyle if kind == "error" else None,
        }
        element.addElement(_el(f"table:{kind}-message", attrs, *_paragraphs(text or "")))
    return element


def _sheet_name(name: str) -> str:
    """A sheet's name as an OpenFormula or cell-range address names it."""
    return "'" + name.replace("'", "''") + "'" if re.search(r"[^\w]", name) else name


_REFERENCE = re.compile(r"(?:(?P<sheet>'(?:[^']|'')+')!)?(?P<cells>[$A-Za-z0-9:]+)")
"""A reference as gmreport's formulas write it: a sheet's name always quoted."""


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
    if found is None:
        raise _unsupported(f"the reference {reference!r}")
    parts = found["cells"].split(":")
    if found["sheet"] is None:
        return "[" + ":".join("." + p for p in parts) + "]"
    return "[$" + found["sheet"] + "." + ":.".join(parts) + "]"


def _list_items(formula: str | None) -> list[str]:
    """The choices of an Excel list literal ('"男,女,其他"') as OpenFormula strings."""
    if not formula or len(formula) < 2 or formula[0] != '"' or formula[-1] != '"':
        raise _unsupported(f"a list validation of {formula!r} (only a literal list is)")
    return ['"' + item.replace('"', '""') + '"' for item in formula[1:-1].split(",")]


def _print_title_rows(ws: Worksheet) -> range:
    if ws.print_title_cols:
        raise _unsupported("print title columns")
    if not ws.print_title_rows:
        return range(0)
    first, _, last = ws.print_title_rows.replace("$", "").partition(":")
    return range(int(first), int(last) + 1)


def _refuse_unsupported(ws: Worksheet) -> None:
    dims = ws.column_dimensions.values()
    for what, present in (
        ("images", bool(ws._images)),  # type: ignore[attr-defined]
        ("charts", bool(ws._charts)),  # type: ignore[attr-defined]
        ("an autofilter", bool(ws.auto_filter.ref)),
        ("sheet protection", bool(ws.protection.sheet)),
        ("frozen columns", bool(ws.sheet_view.pane and ws.sheet_view.pane.xSplit)),
        ("hidden grid lines", ws.sheet_view.showGridLines is False),
        ("a column dimension over several columns", any(d.min != d.max for d in dims)),
        ("a default column width", ws.sheet_format.defaultColWidth is not None),
        ("comments or hyperlinks", any(c.comment or c.hyperlink for c in ws._cells.values())),
    ):
        if present:
            raise _unsupported(f"{what} (sheet {ws.title!r})")


def _runs(items: Iterable[Any]) -> list[tuple[Any, int]]:
    """Consecutive equal items as (item, how many): ODF's repeated rows, columns and cells."""
    return [(item, len(list(group))) for item, group in groupby(items)]
