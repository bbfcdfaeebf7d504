"""Letters in SQLite: schema, numbering, idempotent months, escalation across months, replies,
assessment, decisions and the bulletin counts. Dates are checked by hand against the 2024
State Council holiday notice (清明 4–6 Apr, Sun 7 Apr worked; 劳动节 1–5 May, Sat 11 May worked)."""
from __future__ import annotations

import sqlite3

import pytest

from pipeline.core.errors import AnjuanError
from pipeline.core.models import CaseResult, Finding, empty_case_fields
from pipeline.core.workdays import WorkCalendar
from pipeline.store import letterdb as db
from pipeline.supervise.letters import LetterDraft, load_settings

CAL = WorkCalendar.default()
S = load_settings()


@pytest.fixture()
def conn():
    c = sqlite3.connect(":memory:")
    db.ensure_schema(c)
    yield c
    c.close()


def case(cid: str, squad: str, *findings: Finding) -> CaseResult:
    f = empty_case_fields()
    f.update(squad=squad, case_number=f"青城管罚〔2024〕{cid[-3:]}号")
    return CaseResult(cid, cid, "ok", (), f, tuple(findings), None, ())


def fd(check_id: str, severity: str = "minor") -> Finding:
    return Finding(check_id, severity, f"{check_id}问题。", "《中华人民共和国行政处罚法》第五十四条")


MARCH = [case("2403001", "夏阳中队", fd("FIL-02"), fd("OFF-02", "major")),
         case("2403002", "朱家角中队", fd("CON-01"))]


def run(conn, results, month, today, **kw):
    return db.run_month(conn, results, month, today, settings=S, calendar=CAL, **kw)


def states(conn):
    return {x.number: x.state for x in db.list_letters(conn)}


def test_letterdb_schema_idempotent_and_autocommit_connection():
    for iso in ("", None):  # legacy implicit transactions and autocommit (the main store's mode)
        c = sqlite3.connect(":memory:", isolation_level=iso)
        db.ensure_schema(c)
        db.ensure_schema(c)
        names = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"letters", "letter_events", "finding_decisions"} <= names
        run(c, MARCH, "2024-03", "2024-03-22")
        assert not c.in_transaction  # committed, nothing left open
        c.close()


def test_letterdb_schema_joins_the_callers_transaction():
    c = sqlite3.connect(":memory:", isolation_level=None)
    c.execute("BEGIN IMMEDIATE")  # as Store._migrate does
    db.ensure_schema(c)
    assert c.in_transaction
    c.execute("ROLLBACK")
    assert c.execute("SELECT count(*) FROM sqlite_master WHERE name = 'letters'").fetchone()[0] == 0
    c.close()


def test_letterdb_issue_numbers_per_year_and_rung(conn):
    m = run(conn, MARCH, "2024-03", "2024-03-22")
    assert [(x.number, x.squad, x.state, x.due_date) for x in m.issued] == [
        ("青城管监提〔2024〕1号", "夏阳中队", "due", "2024-03-29"),
        ("青城管监提〔2024〕2号", "朱家角中队", "due", "2024-03-29")]
    veto = [case("2412001", "夏阳中队", fd("LIM-01", "veto"))]
    m = run(conn, veto, "2024-12", "2024-12-20")
    # the March 提示单 escalate first (督办单 1 and 2), then December's own 督办单 is 3
    assert [c.number for _, c in m.escalated] == ["青城管监督〔2024〕1号", "青城管监督〔2024〕2号"]
    assert [x.number for x in m.issued] == ["青城管监督〔2024〕3号"]
    m = run(conn, [case("2501001", "夏阳中队", fd("FIL-02"))], "2025-01", "2025-01-20")
    # a new year restarts each series at 1
    assert [c.number for _, c in m.escalated] == ["青城管监决〔2025〕1号", "青城管监决〔2025〕2号",
                                                  "青城管监决〔2025〕3号"]
    assert [x.number for x in m.issued] == ["青城管监提〔2025〕1号"]


def test_letterdb_same_month_never_issued_twice(conn):
    run(conn, MARCH, "2024-03", "2024-03-22")
    again = run(conn, MARCH, "2024-03", "2024-03-22")
    assert again.issued == () and len(again.already_issued) == 2 and again.differs == ()
    later = run(conn, MARCH, "2024-03", "2024-03-25")  # same month, another day, nothing overdue
    assert later.issued == () and later.escalated == ()
    assert len(db.list_letters(conn)) == 2
    # issue() itself is idempotent on (month, squad, rung, matter_key)
    first = db.list_letters(conn)[0]
    d = LetterDraft("tip", "执法监督提示单", first.squad, first.addressee, (), "2024-03", first.matter_key,
                    first.cases, first.items, None, "x")
    assert db.issue(conn, d, issue_date="2024-03-28", settings=S, calendar=CAL).id == first.id


def test_letterdb_escalation_across_months_to_decide(conn):
    run(conn, MARCH, "2024-03", "2024-03-22")
    # 1 April: both 提示单 passed 29 March unanswered → overdue (30 March) and a 督办单 each
    m = run(conn, [], "2024-03", "2024-04-01")
    assert [(p.number, p.state, c.number, c.rung) for p, c in m.escalated] == [
        ("青城管监提〔2024〕1号", "escalated", "青城管监督〔2024〕1号", "supervise"),
        ("青城管监提〔2024〕2号", "escalated", "青城管监督〔2024〕2号", "supervise")]
    parent, child = m.escalated[0]
    assert child.parent_id == parent.id and child.parent_number == "青城管监提〔2024〕1号"
    assert child.due_date == "2024-04-16"  # 1 Apr + 10 wd over 清明
    assert [(e.date, e.event) for e in parent.events] == [
        ("2024-03-22", "issued"), ("2024-03-22", "delivered"), ("2024-03-30", "overdue"),
        ("2024-04-01", "escalated")]
    # the same day again: nothing new
    again = run(conn, [], "2024-03", "2024-04-01")
    assert again.escalated == () and again.issued == ()
    # 朱家角 replies on time to its 督办单; 夏阳 does not
    db.reply(conn, m.escalated[1][1].id, date="2024-04-12", note="已整改", who="朱家角中队")
    m = run(conn, [], "2024-04", "2024-04-17")
    ((p, dec),) = m.escalated
    assert p.number == "青城管监督〔2024〕1号" and dec.rung == "decide"
    assert dec.number == "青城管监决〔2024〕1号" and dec.cc == ("夏阳街道办事处",)
    assert dec.due_date == "2024-05-10"  # 17 Apr + 15 wd: Sun 28 Apr worked, 劳动节 1–5 May off
    assert len(dec.facts) == 2 and "青城管监提〔2024〕1号" in dec.facts[0]
    assert states(conn) == {"青城管监提〔2024〕1号": "escalated", "青城管监提〔2024〕2号": "escalated",
                            "青城管监督〔2024〕1号": "escalated", "青城管监督〔2024〕2号": "replied",
                            "青城管监决〔2024〕1号": "due"}
    # the 决定书 overdue stays overdue (nothing above it)
    m = run(conn, [], "2024-05", "2024-05-20")
    assert [x.number for x in m.became_overdue] == ["青城管监决〔2024〕1号"] and m.escalated == ()
    # closing the 决定书 closes the whole escalated chain
    db.reply(conn, dec.id, date="2024-05-21", note="已履行", who="夏阳中队")
    closed = db.assess(conn, dec.id, accept=True, date="2024-05-22", note="验收通过", who="科长")
    assert closed.state == "closed" and closed.end_reason == "accepted_late"
    chain = {x.number: (x.state, x.end_reason, x.closed_date) for x in db.list_letters(conn)
             if x.squad == "夏阳中队"}
    assert chain == {"青城管监提〔2024〕1号": ("closed", "child_closed", "2024-05-22"),
                     "青城管监督〔2024〕1号": ("closed", "child_closed", "2024-05-22"),
                     "青城管监决〔2024〕1号": ("closed", "accepted_late", "2024-05-22")}


def test_letterdb_reply_stops_escalation(conn):
    m = run(conn, MARCH, "2024-03", "2024-03-22")
    tip = m.issued[0]
    r = db.reply(conn, tip.id, date="2024-03-29", note="已补正立案审批表", who="夏阳中队")
    assert r.state == "replied" and r.replied_date == "2024-03-29"
    m = run(conn, [], "2024-03", "2024-04-15")
    assert [p.number for p, _ in m.escalated] == ["青城管监提〔2024〕2号"]
    assert db.get_letter(conn, tip.id).state == "replied"


def test_letterdb_late_reply_marks_overdue_then_closes_late(conn):
    tip = run(conn, MARCH, "2024-03", "2024-03-22").issued[0]
    r = db.reply(conn, tip.id, date="2024-04-01", note="迟复", who="夏阳中队")
    assert r.state == "replied"
    assert [(e.date, e.event, e.to_state) for e in r.events[-2:]] == [
        ("2024-03-30", "overdue", "overdue"), ("2024-04-01", "reply_late", "replied")]
    c = db.assess(conn, tip.id, accept=True, date="2024-04-02", note="同意", who="科长")
    assert (c.state, c.end_reason) == ("closed", "accepted_late")


def test_letterdb_reject_fresh_deadline_once_then_decide(conn):
    tip = run(conn, MARCH, "2024-03", "2024-03-22").issued[0]
    db.reply(conn, tip.id, date="2024-03-27", note="回复", who="夏阳中队")
    r = db.assess(conn, tip.id, accept=False, date="2024-03-28", note="未附证据", who="科长")
    # Thu 28 Mar + 5 wd (清明 4–6 Apr off, Sun 7 Apr worked); the first due date is kept
    assert (r.state, r.due_date, r.fresh_deadlines, r.first_due_date) == ("due", "2024-04-07", 1, "2024-03-29")
    db.reply(conn, tip.id, date="2024-04-03", note="补充", who="夏阳中队")
    r = db.assess(conn, tip.id, accept=False, date="2024-04-08", note="仍未整改", who="科长")
    assert r.state == "overdue" and r.rejections == 2
    m = run(conn, [], "2024-04", "2024-04-09")
    esc = {p.number: c.rung for p, c in m.escalated}
    assert esc["青城管监提〔2024〕1号"] == "decide"  # rejected twice → 决定书 directly


def test_letterdb_refusals_and_withdrawal(conn):
    tip = run(conn, MARCH, "2024-03", "2024-03-22").issued[0]
    with pytest.raises(AnjuanError) as e:
        db.assess(conn, tip.id, accept=True, date="2024-03-25", note="", who="科长")
    assert e.value.code == "E511" and "待回复" in str(e.value)
    w = db.withdraw(conn, tip.id, date="2024-03-25", note="误发", who="科长")
    assert (w.state, w.end_reason) == ("closed", "withdrawn")
    with pytest.raises(AnjuanError) as e:
        db.reply(conn, tip.id, date="2024-03-26", note="", who="夏阳中队")
    assert e.value.code == "E511"
    with pytest.raises(AnjuanError) as e:
        db.get_letter(conn, 999)
    assert e.value.code == "E510"
    # never deleted; events append-only
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("DELETE FROM letters WHERE id = ?", (tip.id,))
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("UPDATE letter_events SET note = 'x'")
    assert len(db.list_letters(conn)) == 2
    # a withdrawn letter is not re-issued by the same month
    assert run(conn, MARCH, "2024-03", "2024-03-26").issued == ()


def test_letterdb_delivery_not_assumed():
    c = sqlite3.connect(":memory:")
    db.ensure_schema(c)
    s = load_settings(overrides={"delivery_assumed_at_issue": False})
    m = db.run_month(c, MARCH, "2024-03", "2024-03-22", settings=s, calendar=CAL)
    tip = m.issued[0]
    assert (tip.state, tip.due_date) == ("issued", None)
    assert db.run_month(c, [], "2024-03", "2024-06-01", settings=s, calendar=CAL).escalated == ()
    d = db.deliver(c, tip.id, date="2024-03-25", who="科员", settings=s, calendar=CAL)
    assert (d.state, d.due_date) == ("due", "2024-04-01")
    # a reply before delivery was confirmed proves delivery
    other = m.issued[1]
    assert db.reply(c, other.id, date="2024-03-26", note="已整改", who="朱家角中队").state == "replied"


def test_letterdb_decisions_history_and_effect(conn):
    db.record_decision(conn, "2403001", "FIL-02", "confirmed", reason="属实", who="甲", at="2024-03-20T10:00")
    db.record_decision(conn, "2403001", "FIL-02", "dismissed", reason="已补正", who="乙", at="2024-03-21T09:00")
    d = db.load_decisions(conn)
    entry = d[("2403001", "FIL-02")]
    assert (entry["decision"], entry["reason"], entry["who"]) == ("dismissed", "已补正", "乙")
    assert [h["decision"] for h in entry["history"]] == ["confirmed", "dismissed"]
    with pytest.raises(AnjuanError) as e:
        db.record_decision(conn, "2403001", "FIL-02", "maybe", reason="", who="甲", at="2024-03-21")
    assert e.value.code == "E513"
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("DELETE FROM finding_decisions")
    # run_month reads the stored decisions: FIL-02 dismissed is left out
    m = run(conn, MARCH, "2024-03", "2024-03-22")
    assert [i.check_id for i in m.issued[0].items] == ["OFF-02"]
    # a decision changed after issue is not re-issued but reported as a difference
    db.record_decision(conn, "2403001", "FIL-02", "confirmed", reason="复核属实", who="丙", at="2024-03-23")
    m = run(conn, MARCH, "2024-03", "2024-03-25")
    assert m.issued == ()
    ((stored, now),) = m.differs
    assert [i.check_id for i in stored.items] == ["OFF-02"]
    assert [i.check_id for i in now.items] == ["FIL-02", "OFF-02"]


def test_letterdb_quarter_repeat_uses_earlier_letters(conn):
    run(conn, [case("2404001", "夏阳中队", fd("FIL-02")), case("2404002", "夏阳中队", fd("FIL-02"))],
        "2024-04", "2024-04-22")
    assert db.quarter_counts(conn, "2024-05") == {("夏阳中队", "FIL-02"): 2}
    m = run(conn, [case("2405001", "夏阳中队", fd("FIL-02"))], "2024-05", "2024-05-20")
    new = [x for x in m.issued if x.month == "2024-05"]
    assert [(x.rung, x.reason) for x in new] == [("supervise", "FIL-02问题本季度累计出现3次")]
    # a new quarter starts again from zero
    assert db.quarter_counts(conn, "2024-07") == {}


def test_letterdb_talk_and_month_counts(conn):
    run(conn, MARCH, "2024-03", "2024-03-22")
    letters = db.list_letters(conn)
    db.reply(conn, letters[0].id, date="2024-03-28", note="已整改", who="夏阳中队")
    db.assess(conn, letters[0].id, accept=True, date="2024-03-29", note="通过", who="科长")
    db.record_talk(conn, letters[1].id, date="2024-03-29", participants="朱家角中队中队长",
                   commitments="一周内整改", who="科长")
    c = db.month_counts(conn, "2024-03")
    assert c["issued"]["tip"] == 2 and c["closed"] == 1 and c["talks"] == 1
    assert (c["due_in_month"], c["closed_by_month_end"], c["closed_on_time"]) == (2, 1, 1)
    assert c["closure_rate"] == 0.5 and c["on_time_rate"] == 0.5
    assert c["overdue_at_month_end"] == 0  # nobody ran advance: the state is only derived from events
    run(conn, [], "2024-03", "2024-04-01")
    c = db.month_counts(conn, "2024-03")
    assert c["overdue_at_month_end"] == 1  # 朱家角 overdue from 30 March, escalated on 1 April
    a = db.month_counts(conn, "2024-04")
    assert a["issued"]["supervise"] == 1 and a["escalated_at_month_end"] == 1


def test_letterdb_reminders(conn):
    run(conn, MARCH, "2024-03", "2024-03-22")
    assert [x.number for x in db.reminders(conn, "2024-03-26", settings=S, calendar=CAL)] == [
        "青城管监提〔2024〕1号", "青城管监提〔2024〕2号"]
    assert db.reminders(conn, "2024-03-22", settings=S, calendar=CAL) == []
