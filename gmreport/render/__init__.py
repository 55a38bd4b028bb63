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
CHART_TITLES = {
    "training_completion": "各類人員性別意識培力完訓率（依性別）",
    "cedaw_participants": "CEDAW宣導參與人數（依性別）",
    "other_measures_participants": "其他性別平等措施參與人數（依性別）",
    "training_trend": "全機關性別意識培力完訓率歷年趨勢（依性別）",
}
"""Each chart's caption in the report (after 「圖N」), and its name in the 檢核結果 when it
could not be drawn."""
CHART_WIDTH_CM = 15.0
"""How wide a chart is placed in a document; `charts.py` sizes its text for it."""
WHOLE_AGENCY_CHARTS = {"training_completion": "year", "training_trend": "years"}
"""The charts of the agency as a whole (of this year, or over the years compared): while
units are 未繳交 or 繳交空白表 a note under each names them (SPEC §3 ◆)."""


def built_utc(figures: Figures) -> dt.datetime:
    """When the figures were built, in UTC without a zone, as documents' properties keep it
    (now, for figures that do not say)."""
    built = figures.get("built_at")
    moment = dt.datetime.fromisoformat(built) if built else dt.datetime.now().astimezone()
    return moment.astimezone(dt.UTC).replace(tzinfo=None)
