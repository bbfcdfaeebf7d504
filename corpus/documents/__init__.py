"""The documents of a case, one module per family, written from the case's plan.

``build_docs(plan, rng, edits)`` writes every document the case's procedure holds, in file order,
and returns them with the remedy the decision states and the marks the defect step quotes from.
"""
from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from corpus.case import Plan
from corpus.documents.approvals import closing, dec_approval, discussion, extension, filing, legal, report, withdrawal
from corpus.documents.base import DocB, Writer, text_of
from corpus.documents.decisions import decision, nonpen, simple
from corpus.documents.notice import notice
from corpus.documents.orders import coercive, correction, preservation
from corpus.documents.others import backnote, cover, idcopy, toc
from corpus.documents.payment import payment
from corpus.documents.records import av, defence, hearing_docs, inquiry, inspection, waiver
from corpus.documents.service import service
from corpus.documents.source import source
from corpus.spec import DocSpec

__all__ = ["CaseDocs", "DocB", "build_docs", "text_of"]


@dataclass(frozen=True, slots=True)
class CaseDocs:
    """The documents of one case (key, document) in file order, the remedy its decision states
    (``None`` without a decision) and the printed text of named places ``(key, place) -> text``."""

    docs: tuple[tuple[str, DocSpec], ...]
    remedy: dict[str, Any] | None
    marks: Mapping[tuple[str, str], str]


def build_docs(p: Plan, rng: random.Random, edits: Mapping[str, str]) -> CaseDocs:
    w = Writer(p, rng, edits)
    remedy = _write(w, p, rng)
    return CaseDocs(tuple(w.docs), remedy, dict(w.marks))


def _write(w: Writer, p: Plan, rng: random.Random) -> dict[str, Any] | None:
    remedy: dict[str, Any] | None = None
    k = p.kind
    want_cover = rng.random() < 0.25 and k != "sp"
    if k == "sp":
        remedy = simple(w)
        if p.fine:
            payment(w)
        if w.edit("av") != "omit":
            av(w)
        if rng.random() < 0.15:
            idcopy(w)
        return remedy
    if want_cover:
        cover(w)
    source(w)
    filing(w)
    inspection(w)
    if p.has_correction and "correction" in p.d:
        correction(w)
    if "inquiry" in p.d:
        inquiry(w)
    if rng.random() < 0.25:
        idcopy(w)
    if p.has_preservation:
        preservation(w)
    if p.has_coercive:
        coercive(w)
    if w.edit("av") != "omit":
        av(w)
    if k == "pd":
        if p.has_extension:
            extension(w)
        return None
    if k in ("wd", "tr"):
        if k == "tr":
            legal(w)
        withdrawal(w)
        return None
    if w.edit("report") != "omit":
        report(w)
    if k == "np":
        remedy = nonpen(w)
        service(w, "dec_srv", "不予行政处罚决定书", p.nums["nonpen_printed"].strip(), p.d["decision_service"],
                p.service_method)
        closing(w)
    else:
        if p.has_legal:
            legal(w)
        if p.has_discussion:
            discussion(w)
        if w.edit("notice") != "omit":
            notice(w)
            if w.edit("notice_srv") != "omit":
                method = rng.choice(("直接送达", "直接送达", "邮寄送达")) if p.hearing_mode != "held" else "直接送达"
                service(w, "notice_srv", "行政处罚事先告知书", p.nums["notice"], p.d["notice_service"], method)
        if p.has_defence:
            defence(w)
        if p.hearing_mode == "waiver":
            waiver(w)
        if p.hearing_mode == "held":
            hearing_docs(w)
        if p.has_extension:
            extension(w)
        dec_approval(w)
        remedy = decision(w)
        service(w, "dec_srv", "行政处罚决定书", p.nums["decision_printed"].strip(), p.d["decision_service"],
                p.service_method)
        payment(w)
        closing(w)
    if want_cover and rng.random() < 0.6:
        toc(w)
        w.docs.insert(1, w.docs.pop())
    if rng.random() < 0.2:
        backnote(w)
    return remedy
