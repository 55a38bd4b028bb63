"""The render stage: figures → Word report, workbooks and JSON."""

from __future__ import annotations

import datetime as dt

from ..figures import Figures

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


def built_utc(figures: Figures) -> dt.datetime:
    """When the figures were built, in UTC without a zone, as documents' properties keep it
    (now, for figures that do not say)."""
    built = figures.get("built_at")
    moment = dt.datetime.fromisoformat(built) if built else dt.datetime.now().astimezone()
    return moment.astimezone(dt.UTC).replace(tzinfo=None)
