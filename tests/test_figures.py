"""The figures are the typed contract between aggregate and render (gmreport.figures).

A real build of input_samples and the hand-kept example that the render tests use must
both have exactly the declared shape, and the example's list rows the keys a build writes.
"""

from __future__ import annotations

import copy
import json

import pytest
from typeguard import TypeCheckError, check_type

from gmreport.figures import Figures
from gmreport.schema import (
    MEMBER_ROLES,
    SHEETS_BY_KEY,
    TRAINING_GROUPS,
    TRAINING_MODES,
    Kind,
)

from .conftest import EXAMPLE_FIGURES, SamplesBuild

EXAMPLE = EXAMPLE_FIGURES
LISTS = {  # the lists of a sheet's rows: figures section → sheet key
    "meetings": "meetings",
    "gia": "gia",
    "indicators": "indicators",
    "budget": "budget",
    "cedaw": "cedaw",
    "other_measures": "measures",
}


@pytest.fixture(scope="module")
def built(samples_build: SamplesBuild) -> dict:
    """The JSON a build of input_samples wrote, as any reader of the file gets it."""
    text = (samples_build.out / "113年度統計數據.json").read_text(encoding="utf-8")
    return json.loads(text)


@pytest.fixture(scope="module")
def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def test_a_build_writes_exactly_the_declared_figures(built: dict, samples_build) -> None:
    check_type(built, Figures)
    check_type(samples_build.outcome.figures, Figures)


def test_the_render_tests_example_has_the_declared_shape(example: dict) -> None:
    check_type(example, Figures)


@pytest.mark.parametrize(
    ("section", "rename"), [("meetings", "roles"), ("training", "groups"), ("budget", "executed")]
)
def test_a_renamed_figure_is_caught(built: dict, section: str, rename: str) -> None:
    figures = copy.deepcopy(built)
    figures[section][rename + "_renamed"] = figures[section].pop(rename)
    with pytest.raises(TypeCheckError):
        check_type(figures, Figures)


@pytest.mark.parametrize("section", LISTS)
def test_list_rows_of_the_example_have_the_keys_a_build_writes(
    built: dict, example: dict, section: str
) -> None:
    built_keys = {tuple(row) for row in built[section]["list"]}
    example_keys = {tuple(row) for row in example[section]["list"]}
    assert len(built_keys) == 1, "every row of a list has the same keys"
    assert example_keys == built_keys


@pytest.mark.parametrize(("section", "sheet"), LISTS.items())
def test_list_rows_follow_the_schema_columns(built: dict, section: str, sheet: str) -> None:
    expected = ["unit"]
    for column in SHEETS_BY_KEY[sheet].columns:
        group = column.gender_group
        if column.kind is Kind.DIMENSIONS:
            expected += [column.key, "dimensions"]
        elif group is None:
            expected.append(column.key)
        elif column.opens_gender_group:
            expected += [group] if group else ["male", "female", "other", "total"]
    row = list(built[section]["list"][0])
    derived = [k for k in row if k not in expected]
    assert [k for k in row if k in expected] == expected
    assert derived == {"indicators": ["female_ratio"], "budget": ["execution_rate"]}.get(
        section, []
    )


def test_keyed_figures_have_the_schema_keys(built: dict, example: dict) -> None:
    for figures in (built, example):
        assert list(figures["meetings"]["roles"]) == list(MEMBER_ROLES)
        assert list(figures["training"]["groups"]) == [g.key for g in TRAINING_GROUPS]
        assert set(figures["training"]["hours_by_mode"]) <= {*TRAINING_MODES, "未填"}
