"""Reading a figures file (gmreport.figures_file): the one boundary where a build's earlier
years and the roll-up's agencies become typed `Figures`; and every figure read from them
is declared by a function of those types, which resolves on a real build."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from gmreport import figures_file
from gmreport.city import THEMES, Column, agencies, targets_sheet
from gmreport.config import Config
from gmreport.figures import Figures
from gmreport.figures_file import Unusable, figures_of, load_json
from gmreport.history import read_history
from gmreport.problems import Problem
from gmreport.render.rollup_report import AGENCY, CITY, TREND, rollup_context
from gmreport.render.rollup_workbook import rollup_sheets
from gmreport.render.trends import TREND_TABLES, GroupMeasure
from gmreport.rollup import Submission, load, roll_up
from gmreport.schema import EVERYONE
from gmreport.targets import TARGETS, TARGETS_BY_ID, InCity, Rule, Target, evaluate

from .conftest import SamplesBuild, write

FIGURES = "113年度統計數據.json"


@pytest.fixture(scope="module")
def read(samples_build: SamplesBuild) -> Figures:
    """The session build's figures file, read as an earlier year or an agency is."""
    loaded = load_json(samples_build.out / FIGURES)
    assert not isinstance(loaded, Unusable), loaded
    found = figures_of(loaded.data)
    assert not isinstance(found, Unusable), found
    return found


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# --- Every declared figure resolves on a fresh build ----------------------------------------


def test_every_trend_measure_resolves(read: Figures) -> None:
    unresolved = []
    for table in TREND_TABLES:
        for m in table.columns:
            if isinstance(m, GroupMeasure):
                value = m.get(read["training"]["groups"][EVERYONE.key])
            else:
                value = m.get(read)
            if not _is_number(value):
                unresolved.append((table.key, m.header, value))
        for f in table.findings:
            if not _is_number(value := f.get(read)):
                unresolved.append((table.key, f.said, value))
    assert unresolved == []


def test_every_measure_of_the_city_and_its_report_resolves(
    samples_build: SamplesBuild, read: Figures
) -> None:
    """Each column of the city's tables, and each figure its report reads, is a number for
    the agency and the city on a real build (a verdict's is text)."""
    rollup = roll_up([samples_build.out / FIGURES])
    found = agencies(rollup)
    sheets = [*THEMES, targets_sheet([])]
    columns = [(s.name, c.header, c.measure) for s in sheets for c in s.columns]
    trend = [(k, m.measure if isinstance(m, Column) else m) for k, m in TREND.items()]
    reads = [*CITY.items(), *AGENCY.items(), *trend]
    unresolved = [
        (name, header)
        for name, header, m in [*columns, *(("report", k, m) for k, m in reads)]
        if not _is_number(m.of(read)) or not _is_number(m.total(found))
    ]
    assert unresolved == []
    [agency] = rollup_context(rollup)["agencies"]
    assert agency["meetings"] == samples_build.outcome.figures["meetings"]["count"]


def test_every_target_resolves(read: Figures) -> None:
    for target in TARGETS:
        actual = target.actual(read)
        assert actual is not None, target.id
    assert [r["id"] for r in evaluate(read, Config())] == [t.id for t in TARGETS]


def test_a_figure_the_figures_do_not_have_fails_the_type_check(tmp_path: Path) -> None:
    """A typo in a city column's figure is a type error, not a column of 「—」."""
    from mypy import api

    code = "from gmreport.city import Sum\nSum(lambda f: f['cedaw']['reach'])\n"
    typo = write(tmp_path, "typo.py", code + code.replace("reach", "reaches"))
    cache = str(tmp_path / "cache")
    out, _, status = api.run(["--strict", "--cache-dir", cache, str(typo)])
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert status == 1 and len(errors) == 1, out
    assert 'typo.py:4: error: TypedDict "Cedaw" has no key "reaches"' in errors[0]


# --- A new target reaches the city with no second edit ------------------------------------


def test_a_target_added_to_the_table_reaches_the_citys_workbook_and_report(
    samples_build: SamplesBuild, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    added = Target(
        "cedaw_reach",
        TARGETS_BY_ID["cedaw_sessions"].work_item,
        Rule.AT_LEAST,
        lambda f: f["cedaw"]["reach"],
        "CEDAW 宣導觸及至少 {required} 人次",
        "CEDAW 宣導觸及 {actual} 人次，未達每年至少 {required} 人次之目標。",
        InCity("CEDAW 宣導觸及人次", "CEDAW宣導", "觸及目標"),
        unit="人次",
        fixed=1,
    )
    extended = (*TARGETS, added)
    by_id = {t.id: t for t in extended}
    for module in [m for name, m in sys.modules.items() if name.startswith("gmreport")]:
        if getattr(module, "TARGETS", None) is TARGETS:
            monkeypatch.setattr(module, "TARGETS", extended)
        if getattr(module, "TARGETS_BY_ID", None) is TARGETS_BY_ID:
            monkeypatch.setattr(module, "TARGETS_BY_ID", by_id)
    figures: Any = copy.deepcopy(samples_build.outcome.figures)
    figures["targets"] = evaluate(figures, Config())
    assert len(figures["targets"]) == len(TARGETS) + 1
    path = tmp_path / FIGURES
    path.write_text(json.dumps(figures, ensure_ascii=False), encoding="utf-8")
    rollup = roll_up([path])
    sheets = {t.name: t for t in rollup_sheets(rollup).tables}
    targets = sheets["目標達成"]
    # the last column of each agency sheet is its 備註 (the units it lacks); the target before
    assert targets.columns[-2:] == ("CEDAW 宣導觸及人次", "備註")
    assert targets.rows[0][-2] == figures["targets"][-1]["verdict"]
    cedaw = sheets["CEDAW宣導"]
    assert cedaw.columns[-2:] == ("觸及目標", "備註")
    assert cedaw.rows[0][-2] == figures["targets"][-1]["verdict"]
    names = [t["name"] for t in rollup_context(rollup)["targets"]]
    assert names[-1] == "CEDAW 宣導觸及人次"


def test_every_target_is_on_a_theme_sheet() -> None:
    themes = {s.name: [c.header for c in s.with_targets] for s in THEMES}
    for target in TARGETS:
        assert target.city.header in themes[target.city.theme]


# --- The boundary: what a file holds never crashes a reader -------------------------------


@pytest.fixture(scope="module")
def figures_113(samples_build: SamplesBuild) -> dict:
    return json.loads((samples_build.out / FIGURES).read_text(encoding="utf-8"))


def test_a_bom_is_read(figures_113: dict, tmp_path: Path) -> None:
    text = json.dumps(figures_113, ensure_ascii=False)
    found = load(write(tmp_path, "a.json", "\ufeff".encode() + text.encode()))
    assert isinstance(found, Submission), found
    assert found.agency == figures_113["agency"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda t: t.replace('"count": ', '"count": NaN, "x": ', 1), "not-json"),
        (lambda t: t.replace('"count": ', '"count": Infinity, "x": ', 1), "not-json"),
        (lambda t: t.replace('"count": ', '"count": 1e400, "x": ', 1), "not-json"),
        (lambda t: t.replace('"allocated": ', '"allocated": 1e300, "x": ', 1), "invalid"),
        (lambda t: "[" * 5000 + "]" * 5000, "not-json"),
        (lambda t: t[: len(t) // 2], "not-json"),
        (lambda t: "[1, 2]", "invalid"),
        (lambda t: t.replace('"gmreport.figures/1"', '"gmreport.figures/2"', 1), "other-schema"),
    ],
)
def test_hostile_content_is_a_reason_not_a_crash(
    figures_113: dict, tmp_path: Path, change: Any, code: str
) -> None:
    text = change(json.dumps(figures_113, ensure_ascii=False))
    found = load(write(tmp_path, "a.json", text))
    assert isinstance(found, Problem) and found.code == f"rollup-{code}", found


def test_a_file_past_the_limit_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(figures_file, "MAX_FILE_BYTES", 10)
    found = load_json(write(tmp_path, "a.json", " " * 11))
    assert isinstance(found, Unusable) and found.code == "too-large"
    assert found.detail == "0.0 MB"
    assert found.problem("a.json").code == "rollup-too-large"
    assert found.reason == found.problem().message == "檔案過大（0.0 MB），不是統計數據檔，未讀取"


def test_a_file_without_history_has_none(figures_113: dict) -> None:
    older = {k: v for k, v in figures_113.items() if k not in ("history", "plan", "built_at")}
    read = figures_of(older)
    assert not isinstance(read, Unusable)
    assert read["history"] == {} and "plan" not in read


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        ("NaN", "不是 JSON 格式的統計數據檔"),
        ("deep", "不是 JSON 格式的統計數據檔"),
        ("huge", "「budget.allocated」不可大於"),
    ],
)
def test_a_hostile_earlier_year_is_a_warning_naming_the_file(
    figures_113: dict, tmp_path: Path, content: str, detail: str
) -> None:
    text = json.dumps(figures_113, ensure_ascii=False)
    if content == "NaN":
        text = text.replace('"count": ', '"count": NaN, "x": ', 1)
    elif content == "deep":
        text = text[:-1] + ', "x": ' + "[" * 100 + "]" * 100 + "}"
    else:
        text = text.replace('"allocated": ', '"allocated": 1e300, "x": ', 1)
    bad = write(tmp_path / "earlier", FIGURES, text)
    good = dict(copy.deepcopy(figures_113), year=112)
    write(tmp_path / "earlier", "112年度統計數據.json", good)
    history = read_history([tmp_path / "earlier"], agency=figures_113["agency"], year=114)
    assert list(history.years) == [112]
    [warning] = history.problems
    assert (warning.code, warning.file) == ("history-unreadable", str(bad))
    assert detail in warning.message


def test_a_history_year_is_read_as_it_was_written(figures_113: dict, tmp_path: Path) -> None:
    write(tmp_path, FIGURES, figures_113)
    history = read_history([tmp_path], agency=figures_113["agency"], year=114)
    assert history.as_json() == {"113": {k: v for k, v in figures_113.items() if k != "history"}}
