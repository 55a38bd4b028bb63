"""The Word 年度執行成果報告: the figures rendered into the docxtpl template.

Wording and styles live in the template, which ships inside the package
(`gmreport.templates`, made by `tools/make_report_template.py`); 人事室 may point the
config's `report_template` at an edited copy. This module only supplies the data and the
filters that format it for people (ROC dates, thousands separators, percentages), all
from `gmreport.format`.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from docx import Document
from docx.image.exceptions import UnrecognizedImageError
from docx.oxml import parse_xml
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import nodes

from .. import format as fmt
from ..atomic import atomic_path
from ..figures import Figures, female_ratio, rate
from ..findings import findings, target_rows
from ..photos import NUMERALS, Photo
from ..privacy import as_shown
from ..problems import OutputError, UsageError
from ..schema import (
    WORK_ITEM_LIST,
    WORK_ITEMS_BY_KEY,
    WORK_ITEMS_BY_NAME,
    WorkItem,
    lead_and_support,
)
from ..tables import Table, report_tables, units_note
from . import CHART_NAMES, CHART_WIDTH_CM, WHOLE_AGENCY_CHARTS, built_utc, toc
from .docx_tables import DocxTable
from .trends import HISTORY_KEYS, report_trends, trend_tables, years, years_note

TEMPLATE_NAME = "年度執行成果報告.docx"
CHART_WIDTH = Cm(CHART_WIDTH_CM)
PHOTO_BOX = (7.4, 5.6)
"""The box in cm each 佐證照片 fits in: half the text width, two to a row, 4:3."""


@contextlib.contextmanager
def shipped_template(name: str = TEMPLATE_NAME) -> Iterator[Path]:
    """The path of a Word template that ships with the package (by default the report's),
    while in use."""
    with resources.as_file(resources.files("gmreport.templates") / name) as path:
        yield path


def _writable(value: Any) -> Any:
    """Every text the template prints, as a .docx can hold it (see `format.writable`)."""
    return fmt.writable(value) if isinstance(value, str) else value


def make_environment() -> jinja2.Environment:
    """The Jinja environment the report renders with: autoescape on, undefined is an error."""
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, finalize=_writable)
    env.filters.update(
        roc_date=fmt.roc_date,
        roc_short_date=fmt.roc_short_date,
        num=fmt.number,
        hours=fmt.hours,
        pct=fmt.percent,
        female_ratio=female_ratio,
        ratio=rate,
        yesno=fmt.yes_no,
        dimensions=fmt.dimensions,
        tally=fmt.tally,
        genders=fmt.genders,
    )
    env.tests["hidden"] = lambda value: value == fmt.SUPPRESSED  # privacy hides it
    return env


class Voice(NamedTuple):
    """How the report names the agency and its units (config's `self_name`, `unit_word`)."""

    self_name: str = "本所"
    unit_word: str = "課室"

    def say(self, text: str) -> str:
        """`text`, worded for 本所 and its 課室, worded for this agency."""
        return text.replace("本所", self.self_name).replace("課室", self.unit_word)


OFFICE = Voice()
"""A 區公所's: 本所 and its 課室."""


def report_context(
    figures: Figures, photos: Sequence[Photo] = (), voice: Voice = OFFICE
) -> dict[str, Any]:
    """The template's context: the figures as the report shows them (a staff cell too small
    to show reads 「*」), plus what the report derives from them: `tables`, each declared
    table by its key (and the 歷年比較 and 計畫期程總檢討 tables, `trend_tables`), and `work_items`, the plan's work items in order with their tables
    and 佐證照片 (`photos`, and `photo_rows` of two, an odd one beside a blank), over which
    the chapters of 貳、辦理情形 loop. The findings are judged on the exact figures and
    state none that privacy hides. A photo's `image` is set by `render_report`."""
    exact, figures = figures, as_shown(figures)
    narratives: dict[str, list[Any]] = {key: [] for key in WORK_ITEMS_BY_KEY}
    reviews = []
    for block in figures["narratives"]:
        if block["item"] not in WORK_ITEMS_BY_NAME:  # 計畫期程總檢討: in its own chapter
            continue
        narratives[WORK_ITEMS_BY_NAME[block["item"]].key].extend(block["entries"])
        reviews += [
            {"unit": e["unit"], "item": block["item"], "text": e["review"]}
            for e in block["entries"]
            if e["review"]
        ]
    tables = [t for t in report_tables(figures) if t.in_report]
    history = trend_tables(exact, first=len(tables) + 1)
    return {
        **figures,
        "tables": {
            **dict.fromkeys(HISTORY_KEYS, NOT_SHOWN),
            **{t.key: DocxTable(t) for t in [*tables, *history]},
        },
        "work_items": [
            _work_item(i, w, figures, tables, photos) for i, w in enumerate(WORK_ITEM_LIST)
        ],
        "photo_count": len(photos),
        "narrative": narratives,
        "reviews": reviews,
        "target_rows": target_rows(figures),
        "findings": [voice.say(f) for f in findings(exact)],
        "self_name": voice.self_name,
        "unit_word": voice.unit_word,
        "charts": dict.fromkeys(CHART_NAMES),
        "chart_notes": chart_notes(figures),
        **_trends(figures, voice),
    }


NOT_SHOWN = DocxTable(Table("", "", (), (), []))
"""A 歷年比較 or 計畫期程總檢討 table the report has not (no earlier year, not the plan's
last year): its key is there for the template, which shows it only with its chapter."""


def _work_item(
    n: int, item: WorkItem, figures: Figures, tables: list[Table], photos: Sequence[Photo]
) -> dict[str, Any]:
    """The `n`th chapter of 貳、辦理情形: the work item, its 主辦單位 and 協辦單位 (the config's,
    else the plan's), its results table, its other tables, and its photos, each `caption`
    and `image` (with the `photo` it shows), and the same in rows of two for the template's
    table, an odd one beside a blank."""
    units = figures.get("plan", {}).get("lead_units", {}).get(item.name) or item.lead_unit
    lead, support = lead_and_support(units)
    results = f"results_{item.key}"
    shown = [
        {"caption": p.caption, "image": "", "photo": p} for p in photos if p.item.key == item.key
    ]
    blank = {"caption": "", "image": "", "photo": None}
    return {
        "key": item.key,
        "name": item.name,
        "numeral": NUMERALS[n],
        "lead": "、".join(lead),
        "support": "、".join(support),
        "results": next((DocxTable(t) for t in tables if t.key == results), None),
        "tables": [DocxTable(t) for t in tables if t.work_item == item.key and t.key != results],
        "photos": shown,
        "photo_rows": [[*shown[i : i + 2], blank][:2] for i in range(0, len(shown), 2)],
    }


def _photo_image(doc: DocxTemplate, photo: Photo) -> InlineImage:
    """The photo as the report shows it, fit in PHOTO_BOX."""
    width, height = photo.size
    scale = min(PHOTO_BOX[0] / width, PHOTO_BOX[1] / height)
    return InlineImage(doc, io.BytesIO(photo.jpeg), width=Cm(width * scale))


def chart_notes(figures: Figures) -> dict[str, str]:
    """The note under each chart of the agency as a whole naming the units it leaves out,
    this year's or each year's compared ("" when none, and for the other charts)."""
    compared = years(figures)
    said = {"year": units_note(figures), "years": years_note(compared.shown) if compared else ""}
    notes = dict.fromkeys(CHART_NAMES, "")
    notes.update({name: said[span] for name, span in WHOLE_AGENCY_CHARTS.items()})
    return notes


def _trends(figures: Figures, voice: Voice) -> dict[str, Any]:
    """歷年比較 and 計畫期程總檢討, their findings in the agency's voice."""
    context = report_trends(figures)
    for part in (*context["trends"].values(), *context["period_review"]["trends"]):
        part["findings"] = [voice.say(f) for f in part["findings"]]
    review = context["period_review"]
    review["summary"] = [voice.say(f) for f in review["summary"]]
    return context


def check_template(template: Path, context: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """Compare the data a template uses with the context and with the shipped template:
    the data it uses that does not exist (the report cannot be made), and the data the
    shipped template shows and it does not.

    Raises OutputError when the template's {{ }} or {% %} marks are malformed.
    """
    env = make_environment()
    used, guarded = template_data(template, env)
    with shipped_template() as shipped:
        standard = template_data(shipped, env)[0] if shipped != template else used
    unknown = {p for p in used - guarded if not _exists(context, p)}
    return sorted(_outermost(unknown)), sorted(_outermost(standard - used))


def template_data(template: Path, env: jinja2.Environment) -> tuple[set[str], set[str]]:
    """The data a template uses, as paths from the context ("gia.count"; a loop's item is
    "gia.list[]"), and those it only tests for (`is defined`, `|default`).

    The Jinja source is gathered from the body, headers and footers as docxtpl renders it.
    """
    doc = DocxTemplate(template)
    document = Document(str(template))
    xml = doc.patch_xml(doc.xml_to_string(document.element.body))
    for rel in document.part.rels.values():
        if rel.reltype in (doc.HEADER_URI, doc.FOOTER_URI) and rel.target_part.blob:
            xml += doc.patch_xml(doc.xml_to_string(parse_xml(rel.target_part.blob)))
    try:
        tree = env.parse(xml)
    except jinja2.TemplateSyntaxError:
        raise OutputError(
            f"報告範本「{template.name}」的資料標記有誤，無法產製報告。"
            "請檢查範本中 {{ }} 與 {% %} 是否成對、標記內是否多打或少打了文字"
            "（可與內建範本 templates/年度執行成果報告.docx 比對）。"
        ) from None
    local = {"loop", *env.globals}  # names Jinja itself provides
    used: set[str] = set()
    guarded: set[str] = set()

    def path(node: nodes.Node, scope: dict[str, str | None]) -> str | None:
        """ "a.b.c" for a chain of attributes rooted at a context name, else None."""
        parts: list[str] = []
        while isinstance(node, nodes.Getattr):
            parts.append(node.attr)
            node = node.node
        if not isinstance(node, nodes.Name) or node.ctx != "load" or node.name in local:
            return None
        root = scope.get(node.name, node.name)
        return None if root is None else ".".join([root, *reversed(parts)])

    def visit(node: nodes.Node, scope: dict[str, str | None]) -> None:
        """Collect the paths `node` reads, following loop variables."""
        if isinstance(node, nodes.For):
            visit(node.iter, scope)
            inner = dict(scope)
            item = path(node.iter, scope)
            single = isinstance(node.target, nodes.Name)
            for name in _names(node.target):
                # `for x in a.list`: x is an item of a.list; `for k, v in …`: not followed.
                inner[name] = f"{item}[]" if item and single else None
            for child in (*node.body, *node.else_, *([node.test] if node.test else [])):
                visit(child, inner)
            return
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            for name in _names(node.target):
                scope[name] = None  # set by the template itself
        if isinstance(node, nodes.Getattr | nodes.Name):
            found = path(node, scope)
            if found:
                used.add(found)  # the whole path only: "gia.count", not also "gia"
            elif isinstance(node, nodes.Getattr):
                visit(node.node, scope)
            return
        tested = None
        if isinstance(node, nodes.Test) and node.name in ("defined", "undefined"):
            tested = path(node.node, scope)
        if isinstance(node, nodes.Filter) and node.name in ("default", "d") and node.node:
            tested = path(node.node, scope)
        if tested:
            guarded.add(tested)
        for child in node.iter_child_nodes():
            visit(child, scope)

    visit(tree, {})
    return used, guarded


def _names(target: nodes.Node) -> list[str]:
    """The names a `for` or `set` target assigns: `x`, or `k, v`."""
    if isinstance(target, nodes.Name):
        return [target.name]
    return [n.name for n in target.find_all(nodes.Name)]


def _exists(context: Mapping[str, Any], path: str) -> bool:
    """Whether `path` can be read from the context, each key as an item of a mapping or an
    attribute (a method such as dict.items); a list's item ("a.list[]") is checked on its
    first element, and an empty list has nothing to contradict it."""
    value: Any = context
    for key in path.split("."):
        name = key.removesuffix("[]")
        if isinstance(value, Mapping) and name in value:
            value = value[name]
        elif hasattr(value, name):
            value = getattr(value, name)
        else:
            return False
        if key.endswith("[]"):
            if not isinstance(value, list | tuple) or not value:
                return isinstance(value, list | tuple)
            value = value[0]
    return True


def _outermost(paths: set[str]) -> set[str]:
    """The paths not inside another of them: "gia" for {"gia", "gia.count"}."""
    return {p for p in paths if not any(p.startswith((q + ".", q + "[]")) for q in paths if q != p)}


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
    photos: Sequence[Photo] = (),
    voice: Voice = OFFICE,
) -> list[str]:
    """Render the figures into the Word report at `path` (written atomically).

    `charts` maps chart names (see `charts.make_charts`) to PNG files; a chart not given is
    left out of the report with its caption. `photos` (see `photos.read_photos`) go under
    their work items and in the 附件 list; `voice` names the agency and its units.
    `template` is an edited copy of the shipped
    template, which is used when it is None. Raises OutputError naming any data the
    template uses that the figures lack; returns the data the shipped template shows and
    `template` leaves out, for the person to confirm.
    """
    with contextlib.ExitStack() as stack:
        edited = template is not None
        template = template or stack.enter_context(shipped_template())
        try:
            doc = DocxTemplate(template)
            doc.init_docx()
        except Exception:
            raise UsageError(
                f"無法開啟報告範本「{template}」：檔案不是 Word 文件（.docx）或已損毀。"
                "請在 Word 中開啟範本後另存為「Word 文件 (*.docx)」。"
            ) from None
        try:
            context = report_context(figures, photos, voice)
        except KeyError as e:  # a figure a table is made of: named as the template's are
            raise OutputError(_missing_message([str(e.args[0])])) from None
        # An edited template is checked against the data before rendering; the shipped one
        # uses only what the figures hold, so it is checked only to name what is missing.
        unused: list[str] = []
        if edited:
            unknown, unused = check_template(template, context)
            if unknown:
                raise OutputError(_missing_message(unknown))
        for name, png in (charts or {}).items():
            if name in context["charts"]:
                context["charts"][name] = InlineImage(doc, str(png), width=CHART_WIDTH)
        for item in context["work_items"]:
            for shown in item["photos"]:
                shown["image"] = _photo_image(doc, shown["photo"])
        try:
            doc.render(context, make_environment(), autoescape=True)
        except jinja2.UndefinedError as e:
            missing = check_template(template, report_context(figures))[0]
            raise OutputError(_missing_message(missing or [_undefined_name(str(e))])) from None
        except jinja2.TemplateError:
            raise OutputError(
                f"報告範本「{template.name}」有錯誤，無法產製報告。請與內建範本比對修改過的段落。"
            ) from None
        except (OSError, UnrecognizedImageError) as e:
            raise OutputError(f"無法將統計圖放入報告（{e}），請重新產製統計圖。") from None
    _name_the_agency(doc.docx.core_properties, figures)
    toc.fill(doc.docx)  # the headings, without pages: Word numbers them on opening
    with atomic_path(path) as tmp:  # a failed write is said by atomic_path
        doc.save(tmp)
    return unused


def number_the_contents(report: Path, pdf: Path | None) -> bool:
    """The 目錄 of the Word `report` with the page of each heading in `pdf`, a PDF made
    from it; with placeholder pages (0) when `pdf` is None, so that a PDF made before the
    pages are known is laid out as the final one. False when the report has no 目錄."""
    document = Document(str(report))
    entries = toc.headings(document)
    pages = toc.pages_of(pdf, entries) if pdf is not None else [0] * len(entries)
    if not toc.fill(document, pages):
        return False
    with atomic_path(report) as tmp:
        document.save(str(tmp))
    return True


def _name_the_agency(props: Any, figures: Figures) -> None:
    """The document's properties (檔案 → 資訊) name the agency and the build time, not the
    template or the tool (SPEC §8 ◆)."""
    props.title = f"{figures['agency']}{figures['year']}年度性別主流化推動計畫執行成果報告"
    props.author = props.last_modified_by = figures["agency"]
    props.created = props.modified = built_utc(figures)


def _undefined_name(message: str) -> str:
    """The missing name in a Jinja UndefinedError message."""
    found = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", message)
    if not found:
        return message
    return found.group(1) or found.group(2)
