"""What the report says about the targets: the values as people read them, and findings.

Pure functions of the figures dict, so the wording can be tested without rendering.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

GROUP_ORDER = ("civil_servants", "supervisors", "gender_officers", "other_staff")

# How each target's values read: (unit of the required value, unit of the actual value).
_UNITS = {
    "meetings_per_year": ("次", "次"),
    "members_range": ("人", "人"),
    "convener": ("人", "人"),
    "ex_officio": ("類", "類"),
    "gender_balance": ("人", "人"),
    "cedaw_sessions": ("場次", "場次"),
    "other_measures": ("項", "項"),
}
_AT_LEAST = {"meetings_per_year", "cedaw_sessions", "other_measures"}


def number(value: float | int | None) -> str:
    """A count or amount with thousands separators; at most two decimals, none if whole."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return text
    return f"{int(value):,}"


def percent(rate: float | None) -> str:
    """A fraction as a percentage with one decimal (0.9684 → 96.8%); None → 「—」.

    A rate short of 100% never reads as 100.0%, so a shortfall is never hidden by rounding.
    """
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return "—"
    shown = round(rate * 100, 1)
    if rate < 1 and shown >= 100:
        shown = 99.9
    return f"{shown:.1f}%"


def _is_rate(target: Mapping[str, Any]) -> bool:
    if target.get("id") == "training_completion":
        return True
    values = (target.get("required"), target.get("actual"))
    return "%" in str(target.get("label", "")) and all(
        isinstance(v, float) and 0 <= v <= 1 for v in values if v is not None
    )


def _value(value: Any, unit: str, *, rate: bool) -> str:
    if value is None:
        return "—"
    if rate:
        return percent(value)
    if isinstance(value, list | tuple) and len(value) == 2:
        return f"{number(value[0])} 至 {number(value[1])} {unit}".rstrip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return f"{number(value)} {unit}".rstrip()
    return str(value)


def target_row(target: Mapping[str, Any], figures: Mapping[str, Any]) -> dict[str, Any]:
    """One row of the targets table: label, 目標值, 實際值 as text, and whether it was met."""
    tid = target.get("id", "")
    rate = _is_rate(target)
    req_unit, act_unit = _UNITS.get(tid, ("", ""))
    required = _value(target.get("required"), req_unit, rate=rate)
    actual = _value(target.get("actual"), act_unit, rate=rate)
    if tid in _AT_LEAST:
        required = f"至少 {required}"
    elif tid == "gender_balance":
        required = f"任一性別至少 {required}"
        members = figures.get("meetings", {}).get("members")
        if members:
            actual = f"男 {number(members['male'])} 人、女 {number(members['female'])} 人"
    elif tid == "ex_officio":
        required = f"{required}各 1 人"
        if target.get("missing"):
            actual = f"{actual}（缺{'、'.join(target['missing'])}）"
    return {
        "id": tid,
        "label": target.get("label", tid),
        "required": required,
        "actual": actual,
        "met": bool(target.get("met")),
    }


def target_rows(figures: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The targets table of 參、目標達成情形."""
    return [target_row(t, figures) for t in figures["targets"]]


def _gender_rates(rate: Mapping[str, Any], required: Mapping[str, Any]) -> str:
    parts = [f"男 {percent(rate.get('male'))}", f"女 {percent(rate.get('female'))}"]
    if required.get("other"):
        parts.append(f"其他 {percent(rate.get('other'))}")
    return "、".join(parts)


def _missed(target: Mapping[str, Any], figures: Mapping[str, Any]) -> str:
    tid, req, act = target.get("id"), target.get("required"), target.get("actual")
    members = figures.get("meetings", {}).get("members", {})
    if tid == "meetings_per_year":
        return f"性平執行小組本年度召開會議 {number(act)} 次，未達每年至少 {number(req)} 次之目標。"
    if tid == "members_range" and isinstance(req, list | tuple):
        return (
            f"性平執行小組成員 {number(act)} 人，未符合置組員 {number(req[0])} 人至 "
            f"{number(req[1])} 人之規定，請依規定調整成員。"
        )
    if tid == "convener":
        if not act:
            return "性平執行小組未置召集人，請依本計畫指定召集人 1 人。"
        return f"性平執行小組召集人 {number(act)} 人，依本計畫應置召集人 1 人。"
    if tid == "ex_officio":
        missing = target.get("missing") or []
        if missing:
            return f"性平執行小組缺少當然成員：{'、'.join(missing)}，請補實。"
        return f"性平執行小組當然成員 {number(act)} 類，未達應置之 {number(req)} 類。"
    if tid == "gender_balance":
        return (
            f"性平執行小組成員男性 {number(members.get('male'))} 人、女性 "
            f"{number(members.get('female'))} 人，未符合任一性別不少於三分之一"
            f"（{number(req)} 人）之規定。"
        )
    if tid == "training_completion":
        g = figures.get("training", {}).get("groups", {}).get("all", {})
        detail = f"（{_gender_rates(g['rate'], g['required'])}）" if g.get("rate") else ""
        return f"全機關性別意識培力完訓率 {percent(act)}{detail}，未達 {percent(req)} 之目標。"
    if tid == "cedaw_sessions":
        return f"CEDAW 宣導辦理 {number(act)} 場次，未達每年至少 {number(req)} 場次之目標。"
    if tid == "other_measures":
        return f"其他性別平等措施辦理 {number(act)} 項，未達每年至少 {number(req)} 項之目標。"
    row = target_row(target, figures)
    return f"「{row['label']}」未達成（目標值 {row['required']}，實際值 {row['actual']}）。"


def _at_risk(target: Mapping[str, Any], figures: Mapping[str, Any]) -> str | None:
    """A met target with no margin left: one change next year would miss it."""
    tid, req, act = target.get("id"), target.get("required"), target.get("actual")
    if not isinstance(act, int | float) or isinstance(act, bool):
        return None
    if tid == "members_range" and isinstance(req, list | tuple):
        if act == req[0]:
            return f"性平執行小組成員 {number(act)} 人，恰為規定下限，成員異動時請即時補實。"
        if act == req[1]:
            return f"性平執行小組成員 {number(act)} 人，已達規定上限，增派成員前請先調整。"
        return None
    if act != req:
        return None
    if tid == "gender_balance":
        members = figures.get("meetings", {}).get("members", {})
        fewer = "男性" if members.get("male", 0) <= members.get("female", 0) else "女性"
        return (
            f"性平執行小組{fewer}成員 {number(act)} 人，恰為三分之一門檻，"
            "改派成員時請注意性別比例。"
        )
    if tid == "cedaw_sessions":
        return (
            f"CEDAW 宣導辦理 {number(act)} 場次，恰達每年至少 {number(req)} 場次之目標，"
            "請及早規劃下年度宣導。"
        )
    if tid == "other_measures":
        return (
            f"其他性別平等措施辦理 {number(act)} 項，恰達每年至少 {number(req)} 項之目標，"
            "請及早規劃下年度措施。"
        )
    if tid == "meetings_per_year":
        return (
            f"性平執行小組本年度召開會議 {number(act)} 次，恰達每年至少 {number(req)} 次之目標，"
            "請及早排定下年度會議。"
        )
    return None


def _group_findings(figures: Mapping[str, Any]) -> list[str]:
    training = figures.get("training", {})
    goal = training.get("completion_rate_target", 1.0)
    groups = training.get("groups", {})
    found = []
    for key in GROUP_ORDER:
        g = groups.get(key)
        if not g or g.get("rate", {}).get("total") is None:
            continue
        if g["rate"]["total"] >= goal:
            continue
        short = g["required"]["total"] - g["completed"]["total"]
        found.append(
            f"{g['label']}完訓率 {percent(g['rate']['total'])}"
            f"（{_gender_rates(g['rate'], g['required'])}），"
            f"尚有 {number(short)} 人未達目標時數。"
        )
    return found


def findings(figures: Mapping[str, Any]) -> list[str]:
    """The report's 檢討 points: every target missed, then every one with no margin left,
    every training group short of the completion target, units that did not submit and
    rows left out of the statistics."""
    targets = figures.get("targets", [])
    out = [_missed(t, figures) for t in targets if not t.get("met")]
    out += _group_findings(figures)
    out += [s for t in targets if t.get("met") and (s := _at_risk(t, figures))]
    missing = figures.get("units", {}).get("missing", [])
    if missing:
        out.append(
            f"{'、'.join(missing)}未繳交本年度填報資料，其執行成果未納入本報告，請督促繳交。"
        )
    excluded = figures.get("rows", {}).get("excluded", 0)
    if excluded:
        out.append(
            f"填報資料中有 {number(excluded)} 列未納入統計（詳附件「資料列數核對」），"
            "請相關單位依檢核結果更正。"
        )
    return out
