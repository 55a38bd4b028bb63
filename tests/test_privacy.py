"""Privacy of small groups (SPEC §3): one colleague is never told apart in a staff table."""

from __future__ import annotations

import copy

import openpyxl
import pytest
from docx import Document

from gmreport.blank_workbook import blank_workbook
from gmreport.config import Config
from gmreport.disclosure import audit, protect
from gmreport.pipeline import build
from gmreport.privacy import SUPPRESSED, as_shown

from .conftest import fill
from .test_report import captioned_tables

ROSTER = [
    # 20 men and 20 women 公務人員 of 30–49, and one 未滿30歲 約僱人員 of 其他 gender
    *[[f"男{i}", "男", "公務人員", "", "", "30-39歲"] for i in range(20)],
    *[[f"女{i}", "女", "公務人員", "", "", "40-49歲"] for i in range(20)],
    ["獨一", "其他", "約僱人員", "", "", "未滿30歲"],
]
TRAINING = [[r[0], "講座", "CEDAW", "實體", "113/5/1", 2] for r in ROSTER]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):

    folder = tmp_path_factory.mktemp("in")
    wb = blank_workbook(agency="高雄市旗津區公所", unit="人事室", year=113, data_rows=50)
    fill(wb["人員名冊"], ROSTER)
    fill(wb["培力紀錄"], TRAINING)
    wb.save(folder / "113年度_人事室.xlsx")
    out = tmp_path_factory.mktemp("out")
    outcome = build(folder, out, Config(), draft=True)
    return outcome, out


def test_the_figures_keep_the_exact_counts_and_list_what_is_suppressed(built) -> None:
    figures = built[0].figures
    civil = figures["training"]["groups"]["civil_servants"]
    assert civil["required"]["other"] == 1  # exact, in the JSON
    suppressed = set(figures["suppressed"])
    # the colleague's 性別 is not broken out anywhere, nor their age band's
    for part in ("required", "completed", "rate"):
        assert f"training.groups.civil_servants.{part}.other" in suppressed
        assert f"training.groups.all.{part}.other" in suppressed
        assert f"training.by_age.未滿30歲.{part}.other" in suppressed
        assert f"training.by_age.30-39歲.{part}.other" in suppressed  # a 0 would say where not
    # each row's 合計 goes with it, so that 合計 − 男 − 女 gives nothing; 男 and 女 stay
    for part in ("required", "completed"):
        assert f"training.groups.all.{part}.total" in suppressed
        for gender in ("male", "female"):
            assert f"training.groups.all.{part}.{gender}" not in suppressed
    assert "training.people.required" in suppressed  # the same count in the 補充資料


def test_the_report_shows_a_star_and_says_why(built) -> None:
    figures = built[0].figures
    doc = Document(str(built[1] / "113年度性別主流化執行成果報告.docx"))
    tables = captioned_tables(doc)
    rows = {r[0]: r for r in tables["各類人員性別意識培力情形"]}
    header = tables["各類人員性別意識培力情形"][1]
    other = header.index("其他")
    assert rows["公務人員"][other] == SUPPRESSED  # 應訓人數(其他)
    assert rows["全機關"][other] == SUPPRESSED
    men = figures["training"]["groups"]["all"]["required"]["male"]
    assert rows["全機關"][header.index("男")] == str(men)
    rates = {r[0]: r for r in tables["各類人員性別意識培力完訓率（依性別）"]}
    assert rates["全機關"][3] == SUPPRESSED
    ages = {r[0]: r for r in tables["性別意識培力完訓率交織分析（性別×年齡層）"]}
    assert SUPPRESSED in ages["未滿30歲"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "人數未達 3 人之性別不予分列" in text


def test_the_statistics_workbook_shows_the_same_stars(built) -> None:
    wb = openpyxl.load_workbook(built[1] / "113年度性別主流化統計總表.xlsx")
    ws = wb["表6 各類人員性別意識培力情形"]
    headers = [c.value for c in ws[2]]
    civil = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == "公務人員")
    assert civil[headers.index("應訓人數(其他)")] == SUPPRESSED
    assert civil[headers.index("應訓人數(合計)")] == SUPPRESSED
    assert civil[headers.index("應訓人數(男)")] == 20
    notes = [c.value for c in ws["A"] if isinstance(c.value, str) and "不予分列" in c.value]
    assert notes


def test_min_cell_one_suppresses_nothing(built) -> None:
    figures = built[0].figures
    assert protect({**figures, "privacy": {"min_cell": 1}, "suppressed": []}) == []
    assert protect({**figures, "suppressed": []}) == figures["suppressed"]
    shown = as_shown({**figures, "suppressed": []})
    assert shown["training"]["groups"]["civil_servants"]["required"]["other"] == 1


def test_two_women_supervisors_among_many_women_are_protected(built) -> None:
    """Their cells go, and enough beside them that the row's sums do not give them back;
    the audit proves it."""
    figures = copy.deepcopy(built[0].figures)
    supervisors = figures["training"]["groups"]["supervisors"]
    supervisors["required"] = {"male": 0, "female": 2, "other": 0, "total": 2}
    supervisors["completed"] = {"male": 0, "female": 1, "other": 0, "total": 1}
    supervisors["rate"] = {"male": None, "female": 0.5, "other": None, "total": 0.5}
    for row in figures["training"]["by_supervisor"]:
        if row["label"] == "主管":
            row.update(
                {k: copy.deepcopy(supervisors[k]) for k in ("required", "completed", "rate")}
            )
    paths = protect({**figures, "suppressed": []})
    for part in ("required", "completed", "rate"):
        assert f"training.groups.supervisors.{part}.female" in paths
    found = audit({**figures, "suppressed": paths})
    assert found.disclosures == ()
    assert any(d.group.gender == "female" for d in audit({**figures, "suppressed": []}).disclosures)


def test_a_file_of_an_earlier_version_names_a_hidden_gender_of_a_row(built) -> None:
    """Before v3 a file listed "training.groups.supervisors.other" for all three parts."""
    figures = {**built[0].figures, "suppressed": ["training.groups.supervisors.female"]}
    shown = as_shown(figures)["training"]["groups"]["supervisors"]
    assert shown["required"]["female"] == shown["rate"]["female"] == SUPPRESSED
    assert (
        shown["required"]["male"]
        == figures["training"]["groups"]["supervisors"]["required"]["male"]
    )
