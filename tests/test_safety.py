"""gmreport.safety: hostile and broken files are refused with the right code, fast."""

from __future__ import annotations

import os
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gmreport import safety
from gmreport.problems import CATALOGUE
from gmreport.safety import Refused, SheetInfo, inspect_workbook
from tests import hostile
from tests.hostile import MB, sheet_xml, write_package, write_raw_zip


def read_with_pandas(path: Path) -> dict[str, pd.DataFrame]:
    return pd.read_excel(path, sheet_name=None, header=None, engine="calamine", dtype=object)


@pytest.fixture
def normal(tmp_path: Path) -> Path:
    """A workbook as openpyxl writes it: a key/value sheet, a table with merges, an empty sheet."""
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "基本資料"
    for key, value in [("機關名稱", "高雄市旗津區公所"), ("填報單位", "民政課"), ("年度", 113)]:
        info.append([key, value])
    roster = wb.create_sheet("人員名冊")
    roster.append(["人員名冊（本年度在職人員，每人一列）"])
    roster.append(["姓名", "性別", "人員類別", "主管", "性別業務承辦人", "年齡層", "到職日期"])
    for i in range(1, 41):
        roster.append([f"王小明{i}", "男", "公務人員", "否", "否", "30-39歲", "113/3/5"])
    roster["I42"] = "備註"
    roster.merge_cells("A1:G1")
    roster.merge_cells("C5:C7")
    wb.create_sheet("培力紀錄")
    path = tmp_path / "民政課.xlsx"
    wb.save(path)
    return path


def test_normal_workbook_passes(normal: Path) -> None:
    info, roster, empty = inspect_workbook(normal)
    assert info == SheetInfo("基本資料", 3, 2, ())
    assert (roster.name, roster.rows, roster.cols) == ("人員名冊", 42, 9)
    assert sorted(roster.merged) == ["A1:G1", "C5:C7"]
    assert empty == SheetInfo("培力紀錄", 0, 0, ())


def test_passing_workbook_is_readable_by_pandas(normal: Path) -> None:
    sheets = inspect_workbook(normal)
    frames = read_with_pandas(normal)
    assert list(frames) == [s.name for s in sheets]
    for s in sheets:
        assert frames[s.name].shape == ((s.rows, s.cols) if s.rows else (0, 0))


SAMPLES = sorted((Path(__file__).parent.parent / "input_samples").glob("*/*.xlsx"))


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_samples_pass_and_match_pandas(sample: Path) -> None:
    sheets = inspect_workbook(sample)
    frames = read_with_pandas(sample)
    assert list(frames) == [s.name for s in sheets]
    for s in sheets:
        assert frames[s.name].shape == ((s.rows, s.cols) if s.rows else (0, 0))


def test_thousand_rows_inspect_quickly(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(1000):
        ws.append([f"王小明{i}", "男", "公務人員", "否", "否", "30-39歲", "113/3/5", i * 1.5] * 2)
    wb.save(tmp_path / "big.xlsx")
    started = time.perf_counter()
    assert inspect_workbook(tmp_path / "big.xlsx")[0].rows == 1000
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize(
    ("rows", "shape"),
    [
        # rows and cells without r are placed one after the other, as calamine does
        ("<row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>", (2, 2)),
        (
            '<row r="3"><c r="B3"><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>',
            (4, 3),
        ),
        # cells without a value (only a style) are not data, wherever they are
        ('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576" s="1"/></row>', (1, 1)),
        ('<row r="2"><c r="c2" t="inlineStr"><is><t>小寫</t></is></c></row>', (2, 3)),
    ],
)
def test_used_range_matches_calamine(tmp_path: Path, rows: str, shape: tuple[int, int]) -> None:
    path = write_package(tmp_path / "a.xlsx", {"工作表": sheet_xml(rows)})
    (info,) = inspect_workbook(path)
    assert (info.rows, info.cols) == shape
    assert read_with_pandas(path)["工作表"].shape == shape


def test_namespace_prefixes_and_chart_sheets(tmp_path: Path) -> None:
    prefixed = (
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:sheetData><x:row r="5"><x:c r="D5"><x:v>1</x:v></x:c></x:row></x:sheetData>'
        '<x:mergeCells count="1"><x:mergeCell ref="A1:B2"/></x:mergeCells></x:worksheet>'
    )
    path = write_package(tmp_path / "a.xlsx", {"資料": prefixed})
    assert inspect_workbook(path) == (SheetInfo("資料", 5, 4, ("A1:B2",)),)
    assert read_with_pandas(path)["資料"].shape == (5, 4)

    wb = openpyxl.Workbook()
    wb.active.append([1, 2])
    wb.create_chartsheet("圖表")
    wb.save(tmp_path / "chart.xlsx")
    assert [s.name for s in inspect_workbook(tmp_path / "chart.xlsx")] == ["Sheet"]
    assert list(read_with_pandas(tmp_path / "chart.xlsx")) == ["Sheet"]


@pytest.mark.parametrize(
    "extra",
    [
        {"docProps/custom.xml": ""},  # an empty part nobody reads
        {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros are never run"},
        {"xl/media/image1.png": os.urandom(64 * 1024)},
        {"customXml/item1.xml": '<?xml version="1.0" encoding="UTF-8"?><b:Sources xmlns:b="x"/>'},
    ],
)
def test_harmless_extras_pass(tmp_path: Path, extra: dict[str, str | bytes]) -> None:
    body = '<row r="1"><c r="A1"><v>1</v></c></row>'
    path = write_package(tmp_path / "a.xlsx", {"工作表": sheet_xml(body)}, extra=extra)
    assert inspect_workbook(path) == (SheetInfo("工作表", 1, 1, ()),)
    assert read_with_pandas(path)["工作表"].shape == (1, 1)


def test_bom_and_windows_line_ends_pass(tmp_path: Path) -> None:
    xml = "\ufeff" + sheet_xml('<row r="2">\r\n<c r="B2"><v>1</v></c></row>').replace(
        "><", ">\r\n<"
    )
    path = write_package(tmp_path / "a.xlsx", {"工作表": xml.encode("utf-8")})
    assert inspect_workbook(path) == (SheetInfo("工作表", 2, 2, ()),)
    assert read_with_pandas(path)["工作表"].shape == (2, 2)


MACRO_CONTENT_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def macro_enabled(xlsx: Path, path: Path | None = None) -> Path:
    """The workbook saved as Excel does with macros: .xlsm, its own content type, a VBA part."""
    path = path or xlsx.with_suffix(".xlsm")
    vba = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
    with zipfile.ZipFile(xlsx) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    MACRO_CONTENT_TYPE.encode(),
                ).replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                    b"</Types>",
                )
                assert MACRO_CONTENT_TYPE.encode() in data
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rIdVba" Type="{vba}" Target="vbaProject.bin"/>'
                    "</Relationships>".encode(),
                )
            dst.writestr(item.filename, data)
        hostile_macro = b'Sub Auto_Open()\r\n  Shell "calc.exe"\r\nEnd Sub\r\n' * 100
        dst.writestr("xl/vbaProject.bin", hostile.write_cfb_bytes({"VBA": hostile_macro}))
    return path


def test_xlsm_is_inspected_and_read_like_xlsx(normal: Path) -> None:
    xlsm = macro_enabled(normal)
    assert inspect_workbook(xlsm) == inspect_workbook(normal)
    a, b = read_with_pandas(normal), read_with_pandas(xlsm)
    assert a.keys() == b.keys()
    for name, frame in a.items():
        assert b[name].equals(frame)


# --- builders of refused files -------------------------------------------------------------


def text_file(path: Path) -> None:
    path.write_text("姓名,性別\n王小明,男\n", encoding="utf-8")


def big5_text(path: Path) -> None:
    path.write_bytes("姓名,性別\r\n王小明,男\r\n".encode("cp950"))


def html_table(path: Path) -> None:
    path.write_text("<html><body><table><tr><td>姓名</td></tr></table></body></html>")


def empty_file(path: Path) -> None:
    path.write_bytes(b"")


def random_bytes(path: Path) -> None:
    path.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(5000)))


def legacy_xls(path: Path) -> None:
    hostile.write_cfb(path, {"Workbook": b"\x09\x08" * 3000, "\x05SummaryInformation": bytes(4096)})


def word_doc(path: Path) -> None:
    hostile.write_cfb(path, {"WordDocument": bytes(5000)})


def encrypted(path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_package(path.with_suffix(".plain"), {"工作表": sheet_xml()})
    with open(plain, "rb") as source, open(path, "wb") as out:
        OOXMLFile(source).encrypt("密碼", out)


def truncated(path: Path) -> None:
    write_package(path, {"工作表": sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>' * 50)})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])


def bad_crc(path: Path) -> None:
    write_package(path, {"工作表": sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')})
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    entry = data.rindex(b"PK\x01\x02", 0, data.rindex(name))  # its central directory entry
    data[entry + 16] ^= 0xFF
    path.write_bytes(bytes(data))


def docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", hostile.CONTENT_TYPES)
        z.writestr("word/document.xml", "<document/>")


def plain_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("照片.txt", "x")


def xlsb(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")


def no_workbook_rels(path: Path) -> None:
    write_package(path, {"工作表": sheet_xml()})
    rebuilt = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(rebuilt, "w") as dst:
        for item in src.infolist():
            if item.filename != "xl/_rels/workbook.xml.rels":
                dst.writestr(item, src.read(item))
    rebuilt.replace(path)


def missing_sheet_part(path: Path) -> None:
    write_package(path, {"工作表": sheet_xml()})
    rebuilt = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(rebuilt, "w") as dst:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, src.read(item))
    rebuilt.replace(path)


def malformed_sheet(path: Path) -> None:
    write_package(path, {"工作表": sheet_xml("<row><c><v>1</v></row>")})


def bad_cell_ref(path: Path) -> None:
    write_package(path, {"工作表": sheet_xml('<row r="1"><c r="$A$1"><v>1</v></c></row>')})


def duplicate_member(path: Path) -> None:
    write_package(path, {"工作表": sheet_xml()})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name it writes
        with zipfile.ZipFile(path, "a") as z:
            z.writestr(
                "xl/worksheets/sheet1.xml", sheet_xml('<row r="9"><c r="Z9"><v>1</v></c></row>')
            )


def zip_encrypted_member(path: Path) -> None:
    write_package(path, {"工作表": sheet_xml()})
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")
    data[entry + 8] |= 0x1
    path.write_bytes(bytes(data))


def ratio_bomb(path: Path) -> None:
    data, crc = hostile.deflated_zeros(64 * MB)
    write_raw_zip(path, [("xl/media/image1.png", data, crc, 64 * MB)])


def total_too_large(path: Path) -> None:
    filler = os.urandom(MB + MB // 4)  # keeps each member's ratio under the limit
    write_raw_zip(path, [(f"xl/media/image{i}.png", filler, 0, 200 * MB) for i in range(3)])


def many_members(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        for i in range(safety.MAX_MEMBERS + 1):
            z.writestr(f"xl/media/{i}.png", b"")


def oversized_file(path: Path) -> None:
    with open(path, "wb") as f:
        f.write(b"PK\x03\x04")
        f.truncate(safety.MAX_FILE_BYTES + 1)


def laughs_in_sheet(path: Path) -> None:
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    body = sheet_xml(rows).split("?>", 1)[1]
    write_package(path, {"工作表": hostile.BILLION_LAUGHS + body})


def laughs_in_utf16(path: Path) -> None:
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    text = hostile.BILLION_LAUGHS.replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    body = sheet_xml(rows).split("?>", 1)[1]
    write_package(path, {"工作表": (text + body).encode("utf-16")})


def dtd_in_core_properties(path: Path) -> None:
    core = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    write_package(path, {"工作表": sheet_xml()}, extra={"docProps/core.xml": core})


def dtd_in_workbook(path: Path) -> None:
    write_package(path, {"工作表": sheet_xml()})
    rebuilt = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(rebuilt, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b"?>", b"?><!DOCTYPE workbook>", 1)
            dst.writestr(item, data)
    rebuilt.replace(path)


def overlong_tag(path: Path) -> None:
    rows = f'<row r="1"><c r="A1" x="{"x" * (safety.MAX_TAG_BYTES + MB)}"><v>1</v></c></row>'
    write_package(path, {"工作表": sheet_xml(rows)})


def huge_unique_count(path: Path) -> None:
    sst = '<sst xmlns="x" count="1" uniqueCount="4294967295"><si><t>甲</t></si></sst>'
    write_package(
        path,
        {"工作表": sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')},
        shared_strings=sst,
    )


def beyond_grid(path: Path) -> None:
    write_package(
        path, {"人員名冊": sheet_xml('<row r="1048577"><c r="A1048577"><v>1</v></c></row>')}
    )


def positional_spread(path: Path) -> None:
    rows = '<row r="1000">' + "<c><v>1</v></c>" * 3000 + "</row>"
    write_package(path, {"人員名冊": sheet_xml(rows)})


def whole_grid_merge(path: Path) -> None:
    after = '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    write_package(path, {"人員名冊": sheet_xml(after=after)})


def too_many_merges(path: Path) -> None:
    merges = "".join(
        f'<mergeCell ref="A{2 * i + 1}:B{2 * i + 1}"/>' for i in range(safety.MAX_MERGED + 1)
    )
    write_package(path, {"人員名冊": sheet_xml(after=f"<mergeCells>{merges}</mergeCells>")})


def many_big_sheets(path: Path) -> None:
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1000"><c r="ZX1000"><v>1</v></c></row>'
    write_package(path, {f"S{i}": sheet_xml(rows) for i in range(3)})  # 3 × 700,000 cells


def workbook_elsewhere(path: Path) -> None:
    """_rels/.rels sends calamine to a second workbook in another folder than xl/."""
    write_package(path.with_suffix(".plain"), {"工作表": sheet_xml()})
    far = '<row r="1"><c r="A1"><v>1</v></c></row><row r="900"><c r="ZZ900"><v>2</v></c></row>'
    with zipfile.ZipFile(path.with_suffix(".plain")) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "_rels/.rels":
                data = data.replace(b'Target="xl/workbook.xml"', b'Target="other/workbook.xml"')
            dst.writestr(item.filename, data)
            if item.filename.startswith("xl/") and "worksheets" not in item.filename:
                dst.writestr("other/" + item.filename[3:], data)
        dst.writestr("other/worksheets/sheet1.xml", sheet_xml(far))


def with_part(name: str, data: str | bytes) -> Callable[[Path], object]:
    def write(path: Path) -> None:
        write_package(path, {"工作表": sheet_xml()}, extra={name: data})

    return write


REFUSED: dict[str, tuple[Callable[[Path], object], str, str]] = {
    "text": (text_file, "not-a-workbook", ""),
    "big5-csv": (big5_text, "not-a-workbook", ""),
    "html": (html_table, "not-a-workbook", ""),
    "empty": (empty_file, "not-a-workbook", ""),
    "random": (random_bytes, "not-a-workbook", ""),
    "xls": (legacy_xls, "legacy-xls", ""),
    "doc": (word_doc, "not-a-workbook", ""),
    "encrypted": (encrypted, "encrypted", ""),
    "truncated": (truncated, "corrupt", ""),
    "bad-crc": (bad_crc, "corrupt", ""),
    "docx": (docx, "not-a-workbook", ""),
    "zip": (plain_zip, "not-a-workbook", ""),
    "xlsb": (xlsb, "not-a-workbook", ""),
    "no-rels": (no_workbook_rels, "corrupt", ""),
    "no-sheet-part": (missing_sheet_part, "corrupt", ""),
    "malformed-xml": (malformed_sheet, "corrupt", ""),
    "bad-cell-ref": (bad_cell_ref, "corrupt", "工作表"),
    "duplicate-member": (duplicate_member, "corrupt", ""),
    "zip-password": (zip_encrypted_member, "encrypted", ""),
    "zip-bomb": (hostile.zip_bomb, "too-large", ""),
    "ratio-bomb": (ratio_bomb, "too-large", ""),
    "total-size": (total_too_large, "too-large", ""),
    "many-members": (many_members, "too-large", ""),
    "lying-size": (hostile.lying_size, "corrupt", ""),
    "file-size": (oversized_file, "too-large", ""),
    "unique-count": (huge_unique_count, "too-large", ""),
    "workbook-cells": (many_big_sheets, "too-large", ""),
    "laughs-sst": (hostile.laughs_in_shared_strings, "unsafe-content", ""),
    "laughs-sheet": (laughs_in_sheet, "unsafe-content", ""),
    "laughs-utf16": (laughs_in_utf16, "unsafe-content", ""),
    "dtd-docprops": (dtd_in_core_properties, "unsafe-content", ""),
    "dtd-workbook": (dtd_in_workbook, "unsafe-content", ""),
    "deep-nesting": (lambda path: hostile.deep_nesting(path, 5000), "unsafe-content", ""),
    "overlong-tag": (overlong_tag, "unsafe-content", ""),
    "dimension-bomb": (hostile.dimension_bomb, "huge-range", "人員名冊"),
    "far-cell": (hostile.far_cell, "huge-range", "人員名冊"),
    "beyond-grid": (beyond_grid, "huge-range", "人員名冊"),
    "positional-spread": (positional_spread, "huge-range", "人員名冊"),
    "whole-grid-merge": (whole_grid_merge, "huge-range", "人員名冊"),
    "too-many-merges": (too_many_merges, "huge-range", "人員名冊"),
    "workbook-elsewhere": (workbook_elsewhere, "corrupt", ""),
    "with-xlsb-parts": (with_part("xl/workbook.bin", b"\x83\x01\x00"), "corrupt", ""),
    "with-ods-parts": (with_part("mimetype", hostile.ODS_MIMETYPE), "corrupt", ""),
}


@pytest.mark.parametrize("case", REFUSED)
def test_refused(tmp_path: Path, case: str) -> None:
    build, code, sheet = REFUSED[case]
    path = tmp_path / f"{case}.xlsx"
    build(path)
    with pytest.raises(Refused) as caught:
        inspect_workbook(path)
    assert (caught.value.code, caught.value.sheet) == (code, sheet)
    assert caught.value.detail
    assert "{" not in str(caught.value)


@pytest.mark.parametrize("suffix", [".xlsm", ".ods", ".dat"])
@pytest.mark.parametrize("case", REFUSED)
def test_refused_whatever_the_file_is_called(tmp_path: Path, case: str, suffix: str) -> None:
    """The kind of a file is found by its content (as calamine does): its name changes nothing."""
    build, code, sheet = REFUSED[case]
    path = tmp_path / f"{case}{suffix}"
    build(path)
    with pytest.raises(Refused) as caught:
        inspect_workbook(path)
    assert (caught.value.code, caught.value.sheet) == (code, sheet)


@pytest.mark.parametrize(
    "case", ["zip-bomb", "lying-size", "dimension-bomb", "far-cell", "laughs-sst", "deep-nesting"]
)
def test_hostile_files_are_refused_quickly(tmp_path: Path, case: str) -> None:
    build = REFUSED[case][0]
    build(path := tmp_path / f"{case}.xlsx")
    started = time.perf_counter()
    with pytest.raises(Refused):
        inspect_workbook(path)
    assert time.perf_counter() - started < 10


def test_scanning_has_a_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsing time is bounded: styled empty cells count too, though they are not data."""
    monkeypatch.setattr(safety, "MAX_XML_ELEMENTS", 1000)
    empties = "".join(
        f'<row r="{r}"><c r="A{r}" s="1"/><c r="B{r}" s="1"/></row>' for r in range(1, 400)
    )
    path = write_package(tmp_path / "a.xlsx", {"人員名冊": sheet_xml(empties)})
    with pytest.raises(Refused) as caught:
        inspect_workbook(path)
    assert (caught.value.code, caught.value.sheet) == ("huge-range", "人員名冊")

    styles = "<styleSheet>" + "<xf/>" * 1001 + "</styleSheet>"
    path = write_package(
        tmp_path / "b.xlsx", {"工作表": sheet_xml()}, extra={"xl/styles.xml": styles}
    )
    with pytest.raises(Refused) as caught:
        inspect_workbook(path)
    assert caught.value.code == "too-large"

    monkeypatch.setattr(safety, "MAX_SMALL_PART_ELEMENTS", 10)
    path = write_package(tmp_path / "c.xlsx", {f"S{i}": sheet_xml() for i in range(10)})
    with pytest.raises(Refused) as caught:
        inspect_workbook(path)
    assert caught.value.code == "too-large"


def test_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for path in (tmp_path / "不存在.xlsx", tmp_path):
        with pytest.raises(Refused) as caught:
            inspect_workbook(path)
        assert caught.value.code == "unreadable"

    def locked(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(safety, "open", locked, raising=False)
    with pytest.raises(Refused) as caught:
        inspect_workbook(tmp_path / "鎖定.xlsx")
    assert caught.value.code == "unreadable"
    assert "鎖定" in caught.value.detail


def test_refused_carries_its_message() -> None:
    refused = Refused("huge-range", "宣告範圍 A1:XFD1048576", "人員名冊")
    assert (
        str(refused) == "工作表「人員名冊」的使用範圍異常（宣告範圍 A1:XFD1048576），已拒絕讀取。"
    )
    assert refused.problem("民政課.xlsx").where == "民政課.xlsx › 人員名冊"
    with pytest.raises(ValueError):
        Refused("no-such-code")


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_damaged_files_are_refused_or_pass(normal: Path, data: st.DataObject) -> None:
    """Whatever damage a copy does, inspection answers with a result or Refused, never a crash."""
    original = normal.read_bytes()
    damaged = bytearray(original)
    if data.draw(st.booleans()):
        damaged = damaged[: data.draw(st.integers(0, len(original) - 1))]
    for _ in range(data.draw(st.integers(0, 8))):
        if damaged:
            at = data.draw(st.integers(0, len(damaged) - 1))
            damaged[at] = data.draw(st.integers(0, 255))
    path = normal.with_name("damaged.xlsx")
    path.write_bytes(bytes(damaged))
    try:
        inspect_workbook(path)
    except Refused as e:
        assert e.code in CATALOGUE


EDITS = [
    "<",
    ">",
    "/>",
    '"',
    "&",
    "&x;",
    "<!DOCTYPE x>",
    "<c>",
    '<c r="ZZZZ99999999">',
    "<v>1</v>",
    "</row>",
    "<row>",
    ":",
    'r="',
    "$",
    "\x00",
    "\ufeff",
    'Target="../x"',
    'uniqueCount="99999999999999999999"',
    '<dimension ref="A1:XFD1"/>',
    '<mergeCell ref="A1:"/>',
    'encoding="UTF-16"',
    'encoding="cp950"',
    'encoding="x-unknown"',
    "<x:c>",
]


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_damaged_parts_are_refused_or_pass(normal: Path, data: st.DataObject) -> None:
    """Edits inside the XML parts reach the parsers; still a result or Refused, never a crash."""
    with zipfile.ZipFile(normal) as z:
        parts = {item.filename: z.read(item) for item in z.infolist()}
    name = data.draw(st.sampled_from(sorted(n for n in parts if n.endswith((".xml", ".rels")))))
    text = bytearray(parts[name])
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()):
            text[at:at] = data.draw(st.sampled_from(EDITS)).encode()
        else:
            del text[at : at + data.draw(st.integers(1, 40))]
    parts[name] = bytes(text)
    path = normal.with_name("edited.xlsx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for member, content in parts.items():
            z.writestr(member, content)
    try:
        inspect_workbook(path)
    except Refused as e:
        assert e.code in CATALOGUE


def test_a_worksheet_filed_under_chartsheets_is_scanned_as_the_worksheet_calamine_reads(
    tmp_path: Path,
) -> None:
    """calamine takes a sheet's kind from its relationship, not its folder: a worksheet
    part moved to xl/chartsheets/ is read as a worksheet, so the gate scans it as one."""
    import python_calamine

    from gmreport.safety.container import check_members
    from gmreport.safety.xmlparts import workbook_parts

    plain = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "名冊"
    wb.active["A1"] = "王小明"
    wb.save(plain)
    moved = tmp_path / "moved.xlsx"
    with zipfile.ZipFile(plain) as z, zipfile.ZipFile(moved, "w") as out:
        for info in z.infolist():
            data = z.read(info).replace(b"worksheets/sheet1.xml", b"chartsheets/sheet1.xml")
            name = info.filename.replace("worksheets/sheet1.xml", "chartsheets/sheet1.xml")
            out.writestr(name, data)
    assert python_calamine.CalamineWorkbook.from_path(str(moved)).get_sheet_by_name(
        "名冊"
    ).to_python() == [["王小明"]]
    with zipfile.ZipFile(moved) as z:
        found = workbook_parts(z, check_members(z), safety.MAX_SMALL_PART_ELEMENTS)
    assert [(name, info.filename) for name, info in found.worksheets] == [
        ("名冊", "xl/chartsheets/sheet1.xml")
    ]
    assert found.other_sheets == []
    assert [s.name for s in inspect_workbook(moved)] == ["名冊"]
