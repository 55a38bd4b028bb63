"""Build the docxtpl Word template `templates/各機關執行成果彙整報告.docx` (the city's roll-up).

Run by developers (`python tools/make_rollup_template.py`); the output is committed. It
shares the agency report's styles, numbering (壹、一、（一）), A4 page and footer
(tools/make_report_template.py), so the two documents read as one series. People may
edit the wording in Word: everything between {{ }} and {% %} is filled in by gmreport.
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_report_template import (
    FINDINGS_AGAIN_NUM,
    HEADER_FILL,
    NS,
    Builder,
    _cell_text,
    _keep_together,
    _keep_with_next,
    _setup_numbering,
    _setup_package,
    _setup_section,
    _setup_styles,
    _style,
    _table_geometry,
    sign_off_grid,
)
from reproducible import write_reproducibly

from gmreport.schema import GENDER_KEYS

OUT = Path(__file__).resolve().parents[1] / "templates" / "各機關執行成果彙整報告.docx"
CITY = "高雄市政府"


@dataclass(frozen=True)
class Col:
    """One column of a roll-up table: header text (under `group` when grouped), width in
    cm, cell text. (The agency report's tables are declared in gmreport.tables instead.)"""

    header: str
    width: float
    cell: str
    left: bool = False
    group: str | None = None


COUNT_COLUMNS = (*GENDER_KEYS.items(), ("合計", "total"))
"""Each 男/女/其他/合計 column: its header and the key of its count in the figures."""


class RollupBuilder(Builder):
    """The agency report's builder, with the roll-up's own captioned tables: their rows are
    the template's loops over the agencies (docxtpl)."""

    def __init__(self, doc: Any) -> None:
        super().__init__(doc)
        self.tables = 0

    def next_table(self) -> int:
        """The number the next table will get (for text that refers to it)."""
        return self.tables + 1

    def table(
        self,
        title: str,
        cols: list[Col],
        *,
        loop: str | None,
        empty: str = "本年度無資料",
        total: list[str] | None = None,
        static: list[list[str]] | None = None,
        note: str | None = None,
        keep: bool = False,
        number: str | None = None,
        sections: tuple[str, str] | None = None,
    ) -> None:
        """A captioned table: header row(s), then one row per item of `loop` (docxtpl).

        `sections` (a loop and the text of its row) puts the rows under headings across the
        table: one row of that text per item of the outer loop, then `loop`'s rows of it.

        `keep` keeps a short table on one page (with its caption) instead of splitting it.
        A `total` row never stands alone at the top of a page: the last item's row keeps
        with it (the loop runs twice, over all items but the last, then over the last).
        `number` is the caption's number as the template computes it (a table after an
        optional chapter), instead of the count of tables so far.
        """
        self.tables += 1
        self._caption("表", number or self.tables, title, "Caption")
        grouped = any(c.group for c in cols)
        n_header = 2 if grouped else 1
        body: list[tuple[str, list[str] | str]] = []
        cells = [c.cell for c in cols]
        if loop and total:
            item, items = loop.split(" in ", 1)
            body += [
                ("tag", f"{{%tr for {item} in ({items}|list)[:-1] %}}"),
                ("data", cells),
                ("tag", "{%tr endfor %}"),
                ("tag", f"{{%tr for {item} in ({items}|list)[-1:] %}}"),
                ("last", cells),
                ("tag", "{%tr else %}"),
                ("last span", empty),
                ("tag", "{%tr endfor %}"),
            ]
        elif loop and sections:
            outer, heading = sections
            body += [
                ("tag", f"{{%tr for {outer} %}}"),
                ("section", heading),
                ("tag", f"{{%tr for {loop} %}}"),
                ("data", cells),
                ("tag", "{%tr endfor %}"),
                ("tag", "{%tr else %}"),
                ("span", empty),
                ("tag", "{%tr endfor %}"),
            ]
        elif loop:
            body += [
                ("tag", f"{{%tr for {loop} %}}"),
                ("data", cells),
                ("tag", "{%tr else %}"),
                ("span", empty),
                ("tag", "{%tr endfor %}"),
            ]
        for row in static or []:
            body.append(("data", row))
        if total:
            body.append(("total", total))
        table = self.doc.add_table(rows=n_header + len(body), cols=len(cols))
        table.style = _style(self.doc, "ReportTable")
        _table_geometry(table, [c.width for c in cols])
        self._header(table, cols, n_header)
        for i, (kind, content) in enumerate(body, start=n_header):
            row = table.rows[i]
            if kind in ("tag", "span", "last span", "section"):
                cell = row.cells[0].merge(row.cells[-1])
                left = kind in ("tag", "section")
                _cell_text(cell, content, "TableTextLeft" if left else "TableText")
                if kind == "section":
                    cell.paragraphs[0].runs[0].bold = True
                    _keep_with_next(row)
            else:
                style = "TableHeading" if kind == "total" else "TableText"
                for c, cell, text in zip(cols, row.cells, content, strict=True):
                    left = c.left and kind in ("data", "last")
                    _cell_text(cell, text, "TableTextLeft" if left else style)
            if kind.startswith("last"):
                _keep_with_next(row)
        if keep:
            _keep_together(table)
        if note:
            self.p(note, "TableNote")

    def _header(self, table: Table, cols: list[Col], n_header: int) -> None:
        for r in range(n_header):
            tr_pr = table.rows[r]._tr.get_or_add_trPr()
            tr_pr.append(parse_xml(f"<w:tblHeader {NS}/>"))
        if n_header == 1:
            for c, cell in zip(cols, table.rows[0].cells, strict=True):
                _cell_text(cell, c.header, "TableHeading")
            _shade_header(table, 1)
            return
        j = 0
        while j < len(cols):
            c = cols[j]
            if c.group is None:
                cell = table.cell(0, j).merge(table.cell(1, j))
                _cell_text(cell, c.header, "TableHeading")
                j += 1
                continue
            k = j
            while k + 1 < len(cols) and cols[k + 1].group == c.group:
                k += 1
            top = table.cell(0, j).merge(table.cell(0, k)) if k > j else table.cell(0, j)
            _cell_text(top, c.group, "TableHeading")
            for m in range(j, k + 1):
                _cell_text(table.cell(1, m), cols[m].header, "TableHeading")
            j = k + 1
        _shade_header(table, n_header)


def _shade_header(table: Table, n_header: int) -> None:
    """Grey header cells, including the lower halves of vertically merged ones."""
    for row in table.rows[:n_header]:
        for tc in row._tr.tc_lst:
            tc_pr = tc.get_or_add_tcPr()
            shd = parse_xml(f'<w:shd {NS} w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>')
            v_align = tc_pr.find(qn("w:vAlign"))
            if v_align is None:
                tc_pr.append(shd)
                tc_pr.append(parse_xml(f'<w:vAlign {NS} w:val="center"/>'))
            else:
                v_align.addprevious(shd)


def _rates(group: str, expr: str, width: float = 1.3) -> list[Col]:
    return [
        Col(label, width, f"{{{{ {expr}.{key}|pct }}}}", group=group)
        for label, key in COUNT_COLUMNS
    ]


def _people(counts: str, unit: str = "人") -> str:
    return (
        f"男性 {{{{ {counts}.male|num }}}} {unit}、女性 {{{{ {counts}.female|num }}}} {unit}"
        f"{{% if {counts}.other %}}、其他 {{{{ {counts}.other|num }}}} {unit}{{% endif %}}"
    )


def build_content(b: RollupBuilder) -> None:
    """The roll-up's text, tables and charts, in reading order."""
    b.p(CITY, "Title")
    b.p("各機關{{ year }}年度性別主流化推動計畫", "Title")
    b.p("執行成果彙整報告", "Title")  # two lines of their own, never 「報告」 alone
    b.p("資料期間：{{ year }}年1月1日至{{ year }}年12月31日", "Subtitle")
    b.p("彙整單位：本府性別主流化工作小組幕僚單位（社會局）", "Subtitle")

    b.h1("依據")
    b.p(
        "依各機關性別主流化推動計畫「考核及獎勵措施」，各機關彙整年度執行成果提報本府"
        "性別主流化工作小組檢討並研擬精進作為。本報告彙整各機關提報之{{ year }}年度執行成果，"
        "就各工作項目之全市辦理情形、各項目標之達成情形及未達成之機關分述如下。",
        "BodyText1",
    )

    b.h1("提報情形")
    b.p(
        "{% if expected_count %}應提報機關 {{ expected_count|num }} 個，已提報 "
        "{{ agency_count|num }} 個"
        "{% if missing %}，未提報 {{ missing|length|num }} 個：{{ missing|join('、') }}"
        "{% else %}，均已提報{% endif %}"
        "{% else %}本次彙整 {{ agency_count|num }} 個機關提報之執行成果{% endif %}"
        "{% if unexpected %}；另 {{ unexpected|join('、') }} 不在應提報機關清單中，仍納入彙整"
        "{% endif %}。{% if left_out %}另有 {{ left_out|length|num }} 份提報資料因格式不符等原因"
        "未能納入，請相關機關重新提報（詳附件）。{% endif %}"
        "{% if partial %}另有 {{ partial|length|num }} 個機關之部分單位未繳交資料或繳交空白表，"
        "其數據僅含已繳交資料之單位：{{ partial|join('、') }}。{% endif %}",
        "BodyText1",
    )
    b.p(
        "以下全市合計係加總各機關之數據，比率由合計人數計算；各機關之人員統計如該機關"
        "成果報告因人數未達 3 人而不予揭露者，本報告亦以「*」表示。",
        "BodyText1",
    )

    b.h1("全市辦理情形")
    _meetings(b)
    _training(b)
    b.h2("性別影響評估")
    b.p(
        "各機關辦理性別影響評估計 {{ city['gia.count']|num }} 案，其中諮詢性別平等專家學者 "
        "{{ city['gia.expert_consulted']|num }} 案；{{ gia_agencies|num }} 個機關辦理 1 案以上。",
        "BodyText2",
    )
    _statistics_budget(b)
    _cedaw(b)
    _targets(b)
    _trend(b)
    _sign_off(b)
    _appendix(b)


def _meetings(b: RollupBuilder) -> None:
    b.h2("性別平等執行小組會議")
    b.p(
        "各機關性別平等執行小組共召開會議 {{ city['meetings.count']|num }} 次；小組組員計 "
        "{{ city['meetings.members.total']|num }} 人（" + _people("members") + "），"
        "女性比例 {{ city['meetings.members.female_ratio']|pct }}。",
        "BodyText2",
    )


def _training(b: RollupBuilder) -> None:
    b.h2("性別意識培力")
    t = b.next_table()
    b.p(
        "{{ training_sentence }}；"
        "{% if not rates_shown %}各機關完訓率均依個資保護原則不予揭露"
        "{% elif rates_shown < agencies|length %}完訓率揭露之 {{ rates_shown }} 個機關"
        "（其餘依個資保護原則不予揭露），其完訓率中位數為 {{ median_completion|pct }}"
        "{% else %}各機關完訓率之中位數為 {{ median_completion|pct }}{% endif %}"
        "，完訓率達 100% 之機關 "
        "{{ full_completion|num }} 個。全市合計如表"
        + str(t)
        + "，各機關完訓情形如表"
        + str(t + 1)
        + b.see_figure("completion")
        + "。",
        "BodyText2",
    )
    b.table(
        "全市性別意識培力完訓情形（依性別）",
        [
            Col("項目", 3.2, "{{ r.label }}"),
            Col("男", 2.4, "{{ r.male }}"),
            Col("女", 2.4, "{{ r.female }}"),
            Col("其他", 2.4, "{{ r.other }}"),
            Col("合計", 2.4, "{{ r.total }}"),
        ],
        loop="r in city_training",
        keep=True,
    )
    b.table(
        "各機關性別意識培力完訓情形",
        [
            Col("機關", 4.0, "{{ a.name }}", left=True),
            Col("應訓人數", 1.7, "{{ a.required|num }}"),
            Col("完訓人數", 1.7, "{{ a.completed|num }}"),
            *_rates("完訓率", "a.rate", 1.6),
            Col("排名", 1.2, "{{ a.rank|num }}"),
        ],
        loop="a in agencies",
        note="註：各機關人數未達 3 人之性別，其完訓人數及完訓率依該機關成果報告以「*」表示；"
        "排名依全機關完訓率，無應訓人員者不列排名（「—」）。"
        "{% if partial %}{{ partial|join('、') }}之數據僅含已繳交資料之單位。{% endif %}",
    )
    b.figure("completion", "各機關性別意識培力完訓率分布")


def _statistics_budget(b: RollupBuilder) -> None:
    b.h2("性別統計與性別預算")
    b.p(
        "各機關性別統計指標計 {{ city['indicators.count']|num }} 項，其中新增 "
        "{{ city['indicators.new']|num }} 項、修訂 {{ city['indicators.revised']|num }} 項、"
        "具複分類 {{ city['indicators.cross_classified']|num }} 項。"
        "性別預算編列 {{ city['budget.allocated']|num }} 元，執行 "
        "{{ city['budget.executed']|num }} 元，全市執行率 {{ city['budget.execution_rate']|pct }}"
        "，受益人數 {{ city['budget.beneficiaries.total']|num }} 人（"
        + _people("beneficiaries")
        + "）。各機關辦理情形如表"
        + str(b.next_table())
        + "。",
        "BodyText2",
    )
    b.table(
        "各機關性別統計、性別預算及宣導辦理情形",
        [
            Col("機關", 3.8, "{{ a.name }}", left=True),
            Col("會議\n次數", 1.0, "{{ a.meetings|num }}"),
            Col("性別統計\n指標", 2.0, "{{ a.indicators|num }}"),
            Col("編列數（元）", 1.8, "{{ a.allocated|num }}"),
            Col("執行數（元）", 1.8, "{{ a.executed|num }}"),
            Col("執行率", 1.5, "{{ a.execution_rate|pct }}"),
            Col("CEDAW\n場次", 1.9, "{{ a.cedaw|num }}"),
            Col("參與\n人次", 1.1, "{{ a.participants|num }}"),
            Col("其他\n措施", 1.1, "{{ a.measures|num }}"),
        ],
        loop="a in agencies",
        total=[
            "合計",
            "{{ city['meetings.count']|num }}",
            "{{ city['indicators.count']|num }}",
            "{{ city['budget.allocated']|num }}",
            "{{ city['budget.executed']|num }}",
            "{{ city['budget.execution_rate']|pct }}",
            "{{ city['cedaw.sessions']|num }}",
            "{{ city['cedaw.participants.total']|num }}",
            "{{ city['other_measures.count']|num }}",
        ],
    )
    b.tag("{%p if partial %}")
    b.p("註：{{ partial|join('、') }}之數據僅含已繳交資料之單位。", "TableNote")
    b.tag("{%p endif %}")


def _cedaw(b: RollupBuilder) -> None:
    b.h2("CEDAW宣導及其他性別平等措施")
    b.p(
        "各機關辦理 CEDAW 宣導 {{ city['cedaw.sessions']|num }} 場次，參與 "
        "{{ city['cedaw.participants.total']|num }} 人次（" + _people("cedaw", "人次") + "），"
        "女性比例 {{ city['cedaw.participants.female_ratio']|pct }}"
        "{% if city['cedaw.reach'] %}；另以廣播、網路等方式觸及 {{ city['cedaw.reach']|num }} 人次"
        "{% endif %}。其他性別平等措施 {{ city['other_measures.count']|num }} 項，參與 "
        "{{ city['other_measures.participants.total']|num }} 人次"
        "{% if city['other_measures.reach'] %}，另觸及 {{ city['other_measures.reach']|num }} 人次"
        "{% endif %}。",
        "BodyText2",
    )


def _targets(b: RollupBuilder) -> None:
    b.h1("目標達成情形")
    b.p(
        "各機關依其推動計畫所訂目標檢核，各項目標之達成機關數如表"
        + str(b.next_table())
        + b.see_figure("targets")
        + "；各機關之目標值依其計畫而定。",
        "BodyText1",
    )
    b.table(
        "各項目標之機關達成情形",
        [
            Col("工作項目", 3.0, "{{ t.work_item }}", left=True),
            Col("目標", 4.0, "{{ t.name }}", left=True),
            Col("達成\n機關數", 1.5, "{{ t.met|length|num }}"),
            Col("未達成\n機關數", 1.5, "{{ t.missed|length|num }}"),
            Col("資料不全\n機關數", 1.5, "{{ t.incomplete|length|num }}"),
            Col("檢核\n機關數", 1.5, "{{ t.judged|num }}"),
            Col("達成比例", 1.6, "{{ t.rate|pct }}"),
        ],
        loop="t in targets",
        note="註：「辦理性別影響評估」「檢視性別預算」等應辦理事項，以已辦理計為達成；"
        "無應訓人員之機關不列入該類人員完訓率之檢核；「資料不全」係機關內所依據之單位"
        "未繳交資料或繳交空白表而無法判定，不列入檢核機關數。",
    )
    b.figure("targets", "各項目標之機關達成情形")
    b.h2("未達成目標之機關")
    b.tag("{%p for t in targets if t.missed %}")
    b.p(
        "「{{ t.name }}」{{ '未辦理' if t.done_kind else '未達成' }}"
        "（{{ t.missed|length|num }} 個）：{{ t.missed_named|join('、') }}。",
        "Finding",
    )
    b.tag("{%p else %}")
    b.p("各機關均達成所訂目標。", "BodyText2")
    b.tag("{%p endfor %}")
    b.tag("{%p if targets|selectattr('incomplete')|list %}")
    b.h2("資料不全之機關")
    b.tag("{%p for t in targets if t.incomplete %}")
    b.p(
        "「{{ t.name }}」資料不全（{{ t.incomplete|length|num }} 個）："
        "{{ t.incomplete_named|join('、') }}，俟各該機關補齊資料後再行檢核。",
        "Finding",
    )
    b.doc.paragraphs[-1]._p.get_or_add_pPr().append(
        parse_xml(  # a list of its own: （一） again
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/>'
            f'<w:numId w:val="{FINDINGS_AGAIN_NUM}"/></w:numPr>'
        )
    )
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")


def _trend(b: RollupBuilder) -> None:
    b.tag("{%p if trend %}")
    b.h1("歷年比較")
    b.p(
        "依各機關提報之歷年數據，全市{{ trend[0].year }}年度至{{ year }}年度之辦理情形如表"
        + str(b.next_table())
        + b.see_figure("trend")
        + "。{{ trend_sentence }}",
        "BodyText1",
    )
    b.table(
        "全市歷年辦理情形",
        [
            Col("年度", 1.6, "{{ y.year }}"),
            Col("機關數", 1.4, "{{ y.agencies|num }}"),
            Col("完訓率", 1.7, "{{ y.completion_rate|pct }}"),
            Col("會議次數", 1.6, "{{ y.meetings|num }}"),
            Col("CEDAW\n場次", 1.6, "{{ y.cedaw_sessions|num }}"),
            Col("CEDAW\n參與人次", 1.9, "{{ y.cedaw_participants|num }}"),
            Col("性別預算\n執行率", 1.9, "{{ y.execution_rate|pct }}"),
            Col("目標\n達成比例", 1.9, "{{ y.targets_rate|pct }}"),
        ],
        loop="y in trend",
        keep=True,
    )
    b.figure("trend", "全市性別意識培力完訓率及目標達成比例歷年比較")
    b.tag("{%p endif %}")


def _sign_off(b: RollupBuilder) -> None:
    """The block the office signs, after a closing sentence that keeps it company."""
    b.p("以上彙整各機關{{ year }}年度性別主流化推動計畫執行成果，敬請鑒核。", "Closing")
    sign_off_grid(b)


def _appendix(b: RollupBuilder) -> None:
    b.tag("{%p if left_out or set_aside %}")
    b.p("附件　未納入彙整之提報資料", "AppendixTitle")
    b.tag("{%p if left_out %}")
    b.p("下列提報資料未納入本次彙整，請相關機關檢視後重新提報：", "BodyText1")
    b.table(
        "未納入彙整之提報資料",
        [
            Col("檔案", 6.0, "{{ f.file }}", left=True),
            Col("原因", 10.0, "{{ f.reason }}", left=True),
        ],
        loop="f in left_out",
    )
    b.tag("{%p endif %}")
    b.tag("{%p if set_aside %}")
    b.p("下列提報資料非{{ year }}年度，未列入本次彙整：", "BodyText1")
    b.table(
        "非本年度之提報資料",
        [
            Col("檔案", 6.0, "{{ f.file }}", left=True),
            Col("原因", 10.0, "{{ f.reason }}", left=True),
        ],
        loop="f in set_aside",
    )
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")


def build_template(out: Path = OUT) -> Path:
    """Write the roll-up template to `out` and return its path."""
    doc = Document()
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    _setup_package(doc)
    doc.core_properties.title = "各機關{{ year }}年度性別主流化推動計畫執行成果彙整報告"
    doc.core_properties.author = CITY
    _setup_styles(doc)
    _setup_numbering(doc)
    _setup_section(doc)
    build_content(RollupBuilder(doc))
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    write_reproducibly(buffer.getvalue(), out)
    return out


def main() -> None:
    """Command-line entry point: build the template (optionally elsewhere, for trying out)."""
    parser = argparse.ArgumentParser(description="產生各機關執行成果彙整報告的 Word 範本")
    parser.add_argument("--out", type=Path, default=OUT, help=f"輸出路徑（預設 {OUT}）")
    args = parser.parse_args()
    print(build_template(args.out))


if __name__ == "__main__":
    main()
