"""How the report sets a table's columns (render/docx_tables.layout) and how the PDF tests
tell a broken word (tests/pdf_cells.breaks)."""

from __future__ import annotations

import pytest

from gmreport.render.docx_tables import PAD_PT, TABLE_PT, _ems, layout, lines
from gmreport.tables import Col, ValueKind

from .pdf_cells import Cell, breaks

C = ValueKind.COUNT


def _columns(n_counts: int) -> list[Col]:
    return [
        Col("類別"),
        *(Col(f"數{i}", C, group="人數") for i in range(n_counts)),
        Col("說明", left=True),
    ]


def test_every_column_holds_its_longest_term_and_the_long_text_takes_the_rest() -> None:
    label = "職工及自僱非公務人員"  # a term: never wrapped
    prose = "本年度辦理宣導三場次，參與人數較上年度增加，並以社群媒體擴大觸及民眾。" * 2
    cols = _columns(3)
    texts = [[label, "主管人員"], ["12", "3"], ["1,234", "5"], ["7", "8"], [prose, "無。"]]
    set_as = layout(cols, texts)
    twips_per_char = TABLE_PT * 20
    label_room = set_as.widths[0] / twips_per_char - PAD_PT / TABLE_PT
    assert label_room >= _ems(label)
    assert set_as.widths[-1] == max(set_as.widths)  # the sentences take what is left
    assert sum(set_as.widths) == pytest.approx(16 / 2.54 * 1440, abs=len(cols))
    assert set_as.size is None  # fits in 五號字


def test_a_table_too_wide_for_its_terms_is_set_smaller_and_halves_its_headers() -> None:
    cols = [Col(f"宣導對象{i}") for i in range(9)]
    texts = [["一般民眾"] * 2 for _ in cols]
    set_as = layout(cols, texts)
    assert set_as.size == 9.0  # 9 × 「宣導對象0」 does not fit 43 characters of 10.5 pt
    cols = [Col("觸及人次", C) for _ in range(12)]
    set_as = layout(cols, [["3,480"]] * 12)
    assert set_as.headers == ["觸及\n人次"] * 12


@pytest.mark.parametrize(
    ("text", "room", "expected"),
    [
        ("男 5 人、女 6 人", 5.0, "男 5 人、\n女 6 人"),
        ("男 5 人、女 6 人", 20.0, "男 5 人、女 6 人"),  # fits
        (
            "公務人員 —（個資保護）、主管人員 87.5%",
            9.0,
            "公務人員 \n—（個資保護）、\n主管人員 87.5%",
        ),
        ("旗津區人口數按性別分（113年底）", 9.0, "旗津區人口數按性別分\n（113年底）"),
        (
            "已個別通知補訓，114年將增開1場次。",
            5.0,
            "已個別通知補訓，114年將增開1場次。",
        ),  # a sentence
    ],
)
def test_a_list_of_terms_too_wide_breaks_between_its_terms(
    text: str, room: float, expected: str
) -> None:
    assert lines(text, room) == expected
    assert all(_ems(line) <= max(room, _ems(line)) for line in expected.split("\n"))


@pytest.mark.parametrize(
    ("cell", "written", "found"),
    [
        (Cell(1, ("宣導對", "象"), False), frozenset(), "拆開詞語"),
        (Cell(1, ("宣導", "對象"), False), frozenset({2}), None),  # the report broke it
        (Cell(1, ("男5人、女6", "人"), False), frozenset(), "拆開詞語"),
        (Cell(1, ("男5人、", "女6人"), False), frozenset(), None),
        (Cell(1, ("CEDA", "W宣導"), False), frozenset(), "拆開英文字或數字"),
        (Cell(1, ("旗津好厝邊", "」Podcast"), True), frozenset(), "標點在行首或行尾"),
        (Cell(1, ("已個別通知補訓，114年將增", "開1場次。"), True), frozenset(), None),
        (Cell(1, ("旗津區公所辦公廳", "舍性別友善設施改善計畫"), True), frozenset(), None),
        (Cell(1, ("實體", "課程"), True), frozenset(), "拆開詞語"),  # a name up to NAME
    ],
)
def test_the_pdf_reader_tells_a_broken_word(
    cell: Cell, written: frozenset[int], found: str | None
) -> None:
    said = breaks(cell, written)
    assert (said[0].split("：")[-1] if said else None) == found, said


def test_what_keeps_with_the_next_row_in_a_table() -> None:
    """Issue 22: the header always keeps with the first row. In a table with a note, the
    first row keeps with the second (never one row alone at a page foot), the last item with
    the total and the last row with the note (never a note heading a page). A table without
    a note keeps no row: LibreOffice then keeps the whole table's end with what follows,
    and a chart after 114's 表22 left its page 40% empty."""
    from docx.oxml import parse_xml

    from gmreport.render.docx_tables import W, table_xml
    from gmreport.tables import Table

    ns = {"w": W.split('"')[1]}

    def keeps(note: str) -> list[bool]:
        rows = [(f"第{i}課", i) for i in range(4)] + [("合計", 6)]
        table = Table(
            "表", "測試", ("單位", "人數"), (ValueKind.TEXT, C), rows, note=note, totals=1
        )
        body = parse_xml(f"<w:body {W}>{table_xml(table)}</w:body>")
        return [
            all(p.find("w:pPr/w:keepNext", ns) is not None for p in row.findall(".//w:p", ns))
            for row in body.findall(".//w:tr", ns)
        ]

    # header, 4 items, total
    assert keeps("註：測試。") == [True, True, False, False, True, True]
    assert keeps("") == [True, False, False, False, False, False]
