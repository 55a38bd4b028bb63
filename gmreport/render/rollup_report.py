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
from typing import Any, Literal

from docxtpl import DocxTemplate, InlineImage
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from .. import format as fmt
from ..atomic import atomic_path
from ..city import (
    AGENCY_COUNT,
    ALLOCATED,
    BENEFICIARIES,
    CEDAW,
    CEDAW_REACH,
    COMPLETED,
    COMPLETION,
    CROSS_CLASSIFIED,
    EXECUTED,
    EXECUTION,
    EXPERTS,
    GIA,
    INDICATORS,
    MEASURE_PARTICIPANTS,
    MEASURES,
    MEASURES_REACH,
    MEETINGS,
    MEMBERS,
    NEW_INDICATORS,
    PARTICIPANTS,
    REQUIRED,
    REVISED_INDICATORS,
    TARGETS_RATE,
    Agencies,
    Column,
    Measure,
    TargetSummary,
    Year,
    absent_units,
    agencies,
    female_ratio,
    median,
    plain,
    ranks,
    shown_by,
    shown_training,
    target_summaries,
    trend,
    with_absent_units,
)
from ..figures import GENDER_FIELDS, Gender, rate
from ..rollup import Rollup
from ..schema import EVERYONE
from .charts import (
    GREY,
    TEXT_PT,
    ChartFontWarning,
    Labels,
    _figure,
    _legend,
    _settle,
    _style_ticks,
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

Part = Literal["required", "completed", "rate"]
CITY_TRAINING: tuple[tuple[str, Part, Mapping[Gender, Measure], Callable[[Any], str]], ...] = (
    ("應訓人數", "required", REQUIRED, fmt.number),
    ("完訓人數", "completed", COMPLETED, fmt.number),
    ("完訓率", "rate", COMPLETION, fmt.percent),
)
"""The city's training figures by 性別 in the report: label, part, measures, their text."""


def _shown(part: Part, measures: Mapping[Gender, Measure], gender: Gender) -> Column:
    """An agency's training figure as its report showed it, and the city's (hidden if an
    agency's was)."""
    return Column("", measures[gender], shown_by(EVERYONE.key, part, gender))


SHOWN_RATE = _shown("rate", COMPLETION, "total")
CITY: Mapping[str, Measure] = {
    "meetings.count": MEETINGS,
    "meetings.members.total": MEMBERS["total"],
    "meetings.members.female_ratio": female_ratio(MEMBERS),
    "gia.count": GIA,
    "gia.expert_consulted": EXPERTS,
    "indicators.count": INDICATORS,
    "indicators.new": NEW_INDICATORS,
    "indicators.revised": REVISED_INDICATORS,
    "indicators.cross_classified": CROSS_CLASSIFIED,
    "budget.allocated": ALLOCATED,
    "budget.executed": EXECUTED,
    "budget.execution_rate": EXECUTION,
    "budget.beneficiaries.total": BENEFICIARIES["total"],
    "cedaw.sessions": CEDAW,
    "cedaw.participants.total": PARTICIPANTS["total"],
    "cedaw.participants.female_ratio": female_ratio(PARTICIPANTS),
    "cedaw.reach": CEDAW_REACH,
    "other_measures.count": MEASURES,
    "other_measures.participants.total": MEASURE_PARTICIPANTS["total"],
    "other_measures.reach": MEASURES_REACH,
}
"""The city's figures the template reads (`city['gia.count']`), by the template's names. Its
training figures (`city['all.rate.total']`), as the agencies' reports showed them, are
added from `CITY_TRAINING` (`rollup_context`)."""
AGENCY: Mapping[str, Measure] = {
    "meetings": MEETINGS,
    "indicators": INDICATORS,
    "allocated": ALLOCATED,
    "executed": EXECUTED,
    "execution_rate": EXECUTION,
    "cedaw": CEDAW,
    "participants": PARTICIPANTS["total"],
    "measures": MEASURES,
}
"""Each agency's figures the template reads (`a.meetings`), by the template's names."""
TREND: Mapping[str, Measure | Column] = {
    "agencies": AGENCY_COUNT,
    "completion_rate": SHOWN_RATE,
    "meetings": MEETINGS,
    "cedaw_sessions": CEDAW,
    "cedaw_participants": PARTICIPANTS["total"],
    "execution_rate": EXECUTION,
    "targets_rate": TARGETS_RATE,
}
"""Each year's figures of the city's trend the template reads (`y.meetings`)."""


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def rollup_context(rollup: Rollup) -> dict[str, Any]:
    """What the template reads: the city's totals, each agency as its report showed it (a
    city total of a figure some agency hid is hidden too), the targets across agencies, the
    trend over the years and the files left out."""
    found = agencies(rollup)
    completion_rank = ranks(SHOWN_RATE, found)
    city = {key: plain(m.total(found)) for key, m in CITY.items()}
    for _, part, measures, _ in CITY_TRAINING:
        city |= {
            f"all.{part}.{g}": plain(_shown(part, measures, g).total(found)) for g in GENDER_FIELDS
        }
    rates = [r for f in found.values() if (r := _number(SHOWN_RATE.value(f))) is not None]
    years = trend(rollup)
    return {
        "year": rollup.year,
        "draft": False,
        "agency_count": len(rollup.submissions),
        "expected_count": len(rollup.expected),
        "missing": rollup.missing,
        "partial": [
            f"{agency}（{note}）" for agency, f in found.items() if (note := absent_units(f))
        ],
        "unexpected": rollup.unexpected,
        "city": city,
        "training_sentence": _training_sentence(city),
        "members": _genders(MEMBERS, found),
        "beneficiaries": _genders(BENEFICIARIES, found),
        "cedaw": _genders(PARTICIPANTS, found),
        "city_training": [
            {"label": label, **{g: shown(city[f"all.{part}.{g}"]) for g in GENDER_FIELDS}}
            for label, part, _, shown in CITY_TRAINING
        ],
        "median_completion": median(SHOWN_RATE, found),
        "rates_shown": len(rates),  # the median is of these: a hidden rate is no value
        "full_completion": sum(r >= 1 for r in rates),
        "gia_agencies": sum((GIA.of(f) or 0) > 0 for f in found.values()),
        "agencies": [
            {
                "name": agency,
                "required": shown_training(f, EVERYONE.key, "required", "total"),
                "completed": shown_training(f, EVERYONE.key, "completed", "total"),
                "rate": {g: shown_training(f, EVERYONE.key, "rate", g) for g in GENDER_FIELDS},
                "rank": completion_rank[agency],
                **{key: plain(m.of(f)) for key, m in AGENCY.items()},
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
                "missed_named": with_absent_units(t.missed, found, t.target),
                "incomplete_named": with_absent_units(t.incomplete, found, t.target),
                "judged": t.judged,
                "done_kind": t.done_kind,
                "rate": rate(len(t.met), t.judged),
            }
            for t in target_summaries(found)
        ],
        "trend": [
            {
                "year": y.year,
                **{key: plain(m.total(y.agencies)) for key, m in TREND.items()},
            }
            for y in years
        ],
        "trend_sentence": trend_sentence(years),
        "left_out": [{"file": p.file, "reason": p.message} for p in rollup.left_out],
        "set_aside": [{"file": p.file, "reason": p.message} for p in rollup.set_aside],
        "charts": {"completion": None, "targets": None, "trend": None},
    }


def _genders(measures: Mapping[Gender, Measure], agencies: Agencies) -> dict[str, Any]:
    return {g: plain(measures[g].total(agencies)) for g in GENDER_FIELDS}


def _training_sentence(city: Mapping[str, Any]) -> str:
    """The city's 應訓, 完訓 and 完訓率 in words; a figure an agency's report hid (and so the
    city's) is left out, or said to be protected."""
    said = ""
    required, completed = city["all.required.total"], city["all.completed.total"]
    if isinstance(required, int | float) and isinstance(completed, int | float):
        said = f"各機關應訓人員合計 {fmt.number(required)} 人，完訓 {fmt.number(completed)} 人，"
    rates = [
        f"{label} {fmt.percent(city[f'all.rate.{g}'])}"
        for g, label in (("male", "男性"), ("female", "女性"))
        if isinstance(city[f"all.rate.{g}"], int | float)
    ]
    total = city["all.rate.total"]
    said += (
        f"全市完訓率 {fmt.percent(total)}"
        if isinstance(total, int | float)
        else "全市完訓率依個資保護原則不予揭露"
    )
    return said + (f"（{'、'.join(rates)}）" if rates else "")


def trend_sentence(years: list[Year]) -> str:
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
    drawers: dict[str, Callable[[Rollup, FontProperties], Figure | None]] = {
        "completion": lambda r, font: _completion_chart(agencies(r), font),
        "targets": lambda r, font: _targets_chart(target_summaries(agencies(r)), font),
        "trend": lambda r, font: _trend_chart(trend(r), font),
    }
    return save_charts(drawers, rollup, folder, "彙整報告")


def _targets_chart(summaries: list[TargetSummary], font: FontProperties) -> Figure | None:
    """One bar per target: agencies that met it, did not, whose verdict waits for units'
    data (資料不全, dotted), or had nothing to judge."""
    if not summaries:
        return None
    fig, ax = _figure(max(2.2, 0.8 + 0.32 * len(summaries)))
    ys = list(range(len(summaries)))[::-1]
    left = [0] * len(summaries)
    drawn: list[Any] = []
    for label, values, color, hatch in (
        ("達成（已辦理）", [len(t.met) for t in summaries], MET_COLOR, ""),
        ("未達成（未辦理）", [len(t.missed) for t in summaries], MISSED_COLOR, "////"),
        ("資料不全", [len(t.incomplete) for t in summaries], OTHER_COLOR, "...."),
        ("不適用（無應訓人員）", [len(t.other) for t in summaries], OTHER_COLOR, ""),
    ):
        if not any(values):
            continue
        bars = ax.barh(
            ys, values, 0.6, left=left, color=color, label=label, hatch=hatch, edgecolor="white"
        )
        drawn.append(bars)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(ys, [t.target.city.name for t in summaries])
    ax.set_xlim(0, max(max(left), 1) * 1.05)
    ax.set_xlabel("機關數", fontproperties=font, fontsize=TEXT_PT, color=GREY)
    ax.xaxis.get_major_locator().set_params(integer=True)
    _style_ticks(ax, font)
    _legend(ax, font, 3)
    labels = Labels(ax, _settle(fig), font)
    for bar in (bar for bars in drawn for bar in bars):
        if bar.get_width():  # its count in its middle, where it fits (the table has every count)
            color = "white" if bar.get_facecolor()[0] < 0.5 else "#222222"
            labels.fits_in(f"{int(bar.get_width())}", bar, color)
    return fig


def _completion_chart(found: Agencies, font: FontProperties) -> Figure | None:
    """How many agencies fall in each band of 完訓率."""
    rates = [r for f in found.values() if (r := _number(SHOWN_RATE.value(f))) is not None]
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
    _style_ticks(ax, font)
    placed = Labels(ax, _settle(fig), font)
    for bar, n in zip(bars, counts, strict=True):
        placed.place(
            f"{n}",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            [(0, 2, "center", "bottom")],
        )
    return fig


def _trend_chart(years: list[Year], font: FontProperties) -> Figure | None:
    if len(years) < 2:
        return None
    fig, ax = _figure(2.6)
    xs = [f"{y.year}年度" for y in years]
    for label, measure, style, marker in (
        ("全市完訓率", SHOWN_RATE, "-", "o"),
        ("目標達成比例", TARGETS_RATE, "--", "s"),
    ):
        values = [_number(measure.total(y.agencies)) for y in years]
        points = [(x, v * 100) for x, v in zip(xs, values, strict=True) if v is not None]
        if points:
            ax.plot(*zip(*points, strict=True), style, marker=marker, color="#222222", label=label)
    ax.set_ylim(0, 110)
    ax.set_yticks(range(0, 101, 20), [f"{v}%" for v in range(0, 101, 20)])
    _style_ticks(ax, font)
    _legend(ax, font, 2)
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
