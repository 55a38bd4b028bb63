"""Aggregation: SPEC §3's rules on small workbooks whose figures are worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gmreport.aggregate import aggregate
from gmreport.config import Config, config_from_dict
from gmreport.read import read_workbook
from gmreport.schema import WORK_ITEMS_BY_KEY
from gmreport.validate import CleanWorkbook, RowCount, check_across, validate_workbook


@pytest.fixture
def figures_of(make_workbook):
    def run(rows, config: Config | None = None, unit: str = "人事室", **kw):
        raw = read_workbook(make_workbook(rows, unit=unit, **kw))
        clean = validate_workbook(raw, unit, 113)
        assert not [p for p in clean.problems if p.is_error], clean.problems
        result = aggregate([clean], config or Config(), 113)
        assert not_plain(result.figures) == []
        return result

    return run


def not_plain(value: object, path: str = "figures") -> list[str]:
    """Where `value` holds anything but the plain Python values JSON is written from (a numpy
    number, a date, a tuple …): the figures are written as they are."""
    if type(value) is dict:
        return [m for key, v in value.items() for m in not_plain(v, f"{path}.{key}")]
    if type(value) is list:
        return [m for i, v in enumerate(value) for m in not_plain(v, f"{path}[{i}]")]
    if value is None or type(value) in (str, int, float, bool):
        return []
    return [f"{path}: {type(value).__name__}"]


def test_a_build_returns_plain_python_values_only(samples_build):
    figures = samples_build.outcome.figures
    assert figures["training"]["groups"]["all"]["required"]["total"] > 0
    assert not_plain(figures) == []


def test_not_plain_finds_numpy_values_dates_and_tuples():
    found = not_plain({"a": [1, np.int64(2)], "b": np.float64(0.5), "c": date(2024, 1, 1), "d": ()})
    assert found == [
        "figures.a[1]: int64",
        "figures.b: float64",
        "figures.c: date",
        "figures.d: tuple",
    ]


def test_service_days_decide_who_is_required(figures_of):
    result = figures_of(
        {
            "人員名冊": [
                ["滿90日", "女", "公務人員", "", "", "", "113/10/3"],  # 10/3–12/31 = 90 days
                ["89日", "女", "公務人員", "", "", "", "113/10/4"],
                ["年中離職", "男", "公務人員", "", "", "", "", "113/3/30"],  # 1/1–3/30 = 90 days
                ["去年離職", "男", "公務人員", "", "", "", "", "112/12/31"],
                ["明年到職", "男", "公務人員", "", "", "", "114/1/2"],
            ]
        }
    )
    everyone = result.figures["training"]["groups"]["all"]
    assert everyone["required"] == {"male": 1, "female": 1, "other": 0, "total": 2}
    assert result.figures["training"]["people"] == {"roster": 5, "required": 2}


def test_target_hours_take_the_largest_that_applies(figures_of):
    rows = {
        "人員名冊": [
            ["一般", "男", "公務人員"],
            ["職工", "女", "職工"],
            ["主管", "男", "約聘僱人員", "是"],
            ["承辦主管", "女", "公務人員", "是", "是"],
        ],
        "培力紀錄": [
            ["一般", "課", "CEDAW", "實體", "113/3/1", 3],
            ["職工", "課", "CEDAW", "實體", "113/3/1", 3],
            ["主管", "課", "CEDAW", "實體", "113/3/1", 3],
            ["承辦主管", "課", "CEDAW", "實體", "113/3/1", 3],
        ],
    }
    config = config_from_dict({"training": {"hours_other_staff": 4, "hours_gender_officer": 5}})
    result = figures_of(rows, config)
    short = {s.name: (s.target, s.hours) for s in result.shortfalls}
    assert short == {"職工": (4, 3.0), "承辦主管": (5, 3.0)}
    groups = result.figures["training"]["groups"]
    assert groups["civil_servants"]["required"]["total"] == 3
    assert groups["civil_servants"]["completed"]["total"] == 2
    assert groups["supervisors"]["completed"] == {"male": 1, "female": 0, "other": 0, "total": 1}
    assert groups["other_staff"]["rate"]["total"] == 0.0
    assert groups["gender_officers"]["rate"] == {
        "male": None,
        "female": 0.0,
        "other": None,
        "total": 0.0,
    }
    assert groups["all"]["hours"] == 12.0
    assert groups["all"]["average_hours"] == 3.0


def test_half_hours_add_up_to_the_target(figures_of):
    rows = {
        "人員名冊": [["甲", "女", "公務人員"]],
        "培力紀錄": [
            ["甲", "課", "CEDAW", "數位", f"113/3/{d}", h]
            for d, h in ((1, 0.1), (2, 0.2), (3, 1.7))
        ],
    }
    assert figures_of(rows).figures["training"]["groups"]["all"]["completed"]["total"] == 1


def test_people_not_required_still_add_to_total_hours(figures_of):
    rows = {
        "人員名冊": [
            ["新進", "男", "公務人員", "", "", "", "113/12/1"],
            ["資深", "女", "公務人員"],
        ],
        "培力紀錄": [
            ["新進", "課", "CEDAW", "實體", "113/12/5", 2],
            ["資深", "課", "CEDAW", "數位", "113/5/5", 1.5],
        ],
    }
    training = figures_of(rows).figures["training"]
    assert training["total_hours"] == 3.5
    assert training["groups"]["all"]["hours"] == 1.5
    assert training["hours_by_mode"] == {"實體": 2.0, "數位": 1.5, "混成": 0.0}


def test_intersection_tables(figures_of):
    rows = {
        "人員名冊": [
            ["甲", "女", "公務人員", "是", "", "30-39歲"],
            ["乙", "男", "公務人員", "", "", "30-39歲"],
            ["丙", "女", "公務人員", "", "", ""],
        ],
        "培力紀錄": [
            ["甲", "課", "CEDAW", "實體", "113/3/1", 3],
            ["丙", "課", "CEDAW", "實體", "113/3/1", 2],
        ],
    }
    training = figures_of(rows).figures["training"]
    by_age = {row["label"]: row for row in training["by_age"]}
    assert list(by_age) == ["30-39歲", "未填"]
    assert by_age["30-39歲"]["rate"]["female"] == 1.0
    assert by_age["30-39歲"]["rate"]["male"] == 0.0
    assert by_age["未填"]["completed"]["total"] == 1
    by_boss = {row["label"]: row for row in training["by_supervisor"]}
    assert by_boss["主管"]["required"]["total"] == 1
    assert by_boss["非主管"]["rate"]["total"] == 0.5


MEMBERS = [
    ["召集人", "男", "主任秘書", "召集人"],
    ["人事", "女", "主任", "人事當然成員"],
    ["會計", "女", "主任", "會計當然成員"],
    ["調解", "男", "秘書", "調解當然成員"],
    ["研考", "女", "課員", "研考當然成員"],
    ["婦女", "女", "課員", "婦女社會參與促進小組連絡人"],
    ["組員", "男", "課長", "指派組員"],
]


def _targets(result) -> dict:
    return {t["id"]: t for t in result.figures["targets"]}


def test_group_targets_met(figures_of):
    targets = _targets(figures_of({"性平小組成員": MEMBERS}))
    for key in ("members_range", "convener", "ex_officio", "gender_balance"):
        assert targets[key]["met"], targets[key]
    assert targets["gender_balance"]["required"] == 3  # ⌈7/3⌉
    assert targets["gender_balance"]["actual"] == 3


def test_group_targets_missed(figures_of):
    members = [m for m in MEMBERS if m[3] != "研考當然成員"]
    members[0][1] = "女"
    members[3][1] = "女"
    members.append(["召集人二", "女", "秘書", "召集人"])  # 7 members, 男 1 < ⌈7/3⌉ = 3
    targets = _targets(figures_of({"性平小組成員": members}))
    assert targets["members_range"]["actual"] == 7
    assert targets["convener"] == targets["convener"] | {"actual": 2, "met": False}
    assert targets["ex_officio"]["missing"] == ["研考當然成員"]
    assert targets["gender_balance"]["met"] is False
    assert targets["meetings_per_year"]["met"] is False


CEDAW_ITEM = WORK_ITEMS_BY_KEY["cedaw_measures"].name


def test_budget_cedaw_and_measures(figures_of):
    rows = {
        "性別預算": [
            ["甲計畫", "計畫類", "1,000,000", "900000元", 10, 20, 0],
            ["乙計畫", "", 0, 0, 0, 5, 1],
        ],
        "CEDAW宣導": [
            ["座談", "113/5/5", "村里長", "實體活動", "綜合", 3, 4, 0, None, "是"],
            ["直播", "113/6/5", "一般民眾", "網路直播", "CEDAW指引", 10, 20, 1],
        ],
        "其他性平措施": [["專欄", "性平專章", "113/9/1", "刊物", 0, 0, 0]],
    }
    figures = figures_of(rows).figures
    budget = figures["budget"]
    assert (budget["allocated"], budget["executed"], budget["execution_rate"]) == (
        1000000,
        900000,
        0.9,
    )
    assert budget["beneficiaries"] == {"male": 10, "female": 25, "other": 1, "total": 36}
    assert [(c["label"], c["execution_rate"]) for c in budget["by_category"]] == [
        ("計畫類", 0.9),
        ("未填", None),
    ]
    cedaw = figures["cedaw"]
    assert cedaw["sessions"] == 2
    assert cedaw["participants"] == {"male": 13, "female": 24, "other": 1, "total": 38}
    assert cedaw["external_resources"] == 1
    assert [a["label"] for a in cedaw["by_audience"]] == ["村里長", "一般民眾"]
    assert figures["other_measures"]["count"] == 1
    only = replace(Config(), units=("人事室",), lead_units={CEDAW_ITEM: "人事室"})
    assert _targets(figures_of(rows, only))["cedaw_sessions"]["met"] is True
    # with its lead unit 民政課 未繳交, the sessions counted already reach the target (more
    # data can only add sessions): 達成; one short of it, the missing unit could make it up
    partial = _targets(figures_of(rows))["cedaw_sessions"]
    assert partial["actual"] == 2 and partial["verdict"] == "達成"
    more = replace(Config(), cedaw=replace(Config().cedaw, min_sessions=3))
    assert _targets(figures_of(rows, more))["cedaw_sessions"]["verdict"] == "資料不全"


def test_members_listed_by_two_units_are_counted_once(make_workbook, tmp_path):
    cleans = []
    for unit in ("人事室", "秘書室"):
        raw = read_workbook(make_workbook({"性平小組成員": MEMBERS}, unit=unit))
        cleans.append(validate_workbook(raw, unit, 113))
    figures = aggregate(cleans, Config(), 113).figures
    assert figures["meetings"]["members"]["total"] == len(MEMBERS)


def test_a_meeting_listed_by_two_units_is_counted_once(make_workbook):
    meeting = ["113年第1次會議", "113/6/1", "區長", 3, 4, 0]
    cleans = []
    for unit, rows in (
        ("人事室", [meeting, ["113年第2次會議", "113/12/1"]]),
        ("秘書室", [meeting]),
    ):
        raw = read_workbook(make_workbook({"性平小組會議": rows}, unit=unit))
        cleans.append(validate_workbook(raw, unit, 113))
    figures = aggregate(cleans, Config(), 113).figures
    assert figures["meetings"]["count"] == 2


def test_hours_in_tenths_that_add_up_to_the_target_complete_it(make_workbook):
    # 0.2 + 0.4 + 1.4 = 1.9999999999999998 in floating point: 完訓 is missed by 2e-16 h and
    # the person is listed as short by "0.0" hours.
    rows = {
        "人員名冊": [["甲", "女", "公務人員"]],
        "培力紀錄": [
            ["甲", "課", "CEDAW", "數位", f"113/3/{d}", h]
            for d, h in ((1, 0.2), (2, 0.4), (3, 1.4))
        ],
    }
    raw = read_workbook(make_workbook(rows))
    clean = validate_workbook(raw, "人事室", 113)
    assert not clean.problems
    result = aggregate([clean], Config(), 113)
    assert result.figures["training"]["groups"]["all"]["completed"]["total"] == 1
    assert result.shortfalls == []


def test_indicators_count_each_dimension_named(figures_of):
    rows = {
        "性別統計": [
            ["甲指標", "既有", "年齡、里別", 1, 2, 0],
            ["乙指標", "新增", "年齡", 1, 2, 0],
            ["丙指標", "修訂", "是", 1, 2, 0],
            ["丁指標", "既有", "否", 1, 2, 0],
            ["戊指標", "既有", "", 1, 2, 0],
            ["己指標", "既有", "宗教", 1, 2, 0],
        ]
    }
    indicators = figures_of(rows).figures["indicators"]
    assert indicators["cross_classified"] == 4
    assert indicators["dimensions"] == {"年齡": 2, "里別": 1, "宗教": 1}
    by_name = {r["name"]: (r["cross"], r["dimensions"]) for r in indicators["list"]}
    assert by_name["甲指標"] == (True, ["年齡", "里別"])
    assert by_name["丙指標"] == (True, [])
    assert by_name["丁指標"] == (False, [])


def _in_year(first: date, last: date, year: int = 113) -> set[date]:
    """The days from `first` to `last` (both counted) inside ROC `year`."""
    start, end = max(first, date(year + 1911, 1, 1)), min(last, date(year + 1911, 12, 31))
    return {start + timedelta(days=i) for i in range((end - start).days + 1)}


def test_leave_days_are_not_service_days(figures_of):
    d = date
    year = _in_year(d(2024, 1, 1), d(2024, 12, 31))
    # (name, 到職日期, 留職停薪起日, 留職停薪迄日, days in service, days less leave)
    cases = [
        ("大半年留停", "", "113/2/1", "113/11/30", year, year - _in_year(d(2024, 2, 1), d(2024, 11, 30))),
        ("留停三個月", "", "113/3/1", "113/5/31", year, year - _in_year(d(2024, 3, 1), d(2024, 5, 31))),
        ("留停至年底", "", "113/9/1", "", year, year - _in_year(d(2024, 9, 1), d(2024, 12, 31))),
        ("到職後留停", "113/9/1", "113/10/1", "113/12/31",
         _in_year(d(2024, 9, 1), d(2024, 12, 31)), _in_year(d(2024, 9, 1), d(2024, 9, 30))),
        ("到職未久", "113/11/1", "", "", _in_year(d(2024, 11, 1), d(2024, 12, 31)), None),
        ("跨年留停", "", "112/6/1", "113/10/15", year, year - _in_year(d(2023, 6, 1), d(2024, 10, 15))),
    ]  # fmt: skip
    roster = [
        [n, "女", "公務人員", "", "", "", start, "", ls, le] for n, start, ls, le, *_ in cases
    ]
    result = figures_of({"人員名冊": roster})
    training = result.figures["training"]
    served = {n: (len(s), len(left if left is not None else s)) for n, *_, s, left in cases}
    required = [n for n, (_, days) in served.items() if days >= 90]
    short = [n for n, (service, _) in served.items() if service < 90]
    on_leave = [n for n, (service, days) in served.items() if service >= 90 > days]
    assert training["people"] == {"roster": len(cases), "required": len(required)}
    assert training["not_required"] == {"short_service": len(short), "on_leave": len(on_leave)}
    assert (len(required), len(short), len(on_leave)) == (2, 1, 3)  # the cases cover each outcome


def test_a_leave_needs_its_start_and_ends_after_it(make_workbook):
    rows = {
        "人員名冊": [
            ["迄日無起日", "男", "公務人員", "", "", "", "", "", "", "113/5/1"],
            ["迄日早於起日", "男", "公務人員", "", "", "", "", "", "113/5/1", "113/4/1"],
            ["仍留停", "男", "公務人員", "", "", "", "", "", "113/5/1", ""],
        ]
    }
    raw = read_workbook(make_workbook(rows))
    problems = validate_workbook(raw, "人事室", 113).problems
    assert sorted((p.code, p.cell) for p in problems) == [
        ("leave-end-before-start", "J4"),
        ("leave-start-missing", "I3"),
    ]


def _clean(make_workbook, tmp_path, unit: str, rows: dict):
    path = make_workbook(rows, unit=unit, folder=tmp_path / unit)
    return validate_workbook(read_workbook(path), unit, 113)


def test_a_transfer_between_units_is_one_person(make_workbook, tmp_path):
    # 調動者: 人事室 until 6/30, then 民政課 as a supervisor; 短調: 46 + 61 days, 107 in all.
    first = _clean(
        make_workbook,
        tmp_path,
        "人事室",
        {
            "人員名冊": [
                ["調動者", "女", "公務人員", "否", "否", "", "", "113/6/30"],
                ["短調", "男", "職工", "", "", "", "", "113/2/15"],
            ],
            "培力紀錄": [["調動者", "課", "CEDAW", "實體", "113/3/1", 2]],
        },
    )
    second = _clean(
        make_workbook,
        tmp_path,
        "民政課",
        {
            "人員名冊": [
                ["調動者", "女", "公務人員", "是", "否", "", "113/7/1"],
                ["短調", "男", "職工", "", "", "", "113/11/1"],
            ],
            "培力紀錄": [["調動者", "課", "CEDAW", "數位", "113/9/1", 1]],
        },
    )
    across = check_across([first, second])
    transfers = [p for p in across.problems if p.code == "transfer"]
    assert sorted(p.message.split("」")[0] for p in transfers) == ["「短調", "「調動者"]
    assert all("人事室" in p.message and "民政課" in p.message for p in transfers)
    result = aggregate(across.accepted, Config(), 113)
    training = result.figures["training"]
    assert training["people"] == {"roster": 2, "required": 2}  # 107 days together
    supervisors = training["groups"]["supervisors"]
    assert supervisors["required"]["total"] == 1  # the last period's 主管 applies
    assert supervisors["completed"]["total"] == 1  # 2 + 1 hours meet the supervisor's 3
    assert [(s.name, s.units) for s in result.shortfalls] == [("短調", ("人事室", "民政課"))]


def test_one_name_of_two_genders_is_an_error_and_two_people(make_workbook, tmp_path):
    first = _clean(make_workbook, tmp_path, "人事室", {"人員名冊": [["林小華", "女", "公務人員"]]})
    second = _clean(make_workbook, tmp_path, "民政課", {"人員名冊": [["林小華", "男", "公務人員"]]})
    across = check_across([first, second])
    assert [(p.code, p.is_error) for p in across.problems] == [("same-name-other-gender", True)]
    training = aggregate(across.accepted, Config(), 113).figures["training"]
    assert training["people"]["roster"] == 2


def test_reach_is_summed_and_kept_apart_from_participants(figures_of):
    rows = {
        "CEDAW宣導": [
            ["座談", "113/5/5", "村里長", "實體活動", "綜合", 3, 4, 0],
            ["Podcast", "113/6/5", "一般民眾", "Podcast", "綜合", 0, 0, 0, "1,236"],
            ["直播", "113/7/5", "一般民眾", "網路直播", "綜合", 5, 6, 0, 300],
        ],
        "其他性平措施": [["區刊專文", "性平專章", "113/9/1", "刊物", "", "", "", 1500]],
    }
    figures = figures_of(rows).figures
    cedaw = figures["cedaw"]
    assert cedaw["reach"] == 1236 + 300
    assert cedaw["participants"]["total"] == 3 + 4 + 5 + 6
    by_method = {b["label"]: (b["participants"]["total"], b["reach"]) for b in cedaw["by_method"]}
    assert by_method == {"實體活動": (7, 0), "網路直播": (11, 300), "Podcast": (0, 1236)}
    measures = figures["other_measures"]
    assert (measures["reach"], measures["participants"]["total"]) == (1500, 0)
    assert measures["list"][0]["reach"] == 1500


def test_a_blank_workbook_is_listed_as_such_not_as_reporting(make_workbook, tmp_path):
    filled = _clean(make_workbook, tmp_path, "人事室", {"人員名冊": [["王小明", "男", "公務人員"]]})
    blank = _clean(make_workbook, tmp_path, "民政課", {})
    assert [p.code for p in blank.problems] == ["empty-workbook"]
    units = aggregate([filled, blank], Config(), 113).figures["units"]
    assert units["submitted"] == ["人事室"]
    assert units["empty"] == ["民政課"]
    assert "民政課" not in units["missing"]


def test_measures_count_toward_the_target_in_a_designated_item(figures_of):
    rows = {
        "其他性平措施": [
            ["專欄", "提報含性別平等專章或專節之文章或刊物", "113/9/1", "刊物", 0, 0, 0, 1500],
            ["課程", "促進婦女經濟參與", "113/8/1", "實體", 3, 40, 0],
            ["講座", "", "113/7/1", "實體", 5, 5, 0],
        ]
    }
    assert figures_of(rows).figures["other_measures"]["designated"] == 2  # any filled 對應項目
    config = config_from_dict(
        {"measures": {"designated_items": ["提報含性別平等專章或專節之文章或刊物 "]}}
    )
    result = figures_of(rows, config).figures
    assert result["other_measures"]["designated"] == 1
    assert next(t for t in result["targets"] if t["id"] == "other_measures")["actual"] == 1


def test_a_unit_whose_name_holds_the_list_separator_gets_its_hours(figures_of):
    # The config accepts any unit name, 「、」 included; a person's units are never joined
    # into one text and split again.
    unit = "社會課、兵役課"
    config = config_from_dict({"units": [unit, "人事室"]})
    rows = {
        "人員名冊": [["甲", "女", "公務人員"]],
        "培力紀錄": [["甲", "課", "CEDAW", "實體", "113/3/1", 3]],
    }
    result = figures_of(rows, config, unit=unit)
    everyone = result.figures["training"]["groups"]["all"]
    assert everyone["hours"] == 3.0
    assert (everyone["required"]["total"], everyone["completed"]["total"]) == (1, 1)
    assert result.shortfalls == []
    assert result.figures["units"]["submitted"] == [unit]


UNITS = ("社會課、兵役課", "民政課", "人事室")
FIRST_DAY, LAST_DAY = date(2024, 1, 1), date(2024, 12, 31)
days_of_year = st.integers(0, 365).map(lambda i: FIRST_DAY + timedelta(days=i))
period = st.tuples(st.none() | days_of_year, st.none() | days_of_year).filter(
    lambda p: p[0] is None or p[1] is None or p[0] <= p[1]
)
leave = st.none() | st.tuples(days_of_year, st.none() | days_of_year).filter(
    lambda p: p[1] is None or p[0] <= p[1]
)
person = st.fixed_dictionaries(
    {
        "gender": st.sampled_from(["男", "女", "其他"]),
        "supervisor": st.booleans(),
        # unit → (到職, 離職), 留職停薪 or none, hours of each 培力紀錄 row
        "places": st.dictionaries(
            st.sampled_from(UNITS),
            st.tuples(period, leave, st.lists(st.sampled_from([0.1, 0.2, 0.5, 1.4, 2.0]))),
            min_size=1,
        ),
    }
)


def _days(first: date | None, last: date | None) -> set[date]:
    start, end = first or FIRST_DAY, last or LAST_DAY
    return {start + timedelta(days=i) for i in range((end - start).days + 1)}


@settings(max_examples=50, deadline=None)
@given(st.lists(person, max_size=6), st.lists(st.sampled_from([0.5, 1.0]), max_size=2))
def test_training_figures_equal_a_count_by_days(people, strangers_hours):
    # Each person has one 姓名 and 性別 and a roster row in one or more units (a transfer);
    # the expected figures are counted day by day, apart from aggregate's interval sums.
    records: dict[str, dict[str, dict[int, dict]]] = {
        u: {"roster": {}, "training": {}} for u in UNITS
    }
    expected = {"required": 0, "short_service": 0, "on_leave": 0, "completed": 0, "hours": 0.0}
    short = []
    for i, p in enumerate(people):
        name = f"員工{i}"
        served: set[date] = set()
        on_leave: set[date] = set()
        for unit, ((start, end), leave_dates, hours) in p["places"].items():
            roster, training = records[unit]["roster"], records[unit]["training"]
            leave_start, leave_end = leave_dates or (None, None)
            roster[len(roster) + 3] = {
                "name": name, "gender": p["gender"], "staff_type": "公務人員",
                "supervisor": p["supervisor"], "gender_officer": False, "age_group": "",
                "start": start, "end": end, "leave_start": leave_start, "leave_end": leave_end,
            }  # fmt: skip
            for h in hours:
                training[len(training) + 3] = {"name": name, "mode": "實體", "hours": h}
            served |= _days(start, end)
            on_leave |= _days(leave_start, leave_end) if leave_start else set()
        hours = round(sum(h for *_, hs in p["places"].values() for h in hs), 6)
        target = 3 if p["supervisor"] else 2
        if len(served - on_leave) < 90:
            expected["short_service" if len(served) < 90 else "on_leave"] += 1
        else:
            expected["required"] += 1
            expected["hours"] += hours
            expected["completed"] += hours >= target
            if hours < target:
                by_start = sorted(p["places"], key=lambda u: (p["places"][u][0][0] or FIRST_DAY,
                                                             p["places"][u][0][1] or LAST_DAY, UNITS.index(u)))  # fmt: skip
                short.append((name, tuple(by_start), hours))
    for h in strangers_hours:  # a name on no roster: in the total hours only
        training = records[UNITS[0]]["training"]
        training[len(training) + 3] = {"name": "訪客", "mode": "數位", "hours": h}
    workbooks = [
        CleanWorkbook(f"{unit}.xlsx", unit, 113, sheets, {"人員名冊": RowCount(1, 1)})
        for unit, sheets in records.items()
    ]
    result = aggregate(workbooks, config_from_dict({"units": list(UNITS)}), 113)
    training = result.figures["training"]
    everyone = training["groups"]["all"]
    assert not_plain(result.figures) == []
    assert training["people"] == {"roster": len(people), "required": expected["required"]}
    assert training["not_required"] == {k: expected[k] for k in ("short_service", "on_leave")}
    assert everyone["completed"]["total"] == expected["completed"]
    assert everyone["hours"] == pytest.approx(expected["hours"])
    total = sum(h for p in people for *_, hs in p["places"].values() for h in hs)
    assert training["total_hours"] == pytest.approx(total + sum(strangers_hours))
    assert sorted((s.name, s.units, s.hours) for s in result.shortfalls) == short
