"""The statistics workbook and the check-result workbook, reopened and read back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pandas as pd
import pytest

from gmreport import atomic
from gmreport.aggregate import Shortfall
from gmreport.privacy import as_shown
from gmreport.problems import OutputError, Problem, Severity, problem
from gmreport.render.workbooks import write_problems, write_statistics
from gmreport.tables import NO_RATE_NOTE, ValueKind, report_tables

from .conftest import EXAMPLE_FIGURES

EXAMPLE = EXAMPLE_FIGURES
GENERATED = dt.datetime(2025, 1, 15, 9, 30)
HEADER_ROW, FIRST_ROW = 2, 3


@pytest.fixture
def figures() -> dict:
    with EXAMPLE.open(encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def statistics_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The statistics workbook of the example figures, written once for the module."""
    path = tmp_path_factory.mktemp("statistics") / "113年度性別主流化統計總表.xlsx"
    with EXAMPLE.open(encoding="utf-8") as f:
        write_statistics(json.load(f), path, generated=GENERATED)
    return path


@pytest.fixture
def statistics(statistics_file: Path) -> openpyxl.Workbook:
    """The example's statistics workbook, read anew for each test."""
    return openpyxl.load_workbook(statistics_file)


def sheet_rows(ws) -> list[dict[str, Any]]:
    """The data rows of a sheet written by the workbooks module, keyed by header."""
    headers = [c.value for c in ws[HEADER_ROW]]
    rows = []
    for row in ws.iter_rows(min_row=FIRST_ROW, values_only=True):
        if all(v is None for v in row):
            break  # a note may follow the table after a blank row
        rows.append(dict(zip(headers, row, strict=True)))
    return rows


def shown(value: Any, kind: ValueKind) -> Any:
    """What a cell holds for a table value of `kind` (an empty text or a rate with nothing
    to divide by reads back as None): the exact value, but a rate short of 100% that 0.0%
    would show as 100.0% is held as 0.999, and a date as the datetime openpyxl reads."""
    if value is None or value == "":
        return None
    if kind is ValueKind.RATE and not isinstance(value, str) and 0.9995 <= value < 1:
        return 0.999
    if kind is ValueKind.DATE:
        return dt.datetime.combine(value, dt.time())
    return value


# The statistics workbook


def test_one_sheet_per_table_after_the_info_sheet(
    figures: dict, statistics: openpyxl.Workbook
) -> None:
    names = [t.name for t in report_tables(figures)]
    assert statistics.sheetnames == ["說明", *names]


def test_every_cell_holds_the_table_value(figures: dict, statistics: openpyxl.Workbook) -> None:
    for table in (t.for_workbook() for t in report_tables(as_shown(figures))):
        ws = statistics[table.name]
        assert ws["A1"].value == table.title
        assert tuple(c.value for c in ws[HEADER_ROW]) == table.columns
        assert all(c.font.b for c in ws[HEADER_ROW])
        assert ws.freeze_panes in ("A3", "B3")
        cells = list(ws.iter_rows(min_row=FIRST_ROW, values_only=True))
        if table.note:  # under the table, after a blank row (with why a rate is blank)
            assert cells[-2][0] is None
            assert cells[-1][0] in (table.note, f"{table.note}\n{NO_RATE_NOTE}")
            cells = cells[:-2]
        assert len(cells) == len(table.rows), table.name
        for r, (row, got) in enumerate(zip(table.rows, cells, strict=True)):
            expected = tuple(shown(v, table.kind(r, c)) for c, v in enumerate(row))
            assert [v if isinstance(v, dt.datetime) else pytest.approx(v) for v in got] == list(
                expected
            ), table.name


def test_training_sheet_equals_figures(figures: dict, statistics: openpyxl.Workbook) -> None:
    rows = {r["類別"]: r for r in sheet_rows(statistics["表6 各類人員性別意識培力情形"])}
    everyone = figures["training"]["groups"]["all"]
    assert rows["全機關"]["應訓人數(合計)"] == everyone["required"]["total"]
    assert rows["全機關"]["完訓人數(合計)"] == everyone["completed"]["total"]
    assert rows["全機關"]["完訓率"] == shown(everyone["rate"]["total"], ValueKind.RATE)
    assert rows["全機關"]["總時數"] == everyone["hours"]
    supervisors = figures["training"]["groups"]["supervisors"]
    assert rows["主管人員"]["應訓人數(男)"] == supervisors["required"]["male"]


def test_number_formats_by_kind(statistics: openpyxl.Workbook) -> None:
    training = statistics["表6 各類人員性別意識培力情形"]
    assert training["E3"].number_format == "#,##0"  # 應訓人數(合計)
    assert training["J3"].number_format == "0.0%"  # 完訓率
    assert training["K3"].number_format == "#,##0.0"  # 總時數
    budget = statistics["表16 性別預算計畫編列及執行情形"]
    assert budget["D3"].number_format == "#,##0"  # 編列數(元)
    assert budget["F3"].number_format == "0.0%"  # 執行率
    targets = statistics["表23 目標達成情形"]  # the target's values read as the report says them
    completion = next(
        row for row in targets.iter_rows(min_row=FIRST_ROW) if "完訓率" in row[2].value
    )
    assert completion[3].value == "100%"
    assert completion[4].value.endswith("%") and completion[4].number_format == "General"


def test_dates_are_dates_shown_in_the_roc_calendar(statistics: openpyxl.Workbook) -> None:
    ws = statistics["表2 性別平等執行小組會議辦理情形"]
    assert [m["開會日期"] for m in sheet_rows(ws)] == [
        dt.datetime(2024, 5, 20),
        dt.datetime(2024, 11, 18),
    ]
    assert ws["C3"].is_date and ws["C3"].number_format == "[$-404]e/mm/dd"


def test_rates_with_nobody_counted_are_blank_and_said_so(statistics: openpyxl.Workbook) -> None:
    ws = statistics["表9 性別意識培力完訓率交織分析（性別×年齡層）"]
    assert {r["完訓率(其他)"] for r in sheet_rows(ws)} == {None}
    notes = [c.value for c in ws["A"] if c.value and NO_RATE_NOTE in str(c.value)]
    assert len(notes) == 1
    # No numeric column holds text but the 「*」 of a small group, the 「－」 of a count not
    # taken (an event reported by its 觸及人次 alone) and a total row's 「3 場次」.
    for sheet in statistics.worksheets[1:]:
        for row in sheet.iter_rows(min_row=FIRST_ROW):
            for cell in row:
                if cell.number_format in ("0.0%", "#,##0", "#,##0.0"):
                    text = isinstance(cell.value, str)
                    assert not text or cell.value in ("*", "－") or row[0].value == "合計", cell


def test_sheets_are_named_and_numbered_as_the_report_tables(samples_build) -> None:
    report = docx.Document(samples_build.out / "113年度性別主流化執行成果報告.docx")
    captions = [p.text for p in report.paragraphs if p.style.style_id == "Caption"]
    statistics = openpyxl.load_workbook(
        samples_build.out / "113年度性別主流化統計總表.xlsx", read_only=True
    )
    numbered = [n for n in statistics.sheetnames if n.startswith("表")]
    assert numbered == [c.replace("\u3000", " ") for c in captions]


def test_targets_sheet_states_met(figures: dict, statistics: openpyxl.Workbook) -> None:
    rows = sheet_rows(statistics["表23 目標達成情形"])
    assert [r["目標"].split("（依據")[0] for r in rows] == [t["label"] for t in figures["targets"]]
    for row, target in zip(rows, figures["targets"], strict=True):
        assert row["達成情形"] == target["verdict"]
        assert row["主辦單位"] == target["lead_unit"]
        assert row["工作項目"] == target["work_item"]  # on every row, a page break notwithstanding


def test_columns_fit_chinese_text(statistics: openpyxl.Workbook) -> None:
    gia = statistics["表12 性別影響評估辦理情形"]
    assert gia.column_dimensions["B"].width >= 2 * len("旗津區里民活動中心使用管理要點修正")
    for ws in statistics.worksheets:
        for dim in ws.column_dimensions.values():
            assert 8 <= dim.width <= 50


def test_info_sheet(figures: dict, statistics: openpyxl.Workbook) -> None:
    info = {row[0]: row[1] for row in statistics["說明"].iter_rows(values_only=True) if row[0]}
    assert info["機關名稱"] == "高雄市旗津區公所"
    assert info["年度"] == "113年度"
    assert info["產製時間"] == "114/01/15 09:30"
    assert info["版本"] == "正式"
    assert info["未繳交單位"] == "調解委員會"
    assert info["檢核結果"] == "錯誤 0 筆、警告 3 筆"
    for table in report_tables(figures):
        assert info[table.name] == table.title


def test_draft_is_marked_on_every_sheet(figures: dict, tmp_path: Path) -> None:
    figures["draft"] = True
    path = tmp_path / "統計總表.xlsx"
    write_statistics(figures, path, generated=GENERATED)
    wb = openpyxl.load_workbook(path)
    info = {row[0]: row[1] for row in wb["說明"].iter_rows(values_only=True) if row[0]}
    assert info["版本"].startswith("草稿")
    assert all("草稿" in ws["A1"].value for ws in wb.worksheets[1:])


def test_text_a_unit_typed_that_looks_like_a_formula_stays_text(
    figures: dict, tmp_path: Path
) -> None:
    typed = '=HYPERLINK("http://example.com","CEDAW")'
    figures["cedaw"]["list"][0]["name"] = typed
    figures["other_measures"]["list"][0]["result"] = "=1+1"
    path = tmp_path / "統計總表.xlsx"
    write_statistics(figures, path, generated=GENERATED)
    wb = openpyxl.load_workbook(path)
    found = [
        cell
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=")
    ]
    assert {cell.value for cell in found} == {typed, "=1+1"}
    assert {cell.data_type for cell in found} == {"s"}


def test_empty_list_sheet_says_none(figures: dict, tmp_path: Path) -> None:
    figures["gia"]["list"] = []
    path = tmp_path / "統計總表.xlsx"
    write_statistics(figures, path, generated=GENERATED)
    ws = openpyxl.load_workbook(path)["表12 性別影響評估辦理情形"]
    assert ws["A3"].value == "本年度未辦理性別影響評估"  # as the report says it
    assert ws.max_row == 3


def test_pandas_reads_the_statistics_back(figures: dict, tmp_path: Path) -> None:
    path = tmp_path / "統計總表.xlsx"
    write_statistics(figures, path, generated=GENERATED)
    budget = pd.read_excel(
        path, sheet_name="表15 性別預算編列及執行情形（依預算類別）", header=1, engine="calamine"
    )
    total = budget.set_index("預算類別").loc["合計"]
    assert total["編列數(元)"] == figures["budget"]["allocated"]
    assert total["執行數(元)"] == figures["budget"]["executed"]
    assert total["執行率"] == shown(figures["budget"]["execution_rate"], ValueKind.RATE)
    cedaw = pd.read_excel(path, sheet_name="表21 CEDAW宣導辦理情形", header=1, engine="calamine")
    events = cedaw[cedaw["單位"] != "合計"]
    assert events["參與人數(合計)"].sum() == figures["cedaw"]["participants"]["total"]
    assert cedaw["參與人數(合計)"].iloc[-1] == figures["cedaw"]["participants"]["total"]


# The check-result workbook


def make_problems() -> list[Problem]:
    date = {"sheet": "培力紀錄", "column": "上課日期", "value": "3/5"}
    return [
        problem("bad-date", file="社會課.xlsx", unit="社會課", cell="E10", **date),
        problem("not-a-workbook", file="說明.txt", detail="文字檔"),
        problem("bad-date", file="社會課.xlsx", unit="社會課", cell="E9", **date),
        problem("open-in-excel", file="民政課.xlsx", unit="民政課", detail="~$民政課.xlsx"),
        problem("bad-date", file="民政課.xlsx", unit="民政課", cell="AA2", **date),
        problem("bad-date", file="民政課.xlsx", unit="民政課", cell="B2", **date),
        problem(
            "bad-year",
            file="人事室.xlsx",
            unit="人事室",
            sheet="基本資料",
            cell="B3",
            value="一一三",
        ),
    ]


SHORTFALLS = [
    Shortfall(("社會課",), "王小明", "公務人員", 2, 1.5, 0.5),
    Shortfall(("民政課",), "陳美華", "公務人員", 6, 2.0, 4.0),
    Shortfall(("社會課",), "林大同", "職工", 3, 0.0, 3.0),
]


@pytest.fixture
def check_result(tmp_path: Path) -> openpyxl.Workbook:
    path = tmp_path / "113年度填報檢核結果.xlsx"
    write_problems(make_problems(), SHORTFALLS, path)
    return openpyxl.load_workbook(path)


def test_check_result_sheets(check_result: openpyxl.Workbook) -> None:
    assert check_result.sheetnames == ["檢核結果", "待補訓名單", "摘要"]


def test_problems_sorted_by_unit_file_and_natural_cell_order(
    check_result: openpyxl.Workbook,
) -> None:
    ws = check_result["檢核結果"]
    assert [c.value for c in ws[HEADER_ROW]] == [
        "檔案",
        "單位",
        "工作表",
        "儲存格",
        "嚴重度",
        "問題類型",
        "訊息",
        "建議修正",
        "代碼",
    ]
    rows = sheet_rows(ws)
    assert [(r["單位"], r["儲存格"]) for r in rows] == [
        ("人事室", "B3"),
        ("民政課", None),
        ("民政課", "B2"),
        ("民政課", "AA2"),
        ("社會課", "E9"),
        ("社會課", "E10"),
        (None, None),
    ]
    assert rows[-1]["檔案"] == "說明.txt"
    assert rows[0]["嚴重度"] == "錯誤"
    assert rows[0]["代碼"] == "bad-year"
    assert rows[0]["問題類型"] == "年度無法辨識"  # in Chinese; the code stays for tools
    assert "一一三" in rows[0]["訊息"]
    assert rows[0]["建議修正"]
    assert ws.auto_filter.ref == "A2:I9"
    assert ws.freeze_panes in ("A3", "B3")


def test_errors_stand_out_from_warnings(check_result: openpyxl.Workbook) -> None:
    ws = check_result["檢核結果"]
    fills = {
        ws.cell(r, 5).value: ws.cell(r, 5).fill.fgColor.rgb
        for r in range(FIRST_ROW, ws.max_row + 1)
    }
    assert fills["錯誤"].endswith("FFC7CE")
    assert fills["警告"] != fills["錯誤"]


def test_shortfalls_sorted_by_unit_then_largest_gap(check_result: openpyxl.Workbook) -> None:
    ws = check_result["待補訓名單"]
    assert [c.value for c in ws[HEADER_ROW]] == [
        "單位", "姓名", "人員類別", "目標時數", "已完成時數", "尚缺時數", "補訓期限", "處理情形",
    ]  # fmt: skip
    assert list(ws.iter_rows(min_row=FIRST_ROW, values_only=True)) == [
        ("民政課", "陳美華", "公務人員", 6, 2.0, 4.0, None, None),  # the last two for 人事室
        ("社會課", "林大同", "職工", 3, 0.0, 3.0, None, None),
        ("社會課", "王小明", "公務人員", 2, 1.5, 0.5, None, None),
    ]


def test_the_summary_lists_every_unit_even_without_problems(tmp_path: Path) -> None:
    path = tmp_path / "檢核結果.xlsx"
    write_problems([], [], path, unit_order=["民政課", "社會課"])
    rows = sheet_rows(openpyxl.load_workbook(path)["摘要"])
    assert [r["單位"] for r in rows] == ["民政課", "社會課", "合計"]
    assert rows[0]["合計"] == 0


def test_summary_counts_per_unit(check_result: openpyxl.Workbook) -> None:
    rows = {r["單位"]: r for r in sheet_rows(check_result["摘要"])}
    assert (rows["民政課"]["錯誤"], rows["民政課"]["警告"], rows["民政課"]["待補訓人數"]) == (
        2,
        1,
        1,
    )
    assert (rows["社會課"]["錯誤"], rows["社會課"]["待補訓人數"]) == (2, 2)
    assert rows["人事室"]["錯誤"] == 1
    assert rows["（未能判別單位）"]["錯誤"] == 1
    assert (rows["合計"]["錯誤"], rows["合計"]["警告"], rows["合計"]["合計"]) == (6, 1, 7)


def test_no_problems_gives_sheets_that_say_none(tmp_path: Path) -> None:
    path = tmp_path / "檢核結果.xlsx"
    write_problems([], [], path)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert ws.cell(HEADER_ROW, 1).value == ("檔案" if ws.title == "檢核結果" else "單位")
        assert ws["A3"].value == "無"
        assert ws.max_row == 3


def test_warning_severity_is_the_catalogue_label(check_result: openpyxl.Workbook) -> None:
    severities = {r["嚴重度"] for r in sheet_rows(check_result["檢核結果"])}
    assert severities == {Severity.ERROR.value, Severity.WARNING.value}


# Writing fails cleanly


WRITERS = {
    "statistics": lambda figures, path: write_statistics(figures, path, generated=GENERATED),
    "problems": lambda figures, path: write_problems(
        [problem("not-a-workbook", file=f"{figures['year']}.txt", detail="文字檔")], [], path
    ),
}


@pytest.mark.parametrize("writer", WRITERS.values(), ids=WRITERS.keys())
def test_locked_output_raises_and_keeps_the_last_good_file(
    writer, figures: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.xlsx"
    writer(figures, path)
    good = path.read_bytes()

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", locked)
    figures["year"] = 114
    with pytest.raises(OutputError, match="Excel"):
        writer(figures, path)
    assert path.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


@pytest.mark.parametrize("writer", WRITERS.values(), ids=WRITERS.keys())
def test_output_path_that_is_a_folder_raises(writer, figures: dict, tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    path.mkdir()
    with pytest.raises(OutputError, match=r"out\.xlsx"):
        writer(figures, path)
    assert path.is_dir()
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_units_follow_the_config_order(tmp_path: Path) -> None:
    path = tmp_path / "檢核結果.xlsx"
    write_problems(make_problems(), SHORTFALLS, path, unit_order=["社會課", "民政課", "人事室"])
    ws = openpyxl.load_workbook(path)["待補訓名單"]
    units = [r[0] for r in ws.iter_rows(min_row=FIRST_ROW, values_only=True)]
    assert units == ["社會課", "社會課", "民政課"]
    summary = openpyxl.load_workbook(path)["摘要"]
    listed = [r[0] for r in summary.iter_rows(min_row=FIRST_ROW, values_only=True)]
    assert listed.index("社會課") < listed.index("民政課") < listed.index("人事室")


def test_the_problems_workbook_says_who_sent_what_and_which_files_were_read(
    figures: dict, tmp_path: Path
) -> None:
    figures["units"]["submitted"].remove("兵役課")
    figures["units"]["empty"] = ["兵役課"]
    path = tmp_path / "檢核結果.xlsx"
    write_problems([], [], path, unit_order=figures["units"]["expected"], figures=figures)
    wb = openpyxl.load_workbook(path)
    status = {r["單位"]: r["繳交情形"] for r in sheet_rows(wb["繳交情形"])}
    assert list(status) == figures["units"]["expected"]  # every unit, the config's order
    assert status["調解委員會"].startswith("未繳交")
    assert status["兵役課"].startswith("繳交空白表")
    assert status["人事室"] == "已繳交"
    files = sheet_rows(wb["檔案清單"])
    listed = len(figures["files"]["read"]) + len(figures["files"]["set_aside"])
    assert len(files) == listed + len(figures["files"]["rejected"])
    assert {f["處理"] for f in files} >= {"納入統計", "另列，未納入統計"}
    rows = sheet_rows(wb["資料列數核對"])
    assert rows[-1]["讀取列數"] == figures["rows"]["read"]


@pytest.mark.parametrize(("rate", "held"), [(0.9725, 0.9725), (0.9995, 0.999), (0.0005, 0.0005)])
def test_rate_cells_read_as_the_report_rounds(figures: dict, tmp_path: Path, rate, held) -> None:
    figures["training"]["groups"]["civil_servants"]["rate"]["total"] = rate
    path = tmp_path / "統計總表.xlsx"
    write_statistics(figures, path)
    rows = {
        r["類別"]: r
        for r in sheet_rows(openpyxl.load_workbook(path)["表6 各類人員性別意識培力情形"])
    }
    assert rows["公務人員"]["完訓率"] == pytest.approx(held)  # 0.0% shows 97.3%, 99.9%, 0.1%
