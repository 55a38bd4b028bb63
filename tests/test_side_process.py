"""LibreOffice never outlives the run that started it (SPEC §5 ◆, issue 23): stopped with
every process it started on a timeout, Ctrl-C or SIGTERM, and — when the run was killed
outright — by the next run into the same output folder. Staged for real, with a stand-in
that starts a child as soffice starts soffice.bin; the last test kills a real build while
LibreOffice converts its report."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from gmreport import processes
from gmreport.atomic import TEMP_PREFIX, output_lock
from gmreport.processes import PROCESS_NOTE, group_members, run_side_process

pytestmark = pytest.mark.skipif(os.name == "nt", reason="process groups and signals are POSIX")

STAND_IN = """
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(f"{os.getpgid(0)} {child.pid}")
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(120)
"""
"""A side process that starts another, as soffice starts soffice.bin; it writes its group
and its child to the file it is given."""


def _wait_for(path: Path, seconds: float = 30) -> tuple[int, int]:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, "the stand-in did not start"
        time.sleep(0.05)
    group, child = map(int, path.read_text().split())
    return group, child


def _gone(group: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while group_members(group) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not group_members(group)


def test_a_timeout_stops_the_process_and_the_one_it_started(tmp_path: Path) -> None:
    started = tmp_path / "started"
    with pytest.raises(subprocess.TimeoutExpired):
        run_side_process(
            [sys.executable, "-c", STAND_IN, str(started)],
            env=dict(os.environ),
            timeout=5,
            mark="stand-in",
        )
    group, _ = _wait_for(started, 0)
    assert group != os.getpgid(0)  # a group of its own, not this test's
    assert _gone(group)


def test_sigterm_or_ctrl_c_stops_the_side_process_with_the_run(tmp_path: Path) -> None:
    for signum in (signal.SIGTERM, signal.SIGINT):
        started = tmp_path / f"started-{signum}"
        runner = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import os, sys\n"
                "from gmreport.processes import run_side_process\n"
                "try:\n"
                "    run_side_process([sys.executable, '-c', sys.argv[1], sys.argv[2]],"
                " env=dict(os.environ), timeout=120, mark='stand-in')\n"
                "except KeyboardInterrupt:\n"
                "    sys.exit(130)\n",
                STAND_IN,
                str(started),
            ],
        )
        group, _ = _wait_for(started)
        assert group_members(group)  # running
        runner.send_signal(signum)
        assert runner.wait(timeout=30) == 130
        assert _gone(group), signum


def _left_running(out: Path, mark: str, started: Path) -> tuple[int, subprocess.Popen[bytes]]:
    """A side process as a killed run leaves it: running in its own group, noted among the
    run's temporary files in `out`."""
    stage = out / f"{TEMP_PREFIX}killed"
    stage.mkdir(parents=True)
    left = subprocess.Popen(
        [sys.executable, "-c", STAND_IN, str(started), mark], start_new_session=True
    )
    group, _ = _wait_for(started)
    (stage / PROCESS_NOTE).write_text(json.dumps({"group": group, "mark": mark}), "utf-8")
    return group, left


def test_the_next_run_stops_what_a_killed_run_left_running(tmp_path: Path) -> None:
    out = tmp_path / "out"
    group, left = _left_running(out, "-env:UserInstallation=file:///x/profile", tmp_path / "s")
    try:
        with output_lock(out) as stage:
            assert _gone(group)
            assert [p for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)] == [stage]
    finally:
        left.kill()
        left.wait()


def test_a_process_that_is_not_the_noted_one_is_left_alone(tmp_path: Path) -> None:
    """The group's number alone is not trusted: the note's mark must be on its command line."""
    out = tmp_path / "out"
    group, left = _left_running(out, "some-other-program", tmp_path / "s")
    (out / f"{TEMP_PREFIX}killed" / PROCESS_NOTE).write_text(
        json.dumps({"group": group, "mark": "-env:UserInstallation=file:///x/profile"}), "utf-8"
    )
    try:
        with output_lock(out):
            pass
        assert group_members(group)  # still running
    finally:
        os.killpg(group, signal.SIGKILL)
        left.wait()
    for broken in ("", "{", '{"group": 1, "mark": "x"}', '{"group": true, "mark": "x"}', "[]"):
        note = tmp_path / "note.json"
        note.write_text(broken, "utf-8")
        processes.stop_noted([note, tmp_path / "none.json"])  # nothing to stop, no error


def _libreoffice_of(out: Path) -> dict[int, str]:
    """The running LibreOffice processes whose profile is in `out` (not zombies)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if "UserInstallation=" in line and str(out) in line and state != "Z":
            found[int(entry.name)] = line
    return found


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="需要 LibreOffice（soffice）")
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the processes off /proc (Linux)")
def test_a_build_killed_while_converting_leaves_no_libreoffice_at_the_next_run(
    make_workbook: Any, valid_rows: Any, tmp_path: Path
) -> None:
    given = tmp_path / "in"
    make_workbook(valid_rows, folder=given)
    out = tmp_path / "輸出 113"  # a name with spaces and Chinese, as people name folders
    command = [sys.executable, "-m", "gmreport", "build", "--input", given, "--output", out]
    run = subprocess.Popen([*map(str, command), "--pdf"], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (converting := _libreoffice_of(out)):
        assert run.poll() is None and time.monotonic() < deadline, "no LibreOffice was started"
        time.sleep(0.05)
    run.kill()  # SIGKILL: gmreport cannot clean up
    run.wait()
    # Frozen as a hung LibreOffice is, so that it is surely running at the next run.
    group = os.getpgid(next(iter(converting)))
    assert group != os.getpgid(0)
    os.killpg(group, signal.SIGSTOP)
    try:
        assert _libreoffice_of(out)
        again = subprocess.run(list(map(str, command)), capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr
        assert not _libreoffice_of(out)
        assert not group_members(group)
        assert not [p.name for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)]
    finally:
        with contextlib.suppress(OSError):  # what a failed test would leave running
            os.killpg(group, signal.SIGKILL)
