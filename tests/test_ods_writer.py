"""The blank standard workbook as .ods: the same sheets, dropdowns and help as the .xlsx.

Expectations come from the schema, and the texts of prompts and messages from the .xlsx the
same code writes; the .ods is read back from its XML, by calamine, and (slow) by LibreOffice
and by a whole build in which one unit sends its workbook as .ods.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula

from gmreport.blank_workbook import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    NUMBER_FORMATS,
    TITLE_ROW,
    blank_workbook,
    write_blank_workbook,
)
from gmreport.config import Config
from gmreport.ods_writer import NAMESPACES, ods_bytes, write_ods
from gmreport.pipeline import build
from gmreport.schema import (
    INFO_FIELDS,
    INFO_SHEET,
    INSTRUCTIONS_SHEET,
    OPTIONS_SHEET,
    SHEETS,
    Column,
    Kind,
    Sheet,
)
from gmreport.self_check import status_text

from .conftest import SAMPLES, SamplesBuild

AGENCY, UNIT, YEAR = "高雄市旗津區公所", "民政課", 113
DATA_ROWS = 5
LAST_ROW = FIRST_DATA_ROW + DATA_ROWS - 1
NS = NAMESPACES


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


@dataclass
class OdsCell:
    text: str | None = None
    value_type: str | None = None
    value: str | None = None
    style: str | None = None
    validation: str | None = None
    span: tuple[int, int] | None = None  # (columns, rows)
    covered: bool = False


@dataclass
class OdsSheet:
    name: str
    cells: dict[tuple[int, int], OdsCell] = field(default_factory=dict)
    column_styles: list[str] = field(default_factory=list)
    column_cell_styles: list[str | None] = field(default_factory=list)
    row_styles: dict[int, str] = field(default_factory=dict)
    header_rows: list[int] = field(default_factory=list)

    def text(self, row: int, col: int) -> str | None:
        cell = self.cells.get((row, col))
        return cell.text if cell else None

    def style(self, row: int, col: int) -> str | None:
        """The cell's style: its own, or else its column's default cell style."""
        cell = self.cells.get((row, col))
        if cell is not None and cell.style is not None:
            return cell.style
        return self.column_cell_styles[col - 1] if col <= len(self.column_cell_styles) else None


@dataclass
class Ods:
    """What a test needs of an .ods: sheets cell by cell, validations, styles and settings."""

    sheets: list[OdsSheet]
    validations: dict[str, dict[str, str | None]]
    styles: dict[str, ET.Element]
    settings: ET.Element

    def sheet(self, name: str) -> OdsSheet:
        return next(s for s in self.sheets if s.name == name)

    def style_attr(self, style: str | None, props: str, attr: str) -> str | None:
        element = self.styles.get(style or "")
        found = None if element is None else element.find(props, NS)
        return None if found is None else found.get(_q(attr))


def _text(element: ET.Element) -> str:
    """A text:p's text with ODF's spaces, tabs and line breaks undone."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == _q("text:s"):
            parts.append(" " * int(child.get(_q("text:c"), "1")))
        elif child.tag == _q("text:tab"):
            parts.append("\t")
        elif child.tag == _q("text:line-break"):
            parts.append("\n")
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _message(element: ET.Element | None, kind: str) -> dict[str, str | None]:
    if element is None:
        return {}
    return {
        f"{kind}_title": element.get(_q("table:title")),
        f"{kind}_display": element.get(_q("table:display")),
        f"{kind}_type": element.get(_q("table:message-type")),
        f"{kind}_text": "\n".join(_text(p) for p in element.findall("text:p", NS)),
    }


def read_ods(path: Path) -> Ods:
    with zipfile.ZipFile(path) as z:
        content = ET.fromstring(z.read("content.xml"))
        styles = ET.fromstring(z.read("styles.xml"))
        settings = ET.fromstring(z.read("settings.xml"))
    style_elements = {
        s.get(_q("style:name")): s
        for root in (content, styles)
        for s in root.iter()
        if s.tag in (_q("style:style"), _q("number:number-style"), _q("number:date-style"))
    }
    validations = {}
    for v in content.iter(_q("table:content-validation")):
        validations[v.get(_q("table:name"))] = {
            "condition": v.get(_q("table:condition")),
            "allow_empty": v.get(_q("table:allow-empty-cell")),
            "display_list": v.get(_q("table:display-list")),
            **_message(v.find("table:help-message", NS), "help"),
            **_message(v.find("table:error-message", NS), "error"),
        }
    sheets = []
    for table in content.iter(_q("table:table")):
        sheet = OdsSheet(table.get(_q("table:name")))
        for column in table.findall("table:table-column", NS):
            repeat = int(column.get(_q("table:number-columns-repeated"), "1"))
            sheet.column_styles += [column.get(_q("table:style-name"))] * repeat
            sheet.column_cell_styles += [column.get(_q("table:default-cell-style-name"))] * repeat
        rows: list[tuple[ET.Element, bool]] = []
        for child in table:
            if child.tag == _q("table:table-row"):
                rows.append((child, False))
            elif child.tag == _q("table:table-header-rows"):
                rows += [(r, True) for r in child.findall("table:table-row", NS)]
        r = 1
        for row, is_header in rows:
            for _ in range(int(row.get(_q("table:number-rows-repeated"), "1"))):
                if is_header:
                    sheet.header_rows.append(r)
                if row.get(_q("table:style-name")):
                    sheet.row_styles[r] = row.get(_q("table:style-name"))
                c = 1
                for cell in row:
                    spans = cell.get(_q("table:number-columns-spanned"))
                    found = OdsCell(
                        text="\n".join(_text(p) for p in cell.findall("text:p", NS)) or None,
                        value_type=cell.get(_q("office:value-type")),
                        value=cell.get(_q("office:value")) or cell.get(_q("office:date-value")),
                        style=cell.get(_q("table:style-name")),
                        validation=cell.get(_q("table:content-validation-name")),
                        span=(int(spans), int(cell.get(_q("table:number-rows-spanned"))))
                        if spans
                        else None,
                        covered=cell.tag == _q("table:covered-table-cell"),
                    )
                    for _ in range(int(cell.get(_q("table:number-columns-repeated"), "1"))):
                        sheet.cells[(r, c)] = found
                        c += 1
                r += 1
        sheets.append(sheet)
    return Ods(sheets, validations, style_elements, settings)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ods")
    for suffix in ("ods", "xlsx"):
        write_blank_workbook(
            folder / f"blank.{suffix}", agency=AGENCY, unit=UNIT, year=YEAR, data_rows=DATA_ROWS
        )
    return folder


@pytest.fixture(scope="module")
def ods(folder: Path) -> Ods:
    return read_ods(folder / "blank.ods")


@pytest.fixture(scope="module")
def xlsx(folder: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(folder / "blank.xlsx")


def _columns() -> list[tuple[Sheet, int, Column]]:
    return [(s, i, c) for s in SHEETS for i, c in enumerate(s.columns, start=1)]


def _column_id(item: tuple[Sheet, int, Column]) -> str:
    return f"{item[0].name}-{item[2].header}"


def _xlsx_validation(xlsx: openpyxl.Workbook, sheet: str, coordinate: str) -> DataValidation:
    found = [dv for dv in xlsx[sheet].data_validations.dataValidation if coordinate in dv.sqref]
    assert len(found) == 1
    return found[0]


def _list(condition: str | None) -> tuple[str, ...]:
    """The choices of of:cell-content-is-in-list("男";"女";"其他")."""
    assert condition is not None
    found = re.fullmatch(r"of:cell-content-is-in-list\((.*)\)", condition)
    assert found, condition
    return tuple(s.replace('""', '"') for s in re.findall(r'"((?:[^"]|"")*)"', found[1]))


def test_a_zip_that_opens_as_a_spreadsheet(folder: Path) -> None:
    with zipfile.ZipFile(folder / "blank.ods") as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert {"content.xml", "styles.xml", "meta.xml", "settings.xml"} <= set(z.namelist())
        meta = z.read("meta.xml").decode()
    assert UNIT in meta and str(YEAR) in meta  # the title, as in the .xlsx properties


def test_sheet_order(ods: Ods) -> None:
    assert [s.name for s in ods.sheets] == [
        INSTRUCTIONS_SHEET,
        INFO_SHEET,
        *(s.name for s in SHEETS),
        OPTIONS_SHEET,
    ]


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_title_headers_and_frozen_header(ods: Ods, sheet: Sheet) -> None:
    found = ods.sheet(sheet.name)
    n = len(sheet.columns)
    # The title's formula adds the status line; the blank workbook's is written as its result.
    assert found.text(TITLE_ROW, 1) == f"{sheet.title}\n{status_text(0)}"
    assert found.cells[(TITLE_ROW, 1)].span == (n, 1)
    assert all(found.cells[(TITLE_ROW, c)].covered for c in range(2, n + 1))
    assert tuple(found.text(HEADER_ROW, c) for c in range(1, n + 2)) == (*sheet.headers, None)
    for c in range(1, n + 1):
        style = found.cells[(HEADER_ROW, c)].style
        assert ods.style_attr(style, "style:text-properties", "fo:font-weight") == "bold"
        assert ods.style_attr(style, "style:table-cell-properties", "fo:background-color")
        assert ods.style_attr(style, "style:table-cell-properties", "fo:wrap-option") == "wrap"
    assert found.header_rows == [HEADER_ROW]  # printed on every page
    assert _frozen_rows(ods, sheet.name) == HEADER_ROW


def _frozen_rows(ods: Ods, sheet: str) -> int:
    entry = next(
        e
        for e in ods.settings.iter(_q("config:config-item-map-entry"))
        if e.get(_q("config:name")) == sheet
    )
    items = {i.get(_q("config:name")): i.text for i in entry.findall("config:config-item", NS)}
    assert items["VerticalSplitMode"] == "2"
    return int(items["VerticalSplitPosition"] or 0)


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_no_data_rows(ods: Ods, sheet: Sheet) -> None:
    found = ods.sheet(sheet.name)
    assert not [c for (r, _), c in found.cells.items() if r >= FIRST_DATA_ROW and c.value_type]


@pytest.mark.parametrize("item", [x for x in _columns() if x[2].has_dropdown], ids=_column_id)
def test_dropdown(ods: Ods, xlsx: openpyxl.Workbook, item: tuple[Sheet, int, Column]) -> None:
    sheet, col, column = item
    found = ods.sheet(sheet.name)
    names = {found.cells[(r, col)].validation for r in range(FIRST_DATA_ROW, LAST_ROW + 1)}
    assert len(names) == 1 and None not in names  # every data row, one validation
    assert (LAST_ROW + 1, col) not in found.cells or not found.cells[(LAST_ROW + 1, col)].validation
    v = ods.validations[names.pop()]
    assert _list(v["condition"]) == column.allowed
    assert v["allow_empty"] == "true"
    assert v["display_list"] == "unsorted"  # the in-cell arrow shows
    assert v["help_display"] == "true"
    # 複分類 offers its dimensions but lets any text through; an alias (男性) warns only.
    assert v["error_display"] == ("false" if column.kind is Kind.DIMENSIONS else "true")
    assert v["error_type"] == ("warning" if column.aliases else "stop")
    dv = _xlsx_validation(xlsx, sheet.name, f"{get_column_letter(col)}{FIRST_DATA_ROW}")
    assert (v["help_title"], v["help_text"]) == (dv.promptTitle, dv.prompt)
    assert (v["error_title"], v["error_text"]) == (dv.errorTitle, dv.error)
    assert (v["error_display"], v["error_type"]) == (
        str(dv.showErrorMessage).lower(),
        dv.errorStyle,
    )


@pytest.mark.parametrize("item", [x for x in _columns() if not x[2].has_dropdown], ids=_column_id)
def test_other_columns_get_a_prompt_only(
    ods: Ods, xlsx: openpyxl.Workbook, item: tuple[Sheet, int, Column]
) -> None:
    sheet, col, column = item
    found = ods.sheet(sheet.name)
    names = {found.cells[(r, col)].validation for r in range(FIRST_DATA_ROW, LAST_ROW + 1)}
    assert len(names) == 1 and None not in names
    v = ods.validations[names.pop()]
    assert v["condition"] is None  # any value: messy-but-valid input such as 2小時 is kept
    assert v["help_text"] == column.help
    dv = _xlsx_validation(xlsx, sheet.name, f"{get_column_letter(col)}{FIRST_DATA_ROW}")
    assert v["help_title"] == dv.promptTitle


@pytest.mark.parametrize("item", _columns(), ids=_column_id)
def test_number_formats(ods: Ods, item: tuple[Sheet, int, Column]) -> None:
    sheet, col, column = item
    found = ods.sheet(sheet.name)
    style = found.style(LAST_ROW, col)
    assert style == found.style(FIRST_DATA_ROW, col) == found.style(LAST_ROW + 100, col)
    assert found.cells[(LAST_ROW, col)].style is None  # the column's, not the cell's own
    assert ods.style_attr(style, "style:table-cell-properties", "fo:border")
    data_style = ods.styles[style].get(_q("style:data-style-name")) if style else None
    expected = NUMBER_FORMATS.get(column.kind)
    if expected is None:
        assert data_style is None
        return
    element = ods.styles[data_style]
    if column.kind is Kind.DATE:
        assert element.tag == _q("number:date-style")
        parts = [e.tag.split("}")[1] for e in element]
        assert parts == ["year", "text", "month", "text", "day"]
        return
    number = element.find("number:number", NS)
    assert number is not None
    decimals = expected.partition(".")[2].count("0")
    assert number.get(_q("number:decimal-places")) == str(decimals)
    assert (number.get(_q("number:grouping")) == "true") == ("," in expected)


def test_merged_cells_widths_and_heights_are_those_of_the_model(ods: Ods) -> None:
    model = blank_workbook(agency=AGENCY, unit=UNIT, year=YEAR, data_rows=DATA_ROWS)
    for ws in model.worksheets:
        found = ods.sheet(ws.title)
        merges = {
            (r, c, r + cell.span[1] - 1, c + cell.span[0] - 1)
            for (r, c), cell in found.cells.items()
            if cell.span and cell.span != (1, 1)
        }
        assert merges == {
            (m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges
        }, ws.title
        for letter, dim in ws.column_dimensions.items():
            style = found.column_styles[column_index_from_string(letter) - 1]
            width = ods.style_attr(style, "style:table-column-properties", "style:column-width")
            assert width is not None and width.endswith("in")
            assert float(width[:-2]) == pytest.approx(dim.width * 7 / 72, abs=1e-4), letter
        for row, dim in ws.row_dimensions.items():
            if dim.height is not None:
                height = ods.style_attr(
                    found.row_styles.get(row), "style:table-row-properties", "style:row-height"
                )
                assert height == f"{dim.height:g}pt", (ws.title, row)


def test_info_sheet_prefilled_with_prompts(ods: Ods) -> None:
    found = ods.sheet(INFO_SHEET)
    rows = {found.text(r, 1): r for r in range(1, 21) if found.text(r, 1)}
    by_key = {f.key: found.cells[(rows[f.label], 2)] for f in INFO_FIELDS}
    assert by_key["agency"].text == AGENCY and by_key["unit"].text == UNIT
    assert (by_key["year"].value_type, by_key["year"].value) == ("float", str(YEAR))
    assert by_key["contact"].value_type is None and by_key["filed_on"].value_type is None
    for info in INFO_FIELDS:
        v = ods.validations[by_key[info.key].validation]
        assert (v["help_title"], v["help_text"]) == (info.label, info.help)


def test_instructions_carried_whole(ods: Ods, xlsx: openpyxl.Workbook) -> None:
    found = ods.sheet(INSTRUCTIONS_SHEET)
    texts = [found.text(r, c) for (r, c) in sorted(found.cells) if found.text(r, c)]
    expected = [
        str(v) for row in xlsx[INSTRUCTIONS_SHEET].iter_rows(values_only=True) for v in row if v
    ]
    assert texts == expected


def test_calamine_sees_titles_and_headers_only(folder: Path) -> None:
    frames = pd.read_excel(
        folder / "blank.ods", sheet_name=None, header=None, engine="calamine", dtype=object
    )
    assert list(frames) == [
        INSTRUCTIONS_SHEET,
        INFO_SHEET,
        *(s.name for s in SHEETS),
        OPTIONS_SHEET,
    ]
    for sheet in SHEETS:
        frame = frames[sheet.name].dropna(how="all")
        assert len(frame) == 2, sheet.name
        assert tuple(frame.iloc[1].dropna()) == sheet.headers


def test_same_bytes_each_time(tmp_path: Path) -> None:
    from odf.opendocument import load

    first, second = tmp_path / "1.ods", tmp_path / "2.ods"
    write_blank_workbook(first, agency=AGENCY, unit=UNIT, year=YEAR, data_rows=DATA_ROWS)
    load(str(first))  # reading an .ods leaves namespaces behind in odfpy; they must not leak
    write_blank_workbook(second, agency=AGENCY, unit=UNIT, year=YEAR, data_rows=DATA_ROWS)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"date" not in z.read("meta.xml")


def test_values_of_every_type_read_back(tmp_path: Path) -> None:
    """The types a unit types into the template (openpyxl formats a date typed in as
    yyyy-mm-dd, a datetime as yyyy-mm-dd h:mm:ss)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["文字", 12, 2.5, date(2024, 3, 5), datetime(2024, 3, 5, 9, 30)])
    ws.append(["兩行\n第二行", "  前後空白  與  多個空格", None, -1])
    path = tmp_path / "values.ods"
    write_ods(wb, path)
    frame = pd.read_excel(path, header=None, engine="calamine", dtype=object)
    assert frame.iloc[0].tolist() == [
        "文字",
        12,
        2.5,
        pd.Timestamp(2024, 3, 5),
        pd.Timestamp(2024, 3, 5, 9, 30),
    ]
    assert frame.iloc[1].tolist()[:2] == ["兩行\n第二行", "  前後空白  與  多個空格"]
    assert frame.iloc[1].tolist()[3] == -1


def _array_formula(wb: openpyxl.Workbook) -> None:
    wb.active["A1"] = ArrayFormula("A1", "=1+1")


def _conditional_format(wb: openpyxl.Workbook) -> None:
    rule = CellIsRule(operator="equal", formula=["1"])
    wb.active.conditional_formatting.add("A1:A3", rule)


def _range_list(wb: openpyxl.Workbook) -> None:
    dv = DataValidation(type="list", formula1="$B$1:$B$3")
    dv.add("A1")
    wb.active.add_data_validation(dv)


def _whole_number(wb: openpyxl.Workbook) -> None:
    dv = DataValidation(type="whole", operator="greaterThan", formula1="0")
    dv.add("A1")
    wb.active.add_data_validation(dv)


def _letter_paper(wb: openpyxl.Workbook) -> None:
    wb.active.page_setup.paperSize = wb.active.PAPERSIZE_LETTER


def _column_span(wb: openpyxl.Workbook) -> None:
    wb.active.column_dimensions.group("A", "C")  # one dimension, min 1 and max 3
    wb.active.column_dimensions["A"].width = 30


def _default_width(wb: openpyxl.Workbook) -> None:
    wb.active.sheet_format.defaultColWidth = 20


def _description(wb: openpyxl.Workbook) -> None:
    wb.properties.description = "說明"


def _boolean(wb: openpyxl.Workbook) -> None:
    wb.active["A1"] = True


def _italic(wb: openpyxl.Workbook) -> None:
    wb.active["A1"] = "斜體"
    wb.active["A1"].font = Font(italic=True)


def _shrink(wb: openpyxl.Workbook) -> None:
    wb.active["A1"] = "縮小"
    wb.active["A1"].alignment = Alignment(shrink_to_fit=True)


def _frozen_columns(wb: openpyxl.Workbook) -> None:
    wb.active.freeze_panes = "B2"


def _no_grid_lines(wb: openpyxl.Workbook) -> None:
    wb.active.sheet_view.showGridLines = False


def _two_range_list(wb: openpyxl.Workbook) -> None:
    dv = DataValidation(type="list", formula1='"甲,乙"')
    dv.add("A1:A3")
    dv.add("C1:C3")
    wb.active.add_data_validation(dv)


@pytest.mark.parametrize(
    "edit",
    [
        _boolean,
        _italic,
        _shrink,
        _frozen_columns,
        _no_grid_lines,
        _two_range_list,
        _array_formula,
        _conditional_format,
        _range_list,
        _whole_number,
        _letter_paper,
        _column_span,
        _default_width,
        _description,
    ],
)
def test_what_cannot_be_carried_is_refused_not_dropped(edit) -> None:
    wb = openpyxl.Workbook()
    edit(wb)
    with pytest.raises(ValueError, match=r"\.ods"):
        ods_bytes(wb)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="需要 LibreOffice（soffice）")
def test_libreoffice_reads_sheets_headers_and_dropdowns(
    tmp_path: Path, folder: Path, xlsx: openpyxl.Workbook
) -> None:
    """LibreOffice opens the .ods and saves it as .xlsx: what survives, it understood."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(tmp_path),
            str(folder / "blank.ods"),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    resaved = openpyxl.load_workbook(tmp_path / "blank.xlsx")
    assert resaved.sheetnames == [
        INSTRUCTIONS_SHEET,
        INFO_SHEET,
        *(s.name for s in SHEETS),
        OPTIONS_SHEET,
    ]
    for sheet in SHEETS:
        ws, original = resaved[sheet.name], xlsx[sheet.name]
        assert str(ws.cell(TITLE_ROW, 1).value).startswith(f'="{sheet.title}"&CHAR(10)&')
        assert tuple(ws.cell(HEADER_ROW, c).value for c in range(1, len(sheet.columns) + 1)) == (
            sheet.headers
        )
        assert set(map(str, ws.merged_cells.ranges)) == set(map(str, original.merged_cells.ranges))
        for col, column in enumerate(sheet.columns, start=1):
            where = f"{get_column_letter(col)}{FIRST_DATA_ROW}"
            dv = _xlsx_validation(resaved, sheet.name, where)
            assert f"{get_column_letter(col)}{LAST_ROW}" in dv.sqref
            expected = _xlsx_validation(xlsx, sheet.name, where)
            assert (dv.promptTitle, dv.prompt) == (expected.promptTitle, expected.prompt)
            if column.has_dropdown:
                assert dv.type == "list"
                assert dv.formula1 == '"' + ",".join(column.allowed) + '"'
                assert (dv.errorTitle, dv.error) == (expected.errorTitle, expected.error)
                assert dv.showErrorMessage == expected.showErrorMessage
                assert dv.errorStyle == expected.errorStyle
            letter = get_column_letter(col)
            assert original.column_dimensions[letter].number_format == (
                NUMBER_FORMATS.get(column.kind, "General")
            )
            for row in (FIRST_DATA_ROW, LAST_ROW):  # LibreOffice writes the styled cells
                assert ws.cell(row, col).number_format == (
                    original.column_dimensions[letter].number_format
                )
        widths = {
            c: d.width
            for d in ws.column_dimensions.values()
            for c in range(d.min or 1, (d.max or d.min or 1) + 1)
        }
        for letter, dim in original.column_dimensions.items():
            assert widths[column_index_from_string(letter)] == pytest.approx(dim.width, abs=0.2)


# A unit that sends .ods (SPEC §2) among units that send .xlsx: the figures do not change.

ODS_UNIT, ODS_FILE = "人事室", "113年度_人事室_性別主流化填報"


def _filled_template(sample: Path, path: Path) -> None:
    """The unit's blank template, written as .ods by gmreport, holding the sample's values."""
    source = openpyxl.load_workbook(sample)
    info = {
        f.key: source[INFO_SHEET].cell(row, 2).value for row, f in enumerate(INFO_FIELDS, start=2)
    }
    rows = max(ws.max_row for ws in source.worksheets) - FIRST_DATA_ROW + 1
    model = blank_workbook(
        agency=info["agency"], unit=info["unit"], year=info["year"], data_rows=rows
    )
    for ws in source.worksheets:
        if ws.title != INSTRUCTIONS_SHEET:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        model[ws.title][cell.coordinate] = cell.value
    write_ods(model, path)


def _figures_json(out: Path) -> dict:
    text = (out / "113年度統計數據.json").read_text(encoding="utf-8")
    figures = json.loads(text.replace(f"{ODS_FILE}.ods", f"{ODS_FILE}.xlsx"))
    del figures["built_at"]  # when it was built
    return figures


@pytest.mark.slow
def test_a_unit_sending_the_ods_template_leaves_the_figures_unchanged(
    tmp_path: Path, samples_build: SamplesBuild
) -> None:
    """The blank .ods of `gmreport templates`, filled in (an .ods saved by LibreOffice is
    tested in test_opendocument.py)."""
    inbox = tmp_path / "in"
    shutil.copytree(SAMPLES, inbox)
    sample = inbox / f"{ODS_FILE}.xlsx"
    _filled_template(sample, inbox / f"{ODS_FILE}.ods")
    sample.unlink()
    figures = build(inbox, tmp_path / "out", Config()).figures
    assert figures is not None
    read = {f["unit"]: f["file"] for f in figures["files"]["read"]}
    before = {f["unit"]: f["file"] for f in samples_build.outcome.figures["files"]["read"]}
    assert read == before | {ODS_UNIT: f"{ODS_FILE}.ods"}
    assert _figures_json(tmp_path / "out") == _figures_json(samples_build.out)
