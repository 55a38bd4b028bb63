"""Charts for the report, drawn with matplotlib's object API (no pyplot global state).

Chinese labels need a CJK font. When none is installed the charts are left out (with a
ChartFontWarning) rather than drawn with empty boxes in place of the characters.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from ..figures import Figures, Genders, YearFigures
from ..format import SUPPRESSED, goal_percent, percent
from ..privacy import as_shown
from ..schema import EVERYONE, GENDER_KEYS, TRAINING_GROUPS

# In order of preference: Windows fonts first, then what Linux distributions ship.
CJK_FONTS = (
    "Microsoft JhengHei",
    "微軟正黑體",
    "DFKai-SB",
    "標楷體",
    "PMingLiU",
    "新細明體",
    "Noto Sans CJK TC",
    "Noto Sans TC",
    "Noto Sans CJK JP",
    "AR PL UKai TW",
    "AR PL UKai CN",
    "PingFang TC",
    "Heiti TC",
)

DPI = 200
WIDTH_IN = 6.3  # 16 cm, the report's text width
GENDER_COLORS = {"male": "#2F5597", "female": "#F4B183", "other": "#8FAF5A"}
"""Each gender's colour: dark, light and middle in grayscale print (luminance about 80,
192 and 160), and 其他 hatched as well, so a black-and-white copy still tells them apart."""
GENDER_HATCHES = {"male": "", "female": "", "other": "////"}
LABEL_COLORS = {"male": "white", "female": "#222222", "other": "#222222"}
"""The colour of a count written inside a bar: legible on that bar's colour."""
GENDERS = tuple((key, label, GENDER_COLORS[key]) for label, key in GENDER_KEYS.items())
GREY = "#555555"
T = TypeVar("T")


class ChartFontWarning(UserWarning):
    """No font that can show Chinese was found, so the report is made without charts."""


def find_cjk_font() -> str | None:
    """The family name of the preferred installed font that can show Traditional Chinese."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def draw_charts(figures: Figures, folder: Path) -> tuple[dict[str, Path], list[str]]:
    """`make_charts`, with its warnings as messages for the person."""
    with warnings.catch_warnings(record=True, action="always", category=ChartFontWarning) as caught:
        charts = make_charts(figures, folder)
    return charts, [str(w.message) for w in caught]


def make_charts(figures: Figures, folder: Path) -> dict[str, Path]:
    """Draw the report's charts as PNG files in `folder`; returns chart name → path.

    Returns {} (after a ChartFontWarning) when no CJK font is installed. A staff cell too
    small to show (SPEC §3) draws no bar and reads 「*」.
    """
    figures = as_shown(figures)
    drawers = {
        "training_completion": _training_completion,
        "cedaw_participants": _cedaw_participants,
        "other_measures_participants": _other_measures,
        "training_trend": _training_trend,
    }
    return save_charts(drawers, figures, folder, "報告")


def save_charts(
    drawers: Mapping[str, Callable[[T, FontProperties], Figure | None]],
    data: T,
    folder: Path,
    document: str,
) -> dict[str, Path]:
    """Draw each chart of `data` with the preferred CJK font and save it as `{name}.png` in
    `folder` (a drawer may draw nothing); {} after a ChartFontWarning when no such font is
    installed, for `document` (「報告」) to be made without charts."""
    family = find_cjk_font()
    if family is None:
        warnings.warn(
            "找不到可顯示中文的字型（如微軟正黑體、標楷體、Noto Sans CJK TC），"
            f"{document}將不含統計圖。請安裝中文字型後重新產製。",
            ChartFontWarning,
            stacklevel=3,
        )
        return {}
    font = FontProperties(family=family)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, draw in drawers.items():
        fig = draw(data, font)
        if fig is None:
            continue
        path = folder / f"{name}.png"
        FigureCanvasAgg(fig)  # attach a raster canvas without going through pyplot
        fig.savefig(path, dpi=DPI, facecolor="white")
        paths[name] = path
    return paths


def _figure(height_in: float) -> tuple[Figure, Any]:
    fig = Figure(figsize=(WIDTH_IN, height_in), layout="constrained")
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(colors=GREY, labelsize=9)
    return fig, ax


def _style_ticks(ax: Any, font: FontProperties) -> None:
    for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        label.set_fontproperties(font)
        label.set_fontsize(9)


def _legend(ax: Any, font: FontProperties, columns: int) -> None:
    """The legend in one row above the plot, right-aligned, clear of the bars."""
    legend_font = font.copy()
    legend_font.set_size(9)
    ax.legend(
        prop=legend_font,
        frameon=False,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncols=columns,
        borderaxespad=0.2,
        handlelength=1.2,
    )


def _genders_present(counts: Sequence[Genders]) -> list[tuple[str, str, str]]:
    """男 and 女 always; 其他 only when someone is counted there."""
    return [g for g in GENDERS if g[0] != "other" or any(c["other"] for c in counts)]


HIDDEN_NOTE = "註：依個資保護原則不予揭露之數值未予繪製。"
"""Said under a chart that leaves out a figure privacy hides (「*」 in the tables)."""


def _note_hidden(ax: Any, font: FontProperties) -> None:
    """Say under the plot that figures privacy hides are not drawn: where a bar or a point
    would be there is nothing, never a 「*」 that could be read as a value."""
    ax.set_xlabel(HIDDEN_NOTE, fontproperties=font, fontsize=8, color=GREY, loc="left")


def _training_completion(figures: Figures, font: FontProperties) -> Figure | None:
    """完訓率 of each training group by gender; a rate privacy hides draws no bar and no
    label, and a 性別 none of whose rates is shown is left out."""
    training = figures["training"]
    groups = [training["groups"][g.key] for g in TRAINING_GROUPS]
    if not any(g["required"]["total"] for g in groups):
        return None
    fig, ax = _figure(3.0)
    rates_of = {
        key: [cast("dict[str, float | str | None]", g["rate"])[key] for g in groups]
        for key, _, _ in GENDERS
    }
    genders = [
        g
        for g in _genders_present([g["required"] for g in groups])
        if any(r != SUPPRESSED for r in rates_of[g[0]])
        and (g[0] != "other" or any(isinstance(r, float | int) for r in rates_of[g[0]]))
    ]
    width = 0.8 / max(len(genders), 1)
    for i, (key, label, color) in enumerate(genders):
        xs = [j + (i - (len(genders) - 1) / 2) * width for j in range(len(groups))]
        rates = rates_of[key]
        drawn = [(x, r) for x, r in zip(xs, rates, strict=True) if r != SUPPRESSED]
        heights = [r * 100 if isinstance(r, float | int) else 0 for _, r in drawn]
        bars = ax.bar(
            [x for x, _ in drawn],
            heights,
            width * 0.92,
            color=color,
            label=label,
            hatch=GENDER_HATCHES[key],
            edgecolor="white" if GENDER_HATCHES[key] else color,
            zorder=2,
        )
        for bar, (_, r) in zip(bars, drawn, strict=True):
            # Above the bar: a label inside a narrow bar spills onto the white background.
            ax.annotate(
                percent(r),
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=6,
                color=GREY,
                fontproperties=font,
                zorder=4,  # over the target line, on white, so the line never crosses it
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6},
            )
    goal = training["completion_rate_target"]
    columns = len(genders)
    if goal:
        ax.axhline(
            goal * 100,
            color="#C00000",
            linewidth=0.8,
            linestyle="--",
            label=f"目標 {goal_percent(goal)}",
            zorder=3,
        )
        columns += 1
    ax.set_xticks(range(len(groups)), [_wrap(g["label"], 6) for g in groups])
    ax.set_ylim(0, 118)
    ax.set_yticks(range(0, 101, 20), [f"{v}%" for v in range(0, 101, 20)])
    if any(r == SUPPRESSED for rates in rates_of.values() for r in rates):
        _note_hidden(ax, font)
    _style_ticks(ax, font)
    _legend(ax, font, columns)
    return fig


def _participants_bars(
    rows: Sequence[Mapping[str, Any]], labels: Sequence[str], font: FontProperties, unit: str
) -> Figure:
    """Horizontal bars, one per row, stacked by gender and labelled with the counts."""
    fig, ax = _figure(max(1.9, 0.9 + 0.45 * len(rows)))
    counts = [r["participants"] for r in rows]
    genders = _genders_present(counts)
    ys = list(range(len(rows)))[::-1]
    left = [0] * len(rows)
    largest = max((c["total"] for c in counts), default=0) or 1
    for key, label, color in genders:
        values = [c[key] for c in counts]
        bars = ax.barh(
            ys,
            values,
            0.6,
            left=left,
            color=color,
            label=label,
            hatch=GENDER_HATCHES[key],
            edgecolor="white" if GENDER_HATCHES[key] else color,
        )
        for bar, v in zip(bars, values, strict=True):
            if v / largest >= 0.06:  # too narrow a segment has no room for its number
                ax.annotate(
                    f"{v:,}",
                    (bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=LABEL_COLORS[key],
                    fontproperties=font,
                )
        left = [a + b for a, b in zip(left, values, strict=True)]
    for y, total in zip(ys, left, strict=True):
        ax.annotate(
            f"{total:,} {unit}",
            (total, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color=GREY,
            fontproperties=font,
        )
    ax.set_yticks(ys, labels)
    ax.set_xlim(0, max(max(left), 1) * 1.15)
    ax.set_xlabel(f"參與人數（{unit}）", fontproperties=font, fontsize=9, color=GREY)
    _style_ticks(ax, font)
    _legend(ax, font, len(genders))
    return fig


def _cedaw_participants(figures: Figures, font: FontProperties) -> Figure | None:
    cedaw = figures["cedaw"]
    rows: list[Mapping[str, Any]] = list(cedaw["by_audience"])
    if not rows or not cedaw["participants"]["total"]:
        return None
    # No 合計 bar: beside its parts it would squash them; the total is in the text and table.
    labels = [_wrap(r["label"], 8) for r in rows]
    return _participants_bars(rows, labels, font, "人次")


def _other_measures(figures: Figures, font: FontProperties) -> Figure | None:
    measures = figures["other_measures"]
    # A measure by media without a head count (reach only) has no bar to draw.
    rows = [r for r in measures["list"] if r["participants"]["total"]]
    if not rows:
        return None
    labels = [_wrap(r["name"], 9) for r in rows]
    return _participants_bars(rows, labels, font, "人次")


def _wrap(text: str, width: int) -> str:
    """Break a label into lines of at most `width` characters, as even as possible."""
    if len(text) <= width:
        return text
    lines = -(-len(text) // width)
    size = -(-len(text) // lines)
    return "\n".join(text[i : i + size] for i in range(0, len(text), size))


TREND_STYLES = {
    "male": ("-", "o"),
    "female": ("--", "s"),
    "other": (":", "^"),
    "total": ("-.", "D"),
}
"""Each line of the trend chart: its dash and marker, so grayscale print tells them apart."""
TREND_LABELS = {"female": ((0, -10), "center"), "total": ((-8, 0), "right")}


def _everyone_rate(figures: YearFigures | None, gender: str) -> object:
    """全機關完訓率 of a gender in a year's figures as shown; None for a year without them."""
    if figures is None:
        return None
    rates: Mapping[str, object] = figures["training"]["groups"][EVERYONE.key]["rate"]
    return rates.get(gender)


def _training_trend(figures: Figures, font: FontProperties) -> Figure | None:
    """全機關完訓率 by gender across the years compared (歷年比較); None without history. A
    rate privacy hides in its year draws no point and no label; a line with none shown is
    left out."""
    from .trends import years  # the trends module reads the statistics tables' kinds

    compared = years(figures)
    if compared is None:
        return None
    xs = compared.rows
    lines = [*((key, label) for label, key in GENDER_KEYS.items()), ("total", "合計")]
    fig, ax = _figure(2.8)
    drawn = 0
    for key, label in lines:
        rates = [_everyone_rate(compared.shown.get(y), key) for y in xs]
        values = [r * 100 if isinstance(r, int | float) else None for r in rates]
        if not any(v is not None for v in values):
            continue  # 其他 of nobody, or a rate hidden in every year
        dash, marker = TREND_STYLES[key]
        color = GENDER_COLORS.get(key, "#000000")
        ax.plot(
            range(len(xs)),
            [float("nan") if v is None else v for v in values],
            linestyle=dash,
            marker=marker,
            color="#000000" if key == "total" else color,
            markeredgecolor="#000000",
            linewidth=1.4,
            markersize=5,
            label=label,
            zorder=3,
        )
        drawn += 1
        for i, r in enumerate(rates):
            if isinstance(r, int | float):
                # 男 above its point, 女 below, 合計 beside it, away from its own line:
                # close rates stay legible, and a white box keeps lines from crossing them.
                offset, align = TREND_LABELS.get(key, ((0, 7), "center"))
                if key == "total" and i == len(xs) - 1 and i:
                    offset, align = (8, 0), "left"
                ax.annotate(
                    percent(r),
                    (i, r * 100),
                    xytext=offset,
                    textcoords="offset points",
                    ha=align,
                    va="center",
                    fontsize=6,
                    color=GREY,
                    fontproperties=font,
                    zorder=4,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6},
                )
    ax.set_xticks(
        range(len(xs)), [f"{y}年度" if y in compared.shown else f"{y}年度\n（無資料）" for y in xs]
    )
    ax.set_xlim(-0.5, len(xs) - 0.5)
    low = min(
        (
            r * 100
            for y in xs
            for k, _ in lines
            if isinstance(r := _everyone_rate(compared.shown.get(y), k), int | float)
        ),
        default=0,
    )
    bottom = max(0, int(low // 10) * 10 - 10)
    ax.set_ylim(bottom, 108)
    ax.set_yticks(range(bottom, 101, 10), [f"{v}%" for v in range(bottom, 101, 10)])
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.5, zorder=0)
    if any(_everyone_rate(compared.shown.get(y), k) == SUPPRESSED for y in xs for k, _ in lines):
        _note_hidden(ax, font)
    _style_ticks(ax, font)
    _legend(ax, font, drawn)
    return fig
