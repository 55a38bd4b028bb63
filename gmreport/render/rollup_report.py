"""The city's Word 彙整報告: the roll-up rendered into its docxtpl template, with its charts.

The template (`templates/各機關執行成果彙整報告.docx`, made by
`tools/make_rollup_template.py`) shares the agency report's styles; numbers, rates and
dates go through the same `gmreport.format` filters (`report.make_environment`).
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate, InlineImage
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from .. import city
from .. import format as fmt
from ..atomic import atomic_path
from ..figures import GENDER_FIELDS, Gender, rate
from ..rollup import Rollup
from ..schema import EVERYONE
from .charts import (
    GREY,
    TEXT_PT,
    ChartFontWarning,
    Drawer,
    Stack,
    _figure,
    _finish,
    _stacked,
    save_charts,
)
from .report import CHART_WIDTH, make_environment, shipped_template

ROLLUP_REPORT_NAME = "{year}年度各機關性別主流化執行成果彙整報告.docx"
TEMPLATE_NAME = "各機關執行成果彙整報告.docx"
MET_COLOR, MISSED_COLOR, OTHER_COLOR = "#404040", "#F4B183", "#D9D9D9"
"""Dark, light and lighter in grayscale print; 未達成 is also hatched."""
COMPLETION_BINS = (
    (0.0, 0.8, "未滿80%"),
    (0.8, 0.9, "80%～未滿90%"),
    (0.9, 0.95, "90%～未滿95%"),
    (0.95, 1.0, "95%～未滿100%"),
)

CITY_TRAINING: tuple[
    tuple[str, city.Part, Mapping[Gender, city.Measure], Callable[[Any], str]], ...
] = (
    ("應訓人數", "required", city.REQUIRED, fmt.number),
    ("完訓人數", "completed", city.COMPLETED, fmt.number),
    ("完訓率", "rate", city.COMPLETION, fmt.percent),
)
"""The city's training figures by 性別 in the report: label, part, measures, their text."""


SHOWN = {
    part: {
        g: city.Column("", measures[g], city.shown_by(EVERYONE.key, part, g)) for g in GENDER_FIELDS
    }
    for _, part, measures, _ in CITY_TRAINING
}
"""The whole agency's training figures by 性別: an agency's as its report showed it, and the
city's (hidden if an agency's was)."""
SHOWN_RATE = SHOWN["rate"]["total"]
CITY: Mapping[str, city.Measure] = {
    "meetings.count": city.MEETINGS,
    "meetings.members.total": city.MEMBERS["total"],
    "meetings.members.female_ratio": city.female_ratio(city.MEMBERS),
    "gia.count": city.GIA,
    "gia.expert_consulted": city.EXPERTS,
    "indicators.count": city.INDICATORS,
    "indicators.new": city.NEW_INDICATORS,
    "indicators.revised": city.REVISED_INDICATORS,
    "indicators.cross_classified": city.CROSS_CLASSIFIED,
    "budget.allocated": city.ALLOCATED,
    "budget.executed": city.EXECUTED,
    "budget.execution_rate": city.EXECUTION,
    "budget.beneficiaries.total": city.BENEFICIARIES["total"],
    "cedaw.sessions": city.CEDAW,
    "cedaw.participants.total": city.PARTICIPANTS["total"],
    "cedaw.participants.female_ratio": city.female_ratio(city.PARTICIPANTS),
    "cedaw.reach": city.CEDAW_REACH,
    "other_measures.count": city.MEASURES,
    "other_measures.participants.total": city.MEASURE_PARTICIPANTS["total"],
    "other_measures.reach": city.MEASURES_REACH,
}
"""The city's figures the template reads (`city['gia.count']`), by the template's names; its
training figures, as the agencies' reports showed them, are `SHOWN`'s."""
AGENCY: Mapping[str, city.Measure] = {
    "meetings": city.MEETINGS,
    "indicators": city.INDICATORS,
    "allocated": city.ALLOCATED,
    "executed": city.EXECUTED,
    "execution_rate": city.EXECUTION,
    "cedaw": city.CEDAW,
    "participants": city.PARTICIPANTS["total"],
    "measures": city.MEASURES,
}
"""Each agency's figures the template reads (`a.meetings`), by the template's names."""
TREND: Mapping[str, city.Measure | city.Column] = {
    "agencies": city.AGENCY_COUNT,
    "completion_rate": SHOWN_RATE,
    "meetings": city.MEETINGS,
    "cedaw_sessions": city.CEDAW,
    "cedaw_participants": city.PARTICIPANTS["total"],
    "execution_rate": city.EXECUTION,
    "targets_rate": city.TARGETS_RATE,
}
"""Each year's figures of the city's trend the template reads (`y.meetings`)."""


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def rollup_context(rollup: Rollup) -> dict[str, Any]:
    """What the template reads: the city's totals, each agency as its report showed it (a
    city total of a figure some agency hid is hidden too), the targets across agencies, the
    trend over the years and the files left out."""
    found = city.agencies(rollup)
    completion_rank = city.ranks(SHOWN_RATE, found)
    training = {part: _genders(columns, found) for part, columns in SHOWN.items()}
    rates = _rates(found)
    years = city.trend(rollup)
    return {
        "year": rollup.year,
        "draft": False,
        "agency_count": len(rollup.submissions),
        "expected_count": len(rollup.expected),
        "missing": rollup.missing,
        "partial": [
            f"{agency}（{note}）" for agency, f in found.items() if (note := city.absent_units(f))
        ],
        "unexpected": rollup.unexpected,
        "city": {key: city.plain(m.total(found)) for key, m in CITY.items()},
        "training_sentence": _training_sentence(training),
        "members": _genders(city.MEMBERS, found),
        "beneficiaries": _genders(city.BENEFICIARIES, found),
        "cedaw": _genders(city.PARTICIPANTS, found),
        "city_training": [
            {"label": label, **{g: text(v) for g, v in training[part].items()}}
            for label, part, _, text in CITY_TRAINING
        ],
        "median_completion": city.median(SHOWN_RATE, found),
        "rates_shown": len(rates),  # the median is of these: a hidden rate is no value
        "full_completion": sum(r >= 1 for r in rates),
        "gia_agencies": sum((city.GIA.of(f) or 0) > 0 for f in found.values()),
        "agencies": [
            {
                "name": agency,
                "required": SHOWN["required"]["total"].value(f),
                "completed": SHOWN["completed"]["total"].value(f),
                "rate": {g: column.value(f) for g, column in SHOWN["rate"].items()},
                "rank": completion_rank[agency],
                **{key: city.plain(m.of(f)) for key, m in AGENCY.items()},
            }
            for agency, f in found.items()
        ],
        "targets": [
            {
                "name": t.target.city.name,
                "work_item": t.target.work_item,
                "met": t.met,
                "missed": t.missed,
                "incomplete": t.incomplete,
                "missed_named": city.with_absent_units(t.missed, found, t.target),
                "incomplete_named": city.with_absent_units(t.incomplete, found, t.target),
                "judged": t.judged,
                "done_kind": t.done_kind,
                "rate": rate(len(t.met), t.judged),
            }
            for t in city.target_summaries(found)
        ],
        "trend": [
            {
                "year": y.year,
                **{key: city.plain(m.total(y.agencies)) for key, m in TREND.items()},
            }
            for y in years
        ],
        "trend_sentence": trend_sentence(years),
        "left_out": [{"file": p.file, "reason": p.message} for p in rollup.left_out],
        "set_aside": [{"file": p.file, "reason": p.message} for p in rollup.set_aside],
        "charts": {"completion": None, "targets": None, "trend": None},
    }


def _genders(
    measures: Mapping[Gender, city.Measure | city.Column], agencies: city.Agencies
) -> dict[str, Any]:
    return {g: city.plain(measures[g].total(agencies)) for g in GENDER_FIELDS}


def _rates(found: city.Agencies) -> list[float]:
    """The agencies' 完訓率 that their reports showed (a hidden rate is no value)."""
    return [r for f in found.values() if (r := _number(SHOWN_RATE.value(f))) is not None]


def _training_sentence(training: Mapping[city.Part, Mapping[str, Any]]) -> str:
    """The city's 應訓, 完訓 and 完訓率 in words; a figure an agency's report hid (and so the
    city's) is left out, or said to be protected."""
    said = ""
    required, completed = training["required"]["total"], training["completed"]["total"]
    if isinstance(required, int | float) and isinstance(completed, int | float):
        said = f"各機關應訓人員合計 {fmt.number(required)} 人，完訓 {fmt.number(completed)} 人，"
    rates = [
        f"{label} {fmt.percent(training['rate'][g])}"
        for g, label in (("male", "男性"), ("female", "女性"))
        if isinstance(training["rate"][g], int | float)
    ]
    total = training["rate"]["total"]
    said += (
        f"全市完訓率 {fmt.percent(total)}"
        if isinstance(total, int | float)
        else "全市完訓率依個資保護原則不予揭露"
    )
    return said + (f"（{'、'.join(rates)}）" if rates else "")


def trend_sentence(years: list[city.Year]) -> str:
    """The change of the city's 完訓率 from the first year to the last, in percentage points."""
    if len(years) < 2:
        return ""
    first, last = (_number(SHOWN_RATE.total(y.agencies)) for y in (years[0], years[-1]))
    if first is None or last is None:
        return ""
    change = fmt.half_up(last - first, 1, scale=2)
    way = "持平" if change == 0 else f"{'提高' if change > 0 else '降低'} {abs(change)} 個百分點"
    return (
        f"全市性別意識培力完訓率由{years[0].year}年度之 {fmt.percent(first)}"
        f"，至{years[-1].year}年度為 {fmt.percent(last)}，{way}。"
    )


def make_rollup_charts(rollup: Rollup, folder: Path) -> dict[str, Path]:
    """The roll-up's charts as PNG files; {} (after a ChartFontWarning) without a CJK font."""
    drawers: dict[str, Drawer[Rollup]] = {
        "completion": lambda r, font: _completion_chart(city.agencies(r), font),
        "targets": lambda r, font: _targets_chart(city.target_summaries(city.agencies(r)), font),
        "trend": lambda r, font: _trend_chart(city.trend(r), font),
    }
    return save_charts(drawers, rollup, folder, "彙整報告")


def _targets_chart(summaries: list[city.TargetSummary], font: FontProperties) -> Figure | None:
    """One bar per target: agencies that met it, did not, whose verdict waits for units'
    data (資料不全, dotted), or had nothing to judge."""
    if not summaries:
        return None
    fig, ax = _figure(max(2.2, 0.8 + 0.32 * len(summaries)))
    stacks = (
        Stack("達成（已辦理）", [len(t.met) for t in summaries], MET_COLOR, "", ink="white"),
        Stack("未達成（未辦理）", [len(t.missed) for t in summaries], MISSED_COLOR, "////"),
        Stack("資料不全", [len(t.incomplete) for t in summaries], OTHER_COLOR, "...."),
        Stack("不適用（無應訓人員）", [len(t.other) for t in summaries], OTHER_COLOR, ""),
    )
    names = [t.target.city.name for t in summaries]
    _, parts = _stacked(ax, names, [s for s in stacks if any(s.counts)], font, "機關數", 1.05)
    labels = _finish(fig, ax, font, 3)
    for bar, n, ink in parts:  # its count in its middle, where it fits (the table has every count)
        labels.fits_in(f"{n}", bar, ink)
    return fig


def _completion_chart(found: city.Agencies, font: FontProperties) -> Figure | None:
    """How many agencies fall in each band of 完訓率."""
    rates = _rates(found)
    if not rates:
        return None
    labels = [label for *_, label in COMPLETION_BINS] + ["100%"]
    counts = [sum(low <= r < high for r in rates) for low, high, _ in COMPLETION_BINS]
    counts.append(sum(r >= 1 for r in rates))
    fig, ax = _figure(2.6)
    bars = ax.bar(range(len(labels)), counts, 0.6, color=MET_COLOR, zorder=2)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_ylim(0, max(counts) * 1.2 + 1)
    ax.set_ylabel("機關數", fontproperties=font, fontsize=TEXT_PT, color=GREY)
    ax.yaxis.get_major_locator().set_params(integer=True)
    placed = _finish(fig, ax, font)
    for bar, n in zip(bars, counts, strict=True):
        placed.place(
            f"{n}",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            [(0, 2, "center", "bottom")],
        )
    return fig


def _trend_chart(years: list[city.Year], font: FontProperties) -> Figure | None:
    if len(years) < 2:
        return None
    fig, ax = _figure(2.6)
    xs = [f"{y.year}年度" for y in years]
    for label, measure, style, marker in (
        ("全市完訓率", SHOWN_RATE, "-", "o"),
        ("目標達成比例", city.TARGETS_RATE, "--", "s"),
    ):
        values = [_number(measure.total(y.agencies)) for y in years]
        points = [(x, v * 100) for x, v in zip(xs, values, strict=True) if v is not None]
        if points:
            ax.plot(*zip(*points, strict=True), style, marker=marker, color="#222222", label=label)
    ax.set_ylim(0, 110)
    ax.set_yticks(range(0, 101, 20), [f"{v}%" for v in range(0, 101, 20)])
    _finish(fig, ax, font, 2)
    return fig


def render_rollup_report(rollup: Rollup, path: Path) -> list[str]:
    """Render the roll-up into the Word 彙整報告 at `path` (atomically); returns notes for
    the person (e.g. no charts without a Chinese font)."""
    notes: list[str] = []
    context = rollup_context(rollup)
    with (
        shipped_template(TEMPLATE_NAME) as template,
        tempfile.TemporaryDirectory(prefix="gmreport-rollup-") as charts_dir,
        warnings.catch_warnings(record=True, action="always", category=ChartFontWarning) as caught,
    ):
        doc = DocxTemplate(template)
        for name, png in make_rollup_charts(rollup, Path(charts_dir)).items():
            context["charts"][name] = InlineImage(doc, str(png), width=CHART_WIDTH)
        notes += [str(w.message) for w in caught]
        doc.render(context, make_environment(), autoescape=True)
        with atomic_path(path) as tmp:  # a failed write is said by atomic_path
            doc.save(tmp)
    return notes
