"""The machine-readable `{Y}年度統計數據.json` (SPEC §6)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..atomic import atomic_path


def figures_json(figures: Mapping[str, Any]) -> str:
    """`figures` as the JSON text of SPEC §6: keys as given, ints as ints, floats as floats."""
    return json.dumps(figures, ensure_ascii=False, indent=2, allow_nan=False, default=_plain) + "\n"


def write_figures_json(figures: Mapping[str, Any], path: Path) -> None:
    """Write `figures` to `path` as UTF-8 JSON, replacing any previous file in one step."""
    text = figures_json(figures)
    with atomic_path(path) as tmp:
        # A file name the system could not decode holds surrogates: written as 「?」.
        tmp.write_text(text, encoding="utf-8", errors="replace", newline="\n")


def _plain(value: Any) -> Any:
    # Aggregation works on pandas frames, so numpy scalars and dates can slip through.
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"{type(value).__name__} 無法寫入 JSON：{value!r}")
