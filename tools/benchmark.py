"""Wall time and peak memory of what a person runs, against the budget of each.

    python tools/benchmark.py [--runs 3] [--only CASE …] [--units 1000] [--staff 60]
                              [--files 1000] [--corpus DIR]

Cases and their budgets (median of `--runs` runs; each run a fresh process, as a person runs
it, timed from outside):

    samples     `gmreport build` of input_samples' 113, then of its 114 with 113's figures in
                the output folder (what `gmreport build` does)          ≤ 2.0 s each
    check       `gmreport check` of one workbook                         ≤ 0.5 s
    folder      `build` of a 100-unit folder                             ≤ 10 s
    large       `build` of `--units` workbooks                           ≤ 60 s and ≤ 500 MiB
    rollup      `gmreport rollup` of `--files` figures files             ≤ 30 s

The folders of workbooks are made on demand outside git (in `--corpus`, default a folder
under the system's temporary folder, kept for the next run): workbooks of `--staff` people
each, modelled on input_samples' units (one in eight an .ods filled in LibreOffice's way),
with a config listing every unit. The figures files are real builds' figures: the made-up
agencies of tools/make_rollup_samples.py (with the year before in their history) and
input_samples' 113, copied under distinct agency names. Peak memory is the child's maximum
resident set size, where the platform reports it.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

TOKEN = "QQQQ"  # in the model workbooks' unit and names; each copy puts its number there
FOLDER_UNITS = 100
CASES = ("samples", "check", "folder", "large", "rollup")


def run(args: list[str], runs: int) -> tuple[list[float], float | None]:
    """Wall seconds of each run of `python ARGS`, and the largest peak RSS (MiB) if known."""
    times: list[float] = []
    peak: float | None = None
    for _ in range(runs):
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        if hasattr(os, "wait4"):  # POSIX: the child's own peak memory
            _, status, usage = os.wait4(child.pid, 0)
            code = os.waitstatus_to_exitcode(status)
            # ru_maxrss is in KiB on Linux, in bytes on macOS.
            rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
            peak = max(peak or 0.0, rss)
            errors = child.stderr.read() if child.stderr else b""
        else:
            errors = child.communicate()[1]
            code = child.returncode
        times.append(time.perf_counter() - start)
        if code not in (0, 1):
            sys.exit(f"{' '.join(args)} failed ({code}):\n{errors.decode(errors='replace')}")
    return times, peak


def make_workbooks(folder: Path, units: int, staff: int) -> Path:
    """Write `units` valid workbooks of `staff` people into folder/input and a config listing
    every unit into folder/gmreport.toml (the workbooks once: an existing corpus is kept)."""
    names = [f"第{i:04d}股" for i in range(units)]
    units_list = ", ".join(f'"{u}"' for u in names)
    config = f'units = [{units_list}]\ncontact_unit = "{names[0]}"\n'
    done = folder / "done"
    if done.exists() and done.read_text() == f"{units} {staff}":
        (folder / "gmreport.toml").write_text(config, encoding="utf-8")
        return folder
    import make_samples as samples

    inputs = folder / "input"
    inputs.mkdir(parents=True, exist_ok=True)
    for old in inputs.iterdir():
        old.unlink()
    models = folder / "models"
    models.mkdir(exist_ok=True)
    made: list[Path] = []
    for unit in samples.UNITS:
        people = [
            replace(
                person,
                name=f"{person.name.strip()}{TOKEN}{n:03d}",
                flags=person.flags if n < len(unit.staff) else "",
            )
            for n in range(staff)
            for person in [unit.staff[n % len(unit.staff)]]
        ]
        model = replace(unit, name=f"第{TOKEN}股", staff=tuple(people), odd_rows=None)
        extra = {
            key: records
            for key, records in samples.OTHER_RECORDS.get(unit.name, {}).items()
            if key not in ("members", "meetings")  # listed by one unit only, 人事室
        }
        made.append(samples.write_unit(models, model, samples.YEAR, extra))
    for i in range(units):
        model = made[i % len(made)]
        _copy_with(model, inputs / model.name.replace(TOKEN, f"{i:04d}"), TOKEN, f"{i:04d}")
    (folder / "gmreport.toml").write_text(config, encoding="utf-8")
    done.write_text(f"{units} {staff}")
    return folder


def _copy_with(model: Path, out: Path, token: str, value: str) -> None:
    """Copy the workbook `model` with `token` replaced by `value` in every XML part."""
    old, new = token.encode(), value.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(model) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(".xml"):
                data = data.replace(old, new)
            dst.writestr(info, data)
    out.write_bytes(buffer.getvalue())


def make_figures(folder: Path, files: int) -> Path:
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
    models.append(folder / "samples" / f"{YEAR}年度統計數據.json")
    texts = [json.loads(m.read_text(encoding="utf-8")) for m in models]
    figures.mkdir(parents=True, exist_ok=True)
    for old in figures.iterdir():
        old.unlink()
    for i in range(files):
        copy = dict(texts[i % len(texts)])
        copy["agency"] = f"{copy['agency']}{i:04d}"
        path = figures / f"{i:04d}_{YEAR}年度統計數據.json"
        path.write_text(json.dumps(copy, ensure_ascii=False, indent=2), encoding="utf-8")
    done.write_text(str(files))
    return figures


def in_own_process(make: object, *args: object) -> None:
    """Run `make(*args)` in a process of its own: Linux counts what a child inherits at its
    start in the child's peak memory, so this process stays as small as it started."""
    maker = multiprocessing.get_context("spawn").Process(target=make, args=args)
    maker.start()
    maker.join()
    if maker.exitcode != 0:
        sys.exit(f"{getattr(make, '__name__', make)}{args} failed")


def row(
    label: str, times: list[float], peak: float | None, budget: tuple[float, float | None]
) -> str:
    seconds, mib = budget
    median = statistics.median(times)
    over = median > seconds or (mib is not None and peak is not None and peak > mib)
    limit = f"≤ {seconds:g} s" + (f", ≤ {mib:g} MiB" if mib is not None else "")
    memory = f"{peak:7.0f}" if peak is not None else "      -"
    spread = f"{min(times):7.2f} {median:7.2f} {max(times):7.2f}"
    return f"{label:<44} {spread} {memory}   {limit:<20} {'OVER' if over else 'ok'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=CASES, action="append", help="run only these cases")
    parser.add_argument("--units", type=int, default=1000, help="workbooks in the large folder")
    parser.add_argument("--staff", type=int, default=60, help="people in each workbook")
    parser.add_argument("--files", type=int, default=1000, help="figures files to roll up")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=Path(tempfile.gettempdir()) / "gmreport-benchmark",
        help="where the folders are made and kept",
    )
    args = parser.parse_args()
    chosen = args.only or CASES
    folder = args.corpus / f"{FOLDER_UNITS}x{args.staff}"
    large = args.corpus / f"{args.units}x{args.staff}"
    figures = args.corpus / f"rollup-{args.files}" / "figures"
    if "folder" in chosen:
        in_own_process(make_workbooks, folder, FOLDER_UNITS, args.staff)
    if "large" in chosen:
        in_own_process(make_workbooks, large, args.units, args.staff)
    if "rollup" in chosen:
        in_own_process(make_figures, figures.parent, args.files)
    samples = ROOT / "input_samples" / "113"
    latest = ROOT / "input_samples" / "114"
    one = samples / "113年度_民政課_性別主流化填報.xlsx"
    print(f"{'case':<44} {'min':>7} {'median':>7} {'max':>7} {'MiB':>7}   budget (median)")
    with tempfile.TemporaryDirectory() as tmp:

        def build(corpus: Path, out: str) -> list[str]:
            return [
                *("build", "--input", str(corpus / "input"), "--output", f"{tmp}/{out}"),
                *("--config", str(corpus / "gmreport.toml")),
            ]

        cases = {
            "samples": [
                (
                    "build input_samples/113",
                    ["build", "--input", str(samples), "--output", f"{tmp}/samples"],
                    (2.0, None),
                ),
                (  # what `gmreport build` does: the latest year, compared with 113 built before it
                    "build input_samples/114 (with 113's figures)",
                    ["build", "--input", str(latest), "--output", f"{tmp}/samples"],
                    (2.0, None),
                ),
            ],
            "check": [("check one workbook", ["check", str(one)], (0.5, None))],
            "folder": [
                (
                    f"build {FOLDER_UNITS} workbooks × {args.staff} staff",
                    build(folder, "folder"),
                    (10.0, None),
                )
            ],
            "large": [
                (
                    f"build {args.units:,} workbooks × {args.staff} staff",
                    build(large, "large"),
                    (60.0, 500.0),
                )
            ],
            "rollup": [
                (
                    f"rollup {args.files:,} figures files",
                    ["rollup", str(figures), "--output", f"{tmp}/rollup"],
                    (30.0, None),
                )
            ],
        }
        for name in CASES:
            if name in chosen:
                for label, command, budget in cases[name]:
                    times, peak = run(["-m", "gmreport", *command], args.runs)
                    print(row(label, times, peak, budget), flush=True)


if __name__ == "__main__":
    main()
