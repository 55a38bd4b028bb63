"""退回修正 (SPEC §5 ◆): each unit with problems gets its own file back, marked.

Every problem cell is filled in its severity's colour and carries a comment with the
message and the fix; a first sheet 檢核結果 lists the problems, each linked to its cell;
and everything else of the unit's file is as it was, cell by cell.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable
from copy import deepcopy
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine
from lxml import etree
from openpyxl.workbook.defined_name import DefinedName

from gmreport.blank_workbook import FIRST_DATA_ROW, blank_workbook
from gmreport.config import Config
from gmreport.ods_writer import NAMESPACES, write_ods
from gmreport.pipeline import build, check, file_part
from gmreport.problems import Problem, Severity
from gmreport.read import read_grids
from gmreport.render.returned import (
    FILLS,
    HEADER_FILL,
    LIST_SHEET,
    RETURNED_FOLDER,
    RETURNED_NAME,
    first_cell,
)
from gmreport.schema import OPTIONS_SHEET, SHEETS_BY_NAME

from .conftest import ROSTER, TRAINING, fill, sheet_values
from .test_opendocument import convert, soffice
from .test_safety import macro_enabled
from .test_validate import _set_info

CONFIG = Config()
UNIT = "人事室"


def _rows() -> dict[str, list[list[object]]]:
    roster = [list(r) for r in ROSTER]
    roster[1][1] = "M"  # bad-choice: an error
    training = [list(r) for r in TRAINING]
    training[0][5] = None  # 時數 left blank: required-blank, an error
    return {"人員名冊": roster, "培力紀錄": training}


def _edit(wb: Any) -> None:
    """What a unit's own file may hold beside its data: a hidden sheet, a name, a width."""
    wb["填報說明"].sheet_state = "hidden"
    wb.defined_names["單位名單"] = DefinedName("單位名單", attr_text="'人員名冊'!$A$3:$A$5")
    wb["培力紀錄"].column_dimensions["B"].width = 31.5
    _set_info(wb, "填報日期", "下週一")  # bad-filed-date: a warning


def _workbook(folder: Path, suffix: str, unit: str = UNIT, mistakes: bool = True) -> Path:
    clean = [[f"{unit}{name}", *rest] for name, *rest in ROSTER]  # nobody in two units
    rows = _rows() if mistakes else {"人員名冊": clean}
    wb = blank_workbook(agency="高雄市旗津區公所", unit=unit, year=113, data_rows=8)
    for sheet, sheet_rows in rows.items():
        fill(wb[sheet], sheet_rows, FIRST_DATA_ROW)
    if mistakes:
        _edit(wb)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"113年度_{unit}.{suffix}"
    if suffix == "ods":
        write_ods(wb, path)
    else:
        wb.save(path)
    return path


def _copy_of(out: Path, unit: str = UNIT, suffix: str = "xlsx") -> Path:
    return out / RETURNED_FOLDER / RETURNED_NAME.format(year=113, unit=unit, suffix=suffix)


def _marked(problems: list[Problem]) -> dict[tuple[str, str], list[Problem]]:
    """(sheet, cell) → the problems marked there, as the copy should show them."""
    found: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        if p.sheet:
            row, col = first_cell(p.cell)
            ref = f"{openpyxl.utils.get_column_letter(col)}{row}"
            found.setdefault((p.sheet, ref), []).append(p)
    return found


def _worst(problems: list[Problem]) -> Severity:
    return Severity.ERROR if any(p.is_error for p in problems) else Severity.WARNING


# --- .xlsx ----------------------------------------------------------------------------------


def _style(cell: Any) -> tuple[Any, ...]:
    return (
        cell.number_format,
        repr(cell.font),
        repr(cell.border),
        repr(cell.alignment),
        repr(cell.protection),
    )


def _assert_xlsx_unchanged_but_marks(
    original: Path, copy: Path, marked: dict[tuple[str, str], list[Problem]]
) -> int:
    """Every cell, format, validation, merge, width, sheet state and name of `original` is
    in `copy`; the marked cells differ by fill and comment only. Returns the cells compared."""
    a = openpyxl.load_workbook(original)
    b = openpyxl.load_workbook(copy)
    assert b.sheetnames == [LIST_SHEET, *a.sheetnames]
    assert b.active.title == LIST_SHEET
    assert {k: v.attr_text for k, v in b.defined_names.items()} == {
        k: v.attr_text for k, v in a.defined_names.items()
    }
    compared = 0
    for ws in a.worksheets:
        other = b[ws.title]
        assert other.sheet_state == ws.sheet_state
        assert other.max_row == ws.max_row and other.max_column == ws.max_column
        assert sorted(map(str, other.merged_cells.ranges)) == sorted(
            map(str, ws.merged_cells.ranges)
        )
        assert [
            (str(v.sqref), v.type, v.formula1, v.allow_blank)
            for v in other.data_validations.dataValidation
        ] == [
            (str(v.sqref), v.type, v.formula1, v.allow_blank)
            for v in ws.data_validations.dataValidation
        ]
        assert {k: (d.width, d.hidden) for k, d in other.column_dimensions.items()} == {
            k: (d.width, d.hidden) for k, d in ws.column_dimensions.items()
        }
        assert {k: d.height for k, d in other.row_dimensions.items()} == {
            k: d.height for k, d in ws.row_dimensions.items()
        }
        assert [str(r.sqref) for r in other.conditional_formatting] == [
            str(r.sqref) for r in ws.conditional_formatting
        ]
        held = set(ws._cells)  # before iter_rows, which makes the cells it passes
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column):
            for cell in row:
                twin = other[cell.coordinate]
                assert twin.value == cell.value, cell.coordinate
                assert twin.data_type == cell.data_type
                # a cell the file does not hold shows in its column's format, as Excel does
                shown = (
                    cell
                    if (cell.row, cell.column) in held
                    else ws.column_dimensions[cell.column_letter]
                )
                assert _style(twin) == _style(shown if twin.fill.fill_type else cell), (
                    ws.title,
                    cell.coordinate,
                )
                problems = marked.get((ws.title, cell.coordinate))
                if problems is None:
                    assert repr(twin.fill) == repr(cell.fill), (ws.title, cell.coordinate)
                    assert twin.comment is None
                else:
                    colour = FILLS[_worst(problems)]
                    assert twin.fill.fgColor.rgb == "FF" + colour
                    assert twin.fill.fill_type == "solid"
                    for p in problems:
                        assert p.message in twin.comment.text and p.hint in twin.comment.text
                compared += 1
    return compared


def _assert_list_links(copy: Path, problems: list[Problem]) -> None:
    """The list sheet has one row per problem; each link leads to a cell the problem names."""
    b = openpyxl.load_workbook(copy)
    ws = b[LIST_SHEET]
    rows = list(ws.iter_rows(min_row=3))
    assert len(rows) == len(problems)
    listed = sorted((r[5].value, r[1].value) for r in rows)
    assert listed == sorted((p.message, p.severity.value) for p in problems)
    by_message = {p.message: p for p in problems}
    for row in rows:
        p = by_message[row[5].value]
        if not p.sheet:
            assert row[3].hyperlink is None
            continue
        sheet, _, ref = row[3].hyperlink.location.rpartition("!")
        sheet = sheet.strip("'")
        r, c = first_cell(p.cell)
        assert (sheet, ref) == (p.sheet, f"{openpyxl.utils.get_column_letter(c)}{r}")
        assert sheet in b.sheetnames  # the link works: the sheet is there
        assert b[sheet][ref].comment is not None


def test_xlsx_copy_marks_each_problem_and_keeps_everything_else(tmp_path: Path) -> None:
    source = _workbook(tmp_path / "in", "xlsx")
    outcome = check([source], CONFIG, tmp_path / "out")
    codes = {p.code for p in outcome.problems}
    assert {"bad-choice", "required-blank", "bad-filed-date"} <= codes
    copy = _copy_of(tmp_path / "out")
    assert outcome.written == [copy]
    marked = _marked(outcome.problems)
    assert _assert_xlsx_unchanged_but_marks(source, copy, marked) > 100
    _assert_list_links(copy, outcome.problems)


def test_a_unit_without_problems_gets_no_copy(tmp_path: Path) -> None:
    clean = _workbook(tmp_path / "in", "xlsx", unit="民政課", mistakes=False)
    faulty = _workbook(tmp_path / "in", "ods", unit="社會課")
    outcome = check([clean, faulty], CONFIG, tmp_path / "out")
    assert not [p for p in outcome.problems if p.file == clean.name]
    assert sorted(p.name for p in (tmp_path / "out" / RETURNED_FOLDER).iterdir()) == [
        _copy_of(tmp_path / "out", "社會課", "ods").name
    ]


LEADING = {u for units in CONFIG.lead_units.values() for u in CONFIG.units if u in units}
FOLLOWER = next(u for u in CONFIG.units if u not in LEADING)
"""A unit that leads no work item, so owes no narrative: corrected, it has no problem."""


def test_build_writes_copies_and_drops_those_of_units_since_corrected(tmp_path: Path) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    source = _workbook(inbox, "xlsx", unit=FOLLOWER)
    outcome = build(inbox, out, CONFIG, year=113)
    copy = _copy_of(out, FOLLOWER)
    assert copy in outcome.written and copy.is_file()
    _assert_list_links(copy, [p for p in outcome.problems if p.file == source.name])
    _workbook(inbox, "xlsx", unit=FOLLOWER, mistakes=False)  # the unit sends it corrected
    again = build(inbox, out, CONFIG, year=113)
    assert not [p for p in again.problems if p.file == source.name]
    assert not copy.exists()
    assert not list((out / RETURNED_FOLDER).iterdir())


def test_a_file_refused_by_the_safety_gate_gets_no_copy(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "113年度_人事室.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    outcome = check([inbox], CONFIG, tmp_path / "out")
    assert outcome.has_errors
    # no copy of the refused file: only a letter made afresh saying why it was refused
    [letter] = outcome.written
    assert letter.parent == tmp_path / "out" / RETURNED_FOLDER
    assert openpyxl.load_workbook(letter).sheetnames == ["檢核結果"]
    assert b"not really a workbook" not in letter.read_bytes()


def test_xlsm_keeps_its_macros_byte_for_byte(tmp_path: Path) -> None:
    xlsm = macro_enabled(_workbook(tmp_path / "in", "xlsx"))
    (tmp_path / "in" / "113年度_人事室.xlsx").unlink()
    outcome = check([xlsm], CONFIG, tmp_path / "out")
    copy = _copy_of(tmp_path / "out", suffix="xlsm")
    assert outcome.written == [copy]
    with zipfile.ZipFile(xlsm) as a, zipfile.ZipFile(copy) as b:
        assert b.read("xl/vbaProject.bin") == a.read("xl/vbaProject.bin")
        assert b"macroEnabled" in b.read("[Content_Types].xml")
    _assert_xlsx_unchanged_but_marks(xlsm, copy, _marked(outcome.problems))


def test_unit_names_are_made_safe_for_windows_file_names() -> None:
    assert file_part("民政課/社會課") == "民政課_社會課"
    assert file_part('a:b*c?"<>|.') == "a_b_c" + "_" * len('?"<>|')


# --- a package whose parts are named unusually ------------------------------------------------

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_RELS = "xl/_rels/workbook.xml.rels"
_CHARTSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet"


def _sheet_members(path: Path) -> dict[str, str]:
    """Sheet name → its part, in a package as openpyxl writes it (every target absolute)."""
    with zipfile.ZipFile(path) as z:
        book = etree.fromstring(z.read("xl/workbook.xml"))
        rels = etree.fromstring(z.read(_RELS))
    targets = {el.get("Id"): el.get("Target") for el in rels}
    found = {el.get("name"): targets[el.get(_R_ID)] for el in book.iter(f"{_MAIN}sheet")}
    assert all(t.startswith("/xl/worksheets/") for t in found.values())
    return {name: target[1:] for name, target in found.items()}


def _unusual(source: Path, target: Path, how: str, part: str) -> str:
    """`source` with the worksheet `part` found unusually; returns the member that holds it.

    - odd-case: its member named in other letter case than its target;
    - relative: its target relative to the workbook's folder;
    - chartsheet-first: a chart sheet, tab selected, listed before every worksheet.
    """
    member = part
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            name = item.filename
            if how == "odd-case" and name == part:
                member = name = "xl/" + part[3:].replace("worksheets/sheet", "Worksheets/SHEET")
            rels_el = etree.fromstring(data) if name == _RELS else None
            for el in rels_el if rels_el is not None else ():
                if el.get("Target") == "/" + part and how == "relative":
                    el.set("Target", part.removeprefix("xl/"))
            if rels_el is not None and how == "chartsheet-first":
                etree.SubElement(
                    rels_el,
                    f"{_REL}Relationship",
                    Id="rIdChart",
                    Type=_CHARTSHEET,
                    Target="/xl/chartsheets/sheet1.xml",
                )
            if rels_el is not None:
                data = etree.tostring(rels_el)
            if name == "xl/workbook.xml" and how == "chartsheet-first":
                book = etree.fromstring(data)
                sheets = book.find(f"{_MAIN}sheets")
                chart = etree.Element(f"{_MAIN}sheet", name="圖表", sheetId="99")
                chart.set(_R_ID, "rIdChart")
                sheets.insert(0, chart)
                for defined in book.iter(f"{_MAIN}definedName"):
                    local = defined.get("localSheetId")
                    if local is not None:
                        defined.set("localSheetId", str(int(local) + 1))
                data = etree.tostring(book)
            dst.writestr(name, data)
        if how == "chartsheet-first":
            dst.writestr(
                "xl/chartsheets/sheet1.xml",
                f'<chartsheet xmlns="{_MAIN[1:-1]}"><sheetViews>'
                '<sheetView tabSelected="1" workbookViewId="0"/></sheetViews></chartsheet>',
            )
    return member


def _cells(root: Any) -> dict[str, str]:
    return {c.get("r"): c.get("s", "0") for c in root.iter(f"{_MAIN}c")}


@pytest.mark.parametrize("how", ["odd-case", "relative", "chartsheet-first"])
def test_an_unusual_package_is_marked_where_calamine_reads_it(tmp_path: Path, how: str) -> None:
    plain = _workbook(tmp_path / "plain", "xlsx")
    members = _sheet_members(plain)
    changed = members["人員名冊"]  # where the bad-choice error is
    source = tmp_path / "in" / plain.name
    source.parent.mkdir()
    members["人員名冊"] = _unusual(plain, source, how, changed)
    outcome = check([source], CONFIG, tmp_path / "out")
    copy = _copy_of(tmp_path / "out")
    assert outcome.written == [copy]
    expected: dict[str, dict[str, Severity]] = {}
    for (sheet, ref), found in _marked(outcome.problems).items():
        if sheet in members:
            expected.setdefault(sheet, {})[ref] = _worst(found)
    assert expected["人員名冊"]  # the sheet whose part is found unusually has a mark
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(copy) as b:
        keys = [name.lower() for name in b.namelist()]
        assert len(keys) == len(set(keys))  # no second part beside the one read
        styles = etree.fromstring(b.read("xl/styles.xml"))
        xfs = list(styles.find(f"{_MAIN}cellXfs"))
        fills = list(styles.find(f"{_MAIN}fills"))
        for sheet, member in members.items():
            before, after = (
                _cells(etree.fromstring(a.read(member))),
                _cells(etree.fromstring(b.read(member))),
            )
            marked = {ref for ref, s in after.items() if before.get(ref) != s}
            assert marked == set(expected.get(sheet, {})), sheet
            for ref, severity in expected.get(sheet, {}).items():
                fill = fills[int(xfs[int(after[ref])].get("fillId"))]
                colour = fill.find(f"{_MAIN}patternFill/{_MAIN}fgColor").get("rgb")
                assert colour == "FF" + FILLS[severity], (sheet, ref)
        if how == "chartsheet-first":  # the list sheet is the only one selected
            assert b"tabSelected" not in b.read("xl/chartsheets/sheet1.xml")
    read_back = read_grids(copy)
    assert list(read_back) == [LIST_SHEET, *members]
    assert {name: read_back[name] for name in members} == read_grids(source)


# --- .ods -----------------------------------------------------------------------------------

NS = NAMESPACES
T = "{" + NS["table"] + "}"
ROWS, COLS = 40, 12


def _n(prefix: str, tag: str) -> str:
    return f"{{{NS[prefix]}}}{tag}"


def _content(path: Path) -> Any:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("content.xml"))


def _grid(table: Any) -> dict[tuple[int, int], Any]:
    """(row, column), 1-based, → the cell element, repeats expanded, within ROWS × COLS."""
    grid: dict[tuple[int, int], Any] = {}
    r = 0
    for row in table.iter(T + "table-row"):
        for _ in range(int(row.get(T + "number-rows-repeated", "1"))):
            r += 1
            if r > ROWS:
                return grid
            c = 0
            for cell in row:
                if cell.tag not in (T + "table-cell", T + "covered-table-cell"):
                    continue
                for _ in range(int(cell.get(T + "number-columns-repeated", "1"))):
                    c += 1
                    if c <= COLS:
                        grid[r, c] = cell
    return grid


def _cell_key(cell: Any) -> tuple[Any, ...]:
    """A cell apart from its style and annotation: its attributes, and its text."""
    attrs = {
        k: v
        for k, v in cell.attrib.items()
        if k not in (T + "style-name", T + "number-columns-repeated")
    }
    texts = [etree.tostring(el) for el in cell if el.tag != _n("office", "annotation")]
    return cell.tag, sorted(attrs.items()), texts


def _style_xml(styles: dict[str, Any], name: str | None) -> bytes:
    """A cell style as XML, without its name and background colour."""
    if name is None or name not in styles:
        return (name or "").encode()
    style = deepcopy(styles[name])
    style.attrib.pop(_n("style", "name"), None)
    for props in style.iter(_n("style", "table-cell-properties")):
        props.attrib.pop(_n("fo", "background-color"), None)
        if not props.attrib and not len(props):
            style.remove(props)
    return etree.tostring(style)


def test_ods_copy_marks_each_problem_and_keeps_everything_else(tmp_path: Path) -> None:
    source = _workbook(tmp_path / "in", "ods")
    outcome = check([source], CONFIG, tmp_path / "out")
    copy = _copy_of(tmp_path / "out", suffix="ods")
    assert outcome.written == [copy]
    marked = _marked(outcome.problems)
    a, b = _content(source), _content(copy)
    styles_a = {s.get(_n("style", "name")): s for s in a.iter(_n("style", "style"))}
    styles_b = {s.get(_n("style", "name")): s for s in b.iter(_n("style", "style"))}
    tables_a = a.findall(".//table:table", NS)
    tables_b = b.findall(".//table:table", NS)
    names = [t.get(T + "name") for t in tables_b]
    assert names == [LIST_SHEET] + [t.get(T + "name") for t in tables_a]
    for name in ("table:content-validations", "table:named-expressions"):
        found = [
            etree.tostring(el)
            for el in (a.find(f".//{name}", NS), b.find(f".//{name}", NS))
            if el is not None
        ]
        assert len(set(found)) <= 1
    seen = set()
    for ta, tb in zip(tables_a, tables_b[1:], strict=True):
        assert sorted(ta.attrib.items()) == sorted(tb.attrib.items())  # hidden sheets stay hidden
        cols_a = [etree.tostring(c) for c in ta.iter(T + "table-column")]
        assert [etree.tostring(c) for c in tb.iter(T + "table-column")] == cols_a
        ga, gb = _grid(ta), _grid(tb)
        assert ga.keys() <= gb.keys()
        for (r, c), cell in ga.items():
            twin = gb[r, c]
            assert _cell_key(twin) == _cell_key(cell), (ta.get(T + "name"), r, c)
            ref = f"{openpyxl.utils.get_column_letter(c)}{r}"
            problems = marked.get((ta.get(T + "name"), ref))
            style_a, style_b = cell.get(T + "style-name"), twin.get(T + "style-name")
            if problems is None:
                assert style_b == style_a
                assert twin.find("office:annotation", NS) is None
                continue
            seen.add((ta.get(T + "name"), ref))
            colour = FILLS[_worst(problems)]
            props = styles_b[style_b].find("style:table-cell-properties", NS)
            assert props.get(_n("fo", "background-color")) == "#" + colour.lower()
            if style_a in styles_a:  # a copy of its own style but for the colour
                assert _style_xml(styles_b, style_b) == _style_xml(styles_a, style_a)
            note = "".join(twin.find("office:annotation", NS).itertext())
            for p in problems:
                assert p.message in note and p.hint in note
    assert seen == set(marked)
    links = [a_.get(_n("xlink", "href")) for a_ in tables_b[0].iter(_n("text", "a"))]
    assert sorted(links) == sorted(
        f"#'{s}'.{ref}" for (s, ref) in ((p.sheet, k[1]) for k, ps in marked.items() for p in ps)
    )


def test_ods_list_sheet_styles_are_ones_odf_readers_apply(tmp_path: Path) -> None:
    """The list sheet's widths, wrap, fills and bold header are ODF properties elements
    (style:table-cell-properties …), not names a reader ignores."""
    source = _workbook(tmp_path / "in", "ods")
    check([source], CONFIG, tmp_path / "out")
    content = _content(_copy_of(tmp_path / "out", suffix="ods"))
    styles = {s.get(_n("style", "name")): s for s in content.iter(_n("style", "style"))}
    listing = content.findall(".//table:table", NS)[0]
    assert listing.get(T + "name") == LIST_SHEET
    columns = [styles[c.get(T + "style-name")] for c in listing.iter(T + "table-column")]
    widths = [c.find("style:table-column-properties", NS) for c in columns]
    assert widths and all(w is not None and w.get(_n("style", "column-width")) for w in widths)
    header_row, titles = listing.findall("table:table-row", NS)[:2]
    for cell in (*header_row.findall("table:table-cell", NS), *titles):
        style = styles[cell.get(T + "style-name")]
        props = style.find("style:table-cell-properties", NS)
        assert props is not None and props.get(_n("fo", "wrap-option")) == "wrap"
        assert props.get(_n("fo", "background-color")) == "#" + HEADER_FILL.lower()
        bold = style.find("style:text-properties", NS)
        assert bold is not None and bold.get(_n("fo", "font-weight")) == "bold"
    tall = styles[header_row.get(T + "style-name")].find("style:table-row-properties", NS)
    assert tall is not None and tall.get(_n("style", "row-height")) == "48pt"


def _edited_workbook(
    tmp_path: Path, edit: Callable[[str, bytes], bytes | None]
) -> tuple[Path, Path]:
    """The test workbook as an .xlsx, and a copy in `tmp_path / "in"` with each part passed
    through `edit` (its name and bytes; None leaves the part out)."""
    plain = _workbook(tmp_path / "plain", "xlsx")
    source = tmp_path / "in" / plain.name
    source.parent.mkdir()
    with zipfile.ZipFile(plain) as z, zipfile.ZipFile(source, "w") as out:
        for info in z.infolist():
            data = edit(info.filename, z.read(info))
            if data is not None:
                out.writestr(info, data)
    return plain, source


def test_a_content_types_part_with_a_nested_default_is_still_marked(tmp_path: Path) -> None:
    """A <Default> nested in an <Override> (a crafted [Content_Types].xml the safety gate
    lets through) once ended `check --output` and `build` with an unexpected error, since
    the comments' vml Default was inserted beside it."""

    def nest_a_default(name: str, data: bytes) -> bytes | None:
        if name != "[Content_Types].xml":
            return data
        types = etree.fromstring(data)
        override = types.find("{*}Override")
        etree.SubElement(override, types.tag.replace("Types", "Default"), Extension="png")
        return bytes(etree.tostring(types))

    _, source = _edited_workbook(tmp_path, nest_a_default)
    outcome = check([source], CONFIG, tmp_path / "out")
    copy = _copy_of(tmp_path / "out")
    assert outcome.written == [copy]
    with zipfile.ZipFile(copy) as b:
        types = etree.fromstring(b.read("[Content_Types].xml"))
        assert [d.get("Extension") for d in types.iterchildren("{*}Default")][-1] == "vml"


# --- LibreOffice ----------------------------------------------------------------------------


@pytest.mark.slow
@soffice
@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_libreoffice_opens_the_copy_and_reads_the_same_values(tmp_path: Path, suffix: str) -> None:
    source = _workbook(tmp_path / "in", suffix)
    check([source], CONFIG, tmp_path / "out")
    copy = _copy_of(tmp_path / "out", suffix=suffix)
    other = "ods" if suffix == "xlsx" else "xlsx"
    (converted,) = convert([copy], tmp_path / "lo", other)
    assert converted.is_file()
    read_back = sheet_values(converted)
    original = sheet_values(source)
    assert list(read_back) == [LIST_SHEET, *original]

    def trimmed(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
        # LibreOffice keeps no cell of empty text: read as blank
        rows = [tuple(None if v == "" else v for v in row) for row in rows]
        while rows and all(v is None for v in rows[-1]):
            rows.pop()
        width = max((i + 1 for row in rows for i, v in enumerate(row) if v is not None), default=0)
        return [tuple(row[:width]) + (None,) * (width - len(row)) for row in rows]

    for name, rows in original.items():
        if name == OPTIONS_SHEET:
            continue  # its counts are formulas the source holds no result of: computed here
        if name in SHEETS_BY_NAME:  # its title's status line, likewise
            rows, back = rows[1:], read_back[name][1:]
        else:
            back = read_back[name]
        assert trimmed(back) == trimmed(rows), name


def test_the_summary_links_each_unit_to_its_own_copy(samples_build: Any) -> None:
    """SPEC §5 ◆ / issue 24: the 檢核結果 workbook's 摘要 links each unit to its marked copy."""
    outcome, out = samples_build
    summary = openpyxl.load_workbook(out / f"{outcome.year}年度填報檢核結果.xlsx")["摘要"]
    linked = {
        row[0].value: row[-1].hyperlink.target
        for row in summary.iter_rows(min_row=3)
        if row[-1].hyperlink is not None
    }
    copies = sorted((out / "退回修正").iterdir())
    assert copies and len(linked) == len(copies)
    assert {out / target for target in linked.values()} == set(copies)
    for unit, target in linked.items():
        assert f"_{unit}_" in target  # its own, not another unit's


def test_a_file_that_cannot_be_read_gets_a_letter_saying_why(
    tmp_path: Path, make_workbook: Any, valid_rows: Any
) -> None:
    """Issue 24: a unit whose file could not be read at all gets a short workbook naming the
    file, the reason and what to do; a file whose name says no unit gets none."""
    inbox = tmp_path / "in"
    make_workbook(valid_rows, folder=inbox)
    (inbox / "113年度_社會課_填報.xlsx").write_text("姓名,性別\n", encoding="utf-8")
    (inbox / "不知是誰的檔案.xlsx").write_text("姓名,性別\n", encoding="utf-8")
    outcome = build(inbox, tmp_path / "out", Config(), draft=True)
    letters = sorted((tmp_path / "out" / "退回修正").glob("*社會課*"))
    assert [p.name for p in letters] == ["113年度_社會課_檢核結果.xlsx"]
    text = [r[0] for r in openpyxl.load_workbook(letters[0]).active.iter_rows(values_only=True)]
    [refused] = [p for p in outcome.problems if p.file == "113年度_社會課_填報.xlsx"]
    assert any("113年度_社會課_填報.xlsx" in t for t in text)
    assert f"原因：{refused.message}" in text and f"處理方式：{refused.hint}" in text
    assert not list((tmp_path / "out" / "退回修正").glob("*不知是誰*"))
    assert outcome.copies["社會課"].name == letters[0].name  # linked from the 摘要 too


def test_a_workbook_without_a_stylesheet_is_marked_with_one_of_its_own(tmp_path: Path) -> None:
    """A package some systems write has no styles part (calamine reads it); the copy adds
    one instead of failing, and its marked cells use it."""
    import re

    def drop_the_styles(name: str, data: bytes) -> bytes | None:
        if name == "xl/styles.xml":
            return None
        if name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
            data = re.sub(rb"<(Relationship|Override)[^>]*styles[^>]*/>", b"", data)
        if name.startswith("xl/worksheets/"):
            data = re.sub(rb' s="\d+"', b"", data)  # no style to refer to
        return data

    plain, source = _edited_workbook(tmp_path, drop_the_styles)
    outcome = check([source], CONFIG, tmp_path / "out")
    copy = _copy_of(tmp_path / "out")
    assert outcome.written == [copy]
    with zipfile.ZipFile(copy) as b:
        styles = [n for n in b.namelist() if "styles" in n]
        assert len(styles) == 1
        rels = b.read("xl/_rels/workbook.xml.rels").decode()
        assert posixpath.basename(styles[0]) in rels and "/styles" in rels
        sheet = etree.fromstring(b.read(_sheet_members(plain)["人員名冊"]))
        xfs = list(etree.fromstring(b.read(styles[0])).find(f"{_MAIN}cellXfs"))
        styled = {ref: int(s) for ref, s in _cells(sheet).items() if s != "0"}
        expected = {ref for (name, ref) in _marked(outcome.problems) if name == "人員名冊"}
        assert expected and expected == set(styled)  # no cell had a style before
        assert all(index < len(xfs) for index in styled.values())
    assert python_calamine.CalamineWorkbook.from_path(str(copy)).sheet_names[0] == "檢核結果"
