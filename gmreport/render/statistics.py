"""The report's tables as plain data, in report order, for every writer to share.

Values stay raw (counts and amounts as numbers, rates as fractions, dates as `date`);
each column carries a `ValueKind` so a writer knows how to show it. Nothing here holds a
trainee's name (SPEC §7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any

GENDER_KEYS = ("male", "female", "other", "total")
GENDER_LABELS = ("男", "女", "其他", "合計")
TOTAL_LABEL = "合計"
INVALID_SHEET_CHARS = frozenset("[]:*?/\\")
MAX_SHEET_NAME = 31

TRAINING_GROUPS = (
    ("civil_servants", "公務人員"),
    ("supervisors", "主管人員"),
    ("gender_officers", "性別業務承辦人"),
    ("other_staff", "職工及自僱非公務人員"),
    ("all", "全機關"),
)
# Targets whose required/actual values are fractions rather than counts.
RATE_TARGETS = frozenset({"training_completion"})


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
    cell_kinds: Mapping[tuple[int, int], ValueKind] = field(
        default_factory=lambda: MappingProxyType({})
    )
    """Exceptions to `kinds` for single cells, keyed by (row index, column index)."""

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


def female_ratio(counts: Mapping[str, Any] | None) -> float | None:
    """女性比例 of a {male, female, other, total} dict; None when nobody was counted."""
    total = (counts or {}).get("total") or 0
    return counts.get("female", 0) / total if total else None


def report_tables(figures: dict) -> list[Table]:
    """Every table the Word report shows, in report order."""
    return [
        _training_groups(figures),
        _training_modes(figures),
        _intersection(figures, "by_age", "交織分析-年齡層", "年齡層", "性別×年齡層"),
        _intersection(figures, "by_supervisor", "交織分析-主管", "主管別", "性別×主管別"),
        _member_composition(figures),
        _member_roles(figures),
        _meetings(figures),
        _gia(figures),
        _indicators(figures),
        _budget_by_category(figures),
        _budget_list(figures),
        _cedaw_breakdown(figures, "by_audience", "CEDAW-宣導對象", "宣導對象"),
        _cedaw_breakdown(figures, "by_method", "CEDAW-宣導方式", "宣導方式"),
        _cedaw_list(figures),
        _other_measures(figures),
        _targets(figures),
        _rows_check(figures),
    ]


T, C, A, R, H, D = (
    ValueKind.TEXT,
    ValueKind.COUNT,
    ValueKind.AMOUNT,
    ValueKind.RATE,
    ValueKind.HOURS,
    ValueKind.DATE,
)
ColumnSpec = tuple[str, ValueKind]


def _table(
    figures: dict,
    name: str,
    caption: str,
    columns: list[ColumnSpec],
    rows: list[tuple[Any, ...]],
    cell_kinds: dict[tuple[int, int], ValueKind] | None = None,
) -> Table:
    return Table(
        name,
        f"{figures['year']}年度{caption}",
        tuple(header for header, _ in columns),
        tuple(kind for _, kind in columns),
        rows,
        MappingProxyType(cell_kinds or {}),
    )


def _by_gender(prefix: str, kind: ValueKind = C) -> list[ColumnSpec]:
    return [(f"{prefix}({g})", kind) for g in GENDER_LABELS]


def _genders(counts: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(counts.get(k, 0) for k in GENDER_KEYS)


def _date(value: str | dt.date | None) -> dt.date | None:
    if not value:
        return None
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _yes_no(flag: bool) -> str:
    return "是" if flag else "否"


def _training_groups(figures: dict) -> Table:
    groups = figures["training"]["groups"]
    rows = [
        (
            groups[key].get("label", label),
            *_genders(groups[key]["required"]),
            *_genders(groups[key]["completed"]),
            groups[key]["rate"]["total"],
            groups[key]["hours"],
            groups[key]["average_hours"],
        )
        for key, label in TRAINING_GROUPS
    ]
    columns = [
        ("群組", T),
        *_by_gender("應訓人數"),
        *_by_gender("完訓人數"),
        ("完訓率", R),
        ("總時數", H),
        ("平均時數", ValueKind.AVERAGE_HOURS),
    ]
    return _table(figures, "培力完訓", "性別意識培力完訓情形", columns, rows)


def _training_modes(figures: dict) -> Table:
    modes = figures["training"]["hours_by_mode"]
    total = sum(modes.values())
    rows: list[tuple[Any, ...]] = [
        (mode, hours, hours / total if total else None) for mode, hours in modes.items()
    ]
    rows.append((TOTAL_LABEL, total, 1.0 if total else None))
    columns = [("辦理方式", T), ("時數", H), ("比例", R)]
    return _table(figures, "培力辦理方式", "性別意識培力辦理方式時數", columns, rows)


def _intersection(figures: dict, key: str, name: str, label: str, caption: str) -> Table:
    rows = [
        (
            item["label"],
            *_genders(item["required"]),
            *_genders(item["completed"]),
            *(item["rate"].get(k) for k in GENDER_KEYS),
        )
        for item in figures["training"][key]
    ]
    columns = [
        (label, T),
        *_by_gender("應訓人數"),
        *_by_gender("完訓人數"),
        *_by_gender("完訓率", R),
    ]
    return _table(figures, name, f"性別意識培力交織分析（{caption}）", columns, rows)


def _member_composition(figures: dict) -> Table:
    members = figures["meetings"]["members"]
    rows = [("執行小組成員", *_genders(members), female_ratio(members))]
    columns = [("項目", T), *((g, C) for g in GENDER_LABELS), ("女性比例", R)]
    return _table(figures, "性平小組成員", "性別平等執行小組成員性別組成", columns, rows)


def _member_roles(figures: dict) -> Table:
    roles = figures["meetings"].get("roles", {})
    rows: list[tuple[Any, ...]] = list(roles.items())
    rows.append((TOTAL_LABEL, sum(roles.values())))
    columns = [("角色", T), ("人數", C)]
    return _table(figures, "性平小組角色", "性別平等執行小組成員角色", columns, rows)


def _meetings(figures: dict) -> Table:
    rows = [
        (
            m.get("unit", ""),
            m["session"],
            _date(m["date"]),
            m.get("chair", ""),
            *_genders(m["attendance"]),
            female_ratio(m["attendance"]),
            m.get("resolution", ""),
        )
        for m in figures["meetings"].get("list", [])
    ]
    columns = [
        ("單位", T),
        ("會次", T),
        ("開會日期", D),
        ("主席", T),
        *_by_gender("出席人數"),
        ("女性比例", R),
        ("決議及精進建議", T),
    ]
    return _table(figures, "性平小組會議", "性別平等執行小組會議辦理情形", columns, rows)


def _gia(figures: dict) -> Table:
    rows = [
        (
            g.get("unit", ""),
            g["name"],
            g.get("type", ""),
            _date(g["date"]),
            _yes_no(g.get("expert", False)),
            g.get("statistics", ""),
            g.get("result", ""),
        )
        for g in figures["gia"].get("list", [])
    ]
    columns = [
        ("單位", T),
        ("計畫或法規名稱", T),
        ("類型", T),
        ("辦理日期", D),
        ("諮詢專家學者", T),
        ("運用之性別統計", T),
        ("評估結果及採納情形", T),
    ]
    return _table(figures, "性別影響評估", "性別影響評估辦理情形", columns, rows)


def _indicators(figures: dict) -> Table:
    rows = [
        (
            i.get("unit", ""),
            i["name"],
            i.get("status", ""),
            _yes_no(i.get("cross", False)),
            *_genders(i),
            i["female_ratio"] if "female_ratio" in i else female_ratio(i),
            i.get("period", ""),
            i.get("application", ""),
        )
        for i in figures["indicators"].get("list", [])
    ]
    columns = [
        ("單位", T),
        ("指標名稱", T),
        ("指標狀態", T),
        ("複分類", T),
        *((g, C) for g in GENDER_LABELS),
        ("女性比例", R),
        ("資料時間", T),
        ("應用情形", T),
    ]
    return _table(figures, "性別統計", "性別統計指標", columns, rows)


def _budget_by_category(figures: dict) -> Table:
    budget = figures["budget"]
    by_category = budget.get("by_category", [])
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
            budget.get("execution_rate"),
        )
    )
    columns = [("預算類別", T), ("計畫數", C), ("編列數(元)", A), ("執行數(元)", A), ("執行率", R)]
    caption = "性別預算編列及執行情形（依預算類別）"
    return _table(figures, "性別預算-類別", caption, columns, rows)


def _budget_list(figures: dict) -> Table:
    rows = [
        (
            b.get("unit", ""),
            b["name"],
            b.get("category", ""),
            b["allocated"],
            b["executed"],
            b["execution_rate"],
            *_genders(b["beneficiaries"]),
            b.get("note", ""),
        )
        for b in figures["budget"].get("list", [])
    ]
    columns = [
        ("單位", T),
        ("計畫名稱", T),
        ("預算類別", T),
        ("編列數(元)", A),
        ("執行數(元)", A),
        ("執行率", R),
        *_by_gender("受益人數"),
        ("說明", T),
    ]
    return _table(figures, "性別預算-明細", "性別預算計畫明細", columns, rows)


def _cedaw_breakdown(figures: dict, key: str, name: str, label: str) -> Table:
    cedaw = figures["cedaw"]
    rows: list[tuple[Any, ...]] = [
        (item["label"], item["sessions"], *_genders(item["participants"]))
        for item in cedaw.get(key, [])
    ]
    rows.append((TOTAL_LABEL, cedaw["sessions"], *_genders(cedaw["participants"])))
    columns = [(label, T), ("場次", C), *_by_gender("參與人數")]
    return _table(figures, name, f"CEDAW 宣導辦理情形（依{label}）", columns, rows)


def _cedaw_list(figures: dict) -> Table:
    rows = [
        (
            c.get("unit", ""),
            c["name"],
            _date(c["date"]),
            c.get("audience", ""),
            c.get("method", ""),
            c.get("content", ""),
            *_genders(c["participants"]),
            _yes_no(c.get("external", False)),
            c.get("note", ""),
        )
        for c in figures["cedaw"].get("list", [])
    ]
    columns = [
        ("單位", T),
        ("活動名稱", T),
        ("辦理日期", D),
        ("宣導對象", T),
        ("宣導方式", T),
        ("宣導內容", T),
        *_by_gender("參與人數"),
        ("結合外部資源", T),
        ("說明", T),
    ]
    return _table(figures, "CEDAW宣導明細", "CEDAW 宣導活動明細", columns, rows)


def _other_measures(figures: dict) -> Table:
    rows = [
        (
            m.get("unit", ""),
            m["name"],
            m.get("item", ""),
            _date(m["date"]),
            m.get("media", ""),
            *_genders(m["participants"]),
            m.get("result", ""),
        )
        for m in figures["other_measures"].get("list", [])
    ]
    columns = [
        ("單位", T),
        ("措施名稱", T),
        ("對應項目", T),
        ("辦理日期", D),
        ("媒材", T),
        *_by_gender("參與人數"),
        ("成果說明", T),
    ]
    return _table(figures, "其他性平措施", "其他性別平等措施辦理情形", columns, rows)


def _targets(figures: dict) -> Table:
    rows: list[tuple[Any, ...]] = []
    cell_kinds: dict[tuple[int, int], ValueKind] = {}
    for i, t in enumerate(figures.get("targets", [])):
        required = t["required"]
        if isinstance(required, list | tuple):
            required = "～".join(str(v) for v in required)
            cell_kinds[i, 1] = T
        if t["id"] in RATE_TARGETS:
            cell_kinds[i, 1] = cell_kinds[i, 2] = R
        missing = t.get("missing") or []
        note = f"缺：{'、'.join(missing)}" if missing else ""
        rows.append((t["label"], required, t["actual"], "達成" if t["met"] else "未達成", note))
    columns = [("目標", T), ("目標值", C), ("實際值", C), ("達成情形", T), ("說明", T)]
    return _table(figures, "目標達成情形", "推動計畫目標達成情形", columns, rows, cell_kinds)


def _rows_check(figures: dict) -> Table:
    counted = figures.get("rows", {})
    rows: list[tuple[Any, ...]] = [
        (s["sheet"], s["read"], s["counted"], s["excluded"]) for s in counted.get("by_sheet", [])
    ]
    rows.append(
        (TOTAL_LABEL, counted.get("read", 0), counted.get("counted", 0), counted.get("excluded", 0))
    )
    columns = [("工作表", T), ("讀取列數", C), ("納入統計列數", C), ("排除列數", C)]
    return _table(figures, "資料列數核對", "填報資料列數核對", columns, rows)
