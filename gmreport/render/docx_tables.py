"""The report's tables in Word: each declared `Table` as a caption, the table and its note.

The template places a table with `{{p tables.<key> }}` (the whole paragraph becomes the
table) and refers to it as 「表{{ tables.<key>.number }}」. The look comes from the
template's styles, which `tools/make_report_template.py` writes under these names:
the table style 成果報告表格 (borders, cell margins, 標楷體/Times New Roman 10.5 pt),
表格內文 and 表格標題列 for cells, caption for the caption and 表註 for the note.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from ..format import writable
from ..tables import Table

TEXT_WIDTH_CM = 16.0  # A4 21 cm minus 2 × 2.5 cm
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


def run(text: str, style: str | None = None) -> str:
    """A run of text; a line break where the text has one."""
    rpr = f'<w:rPr><w:rStyle w:val="{style}"/></w:rPr>' if style else ""
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


def caption(label: str, number: str, title: str, style: str = CAPTION_STYLE) -> str:
    """「表N　title」 with N a SEQ field, so Word's list of tables finds it."""
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        + run(label)
        + field(f"SEQ {label} \\* ARABIC", number)
        + run("　" + title)
        + "</w:p>"
    )


def _para(text: str, style: str, *, keep: bool = False, mark: bool = False) -> str:
    keep_next = "<w:keepNext/>" if keep else ""
    body = run(text, MARK_STYLE if mark else None)
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep_next}</w:pPr>{body}</w:p>'


def _cell(
    text: str,
    width: int,
    style: str,
    *,
    span: int = 1,
    merge: str | None = None,
    shade: bool = False,
    keep: bool = False,
    mark: bool = False,
) -> str:
    pr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if merge is not None:
        pr += f'<w:vMerge w:val="{merge}"/>' if merge else "<w:vMerge/>"
    if shade:
        pr += f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>'
    pr += '<w:vAlign w:val="center"/>'
    return f"<w:tc><w:tcPr>{pr}</w:tcPr>{_para(text, style, keep=keep, mark=mark)}</w:tc>"


def _row(cells: list[str], *, header: bool = False) -> str:
    repeat = "<w:tblHeader/>" if header else ""
    return f"<w:tr><w:trPr><w:cantSplit/>{repeat}</w:trPr>{''.join(cells)}</w:tr>"


def table_xml(table: Table) -> str:
    """The caption, the table and its note, as the body of a Word document holds them."""
    shown = table.shown(report=True)
    cols = [table.cols[i] for i in shown]
    scale = TEXT_WIDTH_CM / sum(c.width for c in cols)
    widths = [round(c.width * scale * TWIPS_PER_CM) for c in cols]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    xml = caption("表", str(table.number or ""), table.caption)
    xml += (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{TABLE_STYLE}"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0"'
        ' w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
    )
    xml += _header(cols, widths)
    n = len(table.rows)
    last_item = n - table.totals - 1  # the row a total row keeps with
    for r in range(n):
        keep = (table.keep and r < n - 1) or (r == last_item and table.totals > 0)
        total = r > last_item
        cells = []
        for i, c, width in zip(shown, cols, widths, strict=True):
            style = HEADING_STYLE if total else LEFT_STYLE if c.left else TEXT_STYLE
            mark = (r, i) in table.marked
            cells.append(_cell(table.text(r, i), width, style, keep=keep, mark=mark))
        xml += _row(cells)
    if not n:
        xml += _row([_cell(table.empty, sum(widths), TEXT_STYLE, span=len(cols))])
    xml += "</w:tbl>"
    if table.note:
        xml += _para(table.note, NOTE_STYLE)
    return xml


def _header(cols: list[Any], widths: list[int]) -> str:
    """One header row, or two when some columns stand under a group header: a column of no
    group then spans both rows."""
    if not any(c.group for c in cols):
        cells = [
            _cell(c.short or c.header, w, HEADING_STYLE, shade=True)
            for c, w in zip(cols, widths, strict=True)
        ]
        return _row(cells, header=True)
    top, bottom = [], []
    j = 0
    while j < len(cols):
        c = cols[j]
        if c.group is None:
            top.append(
                _cell(c.short or c.header, widths[j], HEADING_STYLE, merge="restart", shade=True)
            )
            bottom.append(_cell("", widths[j], HEADING_STYLE, merge="", shade=True))
            j += 1
            continue
        k = j
        while k + 1 < len(cols) and cols[k + 1].group == c.group:
            k += 1
        span = sum(widths[j : k + 1])
        top.append(_cell(c.group, span, HEADING_STYLE, span=k - j + 1, shade=True))
        bottom += [
            _cell(cols[m].short or cols[m].header, widths[m], HEADING_STYLE, shade=True)
            for m in range(j, k + 1)
        ]
        j = k + 1
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

    def __str__(self) -> str:
        return table_xml(self.table)
