"""歷年比較 and 計畫期程總檢討 (SPEC §3 ★ History): this year's figures beside earlier ones.

One declarative table per work item (`TREND_TABLES`, in the plan's order) says which
figures are compared, how each is shown and how a finding states its change. The report,
its template (tools/make_report_template.py) and the 統計總表 all read it. Every value
comes from a year's figures through `dig`, so an earlier file without a figure shows 「—」;
a staff cell suppressed in that year's file (its `suppressed` list) stays 「*」.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from ..figures import Figures, dig
from ..format import NONE, SUPPRESSED, number, percent, points
from ..privacy import as_shown, suppressed_cells
from ..schema import EVERYONE, TRAINING_GROUPS, WORK_ITEMS_BY_KEY
from ..targets import DONE, MET, MISSED, NOT_DONE, TARGETS
from .statistics import Table, ValueKind

NO_DATA = "無資料"
"""A year of the plan whose figures were not found, as its row and verdicts read."""
GROUP = "{group}"
"""Stands for a training group's key in a path of the training table."""

Getter = str | Callable[[Mapping[str, Any]], Any]
"""A dotted path into one year's figures, or a function of them."""


@dataclass(frozen=True)
class Measure:
    """One compared figure: its column, and how a finding names its change ("" for none)."""

    header: str
    get: Getter
    kind: ValueKind
    said: str = ""  # 「CEDAW 宣導」: the finding 「CEDAW 宣導 3 場次，較 113 年度增加 1 場次」
    unit: str = ""
    group: str | None = None  # the header above this column and its neighbours (docx)

    def value(self, figures: Mapping[str, Any], group: str = "") -> Any:
        if callable(self.get):
            return self.get(figures)
        return dig(figures, self.get.replace(GROUP, group))


@dataclass(frozen=True)
class TrendTable:
    """The 歷年比較 of one work item (or of the targets): a table and its findings."""

    key: str
    heading: str
    title: str
    columns: tuple[Measure, ...]
    findings: tuple[Measure, ...]
    by_group: bool = False  # one row per training group and year, not one per year


def _female_ratio(counts: str) -> Getter:
    def get(figures: Mapping[str, Any]) -> Any:
        female, total = dig(figures, f"{counts}.female"), dig(figures, f"{counts}.total")
        if not isinstance(female, int | float) or not isinstance(total, int | float):
            return None
        return female / total if total else None

    return get


def _verdicts(figures: Mapping[str, Any]) -> dict[str, str]:
    """Each judged target's verdict by id, as that year's file gave it."""
    found = dig(figures, "targets")
    if not isinstance(found, list):
        return {}
    return {
        t["id"]: t.get("verdict") or (MET if t.get("met") else MISSED)
        for t in found
        if isinstance(t, dict) and "id" in t
    }


def _count_verdicts(*verdicts: str) -> Callable[[Mapping[str, Any]], Any]:
    def get(figures: Mapping[str, Any]) -> Any:
        found = _verdicts(figures)
        return sum(v in verdicts for v in found.values()) if found else None

    return get


def _all_targets(figures: Mapping[str, Any]) -> Any:
    return len(_verdicts(figures)) or None


_RATE = "training.groups.{group}.rate"
C, A, R = ValueKind.COUNT, ValueKind.AMOUNT, ValueKind.RATE

TREND_TABLES = (
    TrendTable(
        "meetings",
        WORK_ITEMS_BY_KEY["meetings"].name,
        "性別平等執行小組歷年比較",
        (
            Measure("召開會議（次）", "meetings.count", C),
            Measure("組員人數", "meetings.members.total", C),
            Measure("女性組員", "meetings.members.female", C),
            Measure("女性比例", _female_ratio("meetings.members"), R),
        ),
        (
            Measure("", "meetings.count", C, "性平執行小組召開會議", "次"),
            Measure("", "meetings.members.total", C, "性平執行小組組員", "人"),
        ),
    ),
    TrendTable(
        "training",
        WORK_ITEMS_BY_KEY["training"].name,
        "性別意識培力歷年比較",
        (
            Measure("應訓人數", "training.groups.{group}.required.total", C),
            Measure("完訓人數", "training.groups.{group}.completed.total", C),
            Measure("男", f"{_RATE}.male", R, group="完訓率"),
            Measure("女", f"{_RATE}.female", R, group="完訓率"),
            Measure("其他", f"{_RATE}.other", R, group="完訓率"),
            Measure("合計", f"{_RATE}.total", R, group="完訓率"),
        ),
        (
            Measure("", f"training.groups.{EVERYONE.key}.rate.total", R, "全機關完訓率"),
            Measure("", f"training.groups.{EVERYONE.key}.rate.male", R, "男性完訓率"),
            Measure("", f"training.groups.{EVERYONE.key}.rate.female", R, "女性完訓率"),
            Measure("", f"training.groups.{EVERYONE.key}.required.total", C, "應訓人員", "人"),
        ),
        by_group=True,
    ),
    TrendTable(
        "gia",
        WORK_ITEMS_BY_KEY["gia"].name,
        "性別影響評估歷年比較",
        (
            Measure("辦理案數", "gia.count", C),
            Measure("諮詢專家學者案數", "gia.expert_consulted", C),
        ),
        (Measure("", "gia.count", C, "辦理性別影響評估", "案"),),
    ),
    TrendTable(
        "statistics_budget",
        WORK_ITEMS_BY_KEY["statistics_budget"].name,
        "性別統計及性別預算歷年比較",
        (
            Measure("指標數", "indicators.count", C, group="性別統計指標"),
            Measure("新增", "indicators.new", C, group="性別統計指標"),
            Measure("修訂", "indicators.revised", C, group="性別統計指標"),
            Measure("編列數（元）", "budget.allocated", A, group="性別預算"),
            Measure("執行數（元）", "budget.executed", A, group="性別預算"),
            Measure("執行率", "budget.execution_rate", R, group="性別預算"),
        ),
        (
            Measure("", "indicators.count", C, "性別統計指標", "項"),
            Measure("", "indicators.reviewed", C, "性別統計指標新增或修訂", "項"),
            Measure("", "budget.allocated", A, "性別預算編列", "元"),
            Measure("", "budget.execution_rate", R, "性別預算執行率"),
        ),
    ),
    TrendTable(
        "cedaw_measures",
        WORK_ITEMS_BY_KEY["cedaw_measures"].name,
        "CEDAW宣導及其他性別平等措施歷年比較",
        (
            Measure("場次", "cedaw.sessions", C, group="CEDAW宣導"),
            Measure("參與人次", "cedaw.participants.total", C, group="CEDAW宣導"),
            Measure("女性比例", _female_ratio("cedaw.participants"), R, group="CEDAW宣導"),
            Measure("觸及人次", "cedaw.reach", C, group="CEDAW宣導"),
            Measure("項數", "other_measures.count", C, group="其他性平措施"),
            Measure("參與人次", "other_measures.participants.total", C, group="其他性平措施"),
            Measure("觸及人次", "other_measures.reach", C, group="其他性平措施"),
        ),
        (
            Measure("", "cedaw.sessions", C, "CEDAW 宣導", "場次"),
            Measure("", "cedaw.participants.total", C, "CEDAW 宣導參與", "人次"),
            Measure("", "cedaw.reach", C, "CEDAW 宣導觸及", "人次"),
            Measure("", "other_measures.count", C, "其他性別平等措施", "項"),
        ),
    ),
    TrendTable(
        "targets",
        "目標達成情形",
        "目標達成情形歷年比較",
        (
            Measure("目標項數", _all_targets, C),
            Measure("達成或已辦理", _count_verdicts(MET, DONE), C),
            Measure("未達成或未辦理", _count_verdicts(MISSED, NOT_DONE), C),
        ),
        (Measure("", _count_verdicts(MET, DONE), C, "達成或已辦理之目標", "項"),),
    ),
)
TREND_TABLES_BY_KEY: Mapping[str, TrendTable] = {t.key: t for t in TREND_TABLES}


# --- The years compared -------------------------------------------------------------------


@dataclass(frozen=True)
class Years:
    """This year and the earlier ones compared, each year's figures as shown (「*」)."""

    year: int
    shown: dict[int, Mapping[str, Any]]  # every year with figures, this one included
    missing: list[int]  # years of the plan before this one whose figures were not found

    @property
    def rows(self) -> list[int]:
        """The years a comparison table lists: those with figures and the plan's missing ones."""
        return sorted({*self.shown, *self.missing})

    @property
    def previous(self) -> int | None:
        earlier = [y for y in self.shown if y < self.year]
        return max(earlier) if earlier else None


def years(figures: Figures) -> Years | None:
    """The years to compare, or None when there is no earlier year's figures."""
    history = figures.get("history") or {}
    if not history:
        return None
    min_cell = figures["privacy"]["min_cell"]
    shown: dict[int, Mapping[str, Any]] = {
        int(y): as_shown(_with_suppressed(f, min_cell)) for y, f in history.items()
    }
    shown[figures["year"]] = as_shown(figures)
    first = figures.get("plan", {}).get("first_year", figures["year"])
    missing = [y for y in range(first, figures["year"]) if y not in shown]
    return Years(figures["year"], shown, missing)


def _with_suppressed(figures: Mapping[str, Any], min_cell: int) -> Figures:
    """An earlier year's figures with the staff cells to hide: those its file hid, or, for a
    file made before small groups were hidden, those today's rule hides."""
    if "suppressed" in figures:
        return cast("Figures", figures)
    try:
        hidden = suppressed_cells(cast("Figures", figures), min_cell)
    except (KeyError, TypeError, AttributeError):
        hidden = []
    return cast("Figures", {**figures, "suppressed": hidden})


def raw_rows(table: TrendTable, compared: Years) -> list[tuple[Any, ...]]:
    """The table's rows: (類別,) 年度, then each column's value (None where not found)."""
    groups = [(g.key, g.label) for g in TRAINING_GROUPS] if table.by_group else [("", "")]
    rows = []
    for key, label in groups:
        for year in compared.rows:
            figures = compared.shown.get(year)
            values = tuple(m.value(figures, key) if figures else None for m in table.columns)
            year_text = f"{year}" if figures else f"{year}（{NO_DATA}）"
            rows.append(((label,) if table.by_group else ()) + (year_text, *values))
    return rows


def _text(value: Any, kind: ValueKind) -> str:
    if value == SUPPRESSED:
        return SUPPRESSED
    if not isinstance(value, int | float) or isinstance(value, bool):
        return NONE
    return percent(value) if kind is ValueKind.RATE else number(value)


def text_rows(table: TrendTable, compared: Years) -> list[list[str]]:
    """The table's rows as the report shows them."""
    labels = 2 if table.by_group else 1
    return [
        [
            *row[:labels],
            *(_text(v, m.kind) for v, m in zip(row[labels:], table.columns, strict=True)),
        ]
        for row in raw_rows(table, compared)
    ]


# --- Findings -----------------------------------------------------------------------------


def change(measure: Measure, now: Any, before: Any, before_year: int, year: int) -> str | None:
    """「CEDAW 宣導 3 場次，較 113 年度增加 1 場次」, or None when either value is unknown
    or not shown (「*」)."""
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (now, before)):
        return None
    unit = f" {measure.unit}" if measure.unit else ""
    if measure.kind is ValueKind.RATE:
        shown = percent(now)
        diff = points(now, before)
        more, less, amount = "提高", "降低", f"{abs(diff)} 個百分點"
    else:
        shown = f"{number(now)}{unit}"
        diff = now - before
        more, less, amount = "增加", "減少", f"{number(abs(diff))}{unit}"
    said = f"{measure.said} {shown}"
    if not diff:
        since = "上年度" if before_year == year - 1 else f" {before_year} 年度"
        return f"{said}，與{since}持平"
    return f"{said}，較 {before_year} 年度{more if diff > 0 else less} {amount}"


def _target_changes(compared: Years, before_year: int) -> list[str]:
    """Each target met this year and not the year compared, or the other way round."""
    now = _verdicts(compared.shown[compared.year])
    before = _verdicts(compared.shown[before_year])
    labels = {t["id"]: t["label"] for t in compared.shown[compared.year].get("targets", [])}
    out = []
    for target in TARGETS:
        was, is_ = before.get(target.id), now.get(target.id)
        if was is None or is_ is None or (was in (MET, DONE)) == (is_ in (MET, DONE)):
            continue
        label = labels.get(target.id, target.id)
        if is_ in (MET, DONE):
            out.append(f"「{label}」本年度{is_}（{before_year} 年度{was}）")
        else:
            out.append(f"「{label}」本年度{is_}（{before_year} 年度{was}），請主辦單位檢討")
    return out


def findings(table: TrendTable, compared: Years, before_year: int | None = None) -> list[str]:
    """The changes of the table's findings figures against `before_year` (default: the
    latest earlier year with figures), each as one sentence."""
    before_year = before_year or compared.previous
    if before_year is None:
        return []
    now, before = compared.shown[compared.year], compared.shown[before_year]
    out = []
    for m in table.findings:
        said = change(m, m.value(now), m.value(before), before_year, compared.year)
        if said:
            out.append(said + "。")
    if table.key == "targets":
        out += [s + "。" for s in _target_changes(compared, before_year)]
    return out


# --- 計畫期程總檢討 -----------------------------------------------------------------------


def period_review(figures: Figures, compared: Years | None) -> dict[str, Any] | None:
    """The whole-period review when the year built is the plan's last year, else None:
    the plan's years, those without figures, each target's verdict year by year, and each
    work item's change over the period."""
    plan = figures.get("plan")
    if not plan or figures["year"] != plan["last_year"]:
        return None
    period = list(range(plan["first_year"], plan["last_year"] + 1))
    shown = compared.shown if compared else {figures["year"]: as_shown(figures)}
    missing = [y for y in period if y not in shown]
    verdicts = {y: _verdicts(shown[y]) for y in period if y in shown}
    rows = []
    for t in sorted(figures["targets"], key=lambda t: _order(t["id"])):
        by_year = [
            {"year": y, "verdict": verdicts[y].get(t["id"], NONE) if y in verdicts else NO_DATA}
            for y in period
        ]
        met = sum(v["verdict"] in (MET, DONE) for v in by_year)
        judged = sum(v["verdict"] not in (NONE, NO_DATA) for v in by_year)
        rows.append(
            {
                "id": t["id"],
                "work_item": t.get("work_item", ""),
                "label": t["label"],
                "years": by_year,
                "met": met,
                "judged": judged,
            }
        )
    first = min((y for y in period if y in shown), default=figures["year"])
    trends = []
    if compared and first != figures["year"]:
        for table in TREND_TABLES:
            said = findings(table, compared, first)
            if said:
                trends.append({"heading": table.heading, "findings": said})
    return {
        "first_year": plan["first_year"],
        "last_year": plan["last_year"],
        "years": period,
        "missing": missing,
        "compared_from": first,
        "targets": rows,
        "trends": trends,
    }


def _order(target_id: str) -> int:
    ids = [t.id for t in TARGETS]
    return ids.index(target_id) if target_id in ids else len(ids)


# --- What the report and the 統計總表 get ----------------------------------------------


def report_trends(figures: Figures) -> dict[str, Any]:
    """The context of the report's 歷年比較 and 計畫期程總檢討: every key always there (the
    template's data is checked before rendering); `trend_years` empty and
    `period_review.shown` false when the report has no such chapter."""
    compared = years(figures)
    sections = {
        t.key: {
            "rows": text_rows(t, compared) if compared else [],
            "findings": findings(t, compared) if compared else [],
        }
        for t in TREND_TABLES
    }
    review = period_review(figures, compared)
    return {
        "trends": sections,
        "trend_years": [f"{y}" for y in sorted(compared.shown)] if compared else [],
        "trend_missing": compared.missing if compared else [],
        "period_review": {"shown": True, **review} if review else _NO_REVIEW,
    }


_NO_REVIEW: Mapping[str, Any] = {
    "shown": False,
    "first_year": None,
    "last_year": None,
    "years": [],
    "missing": [],
    "compared_from": None,
    "targets": [],
    "trends": [],
}


PERIOD_REVIEW = "計畫期程各目標逐年達成情形"
"""The caption of the 計畫期程總檢討 table, in the report and the 統計總表."""


def trend_tables(figures: Figures, first: int) -> list[Table]:
    """The 歷年比較 (and 計畫期程總檢討) tables of the 統計總表: numbers as numbers, named
    and numbered as the report numbers them, from 「表`first`」 on."""
    compared = years(figures)
    tables: list[Table] = []
    year = figures["year"]
    if compared is not None:
        for t in TREND_TABLES:
            labels = [("類別", ValueKind.TEXT)] if t.by_group else []
            labels.append(("年度", ValueKind.TEXT))
            headers = [*(h for h, _ in labels), *(_header(m) for m in t.columns)]
            kinds = [*(k for _, k in labels), *(m.kind for m in t.columns)]
            rows = raw_rows(t, compared)  # a 「*」 stays text, as in the year's own 統計總表
            tables.append(
                Table(
                    f"表{first + len(tables)} {t.title}",
                    f"{year}年度{t.title}",
                    tuple(headers),
                    tuple(kinds),
                    rows,
                )
            )
    review = period_review(figures, compared)
    if review is not None:
        review_headers = ("工作項目", "目標", *(f"{y}年度" for y in review["years"]), "達成年度數")
        review_kinds = (ValueKind.TEXT,) * (len(review_headers) - 1) + (ValueKind.COUNT,)
        rows = [
            (r["work_item"], r["label"], *(v["verdict"] for v in r["years"]), r["met"])
            for r in review["targets"]
        ]
        title = f"{review['first_year']}至{review['last_year']}年度{PERIOD_REVIEW}"
        name = f"表{first + len(tables)} {PERIOD_REVIEW}"
        tables.append(Table(name, title, review_headers, review_kinds, rows))
    return tables


def _header(measure: Measure) -> str:
    return f"{measure.group}-{measure.header}" if measure.group else measure.header
