"""Many workbooks are read on every core, with the same results as in one process."""

from __future__ import annotations

import json

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
