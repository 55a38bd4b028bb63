"""Charts for the report, drawn with matplotlib's object API (no pyplot global state).

They are set in the document's typefaces (SPEC §8 ◆): Chinese in a Kai face (標楷體, or
AR PL UKai on Linux) and Latin letters and digits in Times New Roman or a font of its
metrics, with no text under 8 pt as placed in the report. Data labels are placed where they
cross neither each other nor a line. When no font can show Chinese, even after the font list
is scanned again, the charts are left out (with a ChartFontWarning naming them) rather than
drawn with empty boxes in place of the characters.
"""

from __future__ import annotations

import contextvars
import itertools
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, cast

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path as LinePath
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox

from ..figures import Figures, Genders, YearFigures
from ..format import SUPPRESSED, goal_percent, percent
from ..privacy import as_shown
from ..schema import EVERYONE, GENDER_KEYS, TRAINING_GROUPS
from . import CHART_WIDTH_CM

KAI_FONTS = (
    "標楷體",
    "DFKai-SB",
    "BiauKai",
    "TW-Kai",
    "AR PL UKai TW",
    "AR PL UKai TW MBE",
    "AR PL UKai HK",
    "AR PL UKai CN",
)
"""The Kai faces the document is set in (Windows, macOS, 全字庫, Linux's fonts-arphic-ukai)."""
CJK_FONTS = (
    *KAI_FONTS,
    "Microsoft JhengHei",
    "微軟正黑體",
    "PMingLiU",
    "新細明體",
    "Noto Sans CJK TC",
    "Noto Sans TC",
    "Noto Sans CJK JP",
    "PingFang TC",
    "Heiti TC",
)
"""Fonts that show Traditional Chinese, in order of preference: a Kai face first, as the
document; other faces only where no Kai face is installed."""
LATIN_FONTS = ("Times New Roman", "Liberation Serif")
"""Latin letters and digits: Times New Roman as the document, or a font of its metrics;
matplotlib's own serif (DejaVu Serif, always there) when neither is installed."""
DEFAULT_LATIN = "serif"
FONT_PACKAGE = "fonts-arphic-ukai"

DPI = 200
WIDTH_IN = 6.3  # 16 cm, the report's text width; placed at CHART_WIDTH_CM
PRINT_SCALE = CHART_WIDTH_CM / (WIDTH_IN * 2.54)
"""How much smaller a chart is printed than it is drawn: 15 cm of 16 cm."""
SMALLEST_PRINTED_PT = 8.0
TEXT_PT = math.ceil(SMALLEST_PRINTED_PT / PRINT_SCALE * 2) / 2
"""Data labels, legends and notes: 9 pt drawn, 8.4 pt printed."""
TICK_PT = TEXT_PT + 1
"""The axes' category and scale labels: 10 pt drawn, 9.4 pt printed."""

GENDER_COLORS = {"male": "#2F5597", "female": "#F4B183", "other": "#8FAF5A"}
"""Each gender's colour: dark, light and middle in grayscale print (luminance about 80,
192 and 160), and 其他 hatched as well, so a black-and-white copy still tells them apart."""
GENDER_HATCHES = {"male": "", "female": "", "other": "////"}
LABEL_COLORS = {"male": "white", "female": "#222222", "other": "#222222"}
"""The colour of a count written inside a bar: legible on that bar's colour."""
GENDERS = tuple((key, label, GENDER_COLORS[key]) for label, key in GENDER_KEYS.items())
GREY = "#555555"
TARGET_COLOR = "#C00000"
T = TypeVar("T")
Drawer = Callable[[T, FontProperties], Figure | None]


class ChartFontWarning(UserWarning):
    """No font that can show Chinese was found, so the document is made without charts;
    `charts` names those it would have had."""

    def __init__(self, message: str, charts: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.charts = tuple(charts)


def find_cjk_font() -> str | None:
    """The family name of the preferred installed font that can show Traditional Chinese."""
    return _installed(CJK_FONTS)


def find_latin_font() -> str:
    """The family name of the preferred installed font for Latin letters and digits."""
    return _installed(LATIN_FONTS) or DEFAULT_LATIN


def _installed(names: Sequence[str]) -> str | None:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in names if name in installed), None)


def rebuild_font_list() -> None:
    """Scan the system's fonts again, as matplotlib does when a font it cached is gone: its
    cached list predates fonts installed since it first ran. The fresh list is also saved
    as matplotlib's cache, for the next run."""
    load = getattr(font_manager, "_load_fontmanager", None)  # no public way in 3.x
    fresh = load(try_read_cache=False) if load is not None else font_manager.FontManager()
    vars(font_manager.fontManager).update(vars(fresh))
    cached = getattr(font_manager.FontManager, "_findfont_cached", None)
    if cached is not None:
        cached.cache_clear()


def typefaces() -> list[str] | None:
    """The font families of a chart's text, Latin first and Chinese as its fallback; None
    when no font shows Chinese, after looking again with a fresh font list."""
    cjk = find_cjk_font()
    if cjk is None:
        rebuild_font_list()
        cjk = find_cjk_font()
    return None if cjk is None else [find_latin_font(), cjk]


def draw_charts(figures: Figures, folder: Path) -> tuple[dict[str, Path], list[str], list[str]]:
    """`make_charts`, with its warnings as messages for the person; also returns the names
    of the charts the report lacks for want of a font."""
    with warnings.catch_warnings(record=True, action="always", category=ChartFontWarning) as caught:
        charts = make_charts(figures, folder)
    missing = [name for w in caught for name in cast(ChartFontWarning, w.message).charts]
    return charts, [str(w.message) for w in caught], missing


def make_charts(figures: Figures, folder: Path) -> dict[str, Path]:
    """Draw the report's charts as PNG files in `folder`; returns chart name → path.

    Returns {} (after a ChartFontWarning) when no CJK font is installed. A staff cell too
    small to show (SPEC §3) draws no bar and reads 「*」.
    """
    return save_charts(REPORT_DRAWERS, as_shown(figures), folder, "報告")


def draw_figures(
    drawers: Mapping[str, Drawer[T]], data: T, families: list[str]
) -> dict[str, Figure]:
    """Each chart of `data` as a matplotlib Figure set in `families` (a drawer may draw
    nothing)."""
    font = FontProperties(family=families)
    with matplotlib.rc_context(  # every text, the axes' own included, at least TEXT_PT
        {
            "font.family": families,
            "font.size": TEXT_PT,
            "axes.labelsize": TEXT_PT,
            "xtick.labelsize": TICK_PT,
            "ytick.labelsize": TICK_PT,
            "legend.fontsize": TEXT_PT,
            "axes.unicode_minus": False,  # U+2212 is missing from some fonts
        }
    ):
        drawn = {name: draw(data, font) for name, draw in drawers.items()}
    return {name: fig for name, fig in drawn.items() if fig is not None}


def save_charts(
    drawers: Mapping[str, Drawer[T]],
    data: T,
    folder: Path,
    document: str,
) -> dict[str, Path]:
    """Draw each chart of `data` in the document's typefaces and save it as `{name}.png` in
    `folder`; {} after a ChartFontWarning naming the charts left out when no font shows
    Chinese, for `document` (「報告」) to be made without them."""
    families = typefaces()
    if families is None:
        wanted = _wanted(drawers, data)
        warnings.warn(
            ChartFontWarning(
                "找不到可顯示中文的字型（如標楷體；Linux 可安裝 "
                f"{FONT_PACKAGE} 套件），{document}將不含統計圖（{len(wanted)} 張）。"
                "請安裝中文字型後重新產製。",
                wanted,
            ),
            stacklevel=3,
        )
        return {}
    folder.mkdir(parents=True, exist_ok=True)
    drawn = draw_figures(drawers, data, families)
    for name, fig in drawn.items():
        fig.savefig(folder / f"{name}.png", dpi=DPI, facecolor="white")
    return {name: folder / f"{name}.png" for name in drawn}


class _WouldDraw(Exception):
    """A drawer asked for a figure: it has data to draw."""


_probing: contextvars.ContextVar[bool] = contextvars.ContextVar("probing", default=False)


def _wanted(drawers: Mapping[str, Drawer[T]], data: T) -> list[str]:
    """The charts of `data` that have something to draw, found without drawing (which
    needs a font): each drawer looks at its data before it asks for a figure."""
    found = []
    token = _probing.set(True)
    try:
        for name, draw in drawers.items():
            try:
                draw(data, FontProperties())
            except _WouldDraw:
                found.append(name)
    finally:
        _probing.reset(token)
    return found


def _figure(height_in: float) -> tuple[Figure, Any]:
    if _probing.get():
        raise _WouldDraw
    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)  # a raster canvas, without going through pyplot
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(colors=GREY, labelsize=TICK_PT)
    return fig, ax


def _finish(fig: Figure, ax: Any, font: FontProperties, columns: int = 0) -> Labels:
    """Set the ticks in `font`, put a legend of `columns` (none when 0) in one row above
    the plot, right-aligned, clear of the bars; then lay the figure out and keep that
    layout, so the labels placed from now on stay where they were measured."""
    for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        label.set_fontproperties(font)
        label.set_fontsize(TICK_PT)
    if columns:
        legend_font = font.copy()
        legend_font.set_size(TEXT_PT)
        ax.legend(
            prop=legend_font,
            frameon=False,
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncols=columns,
            borderaxespad=0.2,
            handlelength=1.6,
        )
    fig.get_layout_engine().execute(fig)  # type: ignore[union-attr]  # made constrained
    fig.set_layout_engine("none")
    return Labels(ax, fig.canvas.get_renderer(), font)  # type: ignore[attr-defined]


def _thicken(ax: Any, bars: Sequence[Any], inches: float) -> None:
    """Make horizontal `bars` `inches` thick on the page about their middles, however many
    bars the plot holds (called once the figure is laid out)."""
    fig = ax.get_figure()
    low, high = ax.get_ylim()
    per_inch = (high - low) / (ax.get_position().height * fig.get_figheight())
    for bar in bars:
        middle = bar.get_y() + bar.get_height() / 2
        bar.set_height(inches * per_inch)
        bar.set_y(middle - inches * per_inch / 2)


class Labels:
    """Data labels of one axes placed clear of each other, of the lines given and of
    markers, inside the plot: each label takes the first of its candidate places that is
    clear."""

    def __init__(self, ax: Any, renderer: Any, font: FontProperties) -> None:
        self.ax, self.renderer, self.font = ax, renderer, font
        self.taken: list[Bbox] = []
        self.segments: list[LinePath] = []
        self.inside = ax.patch.get_window_extent(renderer)

    def avoid_line(self, xs: Sequence[float], ys: Sequence[float]) -> None:
        """The line through the data points (xs, ys); a NaN breaks it."""
        points = self.ax.transData.transform(list(zip(xs, ys, strict=True)))
        for a, b in itertools.pairwise(points):
            if all(math.isfinite(v) for v in (*a, *b)):
                self.segments.append(LinePath([a, b]))

    def avoid_point(self, x: float, y: float, size_pt: float) -> None:
        cx, cy = self.ax.transData.transform((x, y))
        half = size_pt / 2 * DPI / 72
        self.taken.append(Bbox([[cx - half, cy - half], [cx + half, cy + half]]))

    def clear(self, box: Bbox) -> bool:
        if not all(self.inside.contains(x, y) for x, y in box.corners()):
            return False
        padded = box.padded(DPI / 72)  # a point
        return not any(padded.overlaps(t) for t in self.taken) and not any(
            s.intersects_bbox(padded, filled=False) for s in self.segments
        )

    def place(
        self,
        text: str,
        xy: tuple[float, float],
        places: Sequence[tuple[float, float, str, str]],
        color: str = GREY,
    ) -> None:
        """`text` at the first clear place (dx, dy in points from `xy`, ha, va) of `places`;
        at the first of them when none is clear."""
        for place in places:
            label, box = self._put(text, xy, place, color)
            if self.clear(box):
                break
            label.remove()
        else:  # no place is clear
            label, box = self._put(text, xy, places[0], color)
        self.taken.append(box)

    def _put(
        self, text: str, xy: tuple[float, float], place: tuple[float, float, str, str], color: str
    ) -> tuple[Annotation, Bbox]:
        """`text` at `place` (dx, dy, ha, va) from `xy`; returns it and the room it takes."""
        dx, dy, ha, va = place
        label: Annotation = self.ax.annotate(
            text,
            xy,
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontproperties=self.font,
            fontsize=TEXT_PT,
            color=color,
            zorder=4,
            annotation_clip=False,
        )
        return label, label.get_window_extent(self.renderer)

    def fits_in(self, text: str, bar: Any, color: str, *, end: bool = False) -> bool:
        """Write `text` in the middle of `bar` when it fits there with room to spare, or
        (`end`) inside the end of the horizontal `bar` when it fits there."""
        middle = bar.get_y() + bar.get_height() / 2
        if end:
            xy, place = (bar.get_x() + bar.get_width(), middle), (-4, 0, "right", "center")
        else:
            xy, place = (bar.get_x() + bar.get_width() / 2, middle), (0, 0, "center", "center")
        label, box = self._put(text, xy, place, color)
        room = bar.get_window_extent(self.renderer)
        if end:
            fits = (
                box.x0 >= room.x0 + 3 * DPI / 72 and box.height <= room.height and self.clear(box)
            )
        else:
            fits = box.width + 6 * DPI / 72 <= room.width and box.height <= room.height
        if fits:
            self.taken.append(box)
        else:
            label.remove()
        return fits


def _genders_present(counts: Sequence[Genders]) -> list[tuple[str, str, str]]:
    """男 and 女 always; 其他 only when someone is counted there."""
    return [g for g in GENDERS if g[0] != "other" or any(c["other"] for c in counts)]


HIDDEN_NOTE = "註：「*」為依個資保護原則不予揭露之數值，未予繪製。"
"""Said under a chart that leaves out a figure privacy hides (「*」 in the tables)."""
TREND_HIDDEN_NOTE = "註：依個資保護原則不予揭露之數值未予繪製。"
"""Said under the trend chart, where a hidden rate is a gap in its line."""


def _note_hidden(ax: Any, font: FontProperties, note: str = HIDDEN_NOTE) -> None:
    """Say under the plot that figures privacy hides are not drawn."""
    ax.set_xlabel(note, fontproperties=font, fontsize=TEXT_PT, color=GREY, loc="left")


BAR_IN = 0.2
PARTICIPANTS_BAR_IN = 0.26
"""The thickness of a bar, whatever the number of bars: a lone bar is no wider."""
GROUP_GAP_IN = 0.16


def _training_completion(figures: Figures, font: FontProperties) -> Figure | None:
    """完訓率 of each training group by gender, as horizontal bars with the rate at their
    end: the labels of neighbouring bars can never meet, and the target is a vertical line
    the labels stay inside of. A rate privacy hides draws no bar and reads 「*」 where it
    would start; a 性別 none of whose rates is shown is left out."""
    training = figures["training"]
    groups = [training["groups"][g.key] for g in TRAINING_GROUPS]
    if not any(g["required"]["total"] for g in groups):
        return None
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
    hidden = any(r == SUPPRESSED for key, _, _ in genders for r in rates_of[key])
    pitch = len(genders) * BAR_IN + GROUP_GAP_IN  # one group's height, in inches
    fig, ax = _figure(0.85 + len(groups) * pitch + (0.25 if hidden else 0))
    step = BAR_IN / pitch  # a bar's thickness in data units, one group being 1
    ends: list[tuple[Any, float | str | None, str]] = []
    stars: list[float] = []
    for i, (key, label, color) in enumerate(genders):
        ys = [len(groups) - 1 - j + ((len(genders) - 1) / 2 - i) * step for j in range(len(groups))]
        rates = rates_of[key]
        drawn = [(y, r) for y, r in zip(ys, rates, strict=True) if r != SUPPRESSED]
        stars += [y for y, r in zip(ys, rates, strict=True) if r == SUPPRESSED]
        bars = ax.barh(
            [y for y, _ in drawn],
            [r * 100 if isinstance(r, float | int) else 0 for _, r in drawn],
            step * 0.9,
            color=color,
            label=label,
            hatch=GENDER_HATCHES[key],
            edgecolor="white" if GENDER_HATCHES[key] else color,
            zorder=2,
        )
        ends += [(bar, r, key) for bar, (_, r) in zip(bars, drawn, strict=True)]
    goal = training["completion_rate_target"]
    if goal:
        ax.axvline(
            goal * 100,
            color=TARGET_COLOR,
            linewidth=0.9,
            linestyle="--",
            label=f"目標 {goal_percent(goal)}",
            zorder=3,
        )
    ax.set_yticks(range(len(groups))[::-1], [_wrap(g["label"], 6) for g in groups])
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-0.5 - GROUP_GAP_IN / pitch / 2, len(groups) - 0.5 + GROUP_GAP_IN / pitch / 2)
    ax.set_xlim(0, 112)
    ax.set_xticks(range(0, 101, 20), [f"{v}%" for v in range(0, 101, 20)])
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.5, zorder=0)
    if hidden:
        _note_hidden(ax, font)
    labels = _finish(fig, ax, font, len(genders) + bool(goal))
    _thicken(ax, [bar for bar, _, _ in ends], BAR_IN * 0.9)
    if goal:
        labels.avoid_line([goal * 100, goal * 100], list(ax.get_ylim()))
    for bar, r, key in ends:
        text = percent(r)
        end = (bar.get_width(), bar.get_y() + bar.get_height() / 2)
        if not labels.fits_in(text, bar, LABEL_COLORS[key], end=True):
            labels.place(text, end, [(3, 0, "left", "center")])
    for y in stars:
        labels.place(SUPPRESSED, (0, y), [(3, 0, "left", "center")])
    return fig


class Stack(NamedTuple):
    """One part of stacked bars: its legend label, each bar's count, its colour, hatch and
    edge colour, and the colour of a count written inside it (legible on its colour)."""

    label: str
    counts: list[int]
    color: str
    hatch: str
    edge: str = "white"
    ink: str = "#222222"


def _stacked(
    ax: Any,
    names: Sequence[str],
    stacks: Sequence[Stack],
    font: FontProperties,
    scale: str,
    room: float,
) -> tuple[list[tuple[int, int]], list[tuple[Any, int, str]]]:
    """Horizontal bars, one per name from the top, of `stacks` one after the other, on a
    scale of whole numbers titled `scale` reaching `room` times the longest bar; returns
    each bar's y and total, and its parts with a count (the part, its count and ink)."""
    ys = list(range(len(names)))[::-1]
    left = [0] * len(names)
    parts: list[tuple[Any, int, str]] = []
    for stack in stacks:
        bars = ax.barh(
            ys,
            stack.counts,
            0.6,
            left=left,
            color=stack.color,
            label=stack.label,
            hatch=stack.hatch,
            edgecolor=stack.edge,
        )
        parts += [(bar, n, stack.ink) for bar, n in zip(bars, stack.counts, strict=True) if n]
        left = [a + b for a, b in zip(left, stack.counts, strict=True)]
    ax.set_yticks(ys, names)
    ax.set_xlim(0, max(max(left), 1) * room)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel(scale, fontproperties=font, fontsize=TEXT_PT, color=GREY)
    return list(zip(ys, left, strict=True)), parts


def _participants_bars(
    rows: Sequence[Mapping[str, Any]], names: Sequence[str], font: FontProperties
) -> Figure | None:
    """Horizontal bars, one per row, stacked by gender and labelled with the counts that
    fit in their part; as thick for one row as for many, so a lone bar stays compact. None
    without rows."""
    if not rows:
        return None
    lines = max((name.count("\n") + 1 for name in names), default=1)
    row_in = max(0.42, 0.2 * lines + 0.12)
    fig, ax = _figure(1.05 + row_in * len(rows))
    counts = [r["participants"] for r in rows]
    genders = _genders_present(counts)
    stacks = [
        Stack(
            label,
            [c[key] for c in counts],
            color,
            GENDER_HATCHES[key],
            "white" if GENDER_HATCHES[key] else color,
            LABEL_COLORS[key],
        )
        for key, label, color in genders
    ]
    totals, parts = _stacked(ax, names, stacks, font, "參與人數（人次）", 1.2)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-0.5, len(rows) - 0.5)
    placed = _finish(fig, ax, font, len(genders))
    _thicken(ax, [bar for bar, _, _ in parts], PARTICIPANTS_BAR_IN)
    for bar, n, ink in parts:  # a part too narrow for its number leaves it to the table
        placed.fits_in(f"{n:,}", bar, ink)
    for y, total in totals:
        placed.place(f"{total:,} 人次", (total, y), [(4, 0, "left", "center")])
    return fig


def _cedaw_participants(figures: Figures, font: FontProperties) -> Figure | None:
    cedaw = figures["cedaw"]
    # No 合計 bar: beside its parts it would squash them; the total is in the text and table.
    rows = cedaw["by_audience"] if cedaw["participants"]["total"] else []
    return _participants_bars(rows, [_wrap(r["label"], 8) for r in rows], font)


def _other_measures(figures: Figures, font: FontProperties) -> Figure | None:
    # A measure by media without a head count (reach only) has no bar to draw.
    rows = [r for r in figures["other_measures"]["list"] if r["participants"]["total"]]
    return _participants_bars(rows, [_wrap(r["name"], 9) for r in rows], font)


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
MARKER_PT = 5.0
MIN_TREND_SPAN = 20
"""The least span of the trend chart's rate scale under 100%, in percentage points."""
TREND_PLACES = tuple(
    place
    for d in (6, 17, 28, 39)
    for place in (
        (0, d, "center", "bottom"),
        (0, -d, "center", "top"),
        (6, d - 1, "left", "bottom"),
        (6, 1 - d, "left", "top"),
        (-6, d - 1, "right", "bottom"),
        (-6, 1 - d, "right", "top"),
        *(((8, 0, "left", "center"), (-8, 0, "right", "center")) if d == 6 else ()),
    )
)
"""Where a rate's label may go around its point, in order of preference (points)."""


def _everyone_rate(figures: YearFigures | None, gender: str) -> object:
    """全機關完訓率 of a gender in a year's figures as shown; None for a year without them."""
    if figures is None:
        return None
    rates: Mapping[str, object] = figures["training"]["groups"][EVERYONE.key]["rate"]
    return rates.get(gender)


def _training_trend(figures: Figures, font: FontProperties) -> Figure | None:
    """全機關完訓率 by gender across the years compared (歷年比較); None without history. A
    rate privacy hides in its year draws no point and no label; a line with none shown is
    left out. Each rate's label goes where it crosses no line, marker or other label."""
    from .trends import years  # the trends module reads the statistics tables' kinds

    compared = years(figures)
    if compared is None:
        return None
    xs = compared.rows
    lines = [*((key, label) for label, key in GENDER_KEYS.items()), ("total", "合計")]
    fig, ax = _figure(3.2)
    drawn: list[tuple[list[float], list[object]]] = []
    for key, label in lines:
        rates = [_everyone_rate(compared.shown.get(y), key) for y in xs]
        values = [r * 100 if isinstance(r, int | float) else math.nan for r in rates]
        if all(math.isnan(v) for v in values):
            continue  # 其他 of nobody, or a rate hidden in every year
        dash, marker = TREND_STYLES[key]
        ax.plot(
            range(len(xs)),
            values,
            linestyle=dash,
            marker=marker,
            color=GENDER_COLORS.get(key, "#000000"),  # 合計 in black
            markeredgecolor="#000000",
            linewidth=1.4,
            markersize=MARKER_PT,
            label=label,
            zorder=3,
        )
        drawn.append((values, rates))
    ax.set_xticks(
        range(len(xs)), [f"{y}年度" if y in compared.shown else f"{y}年度\n（無資料）" for y in xs]
    )
    ax.set_xlim(-0.5, len(xs) - 0.5)
    _rate_axis(ax, [v for values, _ in drawn for v in values if not math.isnan(v)])
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.5, zorder=0)
    if any(_everyone_rate(compared.shown.get(y), k) == SUPPRESSED for y in xs for k, _ in lines):
        _note_hidden(ax, font, TREND_HIDDEN_NOTE)
    labels = _finish(fig, ax, font, len(drawn))
    for values, _ in drawn:
        labels.avoid_line(list(range(len(xs))), values)
        for i, v in enumerate(values):
            if not math.isnan(v):
                labels.avoid_point(i, v, MARKER_PT + 2)
    below_first = [
        p for pair in zip(TREND_PLACES[1::2], TREND_PLACES[::2], strict=True) for p in pair
    ]
    for i in range(len(xs)):  # the highest label above its point, the rest below
        for rank, (text, value) in enumerate(_year_labels(drawn, i)):
            labels.place(text, (i, value), TREND_PLACES if rank == 0 else below_first)
    return fig


def _rate_axis(ax: Any, shown: Sequence[float]) -> None:
    """The rate scale: from 5 points under the lowest rate shown, or from 100% less
    MIN_TREND_SPAN when that is lower, so rates alike (all 100%, say) do not make a sliver
    of the axis that magnifies a tenth of a point; with room for a label above 100%."""
    low = min(shown, default=0)
    bottom = max(0, min(int(low // 5) * 5 - 5, 100 - MIN_TREND_SPAN))
    ax.set_ylim(bottom, 100 + max(8.0, (100 - bottom) * 0.16))
    ticks = range(100, bottom - 1, -5 if 100 - bottom <= 30 else -10)[::-1]
    ax.set_yticks(ticks, [f"{v}%" for v in ticks])


def _year_labels(
    drawn: Sequence[tuple[list[float], list[object]]], i: int
) -> list[tuple[str, float]]:
    """The labels of the `i`th year, each with the rate it stands at, from the highest rate
    down: one per text, so lines whose rates print alike share a single label (「100.0%」
    once for 男, 女 and 合計) rather than a stack of copies."""
    found: dict[str, float] = {}
    for values, rates in sorted(drawn, key=lambda d: -_or_low(d[0][i])):
        rate = rates[i]
        if isinstance(rate, int | float):
            found.setdefault(percent(rate), values[i])
    return list(found.items())


def _or_low(value: float) -> float:
    return -math.inf if math.isnan(value) else value


REPORT_DRAWERS: dict[str, Drawer[Figures]] = {
    "training_completion": _training_completion,
    "cedaw_participants": _cedaw_participants,
    "other_measures_participants": _other_measures,
    "training_trend": _training_trend,
}
