"""What systems and copy-paste put in cells (SPEC §2 ◆), handled without loss: formulas
without their results, text pasted from Word, invisible characters, sheet names that
collide once spaces and full-width forms are ignored."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from gmreport.config import Config
from gmreport.pipeline import build, check
from gmreport.read import read_workbook
from gmreport.safety import inspect_workbook
from gmreport.schema import INFO_FIELDS, SHEETS_BY_NAME

from .hostile import ods_cell, ods_row, write_ods

CEDAW = ["座談", "113/5/5", "村里長", "實體活動", "綜合", 10, 8, 0]


def codes(problems) -> list[tuple[str, str, str]]:
    return sorted((p.code, p.sheet, p.cell) for p in problems)


# --- Formulas without their results --------------------------------------------------------


def test_a_formula_without_its_result_is_an_error_naming_the_cell(make_workbook, valid_rows):
    rows = valid_rows | {"CEDAW宣導": [CEDAW, [*CEDAW[:5], "=10+8", 4, 0]]}
    rows["培力紀錄"][1][5] = "=3+3"  # 李美玲's 6 hours, as a script writes them
    path = make_workbook(rows)
    outcome = build(path.parent, path.parent / "out", Config(), draft=True)
    assert codes(p for p in outcome.problems if p.is_error) == [
        ("formula-no-value", "CEDAW宣導", "F4"),
        ("formula-no-value", "培力紀錄", "F4"),
    ]
    [message] = {p.hint for p in outcome.problems if p.code == "formula-no-value"}
    assert "存檔" in message
    figures = outcome.figures
    assert figures is not None
    # The row is not counted as 0 participants, nor the hours as none: both are left out.
    assert figures["cedaw"]["sessions"] == 1
    assert figures["cedaw"]["participants"]["male"] == CEDAW[5]
    by_sheet = {s["sheet"]: s for s in figures["rows"]["by_sheet"]}
    assert (by_sheet["CEDAW宣導"]["read"], by_sheet["CEDAW宣導"]["excluded"]) == (2, 1)
    assert (by_sheet["培力紀錄"]["read"], by_sheet["培力紀錄"]["excluded"]) == (3, 1)


def test_a_row_of_formulas_only_is_counted_as_read_and_not_counted(make_workbook, valid_rows):
    row = ['="座談"', '="113/5/5"', '="村里長"', None, None, "=1", "=2", "=0"]
    path = make_workbook(valid_rows | {"CEDAW宣導": [row]})
    problems = check([path], Config()).problems
    # The text formulas are not flagged unless their result is missing too: a missing
    # result of any kind reads blank, so each is named.
    flagged = [p.cell for p in problems if p.code == "formula-no-value"]
    assert flagged == ["A3", "B3", "C3", "F3", "G3", "H3"]
    raw = read_workbook(path)
    assert raw.unread_rows == {"CEDAW宣導": 1}


def _with_cached(path: Path, cell: str) -> None:
    """Rewrite the package so that the formula cell `cell` holds `cell`'s XML as given."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    name = next(n for n, data in parts.items() if b"=10+8" in data or b">10+8<" in data)
    parts[name] = parts[name].replace(b"<f>10+8</f><v></v>", cell.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        ("<f>10+8</f><v>18</v>", 18),  # as Excel saves it
        ("<f>10+8</f><v>0</v>", 0),  # a result of 0 is a result
    ],
)
def test_a_formula_with_its_result_is_read_by_its_result(make_workbook, valid_rows, xml, expected):
    path = make_workbook(valid_rows | {"CEDAW宣導": [[*CEDAW[:5], "=10+8", 4, 0]]})
    _with_cached(path, xml)
    assert check([path], Config()).problems == []
    assert read_workbook(path).sheets["cedaw"].values[0][5] == expected


def test_a_text_formula_whose_result_is_empty_is_blank(make_workbook, valid_rows):
    path = make_workbook(valid_rows | {"CEDAW宣導": [[*CEDAW[:5], 10, 8, 0, "=10+8"]]})
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    name = next(n for n, data in parts.items() if b"<f>10+8</f>" in data)
    # Excel's =IF(…,"",…) that gave "": a text result, empty, which is no loss.
    parts[name] = parts[name].replace(b'<c r="I3"', b'<c r="I3" t="str"')
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    assert check([path], Config()).problems == []


def _ods_workbook(path: Path, cedaw_cells: str) -> Path:
    info = {"agency": "高雄市旗津區公所", "unit": "人事室", "year": 113}
    info_rows = "".join(
        ods_row(ods_cell(f.label) + ods_cell(info.get(f.key, "x"))) for f in INFO_FIELDS
    )
    headers = "".join(ods_cell(h) for h in SHEETS_BY_NAME["CEDAW宣導"].headers)
    return write_ods(
        path, {"基本資料": info_rows, "CEDAW宣導": ods_row(headers) + ods_row(cedaw_cells)}
    )


def test_an_ods_formula_without_its_value_is_an_error_naming_the_cell(tmp_path):
    uncomputed = '<table:table-cell table:formula="of:=10+8"/>'
    computed = (
        '<table:table-cell table:formula="of:=2+2" office:value-type="float" office:value="4">'
        "<text:p>4</text:p></table:table-cell>"
    )
    cells = "".join(ods_cell(v) for v in CEDAW[:5]) + uncomputed + computed + ods_cell(0)
    path = _ods_workbook(tmp_path / "人事室.ods", cells)
    [info] = [i for i in inspect_workbook(path) if i.name == "CEDAW宣導"]
    assert info.formulas == ("F2",)
    assert codes(p for p in check([path], Config()).problems if p.is_error) == [
        ("formula-no-value", "CEDAW宣導", "F2")
    ]
