"""Build the docxtpl Word template `templates/年度執行成果報告.docx`.

Run by developers (`python tools/make_report_template.py`); the output is committed. People
may then edit the wording and styles in Word: everything between {{ }} and {% %} is data
the program fills in, the rest is ordinary Word text.

The template holds the report's wording, styles, numbering and page; the tables are not in
it. Each table is declared once in `gmreport.tables` and written at render time where the
template says `{{p tables.<key> }}` (caption, table and note), and the text cites it as
「表{{ tables.<key>.number }}」. The chapters of 貳、辦理情形 loop over the plan's work items
(`work_items`): the five known ones have their wording here (`CHAPTERS`), any other reads
its name, its declared tables and what the units wrote under it.

Why this script, not the .docx, is the template's source: what the template still holds
besides wording is structure that Word edits badly and a review cannot read in a binary
file — the chapters' loop and its `{%p if %}` blocks, multilevel heading numbering, SEQ and
PAGE fields, the draft watermark, and (next) the 目錄 field, the per-item results tables
and the photo blocks. Written as code, each change is a readable diff, the output is byte
for byte reproducible (`tests/test_report_template.py` holds the committed file to it), and
the styles the table writer names (`gmreport.render.docx_tables`) are declared beside it.
An office that wants other wording edits a copy in Word (config `report_template`), which
the build checks against the data; wording meant for every office is changed here.

The document is made for zh-TW: 標楷體 for Chinese and Times New Roman for Latin text and
digits, set on every style with no theme fonts; A4 with 2.5 cm margins; headings numbered
壹、一、（一） by Word multilevel numbering; footer 「第 X 頁，共 Y 頁」.
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from docx import Document

sys.path.insert(0, str(Path(__file__).resolve().parent))
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Twips
from docx.table import Table
from reproducible import write_reproducibly

from gmreport.privacy import PROTECTED_TEXT
from gmreport.render import CHART_TITLES, WHOLE_AGENCY_CHARTS
from gmreport.render.docx_tables import HEADER_FILL, KAI, LATIN, TEXT_WIDTH_CM, field, run
from gmreport.render.toc import TOC_FIELD
from gmreport.render.trends import PERIOD_TARGETS_KEY, PERIOD_TOTALS_KEY, TREND_TABLES
from gmreport.schema import EVERYONE

OUT = Path(__file__).resolve().parents[1] / "templates" / "年度執行成果報告.docx"

CHAR = 280  # one 14 pt character in twips, the unit of CJK indents
TABLE_PT = 10.5  # 五號字

NS = nsdecls("w")


def _fonts(size_pt: float | None = None, *, bold: bool = False, color: str | None = None) -> str:
    xml = (
        f'<w:rFonts w:ascii="{LATIN}" w:eastAsia="{KAI}" w:hAnsi="{LATIN}" w:cs="{LATIN}"'
        ' w:hint="eastAsia"/>'
    )
    if bold:
        xml += "<w:b/><w:bCs/>"
    if color:
        xml += f'<w:color w:val="{color}"/>'
    if size_pt:
        half = round(size_pt * 2)
        xml += f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
    return xml


LANG = '<w:lang w:val="en-US" w:eastAsia="zh-TW" w:bidi="ar-SA"/>'


@dataclass(frozen=True)
class ParaStyle:
    """A paragraph style: its id, the name people see in Word and its formatting."""

    style_id: str
    name: str
    ppr: str
    size: float
    bold: bool = False
    based_on: str | None = "Normal"
    next_id: str | None = None
    numbering: tuple[int, int] | None = None  # (numId, ilvl)
    outline: int | None = None
    builtin: bool = False
    color: str | None = None


def _spacing(before: float, after: float, line_pt: float | None) -> str:
    line = (
        f' w:line="{round(line_pt * 20)}" w:lineRule="exact"'
        if line_pt
        else ' w:line="240" w:lineRule="auto"'
    )
    return f'<w:spacing w:before="{round(before * 20)}" w:after="{round(after * 20)}"{line}/>'


def _ind(left: int, hanging: int = 0, first: int = 0) -> str:
    if hanging:
        return f'<w:ind w:left="{left}" w:hanging="{hanging}"/>'
    return f'<w:ind w:left="{left}" w:firstLine="{first}"/>'


HEADING_NUM, APPENDIX_NUM, FINDING_NUM = 1, 2, 3
FINDINGS_AGAIN_NUM = 4
"""The findings' numbering begun again at （一）, for a second list of them."""

TOC_TABS = (
    f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{round(TEXT_WIDTH_CM * 567)}"/></w:tabs>'
)
"""The 目錄's page numbers at the right edge of the text, dots leading to them."""

# Geometry of the three heading levels: where the number starts and where the text starts.
H1_TEXT = 2 * 320  # "壹、" at 16 pt
H2_NUM, H2_TEXT = CHAR, 3 * CHAR
H3_NUM, H3_TEXT = 2 * CHAR, 5 * CHAR

PARA_STYLES = (
    ParaStyle(
        "Normal",
        "Normal",
        '<w:widowControl/><w:adjustRightInd w:val="0"/><w:snapToGrid w:val="0"/>'
        + _spacing(0, 0, 24)
        + '<w:jc w:val="left"/>',
        14,
        based_on=None,
        builtin=True,
    ),
    ParaStyle(
        "Title",
        "Title",
        '<w:keepNext/><w:spacing w:before="0" w:after="120" w:line="240" w:lineRule="auto"/>'
        '<w:jc w:val="center"/>',
        20,
        bold=True,
        next_id="Subtitle",
        builtin=True,
    ),
    ParaStyle(
        "Subtitle",
        "Subtitle",
        _spacing(6, 12, None) + '<w:jc w:val="center"/>',
        14,
        next_id="Normal",
        builtin=True,
    ),
    ParaStyle(
        "Heading1",
        "heading 1",
        "<w:keepNext/><w:keepLines/>" + _spacing(18, 6, 26) + _ind(H1_TEXT, H1_TEXT),
        16,
        bold=True,
        numbering=(HEADING_NUM, 0),
        outline=0,
        next_id="BodyText1",
        builtin=True,
    ),
    ParaStyle(
        "Heading2",
        "heading 2",
        "<w:keepNext/><w:keepLines/>" + _spacing(12, 3, 24) + _ind(H2_TEXT, H2_TEXT - H2_NUM),
        14,
        bold=True,
        numbering=(HEADING_NUM, 1),
        outline=1,
        next_id="BodyText2",
        builtin=True,
    ),
    ParaStyle(
        "Heading3",
        "heading 3",
        "<w:keepNext/><w:keepLines/>" + _spacing(6, 0, 24) + _ind(H3_TEXT, H3_TEXT - H3_NUM),
        14,
        numbering=(HEADING_NUM, 2),
        outline=2,
        next_id="BodyText3",
        builtin=True,
    ),
    ParaStyle("BodyText1", "本文（壹）", _ind(H1_TEXT), 14),
    ParaStyle("BodyText2", "本文（一）", _ind(H2_TEXT), 14),
    ParaStyle("BodyText3", "本文（（一））", _ind(H3_TEXT), 14),
    ParaStyle("BodyText2Next", "本文（一）接下段", "<w:keepNext/>" + _ind(H2_TEXT), 14),
    ParaStyle("LeadUnits", "主協辦單位", "<w:keepNext/>" + _ind(H2_TEXT), 14),
    ParaStyle(
        "SignOff",
        "核章",
        "<w:keepNext/>" + _spacing(3, 3, None) + _ind(0) + '<w:jc w:val="center"/>',
        14,
    ),
    ParaStyle(
        "TOCHeading",
        "TOC Heading",
        _spacing(12, 12, None) + '<w:jc w:val="center"/>',
        16,
        bold=True,
        builtin=True,
    ),
    ParaStyle("TOC1", "toc 1", TOC_TABS + _spacing(6, 0, None) + _ind(0), 14, builtin=True),
    ParaStyle("TOC2", "toc 2", TOC_TABS + _spacing(0, 0, None) + _ind(H1_TEXT), 14, builtin=True),
    ParaStyle("Closing", "結語", "<w:keepNext/>" + _spacing(12, 0, None) + _ind(H1_TEXT), 14),
    ParaStyle(
        "Finding",
        "檢討事項",
        _ind(H3_TEXT, H3_TEXT - H3_NUM),
        14,
        numbering=(FINDING_NUM, 0),
    ),
    ParaStyle(
        "DraftNote",
        "草稿說明",
        _spacing(3, 3, None) + _ind(0) + '<w:jc w:val="center"/>',
        12,
        bold=True,
        color="C00000",
    ),
    ParaStyle(
        "AppendixTitle",
        "附件標題",
        "<w:pageBreakBefore/><w:keepNext/><w:keepLines/>" + _spacing(0, 6, 26) + _ind(0),
        16,
        bold=True,
        outline=0,
        next_id="BodyText2",
    ),
    ParaStyle(
        "AppendixHeading",
        "附件節標題",
        "<w:keepNext/><w:keepLines/>" + _spacing(12, 3, 24) + _ind(H2_TEXT, H2_TEXT - H2_NUM),
        14,
        bold=True,
        numbering=(APPENDIX_NUM, 0),
        outline=1,
        next_id="BodyText2",
    ),
    ParaStyle(
        "Caption",
        "caption",
        "<w:keepNext/><w:keepLines/>" + _spacing(9, 3, None) + _ind(0) + '<w:jc w:val="center"/>',
        12,
        bold=True,
        builtin=True,
    ),
    ParaStyle(
        "FigureCaption",
        "圖說明",
        "<w:keepLines/>" + _spacing(3, 9, None) + _ind(0) + '<w:jc w:val="center"/>',
        12,
        bold=True,
        based_on="Caption",
    ),
    ParaStyle(
        "Figure",
        "圖",
        "<w:keepNext/>" + _spacing(6, 0, None) + _ind(0) + '<w:jc w:val="center"/>',
        12,
    ),
    ParaStyle(
        "Photo",
        "佐證照片",
        # no keepNext: in a table cell it would chain every row of photos into one block;
        # a photo keeps with its caption by sharing a row that never splits
        _spacing(6, 0, None) + _ind(0) + '<w:jc w:val="center"/>',
        12,
    ),
    ParaStyle(
        "PhotoCaption",
        "照片說明",
        "<w:keepLines/>" + _spacing(3, 6, None) + _ind(0) + '<w:jc w:val="center"/>',
        12,
    ),
    ParaStyle(
        "Attachments",
        "附件",
        "<w:keepNext/>" + _spacing(12, 0, None) + _ind(H1_TEXT),
        14,
    ),
    ParaStyle(
        "AttachmentItem",
        "附件項目",
        # 「一、」 under 「附件：」's text, its wrapped lines after 「一、」
        "<w:keepNext/>" + _ind(H1_TEXT + 5 * CHAR, 2 * CHAR),
        14,
    ),
    ParaStyle(
        "TableNote",
        "表註",
        _spacing(2, 6, None) + _ind(0) + '<w:jc w:val="left"/>',
        10,
    ),
    ParaStyle(
        "TableText", "表格內文", _spacing(0, 0, None) + _ind(0) + '<w:jc w:val="center"/>', TABLE_PT
    ),
    ParaStyle(
        "TableTextLeft",
        "表格內文（靠左）",
        _spacing(0, 0, None) + _ind(0) + '<w:jc w:val="left"/>',
        TABLE_PT,
        based_on="TableText",
    ),
    ParaStyle(
        "TableHeading",
        "表格標題列",
        "<w:keepNext/>" + _spacing(0, 0, None) + _ind(0) + '<w:jc w:val="center"/>',
        TABLE_PT,
        bold=True,
        based_on="TableText",
    ),
    ParaStyle(
        "Header",
        "header",
        _spacing(0, 0, None) + _ind(0) + '<w:jc w:val="right"/>',
        10,
        builtin=True,
    ),
    ParaStyle(
        "Footer",
        "footer",
        _spacing(0, 0, None) + _ind(0) + '<w:jc w:val="center"/>',
        10,
        builtin=True,
    ),
)


def _para_style(s: ParaStyle):
    """The w:style element of `s`, its pPr children in schema order (Word insists)."""
    attrs = ' w:default="1"' if s.style_id == "Normal" else ""
    custom = "" if s.builtin else ' w:customStyle="1"'
    xml = f'<w:style {NS} w:type="paragraph"{attrs}{custom} w:styleId="{s.style_id}">'
    xml += f'<w:name w:val="{s.name}"/>'
    if s.based_on:
        xml += f'<w:basedOn w:val="{s.based_on}"/>'
    if s.next_id:
        xml += f'<w:next w:val="{s.next_id}"/>'
    xml += "<w:qFormat/><w:pPr>" + s.ppr
    if s.numbering:
        num_id, ilvl = s.numbering
        xml += f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
    if s.outline is not None:
        xml += f'<w:outlineLvl w:val="{s.outline}"/>'
    xml += "</w:pPr><w:rPr>" + _fonts(s.size, bold=s.bold, color=s.color)
    if s.style_id == "Normal":
        xml += LANG
    xml += "</w:rPr></w:style>"
    order = [
        "pStyle", "keepNext", "keepLines", "pageBreakBefore", "widowControl", "numPr", "tabs",
        "adjustRightInd", "snapToGrid", "spacing", "ind", "jc", "outlineLvl",
    ]  # fmt: skip
    style = parse_xml(xml)
    ppr = style.find(qn("w:pPr"))
    for child in sorted(ppr, key=lambda e: order.index(e.tag.split("}")[1])):
        ppr.append(child)  # appending an existing child moves it to the end
    return style


OTHER_STYLES = (
    f'<w:style {NS} w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
    "<w:unhideWhenUsed/></w:style>",
    f'<w:style {NS} w:type="table" w:default="1" w:styleId="TableNormal">'
    '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
    f'<w:style {NS} w:type="numbering" w:default="1" w:styleId="NoList">'
    '<w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
    "</w:style>",
    f'<w:style {NS} w:type="character" w:customStyle="1" w:styleId="DraftMark">'
    '<w:name w:val="草稿標記"/><w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/>'
    f"<w:rPr>{_fonts(16, bold=True, color='C00000')}</w:rPr></w:style>",
    f'<w:style {NS} w:type="character" w:customStyle="1" w:styleId="Missed">'
    '<w:name w:val="未達成"/><w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/>'
    f"<w:rPr>{_fonts(None, bold=True, color='C00000')}</w:rPr></w:style>",
    f'<w:style {NS} w:type="table" w:customStyle="1" w:styleId="ReportTable">'
    '<w:name w:val="成果報告表格"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
    f"<w:qFormat/><w:rPr>{_fonts(TABLE_PT)}</w:rPr>"
    '<w:tblPr><w:jc w:val="center"/><w:tblBorders>'
    '<w:top w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
    '<w:left w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
    '<w:bottom w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
    '<w:right w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
    '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    '<w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    "</w:tblBorders><w:tblCellMar>"
    '<w:top w:w="28" w:type="dxa"/><w:left w:w="45" w:type="dxa"/>'
    '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="45" w:type="dxa"/>'
    '</w:tblCellMar></w:tblPr><w:trPr><w:cantSplit/></w:trPr><w:tcPr><w:vAlign w:val="center"/></w:tcPr>'
    '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:trPr><w:tblHeader/></w:trPr>'
    f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/></w:tcPr></w:tblStylePr>'
    "</w:style>",
)


def _setup_styles(doc: DocumentObject) -> None:
    styles = doc.styles.element
    for style in styles.findall(qn("w:style")):
        styles.remove(style)
    defaults = styles.find(qn("w:docDefaults"))
    defaults.getparent().remove(defaults)
    styles.insert(
        0,
        parse_xml(
            f"<w:docDefaults {NS}><w:rPrDefault><w:rPr>{_fonts(14)}{LANG}</w:rPr></w:rPrDefault>"
            "<w:pPrDefault><w:pPr>"
            '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
            "</w:docDefaults>"
        ),
    )
    for s in PARA_STYLES:
        styles.append(_para_style(s))
    for xml in OTHER_STYLES:
        styles.append(parse_xml(xml))
    for el in styles.iter(qn("w:rFonts")):
        for attr in ("asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme"):
            el.attrib.pop(qn(f"w:{attr}"), None)


def _lvl(ilvl: int, fmt: str, text: str, style: str | None, num_pos: int, text_pos: int) -> str:
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}'
        f'<w:suff w:val="nothing"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{text_pos}" w:hanging="{text_pos - num_pos}"/></w:pPr>'
        f"<w:rPr>{_fonts(None)}</w:rPr></w:lvl>"
    )


def _setup_numbering(doc: DocumentObject) -> None:
    numbering = doc.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    upper = "ideographLegalTraditional"  # 壹、貳、參
    counting = "taiwaneseCountingThousand"  # 一、二、……十一
    lists = {
        HEADING_NUM: (
            _lvl(0, upper, "%1、", "Heading1", 0, H1_TEXT)
            + _lvl(1, counting, "%2、", "Heading2", H2_NUM, H2_TEXT)
            + _lvl(2, counting, "（%3）", "Heading3", H3_NUM, H3_TEXT)
        ),
        APPENDIX_NUM: _lvl(0, counting, "%1、", "AppendixHeading", H2_NUM, H2_TEXT),
        FINDING_NUM: _lvl(0, counting, "（%1）", "Finding", H3_NUM, H3_TEXT),
    }
    for num_id, levels in lists.items():
        kind = "multilevel" if num_id == HEADING_NUM else "singleLevel"
        numbering.append(
            parse_xml(
                f'<w:abstractNum {NS} w:abstractNumId="{num_id}">'
                f'<w:nsid w:val="6A1B00{num_id:02X}"/><w:multiLevelType w:val="{kind}"/>'
                f"{levels}</w:abstractNum>"
            )
        )
    for num_id in lists:
        numbering.append(
            parse_xml(f'<w:num {NS} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>')
        )
    numbering.append(
        parse_xml(
            f'<w:num {NS} w:numId="{FINDINGS_AGAIN_NUM}"><w:abstractNumId w:val="{FINDING_NUM}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )


FONT_TABLE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f"<w:fonts {NS}>"
    f'<w:font w:name="{LATIN}"><w:panose1 w:val="02020603050405020304"/>'
    '<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/>'
    '<w:sig w:usb0="E0002EFF" w:usb1="C000785B" w:usb2="00000009" w:usb3="00000000"'
    ' w:csb0="000001FF" w:csb1="00000000"/></w:font>'
    f'<w:font w:name="{KAI}"><w:altName w:val="DFKai-SB"/>'
    '<w:panose1 w:val="03000509000000000000"/><w:charset w:val="88"/>'
    '<w:family w:val="script"/><w:pitch w:val="fixed"/>'
    '<w:sig w:usb0="00000003" w:usb1="082E0000" w:usb2="00000016" w:usb3="00000000"'
    ' w:csb0="00100001" w:csb1="00000000"/></w:font>'
    "</w:fonts>"
)


APP_PROPERTIES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>gmreport</Application><DocSecurity>0</DocSecurity></Properties>"
)


def _setup_package(doc: DocumentObject) -> None:
    """Drop the default template's leftovers and declare zh-TW in settings and fonts."""
    part = doc.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects") or rel.reltype == RT.CUSTOM_XML:
            del part.rels[rid]
        elif rel.reltype == RT.FONT_TABLE:
            rel.target_part._blob = FONT_TABLE.encode("utf-8")
    package_rels = part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rid]
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_PROPERTIES.encode("utf-8")
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    lang.set(qn("w:eastAsia"), "zh-TW")
    for tag in ("w:rsids", "w:proofState", "w:savePreviewPicture"):
        el = settings.find(qn(tag))
        if el is not None:
            settings.remove(el)
    # Word rebuilds the 目錄 when the report is opened (the shown entries are gmreport's)
    later = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars")
    following = next(el for tag in later if (el := settings.find(qn(tag))) is not None)
    following.addprevious(parse_xml(f'<w:updateFields {NS} w:val="true"/>'))
    props = doc.core_properties
    props.title = "{{ year }}年度性別主流化推動計畫執行成果報告"
    props.subject = "性別主流化推動計畫年度執行成果報告"
    props.author = "{{ agency }}"
    props.last_modified_by = "gmreport"
    props.language = "zh-TW"
    props.keywords = "性別主流化"
    props.comments = ""
    props.revision = 1


VML_NS = (
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:w10="urn:schemas-microsoft-com:office:word"'
)
WATERMARK = (
    "<w:r><w:rPr><w:noProof/></w:rPr><w:pict>"
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"'
    ' path="m@7,l@8,m@5,21600l@6,21600e">'
    '<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/>'
    '<v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/>'
    '<v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/>'
    '<v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/>'
    '<v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom"'
    ' o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/>'
    '</v:handles><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
    '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s1025" type="#_x0000_t136"'
    ' style="position:absolute;margin-left:0;margin-top:0;width:340pt;height:170pt;'
    "rotation:315;z-index:-251657216;mso-position-horizontal:center;"
    "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
    'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#f2c4c4" stroked="f">'
    '<v:fill opacity=".5"/>'
    f'<v:textpath style="font-family:&quot;{KAI}&quot;;font-size:1pt" string="草稿"/>'
    '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
)


def _setup_section(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    section.header_distance = section.footer_distance = Cm(1.25)

    header = section.header._element
    for p in header.findall(qn("w:p")):
        header.remove(p)
    header.append(
        parse_xml(
            f'<w:p {NS} {VML_NS}><w:pPr><w:pStyle w:val="Header"/></w:pPr>'
            f"{run('{% if draft %}', 'DraftMark')}{WATERMARK}{run('草稿', 'DraftMark')}"
            f"{run('{% endif %}', 'DraftMark')}</w:p>"
        )
    )
    footer = section.footer._element
    for p in footer.findall(qn("w:p")):
        footer.remove(p)
    footer.append(
        parse_xml(
            f'<w:p {NS}><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
            f"{run('第 ')}{field('PAGE', '1')}{run(' 頁，共 ')}{field('NUMPAGES', '1')}"
            f"{run(' 頁')}</w:p>"
        )
    )


def _style(doc: DocumentObject, style_id: str):
    """The style `style_id`; python-docx would silently fall back to Normal for a typo."""
    for style in doc.styles:
        if style.style_id == style_id:
            return style
    raise KeyError(style_id)


class Builder:
    """Appends the report's paragraphs and tables to a document, numbering captions."""

    def __init__(self, doc: DocumentObject) -> None:
        self.doc = doc
        self.figures = 0

    def p(self, text: str, style: str = "BodyText3") -> None:
        para = self.doc.add_paragraph(style=_style(self.doc, style))
        if text:
            para.add_run(text)

    def tag(self, text: str) -> None:
        """A paragraph holding only a docxtpl {%p %} tag; docxtpl removes it when rendering."""
        self.p(text, "BodyText1")

    def h1(self, text: str) -> None:
        self.p(text, "Heading1")

    def h2(self, text: str) -> None:
        self.p(text, "Heading2")

    def h3(self, text: str) -> None:
        self.p(text, "Heading3")

    def _caption(self, label: str, number: int | str, title: str, style: str) -> None:
        para = self.doc.add_paragraph(style=_style(self.doc, style))
        p = para._p
        for xml in (
            run(label),
            field(f"SEQ {label} \\* ARABIC", str(number)),
            run("　" + title),
        ):
            for r in list(parse_xml(f"<w:p {NS}>{xml}</w:p>")):
                p.append(r)

    def declared(self, key: str) -> None:
        """The declared table `key` (gmreport.tables), with its caption and note; the
        sentence just before it (the one that refers to it) keeps with its caption."""
        before = self.doc.paragraphs[-1] if self.doc.paragraphs else None
        if before is not None and before.text.rstrip().endswith("。"):
            before.paragraph_format.keep_with_next = True
        self.p(f"{{{{p tables.{key} }}}}", "BodyText1")

    def see_figure(self, name: str) -> str:
        """「，並如圖N」 for the next chart, said only when that chart is in the report."""
        return f"{{% if charts.{name} %}}，並如圖{self.figures + 1}{{% endif %}}"

    def figure(self, name: str, title: str) -> None:
        """An optional chart: shown only when the chart `name` was made; a chart of the
        agency as a whole (`WHOLE_AGENCY_CHARTS`) with the note naming the units it leaves
        out, when some are."""
        self.tag(f"{{%p if charts.{name} %}}")
        self.p(f"{{{{ charts.{name} }}}}", "Figure")
        self.figures += 1
        self._caption("圖", self.figures, title, "FigureCaption")
        if name in WHOLE_AGENCY_CHARTS:
            self.note_if(f"chart_notes.{name}")
        self.tag("{%p endif %}")

    def note_if(self, expr: str) -> None:
        """「註：…」 under a table or chart, of the text `expr`, when it is not empty."""
        self.tag(f"{{%p if {expr} %}}")
        self.p(f"註：{{{{ {expr} }}}}", "TableNote")
        self.tag("{%p endif %}")


def _table_geometry(table: Table, widths_cm: list[float]) -> None:
    scale = TEXT_WIDTH_CM / sum(widths_cm)
    twips = [round(w * scale * 567) for w in widths_cm]
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    for tag in ("w:tblW", "w:tblLayout", "w:tblLook", "w:jc"):
        el = tbl_pr.find(qn(tag))
        if el is not None:
            tbl_pr.remove(el)
    tbl_pr.append(parse_xml(f'<w:tblW {NS} w:w="{sum(twips)}" w:type="dxa"/>'))
    tbl_pr.append(parse_xml(f'<w:jc {NS} w:val="center"/>'))
    tbl_pr.append(parse_xml(f'<w:tblLayout {NS} w:type="fixed"/>'))
    tbl_pr.append(
        parse_xml(
            f'<w:tblLook {NS} w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0"'
            ' w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        )
    )
    for col, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=True):
        col.set(qn("w:w"), str(w))
    for row in table.rows:
        row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {NS}/>"))
        for j, cell in enumerate(row.cells):
            cell.width = Twips(twips[j])


def _keep_together(table: Table) -> None:
    for row in table.rows[:-1]:
        _keep_with_next(row)


def _keep_with_next(row) -> None:
    for cell in row.cells:
        for para in cell.paragraphs:
            para.paragraph_format.keep_with_next = True


def _cell_text(cell, text: str, style: str) -> None:
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    para = cell.paragraphs[0]
    para.style = _style(cell.part.document, style)
    for r in list(para.runs):
        r._r.getparent().remove(r._r)
    if text:
        para.add_run(text)
    cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:vAlign {NS} w:val="center"/>'))


def _people(counts: str) -> str:
    """「男性 x 人、女性 y 人（、其他 z 人）」 for a gender-count dict."""
    return (
        f"男性 {{{{ {counts}.male|num }}}} 人、女性 {{{{ {counts}.female|num }}}} 人"
        f"{{% if {counts}.other %}}、其他 {{{{ {counts}.other|num }}}} 人{{% endif %}}"
    )


PROTECTED = PROTECTED_TEXT
"""A figure privacy hides, where the text expects a number."""

ALL_UNITS_CAVEAT = (
    "{% if units.missing or units.empty %}上開全機關數據僅含已繳交資料之單位，不含"
    "{{ (units.missing + units.empty)|join('、') }}。{% endif %}"
)
"""Said wherever the report states a 全機關 figure while units are missing (SPEC §3)."""


def _results(b: Builder) -> None:
    """Under a work item's heading: its 主辦單位 and 協辦單位, and its results table."""
    b.p(
        "主辦單位：{{ item.lead }}{% if item.support %}；協辦單位：{{ item.support }}{% endif %}",
        "LeadUnits",
    )
    b.tag("{%p if item.results %}")
    b.p(
        "本工作項目目標達成情形如表{{ item.results.number }}"
        "{% if item.results.table.marked %}，未達成者之原因及改善措施並列於表內{% endif %}。",
        "BodyText2Next",  # kept with its table
    )
    b.p("{{p item.results }}", "BodyText1")
    b.tag("{%p endif %}")


def _narrative(b: Builder) -> None:
    """What each unit wrote it did under the work item `item` of the chapters' loop; nothing
    when none wrote (the chapter's figures describe it, and 人事室 was warned)."""
    b.tag("{%p if narrative[item.key]|selectattr('done')|list %}")
    b.h3("各單位辦理說明")
    b.tag("{%p for e in narrative[item.key] if e.done %}")
    b.p("{{ e.unit }}：{{ e.done }}")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")


def _photos(b: Builder) -> None:
    """The 佐證照片 of the work item `item`: two to a row in a borderless table, each
    caption below its photo, in one cell that never splits; nothing when it has none."""
    b.tag("{%p if item.photos %}")
    b.h3("佐證照片")
    table = b.doc.add_table(rows=3, cols=2)
    _table_geometry(table, [8.0, 8.0])
    borders = "".join(
        f'<w:{side} w:val="nil"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    layout = table._tbl.tblPr.find(qn("w:tblLayout"))
    layout.addprevious(parse_xml(f"<w:tblBorders {NS}>{borders}</w:tblBorders>"))
    for r, tag in ((0, "{%tr for row in item.photo_rows %}"), (2, "{%tr endfor %}")):
        cells = table.rows[r].cells
        _cell_text(cells[0].merge(cells[1]), tag, "TableTextLeft")
    for j, cell in enumerate(table.rows[1].cells):
        _cell_text(cell, f"{{{{ row[{j}].image }}}}", "Photo")
        cell.add_paragraph(f"{{{{ row[{j}].caption }}}}", style=_style(b.doc, "PhotoCaption"))
        # captions of a row on one line, however tall its photos
        cell._tc.tcPr.find(qn("w:vAlign")).set(qn("w:val"), "bottom")
    b.tag("{%p endif %}")


def _attachments(b: Builder) -> None:
    """附件: the 佐證 the report shows, by work item, closing the text before the sign-off
    as an official report lists its 附件 (and kept with it)."""
    b.tag("{%p if photo_count %}")
    b.p("附件：佐證照片 {{ photo_count }} 張（附於各工作項目辦理情形之後）", "Attachments")
    b.tag("{%p for item in work_items if item.photos %}")
    b.p(
        "{{ item.numeral }}、{{ item.name }}（{{ item.photos|length }} 張）："
        "{{ item.photos|map(attribute='caption')|join('、') }}",
        "AttachmentItem",
    )
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")


def _see(key: str) -> str:
    """「表N」 of the declared table `key`."""
    return f"表{{{{ tables.{key}.number }}}}"


def build_content(b: Builder) -> None:
    """The report's text, tables and charts, in reading order."""
    b.p("{{ agency }}", "Title")
    b.p("{{ year }}年度性別主流化推動計畫執行成果報告", "Title")
    b.tag("{%p if draft %}")
    b.p(
        "【草稿】本報告依尚有錯誤之填報資料產製，有錯誤之資料列未納入統計，"
        "僅供內部檢視，不得作為正式報告。",
        "DraftNote",
    )
    b.tag("{%p endif %}")
    b.p("資料期間：{{ year }}年1月1日至{{ year }}年12月31日", "Subtitle")
    b.p(
        "填報單位：{{ filed_by.unit }}"
        "{% if filed_by.name %}　承辦人：{{ filed_by.name }}{% endif %}",
        "Subtitle",
    )
    b.tag("{%p if filed_by.phone or filed_by.filed_on %}")
    b.p(
        "{% if filed_by.phone %}聯絡電話：{{ filed_by.phone }}{% endif %}"
        "{% if filed_by.phone and filed_by.filed_on %}　{% endif %}"
        "{% if filed_by.filed_on %}填報日期：{{ filed_by.filed_on|roc_date }}{% endif %}",
        "Subtitle",
    )
    b.tag("{%p endif %}")
    _contents(b)

    b.h1("依據")
    b.p(
        "依據「{{ agency }}{{ plan.first_year }}年至{{ plan.last_year }}年性別主流化推動計畫」（下稱本計畫）伍、考核及獎勵措施，"
        "彙整{{ self_name }}各{{ unit_word }}{{ year }}年度推動性別主流化之執行成果，提報市府性別主流化工作小組。",
        "BodyText1",
    )
    b.p(
        "本報告彙整{{ self_name }}各{{ unit_word }}填報之{{ year }}年度執行成果：應繳交 "
        "{{ units.expected|length }} 個單位，已繳交 {{ units.submitted|length }} 個單位"
        "{% if units.empty %}，繳交空白表：{{ units.empty|join('、') }}{% endif %}"
        "{% if units.missing %}，未繳交：{{ units.missing|join('、') }}{% endif %}。",
        "BodyText1",
    )

    _summary(b)

    b.h1("辦理情形")
    # One chapter per work item of the plan, in its order: the wording of the five known
    # items, and for any other its name, its declared tables and what the units wrote.
    b.tag("{%p for item in work_items %}")
    for key, (heading, chapter) in CHAPTERS.items():
        b.tag(f"{{%p if item.key == '{key}' %}}")
        b.h2(heading)
        _results(b)
        chapter(b)
        b.tag("{%p endif %}")
    b.tag(f"{{%p if item.key not in {list(CHAPTERS)!r} %}}")
    b.h2("{{ item.name }}")
    _results(b)
    b.tag("{%p for t in item.tables %}")
    b.p("{{p t }}", "BodyText1")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    _narrative(b)
    _photos(b)
    b.tag("{%p endfor %}")
    _targets(b)
    _history(b)
    _period_review(b)
    _review(b)
    _attachments(b)
    _sign_off(b)


def _contents(b: Builder) -> None:
    """目錄: a TOC field of the headings of levels 1 and 2, filled when the report is made
    (gmreport.render.toc), then the report's body on a new page."""
    b.p("目　　錄", "TOCHeading")
    para = b.doc.add_paragraph(style=_style(b.doc, "TOC1"))
    for r in parse_xml(f"<w:p {NS}>{field(TOC_FIELD, '目錄')}</w:p>"):
        para._p.append(r)
    b.doc.add_paragraph(style=_style(b.doc, "BodyText1")).add_run().add_break(WD_BREAK.PAGE)


def _count(expr: str, unit: str, done: str, none: str) -> str:
    """「{done} N {unit}」, or `none` in words when the count is 0 (SPEC §8 ◆)."""
    return f"{{% if {expr} %}}{done} {{{{ {expr}|num }}}} {unit}{{% else %}}{none}{{% endif %}}"


def _verdicts(value: str) -> str:
    """How many of the 考核 table's rows read `value`."""
    return f"target_rows|selectattr('verdict', 'eq', '{value}')|list|length"


_TARGETS_COUNTED = (
    "本計畫所訂目標計 {{ target_rows|selectattr('source')|list|length }} 項"
    "{% if target_rows|rejectattr('source')|list %}，另依通例檢核 "
    "{{ target_rows|rejectattr('source')|list|length }} 項{% endif %}"
)
"""How many targets the 考核 counts: the plan's, and the common rules beside them."""


def _summary(b: Builder) -> None:
    """成果摘要: one paragraph over the five work items and the targets, before the details."""
    rate = f"training.groups.{EVERYONE.key}.rate.total"
    b.h1("成果摘要")
    b.p(
        "本年度{{ self_name }}依本計畫推動性別主流化，"
        + _count("meetings.count", "次", "召開性別平等執行小組會議", "未召開性別平等執行小組會議")
        + f"；{{% if {rate} is hidden %}}辦理性別意識培力，全機關完訓率依個資保護原則不予揭露"
        f"{{% elif {rate} is none %}}本年度無應訓人員"
        f"{{% else %}}全機關性別意識培力完訓率 {{{{ {rate}|pct }}}}{{% endif %}}；"
        + _count("gia.count", "案", "辦理性別影響評估", "未辦理性別影響評估")
        + "；"
        + _count("indicators.count", "項", "性別統計指標計", "未建置性別統計指標")
        + "{% if indicators.count %}（新增或修訂 {{ indicators.reviewed|num }} 項）{% endif %}"
        + "，"
        + _count("budget.allocated", "元", "編列性別預算", "未編列性別預算")
        + "；"
        + _count("cedaw.sessions", "場次", "辦理 CEDAW 宣導", "未辦理 CEDAW 宣導")
        + "，"
        + _count("other_measures.count", "項", "推動其他性別平等措施", "未推動其他性別平等措施")
        + f"。{_TARGETS_COUNTED}，"
        f"達成 {{{{ {_verdicts('達成')} }}}} 項"
        f"{{% if {_verdicts('未達成')} %}}、未達成 {{{{ {_verdicts('未達成')} }}}} 項{{% endif %}}"
        f"{{% if {_verdicts('已辦理')} %}}、應辦理事項已辦理 {{{{ {_verdicts('已辦理')} }}}} 項"
        "{% endif %}"
        f"{{% if {_verdicts('未辦理')} %}}、未辦理 {{{{ {_verdicts('未辦理')} }}}} 項{{% endif %}}"
        f"{{% if {_verdicts('資料不全')} %}}、資料不全 {{{{ {_verdicts('資料不全')} }}}} 項"
        "{% endif %}"
        f"{{% if {_verdicts('無應訓人員')} %}}、無應訓人員而不予檢核 "
        f"{{{{ {_verdicts('無應訓人員')} }}}} 項{{% endif %}}"
        "，各工作項目之辦理情形及目標達成情形詳如下述。",
        "BodyText1",
    )


def _meetings(b: Builder) -> None:
    b.h3("會議辦理情形")
    b.p(
        "本年度召開性別平等執行小組會議 {{ meetings.count|num }} 次，"
        f"各次會議辦理情形如{_see('meetings')}。"
    )
    b.declared("meetings")
    b.h3("小組組員組成")
    b.p(
        "{{ self_name }}性別平等執行小組置組員 {{ meetings.members.total|num }} 人，其中"
        + _people("meetings.members")
        + "，女性比例 {{ meetings.members|female_ratio|pct }}；"
        f"組員性別及角色如{_see('members')}、{_see('roles')}。"
    )
    b.declared("members")
    b.declared("roles")


def _training(b: Builder) -> None:
    all_ = f"training.groups.{EVERYONE.key}"
    b.h3("培力辦理情形")
    b.p(
        "每人每年性別意識培力目標時數：公務人員及約聘僱人員 "
        "{{ training.targets.hours_general|num }} 小時、職工及自僱非公務人員 "
        "{{ training.targets.hours_other_staff|num }} 小時、主管人員 "
        "{{ training.targets.hours_supervisor|num }} 小時、性別業務承辦人 "
        "{{ training.targets.hours_gender_officer|num }} 小時。"
    )
    # A figure privacy hides (「*」 in the tables, `is hidden` here) is left out of the
    # sentence, or reads 「—（個資保護）」 where a number is expected; `genders` lists only the
    # 性別 shown (SPEC §3: never 「*」 in running text).
    hidden_total = " or ".join(
        f"{all_}.{f} is hidden"
        for f in ("required.total", "completed.total", "rate.total", "average_hours")
    )
    short, leave = "training.not_required.short_service", "training.not_required.on_leave"
    b.p(
        "本年度在職滿 {{ training.min_service_days|num }} 日之應訓人員"
        f"{{% set required = {all_}.required|genders %}}"
        f"{{% set completed = {all_}.completed|genders %}}"
        f"{{% set rates = {all_}.rate|genders(rates=True) %}}"
        f"{{% if {all_}.required.total is hidden %}}，{{{{ required or '{PROTECTED}' }}}}"
        f"{{% else %}}計 {{{{ {all_}.required.total|num }}}} 人"
        "{% if required %}（{{ required }}）{% endif %}{% endif %}，達目標時數者（完訓）"
        f"{{% if {all_}.completed.total is hidden %}}{{{{ completed or '{PROTECTED}' }}}}"
        f"{{% else %}}{{{{ {all_}.completed.total|num }}}} 人{{% endif %}}，完訓率"
        f"{{% if {all_}.rate.total is hidden %}}{{{{ rates or ' {PROTECTED}' }}}}"
        f"{{% else %}} {{{{ {all_}.rate.total|pct }}}}"
        "{% if rates %}（{{ rates }}）{% endif %}{% endif %}；全年研習總時數 "
        "{{ training.total_hours|hours }} 小時"
        f"{{% if {all_}.average_hours is not hidden %}}，應訓人員平均每人 "
        f"{{{{ {all_}.average_hours|hours(2) }}}} 小時{{% endif %}}。"
        f"{{% if {hidden_total} %}}未列出之全機關合計數據，係依個資保護原則不予揭露。{{% endif %}}"
        + ALL_UNITS_CAVEAT
        + f"{{% if {short} is hidden or {leave} is hidden %}}"
        "本年度在職未滿 {{ training.min_service_days|num }} 日者（含留職停薪）未列入應訓人員，"
        "其人數依個資保護原則不予揭露。"
        f"{{% elif {short} or {leave} %}}"
        f"另有 {{{{ ({short} + {leave})|num }}}} "
        "人本年度在職未滿 {{ training.min_service_days|num }} 日，未列入應訓人員（"
        f"{{% if {short} %}}到職或離職致在職日數不足 {{{{ {short}|num }}}} 人{{% endif %}}"
        f"{{% if {short} and {leave} %}}、{{% endif %}}"
        f"{{% if {leave} %}}留職停薪 {{{{ {leave}|num }}}} 人{{% endif %}}）。{{% endif %}}"
        f"各類人員辦理情形如{_see('training_groups')}、{_see('training_rates')}"
        + b.see_figure("training_completion")
        + "。"
    )
    b.declared("training_groups")
    b.declared("training_rates")
    b.figure("training_completion", CHART_TITLES["training_completion"])
    b.p(f"性別意識培力依辦理方式之研習時數如{_see('training_modes')}。")
    b.declared("training_modes")
    b.h3("交織分析")
    b.p(
        "就應訓人員按性別交叉年齡層及是否擔任主管分析完訓率，以瞭解不同性別於各年齡層"
        f"及職務之培力情形，如{_see('by_age')}、{_see('by_supervisor')}。"
    )
    b.declared("by_age")
    b.declared("by_supervisor")


def _gia(b: Builder) -> None:
    # Its only part of its own: numbered 「（一）」 only when a （二） follows it.
    b.tag("{%p if narrative[item.key]|selectattr('done')|list or item.photos %}")
    b.h3("性別影響評估辦理情形")
    b.tag("{%p endif %}")
    b.p(
        "本年度辦理性別影響評估 {{ gia.count|num }} 案，其中諮詢性別平等專家學者 "
        f"{{{{ gia.expert_consulted|num }}}} 案，辦理情形如{_see('gia')}。"
    )
    b.declared("gia")


def _statistics_budget(b: Builder) -> None:
    b.h3("性別統計")
    b.p(
        "本年度性別統計指標計 {{ indicators.count|num }} 項，其中新增 "
        "{{ indicators.new|num }} 項、修訂 {{ indicators.revised|num }} 項、具複分類 "
        "{{ indicators.cross_classified|num }} 項"
        "{% if indicators.dimensions %}（依複分類別計：{{ indicators.dimensions|tally('項') }}"
        "{% if indicators.dimensions.values()|sum > indicators.cross_classified %}；"
        "部分指標兼具二種以上複分類{% endif %}）{% endif %}，"
        f"如{_see('indicators')}。"
    )
    b.declared("indicators")
    b.h3("性別預算")
    b.p(
        "本年度性別預算編列 {{ budget.allocated|num }} 元，執行 {{ budget.executed|num }} 元，"
        "執行率 {{ budget.execution_rate|pct }}；"
        "{% set blank = budget.list|rejectattr('beneficiaries.total')|list|length %}"
        "{% if budget.beneficiaries.total or not blank %}"
        "受益人數 {{ budget.beneficiaries.total|num }} 人（"
        + _people("budget.beneficiaries")
        + "），女性比例 {{ budget.beneficiaries|female_ratio|pct }}"
        "{% if blank %}（另 {{ blank|num }} 項計畫未填列受益人數）{% endif %}"
        "{% else %}各計畫均未填列受益人數{% endif %}。依預算類別統計如"
        f"{_see('budget_by_category')}，各計畫編列執行及受益情形如{_see('budget')}、"
        f"{_see('beneficiaries')}。"
    )
    b.declared("budget_by_category")
    b.declared("budget")
    b.declared("beneficiaries")


def _cedaw_measures(b: Builder) -> None:
    b.h3("CEDAW宣導")
    b.p(
        "本年度辦理 CEDAW 宣導 {{ cedaw.sessions|num }} 場次，參與 "
        "{{ cedaw.participants.total|num }} 人次（"
        + _people("cedaw.participants").replace(" 人", " 人次")
        + "），女性比例 {{ cedaw.participants|female_ratio|pct }}；"
        "{% if cedaw.external_resources %}其中結合外部資源辦理 "
        "{{ cedaw.external_resources|num }} 場次{% else %}均未結合外部資源辦理{% endif %}"
        "{% if cedaw.reach %}；另經社群媒體、廣播、刊物等管道觸及 "
        "{{ cedaw.reach|num }} 人次{% endif %}。依宣導對象及宣導方式統計如"
        f"{_see('cedaw_by_audience')}、{_see('cedaw_by_method')}"
        + b.see_figure("cedaw_participants")
        + f"，各場次辦理情形如{_see('cedaw')}。"
    )
    b.declared("cedaw_by_audience")
    b.declared("cedaw_by_method")
    b.figure("cedaw_participants", CHART_TITLES["cedaw_participants"])
    b.declared("cedaw")
    b.h3("其他性別平等措施")
    b.p(
        "本年度辦理其他性別平等措施 {{ other_measures.count|num }} 項，參與 "
        "{{ other_measures.participants.total|num }} 人次（"
        + _people("other_measures.participants").replace(" 人", " 人次")
        + "），女性比例 {{ other_measures.participants|female_ratio|pct }}"
        "{% if other_measures.reach %}；另以廣播、網路、刊物等方式觸及 "
        "{{ other_measures.reach|num }} 人次{% endif %}，"
        f"辦理情形如{_see('measures')}" + b.see_figure("other_measures_participants") + "。"
    )
    b.declared("measures")
    b.figure("other_measures_participants", CHART_TITLES["other_measures_participants"])


CHAPTERS = {
    "meetings": ("召開{{ self_name }}性別平等執行小組會議", _meetings),
    "training": ("落實性別意識培力", _training),
    "gia": ("精進性別影響評估辦理品質運用", _gia),
    "statistics_budget": ("性別統計與分析與政策規劃成效評估及加強性別預算說明", _statistics_budget),
    "cedaw_measures": ("加強落實外部性別意識培力及性別平等宣導", _cedaw_measures),
}
"""The heading and the wording of each work item's chapter, by the work item's key."""


def _targets(b: Builder) -> None:
    b.h1("目標達成情形")
    b.p(
        f"{_TARGETS_COUNTED}，依工作項目及主辦單位檢核如"
        f"{_see('targets')}：數量目標達成 {{{{ {_verdicts('達成')} }}}} 項、未達成 "
        f"{{{{ {_verdicts('未達成')} }}}} 項"
        f"{{% if {_verdicts('資料不全')} %}}、資料不全 {{{{ {_verdicts('資料不全')} }}}} 項"
        "（所依據之單位資料未齊，俟補齊後再行檢核）{% endif %}"
        "{% if target_rows|selectattr('verdict', 'in', ['已辦理', '未辦理'])|list %}；"
        f"應辦理事項已辦理 {{{{ {_verdicts('已辦理')} }}}} 項"
        f"{{% if {_verdicts('未辦理')} %}}、未辦理 {{{{ {_verdicts('未辦理')} }}}} 項{{% endif %}}"
        "{% endif %}"
        f"{{% if {_verdicts('無應訓人員')} %}}；另 {{{{ {_verdicts('無應訓人員')} }}}} 項因"
        "無應訓人員不予檢核{% endif %}。",
        "BodyText1",
    )
    b.declared("targets")


def _history(b: Builder) -> None:
    """歷年比較: each work item's figures over the years, in the plan's order (SPEC §3)."""
    b.tag("{%p if trend_years %}")
    b.h1("歷年比較")
    b.p(
        "{{ self_name }}就 {{ trend_years|join('、') }} 年度之執行成果，依本計畫工作項目逐項比較如下"
        "{% if trend_missing %}；{{ trend_missing|join('、') }} 年度未有統計數據，"
        "表中列為「無資料」{% endif %}。",
        "BodyText1",
    )
    for t in TREND_TABLES:
        b.h2(t.heading)
        chart = b.see_figure("training_trend") if t.key == "training" else ""
        done = "" if t.key == "targets" else "辦理情形"
        b.p(f"{{{{ self_name }}}}歷年{t.heading}{done}如{_see(t.table_key)}{chart}。")
        b.declared(t.table_key)
        if t.key == "training":
            b.figure("training_trend", CHART_TITLES["training_trend"])
        b.tag(f"{{%p for f in trends.{t.key}.findings %}}")
        b.p("{{ f }}", "BodyText2")
        b.tag("{%p endfor %}")
    b.tag("{%p endif %}")


def _period_review(b: Builder) -> None:
    """計畫期程總檢討, in the plan's last year (SPEC §3, §8 ◆): each work item's figures over
    the period with their totals, every target's verdict year by year in one compact grid,
    and what the targets came to with the units' own reviews of the period."""
    pr = "period_review"
    b.tag(f"{{%p if {pr}.shown %}}")
    b.h1("計畫期程總檢討")
    b.p(
        f"本計畫推動期程為 {{{{ {pr}.first_year }}}} 年至 {{{{ {pr}.last_year }}}} 年"
        "（本計畫參、推動期程），本年度為期程最末年度，爰就期程內各工作項目之辦理成果及各目標之"
        "達成情形總體檢討如下"
        f"{{% if {pr}.missing %}}；其中 {{{{ {pr}.missing|join('、') }}}} 年度未有統計數據，"
        "表中列為「無資料」，未納入合計及檢討{% endif %}。",
        "BodyText1",
    )
    b.h2("各目標逐年達成情形")
    b.p(f"本計畫各目標於期程內逐年之達成情形如{_see(PERIOD_TARGETS_KEY)}。", "BodyText2Next")
    b.declared(PERIOD_TARGETS_KEY)
    b.h2("各工作項目期程辦理成果")
    b.p(
        f"本計畫期程內各工作項目逐年辦理成果及期程合計如{_see(PERIOD_TOTALS_KEY)}。",
        "BodyText2Next",
    )
    b.declared(PERIOD_TOTALS_KEY)
    b.tag(f"{{%p for s in {pr}.trends %}}")
    b.p(
        f"{{{{ s.heading }}}}（{{{{ {pr}.compared_from }}}} 年度至 {{{{ year }}}} 年度）："
        "{{ s.findings|join('') }}",
        "BodyText2",
    )
    b.tag("{%p endfor %}")
    b.h2("綜合檢討")
    b.tag(f"{{%p for s in {pr}.summary %}}")
    b.p("{{ s }}", "BodyText2")
    b.tag("{%p endfor %}")
    b.tag(f"{{%p if {pr}.reviews %}}")
    b.p("各單位就本計畫期程之辦理成果及檢討如下：", "BodyText2")
    b.tag("{%p endif %}")
    b.tag(f"{{%p for r in {pr}.reviews %}}")
    b.p("{{ r.unit }}{% if r.role %}（{{ r.role }}）{% endif %}：{{ r.done }}", "BodyText2")
    b.tag("{%p if r.review %}")
    b.p("檢討與精進：{{ r.review }}", "BodyText2")
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")


def _review(b: Builder) -> None:
    b.h1("檢討與精進")
    b.h2("目標達成檢討")
    b.tag("{%p for f in findings %}")
    b.p("{{ f }}", "Finding")
    b.tag("{%p else %}")
    b.p("本年度各項目標均已達成，且無需特別注意之事項。", "BodyText2")
    b.tag("{%p endfor %}")
    b.h2("各單位檢討與精進")
    review = "{{ r.unit }}（{{ r.item }}）：{{ r.text }}"
    b.tag("{%p for r in reviews[:-1] %}")
    b.p(review, "BodyText2")
    b.tag("{%p endfor %}")
    # The last paragraph keeps with the closing and the sign-off, which never stand alone.
    b.tag("{%p for r in reviews[-1:] %}")
    b.p(review, "BodyText2Next")
    b.tag("{%p else %}")
    b.tag("{%p if period_review.shown and period_review.reviews %}")
    b.p("各單位之檢討與精進，併於計畫期程總檢討敘明。", "BodyText2Next")
    b.tag("{%p else %}")
    b.p("各單位未另提檢討與精進事項。", "BodyText2Next")
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")


def _sign_off(b: Builder) -> None:
    """The block the office signs: 承辦人, 單位主管, 機關首長 at body size, with room for
    each seal and a line for the date each signs.

    A closing sentence keeps with it, so the block never stands alone on the last page."""
    b.p("以上為{{ self_name }}{{ year }}年度性別主流化推動計畫執行成果，敬請鑒核。", "Closing")
    sign_off_grid(b)


def sign_off_grid(b: Builder) -> None:
    """承辦人, 單位主管, 機關首長 over room for the seals and a date line each (the roll-up's
    too), after a blank line under the closing sentence."""
    b.p("", "Closing")
    table = b.doc.add_table(rows=3, cols=3)
    _table_geometry(table, [5.3, 5.3, 5.4])
    lines = "".join(
        f'<w:{side} w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    layout = table._tbl.tblPr.find(qn("w:tblLayout"))  # borders go before it (schema order)
    layout.addprevious(parse_xml(f"<w:tblBorders {NS}>{lines}</w:tblBorders>"))
    for cell, text in zip(table.rows[0].cells, ("承辦人", "單位主管", "機關首長"), strict=True):
        _cell_text(cell, text, "SignOff")
    table.rows[1].height = Cm(3.2)  # room for a seal (職章) and a signature
    for cell in table.rows[1].cells:
        _cell_text(cell, "", "SignOff")
    for cell in table.rows[2].cells:  # the date each signs
        _cell_text(cell, "年　　月　　日", "SignOff")
    _keep_together(table)


def build_template(out: Path = OUT) -> Path:
    """Write the report template to `out` and return its path."""
    doc = Document()
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    _setup_package(doc)
    _setup_styles(doc)
    _setup_numbering(doc)
    _setup_section(doc)
    build_content(Builder(doc))
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    write_reproducibly(buffer.getvalue(), out)  # an unchanged template is byte-identical in git
    return out


def main() -> None:
    """Command-line entry point: build the template (optionally elsewhere, for trying out)."""
    parser = argparse.ArgumentParser(description="產生年度執行成果報告的 Word 範本")
    parser.add_argument("--out", type=Path, default=OUT, help=f"輸出路徑（預設 {OUT}）")
    args = parser.parse_args()
    print(build_template(args.out))


if __name__ == "__main__":
    main()
