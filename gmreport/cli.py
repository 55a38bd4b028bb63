"""The command line: `gmreport templates | check | build | rollup`. The only module that prints or exits."""

from __future__ import annotations

import argparse
import contextlib
import functools
import gettext
import json
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn, TextIO

from . import __version__
from .config import MAX_ROC_YEAR, Config, load_config
from .format import ROC_OFFSET
from .problems import GmreportError, Problem, UsageError, count_by_severity
from .schema import TEMPLATE_FORMATS

DEFAULT_CONFIG = Path("gmreport.toml")
DEFAULT_INPUT = Path("input_samples")
DEFAULT_OUTPUT = Path("output")
DEFAULT_TEMPLATES = Path("output") / "填報範本"
EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
# Characters a cp950 (Big5) console lacks, and what to show instead.
CONSOLE_FALLBACK = str.maketrans({"›": ">", "✓": "V", "✗": "X"})


def run() -> NoReturn:
    """The `gmreport` command. It leaves without Python's teardown of the libraries a build
    loads (pandas, matplotlib, HiGHS): a fifth of a second a person would wait for, with
    every file already closed (tools/benchmark.py measures the difference)."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a console closed, a pipe gone
            stream.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """Run gmreport; return the exit code (0 成功, 1 填報資料有錯誤, 2 用法或設定檔錯誤)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    sys.unraisablehook = _log_unraisable  # e.g. a zip file left open when a disk is full
    try:
        with _argparse_in_chinese():
            parser = _parser()
            args, extra = parser.parse_known_args(argv)
            if extra:  # after a command: point to that command's help, not the top level's
                prog = f"gmreport {args.command}" if args.command else "gmreport"
                raise UsageError(
                    f"無法辨識的參數：{' '.join(extra)}。請執行「{prog} --help」查看用法。"
                )
            if args.command is None:
                parser.print_help()
                return EXIT_USAGE
        return int(args.run(args))
    except GmreportError as e:
        _echo(f"錯誤：{e}", stream=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        _echo("已中斷。輸出檔未變更。", stream=sys.stderr)
        return 130
    except Exception:
        if os.environ.get("GMREPORT_DEBUG"):
            raise
        log = Path(tempfile.gettempdir()) / "gmreport-error.log"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        _echo(
            f"錯誤：gmreport 發生未預期的問題，未完成執行。請將「{log}」與輸入檔案提供給維護人員。",
            stream=sys.stderr,
        )
        return EXIT_BUG


def _log_unraisable(unraisable: Any) -> None:
    """Python's note of an error it could not raise goes to the log, not to the person."""
    log = Path(tempfile.gettempdir()) / "gmreport-error.log"
    with contextlib.suppress(OSError), log.open("a", encoding="utf-8") as f:
        traceback.print_exception(unraisable.exc_value, file=f)


CATALOGUE = "locale/zh_TW/LC_MESSAGES/gmreport.mo"
"""argparse's own words (usage, headings, its messages) in Chinese: gmreport.po, compiled."""


@contextlib.contextmanager
def _argparse_in_chinese() -> Iterator[None]:
    """argparse looks its words up with gettext in the program's text domain, in the
    language the environment names: make these gmreport's catalogue and zh_TW, whatever the
    system's language, for as long as the command line is read."""
    language, domain = os.environ.get("LANGUAGE"), gettext.textdomain()
    with resources.as_file(resources.files("gmreport") / CATALOGUE) as catalogue:
        gettext.bindtextdomain("gmreport", str(catalogue.parents[2]))
        gettext.textdomain("gmreport")
        os.environ["LANGUAGE"] = "zh_TW"
        try:
            yield
        finally:
            gettext.textdomain(domain)
            if language is None:
                del os.environ["LANGUAGE"]
            else:
                os.environ["LANGUAGE"] = language


COMMAND = "指令"


# argparse wraps help at a count of characters, and a Chinese character is two columns wide.
# Each option's help goes on its own line, 6 columns in, at most 43 - 6 characters: 80 columns.
# Descriptions and examples are kept as written, in lines of at most 80 columns.
HELP_LAYOUT = functools.partial(argparse.RawDescriptionHelpFormatter, max_help_position=6, width=43)


class _Parser(argparse.ArgumentParser):
    """Help laid out for Chinese, and usage errors as gmreport's own: `錯誤：…` and where to
    find the help."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HELP_LAYOUT)
        super().__init__(*args, **kwargs)

    def format_help(self) -> str:
        # Before Python 3.13 argparse ends each heading with an ASCII colon, not through gettext.
        return re.sub(r"^(\S[^\n]*):$", r"\1：", super().format_help(), flags=re.M)

    def error(self, message: str) -> NoReturn:
        # argparse lists choices as repr()s joined by ", ": 'xlsx', 'ods' reads xlsx、ods.
        message = re.sub(r"'([^']*)'(, )?", lambda m: m[1] + ("、" if m[2] else ""), message)
        message = re.sub(
            f"^{COMMAND}：沒有「(.*)」這個選項，可用的有",
            rf"沒有「\1」這個{COMMAND}，可用的{COMMAND}有",
            message,
        )
        raise UsageError(f"{message}。請執行「{self.prog} --help」查看用法。")


def _roc_year(text: str) -> int:
    """--year as typed: a ROC year such as 114; a Western year is a usage error naming 114."""
    value = text.strip()
    if not value.isdecimal() or len(value) > 4:
        raise argparse.ArgumentTypeError(f"須為民國年度的數字，例如 114，目前是「{text}」")
    year = int(value)
    if year > ROC_OFFSET:
        raise argparse.ArgumentTypeError(
            f"「{year}」是西元年，請填民國年度 {year - ROC_OFFSET}（民國年 = 西元年減 1911）"
        )
    if not 1 <= year <= MAX_ROC_YEAR:
        raise argparse.ArgumentTypeError(f"「{year}」不是合理的民國年度，請填例如 114")
    return year


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="gmreport",
        description="性別主流化推動計畫年度執行成果報告產製工具。",
        epilog="範例：\n  gmreport build\n  gmreport check 113年度_民政課.xlsx\n"
        "各指令的說明：gmreport build --help（check、templates、rollup 亦同）",
    )
    parser.add_argument(
        "--version", action="version", version=f"gmreport {__version__}", help="顯示版本"
    )
    commands = parser.add_subparsers(
        title=COMMAND, dest="command", metavar=COMMAND, parser_class=_Parser
    )

    templates = commands.add_parser(
        "templates",
        help="產生各單位的空白標準填報活頁簿",
        description="依設定檔的單位清單，為每個單位產生一份空白標準填報活頁簿\n"
        "（Excel 的 .xlsx，或以 --format ods 產生 LibreOffice 的 .ods）。"
        "\n已存在的檔案不會被覆寫。",
        epilog="範例：\n  gmreport templates --year 114 --output 114年度範本\n"
        "  gmreport templates --year 114 --format ods   （使用 LibreOffice 的單位）",
    )
    templates.add_argument("--year", type=_roc_year, metavar="年度", help="民國年度（預設為今年）")
    _output_option(templates, DEFAULT_TEMPLATES, "--out")  # the option's first name, still accepted
    templates.add_argument(
        "--format",
        choices=TEMPLATE_FORMATS,
        default=TEMPLATE_FORMATS[0],
        metavar="格式",
        help="檔案格式：xlsx（Excel，預設）或 ods（LibreOffice）",
    )
    _config_option(templates)
    templates.set_defaults(run=_templates)

    check = commands.add_parser(
        "check",
        help="檢核填報活頁簿，列出需要修正之處",
        description="檢核一個或多個填報活頁簿（檔案或資料夾），逐一列出問題與修正建議。\n"
        "沒有錯誤時結束代碼為 0（可有警告），有錯誤時為 1。",
        epilog="範例：\n  gmreport check 113年度_民政課.xlsx\n  gmreport check 填報資料夾 --json\n"
        "  gmreport check 填報資料夾 --output 檢核   （標示問題的檔案存入 檢核/退回修正）",
    )
    check.add_argument("paths", nargs="+", type=Path, metavar="活頁簿", help="活頁簿檔案或資料夾")
    check.add_argument("--json", action="store_true", help="以 JSON 格式（UTF-8）輸出問題清單")
    check.add_argument(
        "--output",
        type=Path,
        metavar="資料夾",
        help="另將有問題的填報檔標示後存入此資料夾的「退回修正」子資料夾，可寄回各單位修正",
    )
    _config_option(check)
    check.set_defaults(run=_check)

    build = commands.add_parser(
        "build",
        help="年度彙整：讀取所有填報檔，產出成果報告與統計",
        description="讀取資料夾內所有單位的填報活頁簿，產出 Word 年度執行成果報告、\n"
        "統計總表、填報檢核結果與統計數據 JSON。\n"
        f"不加參數時讀取範例資料 {DEFAULT_INPUT}/ 中最新年度，輸出到 {DEFAULT_OUTPUT}/。",
        epilog="範例：\n  gmreport build\n"
        "  gmreport build --input 113年度填報 --output 113年度成果 --year 113\n"
        "  gmreport build --input 114年度填報 --output 114年度成果 --history 113年度成果\n"
        "  gmreport build --draft   （有錯誤時仍產出標示「草稿」的報告）",
    )
    build.add_argument(
        "--year", type=_roc_year, metavar="年度", help="民國年度（預設為資料夾中最新的年度）"
    )
    build.add_argument(
        "--input", type=Path, metavar="資料夾", help=f"填報檔資料夾（預設 {DEFAULT_INPUT}）"
    )
    _output_option(build, DEFAULT_OUTPUT)
    build.add_argument(
        "--history",
        type=Path,
        action="append",
        metavar="資料夾",
        help="以前年度統計數據（○○○年度統計數據.json）所在的資料夾，供歷年比較；"
        "可重複指定（輸出資料夾一律會讀取）",
    )
    build.add_argument("--draft", action="store_true", help="有錯誤時仍產出報告，每頁標示「草稿」")
    build.add_argument("--pdf", action="store_true", help="另以 LibreOffice 轉出 PDF")
    _config_option(build)
    build.set_defaults(run=_build)

    rollup = commands.add_parser(
        "rollup",
        help="市府彙整：比較各機關的年度統計數據",
        description="讀取各機關的「年度統計數據.json」（檔案或資料夾，含子資料夾），\n"
        "逐一依格式（JSON Schema）檢核，產出各機關執行成果彙整活頁簿與 Word 彙整報告。\n"
        "格式不符的檔案列出原因、不納入彙整；有這類檔案時結束代碼為 1。",
        epilog="範例：\n  gmreport rollup 各機關提報 --output 113年度彙整\n"
        "  gmreport rollup 各機關提報 --year 113 --agencies 機關清單.txt\n"
        "  gmreport rollup 各機關提報 --output 113年度彙整 --pdf   （另轉出 PDF）",
    )
    rollup.add_argument(
        "paths", nargs="+", type=Path, metavar="統計數據檔", help="統計數據檔（.json）或資料夾"
    )
    rollup.add_argument(
        "--year", type=_roc_year, metavar="年度", help="民國年度（預設為檔案中最新的年度）"
    )
    _output_option(rollup, DEFAULT_OUTPUT)
    rollup.add_argument(
        "--agencies",
        type=Path,
        metavar="機關清單",
        help="應提報機關清單：文字檔（每行一個機關，UTF-8）或 Excel 檔（第一欄），用以列出未提報機關",
    )
    rollup.add_argument("--pdf", action="store_true", help="另以 LibreOffice 轉出 PDF")
    rollup.set_defaults(run=_rollup)
    return parser


def _output_option(parser: argparse.ArgumentParser, default: Path, *aliases: str) -> None:
    parser.add_argument(
        "--output", *aliases, type=Path, metavar="資料夾", help=f"輸出資料夾（預設 {default}）"
    )


def _config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        metavar="設定檔",
        help=f"設定檔（預設：目前資料夾有 {DEFAULT_CONFIG} 時使用之，否則用內建值）",
    )


def _config(args: argparse.Namespace) -> Config:
    if args.config is None and DEFAULT_CONFIG.is_file():
        return load_config(DEFAULT_CONFIG)
    return load_config(args.config)


def _templates(args: argparse.Namespace) -> int:
    from .pipeline import templates

    def say(path: Path, written: bool) -> None:
        _echo(f"已產生 {path}" if written else f"略過 {path}（檔案已存在，未覆寫）")

    folder = _output(args.output, DEFAULT_TEMPLATES)
    year, done = templates(_config(args), folder, args.year, file_format=args.format, progress=say)
    count = sum(written for _, written in done)
    _echo(f"共產生 {count} 個單位的 {year} 年度空白填報活頁簿，位於「{folder}」。")
    return EXIT_OK


def _output(given: Path | None, default: Path) -> Path:
    """The --output folder: the one given, or the default, which must be able to be a folder."""
    if given is not None:
        return given
    blocking = next((p for p in (default, *default.parents) if p.is_file()), None)
    if blocking is not None:
        raise UsageError(
            f"沒有指定 --output，預設輸出到「{default}」，但目前的資料夾中「{blocking}」是一個檔案。"
            "請以 --output 指定另一個資料夾。"
        )
    return default


def _check(args: argparse.Namespace) -> int:
    from .pipeline import check

    outcome = check(args.paths, _config(args), args.output)
    if args.json:
        counts = count_by_severity(outcome.problems)
        text = json.dumps(
            {"problems": [p.as_dict() for p in outcome.problems], **counts},
            ensure_ascii=False,
            indent=2,
        )
        # UTF-8 bytes whatever the console's code page: a file name cp950 lacks stays whole.
        sys.stdout.flush()
        sys.stdout.buffer.write((text + "\n").encode("utf-8", errors="replace"))
        sys.stdout.buffer.flush()
    else:
        _print_problems(outcome.problems)
        if not outcome.problems:
            _echo("檢核完成，沒有發現問題。")
        _echo(*(f"注意：{note}" for note in outcome.notes))
        if outcome.written:
            _echo(
                "已寫入（標示問題的檔案，可寄回各單位修正）：",
                *(f"  {path}" for path in outcome.written),
            )
        elif args.output is not None and outcome.problems:
            _echo("沒有可標示的檔案（有問題的檔案無法判斷填報單位或年度）。")
    return EXIT_INPUT if outcome.has_errors else EXIT_OK


def _sample_years() -> dict[int, Path]:
    """input_samples/'s folders of one year each (input_samples/113, …/114), oldest first."""
    found = [p for p in DEFAULT_INPUT.iterdir() if p.is_dir() and p.name.isdigit()]
    return dict(sorted((int(p.name), p) for p in found))


def _build(args: argparse.Namespace) -> int:
    from .pipeline import build

    config = _config(args)
    input_dir = args.input
    if input_dir is None:
        if not DEFAULT_INPUT.is_dir():
            raise UsageError(
                f"沒有指定 --input，預設讀取範例資料夾「{DEFAULT_INPUT}」，但目前的資料夾"
                f"（{Path.cwd()}）中沒有它。要彙整本年度的資料，請以 --input 指定各單位填報檔"
                "所在的資料夾，例如：gmreport build --input 113年度填報 --output 113年度成果"
            )
        # input_samples/, or when it holds one folder per year, that of --year, else the latest
        years = _sample_years()
        input_dir = years.get(args.year) or (years[max(years)] if years else DEFAULT_INPUT)
        _echo(f"沒有指定 --input，讀取範例資料夾「{input_dir}」。")
    outcome = build(
        input_dir,
        _output(args.output, DEFAULT_OUTPUT),
        config,
        year=args.year,
        draft=args.draft,
        pdf=args.pdf,
        history=args.history,
    )
    figures, year = outcome.figures, outcome.year
    assert figures is not None and year is not None  # a build that returns has written its figures
    _print_problems(outcome.problems)
    _echo(*(f"注意：{note}" for note in outcome.notes))
    if args.input is None and not figures["history"]:
        # How to give the samples' latest year its 歷年比較: build the year before it first.
        earlier = [y for y in _sample_years() if y < year]
        if earlier:
            _echo(
                f"注意：本次 {year} 年度報告不含歷年比較。範例資料另有 {earlier[-1]} 年度，"
                f"請先執行「gmreport build --year {earlier[-1]}」，再執行「gmreport build」，"
                f"{year} 年度報告即會與 {earlier[-1]} 年度比較。"
            )
    _echo(
        f"{year} 年度：讀取 {len(figures['files']['read'])} 個單位的填報檔，"
        f"未繳交：{'、'.join(figures['units']['missing']) or '無'}。",
        *(f"  {t['verdict']}：{t['label']}" for t in figures["targets"]),
        "已寫入：",
        *(f"  {path}" for path in outcome.written),
    )
    if outcome.has_errors:
        done = "已產出標示「草稿」的報告" if args.draft else "未產出成果報告"
        _echo(
            f"填報資料有錯誤，{done}。請依「填報檢核結果」請各單位修正後重新執行"
            + ("。" if args.draft else "；若需先看報告，可加上 --draft。"),
            stream=sys.stderr,
        )
        return EXIT_INPUT
    return EXIT_OK


def _rollup(args: argparse.Namespace) -> int:
    from .pipeline import rollup

    outcome = rollup(
        args.paths,
        _output(args.output, DEFAULT_OUTPUT),
        year=args.year,
        agencies=args.agencies,
        pdf=args.pdf,
    )
    gathered = outcome.rollup
    for p in gathered.left_out:
        _echo(f"未納入：{p.file}：{p.message}", stream=sys.stderr if p.is_error else None)
    _echo(
        *(f"擱置：{p.file}：{p.message}" for p in gathered.set_aside),
        f"{gathered.year} 年度：彙整 {len(gathered.submissions)} 個機關的統計數據。",
    )
    if gathered.expected:
        _echo(f"未提報機關：{'、'.join(gathered.missing) or '無'}。")
    _echo(
        *(f"注意：{note}" for note in outcome.notes),
        "已寫入：",
        *(f"  {path}" for path in outcome.written),
    )
    if gathered.has_bad_files:
        _echo(
            "有統計數據檔格式不符，未納入彙整（原因如上）；請相關機關重新提報。", stream=sys.stderr
        )
        return EXIT_INPUT
    return EXIT_OK


def _print_problems(problems: list[Problem]) -> None:
    by_file: dict[str, list[Problem]] = {}
    for p in problems:
        by_file.setdefault(p.file or "（整體）", []).append(p)
    for file, group in by_file.items():
        _echo(f"\n{file}")
        for p in group:
            where = p.where if p.file else p.sheet
            _echo(f"  [{p.severity.value}] {where}：{p.message}")
            if p.hint:
                _echo(f"      → {p.hint}")
    if problems:
        counts = count_by_severity(problems)
        _echo(f"\n共 {counts['errors']} 項錯誤、{counts['warnings']} 項警告。")


def _echo(*lines: str, stream: TextIO | None = None) -> None:
    """Print each line so that any console survives it, a cp950 one included."""
    stream = stream or sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    for text in lines:
        try:
            text.encode(encoding)
        except UnicodeEncodeError:
            text = text.translate(CONSOLE_FALLBACK).encode(encoding, "replace").decode(encoding)
        except LookupError:
            pass
        print(text, file=stream)
