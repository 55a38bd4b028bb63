"""How full each page of a PDF is, read as its reader sees it: the page rendered by poppler,
ink (text, tables, charts) measured down to the footer."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

DPI = 36
FOOTER = "頁，共"


@dataclass(frozen=True)
class Page:
    number: int
    fill: float  # share of the body area, top margin to footer, that holds ink
    first_words: str  # the page's first line of text, to tell where a chapter starts


def pages(pdf: Path) -> list[Page]:
    """Each page's fill and first words."""
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words_by_page = [
        re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', chunk)
        for chunk in bbox.split("<page ")[1:]
    ]
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', bbox).group(1))
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), str(pdf), f"{tmp}/p"], check=True)
        images = sorted(Path(tmp).glob("p-*.pgm"))
        ink = [_ink_rows(Image.open(path)) for path in images]
    scale = DPI / 72
    top = min(rows[0] for rows in ink if rows) / scale  # the top margin, in points
    result = []
    for number, (words, rows) in enumerate(zip(words_by_page, ink, strict=True), start=1):
        footer = min((float(y0) for y0, _, text in words if FOOTER in text), default=height)
        body = [r / scale for r in rows if r / scale < footer - 2]
        bottom = max(body, default=top)
        lines = [text for _, _, text in words if FOOTER not in text]
        result.append(Page(number, (bottom - top) / (footer - top), "".join(lines[:6]).strip()))
    return result


def _ink_rows(image: Image.Image) -> list[int]:
    """The pixel rows holding anything darker than the paper."""
    width, height = image.size
    data = image.load()
    return [y for y in range(height) if any(data[x, y] < 200 for x in range(width))]
