"""Many workbooks are read on every core, with the same results as in one process."""

from __future__ import annotations

import json
import multiprocessing
import os

import pytest

from gmreport import parallel
from gmreport.config import Config
from gmreport.pipeline import build, check

from .conftest import SAMPLES


def _in_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(parallel, "FILES_PER_TASK", 1)
    monkeypatch.setattr(parallel, "cores", lambda: 2)


def test_check_in_a_pool_finds_what_one_process_finds(monkeypatch):
    alone = check([SAMPLES], Config())
    _in_pool(monkeypatch)
    assert check([SAMPLES], Config()) == alone


def test_build_in_a_pool_writes_the_same_figures(monkeypatch, tmp_path):
    alone = build(SAMPLES, tmp_path / "alone", Config())
    _in_pool(monkeypatch)
    pooled = build(SAMPLES, tmp_path / "pooled", Config())
    assert pooled.problems == alone.problems
    name = "113年度統計數據.json"
    pooled_figures, alone_figures = (
        json.loads((tmp_path / run / name).read_text("utf-8")) for run in ("pooled", "alone")
    )
    del pooled_figures["built_at"], alone_figures["built_at"]  # when each was built
    assert pooled_figures == alone_figures


def test_a_small_folder_starts_no_pool(monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    assert check([SAMPLES], Config()).problems


def _square(n: int) -> int:
    return n * n


def _refuse(n: int) -> int:
    raise ValueError(f"{n} 不是可接受的值")


def _dies_in_the_side_process(n: int) -> int:
    if multiprocessing.parent_process() is not None:
        os._exit(3)  # as when the system ends the process
    return n + 1


def test_work_in_the_side_process_comes_back_as_its_result(monkeypatch):
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    with parallel.SideProcess("json") as side:
        waits = [side.start(_square, n) for n in (3, 7)]
        assert [wait() for wait in waits] == [9, 49]


def test_an_error_in_the_side_process_is_raised_here(monkeypatch):
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    with parallel.SideProcess("json") as side, pytest.raises(ValueError, match="5 不是可接受的值"):
        side.start(_refuse, 5)()


def test_work_is_done_here_when_the_side_process_dies(monkeypatch):
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    with parallel.SideProcess("json") as side:
        assert side.start(_dies_in_the_side_process, 1)() == 2


def test_on_one_core_there_is_no_side_process_and_work_waits_until_asked_for(monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a process was started")

    monkeypatch.setattr(parallel, "cores", lambda: 1)
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    done: list[int] = []
    with parallel.SideProcess("json") as side:
        wait = side.start(done.append, 4)
        assert done == []
        wait()
    assert done == [4]
