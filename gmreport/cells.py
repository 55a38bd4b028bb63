"""Turning one cell as people really type it into a value (SPEC §2, 'Cell values'), and
the A1 addresses of cells."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

from .format import ROC_OFFSET, roc_date, writable


class CellProblem(ValueError):
    """A cell that cannot be read; `code` is a catalogue code, `params` fill its message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def is_blank(raw: object) -> bool:
    """None, empty or white text, and the missing values NaN and NaT."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    return raw != raw  # NaN and NaT are the values unequal to themselves


def text(raw: object) -> str:
    """Trimmed text; whole numbers read as numbers come back without '.0'."""
    if is_blank(raw):
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return roc_date(raw)
    return writable(str(raw)).strip()


INVISIBLE = re.compile(
    "[\u00ad\u034f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
"""Characters that show as nothing (zero-width spaces and joiners, the soft hyphen, the
word joiner, direction marks, the BOM): pasted from web pages and Word, they would make one
name two (SPEC §2 ◆)."""


def visible(value: str) -> str:
    """`value` without the characters that show as nothing (see INVISIBLE)."""
    return value if value.isascii() else INVISIBLE.sub("", value)


def normalize(raw: object) -> str:
    """Text compared against a fixed vocabulary: NFKC (full-width → half-width), without
    invisible characters, trimmed."""
    return visible(unicodedata.normalize("NFKC", text(raw))).strip()


def choice_key(raw: object) -> str:
    """How a typed choice is matched: NFKC, no whitespace, Latin case folded (ＣＥＤＡＷ → cedaw)."""
    return re.sub(r"\s+", "", normalize(raw)).casefold()


def dimensions(raw: object) -> tuple[str, ...] | None:
    """複分類 as typed: None for none (blank, 否, 無), () for 是, else the dimensions named,
    split on 、，, and spaces: 「年齡、里別」 → ("年齡", "里別")."""
    text = normalize(raw)
    if text in ("", "否", "無"):
        return None
    if text == "是":
        return ()
    parts = (p for p in re.split(r"[、，,;；\s]+", text) if p)
    return tuple(dict.fromkeys(parts))


def name(raw: object) -> str:
    """A person's name or a column's header as people type it: NFKC, with all whitespace
    removed (王 小明 → 王小明, 「姓 名」 → 「姓名」)."""
    return re.sub(r"\s+", "", normalize(raw))


# An ROC year may be written with a leading zero (0114/5/6), as some systems export it.
_ROC_DATE = re.compile(r"(?:民國)?0?(\d{2,3})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})")
_ROC_WORDS = re.compile(r"(?:民國)?\s*0?(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
_AD_DATE = re.compile(r"(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:[ T]00:00(?::00)?)?")


FIRST_DAY, LAST_DAY = date(ROC_OFFSET + 1, 1, 1), date(ROC_OFFSET + 300, 12, 31)
"""The dates a cell may hold: ROC years 1 to 300. Outside them a date is a typo or a
system's stand-in for "none" (9999/12/31), and would overflow what counts days."""


def parse_date(raw: object) -> date:
    """A real Excel date, or 113/3/5, 0113/3/5, 113.03.05, 113年3月5日, 2024-03-05, 2024/3/5;
    between FIRST_DAY and LAST_DAY."""
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return _within(raw, f"{raw.year}/{raw.month}/{raw.day}")
    value = normalize(raw)
    for pattern, offset in ((_ROC_DATE, ROC_OFFSET), (_ROC_WORDS, ROC_OFFSET), (_AD_DATE, 0)):
        if m := pattern.fullmatch(value):
            y, mo, d = (int(g) for g in m.groups())
            try:
                found = date(y + offset, mo, d)
            except ValueError:
                break
            return _within(found, text(raw))
    raise CellProblem("bad-date", value=text(raw))


def _within(day: date, typed: str) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise CellProblem("date-out-of-range", value=typed)
    return day


def year_bounds(roc_year: int) -> tuple[date, date]:
    """1 January and 31 December of a ROC year: 113 → 2024-01-01, 2024-12-31."""
    return date(roc_year + ROC_OFFSET, 1, 1), date(roc_year + ROC_OFFSET, 12, 31)


UNIT_WORDS = "人次|人|名|位|小時|時|hrs|hr|h|元|場次|場|次|件|項|個"
"""The units a number may be typed with (3人, 1.5小時, 500元), longest first where one
holds another."""
_NUMBER = re.compile(rf"([+-]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)\s*(?:{UNIT_WORDS})?", re.I)
_CHINESE_DIGITS = dict(
    zip("零〇一二兩三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True)
)
_CHINESE_SCALES = {"十": 10, "百": 100, "千": 1000, "萬": 10000}
_CHINESE_NUMBER = re.compile(rf"([零〇一二兩三四五六七八九十百千萬]+)\s*(?:{UNIT_WORDS})?")


def parse_number(raw: object) -> float:
    """A number: full-width digits, thousands separators and a trailing unit are accepted."""
    if isinstance(raw, bool):
        raise CellProblem("bad-number", value=text(raw))
    if isinstance(raw, int | float):
        return float(raw)
    value = normalize(raw)
    if m := _NUMBER.fullmatch(value):
        return float(m.group(1).replace(",", ""))
    if (m := _CHINESE_NUMBER.fullmatch(value)) and (n := chinese_to_int(m.group(1))) is not None:
        raise CellProblem("chinese-numeral", value=text(raw), suggestion=str(n))
    raise CellProblem("bad-number", value=text(raw))


def chinese_to_int(digits: str) -> int | None:
    """十二 → 12, 一百零五 → 105, 兩千 → 2000, 三萬五千 → 35000; None if not a number (兩三)."""
    total, section, number = 0, 0, 0
    previous = ""
    for ch in digits:
        if ch in _CHINESE_DIGITS:
            if previous in _CHINESE_DIGITS and previous not in "零〇" and ch not in "零〇":
                return None
            number = _CHINESE_DIGITS[ch]
        elif ch == "萬":
            total += (section + number) * 10000
            section, number = 0, 0
        else:
            section += (number or 1) * _CHINESE_SCALES[ch]
            number = 0
        previous = ch
    return total + section + number


def column_letters(n: int) -> str:
    """The letters of the `n`th column: 1 → A, 27 → AA."""
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


FAR = 10**10
"""A row or column past any sheet's: what an absurdly long address reads as."""


def cell_position(ref: str) -> tuple[int, int] | None:
    """(row, column) of an A1 address (`$A$1` too), or None when `ref` is no address (A0 is
    none). More than four letters or ten digits, which no sheet has, read as FAR."""
    bare = ref.replace("$", "")
    letters = bare.rstrip("0123456789")
    digits = bare[len(letters) :]
    if not (letters and digits and letters.isascii() and letters.isalpha()):
        return None
    row = int(digits) if len(digits) <= 10 else FAR
    if row == 0:
        return None
    if len(letters) > 4:
        return row, FAR
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return row, col


def range_bounds(ref: str) -> tuple[int, int, int, int] | None:
    """First column, first row, last column and last row of an A1:B2 (or A1) range, as
    written; None for anything else (A1:, A1:B2:C3)."""
    first, colon, last = ref.partition(":")
    top_left, bottom_right = cell_position(first), cell_position(last if colon else first)
    if top_left is None or bottom_right is None:
        return None
    (min_row, min_col), (max_row, max_col) = top_left, bottom_right
    return min_col, min_row, max_col, max_row


def reading_order(ref: str) -> tuple[int, int, int, str]:
    """How cells are listed for a person: none (a sheet-wide problem) first, then by row
    and column (A9 before A10, Z1 before AA1), a range by its first cell, and anything that
    is no address last."""
    if not ref:
        return (0, 0, 0, "")
    position = cell_position(ref.partition(":")[0])
    if position is None:
        return (2, 0, 0, ref)
    return (1, *position, ref)
