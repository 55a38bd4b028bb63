"""The blank standard workbook: structure, dropdowns and help, all as the schema declares."""

from __future__ import annotations

import shutil
from copy import copy
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from gmreport.blank_workbook import DATA_ROWS, FIRST_DATA_ROW, NUMBER_FORMATS, write_blank_workbook
from gmreport.problems import OutputError
from gmreport.safety import inspect_workbook
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

from .conftest import SAMPLES, SamplesBuild, gathered

AGENCY, UNIT, YEAR = "高雄市旗津區公所", "民政課", 113
MIN_ROWS = 500
LAST_ROW = FIRST_DATA_ROW + MIN_ROWS - 1


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("blank") / "blank.xlsx"
    write_blank_workbook(path, agency=AGENCY, unit=UNIT, year=YEAR)
    return path


@pytest.fixture(scope="module")
def workbook(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def _columns() -> list[tuple[Sheet, int, Column]]:
    return [(s, i, c) for s in SHEETS for i, c in enumerate(s.columns, start=1)]


def _column_id(item: tuple[Sheet, int, Column]) -> str:
    return f"{item[0].name}-{item[2].header}"


def _validations_covering(ws: Worksheet, col: int) -> list[DataValidation]:
    """The validations whose ranges cover column `col` from the first data row to LAST_ROW."""
    found = []
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            if (
                rng.min_col <= col <= rng.max_col
                and rng.min_row <= FIRST_DATA_ROW
                and rng.max_row >= LAST_ROW
            ):
                found.append(dv)
    return found


def _has_cjk(text: str | None) -> bool:
    return bool(text) and any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_sheet_order(workbook: openpyxl.Workbook) -> None:
    assert workbook.sheetnames == [
        INSTRUCTIONS_SHEET,
        INFO_SHEET,
        *(s.name for s in SHEETS),
        OPTIONS_SHEET,
    ]
    assert workbook[OPTIONS_SHEET].sheet_state == "hidden"


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_title_and_headers(workbook: openpyxl.Workbook, sheet: Sheet) -> None:
    ws = workbook[sheet.name]
    # The title is a formula that adds the status line (「本表未發現待確認之處」) below it.
    assert ws["A1"].value.startswith(f'="{sheet.title}"&CHAR(10)&')
    assert ws["A1"].font.bold
    headers = tuple(ws.cell(2, i).value for i in range(1, len(sheet.columns) + 2))
    assert headers == (*sheet.headers, None)
    assert all(ws.cell(2, i).font.bold for i in range(1, len(sheet.columns) + 1))
    assert ws.freeze_panes == "A3"


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_no_data_rows(workbook: openpyxl.Workbook, sheet: Sheet) -> None:
    ws = workbook[sheet.name]
    values = [v for row in ws.iter_rows(min_row=FIRST_DATA_ROW, values_only=True) for v in row]
    assert all(v is None for v in values)


def test_calamine_sees_no_data_rows(path: Path) -> None:
    frames = pd.read_excel(path, sheet_name=None, header=None, engine="calamine", dtype=object)
    for sheet in SHEETS:
        frame = frames[sheet.name].dropna(how="all")
        # The title's formula has no result until a spreadsheet computes it: headers only.
        assert len(frame) == 1, sheet.name
        assert tuple(frame.iloc[0].dropna()) == sheet.headers


@pytest.mark.parametrize("item", [x for x in _columns() if x[2].has_dropdown], ids=_column_id)
def test_dropdown(workbook: openpyxl.Workbook, item: tuple[Sheet, int, Column]) -> None:
    sheet, col, column = item
    found = [dv for dv in _validations_covering(workbook[sheet.name], col) if dv.type == "list"]
    assert len(found) == 1
    dv = found[0]
    assert dv.formula1 == '"' + ",".join(column.allowed) + '"'
    assert not dv.showDropDown  # openpyxl's True would hide the arrow
    assert dv.allow_blank
    assert dv.showInputMessage
    assert dv.showErrorMessage == (column.kind is not Kind.DIMENSIONS)  # 複分類: any text too
    assert dv.errorStyle == ("warning" if column.aliases else "stop")
    assert _has_cjk(dv.promptTitle) and _has_cjk(dv.prompt)
    assert _has_cjk(dv.errorTitle) and _has_cjk(dv.error)
    assert "、".join(column.allowed) in dv.error
    assert len(dv.promptTitle) <= 32 and len(dv.prompt) <= 255 and len(dv.error) <= 225


@pytest.mark.parametrize("item", [x for x in _columns() if not x[2].has_dropdown], ids=_column_id)
def test_other_columns_get_a_prompt_only(
    workbook: openpyxl.Workbook, item: tuple[Sheet, int, Column]
) -> None:
    sheet, col, column = item
    found = _validations_covering(workbook[sheet.name], col)
    assert len(found) == 1
    dv = found[0]
    assert dv.type is None  # "any value": messy-but-valid input such as 2小時 is not refused
    assert dv.showInputMessage and dv.prompt == column.help


@pytest.mark.parametrize("item", _columns(), ids=_column_id)
def test_number_formats_and_width(
    workbook: openpyxl.Workbook, item: tuple[Sheet, int, Column]
) -> None:
    sheet, col, column = item
    ws = workbook[sheet.name]
    dimension = ws.column_dimensions[get_column_letter(col)]
    assert dimension.number_format == NUMBER_FORMATS.get(column.kind, "General")
    assert dimension.border.left.style == "hair" and dimension.border.bottom.style == "hair"
    assert dimension.alignment.vertical == "top"
    assert bool(dimension.alignment.wrap_text) == (column.kind is Kind.TEXT)
    assert dimension.width >= column.width


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_blank_rows_are_no_cells(workbook: openpyxl.Workbook, sheet: Sheet) -> None:
    """The data rows' style is the columns': the sheet holds the title and header rows only."""
    ws = workbook[sheet.name]
    assert {cell.row for cell in ws._cells.values()} == {1, 2}


def test_kinds_with_formats() -> None:
    assert "yy" in NUMBER_FORMATS[Kind.DATE]
    assert {Kind.COUNT, Kind.HOURS, Kind.AMOUNT} <= NUMBER_FORMATS.keys()


def test_info_sheet_prefilled(workbook: openpyxl.Workbook) -> None:
    ws = workbook[INFO_SHEET]
    rows = {
        ws.cell(r, 1).value: ws.cell(r, 2).value
        for r in range(1, 21)
        if ws.cell(r, 1).value in {f.label for f in INFO_FIELDS}
    }
    assert list(rows) == [f.label for f in INFO_FIELDS]
    by_key = {f.key: rows[f.label] for f in INFO_FIELDS}
    assert by_key["agency"] == AGENCY
    assert by_key["unit"] == UNIT
    assert by_key["year"] == YEAR and isinstance(by_key["year"], int)
    assert by_key["contact"] is None and by_key["phone"] is None and by_key["filed_on"] is None


def test_instructions_cover_every_sheet_and_column(workbook: openpyxl.Workbook) -> None:
    text = "\n".join(
        str(v) for row in workbook[INSTRUCTIONS_SHEET].iter_rows(values_only=True) for v in row if v
    )
    assert UNIT in text and str(YEAR) in text
    for info in INFO_FIELDS:
        assert info.help in text
    for sheet in SHEETS:
        assert sheet.name in text and sheet.help in text
        for column in sheet.columns:
            assert column.header in text and column.help in text
            if column.has_dropdown:
                assert "、".join(column.allowed) in text


def test_properties(workbook: openpyxl.Workbook) -> None:
    assert workbook.properties.creator == "gmreport"
    assert UNIT in workbook.properties.title and str(YEAR) in workbook.properties.title


def test_unwritable_path_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="無法寫入"):
        write_blank_workbook(tmp_path, agency=AGENCY, unit=UNIT, year=YEAR)


def _pre_styled(sample: Path, path: Path) -> None:
    """`sample` as if filled in on last year's template, which styled each blank cell of its
    DATA_ROWS rows instead of the columns."""
    workbook = openpyxl.load_workbook(sample)
    for sheet in SHEETS:
        ws = workbook[sheet.name]
        for col in range(1, len(sheet.columns) + 1):
            style = ws.column_dimensions[get_column_letter(col)]._style
            for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + DATA_ROWS):
                if (row, col) not in ws._cells:
                    ws.cell(row, col)._style = copy(style)
    workbook.save(path)


def test_a_workbook_on_last_years_template_gives_the_same_figures(
    tmp_path: Path, samples_build: SamplesBuild
) -> None:
    inbox = tmp_path / "in"
    shutil.copytree(SAMPLES, inbox)
    sample = inbox / "113年度_民政課_性別主流化填報.xlsx"
    _pre_styled(SAMPLES / sample.name, sample)
    assert sample.stat().st_size > 3 * (SAMPLES / sample.name).stat().st_size  # the blanks
    assert inspect_workbook(sample) == inspect_workbook(SAMPLES / sample.name)
    figures = gathered(inbox).figures  # the figures a build writes, worked out
    assert figures is not None and samples_build.outcome.figures is not None
    assert {**figures, "built_at": ""} == {**samples_build.outcome.figures, "built_at": ""}
