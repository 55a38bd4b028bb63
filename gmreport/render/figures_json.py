"""The machine-readable `{Y}年度統計數據.json` (SPEC §6)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..atomic import atomic_path


def figures_json(figures: Mapping[str, Any]) -> str:
    """`figures` as the JSON text of SPEC §6: keys as given, ints as ints, floats as floats.

    The figures are plain Python values already (aggregate converts what pandas computes);
    anything else, a numpy number or a date, is a bug and raises TypeError."""
    return json.dumps(figures, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def write_figures_json(figures: Mapping[str, Any], path: Path) -> None:
    """Write `figures` to `path` as UTF-8 JSON, replacing any previous file in one step."""
    text = figures_json(figures)
    with atomic_path(path) as tmp:
        # A file name the system could not decode holds surrogates: written as 「?」.
        tmp.write_text(text, encoding="utf-8", errors="replace", newline="\n")
