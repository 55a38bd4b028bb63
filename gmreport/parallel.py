"""Work on every core: a pool of processes for many files, and a process beside this one.

Each file is read and checked on its own, so the work splits by file. The pool's processes
are started afresh (not forked), the same on every system, and each imports only the stages
that read and check; a small folder is done in this process, since starting them costs more
than it saves. Results come back in the files' order, the same as in one process.

`SideProcess` is one more process, started early, for one later piece of work that does not
depend on what this process does next (the report's charts while the workbooks are written):
its start-up, a heavy import, goes on while this process reads.
"""

from __future__ import annotations

import atexit
import importlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
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
        workers, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker
    )
    try:
        results = list(pool.map(function, items, chunksize=chunk))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results


class SideProcess:
    """One process beside this one that imports the module named `warm` at once (one that
    loads a heavy library), for work handed to it later with `start`.

    With one core nothing is gained, so there is no such process and `start` runs the work
    in this process when its result is asked for. Leaving the `with` block ends the process.
    """

    def __init__(self, warm: str) -> None:
        self._pool: ProcessPoolExecutor | None = None
        if cores() >= 2:
            self._pool = ProcessPoolExecutor(
                1, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker
            )
            self._pool.submit(_import, warm)

    def start(self, function: Callable[..., R], *args: object) -> Callable[[], R]:
        """Begin `function(*args)` in that process; returns what waits for its result.

        Should the process have failed (ended by the system, say), the work is done again
        here, so its result, or its exception, is the same as in one process."""
        if self._pool is None:
            return lambda: function(*args)
        future: Future[R] = self._pool.submit(function, *args)

        def result() -> R:
            try:
                return future.result()
            except BrokenProcessPool:
                return function(*args)

        return result

    def __enter__(self) -> SideProcess:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._pool is not None:  # an idle process ends at once; one still starting, soon
            self._pool.shutdown(cancel_futures=True)


def _import(module: str) -> None:
    importlib.import_module(module)


def _start_worker() -> None:
    """Ctrl+C reaches every process of the console; the parent alone answers it. And a
    worker, when told to end, leaves at once: what it made has gone back to the parent, and
    Python's undoing of its libraries one object at a time (a sixth of a second once
    matplotlib is loaded) would keep the parent waiting for it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    atexit.register(os._exit, 0)
