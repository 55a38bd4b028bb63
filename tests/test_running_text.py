"""The report's sentences, findings, 考核 table and charts never state a staff figure that
privacy hides, nor count 1 or 2 people short of their hours (SPEC v3 §3 ◆): a hidden
figure is left out or reads 「—（個資保護）」, a verdict then stands alone, and so few
people short of their hours are 「部分人員」. Verdicts stay judged on the exact figures."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from docx import Document

from gmreport.format import SUPPRESSED, average_hours, genders, hours, number, percent
from gmreport.privacy import PROTECTED_TEXT, as_shown, hidden, small
from gmreport.render import charts
from gmreport.schema import GENDER_KEYS
from gmreport.targets import MISSED

from .conftest import once
from .test_disclosure import ONE_OTHER, TWO_OTHER, _figures
from .test_report import captioned_tables

MEN_AND_WOMEN = [
    *[[f"男{i}", "男", "公務人員", "", "", "30-39歲"] for i in range(20)],
    *[[f"女{i}", "女", "公務人員", "", "", "40-49歲"] for i in range(20)],
]
OTHER_FIRST = [ONE_OTHER[-1], *ONE_OTHER[:-1]]
"""One colleague of 其他, who is the one short of hours (`short` takes the first rows)."""
NEWCOMER = [*ONE_OTHER, ["新人", "男", "公務人員", "", "", "30-39歲", "113/11/1"]]
"""One colleague of 其他, and one who joined too late in the year to be 應訓."""
EVERYONE = "training.groups.all"
REPORT = "113年度性別主流化執行成果報告.docx"

CASES = {
    "one-other-1-short": (ONE_OTHER, 1),
    "one-other-2-short": (ONE_OTHER, 2),
    "two-other-1-short": (TWO_OTHER, 1),
    "two-other-2-short": (TWO_OTHER, 2),
    "the-other-colleague-short": (OTHER_FIRST, 1),
    "a-newcomer": (NEWCOMER, 1),
    "no-small-group-1-short": (MEN_AND_WOMEN, 1),
    "no-small-group-2-short": (MEN_AND_WOMEN, 2),
    "no-small-group-5-short": (MEN_AND_WOMEN, 5),
}


class Built(NamedTuple):
    figures: Any  # exact, with the `suppressed` list the build chose
    paragraphs: list[str]
    findings: list[str]
    tables: dict[str, list[list[str]]]
    short: int


@pytest.fixture(scope="module", params=list(CASES))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Each case built once for all workers."""
    roster, short = CASES[request.param]

    def make(tmp: Path) -> Built:
        figures = _figures(tmp, roster, short, written=True)
        doc = Document(str(tmp / "out" / REPORT))
        paragraphs = [p.text for p in doc.paragraphs if p.text]
        numbered = [p.text for p in doc.paragraphs if p.style.style_id == "Finding"]
        return Built(figures, paragraphs, numbered, captioned_tables(doc), short)

    return once(tmp_path_factory, f"running-text-{request.param}", make)


def _running(built: Built) -> list[str]:
    """The report's running text: every paragraph but the notes under tables (which say
    what 「*」 means) and the captions."""
    return [
        p for p in built.paragraphs if not p.startswith("註：") and not re.match(r"[表圖]\d", p)
    ]


def _shown_values(figures: Any) -> set[str]:
    """Every staff figure the tables show, as text the way a sentence would state it."""
    shown = as_shown(figures)["training"]
    rows = [*shown["groups"].values(), *shown["by_age"], *shown["by_supervisor"]]
    out: set[str] = set()
    for row in rows:
        for part in ("required", "completed"):
            out |= {number(v) for v in row[part].values() if v != SUPPRESSED}
        out |= {percent(v) for v in row["rate"].values() if isinstance(v, int | float)}
        for key, say in (("hours", hours), ("average_hours", average_hours)):
            if isinstance(row.get(key), int | float):
                out.add(say(row[key]))
    out |= {number(v) for v in shown["not_required"].values() if v != SUPPRESSED}
    return out


def _numbers(text: str) -> set[str]:
    """The numbers a text states, its references to tables and charts (表4、圖1) aside."""
    return set(re.findall(r"\d[\d,]*(?:\.\d+)?%?", re.sub(r"[表圖]\d+", "", text)))


def test_no_star_and_no_small_count_in_running_text(built: Built) -> None:
    running = _running(built)
    assert running
    for text in running:
        assert SUPPRESSED not in text, text
        assert not re.search(r"其他 ?\d", text), text  # a 性別 of 1 or 2 never said
        assert not re.search(r"尚有 ?[12] ?(?:人|名)", text), text  # short of hours


def test_the_training_paragraph_states_only_what_the_tables_show(built: Built) -> None:
    figures = built.figures
    everyone = figures["training"]["groups"]["all"]
    sentence = next(p for p in built.paragraphs if p.startswith("本年度在職滿"))
    allowed = _shown_values(figures) | {
        number(figures["training"]["min_service_days"]),
        hours(figures["training"]["total_hours"]),
    }
    assert _numbers(sentence) <= allowed
    if hidden(figures, f"{EVERYONE}.required.total"):

        def listed(part: str, text: Any) -> str:
            """The 性別 of `part` the tables show, as the sentence lists them."""
            return "、".join(
                f"{label}{text(everyone[part][g])}"
                for g, label in (("male", "男性"), ("female", "女性"))
                if not hidden(figures, f"{EVERYONE}.{part}.{g}")
            )

        assert (
            f"應訓人員，{listed('required', lambda n: f' {n} 人')}，達目標時數者（完訓）"
            f"{listed('completed', lambda n: f' {n} 人')}，完訓率{listed('rate', lambda r: f' {percent(r)}')}；"
        ) in sentence
        assert "未列出之全機關合計數據，係依個資保護原則不予揭露。" in sentence
        assert f"計 {everyone['required']['total']} 人" not in sentence
        assert f"平均每人 {average_hours(everyone['average_hours'])}" not in sentence
    else:
        assert f"計 {everyone['required']['total']} 人（" in sentence
        assert f"完訓率 {percent(everyone['rate']['total'])}（" in sentence
        assert "個資保護" not in sentence
    away = figures["training"]["not_required"]
    if hidden(figures, "training.not_required.short_service"):
        assert "未列入應訓人員，其人數依個資保護原則不予揭露。" in sentence
    elif away["short_service"]:
        assert f"到職或離職致在職日數不足 {away['short_service']} 人" in sentence


def test_findings_state_no_hidden_figure_and_say_some_for_one_or_two(built: Built) -> None:
    figures = built.figures
    everyone = figures["training"]["groups"]["all"]
    training = [f for f in built.findings if "完訓率" in f]
    assert training  # every case has someone short of hours: the target is missed
    civil = figures["training"]["groups"]["civil_servants"]
    short = civil["required"]["total"] - civil["completed"]["total"]
    assert short == built.short  # the fixtures' people short of hours are all 公務人員
    counts = [f"training.groups.civil_servants.{p}.total" for p in ("required", "completed")]
    derived = set() if any(hidden(figures, c) for c in counts) else {number(short)}
    allowed = _shown_values(figures) | {"100%"} | derived
    for finding in training:
        assert _numbers(finding) <= allowed, finding
    agency = next(f for f in training if f.startswith("全機關"))
    total = everyone["rate"]["total"]
    if hidden(figures, f"{EVERYONE}.rate.total"):
        assert agency.startswith(
            "全機關性別意識培力完訓率未達 100% 之目標（完訓率依個資保護原則不予揭露）。"
        )
        assert percent(total) not in "".join(built.findings)
    else:
        assert agency.startswith(f"全機關性別意識培力完訓率 {percent(total)}")
    said = "".join(training)
    if not hidden(figures, "training.groups.civil_servants.rate.total"):
        if small(short, figures):
            assert "公務人員完訓率" in said and "部分人員未達目標時數" in said
        else:
            assert f"尚有 {short} 人未達目標時數" in said
    else:
        assert "公務人員完訓率 " not in said  # nor named as the group that missed
    assert "尚有 1 人" not in said and "尚有 2 人" not in said


def test_the_targets_table_hides_what_privacy_hides_and_keeps_the_verdicts(built: Built) -> None:
    figures = built.figures
    rows = {r[2].split("（依據")[0]: r for r in built.tables["目標達成情形"][1:]}
    results = {t["id"]: t for t in figures["targets"]}
    agency = rows["全機關性別意識培力完訓率達 100%"]
    exact = results["training_completion"]
    assert exact["verdict"] == MISSED and agency[-1] == MISSED  # judged on the exact figures
    if hidden(figures, f"{EVERYONE}.rate.total"):
        assert agency[4] == PROTECTED_TEXT
    else:
        assert agency[4] == percent(exact["actual"])
    groups = figures["training"]["groups"]
    other_staff = rows["職工及自僱非公務人員完訓率達 100%"]
    path = "training.groups.other_staff.rate.total"
    rate = groups["other_staff"]["rate"]["total"]
    shown = PROTECTED_TEXT if hidden(figures, path) else percent(rate)
    assert other_staff[4] == shown  # the target names the group
    assert other_staff[-1] == results["training_other_staff"]["verdict"]
    for row in built.tables["目標達成情形"]:
        assert SUPPRESSED not in "".join(row)


def _drawn(drawer: Any, figures: Any) -> Any:
    """The Figure `drawer` makes of `figures`, in the charts' typefaces."""
    families = charts.typefaces()
    if families is None:
        pytest.skip("需要中文字型才能繪製統計圖")
    return charts.draw_figures({"chart": drawer}, figures, families).get("chart")


def test_the_completion_chart_marks_a_hidden_rate_with_a_star(built: Built) -> None:
    shown = as_shown(built.figures)
    fig = _drawn(charts._training_completion, shown)
    assert fig is not None
    (ax,) = fig.axes
    labels = [t.get_text() for t in ax.texts]
    groups = [shown["training"]["groups"][g] for g in ("civil_servants", "supervisors")]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    keys = [k for label, k in GENDER_KEYS.items() if label in legend]
    rates = [
        r for g in shown["training"]["groups"].values() for k, r in g["rate"].items() if k in keys
    ]
    drawn = [r for r in rates if r != SUPPRESSED]
    assert len(ax.patches) == len(drawn)  # a bar each, and a label each
    assert sorted(t for t in labels if t != SUPPRESSED) == sorted(percent(r) for r in drawn)
    assert labels.count(SUPPRESSED) == len(rates) - len(drawn)
    renderer = fig.canvas.get_renderer()
    spine = ax.spines["left"].get_window_extent(renderer)
    for star in (t for t in ax.texts if t.get_text() == SUPPRESSED):
        assert star.get_window_extent(renderer).x0 > spine.x1  # beside the axis, not under it
    other_shown = any(isinstance(g["rate"]["other"], float) for g in groups)
    assert ("其他" in legend) is other_shown
    said = ax.get_xlabel()
    assert (said == charts.HIDDEN_NOTE) is (len(rates) > len(drawn))


def test_the_trend_chart_draws_no_hidden_rate(built: Built) -> None:
    figures = copy.deepcopy(built.figures)
    figures["history"] = {"112": {**copy.deepcopy(built.figures), "year": 112, "history": {}}}
    fig = _drawn(charts._training_trend, figures)
    assert fig is not None
    (ax,) = fig.axes
    assert SUPPRESSED not in [t.get_text() for t in ax.texts]
    lines = [t.get_text() for t in ax.get_legend().get_texts()]
    assert ("合計" in lines) is not hidden(figures, f"{EVERYONE}.rate.total")
    assert "其他" not in lines or not hidden(figures, f"{EVERYONE}.rate.other")


def test_hidden_reads_the_suppressed_list_and_the_form_of_files_before_v3() -> None:
    figures: Any = {"suppressed": ["training.groups.all.rate.total", "training.groups.x.other"]}
    assert hidden(figures, "training.groups.all.rate.total")
    assert not hidden(figures, "training.groups.all.rate.male")
    for part in ("required", "completed", "rate"):
        assert hidden(figures, f"training.groups.x.{part}.other")
    assert not hidden(figures, "training.groups.x.required.male")
    assert not hidden(figures, "training.groups.x.hours")


@pytest.mark.parametrize(("count", "few"), [(0, False), (1, True), (2, True), (3, False)])
def test_one_or_two_people_are_too_few_to_count(count: int, few: bool) -> None:
    figures: Any = {"privacy": {"min_cell": 3}}
    assert small(count, figures) is few
    assert small(count, {"privacy": {"min_cell": 5}}) is (0 < count < 5)


def test_the_gender_split_leaves_out_what_is_hidden_and_an_empty_other() -> None:
    assert genders({"male": 3, "female": 4, "other": 0}) == "男性 3 人、女性 4 人"
    assert genders({"male": 3, "female": 4, "other": 5}) == "男性 3 人、女性 4 人、其他 5 人"
    assert genders({"male": 39, "female": 53, "other": SUPPRESSED}) == "男性 39 人、女性 53 人"
    assert genders({"male": SUPPRESSED, "female": SUPPRESSED, "other": 0}) == ""
    rates = {"male": 1.0, "female": 0.9625, "other": None}
    assert genders(rates, rates=True) == "男性 100.0%、女性 96.3%"
    assert genders({**rates, "other": 0.0}, rates=True).endswith("、其他 0.0%")
    assert genders({**rates, "other": SUPPRESSED}, rates=True) == "男性 100.0%、女性 96.3%"


def test_the_statistics_workbook_targets_sheet_hides_the_same(tmp_path: Path) -> None:
    """The 考核 table of the 統計總表 is the same declared table: 「—（個資保護）」 there too."""
    import openpyxl

    figures = _figures(tmp_path, ONE_OTHER, 1, written=True)
    assert hidden(figures, f"{EVERYONE}.rate.total")
    wb = openpyxl.load_workbook(tmp_path / "out" / "113年度性別主流化統計總表.xlsx")
    sheet = next(ws for ws in wb.worksheets if ws.title.split(" ")[-1] == "目標達成情形")
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert PROTECTED_TEXT in values
    assert percent(figures["training"]["groups"]["all"]["rate"]["total"]) not in values
    assert not any(SUPPRESSED in v for v in values if not v.startswith("註"))
