"""Issue 14 §1: a year the calendar data lacks never fails a run; it is an estimate.

Expected dates are worked by hand from the weekday of each date (``cal``) and the statutory
holidays the ``holidays`` package gives for China in 2027 (元旦 01-01, 春节 02-05…02-10, 清明
04-05, 劳动节 05-01…05-04, 端午 06-09, 中秋 09-15, 国庆 10-01…10-05).
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from checks.rules import build_calendar, default_rules, load_rules
from pipeline.core.workdays import WorkCalendar, estimate_notice, estimate_unverified, estimated_holidays
from pipeline.write.opinion import reply_deadline

D = dt.date
CAL = WorkCalendar.default()


def test_calendar_years_2027_is_estimated_not_an_error() -> None:
    assert CAL.is_official(2026) and not CAL.is_estimated(2026)
    assert CAL.is_estimated(2027) and CAL.covers(2027)
    assert not CAL.is_workday(D(2027, 1, 1))        # Friday, 元旦
    assert CAL.is_workday(D(2027, 1, 4))            # Monday
    assert not CAL.is_workday(D(2027, 2, 8))        # Monday inside 春节
    assert not CAL.is_workday(D(2027, 2, 6))        # Saturday
    assert CAL.is_statutory_holiday(D(2027, 10, 1))
    assert not CAL.is_statutory_holiday(D(2027, 10, 9))   # a plain Saturday


def test_calendar_years_the_holidays_package_knows_2027_offline() -> None:
    days = estimated_holidays(2027)
    assert {D(2027, 1, 1), D(2027, 2, 6), D(2027, 5, 1), D(2027, 10, 1)} <= days
    assert len({d for d in days if d.weekday() < 5}) >= 10


@pytest.mark.parametrize("start,n,expected", [
    # 12-29, 12-30, 12-31 = 3; 01-01 元旦; 01-04..01-08 = 8; 01-11 = 9; 01-12 = 10
    ("2026-12-28", 10, "2027-01-12"),
    # 02-01..02-04 = 4; 02-05..02-10 春节 (02-06/07 weekend); 02-11, 02-12 = 6; 02-15 = 7
    ("2027-01-29", 7, "2027-02-15"),
])
def test_calendar_years_workdays_across_an_estimated_year(start: str, n: int, expected: str) -> None:
    assert CAL.add_workdays(D.fromisoformat(start), n) == D.fromisoformat(expected)


def test_calendar_years_far_years_are_weekends_at_least() -> None:
    # 2031 and 2150: no data anywhere; never E303, a Saturday is never a working day
    assert not CAL.is_workday(D(2031, 3, 1))   # Saturday
    assert CAL.is_workday(D(2031, 3, 3))       # Monday
    assert CAL.add_workdays(D(2150, 3, 6), 1) == D(2150, 3, 9)  # Friday → Monday


def test_calendar_years_estimated_years_of_a_span() -> None:
    assert CAL.estimated_years(D(2026, 12, 28), D(2027, 1, 12)) == (2027,)
    assert CAL.estimated_years(D(2026, 3, 1), D(2026, 4, 1)) == ()
    assert CAL.estimated_years(D(2027, 12, 20), D(2028, 1, 5)) == (2027, 2028)
    assert CAL.estimated_years(None, D(2027, 1, 5)) == (2027,)
    assert CAL.estimated_years() == ()


def test_calendar_years_estimate_becomes_an_unverified_entry() -> None:
    u = estimate_unverified("NOT-03", "陈述申辩期", (2027,))
    assert u.check_id == "NOT-03" and u.point == "陈述申辩期"
    assert "2027" in u.reason and "估算" in u.reason and "人工核对" in u.reason


def test_calendar_years_notice_names_estimated_years_and_how_to_add_them() -> None:
    assert estimate_notice(CAL, [2024, 2025]) is None
    text = estimate_notice(CAL, [2026, 2027, 2028])
    assert text is not None and text.startswith("[E310]")
    assert "2027、2028" in text and "calendar.years" in text and "workdays" in text


def test_calendar_years_rules_year_with_source_is_official(tmp_path: Path) -> None:
    p = tmp_path / "r.yaml"
    p.write_text("calendar:\n  years:\n    2027:\n      holidays: [2027-01-01, 2027-02-08]\n"
                 "      workdays: [2027-02-20]\n      source: 国办发明电〔2026〕1号\n", encoding="utf-8")
    cal = build_calendar(load_rules(p))
    assert cal.is_official(2027) and not cal.estimated_years(D(2027, 1, 1), D(2027, 12, 31))
    assert cal.sources[2027] == "国办发明电〔2026〕1号"
    assert cal.is_workday(D(2027, 2, 20))       # Saturday made a working day
    assert cal.is_workday(D(2027, 2, 9))        # the package's estimate no longer applies
    assert estimate_notice(cal, [2027]) is None


def test_calendar_years_opinion_deadline_uses_the_run_calendar(tmp_path: Path) -> None:
    # 10 working days from 2027-01-01 on the estimate: 01-04..01-08, 01-11..01-15 → 01-15
    assert reply_deadline("2027-01-01", 10) == "2027年1月15日前"
    p = tmp_path / "r.yaml"
    p.write_text("calendar:\n  years:\n    2027:\n      holidays: [2027-01-01, 2027-01-04]\n", encoding="utf-8")
    cal = build_calendar(load_rules(p))
    assert reply_deadline("2027-01-01", 10, cal) == "2027年1月18日前"
    assert build_calendar(load_rules(p)) is not build_calendar(default_rules())


# --- the whole month across the year end ("today" 2026-12-03 and 2027-03-01) ------------------------

@pytest.fixture(scope="module")
def december(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """6 generated cases of 2026-12 (review date 2027-01-01), reviewed into a database."""
    from pipeline.run.commands import generate_corpus
    from pipeline.run.review import ReviewSettings, review_archive

    base = tmp_path_factory.mktemp("dec")
    generate_corpus(6, "2026-12", 3, base / "corpus")
    db = base / "anjuan.db"
    out = base / "out"
    review_archive(base / "corpus" / "archive", out,
                   ReviewSettings(db_path=db, jobs=1, month="2026-12", progress=False))
    return base / "corpus", out, db


def test_calendar_years_december_review_completes_and_says_2027_is_estimated(december) -> None:
    _corpus, out, _db = december
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["counts"]["cases"] == 6
    assert "[E310]" in summary["calendar_notice"] and "2027" in summary["calendar_notice"]
    assert not any("E303" in line for line in (out / "cases.jsonl").read_text(encoding="utf-8").splitlines())
    assert len(list((out / "评查意见书").glob("*.docx"))) >= 5


def test_calendar_years_letters_reply_and_reject_in_2027(december) -> None:
    from pipeline.run.month import letter_assess, letter_reply
    from pipeline.store.db import Store
    from pipeline.store.letterdb import get_letter, list_letters

    _corpus, _out, db = december
    with Store.open(db) as store:
        letters = list_letters(store.conn)
    assert letters, "the December review drafted no letter"
    lid = letters[0].id
    letter_reply(db, lid, date="2026-12-28", note="已整改", who="中队")
    letter_assess(db, lid, accept=False, date="2027-03-01", note="整改不到位", who="监督科")
    with Store.open(db) as store:
        rec = get_letter(store.conn, lid)
    assert rec.state == "due" and rec.due_date is not None and rec.due_date > "2027-03-01"


def test_calendar_years_plan_for_march_2027(december, tmp_path: Path) -> None:
    from pipeline.run.month import make_plan

    corpus, _out, db = december
    res = make_plan(corpus / "archive" / "台账.xlsx", "2027-03", seed=1, out_dir=tmp_path, db_path=db)
    assert res.plan.month == "2027-03" and res.files


def test_calendar_years_letters_assess_rules_give_the_official_year(december, tmp_path: Path) -> None:
    """`letters assess --reject --rules` counts the fresh deadline on the rules' calendar: with
    2027-03-02…03-05 declared holidays (a hypothetical notice) a rejection on 2027-03-01 moves by four
    working days. By hand: tip (5 wd) 03-08 on the estimate → 03-12, supervise (10 wd) 03-15 → 03-19."""
    from click.testing import CliRunner

    from pipeline.cli import cli
    from pipeline.store.db import Store
    from pipeline.store.letterdb import get_letter, list_letters

    _corpus, _out, db = december
    with Store.open(db) as store:
        letters = [r for r in list_letters(store.conn)[1:] if r.rung in ("tip", "supervise")
                   and r.state in ("issued", "due")]
    assert letters, "the December review drafted no second letter for this test"
    rec = letters[0]
    rules = tmp_path / "r.yaml"
    rules.write_text("calendar:\n  years:\n    2027:\n"
                     "      holidays: [2027-03-02, 2027-03-03, 2027-03-04, 2027-03-05]\n"
                     "      workdays: []\n      source: 假设的放假通知\n", encoding="utf-8")
    runner = CliRunner()
    for args in (["letters", "reply", str(rec.id), "--date", "2027-02-26", "--note", "已整改"],
                 ["letters", "assess", str(rec.id), "--reject", "--date", "2027-03-01", "--note", "不到位",
                  "--rules", str(rules)]):
        res = runner.invoke(cli, [*args, "--db", str(db)])
        assert res.exit_code == 0, res.output
    with Store.open(db) as store:
        after = get_letter(store.conn, rec.id)
    assert after.state == "due" and after.due_date == {"tip": "2027-03-12", "supervise": "2027-03-19"}[rec.rung]
