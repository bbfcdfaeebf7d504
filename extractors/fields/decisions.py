"""Decisions and notices: 行政处罚决定书, 不予行政处罚决定书, 当场行政处罚决定书, 事先告知书."""
from __future__ import annotations

import re
from typing import Any

from extractors.fields.clauses import (
    read_citations,
    read_facts,
    read_flag,
    read_penalties,
    read_remedy,
    read_rights,
)
from extractors.fields.dates import (
    datetimes,
    end_of,
    read_doc_date,
)
from extractors.fields.identity import read_doc_number, read_labelled_squad
from extractors.fields.labels import labels
from extractors.fields.marks import read_agency, read_refusal, read_seal, read_signatures
from extractors.fields.parties import (
    read_officers,
    read_party,
    read_place,
)
from extractors.fields.registry import extracts
from extractors.fields.text import Out, Text
from extractors.violations import match_violation


# --- per doc type ------------------------------------------------------------------------------------
def _opening(t: Text, o: Out, decision: bool) -> None:
    """What every decision and notice opens with: its number, the party, the facts, the citations."""
    read_doc_number(t, o, decision=decision)
    read_party(t, o)
    read_facts(t, o)
    read_citations(t, o)


def _decision_date(t: Text, o: Out) -> None:
    """The decision date: the 落款 date after the remedy clause (also the document's date)."""
    d = read_doc_date(t, o, end_of(o, "remedy"))
    if d:
        o.emit("decision_date", d.iso, d.start, d.end, "dates", d.confidence)


@extracts("decisions.decision.v1", doc_types=("decision",),
          fields=("agency", "decision_date", "doc_date", "doc_number", "facts", "fine_yuan", "has_facts",
                  "has_penalty", "has_performance", "has_remedy", "has_seal",
                  "has_surcharge_clause", "party_address", "party_id_number", "party_kind",
                  "party_name", "party_representative", "penalty_basis", "penalty_kinds",
                  "remedy", "seal_text", "squad", "violated_provisions"))
def _x_decision(t: Text, o: Out, sd: Any) -> None:
    _opening(t, o, decision=True)
    read_penalties(t, o, proposed=False)
    read_flag(t, o, "has_performance", r"缴纳|缴款|交纳|缴至|指定(?:的)?银行|代收机构", "clauses")
    read_flag(t, o, "has_surcharge_clause", r"加处罚款|每日按罚款数额的(?:百分之三|3%)|加处", "clauses")
    read_remedy(t, o, sd)
    read_agency(t, o)
    _decision_date(t, o)
    read_seal(t, o, sd)
    read_labelled_squad(t, o)


@extracts("decisions.non_penalty_decision.v1", doc_types=("non_penalty_decision",),
          fields=("agency", "decision_date", "doc_date", "doc_number", "facts", "has_facts", "has_remedy",
                  "has_seal", "non_penalty_ground", "party_address", "party_id_number",
                  "party_kind", "party_name", "party_representative", "penalty_basis",
                  "remedy", "seal_text", "violated_provisions"))
def _x_non_penalty(t: Text, o: Out, sd: Any) -> None:
    _opening(t, o, decision=False)
    n = t.norm
    m = re.search(r"[^。\n]{0,60}(?:轻微|首次|首违|主观过错|不能成立|"
                  r"证据不足|已过追责时效|超过追责时效)[^。\n]{0,40}", n)
    if m:
        o.emit("non_penalty_ground", t.raw[m.start():m.end()].strip(" ,，。"), m.start(), m.end(), "grounds")
    read_remedy(t, o, sd)
    read_agency(t, o)
    _decision_date(t, o)
    read_seal(t, o, sd)


@extracts("decisions.prior_notice.v1", doc_types=("prior_notice",),
          fields=("agency", "doc_date", "doc_number", "facts", "has_facts", "has_penalty", "has_seal",
                  "party_address", "party_id_number", "party_kind", "party_name",
                  "party_representative", "penalty_basis", "proposed_fine_yuan",
                  "proposed_penalty_kinds", "right_hearing", "right_statement", "seal_text",
                  "statement_period_days", "statement_period_unit", "violated_provisions"))
def _x_prior_notice(t: Text, o: Out, sd: Any) -> None:
    _opening(t, o, decision=False)
    read_penalties(t, o, proposed=True)
    read_rights(t, o, sd)
    read_agency(t, o)
    read_doc_date(t, o, end_of(o, "right_hearing", "right_statement", "statement_period_days"))
    read_seal(t, o, sd)


def read_act_violation(t: Text, o: Out) -> None:
    """violation_type from the act stated before 违反 (documents without a 案由)."""
    m = re.search(r"违反", t.norm)
    if not m:
        return
    lo = max(0, m.start() - 60)
    who = None
    for who in re.finditer(r"你\(单位\)|你单位|你|当事人", t.norm[lo:m.start()]):  # noqa: B007 - the last one
        pass
    if who is not None:
        lo += who.end()
    key, score = match_violation(t.raw[lo:m.start()])
    if key:
        o.emit("violation_type", key, lo, m.start(), "cause", score)


@extracts("decisions.simple_decision.v1", doc_types=("simple_decision",),
          fields=("agency", "collected_on_spot", "decision_date", "doc_date", "doc_number", "fine_yuan",
                  "has_facts", "has_penalty", "has_remedy", "has_seal", "officers",
                  "party_address", "party_id_number", "party_kind", "party_name",
                  "party_representative", "party_signed", "penalty_basis", "penalty_kinds",
                  "place", "reconsideration_first", "refusal_note", "remedy", "remote_area",
                  "seal_text", "squad", "start_time", "violated_provisions", "violation_type"))
def _x_simple(t: Text, o: Out, sd: Any) -> None:
    read_doc_number(t, o, decision=False)
    read_party(t, o)
    read_act_violation(t, o)
    vm = re.search(r"违反", t.norm)
    if vm:  # the act is stated in the sentence that says 违反
        ls = max(t.norm.rfind("。", 0, vm.start()) + 1, t.line_start(vm.start()) if not t.pdf else 0)
        o.emit("has_facts", vm.start() - ls > 4, ls, vm.start(), "facts")
    else:
        o.emit("has_facts", False, None, None, "facts")
    read_officers(t, o)
    read_place(t, o, ("违法地点", "违法行为地点", "地点", "发生地点", "处罚地点"))
    for _s, e, _sep in t.label_iter(("违法时间", "违法行为时间", "时间", "发生时间")):
        dts = datetimes(t, e, min(len(t.norm), e + 40))
        if dts and t.norm[e:dts[0][1]].strip(" \t|:") == "":
            o.emit("start_time", dts[0][0], dts[0][1], dts[0][2], "dates")
            break
    read_citations(t, o)
    read_penalties(t, o, proposed=False)
    read_flag(t, o, "reconsideration_first", r"(?:应当|应|须)(?:先|首先)[^。]{0,40}?申请(?:行政)?复议|"
                                        r"复议前置|先(?:行)?申请(?:行政)?复议", "clauses")
    m = re.search(r"当场收缴", t.norm)
    if m:
        neg = re.search(r"(未|不|非)当场收缴|(?:□|☐)\s*当场收缴", t.norm[max(0, m.start() - 2):m.end()])
        o.emit("collected_on_spot", not bool(neg), m.start(), m.end(), "clauses")
    else:
        o.emit("collected_on_spot", False, None, None, "clauses")
    read_flag(t, o, "remote_area", r"边远|水上|交通不便", "clauses")
    read_remedy(t, o, sd)
    read_agency(t, o)
    read_labelled_squad(t, o)
    _decision_date(t, o)
    read_signatures(t, o, labels("party_sign"), "party_signed")
    read_refusal(t, o, sd)
    read_seal(t, o, sd)
