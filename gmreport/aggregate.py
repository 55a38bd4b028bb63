"""Aggregation: the year's clean frames → every figure of the report and every target.

The result is one JSON-ready dict (`figures`, SPEC §6 plus the tables of the report) and,
apart from it, the list of people short of their hours, which names people and so goes
only to the 檢核結果 workbook (SPEC §7).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from . import cells
from .config import Config
from .schema import (
    AGE_GROUPS,
    BUDGET_CATEGORIES,
    CEDAW_AUDIENCES,
    CEDAW_METHODS,
    EX_OFFICIO_ROLES,
    MEMBER_ROLES,
    SHEETS,
    SHEETS_BY_KEY,
    TRAINING_MODES,
    WORK_ITEMS,
)
from .validate import CleanWorkbook

SCHEMA_ID = "gmreport.figures/1"
GENDER_KEYS = {"男": "male", "女": "female", "其他": "other"}
UNFILLED = "未填"
GROUPS = {
    "civil_servants": "公務人員",
    "supervisors": "主管人員",
    "gender_officers": "性別業務承辦人",
    "other_staff": "職工及自僱非公務人員",
    "all": "全機關",
}


@dataclass
class Aggregate:
    figures: dict
    shortfalls: list[dict]  # people short of their hours: unit, name, target, hours, gap


def aggregate(workbooks: list[CleanWorkbook], config: Config, year: int) -> Aggregate:
    """Every figure of SPEC §3 for `year` from the accepted workbooks of that year."""
    frames = {s.key: _combined(workbooks, s.key) for s in SHEETS}
    people = training_people(frames["roster"], frames["training"], config, year)
    members = frames["members"].drop_duplicates(subset="name", keep="first")
    meetings = frames["meetings"].drop_duplicates(subset=["session", "date"], keep="first")
    submitted = [u for u in config.units if any(w.unit == u for w in workbooks)]
    figures = {
        "schema": SCHEMA_ID,
        "agency": config.agency,
        "year": year,
        "units": {
            "expected": list(config.units),
            "submitted": submitted,
            "missing": [u for u in config.units if u not in submitted],
        },
        "training": _training(people, frames["training"], config),
        "meetings": _meetings(meetings, members),
        "gia": _gia(frames["gia"]),
        "indicators": _indicators(frames["indicators"]),
        "budget": _budget(frames["budget"]),
        "cedaw": _cedaw(frames["cedaw"]),
        "other_measures": _measures(frames["measures"]),
        "narratives": _narratives(frames["narratives"], config),
    }
    figures["targets"] = targets(figures, members, config)
    short = people[people["required"] & ~people["completed"]]
    shortfalls = [
        {
            "unit": r.unit,
            "name": r.name,
            "target": r.target,
            "hours": r.hours,
            "gap": round(r.target - r.hours, 2),
        }
        for r in short.itertuples()
    ]
    return Aggregate(figures, shortfalls)


def _combined(workbooks: list[CleanWorkbook], key: str) -> pd.DataFrame:
    columns = ["unit", *(c.key for c in SHEETS_BY_KEY[key].columns)]
    parts = [w.frames[key].assign(unit=w.unit) for w in workbooks if key in w.frames]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def training_people(
    roster: pd.DataFrame, training: pd.DataFrame, config: Config, year: int
) -> pd.DataFrame:
    """One row per roster person: 應訓 (required), target hours, hours, 完訓 (completed)."""
    t = config.training
    first, last = cells.year_bounds(year)
    people = roster.copy()
    starts = [max(s or first, first) for s in people["start"]]
    ends = [min(e or last, last) for e in people["end"]]
    people["days"] = [(e - s).days + 1 for s, e in zip(starts, ends, strict=True)]
    people["required"] = people["days"] >= t.min_service_days
    general = people["staff_type"].isin(["公務人員", "約聘僱人員"])
    people["target"] = [
        max(
            t.hours_general if g else t.hours_other_staff,
            t.hours_supervisor if s else 0,
            t.hours_gender_officer if o else 0,
        )
        for g, s, o in zip(general, people["supervisor"], people["gender_officer"], strict=True)
    ]
    hours = training.groupby(["unit", "name"])["hours"].sum()
    # Rounded: 0.2 + 0.4 + 1.4 is 1.9999999999999998 in floating point, and short of 2.
    people["hours"] = [
        round(float(hours.get((u, n), 0.0)), 6)
        for u, n in zip(people["unit"], people["name"], strict=True)
    ]
    people["completed"] = people["hours"] >= people["target"]
    people["group_civil_servants"] = general
    people["group_supervisors"] = people["supervisor"].astype(bool)
    people["group_gender_officers"] = people["gender_officer"].astype(bool)
    people["group_other_staff"] = people["staff_type"].isin(["職工", "自僱非公務人員"])
    people["group_all"] = True
    return people


def _genders(genders: pd.Series) -> dict[str, int]:
    counts = {key: int((genders == g).sum()) for g, key in GENDER_KEYS.items()}
    return counts | {"total": sum(counts.values())}


def _sum_genders(frame: pd.DataFrame, prefix: str) -> dict[str, int]:
    counts = {key: int(frame[f"{prefix}_{key}"].sum()) for key in GENDER_KEYS.values()}
    return counts | {"total": sum(counts.values())}


def _row_genders(row: tuple, prefix: str) -> dict[str, int]:
    counts = {key: int(getattr(row, f"{prefix}_{key}")) for key in GENDER_KEYS.values()}
    return counts | {"total": sum(counts.values())}


def _rate(part: int | float, whole: int | float) -> float | None:
    return part / whole if whole else None


def _rates(completed: dict[str, int], required: dict[str, int]) -> dict[str, float | None]:
    return {k: _rate(completed[k], required[k]) for k in required}


def _completion(people: pd.DataFrame) -> dict:
    """應訓/完訓 by gender and 完訓率 of `people` (any subset of the roster)."""
    required = people[people["required"]]
    counts = {
        "required": _genders(required["gender"]),
        "completed": _genders(required[required["completed"]]["gender"]),
    }
    return counts | {"rate": _rates(counts["completed"], counts["required"])}


def _training(people: pd.DataFrame, training: pd.DataFrame, config: Config) -> dict:
    t = config.training
    groups = {}
    for key, label in GROUPS.items():
        members = people[people[f"group_{key}"]]
        hours = round(float(members.loc[members["required"], "hours"].sum()), 6)
        figures = _completion(members)
        groups[key] = {
            "label": label,
            **figures,
            "hours": hours,
            "average_hours": _rate(hours, figures["required"]["total"]),
        }
    modes = {
        m: round(float(training.loc[training["mode"] == m, "hours"].sum()), 6)
        for m in TRAINING_MODES
    }
    unfilled = round(float(training.loc[~training["mode"].isin(TRAINING_MODES), "hours"].sum()), 6)
    if unfilled:
        modes[UNFILLED] = unfilled
    ages = people["age_group"].where(people["age_group"].isin(AGE_GROUPS), UNFILLED)
    by_age = [
        {"label": a, **_completion(people[ages == a])}
        for a in (*AGE_GROUPS, UNFILLED)
        if (ages == a).any()
    ]
    by_supervisor = [
        {"label": label, **_completion(people[people["supervisor"] == flag])}
        for label, flag in (("主管", True), ("非主管", False))
    ]
    return {
        "targets": {
            "hours_general": t.hours_general,
            "hours_other_staff": t.hours_other_staff,
            "hours_supervisor": t.hours_supervisor,
            "hours_gender_officer": t.hours_gender_officer,
        },
        "min_service_days": t.min_service_days,
        "completion_rate_target": t.completion_rate,
        "groups": groups,
        "hours_by_mode": modes,
        "total_hours": round(float(training["hours"].sum()), 6),
        "people": {"roster": len(people), "required": int(people["required"].sum())},
        "by_age": by_age,
        "by_supervisor": by_supervisor,
    }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if isinstance(d, date) else None


def _by_date(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("date", kind="stable") if not frame.empty else frame


def _meetings(meetings: pd.DataFrame, members: pd.DataFrame) -> dict:
    return {
        "count": len(meetings),
        "members": _genders(members["gender"]),
        "roles": {role: int((members["role"] == role).sum()) for role in MEMBER_ROLES},
        "list": [
            {
                "unit": r.unit,
                "session": r.session,
                "date": _iso(r.date),
                "chair": r.chair,
                "attendance": _row_genders(r, "attendance"),
                "resolution": r.resolution,
            }
            for r in _by_date(meetings).itertuples()
        ],
    }


def _gia(gia: pd.DataFrame) -> dict:
    return {
        "count": len(gia),
        "expert_consulted": int(gia["expert"].sum()),
        "list": [
            {
                "unit": r.unit,
                "name": r.name,
                "type": r.type,
                "date": _iso(r.date),
                "expert": bool(r.expert),
                "statistics": r.statistics,
                "result": r.result,
            }
            for r in _by_date(gia).itertuples()
        ],
    }


def _indicators(indicators: pd.DataFrame) -> dict:
    rows = []
    for r in indicators.itertuples():
        total = r.male + r.female + r.other
        rows.append(
            {
                "unit": r.unit,
                "name": r.name,
                "status": r.status,
                "cross": bool(r.cross),
                "male": r.male,
                "female": r.female,
                "other": r.other,
                "total": total,
                "female_ratio": _rate(r.female, total),
                "period": r.period,
                "application": r.application,
            }
        )
    return {
        "count": len(indicators),
        "new": int((indicators["status"] == "新增").sum()),
        "cross_classified": int(indicators["cross"].sum()),
        "list": rows,
    }


def _amount(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


def _budget(budget: pd.DataFrame) -> dict:
    allocated, executed = float(budget["allocated"].sum()), float(budget["executed"].sum())
    labels = budget["category"].replace("", UNFILLED)
    by_category = []
    for label in (*BUDGET_CATEGORIES, UNFILLED):
        part = budget[labels == label]
        if part.empty:
            continue
        a, e = float(part["allocated"].sum()), float(part["executed"].sum())
        by_category.append(
            {
                "label": label,
                "count": len(part),
                "allocated": _amount(a),
                "executed": _amount(e),
                "execution_rate": _rate(e, a),
            }
        )
    return {
        "allocated": _amount(allocated),
        "executed": _amount(executed),
        "execution_rate": _rate(executed, allocated),
        "beneficiaries": _sum_genders(budget, "beneficiaries"),
        "by_category": by_category,
        "list": [
            {
                "unit": r.unit,
                "name": r.name,
                "category": r.category,
                "allocated": _amount(r.allocated),
                "executed": _amount(r.executed),
                "execution_rate": _rate(r.executed, r.allocated),
                "beneficiaries": _row_genders(r, "beneficiaries"),
                "note": r.note,
            }
            for r in budget.itertuples()
        ],
    }


def _breakdown(frame: pd.DataFrame, column: str, labels: tuple[str, ...]) -> list[dict]:
    values = frame[column].replace("", UNFILLED)
    return [
        {
            "label": label,
            "sessions": int((values == label).sum()),
            "participants": _sum_genders(frame[values == label], "participants"),
        }
        for label in (*labels, UNFILLED)
        if (values == label).any()
    ]


def _cedaw(cedaw: pd.DataFrame) -> dict:
    return {
        "sessions": len(cedaw),
        "participants": _sum_genders(cedaw, "participants"),
        "external_resources": int(cedaw["external"].sum()),
        "by_audience": _breakdown(cedaw, "audience", CEDAW_AUDIENCES),
        "by_method": _breakdown(cedaw, "method", CEDAW_METHODS),
        "list": [
            {
                "unit": r.unit,
                "name": r.name,
                "date": _iso(r.date),
                "audience": r.audience,
                "method": r.method,
                "content": r.content,
                "participants": _row_genders(r, "participants"),
                "external": bool(r.external),
                "note": r.note,
            }
            for r in _by_date(cedaw).itertuples()
        ],
    }


def _measures(measures: pd.DataFrame) -> dict:
    return {
        "count": len(measures),
        "participants": _sum_genders(measures, "participants"),
        "list": [
            {
                "unit": r.unit,
                "name": r.name,
                "item": r.item,
                "date": _iso(r.date),
                "media": r.media,
                "participants": _row_genders(r, "participants"),
                "result": r.result,
            }
            for r in _by_date(measures).itertuples()
        ],
    }


def _narratives(narratives: pd.DataFrame, config: Config) -> list[dict]:
    order = {u: i for i, u in enumerate(config.units)}
    ordered = narratives.assign(_order=narratives["unit"].map(order)).sort_values(
        "_order", kind="stable"
    )
    return [
        {
            "item": item,
            "entries": [
                {"unit": r.unit, "done": r.done, "review": r.review}
                for r in ordered[ordered["item"] == item].itertuples()
                if r.done or r.review
            ],
        }
        for item in WORK_ITEMS
    ]


def targets(figures: dict, members: pd.DataFrame, config: Config) -> list[dict]:
    """Each target of the plan (SPEC §3) with its required and actual value, and whether met."""
    m = config.meetings
    count = figures["meetings"]["members"]
    roles = figures["meetings"]["roles"]
    present = [r for r in EX_OFFICIO_ROLES if roles.get(r)]
    third = math.ceil(count["total"] / 3)
    rate = figures["training"]["groups"]["all"]["rate"]["total"]
    need_rate = config.training.completion_rate
    return [
        _target(
            "meetings_per_year",
            f"性平執行小組每年至少召開會議 {m.min_per_year} 次",
            m.min_per_year,
            figures["meetings"]["count"],
            figures["meetings"]["count"] >= m.min_per_year,
        ),
        _target(
            "members_range",
            f"執行小組置組員 {m.members_min} 人至 {m.members_max} 人",
            [m.members_min, m.members_max],
            count["total"],
            m.members_min <= count["total"] <= m.members_max,
        ),
        _target(
            "convener", "置召集人 1 人", 1, roles.get("召集人", 0), roles.get("召集人", 0) == 1
        ),
        _target(
            "ex_officio",
            "人事、會計、調解、研考人員及婦女社會參與促進小組連絡人各 1 人為當然成員",
            len(EX_OFFICIO_ROLES),
            len(present),
            len(present) == len(EX_OFFICIO_ROLES),
            missing=[r for r in EX_OFFICIO_ROLES if r not in present],
        ),
        _target(
            "gender_balance",
            "任一性別成員不少於三分之一",
            third,
            min(count["male"], count["female"]),
            count["total"] > 0 and count["male"] >= third and count["female"] >= third,
        ),
        _target(
            "training_completion",
            f"性別意識培力完訓率達 {need_rate * 100:.1f}%",
            need_rate,
            rate,
            rate is not None and rate >= need_rate - 1e-9,
        ),
        _target(
            "cedaw_sessions",
            f"CEDAW 宣導每年至少 {config.cedaw.min_sessions} 場次",
            config.cedaw.min_sessions,
            figures["cedaw"]["sessions"],
            figures["cedaw"]["sessions"] >= config.cedaw.min_sessions,
        ),
        _target(
            "other_measures",
            f"其他性別平等措施每年至少 {config.measures.min_other_measures} 項",
            config.measures.min_other_measures,
            figures["other_measures"]["count"],
            figures["other_measures"]["count"] >= config.measures.min_other_measures,
        ),
    ]


def _target(
    id: str, label: str, required: object, actual: object, met: bool, **extra: object
) -> dict:
    return {
        "id": id,
        "label": label,
        "required": required,
        "actual": actual,
        "met": bool(met),
        **extra,
    }
