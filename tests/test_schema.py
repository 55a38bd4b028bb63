"""What the schema declares, beyond the shape of a workbook: what its values mean."""

from __future__ import annotations

from dataclasses import fields

from gmreport.config import Training
from gmreport.schema import (
    CONVENER,
    EX_OFFICIO_ROLES,
    GENDER_KEYS,
    GENDERS,
    MEMBER_ROLES,
    PERIOD_REVIEW_ITEM,
    SHEETS,
    SHEETS_BY_KEY,
    STAFF_GROUPS,
    STAFF_TYPES,
    TRAINING_GROUPS,
    WORK_ITEM_LIST,
    WORK_ITEMS,
    WORK_ITEMS_BY_NAME,
    Kind,
)


def test_every_staff_type_is_in_exactly_one_staff_group() -> None:
    for staff_type in STAFF_TYPES:
        assert sum(staff_type in g.staff_types for g in STAFF_GROUPS) == 1, staff_type
    assert SHEETS_BY_KEY["roster"].column("staff_type").choices == STAFF_TYPES


def test_training_groups_are_defined_by_a_staff_type_or_a_roster_flag() -> None:
    roster = SHEETS_BY_KEY["roster"]
    hour_fields = {f.name for f in fields(Training)}
    for group in TRAINING_GROUPS:
        assert bool(group.staff_types) != bool(group.flag), group.key
        if group.flag:
            assert roster.column(group.flag).kind is Kind.YESNO
        assert not group.hours or group.hours in hour_fields
    everyone = [g for g in TRAINING_GROUPS if not g.hours]
    assert [g.staff_types for g in everyone] == [STAFF_TYPES]


def test_roles_declare_the_convener_and_the_ex_officio_seats() -> None:
    assert MEMBER_ROLES[0] == CONVENER and set(EX_OFFICIO_ROLES) < set(MEMBER_ROLES)
    assert len(EX_OFFICIO_ROLES) == 5 and CONVENER not in EX_OFFICIO_ROLES
    assert SHEETS_BY_KEY["members"].column("role").choices == MEMBER_ROLES


def test_work_items_have_unique_keys() -> None:
    assert tuple(w.name for w in WORK_ITEM_LIST) == WORK_ITEMS
    assert len({w.key for w in WORK_ITEM_LIST}) == len(WORK_ITEM_LIST)
    # 計畫期程總檢討 is a choice of the sheet only, never a work item (a chapter) of the plan
    assert SHEETS_BY_KEY["narratives"].column("item").choices == (*WORK_ITEMS, PERIOD_REVIEW_ITEM)
    assert PERIOD_REVIEW_ITEM not in WORK_ITEMS_BY_NAME


def test_gender_count_columns_are_found_by_their_keys() -> None:
    assert tuple(GENDER_KEYS) == GENDERS
    groups = {
        s.key: sorted({c.gender_group for c in s.columns if c.gender_group is not None})
        for s in SHEETS
    }
    assert groups == {
        "roster": [],
        "training": [],
        "members": [],
        "meetings": ["attendance"],
        "gia": [],
        "indicators": [""],
        "budget": ["beneficiaries"],
        "cedaw": ["participants"],
        "measures": ["participants"],
        "narratives": [],
    }
    opening = [c.key for s in SHEETS for c in s.columns if c.opens_gender_group]
    assert opening == [
        "attendance_male",
        "male",
        "beneficiaries_male",
        "participants_male",
        "participants_male",
    ]


def test_each_column_names_the_last_key_of_its_value_in_a_list_row() -> None:
    indicators, budget = SHEETS_BY_KEY["indicators"], SHEETS_BY_KEY["budget"]
    assert indicators.column("cross").last_row_key == "dimensions"
    assert indicators.column("female").last_row_key == "total"
    assert budget.column("beneficiaries_other").last_row_key == "beneficiaries"
    assert budget.column("executed").last_row_key == "executed"
