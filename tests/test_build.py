"""End to end: `input_samples/` through the whole pipeline, checked against an independent count.

The expected figures are computed here from the sample workbooks with openpyxl and a
deliberately separate, simpler reading of the values, not with gmreport's reader.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import docx
import pytest

from gmreport.privacy import hidden

from .conftest import SAMPLE_FILES, SAMPLES, WORKBOOK_SUFFIXES, once, read_cell, sheet_values

YEAR = 113
# SPEC §4 defaults: 公務人員/約聘僱, 職工/自僱, 主管, 性別業務承辦人
HOURS_GENERAL, HOURS_OTHER_STAFF, HOURS_SUPERVISOR, HOURS_GENDER_OFFICER = 2, 2, 3, 6


def _norm(v) -> str:
    return unicodedata.normalize("NFKC", str(v)).strip() if v is not None else ""


def _date(v) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    s = _norm(v)
    if not s:
        return None
    if m := re.fullmatch(r"(\d{2,3})[/.\-](\d+)[/.\-](\d+)", s) or re.fullmatch(
        r"(\d{2,3})年(\d+)月(\d+)日", s
    ):
        return date(int(m[1]) + 1911, int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{4})[/.\-](\d+)[/.\-](\d+)", s)
    assert m, f"unexpected date in samples: {v!r}"
    return date(int(m[1]), int(m[2]), int(m[3]))


def _num(v) -> float:
    if isinstance(v, int | float):
        return float(v)
    s = _norm(v).replace(",", "")
    m = re.match(r"\d+(\.\d+)?", s)
    return float(m[0]) if m else 0.0


def _gender(v) -> str:
    return {"男性": "男", "女性": "女"}.get(_norm(v), _norm(v))


def _rows(grid):
    """Data rows under the header row (row 2 in the templates) as dicts by header."""
    header = [_norm(h) for h in grid[1]]
    for row in grid[2:]:
        if any(_norm(v) for v in row):
            yield dict(zip(header, row, strict=False))


STAFF_WORDS = {
    "約僱人員": "約聘僱人員",
    "技工": "職工",
    "工友": "職工",
    "駕駛": "職工",
    "臨時人員": "自僱非公務人員",
}
"""The sample rosters' personnel-office words for a 人員類別 (SPEC §2 lists them)."""


def _days(first: date | None, last: date | None, year: tuple[date, date]) -> set[date]:
    """The days from `first` to `last` inside `year`; blank ends are the year's."""
    start, end = max(first or year[0], year[0]), min(last or year[1], year[1])
    return {start + timedelta(days=i) for i in range((end - start).days + 1)}


def expected_figures(folder: Path, year: int) -> dict:
    span = date(year + 1911, 1, 1), date(year + 1911, 12, 31)
    first, last = span
    service: dict[tuple[str, str], set[date]] = defaultdict(set)
    leave: dict[tuple[str, str], set[date]] = defaultdict(set)
    latest: dict[tuple[str, str], tuple[date, int]] = {}  # person → (last day, target) so far
    units: dict[tuple[str, str], set[str]] = defaultdict(set)
    hours: dict[tuple[str, str], float] = defaultdict(float)
    cedaw, measures, members, meetings = [], [], {}, 0
    crossed, dimensions = 0, Counter()
    for path in sorted(p for p in folder.iterdir() if p.suffix in WORKBOOK_SUFFIXES):
        wb = sheet_values(path)
        info = {_norm(r[0]): r[1] for r in wb["基本資料"] if r and r[0]}
        if int(_num(info["年度"])) != year:
            continue
        unit = _norm(info["填報單位"])
        for r in _rows(wb["培力紀錄"]):
            when = _date(r["上課日期"])
            if first <= when <= last:
                hours[unit, re.sub(r"\s", "", _norm(r["姓名"]))] += _num(r["時數"])
        for r in _rows(wb["人員名冊"]):
            person = (re.sub(r"\s", "", _norm(r["姓名"])), _gender(r["性別"]))
            served = _days(_date(r["到職日期"]), _date(r["離職日期"]), span)
            service[person] |= served
            if _date(r.get("留職停薪起日")):
                leave[person] |= _days(_date(r["留職停薪起日"]), _date(r.get("留職停薪迄日")), span)
            kind = STAFF_WORDS.get(_norm(r["人員類別"]), _norm(r["人員類別"]))
            target = max(
                HOURS_GENERAL if kind in ("公務人員", "約聘僱人員") else HOURS_OTHER_STAFF,
                HOURS_SUPERVISOR if _norm(r["主管"]) == "是" else 0,
                HOURS_GENDER_OFFICER if _norm(r["性別業務承辦人"]) == "是" else 0,
            )
            if person not in latest or max(served) >= latest[person][0]:
                latest[person] = (max(served), target)
            units[person].add(unit)
        cedaw += [r for r in _rows(wb["CEDAW宣導"]) if first <= _date(r["辦理日期"]) <= last]
        measures += list(_rows(wb["其他性平措施"]))
        for r in _rows(wb["性平小組成員"]):
            members.setdefault(_norm(r["姓名"]), (_gender(r["性別"]), _norm(r["角色"])))
        meetings += len(list(_rows(wb["性平小組會議"])))
        for r in _rows(wb["性別統計"]):
            typed = _norm(r["複分類"])
            crossed += typed not in ("", "否")
            if typed not in ("", "否", "是"):
                dimensions.update(set(re.split(r"[、，,\s]+", typed)))
    people = [
        {
            "gender": gender,
            "required": len(service[name, gender] - leave[name, gender]) >= 90,
            "on_leave": len(service[name, gender])
            >= 90
            > len(service[name, gender] - leave[name, gender]),
            "target": latest[name, gender][1],
            "hours": sum(hours[u, name] for u in units[name, gender]),
        }
        for name, gender in service
    ]
    required = [p for p in people if p["required"]]
    completed = [p for p in required if p["hours"] >= p["target"]]

    def by_gender(ps):
        c = Counter(p["gender"] for p in ps)
        return {"male": c["男"], "female": c["女"], "other": c["其他"], "total": len(ps)}

    def participants(rows):
        keys = {"male": "參與人數(男)", "female": "參與人數(女)", "other": "參與人數(其他)"}
        out = {k: int(sum(_num(r[h]) for r in rows)) for k, h in keys.items()}
        return out | {"total": sum(out.values())}

    member_genders = Counter(g for g, _ in members.values())
    return {
        "people": len(people),
        "transfers": sum(len(u) > 1 for u in units.values()),
        "on_leave": sum(p["on_leave"] for p in people),
        "short_service": sum(not p["required"] and not p["on_leave"] for p in people),
        "required": by_gender(required),
        "completed": by_gender(completed),
        "hours_all": sum(p["hours"] for p in required),
        "total_hours": sum(hours.values()),
        "cedaw_sessions": len(cedaw),
        "cedaw_participants": participants(cedaw),
        "cedaw_reach": sum(_num(r.get("觸及人次")) for r in cedaw),
        "measures": len(measures),
        "measures_reach": sum(_num(r.get("觸及人次")) for r in measures),
        "members": {
            "male": member_genders["男"],
            "female": member_genders["女"],
            "total": len(members),
        },
        "meetings": meetings,
        "cross_classified": crossed,
        "dimensions": dict(dimensions),
    }


@pytest.fixture(scope="module")
def built(samples_build) -> tuple[dict, Path]:
    outcome, out = samples_build
    assert not outcome.has_errors, [p.message for p in outcome.problems if p.is_error]
    figures = json.loads((out / f"{YEAR}年度統計數據.json").read_text(encoding="utf-8"))
    return figures, out


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The samples' figures counted apart from gmreport, once for all workers."""
    return once(tmp_path_factory, "expected", lambda _: expected_figures(SAMPLES, YEAR))


def test_build_writes_the_four_outputs(samples_build):
    outcome, out = samples_build
    names = sorted(p.name for p in out.iterdir())
    marked = ["退回修正"] if any(p.file for p in outcome.problems) else []  # units' own copies
    assert names == sorted(
        [
            f"{YEAR}年度性別主流化執行成果報告.docx",
            f"{YEAR}年度性別主流化統計總表.xlsx",
            f"{YEAR}年度填報檢核結果.xlsx",
            f"{YEAR}年度統計數據.json",
            *marked,
        ]
    )


def test_json_keys_are_those_of_the_spec(built):
    figures, _ = built
    spec_keys = {"schema", "agency", "year", "units", "training", "meetings", "gia", "indicators"}
    spec_keys |= {"budget", "cedaw", "other_measures", "targets", "issues"}
    assert spec_keys <= figures.keys()
    assert figures["schema"] == "gmreport.figures/1"
    assert figures["year"] == YEAR
    assert set(figures["training"]["groups"]) == {
        "civil_servants",
        "supervisors",
        "gender_officers",
        "other_staff",
        "all",
    }
    for group in figures["training"]["groups"].values():
        assert {"required", "completed", "hours"} <= group.keys()
        assert set(group["required"]) == {"male", "female", "other", "total"}
    assert set(figures["training"]["hours_by_mode"]) >= {"實體", "數位", "混成"}
    for t in figures["targets"]:
        assert {"id", "work_item", "lead_unit", "label", "required", "actual", "met"} <= t.keys()
    assert [t["id"] for t in figures["targets"]] == [
        "meetings_per_year",
        "members_range",
        "convener",
        "ex_officio",
        "gender_balance",
        "training_completion",
        "training_civil_servants",
        "training_other_staff",
        "gia_done",
        "indicators_reviewed",
        "budget_reviewed",
        "cedaw_sessions",
        "other_measures",
    ]  # SPEC §3's 考核 table


def test_training_figures_match_an_independent_count(built, expected):
    figures, _ = built
    everyone = figures["training"]["groups"]["all"]
    assert everyone["required"] == expected["required"]
    assert everyone["completed"] == expected["completed"]
    assert everyone["hours"] == pytest.approx(expected["hours_all"])
    assert figures["training"]["total_hours"] == pytest.approx(expected["total_hours"])
    assert sum(figures["training"]["hours_by_mode"].values()) == pytest.approx(
        expected["total_hours"]
    )
    assert figures["training"]["people"]["roster"] == expected["people"]
    assert figures["training"]["not_required"] == {
        "short_service": expected["short_service"],
        "on_leave": expected["on_leave"],
    }


def test_samples_show_what_real_offices_have(built, expected):
    """The real-input cases SPEC §2 names are in the samples, so the figures above cover them."""
    figures, _ = built
    assert expected["transfers"] >= 1
    assert expected["on_leave"] >= 1
    assert figures["cedaw"]["reach"] and figures["other_measures"]["reach"]
    assert any(
        r["reach"] and not r["participants"]["total"] for r in figures["other_measures"]["list"]
    )
    assert len(figures["indicators"]["dimensions"]) >= 2


def test_other_figures_match_an_independent_count(built, expected):
    figures, _ = built
    assert figures["cedaw"]["sessions"] == expected["cedaw_sessions"]
    assert figures["cedaw"]["participants"] == expected["cedaw_participants"]
    assert figures["other_measures"]["count"] == expected["measures"]
    assert figures["cedaw"]["reach"] == expected["cedaw_reach"]
    assert figures["other_measures"]["reach"] == expected["measures_reach"]
    assert figures["meetings"]["count"] == expected["meetings"]
    assert figures["indicators"]["cross_classified"] == expected["cross_classified"]
    assert figures["indicators"]["dimensions"] == expected["dimensions"]
    members = figures["meetings"]["members"]
    assert (members["male"], members["female"], members["total"]) == (
        expected["members"]["male"],
        expected["members"]["female"],
        expected["members"]["total"],
    )


def test_targets_follow_from_the_figures(built, expected):
    figures, _ = built
    targets = {t["id"]: t for t in figures["targets"]}
    rate = expected["completed"]["total"] / expected["required"]["total"]
    assert targets["training_completion"]["actual"] == pytest.approx(rate)
    assert targets["training_completion"]["met"] is (rate >= 1.0)
    assert targets["cedaw_sessions"]["met"] is (expected["cedaw_sessions"] >= 2)
    third = math.ceil(expected["members"]["total"] / 3)
    assert targets["gender_balance"]["met"] is (
        expected["members"]["male"] >= third and expected["members"]["female"] >= third
    )
    assert {t["met"] for t in figures["targets"]} == {True, False}, (
        "samples show both 達成 and 未達成"
    )


def test_samples_show_a_missing_unit_and_a_file_set_aside(built):
    figures, _ = built
    assert figures["units"]["missing"] == ["調解委員會"]
    assert [f["year"] for f in figures["files"]["set_aside"]] == [112]


def test_rows_reconcile(built):
    rows = built[0]["rows"]
    assert rows["read"] == rows["counted"] + rows["excluded"]
    for sheet in rows["by_sheet"]:
        assert sheet["read"] == sheet["counted"] + sheet["excluded"]


def _docx_text(path: Path) -> str:
    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += ["\t".join(read_cell(c.text) for c in row.cells) for row in table.rows]
    return "\n".join(parts)


def test_report_shows_the_same_numbers(built, expected):
    figures, out = built
    text = _docx_text(out / f"{YEAR}年度性別主流化執行成果報告.docx")
    req, done = expected["required"], expected["completed"]
    rate = done["total"] / req["total"]
    everyone = "training.groups.all"
    if hidden(figures, f"{everyone}.required.total"):  # privacy: the sentence leaves it out
        assert f"應訓人員，男性 {req['male']} 人、女性 {req['female']} 人，" in text
        assert "應訓人員計" not in text
    else:
        assert f"應訓人員計 {req['total']} 人" in text
    said = f"完訓率 {rate * 100:.1f}%" in text
    assert said is not hidden(figures, f"{everyone}.rate.total")
    assert f"CEDAW 宣導 {expected['cedaw_sessions']} 場次" in text
    assert f"{expected['cedaw_participants']['total']:,} 人次" in text
    assert "調解委員會" in text
    tally = "、".join(f"{d} {n} 項" for d, n in figures["indicators"]["dimensions"].items())
    assert f"具複分類 {expected['cross_classified']} 項（依複分類別計：{tally}" in text
    rows = [line.split("\t") for line in text.splitlines() if "\t" in line]
    assert any("年齡、里別" in r for r in rows)  # the indicator table names each one's dimensions
    agency = next(r for r in rows if r[0] == "全機關")
    # the agency's counts by 性別, each as computed here or 「*」 where privacy hides it
    assert agency[1:9] == [
        "*" if hidden(figures, f"{everyone}.{part}.{k}") else str(v)
        for part, counts in (("required", req), ("completed", done))
        for k, v in counts.items()
    ]
    assert not [k for k in ("male", "female") if hidden(figures, f"{everyone}.required.{k}")]
    for t in figures["targets"]:
        row = next(  # the 考核 table's, which names the lead unit
            r for r in rows if any(c.startswith(t["label"]) for c in r) and t["lead_unit"] in r
        )
        assert row[-1] == t["verdict"]
        assert t["lead_unit"] in row


def test_report_holds_no_trainee_name(built):
    _, out = built
    text = _docx_text(out / f"{YEAR}年度性別主流化執行成果報告.docx")
    personnel = sheet_values(SAMPLES / f"{YEAR}年度_人事室_性別主流化填報.xlsx")
    chairs = {_norm(r["主席"]) for r in _rows(personnel["性平小組會議"])}
    names = set()
    for path in SAMPLE_FILES:
        if path.name.startswith(str(YEAR)):
            training = sheet_values(path)["培力紀錄"]
            names |= {re.sub(r"\s", "", _norm(r["姓名"])) for r in _rows(training)}
    assert names
    filer = {built[0]["filed_by"]["name"]}  # 人事室's 承辦人, on the cover as SPEC §8 asks
    leaked = sorted(n for n in names - chairs - filer if n in text)
    assert not leaked
