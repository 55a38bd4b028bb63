"""Writing output files atomically, with messages a person can act on."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .problems import OutputError, os_reason
from .processes import PROCESS_NOTE, stop_noted


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path` in one step.

    An interrupted run never leaves a half-written file and never destroys the last good one.
    """
    tmp_path = path.with_name(f"{TEMP_PREFIX}{secrets.token_hex(8)}{path.suffix}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Not mkstemp's private file (0600): an output gets the permissions any new file of
        # the person's would, so a colleague on a shared folder can open it.
        os.close(os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as e:
        raise _cannot_create(path.parent, e) from None
    try:
        try:
            yield tmp_path
        except OSError as e:  # while writing: a full disk, a device gone
            raise OutputError(f"無法寫入「{path}」（{os_reason(e)}）。") from None
        try:
            os.replace(tmp_path, path)
        except PermissionError:
            raise OutputError(
                f"無法寫入「{path}」：檔案可能正在 Word 或 Excel 中開啟，請關閉後再執行。"
            ) from None
        except OSError as e:
            raise OutputError(f"無法寫入「{path}」（{os_reason(e)}）。") from None
    finally:
        tmp_path.unlink(missing_ok=True)


def _cannot_create(folder: Path, e: OSError) -> OutputError:
    return OutputError(
        f"無法在「{folder}」建立輸出檔（{os_reason(e)}），請確認資料夾存在且有寫入權限。"
    )


LOCK_NAME = ".~gmreport.lock"
"""The file a run holds locked while it writes into an output folder (SPEC §5 ◆)."""
TEMP_PREFIX = ".~gmreport-"
"""How the temporary files and folders of a run begin (see `atomic_path`, `output_lock`)."""


@contextlib.contextmanager
def output_lock(folder: Path) -> Iterator[Path]:
    """Hold `folder` for this run: a second run into it is refused while this one writes.
    Yield a temporary folder inside it where the run writes its files before `commit` moves
    them into place; removed at the end, whatever happened.

    The lock is the operating system's, on a file in the folder, so a run that is killed
    (even with kill -9) releases it. Holding it, the temporary files that a killed run left
    behind are removed: no other run can be writing them.
    """
    lock = folder / LOCK_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(lock, "a+b")  # noqa: SIM115 — held until the run ends
    except OSError as e:
        raise _cannot_create(folder, e) from None
    # Locked, the file must still be the one at its place: a run that ended just then has
    # removed it, and a third run may be locking a new one.
    if not (_try_lock(handle) and _same_file(handle, lock)):
        handle.close()
        raise OutputError(
            f"另一個 gmreport 正在寫入輸出資料夾「{folder}」，請待其完成後再執行，"
            "或以 --output 指定另一個資料夾。"
        )
    try:
        _remove_leftovers(folder)
        try:
            stage = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=folder))
        except OSError as e:
            raise _cannot_create(folder, e) from None
        try:
            yield stage
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    finally:
        # Removed while still locked where the system allows it (POSIX), so that no run
        # can lock it in between; closing releases the lock.
        if sys.platform != "win32":
            with contextlib.suppress(OSError):
                lock.unlink()
        handle.close()
        with contextlib.suppress(OSError):
            lock.unlink(missing_ok=True)


def _same_file(handle: Any, path: Path) -> bool:
    """Whether the open file `handle` is the file now at `path`."""
    try:
        held, there = os.fstat(handle.fileno()), path.stat()
    except OSError:
        return False
    return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)


def _try_lock(handle: Any) -> bool:
    """Lock the open file `handle` without waiting; False if another process holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _remove_leftovers(folder: Path) -> None:
    """The temporary files and folders of runs that were killed while writing here, once
    the side processes (LibreOffice) they noted there are stopped."""
    leftovers = list(folder.glob(TEMP_PREFIX + "*"))
    stop_noted(path / PROCESS_NOTE for path in leftovers)
    for path in leftovers:
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()


def commit(moves: list[tuple[Path, Path]]) -> None:
    """Move each staged file onto its place, in order. The first that cannot be moved (a
    report open in Word) stops the rest: the files before it are new, the others as they
    were, and the message names both."""
    for i, (source, target) in enumerate(moves):
        try:
            os.replace(source, target)
        except OSError as e:
            why = (
                "檔案可能正在 Word 或 Excel 中開啟，請關閉後再執行"
                if isinstance(e, PermissionError)
                else os_reason(e)
            )
            done = [t.name for _, t in moves[:i]]
            stale = [t.name for _, t in moves[i:] if t.exists()]
            said = f"無法寫入「{target}」（{why}）。"
            if done:
                said += f"已更新：「{'」、「'.join(done)}」。"
            if stale:
                said += (
                    f"以下檔案為舊版，與本次填報資料不符，請勿提報：「{'」、「'.join(stale)}」。"
                )
            raise OutputError(said + "請排除問題後重新執行。") from None
