"""Privacy of small groups (SPEC §3): one colleague is never told apart in a staff table."""

from __future__ import annotations

import copy

import openpyxl
import pytest
from docx import Document

from gmreport.blank_workbook import blank_workbook
from gmreport.config import Config
from gmreport.pipeline import build
from gmreport.privacy import SUPPRESSED, as_shown, suppressed_cells

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
    assert "training.groups.civil_servants.other" in suppressed
    assert "training.by_age.未滿30歲.other" in suppressed
    assert "training.groups.all.rate.other" in suppressed  # a rate of one person
    # the smaller other gender of the row goes too, or 合計 − 男 − 女 would give it
    assert "training.groups.civil_servants.male" in suppressed
    assert not any(p.startswith("training.groups.supervisors") for p in suppressed)


def test_the_report_shows_a_star_and_says_why(built) -> None:
    doc = Document(str(built[1] / "113年度性別主流化執行成果報告.docx"))
    tables = captioned_tables(doc)
    rows = {r[0]: r for r in tables["各類人員性別意識培力情形"]}
    header = tables["各類人員性別意識培力情形"][1]
    other = header.index("其他")
    assert rows["公務人員"][other] == SUPPRESSED  # 應訓人數(其他)
    assert rows["全機關"][other] == "1"  # the agency's totals by 性別 are shown
    rates = {r[0]: r for r in tables["各類人員性別意識培力完訓率（依性別）"]}
    assert rates["全機關"][3] == SUPPRESSED  # but not the 完訓率 of one person
    ages = {r[0]: r for r in tables["性別意識培力完訓率交織分析（性別×年齡層）"]}
    assert SUPPRESSED in ages["未滿30歲"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "人數未達 3 人者不予揭露" in text
    assert "100.0%（其他" not in text and "其他 100.0%" not in text


def test_the_statistics_workbook_shows_the_same_stars(built) -> None:
    wb = openpyxl.load_workbook(built[1] / "113年度性別主流化統計總表.xlsx")
    ws = wb["表4 各類人員性別意識培力情形"]
    headers = [c.value for c in ws[2]]
    civil = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == "公務人員")
    assert civil[headers.index("應訓人數(其他)")] == SUPPRESSED
    assert civil[headers.index("應訓人數(合計)")] == 41
    notes = [c.value for c in ws["A"] if isinstance(c.value, str) and "不予揭露" in c.value]
    assert notes


def test_min_cell_one_suppresses_nothing(built) -> None:
    figures = built[0].figures
    assert suppressed_cells(figures, 1) == []
    assert suppressed_cells(figures, 3) == figures["suppressed"]
    shown = as_shown({**figures, "suppressed": []})
    assert shown["training"]["groups"]["civil_servants"]["required"]["other"] == 1


def test_a_row_of_one_small_cell_hides_its_total_too(built) -> None:
    figures = copy.deepcopy(built[0].figures)
    supervisors = figures["training"]["groups"]["supervisors"]
    supervisors["required"] = {"male": 0, "female": 2, "other": 0, "total": 2}
    supervisors["completed"] = {"male": 0, "female": 1, "other": 0, "total": 1}
    paths = suppressed_cells(figures, 3)
    assert {"training.groups.supervisors.female", "training.groups.supervisors.total"} <= set(paths)
    shown = as_shown({**figures, "suppressed": paths})["training"]["groups"]["supervisors"]
    assert shown["required"]["total"] == shown["completed"]["total"] == SUPPRESSED
    assert shown["rate"]["total"] == SUPPRESSED
