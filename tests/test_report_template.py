"""The shipped Word template: one declared source, and every kind of install finds it.

The source of `templates/年度執行成果報告.docx` is `tools/make_report_template.py`, code a
reviewer can read in a diff; the committed .docx must be exactly its output. An office
that wants other wording edits a copy in Word and sets `report_template` (test_report.py
and test_pipeline.py cover rendering such a copy).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from gmreport.render.report import TEMPLATE_NAME

from .conftest import ROOT, SAMPLES, load_tool


def _parts(docx: Path) -> dict[str, bytes]:
    """Each part of a .docx, uncompressed (so the zip library's version does not matter)."""
    with zipfile.ZipFile(docx) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_shipped_template_is_exactly_the_generators_output(tmp_path: Path) -> None:
    tool = load_tool("make_report_template")
    made = _parts(tool.build_template(tmp_path / TEMPLATE_NAME))
    committed = _parts(ROOT / "templates" / TEMPLATE_NAME)
    drift = [n for n in sorted(made.keys() | committed.keys()) if made.get(n) != committed.get(n)]
    assert not drift, (
        f"templates/{TEMPLATE_NAME} differs from tools/make_report_template.py in {drift}: "
        "change the generator and run it; do not edit the shipped template in Word "
        "(an office edits a copy and sets report_template)."
    )


@pytest.mark.slow
def test_a_regular_install_renders_the_report(tmp_path: Path) -> None:
    """`pip install .` (not editable): the wheel carries the templates and the figures' JSON
    Schema inside the package."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("gmreport", "templates"):
        shutil.copytree(
            ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    site = tmp_path / "site"
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "install", "--quiet"),
            *("--no-deps", "--no-build-isolation", "--target", str(site), str(source)),
        ],
        check=True,
        capture_output=True,
    )
    shutil.rmtree(source)  # nothing of the source tree is left to be found
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONIOENCODING": "utf-8"}
    run = tmp_path / "elsewhere"
    run.mkdir()
    where = subprocess.run(
        [sys.executable, "-c", "import gmreport.templates as t; print(t.__file__)"],
        cwd=run,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(site)
    script = site / "bin" / "gmreport"  # the command the install made, as a person runs it
    assert script.is_file()
    done = subprocess.run(
        [str(script), "build", "--input", str(SAMPLES), "--output", "out"],
        cwd=run,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    report = run / "out" / "113年度性別主流化執行成果報告.docx"
    assert report.is_file()
    with zipfile.ZipFile(report) as z:
        assert "旗津區公所" in z.read("word/document.xml").decode("utf-8")
    # and the city's roll-up of that build: the JSON Schema and its template ship too
    rolled = subprocess.run(
        [str(script), "rollup", "out", "--output", "city"],
        cwd=run,
        env=env,
        capture_output=True,
        text=True,
    )
    assert rolled.returncode == 0, rolled.stderr
    with zipfile.ZipFile(run / "city" / "113年度各機關性別主流化執行成果彙整報告.docx") as z:
        assert "旗津區公所" in z.read("word/document.xml").decode("utf-8")
