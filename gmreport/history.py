"""Earlier years' figures (SPEC §3 ★ History): the `{Y}年度統計數據.json` of earlier builds.

A build reads them from its output folder and from each `--history` folder. A file of
another agency or schema, one that cannot be read, and one of a year not before the year
built are named in a warning and not used; of two files for one year the newer (by the
build time it records, else by the file's time) is used, with a warning. What is used is
kept exactly as the file said, less its own `history` (so files do not nest ever deeper).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .figures import SCHEMA_ID, built_at
from .figures_schema import schema_problem
from .problems import Problem, problem

FIGURES_GLOB = "*年度統計數據.json"

YearFigures = dict[str, Any]
"""One earlier year's figures as its file said (keys of older versions may be missing)."""


@dataclass
class History:
    """The earlier years' figures found, by year, and what was found wrong on the way."""

    years: dict[int, YearFigures] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def as_json(self) -> dict[str, YearFigures]:
        """The `history` of the figures: keyed by the ROC year as text, oldest first."""
        return {str(year): self.years[year] for year in sorted(self.years)}


@dataclass(frozen=True)
class _Found:
    path: Path
    figures: YearFigures
    built: dt.datetime


def built_now() -> str:
    """The build time a figures file records (`built_at`): local time, to the second."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def read_history(
    folders: list[Path], *, agency: str, year: int, skip: Path | None = None
) -> History:
    """The figures of `agency`'s years before `year` in the figures files of `folders`.

    `skip` is the file the build is about to write (its own earlier run): never a warning.
    In its folder (the output folder), this agency's later years are the build's own later
    outputs (114 built, then 113 rebuilt): not used, and not a warning either.
    """
    history = History()
    seen: set[Path] = set()
    by_year: dict[int, list[_Found]] = {}
    skipped = skip.resolve() if skip is not None else None
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob(FIGURES_GLOB)):
            resolved = path.resolve()
            if resolved in seen or resolved == skipped:
                continue
            seen.add(resolved)
            own_output = skipped is not None and resolved.parent == skipped.parent
            found = _read(path, agency, year, history.problems, own_output)
            if found is not None:
                by_year.setdefault(found.figures["year"], []).append(found)
    for y in sorted(by_year):
        candidates = sorted(by_year[y], key=lambda f: f.built)
        newest = candidates[-1]
        if len(candidates) > 1:
            others = "、".join(f"「{f.path}」" for f in candidates[:-1])
            history.problems.append(
                problem(
                    "history-duplicate-year",
                    file=str(newest.path),
                    year=y,
                    detail=others,
                )
            )
        history.years[y] = {k: v for k, v in newest.figures.items() if k != "history"}
    return history


def _read(
    path: Path, agency: str, year: int, problems: list[Problem], own_output: bool = False
) -> _Found | None:
    def reject(code: str, **params: Any) -> None:
        problems.append(problem(code, file=str(path), **params))

    try:
        figures = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        reject("history-unreadable", detail=_why(e))
        return None
    if not isinstance(figures, dict):
        reject("history-unreadable", detail="內容不是統計數據")
        return None
    if figures.get("schema") != SCHEMA_ID:
        reject("history-other-schema", value=figures.get("schema") or "未載明", expected=SCHEMA_ID)
        return None
    found_year = figures.get("year")
    if not isinstance(found_year, int) or isinstance(found_year, bool):
        reject("history-unreadable", detail="未載明年度")
        return None
    if figures.get("agency") != agency:
        reject("history-other-agency", value=figures.get("agency") or "未載明", expected=agency)
        return None
    if found_year >= year:
        if not own_output:
            reject("history-later-year", value=found_year, expected=year)
        return None
    invalid = schema_problem(figures)
    if invalid is not None:  # edited by hand or cut short: its figures cannot be compared
        reject("history-unreadable", detail=f"不符合統計數據檔格式：{invalid}")
        return None
    return _Found(path, figures, built_at(figures, path.stat().st_mtime))


def _why(error: Exception) -> str:
    if isinstance(error, OSError):
        return "無法開啟檔案"
    if isinstance(error, UnicodeDecodeError):
        return "檔案不是 UTF-8 文字"
    return "JSON 格式錯誤或檔案不完整"


def earlier_workbook_years(
    set_aside_years: list[int | None], history: History, year: int
) -> list[int]:
    """Earlier years whose workbooks lie in the input folder but whose figures were not found:
    building them first would give the report its comparison."""
    return sorted(
        {y for y in set_aside_years if y is not None and y < year and y not in history.years}
    )
