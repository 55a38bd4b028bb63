"""Reading: workbook files → each sheet's raw rows, with each row's Excel address kept.

Nothing is interpreted here beyond finding where things are: the 基本資料 keys, each data
sheet's header row, and which rows hold data. Values stay as the cells hold them, except a
date that LibreOffice made of an ROC date typed in a cell, which is given back as typed.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from . import cells
from .atomic import LOCK_NAME, TEMP_PREFIX
from .format import writable
from .problems import Problem, os_reason, problem
from .safety import Refused, SheetInfo, inspect_workbook
from .schema import (
    HEADER_SEARCH_ROWS,
    INFO_FIELDS,
    INFO_SHEET,
    KNOWN_SHEETS,
    SHEETS,
    SHEETS_BY_NAME,
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
    """The data rows of one sheet: each row's values in the order of the sheet's columns
    (None for a column the sheet lacks), and each row's Excel row number."""

    sheet: Sheet
    rows: list[int]  # Excel row numbers, ascending
    values: list[list[object]]  # one list per row, in the order of sheet.columns
    letters: dict[str, str]  # column key → column letter
    bad_rows: set[int] = field(default_factory=set)  # rows already found unusable here
    error_cells: set[str] = field(default_factory=set)  # Excel error values, already named

    def cell(self, key: str, row: int) -> str:
        return f"{self.letters[key]}{row}"

    def column(self, key: str) -> list[object]:
        """The values of one column, row by row."""
        j = [c.key for c in self.sheet.columns].index(key)
        return [values[j] for values in self.values]


@dataclass
class RawWorkbook:
    path: Path
    info: dict[str, object]  # InfoField.key → raw value
    info_cells: dict[str, str]  # InfoField.key → cell address of its value
    sheets: dict[str, SheetData]  # Sheet.key → data
    problems: list[Problem]
    unread_rows: dict[str, int]  # sheet name → data rows that could not be read at all
    shown: str = ""  # the file as messages name it, when not its name (113/民政課.xlsx)

    @property
    def file(self) -> str:
        return self.shown or display_name(self.path)

    def report(self, code: str, sheet: str = "", cell: str = "", **params: object) -> None:
        """Note the problem `code` of this workbook (whose unit is not known yet)."""
        self.problems.append(
            problem(code, file=self.file, unit="", sheet=sheet, cell=cell, **params)
        )


def display_name(path: Path) -> str:
    """The file's name as a person reads it. A name the system could not decode (on Linux,
    the bytes of a Big5 name copied from Windows) is read as Big5, else shown with 「�」:
    every output that names the file can write it."""
    raw = os.fsencode(path.name)
    for encoding in ("utf-8", "cp950"):
        try:
            return writable(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    return writable(raw.decode("utf-8", "replace"))


@dataclass(frozen=True)
class Listing:
    """What was found in the folders given, beside the workbooks to read: the names of the
    files of each folder as a person reads them (where the lock files beside open workbooks
    are found), each workbook's name as shown, and the files set aside unread, each with a
    warning that says why (SPEC §2: never skipped without a word)."""

    folders: dict[Path, set[str]]
    names: dict[Path, str]
    skipped: list[Problem]


PHOTOS_FOLDER = "佐證照片"
"""A subfolder of the input folder holding the report's photos (SPEC §8), not workbooks."""
MACOS_FOLDER = "__MACOSX"
APPLE_DOUBLE = b"\x00\x05\x16\x07"
"""How a macOS resource file (._民政課.xlsx, made when a Mac writes to a USB stick) begins."""


def list_workbooks(paths: list[Path], skip: tuple[Path, ...] = ()) -> tuple[list[Path], Listing]:
    """The files among `paths` (files, or folders whose files are listed, subfolders
    included) to read as workbooks, in order, each once; and what else was found.

    Folders in `skip` (the output folder, when it lies inside the input folder) are not
    entered, nor a folder of photos. Every other file is either listed to be read or set
    aside with a warning: a lock file, a file the system or a Mac adds, a linked folder.
    """
    skipped: list[Problem] = []
    found: list[tuple[Path, str]] = []
    avoid = {s.resolve() for s in skip}
    for path in paths:
        if path.is_dir():
            found += _walk(path, avoid, skipped)
        else:
            found.append((path, display_name(path)))
    unique: dict[Path, tuple[Path, str]] = {}
    for f, shown in found:
        unique.setdefault(_identity(f), (f, shown))
    files = list(unique.values())
    # Names compared as read (display_name): a lock named in Unicode beside a Big5 name.
    by_folder: dict[Path, set[str]] = {}
    for f, _ in files:
        by_folder.setdefault(f.parent, set()).add(display_name(f))
    workbooks: list[Path] = []
    names: dict[Path, str] = {}
    for f, shown in files:
        reason = _set_aside(f, by_folder)
        if reason is None:
            workbooks.append(f)
            names[f] = shown
        elif reason:
            skipped.append(problem("skipped-file", file=shown, detail=reason))
    return workbooks, Listing(by_folder, names, skipped)


def _identity(path: Path) -> Path:
    """One path for a file however it is named (check DIR DIR/a.xlsx lists a.xlsx once)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links: its own name, then
        return path.absolute()


def _walk(folder: Path, avoid: set[Path], skipped: list[Problem]) -> list[tuple[Path, str]]:
    """The files of `folder` and of its subfolders, each with its path from `folder` as a
    person reads it (民政課.xlsx, 113/民政課.xlsx), sorted by that path."""
    found: list[tuple[tuple[str, ...], Path]] = []
    for top, dirs, names in os.walk(folder, onerror=None, followlinks=False):
        here = Path(top)
        parts = here.relative_to(folder).parts
        kept = []
        for d in sorted(dirs):
            sub = here / d
            if d == PHOTOS_FOLDER or _identity(sub) in avoid:
                continue
            if sub.is_symlink():
                why = "資料夾捷徑（連結），未進入讀取"
            elif d == MACOS_FOLDER:
                why = "Mac 壓縮時附帶的資訊資料夾，不含填報資料"
            else:
                kept.append(d)
                continue
            skipped.append(problem("skipped-file", file=_shown((*parts, d)), detail=why))
        dirs[:] = kept
        found += [((*parts, n), here / n) for n in names]
    found.sort(key=lambda item: item[0])
    return [(path, _shown(parts)) for parts, path in found]


def _shown(parts: tuple[str, ...]) -> str:
    return os.sep.join(display_name(Path(p)) for p in parts)


def _set_aside(f: Path, files: dict[Path, set[str]]) -> str | None:
    """Why the listed file `f` is not read as a workbook (None: it is read; "": a lock file
    of a workbook beside it, which that workbook's warning names)."""
    name = display_name(f)
    prefix, suffix = LIBREOFFICE_LOCK
    beside = files.get(f.parent, set())
    if name.startswith(LOCK_PREFIX):
        locked = name[len(LOCK_PREFIX) :]
        if any(n == locked or n[2:] == locked for n in beside if n != name):
            return ""
        return "Excel 開啟活頁簿時產生的暫存檔（對應的活頁簿不在資料夾中），可刪除"
    if name.startswith(prefix) and name.endswith(suffix):
        if name[len(prefix) : -len(suffix)] in beside:
            return ""
        return "LibreOffice 開啟檔案時產生的鎖定檔（對應的檔案不在資料夾中），可刪除"
    if name == LOCK_NAME or name.startswith(TEMP_PREFIX):
        return "gmreport 執行時使用的鎖定檔或暫存檔（不是填報檔），可刪除"
    if name.lower() in IGNORED_FILES:
        return "Windows 或 Mac 自動產生的系統檔，不含填報資料"
    if name.startswith("._") and _starts_with(f, APPLE_DOUBLE):
        return "Mac 複製檔案時附帶的資訊檔（不是活頁簿），可刪除"
    if not f.is_file():
        return "不是一般檔案（可能是失效的捷徑或連結），未讀取"
    return None


def _starts_with(f: Path, magic: bytes) -> bool:
    try:
        with open(f, "rb") as stream:
            return stream.read(len(magic)) == magic
    except OSError:
        return False


def read_listed(f: Path, listing: Listing) -> RawWorkbook | Problem:
    """Read the workbook `f` of a listing, noting a lock file beside it; a file that cannot
    be read at all gives the problem that says why."""
    shown = listing.names.get(f) or display_name(f)
    try:
        workbook = read_workbook(f, shown)
    except Refused as e:
        return e.problem(file=shown)
    name, beside = display_name(f), listing.folders.get(f.parent, set())
    locks = [LOCK_PREFIX + n for n in (name, name[2:]) if LOCK_PREFIX + n in beside]
    if locks:
        workbook.report("open-in-excel", detail=locks[0])
    prefix, suffix = LIBREOFFICE_LOCK
    if prefix + name + suffix in beside:
        workbook.report("open-in-libreoffice", detail=prefix + name + suffix)
    return workbook


Grid = list[list[object]]
"""A sheet's cells from A1, row by row, as a reader gives them (an empty cell is "")."""


def read_workbook(path: Path, shown: str = "") -> RawWorkbook:
    """Read one workbook, named `shown` in messages (by default its file name); raise
    Refused when the file is not a safe, readable workbook."""
    infos = {i.name: i for i in inspect_workbook(path)}
    grids = read_grids(path)
    workbook = RawWorkbook(path, {}, {}, {}, [], {}, shown)
    by_name = _contract_sheets(workbook, grids)
    if INFO_SHEET in by_name:
        _read_info(workbook, grids[by_name[INFO_SHEET]])
    else:
        workbook.report("no-info-sheet")
    for sheet in SHEETS:
        if sheet.name in by_name:
            name = by_name[sheet.name]
            _read_sheet(workbook, sheet, grids[name], infos.get(name))
    for name, grid in grids.items():
        if _sheet_name(name) not in _KNOWN and (rows := _data_rows(grid)):
            workbook.unread_rows[name] = len(rows)
            keys = {_sheet_name(s.name): s.name for s in SHEETS}
            close = [keys[k] for k in difflib.get_close_matches(_sheet_name(name), keys, n=1)]
            suggestion = f"（是否為「{close[0]}」？）" if close else ""
            workbook.report("unknown-sheet", sheet=name, suggestion=suggestion)
    return workbook


def read_grids(path: Path) -> dict[str, Grid]:
    """Every worksheet's cells (chart sheets left out), read once with python-calamine.

    Cells are given as pandas' reader of calamine gives them: a whole number as an int, a
    date as a datetime at midnight; and a date that LibreOffice made of a typed ROC date as
    the text typed (see `_restore_typed_roc_date`).
    """
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        with open(path, "rb") as f:
            book = CalamineWorkbook.from_filelike(f)
        grids = {
            sheet.name: _grid(book.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False))
            for sheet in book.sheets_metadata
            if sheet.typ == SheetTypeEnum.WorkSheet
        }
    except PermissionError as e:
        raise Refused("unreadable", os_reason(e)) from None
    except Exception:  # calamine's own errors carry no stable type
        raise Refused("corrupt", "試算表內容無法解讀") from None
    _restore_early_dates(path, grids)
    return grids


def _restore_early_dates(path: Path, grids: dict[str, Grid]) -> None:
    """Dates before 1900 in an .xlsx, which calamine reads as the time 00:00:00: a zh-TW
    LibreOffice saves a typed ROC date (113/3/5) as one of the year 113, a negative serial
    number. openpyxl reads such a serial as the date it is; the ROC date is then given back
    as typed, as for an .ods (see `_restore_typed_roc_date`)."""
    wanted = {
        name: {(i, j) for i, row in enumerate(grid) for j, v in enumerate(row) if v == _MIDNIGHT}
        for name, grid in grids.items()
    }
    wanted = {name: places for name, places in wanted.items() if places}
    if not wanted or not zipfile.is_zipfile(path):
        return
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's word on serials out of its range
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                for name, places in wanted.items():
                    rows = book[name].iter_rows(values_only=True)
                    for i, row in enumerate(rows):
                        for j, value in enumerate(row):
                            if (i, j) in places and isinstance(value, datetime):
                                grids[name][i][j] = _restore_typed_roc_date(value)
            finally:
                book.close()
    except Exception:  # not an .xlsx openpyxl reads (an .ods): its dates are calamine's
        return


_MIDNIGHT = time(0, 0)


_AS_READ = frozenset({str, int, bool})


def _grid(rows: list[list[Any]]) -> Grid:
    for row in rows:
        for j, value in enumerate(row):
            if type(value) in _AS_READ:
                continue
            if isinstance(value, float) and value.is_integer():
                row[j] = int(value)
            elif isinstance(value, datetime):
                row[j] = _restore_typed_roc_date(value)
            elif isinstance(value, date):
                row[j] = _restore_typed_roc_date(datetime(value.year, value.month, value.day))
    return rows


def _restore_typed_roc_date(value: datetime) -> object:
    """Give back as typed an ROC date that LibreOffice took for a date of that year AD.

    In a Taiwanese locale LibreOffice reads 113/3/5 (or 113.03.05, 113年3月5日) typed in a
    cell as 5 March of the year 113 in its Julian calendar (used before 1582), which an .ods
    stores as the proleptic Gregorian 0113-03-04. Excel, whose dates start in 1900, keeps
    such input as text; so does this, as 113/3/5, for the validator to read as any typed
    ROC date.
    """
    if value.year < 1000:
        return "{}/{}/{}".format(*_julian(value))
    return value


def _julian(day: datetime) -> tuple[int, int, int]:
    """The Julian calendar's year, month and day of a day (Richards' algorithm)."""
    c = day.toordinal() + 1721425 + 32082  # 1721425: the Julian day number of ordinal 0
    d = (4 * c + 3) // 1461
    e = c - 1461 * d // 4
    m = (5 * e + 2) // 153
    return d - 4800 + m // 10, m + 3 - 12 * (m // 10), e - (153 * m + 2) // 5 + 1


def _sheet_name(name: str) -> str:
    """A sheet's name as it is matched: NFKC, no spaces or invisible characters, Latin
    letters in one case (「ＣＥＤＡＷ 宣導」 is 「CEDAW宣導」)."""
    return re.sub(r"\s+", "", cells.visible(unicodedata.normalize("NFKC", name))).casefold()


def same_sheet(a: str, b: str) -> bool:
    """Whether two sheet names are matched as one (「CEDAW 宣導」 is 「CEDAW宣導」)."""
    return _sheet_name(a) == _sheet_name(b)


_KNOWN = {_sheet_name(name): name for name in KNOWN_SHEETS}
"""Each sheet of the contract by its name as matched."""


def _rows_of(contract: str, grid: Grid) -> int:
    """How many rows of data the sheet `contract` holds in `grid`: those below its header
    (the title and the header are no data), or every row holding anything when it has none."""
    sheet = SHEETS_BY_NAME.get(contract)
    found = _find_header(sheet, grid) if sheet is not None else None
    start = found[0] + 1 if found is not None else 0
    return len(_data_rows(grid[start:]))


def _contract_sheets(workbook: RawWorkbook, grids: dict[str, Grid]) -> dict[str, str]:
    """The workbook's sheet for each sheet of the contract it has: contract name → its own
    name. Of two sheets whose names match the same one (「CEDAW宣導」 and 「CEDAW 宣導」),
    one with data is read, the contract's spelling first; any other with data is an error
    naming both, its rows counted as not read (SPEC §2 ◆)."""
    groups: dict[str, list[str]] = {}
    for name in grids:
        if (contract := _KNOWN.get(_sheet_name(name))) is not None:
            groups.setdefault(contract, []).append(name)
    chosen: dict[str, str] = {}
    for contract, names in groups.items():
        filled = {name: _rows_of(contract, grids[name]) for name in names}
        ranked = sorted(names, key=lambda n: (filled[n] == 0, n != contract))
        chosen[contract] = ranked[0]
        if contract == INFO_SHEET or contract not in SHEETS_BY_NAME:
            continue  # 基本資料 holds keys, not rows; 填報說明 is never read
        for other in ranked[1:]:
            if not filled[other]:
                continue  # an empty copy loses nothing
            workbook.unread_rows[other] = filled[other]
            detail = "」、「".join(ranked)
            workbook.report(
                "duplicate-sheet", sheet=other, value=contract, detail=detail, row=filled[other]
            )
    return chosen


def _header(value: object) -> str:
    return cells.name(value).rstrip(":")


def _filled(value: object) -> bool:
    return not cells.is_blank(value)


def _data_rows(grid: Grid) -> list[int]:
    """Positions of rows holding anything."""
    return [i for i, row in enumerate(grid) if any(map(_filled, row))]


def _read_info(workbook: RawWorkbook, grid: Grid) -> None:
    labels = {f.label: f.key for f in INFO_FIELDS}
    if not grid or len(grid[0]) < 2:
        return
    for i, row in enumerate(grid[:INFO_SEARCH_ROWS]):
        key = labels.get(_header(row[0]))
        if key and key not in workbook.info:
            workbook.info[key] = row[1]
            workbook.info_cells[key] = f"B{i + 1}"


def _read_sheet(workbook: RawWorkbook, sheet: Sheet, grid: Grid, info: SheetInfo | None) -> None:
    found = _find_header(sheet, grid)
    if found is None:
        if unread := _data_rows(grid):
            workbook.unread_rows[sheet.name] = len(unread)
            workbook.report("header-missing", sheet.name, detail="、".join(sheet.headers), row=2)
        return
    header_pos, positions, repeated = found
    header_row = header_pos + 1
    for key, pos in repeated:
        cell = f"{cells.column_letters(pos + 1)}{header_row}"
        workbook.report("duplicate-header", sheet.name, cell, detail=sheet.column(key).header)
    above = [i for i, row in enumerate(grid[:header_pos]) if sum(map(_filled, row)) > 1]
    if above:
        workbook.unread_rows[sheet.name] = len(above)
        numbers = "、".join(str(i + 1) for i in above)
        workbook.report("above-header", sheet.name, f"A{above[0] + 1}", detail=numbers)
    data = grid[header_pos + 1 :]
    # A column new in the v2 template is absent from a v1 workbook: not worth a word, unless
    # a column of data under an unknown header may be it, renamed.
    known = {*positions.values(), *(p for _, p in repeated)}
    renamed = any(_filled(v) for row in data for j, v in enumerate(row) if j not in known)
    missing = [c for c in sheet.columns if c.key not in positions and (renamed or not c.optional)]
    if missing:
        names = "「" + "」、「".join(c.header for c in missing) + "」"
        required = any(c.required for c in missing)
        code = "header-missing" if required else "column-missing"
        workbook.report(code, sheet.name, f"A{header_row}", detail=names, row=header_row)
        if required:
            if unread := _data_rows(data):
                workbook.unread_rows[sheet.name] = len(above) + len(unread)
            return
    taken = [positions.get(c.key) for c in sheet.columns]
    picked = [[None if j is None else row[j] for j in taken] for row in data]
    rows = {header_row + 1 + i: r for i, r in enumerate(picked) if any(map(_filled, r))}
    letters = {key: cells.column_letters(pos + 1) for key, pos in positions.items()}
    sheet_data = SheetData(sheet, list(rows), list(rows.values()), letters)
    if info is not None:
        _spread_merged(workbook, sheet_data, info.merged, header_row)
        _mark_errors(workbook, sheet_data, info.errors, header_row, "excel-error")
        uncomputed = [ref for ref in info.formulas if not _filled(_at(grid, ref))]
        _mark_errors(workbook, sheet_data, uncomputed, header_row, "formula-no-value")
    workbook.sheets[sheet.key] = sheet_data


def _find_header(
    sheet: Sheet, grid: Grid
) -> tuple[int, dict[str, int], list[tuple[str, int]]] | None:
    """The header row's position, each column's position, and headers found twice there."""
    wanted = {c.header.replace(" ", ""): c.key for c in sheet.columns}
    best: tuple[int, dict[str, int], list[tuple[str, int]]] | None = None
    for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        positions: dict[str, int] = {}
        repeated: list[tuple[str, int]] = []
        for j, value in enumerate(row):
            if not _filled(value):
                continue
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


def _at(grid: Grid, ref: str) -> object:
    """The value of the cell `ref` in `grid` ("" outside it)."""
    position = cells.cell_position(ref)  # row and column from 1
    try:
        return "" if position is None else grid[position[0] - 1][position[1] - 1]
    except IndexError:
        return ""


def _mark_errors(
    workbook: RawWorkbook, data: SheetData, errors: Iterable[str], header_row: int, code: str
) -> None:
    """Cells read as blank that are not blank: Excel error values (#N/A, #REF!, `code`
    excel-error), or formulas whose result the file does not hold (formula-no-value). Name
    each one, count none of its rows."""
    columns = set(data.letters.values())
    present = set(data.rows)
    lost: set[int] = set()
    for ref in errors:
        position = cells.cell_position(ref)
        if position is None:
            continue
        row = position[0]
        if row <= header_row or cells.column_letters(position[1]) not in columns:
            continue
        workbook.report(code, data.sheet.name, ref)
        data.error_cells.add(ref)
        if row in present:
            data.bad_rows.add(row)
        else:
            lost.add(row)  # the error was the row's only value
    if lost:
        unread = workbook.unread_rows.get(data.sheet.name, 0)
        workbook.unread_rows[data.sheet.name] = unread + len(lost)


def _spread_merged(
    workbook: RawWorkbook, data: SheetData, merged: tuple[str, ...], header_row: int
) -> None:
    """A value merged down over several rows applies to each row; numbers cannot be split."""
    sheet = data.sheet
    columns = {data.letters[c.key]: j for j, c in enumerate(sheet.columns) if c.key in data.letters}
    position = {row: i for i, row in enumerate(data.rows)}
    for ref in merged:
        bounds = cells.range_bounds(ref)
        if bounds is None:
            continue  # not a range of cells: the scan has refused such a range already
        min_col, min_row, max_col, max_row = bounds
        if min_row <= header_row or min_row == max_row:
            continue
        rows = [r for r in range(min_row, max_row + 1) if r in position]
        for col in range(min_col, max_col + 1):
            j = columns.get(cells.column_letters(col))
            if j is None or not rows:
                continue
            value = data.values[position[rows[0]]][j]
            if sheet.columns[j].kind in (Kind.COUNT, Kind.HOURS, Kind.AMOUNT):
                data.bad_rows.update(rows)
                workbook.report("merged-numbers", sheet.name, ref, detail=ref)
                continue
            for r in rows:
                data.values[position[r]][j] = value
            workbook.report("merged-cells", sheet.name, ref, detail=ref, value=cells.text(value))
