"""Figures files of several made-up agencies, for the city roll-up (`gmreport rollup`).

Each agency's units fill the blank standard workbook (`make_samples.fill`, as
input_samples/ does), then the real `gmreport build` runs on them with the agency's own
config (its name, units and targets) and its `{Y}年度統計數據.json` is collected:

    python tools/make_rollup_samples.py [--out DIR] [--year 113]
    gmreport rollup DIR/統計數據 --agencies DIR/機關清單.txt --output DIR/彙整

The agencies are small on purpose and each differs: other units, a unit that sends
nothing (未繳交), other targets (CEDAW 場次, 完訓率), a group small enough to be shown
as 「*」, an agency without its 性平小組 filled in, and one expected agency that sends
nothing at all. Each agency is built for the year before too (its staff trained an hour
less), so its file carries that year in `history` and the roll-up shows the city's trend.
The tests compute the roll-up's figures from these specs.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from make_samples import fill

from gmreport.blank_workbook import blank_workbook
from gmreport.config import Cedaw, Config, Training
from gmreport.pipeline import FIGURES_NAME, build
from gmreport.schema import CIVIL_SERVANT, WORKER

ROOT = Path(__file__).resolve().parent.parent
YEAR = 113
DATA_ROWS = 40
FIGURES_FOLDER = "統計數據"
AGENCY_LIST = "機關清單.txt"

FULL_GROUP = (
    ("男", "召集人"),
    ("女", "人事當然成員"),
    ("女", "會計當然成員"),
    ("男", "調解當然成員"),
    ("女", "研考當然成員"),
    ("女", "婦女社會參與促進小組連絡人"),
    ("男", "指派組員"),
)
"""A 性平執行小組 that meets every target: 7 組員, 召集人, each 當然成員, 3 男 4 女."""


@dataclass(frozen=True)
class Staff:
    """A staff member: gender, 人員類別 and hours of gender training this year (0: none)."""

    gender: str
    staff_type: str
    hours: float


def staff(n: int, gender: str, hours: float, staff_type: str = CIVIL_SERVANT) -> tuple[Staff, ...]:
    return (Staff(gender, staff_type, hours),) * n


@dataclass(frozen=True)
class UnitSpec:
    """One unit's year, compactly: each tuple is the rows of a sheet."""

    name: str
    staff: tuple[Staff, ...] = ()
    members: tuple[tuple[str, str], ...] = ()  # (性別, 角色)
    meetings: int = 0
    gia: tuple[bool, ...] = ()  # each assessment: 諮詢專家學者
    indicators: tuple[str, ...] = ()  # each indicator's 指標狀態
    budget: tuple[tuple[int, int, int, int], ...] = ()  # 編列數, 執行數, 受益人數 男, 女
    cedaw: tuple[tuple[int, int], ...] = ()  # each session's 參與人數 男, 女
    measures: tuple[tuple[int, int], ...] = ()  # each measure's 參與人數 男, 女


@dataclass(frozen=True)
class AgencySpec:
    """An agency: its units' data, the units its config lists but that send nothing, and
    its own targets."""

    name: str
    units: tuple[UnitSpec, ...]
    missing: tuple[str, ...] = ()
    cedaw_sessions: int = 2
    completion_rate: float = 1.0
    config: Config = field(init=False)

    def __post_init__(self) -> None:
        config = Config(
            agency=self.name,
            units=tuple(u.name for u in self.units) + self.missing,
            cedaw=Cedaw(min_sessions=self.cedaw_sessions),
            training=Training(completion_rate=self.completion_rate),
        )
        object.__setattr__(self, "config", config)


AGENCIES = (
    AgencySpec(
        "高雄市海濱區公所",
        (
            UnitSpec(
                "人事室",
                staff(3, "女", 2) + staff(2, "男", 3),
                members=FULL_GROUP,
                meetings=2,
                indicators=("新增",),
            ),
            UnitSpec(
                "民政課",
                staff(4, "男", 2) + staff(4, "女", 2) + staff(1, "女", 1),
                cedaw=((12, 18), (20, 25), (5, 9)),
                measures=((3, 30),),
            ),
            UnitSpec("會計室", staff(3, "女", 4), budget=((500_000, 480_000, 40, 60),)),
        ),
    ),
    AgencySpec(
        "高雄市山林區公所",
        (
            UnitSpec(
                "人事室",
                staff(3, "女", 2) + staff(3, "男", 2),
                members=FULL_GROUP,
                meetings=1,
                gia=(True, False),
            ),
            UnitSpec(
                "社會課",
                staff(5, "女", 2)
                + staff(1, "男", 0)
                + staff(2, "女", 2, WORKER)
                + staff(1, "男", 0, WORKER),
                cedaw=((30, 41), (8, 12)),
                indicators=("既有", "修訂"),
            ),
        ),
        missing=("會計室",),
    ),
    AgencySpec(
        "高雄市港灣區公所",
        (
            UnitSpec(
                "人事室",
                staff(6, "女", 3) + staff(2, "男", 2) + staff(1, "其他", 2),
                members=FULL_GROUP,
                meetings=1,
                budget=((120_000, 90_000, 15, 25), (80_000, 80_000, 10, 10)),
            ),
            UnitSpec("經建課", staff(4, "男", 2) + staff(3, "女", 0), cedaw=((40, 35),)),
        ),
        cedaw_sessions=3,
    ),
    AgencySpec(
        "高雄市田園區公所",
        (
            UnitSpec("人事室", staff(4, "女", 2) + staff(4, "男", 2), meetings=1),
            UnitSpec(
                "兵役課",
                staff(5, "男", 2) + staff(2, "女", 1),
                cedaw=((10, 10), (7, 14)),
                measures=((12, 8), (0, 25)),
                indicators=("新增", "新增"),
                gia=(False,),
            ),
        ),
        completion_rate=0.9,
    ),
)
EXPECTED = (*(a.name for a in AGENCIES), "高雄市燈塔區公所")
"""The agencies the city expects: one of them sends nothing."""


def unit_sheets(unit: UnitSpec, year: int) -> dict[str, list[dict[str, object]]]:
    """The records of each sheet of `unit`'s workbook, by sheet key and column key."""
    day = f"{year}/5/20"
    people = [(f"{unit.name}{i + 1:02d}", s) for i, s in enumerate(unit.staff)]
    return {
        "roster": [
            {"name": name, "gender": s.gender, "staff_type": s.staff_type, "age_group": "40-49歲"}
            for name, s in people
        ],
        "training": [
            {
                "name": name,
                "course": "性別主流化導論",
                "course_type": "性別主流化基礎",
                "mode": "數位",
                "date": day,
                "hours": s.hours,
            }
            for name, s in people
            if s.hours
        ],
        "members": [
            {"name": f"組員{i + 1}", "gender": g, "role": role}
            for i, (g, role) in enumerate(unit.members)
        ],
        "meetings": [
            {
                "session": f"{year}年第{i + 1}次會議",
                "date": f"{year}/{3 + 4 * i}/10",
                "attendance_male": 3,
                "attendance_female": 4,
            }
            for i in range(unit.meetings)
        ],
        "gia": [
            {
                "name": f"施政計畫{i + 1}",
                "type": "施政計畫",
                "date": day,
                "expert": "是" if e else "否",
            }
            for i, e in enumerate(unit.gia)
        ],
        "indicators": [
            {"name": f"{unit.name}指標{i + 1}", "status": status, "male": 10, "female": 12}
            for i, status in enumerate(unit.indicators)
        ],
        "budget": [
            {
                "name": f"性別預算計畫{i + 1}",
                "category": "計畫類",
                "allocated": allocated,
                "executed": executed,
                "beneficiaries_male": m,
                "beneficiaries_female": f,
            }
            for i, (allocated, executed, m, f) in enumerate(unit.budget)
        ],
        "cedaw": [
            {
                "name": f"CEDAW宣導{i + 1}",
                "date": f"{year}/{4 + i}/15",
                "audience": "一般民眾",
                "method": "實體活動",
                "content": "CEDAW條文及應用",
                "participants_male": m,
                "participants_female": f,
            }
            for i, (m, f) in enumerate(unit.cedaw)
        ],
        "measures": [
            {
                "name": f"性平措施{i + 1}",
                "item": "促進婦女經濟參與",
                "date": f"{year}/{6 + i}/1",
                "participants_male": m,
                "participants_female": f,
            }
            for i, (m, f) in enumerate(unit.measures)
        ],
    }


def write_agency_workbooks(agency: AgencySpec, folder: Path, year: int = YEAR) -> list[Path]:
    """Write one filled-in standard workbook per unit of `agency` that reports, into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for unit in agency.units:
        workbook = blank_workbook(
            agency=agency.name, unit=unit.name, year=year, data_rows=DATA_ROWS
        )
        info = {"contact": "承辦人", "phone": "07-0000000", "filed_on": date(year + 1911, 12, 20)}
        fill(workbook, info, {k: v for k, v in unit_sheets(unit, year).items() if v})
        path = folder / f"{year}年度_{unit.name}_性別主流化填報.xlsx"
        workbook.save(path)
        paths.append(path)
    return paths


def build_agency(agency: AgencySpec, work: Path, year: int = YEAR) -> Path:
    """Run the real build on `agency`'s workbooks; the path of the figures file it wrote."""
    inputs = work / agency.name / f"{year}年度填報"
    write_agency_workbooks(agency, inputs, year)
    output = work / agency.name / "產出"
    build(inputs, output, agency.config, year=year)
    return output / FIGURES_NAME.format(year=year)


def year_before(agency: AgencySpec) -> AgencySpec:
    """`agency` a year earlier: everyone trained an hour less, so the trend has a change."""
    units = tuple(
        replace(u, staff=tuple(replace(p, hours=max(0, p.hours - 1)) for p in u.staff))
        for u in agency.units
    )
    return replace(agency, units=units)


def make_rollup_samples(out: Path, year: int = YEAR) -> list[Path]:
    """Build every made-up agency for the year before and then for `year` (so each file
    carries the earlier year in its `history`), collect the figures files in
    `out`/統計數據 and write the expected agencies to `out`/機關清單.txt."""
    folder = out / FIGURES_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with tempfile.TemporaryDirectory(prefix="gmreport-agencies-") as work:
        for agency in AGENCIES:
            build_agency(year_before(agency), Path(work), year - 1)
            built = build_agency(agency, Path(work), year)
            target = folder / f"{agency.name}_{built.name}"
            shutil.copyfile(built, target)
            paths.append(target)
    (out / AGENCY_LIST).write_text("\n".join(EXPECTED) + "\n", encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="產生數個範例機關的統計數據檔，供 gmreport rollup 使用。"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "output" / "彙整範例", help="輸出資料夾")
    parser.add_argument("--year", type=int, default=YEAR, help="民國年度（預設 113）")
    args = parser.parse_args(argv)
    for path in make_rollup_samples(args.out, args.year):
        print(path)
    print(args.out / AGENCY_LIST)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
