"""Each work item's chapter (SPEC v3 §8 ◆): under its heading the 主辦單位 and 協辦單位,
and a results table of its targets whose reasons come from the lead unit's own
檢討與精進; a chapter prints no placeholder when no unit wrote; the report's findings
speak as the office, never as instructions; 成果摘要 before the details."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from gmreport.aggregate import Shortfall
from gmreport.config import Config, config_from_dict
from gmreport.narrative_checks import count_warnings, narrative_warnings
from gmreport.pipeline import build
from gmreport.render.report import Voice, render_report
from gmreport.schema import WORK_ITEM_LIST
from gmreport.targets import NOT_IN_PLAN, TARGETS_BY_ID
from gmreport.validate import CleanWorkbook

from .conftest import example_figures
from .test_report import captioned_tables

EXAMPLE = example_figures()
UNITS = {
    "性平執行小組會議": ("人事室", "人事室", ""),
    "性別意識培力": ("人事室、秘書室", "人事室、秘書室", ""),
    "性別影響評估": ("研考科（協辦：法制科、秘書室）", "研考科", "法制科、秘書室"),
    "性別統計與性別預算": ("主計室", "主計室", ""),
    "CEDAW宣導及其他性平措施": ("社會科（協辦：民政科）", "社會科", "民政科"),
}
"""Another agency's lead units as its config names them, and as the report should say them."""


def _chapters(doc: Any) -> dict[str, list[str]]:
    """The paragraphs of each chapter of 辦理情形, by its heading (Heading 2)."""
    found: dict[str, list[str]] = {}
    current, inside = None, False
    for p in doc.paragraphs:
        style = p.style.style_id
        if style == "Heading1":
            current, inside = None, p.text == "辦理情形"
        elif style == "Heading2" and inside:
            current = p.text
            found[current] = []
        elif current is not None and p.text:
            found[current].append(p.text)
    return found


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    """The example's figures with other lead units, a missed target in every work item
    that has one, a review by a lead unit of one of them, and no unit's 辦理情形."""
    figures = copy.deepcopy(EXAMPLE)
    figures["plan"]["lead_units"] = {item: units for item, (units, _, _) in UNITS.items()}
    for t in figures["targets"]:
        if t["id"] in ("cedaw_sessions", "indicators_reviewed"):
            t["met"], t["verdict"] = False, "未達成"
        t["lead_unit"] = UNITS[t["work_item"]][1].split("、")[0]
    figures["narratives"] = [
        {
            "item": w.name,
            "entries": [{"unit": "社會科", "done": "", "review": "宣導改於下半年集中辦理。"}]
            if w.name == "CEDAW宣導及其他性平措施"
            else [],
        }
        for w in WORK_ITEM_LIST
    ]
    path = tmp_path_factory.mktemp("report") / "報告.docx"
    render_report(figures, path)
    return figures, Document(str(path))


def test_each_chapter_names_its_lead_and_supporting_units(report: tuple[Any, Any]) -> None:
    _, doc = report
    chapters = list(_chapters(doc).values())
    assert len(chapters) == len(WORK_ITEM_LIST)
    for item, paragraphs in zip(WORK_ITEM_LIST, chapters, strict=True):
        _, lead, support = UNITS[item.name]
        expected = f"主辦單位：{lead}" + (f"；協辦單位：{support}" if support else "")
        assert paragraphs[0] == expected, item.name


def test_each_chapter_has_its_targets_results_with_the_lead_units_reasons(
    report: tuple[Any, Any],
) -> None:
    figures, doc = report
    tables = captioned_tables(doc)
    chapters = list(_chapters(doc).values())
    for item, paragraphs in zip(WORK_ITEM_LIST, chapters, strict=True):
        rows = tables[f"{item.name}目標達成情形"]
        assert rows[0] == ["指標", "目標值", "實際值", "達成情形", "未達成原因及改善措施"]
        targets = [t for t in figures["targets"] if t["work_item"] == item.name]
        assert [r[0] for r in rows[1:]] == [t["label"] for t in targets]
        assert [r[3] for r in rows[1:]] == [t["verdict"] for t in targets]
        reviews = {
            e["unit"]: e["review"]
            for n in figures["narratives"]
            if n["item"] == item.name
            for e in n["entries"]
        }
        for row, t in zip(rows[1:], targets, strict=True):
            reason = reviews.get(t["lead_unit"], "—") if not t["met"] else "—"
            assert row[4] == reason, (item.name, t["id"])
        # the table follows the chapter's heading and units at once
        assert re.fullmatch(r"本工作項目目標達成情形如表\d+(，.*)?。", paragraphs[1])
    assert any(
        "宣導改於下半年集中辦理。" in r[4] for r in tables["CEDAW宣導及其他性平措施目標達成情形"]
    )


def test_a_chapter_no_unit_wrote_about_prints_no_placeholder(report: tuple[Any, Any]) -> None:
    _, doc = report
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "未另提" not in text
    assert "各單位辦理說明" not in text  # nobody wrote a 辦理情形 in this example


def test_the_summary_comes_before_the_details_and_counts_the_verdicts(
    report: tuple[Any, Any],
) -> None:
    figures, doc = report
    h1 = [p.text for p in doc.paragraphs if p.style.style_id == "Heading1"]
    assert h1.index("成果摘要") < h1.index("辦理情形")
    paragraphs = [p.text for p in doc.paragraphs]
    summary = paragraphs[paragraphs.index("成果摘要") + 1]
    verdicts = [t["verdict"] for t in figures["targets"]]
    common = sum(TARGETS_BY_ID[t["id"]].source == NOT_IN_PLAN for t in figures["targets"])
    assert f"本計畫所訂目標計 {len(verdicts) - common} 項，另依通例檢核 {common} 項" in summary
    assert f"達成 {verdicts.count('達成')} 項" in summary
    assert f"未達成 {verdicts.count('未達成')} 項" in summary
    assert f"CEDAW 宣導 {figures['cedaw']['sessions']} 場次" in summary


def test_a_count_of_nothing_reads_as_words(tmp_path: Path) -> None:
    figures = copy.deepcopy(EXAMPLE)
    figures["gia"]["count"] = 0
    figures["cedaw"]["sessions"] = 0
    render_report(figures, tmp_path / "報告.docx")
    paragraphs = [p.text for p in Document(str(tmp_path / "報告.docx")).paragraphs]
    summary = paragraphs[paragraphs.index("成果摘要") + 1]
    assert "未辦理性別影響評估" in summary and "未辦理 CEDAW 宣導" in summary
    assert " 0 " not in summary


def test_the_report_gives_no_instructions(report: tuple[Any, Any]) -> None:
    """The findings say what the office will do (「本所將…」), never 「請…」 to no one."""
    _, doc = report
    for p in doc.paragraphs:
        assert not re.search(r"(^|[，。；：）])請", p.text), p.text


def _workbook(unit: str, narratives: list[tuple[str, str, str]]) -> CleanWorkbook:
    rows = {5 + i: {"item": i_, "done": d, "review": r} for i, (i_, d, r) in enumerate(narratives)}
    return CleanWorkbook(f"113年度_{unit}.xlsx", unit, 113, {"narratives": rows}, {})


def test_a_silent_lead_unit_is_warned_by_name() -> None:
    """秘書室 leads 性別影響評估 and wrote nothing about it; 人事室 wrote about both its items
    but no review of a missed one; 社會課 leads nothing and wrote nothing."""
    workbooks = [
        _workbook(
            "人事室", [("性平執行小組會議", "開會 2 次", ""), ("性別意識培力", "辦理講座", "")]
        ),
        _workbook("秘書室", [("性別意識培力", "職工講習", "")]),
        _workbook("社會課", []),
    ]
    missed = {
        "verdict": "未達成",
        "work_item": "性別意識培力",
        "lead_unit": "人事室",
        "label": "公務人員完訓率達 100%",
    }
    found = narrative_warnings(workbooks, [missed], Config(), 114)  # type: ignore[list-item]
    said = {(p.code, p.unit, p.message) for p in found}
    lead = Config().lead_units
    expected_missing = {
        (unit, item)
        for item, units in lead.items()
        for unit in ("人事室", "秘書室", "社會課")
        if unit in re.sub(r"（協辦：.*?）", "", units).split("、")
        and item not in {n for w in workbooks if w.unit == unit for n in _items(w, "done")}
    }
    assert {(u, _item_of(m)) for c, u, m in said if c == "narrative-missing"} == expected_missing
    assert ("秘書室", "性別影響評估") in expected_missing
    reviews = [(u, m) for c, u, m in said if c == "review-missing"]
    assert [u for u, _ in reviews] == ["人事室"]
    assert missed["label"] in reviews[0][1]


def _items(workbook: CleanWorkbook, part: str) -> set[str]:
    return {str(r["item"]) for r in workbook.records["narratives"].values() if r[part]}


def _item_of(message: str) -> str:
    found = re.search(r"工作項目「(.+?)」", message)
    assert found, message
    return found[1]


@pytest.mark.parametrize(
    ("agency", "said", "units"),
    [
        ("高雄市旗津區公所", "本所", "課室"),
        ("高雄市政府社會局", "本局", "科室"),
        ("高雄市政府工務局養護工程處", "本處", "科室"),
        ("高雄市某某中心", "本機關", "科室"),
    ],
)
def test_the_agency_is_named_as_it_names_itself(agency: str, said: str, units: str) -> None:
    config = config_from_dict({"agency": agency})
    assert (config.self_name, config.unit_word) == (said, units)
    chosen = config_from_dict(
        {"agency": agency, "report": {"self_name": "本中心", "unit_word": "組"}}
    )
    assert (chosen.self_name, chosen.unit_word) == ("本中心", "組")


def test_a_bureaus_report_says_本局_and_科室_throughout(tmp_path: Path) -> None:
    """Every sentence the report writes itself, findings included, in a 局's voice; what a
    unit wrote is its own."""
    figures = copy.deepcopy(EXAMPLE)
    figures["agency"] = "高雄市政府社會局"
    for t in figures["targets"]:
        if t["id"] == "cedaw_sessions":
            t["met"], t["verdict"] = False, "未達成"
    render_report(figures, tmp_path / "報告.docx", voice=Voice("本局", "科室"))
    doc = Document(str(tmp_path / "報告.docx"))
    own = {e["done"] for n in figures["narratives"] for e in n["entries"]} | {
        e["review"] for n in figures["narratives"] for e in n["entries"]
    }
    written = [p.text for p in doc.paragraphs if p.text and not any(o and o in p.text for o in own)]
    assert not [p for p in written if "本所" in p or "課室" in p]
    assert any("本局" in p for p in written)
    assert any("各科室" in p for p in written)
    assert "以上為本局" in "\n".join(written)


def test_a_period_typed_as_a_date_reads_in_roc_form_in_the_report(
    tmp_path: Path, make_workbook: Any, valid_rows: Any
) -> None:
    rows = valid_rows | {
        "性別統計": [["里長人數按性別分", "既有", "否", 9, 4, 0, dt.date(2024, 6, 30), "運用"]]
    }
    make_workbook(rows, folder=tmp_path / "in")
    build(tmp_path / "in", tmp_path / "out", Config())
    doc = Document(str(tmp_path / "out" / "113年度性別主流化執行成果報告.docx"))
    names = [r[1] for r in captioned_tables(doc)["性別統計指標"][2:]]
    assert "里長人數按性別分（113年6月30日）" in names


def _short(*kinds: str) -> list[Shortfall]:
    return [Shortfall(("人事室",), f"甲{i}", k, 2, 1, 1) for i, k in enumerate(kinds)]


@pytest.mark.parametrize(
    ("text", "short", "warned"),
    [
        ("尚有1名約僱人員未達目標時數，已個別通知補訓。", ("約聘僱人員", "公務人員"), True),
        ("尚有 2 名同仁未達目標時數。", ("約聘僱人員", "公務人員"), False),
        ("兩位同仁尚未完成訓練時數，已通知。", ("公務人員", "公務人員"), False),
        ("兩位同仁尚未完成訓練時數，已通知。", ("公務人員",), True),
        ("十二人未達目標時數", ("公務人員",) * 12, False),
        ("十二人未達目標時數", ("公務人員",) * 2, True),
        ("兩三位同仁尚未完成訓練時數。", ("公務人員",) * 2, False),  # not one count
        ("部分同仁尚未完成訓練時數。", ("公務人員",), False),  # no count: nothing to compare
    ],
)
def test_a_narrative_that_counts_those_short_of_hours_is_checked(
    text: str, short: tuple[str, ...], warned: bool
) -> None:
    workbook = _workbook("人事室", [("性別意識培力", "", text)])
    workbook.letters["narratives"] = {"item": "A", "done": "B", "review": "C"}
    found = count_warnings([workbook], _short(*short))
    assert bool(found) is warned
    for p in found:
        assert (p.code, p.cell) == ("narrative-count-differs", "C5")
        assert f"全機關共 {len(short)} 人" in p.message
