"""The report's tables in Word: each declared `Table` as a caption, the table and its note.

The template places a table with `{{p tables.<key> }}` (the whole paragraph becomes the
table) and refers to it as 「表{{ tables.<key>.number }}」. The look comes from the
template's styles, which `tools/make_report_template.py` writes under these names:
the table style 成果報告表格 (borders, cell margins, 標楷體/Times New Roman 10.5 pt),
表格內文 and 表格標題列 for cells, caption for the caption and 表註 for the note.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import Any
from xml.sax.saxutils import escape

from ..format import writable
from ..tables import Col, Table

TEXT_WIDTH_CM = 16.0  # A4 21 cm minus 2 × 2.5 cm
TABLE_PT = 10.5  # 五號字, the tables' size in the template
SMALL_PT = 9.0  # 小五, for a table too wide for 五號字
CELL_MARGIN = 57  # twips (0.1 cm), left and right of a cell's text
PAD_PT = 2 * CELL_MARGIN / 20 + 3.5  # the margins, the borders and a little room
SLACK = 1.0
"""A list of terms within this many characters of its column's width is broken by `lines`
rather than left to the word processor, whose widths may differ a little from `_ems`."""
TERM = 10
"""A term of up to this many characters is never wrapped: 「職工及自僱非公務人員」."""
NAME = 6
"""In a column of long text (names of plans, events), a name wraps after this many."""
CROWDED = 0.85
"""A table whose least widths take more of the line than this is set in 小五, so that its
long text gets room to run (at 五號字 it would be squeezed into a narrow column)."""
PROSE = 6.0
"""The least width of a column of sentences set left (a reason, a result): narrower, a
reason runs to ten lines."""
SENTENCE = "，。；"
"""A cell with these marks holds sentences, which may wrap between any two characters."""
MARKS = re.compile(r"[、，。；：！？「」『』（）《》〔〕()]")
BREAK = re.compile(
    r"(?<=[、，。；：！？」』）》〕)])(?![、，。；：！？」』）》〕)])|(?<![—－*\s])(?=[「『（《〔(])|(?<=\s)(?=[—－])"
)
"""Where a line may break in a list of terms: after a closing mark, before an opening one
and before a 「—（個資保護）」 (not inside it)."""
MIXED = re.compile(r"(?<=[^\x00-\x7f])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])(?=[^\x00-\x7f])")
"""Where Chinese meets a Latin word or a number."""
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%/:()\-]*.?")
"""A Latin word or a number, with the character after it (「6 人」 keeps 「6人」 together)."""
HEADER_FILL = "D9D9D9"
TWIPS_PER_CM = 567
TABLE_STYLE = "ReportTable"
CAPTION_STYLE = "Caption"
NOTE_STYLE = "TableNote"
TEXT_STYLE = "TableText"
LEFT_STYLE = "TableTextLeft"
HEADING_STYLE = "TableHeading"
MARK_STYLE = "Missed"
LATIN, KAI = "Times New Roman", "標楷體"
FONTS = (
    f'<w:rFonts w:ascii="{LATIN}" w:eastAsia="{KAI}" w:hAnsi="{LATIN}" w:cs="{LATIN}"'
    ' w:hint="eastAsia"/>'
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def run(
    text: str, style: str | None = None, size: float | None = None, *, bold: bool = False
) -> str:
    """A run of text (in `size` pt, else its style's); a line break where the text has one."""
    props = f'<w:rStyle w:val="{style}"/>' if style else ""
    if bold:
        props += "<w:b/><w:bCs/>"
    if size:
        props += f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    lines = "<w:br/>".join(
        f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in writable(text).split("\n")
    )
    return f"<w:r>{rpr}{lines}</w:r>" if text else ""


def field(instr: str, shown: str) -> str:
    """A Word field (SEQ, PAGE) showing `shown` until Word or LibreOffice updates it."""
    r = f"<w:r><w:rPr>{FONTS}</w:rPr>"
    return (
        f'{r}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'{r}<w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
        f'{r}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"{r}<w:t>{escape(shown)}</w:t></w:r>"
        f'{r}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def _para(
    text: str,
    style: str,
    size: float | None = None,
    *,
    keep: bool = False,
    mark: bool = False,
    bold: bool = False,
) -> str:
    keep_next = "<w:keepNext/>" if keep else ""
    body = run(text, MARK_STYLE if mark else None, size, bold=bold)
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep_next}</w:pPr>{body}</w:p>'


@dataclass(frozen=True)
class Layout:
    """How a table is set: each shown column's width (twips) and header, and the size of
    its text (None: the style's 10.5 pt)."""

    widths: list[int]
    headers: list[str]
    rooms: list[float]
    """Each column's room for text, in characters of the table's size."""
    size: float | None = None


def layout(cols: list[Col], texts: list[list[str]]) -> Layout:
    """The columns' widths on the text width, as a browser lays out a table: each column
    first gets the room its widest unbreakable piece needs (a term up to `TERM` characters,
    a name in a long-text column up to `NAME`, a number with its unit, half a header), then
    the room left goes to the columns in proportion to how much more they would need to
    hold each cell on one line. A table too crowded for 五號字 (10.5 pt) (see `CROWDED`) is
    set in 小五 (9 pt).
    A header wider than its column is set on two lines, split in its middle: 「觸及／人次」."""
    for pt in (TABLE_PT, SMALL_PT):
        low, high = _needs(cols, texts, PAD_PT / pt)
        room = TEXT_WIDTH_CM / 2.54 * 72 / pt  # the text width in characters of `pt`
        if sum(low) <= CROWDED * room:
            break
    if sum(high) <= room:
        ems = [h * room / sum(high) for h in high]
    elif sum(low) >= room:
        ems = [w * room / sum(low) for w in low]
    else:
        more = [h - w for w, h in zip(low, high, strict=True)]
        ems = [w + m * (room - sum(low)) / sum(more) for w, m in zip(low, more, strict=True)]
    _fill_the_nearly_full(ems, low, high)
    rooms = [w - PAD_PT / pt for w in ems]
    headers = [_header_lines(c.report_header, r) for c, r in zip(cols, rooms, strict=True)]
    twips = pt / 72 * 2.54 * TWIPS_PER_CM
    widths = [round(w * twips) for w in ems]
    return Layout(widths, headers, rooms, None if pt == TABLE_PT else pt)


def _fill_the_nearly_full(ems: list[float], low: list[float], high: list[float]) -> None:
    """A column up to two characters short of holding its longest cell on one line (a
    name that would leave 「與」 alone on a second line) gets them from the column with the
    most room above its least width, when that one can spare them."""
    for j in sorted(range(len(ems)), key=lambda j: high[j] - ems[j]):
        short = high[j] - ems[j]
        donor = max(range(len(ems)), key=lambda k: ems[k] - low[k] if k != j else -1.0)
        if 0 < short <= 2.0 and donor != j and ems[donor] - low[donor] >= short + 2.0:
            ems[j] += short
            ems[donor] -= short


def _needs(cols: list[Col], texts: list[list[str]], pad: float) -> tuple[list[float], list[float]]:
    """Each column's least width and the width that holds each of its cells on one line,
    in characters, with `pad` for the cell's margins."""
    low, high = [], []
    for col, values in zip(cols, texts, strict=True):
        header = col.report_header
        term, prose = (NAME, PROSE) if col.left else (TERM, 4.0)
        least = [_header_least(header), *(_unbreakable(v, term, prose) for v in values)]
        low.append(max(least) + pad)
        lines = [line for t in (header, *values) for line in t.split("\n")]
        wanted = _ems if col.left else _wanted  # a long text set left wants its whole line
        high.append(max(max(map(wanted, lines)) + pad, low[-1]))
    for first, last, group in _runs(cols):
        if not group:
            continue
        need = (_ems(group) + pad - sum(low[first:last])) / (last - first)
        for j in range(first, last):
            low[j] += max(need, 0)
            high[j] = max(high[j], low[j])
    return low, high


def _wanted(text: str) -> float:
    """The width `text` in a centred column would like: a sentence, or a short text, on one
    line; a long list of terms (「公務人員 —（個資保護）、主管人員 —（個資保護）、…」),
    which `lines` sets one part to a line, its widest part — so the room left goes to the
    columns of long text."""
    if _is_prose(text) or len(text) <= 2 * TERM:
        return _ems(text)
    return max(_ems(piece) for piece in BREAK.split(text) if piece)


def _is_prose(text: str) -> bool:
    """Whether `text` holds sentences (see `SENTENCE`), not a term or a list of terms."""
    return any(mark in text for mark in SENTENCE)


def _runs(cols: list[Col]) -> Iterable[tuple[int, int, str | None]]:
    """Each run of columns under one group header, or of none: (first, past the last, the
    header)."""
    j = 0
    for group, run_ in groupby(cols, key=lambda c: c.group):
        k = j + len(list(run_))
        yield j, k, group
        j = k


def _ems(text: str) -> float:
    """The width of `text` in the tables' Chinese characters: a Latin letter or digit is
    about half of one, a capital or 「%」 a little more, and the word processor sets a fifth of one
    between Chinese and a Latin word or number (「113 年」)."""
    wide = sum(unicodedata.east_asian_width(ch) in "WFA" for ch in text)  # 「—」 is wide in Kai
    capitals = sum(ch.isupper() for ch in text) + 2 * text.count("%")
    return wide + (len(text) - wide) / 2 + 0.2 * (capitals + len(MIXED.findall(text)))


def _unbreakable(text: str, term: int = TERM, prose: float = 4.0) -> float:
    """The widest piece of `text` that is not to be wrapped: its terms up to `term`
    characters (marks not counted), its Latin words and numbers, and for sentences the
    width `prose` (see `layout`)."""
    widest = max((_ems(m.group()) for m in WORD.finditer(text)), default=0.0)
    if _is_prose(text):
        return max(widest, prose)
    for line in text.split("\n"):
        for piece in BREAK.split(line):
            short = len(MARKS.sub("", "".join(piece.split()))) <= term
            widest = max(widest, _ems(piece) if short else 4.0)
    return widest


def _halves(header: str) -> list[str] | None:
    """A header of four or six characters and no marks as two lines, or None."""
    if len(header) in (4, 6) and not BREAK.search(header[1:]) and not WORD.search(header):
        return [header[: len(header) // 2], header[len(header) // 2 :]]
    return None


def _header_least(header: str) -> float:
    halves = _halves(header)
    return max(map(_ems, halves)) if halves else _unbreakable(header)


def _header_lines(header: str, room: float) -> str:
    """The header as set in a column `room` characters wide."""
    halves = _halves(header)
    return "\n".join(halves) if halves and _ems(header) > room + 0.01 else header


def lines(text: str, room: float) -> str:
    """A name or a list of names (no sentence) too wide for `room` characters, broken
    between its parts so that no part wraps: 「男 5 人、女 6 人」 as 「男 5 人、」 over
    「女 6 人」. Sentences, and text that fits, are left to the word processor."""
    if _ems(text) <= room - SLACK or "\n" in text or _is_prose(text):
        return text
    out = [""]
    for piece in filter(None, BREAK.split(text)):
        if out[-1] and _ems(out[-1] + piece) > room:
            out.append("")
        out[-1] += piece
    return "\n".join(out)


def _cell(
    width: int, para: str, *, span: int = 1, merge: str | None = None, shade: bool = False
) -> str:
    """A cell holding `para`, across `span` columns, the first ("restart") or a next ("")
    of cells merged down, shaded as a header if `shade`."""
    pr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if merge is not None:
        pr += f'<w:vMerge w:val="{merge}"/>' if merge else "<w:vMerge/>"
    if shade:
        pr += f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>'
    return f'<w:tc><w:tcPr>{pr}<w:vAlign w:val="center"/></w:tcPr>{para}</w:tc>'


def _row(cells: list[str], *, header: bool = False) -> str:
    repeat = "<w:tblHeader/>" if header else ""
    return f"<w:tr><w:trPr><w:cantSplit/>{repeat}</w:trPr>{''.join(cells)}</w:tr>"


def table_xml(table: Table) -> str:
    """The caption (「表N」 with N a SEQ field, so Word's list of tables finds it), the table
    and its note, as the body of a Word document holds them."""
    shown = table.shown(report=True)
    cols = [table.cols[i] for i in shown]
    texts = [[table.text(r, i) for r in range(len(table.rows))] for i in shown]
    set_as = layout(cols, texts)
    widths, size = set_as.widths, set_as.size
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    number = field("SEQ 表 \\* ARABIC", str(table.number or ""))
    xml = (
        f'<w:p><w:pPr><w:pStyle w:val="{CAPTION_STYLE}"/></w:pPr>'
        f"{run('表')}{number}{run('　' + table.caption)}</w:p>"
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{TABLE_STYLE}"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/>'
        f'<w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0"'
        ' w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
    )
    xml += _header(cols, set_as)
    n = len(table.rows)
    last_item = n - table.totals - 1  # the row a total row keeps with
    section = table.section
    note = table.note if table.report_note is None else table.report_note
    for r in range(n):
        keep = (table.keep and r < n - 1) or (bool(note) and _kept(r, n, last_item))
        if section is not None and (r == 0 or table.rows[r][section] != table.rows[r - 1][section]):
            heading = table.text(r, section)  # a row across the table, kept with its rows
            para = _para(heading, LEFT_STYLE, size, keep=True, bold=True)
            xml += _row([_cell(sum(widths), para, span=len(cols))])
        cells = []
        for j, (i, c) in enumerate(zip(shown, cols, strict=True)):
            style = HEADING_STYLE if r > last_item else LEFT_STYLE if c.left else TEXT_STYLE
            text = lines(texts[j][r], set_as.rooms[j])
            para = _para(text, style, size, keep=keep, mark=(r, i) in table.marked)
            cells.append(_cell(widths[j], para))
        xml += _row(cells)
    if not n:
        xml += _row([_cell(sum(widths), _para(table.empty, TEXT_STYLE, size), span=len(cols))])
    xml += "</w:tbl>"
    if note:
        xml += _para(note, NOTE_STYLE)
    return xml


def _kept(r: int, n: int, last_item: int) -> bool:
    """Whether row `r` of a table with a note keeps with the next: the first (a table never
    begins at a page foot with one row), the last item (the total keeps with it) and the
    last (the note never heads a page alone).

    Only a table with a note: LibreOffice keeps a table whose rows keep with the next with
    whatever follows it, and a chart there left a page about 60% empty (114 表22); a note is
    short."""
    return (r == 0 and n > 2) or r == last_item or r == n - 1


def _header(cols: list[Col], set_as: Layout) -> str:
    """One header row, or two when some columns stand under a group header: a column of no
    group then spans both rows."""
    widths, headers = set_as.widths, set_as.headers

    def cell(text: str, width: int, **kw: Any) -> str:  # kept with the rows under it
        return _cell(width, _para(text, HEADING_STYLE, set_as.size, keep=True), shade=True, **kw)

    if not any(c.group for c in cols):
        return _row([cell(h, w) for h, w in zip(headers, widths, strict=True)], header=True)
    top, bottom = [], []
    for first, last, group in _runs(cols):
        if group:
            top.append(cell(group, sum(widths[first:last]), span=last - first))
            bottom += [cell(headers[m], widths[m]) for m in range(first, last)]
        else:
            top += [cell(headers[m], widths[m], merge="restart") for m in range(first, last)]
            bottom += [cell("", widths[m], merge="") for m in range(first, last)]
    return _row(top, header=True) + _row(bottom, header=True)


@dataclass(frozen=True)
class DocxTable:
    """A table as the template places it: `{{p tables.meetings }}`, 「表{{ tables.meetings.number }}」."""

    table: Table

    @property
    def number(self) -> int | None:
        return self.table.number

    @property
    def caption(self) -> str:
        return self.table.caption

    def __html__(self) -> str:
        return table_xml(self.table)

    __str__ = __html__
