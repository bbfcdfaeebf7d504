"""两单两书 pure logic: triggers, grouping, decisions, numbering, deadlines, advance, counts."""
from __future__ import annotations

import pytest

from pipeline.core.errors import AnjuanError
from pipeline.core.models import CaseResult, Evidence, Finding, empty_case_fields
from pipeline.core.workdays import WorkCalendar
from pipeline.supervise.letters import (
    LetterEvent,
    LetterItem,
    LetterRecord,
    advance,
    count_month,
    draft_letters,
    due_date_for,
    due_soon,
    format_number,
    load_settings,
    state_at,
    street_of,
)

CAL = WorkCalendar.default()
APL = "《中华人民共和国行政处罚法》"


@pytest.fixture(scope="module")
def S():
    return load_settings()


def case(cid: str, squad: str, *findings: Finding, party: dict | None = None) -> CaseResult:
    f = empty_case_fields()
    f.update(squad=squad, case_number=f"青城管罚〔2024〕{cid[-3:]}号")
    if party:
        f["party"] = party
    return CaseResult(cid, cid, "ok", (), f, tuple(findings), None, ())


def fd(check_id: str, severity: str = "minor", msg: str = "问题。", **kw) -> Finding:
    return Finding(check_id, severity, msg, f"{APL}第五十四条", **kw)


def by_key(drafts):
    return {(d.squad, d.rung): d for d in drafts}


# --- triggers and grouping -----------------------------------------------------------------------

def test_letters_minor_and_major_go_to_one_tip_per_squad(S):
    results = [case("2403001", "夏阳中队", fd("FIL-02"), fd("OFF-02", "major")),
               case("2403002", "夏阳中队", fd("SRV-01")),
               case("2403003", "朱家角中队", fd("CON-01"))]
    drafts = draft_letters(results, "2024-03", settings=S)
    keys = by_key(drafts)
    assert set(keys) == {("夏阳中队", "tip"), ("朱家角中队", "tip")}
    xy = keys[("夏阳中队", "tip")]
    assert [(i.case_id, i.check_id) for i in xy.items] == [
        ("2403001", "FIL-02"), ("2403001", "OFF-02"), ("2403002", "SRV-01")]
    assert xy.cases == ("2403001", "2403002")
    assert xy.rung_name == "执法监督提示单" and xy.addressee == "夏阳中队" and xy.cc == ()
    assert xy.parent_id is None and xy.month == "2024-03"


def test_letters_no_letter_to_a_squad_that_was_not_read(S):
    """Letters went to 「承办中队（未载明）」: a letter needs an addressee; the file goes to manual review."""
    results = [case("2403001", "", fd("FIL-02"), fd("OFF-02", "major")),
               case("2403002", "夏阳中队", fd("SRV-01"))]
    keys = by_key(draft_letters(results, "2024-03", settings=S))
    assert set(keys) == {("夏阳中队", "tip")}
    assert [i.case_id for i in keys[("夏阳中队", "tip")].items] == ["2403002"]


def test_letters_info_findings_never_in_a_letter(S):
    assert draft_letters([case("2403001", "夏阳中队", fd("REC-01", "info"))], "2024-03", settings=S) == []


def test_letters_veto_and_overdue_ids_go_to_supervise(S):
    results = [case("2403001", "夏阳中队", fd("NOT-01", "veto"), fd("FIL-02")),
               case("2403002", "夏阳中队", fd("DEC-01", "major"))]
    keys = by_key(draft_letters(results, "2024-03", settings=S))
    sup = keys[("夏阳中队", "supervise")]
    assert [i.check_id for i in sup.items] == ["NOT-01", "DEC-01"]
    assert [i.check_id for i in keys[("夏阳中队", "tip")].items] == ["FIL-02"]
    assert sup.addressee == "夏阳中队"  # issue 17: not "夏阳中队、夏阳中队中队长"
    # the reason names the checks in words (it is printed in the letter), never by their ids
    assert "“未履行事先告知”属否决项" in sup.reason and "案件超期未作出处理决定" in sup.reason
    assert "NOT-01" not in sup.reason and "DEC-01" not in sup.reason


def test_letters_dismissed_finding_never_appears(S):
    results = [case("2403001", "夏阳中队", fd("FIL-02"), fd("OFF-02", "major"))]
    decisions = {("2403001", "FIL-02"): {"decision": "dismissed", "reason": "已补正"}}
    (d,) = draft_letters(results, "2024-03", settings=S, decisions=decisions)
    assert [i.check_id for i in d.items] == ["OFF-02"]
    # dismissing everything leaves no letter
    decisions[("2403001", "OFF-02")] = "dismissed"
    assert draft_letters(results, "2024-03", settings=S, decisions=decisions) == []


def test_letters_cross_case_only_when_confirmed(S):
    mis = fd("MIS-01", "major", "与案卷2403002当事人、案由相同。", related_cases=("2403002",))
    results = [case("2403001", "夏阳中队", mis)]
    assert draft_letters(results, "2024-03", settings=S) == []
    (d,) = draft_letters(results, "2024-03", settings=S,
                         decisions={("2403001", "MIS-01"): "confirmed"})
    # MIS-01 is a 随意撤案拆案 signal (§6): confirmed → 建议书 addressed to the 街道办事处
    assert d.rung == "suggest" and d.addressee == "夏阳街道办事处" and d.cc == ("夏阳中队",)  # 抄送 an organ
    assert d.items[0].message.endswith("（关联案卷：2403002）")
    assert "随意撤案拆案" in d.reason and d.reasons == ("serious",)


def test_letters_repeat_in_quarter_goes_to_supervise(S):
    results = [case("2405001", "夏阳中队", fd("FIL-02"))]
    # two files in April + this one in May = 3 in the quarter → 督办单
    (d,) = draft_letters(results, "2024-05", settings=S, prior_counts={("夏阳中队", "FIL-02"): 2})
    assert d.rung == "supervise" and "“立案不及时”问题本季度累计出现3次" in d.reason
    # only one earlier → still a 提示单
    (d,) = draft_letters(results, "2024-05", settings=S, prior_counts={("夏阳中队", "FIL-02"): 1})
    assert d.rung == "tip"


def test_letters_systemic_in_three_squads_goes_to_suggest(S):
    squads = ("夏阳中队", "朱家角中队", "练塘中队")
    results = [case(f"240300{i}", sq, fd("OFF-02", "major")) for i, sq in enumerate(squads, 1)]
    results += [case(f"24030{i}", "盈浦中队", fd("CON-01")) for i in range(10, 22)]  # 15 files in all
    keys = by_key(draft_letters(results, "2024-03", settings=S))
    for sq in squads:
        assert keys[(sq, "suggest")].items[0].check_id == "OFF-02"
        assert "“执法人员无执法证号”问题在3个中队出现" in keys[(sq, "suggest")].reason
    # CON-01: 12 of 15 files (80 %) in one squad → systemic by share
    d = keys[("盈浦中队", "suggest")]
    assert "“当事人信息前后不一致”问题出现在本月抽查案卷的80%（12/15件）" in d.reason
    assert d.facts == ("2024年3月共抽查案卷15件，盈浦中队有12件案卷存在下列问题，共12项。",)


def test_letters_systemic_share_needs_three_files(S):
    # 2 of 5 files = 40 % ≥ 20 %, but below min_share_cases (3) → ordinary 提示单
    results = [case("2403001", "夏阳中队", fd("CON-01")), case("2403002", "夏阳中队", fd("CON-01"))]
    results += [case(f"240301{i}", "夏阳中队") for i in range(3)]
    (d,) = draft_letters(results, "2024-03", settings=S)
    assert d.rung == "tip"


def test_letters_serious_overdue_cases_need_three_confirmed(S):
    results = [case(f"240300{i}", "徐泾中队", fd("DEC-01", "major")) for i in range(1, 4)]
    results += [case(f"24030{i}", "夏阳中队") for i in range(10, 30)]  # keep the share < 20 %
    conf = {(f"240300{i}", "DEC-01"): "confirmed" for i in range(1, 4)}
    (d,) = draft_letters(results, "2024-03", settings=S, decisions=conf)
    assert d.rung == "suggest" and d.addressee == "徐泾镇人民政府" and "办案超期" in d.reason
    # two confirmed only → the three stay on the 督办单 (DEC-01)
    del conf[("2403003", "DEC-01")]
    (d,) = draft_letters(results, "2024-03", settings=S, decisions=conf)
    assert d.rung == "supervise" and len(d.items) == 3


def test_letters_masks_ids_phones_and_individual_address(S):
    party = {"name": "王某某", "kind": "individual", "id_number": "310229198805061234",
             "address": "青浦区华新镇华志路8号"}
    ev = (Evidence("2403001/询问笔录.pdf", 2,
                   "王某某，身份证号310229198805061234，住青浦区华新镇华志路8号，电话13912345678"),)
    results = [case("2403001", "华新中队", fd("OFF-02", "major", "询问笔录未载明执法证号。", evidence=ev),
                    party=party)]
    (d,) = draft_letters(results, "2024-03", settings=S)
    q = d.items[0].evidence_quote
    assert q.startswith("询问笔录（第2页）：“王某某，身份证号310229********1234，住（住址已隐去），")
    assert "139****5678" in q and "13912345678" not in q and "华志路" not in q
    # an organisation's address is not personal data
    org = dict(party, kind="organisation", name="上海某某餐饮管理有限公司")
    (d,) = draft_letters([case("2403001", "华新中队", fd("OFF-02", "major", evidence=ev), party=org)],
                         "2024-03", settings=S)
    assert "华志路8号" in d.items[0].evidence_quote
    off = load_settings(overrides={"masking": {"individual_address": False, "ids_and_phones": False}})
    (d,) = draft_letters(results, "2024-03", settings=off)
    assert "310229198805061234" in d.items[0].evidence_quote


def test_letters_unknown_squad_street(S):
    assert street_of("青浦区城管执法局朱家角中队", S) == "朱家角镇人民政府"
    assert street_of("夏阳中队", S) == "夏阳街道办事处"
    assert street_of("第九中队", S) == "相关街道办事处、镇人民政府"


def test_letters_make_draft_any_rung(S):
    from pipeline.supervise.letters import make_draft

    item = LetterItem("2403001", "青城管罚〔2024〕1号", "DEC-01", "major", "超期。", "《法》第六十条", "")
    d = make_draft("decide", "赵巷中队", "2024-03", [item], reason="执法监督科决定", settings=S)
    assert (d.rung_name, d.addressee, d.cc, d.matter_key, d.cases) == (
        "执法监督决定书", "赵巷中队", ("赵巷镇人民政府",), "manual-2024-03-decide", ("2403001",))
    with pytest.raises(AnjuanError):
        make_draft("letter", "赵巷中队", "2024-03", [item], reason="x", settings=S)


# --- numbers and periods -----------------------------------------------------------------------

def test_letters_number_format_and_override(S):
    assert format_number("tip", 2024, 3, S) == "青城管监提〔2024〕3号"
    assert format_number("decide", 2025, 12, S) == "青城管监决〔2025〕12号"
    s2 = load_settings(overrides={"rungs": {"tip": {"number_prefix": "青城管监示"}}})
    assert format_number("tip", 2024, 1, s2) == "青城管监示〔2024〕1号"


@pytest.mark.parametrize("rung,start,due", [
    ("tip", "2024-03-22", "2024-03-29"),        # Fri + 5 wd
    ("supervise", "2024-04-02", "2024-04-17"),  # 清明 4-6 Apr off, Sun 7 Apr worked
    ("suggest", "2024-03-22", "2024-04-22"),    # +30 cd = Sun 21 Apr → Mon 22 Apr
    ("decide", "2024-04-30", "2024-05-23"),     # 劳动节 1–5 May, Sat 11 May worked
])
def test_letters_due_dates(S, rung, start, due):
    assert due_date_for(start, rung, settings=S, calendar=CAL) == due


def test_letters_settings_validation():
    with pytest.raises(AnjuanError) as e:
        load_settings(overrides={"rungs": {"tip": {"reply": {"n": 5, "unit": "weeks"}}}})
    assert e.value.code == "E512"


# --- advance, reminders, counts on hand-made records ------------------------------------------

def rec(id_: int, rung: str, state: str, issued: str, due: str | None, events=(), parent=None,
        closed=None, rejections=0) -> LetterRecord:
    item = LetterItem("2403001", "青城管罚〔2024〕1号", "FIL-02", "minor", "立案晚", "《法》第一条", "")
    evs = tuple(LetterEvent(d, ev, "t", "", f, t, seq=i) for i, (d, ev, f, t) in enumerate(events, 1))
    names = {"tip": "执法监督提示单", "supervise": "执法监督督办单", "suggest": "执法监督建议书",
             "decide": "执法监督决定书"}
    return LetterRecord(id_, f"N{id_}", int(issued[:4]), rung, "夏阳中队", "夏阳中队", (), issued[:7],
                        "review-2024-03-tip", issued, due, state, parent, ("2403001",), (item,), None,
                        closed, None, evs, rung_name=names[rung], first_due_date=due, rejections=rejections)


def test_advance_due_passes_to_overdue_and_escalates(S):
    tip = rec(1, "tip", "due", "2024-03-22", "2024-03-29",
              [("2024-03-22", "issued", None, "issued"), ("2024-03-22", "delivered", "issued", "due")])
    assert advance([tip], "2024-03-29", settings=S, calendar=CAL) == []  # the due day itself is fine
    t1, t2 = advance([tip], "2024-04-01", settings=S, calendar=CAL)
    assert (t1.from_state, t1.to_state, t1.date) == ("due", "overdue", "2024-03-30")
    assert (t2.from_state, t2.to_state, t2.date) == ("overdue", "escalated", "2024-04-01")
    d = t2.draft
    assert d.rung == "supervise" and d.parent_id == 1 and d.parent_number == "N1"
    assert d.matter_key == "review-2024-03-tip" and d.month == "2024-04" and d.items == tip.items
    assert d.facts == ("2024年3月22日，我局向夏阳中队制发《执法监督提示单》（N1），"
                       "要求于2024年3月29日前回复整改情况；夏阳中队逾期未回复。",)


def test_advance_single_to_decide_with_street_cc(S):
    sup = rec(2, "supervise", "overdue", "2024-04-01", "2024-04-16",
              [("2024-04-17", "overdue", "due", "overdue")], parent=1)
    (t,) = advance([sup], "2024-04-20", settings=S, calendar=CAL)
    assert t.draft.rung == "decide" and t.draft.cc == ("夏阳街道办事处",) and t.draft.addressee == "夏阳中队"


def test_advance_rejected_twice_goes_straight_to_decide(S):
    tip = rec(1, "tip", "overdue", "2024-03-22", "2024-04-10",
              [("2024-04-12", "rejected", "replied", "overdue")], rejections=2)
    (t,) = advance([tip], "2024-04-15", settings=S, calendar=CAL)
    assert t.draft.rung == "decide"


def test_advance_leaves_replied_closed_and_decide_alone(S):
    replied = rec(1, "tip", "replied", "2024-03-22", "2024-03-29")
    closed = rec(2, "tip", "closed", "2024-03-22", "2024-03-29", closed="2024-03-28")
    dec = rec(3, "decide", "overdue", "2024-03-01", "2024-03-22",
              [("2024-03-23", "overdue", "due", "overdue")])
    assert advance([replied, closed, dec], "2024-06-01", settings=S, calendar=CAL) == []


def test_advance_waits_after_workdays_setting():
    s = load_settings(overrides={"escalation": {"after_workdays": 2}})
    tip = rec(1, "tip", "due", "2024-03-22", "2024-03-29")
    # overdue from Sat 30 Mar; the 2nd working day counting from then is Tue 2 Apr
    assert [t.to_state for t in advance([tip], "2024-04-01", settings=s, calendar=CAL)] == ["overdue"]
    assert [t.to_state for t in advance([tip], "2024-04-02", settings=s, calendar=CAL)] == [
        "overdue", "escalated"]


def test_due_soon_three_workdays(S):
    a = rec(1, "tip", "due", "2024-03-22", "2024-03-29")
    b = rec(2, "tip", "due", "2024-03-22", "2024-04-08")
    # from Tue 26 Mar, 3 wd ahead is Fri 29 Mar
    assert [x.id for x in due_soon([a, b], "2024-03-26", settings=S, calendar=CAL)] == [1]
    assert due_soon([a, b], "2024-03-30", settings=S, calendar=CAL) == []


def test_state_at_and_month_counts():
    on_time = rec(1, "tip", "closed", "2024-03-04", "2024-03-11",
                  [("2024-03-04", "issued", None, "issued"), ("2024-03-04", "delivered", "issued", "due"),
                   ("2024-03-08", "reply", "due", "replied"),
                   ("2024-03-12", "accepted", "replied", "closed")],
                  closed="2024-03-12")
    late = rec(2, "tip", "closed", "2024-03-11", "2024-03-18",
               [("2024-03-11", "issued", None, "issued"), ("2024-03-11", "delivered", "issued", "due"),
                ("2024-03-19", "overdue", "due", "overdue"),
                ("2024-03-20", "reply_late", "overdue", "replied"),
                ("2024-03-25", "accepted", "replied", "closed")], closed="2024-03-25")
    open_ = rec(3, "supervise", "overdue", "2024-03-13", "2024-03-27",
                [("2024-03-13", "issued", None, "issued"), ("2024-03-13", "delivered", "issued", "due"),
                 ("2024-03-28", "overdue", "due", "overdue")])
    april = rec(4, "suggest", "due", "2024-03-29", "2024-04-28",
                [("2024-03-29", "issued", None, "issued"), ("2024-03-29", "delivered", "issued", "due")])
    assert state_at(late, "2024-03-19") == "overdue" and state_at(late, "2024-03-10") is None
    c = count_month([on_time, late, open_, april], "2024-03")
    assert c["issued"] == {"tip": 2, "supervise": 1, "suggest": 1, "decide": 0} and c["issued_total"] == 4
    assert c["closed"] == 2
    assert c["due_in_month"] == 3 and c["closed_by_month_end"] == 2 and c["closed_on_time"] == 1
    assert c["closure_rate"] == round(2 / 3, 4) and c["on_time_rate"] == round(1 / 3, 4)
    assert c["overdue_at_month_end"] == 1
    empty = count_month([], "2024-03")
    assert empty["closure_rate"] is None and empty["issued_total"] == 0


def test_letters_count_month_counts_the_letters_of_the_months_review() -> None:
    """The June review's letters are issued on 1 July: the June meeting material counts them
    (issue 17: "0 of every kind although the run drafted 16 letters")."""
    from dataclasses import replace

    june = replace(rec(1, "tip", "due", "2024-07-01", "2024-07-08"), month="2024-06")
    c = count_month([june], "2024-06")
    assert c["issued"]["tip"] == 1 and c["issued_total"] == 1
    assert c["letters"] == [{"number": "N1", "rung_name": "执法监督提示单", "squad": "夏阳中队", "state": "due",
                             "due_date": "2024-07-08"}]
    assert count_month([june], "2024-07")["issued_total"] == 0
