"""History across the plan's years (SPEC §3 ★ History): earlier years' figures read, checked
and compared in the report, the 統計總表 and the JSON; 計畫期程總檢討 in the plan's last year.

The expected differences are computed here from the two years' figures, with the format
module's percentages, not copied from an output.
"""

from __future__ import annotations

import copy
import json
import os
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
from gmreport.render.trends import TREND_TABLES_BY_KEY, Years, change, report_trends

from .conftest import SAMPLES, SAMPLES_ROOT, SamplesBuild

REPORT = "{year}年度性別主流化執行成果報告.docx"
STATISTICS = "{year}年度性別主流化統計總表.xlsx"
FIGURES = "{year}年度統計數據.json"


class TwoYears(NamedTuple):
    out: Path
    before: dict  # 113's figures as its file says
    after: dict  # 114's


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> TwoYears:
    """The samples' 113 built, then 114 into the same output folder."""
    out = tmp_path_factory.mktemp("two-years")
    build(SAMPLES, out, Config())
    build(SAMPLES_ROOT / "114", out, Config())
    before, after = (
        json.loads((out / FIGURES.format(year=y)).read_text(encoding="utf-8")) for y in (113, 114)
    )
    return TwoYears(out, before, after)


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
            return [[c.text for c in row.cells] for row in table.rows]
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


def _build_year(tmp_path: Path, make_workbook, valid_rows, year: int, **kwargs) -> Any:
    """A build of `year` from one small workbook (the valid rows, dated in that year)."""
    inbox = tmp_path / "in"
    rows = {
        sheet: [[str(v).replace("113/", f"{year}/") for v in r] for r in records]
        for sheet, records in valid_rows.items()
    }
    make_workbook(rows, year=year, folder=inbox)
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
        tmp_path, make_workbook, valid_rows, history=[tmp_path / "a", tmp_path / "b"]
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
    outcome = build(inbox, tmp_path / "out", Config())
    assert outcome.year == 114 and not outcome.figures["history"]
    (note,) = [n for n in outcome.notes if "歷年比較" in n]
    assert "113 年度的填報檔" in note and "--year 113" in note
    again = build(inbox, tmp_path / "out", Config(), year=113)  # as the note says
    assert not [n for n in again.notes if "歷年比較" in n]
    assert not [n for n in build(inbox, tmp_path / "out", Config()).notes if "歷年比較" in n]


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
    measure = TREND_TABLES_BY_KEY[key].findings[0]
    assert change(measure, now, before, before_year, 114) == said


def test_an_unknown_or_hidden_value_is_not_compared() -> None:
    measure = TREND_TABLES_BY_KEY["training"].findings[1]
    assert change(measure, "*", 0.9, 113, 114) is None
    assert change(measure, 0.9, None, 113, 114) is None


def _earlier(figures: dict) -> dict:
    """`figures` read as an earlier year's file is (gmreport.figures_file), less its history."""
    read = figures_of(figures)
    assert not isinstance(read, Unusable), read
    return {k: v for k, v in read.items() if k != "history"}


def test_a_training_group_an_older_file_lacks_shows_a_dash(figures_113: dict) -> None:
    older = copy.deepcopy(figures_113)
    del older["training"]["groups"]["gender_officers"]  # the schema asks only for "all"
    figures = copy.deepcopy(figures_113)
    figures["year"], figures["history"] = 114, {"113": _earlier(older)}
    rows = report_trends(figures)["trends"]["training"]["rows"]
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
    table = _table(report, "計畫期程各目標逐年達成情形")
    assert table[0] == ["工作項目", "目標", "各年度達成情形", "達成年度數"]
    assert len(table) - 1 == len(figures["targets"])
    by_label = {row[1]: row for row in table[1:]}
    for t in figures["targets"]:
        row = by_label[t["label"]]
        verdicts = [
            earlier["113"]["targets"][i]["verdict"]
            for i, e in enumerate(earlier["113"]["targets"])
            if e["id"] == t["id"]
        ]
        then = {e["id"]: e["verdict"] for e in earlier["114"]["targets"]}
        assert row[2].split("\n") == [
            f"113 年度：{verdicts[0]}",
            f"114 年度：{then[t['id']]}",
            "115 年度：無資料",
            f"116 年度：{t['verdict']}",
        ]
        met = sum(v in ("達成", "已辦理") for v in (verdicts[0], then[t["id"]], t["verdict"]))
        assert row[3] == f"{met}／3"
    cedaw = by_label["CEDAW 宣導每年至少 2 場次"]
    assert cedaw[2].split("\n")[:2] == ["113 年度：未達成", "114 年度：達成"]
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
    sheet = workbook[workbook.sheetnames[-1]]
    assert sheet.title.endswith(" 計畫期程各目標逐年達成情形")
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
    rows = report_trends(figures)["trends"]["training"]["rows"]

    def hidden(year: str) -> list:
        return [(r[0], [i for i, v in enumerate(r) if v == "*"]) for r in rows if r[1] == year]

    assert hidden("113") == hidden("114")  # the same figures, hidden by the same rule
    assert any(cells for _, cells in hidden("113"))
