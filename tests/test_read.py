"""Reading: finding headers and rows, file-level rules of SPEC §2."""

from __future__ import annotations

from pathlib import Path

from gmreport.config import Config
from gmreport.pipeline import build, check
from gmreport.problems import Problem
from gmreport.read import RawWorkbook, list_workbooks, read_listed, read_workbook
from gmreport.validate import validate_workbook

CEDAW_ROW = ["村里長座談", "113/5/5", "村里長", "實體活動", "綜合", 3, 4, 0, None, "否", ""]


def read_paths(paths: list[Path]) -> tuple[list[RawWorkbook], list[Problem]]:
    """Every workbook among `paths` read as a build lists and reads them, and a problem for
    each file that could not be read at all or was set aside unread."""
    files, listing = list_workbooks(paths)
    read = [read_listed(f, listing) for f in files]
    return (
        [r for r in read if not isinstance(r, Problem)],
        listing.skipped + [r for r in read if isinstance(r, Problem)],
    )


def codes(problems):
    return sorted((p.code, p.sheet, p.cell) for p in problems)


def _problems(path: Path, config: Config | None = None):
    return check([path], config or Config()).problems


def test_header_is_found_by_its_headers_anywhere_in_the_first_rows(make_workbook, valid_rows):
    def move_down(wb):
        wb["培力紀錄"].insert_rows(1, amount=4)  # header now on row 6

    raw = read_workbook(make_workbook(valid_rows, edit=move_down))
    training = raw.sheets["training"]
    assert training.rows == [7, 8, 9]
    assert training.cell("hours", 7) == "F7"


def test_extra_and_reordered_columns_are_tolerated(make_workbook, valid_rows):
    def reorder(wb):
        ws = wb["培力紀錄"]
        ws.insert_cols(1)
        ws["A2"] = "序號"
        for row in range(3, 6):
            ws.cell(row, 1, row - 2)
        ws.move_range("G2:G5", rows=0, cols=3)  # 時數 moves to column J

    raw = read_workbook(make_workbook(valid_rows, edit=reorder))
    training = raw.sheets["training"]
    assert training.letters["hours"] == "J"
    assert training.column("hours") == [3, 6, 2]
    assert check([raw.path], Config()).problems == []


def test_blank_rows_are_skipped_and_rows_keep_their_excel_number(make_workbook, valid_rows):
    rows = valid_rows | {
        "培力紀錄": [valid_rows["培力紀錄"][0], [], ["", "  "], valid_rows["培力紀錄"][1]]
    }
    raw = read_workbook(make_workbook(rows))
    assert raw.sheets["training"].rows == [3, 6]


def test_missing_header_is_named_and_its_rows_are_not_lost(make_workbook, valid_rows):
    def drop_hours(wb):
        wb["培力紀錄"]["F2"] = None

    path = make_workbook(valid_rows, edit=drop_hours)
    raw = read_workbook(path)
    [p] = raw.problems
    assert (p.code, p.sheet, p.cell) == ("header-missing", "培力紀錄", "A2")
    assert "「時數」" in p.message
    assert raw.unread_rows == {"培力紀錄": 3}


def test_a_misspelled_sheet_holding_data_is_an_error(make_workbook, valid_rows):
    def rename(wb):
        wb["培力紀錄"].title = "培力記錄"

    problems = check([make_workbook(valid_rows, edit=rename)], Config()).problems
    unknown = [p for p in problems if p.code == "unknown-sheet"]
    assert [(p.sheet, p.severity.value) for p in unknown] == [("培力記錄", "錯誤")]
    assert "培力紀錄" in unknown[0].hint


def test_an_extra_empty_sheet_is_fine(make_workbook, valid_rows):
    def add(wb):
        wb.create_sheet("工作表1")

    assert check([make_workbook(valid_rows, edit=add)], Config()).problems == []


def test_missing_data_sheet_means_nothing_to_report(make_workbook, valid_rows):
    def remove(wb):
        del wb["性別預算"]

    assert check([make_workbook(valid_rows, edit=remove)], Config()).problems == []


def test_basic_data_problems(make_workbook, valid_rows):
    def no_info(wb):
        del wb["基本資料"]

    def set_info(row, value):
        def edit(wb):
            wb["基本資料"].cell(row, 2).value = value

        return edit

    cases = {
        "no-info-sheet": no_info,
        "info-missing": set_info(3, None),
        "unknown-unit": set_info(3, "總務課"),
        "bad-year": set_info(4, "明年"),
        "other-agency": set_info(2, "高雄市鼓山區公所"),
    }
    for code, edit in cases.items():
        path = make_workbook(valid_rows, edit=edit, name=f"{code}.xlsx")
        found = [p.code for p in check([path], Config()).problems]
        assert code in found, (code, found)


def test_info_cells_are_found_by_their_keys(make_workbook, valid_rows):
    raw = read_workbook(make_workbook(valid_rows))
    assert raw.info["unit"] == "人事室"
    assert int(raw.info["year"]) == 113
    assert raw.info_cells["year"].startswith("B")


def test_lock_files_and_system_files_are_skipped(make_workbook, valid_rows, tmp_path):
    folder = tmp_path / "in"
    path = make_workbook(valid_rows, folder=folder)
    (folder / f"~${path.name}").write_bytes(b"\x00lock")
    (folder / "desktop.ini").write_text("[.ShellClassInfo]", encoding="utf-8")
    workbooks, problems = read_paths([folder])
    assert [w.file for w in workbooks] == [path.name]
    # The system's own file is named, as every file not read is (SPEC §2 ◆).
    assert [(p.code, p.file, p.is_error) for p in problems] == [
        ("skipped-file", "desktop.ini", False)
    ]
    assert [p.code for p in workbooks[0].problems] == ["open-in-excel"]


def test_libreoffice_lock_files_are_skipped_with_a_warning(make_workbook, valid_rows, tmp_path):
    folder = tmp_path / "in"
    path = make_workbook(valid_rows, folder=folder)
    other = make_workbook(valid_rows, folder=folder, unit="民政課")
    lock = folder / f".~lock.{path.name}#"
    lock.write_text(",王小明,PC-01,01.12.2026 09:30,file:///C:/Users/A;\n", encoding="utf-8")
    (folder / ".~lock.不在資料夾.ods#").write_text("", encoding="utf-8")
    workbooks, problems = read_paths([folder])
    assert sorted(w.file for w in workbooks) == sorted([path.name, other.name])
    # A lock of a file not in the folder is named too, as not read.
    assert [(p.code, p.file) for p in problems] == [("skipped-file", ".~lock.不在資料夾.ods#")]
    warned = {w.file: [(p.code, p.severity.value) for p in w.problems] for w in workbooks}
    assert warned == {path.name: [("open-in-libreoffice", "警告")], other.name: []}
    [warning] = next(w for w in workbooks if w.file == path.name).problems
    assert lock.name in warning.message and "LibreOffice" in warning.hint


def test_xlsm_reads_like_xlsx_and_its_macros_are_never_run(make_workbook, valid_rows, tmp_path):
    from .test_safety import macro_enabled

    xlsx = make_workbook(valid_rows)
    xlsm = macro_enabled(xlsx, tmp_path / "人事室.xlsm")
    a, b = read_workbook(xlsx), read_workbook(xlsm)
    assert (b.info, b.info_cells, b.unread_rows, b.problems) == (
        a.info,
        a.info_cells,
        a.unread_rows,
        a.problems,
    )
    assert b.sheets.keys() == a.sheets.keys()
    for key, data in a.sheets.items():
        assert (b.sheets[key].rows, b.sheets[key].values) == (data.rows, data.values)
    assert check([xlsm], Config()).problems == []


def test_a_file_that_is_not_a_workbook_is_named(tmp_path, make_workbook, valid_rows):
    folder = tmp_path / "in"
    make_workbook(valid_rows, folder=folder)
    (folder / "說明.txt").write_text("各單位請於 12/31 前繳交", encoding="utf-8")
    (folder / "假的.xlsx").write_text("姓名,性別\n王小明,男\n", encoding="utf-8")
    workbooks, problems = read_paths([folder])
    assert sorted((p.code, p.file) for p in problems) == [
        ("not-a-workbook", "假的.xlsx"),
        ("not-a-workbook", "說明.txt"),
    ]
    assert len(workbooks) == 1


def test_two_files_for_one_unit_name_both(tmp_path, make_workbook, valid_rows):
    folder = tmp_path / "in"
    a = make_workbook(valid_rows, folder=folder, name="人事室.xlsx")
    b = make_workbook(valid_rows, folder=folder, name="人事室(1).xlsx")
    problems = [p for p in check([folder], Config()).problems if p.code == "duplicate-unit"]
    assert sorted(p.file for p in problems) == sorted([a.name, b.name])
    assert all(a.name in p.message and b.name in p.message for p in problems)


def test_a_workbook_with_nothing_but_basic_data_is_fine(make_workbook):
    path = make_workbook({})
    raw = read_workbook(path)
    assert all(not data.rows for data in raw.sheets.values())
    assert [c.key for c in raw.sheets["roster"].sheet.columns][:2] == ["name", "gender"]
    assert [p.code for p in check([path], Config()).problems] == ["empty-workbook"]


def test_rows_above_the_header_are_named_and_counted(make_workbook, valid_rows):
    def above(wb):
        ws = wb["培力紀錄"]
        for merged in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(merged))
        ws["A1"], ws["B1"] = "王小明", "性別主流化"

    raw = read_workbook(make_workbook(valid_rows, edit=above))
    [p] = raw.problems
    assert (p.code, p.cell) == ("above-header", "A1")
    assert raw.unread_rows == {"培力紀錄": 1}
    assert len(raw.sheets["training"].rows) == 3


def test_excel_error_values_are_named_at_their_cell(make_workbook, valid_rows):
    valid_rows["培力紀錄"][1][5] = "#N/A"
    problems = check([make_workbook(valid_rows)], Config()).problems
    assert [(p.code, p.sheet, p.cell) for p in problems] == [("excel-error", "培力紀錄", "F4")]


def test_typed_na_is_text_not_blank(make_workbook, valid_rows):
    valid_rows["培力紀錄"][1][5] = "N/A"
    problems = check([make_workbook(valid_rows)], Config()).problems
    assert [(p.code, p.cell) for p in problems] == [("bad-number", "F4")]


def test_info_keys_with_a_colon_are_recognised(make_workbook, valid_rows):
    # A clerk adds a colon after each key ("年度：113").
    def add_colons(wb):
        ws = wb["基本資料"]
        for row in ws.iter_rows(min_row=2, max_col=1):
            if row[0].value:
                row[0].value = f"{row[0].value}："

    outcome = check([make_workbook(valid_rows, edit=add_colons)], Config())
    assert outcome.problems == []
    assert outcome.year == 113


def test_info_sheet_without_recognisable_keys_is_an_error(tmp_path, make_workbook, valid_rows):
    # The keys renamed: nothing is recognised, and that must be said, not lose the workbook.
    def rename_keys(wb):
        ws = wb["基本資料"]
        for row in ws.iter_rows(min_row=2, max_col=1):
            if row[0].value:
                row[0].value = f"請填{row[0].value}"

    inbox = tmp_path / "in"
    make_workbook(valid_rows, folder=inbox)
    bad = make_workbook(valid_rows, unit="民政課", folder=inbox, edit=rename_keys)
    assert {p.code for p in _problems(bad) if p.is_error} == {"info-missing"}
    outcome = build(inbox, tmp_path / "out", Config())
    assert outcome.has_errors


def test_excel_error_value_in_a_count_cell_is_reported(make_workbook, valid_rows):
    # A formula that ends in #REF! is stored as an error cell; calamine hands it over as ''
    # and the participant count silently becomes 0.
    row = list(CEDAW_ROW)
    row[6] = "#REF!"  # openpyxl writes this as an error cell (t="e"), as Excel caches it
    path = make_workbook(valid_rows | {"CEDAW宣導": [row]})
    found = [(p.code, p.sheet, p.cell) for p in _problems(path) if p.is_error]
    assert [(s, c) for _, s, c in found] == [("CEDAW宣導", "G3")], found


def test_text_na_in_a_number_or_date_cell_is_not_read_as_blank(make_workbook, valid_rows):
    # pandas' default na_values turn the *texts* N/A, NA, null, None, nan… into blanks, so
    # a typed "N/A" count reads as 0 and a typed "N/A" 離職日期 as "still employed".
    row = list(CEDAW_ROW)
    row[5] = "N/A"
    rows = valid_rows | {"CEDAW宣導": [row]}
    rows["人員名冊"][0] += ["", "NA"]  # 到職日期 blank, 離職日期 "NA"
    path = make_workbook(rows)
    cells = sorted((p.sheet, p.cell) for p in _problems(path) if p.is_error)
    assert cells == [("CEDAW宣導", "F3"), ("人員名冊", "H3")], cells


def test_data_row_placed_above_the_header_is_not_silently_dropped(make_workbook, valid_rows):
    # A clerk inserts a row above the header and types a record into it: it is neither
    # read nor reported, so 王小明's 2 hours vanish without a word.
    def row_above_header(wb):
        ws = wb["培力紀錄"]
        ws.insert_rows(2)  # title row 1, new row 2, header row 3
        for col, value in enumerate(["王小明", "課", "CEDAW", "實體", "113/6/1", 2], 1):
            ws.cell(2, col, value)

    path = make_workbook(valid_rows, edit=row_above_header)
    raw = read_workbook(path)
    clean = validate_workbook(raw, "人事室", 113)
    read = clean.rows["培力紀錄"].read
    reported = [p for p in _problems(path) if p.sheet == "培力紀錄"]
    assert read == 4 or reported, (read, reported)
