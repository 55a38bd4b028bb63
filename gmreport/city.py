"""The city's figures and tables from the agencies a roll-up gathered.

Each column of the city's tables is a typed measure of an agency's figures, declared once:
a figure the city adds up (`Sum`, a function of `YearFigures`), a rate of two of them
(`Ratio`) or a target's verdict (`Verdict`, of the table of targets). A measure gives each
agency's value, the city's (counts summed, rates from the summed counts, how many agencies
met a target) and the median agency's. The workbook's sheets, a row per agency then 合計
and 中位數, the city's trend over the years where the files carry `history`, and the Word
report all read them.
"""

from __future__ import annotations

import statistics
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from .figures import (
    GENDER_FIELDS,
    Gender,
    Genders,
    TargetResult,
    TrainingGroupFigures,
    YearFigures,
    rate,
)
from .format import SUPPRESSED
from .privacy import hidden
from .rollup import Rollup
from .schema import EVERYONE, TRAINING_GROUPS
from .tables import COUNT_LABELS, TOTAL_LABEL, Col, Table, ValueKind
from .targets import (
    DONE,
    INCOMPLETE,
    MET,
    MISSED,
    NOT_DONE,
    TARGETS,
    TARGETS_BY_ID,
    Target,
    left_out,
)

Agencies = Mapping[str, YearFigures]
"""The figures of one year's agencies, by agency."""
AGENCY = "機關"
MEDIAN_LABEL = "中位數"
NOTE = "備註"
"""The column of an agency's row that names its units whose data its figures lack."""
NO_VERDICT = "－"
C, R, A, H, T = ValueKind.COUNT, ValueKind.RATE, ValueKind.AMOUNT, ValueKind.HOURS, ValueKind.TEXT
V = TypeVar("V")
Part = Literal["required", "completed", "rate"]
"""A training group's figures by gender: 應訓, 完訓 or 完訓率."""


def agencies(rollup: Rollup) -> dict[str, YearFigures]:
    """The figures of the agencies the roll-up gathered, in its order."""
    return {s.agency: s.figures for s in rollup.submissions}


# --- Measures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sum:
    """A figure of each agency that the city adds up; None where an agency's figures lack
    it (a training group an older file does not have)."""

    of: Callable[[YearFigures], float | None]
    kind: ValueKind = C

    def total(self, agencies: Agencies) -> float:
        return sum(v for f in agencies.values() if (v := self.of(f)) is not None)


@dataclass(frozen=True)
class Ratio:
    """part / whole: an agency's of its own figures, the city's of the city's totals; None
    where the whole is 0."""

    part: Sum
    whole: Sum
    kind = R

    def of(self, figures: YearFigures) -> float | None:
        return rate(self.part.of(figures), self.whole.of(figures))

    def total(self, agencies: Agencies) -> float | None:
        return rate(self.part.total(agencies), self.whole.total(agencies))


@dataclass(frozen=True)
class Verdict:
    """A target's verdict: an agency's as its file gave it, the city's how many agencies met
    it of how many were judged (`tally`)."""

    target: Target
    kind = T

    def of(self, figures: YearFigures) -> str:
        found = targets_of(figures).get(self.target.id)
        return found["verdict"] if found else NO_VERDICT

    def total(self, agencies: Agencies) -> str:
        return tally(target_summary(self.target, agencies))


Measure = Sum | Ratio | Verdict


def _numbers(column: Column, agencies: Agencies) -> dict[str, float]:
    """Each agency's value that is a number, as the agency's report showed it."""
    return {a: v for a, f in agencies.items() if isinstance(v := column.value(f), int | float)}


def median(column: Column, agencies: Agencies) -> float | None:
    """The median agency's value (agencies without one, e.g. no rate, left out)."""
    values = list(_numbers(column, agencies).values())
    return statistics.median(values) if values else None


def ranks(column: Column, agencies: Agencies) -> dict[str, int | None]:
    """Each agency's rank by `column`, highest first (ties share a rank; no value, no rank)."""
    values = _numbers(column, agencies)
    ordered = sorted(values.values())
    return {
        a: len(ordered) - bisect_right(ordered, values[a]) + 1 if a in values else None
        for a in agencies
    }


def plain(value: Any) -> Any:
    """A value as a cell holds it: a whole number as an int."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _genders(counts: Callable[[YearFigures], Genders | None]) -> dict[Gender, Sum]:
    """男, 女, 其他 and 合計 of a count by gender; None where an agency's figures lack it."""

    def one(gender: Gender) -> Sum:
        return Sum(lambda f: None if (found := counts(f)) is None else found[gender])

    return {g: one(g) for g in GENDER_FIELDS}


def _group(key: str, get: Callable[[TrainingGroupFigures], V]) -> Callable[[YearFigures], V | None]:
    """A figure of a training group; None for a group an agency's file does not have."""
    return lambda f: None if (group := f["training"]["groups"].get(key)) is None else get(group)


def _completion(key: str) -> dict[Gender, Ratio]:
    """A training group's 完訓率 by gender, from its exact counts."""
    required = _genders(_group(key, lambda group: group["required"]))
    completed = _genders(_group(key, lambda group: group["completed"]))
    return {g: Ratio(completed[g], required[g]) for g in GENDER_FIELDS}


def _verdicts(*verdicts: str) -> Sum:
    """How many of the plan's targets an agency's file judges with one of `verdicts`."""
    return Sum(lambda f: sum(t["verdict"] in verdicts for t in targets_of(f).values()))


REQUIRED = _genders(_group(EVERYONE.key, lambda group: group["required"]))
COMPLETED = _genders(_group(EVERYONE.key, lambda group: group["completed"]))
COMPLETION = _completion(EVERYONE.key)
MEETINGS = Sum(lambda f: f["meetings"]["count"])
MEMBERS = _genders(lambda f: f["meetings"]["members"])
GIA = Sum(lambda f: f["gia"]["count"])
EXPERTS = Sum(lambda f: f["gia"]["expert_consulted"])
INDICATORS = Sum(lambda f: f["indicators"]["count"])
NEW_INDICATORS = Sum(lambda f: f["indicators"]["new"])
REVISED_INDICATORS = Sum(lambda f: f["indicators"]["revised"])
CROSS_CLASSIFIED = Sum(lambda f: f["indicators"]["cross_classified"])
ALLOCATED = Sum(lambda f: f["budget"]["allocated"], A)
EXECUTED = Sum(lambda f: f["budget"]["executed"], A)
EXECUTION = Ratio(EXECUTED, ALLOCATED)
BENEFICIARIES = _genders(lambda f: f["budget"]["beneficiaries"])
CEDAW = Sum(lambda f: f["cedaw"]["sessions"])
PARTICIPANTS = _genders(lambda f: f["cedaw"]["participants"])
CEDAW_REACH = Sum(lambda f: f["cedaw"]["reach"])
MEASURES = Sum(lambda f: f["other_measures"]["count"])
MEASURE_PARTICIPANTS = _genders(lambda f: f["other_measures"]["participants"])
MEASURES_REACH = Sum(lambda f: f["other_measures"]["reach"])
TARGETS_MET = _verdicts(MET, DONE)
TARGETS_MISSED = _verdicts(MISSED, NOT_DONE)
TARGETS_INCOMPLETE = _verdicts(INCOMPLETE)
TARGETS_JUDGED = Sum(lambda f: len(targets_of(f)))
AGENCY_COUNT = Sum(lambda f: 1)


def female_ratio(counts: Mapping[Gender, Sum]) -> Ratio:
    return Ratio(counts["female"], counts["total"])


# --- Targets ------------------------------------------------------------------------------


def targets_of(figures: YearFigures) -> dict[str, TargetResult]:
    """An agency's verdict on each target of the plan, by id. A target this version does not
    know (a newer file's) is not compared, and an id given twice counts once (the first)."""
    found: dict[str, TargetResult] = {}
    for t in figures["targets"]:
        if t["id"] in TARGETS_BY_ID:
            found.setdefault(t["id"], t)
    return found


def absent_units(figures: YearFigures, among: Sequence[str] | None = None) -> str:
    """The agency's units whose data its figures lack (of `among`, when given), as the
    roll-up notes them beside the agency: 「會計室未繳交」, 「會計室未繳交，民政課繳交空白表」;
    "" when every unit reported."""
    units = figures["units"]
    said = []
    for names, word in ((units["missing"], "未繳交"), (units["empty"], "繳交空白表")):
        chosen = [u for u in names if among is None or u in among]
        if chosen:
            said.append(f"{'、'.join(chosen)}{word}")
    return "，".join(said)


def target_absent_units(figures: YearFigures, target: Target) -> str:
    """Why an agency's verdict on `target` rests on partial data: the units its figure
    depends on (training: every unit; others: the work item's 主辦 and 協辦 units, as the
    agency's file names them) that sent nothing; "" when none did."""
    found = targets_of(figures).get(target.id)
    if found is None:
        return ""
    return absent_units(figures, left_out(target, found["lead_unit"], figures["units"]))


def with_absent_units(names: Sequence[str], agencies: Agencies, target: Target) -> list[str]:
    """Agencies' names, each followed by the units the target's figure lacks:
    「高雄市山林區公所（會計室未繳交）」."""
    return [
        f"{name}（{note}）" if (note := target_absent_units(agencies[name], target)) else name
        for name in names
    ]


@dataclass(frozen=True)
class TargetSummary:
    """One target across agencies: who met it, who did not, whose verdict waits for units'
    data (資料不全), who had nothing to judge."""

    target: Target
    met: list[str]
    missed: list[str]
    other: list[str]  # e.g. 無應訓人員: neither met nor missed
    done_kind: bool  # an item to be done (已辦理 / 未辦理) rather than a number
    incomplete: list[str] = field(default_factory=list)  # 資料不全: not judged

    @property
    def judged(self) -> int:
        return len(self.met) + len(self.missed)


def target_summary(target: Target, agencies: Agencies) -> TargetSummary | None:
    """The target across the agencies whose files judge it; None if none does."""
    verdicts = {a: t["verdict"] for a, f in agencies.items() if (t := targets_of(f).get(target.id))}
    if not verdicts:
        return None
    return TargetSummary(
        target,
        [a for a, v in verdicts.items() if v in (MET, DONE)],
        [a for a, v in verdicts.items() if v in (MISSED, NOT_DONE)],
        [a for a, v in verdicts.items() if v not in (MET, DONE, MISSED, NOT_DONE, INCOMPLETE)],
        any(v in (DONE, NOT_DONE) for v in verdicts.values()),
        [a for a, v in verdicts.items() if v == INCOMPLETE],
    )


def target_summaries(agencies: Agencies) -> list[TargetSummary]:
    """Each target of the plan that the agencies' files judge, in the plan's order."""
    return [s for t in TARGETS if (s := target_summary(t, agencies))]


def tally(target: TargetSummary | None) -> str:
    """How many agencies met a target of how many judged: 「達成 3／4」, 「已辦理 2／4」, and
    how many are 資料不全 (not judged): 「達成 3／4（資料不全 1）」."""
    if target is None:
        return NO_VERDICT
    said = f"{'已辦理' if target.done_kind else '達成'} {len(target.met)}／{target.judged}"
    return f"{said}（{INCOMPLETE} {len(target.incomplete)}）" if target.incomplete else said


# --- The tables ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a table with a row per agency: its header, its measure, an agency's cell
    as that agency's report showed it where not the exact value (「*」), and whether a rank
    column follows it, highest first."""

    header: str
    measure: Measure
    shown: Callable[[YearFigures], object] | None = None
    rank: bool = False

    def value(self, figures: YearFigures) -> object:
        """An agency's cell: as its report showed it."""
        return (self.shown or self.measure.of)(figures)

    def total(self, agencies: Agencies) -> object:
        """The city's cell: 「*」 where an agency's report hid its part (the city's total
        would give back the hidden figure, less the others shown)."""
        if any(self.value(f) == SUPPRESSED for f in agencies.values()):
            return SUPPRESSED
        return self.measure.total(agencies)


@dataclass(frozen=True)
class Sheet:
    """A sheet of the city's workbook with a row per agency: name, title, columns."""

    name: str
    title: str
    columns: tuple[Column, ...]

    @property
    def with_targets(self) -> tuple[Column, ...]:
        """Its columns, then the verdict of each target the table of targets puts on it."""
        verdicts = (Column(t.city.header, Verdict(t)) for t in TARGETS if t.city.theme == self.name)
        return (*self.columns, *verdicts)


def _by_gender(
    header: str,
    measures: Mapping[Gender, Measure],
    shown: Part | None = None,
) -> list[Column]:
    """男, 女, 其他 and 合計 columns; `shown`: of the agency's training as its report showed it."""
    return [
        Column(
            f"{header}\n{label}",
            measures[g],
            None if shown is None else shown_by(EVERYONE.key, shown, g),
            rank=shown == "rate" and g == "total",
        )
        for label, g in zip(COUNT_LABELS, GENDER_FIELDS, strict=True)
    ]


def shown_by(group: str, part: Part, gender: Gender) -> Callable[[YearFigures], object]:
    """A training figure of each agency as its own report showed it: 「*」 where that report
    suppressed it; None for a group its file does not have."""

    def shown(figures: YearFigures) -> float | str | None:
        found = figures["training"]["groups"].get(group)
        if found is not None and hidden(figures, f"training.groups.{group}.{part}.{gender}"):
            return SUPPRESSED
        return None if found is None else found[part][gender]

    return shown


THEMES = (
    Sheet(
        "性平小組",
        "性別平等執行小組會議及組員",
        (
            Column("會議次數", MEETINGS),
            *_by_gender("組員", MEMBERS),
            Column("組員\n女性比例", female_ratio(MEMBERS)),
        ),
    ),
    Sheet(
        "性別意識培力",
        "性別意識培力完訓情形（依性別）",
        (
            *_by_gender("應訓人數", REQUIRED, "required"),
            *_by_gender("完訓人數", COMPLETED, "completed"),
            *_by_gender("完訓率", COMPLETION, "rate"),
            *(
                Column(
                    f"{group.label}\n完訓率",
                    _completion(group.key)["total"],
                    shown_by(group.key, "rate", "total"),
                )
                for group in TRAINING_GROUPS
                if group.key != EVERYONE.key
            ),
            Column("應訓人員\n研習時數", Sum(_group(EVERYONE.key, lambda g: g["hours"]), H)),
            Column("全年研習\n總時數", Sum(lambda f: f["training"]["total_hours"], H)),
        ),
    ),
    Sheet(
        "性別影響評估",
        "性別影響評估辦理情形",
        (
            Column("辦理案數", GIA, rank=True),
            Column("諮詢專家\n學者案數", EXPERTS),
        ),
    ),
    Sheet(
        "性別統計",
        "性別統計指標",
        (
            Column("指標數", INDICATORS, rank=True),
            Column("新增", NEW_INDICATORS),
            Column("修訂", REVISED_INDICATORS),
            Column("具複分類", CROSS_CLASSIFIED),
        ),
    ),
    Sheet(
        "性別預算",
        "性別預算編列及執行情形",
        (
            Column("計畫數", Sum(lambda f: f["budget"]["count"])),
            Column("編列數（元）", ALLOCATED),
            Column("執行數（元）", EXECUTED),
            Column("執行率", EXECUTION, rank=True),
            *_by_gender("受益人數", BENEFICIARIES),
        ),
    ),
    Sheet(
        "CEDAW宣導",
        "CEDAW宣導辦理情形",
        (
            Column("場次", CEDAW, rank=True),
            *_by_gender("參與人次", PARTICIPANTS),
            Column("參與者\n女性比例", female_ratio(PARTICIPANTS)),
            Column("觸及人次", CEDAW_REACH),
            Column("結合外部\n資源場次", Sum(lambda f: f["cedaw"]["external_resources"])),
        ),
    ),
    Sheet(
        "其他性平措施",
        "其他性別平等措施辦理情形",
        (
            Column("措施數", MEASURES),
            Column("對應指定\n項目", Sum(lambda f: f["other_measures"]["designated"])),
            *_by_gender("參與人次", MEASURE_PARTICIPANTS),
            Column("觸及人次", MEASURES_REACH),
        ),
    ),
)
"""The theme sheets, each with a row per agency; each target's verdict follows on the sheet
its `Target.city` names."""


def targets_sheet(summaries: Sequence[TargetSummary]) -> Sheet:
    """The 目標達成 sheet: how many targets each agency met, then each judged target."""
    counts = (
        Column("達成項數", TARGETS_MET),
        Column("未達成項數", TARGETS_MISSED),
        Column(f"{INCOMPLETE}項數", TARGETS_INCOMPLETE),
        Column("目標項數", TARGETS_JUDGED),
    )
    verdicts = (Column(s.target.city.name, Verdict(s.target)) for s in summaries)
    return Sheet("目標達成", "目標達成情形", (*counts, *verdicts))


def table(
    name: str, title: str, cols: Sequence[Col], rows: list[tuple[Any, ...]], **kw: Any
) -> Table:
    """A table of the city's workbook from its columns."""
    kinds = tuple(c.kind for c in cols)
    return Table(name, title, tuple(c.name for c in cols), kinds, rows, cols=tuple(cols), **kw)


def agency_table(year: int, sheet: Sheet, agencies: Agencies) -> Table:
    """A row per agency, then the city's 合計 and the 中位數; a text in a number's column
    (「*」, a verdict) is shown as text."""
    cols = [Col(AGENCY)]
    by_column: list[list[Any]] = [[*agencies, TOTAL_LABEL, MEDIAN_LABEL]]
    for c in sheet.with_targets:
        cols.append(Col(c.header, c.measure.kind))
        values = [c.value(f) for f in agencies.values()]
        by_column.append([*values, c.total(agencies), median(c, agencies)])
        if c.rank:
            cols.append(Col(f"{c.header.splitlines()[0]}\n排名", C))
            by_column.append([*ranks(c, agencies).values(), None, None])
    cols.append(Col(NOTE))
    by_column.append([*(absent_units(f) or None for f in agencies.values()), None, None])
    rows = [tuple(map(plain, row)) for row in zip(*by_column, strict=True)]
    texts = {
        (r, j): T
        for r, row in enumerate(rows)
        for j, v in enumerate(row)
        if isinstance(v, str) and j
    }
    return table(sheet.name, f"{year}年度各機關{sheet.title}", cols, rows, cell_kinds=texts)


# --- History: the city over the years -----------------------------------------------------


@dataclass(frozen=True)
class Year:
    """The figures of one year of the city's trend, of the agencies that have that year's."""

    year: int
    agencies: dict[str, YearFigures]


def trend(rollup: Rollup) -> list[Year]:
    """The city's years when the agencies' files carry `history`; [] otherwise."""
    by_year: dict[int, dict[str, YearFigures]] = {}
    for s in rollup.submissions:
        for key, figures in s.figures["history"].items():
            if int(key) < rollup.year:
                by_year.setdefault(int(key), {})[s.agency] = figures
    if not by_year:
        return []
    by_year[rollup.year] = agencies(rollup)
    return [Year(y, by_year[y]) for y in sorted(by_year)]


TARGETS_RATE = Ratio(TARGETS_MET, TARGETS_JUDGED)
TREND = (
    Column("機關數", AGENCY_COUNT),
    Column("應訓人數", REQUIRED["total"], shown_by(EVERYONE.key, "required", "total")),
    Column("完訓人數", COMPLETED["total"], shown_by(EVERYONE.key, "completed", "total")),
    Column("完訓率", COMPLETION["total"], shown_by(EVERYONE.key, "rate", "total")),
    Column("會議次數", MEETINGS),
    Column("CEDAW宣導場次", CEDAW),
    Column("CEDAW參與人次", PARTICIPANTS["total"]),
    Column("性別預算編列數（元）", ALLOCATED),
    Column("性別預算執行數（元）", EXECUTED),
    Column("執行率", EXECUTION),
    Column("目標達成比例", TARGETS_RATE),
)
"""The city's trend: a row per year, of the city's total of each measure that year."""


def trend_table(year: int, years: list[Year]) -> Table:
    rows = [(f"{y.year}年度", *(plain(c.total(y.agencies)) for c in TREND)) for y in years]
    cols = [Col("年度"), *(Col(c.header, c.measure.kind) for c in TREND)]
    return table("歷年趨勢", f"全市歷年比較（{years[0].year}至{year}年度）", cols, rows)
