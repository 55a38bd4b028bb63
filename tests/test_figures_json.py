"""The machine-readable `{Y}年度統計數據.json`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from gmreport import atomic
from gmreport.problems import OutputError
from gmreport.render.figures_json import figures_json, write_figures_json

from .conftest import EXAMPLE_FIGURES

EXAMPLE = EXAMPLE_FIGURES

# SPEC §6: these keys are stable.
SPEC_KEYS = {
    "schema",
    "agency",
    "year",
    "units",
    "training",
    "meetings",
    "gia",
    "indicators",
    "budget",
    "cedaw",
    "other_measures",
    "targets",
    "issues",
}
GENDERED = {"male", "female", "other", "total"}


@pytest.fixture
def figures() -> dict:
    with EXAMPLE.open(encoding="utf-8") as f:
        return json.load(f)


def test_round_trip_keeps_every_key_and_value(figures: dict, tmp_path: Path) -> None:
    path = tmp_path / "113年度統計數據.json"
    write_figures_json(figures, path)
    back = json.loads(path.read_text(encoding="utf-8"))
    assert back == figures
    assert list(back) == list(figures)
    assert set(back) >= SPEC_KEYS
    assert back["schema"] == "gmreport.figures/1"
    assert set(back["units"]) >= {"expected", "submitted", "missing"}
    training = back["training"]
    assert set(training["targets"]) == {
        "hours_general",
        "hours_other_staff",
        "hours_supervisor",
        "hours_gender_officer",
    }
    assert set(training["groups"]) == {
        "civil_servants",
        "supervisors",
        "gender_officers",
        "other_staff",
        "all",
    }
    for group in training["groups"].values():
        assert set(group["required"]) == set(group["completed"]) == GENDERED
    assert set(training["hours_by_mode"]) == {"實體", "數位", "混成"}
    assert set(back["meetings"]["members"]) == GENDERED
    assert {"count", "expert_consulted"} <= set(back["gia"])
    assert {"count", "new", "cross_classified"} <= set(back["indicators"])
    assert {"allocated", "executed"} <= set(back["budget"])
    assert set(back["cedaw"]["participants"]) == GENDERED
    assert set(back["other_measures"]["participants"]) == GENDERED
    assert all({"id", "label", "required", "actual", "met"} <= set(t) for t in back["targets"])
    assert set(back["issues"]) == {"errors", "warnings"}


def test_text_is_readable_utf8_with_ints_and_floats_kept(figures: dict, tmp_path: Path) -> None:
    path = tmp_path / "figures.json"
    write_figures_json(figures, path)
    text = path.read_bytes().decode("utf-8")
    assert '"agency": "高雄市旗津區公所"' in text
    assert '\n  "year": 113,' in text
    assert '"hours": 30.0' in text  # a whole number of hours stays a float
    assert '"allocated": 1250000,' in text
    assert text.endswith("}\n")
    back = json.loads(text)
    assert isinstance(back["year"], int)
    assert isinstance(back["training"]["groups"]["supervisors"]["hours"], float)
    assert back["training"]["groups"]["all"]["rate"]["other"] is None


@pytest.mark.parametrize(
    ("section", "key", "value"),
    [("meetings", "count", np.int64(2)), ("gia", "expert_consulted", np.bool_(True))],
)
def test_values_that_are_not_plain_python_are_refused(figures: dict, section, key, value) -> None:
    # aggregate hands over plain values (tests/test_aggregate.py walks them): a numpy value
    # here is a bug to fix there, not to convert on the way out.
    figures[section][key] = value
    with pytest.raises(TypeError):
        figures_json(figures)


def test_a_date_is_refused(figures: dict) -> None:
    figures["meetings"]["list"][0]["date"] = dt.date(2024, 5, 20)
    with pytest.raises(TypeError):
        figures_json(figures)


def test_not_a_number_is_refused(figures: dict) -> None:
    figures["budget"]["execution_rate"] = float("nan")
    with pytest.raises(ValueError):
        figures_json(figures)


def test_locked_output_raises_and_keeps_the_last_good_file(
    figures: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "figures.json"
    write_figures_json(figures, path)
    good = path.read_bytes()

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", locked)
    figures["year"] = 114
    with pytest.raises(OutputError):
        write_figures_json(figures, path)
    assert path.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["figures.json"]
