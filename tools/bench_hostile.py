"""Wall time and peak memory of `gmreport.safety.inspect_workbook` on hostile workbooks.

    python tools/bench_hostile.py [--bomb-gb 5] [--runs 3] [--compare]

Each inspection runs in a fresh process, so the memory it reports is its own: the peak
resident set size, and how far that peak rose above the process's size after imports. Time
is the inspection alone (median of the runs). With --compare, each file is also handed
straight to pandas + python-calamine, as the reader would without the check, in a process
capped at 4 GB of address space and 120 s, to show what the inspection prevents.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from tests import hostile  # noqa: E402

# ru_maxrss of a child starts at its parent's size when forked, so the peak is read from
# VmHWM, which belongs to the process image and starts afresh at exec.
PEAK = """
def peak_mib():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024
"""

INSPECT = (
    PEAK
    + """
import json, sys, time
from pathlib import Path
from gmreport.safety import Refused, inspect_workbook
before = peak_mib()
start = time.perf_counter()
try:
    inspect_workbook(Path(sys.argv[1]))
    outcome = "pass"
except Refused as e:
    outcome = e.code
elapsed = time.perf_counter() - start
print(json.dumps([outcome, elapsed, before, peak_mib()]))
"""
)

READ_DIRECTLY = (
    PEAK
    + """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
import pandas as pd
start = time.perf_counter()
try:
    frames = pd.read_excel(sys.argv[1], sheet_name=None, header=None, engine="calamine")
    outcome = "read " + ", ".join(f"{len(f)}×{len(f.columns)}" for f in frames.values())
except Exception as e:
    outcome = f"{type(e).__name__}: {str(e)[:40]}"
print(json.dumps([outcome, time.perf_counter() - start, peak_mib()]))
"""
)


def normal(path: Path) -> Path:
    """What a unit really sends: 1,000 rows × 20 columns written by openpyxl."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f"欄{i}" for i in range(20)])
    for i in range(1000):
        ws.append([f"王小明{i}", "男", "公務人員", "否", "否", "30-39歲", "113/3/5"] + [i] * 13)
    wb.save(path)
    return path


def cases(bomb_gb: int) -> list[tuple[str, Callable[[Path], Path]]]:
    return [
        ("normal: 1,000 rows × 20 cols", normal),
        ("largest accepted: 50,000 × 20 values", lambda p: hostile.dense(p, 50_000, 20)),
        (f"zip bomb: sheet declares {bomb_gb} GB", lambda p: hostile.zip_bomb(p, bomb_gb << 30)),
        ("lying size: 1 KB declared, 1 GB inside", lambda p: hostile.lying_size(p, 1 << 30)),
        ("dimension claims A1:XFD1048576", hostile.dimension_bomb),
        ("values in A1 and XFD1048576", hostile.far_cell),
        ("billion laughs in sharedStrings", hostile.laughs_in_shared_strings),
        ("nesting 1,000,000 deep", lambda p: hostile.deep_nesting(p, 1_000_000)),
        ("styled to row 1,048,576 (dimension)", hostile.styled_to_bottom),
        (
            "styled to row 1,048,576 (no dimension)",
            lambda p: hostile.styled_to_bottom(p, dimension=False),
        ),
        (
            f".ods zip bomb: content declares {bomb_gb} GB",
            lambda p: hostile.ods_zip_bomb(p, bomb_gb << 30),
        ),
        # calamine itself refuses grids of over 100,000,000 cells; this one stays under.
        (".ods value cell × 16,384 × 6,000", lambda p: hostile.ods_grid_bomb(p, rows=6_000)),
        (".ods 1,000-character text × 100,000", hostile.ods_text_bomb),
        (".ods 200 rows of 16,384 empty cells", hostile.ods_stored_empties),
    ]


def run(code: str, path: Path, timeout: float | None = None) -> list[Any] | str:
    """The JSON a child process printed, or what went wrong with it."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return f"still running after {timeout:.0f} s"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return f"process died (exit {done.returncode}): {last[:40]}"
    return json.loads(done.stdout)


def size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / (1 << 20):.1f} MB" if n >= 1 << 20 else f"{n / 1024:.0f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bomb-gb", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args()
    print(f"{'case':<40} {'file':>8} {'result':<15} {'time':>9} {'peak MiB':>9} {'rise':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for i, (label, build) in enumerate(cases(args.bomb_gb)):
            path = build(Path(tmp) / f"case{i}.{'ods' if label.startswith('.ods') else 'xlsx'}")
            results = [run(INSPECT, path) for _ in range(args.runs)]
            if any(isinstance(r, str) for r in results):
                print(f"{label:<40} {size(path):>8} {results}")
                continue
            outcome = results[0][0]
            seconds = statistics.median(r[1] for r in results)
            peak = max(r[3] for r in results)
            rise = max(r[3] - r[2] for r in results)
            shown = f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
            print(f"{label:<40} {size(path):>8} {outcome:<15} {shown:>9} {peak:>9.0f} {rise:>6.0f}")
            if args.compare:
                direct = run(READ_DIRECTLY, path, timeout=120)
                if isinstance(direct, str):
                    print(f"{'':<40} without the check: {direct}")
                else:
                    print(
                        f"{'':<40} without the check: {direct[0]} "
                        f"in {direct[1]:.2f} s, peak {direct[2]:.0f} MiB"
                    )
            path.unlink()


if __name__ == "__main__":
    main()
