"""The report's number formats, the targets table and the generated 檢討 findings."""

from __future__ import annotations

import copy

import pytest

from gmreport.findings import findings, missed, target_row, target_rows
from gmreport.targets import TARGETS

from .conftest import example_figures

EXAMPLE = example_figures()


@pytest.fixture
def figures() -> dict:
    return copy.deepcopy(EXAMPLE)


def target(figures: dict, tid: str) -> dict:
    return next(t for t in figures["targets"] if t["id"] == tid)


def all_clear(figures: dict) -> dict:
    """The example with every target met with room to spare and nothing left out."""
    for t in figures["targets"]:
        t["met"] = True
    target(figures, "training_completion")["actual"] = 1.0
    for g in figures["training"]["groups"].values():
        g["completed"] = dict(g["required"])
        g["rate"] = {"male": 1.0, "female": 1.0, "other": None, "total": 1.0}
    target(figures, "gender_balance")["actual"] = 5
    figures["meetings"]["members"] = {"male": 5, "female": 5, "other": 0, "total": 10}
    figures["units"]["missing"] = []
    figures["rows"]["excluded"] = 0
    return figures


def test_target_rows_read_as_people_write_them(figures: dict) -> None:
    rows = {r["id"]: r for r in target_rows(figures)}
    assert [r["id"] for r in target_rows(figures)] == [t["id"] for t in figures["targets"]]
    assert rows["members_range"]["required"] == "7 至 13 人"
    assert rows["members_range"]["actual"] == "10 人"
    assert rows["meetings_per_year"]["required"] == "至少 1 次"
    assert rows["cedaw_sessions"]["actual"] == "3 場次"
    assert rows["training_completion"]["required"] == "100%"  # a target, as the plan writes it
    assert rows["training_completion"]["actual"] == "96.8%"
    assert rows["training_completion"]["met"] is False
    assert rows["gender_balance"]["required"] == "任一性別至少 4 人"
    assert rows["gender_balance"]["actual"] == "男 4 人、女 6 人"


def test_target_row_names_missing_ex_officio_roles(figures: dict) -> None:
    t = target(figures, "ex_officio")
    t.update(actual=4, met=False, missing=["研考當然成員"])
    assert target_row(t, figures)["actual"] == "4 類（缺研考當然成員）"


def test_a_target_of_no_declaration_is_shown_as_it_is(figures: dict) -> None:
    # A figures file of another version may hold a target this one does not declare.
    pair = {"id": "new_range", "label": "某範圍", "required": [2, 5], "actual": 6, "met": False}
    count = {
        "id": "new_count",
        "label": "某項目至少 3 項",
        "required": 3,
        "actual": 1,
        "met": False,
    }
    assert target_row(pair, figures)["required"] == "2 至 5"
    assert target_row(count, figures)["actual"] == "1"
    figures["targets"] = [pair, count]
    assert findings(figures)[:2] == [
        "「某範圍」未達成（目標值 2 至 5，實際值 6）。",
        "「某項目至少 3 項」未達成（目標值 3，實際值 1）。",
    ]


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.id)
def test_every_declared_target_reads_as_text_met_or_missed(target, figures: dict) -> None:
    result = next(t for t in figures["targets"] if t["id"] == target.id)
    row = target_row(result, figures)
    assert row["label"] == result["label"]
    for text in (row["required"], row["actual"], missed(result, figures)):
        assert text and "{" not in text and "None" not in text
    assert missed(result, figures).endswith("。")


def test_example_findings(figures: dict) -> None:
    assert findings(figures) == [
        "全機關性別意識培力完訓率 96.8%（男 95.2%、女 98.1%），未達 100% 之目標。"
        "上開數據不含調解委員會（未繳交資料）。（主辦單位：人事室、秘書室）",
        # 1 or 2 people short of their hours are 「部分人員」; the 性別 of a group the example
        # hides (性別業務承辦人's, in a file written before v3) are not said
        "公務人員完訓率 97.3%（男 96.7%、女 97.8%），部分人員未達目標時數；"
        "主管人員完訓率 88.9%（男 80.0%、女 100.0%），部分人員未達目標時數；"
        "性別業務承辦人完訓率 88.9%，部分人員未達目標時數，"
        "未達 100% 之目標。上開數據不含調解委員會（未繳交資料）。（主辦單位：人事室）",
        "職工及自僱非公務人員完訓率 95.0%（男 91.7%、女 100.0%），部分人員未達目標時數，"
        "未達 100% 之目標。上開數據不含調解委員會（未繳交資料）。（主辦單位：秘書室）",
        "性平執行小組男性組員 4 人，恰為三分之一門檻，改派組員時將注意性別比例。"
        "（主辦單位：人事室）",
        "調解委員會未繳交本年度填報資料，其執行成果未納入本報告"
        "（全機關完訓率等數據僅含已繳交資料之單位），本所將督促其補送。",
    ]


def test_nothing_to_say_when_everything_is_fine(figures: dict) -> None:
    assert findings(all_clear(figures)) == []


@pytest.mark.parametrize(
    ("tid", "change", "expected"),
    [
        (
            "meetings_per_year",
            {"required": 1, "actual": 0},
            "性平執行小組本年度召開會議 0 次，未達每年至少 1 次之目標。",
        ),
        (
            "members_range",
            {"required": [7, 13], "actual": 6},
            "性平執行小組組員 6 人，未符合置組員 7 人至 13 人之規定，本所將依規定調整組員。",
        ),
        (
            "convener",
            {"required": 1, "actual": 0},
            "性平執行小組未置召集人，本所將依本計畫指定召集人 1 人。",
        ),
        (
            "convener",
            {"required": 1, "actual": 2},
            "性平執行小組召集人 2 人，依本計畫應置召集人 1 人。",
        ),
        (
            "ex_officio",
            {"required": 5, "actual": 3, "missing": ["會計當然成員", "研考當然成員"]},
            "性平執行小組缺少當然成員：會計當然成員、研考當然成員，本所將予補實。",
        ),
        (
            "gender_balance",
            {"required": 4, "actual": 3},
            "性平執行小組組員男性 5 人、女性 5 人，未符合任一性別不少於三分之一（4 人）之規定。",
        ),
        (
            "cedaw_sessions",
            {"required": 3, "actual": 2},
            "CEDAW 宣導辦理 2 場次，未達每年至少 3 場次之目標。",
        ),
        (
            "other_measures",
            {"required": 1, "actual": 0},
            "其他性別平等措施於指定項目提列 0 項，未達每年至少 1 項之目標。",
        ),
    ],
)
def test_each_missed_target_is_a_finding(
    figures: dict, tid: str, change: dict, expected: str
) -> None:
    figures = all_clear(figures)
    target(figures, tid).update(change, met=False)
    assert findings(figures) == [f"{expected}（主辦單位：{target(figures, tid)['lead_unit']}）"]


@pytest.mark.parametrize(
    ("tid", "change", "expected"),
    [
        (
            "members_range",
            {"actual": 7},
            "性平執行小組組員 7 人，恰為規定下限，組員異動時將即時補實。",
        ),
        (
            "members_range",
            {"actual": 13},
            "性平執行小組組員 13 人，已達規定上限，增派組員前將先行調整。",
        ),
        (
            "cedaw_sessions",
            {"actual": 2},
            "CEDAW 宣導辦理 2 場次，恰達每年至少 2 場次之目標，本所將及早規劃下年度宣導。",
        ),
        (
            "other_measures",
            {"actual": 1},
            "其他性別平等措施於指定項目提列 1 項，恰達每年至少 1 項之目標，本所將及早規劃下年度措施。",
        ),
        (
            "meetings_per_year",
            {"actual": 1},
            "性平執行小組本年度召開會議 1 次，恰達每年至少 1 次之目標，本所將及早排定下年度會議。",
        ),
    ],
)
def test_targets_met_without_margin_are_flagged(
    figures: dict, tid: str, change: dict, expected: str
) -> None:
    figures = all_clear(figures)
    target(figures, tid).update(change)
    assert findings(figures) == [f"{expected}（主辦單位：{target(figures, tid)['lead_unit']}）"]


def test_group_finding_lists_other_gender_when_someone_is_counted_there(figures: dict) -> None:
    figures = all_clear(figures)
    g = figures["training"]["groups"]["supervisors"]
    g["required"] = {"male": 4, "female": 7, "other": 1, "total": 12}
    g["completed"] = {"male": 3, "female": 6, "other": 0, "total": 9}
    g["rate"] = {"male": 0.75, "female": 6 / 7, "other": 0.0, "total": 0.75}
    target(figures, "training_civil_servants").update(actual=0.75, met=False)
    assert findings(figures) == [
        "主管人員完訓率 75.0%（男 75.0%、女 85.7%、其他 0.0%），尚有 3 人未達目標時數，"
        "未達 100% 之目標。（主辦單位：人事室）"
    ]


def test_group_without_required_people_is_not_a_finding(figures: dict) -> None:
    figures = all_clear(figures)
    g = figures["training"]["groups"]["gender_officers"]
    g["required"] = g["completed"] = {"male": 0, "female": 0, "other": 0, "total": 0}
    g["rate"] = {"male": None, "female": None, "other": None, "total": None}
    assert findings(figures) == []


def test_completion_goal_below_100_percent_is_respected(figures: dict) -> None:
    figures["training"]["completion_rate_target"] = 0.9
    found = findings(figures)
    assert any(f.startswith("主管人員完訓率 88.9%") for f in found)
    assert not any(f.startswith("公務人員完訓率") for f in found)


def test_an_item_to_do_reads_as_such_not_as_a_number(figures: dict) -> None:
    rows = {r["id"]: r for r in target_rows(figures)}
    for tid in ("gia_done", "budget_reviewed"):
        assert rows[tid]["required"] == "應辦理"
        assert rows[tid]["verdict"] in ("已辦理", "未辦理")
