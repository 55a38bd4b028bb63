"""The report's 目錄: a Word TOC field whose entries are filled in when the report is made.

Word rebuilds the field when the report is opened (the template asks it to update fields);
LibreOffice shows the entries as they are written. So the entries are written here from the
report's own headings, numbered as the template numbers them (壹、 and 一、), and, once a PDF
has been made, with the page each heading fell on (`pages_of`), so that the PDF made again
from the same document shows them.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx.document import Document as DocumentObject
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from .docx_tables import W, run

TOC_FIELD = 'TOC \\o "1-2" \\h \\z \\u'
"""The template's TOC field: the headings of levels 1 and 2."""
TOC_MARK = "TOC \\o"
"""How such a field's instruction begins."""
LEVELS = {"Heading1": 0, "Heading2": 1}
ENTRY_STYLES = ("TOC1", "TOC2")
NUMBERS = (("壹貳參肆伍陸柒捌玖", "拾"), ("一二三四五六七八九", "十"))
"""The digits and the ten of each level's numbering (壹、 and 一、), as the template's."""


def headings(document: DocumentObject) -> list[tuple[int, str]]:
    """Each heading of levels 1 and 2 as the reader sees it (「貳、辦理情形」), with its level."""
    counts = [0, 0]
    found = []
    for p in document.paragraphs:
        level = LEVELS.get(p.style.style_id if p.style is not None else "")
        if level is None or not p.text.strip():
            continue
        counts[level] += 1
        if level == 0:
            counts[1] = 0
        number = _numeral(counts[level], *NUMBERS[level])
        found.append((level, f"{number}、{p.text.strip()}"))
    return found


def fill(document: DocumentObject, pages: Sequence[int | None] = ()) -> bool:
    """Write the document's headings as the shown entries of its TOC field, each with its
    page from `pages` (in heading order; None: not known) — the field begins in the first
    entry and ends in the last. False if the document has no TOC field."""
    body = document.element.body
    first = next((p for p in body.iter(qn("w:p")) if _instruction(p).startswith(TOC_MARK)), None)
    if first is None:
        return False
    runs = first.findall(qn("w:r"))
    separate = next(i for i, r in enumerate(runs) if _char(r) == "separate")
    opening = [copy.deepcopy(r) for r in runs[: separate + 1]]
    entries = headings(document)
    numbers = [*pages, *[None] * len(entries)][: len(entries)]
    paragraphs = [
        parse_xml(
            f'<w:p {W}><w:pPr><w:pStyle w:val="{ENTRY_STYLES[level]}"/></w:pPr>'
            f"{run(text)}<w:r><w:tab/></w:r>{run('' if page is None else str(page))}</w:p>"
        )
        for (level, text), page in zip(entries, numbers, strict=True)
    ] or [parse_xml(f"<w:p {W}/>")]
    for i, r in enumerate(opening):
        paragraphs[0].insert(i + 1, r)  # after its properties
    paragraphs[-1].append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>'))
    old = [first, *_rest_of_field(first)]
    for p in paragraphs:
        first.addprevious(p)
    for p in old:
        p.getparent().remove(p)
    return True


def pages_of(pdf: Path, entries: Sequence[tuple[int, str]]) -> list[int | None]:
    """The page each heading of `entries` (in order) falls on in `pdf`, found as a line of
    its text, the first after the previous heading's (the 目錄's own lines end with a page
    number, so they are not taken for the heading); None where not found."""
    from pypdf import PdfReader  # a tenth of a second: only when a PDF is made
    from pypdf.errors import PdfReadError

    try:
        texts = [page.extract_text() or "" for page in PdfReader(pdf).pages]
    except (OSError, PdfReadError, ValueError):
        return [None] * len(entries)
    lines = [
        (n, re.sub(r"\s+", "", line))
        for n, text in enumerate(texts, start=1)
        for line in text.splitlines()
    ]
    found: list[int | None] = []
    at = 0
    for _, text in entries:
        wanted = re.sub(r"\s+", "", text)
        page = None
        for i in range(at, len(lines)):
            n, line = lines[i]
            whole = line == wanted or (len(line) >= 8 and wanted.startswith(line))
            if whole:
                page, at = n, i + 1
                break
        found.append(page)
    return found


def _numeral(n: int, digits: str, ten: str) -> str:
    """n in Chinese numerals as Word's numbering writes a heading's: 壹 … 玖, 拾, 拾壹 …
    (ideographLegalTraditional) or 一 … 九, 十, 十一 … (taiwaneseCountingThousand)."""
    tens, ones = divmod(n, 10)
    return (
        (digits[tens - 1] if tens > 1 else "")
        + (ten if tens else "")
        + (digits[ones - 1] if ones else "")
    )


def _instruction(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:instrText"))).strip()


def _char(r: Any) -> str:
    found = r.find(qn("w:fldChar"))
    return found.get(qn("w:fldCharType")) if found is not None else ""


def _rest_of_field(first: Any) -> list[Any]:
    """The paragraphs after `first` up to the one holding the end of the field that begins
    in `first` (none if `first` holds it, or no paragraph does)."""
    found = []
    p = first
    while not any(_char(r) == "end" for r in p.findall(qn("w:r"))):
        p = p.getnext()
        if p is None:
            return []
        found.append(p)
    return found
