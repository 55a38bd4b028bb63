"""The render stage: figures → Word report, workbooks and JSON."""

from __future__ import annotations

CHART_NAMES = (
    "training_completion",
    "cedaw_participants",
    "other_measures_participants",
    "training_trend",
)
"""The report's charts, by the names its template uses; `charts.py` draws them. Declared
here so that the report knows them without loading matplotlib."""
