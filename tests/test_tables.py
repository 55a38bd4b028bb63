"""The report's tables, declared once: the Word report and the 統計總表 show the same cells,
and a work item the schema adds gets its chapter."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from types import MappingProxyType
from typing import Any

import openpyxl
import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.table import Table as DocxTable

from gmreport import format as fmt
from gmreport.figures_file import Unusable, figures_of
from gmreport.privacy import as_shown
from gmreport.render import report
from gmreport.render.report import render_report
from gmreport.render.trends import HISTORY_KEYS, PLAN_COLUMNS, trend_tables
from gmreport.render.workbooks import write_statistics
from gmreport.schema import WORK_ITEM_LIST, WorkItem
from gmreport.tables import TOTAL_LABEL, Col, Identity, Table, ValueKind, declare, report_tables

from .conftest import example_figures
from .conftest import read_cell as _read
from .test_report import leave_beneficiaries_blank

EXAMPLE = example_figures()
HEADER_ROW, FIRST_ROW = 2, 3


@pytest.fixture
def figures() -> dict:
    return copy.deepcopy(EXAMPLE)


def docx_tables(doc: DocumentObject) -> dict[str, DocxTable]:
    """Each table under its caption, by the caption's text with a space (「表3 標題」)."""
    found: dict[str, DocxTable] = {}
    caption = None
    for block in doc.iter_inner_content():
        if isinstance(block, DocxTable):
            if caption is not None and caption not in found:
                found[caption] = block
        elif re.match(r"表\d+　", block.text):
            caption = block.text.replace("\u3000", " ", 1)
    return found


def as_read(cell: Any) -> str | None:
    """What a person reads in a workbook cell, from its value and number format alone
    (None for a blank cell, which the report shows as 「—」 or leaves empty)."""
    value, shape = cell.value, cell.number_format
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        assert shape == "[$-404]e/mm/dd"
        return fmt.roc_short_date(value.date())
    readers = {
        "0.0%": fmt.percent,
        "#,##0": fmt.number,
        "#,##0.0": fmt.hours,
        "#,##0.00": fmt.average_hours,
        "General": str,
    }
    return readers[shape](value)


def both(figures: dict, tmp_path: Path) -> tuple[DocumentObject, openpyxl.Workbook]:
    render_report(figures, tmp_path / "報告.docx")
    write_statistics(figures, tmp_path / "統計總表.xlsx")
    doc = Document(str(tmp_path / "報告.docx"))
    return doc, openpyxl.load_workbook(tmp_path / "統計總表.xlsx")


def assert_same_cells(table: Table, in_docx: DocxTable, sheet: Any) -> None:
    """The report's table and the workbook's sheet of one declaration read alike: headers,
    then every cell of every column both show."""
    on_sheet = table.for_workbook()
    report_cols = table.shown(report=True)
    sheet_at = {c: i for i, c in enumerate(on_sheet.cols)}
    n_header = 2 if any(table.cols[i].group for i in report_cols) else 1
    headers = [c.value for c in sheet[HEADER_ROW]]
    docx_rows = [[_read(c.text) for c in row.cells] for row in in_docx.rows]
    for j, i in enumerate(report_cols):
        col = table.cols[i]
        shown = col.report_header
        assert docx_rows[n_header - 1][j] == _read(shown), (table.name, shown)
        if col.group:
            assert docx_rows[0][j] == col.group
    body = docx_rows[n_header:]
    sheet_rows = list(sheet.iter_rows(min_row=FIRST_ROW, max_row=FIRST_ROW + len(table.rows) - 1))
    if not table.rows:
        assert body == [[table.empty] * len(report_cols)]
        assert sheet.cell(FIRST_ROW, 1).value == table.empty
        return
    section = table.section
    if section is not None:  # the report heads each work item's rows with a row across it
        at = sheet_at[table.cols[section]]
        rows = []
        for r, on_row in enumerate(sheet_rows):
            if r == 0 or table.rows[r][section] != table.rows[r - 1][section]:
                heading = body.pop(0)
                assert heading == [as_read(on_row[at])] * len(report_cols), (table.name, r)
            rows.append(body.pop(0))
        assert not body, table.name  # no row beyond the table's
        body = rows
    assert len(body) == len(sheet_rows) == len(table.rows), table.name
    compared = 0
    for r, (in_report, on_row) in enumerate(zip(body, sheet_rows, strict=True)):
        for j, i in enumerate(report_cols):
            if table.cols[i] not in sheet_at:
                continue  # the report's alone (a name with its period)
            at = sheet_at[table.cols[i]]
            assert headers[at] == on_sheet.columns[at]
            read = as_read(on_row[at])
            expected = in_report[j]
            if read is None:
                assert expected in ("", fmt.NONE), (table.name, r, headers[at], expected)
            else:
                assert read == expected, (table.name, r, headers[at])
            compared += 1
    assert compared >= len(table.rows)


def test_the_report_and_the_workbook_show_the_same_cells(figures: dict, tmp_path: Path) -> None:
    doc, workbook = both(figures, tmp_path)
    in_docx = docx_tables(doc)
    declared = [t for t in report_tables(as_shown(figures)) if t.in_report]
    assert len(declared) == 18 + len(WORK_ITEM_LIST)  # and each work item's results
    for table in declared:
        assert table.name in in_docx, table.name
        assert_same_cells(table, in_docx[table.name], workbook[table.name])


def _plans_last_year(figures: dict, first_year: int) -> dict:
    """`figures` as of 116, the plan's last year (the plan from `first_year`), with the
    figures of 113 and 115 as earlier years' files (one target missed in 115) and those of
    the plan's other years not found."""
    earlier = {}
    for year in (113, 115):
        then = copy.deepcopy(figures)
        then["year"] = year
        if year == 115:
            then["targets"][0].update(verdict="未達成", met=False)
        read = figures_of(then)
        assert not isinstance(read, Unusable), read
        earlier[str(year)] = {k: v for k, v in read.items() if k != "history"}
    figures["year"], figures["history"] = 116, earlier
    figures["plan"]["first_year"] = first_year
    return figures


@pytest.mark.parametrize("first_year", [113, 112])
def test_the_history_tables_read_alike_in_both(
    figures: dict, tmp_path: Path, first_year: int
) -> None:
    """The 歷年比較 and 計畫期程總檢討 tables too: each work item's rows under a row naming
    it, the last four years of a longer plan in the report and all of them in the workbook."""
    figures = _plans_last_year(figures, first_year)
    doc, workbook = both(figures, tmp_path)
    in_docx = docx_tables(doc)
    declared = [t for t in report_tables(as_shown(figures)) if t.in_report]
    history = trend_tables(figures, first=len(declared) + 1)
    assert [t.key for t in history] == list(HISTORY_KEYS)
    assert [t.number for t in history] == list(range(len(declared) + 1, len(in_docx) + 1))
    for table in history:
        assert table.name in in_docx, table.name
        assert_same_cells(table, in_docx[table.name], workbook[table.name[:31]])
    grid, totals = history[-2:]
    years = list(range(first_year, 117))
    on_sheet = [c.value for c in workbook[totals.name[:31]][HEADER_ROW]]
    assert on_sheet[2:-1] == [f"{y}年度" for y in years]
    in_report = [_read(c.text) for c in in_docx[totals.name].rows[1].cells]
    assert in_report[1:-1] == [str(y) for y in years[-PLAN_COLUMNS:]]
    items = [r[0] for r in grid.rows]
    assert sum(
        len(row.cells) == 1 or len({c._tc for c in row.cells}) == 1
        for row in in_docx[grid.name].rows[2:]
    ) == len(dict.fromkeys(items))
    notes = [p.text for p in doc.paragraphs]
    hidden = f"{first_year} 年度未列欄位，詳統計總表。"
    assert any(t.startswith("註：「期程合計」") and t.endswith(hidden) for t in notes) is (
        first_year < 113
    )


def test_the_same_holds_with_suppressed_cells_and_empty_tables(
    figures: dict, tmp_path: Path
) -> None:
    figures["gia"]["list"] = []
    figures["budget"].update(list=[], by_category=[])
    assert figures["suppressed"]  # the example hides small staff cells
    doc, workbook = both(figures, tmp_path)
    in_docx = docx_tables(doc)
    stars = 0
    for table in report_tables(as_shown(figures)):
        if table.number is not None:
            assert_same_cells(table, in_docx[table.name], workbook[table.name])
            stars += sum(v == fmt.SUPPRESSED for row in table.rows for v in row)
    assert stars > 0


def test_beneficiaries_left_blank_read_alike_in_both_and_add_up_without_them(
    figures: dict, tmp_path: Path
) -> None:
    blank = figures["budget"]["list"][0]
    total = leave_beneficiaries_blank(figures, [blank])
    doc, workbook = both(figures, tmp_path)
    table = next(t for t in report_tables(as_shown(figures)) if t.key == "beneficiaries")
    sheet = workbook[table.name]
    assert_same_cells(table, docx_tables(doc)[table.name], sheet)
    on_row = next(
        row for row in sheet.iter_rows(min_row=FIRST_ROW) if row[0].value == blank["name"]
    )
    assert [as_read(c) for c in on_row[1:6]] == ["－"] * 4 + [None]  # 女性比例 blank: 「—」
    last = len(table.rows) - 1
    assert table.rows[last][1:5] == tuple(total[k] for k in ("male", "female", "other", "total"))
    column = Identity((last, 4), tuple((r, 4) for r in range(1, last)))  # the blank row no part
    assert column in table.identities


def test_a_drift_between_the_outputs_is_caught(
    figures: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Were the report to format a rate its own way, the comparison would fail."""
    real = Table.text

    def drifted(self: Table, row: int, col: int) -> str:
        shown = real(self, row, col)
        return shown.replace("%", " %") if self.kind(row, col) is ValueKind.RATE else shown

    monkeypatch.setattr(Table, "text", drifted)
    doc, workbook = both(figures, tmp_path)
    monkeypatch.undo()
    table = next(t for t in report_tables(as_shown(figures)) if t.key == "training_rates")
    with pytest.raises(AssertionError):
        assert_same_cells(table, docx_tables(doc)[table.name], workbook[table.name])


def test_staff_tables_say_which_staff_figure_each_cell_shows(figures: dict) -> None:
    """Every cell of a staff table that shows a number about staff names the figure, and
    the figure named is the number the cell shows."""
    tables = {t.key: t for t in report_tables(figures)}
    groups = tables["training_groups"]
    # 應訓, 完訓 by 性別 and 合計, the 完訓率, 總時數 and 平均時數 of each row
    assert len(groups.figures_at) == len(groups.rows) * 11
    assert not tables["beneficiaries"].figures_at  # counts of the public: not staff
    checked = 0
    for table in tables.values():
        for (r, c), figure in table.figures_at.items():
            node: Any = figures
            for key in figure.path.split("."):
                node = (
                    node[key]
                    if isinstance(node, dict)
                    else next(row for row in node if row["label"] == key)
                )
            assert table.rows[r][c] == node, (table.key, r, c, figure.path)
            checked += 1
    assert checked > 100
    first = tables["beneficiaries"].identities[0]
    assert first == Identity((0, 4), ((0, 1), (0, 2), (0, 3)))
    by_age = tables["by_age"]  # its rows part the agency: the total row is their sum
    last = len(by_age.rows) - 1
    column = Identity((last, 1), tuple((r, 1) for r in range(last)))
    assert column in by_age.identities


def test_the_identities_hold_on_a_real_build(samples_build) -> None:
    """男 + 女 + 其他 = 合計 and each total row = the rows above it, wherever the cells are
    numbers (a 「*」 is what the privacy audit solves for)."""
    checked = 0
    for path in samples_build.out.glob("*統計數據.json"):
        shown = as_shown(json.loads(path.read_text(encoding="utf-8")))
        for table in report_tables(shown):
            for identity in table.identities:
                parts = [table.rows[r][c] for r, c in identity.parts]
                total = table.rows[identity.total[0]][identity.total[1]]
                if all(isinstance(p, int | float) for p in parts):
                    assert sum(parts) == pytest.approx(total), (table.name, identity)
                    checked += 1
    assert checked > 50


def test_a_sixth_work_item_gets_its_chapter_tables_and_narratives(
    figures: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A work item the schema adds, with a table declared for it and what the units wrote
    under it, reads in the report as 六、 of 貳、辦理情形, before 參、目標達成情形."""
    sixth = WorkItem("性別平等宣導成效評估", "outcomes", "社會課")
    items = (*WORK_ITEM_LIST, sixth)
    monkeypatch.setattr(report, "WORK_ITEM_LIST", items)
    monkeypatch.setattr(report, "WORK_ITEMS_BY_KEY", MappingProxyType({w.key: w for w in items}))
    monkeypatch.setattr(report, "WORK_ITEMS_BY_NAME", MappingProxyType({w.name: w for w in items}))
    declared = report.report_tables

    def with_sixth(shown: Any) -> list[Table]:
        tables = declared(shown)
        extra = declare(
            "outcomes",
            "宣導成效評估",
            [Col("項目"), Col("人數", ValueKind.COUNT)],
            [("問卷回收", 1234), (TOTAL_LABEL, 1234)],
            totals=1,
            work_item="outcomes",
            number=sum(t.in_report for t in tables) + 1,
        )
        return [*tables, extra]

    monkeypatch.setattr(report, "report_tables", with_sixth)
    figures["narratives"].append(
        {
            "item": sixth.name,
            "entries": [{"unit": "社會課", "done": "完成宣導成效問卷。", "review": ""}],
        }
    )
    render_report(figures, tmp_path / "報告.docx")
    doc = Document(str(tmp_path / "報告.docx"))
    texts = [p.text for p in doc.paragraphs]
    at = texts.index(sixth.name)
    assert doc.paragraphs[at].style.style_id == "Heading2"
    assert texts.index("目標達成情形") > at
    after = [t for t in texts[at:] if t]
    assert after[1] == f"主辦單位：{sixth.lead_unit}"
    assert after[2].endswith("宣導成效評估")  # its table's caption
    assert "社會課：完成宣導成效問卷。" in after[: after.index("目標達成情形")]
    table = docx_tables(doc)["表24 宣導成效評估"]
    assert [c.text for c in table.rows[1].cells] == ["問卷回收", "1,234"]


def test_a_column_added_to_a_sheet_reaches_the_workbook_but_not_the_report(
    figures: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A list table's report columns are declared, not every column but some: a column the
    schema adds (a colleague's phone, say) is not printed in the report until declared."""
    import dataclasses

    from gmreport import tables
    from gmreport.schema import SHEETS_BY_KEY, Column

    extra = Column("承辦人電話", "phone")
    sheets = dict(SHEETS_BY_KEY)
    for key in ("meetings", "gia", "budget"):  # those with no total row set by position
        sheet = sheets[key]
        sheets[key] = dataclasses.replace(sheet, columns=(*sheet.columns, extra))
    monkeypatch.setattr(tables, "SHEETS_BY_KEY", MappingProxyType(sheets))
    for listed in (figures["meetings"]["list"], figures["gia"]["list"], figures["budget"]["list"]):
        for row in listed:
            row["phone"] = "07-0000000"
    checked = 0
    for t in report_tables(as_shown(figures)):
        phone = [c for c in t.cols if c.header == extra.header]
        if not phone:
            continue
        checked += 1
        assert [c.report for c in phone] == [False], t.caption
        assert any(c.report for c in t.cols if c.header != extra.header), t.caption
    assert checked == 3
