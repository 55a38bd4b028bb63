"""The published JSON Schema of `gmreport.figures/1` (gmreport/figures.schema.json).

Every figures file a build writes is valid against it, a mutated one is rejected with a
message naming the mutated key, and the schema and the TypedDicts of gmreport.figures
declare the same keys, so neither can change without the other.
"""

from __future__ import annotations

import copy
import json
import shutil
import typing
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from gmreport.config import Config
from gmreport.figures import EarlierYear, Figures
from gmreport.figures_schema import figures_schema, schema_problem
from gmreport.pipeline import build

from .conftest import SAMPLES_ROOT, SamplesBuild, once


@pytest.fixture(scope="module")
def built(samples_build: SamplesBuild) -> dict[str, Any]:
    text = (samples_build.out / "113年度統計數據.json").read_text(encoding="utf-8")
    return json.loads(text)


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = figures_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_every_file_a_build_writes_is_valid(samples_build: SamplesBuild) -> None:
    written = sorted(samples_build.out.glob("*.json"))
    assert written
    for path in written:
        assert schema_problem(json.loads(path.read_text(encoding="utf-8"))) is None, path.name


@pytest.fixture(scope="module")
def built_with_history(
    samples_build: SamplesBuild, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """The samples' 114 built where 113's figures lie: a file that carries `history`
    (built once for all workers)."""

    def make(out: Path) -> dict[str, Any]:
        shutil.copy(samples_build.out / "113年度統計數據.json", out)
        build(SAMPLES_ROOT / "114", out, Config())
        return json.loads((out / "114年度統計數據.json").read_text(encoding="utf-8"))

    return once(tmp_path_factory, "114-with-history", make)


def test_a_file_with_history_is_valid(built_with_history: dict[str, Any]) -> None:
    assert list(built_with_history["history"]) == ["113"]
    assert schema_problem(built_with_history) is None


def test_files_of_the_first_version_stay_valid(built: dict[str, Any]) -> None:
    older = {k: v for k, v in built.items() if k not in ADDED_LATER}
    assert schema_problem(older) is None


def test_added_keys_stay_allowed(built: dict[str, Any]) -> None:
    figures = copy.deepcopy(built)
    figures["new_section"] = {"anything": 1}
    figures["training"]["new_figure"] = 2
    assert schema_problem(figures) is None


def _set(figures: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node: Any = figures
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    key: Any = int(last) if isinstance(node, list) else last
    if value is _DELETE:
        del node[key]
    else:
        node[key] = value


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        (
            "training.groups.all.required.total",
            "93",
            "「training.groups.all.required.total」應為整數",
        ),
        ("cedaw.participants.female", -1, "「cedaw.participants.female」不可小於 0"),
        ("budget.allocated", _DELETE, "缺少「budget.allocated」"),
        ("year", 2024, "「year」不可大於 300"),
        ("agency", "", "「agency」不可空白"),
        ("targets.0.met", "yes", "「targets.0.met」應為true 或 false"),
        ("meetings.members", [1, 2], "「meetings.members」應為物件"),
        ("units", _DELETE, "缺少「units」"),
    ],
)
def test_a_mutated_file_is_rejected_at_the_mutated_key(
    built: dict[str, Any], path: str, value: Any, named: str
) -> None:
    figures = copy.deepcopy(built)
    _set(figures, path, value)
    problem = schema_problem(figures)
    assert problem is not None
    assert named in problem


def test_history_holds_earlier_years_figures_without_their_own_history(
    built: dict[str, Any],
) -> None:
    figures = copy.deepcopy(built)
    earlier = {k: v for k, v in built.items() if k in ("schema", "agency")} | {"year": 112}
    figures["history"] = {"112": earlier}
    assert schema_problem(figures) is None
    figures["history"]["112"]["history"] = {}
    assert schema_problem(figures) == "「history.112.history」不應出現"
    figures["history"] = {"民國112": earlier}
    assert "不是民國年度" in (schema_problem(figures) or "")
    figures["history"] = {"112": {"year": 112}}
    assert schema_problem(figures) == "缺少「history.112.schema」"


def _paths(node: Any, prefix: str = "") -> list[str]:
    """Every key and list index of a document, as dotted paths."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    found = []
    for key, value in items:
        path = f"{prefix}{key}"
        found.append(path)
        if isinstance(value, dict | list):
            found += _paths(value, path + ".")
    return found


MUTATIONS: list[Any] = [_DELETE, None, "", "x", -1, 0.5, 10**30, True, [], {}, {"a": 1}, 2024]


def test_every_kind_of_change_is_judged_as_jsonschema_does_and_explained(
    built_with_history: dict[str, Any],
) -> None:
    """Each key of a real file, changed each way: the check's verdict is jsonschema's, and a
    rejected file is explained in Chinese."""
    reference = Draft202012Validator(figures_schema())
    paths = _paths(built_with_history)
    rejected = 0
    for i, path in enumerate(paths[::6]):  # a sixth of the keys, every kind of change
        figures = copy.deepcopy(built_with_history)
        _set(figures, path, MUTATIONS[i % len(MUTATIONS)])
        problem = schema_problem(figures)
        assert (problem is None) == reference.is_valid(figures), path
        if problem is not None:
            rejected += 1
            assert any("\u4e00" <= ch <= "\u9fff" for ch in problem), (path, problem)
    assert rejected > 50, rejected  # about a third of the changes break the schema


# --- The schema and figures.py declare the same keys ---------------------------------------


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """`node`'s properties, following $ref and allOf."""
    defs = figures_schema()["$defs"]
    if "$ref" in node:
        return _resolve(defs[node["$ref"].split("/")[-1]])
    props: dict[str, Any] = dict(node.get("properties", {}))
    for part in node.get("allOf", []):
        props |= _resolve(part)
    return props


def _typed_keys(hint: Any, schema: dict[str, Any], path: str) -> list[str]:
    """The keys where the TypedDict `hint` and the schema node differ, with their paths."""
    if not typing.is_typeddict(hint):
        return []
    declared = typing.get_type_hints(hint)
    props = _resolve(schema)
    differ = [f"{path}.{k}" for k in sorted(set(declared) ^ set(props))]
    # A year of `history` is left loose by the schema; each is checked as a file of its own.
    for key in (set(declared) & set(props)) - {"history"}:
        inner, node = declared[key], props[key]
        if typing.get_origin(inner) is list and node.get("type") == "array":
            inner, node = typing.get_args(inner)[0], node["items"]
        elif typing.get_origin(inner) is dict and "additionalProperties" in node:
            inner, node = typing.get_args(inner)[1], node["additionalProperties"]
        differ += _typed_keys(inner, node, f"{path}.{key}")
    return differ


ADDED_LATER = {"plan", "built_at", "history"}
"""Keys a build writes that files of the first version lack: allowed, not required."""


def test_the_schema_and_the_typed_figures_declare_the_same_keys() -> None:
    schema = figures_schema()
    assert _typed_keys(Figures, schema, "figures") == []
    # and the schema requires every key the typed figures have, but those added later,
    # which the types say a file may lack (a missing `history` is read as none)
    assert set(schema["required"]) == set(typing.get_type_hints(Figures)) - ADDED_LATER
    hints = typing.get_type_hints(Figures, include_extras=True)
    may_lack = {k for k, v in hints.items() if typing.get_origin(v) is typing.NotRequired}
    assert may_lack == ADDED_LATER - {"history"}
    # and a year of `history` is the figures of a file, less its own history
    assert set(typing.get_type_hints(EarlierYear)) == set(typing.get_type_hints(Figures)) - {
        "history"
    }


def test_every_key_is_described_in_chinese() -> None:
    undescribed = []

    def walk(node: Any, path: str) -> None:
        if not isinstance(node, dict):
            return
        for key, child in node.get("properties", {}).items():
            if isinstance(child, dict) and not any(
                "\u4e00" <= c <= "\u9fff" for c in child.get("description", "")
            ):
                undescribed.append(f"{path}.{key}")
            walk(child, f"{path}.{key}")
        for key in ("items", "additionalProperties"):
            walk(node.get(key), path)
        for part in node.get("allOf", []):
            walk(part, path)

    schema = figures_schema()
    walk(schema, "")
    for name, node in schema["$defs"].items():
        walk(node, f"$defs.{name}")
    assert undescribed == []
