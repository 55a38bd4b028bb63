"""One test per code of the error catalogue: each code is produced by an input made for it.

Cell-level codes have their cell checked in test_validate.py; this file makes sure that no
code in the catalogue is left without an input that produces it, and that a message cannot
be made with a field of its template left blank.

The codes a build finds before it writes anything are made with `gathered` (the build's
reading and figures, its outputs not written); `chart-missing`, found while writing the
report, by a whole build.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable
from pathlib import Path

import pytest

from gmreport import figures_file, rollup, safety
from gmreport.config import Config
from gmreport.figures import SCHEMA_ID
from gmreport.pipeline import build, check
from gmreport.problems import (
    CATALOGUE,
    FIELDS,
    MissingField,
    Rule,
    Severity,
    problem,
)

from . import hostile
from .conftest import example_figures, gathered
from .test_photos import photo, png_declaring
from .test_safety import encrypted, legacy_xls
from .test_validate import CASES, SETUP, _set

ROLLUP_CODES = frozenset(code for code in CATALOGUE if code.startswith("rollup-"))
"""The codes of the roll-up's files not used; the rest are found in units' workbooks."""

Maker = Callable[..., list]


def _check(*paths: Path) -> list:
    return check(list(paths), Config()).problems


def _cell_case(code: str) -> Maker:
    def make(tmp_path, make_workbook, valid_rows):
        sheet, row, col, value, _ = CASES[code]
        rows = {k: [list(r) for r in v] for k, v in valid_rows.items()}
        for c, v in SETUP.get(code, []):
            _set(rows, sheet, row, c, v)
        if sheet == "CEDAW宣導":
            rows[sheet] = [["座談", "113/5/5", "村里長", "實體活動", "綜合", 3, 4, 0]]
        if sheet == "性別預算":
            rows[sheet] = [["課程", "計畫類", 600000, 580000, 20, 180, 0]]
        _set(rows, sheet, row, col, value)
        return _check(make_workbook(rows))

    return make


def _info(row: int, value: object) -> Maker:
    def make(tmp_path, make_workbook, valid_rows):
        def edit(wb):
            wb["基本資料"].cell(row, 2).value = value

        return _check(make_workbook(valid_rows, edit=edit))

    return make


def _edit(edit: Callable) -> Maker:
    def make(tmp_path, make_workbook, valid_rows):
        return _check(make_workbook(valid_rows, edit=edit))

    return make


def _file(write: Callable[[Path], object], name: str = "檔案.xlsx") -> Maker:
    def make(tmp_path, make_workbook, valid_rows):
        path = tmp_path / name
        write(path)
        return _check(path)

    return make


def _duplicate_unit(tmp_path, make_workbook, valid_rows):
    folder = tmp_path / "in"
    make_workbook(valid_rows, folder=folder, name="a.xlsx")
    make_workbook(valid_rows, folder=folder, name="b.xlsx")
    return _check(folder)


def _other_year(tmp_path, make_workbook, valid_rows):
    folder = tmp_path / "in"
    make_workbook(valid_rows, folder=folder, year=112)
    make_workbook(valid_rows, folder=folder, year=113)
    return gathered(folder).problems


def _history(*files: tuple[str, str, object]) -> Maker:
    """A build of 113 with earlier years' figures files (folder, name, content) beside it;
    a figures file here holds only the keys that identify it."""

    def make(tmp_path, make_workbook, valid_rows):
        folder = tmp_path / "in"
        make_workbook(valid_rows, folder=folder, year=113)
        for sub, name, content in files:
            (tmp_path / sub).mkdir(exist_ok=True)
            text = content if isinstance(content, str) else json.dumps(content)
            (tmp_path / sub / name).write_text(text, encoding="utf-8")
        folders = sorted({tmp_path / sub for sub, _, _ in files})
        return gathered(folder, history=folders).problems

    return make


EXAMPLE = example_figures()


def _figures(**changed: object) -> dict:
    """A whole figures file (valid against the schema) of 112, with `changed` keys."""
    return {**EXAMPLE, "schema": SCHEMA_ID, "agency": Config().agency, "year": 112, **changed}


def _members_several_units(tmp_path, make_workbook, valid_rows):
    folder = tmp_path / "in"
    members = {"性平小組成員": [["王小明", "男", "主任", "召集人"]]}
    make_workbook(valid_rows | members, folder=folder)
    make_workbook(valid_rows | members, unit="民政課", folder=folder)
    return _check(folder)


def _meetings_several_units(tmp_path, make_workbook, valid_rows):
    folder = tmp_path / "in"
    meetings = {"性平小組會議": [["113年第1次會議", "113/6/1", "區長", 3, 4, 0]]}
    make_workbook(valid_rows | meetings, folder=folder)
    make_workbook(valid_rows | meetings, unit="民政課", folder=folder)
    return _check(folder)


def _transfer(gender: str) -> Maker:
    """王小明 (男 in 人事室's roster) on 民政課's roster too, as `gender`."""

    def make(tmp_path, make_workbook, valid_rows):
        folder = tmp_path / "in"
        make_workbook(valid_rows, folder=folder)
        make_workbook({"人員名冊": [["王小明", gender, "公務人員"]]}, unit="民政課", folder=folder)
        return _check(folder)

    return make


def _open_in_excel(tmp_path, make_workbook, valid_rows):
    folder = tmp_path / "in"
    path = make_workbook(valid_rows, folder=folder)
    (folder / f"~${path.name}").write_bytes(b"lock")
    return _check(folder)


def _open_in_libreoffice(tmp_path, make_workbook, valid_rows):
    folder = tmp_path / "in"
    path = make_workbook(valid_rows, folder=folder)
    (folder / f".~lock.{path.name}#").write_text(",王小明,PC-01;", encoding="utf-8")
    return _check(folder)


def _merged(ref: str, sheet: str, extra: list) -> Maker:
    def make(tmp_path, make_workbook, valid_rows):
        rows = valid_rows | {sheet: [*valid_rows.get(sheet, []), *extra]}

        def merge(wb):
            wb[sheet].merge_cells(ref)

        return _check(make_workbook(rows, edit=merge))

    return make


def _truncated(tmp_path, make_workbook, valid_rows):
    path = make_workbook(valid_rows)
    path.write_bytes(path.read_bytes()[:-3000])
    return _check(path)


def _unreadable(tmp_path, make_workbook, valid_rows):
    path = make_workbook(valid_rows)

    def locked(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    with pytest.MonkeyPatch.context() as mp:  # root ignores file modes, so lock it this way
        mp.setattr(safety, "open", locked, raising=False)
        return _check(path)


def _above_header(wb):
    ws = wb["培力紀錄"]
    for merged in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(merged))
    for col, value in enumerate(["王小明", "課", "CEDAW", "實體", "113/3/5", 1], start=1):
        ws.cell(1, col, value)


def _twin_cedaw(tmp_path, make_workbook, valid_rows):
    def twin(wb) -> None:
        ws = wb.create_sheet("CEDAW 宣導")
        for col, value in enumerate(["座談", "113/5/5", "村里長"], start=1):
            ws.cell(1, col, value)

    return _check(make_workbook(valid_rows | {"CEDAW宣導": [CEDAW]}, edit=twin))


def _skipped_file(tmp_path, make_workbook, valid_rows):
    path = make_workbook(valid_rows, folder=tmp_path / "in")
    (path.parent / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0")
    return _check(path.parent)


def _rows_with(sheet: str, row: list) -> Maker:
    def make(tmp_path, make_workbook, valid_rows):
        return _check(make_workbook(valid_rows | {sheet: [*valid_rows.get(sheet, []), row]}))

    return make


def _one_short_and_narratives(*narratives: list[str]) -> Maker:
    """A build in which 陳志強, the one 職工, is short of hours (the training targets are
    missed) and 人事室 writes `narratives` in 執行成果說明 (none: it writes nothing)."""

    def make(tmp_path, make_workbook, valid_rows):
        rows = {k: [list(r) for r in v] for k, v in valid_rows.items()}
        rows["培力紀錄"][2][5] = 1
        rows["執行成果說明"] = list(narratives)
        make_workbook(rows, folder=tmp_path / "in")
        return gathered(tmp_path / "in").problems

    return make


# a narrative about the 駕駛 who missed; one that says five; the lead unit writing nothing
_narrative_names = _one_short_and_narratives(
    ["性別意識培力", "", "駕駛同仁因勤務未完成時數，已通知補訓。"]
)
_count_differs = _one_short_and_narratives(
    ["性別意識培力", "", "尚有 5 名同仁未達目標時數，將通知補訓。"]
)
_lead_unit_silent = _one_short_and_narratives()


def _period_review(year: int) -> Maker:
    """人事室 writes a 計畫期程總檢討 in a year that is not the plan's last (113), or writes
    none in the last (116)."""

    def make(tmp_path, make_workbook, valid_rows):
        rows = {
            k: [[str(v).replace("113/", f"{year}/") for v in r] for r in records]
            for k, records in valid_rows.items()
        }
        if year != Config().plan.last_year:
            rows["執行成果說明"] = [["計畫期程總檢討", "四年來持續辦理培力課程。", ""]]
        make_workbook(rows, year=year, folder=tmp_path / "in")
        return gathered(tmp_path / "in", year=year).problems

    return make


def _photo(name: str, write: Callable[[Path], object]) -> Maker:
    """A build whose input folder holds the file `name` (a path from the input folder)."""

    def make(tmp_path, make_workbook, valid_rows):
        folder = tmp_path / "in"
        make_workbook(valid_rows, folder=folder)
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        write(folder / name)
        return gathered(folder).problems

    return make


def _no_chinese_font(tmp_path, make_workbook, valid_rows):
    """A build on a computer where matplotlib finds no font, even when it looks again."""
    from matplotlib import font_manager

    from gmreport.render import charts

    make_workbook(valid_rows, folder=tmp_path / "in")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(font_manager.fontManager, "ttflist", [])
        patch.setattr(charts, "rebuild_font_list", lambda: None)
        return build(tmp_path / "in", tmp_path / "out", Config()).problems


CEDAW = ["座談", "113/5/5", "村里長", "實體活動", "綜合", 3, 4, 0]
MAKERS: dict[str, Maker] = {
    **{code: _cell_case(code) for code in CASES},
    "not-a-workbook": _file(lambda p: p.write_text("姓名,性別\n王小明,男\n", encoding="utf-8")),
    "legacy-xls": _file(legacy_xls, "舊.xls"),
    "encrypted": _file(encrypted),
    "corrupt": _truncated,
    "unsafe-content": _file(hostile.laughs_in_shared_strings),
    "too-large": _file(lambda p: hostile.zip_bomb(p, size=2 * hostile.GB)),
    "huge-range": _file(hostile.dimension_bomb),
    "unreadable": _unreadable,
    "open-in-excel": _open_in_excel,
    "skipped-file": _skipped_file,
    "date-out-of-range": _rows_with("培力紀錄", ["王小明", "課", "CEDAW", "實體", "9999/12/31", 1]),
    "number-too-small": _rows_with("性別預算", ["計畫", "計畫類", 1e-300, 0, 1, 2, 0]),
    "duplicate-sheet": _twin_cedaw,
    "formula-no-value": _rows_with(
        "CEDAW宣導", ["座談", "113/5/5", "村里長", "實體活動", "綜合", "=1+2"]
    ),
    "open-in-libreoffice": _open_in_libreoffice,
    "no-info-sheet": _edit(lambda wb: wb.remove(wb["基本資料"])),
    "info-missing": _info(3, None),
    "bad-year": _info(4, "明年"),
    "bad-filed-date": _info(7, "113年13月1日"),
    "western-year": _info(4, 2025),
    "unknown-unit": _info(3, "總務課"),
    "other-agency": _info(2, "高雄市鼓山區公所"),
    "other-year": _other_year,
    "duplicate-unit": _duplicate_unit,
    "history-unreadable": _history(("h", "112年度統計數據.json", '{"schema": "gmreport.fig')),
    "history-other-schema": _history(("h", "112年度統計數據.json", _figures(schema="x/1"))),
    "history-other-agency": _history(("h", "112年度統計數據.json", _figures(agency="鼓山區公所"))),
    "history-later-year": _history(("h", "114年度統計數據.json", _figures(year=114))),
    "history-duplicate-year": _history(
        ("a", "112年度統計數據.json", _figures(built_at="2025-01-02T08:00:00+08:00")),
        ("b", "112年度統計數據.json", _figures(built_at="2025-01-03T08:00:00+08:00")),
    ),
    "unknown-sheet": _edit(lambda wb: setattr(wb["培力紀錄"], "title", "培力記錄")),
    "header-missing": _edit(lambda wb: setattr(wb["培力紀錄"]["F2"], "value", None)),
    "merged-cells": _merged("A5:A6", "培力紀錄", [[None, "課", "CEDAW", "數位", "113/6/1", 1]]),
    "merged-numbers": _merged("F3:F4", "CEDAW宣導", [CEDAW, CEDAW]),
    "members-several-units": _members_several_units,
    "transfer": _transfer("男"),
    "same-name-other-gender": _transfer("女"),
    "empty-workbook": lambda tmp_path, make_workbook, valid_rows: _check(make_workbook({})),
    "meetings-several-units": _meetings_several_units,
    "excel-error": _rows_with(
        "CEDAW宣導", ["座談", "113/5/5", "村里長", "實體活動", "綜合", 3, "#REF!", 0]
    ),
    "above-header": _edit(_above_header),
    "duplicate-header": _edit(lambda wb: setattr(wb["培力紀錄"]["H2"], "value", "時數")),
    "column-missing": _edit(lambda wb: setattr(wb["培力紀錄"]["G2"], "value", None)),
    "staff-indicator-small-cell": _rows_with(
        "性別統計", ["本所員工人數按性別分", "既有", "否", 40, 50, 1, "113年底", "培力規劃"]
    ),
    "narrative-names-small-group": _narrative_names,
    "narrative-count-differs": _count_differs,
    "narrative-missing": _lead_unit_silent,
    "review-missing": _lead_unit_silent,
    "period-review-missing": _period_review(116),
    "period-review-not-last-year": _period_review(113),
    "photo-misnamed": _photo("佐證照片/活動照片.jpg", lambda p: photo(p)),
    "photo-not-image": _photo("佐證照片/一-會議.jpg", lambda p: p.write_text("會議紀錄")),
    "photo-too-large": _photo(
        "佐證照片/一-會議.png", lambda p: p.write_bytes(png_declaring(20_000, 20_000))
    ),
    "photo-elsewhere": _photo("附件/佐證照片/一-會議.jpg", lambda p: photo(p)),
    "chart-missing": _no_chinese_font,
    "not-employed-in-year": _rows_with(
        "人員名冊", ["離職", "男", "公務人員", "", "", "", "", "112/12/1"]
    ),
}


def test_every_code_has_a_case():
    assert set(MAKERS) == set(CATALOGUE) - ROLLUP_CODES


@pytest.mark.parametrize("code", sorted(set(CATALOGUE) - ROLLUP_CODES))
def test_code_is_produced(code, tmp_path, make_workbook, valid_rows):
    problems = MAKERS[code](tmp_path, make_workbook, valid_rows)
    found = [p for p in problems if p.code == code]
    assert found, [(p.code, p.file, p.sheet, p.cell) for p in problems]
    rule = CATALOGUE[code]
    for p in found:
        assert p.severity is rule.severity
        assert p.message and p.title == rule.title
        assert p.file or code.endswith("-several-units")
    if rule.severity is Severity.ERROR:
        assert any(p.is_error for p in problems)


def test_every_code_has_a_chinese_title():
    assert all(rule.title and not rule.title.isascii() for rule in CATALOGUE.values())


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_templates_use_only_declared_fields(code):
    rule = CATALOGUE[code]
    for template in (rule.message, rule.hint):
        for _, name, spec, conversion in string.Formatter().parse(template):
            if name is not None:
                assert name in FIELDS, (code, name)
                assert not spec and not conversion, (code, name)


def _filled(rule: Rule) -> dict[str, str]:
    return {name: f"〔{name}〕" for name in rule.fields}


@pytest.mark.parametrize("code", sorted(c for c in CATALOGUE if CATALOGUE[c].fields))
def test_a_blanked_field_raises(code):
    rule = CATALOGUE[code]
    fields = _filled(rule)
    made = problem(code, file="a.xlsx", **fields)
    assert all(value in made.message + made.hint for value in fields.values())
    for name in rule.fields:
        with pytest.raises(MissingField, match=name):
            problem(code, file="a.xlsx", **{k: v for k, v in fields.items() if k != name})


def test_a_cell_message_without_its_column_raises():
    with pytest.raises(MissingField, match="column"):
        problem("required-blank", file="a.xlsx", sheet="人員名冊", cell="B3")
    assert problem("required-blank", column="性別").message.startswith("「性別」未填寫")


def test_a_field_outside_the_declared_ones_raises():
    with pytest.raises(TypeError, match="colum"):
        problem("required-blank", colum="性別")


def test_sheet_and_unit_fill_the_templates_from_where_the_problem_is():
    made = problem("unknown-sheet", file="a.xlsx", sheet="培力記錄", suggestion="")
    assert made.message.startswith("工作表「培力記錄」") and made.sheet == "培力記錄"
    with pytest.raises(MissingField, match="sheet"):
        problem("unknown-sheet", file="a.xlsx", suggestion="")


# The roll-up's files not used: each is a problem of a `rollup-…` code, made by an input
# made for it.


def _left_out(tmp_path, monkeypatch) -> list:
    """The problems of the files rollup.py leaves out, one file made for each code."""
    folder = tmp_path / "in"
    folder.mkdir()

    def put(name: str, content: object) -> None:
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        (folder / name).write_text(text, encoding="utf-8")

    put("a.json", _figures(built_at="2025-01-03T08:00:00+08:00"))
    put("a-older.json", _figures(built_at="2025-01-02T08:00:00+08:00"))
    put("b.json", _figures(agency="鼓山區公所", year=111))
    put("c.json", "{不是 JSON")
    put("d.json", _figures(schema="gmreport.figures/0"))
    put("e.json", {**_figures(), "agency": ""})
    with (folder / "f.json").open("wb") as f:
        f.truncate(figures_file.MAX_FILE_BYTES + 1)
    put("g.json", _figures())
    read_bytes = rollup.Path.read_bytes

    def locked(path):
        if path.name == "g.json":
            raise PermissionError(13, "Permission denied")
        return read_bytes(path)

    monkeypatch.setattr(rollup.Path, "read_bytes", locked)
    gathered = rollup.roll_up([folder], year=112)
    assert gathered.has_bad_files
    return [*gathered.left_out, *gathered.set_aside]


def test_the_rollups_codes_are_in_the_catalogue(tmp_path, monkeypatch):
    made_for = {
        "a-older.json": "rollup-duplicate",
        "b.json": "rollup-other-year",
        "c.json": "rollup-not-json",
        "d.json": "rollup-other-schema",
        "e.json": "rollup-invalid",
        "f.json": "rollup-too-large",
        "g.json": "rollup-unreadable",
    }
    assert set(made_for.values()) == ROLLUP_CODES
    found = _left_out(tmp_path, monkeypatch)
    assert {Path(p.file).name: p.code for p in found} == made_for
    for p in found:
        rule = CATALOGUE[p.code]
        assert p.severity is rule.severity and p.title == rule.title
        assert p.message and not p.message.endswith("。") and p.hint
    by_code = {p.code: p for p in found}
    assert by_code["rollup-duplicate"].unit == Config().agency
    assert "a.json" in by_code["rollup-duplicate"].message
    assert by_code["rollup-other-year"].unit == "鼓山區公所"
    assert "111" in by_code["rollup-other-year"].message
    assert SCHEMA_ID in by_code["rollup-other-schema"].message
