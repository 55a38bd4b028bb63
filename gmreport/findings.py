"""What the report says about the targets: each target's values as people read them, and
the findings of 檢討與精進.

Pure functions of the figures and the declarative target table (`gmreport.targets`), so
the wording can be tested without rendering. Verdicts are judged on the exact figures; the
text never states a figure privacy hides (`figures["suppressed"]`): the 考核 table reads
「—（個資保護）」 and a finding states the verdict alone. Nor does it count 1 or 2 people short
of their hours: they are 「部分人員」 (SPEC §3).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from .figures import GENDER_FIELDS, Figures, TargetResult, TrainingGroupFigures, Units, YearFigures
from .format import NONE, goal_percent, number, percent
from .privacy import PROTECTED_TEXT, hidden, small
from .schema import EVERYONE, GENDERS, WORK_ITEMS
from .targets import (
    DONE,
    INCOMPLETE,
    MET,
    MISSED,
    NOT_DONE,
    NOT_IN_PLAN,
    RATE_TOLERANCE,
    TARGETS_BY_ID,
    InCity,
    Rule,
    Target,
    left_out,
    rate_path,
)

UNDISCLOSED = "依個資保護原則不予揭露"
"""Said of a figure privacy hides, where a finding would state it."""
SOME = "部分人員"
"""Who missed their hours, when saying how many would tell who (SPEC §3)."""


class TargetRow(TypedDict):
    """One row of the report's 考核 table, as text."""

    id: str
    work_item: str  # the work item's name on its first row, "" on the rows after it
    lead_unit: str
    label: str
    source: str  # where the plan states it (「本計畫肆、一、(一)2」), "" for a common rule
    required: str
    actual: str
    met: bool
    verdict: str


def declared(result: TargetResult) -> Target:
    """The table's declaration of a judged target; for an id the table does not have (a
    figures file of another version), a plain one that shows its values as they are."""
    return TARGETS_BY_ID.get(result["id"]) or Target(
        result["id"],
        "",
        Rule.EXACTLY,
        lambda _: result["actual"],
        result["label"],
        "「{label}」未達成（目標值 {required_text}，實際值 {actual_text}）。",
        InCity(result["label"], "", ""),
    )


def _value(value: Any, target: Target, *, goal: bool = False) -> str:
    """A target's figure as text; a `goal` rate as the plan writes it (100%, not 100.0%)."""
    if value is None:
        return NONE
    if target.is_rate:
        return goal_percent(value) if goal else percent(value)
    if isinstance(value, list):
        low, high = value
        return f"{number(low)} 至 {number(high)} {target.unit}".rstrip()
    return f"{number(value)} {target.unit}".rstrip()


def _hides(target: Target, figures: YearFigures) -> bool:
    """Whether privacy hides a figure the target's actual value states."""
    return any(hidden(figures, path) for path in target.stated)


def target_row(result: TargetResult, figures: Figures) -> TargetRow:
    """One row of the 考核 table: label, 目標值, 實際值 as text, and the verdict. `figures`
    exact or as shown: a figure privacy hides reads 「—（個資保護）」."""
    target = declared(result)
    required = _value(result["required"], target, goal=True)
    actual = _value(result["actual"], target)
    match target.rule:
        case Rule.AT_LEAST:
            required = f"至少 {required}"
        case Rule.BALANCE:
            required = f"任一性別至少 {required}"
            members = figures["meetings"]["members"]
            actual = f"男 {number(members['male'])} 人、女 {number(members['female'])} 人"
        case Rule.ALL_PRESENT:
            required = f"{required}各 1 人"
            if result.get("missing"):
                actual = f"{actual}（缺{'、'.join(result['missing'])}）"
        case Rule.RATES_AT_LEAST if len(target.training_groups) > 1:
            required = f"均達 {required}"
            actual = "、".join(
                f"{g['label']} {_rate(figures, key)}" for key, g in _groups(target, figures)
            )
        case Rule.RATES_AT_LEAST:  # one group, which the target names: its rate alone
            actual = "、".join(_rate(figures, key) for key, _ in _groups(target, figures))
    if target.rule is not Rule.RATES_AT_LEAST and _hides(target, figures):
        actual = PROTECTED_TEXT
    if result["required"] is None or result.get("verdict") in (DONE, NOT_DONE):
        required = "應辦理"  # an item the plan asks to be done, without a number
    return {
        "id": result["id"],
        "work_item": result.get("work_item", target.work_item),
        "lead_unit": result.get("lead_unit", ""),
        "label": result["label"],
        "source": "" if target.source == NOT_IN_PLAN else target.source,
        "required": required,
        "actual": actual,
        "met": result["met"],
        "verdict": result.get("verdict", MET if result["met"] else MISSED),
    }


_WORK_ITEM_ORDER = {name: i for i, name in enumerate(WORK_ITEMS)}


def _plan_order(target: Mapping[str, Any]) -> int:
    """Where a target (or its row) stands among the plan's work items; unknown ones last."""
    return _WORK_ITEM_ORDER.get(target.get("work_item", ""), len(_WORK_ITEM_ORDER))


def target_rows(figures: Figures) -> list[TargetRow]:
    """The 考核 table of 目標達成情形: by work item in the plan's order, each row naming its
    work item (a row continued on the next page still says which it belongs to)."""
    return sorted((target_row(t, figures) for t in figures["targets"]), key=_plan_order)


def _groups(target: Target, figures: YearFigures) -> list[tuple[str, TrainingGroupFigures]]:
    """Each training group a rates target judges, by key, that the figures have."""
    groups = figures["training"]["groups"]
    return [(k, groups[k]) for k in target.training_groups if k in groups]


def _rate(figures: YearFigures, group: str) -> str:
    """A training group's 完訓率 (合計) as the 考核 table shows it."""
    if hidden(figures, rate_path(group)):
        return PROTECTED_TEXT
    return percent(figures["training"]["groups"][group]["rate"]["total"])


def _gender_rates(group: str, figures: YearFigures) -> str:
    """「男 95.2%、女 98.1%」: the 完訓率 of each 性別 of a training group that privacy lets
    the report show; 其他 only when someone is counted there."""
    rates = figures["training"]["groups"][group]["rate"]
    return "、".join(
        f"{word} {percent(rates[key])}"
        for key, word in zip(GENDER_FIELDS[:-1], GENDERS, strict=True)  # not the total
        if not hidden(figures, f"training.groups.{group}.rate.{key}")
        and (key != "other" or rates[key] is not None)
    )


def _undisclosed(target: Target, figures: YearFigures) -> str:
    """「完訓率依個資保護原則不予揭露」 of a target's 完訓率 privacy hides, naming the groups
    when a rates target has others shown."""
    groups = _groups(target, figures)
    hidden_ones = [g["label"] for key, g in groups if hidden(figures, rate_path(key))]
    named = "、".join(hidden_ones) if len(hidden_ones) < len(groups) else ""
    return f"{named}完訓率{UNDISCLOSED}"


def _wording(text: str, result: TargetResult, figures: Figures) -> str:
    """A finding's text with the target's values filled in, formatted for people."""
    target = declared(result)
    required, actual = result["required"], result["actual"]
    low, high = required if isinstance(required, list) else (None, None)
    members = figures["meetings"]["members"]
    undisclosed = ""
    if target.rule is Rule.RATES_AT_LEAST:
        detail = "；".join(_short_groups(target, figures))
        if _hides(target, figures):
            undisclosed = f"（{_undisclosed(target, figures)}）"
            detail = detail or _undisclosed(target, figures)  # for `missed_hidden`
    elif _hides(target, figures):
        detail = _undisclosed(target, figures)
    else:
        parts = _gender_rates(EVERYONE.key, figures)
        detail = f"（{parts}）" if parts else ""
    return text.format(
        label=result["label"],
        required_text=_value(required, target),
        actual_text=_value(actual, target),
        required=(goal_percent(required) if target.is_rate else number(required))
        if low is None and required is not None
        else None,
        low=number(low),
        high=number(high),
        actual=percent(actual) if target.is_rate else number(actual),
        missing="、".join(result.get("missing", [])),
        male=number(members["male"]),
        female=number(members["female"]),
        fewer="男性" if members["male"] <= members["female"] else "女性",
        detail=detail,
        undisclosed=undisclosed,
    )


def short_of_hours(group: TrainingGroupFigures, key: str, figures: YearFigures) -> str:
    """「尚有 5 人未達目標時數」, or 「部分人員未達目標時數」 when so few that the count would
    tell who (1 to min_cell − 1), or when privacy hides the counts it is the difference of."""
    counts = (f"training.groups.{key}.{part}.total" for part in ("required", "completed"))
    short = group["required"]["total"] - group["completed"]["total"]
    if any(hidden(figures, path) for path in counts) or small(short, figures):
        return f"{SOME}未達目標時數"
    return f"尚有 {number(short)} 人未達目標時數"


def _short_groups(target: Target, figures: YearFigures) -> list[str]:
    """Each training group of a rates target short of the completion target whose 完訓率 the
    report shows, as a clause. A group whose 完訓率 privacy hides is not named as short:
    with the 性別 shown beside it, that could tell who missed."""
    goal = figures["training"]["completion_rate_target"]
    clauses = []
    for key, g in _groups(target, figures):
        rate = g["rate"]["total"]
        if not isinstance(rate, int | float) or rate >= goal - RATE_TOLERANCE:
            continue  # nobody 應訓, or met
        if hidden(figures, rate_path(key)):
            continue
        parts = _gender_rates(key, figures)
        detail = f"（{parts}）" if parts else ""
        clauses.append(
            f"{g['label']}完訓率 {percent(rate)}{detail}，{short_of_hours(g, key, figures)}"
        )
    return clauses


def missed(result: TargetResult, figures: Figures) -> str:
    """The finding for a target that was not met (or an item not done). `figures` are the
    exact figures (with their `suppressed` list): the finding names the training groups
    that missed, and states no figure privacy hides — the verdict then stands alone."""
    target = declared(result)
    text = target.missed_none if target.missed_none and not result["actual"] else target.missed
    hides = _hides(target, figures)
    if target.rule is Rule.RATES_AT_LEAST:
        hides = hides and not _short_groups(target, figures)
    if hides:
        text = target.missed_hidden or f"「{{label}}」未達成（實際值{UNDISCLOSED}）。"
    return _wording(text, result, figures)


def at_risk(result: TargetResult, figures: Figures) -> str | None:
    """The finding for a met target with no margin left: one change next year would miss it
    (none when it would state a figure privacy hides)."""
    target = declared(result)
    required, actual = result["required"], result["actual"]
    if not target.at_risk or not isinstance(actual, int | float) or _hides(target, figures):
        return None
    if target.rule is Rule.RANGE:
        low, high = required
        text = target.at_risk if actual == low else target.at_risk_high if actual == high else ""
    else:
        text = target.at_risk if actual == required else ""
    return _wording(text, result, figures) if text else None


def why_absent(result: TargetResult, figures: YearFigures) -> str:
    """The units a 資料不全 target waits for, each with why its data is absent:
    「調解委員會未繳交資料、社會課繳交空白表」."""
    units = result.get("incomplete") or []
    return "、".join(f"{u}{_reason(u, figures['units'])}" for u in units)


def incomplete(result: TargetResult, figures: YearFigures) -> str:
    """The finding for a 資料不全 target: which units' data it waits for, in the office's
    voice (SPEC §3 ◆)."""
    because = why_absent(result, figures)
    return f"「{result['label']}」因{because}，本項無法判定是否達成，本所將於資料補齊後再行檢核。"


def _absent_from(result: TargetResult, figures: YearFigures, text: str) -> str:
    """A missed target's finding, with the units its figures leave out (SPEC §3 ◆: every
    全機關 figure says which units it does not hold)."""
    target = TARGETS_BY_ID.get(result["id"])
    units = left_out(target, result.get("lead_unit", ""), figures["units"]) if target else []
    if not units:
        return text
    said = "、".join(f"{u}（{_reason(u, figures['units'])}）" for u in units)
    return f"{text}上開數據不含{said}。"


def _reason(unit: str, units: Units) -> str:
    return "繳交空白表" if unit in units["empty"] else "未繳交資料"


def _by_lead_unit(text: str, result: TargetResult) -> str:
    lead = result.get("lead_unit")
    return f"{text}（主辦單位：{lead}）" if lead else text


def findings(figures: Figures) -> list[str]:
    """The report's 檢討 points, in the plan's order of work items: every target missed or
    item not done (with the units its figures leave out), then every target 資料不全 (the
    units it waits for), then every target met with no margin left, each naming its
    主辦單位; then
    units that did not submit, or sent a blank workbook, and rows left out of the statistics.

    `figures` are the exact figures, not as shown: which groups missed is judged on them."""
    targets = sorted(figures["targets"], key=_plan_order)
    out = [
        _by_lead_unit(_absent_from(t, figures, missed(t, figures)), t)
        for t in targets
        if not t["met"] and t.get("verdict") != INCOMPLETE  # a file of v1 has no verdict
    ]
    out += [
        _by_lead_unit(incomplete(t, figures), t) for t in targets if t.get("verdict") == INCOMPLETE
    ]
    out += [_by_lead_unit(s, t) for t in targets if t["met"] and (s := at_risk(t, figures))]
    for units, what, ask in (
        (figures["units"]["missing"], "未繳交本年度填報資料", "補送"),
        (figures["units"]["empty"], "繳交之填報表未填任何資料", "補正"),
    ):
        if units:
            out.append(
                f"{'、'.join(units)}{what}，其執行成果未納入本報告"
                f"（全機關完訓率等數據僅含已繳交資料之單位），本所將督促其{ask}。"
            )
    excluded = figures["rows"]["excluded"]
    if excluded and figures.get("draft"):  # only a draft is made from data with errors
        out.append(
            f"尚有 {number(excluded)} 筆填報資料因錯誤或不屬本年度而未納入本草稿之統計，"
            "本所將請相關單位依填報檢核結果更正。"
        )
    return out
