""".ods workbooks: inspected like .xlsx, repeats counted as calamine expands them, read alike."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gmreport import safety
from gmreport.config import Config
from gmreport.pipeline import build, check
from gmreport.problems import CATALOGUE
from gmreport.read import read_workbook
from gmreport.safety import Refused, SheetInfo, inspect_workbook
from gmreport.schema import SHEETS_BY_NAME
from tests import hostile
from tests.hostile import (
    ods_cell,
    ods_content,
    ods_manifest,
    ods_row,
    ods_table,
    write_ods,
)

SAMPLES = Path(__file__).resolve().parent.parent / "input_samples" / "113"


def read_with_pandas(path: Path) -> dict[str, pd.DataFrame]:
    return pd.read_excel(path, sheet_name=None, header=None, engine="calamine", dtype=object)


def assert_matches_pandas(path: Path, sheets: tuple[SheetInfo, ...]) -> None:
    frames = read_with_pandas(path)
    assert list(frames) == [s.name for s in sheets]
    for s in sheets:
        assert frames[s.name].shape == ((s.rows, s.cols) if s.rows else (0, 0)), s.name


def date_cell(iso: str) -> str:
    return (
        f'<table:table-cell office:value-type="date" office:date-value="{iso}" '
        f'calcext:value-type="date"><text:p>{iso}</text:p></table:table-cell>'
    )


ERROR_CELL = (
    '<table:table-cell table:formula="of:=1/0" office:value-type="string" '
    'office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p>'
    "</table:table-cell>"
)
TO_THE_RIGHT = ods_cell(None, repeat=16_370)  # how LibreOffice fills a row to column XFD
TO_THE_BOTTOM = ods_row(ods_cell(None, repeat=16_384), repeat=1_048_570)


def libreoffice_like(path: Path) -> Path:
    """A workbook as LibreOffice writes one: columns, merges, runs to the sheet's edges."""
    header = "".join(ods_cell(h) for h in ["姓名", "性別", "人員類別", "主管", "到職日期"])
    title = (
        ods_cell(
            "人員名冊", attrs=' table:number-columns-spanned="5" table:number-rows-spanned="1"'
        )
        + '<table:covered-table-cell table:number-columns-repeated="4"/>'
    )
    rows = [
        title,
        header,
        ods_cell("王小明") + ods_cell("男") + ods_cell("公務人員") + ods_cell("是") + ods_cell(None),
        ods_cell("李美玲") + ods_cell("女") + ods_cell("公務人員") + ods_cell(None)
        + date_cell("2024-03-05"),
        ods_cell("陳志強") + ods_cell("男") + ods_cell(None, repeat=2) + ERROR_CELL,
    ]  # fmt: skip
    roster = (
        '<table:table-column table:number-columns-repeated="16384"/>'
        + "".join(ods_row(r + TO_THE_RIGHT) for r in rows)
        + TO_THE_BOTTOM
    )
    info = ods_row(ods_cell("年度") + ods_cell(113) + TO_THE_RIGHT) + TO_THE_BOTTOM
    empty = ods_row(ods_cell(None, repeat=16_384), repeat=1_048_576)
    return write_ods(path, {"基本資料": info, "人員名冊": roster, "培力紀錄": empty})


def test_a_libreoffice_like_workbook_passes_and_matches_pandas(tmp_path: Path) -> None:
    path = libreoffice_like(tmp_path / "民政課.ods")
    sheets = inspect_workbook(path)
    assert sheets == (
        SheetInfo("基本資料", 1, 2),
        SheetInfo("人員名冊", 5, 5, ("A1:E1",), ("E5",)),
        SheetInfo("培力紀錄", 0, 0),
    )
    assert_matches_pandas(path, sheets)


E = ods_cell(None)


@pytest.mark.parametrize(
    ("rows", "shape"),
    [
        pytest.param(ods_row(ods_cell(1) + ods_cell(2)) + ods_row(ods_cell(3)), (2, 2), id="plain"),
        # runs of rows and cells with a value fill every row and column they stand for
        pytest.param(ods_row(ods_cell(1), 4) + ods_row(E * 2 + ods_cell(2)), (5, 3), id="rows"),
        pytest.param(ods_row(ods_cell(1, repeat=5)), (1, 5), id="cells"),
        pytest.param(ods_row(E, 5) + ods_row(ods_cell(None, 3) + ods_cell(7)), (6, 4), id="above"),
        pytest.param(ods_row(ods_cell(1)) + ods_row(E, 10) + ods_row(ods_cell(2)), (12, 1), id="gap"),
        # empty cells count only when a cell follows them in the row; empty rows below nothing
        pytest.param(ods_row(ods_cell(1) + ods_cell(None, 100)) + ods_row(E, 1000), (1, 1), id="tail"),
        pytest.param(
            ods_row(ods_cell(1)) + ods_row(ods_cell(None, 50, ' table:style-name="ce1"') + ods_cell(2)),
            (2, 51),
            id="styled-empties",
        ),
        # covered cells take their columns; an empty string is a value, an annotation is not
        pytest.param(
            ods_row(ods_cell("合", attrs=' table:number-columns-spanned="3"')
                + '<table:covered-table-cell table:number-columns-repeated="2"/>' + ods_cell(5)),
            (1, 4),
            id="covered",
        ),
        pytest.param(
            ods_row(ods_cell(1)) + ods_row(E * 2 + '<table:table-cell office:value-type="string"/>'),
            (2, 3),
            id="empty-string",
        ),
        pytest.param(
            ods_row(ods_cell(1)) + ods_row(
                E * 2 + "<table:table-cell><office:annotation><text:p>註</text:p>"
                "</office:annotation></table:table-cell>"
            ),
            (1, 1),
            id="annotation",
        ),
        # a count as calamine reads it: digits, an optional +
        pytest.param(ods_row(E, "+3") + ods_row(ods_cell(1)), (4, 1), id="plus"),
        # rows in groups count; rows of another prefix are not the table's
        pytest.param(
            "<table:table-header-rows>" + ods_row(ods_cell(1)) + "</table:table-header-rows>"
            "<table:table-row-group>" + ods_row(ods_cell(2)) + "</table:table-row-group>",
            (2, 1),
            id="groups",
        ),
        pytest.param(
            ods_row(ods_cell(1)) + '<t:table-row xmlns:t="urn:oasis:names:tc:opendocument:'
            'xmlns:table:1.0"><t:table-cell office:value-type="float" office:value="2"/>'
            "</t:table-row>",
            (1, 1),
            id="other-prefix",
        ),
    ],
)  # fmt: skip
def test_used_range_matches_calamine(tmp_path: Path, rows: str, shape: tuple[int, int]) -> None:
    path = write_ods(tmp_path / "a.ods", {"工作表": rows})
    (info,) = inspect_workbook(path)
    assert (info.rows, info.cols) == shape
    assert read_with_pandas(path)["工作表"].shape == shape


CELLS = [
    ods_cell(None),
    ods_cell(None, attrs=' table:style-name="ce1"'),
    "<table:covered-table-cell/>",
    ods_cell(7),
    ods_cell("字"),
    '<table:table-cell office:value-type="string"/>',
    '<table:table-cell office:value-type="boolean" office:boolean-value="true"/>',
    date_cell("2024-03-05"),
]


def _repeated(cell: str, times: int | None) -> str:
    if times is None:
        return cell
    name_end = cell.index(" ") if " " in cell.split(">")[0] else cell.index("/")
    return f'{cell[:name_end]} table:number-columns-repeated="{times}"{cell[name_end:]}'


table_rows = st.lists(
    st.tuples(
        st.lists(st.tuples(st.sampled_from(CELLS), st.sampled_from([None, 1, 2, 5])), max_size=5),
        st.sampled_from([None, 1, 2, 4]),
    ),
    max_size=6,
)


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rows=table_rows)
def test_used_range_of_random_tables_matches_calamine(tmp_path: Path, rows: list) -> None:
    body = "".join(ods_row("".join(_repeated(c, n) for c, n in cells), r) for cells, r in rows)
    path = write_ods(tmp_path / "a.ods", {"工作表": body})
    (info,) = inspect_workbook(path)
    shape = read_with_pandas(path)["工作表"].shape
    assert ((info.rows, info.cols) if info.rows else (0, 0)) == shape


def test_tables_without_a_name_are_not_sheets(tmp_path: Path) -> None:
    tables = "<table:table>" + ods_row(ods_cell(1)) + "</table:table>" + ods_table("乙", ods_row())
    path = write_ods(tmp_path / "a.ods", content=ods_content(tables))
    assert inspect_workbook(path) == (SheetInfo("乙", 0, 0),)
    assert list(read_with_pandas(path)) == ["乙"]


def test_merges_and_error_cells_are_named_like_excel_ranges(tmp_path: Path) -> None:
    spans = ' table:number-rows-spanned="3" table:number-columns-spanned="1"'
    wide = ' table:number-rows-spanned="1" table:number-columns-spanned="2"'
    rows = (
        ods_row(ods_cell(1, repeat=3)) * 4
        + ods_row(ods_cell("甲", attrs=spans) + ods_cell(2, repeat=2))
        + ods_row("<table:covered-table-cell/>" + ods_cell(3, repeat=2), repeat=2)
        + ods_row(ods_cell("乙", repeat=2, attrs=wide) + ERROR_CELL, repeat=2)
    )
    path = write_ods(tmp_path / "a.ods", {"工作表": rows})
    (info,) = inspect_workbook(path)
    assert info.merged == ("A5:A7", "A8:B8", "B8:C8", "A9:B9", "B9:C9")
    assert info.errors == ("C8", "C9")
    assert (info.rows, info.cols) == (9, 3)
    assert read_with_pandas(path)["工作表"].shape == (9, 3)


def test_text_cells_with_spaces_and_paragraphs_pass(tmp_path: Path) -> None:
    cell = (
        '<table:table-cell office:value-type="string"><text:p><text:s text:c="2"/>王 '
        "<text:span>小明</text:span></text:p><text:p>第二行</text:p></table:table-cell>"
    )
    path = write_ods(tmp_path / "a.ods", {"工作表": ods_row(cell)})
    assert inspect_workbook(path) == (SheetInfo("工作表", 1, 1),)
    assert read_with_pandas(path)["工作表"].iat[0, 0] == "  王 小明\n第二行"


# --- refused .ods files ---------------------------------------------------------------------

ENTITY = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def laughs_in_content(path: Path) -> None:
    cell = '<table:table-cell office:value-type="string"><text:p>&lol9;</text:p></table:table-cell>'
    body = ods_content(ods_table("工作表", ods_row(cell))).split("?>", 1)[1]
    write_ods(path, content=hostile.BILLION_LAUGHS + body)


def dtd_in(part: str) -> Callable[[Path], object]:
    def write(path: Path) -> None:
        root = '<x xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">&e;</x>'
        if part == "META-INF/manifest.xml":
            write_ods(path, {"工作表": ""}, manifest=ENTITY + root)
        else:
            write_ods(path, {"工作表": ""}, extra={part: ENTITY + root})

    return write


def ratio_bomb(path: Path) -> None:
    write_ods(path, {"工作表": ""})
    data, crc = hostile.deflated_zeros(64 * hostile.MB)
    members = []
    with zipfile.ZipFile(path) as z:
        for item in z.infolist():
            raw = z.read(item)
            packer = hostile.zlib.compressobj(6, hostile.zlib.DEFLATED, -15)
            members.append(
                (item.filename, packer.compress(raw) + packer.flush(), item.CRC, len(raw))
            )
    members.append(("Thumbnails/thumbnail.png", data, crc, 64 * hostile.MB))
    hostile.write_raw_zip(path, members)


def deep_in_cell(path: Path) -> None:
    cell = "<table:table-cell>" + "<text:p>" * 5000 + "</text:p>" * 5000 + "</table:table-cell>"
    write_ods(path, {"工作表": ods_row(cell)})


def deep_in_styles_of_content(path: Path) -> None:
    styles = "<office:automatic-styles>" + "<x>" * 5000 + "</x>" * 5000
    content = ods_content(ods_table("工作表")).replace(
        "<office:automatic-styles/>", styles + "</office:automatic-styles>"
    )
    write_ods(path, content=content)


def far_row(path: Path) -> None:
    write_ods(
        path, {"人員名冊": ods_row(ods_cell(1)) + ods_row(E, 1_048_576) + ods_row(ods_cell(2))}
    )


def far_column(path: Path) -> None:
    write_ods(path, {"人員名冊": ods_row(ods_cell(None, 16_384) + ods_cell(1))})


def spaces_bomb(path: Path) -> None:
    cell = '<table:table-cell office:value-type="string"><text:p><text:s text:c="100000000"/></text:p></table:table-cell>'
    write_ods(path, {"人員名冊": ods_row(cell)})


def formula_bomb(path: Path) -> None:
    formula = "of:=" + "1+" * 500 + "1"
    cell = f'<table:table-cell table:formula="{formula}" table:number-columns-repeated="100"/>'
    write_ods(path, {"人員名冊": ods_row(cell, repeat=1000)})


def too_many_merges(path: Path) -> None:
    merged = ods_cell(1, attrs=' table:number-columns-spanned="2"') + "<table:covered-table-cell/>"
    write_ods(path, {"人員名冊": ods_row(merged, repeat=safety.MAX_MERGED + 1)})


def whole_grid_merge(path: Path) -> None:
    spans = ' table:number-rows-spanned="1048576" table:number-columns-spanned="16384"'
    write_ods(path, {"人員名冊": ods_row(ods_cell(1, attrs=spans))})


def many_big_sheets(path: Path) -> None:
    rows = ods_row(ods_cell(1, repeat=700), repeat=1000)  # 700,000 cells each
    write_ods(path, {f"S{i}": rows for i in range(3)})


def encrypted(path: Path) -> None:
    """An .ods saved with a password: its manifest says how each part is encrypted."""
    entries = (
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" '
        'manifest:size="4096"><manifest:encryption-data manifest:checksum-type="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA">'
        '<manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" '
        'manifest:initialisation-vector="AAAA"/><manifest:key-derivation manifest:key-derivation-'
        'name="PBKDF2" manifest:key-size="32" manifest:iteration-count="100000" manifest:salt='
        '"AAAA"/></manifest:encryption-data></manifest:file-entry>'
    )
    write_ods(path, content=os.urandom(4096), manifest=ods_manifest(entries))


def without(member: str) -> Callable[[Path], object]:
    def write(path: Path) -> None:
        write_ods(path.with_suffix(".full"), {"工作表": ods_row(ods_cell(1))})
        with zipfile.ZipFile(path.with_suffix(".full")) as src, zipfile.ZipFile(path, "w") as dst:
            for item in src.infolist():
                if item.filename != member:
                    dst.writestr(item.filename, src.read(item))

    return write


def with_rows(rows: str, name: str = "工作表") -> Callable[[Path], object]:
    return lambda path: write_ods(path, {name: rows})


REFUSED: dict[str, tuple[Callable[[Path], object], str, str]] = {
    "laughs-content": (laughs_in_content, "unsafe-content", ""),
    "dtd-content": (dtd_in("content.xml"), "unsafe-content", ""),
    "dtd-styles": (dtd_in("styles.xml"), "unsafe-content", ""),
    "dtd-meta": (dtd_in("meta.xml"), "unsafe-content", ""),
    "dtd-settings": (dtd_in("settings.xml"), "unsafe-content", ""),
    "dtd-manifest": (dtd_in("META-INF/manifest.xml"), "unsafe-content", ""),
    "zip-bomb": (hostile.ods_zip_bomb, "too-large", ""),
    "ratio-bomb": (ratio_bomb, "too-large", ""),
    "deep-in-cell": (deep_in_cell, "unsafe-content", ""),
    "deep-in-styles": (deep_in_styles_of_content, "unsafe-content", ""),
    "grid-bomb": (hostile.ods_grid_bomb, "huge-range", "人員名冊"),
    "far-row": (far_row, "huge-range", "人員名冊"),
    "far-column": (far_column, "huge-range", "人員名冊"),
    "stored-empties": (hostile.ods_stored_empties, "huge-range", "人員名冊"),
    "text-bomb": (hostile.ods_text_bomb, "too-large", ""),
    "spaces-bomb": (spaces_bomb, "too-large", ""),
    "formula-bomb": (formula_bomb, "too-large", ""),
    "too-many-merges": (too_many_merges, "huge-range", "人員名冊"),
    "whole-grid-merge": (whole_grid_merge, "huge-range", "人員名冊"),
    "workbook-cells": (many_big_sheets, "too-large", ""),
    "encrypted": (encrypted, "encrypted", ""),
    "odt": (lambda p: write_ods(p, mimetype="application/vnd.oasis.opendocument.text"), "not-a-workbook", ""),
    "ots": (
        lambda p: write_ods(p, {"工作表": ""}, mimetype=hostile.ODS_MIMETYPE + "-template"),
        "not-a-workbook",
        "",
    ),
    "no-content": (without("content.xml"), "corrupt", ""),
    "no-manifest": (without("META-INF/manifest.xml"), "corrupt", ""),
    "no-tables": (lambda p: write_ods(p, {}), "corrupt", ""),
    "malformed-xml": (lambda p: write_ods(p, content=ods_content(ods_table("工作表"))[:-30]), "corrupt", ""),
    "duplicate-sheets": (
        lambda p: write_ods(p, content=ods_content(ods_table("Sheet") + ods_table("sheet"))),
        "corrupt",
        "",
    ),
    "cell-in-cell": (with_rows(ods_row("<table:table-cell>" + ods_cell(1, 16_384) + "</table:table-cell>")), "corrupt", "工作表"),
    "text-in-row": (with_rows(ods_row(ods_cell(1) + "<text:p>x</text:p>")), "corrupt", "工作表"),
    "cell-outside-row": (with_rows(ods_cell(1)), "corrupt", "工作表"),
    "table-in-table": (with_rows(ods_table("內", ods_row(ods_cell(1)))), "corrupt", "工作表"),
    "bad-repeat": (with_rows(ods_row(ods_cell(1), "many")), "corrupt", "工作表"),
    "zero-rows": (with_rows(ods_row(E, 0) + ods_row(ods_cell(1))), "corrupt", "工作表"),
    "zero-cells": (with_rows(ods_row(ods_cell(1, 0) + ods_cell(2))), "corrupt", "工作表"),
    "with-xlsx-parts": (lambda p: write_ods(p, {"工作表": ""}, extra={"_rels/.rels": hostile.ROOT_RELS}), "corrupt", ""),
    "with-xlsb-parts": (lambda p: write_ods(p, {"工作表": ""}, extra={"xl/workbook.bin": b"\x83\x01\x00"}), "corrupt", ""),
}  # fmt: skip


@pytest.mark.parametrize("case", REFUSED)
def test_refused(tmp_path: Path, case: str) -> None:
    build_file, code, sheet = REFUSED[case]
    path = tmp_path / f"{case}.ods"
    build_file(path)
    with pytest.raises(Refused) as caught:
        inspect_workbook(path)
    assert (caught.value.code, caught.value.sheet) == (code, sheet), caught.value.detail
    assert caught.value.detail
    assert "{" not in str(caught.value)


def test_other_opendocument_files_are_named(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "說明.ods", mimetype="application/vnd.oasis.opendocument.text")
    with pytest.raises(Refused) as caught:
        inspect_workbook(path)
    assert caught.value.detail == "OpenDocument 文字文件（.odt）"
    assert "另存新檔」為 .xlsx 或 .ods" in caught.value.problem().hint


@pytest.mark.parametrize(
    "case",
    ["grid-bomb", "far-row", "stored-empties", "text-bomb", "spaces-bomb", "whole-grid-merge"],
)
def test_repeats_are_counted_not_expanded(tmp_path: Path, case: str) -> None:
    """A bomb of repeats is refused in milliseconds, the inspection allocating next to nothing."""
    REFUSED[case][0](path := tmp_path / f"{case}.ods")
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(Refused):
            inspect_workbook(path)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 2
    assert peak < 4 * hostile.MB


def test_a_grid_within_the_limits_passes(tmp_path: Path) -> None:
    """1,000 rows × 1,000 cells written as one repeated cell: exactly MAX_SHEET_CELLS."""
    path = hostile.ods_grid_bomb(tmp_path / "a.ods", rows=1000, cols=1000)
    assert inspect_workbook(path) == (SheetInfo("人員名冊", 1000, 1000),)


def test_scanning_has_a_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "MAX_XML_ELEMENTS", 1000)
    empties = ods_row(ods_cell(None, attrs=' table:style-name="ce1"') * 2) * 400
    with pytest.raises(Refused) as caught:
        inspect_workbook(write_ods(tmp_path / "a.ods", {"人員名冊": empties}))
    assert (caught.value.code, caught.value.sheet) == ("huge-range", "人員名冊")

    styles = "<office:automatic-styles>" + "<x/>" * 1001 + "</office:automatic-styles>"
    content = ods_content(ods_table("工作表")).replace("<office:automatic-styles/>", styles)
    with pytest.raises(Refused) as caught:
        inspect_workbook(write_ods(tmp_path / "b.ods", content=content))
    assert caught.value.code == "too-large"


def test_the_name_does_not_matter(tmp_path: Path) -> None:
    """calamine finds the kind of a workbook by its content, and so does the inspection."""
    path = libreoffice_like(tmp_path / "民政課.xlsx")
    assert [s.name for s in inspect_workbook(path)] == ["基本資料", "人員名冊", "培力紀錄"]
    assert read_workbook(path).info["year"] == 113


EDITS = [
    "<", ">", "/>", '"', "&", "&x;", "<!DOCTYPE x>", ":",
    "<table:table-cell>", "</table:table-cell>", "<table:table-row>", "</table:table-row>",
    '<table:table table:name="x">', "</table:table>", '<table:covered-table-cell/>',
    ' table:number-rows-repeated="99999999999999999999"', ' table:number-columns-repeated="0"',
    ' table:number-columns-repeated="+16384"', ' table:number-rows-spanned="1048577"',
    ' office:value-type="string"', ' office:value="1"', ' calcext:value-type="error"',
    ' table:formula="of:=1"', '<text:s text:c="99999999999"/>', "<text:p>", "\x00", "\ufeff",
    '<manifest:encryption-data/>', 'encoding="UTF-16"', 'encoding="x-unknown"',
]  # fmt: skip


@settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_damaged_parts_are_refused_or_pass(tmp_path: Path, data: st.DataObject) -> None:
    """Edits inside the XML parts reach the scan; still a result or Refused, never a crash."""
    normal = libreoffice_like(tmp_path / "normal.ods")
    with zipfile.ZipFile(normal) as z:
        parts = {item.filename: z.read(item) for item in z.infolist()}
    name = data.draw(st.sampled_from(["content.xml", "content.xml", "META-INF/manifest.xml"]))
    text = bytearray(parts[name])
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()):
            text[at:at] = data.draw(st.sampled_from(EDITS)).encode()
        else:
            del text[at : at + data.draw(st.integers(1, 40))]
    parts[name] = bytes(text)
    path = tmp_path / "edited.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for member, content in parts.items():
            z.writestr(member, content)
    try:
        inspect_workbook(path)
    except Refused as e:
        assert e.code in CATALOGUE


# --- reading ----------------------------------------------------------------------------------


def ods_workbook(path: Path, rows: dict[str, list[list[object]]]) -> Path:
    """A standard workbook as an .ods: 基本資料, then each sheet's headers and `rows`.

    A value is a number, text, or ("date", "2024-03-05") for a date cell.
    """

    def cell(value: object) -> str:
        if isinstance(value, tuple):
            return date_cell(value[1])
        return ods_cell(value if isinstance(value, int | float | str) else None)

    info = [["機關名稱", "高雄市旗津區公所"], ["填報單位", "人事室"], ["年度", 113]]
    sheets = {"基本資料": "".join(ods_row(cell(k) + cell(v)) for k, v in info)}
    for name, sheet_rows in rows.items():
        header = "".join(ods_cell(h) for h in SHEETS_BY_NAME[name].headers)
        sheets[name] = ods_row(header) + "".join(
            ods_row("".join(cell(v) for v in row)) for row in sheet_rows
        )
    return write_ods(path, sheets)


def test_an_ods_workbook_reads_and_checks_like_the_xlsx(
    tmp_path: Path, make_workbook, valid_rows
) -> None:
    ods = ods_workbook(tmp_path / "人事室.ods", valid_rows)
    xlsx = read_workbook(make_workbook(valid_rows))
    raw = read_workbook(ods)
    assert raw.info == {k: v for k, v in xlsx.info.items() if k in raw.info}
    assert raw.sheets.keys() == {"roster", "training"}
    for key, data in raw.sheets.items():
        rows = [[(type(v), v) for v in r] for r in data.values]
        assert rows == [[(type(v), v) for v in r] for r in xlsx.sheets[key].values]
    assert check([ods], Config()).problems == []


def test_an_roc_date_that_libreoffice_took_for_a_date_is_read_as_typed(
    tmp_path: Path, valid_rows
) -> None:
    """LibreOffice in a Taiwanese locale stores 113/3/5, typed, as 5 March 113 (Julian)."""
    training = [list(r) for r in valid_rows["培力紀錄"]]
    training[0][4] = ("date", "0113-03-04")
    training[1][4] = ("date", "0112-02-28")  # 112/2/29 in the Julian calendar, a leap year
    path = ods_workbook(tmp_path / "人事室.ods", valid_rows | {"培力紀錄": training})
    grid = read_with_pandas(path)["培力紀錄"]
    assert grid.iat[1, 4].year == 113  # what calamine gives
    dates = read_workbook(path).sheets["training"].column("date")
    assert dates[:2] == ["113/3/5", "112/2/29"]
    problems = check([path], Config()).problems
    assert [(p.code, p.cell) for p in problems] == [("bad-date", "E3")]


soffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="需要 LibreOffice（soffice）才能另存活頁簿"
)


def convert(files: list[Path], out: Path, to: str, *extra: str) -> list[Path]:
    """Files saved by LibreOffice as `to` (e.g. "ods") into `out`."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(out / 'profile').as_uri()}",
            "--headless",
            *extra,
            "--convert-to",
            to,
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return [out / f.with_suffix("." + to.split(":")[0]).name for f in files]


@pytest.fixture(scope="module")
def samples_as_ods(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """input_samples/ saved as .ods by LibreOffice, once."""
    out = tmp_path_factory.mktemp("ods")
    samples = sorted(SAMPLES.glob("*.xlsx"))
    assert all(p.is_file() for p in convert(samples, out, "ods"))
    shutil.rmtree(out / "profile", ignore_errors=True)
    for sent_as_ods in SAMPLES.glob("*.ods"):
        shutil.copy(sent_as_ods, out)
    return out


@pytest.mark.slow
@soffice
def test_samples_saved_as_ods_read_the_same_raw_values(samples_as_ods: Path) -> None:
    for xlsx in sorted(SAMPLES.glob("*.xlsx")):
        ods = samples_as_ods / xlsx.with_suffix(".ods").name
        sheets = inspect_workbook(ods)
        assert [(s.name, s.rows, s.cols, sorted(s.merged), s.errors) for s in sheets] == [
            (s.name, s.rows, s.cols, sorted(s.merged), s.errors) for s in inspect_workbook(xlsx)
        ]
        assert_matches_pandas(ods, sheets)
        a, b = read_workbook(xlsx), read_workbook(ods)
        assert (b.info, b.info_cells, b.unread_rows) == (a.info, a.info_cells, a.unread_rows)
        assert [(p.code, p.sheet, p.cell) for p in b.problems] == [
            (p.code, p.sheet, p.cell) for p in a.problems
        ]
        assert b.sheets.keys() == a.sheets.keys()
        for key, data in a.sheets.items():
            assert b.sheets[key].rows == data.rows
            for x, y in zip(b.sheets[key].values, data.values, strict=True):
                assert [(type(v), v) for v in x] == [(type(v), v) for v in y]


@pytest.mark.slow
@soffice
def test_samples_saved_as_ods_give_identical_figures(samples_as_ods, samples_build, tmp_path):
    figures = build(samples_as_ods, tmp_path / "out", Config()).figures

    def renamed(figures: object) -> object:
        shown = json.loads(json.dumps(figures, ensure_ascii=False).replace(".ods", ".xlsx"))
        del shown["built_at"]  # when it was built
        return shown

    assert renamed(figures) == renamed(samples_build.outcome.figures)


@pytest.mark.slow
@soffice
def test_roc_dates_typed_in_a_taiwanese_libreoffice_are_read_as_typed(tmp_path: Path) -> None:
    """A CSV import in the zh-TW locale recognises dates as typing in a cell does."""
    csv = tmp_path / "基本資料.csv"
    csv.write_text("年度,113\n填報日期,113/3/5\n", encoding="utf-8")
    taiwan = "--infilter=CSV Text - txt - csv (StarCalc):44,34,76,1,,1028,false,true"
    (ods,) = convert([csv], tmp_path, "ods", taiwan)
    (grid,) = read_with_pandas(ods).values()
    assert grid.iat[1, 1].year == 113  # LibreOffice's date
    assert read_workbook(ods).info["filed_on"] == "113/3/5"
