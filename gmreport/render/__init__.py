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
WHOLE_AGENCY_CHARTS = {"training_completion": "year", "training_trend": "years"}
"""The charts of the agency as a whole (of this year, or over the years compared): while
units are 未繳交 or 繳交空白表 a note under each names them (SPEC §3 ◆)."""
