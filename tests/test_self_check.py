"""The blank workbook checks itself (SPEC §5 ◆): conditional formats and status lines from the
schema, and LibreOffice computing them on a workbook filled with known mistakes."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from gmreport import blank_workbook as blank_module
from gmreport import self_check
from gmreport.blank_workbook import FIRST_DATA_ROW, TITLE_ROW, blank_workbook
from gmreport.ods_writer import write_ods
from gmreport.read import read_workbook
from gmreport.schema import (
    OPTIONS_SHEET,
    SHEETS,
    SHEETS_BY_KEY,
    Column,
    Kind,
    Sheet,
)

YEAR = 113
ROWS = 30
FILLED_ROWS = 60
soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="需要 LibreOffice（soffice）")


def _checked(column: Column) -> bool:
    """Whether the schema gives the column a check (what the rule is derived from)."""
    return bool(
        column.required
        or (column.has_dropdown and column.kind is not Kind.DIMENSIONS)
        or column.kind in (Kind.DATE, Kind.COUNT, Kind.HOURS, Kind.AMOUNT)
        or column.unique
        or column.listed_in
        or column.after
    )


def _rules(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, str]:
    return {str(cf.sqref): cf.rules[0].formula[0] for cf in ws.conditional_formatting}


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_each_checked_column_has_a_rule_and_the_title_a_status(sheet: Sheet) -> None:
    wb = blank_workbook(agency="高雄市旗津區公所", unit="人事室", year=YEAR, data_rows=ROWS)
    ws = wb[sheet.name]
    rules = _rules(ws)
    last = FIRST_DATA_ROW + ROWS - 1
    for i, column in enumerate(sheet.columns, start=1):
        letter = openpyxl.utils.get_column_letter(i)
        where = f"{letter}{FIRST_DATA_ROW}:{letter}{last}"
        assert (where in rules) == _checked(column), column.header
    assert str(ws.cell(TITLE_ROW, 1).value).startswith(f'="{sheet.title}"&CHAR(10)&')
    assert wb[OPTIONS_SHEET].sheet_state == "hidden"


def test_a_new_column_with_choices_gets_its_rule_without_new_code(monkeypatch) -> None:
    roster = SHEETS_BY_KEY["roster"]
    new = Column(
        "職系", "series", Kind.CHOICE, choices=("行政", "技術"), aliases={"技術類": "技術"}
    )
    changed = replace(roster, columns=(*roster.columns, new))
    sheets = tuple(changed if s.key == "roster" else s for s in SHEETS)
    monkeypatch.setattr(blank_module, "SHEETS", sheets)
    monkeypatch.setattr(self_check, "SHEETS_BY_KEY", {s.key: s for s in sheets})
    wb = blank_workbook(agency="高雄市旗津區公所", unit="人事室", year=YEAR, data_rows=ROWS)
    letter = openpyxl.utils.get_column_letter(len(changed.columns))
    rule = _rules(wb[roster.name])[f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + ROWS - 1}"]
    options = wb[OPTIONS_SHEET]
    column = next(c for c in options.iter_cols(min_row=1) if c[0].value == f"{roster.name}／職系")
    words = [c.value for c in column[1:] if c.value is not None]
    assert words == ["行政", "技術", "技術類"]
    assert f"${column[0].column_letter}$2:${column[0].column_letter}$4" in rule
    count = next(r[1].value for r in options.iter_rows(min_row=2) if r[0].value == roster.name)
    assert f"${letter}$" in count


def test_config_aliases_are_accepted_words() -> None:
    wb = blank_workbook(
        agency="高雄市旗津區公所",
        unit="人事室",
        year=YEAR,
        data_rows=ROWS,
        aliases={"人員類別": {"替代役": "自僱非公務人員"}},
    )
    words = {c.value for col in wb[OPTIONS_SHEET].iter_cols(min_col=3) for c in col}
    assert "替代役" in words


def test_a_filled_template_reads_as_before(tmp_path: Path) -> None:
    """The status line is no header and no data; the hidden sheet is no unknown sheet."""
    wb = blank_workbook(agency="高雄市旗津區公所", unit="人事室", year=YEAR, data_rows=ROWS)
    ws = wb[SHEETS_BY_KEY["roster"].name]
    for col, value in enumerate(("王小明", "男", "公務人員"), start=1):
        ws.cell(FIRST_DATA_ROW, col, value)
    for suffix in ("xlsx", "ods"):
        path = tmp_path / f"filled.{suffix}"
        if suffix == "ods":
            write_ods(wb, path)
        else:
            wb.save(path)
        raw = read_workbook(path)
        assert [p.code for p in raw.problems] == []
        roster = raw.sheets["roster"]
        assert roster.rows == [FIRST_DATA_ROW]
        assert roster.values[0][:3] == ["王小明", "男", "公務人員"]


# Filled with known mistakes, computed by LibreOffice


def _good(sheet: Sheet, column: Column, n: int) -> object:
    """A value that passes every check, for row `n` of `sheet`."""
    match column.kind:
        case Kind.NAME:
            return f"人員{n % 3}" if sheet.key != "roster" else f"人員{n}"
        case Kind.CHOICE | Kind.YESNO:
            return column.allowed[0]
        case Kind.DIMENSIONS:
            return "年齡"
        case Kind.DATE:
            return None if column.after or not column.required else date(2024, 3, 1)
        case Kind.HOURS:
            return 2
        case Kind.COUNT | Kind.AMOUNT:
            return 3
    return "說明"


def _mistakes(sheet: Sheet) -> list[tuple[dict[str, object], int]]:
    """Rows that each differ from a good row by known mistakes, with how many cells they mark;
    and rows of accepted spellings, which mark none."""
    found: list[tuple[dict[str, object], int]] = []
    for column in sheet.columns:
        bad: list[tuple[object, int]] = []
        if column.required:
            bad.append((None, 1))
        if column.has_dropdown and column.kind is not Kind.DIMENSIONS:
            bad.append(("不在選項", 1))
            bad += [(alias, 0) for alias in column.aliases]
        if column.kind is Kind.DATE:
            bad += [(date(2023, 12, 31), 1), ("112/5/1", 1), ("113/3/5", 0)]
            bad += [("113年3月5日", 0), ("2024-03-05", 0), (date(2025, 1, 1), 1)]
        if column.kind is Kind.HOURS:
            bad += [(0, 1), (25, 1), ("1.5小時", 0), ("三", 1)]
        if column.kind is Kind.COUNT:
            bad += [(1.5, 1), (-1, 1), ("12人", 0)]
        if column.kind is Kind.AMOUNT:
            bad += [(-5, 1), ("1,200元", 0)]
        if column.listed_in:
            bad.append(("名冊查無此人", 1))
        for value, marks in bad:
            found.append(({column.key: value}, marks))
        if column.after:
            found.append(({column.after: date(2024, 5, 1), column.key: date(2024, 4, 1)}, 1))
        if column.unique:
            found.append(({column.key: "人員0"}, 2))  # the first good row's name: both marked
    return found


def _fill(wb: openpyxl.Workbook) -> dict[str, int]:
    """Good rows, then the mistakes, into every data sheet; the marks expected per sheet."""
    expected = {}
    for sheet in SHEETS:
        ws = wb[sheet.name]
        rows = [({}, 0)] * 3 + _mistakes(sheet)
        assert len(rows) <= FILLED_ROWS
        for n, (change, _) in enumerate(rows):
            for col, column in enumerate(sheet.columns, start=1):
                value = change.get(column.key, _good(sheet, column, n))
                if value is not None:
                    ws.cell(FIRST_DATA_ROW + n, col, value)
        expected[sheet.name] = sum(marks for _, marks in rows)
    return expected


def _pixels(image: object) -> list[tuple[int, int, int]]:
    data = image.tobytes()  # type: ignore[attr-defined]
    return [(data[i], data[i + 1], data[i + 2]) for i in range(0, len(data), 3)]


def _convert(path: Path, to: str, out: Path, profile: Path) -> Path:
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out / f"{path.stem}.{to.split(':')[0]}"


@pytest.mark.slow
@soffice
@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_libreoffice_counts_the_known_mistakes(tmp_path: Path, suffix: str) -> None:
    wb = blank_workbook(agency="高雄市旗津區公所", unit="人事室", year=YEAR, data_rows=FILLED_ROWS)
    expected = _fill(wb)
    path = tmp_path / f"filled.{suffix}"
    if suffix == "ods":
        write_ods(wb, path)
    else:
        wb.save(path)
    computed = _convert(path, "xlsx:Calc MS Excel 2007 XML", tmp_path / "out", tmp_path / "p")
    result = openpyxl.load_workbook(computed, data_only=True)
    counts = {r[0].value: r[1].value for r in result[OPTIONS_SHEET].iter_rows(min_row=2)}
    assert {name: counts[name] for name in expected} == expected
    if suffix == "xlsx":  # an .ods's title keeps its result until a cell changes
        for sheet in SHEETS:
            title = result[sheet.name].cell(TITLE_ROW, 1).value
            assert title == f"{sheet.title}\n{self_check.status_text(expected[sheet.name])}"


@pytest.mark.slow
@soffice
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="需要 pdftoppm")
def test_a_marked_cell_is_coloured_when_printed(tmp_path: Path) -> None:
    from PIL import Image

    mark = tuple(int(self_check.MARK_FILL[i : i + 2], 16) for i in (0, 2, 4))

    def marked_pixels(wrong: bool) -> int:
        wb = blank_workbook(agency="高雄市旗津區公所", unit="人事室", year=YEAR, data_rows=5)
        ws = wb[SHEETS_BY_KEY["roster"].name]
        for col, value in enumerate(("王小明", "男", "錯的類別" if wrong else "公務人員"), 1):
            ws.cell(FIRST_DATA_ROW, col, value)
        wb.active = wb.sheetnames.index(ws.title)
        for other in wb.worksheets:
            if other.title != ws.title:
                other.sheet_state = "hidden"  # print the roster only
        folder = tmp_path / ("wrong" if wrong else "right")
        folder.mkdir()
        path = folder / "roster.ods"
        write_ods(wb, path)
        pdf = _convert(path, "pdf", folder, tmp_path / "p")
        subprocess.run(
            ["pdftoppm", "-r", "50", "-png", str(pdf), str(folder / "page")],
            check=True,
            timeout=120,
        )
        found = 0
        for page in sorted(folder.glob("page*.png")):
            image = Image.open(page).convert("RGB")
            found += sum(
                1
                for p in _pixels(image)
                if all(abs(a - b) <= 6 for a, b in zip(p, mark, strict=True))
            )
        return found

    assert marked_pixels(wrong=True) > 20
    assert marked_pixels(wrong=False) == 0
