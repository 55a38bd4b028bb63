"""What a standard workbook (標準填報活頁簿) is: sheets, columns, kinds and allowed values.

This module is the single source of truth. The blank-workbook generator, the reader
and the validator all derive from the declarations below; adding a column is one line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any


class Kind(Enum):
    """How a cell's text is turned into a value."""

    TEXT = "文字"
    NAME = "姓名"  # text with all whitespace removed
    CHOICE = "下拉選單"
    YESNO = "是／否"  # a CHOICE of 是/否 where blank means 否
    DIMENSIONS = "複分類"  # 否/blank: none; 是: unnamed; other text: the dimensions, listed
    DATE = "日期"
    COUNT = "人數"  # whole number ≥ 0
    HOURS = "時數"  # number > 0 and ≤ 24
    AMOUNT = "金額"  # number ≥ 0, in 元


GENDER_KEYS: Mapping[str, str] = MappingProxyType({"男": "male", "女": "female", "其他": "other"})
"""Each 性別 and the key of its count in the figures (the figures add "total" for 合計)."""
GENDERS = tuple(GENDER_KEYS)
DIMENSIONS_KEY = "dimensions"
"""Where a sheet's list row holds the dimensions of its 複分類."""
GENDER_ALIASES = MappingProxyType({"男性": "男", "女性": "女"})
YES, NO = "是", "否"


@dataclass(frozen=True)
class TrainingGroup:
    """A group whose 性別意識培力 completion is reported (SPEC §3).

    Members are the roster people of one of `staff_types`, or those with 是 in the roster
    column `flag`. `hours` names the config field of the group's target hours; a person's
    target is the largest of the groups they are in.
    """

    key: str
    label: str
    staff_types: tuple[str, ...] = ()
    flag: str = ""
    hours: str = ""


CIVIL_SERVANT, CONTRACT_STAFF, WORKER, SELF_EMPLOYED = (
    "公務人員",
    "約聘僱人員",
    "職工",
    "自僱非公務人員",
)
STAFF_TYPES = (CIVIL_SERVANT, CONTRACT_STAFF, WORKER, SELF_EMPLOYED)
STAFF_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(("約僱人員", "約聘人員", "聘用人員", "聘任人員", "約聘僱"), CONTRACT_STAFF),
        **dict.fromkeys(("技工", "工友", "駕駛", "駐衛警察"), WORKER),
        "考試錄取人員": CIVIL_SERVANT,
        **dict.fromkeys(("臨時人員", "計畫人員"), SELF_EMPLOYED),
    }
)
"""The words personnel offices use for a 人員類別 (SPEC §2), accepted silently."""
EVERYONE = TrainingGroup("all", "全機關", STAFF_TYPES)
"""The whole agency: the group of the plan's 完訓率 target."""
TRAINING_GROUPS = (
    TrainingGroup(
        "civil_servants", "公務人員", (CIVIL_SERVANT, CONTRACT_STAFF), hours="hours_general"
    ),
    TrainingGroup("supervisors", "主管人員", flag="supervisor", hours="hours_supervisor"),
    TrainingGroup(
        "gender_officers", "性別業務承辦人", flag="gender_officer", hours="hours_gender_officer"
    ),
    TrainingGroup(
        "other_staff", "職工及自僱非公務人員", (WORKER, SELF_EMPLOYED), hours="hours_other_staff"
    ),
    EVERYONE,
)
STAFF_GROUPS = tuple(g for g in TRAINING_GROUPS if g.staff_types and g.hours)
"""The groups that divide the staff types between them: each type is in exactly one."""

SUPERVISOR_ROWS: Mapping[str, bool] = MappingProxyType({"主管": True, "非主管": False})
"""The rows of the 性別×主管職務 table, by the 主管 flag of their people."""
AGE_GROUPS = ("未滿30歲", "30-39歲", "40-49歲", "50-59歲", "60歲以上")
COURSE_TYPES = ("性別主流化基礎", "性別主流化進階", "CEDAW", "性騷擾防治", "其他性別議題")
TRAINING_MODES = ("實體", "數位", "混成")


CONVENER = "召集人"
EX_OFFICIO_ROLES = (
    "人事當然成員",
    "會計當然成員",
    "調解當然成員",
    "研考當然成員",
    "婦女社會參與促進小組連絡人",
)
MEMBER_ROLES = (CONVENER, *EX_OFFICIO_ROLES, "指派組員")
"""The roles in the 性別平等執行小組 (plan 肆、一): the convener, the ex-officio seats, and
those appointed."""
DIMENSION_SUGGESTIONS = ("年齡", "教育程度", "身分別", "里別", "職等", "族群")
"""Dimensions an indicator is commonly crossed with; any other is accepted too."""
GIA_TYPES = ("施政計畫", "中長程計畫", "長期綱領", "法規制定", "法規修正")
EXISTING, NEW, REVISED = "既有", "新增", "修訂"
INDICATOR_STATES = (EXISTING, NEW, REVISED)
BUDGET_CATEGORIES = ("計畫類", "綱領類", "工具類", "性平法令類", "其他類")
CEDAW_AUDIENCES = ("人民團體", "民間組織", "村里長", "一般民眾", "其他外部對象")
CEDAW_METHODS = ("實體活動", "廣播", "網路直播", "Podcast", "社群媒體", "文宣品", "其他")
CEDAW_CONTENTS = ("CEDAW條文及應用", "國家報告結論性建議", "CEDAW指引", "綜合")


@dataclass(frozen=True)
class WorkItem:
    """A work item of the plan (肆、推動內容): its name in the plan, the report's key for it,
    and its 主辦單位 as the plan names it (the config's `lead_units` may name another)."""

    name: str
    key: str
    lead_unit: str


SUPPORTING = re.compile(r"[（(]\s*協辦\s*[：:]?\s*([^）)]*)[）)]")
"""「（協辦：社會課）」 in a work item's units, as the plan writes them."""


def lead_and_support(units: str) -> tuple[list[str], list[str]]:
    """A work item's 主辦單位 and 協辦單位 from its units as the plan and the config write
    them: 「民政課（協辦：社會課）」 → [民政課], [社會課]; 「人事室、秘書室」 → both lead."""
    parts = r"[、,，]"
    support = [u.strip() for m in SUPPORTING.finditer(units) for u in re.split(parts, m[1])]
    lead = [u.strip() for u in re.split(parts, SUPPORTING.sub("", units))]
    return [u for u in lead if u], [u for u in support if u]


WORK_ITEM_LIST = (
    WorkItem("性平執行小組會議", "meetings", "人事室"),
    WorkItem("性別意識培力", "training", "人事室、秘書室"),
    WorkItem("性別影響評估", "gia", "秘書室"),
    WorkItem("性別統計與性別預算", "statistics_budget", "會計室"),
    WorkItem("CEDAW宣導及其他性平措施", "cedaw_measures", "民政課（協辦：社會課）"),
)
WORK_ITEMS = tuple(w.name for w in WORK_ITEM_LIST)
WORK_ITEMS_BY_KEY: Mapping[str, WorkItem] = MappingProxyType({w.key: w for w in WORK_ITEM_LIST})
WORK_ITEMS_BY_NAME: Mapping[str, WorkItem] = MappingProxyType({w.name: w for w in WORK_ITEM_LIST})
PERIOD_REVIEW_ITEM = "計畫期程總檢討"
"""A choice of 執行成果說明's 工作項目 that is no work item of the plan: a unit's review of
the whole plan period, which the report prints in the plan's last year (SPEC §2 ◆)."""


@dataclass(frozen=True)
class Column:
    """One column of a data sheet: its header (the contract), a key for code, and rules."""

    header: str
    key: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    help: str = ""
    width: int = 14
    optional: bool = False
    """New in the v2 template (SPEC ★): a workbook made from the v1 template lacks the column
    and is read as before, without a warning."""
    population: bool = False
    """A count of a population (性別統計's 男/女/其他, e.g. 土地所有權人數), not of the people
    of one activity: no count is too many to be plausible (SPEC §2 ◆)."""
    unique: bool = False
    """No two rows of the sheet hold the same value (the roster's 姓名)."""
    listed_in: str = ""
    """The key of a sheet whose column of the same key must hold each value (a 培力紀錄 姓名
    is on the same workbook's 人員名冊)."""
    after: str = ""
    """The key of the column of the same row that this date may not precede (a period's end
    and its start)."""

    @property
    def allowed(self) -> tuple[str, ...]:
        """The values a dropdown offers."""
        if self.kind is Kind.YESNO:
            return (YES, NO)
        return (*self.choices, YES, NO) if self.kind is Kind.DIMENSIONS else self.choices

    @property
    def has_dropdown(self) -> bool:
        return bool(self.allowed)

    @property
    def gender_group(self) -> str | None:
        """The per-gender counts this column is one of: "participants" for 參與人數(男),
        "" for a bare 男/女/其他, None for any other column."""
        group, _, gender = self.key.rpartition("_")
        return group if self.kind is Kind.COUNT and gender in GENDER_KEYS.values() else None

    @property
    def opens_gender_group(self) -> bool:
        """Whether this is the first column (男) of its per-gender counts."""
        first = next(iter(GENDER_KEYS.values()))
        return self.gender_group is not None and self.key.rpartition("_")[2] == first

    @property
    def last_row_key(self) -> str:
        """The last key a sheet's list row holds this column under (a value derived from it
        follows there): its own key; "dimensions" for 複分類; a per-gender group's prefix,
        or "total" for a bare 男/女/其他."""
        if self.kind is Kind.DIMENSIONS:
            return DIMENSIONS_KEY
        group = self.gender_group
        return self.key if group is None else group or "total"


def _text(header: str, key: str, help: str, *, required: bool = False, width: int = 14) -> Column:
    return Column(header, key, Kind.TEXT, required, help=help, width=width)


def _choice(header: str, key: str, choices: tuple[str, ...], help: str, **kw: Any) -> Column:
    return Column(header, key, Kind.CHOICE, choices=choices, help=help, **kw)


def _yesno(header: str, key: str, help: str) -> Column:
    return Column(header, key, Kind.YESNO, help=help + "（空白視為「否」）", width=10)


def _name(help: str, *, unique: bool = False, listed_in: str = "") -> Column:
    return Column(
        "姓名", "name", Kind.NAME, True, help=help, width=12, unique=unique, listed_in=listed_in
    )


def _date(
    header: str,
    key: str,
    help: str,
    *,
    required: bool = False,
    optional: bool = False,
    after: str = "",
) -> Column:
    formats = "可填 Excel 日期，或 113/3/5、113.03.05、113年3月5日、2024-03-05。"
    return Column(
        header,
        key,
        Kind.DATE,
        required,
        help=help + formats,
        width=13,
        optional=optional,
        after=after,
    )


def _counts(header: str, key: str) -> list[Column]:
    return [
        Column(f"{header}({g})", f"{key}_{e}", Kind.COUNT, help=f"{g}性{header}，整數。", width=10)
        for g, e in GENDER_KEYS.items()
    ]


_GENDER = Column(
    "性別",
    "gender",
    Kind.CHOICE,
    True,
    GENDERS,
    GENDER_ALIASES,
    help="男、女或其他（填「男性」「女性」亦可）。",
    width=8,
)
_REACH = Column(
    "觸及人次",
    "reach",
    Kind.COUNT,
    help="廣播、網路、Podcast、刊物等無法清點參與者的方式，填收聽、觀看或發行人次，整數；"
    "無則空白。",
    width=10,
    optional=True,
)


@dataclass(frozen=True)
class Sheet:
    """A data sheet of the standard workbook: one row per record under a header row."""

    name: str
    key: str
    title: str
    help: str
    columns: tuple[Column, ...]

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @property
    def date_column(self) -> Column | None:
        """The column that dates a row (decides whether the row is in the year)."""
        return next((c for c in self.columns if c.kind is Kind.DATE and c.required), None)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


INFO_SHEET = "基本資料"
INSTRUCTIONS_SHEET = "填報說明"
TEMPLATE_FORMATS = ("xlsx", "ods")
"""The file types the blank workbook is written as (Excel, LibreOffice); the first is the default."""


@dataclass(frozen=True)
class InfoField:
    """A key of the 基本資料 sheet (key in column A, value in column B)."""

    label: str
    key: str
    required: bool
    help: str


INFO_FIELDS = (
    InfoField("機關名稱", "agency", True, "機關全銜，例如「高雄市旗津區公所」。"),
    InfoField("填報單位", "unit", True, "本活頁簿所屬課室，須為設定檔所列單位之一。"),
    InfoField("年度", "year", True, "民國年度，例如 113。決定本檔案屬於哪一年度。"),
    InfoField("填報人", "contact", False, "填報人姓名。"),
    InfoField("聯絡電話", "phone", False, "填報人聯絡電話。"),
    InfoField("填報日期", "filed_on", False, "填報日期。"),
)

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "人員名冊",
        "roster",
        "人員名冊（本年度在職人員，每人一列）",
        "列出本年度曾在本單位任職的每一位人員，作為計算應訓人數與完訓率的依據。",
        (
            _name("同名者請加註記區分，例如 王小明(A)。", unique=True),
            _GENDER,
            _choice(
                "人員類別",
                "staff_type",
                STAFF_TYPES,
                "依人員身分選填（填「約僱人員」「技工」「工友」等常用稱呼亦可）。",
                required=True,
                aliases=STAFF_ALIASES,
                width=14,
            ),
            _yesno("主管", "supervisor", "擔任主管職務者填「是」"),
            _yesno("性別業務承辦人", "gender_officer", "承辦性別平等業務者填「是」"),
            _choice("年齡層", "age_group", AGE_GROUPS, "可空白。", width=12),
            _date("到職日期", "start", "年度中到職者填寫；空白表示年度開始前即已在職。"),
            _date("離職日期", "end", "年度中離職者填寫；空白表示仍在職。", after="start"),
            _date(
                "留職停薪起日",
                "leave_start",
                "本年度曾留職停薪者填寫；期間不計入在職日數。",
                optional=True,
            ),
            _date(
                "留職停薪迄日",
                "leave_end",
                "留職停薪最後一日（復職日之前一日）；空白表示至年底仍在留職停薪。",
                optional=True,
                after="leave_start",
            ),
            _text("備註", "note", "其他說明。", width=20),
        ),
    ),
    Sheet(
        "培力紀錄",
        "training",
        "性別意識培力紀錄（每人每次課程一列）",
        "填寫本單位人員參加性別意識培力課程的紀錄；姓名須與本活頁簿人員名冊一致。",
        (
            _name("須與人員名冊之姓名完全相同。", listed_in="roster"),
            _text("課程名稱", "course", "課程或研習名稱。", width=28),
            _choice("課程類別", "course_type", COURSE_TYPES, "依課程內容選填。", width=16),
            _choice("辦理方式", "mode", TRAINING_MODES, "實體、數位或混成。", width=10),
            _date("上課日期", "date", "上課日期。", required=True),
            Column(
                "時數",
                "hours",
                Kind.HOURS,
                True,
                help="本次課程時數，大於 0 且不超過 24，可含小數（例如 1.5）。",
                width=8,
            ),
            _text("備註", "note", "其他說明。", width=20),
        ),
    ),
    Sheet(
        "性平小組成員",
        "members",
        "性別平等執行小組成員（通常由人事室填寫）",
        "列出本所性別平等執行小組成員及其角色。",
        (
            _name("成員姓名。"),
            _GENDER,
            _text("職稱", "title", "現職職稱。", width=14),
            _choice("角色", "role", MEMBER_ROLES, "成員於小組中的角色。", required=True, width=26),
            _text("備註", "note", "其他說明。", width=20),
        ),
    ),
    Sheet(
        "性平小組會議",
        "meetings",
        "性別平等執行小組會議",
        "每次會議一列。",
        (
            _text("會次", "session", "例如「113年第1次會議」。", required=True, width=20),
            _date("開會日期", "date", "會議日期。", required=True),
            _text("主席", "chair", "主席姓名。", width=12),
            *_counts("出席人數", "attendance"),
            _text("決議及精進建議", "resolution", "會議決議及委員精進建議摘要。", width=40),
        ),
    ),
    Sheet(
        "性別影響評估",
        "gia",
        "性別影響評估",
        "本年度辦理之計畫或法規性別影響評估，每案一列。",
        (
            _text("計畫或法規名稱", "name", "計畫或法規名稱。", required=True, width=30),
            _choice("類型", "type", GIA_TYPES, "評估標的類型。", width=12),
            _date("辦理日期", "date", "完成評估日期。", required=True),
            _yesno("諮詢專家學者", "expert", "曾諮詢性別平等專家學者者填「是」"),
            _text("運用之性別統計", "statistics", "評估時運用之性別統計資料。", width=28),
            _text("評估結果及採納情形", "result", "評估結果及意見採納情形。", width=40),
        ),
    ),
    Sheet(
        "性別統計",
        "indicators",
        "性別統計指標",
        "本單位維護之性別統計指標，每一指標一列；人數為最新一期數值。",
        (
            _text("指標名稱", "name", "性別統計指標名稱。", required=True, width=28),
            _choice("指標狀態", "status", INDICATOR_STATES, "既有、新增或修訂。", width=10),
            Column(
                "複分類",
                "cross",
                Kind.DIMENSIONS,
                choices=DIMENSION_SUGGESTIONS,
                help="與性別交叉的變項，例如「年齡」或「年齡、里別」；無複分類填「否」或空白，"
                "有複分類而不列明填「是」。可選可打字。",
                width=16,
            ),
            Column("男", "male", Kind.COUNT, help="男性數值，整數。", width=8, population=True),
            Column("女", "female", Kind.COUNT, help="女性數值，整數。", width=8, population=True),
            Column(
                "其他", "other", Kind.COUNT, help="其他性別數值，整數。", width=8, population=True
            ),
            _text("資料時間", "period", "資料統計時間，例如「113年底」。", width=14),
            _text("應用情形", "application", "應用於政策、方案或宣導之情形。", width=36),
        ),
    ),
    Sheet(
        "性別預算",
        "budget",
        "性別預算",
        "本年度編列之性別預算，每一計畫一列；金額單位為元。",
        (
            _text("計畫名稱", "name", "計畫名稱。", required=True, width=28),
            _choice("預算類別", "category", BUDGET_CATEGORIES, "性別預算類別。", width=12),
            Column("編列數", "allocated", Kind.AMOUNT, help="編列金額（元）。", width=14),
            Column("執行數", "executed", Kind.AMOUNT, help="執行金額（元）。", width=14),
            *_counts("受益人數", "beneficiaries"),
            _text("說明", "note", "預算內容說明。", width=36),
        ),
    ),
    Sheet(
        "CEDAW宣導",
        "cedaw",
        "CEDAW宣導（對象限外部民眾，不含本所公務人員）",
        "對外部對象辦理之 CEDAW 宣導，每場次一列。",
        (
            _text("活動名稱", "name", "宣導活動名稱。", required=True, width=28),
            _date("辦理日期", "date", "辦理日期。", required=True),
            _choice("宣導對象", "audience", CEDAW_AUDIENCES, "限外部對象。", width=14),
            _choice("宣導方式", "method", CEDAW_METHODS, "宣導管道或方式。", width=12),
            _choice("宣導內容", "content", CEDAW_CONTENTS, "宣導之 CEDAW 內容。", width=18),
            *_counts("參與人數", "participants"),
            _REACH,
            _yesno("結合外部資源", "external", "結合民間團體或其他外部資源者填「是」"),
            _text("說明", "note", "活動說明。", width=36),
        ),
    ),
    Sheet(
        "其他性平措施",
        "measures",
        "其他性別平等措施（CEDAW 及性騷擾防治宣導以外）",
        "結合業務辦理之其他性別平等措施，每項一列。",
        (
            _text("措施名稱", "name", "措施名稱。", required=True, width=28),
            _text("對應項目", "item", "對應市府措施項目分工表之項目。", width=20),
            _date("辦理日期", "date", "辦理日期。", required=True),
            _text("媒材", "media", "例如廣播、網路直播、Podcast、專文、刊物。", width=14),
            *_counts("參與人數", "participants"),
            _REACH,
            _text("成果說明", "result", "辦理成果。", width=36),
        ),
    ),
    Sheet(
        "執行成果說明",
        "narratives",
        "執行成果說明（文字將納入成果報告）",
        "依工作項目撰寫本單位辦理情形與檢討精進，文字將直接納入成果報告。",
        (
            _choice(
                "工作項目",
                "item",
                (*WORK_ITEMS, PERIOD_REVIEW_ITEM),
                "計畫之工作項目；「計畫期程總檢討」僅於計畫最末年度填寫整個期程之檢討。",
                required=True,
                width=24,
            ),
            _text("辦理情形", "done", "辦理情形說明。", width=60),
            _text("檢討與精進", "review", "檢討與精進作為。", width=60),
        ),
    ),
)

SHEETS_BY_NAME = MappingProxyType({s.name: s for s in SHEETS})
SHEETS_BY_KEY = MappingProxyType({s.key: s for s in SHEETS})
RETURNED_SHEET = "檢核結果"
"""The first sheet of a marked copy (退回修正): a unit that sends the copy back is read as usual."""
OPTIONS_SHEET = "選項"
"""The blank workbook's hidden sheet of the words each dropdown column accepts (aliases too)
and of each data sheet's count of cells to look at; never read."""
KNOWN_SHEETS = frozenset(
    {INSTRUCTIONS_SHEET, INFO_SHEET, RETURNED_SHEET, OPTIONS_SHEET, *SHEETS_BY_NAME}
)

HEADER_SEARCH_ROWS = 10
"""A reader looks for the header row within this many rows at the top of a sheet."""
