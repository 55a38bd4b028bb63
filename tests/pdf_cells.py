"""Words broken inside a table cell, read off the PDF as its reader sees it.

pdfplumber finds the ruled tables of each page and the text lines of
each cell. Chinese may wrap between any two characters, but not everywhere a reader accepts:

- a closing mark (」）、，。) never starts a line, an opening one (「（) never ends one;
- a Latin word or a number is never split (「CEDA／W」, 「1,3／50」);
- in a cell that is a term or a list of them rather than sentences (no 「，。；」; a title 「甲：乙」 is a name), a term —
  the text between two marks or brackets, up to `TERM` characters (「宣導對象」,
  「職工及自僱非公務人員」, 「女 6 人」 in 「男 5 人、女 6 人」) — stays on one line; in a
  cell set left (the names of plans and events) a name may wrap after `NAME` characters.
  Sentences wrap where they must.

A line break the document itself puts in a cell (a header written on two lines) is allowed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

TERM = 10
NAME = 6
CLOSING = "」』）》〕、，。；：！？％)]%,.;:"
OPENING = "「『（《〔([$"
LATIN = re.compile(r"[A-Za-z0-9]")
SENTENCE = "，。；"
MARGIN = 6.0  # points: a line starting this close to the cell's left edge is set left
MARKS = re.compile(r"[、，。；：！？「」『』（）《》〔〕()]")


@dataclass(frozen=True)
class Cell:
    page: int
    lines: tuple[str, ...]
    left: bool
    """Set left: every line starts at the cell's left margin."""

    @property
    def text(self) -> str:
        return "".join(self.lines)


def cells(pdf: Path) -> Iterator[Cell]:
    """Every cell of every ruled table in `pdf`, as its lines (spaces left out)."""
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            for table in page.find_tables():
                for row in table.rows:
                    for box in row.cells:
                        if box is not None:
                            rows = _rows(page.within_bbox(box).chars)
                            if rows:
                                left = all(row[0]["x0"] - box[0] < MARGIN for row in rows)
                                yield Cell(number, tuple(map(_text, rows)), left)


def _text(row: list[dict]) -> str:
    return re.sub(r"\s+", "", "".join(c["text"] for c in row))


def _rows(chars: Iterable[dict]) -> list[list[dict]]:
    """The characters as lines, top to bottom, each left to right."""
    rows: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if rows and abs(char["top"] - rows[-1][0]["top"]) < char["size"] * 0.5:
            rows[-1].append(char)
        else:
            rows.append([char])
    rows = [sorted(row, key=lambda c: c["x0"]) for row in rows]
    return [[c for c in row if c["text"].strip()] for row in rows if _text(row)]


def breaks(cell: Cell, written: frozenset[int] = frozenset()) -> list[str]:
    """How `cell` breaks a word, each as 「前行｜後行」; `written` holds the places (offsets
    in the cell's text) where the document itself breaks the line."""
    found = []
    prose = any(mark in cell.text for mark in SENTENCE)
    at = 0
    for before, after in zip(cell.lines, cell.lines[1:], strict=False):
        at += len(before)
        if at in written:
            continue
        where = f"第 {cell.page} 頁「{before}｜{after}」"
        if after[0] in CLOSING or before[-1] in OPENING:
            found.append(f"{where}：標點在行首或行尾")
        elif LATIN.match(before[-1]) and LATIN.match(after[0]):
            found.append(f"{where}：拆開英文字或數字")
        elif not prose and _term_across(cell.text, at, written, NAME if cell.left else TERM):
            found.append(f"{where}：拆開詞語")
    return found


def _term_across(text: str, at: int, written: frozenset[int], term: int) -> bool:
    """Whether the break at offset `at` falls inside a term of `text` of up to `term`
    characters."""
    start = max((m.end() for m in MARKS.finditer(text, 0, at)), default=0)
    start = max([start, *(w for w in written if w < at)])
    end = min((m.start() for m in MARKS.finditer(text, at)), default=len(text))
    end = min([end, *(w for w in written if w > at)])
    return start < at < end and end - start <= term


def written(docx: Path) -> dict[str, frozenset[int]]:
    """The line breaks the document itself puts in its table cells: for each cell's text
    (spaces left out), the offsets where a line ends."""
    from docx import Document

    found: dict[str, frozenset[int]] = {}
    for table in Document(str(docx)).tables:
        for row in table.rows:
            for cell in row.cells:
                lines = [re.sub(r"\s+", "", line) for line in cell.text.split("\n")]
                if len(lines) > 1:
                    ends = itertools.accumulate(len(line) for line in lines[:-1])
                    found["".join(lines)] = frozenset(ends)
    return found


def broken_words(pdf: Path, docx: Path) -> list[str]:
    """Every word the PDF of `docx` breaks inside a table cell (see `breaks`)."""
    breaks_in = written(docx)
    return [b for cell in cells(pdf) for b in breaks(cell, breaks_in.get(cell.text, frozenset()))]
