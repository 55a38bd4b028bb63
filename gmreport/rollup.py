"""The city's view (SPEC §5 rollup): many agencies' `{Y}年度統計數據.json` into one year's
comparison, each file checked against the published JSON Schema (`figures.schema.json`).

A file that cannot be used is never dropped silently: it is listed with the reason. What a
file holds is data, never trusted: its strings lose control characters before they reach
a workbook or the Word report, and the renderers write every text as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .figures import EarlierYear, Figures, built_at
from .figures_file import Unusable, clean, clean_text, figures_of, load_json, shown_path
from .problems import GmreportError, Problem, UsageError, os_reason, problem

Y = TypeVar("Y", Figures, EarlierYear)

# --- Reading and checking the files -------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """One agency-year's figures as read from its file (without the rows of its lists)."""

    file: str
    figures: Figures
    built: float  # when: its `built_at`, else the file's modification time (POSIX seconds)

    @property
    def agency(self) -> str:
        return self.figures["agency"]

    @property
    def year(self) -> int:
        return self.figures["year"]


def find_files(paths: Iterable[Path]) -> list[Path]:
    """The figures files among `paths`: a file as given, a folder's *.json files at any depth."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.json") if p.is_file())
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"找不到「{path}」，請確認統計數據檔或資料夾的路徑。")
    return list(dict.fromkeys(found))


def load(path: Path) -> Submission | Problem:
    """Read one figures file (`figures_file`), its strings cleaned before it is checked;
    what cannot be used comes back as the problem (`rollup-…`) that says why."""
    name = shown_path(path)
    loaded = load_json(path)
    if isinstance(loaded, Unusable):
        return loaded.problem(name)
    figures = figures_of(clean(loaded.data))
    if isinstance(figures, Unusable):
        return figures.problem(name)
    return Submission(name, summary(figures), built_at(figures, loaded.mtime).timestamp())


def summary(figures: Figures) -> Figures:
    """Checked figures as the roll-up keeps them: without the parts the city does not
    compare (each row of the lists, the units' narratives, the files read), in `history`
    too, so that 1,000 files fit easily in memory."""
    kept = _summary(figures)
    return {**kept, "history": {y: _summary(f) for y, f in figures["history"].items()}}


def _summary(figures: Y) -> Y:
    return {
        **figures,
        "meetings": {**figures["meetings"], "list": []},
        "gia": {**figures["gia"], "list": []},
        "indicators": {**figures["indicators"], "list": []},
        "budget": {**figures["budget"], "list": []},
        "cedaw": {**figures["cedaw"], "list": []},
        "other_measures": {**figures["other_measures"], "list": []},
        "narratives": [],
        "files": {"read": [], "set_aside": [], "rejected": []},
    }


# --- The roll-up --------------------------------------------------------------------------


@dataclass
class Rollup:
    """One year of many agencies: what was used, what was not and who sent nothing."""

    year: int
    submissions: list[Submission]  # one per agency, in the expected list's order, then by name
    left_out: list[Problem]  # files not used, with why (duplicates included: a warning)
    set_aside: list[Problem]  # valid files of another year (rollup-other-year)
    expected: list[str] = field(default_factory=list)  # the agencies expected to report
    missing: list[str] = field(default_factory=list)  # expected, and no file of the year
    unexpected: list[str] = field(default_factory=list)  # reported, and not on the list

    @property
    def has_bad_files(self) -> bool:
        """Files that are not valid figures: the input data the city office must chase."""
        return any(p.is_error for p in [*self.left_out, *self.set_aside])


def roll_up(
    paths: list[Path],
    *,
    year: int | None = None,
    expected: list[str] | None = None,
) -> Rollup:
    """Read every figures file among `paths` and gather the agencies of `year` (default: the
    latest year among the valid files). `expected` is the list of agencies that should report."""
    files = find_files(paths)
    if not files:
        raise UsageError(
            f"在「{'、'.join(map(str, paths))}」中找不到任何統計數據檔（*.json）。"
            "請指定各機關「年度統計數據.json」所在的檔案或資料夾。"
        )
    results = [load(f) for f in files]
    loaded = [r for r in results if isinstance(r, Submission)]
    left_out = [r for r in results if isinstance(r, Problem)]
    years = sorted({s.year for s in loaded})
    if not years:
        reasons = "".join(f"\n  {p.file}：{p.message}" for p in left_out)
        raise GmreportError(f"沒有可彙整的統計數據檔：{reasons}")
    if year is None:
        year = years[-1]
    elif year not in years:
        raise UsageError(
            f"找不到 {year} 年度的統計數據檔（找到的年度：{'、'.join(map(str, years))}），"
            f"請改以 --year {years[-1]} 執行，或確認檔案。"
        )
    set_aside = [
        problem("rollup-other-year", file=s.file, unit=s.agency, value=s.year, year=year)
        for s in loaded
        if s.year != year
    ]
    chosen: dict[str, Submission] = {}
    for s in sorted((s for s in loaded if s.year == year), key=lambda s: s.built, reverse=True):
        kept = chosen.setdefault(s.agency, s)
        if kept is not s:
            left_out.append(
                problem(
                    "rollup-duplicate", file=s.file, unit=s.agency, expected=kept.file, year=year
                )
            )
    expected = list(dict.fromkeys(clean_text(a) for a in expected or [] if clean_text(a)))
    order = {name: i for i, name in enumerate(expected)}
    submissions = sorted(chosen.values(), key=lambda s: (order.get(s.agency, len(order)), s.agency))
    return Rollup(
        year,
        submissions,
        left_out,
        set_aside,
        expected,
        missing=[a for a in expected if a not in chosen],
        unexpected=[s.agency for s in submissions if expected and s.agency not in order],
    )


def read_agency_list(path: Path) -> list[str]:
    """The expected agencies: a .txt file (UTF-8, one name a line) or an .xlsx file's first
    column; blank lines and a 「機關名稱」 header are skipped."""
    if not path.is_file():
        raise UsageError(f"找不到機關清單「{path}」，請確認 --agencies 的路徑。")
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            names = _xlsx_first_column(path)
        elif suffix in (".txt", ".csv", ""):
            names = path.read_text(encoding="utf-8-sig").splitlines()
            names = [n.split(",")[0] for n in names] if suffix == ".csv" else names
        else:
            raise UsageError(
                f"機關清單「{path.name}」須為文字檔（.txt，每行一個機關）或 Excel 檔（.xlsx，第一欄）。"
            )
    except UnicodeDecodeError:
        raise UsageError(
            f"機關清單「{path.name}」不是 UTF-8 編碼，請以記事本開啟後另存為 UTF-8。"
        ) from None
    except OSError as e:
        raise UsageError(f"無法讀取機關清單「{path}」（{os_reason(e)}）。") from None
    cleaned = [clean_text(str(n)) for n in names]
    return [n for n in cleaned if n and n not in ("機關名稱", "機關")]


def _xlsx_first_column(path: Path) -> list[Any]:
    """The first worksheet's first column, once the file has passed the safety gate that
    units' workbooks pass (SPEC §5 ◆: a zip bomb named 清單.xlsx is refused, not opened)."""
    from .read import read_grids
    from .safety import Refused, inspect_workbook

    try:
        inspect_workbook(path)
        grids = read_grids(path)
    except Refused as e:
        raise UsageError(
            f"無法開啟機關清單「{path.name}」：{e.problem().message}"
            "請另存為只有機關名稱一欄的 .xlsx，或改用文字檔（.txt，每行一個機關）。"
        ) from None
    first = next(iter(grids.values()), [])
    return [row[0] for row in first if row and row[0] not in (None, "")]
