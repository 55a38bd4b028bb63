"""History across the plan's years (SPEC §3 ★ History): earlier years' figures read, checked
and compared in the report, the 統計總表 and the JSON; 計畫期程總檢討 in the plan's last year.

The expected differences are computed here from the two years' figures, with the format
module's percentages, not copied from an output.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import docx
import openpyxl
import pytest
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from gmreport.config import Config
from gmreport.figures_file import Unusable, figures_of
from gmreport.format import number, percent
from gmreport.history import read_history
from gmreport.pipeline import build
from gmreport.privacy import hidden
from gmreport.render.charts import find_cjk_font
from gmreport.render.pdf import convert_to_pdf
from gmreport.render.trends import TREND_TABLES, Years, change, report_trends, trend_tables
from gmreport.schema import WORK_ITEMS

from . import pdf_cells, pdf_pages
from .conftest import SAMPLES, SAMPLES_ROOT, SamplesBuild, gathered, load_tool, once
from .conftest import read_cell as _read

REPORT = "{year}年度性別主流化執行成果報告.docx"
STATISTICS = "{year}年度性別主流化統計總表.xlsx"
FIGURES = "{year}年度統計數據.json"

BY_KEY = {t.key: t for t in TREND_TABLES}


class TwoYears(NamedTuple):
    out: Path
    before: dict  # 113's figures as its file says
    after: dict  # 114's


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> TwoYears:
    """The samples' 113 built, then 114 into the same output folder (once for all workers)."""

    def make(out: Path) -> TwoYears:
        build(SAMPLES, out, Config())
        build(SAMPLES_ROOT / "114", out, Config())
        before, after = (
            json.loads((out / FIGURES.format(year=y)).read_text(encoding="utf-8"))
            for y in (113, 114)
        )
        return TwoYears(out, before, after)

    return once(tmp_path_factory, "two-years", make)


def _blocks(path: Path) -> list[Paragraph | Table]:
    """The report's paragraphs and tables in reading order."""
    doc = Document(str(path))
    out: list[Paragraph | Table] = []
    for child in doc.element.body.iterchildren():
        if child.tag.endswith("}p"):
            out.append(Paragraph(child, doc))
        elif child.tag.endswith("}tbl"):
            out.append(Table(child, doc))
    return out


def _table(path: Path, title: str) -> list[list[str]]:
    """The rows of the table captioned 「表N　title」, header rows included."""
    blocks = _blocks(path)
    for i, block in enumerate(blocks):
        if isinstance(block, Paragraph) and block.text.endswith(f"　{title}"):
            table = blocks[i + 1]
            assert isinstance(table, Table)
            return [[_read(c.text) for c in row.cells] for row in table.rows]
    raise AssertionError(f"no table {title}")


def _texts(path: Path) -> list[str]:
    return [b.text for b in _blocks(path) if isinstance(b, Paragraph)]


def _shown_rate(figures: dict, group: str, gender: str, part: str = "rate") -> str:
    """A 完訓率 (or count) as that year's report shows it: 「*」 when its file hid it."""
    suppressed = figures["suppressed"]
    prefix = f"training.groups.{group}"
    if f"{prefix}.{gender}" in suppressed or f"{prefix}.{part}.{gender}" in suppressed:
        return "*"
    value = figures["training"]["groups"][group][part][gender]
    return percent(value) if part == "rate" else number(value)


def _points(now: float, before: float) -> str:
    """The change in 百分點 between the percentages people read, e.g. 「提高 3.2 個百分點」."""
    diff = Decimal(percent(now)[:-1]) - Decimal(percent(before)[:-1])
    return f"{'提高' if diff > 0 else '降低'} {abs(diff)} 個百分點"


def _counted(now: int | float, before: int | float, unit: str) -> str:
    if now == before:
        return "與上年度持平"
    return f"較 113 年度{'增加' if now > before else '減少'} {number(abs(now - before))} {unit}"


# --- The JSON -------------------------------------------------------------------------------


def test_114_carries_113_as_its_file_said(two_years: TwoYears) -> None:
    assert list(two_years.after["history"]) == ["113"]
    expected = {k: v for k, v in two_years.before.items() if k != "history"}
    assert two_years.after["history"]["113"] == expected
    assert two_years.before["history"] == {}  # nothing before 113 in the output folder
    assert two_years.after["built_at"] >= two_years.before["built_at"]  # to the second
    plan = two_years.after["plan"]
    assert (plan["first_year"], plan["last_year"]) == (113, 116)
    assert plan["lead_units"] == dict(Config().lead_units)


def test_history_does_not_nest(two_years: TwoYears, tmp_path: Path) -> None:
    # 115 built over 113 and 114: 114's own history is not carried inside it.
    history = read_history([two_years.out], agency=Config().agency, year=115)
    assert sorted(history.years) == [113, 114]
    assert "history" not in history.years[114]
    assert not history.problems


# --- The report -------------------------------------------------------------------------------


def test_the_comparison_tables_show_both_years(two_years: TwoYears) -> None:
    report = two_years.out / REPORT.format(year=114)
    before, after = two_years.before, two_years.after
    meetings = _table(report, "性別平等執行小組歷年比較")
    assert meetings[1:] == [
        [
            str(f["year"]),
            number(f["meetings"]["count"]),
            number(f["meetings"]["members"]["total"]),
            number(f["meetings"]["members"]["female"]),
            percent(f["meetings"]["members"]["female"] / f["meetings"]["members"]["total"]),
        ]
        for f in (before, after)
    ]
    training = _table(report, "性別意識培力歷年比較")
    assert training[1][4:] == ["男", "女", "其他", "合計"]
    rows = {(r[0], r[1]): r[2:] for r in training[2:]}
    for f in (before, after):
        for key, group in f["training"]["groups"].items():
            assert rows[group["label"], str(f["year"])] == [
                _shown_rate(f, key, "total", "required"),
                _shown_rate(f, key, "total", "completed"),
                *(_shown_rate(f, key, g) for g in ("male", "female", "other", "total")),
            ]
    cedaw = _table(report, "CEDAW宣導及其他性別平等措施歷年比較")
    assert [r[:3] for r in cedaw[2:]] == [
        [
            str(f["year"]),
            number(f["cedaw"]["sessions"]),
            number(f["cedaw"]["participants"]["total"]),
        ]
        for f in (before, after)
    ]
    budget = _table(report, "性別統計及性別預算歷年比較")
    assert [r[4:] for r in budget[2:]] == [
        [
            number(f["budget"]["allocated"]),
            number(f["budget"]["executed"]),
            percent(f["budget"]["execution_rate"]),
        ]
        for f in (before, after)
    ]
    targets = _table(report, "目標達成情形歷年比較")
    assert [r[2] for r in targets[1:]] == [
        str(sum(t["verdict"] in ("達成", "已辦理") for t in f["targets"])) for f in (before, after)
    ]


def test_a_suppressed_cell_of_113_stays_hidden(two_years: TwoYears) -> None:
    suppressed = [
        p for p in two_years.before["suppressed"] if p.startswith("training.groups.civil_servants")
    ]
    assert suppressed, "the 113 samples hide a small cell of 公務人員"
    training = _table(two_years.out / REPORT.format(year=114), "性別意識培力歷年比較")
    row = next(r for r in training if r[:2] == ["公務人員", "113"])
    gender = suppressed[0].rsplit(".", 1)[1]
    assert row[4 + ["male", "female", "other", "total"].index(gender)] == "*"


def test_the_findings_state_each_change(two_years: TwoYears) -> None:
    texts = _texts(two_years.out / REPORT.format(year=114))
    before, after = two_years.before, two_years.after
    everyone_now, everyone_then = (f["training"]["groups"]["all"]["rate"] for f in (after, before))
    sessions = (after["cedaw"]["sessions"], before["cedaw"]["sessions"])
    meetings = (after["meetings"]["count"], before["meetings"]["count"])
    gia = (after["gia"]["count"], before["gia"]["count"])
    allocated = (after["budget"]["allocated"], before["budget"]["allocated"])
    # A rate privacy hides in either year is not compared (SPEC §3: no sentence states it).
    total = "training.groups.all.rate.total"
    if hidden(after, total) or hidden(before, total):
        assert not [t for t in texts if t.startswith(("全機關完訓率", "應訓人員"))]
        assert not any(f"完訓率 {percent(everyone_now['total'])}" in t for t in texts)
    else:
        assert (
            f"全機關完訓率 {percent(everyone_now['total'])}，較 113 年度"
            f"{_points(everyone_now['total'], everyone_then['total'])}。"
        ) in texts
    expected = [
        f"女性完訓率 {percent(everyone_now['female'])}，較 113 年度"
        f"{_points(everyone_now['female'], everyone_then['female'])}。",
        f"CEDAW 宣導 {sessions[0]} 場次，{_counted(*sessions, '場次')}。",
        f"性平執行小組召開會議 {meetings[0]} 次，{_counted(*meetings, '次')}。",
        f"辦理性別影響評估 {gia[0]} 案，{_counted(*gia, '案')}。",
        f"性別預算編列 {number(allocated[0])} 元，{_counted(*allocated, '元')}。",
        f"性平執行小組組員 {after['meetings']['members']['total']} 人，與上年度持平。",
    ]
    for sentence in expected:
        assert sentence in texts
    # The samples show a rate up, a count down, and a target the 113 figures missed that the
    # 114 figures meet while 調解委員會 has not sent its data: 資料不全, no change to state.
    assert everyone_now["total"] > everyone_then["total"] and sessions[0] < sessions[1]
    pairs = list(zip(after["targets"], before["targets"], strict=True))
    for t, was in pairs:
        if t["met"] and not was["met"]:
            assert f"「{t['label']}」本年度{t['verdict']}（113 年度{was['verdict']}）。" in texts
    waiting = [t["label"] for t, was in pairs if t["verdict"] == "資料不全" and not was["met"]]
    assert waiting == ["職工及自僱非公務人員完訓率達 100%"]
    assert not any(f"「{waiting[0]}」本年度" in t for t in texts)


@pytest.mark.skipif(find_cjk_font() is None, reason="需要中文字型才能繪製統計圖")
def test_the_trend_chart_is_in_the_report_and_referred_to(two_years: TwoYears) -> None:
    texts = _texts(two_years.out / REPORT.format(year=114))
    caption = next(t for t in texts if t.endswith("全機關性別意識培力完訓率歷年趨勢（依性別）"))
    number_ = caption.split("　")[0].removeprefix("圖")
    assert any("如表" in t and f"並如圖{number_}" in t for t in texts)


def test_no_history_no_comparison(two_years: TwoYears) -> None:
    texts = _texts(two_years.out / REPORT.format(year=113))
    assert not any("歷年比較" in t or "計畫期程總檢討" in t for t in texts)
    workbook = openpyxl.load_workbook(two_years.out / STATISTICS.format(year=113))
    assert not any("歷年比較" in name for name in workbook.sheetnames)


def test_114_is_not_the_plans_last_year(two_years: TwoYears) -> None:
    assert not any("計畫期程總檢討" in t for t in _texts(two_years.out / REPORT.format(year=114)))


# --- The 統計總表 ---------------------------------------------------------------------------


def _numbered_sheets(workbook: openpyxl.Workbook) -> list[str]:
    return [name for name in workbook.sheetnames if name.startswith("表")]


def _captions(report: Path) -> list[str]:
    """The report's table captions as the 統計總表 names its sheets (「表19 標題」)."""
    paragraphs = docx.Document(report).paragraphs
    return [p.text.replace("\u3000", " ") for p in paragraphs if p.style.style_id == "Caption"]


def test_the_statistics_workbook_has_the_comparisons_as_numbers(two_years: TwoYears) -> None:
    workbook = openpyxl.load_workbook(two_years.out / STATISTICS.format(year=114))
    assert _numbered_sheets(workbook) == _captions(two_years.out / REPORT.format(year=114))
    sheet = workbook["表25 性別意識培力歷年比較"]
    headers = [c.value for c in sheet[2]]
    assert headers[:4] == ["類別", "年度", "應訓人數", "完訓人數"]
    rows = {(r[0].value, r[1].value): r for r in sheet.iter_rows(min_row=3)}
    hidden = two_years.after["suppressed"]
    shown = [
        (label, key)
        for label, key in (("全機關", "all"), ("公務人員", "civil_servants"))
        for gender in ("female",)
        if f"training.groups.{key}.rate.{gender}" not in hidden
    ]
    assert shown  # the samples show the women's rates
    for label, key in shown:
        cell = rows[label, "114"][headers.index("完訓率-女")]
        assert cell.value == two_years.after["training"]["groups"][key]["rate"]["female"]
        assert cell.number_format == "0.0%"
    assert "training.groups.all.rate.total" in hidden  # one 其他 colleague: 合計 hidden
    assert rows["全機關", "114"][headers.index("完訓率-合計")].value == "*"
    cedaw = workbook["表28 CEDAW宣導及其他性別平等措施歷年比較"]
    assert [r[1].value for r in cedaw.iter_rows(min_row=3)] == [
        f["cedaw"]["sessions"] for f in (two_years.before, two_years.after)
    ]
    assert cedaw.cell(3, 2).number_format == "#,##0"


# --- Files not used -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def figures_113(samples_build: SamplesBuild) -> dict:
    return json.loads((samples_build.out / FIGURES.format(year=113)).read_text(encoding="utf-8"))


def _write(folder: Path, name: str, figures: dict | str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    text = figures if isinstance(figures, str) else json.dumps(figures, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def _build_year(
    tmp_path: Path, make_workbook, valid_rows, year: int, *, written: bool = True, **kwargs
) -> Any:
    """A build of `year` from one small workbook (the valid rows, dated in that year);
    not `written`: its figures and problems only, its outputs not written."""
    inbox = tmp_path / "in"
    rows = {
        sheet: [[str(v).replace("113/", f"{year}/") for v in r] for r in records]
        for sheet, records in valid_rows.items()
    }
    make_workbook(rows, year=year, folder=inbox)
    if not written:
        return gathered(inbox, year=year, output_dir=tmp_path / "out", **kwargs)
    return build(inbox, tmp_path / "out", Config(), year=year, **kwargs)


def _build_114(tmp_path: Path, make_workbook, valid_rows, **kwargs) -> Any:
    return _build_year(tmp_path, make_workbook, valid_rows, 114, **kwargs)


def test_files_of_another_agency_schema_or_later_year_and_corrupt_ones_are_not_used(
    tmp_path: Path, make_workbook, valid_rows, figures_113: dict
) -> None:
    folder = tmp_path / "earlier"
    good = _write(folder, "113年度統計數據.json", figures_113)
    other = _write(
        folder, "鼓山區_113年度統計數據.json", {**figures_113, "agency": "高雄市鼓山區公所"}
    )
    schema = _write(
        folder, "舊版_113年度統計數據.json", {**figures_113, "schema": "gmreport.figures/0"}
    )
    later = _write(folder, "115年度統計數據.json", {**figures_113, "year": 115})
    broken = _write(folder, "112年度統計數據.json", json.dumps(figures_113)[:500])
    edited = _write(folder, "手改_113年度統計數據.json", {**figures_113, "training": "很好"})
    outcome = _build_114(tmp_path, make_workbook, valid_rows, history=[folder])
    found = {(p.code, Path(p.file).name) for p in outcome.problems if p.code.startswith("history")}
    assert found == {
        ("history-other-agency", other.name),
        ("history-other-schema", schema.name),
        ("history-later-year", later.name),
        ("history-unreadable", broken.name),
        ("history-unreadable", edited.name),
    }
    assert list(outcome.figures["history"]) == ["113"]
    assert outcome.figures["history"]["113"] == {
        k: v for k, v in json.loads(good.read_text("utf-8")).items() if k != "history"
    }
    messages = {p.code: p.message for p in outcome.problems}
    assert "高雄市鼓山區公所" in messages["history-other-agency"]
    assert "115 年度" in messages["history-later-year"]
    [invalid] = [p for p in outcome.problems if Path(p.file).name == edited.name]
    assert "「training」應為物件" in invalid.message
    assert all(not p.is_error for p in outcome.problems if p.code.startswith("history"))
    # The warnings go to the 檢核結果, never into the report.
    problems = openpyxl.load_workbook(tmp_path / "out" / "114年度填報檢核結果.xlsx")["檢核結果"]
    listed = {row[0] for row in problems.iter_rows(min_row=3, values_only=True)}
    assert {str(other), str(later), str(broken)} <= listed
    report = "".join(_texts(tmp_path / "out" / REPORT.format(year=114)))
    assert "統計數據.json" not in report and "鼓山" not in report


def test_of_two_files_for_one_year_the_newer_is_used(
    tmp_path: Path, make_workbook, valid_rows, figures_113: dict
) -> None:
    older = {**figures_113, "built_at": "2025-01-06T09:00:00+08:00"}
    newer = copy.deepcopy({**figures_113, "built_at": "2025-01-20T15:30:00+08:00"})
    newer["meetings"]["count"] = 2  # a corrected 113 rebuilt later
    first = _write(tmp_path / "a", "113年度統計數據.json", newer)
    second = _write(tmp_path / "b", "113年度統計數據.json", older)
    outcome = _build_114(
        tmp_path, make_workbook, valid_rows, history=[tmp_path / "a", tmp_path / "b"], written=False
    )
    assert outcome.figures["history"]["113"]["meetings"]["count"] == 2
    (warning,) = [p for p in outcome.problems if p.code == "history-duplicate-year"]
    assert warning.file == str(first) and str(second) in warning.message


def test_without_a_build_time_the_file_time_decides(tmp_path: Path, figures_113: dict) -> None:
    old = {k: v for k, v in figures_113.items() if k != "built_at"}
    new = copy.deepcopy(old)
    new["cedaw"]["sessions"] = 9
    a = _write(tmp_path / "a", "113年度統計數據.json", new)
    b = _write(tmp_path / "b", "113年度統計數據.json", old)
    os.utime(b, (1_700_000_000, 1_700_000_000))
    history = read_history([tmp_path / "b", tmp_path / "a"], agency=Config().agency, year=114)
    assert history.years[113]["cedaw"]["sessions"] == 9
    assert [p.file for p in history.problems] == [str(a)]


def test_the_file_being_rebuilt_is_not_a_warning(two_years: TwoYears) -> None:
    history = read_history(
        [two_years.out],
        agency=Config().agency,
        year=114,
        skip=two_years.out / FIGURES.format(year=114),
    )
    assert list(history.years) == [113] and not history.problems


def test_a_later_year_in_the_output_folder_is_not_a_warning(two_years: TwoYears) -> None:
    """113 rebuilt after 114 (the README's order for a new user): 114's file beside it is
    the build's own later output; the same file in a --history folder is warned about."""
    history = read_history(
        [two_years.out],
        agency=Config().agency,
        year=113,
        skip=two_years.out / FIGURES.format(year=113),
    )
    assert not history.years and not history.problems
    elsewhere = read_history([two_years.out], agency=Config().agency, year=113)
    assert {(p.code, Path(p.file).name) for p in elsewhere.problems} == {
        ("history-later-year", FIGURES.format(year=y)) for y in (113, 114)
    }


def test_last_years_workbooks_without_its_figures_get_a_note(
    tmp_path: Path, make_workbook, valid_rows
):
    inbox = tmp_path / "in"
    make_workbook(valid_rows, year=113, folder=inbox)
    rows = {
        k: [[str(v).replace("113/", "114/") for v in r] for r in v] for k, v in valid_rows.items()
    }
    make_workbook(rows, year=114, folder=inbox)
    outcome = gathered(inbox, output_dir=tmp_path / "out")  # the note: before writing
    assert outcome.year == 114 and not outcome.figures["history"]
    (note,) = [n for n in outcome.notes if "歷年比較" in n]
    assert "113 年度的填報檔" in note and "--year 113" in note
    again = build(inbox, tmp_path / "out", Config(), year=113)  # as the note says
    assert not [n for n in again.notes if "歷年比較" in n]
    assert not [n for n in gathered(inbox, output_dir=tmp_path / "out").notes if "歷年比較" in n]


def test_a_history_folder_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    from gmreport.problems import UsageError

    with pytest.raises(UsageError, match="--history"):
        build(SAMPLES, tmp_path / "out", Config(), history=[tmp_path / "沒有這個資料夾"])


# --- Wording --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "now", "before", "before_year", "said"),
    [
        ("training", 0.952, 0.92, 113, "全機關完訓率 95.2%，較 113 年度提高 3.2 個百分點"),
        ("training", 0.9725, 0.95, 113, "全機關完訓率 97.3%，較 113 年度提高 2.3 個百分點"),
        ("training", 0.90, 0.9449, 113, "全機關完訓率 90.0%，較 113 年度降低 4.5 個百分點"),
        ("training", 0.95001, 0.94999, 113, "全機關完訓率 95.0%，與上年度持平"),
        ("cedaw_measures", 3, 3, 113, "CEDAW 宣導 3 場次，與上年度持平"),
        ("cedaw_measures", 3, 3, 112, "CEDAW 宣導 3 場次，與 112 年度持平"),
        ("cedaw_measures", 2, 3, 113, "CEDAW 宣導 2 場次，較 113 年度減少 1 場次"),
    ],
)
def test_a_change_is_said_in_the_plans_terms(key, now, before, before_year, said) -> None:
    measure = BY_KEY[key].findings[0]
    assert change(measure, now, before, before_year, 114) == said


def test_an_unknown_or_hidden_value_is_not_compared() -> None:
    measure = BY_KEY["training"].findings[1]
    assert change(measure, "*", 0.9, 113, 114) is None
    assert change(measure, 0.9, None, 113, 114) is None


def test_nothing_in_both_years_is_not_said_and_the_period_names_its_year() -> None:
    """Issue 22: 「CEDAW 宣導觸及 0 人次，與 113 年度持平」 said nothing; and under 「（113 年度
    至 116 年度）」 a sentence stating 116's figure names its year."""
    measure = BY_KEY["cedaw_measures"].findings[0]
    assert change(measure, 0, 0, 113, 116) is None
    assert change(measure, 0, 2, 113, 116) == "CEDAW 宣導 0 場次，較 113 年度減少 2 場次"
    said = change(measure, 5, 1, 113, 116, name_year=True)
    assert said == "116 年度 CEDAW 宣導 5 場次，較 113 年度增加 4 場次"
    training = BY_KEY["training"].findings[0]
    assert change(training, 1.0, 0.9, 113, 116, name_year=True).startswith("116 年度全機關完訓率")


def _earlier(figures: dict) -> dict:
    """`figures` read as an earlier year's file is (gmreport.figures_file), less its history."""
    read = figures_of(figures)
    assert not isinstance(read, Unusable), read
    return {k: v for k, v in read.items() if k != "history"}


def _trend_rows(figures: dict, key: str) -> list[list[str]]:
    """The rows of the 歷年比較 table of `key`, each cell as the report shows it."""
    table = BY_KEY[key]
    [made] = [t for t in trend_tables(figures, first=1) if t.key == table.table_key]
    return [[made.text(r, c) for c in range(len(made.cols))] for r in range(len(made.rows))]


def test_a_training_group_an_older_file_lacks_shows_a_dash(figures_113: dict) -> None:
    older = copy.deepcopy(figures_113)
    del older["training"]["groups"]["gender_officers"]  # the schema asks only for "all"
    figures = copy.deepcopy(figures_113)
    figures["year"], figures["history"] = 114, {"113": _earlier(older)}
    rows = _trend_rows(figures, "training")
    label = figures["training"]["groups"]["gender_officers"]["label"]
    [before, now] = [r for r in rows if r[0] == label]
    assert before[1:] == ["113", *["—"] * 6]
    assert now[2] == _shown_rate(figures, "gender_officers", "total", "required")
    # the other groups of that year are compared as usual
    all_ = older["training"]["groups"]["all"]
    everyone = next(r for r in rows if r[:2] == [all_["label"], "113"])
    assert everyone[2] == _shown_rate(older, "all", "total", "required")


def test_an_older_file_without_a_figure_is_not_compared(figures_113: dict) -> None:
    """A file that lacks a figure the schema requires is no year's figures: named with the
    key as a file (history-unreadable), and a year of a file's `history` left out."""
    older = copy.deepcopy(figures_113)
    del older["cedaw"]
    refused = figures_of(older)
    assert isinstance(refused, Unusable) and refused.code == "invalid"
    assert "缺少「cedaw」" in refused.reason
    later = copy.deepcopy(figures_113)
    whole = {k: v for k, v in figures_113.items() if k != "history"}
    partial = {k: v for k, v in older.items() if k != "history"}
    later["year"], later["history"] = 114, {"112": {**partial, "year": 112}, "113": whole}
    read = figures_of(later)
    assert not isinstance(read, Unusable)
    assert list(read["history"]) == ["113"]


# --- 計畫期程總檢討 ---------------------------------------------------------------------------


def _year(figures: dict, year: int, verdicts: dict[str, str]) -> dict:
    """`figures` as if of `year`, with the given targets' verdicts."""
    out = copy.deepcopy(figures)
    out["year"] = year
    out["history"] = {}
    for t in out["targets"]:
        if t["id"] in verdicts:
            t["verdict"] = verdicts[t["id"]]
            t["met"] = verdicts[t["id"]] in ("達成", "已辦理")
    return out


@pytest.fixture
def period(tmp_path: Path, make_workbook, valid_rows, figures_113: dict) -> tuple[dict, dict]:
    """A 113–116 series with 115 missing: 113's and 114's files written here, 116 built."""
    earlier = tmp_path / "earlier"
    y113 = _year(figures_113, 113, {"cedaw_sessions": "未達成"})
    y114 = _year(figures_113, 114, {"cedaw_sessions": "達成", "training_completion": "達成"})
    y114["training"]["groups"]["all"]["rate"]["total"] = 1.0
    _write(earlier, "113年度統計數據.json", y113)
    _write(earlier, "114年度統計數據.json", y114)
    outcome = _build_year(tmp_path, make_workbook, valid_rows, 116, history=[earlier])
    return outcome.figures, {"113": y113, "114": y114}


def test_the_plans_last_year_reviews_every_target_year_by_year(period, tmp_path: Path) -> None:
    figures, earlier = period
    report = tmp_path / "out" / REPORT.format(year=116)
    texts = _texts(report)
    assert "計畫期程總檢討" in texts
    assert any("115 年度未有統計數據" in t for t in texts)
    table = _rows(report, "計畫期程各目標逐年達成情形")
    assert table[0] == ["目標", "年度", "年度", "年度", "年度", "達成年度數"]
    assert table[1][1:5] == ["113", "114", "115", "116"]
    by_label = {row[0]: row[1:] for rows in _sections(table[2:]).values() for row in rows}
    assert len(by_label) == len(figures["targets"])
    for t in figures["targets"]:
        said = [
            next(e["verdict"] for e in earlier["113"]["targets"] if e["id"] == t["id"]),
            next(e["verdict"] for e in earlier["114"]["targets"] if e["id"] == t["id"]),
            t["verdict"],
        ]
        met = sum(v in ("達成", "已辦理") for v in said)
        assert by_label[t["label"]] == [
            *(MARK.get(v, "－") for v in said[:2]),
            "無資料",
            MARK.get(said[2], "－"),
            f"{met}／3",
        ]
    assert by_label["CEDAW 宣導每年至少 2 場次"][:2] == ["×", "√"]
    # The 歷年比較 names the missing year in its rows, and the period's trend is stated.
    meetings = _table(report, "性別平等執行小組歷年比較")
    assert [r[0] for r in meetings[1:]] == ["113", "114", "115（無資料）", "116"]
    assert any("（113 年度至 116 年度）：" in t for t in texts)
    stated = any(t.startswith("性別意識培力（113 年度至 116 年度）：全機關完訓率") for t in texts)
    total = "training.groups.all.rate.total"  # not compared where privacy hides it
    assert stated is not (hidden(figures, total) or hidden(earlier["113"], total))


def test_the_period_review_is_in_the_statistics_workbook(period, tmp_path: Path) -> None:
    figures, earlier = period
    workbook = openpyxl.load_workbook(tmp_path / "out" / STATISTICS.format(year=116))
    assert _numbered_sheets(workbook) == _captions(tmp_path / "out" / REPORT.format(year=116))
    [name] = [n for n in workbook.sheetnames if n.endswith(" 計畫期程各目標逐年達成情形")]
    sheet = workbook[name]
    headers = [c.value for c in sheet[2]]
    assert headers == ["工作項目", "目標", "113年度", "114年度", "115年度", "116年度", "達成年度數"]
    first = [c.value for c in sheet[3]]
    assert first[2:6] == [
        earlier["113"]["targets"][0]["verdict"],
        earlier["114"]["targets"][0]["verdict"],
        "無資料",
        figures["targets"][0]["verdict"],
    ]


def test_a_plan_year_without_history_still_gets_its_review(figures_113: dict) -> None:
    figures = copy.deepcopy(figures_113)
    figures["year"] = 116
    review = report_trends(figures)["period_review"]
    assert review["shown"] and review["missing"] == [113, 114, 115]
    assert review["trends"] == []
    assert report_trends(figures_113)["period_review"]["shown"] is False


def test_the_years_compared_skip_none(two_years: TwoYears) -> None:
    compared = Years(114, {113: two_years.before, 114: two_years.after}, [])
    assert compared.rows == [113, 114] and compared.previous == 113


def test_a_file_made_before_small_groups_were_hidden_is_hidden_by_todays_rule(
    figures_113: dict,
) -> None:
    older = copy.deepcopy(figures_113)
    del older["suppressed"]
    read = _earlier(older)
    assert read["suppressed"] == figures_113["suppressed"] != []
    figures = copy.deepcopy(figures_113)
    figures["year"], figures["history"] = 114, {"113": read}
    rows = _trend_rows(figures, "training")

    def hidden(year: str) -> list:
        return [(r[0], [i for i, v in enumerate(r) if v == "*"]) for r in rows if r[1] == year]

    assert hidden("113") == hidden("114")  # the same figures, hidden by the same rule
    assert any(cells for _, cells in hidden("113"))


# --- 計畫期程總檢討 over four generated years ---------------------------------------------

PLAN_UNITS = ("人事室", "秘書室", "會計室", "民政課", "社會課")
"""The generated agency: the plan's lead units (and 社會課, which assists with CEDAW)."""
PERIOD_REVIEWS = {
    "人事室": ("四年來每年召開性平執行小組會議並辦理培力課程。", "將持續追蹤未完訓同仁。"),
    "秘書室": ("四年來完成多案性別影響評估。", ""),
    "社會課": ("協助辦理 CEDAW 宣導。", "擴大宣導對象。"),
}
"""The units' whole-period reviews written in the plan's last year (會計室 writes none)."""
EARLY_REVIEW = "不應列入之期程檢討文字。"
"""A whole-period review 人事室 writes in 115, which no report prints."""


class FourYears(NamedTuple):
    out: Path
    built: dict[int, Any]  # each built year's Outcome
    figures: dict[int, dict]  # each built year's figures as its file says


def _unit_year(tool: Any, unit: str, year: int) -> Any:
    """`unit`'s data in `year`: counts that differ from year to year (113 → 116)."""
    n = year - 112  # 1..4
    spec = tool.UnitSpec
    staff = tool.staff
    if unit == "人事室":
        return spec(
            unit,
            staff(3, "女", 2) + staff(2, "男", 2 if n != 2 else 0),
            members=tool.FULL_GROUP,
            meetings=1 + n % 3,
        )
    if unit == "秘書室":
        return spec(unit, staff(2, "女", 2), gia=(True,) * n + (False,) * (n % 2))
    if unit == "會計室":
        return spec(
            unit,
            staff(2, "男", 2),
            indicators=("新增",) * (n % 2) + ("修訂",) + ("既有",) * n,
            budget=((100_000 * n, 90_000 * n + 5_000, 10 + n, 12), (50_000, 40_000 + n, 5, 5)),
        )
    if unit == "民政課":
        return spec(
            unit,
            staff(2, "女", 2),
            cedaw=tuple((5 + i, 7 + n) for i in range(n if n != 3 else 1)),
            measures=((2, 3 * n),) * (n % 3),
        )
    return spec(unit, staff(1, "男", 2), cedaw=((4, 4),) if n == 4 else ())


def _write_year(tool: Any, folder: Path, year: int, units: tuple[str, ...]) -> None:
    from gmreport.blank_workbook import blank_workbook

    make_samples = load_tool("make_samples")
    for unit in units:
        sheets = {
            k: v for k, v in tool.unit_sheets(_unit_year(tool, unit, year), year).items() if v
        }
        if year == 116 and unit in PERIOD_REVIEWS:
            done, review = PERIOD_REVIEWS[unit]
            sheets["narratives"] = [{"item": "計畫期程總檢討", "done": done, "review": review}]
        if year == 115 and unit == "人事室":
            sheets["narratives"] = [{"item": "計畫期程總檢討", "done": EARLY_REVIEW}]
        workbook = blank_workbook(agency=Config().agency, unit=unit, year=year, data_rows=20)
        make_samples.fill(workbook, {}, sheets)
        workbook.save(folder / f"{year}年度_{unit}_性別主流化填報.xlsx")


@pytest.fixture(scope="module")
def four_years(tmp_path_factory: pytest.TempPathFactory) -> FourYears:
    """113, 115 and 116 of a generated agency built in turn into one output folder (114 never
    built: 無資料); in 115 會計室 sends nothing (未繳交). Once for all workers."""

    def make(folder: Path) -> FourYears:
        tool = load_tool("make_rollup_samples")
        config = Config(units=PLAN_UNITS)
        out = folder / "out"
        out.mkdir()
        built = {}
        for year in (113, 115, 116):
            inbox = folder / f"in-{year}"
            inbox.mkdir()
            units = tuple(u for u in PLAN_UNITS if not (year == 115 and u == "會計室"))
            _write_year(tool, inbox, year, units)
            built[year] = build(inbox, out, config, year=year)
        figures = {
            y: json.loads((out / FIGURES.format(year=y)).read_text(encoding="utf-8")) for y in built
        }
        return FourYears(out, built, figures)

    return once(tmp_path_factory, "four-years", make)


def _rows(path: Path, title: str) -> list[list[str]]:
    """A table's rows as _table gives them, a row across the table (a work item's heading)
    as its one text."""
    return [row[:1] if len(set(row)) == 1 else row for row in _table(path, title)]


def _sections(rows: list[list[str]]) -> dict[str, list[list[str]]]:
    """The rows of a table under each heading row across it."""
    out: dict[str, list[list[str]]] = {}
    heading = ""
    for row in rows:
        if len(row) == 1:
            heading = row[0]
            out[heading] = []
        elif heading:
            out[heading].append(row)
    return out


def test_the_generated_years_differ(four_years: FourYears) -> None:
    f = four_years.figures
    for key in ("meetings", "gia", "cedaw"):
        counts = [f[y][key]["count" if key != "cedaw" else "sessions"] for y in (113, 115, 116)]
        assert len(set(counts)) > 1, (key, counts)
    assert f[115]["units"]["missing"] == ["會計室"]
    assert sorted(f[116]["history"]) == ["113", "115"]


def test_the_period_totals_add_up_the_years_with_figures(four_years: FourYears) -> None:
    report = four_years.out / REPORT.format(year=116)
    rows = _rows(report, "計畫期程各工作項目辦理成果")
    assert rows[1][1:5] == ["113", "114", "115", "116"]  # under 「年度」
    sections = _sections(rows[2:])
    assert list(sections) == [
        "性平執行小組會議",
        "性別意識培力",
        "性別影響評估",
        "性別統計與性別預算",
        "CEDAW宣導及其他性平措施",
    ]
    by_label = {r[0]: r[1:] for rows_ in sections.values() for r in rows_}
    f = four_years.figures
    with_data = (113, 115, 116)
    sums = {
        "召開會議（次）": lambda g: g["meetings"]["count"],
        "辦理案數": lambda g: g["gia"]["count"],
        "諮詢專家學者案數": lambda g: g["gia"]["expert_consulted"],
        "新增或修訂性別統計指標（項）": lambda g: g["indicators"]["reviewed"],
        "性別預算編列數（元）": lambda g: g["budget"]["allocated"],
        "性別預算執行數（元）": lambda g: g["budget"]["executed"],
        "CEDAW 宣導（場次）": lambda g: g["cedaw"]["sessions"],
        "CEDAW 宣導參與（人次）": lambda g: g["cedaw"]["participants"]["total"],
        "其他性平措施（項）": lambda g: g["other_measures"]["count"],
        "其他性平措施參與（人次）": lambda g: g["other_measures"]["participants"]["total"],
    }
    for label, get in sums.items():
        each = {y: get(f[y]) for y in with_data}
        assert by_label[label] == [
            number(each[113]),
            "無資料",
            number(each[115]),
            number(each[116]),
            number(sum(each.values())),
        ], label
    executed = sum(f[y]["budget"]["executed"] for y in with_data)
    allocated = sum(f[y]["budget"]["allocated"] for y in with_data)
    assert by_label["性別預算執行率"][-1] == percent(executed / allocated)
    assert by_label["全機關完訓率"][-1] == "—"  # a rate is not added up
    note = next(t for t in _texts(report) if t.startswith("註：「期程合計」"))
    assert "114 年度無資料，未計入" in note and "113、115、116 年度" in note
    assert "115 年度不含會計室" in note  # the year 會計室 sent nothing


def test_the_period_totals_are_numbers_in_the_statistics_workbook(four_years: FourYears) -> None:
    workbook = openpyxl.load_workbook(four_years.out / STATISTICS.format(year=116))
    assert _numbered_sheets(workbook) == _captions(four_years.out / REPORT.format(year=116))
    [name] = [n for n in workbook.sheetnames if n.endswith(" 計畫期程各工作項目辦理成果")]
    sheet = workbook[name]
    headers = [c.value for c in sheet[2]]
    assert headers == ["工作項目", "項目", "113年度", "114年度", "115年度", "116年度", "期程合計"]
    rows = {r[1].value: [c.value for c in r[2:]] for r in sheet.iter_rows(min_row=3) if r[1].value}
    sessions = [four_years.figures[y]["cedaw"]["sessions"] for y in (113, 115, 116)]
    assert rows["CEDAW 宣導（場次）"] == [sessions[0], "無資料", *sessions[1:], sum(sessions)]
    amounts = [four_years.figures[y]["budget"]["allocated"] for y in (113, 115, 116)]
    assert rows["性別預算編列數（元）"] == [amounts[0], "無資料", *amounts[1:], sum(amounts)]


MARK = {"達成": "√", "已辦理": "√", "未達成": "×", "未辦理": "×", "資料不全": "？"}


def test_the_grid_marks_each_years_verdict(four_years: FourYears) -> None:
    report = four_years.out / REPORT.format(year=116)
    rows = _rows(report, "計畫期程各目標逐年達成情形")
    assert rows[0][0] == "目標" and rows[1][1:5] == ["113", "114", "115", "116"]
    grid = {r[0]: r[1:] for rows_ in _sections(rows[2:]).values() for r in rows_}
    f = four_years.figures
    verdicts = {y: {t["label"]: t["verdict"] for t in f[y]["targets"]} for y in (113, 115, 116)}
    assert set(grid) == set(verdicts[116])
    for label, row in grid.items():
        said = [verdicts[y].get(label, "—") for y in (113, 115, 116)]
        marks = [MARK.get(v, "－") for v in said]
        met = sum(v in ("達成", "已辦理") for v in said)
        judged = sum(v not in ("—", "無應訓人員") for v in said)  # nobody to train: not judged
        assert row == [marks[0], "無資料", *marks[1:], f"{met}／{judged}"], label
    every = [m for row in grid.values() for m in row[:4]]
    assert {"√", "×", "？", "無資料"} <= set(every)  # the generated years show every mark
    assert all("\n" not in m for m in every)  # one line per cell
    note = next(t for t in _texts(report) if t.startswith("註：√ 達成"))
    assert "？ 資料不全" in note and "無資料" in note


def _chapter(path: Path, heading: str) -> list[Paragraph]:
    """The paragraphs of the chapter `heading` (a 壹、 heading) up to the next chapter."""
    blocks = [b for b in _blocks(path) if isinstance(b, Paragraph)]
    start = next(i for i, b in enumerate(blocks) if b.text == heading and _level(b) == 1)
    end = next((i for i, b in enumerate(blocks[start + 1 :], start + 1) if _level(b) == 1), None)
    return blocks[start + 1 : end]


def _level(paragraph: Paragraph) -> int | None:
    style = paragraph.style.style_id if paragraph.style is not None else ""
    return int(style[-1]) if style.startswith("Heading") and style[-1].isdigit() else None


def test_the_chapter_numbers_its_parts_and_prints_the_units_reviews(four_years: FourYears) -> None:
    chapter = _chapter(four_years.out / REPORT.format(year=116), "計畫期程總檢討")
    parts = [p.text for p in chapter if _level(p) == 2]
    assert parts == ["各目標逐年達成情形", "各工作項目期程辦理成果", "綜合檢討"]  # 一、二、三
    after = [p.text for p in chapter[[p.text for p in chapter].index("綜合檢討") + 1 :]]
    lead = dict(Config().lead_units)
    for unit, (done, review) in PERIOD_REVIEWS.items():
        [line] = [t for t in after if t.startswith(unit) and t.endswith(done)]
        led = [
            i
            for i, units in lead.items()
            if unit in re.sub(r"（協辦：.*?）", "", units).split("、")
        ]
        if led:
            assert f"主辦：{'、'.join(led)}" in line
        if review:
            assert after[after.index(line) + 1] == f"檢討與精進：{review}"
    assert "社會課（協辦：CEDAW宣導及其他性平措施）：協助辦理 CEDAW 宣導。" in after
    # in the config's order; the lead units that wrote none are warned and not named
    named = [u for t in after for u in PLAN_UNITS if t.startswith(u + "（")]
    assert named == [u for u in PLAN_UNITS if u in PERIOD_REVIEWS]
    leads = {u for units in lead.values() for u in re.sub(r"（協辦：.*?）", "", units).split("、")}
    warned = {p.unit for p in four_years.built[116].problems if p.code == "period-review-missing"}
    assert warned == leads - set(PERIOD_REVIEWS) == {"會計室", "民政課"}
    # what the targets came to, from the figures, opens the part
    targets = four_years.figures[116]["targets"]
    assert after[0].startswith(f"本計畫所列目標 {len(targets)} 項")


def test_a_period_review_before_the_last_year_is_warned_and_not_printed(
    four_years: FourYears,
) -> None:
    [warning] = [
        p for p in four_years.built[115].problems if p.code == "period-review-not-last-year"
    ]
    assert warning.unit == "人事室" and warning.cell == "A3"
    assert "116 年度" in warning.message and "115 年度" in warning.message
    assert [b["item"] for b in four_years.figures[115]["narratives"]] == list(WORK_ITEMS)
    for year in (115, 116):
        text = "".join(_texts(four_years.out / REPORT.format(year=year)))
        assert EARLY_REVIEW not in text
    assert not [
        p for p in four_years.built[116].problems if p.code == "period-review-not-last-year"
    ]
    # the last year's reviews are a block of their own, never a chapter of 辦理情形
    assert four_years.figures[116]["narratives"][-1]["item"] == "計畫期程總檢討"
    reviews = _chapter(four_years.out / REPORT.format(year=116), "檢討與精進")
    assert not any(done in p.text for p in reviews for done, _ in PERIOD_REVIEWS.values())


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="需要 LibreOffice（soffice）才能轉出 PDF"
)
def test_the_last_years_pdf_breaks_no_word_and_leaves_no_page_half_empty(
    four_years: FourYears, tmp_path: Path
) -> None:
    """Issue 22, on the plan's last year of a generated agency (歷年比較, 計畫期程總檢討): no
    word broken in a table cell, no page under half full but the last of a chapter, and the
    fonts UKai and Liberation Serif only."""
    docx = four_years.out / REPORT.format(year=116)
    out = convert_to_pdf(docx, tmp_path)
    assert pdf_cells.broken_words(out, docx) == []
    read = pdf_pages.pages(out)
    for page, following in itertools.pairwise(read):
        if page.fill < 0.5:
            assert re.match(r"[壹貳參肆伍陸柒捌玖拾]、", following.first_words), (page, following)
    fonts = subprocess.run(["pdffonts", out], capture_output=True, text=True, check=True).stdout
    faces = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    assert faces and all("Kai" in f or f.startswith("LiberationSerif") for f in faces), faces


def test_the_last_year_does_not_say_the_units_wrote_no_review_when_they_reviewed_the_period(
    four_years: FourYears,
) -> None:
    """Issue 22: 116's 檢討與精進 said 「各單位未另提檢討與精進事項」 above the units' reviews
    of the period in the chapter before it."""
    texts = _texts(four_years.out / REPORT.format(year=116))
    assert four_years.figures[116]["plan"]["last_year"] == 116 and PERIOD_REVIEWS
    assert "各單位未另提檢討與精進事項。" not in texts
    assert "各單位之檢討與精進，併於計畫期程總檢討敘明。" in texts
    assert "各單位未另提檢討與精進事項。" in _texts(four_years.out / REPORT.format(year=115))
