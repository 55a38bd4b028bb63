"""The Word 年度執行成果報告: the figures rendered into the docxtpl template.

Wording and styles live in `templates/年度執行成果報告.docx` (built by
`tools/make_report_template.py`, editable in Word); this module only supplies data and the
filters that format it for people: ROC dates, thousands separators and percentages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from docx.image.exceptions import UnrecognizedImageError
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage

from .. import cells
from ..problems import OutputError
from ..schema import WORK_ITEMS
from .charts import CHART_NAMES
from .findings import findings, number, percent, target_rows
from .output import atomic_path
from .tables import female_ratio

TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "年度執行成果報告.docx"

# The template reads each work item's narratives under an English key.
NARRATIVE_KEYS = dict(
    zip(
        WORK_ITEMS,
        ("meetings", "training", "gia", "statistics_budget", "cedaw_measures"),
        strict=True,
    )
)
CHART_WIDTH = Cm(15)


def roc_date(value: str | dt.date | None) -> str:
    """An ISO date as a ROC date: 2024-03-18 → 113年3月18日; None or blank → 「—」."""
    if value is None or value == "":
        return "—"
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return cells.roc_date(day)


def ratio(part: float | None, whole: float | None) -> float | None:
    """part / whole, or None when the whole is zero or unknown."""
    if part is None or not whole:
        return None
    return part / whole


def yesno(value: object) -> str:
    """True → 是, False → 否."""
    return "是" if value else "否"


def hours(value: float | None, digits: int = 1) -> str:
    """Hours with a fixed number of decimals, so a column lines up (29.0, 213.5)."""
    return "—" if value is None else f"{value:,.{digits}f}"


def make_environment() -> jinja2.Environment:
    """The Jinja environment the report renders with: autoescape on, undefined is an error."""
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters.update(
        roc_date=roc_date,
        num=number,
        hours=hours,
        pct=percent,
        female_ratio=female_ratio,
        ratio=ratio,
        yesno=yesno,
    )
    return env


def report_context(figures: Mapping[str, Any]) -> dict[str, Any]:
    """The template's context: the figures, plus what the report derives from them."""
    narratives = {key: [] for key in NARRATIVE_KEYS.values()}
    reviews = []
    for block in figures.get("narratives", []):
        key = NARRATIVE_KEYS.get(block["item"])
        if key is not None:
            narratives[key].extend(block["entries"])
        reviews += [
            {"unit": e["unit"], "item": block["item"], "text": e["review"]}
            for e in block["entries"]
            if e.get("review")
        ]
    return {
        **figures,
        "narrative": narratives,
        "reviews": reviews,
        "target_rows": target_rows(figures),
        "findings": findings(figures),
        "charts": dict.fromkeys(CHART_NAMES),
    }


def _missing_message(names: set[str] | list[str]) -> str:
    listed = "、".join(f"「{n}」" for n in sorted(names))
    return (
        f"報告範本使用的資料{listed}不存在，無法產製報告。"
        "請確認統計資料完整，或修正範本中的欄位名稱。"
    )


def render_report(
    figures: dict,
    path: Path,
    *,
    charts: dict[str, Path] | None = None,
    template: Path | None = None,
) -> None:
    """Render the figures into the Word report at `path` (written atomically).

    `charts` maps chart names (see `charts.make_charts`) to PNG files; a chart not given is
    left out of the report with its caption. Raises OutputError naming any data the
    template uses that the figures lack.
    """
    template = template or TEMPLATE
    try:
        doc = DocxTemplate(template)
        doc.init_docx()
    except Exception as e:
        raise OutputError(f"無法開啟報告範本「{template}」：{e}") from None
    env = make_environment()
    context = report_context(figures)
    missing = doc.get_undeclared_template_variables(env, context)
    if missing:
        raise OutputError(_missing_message(missing))
    for name, png in (charts or {}).items():
        if name in context["charts"]:
            context["charts"][name] = InlineImage(doc, str(png), width=CHART_WIDTH)
    try:
        doc.render(context, env, autoescape=True)
    except jinja2.UndefinedError as e:
        raise OutputError(_missing_message([_undefined_name(str(e))])) from None
    except jinja2.TemplateError as e:
        raise OutputError(f"報告範本有錯誤，無法產製報告：{e}") from None
    except (OSError, UnrecognizedImageError) as e:
        raise OutputError(f"無法將統計圖放入報告（{e}），請重新產製統計圖。") from None
    with atomic_path(path) as tmp:
        try:
            doc.save(tmp)
        except OSError as e:
            raise OutputError(f"無法寫入「{path}」（{e.strerror}）。") from None


def _undefined_name(message: str) -> str:
    """The missing name in a Jinja UndefinedError message."""
    found = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", message)
    if not found:
        return message
    return found.group(1) or found.group(2)
