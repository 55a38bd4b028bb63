"""Validation: each cell-level code of the catalogue at its cell, and the year and unit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gmreport.config import Config, config_from_dict
from gmreport.pipeline import check
from gmreport.problems import CATALOGUE, Severity

from .conftest import INCIDENTAL, gathered

CEDAW_ROW = ["村里長座談", "113/5/5", "村里長", "實體活動", "綜合", 3, 4, 0, None, "否", ""]
BUDGET_ROW = ["婦女成長課程", "計畫類", 600000, 580000, 20, 180, 0, ""]


def _set(rows, sheet, row, col, value):
    rows.setdefault(sheet, [])
    while len(rows[sheet]) <= row:
        rows[sheet].append([])
    line = rows[sheet][row]
    while len(line) <= col:
        line.append(None)
    line[col] = value


def _set_info(wb, label: str, value: object) -> None:
    ws = wb["基本資料"]
    for row in ws.iter_rows(max_col=2):
        if row[0].value == label:
            row[1].value = value
            return
    raise AssertionError(label)


def _problems(path: Path, config: Config | None = None):
    return check([path], config or Config()).problems


CASES = {
    "required-blank": ("培力紀錄", 0, 4, "", "E3"),
    "bad-choice": ("人員名冊", 0, 1, "M", "B3"),
    "bad-date": ("培力紀錄", 0, 4, "114/13/45", "E3"),
    "date-outside-year": ("培力紀錄", 0, 4, "112/12/20", "E3"),
    "bad-number": ("培力紀錄", 0, 5, "兩三個", "F3"),
    "chinese-numeral": ("培力紀錄", 0, 5, "十二", "F3"),
    "hours-out-of-range": ("培力紀錄", 0, 5, 25, "F3"),
    "not-on-roster": ("培力紀錄", 0, 0, "張三", "A3"),
    "duplicate-name": ("人員名冊", 3, 0, "王 小明", "A6"),
    "end-before-start": ("人員名冊", 0, 7, "113/3/1", "H3"),
    "not-whole": ("CEDAW宣導", 0, 5, "2.5", "F3"),
    "negative": ("性別預算", 0, 2, -5, "C3"),
    "cedaw-internal-audience": ("CEDAW宣導", 0, 2, "本所同仁", "C3"),
    "number-too-large": ("性別預算", 0, 2, 10**12, "C3"),
    "implausible-count": ("CEDAW宣導", 0, 5, 250000, "F3"),
    "phone-like-number": ("CEDAW宣導", 0, 5, "0912345678", "F3"),
    "executed-over-allocated": ("性別預算", 0, 3, 700000, "D3"),
    "leave-end-before-start": ("人員名冊", 0, 9, "113/3/1", "J3"),
    "leave-start-missing": ("人員名冊", 0, 9, "113/5/1", "I3"),
}
SETUP = {
    "duplicate-name": [(1, "男"), (2, "公務人員")],
    "end-before-start": [(6, "113/5/1")],
    "leave-end-before-start": [(8, "113/5/1")],
}
"""Other cells of the case's row that the case needs: (column index, value)."""


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_cell_problem_is_named_at_its_cell(code, make_workbook, valid_rows):
    sheet, row, col, value, cell = CASES[code]
    rows = valid_rows | {"CEDAW宣導": [list(CEDAW_ROW)], "性別預算": [list(BUDGET_ROW)]}
    for c, v in SETUP.get(code, []):
        _set(rows, sheet, row, c, v)
    _set(rows, sheet, row, col, value)
    path = make_workbook(rows)
    problems = check([path], Config()).problems
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, [(p.code, p.cell) for p in problems]
    p = found[0]
    assert (p.sheet, p.cell, p.file, p.unit) == (sheet, cell, path.name, "人事室")
    assert p.severity is CATALOGUE[code].severity
    assert p.hint
    others = [x for x in problems if x.code != code]
    assert not others, [(x.code, x.cell) for x in others]


def test_a_valid_workbook_has_no_problems(make_workbook, valid_rows):
    assert check([make_workbook(valid_rows)], Config()).problems == []


def test_messy_but_valid_values_are_accepted(make_workbook):
    rows = {
        "人員名冊": [
            ["王 小明", "男性", "公務人員", "是", "", "", "113年1月5日"],
            ["李美玲", "女性", "約聘僱人員"],
        ],
        "培力紀錄": [
            ["王小明", "課程", "CEDAW", "實體", "113.03.05", "2小時"],
            ["李美玲", "課程", "CEDAW", "數位", "2024-03-05", "１.５"],
            ["李美玲", "課程", "cedaw", "數位", "2024/3/5", "0.5 hr"],
        ],
        "CEDAW宣導": [["座談", "113/5/5", "一般民眾", "podcast", "綜合", "12人", "１３", "0"]],
        "性別預算": [["計畫", "計畫類", "1,200,000", "500元", 1, 2, 0]],
    }
    assert check([make_workbook(rows)], Config()).problems == []


def test_merged_name_applies_to_each_row(make_workbook, valid_rows):
    rows = valid_rows | {
        "培力紀錄": [*valid_rows["培力紀錄"], [None, "進階", "CEDAW", "數位", "113/6/1", 1]]
    }

    def merge(wb):
        wb["培力紀錄"].merge_cells("A5:A6")

    problems = check([make_workbook(rows, edit=merge)], Config()).problems
    assert [(p.code, p.cell, p.severity) for p in problems] == [
        ("merged-cells", "A5:A6", Severity.WARNING)
    ]


def test_merged_numbers_are_an_error(make_workbook, valid_rows):
    rows = valid_rows | {"CEDAW宣導": [list(CEDAW_ROW), list(CEDAW_ROW)]}

    def merge(wb):
        wb["CEDAW宣導"].merge_cells("F3:F4")

    problems = check([make_workbook(rows, edit=merge)], Config()).problems
    assert [(p.code, p.cell) for p in problems] == [("merged-numbers", "F3:F4")]


def test_year_typed_with_nian_is_accepted(make_workbook, valid_rows):
    # SPEC §2: 年度 is the ROC year; validate._year_number's own docstring promises '113年'.
    for typed in ("113年", "民國113年", "113年度"):
        path = make_workbook(
            valid_rows, name=f"{typed}.xlsx", edit=lambda wb, t=typed: _set_info(wb, "年度", t)
        )
        outcome = check([path], Config())
        assert [p.code for p in outcome.problems] == [], typed
        assert outcome.year == 113


def test_unit_spelled_as_in_the_config_is_known_despite_fullwidth_parentheses(make_workbook):
    # The config and the template say 民政課（戶政）; identify() NFKC-normalises only the
    # workbook's side, so the unit's own template is rejected as unknown-unit.
    config = config_from_dict({"units": ["人事室", "民政課（戶政）"]})
    path = make_workbook({"人員名冊": [["甲", "女", "公務人員"]]}, unit="民政課（戶政）")
    assert [p.code for p in _problems(path, config)] == []


def test_duplicates_across_units_are_listed_in_the_folders_order(
    tmp_path, make_workbook, valid_rows
):
    inbox = tmp_path / "in"
    for name, unit in (("000.xlsx", "社會課"), ("111.xlsx", "民政課"), ("zzz.xlsx", "社會課")):
        make_workbook(valid_rows, unit=unit, folder=inbox, name=name)
    make_workbook(valid_rows, unit="民政課", folder=inbox, name="aaa.xlsx")
    figures = gathered(inbox, draft=True).figures
    assert figures is not None
    rejected = [f["file"] for f in figures["files"]["rejected"]]
    assert rejected == ["000.xlsx", "111.xlsx", "aaa.xlsx", "zzz.xlsx"]


# The words offices really type (SPEC §2 ★)


@pytest.mark.parametrize(
    ("typed", "group"),
    [
        ("約僱人員", "civil_servants"),
        ("聘用人員", "civil_servants"),
        ("考試錄取人員", "civil_servants"),
        ("技工", "other_staff"),
        ("駐衛警察", "other_staff"),
        ("臨時人員", "other_staff"),
        (" 約聘 僱人員 ", "civil_servants"),
        ("ＥＸ", None),
    ],
)
def test_staff_words_personnel_offices_use(make_workbook, typed, group):
    path = make_workbook({"人員名冊": [["王小明", "男", typed]]})
    problems = _problems(path)
    if group is None:
        assert [(p.code, p.cell) for p in problems] == [("bad-choice", "C3")]
        return
    assert problems == []
    figures = gathered(path.parent).figures
    assert figures is not None
    assert figures["training"]["groups"][group]["required"]["total"] == 1


@pytest.mark.parametrize(
    ("sheet", "col", "typed"),
    [
        ("CEDAW宣導", 3, "podcast"),
        ("CEDAW宣導", 3, "ＰＯＤＣＡＳＴ"),
        ("CEDAW宣導", 3, " Pod cast "),
        ("培力紀錄", 2, "ｃｅｄａｗ"),
        ("人員名冊", 1, " 女 "),
    ],
)
def test_choices_match_ignoring_spaces_width_and_latin_case(
    make_workbook, valid_rows, sheet, col, typed
):
    rows = valid_rows | {"CEDAW宣導": [list(CEDAW_ROW)]}
    _set(rows, sheet, 0, col, typed)
    assert _problems(make_workbook(rows)) == []


def test_an_agencys_own_words_from_the_config(make_workbook):
    config = config_from_dict(
        {
            "aliases": {
                "人員類別": {"替代役": "自僱非公務人員", "約用": "約聘僱人員"},
                "性別": {"M": "男", "F": "女"},
            }
        }
    )
    path = make_workbook(
        {
            "人員名冊": [["甲", "m", "替代役"], ["乙", "F", "約用"]],
            "性平小組成員": [["丙", "M", "主任秘書", "召集人"]],
        }
    )
    assert _problems(path, config) == []
    assert {p.code for p in _problems(path)} == {"bad-choice"}  # not without the config


@pytest.mark.parametrize(
    ("aliases", "named"),
    [
        ({"人員類別": {"替代役": "役男"}}, "aliases.人員類別.替代役"),
        ({"人員類別": {"替代役": 3}}, "aliases.人員類別.替代役"),
        ({"姓名": {"王": "王小明"}}, "[aliases.姓名]"),
        ({"人員類別": "替代役"}, "aliases.人員類別"),
        ("替代役", "aliases"),
    ],
)
def test_an_alias_to_no_allowed_value_is_a_config_error_naming_the_key(aliases, named):
    from gmreport.problems import UsageError

    with pytest.raises(UsageError, match=re.escape(f"「{named}」")):
        config_from_dict({"aliases": aliases})


def test_a_western_year_is_an_error_suggesting_the_roc_year(make_workbook, valid_rows):
    path = make_workbook(valid_rows, edit=lambda wb: _set_info(wb, "年度", "2025年"))
    [p] = _problems(path)
    assert (p.code, p.cell) == ("western-year", "B4")
    assert "114" in p.hint


@pytest.mark.parametrize("typed", ["113年13月1日", "下週", "2024/02/30"])
def test_a_filed_date_that_is_no_date_is_a_warning_and_the_cover_gives_none(
    tmp_path, make_workbook, valid_rows, typed
):
    from gmreport.pipeline import build

    config = Config(contact_unit="民政課")
    path = make_workbook(
        valid_rows,
        folder=tmp_path / "in",
        edit=lambda wb: _set_info(wb, "填報日期", typed),
    )
    [p] = _problems(path)
    assert (p.code, p.sheet, p.cell, p.is_error) == ("bad-filed-date", "基本資料", "B7", False)
    assert typed in p.message
    outcome = build(path.parent, tmp_path / "out", config)
    assert outcome.figures is not None
    assert outcome.figures["filed_by"]["filed_on"] is None
    assert [q.code for q in outcome.problems if q.code not in INCIDENTAL] == ["bad-filed-date"]


def test_no_number_a_person_types_crashes_the_build(tmp_path, make_workbook, valid_rows):
    from gmreport.pipeline import build

    rows = valid_rows | {
        "CEDAW宣導": [["宣導", "113/5/5", "一般民眾", "實體活動", "綜合", 10**20, 1e300, 0]],
        "性別預算": [["計畫", "計畫類", 1e308, 1, 0, 0, 0]],
        "其他性平措施": [["措施", "項目", "113/6/1", "文宣", "0912345678", 3, 0]],
    }
    path = make_workbook(rows, folder=tmp_path / "in")
    outcome = build(path.parent, tmp_path / "out", Config(), draft=True)
    codes = sorted((p.code, p.cell) for p in outcome.problems if p.code not in INCIDENTAL)
    assert codes == [
        ("number-too-large", "C3"),
        ("number-too-large", "F3"),
        ("number-too-large", "G3"),
        ("phone-like-number", "E3"),
    ]
    assert (tmp_path / "out" / "113年度性別主流化執行成果報告.docx").is_file()


def test_a_population_in_gender_statistics_is_never_implausible(make_workbook, valid_rows):
    """性別統計 counts a population (土地所有權人數), not one activity's people (SPEC §2 ◆)."""
    owners = ["土地所有權人數", "既有", "否", 254_310, 198_702, 0, "113年底", "地政業務參考"]
    cedaw = ["座談", "113/5/5", "村里長", "實體活動", "綜合", 254_310, 4, 0]
    rows = valid_rows | {"性別統計": [owners], "CEDAW宣導": [cedaw]}
    problems = check([make_workbook(rows)], Config()).problems
    assert [(p.code, p.sheet, p.cell) for p in problems] == [
        ("implausible-count", "CEDAW宣導", "F3")
    ]
