"""Wall and CPU time of `gmreport rollup` over many agencies' figures files.

    python tools/bench_rollup.py [--files 1000] [--runs 3] [--corpus DIR]

The files are real builds' figures: the made-up agencies of tools/make_rollup_samples.py
(with the year before in their history) and input_samples' 113 (a full district office,
the largest kind of file), each built
once by `gmreport build`, then copied under `--files` distinct agency names (kept in
`--corpus` for the next run). Each run is a fresh process, as a person runs it; its CPU
time is the user + system time of it and its worker processes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))


def make_corpus(folder: Path, files: int) -> Path:
    """`files` figures files in folder/figures, from real builds (made once, then kept)."""
    figures = folder / "figures"
    done = folder / "done"
    if done.exists() and done.read_text() == str(files):
        return figures
    from make_rollup_samples import AGENCIES, YEAR, build_agency, year_before

    from gmreport.config import Config
    from gmreport.pipeline import build

    models = []
    for agency in AGENCIES:  # each with the year before in its history
        build_agency(year_before(agency), folder / "agencies", YEAR - 1)
        models.append(build_agency(agency, folder / "agencies", YEAR))
    build(ROOT / "input_samples" / str(YEAR), folder / "samples", Config())
    models.append(folder / "samples" / "113年度統計數據.json")
    texts = [json.loads(m.read_text(encoding="utf-8")) for m in models]
    figures.mkdir(parents=True, exist_ok=True)
    for old in figures.iterdir():
        old.unlink()
    for i in range(files):
        copy = dict(texts[i % len(texts)])
        copy["agency"] = f"{copy['agency']}{i:04d}"
        path = figures / f"{i:04d}_113年度統計數據.json"
        path.write_text(json.dumps(copy, ensure_ascii=False, indent=2), encoding="utf-8")
    done.write_text(str(files))
    return figures


def timed(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of `python ARGS`."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = os.times()
    if done.returncode != 0:
        sys.exit(f"gmreport rollup failed ({done.returncode}):\n{done.stderr}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="figures files to roll up")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=Path(tempfile.gettempdir()) / "gmreport-rollup-benchmark",
        help="where the figures files are made and kept",
    )
    args = parser.parse_args()
    figures = make_corpus(args.corpus / str(args.files), args.files)
    size = sum(p.stat().st_size for p in figures.iterdir()) / 1024 / 1024
    with tempfile.TemporaryDirectory() as out:
        runs = [
            timed(["-m", "gmreport", "rollup", str(figures), "--output", out])
            for _ in range(args.runs)
        ]
    walls, cpus = zip(*runs, strict=True)
    print(
        f"gmreport rollup: {args.files:,} figures files ({size:.1f} MiB), {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()} cores"
    )
    print(
        f"  wall s: min {min(walls):.2f}  median {statistics.median(walls):.2f}  max {max(walls):.2f}"
    )
    print(
        f"  CPU  s: min {min(cpus):.2f}  median {statistics.median(cpus):.2f}  max {max(cpus):.2f}"
    )


if __name__ == "__main__":
    main()
