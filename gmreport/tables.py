"""Every table of the report, declared once as data: the Word report and the statistics
workbook (統計總表) are two writers of the same `Table`s.

A table is its caption and number, its columns (header under an optional merged group
header, value kind, whether the report or the workbook shows it), its
rows of raw values (counts and amounts as numbers, rates as fractions, dates as `date`;
a staff cell too small to show is 「*」), how many of them are totals, the text when it
has no rows, and the note under it. `Table.text` is what a person reads in a cell, in
either output. For the privacy audit each table says whether its 性別 counts are staff
counts that may be suppressed (`staff`), and `Table.identities` gives the sums its cells
obey (男 + 女 + 其他 = 合計 in every row of a gender group).

The tables that list a sheet's rows take their columns and headers from the schema.
Nothing here holds a trainee's name (SPEC §7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from .figures import (
    Figures,
    GenderRates,
    Genders,
    ListRow,
    YearFigures,
    rate,
)
from .figures import female_ratio as _female_ratio
from .findings import target_row, target_rows, why_absent
from .format import (
    NONE,
    average_hours,
    dimensions,
    hours,
    number,
    percent,
    roc_period,
    roc_short_date,
    yes_no,
)
from .privacy import EVERYONE as ALL_STAFF
from .privacy import Figure, Measure, Population, completion_figures
from .privacy import note as privacy_note
from .schema import (
    EVERYONE,
    GENDER_KEYS,
    GENDERS,
    SHEETS_BY_KEY,
    SUPERVISOR_ROWS,
    TRAINING_GROUPS,
    WORK_ITEM_LIST,
    WORK_ITEMS_BY_KEY,
    Kind,
    lead_and_support,
)
from .schema import Column as SheetColumn
from .targets import INCOMPLETE, not_in

TOTAL_LABEL = "合計"
COUNT_KEYS = (*GENDER_KEYS.values(), "total")
COUNT_LABELS = (*GENDERS, TOTAL_LABEL)
NOT_COUNTED = "－"
"""A count not taken: the participants of an event reported by its 觸及人次 alone (SPEC §3),
or a budget project's 受益人數 left blank."""
NO_ROWS = "本年度無資料"
INCOMPLETE_NOTE = (
    "「資料不全」係該目標所依據之單位未繳交資料或繳交空白表，依已繳交資料無法判定是否達成。"
)
"""Said under the 考核 table when a target is 資料不全 (SPEC §3 ◆)."""


class ValueKind(Enum):
    """How a column's values are to be shown."""

    TEXT = "文字"
    COUNT = "人數"
    AMOUNT = "金額"
    RATE = "比率"
    HOURS = "時數"
    AVERAGE_HOURS = "平均時數"  # two decimals, as in the report
    DATE = "日期"


_TEXTS: dict[ValueKind, Callable[[Any], str]] = {
    ValueKind.DATE: roc_short_date,
    ValueKind.RATE: percent,
    ValueKind.HOURS: hours,
    ValueKind.AVERAGE_HOURS: average_hours,
    ValueKind.COUNT: number,
    ValueKind.AMOUNT: number,
}


def text(value: Any, kind: ValueKind) -> str:
    """A value as a person reads it (the format module's rules): 「—」 for no number or
    date, a text (「*」, 「－」, 「3 場次」) as it is."""
    if value is None:
        return "" if kind is ValueKind.TEXT else _TEXTS[kind](None)
    if isinstance(value, str):  # an ISO date read from the figures, or a text
        return roc_short_date(value) if kind is ValueKind.DATE and value else value
    return _TEXTS.get(kind, str)(value)


@dataclass(frozen=True)
class Col:
    """One column of a table: its header (under `group`, a header merged over the columns
    that share it), the kind of its values, and where it shows."""

    header: str
    kind: ValueKind = ValueKind.TEXT
    group: str | None = None
    left: bool = False
    """Set left in the report (long text), instead of centred."""
    report: bool = True
    workbook: bool = True
    gender: str | None = None
    """"male", "female", "other" or "total": a count of its group by 性別."""
    short: str | None = None
    """The header in the report, where narrower than `header` (see `report_header`)."""
    measure: Measure | None = None
    """In a staff table, what its figures measure (with `gender`, or 合計 without)."""
    section: bool = False
    """The report shows its value as a row across the table above the rows that share it
    (a work item over its targets), not as a column; the workbook as a column."""

    @property
    def name(self) -> str:
        """The column's header in one line, as the workbook shows it: 「應訓人數(男)」."""
        return f"{self.group}({self.header})" if self.group else self.header

    @property
    def report_header(self) -> str:
        """The column's header in the report: `short`, or `header` with the report's
        full-width marks (「編列數（元）」)."""
        return self.short or self.header.replace("(元)", "（元）")


@dataclass(frozen=True)
class Identity:
    """A sum the cells of a table obey: the cell `total` equals the sum of `parts`, each a
    (row, column) of `Table.rows`."""

    total: tuple[int, int]
    parts: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Table:
    """One table of the report: a sheet name, a caption, headers and raw rows.

    Made with `columns` and `kinds` alone (the roll-up's and the trends' tables) it shows
    every column in both outputs; `declare` makes it from `Col`s."""

    name: str
    title: str
    columns: tuple[str, ...]
    kinds: tuple[ValueKind, ...]
    rows: list[tuple[Any, ...]]
    cell_kinds: Mapping[tuple[int, int], ValueKind] = field(default_factory=dict)
    """Exceptions to `kinds` for single cells, keyed by (row index, column index). A plain
    dict by default, so that a table can be sent to another process (the roll-up's)."""
    note: str = ""
    """Said under the table, in both outputs."""
    report_note: str | None = None
    """Said under the table in the report instead of `note`, when the report shows what
    the workbook does not (marks and their legend, fewer years)."""
    key: str = ""
    """The name the report template knows the table by ("meetings")."""
    caption: str = ""
    """The caption without its number: 「性別平等執行小組會議辦理情形」."""
    number: int | None = None
    """表N, which `report_tables` gives each table the report shows."""
    in_report: bool = True
    """False for a table only the workbook shows (a 補充資料)."""
    cols: tuple[Col, ...] = ()
    totals: int = 0
    """How many of the last rows are totals (bold, and kept with the rows above them)."""
    empty: str = NO_ROWS
    """What the table says when it has no rows."""
    keep: bool = False
    """Keep the table on one page in the report (a short table)."""
    work_item: str = ""
    """The key of the work item whose chapter shows the table."""
    marked: frozenset[tuple[int, int]] = frozenset()
    """Cells the report marks (a target 未達成)."""
    figures_at: Mapping[tuple[int, int], Figure] = field(default_factory=dict)
    """The staff figure at each (row, column) that shows one: what the privacy audit reads."""
    adds_up: bool = False
    """Its total rows are the sums of the rows above them, in every count, amount and hours
    column (the rows part the whole: each person has one 年齡層, each event one 宣導對象)."""
    whole_agency: bool = False
    """It states figures of the agency as a whole (全機關): while units are 未繳交 or 繳交空白表
    its note names them (`units_note`), in the report and the workbook alike (SPEC §3 ◆)."""

    def __post_init__(self) -> None:
        if len(self.kinds) != len(self.columns):
            raise ValueError(f"{self.name}: columns and kinds differ in length")
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"{self.name}: row {row!r} does not match the columns")
        if not self.cols:
            cols = tuple(Col(h, k) for h, k in zip(self.columns, self.kinds, strict=True))
            object.__setattr__(self, "cols", cols)

    def kind(self, row: int, col: int) -> ValueKind:
        """The kind of the value at `rows[row][col]`."""
        return self.cell_kinds.get((row, col), self.kinds[col])

    def text(self, row: int, col: int) -> str:
        """The value at `rows[row][col]` as a person reads it in the report and the workbook:
        a text a unit left blank reads 「—」 (an empty cell looks unfinished), the blanks of
        a total row stay blank."""
        value, kind = self.rows[row][col], self.kind(row, col)
        if value in (None, "") and kind is ValueKind.TEXT and row < len(self.rows) - self.totals:
            return NONE
        return text(value, kind)

    def shown(self, *, report: bool) -> list[int]:
        """The indexes of the columns the report (or the workbook) shows; in the report, not
        the `section` column, whose value heads its rows."""
        if report:
            return [i for i, c in enumerate(self.cols) if c.report and not c.section]
        return [i for i, c in enumerate(self.cols) if c.workbook]

    @property
    def section(self) -> int | None:
        """The index of the column whose value the report shows as a row across the table
        above the rows that share it, if any."""
        return next((i for i, c in enumerate(self.cols) if c.section and c.report), None)

    def for_workbook(self) -> Table:
        """The table with only the columns the workbook shows."""
        keep = self.shown(report=False)
        if len(keep) == len(self.cols):
            return self
        at = {old: new for new, old in enumerate(keep)}
        return replace(
            self,
            columns=tuple(self.columns[i] for i in keep),
            kinds=tuple(self.kinds[i] for i in keep),
            rows=[tuple(row[i] for i in keep) for row in self.rows],
            cell_kinds={(r, at[c]): k for (r, c), k in self.cell_kinds.items() if c in at},
            cols=tuple(self.cols[i] for i in keep),
            marked=frozenset((r, at[c]) for r, c in self.marked if c in at),
            figures_at={(r, at[c]): f for (r, c), f in self.figures_at.items() if c in at},
        )

    @property
    def identities(self) -> list[Identity]:
        """The sums the cells obey: 男 + 女 + 其他 = 合計 in each row of each gender group
        (rows holding numbers), and, in a table that `adds_up`, each total row's cell = the
        cells above it (a count not taken, 「－」, is no part)."""
        found = []
        groups: dict[str | None, dict[str, int]] = {}
        for i, col in enumerate(self.cols):
            if col.gender:
                groups.setdefault(col.group, {})[col.gender] = i
        for r, row in enumerate(self.rows):
            for at in groups.values():
                if "total" not in at or not isinstance(row[at["total"]], int | float):
                    continue
                parts = tuple((r, at[g]) for g in GENDER_KEYS.values() if g in at)
                found.append(Identity((r, at["total"]), parts))
        if not self.adds_up:
            return found
        first_total = len(self.rows) - self.totals
        summed = (ValueKind.COUNT, ValueKind.AMOUNT, ValueKind.HOURS)
        for t in range(first_total, len(self.rows)):
            for c, kind in enumerate(self.kinds):
                if kind not in summed or not isinstance(self.rows[t][c], int | float):
                    continue
                parts = tuple((r, c) for r in range(first_total) if self.rows[r][c] != NOT_COUNTED)
                found.append(Identity((t, c), parts))
        return found


def declare(
    key: str,
    caption: str,
    cols: Sequence[Col],
    rows: list[tuple[Any, ...]],
    *,
    total: tuple[Any, ...] | None = None,
    **kw: Any,
) -> Table:
    """A table named by its caption, the title too until its caller (`report_tables`,
    `rows_check`) prefixes it with the year (`titled`); `total` is a last row of totals."""
    if total is not None:
        rows = [*rows, total]
        kw["totals"] = 1
    return Table(
        caption,
        caption,
        tuple(c.name for c in cols),
        tuple(c.kind for c in cols),
        rows,
        key=key,
        caption=caption,
        cols=tuple(cols),
        **kw,
    )


T, C, A, R, H, D = (
    ValueKind.TEXT,
    ValueKind.COUNT,
    ValueKind.AMOUNT,
    ValueKind.RATE,
    ValueKind.HOURS,
    ValueKind.DATE,
)

NO_RATE_NOTE = "比率欄空白者，其分母為 0（無應訓人員或無參與者），無從計算。"
"""Said under a workbook table with a blank rate (the report reads 「—」)."""


def units_note(figures: YearFigures) -> str:
    """「全機關數據僅含已繳交資料之單位，不含○○。」 while units are 未繳交 or 繳交空白表, else
    "": said under every table and chart of the agency as a whole (SPEC §3 ◆)."""
    missing = not_in(figures["units"])
    return f"全機關數據僅含已繳交資料之單位，不含{'、'.join(missing)}。" if missing else ""


def titled(table: Table, figures: Figures) -> Table:
    """`table` with its title: the year, then its caption (「113年度性別平等執行小組…」)."""
    return replace(table, title=f"{figures['year']}年度{table.caption}")


def report_tables(figures: Figures) -> list[Table]:
    """Every table the Word report shows, in report order, numbered as the report numbers
    them (「表4 各類人員性別意識培力情形」); a table only the workbook shows follows the
    table it belongs with, named 「補充資料」. `figures` are as shown (`privacy.as_shown`).
    A table of the agency as a whole says `units_note` after its own note."""
    chapters = {  # the tables of each work item's chapter, after the item's results
        "meetings": [_meetings(figures), _member_composition(figures), _member_roles(figures)],
        "training": [
            *_training_groups(figures),
            _training_people(figures),
            _training_modes(figures),
            *_intersections(figures),
        ],
        "gia": [_gia(figures)],
        "statistics_budget": [
            _indicators(figures),
            _budget_by_category(figures),
            _budget(figures),
            _budget_beneficiaries(figures),
        ],
        "cedaw_measures": [
            *_cedaw_breakdowns(figures),
            _cedaw(figures),
            _measures(figures),
        ],
    }
    assert chapters.keys() <= {w.key for w in WORK_ITEM_LIST}, "a chapter of no work item"
    tables = [
        replace(t, work_item=w.key)
        for w in WORK_ITEM_LIST
        for t in [_results(figures, w.key), *chapters.get(w.key, [])]  # a new item may have none
    ]
    said = units_note(figures)
    numbered, n = [], 0
    for t in [*tables, _targets(figures)]:
        if said and t.whole_agency:
            t = replace(t, note=f"{t.note}{said}" if t.note else f"註：{said}")
        t = titled(t, figures)
        if t.in_report:
            n += 1
            numbered.append(replace(t, name=f"表{n} {t.caption}", number=n))
        else:
            numbered.append(replace(t, name=f"補充資料 {t.caption}"))
    return numbered


def _genders(counts: Genders | GenderRates | ListRow) -> tuple[Any, ...]:
    return counts["male"], counts["female"], counts["other"], counts["total"]


def _counted(counts: Genders) -> tuple[Any, ...]:
    """男/女/其他/合計 of a count taken; 「－」 in each of a count left blank, which the
    figures keep as 0 in each (a project's 受益人數 not filled in, not nobody)."""
    return _genders(counts) if counts["total"] else (NOT_COUNTED,) * len(COUNT_KEYS)


def _counts(
    group: str, kind: ValueKind = C, measure: Measure | None = None, **kw: Any
) -> list[Col]:
    """男/女/其他/合計 columns under `group`, of the staff figure `measure` if given."""
    return [
        Col(label, kind, group=group, gender=key, measure=measure, **kw)
        for label, key in zip(COUNT_LABELS, COUNT_KEYS, strict=True)
    ]


GROUP_POPULATIONS: Mapping[str, Population] = {
    "civil_servants": Population(category="civil_servants"),
    "other_staff": Population(category="other_staff"),
    "supervisors": Population(supervisor=True),
    "gender_officers": Population(gender_officer=True),
    EVERYONE.key: ALL_STAFF,
}
"""The people of each training group (schema.TRAINING_GROUPS), for the privacy audit."""


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


Cell = tuple[Col, Callable[[ListRow], Any]]
"""A column of a list table, and how to get its value from a row."""

_KINDS = {Kind.DATE: D, Kind.COUNT: C, Kind.AMOUNT: A, Kind.HOURS: H}


def _sheet_cells(column: SheetColumn, left: bool, report: bool) -> list[Cell]:
    """The table columns that show one sheet column (a gender group shows as four)."""
    group = column.gender_group
    if group is None:
        key = column.key
        header = column.header + ("(元)" if column.kind is Kind.AMOUNT else "")
        col = Col(header, _KINDS.get(column.kind, T), left=left, report=report)
        if column.kind is Kind.YESNO:
            return [(col, lambda row: yes_no(row[key]))]
        if column.kind is Kind.DIMENSIONS:
            return [(col, dimensions)]
        if column.kind is Kind.DATE:
            return [(col, lambda row: _date(row[key]))]
        if key == "reach":  # nothing reached by media: no count was taken
            return [(col, lambda row: row["reach"] or NOT_COUNTED)]
        return [(col, lambda row: row[key])]
    if not column.opens_gender_group:
        return []  # the group shows at its first column
    header = column.header.removesuffix(f"({GENDERS[0]})")
    return [(col, _count_getter(group, col.gender or "")) for col in _counts(header, report=report)]


def _count_getter(group: str, key: str) -> Callable[[ListRow], Any]:
    """The count `key` of a row's per-gender counts `group`; 「－」 for a row of a sheet with
    觸及人次 that counted nobody but reached some (SPEC §3)."""
    return lambda row: (
        row[group][key] if row[group]["total"] or not row.get("reach") else NOT_COUNTED
    )


def _list_table(
    sheet_key: str,
    listed: list[ListRow],
    caption: str,
    *,
    shown: Collection[str],
    left: Collection[str] = (),
    derived: Mapping[str, Cell] | None = None,
    skip_group: str | None = None,
    total: tuple[Any, ...] | None = None,
    **kw: Any,
) -> Table:
    """The rows of a sheet as the figures list them: 單位, then the sheet's columns (but
    the per-gender counts `skip_group`, which another table shows), with `derived` columns
    after the key they name ({"executed": (Col("執行率", R), fn)}). The report shows the
    columns `shown` (a gender group by its name, 單位 as "unit"), so that a column added to
    the sheet reaches the report only when declared here, and sets those of `left` left
    (long text); the workbook shows all. `total` is a last row of totals
    under any rows, in the order of the columns."""
    cells: list[Cell] = [(Col("單位", report="unit" in shown), lambda r: r["unit"])]
    for column in SHEETS_BY_KEY[sheet_key].columns:
        if skip_group is not None and column.gender_group == skip_group:
            continue
        key = column.gender_group or column.key
        made = _sheet_cells(column, key in left, key in shown)
        cells += made
        if made and derived and column.last_row_key in derived:
            cells.append(derived[column.last_row_key])
    rows = [tuple(get(row) for _, get in cells) for row in listed]
    total = total if rows else None
    cols = [c for c, _ in cells]
    return declare(sheet_key, caption, cols, rows, total=total, adds_up=bool(total), **kw)


def _meetings(figures: Figures) -> Table:
    return _list_table(
        "meetings",
        figures["meetings"]["list"],
        "性別平等執行小組會議辦理情形",
        shown={"session", "date", "chair", "attendance", "resolution"},
        left={"resolution"},
        derived={
            "attendance": (
                Col("女性比例", R, report=False),
                lambda m: _female_ratio(m["attendance"]),
            )
        },
        empty="本年度未召開會議",
    )


def _member_composition(figures: Figures) -> Table:
    members = figures["meetings"]["members"]
    rows = [("執行小組組員", *_genders(members), _female_ratio(members))]
    cols = [Col("項目", report=False), *_counts("組員人數"), Col("女性比例", R)]
    return declare("members", "性別平等執行小組組員性別組成", cols, rows, keep=True)


def _member_roles(figures: Figures) -> Table:
    rows = list(figures["meetings"]["roles"].items())
    return declare(
        "roles",
        "性別平等執行小組組員角色",
        [Col("角色", left=True), Col("人數", C)],
        rows,
        total=(TOTAL_LABEL, figures["meetings"]["members"]["total"]) if rows else None,
        keep=True,
        empty="未填報小組組員",
    )


def _staff_table(
    figures: Figures,
    key: str,
    caption: str,
    cols: list[Col],
    rows: list[tuple[Any, ...]],
    staff: Sequence[tuple[str, Population]],
    said: str = "",
    **kw: Any,
) -> Table:
    """A table of the whole agency's staff on one page, whose row r shows the population
    `staff[r]` (its figures under the path prefix) by the columns' measures: the staff
    figure of each such cell is what the privacy audit reads. Its note is `said`, with the
    privacy rule's when a cell is suppressed (SPEC §3)."""
    found = {}
    for r, (prefix, population) in enumerate(staff):
        counted = completion_figures(prefix, population)
        for c, col in enumerate(cols):
            if col.measure in ("hours", "average_hours"):
                found[r, c] = Figure(f"{prefix}.{col.measure}", population, "total", col.measure)
            elif col.measure:
                found[r, c] = counted[col.measure, col.gender or "total"]
    if figures["suppressed"]:
        said += privacy_note(figures["privacy"]["min_cell"])
    note = f"註：{said}" if said else ""
    return declare(
        key, caption, cols, rows, keep=True, note=note, whole_agency=True, figures_at=found, **kw
    )


def _training_groups(figures: Figures) -> list[Table]:
    """各類人員性別意識培力情形, and its 完訓率 by 性別: a row per training group."""
    training = figures["training"]
    groups = [training["groups"][g.key] for g in TRAINING_GROUPS]
    staff = [(f"training.groups.{g.key}", GROUP_POPULATIONS[g.key]) for g in TRAINING_GROUPS]
    rows = [
        (
            g["label"],
            *_genders(g["required"]),
            *_genders(g["completed"]),
            g["rate"]["total"],
            g["hours"],
            g["average_hours"],
        )
        for g in groups
    ]
    cols = [
        Col("類別", left=True),
        *_counts("應訓人數", measure="required"),
        *_counts("完訓人數", measure="completed"),
        Col("完訓率", R, measure="rate"),
        Col("總時數", H, measure="hours"),
        Col("平均時數", ValueKind.AVERAGE_HOURS, measure="average_hours"),
    ]
    said = (
        "1. 同一人可能分屬多個類別（如主管人員亦屬公務人員），各類別人數不宜加總。"
        "2. 總時數及平均時數僅計應訓人員；全年研習總時數（含非應訓人員）為 "
        f"{hours(training['total_hours'])} 小時。"
    )
    rates = [(g["label"], *_genders(g["rate"])) for g in groups]
    rate_cols = [Col("類別", left=True), *_counts("完訓率", R, measure="rate")]
    return [
        _staff_table(
            figures, "training_groups", "各類人員性別意識培力情形", cols, rows, staff, said
        ),
        _staff_table(
            figures,
            "training_rates",
            "各類人員性別意識培力完訓率（依性別）",
            rate_cols,
            rates,
            staff,
            "該性別無應訓人員者以「—」表示。",
        ),
    ]


def _training_people(figures: Figures) -> Table:
    training = figures["training"]
    days = number(training["min_service_days"])
    not_required = training["not_required"]
    rows: list[tuple[Any, ...]] = [
        ("在職人數（年度內曾在職）", training["people"]["roster"]),
        ("應訓人數", training["people"]["required"]),
        (f"未列入應訓：本年度在職未滿 {days} 日", not_required["short_service"]),
        (f"未列入應訓：留職停薪致在職未滿 {days} 日", not_required["on_leave"]),
    ]
    measures: tuple[tuple[str, Measure], ...] = (
        ("training.people.roster", "roster"),
        ("training.people.required", "required"),
        ("training.not_required.short_service", "short"),
        ("training.not_required.on_leave", "on_leave"),
    )
    return declare(
        "training_people",
        "性別意識培力應訓人員認定",
        [Col("項目"), Col("人數", C)],
        rows,
        in_report=False,
        whole_agency=True,
        figures_at={
            (r, 1): Figure(path, ALL_STAFF, "total", measure)
            for r, (path, measure) in enumerate(measures)
        },
    )


def _training_modes(figures: Figures) -> Table:
    total = figures["training"]["total_hours"]
    rows = [
        (mode, spent, rate(spent, total))
        for mode, spent in figures["training"]["hours_by_mode"].items()
    ]
    return declare(
        "training_modes",
        "性別意識培力研習時數（依辦理方式）",
        [Col("辦理方式"), Col("時數", H), Col("占比", R)],
        rows,
        total=(TOTAL_LABEL, total, 1.0 if total else None),
        adds_up=True,
        keep=True,
        whole_agency=True,
    )


def _intersections(figures: Figures) -> list[Table]:
    """性別意識培力完訓率交織分析: a row per age band, or per 主管 and 非主管, then all."""
    training = figures["training"]
    everyone = training["groups"][EVERYONE.key]
    tables = []
    for key, items, label, crossed in (
        ("by_age", training["by_age"], "年齡層", "性別×年齡層"),
        ("by_supervisor", training["by_supervisor"], "職務", "性別×主管職務"),
    ):
        rows = [
            (name, *_genders(i["required"]), *_genders(i["completed"]), *_genders(i["rate"]))
            for name, i in [*((i["label"], i) for i in items), (TOTAL_LABEL, everyone)]
        ]
        cols = [
            Col(label),
            *_counts("應訓人數", measure="required"),
            *_counts("完訓人數", measure="completed", report=False),
            *_counts("完訓率", R, measure="rate"),
        ]
        staff = [(f"training.{key}.{i['label']}", _crossed(key, i["label"])) for i in items]
        staff.append((f"training.groups.{EVERYONE.key}", ALL_STAFF))
        caption = f"性別意識培力完訓率交織分析（{crossed}）"
        tables.append(
            _staff_table(figures, key, caption, cols, rows, staff, totals=1, adds_up=True)
        )
    return tables


def _crossed(key: str, label: str) -> Population:
    """The people of a row of a 交織分析 table: an age band, or 主管 / 非主管."""
    if key == "by_age":
        return Population(age=label)
    return Population(supervisor=SUPERVISOR_ROWS[label])


def _gia(figures: Figures) -> Table:
    return _list_table(
        "gia",
        figures["gia"]["list"],
        "性別影響評估辦理情形",
        shown={"unit", "name", "type", "date", "expert", "statistics", "result"},
        left={"name", "statistics", "result"},
        empty="本年度未辦理性別影響評估",
    )


def _budget(figures: Figures) -> Table:
    return _list_table(
        "budget",
        figures["budget"]["list"],
        "性別預算計畫編列及執行情形",
        shown={"unit", "name", "category", "allocated", "executed", "note"},
        left={"name", "note"},
        derived={"executed": (Col("執行率", R), lambda b: b["execution_rate"])},
        skip_group="beneficiaries",
        empty="本年度無性別預算",
    )


def _indicators(figures: Figures) -> Table:
    """性別統計指標: the report reads each name with its period, the workbook each apart.
    A count of 1 to min_cell − 1 of one 性別 reads 「*」, with what would give it back
    (`privacy.indicator_cells`; `figures` are as shown)."""
    rows = [
        (
            i["unit"],
            f"{i['name']}（{roc_period(i['period'])}）" if i["period"] else i["name"],
            i["name"],
            i["status"],
            dimensions(i),
            *_genders(i),
            i["female_ratio"],
            roc_period(i["period"]),
            i["application"],
        )
        for i in figures["indicators"]["list"]
    ]
    header = SHEETS_BY_KEY["indicators"].column
    cols = [
        Col("單位"),
        Col("指標名稱\n（資料時間）", left=True, workbook=False),
        Col(header("name").header, report=False),
        Col(header("status").header, short="狀態"),
        Col(header("cross").header),
        *_counts("統計值"),
        Col("女性比例", R),
        Col(header("period").header, report=False),
        Col(header("application").header, left=True),
    ]
    hides = any(p.startswith("indicators.list.") for p in figures["suppressed"])
    return declare(
        "indicators",
        "性別統計指標",
        cols,
        rows,
        note=f"註：{privacy_note(figures['privacy']['min_cell'], '其人數')}" if hides else "",
        empty="本年度無性別統計指標",
    )


def _budget_by_category(figures: Figures) -> Table:
    b = figures["budget"]
    rows = [
        (c["label"], c["count"], c["allocated"], c["executed"], c["execution_rate"])
        for c in b["by_category"]
    ]
    cols = [
        Col("預算類別"),
        Col("計畫數", C),
        Col("編列數(元)", A),
        Col("執行數(元)", A),
        Col("執行率", R),
    ]
    return declare(
        "budget_by_category",
        "性別預算編列及執行情形（依預算類別）",
        cols,
        rows,
        total=(TOTAL_LABEL, len(b["list"]), b["allocated"], b["executed"], b["execution_rate"]),
        adds_up=True,
        keep=True,
        empty="本年度無性別預算",
    )


def _budget_beneficiaries(figures: Figures) -> Table:
    budget = figures["budget"]
    rows = [
        (b["name"], *_counted(b["beneficiaries"]), _female_ratio(b["beneficiaries"]))
        for b in budget["list"]
    ]
    total = budget["beneficiaries"]  # the sum of the projects that counted theirs
    blank = any(not b["beneficiaries"]["total"] for b in budget["list"])
    cols = [Col("計畫名稱", left=True), *_counts("受益人數"), Col("女性比例", R)]
    return declare(
        "beneficiaries",
        "性別預算受益人數",
        cols,
        rows,
        total=(TOTAL_LABEL, *_counted(total), _female_ratio(total)) if rows else None,
        adds_up=True,
        note=f"註：未填列受益人數之計畫以「{NOT_COUNTED}」表示，不計入合計。" if blank else "",
        empty="本年度無性別預算",
    )


def _cedaw(figures: Figures) -> Table:
    cedaw = figures["cedaw"]
    return _list_table(
        "cedaw",
        cedaw["list"],
        "CEDAW宣導辦理情形",
        shown={"unit", "name", "date", "audience", "method", "content", "participants", "reach"},
        left={"name"},
        total=(
            TOTAL_LABEL,
            f"{number(cedaw['sessions'])} 場次",
            *[""] * 4,
            *_genders(cedaw["participants"]),
            cedaw["reach"] or NOT_COUNTED,
            "",
            "",
        ),
        empty="本年度未辦理 CEDAW 宣導",
    )


def _measures(figures: Figures) -> Table:
    measures = figures["other_measures"]
    return _list_table(
        "measures",
        measures["list"],
        "其他性別平等措施辦理情形",
        shown={"unit", "name", "item", "date", "media", "participants", "reach", "result"},
        left={"name", "item", "result"},  # 對應項目: long names of the designated items
        total=(
            TOTAL_LABEL,
            f"{number(measures['count'])} 項",
            *[""] * 3,
            *_genders(measures["participants"]),
            measures["reach"] or NOT_COUNTED,
            "",
        ),
        empty="本年度未辦理其他性別平等措施",
    )


def _cedaw_breakdowns(figures: Figures) -> list[Table]:
    """The CEDAW 宣導 by 宣導對象 and by 宣導方式: a row per audience or method, then all."""
    cedaw = figures["cedaw"]
    tables = []
    for by, items, label in (
        ("by_audience", cedaw["by_audience"], "宣導對象"),
        ("by_method", cedaw["by_method"], "宣導方式"),
    ):
        rows = [
            (
                name,
                item["sessions"],
                *_genders(item["participants"]),
                _female_ratio(item["participants"]),
                # none reached beyond those counted, as 表 of the list
                item["reach"] or NOT_COUNTED,
            )
            for name, item in [*((i["label"], i) for i in items), (TOTAL_LABEL, cedaw)]
        ]
        cols = [
            Col(label),
            Col("場次", C),
            *_counts("參與人數"),
            Col("女性比例", R),
            Col("觸及人次", C),
        ]
        caption = f"CEDAW宣導參與人數（依{label}）"
        empty = "本年度未辦理 CEDAW 宣導"
        tables.append(
            declare(
                f"cedaw_{by}", caption, cols, rows, totals=1, adds_up=True, keep=True, empty=empty
            )
        )
    return tables


def _targets(figures: Figures) -> Table:
    rows: list[tuple[Any, ...]] = []
    marked = set()
    incomplete = False
    results = {r["id"]: r for r in figures["targets"]}
    for i, t in enumerate(target_rows(figures)):
        result = results[t["id"]]
        missing = result.get("missing") or []
        incomplete = incomplete or t["verdict"] == INCOMPLETE
        label = t["label"] + (f"（依據：{t['source']}）" if t["source"] else "")
        row = (t["work_item"], t["lead_unit"], label, t["required"], t["actual"], t["verdict"])
        said = [f"缺：{'、'.join(missing)}"] if missing else []
        said += [f"{INCOMPLETE}：{why_absent(result, figures)}"] if result.get("incomplete") else []
        rows.append((*row, "；".join(said)))
        if t["verdict"] in ("未達成", "未辦理"):
            marked.add((i, 5))
    cols = [
        Col("工作項目", left=True),
        Col("主辦單位"),
        Col("目標", left=True),
        *VERDICT_COLS,
        Col("說明", report=False),
    ]
    if not any(row[-1] for row in rows):  # no empty column: 說明 only when something is missing
        cols.pop()
        rows = [row[:-1] for row in rows]
    return declare(
        "targets",
        "目標達成情形",
        cols,
        rows,
        note="註：各目標之依據為本計畫條次；完訓率目標值依市府所訂每年每人訓練目標；"
        "註明「非本計畫所定」者為通例，供參考。" + (INCOMPLETE_NOTE if incomplete else ""),
        marked=frozenset(marked),
        whole_agency=True,
    )


VERDICT_COLS = (Col("目標值"), Col("實際值"), Col("達成情形"))
RESULTS_NOTE = "註：未達成原因及改善措施摘自主辦單位之檢討與精進。"


def _results(figures: Figures, key: str) -> Table:
    """A work item's results (SPEC §8 ◆), at the head of its chapter: each of its targets
    with 目標值, 實際值 and 達成情形, and where missed, the reasons and measures its lead
    unit wrote under the item's 檢討與精進 (「—」 where met, or where the unit wrote none)."""
    item = WORK_ITEMS_BY_KEY[key]
    reviews = {
        e["unit"]: e["review"]
        for block in figures["narratives"]
        if block["item"] == item.name
        for e in block["entries"]
        if e["review"]
    }
    rows: list[tuple[Any, ...]] = []
    marked = set()
    for result in figures["targets"]:
        if result["work_item"] != item.name:
            continue
        row = target_row(result, figures)
        reason = NONE
        if row["verdict"] == INCOMPLETE:
            reason = f"{why_absent(result, figures)}，俟資料補齊後再行檢核。"
        if row["verdict"] in ("未達成", "未辦理"):
            marked.add((len(rows), 3))
            units = [u for u in lead_and_support(row["lead_unit"])[0] if u in reviews]
            if len(units) == 1:
                reason = reviews[units[0]]
            elif units:
                reason = "\n".join(f"{u}：{reviews[u]}" for u in units)
        rows.append((row["label"], row["required"], row["actual"], row["verdict"], reason))
    cols = [Col("指標", left=True), *VERDICT_COLS, Col("未達成原因及改善措施", left=True)]
    return declare(
        f"results_{key}",
        f"{item.name}目標達成情形",
        cols,
        rows,
        note=RESULTS_NOTE if marked else "",
        marked=frozenset(marked),
        keep=True,
    )


def rows_check(figures: Figures) -> Table:
    """The 填報資料列數核對 of the 檢核結果, for 人事室 (not in the report)."""
    counted = figures["rows"]
    rows = [(s["sheet"], s["read"], s["counted"], s["excluded"]) for s in counted["by_sheet"]]
    total = (TOTAL_LABEL, counted["read"], counted["counted"], counted["excluded"])
    cols = [Col("工作表"), Col("讀取列數", C), Col("納入統計列數", C), Col("排除列數", C)]
    table = declare("rows", "填報資料列數核對", cols, rows, total=total)
    return replace(titled(table, figures), name="資料列數核對")
