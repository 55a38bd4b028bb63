"""Earlier years' figures (SPEC §3 ★ History): the `{Y}年度統計數據.json` of earlier builds.

A build reads them from its output folder and from each `--history` folder, each file
through `figures_file` (the roll-up's reader too). A file of another agency or schema,
one that cannot be read or is not whole figures, and one of a year not before the year
built are named in a warning and not used; of two files for one year the newer (by the
build time it records, else by the file's time) is used, with a warning. What is used is
kept as the file said (a file made before small groups were hidden gets the cells today's
rule hides), less its own `history` (so files do not nest ever deeper).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from .figures import SCHEMA_ID, EarlierYear, built_at
from .figures_file import FiguresFile, Unusable, clean, figures_of, load_json
from .problems import Problem, problem

FIGURES_GLOB = "*年度統計數據.json"


@dataclass
class History:
    """The earlier years' figures found, by year, and what was found wrong on the way."""

    years: dict[int, EarlierYear] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def as_json(self) -> dict[str, EarlierYear]:
        """The `history` of the figures: keyed by the ROC year as text, oldest first."""
        return {str(year): self.years[year] for year in sorted(self.years)}


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
    by_year: dict[int, list[FiguresFile]] = {}
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
        # less its own `history`, so that files do not nest ever deeper
        less = {k: v for k, v in newest.figures.items() if k != "history"}
        history.years[y] = cast(EarlierYear, less)
    return history


def _read(
    path: Path, agency: str, year: int, problems: list[Problem], own_output: bool = False
) -> FiguresFile | None:
    """The file's figures if they are this agency's of a year before `year`, else None
    with a warning (none for the build's own later output)."""

    def reject(code: str, **params: Any) -> None:
        problems.append(problem(code, file=str(path), **params))

    loaded = load_json(path)
    if isinstance(loaded, Unusable):
        reject("history-unreadable", detail=loaded.reason)
        return None
    data = clean(loaded.data)  # its strings as the roll-up reads them: no control characters
    if isinstance(data, dict):  # which agency and year, before the whole file is checked
        if data.get("schema") != SCHEMA_ID:
            reject("history-other-schema", value=data.get("schema") or "未載明", expected=SCHEMA_ID)
            return None
        found_year = data.get("year")
        if isinstance(found_year, int) and not isinstance(found_year, bool):
            if data.get("agency") != agency:
                reject(
                    "history-other-agency", value=data.get("agency") or "未載明", expected=agency
                )
                return None
            if found_year >= year:
                if not own_output:
                    reject("history-later-year", value=found_year, expected=year)
                return None
    figures = figures_of(data)
    if isinstance(figures, Unusable):  # edited by hand or cut short: not to be compared
        reject("history-unreadable", detail=figures.reason)
        return None
    return FiguresFile(path, figures, built_at(figures, loaded.mtime))


def earlier_workbook_years(
    set_aside_years: list[int | None], history: History, year: int
) -> list[int]:
    """Earlier years whose workbooks lie in the input folder but whose figures were not found:
    building them first would give the report its comparison."""
    return sorted(
        {y for y in set_aside_years if y is not None and y < year and y not in history.years}
    )
