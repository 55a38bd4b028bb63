"""The shipped Word template of the city's roll-up is exactly its generator's output.

Its source is `tools/make_rollup_template.py` (which shares the agency report's styles
with `tools/make_report_template.py`); the committed .docx must be what it makes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from gmreport.render.rollup_report import TEMPLATE_NAME

from .conftest import ROOT, load_tool


def _parts(docx: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(docx) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_shipped_rollup_template_is_exactly_the_generators_output(tmp_path: Path) -> None:
    made = _parts(load_tool("make_rollup_template").build_template(tmp_path / TEMPLATE_NAME))
    committed = _parts(ROOT / "templates" / TEMPLATE_NAME)
    drift = [n for n in sorted(made.keys() | committed.keys()) if made.get(n) != committed.get(n)]
    assert not drift, (
        f"templates/{TEMPLATE_NAME} differs from tools/make_rollup_template.py in {drift}: "
        "change the generator and run it."
    )
