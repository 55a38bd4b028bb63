"""The plan's targets (SPEC §3) as one declarative table, and their evaluation.

Each target says where its required value comes from (the config), which figure it
judges, by what rule, and how the report states it and its findings. Aggregate evaluates
the table; the report's targets table and findings only read it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from typing import Any

from .config import Config
from .figures import TargetResult, Units, YearFigures
from .format import goal_percent, number
from .schema import CONVENER, EVERYONE, EX_OFFICIO_ROLES, WORK_ITEMS_BY_KEY, lead_and_support

RATE_TOLERANCE = 1e-9
"""A rate equal to its target up to floating-point noise counts as meeting it."""


class Rule(Enum):
    """How a target's actual figure is judged against its required value."""

    AT_LEAST = "at least"  # actual ≥ required
    RATE_AT_LEAST = "rate at least"  # a rate ≥ required; no rate (nobody counted) is not met
    RANGE = "range"  # low ≤ actual ≤ high
    EXACTLY = "exactly"  # actual = required
    ALL_PRESENT = "all present"  # each of `names` has someone: actual = how many do
    BALANCE = "balance"  # 男 and 女 each ≥ ⌈total / 3⌉: actual = the fewer of them
    RATES_AT_LEAST = "rates at least"  # each rate of `actual` ≥ required: actual = the lowest
    DONE = "done"  # something the plan asks to be done, without a number: actual ≥ 1


MET, MISSED, DONE, NOT_DONE = "達成", "未達成", "已辦理", "未辦理"
"""The verdicts of the 考核 table: a numeric target is 達成 or 未達成; an item the plan asks
to be done without a number is 已辦理 or 未辦理 (SPEC §3)."""
INCOMPLETE = "資料不全"
"""The verdict of a target that its figures would meet (or an item they show done) while
units it depends on are 未繳交 or 繳交空白表: not judged on partial data (SPEC §3 ◆). A
target the partial figures already miss stays 未達成."""
NOBODY = "無應訓人員"
"""The verdict of a group's 完訓率 target when the office has nobody 應訓 in those groups."""
NOT_IN_PLAN = "非本計畫所定，依通例"


@dataclass(frozen=True)
class InCity:
    """How the city's roll-up shows a target: its name (the 目標達成 sheet, the report),
    and the theme sheet and column header of each agency's verdict."""

    name: str
    theme: str  # the name of one of the city's theme sheets (city.THEMES)
    header: str


@dataclass(frozen=True)
class Target:
    """One target of the plan.

    `config` gives the required value from the config (two values for a range); `fixed`
    is a required value the plan fixes itself. `actual` is the judged figure of a year's
    figures: a number (None: a rate of nobody), for ALL_PRESENT the roles' counts, for
    BALANCE the members by gender, for RATES_AT_LEAST the groups' rates (`GroupRates`).
    `city` is how the city's roll-up shows it. `states` are the paths of the staff figures
    its actual value states ("training.groups.all.rate.total"): when privacy hides one, the
    report does not state it, and the verdict stands alone (`missed_hidden`).
    The texts may use {required}, {low}, {high}, {actual}, {missing}, {male},
    {female}, {fewer}, {detail} and {undisclosed} (「（…完訓率依個資保護原則不予揭露）」 or
    nothing), each already formatted for people.
    """

    id: str
    work_item: str
    rule: Rule
    actual: Callable[[YearFigures], Any]
    label: str
    missed: str
    city: InCity
    unit: str = ""
    config: Callable[[Config], tuple[float, ...]] | None = None
    fixed: int | None = None
    names: tuple[str, ...] = ()
    missed_none: str = ""  # the finding when missed with an actual figure of 0
    at_risk: str = ""  # the finding when met with no margin left (at a range's lower end)
    at_risk_high: str = ""  # … at a range's upper end
    source: str = ""  # where the plan states the rule; NOT_IN_PLAN for a common rule
    lead_part: int | None = None  # which of the work item's 主辦單位 (listed with 、) leads this
    done_when_zero: bool = False  # a required 0 makes it an item to do: 已辦理 / 未辦理
    label_done: str = ""  # the label of such an item (or of a DONE target)
    states: tuple[str, ...] = ()  # the figures `actual` states, by path (see privacy.hidden)
    missed_hidden: str = ""  # the finding when missed and a figure it states is hidden
    every_unit: bool = False  # judged on every unit's data (人員名冊, 培力紀錄), not its leads'

    @property
    def is_rate(self) -> bool:
        return self.rule in (Rule.RATE_AT_LEAST, Rule.RATES_AT_LEAST)

    @property
    def training_groups(self) -> tuple[str, ...]:
        """The keys of the training groups whose rates a RATES_AT_LEAST target judges."""
        return self.actual.groups if isinstance(self.actual, GroupRates) else ()

    @property
    def stated(self) -> tuple[str, ...]:
        """The paths of every staff figure the target's actual value states: `states`, and
        the 完訓率 of each training group a RATES_AT_LEAST target judges."""
        return self.states + tuple(rate_path(g) for g in self.training_groups)


def rate_path(group: str) -> str:
    """The path of a training group's 完訓率 (合計) in the figures."""
    return f"training.groups.{group}.rate.total"


@dataclass(frozen=True)
class GroupRates:
    """The 完訓率 (合計) of some training groups: a RATES_AT_LEAST target's actual figures.
    A group a year's figures do not have is left out."""

    groups: tuple[str, ...]

    def __call__(self, figures: YearFigures) -> list[float | None]:
        found = figures["training"]["groups"]
        return [found[g]["rate"]["total"] for g in self.groups if g in found]


MEETINGS, TRAINING, GIA, STATISTICS, CEDAW = (
    WORK_ITEMS_BY_KEY[k].name
    for k in ("meetings", "training", "gia", "statistics_budget", "cedaw_measures")
)


TARGETS = (
    Target(
        "meetings_per_year",
        MEETINGS,
        Rule.AT_LEAST,
        lambda f: f["meetings"]["count"],
        "性平執行小組每年至少召開會議 {required} 次",
        "性平執行小組本年度召開會議 {actual} 次，未達每年至少 {required} 次之目標。",
        InCity("召開性平執行小組會議", "性平小組", "會議目標"),
        unit="次",
        config=lambda c: (c.meetings.min_per_year,),
        at_risk="性平執行小組本年度召開會議 {actual} 次，恰達每年至少 {required} 次之目標，"
        "本所將及早排定下年度會議。",
        source="本計畫肆、一、(一)2",
    ),
    Target(
        "members_range",
        MEETINGS,
        Rule.RANGE,
        lambda f: f["meetings"]["members"]["total"],
        "執行小組置組員 {low} 人至 {high} 人",
        "性平執行小組組員 {actual} 人，未符合置組員 {low} 人至 {high} 人之規定，本所將依規定調整組員。",
        InCity("小組組員人數", "性平小組", "組員人數"),
        unit="人",
        config=lambda c: (c.meetings.members_min, c.meetings.members_max),
        at_risk="性平執行小組組員 {actual} 人，恰為規定下限，組員異動時將即時補實。",
        at_risk_high="性平執行小組組員 {actual} 人，已達規定上限，增派組員前將先行調整。",
        source="本計畫肆、一、(一)1",
        states=("meetings.members.total",),
    ),
    Target(
        "convener",
        MEETINGS,
        Rule.EXACTLY,
        lambda f: f["meetings"]["roles"][CONVENER],
        "置召集人 {required} 人",
        "性平執行小組召集人 {actual} 人，依本計畫應置召集人 {required} 人。",
        InCity("置召集人", "性平小組", "召集人"),
        unit="人",
        fixed=1,
        missed_none="性平執行小組未置召集人，本所將依本計畫指定召集人 {required} 人。",
        source="本計畫肆、一、(一)1",
    ),
    Target(
        "ex_officio",
        MEETINGS,
        Rule.ALL_PRESENT,
        lambda f: f["meetings"]["roles"],
        "人事、會計、調解、研考人員及婦女社會參與促進小組連絡人各 1 人為當然成員",
        "性平執行小組缺少當然成員：{missing}，本所將予補實。",
        InCity("當然成員", "性平小組", "當然成員"),
        unit="類",
        names=EX_OFFICIO_ROLES,
        source="本計畫肆、一、(一)1",
    ),
    Target(
        "gender_balance",
        MEETINGS,
        Rule.BALANCE,
        lambda f: f["meetings"]["members"],
        "任一性別組員不少於三分之一",
        "性平執行小組組員男性 {male} 人、女性 {female} 人，"
        "未符合任一性別不少於三分之一（{required} 人）之規定。",
        InCity("組員任一性別不少於三分之一", "性平小組", "性別比例"),
        unit="人",
        at_risk="性平執行小組{fewer}組員 {actual} 人，恰為三分之一門檻，改派組員時將注意性別比例。",
        source=NOT_IN_PLAN,
        states=("meetings.members.male", "meetings.members.female"),
    ),
    Target(
        "training_completion",
        TRAINING,
        Rule.RATE_AT_LEAST,
        lambda f: f["training"]["groups"][EVERYONE.key]["rate"]["total"],
        "全機關性別意識培力完訓率達 {required}",
        "全機關性別意識培力完訓率 {actual}{detail}，未達 {required} 之目標。",
        InCity("全機關性別意識培力完訓率", "性別意識培力", "全機關完訓率\n目標"),
        config=lambda c: (c.training.completion_rate,),
        source="本計畫肆、二；目標值依市府所訂",
        states=(rate_path(EVERYONE.key),),
        missed_hidden="全機關性別意識培力完訓率未達 {required} 之目標（{detail}）。",
        every_unit=True,
    ),
    Target(
        "training_civil_servants",
        TRAINING,
        Rule.RATES_AT_LEAST,
        GroupRates(("civil_servants", "supervisors", "gender_officers")),
        "公務人員、主管人員及性別業務承辦人完訓率均達 {required}",
        "{detail}，未達 {required} 之目標{undisclosed}。",
        InCity(
            "公務人員、主管人員及性別業務承辦人完訓率", "性別意識培力", "公務人員等\n完訓率目標"
        ),
        config=lambda c: (c.training.completion_rate,),
        source="本計畫肆、二、(一)1",
        lead_part=0,
        missed_hidden="公務人員、主管人員及性別業務承辦人完訓率未達 {required} 之目標（{detail}）。",
        every_unit=True,
    ),
    Target(
        "training_other_staff",
        TRAINING,
        Rule.RATES_AT_LEAST,
        GroupRates(("other_staff",)),
        "職工及自僱非公務人員完訓率達 {required}",
        "{detail}，未達 {required} 之目標{undisclosed}。",
        InCity("職工及自僱非公務人員完訓率", "性別意識培力", "職工等\n完訓率目標"),
        config=lambda c: (c.training.completion_rate,),
        source="本計畫肆、二、(一)2",
        lead_part=1,
        missed_hidden="職工及自僱非公務人員完訓率未達 {required} 之目標（{detail}）。",
        every_unit=True,
    ),
    Target(
        "gia_done",
        GIA,
        Rule.AT_LEAST,
        lambda f: f["gia"]["count"],
        "辦理性別影響評估每年至少 {required} 案",
        "性別影響評估辦理 {actual} 案，未達每年至少 {required} 案之目標。",
        InCity("辦理性別影響評估", "性別影響評估", "辦理情形"),
        unit="案",
        config=lambda c: (c.gia.min_per_year,),
        label_done="研擬重大施政及制定、修正法規時辦理性別影響評估",
        missed_none="本年度未辦理性別影響評估；本所研擬重大施政或制定、修正法規時，將依本計畫辦理。",
        source="本計畫肆、三",
        done_when_zero=True,
    ),
    Target(
        "indicators_reviewed",
        STATISTICS,
        Rule.AT_LEAST,
        lambda f: f["indicators"]["reviewed"],
        "檢討性別統計指標，每年新增或修訂至少 {required} 項",
        "性別統計指標本年度新增或修訂 {actual} 項，未達每年至少 {required} 項之目標，"
        "本所將配合業務檢討新增指標或複分類。",
        InCity("檢討性別統計指標", "性別統計", "檢討目標"),
        unit="項",
        config=lambda c: (c.indicators.min_reviewed,),
        source="本計畫肆、四、(一)1",
    ),
    Target(
        "budget_reviewed",
        STATISTICS,
        Rule.DONE,
        lambda f: f["budget"]["count"],
        "檢視性別預算編列及執行情形",
        "本年度未填報性別預算，本所將由會計室彙整檢視各課室性別預算編列及執行情形。",
        InCity("檢視性別預算", "性別預算", "檢視情形"),
        unit="項",
        source="本計畫肆、四、(四)3",
    ),
    Target(
        "cedaw_sessions",
        CEDAW,
        Rule.AT_LEAST,
        lambda f: f["cedaw"]["sessions"],
        "CEDAW 宣導每年至少 {required} 場次",
        "CEDAW 宣導辦理 {actual} 場次，未達每年至少 {required} 場次之目標。",
        InCity("CEDAW 宣導場次", "CEDAW宣導", "場次目標"),
        unit="場次",
        config=lambda c: (c.cedaw.min_sessions,),
        at_risk="CEDAW 宣導辦理 {actual} 場次，恰達每年至少 {required} 場次之目標，"
        "本所將及早規劃下年度宣導。",
        source="本計畫肆、五、(五)",
    ),
    Target(
        "other_measures",
        CEDAW,
        Rule.AT_LEAST,
        lambda f: f["other_measures"]["designated"],
        "其他性別平等措施每年至少於指定項目提列 {required} 項",
        "其他性別平等措施於指定項目提列 {actual} 項，未達每年至少 {required} 項之目標。",
        InCity("其他性別平等措施", "其他性平措施", "措施目標"),
        unit="項",
        config=lambda c: (c.measures.min_other_measures,),
        at_risk="其他性別平等措施於指定項目提列 {actual} 項，恰達每年至少 {required} 項之目標，"
        "本所將及早規劃下年度措施。",
        source="本計畫肆、五、(五)",
    ),
)
TARGETS_BY_ID: Mapping[str, Target] = MappingProxyType({t.id: t for t in TARGETS})


def evaluate(figures: YearFigures, config: Config) -> list[TargetResult]:
    """Every target of the table, judged on `figures` against the values in `config`."""
    return [evaluate_one(t, figures, config) for t in TARGETS]


def evaluate_one(target: Target, figures: YearFigures, config: Config) -> TargetResult:
    """One target's required value, actual figure, whether it was met, and its verdict."""
    required: Any = list(target.config(config)) if target.config else []
    if target.fixed is not None:
        required = [target.fixed]
    if len(required) == 1:  # a range has two; the others say theirs below
        (required,) = required
    actual = target.actual(figures)
    missing: list[str] | None = None
    match target.rule:
        case Rule.AT_LEAST:
            met = actual >= required
        case Rule.RATE_AT_LEAST:
            met = actual is not None and actual >= required - RATE_TOLERANCE
        case Rule.RATES_AT_LEAST:
            actual = min((r for r in actual if r is not None), default=None)
            # No one 應訓 in its groups (an office without 職工): nothing to miss.
            met = actual is None or actual >= required - RATE_TOLERANCE
        case Rule.RANGE:
            low, high = required
            met = low <= actual <= high
        case Rule.EXACTLY:
            met = actual == required
        case Rule.ALL_PRESENT:
            present = [n for n in target.names if actual.get(n)]
            missing = [n for n in target.names if n not in present]
            required, actual, met = len(target.names), len(present), not missing
        case Rule.BALANCE:
            required = math.ceil(actual["total"] / 3)
            met = actual["total"] > 0 and min(actual["male"], actual["female"]) >= required
            actual = min(actual["male"], actual["female"])
        case Rule.DONE:
            required = None
    done = target.rule is Rule.DONE or (target.done_when_zero and required == 0)
    if done:
        met = actual >= 1
        verdict = DONE if met else NOT_DONE
    elif target.rule is Rule.RATES_AT_LEAST and actual is None:
        verdict = NOBODY
    else:
        verdict = MET if met else MISSED
    # While units are missing (SPEC §3 ◆), a verdict their data could still change is
    # 資料不全. A count ("at least N", done, every role present) can only grow with more
    # data: reached on the partial figures it is reached, short of them it is open. A rate,
    # a range or a balance can move either way: met (or 無應訓人員) on the partial figures it
    # is open, missed it stays missed, as the SPEC says.
    lead = lead_unit(target, config)
    incomplete = left_out(target, lead, figures["units"])
    grows = done or target.rule in (Rule.AT_LEAST, Rule.ALL_PRESENT)
    open_verdicts = (MISSED, NOT_DONE) if grows else (MET, DONE, NOBODY)
    if incomplete and verdict in open_verdicts:
        verdict, met = INCOMPLETE, False
    result: TargetResult = {
        "id": target.id,
        "work_item": target.work_item,
        "lead_unit": lead,
        "label": target.label_done if done and target.label_done else label(target, required),
        "required": required,
        "actual": actual,
        "met": bool(met),
        "verdict": verdict,
    }
    if missing is not None:
        result["missing"] = missing
    if verdict == INCOMPLETE:
        result["incomplete"] = incomplete
    return result


def not_in(units: Units) -> list[str]:
    """The units whose data no figure holds: 未繳交, then 繳交空白表."""
    return [*units["missing"], *units["empty"]]


def lead_names(lead: str) -> list[str]:
    """The units a 主辦單位 text names, 協辦 ones included: 「民政課（協辦：社會課）」 →
    民政課, 社會課; 「人事室、秘書室」 → 人事室, 秘書室."""
    leads, supporting = lead_and_support(lead)
    return leads + supporting


def left_out(target: Target, lead: str, units: Units) -> list[str]:
    """The units 未繳交 or 繳交空白表 whose data the target's figure depends on: every unit
    for a training target (each unit's 人員名冊 and 培力紀錄); for the others, the units that
    lead (or assist in) its work item, whose counts they would have reported. `lead` is the
    target's 主辦單位 as its result states it."""
    absent = not_in(units)
    if target.every_unit:
        return absent
    leads = set(lead_names(lead))
    return [u for u in absent if u in leads]


def lead_unit(target: Target, config: Config) -> str:
    """The target's 主辦單位: its work item's in the config, or the part of it (the plan's
    性別意識培力 has 人事室 for 公務人員 and 秘書室 for 職工)."""
    units = config.lead_units.get(target.work_item, "")
    parts = [u for u in re.split(r"、(?![^（(]*[）)])", units) if u]  # not inside （協辦：…）
    if target.lead_part is not None and len(parts) > target.lead_part:
        return parts[target.lead_part]
    return units


def label(target: Target, required: Any) -> str:
    """The target as the plan states it, with its required value (a whole percentage
    without decimals: 100%), and the note of a rule the plan does not state."""
    note = f"（{NOT_IN_PLAN}）" if target.source == NOT_IN_PLAN else ""
    if isinstance(required, list):
        low, high = required
        return target.label.format(low=number(low), high=number(high)) + note
    shown = goal_percent(required) if target.is_rate else number(required)
    return target.label.format(required=shown) + note
