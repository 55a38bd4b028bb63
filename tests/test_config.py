import math
from dataclasses import fields

import pytest

from gmreport.config import (
    DEFAULT_UNITS,
    SECTIONS,
    Config,
    Limits,
    config_from_dict,
    load_config,
)
from gmreport.problems import UsageError
from gmreport.schema import WORK_ITEM_LIST


def test_defaults_serve_qijin():
    config = load_config(None)
    assert config.agency == "高雄市旗津區公所"
    assert config.units == DEFAULT_UNITS
    assert config.training.hours_gender_officer == 6
    assert (config.meetings.members_min, config.meetings.members_max) == (7, 13)


def test_a_file_overrides_what_it_names(tmp_path):
    path = tmp_path / "gmreport.toml"
    path.write_text(
        'agency = "臺南市東區區公所"\nunits = ["民政課", "人事室"]\n'
        "[training]\nhours_general = 3\ncompletion_rate = 0.9\n[cedaw]\nmin_sessions = 3\n",
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.agency == "臺南市東區區公所"
    assert config.units == ("民政課", "人事室")
    assert config.training.hours_general == 3
    assert config.training.hours_supervisor == Config().training.hours_supervisor
    assert config.training.completion_rate == 0.9
    assert config.cedaw.min_sessions == 3


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"agencyy": "x"}, "agencyy"),
        ({"training": {"hours": 2}}, "hours"),
        ({"training": {"hours_general": "2"}}, "training.hours_general"),
        ({"meetings": {"members_min": 1.5}}, "meetings.members_min"),
        ({"meetings": {"members_min": True}}, "meetings.members_min"),
        ({"meetings": {"members_min": 14}}, "members_min"),
        ({"training": {"completion_rate": 1.5}}, "training.completion_rate"),
        ({"training": {"hours_supervisor": 0}}, "training.hours_supervisor"),
        ({"cedaw": {"min_sessions": -1}}, "cedaw.min_sessions"),
        ({"units": "民政課"}, "units"),
        ({"units": []}, "units"),
        ({"units": ["民政課", "民政課"]}, "units"),
        ({"cedaw": 2}, "cedaw"),
        ({"lead_units": {"性別意識培訓": "人事室"}}, "lead_units.性別意識培訓"),
        ({"lead_units": {"性別影響評估": ""}}, "lead_units.性別影響評估"),
        ({"lead_units": "人事室"}, "lead_units"),
        ({"measures": {"designated_items": "刊物"}}, "measures.designated_items"),
        ({"measures": {"designated_items": ["刊物", 3]}}, "measures.designated_items"),
        ({"privacy": {"min_cell": 0}}, "privacy.min_cell"),
        ({"gia": {"min_per_year": -1}}, "gia.min_per_year"),
        ({"indicators": {"min_reviewed": -1}}, "indicators.min_reviewed"),
        ({"plan": {"first_year": 117}}, "plan.first_year"),
        ({"plan": {"last_year": 10**6}}, "plan.last_year"),
        ({"training": {"hours_general": 1e30}}, "training.hours_general"),
        ({"training": {"hours_general": math.nan}}, "training.hours_general"),
        ({"training": {"hours_other_staff": math.inf}}, "training.hours_other_staff"),
        ({"training": {"min_service_days": 10**30}}, "training.min_service_days"),
        ({"meetings": {"members_max": 10**20}}, "meetings.members_max"),
        ({"cedaw": {"min_sessions": 10**20}}, "cedaw.min_sessions"),
        ({"privacy": {"min_cell": 10**9}}, "privacy.min_cell"),
    ],
)
def test_config_errors_name_the_key(data, named):
    with pytest.raises(UsageError) as e:
        config_from_dict(data)
    assert named in str(e.value)
    assert e.value.exit_code == 2


def test_unreadable_config_files(tmp_path):
    with pytest.raises(UsageError, match="找不到設定檔"):
        load_config(tmp_path / "none.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("agency = \n", encoding="utf-8")
    with pytest.raises(UsageError, match="格式錯誤"):
        load_config(bad)


@pytest.mark.parametrize(
    ("text", "line", "fixed"),
    [
        (
            '[aliases.人員類別]\n"替代役" = "自僱非公務人員"\n',
            "[aliases.人員類別]",
            '[aliases."人員類別"]',
        ),
        (
            '[aliases."人員類別"]\n替代役 = "自僱非公務人員"\n',
            "替代役",
            '"替代役" = "自僱非公務人員"',
        ),
        ('[aliases.性別]\nM = "男"\n', "[aliases.性別]", '[aliases."性別"]'),
        ('[lead_units]\n性別影響評估 = "秘書室"\n', "性別影響評估", '"性別影響評估" = "秘書室"'),
    ],
)
def test_a_chinese_key_without_quotes_gets_the_quoted_form(tmp_path, text, line, fixed):
    path = tmp_path / "gmreport.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as e:
        load_config(path)
    assert line in str(e.value) and f"「{fixed}」" in str(e.value)
    # The line as the message writes it is what TOML reads.
    lines = [fixed if ln.startswith(line) else ln for ln in text.splitlines()]
    path.write_text("\n".join(lines), encoding="utf-8")
    load_config(path)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('agency = "高雄市旗津區公所\\u0007"\n', "agency"),
        ('units = ["民政課", "人事\\u001b室"]\n', "units"),
        ('[aliases."人員類別"]\n"替代\\u0000役" = "自僱非公務人員"\n', "aliases.人員類別"),
        ('[report]\nself_name = "本所\\u0085"\n', "report.self_name"),
        (f'units = ["{"民政課" * 40}"]\n', "units"),
        (f'agency = "{"高" * 101}"\n', "agency"),
    ],
)
def test_control_characters_and_overlong_texts_in_the_config_are_named(tmp_path, text, key):
    path = tmp_path / "gmreport.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as e:
        load_config(path)
    assert f"設定檔「{key}」" in str(e.value)
    assert e.value.exit_code == 2


def test_report_template_is_taken_from_the_config_files_folder(tmp_path):
    folder = tmp_path / "人事室設定"
    folder.mkdir()
    (folder / "我的範本.docx").write_bytes(b"a copy edited in Word")
    path = folder / "gmreport.toml"
    path.write_text('report_template = "我的範本.docx"\n', encoding="utf-8")
    assert load_config(path).report_template == folder / "我的範本.docx"
    assert load_config(None).report_template is None


@pytest.mark.parametrize(
    ("value", "message"), [('"範本.doc"', "Word 文件（.docx）"), ("3", "須為文字")]
)
def test_a_bad_report_template_names_the_key(tmp_path, value, message):
    (tmp_path / "範本.doc").write_bytes(b"old Word")
    path = tmp_path / "gmreport.toml"
    path.write_text(f"report_template = {value}\n", encoding="utf-8")
    with pytest.raises(UsageError, match=f"report_template.*{message}"):
        load_config(path)


def test_the_plans_sections_have_the_plans_defaults_and_can_be_changed():
    config = Config()
    assert (config.plan.first_year, config.plan.last_year) == (113, 116)
    assert config.lead_units["性別統計與性別預算"] == "會計室"
    assert (config.gia.min_per_year, config.indicators.min_reviewed, config.privacy.min_cell) == (
        0,
        1,
        3,
    )
    changed = config_from_dict(
        {
            "lead_units": {"性別影響評估": "研考"},
            "measures": {"designated_items": [" 提報性別平等專章 "]},
            "privacy": {"min_cell": 5},
        }
    )
    assert changed.lead_units["性別影響評估"] == "研考"
    assert changed.lead_units["性平執行小組會議"] == "人事室"  # the rest stay the plan's
    assert changed.measures.designated_items == ("提報性別平等專章",)
    assert changed.privacy.min_cell == 5


def test_a_toml_file_with_an_absurd_number_is_a_config_error(tmp_path):
    path = tmp_path / "gmreport.toml"
    for value in ("1e30", "nan", "inf", "-inf", "0"):
        path.write_text(f"[training]\nhours_general = {value}\n", encoding="utf-8")
        with pytest.raises(UsageError, match=r"training\.hours_general") as e:
            load_config(path)
        assert e.value.exit_code == 2


@pytest.mark.parametrize("section", sorted(SECTIONS))
def test_every_number_of_the_config_declares_its_limits_and_its_default_keeps_them(section):
    cls = SECTIONS[section]
    for f in fields(cls):
        if str(f.type) in ("int", "float"):
            limits = f.metadata.get("limits")
            assert isinstance(limits, Limits), f"{section}.{f.name}"
            assert limits.admits(getattr(cls(), f.name)), f"{section}.{f.name}"
            assert math.isfinite(limits.high)


def test_a_limit_message_says_the_range_and_the_value():
    with pytest.raises(UsageError) as e:
        config_from_dict({"training": {"completion_rate": 1.5}})
    assert str(e.value) == (
        "設定檔「training.completion_rate」須大於 0，且不超過 1（1 代表 100%），目前是「1.5」。"
    )


def test_the_lead_units_default_to_the_work_items_own():
    assert dict(Config().lead_units) == {w.name: w.lead_unit for w in WORK_ITEM_LIST}
    assert set(Config().lead_units) == {w.name for w in WORK_ITEM_LIST}
