"""Property: any one bad cell put into a valid workbook is reported at that cell, never a crash."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gmreport.blank_workbook import FIRST_DATA_ROW, blank_workbook
from gmreport.config import Config
from gmreport.pipeline import check
from gmreport.schema import SHEETS_BY_NAME, Kind

from .conftest import ROSTER, TRAINING, fill

BASE_ROWS = {
    "人員名冊": [
        *ROSTER,
        ["林育如", "女", "約僱人員", "否", "否", "30-39歲", "", "", "113/3/1", "113/8/31"],
    ],
    "培力紀錄": TRAINING,
    "性平小組成員": [["王小明", "男", "秘書", "召集人"]],
    "性平小組會議": [["113年第1次會議", "113/6/1", "王小明", 3, 4, 0, "決議"]],
    "性別影響評估": [["計畫", "施政計畫", "113/7/1", "是", "人口統計", "採納"]],
    "性別統計": [["人口數", "既有", "是", 10, 12, 0, "113年底", "施政"]],
    "性別預算": [["婦女成長課程", "計畫類", 600000, 580000, 20, 180, 0, ""]],
    "CEDAW宣導": [["座談", "113/5/5", "村里長", "實體活動", "綜合", 3, 4, 0, 0, "否", ""]],
    "其他性平措施": [["親子共讀", "教育", "113/7/20", "實體", 15, 30, 0, 0, "成果"]],
    "執行成果說明": [["性別意識培力", "辦理 2 場", "持續辦理"]],
}

text = st.text(alphabet="ABCXYZ甲乙丙？ -", min_size=1, max_size=6).filter(lambda s: s.strip())
BAD_VALUES = {
    Kind.CHOICE: st.one_of(st.sampled_from(["M", "F", "不知道", "男女", "公務員", "實體課"]), text),
    Kind.YESNO: st.sampled_from(["Y", "有", "x", "是的", "不是"]),
    Kind.DATE: st.sampled_from(
        ["114/13/45", "下週", "2024-02-30", "13/45", "113/0/1", "今天", "２０２４年"]
    ),
    Kind.COUNT: st.sampled_from(["-1", "2.5", "十二", "abc", "三人", "-3人"]),
    Kind.HOURS: st.sampled_from(["0", "25", "-2", "十", "abc", "30小時"]),
    Kind.AMOUNT: st.sampled_from(["-5", "abc", "一百萬", "-1,000"]),
}
BLANKS = st.sampled_from(["", "   ", "\u3000"])


def _targets() -> list[tuple[str, int, int]]:
    """Every (sheet, row index, column index) where some value must be an error."""
    out = []
    for name, rows in BASE_ROWS.items():
        for c, column in enumerate(SHEETS_BY_NAME[name].columns):
            if column.kind in BAD_VALUES or column.required:
                out += [(name, r, c) for r in range(len(rows))]
    return out


# The template's 500 formatted rows would make each example's save 10x slower.
BASE_DATA_ROWS = max(map(len, BASE_ROWS.values())) + 2


@cache
def _base_workbook() -> openpyxl.Workbook:
    """The valid workbook, built once: each example changes it, saves it and puts it back."""
    wb = blank_workbook(
        agency="高雄市旗津區公所", unit="人事室", year=113, data_rows=BASE_DATA_ROWS
    )
    for sheet, rows in BASE_ROWS.items():
        fill(wb[sheet], rows)
    return wb


@cache
def _base() -> bytes:
    buffer = io.BytesIO()
    _base_workbook().save(buffer)
    return buffer.getvalue()


@contextmanager
def _changed(sheet: str, row: int, col: int, value: object) -> Iterator[openpyxl.Workbook]:
    """The base workbook with one cell set to `value`, restored afterwards."""
    wb = _base_workbook()
    cell = wb[sheet].cell(row, col)
    before = cell.value
    cell.value = value
    try:
        yield wb
    finally:
        cell.value = before


@contextmanager
def _renamed(sheet: str, title: str) -> Iterator[openpyxl.Workbook]:
    """The base workbook with `sheet` renamed to `title`, renamed back afterwards."""
    wb = _base_workbook()
    wb[sheet].title = title
    try:
        yield wb
    finally:
        wb[title].title = sheet


def test_the_base_workbook_is_valid(tmp_path):
    path = tmp_path / "base.xlsx"
    path.write_bytes(_base())
    assert check([path], Config()).problems == []


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_one_bad_cell_is_reported_at_that_cell(tmp_path, data):
    sheet, r, c = data.draw(st.sampled_from(_targets()), label="where")
    column = SHEETS_BY_NAME[sheet].columns[c]
    choices = [BAD_VALUES[column.kind]] if column.kind in BAD_VALUES else []
    if column.required:
        choices.append(BLANKS)
    value = data.draw(st.one_of(*choices), label="value")
    path = tmp_path / "mutated.xlsx"
    with _changed(sheet, FIRST_DATA_ROW + r, c + 1, value) as wb:
        wb.save(path)
    cell = f"{openpyxl.utils.get_column_letter(c + 1)}{FIRST_DATA_ROW + r}"
    problems = check([path], Config()).problems
    assert any(p.sheet == sheet and p.cell == cell and p.is_error for p in problems), (
        sheet,
        cell,
        value,
        [(p.code, p.sheet, p.cell) for p in problems],
    )


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sheet=st.sampled_from(sorted(BASE_ROWS)), data=st.data())
def test_a_damaged_header_or_sheet_name_is_reported(tmp_path, sheet, data):
    how = data.draw(st.sampled_from(["rename", "header"]), label="how")
    expected, error = "unknown-sheet", True
    if how == "rename":
        damaged = _renamed(
            sheet, sheet + data.draw(st.sampled_from(["1", "(舊)", "_備份"]), label="suffix")
        )
    else:
        c = data.draw(st.integers(0, len(SHEETS_BY_NAME[sheet].columns) - 1), label="column")
        damaged = _changed(
            sheet, 2, c + 1, data.draw(st.sampled_from([None, "欄位", "?"]), label="header")
        )
        # A lost optional header only warns: the other columns are read as usual.
        column = SHEETS_BY_NAME[sheet].columns[c]
        expected, error = ("header-missing", True) if column.required else ("column-missing", False)
    path = tmp_path / "damaged.xlsx"
    with damaged as wb:
        wb.save(path)
    problems = check([path], Config()).problems
    if (
        how == "header"
        and column.optional
        and all(len(r) <= c or r[c] is None for r in BASE_ROWS[sheet])
    ):
        # A v2 column lost with nothing under it reads as a v1 workbook: nothing to say.
        assert not [p for p in problems if p.sheet == sheet], problems
        return
    assert any(p.code == expected and p.is_error is error for p in problems), [
        (p.code, p.sheet) for p in problems
    ]
