"""Many files on every core: a pool of processes, for folders large enough to gain from it.

Each file is read and checked on its own, so the work splits by file. The pool's processes
are started afresh (not forked), the same on every system, and each imports only the stages
that read and check; a small folder is done in this process, since starting them costs more
than it saves. Results come back in the files' order, the same as in one process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

POOL_MIN_FILES = 40
"""Fewer files than this are done in this process."""
FILES_PER_TASK = 8

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def map_files(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`function` of each item, in order: in a pool of processes when there are many items.

    `function` must be a module-level function, and items and results picklable.
    """
    workers = min(cores(), len(items) // FILES_PER_TASK)
    if len(items) < POOL_MIN_FILES or workers < 2:
        return [function(item) for item in items]
    chunk = max(1, min(FILES_PER_TASK * 4, len(items) // (workers * 4)))
    pool = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"), initializer=_ignore_interrupt
    )
    try:
        results = list(pool.map(function, items, chunksize=chunk))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results


def _ignore_interrupt() -> None:
    """Ctrl+C reaches every process of the console; the parent alone answers it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
