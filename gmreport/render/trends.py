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
from typing import Any

from ..figures import Figures, Genders, TrainingGroupFigures, YearFigures, female_ratio
from ..format import NONE, number, percent, points
from ..privacy import as_shown
from ..schema import (
    EVERYONE,
    PERIOD_REVIEW_ITEM,
    TRAINING_GROUPS,
    WORK_ITEM_LIST,
    WORK_ITEMS_BY_KEY,
    lead_and_support,
)
from ..tables import Col, Table, ValueKind
from ..targets import DONE, INCOMPLETE, MET, MISSED, NOBODY, NOT_DONE, TARGETS, not_in

NO_DATA = "無資料"
"""A year of the plan whose figures were not found, as its row and verdicts read."""


@dataclass(frozen=True)
class Measure:
    """One compared figure of a year: its column, the function of the year's figures (as
    shown: 「*」 where suppressed) that gives it, and how a finding names its change ("" for
    none)."""

    header: str
    get: Callable[[YearFigures], object]
    kind: ValueKind
    said: str = ""  # 「CEDAW 宣導」: the finding 「CEDAW 宣導 3 場次，較 113 年度增加 1 場次」
    unit: str = ""
    group: str | None = None  # the header above this column and its neighbours (docx)


@dataclass(frozen=True)
class GroupMeasure:
    """One compared figure of each training group (a table `by_group`): as `Measure`, of the
    group's figures; a group a year's figures do not have shows 「—」."""

    header: str
    get: Callable[[TrainingGroupFigures], object]
    kind: ValueKind
    group: str | None = None


@dataclass(frozen=True)
class TrendTable:
    """The 歷年比較 of one work item (or of the targets): a table and its findings."""

    key: str
    heading: str
    title: str
    columns: tuple[Measure | GroupMeasure, ...]
    findings: tuple[Measure, ...]
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


def _everyone(figures: YearFigures) -> TrainingGroupFigures:
    return figures["training"]["groups"][EVERYONE.key]


C, A, R = ValueKind.COUNT, ValueKind.AMOUNT, ValueKind.RATE

TREND_TABLES = (
    TrendTable(
        "meetings",
        WORK_ITEMS_BY_KEY["meetings"].name,
        "性別平等執行小組歷年比較",
        (
            Measure("召開會議（次）", lambda f: f["meetings"]["count"], C),
            Measure("組員人數", lambda f: f["meetings"]["members"]["total"], C),
            Measure("女性組員", lambda f: f["meetings"]["members"]["female"], C),
            Measure("女性比例", _female_ratio(lambda f: f["meetings"]["members"]), R),
        ),
        (
            Measure("", lambda f: f["meetings"]["count"], C, "性平執行小組召開會議", "次"),
            Measure("", lambda f: f["meetings"]["members"]["total"], C, "性平執行小組組員", "人"),
        ),
    ),
    TrendTable(
        "training",
        WORK_ITEMS_BY_KEY["training"].name,
        "性別意識培力歷年比較",
        (
            GroupMeasure("應訓人數", lambda g: g["required"]["total"], C),
            GroupMeasure("完訓人數", lambda g: g["completed"]["total"], C),
            GroupMeasure("男", lambda g: g["rate"]["male"], R, group="完訓率"),
            GroupMeasure("女", lambda g: g["rate"]["female"], R, group="完訓率"),
            GroupMeasure("其他", lambda g: g["rate"]["other"], R, group="完訓率"),
            GroupMeasure("合計", lambda g: g["rate"]["total"], R, group="完訓率"),
        ),
        (
            Measure("", lambda f: _everyone(f)["rate"]["total"], R, "全機關完訓率"),
            Measure("", lambda f: _everyone(f)["rate"]["male"], R, "男性完訓率"),
            Measure("", lambda f: _everyone(f)["rate"]["female"], R, "女性完訓率"),
            Measure("", lambda f: _everyone(f)["required"]["total"], C, "應訓人員", "人"),
        ),
        whole_agency=True,
    ),
    TrendTable(
        "gia",
        WORK_ITEMS_BY_KEY["gia"].name,
        "性別影響評估歷年比較",
        (
            Measure("辦理案數", lambda f: f["gia"]["count"], C),
            Measure("諮詢專家學者案數", lambda f: f["gia"]["expert_consulted"], C),
        ),
        (Measure("", lambda f: f["gia"]["count"], C, "辦理性別影響評估", "案"),),
    ),
    TrendTable(
        "statistics_budget",
        WORK_ITEMS_BY_KEY["statistics_budget"].name,
        "性別統計及性別預算歷年比較",
        (
            Measure("指標數", lambda f: f["indicators"]["count"], C, group="性別統計指標"),
            Measure("新增", lambda f: f["indicators"]["new"], C, group="性別統計指標"),
            Measure("修訂", lambda f: f["indicators"]["revised"], C, group="性別統計指標"),
            Measure("編列數（元）", lambda f: f["budget"]["allocated"], A, group="性別預算"),
            Measure("執行數（元）", lambda f: f["budget"]["executed"], A, group="性別預算"),
            Measure("執行率", lambda f: f["budget"]["execution_rate"], R, group="性別預算"),
        ),
        (
            Measure("", lambda f: f["indicators"]["count"], C, "性別統計指標", "項"),
            Measure("", lambda f: f["indicators"]["reviewed"], C, "性別統計指標新增或修訂", "項"),
            Measure("", lambda f: f["budget"]["allocated"], A, "性別預算編列", "元"),
            Measure("", lambda f: f["budget"]["execution_rate"], R, "性別預算執行率"),
        ),
    ),
    TrendTable(
        "cedaw_measures",
        WORK_ITEMS_BY_KEY["cedaw_measures"].name,
        "CEDAW宣導及其他性別平等措施歷年比較",
        (
            Measure("場次", lambda f: f["cedaw"]["sessions"], C, group="CEDAW宣導"),
            Measure(
                "參與人次", lambda f: f["cedaw"]["participants"]["total"], C, group="CEDAW宣導"
            ),
            Measure(
                "女性比例",
                _female_ratio(lambda f: f["cedaw"]["participants"]),
                R,
                group="CEDAW宣導",
            ),
            Measure("觸及人次", lambda f: f["cedaw"]["reach"], C, group="CEDAW宣導"),
            Measure("項數", lambda f: f["other_measures"]["count"], C, group="其他性平措施"),
            Measure(
                "參與人次",
                lambda f: f["other_measures"]["participants"]["total"],
                C,
                group="其他性平措施",
            ),
            Measure("觸及人次", lambda f: f["other_measures"]["reach"], C, group="其他性平措施"),
        ),
        (
            Measure("", lambda f: f["cedaw"]["sessions"], C, "CEDAW 宣導", "場次"),
            Measure("", lambda f: f["cedaw"]["participants"]["total"], C, "CEDAW 宣導參與", "人次"),
            Measure("", lambda f: f["cedaw"]["reach"], C, "CEDAW 宣導觸及", "人次"),
            Measure("", lambda f: f["other_measures"]["count"], C, "其他性別平等措施", "項"),
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
            Measure(INCOMPLETE, _count_verdicts(INCOMPLETE), C),
        ),
        (Measure("", _count_verdicts(MET, DONE), C, "達成或已辦理之目標", "項"),),
        whole_agency=True,
    ),
)
TREND_TABLES_BY_KEY: Mapping[str, TrendTable] = {t.key: t for t in TREND_TABLES}


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
        earlier = [y for y in self.shown if y < self.year]
        return max(earlier) if earlier else None


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


def years_note(compared: Years) -> str:
    """「各年度全機關數據僅含已繳交資料之單位：113、114 年度不含調解委員會。」 when a year
    compared had units 未繳交 or 繳交空白表, else ""."""
    by_units: dict[tuple[str, ...], list[int]] = {}
    for year in sorted(compared.shown):
        if absent := tuple(not_in(compared.shown[year]["units"])):
            by_units.setdefault(absent, []).append(year)
    said = "；".join(
        f"{'、'.join(str(y) for y in years_)} 年度不含{'、'.join(units)}"
        for units, years_ in by_units.items()
    )
    return f"各年度全機關數據僅含已繳交資料之單位：{said}。" if said else ""


def raw_rows(table: TrendTable, compared: Years) -> list[tuple[Any, ...]]:
    """The table's rows: (類別,) 年度, then each column's value (None where not found)."""
    groups = [(g.key, g.label) for g in TRAINING_GROUPS] if table.by_group else [("", "")]
    rows = []
    for key, label in groups:
        for year in compared.rows:
            figures = compared.shown.get(year)
            values = _values(table, figures, key) if figures else (None,) * len(table.columns)
            year_text = f"{year}" if figures else f"{year}（{NO_DATA}）"
            rows.append(((label,) if table.by_group else ()) + (year_text, *values))
    return rows


def _values(table: TrendTable, figures: YearFigures, group: str) -> tuple[object, ...]:
    """A year's values of the table's columns (of the training group `group` if by group)."""
    found = figures["training"]["groups"].get(group)
    return tuple(
        m.get(figures) if isinstance(m, Measure) else m.get(found) if found is not None else None
        for m in table.columns
    )


# --- Findings -----------------------------------------------------------------------------


def change(
    measure: Measure,
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
    unit = f" {measure.unit}" if measure.unit else ""
    if measure.kind is ValueKind.RATE:
        shown = percent(now)
        step = points(now, before)
        up, same, amount = step > 0, not step, f"{abs(step)} 個百分點"
        more, less = "提高", "降低"
    else:
        shown = f"{number(now)}{unit}"
        diff = now - before
        up, same, amount = diff > 0, not diff, f"{number(abs(diff))}{unit}"
        more, less = "增加", "減少"
    said = f"{measure.said} {shown}"
    if name_year:  # 「116 年度性平執行小組…」, 「116 年度 CEDAW 宣導…」
        said = f"{year} 年度{' ' if said[0].isascii() else ''}{said}"
    if same:
        since = "上年度" if before_year == year - 1 else f" {before_year} 年度"
        return f"{said}，與{since}持平"
    return f"{said}，較 {before_year} 年度{more if up else less} {amount}"


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
        label = labels.get(target.id, target.id)
        if is_ in (MET, DONE) or INCOMPLETE in (was, is_):  # 資料不全: nothing to review yet
            out.append(f"「{label}」本年度{is_}（{before_year} 年度{was}）")
        else:
            out.append(
                f"「{label}」本年度{is_}（{before_year} 年度{was}），本所將由主辦單位檢討改善"
            )
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
    out = []
    for m in table.findings:
        said = change(m, m.get(now), m.get(before), before_year, compared.year, name_year=name_year)
        if said:
            out.append(said + "。")
    if table.key == "targets":
        out += [s + "。" for s in _target_changes(compared, before_year)]
    return out


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
    kind: ValueKind
    of: tuple[str, str] | None = None


PERIOD_TOTALS = (
    PeriodTotal("meetings", "meetings", "召開會議（次）", lambda f: f["meetings"]["count"], C),
    PeriodTotal(
        "training_rate", "training", "全機關完訓率", lambda f: _everyone(f)["rate"]["total"], R
    ),
    PeriodTotal("gia", "gia", "辦理案數", lambda f: f["gia"]["count"], C),
    PeriodTotal(
        "gia_experts", "gia", "諮詢專家學者案數", lambda f: f["gia"]["expert_consulted"], C
    ),
    PeriodTotal(
        "indicators_reviewed",
        "statistics_budget",
        "新增或修訂性別統計指標（項）",
        lambda f: f["indicators"]["reviewed"],
        C,
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
        of=("executed", "allocated"),
    ),
    PeriodTotal(
        "cedaw_sessions",
        "cedaw_measures",
        "CEDAW 宣導（場次）",
        lambda f: f["cedaw"]["sessions"],
        C,
    ),
    PeriodTotal(
        "cedaw_participants",
        "cedaw_measures",
        "CEDAW 宣導參與（人次）",
        lambda f: f["cedaw"]["participants"]["total"],
        C,
    ),
    PeriodTotal(
        "measures",
        "cedaw_measures",
        "其他性平措施（項）",
        lambda f: f["other_measures"]["count"],
        C,
    ),
    PeriodTotal(
        "measures_participants",
        "cedaw_measures",
        "其他性平措施參與（人次）",
        lambda f: f["other_measures"]["participants"]["total"],
        C,
    ),
)
"""The 計畫期程總檢討's totals, in the plan's order: the report's table and the 統計總表's."""

PERIOD_TOTALS_TITLE = "計畫期程各工作項目辦理成果"
"""The caption of the totals table, in the report and the 統計總表."""
PERIOD_REVIEW = "計畫期程各目標逐年達成情形"
"""The caption of the targets × years table, in the report and the 統計總表."""
PERIOD_INCOMPLETE = "「資料不全」之年度不計為達成。"
"""Said under the 計畫期程總檢討 tables when a year's verdict is 資料不全."""
PERIOD_ITEM = PERIOD_REVIEW_ITEM
"""The 工作項目 under which units write their whole-period review (執行成果說明)."""

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


def _total(total: PeriodTotal, values: Mapping[int, object], sums: Mapping[str, object]) -> object:
    """The total of `total` over the years with figures (`values`): their sum, or for a rate
    the quotient of two totals (`sums`); None when a year's value is unknown or hidden."""
    if total.kind is ValueKind.RATE:
        if total.of is None:
            return None
        top, bottom = (sums[k] for k in total.of)
        ok = isinstance(top, int | float) and isinstance(bottom, int | float) and bottom
        return top / bottom if ok else None  # type: ignore[operator]
    found = list(values.values())
    if not found or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in found):
        return None
    return sum(found)  # type: ignore[arg-type]


def period_totals(shown: Mapping[int, YearFigures], period: list[int]) -> list[dict[str, Any]]:
    """Each of `PERIOD_TOTALS`: its year's values (NO_DATA for a year without figures) and
    its total over the years with figures."""
    rows = []
    sums: dict[str, object] = {}
    for t in PERIOD_TOTALS:
        values = {y: t.get(shown[y]) for y in period if y in shown}
        sums[t.key] = _total(t, values, sums)
        rows.append(
            {
                "key": t.key,
                "item": t.item,
                "header": t.header,
                "kind": t.kind,
                "years": [values.get(y, NO_DATA) if y in shown else NO_DATA for y in period],
                "total": sums[t.key],
            }
        )
    return rows


def period_review(figures: Figures, compared: Years | None) -> dict[str, Any] | None:
    """The whole-period review when the year built is the plan's last year, else None:
    the plan's years, those without figures, each work item's totals (`totals`), each
    target's verdict year by year (`targets`), each work item's change over the period
    (`trends`) and what the targets came to (`summary`)."""
    plan = figures.get("plan")
    if not plan or figures["year"] != plan["last_year"]:
        return None
    period = list(range(plan["first_year"], plan["last_year"] + 1))
    shown = compared.shown if compared else {figures["year"]: as_shown(figures)}
    missing = [y for y in period if y not in shown]
    verdicts = {y: _verdicts(shown[y]) for y in period if y in shown}
    rows = []
    incomplete = False
    for t in sorted(figures["targets"], key=lambda t: _order(t["id"])):
        by_year = [
            {"year": y, "verdict": verdicts[y].get(t["id"], NONE) if y in verdicts else NO_DATA}
            for y in period
        ]
        met = sum(v["verdict"] in (MET, DONE) for v in by_year)  # not 資料不全
        incomplete = incomplete or any(v["verdict"] == INCOMPLETE for v in by_year)
        judged = sum(v["verdict"] not in (NONE, NOBODY, NO_DATA) for v in by_year)
        rows.append(
            {
                "id": t["id"],
                "work_item": t["work_item"],
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
            said = findings(table, compared, first, name_year=True)
            if said:
                trends.append({"heading": table.heading, "findings": said})
    with_data = [y for y in period if y in shown]
    absent = years_note(Years(figures["year"], {y: shown[y] for y in with_data}, []))
    return {
        "first_year": plan["first_year"],
        "last_year": plan["last_year"],
        "units_note": (PERIOD_INCOMPLETE if incomplete else "") + absent,
        "years_note": absent,
        "years": period,
        "missing": missing,
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
        by_verdict: dict[str, list[int]] = {}
        for v in r["years"]:
            if v["verdict"] in (MISSED, NOT_DONE, INCOMPLETE):
                by_verdict.setdefault(v["verdict"], []).append(v["year"])
        if by_verdict:
            parts = (f"{'、'.join(map(str, ys))} 年度{w}" for w, ys in by_verdict.items())
            said.append(f"「{r['label']}」{'，'.join(parts)}。")
    return said


def _order(target_id: str) -> int:
    ids = [t.id for t in TARGETS]
    return ids.index(target_id) if target_id in ids else len(ids)


def period_reviews(figures: Figures) -> list[dict[str, str]]:
    """The units' own whole-period reviews (工作項目 「計畫期程總檢討」), in the config's
    order: each unit, what it leads or assists (「主辦：性別影響評估」), what it did over
    the period (`done`) and its 檢討與精進 (`review`)."""
    units = figures.get("plan", {}).get("lead_units", {})
    out = []
    for block in figures["narratives"]:
        if block["item"] != PERIOD_ITEM:
            continue
        for entry in block["entries"]:
            lead = [w for w, u in units.items() if entry["unit"] in lead_and_support(u)[0]]
            support = [w for w, u in units.items() if entry["unit"] in lead_and_support(u)[1]]
            role = "；".join(
                f"{word}：{'、'.join(items)}"
                for word, items in (("主辦", lead), ("協辦", support))
                if items
            )
            out.append(
                {
                    "unit": entry["unit"],
                    "role": role,
                    "done": entry["done"],
                    "review": entry["review"],
                }
            )
    return out


# --- What the report and the 統計總表 get ----------------------------------------------


def report_trends(figures: Figures) -> dict[str, Any]:
    """The context of the report's 歷年比較 and 計畫期程總檢討 (their tables are
    `trend_tables`): every key always there (the template's data is checked before
    rendering); `trend_years` empty and `period_review.shown` false when the report has no
    such chapter."""
    compared = years(figures)
    sections = {
        t.key: {"findings": findings(t, compared) if compared else []} for t in TREND_TABLES
    }
    review = period_review(figures, compared)
    return {
        "trends": sections,
        "trend_years": [f"{y}" for y in sorted(compared.shown)] if compared else [],
        "trend_missing": compared.missing if compared else [],
        "period_review": {"shown": True, **review, "reviews": period_reviews(figures)}
        if review
        else _NO_REVIEW,
    }


PLAN_COLUMNS = 4
"""The columns the report's 計畫期程總檢討 tables have for the plan's years (a plan of four
years, as 113 to 116): a longer plan shows its last years, those before are in the totals
and the 統計總表."""


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


_NO_REVIEW: Mapping[str, Any] = {
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
    tables: list[Table] = []
    year = figures["year"]
    if compared is not None:
        for t in TREND_TABLES:
            labels = [Col("類別")] if t.by_group else []  # a term: 「職工及自僱非公務人員」
            labels.append(Col("年度"))
            cols = [*labels, *(Col(m.header, m.kind, group=m.group) for m in t.columns)]
            said = years_note(compared) if t.whole_agency else ""
            note = f"註：{said}" if said else ""
            min_cell = figures["privacy"]["min_cell"]
            number = first + len(tables)
            tables.append(
                Table(
                    f"表{number} {t.title}",
                    f"{year}年度{t.title}",
                    (*(c.header for c in labels), *(_header(m) for m in t.columns)),
                    tuple(c.kind for c in cols),
                    raw_rows(t, compared),  # a 「*」 stays text, as in the year's own 統計總表
                    note=note,
                    report_note=TREND_NOTE.format(min_cell=min_cell) + said
                    if t.key == "training"
                    else None,
                    key=t.table_key,
                    caption=t.title,
                    number=number,
                    cols=tuple(cols),
                    keep=not t.by_group,
                    whole_agency=t.whole_agency,
                )
            )
    review = period_review(figures, compared)
    if review is not None:
        tables += _period_tables(review, first + len(tables))
    return tables


def _in_plan_order(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows whose first value names a work item, those of each item together in the plan's
    order (the report heads each item's rows with its name): a target of no known item last."""
    order = [w.name for w in WORK_ITEM_LIST]
    return sorted(rows, key=lambda r: order.index(r[0]) if r[0] in order else len(order))


def _period_tables(review: Mapping[str, Any], first: int) -> list[Table]:
    """The 計畫期程總檢討's tables, numbered from 「表`first`」: each target's verdicts year
    by year (the 統計總表 in words, the report as marks in its last PLAN_COLUMNS years),
    and each work item's figures year by year with their total, each under its work item."""
    span = f"{review['first_year']}至{review['last_year']}年度"
    said = review["units_note"]
    years_ = review["years"]
    shown = years_[-PLAN_COLUMNS:]  # the report's columns of years
    names = {w.key: w.name for w in WORK_ITEM_LIST}
    item = Col("工作項目", section=True)
    cols = (
        item,
        Col("目標", left=True),
        *(Col(f"{y}年度", report=False) for y in years_),
        *(Col(str(y), group="年度", workbook=False) for y in shown),
        Col("達成年度數", ValueKind.COUNT, report=False),
        Col("達成年度數", workbook=False),
    )
    verdict_rows = [
        (
            r["work_item"],
            r["label"],
            *(v["verdict"] for v in r["years"]),
            *(MARKS.get(v["verdict"], v["verdict"]) for v in r["years"][-PLAN_COLUMNS:]),
            r["met"],
            f"{r['met']}／{r['judged']}",
        )
        for r in review["targets"]
    ]
    grid = Table(
        f"表{first} {PERIOD_REVIEW}",
        f"{span}{PERIOD_REVIEW}",
        tuple(c.name for c in cols),
        tuple(c.kind for c in cols),
        _in_plan_order(verdict_rows),
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
    rows = [(names[r["item"]], r["header"], *r["years"], r["total"]) for r in review["totals"]]
    cell_kinds = {  # PERIOD_TOTALS are in the plan's order
        (i, j): r["kind"]
        for i, r in enumerate(review["totals"])
        if r["kind"] is not ValueKind.COUNT
        for j in range(2, len(cols))
    }
    hidden = years_[:-PLAN_COLUMNS]
    note = f"註：{_totals_note(review)}"
    totals = Table(
        f"表{first + 1} {PERIOD_TOTALS_TITLE}",
        f"{span}{PERIOD_TOTALS_TITLE}",
        ("工作項目", "項目", *(f"{y}年度" for y in years_), "期程合計"),
        tuple(c.kind for c in cols),
        rows,
        cell_kinds=cell_kinds,
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


def _header(measure: Measure | GroupMeasure) -> str:
    """A compared figure's header in the 統計總表: 「完訓率-女」."""
    return f"{measure.group}-{measure.header}" if measure.group else measure.header
