"""The city's figures from the agencies a roll-up gathered: one frame of every agency's
exact figures (pandas), the city's totals and medians, ranks, each target across the
agencies, and the trend over the years where the files carry `history`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

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
from .privacy import cell_hidden
from .rollup import Rollup
from .schema import EVERYONE, TRAINING_GROUPS
from .targets import DONE, MET, MISSED, NOT_DONE, TARGETS, TARGETS_BY_ID

PARTS: tuple[Literal["required", "completed"], ...] = ("required", "completed")
Get = Callable[[YearFigures], float | None]
"""A figure of one agency-year (None: the year's figures do not have it)."""


def _group(figures: YearFigures, key: str) -> TrainingGroupFigures | None:
    """A training group's figures; None for a group the file does not have."""
    return figures["training"]["groups"].get(key)


def _group_count(key: str, part: Literal["required", "completed"], gender: Gender) -> Get:
    def get(figures: YearFigures) -> float | None:
        group = _group(figures, key)
        return None if group is None else group[part][gender]

    return get


def _group_hours(key: str) -> Get:
    def get(figures: YearFigures) -> float | None:
        group = _group(figures, key)
        return None if group is None else group["hours"]

    return get


def _genders(name: str, counts: Callable[[YearFigures], Genders]) -> dict[str, Get]:
    def count(gender: Gender) -> Get:
        return lambda f: counts(f)[gender]

    return {f"{name}.{g}": count(g) for g in GENDER_FIELDS}


COUNTS: Mapping[str, Get] = {
    **{
        f"{group.key}.{part}.{g}": _group_count(group.key, part, g)
        for group in TRAINING_GROUPS
        for part in PARTS
        for g in GENDER_FIELDS
    },
    **{f"{group.key}.hours": _group_hours(group.key) for group in TRAINING_GROUPS},
    "training.total_hours": lambda f: f["training"]["total_hours"],
    "meetings.count": lambda f: f["meetings"]["count"],
    "gia.count": lambda f: f["gia"]["count"],
    "gia.expert_consulted": lambda f: f["gia"]["expert_consulted"],
    "indicators.count": lambda f: f["indicators"]["count"],
    "indicators.new": lambda f: f["indicators"]["new"],
    "indicators.revised": lambda f: f["indicators"]["revised"],
    "indicators.cross_classified": lambda f: f["indicators"]["cross_classified"],
    "budget.count": lambda f: f["budget"]["count"],
    "budget.allocated": lambda f: f["budget"]["allocated"],
    "budget.executed": lambda f: f["budget"]["executed"],
    "cedaw.sessions": lambda f: f["cedaw"]["sessions"],
    "cedaw.reach": lambda f: f["cedaw"]["reach"],
    "cedaw.external_resources": lambda f: f["cedaw"]["external_resources"],
    "other_measures.count": lambda f: f["other_measures"]["count"],
    "other_measures.designated": lambda f: f["other_measures"]["designated"],
    "other_measures.reach": lambda f: f["other_measures"]["reach"],
    **_genders("meetings.members", lambda f: f["meetings"]["members"]),
    **_genders("budget.beneficiaries", lambda f: f["budget"]["beneficiaries"]),
    **_genders("cedaw.participants", lambda f: f["cedaw"]["participants"]),
    **_genders("other_measures.participants", lambda f: f["other_measures"]["participants"]),
}
"""Each figure the city sums over its agencies, by its column in `agency_frame`."""

RATIOS: Mapping[str, tuple[str, str]] = {
    **{
        f"{group.key}.rate.{g}": (f"{group.key}.completed.{g}", f"{group.key}.required.{g}")
        for group in TRAINING_GROUPS
        for g in GENDER_FIELDS
    },
    "budget.execution_rate": ("budget.executed", "budget.allocated"),
    **{
        f"{section}.female_ratio": (f"{section}.female", f"{section}.total")
        for section in (
            "meetings.members",
            "cedaw.participants",
            "other_measures.participants",
            "budget.beneficiaries",
        )
    },
}
"""Each rate of the city, by its column: (part, whole), both in COUNTS. An agency's rate is
its part / whole; the city's, from the summed counts."""

TARGET_COUNTS = ("targets.met", "targets.missed", "targets.count")
"""The columns of how many targets an agency met, missed and had judged."""
COLUMNS = frozenset({*COUNTS, *RATIOS, *TARGET_COUNTS})
"""Every column of `agency_frame`, the city's totals and medians."""


def shown_training(
    figures: YearFigures,
    group: str,
    part: Literal["required", "completed", "rate"],
    gender: Gender,
) -> float | str | None:
    """An agency's training figure as its own report showed it: 「*」 where that report
    suppressed it; None for a group its file does not have."""
    if cell_hidden(figures["suppressed"], group, part, gender):
        return SUPPRESSED
    found = _group(figures, group)
    return None if found is None else found[part][gender]


def plain(value: Any) -> Any:
    """A frame value as people's tools take it: a whole number as an int, none as None."""
    if hasattr(value, "item"):  # a numpy number
        value = value.item()
    if isinstance(value, float):
        return None if pd.isna(value) else int(value) if value.is_integer() else value
    return value


def targets_of(figures: YearFigures) -> dict[str, TargetResult]:
    """An agency's verdict on each target of the plan, by id. A target this version does not
    know (a newer file's) is not compared, and an id given twice counts once."""
    found: dict[str, TargetResult] = {}
    for t in figures["targets"]:
        if t["id"] in TARGETS_BY_ID:
            found.setdefault(t["id"], t)
    return found


@dataclass(frozen=True)
class TargetSummary:
    """One target across agencies: who met it, who did not, who had nothing to judge."""

    id: str
    name: str
    work_item: str
    met: list[str]
    missed: list[str]
    other: list[str]  # e.g. 無應訓人員: neither met nor missed
    done_kind: bool  # an item to be done (已辦理 / 未辦理) rather than a number

    @property
    def judged(self) -> int:
        return len(self.met) + len(self.missed)


def target_summaries(rollup: Rollup) -> list[TargetSummary]:
    """Each target of the plan that the agencies' files judge, in the plan's order."""
    summaries = []
    found = {s.agency: targets_of(s.figures) for s in rollup.submissions}
    for target in TARGETS:
        judged = {agency: t for agency, targets in found.items() if (t := targets.get(target.id))}
        if not judged:
            continue
        verdicts = {agency: t["verdict"] for agency, t in judged.items()}
        first = next(iter(judged.values()))
        summaries.append(
            TargetSummary(
                target.id,
                target.city.name,
                first["work_item"],
                [a for a, v in verdicts.items() if v in (MET, DONE)],
                [a for a, v in verdicts.items() if v in (MISSED, NOT_DONE)],
                [a for a, v in verdicts.items() if v not in (MET, DONE, MISSED, NOT_DONE)],
                any(v in (DONE, NOT_DONE) for v in verdicts.values()),
            )
        )
    return summaries


def agency_frame(rollup: Rollup) -> pd.DataFrame:
    """One row per agency (index: its name) of its exact figures, for totals, medians, ranks:
    a column per figure of COUNTS, TARGET_COUNTS and RATIOS."""
    rows = []
    for s in rollup.submissions:
        row: dict[str, Any] = {"agency": s.agency}
        row.update((key, get(s.figures)) for key, get in COUNTS.items())
        verdicts = [t["verdict"] for t in targets_of(s.figures).values()]
        row["targets.met"] = sum(v in (MET, DONE) for v in verdicts)
        row["targets.missed"] = sum(v in (MISSED, NOT_DONE) for v in verdicts)
        row["targets.count"] = len(verdicts)
        rows.append(row)
    frame = pd.DataFrame(rows).set_index("agency").apply(pd.to_numeric, errors="coerce")
    for column, (part, whole) in RATIOS.items():
        frame[column] = _ratio(frame, part, whole)
    return frame


def _ratio(frame: pd.DataFrame, part: str, whole: str) -> pd.Series:
    """part / whole by agency; NaN where the whole is 0 or unknown."""
    return frame[part] / frame[whole].where(frame[whole] > 0)


def city_totals(frame: pd.DataFrame) -> dict[str, Any]:
    """The city's figures: counts and amounts summed, rates from the summed exact counts."""
    sums = frame.drop(columns=list(RATIOS)).sum()
    totals: dict[str, Any] = {
        k: int(v) if float(v).is_integer() else float(v) for k, v in sums.items()
    }
    for column, (part, whole) in RATIOS.items():
        totals[column] = rate(totals.get(part), totals.get(whole))
    return totals


def medians(frame: pd.DataFrame) -> dict[str, float | None]:
    """The median agency of each figure (agencies without a value, e.g. no rate, left out)."""
    result: dict[str, float | None] = {}
    for column in frame:
        values = pd.to_numeric(frame[column], errors="coerce").dropna()
        result[column] = float(values.median()) if len(values) else None
    return result


def ranks(frame: pd.DataFrame, column: str) -> dict[str, int | None]:
    """Each agency's rank by `column`, highest first (ties share a rank; no value, no rank)."""
    values = pd.to_numeric(frame[column], errors="coerce")
    ranked = values.rank(method="min", ascending=False)
    return {a: (None if pd.isna(r) else int(r)) for a, r in ranked.items()}


# --- History: the city over the years -----------------------------------------------------


@dataclass(frozen=True)
class YearTrend:
    """The city's figures of one year, over the agencies that have that year's figures."""

    year: int
    agencies: int
    required: int
    completed: int
    meetings: int
    cedaw_sessions: int
    cedaw_participants: int
    allocated: float
    executed: float
    targets_met: int
    targets_count: int

    @property
    def completion_rate(self) -> float | None:
        return rate(self.completed, self.required)

    @property
    def execution_rate(self) -> float | None:
        return rate(self.executed, self.allocated)

    @property
    def targets_rate(self) -> float | None:
        return rate(self.targets_met, self.targets_count)


def trend(rollup: Rollup) -> list[YearTrend]:
    """The city's figures by year when the agencies' files carry `history`; [] otherwise."""
    by_year: dict[int, list[YearFigures]] = {}
    for s in rollup.submissions:
        for key, figures in s.figures["history"].items():
            if int(key) < rollup.year:
                by_year.setdefault(int(key), []).append(figures)
    if not by_year:
        return []
    by_year[rollup.year] = [s.figures for s in rollup.submissions]
    return [_year_trend(y, by_year[y]) for y in sorted(by_year)]


def _year_trend(year: int, figures: list[YearFigures]) -> YearTrend:
    def total(get: Get) -> float:
        return sum(get(f) or 0 for f in figures)

    everyone = EVERYONE.key
    targets = [t for f in figures for t in targets_of(f).values()]
    return YearTrend(
        year,
        len(figures),
        int(total(COUNTS[f"{everyone}.required.total"])),
        int(total(COUNTS[f"{everyone}.completed.total"])),
        int(total(lambda f: f["meetings"]["count"])),
        int(total(lambda f: f["cedaw"]["sessions"])),
        int(total(lambda f: f["cedaw"]["participants"]["total"])),
        total(lambda f: f["budget"]["allocated"]),
        total(lambda f: f["budget"]["executed"]),
        sum(t["verdict"] in (MET, DONE) for t in targets),
        len(targets),
    )


@dataclass(frozen=True)
class CityFigures:
    """A roll-up's figures, computed once for both the workbook and the report."""

    frame: pd.DataFrame  # one row per agency: its exact figures (NaN where it has none)
    agencies: dict[str, dict[str, Any]]  # the frame's rows, by agency
    totals: dict[str, Any]
    medians: dict[str, float | None]
    targets: list[TargetSummary]
    trend: list[YearTrend]


def city_figures(rollup: Rollup) -> CityFigures:
    """Every figure of the city from the agencies `rollup` gathered."""
    frame = agency_frame(rollup)
    return CityFigures(
        frame,
        frame.to_dict("index"),
        city_totals(frame),
        medians(frame),
        target_summaries(rollup),
        trend(rollup),
    )
