"""The published JSON Schema of the figures files (`figures.schema.json`, SPEC §6) and the
check of one file against it with jsonschema, in Chinese naming the key: for the roll-up's
many agencies' files and for a build's earlier years (history).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # jsonschema loads when a file is first checked: a first year reads none
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_FILE = "figures.schema.json"


@cache
def figures_schema() -> dict[str, Any]:
    """The JSON Schema of `gmreport.figures/1` that ships in the package."""
    text = (resources.files("gmreport") / SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(figures_schema())


def schema_problem(data: Any) -> str | None:
    """Why `data` is not a valid figures document, in Chinese naming the key; None if it is."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(data))
    return None if error is None else _explain(error)


_TYPES = {
    "integer": "整數",
    "number": "數字",
    "string": "文字",
    "object": "物件（{…}）",
    "array": "陣列（[…]）",
    "boolean": "true 或 false",
    "null": "null",
}


def _explain(error: ValidationError) -> str:
    where = ".".join(str(p) for p in error.absolute_path)
    shown = f"「{where}」" if where else "檔案內容"
    value = brief(error.instance)
    expected = error.validator_value
    match error.validator:
        case "required":
            missing = next(k for k in expected if k not in error.instance)
            return f"缺少「{f'{where}.' if where else ''}{missing}」"
        case "type":
            kinds = [expected] if isinstance(expected, str) else expected
            return f"{shown}應為{'或'.join(_TYPES.get(k, k) for k in kinds)}，目前是 {value}"
        case "minimum":
            return f"{shown}不可小於 {expected}，目前是 {value}"
        case "maximum":
            return f"{shown}不可大於 {expected}，目前是 {value}"
        case "const":
            return f"{shown}應為「{expected}」，目前是 {value}"
        case "minLength":
            return f"{shown}不可空白"
        case "maxLength":
            return f"{shown}過長（超過 {expected} 字）"
        case "pattern":
            return f"{shown}的鍵 {value} 不是民國年度"
        case "not" | False | None:
            return f"{shown}不應出現"
    return f"{shown}不符合格式"


def brief(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…"
