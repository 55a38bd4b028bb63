"""Aggregation: the year's validated rows → every figure of the report and every target.

The rows of each sheet, over all the workbooks of the folder, make one pandas frame; the
figures are computed from those frames and hold plain Python values only.

The result is the typed figures of one year (`figures.YearFigures`, SPEC §6 plus the tables
of the report) and, apart from them, the list of people short of their hours, which names
people and so goes only to the 檢核結果 workbook (SPEC §7).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from . import cells
from .config import Config
from .disclosure import protect
from .figures import (
    SCHEMA_ID,
    Breakdown,
    Budget,
    BudgetCategory,
    Cedaw,
    Completion,
    FiledBy,
    GenderRates,
    Genders,
    Gia,
    Indicators,
    LabelledCompletion,
    ListRow,
    Meetings,
    Narratives,
    OtherMeasures,
    Spending,
    TrainingFigures,
    TrainingGroupFigures,
    YearFigures,
    rate,
)
from .schema import (
    AGE_GROUPS,
    BUDGET_CATEGORIES,
    CEDAW_AUDIENCES,
    CEDAW_METHODS,
    DIMENSION_SUGGESTIONS,
    DIMENSIONS_KEY,
    GENDER_KEYS,
    MEMBER_ROLES,
    NEW,
    PERIOD_REVIEW_ITEM,
    REVISED,
    SHEETS,
    SHEETS_BY_KEY,
    SUPERVISOR_ROWS,
    TRAINING_GROUPS,
    TRAINING_MODES,
    WORK_ITEMS,
    Column,
    Kind,
    Sheet,
)
from .targets import evaluate
from .validate import CleanWorkbook

UNFILLED = "未填"


@dataclass
class Shortfall:
    """A person short of their training hours (for 人事室 only, never the report)."""

    units: tuple[str, ...]  # in the order served
    name: str
    staff_type: str
    target: float
    hours: float
    gap: float


@dataclass
class Aggregate:
    figures: YearFigures
    shortfalls: list[Shortfall]


def aggregate(workbooks: list[CleanWorkbook], config: Config, year: int) -> Aggregate:
    """Every figure of SPEC §3 for `year` from the accepted workbooks of that year."""
    frames = {s.key: _combined(workbooks, s) for s in SHEETS}
    people = training_people(frames["roster"], frames["training"], config, year)
    members = frames["members"].drop_duplicates(subset="name", keep="first")
    meetings = frames["meetings"].drop_duplicates(subset=["session", "date"], keep="first")
    sent = {w.unit for w in workbooks}
    filled = {w.unit for w in workbooks if not w.blank}
    submitted = [u for u in config.units if u in filled]
    empty = [u for u in config.units if u in sent and u not in submitted]
    figures: YearFigures = {
        "schema": SCHEMA_ID,
        "agency": config.agency,
        "year": year,
        "units": {
            "expected": list(config.units),
            "submitted": submitted,
            "missing": [u for u in config.units if u not in sent],
            "empty": empty,
        },
        "filed_by": _filed_by(workbooks, config.contact_unit),
        "training": _training(people, frames["training"], config),
        "meetings": _meetings(meetings, members),
        "gia": _gia(frames["gia"]),
        "indicators": _indicators(frames["indicators"]),
        "budget": _budget(frames["budget"]),
        "cedaw": _cedaw(frames["cedaw"]),
        "other_measures": _measures(frames["measures"], config.measures.designated_items),
        "narratives": _narratives(frames["narratives"], config, year),
        "targets": [],
        "privacy": {"min_cell": config.privacy.min_cell},
        "suppressed": [],
    }
    figures["targets"] = evaluate(figures, config)
    figures["suppressed"] = protect(figures)
    short = people[people["required"] & ~people["completed"]]
    shortfalls = [
        Shortfall(r.units, r.name, r.staff_type, r.target, r.hours, round(r.target - r.hours, 2))
        for r in short.itertuples()
    ]
    return Aggregate(figures, shortfalls)


def _filed_by(workbooks: list[CleanWorkbook], unit: str) -> FiledBy:
    """填報人, 聯絡電話 and 填報日期 from the 基本資料 of `unit`'s workbook."""
    info = next((w.info for w in workbooks if w.unit == unit), {})
    try:
        filed_on: date | None = cells.parse_date(info.get("filed_on"))
    except cells.CellProblem:
        filed_on = None
    return {
        "unit": unit,
        "name": cells.text(info.get("contact")),
        "phone": cells.text(info.get("phone")),
        "filed_on": filed_on.isoformat() if filed_on else None,
    }


def _combined(workbooks: list[CleanWorkbook], sheet: Sheet) -> pd.DataFrame:
    """The rows of `sheet` counted in any of `workbooks`, as one frame with each row's unit."""
    records = [
        {**r, "unit": w.unit} for w in workbooks for r in w.records.get(sheet.key, {}).values()
    ]
    return pd.DataFrame.from_records(records, columns=["unit", *(c.key for c in sheet.columns)])


def training_people(
    roster: pd.DataFrame, training: pd.DataFrame, config: Config, year: int
) -> pd.DataFrame:
    """One row per person: the roster columns of their last period, `units` (every unit in
    the order served), days in service, 應訓 (required) or why not, target hours, hours,
    完訓 (completed), and a `group_<key>` column for each training group they are in.

    A person on several units' rosters (a transfer inside the agency: one 姓名 and 性別) is
    one person (SPEC §2): service is the union of the periods, less 留職停薪; hours are
    summed over the units; 人員類別, 主管 and 承辦人 are those of the last period served.
    """
    first, last = (pd.Timestamp(day) for day in cells.year_bounds(year))
    rows = roster.assign(
        person=roster.groupby(["name", "gender"], sort=False, dropna=False).ngroup(),
        start=pd.to_datetime(roster["start"]).fillna(first).clip(lower=first),
        end=pd.to_datetime(roster["end"]).fillna(last).clip(upper=last),
        leave_start=pd.to_datetime(roster["leave_start"]),
        leave_end=pd.to_datetime(roster["leave_end"]).fillna(last),
    )
    # A row dated wholly outside the year (a warning) decides nothing, unless no row is inside.
    inside = rows["start"] <= rows["end"]
    counted = rows[inside | ~inside.groupby(rows["person"]).transform("any")]
    people = (
        counted.sort_values(["end", "start"], ascending=False, kind="stable")
        .drop_duplicates("person")
        .set_index("person")
        .sort_index()
        .drop(columns="unit")
    )
    served = counted.sort_values(["start", "end"], kind="stable").drop_duplicates(
        ["person", "unit"]
    )
    people["units"] = served.groupby("person")["unit"].agg(tuple)
    service = _merged(rows["person"], rows["start"], rows["end"])
    leave = _merged(rows["person"], rows["leave_start"], rows["leave_end"])
    people["service_days"] = _days(service).reindex(people.index, fill_value=0)
    on_leave = _days(_common(service, leave)).reindex(people.index, fill_value=0)
    people["days"] = people["service_days"] - on_leave
    people["required"] = people["days"] >= config.training.min_service_days
    long_enough = people["service_days"] >= config.training.min_service_days
    people["reason"] = long_enough.map({True: ON_LEAVE, False: SHORT}).mask(people["required"], "")
    for group in TRAINING_GROUPS:
        member = people[group.flag] if group.flag else people["staff_type"].isin(group.staff_types)
        people[f"group_{group.key}"] = member.astype(bool)
    targets = [
        people[f"group_{g.key}"] * getattr(config.training, g.hours)
        for g in TRAINING_GROUPS
        if g.hours
    ]
    people["target"] = pd.concat(targets, axis=1).max(axis=1) if len(people) else 0.0
    typed = training.groupby(["unit", "name"], as_index=False)["hours"].sum()
    hours = served.merge(typed, on=["unit", "name"], how="left")
    # Rounded: 0.2 + 0.4 + 1.4 is 1.9999999999999998 in floating point, and short of 2.
    people["hours"] = hours.groupby("person")["hours"].sum().astype(float).round(6)
    people["completed"] = people["hours"] >= people["target"]
    return people


SHORT, ON_LEAVE = "short_service", "on_leave"
"""Why a roster person is not 應訓: in service too few days, or on leave for too many."""


def _merged(person: pd.Series, start: pd.Series, end: pd.Series) -> pd.DataFrame:
    """Each person's periods merged into disjoint ones (columns person, start, end); a
    period without a start or ending before it is dropped."""
    periods = pd.DataFrame({"person": person, "start": start, "end": end})
    periods = periods[periods["start"] <= periods["end"]].sort_values(["person", "start"])
    reached = periods.groupby("person")["end"].cummax().groupby(periods["person"]).shift()
    opens = reached.isna() | (periods["start"] > reached + pd.Timedelta(days=1))
    return periods.groupby(opens.cumsum()).agg(
        person=("person", "first"), start=("start", "min"), end=("end", "max")
    )


def _common(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """The days common to two of a person's lists of disjoint periods, as periods."""
    pairs = a.merge(b, on="person")
    common = pd.DataFrame(
        {
            "person": pairs["person"],
            "start": pairs[["start_x", "start_y"]].max(axis=1),
            "end": pairs[["end_x", "end_y"]].min(axis=1),
        }
    )
    return common[common["start"] <= common["end"]]


def _days(periods: pd.DataFrame) -> pd.Series:
    """Days in each person's periods, both ends counted."""
    return ((periods["end"] - periods["start"]).dt.days + 1).groupby(periods["person"]).sum()


def _genders(genders: pd.Series) -> Genders:
    return _counts({key: (genders == g).sum() for g, key in GENDER_KEYS.items()}, "")


def _counts(values: Mapping[str, Any], prefix: str) -> Genders:
    """The per-gender counts `<prefix>_male`… of a record (or a frame's sums), with 合計."""
    male, female, other = (
        int(values[f"{prefix}_{key}" if prefix else key]) for key in GENDER_KEYS.values()
    )
    return {"male": male, "female": female, "other": other, "total": male + female + other}


def _sum_genders(frame: pd.DataFrame, prefix: str) -> Genders:
    return _counts(frame[[f"{prefix}_{key}" for key in GENDER_KEYS.values()]].sum(), prefix)


def _completion(people: pd.DataFrame) -> Completion:
    """應訓/完訓 by gender and 完訓率 of `people` (any subset of the roster)."""
    counted = people[people["required"]]
    required = _genders(counted["gender"])
    completed = _genders(counted.loc[counted["completed"], "gender"])
    rates: GenderRates = {
        "male": rate(completed["male"], required["male"]),
        "female": rate(completed["female"], required["female"]),
        "other": rate(completed["other"], required["other"]),
        "total": rate(completed["total"], required["total"]),
    }
    return {"required": required, "completed": completed, "rate": rates}


def _labelled(label: str, people: pd.DataFrame) -> LabelledCompletion:
    return {"label": label, **_completion(people)}


def _training(people: pd.DataFrame, training: pd.DataFrame, config: Config) -> TrainingFigures:
    t = config.training
    groups: dict[str, TrainingGroupFigures] = {}
    for group in TRAINING_GROUPS:
        members = people[people[f"group_{group.key}"]]
        hours = round(float(members.loc[members["required"], "hours"].sum()), 6)
        figures = _labelled(group.label, members)
        groups[group.key] = {
            **figures,
            "hours": hours,
            "average_hours": rate(hours, figures["required"]["total"]),
        }
    modes = {
        m: round(float(training.loc[training["mode"] == m, "hours"].sum()), 6)
        for m in TRAINING_MODES
    }
    unfilled = round(float(training.loc[~training["mode"].isin(TRAINING_MODES), "hours"].sum()), 6)
    if unfilled:
        modes[UNFILLED] = unfilled
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
        "not_required": {
            "short_service": int((people["reason"] == SHORT).sum()),
            "on_leave": int((people["reason"] == ON_LEAVE).sum()),
        },
        "by_age": [
            _labelled(age, part) for age, part in _parts(people, "age_group", AGE_GROUPS).items()
        ],
        "by_supervisor": [
            _labelled(label, people[people["supervisor"] == flag])
            for label, flag in SUPERVISOR_ROWS.items()
        ],
    }


def list_rows(
    frame: pd.DataFrame,
    sheet: Sheet,
    derived: Mapping[str, tuple[str, Callable[[ListRow], Any]]] | None = None,
) -> list[ListRow]:
    """A sheet's rows as the figures list them: "unit", then each column by its key.

    Dates become ISO text, 是/否 booleans, whole amounts ints; each group of per-gender
    counts becomes one `Genders` under its prefix (or, unprefixed, its keys and "total").
    A 複分類 column gives a boolean and, under "dimensions", the dimensions named.
    A dated sheet is listed by date. `derived` adds a value computed from the row after
    the key it names: {"executed": ("execution_rate", fn)}.
    """
    dated = sheet.date_column
    if dated is not None and not frame.empty:
        frame = frame.sort_values(dated.key, kind="stable")
    rows = []
    for record in frame.to_dict("records"):
        row: ListRow = {"unit": record["unit"]}
        for column in sheet.columns:
            group = column.gender_group
            if column.kind is Kind.DIMENSIONS:  # whether crossed, then with what
                row[column.key] = record[column.key] is not None
                row[DIMENSIONS_KEY] = list(record[column.key] or ())
            elif group is None:
                row[column.key] = _plain(column, record[column.key])
            elif column.opens_gender_group:
                counts = _counts(record, group)
                if group:
                    row[group] = counts
                else:
                    row.update(counts)
            else:
                continue
            if derived and column.last_row_key in derived:
                key, compute = derived[column.last_row_key]
                row[key] = compute(row)
        rows.append(row)
    return rows


def _plain(column: Column, value: Any) -> Any:
    """A typed cell value as the JSON holds it."""
    match column.kind:
        case Kind.DATE:
            return value.isoformat() if isinstance(value, date) else None
        case Kind.YESNO:
            return bool(value)
        case Kind.AMOUNT:
            return _amount(value)
        case Kind.COUNT:
            return int(value)
        case Kind.HOURS:
            return float(value)
        case _:
            return value


def _meetings(meetings: pd.DataFrame, members: pd.DataFrame) -> Meetings:
    return {
        "count": len(meetings),
        "members": _genders(members["gender"]),
        "roles": {role: int((members["role"] == role).sum()) for role in MEMBER_ROLES},
        "list": list_rows(meetings, SHEETS_BY_KEY["meetings"]),
    }


def _gia(gia: pd.DataFrame) -> Gia:
    return {
        "count": len(gia),
        "expert_consulted": int(gia["expert"].sum()),
        "list": list_rows(gia, SHEETS_BY_KEY["gia"]),
    }


def _indicators(indicators: pd.DataFrame) -> Indicators:
    female_ratio = ("female_ratio", lambda row: rate(row["female"], row["total"]))
    crossed = [d for d in indicators["cross"] if d is not None]
    named = Counter(name for d in crossed for name in d)
    order = [*DIMENSION_SUGGESTIONS, *sorted(set(named) - set(DIMENSION_SUGGESTIONS))]
    return {
        "count": len(indicators),
        "new": int((indicators["status"] == NEW).sum()),
        "revised": int((indicators["status"] == REVISED).sum()),
        "reviewed": int(indicators["status"].isin((NEW, REVISED)).sum()),
        "cross_classified": len(crossed),
        "dimensions": {name: named[name] for name in order if named[name]},
        "list": list_rows(indicators, SHEETS_BY_KEY["indicators"], {"total": female_ratio}),
    }


def _amount(x: float) -> float:
    """A sum of money as the JSON holds it: whole amounts as ints (1725000, not 1725000.0)."""
    return int(x) if float(x).is_integer() else float(x)


def _spending(budget: pd.DataFrame) -> Spending:
    allocated, executed = float(budget["allocated"].sum()), float(budget["executed"].sum())
    return {
        "count": len(budget),
        "allocated": _amount(allocated),
        "executed": _amount(executed),
        "execution_rate": rate(executed, allocated),
    }


def _parts(frame: pd.DataFrame, column: str, labels: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """The rows of each value of a dropdown `column` (its `labels`, then 未填 for a blank),
    for each value some row holds."""
    parts = dict(list(frame.groupby(frame[column].where(frame[column].isin(labels), UNFILLED))))
    return {label: parts[label] for label in (*labels, UNFILLED) if label in parts}


def _budget(budget: pd.DataFrame) -> Budget:
    by_category: list[BudgetCategory] = [
        {"label": label, **_spending(part)}
        for label, part in _parts(budget, "category", BUDGET_CATEGORIES).items()
    ]
    execution_rate = ("execution_rate", lambda row: rate(row["executed"], row["allocated"]))
    return {
        **_spending(budget),
        "beneficiaries": _sum_genders(budget, "beneficiaries"),
        "by_category": by_category,
        "list": list_rows(budget, SHEETS_BY_KEY["budget"], {"executed": execution_rate}),
    }


def _breakdown(frame: pd.DataFrame, column: str, labels: tuple[str, ...]) -> list[Breakdown]:
    return [
        {
            "label": label,
            "sessions": len(part),
            "participants": _sum_genders(part, "participants"),
            "reach": int(part["reach"].sum()),
        }
        for label, part in _parts(frame, column, labels).items()
    ]


def _cedaw(cedaw: pd.DataFrame) -> Cedaw:
    return {
        "sessions": len(cedaw),
        "participants": _sum_genders(cedaw, "participants"),
        "reach": int(cedaw["reach"].sum()),
        "external_resources": int(cedaw["external"].sum()),
        "by_audience": _breakdown(cedaw, "audience", CEDAW_AUDIENCES),
        "by_method": _breakdown(cedaw, "method", CEDAW_METHODS),
        "list": list_rows(cedaw, SHEETS_BY_KEY["cedaw"]),
    }


def _measures(measures: pd.DataFrame, designated_items: tuple[str, ...]) -> OtherMeasures:
    """Measures, and those in a designated item of the city's 措施項目分工表 (SPEC §3)."""
    wanted = {cells.choice_key(i) for i in designated_items}
    items = [cells.choice_key(i) for i in measures["item"]]
    designated = sum(bool(i) and (not wanted or i in wanted) for i in items)
    return {
        "count": len(measures),
        "designated": designated,
        "participants": _sum_genders(measures, "participants"),
        "reach": int(measures["reach"].sum()),
        "list": list_rows(measures, SHEETS_BY_KEY["measures"]),
    }


def _narratives(narratives: pd.DataFrame, config: Config, year: int) -> list[Narratives]:
    """What the units wrote, under each work item in the plan's order, each unit in the
    config's order; in the plan's last year also their whole-period reviews (工作項目
    「計畫期程總檢討」, a sixth block), which other years leave out (narrative_checks warns)."""
    order = {u: i for i, u in enumerate(config.units)}
    ordered = narratives.sort_values("unit", key=lambda units: units.map(order), kind="stable")
    items = (*WORK_ITEMS, PERIOD_REVIEW_ITEM) if year == config.plan.last_year else WORK_ITEMS
    return [
        {
            "item": item,
            "entries": [
                {"unit": r.unit, "done": r.done, "review": r.review}
                for r in ordered[ordered["item"] == item].itertuples()
                if r.done or r.review
            ],
        }
        for item in items
    ]
