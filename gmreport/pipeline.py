"""The commands as plain functions over the stages: `templates`, `check`, `build` and `rollup`.

read → validate → aggregate → render. The CLI is a thin layer over these.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cells
from .atomic import commit, output_lock
from .config import MAX_ROC_YEAR, Config
from .figures import Figures, FileRejected, FileSetAside
from .format import ROC_OFFSET
from .history import built_now, earlier_workbook_years, read_history
from .narrative_checks import count_warnings, narrative_warnings
from .privacy_warnings import privacy_warnings, staff_indicators
from .problems import (
    GmreportError,
    OutputError,
    Problem,
    UsageError,
    count_by_severity,
    problem,
)
from .read import RawWorkbook, list_workbooks, read_listed
from .schema import INFO_SHEET, SHEETS_BY_NAME, TEMPLATE_FORMATS, WORK_ITEM_LIST
from .validate import (
    CleanWorkbook,
    Identity,
    check_across,
    identify,
    row_totals,
    validate_workbook,
)

if TYPE_CHECKING:
    from .aggregate import Shortfall
    from .photos import Photo
    from .rollup import Rollup

REPORT_NAME = "{year}年度性別主流化執行成果報告.docx"
STATISTICS_NAME = "{year}年度性別主流化統計總表.xlsx"
PROBLEMS_NAME = "{year}年度填報檢核結果.xlsx"
FIGURES_NAME = "{year}年度統計數據.json"
BLANK_NAME = "{year}年度_{unit}_性別主流化填報.{suffix}"


@dataclass
class Outcome:
    """What a build or check found, and (for a build) what it wrote."""

    year: int | None
    problems: list[Problem]
    figures: Figures | None = None
    shortfalls: list[Shortfall] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things to tell the person, e.g. no charts
    photos: list[Photo] = field(default_factory=list)  # 佐證照片 for the report
    sources: list[Source] = field(default_factory=list)  # the units' files, for 退回修正
    copies: dict[str, Path] = field(default_factory=dict)  # unit → its 退回修正 copy, written

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


@dataclass(frozen=True)
class Source:
    """A unit's file that passed the safety gate and was read: where it is, how problems
    name it, and whose and which year's it is."""

    path: Path
    file: str
    unit: str
    year: int


@dataclass
class _Sorted:
    accepted: list[CleanWorkbook]  # this year's, of a known unit
    unplaced: list[CleanWorkbook]  # this year's, of no known unit: every row excluded
    set_aside: list[FileSetAside]  # other years'
    rejected: list[FileRejected]  # not read, or of no known unit or year
    problems: list[Problem]


def templates(
    config: Config,
    folder: Path,
    year: int | None = None,
    *,
    file_format: str = TEMPLATE_FORMATS[0],
    progress: Callable[[Path, bool], None] | None = None,
) -> tuple[int, list[tuple[Path, bool]]]:
    """Write a blank standard workbook for each unit of `config` into `folder` for the ROC
    `year` (default: this year), as `file_format` (xlsx, or ods for LibreOffice); the year,
    and each unit's path with whether it was written now (a file already there is never
    overwritten, since a unit may have filled it in). `progress` hears of each as it is done."""
    from .blank_workbook import write_blank_workbook

    _check_output(folder)
    if file_format not in TEMPLATE_FORMATS:
        raise UsageError(
            f"不支援「{file_format}」格式的填報活頁簿，請用 {' 或 '.join(TEMPLATE_FORMATS)}。"
        )
    year = year if year is not None else date.today().year - ROC_OFFSET
    if not 1 <= year <= MAX_ROC_YEAR:
        raise UsageError(f"年度「{year}」不合理，請填民國年度，例如 --year 114。")
    for unit in config.units:  # part of its blank workbook's file name, on Windows too
        bad = [c for c in NOT_IN_FILE_NAMES if c in unit]
        if bad:
            raise UsageError(
                f"單位名稱「{unit}」含有檔名不能使用的字元「{'」「'.join(bad)}」，無法產生該單位的"
                "填報檔。請在設定檔 units 中改寫單位名稱（例如以「、」代替「/」），"
                "並請該單位的填報檔「填報單位」填寫相同的名稱。"
            )
    done = []
    for unit in config.units:
        path = folder / BLANK_NAME.format(year=year, unit=unit, suffix=file_format)
        written = not path.exists()
        if written:
            write_blank_workbook(
                path, agency=config.agency, unit=unit, year=year, aliases=config.aliases
            )
        done.append((path, written))
        if progress is not None:
            progress(path, written)
    return year, done


NOT_IN_FILE_NAMES = '/\\:*?"<>|'
"""What Windows does not allow in a file name."""


def check(paths: list[Path], config: Config, output_dir: Path | None = None) -> Outcome:
    """Validate workbooks as a unit would before sending them: each against its own 年度.
    With `output_dir`, the marked copies of the files with problems are written there
    (退回修正/)."""
    if output_dir is not None:
        _check_output(output_dir)
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"找不到「{missing[0]}」，請確認檔案或資料夾路徑。")
    unreadable, read = _read(paths, config)
    if not read and not any(p.is_error for p in unreadable):
        raise UsageError(
            f"在「{'、'.join(map(str, paths))}」中找不到任何填報檔（.xlsx、.xlsm 或 .ods）。"
        )
    problems = list(unreadable)
    by_year: dict[int, list[CleanWorkbook]] = {}
    for _, who, clean in read:
        problems += who.problems + clean.problems
        if who.unit is not None and who.year is not None:
            by_year.setdefault(who.year, []).append(clean)
    for workbooks in by_year.values():
        problems += check_across(workbooks).problems
        problems += staff_indicators(workbooks, config.privacy.min_cell)
    outcome = Outcome(max(by_year, default=None), ordered(problems), sources=_sources(read))
    if output_dir is not None:
        with output_lock(output_dir) as stage:
            _commit(outcome, output_dir, [], _returned(outcome, stage, output_dir, config.units))
    return outcome


def _sources(read: list[Read], year: int | None = None) -> list[Source]:
    """The files read whose unit and year are known (of `year` only, when given)."""
    return [
        Source(raw.path, raw.file, who.unit, who.year)
        for raw, who, _ in read
        if who.unit is not None and who.year is not None and (year is None or who.year == year)
    ]


def file_part(name: str) -> str:
    """`name` made fit to be part of a file name on Windows: each character it may not
    hold (see NOT_IN_FILE_NAMES, or a control character) becomes 「_」."""
    kept = "".join("_" if c in NOT_IN_FILE_NAMES or ord(c) < 32 else c for c in name).rstrip(". ")
    return kept or "_"


def _commit(
    outcome: Outcome,
    output_dir: Path,
    moves: list[tuple[Path, Path]],
    returned: list[tuple[Path, Path]],
) -> None:
    """Move the staged files into place, `moves` first and then the 退回修正 copies
    `returned`; then remove the marked copies an earlier run left for the years of this
    one's files whose units now have no problems: 退回修正/ holds this run's copies only
    (one set)."""
    from .render.returned import RETURNED_FOLDER, RETURNED_NAME

    commit(moves + returned)
    outcome.written += [target for _, target in returned]
    folder = output_dir / RETURNED_FOLDER
    written = {target.name for _, target in returned}
    for year in sorted({s.year for s in outcome.sources}):
        for old in folder.glob(
            RETURNED_NAME.format(year=year, unit="*", suffix="*").replace(".", "*.")
        ):
            if old.name in written:
                continue
            try:
                old.unlink()
            except OSError:
                outcome.notes.append(
                    f"無法刪除前一次產出的「{old}」（檔案可能正在開啟），與本次檢核結果不符，請勿寄出。"
                )


def _returned(
    outcome: Outcome, stage: Path, output_dir: Path, units: Sequence[str]
) -> list[tuple[Path, Path]]:
    """Write into `stage` the marked copy (退回修正) of each unit's file with problems, and
    for a file that could not be read at all whose name says its unit (one of `units`), a
    short workbook saying why; the moves that put them into `output_dir`. Copies of the
    same years left there by an earlier run are removed once the moves are done (see
    `_commit`)."""
    from .render.returned import RETURNED_FOLDER, RETURNED_NAME, mark_copy, write_letter

    folder = output_dir / RETURNED_FOLDER
    by_file: dict[str, list[Problem]] = {}
    for p in outcome.problems:
        by_file.setdefault(p.file, []).append(p)
    moves: list[tuple[Path, Path]] = []
    taken: set[str] = set()
    for source in outcome.sources:
        found = by_file.get(source.file)
        if not found:
            continue
        stem = base = RETURNED_NAME.format(
            year=source.year, unit=file_part(source.unit), suffix=""
        )[:-1]
        n = 1
        while stem.casefold() in taken:
            n += 1
            stem = f"{base}_{n}"
        taken.add(stem.casefold())
        made = mark_copy(source.path, stage, stem, found, unit=source.unit, year=source.year)
        if made is None:
            outcome.notes.append(
                f"「{source.file}」在讀取後已變動，未產出其退回修正檔；請重新執行。"
            )
            continue
        moves.append((made, folder / made.name))
        outcome.copies[source.unit] = folder / made.name
    read = {s.file for s in outcome.sources}
    for file, found in by_file.items():
        unreadable = [p for p in found if p.is_error and not p.sheet]
        unit = next((u for u in units if u in Path(file).name), None)
        if not file or file in read or not unreadable or unit is None or unit in outcome.copies:
            continue  # read, or nothing says whose: 人事室 has it in the 檢核結果
        name = RETURNED_NAME.format(year=outcome.year or "", unit=file_part(unit), suffix="xlsx")
        made = write_letter(stage / name, unit, outcome.year, file, unreadable)
        moves.append((made, folder / made.name))
        outcome.copies[unit] = folder / made.name
    if moves:
        folder.mkdir(exist_ok=True)
    return moves


def build(
    input_dir: Path,
    output_dir: Path,
    config: Config,
    *,
    year: int | None = None,
    draft: bool = False,
    pdf: bool = False,
    history: list[Path] | None = None,
) -> Outcome:
    """The year-end run: read every workbook in `input_dir`, write the outputs to `output_dir`.

    Earlier years' figures are read from `output_dir` and each folder of `history`."""
    _check_folder(
        input_dir, "--input", "各單位填報檔所在的資料夾（要檢核單一檔案請用 gmreport check）"
    )
    _check_output(output_dir)
    for folder in history or []:
        _check_folder(folder, "--history", "以前年度「○○○年度統計數據.json」所在的資料夾")
    if config.report_template is not None and not config.report_template.is_file():
        raise UsageError(
            f"設定檔「report_template」指定的報告範本「{config.report_template}」不存在，"
            "請確認路徑（相對路徑以設定檔所在的資料夾為準）。"
        )
    if output_dir.resolve() == input_dir.resolve():
        raise UsageError(
            "輸出資料夾不可與填報檔資料夾相同，否則產出的活頁簿下次會被當成填報檔讀取。"
            "請以 --output 指定另一個資料夾。"
        )
    outcome = gather(input_dir, output_dir, config, year=year, draft=draft, history=history)
    _write(outcome, output_dir, draft=draft, pdf=pdf, config=config)
    return outcome


def gather(
    input_dir: Path,
    output_dir: Path,
    config: Config,
    *,
    year: int | None,
    draft: bool,
    history: list[Path] | None,
) -> Outcome:
    """The year's figures from the workbooks in `input_dir` and the earlier years' files:
    `build` before it writes anything (the tests that check only the figures, problems and
    notes call it alone)."""
    unreadable, read = _read([input_dir], config, skip=(output_dir,))
    if not read and not any(p.is_error for p in unreadable):
        raise UsageError(
            f"資料夾「{input_dir}」中沒有任何填報檔（.xlsx、.xlsm 或 .ods）。"
            "請將各單位的填報活頁簿放入此資料夾，或以 --input 指定其他資料夾。"
        )
    years = sorted({who.year for _, who, _ in read if who.year is not None})
    if year is None and not years:
        raise GmreportError(
            f"「{input_dir}」中沒有可彙整的填報檔：每個檔案都無法判斷填報單位或年度。"
            + _causes(unreadable, read)
        )
    year = year if year is not None else years[-1]
    if year not in years:
        causes = _causes(unreadable, read)
        if causes:  # files that could not be placed: the data is what must change
            raise GmreportError(f"「{input_dir}」中沒有可彙整的 {year} 年度填報檔。{causes}")
        found = "、".join(map(str, years))
        raise UsageError(
            f"「{input_dir}」中沒有 {year} 年度的填報檔（找到的年度：{found}），"
            f"請改以 --year {years[-1]} 執行，或確認資料夾。"
        )
    sorted_ = _sort(unreadable, read, year)
    across = check_across(sorted_.accepted)
    earlier = read_history(
        [output_dir, *(history or [])],
        agency=config.agency,
        year=year,
        skip=output_dir / FIGURES_NAME.format(year=year),
    )
    problems = sorted_.problems + across.problems + earlier.problems
    # Every workbook of the year goes in: a unit whose two files were both excluded did
    # submit, and its emptied workbooks add no figures.
    counted = across.accepted + [w.emptied() for w in across.duplicates]
    from .aggregate import aggregate  # pandas: not imported by `check`
    from .photos import read_photos  # Pillow: not imported by `check`

    result = aggregate(counted, config, year)
    problems += privacy_warnings(across.accepted, result.shortfalls, config)
    problems += narrative_warnings(across.accepted, result.figures["targets"], config, year)
    problems += count_warnings(across.accepted, result.shortfalls)
    photos, refused = read_photos(input_dir, skip=(output_dir,))
    problems += refused
    order = {unit: i for i, unit in enumerate(config.units)}
    figures: Figures = {
        **result.figures,
        "draft": draft,
        "rows": row_totals(counted + sorted_.unplaced),
        "issues": count_by_severity(problems),
        "files": {
            "read": [
                {"file": w.file, "unit": w.unit, "year": w.year}
                for w in sorted(across.accepted, key=lambda w: order[w.unit])
            ],
            "set_aside": sorted_.set_aside,
            "rejected": sorted_.rejected
            + [
                {"file": w.file, "reason": f"{w.unit} 有兩個以上的 {year} 年度檔案，均未納入統計"}
                for w in across.duplicates
            ],
        },
        "plan": {
            "first_year": config.plan.first_year,
            "last_year": config.plan.last_year,
            "lead_units": {w.name: config.lead_units.get(w.name, "") for w in WORK_ITEM_LIST},
        },
        "built_at": built_now(),
        "history": earlier.as_json(),
    }
    outcome = Outcome(year, ordered(problems), figures, result.shortfalls, photos=photos)
    outcome.sources = _sources(read, year)
    unbuilt = [
        y
        for y in earlier_workbook_years([f["year"] for f in sorted_.set_aside], earlier, year)
        if y >= config.plan.first_year
    ]
    if unbuilt:
        outcome.notes.append(
            f"填報資料夾中有 {'、'.join(map(str, unbuilt))} 年度的填報檔，但輸出資料夾及 --history 資料夾中沒有該年度的"
            f"統計數據，報告不含與該年度的歷年比較。如需比較，請先以 --year {unbuilt[-1]} 彙整"
            "該年度（輸出到同一資料夾），再彙整本年度。"
        )
    return outcome


def _check_folder(path: Path, option: str, what: str) -> None:
    if path.is_file():
        raise UsageError(f"「{path}」是檔案，不是資料夾；{option} 請指定{what}。")
    if not path.is_dir():
        raise UsageError(f"找不到資料夾「{path}」，請確認 {option} 的路徑。")


def _check_output(path: Path) -> None:
    try:
        path.resolve(strict=False)
    except (OSError, RuntimeError):  # a link that leads to itself (Python raises RuntimeError)
        raise UsageError(
            f"輸出位置「{path}」是一個指向自己的捷徑（連結），無法當作資料夾；"
            "--output 請指定另一個資料夾。"
        ) from None
    if path.is_symlink() and not path.exists():
        raise UsageError(
            f"輸出位置「{path}」是失效的捷徑（連結），無法當作資料夾；--output 請指定另一個資料夾。"
        )
    if path.exists() and not path.is_dir():
        raise UsageError(f"輸出位置「{path}」是檔案，不是資料夾；--output 請指定一個資料夾。")


def _causes(unreadable: list[Problem], read: list[Read]) -> str:
    """Why the workbooks could not be placed in a unit and year, as `check` tells it."""
    found = [p for p in unreadable if p.is_error]
    for raw, who, _ in read:
        found += [p for p in (*raw.problems, *who.problems) if p.is_error]
    if not found:
        return ""
    lines = "".join(f"\n  {p.where}：{p.message}" for p in ordered(found))
    return f"\n原因：{lines}\n請修正後重新執行（gmreport check 可列出各檔案的完整檢核結果）。"


def ordered(problems: list[Problem]) -> list[Problem]:
    """Problems as a person reads them: by file, then sheet in workbook order, then cell."""
    sheets = {name: i for i, name in enumerate([INFO_SHEET, *SHEETS_BY_NAME])}

    def key(p: Problem) -> tuple[Any, ...]:
        sheet = sheets.get(p.sheet, len(sheets))
        return (p.file == "", p.file, sheet, p.sheet, *cells.reading_order(p.cell))

    return sorted(problems, key=key)


Read = tuple[RawWorkbook, Identity, CleanWorkbook]
"""A workbook as read (its sheets' cells let go), whose it is, and its rows checked."""


def _read(
    paths: list[Path], config: Config, skip: tuple[Path, ...] = ()
) -> tuple[list[Problem], list[Read]]:
    """Read, identify and check every workbook among `paths` (folders in `skip` left out);
    the problems of files that could not be read at all or were set aside unread (a
    warning), and the workbooks read."""
    files, listing = list_workbooks(paths, skip)
    unreadable: list[Problem] = list(listing.skipped)
    read: list[Read] = []
    for f in files:
        raw = read_listed(f, listing)
        if isinstance(raw, Problem):
            unreadable.append(raw)
            continue
        who = identify(raw, config)
        # Checked against its own year: a build sets other years' workbooks aside unused.
        clean = validate_workbook(raw, who.unit or "", who.year, config.aliases)
        read.append((replace(raw, sheets={}), who, clean))
        del raw  # its sheets' cells, before the next file is read
    return unreadable, read


def _sort(unreadable: list[Problem], read: list[Read], year: int) -> _Sorted:
    """Split workbooks into this year's, other years' and unusable ones."""
    rejected: list[FileRejected] = [{"file": p.file, "reason": p.message} for p in unreadable]
    out = _Sorted([], [], [], rejected, list(unreadable))
    for raw, who, clean in read:
        out.problems += who.problems
        if who.year is not None and who.year != year:
            out.problems.append(
                problem(
                    "other-year",
                    file=raw.file,
                    unit=who.unit or "",
                    sheet=INFO_SHEET,
                    cell=raw.info_cells.get("year", ""),
                    value=who.year,
                    expected=year,
                )
            )
            out.set_aside.append(
                {
                    "file": raw.file,
                    "unit": who.unit or "",
                    "year": who.year,
                    "reason": f"年度為 {who.year} 年，非本次彙整之 {year} 年度",
                }
            )
            continue
        out.problems += clean.problems
        if who.unit is not None and who.year is not None:
            out.accepted.append(clean)
            continue
        reason = next((p.message for p in who.problems + raw.problems if p.is_error), None)
        out.rejected.append({"file": raw.file, "reason": reason or "無法判斷填報單位或年度"})
        if who.year == year:
            out.unplaced.append(clean.emptied())
    return out


def _write(
    outcome: Outcome,
    output_dir: Path,
    *,
    draft: bool,
    pdf: bool,
    config: Config,
) -> None:
    # Imported here: rendering pulls in docxtpl, openpyxl and matplotlib, which `check` never needs.
    from .render import CHART_TITLES
    from .render.charts import FONT_PACKAGE, KAI_FONTS, draw_charts
    from .render.figures_json import write_figures_json
    from .render.report import Voice, render_report
    from .render.workbooks import write_problems, write_statistics

    year, figures, template = outcome.year, outcome.figures, config.report_template
    assert figures is not None and year is not None
    names = {
        "report": output_dir / REPORT_NAME.format(year=year),
        "statistics": output_dir / STATISTICS_NAME.format(year=year),
        "problems": output_dir / PROBLEMS_NAME.format(year=year),
        "figures": output_dir / FIGURES_NAME.format(year=year),
    }
    if template is not None and template.resolve() == names["report"].resolve():
        raise UsageError(
            f"報告範本「{template}」與要產出的報告同名同位置，產出時會覆寫範本。"
            "請將範本改名或移到其他資料夾，並更新設定檔的 report_template。"
        )
    # One build's outputs are one set (SPEC §5 ◆): written into a folder of their own while
    # this run holds the output folder, then moved into place together, the report first
    # (the file a person may hold open in Word, which would stop the rest).
    with (
        output_lock(output_dir) as stage,
        tempfile.TemporaryDirectory(prefix="gmreport-charts-") as charts_dir,
    ):
        here = {key: stage / path.name for key, path in names.items()}
        write_figures_json(figures, here["figures"])
        reported = draft or not outcome.has_errors
        drawn: dict[str, Path] = {}
        if reported:  # before the 檢核結果, which names the charts that could not be drawn
            drawn, warned, missing = draw_charts(figures, Path(charts_dir))
            outcome.notes += warned
            outcome.problems += [
                problem(
                    "chart-missing",
                    file=names["report"].name,
                    value=CHART_TITLES[name],
                    detail=f"如{'、'.join(KAI_FONTS[:2])}",
                    suggestion=FONT_PACKAGE,
                )
                for name in missing
            ]
        returned = _returned(outcome, stage, output_dir, config.units)
        write_problems(
            outcome.problems,
            outcome.shortfalls,
            here["problems"],
            unit_order=figures["units"]["expected"],
            figures=figures,
            copies={u: p.relative_to(output_dir) for u, p in outcome.copies.items()},
        )
        kept = ["figures", "problems"]
        unused: list[str] = []
        if reported:
            write_statistics(figures, here["statistics"])
            unused = render_report(
                figures,
                here["report"],
                charts=drawn,
                template=template,
                photos=outcome.photos,
                voice=Voice(config.self_name, config.unit_word),
            )
            kept += ["statistics", "report"]
        moves = [(here[k], names[k]) for k in reversed(kept)]
        outcome.written += [names[k] for k in kept]
        if reported and pdf:
            _print(here["report"], stage, output_dir, moves, outcome)
        _commit(outcome, output_dir, moves, returned)
    stale = [p.name for p in (names["report"], names["statistics"]) if p.exists()]
    if stale and not reported:  # kept: a person may have edited them; they must not be mistaken
        outcome.notes.append(
            f"「{'」、「'.join(stale)}」是前一次產出的檔案，與本次填報資料不符，請勿提報。"
        )
    if unused:
        outcome.notes.append(
            f"報告範本「{template}」未使用下列資料，報告中不會出現這些內容："
            f"{'、'.join(unused)}。若非刻意刪除，請由內建範本複製相關段落。"
        )


def _print(
    report: Path,
    stage: Path,
    output_dir: Path,
    moves: list[tuple[Path, Path]],
    outcome: Outcome | RollupOutcome,
) -> None:
    """The PDF of the Word `report` staged in `stage`, made beside it, put among the `moves`
    right after the report and among what `outcome` wrote; or a note saying why not (a
    missing LibreOffice stops only the PDF: the Word report is written)."""
    from .render.pdf import convert_to_pdf, missing_fonts
    from .render.report import number_the_contents

    try:
        # twice when the report has a 目錄: its pages are read off the first PDF
        if number_the_contents(report, None):
            made = convert_to_pdf(report, stage, work=stage)
            number_the_contents(report, made)
        made = convert_to_pdf(report, stage, work=stage)
    except OutputError as e:  # the report itself is written; only the PDF is missing
        outcome.notes.append(f"{e}（Word 報告及其他檔案已產出。）")
        return
    moves.insert(1, (made, output_dir / made.name))
    outcome.written.append(output_dir / made.name)
    outcome.notes += [f"PDF 已產出，但此電腦缺少{font}。" for font in missing_fonts()]


@dataclass
class RollupOutcome:
    """What a roll-up gathered and wrote."""

    rollup: Rollup
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def rollup(
    paths: list[Path],
    output_dir: Path,
    *,
    year: int | None = None,
    agencies: Path | None = None,
    pdf: bool = False,
) -> RollupOutcome:
    """The city's view: many agencies' figures files into the 彙整 workbook and Word report
    (and its PDF with `pdf`), written as one set as a build's are."""
    from .render import rollup_workbook
    from .render.rollup_report import ROLLUP_REPORT_NAME, render_rollup_report
    from .rollup import read_agency_list, roll_up

    _check_output(output_dir)
    expected = read_agency_list(agencies) if agencies is not None else None
    gathered = roll_up(paths, year=year, expected=expected)
    outcome = RollupOutcome(gathered)
    workbook = output_dir / rollup_workbook.ROLLUP_WORKBOOK_NAME.format(year=gathered.year)
    report = output_dir / ROLLUP_REPORT_NAME.format(year=gathered.year)
    with output_lock(output_dir) as stage:
        here = {path: stage / path.name for path in (report, workbook)}
        rollup_workbook.write_rollup_workbook(
            rollup_workbook.rollup_sheets(gathered), here[workbook]
        )
        outcome.notes += render_rollup_report(gathered, here[report])
        moves = [(here[path], path) for path in (report, workbook)]  # the report first
        outcome.written += [workbook, report]
        if pdf:
            _print(here[report], stage, output_dir, moves, outcome)
        commit(moves)
    return outcome
