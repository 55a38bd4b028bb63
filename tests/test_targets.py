"""The declarative table of the plan's targets and its evaluation (gmreport.targets)."""

from __future__ import annotations

import copy

import pytest

from gmreport.config import Config, config_from_dict
from gmreport.schema import CONVENER, EX_OFFICIO_ROLES, WORK_ITEMS
from gmreport.targets import TARGETS, TARGETS_BY_ID, Rule, evaluate, evaluate_one

from .conftest import example_figures

EXAMPLE = example_figures()


@pytest.fixture
def figures() -> dict:
    """The example's figures with every unit's data: each rule judged on whole data (a unit
    未繳交 makes a met target 資料不全, tests/test_partial_data.py)."""
    figures = copy.deepcopy(EXAMPLE)
    units = figures["units"]
    units["submitted"], units["missing"], units["empty"] = list(units["expected"]), [], []
    return figures


def judged(figures: dict, target_id: str, config: Config | None = None) -> dict:
    return dict(evaluate_one(TARGETS_BY_ID[target_id], figures, config or Config()))


def test_the_table_is_well_formed() -> None:
    assert len(TARGETS_BY_ID) == len(TARGETS)
    config = Config()
    for target in TARGETS:
        assert target.work_item in WORK_ITEMS
        required = target.config(config) if target.config else ()
        assert all(isinstance(v, int | float) for v in required)
        assert (target.fixed is not None) + bool(target.config) + bool(target.names) <= 1
        assert target.missed and target.label


def test_each_work_items_targets_are_together_in_the_plans_order() -> None:
    """The 計畫期程總檢討's grid lists the targets as the figures do (in this order) under
    one heading per work item: a target out of its item's run would repeat the heading."""
    order = [WORK_ITEMS.index(t.work_item) for t in TARGETS]
    assert order == sorted(order)


def test_evaluation_follows_the_table_order(figures: dict) -> None:
    assert [t["id"] for t in evaluate(figures, Config())] == [t.id for t in TARGETS]


@pytest.mark.parametrize(("count", "met"), [(0, False), (1, True), (2, True)])
def test_at_least_against_the_config(figures: dict, count: int, met: bool) -> None:
    figures["meetings"]["count"] = count
    assert judged(figures, "meetings_per_year") | {"label": ""} == {
        "id": "meetings_per_year",
        "work_item": "性平執行小組會議",
        "lead_unit": "人事室",
        "label": "",
        "required": 1,
        "actual": count,
        "met": met,
        "verdict": "達成" if met else "未達成",
    }
    config = config_from_dict({"meetings": {"min_per_year": 3}})
    result = judged(figures, "meetings_per_year", config)
    assert (result["required"], result["met"]) == (3, False)
    assert result["label"] == "性平執行小組每年至少召開會議 3 次"


@pytest.mark.parametrize(("total", "met"), [(6, False), (7, True), (13, True), (14, False)])
def test_range(figures: dict, total: int, met: bool) -> None:
    figures["meetings"]["members"]["total"] = total
    result = judged(figures, "members_range")
    assert (result["required"], result["actual"], result["met"]) == ([7, 13], total, met)
    assert result["label"] == "執行小組置組員 7 人至 13 人"


@pytest.mark.parametrize(("conveners", "met"), [(0, False), (1, True), (2, False)])
def test_exactly_one_convener(figures: dict, conveners: int, met: bool) -> None:
    figures["meetings"]["roles"][CONVENER] = conveners
    result = judged(figures, "convener")
    assert (result["required"], result["actual"], result["met"]) == (1, conveners, met)


def test_all_ex_officio_roles_present_or_named_missing(figures: dict) -> None:
    roles = figures["meetings"]["roles"]
    for role in EX_OFFICIO_ROLES:
        roles[role] = 1
    assert judged(figures, "ex_officio")["missing"] == []
    roles[EX_OFFICIO_ROLES[1]] = 0
    result = judged(figures, "ex_officio")
    assert result["missing"] == [EX_OFFICIO_ROLES[1]]
    assert (result["required"], result["actual"], result["met"]) == (5, 4, False)


@pytest.mark.parametrize(
    ("male", "female", "required", "actual", "met"),
    [(4, 8, 4, 4, True), (3, 8, 4, 3, False), (0, 0, 0, 0, False), (5, 5, 4, 5, True)],
)
def test_gender_balance_is_a_third_of_members(figures, male, female, required, actual, met):
    figures["meetings"]["members"] = {
        "male": male,
        "female": female,
        "other": 0,
        "total": male + female,
    }
    result = judged(figures, "gender_balance")
    assert (result["required"], result["actual"], result["met"]) == (required, actual, met)


@pytest.mark.parametrize(
    ("rate", "goal", "met"),
    [(None, 1.0, False), (0.95, 1.0, False), (0.95, 0.95, True), (0.1 + 0.85, 0.95, True)],
)
def test_rate_at_least_with_float_noise(figures: dict, rate, goal: float, met: bool) -> None:
    figures["training"]["groups"]["all"]["rate"]["total"] = rate
    config = config_from_dict({"training": {"completion_rate": goal}})
    result = judged(figures, "training_completion", config)
    assert (result["required"], result["actual"], result["met"]) == (goal, rate, met)
    assert TARGETS_BY_ID["training_completion"].rule is Rule.RATE_AT_LEAST
    assert result["label"].endswith(f"{goal * 100:g}%")  # as the plan writes it: 100%, 95%


def _measures(figures: dict, *items: str) -> dict:
    figures["other_measures"]["list"] = [{"item": i} for i in items]
    return figures


@pytest.mark.parametrize(
    ("rates", "met", "actual"),
    [
        ((1.0, 1.0, 1.0), True, 1.0),
        ((1.0, 0.9, 1.0), False, 0.9),
        ((0.95, None, 1.0), False, 0.95),  # a group with nobody 應訓 does not count
        ((None, None, None), True, None),  # nobody 應訓 in these groups: 無應訓人員
    ],
)
def test_civil_servants_target_needs_each_of_its_groups(figures, rates, met, actual) -> None:
    for key, rate in zip(("civil_servants", "supervisors", "gender_officers"), rates, strict=True):
        figures["training"]["groups"][key]["rate"]["total"] = rate
    result = judged(figures, "training_civil_servants")
    assert (result["met"], result["actual"], result["lead_unit"]) == (met, actual, "人事室")
    other = judged(figures, "training_other_staff")
    assert other["lead_unit"] == "秘書室"


def test_lead_units_follow_the_config(figures) -> None:
    config = config_from_dict({"lead_units": {"性別意識培力": "人事室", "性別影響評估": "研考科"}})
    assert judged(figures, "training_other_staff", config)["lead_unit"] == "人事室"
    assert judged(figures, "gia_done", config)["lead_unit"] == "研考科"
    assert judged(figures, "cedaw_sessions", config)["lead_unit"] == "民政課（協辦：社會課）"


@pytest.mark.parametrize(
    ("count", "minimum", "verdict"),
    [(0, 0, "未辦理"), (2, 0, "已辦理"), (1, 2, "未達成"), (2, 2, "達成")],
)
def test_gia_is_an_item_to_do_unless_a_number_is_set(figures, count, minimum, verdict) -> None:
    figures["gia"]["count"] = count
    config = config_from_dict({"gia": {"min_per_year": minimum}})
    result = judged(figures, "gia_done", config)
    assert result["verdict"] == verdict
    assert result["met"] is (verdict in ("已辦理", "達成"))
    assert ("至少" in result["label"]) is (minimum > 0)  # 「每年至少 0 件」 is never written


@pytest.mark.parametrize(("count", "verdict"), [(0, "未辦理"), (1, "已辦理")])
def test_budget_reviewed_is_done_or_not(figures, count, verdict) -> None:
    figures["budget"]["count"] = count
    assert judged(figures, "budget_reviewed")["verdict"] == verdict


def test_indicators_reviewed_counts_new_and_revised(figures) -> None:
    figures["indicators"]["reviewed"] = 0
    assert judged(figures, "indicators_reviewed")["verdict"] == "未達成"
    figures["indicators"]["reviewed"] = 1
    assert judged(figures, "indicators_reviewed")["verdict"] == "達成"


def test_gender_balance_says_the_plan_does_not_state_it(figures) -> None:
    assert judged(figures, "gender_balance")["label"].endswith("（非本計畫所定，依通例）")


def test_a_group_without_anyone_to_train_is_not_a_miss(figures) -> None:
    figures["training"]["groups"]["other_staff"]["rate"]["total"] = None
    result = judged(figures, "training_other_staff")
    assert (result["met"], result["verdict"]) == (True, "無應訓人員")


def test_a_lead_unit_with_helpers_in_brackets_is_not_split_there(figures) -> None:
    config = config_from_dict(
        {"lead_units": {"性別意識培力": "人事室（協辦：秘書室、會計室）、秘書室"}}
    )
    assert (
        judged(figures, "training_civil_servants", config)["lead_unit"]
        == "人事室（協辦：秘書室、會計室）"
    )
    assert judged(figures, "training_other_staff", config)["lead_unit"] == "秘書室"
