"""The defect catalogue of the synthetic corpus: which check id a seeded defect stands for,
which cases can carry it, and what it needs from the case.

``DEFECTS[check_id]`` is a ``DefectKind``:

- ``kinds``: the case kinds (``gp`` general penalized, ``np`` not penalized, ``wd`` withdrawn,
  ``tr`` transferred, ``pd`` pending, ``sp`` simple) that can carry it;
- ``area``: what the defect touches; two defects of one case never share an area (so a case
  never carries, say, two timeline defects whose dates would fight);
- ``needs``: features the case must have (``HL`` hearing-level fine, ``NHL`` not hearing-level,
  ``PRES`` evidence preservation, ``INDIV`` individual party, ``NONCONT`` a one-off act type,
  ``SWAP`` a type with a same-range sibling article, ``CORR`` a correction order);
- ``also``: check ids the catalogue's own rules imply for this defect (listed in the truth);
- ``variants``: how it is seeded (used in turn over the occurrences of an id).

Where a defect bites on the documents is said here too: ``document_edits`` turns a case's defects
into edits on named places of its documents (the document families apply them and know no check
id), and ``QUOTES`` names the place each id's quote is taken from (``corpus.truth``). Defects that
move dates, fines or officers are placed by ``corpus.plan`` and ``corpus.timeline``.

How each id is seeded:

FIL-01 filing form present, 负责人 opinion/signature/date left blank (truth filing_date None) ·
FIL-02 立案 18–25 wd after discovery · ORD-02 inquiry record dated 1–3 wd before 立案 ·
LIM-01 a one-off act dated 2 years + 40–300 days before discovery, stated in the inspection record ·
OFF-01 inspection record (or on-the-spot decision) names one officer · OFF-02 second officer without 执法证号 ·
EVD-01 inquiry or inspection record without party signature, refusal note or witness ·
EVD-02 handling decision 9–12 wd after 先行登记保存, or none · REC-01 no av_record and no 执法记录仪 mention ·
NOT-01 no prior notice (also DOC-01) · NOT-02 notice without the 陈述申辩 rights, or the facts and basis,
or the amount · NOT-03 decision 1 wd after the notice was served, no statement or waiver ·
HRG-01 hearing-level fine, notice silent on 听证 · HRG-02 hearing-level, no waiver, decision 4 wd after service ·
DEF-01 decided fine above the proposed one (both in range, below the hearing level) ·
DEF-02 陈述申辩笔录 without 复核 opinion · LRV-01 hearing-level, no 法制审核 (集体讨论 kept) ·
LRV-02 hearing-level, no 集体讨论 (法制审核 kept) · DEC-01 decision 95–115 cd after 立案 (past the rolled-over
day 90), no extension · DEC-02 decision without the payment manner/deadline, or without the party address ·
DEC-03 remedy 15 days, or 3 months, or 复议机关 上海市城市管理行政执法局 · DEC-04 notice or correction order
without seal, or notice sealed by the 中队 · SIM-01 simple fine above 200 (individual) · SIM-02 no 复议前置
statement, or no place · SIM-03 150–200 元 collected on the spot · LAW-01 article of a same-range sibling type
(跨门营业 ↔ 占道设摊) · LAW-02 fine 1.2–1.6 × the maximum, or half the minimum, no 减轻 review ·
SRV-01 decision served 9–12 wd after it, directly · SRV-02 notice without any 送达回证 ·
PAY-01 payment 20–40 cd (and past the rolled-over day 15) after service, no 催告 ·
CLS-01 pending case filed 190–250 days before the month's end (also DEC-01) · CLS-02 撤案 for an unlawful
reason, or without 负责人 approval · ORD-01 payment before the decision, closing before the decision, or
decision served a day before it is dated · CON-01 party name spelled differently in the inquiry record (a shop
or company party only: a person's name in a record may be the person asked), notice or closing form ·
CON-02 receipt or closing form amount differs from the decision · DOC-01 no 案件调查终结审批表 ·
MIS-01 same person, type, place, 3–25 days apart: simple 150 + 100 元, or general 3,000 + 2,500 元 ·
MIS-02 inquiry Q&A copied into a case of another party (names replaced) · MIS-03 the same officer in two
inspection records of one day at different places, overlapping · MIS-04 no register row, or register fine,
立案日期 or 中队 differs (only what the file shows: no fine → 立案日期, no 立案日期 → 中队) (plus phantom register
rows without a file, kept outside the findings).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DefectKind:
    kinds: frozenset[str]
    area: str
    needs: frozenset[str] = frozenset()
    also: tuple[str, ...] = ()
    variants: tuple[str, ...] = ("default",)
    cross: bool = False


def _k(*kinds: str) -> frozenset[str]:
    return frozenset(kinds)


GEN = _k("gp")
DEFECTS: dict[str, DefectKind] = {
    "FIL-01": DefectKind(_k("gp", "np", "wd"), "filing", variants=("no_approval",)),
    "FIL-02": DefectKind(_k("gp", "np"), "timeline", variants=("late_filing",)),
    "ORD-02": DefectKind(GEN, "timeline", variants=("inquiry_before_filing",)),
    "LIM-01": DefectKind(GEN, "act", frozenset({"NONCONT"}), variants=("old_act",)),
    "OFF-01": DefectKind(_k("gp", "np", "sp"), "officers", variants=("one_officer",)),
    "OFF-02": DefectKind(_k("gp", "np", "wd"), "officers", variants=("no_cert",)),
    "EVD-01": DefectKind(_k("gp", "np"), "inquiry", variants=("unsigned_inquiry", "unsigned_inspection")),
    "EVD-02": DefectKind(GEN, "preservation", frozenset({"PRES"}), variants=("late_handling", "no_handling")),
    "REC-01": DefectKind(_k("gp", "sp"), "av", variants=("no_av",)),
    "NOT-01": DefectKind(GEN, "notice", frozenset({"NHL"}), also=("DOC-01",), variants=("no_notice",)),
    "NOT-02": DefectKind(GEN, "notice", frozenset({"NHL"}), variants=("no_rights", "no_facts", "no_penalty")),
    "NOT-03": DefectKind(GEN, "timeline", frozenset({"NHL"}), variants=("early_decision",)),
    "HRG-01": DefectKind(GEN, "notice", frozenset({"HL"}), variants=("no_hearing_right",)),
    "HRG-02": DefectKind(GEN, "timeline", frozenset({"HL"}), variants=("inside_window",)),
    "DEF-01": DefectKind(GEN, "fine", frozenset({"NHL"}), variants=("heavier",)),
    "DEF-02": DefectKind(GEN, "defence", variants=("no_review",)),
    "LRV-01": DefectKind(GEN, "legal", frozenset({"HL"}), variants=("no_review",)),
    "LRV-02": DefectKind(GEN, "discussion", frozenset({"HL"}), variants=("no_discussion",)),
    "DEC-01": DefectKind(GEN, "timeline", variants=("overdue",)),
    "DEC-02": DefectKind(GEN, "decision_text", variants=("no_performance", "no_address")),
    "DEC-03": DefectKind(GEN, "remedy", variants=("days15", "months3", "old_body")),
    "DEC-04": DefectKind(GEN, "seal", variants=("notice_no_seal", "notice_unit_seal", "correction_no_seal")),
    "SIM-01": DefectKind(_k("sp"), "simple_fine", frozenset({"INDIV"}), variants=("over_limit",)),
    "SIM-02": DefectKind(_k("sp"), "simple_text", variants=("no_recon_first", "no_place")),
    "SIM-03": DefectKind(_k("sp"), "simple_fine", frozenset({"INDIV"}), variants=("collected_over_100",)),
    "LAW-01": DefectKind(GEN, "basis", frozenset({"SWAP"}), variants=("wrong_article",)),
    "LAW-02": DefectKind(GEN, "fine", frozenset({"NHL"}), variants=("above_max", "below_min")),
    "SRV-01": DefectKind(GEN, "timeline", variants=("late_service",)),
    "SRV-02": DefectKind(GEN, "notice_service", frozenset({"NHL"}), variants=("no_notice_receipt",)),
    "PAY-01": DefectKind(GEN, "timeline", variants=("late_payment",)),
    "CLS-01": DefectKind(_k("pd"), "timeline", also=("DEC-01",), variants=("stale_pending",)),
    "CLS-02": DefectKind(_k("wd"), "withdrawal", variants=("bad_ground", "no_approval")),
    "ORD-01": DefectKind(GEN, "timeline", variants=("payment_before", "closing_before", "service_before")),
    "CON-01": DefectKind(_k("gp", "np"), "party", variants=("name_differs",)),
    "CON-02": DefectKind(GEN, "amount", variants=("receipt_differs", "closing_differs")),
    "DOC-01": DefectKind(GEN, "report", variants=("no_report",)),
    "MIS-01": DefectKind(_k("gp", "sp"), "cross_split", frozenset({"INDIV", "NHL"}), cross=True),
    "MIS-02": DefectKind(_k("gp", "np"), "inquiry", cross=True),
    "MIS-03": DefectKind(_k("gp", "np"), "cross_time", cross=True),
    "MIS-04": DefectKind(_k("gp", "np", "wd", "tr", "pd", "sp"), "register",
                         variants=("no_row", "fine_differs", "date_differs", "squad_differs")),
}

# Areas a timeline defect shares with others that would move the same dates.
CONFLICTS: dict[str, frozenset[str]] = {
    "timeline": frozenset({"cross_split", "cross_time", "notice_service"}),
    "notice": frozenset({"notice_service", "seal"}),
    # a split pair shares its place: a simple decision with a blank 违法地点 (SIM-02) would hide it
    "cross_split": frozenset({"timeline", "fine", "simple_fine", "act", "simple_text"}),
    "cross_time": frozenset({"timeline", "officers"}),
    "fine": frozenset({"amount", "cross_split"}),
    "notice_service": frozenset({"timeline", "notice"}),
    "seal": frozenset({"notice"}),
    "officers": frozenset({"cross_time"}),
    "act": frozenset({"cross_split"}),
    "simple_fine": frozenset({"cross_split"}),
}


def compatible(area: str, taken: set[str]) -> bool:
    if area in taken:
        return False
    bad = CONFLICTS.get(area, frozenset())
    return not (bad & taken) and not any(area in CONFLICTS.get(t, frozenset()) for t in taken)


# --- where defects bite on the documents --------------------------------------------------------

# (check id, variant or "*") -> edits: ("<doc key>.<place>" or "<doc key>", action). A document key
# alone with "omit" leaves the document out of the file.
EDITS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("FIL-01", "*"): (("filing.approval", "blank"),),
    ("OFF-01", "*"): (("inspection.officers", "first"), ("simple.officers", "first")),
    ("REC-01", "*"): (("av", "omit"), ("inspection.av_mention", "omit"), ("inspection.av_action", "omit"),
                      ("evidence.av", "omit")),
    ("LIM-01", "*"): (("inspection.old_act", "state"),),
    ("EVD-01", "unsigned_inspection"): (("inspection.party_sign", "blank"),),
    ("EVD-01", "unsigned_inquiry"): (("inquiry.party_sign", "blank"),),
    ("DEC-04", "correction_no_seal"): (("correction.seal", "omit"),),
    ("DEC-04", "notice_no_seal"): (("notice.seal", "omit"),),
    ("DEC-04", "notice_unit_seal"): (("notice.seal", "unit"),),
    ("NOT-01", "*"): (("notice", "omit"),),
    ("SRV-02", "*"): (("notice_srv", "omit"),),
    ("DOC-01", "*"): (("report", "omit"),),
    ("NOT-02", "no_rights"): (("notice.rights", "omit"),),
    ("NOT-02", "no_facts"): (("notice.facts", "omit"),),
    ("NOT-02", "no_penalty"): (("notice.penalty", "vague"),),
    ("HRG-01", "*"): (("notice.hearing", "omit"),),
    ("DEF-02", "*"): (("defence.review", "omit"),),
    ("DEC-02", "no_performance"): (("decision.performance", "omit"),),
    ("DEC-02", "no_address"): (("decision.address", "omit"),),
    ("DEC-03", "days15"): (("remedy", "days15"),),
    ("DEC-03", "months3"): (("remedy", "months3"),),
    ("DEC-03", "old_body"): (("remedy", "old_body"),),
    ("SIM-02", "no_recon_first"): (("simple.recon_first", "omit"),),
    ("SIM-02", "no_place"): (("simple.place", "blank"),),
    ("LAW-01", "*"): (("cites", "sibling"),),
    ("CON-02", "receipt_differs"): (("payment.amount", "wrong"),),
    ("CON-02", "closing_differs"): (("closing.amount", "wrong"),),
    ("CLS-02", "bad_ground"): (("withdrawal.ground", "unlawful"),),
    ("CLS-02", "no_approval"): (("withdrawal.approval", "blank"),),
}


def document_edits(defects: Sequence[str], variant: Mapping[str, str]) -> dict[str, str]:
    """The edits a case's seeded defects make on its documents: ``"<doc key>.<place>" -> action``."""
    out: dict[str, str] = {}
    for cid in defects:
        for slot, action in EDITS.get((cid, variant.get(cid, "")), EDITS.get((cid, "*"), ())):
            out[slot] = action
        if cid == "CON-01":  # the misspelt name goes to one document, chosen when the case was planned
            out[f"{variant['CON-01:doc']}.party_name"] = "alt"
    return out


@dataclass(frozen=True, slots=True)
class Quote:
    """Where a seeded id's quote stands: the mark ``place`` of document ``doc``; ``absent`` when the
    quote marks where something is missing."""

    doc: str
    place: str
    absent: bool = False


# (check id, variant or "*") -> the quote; "sp:" keys hold the simple-procedure place of an id.
QUOTES: dict[tuple[str, str], Quote] = {
    ("FIL-01", "*"): Quote("filing", "approval_label", True),
    ("FIL-02", "*"): Quote("filing", "approval_date"),
    ("CLS-01", "*"): Quote("filing", "approval_date", True),
    ("ORD-02", "*"): Quote("inquiry", "timeline"),
    ("LIM-01", "*"): Quote("inspection", "old_act"),
    ("OFF-01", "*"): Quote("inspection", "first_officer"),
    ("OFF-01", "sp:*"): Quote("simple", "officer_line"),
    ("OFF-02", "*"): Quote("inspection", "second_officer"),
    ("REC-01", "*"): Quote("inspection", "timeline", True),
    ("REC-01", "sp:*"): Quote("simple", "penalty", True),
    ("MIS-03", "*"): Quote("inspection", "timeline"),
    ("DEC-04", "correction_no_seal"): Quote("correction", "number", True),
    ("DEC-04", "notice_no_seal"): Quote("notice", "number", True),
    ("DEC-04", "notice_unit_seal"): Quote("notice", "unit_seal"),
    ("EVD-01", "unsigned_inspection"): Quote("inspection", "party_sign", True),
    ("EVD-01", "unsigned_inquiry"): Quote("inquiry", "party_sign", True),
    ("MIS-02", "*"): Quote("inquiry", "longest_answer"),
    ("EVD-02", "late_handling"): Quote("pres_handling", "date"),
    ("EVD-02", "no_handling"): Quote("preservation", "date", True),
    ("NOT-02", "no_facts"): Quote("notice", "amount", True),
    ("NOT-02", "no_penalty"): Quote("notice", "penalty", True),
    ("NOT-02", "no_rights"): Quote("notice", "penalty", True),
    ("HRG-01", "*"): Quote("notice", "rights", True),
    ("SRV-02", "*"): Quote("notice", "number", True),
    ("SRV-01", "*"): Quote("dec_srv", "date"),
    ("ORD-01", "service_before"): Quote("dec_srv", "date"),
    ("ORD-01", "payment_before"): Quote("payment", "date"),
    ("ORD-01", "closing_before"): Quote("closing", "date"),
    ("DEF-02", "*"): Quote("defence", "said", True),
    ("DEC-03", "*"): Quote("decision", "remedy"),
    ("SIM-02", "no_recon_first"): Quote("simple", "remedy"),
    ("SIM-02", "no_place"): Quote("simple", "when", True),
    ("DEC-02", "no_performance"): Quote("decision", "penalty", True),
    ("DEC-02", "no_address"): Quote("decision", "party_name", True),
    ("NOT-03", "*"): Quote("decision", "date"),
    ("HRG-02", "*"): Quote("decision", "date"),
    ("DEC-01", "*"): Quote("decision", "date"),
    ("NOT-01", "*"): Quote("decision", "number", True),
    ("DOC-01", "*"): Quote("decision", "number", True),
    ("DEF-01", "*"): Quote("decision", "penalty"),
    ("LAW-02", "*"): Quote("decision", "penalty"),
    ("MIS-01", "*"): Quote("decision", "penalty"),
    ("MIS-01", "sp:*"): Quote("simple", "penalty"),
    ("LRV-01", "*"): Quote("decision", "penalty", True),
    ("LRV-02", "*"): Quote("decision", "penalty", True),
    ("LAW-01", "*"): Quote("decision", "violated"),
    ("CON-02", "receipt_differs"): Quote("payment", "amount"),
    ("CON-02", "closing_differs"): Quote("closing", "amount"),
    ("PAY-01", "*"): Quote("payment", "date"),
    ("CLS-02", "no_approval"): Quote("withdrawal", "approval_label", True),
    ("CLS-02", "bad_ground"): Quote("withdrawal", "ground"),
    ("SIM-01", "*"): Quote("simple", "penalty"),
    ("SIM-03", "*"): Quote("simple", "collect"),
}


def quote_of(cid: str, variant: Mapping[str, str], kind: str) -> Quote | None:
    """Where the quote of seeded id ``cid`` stands in a case of ``kind`` (``None``: no document quote)."""
    if cid == "CON-01":
        return Quote(variant["CON-01:doc"], "party_name")
    v = variant.get(cid, "")
    for key in ((cid, f"{kind}:{v}"), (cid, f"{kind}:*"), (cid, v), (cid, "*")):
        if key in QUOTES:
            return QUOTES[key]
    return None
