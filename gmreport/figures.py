"""The figures of one agency-year: the typed contract between aggregate and render.

They are JSON-ready dicts (`{Y}年度統計數據.json`, SPEC §6), typed here so that a renamed or
missing figure fails the type check and the shape tests, not a report in production. The
rows of a sheet's list (`ListRow`) follow the schema's columns instead: their keys are
"unit" and the sheet's column keys, with each sheet's per-gender counts as one `Genders`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, Literal, NotRequired, TypedDict

SCHEMA_ID: Final = "gmreport.figures/1"

ListRow = dict[str, Any]
"""One row of a sheet in the figures: "unit", then its columns by key (see aggregate)."""


Gender = Literal["male", "female", "other", "total"]
"""A key of a count by gender (`Genders`) or of its rates (`GenderRates`)."""
GENDER_FIELDS: tuple[Gender, ...] = ("male", "female", "other", "total")
"""The genders of the schema (`schema.GENDER_KEYS`), then their total."""


class Genders(TypedDict):
    male: int
    female: int
    other: int
    total: int


def built_at(figures: EarlierYear, mtime: float) -> dt.datetime:
    """When a figures file was built: its `built_at`, else the file's modification time."""
    text = figures.get("built_at")
    if text is not None:
        try:
            when = dt.datetime.fromisoformat(text)
            return when if when.tzinfo else when.astimezone()
        except (ValueError, OverflowError, OSError):  # not a time, or one no clock holds
            pass
    return dt.datetime.fromtimestamp(mtime).astimezone()


def rate(part: float | None, whole: float | None) -> float | None:
    """part / whole, or None when the whole is zero or either is unknown."""
    return part / whole if part is not None and whole else None


def female_ratio(counts: Genders) -> float | None:
    """女性比例 of a count by gender; None when nobody was counted."""
    return rate(counts["female"], counts["total"])


class GenderRates(TypedDict):
    male: float | None
    female: float | None
    other: float | None
    total: float | None


class Completion(TypedDict):
    """應訓 and 完訓 people by gender, and 完訓率 (None where nobody was 應訓)."""

    required: Genders
    completed: Genders
    rate: GenderRates


class LabelledCompletion(Completion):
    label: str


class TrainingGroupFigures(LabelledCompletion):
    hours: float
    average_hours: float | None


class HourTargets(TypedDict):
    hours_general: float
    hours_other_staff: float
    hours_supervisor: float
    hours_gender_officer: float


class People(TypedDict):
    roster: int  # people: one on several units' rosters (a transfer) is one
    required: int


class NotRequiredPeople(TypedDict):
    """Roster people not 應訓, by why (SPEC §3): too few days in service, or on 留職停薪."""

    short_service: int
    on_leave: int


class TrainingFigures(TypedDict):
    targets: HourTargets
    min_service_days: int
    completion_rate_target: float
    groups: dict[str, TrainingGroupFigures]  # TrainingGroup.key → figures
    hours_by_mode: dict[str, float]
    total_hours: float
    people: People
    not_required: NotRequiredPeople
    by_age: list[LabelledCompletion]
    by_supervisor: list[LabelledCompletion]


class Meetings(TypedDict):
    count: int
    members: Genders
    roles: dict[str, int]  # every role of the schema → members in it
    list: list[ListRow]


class Gia(TypedDict):
    count: int
    expert_consulted: int
    list: list[ListRow]


class Indicators(TypedDict):
    count: int
    new: int
    revised: int
    reviewed: int  # 新增 + 修訂: the indicators reviewed this year
    cross_classified: int
    dimensions: dict[str, int]  # each dimension named in 複分類 → indicators crossed with it
    list: list[ListRow]


class Spending(TypedDict):
    count: int
    allocated: float
    executed: float
    execution_rate: float | None


class BudgetCategory(Spending):
    label: str


class Budget(Spending):
    beneficiaries: Genders
    by_category: list[BudgetCategory]
    list: list[ListRow]


class Breakdown(TypedDict):
    label: str
    sessions: int
    participants: Genders
    reach: int  # 觸及人次 of media without a head count


class Cedaw(TypedDict):
    sessions: int
    participants: Genders
    reach: int
    external_resources: int
    by_audience: list[Breakdown]
    by_method: list[Breakdown]
    list: list[ListRow]


class OtherMeasures(TypedDict):
    count: int
    designated: int  # those whose 對應項目 is a designated item (any filled one if none are)
    participants: Genders
    reach: int
    list: list[ListRow]


class NarrativeEntry(TypedDict):
    unit: str
    done: str
    review: str


class Narratives(TypedDict):
    item: str  # a WorkItem.name
    entries: list[NarrativeEntry]


class TargetResult(TypedDict):
    id: str
    work_item: str  # a WorkItem.name
    lead_unit: str  # 主辦單位
    label: str
    required: Any  # a number, [low, high] for a range, None for an item to be done
    actual: Any
    met: bool  # for an item to be done: whether it was
    verdict: str  # 達成 / 未達成, 已辦理 / 未辦理, 無應訓人員, or 資料不全 (then `met` is false)
    missing: NotRequired[list[str]]  # what an "all present" target lacks
    incomplete: NotRequired[list[str]]  # 資料不全: units it depends on 未繳交 or 繳交空白表


class Units(TypedDict):
    expected: list[str]
    submitted: list[str]  # units whose workbook holds data
    missing: list[str]  # 未繳交: no workbook of the year
    empty: list[str]  # 繳交空白表: a workbook without any data row


class SheetRows(TypedDict):
    sheet: str
    read: int
    counted: int
    excluded: int


class Rows(TypedDict):
    """Rows read = rows counted + rows excluded, in all and by sheet."""

    read: int
    counted: int
    excluded: int
    by_sheet: list[SheetRows]


class Issues(TypedDict):
    errors: int
    warnings: int


class FileRead(TypedDict):
    file: str
    unit: str
    year: int | None


class FileSetAside(FileRead):
    reason: str


class FileRejected(TypedDict):
    file: str
    reason: str


class Files(TypedDict):
    read: list[FileRead]
    set_aside: list[FileSetAside]
    rejected: list[FileRejected]


class FiledBy(TypedDict):
    """Who filed the agency's results: the contact unit's 基本資料 (blank when not given)."""

    unit: str
    name: str
    phone: str
    filed_on: str | None  # ISO date


class Privacy(TypedDict):
    min_cell: int  # a staff cell of fewer people is shown as 「*」


class YearFigures(TypedDict):
    """What aggregate computes from the accepted workbooks of one year."""

    schema: Literal["gmreport.figures/1"]
    agency: str
    year: int
    units: Units
    filed_by: FiledBy
    training: TrainingFigures
    meetings: Meetings
    gia: Gia
    indicators: Indicators
    budget: Budget
    cedaw: Cedaw
    other_measures: OtherMeasures
    narratives: list[Narratives]
    targets: list[TargetResult]
    privacy: Privacy
    suppressed: list[str]  # the staff and 性別統計指標 cells the report and 統計總表 show as 「*」


class PlanPeriod(TypedDict):
    """計畫期程 (the plan's 參、推動期程): its first and last ROC year; and each work item's
    units as the config names them (「民政課（協辦：社會課）」; files built before they were
    kept lack them)."""

    first_year: int
    last_year: int
    lead_units: NotRequired[dict[str, str]]


class EarlierYear(YearFigures):
    """One year's figures as its file holds them, less that file's own `history`: what a
    build compares with earlier years, and what each year of a file's `history` is.

    `plan` and `built_at` came later than the other keys: a file may lack them."""

    draft: bool
    rows: Rows
    issues: Issues
    files: Files
    plan: NotRequired[PlanPeriod]
    built_at: NotRequired[str]  # ISO date and time: of two files of one year, the later is used


class Figures(EarlierYear):
    """Every figure of one agency-year (SPEC §6), in the order the JSON gives them: the
    year's figures, then how they were made (draft or not, rows, problems, files), then
    the plan's period, when the file was built and the earlier years' figures it read.

    A build always gives `plan` and `built_at`; a file read (`figures_file`) may lack them."""

    history: dict[str, EarlierYear]
    """Earlier years' figures by ROC year ("113"), each as its file said, less its own
    `history`. Of a file read, only the years that are whole figures (`figures_file`)."""
