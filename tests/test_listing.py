"""The files of an input folder as units, systems and Windows really leave them (SPEC §2 ◆):
subfolders read, every file read, listed or named with why it was not."""

from __future__ import annotations

import os
import shutil

import pytest

from gmreport.config import Config
from gmreport.pipeline import build, check
from gmreport.read import APPLE_DOUBLE, list_workbooks

from .conftest import SAMPLES_ROOT, WORKBOOK_SUFFIXES, gathered
from .test_read import read_paths

SEP = os.sep


def renamed(rows: dict[str, list[list[object]]], mark: str) -> dict[str, list[list[object]]]:
    """`rows` with each person's 姓名 marked: other people of another unit."""
    return {
        sheet: [[f"{r[0]}{mark}", *r[1:]] for r in sheet_rows] for sheet, sheet_rows in rows.items()
    }


def test_workbooks_in_subfolders_are_read_and_named_by_their_path(
    make_workbook, valid_rows, tmp_path
):
    folder = tmp_path / "in"
    make_workbook(renamed(valid_rows, "甲"), folder=folder, unit="人事室")
    # What Windows' 「解壓縮全部」 makes of two mailed .zip files: a folder per attachment.
    make_workbook(
        renamed(valid_rows, "乙"),
        folder=folder / "民政課回覆" / "附件",
        unit="民政課",
        name="a.xlsx",
    )
    make_workbook(renamed(valid_rows, "丙"), folder=folder / "社會課", unit="社會課", name="a.xlsx")
    workbooks, problems = read_paths([folder])
    assert problems == []
    assert sorted(w.file for w in workbooks) == sorted(
        ["113年度_人事室.xlsx", f"民政課回覆{SEP}附件{SEP}a.xlsx", f"社會課{SEP}a.xlsx"]
    )
    outcome = gathered(folder)
    figures = outcome.figures
    assert figures is not None
    assert sorted(f["unit"] for f in figures["files"]["read"]) == ["人事室", "民政課", "社會課"]
    assert "民政課" not in figures["units"]["missing"]
    # Three units' three people each, all trained (see valid_rows).
    assert figures["training"]["groups"]["all"]["required"]["total"] == 9


def test_two_files_of_one_unit_in_different_subfolders_are_both_named(
    make_workbook, valid_rows, tmp_path
):
    folder = tmp_path / "in"
    make_workbook(valid_rows, folder=folder / "第一次", name="人事室.xlsx")
    make_workbook(valid_rows, folder=folder / "第二次", name="人事室.xlsx")
    duplicates = [p for p in check([folder], Config()).problems if p.code == "duplicate-unit"]
    shown = sorted(p.file for p in duplicates)
    assert shown == [f"第一次{SEP}人事室.xlsx", f"第二次{SEP}人事室.xlsx"]
    assert all(all(s in p.message for s in shown) for p in duplicates)


def test_one_file_given_twice_is_read_once(make_workbook, valid_rows, tmp_path):
    folder = tmp_path / "in"
    path = make_workbook(valid_rows, folder=folder)
    for given in ([folder, path], [path, path], [path, folder / "." / path.name], [folder, folder]):
        problems = check(given, Config()).problems
        assert [p.code for p in problems] == [], given
    files, _ = list_workbooks([folder, path, folder / ".." / folder.name / path.name])
    assert files == [path]


def test_a_dot_named_workbook_is_read(make_workbook, valid_rows, tmp_path):
    folder = tmp_path / "in"
    make_workbook(valid_rows, folder=folder, unit="人事室", name=".人事室.xlsx")
    make_workbook(valid_rows, folder=folder / ".隱藏", unit="民政課", name="民政課.xlsx")
    workbooks, problems = read_paths([folder])
    assert problems == []
    assert sorted(w.file for w in workbooks) == [".人事室.xlsx", f".隱藏{SEP}民政課.xlsx"]


def test_a_dot_named_file_that_is_no_workbook_is_named(make_workbook, valid_rows, tmp_path):
    folder = tmp_path / "in"
    make_workbook(valid_rows, folder=folder)
    (folder / ".筆記").write_text("各單位 12/31 前繳交", encoding="utf-8")
    _, problems = read_paths([folder])
    assert [(p.code, p.file, p.is_error) for p in problems] == [("not-a-workbook", ".筆記", True)]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Thumbs.db", b"\xd0\xcf\x11\xe0"),
        ("desktop.ini", b"[.ShellClassInfo]"),
        (".DS_Store", b"\x00\x00\x00\x01Bud1"),
        ("._人事室.xlsx", APPLE_DOUBLE + b"\x00\x02\x00\x00Mac OS X"),
        ("~$不在資料夾.xlsx", b"\x00lock"),
        (".~lock.不在資料夾.ods#", b",user,host;"),
        (".~gmreport.lock", b""),  # an earlier output folder given as the input
        (".~gmreport-x1y2.xlsx", b"PK\x03\x04 half written"),
    ],
)
def test_files_a_system_adds_are_named_as_not_read(
    make_workbook, valid_rows, tmp_path, name, content
):
    folder = tmp_path / "in"
    path = make_workbook(valid_rows, folder=folder)
    (folder / name).write_bytes(content)
    workbooks, problems = read_paths([folder])
    assert [w.file for w in workbooks] == [path.name]
    assert [(p.code, p.file, p.is_error) for p in problems] == [("skipped-file", name, False)]
    assert name in check([folder], Config()).problems[0].where


def test_a_dot_underscore_file_that_is_a_workbook_is_read(make_workbook, valid_rows, tmp_path):
    folder = tmp_path / "in"
    make_workbook(valid_rows, folder=folder, name="._人事室.xlsx")
    workbooks, problems = read_paths([folder])
    assert (problems, [w.file for w in workbooks]) == ([], ["._人事室.xlsx"])


def test_a_macos_folder_of_a_zip_is_named_not_read(make_workbook, valid_rows, tmp_path):
    folder = tmp_path / "in"
    make_workbook(valid_rows, folder=folder)
    (folder / "__MACOSX").mkdir()
    (folder / "__MACOSX" / "._113年度_人事室.xlsx").write_bytes(APPLE_DOUBLE)
    workbooks, problems = read_paths([folder])
    assert len(workbooks) == 1
    assert [(p.code, p.file) for p in problems] == [("skipped-file", "__MACOSX")]


def test_the_photos_folder_is_not_read_as_workbooks(make_workbook, valid_rows, tmp_path):
    folder = tmp_path / "in"
    make_workbook(valid_rows, folder=folder)
    (folder / "佐證照片").mkdir()
    (folder / "佐證照片" / "一-會議.jpg").write_bytes(b"\xff\xd8\xff\xe0JFIF")
    workbooks, problems = read_paths([folder])
    assert (len(workbooks), problems) == (1, [])


@pytest.mark.skipif(os.name == "nt", reason="links need privileges on Windows")
def test_links_are_named_and_a_loop_of_links_ends(make_workbook, valid_rows, tmp_path):
    folder = tmp_path / "in"
    make_workbook(valid_rows, folder=folder)
    (folder / "迴圈").symlink_to(folder, target_is_directory=True)
    (folder / "失效.xlsx").symlink_to(tmp_path / "不存在.xlsx")
    (folder / "自己").symlink_to(folder / "自己")
    workbooks, problems = read_paths([folder])
    assert len(workbooks) == 1
    assert sorted((p.code, p.file) for p in problems) == [
        ("skipped-file", "失效.xlsx"),
        ("skipped-file", "自己"),
        ("skipped-file", "迴圈"),
    ]


def test_an_output_folder_inside_the_input_folder_is_not_read_back(
    make_workbook, valid_rows, tmp_path
):
    folder = tmp_path / "in"
    make_workbook(valid_rows, folder=folder)
    out = folder / "成果"
    for _ in range(2):  # the second build finds the first one's workbooks under its input
        outcome = build(folder, out, Config())
        assert not outcome.has_errors
        assert [f["file"] for f in outcome.figures["files"]["read"]] == ["113年度_人事室.xlsx"]
        assert outcome.figures["files"]["rejected"] == []


def test_a_folder_of_year_folders_builds_the_latest_year_and_sets_the_others_aside(tmp_path):
    folder = tmp_path / "input_samples"
    shutil.copytree(SAMPLES_ROOT, folder)
    years = sorted(int(p.name) for p in folder.iterdir() if p.is_dir())
    outcome = gathered(folder)
    assert outcome.year == years[-1]
    figures = outcome.figures
    assert figures is not None
    earlier = [
        f"{p.parent.name}{SEP}{p.name}"
        for p in sorted((folder / str(years[0])).iterdir())
        if p.suffix in WORKBOOK_SUFFIXES
    ]
    assert sorted(f["file"] for f in figures["files"]["set_aside"]) == sorted(earlier)
    alone = gathered(folder / str(years[-1])).figures
    assert alone is not None
    for key in ("training", "meetings", "cedaw", "budget", "targets", "units", "rows"):
        assert figures[key] == alone[key], key
