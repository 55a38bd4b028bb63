"""input_samples/ is exactly what tools/make_samples.py writes, and reads as the schema says."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from gmreport.schema import INFO_SHEET, SHEETS

from .conftest import SAMPLES, SAMPLES_ROOT, WORKBOOK_SUFFIXES, load_tool, once, sheet_values

# More than any sample sheet's rows (at most 29). The cell values make_samples writes do not
# depend on how many rows the blank template formats; 50 instead of 500 makes this 5x faster.
FORMATTED_ROWS = 50


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples written anew by tools/make_samples.py, once for all workers."""

    def make(out: Path) -> Path:
        load_tool("make_samples").make_samples(out)  # as committed: the 填報說明 states the rows
        return out

    return once(tmp_path_factory, "samples", make)


def _values(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    """Every non-empty cell of every sheet, by (row, column)."""
    return {
        title: {
            (r, c): value
            for r, row in enumerate(rows, start=1)
            for c, value in enumerate(row, start=1)
            if value is not None
        }
        for title, rows in sheet_values(path).items()
    }


def _names(root: Path) -> list[str]:
    """Every sample workbook, as its path under the samples folder: 「113/113年度_…」."""
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.suffix in WORKBOOK_SUFFIXES
    )


NAMES = _names(SAMPLES_ROOT)


def test_same_files(regenerated: Path) -> None:
    assert _names(regenerated) == NAMES


def test_one_folder_per_year() -> None:
    assert sorted(p.name for p in SAMPLES_ROOT.iterdir() if p.is_dir()) == ["113", "114"]
    for name in NAMES:
        folder, file = name.split("/")
        assert file.startswith(f"{folder}年度_") or file.startswith("112年度_民政課")


def test_one_unit_sends_ods() -> None:
    assert [n for n in NAMES if n.endswith(".ods")] == [
        "113/113年度_兵役課_性別主流化填報.ods",
        "114/114年度_兵役課_性別主流化填報.ods",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_same_content(regenerated: Path, name: str) -> None:
    stored, fresh = _values(SAMPLES_ROOT / name), _values(regenerated / name)
    assert list(stored) == list(fresh)
    for sheet in stored:
        assert stored[sheet] == fresh[sheet], (
            f"{name} › {sheet} 與 tools/make_samples.py 產生的不同"
        )


@pytest.mark.parametrize("name", NAMES)
def test_calamine_reads_headers_and_info(name: str) -> None:
    frames = pd.read_excel(
        SAMPLES_ROOT / name, sheet_name=None, header=None, engine="calamine", dtype=object
    )
    info = dict(zip(frames[INFO_SHEET][0], frames[INFO_SHEET][1], strict=True))
    assert info["機關名稱"] == "高雄市旗津區公所"
    assert f"{info['年度']}年度_{info['填報單位']}_" in name.split("/")[1]
    for sheet in SHEETS:
        frame = frames[sheet.name]
        assert tuple(frame.iloc[1].dropna()) == sheet.headers


def test_samples_exist() -> None:
    names = set(NAMES)
    assert "113/113年度_人事室_性別主流化填報.xlsx" in names
    assert "113/112年度_民政課_性別主流化填報.xlsx" in names  # last year's, left in the folder
    assert "114/114年度_人事室_性別主流化填報.xlsx" in names
    assert not any("調解委員會" in n for n in names)  # left out on purpose: 未繳交


def test_running_the_tool_again_writes_the_same_bytes(tmp_path: Path) -> None:
    # So that `python tools/make_samples.py` leaves git clean: no time of writing is kept.
    tool = load_tool("make_samples")
    first, second = tmp_path / "1", tmp_path / "2"
    a = tool.write_unit(first, tool.UNITS[0], tool.YEAR, data_rows=FORMATTED_ROWS)
    b = tool.write_unit(second, tool.UNITS[0], tool.YEAR, data_rows=FORMATTED_ROWS)
    assert a.read_bytes() == b.read_bytes()
    for path in (a, *SAMPLES.glob("*.xlsx"), *SAMPLES.glob("*.ods")):
        with zipfile.ZipFile(path) as z:
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}, path.name
            if path.suffix == ".ods":
                continue  # its meta.xml holds no time at all
            core = z.read("docProps/core.xml").decode("utf-8")
        assert core.count(tool.FILLED_ON) == 2, path.name  # created and modified
    ods = next(u for u in tool.UNITS if u.suffix == ".ods")
    c = tool.write_unit(first, ods, tool.YEAR, data_rows=FORMATTED_ROWS)
    d = tool.write_unit(second, ods, tool.YEAR, data_rows=FORMATTED_ROWS)
    assert c.read_bytes() == d.read_bytes()


def test_a_committed_sample_is_exactly_what_the_tool_writes_today(tmp_path: Path) -> None:
    # Cell values are compared above with a faster template; this compares every byte of
    # one file, so a changed template (a prompt, a format) does not leave stale samples.
    tool = load_tool("make_samples")
    unit = tool.UNITS[0]
    made = tool.write_unit(tmp_path, unit, tool.YEAR, tool.OTHER_RECORDS.get(unit.name))
    assert made.read_bytes() == (SAMPLES / made.name).read_bytes(), (
        "input_samples/ is stale: run python tools/make_samples.py"
    )


def test_the_committed_114_sample_is_what_the_tool_writes_today(tmp_path: Path) -> None:
    tool = load_tool("make_samples")
    unit = tool.NEXT_YEAR_UNITS[6]  # 人事室: its meetings and narratives are 114's own
    made = tool.write_unit(tmp_path, unit, tool.NEXT_YEAR, tool.NEXT_YEAR_RECORDS.get(unit.name))
    assert made.read_bytes() == (SAMPLES_ROOT / "114" / made.name).read_bytes(), (
        "input_samples/ is stale: run python tools/make_samples.py"
    )
