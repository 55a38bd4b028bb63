"""What systems and copy-paste put in cells (SPEC §2 ◆), handled without loss: formulas
without their results, text pasted from Word, invisible characters, sheet names that
collide once spaces and full-width forms are ignored."""

from __future__ import annotations

import json
import os
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gmreport.config import Config
from gmreport.pipeline import build, check
from gmreport.read import read_workbook
from gmreport.safety import inspect_workbook
from gmreport.schema import INFO_FIELDS, SHEETS, SHEETS_BY_NAME

from .conftest import gathered, write
from .hostile import ods_cell, ods_row, write_ods
from .test_opendocument import convert, soffice

CEDAW = ["座談", "113/5/5", "村里長", "實體活動", "綜合", 10, 8, 0]


def codes(problems) -> list[tuple[str, str, str]]:
    return sorted((p.code, p.sheet, p.cell) for p in problems)


# --- Formulas without their results --------------------------------------------------------


def test_a_formula_without_its_result_is_an_error_naming_the_cell(make_workbook, valid_rows):
    rows = valid_rows | {"CEDAW宣導": [CEDAW, [*CEDAW[:5], "=10+8", 4, 0]]}
    rows["培力紀錄"][1][5] = "=3+3"  # 李美玲's 6 hours, as a script writes them
    path = make_workbook(rows)
    outcome = gathered(path.parent, draft=True)
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


# --- Sheets whose names collide -------------------------------------------------------------


def _copy_sheet_as(name: str, rows: list[list[object]] | None = None):
    def edit(wb):
        ws = wb.copy_worksheet(wb["CEDAW宣導"])
        ws.title = name
        for i, row in enumerate(rows or []):
            for j, value in enumerate(row):
                ws.cell(3 + i, j + 1, value)

    return edit


@pytest.mark.parametrize(
    "twin",
    # (「cedaw宣導」 beside 「CEDAW宣導」 Excel itself refuses: its sheet names ignore case.)
    ["CEDAW 宣導", "ＣＥＤＡＷ宣導", "Cedaw 宣導", "CEDAW\u200b宣導", " CEDAW宣導 ", "CEDAW　宣導"],
)
def test_two_sheets_of_one_name_once_spaces_and_forms_are_ignored_are_both_named(
    make_workbook, valid_rows, twin
):
    second = [["村里座談", "113/6/5", "村里長", "實體活動", "綜合", 1, 2, 0]]
    path = make_workbook(valid_rows | {"CEDAW宣導": [CEDAW]}, edit=_copy_sheet_as(twin, second))
    outcome = gathered(path.parent, draft=True)
    [clash] = [p for p in outcome.problems if p.code == "duplicate-sheet"]
    assert clash.is_error and clash.sheet == twin
    assert "CEDAW宣導" in clash.message and twin in clash.message
    figures = outcome.figures
    assert figures is not None
    # The contract's own spelling is read; the other's row is counted as read, not counted.
    assert figures["cedaw"]["sessions"] == 1
    by_sheet = {s["sheet"]: s for s in figures["rows"]["by_sheet"]}
    assert by_sheet[twin]["read"] == by_sheet[twin]["excluded"] == len(second)


def test_an_empty_twin_sheet_loses_nothing(make_workbook, valid_rows):
    def twin(wb):
        wb.create_sheet("CEDAW 宣導")

    path = make_workbook(valid_rows | {"CEDAW宣導": [CEDAW]}, edit=twin)
    assert check([path], Config()).problems == []


def test_the_twin_with_data_is_read_when_the_contract_spelling_is_empty(make_workbook, valid_rows):
    def move(wb):
        wb["CEDAW宣導"].title = "CEDAW 宣導"
        wb.create_sheet("CEDAW宣導")

    path = make_workbook(valid_rows | {"CEDAW宣導": [CEDAW]}, edit=move)
    assert check([path], Config()).problems == []
    assert len(read_workbook(path).sheets["cedaw"].rows) == 1


FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in map(chr, range(0x21, 0x7F))}


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from([s.name for s in SHEETS]),
    st.lists(st.sampled_from(["space", "full", "case", "invisible", "ideographic"]), max_size=4),
    st.randoms(use_true_random=False),
)
def test_a_sheet_name_as_typed_matches_its_contract_name(name, changes, random):
    from gmreport.read import _KNOWN, _sheet_name

    typed = list(name)
    for change in changes:
        i = random.randrange(len(typed) + 1)
        if change == "space":
            typed.insert(i, " ")
        elif change == "ideographic":
            typed.insert(i, "\u3000")
        elif change == "invisible":
            typed.insert(
                i, random.choice(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\xad"])
            )
        else:
            typed = [(FULL_WIDTH.get(c, c) if change == "full" else c.swapcase()) for c in typed]
    assert _KNOWN.get(_sheet_name("".join(typed))) == name


# --- Invisible characters in names and choices ---------------------------------------------

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\xad", "\u200e"]


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet=st.characters(whitelist_categories=("Lo",)), min_size=1, max_size=5),
    st.lists(st.tuples(st.integers(0, 5), st.sampled_from(INVISIBLE)), max_size=4),
)
def test_invisible_characters_never_make_one_name_two(name, inserts):
    from gmreport import cells

    typed = name
    for i, ch in inserts:
        typed = typed[:i] + ch + typed[i:]
    assert cells.name(typed) == cells.name(name)


def test_a_zero_width_space_does_not_split_a_transferred_person(
    make_workbook, valid_rows, tmp_path
):
    folder = tmp_path / "in"
    make_workbook(valid_rows, folder=folder, unit="人事室")
    moved = [["王\u200b小明", "男", "公務人員", "是", "否", "40-49歲", "113/1/1", "113/6/30"]]
    make_workbook({"人員名冊": moved}, folder=folder, unit="民政課")
    outcome = gathered(folder)
    [transfer] = [p for p in outcome.problems if p.code == "transfer"]
    assert "民政課" in transfer.message and "人事室" in transfer.message
    figures = outcome.figures
    assert figures is not None
    assert figures["training"]["groups"]["all"]["required"]["total"] == len(valid_rows["人員名冊"])


@pytest.mark.parametrize("mark", INVISIBLE)
def test_a_trainee_with_an_invisible_character_is_on_the_roster(make_workbook, valid_rows, mark):
    rows = {k: [list(r) for r in v] for k, v in valid_rows.items()}
    rows["培力紀錄"][1][0] = "李美" + mark + "玲"
    rows["人員名冊"][2][1] = "男" + mark  # a choice too
    rows["培力紀錄"][0][3] = mark + "實體"
    assert check([make_workbook(rows)], Config()).problems == []


# --- Text pasted from Word, and control characters ------------------------------------------


def _run(*argv: object) -> int:
    from gmreport.cli import main

    return main([str(a) for a in argv])


def _texts(path: Path) -> list[str]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return [
            v
            for ws in workbook.worksheets
            for row in ws.iter_rows(values_only=True)
            for v in row
            if isinstance(v, str)
        ]
    finally:
        workbook.close()


def test_text_pasted_from_word_is_kept_with_its_line_breaks_in_every_output(
    make_workbook, valid_rows, tmp_path
):
    from docx import Document

    rows = {k: [list(r) for r in v] for k, v in valid_rows.items()}
    rows["CEDAW宣導"] = [["村里座談_x000B_第二場", *CEDAW[1:], None, "否", "說明_x0007__x001B_完"]]
    rows["執行成果說明"] = [["性別意識培力", "辦理_x000B_情形_x000C_如下\r\n完", "檢討_x0001_"]]
    rows["人員名冊"][2][0] = "陳志強_x0002_"  # a name pasted with a control character
    rows["培力紀錄"][2][0] = "陳志強"
    rows["培力紀錄"][2][5] = 1  # short of his hours: named in the 待補訓名單
    folder = tmp_path / "in"
    make_workbook(rows, folder=folder)
    out = tmp_path / "out"
    assert _run("check", folder) == 0
    assert _run("build", "--input", folder, "--output", out) == 0
    figures = json.loads((out / "113年度統計數據.json").read_text("utf-8"))
    assert [c["name"] for c in figures["cedaw"]["list"]] == ["村里座談\n第二場"]
    narrative = json.dumps(figures["narratives"], ensure_ascii=False)
    assert "辦理\\n情形\\n如下\\n完" in narrative and "\x01" not in narrative
    statistics = _texts(out / "113年度性別主流化統計總表.xlsx")
    assert "村里座談\n第二場" in statistics
    problems = _texts(out / "113年度填報檢核結果.xlsx")
    assert "陳志強" in problems
    report = "\n".join(
        p.text for p in Document(out / "113年度性別主流化執行成果報告.docx").paragraphs
    )
    assert "辦理\n情形\n如下\n完" in report


@pytest.mark.skipif(os.name == "nt", reason="Windows file names cannot hold control characters")
def test_a_file_name_with_a_control_character_is_named_without_it(
    make_workbook, valid_rows, tmp_path
):
    folder = tmp_path / "in"
    path = make_workbook(valid_rows | {"CEDAW宣導": [[*CEDAW[:5], "十", 1, 0]]}, folder=folder)
    path.rename(folder / "人事室\x01\x1b[31m.xlsx")
    out = tmp_path / "out"
    assert _run("build", "--input", folder, "--output", out, "--draft") == 1
    assert "人事室[31m.xlsx" in _texts(out / "113年度填報檢核結果.xlsx")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_made_writable_can_be_written_to_xlsx_and_docx(value):
    from xml.sax.saxutils import escape

    from lxml import etree
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from gmreport.format import writable

    shown = writable(value)
    assert not ILLEGAL_CHARACTERS_RE.search(shown)
    etree.fromstring(f"<t>{escape(shown)}</t>".encode())
    assert writable(shown) == shown
    # Nothing a person can see is lost: only controls and lone surrogates go.
    kept = [c for c in value if (c.isprintable() and not "\ud800" <= c <= "\udfff") or c in "\t\n"]
    assert all(c in shown for c in kept if c not in "\ufffe\uffff\x85")


# --- Numbers and dates bounded before arithmetic -------------------------------------------

BUDGET = ["課程", "計畫類", 600000, 580000, 20, 180, 0]


@pytest.mark.parametrize(
    ("sheet", "row", "code"),
    [
        ("性別預算", ["計畫", "計畫類", 1e-300, 5, 1, 2, 0], "number-too-small"),
        ("性別預算", ["計畫", "計畫類", 5, 1e-300, 1, 2, 0], "number-too-small"),
        ("性別預算", ["計畫", "計畫類", 0.001, 0, 1, 2, 0], "number-too-small"),
        ("培力紀錄", ["王小明", "課", "CEDAW", "實體", "113/3/5", 1e-300], "hours-out-of-range"),
        ("CEDAW宣導", [*CEDAW, 1e-300], "not-whole"),
    ],
)
def test_a_vanishing_number_is_an_error_and_the_build_ends(
    make_workbook, valid_rows, tmp_path, sheet, row, code
):
    rows = {k: [list(r) for r in v] for k, v in valid_rows.items()}
    rows["性別預算"] = [BUDGET]
    rows[sheet] = [*rows.get(sheet, []), row]
    folder = tmp_path / "in"
    make_workbook(rows, folder=folder)
    outcome = build(folder, tmp_path / "out", Config(), draft=True)
    assert [p.code for p in outcome.problems if p.is_error] == [code]
    figures = outcome.figures
    assert figures is not None
    assert figures["budget"]["allocated"] == BUDGET[2]
    assert (tmp_path / "out" / "113年度性別主流化執行成果報告.docx").is_file()


@pytest.mark.parametrize("end", ["9999/12/31", date(9999, 12, 31), "0114/12/31"])
def test_a_transferred_person_on_leave_until_a_system_s_no_end(
    make_workbook, valid_rows, tmp_path, end
):
    folder = tmp_path / "in"
    first = [list(r) + [None] * 4 for r in valid_rows["人員名冊"]]
    first[0][6:10] = ["113/1/1", "113/6/30", "113/2/1", end]
    make_workbook({**valid_rows, "人員名冊": first}, folder=folder)
    moved = [["王小明", "男", "公務人員", "是", "否", "40-49歲", "113/7/1", None, "113/7/1", end]]
    make_workbook({"人員名冊": moved}, folder=folder, unit="民政課")
    outcome = gathered(folder, draft=True)
    errors = [(p.code, p.cell) for p in outcome.problems if p.is_error]
    if isinstance(end, str) and end.startswith("0114"):
        assert errors == []  # 114/12/31: a real date, read as the ROC year it is
        figures = outcome.figures
        assert figures is not None
        # On leave all his time in service: not 應訓.
        assert figures["training"]["not_required"]["on_leave"] == 1
    else:
        assert sorted(errors) == [("date-out-of-range", "J3"), ("date-out-of-range", "J3")]
        [message] = {p.hint for p in outcome.problems if p.code == "date-out-of-range"}
        assert "留空" in message


def test_a_date_before_1900_in_an_xlsx_is_read_as_libreoffice_meant_it(make_workbook, valid_rows):
    # A zh-TW LibreOffice takes 113/3/5 typed in a cell for 5 March 113 (Julian), which an
    # .xlsx stores as a negative serial: days from 1899-12-30 to 0113-03-04 (Gregorian).
    serial = (date(113, 3, 4) - date(1899, 12, 30)).days

    def typed_in_libreoffice(wb):
        cell = wb["培力紀錄"]["E3"]
        cell.value = serial
        cell.number_format = "yyyy/m/d"

    path = make_workbook(valid_rows, edit=typed_in_libreoffice)
    assert check([path], Config()).problems == []
    assert read_workbook(path).sheets["training"].values[0][4] == "113/3/5"


def test_a_date_cell_of_serial_0_is_named_not_shown_as_a_time(make_workbook, valid_rows):
    def zero(wb):
        cell = wb["培力紀錄"]["E3"]
        cell.value = 0
        cell.number_format = "yyyy/m/d"

    [problem] = check([make_workbook(valid_rows, edit=zero)], Config()).problems
    assert (problem.code, problem.cell) == ("bad-date", "E3")


@pytest.mark.slow
@soffice
def test_a_libreoffice_xlsx_of_typed_roc_dates_reads_like_its_ods(tmp_path):
    from gmreport.read import read_grids

    # What a zh-TW LibreOffice makes of 113/3/5 typed in a cell (locale 1028 = zh-TW).
    typed = write(tmp_path, "名冊.csv", "姓名,上課日期\n王小明,113/3/5\n李美玲,113年12月31日\n")
    zh_tw = "--infilter=CSV:44,34,76,1,,1028"
    for suffix in ("xlsx", "ods"):
        [saved] = convert([typed], tmp_path / suffix, suffix, zh_tw)
        [grid] = read_grids(saved).values()
        assert [row[1] for row in grid[1:]] == ["113/3/5", "113/12/31"], saved
