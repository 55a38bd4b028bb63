"""The render stage: figures → Word report, workbooks and JSON."""

from __future__ import annotations

from pathlib import Path

from ..figures import Figures

CHART_NAMES = (
    "training_completion",
    "cedaw_participants",
    "other_measures_participants",
    "training_trend",
)
"""The report's charts, by the names its template uses; `charts.py` draws them. Declared
here so that the report knows them without loading matplotlib."""


def draw_charts(figures: Figures, folder: Path) -> tuple[dict[str, Path], list[str]]:
    """The report's charts and the warnings of drawing them (`charts.draw_charts`), for a
    process that has loaded matplotlib: the caller only names this function."""
    from .charts import draw_charts

    return draw_charts(figures, folder)
