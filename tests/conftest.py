"""Fixtures: small workbooks from the real blank template, and input_samples/ built once."""

from __future__ import annotations

import importlib.util
import json
import os
import pickle
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple, TypeVar

import openpyxl
import pandas as pd
import pytest

from gmreport.blank_workbook import FIRST_DATA_ROW, blank_workbook
from gmreport.config import Config
from gmreport.pipeline import Outcome, build, gather
from gmreport.schema import SHEETS_BY_NAME

ROOT = Path(__file__).resolve().parent.parent
SAMPLES_ROOT = ROOT / "input_samples"
SAMPLES = SAMPLES_ROOT / "113"
"""The 113 samples: the year most tests build (114 is built with them in test_history.py)."""
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")
SAMPLE_FILES = sorted(p for p in SAMPLES.iterdir() if p.suffix in WORKBOOK_SUFFIXES)
"""The sample workbooks: .xlsx, and one unit's .ods."""


def sheet_values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's rows of cell values, read apart from gmreport's reader (which uses
    calamine): with openpyxl, or an .ods with pandas' odfpy reader. Blank cells are None."""
    if path.suffix == ".ods":
        frames = pd.read_excel(path, sheet_name=None, header=None, engine="odf", dtype=object)
        return {
            name: [
                tuple(None if pd.isna(v) else v for v in row)
                for row in frame.itertuples(index=False)
            ]
            for name, frame in frames.items()
        }
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}
    finally:
        workbook.close()


def load_tool(name: str) -> ModuleType:
    """A script of tools/ (not a package) imported as a module: load_tool("make_samples")."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


SPARE_ROWS = 5
"""Formatted rows that make_workbook leaves below the longest sheet's rows.

The real template formats DATA_ROWS (500) rows per sheet, which takes most of the time of
writing and reading a workbook; tests of the template itself use it (test_blank_workbook.py).
"""

ROSTER = [
    ["王小明", "男", "公務人員", "是", "否", "40-49歲"],
    ["李美玲", "女", "公務人員", "否", "是", "30-39歲"],
    ["陳志強", "男", "職工", "", "", "50-59歲"],
]
TRAINING = [
    ["王小明", "性別主流化基礎", "性別主流化基礎", "實體", "113/3/5", 3],
    ["李美玲", "性別主流化進階", "性別主流化進階", "數位", "113/4/1", 6],
    ["陳志強", "CEDAW 導論", "CEDAW", "數位", "113/5/2", 2],
]


def fill(ws, rows: list[list[object]], first_row: int = FIRST_DATA_ROW) -> None:
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                ws.cell(first_row + i, j + 1, value)


INCIDENTAL = frozenset(
    {"narrative-missing", "review-missing", "period-review-missing", "chart-missing"}
)
"""The warnings a build adds beside what a test is about: the lead-unit warnings of a
fixture's unit that writes no narratives, and the charts not drawn on a machine without a
Chinese font."""


@pytest.fixture
def make_workbook(tmp_path: Path) -> Callable[..., Path]:
    """Write a standard workbook with `rows` ({sheet name: rows in column order})."""

    def make(
        rows: dict[str, list[list[object]]] | None = None,
        *,
        unit: str = "人事室",
        year: int = 113,
        agency: str = "高雄市旗津區公所",
        name: str | None = None,
        folder: Path | None = None,
        edit: Callable | None = None,
        data_rows: int | None = None,
    ) -> Path:
        if data_rows is None:
            data_rows = max(map(len, (rows or {}).values()), default=0) + SPARE_ROWS
        wb = blank_workbook(agency=agency, unit=unit, year=year, data_rows=data_rows)
        for sheet, sheet_rows in (rows or {}).items():
            assert sheet in SHEETS_BY_NAME, sheet
            fill(wb[sheet], sheet_rows)
        if edit is not None:
            edit(wb)
        path = (folder or tmp_path) / (name or f"{year}年度_{unit}.xlsx")
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
        return path

    return make


@pytest.fixture
def valid_rows() -> dict[str, list[list[object]]]:
    return {"人員名冊": [list(r) for r in ROSTER], "培力紀錄": [list(r) for r in TRAINING]}


T = TypeVar("T")


def once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], T]) -> T:
    """`make(folder)` run once for the whole run, whichever xdist worker asks first, in a
    folder all the workers share: the others wait for it and get a copy of what it
    returned (pickled) and the same files. For session and module fixtures whose builds
    would otherwise run once in each worker; what `make` returns must pickle.

    If `make` fails in one worker, the next to ask runs it again (and fails in its turn)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if worker else base  # each worker's basetemp is in the run's own
    folder, done, lock = (shared / f"once-{name}{end}" for end in ("", ".pickle", ".lock"))
    deadline = time.monotonic() + 600
    while True:
        if done.exists():
            return pickle.loads(done.read_bytes())  # type: ignore[no-any-return]
        try:
            os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:  # another worker is making it
            assert time.monotonic() < deadline, f"{name}: made by another worker too long"
            time.sleep(0.05)
            continue
        try:
            if done.exists():  # made while this worker waited for the lock
                continue
            shutil.rmtree(folder, ignore_errors=True)  # what a failed try left
            folder.mkdir()
            made = make(folder)
            tmp = done.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps(made))
            os.replace(tmp, done)
            return made
        finally:
            lock.unlink()


class SamplesBuild(NamedTuple):
    outcome: Outcome
    out: Path


@pytest.fixture(scope="session")
def samples_build(tmp_path_factory: pytest.TempPathFactory) -> SamplesBuild:
    """input_samples/ through the whole build once, default config, for tests that only read it.

    Tests must not change what it returns or the files in `out`; a test that needs other
    options, a patched environment or its own process runs its own build.
    """
    return once(
        tmp_path_factory,
        "samples-build",
        lambda out: SamplesBuild(build(SAMPLES, out, Config()), out),
    )


def gathered(
    input_dir: Path,
    config: Config | None = None,
    *,
    year: int | None = None,
    draft: bool = False,
    history: list[Path] | None = None,
    output_dir: Path | None = None,
) -> Outcome:
    """What a build of `input_dir` reads and works out, its outputs not written: the
    stage of `build` before the report, the charts and the workbooks (about half a
    build's time), for tests that check only its problems, figures, shortfalls or notes.

    The problems that only writing finds (a chart not drawn, `chart-missing`) are not
    among them; earlier years' figures are read from `output_dir` (default: none there)
    and `history`, as a build reads them."""
    output_dir = output_dir or input_dir.parent / "gathered-out"
    return gather(
        input_dir, output_dir, config or Config(), year=year, draft=draft, history=history
    )


def write(folder: Path, name: str, content: Any) -> Path:
    """A file of bytes, text or JSON (a figures file, say) in `folder`, made if missing."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True, scope="session")
def _every_build_is_audited() -> Any:
    """Every build of the test suite passes the disclosure audit (SPEC §3 ◆): what the
    build hides is checked by the audit's integer programs before anything is written."""
    import gmreport.aggregate
    from gmreport.disclosure import audit

    chosen = gmreport.aggregate.protect

    def audited(figures: Any) -> list[str]:
        hidden = chosen(figures)
        found = audit({**figures, "suppressed": hidden})
        assert found.disclosures == (), found.disclosures
        return hidden

    gmreport.aggregate.protect = audited  # type: ignore[assignment]
    yield
    gmreport.aggregate.protect = chosen  # type: ignore[assignment]


def read_cell(text: str) -> str:
    """A report cell's text as a person reads it: the line breaks the report writes to fit
    a narrow column (「達成」 over 「情形」) left out."""
    return text.replace("\n", "")


EXAMPLE_FIGURES = Path(__file__).parent / "data" / "figures_example.json"
"""A build's figures written by hand: the fixture of the tests of every stage after aggregate."""


def example_figures() -> dict[str, Any]:
    """A fresh copy of the example figures, for a module to change as its tests need."""
    return json.loads(EXAMPLE_FIGURES.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
