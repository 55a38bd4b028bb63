"""Reading a `{Y}年度統計數據.json` (SPEC §6): the one place where a figures file becomes
`Figures`, for a build's earlier years (history) and for the roll-up's agencies.

A file is data, never trusted: it is read only up to `MAX_FILE_BYTES`, as UTF-8 with or
without a BOM, without NaN or Infinity, nested at most `MAX_NESTING` deep, and checked
against the published JSON Schema (`figures_schema`). What cannot be used comes back as
`Unusable`: the catalogue's rule `rollup-{code}` with the fields of its message, which the
caller names with the file; nothing in a file raises.

After the check the figures are typed: every key the schema requires is there. What a
file may lack is said by the types (`plan`, `built_at`: `NotRequired`), or filled in: a
missing `history` is read as none, and a file made before small groups were hidden (no
`suppressed`) gets the cells today's rule hides. A year of a file's `history` is kept only if it is whole
figures itself (the schema asks no more of it than its agency and year), so the
comparisons never meet a year with half its figures.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from .figures import SCHEMA_ID, EarlierYear, Figures, YearFigures
from .figures_schema import brief, schema_problem
from .problems import Problem, os_reason, problem

MAX_FILE_BYTES = 20 * 1024 * 1024
"""A figures file is tens of kilobytes; one past this is not read (it could only exhaust memory)."""
MAX_NESTING = 64


@dataclass(frozen=True)
class Unusable:
    """Why a file's content cannot be used: the catalogue's rule `rollup-{code}`, and the
    fields its message is filled with."""

    code: str  # unreadable | too-large | not-json | other-schema | invalid
    detail: str = ""  # unreadable, too-large, invalid
    value: str = ""  # other-schema: the file's version
    expected: str = ""  # other-schema: this tool's version

    def problem(self, file: str = "") -> Problem:
        """The problem of `file` as the roll-up lists it."""
        fields = {"detail": self.detail, "value": self.value, "expected": self.expected}
        return problem(f"rollup-{self.code}", file=file, **fields)

    @property
    def reason(self) -> str:
        """Why, in Chinese, to follow the file's name."""
        return self.problem().message


@dataclass(frozen=True)
class Loaded:
    """A file's JSON, not yet checked, and the file's modification time (POSIX seconds)."""

    data: object
    mtime: float


@dataclass(frozen=True)
class FiguresFile:
    """A figures file read and checked: its figures, and when it was built."""

    path: Path
    figures: Figures
    built: dt.datetime  # its `built_at`, else the file's modification time


def load_json(path: Path) -> Loaded | Unusable:
    """The JSON of a file, or why it could not be read as JSON."""
    try:
        stat = path.stat()
        if stat.st_size > MAX_FILE_BYTES:
            return Unusable("too-large", detail=f"{stat.st_size / 1024 / 1024:.1f} MB")
        raw = path.read_bytes()
    except OSError as e:
        return Unusable("unreadable", detail=os_reason(e))
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_finite, parse_float=_finite)
        _check_depth(data)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return Unusable("not-json")
    return Loaded(data, stat.st_mtime)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def clean_text(text: str) -> str:
    """A string from a file as it may be shown: no control or direction characters, trimmed."""
    if text.isascii() and text.isprintable():  # nothing to take out or normalise: most keys
        return text.strip()
    return unicodedata.normalize("NFC", _CONTROL.sub("", text)).strip()


def shown_path(path: Path) -> str:
    """A path as it may be shown: a name the system could not decode gets 「?」, and no
    control characters (a file name may hold them)."""
    return clean_text(str(path).encode("utf-8", errors="replace").decode("utf-8"))


def clean(value: object) -> object:
    """`value` (a file's JSON) with every string (keys included) through `clean_text`."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k): clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def figures_of(data: object) -> Figures | Unusable:
    """`data` as typed figures if it is a figures document of this version, else why not.
    Its `history` keeps the years that are whole figures (none when it has no `history`)."""
    if isinstance(data, dict) and "schema" in data and data["schema"] != SCHEMA_ID:
        return Unusable("other-schema", value=brief(data["schema"]), expected=SCHEMA_ID)
    checked = _checked(data)
    if isinstance(checked, str):
        return Unusable("invalid", detail=checked)
    history = checked.get("history") or {}
    return cast(Figures, {**checked, "history": _whole_years(history)})


def _checked(data: object) -> dict[str, Any] | str:
    """`data` if it passes the schema, else why not. A file made before small groups were
    hidden lacks `suppressed`: it gets the cells today's rule hides."""
    if not isinstance(data, dict) or "suppressed" in data:
        wrong = schema_problem(data)
        return wrong if wrong is not None else cast(dict[str, Any], data)
    wrong = schema_problem({**data, "suppressed": []})
    if wrong is not None:
        return wrong
    year = cast(YearFigures, data)
    from .disclosure import protect  # a later stage: only for files made before v3

    return {**data, "suppressed": protect({**year, "suppressed": []})}


def _whole_years(history: dict[str, Any]) -> dict[str, EarlierYear]:
    """The years of a file's `history` that pass the check a file of their own would."""
    checked = {year: _checked(figures) for year, figures in history.items()}
    return {y: cast(EarlierYear, f) for y, f in checked.items() if not isinstance(f, str)}


def _finite(token: str) -> float:
    """A number of the file: NaN, Infinity and one too large for a float are not."""
    value = float(token)
    if not math.isfinite(value):
        raise ValueError(f"{token} is not a finite number")
    return value


def _check_depth(value: object, depth: int = 0) -> None:
    if depth > MAX_NESTING:
        raise ValueError("nested too deeply")
    if isinstance(value, dict | list):
        for v in value.values() if isinstance(value, dict) else value:
            _check_depth(v, depth + 1)
