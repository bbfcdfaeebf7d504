"""The rules configuration: packaged defaults with status and source per parameter, user files
deep-merged, coded errors naming line and key, calendar extension years."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checks.registry import all_checks
from checks.rules import (
    STATUSES,
    build_calendar,
    deep_merge,
    default_rules,
    load_rules,
    make_context,
    param_meta,
)
from pipeline.core.errors import CalendarMissingYear, RulesError


def _leaves(node, at=()):
    if isinstance(node, dict) and node:
        for k, v in node.items():
            yield from _leaves(v, at + (str(k),))
    else:
        yield ".".join(at), node


def test_rules_defaults_are_plain_values() -> None:
    r = load_rules()
    assert r["checks"]["DEC-01"]["limit_days"] == 90
    assert r["thresholds"]["hearing"] == {"individual": 5000, "organisation": 50000,
                                          "penalty_kinds": r["thresholds"]["hearing"]["penalty_kinds"]}
    assert r["thresholds"]["simple"] == {"individual": 200, "organisation": 3000}
    assert r["checks"]["SIM-03"]["max_on_spot_yuan"] == 100
    assert r["checks"]["HRG-02"]["window_workdays"] == 5
    assert r["checks"]["SRV-01"] == {"limit_workdays": 7, "measure": "dispatch"}
    assert r["checks"]["PAY-01"]["limit_days"] == 15
    assert r["checks"]["EVD-02"]["limit_workdays"] == 7
    assert r["checks"]["LIM-01"]["limit_years"] == 2 and r["checks"]["LIM-01"]["extended_limit_years"] == 5
    assert r["checks"]["DEC-03"]["reconsideration_bodies"] == ["上海市青浦区人民政府", "青浦区人民政府"]
    assert load_rules() is load_rules()  # cached, not re-read per check


def test_rules_every_parameter_has_status_and_source() -> None:
    r = default_rules()
    for section in ("checks", "thresholds", "party", "applicability", "calendar"):
        for dotted, _value in _leaves(r[section], (section,)):
            if dotted.startswith("calendar.years") or dotted.count(".") < 1:
                continue
            if section == "checks" and dotted.count(".") < 2:
                continue  # a check with no parameters ({})
            meta = param_meta(r, dotted)
            if not meta:  # inside a mapping-valued parameter: its parent carries the status
                parent = dotted.rsplit(".", 1)[0]
                while parent and not param_meta(r, parent):
                    parent = parent.rsplit(".", 1)[0] if "." in parent else ""
                meta = param_meta(r, parent)
            assert meta.get("status") in STATUSES, f"{dotted} has no status"
            assert meta.get("source"), f"{dotted} has no source"


@pytest.mark.parametrize("dotted", ["checks.FIL-02.limit_workdays", "checks.CLS-01.limit_days",
                                    "checks.SRV-01.measure", "checks.DOC-01.required",
                                    "party.individual_business_as", "calendar.rollover_weekends"])
def test_rules_unconfirmed_values_are_marked(dotted: str) -> None:
    assert param_meta(default_rules(), dotted)["status"] == "UNCONFIRMED"


def test_rules_every_single_file_check_has_a_section() -> None:
    checks = default_rules()["checks"]
    missing = [i for i, s in all_checks().items() if not s.cross and i not in checks]
    assert not missing


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "rules.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_rules_user_file_deep_merged(tmp_path: Path) -> None:
    p = _write(tmp_path, "checks:\n  DEC-01:\n    limit_days: 60\n  DEC-03:\n    reconsideration_bodies: [青浦区政府]\n"
                         "thresholds:\n  hearing:\n    individual: 3000\n")
    r = load_rules(p)
    assert r["checks"]["DEC-01"]["limit_days"] == 60
    assert r["checks"]["DEC-01"]["outcomes"] == ["penalized", "not_penalized", "pending"]  # kept
    assert r["checks"]["DEC-03"]["reconsideration_bodies"] == ["青浦区政府"]  # lists replaced
    assert r["thresholds"]["hearing"]["individual"] == 3000
    assert r["thresholds"]["hearing"]["organisation"] == 50000
    assert param_meta(r, "checks.DEC-01.limit_days") == {"status": "USER", "source": str(p)}
    assert param_meta(r, "checks.DEC-01.outcomes")["status"] == "CONFIRMED"
    assert default_rules()["checks"]["DEC-01"]["limit_days"] == 90  # defaults untouched


def test_rules_user_file_full_form_and_enable_switch(tmp_path: Path) -> None:
    p = _write(tmp_path, "checks:\n  CLS-01:\n    limit_days: {value: 120, status: SECONDARY, source: 区局通知}\n"
                         "  REC-01:\n    enabled: false\n    severity: info\n")
    r = load_rules(p)
    assert r["checks"]["CLS-01"]["limit_days"] == 120
    assert param_meta(r, "checks.CLS-01.limit_days") == {"status": "SECONDARY", "source": "区局通知"}
    assert r["checks"]["REC-01"]["enabled"] is False
    ctx = make_context(r)
    assert ctx.params("REC-01")["severity"] == "info"


def test_rules_empty_user_file_gives_defaults(tmp_path: Path) -> None:
    assert load_rules(_write(tmp_path, "# nothing\n")) is default_rules()


@pytest.mark.parametrize("text, line, key, words", [
    ("checks:\n  DEC-99:\n    limit_days: 60\n", 2, "checks.DEC-99", "不是已知的检查项编号"),
    ("checks:\n  DEC-01:\n    limit_dayz: 60\n", 3, "checks.DEC-01.limit_dayz", "不是 DEC-01 的已知参数"),
    ("checks:\n  DEC-01:\n    limit_days: ninety\n", 3, "checks.DEC-01.limit_days", "应为数字"),
    ("checks:\n  DEC-01:\n    outcomes: penalized\n", 3, "checks.DEC-01.outcomes", "应为列表"),
    ("checks:\n  DEC-04:\n    severity: fatal\n", 3, "checks.DEC-04.severity", "应为 veto/major/minor/info"),
    ("\n\nthresholds:\n  hearing:\n    individual: -5\n", 5, "thresholds.hearing.individual", "不能为负数"),
    ("calendar:\n  rollover: maybe\n", 2, "calendar.rollover", "应为 true 或 false"),
    ("calendar:\n  years:\n    2031:\n      holidays: [2031-01-01, 2031-13-01]\n", 4,
     "calendar.years.2031.holidays.1", "YYYY-MM-DD"),
    ("calendar:\n  years:\n    2031:\n      holidays: [2030-12-31]\n", 4, "calendar.years.2031.holidays.0",
     "不在 2031 年"),
    ("calendar:\n  years:\n    next: {holidays: []}\n", 3, "calendar.years.next", "四位整数"),
    ("checks:\n  DEC-01:\n    limit_days: {value: 60, status: MAYBE}\n", 3, "checks.DEC-01.limit_days.status",
     "CONFIRMED"),
    ("colour: red\n", 1, "colour", "不是已知的配置项"),
    ("- a\n- b\n", 1, "(文件)", "顶层应为映射"),
])
def test_rules_bad_user_file_names_line_and_key(tmp_path: Path, text: str, line: int, key: str, words: str) -> None:
    p = _write(tmp_path, text)
    with pytest.raises(RulesError) as err:
        load_rules(p)
    assert err.value.code == "E302"
    assert err.value.kwargs["line"] == line
    assert err.value.kwargs["key"] == key
    assert words in str(err.value)
    assert str(err.value).startswith(f"[E302] 规则文件 {p} 第 {line} 行")


def test_rules_yaml_syntax_error_is_e301_with_line(tmp_path: Path) -> None:
    p = _write(tmp_path, "checks:\n  DEC-01: [unclosed\n")
    with pytest.raises(RulesError) as err:
        load_rules(p)
    assert err.value.code == "E301" and "行" in str(err.value)


def test_rules_missing_file_is_e301(tmp_path: Path) -> None:
    with pytest.raises(RulesError) as err:
        load_rules(tmp_path / "nope.yaml")
    assert err.value.code == "E301"


def test_rules_cross_check_parameters_pass_through(tmp_path: Path) -> None:
    r = load_rules(_write(tmp_path, "checks:\n  MIS-01:\n    window_days: 45\n"))
    assert r["checks"]["MIS-01"]["window_days"] == 45


def test_rules_calendar_extension_years(tmp_path: Path) -> None:
    default = build_calendar(default_rules())
    with pytest.raises(CalendarMissingYear):
        default.is_workday(dt.date(2031, 1, 1))
    p = _write(tmp_path, "calendar:\n  years:\n    2031:\n      holidays: [2031-01-01, 2031-01-02]\n"
                         "      workdays: [2031-01-04]\n")
    cal = build_calendar(load_rules(p))
    assert cal.covers(2031)
    assert not cal.is_workday(dt.date(2031, 1, 1))      # Wednesday, declared holiday
    assert cal.is_workday(dt.date(2031, 1, 4))          # Saturday, declared 调休 workday
    assert cal.is_workday(dt.date(2031, 1, 3))          # ordinary Friday
    assert cal.add_workdays(dt.date(2030, 12, 31) + dt.timedelta(days=1), 1) == dt.date(2031, 1, 3)
    assert cal.is_workday(dt.date(2024, 9, 29))         # shipped years kept


def test_rules_weekend_rollover_setting(tmp_path: Path) -> None:
    cal = build_calendar(load_rules(_write(tmp_path, "calendar:\n  rollover_weekends: false\n")))
    # 2024-06-08 is an ordinary Saturday: no roll-over when weekends are not 法定休假日
    assert cal.add_days(dt.date(2024, 5, 9), 30) == dt.date(2024, 6, 8)
    assert build_calendar(default_rules()).add_days(dt.date(2024, 5, 9), 30) == dt.date(2024, 6, 11)


def test_rules_deep_merge_does_not_mutate() -> None:
    base = {"a": {"b": 1, "c": [1, 2]}}
    out = deep_merge(base, {"a": {"c": [3]}})
    assert out == {"a": {"b": 1, "c": [3]}} and base == {"a": {"b": 1, "c": [1, 2]}}


def test_rules_make_context_defaults() -> None:
    ctx = make_context(review_date="2024-06-30")
    assert ctx.params("DEC-01")["limit_days"] == 90
    assert ctx.review_date == "2024-06-30"
    assert ctx.calendar.is_workday(dt.date(2024, 9, 29))
