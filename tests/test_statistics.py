"""The report's tables, built from the aggregation stage's figures."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from gmreport.figures import female_ratio
from gmreport.format import roc_short_date
from gmreport.tables import (
    NOT_COUNTED,
    TOTAL_LABEL,
    Table,
    ValueKind,
    report_tables,
    rows_check,
)

from .conftest import EXAMPLE_FIGURES

EXAMPLE = EXAMPLE_FIGURES

REPORT_ORDER = [
    "表1 性平執行小組會議目標達成情形",
    "表2 性別平等執行小組會議辦理情形",
    "表3 性別平等執行小組組員性別組成",
    "表4 性別平等執行小組組員角色",
    "表5 性別意識培力目標達成情形",
    "表6 各類人員性別意識培力情形",
    "表7 各類人員性別意識培力完訓率（依性別）",
    "補充資料 性別意識培力應訓人員認定",
    "表8 性別意識培力研習時數（依辦理方式）",
    "表9 性別意識培力完訓率交織分析（性別×年齡層）",
    "表10 性別意識培力完訓率交織分析（性別×主管職務）",
    "表11 性別影響評估目標達成情形",
    "表12 性別影響評估辦理情形",
    "表13 性別統計與性別預算目標達成情形",
    "表14 性別統計指標",
    "表15 性別預算編列及執行情形（依預算類別）",
    "表16 性別預算計畫編列及執行情形",
    "表17 性別預算受益人數",
    "表18 CEDAW宣導及其他性平措施目標達成情形",
    "表19 CEDAW宣導參與人數（依宣導對象）",
    "表20 CEDAW宣導參與人數（依宣導方式）",
    "表21 CEDAW宣導辦理情形",
    "表22 其他性別平等措施辦理情形",
    "表23 目標達成情形",
]


@pytest.fixture
def figures() -> dict:
    with EXAMPLE.open(encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture
def tables(figures: dict) -> dict[str, Table]:
    return {t.name: t for t in report_tables(figures)}


def column(table: Table, header: str) -> list:
    i = table.columns.index(header)
    return [row[i] for row in table.rows]


def row_of(table: Table, label: str) -> dict:
    """The row of `label` in the first column, or in 目標 for the targets table."""
    at = table.columns.index("目標") if "目標" in table.columns else 0
    row = next(r for r in table.rows if r[at].split("（依據")[0] == label)
    return dict(zip(table.columns, row, strict=True))


def test_tables_in_report_order_with_valid_unique_names(figures: dict) -> None:
    names = [t.name for t in report_tables(figures)]
    assert names == REPORT_ORDER
    assert len(set(names)) == len(names)
    # as Excel takes a sheet's name: up to 31 characters, none of 「[]:*?/\」, no ' at either end
    assert all(0 < len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert not [n for n in names if n.startswith("'") or n.endswith("'")]


def test_every_table_has_a_kind_per_column_and_a_year_title(figures: dict) -> None:
    for table in report_tables(figures):
        assert len(table.kinds) == len(table.columns)
        assert len(set(table.columns)) == len(table.columns), table.name
        assert table.title.startswith("113年度")


def test_no_table_holds_a_person_column(figures: dict) -> None:
    for table in report_tables(figures):
        assert "姓名" not in table.columns


def test_training_groups_match_figures(figures: dict, tables: dict[str, Table]) -> None:
    table = tables["表6 各類人員性別意識培力情形"]
    assert column(table, "類別") == [
        "公務人員",
        "主管人員",
        "性別業務承辦人",
        "職工及自僱非公務人員",
        "全機關",
    ]
    groups = figures["training"]["groups"]
    for key, row in zip(groups, table.rows, strict=True):
        g = groups[key]
        values = dict(zip(table.columns, row, strict=True))
        assert values["應訓人數(男)"] == g["required"]["male"]
        assert values["應訓人數(合計)"] == g["required"]["total"]
        assert values["完訓人數(女)"] == g["completed"]["female"]
        assert values["完訓人數(合計)"] == g["completed"]["total"]
        assert values["完訓率"] == g["rate"]["total"]
        assert values["總時數"] == g["hours"]
        assert values["平均時數"] == g["average_hours"]
    assert table.kinds[table.columns.index("完訓率")] is ValueKind.RATE
    assert table.kinds[table.columns.index("總時數")] is ValueKind.HOURS
    assert table.kinds[table.columns.index("應訓人數(合計)")] is ValueKind.COUNT


def test_training_modes_add_up(figures: dict, tables: dict[str, Table]) -> None:
    table = tables["表8 性別意識培力研習時數（依辦理方式）"]
    modes = figures["training"]["hours_by_mode"]
    assert column(table, "辦理方式") == [*modes, TOTAL_LABEL]
    assert row_of(table, TOTAL_LABEL)["時數"] == pytest.approx(sum(modes.values()))
    assert sum(column(table, "占比")[:-1]) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("表9 性別意識培力完訓率交織分析（性別×年齡層）", "by_age"),
        ("表10 性別意識培力完訓率交織分析（性別×主管職務）", "by_supervisor"),
    ],
)
def test_intersection_tables(figures: dict, tables: dict[str, Table], name: str, key: str) -> None:
    table = tables[name]
    items = figures["training"][key]
    assert column(table, table.columns[0]) == [*(i["label"] for i in items), TOTAL_LABEL]
    everyone = figures["training"]["groups"]["all"]
    for item, row in zip([*items, everyone], table.rows, strict=True):
        values = dict(zip(table.columns, row, strict=True))
        assert values["應訓人數(女)"] == item["required"]["female"]
        assert values["完訓人數(合計)"] == item["completed"]["total"]
        assert values["完訓率(男)"] == item["rate"]["male"]
        assert values["完訓率(其他)"] is None
        assert values["完訓率(合計)"] == item["rate"]["total"]


def test_members_and_roles(figures: dict, tables: dict[str, Table]) -> None:
    members = figures["meetings"]["members"]
    row = dict(
        zip(
            tables["表3 性別平等執行小組組員性別組成"].columns,
            tables["表3 性別平等執行小組組員性別組成"].rows[0],
            strict=True,
        )
    )
    counts = [row[f"組員人數({g})"] for g in ("男", "女", "其他", "合計")]
    assert counts == [members["male"], members["female"], members["other"], members["total"]]
    assert row["女性比例"] == pytest.approx(members["female"] / members["total"])
    roles = tables["表4 性別平等執行小組組員角色"]
    assert dict(roles.rows[:-1]) == figures["meetings"]["roles"]
    assert roles.rows[-1] == (TOTAL_LABEL, 10)


def test_meeting_list_has_unit_dates_and_female_ratio(
    figures: dict, tables: dict[str, Table]
) -> None:
    table = tables["表2 性別平等執行小組會議辦理情形"]
    first = dict(zip(table.columns, table.rows[0], strict=True))
    meeting = figures["meetings"]["list"][0]
    assert first["單位"] == "人事室"
    assert first["會次"] == meeting["session"]
    assert first["開會日期"] == dt.date(2024, 5, 20)
    assert first["出席人數(合計)"] == meeting["attendance"]["total"]
    assert first["女性比例"] == pytest.approx(5 / 9)


def test_lists_carry_every_entry(figures: dict, tables: dict[str, Table]) -> None:
    assert column(tables["表12 性別影響評估辦理情形"], "諮詢專家學者") == ["是", "否"]
    assert column(tables["表14 性別統計指標"], "女性比例") == [
        i["female_ratio"] for i in figures["indicators"]["list"]
    ]
    assert column(tables["表16 性別預算計畫編列及執行情形"], "執行數(元)") == [
        b["executed"] for b in figures["budget"]["list"]
    ]
    assert column(tables["表21 CEDAW宣導辦理情形"], "參與人數(合計)") == [
        *(c["participants"]["total"] for c in figures["cedaw"]["list"]),
        figures["cedaw"]["participants"]["total"],
    ]
    dates = [dt.date(2024, 7, 20), dt.date(2024, 10, 5), ""]  # and the total row
    assert column(tables["表22 其他性別平等措施辦理情形"], "辦理日期") == dates
    for name in (
        "表2 性別平等執行小組會議辦理情形",
        "表12 性別影響評估辦理情形",
        "表14 性別統計指標",
        "表16 性別預算計畫編列及執行情形",
        "表21 CEDAW宣導辦理情形",
    ):
        assert tables[name].columns[0] == "單位"


def test_breakdowns_end_with_the_figures_totals(figures: dict, tables: dict[str, Table]) -> None:
    budget = row_of(tables["表15 性別預算編列及執行情形（依預算類別）"], TOTAL_LABEL)
    assert budget["編列數(元)"] == figures["budget"]["allocated"]
    assert budget["執行數(元)"] == figures["budget"]["executed"]
    assert budget["執行率"] == figures["budget"]["execution_rate"]
    assert budget["計畫數"] == len(figures["budget"]["list"])
    for name in ("表19 CEDAW宣導參與人數（依宣導對象）", "表20 CEDAW宣導參與人數（依宣導方式）"):
        total = row_of(tables[name], TOTAL_LABEL)
        assert total["場次"] == figures["cedaw"]["sessions"]
        assert total["參與人數(合計)"] == figures["cedaw"]["participants"]["total"]


def test_targets_state_whether_each_was_met(figures: dict, tables: dict[str, Table]) -> None:
    table = tables["表23 目標達成情形"]
    targets = figures["targets"]
    assert [t.split("（依據")[0] for t in column(table, "目標")] == [t["label"] for t in targets]
    assert column(table, "達成情形") == [t["verdict"] for t in targets]
    assert column(table, "主辦單位") == [t["lead_unit"] for t in targets]
    assert "未達成" in column(table, "達成情形")
    missed = {(r, table.columns.index("達成情形")) for r, t in enumerate(targets)}
    missed = {(r, c) for r, c in missed if targets[r]["verdict"] in ("未達成", "未辦理")}
    assert table.marked == missed and missed  # the report sets them apart
    members = row_of(table, "執行小組置組員 7 人至 13 人")
    assert (members["目標值"], members["實際值"]) == ("7 至 13 人", "10 人")
    completion = next(t for t in targets if t["id"] == "training_completion")
    row = row_of(table, completion["label"])
    assert row["目標值"] == "100%" and row["實際值"].endswith("%")


def test_target_note_names_missing_ex_officio_roles(figures: dict) -> None:
    ex_officio = next(t for t in figures["targets"] if t["id"] == "ex_officio")
    ex_officio.update(met=False, verdict="未達成", actual=4, missing=["研考當然成員"])
    table = next(t for t in report_tables(figures) if t.name == "表23 目標達成情形")
    row = row_of(table, ex_officio["label"])
    assert row["達成情形"] == "未達成"
    assert row["說明"] == "缺：研考當然成員"


def test_rows_check(figures: dict) -> None:
    table = rows_check(figures)  # in the 檢核結果 for 人事室, not in the report
    assert table.rows[-1] == (TOTAL_LABEL, 420, 415, 5)
    assert row_of(table, "培力紀錄")["排除列數"] == 5


def test_empty_sections_give_empty_lists_and_zero_totals(figures: dict) -> None:
    empty = copy.deepcopy(figures)
    zero = {"male": 0, "female": 0, "other": 0, "total": 0}
    empty["meetings"].update(list=[], members=zero, roles={})
    empty["gia"]["list"] = []
    empty["indicators"]["list"] = []
    empty["budget"].update(list=[], by_category=[], allocated=0, executed=0, execution_rate=None)
    empty["cedaw"].update(list=[], by_audience=[], by_method=[], sessions=0, participants=zero)
    empty["other_measures"]["list"] = []
    tables = {t.name: t for t in report_tables(empty)}
    for name in (
        "表2 性別平等執行小組會議辦理情形",
        "表12 性別影響評估辦理情形",
        "表14 性別統計指標",
        "表16 性別預算計畫編列及執行情形",
        "表22 其他性別平等措施辦理情形",
    ):
        assert tables[name].rows == []
    assert tables["表3 性別平等執行小組組員性別組成"].rows[0][-1] is None
    assert tables["表15 性別預算編列及執行情形（依預算類別）"].rows == [
        (TOTAL_LABEL, 0, 0, 0, None)
    ]
    assert tables["表19 CEDAW宣導參與人數（依宣導對象）"].rows == [
        (TOTAL_LABEL, 0, 0, 0, 0, 0, None, NOT_COUNTED)
    ]


def test_table_rejects_rows_that_do_not_fit() -> None:
    with pytest.raises(ValueError, match="row"):
        Table("表", "標題", ("甲", "乙"), (ValueKind.TEXT, ValueKind.COUNT), [("只有一欄",)])


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2024-05-20", "113/05/20"), (dt.date(2025, 1, 3), "114/01/03"), ("2024-12-31", "113/12/31")],
)
def test_roc_date(value: str | dt.date, expected: str) -> None:
    assert roc_short_date(value) == expected


def test_female_ratio() -> None:
    assert female_ratio({"male": 1, "female": 3, "other": 0, "total": 4}) == 0.75
    assert female_ratio({"male": 0, "female": 0, "other": 0, "total": 0}) is None


def test_the_targets_table_has_no_empty_column(figures: dict) -> None:
    table = next(t for t in report_tables(figures) if t.name == "表23 目標達成情形")
    assert "說明" not in table.columns  # the example misses no ex-officio role
    ex_officio = next(t for t in figures["targets"] if t["id"] == "ex_officio")
    ex_officio.update(met=False, verdict="未達成", actual=4, missing=["研考當然成員"])
    table = next(t for t in report_tables(figures) if t.name == "表23 目標達成情形")
    assert row_of(table, ex_officio["label"])["說明"] == "缺：研考當然成員"
