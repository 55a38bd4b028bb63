"""What the report says about the targets: each target's values as people read them, and
the findings of 檢討與精進.

Pure functions of the figures and the declarative target table (`gmreport.targets`), so
the wording can be tested without rendering.
"""

from __future__ import annotations

from typing import Any, TypedDict

from ..figures import Figures, GenderRates, Genders, TargetResult
from ..format import NONE, number, percent
from ..schema import EVERYONE, TRAINING_GROUPS
from ..targets import RATE_TOLERANCE, TARGETS_BY_ID, Rule, Target


class TargetRow(TypedDict):
    """One row of the report's targets table, as text."""

    id: str
    label: str
    required: str
    actual: str
    met: bool


def declared(result: TargetResult) -> Target:
    """The table's declaration of a judged target; for an id the table does not have (a
    figures file of another version), a plain one that shows its values as they are."""
    return TARGETS_BY_ID.get(result["id"]) or Target(
        result["id"],
        "",
        Rule.EXACTLY,
        "",
        result["label"],
        "「{label}」未達成（目標值 {required_text}，實際值 {actual_text}）。",
    )


def _value(value: Any, target: Target) -> str:
    if value is None:
        return NONE
    if target.is_rate:
        return percent(value)
    if isinstance(value, list):
        low, high = value
        return f"{number(low)} 至 {number(high)} {target.unit}".rstrip()
    return f"{number(value)} {target.unit}".rstrip()


def target_row(result: TargetResult, figures: Figures) -> TargetRow:
    """One row of the targets table: label, 目標值, 實際值 as text, and whether it was met."""
    target = declared(result)
    required = _value(result["required"], target)
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
    return {
        "id": result["id"],
        "label": result["label"],
        "required": required,
        "actual": actual,
        "met": result["met"],
    }


def target_rows(figures: Figures) -> list[TargetRow]:
    """The targets table of 參、目標達成情形."""
    return [target_row(t, figures) for t in figures["targets"]]


def _gender_rates(rate: GenderRates, required: Genders) -> str:
    parts = [f"男 {percent(rate['male'])}", f"女 {percent(rate['female'])}"]
    if required["other"]:
        parts.append(f"其他 {percent(rate['other'])}")
    return "、".join(parts)


def _wording(text: str, result: TargetResult, figures: Figures) -> str:
    """A finding's text with the target's values filled in, formatted for people."""
    target = declared(result)
    required, actual = result["required"], result["actual"]
    low, high = required if isinstance(required, list) else (None, None)
    members = figures["meetings"]["members"]
    everyone = figures["training"]["groups"][EVERYONE.key]
    shown = percent if target.is_rate else number
    return text.format(
        label=result["label"],
        required_text=_value(required, target),
        actual_text=_value(actual, target),
        required=shown(required) if low is None else None,
        low=number(low),
        high=number(high),
        actual=shown(actual),
        missing="、".join(result.get("missing", [])),
        male=number(members["male"]),
        female=number(members["female"]),
        fewer="男性" if members["male"] <= members["female"] else "女性",
        detail=f"（{_gender_rates(everyone['rate'], everyone['required'])}）",
    )


def missed(result: TargetResult, figures: Figures) -> str:
    """The finding for a target that was not met."""
    target = declared(result)
    text = target.missed_none if target.missed_none and not result["actual"] else target.missed
    return _wording(text, result, figures)


def at_risk(result: TargetResult, figures: Figures) -> str | None:
    """The finding for a met target with no margin left: one change next year would miss it."""
    target = declared(result)
    required, actual = result["required"], result["actual"]
    if not target.at_risk or not isinstance(actual, int | float):
        return None
    if target.rule is Rule.RANGE:
        low, high = required
        text = target.at_risk if actual == low else target.at_risk_high if actual == high else ""
    else:
        text = target.at_risk if actual == required else ""
    return _wording(text, result, figures) if text else None


def _group_findings(figures: Figures) -> list[str]:
    training = figures["training"]
    goal = training["completion_rate_target"]
    found = []
    for group in TRAINING_GROUPS:
        g = training["groups"][group.key]
        rate = g["rate"]["total"]
        if group is EVERYONE or rate is None or rate >= goal - RATE_TOLERANCE:
            continue
        short = g["required"]["total"] - g["completed"]["total"]
        found.append(
            f"{g['label']}完訓率 {percent(g['rate']['total'])}"
            f"（{_gender_rates(g['rate'], g['required'])}），"
            f"尚有 {number(short)} 人未達目標時數。"
        )
    return found


def findings(figures: Figures) -> list[str]:
    """The report's 檢討 points: every target missed, then every training group short of the
    completion target, every target met with no margin left, units that did not submit and
    rows left out of the statistics."""
    targets = figures["targets"]
    out = [missed(t, figures) for t in targets if not t["met"]]
    out += _group_findings(figures)
    out += [s for t in targets if t["met"] and (s := at_risk(t, figures))]
    missing = figures["units"]["missing"]
    if missing:
        out.append(
            f"{'、'.join(missing)}未繳交本年度填報資料，其執行成果未納入本報告，請督促繳交。"
        )
    empty = figures["units"]["empty"]
    if empty:
        out.append(
            f"{'、'.join(empty)}繳交之填報表未填任何資料，其執行成果未納入本報告，請督促補正。"
        )
    excluded = figures["rows"]["excluded"]
    if excluded:
        out.append(
            f"填報資料中有 {number(excluded)} 列未納入統計（詳附件「資料列數核對」），"
            "請相關單位依檢核結果更正。"
        )
    return out
