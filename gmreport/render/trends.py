"""歷年比較 and 計畫期程總檢討 (SPEC §3 ★ History): this year's figures beside earlier ones.

One declarative table per work item (`TREND_TABLES`, in the plan's order) says which
figures are compared, how each is shown and how a finding states its change. The report,
its template (tools/make_report_template.py) and the 統計總表 all read it: `trend_tables`
makes the 歷年比較 and 計畫期程總檢討 tables once, as `Table`s, which the report writes
(docx_tables) and the 統計總表 too. Every value is
read from a year's typed figures by a function of them (`Measure`); the earlier years are
whole figures (`figures_file`), and a training group an earlier file does not have shows
「—」. A staff cell suppressed in that year's file (its `suppressed` list) stays 「*」.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..figures import Figures, Genders, TrainingGroupFigures, YearFigures, female_ratio
from ..format import NONE, number, percent, points
from ..privacy import as_shown
from ..schema import (
    EVERYONE,
    PERIOD_REVIEW_ITEM,
    TRAINING_GROUPS,
    WORK_ITEMS_BY_KEY,
    lead_and_support,
)
from ..tables import Col, Table, ValueKind
from ..targets import DONE, INCOMPLETE, MET, MISSED, NOBODY, NOT_DONE, TARGETS, not_in

NO_DATA = "無資料"
"""A year of the plan whose figures were not found, as its row and verdicts read."""
C, A, R = ValueKind.COUNT, ValueKind.AMOUNT, ValueKind.RATE


@dataclass(frozen=True)
class Measure:
    """One compared figure of a year: its column and the function of the year's figures (as
    shown: 「*」 where suppressed) that gives it."""

    header: str
    get: Callable[[YearFigures], object]
    kind: ValueKind = C
    group: str | None = None  # the header above this column and its neighbours (docx)


@dataclass(frozen=True)
class GroupMeasure:
    """One compared figure of each training group (a table `by_group`): as `Measure`, of the
    group's figures; a group a year's figures do not have shows 「—」."""

    header: str
    get: Callable[[TrainingGroupFigures], object]
    kind: ValueKind = C
    group: str | None = None


@dataclass(frozen=True)
class Finding:
    """A figure whose change a finding states: 「CEDAW 宣導 3 場次，較 113 年度增加 1 場次」
    (`said` 「CEDAW 宣導」, `unit` 「場次」). A figure without a unit is a rate, whose change
    is in percentage points."""

    said: str
    get: Callable[[YearFigures], object]
    unit: str = ""


@dataclass(frozen=True)
class TrendTable:
    """The 歷年比較 of one work item (or of the targets): a table and its findings."""

    key: str
    heading: str
    title: str
    columns: tuple[Measure | GroupMeasure, ...]
    findings: tuple[Finding, ...]
    whole_agency: bool = False
    """It states figures of the agency as a whole: its note names each year's units 未繳交
    or 繳交空白表 (`years_note`), in the report and the workbook (SPEC §3 ◆)."""

    @property
    def by_group(self) -> bool:
        """One row per training group and year, not one per year."""
        return any(isinstance(m, GroupMeasure) for m in self.columns)

    @property
    def table_key(self) -> str:
        """The key the report template knows its table by: 「trend_training」."""
        return f"trend_{self.key}"


def _female_ratio(counts: Callable[[YearFigures], Genders]) -> Callable[[YearFigures], object]:
    return lambda f: female_ratio(counts(f))


def _everyone(figures: YearFigures) -> TrainingGroupFigures:
    return figures["training"]["groups"][EVERYONE.key]


def _verdicts(figures: YearFigures) -> dict[str, str]:
    """Each judged target's verdict by id, as that year's file gave it."""
    return {t["id"]: t["verdict"] for t in figures["targets"]}


def _count_verdicts(*verdicts: str) -> Callable[[YearFigures], object]:
    def get(figures: YearFigures) -> int | None:
        found = _verdicts(figures)
        return sum(v in verdicts for v in found.values()) if found else None

    return get


def _all_targets(figures: YearFigures) -> int | None:
    return len(_verdicts(figures)) or None


CEDAW, OTHER = "CEDAW宣導", "其他性平措施"

TREND_TABLES = (
    TrendTable(
        "meetings",
        WORK_ITEMS_BY_KEY["meetings"].name,
        "性別平等執行小組歷年比較",
        (
            Measure("召開會議（次）", lambda f: f["meetings"]["count"]),
            Measure("組員人數", lambda f: f["meetings"]["members"]["total"]),
            Measure("女性組員", lambda f: f["meetings"]["members"]["female"]),
            Measure("女性比例", _female_ratio(lambda f: f["meetings"]["members"]), R),
        ),
        (
            Finding("性平執行小組召開會議", lambda f: f["meetings"]["count"], "次"),
            Finding("性平執行小組組員", lambda f: f["meetings"]["members"]["total"], "人"),
        ),
    ),
    TrendTable(
        "training",
        WORK_ITEMS_BY_KEY["training"].name,
        "性別意識培力歷年比較",
        (
            GroupMeasure("應訓人數", lambda g: g["required"]["total"]),
            GroupMeasure("完訓人數", lambda g: g["completed"]["total"]),
            GroupMeasure("男", lambda g: g["rate"]["male"], R, group="完訓率"),
            GroupMeasure("女", lambda g: g["rate"]["female"], R, group="完訓率"),
            GroupMeasure("其他", lambda g: g["rate"]["other"], R, group="完訓率"),
            GroupMeasure("合計", lambda g: g["rate"]["total"], R, group="完訓率"),
        ),
        (
            Finding("全機關完訓率", lambda f: _everyone(f)["rate"]["total"]),
            Finding("男性完訓率", lambda f: _everyone(f)["rate"]["male"]),
            Finding("女性完訓率", lambda f: _everyone(f)["rate"]["female"]),
            Finding("應訓人員", lambda f: _everyone(f)["required"]["total"], "人"),
        ),
        whole_agency=True,
    ),
    TrendTable(
        "gia",
        WORK_ITEMS_BY_KEY["gia"].name,
        "性別影響評估歷年比較",
        (
            Measure("辦理案數", lambda f: f["gia"]["count"]),
            Measure("諮詢專家學者案數", lambda f: f["gia"]["expert_consulted"]),
        ),
        (Finding("辦理性別影響評估", lambda f: f["gia"]["count"], "案"),),
    ),
    TrendTable(
        "statistics_budget",
        WORK_ITEMS_BY_KEY["statistics_budget"].name,
        "性別統計及性別預算歷年比較",
        (
            Measure("指標數", lambda f: f["indicators"]["count"], group="性別統計指標"),
            Measure("新增", lambda f: f["indicators"]["new"], group="性別統計指標"),
            Measure("修訂", lambda f: f["indicators"]["revised"], group="性別統計指標"),
            Measure("編列數（元）", lambda f: f["budget"]["allocated"], A, group="性別預算"),
            Measure("執行數（元）", lambda f: f["budget"]["executed"], A, group="性別預算"),
            Measure("執行率", lambda f: f["budget"]["execution_rate"], R, group="性別預算"),
        ),
        (
            Finding("性別統計指標", lambda f: f["indicators"]["count"], "項"),
            Finding("性別統計指標新增或修訂", lambda f: f["indicators"]["reviewed"], "項"),
            Finding("性別預算編列", lambda f: f["budget"]["allocated"], "元"),
            Finding("性別預算執行率", lambda f: f["budget"]["execution_rate"]),
        ),
    ),
    TrendTable(
        "cedaw_measures",
        WORK_ITEMS_BY_KEY["cedaw_measures"].name,
        "CEDAW宣導及其他性別平等措施歷年比較",
        (
            Measure("場次", lambda f: f["cedaw"]["sessions"], group=CEDAW),
            Measure("參與人次", lambda f: f["cedaw"]["participants"]["total"], group=CEDAW),
            Measure(
                "女性比例", _female_ratio(lambda f: f["cedaw"]["participants"]), R, group=CEDAW
            ),
            Measure("觸及人次", lambda f: f["cedaw"]["reach"], group=CEDAW),
            Measure("項數", lambda f: f["other_measures"]["count"], group=OTHER),
            Measure(
                "參與人次", lambda f: f["other_measures"]["participants"]["total"], group=OTHER
            ),
            Measure("觸及人次", lambda f: f["other_measures"]["reach"], group=OTHER),
        ),
        (
            Finding("CEDAW 宣導", lambda f: f["cedaw"]["sessions"], "場次"),
            Finding("CEDAW 宣導參與", lambda f: f["cedaw"]["participants"]["total"], "人次"),
            Finding("CEDAW 宣導觸及", lambda f: f["cedaw"]["reach"], "人次"),
            Finding("其他性別平等措施", lambda f: f["other_measures"]["count"], "項"),
        ),
    ),
    TrendTable(
        "targets",
        "目標達成情形",
        "目標達成情形歷年比較",
        (
            Measure("目標項數", _all_targets),
            Measure("達成或已辦理", _count_verdicts(MET, DONE)),
            Measure("未達成或未辦理", _count_verdicts(MISSED, NOT_DONE)),
            Measure(INCOMPLETE, _count_verdicts(INCOMPLETE)),
        ),
        (Finding("達成或已辦理之目標", _count_verdicts(MET, DONE), "項"),),
        whole_agency=True,
    ),
)


# --- The years compared -------------------------------------------------------------------


@dataclass(frozen=True)
class Years:
    """This year and the earlier ones compared, each year's figures as shown (「*」)."""

    year: int
    shown: dict[int, YearFigures]  # every year with figures, this one included
    missing: list[int]  # years of the plan before this one whose figures were not found

    @property
    def rows(self) -> list[int]:
        """The years a comparison table lists: those with figures and the plan's missing ones."""
        return sorted({*self.shown, *self.missing})

    @property
    def previous(self) -> int | None:
        return max((y for y in self.shown if y < self.year), default=None)


def years(figures: Figures) -> Years | None:
    """The years to compare, or None when there is no earlier year's figures."""
    if not figures["history"]:
        return None
    shown: dict[int, YearFigures] = {int(y): as_shown(f) for y, f in figures["history"].items()}
    shown[figures["year"]] = as_shown(figures)
    plan = figures.get("plan")
    first = plan["first_year"] if plan else figures["year"]
    missing = [y for y in range(first, figures["year"]) if y not in shown]
    return Years(figures["year"], shown, missing)


def years_note(shown: Mapping[int, YearFigures]) -> str:
    """「各年度全機關數據僅含已繳交資料之單位：113、114 年度不含調解委員會。」 when a year
    of `shown` had units 未繳交 or 繳交空白表, else ""."""
    by_units: dict[tuple[str, ...], list[str]] = {}
    for year in sorted(shown):
        if absent := tuple(not_in(shown[year]["units"])):
            by_units.setdefault(absent, []).append(str(year))
    said = "；".join(
        f"{'、'.join(ys)} 年度不含{'、'.join(units)}" for units, ys in by_units.items()
    )
    return f"各年度全機關數據僅含已繳交資料之單位：{said}。" if said else ""


def raw_rows(table: TrendTable, compared: Years) -> list[tuple[Any, ...]]:
    """The table's rows: (類別,) 年度, then each column's value (None where not found)."""
    groups = [(g.key, (g.label,)) for g in TRAINING_GROUPS] if table.by_group else [("", ())]
    rows = []
    for key, label in groups:
        for year in compared.rows:
            figures = compared.shown.get(year)
            values = _values(table, figures, key) if figures else [None] * len(table.columns)
            rows.append((*label, f"{year}" if figures else f"{year}（{NO_DATA}）", *values))
    return rows


def _values(table: TrendTable, figures: YearFigures, group: str) -> list[object]:
    """A year's values of the table's columns (of the training group `group` if by group;
    None for a group the year's figures do not have)."""
    found = figures["training"]["groups"].get(group)
    return [
        m.get(figures) if isinstance(m, Measure) else None if found is None else m.get(found)
        for m in table.columns
    ]


# --- Findings -----------------------------------------------------------------------------


def change(
    finding: Finding,
    now: object,
    before: object,
    before_year: int,
    year: int,
    *,
    name_year: bool = False,
) -> str | None:
    """「CEDAW 宣導 3 場次，較 113 年度增加 1 場次」 (「116 年度 CEDAW 宣導…」 with
    `name_year`, in the review of the plan's years), or None when either value is unknown,
    not shown (「*」), or nothing in both years (「觸及 0 人次，與上年度持平」 says nothing)."""
    if not isinstance(now, int | float) or not isinstance(before, int | float):
        return None
    if isinstance(now, bool) or isinstance(before, bool) or now == before == 0:
        return None
    step: float | Decimal
    if finding.unit:
        step = now - before
        shown, amount = (f"{number(v)} {finding.unit}" for v in (now, abs(step)))
        more, less = "增加", "減少"
    else:  # a rate
        step = points(now, before)
        shown, amount, more, less = percent(now), f"{abs(step)} 個百分點", "提高", "降低"
    said = f"{finding.said} {shown}"
    if name_year:  # 「116 年度性平執行小組…」, 「116 年度 CEDAW 宣導…」
        said = f"{year} 年度{' ' if said[0].isascii() else ''}{said}"
    if not step:
        since = "上年度" if before_year == year - 1 else f" {before_year} 年度"
        return f"{said}，與{since}持平"
    return f"{said}，較 {before_year} 年度{more if step > 0 else less} {amount}"


def _target_changes(compared: Years, before_year: int) -> list[str]:
    """Each target met this year and not the year compared, or the other way round."""
    now = _verdicts(compared.shown[compared.year])
    before = _verdicts(compared.shown[before_year])
    labels = {t["id"]: t["label"] for t in compared.shown[compared.year]["targets"]}
    out = []
    for target in TARGETS:
        was, is_ = before.get(target.id), now.get(target.id)
        if was is None or is_ is None or (was in (MET, DONE)) == (is_ in (MET, DONE)):
            continue
        said = f"「{labels.get(target.id, target.id)}」本年度{is_}（{before_year} 年度{was}）"
        if not (is_ in (MET, DONE) or INCOMPLETE in (was, is_)):  # 資料不全: nothing to review yet
            said += "，本所將由主辦單位檢討改善"
        out.append(said)
    return out


def findings(
    table: TrendTable, compared: Years, before_year: int | None = None, *, name_year: bool = False
) -> list[str]:
    """The changes of the table's findings figures against `before_year` (default: the
    latest earlier year with figures), each as one sentence; naming the year of each figure
    with `name_year` (the review of the plan's years compares its last with its first)."""
    before_year = before_year or compared.previous
    if before_year is None:
        return []
    now, before = compared.shown[compared.year], compared.shown[before_year]
    out = [
        change(f, f.get(now), f.get(before), before_year, compared.year, name_year=name_year)
        for f in table.findings
    ]
    if table.key == "targets":
        out += _target_changes(compared, before_year)
    return [f"{said}。" for said in out if said]


# --- 計畫期程總檢討 -----------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodTotal:
    """One figure of a work item over the plan's years (SPEC §8 ◆ 計畫期程總檢討): each
    year's value and their total over the years with figures. A rate is not added up: its
    total is the quotient of two other totals (`of`: the keys of numerator and denominator),
    or none (「—」)."""

    key: str
    item: str  # the work item's key
    header: str
    get: Callable[[YearFigures], object]
    kind: ValueKind = C
    of: tuple[str, str] | None = None


PERIOD_TOTALS = (
    PeriodTotal("meetings", "meetings", "召開會議（次）", lambda f: f["meetings"]["count"]),
    PeriodTotal(
        "training_rate", "training", "全機關完訓率", lambda f: _everyone(f)["rate"]["total"], R
    ),
    PeriodTotal("gia", "gia", "辦理案數", lambda f: f["gia"]["count"]),
    PeriodTotal("gia_experts", "gia", "諮詢專家學者案數", lambda f: f["gia"]["expert_consulted"]),
    PeriodTotal(
        "indicators_reviewed",
        "statistics_budget",
        "新增或修訂性別統計指標（項）",
        lambda f: f["indicators"]["reviewed"],
    ),
    PeriodTotal(
        "allocated",
        "statistics_budget",
        "性別預算編列數（元）",
        lambda f: f["budget"]["allocated"],
        A,
    ),
    PeriodTotal(
        "executed",
        "statistics_budget",
        "性別預算執行數（元）",
        lambda f: f["budget"]["executed"],
        A,
    ),
    PeriodTotal(
        "execution_rate",
        "statistics_budget",
        "性別預算執行率",
        lambda f: f["budget"]["execution_rate"],
        R,
        ("executed", "allocated"),
    ),
    PeriodTotal(
        "cedaw_sessions", "cedaw_measures", "CEDAW 宣導（場次）", lambda f: f["cedaw"]["sessions"]
    ),
    PeriodTotal(
        "cedaw_participants",
        "cedaw_measures",
        "CEDAW 宣導參與（人次）",
        lambda f: f["cedaw"]["participants"]["total"],
    ),
    PeriodTotal(
        "measures", "cedaw_measures", "其他性平措施（項）", lambda f: f["other_measures"]["count"]
    ),
    PeriodTotal(
        "measures_participants",
        "cedaw_measures",
        "其他性平措施參與（人次）",
        lambda f: f["other_measures"]["participants"]["total"],
    ),
)
"""The 計畫期程總檢討's totals, in the plan's order: the report's table and the 統計總表's."""

PERIOD_TOTALS_TITLE = "計畫期程各工作項目辦理成果"
"""The caption of the totals table, in the report and the 統計總表."""
PERIOD_REVIEW = "計畫期程各目標逐年達成情形"
"""The caption of the targets × years table, in the report and the 統計總表."""
PERIOD_INCOMPLETE = "「資料不全」之年度不計為達成。"
"""Said under the 計畫期程總檢討 tables when a year's verdict is 資料不全."""

MARKS: Mapping[str, str] = {
    MET: "√",
    DONE: "√",
    MISSED: "×",
    NOT_DONE: "×",
    INCOMPLETE: "？",
    NOBODY: "－",
    NONE: "－",
    NO_DATA: NO_DATA,
}
"""Each verdict as the report's grid marks it, one short line per cell. √ and × rather than
✓ and ✗, which the report's typefaces (楷書, Times New Roman) lack."""
MARKS_LEGEND = (
    "√ 達成或已辦理；× 未達成或未辦理；？ 資料不全（有單位未繳交或繳交空白表，不計為達成）；"
    "－ 該年度無應訓人員或未列此目標；無資料：該年度未有統計數據。"
)


def period_totals(shown: Mapping[int, YearFigures], period: list[int]) -> list[dict[str, Any]]:
    """Each of `PERIOD_TOTALS`: its year's values (NO_DATA for a year without figures) and
    its total over the years with figures: their sum, or for a rate the quotient of two
    totals; None when a year's value is unknown or hidden."""
    rows = []
    sums: dict[str, float | None] = {}
    for t in PERIOD_TOTALS:
        values = {y: t.get(shown[y]) for y in period if y in shown}
        numbers = all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in values.values()
        )
        total: float | None = None
        if t.of:  # a rate over the period: the quotient of two totals
            top, bottom = (sums[k] for k in t.of)
            total = top / bottom if top is not None and bottom else None
        elif values and numbers and t.kind is not R:
            total = sum(v for v in values.values() if isinstance(v, int | float))
        sums[t.key] = total
        rows.append(
            {
                "key": t.key,
                "item": t.item,
                "header": t.header,
                "kind": t.kind,
                "years": [values.get(y, NO_DATA) for y in period],
                "total": total,
            }
        )
    return rows


def period_review(figures: Figures, compared: Years | None) -> dict[str, Any] | None:
    """The whole-period review when the year built is the plan's last year, else None:
    the plan's years, those without figures, each work item's totals (`totals`), each
    target's verdict year by year (`targets`, in the plan's order as the figures list them),
    each work item's change over the period (`trends`) and what the targets came to
    (`summary`)."""
    plan = figures.get("plan")
    if not plan or figures["year"] != plan["last_year"]:
        return None
    period = list(range(plan["first_year"], plan["last_year"] + 1))
    shown = compared.shown if compared else {figures["year"]: as_shown(figures)}
    with_data = [y for y in period if y in shown]
    verdicts = {y: _verdicts(shown[y]) for y in with_data}
    rows: list[dict[str, Any]] = []
    for t in figures["targets"]:
        by_year = [
            {"year": y, "verdict": verdicts[y].get(t["id"], NONE) if y in verdicts else NO_DATA}
            for y in period
        ]
        marks = [v["verdict"] for v in by_year]
        rows.append(
            {
                "id": t["id"],
                "work_item": t["work_item"],
                "label": t["label"],
                "years": by_year,
                "met": sum(v in (MET, DONE) for v in marks),  # not 資料不全
                "judged": sum(v not in (NONE, NOBODY, NO_DATA) for v in marks),
            }
        )
    incomplete = any(v["verdict"] == INCOMPLETE for r in rows for v in r["years"])
    first = min(with_data, default=figures["year"])
    trends = [
        {"heading": table.heading, "findings": said}
        for table in TREND_TABLES
        if compared
        and first != figures["year"]
        and (said := findings(table, compared, first, name_year=True))
    ]
    absent = years_note({y: shown[y] for y in with_data})
    return {
        "first_year": plan["first_year"],
        "last_year": plan["last_year"],
        "units_note": (PERIOD_INCOMPLETE if incomplete else "") + absent,
        "years_note": absent,
        "years": period,
        "missing": [y for y in period if y not in shown],
        "with_data": with_data,
        "compared_from": first,
        "totals": period_totals(shown, period),
        "targets": rows,
        "trends": trends,
        "summary": _summary(rows),
    }


def _summary(rows: list[dict[str, Any]]) -> list[str]:
    """What the targets came to over the period, from the figures: how many were met in
    every year with figures, and each one missed in a year, with those years."""
    if not rows:
        return []
    always = [r for r in rows if r["judged"] and r["met"] == r["judged"]]
    said = [
        f"本計畫所列目標 {len(rows)} 項，於有統計數據之各年度均達成（或已辦理）者 {len(always)} 項。"
    ]
    for r in rows:
        by_verdict: dict[str, list[str]] = {}
        for v in r["years"]:
            if v["verdict"] in (MISSED, NOT_DONE, INCOMPLETE):
                by_verdict.setdefault(v["verdict"], []).append(str(v["year"]))
        if by_verdict:
            parts = (f"{'、'.join(ys)} 年度{w}" for w, ys in by_verdict.items())
            said.append(f"「{r['label']}」{'，'.join(parts)}。")
    return said


def period_reviews(figures: Figures) -> list[dict[str, str]]:
    """The units' own whole-period reviews (工作項目 「計畫期程總檢討」), in the config's
    order: each unit, what it leads or assists (「主辦：性別影響評估」), what it did over
    the period (`done`) and its 檢討與精進 (`review`)."""
    roles = {
        w: lead_and_support(u) for w, u in figures.get("plan", {}).get("lead_units", {}).items()
    }
    return [
        {
            "unit": entry["unit"],
            "role": "；".join(
                f"{word}：{'、'.join(items)}"
                for word, items in (
                    ("主辦", [w for w, (lead, _) in roles.items() if entry["unit"] in lead]),
                    ("協辦", [w for w, (_, support) in roles.items() if entry["unit"] in support]),
                )
                if items
            ),
            "done": entry["done"],
            "review": entry["review"],
        }
        for block in figures["narratives"]
        if block["item"] == PERIOD_REVIEW_ITEM
        for entry in block["entries"]
    ]


# --- What the report and the 統計總表 get ----------------------------------------------


def report_trends(figures: Figures) -> dict[str, Any]:
    """The context of the report's 歷年比較 and 計畫期程總檢討 (their tables are
    `trend_tables`): every key always there (the template's data is checked before
    rendering); `trend_years` empty and `period_review.shown` false when the report has no
    such chapter."""
    compared = years(figures)
    review = period_review(figures, compared)
    return {
        "trends": {
            t.key: {"findings": findings(t, compared) if compared else []} for t in TREND_TABLES
        },
        "trend_years": [f"{y}" for y in sorted(compared.shown)] if compared else [],
        "trend_missing": compared.missing if compared else [],
        "period_review": {"shown": True, **review, "reviews": period_reviews(figures)}
        if review
        else _no_review(),
    }


def _no_review() -> dict[str, Any]:
    """The period review's keys when the report has none: a new dict each time, as the
    report adds to what it is given."""
    return {
        "shown": False,
        "first_year": None,
        "last_year": None,
        "units_note": "",
        "years_note": "",
        "years": [],
        "missing": [],
        "with_data": [],
        "compared_from": None,
        "totals": [],
        "targets": [],
        "trends": [],
        "summary": [],
        "reviews": [],
    }


PLAN_COLUMNS = 4
"""The columns the report's 計畫期程總檢討 tables have for the plan's years (a plan of four
years, as 113 to 116): a longer plan shows its last years, those before are in the totals
and the 統計總表."""
TREND_NOTE = (
    "註：「—」表示該年度無此項資料或無應訓人員；人數未達 {min_cell} 人之性別，"
    "依各該年度之揭露原則以「*」表示。"
)
"""Said under the report's 性別意識培力歷年比較 (the 統計總表 leaves such cells blank)."""
PERIOD_TARGETS_KEY = "period_targets"
PERIOD_TOTALS_KEY = "period_totals"
HISTORY_KEYS = (*(t.table_key for t in TREND_TABLES), PERIOD_TARGETS_KEY, PERIOD_TOTALS_KEY)
"""The keys of the tables `trend_tables` may make, in their order."""


def trend_tables(figures: Figures, first: int) -> list[Table]:
    """The 歷年比較 tables (when there are earlier years) and the 計畫期程總檢討's (in the
    plan's last year), as the report and the 統計總表 show them (`Table.for_workbook`):
    numbers as numbers, named and numbered from 「表`first`」 on."""
    compared = years(figures)
    tables = (
        [_trend_table(t, compared, figures, first + i) for i, t in enumerate(TREND_TABLES)]
        if compared
        else []
    )
    review = period_review(figures, compared)
    if review is not None:
        tables += _period_tables(review, first + len(tables))
    return tables


def _trend_table(t: TrendTable, compared: Years, figures: Figures, number: int) -> Table:
    labels = (Col("類別"),) if t.by_group else ()  # a term: 「職工及自僱非公務人員」
    cols = (*labels, Col("年度"), *(Col(m.header, m.kind, group=m.group) for m in t.columns))
    said = years_note(compared.shown) if t.whole_agency else ""
    training = TREND_NOTE.format(min_cell=figures["privacy"]["min_cell"]) + said
    return Table(
        f"表{number} {t.title}",
        f"{figures['year']}年度{t.title}",
        tuple(f"{c.group}-{c.header}" if c.group else c.header for c in cols),  # 「完訓率-女」
        tuple(c.kind for c in cols),
        raw_rows(t, compared),  # a 「*」 stays text, as in the year's own 統計總表
        note=f"註：{said}" if said else "",
        report_note=training if t.key == "training" else None,
        key=t.table_key,
        caption=t.title,
        number=number,
        cols=cols,
        keep=not t.by_group,
        whole_agency=t.whole_agency,
    )


def _period_tables(review: Mapping[str, Any], first: int) -> list[Table]:
    """The 計畫期程總檢討's tables, numbered from 「表`first`」: each target's verdicts year
    by year (the 統計總表 in words, the report as marks in its last PLAN_COLUMNS years),
    and each work item's figures year by year with their total, each under its work item
    (the figures' targets, as `TARGETS`, are in the plan's order)."""
    span = f"{review['first_year']}至{review['last_year']}年度"
    said = review["units_note"]
    years_ = review["years"]
    shown, hidden = years_[-PLAN_COLUMNS:], years_[:-PLAN_COLUMNS]  # the report's columns
    item = Col("工作項目", section=True)
    cols = (
        item,
        Col("目標", left=True),
        *(Col(f"{y}年度", report=False) for y in years_),
        *(Col(str(y), group="年度", workbook=False) for y in shown),
        Col("達成年度數", ValueKind.COUNT, report=False),
        Col("達成年度數", workbook=False),
    )
    grid = Table(
        f"表{first} {PERIOD_REVIEW}",
        f"{span}{PERIOD_REVIEW}",
        tuple(c.name for c in cols),
        tuple(c.kind for c in cols),
        [
            (
                r["work_item"],
                r["label"],
                *(v["verdict"] for v in r["years"]),
                *(MARKS.get(v["verdict"], v["verdict"]) for v in r["years"][-PLAN_COLUMNS:]),
                r["met"],
                f"{r['met']}／{r['judged']}",
            )
            for r in review["targets"]
        ],
        note=f"註：{said}" if said else "",
        report_note=f"註：{MARKS_LEGEND}達成年度數為達成（或已辦理）之年度數／有統計數據之年度數。"
        f"{said}",
        key=PERIOD_TARGETS_KEY,
        caption=PERIOD_REVIEW,
        number=first,
        cols=cols,
        keep=True,
        whole_agency=True,
    )
    year_cols = [Col(str(y), ValueKind.COUNT, group="年度", report=y in shown) for y in years_]
    cols = (item, Col("項目", left=True), *year_cols, Col("期程合計", ValueKind.COUNT))
    note = f"註：{_totals_note(review)}"
    totals = Table(
        f"表{first + 1} {PERIOD_TOTALS_TITLE}",
        f"{span}{PERIOD_TOTALS_TITLE}",
        ("工作項目", "項目", *(f"{y}年度" for y in years_), "期程合計"),
        tuple(c.kind for c in cols),
        [
            (WORK_ITEMS_BY_KEY[r["item"]].name, r["header"], *r["years"], r["total"])
            for r in review["totals"]
        ],
        cell_kinds={  # PERIOD_TOTALS are in the plan's order
            (i, j): r["kind"]
            for i, r in enumerate(review["totals"])
            if r["kind"] is not ValueKind.COUNT
            for j in range(2, len(cols))
        },
        note=note,
        report_note=f"{note}{'、'.join(map(str, hidden))} 年度未列欄位，詳統計總表。"
        if hidden
        else None,
        key=PERIOD_TOTALS_KEY,
        caption=PERIOD_TOTALS_TITLE,
        number=first + 1,
        cols=cols,
        keep=True,
        whole_agency=True,
    )
    return [grid, totals]


def _totals_note(review: Mapping[str, Any]) -> str:
    """The note under the totals table: the years without figures and what the totals
    count, and the units each year's figures lack."""
    said = "「期程合計」為有統計數據之年度合計"
    if review["missing"]:
        missing = "、".join(map(str, review["missing"]))
        with_data = "、".join(map(str, review["with_data"]))
        said += f"（{missing} 年度無資料，未計入；合計僅含 {with_data} 年度）"
    said += "；比率不予加總，期程之性別預算執行率為執行數合計除以編列數合計。"
    return said + str(review["years_note"])
