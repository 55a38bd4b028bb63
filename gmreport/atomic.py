"""Writing output files atomically, with messages a person can act on."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .problems import OutputError, os_reason


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path` in one step.

    An interrupted run never leaves a half-written file and never destroys the last good one.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".~gmreport-", suffix=path.suffix, dir=path.parent)
        os.close(fd)
    except OSError as e:
        raise OutputError(
            f"無法在「{path.parent}」建立輸出檔（{os_reason(e)}），請確認資料夾存在且有寫入權限。"
        ) from None
    tmp_path = Path(tmp)
    try:
        try:
            yield tmp_path
        except OSError as e:  # while writing: a full disk, a device gone
            raise OutputError(f"無法寫入「{path}」（{os_reason(e)}）。") from None
        # mkstemp makes the file private (0600); an output gets the permissions any new
        # file of the person's would, so a colleague on a shared folder can open it. A
        # file system without permissions (a USB stick) may refuse: that is no failure.
        with contextlib.suppress(OSError):
            os.chmod(tmp_path, 0o666 & ~_umask())
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


def _umask() -> int:
    """The process's umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
