"""The real entry point, as a person runs it: exit codes, messages, consoles."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import SAMPLES, SAMPLES_ROOT


def run(
    *args: str, cwd: Path, encoding: str = "utf-8", lang: str | None = None
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "GMREPORT_DEBUG"}
    env["PYTHONIOENCODING"] = encoding
    if lang is not None:
        env["LANG"] = env["LC_ALL"] = lang
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
    assert "未達成：全機關性別意識培力完訓率達 100%" in done.stdout
    assert "未繳交：調解委員會" in done.stdout


@pytest.mark.slow
def test_the_two_year_samples_build_114_and_compare_once_113_is_built(tmp_path):
    shutil.copytree(SAMPLES_ROOT, tmp_path / "input_samples")
    alone = run("build", cwd=tmp_path)
    assert alone.returncode == 0, alone.stderr
    assert "input_samples/114" in alone.stdout.replace("\\", "/")
    assert "請先執行「gmreport build --year 113」，再執行「gmreport build」" in alone.stdout
    assert run("build", "--year", "113", cwd=tmp_path).returncode == 0
    compared = run("build", cwd=tmp_path)
    assert compared.returncode == 0, compared.stderr
    assert "請先執行" not in compared.stdout
    figures = json.loads((tmp_path / "output" / "114年度統計數據.json").read_text("utf-8"))
    assert list(figures["history"]) == ["113"]


def test_a_history_folder_that_does_not_exist_exits_2(tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "in")
    done = run("build", "--input", "in", "--history", "去年成果", cwd=tmp_path)
    assert done.returncode == 2
    assert "--history" in done.stderr and "去年成果" in done.stderr


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


def test_templates_takes_output_as_the_other_commands_do(tmp_path):
    done = run("templates", "--year", "114", "--output", "範本", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "範本").iterdir())) == 9


@pytest.mark.parametrize("unit", ["行政/人事", "會計:出納", "里民?", "秘書\\室", '研考"室', "a|b"])
def test_a_unit_name_that_cannot_be_in_a_file_name_is_named_before_writing(tmp_path, unit):
    config = tmp_path / "gmreport.toml"
    config.write_text(
        f'units = ["人事室", {json.dumps(unit, ensure_ascii=False)}]\n', encoding="utf-8"
    )
    done = run("templates", "--year", "114", "--output", "範本", cwd=tmp_path)
    assert done.returncode == 2
    assert f"單位名稱「{unit}」含有檔名不能使用的字元" in done.stderr
    assert not (tmp_path / "範本").exists()


@pytest.mark.skipif(os.name == "nt", reason="links need privileges on Windows")
@pytest.mark.parametrize(
    "command",
    [
        ("build", "--input", "填報", "--output"),
        ("templates", "--output"),
        ("rollup", "填報", "--output"),
    ],
)
def test_an_output_that_is_a_loop_of_links_is_a_usage_error(tmp_path, command):
    (tmp_path / "填報").mkdir()
    (tmp_path / "迴圈").symlink_to(tmp_path / "迴圈")
    (tmp_path / "失效").symlink_to(tmp_path / "不存在" / "成果")
    for out, said in (
        ("迴圈", "指向自己的捷徑"),
        ("迴圈/成果", "指向自己的捷徑"),
        ("失效", "失效的捷徑"),
    ):
        done = run(*command, out, cwd=tmp_path)
        assert done.returncode == 2, (command, out, done.stderr)
        assert said in done.stderr


def test_templates_as_ods_writes_one_opendocument_per_unit(tmp_path):
    from gmreport.config import Config

    done = run("templates", "--year", "114", "--out", "範本", "--format", "ods", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = sorted((tmp_path / "範本").iterdir())
    assert [p.name for p in written] == sorted(
        f"114年度_{unit}_性別主流化填報.ods" for unit in Config().units
    )
    for path in written:
        with zipfile.ZipFile(path) as z:
            assert z.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
            assert path.name.split("_")[1].encode() in z.read("content.xml")  # its own unit
    assert done.stdout.count(".ods") == len(written)


def test_output_into_the_input_folder_is_refused(tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "input_samples")
    done = run("build", "--output", "input_samples", cwd=tmp_path)
    assert done.returncode == 2
    assert "--output" in done.stderr


def test_an_output_that_is_a_file_is_a_usage_error(tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "input_samples")
    (tmp_path / "output").write_text("not a folder", encoding="utf-8")
    done = run("build", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("錯誤：沒有指定 --output，預設輸出到「output」，但目前的資料夾中")


# Every message in the officer's language (SPEC §5, issue 10)

# ASCII words a message may hold: commands, options, file types, product and tool names.
ALLOWED_WORDS = {
    *("gmreport", "templates", "check", "build", "rollup", "help", "version", "year", "input"),
    *("output", "out", "draft", "pdf", "config", "json", "input_samples", "toml", "format"),
    "history",
    *("xlsx", "xlsm", "xls", "ods", "docx", "CEDAW", "JSON", "PDF", "Word", "Excel"),
    *("LibreOffice", "UTF", "Schema", "agencies", "txt"),
    *("Big5", "BOM", "Unicode", "h", "agency", "units", "training", "report_template"),
    *("biuld", "ouput", "yaer", "abc", "x"),  # what the tests type, quoted back
}


def _english(text: str) -> list[str]:
    """ASCII words of `text` that are not names a person types or knows."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9_]*", text)
    allowed = {w.lower() for w in ALLOWED_WORDS}
    return [w for w in words if w.lower() not in allowed]


HELP_AND_ERRORS = [
    (),
    ("--help",),
    ("templates", "--help"),
    ("check", "--help"),
    ("build", "--help"),
    ("rollup", "--help"),
    ("rollup",),
    ("rollup", "x", "--year", "2025"),
    ("biuld",),
    ("build", "--ouput", "x"),
    ("build", "--yaer", "113"),
    ("build", "--year", "abc"),
    ("build", "--year"),
    ("build", "--year", "2025"),
    ("templates", "--year", "0"),
    ("templates", "--format", "xls"),
    ("check",),
    ("check", "--json"),
]


@pytest.mark.parametrize("args", HELP_AND_ERRORS, ids=" ".join)
def test_help_and_usage_errors_speak_chinese_only(args, tmp_path):
    done = run(*args, cwd=tmp_path, lang="C")
    text = done.stdout + done.stderr
    assert _english(text) == []
    assert "用法：用法：" not in text and "choose from" not in text
    assert not re.findall(r"^.*:$", text, flags=re.M)  # headings end in 「：」, not ASCII
    assert done.returncode == (0 if "--help" in args else 2)
    if done.returncode == 2 and args:
        command = args[0] if args[0] in ("templates", "check", "build", "rollup") else ""
        assert f"請執行「gmreport {command} --help".replace("  ", " ") in done.stderr


@pytest.mark.parametrize("command", ["templates", "check", "build", "rollup"])
def test_help_placeholders_are_chinese(command, tmp_path):
    usage = run(command, "--help", cwd=tmp_path).stdout.split("\n\n")[0]
    assert not re.search(r"\b[A-Z]{3,}\b", usage), usage


def test_a_command_typo_names_the_commands(tmp_path):
    done = run("biuld", cwd=tmp_path)
    assert "沒有「biuld」這個指令，可用的指令有：templates、check、build" in done.stderr


def test_a_western_year_is_a_usage_error_naming_the_roc_year(tmp_path):
    done = run("build", "--year", "2025", cwd=tmp_path)
    assert done.returncode == 2
    assert "民國年度 114" in done.stderr


def test_templates_year_0_is_refused_not_taken_for_this_year(tmp_path):
    done = run("templates", "--year", "0", "--out", "範本", cwd=tmp_path)
    assert done.returncode == 2
    assert not (tmp_path / "範本").exists()


@pytest.mark.parametrize("encoding", ["utf-8", "cp950"])
def test_paths_of_the_wrong_kind_are_usage_errors(tmp_path, encoding):
    (tmp_path / "空的").mkdir()
    (tmp_path / "檔案.txt").write_text("x", encoding="utf-8")
    cases = [
        (("build", "--input", "空的"), "資料夾「空的」中沒有任何填報檔"),
        (("build", "--input", "檔案.txt"), "「檔案.txt」是檔案，不是資料夾；--input"),
        (("build", "--input", "不存在"), "找不到資料夾「不存在」"),
        (("build", "--input", "空的", "--output", "檔案.txt"), "--output 請指定一個資料夾"),
        (("templates", "--out", "檔案.txt"), "--output 請指定一個資料夾"),
        (("templates", "--output", "檔案.txt"), "--output 請指定一個資料夾"),
    ]
    for args, message in cases:
        done = run(*args, cwd=tmp_path, encoding=encoding)
        assert done.returncode == 2, args
        assert message in done.stderr, (args, done.stderr)


def test_no_input_outside_the_repository_says_what_the_default_is(tmp_path):
    done = run("build", cwd=tmp_path)
    assert done.returncode == 2
    assert "沒有指定 --input，預設讀取範例資料夾「input_samples」" in done.stderr
    assert "gmreport build --input" in done.stderr


def _without_year(wb) -> None:
    wb["基本資料"]["B4"].value = None


@pytest.mark.parametrize("year", [None, "114"])
def test_build_says_why_no_workbook_could_be_placed(tmp_path, make_workbook, valid_rows, year):
    inbox = tmp_path / "填報"
    path = make_workbook(valid_rows, folder=inbox, edit=_without_year)
    done = run("build", "--input", "填報", *(["--year", year] if year else []), cwd=tmp_path)
    assert done.returncode == 1
    assert f"{path.name} › 基本資料!B4：基本資料「年度」未填寫" in done.stderr


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        ('\ufeffagency = "臺南市東區區公所"\n'.encode(), 0, ""),
        ('agency = "臺南市"\n'.encode("big5"), 2, "不是 UTF-8 編碼"),
        (b"agency = x\n", 2, "第 1 行第 10 字格式錯誤"),
    ],
    ids=["notepad-bom", "big5", "syntax"],
)
def test_configs_as_windows_saves_them(tmp_path, make_workbook, valid_rows, content, code, message):
    (tmp_path / "gmreport.toml").write_bytes(content)
    workbook = make_workbook(valid_rows, agency="臺南市東區區公所")
    done = run("check", str(workbook), cwd=tmp_path, encoding="cp950")
    assert done.returncode == code, done.stderr
    assert message in done.stderr
    assert _english(done.stderr) == []


def test_json_is_utf8_whatever_the_console(tmp_path, make_workbook, valid_rows):
    valid_rows["人員名冊"][0][1] = "M"
    path = make_workbook(valid_rows, name="𠮷野_人事室.xlsx")
    env = {**os.environ, "PYTHONIOENCODING": "cp950"}
    done = subprocess.run(
        [sys.executable, "-m", "gmreport", "check", "--json", str(path)],
        cwd=tmp_path,
        capture_output=True,
        env=env,
    )
    assert done.returncode == 1
    result = json.loads(done.stdout.decode("utf-8"))
    assert [p["file"] for p in result["problems"]] == ["𠮷野_人事室.xlsx"]


def test_an_internal_fault_exits_3_with_a_log_and_no_traceback(tmp_path):
    script = (
        "import sys, gmreport.pipeline as p\n"
        "def broken(*a, **k): raise ZeroDivisionError('bug')\n"
        "p.check = broken\n"
        "from gmreport.cli import main\n"
        "sys.exit(main(['check', 'x.xlsx']))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "GMREPORT_DEBUG"}
    env["TMPDIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert done.returncode == 3
    assert "Traceback" not in done.stdout + done.stderr
    assert "gmreport-error.log" in done.stderr
    assert "ZeroDivisionError" in (tmp_path / "gmreport-error.log").read_text(encoding="utf-8")


def test_outputs_get_the_users_normal_permissions(tmp_path, samples_build):
    umask = os.umask(0o022)
    os.umask(umask)
    for path in samples_build.out.rglob("*"):  # the marked copies' folder too
        made = 0o777 if path.is_dir() else 0o666
        assert path.stat().st_mode & 0o777 == made & ~umask, path.name
    done = run("templates", "--year", "114", "--out", "範本", cwd=tmp_path)
    assert done.returncode == 0
    for path in (tmp_path / "範本").iterdir():
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path.name


HELP_SECTIONS = ("選項：", "必填參數：", "指令：")


@pytest.mark.parametrize("command", ["", "templates", "check", "build", "rollup"])
def test_help_fits_80_columns_with_each_help_on_its_own_line(command, tmp_path):
    """argparse lines up help by characters, and 年度 is two characters but four columns:
    each option's help on the line below it, at one indent, lines up whatever the widths."""
    from gmreport.format import display_width

    text = run(*[command][: bool(command)], "--help", cwd=tmp_path).stdout
    assert max(display_width(line) for line in text.splitlines()) <= 80, text
    entries = 0
    for section in text.split("\n\n"):
        heading, *lines = section.splitlines()
        if heading not in HELP_SECTIONS:
            continue
        for line, below in zip(lines, [*lines[1:], ""], strict=True):
            indent = len(line) - len(line.lstrip(" "))
            assert indent in (2, 4, 6), line
            if indent < 6 and line.strip() != "指令":  # an option, argument or command
                entries += 1
                assert "  " not in line.strip(), line  # its help is not on its line
                assert re.match(r" {6}\S", below), (line, below)
    expected = {"": 6, "templates": 5, "check": 5, "build": 8, "rollup": 6}[command]
    assert entries == expected, text
    if command == "build":
        assert "\n  --history 資料夾\n      以前年度統計數據（○○○年度統計數據.json）" in text


def test_year_messages_survive_a_cp950_console(tmp_path):
    for args, expected in (
        (("build", "--year", "2025"), "民國年 = 西元年減 1911"),
        (("build", "--year", "1" * 5000), "須為民國年度的數字"),
    ):
        done = run(*args, cwd=tmp_path, encoding="cp950")
        assert done.returncode == 2
        assert expected in done.stderr and "?" not in done.stderr
        assert _english(done.stderr) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[training]\nhours_general = 2\nhours_general = 3\n", "與前面重複"),
        (b"[cedaw]\nmin_sessions = 2\n[cedaw]\nmin_sessions = 3\n", "與前面重複"),
        ('agency = "臺南市"\n'.encode("utf-16"), "UTF-16"),
    ],
    ids=["key-twice", "section-twice", "notepad-unicode"],
)
def test_config_mistakes_are_named_in_chinese(tmp_path, content, message):
    (tmp_path / "gmreport.toml").write_bytes(content)
    done = run("templates", "--out", "範本", cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr
    assert _english(done.stderr) == []


def test_a_report_template_that_is_no_docx_is_a_config_error(tmp_path, make_workbook, valid_rows):
    make_workbook(valid_rows, folder=tmp_path / "input_samples")  # one unit: a report is due
    (tmp_path / "範本.docx").write_text("not a Word file", encoding="utf-8")
    (tmp_path / "gmreport.toml").write_text('report_template = "範本.docx"\n', encoding="utf-8")
    done = run("build", cwd=tmp_path)
    assert done.returncode == 2
    assert "檔案不是 Word 文件（.docx）或已損毀" in done.stderr
    assert _english(done.stderr) == []


def test_a_file_name_the_system_cannot_decode_does_not_break_json(
    tmp_path, make_workbook, valid_rows
):
    inbox = tmp_path / "in"
    path = make_workbook(valid_rows, folder=inbox)
    os.rename(path, os.fsencode(inbox) + b"/\xb4\xfa\xb8\xd5.xlsx")  # a Big5 name
    env = {**os.environ, "PYTHONIOENCODING": "cp950"}
    done = subprocess.run(
        [sys.executable, "-m", "gmreport", "check", "--json", "in"],
        cwd=tmp_path,
        capture_output=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    json.loads(done.stdout.decode("utf-8"))
    built = run("build", "--input", "in", "--output", "out", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    figures = json.loads((tmp_path / "out" / "113年度統計數據.json").read_text(encoding="utf-8"))
    assert figures["files"]["read"][0]["file"] == "測試.xlsx"  # the Big5 name, read as such


def test_an_output_file_that_cannot_be_written_exits_2(tmp_path, make_workbook, valid_rows):
    make_workbook(valid_rows, folder=tmp_path / "in")
    (tmp_path / "out" / "113年度統計數據.json").mkdir(parents=True)  # a folder in its place
    done = run("build", "--input", "in", "--output", "out", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(
        "錯誤：無法寫入「out/113年度統計數據.json」（這是資料夾，不是檔案）"
    )


@pytest.mark.parametrize("lang", ["C", "en_US.UTF-8", "zh_CN.UTF-8", "de_DE.UTF-8"])
def test_help_is_chinese_whatever_the_systems_language(tmp_path, lang):
    env = {**os.environ, "LANG": lang, "LC_ALL": lang, "LANGUAGE": lang.split(".")[0]}
    done = subprocess.run(
        [sys.executable, "-m", "gmreport", "build", "--help"],
        cwd=tmp_path,
        capture_output=True,
        env=env,
    )
    text = done.stdout.decode("utf-8")
    assert text.startswith("用法：gmreport build [-h]")
    assert "\n選項：\n  -h, --help" in text and "顯示本說明後結束" in text


def test_the_command_line_leaves_the_language_and_text_domain_as_it_found_them(monkeypatch, capsys):
    import gettext

    from gmreport.cli import main

    monkeypatch.setenv("LANGUAGE", "fr")
    domain = gettext.textdomain()
    with pytest.raises(SystemExit) as e:
        main(["check", "--help"])
    assert e.value.code == 0
    assert "用法：" in capsys.readouterr().out
    assert os.environ["LANGUAGE"] == "fr" and gettext.textdomain() == domain
    monkeypatch.delenv("LANGUAGE")
    assert main(["biuld"]) == 2
    assert "沒有「biuld」這個指令" in capsys.readouterr().err
    assert "LANGUAGE" not in os.environ


def _po(path: Path) -> dict[str, tuple[str, str | None]]:
    """msgid → (msgstr, msgid_plural) of a .po file; a plural entry's msgstr is its first form."""
    entries: dict[str, tuple[str, str | None]] = {}
    key, plural = None, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if found := re.match(r'(msgid|msgid_plural|msgstr(?:\[0\])?) "(.*)"$', line):
            text = found[2].encode("latin-1", "backslashreplace").decode("unicode_escape")
            if found[1] == "msgid":
                key, plural = text, None
            elif found[1] == "msgid_plural":
                plural = text
            elif key is not None:
                entries[key] = (text, plural)
    return entries


def test_the_shipped_catalogue_is_the_po_file_compiled():
    import gettext

    from gmreport import cli

    folder = Path(cli.__file__).parent / Path(cli.CATALOGUE).parent
    with (folder / "gmreport.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    source = _po(folder / "gmreport.po")
    source.pop("")
    assert len(source) > 20
    assert any(plural for _, plural in source.values())
    # A plural entry is read with ngettext, as argparse reads it (on Python 3.11.2, gettext
    # of a plural msgid gives the msgid back).
    for msgid, (msgstr, plural) in source.items():
        shown = compiled.ngettext(msgid, plural, 1) if plural else compiled.gettext(msgid)
        assert shown == msgstr, msgid
