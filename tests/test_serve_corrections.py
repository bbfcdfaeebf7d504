"""Reviewers' field corrections and undone decisions (the workbench's writes), store and pure parts."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pipeline.core.errors import AnjuanError
from pipeline.core.models import CaseFile, Field, Span
from pipeline.store.corrections import (
    correction_history,
    decision_history,
    load_corrections,
    record_correction,
    undo_decision,
    withdraw_correction,
)
from pipeline.store.db import Store
from pipeline.store.letterdb import record_decision
from pipeline.supervise.corrections import EXTRACTOR_ID, FieldCorrection, apply_to_case, parse_value


@pytest.fixture()
def store(tmp_path: Path):
    with Store.open(tmp_path / "a.db") as st:
        yield st


def _c(key: str, value, *, case_id: str = "2406001", extracted=None, blank: bool = False) -> FieldCorrection:
    return FieldCorrection(case_id=case_id, key=key, value=value, extracted=extracted, reason="核对原件",
                           who="王审", at="2024-07-02", blank=blank)


@pytest.mark.parametrize("key,text,expected", [
    ("filing_date", "2024-03-18", ("2024-03-18", False)),
    ("filing_date", "2024年3月18日", ("2024-03-18", False)),
    ("fine_yuan", "2,000元", (2000, False)),
    ("hearing_waived", "否", (False, False)),
    ("remedy.litigation_months", "6", (6, False)),
    ("officers", "张三 31001234、李四",
     ([{"name": "张三", "cert_no": "31001234"}, {"name": "李四", "cert_no": None}], False)),
    ("penalty_kinds", "警告、罚款", (["警告", "罚款"], False)),
    ("party.name", "  青浦区华新钟记餐饮店 ", ("青浦区华新钟记餐饮店", False)),
    ("decision_date", "", (None, True)),
])
def test_serve_corrections_parse_value(key, text, expected):
    assert parse_value(key, text) == expected


@pytest.mark.parametrize("key,text,code", [
    ("filing_date", "三月", "E306"), ("fine_yuan", "两千", "E306"), ("procedure", "普通", "E306"),
    ("nonsense", "x", "E604"), ("party", "x", "E604"),
])
def test_serve_corrections_parse_value_refuses(key, text, code):
    with pytest.raises(AnjuanError) as err:
        parse_value(key, text)
    assert err.value.code == code


def _case() -> CaseFile:
    span = Span("a.docx", 1, 10, 20, "2024年3月8日")
    party = Field("party", {"name": "青浦区华新钟", "kind": "individual", "id_number": None, "address": None},
                  Span("a.docx", 1, 0, 6, "青浦区华新钟"), "x")
    return CaseFile(case_id="2406001", source="2406001", docs=(),
                    fields={"filing_date": (Field("filing_date", "2024-03-08", span, "x"),), "party": (party,)})


def test_serve_corrections_apply_puts_correction_first_and_keeps_extracted():
    case = apply_to_case(_case(), [_c("filing_date", "2024-03-18"), _c("party.name", "青浦区华新钟记餐饮店")])
    first, original = case.fields["filing_date"]
    assert (first.value, first.extractor_id, first.state) == ("2024-03-18", EXTRACTOR_ID, "found")
    assert first.span == original.span and original.value == "2024-03-08"
    assert case.value("party") == {"name": "青浦区华新钟记餐饮店", "kind": "individual", "id_number": None,
                                   "address": None}
    assert case.fields["party"][1].value["name"] == "青浦区华新钟"


def test_serve_corrections_blank_correction_is_positive_evidence():
    case = apply_to_case(_case(), [_c("filing_date", None, blank=True)])
    assert case.field("filing_date").blank and case.value("filing_date") is None


def test_serve_corrections_store_latest_in_force_and_withdraw(store):
    conn = store.conn
    record_correction(conn, _c("filing_date", "2024-03-18", extracted="2024-03-08"))
    record_correction(conn, _c("filing_date", "2024-03-19", extracted="2024-03-08"))
    record_correction(conn, _c("fine_yuan", 500, case_id="2406002"))
    got = load_corrections(conn)
    assert [(c.key, c.value, c.extracted) for c in got["2406001"]] == [("filing_date", "2024-03-19", "2024-03-08")]
    assert withdraw_correction(conn, "2406001", "filing_date", who="王审", at="2024-07-03") is True
    assert withdraw_correction(conn, "2406001", "filing_date", who="王审", at="2024-07-03") is False
    assert "2406001" not in load_corrections(conn)
    assert [h["action"] for h in correction_history(conn, "2406001")] == ["correct", "correct", "withdraw"]
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM field_corrections")


def test_serve_corrections_undo_restores_the_decision_before(store):
    conn = store.conn
    record_decision(conn, "C1", "DEC-01", "confirmed", reason="属实", who="甲", at="2024-07-01")
    record_decision(conn, "C1", "DEC-01", "dismissed", reason="有延期审批", who="甲", at="2024-07-01")
    assert store.decisions()[("C1", "DEC-01")]["decision"] == "dismissed"
    undone = undo_decision(conn, "C1", "DEC-01", who="甲", at="2024-07-02")
    assert undone["decision"] == "dismissed"
    now = store.decisions()[("C1", "DEC-01")]
    assert now["decision"] == "confirmed"
    assert [h["decision"] for h in now["history"]] == ["confirmed", "dismissed", "undone"]
    assert undo_decision(conn, "C1", "DEC-01", who="甲", at="2024-07-02")["decision"] == "confirmed"
    assert store.decisions()[("C1", "DEC-01")]["decision"] is None  # nothing in force: open again
    assert undo_decision(conn, "C1", "DEC-01", who="甲", at="2024-07-02") is None


def test_serve_corrections_history_orders_undo_after_later_decisions(store):
    conn = store.conn
    record_decision(conn, "C1", "A-01", "confirmed", reason="r1", who="甲", at="d")
    record_decision(conn, "C1", "B-01", "dismissed", reason="r2", who="甲", at="d")
    undo_decision(conn, "C1", "A-01", who="甲", at="d")
    record_decision(conn, "C1", "A-01", "dismissed", reason="r3", who="甲", at="d")
    assert [(h["check_id"], h["decision"]) for h in decision_history(conn, "C1")] == [
        ("A-01", "confirmed"), ("B-01", "dismissed"), ("A-01", "undone"), ("A-01", "dismissed")]
    assert store.decisions()[("C1", "A-01")]["decision"] == "dismissed"


def test_serve_corrections_findings_history_words_an_undo(tmp_path: Path):
    from pipeline.run.month import decide, decisions_table
    from tests.test_store import _digest

    db = tmp_path / "h.db"
    with Store.open(db) as st:  # a review has seen C1 (decisions on unknown cases are E308)
        st.save_digests("2024-06", [_digest("C1")], None)
    decide(db, "C1", "DEC-01", "dismissed", reason="有延期审批", who="甲", date="2024-07-01")
    with Store.open(db) as st:
        undo_decision(st.conn, "C1", "DEC-01", who="乙", at="2024-07-02", reason="误操作")
    lines = decisions_table(db, "C1").splitlines()
    assert lines == ["C1  DEC-01  排除  2024-07-01  甲  有延期审批", "C1  DEC-01  撤销  2024-07-02  乙  误操作"]


@pytest.mark.parametrize(("key", "typed", "stored"), [
    ("procedure", "简易程序", "simple"), ("procedure", "general", "general"),
    ("outcome", "不予处罚", "not_penalized"), ("party.kind", "单位", "organisation"),
])
def test_serve_corrections_choices_in_the_reviewers_words(key, typed, stored):
    """The case page showed simple / penalized / individual; a reviewer types and reads Chinese."""
    from pipeline.serve.caseview import edit_text
    from pipeline.supervise.corrections import form_of, parse_value

    assert parse_value(key, typed) == (stored, False)
    assert edit_text(key, stored) in form_of(key) and not any(c.isascii() and c.isalpha() for c in form_of(key))


def test_serve_corrections_field_rows_show_no_english_key():
    from pipeline.serve.caseview import field_rows

    case = {"fields": {"procedure": "simple", "outcome": "penalized", "violation_type": "la_ji_wei_fen_lei",
                       "party": {"kind": "individual"}}}
    shown = {r["key"]: r["value"] for r in field_rows(case, {})}
    assert (shown["procedure"], shown["outcome"], shown["party.kind"]) == ("简易程序", "处罚", "个人")
    assert not any(c.isascii() and c.isalpha() for c in shown["violation_type"])
