"""The build as a whole: another agency's config, errors, drafts, years, and LibreOffice."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from docx import Document
from pypdf import PdfReader

from gmreport.config import Config, config_from_dict
from gmreport.pipeline import build
from gmreport.problems import UsageError

from . import pdf_cells, pdf_pages
from .conftest import INCIDENTAL, SAMPLES, gathered
from .test_build import _docx_text

REPORT = "113年度性別主流化執行成果報告.docx"
STATISTICS = "113年度性別主流化統計總表.xlsx"
OTHER_AGENCY = {
    "agency": "臺南市東區區公所",
    "units": ["總務科", "人事室", "會計科"],
    "training": {"hours_general": 4, "hours_supervisor": 5, "min_service_days": 180},
    "cedaw": {"min_sessions": 3},
    "meetings": {"members_min": 3, "members_max": 5},
}


def _outputs(folder: Path, year: int = 113) -> dict:
    return json.loads((folder / f"{year}年度統計數據.json").read_text(encoding="utf-8"))


def test_another_agency_works_by_changing_only_the_config(tmp_path, make_workbook):
    config = config_from_dict(OTHER_AGENCY)
    inbox = tmp_path / "in"
    agency = OTHER_AGENCY["agency"]
    make_workbook(
        {
            "人員名冊": [
                ["甲", "男", "公務人員", "否"],
                ["乙", "女", "公務人員", "是"],
                ["丙", "女", "職工"],
                ["丁", "男", "公務人員", "", "", "", "113/9/1"],
            ],
            "培力紀錄": [
                ["甲", "課", "CEDAW", "實體", "113/3/1", 4],
                ["乙", "課", "CEDAW", "實體", "113/3/1", 4],
                ["丙", "課", "CEDAW", "數位", "113/3/1", 2],
                ["丁", "課", "CEDAW", "數位", "113/10/1", 1],
            ],
            "CEDAW宣導": [
                ["座談", "113/5/5", "一般民眾", "實體活動", "綜合", 3, 4, 0],
                ["廣播", "113/6/5", "一般民眾", "廣播", "綜合", 0, 0, 0],
            ],
        },
        unit="總務科",
        agency=agency,
        folder=inbox,
    )
    make_workbook(
        {
            "人員名冊": [["戊", "女", "公務人員", "否", "是"]],
            "培力紀錄": [["戊", "課", "性別主流化進階", "數位", "113/8/8", 6]],
            "性平小組成員": [
                ["戊", "女", "專員", "召集人"],
                ["己", "男", "主任", "人事當然成員"],
                ["庚", "女", "主任", "會計當然成員"],
                ["辛", "男", "秘書", "調解當然成員"],
            ],
        },
        unit="人事室",
        agency=agency,
        folder=inbox,
    )
    out = tmp_path / "out"
    outcome = build(inbox, out, config)
    assert not outcome.has_errors
    figures = _outputs(out)
    assert figures["agency"] == agency
    assert figures["units"] == {
        "expected": ["總務科", "人事室", "會計科"],
        "submitted": ["總務科", "人事室"],
        "missing": ["會計科"],
        "empty": [],
    }
    everyone = figures["training"]["groups"]["all"]
    assert everyone["required"] == {"male": 1, "female": 3, "other": 0, "total": 4}
    assert everyone["completed"] == {"male": 1, "female": 2, "other": 0, "total": 3}
    assert everyone["hours"] == 16.0
    assert figures["training"]["total_hours"] == 17.0
    assert figures["training"]["targets"]["hours_general"] == 4
    targets = {t["id"]: t for t in figures["targets"]}
    assert (targets["cedaw_sessions"]["required"], targets["cedaw_sessions"]["met"]) == (3, False)
    assert targets["members_range"]["required"] == [3, 5]
    assert targets["members_range"]["met"] is True
    assert targets["ex_officio"]["missing"] == ["研考當然成員", "婦女社會參與促進小組連絡人"]
    assert targets["training_completion"]["actual"] == 0.75
    text = _docx_text(out / "113年度性別主流化執行成果報告.docx")
    assert agency in text
    assert "會計科" in text
    assert "旗津" not in text
    shortfalls = openpyxl.load_workbook(out / "113年度填報檢核結果.xlsx")["待補訓名單"]
    names = [row[1] for row in shortfalls.iter_rows(values_only=True)]
    assert "乙" in names
    assert "甲" not in names


def _broken_inbox(tmp_path, make_workbook, valid_rows) -> Path:
    inbox = tmp_path / "in"
    rows = valid_rows | {
        "培力紀錄": [*valid_rows["培力紀錄"], ["王小明", "課", "CEDAW", "實體", "113/13/1", 1]]
    }
    make_workbook(rows, folder=inbox)
    make_workbook(valid_rows, unit="民政課", folder=inbox)
    return inbox


def test_input_errors_stop_the_report_but_not_the_problem_list(tmp_path, make_workbook, valid_rows):
    inbox = _broken_inbox(tmp_path, make_workbook, valid_rows)
    out = tmp_path / "out"
    outcome = build(inbox, out, Config())
    assert outcome.has_errors
    assert sorted(p.name for p in out.iterdir()) == [
        "113年度填報檢核結果.xlsx",
        "113年度統計數據.json",
        "退回修正",  # the units' files marked, to be sent back (SPEC §5 ◆)
    ]
    units = sorted({p.unit for p in outcome.problems if p.file})
    assert sorted(p.name for p in (out / "退回修正").iterdir()) == [
        f"113年度_{unit}_檢核結果.xlsx" for unit in units
    ]
    figures = _outputs(out)
    assert figures["issues"]["errors"] == 1
    sheet = openpyxl.load_workbook(out / "113年度填報檢核結果.xlsx")["檢核結果"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "E6" in cells
    assert "bad-date" in cells


def test_draft_report_is_marked_and_counts_the_excluded_rows(tmp_path, make_workbook, valid_rows):
    inbox = _broken_inbox(tmp_path, make_workbook, valid_rows)
    out = tmp_path / "out"
    outcome = build(inbox, out, Config(), draft=True)
    assert outcome.has_errors
    report = out / "113年度性別主流化執行成果報告.docx"
    figures = _outputs(out)
    assert figures["draft"] is True
    assert figures["rows"]["excluded"] == 1
    assert figures["rows"]["read"] == figures["rows"]["counted"] + 1
    document = docx.Document(report)
    headers = [p.text for s in document.sections for p in s.header.paragraphs]
    assert any("草稿" in h for h in headers)
    text = _docx_text(report)
    assert str(figures["rows"]["read"]) in text


def test_latest_year_is_taken_and_other_years_set_aside(tmp_path, make_workbook, valid_rows):
    inbox = tmp_path / "in"
    make_workbook(valid_rows, year=112, folder=inbox)
    make_workbook(valid_rows, year=113, folder=inbox)
    outcome = gathered(inbox)  # the year is chosen before anything is written
    assert outcome.year == 113
    assert [f["year"] for f in outcome.figures["files"]["set_aside"]] == [112]
    codes = [p.code for p in outcome.problems if p.code not in INCIDENTAL]
    assert codes == ["other-year"]
    older = gathered(inbox, year=112)
    assert older.figures["files"]["set_aside"][0]["year"] == 113


def test_a_year_with_no_workbooks_is_a_clear_error(tmp_path, make_workbook, valid_rows):
    inbox = tmp_path / "in"
    make_workbook(valid_rows, year=112, folder=inbox)
    with pytest.raises(
        UsageError, match=r"沒有 114 年度的填報檔（找到的年度：112），請改以 --year 112"
    ):
        build(inbox, tmp_path / "out", Config(), year=114)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UsageError, match="中沒有任何填報檔"):
        build(empty, tmp_path / "out", Config())


def test_every_row_of_a_messy_folder_is_counted_or_excluded(tmp_path, make_workbook, valid_rows):
    inbox = tmp_path / "in"
    messy = valid_rows | {
        "培力紀錄": [
            *valid_rows["培力紀錄"],
            ["王小明", "課", "CEDAW", "實體", "112/12/1", 1],  # outside the year
            ["張三", "課", "CEDAW", "實體", "113/2/1", 1],  # not on the roster
            ["李美玲", "課", "CEDAW", "實體", "113/2/1", "十二"],
        ],
        "CEDAW宣導": [["座談", "113/5/5", "本所同仁", "實體活動", "綜合", 3, 4, 0]],
    }

    def misspell(wb):
        wb.create_sheet("其他").append(["多出來的資料"])

    make_workbook(messy, folder=inbox, edit=misspell)
    make_workbook(valid_rows, unit="民政課", folder=inbox, name="民政課.xlsx")
    make_workbook(valid_rows, unit="民政課", folder=inbox, name="民政課-新版.xlsx")
    outcome = gathered(inbox, draft=True)
    rows = outcome.figures["rows"]
    read = 3 + 6 + 1 + 1 + (3 + 3) * 2  # 人事室: roster, training, CEDAW, stray; 民政課 twice
    assert rows["read"] == read
    assert rows["excluded"] == 4 + 1 + 12
    assert rows["counted"] == read - rows["excluded"]
    counted_training = outcome.figures["training"]["total_hours"]
    assert counted_training == 3 + 6 + 2


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="需要 LibreOffice（soffice）才能另存活頁簿"
)
def test_workbooks_resaved_by_libreoffice_give_identical_figures(tmp_path, samples_build):
    resaved = tmp_path / "resaved"
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(resaved),
            *map(str, sorted(SAMPLES.glob("*.xlsx"))),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert len(list(resaved.glob("*.xlsx"))) == len(list(SAMPLES.glob("*.xlsx")))
    for sent_as_ods in SAMPLES.glob("*.ods"):
        shutil.copy(sent_as_ods, resaved)
    original = {**samples_build.outcome.figures, "built_at": ""}  # when it was built
    again = {**build(resaved, tmp_path / "b", Config()).figures, "built_at": ""}
    assert again == original


def test_without_a_chinese_font_the_report_has_no_charts_and_says_why(
    tmp_path, monkeypatch, samples_build
):
    from gmreport.render import charts

    if charts.find_cjk_font() is None:
        pytest.skip("此機器沒有中文字型（如 fonts-noto-cjk），無法比較有圖表的報告")
    with_font = samples_build.outcome
    assert not with_font.notes
    assert (
        len(docx.Document(samples_build.out / "113年度性別主流化執行成果報告.docx").inline_shapes)
        >= 3
    )
    monkeypatch.setattr(charts, "find_cjk_font", lambda: None)
    monkeypatch.setattr(charts, "rebuild_font_list", lambda: None)
    outcome = build(SAMPLES, tmp_path, Config())
    assert any("字型" in note for note in outcome.notes)
    assert [p.code for p in outcome.problems].count("chart-missing") >= 3
    document = docx.Document(tmp_path / "113年度性別主流化執行成果報告.docx")
    assert not document.inline_shapes


def test_inputs_are_never_modified(tmp_path):
    inbox = tmp_path / "in"
    shutil.copytree(SAMPLES, inbox)

    def snapshot():
        return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(inbox.iterdir())}

    before = snapshot()
    build(inbox, tmp_path / "out", Config(), draft=True)
    assert snapshot() == before


def test_problems_are_listed_in_reading_order(tmp_path, make_workbook, valid_rows):
    valid_rows["培力紀錄"][2][5] = "十"
    valid_rows["培力紀錄"][0][4] = "113/13/1"
    valid_rows["人員名冊"][1][1] = "F"
    from gmreport.pipeline import check

    problems = check([make_workbook(valid_rows)], Config()).problems
    assert [(p.sheet, p.cell) for p in problems] == [
        ("人員名冊", "B4"),
        ("培力紀錄", "E3"),
        ("培力紀錄", "F5"),
    ]


def test_pdf_without_libreoffice_still_writes_the_report_and_says_so(tmp_path, monkeypatch):
    from gmreport.render import pdf

    monkeypatch.setattr(pdf, "soffice_path", lambda: None)
    outcome = build(SAMPLES, tmp_path, Config(), pdf=True)
    assert (tmp_path / "113年度性別主流化執行成果報告.docx").is_file()
    assert not list(tmp_path.glob("*.pdf"))
    assert any("LibreOffice" in note for note in outcome.notes)


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="需要 LibreOffice（soffice）才能轉出 PDF"
)
def test_pdf_is_written_with_a_kai_font_and_its_contents_name_the_pages(tmp_path):
    outcome = build(SAMPLES, tmp_path, Config(), pdf=True)
    pdf = tmp_path / "113年度性別主流化執行成果報告.pdf"
    assert pdf in outcome.written
    if shutil.which("pdffonts"):
        fonts = subprocess.run(
            ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        assert "Kai" in fonts
    # each entry of the 目錄 names the page its heading is on, in the PDF and the docx
    reader = PdfReader(pdf)
    doc = Document(str(tmp_path / "113年度性別主流化執行成果報告.docx"))
    entries = [p.text.split("\t") for p in doc.paragraphs if p.style.style_id in ("TOC1", "TOC2")]
    headings = [p.text for p in doc.paragraphs if p.style.style_id in ("Heading1", "Heading2")]
    assert [title.split("、", 1)[1] for title, _ in entries] == headings
    for title, page in entries:
        text = reader.pages[int(page) - 1].extract_text()
        assert re.sub(r"\s+", "", title) in [re.sub(r"\s+", "", line) for line in text.splitlines()]
    assert [int(page) for _, page in entries] == sorted(int(page) for _, page in entries)
    assert int(entries[0][1]) > 1  # the body begins after the 目錄
    # no word broken inside a table cell (issue 22): read off the PDF, cell by cell
    assert pdf_cells.broken_words(pdf, tmp_path / "113年度性別主流化執行成果報告.docx") == []
    # no page under half full but the last of a chapter (壹、貳、… starts the next)
    for page, following in itertools.pairwise(pdf_pages.pages(pdf)):
        if page.fill < 0.5:
            assert re.match(r"[壹貳參肆伍陸柒捌玖拾]、", following.first_words), (page, following)


def test_a_workbook_of_an_unknown_unit_is_still_checked_and_its_rows_excluded(
    tmp_path, make_workbook, valid_rows
):
    inbox = tmp_path / "in"
    valid_rows["培力紀錄"][0][5] = "十二"
    make_workbook(valid_rows, unit="總務課", folder=inbox)
    make_workbook({"人員名冊": [["甲", "女", "公務人員"]]}, unit="民政課", folder=inbox)
    outcome = gathered(inbox, draft=True)
    codes = {(p.code, p.cell) for p in outcome.problems}
    assert ("unknown-unit", "B3") in codes
    assert ("chinese-numeral", "F3") in codes
    rows = outcome.figures["rows"]
    assert (rows["read"], rows["counted"], rows["excluded"]) == (7, 1, 6)
    assert [f["file"] for f in outcome.figures["files"]["rejected"]] == ["113年度_總務課.xlsx"]
    assert [f["unit"] for f in outcome.figures["files"]["read"]] == ["民政課"]


def test_a_unit_that_sent_two_files_submitted_but_neither_counts(
    tmp_path, make_workbook, valid_rows
):
    inbox = tmp_path / "in"
    make_workbook(valid_rows, folder=inbox, name="人事室.xlsx")
    make_workbook(valid_rows, folder=inbox, name="人事室-修正.xlsx")
    make_workbook({"人員名冊": [["甲", "女", "公務人員"]]}, unit="民政課", folder=inbox)
    figures = gathered(inbox, draft=True).figures
    assert "人事室" in figures["units"]["submitted"]
    assert "人事室" not in figures["units"]["missing"]
    assert figures["training"]["people"]["roster"] == 1
    assert sorted(f["file"] for f in figures["files"]["rejected"]) == [
        "人事室-修正.xlsx",
        "人事室.xlsx",
    ]


def test_a_failed_build_warns_of_the_stale_report(tmp_path, make_workbook, valid_rows):
    # SPEC §5: with input errors the build writes the 檢核結果 and the JSON, not the report.
    # Last run's report stays (a person may have edited it in Word), but it must not be
    # mistaken for this run's.
    inbox, out = tmp_path / "in", tmp_path / "out"
    make_workbook(valid_rows, folder=inbox)
    assert not build(inbox, out, Config()).has_errors
    assert (out / REPORT).exists()
    broken = valid_rows | {"CEDAW宣導": [["座談", "113/13/1", "村里長"]]}
    make_workbook(broken, folder=inbox)  # same file, now with a bad date
    outcome = build(inbox, out, Config())
    assert outcome.has_errors
    assert (out / REPORT).exists()
    [note] = outcome.notes
    assert REPORT in note and STATISTICS in note and "請勿提報" in note


def test_an_edited_copy_of_the_template_set_in_the_config_renders(
    tmp_path, make_workbook, valid_rows
):
    from gmreport.render.report import shipped_template

    inbox, out, mine = tmp_path / "in", tmp_path / "out", tmp_path / "人事室"
    make_workbook(valid_rows, folder=inbox)
    mine.mkdir()
    with shipped_template() as shipped:
        template = docx.Document(str(shipped))
    basis = next(p for p in template.paragraphs if p.text.startswith("依據"))
    basis.runs[0].text = "奉區長核示，" + basis.runs[0].text
    gia = next(p for p in template.paragraphs if "gia.expert_consulted" in p.text)
    gia._p.getparent().remove(gia._p)
    template.save(str(mine / "本所範本.docx"))
    before = (mine / "本所範本.docx").read_bytes()
    config_file = mine / "gmreport.toml"
    config_file.write_text('report_template = "本所範本.docx"\n', encoding="utf-8")

    from gmreport.config import load_config

    outcome = build(inbox, out, load_config(config_file))
    text = _docx_text(out / "113年度性別主流化執行成果報告.docx")
    assert "奉區長核示，依據" in text
    assert (mine / "本所範本.docx").read_bytes() == before  # never written to
    assert any("gia.expert_consulted、tables.gia.number" in note for note in outcome.notes)


def test_a_template_where_the_report_would_be_written_is_refused(
    tmp_path, make_workbook, valid_rows
):
    from gmreport.problems import UsageError
    from gmreport.render.report import shipped_template

    inbox, out = tmp_path / "in", tmp_path / "out"
    make_workbook(valid_rows, folder=inbox)
    out.mkdir()
    report = out / "113年度性別主流化執行成果報告.docx"
    with shipped_template() as shipped:
        shutil.copy(shipped, report)
    before = report.read_bytes()
    config = config_from_dict({"report_template": str(report)})
    with pytest.raises(UsageError, match="覆寫範本"):
        build(inbox, out, config)
    assert report.read_bytes() == before


def test_a_report_template_that_is_not_there_stops_the_build_naming_the_key(
    tmp_path, make_workbook, valid_rows
):
    from gmreport.config import load_config
    from gmreport.pipeline import check
    from gmreport.problems import UsageError

    inbox = tmp_path / "in"
    workbook = make_workbook(valid_rows, folder=inbox)
    config_file = tmp_path / "gmreport.toml"
    config_file.write_text('report_template = "沒有這個檔案.docx"\n', encoding="utf-8")
    config = load_config(config_file)
    with pytest.raises(UsageError, match=r"report_template.*不存在"):
        build(inbox, tmp_path / "out", config)
    assert not (tmp_path / "out").exists()
    assert not check([workbook], config).has_errors  # a unit's check needs no template


def test_a_write_that_fails_midway_is_a_chinese_message_and_leaves_nothing(tmp_path):
    import errno

    from gmreport.atomic import atomic_path
    from gmreport.problems import OutputError

    target = tmp_path / "報告.docx"
    with pytest.raises(OutputError, match="磁碟空間不足"), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert list(tmp_path.iterdir()) == []


def test_a_unit_with_three_files_is_named_in_the_message(tmp_path, make_workbook, valid_rows):
    from gmreport.pipeline import check

    for name in ("a.xlsx", "b.xlsx", "c.xlsx"):
        make_workbook(valid_rows, unit="民政課", folder=tmp_path / "in", name=name)
    problems = [
        p for p in check([tmp_path / "in"], Config()).problems if p.code == "duplicate-unit"
    ]
    assert len(problems) == 3
    assert problems[0].message.startswith(
        "民政課有兩個以上 113 年度的檔案：「a.xlsx」、「b.xlsx」、「c.xlsx」"
    )


def test_templates_of_an_unknown_format_are_refused_before_writing(tmp_path):
    from gmreport.pipeline import templates

    with pytest.raises(UsageError, match="xlsx 或 ods"):
        templates(Config(), tmp_path / "範本", 114, file_format="odt")
    assert not (tmp_path / "範本").exists()


def test_a_big5_file_name_is_named_in_every_problem_and_output(tmp_path, make_workbook, valid_rows):
    def extra_sheet(wb):
        wb.create_sheet("舊資料")["A1"] = "去年的名冊"

    inbox = tmp_path / "in"
    path = make_workbook(valid_rows, folder=inbox, edit=extra_sheet)
    os.rename(path, os.fsencode(inbox) + b"/" + "測試.xlsx".encode("cp950"))
    (inbox / "~$測試.xlsx").write_bytes(b"lock")  # a lock beside it, named as Windows would
    outcome = build(inbox, tmp_path / "out", Config(), draft=True)
    assert {p.file for p in outcome.problems if p.code not in INCIDENTAL} == {"測試.xlsx"}
    assert {p.code for p in outcome.problems} >= {"unknown-sheet"}
    assert (tmp_path / "out" / "113年度填報檢核結果.xlsx").is_file()
