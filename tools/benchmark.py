"""Wall time and peak memory of `gmreport build` and `gmreport check`, on the samples and at scale.

    python tools/benchmark.py [--units 9] [--staff 1000] [--runs 3]

Each run is a fresh process (as a person runs it), timed from outside; peak memory is the
child's maximum resident set size. The large case is made from the blank template: `units`
workbooks of `staff` people with three training records each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gmreport.blank_workbook import FIRST_DATA_ROW, blank_workbook  # noqa: E402
from gmreport.config import DEFAULT_UNITS  # noqa: E402


def measure(args: list[str], runs: int) -> tuple[float, float]:
    """Median wall seconds and largest peak RSS (MiB) of `python -m gmreport ARGS`."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "gmreport", *args],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(child.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"gmreport {' '.join(args)} failed")
    return statistics.median(times), max(peaks)


def make_large(folder: Path, units: int, staff: int) -> int:
    """Write `units` workbooks of `staff` people each; return the number of data rows."""
    rows = 0
    for u, unit in enumerate((list(DEFAULT_UNITS) * (units // len(DEFAULT_UNITS) + 1))[:units]):
        wb = blank_workbook(agency="高雄市旗津區公所", unit=unit, year=113)
        roster, training = wb["人員名冊"], wb["培力紀錄"]
        for i in range(staff):
            name = f"人員{u:02d}-{i:05d}"
            roster.append([name, "男女"[i % 2], "公務人員", "是" if i % 20 == 0 else "否"])
            for k in range(3):
                training.append(
                    [name, "性別主流化課程", "CEDAW", "數位", f"113/{k + 3}/{i % 28 + 1}", 1]
                )
        # append() lands after the template's formatted rows; move the data up under the header.
        for ws in (roster, training):
            first = ws.max_row - (staff if ws is roster else staff * 3) + 1
            ws.move_range(f"A{first}:I{ws.max_row}", rows=FIRST_DATA_ROW - first)
        name = f"113年度_{unit}_{u}.xlsx" if units > len(DEFAULT_UNITS) else f"113年度_{unit}.xlsx"
        wb.save(folder / name)
        rows += staff * 4
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=len(DEFAULT_UNITS))
    parser.add_argument("--staff", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        results.append(
            ("build input_samples", *measure(["build", "--output", str(out)], args.runs))
        )
        results.append(("check input_samples", *measure(["check", "input_samples"], args.runs)))
        large = Path(tmp) / "large"
        large.mkdir()
        rows = make_large(large, args.units, args.staff)
        label = f"build {args.units} units × {args.staff} staff ({rows:,} rows)"
        build = ["build", "--input", str(large), "--output", str(Path(tmp) / "large-out")]
        results.append((label, *measure(build, args.runs)))
    print(f"{'case':<52} {'median s':>9} {'peak MiB':>9}")
    for name, seconds, peak in results:
        print(f"{name:<52} {seconds:>9.2f} {peak:>9.0f}")


if __name__ == "__main__":
    main()
