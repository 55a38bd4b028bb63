"""A side process (LibreOffice making a PDF) that does not outlive the run that started it
(SPEC §5 ◆: a killed build leaves no temporary files or processes behind at the next run).

On POSIX the process starts in a session of its own, so that its whole group — `soffice`
and the `soffice.bin` it starts — is stopped at once when the run is interrupted (Ctrl-C,
SIGTERM) or the process takes too long. A run killed outright (kill -9) cannot stop it:
the group is noted in a file among the run's temporary files in the output folder it
holds, and the next run into that folder stops a noted group still alive before it
removes those files (`atomic.output_lock`). The note names a text of the process's command
line (its LibreOffice profile), so that a process that merely got the same number since
is never touched.

On Windows the process tree is ended (taskkill /T) on interruption or timeout; a process
a killed run left behind is not stopped by the next run there (it ends by itself when its
conversion is done).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

PROCESS_NOTE = "side-process.json"
"""The note of a running side process, in the folder of a run's temporary files."""
STOP_WAIT_S = 5.0


def run_side_process(
    command: list[str],
    *,
    env: dict[str, str],
    timeout: float,
    mark: str,
    note: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `command` to its end and return what it printed, as `subprocess.run` does; on a
    timeout (subprocess.TimeoutExpired), Ctrl-C or SIGTERM (KeyboardInterrupt) the process
    and every process it started are stopped before the exception goes on. While it runs,
    `note` (POSIX) holds its group and `mark`, a text of its command line."""
    with _terminate_as_interrupt():
        process = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,  # its group, on POSIX; Windows ignores it
            creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0),  # 0 but on Windows
        )
        try:
            if note is not None and os.name != "nt":
                note.write_text(json.dumps({"group": process.pid, "mark": mark}), "utf-8")
            out, err = process.communicate(timeout=timeout)
        except BaseException:
            _stop(process)
            raise
        finally:
            if note is not None:
                with contextlib.suppress(OSError):
                    note.unlink(missing_ok=True)
    return subprocess.CompletedProcess(command, process.returncode, out, err)


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM, while this lasts, is met as Ctrl-C is (KeyboardInterrupt), so that the side
    process is stopped and the run ends as an interrupted one. Only where Python would
    otherwise just die of it (the main thread, no handler of the program's own)."""
    main = os.name != "nt" and threading.current_thread() is threading.main_thread()
    if not main or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _stop(process: subprocess.Popen[str]) -> None:
    """Stop `process` and every process it started, and wait for it."""
    if os.name == "nt":
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                ["taskkill", "/T", "/F", "/PID", str(process.pid)],
                capture_output=True,
                timeout=30,
                check=False,
            )
        with contextlib.suppress(OSError):
            process.kill()
    else:
        with contextlib.suppress(OSError):  # gone already, or never ours
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.SubprocessError, OSError):
        process.communicate(timeout=STOP_WAIT_S)


def stop_noted(notes: Iterable[Path]) -> None:
    """Stop each side process group that `notes` name and that still runs the command line
    its note marks: what a killed run left running (POSIX; nothing on Windows)."""
    if os.name == "nt":
        return
    for path in notes:
        try:
            noted = json.loads(path.read_text("utf-8"))
            group, mark = noted["group"], noted["mark"]
        except (OSError, ValueError, LookupError, TypeError):
            continue  # no note, or not a whole one (a run killed while writing it)
        if type(group) is not int or group <= 1 or not mark:
            continue
        if not any(str(mark) in line for line in group_members(group).values()):
            continue
        with contextlib.suppress(OSError):
            os.killpg(group, signal.SIGKILL)
        deadline = time.monotonic() + STOP_WAIT_S
        while group_members(group) and time.monotonic() < deadline:
            time.sleep(0.05)


def group_members(group: int) -> dict[int, str]:
    """The live processes (not zombies) of process group `group`, with their command lines."""
    proc = Path("/proc")
    if sys.platform.startswith("linux") and proc.is_dir():
        return _linux_members(proc, group)
    try:
        listed = subprocess.run(
            ["ps", "-A", "-o", "pid=,pgid=,stat=,command="],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    found = {}
    for line in listed.splitlines():
        parts = line.split(None, 3)
        if len(parts) >= 3 and parts[1] == str(group) and not parts[2].startswith("Z"):
            found[int(parts[0])] = parts[3] if len(parts) > 3 else ""
    return found


def _linux_members(proc: Path, group: int) -> dict[int, str]:
    found = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(errors="replace")
            # pid (comm) state ppid pgrp …: comm may hold spaces and parentheses
            state, _, pgrp = stat[stat.rindex(")") + 2 :].split()[:3]
            if int(pgrp) != group or state == "Z":
                continue
            line = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, ValueError):
            continue  # ended meanwhile
        found[int(entry.name)] = line.decode(errors="replace")
    return found
