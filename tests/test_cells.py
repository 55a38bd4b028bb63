from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gmreport import cells, format
from gmreport.cells import CellProblem


@pytest.mark.parametrize(
    "raw",
    [
        datetime(2024, 3, 5),
        date(2024, 3, 5),
        "113/3/5",
        "113.03.05",
        "113-3-5",
        "113年3月5日",
        "民國113年3月5日",
        "2024-03-05",
        "2024/3/5",
        "２０２４/３/５",
        " 113/03/05 ",
        "2024-03-05 00:00:00",
        "0113/3/5",  # a system's export, with the ROC year's leading zero
        "0113.03.05",
        "民國0113年3月5日",
    ],
)
def test_dates_as_people_type_them(raw):
    assert cells.parse_date(raw) == date(2024, 3, 5)


@pytest.mark.parametrize(
    "raw", ["114/13/45", "113/2/30", "三月五日", "2024", "3/5", "45356", "下週"]
)
def test_impossible_or_unknown_dates(raw):
    with pytest.raises(CellProblem) as e:
        cells.parse_date(raw)
    assert e.value.code == "bad-date"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (datetime(1900, 2, 28), "1900/2/28"),  # Excel's serial 60, its 1900/2/29, read
        (date(1900, 1, 1), "1900/1/1"),  # serial 1
        (date(9999, 12, 31), "9999/12/31"),  # a system's "no end"
        ("9999/12/31", "9999/12/31"),
        ("1024/3/5", "1024/3/5"),  # 2024 mistyped
        ("2912-01-01", "2912-01-01"),
        (date(1, 1, 1), "1/1/1"),
    ],
)
def test_dates_outside_roc_years_1_to_300_are_errors_quoting_the_cell(raw, shown):
    with pytest.raises(CellProblem) as e:
        cells.parse_date(raw)
    assert (e.value.code, e.value.params["value"]) == ("date-out-of-range", shown)


@settings(max_examples=300)
@given(st.dates(), st.sampled_from(["{y}/{m}/{d}", "{y}.{m:02}.{d:02}", "{y}年{m}月{d}日"]))
def test_any_date_typed_is_read_in_range_or_named_never_a_negative_year(day, form):
    roc = day.year - format.ROC_OFFSET
    typed = form.format(y=roc if 1 <= roc <= 999 else day.year, m=day.month, d=day.day)
    for raw in (day, typed):
        try:
            found = cells.parse_date(raw)
        except CellProblem as e:
            assert e.code in ("bad-date", "date-out-of-range")
            assert "-" not in str(e.params["value"]).split("/")[0]
            continue
        assert cells.FIRST_DAY <= found <= cells.LAST_DAY
        assert format.roc_date(found)[0].isdigit()


def test_roc_date():
    assert format.roc_date(date(2025, 3, 18)) == "114年3月18日"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (12, 12.0),
        (1.5, 1.5),
        ("12", 12.0),
        ("１２", 12.0),
        ("1,200,000", 1200000.0),
        ("2小時", 2.0),
        ("2 小時", 2.0),
        ("1.5hr", 1.5),
        ("12人", 12.0),
        ("500元", 500.0),
        ("-3", -3.0),
    ],
)
def test_numbers_as_people_type_them(raw, value):
    assert cells.parse_number(raw) == value


@pytest.mark.parametrize(
    ("raw", "suggestion"), [("十二", "12"), ("三小時", "3"), ("一百零五人", "105")]
)
def test_chinese_numerals_get_a_suggestion(raw, suggestion):
    with pytest.raises(CellProblem) as e:
        cells.parse_number(raw)
    assert e.value.code == "chinese-numeral"
    assert e.value.params["suggestion"] == suggestion


@pytest.mark.parametrize("raw", ["abc", "1,2", "12.3.4", True, "兩三個"])
def test_not_numbers(raw):
    with pytest.raises(CellProblem) as e:
        cells.parse_number(raw)
    assert e.value.code == "bad-number"


@pytest.mark.parametrize(
    ("digits", "value"),
    [
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("兩千", 2000),
        ("三萬五千", 35000),
    ],
)
def test_chinese_to_int(digits, value):
    assert cells.chinese_to_int(digits) == value


def test_names_lose_whitespace_and_width():
    assert cells.name(" 王 小明（A） ") == "王小明(A)"
    assert cells.name("王\u3000小明") == "王小明"


def test_text_of_whole_floats_and_blanks():
    assert cells.text(3.0) == "3"
    assert cells.text(float("nan")) == ""
    assert cells.is_blank("  ")
    assert not cells.is_blank(0)


@pytest.mark.parametrize(
    ("typed", "dimensions"),
    [
        (None, None),
        ("", None),
        ("否", None),
        ("無", None),
        ("是", ()),
        ("年齡", ("年齡",)),
        ("年齡、里別", ("年齡", "里別")),
        ("年齡，里別", ("年齡", "里別")),
        ("年齡, 職等", ("年齡", "職等")),
        (" 年齡  教育程度 ", ("年齡", "教育程度")),
        ("年齡、年齡", ("年齡",)),
        ("ＡＢＣ族群", ("ABC族群",)),
    ],
)
def test_cross_classification_names_its_dimensions(typed, dimensions):
    assert cells.dimensions(typed) == dimensions


@pytest.mark.parametrize(
    ("ref", "position"),
    [
        ("A1", (1, 1)),
        ("$C$12", (12, 3)),
        ("aa10", (10, 27)),
        ("XFD1048576", (1048576, 16384)),
        ("ABCDE1", (1, cells.FAR)),
        ("A" + "9" * 5000, (cells.FAR, 1)),
        ("A", None),
        ("12", None),
        ("甲1", None),
        ("A0", None),
        ("", None),
    ],
)
def test_cell_positions(ref, position):
    assert cells.cell_position(ref) == position


def test_ranges_and_column_letters():
    assert cells.range_bounds("B3:D7") == (2, 3, 4, 7)
    assert cells.range_bounds("C5") == (3, 5, 3, 5)
    assert cells.range_bounds("B3:x") is None
    assert cells.range_bounds("B3:") is None
    assert cells.range_bounds("B3:C4:D5") is None
    assert [cells.column_letters(n) for n in (1, 26, 27, 16384)] == ["A", "Z", "AA", "XFD"]
    for n in range(1, 1000):
        assert cells.cell_position(f"{cells.column_letters(n)}1") == (1, n)


def test_cells_are_listed_as_people_read_them():
    refs = ["AA1", "A10", "", "B9", "A9", "Z1", "第3列", "A5:A7", "A6"]
    assert sorted(refs, key=cells.reading_order) == [
        "",
        "Z1",
        "AA1",
        "A5:A7",
        "A6",
        "A9",
        "B9",
        "A10",
        "第3列",
    ]
