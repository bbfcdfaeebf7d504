"""Data-driven check tests (sqlfluff style): every case in tests/cases/<ID>.yml becomes one test.

A case: ``case`` (see tests/casebuilder.py), optional ``rules`` (deep-merged over the packaged
rules), optional ``review_date``, and ``findings``: the exact list of expected findings, each with
``id``, ``severity`` and optionally ``evidence_docs`` (documents that must appear in the evidence),
``message_contains`` (substrings), ``stage`` and ``occurrences``. ``findings: []`` = no finding.
Run one check with ``pytest -k DEC-01``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from checks.registry import all_checks, run_case_checks
from checks.rules import deep_merge, default_rules, make_context
from tests.casebuilder import build_case

CASES_DIR = Path(__file__).parent / "cases"


def load_cases() -> list[tuple[str, str, dict[str, Any]]]:
    """Every single-file case; cross-case files (MIS-*) are run by their own test module."""
    specs = all_checks()
    out = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        check_id = data["check"]
        assert path.stem == check_id, f"{path.name} must hold the cases of {path.stem}, not {check_id}"
        if check_id in specs and specs[check_id].cross:
            continue
        for name, body in data.items():
            if name == "check":
                continue
            assert name.startswith(("test_fail_", "test_pass_")), f"{path.name}: bad case name {name}"
            out.append((check_id, name, body))
    return out


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "rule_case" in metafunc.fixturenames:
        cases = load_cases()
        metafunc.parametrize("rule_case", cases, ids=[f"{c}_{n}" for c, n, _b in cases])


def _rules(overrides: dict[str, Any] | None) -> Any:
    if not overrides:
        return default_rules()
    base = {k: v for k, v in default_rules().items() if k != "meta"}
    merged = deep_merge(base, overrides)
    merged["meta"] = default_rules()["meta"]
    return merged


def test_checks_case(rule_case: tuple[str, str, dict[str, Any]]) -> None:
    check_id, name, body = rule_case
    assert check_id in all_checks(), f"{check_id} is not registered"
    case = build_case(body["case"])
    rules = _rules(body.get("rules"))
    review = body.get("review_date")
    ctx = make_context(rules, review_date=str(review) if review else None)
    got = run_case_checks(case, ctx, only=[check_id], debug=True)
    expected = body.get("findings") or []
    shown = "\n".join(f"  {f.check_id} {f.severity} {f.message} {[e.document for e in f.evidence]}" for f in got)
    assert len(got) == len(expected), f"{check_id} {name}: expected {len(expected)} finding(s), got:\n{shown}"
    if name.startswith("test_fail_"):
        assert expected, f"{name}: a fail case must expect at least one finding"
    for f, want in zip(got, expected):
        assert f.check_id == want["id"], shown
        assert f.severity == want["severity"], shown
        if f.severity != "info":
            assert f.message.endswith("。") and f.message.count("。") == 1, f"not one sentence: {f.message}"
        assert f.evidence, f"{check_id} finding without evidence: {f.message}"
        docs = {e.document for e in f.evidence}
        for d in want.get("evidence_docs") or ():
            assert d in docs, f"{d} not in evidence {sorted(docs)}"
        for s in want.get("message_contains") or ():
            assert str(s) in f.message, f"{s!r} not in {f.message!r}"
        if "stage" in want:
            assert f.stage == want["stage"]
        if "occurrences" in want:
            assert f.occurrences == want["occurrences"]
        assert f.citation.startswith("《")


# --- clean files: no finding at all, not even info ---------------------------------------------------

OFFICERS = [{"name": "张某", "cert_no": "31010001"}, {"name": "李某", "cert_no": "31010002"}]
SEAL = {"has_seal": True, "seal_text": "上海市青浦区城市管理行政执法局"}
BASIS = {"violated_provisions": ["《上海市市容环境卫生管理条例》第二十五条第五款"],
         "penalty_basis": ["《上海市市容环境卫生管理条例》第二十五条第五款"]}
REMEDY = {"reconsideration_body": "上海市青浦区人民政府", "reconsideration_days": 60, "litigation_months": 6,
          "litigation_court": "上海铁路运输法院"}
PARTY = {"name": "张三", "kind": "individual", "id_number": "310115199001011234", "address": "青浦区华新镇"}

CLEAN_GENERAL: dict[str, Any] = {
    "procedure": "general", "outcome": "penalized",
    "fields": {"party": PARTY, "violation_type": "kua_men_ying_ye", "filing_date": "2024-03-04",
               "discovered_date": "2024-03-01", "notice_date": "2024-03-25", "notice_service_date": "2024-03-26",
               "decision_date": "2024-04-08", "decision_service_date": "2024-04-10", "payment_date": "2024-04-15",
               "closing_date": "2024-04-20", "violation_date": "2024-03-01", "proposed_fine_yuan": 500,
               "fine_yuan": 500, "penalty_kinds": ["罚款"], "hearing_waived": None, **BASIS},
    "docs": [
        {"type": "case_source", "id": "2403001/来源.docx",
         "fields": {"source_kind": "巡查", "discovered_date": "2024-03-01"}},
        {"type": "filing_approval", "id": "2403001/立案.docx", "fields": {
            "filing_date": "2024-03-04", "approver": "王某", "approval_date": "2024-03-04", "party_name": "张三",
            "party_id_number": "310115199001011234"}},
        {"type": "inspection_record", "id": "2403001/检查.docx", "fields": {
            "start_time": "2024-03-01T09:30", "officers": OFFICERS, "party_signed": True, "av_reference": True,
            "violation_date": "2024-03-01", "place": "青浦区华新镇华志路1号", "party_name": "张三"}},
        {"type": "inquiry_record", "id": "2403001/询问.docx", "fields": {
            "start_time": "2024-03-06T10:00", "officers": OFFICERS, "party_signed": True, "party_name": "张三"}},
        {"type": "investigation_report", "id": "2403001/终结.docx", "fields": {"doc_date": "2024-03-20"}},
        {"type": "prior_notice", "id": "2403001/告知.docx", "fields": {
            "doc_date": "2024-03-25", "party_name": "张三", "proposed_fine_yuan": 500,
            "proposed_penalty_kinds": ["罚款"],
            "has_penalty": True, "has_facts": True, **BASIS, "right_statement": True, "statement_period_days": 3,
            "right_hearing": False, **SEAL}},
        {"type": "service_receipt", "id": "2403001/回证1.docx", "fields": {
            "served_doc": "prior_notice", "service_date": "2024-03-26", "service_method": "直接送达",
            "receiver_signed": True}},
        {"type": "decision", "id": "2403001/决定.docx", "fields": {
            "decision_date": "2024-04-08", "party_name": "张三", "party_id_number": "310115199001011234",
            "party_address": "青浦区华新镇",
            "has_facts": True, **BASIS, "has_penalty": True, "penalty_kinds": ["罚款"], "fine_yuan": 500,
            "has_performance": True, "has_surcharge_clause": True, "has_remedy": True, "remedy": REMEDY,
            "agency": "上海市青浦区城市管理行政执法局", **SEAL}},
        {"type": "service_receipt", "id": "2403001/回证2.docx", "fields": {
            "served_doc": "decision", "service_date": "2024-04-10", "service_method": "直接送达",
            "receiver_signed": True}},
        {"type": "payment_receipt", "id": "2403001/缴款.pdf",
         "fields": {"payment_date": "2024-04-15", "amount_yuan": 500}},
        {"type": "closing_approval", "id": "2403001/结案.docx", "fields": {
            "closing_date": "2024-04-20", "approver": "王某", "fine_yuan": 500}},
    ],
}

CLEAN_SIMPLE: dict[str, Any] = {
    "procedure": "simple", "outcome": "penalized",
    "fields": {"party": PARTY, "violation_type": "zhan_dao_she_tan", "decision_date": "2024-05-06", "fine_yuan": 50},
    "docs": [
        {"type": "simple_decision", "id": "S001/当场决定.pdf", "fields": {
            "decision_date": "2024-05-06", "party_name": "张三", "has_facts": True, "has_penalty": True,
            "penalty_kinds": ["罚款"], "fine_yuan": 50,
            "violated_provisions": ["《上海市市容环境卫生管理条例》第二十五条第二款"],
            "penalty_basis": ["《上海市市容环境卫生管理条例》第二十五条第二款"], "place": "青浦区盈港东路",
            "has_remedy": True, "reconsideration_first": True, "agency": "上海市青浦区城市管理行政执法局",
            "officers": OFFICERS, "collected_on_spot": True, "party_signed": True}},
        {"type": "payment_receipt", "id": "S001/收据.pdf", "fields": {"payment_date": "2024-05-06", "amount_yuan": 50,
                                                                     "party_name": "张三"}},
        {"type": "av_record", "id": "S001/记录仪.pdf"},
    ],
}

CLEAN_NOT_PENALIZED: dict[str, Any] = {
    "procedure": "general", "outcome": "not_penalized",
    "fields": {"party": PARTY, "violation_type": "kua_men_ying_ye", "filing_date": "2024-03-04",
               "decision_date": "2024-04-08", "decision_service_date": "2024-04-10", "closing_date": "2024-04-20"},
    "docs": [
        {"type": "filing_approval", "id": "f.docx", "fields": {"filing_date": "2024-03-04", "approver": "王某"}},
        {"type": "inspection_record", "id": "i.docx", "fields": {
            "start_time": "2024-03-01T09:30", "officers": OFFICERS, "party_signed": True, "av_reference": True}},
        {"type": "investigation_report", "id": "r.docx"},
        {"type": "non_penalty_decision", "id": "np.docx", "fields": {"decision_date": "2024-04-08", **SEAL}},
        {"type": "service_receipt", "id": "sr.docx", "fields": {"served_doc": "non_penalty_decision",
                                                                "service_date": "2024-04-10"}},
        {"type": "closing_approval", "id": "c.docx", "fields": {"closing_date": "2024-04-20", "approver": "王某"}},
    ],
}


@pytest.mark.parametrize("name, spec", [("general", CLEAN_GENERAL), ("simple", CLEAN_SIMPLE),
                                        ("not_penalized", CLEAN_NOT_PENALIZED)])
def test_checks_clean_case_has_no_finding(name: str, spec: dict[str, Any]) -> None:
    case = build_case(spec)
    got = run_case_checks(case, make_context(review_date="2024-06-30"), debug=True)
    got = [f for f in got if not all_checks()[f.check_id].cross]
    assert got == [], "\n".join(f"{f.check_id} {f.severity} {f.message}" for f in got)


def test_checks_speed_1000_cases() -> None:
    """Every single-file check over 1,000 synthetic files stays well under 10 s."""
    import copy
    import time

    single = [i for i, s in all_checks().items() if not s.cross]
    cases = []
    for i in range(1000):
        spec = copy.deepcopy((CLEAN_GENERAL, CLEAN_SIMPLE, CLEAN_NOT_PENALIZED)[i % 3])
        spec["case_id"] = f"C{i:04d}"
        if i % 7 == 0:  # some defective ones too
            spec["docs"] = spec["docs"][1:]
        cases.append(build_case(spec))
    ctx = make_context(review_date="2024-06-30")
    t0 = time.perf_counter()
    n = 0
    for c in cases:
        n += len(run_case_checks(c, ctx, only=single))
    elapsed = time.perf_counter() - t0
    print(f"\n{len(single)} single-file checks x 1000 cases: {elapsed:.2f} s, {n} findings")
    assert elapsed < 10
