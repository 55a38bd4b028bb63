"""Charts: PNGs at print resolution with Chinese labels, or none at all without a CJK font."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from matplotlib import font_manager
from PIL import Image

from gmreport.render import CHART_NAMES, charts
from gmreport.render.charts import (
    CJK_FONTS,
    ChartFontWarning,
    draw_charts,
    find_cjk_font,
    make_charts,
)

EXAMPLE = json.loads(
    (Path(__file__).parent / "data" / "figures_example.json").read_text(encoding="utf-8")
)
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
    drawn, messages = draw_charts(figures, tmp_path / "無字型")
    assert drawn == {}
    assert len(messages) == 1 and "找不到可顯示中文的字型" in messages[0]


def test_find_cjk_font_prefers_windows_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    installed = [
        font_manager.FontEntry(name=n) for n in ("DejaVu Sans", "Noto Sans CJK TC", "標楷體")
    ]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", installed)
    assert find_cjk_font() == "標楷體"
    monkeypatch.setattr(font_manager.fontManager, "ttflist", installed[:1])
    assert find_cjk_font() is None


@needs_cjk_font
def test_charts_leave_no_pyplot_state(tmp_path: Path) -> None:
    example = Path(__file__).parent / "data" / "figures_example.json"
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
