"""Reading: workbook files → raw frames, with each row's Excel address kept.

Nothing is interpreted here beyond finding where things are: the 基本資料 keys, each data
sheet's header row, and which rows hold data. Values stay as the cells hold them, except a
date that LibreOffice made of an ROC date typed in a cell, which is given back as typed.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl.utils.cell import get_column_letter, range_boundaries

from . import cells
from .problems import Problem, os_reason, problem
from .safety import Refused, SheetInfo, inspect_workbook
from .schema import (
    HEADER_SEARCH_ROWS,
    INFO_FIELDS,
    INFO_SHEET,
    KNOWN_SHEETS,
    SHEETS,
    Kind,
    Sheet,
)

INFO_SEARCH_ROWS = 30
IGNORED_FILES = frozenset({"desktop.ini", "thumbs.db", ".ds_store"})
# Lock files beside an open workbook: Excel's is ~$ and the workbook's name (its first two
# characters dropped when the name is long), LibreOffice's .~lock.民政課.ods#.
LOCK_PREFIX = "~$"
LIBREOFFICE_LOCK = (".~lock.", "#")


@dataclass
class SheetData:
    """The data rows of one sheet, keyed by column key, indexed by Excel row number."""

    sheet: Sheet
    frame: pd.DataFrame
    letters: dict[str, str]  # column key → column letter
    bad_rows: set[int] = field(default_factory=set)  # rows already found unusable here
    error_cells: set[str] = field(default_factory=set)  # Excel error values, already named

    def cell(self, key: str, row: int) -> str:
        return f"{self.letters[key]}{row}"


@dataclass
class RawWorkbook:
    path: Path
    info: dict[str, object]  # InfoField.key → raw value
    info_cells: dict[str, str]  # InfoField.key → cell address of its value
    sheets: dict[str, SheetData]  # Sheet.key → data
    problems: list[Problem]
    unread_rows: dict[str, int]  # sheet name → data rows that could not be read at all

    @property
    def file(self) -> str:
        return display_name(self.path)


def display_name(path: Path) -> str:
    """The file's name as a person reads it. A name the system could not decode (on Linux,
    the bytes of a Big5 name copied from Windows) is read as Big5, else shown with 「�」:
    every output that names the file can write it."""
    raw = os.fsencode(path.name)
    for encoding in ("utf-8", "cp950"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


@dataclass
class Folder:
    """What a folder (or a list of paths) holds."""

    workbooks: list[RawWorkbook]
    problems: list[Problem]  # one for each file that could not be read at all


def read_paths(paths: list[Path]) -> Folder:
    """Read every workbook among `paths` (files, or folders whose files are read)."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path])
    locks = {f.name[len(LOCK_PREFIX) :] for f in files if f.name.startswith(LOCK_PREFIX)}
    prefix, suffix = LIBREOFFICE_LOCK
    libreoffice_locks = {
        f.name[len(prefix) : -len(suffix)]
        for f in files
        if f.name.startswith(prefix) and f.name.endswith(suffix)
    }
    folder = Folder([], [])
    for f in files:
        if (
            f.name.startswith(LOCK_PREFIX)
            or f.name.startswith(".")
            or f.name.lower() in IGNORED_FILES
        ):
            continue
        try:
            workbook = read_workbook(f)
        except Refused as e:
            folder.problems.append(e.problem(file=display_name(f)))
            continue
        lock = next((LOCK_PREFIX + n for n in (f.name, f.name[2:]) if n in locks), None)
        if lock:
            workbook.problems.append(problem("open-in-excel", file=workbook.file, detail=lock))
        if f.name in libreoffice_locks:
            workbook.problems.append(
                problem("open-in-libreoffice", file=workbook.file, detail=prefix + f.name + suffix)
            )
        folder.workbooks.append(workbook)
    return folder


def read_workbook(path: Path) -> RawWorkbook:
    """Read one workbook; raise Refused when the file is not a safe, readable workbook."""
    infos = {i.name: i for i in inspect_workbook(path)}
    try:
        grids = pd.read_excel(
            path,
            sheet_name=None,
            header=None,
            engine="calamine",
            dtype=object,
            keep_default_na=False,  # "N/A" or "NA" typed in a cell is text to check, not blank
        )
    except PermissionError as e:
        raise Refused("unreadable", os_reason(e)) from None
    except Exception:  # calamine's own errors carry no stable type
        raise Refused("corrupt", "試算表內容無法解讀") from None
    for grid in grids.values():
        _restore_typed_roc_dates(grid)
    workbook = RawWorkbook(path, {}, {}, {}, [], {})
    by_name = {_sheet_name(name): name for name in grids}
    if INFO_SHEET in by_name:
        _read_info(workbook, grids[by_name[INFO_SHEET]])
    else:
        workbook.problems.append(problem("no-info-sheet", file=path.name))
    for sheet in SHEETS:
        if sheet.name in by_name:
            name = by_name[sheet.name]
            _read_sheet(workbook, sheet, grids[name], infos.get(name))
    for name, grid in grids.items():
        if _sheet_name(name) not in KNOWN_SHEETS and (rows := _data_rows(grid)):
            workbook.unread_rows[name] = len(rows)
            close = difflib.get_close_matches(_sheet_name(name), [s.name for s in SHEETS], n=1)
            workbook.problems.append(
                problem(
                    "unknown-sheet",
                    file=path.name,
                    sheet=name,
                    suggestion=f"（是否為「{close[0]}」？）" if close else "",
                )
            )
    return workbook


def _restore_typed_roc_dates(grid: pd.DataFrame) -> None:
    """Give back as typed the ROC dates that LibreOffice took for dates of that year AD.

    In a Taiwanese locale LibreOffice reads 113/3/5 (or 113.03.05, 113年3月5日) typed in a
    cell as 5 March of the year 113 in its Julian calendar (used before 1582), which an .ods
    stores as the proleptic Gregorian 0113-03-04. Excel, whose dates start in 1900, keeps
    such input as text; so does this, as 113/3/5, for the validator to read as any typed
    ROC date.
    """
    for j in range(grid.shape[1]):
        for i, value in enumerate(grid.iloc[:, j]):
            if isinstance(value, datetime) and value.year < 1000:
                grid.iat[i, j] = "{}/{}/{}".format(*_julian(value))


def _julian(day: datetime) -> tuple[int, int, int]:
    """The Julian calendar's year, month and day of a day (Richards' algorithm)."""
    c = day.toordinal() + 1721425 + 32082  # 1721425: the Julian day number of ordinal 0
    d = (4 * c + 3) // 1461
    e = c - 1461 * d // 4
    m = (5 * e + 2) // 153
    return d - 4800 + m // 10, m + 3 - 12 * (m // 10), e - (153 * m + 2) // 5 + 1


def _sheet_name(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def _header(value: object) -> str:
    return re.sub(r"\s+", "", cells.normalize(value)).rstrip(":")


def _data_rows(grid: pd.DataFrame) -> list[int]:
    """Positions of rows holding anything."""
    return [
        i for i, row in enumerate(grid.itertuples(index=False)) if not all(map(cells.is_blank, row))
    ]


def _read_info(workbook: RawWorkbook, grid: pd.DataFrame) -> None:
    labels = {f.label: f.key for f in INFO_FIELDS}
    if grid.shape[1] < 2:
        return
    for i in range(min(INFO_SEARCH_ROWS, len(grid))):
        key = labels.get(_header(grid.iat[i, 0]))
        if key and key not in workbook.info:
            workbook.info[key] = grid.iat[i, 1]
            workbook.info_cells[key] = f"B{i + 1}"


def _read_sheet(
    workbook: RawWorkbook, sheet: Sheet, grid: pd.DataFrame, info: SheetInfo | None
) -> None:
    where = {"file": workbook.file, "sheet": sheet.name}
    found = _find_header(sheet, grid)
    if found is None:
        if rows := _data_rows(grid):
            workbook.unread_rows[sheet.name] = len(rows)
            workbook.problems.append(
                problem("header-missing", detail="、".join(sheet.headers), row=2, **where)
            )
        return
    header_pos, positions, repeated = found
    header_row = header_pos + 1
    for key, pos in repeated:
        workbook.problems.append(
            problem(
                "duplicate-header",
                cell=f"{get_column_letter(pos + 1)}{header_row}",
                detail=sheet.column(key).header,
                **where,
            )
        )
    above = [i for i in _data_rows(grid.iloc[:header_pos]) if grid.iloc[i].map(_filled).sum() > 1]
    if above:
        workbook.unread_rows[sheet.name] = len(above)
        workbook.problems.append(
            problem(
                "above-header",
                cell=f"A{above[0] + 1}",
                detail="、".join(str(i + 1) for i in above),
                **where,
            )
        )
    data = grid.iloc[header_pos + 1 :]
    # A column new in the v2 template is absent from a v1 workbook: not worth a word, unless
    # a column of data under an unknown header may be it, renamed.
    renamed = _unknown_data_columns(data, {*positions.values(), *(p for _, p in repeated)})
    missing = [c for c in sheet.columns if c.key not in positions and (renamed or not c.optional)]
    if missing:
        names = "「" + "」、「".join(c.header for c in missing) + "」"
        required = any(c.required for c in missing)
        code = "header-missing" if required else "column-missing"
        workbook.problems.append(
            problem(code, cell=f"A{header_row}", detail=names, row=header_row, **where)
        )
        if required:
            if data_rows := _data_rows(data):
                workbook.unread_rows[sheet.name] = len(above) + len(data_rows)
            return
    frame = pd.DataFrame(
        {
            # A copy: the merged-cell pass writes into these columns.
            c.key: data.iloc[:, positions[c.key]].to_numpy(copy=True)
            if c.key in positions
            else None
            for c in sheet.columns
        },
        index=data.index + 1,
    )
    filled = [not all(map(cells.is_blank, row)) for row in frame.itertuples(index=False)]
    frame = frame.loc[pd.Series(filled, index=frame.index, dtype=bool)]
    letters = {key: get_column_letter(pos + 1) for key, pos in positions.items()}
    sheet_data = SheetData(sheet, frame, letters)
    if info is not None:
        _spread_merged(workbook, sheet_data, info.merged, header_row)
        _mark_errors(workbook, sheet_data, info.errors, header_row)
    workbook.sheets[sheet.key] = sheet_data


def _unknown_data_columns(data: pd.DataFrame, known: set[int]) -> bool:
    """Whether a column outside `known` holds a value below the header."""
    return any(
        not all(map(cells.is_blank, data.iloc[:, j]))
        for j in range(data.shape[1])
        if j not in known
    )


def _filled(value: object) -> bool:
    return not cells.is_blank(value)


def _find_header(
    sheet: Sheet, grid: pd.DataFrame
) -> tuple[int, dict[str, int], list[tuple[str, int]]] | None:
    """The header row's position, each column's position, and headers found twice there."""
    wanted = {c.header.replace(" ", ""): c.key for c in sheet.columns}
    best: tuple[int, dict[str, int], list[tuple[str, int]]] | None = None
    for i in range(min(HEADER_SEARCH_ROWS, len(grid))):
        positions: dict[str, int] = {}
        repeated: list[tuple[str, int]] = []
        for j, value in enumerate(grid.iloc[i]):
            key = wanted.get(_header(value))
            if key and key in positions:
                repeated.append((key, j))
            elif key:
                positions[key] = j
        if positions and (best is None or len(positions) > len(best[1])):
            best = (i, positions, repeated)
    if best is None or len(best[1]) < max(2, len(wanted) // 2):
        return None
    return best


def _mark_errors(
    workbook: RawWorkbook, data: SheetData, errors: tuple[str, ...], header_row: int
) -> None:
    """Excel error values (#N/A, #REF!) read as blank: name each one, count none of its rows."""
    columns = set(data.letters.values())
    lost: set[int] = set()
    for ref in errors:
        letters = ref.rstrip("0123456789")
        row = int(ref[len(letters) :])
        if row <= header_row or letters not in columns:
            continue
        workbook.problems.append(
            problem("excel-error", file=workbook.file, sheet=data.sheet.name, cell=ref)
        )
        data.error_cells.add(ref)
        if row in data.frame.index:
            data.bad_rows.add(row)
        else:
            lost.add(row)  # the error was the row's only value
    if lost:
        workbook.unread_rows[data.sheet.name] = workbook.unread_rows.get(data.sheet.name, 0) + len(
            lost
        )


def _spread_merged(
    workbook: RawWorkbook, data: SheetData, merged: tuple[str, ...], header_row: int
) -> None:
    """A value merged down over several rows applies to each row; numbers cannot be split."""
    columns = {letter: key for key, letter in data.letters.items()}
    where = {"file": workbook.file, "sheet": data.sheet.name}
    for ref in merged:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if min_col is None or min_row is None or max_col is None or max_row is None:
            continue  # a whole column or row: the scan has refused such a range already
        if min_row <= header_row or min_row == max_row:
            continue
        for col in range(min_col, max_col + 1):
            key = columns.get(get_column_letter(col))
            rows = [r for r in range(min_row, max_row + 1) if r in data.frame.index]
            if key is None or not rows:
                continue
            column = data.sheet.column(key)
            value = data.frame.at[rows[0], key]
            if column.kind in (Kind.COUNT, Kind.HOURS, Kind.AMOUNT):
                data.bad_rows.update(rows)
                workbook.problems.append(problem("merged-numbers", cell=ref, detail=ref, **where))
                continue
            data.frame.loc[rows, key] = value
            workbook.problems.append(
                problem("merged-cells", cell=ref, detail=ref, value=cells.text(value), **where)
            )
