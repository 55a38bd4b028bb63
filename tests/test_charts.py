"""Charts: PNGs at print resolution with Chinese labels, or none at all without a CJK font."""

from __future__ import annotations

import copy
import itertools
import json
import math
import statistics
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import docx
import numpy
import openpyxl
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.path import Path as LinePath
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from PIL import Image

from gmreport.format import percent
from gmreport.privacy import as_shown
from gmreport.render import CHART_NAMES, CHART_TITLES, charts
from gmreport.render.charts import (
    CJK_FONTS,
    ChartFontWarning,
    draw_charts,
    find_cjk_font,
    make_charts,
)

from .conftest import EXAMPLE_FIGURES, example_figures

EXAMPLE = example_figures()
needs_cjk_font = pytest.mark.skipif(find_cjk_font() is None, reason="需要中文字型才能繪製統計圖")


@pytest.fixture
def figures() -> dict:
    return copy.deepcopy(EXAMPLE)


@needs_cjk_font
def test_found_font_is_a_preferred_installed_one() -> None:
    name = find_cjk_font()
    assert name in CJK_FONTS
    assert name in {f.name for f in font_manager.fontManager.ttflist}


@needs_cjk_font
def test_charts_are_print_resolution_pngs(figures: dict, tmp_path: Path) -> None:
    figures["history"] = {"112": {**copy.deepcopy(figures), "year": 112}}  # the trend chart too
    paths = make_charts(figures, tmp_path / "圖")
    assert set(paths) == set(CHART_NAMES)
    for name, path in paths.items():
        assert path == tmp_path / "圖" / f"{name}.png"
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert min(image.info["dpi"]) >= 199.5
            assert image.width >= 1200  # 16 cm at 200 dpi


@needs_cjk_font
def test_charts_without_data_are_left_out(figures: dict, tmp_path: Path) -> None:
    nobody = {"male": 0, "female": 0, "other": 0, "total": 0}
    figures["cedaw"].update(sessions=0, participants=nobody, by_audience=[], list=[])
    figures["other_measures"].update(count=0, participants=nobody, list=[])
    assert set(make_charts(figures, tmp_path)) == {"training_completion"}


def test_no_cjk_font_means_no_charts_and_a_warning(
    figures: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(charts, "find_cjk_font", lambda: None)
    monkeypatch.setattr(charts, "rebuild_font_list", lambda: None)
    with pytest.warns(ChartFontWarning, match="找不到可顯示中文的字型"):
        assert make_charts(figures, tmp_path) == {}
    assert list(tmp_path.iterdir()) == []


@needs_cjk_font
def test_drawn_with_a_font_there_is_no_message(figures: dict, tmp_path: Path) -> None:
    assert draw_charts(figures, tmp_path / "有字型")[1] == []


def test_drawn_elsewhere_the_warning_comes_back_as_a_message(
    figures: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(charts, "find_cjk_font", lambda: None)
    monkeypatch.setattr(charts, "rebuild_font_list", lambda: None)
    drawn, messages, missing = draw_charts(figures, tmp_path / "無字型")
    assert drawn == {}
    assert len(messages) == 1 and "找不到可顯示中文的字型" in messages[0]
    assert missing == ["training_completion", "cedaw_participants", "other_measures_participants"]


def test_find_cjk_font_prefers_a_kai_face(monkeypatch: pytest.MonkeyPatch) -> None:
    names = ("DejaVu Sans", "Microsoft JhengHei", "Noto Sans CJK TC", "AR PL UKai TW", "標楷體")
    installed = [font_manager.FontEntry(name=n) for n in names]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", installed)
    assert find_cjk_font() == "標楷體"
    monkeypatch.setattr(font_manager.fontManager, "ttflist", installed[:-1])
    assert find_cjk_font() == "AR PL UKai TW"  # Linux's Kai before any sans face
    monkeypatch.setattr(font_manager.fontManager, "ttflist", installed[:-2])
    assert find_cjk_font() == "Microsoft JhengHei"
    monkeypatch.setattr(font_manager.fontManager, "ttflist", installed[:1])
    assert find_cjk_font() is None


@needs_cjk_font
def test_charts_leave_no_pyplot_state(tmp_path: Path) -> None:
    example = EXAMPLE_FIGURES
    code = (
        "import json, sys; from pathlib import Path;"
        "from gmreport.render.charts import make_charts;"
        f"make_charts(json.loads(Path({str(example)!r}).read_text('utf-8')), Path({str(tmp_path)!r}));"
        "print('matplotlib.pyplot' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.stdout.strip() == "False"


# The charts as the report prints them (SPEC §8 ◆): the document's typefaces, labels of at
# least 8 pt, no label crossing another or a line, series told apart in grayscale, and no
# chart left out in silence.

TREND_RATES = {
    113: (0.949, 0.943, None, 0.946),
    114: (1.0, 0.962, 0.95, 0.97),
    115: (0.955, 0.957, 0.953, 0.956),
    116: (0.93, 0.99, 0.96, 0.961),
}
"""全機關完訓率 (男, 女, 其他, 合計) of the plan's four years, close enough to collide."""


Rates = dict[int, tuple[float | None, ...]]


def _year(y: int, rates: Rates) -> dict:
    year = {**copy.deepcopy(EXAMPLE), "year": y, "history": {}, "suppressed": []}
    male, female, other, total = rates[y]
    year["training"]["groups"]["all"]["rate"] = dict(
        male=male, female=female, other=other, total=total
    )
    return year


def _trend_of(rates: Rates) -> dict:
    """The figures of the last year of `rates` with the years before it as history."""
    *before, last = sorted(rates)
    figures = _year(last, rates)
    figures["history"] = {str(y): _year(y, rates) for y in before}
    return figures


@pytest.fixture
def plan_end() -> dict:
    """116's figures with 113–115 as history, 其他 counted in CEDAW's audiences."""
    last = _trend_of(TREND_RATES)
    first = last["cedaw"]["by_audience"][0]["participants"]
    first["other"] = 4
    first["total"] += 4
    return last


def _report_figures(data: dict) -> dict[str, Figure]:
    families = charts.typefaces()
    assert families is not None
    return charts.draw_figures(charts.REPORT_DRAWERS, as_shown(data), families)


def _texts(fig: Figure) -> list[Text]:
    return [
        t for t in fig.findobj(Text) if isinstance(t, Text) and t.get_visible() and t.get_text()
    ]


@needs_cjk_font
def test_charts_are_set_in_the_documents_typefaces(plan_end: dict) -> None:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    latin, cjk = charts.typefaces() or ["", ""]
    assert latin == next(
        (n for n in ("Times New Roman", "Liberation Serif") if n in installed), "serif"
    )
    kai = [n for n in CJK_FONTS if n in installed and ("Kai" in n or "楷" in n)]
    if kai:
        assert cjk == kai[0]
    for name, fig in _report_figures(plan_end).items():
        for text in _texts(fig):
            assert text.get_fontfamily() == [latin, cjk], (name, text.get_text())


@needs_cjk_font
def test_no_text_is_under_8_pt_as_placed_in_the_report(plan_end: dict) -> None:
    from gmreport.render.report import CHART_WIDTH
    from gmreport.render.rollup_report import make_rollup_charts  # noqa: F401 (its drawers)

    for name, fig in _report_figures(plan_end).items():
        printed = CHART_WIDTH.inches / fig.get_figwidth()  # the PNG is scaled to its place
        sizes = [(t.get_text(), t.get_fontsize() * printed) for t in _texts(fig)]
        assert sizes, name
        assert all(size >= 8 for _, size in sizes), (name, min(sizes, key=lambda s: s[1]))


@needs_cjk_font
def test_charts_render_every_glyph(plan_end: dict, tmp_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        made = make_charts(plan_end, tmp_path)
    assert set(made) == set(CHART_NAMES)
    assert not [str(w.message) for w in caught if "Glyph" in str(w.message)]


def _boxes(fig: Figure) -> tuple[list[tuple[str, Bbox]], Any]:
    """The data labels of the chart's one axes with their boxes on the page, as drawn."""
    renderer = fig.canvas.get_renderer()
    (ax,) = fig.axes
    return [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts], ax


def _assert_clear(fig: Figure) -> int:
    """No two data labels meet, and none crosses a line of the plot; returns how many."""
    boxes, ax = _boxes(fig)
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), (a, b)
    for line in ax.get_lines():
        path = line.get_transform().transform_path(line.get_path())
        points = [p for p in path.vertices if all(map(math.isfinite, p))]
        for start, end in itertools.pairwise(points):
            for text, box in boxes:
                assert not LinePath([start, end]).intersects_bbox(box, filled=False), text
    return len(boxes)


@needs_cjk_font
def test_the_trend_of_four_close_years_has_no_label_crossed(plan_end: dict) -> None:
    fig = _report_figures(plan_end)["training_trend"]
    rates = [r for y in TREND_RATES.values() for r in y if r is not None]
    assert _assert_clear(fig) == len(rates)
    (ax,) = fig.axes
    assert len(ax.get_xticks()) == len(TREND_RATES)


NEAR_PT = 12
"""How far from its point, in points, a rate's label may be: clear of the marker, no more."""


def _nearest_point_pt(
    fig: Figure, text: str, box: Bbox, points: list[tuple[float, float]]
) -> float:
    """How far `box`, the label `text`, is from the nearest point whose rate it reads."""
    (ax,) = fig.axes
    gaps = []
    for x, rate in points:
        if percent(rate) != text:
            continue
        px, py = ax.transData.transform((x, rate * 100))
        dx, dy = max(box.x0 - px, 0, px - box.x1), max(box.y0 - py, 0, py - box.y1)
        gaps.append(math.hypot(dx, dy) * 72 / fig.dpi)
    assert gaps, text
    return min(gaps)


@needs_cjk_font
@pytest.mark.parametrize(
    "year_rates",
    [
        pytest.param((1.0, 1.0, None, 1.0), id="all-100"),
        pytest.param((0.9, 1.0, None, 0.95), id="all-differ"),
        pytest.param((0.95, 0.98, None, 0.9804), id="two-alike"),
        pytest.param((0.97, 0.97, None, 0.97), id="all-97"),
    ],
)
def test_rates_that_read_alike_share_one_label_by_their_point(
    year_rates: tuple[float | None, ...],
) -> None:
    """One label a year for each text the rates (男, 女, 其他, 合計) print, by its point."""
    rates: Rates = {y: year_rates for y in (113, 115, 116)}
    fig = _report_figures(_trend_of(rates))["training_trend"]
    _assert_clear(fig)
    (ax,) = fig.axes
    renderer = fig.canvas.get_renderer()
    at = {
        t.get_text().split("年度")[0]: x
        for x, t in zip(ax.get_xticks(), ax.get_xticklabels(), strict=True)
    }
    texts = sorted({percent(r) for r in year_rates if r is not None})
    for year in rates:
        x = at[str(year)]
        placed = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.xy[0] == x]
        assert sorted(text for text, _ in placed) == texts, year
        points = [(x, r) for r in year_rates if r is not None]
        for text, box in placed:
            assert _nearest_point_pt(fig, text, box, points) <= NEAR_PT, (year, text)


@needs_cjk_font
def test_rates_all_100_do_not_make_a_sliver_of_the_axis() -> None:
    fig = _report_figures(_trend_of({y: (1.0, 1.0, None, 1.0) for y in (113, 116)}))[
        "training_trend"
    ]
    (ax,) = fig.axes
    bottom, top = ax.get_ylim()
    assert 100 - bottom >= charts.MIN_TREND_SPAN
    assert bottom >= 0 and top > 100
    assert len(ax.get_yticks()) >= 3


@needs_cjk_font
def test_completion_labels_cross_neither_each_other_nor_the_target(plan_end: dict) -> None:
    fig = _report_figures(plan_end)["training_completion"]
    assert _assert_clear(fig) >= len(fig.axes[0].patches)


@needs_cjk_font
def test_a_hidden_rate_reads_a_star_inside_the_plot(figures: dict) -> None:
    fig = _report_figures(figures)["training_completion"]
    boxes, ax = _boxes(fig)
    stars = [box for text, box in boxes if text == "*"]
    assert len(stars) == len(figures["suppressed"])  # 性別業務承辦人's 男 and 女
    plot = ax.patch.get_window_extent(fig.canvas.get_renderer())
    axis = ax.spines["left"].get_window_extent(fig.canvas.get_renderer())
    for box in stars:
        assert box.x0 > axis.x1 and plot.y0 < box.y0 and box.y1 < plot.y1


def _bar_thickness_pt(fig: Figure) -> set[float]:
    renderer = fig.canvas.get_renderer()
    return {
        round(p.get_window_extent(renderer).height * 72 / fig.dpi, 1) for p in fig.axes[0].patches
    }


@needs_cjk_font
def test_a_lone_bar_is_as_thin_as_one_of_many(figures: dict) -> None:
    measures = figures["other_measures"]
    one = next(r for r in measures["list"] if r["participants"]["total"])
    measures["list"] = [{**copy.deepcopy(one), "name": f"措施{n}"} for n in range(4)]
    many = _report_figures(figures)["other_measures_participants"]
    measures["list"] = [one]
    lone = _report_figures(figures)["other_measures_participants"]
    assert _bar_thickness_pt(lone) == _bar_thickness_pt(many)
    assert lone.get_figheight() < many.get_figheight()
    assert _assert_clear(lone) >= 1  # its counts and its total


def _luminance_of_series(fig: Figure, png: Path) -> dict[str, float]:
    """The median gray level (ITU-R 601, as Pillow's 「L」) of each series' bars as printed."""
    renderer = fig.canvas.get_renderer()
    (ax,) = fig.axes
    handles, labels = ax.get_legend_handles_labels()
    with Image.open(png) as image:
        gray = image.convert("L")
        levels: dict[str, float] = {}
        for handle, label in zip(handles, labels, strict=True):
            if not hasattr(handle, "patches"):
                continue  # the target line
            values: list[int] = []
            for patch in handle.patches:
                box = patch.get_window_extent(renderer)
                if box.width < 4 or box.height < 4:
                    continue
                crop = gray.crop(
                    (
                        int(box.x0) + 1,
                        int(gray.height - box.y1) + 1,
                        int(box.x1) - 1,
                        int(gray.height - box.y0) - 1,
                    )
                )
                values += numpy.asarray(crop).ravel().tolist()
            levels[label] = statistics.median(values)
    return levels


@needs_cjk_font
@pytest.mark.parametrize("name", ["training_completion", "cedaw_participants"])
def test_series_differ_in_grayscale(plan_end: dict, tmp_path: Path, name: str) -> None:
    plan_end["training"]["groups"]["all"]["required"]["other"] = 3
    fig = _report_figures(plan_end)[name]
    png = tmp_path / "chart.png"
    fig.savefig(png, dpi=fig.dpi, facecolor="white")
    levels = _luminance_of_series(fig, png)
    assert len(levels) >= 2
    for (a, la), (b, lb) in itertools.combinations(levels.items(), 2):
        assert abs(la - lb) >= 20, (a, la, b, lb)


def _no_font_at_all(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """matplotlib's font list without any font, even after it is scanned again; returns the
    list of rescans."""
    rescans: list[int] = []
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])

    def rescan() -> None:
        rescans.append(1)
        font_manager.fontManager.ttflist = []

    monkeypatch.setattr(charts, "rebuild_font_list", rescan)
    return rescans


def test_without_any_font_the_list_is_scanned_once_more(
    figures: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rescans = _no_font_at_all(monkeypatch)
    with pytest.warns(ChartFontWarning) as caught:
        assert make_charts(figures, tmp_path) == {}
    assert rescans == [1]
    (warning,) = caught
    assert isinstance(warning.message, ChartFontWarning)
    assert warning.message.charts == (
        "training_completion",
        "cedaw_participants",
        "other_measures_participants",
    )


@needs_cjk_font
def test_a_font_installed_after_matplotlib_cached_its_list_is_found(
    figures: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = find_cjk_font()
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])  # the stale cache
    assert find_cjk_font() is None
    assert set(make_charts(figures, tmp_path)) >= {"training_completion"}
    assert find_cjk_font() == found


def test_a_build_without_a_font_writes_the_report_and_lists_the_missing_charts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gmreport.cli import main

    from .conftest import SAMPLES

    _no_font_at_all(monkeypatch)
    out = tmp_path / "out"
    assert main(["build", "--input", str(SAMPLES), "--output", str(out)]) == 0
    report = out / "113年度性別主流化執行成果報告.docx"
    assert report.exists() and not docx.Document(str(report)).inline_shapes
    sheet = openpyxl.load_workbook(out / "113年度填報檢核結果.xlsx").worksheets[0]
    rows = [
        " ".join(str(c) for c in row if c is not None) for row in sheet.iter_rows(values_only=True)
    ]
    figures = json.loads((out / "113年度統計數據.json").read_text(encoding="utf-8"))
    wanted = [  # the charts the figures have data for (113 has no earlier year)
        name
        for name, there in (
            ("training_completion", figures["training"]["groups"]["all"]["required"]["total"]),
            ("cedaw_participants", figures["cedaw"]["participants"]["total"]),
            (
                "other_measures_participants",
                any(r["participants"]["total"] for r in figures["other_measures"]["list"]),
            ),
        )
        if there
    ]
    assert wanted
    for name in wanted:
        said = [r for r in rows if CHART_TITLES[name] in r]
        assert len(said) == 1 and "統計圖未繪製" in said[0] and "fonts-arphic-ukai" in said[0]
    assert not [r for r in rows if CHART_TITLES["training_trend"] in r]
    printed = capsys.readouterr()
    assert "找不到可顯示中文的字型" in printed.out + printed.err
