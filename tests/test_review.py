"""Review findings: each test states the expected behaviour and fails on the current code."""

from __future__ import annotations

from pathlib import Path

from gmreport.aggregate import aggregate
from gmreport.config import Config, config_from_dict
from gmreport.pipeline import build, check
from gmreport.read import read_workbook
from gmreport.validate import validate_workbook

REPORT = "113年度性別主流化執行成果報告.docx"
STATISTICS = "113年度性別主流化統計總表.xlsx"
CEDAW_ROW = ["村里長座談", "113/5/5", "村里長", "實體活動", "綜合", 3, 4, 0, "否", ""]


def _set_info(wb, label: str, value: object) -> None:
    ws = wb["基本資料"]
    for row in ws.iter_rows(max_col=2):
        if row[0].value == label:
            row[1].value = value
            return
    raise AssertionError(label)


def _problems(path: Path, config: Config | None = None):
    return check([path], config or Config()).problems


def test_year_typed_with_nian_is_accepted(make_workbook, valid_rows):
    # SPEC §2: 年度 is the ROC year; validate.parse_year's own docstring promises '113年'.
    for typed in ("113年", "民國113年", "113年度"):
        path = make_workbook(
            valid_rows, name=f"{typed}.xlsx", edit=lambda wb, t=typed: _set_info(wb, "年度", t)
        )
        outcome = check([path], Config())
        assert [p.code for p in outcome.problems] == [], typed
        assert outcome.year == 113


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


def test_hours_in_tenths_that_add_up_to_the_target_complete_it(make_workbook):
    # 0.2 + 0.4 + 1.4 = 1.9999999999999998 in floating point: 完訓 is missed by 2e-16 h and
    # the person is listed as short by "0.0" hours.
    rows = {
        "人員名冊": [["甲", "女", "公務人員"]],
        "培力紀錄": [
            ["甲", "課", "CEDAW", "數位", f"113/3/{d}", h]
            for d, h in ((1, 0.2), (2, 0.4), (3, 1.4))
        ],
    }
    raw = read_workbook(make_workbook(rows))
    clean = validate_workbook(raw, "人事室", 113)
    assert not clean.problems
    result = aggregate([clean], Config(), 113)
    assert result.figures["training"]["groups"]["all"]["completed"]["total"] == 1
    assert result.shortfalls == []


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


def test_unit_spelled_as_in_the_config_is_known_despite_fullwidth_parentheses(make_workbook):
    # The config and the template say 民政課（戶政）; identify() NFKC-normalises only the
    # workbook's side, so the unit's own template is rejected as unknown-unit.
    config = config_from_dict({"units": ["人事室", "民政課（戶政）"]})
    path = make_workbook({"人員名冊": [["甲", "女", "公務人員"]]}, unit="民政課（戶政）")
    assert [p.code for p in _problems(path, config)] == []


def test_a_failed_build_warns_of_the_stale_report(tmp_path, make_workbook, valid_rows):
    # SPEC §5: with input errors the build writes the 檢核結果 and the JSON, not the report.
    # Last run's report stays (a person may have edited it in Word), but it must not be
    # mistaken for this run's.
    inbox, out = tmp_path / "in", tmp_path / "out"
    make_workbook(valid_rows, folder=inbox)
    assert not build(inbox, out, Config()).has_errors
    assert (out / REPORT).exists()
    broken = valid_rows | {"CEDAW宣導": [["座談", "113/13/1", "村里長"]]}
    make_workbook(broken, folder=inbox)  # same file, now with a bad date
    outcome = build(inbox, out, Config())
    assert outcome.has_errors
    assert (out / REPORT).exists()
    [note] = outcome.notes
    assert REPORT in note and STATISTICS in note and "請勿提報" in note
