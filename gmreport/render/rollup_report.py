"""The city's Word 彙整報告: the roll-up rendered into its docxtpl template, with its charts.

The template (`templates/各機關執行成果彙整報告.docx`, made by
`tools/make_rollup_template.py`) shares the agency report's styles; numbers, rates and
dates go through the same `gmreport.format` filters (`report.make_environment`).
"""

from __future__ import annotations

import contextlib
import tempfile
import warnings
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from .. import format as fmt
from ..atomic import atomic_path
from ..city import (
    CityFigures,
    TargetSummary,
    YearTrend,
    city_figures,
    plain,
    ranks,
    shown_training,
)
from ..figures import GENDER_FIELDS, rate
from ..rollup import Rollup
from .charts import DPI, GREY, ChartFontWarning, _figure, _legend, _style_ticks, find_cjk_font
from .report import make_environment

ROLLUP_REPORT_NAME = "{year}年度各機關性別主流化執行成果彙整報告.docx"
TEMPLATE_NAME = "各機關執行成果彙整報告.docx"
CHART_WIDTH = Cm(15)
MET_COLOR, MISSED_COLOR, OTHER_COLOR = "#404040", "#F4B183", "#D9D9D9"
"""Dark, light and lighter in grayscale print; 未達成 is also hatched."""
COMPLETION_BINS = (
    (0.0, 0.8, "未滿80%"),
    (0.8, 0.9, "80%～未滿90%"),
    (0.9, 0.95, "90%～未滿95%"),
    (0.95, 1.0, "95%～未滿100%"),
)


@contextlib.contextmanager
def shipped_template() -> Iterator[Path]:
    with resources.as_file(resources.files("gmreport.templates") / TEMPLATE_NAME) as path:
        yield path


def rollup_context(rollup: Rollup, figures: CityFigures) -> dict[str, Any]:
    """What the template reads: the city's totals, each agency as its report showed it, the
    targets across agencies, the trend over the years and the files left out."""
    frame = figures.frame
    city = {k: plain(v) for k, v in figures.totals.items()}
    middle = figures.medians
    completion_rank = ranks(frame, "all.rate.total")
    agencies = []
    for s in rollup.submissions:
        row = figures.agencies[s.agency]
        agencies.append(
            {
                "name": s.agency,
                "required": s.figures["training"]["groups"]["all"]["required"]["total"],
                "completed": shown_training(s.figures, "all", "completed", "total"),
                "rate": {g: shown_training(s.figures, "all", "rate", g) for g in GENDER_FIELDS},
                "rank": completion_rank[s.agency],
                **{
                    key: plain(row[column])
                    for key, column in (
                        ("meetings", "meetings.count"),
                        ("indicators", "indicators.count"),
                        ("allocated", "budget.allocated"),
                        ("executed", "budget.executed"),
                        ("execution_rate", "budget.execution_rate"),
                        ("cedaw", "cedaw.sessions"),
                        ("participants", "cedaw.participants.total"),
                        ("measures", "other_measures.count"),
                    )
                },
            }
        )
    summaries, years = figures.targets, figures.trend
    rates = pd.to_numeric(frame["all.rate.total"], errors="coerce").dropna()
    return {
        "year": rollup.year,
        "draft": False,
        "agency_count": len(rollup.submissions),
        "expected_count": len(rollup.expected),
        "missing": rollup.missing,
        "unexpected": rollup.unexpected,
        "city": city,
        "members": _genders(city, "meetings.members"),
        "beneficiaries": _genders(city, "budget.beneficiaries"),
        "cedaw": _genders(city, "cedaw.participants"),
        "city_training": [
            {
                "label": "應訓人數",
                **{g: fmt.number(city[f"all.required.{g}"]) for g in GENDER_FIELDS},
            },
            {
                "label": "完訓人數",
                **{g: fmt.number(city[f"all.completed.{g}"]) for g in GENDER_FIELDS},
            },
            {"label": "完訓率", **{g: fmt.percent(city[f"all.rate.{g}"]) for g in GENDER_FIELDS}},
        ],
        "median_completion": middle["all.rate.total"],
        "full_completion": int((rates >= 1).sum()),
        "gia_agencies": int((frame["gia.count"] > 0).sum()),
        "agencies": agencies,
        "targets": [
            {
                "name": t.name,
                "work_item": t.work_item,
                "met": t.met,
                "missed": t.missed,
                "judged": t.judged,
                "done_kind": t.done_kind,
                "rate": rate(len(t.met), t.judged),
            }
            for t in summaries
        ],
        "trend": years,
        "trend_sentence": trend_sentence(years),
        "left_out": [{"file": p.file, "reason": p.message} for p in rollup.left_out],
        "set_aside": [{"file": p.file, "reason": p.message} for p in rollup.set_aside],
        "charts": {"completion": None, "targets": None, "trend": None},
    }


def _genders(city: dict[str, Any], section: str) -> dict[str, Any]:
    return {g: city[f"{section}.{g}"] for g in GENDER_FIELDS}


def trend_sentence(years: list[YearTrend]) -> str:
    """The change of the city's 完訓率 from the first year to the last, in percentage points."""
    if len(years) < 2:
        return ""
    first, last = years[0], years[-1]
    if first.completion_rate is None or last.completion_rate is None:
        return ""
    change = fmt.half_up(last.completion_rate - first.completion_rate, 1, scale=2)
    way = "持平" if change == 0 else f"{'提高' if change > 0 else '降低'} {abs(change)} 個百分點"
    return (
        f"全市性別意識培力完訓率由{first.year}年度之 {fmt.percent(first.completion_rate)}"
        f"，至{last.year}年度為 {fmt.percent(last.completion_rate)}，{way}。"
    )


def make_rollup_charts(rollup: Rollup, city: CityFigures, folder: Path) -> dict[str, Path]:
    """The roll-up's charts as PNG files; {} (after a ChartFontWarning) without a CJK font."""
    family = find_cjk_font()
    if family is None:
        warnings.warn(
            "找不到可顯示中文的字型（如微軟正黑體、標楷體、Noto Sans CJK TC），"
            "彙整報告將不含統計圖。請安裝中文字型後重新產製。",
            ChartFontWarning,
            stacklevel=2,
        )
        return {}
    font = FontProperties(family=family)
    drawn = {
        "completion": _completion_chart(rollup, font),
        "targets": _targets_chart(city.targets, font),
        "trend": _trend_chart(city.trend, font),
    }
    paths = {}
    for name, fig in drawn.items():
        if fig is None:
            continue
        FigureCanvasAgg(fig)
        path = folder / f"{name}.png"
        fig.savefig(path, dpi=DPI, facecolor="white")
        paths[name] = path
    return paths


def _annotate_counts(ax: Any, bars: Any, font: FontProperties) -> None:
    for bar in bars:
        width = bar.get_width()
        if width:
            ax.annotate(
                f"{int(width)}",
                (bar.get_x() + width / 2, bar.get_y() + bar.get_height() / 2),
                ha="center",
                va="center",
                fontsize=7,
                color="white" if bar.get_facecolor()[0] < 0.5 else "#222222",
                fontproperties=font,
            )


def _targets_chart(summaries: list[TargetSummary], font: FontProperties) -> Figure | None:
    """One bar per target: agencies that met it, did not, or had nothing to judge."""
    if not summaries:
        return None
    fig, ax = _figure(max(2.2, 0.8 + 0.32 * len(summaries)))
    ys = list(range(len(summaries)))[::-1]
    left = [0] * len(summaries)
    for label, values, color, hatch in (
        ("達成（已辦理）", [len(t.met) for t in summaries], MET_COLOR, ""),
        ("未達成（未辦理）", [len(t.missed) for t in summaries], MISSED_COLOR, "////"),
        ("不適用（無應訓人員）", [len(t.other) for t in summaries], OTHER_COLOR, ""),
    ):
        if not any(values):
            continue
        bars = ax.barh(
            ys, values, 0.6, left=left, color=color, label=label, hatch=hatch, edgecolor="white"
        )
        _annotate_counts(ax, bars, font)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(ys, [t.name for t in summaries])
    ax.set_xlim(0, max(max(left), 1) * 1.05)
    ax.set_xlabel("機關數", fontproperties=font, fontsize=9, color=GREY)
    ax.xaxis.get_major_locator().set_params(integer=True)
    _style_ticks(ax, font)
    _legend(ax, font, 3)
    return fig


def _completion_chart(rollup: Rollup, font: FontProperties) -> Figure | None:
    """How many agencies fall in each band of 完訓率."""
    rates = [
        r
        for s in rollup.submissions
        if isinstance(r := s.figures["training"]["groups"]["all"]["rate"]["total"], int | float)
    ]
    if not rates:
        return None
    labels = [label for *_, label in COMPLETION_BINS] + ["100%"]
    counts = [sum(low <= r < high for r in rates) for low, high, _ in COMPLETION_BINS]
    counts.append(sum(r >= 1 for r in rates))
    fig, ax = _figure(2.6)
    bars = ax.bar(range(len(labels)), counts, 0.6, color=MET_COLOR, zorder=2)
    for bar, n in zip(bars, counts, strict=True):
        ax.annotate(
            f"{n}",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            color=GREY,
            fontproperties=font,
        )
    ax.set_xticks(range(len(labels)), labels)
    ax.set_ylim(0, max(counts) * 1.2 + 1)
    ax.set_ylabel("機關數", fontproperties=font, fontsize=9, color=GREY)
    ax.yaxis.get_major_locator().set_params(integer=True)
    _style_ticks(ax, font)
    return fig


def _trend_chart(years: list[YearTrend], font: FontProperties) -> Figure | None:
    if len(years) < 2:
        return None
    fig, ax = _figure(2.6)
    xs = [f"{y.year}年度" for y in years]
    for label, values, style, marker in (
        ("全市完訓率", [y.completion_rate for y in years], "-", "o"),
        ("目標達成比例", [y.targets_rate for y in years], "--", "s"),
    ):
        points = [(x, v * 100) for x, v in zip(xs, values, strict=True) if v is not None]
        if points:
            ax.plot(*zip(*points, strict=True), style, marker=marker, color="#222222", label=label)
    ax.set_ylim(0, 110)
    ax.set_yticks(range(0, 101, 20), [f"{v}%" for v in range(0, 101, 20)])
    _style_ticks(ax, font)
    _legend(ax, font, 2)
    return fig


def render_rollup_report(
    rollup: Rollup, path: Path, *, city: CityFigures | None = None
) -> list[str]:
    """Render the roll-up into the Word 彙整報告 at `path` (atomically); returns notes for
    the person (e.g. no charts without a Chinese font). `city` as for the workbook."""
    notes: list[str] = []
    city = city or city_figures(rollup)
    context = rollup_context(rollup, city)
    with (
        shipped_template() as template,
        tempfile.TemporaryDirectory(prefix="gmreport-rollup-") as charts_dir,
        warnings.catch_warnings(record=True, action="always", category=ChartFontWarning) as caught,
    ):
        doc = DocxTemplate(template)
        for name, png in make_rollup_charts(rollup, city, Path(charts_dir)).items():
            context["charts"][name] = InlineImage(doc, str(png), width=CHART_WIDTH)
        notes += [str(w.message) for w in caught]
        doc.render(context, make_environment(), autoescape=True)
        with atomic_path(path) as tmp:  # a failed write is said by atomic_path
            doc.save(tmp)
    return notes
