"""The disclosure audit (SPEC v3 §3 ◆): every published staff figure as a linear constraint
on the agency's people, and each small group's range computed by linear programming."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gmreport.blank_workbook import blank_workbook
from gmreport.config import Config
from gmreport.disclosure import (
    Audit,
    Group,
    _counted,
    _Model,
    _people,
    audit,
    protect,
    protected_groups,
    staff_figures,
    verdicts,
)
from gmreport.pipeline import build
from gmreport.privacy import EVERYONE, Population, figure_at
from gmreport.targets import MISSED

from .conftest import fill, gathered

YEAR = 113
ONE_OTHER = [
    # 20 men and 20 women 公務人員 of 30–49, and one 未滿30歲 約僱人員 of 其他 gender
    *[[f"男{i}", "男", "公務人員", "", "", "30-39歲"] for i in range(20)],
    *[[f"女{i}", "女", "公務人員", "", "", "40-49歲"] for i in range(20)],
    ["獨一", "其他", "約僱人員", "", "", "未滿30歲"],
]
TWO_OTHER = [*ONE_OTHER, ["另一", "其他", "技工", "是", "", "50-59歲"]]
THREE_PEOPLE = [
    ["甲", "男", "公務人員", "是", "", "40-49歲"],
    ["乙", "女", "公務人員", "", "是", "30-39歲"],
    ["丙", "女", "職工", "", "", "50-59歲"],
]
ONE_GENDER = [[f"女{i}", "女", "公務人員", "", "", "30-39歲"] for i in range(12)]


def _figures(
    tmp: Path,
    roster: list[list[Any]],
    short: int = 0,
    config: Config | None = None,
    *,
    written: bool = False,
) -> Any:
    """The exact figures of an agency of `roster`, each with 2 hours (the first `short` 1);
    `written`: the whole build, its outputs in `tmp / "out"` (else its figures alone)."""
    folder = tmp / "in"
    folder.mkdir()
    wb = blank_workbook(agency="高雄市旗津區公所", unit="人事室", year=YEAR, data_rows=60)
    fill(wb["人員名冊"], roster)
    hours = [1 if i < short else 2 for i in range(len(roster))]
    fill(
        wb["培力紀錄"],
        [[r[0], "講座", "CEDAW", "實體", "113/5/1", h] for r, h in zip(roster, hours, strict=True)],
    )
    wb.save(folder / f"{YEAR}年度_人事室.xlsx")
    if written:
        return build(folder, tmp / "out", config or Config(), draft=True).figures
    return gathered(folder, config, draft=True).figures


def _pinned(found: Audit, population: Population, gender: str) -> list[str]:
    return [
        d.what
        for d in found.disclosures
        if isinstance(d.group, Group)
        and d.group.population == population
        and d.group.gender == gender
    ]


def test_the_samples_reports_pass_the_audit(samples_build) -> None:
    """Every build of the samples: no protected group is pinned or confined."""
    for path in sorted(samples_build.out.glob("*統計數據.json")):
        figures = json.loads(path.read_text(encoding="utf-8"))
        found = audit(figures)
        assert found.checked > 0, path.name  # the samples have one 其他 colleague
        assert found.disclosures == (), path.name
        assert found.hidden == len(figures["suppressed"])


def test_the_samples_lose_only_the_totals_a_small_group_would_be_found_through(
    samples_build,
) -> None:
    """The loss of information (SPEC §3 ◆: a cell of many people hidden only where a small
    one would be found through it): each hidden count of `min_cell` or more people is the
    合計 of a row whose small 性別 is hidden, or, down a table that divides the agency, the
    other cell hidden beside one; 男 and 女 of the agency stay shown."""
    for path in sorted(samples_build.out.glob("*統計數據.json")):
        figures = json.loads(path.read_text(encoding="utf-8"))
        found = staff_figures(figures)
        gone = {f for f in found.values() if f.path in set(figures["suppressed"])}
        small_rows = {
            (f.population, f.measure)
            for f in gone
            if f.gender in ("male", "female", "other") and _people(figures, f) < 3
        }
        large = [f for f in gone if _counted(f) and _people(figures, f) >= 3]
        for f in large:
            row_total = f.gender == "total" and (f.population, f.measure) in small_rows
            beside = any(
                g.gender == f.gender
                and g.measure == f.measure
                and g is not f
                and g.population != f.population
                for g in gone
            )
            assert row_total or beside, f.path
        for gender in ("male", "female"):
            assert f"training.groups.all.required.{gender}" not in figures["suppressed"]


def test_hiding_only_the_colleagues_own_cells_is_flagged_at_their_real_figures(
    samples_build,
) -> None:
    """The samples' one 其他 colleague with only their own cells hidden, as a row-by-row
    rule does: 合計 − 男 − 女 gives them back, and the audit pins them at their real
    figures."""
    path = samples_build.out / f"{YEAR}年度統計數據.json"
    figures = json.loads(path.read_text(encoding="utf-8"))
    own = [p for p in figures["suppressed"] if p.endswith(".other")]
    found = audit({**figures, "suppressed": own})
    civil = figures["training"]["groups"]["civil_servants"]
    assert 0 < civil["required"]["other"] < figures["privacy"]["min_cell"]
    pinned = {
        d.what: d.value
        for d in found.disclosures
        if isinstance(d.group, Group)
        and d.group.population == Population(category="civil_servants")
        and d.group.gender == "other"
    }
    assert pinned == {"人數": civil["required"]["other"], "完訓人數": civil["completed"]["other"]}


@pytest.fixture(scope="module")
def one_other(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _figures(tmp_path_factory.mktemp("one"), ONE_OTHER, short=3)


def test_a_table_recoverable_by_subtraction_is_flagged_and_a_protected_one_is_not(
    one_other: Any,
) -> None:
    hidden = protect({**one_other, "suppressed": []})
    protected = audit({**one_other, "suppressed": hidden})
    assert protected.disclosures == ()
    assert protected.checked > 0
    # show the agency's 合計 of 應訓 again: 合計 − 男 − 女 gives the colleague back
    total = "training.groups.all.required.total"
    assert total in hidden
    shown_again = audit({**one_other, "suppressed": [p for p in hidden if p != total]})
    assert "人數" in _pinned(shown_again, EVERYONE, "other")
    # only the colleague's own cells hidden, as a row-by-row rule would: found at once
    own = [p for p in hidden if p.endswith(".other")]
    assert "人數" in _pinned(audit({**one_other, "suppressed": own}), EVERYONE, "other")


def test_the_protection_keeps_men_and_women_comparable(one_other: Any) -> None:
    """With one colleague of 其他, each row's 合計 goes, not its 男 and 女: the counts of the
    large groups that the report exists to compare stay shown."""
    hidden = set(protect({**one_other, "suppressed": []}))
    for part in ("required", "completed"):
        for gender in ("male", "female"):
            assert f"training.groups.all.{part}.{gender}" not in hidden
        assert f"training.groups.all.{part}.other" in hidden
        assert f"training.groups.all.{part}.total" in hidden


def test_the_proof_of_a_disclosure_names_the_figures_one_of_which_must_go(one_other: Any) -> None:
    """`protect` tries only the figures of the linear relaxation's proof: with all the
    others hidden the disclosure still stands, and a 合計 that gives it away is among them."""
    own = [p for p in protect({**one_other, "suppressed": []}) if p.endswith(".other")]
    figures = {**one_other, "suppressed": own}
    exact = {f: figure_at(figures, f.path.split(".")) for f in staff_figures(figures).values()}
    model = _Model(exact, figures["privacy"]["min_cell"], verdicts(figures))
    model.hide({f for f in exact if f.path in own})
    group = next(g for g in protected_groups(figures, exact, 3) if g.population == EVERYONE)
    assert model.discloses(group, "人數")
    proof = model.why(group, "人數")
    assert proof is not None
    assert any(f.gender == "total" and f.measure == "required" for f in proof)
    assert not {f.path for f in proof} & set(own)
    model.hide(set(exact) - proof)
    assert model.discloses(group, "人數")
    model.hide(set(exact))  # and with nothing shown, nothing is known
    assert not model.discloses(group, "人數")


def test_a_verdict_missed_by_one_of_several_groups_is_a_published_fact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """「公務人員、主管人員及性別業務承辦人完訓率均達 95%」 missed, beside a 公務人員 rate and a
    主管 rate that met it, says that the two women 性別業務承辦人 missed: one of them did not
    complete. The audit reads the verdict as "one of the groups at least"; a protection
    chosen without it lets that through."""
    roster = [
        ["承辦甲", "女", "公務人員", "", "是", "40-49歲"],  # short of hours
        ["承辦乙", "女", "公務人員", "", "是", "40-49歲"],
        *[[f"主管{i}", "男", "公務人員", "是", "", "50-59歲"] for i in range(4)],
        *[[f"男{i}", "男", "公務人員", "", "", "30-39歲"] for i in range(20)],
        *[[f"女{i}", "女", "公務人員", "", "", "40-49歲"] for i in range(20)],
    ]
    hours = {"hours_supervisor": 2, "hours_gender_officer": 2, "completion_rate": 0.95}
    config = replace(Config(), training=replace(Config().training, **hours))
    figures = _figures(tmp_path, roster, short=1, config=config)
    verdict = next(t for t in figures["targets"] if t["id"] == "training_civil_servants")
    assert verdict["verdict"] == MISSED
    groups = figures["training"]["groups"]
    assert (
        groups["civil_servants"]["rate"]["total"] >= 0.95 <= groups["supervisors"]["rate"]["total"]
    )
    found = audit({**figures, "suppressed": protect({**figures, "suppressed": []})})
    assert found.disclosures == ()
    officers = Population(gender_officer=True)
    assert any(
        g.population == officers
        for g in protected_groups(figures, staff_figures(figures).values(), 3)
    )

    def without_several(f: Any) -> list[Any]:
        return [v for v in verdicts(f) if v[2] or len(v[0]) == 1]

    monkeypatch.setattr("gmreport.disclosure.verdicts", without_several)
    blind = protect({**figures, "suppressed": []})
    monkeypatch.undo()
    assert "未完訓人數" in _pinned(audit({**figures, "suppressed": blind}), officers, "female")


@pytest.mark.parametrize(
    "roster",
    [TWO_OTHER, THREE_PEOPLE, ONE_GENDER],
    ids=["two-other", "three-people", "one-gender"],
)
def test_the_chosen_protection_passes_the_audit(roster: list[list[Any]], tmp_path: Path) -> None:
    figures = _figures(tmp_path, roster, short=1)
    hidden = protect({**figures, "suppressed": []})
    found = audit({**figures, "suppressed": hidden})
    assert found.disclosures == ()
    men = sum(r[1] == "男" for r in roster)
    if not 0 < men < 3:  # no small group of men: their figures of the agency stay
        assert "training.groups.all.required.male" not in hidden
    if roster is ONE_GENDER:  # nobody to protect: nothing hidden
        assert hidden == [] and found.hidden == 0


STAFF_TYPES = ("公務人員", "約僱人員", "技工", "臨時人員")
AGES = ("未滿30歲", "30-39歲", "40-49歲", "50-59歲", "60歲以上", "")
PERSON = st.tuples(
    st.sampled_from(("男", "女", "其他")),
    st.sampled_from(STAFF_TYPES),
    st.sampled_from(("是", "")),
    st.sampled_from(("是", "")),
    st.sampled_from(AGES),
    st.booleans(),
)


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(people=st.lists(PERSON, min_size=1, max_size=14))
def test_random_agencies_pass_the_audit(people: list[tuple[Any, ...]], tmp_path_factory) -> None:
    """Agencies of any mix of 性別, staff type, 主管, 承辦人 and age, some short of hours:
    what the build hides passes the audit, which every build of the suite runs."""
    roster = [
        [f"員{i}", g, kind, boss, officer, age]
        for i, (g, kind, boss, officer, age, _) in enumerate(people)
    ]
    short = sum(1 for *_, s in people if s)
    ordered = [r for r, p in zip(roster, people, strict=True) if p[-1]] + [
        r for r, p in zip(roster, people, strict=True) if not p[-1]
    ]
    figures = _figures(tmp_path_factory.mktemp("random"), ordered, short=short)
    found = audit(figures)
    assert found.disclosures == ()
    assert found.hidden == len(figures["suppressed"])
