"""A folder as offices really send it: .xlsx, .xlsm, .ods saved by LibreOffice, and a
workbook filled in on the v1 template (without the ★ columns), built into figures that match
an independent count of the .xlsx workbooks they were made from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gmreport.config import Config
from gmreport.pipeline import build, check
from gmreport.read import read_workbook
from gmreport.schema import SHEETS

from .conftest import SAMPLES
from .test_build import expected_figures
from .test_opendocument import convert, soffice
from .test_safety import macro_enabled

V1 = Path(__file__).parent / "data" / "v1範本_113年度_社會課_性別主流化填報.xlsx"
"""社會課's 113 workbook as the v1 template made it (kept as it was: no 留職停薪 or 觸及人次)."""


def test_the_kept_workbook_is_from_the_v1_template():
    raw = read_workbook(V1)
    optional = {c.key for s in SHEETS for c in s.columns if c.optional}
    present = {key for data in raw.sheets.values() for key in data.letters}
    assert optional and not optional & present


def test_a_v1_workbook_reads_as_before_without_a_word_on_its_missing_columns():
    problems = check([V1], Config()).problems
    assert [p.code for p in problems] == ["date-outside-year"]  # its one 112 training row


@pytest.mark.slow
@soffice
def test_a_mixed_folder_gives_the_figures_of_an_independent_count(tmp_path):
    sources = tmp_path / "sources"  # what the units filled in, all .xlsx
    sources.mkdir()
    for path in SAMPLES.glob("113*.xlsx"):
        shutil.copy(path, sources)
    shutil.copy(V1, sources / V1.name.removeprefix("v1範本_"))  # 社會課 on the v1 template

    sent = tmp_path / "sent"  # as they arrived at 人事室
    shutil.copytree(sources, sent)
    (economic,) = [p for p in sent.iterdir() if "經建課" in p.name]
    (converted,) = convert([economic], tmp_path / "lo", "ods")
    shutil.move(converted, sent)
    economic.unlink()
    (personnel,) = [p for p in sent.iterdir() if "人事室" in p.name]
    macro_enabled(personnel)
    personnel.unlink()
    assert sorted(p.suffix for p in sent.iterdir()).count(".xlsx") == len(list(sent.iterdir())) - 2

    outcome = build(sent, tmp_path / "out", Config())
    figures, expected = outcome.figures, expected_figures(sources, 113)
    assert figures is not None
    assert not [p for p in outcome.problems if p.code == "column-missing"]
    assert {f["file"].rsplit(".", 1)[1] for f in figures["files"]["read"]} == {
        "xlsx",
        "xlsm",
        "ods",
    }
    training = figures["training"]
    everyone = training["groups"]["all"]
    assert (everyone["required"], everyone["completed"]) == (
        expected["required"],
        expected["completed"],
    )
    assert everyone["hours"] == pytest.approx(expected["hours_all"])
    assert training["total_hours"] == pytest.approx(expected["total_hours"])
    assert training["people"]["roster"] == expected["people"]
    assert training["not_required"] == {
        "short_service": expected["short_service"],
        "on_leave": expected["on_leave"],
    }
    cedaw = figures["cedaw"]
    assert (cedaw["sessions"], cedaw["participants"], cedaw["reach"]) == (
        expected["cedaw_sessions"],
        expected["cedaw_participants"],
        expected["cedaw_reach"],
    )
    measures = figures["other_measures"]
    assert (measures["count"], measures["reach"]) == (
        expected["measures"],
        expected["measures_reach"],
    )
    assert figures["meetings"]["count"] == expected["meetings"]
    members = figures["meetings"]["members"]
    assert [members[k] for k in ("male", "female", "total")] == [
        expected["members"][k] for k in ("male", "female", "total")
    ]
    indicators = figures["indicators"]
    assert (indicators["cross_classified"], indicators["dimensions"]) == (
        expected["cross_classified"],
        expected["dimensions"],
    )
