"""Units 未繳交 or 繳交空白表 (SPEC §3 ◆): a target that depends on their data is not judged
達成 on partial data — it is 「資料不全」 naming the units, unless the partial figures already
miss it — and every 全機關 figure (tables, charts, findings, the 考核 table) names the units it
leaves out, in the report and the statistics workbook alike."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.table import Table as DocxTable
from PIL import Image

from gmreport.blank_workbook import blank_workbook
from gmreport.city import TARGETS_INCOMPLETE, agency_table, tally, target_summary, targets_sheet
from gmreport.config import Config, config_from_dict
from gmreport.disclosure import verdicts
from gmreport.findings import findings
from gmreport.pipeline import build
from gmreport.privacy import as_shown
from gmreport.render import CHART_NAMES, WHOLE_AGENCY_CHARTS
from gmreport.render.report import chart_notes, render_report
from gmreport.render.trends import TREND_TABLES, period_review, trend_tables, years
from gmreport.render.workbooks import write_statistics
from gmreport.schema import lead_and_support
from gmreport.tables import GROUP_POPULATIONS, report_tables, units_note
from gmreport.targets import (
    DONE,
    INCOMPLETE,
    MET,
    MISSED,
    NOBODY,
    NOT_DONE,
    TARGETS,
    TARGETS_BY_ID,
    Rule,
    evaluate,
    evaluate_one,
    lead_names,
)
from tests.conftest import SAMPLES, example_figures, once

EXAMPLE = example_figures()
BLANK_UNIT = "民政課"
"""The unit whose workbook the generated agency sends blank: it leads CEDAW宣導."""
AT_LEAST = {"training_groups", "training_rates", "by_age", "by_supervisor", "targets"}
"""Tables of the agency as a whole that the working group found without the note (表4, 表5,
表7, 表8, 表18): a guard that the declarations keep them so."""
LOOSE = {"training": {"completion_rate": 0.5}}
"""A completion target every sample group meets, so that training targets would be 達成."""


def whole(figures: dict) -> dict:
    """The figures with every unit's data (none 未繳交 or 繳交空白表)."""
    units = figures["units"]
    units["submitted"], units["missing"], units["empty"] = list(units["expected"]), [], []
    return figures


@pytest.fixture
def example() -> dict:
    return whole(copy.deepcopy(EXAMPLE))


def judged(figures: dict, target_id: str, config: Config | None = None) -> dict[str, Any]:
    return dict(evaluate_one(TARGETS_BY_ID[target_id], figures, config or Config()))


# --- Verdicts ---------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["missing", "empty"])
def test_a_met_training_target_is_incomplete_naming_the_units(example: dict, how: str) -> None:
    goal = min(
        g["rate"]["total"] for g in example["training"]["groups"].values() if g["rate"]["total"]
    )
    config = config_from_dict({"training": {"completion_rate": goal}})
    training = [t for t in TARGETS if t.every_unit]
    assert {judged(example, t.id, config)["verdict"] for t in training} == {MET}

    unit = example["units"]["expected"][-1]
    example["units"][how].append(unit)
    example["units"]["submitted"].remove(unit)
    for target in training:
        result = judged(example, target.id, config)
        assert (result["verdict"], result["met"]) == (INCOMPLETE, False), target.id
        assert result["incomplete"] == [unit]


def test_a_missed_training_target_stays_missed(example: dict) -> None:
    rates = [g["rate"]["total"] for g in example["training"]["groups"].values()]
    assert min(r for r in rates if r is not None) < 1  # the example misses 100%
    example["units"]["missing"].append(example["units"]["expected"][0])
    for target in (t for t in TARGETS if t.every_unit):
        result = judged(example, target.id)
        assert result["verdict"] == MISSED, target.id
        assert "incomplete" not in result


def test_nobody_to_train_is_not_said_while_units_are_missing(example: dict) -> None:
    group = example["training"]["groups"]["other_staff"]
    group["rate"]["total"] = None  # nobody 應訓 in the units that reported
    assert judged(example, "training_other_staff")["verdict"] == NOBODY
    example["units"]["empty"].append("社會課")
    result = judged(example, "training_other_staff")
    assert (result["verdict"], result["incomplete"]) == (INCOMPLETE, ["社會課"])


def _lead_of(target_id: str) -> list[str]:
    return lead_names(Config().lead_units[TARGETS_BY_ID[target_id].work_item])


@pytest.mark.parametrize("how", ["missing", "empty"])
@pytest.mark.parametrize("target_id", [t.id for t in TARGETS if not t.every_unit])
def test_a_count_target_waits_for_its_missing_lead_unit(
    example: dict, target_id: str, how: str
) -> None:
    before = judged(example, target_id)
    leads = _lead_of(target_id)
    others = [u for u in example["units"]["expected"] if u not in leads]
    assert leads and others

    example["units"][how].append(others[0])  # a unit that does not lead it: no matter
    assert judged(example, target_id) == before

    example["units"][how].append(leads[-1])  # its lead (or 協辦) unit
    result = judged(example, target_id)
    if before["verdict"] in _OPEN[_grows(target_id)]:
        assert (result["verdict"], result["incomplete"]) == (INCOMPLETE, [leads[-1]])
    else:  # settled on the partial figures: a count reached, a rate already missed
        assert result == before


def _grows(target_id: str) -> bool:
    """Whether more data could only raise the target's figure: a count of meetings,
    assessments, roles present, or an item done."""
    target = TARGETS_BY_ID[target_id]
    return target.rule in (Rule.AT_LEAST, Rule.ALL_PRESENT, Rule.DONE) or target.done_when_zero


_OPEN = {True: (MISSED, NOT_DONE), False: (MET, DONE, NOBODY)}
"""The verdicts the missing units' data could still change, for a figure that only grows
with more data and for one that may move either way (a rate, a range, a balance)."""


@pytest.mark.parametrize("how", ["missing", "empty"])
def test_a_count_reached_on_partial_figures_is_reached_and_one_short_is_open(
    example: dict, how: str
) -> None:
    """More data can only add meetings: 「至少 1 次」 reached while the lead unit is missing
    is 達成; short of it, the missing unit's meetings could still reach it."""
    example["units"][how].append("人事室")
    example["meetings"]["count"] = 1
    assert judged(example, "meetings_per_year")["verdict"] == MET
    example["meetings"]["count"] = 0
    result = judged(example, "meetings_per_year")
    assert (result["verdict"], result["incomplete"]) == (INCOMPLETE, ["人事室"])


def test_an_item_done_waits_for_its_lead_unit_and_one_not_done_stays_so(example: dict) -> None:
    example["units"]["missing"].append("會計室")
    example["budget"]["count"] = 2
    assert judged(example, "budget_reviewed")["verdict"] == DONE  # more data adds, never takes
    example["budget"]["count"] = 0
    assert judged(example, "budget_reviewed")["verdict"] == INCOMPLETE


def test_a_lead_text_names_its_units_and_those_assisting() -> None:
    assert lead_names("民政課（協辦：社會課）") == ["民政課", "社會課"]
    assert lead_names("人事室、秘書室") == ["人事室", "秘書室"]
    assert lead_names("會計室(協辦:人事室、秘書室)") == ["會計室", "人事室", "秘書室"]
    assert lead_names("") == []
    assert lead_names("民政課（協辦 社會課）") == ["民政課", "社會課"]  # no colon, as people type
    assert lead_and_support("民政課(協辦社會課)") == (["民政課"], ["社會課"])


def test_the_privacy_audit_reads_incomplete_as_met(example: dict) -> None:
    """資料不全 is said only where the published figures meet the goal: the audit reads it
    as the fact 達成 would state."""
    for result in example["targets"]:
        if TARGETS_BY_ID[result["id"]].is_rate:
            result["verdict"], result["met"] = INCOMPLETE, False
    read = verdicts(example)
    assert read and all(met for _, _, met in read)
    judged_groups = {p for populations, _, _ in read for p in populations}
    assert GROUP_POPULATIONS["other_staff"] in judged_groups


# --- A generated agency: one unit 未繳交, one 繳交空白表 ------------------------------------


@pytest.fixture(scope="module")
def partial(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The 113 samples (調解委員會 未繳交) with 民政課's workbook sent blank, built with a
    completion target every group meets. Once for all workers."""

    def make(work: Path) -> dict:
        folder, out = work / "in", work / "out"
        folder.mkdir()
        for path in SAMPLES.iterdir():
            if path.is_file() and not (path.name.startswith("113") and BLANK_UNIT in path.name):
                shutil.copy(path, folder / path.name)
        blank = blank_workbook(agency=Config().agency, unit=BLANK_UNIT, year=113, data_rows=5)
        blank.save(folder / f"113年度_{BLANK_UNIT}_性別主流化填報.xlsx")
        outcome = build(folder, out, config_from_dict(LOOSE))
        assert outcome.figures is not None
        return {"figures": outcome.figures, "out": out}

    return once(tmp_path_factory, "partial", make)


def _absent(figures: dict) -> list[str]:
    return [*figures["units"]["missing"], *figures["units"]["empty"]]


def test_the_generated_agency_misses_one_unit_and_has_one_blank(partial: dict) -> None:
    units = partial["figures"]["units"]
    assert units["empty"] == [BLANK_UNIT]
    assert units["missing"] and BLANK_UNIT not in units["missing"]


def test_built_verdicts_wait_for_the_units_they_depend_on(partial: dict) -> None:
    figures = partial["figures"]
    absent = _absent(figures)
    for result in figures["targets"]:
        target = TARGETS_BY_ID[result["id"]]
        depends = (
            absent
            if target.every_unit
            else [u for u in absent if u in lead_names(result["lead_unit"])]
        )
        whole_figures = whole(copy.deepcopy(figures))
        config = config_from_dict(LOOSE)
        on_partial = evaluate_one(target, whole_figures, config)["verdict"]
        if depends and on_partial in _OPEN[_grows(target.id)]:
            assert (result["verdict"], result["incomplete"]) == (INCOMPLETE, depends)
        else:
            assert result["verdict"] == on_partial, result["id"]
            assert "incomplete" not in result
    incomplete = [t for t in figures["targets"] if t["verdict"] == INCOMPLETE]
    # a met training target became 資料不全, and CEDAW宣導 (led by the blank unit) too or missed
    assert {t["id"] for t in incomplete} >= {t.id for t in TARGETS if t.every_unit}
    cedaw = next(t for t in figures["targets"] if t["id"] == "cedaw_sessions")
    assert BLANK_UNIT in lead_names(cedaw["lead_unit"])
    assert cedaw["verdict"] == (MET if cedaw["actual"] >= cedaw["required"] else INCOMPLETE)


def test_with_the_plan_target_a_missed_training_target_stays_missed(partial: dict) -> None:
    figures = copy.deepcopy(partial["figures"])
    for result in evaluate(figures, Config()):
        target = TARGETS_BY_ID[result["id"]]
        if target.every_unit and result["actual"] is not None and result["actual"] < 1:
            assert (result["verdict"], result["met"]) == (MISSED, False)


def test_findings_name_the_units_in_the_office_voice(partial: dict) -> None:
    figures = partial["figures"]
    said = findings(figures)
    for result in (t for t in figures["targets"] if t["verdict"] == INCOMPLETE):
        (finding,) = [f for f in said if f"「{result['label']}」" in f]
        for unit in result["incomplete"]:
            why = "繳交空白表" if unit in figures["units"]["empty"] else "未繳交資料"
            assert f"{unit}{why}" in finding
        assert "無法判定是否達成" in finding and "本所" in finding
        assert "請" not in finding.split("（主辦單位")[0]


def _notes_under_captions(doc: DocumentObject) -> dict[str, str]:
    """Each captioned table's and chart's note (the paragraph after it, 「註：…」), by 「表」 or
    「圖」 and its caption's title (表5 and 圖1 share one); "" for none."""
    found: dict[str, str] = {}
    caption: str | None = None
    after_table = False
    for block in doc.iter_inner_content():
        if isinstance(block, DocxTable):
            after_table = True
            continue
        text = block.text
        if match := re.match(r"([表圖])\d+　(.*)", text):
            caption, after_table = match.group(1) + match.group(2), match.group(1) == "圖"
            found[caption] = ""
        elif caption is not None and after_table:
            found[caption] = text if text.startswith("註：") else ""
            caption, after_table = None, False
    return found


def _with_history(figures: dict) -> dict:
    """The figures with an earlier year (its own units left out) and the plan ending now, so
    that the report has its 歷年比較 and 計畫期程總檢討."""
    figures = copy.deepcopy(figures)
    earlier = copy.deepcopy(figures)
    earlier["year"] = figures["year"] - 1
    earlier["units"]["empty"] = []
    for key in ("history", "plan", "built_at"):
        earlier.pop(key, None)
    figures["history"] = {str(earlier["year"]): earlier}
    figures["plan"] = {"first_year": earlier["year"], "last_year": figures["year"]}
    return figures


def _whole_agency_captions(figures: dict) -> list[str]:
    """The titles of every table and chart of the agency as a whole the report shows, from
    their declarations."""
    shown = as_shown(figures)
    captions = [t.caption for t in report_tables(shown) if t.in_report and t.whole_agency]
    captions += [t.title for t in TREND_TABLES if t.whole_agency and years(figures)]
    return captions


def test_every_whole_agency_table_and_chart_of_the_report_names_the_units(
    partial: dict, tmp_path: Path
) -> None:
    figures = _with_history(partial["figures"])
    path = tmp_path / "報告.docx"
    charts = _charts(tmp_path)
    render_report(figures, path, charts=charts)
    notes = _notes_under_captions(Document(str(path)))
    this_year = units_note(figures)
    absent = "、".join(_absent(figures))
    assert this_year and absent in this_year
    expected = _whole_agency_captions(figures)
    keys = {t.key for t in report_tables(as_shown(figures)) if t.whole_agency}
    assert keys >= AT_LEAST
    for caption in expected:
        assert absent in notes[f"表{caption}"], caption
    chart_titles = {
        "training_completion": "各類人員性別意識培力完訓率（依性別）",
        "training_trend": "全機關性別意識培力完訓率歷年趨勢（依性別）",
    }
    for name in WHOLE_AGENCY_CHARTS:
        assert absent in notes[f"圖{chart_titles[name]}"], name
    assert not notes["圖CEDAW宣導參與人數（依性別）"]
    # the years compared name each year's own units: the earlier year had no blank one
    earlier = "、".join(figures["history"][str(figures["year"] - 1)]["units"]["missing"])
    said = notes[f"圖{chart_titles['training_trend']}"]
    assert f"{figures['year'] - 1} 年度不含{earlier}；" in said
    assert figures["year"] - 1 in years(figures).shown
    review = period_review(figures, years(figures))
    assert review is not None and absent in review["units_note"]
    # a table of no whole-agency figure says nothing of units
    others = {t.caption for t in report_tables(as_shown(figures)) if not t.whole_agency}
    assert others and not any(absent in notes.get(f"表{c}", "") for c in others)


def _charts(folder: Path) -> dict[str, Path]:
    """A stand-in picture for every chart: the notes under charts do not depend on a font."""
    png = folder / "chart.png"
    Image.new("L", (8, 4), 255).save(png)
    return dict.fromkeys(CHART_NAMES, png)


def test_every_whole_agency_table_of_the_workbook_names_the_units(
    partial: dict, tmp_path: Path
) -> None:
    figures = _with_history(partial["figures"])
    path = tmp_path / "統計總表.xlsx"
    write_statistics(figures, path)
    workbook = openpyxl.load_workbook(path, read_only=True)
    tables = [t.for_workbook() for t in report_tables(as_shown(figures))]
    first = 1 + sum(t.number is not None for t in tables)
    tables += [t.for_workbook() for t in trend_tables(figures, first=first)]
    whole_agency = [t for t in tables if t.whole_agency]
    assert {t.key for t in whole_agency} >= AT_LEAST
    # two trend tables and the review's two (its grid and its totals)
    assert len([t for t in whole_agency if t.key.startswith(("trend_", "period_"))]) == 4
    absent = "、".join(_absent(figures))
    for table in tables:
        sheet = next(ws for ws in workbook.worksheets if ws.title == _sheet(table.name))
        cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v]
        said = any(absent in c for c in cells)
        assert said == table.whole_agency, table.name


def _sheet(name: str) -> str:
    return name[:31]


def test_chart_notes_only_under_whole_agency_charts(partial: dict) -> None:
    notes = chart_notes(partial["figures"])
    assert notes["training_completion"] == units_note(partial["figures"])
    assert all(not notes[n] for n in CHART_NAMES if n not in WHOLE_AGENCY_CHARTS)
    assert chart_notes(whole(copy.deepcopy(partial["figures"])))["training_completion"] == ""


def test_the_report_counts_incomplete_targets(partial: dict, tmp_path: Path) -> None:
    path = tmp_path / "報告.docx"
    render_report(partial["figures"], path)
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    count = sum(t["verdict"] == INCOMPLETE for t in partial["figures"]["targets"])
    assert count and f"資料不全 {count} 項" in text


# --- Over the years and in the roll-up ---------------------------------------------------


def test_an_incomplete_year_is_not_counted_as_met(partial: dict) -> None:
    figures = _with_history(partial["figures"])
    earlier = figures["history"][str(figures["year"] - 1)]
    for result in earlier["targets"]:
        result["verdict"], result["met"] = MET, True
    review = period_review(figures, years(figures))
    assert review is not None
    for row in review["targets"]:
        now = next(t for t in figures["targets"] if t["id"] == row["id"])["verdict"]
        assert row["met"] == 1 + (now in (MET, DONE)), row["id"]
        assert row["judged"] == 2


def test_the_rollup_counts_incomplete_apart(partial: dict, example: dict) -> None:
    incomplete = partial["figures"]
    agencies = {"甲區公所": incomplete, "乙區公所": example}
    for target in TARGETS:
        summary = target_summary(target, agencies)
        assert summary is not None
        waiting = [a for a, f in agencies.items() if _verdict(f, target.id) == INCOMPLETE]
        assert summary.incomplete == waiting
        assert not set(waiting) & {*summary.met, *summary.missed, *summary.other}
        assert summary.judged == len(summary.met) + len(summary.missed)
        assert (f"（{INCOMPLETE} {len(waiting)}）" in tally(summary)) == bool(waiting)
    summaries = [s for t in TARGETS if (s := target_summary(t, agencies))]
    table = agency_table(113, targets_sheet(summaries), agencies)
    column = table.columns.index(f"{INCOMPLETE}項數")
    for row, figures in zip(table.rows, agencies.values(), strict=False):
        assert row[column] == sum(t["verdict"] == INCOMPLETE for t in figures["targets"])
    assert TARGETS_INCOMPLETE.of(incomplete) > 0


def _verdict(figures: dict, target_id: str) -> str:
    return next(t["verdict"] for t in figures["targets"] if t["id"] == target_id)


def test_the_rollup_report_counts_incomplete_apart(partial: dict, example: dict) -> None:
    from gmreport.render.rollup_report import rollup_context
    from gmreport.rollup import Rollup, Submission

    submissions = [
        Submission(f"{name}.json", {**figures, "agency": name}, 0.0)  # type: ignore[typeddict-item]
        for name, figures in (("甲區公所", partial["figures"]), ("乙區公所", example))
    ]
    rollup = Rollup(113, submissions, [], [], expected=["甲區公所", "乙區公所"])
    context = rollup_context(rollup)
    for row in context["targets"]:
        target = next(t for t in TARGETS if t.city.name == row["name"])
        expected = ["甲區公所"] if _verdict(partial["figures"], target.id) == INCOMPLETE else []
        assert row["incomplete"] == expected
