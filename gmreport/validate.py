"""Validation: raw rows → typed records, and every problem found, located to the cell.

Nothing raises here: problems are collected. A row with an error, or dated outside the
year, is excluded from the figures; every other row is counted. Each sheet's rows are
accounted for (read = counted + excluded).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from . import cells
from .cells import CellProblem
from .config import Config
from .figures import Rows
from .format import ROC_OFFSET, number, roc_date
from .problems import Problem, problem
from .read import RawWorkbook, SheetData
from .schema import (
    CEDAW_AUDIENCES,
    INFO_FIELDS,
    INFO_SHEET,
    SHEETS,
    SHEETS_BY_KEY,
    YES,
    Column,
    Kind,
    Sheet,
)

INTERNAL_AUDIENCE_WORDS = ("同仁", "員工", "公務人員", "本所", "內部", "職員", "主管")
TOO_LARGE = 10**12
"""A number this large is no real count or amount (and would overflow what draws it)."""
MIN_HOURS = 0.01
"""Less than this (36 seconds) is no course: a typo, or 1E-300 from a system."""
MIN_AMOUNT = 0.01
"""An amount in 元 above 0 and below one cent is no amount (1E-300 from a system)."""
MAX_COUNT_PER_ROW = 100_000
"""More people than this in one row is likely a typo: a warning."""
_PHONE = re.compile(r"0\d{8,9}")

Aliases = Mapping[str, Mapping[str, str]]
"""The config's own words for dropdown values: column header → {word: allowed value}."""


@dataclass
class RowCount:
    read: int = 0
    counted: int = 0
    excluded: int = 0

    def add(self, other: RowCount) -> None:
        self.read += other.read
        self.counted += other.counted
        self.excluded += other.excluded


@dataclass
class Identity:
    """Whose workbook this is and for which year; unit or year is None when unusable."""

    unit: str | None
    year: int | None
    problems: list[Problem]


@dataclass
class CleanWorkbook:
    file: str
    unit: str
    year: int | None
    records: dict[str, Records]  # Sheet.key → the rows counted
    rows: dict[str, RowCount]  # sheet name → accounting
    problems: list[Problem] = field(default_factory=list)
    letters: dict[str, dict[str, str]] = field(default_factory=dict)  # Sheet.key → key → letter
    info: dict[str, object] = field(default_factory=dict)  # 基本資料: InfoField.key → raw value

    @property
    def blank(self) -> bool:
        """No data row in any data sheet: a blank template sent back (繳交空白表)."""
        return not any(count.read for count in self.rows.values())

    def problem_at(self, code: str, sheet: Sheet, key: str, row: int, **params: object) -> Problem:
        """The problem `code` at row `row` of `sheet` in this workbook, in the cell of its
        column `key` (no cell when the sheet as sent lacks that column)."""
        letter = self.letters.get(sheet.key, {}).get(key, "")
        cell = f"{letter}{row}" if letter else ""
        return problem(code, file=self.file, unit=self.unit, sheet=sheet.name, cell=cell, **params)

    def emptied(self) -> CleanWorkbook:
        """This workbook counting none of its rows (it cannot be placed, or its unit sent two)."""
        rows = {name: RowCount(c.read, 0, c.read) for name, c in self.rows.items()}
        return replace(self, records={}, rows=rows)


Records = dict[int, dict[str, object]]
"""The typed rows of one sheet: Excel row number → column key → value."""


def identify(raw: RawWorkbook, config: Config) -> Identity:
    """Read 基本資料: the agency, unit and year the workbook belongs to."""
    if any(p.code == "no-info-sheet" for p in raw.problems):
        return Identity(None, None, [])  # read has reported it
    found: list[Problem] = []
    values = {f.key: cells.text(raw.info.get(f.key)) for f in INFO_FIELDS}

    def report(code: str, key: str, **params: Any) -> None:
        cell = raw.info_cells.get(key, "")
        found.append(problem(code, file=raw.file, sheet=INFO_SHEET, cell=cell, **params))

    for f in INFO_FIELDS:
        if f.required and not values[f.key]:
            report("info-missing", f.key, field=f.label)
    unit: str | None = cells.normalize(raw.info.get("unit")) or None
    if unit:
        # a unit's name as read (see `cells.normalize`) is the first unit of that name
        unit = {cells.normalize(u): u for u in reversed(config.units)}.get(unit, unit)
        if unit not in config.units:
            report("unknown-unit", "unit", value=unit, choices="、".join(config.units))
            unit = None
    agency = values["agency"]
    if agency and cells.normalize(agency) != cells.normalize(config.agency):
        report("other-agency", "agency", value=agency, expected=config.agency)
    year = None
    if values["year"]:
        typed = _year_number(raw.info.get("year"))
        if typed is not None and ROC_OFFSET < typed < 10_000:  # a Western year (2025)
            report("western-year", "year", value=values["year"], suggestion=typed - ROC_OFFSET)
        # A year later than next year is taken for a typo: it would otherwise become "the
        # latest year" of a build and set every real workbook aside.
        elif typed is not None and 1 <= typed <= date.today().year - ROC_OFFSET + 1:
            year = typed
        else:
            report("bad-year", "year", value=values["year"])
    if values["filed_on"]:
        try:
            cells.parse_date(raw.info.get("filed_on"))
        except CellProblem:  # the cover then gives no date: said, not silently dropped
            report("bad-filed-date", "filed_on", value=values["filed_on"])
    return Identity(unit, year, [replace(p, unit=unit or "") for p in found])


def _year_number(raw: object) -> int | None:
    """The whole number of 年度: 113, '113', '113年', '民國113年度', '１１３'; None otherwise."""
    if isinstance(raw, str):
        raw = re.sub(r"^民國|年度?$", "", cells.normalize(raw)).strip()
    try:
        value = cells.parse_number(raw)
    except CellProblem:
        return None
    return int(value) if value.is_integer() else None


def validate_workbook(
    raw: RawWorkbook, unit: str, year: int | None, aliases: Aliases | None = None
) -> CleanWorkbook:
    """Type every cell of every data sheet of `raw`, collecting problems, for `year`.

    With `year` None (年度 unreadable) rows are checked but not against the year.
    `aliases` are the config's own words for dropdown values.
    """
    letters = {key: data.letters for key, data in raw.sheets.items()}
    clean = CleanWorkbook(raw.file, unit, year, {}, {}, [], letters, dict(raw.info))
    for sheet_name, n in raw.unread_rows.items():
        clean.rows[sheet_name] = RowCount(read=n, excluded=n)
    for data in raw.sheets.values():
        records = _validate_sheet(clean, data, raw.sheets, aliases or {})
        clean.records[data.sheet.key] = records
        read = len(data.rows)
        count = RowCount(read, len(records), read - len(records))
        clean.rows.setdefault(data.sheet.name, RowCount()).add(count)
    if clean.blank:
        clean.problems.append(problem("empty-workbook"))
    clean.problems = [
        replace(p, file=p.file or raw.file, unit=p.unit or unit)
        for p in (*raw.problems, *clean.problems)
    ]
    return clean


def _validate_sheet(
    clean: CleanWorkbook, data: SheetData, sheets: Mapping[str, SheetData], aliases: Aliases
) -> Records:
    """The rows of one sheet counted, their problems added to `clean`'s. Besides each cell
    and each row's cells together, the schema's `unique` and `listed_in` columns: the
    roster's 姓名 once in a roster, a 培力紀錄 姓名 on the same workbook's roster. A row
    that breaks either is not counted."""
    sheet = data.sheet
    lookups = {c.key: choice_lookup(c, aliases.get(c.header, {})) for c in sheet.columns}
    first: dict[str, dict[str, int]] = {c.key: {} for c in sheet.columns if c.unique}
    listed = {
        c.key: {cells.name(v) for v in sheets[c.listed_in].column(c.key)}
        if c.listed_in in sheets
        else set()
        for c in sheet.columns
        if c.listed_in
    }
    records: Records = {}
    for row, values in zip(data.rows, data.values, strict=True):
        record: dict[str, object] = {}
        row_problems: list[Problem] = []
        for column, raw in zip(sheet.columns, values, strict=True):
            if column.unique and (name := cells.name(raw)):
                first_row = first[column.key].setdefault(name, row)
                if first_row != row:
                    other = data.cell(column.key, first_row)
                    row_problems.append(
                        clean.problem_at(
                            "duplicate-name", sheet, column.key, row, value=name, detail=other
                        )
                    )
            try:
                record[column.key] = value = parse_cell(column, raw, lookups[column.key])
                doubt = _implausible(column, raw, value)
            except CellProblem as e:
                if _cell(data, column, row) in data.error_cells:
                    continue  # named already as an Excel error value
                doubt = e
            if doubt is not None:
                cell, header = _cell(data, column, row), column.header
                row_problems.append(
                    problem(doubt.code, sheet=sheet.name, cell=cell, column=header, **doubt.params)
                )
        row_problems += _row_checks(sheet, data, row, record, clean.year)
        if row not in data.bad_rows and not any(
            p.is_error or p.code == "date-outside-year" for p in row_problems
        ):
            strays = [
                clean.problem_at("not-on-roster", sheet, key, row, value=record[key])
                for key, names in listed.items()
                if record[key] not in names
            ]
            row_problems += strays
            if not strays:
                records[row] = record
        clean.problems += row_problems
    return records


def _cell(data: SheetData, column: Column, row: int) -> str:
    return data.cell(column.key, row) if column.key in data.letters else f"第{row}列"


def parse_cell(column: Column, raw: object, lookup: Mapping[str, str]) -> object:
    """The typed value of one cell, or CellProblem. A dropdown column's value is found in
    `lookup` (see `choice_lookup`)."""
    if cells.is_blank(raw):
        if column.required:
            raise CellProblem("required-blank")
        return _BLANK[column.kind]
    match column.kind:
        case Kind.TEXT:
            return cells.text(raw)
        case Kind.NAME:
            return cells.name(raw)
        case Kind.CHOICE | Kind.YESNO:
            value = _choose(column, raw, lookup)
            return value == YES if column.kind is Kind.YESNO else value
        case Kind.DIMENSIONS:
            return cells.dimensions(raw)
        case Kind.DATE:
            return cells.parse_date(raw)
        case Kind.COUNT:
            n = _number(raw)
            if not n.is_integer():
                raise CellProblem("not-whole", value=cells.text(raw))
            return int(n)
        case Kind.HOURS:
            n = cells.parse_number(raw)
            if not MIN_HOURS <= n <= 24:
                raise CellProblem("hours-out-of-range", value=cells.text(raw))
            return n
        case Kind.AMOUNT:
            n = _number(raw)
            if 0 < n < MIN_AMOUNT:
                raise CellProblem("number-too-small", value=cells.text(raw))
            return n


_BLANK = {
    Kind.TEXT: "",
    Kind.NAME: "",
    Kind.CHOICE: "",
    Kind.YESNO: False,
    Kind.DIMENSIONS: None,
    Kind.DATE: None,
    Kind.COUNT: 0,
    Kind.HOURS: None,
    Kind.AMOUNT: 0.0,
}


def _number(raw: object) -> float:
    """A count or an amount: neither absurdly large nor negative."""
    n = cells.parse_number(raw)
    if abs(n) >= TOO_LARGE:
        raise CellProblem("number-too-large", value=cells.text(raw))
    if n < 0:
        raise CellProblem("negative", value=cells.text(raw))
    return n


def _implausible(column: Column, raw: object, value: object) -> CellProblem | None:
    """A warning for a count that a person probably did not mean: a phone number, or more
    people in one row than is likely."""
    if column.kind is not Kind.COUNT or not isinstance(value, int):
        return None
    if isinstance(raw, str) and _PHONE.fullmatch(re.sub(r"[\s-]", "", cells.normalize(raw))):
        return CellProblem("phone-like-number", value=cells.text(raw))
    if value > MAX_COUNT_PER_ROW and not column.population:
        return CellProblem("implausible-count", value=cells.text(raw))
    return None


def choice_lookup(column: Column, extra: Mapping[str, str]) -> dict[str, str]:
    """Each way of typing a value of a dropdown column (see `cells.choice_key`) → the value:
    the allowed values, the schema's aliases and the config's `extra` words."""
    words = {**column.aliases, **extra}
    return {cells.choice_key(w): v for w, v in words.items()} | {
        cells.choice_key(c): c for c in column.allowed
    }


def _choose(column: Column, raw: object, lookup: Mapping[str, str]) -> str:
    value = cells.normalize(raw)
    if (chosen := lookup.get(cells.choice_key(value))) is not None:
        return chosen
    if column.choices == CEDAW_AUDIENCES and any(w in value for w in INTERNAL_AUDIENCE_WORDS):
        raise CellProblem(
            "cedaw-internal-audience", value=cells.text(raw), choices=quote(column.allowed)
        )
    raise CellProblem("bad-choice", value=cells.text(raw), choices=quote(column.allowed))


def quote(choices: Iterable[str]) -> str:
    """「男」、「女」或「其他」."""
    quoted = [f"「{c}」" for c in choices]
    return "、".join(quoted[:-1]) + "或" + quoted[-1] if len(quoted) > 1 else "".join(quoted)


def _row_checks(
    sheet: Sheet, data: SheetData, row: int, record: dict[str, object], year: int | None
) -> list[Problem]:
    """The checks of a row's cells together: its date in the year, the roster's periods in
    order (the schema's `after`) and in the year, a budget's execution within its allocation."""
    found: list[Problem] = []

    def at(code: str, key: str, **params: Any) -> None:
        cell = _cell(data, sheet.column(key), row)
        found.append(problem(code, sheet=sheet.name, cell=cell, **params))

    if (dated := sheet.date_column) is not None and year is not None:
        when = record.get(dated.key)
        if isinstance(when, date) and when.year - ROC_OFFSET != year:
            at("date-outside-year", dated.key, column=dated.header, value=roc_date(when), year=year)
    if sheet.key == "roster" and year is not None:
        start, end = _date(record.get("start")), _date(record.get("end"))
        first, last = cells.year_bounds(year)
        if start is not None and start > last:
            at("not-employed-in-year", "start", year=year, detail=f"到職日期 {roc_date(start)}")
        elif end is not None and end < first:
            at("not-employed-in-year", "end", year=year, detail=f"離職日期 {roc_date(end)}")
    for column in (c for c in sheet.columns if c.after):
        since, until = _date(record.get(column.after)), _date(record.get(column.key))
        if since is not None and until is not None and until < since:
            at(_REVERSED[column.key], column.key, value=roc_date(until), detail=roc_date(since))
    # a leave's end needs its start (SPEC §2); one that could not be read is named already
    leave_end = _date(record.get("leave_end"))
    if leave_end is not None and "leave_start" in record and record["leave_start"] is None:
        at("leave-start-missing", "leave_start", value=roc_date(leave_end))
    allocated, executed = record.get("allocated"), record.get("executed")
    if isinstance(allocated, float) and isinstance(executed, float) and executed > allocated:
        at("executed-over-allocated", "executed", value=number(executed), detail=number(allocated))
    return found


_REVERSED = {"end": "end-before-start", "leave_end": "leave-end-before-start"}
"""The code of each period (the schema's `after`) whose last day precedes its first."""


def _date(value: object) -> date | None:
    return value if isinstance(value, date) else None


@dataclass
class Across:
    """What the checks between one year's workbooks found."""

    accepted: list[CleanWorkbook]  # whose rows may be counted
    duplicates: list[CleanWorkbook]  # of a unit that sent two or more: none of their rows count
    problems: list[Problem]


def check_across(workbooks: list[CleanWorkbook]) -> Across:
    """Checks between workbooks of one year: one workbook per unit; one unit lists members.

    Both files of a unit that sent two are left out, since neither can be told to be the
    right one.
    """
    found: list[Problem] = []
    by_unit: dict[str, list[CleanWorkbook]] = {}
    for w in workbooks:
        by_unit.setdefault(w.unit, []).append(w)
    for unit, group in by_unit.items():
        files = "」、「".join(w.file for w in group)
        if len(group) > 1:
            found += [
                problem("duplicate-unit", file=w.file, unit=unit, year=w.year, detail=files)
                for w in group
            ]
    accepted = [w for w in workbooks if len(by_unit[w.unit]) == 1]  # in the folder's order
    duplicates = [w for w in workbooks if len(by_unit[w.unit]) > 1]
    found += _transfers(accepted)
    for key in ("members", "meetings"):  # both are 人事室's to fill in
        listing = [w.unit for w in accepted if w.records.get(key)]
        if len(listing) > 1:
            sheet = SHEETS_BY_KEY[key].name
            found.append(problem(f"{key}-several-units", sheet=sheet, detail="、".join(listing)))
    return Across(accepted, duplicates, found)


def _transfers(workbooks: list[CleanWorkbook]) -> list[Problem]:
    """One 姓名 on several units' rosters: with one 性別 a transfer, counted as one person
    (a warning for 人事室 to confirm); with different 性別 an error (SPEC §2)."""
    places: dict[str, list[tuple[CleanWorkbook, int, str]]] = {}
    for w in workbooks:
        for row, record in w.records.get("roster", {}).items():
            name, gender = str(record["name"]), str(record["gender"])
            places.setdefault(name, []).append((w, row, gender))
    found = []
    sheet = SHEETS_BY_KEY["roster"]
    for name, where in places.items():
        if len(where) < 2:
            continue
        first, row, _ = where[0]
        cells_ = [f"{w.unit}（{sheet.name}!{w.letters['roster']['name']}{r}）" for w, r, _ in where]
        code = "transfer" if len({g for _, _, g in where}) == 1 else "same-name-other-gender"
        found.append(
            first.problem_at(code, sheet, "name", row, value=name, detail="、".join(cells_))
        )
    return found


def row_totals(workbooks: list[CleanWorkbook]) -> Rows:
    """Rows read = rows counted + rows excluded, in all and by sheet (the reconciliation)."""
    by_sheet: dict[str, RowCount] = {}
    total = RowCount()
    for w in workbooks:
        for name, count in w.rows.items():
            by_sheet.setdefault(name, RowCount()).add(count)
            total.add(count)
    order = [s.name for s in SHEETS]
    names = sorted(by_sheet, key=lambda n: (order.index(n) if n in order else len(order), n))
    return {
        "read": total.read,
        "counted": total.counted,
        "excluded": total.excluded,
        "by_sheet": [
            {"sheet": n, "read": c.read, "counted": c.counted, "excluded": c.excluded}
            for n in names
            for c in [by_sheet[n]]
        ],
    }
