"""Everything a person reads, from a value: ROC dates, counts, hours, rates and yes/no.

One module, so the report, the statistics workbook, the 檢核結果 and every message show a
value the same way. Rates follow one rule (SPEC §3): computed from exact counts, shown to
0.1% rounded half up (0.9725 → 97.3%), and a rate short of 100% never reads as 100.0%.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .schema import NO, YES

ROC_OFFSET = 1911
NONE = "—"
"""What a person reads where there is no value (a rate of nobody, a blank date)."""

_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
"""What Word and other programs put where a person sees a new line: Word's manual line
break (Shift+Enter) is the vertical tab that .xlsx files write as `_x000B_`."""
_UNWRITABLE = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters no .xlsx, .docx or .ods can hold (controls, lone surrogates, non-characters)."""


def writable(value: str) -> str:
    """`value` as every file gmreport writes can hold it: line breaks as `\n`, tabs kept,
    control characters dropped (SPEC §2 ◆: text pasted from Word is kept, with its line
    breaks, and never crashes a writer)."""
    if value.isascii() and value.isprintable():
        return value
    return _UNWRITABLE.sub("", _LINE_BREAKS.sub("\n", value))


def half_up(value: float, digits: int, *, scale: int = 0) -> Decimal:
    """`value` × 10**scale rounded half up to `digits` decimals, as people round: 97.25 → 97.3.

    Works from the shortest decimal text of the float, so 0.9725 (stored as 0.97249999…)
    rounds as the 0.9725 a person computed.
    """
    exact = Decimal(repr(float(value))).scaleb(scale)
    return exact.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


def _percentage(rate: float) -> Decimal:
    shown = half_up(rate, 1, scale=2)
    return Decimal("99.9") if rate < 1 and shown >= 100 else shown


def shown_rate(rate: float) -> float:
    """The fraction that `percent` shows: 0.9725 → 0.973; a rate below 1 stays below 1."""
    return float(_percentage(rate) / 100)


def cell_rate(rate: float) -> float:
    """The rate to store in a spreadsheet cell formatted 0.0%, which then reads as `percent`
    does: the exact rate, except one short of 100% that the cell would round to 100.0%."""
    return shown_rate(rate) if rate < 1 and half_up(rate, 1, scale=2) >= 100 else rate


SUPPRESSED = "*"
"""A staff cell too small to show (see gmreport.privacy): every function here passes it on."""


def percent(rate: float | str | None) -> str:
    """A fraction as a percentage with one decimal (0.9725 → 97.3%); None → 「—」.

    A rate short of 100% never reads as 100.0%, so a shortfall is never hidden by rounding.
    """
    if rate == SUPPRESSED:
        return SUPPRESSED
    if rate is None or math.isnan(float(rate)):
        return NONE
    return f"{_percentage(float(rate))}%"


def genders(values: Mapping[str, Any], *, rates: bool = False) -> str:
    """「男性 39 人、女性 53 人、其他 1 人」, or with `rates` 「男性 100.0%、女性 96.2%」: each
    性別 of `values` that the report shows. One privacy hides (SUPPRESSED) is left out, and
    其他 when no one is counted there; "" when none is shown."""
    parts = []
    for key, word in (("male", "男性"), ("female", "女性"), ("other", "其他")):
        value = values[key]
        if value == SUPPRESSED or (
            key == "other" and (value is None or (value == 0 and not rates))
        ):
            continue
        parts.append(f"{word} {percent(value)}" if rates else f"{word} {number(value)} 人")
    return "、".join(parts)


def goal_percent(rate: float) -> str:
    """A target's rate as the plan writes it: 1.0 → 100%, 0.95 → 95%, 0.975 → 97.5%."""
    shown = half_up(rate, 1, scale=2)
    return f"{shown.to_integral_value()}%" if shown == shown.to_integral_value() else f"{shown}%"


def number(value: float | str | None) -> str:
    """A count or amount with thousands separators; at most two decimals, none if whole."""
    if value is None:
        return NONE
    if isinstance(value, str):
        return value  # SUPPRESSED
    if isinstance(value, float) and not value.is_integer():
        return f"{half_up(value, 2):,}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def hours(value: float | str | None, digits: int = 1) -> str:
    """Hours with a fixed number of decimals, so a column lines up (29.0, 213.5)."""
    if isinstance(value, str):
        return value  # SUPPRESSED
    return NONE if value is None else f"{half_up(value, digits):,}"


def average_hours(value: float | str | None) -> str:
    """Average hours per person, with two decimals (2.46)."""
    return hours(value, 2)


def yes_no(flag: object) -> str:
    """True → 是, False → 否."""
    return YES if flag else NO


def dimensions(row: Mapping[str, Any]) -> str:
    """An indicator's 複分類 as people read it: 「年齡、里別」, 「是」 if unnamed, else 「否」."""
    return "、".join(row["dimensions"]) or yes_no(row["cross"])


def tally(counts: Mapping[str, int], unit: str) -> str:
    """{"年齡": 3, "里別": 1} → 「年齡 3 項、里別 1 項」."""
    return "、".join(f"{name} {number(n)} {unit}" for name, n in counts.items())


def roc_date(value: str | dt.date | None) -> str:
    """A date (or ISO text) as people write it: 2024-03-18 → 113年3月18日; none → 「—」."""
    if value is None or value == "":
        return NONE
    d = _date(value)
    return f"{d.year - ROC_OFFSET}年{d.month}月{d.day}日"


def roc_period(text: str) -> str:
    """A 資料時間 as typed, in ROC form where it was typed (or read) as a western date:
    2024-06-30 → 113年6月30日; 「113年底」 stays."""
    found = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?", text.strip())
    if found is None or not 1912 <= int(found[1]) <= 9999:
        return text
    try:
        return roc_date(dt.date(int(found[1]), int(found[2]), int(found[3])))
    except ValueError:  # not a day of the calendar: as typed
        return text


def roc_short_date(value: str | dt.date | None) -> str:
    """2024-05-20 → 113/05/20: the ROC date for a table cell (sortable within a year, and
    narrow enough never to break across lines); none → 「—」."""
    if value is None or value == "":
        return NONE
    d = _date(value)
    return f"{d.year - ROC_OFFSET}/{d.month:02d}/{d.day:02d}"


def _date(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def display_width(text: str) -> int:
    """Width in Excel character units, counting a CJK (wide) character as two."""
    if text.isascii():  # no ASCII character is wide: most texts, numbers among them
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def points(rate: float, before: float) -> Decimal:
    """The change between two rates in 百分點, as people compute it from the percentages
    they read (95.2% − 92.0% = 3.2), so the difference never contradicts the rates shown."""
    return _percentage(float(rate)) - _percentage(float(before))
