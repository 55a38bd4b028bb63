"""The agency's config (`gmreport.toml`): built-in defaults for 旗津區公所, overridden by a file."""

from __future__ import annotations

import codecs
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, get_type_hints

from .cells import choice_key
from .problems import UsageError, os_reason
from .schema import SHEETS, WORK_ITEM_LIST

DEFAULT_UNITS = (
    "民政課",
    "社會課",
    "經建課",
    "兵役課",
    "人文課",
    "秘書室",
    "人事室",
    "會計室",
    "調解委員會",
)


@dataclass(frozen=True)
class Limits:
    """The values a number of the config may take: `low` to `high`, or above `low` when
    `above` is set; `note` says what a value means where that is not plain."""

    low: float
    high: float
    above: bool = False
    note: str = ""

    def admits(self, value: float) -> bool:
        return (self.low < value if self.above else self.low <= value) and value <= self.high

    def describe(self) -> str:
        if self.above:
            return f"須大於 {self.low:g}，且不超過 {self.high:g}"
        return f"須介於 {self.low:g} 與 {self.high:g} 之間"


def _number(default: Any, low: float, high: float, *, above: bool = False, note: str = "") -> Any:
    """A number field of a config section, with the limits the config file must keep to."""
    return field(default=default, metadata={"limits": Limits(low, high, above, note)})


MAX_HOURS = 1000
MAX_COUNT = 1000
MAX_ROC_YEAR = 300


@dataclass(frozen=True)
class Training:
    min_service_days: int = _number(90, 1, 366)
    hours_general: float = _number(2, 0, MAX_HOURS, above=True)
    hours_other_staff: float = _number(2, 0, MAX_HOURS, above=True)
    hours_supervisor: float = _number(3, 0, MAX_HOURS, above=True)
    hours_gender_officer: float = _number(6, 0, MAX_HOURS, above=True)
    completion_rate: float = _number(1.0, 0, 1, above=True, note="1 代表 100%")


@dataclass(frozen=True)
class Meetings:
    min_per_year: int = _number(1, 0, MAX_COUNT)
    members_min: int = _number(7, 0, MAX_COUNT)
    members_max: int = _number(13, 0, MAX_COUNT)


@dataclass(frozen=True)
class Cedaw:
    min_sessions: int = _number(2, 0, MAX_COUNT)


@dataclass(frozen=True)
class Measures:
    min_other_measures: int = _number(1, 0, MAX_COUNT)
    designated_items: tuple[str, ...] = ()
    """市府措施項目分工表之指定項目: a measure counts toward the target when its 對應項目 is
    one of them; empty: any measure with its 對應項目 filled in."""


@dataclass(frozen=True)
class Plan:
    """計畫期程 (the plan's 參、推動期程), in ROC years."""

    first_year: int = _number(113, 1, MAX_ROC_YEAR)
    last_year: int = _number(116, 1, MAX_ROC_YEAR)


@dataclass(frozen=True)
class Gia:
    min_per_year: int = _number(0, 0, MAX_COUNT)
    """0: the plan asks for an assessment when a measure needs one; the report says how many."""


@dataclass(frozen=True)
class Indicators:
    min_reviewed: int = _number(1, 0, MAX_COUNT)
    """Indicators 新增 or 修訂 a year (the plan's 肆、四: 定期檢討修訂性別統計指標)."""


@dataclass(frozen=True)
class Privacy:
    min_cell: int = _number(3, 1, MAX_COUNT, note="1 表示不隱藏任何格")
    """A staff cell of fewer people than this (and a rate from it) is shown as 「*」."""


@dataclass(frozen=True)
class Report:
    """How the report names the agency and its units (empty: from the agency's name)."""

    self_name: str = ""
    """「本所」, 「本局」…: the agency speaking of itself."""
    unit_word: str = ""
    """「課室」 (區公所), 「科室」 (局處): what the agency calls its units."""


SELF_NAMES = (
    ("公所", "本所"),
    ("事務所", "本所"),
    ("局", "本局"),
    ("處", "本處"),
    ("府", "本府"),
    ("會", "本會"),
    ("署", "本署"),
)
"""How an agency whose name ends so speaks of itself (SPEC §4 ◆); any other: 本機關."""


DEFAULT_LEAD_UNITS: Mapping[str, str] = MappingProxyType(
    {w.name: w.lead_unit for w in WORK_ITEM_LIST}
)
"""Each work item's 主辦單位, as the plan's 肆 names them (declared in the schema)."""


@dataclass(frozen=True)
class Config:
    agency: str = "高雄市旗津區公所"
    units: tuple[str, ...] = DEFAULT_UNITS
    training: Training = field(default_factory=Training)
    meetings: Meetings = field(default_factory=Meetings)
    cedaw: Cedaw = field(default_factory=Cedaw)
    measures: Measures = field(default_factory=Measures)
    plan: Plan = field(default_factory=Plan)
    gia: Gia = field(default_factory=Gia)
    indicators: Indicators = field(default_factory=Indicators)
    privacy: Privacy = field(default_factory=Privacy)
    report: Report = field(default_factory=Report)
    lead_units: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_LEAD_UNITS))
    """Each work item's 主辦單位 (成果報告考核表), by the work item's name."""
    contact_unit: str = "人事室"
    """The unit whose 基本資料 (填報人, 聯絡電話, 填報日期) the report's cover states."""
    report_template: Path | None = None
    """An edited copy of the Word template; None: the shipped one."""
    aliases: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """The agency's own words for dropdown values: column header → {word: allowed value}."""

    @property
    def self_name(self) -> str:
        """How the report names the agency: the config's `[report] self_name`, else by the
        ending of its name (區公所 → 本所, 局 → 本局 …)."""
        found = (said for ending, said in SELF_NAMES if self.agency.endswith(ending))
        return self.report.self_name or next(found, "本機關")

    @property
    def unit_word(self) -> str:
        """How the report names the units: `[report] unit_word`, else 課室 for a 所, 科室."""
        return self.report.unit_word or ("課室" if self.self_name == "本所" else "科室")


_KINDS = {"int": int, "float": float, "str": str, "tuple[str, ...]": tuple}
SECTIONS = {
    k: t for k, t in get_type_hints(Config).items() if isinstance(t, type) and is_dataclass(t)
}
"""The config's sections ([training] …), by name."""


def load_config(path: Path | None) -> Config:
    """The defaults, overridden by the TOML file at `path` when one is given."""
    if path is None:
        return Config()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"找不到設定檔「{path}」，請確認路徑。") from None
    except IsADirectoryError:
        raise UsageError(f"設定檔「{path}」是資料夾，請指定 .toml 檔案。") from None
    except OSError as e:
        raise UsageError(f"無法讀取設定檔「{path}」：{os_reason(e)}。") from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UsageError(
            f"設定檔「{path}」存成了 UTF-16（記事本的「Unicode」），無法讀取。"
            "請以記事本開啟，「另存新檔」時將「編碼」選為 UTF-8 後儲存。"
        )
    try:
        text = raw.decode("utf-8-sig")  # Windows Notepad may begin the file with a BOM
    except UnicodeDecodeError:
        raise UsageError(
            f"設定檔「{path}」不是 UTF-8 編碼（可能是 Big5），無法讀取。"
            "請以記事本開啟，「另存新檔」時將「編碼」選為 UTF-8 後儲存。"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        where, quoted = f"設定檔「{path}」{_where(str(e))}", _quoted_keys(text, str(e))
        if re.search(r"overwrite|twice", str(e)):
            message = f"{where}的項目或區段與前面重複，請刪除或合併其中一個。"
        elif quoted is not None:
            message = (
                f"{where}的「{quoted[0]}」中，中文的名稱要加半形雙引號，請改寫成「{quoted[1]}」。"
            )
        else:
            message = (
                f"{where}格式錯誤，請依範例修正：項目寫成「名稱 = 值」，文字要加半形雙引號"
                '（agency = "高雄市旗津區公所"），區段寫成 [training]。'
            )
        raise UsageError(message) from None
    return config_from_dict(data, base=path.parent)


_BARE_KEY_PART = re.compile(r'(?<![\w"\'])([^\s."\'\[\]=#]*[^\x00-\x7f][^\s."\'\[\]=#]*)')


def _quoted_keys(text: str, message: str) -> tuple[str, str] | None:
    """The line tomllib stopped at and that line with its Chinese key parts quoted, when
    such a part (`[aliases.人員類別]`, `替代役 = "…"`: not TOML, whose bare keys are ASCII)
    is what it stopped at; else None."""
    found = re.search(r"at line (\d+)", message)
    lines = text.splitlines()
    if not found or not 0 < int(found[1]) <= len(lines):
        return None
    line = lines[int(found[1]) - 1].strip()
    header = re.fullmatch(r"(\[\[?)([^\]]*)(\]\]?)(\s*#.*)?", line)
    if header:
        opening, keys, closing = header[1], header[2], header[3]
        fixed = opening + _BARE_KEY_PART.sub(r'"\1"', keys) + closing
    else:
        key, equals, value = line.partition("=")
        if not equals:
            return None
        fixed = _BARE_KEY_PART.sub(r'"\1"', key.rstrip()) + " =" + value
    return (line, fixed) if fixed != line else None


def _where(message: str) -> str:
    """「第 3 行第 7 字」 from tomllib's message "... (at line 3, column 7)"."""
    found = re.search(r"at line (\d+), column (\d+)", message)
    return f"第 {found[1]} 行第 {found[2]} 字" if found else ""


MAX_TEXT = 100
"""The longest text a config value may be: a name, not a paragraph (a unit's name becomes
part of file names, which Windows limits)."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _check_texts(value: object, key: str = "") -> None:
    """Every text of the config (keys included) without control characters, and short."""
    if isinstance(value, dict):
        for k, v in value.items():
            _check_texts(str(k), key or _CONTROL.sub("", str(k)))  # named by its section
            _check_texts(v, f"{key}.{k}" if key else str(k))
    elif isinstance(value, list):
        for v in value:
            _check_texts(v, key)
    elif isinstance(value, str):
        if _CONTROL.search(value):
            raise UsageError(
                f"設定檔「{key}」的文字含有控制字元（例如由其他程式貼上的不可見符號），"
                "請刪除後重新輸入該文字。"
            )
        if len(value) > MAX_TEXT and key != "report_template":  # a path may be long
            raise UsageError(
                f"設定檔「{key}」的文字長達 {len(value)} 字，超過 {MAX_TEXT} 字，請改用簡短的名稱。"
            )


def config_from_dict(data: dict[str, Any], *, base: Path | None = None) -> Config:
    """Build a Config from parsed TOML, naming any unknown key, wrong type or bad value.

    A relative `report_template` is taken from `base`, the config file's folder.
    """
    _check_texts(data)
    known = [f.name for f in fields(Config)]
    for key in data:
        if key not in known:
            raise UsageError(f"設定檔有不認得的項目「{key}」，可用的項目：{'、'.join(known)}。")
    config = Config()  # field by field, so that mypy checks each parsed value's type
    if "agency" in data:
        config = replace(config, agency=_agency(data["agency"]))
    if "units" in data:
        config = replace(config, units=_units(data["units"]))
    if "contact_unit" in data:
        contact = _typed("contact_unit", data["contact_unit"], str).strip()
        config = replace(config, contact_unit=contact)
    if "aliases" in data:
        config = replace(config, aliases=_aliases(data["aliases"]))
    if "lead_units" in data:
        config = replace(config, lead_units=_lead_units(data["lead_units"]))
    if "report_template" in data:
        template = _template(data["report_template"], base or Path.cwd())
        config = replace(config, report_template=template)
    for name, cls in SECTIONS.items():
        if name in data:
            config = replace(config, **{name: _section(name, cls, data[name])})
    _check_values(config)
    return config


def _agency(value: object) -> str:
    agency: str = _typed("agency", value, str).strip()
    if not agency:
        raise UsageError("設定檔「agency」不可為空白。")
    return agency


def _units(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(u, str) and u.strip() for u in value):
        raise UsageError('設定檔「units」須為單位名稱的清單，例如 units = ["民政課", "人事室"]。')
    units = tuple(u.strip() for u in value)
    if not units:
        raise UsageError("設定檔「units」至少要有一個單位。")
    if len(set(units)) != len(units):
        raise UsageError("設定檔「units」有重複的單位名稱。")
    return units


def _aliases(value: object) -> dict[str, dict[str, str]]:
    """[aliases.<欄位>] tables: each word must lead to an allowed value of that column."""
    example = '例如 [aliases.人員類別] 之下寫 "替代役" = "自僱非公務人員"'
    if not isinstance(value, dict):
        raise UsageError(f"設定檔「aliases」須為區段，{example}。")
    columns = {c.header: c for s in SHEETS for c in s.columns if c.has_dropdown}
    aliases: dict[str, dict[str, str]] = {}
    for header, words in value.items():
        if header not in columns:
            raise UsageError(
                f"設定檔「[aliases.{header}]」：「{header}」不是有下拉選單的欄位。"
                f"可用的欄位：{'、'.join(sorted(columns))}。"
            )
        if not isinstance(words, dict):
            raise UsageError(f"設定檔「aliases.{header}」須為區段，{example}。")
        allowed = {choice_key(a): a for a in columns[header].allowed}
        aliases[header] = {}
        for word, target in words.items():
            key = f"aliases.{header}.{word}"
            chosen = allowed.get(choice_key(target)) if isinstance(target, str) else None
            if chosen is None:
                raise UsageError(
                    f"設定檔「{key}」對應到「{target}」，不是「{header}」的選項；"
                    f"可用的選項：{'、'.join(columns[header].allowed)}。"
                )
            aliases[header][word] = chosen
    return aliases


def _lead_units(value: object) -> Mapping[str, str]:
    """[lead_units]: a work item's name = its 主辦單位; the plan's for those not given."""
    example = '例如 [lead_units] 之下寫 "性別影響評估" = "秘書室"'
    if not isinstance(value, dict):
        raise UsageError(f"設定檔「lead_units」須為區段，{example}。")
    units = dict(DEFAULT_LEAD_UNITS)
    for item, unit in value.items():
        if item not in DEFAULT_LEAD_UNITS:
            raise UsageError(
                f"設定檔「lead_units.{item}」：「{item}」不是計畫的工作項目；"
                f"可用的項目：{'、'.join(DEFAULT_LEAD_UNITS)}。"
            )
        if not isinstance(unit, str) or not unit.strip():
            raise UsageError(f"設定檔「lead_units.{item}」須為單位名稱，{example}。")
        units[item] = unit.strip()
    return units


def _template(value: object, base: Path) -> Path:
    """The template's path (its existence is checked by the build that uses it)."""
    text: str = _typed("report_template", value, str)
    path = base / Path(text.strip()).expanduser()
    if path.suffix.lower() != ".docx":
        raise UsageError(
            f"設定檔「report_template」須為 Word 文件（.docx），目前是「{text}」。"
            "請在 Word 中另存為「Word 文件 (*.docx)」。"
        )
    return path


def _section(name: str, cls: type, value: object) -> Any:
    if not isinstance(value, dict):
        raise UsageError(f"設定檔「[{name}]」須為一個區段。")
    kinds = {f.name: _KINDS[str(f.type)] for f in fields(cls)}
    for key in value:
        if key not in kinds:
            raise UsageError(
                f"設定檔「[{name}]」有不認得的項目「{key}」，可用的項目：{'、'.join(kinds)}。"
            )
    return replace(cls(), **{k: _typed(f"{name}.{k}", v, kinds[k]) for k, v in value.items()})


def _typed(key: str, value: object, kind: type) -> Any:
    if kind is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise UsageError(
                f'設定檔「{key}」須為文字的清單，例如 {key.split(".")[-1]} = ["項目一"]。'
            )
        return tuple(v.strip() for v in value)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return value  # a whole number of hours stays whole, as in the plan and the JSON
    if kind is float and isinstance(value, float) and not math.isfinite(value):
        raise UsageError(f"設定檔「{key}」須為一般數字，目前是「{value}」。")
    if isinstance(value, bool) or not isinstance(value, kind):
        wanted = {int: "整數", float: "數字", str: "文字"}[kind]
        raise UsageError(f"設定檔「{key}」須為{wanted}，目前是「{value}」。")
    return value


def _check_values(config: Config) -> None:
    if config.contact_unit not in config.units:
        raise UsageError(
            f"設定檔「contact_unit」（{config.contact_unit}）須為 units 所列單位之一。"
        )
    for name in SECTIONS:
        section = getattr(config, name)
        for f in fields(section):
            limits: Limits | None = f.metadata.get("limits")
            value = getattr(section, f.name)
            if limits is not None and not limits.admits(value):
                note = f"（{limits.note}）" if limits.note else ""
                raise UsageError(
                    f"設定檔「{name}.{f.name}」{limits.describe()}{note}，目前是「{value}」。"
                )
    m, plan = config.meetings, config.plan
    if m.members_min > m.members_max:
        raise UsageError(
            f"設定檔「meetings.members_min」（{m.members_min}）不可大於"
            f"「meetings.members_max」（{m.members_max}）。"
        )
    if plan.first_year > plan.last_year:
        raise UsageError(
            f"設定檔「plan.first_year」（{plan.first_year}）不可晚於"
            f"「plan.last_year」（{plan.last_year}）。"
        )
