"""The statistics workbook's tables: every table of the report as plain data, in order.

Values stay raw (counts and amounts as numbers, rates as fractions, dates as `date`);
each column carries a `ValueKind` so the writer knows how to show it. The tables that list
a sheet's rows take their columns and headers from the schema. Nothing here holds a
trainee's name (SPEC §7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from types import MappingProxyType
from typing import Any

from ..figures import (
    Breakdown,
    Figures,
    GenderRates,
    Genders,
    LabelledCompletion,
    ListRow,
    female_ratio,
)
from ..format import dimensions, number, yes_no
from ..privacy import note
from ..schema import GENDER_KEYS, GENDERS, SHEETS_BY_KEY, TRAINING_GROUPS, Column, Kind
from ..targets import TARGETS_BY_ID

TOTAL_LABEL = "合計"
COUNT_KEYS = (*GENDER_KEYS.values(), "total")
COUNT_LABELS = (*GENDERS, TOTAL_LABEL)
INVALID_SHEET_CHARS = frozenset("[]:*?/\\")
MAX_SHEET_NAME = 31


class ValueKind(Enum):
    """How a column's values are to be shown."""

    TEXT = "文字"
    COUNT = "人數"
    AMOUNT = "金額"
    RATE = "比率"
    HOURS = "時數"
    AVERAGE_HOURS = "平均時數"  # two decimals, as in the report
    DATE = "日期"


@dataclass(frozen=True)
class Table:
    """One table of the report: a sheet name, a caption, headers and raw rows."""

    name: str
    title: str
    columns: tuple[str, ...]
    kinds: tuple[ValueKind, ...]
    rows: list[tuple[Any, ...]]
    cell_kinds: Mapping[tuple[int, int], ValueKind] = field(default_factory=dict)
    """Exceptions to `kinds` for single cells, keyed by (row index, column index). A plain
    dict by default, so that a table can be sent to another process (the roll-up's)."""
    note: str = ""
    """Said under the table (why some cells read 「*」)."""

    def __post_init__(self) -> None:
        if len(self.kinds) != len(self.columns):
            raise ValueError(f"{self.name}: columns and kinds differ in length")
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"{self.name}: row {row!r} does not match the columns")

    def kind(self, row: int, col: int) -> ValueKind:
        """The kind of the value at `rows[row][col]`."""
        return self.cell_kinds.get((row, col), self.kinds[col])


def is_valid_sheet_name(name: str) -> bool:
    """Whether Excel accepts `name` as a sheet name."""
    return (
        0 < len(name) <= MAX_SHEET_NAME
        and not INVALID_SHEET_CHARS & set(name)
        and not name.startswith("'")
        and not name.endswith("'")
    )


def report_tables(figures: Figures) -> list[Table]:
    """Every table the Word report shows, in report order, each named as the report numbers
    it (「表4 各類人員性別意識培力情形」); a table the report states only in its text follows
    the table it belongs with, named 「補充資料」."""
    numbered = [
        _list_table(
            figures,
            "meetings",
            figures["meetings"]["list"],
            "性別平等執行小組會議辦理情形",
            {"attendance": ("女性比例", R, lambda m: female_ratio(m["attendance"]))},
        ),
        _member_composition(figures),
        _member_roles(figures),
        _training_groups(figures),
        _training_rates(figures),
        _training_modes(figures),
        _intersection(figures, figures["training"]["by_age"], "年齡層", "性別×年齡層"),
        _intersection(figures, figures["training"]["by_supervisor"], "主管別", "性別×主管職務"),
        _list_table(figures, "gia", figures["gia"]["list"], "性別影響評估辦理情形"),
        _list_table(
            figures,
            "indicators",
            figures["indicators"]["list"],
            "性別統計指標",
            {"total": ("女性比例", R, lambda i: i["female_ratio"])},
        ),
        _budget_by_category(figures),
        _list_table(
            figures,
            "budget",
            figures["budget"]["list"],
            "性別預算計畫編列及執行情形",
            {"executed": ("執行率", R, lambda b: b["execution_rate"])},
            skip_group="beneficiaries",
        ),
        _budget_beneficiaries(figures),
        _cedaw_breakdown(figures, figures["cedaw"]["by_audience"], "宣導對象"),
        _cedaw_breakdown(figures, figures["cedaw"]["by_method"], "宣導方式"),
        _list_table(figures, "cedaw", figures["cedaw"]["list"], "CEDAW宣導辦理情形"),
        _list_table(
            figures, "measures", figures["other_measures"]["list"], "其他性別平等措施辦理情形"
        ),
        _targets(figures),
    ]
    tables = [replace(t, name=f"表{n} {t.name}") for n, t in enumerate(numbered, start=1)]
    supplement = _training_people(figures)
    tables.insert(
        tables.index(next(t for t in tables if t.title.endswith(TRAINING_RATES))) + 1,
        replace(supplement, name=f"補充資料 {supplement.name}"),
    )
    if figures["suppressed"]:  # the staff tables: SPEC §3's privacy of small groups
        said = note(figures["privacy"]["min_cell"])
        tables = [_noted(t, said) if t.title.endswith(STAFF_TABLES) else t for t in tables]
    return [_noted(t, NO_RATE_NOTE) if _has_no_rate(t) else t for t in tables]


TRAINING_RATES = "各類人員性別意識培力完訓率（依性別）"
STAFF_TABLES = (
    "各類人員性別意識培力情形",
    TRAINING_RATES,
    "性別意識培力完訓率交織分析（性別×年齡層）",
    "性別意識培力完訓率交織分析（性別×主管職務）",
)
"""The tables that cross 性別 with a group of staff, whose small cells read 「*」."""

NO_RATE_NOTE = "比率欄空白者，其分母為 0（無應訓人員或無參與者），無從計算。"


def _noted(table: Table, said: str) -> Table:
    return replace(table, note=f"{table.note}\n{said}" if table.note else said)


def _has_no_rate(table: Table) -> bool:
    return any(
        value is None and table.kind(r, c) is ValueKind.RATE
        for r, row in enumerate(table.rows)
        for c, value in enumerate(row)
    )


T, C, A, R, H, D = (
    ValueKind.TEXT,
    ValueKind.COUNT,
    ValueKind.AMOUNT,
    ValueKind.RATE,
    ValueKind.HOURS,
    ValueKind.DATE,
)
ColumnSpec = tuple[str, ValueKind]
# How a sheet's column shows in a table: its kind, and what the header adds.
_KINDS = {Kind.DATE: D, Kind.COUNT: C, Kind.AMOUNT: A, Kind.HOURS: H}
_HEADER_UNITS = {Kind.AMOUNT: "(元)"}


def _table(
    figures: Figures,
    caption: str,
    columns: list[ColumnSpec],
    rows: list[tuple[Any, ...]],
    cell_kinds: dict[tuple[int, int], ValueKind] | None = None,
) -> Table:
    """A table named by its caption, which its title prefixes with the year."""
    return Table(
        caption,
        f"{figures['year']}年度{caption}",
        tuple(header for header, _ in columns),
        tuple(kind for _, kind in columns),
        rows,
        MappingProxyType(cell_kinds or {}),
    )


def _by_gender(prefix: str, kind: ValueKind = C) -> list[ColumnSpec]:
    return [(f"{prefix}({g})", kind) for g in COUNT_LABELS]


def _genders(counts: Genders | GenderRates) -> tuple[Any, ...]:
    return counts["male"], counts["female"], counts["other"], counts["total"]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


Cell = tuple[str, ValueKind, Callable[[ListRow], Any]]
"""A column of a list table: header, kind, and how to get its value from a row."""


def _sheet_cells(column: Column) -> list[Cell]:
    """The table columns that show one sheet column (a gender group shows as four)."""
    group = column.gender_group
    if group is None:
        key = column.key
        header = column.header + _HEADER_UNITS.get(column.kind, "")
        if column.kind is Kind.YESNO:
            return [(header, T, lambda row: yes_no(row[key]))]
        if column.kind is Kind.DIMENSIONS:
            return [(header, T, dimensions)]
        if column.kind is Kind.DATE:
            return [(header, D, lambda row: _date(row[key]))]
        return [(header, _KINDS.get(column.kind, T), lambda row: row[key])]
    if not column.opens_gender_group:
        return []  # the group shows at its first column
    base = column.header.removesuffix(f"({GENDERS[0]})")
    headers = [f"{base}({g})" if group else g for g in COUNT_LABELS]
    return [(h, C, _count_getter(group, k)) for h, k in zip(headers, COUNT_KEYS, strict=True)]


def _count_getter(group: str, key: str) -> Callable[[ListRow], Any]:
    """The count `key` of a row's per-gender counts `group` ("" for the row's own)."""
    if group:
        return lambda row: row[group][key]
    return lambda row: row[key]


def _list_table(
    figures: Figures,
    sheet_key: str,
    listed: list[ListRow],
    caption: str,
    derived: Mapping[str, Cell] | None = None,
    skip_group: str | None = None,
) -> Table:
    """The rows of a sheet as the figures list them: 單位, then the sheet's columns (but
    the per-gender counts `skip_group`, which another table shows), with `derived` columns
    after the key they name ({"executed": ("執行率", R, fn)})."""
    cells: list[Cell] = [("單位", T, lambda row: row["unit"])]
    for column in SHEETS_BY_KEY[sheet_key].columns:
        if skip_group is not None and column.gender_group == skip_group:
            continue
        shown = _sheet_cells(column)
        cells += shown
        if shown and derived and column.last_row_key in derived:
            cells.append(derived[column.last_row_key])
    rows = [tuple(get(row) for _, _, get in cells) for row in listed]
    return _table(figures, caption, [(h, k) for h, k, _ in cells], rows)


def _training_groups(figures: Figures) -> Table:
    groups = figures["training"]["groups"]
    rows = [
        (
            groups[g.key]["label"],
            *_genders(groups[g.key]["required"]),
            *_genders(groups[g.key]["completed"]),
            groups[g.key]["rate"]["total"],
            groups[g.key]["hours"],
            groups[g.key]["average_hours"],
        )
        for g in TRAINING_GROUPS
    ]
    columns = [
        ("類別", T),
        *_by_gender("應訓人數"),
        *_by_gender("完訓人數"),
        ("完訓率", R),
        ("總時數", H),
        ("平均時數", ValueKind.AVERAGE_HOURS),
    ]
    return _table(figures, "各類人員性別意識培力情形", columns, rows)


def _training_rates(figures: Figures) -> Table:
    groups = figures["training"]["groups"]
    rows = [(groups[g.key]["label"], *_genders(groups[g.key]["rate"])) for g in TRAINING_GROUPS]
    return _table(figures, TRAINING_RATES, [("類別", T), *_by_gender("完訓率", R)], rows)


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
    return _table(figures, "性別意識培力應訓人員認定", [("項目", T), ("人數", C)], rows)


def _training_modes(figures: Figures) -> Table:
    modes = figures["training"]["hours_by_mode"]
    total = sum(modes.values())
    rows: list[tuple[Any, ...]] = [
        (mode, hours, hours / total if total else None) for mode, hours in modes.items()
    ]
    rows.append((TOTAL_LABEL, total, 1.0 if total else None))
    columns = [("辦理方式", T), ("時數", H), ("占比", R)]
    return _table(figures, "性別意識培力研習時數（依辦理方式）", columns, rows)


def _intersection(
    figures: Figures, items: list[LabelledCompletion], label: str, crossed: str
) -> Table:
    rows = [
        (
            item["label"],
            *_genders(item["required"]),
            *_genders(item["completed"]),
            item["rate"]["male"],
            item["rate"]["female"],
            item["rate"]["other"],
            item["rate"]["total"],
        )
        for item in items
    ]
    columns = [
        (label, T),
        *_by_gender("應訓人數"),
        *_by_gender("完訓人數"),
        *_by_gender("完訓率", R),
    ]
    return _table(figures, f"性別意識培力完訓率交織分析（{crossed}）", columns, rows)


def _member_composition(figures: Figures) -> Table:
    members = figures["meetings"]["members"]
    rows = [("執行小組組員", *_genders(members), female_ratio(members))]
    columns = [("項目", T), *_by_gender("組員人數"), ("女性比例", R)]
    return _table(figures, "性別平等執行小組組員性別組成", columns, rows)


def _member_roles(figures: Figures) -> Table:
    roles = figures["meetings"]["roles"]
    rows: list[tuple[Any, ...]] = list(roles.items())
    rows.append((TOTAL_LABEL, sum(roles.values())))
    columns = [("角色", T), ("人數", C)]
    return _table(figures, "性別平等執行小組組員角色", columns, rows)


def _budget_by_category(figures: Figures) -> Table:
    budget = figures["budget"]
    by_category = budget["by_category"]
    rows: list[tuple[Any, ...]] = [
        (c["label"], c["count"], c["allocated"], c["executed"], c["execution_rate"])
        for c in by_category
    ]
    rows.append(
        (
            TOTAL_LABEL,
            sum(c["count"] for c in by_category),
            budget["allocated"],
            budget["executed"],
            budget["execution_rate"],
        )
    )
    columns = [("預算類別", T), ("計畫數", C), ("編列數(元)", A), ("執行數(元)", A), ("執行率", R)]
    return _table(figures, "性別預算編列及執行情形（依預算類別）", columns, rows)


def _budget_beneficiaries(figures: Figures) -> Table:
    budget = figures["budget"]
    rows: list[tuple[Any, ...]] = [
        (b["name"], *_genders(b["beneficiaries"]), female_ratio(b["beneficiaries"]))
        for b in budget["list"]
    ]
    total = budget["beneficiaries"]
    rows.append((TOTAL_LABEL, *_genders(total), female_ratio(total)))
    columns = [("計畫名稱", T), *_by_gender("受益人數"), ("女性比例", R)]
    return _table(figures, "性別預算受益人數", columns, rows)


def _cedaw_breakdown(figures: Figures, items: list[Breakdown], label: str) -> Table:
    cedaw = figures["cedaw"]
    rows: list[tuple[Any, ...]] = [
        (
            item["label"],
            item["sessions"],
            *_genders(item["participants"]),
            female_ratio(item["participants"]),
            item["reach"],
        )
        for item in items
    ]
    everyone = cedaw["participants"]
    rows.append(
        (
            TOTAL_LABEL,
            cedaw["sessions"],
            *_genders(everyone),
            female_ratio(everyone),
            cedaw["reach"],
        )
    )
    columns = [
        (label, T),
        ("場次", C),
        *_by_gender("參與人數"),
        ("女性比例", R),
        ("觸及人次", C),
    ]
    return _table(figures, f"CEDAW宣導參與人數（依{label}）", columns, rows)


def _targets(figures: Figures) -> Table:
    rows: list[tuple[Any, ...]] = []
    cell_kinds: dict[tuple[int, int], ValueKind] = {}
    for i, t in enumerate(figures["targets"]):
        required = t["required"]
        if isinstance(required, list):
            required = "～".join(str(v) for v in required)
            cell_kinds[i, 3] = T
        if t["id"] in TARGETS_BY_ID and TARGETS_BY_ID[t["id"]].is_rate:
            cell_kinds[i, 3] = cell_kinds[i, 4] = R
        missing = t.get("missing") or []
        note = f"缺：{'、'.join(missing)}" if missing else ""
        verdict = t.get("verdict") or ("達成" if t["met"] else "未達成")
        row = (t.get("work_item", ""), t.get("lead_unit", ""), t["label"], required, t["actual"])
        rows.append((*row, verdict, note))
    columns = [
        ("工作項目", T),
        ("主辦單位", T),
        ("目標", T),
        ("目標值", C),
        ("實際值", C),
        ("達成情形", T),
        ("說明", T),
    ]
    if not any(row[-1] for row in rows):  # no empty column: 說明 only when something is missing
        columns.pop()
        rows = [row[:-1] for row in rows]
    return _table(figures, "目標達成情形", columns, rows, cell_kinds)


def rows_check(figures: Figures) -> Table:
    counted = figures["rows"]
    rows: list[tuple[Any, ...]] = [
        (s["sheet"], s["read"], s["counted"], s["excluded"]) for s in counted["by_sheet"]
    ]
    rows.append((TOTAL_LABEL, counted["read"], counted["counted"], counted["excluded"]))
    columns = [("工作表", T), ("讀取列數", C), ("納入統計列數", C), ("排除列數", C)]
    return replace(_table(figures, "填報資料列數核對", columns, rows), name="資料列數核對")
