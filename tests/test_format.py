"""One way to show each kind of value: rates, counts, hours, dates and yes/no (SPEC §3)."""

from __future__ import annotations

import datetime as dt

import pytest

from gmreport.format import (
    average_hours,
    cell_rate,
    display_width,
    hours,
    number,
    percent,
    roc_date,
    roc_period,
    roc_short_date,
    shown_rate,
    yes_no,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.9684, "96.8%"),
        (0.968421052631579, "96.8%"),
        (1.0, "100.0%"),
        (0.0, "0.0%"),
        (0.99951, "99.9%"),  # short of 100% never reads as 100.0%
        (0.9996, "99.9%"),
        (58350 / 60000, "97.3%"),  # 0.9725, stored as 0.97249999…, rounds half up
        (0.5725, "57.3%"),
        (0.0125, "1.3%"),
        (0.00049, "0.0%"),
        (2 / 3, "66.7%"),
        (float("nan"), "—"),
        (None, "—"),
    ],
)
def test_percent(value: float | None, text: str) -> None:
    assert percent(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(1250000, "1,250,000"), (0, "0"), (160.5, "160.5"), (2.14, "2.14"), (30.0, "30"), (None, "—")],
)
def test_number(value: float | None, text: str) -> None:
    assert number(value) == text


@pytest.mark.parametrize(
    ("rate", "fraction"), [(0.9725, 0.973), (0.9996, 0.999), (1.0, 1.0), (1 / 3, 0.333)]
)
def test_a_workbook_cell_holds_the_rate_the_report_shows(rate: float, fraction: float) -> None:
    assert shown_rate(rate) == fraction
    assert percent(shown_rate(rate)) == percent(rate)


@pytest.mark.parametrize(("rate", "held"), [(0.9725, 0.9725), (0.99951, 0.999), (1.0, 1.0)])
def test_a_cell_keeps_the_exact_rate_unless_it_would_read_100_percent(rate, held) -> None:
    assert cell_rate(rate) == held


@pytest.mark.parametrize(
    ("value", "text"),
    [(29, "29.0"), (213.5, "213.5"), (0.25, "0.3"), (1234.25, "1,234.3"), (None, "—")],
)
def test_hours_line_up_with_one_decimal_rounded_half_up(value: float | None, text: str) -> None:
    assert hours(value) == text


def test_average_hours_have_two_decimals() -> None:
    assert average_hours(231.5 / 94) == "2.46"
    assert average_hours(2.125) == "2.13"
    assert average_hours(None) == "—"


def test_roc_dates() -> None:
    assert roc_date("2024-03-18") == "113年3月18日"
    assert roc_date(dt.date(2025, 12, 31)) == "114年12月31日"
    assert roc_date(dt.datetime(2024, 1, 2, 15, 0)) == "113年1月2日"
    assert roc_date(None) == roc_date("") == "—"
    assert roc_short_date("2024-05-20") == roc_short_date(dt.date(2024, 5, 20)) == "113/05/20"


def test_a_period_typed_as_a_western_date_reads_in_roc_form() -> None:
    assert roc_period("2024-06-30") == roc_date(dt.date(2024, 6, 30)) == "113年6月30日"
    assert roc_period("2024/6/30 00:00:00") == "113年6月30日"
    assert roc_period("113年底") == "113年底"
    assert roc_period("2024-02-30") == "2024-02-30"  # no such day: as typed
    assert roc_period("") == ""


def test_yes_no_and_widths() -> None:
    assert (yes_no(True), yes_no(False)) == ("是", "否")
    assert display_width("CEDAW宣導") == 5 + 2 * 2
