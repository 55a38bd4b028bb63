"""The city's measures (gmreport.city) on agencies made here from one real build: totals,
medians and ranks computed in the test, and what an agency's file lacks left out."""

from __future__ import annotations

import copy
import statistics
from typing import Any

import pytest

from gmreport.city import (
    COMPLETION,
    EXECUTION,
    GIA,
    REQUIRED,
    TARGETS_MET,
    THEMES,
    Column,
    absent_units,
    agency_table,
    median,
    ranks,
    target_absent_units,
    target_summaries,
    with_absent_units,
)
from gmreport.config import Config
from gmreport.schema import EVERYONE
from gmreport.tables import ValueKind
from gmreport.targets import TARGETS_BY_ID, evaluate, lead_names

from .conftest import SamplesBuild


@pytest.fixture
def agencies(samples_build: SamplesBuild) -> dict[str, Any]:
    """Four agencies: the samples' figures with other counts and nothing hidden, one without
    a training group and one whose budget has nothing allocated (no 執行率)."""
    made: dict[str, Any] = {}
    for i, (gia, allocated) in enumerate([(3, 100.0), (1, 0.0), (3, 50.0), (0, 80.0)]):
        f: Any = copy.deepcopy(samples_build.outcome.figures)
        f["agency"] = f"機關{i}"
        f["gia"]["count"] = gia
        f["budget"]["allocated"], f["budget"]["executed"] = allocated, allocated / (i + 1)
        everyone = f["training"]["groups"][EVERYONE.key]
        everyone["required"]["total"] += i
        f["targets"] = evaluate(f, Config())
        f["suppressed"] = []  # nothing hidden: what the city hides is test_rollup's
        made[f["agency"]] = f
    del made["機關3"]["training"]["groups"][EVERYONE.key]
    return made


def _verdict(figures: Any, target: str) -> str:
    return next(t["verdict"] for t in figures["targets"] if t["id"] == target)


def test_a_count_is_summed_and_its_median_and_ranks_share_ties(agencies: dict[str, Any]) -> None:
    counts = [f["gia"]["count"] for f in agencies.values()]
    assert GIA.total(agencies) == sum(counts) == 7
    assert median(Column("", GIA), agencies) == statistics.median(counts) == 2
    assert ranks(Column("", GIA), agencies) == {"機關0": 1, "機關1": 3, "機關2": 1, "機關3": 4}


def test_a_rate_is_the_citys_from_its_totals_and_nothing_to_divide_is_no_rate(
    agencies: dict[str, Any],
) -> None:
    budgets = [f["budget"] for f in agencies.values()]
    executed, allocated = sum(b["executed"] for b in budgets), sum(b["allocated"] for b in budgets)
    assert EXECUTION.total(agencies) == pytest.approx(executed / allocated)
    assert EXECUTION.of(agencies["機關1"]) is None  # nothing allocated
    rates = [b["executed"] / b["allocated"] for b in budgets if b["allocated"]]
    assert median(Column("", EXECUTION), agencies) == pytest.approx(statistics.median(rates))
    assert ranks(Column("", EXECUTION), agencies)["機關1"] is None


def test_a_training_group_a_file_lacks_is_left_out_not_counted_as_zero(
    agencies: dict[str, Any],
) -> None:
    with_group = [f for a, f in agencies.items() if a != "機關3"]
    required = [f["training"]["groups"][EVERYONE.key]["required"]["total"] for f in with_group]
    assert REQUIRED["total"].of(agencies["機關3"]) is None
    assert REQUIRED["total"].total(agencies) == sum(required)
    assert median(Column("", REQUIRED["total"]), agencies) == statistics.median(required)
    assert ranks(Column("", COMPLETION["total"]), agencies)["機關3"] is None
    training = next(s for s in THEMES if s.name == "性別意識培力")
    rows = {r[0]: r for r in agency_table(113, training, agencies).rows}
    assert rows["機關3"][1:5] == (None,) * 4  # 應訓 by gender: none, not 0
    assert rows["合計"][4] == sum(required)  # these agencies hide nothing


def test_a_sheet_has_a_row_per_agency_then_the_city_and_the_median(
    agencies: dict[str, Any],
) -> None:
    sheet = next(s for s in THEMES if s.name == "性別影響評估")
    table = agency_table(113, sheet, agencies)
    assert table.title == "113年度各機關性別影響評估辦理情形"
    assert table.columns[:3] == ("機關", "辦理案數", "辦理案數\n排名")
    assert [r[:3] for r in table.rows] == [
        ("機關0", 3, 1),
        ("機關1", 1, 3),
        ("機關2", 3, 1),
        ("機關3", 0, 4),
        ("合計", 7, None),
        ("中位數", 2, None),
    ]
    # then the target the table of targets puts on the sheet: each verdict, and the tally
    expected = [_verdict(f, "gia_done") for f in agencies.values()]
    met = sum(v in ("達成", "已辦理") for v in expected)
    word = "已辦理" if {"已辦理", "未辦理"} & set(expected) else "達成"
    assert table.columns[-2] == "辦理情形"
    assert [r[-2] for r in table.rows] == [*expected, f"{word} {met}／4", None]
    assert expected.count("已辦理") + expected.count("達成") == 3
    assert table.kind(0, len(table.columns) - 2) is ValueKind.TEXT
    # last, the note of the units whose data each agency's figures lack (SPEC §5 ◆)
    notes = [
        "，".join(
            f"{'、'.join(f['units'][k])}{word}"
            for k, word in (("missing", "未繳交"), ("empty", "繳交空白表"))
            if f["units"][k]
        )
        or None
        for f in agencies.values()
    ]
    assert table.columns[-1] == "備註"
    assert [r[-1] for r in table.rows] == [*notes, None, None]


def test_the_note_names_the_units_a_target_lacks(agencies: dict[str, Any]) -> None:
    figures = next(iter(agencies.values()))
    units = {**figures["units"], "missing": ["會計室", "秘書室"], "empty": ["民政課"]}
    figures = {**figures, "units": units}
    assert absent_units(figures) == "會計室、秘書室未繳交，民政課繳交空白表"
    assert absent_units(figures, ["民政課"]) == "民政課繳交空白表"
    lead = {t["id"]: t["lead_unit"] for t in figures["targets"]}
    budget, training = TARGETS_BY_ID["budget_reviewed"], TARGETS_BY_ID["training_completion"]
    leads = lead_names(lead[budget.id])
    assert "會計室" in leads  # the plan's 主辦 of 性別預算
    assert target_absent_units(figures, budget) == absent_units(figures, leads)
    assert target_absent_units(figures, training) == absent_units(figures)  # every unit
    named = with_absent_units(["機關0"], {"機關0": figures}, training)
    assert named == [f"機關0（{absent_units(figures)}）"]


def test_the_targets_met_are_counted_from_the_verdicts(agencies: dict[str, Any]) -> None:
    met = [sum(t["verdict"] in ("達成", "已辦理") for t in f["targets"]) for f in agencies.values()]
    assert TARGETS_MET.total(agencies) == sum(met)
    summaries = target_summaries(agencies)
    gia = next(s for s in summaries if s.target.id == "gia_done")
    assert (gia.met, gia.missed) == (["機關0", "機關1", "機關2"], ["機關3"])
    assert [s.target.id for s in summaries] == [t["id"] for t in agencies["機關0"]["targets"]]
