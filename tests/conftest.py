"""Fixtures that build small workbooks from the real blank template."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from gmreport.blank import FIRST_DATA_ROW, blank_workbook
from gmreport.schema import SHEETS_BY_NAME

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "input_samples"

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
    ) -> Path:
        wb = blank_workbook(agency=agency, unit=unit, year=year)
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
