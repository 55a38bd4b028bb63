"""The quick worksheet scan agrees with the full one: the same description of every sheet it
accepts, and every other sheet left to the full scan, which refuses it as before."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from gmreport import safety
from gmreport.safety import worksheet
from gmreport.safety.xmlparts import Budget

from .hostile import BILLION_LAUGHS, MAIN_NS, sheet_xml, write_package
from .test_opendocument import convert, soffice

SAMPLES = Path(__file__).resolve().parent.parent / "input_samples" / "113"


def agree(path: Path) -> int:
    """Assert that each worksheet of `path` is described alike by both scans, with the same
    elements taken from the budget; return how many the quick scan described."""
    quick = 0
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            if "/worksheets/" not in info.filename or not info.filename.endswith(".xml"):
                continue
            fast_budget, full_budget = Budget(10**7), Budget(10**7)
            fast = worksheet._quick_scan(z, info, "表", fast_budget)
            full = worksheet.SheetScan("表", full_budget).scan(z, info)
            if fast is not None:
                quick += 1
                assert (fast, fast_budget.left) == (full, full_budget.left), info.filename
    return quick


def outcome(path: Path) -> object:
    """What inspect_workbook makes of `path`: its sheets, or the refusal's code and detail."""
    try:
        return safety.inspect_workbook(path)
    except safety.Refused as e:
        return (e.code, e.detail, e.sheet)


def same_outcome(path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    """Assert that inspecting `path` ends alike with and without the quick scan."""
    with_quick = outcome(path)
    with monkeypatch.context() as m:
        m.setattr(worksheet, "_quick_scan", lambda *_: None)
        without = outcome(path)
    assert with_quick == without
    return with_quick


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.xlsx")), ids=lambda p: p.name)
def test_samples_take_the_quick_scan(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        sheets = sum("/worksheets/" in name for name in z.namelist())
    assert agree(path) == sheets


def test_template_workbooks_take_the_quick_scan(
    make_workbook: Callable[..., Path], valid_rows: dict[str, list[list[object]]]
) -> None:
    for path in (make_workbook(), make_workbook(valid_rows), make_workbook(data_rows=500)):
        with zipfile.ZipFile(path) as z:
            sheets = sum("/worksheets/" in name for name in z.namelist())
        assert agree(path) == sheets


def random_workbook(path: Path, seed: int) -> Path:
    """A workbook of a few sheets of random values, formulas, errors, styles and merges."""
    rng = random.Random(seed)
    wb = Workbook()
    for n in range(rng.randint(1, 3)):
        ws = wb.active if n == 0 else wb.create_sheet()
        rows, cols = rng.randint(0, 60), rng.randint(1, 30)
        fill = PatternFill("solid", fgColor="FFFF00")
        for r in range(1, rows + 1):
            for c in range(1, cols + 1):
                roll = rng.random()
                cell = ws.cell(r, c)
                if roll < 0.25:
                    cell.fill = fill  # a styled empty cell
                elif roll < 0.35:
                    cell.value = rng.choice([0, 1.5, -3, 10**9, True, False])
                elif roll < 0.45:
                    cell.value = rng.choice(["文字", "a > b", "<tag>", " 空白 ", "&amp;", "x\ny"])
                elif roll < 0.48:
                    cell.value = f"=A1+{rng.randint(1, 9)}"
                elif roll < 0.50:
                    cell.value = rng.choice(["#N/A", "#REF!", "#DIV/0!"])
                elif roll < 0.52:
                    cell.value = dt.date(2024, rng.randint(1, 12), rng.randint(1, 28))
                elif roll < 0.53:
                    cell.font = Font(bold=True)
        if rows > 3 and rng.random() < 0.5:
            ws.merge_cells(start_row=2, start_column=1, end_row=3, end_column=2)
    wb.save(path)
    return path


@pytest.mark.parametrize("seed", range(40))
def test_random_workbooks_agree(tmp_path: Path, seed: int) -> None:
    path = random_workbook(tmp_path / f"{seed}.xlsx", seed)
    with zipfile.ZipFile(path) as z:
        sheets = sum("/worksheets/" in name for name in z.namelist())
    assert agree(path) == sheets


@pytest.mark.slow
@soffice
def test_workbooks_saved_by_libreoffice_agree(tmp_path: Path) -> None:
    sources = sorted(SAMPLES.glob("*.xlsx"))[:3] + sorted(SAMPLES.glob("*.ods"))
    saved = convert(sources, tmp_path, "xlsx:Calc MS Excel 2007 XML")
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)
    assert sum(agree(path) for path in saved) > 0


CELL = '<c r="A1"><v>1</v></c>'

# Sheets the quick scan may take or leave; either way inspection must end as the full scan ends.
VARIANTS = {
    "plain": sheet_xml(f'<row r="1">{CELL}</row>'),
    "empty": sheet_xml(""),
    "self-closing sheetData": sheet_xml().replace("<sheetData></sheetData>", "<sheetData/>"),
    "styled empty cells": sheet_xml('<row r="9"><c r="Z9" s="1"/><c r="AA9" s="2"></c></row>'),
    "blank cells of every form": sheet_xml(
        '<row r="9"><c r="A9" s="1"/><c r="B9" s="2" t="n"></c><c r="C9"/><c r="D9" t="n"/>'
        '<c r="E9"><v>1</v></c><c r="F9" s="3"></c></row><row r="10"><c r="A10" s="1"/></row>'
    ),
    "blank cells and whitespace": sheet_xml(
        '<row r="2"> <c r="A2" s="1"/>\n<c r="B2" s="1"/><c r="C2" s="1"/> </row>'
    ),
    "blank cell in a value": sheet_xml('<row r="1"><c r="A1"><v><c r="B1" s="1"/></v></c></row>'),
    "blank cells in a cell": sheet_xml(
        '<row r="1"><c r="A1" t="s"><c r="B1" s="1"/><c r="C1"><v>1</v></c></c></row>'
    ),
    "blank cell at a cell's end": sheet_xml(
        '<row r="1"><c r="A1" t="s"><c r="B1" s="1"/></c></row>'
    ),
    "blank cell before a row": sheet_xml(f'<c r="B1" s="1"/><row r="1">{CELL}</row>'),
    "blank cell after a value": sheet_xml('<row r="1"><c r="A1"><v>1</v><c r="B1"/></c></row>'),
    "blank cell, row unclosed": sheet_xml('<row r="1"><c r="A1" s="1"/><c r="B1" s="1"/>'),
    "blank cell, attribute twice": sheet_xml(
        '<row r="1"><c r="A1" s="1" s="2"/><c r="B1" s="1"/></row>'
    ),
    "blank cells around a bad byte": sheet_xml(
        '<row r="1"><c r="A1" s="1"/><c r="B1"><v>\udcff</v></c><c r="C1" s="1"/></row>'
    ),
    "blank cells around an entity": sheet_xml(
        '<row r="1"><c r="A1" s="1"/><c r="B1"><v>&lol;</v></c><c r="C1" s="1"/></row>'
    ),
    "blank cell, far reference": sheet_xml(f'<row r="1">{CELL}<c r="XFE1048577" s="1"/></row>'),
    "inline string": sheet_xml('<row r="2"><c r="C2" t="inlineStr"><is><t>x</t></is></c></row>'),
    "rich text": sheet_xml(
        '<row r="2"><c r="B2" t="inlineStr"><is><r><rPr><b/><sz val="11"/></rPr>'
        "<t>x</t></r><r><t>y</t></r></is></c></row>"
    ),
    "formula only": sheet_xml('<row r="4"><c r="D4"><f>1+1</f></c></row>'),
    "empty value": sheet_xml('<row r="4"><c r="D4"><v/></c></row>'),
    "error cell": sheet_xml('<row r="3"><c r="B3" t="e"><v>#N/A</v></c></row>'),
    "empty error cell": sheet_xml('<row r="3"><c r="B3" s="1" t="e"/></row>'),
    "error single-quoted": sheet_xml('<row r="3"><c r="B3" t=\'e\'><v>#N/A</v></c></row>'),
    "error as character reference": sheet_xml(
        '<row r="3"><c r="B3" t="&#101;"><v>#N/A</v></c></row>'
    ),
    "t=e inside another value": sheet_xml('<row r="3"><c r="B3" x=\' t="e"\'><v>1</v></c></row>'),
    "> inside a value": sheet_xml('<row r="3"><c r="B3" x="a>b"><v>1</v></c></row>'),
    "whitespace between tags": sheet_xml(
        '\n<row r="1">\n <c r="A1">\n  <v>1</v>\n </c>\n <c r="B1" s="1">\n </c>\n</row>\n'
    ),
    "cells without r": sheet_xml('<row r="2"><c><v>1</v></c><c t="e"><v>#N/A</v></c></row>'),
    "rows without r": sheet_xml(f"<row>{CELL}</row><row><c><v>1</v></c></row>"),
    "r not first": sheet_xml('<row r="5"><c s="1" r="C5"><v>1</v></c></row>'),
    "lower-case reference": sheet_xml('<row r="5"><c r="c5"><v>1</v></c></row>'),
    "leading zero": sheet_xml('<row r="05"><c r="C05"><v>1</v></c></row>'),
    "prefixed": sheet_xml(f'<x:row xmlns:x="{MAIN_NS}" r="1">{CELL}</x:row>'),
    "comment": sheet_xml(f'<row r="1"><!-- <c r="Z99"><v>1</v></c> -->{CELL}</row>'),
    "comment before sheetData": sheet_xml(f'<row r="1">{CELL}</row>').replace(
        "<sheetData>", "<!-- <sheetData> --><sheetData>"
    ),
    "CDATA": sheet_xml('<row r="1"><c r="A1"><v><![CDATA[<v>]]></v></c></row>'),
    "processing instruction": sheet_xml(f'<row r="1"><?pi x?>{CELL}</row>'),
    "two sheetData": sheet_xml(f'<row r="1">{CELL}</row>').replace(
        "</worksheet>", '<sheetData><row r="7"><c r="G7"><v>1</v></c></row></sheetData></worksheet>'
    ),
    "merged and dimension": sheet_xml(
        f'<row r="1">{CELL}</row>',
        dimension="A1:C3",
        after='<mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells>',
    ),
    "latin-1": sheet_xml(f'<row r="1">{CELL}</row>').replace("UTF-8", "ISO-8859-1"),
    "other child": sheet_xml('<row r="1"><c r="A1"><extLst/></c></row>'),
    "text in a cell": sheet_xml('<row r="1"><c r="A1">1</c></row>'),
    "value outside a cell": sheet_xml('<row r="1"><v>1</v><c r="B1"/></row>'),
    # refused by the full scan
    "row 0": sheet_xml(f'<row r="0">{CELL}</row>'),
    "row abc": sheet_xml(f'<row r="abc">{CELL}</row>'),
    "bad reference": sheet_xml('<row r="1"><c r="1A"><v>1</v></c></row>'),
    "bad reference, error": sheet_xml('<row r="1"><c r="1A" t="e"/></row>'),
    "beyond the columns": sheet_xml('<row r="1"><c r="XFE1"><v>1</v></c></row>'),
    "beyond the rows": sheet_xml('<row r="1048577"><c r="A1048577"><v>1</v></c></row>'),
    "too many cells": sheet_xml(
        '<row r="2"><c r="ZZ2"><v>1</v></c></row><row r="99999"><c r="A99999"><v>1</v></c></row>'
    ),
    "huge dimension": sheet_xml(f'<row r="1">{CELL}</row>', dimension="A1:XFD1048576"),
    "huge merge": sheet_xml(
        f'<row r="1">{CELL}</row>',
        after='<mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells>',
    ),
    "bad merge": sheet_xml(
        f'<row r="1">{CELL}</row>', after='<mergeCells><mergeCell ref="A"/></mergeCells>'
    ),
    "DTD": BILLION_LAUGHS + sheet_xml(f'<row r="1">{CELL}</row>').split("?>", 1)[1],
    "undefined entity": sheet_xml('<row r="1"><c r="A1"><v>&lol;</v></c></row>'),
    "unclosed cell": sheet_xml('<row r="1"><c r="A1"><v>1</v></row>'),
    "bad byte": sheet_xml('<row r="1"><c r="A1"><v>\udcff</v></c></row>'),
    "deep rich text": sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is>' + "<r>" * 300 + "</r>" * 300 + "</is></c></row>"
    ),
}


@pytest.mark.parametrize("name", VARIANTS)
def test_variants_end_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    xml = VARIANTS[name]
    data = xml.encode("utf-8", "surrogateescape")
    path = write_package(tmp_path / "v.xlsx", {"表": data})
    same_outcome(path, monkeypatch)
    agree_or_refused = outcome(path)
    if not isinstance(agree_or_refused, tuple) or not isinstance(agree_or_refused[0], str):
        agree(path)


def test_deep_sheet_data_is_refused_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # <sheetData> so deep that the rich text under it passes the nesting limit.
    depth = safety.MAX_DEPTH - 4
    xml = sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><b/></rPr><t>x</t></r></is></c></row>'
    )
    xml = xml.replace("<sheetData>", "<sheetPr>" * depth + "<sheetData>").replace(
        "</sheetData>", "</sheetData>" + "</sheetPr>" * depth
    )
    path = write_package(tmp_path / "deep.xlsx", {"表": xml})
    assert same_outcome(path, monkeypatch)[0] == "unsafe-content"


@pytest.mark.parametrize("limit", [5, 12, 13, 14, 40])
def test_element_budget_is_refused_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="B{r}"/></row>' for r in (1, 2))
    path = write_package(tmp_path / "budget.xlsx", {"表": sheet_xml(rows), "二": sheet_xml(rows)})
    # the package's small parts are checked on a budget of their own
    monkeypatch.setattr(safety, "MAX_XML_ELEMENTS", limit)
    same_outcome(path, monkeypatch)


def test_errors_keep_their_order(tmp_path: Path) -> None:
    rows = (
        '<row r="1"><c r="C1" t="e"><v>#N/A</v></c></row>'
        '<row r="2"><c r="A2" t="e"><v>#REF!</v></c><c r="B2" t="n"><v>1</v></c></row>'
    )
    path = write_package(tmp_path / "errors.xlsx", {"表": sheet_xml(rows)})
    assert agree(path) == 1
    (info,) = safety.inspect_workbook(path)
    assert (info.rows, info.cols, info.errors) == (2, 3, ("C1", "A2"))


# Pieces of rows: blank cells of each form, filled cells, and what may break them.
BLANKS = ['<c r="A{r}" s="1"/>', '<c r="B{r}" s="2" t="n"></c>', '<c r="C{r}"/>', '<c r="XFE{r}"/>']
FILLED = [
    '<c r="D{r}"><v>1</v></c>',
    '<c r="E{r}" t="e"><v>#N/A</v></c>',
    '<c r="F{r}" t="inlineStr"><is><t>x</t></is></c>',
    '<c r="G{r}"><f>1+1</f></c>',
]
BREAKERS = [
    '<c r="H{r}" s="1" s="2"/>',
    '<c r="A{r}" t="e"/>',
    "<v>",
    "</c>",
    "</row>",
    '<row r="{r}">',
    " ",
    "x",
    "&lol;",
    "&amp;",
    "\udcff",
    "<!-- -->",
    "]]>",
]


def shuffled_rows(rng: random.Random) -> str:
    """Rows of blank and filled cells, now and then with a piece that breaks them inserted."""
    rows = []
    for r in range(1, rng.randint(1, 4) + 1):
        cells = [rng.choice(BLANKS + FILLED) for _ in range(rng.randint(0, 6))]
        rows.append(f'<row r="{r}">' + "".join(cells).format(r=r) + "</row>")
    text = "".join(rows)
    for _ in range(rng.choice([0, 0, 1, 2])):
        at = rng.choice([i for i, ch in enumerate(text) if ch in "<>"] or [0])
        text = text[:at] + rng.choice(BREAKERS).format(r=rng.randint(1, 9)) + text[at:]
    return text


def test_shuffled_blank_cells_end_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    quick = 0
    for seed in range(300):
        xml = sheet_xml(shuffled_rows(random.Random(seed)))
        path = write_package(
            tmp_path / f"{seed}.xlsx", {"表": xml.encode("utf-8", "surrogateescape")}
        )
        ended = same_outcome(path, monkeypatch)
        if not isinstance(ended[0], str):  # described, not refused: each sheet alike
            quick += agree(path)
    assert quick > 150  # most of them are described by the quick scan
