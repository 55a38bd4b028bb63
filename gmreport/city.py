"""The city's figures from the agencies a roll-up gathered: one frame of every agency's
exact figures (pandas), the city's totals and medians, ranks, each target across the
agencies, and the trend over the years where the files carry `history`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from .figures import dig
from .format import SUPPRESSED
from .rollup import Rollup
from .schema import EVERYONE, GENDER_KEYS, TRAINING_GROUPS
from .targets import DONE, MET, MISSED, NOT_DONE, TARGETS

GENDER_FIELDS = (*GENDER_KEYS.values(), "total")
TARGET_NAMES = {
    "meetings_per_year": "召開性平執行小組會議",
    "members_range": "小組組員人數",
    "convener": "置召集人",
    "ex_officio": "當然成員",
    "gender_balance": "組員任一性別不少於三分之一",
    "training_completion": "全機關性別意識培力完訓率",
    "training_civil_servants": "公務人員、主管人員及性別業務承辦人完訓率",
    "training_other_staff": "職工及自僱非公務人員完訓率",
    "gia_done": "辦理性別影響評估",
    "indicators_reviewed": "檢討性別統計指標",
    "budget_reviewed": "檢視性別預算",
    "cedaw_sessions": "CEDAW 宣導場次",
    "other_measures": "其他性別平等措施",
}
"""Each target of the plan as the city names it: agencies' required values may differ."""


def number_at(figures: Any, path: str) -> float | None:
    value = dig(figures, path)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def is_suppressed(figures: dict[str, Any], group: str, part: str, gender: str) -> bool:
    """Whether the agency's report showed its training cell (group, part, gender) as 「*」."""
    hidden = set(figures.get("suppressed", []))
    prefix = f"training.groups.{group}"
    return f"{prefix}.{gender}" in hidden or (
        part != "required" and f"{prefix}.{part}.{gender}" in hidden
    )


def shown_training(figures: dict[str, Any], group: str, part: str, gender: str) -> Any:
    """An agency's training figure (part: required, completed or rate) as its own report
    showed it: 「*」 where that report suppressed it."""
    if is_suppressed(figures, group, part, gender):
        return SUPPRESSED
    return figures["training"]["groups"].get(group, {}).get(part, {}).get(gender)


def plain(value: Any) -> Any:
    """A frame value as people's tools take it: a whole number as an int, none as None."""
    if hasattr(value, "item"):  # a numpy number
        value = value.item()
    if isinstance(value, float):
        return None if pd.isna(value) else int(value) if value.is_integer() else value
    return value


def rate(part: float | None, whole: float | None) -> float | None:
    return part / whole if part is not None and whole else None


def targets_of(figures: Any) -> dict[str, dict[str, Any]]:
    """An agency's verdict on each target of the plan, by id. A target this version does not
    know (a newer file's) is not compared, and an id given twice counts once."""
    found: dict[str, dict[str, Any]] = {}
    for t in dig(figures, "targets") or []:
        if isinstance(t, dict) and t.get("id") in TARGET_NAMES:
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
                TARGET_NAMES[target.id],
                first["work_item"],
                [a for a, v in verdicts.items() if v in (MET, DONE)],
                [a for a, v in verdicts.items() if v in (MISSED, NOT_DONE)],
                [a for a, v in verdicts.items() if v not in (MET, DONE, MISSED, NOT_DONE)],
                any(v in (DONE, NOT_DONE) for v in verdicts.values()),
            )
        )
    return summaries


def agency_frame(rollup: Rollup) -> pd.DataFrame:
    """One row per agency (index: its name) of its exact figures, for totals, medians, ranks."""
    rows = []
    for s in rollup.submissions:
        f = s.figures
        row: dict[str, Any] = {"agency": s.agency}
        groups = dig(f, "training.groups")
        for group in (g.key for g in TRAINING_GROUPS):
            for part in ("required", "completed"):
                for g in GENDER_FIELDS:
                    row[f"{group}.{part}.{g}"] = number_at(groups, f"{group}.{part}.{g}")
            row[f"{group}.hours"] = number_at(groups, f"{group}.hours")
        for path in (
            "training.total_hours",
            "meetings.count",
            "gia.count",
            "gia.expert_consulted",
            "indicators.count",
            "indicators.new",
            "indicators.revised",
            "indicators.cross_classified",
            "budget.count",
            "budget.allocated",
            "budget.executed",
            "cedaw.sessions",
            "cedaw.reach",
            "cedaw.external_resources",
            "other_measures.count",
            "other_measures.designated",
            "other_measures.reach",
        ):
            row[path] = number_at(f, path)
        for section in (
            "meetings.members",
            "budget.beneficiaries",
            "cedaw.participants",
            "other_measures.participants",
        ):
            for g in GENDER_FIELDS:
                row[f"{section}.{g}"] = number_at(f, f"{section}.{g}")
        verdicts = [t["verdict"] for t in targets_of(f).values()]
        row["targets.met"] = sum(v in (MET, DONE) for v in verdicts)
        row["targets.missed"] = sum(v in (MISSED, NOT_DONE) for v in verdicts)
        row["targets.count"] = len(verdicts)
        rows.append(row)
    frame = pd.DataFrame(rows).set_index("agency").apply(pd.to_numeric, errors="coerce")
    for group in (g.key for g in TRAINING_GROUPS):
        for g in GENDER_FIELDS:
            frame[f"{group}.rate.{g}"] = _ratio(
                frame, f"{group}.completed.{g}", f"{group}.required.{g}"
            )
    frame["budget.execution_rate"] = _ratio(frame, "budget.executed", "budget.allocated")
    for section in (
        "meetings.members",
        "cedaw.participants",
        "other_measures.participants",
        "budget.beneficiaries",
    ):
        frame[f"{section}.female_ratio"] = _ratio(frame, f"{section}.female", f"{section}.total")
    return frame


def _ratio(frame: pd.DataFrame, part: str, whole: str) -> pd.Series:
    """part / whole by agency; NaN where the whole is 0 or unknown."""
    return frame[part] / frame[whole].where(frame[whole] > 0)


def city_totals(frame: pd.DataFrame) -> dict[str, Any]:
    """The city's figures: counts and amounts summed, rates from the summed exact counts."""
    sums = frame.drop(columns=[c for c in frame if _is_rate(c)]).sum()
    totals: dict[str, Any] = {
        k: int(v) if float(v).is_integer() else float(v) for k, v in sums.items()
    }
    for column in frame:
        if _is_rate(column):
            part, whole = _rate_parts(column)
            totals[column] = rate(totals.get(part), totals.get(whole))
    return totals


def _is_rate(column: str) -> bool:
    return ".rate." in column or column.endswith(("execution_rate", "female_ratio"))


def _rate_parts(column: str) -> tuple[str, str]:
    if column.endswith("execution_rate"):
        return "budget.executed", "budget.allocated"
    if column.endswith("female_ratio"):
        section = column.removesuffix(".female_ratio")
        return f"{section}.female", f"{section}.total"
    group, _, gender = column.split(".")
    return f"{group}.completed.{gender}", f"{group}.required.{gender}"


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
    by_year: dict[int, list[dict[str, Any]]] = {}
    for s in rollup.submissions:
        for key, figures in (s.figures.get("history") or {}).items():
            if isinstance(figures, dict) and key.isdecimal() and int(key) < rollup.year:
                by_year.setdefault(int(key), []).append(figures)
    if not by_year:
        return []
    by_year[rollup.year] = [s.figures for s in rollup.submissions]
    return [_year_trend(y, by_year[y]) for y in sorted(by_year)]


def _year_trend(year: int, figures: list[dict[str, Any]]) -> YearTrend:
    def total(path: str) -> float:
        return sum(number_at(f, path) or 0 for f in figures)

    targets = [t for f in figures for t in targets_of(f).values()]
    return YearTrend(
        year,
        len(figures),
        int(total(f"training.groups.{EVERYONE.key}.required.total")),
        int(total(f"training.groups.{EVERYONE.key}.completed.total")),
        int(total("meetings.count")),
        int(total("cedaw.sessions")),
        int(total("cedaw.participants.total")),
        total("budget.allocated"),
        total("budget.executed"),
        sum(t.get("verdict") in (MET, DONE) for t in targets),
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
