"""The Word report rendered from figures: its text, tables, styles, and the PDF."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table

from gmreport.findings import findings
from gmreport.problems import OutputError
from gmreport.render import pdf
from gmreport.render.charts import find_cjk_font, make_charts
from gmreport.render.report import render_report, shipped_template
from gmreport.targets import NOT_IN_PLAN, TARGETS_BY_ID
from tests import pdf_pages

from .conftest import example_figures
from .conftest import read_cell as _read

EXAMPLE = example_figures()


@pytest.fixture
def figures() -> dict:
    return copy.deepcopy(EXAMPLE)


@pytest.fixture(scope="module")
def shipped() -> Iterator[Path]:
    with shipped_template() as path:
        yield path


@pytest.fixture
def edited(tmp_path: Path, shipped: Path):
    """A copy of the shipped template with `paragraphs` added at its end, as a person edits
    it in Word; `edit(doc)` may change it first."""

    def edited(*paragraphs: str, edit=None) -> Path:
        template = Document(str(shipped))
        if edit is not None:
            edit(template)
        for text in paragraphs:
            template.add_paragraph(text)
        path = tmp_path / "範本.docx"
        template.save(str(path))
        return path

    return edited


@pytest.fixture(scope="module")
def example_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of the example figures unchanged, rendered once for the module."""
    path = tmp_path_factory.mktemp("example-report") / "報告.docx"
    render_report(copy.deepcopy(EXAMPLE), path)
    return path


@pytest.fixture
def render(tmp_path: Path, example_report: Path):
    def render(figures: dict, **kwargs) -> DocumentObject:
        if figures == EXAMPLE and not kwargs:  # what render_report made of them: read anew
            return Document(str(example_report))
        path = tmp_path / "報告.docx"
        render_report(figures, path, **kwargs)
        return Document(str(path))

    return render


def captioned_tables(doc: DocumentObject) -> dict[str, list[list[str]]]:
    """Each table's rows (cell texts) under its caption's title (「表3　標題」 → 「標題」)."""
    found, caption = {}, None
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            if caption not in found:  # the caption's own table, not a later uncaptioned one
                found[caption] = [[_read(c.text) for c in row.cells] for row in block.rows]
        elif re.match(r"表\d+　", block.text):
            caption = block.text.split("　", 1)[1]
    return found


def body_text(doc: DocumentObject) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def all_text(doc: DocumentObject) -> str:
    cells = [_read(c.text) for t in doc.tables for row in t.rows for c in row.cells]
    return body_text(doc) + "\n" + "\n".join(cells)


def section_paragraphs(doc: DocumentObject, heading: str, until: str = "") -> list[str]:
    """The paragraphs after `heading`, up to `until` or to the last non-empty one."""
    texts = [p.text for p in doc.paragraphs]
    start = texts.index(heading)
    end = texts.index(until, start) if until else len(texts)
    return [t for t in texts[start + 1 : end] if t]


def test_title_and_basis(figures: dict, render) -> None:
    doc = render(figures)
    assert [p.text for p in doc.paragraphs[:2]] == [
        "高雄市旗津區公所",
        "113年度性別主流化推動計畫執行成果報告",
    ]
    assert doc.paragraphs[0].style.style_id == "Title"
    text = body_text(doc)
    assert "「高雄市旗津區公所113年至116年性別主流化推動計畫」" in text
    assert "應繳交 9 個單位，已繳交 8 個單位，未繳交：調解委員會。" in text
    props = doc.core_properties  # the agency's document, made when the figures were built
    assert props.title == f"{figures['agency']}113年度性別主流化推動計畫執行成果報告"
    assert props.author == props.last_modified_by == figures["agency"]
    built = dt.datetime.fromisoformat(figures["built_at"]).astimezone(dt.UTC)
    assert props.created == props.modified == built.replace(microsecond=0)
    figures["plan"] = {"first_year": 117, "last_year": 120}  # another agency's next plan
    assert "「高雄市旗津區公所117年至120年性別主流化推動計畫」" in body_text(render(figures))


def test_headings_follow_the_plan(figures: dict, render) -> None:
    doc = render(figures)
    h1 = [p.text for p in doc.paragraphs if p.style.style_id == "Heading1"]
    h2 = [p.text for p in doc.paragraphs if p.style.style_id == "Heading2"]
    assert h1 == ["依據", "成果摘要", "辦理情形", "目標達成情形", "檢討與精進"]
    assert h2[:5] == [
        "召開本所性別平等執行小組會議",
        "落實性別意識培力",
        "精進性別影響評估辦理品質運用",
        "性別統計與分析與政策規劃成效評估及加強性別預算說明",
        "加強落實外部性別意識培力及性別平等宣導",
    ]


def test_numbers_dates_and_rates_are_formatted(figures: dict, render) -> None:
    doc = render(figures)
    tables = captioned_tables(doc)
    meetings = tables["性別平等執行小組會議辦理情形"]
    assert meetings[2][:7] == ["113年第1次會議", "113/05/20", "林志明", "4", "5", "0", "9"]
    groups = tables["各類人員性別意識培力情形"]
    assert groups[2] == [
        "公務人員", "30", "45", "0", "75", "29", "44", "0", "73", "97.3%", "160.5", "2.14",
    ]  # fmt: skip
    assert groups[-1][0] == "全機關"
    assert groups[-1][9:] == ["96.8%", "204.5", "2.15"]
    rates = tables["各類人員性別意識培力完訓率（依性別）"]
    assert rates[3] == ["主管人員", "80.0%", "100.0%", "—", "88.9%"]
    assert tables["性別意識培力研習時數（依辦理方式）"][-1] == ["合計", "206.5", "100.0%"]
    assert tables["性別統計指標"][2][4:9] == ["14,500", "13,800", "0", "28,300", "48.8%"]
    by_category = tables["性別預算編列及執行情形（依預算類別）"]
    assert by_category[-1] == ["合計", "3", "1,250,000", "1,180,000", "94.4%"]
    assert tables["CEDAW宣導辦理情形"][3][2] == "113/03/08"
    cedaw_total = tables["CEDAW宣導辦理情形"][-1]
    assert cedaw_total[0] == "合計" and cedaw_total[-2] == str(
        figures["cedaw"]["participants"]["total"]
    )
    assert tables["CEDAW宣導參與人數（依宣導對象）"][-1] == [
        "合計", "3", "80", "140", "2", "222", "63.1%", "－",  # nobody reached beyond those counted
    ]  # fmt: skip
    assert tables["其他性別平等措施辦理情形"][2][3] == "113/07/20"
    measures = figures["other_measures"]
    assert tables["其他性別平等措施辦理情形"][-1] == [
        "合計",
        f"{len(measures['list'])} 項",
        "", "", "",
        *(f"{measures['participants'][k]:,}" for k in ("male", "female", "other", "total")),
        f"{sum(m.get('reach') or 0 for m in measures['list']):,}",
        "",
    ]  # fmt: skip
    text = body_text(doc)
    assert "本年度性別預算編列 1,250,000 元，執行 1,180,000 元，執行率 94.4%" in text
    assert "完訓率 96.8%（男性 95.2%、女性 98.1%）" in text
    assert "男性 80 人次、女性 140 人次、其他 2 人次" in text


def test_intersection_tables(figures: dict, render) -> None:
    tables = captioned_tables(render(figures))
    by_age = tables["性別意識培力完訓率交織分析（性別×年齡層）"]
    assert [row[0] for row in by_age[2:-1]] == [a["label"] for a in figures["training"]["by_age"]]
    everyone = figures["training"]["groups"]["all"]
    assert by_age[-1][:5] == [
        "合計",
        *(str(everyone["required"][k]) for k in ("male", "female", "other", "total")),
    ]
    assert by_age[2] == ["未滿30歲", "8", "10", "0", "18", "100.0%", "90.0%", "—", "94.4%"]
    by_supervisor = tables["性別意識培力完訓率交織分析（性別×主管職務）"]
    assert by_supervisor[3] == ["非主管", "37", "49", "0", "86", "97.3%", "98.0%", "—", "97.7%"]


def test_meeting_members_and_roles(figures: dict, render) -> None:
    tables = captioned_tables(render(figures))
    assert tables["性別平等執行小組組員性別組成"][2] == ["4", "6", "0", "10", "60.0%"]
    roles = tables["性別平等執行小組組員角色"]
    assert roles[1] == ["召集人", "1"]
    assert roles[-1] == ["合計", "10"]


def test_targets_table_matches_the_figures(figures: dict, render) -> None:
    tables = captioned_tables(render(figures))
    rows = tables["目標達成情形"]
    assert rows[0] == ["工作項目", "主辦單位", "目標", "目標值", "實際值", "達成情形"]
    assert len(rows) == 1 + len(figures["targets"])
    for row, t in zip(rows[1:], figures["targets"], strict=True):
        assert row[0] == t["work_item"]  # on every row: a row continued overleaf says it too
        assert (row[1], row[5]) == (t["lead_unit"], t["verdict"])
        assert row[2].startswith(t["label"])
        source = TARGETS_BY_ID[t["id"]].source
        if source != NOT_IN_PLAN:  # where the plan states it
            assert row[2].endswith(f"（依據：{source}）")
    completion = rows[1 + [t["id"] for t in figures["targets"]].index("training_completion")]
    assert completion[3:] == ["100%", "96.8%", "未達成"]
    assert rows[2][3:5] == ["7 至 13 人", "10 人"]
    civil = rows[1 + [t["id"] for t in figures["targets"]].index("training_civil_servants")]
    assert civil[1] == "人事室"
    assert civil[4] == "公務人員 97.3%、主管人員 88.9%、性別業務承辦人 88.9%"


def test_missed_target_appears_in_table_and_findings(figures: dict, render) -> None:
    cedaw = next(t for t in figures["targets"] if t["id"] == "cedaw_sessions")
    cedaw.update(
        label="CEDAW 宣導每年至少 3 場次", required=3, actual=2, met=False, verdict="未達成"
    )
    figures["cedaw"]["sessions"] = 2
    doc = render(figures)
    row = next(r for r in captioned_tables(doc)["目標達成情形"] if r[2].startswith(cedaw["label"]))
    assert row[3:] == ["至少 3 場次", "2 場次", "未達成"]
    assert "CEDAW 宣導辦理 2 場次，未達每年至少 3 場次之目標。（主辦單位：" in body_text(doc)
    text = body_text(doc)
    verdicts = Counter("未達成" if t is cedaw else t["verdict"] for t in figures["targets"])
    common = sum(TARGETS_BY_ID[t["id"]].source == NOT_IN_PLAN for t in figures["targets"])
    plan = len(figures["targets"]) - common
    assert (
        f"本計畫所訂目標計 {plan} 項，另依通例檢核 {common} 項，依工作項目及主辦單位檢核如表"
        in text
    )
    assert (
        f"數量目標達成 {verdicts['達成']} 項、未達成 {verdicts['未達成']} 項；"
        f"應辦理事項已辦理 {verdicts['已辦理']} 項。"
    ) in text


def test_review_section_lists_findings_then_units_own_review(figures: dict, render) -> None:
    doc = render(figures)
    numbered = [p.text for p in doc.paragraphs if p.style.style_id == "Finding"]
    assert numbered == findings(figures)  # judged on the exact figures, said as shown
    assert any(
        "主管人員完訓率 88.9%（男 80.0%、女 100.0%），部分人員未達目標時數" in f for f in numbered
    )
    closing = "以上為本所113年度性別主流化推動計畫執行成果，敬請鑒核。"
    own = section_paragraphs(doc, "各單位檢討與精進", until=closing)
    assert own == [
        "人事室（性平執行小組會議）：會議資料提早提供委員。",
        "人事室（性別意識培力）：加強新進人員訓練。",
        "民政課（CEDAW宣導及其他性平措施）：擴大網路宣導。",
    ]


def test_all_targets_met_says_so(figures: dict, render) -> None:
    for t in figures["targets"]:
        t["met"] = True
        if t["id"] == "gender_balance":
            t["actual"] = 5
    figures["training"]["completion_rate_target"] = 0.5
    figures["meetings"]["members"] = {"male": 5, "female": 5, "other": 0, "total": 10}
    figures["units"]["missing"] = []
    figures["rows"]["excluded"] = 0
    figures["narratives"] = []
    doc = render(figures)
    assert not [p for p in doc.paragraphs if p.style.style_id == "Finding"]
    text = body_text(doc)
    assert "本年度各項目標均已達成，且無需特別注意之事項。" in text
    assert "各單位未另提檢討與精進事項。" in text
    assert "應繳交 9 個單位，已繳交 8 個單位。" in text  # the example's submitted list
    assert "未另提辦理情形" not in text  # a chapter no unit wrote about has no placeholder
    assert "各單位辦理說明" not in text


def test_the_contents_list_every_heading_numbered_as_the_headings(figures: dict, render) -> None:
    """A TOC field that Word rebuilds on opening, its entries written from the headings of
    levels 1 and 2 with their numbers (壹、 … and 一、 … again under each)."""
    doc = render(figures)
    legal, counting = "壹貳參肆伍陸柒捌玖", "一二三四五六七八九"
    expected, top, sub = [], 0, 0
    for p in doc.paragraphs:
        if p.style.style_id == "Heading1":
            top, sub = top + 1, 0
            expected.append(("TOC1", f"{legal[top - 1]}、{p.text}"))
        elif p.style.style_id == "Heading2":
            sub += 1
            expected.append(("TOC2", f"{counting[sub - 1]}、{p.text}"))
    entries = [
        (p.style.style_id, p.text.split("\t")[0])
        for p in doc.paragraphs
        if p.style.style_id in ("TOC1", "TOC2")
    ]
    assert entries == expected
    assert ("TOC2", "五、加強落實外部性別意識培力及性別平等宣導") in entries
    fields = "".join(t.text for t in doc.element.body.iter(qn("w:instrText")))
    assert 'TOC \\o "1-2"' in fields
    assert doc.settings.element.find(qn("w:updateFields")) is not None
    first = next(i for i, p in enumerate(doc.paragraphs) if p.style.style_id == "Heading1")
    assert all(p.style.style_id != "Heading1" for p in doc.paragraphs[:first])


def test_the_sentence_that_introduces_a_table_keeps_with_it(figures: dict, render) -> None:
    """SPEC §8 ◆: a sentence just before a table's caption is kept on its page."""
    doc = render(figures)
    paragraphs = doc.paragraphs
    introduced = 0
    for before, caption in itertools.pairwise(paragraphs):
        body = before.style.style_id.startswith("BodyText")  # not the note of a table above
        if body and re.match(r"表\d+　", caption.text) and before.text.endswith("。"):
            introduced += 1
            keep = (
                before.paragraph_format.keep_with_next
                or before.style.paragraph_format.keep_with_next
            )
            assert keep, before.text
    assert introduced >= 10


def test_units_narratives_under_each_work_item(figures: dict, render) -> None:
    doc = render(figures)
    text = body_text(doc)
    assert "人事室：本年度召開會議2次。" in text
    assert "會計室：更新性別統計指標。" in text
    gia = section_paragraphs(
        doc, "精進性別影響評估辦理品質運用", "性別統計與分析與政策規劃成效評估及加強性別預算說明"
    )
    assert "各單位辦理說明" not in gia  # nobody wrote about it: no heading, no placeholder
    assert not [p for p in gia if "未另提" in p]


def test_empty_lists_read_as_such(figures: dict, render) -> None:
    figures["gia"] = {"count": 0, "expert_consulted": 0, "list": []}
    figures["meetings"]["list"] = []
    tables = captioned_tables(render(figures))
    assert tables["性別影響評估辦理情形"][1] == ["本年度未辦理性別影響評估"] * 7
    assert tables["性別平等執行小組會議辦理情形"][2][0] == "本年度未召開會議"


def test_the_report_holds_nothing_about_files_rows_or_tools(figures: dict, render) -> None:
    text = all_text(render(figures))
    for internal in (".xlsx", "讀取", "資料列", "活頁簿", "gmreport", "檔案"):
        assert internal not in text, internal
    assert "本報告彙整本所各課室填報之113年度執行成果：應繳交 9 個單位，已繳交 8 個單位" in text


def test_the_cover_names_who_filed_and_the_end_is_signed(figures: dict, render) -> None:
    doc = render(figures)
    filed = figures["filed_by"]
    text = body_text(doc)
    assert f"填報單位：{filed['unit']}　承辦人：{filed['name']}\n" in text
    assert f"聯絡電話：{filed['phone']}　填報日期：113年12月31日" in text
    sign = doc.tables[-1]
    assert [c.text for c in sign.rows[0].cells] == ["承辦人", "單位主管", "機關首長"]
    assert {c.text for c in sign.rows[2].cells} == {"年　　月　　日"}  # a date line for each
    assert sign.rows[1].height is not None and sign.rows[1].height.cm >= 3  # room for seals
    body = doc.styles["Normal"].font.size  # at body size, not the tables' 10.5 pt
    assert all(c.paragraphs[0].style.font.size == body for c in sign.rows[0].cells)
    assert sign._tbl.tblPr.find(qn("w:tblBorders")) is not None  # a grid
    # The closing sentence, the last paragraph before it and the block keep together.
    last = [p for p in doc.paragraphs if p.text][-2:]
    assert last[1].text == "以上為本所113年度性別主流化推動計畫執行成果，敬請鑒核。"
    assert all(p.style.paragraph_format.keep_with_next for p in last)
    figures["filed_by"].update(name="", phone="", filed_on=None)
    assert "填報單位：人事室\n" in body_text(render(figures)) + "\n"


def test_trainee_names_never_appear(figures: dict, render, tmp_path: Path) -> None:
    names = ["王小明", "李美玲", "陳志強"]
    figures["training"]["short_of_hours"] = [{"name": n, "unit": "人事室"} for n in names]
    render(figures)
    with zipfile.ZipFile(tmp_path / "報告.docx") as z:
        everything = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    assert not [n for n in names if n in everything]
    assert "林志明" in everything  # the meetings' chair is a public role


def test_text_is_escaped_not_interpreted(figures: dict, render) -> None:
    figures["narratives"][0]["entries"][0]["done"] = "會議 <A&B> 「決議」</w:t>"
    assert "人事室：會議 <A&B> 「決議」</w:t>" in body_text(render(figures))


def test_draft_marks_every_page(figures: dict, render) -> None:
    figures["draft"] = True
    doc = render(figures)
    assert len(doc.sections) == 1
    section = doc.sections[0]
    assert not section.different_first_page_header_footer
    assert section.header.paragraphs[0].text == "草稿"
    header_xml = section.header._element.xml
    assert 'string="草稿"' in header_xml  # the watermark
    assert body_text(doc).count("【草稿】") == 1


def test_final_report_has_no_draft_marking(figures: dict, render) -> None:
    doc = render(figures)
    assert doc.sections[0].header.paragraphs[0].text == ""
    assert "草稿" not in doc.sections[0].header._element.xml
    assert "草稿" not in all_text(doc)


def test_styles_are_zh_tw_kai(figures: dict, render) -> None:
    doc = render(figures)
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    normal = doc.styles["Normal"].element.rPr
    for rpr in (defaults, normal):
        fonts = rpr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "標楷體"
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Times New Roman"
        assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-TW"
    for style_id in ("Heading1", "Heading2", "Heading3", "Title", "Caption", "TableText"):
        fonts = doc.styles.get_by_id(style_id, 1).element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "標楷體", style_id
    styles_xml = styles.xml
    assert "Theme" not in styles_xml and "cstheme" not in styles_xml
    assert "ja-JP" not in styles_xml and "ja-JP" not in doc.settings.element.xml


def test_page_is_a4_with_page_x_of_y_footer(figures: dict, render) -> None:
    doc = render(figures)
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0
    assert round(section.page_height.cm, 1) == 29.7
    footer = section.footer.paragraphs[0]
    instructions = [el.text.strip() for el in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert re.fullmatch(r"第 \d+ 頁，共 \d+ 頁", footer.text)


def test_headings_use_word_numbering(figures: dict, render) -> None:
    doc = render(figures)
    numbering = doc.part.numbering_part.element.xml
    assert 'w:val="ideographLegalTraditional"' in numbering  # 壹、貳
    assert 'w:val="taiwaneseCountingThousand"' in numbering  # 一、（一）
    num_pr = doc.styles["Heading 1"].element.pPr.find(qn("w:numPr"))
    assert num_pr is not None


def test_every_table_repeats_its_header_row(figures: dict, render) -> None:
    doc = render(figures)
    assert len(doc.tables) >= 15
    for table in doc.tables[:-1]:  # the last is the sign-off block
        assert table.style.style_id == "ReportTable"
        first = table.rows[0]._tr.trPr
        assert first is not None and first.find(qn("w:tblHeader")) is not None


def test_a_total_row_keeps_with_the_row_above_it_where_a_note_follows(
    figures: dict, render
) -> None:
    """A total row keeps with the item above it in a table with a note under it. A table
    without a note keeps no row but the header (see test_table_layout: LibreOffice would keep
    its end with the chart or heading that follows, leaving a page 40% empty)."""
    doc = render(figures)
    totals = [t for t in doc.tables if t.rows[-1].cells[0].text == "合計"]
    assert len(totals) >= 10

    def kept(row) -> bool:
        return all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)

    with_note = 0
    for table in totals:
        after = table._tbl.getnext()
        noted = after is not None and "TableNote" in after.xml.split("</w:pPr>")[0]
        whole = all(kept(r) for r in table.rows[:-1])  # a short table kept on one page
        with_note += noted
        assert kept(table.rows[-2]) == (noted or whole), table.rows[-1].cells[1].text
    assert 0 < with_note < len(totals)  # the example holds both kinds


@pytest.mark.parametrize(
    ("drop", "name"),
    [(("cedaw",), "cedaw"), (("budget", "executed"), "executed"), (("draft",), "draft")],
)
def test_missing_data_is_an_error_naming_it(
    figures: dict, tmp_path: Path, drop: tuple[str, ...], name: str
) -> None:
    path = tmp_path / "報告.docx"
    path.write_bytes(b"last good report")
    parent = figures
    for key in drop[:-1]:
        parent = parent[key]
    del parent[drop[-1]]
    with pytest.raises(OutputError, match=f"資料「{re.escape(name)}」不存在"):
        render_report(figures, path)
    assert path.read_bytes() == b"last good report"
    assert [p.name for p in tmp_path.iterdir()] == ["報告.docx"]


@pytest.mark.parametrize("name", ["budget_note", "budget.note", "training.groups.all.rates"])
def test_template_variable_not_in_figures_is_named(
    figures: dict, tmp_path: Path, edited, name: str
) -> None:
    custom = edited(f"{{{{ {name} }}}}")
    with pytest.raises(OutputError, match=f"「{re.escape(name)}」不存在"):
        render_report(figures, tmp_path / "報告.docx", template=custom)
    assert not (tmp_path / "報告.docx").exists()


@pytest.mark.parametrize(
    ("paragraphs", "named"),
    [
        (["{%p for c in cedaw.list %}", "{{ c.speakr }}", "{%p endfor %}"], "cedaw.list[].speakr"),
        (
            [
                "{%p for g in gia.list %}",
                "{% for k in g.nothing %}{{ k }}{% endfor %}",
                "{%p endfor %}",
            ],
            "gia.list[].nothing",
        ),
    ],
)
def test_data_read_in_a_loop_is_checked_on_the_rows(
    figures: dict, tmp_path: Path, edited, paragraphs: list[str], named: str
) -> None:
    custom = edited(*paragraphs)
    with pytest.raises(OutputError, match=f"「{re.escape(named)}」不存在"):
        render_report(figures, tmp_path / "報告.docx", template=custom)


def test_data_a_template_only_tests_for_is_not_required(
    figures: dict, tmp_path: Path, edited
) -> None:
    custom = edited(
        "{% if budget.note is defined %}{{ budget.note }}{% endif %}",
        "{{ cedaw.reach|default('—') }}",
    )
    render_report(figures, tmp_path / "報告.docx", template=custom)
    text = "\n".join(p.text for p in Document(str(tmp_path / "報告.docx")).paragraphs)
    assert "—" in text


@pytest.mark.parametrize(
    "broken", ["{{ gia.count ", "{% if draft %}未結束", "{{ gia.count|nofilter }}"]
)
def test_a_malformed_template_is_a_clear_error(
    figures: dict, tmp_path: Path, edited, broken: str
) -> None:
    custom = edited(broken)
    with pytest.raises(OutputError, match="範本"):
        render_report(figures, tmp_path / "報告.docx", template=custom)
    assert not (tmp_path / "報告.docx").exists()


def _drop_gia_counts(template: DocumentObject) -> None:
    gia = next(p for p in template.paragraphs if "gia.expert_consulted" in p.text)
    gia._p.getparent().remove(gia._p)


def test_data_an_edited_template_leaves_out_is_named(figures: dict, tmp_path: Path, edited) -> None:
    custom = edited(edit=_drop_gia_counts)
    unused = render_report(figures, tmp_path / "報告.docx", template=custom)
    # the paragraph that counts and cites 表12 (成果摘要 counts the cases too)
    assert unused == ["gia.expert_consulted", "tables.gia.number"]
    assert render_report(figures, tmp_path / "報告2.docx") == []


def test_wording_changed_in_word_is_kept(figures: dict, tmp_path: Path, shipped: Path) -> None:
    template = Document(str(shipped))
    basis = next(p for p in template.paragraphs if p.text.startswith("依據"))
    basis.runs[0].text = "奉區長核示，" + basis.runs[0].text
    template.add_paragraph("本報告業經{{ year }}年度第2次性平小組會議報告。")
    custom = tmp_path / "範本.docx"
    template.save(str(custom))
    render_report(figures, tmp_path / "報告.docx", template=custom)
    text = "\n".join(p.text for p in Document(str(tmp_path / "報告.docx")).paragraphs)
    assert "奉區長核示，依據" in text
    assert f"本報告業經{figures['year']}年度第2次性平小組會議報告。" in text


needs_cjk_font = pytest.mark.skipif(find_cjk_font() is None, reason="需要中文字型才能繪製統計圖")


@needs_cjk_font
def test_charts_are_inserted_with_captions(figures: dict, render, tmp_path: Path) -> None:
    charts = make_charts(figures, tmp_path / "charts")
    doc = render(figures, charts=charts)
    assert len(doc.inline_shapes) == 3
    captions = [p.text for p in doc.paragraphs if p.style.style_id == "FigureCaption"]
    assert captions == [
        "圖1　各類人員性別意識培力完訓率（依性別）",
        "圖2　CEDAW宣導參與人數（依性別）",
        "圖3　其他性別平等措施參與人數（依性別）",
    ]


def test_without_charts_there_are_no_figures(figures: dict, render) -> None:
    doc = render(figures)
    assert len(doc.inline_shapes) == 0
    assert not [p for p in doc.paragraphs if p.text.startswith("圖")]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="需要 LibreOffice（soffice）")
@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="需要 poppler-utils（pdffonts）")
def test_pdf_keeps_kai_font(figures: dict, tmp_path: Path) -> None:
    figures["draft"] = True
    docx = tmp_path / "113年度性別主流化執行成果報告.docx"
    charts = make_charts(figures, tmp_path / "charts") if find_cjk_font() else {}
    render_report(figures, docx, charts=charts)
    out = pdf.convert_to_pdf(docx, tmp_path / "pdf")
    assert out == tmp_path / "pdf" / "113年度性別主流化執行成果報告.pdf"
    info = subprocess.run(["pdfinfo", out], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert 6 <= pages <= 16
    fonts = subprocess.run(["pdffonts", out], capture_output=True, text=True, check=True).stdout
    assert re.search(r"kai", fonts, re.I), fonts
    latin = [line for line in fonts.splitlines() if "Serif" in line or "Times" in line]
    assert latin and all(re.search(r"LiberationSerif|Tinos|Times", line) for line in latin), fonts
    assert "DejaVu" not in fonts, fonts  # a wider fallback breaks numbers and dates
    text = subprocess.run(
        ["pdftotext", "-layout", out, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"第 1 頁，共 {pages} 頁" in text
    assert text.count("草稿") >= pages
    # No page is more than half empty, except the last of a chapter (壹、貳、… starts the next).
    read = pdf_pages.pages(out)
    assert len(read) == pages
    for page, following in itertools.pairwise(read):
        if page.fill < 0.5:
            assert re.match(r"[壹貳參肆伍陸柒捌玖拾]、", following.first_words), (page, following)


def test_pdf_without_libreoffice_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pdf, "soffice_path", lambda: None)
    docx = tmp_path / "報告.docx"
    docx.write_bytes(b"")
    with pytest.raises(OutputError, match="找不到 LibreOffice"):
        pdf.convert_to_pdf(docx, tmp_path)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="需要 LibreOffice（soffice）")
def test_pdf_of_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="找不到要轉成 PDF 的檔案"):
        pdf.convert_to_pdf(tmp_path / "沒有這個檔.docx", tmp_path)


def test_broken_chart_file_is_a_clear_error(figures: dict, tmp_path: Path) -> None:
    broken = tmp_path / "training_completion.png"
    broken.write_bytes(b"not a png")
    with pytest.raises(OutputError, match="無法將統計圖放入報告"):
        render_report(figures, tmp_path / "報告.docx", charts={"training_completion": broken})


def test_media_measures_are_reported_by_their_reach_never_as_zero(figures: dict, render) -> None:
    measures = figures["other_measures"]
    media = [r for r in measures["list"] if r["reach"] and not r["participants"]["total"]]
    assert media, "the example holds a measure reported by its reach alone"
    doc = render(figures)
    rows = captioned_tables(doc)["其他性別平等措施辦理情形"]
    header = rows[1]  # the second header row: 男/女/其他/合計 under 參與人數, then 觸及人次
    for r in media:
        shown = next(row for row in rows if r["name"] in row)
        at = header.index("男")
        assert shown[at : at + 4] == ["－"] * 4, shown
        assert f"{r['reach']:,}" in shown
    assert f"觸及 {measures['reach']:,} 人次" in body_text(doc)


def test_people_not_required_are_explained(figures: dict, render) -> None:
    figures["training"]["not_required"] = {"short_service": 2, "on_leave": 1}
    text = body_text(render(figures))
    assert (
        "另有 3 人本年度在職未滿 90 日，未列入應訓人員（到職或離職致在職日數不足 2 人、留職停薪 1 人）。"
        in text
    )
    figures["training"]["not_required"] = {"short_service": 0, "on_leave": 0}
    assert "未列入應訓人員" not in body_text(render(figures))


def test_units_that_sent_a_blank_workbook_are_named(figures: dict, render) -> None:
    figures["units"]["submitted"].remove("兵役課")
    figures["units"]["empty"] = ["兵役課"]
    text = body_text(render(figures))
    assert "已繳交 7 個單位，繳交空白表：兵役課，未繳交：調解委員會。" in text


def test_agency_wide_figures_say_which_units_they_leave_out(figures: dict, render) -> None:
    figures["units"]["empty"] = ["兵役課"]
    doc = render(figures)
    caveat = "全機關數據僅含已繳交資料之單位，不含調解委員會、兵役課。"
    assert "上開" + caveat in body_text(doc)  # after the 全機關 完訓率 in the text
    note = next(p.text for p in doc.paragraphs if p.text.startswith("註：1. 同一人"))
    assert note.endswith(caveat)  # and in the note of the table that holds 全機關
    assert any("全機關完訓率等數據僅含已繳交資料之單位" in f for f in findings(figures))
    figures["units"].update(missing=[], empty=[])
    assert "全機關數據僅含" not in all_text(render(figures))


@pytest.mark.parametrize(
    ("rate", "shown"), [(0.9725, "97.3%"), (0.9995, "99.9%"), (0.0005, "0.1%")]
)
def test_one_rounding_rule_in_the_report_and_its_findings(
    figures: dict, render, rate: float, shown: str
) -> None:
    """Half up, from the exact value, and a rate short of 100% never reads 100.0%."""
    figures["training"]["groups"]["civil_servants"]["rate"]["total"] = rate
    next(t for t in figures["targets"] if t["id"] == "training_civil_servants").update(
        actual=rate, met=False, verdict="未達成"
    )
    doc = render(figures)
    row = next(r for r in captioned_tables(doc)["各類人員性別意識培力情形"] if r[0] == "公務人員")
    assert row[9] == shown
    assert any(f"公務人員完訓率 {shown}" in f for f in findings(figures))


def test_missing_fonts_are_named_so_a_person_can_install_them(monkeypatch) -> None:
    class Listed:
        stdout = "DejaVu Sans\nNoto Sans CJK TC,Noto Sans CJK TC Regular\n"

    monkeypatch.setattr(pdf.shutil, "which", lambda name: "/usr/bin/fc-list")
    monkeypatch.setattr(pdf.subprocess, "run", lambda *a, **k: Listed())
    monkeypatch.setattr(pdf.sys, "platform", "linux")
    missing = pdf.missing_fonts()
    assert len(missing) == 2
    assert "fonts-arphic-ukai" in missing[0] and "Liberation Serif" in missing[1]
    Listed.stdout = "AR PL UKai TW\nLiberation Serif\n"
    assert pdf.missing_fonts() == []


def leave_beneficiaries_blank(figures: dict, projects: list[dict]) -> dict:
    """`projects` with their 受益人數 left blank (0 in each, as the figures keep it) and the
    budget's total the sum of the rest, as aggregate makes it; returns that total."""
    for project in projects:
        project["beneficiaries"] = dict.fromkeys(("male", "female", "other", "total"), 0)
    listed = figures["budget"]["list"]
    total = {k: sum(p["beneficiaries"][k] for p in listed) for k in ("male", "female", "other")}
    total["total"] = sum(total.values())
    figures["budget"]["beneficiaries"] = total
    return total


def test_beneficiaries_left_blank_read_as_not_counted_never_as_zero(figures: dict, render) -> None:
    listed = figures["budget"]["list"]
    blank, *counted = listed
    total = leave_beneficiaries_blank(figures, [blank])
    assert total["total"]  # the others counted theirs
    doc = render(figures)
    rows = captioned_tables(doc)["性別預算受益人數"]
    at = rows[1].index("男")  # the second header row: 男/女/其他/合計 under 受益人數, then 女性比例
    shown = next(row for row in rows if blank["name"] in row)
    assert shown[at : at + 5] == ["－"] * 4 + ["—"]
    for project in counted:
        row = next(row for row in rows if project["name"] in row)
        assert row[at + 3] == f"{project['beneficiaries']['total']:,}"
    assert rows[-1][at : at + 4] == [f"{total[k]:,}" for k in ("male", "female", "other", "total")]
    text = body_text(doc)
    assert f"受益人數 {total['total']:,} 人（男性 {total['male']:,} 人" in text
    assert "（另 1 項計畫未填列受益人數）" in text
    assert "未填列受益人數之計畫以「－」表示" in all_text(doc)


def test_no_project_counting_its_beneficiaries_is_said_so(figures: dict, render) -> None:
    leave_beneficiaries_blank(figures, figures["budget"]["list"])
    doc = render(figures)
    rows = captioned_tables(doc)["性別預算受益人數"]
    at = rows[1].index("男")
    assert all(row[at : at + 5] == ["－"] * 4 + ["—"] for row in rows[2:])  # 合計 too
    text = body_text(doc)
    assert "各計畫均未填列受益人數" in text
    assert "受益人數 0 人" not in text and "未填列受益人數）" not in text


def test_beneficiaries_counted_by_every_project_say_nothing_of_blanks(
    figures: dict, render
) -> None:
    assert all(p["beneficiaries"]["total"] for p in figures["budget"]["list"])
    doc = render(figures)
    total = figures["budget"]["beneficiaries"]["total"]
    assert f"受益人數 {total:,} 人" in body_text(doc)
    assert "未填列受益人數" not in all_text(doc)


@pytest.mark.parametrize("nobody", [False, True])
def test_the_summary_and_the_targets_chapter_count_every_target(
    figures: dict, render, nobody: bool
) -> None:
    """Issue 22: a 116 summary said 達成 10、已辦理 2 of 13 targets — the one with no one to
    train was never counted. Each of the two sentences accounts for every target."""
    if nobody:
        target = next(t for t in figures["targets"] if t["id"] == "training_other_staff")
        target["verdict"] = "無應訓人員"
    text = body_text(render(figures))
    total = len(figures["targets"])
    for said in (
        next(p for p in text.splitlines() if "各工作項目之辦理情形及目標達成情形詳如下述" in p),
        next(p for p in text.splitlines() if "依工作項目及主辦單位檢核如" in p),
    ):
        counts = re.search(r"本計畫所訂目標計 (\d+) 項(?:，另依通例檢核 (\d+) 項)?", said)
        assert int(counts[1]) + int(counts[2] or 0) == total
        verdicts = [int(n) for n in re.findall(r"(\d+) 項", said[counts.end() :])]
        assert sum(verdicts) == total, said
        assert ("不予檢核" in said) == nobody, said


def test_a_work_item_with_one_part_does_not_number_it(figures: dict, render) -> None:
    """Issue 22: 性別影響評估 with no unit's account and no photo read 「（一）」 with no
    「（二）」. Its one part then stands unnumbered under the item's heading."""
    heading = "性別影響評估辦理情形"

    def numbered(doc: DocumentObject) -> bool:
        return any(p.text == heading and p.style.style_id == "Heading3" for p in doc.paragraphs)

    gia = next(n for n in figures["narratives"] if n["item"] == "性別影響評估")
    gia["entries"] = [{"unit": "秘書室", "done": "辦理性別影響評估3案。", "review": ""}]
    assert numbered(render(figures))
    gia["entries"] = []
    doc = render(figures)
    assert not numbered(doc)
    assert "本年度辦理性別影響評估" in body_text(doc)
