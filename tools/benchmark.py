"""Wall time and peak memory of `gmreport build` and `gmreport check`, beside the raw-read floor.

    python tools/benchmark.py [--units 1000] [--staff 60] [--runs 3] [--corpus DIR]

The floor is python-calamine reading every cell of every sheet of the same folder, raw, in
one process: what no reader of these files can beat. Each case and its floor run as fresh
processes (as a person runs them), timed from outside, in the same run; each is printed as
min / median / max of `--runs` runs, with the ratio of the medians. Peak memory is the
child's maximum resident set size, where the platform reports it (on Linux at least this
script's own size at the child's start, about 16 MiB).

Cases: `build` on input_samples' 113, then on its 114 with 113's figures in the output
folder (what `gmreport build` does after `gmreport build --year 113`), `check` of one
workbook, and `build` on a large folder of valid workbooks made on demand outside git (in `--corpus`, default a folder under the
system's temporary folder, kept for the next run): `--units` workbooks of `--staff` people
each, modelled on input_samples' units (one in eight an .ods filled in LibreOffice's way),
with a config listing every unit.
"""

from __future__ import annotations

import argparse
import io
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
FLOOR = """
import sys
from pathlib import Path
from python_calamine import CalamineWorkbook
cells = 0
folder = Path(sys.argv[1])
for path in sorted(folder.iterdir()) if folder.is_dir() else [folder]:
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        cells += sum(len(row) for row in wb.get_sheet_by_name(name).to_python())
print(cells)
"""


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
            child.returncode = code
            errors = child.stderr.read() if child.stderr else b""
        else:
            errors = child.communicate()[1]
            code = child.returncode
        times.append(time.perf_counter() - start)
        if code not in (0, 1):
            sys.exit(f"{' '.join(args)} failed ({code}):\n{errors.decode(errors='replace')}")
    return times, peak


def make_corpus(folder: Path, units: int, staff: int) -> Path:
    """Write `units` valid workbooks of `staff` people into folder/input and a config listing
    every unit into folder/gmreport.toml (the workbooks once: an existing corpus is kept); return folder."""
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
    made: list[tuple[Path, str]] = []
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
        path = samples.write_unit(models, model, samples.YEAR, extra)
        made.append(path)
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


def row(label: str, times: list[float], peak: float | None, floor: list[float] | None) -> str:
    ratio = f"{statistics.median(times) / statistics.median(floor):6.1f}×" if floor else " " * 7
    memory = f"{peak:7.0f}" if peak is not None else "      -"
    spread = f"{min(times):7.2f} {statistics.median(times):7.2f} {max(times):7.2f}"
    return f"{label:<46} {spread} {ratio} {memory}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000, help="workbooks in the large folder")
    parser.add_argument("--staff", type=int, default=60, help="people in each")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=Path(tempfile.gettempdir()) / "gmreport-benchmark",
        help="where the large folder is made and kept",
    )
    args = parser.parse_args()
    corpus = args.corpus / f"{args.units}x{args.staff}"
    # Made in a process of its own: Linux counts what a child inherits at its start in the child's
    # peak memory, so this process stays as small as it started (the workbook libraries the
    # corpus needs would otherwise show in the peak of the small cases).
    maker = multiprocessing.get_context("spawn").Process(
        target=make_corpus, args=(corpus, args.units, args.staff)
    )
    maker.start()
    maker.join()
    if maker.exitcode != 0:
        sys.exit(f"the large folder could not be made in {corpus}")
    samples = ROOT / "input_samples" / "113"
    latest = ROOT / "input_samples" / "114"
    one = samples / "113年度_民政課_性別主流化填報.xlsx"
    print(f"{'case':<46} {'min':>7} {'median':>7} {'max':>7} {'/floor':>7} {'MiB':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        cases = [
            (
                "build input_samples/113",
                samples,
                ["build", "--input", str(samples), "--output", f"{tmp}/samples"],
            ),
            (  # what `gmreport build` does: the latest year, compared with 113 built before it
                "build input_samples/114 (with 113's figures)",
                latest,
                ["build", "--input", str(latest), "--output", f"{tmp}/samples"],
            ),
            ("check one workbook", one, ["check", str(one)]),
            (
                f"build {args.units:,} workbooks × {args.staff} staff",
                corpus / "input",
                [
                    *("build", "--input", str(corpus / "input")),
                    *("--output", f"{tmp}/large", "--config", str(corpus / "gmreport.toml")),
                ],
            ),
        ]
        for label, folder, command in cases:
            floor, floor_peak = run(["-c", FLOOR, str(folder)], args.runs)
            times, peak = run(["-m", "gmreport", *command], args.runs)
            print(row(f"  floor: {folder.name}", floor, floor_peak, None))
            print(row(label, times, peak, floor), flush=True)


if __name__ == "__main__":
    main()
