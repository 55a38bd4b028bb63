"""Warnings to 人事室 where a unit's own entries, printed in the report as they are, could
single out a colleague (SPEC v3 §3 ◆): a 性別統計 row about the office's staff with 1 or 2
of one 性別, and a narrative naming a 人員類別 of which 1 or 2 people missed their hours."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from gmreport.blank_workbook import FIRST_DATA_ROW
from gmreport.config import Config, Privacy
from gmreport.pipeline import check
from gmreport.privacy_warnings import counts_staff
from gmreport.problems import Severity

from .conftest import ROSTER, TRAINING, gathered

INDICATOR = "staff-indicator-small-cell"
NARRATIVE = "narrative-names-small-group"
COUNT_LETTERS = {"男": "D", "女": "E", "其他": "F"}


def _indicator(name: str, male: int, female: int, other: int, use: str = "培力規劃") -> list:
    return [name, "既有", "否", male, female, other, "113年底", use]


@pytest.mark.parametrize(
    ("row", "cells"),
    [
        (_indicator("本所員工人數按性別分", 40, 50, 1), ["F"]),
        (_indicator("本所同仁人數按職等分", 2, 50, 0), ["D"]),
        (_indicator("約聘僱人員人數", 1, 2, 0), ["D", "E"]),
        (_indicator("職場滿意度調查人數", 12, 2, 0, "作為本所同仁職場友善措施之參考"), ["E"]),
        (_indicator("本所員工人數按性別分", 40, 50, 0), []),
        (_indicator("本所員工人數按性別分", 40, 50, 3), []),
        (_indicator("旗津區里長人數", 9, 4, 1), []),  # the public: not suppressed, not warned
    ],
    ids=["one-other", "two-men", "both-small", "said-in-use", "none", "three", "public"],
)
def test_a_staff_indicator_with_one_or_two_of_a_gender_is_warned_about(
    make_workbook: Callable[..., Path], valid_rows: dict, row: list, cells: list[str]
) -> None:
    path = make_workbook(valid_rows | {"性別統計": [row]})
    found = [p for p in check([path], Config()).problems if p.code == INDICATOR]
    assert [p.cell for p in found] == [f"{c}{FIRST_DATA_ROW}" for c in cells]
    for p in found:
        assert p.severity is Severity.WARNING
        assert p.sheet == "性別統計" and p.file == path.name and p.unit == "人事室"
        assert row[0] in p.message and "未達 3 人" in p.message


def test_the_indicator_check_follows_the_configured_min_cell(
    make_workbook: Callable[..., Path], valid_rows: dict
) -> None:
    path = make_workbook(valid_rows | {"性別統計": [_indicator("本所員工人數", 40, 50, 4)]})
    assert not [p for p in check([path], Config()).problems if p.code == INDICATOR]
    config = replace(Config(), privacy=Privacy(min_cell=5))
    found = [p for p in check([path], config).problems if p.code == INDICATOR]
    assert [p.cell for p in found] == [f"F{FIRST_DATA_ROW}"]


@pytest.mark.parametrize(
    ("name", "use", "staff"),
    [
        ("本所員工人數按性別分", "", True),
        ("約聘僱人員人數", "", True),
        ("旗津區志工人數按性別及年齡分", "", False),
        ("洽公民眾人次", "作為本所同仁排班之參考", True),
        ("洽公民眾人次", "本所將據以改善服務", False),
    ],
)
def test_which_indicators_count_staff(name: str, use: str, staff: bool) -> None:
    assert counts_staff(name, use) is staff


def _narrative_build(
    tmp_path: Path,
    make_workbook: Callable[..., Path],
    narrative: list,
    *,
    short_workers: int = 1,
    config: Config | None = None,
    staff_type: str = "職工",
) -> list:
    """The narrative warnings a build finds in 人事室's workbook: the conftest's three, plus
    workers of `staff_type`, the first `short_workers` of all the workers short of their
    hours; then `narrative`."""
    roster = [list(r) for r in ROSTER] + [
        [f"工{i}", "男", staff_type, "", "", "50-59歲"] for i in range(3)
    ]
    training = [list(r) for r in TRAINING] + [
        [f"工{i}", "CEDAW 導論", "CEDAW", "數位", "113/5/2", 2] for i in range(3)
    ]
    workers = [r for r in training if r[0] == "陳志強" or r[0].startswith("工")]
    for r in workers[:short_workers]:
        r[5] = 1
    folder = tmp_path / "in"
    make_workbook(
        {"人員名冊": roster, "培力紀錄": training, "執行成果說明": [narrative]}, folder=folder
    )
    outcome = gathered(folder, config, draft=True)  # the warnings: found before writing
    return [p for p in outcome.problems if p.code == NARRATIVE]


def test_a_narrative_naming_the_one_worker_short_of_hours_is_warned_about(
    tmp_path: Path, make_workbook: Callable[..., Path]
) -> None:
    text = "駕駛同仁因派車勤務未能參加實體講習，已通知補訓。"
    found = _narrative_build(tmp_path, make_workbook, ["性別意識培力", "", text])
    assert [p.cell for p in found] == [f"C{FIRST_DATA_ROW}"]  # 檢討與精進
    (p,) = found
    assert p.sheet == "執行成果說明" and p.unit == "人事室" and p.severity is Severity.WARNING
    assert "「駕駛」" in p.message and "職工" in p.message and "部分同仁" in p.hint


@pytest.mark.parametrize(
    ("narrative", "short", "expected"),
    [
        (["性別意識培力", "辦理技工、工友場次講習 2 小時。", ""], 2, ["B"]),
        (["性別意識培力", "", "駕駛同仁未完成時數。"], 0, []),  # nobody short
        (["性別意識培力", "", "駕駛同仁未完成時數。"], 3, []),  # too many to tell who
        (["性別意識培力", "", "約僱同仁未完成時數。"], 1, []),  # another group
        (["CEDAW宣導及其他性平措施", "駕駛協助載運宣導物資。", ""], 1, []),  # not training
        (["CEDAW宣導及其他性平措施", "工友及駕駛參加講習時數不足。", ""], 1, ["B"]),
    ],
    ids=["two-short", "none-short", "three-short", "other-group", "not-training", "said-anywhere"],
)
def test_a_narrative_is_warned_about_only_beside_one_or_two_short(
    tmp_path: Path, make_workbook: Callable[..., Path], narrative: list, short: int, expected: list
) -> None:
    found = _narrative_build(tmp_path, make_workbook, narrative, short_workers=short)
    assert [p.cell for p in found] == [f"{c}{FIRST_DATA_ROW}" for c in expected]


def test_the_agencys_own_word_for_a_staff_type_is_a_name_too(
    tmp_path: Path, make_workbook: Callable[..., Path]
) -> None:
    config = replace(Config(), aliases={"人員類別": {"保全": "職工"}})
    text = "保全同仁輪班未能參訓，已通知補訓。"
    found = _narrative_build(tmp_path, make_workbook, ["性別意識培力", "", text], config=config)
    assert [p.cell for p in found] == [f"C{FIRST_DATA_ROW}"]
    assert "「保全」" in found[0].message


def test_the_samples_warn_of_the_named_driver_and_the_one_colleague_counted(
    samples_build,
) -> None:
    """The 113 samples: 秘書室 writes of its 駕駛 while one 職工 is short of hours, and 會計室
    keeps 本所員工人數 with one colleague of 其他."""
    found = {(p.code, p.unit, p.sheet) for p in samples_build.outcome.problems}
    assert (NARRATIVE, "秘書室", "執行成果說明") in found
    assert (INDICATOR, "會計室", "性別統計") in found
    short = [s for s in samples_build.outcome.shortfalls if s.staff_type == "職工"]
    assert 0 < len(short) < 3
