"""The real entry point, as a person runs it: exit codes, messages, consoles."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SAMPLES


def run(*args: str, cwd: Path, encoding: str = "utf-8") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "GMREPORT_DEBUG"}
    env["PYTHONIOENCODING"] = encoding
    done = subprocess.run(
        [sys.executable, "-m", "gmreport", *args],
        cwd=cwd,
        capture_output=True,
        env=env,
        timeout=300,
    )
    done.stdout = done.stdout.decode(encoding)
    done.stderr = done.stderr.decode(encoding)
    assert "Traceback" not in done.stdout + done.stderr
    return done


@pytest.mark.parametrize("command", ["templates", "check", "build"])
def test_every_command_has_chinese_help_with_an_example(command, tmp_path):
    done = run(command, "--help", cwd=tmp_path)
    assert done.returncode == 0
    assert "用法：" in done.stdout
    assert f"gmreport {command}" in done.stdout.split("範例：")[1]


def test_bare_gmreport_shows_help_and_exit_2(tmp_path):
    done = run(cwd=tmp_path)
    assert done.returncode == 2
    assert "指令" in done.stdout


def test_bad_usage_is_chinese_and_exit_2(tmp_path):
    done = run("build", "--yaer", "113", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("錯誤：")
    assert "--help" in done.stderr


def test_build_with_no_arguments_reads_input_samples(tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "input_samples")
    done = run("build", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in (tmp_path / "output").iterdir())
    assert "113年度性別主流化執行成果報告.docx" in written
    assert "113年度統計數據.json" in written
    assert "未達成：性別意識培力完訓率達 100.0%" in done.stdout
    assert "未繳交：調解委員會" in done.stdout


def test_build_without_samples_says_where_it_looked(tmp_path):
    done = run("build", cwd=tmp_path)
    assert done.returncode == 2
    assert "input_samples" in done.stderr


def test_bad_config_exits_2_naming_the_key(tmp_path):
    (tmp_path / "gmreport.toml").write_text(
        "[meetings]\nmembers_min = 9\nmembers_max = 7\n", encoding="utf-8"
    )
    done = run("build", cwd=tmp_path)
    assert done.returncode == 2
    assert "meetings.members_min" in done.stderr


def test_check_prints_file_sheet_and_cell_then_exits_1(tmp_path, make_workbook, valid_rows):
    valid_rows["人員名冊"][0][1] = "M"
    path = make_workbook(valid_rows)
    done = run("check", str(path), cwd=tmp_path)
    assert done.returncode == 1
    assert f"{path.name} › 人員名冊!B3：「性別」填寫「M」，不在選項內。" in done.stdout
    assert "請由下拉選單選擇：「男」、「女」或「其他」" in done.stdout
    assert "共 1 項錯誤、0 項警告" in done.stdout


def test_check_warnings_alone_exit_0(tmp_path, make_workbook, valid_rows):
    valid_rows["培力紀錄"][0][4] = "112/12/1"
    done = run("check", str(make_workbook(valid_rows)), cwd=tmp_path)
    assert done.returncode == 0
    assert "[警告]" in done.stdout


def test_check_json(tmp_path, make_workbook, valid_rows):
    valid_rows["培力紀錄"][0][5] = "十二"
    done = run("check", "--json", str(make_workbook(valid_rows)), cwd=tmp_path)
    assert done.returncode == 1
    result = json.loads(done.stdout)
    assert result["errors"] == 1
    [p] = result["problems"]
    assert (p["code"], p["sheet"], p["cell"], p["severity"]) == (
        "chinese-numeral",
        "培力紀錄",
        "F3",
        "錯誤",
    )


def test_cp950_console_survives(tmp_path, make_workbook, valid_rows):
    valid_rows["人員名冊"][0][1] = "M"
    done = run("check", str(make_workbook(valid_rows)), cwd=tmp_path, encoding="cp950")
    assert done.returncode == 1
    assert "人員名冊!B3" in done.stdout
    assert "›" not in done.stdout and " > " in done.stdout


def test_templates_writes_one_workbook_per_unit(tmp_path):
    done = run("templates", "--year", "114", "--out", "範本", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    files = sorted(p.name for p in (tmp_path / "範本").iterdir())
    assert len(files) == 9
    assert "114年度_人事室_性別主流化填報.xlsx" in files
    again = run("templates", "--year", "114", "--out", "範本", cwd=tmp_path)
    assert again.returncode == 0
    assert again.stdout.count("未覆寫") == 9


def test_output_into_the_input_folder_is_refused(tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "input_samples")
    done = run("build", "--output", "input_samples", cwd=tmp_path)
    assert done.returncode == 2
    assert "--output" in done.stderr


def test_unwritable_output_is_a_clear_message(tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "input_samples")
    (tmp_path / "output").write_text("not a folder", encoding="utf-8")
    done = run("build", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("錯誤：無法在「output」建立輸出檔")
