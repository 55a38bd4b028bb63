"""`gmreport rollup`: made-up agencies built by the real build, rolled up by the real CLI.

Every figure of the 彙整 workbook and the Word report is compared with values computed
here from the agencies' specs (tools/make_rollup_samples.py: who works where, with how
many hours, which sessions and budgets), never copied from an output.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import shutil
import statistics
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document

from gmreport import format as fmt
from gmreport.atomic import TEMP_PREFIX
from gmreport.cli import main
from gmreport.disclosure import audit
from gmreport.render.charts import find_cjk_font
from gmreport.schema import CIVIL_SERVANT, WORKER
from gmreport.targets import TARGETS

from . import hostile, pdf_cells
from .conftest import load_tool, once, write

TOOL = load_tool("make_rollup_samples")
YEAR = TOOL.YEAR
WORKBOOK = f"{YEAR}年度各機關性別主流化執行成果彙整.xlsx"
REPORT = f"{YEAR}年度各機關性別主流化執行成果彙整報告.docx"
GENDERS = {"男": "male", "女": "female", "其他": "other"}
LABELS = {"male": "男", "female": "女", "other": "其他", "total": "合計"}
EX_OFFICIO = (
    "人事當然成員",
    "會計當然成員",
    "調解當然成員",
    "研考當然成員",
    "婦女社會參與促進小組連絡人",
)
NOT_JSON = "不是 JSON 格式的統計數據檔（無法解析）"
TARGET_NAMES = {t.id: t.city.name for t in TARGETS}
HOURS = 2  # the default config's target hours for every 人員類別 the specs use


# --- What each agency's figures must be, from its spec ------------------------------------


def _genders(items: list[tuple[str, int]]) -> dict[str, int]:
    """{male, female, other, total} from (性別, count) pairs."""
    counts = dict.fromkeys(("male", "female", "other"), 0)
    for gender, n in items:
        counts[GENDERS[gender]] += n
    return {**counts, "total": sum(counts.values())}


def _rate(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def expected(agency: Any) -> dict[str, Any]:
    """The figures of one agency, flat, computed from its spec."""
    units = agency.units
    people = [s for u in units for s in u.staff]
    members = [m for u in units for m in u.members]
    e: dict[str, Any] = {}
    for part, who in (("required", people), ("completed", [s for s in people if s.hours >= HOURS])):
        for g, n in _genders([(s.gender, 1) for s in who]).items():
            e[f"{part}.{g}"] = n
    for g in LABELS:
        e[f"rate.{g}"] = _rate(e[f"completed.{g}"], e[f"required.{g}"])
    for key, types in (("civil", (CIVIL_SERVANT,)), ("workers", (WORKER,))):
        group = [s for s in people if s.staff_type in types]
        e[f"{key}.rate"] = _rate(sum(s.hours >= HOURS for s in group), len(group))
    e["hours"] = sum(s.hours for s in people)
    e["meetings"] = sum(u.meetings for u in units)
    for g, n in _genders([(g, 1) for g, _ in members]).items():
        e[f"members.{g}"] = n
    e["gia"] = sum(len(u.gia) for u in units)
    e["gia.expert"] = sum(sum(u.gia) for u in units)
    statuses = [s for u in units for s in u.indicators]
    e["indicators"], e["new"], e["revised"] = (
        len(statuses),
        statuses.count("新增"),
        statuses.count("修訂"),
    )
    budget = [b for u in units for b in u.budget]
    e["budget.count"] = len(budget)
    e["allocated"], e["executed"] = sum(b[0] for b in budget), sum(b[1] for b in budget)
    for g, n in _genders([("男", b[2]) for b in budget] + [("女", b[3]) for b in budget]).items():
        e[f"beneficiaries.{g}"] = n
    for section in ("cedaw", "measures"):
        rows = [r for u in units for r in getattr(u, section)]
        e[f"{section}.count"] = len(rows)
        for g, n in _genders([("男", r[0]) for r in rows] + [("女", r[1]) for r in rows]).items():
            e[f"{section}.{g}"] = n
    n_members = e["members.total"]
    third = math.ceil(n_members / 3)
    roles = [r for _, r in members]
    e["verdicts"] = {
        "meetings_per_year": e["meetings"] >= 1,
        "members_range": 7 <= n_members <= 13,
        "convener": roles.count("召集人") == 1,
        "ex_officio": all(r in roles for r in EX_OFFICIO),
        "gender_balance": n_members > 0
        and e["members.male"] >= third
        and e["members.female"] >= third,
        "training_completion": (e["rate.total"] or 0) >= agency.completion_rate,
        "training_civil_servants": (e["civil.rate"] or 0) >= agency.completion_rate,
        "training_other_staff": None
        if e["workers.rate"] is None
        else e["workers.rate"] >= agency.completion_rate,
        "gia_done": e["gia"] >= 1,
        "indicators_reviewed": e["new"] + e["revised"] >= 1,
        "budget_reviewed": e["budget.count"] >= 1,
        "cedaw_sessions": e["cedaw.count"] >= agency.cedaw_sessions,
        "other_measures": e["measures.count"] >= 1,
    }
    # A unit of the config that sent nothing leaves undecided (資料不全) what its data could
    # still change: every training target, and the targets of the work items it leads.
    e["absent"] = {
        t: [u for u in agency.missing if u in LEADS.get(t, agency.missing)] for t in e["verdicts"]
    }
    e["waits"] = {t: bool(units) for t, units in e["absent"].items()}
    e["missing_units"] = list(agency.missing)
    return e


def named(rolled: Rolled, agency: str, target: str) -> str:
    """An agency's name as the report lists it under a target, with the units the target's
    figure lacks: 「高雄市山林區公所（會計室未繳交）」."""
    absent = rolled.expect[agency]["absent"][target]
    return f"{agency}（{'、'.join(absent)}未繳交）" if absent else agency


DONE_TARGETS = ("gia_done", "budget_reviewed")
LEADS = {
    **dict.fromkeys(
        ("meetings_per_year", "members_range", "convener", "ex_officio", "gender_balance"),
        ("人事室",),
    ),
    "gia_done": ("秘書室",),
    "indicators_reviewed": ("會計室",),
    "budget_reviewed": ("會計室",),
    "cedaw_sessions": ("民政課", "社會課"),
    "other_measures": ("民政課", "社會課"),
}
"""The plan's 主辦 (and 協辦) units of each target's work item; training: every unit."""
INCOMPLETE = "資料不全"


GROWS = (
    "meetings_per_year", "ex_officio", "gia_done", "indicators_reviewed", "budget_reviewed",
    "cedaw_sessions", "other_measures",
)  # fmt: skip
"""The targets whose figure more data could only raise (a count, every role present, an item
done): reached on partial figures they are reached; short of them, undecided."""


def verdict(target: str, met: bool | None, waits: bool = False) -> str:
    if waits and (met is False if target in GROWS else met is not False):
        return INCOMPLETE
    if met is None:
        return "無應訓人員"
    if target in DONE_TARGETS:
        return "已辦理" if met else "未辦理"
    return "達成" if met else "未達成"


def words(e: dict[str, Any]) -> dict[str, str]:
    """Each target's verdict of an agency's expected figures."""
    return {t: verdict(t, met, e["waits"][t]) for t, met in e["verdicts"].items()}


PARTS = {"應訓人數": "required", "完訓人數": "completed", "完訓率": "rate"}


def hidden(rolled: Rolled, agency: str, part: str, gender: str) -> bool:
    """Whether the agency's report showed its 全機關 `part` of `gender` as 「*」."""
    return f"training.groups.all.{part}.{gender}" in rolled.hidden[agency]


# --- Running the command ------------------------------------------------------------------


@dataclass
class Run:
    code: int
    out: str
    err: str


def run(*args: str | Path) -> Run:
    """The real entry point, in this process, with what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return Run(code, out.getvalue(), err.getvalue())


def sheet_rows(path: Path, name: str) -> list[dict[str, Any]]:
    """A sheet's rows from row 3, keyed by the headers of row 2."""
    ws = openpyxl.load_workbook(path)[name]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def docx_text(path: Path) -> tuple[str, list[list[list[str]]]]:
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return text, tables


@pytest.fixture(scope="session")
def agency_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each made-up agency through the real build, once (for all workers): its figures file."""
    return once(
        tmp_path_factory,
        "agencies",
        lambda work: {a.name: TOOL.build_agency(a, work) for a in TOOL.AGENCIES},
    )


@dataclass
class Rolled:
    run: Run
    out: Path
    expect: dict[str, dict[str, Any]]
    hidden: dict[str, set[str]]
    """Each agency's figures its own report hid (its file's `suppressed`)."""


@pytest.fixture(scope="session")
def rolled(agency_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Rolled:
    """The agencies' files rolled up, once for all workers."""

    def make(work: Path) -> Rolled:
        folder = work / "figures"
        for name, path in agency_files.items():
            (folder / name).mkdir(parents=True)
            shutil.copy(path, folder / name / path.name)  # one folder each: found at any depth
        listed = work / "機關清單.txt"
        listed.write_text("\ufeff" + "\n".join(TOOL.EXPECTED) + "\n\n", encoding="utf-8")
        out = work / "rolled"
        out.mkdir()
        result = run("rollup", folder, "--agencies", listed, "--output", out)
        hidden = {
            name: set(json.loads(path.read_text(encoding="utf-8"))["suppressed"])
            for name, path in agency_files.items()
        }
        return Rolled(result, out, {a.name: expected(a) for a in TOOL.AGENCIES}, hidden)

    return once(tmp_path_factory, "rolled", make)


# --- The workbook -------------------------------------------------------------------------


def count(key: str) -> Callable[[dict[str, Any]], Any]:
    return lambda e: e[key]


def ratio(part: str, whole: str) -> tuple[str, str]:
    return (part, whole)


SHEETS: dict[str, dict[str, Any]] = {
    "性平小組": {
        "會議次數": "meetings",
        **{f"組員\n{LABELS[g]}": f"members.{g}" for g in LABELS},
        "組員\n女性比例": ratio("members.female", "members.total"),
        "會議目標": ("verdict", "meetings_per_year"),
        "組員人數": ("verdict", "members_range"),
        "召集人": ("verdict", "convener"),
        "當然成員": ("verdict", "ex_officio"),
        "性別比例": ("verdict", "gender_balance"),
    },
    "性別意識培力": {
        **{f"應訓人數\n{LABELS[g]}": f"required.{g}" for g in LABELS},
        **{f"完訓人數\n{LABELS[g]}": f"completed.{g}" for g in LABELS},
        **{f"完訓率\n{LABELS[g]}": ratio(f"completed.{g}", f"required.{g}") for g in LABELS},
        "應訓人員\n研習時數": "hours",
        "全年研習\n總時數": "hours",
        "全機關完訓率\n目標": ("verdict", "training_completion"),
        "公務人員等\n完訓率目標": ("verdict", "training_civil_servants"),
        "職工等\n完訓率目標": ("verdict", "training_other_staff"),
    },
    "性別影響評估": {
        "辦理案數": "gia",
        "諮詢專家\n學者案數": "gia.expert",
        "辦理情形": ("verdict", "gia_done"),
    },
    "性別統計": {
        "指標數": "indicators",
        "新增": "new",
        "修訂": "revised",
        "檢討目標": ("verdict", "indicators_reviewed"),
    },
    "性別預算": {
        "計畫數": "budget.count",
        "編列數（元）": "allocated",
        "執行數（元）": "executed",
        "執行率": ratio("executed", "allocated"),
        **{f"受益人數\n{LABELS[g]}": f"beneficiaries.{g}" for g in LABELS},
        "檢視情形": ("verdict", "budget_reviewed"),
    },
    "CEDAW宣導": {
        "場次": "cedaw.count",
        **{f"參與人次\n{LABELS[g]}": f"cedaw.{g}" for g in LABELS},
        "參與者\n女性比例": ratio("cedaw.female", "cedaw.total"),
        "場次目標": ("verdict", "cedaw_sessions"),
    },
    "其他性平措施": {
        "措施數": "measures.count",
        "對應指定\n項目": "measures.count",  # every measure names a 對應項目, none designated
        **{f"參與人次\n{LABELS[g]}": f"measures.{g}" for g in LABELS},
        "措施目標": ("verdict", "other_measures"),
    },
}
RANKED = {
    "性別意識培力": "完訓率\n合計",
    "性別影響評估": "辦理案數",
    "性別統計": "指標數",
    "性別預算": "執行率",
    "CEDAW宣導": "場次",
}


def agency_value(e: dict[str, Any], spec: Any) -> Any:
    if isinstance(spec, str):
        return e[spec]
    if spec[0] == "verdict":
        return words(e)[spec[1]]
    return _rate(e[spec[0]], e[spec[1]])


def city_value(expect: list[dict[str, Any]], spec: Any) -> Any:
    if isinstance(spec, str):
        return sum(e[spec] for e in expect)
    if spec[0] == "verdict":
        said = [words(e)[spec[1]] for e in expect]
        met, missed = ("已辦理", "未辦理") if spec[1] in DONE_TARGETS else ("達成", "未達成")
        judged = said.count(met) + said.count(missed)
        waiting = f"（{INCOMPLETE} {n}）" if (n := said.count(INCOMPLETE)) else ""
        return f"{met} {said.count(met)}／{judged}{waiting}"
    return _rate(sum(e[spec[0]] for e in expect), sum(e[spec[1]] for e in expect))


def median_value(expect: list[dict[str, Any]], spec: Any) -> Any:
    if isinstance(spec, tuple) and spec[0] == "verdict":
        return None
    values = [v for e in expect if (v := agency_value(e, spec)) is not None]
    return statistics.median(values) if values else None


def same(cell: Any, value: Any) -> bool:
    if value is None:
        return cell in (None, "－")
    if isinstance(value, float) or isinstance(cell, float):
        return cell == pytest.approx(value)
    return cell == value


def test_the_command_succeeds_and_names_the_agency_that_sent_nothing(rolled: Rolled) -> None:
    assert rolled.run.code == 0, rolled.run.err
    assert "彙整 4 個機關" in rolled.run.out
    assert "未提報機關：高雄市燈塔區公所。" in rolled.run.out


def test_what_the_rollup_publishes_of_staff_passes_the_audit(
    rolled: Rolled, agency_files: dict[str, Path]
) -> None:
    """The roll-up shows each agency's staff figures as its report did, and a city figure
    only where every agency's is shown (the next test): each agency's published figures pass
    the audit, and the city's add nothing a reader could not sum from them."""
    for name, path in agency_files.items():
        figures = json.loads(path.read_text(encoding="utf-8"))
        found = audit(figures)
        assert found.disclosures == (), name
        assert found.hidden == len(rolled.hidden[name])
    assert any(rolled.hidden.values())  # the example has small groups to protect


@pytest.mark.parametrize("sheet", list(SHEETS))
def test_each_theme_sheet_holds_every_agency_the_city_and_the_median(
    rolled: Rolled, sheet: str
) -> None:
    rows = sheet_rows(rolled.out / WORKBOOK, sheet)
    by_name = {r["機關"]: r for r in rows}
    expect = [rolled.expect[a.name] for a in TOOL.AGENCIES]
    assert list(by_name) == [*(a.name for a in TOOL.AGENCIES), "合計", "中位數"]
    for header, spec in SHEETS[sheet].items():
        gender = next((g for g, label in LABELS.items() if header.endswith(f"\n{label}")), None)
        part = PARTS.get(header.split("\n")[0]) if sheet == "性別意識培力" and gender else None
        gone = [a.name for a in TOOL.AGENCIES if part and hidden(rolled, a.name, part, gender)]
        for agency, e in zip(TOOL.AGENCIES, expect, strict=True):
            cell = by_name[agency.name][header]
            if agency.name in gone:
                assert cell == "*", (agency.name, header)
            else:
                assert same(cell, agency_value(e, spec)), (agency.name, header, cell)
        # a city total would give back a figure an agency hid, less the others shown
        city = "*" if gone else city_value(expect, spec)
        assert same(by_name["合計"][header], city), (header, by_name["合計"][header])
        shown = [e for a, e in zip(TOOL.AGENCIES, expect, strict=True) if a.name not in gone]
        assert same(by_name["中位數"][header], median_value(shown, spec)), header
    if sheet == "性別意識培力":  # the samples' agencies include small groups
        assert any(by_name[a.name]["應訓人數\n其他"] == "*" for a in TOOL.AGENCIES)


@pytest.mark.parametrize(("sheet", "column"), RANKED.items())
def test_ranks_put_the_highest_first_and_share_ties(
    rolled: Rolled, sheet: str, column: str
) -> None:
    rows = sheet_rows(rolled.out / WORKBOOK, sheet)[:-2]
    spec = SHEETS[sheet][column]
    values = {
        a.name: None
        if sheet == "性別意識培力" and hidden(rolled, a.name, "rate", "total")
        else agency_value(rolled.expect[a.name], spec)
        for a in TOOL.AGENCIES
    }
    rank_header = f"{column.splitlines()[0]}\n排名"
    for row in rows:
        mine = values[row["機關"]]
        rank = (
            None if mine is None else 1 + sum(v is not None and v > mine for v in values.values())
        )
        assert row[rank_header] == rank, row["機關"]


def test_the_targets_sheet_gives_each_agencys_verdicts_and_the_count_met(rolled: Rolled) -> None:
    rows = sheet_rows(rolled.out / WORKBOOK, "目標達成")
    by_name = {r["機關"]: r for r in rows}
    for agency in TOOL.AGENCIES:
        e = rolled.expect[agency.name]
        verdicts = words(e)
        row = by_name[agency.name]
        for target, word in verdicts.items():
            assert row[TARGET_NAMES[target]] == word, (agency.name, target)
        assert row["達成項數"] == sum(w in ("達成", "已辦理") for w in verdicts.values())
        assert row["未達成項數"] == sum(w in ("未達成", "未辦理") for w in verdicts.values())
        assert row[f"{INCOMPLETE}項數"] == sum(w == INCOMPLETE for w in verdicts.values())
        assert row["目標項數"] == len(verdicts)
    assert any(INCOMPLETE in words(e).values() for e in rolled.expect.values())


def test_missed_targets_are_formatted_to_stand_out(rolled: Rolled) -> None:
    ws = openpyxl.load_workbook(rolled.out / WORKBOOK)["目標達成"]
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert {tuple(r.formula) for r in rules} == {('"未達成"',), ('"未辦理"',)}
    assert all(r.dxf.fill is not None for r in rules)


def test_the_workbook_lists_the_agency_that_sent_nothing(rolled: Rolled) -> None:
    rows = sheet_rows(rolled.out / WORKBOOK, "未繳交機關")
    assert rows == [{"機關": "高雄市燈塔區公所", "情形": "未繳交"}]


# --- The Word report ----------------------------------------------------------------------


def test_the_report_states_the_citys_totals(rolled: Rolled) -> None:
    text, _ = docx_text(rolled.out / REPORT)
    expect = list(rolled.expect.values())

    def total(key: str) -> int:
        return sum(e[key] for e in expect)

    required, completed = total("required.total"), total("completed.total")
    assert "應提報機關 5 個，已提報 4 個，未提報 1 個：高雄市燈塔區公所。" in text

    def gone(part: str, gender: str) -> bool:
        return any(hidden(rolled, a, part, gender) for a in rolled.expect)

    said = "" if gone("required", "total") else f"各機關應訓人員合計 {fmt.number(required)} 人，"
    rate = (
        "全市完訓率依個資保護原則不予揭露"
        if gone("rate", "total")
        else f"全市完訓率 {fmt.percent(completed / required)}"
    )
    assert rate in text and said in text
    for gender, label in (("male", "男性"), ("female", "女性")):
        share = f"{label} {fmt.percent(total(f'completed.{gender}') / total(f'required.{gender}'))}"
        assert (share in text) is not gone("rate", gender)
    rates = [
        e["rate.total"] for a, e in rolled.expect.items() if not hidden(rolled, a, "rate", "total")
    ]
    # the median is of the rates shown, and says so when some agencies' are hidden
    median = fmt.percent(statistics.median(rates))
    if len(rates) < len(rolled.expect):
        said = f"完訓率揭露之 {len(rates)} 個機關（其餘依個資保護原則不予揭露），其完訓率中位數為"
        assert f"{said} {median}" in text
    else:
        assert f"各機關完訓率之中位數為 {median}" in text
    assert f"共召開會議 {total('meetings')} 次；小組組員計 {total('members.total')} 人" in text
    assert (
        f"性別預算編列 {fmt.number(total('allocated'))} 元，執行 {fmt.number(total('executed'))} 元，"
        f"全市執行率 {fmt.percent(total('executed') / total('allocated'))}"
    ) in text
    assert (
        f"各機關辦理 CEDAW 宣導 {total('cedaw.count')} 場次，參與 "
        f"{fmt.number(total('cedaw.total'))} 人次（男性 {total('cedaw.male')} 人次、"
        f"女性 {total('cedaw.female')} 人次）"
    ) in text
    assert f"各機關性別統計指標計 {total('indicators')} 項，其中新增 {total('new')} 項" in text
    assert (
        f"性別影響評估計 {total('gia')} 案，其中諮詢性別平等專家學者 {total('gia.expert')} 案"
        in text
    )


def test_the_report_gives_each_agencys_training_as_its_own_report_showed_it(
    rolled: Rolled,
) -> None:
    _, tables = docx_text(rolled.out / REPORT)
    table = next(t for t in tables if t[0][0] == "機關" and t[1][3] == "男")
    rows = {r[0]: r for r in table[2:]}
    rates = {
        a: e["rate.total"]
        for a, e in rolled.expect.items()
        if not hidden(rolled, a, "rate", "total")
    }

    def cell(agency: str, part: str, gender: str, text: Callable[[Any], str]) -> str:
        if hidden(rolled, agency, part, gender):
            return "*"
        return text(rolled.expect[agency][f"{part}.{gender}"])

    for agency in rolled.expect:
        rank = 1 + sum(r > rates[agency] for r in rates.values()) if agency in rates else None
        assert rows[agency] == [
            agency,
            cell(agency, "required", "total", fmt.number),
            cell(agency, "completed", "total", fmt.number),
            *(cell(agency, "rate", g, fmt.percent) for g in LABELS),
            "—" if rank is None else str(rank),
        ]
    assert any("*" in r for r in rows.values())  # the small group of one agency stays hidden


def test_the_report_names_the_agencies_short_of_each_target(rolled: Rolled) -> None:
    text, tables = docx_text(rolled.out / REPORT)
    table = next(t for t in tables if t[0][1] == "目標")
    rows = {r[1]: r for r in table[1:]}
    for target, name in TARGET_NAMES.items():
        results = {a: words(e)[target] for a, e in rolled.expect.items()}
        missed = [a for a, w in results.items() if w in ("未達成", "未辦理")]
        met = [a for a, w in results.items() if w in ("達成", "已辦理")]
        waiting = [a for a, w in results.items() if w == INCOMPLETE]
        judged = len(met) + len(missed)
        assert rows[name][2:] == [
            str(len(met)),
            str(len(missed)),
            str(len(waiting)),
            str(judged),
            fmt.percent(len(met) / judged),
        ]
        word = "未辦理" if target in DONE_TARGETS else "未達成"
        listed = "、".join(named(rolled, a, target) for a in missed)
        line = f"「{name}」{word}（{len(missed)} 個）：{listed}。"
        assert (line in text) == bool(missed), name
        listed = "、".join(named(rolled, a, target) for a in waiting)
        line = f"「{name}」{INCOMPLETE}（{len(waiting)} 個）：{listed}，"
        assert (line in text) == bool(waiting), name


def test_an_item_not_done_while_its_lead_unit_sent_nothing_is_undecided(rolled: Rolled) -> None:
    """Issue 22: an agency whose 會計室 sent nothing read 「檢視性別預算」未辦理, 0 元, with
    no reason. Its 會計室 could have reviewed the budget: 資料不全, the agency named with the
    unit it lacks; and its rows note the units its figures lack."""
    partial = {a: e["missing_units"] for a, e in rolled.expect.items() if e["missing_units"]}
    undecided = [
        (a, t)
        for a, e in rolled.expect.items()
        for t in DONE_TARGETS
        if e["absent"][t] and not e["verdicts"][t]
    ]
    assert partial and undecided  # the samples hold such an agency
    text, _ = docx_text(rolled.out / REPORT)
    for agency, target in undecided:
        finding = next(
            line
            for line in text.splitlines()
            if line.startswith(f"「{TARGET_NAMES[target]}」{INCOMPLETE}")
        )
        absent = "、".join(rolled.expect[agency]["absent"][target])
        assert f"{agency}（{absent}未繳交）" in finding
        assert not any(
            line.startswith(f"「{TARGET_NAMES[target]}」未辦理") and agency in line
            for line in text.splitlines()
        )
    notes = [f"{a}（{'、'.join(units)}未繳交）" for a, units in partial.items()]
    said = f"另有 {len(partial)} 個機關之部分單位未繳交資料或繳交空白表"
    assert f"{said}，其數據僅含已繳交資料之單位：{'、'.join(notes)}。" in text
    assert f"註：{'、'.join(notes)}之數據僅含已繳交資料之單位。" in text
    for sheet in ("目標達成", "性別預算", "性別意識培力"):
        rows = {r["機關"]: r["備註"] for r in sheet_rows(rolled.out / WORKBOOK, sheet)}
        for agency in rolled.expect:
            units = partial.get(agency)
            assert rows[agency] == (f"{'、'.join(units)}未繳交" if units else None), sheet
        assert rows["合計"] is None and rows["中位數"] is None


def test_the_report_says_nothing_of_files_when_every_file_was_used(rolled: Rolled) -> None:
    text, tables = docx_text(rolled.out / REPORT)
    everything = text + json.dumps(tables, ensure_ascii=False)
    assert ".json" not in everything
    assert "附件" not in text


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="需要 LibreOffice（soffice）與 poppler（pdftotext）才能轉 PDF 並讀出文字",
)
@pytest.mark.skipif(find_cjk_font() is None, reason="需要中文字型才能繪製統計圖")
def test_the_report_and_its_charts_print(rolled: Rolled, tmp_path: Path) -> None:
    from gmreport.render.pdf import convert_to_pdf

    pdf = convert_to_pdf(rolled.out / REPORT, tmp_path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # both charts are in the report, each referred to in the text and captioned
    with zipfile.ZipFile(rolled.out / REPORT) as z:
        assert sum(n.startswith("word/media/") for n in z.namelist()) == 2
    words = "".join(text.split())  # pdftotext spaces CJK from digits
    for said in (
        "圖1各機關性別意識培力完訓率分布",
        "圖2各項目標之機關達成情形",
        "並如圖1",
        "並如圖2",
    ):
        assert said in words
    assert "本所" not in words  # the city speaks, not an agency
    assert "以上彙整各機關113年度性別主流化推動計畫執行成果，敬請鑒核。" in words


# --- The PDF and the set of files ---------------------------------------------------------

PDF = REPORT.removesuffix(".docx") + ".pdf"


@pytest.fixture
def figures_folder(agency_files: dict[str, Path], tmp_path: Path) -> Path:
    folder = tmp_path / "figures"
    folder.mkdir()
    for name, path in agency_files.items():
        shutil.copy(path, folder / f"{name}.json")
    return folder


def test_help_offers_the_pdf_in_chinese() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main(["rollup", "--help"])
    assert "--pdf\n      另以 LibreOffice 轉出 PDF" in out.getvalue()  # as `build --pdf` says it


def test_without_libreoffice_the_pdf_is_a_note_and_the_rest_is_written(
    figures_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gmreport.render import pdf

    monkeypatch.setattr(pdf, "soffice_path", lambda: None)
    out = tmp_path / "out"
    result = run("rollup", figures_folder, "--output", out, "--pdf")
    assert result.code == 0, result.err
    assert "注意：找不到 LibreOffice（soffice），無法轉出 PDF。" in result.out
    assert "（Word 報告及其他檔案已產出。）" in result.out
    assert sorted(p.name for p in out.iterdir()) == sorted([REPORT, WORKBOOK])


def test_the_rollup_writes_its_files_as_one_set(figures_folder: Path, tmp_path: Path) -> None:
    """As a build's (SPEC §5 ◆): a report that cannot be replaced (open in Word) leaves the
    workbook as it was, and no temporary file stays behind, a killed run's included."""
    out = tmp_path / "out"
    assert run("rollup", figures_folder, "--output", out).code == 0
    before = (out / WORKBOOK).read_bytes()
    (out / REPORT).unlink()
    (out / REPORT).mkdir()  # cannot be replaced by a file
    (out / f"{TEMP_PREFIX}killed").mkdir()  # a killed run's
    (out / "extra.json").write_text("{}", "utf-8")  # not the roll-up's: kept
    result = run("rollup", figures_folder, "--output", out)
    assert result.code == 2
    assert f"無法寫入「{out / REPORT}」" in result.err
    assert (out / WORKBOOK).read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == sorted([REPORT, WORKBOOK, "extra.json"])


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="需要 LibreOffice（soffice）")
@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="需要 poppler-utils（pdffonts）")
def test_the_rollup_pdf_is_set_in_kai_and_liberation_serif(
    figures_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 22: plain LibreOffice set the roll-up in a Japanese sans face; `--pdf` maps
    標楷體 to a Kai font and Times New Roman to Liberation Serif, as `build --pdf` does.
    The output folder is given relative to the current folder, as 人事室 types it (a
    relative folder once ended the run with exit code 3: LibreOffice's profile needs a
    file:// address, which only an absolute path has)."""
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    result = run("rollup", figures_folder, "--output", "out", "--pdf")
    assert result.code == 0, result.err
    assert str(Path("out") / PDF) in result.out.split("已寫入：")[1]
    assert sorted(p.name for p in out.iterdir()) == sorted([REPORT, WORKBOOK, PDF])
    fonts = subprocess.run(
        ["pdffonts", out / PDF], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    faces = {line.split()[0].split("+")[-1] for line in fonts}
    assert any("Kai" in face for face in faces), faces
    assert any(face.startswith("LiberationSerif") for face in faces), faces
    assert all("Kai" in face or face.startswith("LiberationSerif") for face in faces), faces
    text = subprocess.run(
        ["pdftotext", "-layout", out / PDF, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "以上彙整各機關113年度性別主流化推動計畫執行成果，敬請鑒核。" in "".join(text.split())
    assert pdf_cells.broken_words(out / PDF, out / REPORT) == []


# --- Files that cannot be used ------------------------------------------------------------


@pytest.fixture
def base(agency_files: dict[str, Path]) -> dict[str, Any]:
    """One agency's figures as its build wrote them, to copy and spoil."""
    path = agency_files[TOOL.AGENCIES[0].name]
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def second(agency_files: dict[str, Path]) -> dict[str, Any]:
    path = agency_files[TOOL.AGENCIES[1].name]
    return json.loads(path.read_text(encoding="utf-8"))


def left_out(out: Path) -> list[dict[str, Any]]:
    return [r for r in sheet_rows(out / WORKBOOK, "未納入檔案") if r["檔案"] != "無"]


@pytest.mark.parametrize(
    ("content", "kind", "reason"),
    [
        ("{這不是 JSON", "非 JSON", NOT_JSON),
        (b"\xff\xfe\x00{", "非 JSON", NOT_JSON),
        ('{"budget": NaN}', "非 JSON", NOT_JSON),
        ("[" * 5000 + "]" * 5000, "非 JSON", NOT_JSON),
    ],
)
def test_a_file_that_is_not_json_is_named_and_left_out(
    tmp_path: Path, second: dict[str, Any], content: Any, kind: str, reason: str
) -> None:
    bad = write(tmp_path / "in", "壞掉.json", content)
    write(tmp_path / "in", "ok.json", second)
    result = run("rollup", tmp_path / "in", "--output", tmp_path / "out")
    assert result.code == 1
    assert f"未納入：{bad}：{reason}" in result.err
    assert left_out(tmp_path / "out") == [{"檔案": str(bad), "類型": kind, "原因": reason}]
    text, tables = docx_text(tmp_path / "out" / REPORT)
    assert "附件　未納入彙整之提報資料" in text
    assert [str(bad), reason] in tables[-1]


def test_an_invalid_file_is_named_with_the_key(
    tmp_path: Path, base: dict[str, Any], second: dict[str, Any]
) -> None:
    del base["training"]["groups"]["all"]["completed"]
    bad = write(tmp_path / "in", "a.json", base)
    write(tmp_path / "in", "b.json", second)
    result = run("rollup", tmp_path / "in", "--output", tmp_path / "out")
    assert result.code == 1
    reason = "不符合統計數據檔格式：缺少「training.groups.all.completed」"
    assert f"未納入：{bad}：{reason}" in result.err
    assert left_out(tmp_path / "out") == [{"檔案": str(bad), "類型": "格式不符", "原因": reason}]


def test_another_schema_version_is_named(
    tmp_path: Path, base: dict[str, Any], second: dict[str, Any]
) -> None:
    base["schema"] = "gmreport.figures/2"
    bad = write(tmp_path / "in", "a.json", base)
    write(tmp_path / "in", "b.json", second)
    result = run("rollup", tmp_path / "in", "--output", tmp_path / "out")
    assert result.code == 1
    [row] = left_out(tmp_path / "out")
    assert row["檔案"] == str(bad) and row["類型"] == "格式版本不符"
    assert "gmreport.figures/2" in row["原因"] and "gmreport.figures/1" in row["原因"]


@pytest.mark.parametrize("by", ["built_at", "file time"])
def test_two_files_of_one_agency_and_year_the_newer_wins_and_both_are_named(
    tmp_path: Path, base: dict[str, Any], by: str
) -> None:
    older, newer = json.loads(json.dumps(base)), json.loads(json.dumps(base))
    newer["meetings"]["count"] = 9
    if by == "built_at":
        older["built_at"], newer["built_at"] = (
            "2025-01-10T09:00:00+08:00",
            "2025-01-10T10:00:00+08:00",
        )
    else:
        older.pop("built_at", None)
        newer.pop("built_at", None)
    # the newer file comes first in the folder, and its file time is the older one's when
    # built_at decides: neither order nor the other rule may pick it by chance
    new_path = write(tmp_path / "in" / "a", "a.json", newer)
    old_path = write(tmp_path / "in" / "b", "a.json", older)
    stamp = 1_700_000_000
    os.utime(new_path, (stamp, stamp) if by == "built_at" else (stamp + 60, stamp + 60))
    os.utime(old_path, (stamp + 30, stamp + 30))
    result = run("rollup", tmp_path / "in", "--output", tmp_path / "out")
    assert result.code == 0, result.err
    [row] = left_out(tmp_path / "out")
    assert row["檔案"] == str(old_path) and row["類型"] == "同機關重複"
    assert str(new_path) in row["原因"]
    [agency] = [
        r
        for r in sheet_rows(tmp_path / "out" / WORKBOOK, "性平小組")
        if r["機關"] == base["agency"]
    ]
    assert agency["會議次數"] == 9


def test_a_file_of_another_year_is_set_aside(
    tmp_path: Path, base: dict[str, Any], second: dict[str, Any]
) -> None:
    base["year"] = YEAR - 1
    earlier = write(tmp_path / "in", "a.json", base)
    write(tmp_path / "in", "b.json", second)
    result = run("rollup", tmp_path / "in", "--output", tmp_path / "out")
    assert result.code == 0, result.err
    assert f"擱置：{earlier}：年度為 {YEAR - 1} 年，非本次彙整之 {YEAR} 年度" in result.out
    assert left_out(tmp_path / "out") == [
        {
            "檔案": str(earlier),
            "類型": "非本年度（擱置）",
            "原因": f"年度為 {YEAR - 1} 年，非本次彙整之 {YEAR} 年度",
        }
    ]
    assert [r["機關"] for r in sheet_rows(tmp_path / "out" / WORKBOOK, "性平小組")][:-2] == [
        second["agency"]
    ]
    # and asked for, the earlier year is the one rolled up
    again = run("rollup", tmp_path / "in", "--year", YEAR - 1, "--output", tmp_path / "out2")
    assert again.code == 0
    assert (tmp_path / "out2" / f"{YEAR - 1}年度各機關性別主流化執行成果彙整.xlsx").is_file()


def test_a_huge_file_is_refused_unread(
    tmp_path: Path, second: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gmreport.figures_file

    small = write(tmp_path / "small", "b.json", second)
    limit = small.stat().st_size
    monkeypatch.setattr(gmreport.figures_file, "MAX_FILE_BYTES", limit)
    bad = write(tmp_path / "in", "huge.json", " " * (limit + 1))
    result = run("rollup", bad, small, "--output", tmp_path / "out")
    assert result.code == 1
    [row] = left_out(tmp_path / "out")
    assert row["檔案"] == str(bad) and row["類型"] == "檔案過大"


def test_a_formula_looking_name_and_control_characters_stay_plain_text(
    tmp_path: Path, base: dict[str, Any]
) -> None:
    name = '=HYPERLINK("http://example.invalid","點我")'
    base["agency"] = name + "\x07\u202e"
    base["targets"][0]["work_item"] = "性平執行小組會議\x00"
    write(tmp_path / "in", "a.json", base)
    result = run("rollup", tmp_path / "in", "--output", tmp_path / "out")
    assert result.code == 0, result.err
    ws = openpyxl.load_workbook(tmp_path / "out" / WORKBOOK)["性平小組"]
    cell = ws["A3"]
    assert (cell.value, cell.data_type) == (name, "s")
    text, tables = docx_text(tmp_path / "out" / REPORT)
    assert name in json.dumps(tables, ensure_ascii=False).replace('\\"', '"')
    assert "\x07" not in text and "\u202e" not in text


def test_no_usable_file_is_an_input_error_that_names_each(tmp_path: Path) -> None:
    bad = write(tmp_path / "in", "a.json", "{}")
    result = run("rollup", tmp_path / "in", "--output", tmp_path / "out")
    assert result.code == 1
    assert f"{bad}：不符合統計數據檔格式：缺少「schema」" in result.err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["沒有這個資料夾"], "找不到「沒有這個資料夾」"),
        (["EMPTY"], "找不到任何統計數據檔"),
        (["IN", "--year", "2024"], "是西元年，請填民國年度 113"),
        (["IN", "--year", "100"], "找不到 100 年度的統計數據檔"),
        (["IN", "--agencies", "清單.doc"], "須為文字檔"),
        (["IN", "--agencies", "BIG5"], "不是 UTF-8 編碼"),
        (["IN", "--output", "FILE"], "是檔案，不是資料夾"),
        ([], "缺少必要的參數：統計數據檔"),
    ],
)
def test_usage_errors_exit_2_in_chinese(
    tmp_path: Path, second: dict[str, Any], args: list[str], said: str
) -> None:
    write(tmp_path / "in", "b.json", second)
    (tmp_path / "empty").mkdir()
    (tmp_path / "清單.doc").write_text("x", encoding="utf-8")
    (tmp_path / "big5.txt").write_bytes("高雄市海濱區公所".encode("big5"))
    (tmp_path / "file").write_text("x", encoding="utf-8")
    names = {
        "IN": tmp_path / "in",
        "EMPTY": tmp_path / "empty",
        "BIG5": tmp_path / "big5.txt",
        "FILE": tmp_path / "file",
    }
    resolved = [str(names.get(a, tmp_path / a if a.endswith(".doc") else a)) for a in args]
    if "--output" not in args:
        resolved += ["--output", str(tmp_path / "out")]
    result = run("rollup", *resolved)
    assert result.code == 2, result.err
    assert said in result.err
    assert "Traceback" not in result.err


def test_the_agency_list_may_be_an_xlsx_first_column(
    tmp_path: Path, second: dict[str, Any]
) -> None:
    write(tmp_path / "in", "b.json", second)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in (["機關名稱", "備註"], [second["agency"], "x"], ["高雄市燈塔區公所", None]):
        ws.append(row)
    wb.save(tmp_path / "清單.xlsx")
    result = run(
        "rollup",
        tmp_path / "in",
        "--agencies",
        tmp_path / "清單.xlsx",
        "--output",
        tmp_path / "out",
    )
    assert result.code == 0, result.err
    assert "未提報機關：高雄市燈塔區公所。" in result.out


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda p: hostile.zip_bomb(p, size=2 * hostile.GB), "檔案內容過大"),
        (lambda p: hostile.laughs_in_shared_strings(p), "不允許的內容"),
        (lambda p: p.write_text("高雄市海濱區公所\n", encoding="utf-8"), "不是可讀取的活頁簿"),
    ],
)
def test_an_agency_list_xlsx_passes_the_safety_gate_of_workbooks(
    tmp_path: Path, second: dict[str, Any], make: Callable[[Path], object], said: str
) -> None:
    import tracemalloc

    write(tmp_path / "in", "b.json", second)
    make(tmp_path / "清單.xlsx")
    tracemalloc.start()
    try:
        result = run(
            "rollup",
            tmp_path / "in",
            "--agencies",
            tmp_path / "清單.xlsx",
            "--output",
            tmp_path / "out",
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.code == 2, result.err
    assert "機關清單「清單.xlsx」" in result.err and said in result.err
    assert peak < 100 * hostile.MB
    assert not (tmp_path / "out").exists()


def test_help_speaks_chinese_with_an_example() -> None:
    with pytest.raises(SystemExit) as exit_:
        run("rollup", "--help")
    assert exit_.value.code == 0


def test_the_citys_trend_when_files_carry_history(
    tmp_path: Path, base: dict[str, Any], second: dict[str, Any]
) -> None:
    def earlier(figures: dict[str, Any], completed: int) -> dict[str, Any]:
        old = {k: v for k, v in json.loads(json.dumps(figures)).items() if k != "history"}
        old["year"] = YEAR - 1
        old["training"]["groups"]["all"]["completed"]["total"] = completed
        return old

    required = [f["training"]["groups"]["all"]["required"]["total"] for f in (base, second)]
    base["history"] = {str(YEAR - 1): earlier(base, 5)}
    second["history"] = {str(YEAR - 1): earlier(second, 7)}
    write(tmp_path / "in", "a.json", base)
    write(tmp_path / "in", "b.json", second)
    result = run("rollup", tmp_path / "in", "--output", tmp_path / "out")
    assert result.code == 0, result.err
    rows = sheet_rows(tmp_path / "out" / WORKBOOK, "歷年趨勢")
    now = [f["training"]["groups"]["all"]["completed"]["total"] for f in (base, second)]
    assert [r["年度"] for r in rows] == [f"{YEAR - 1}年度", f"{YEAR}年度"]
    text, _ = docx_text(tmp_path / "out" / REPORT)
    # the city's rate is shown where no agency's report hid its own
    hid = any("training.groups.all.rate.total" in f["suppressed"] for f in (base, second))
    if hid:
        assert rows[0]["完訓率"] == rows[1]["完訓率"] == "*"
        assert "全市性別意識培力完訓率由" not in text
        return
    assert rows[0]["完訓率"] == pytest.approx(12 / sum(required))
    assert rows[1]["完訓率"] == pytest.approx(sum(now) / sum(required))
    change = fmt.half_up(sum(now) / sum(required) - 12 / sum(required), 1, scale=2)
    assert (
        f"全市性別意識培力完訓率由{YEAR - 1}年度之 {fmt.percent(12 / sum(required))}，"
        f"至{YEAR}年度為 {fmt.percent(sum(now) / sum(required))}，提高 {change} 個百分點。"
    ) in text


def _hostile(figures: dict[str, Any], how: str) -> dict[str, Any]:
    spoiled = json.loads(json.dumps(figures))
    if how == "unknown targets":  # a newer file's targets, thousands of them: not compared
        spoiled["targets"] += [{**spoiled["targets"][0], "id": f"new_{i}"} for i in range(20_000)]
    elif how == "a target twice":
        spoiled["targets"].append({**spoiled["targets"][0], "verdict": "未達成"})
    elif how == "blank after cleaning":
        spoiled["agency"] = "\x07\u200b "
    elif how == "loose history":
        spoiled["history"] = {
            "112": {
                "schema": "gmreport.figures/1",
                "agency": "x",
                "year": 112,
                "training": 5,
                "targets": [1, {"id": 3}],
            }
        }
    elif how == "huge numbers":
        spoiled["budget"]["allocated"] = 10**400
    elif how == "markup in names":
        spoiled["agency"] = "<w:p>&amp;{{ year }}{% if %}"
    return spoiled


@pytest.mark.parametrize(
    "how",
    [
        "unknown targets",
        "a target twice",
        "blank after cleaning",
        "loose history",
        "huge numbers",
        "markup in names",
    ],
)
def test_nothing_in_a_file_crashes_the_command(
    tmp_path: Path, base: dict[str, Any], how: str
) -> None:
    write(tmp_path / "in", "a.json", _hostile(base, how))
    write(tmp_path / "in", "b.json", {**base, "agency": "另一機關"})
    result = run("rollup", tmp_path / "in", "--output", tmp_path / "out")
    assert result.code in (0, 1), result.err
    assert "未預期" not in result.err
    ws = openpyxl.load_workbook(tmp_path / "out" / WORKBOOK)["目標達成"]
    assert ws.max_column <= 6 + len(TARGET_NAMES)  # 機關, 達成, 未達成, 資料不全, 目標項數, 備註
    text, _ = docx_text(tmp_path / "out" / REPORT)
    if how == "markup in names":
        assert "<w:p>&amp;{{ year }}{% if %}" in json.dumps(
            docx_text(tmp_path / "out" / REPORT)[1], ensure_ascii=False
        )
    if how == "a target twice":  # the first verdict counts
        row = next(
            r
            for r in sheet_rows(tmp_path / "out" / WORKBOOK, "目標達成")
            if r["機關"] == base["agency"]
        )
        assert row[TARGET_NAMES[base["targets"][0]["id"]]] == base["targets"][0]["verdict"]
    assert "Traceback" not in text


def test_a_file_name_with_control_characters_is_shown_without_them(
    tmp_path: Path, base: dict[str, Any]
) -> None:
    write(tmp_path / "in", "壞\x07檔.json", "not json")
    write(tmp_path / "in", "b.json", base)
    result = run("rollup", tmp_path / "in", "--output", tmp_path / "out")
    assert result.code == 1
    [row] = left_out(tmp_path / "out")
    assert row["檔案"] == str(tmp_path / "in" / "壞檔.json")
    _, tables = docx_text(tmp_path / "out" / REPORT)
    assert [str(tmp_path / "in" / "壞檔.json"), NOT_JSON] in tables[-1]


def test_history_written_by_a_real_build_gives_the_trend(tmp_path: Path) -> None:
    """An agency built for 112, then for 113 into the same folder: 113's file carries 112."""
    agency = TOOL.AGENCIES[0]
    TOOL.build_agency(agency, tmp_path / "work", YEAR - 1)
    figures = TOOL.build_agency(agency, tmp_path / "work", YEAR)
    assert list(json.loads(figures.read_text(encoding="utf-8"))["history"]) == [str(YEAR - 1)]
    result = run("rollup", figures, "--output", tmp_path / "out")
    assert result.code == 0, result.err
    e = expected(agency)
    rows = sheet_rows(tmp_path / "out" / WORKBOOK, "歷年趨勢")
    assert [(r["年度"], r["應訓人數"], r["完訓人數"], r["CEDAW宣導場次"]) for r in rows] == [
        (f"{y}年度", e["required.total"], e["completed.total"], e["cedaw.count"])
        for y in (YEAR - 1, YEAR)
    ]
    text, _ = docx_text(tmp_path / "out" / REPORT)
    assert "歷年比較" in text and "持平" in text


def test_the_incomplete_list_numbers_from_one_again(rolled: Rolled) -> None:
    """The agencies whose data is incomplete are a list of their own: （一） again, not the
    missed targets' numbering continued."""
    doc = Document(str(rolled.out / REPORT))
    texts = [p.text for p in doc.paragraphs]
    at = texts.index("資料不全之機關")
    listed = [p for p in doc.paragraphs[at + 1 :] if p.style.style_id == "Finding"]
    missed = [p for p in doc.paragraphs[:at] if p.style.style_id == "Finding"]
    assert listed and missed  # the example has both lists
    ids = {p._p.pPr.numPr.numId.val for p in listed}
    assert len(ids) == 1 and all(p._p.pPr.numPr is None for p in missed)
    numbering = doc.part.numbering_part.element
    again = ids.pop()
    [num] = [n for n in numbering.num_lst if n.numId == again]
    assert num.xpath("./w:lvlOverride/w:startOverride/@w:val") == ["1"]


def test_the_title_breaks_where_it_is_written_to(rolled: Rolled) -> None:
    """Issue 22: the title wrapped with 「報告」 alone on its second line; it is written as
    two lines of its own, each short enough for the page."""
    doc = Document(str(rolled.out / REPORT))
    titles = [p.text for p in doc.paragraphs if p.style.style_id == "Title"]
    assert titles[1:] == ["各機關113年度性別主流化推動計畫", "執行成果彙整報告"]
    assert all(len(t) <= 18 for t in titles)  # a line of the title's 18 pt on A4
