"""Privacy of a 性別統計指標 (SPEC §3): a 性別 of 1 or 2 in a row a unit typed is shown as
「*」 with whatever would give it back — the row's 合計 and its 女性比例 — in the report and
the statistics workbook alike; the figures keep the exact counts and list what is hidden."""

from __future__ import annotations

import itertools
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from gmreport.blank_workbook import FIRST_DATA_ROW
from gmreport.config import Config
from gmreport.disclosure import Listed, audit
from gmreport.format import percent
from gmreport.pipeline import build
from gmreport.privacy import SUPPRESSED

from .conftest import SAMPLES, SamplesBuild
from .test_report import captioned_tables

CAPTION = "性別統計指標"
COUNTS = ("男", "女", "其他", "合計")
ONE_OTHER = ["本所員工人數按性別分", "新增", "否", 40, 53, 1, "113年底", "培力規劃之參考"]
LARGE = ["旗津區人口數按性別分", "既有", "否", 13904, 13015, 0, "113年底", "資源配置之參考"]
SMALL_PAIR = ["某里里長及里幹事人數", "既有", "否", 1, 2, 0, "113年底", "參考"]
NO_WOMEN = ["某里新住民人數", "既有", "否", 30, 0, 2, "113年底", "參考"]
ROWS = [ONE_OTHER, LARGE, SMALL_PAIR, NO_WOMEN]
MIN_CELL = 3
SEARCH = 60
"""How far above its shown neighbours a reader's guess of a hidden count is tried."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    from gmreport.blank_workbook import blank_workbook

    from .conftest import ROSTER, TRAINING, fill

    folder = tmp_path_factory.mktemp("in")
    wb = blank_workbook(agency="高雄市旗津區公所", unit="人事室", year=113, data_rows=50)
    fill(wb["人員名冊"], [list(r) for r in ROSTER])
    fill(wb["培力紀錄"], [list(r) for r in TRAINING])
    fill(wb["性別統計"], ROWS)
    wb.save(folder / "113年度_人事室.xlsx")
    out = tmp_path_factory.mktemp("out")
    return build(folder, out, Config(), draft=True), out


def _report_rows(out: Path) -> dict[str, list[str]]:
    """The indicators table's rows in the report by indicator name, 男 … 女性比例."""
    table = captioned_tables(Document(str(out / "113年度性別主流化執行成果報告.docx")))[CAPTION]
    header = table[1]
    at = [header.index(h) for h in (*COUNTS, "女性比例")]
    return {r[1].split("（")[0]: [r[i] for i in at] for r in table[2:]}


def _workbook_rows(out: Path) -> dict[str, list[object]]:
    wb = openpyxl.load_workbook(out / "113年度性別主流化統計總表.xlsx")
    ws = next(ws for ws in wb if ws.title.endswith(CAPTION))
    header = [c.value for c in ws[2]]
    at = [header.index(f"統計值({h})") for h in COUNTS] + [header.index("女性比例")]
    rows = ws.iter_rows(min_row=3, values_only=True)
    return {str(r[1]): [r[i] for i in at] for r in rows if r[1]}


def _workbook_text(value: object, ratio: bool) -> str:
    """A workbook cell as a reader takes it: a rate cell's number formatted 0.0%."""
    if isinstance(value, int | float):
        return percent(value) if ratio else str(value)
    return str(value)


def _possible(shown: list[str], hidden_at: int) -> set[int]:
    """Every value of the count at `hidden_at` (男 0, 女 1, 其他 2) that a reader cannot
    rule out from the row as shown: 男 + 女 + 其他 = 合計, 女 / 合計 reads as shown."""
    known = [None if s == SUPPRESSED else int(s.replace(",", "")) for s in shown[:4]]
    ratio = shown[4]
    gone = [i for i in range(3) if known[i] is None]
    top = SEARCH + sum(k for k in known[:3] if k is not None)
    found = set()
    for guess in itertools.product(range(top), repeat=len(gone)):
        counts = list(known[:3])
        for i, value in zip(gone, guess, strict=True):
            counts[i] = value
        total = sum(c for c in counts if c is not None)
        if known[3] is not None and total != known[3]:
            continue
        if ratio != SUPPRESSED and ratio != percent(counts[1] / total if total else None):
            continue
        found.add(counts[hidden_at] or 0)
    return found


def _exact(row: list) -> list[int]:
    return [*row[3:6], sum(row[3:6])]


@pytest.mark.parametrize("where", ["report", "workbook"])
def test_one_of_a_gender_is_hidden_with_its_total_and_ratio(built, where: str) -> None:
    rows = (
        _report_rows(built[1])
        if where == "report"
        else {
            k: [_workbook_text(v, i == 4) for i, v in enumerate(r)]
            for k, r in _workbook_rows(built[1]).items()
        }
    )
    for row in (ONE_OTHER, SMALL_PAIR, NO_WOMEN):
        shown = rows[row[0]]
        exact = _exact(row)
        small = [i for i, n in enumerate(exact[:3]) if 0 < n < MIN_CELL]
        assert small, row
        for i in range(3):
            # a small count reads 「*」; the others, 0 too, as typed
            assert shown[i] == (SUPPRESSED if i in small else f"{exact[i]:,}"), (row, i)
        assert shown[3] == SUPPRESSED
        # the 女性比例 goes wherever it depends on the 合計; a 女 of 0 reads 0.0% anyway
        ratio = percent(exact[1] / exact[3])
        assert shown[4] == (SUPPRESSED if exact[1] else ratio), row
        for i in small:  # nothing left in the row pins it, nor keeps it to 1 … 2
            possible = _possible(shown, i)
            assert exact[i] in possible
            assert possible - set(range(1, MIN_CELL)), (row, i, possible)


def test_an_indicator_without_a_small_count_is_shown_whole(built) -> None:
    exact = _exact(LARGE)
    report = _report_rows(built[1])[LARGE[0]]
    assert report == [*(f"{n:,}" for n in exact), percent(exact[1] / exact[3])]
    workbook = _workbook_rows(built[1])[LARGE[0]]
    assert workbook[:4] == exact
    assert workbook[4] == pytest.approx(exact[1] / exact[3])


def test_the_figures_keep_the_exact_counts_and_list_the_hidden_cells(built) -> None:
    figures = built[0].figures
    listed = figures["indicators"]["list"]
    suppressed = [p for p in figures["suppressed"] if p.startswith("indicators.")]
    expected = []
    for row in ROWS:
        n = next(i for i, r in enumerate(listed) if r["name"] == row[0])
        exact = _exact(row)
        assert [listed[n][k] for k in ("male", "female", "other", "total")] == exact
        assert listed[n]["female_ratio"] == pytest.approx(exact[1] / exact[3])
        small = [k for k, v in zip(("male", "female", "other"), exact, strict=False) if 0 < v < 3]
        if small:
            expected += [f"indicators.list.{n}.{k}" for k in (*small, "total")]
            expected += [f"indicators.list.{n}.female_ratio"] if exact[1] else []
    assert sorted(suppressed) == sorted(expected)


def test_the_note_under_the_table_says_why(built) -> None:
    doc = Document(str(built[1] / "113年度性別主流化執行成果報告.docx"))
    texts = [p.text for p in doc.paragraphs]
    caption = next(i for i, t in enumerate(texts) if t.endswith(f"　{CAPTION}"))
    note = next(t for t in texts[caption:] if t.startswith("註："))
    assert f"人數未達 {MIN_CELL} 人之性別不予分列" in note
    assert SUPPRESSED in note


def test_the_audit_finds_a_count_given_back_by_the_total(built) -> None:
    figures = built[0].figures
    n = next(i for i, r in enumerate(figures["indicators"]["list"]) if r["name"] == ONE_OTHER[0])
    assert audit(figures).disclosures == ()
    # 其他 hidden alone: 合計 − 男 − 女 gives it back; with the 合計, the 女性比例 does
    for leave in (["total", "female_ratio"], ["female_ratio"]):
        shown = [
            p for p in figures["suppressed"] if p not in {f"indicators.list.{n}.{k}" for k in leave}
        ]
        found = audit({**figures, "suppressed": shown}).disclosures
        assert [d.group for d in found] == [Listed(f"indicators.list.{n}", "other", ONE_OTHER[5])]


def test_the_samples_staff_indicator_is_hidden(samples_build: SamplesBuild) -> None:
    ws = openpyxl.load_workbook(SAMPLES / "113年度_會計室_性別主流化填報.xlsx")["性別統計"]
    typed = [
        r for r in ws.iter_rows(min_row=FIRST_DATA_ROW, values_only=True) if r[0] and "員工" in r[0]
    ]
    assert typed
    name, *_, male, female, other = typed[0][:6]
    assert 0 < other < MIN_CELL  # the sample's one colleague of 其他
    figures = samples_build.outcome.figures
    n = next(i for i, r in enumerate(figures["indicators"]["list"]) if r["name"] == name)
    assert figures["indicators"]["list"][n]["other"] == other  # exact in the JSON
    for key in ("other", "total", "female_ratio"):
        assert f"indicators.list.{n}.{key}" in figures["suppressed"]
    shown = _report_rows(samples_build.out)[name]
    assert shown == [str(male), str(female), SUPPRESSED, SUPPRESSED, SUPPRESSED]
    book = _workbook_rows(samples_build.out)[name]
    assert book == [male, female, SUPPRESSED, SUPPRESSED, SUPPRESSED]


def test_the_running_text_never_states_a_hidden_count(samples_build: SamplesBuild) -> None:
    from .test_report import body_text

    figures = samples_build.outcome.figures
    text = body_text(Document(str(samples_build.out / "113年度性別主流化執行成果報告.docx")))
    said = [s for s in text.split("。") if "指標" in s]
    assert said
    hidden = [p.rsplit(".", 1) for p in figures["suppressed"] if p.startswith("indicators.")]
    assert hidden
    for row_path, key in hidden:
        value = figures["indicators"]["list"][int(row_path.rsplit(".", 1)[1])][key]
        stated = percent(value) if key == "female_ratio" else f"{value:,} 人"
        assert not [s for s in said if stated in s], (row_path, key)
