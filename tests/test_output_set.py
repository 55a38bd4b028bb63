"""One build's outputs are one set (SPEC §5 ◆): two runs into one folder cannot mix their
files, a build that fails part way leaves the previous set or names what is stale, and a
killed build leaves nothing behind at the next run. The faults are staged for real: other
processes holding the folder, a process killed with SIGKILL, a file that cannot be replaced."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gmreport import atomic
from gmreport.atomic import LOCK_NAME, TEMP_PREFIX
from gmreport.config import Config
from gmreport.pipeline import build
from gmreport.problems import OutputError

from .conftest import SAMPLES, sheet_values

HOLD = """
import sys, time
from pathlib import Path
from gmreport.atomic import output_lock
with output_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold(folder: Path, seconds: float = 60) -> subprocess.Popen[str]:
    """Another process holding `folder` as a build writing into it does."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(folder), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def _gmreport(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gmreport", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def small_input(make_workbook, valid_rows, tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    make_workbook(valid_rows, folder=folder)
    return folder


def test_a_second_build_into_a_folder_being_written_is_refused(small_input, tmp_path):
    out = tmp_path / "out"
    holder = _hold(out)
    held = sorted(p.name for p in out.iterdir())
    try:
        done = _gmreport("build", "--input", small_input, "--output", out)
    finally:
        holder.kill()
        holder.communicate()
    assert done.returncode == 2, done.stderr
    assert "另一個 gmreport 正在寫入輸出資料夾" in done.stderr
    assert LOCK_NAME in held
    assert sorted(p.name for p in out.iterdir()) == held  # the holder's lock and stage only
    # The holder killed (SIGKILL), the system has released its lock: the next build runs.
    again = _gmreport("build", "--input", small_input, "--output", out)
    assert again.returncode == 0, again.stderr
    assert LOCK_NAME not in {p.name for p in out.iterdir()}  # released and removed


def test_two_builds_at_once_leave_one_whole_set(small_input, tmp_path):
    """Two folders of one year into one output at once: whatever order the system gives
    them, the files there are all of one run (its 未繳交 units in the JSON and the
    statistics workbook alike)."""
    out = tmp_path / "out"
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "gmreport", "build", "--input", folder, "--output", out],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in (SAMPLES, small_input)
    ]
    errors = [r.communicate(timeout=300)[1] for r in runs]
    codes = sorted(r.returncode for r in runs)
    assert codes in ([0, 0], [0, 2]), errors
    if codes == [0, 2]:
        assert any("另一個 gmreport 正在寫入" in err for err in errors)
    figures = json.loads((out / "113年度統計數據.json").read_text("utf-8"))
    info = dict(sheet_values(out / "113年度性別主流化統計總表.xlsx")["說明"][1:8])
    assert info["未繳交單位"] == "、".join(figures["units"]["missing"])
    problems = sheet_values(out / "113年度填報檢核結果.xlsx")
    listed = {row[0] for rows in problems.values() for row in rows if row}
    assert all(f["file"] in listed for f in figures["files"]["read"])
    assert not [p for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)]


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_a_killed_build_leaves_nothing_behind_at_the_next_run(small_input, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{TEMP_PREFIX}abc123.xlsx").write_bytes(b"half written")
    (out / f"{TEMP_PREFIX}def456").mkdir()
    (out / f"{TEMP_PREFIX}def456" / "113年度統計數據.json").write_text("{", encoding="utf-8")
    run = subprocess.Popen(
        [sys.executable, "-m", "gmreport", "build", "--input", SAMPLES, "--output", out],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(
        p.name.startswith(TEMP_PREFIX)
        and p.name not in (f"{TEMP_PREFIX}abc123.xlsx", f"{TEMP_PREFIX}def456")
        for p in out.iterdir()
    ):
        time.sleep(0.05)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    again = _gmreport("build", "--input", small_input, "--output", out)  # any next run
    assert again.returncode == 0, again.stderr
    assert not [p.name for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_a_report_that_cannot_be_replaced_leaves_the_previous_set(small_input, tmp_path):
    out = tmp_path / "out"
    first = build(small_input, out, Config())
    before = {p: p.read_bytes() for p in first.written}
    report = out / "113年度性別主流化執行成果報告.docx"
    report.unlink()
    report.mkdir()  # a report that cannot be replaced, as one open in Word on Windows
    with pytest.raises(OutputError) as e:
        build(small_input, out, Config())
    assert str(report) in str(e.value)
    assert "已更新" not in str(e.value)
    for path, content in before.items():
        if path != report:
            assert path.read_bytes() == content, path
    assert not [p for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_a_build_stopped_part_way_names_the_stale_files(small_input, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(small_input, out, Config())
    real = os.replace

    def full_at_the_statistics(source, target):
        if Path(target) == out / "113年度性別主流化統計總表.xlsx":
            raise OSError(28, "No space left on device")
        return real(source, target)

    monkeypatch.setattr(atomic.os, "replace", full_at_the_statistics)
    with pytest.raises(OutputError) as e:
        build(small_input, out, Config())
    said = str(e.value)
    assert "磁碟空間不足" in said
    assert "已更新：「113年度性別主流化執行成果報告.docx」" in said
    assert "以下檔案為舊版" in said
    for stale in (
        "113年度性別主流化統計總表.xlsx",
        "113年度填報檢核結果.xlsx",
        "113年度統計數據.json",
    ):
        assert stale in said.split("以下檔案為舊版")[1]
