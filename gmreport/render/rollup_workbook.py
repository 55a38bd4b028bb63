"""The city's `{Y}年度各機關性別主流化執行成果彙整.xlsx`: one row per agency, one sheet per theme.

Each theme sheet ends with the city's 合計 (counts summed, rates from the summed exact
counts) and the agencies' 中位數. A staff cell an agency's own report showed as 「*」 stays
「*」 in that agency's row (SPEC §3, §7); the city rows use the exact counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, Rule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..atomic import atomic_path
from ..city import (
    COLUMNS,
    CityFigures,
    TargetSummary,
    YearTrend,
    city_figures,
    plain,
    ranks,
    shown_training,
    targets_of,
)
from ..figures import GENDER_FIELDS, Gender
from ..format import roc_short_date
from ..rollup import Rollup, Submission
from ..schema import EVERYONE, GENDERS, TRAINING_GROUPS
from ..targets import MISSED, NOT_DONE, TARGETS
from .statistics import TOTAL_LABEL, Table, ValueKind
from .workbooks import NONE_TEXT, _first_sheet, _write_table

ROLLUP_WORKBOOK_NAME = "{year}年度各機關性別主流化執行成果彙整.xlsx"
MEDIAN_LABEL = "中位數"
AGENCY = "機關"
GENDER_LABELS = (*GENDERS, TOTAL_LABEL)
MISSED_FILL = PatternFill("solid", fgColor="FFC7CE")
MISSED_FONT = Font(bold=True, color="9C0006")
C, R, A, H, T = ValueKind.COUNT, ValueKind.RATE, ValueKind.AMOUNT, ValueKind.HOURS, ValueKind.TEXT


@dataclass(frozen=True)
class Column:
    """A theme sheet's column: header, kind, and the frame column it shows (its 合計 and
    中位數 come from there); `shown` overrides an agency's cell (e.g. 「*」, a verdict)."""

    header: str
    kind: ValueKind
    key: str | None = None
    shown: Callable[[Submission], Any] | None = None
    rank: bool = False  # also a rank column right after it, highest first
    total: str | None = None  # the 合計 cell when not the frame's (a verdict's tally)

    def __post_init__(self) -> None:
        if self.key is not None and self.key not in COLUMNS:
            raise ValueError(f"the city's figures have no {self.key!r}")


def _verdict(target_id: str) -> Callable[[Submission], Any]:
    def shown(s: Submission) -> Any:
        found = targets_of(s.figures).get(target_id)
        return found["verdict"] if found else "－"

    return shown


def _training_cell(
    group: str, part: Literal["completed", "rate"], gender: Gender
) -> Callable[[Submission], Any]:
    return lambda s: shown_training(s.figures, group, part, gender)


def _genders(section: str, prefix: str = "") -> list[Column]:
    return [
        Column(f"{prefix}{label}", C, f"{section}.{g}")
        for label, g in zip(GENDER_LABELS, GENDER_FIELDS, strict=True)
    ]


def tally(target: TargetSummary | None) -> str:
    """How many agencies met a target of how many judged: 「達成 3／4」, 「已辦理 2／4」."""
    if target is None:
        return "－"
    return f"{'已辦理' if target.done_kind else '達成'} {len(target.met)}／{target.judged}"


def theme_columns(summaries: dict[str, TargetSummary]) -> dict[str, tuple[str, list[Column]]]:
    """Each theme sheet's name → (title, columns after 機關): its figures, then the verdict
    of each target the table of targets puts on the sheet (`Target.city`)."""
    return {
        name: (
            title,
            [
                *columns,
                *(
                    Column(t.city.header, T, shown=_verdict(t.id), total=tally(summaries.get(t.id)))
                    for t in TARGETS
                    if t.city.theme == name
                ),
            ],
        )
        for name, (title, columns) in _themes().items()
    }


def _themes() -> dict[str, tuple[str, list[Column]]]:
    """Each theme sheet's name → (title, its figures' columns)."""
    everyone = EVERYONE.key
    training = [
        *(
            Column(f"應訓人數\n{label}", C, f"{everyone}.required.{g}")
            for label, g in zip(GENDER_LABELS, GENDER_FIELDS, strict=True)
        ),
        *(
            Column(
                f"完訓人數\n{label}",
                C,
                f"{everyone}.completed.{g}",
                shown=_training_cell(everyone, "completed", g),
            )
            for label, g in zip(GENDER_LABELS, GENDER_FIELDS, strict=True)
        ),
        *(
            Column(
                f"完訓率\n{label}",
                R,
                f"{everyone}.rate.{g}",
                shown=_training_cell(everyone, "rate", g),
                rank=g == "total",
            )
            for label, g in zip(GENDER_LABELS, GENDER_FIELDS, strict=True)
        ),
        *(
            Column(
                f"{group.label}\n完訓率",
                R,
                f"{group.key}.rate.total",
                shown=_training_cell(group.key, "rate", "total"),
            )
            for group in TRAINING_GROUPS
            if group.key != everyone
        ),
        Column("應訓人員\n研習時數", H, f"{everyone}.hours"),
        Column("全年研習\n總時數", H, "training.total_hours"),
    ]
    return {
        "性平小組": (
            "性別平等執行小組會議及組員",
            [
                Column("會議次數", C, "meetings.count"),
                *_genders("meetings.members", "組員\n"),
                Column("組員\n女性比例", R, "meetings.members.female_ratio"),
            ],
        ),
        "性別意識培力": ("性別意識培力完訓情形（依性別）", training),
        "性別影響評估": (
            "性別影響評估辦理情形",
            [
                Column("辦理案數", C, "gia.count", rank=True),
                Column("諮詢專家\n學者案數", C, "gia.expert_consulted"),
            ],
        ),
        "性別統計": (
            "性別統計指標",
            [
                Column("指標數", C, "indicators.count", rank=True),
                Column("新增", C, "indicators.new"),
                Column("修訂", C, "indicators.revised"),
                Column("具複分類", C, "indicators.cross_classified"),
            ],
        ),
        "性別預算": (
            "性別預算編列及執行情形",
            [
                Column("計畫數", C, "budget.count"),
                Column("編列數（元）", A, "budget.allocated"),
                Column("執行數（元）", A, "budget.executed"),
                Column("執行率", R, "budget.execution_rate", rank=True),
                *_genders("budget.beneficiaries", "受益人數\n"),
            ],
        ),
        "CEDAW宣導": (
            "CEDAW宣導辦理情形",
            [
                Column("場次", C, "cedaw.sessions", rank=True),
                *_genders("cedaw.participants", "參與人次\n"),
                Column("參與者\n女性比例", R, "cedaw.participants.female_ratio"),
                Column("觸及人次", C, "cedaw.reach"),
                Column("結合外部\n資源場次", C, "cedaw.external_resources"),
            ],
        ),
        "其他性平措施": (
            "其他性別平等措施辦理情形",
            [
                Column("措施數", C, "other_measures.count"),
                Column("對應指定\n項目", C, "other_measures.designated"),
                *_genders("other_measures.participants", "參與人次\n"),
                Column("觸及人次", C, "other_measures.reach"),
            ],
        ),
    }


def theme_table(
    name: str, title: str, columns: list[Column], rollup: Rollup, city: CityFigures
) -> Table:
    """One theme sheet: a row per agency, then the city's 合計 and the 中位數."""
    frame, totals, middle = city.frame, city.totals, city.medians
    headers: list[str] = [AGENCY]
    kinds: list[ValueKind] = [T]
    for c in columns:
        headers.append(c.header)
        kinds.append(c.kind)
        if c.rank:
            headers.append(f"{c.header.splitlines()[0]}\n排名")
            kinds.append(C)
    rank_of = {c.key: ranks(frame, c.key) for c in columns if c.rank and c.key}
    rows: list[tuple[Any, ...]] = []
    for s in rollup.submissions:
        row: list[Any] = [s.agency]
        for c in columns:
            value = c.shown(s) if c.shown else city.agencies[s.agency].get(c.key or "")
            row.append(plain(value))
            if c.rank and c.key:
                row.append(rank_of[c.key][s.agency])
        rows.append(tuple(row))
    for label, values in ((TOTAL_LABEL, totals), (MEDIAN_LABEL, middle)):
        row = [label]
        for c in columns:
            if label == TOTAL_LABEL and c.total is not None:
                row.append(c.total)
            else:
                row.append(plain(values.get(c.key)) if c.key else None)
            if c.rank:
                row.append(None)
        rows.append(tuple(row))
    cell_kinds = {
        (r, j): T
        for r, row in enumerate(rows)
        for j, value in enumerate(row)
        if isinstance(value, str) and j > 0
    }
    return Table(
        name, f"{rollup.year}年度各機關{title}", tuple(headers), tuple(kinds), rows, cell_kinds
    )


@dataclass(frozen=True)
class RollupSheets:
    """The city's workbook as plain data, which `write_rollup_workbook` writes: the 說明
    sheet's title and rows, then a sheet per table."""

    title: str
    info: list[tuple[str, Any]]
    tables: list[Table]


def rollup_sheets(
    rollup: Rollup, city: CityFigures | None = None, *, generated: dt.datetime | None = None
) -> RollupSheets:
    """What the city's workbook shows: 說明, 目標達成, a sheet per theme, and the files left
    out. `city` is the roll-up's figures when already computed (the report uses them too)."""
    city = city or city_figures(rollup)
    tables = [_targets_table(rollup, city)]
    tables += [
        theme_table(name, title, columns, rollup, city)
        for name, (title, columns) in theme_columns({t.id: t for t in city.targets}).items()
    ]
    if city.trend:
        tables.append(_trend_table(rollup, city.trend))
    tables.append(_missing_table(rollup))
    tables.append(_files_table(rollup))
    generated = generated or dt.datetime.now()
    info = [
        ("年度", f"{rollup.year}年度"),
        ("產製時間", f"{roc_short_date(generated.date())} {generated:%H:%M}"),
        ("彙整機關數", len(rollup.submissions)),
        ("應繳交機關數", len(rollup.expected) if rollup.expected else "（未提供機關清單）"),
        ("未繳交機關", "、".join(rollup.missing) or NONE_TEXT),
        ("未納入之檔案", len(rollup.left_out)),
        ("非本年度擱置之檔案", len(rollup.set_aside)),
        (
            "說明",
            "各機關列依該機關成果報告所揭露之數據呈現，人數未達揭露門檻者以「*」表示；"
            "合計列為全市合計（比率由合計人數計算），中位數為各機關數值之中位數。",
        ),
    ]
    return RollupSheets(f"{rollup.year}年度各機關性別主流化執行成果彙整", info, tables)


def write_rollup_workbook(sheets: RollupSheets, path: Path) -> None:
    """Write the city's `{Y}年度各機關性別主流化執行成果彙整.xlsx` that `rollup_sheets` made."""
    wb = Workbook()
    info = _first_sheet(wb)
    _write_info(info, sheets)
    _as_text(info)
    for table in sheets.tables:
        ws = wb.create_sheet(table.name)
        _write_table(ws, table)
        _mark_missed(ws, len(table.rows), len(table.columns))
    with atomic_path(path) as tmp:
        wb.save(tmp)


def _targets_table(rollup: Rollup, city: CityFigures) -> Table:
    summaries = city.targets
    headers = [AGENCY, "達成項數", "未達成項數", "目標項數", *(t.name for t in summaries)]
    kinds = [T, C, C, C, *([T] * len(summaries))]
    rows: list[tuple[Any, ...]] = []
    for s in rollup.submissions:
        verdicts = {key: t["verdict"] for key, t in targets_of(s.figures).items()}
        rows.append(
            (
                s.agency,
                *(
                    plain(city.agencies[s.agency][f"targets.{k}"])
                    for k in ("met", "missed", "count")
                ),
                *(verdicts.get(t.id, "－") for t in summaries),
            )
        )
    totals, middle = city.totals, city.medians
    rows.append(
        (
            TOTAL_LABEL,
            totals["targets.met"],
            totals["targets.missed"],
            totals["targets.count"],
            *(tally(t) for t in summaries),
        )
    )
    rows.append(
        (
            MEDIAN_LABEL,
            plain(middle["targets.met"]),
            plain(middle["targets.missed"]),
            plain(middle["targets.count"]),
            *([None] * len(summaries)),
        )
    )
    return Table(
        "目標達成",
        f"{rollup.year}年度各機關目標達成情形",
        tuple(headers),
        tuple(kinds),
        rows,
    )


def _trend_table(rollup: Rollup, years: list[YearTrend]) -> Table:
    return Table(
        "歷年趨勢",
        f"全市歷年比較（{years[0].year}至{rollup.year}年度）",
        (
            "年度",
            "機關數",
            "應訓人數",
            "完訓人數",
            "完訓率",
            "會議次數",
            "CEDAW宣導場次",
            "CEDAW參與人次",
            "性別預算編列數（元）",
            "性別預算執行數（元）",
            "執行率",
            "目標達成比例",
        ),
        (T, C, C, C, R, C, C, C, A, A, R, R),
        [
            (
                f"{y.year}年度",
                y.agencies,
                y.required,
                y.completed,
                y.completion_rate,
                y.meetings,
                y.cedaw_sessions,
                y.cedaw_participants,
                y.allocated,
                y.executed,
                y.execution_rate,
                y.targets_rate,
            )
            for y in years
        ],
    )


def _missing_table(rollup: Rollup) -> Table:
    rows: list[tuple[Any, ...]] = [(a, "未繳交") for a in rollup.missing]
    rows += [(a, "不在機關清單中（已納入彙整）") for a in rollup.unexpected]
    return Table(
        "未繳交機關", f"{rollup.year}年度未繳交統計數據之機關", (AGENCY, "情形"), (T, T), rows
    )


def _files_table(rollup: Rollup) -> Table:
    rows = [(p.file, p.title, p.message) for p in [*rollup.left_out, *rollup.set_aside]]
    return Table(
        "未納入檔案",
        f"未納入{rollup.year}年度彙整之檔案",
        ("檔案", "類型", "原因"),
        (T, T, T),
        rows,
    )


def _write_info(ws: Worksheet, sheets: RollupSheets) -> None:
    ws.title = "說明"
    ws.append([sheets.title])
    ws["A1"].font = Font(bold=True, size=14)
    for key, value in sheets.info:
        ws.append([key, value])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.append([])
    ws.append(["工作表", "內容"])
    for table in sheets.tables:
        ws.append([table.name, table.title])
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 80


def _mark_missed(ws: Worksheet, rows: int, columns: int) -> None:
    """未達成 and 未辦理 stand out, in every cell that holds them."""
    if not rows:
        return
    area = f"A3:{get_column_letter(columns)}{rows + 2}"
    for word in (MISSED, NOT_DONE):
        ws.conditional_formatting.add(
            area,
            _cell_is(operator="equal", formula=[f'"{word}"'], fill=MISSED_FILL, font=MISSED_FONT),
        )


_cell_is: Callable[..., Rule] = CellIsRule  # openpyxl does not type it


def _as_text(ws: Worksheet) -> None:
    """No cell is a formula: a text that looks like one (「=HYPERLINK(…)」) stays text."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
