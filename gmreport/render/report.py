"""The Word 年度執行成果報告: the figures rendered into the docxtpl template.

Wording and styles live in the template, which ships inside the package
(`gmreport.templates`, made by `tools/make_report_template.py`); 人事室 may point the
config's `report_template` at an edited copy. This module only supplies the data and the
filters that format it for people (ROC dates, thousands separators, percentages), all
from `gmreport.format`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docx.image.exceptions import UnrecognizedImageError
from docx.oxml import parse_xml
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import nodes

from .. import format as fmt
from ..atomic import atomic_path
from ..figures import Figures, female_ratio
from ..problems import OutputError
from ..schema import WORK_ITEMS_BY_KEY
from .charts import CHART_NAMES
from .findings import findings, target_rows

TEMPLATE_NAME = "年度執行成果報告.docx"
CHART_WIDTH = Cm(15)


@contextlib.contextmanager
def shipped_template() -> Iterator[Path]:
    """The path of the Word template that ships with the package, while in use."""
    with resources.as_file(resources.files("gmreport.templates") / TEMPLATE_NAME) as path:
        yield path


def ratio(part: float | None, whole: float | None) -> float | None:
    """part / whole, or None when the whole is zero or unknown."""
    if part is None or not whole:
        return None
    return part / whole


def make_environment() -> jinja2.Environment:
    """The Jinja environment the report renders with: autoescape on, undefined is an error."""
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters.update(
        roc_date=fmt.roc_date,
        num=fmt.number,
        hours=fmt.hours,
        pct=fmt.percent,
        female_ratio=female_ratio,
        ratio=ratio,
        yesno=fmt.yes_no,
    )
    return env


def report_context(figures: Figures) -> dict[str, Any]:
    """The template's context: the figures, plus what the report derives from them."""
    by_item = {w.name: w.key for w in WORK_ITEMS_BY_KEY.values()}
    narratives: dict[str, list[Any]] = {key: [] for key in WORK_ITEMS_BY_KEY}
    reviews = []
    for block in figures["narratives"]:
        narratives[by_item[block["item"]]].extend(block["entries"])
        reviews += [
            {"unit": e["unit"], "item": block["item"], "text": e["review"]}
            for e in block["entries"]
            if e["review"]
        ]
    return {
        **figures,
        "narrative": narratives,
        "reviews": reviews,
        "target_rows": target_rows(figures),
        "findings": findings(figures),
        "charts": dict.fromkeys(CHART_NAMES),
    }


@dataclass(frozen=True)
class TemplateCheck:
    """What a template uses that the data lacks, and what it leaves out of the report."""

    unknown: list[str]  # data the template uses that does not exist: the report cannot be made
    unused: list[str]  # data the shipped template shows and this one does not


def check_template(template: Path, context: Mapping[str, Any]) -> TemplateCheck:
    """Compare the data a template uses with the context and with the shipped template."""
    env = make_environment()
    used = template_data(template, env)
    with shipped_template() as shipped:
        standard = template_data(shipped, env) if shipped != template else used
    return TemplateCheck(
        sorted(_outermost({p for p in used if not _exists(context, p)})),
        sorted(_outermost(standard - used)),
    )


def template_data(template: Path, env: jinja2.Environment) -> set[str]:
    """The data a template uses, as dotted paths from the context: "gia.count".

    The Jinja source is gathered from the body, headers and footers as docxtpl renders it.
    Names a template sets itself (loop variables) are left out.
    """
    doc = DocxTemplate(template)
    document = Document(str(template))
    xml = doc.patch_xml(doc.xml_to_string(document.element.body))
    for rel in document.part.rels.values():
        if rel.reltype in (doc.HEADER_URI, doc.FOOTER_URI) and rel.target_part.blob:
            xml += doc.patch_xml(doc.xml_to_string(parse_xml(rel.target_part.blob)))
    tree = env.parse(xml)
    local = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    local |= {"loop", *env.globals}  # what Jinja itself provides
    paths = set()
    for node in tree.find_all((nodes.Getattr, nodes.Name)):
        path = _path(node)
        if path and path.split(".")[0] not in local:
            paths.add(path)
    return paths


def _path(node: nodes.Node) -> str | None:
    """ "a.b.c" for the chain of attributes ending at `node`, rooted at a loaded name."""
    parts: list[str] = []
    while isinstance(node, nodes.Getattr):
        parts.append(node.attr)
        node = node.node
    if not isinstance(node, nodes.Name) or node.ctx != "load":
        return None
    return ".".join([node.name, *reversed(parts)])


def _exists(context: Mapping[str, Any], path: str) -> bool:
    value: Any = context
    for key in path.split("."):
        if isinstance(value, Mapping) and key in value:
            value = value[key]
        elif hasattr(value, key):  # an object's attribute, or a method such as dict.items
            value = getattr(value, key)
        else:
            return False
    return True


def _outermost(paths: set[str]) -> set[str]:
    """The paths not inside another of them: "gia" for {"gia", "gia.count"}."""
    return {p for p in paths if not any(p.startswith(q + ".") for q in paths)}


def _missing_message(names: list[str]) -> str:
    listed = "、".join(f"「{n}」" for n in sorted(names))
    return (
        f"報告範本使用的資料{listed}不存在，無法產製報告。"
        "請確認統計資料完整，或修正範本中的欄位名稱。"
    )


def render_report(
    figures: Figures,
    path: Path,
    *,
    charts: Mapping[str, Path] | None = None,
    template: Path | None = None,
) -> list[str]:
    """Render the figures into the Word report at `path` (written atomically).

    `charts` maps chart names (see `charts.make_charts`) to PNG files; a chart not given is
    left out of the report with its caption. `template` is an edited copy of the shipped
    template, which is used when it is None. Raises OutputError naming any data the
    template uses that the figures lack; returns the data the shipped template shows and
    `template` leaves out, for the person to confirm.
    """
    with contextlib.ExitStack() as stack:
        template = template or stack.enter_context(shipped_template())
        try:
            doc = DocxTemplate(template)
            doc.init_docx()
        except Exception as e:
            raise OutputError(f"無法開啟報告範本「{template}」：{e}") from None
        context = report_context(figures)
        check = check_template(template, context)
        if check.unknown:
            raise OutputError(_missing_message(check.unknown))
        for name, png in (charts or {}).items():
            if name in context["charts"]:
                context["charts"][name] = InlineImage(doc, str(png), width=CHART_WIDTH)
        try:
            doc.render(context, make_environment(), autoescape=True)
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
    return check.unused


def _undefined_name(message: str) -> str:
    """The missing name in a Jinja UndefinedError message."""
    found = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", message)
    if not found:
        return message
    return found.group(1) or found.group(2)
