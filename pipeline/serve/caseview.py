"""The case page's view model: findings with their effect on the score, fields with provenance and
corrections, the 未能核实 list, and what the left pane shows (a page image with the quote's boxes,
or a DOCX page's text with the quote marked)."""
from __future__ import annotations

import collections
from collections.abc import Mapping
from typing import Any

from checks.common import DOC_NAMES
from checks.ocr import FIELD_NAMES
from pipeline.read.readers import DOCX_EXTS, IMAGE_EXTS, PDF_EXTS
from pipeline.serve import pages
from pipeline.serve.workbench import DECISION_CN, SEVERITY_CN, Workbench, findings_of
from pipeline.supervise.corrections import FieldCorrection, correctable_keys, form_of
from pipeline.supervise.labels import value_label

SUB_NAMES = {"party.name": "当事人名称", "party.kind": "当事人类型", "party.id_number": "证件号码",
             "party.address": "当事人地址", "remedy.reconsideration_body": "复议机关",
             "remedy.reconsideration_days": "复议期限（日）", "remedy.litigation_months": "起诉期限（月）",
             "remedy.litigation_court": "管辖法院"}


def finding_rows(bench: Workbench, case: Mapping[str, Any],
                 decisions: Mapping[tuple[str, str], Any]) -> list[dict[str, Any]]:
    """The case's findings in cases.jsonl order, each with its title, effect and decision."""
    records = findings_of(case)
    all_fx = bench.effects(case, decisions)
    counts = collections.Counter(f["check_id"] for f in case.get("findings", []))
    rows = []
    for i, (raw, rec) in enumerate(zip(case.get("findings", []), records)):
        mine = [fx for fx in all_fx if fx.finding == rec]
        spec = bench.catalogue.get(raw["check_id"], {})
        dec = decisions.get((case["case_id"], raw["check_id"])) or {}
        rows.append({
            "index": i, "check_id": raw["check_id"], "title": spec.get("title") or raw["check_id"],
            "severity": raw["severity"], "severity_cn": SEVERITY_CN.get(raw["severity"], raw["severity"]),
            "stage": raw.get("stage") or "", "citation": raw["citation"], "message": raw["message"],
            "evidence": [dict(e, label=_doc_label(bench, case, e["document"])) for e in raw.get("evidence", [])],
            "related": raw.get("related_cases", []), "shared": counts[raw["check_id"]],
            "effect": "；".join(_effect_text(fx) for fx in mine) or "不扣分",
            "decision": dec.get("decision"), "decision_cn": DECISION_CN.get(dec.get("decision") or "", "待审核"),
            "decided_by": dec.get("who"), "decided_at": dec.get("at"), "reason": dec.get("reason"),
            "history": dec.get("history", []),
        })
    return rows


def _doc_label(bench: Workbench, case: Mapping[str, Any], doc_id: str) -> str:
    """A document as the reviewer names it: its title (and its case when it is another one's)."""
    doc = bench.document(case, doc_id)
    if doc is None:
        return doc_id
    name = doc.get("title") or DOC_NAMES.get(doc["doc_type"], doc["doc_type"])
    return name if doc["case_id"] == case["case_id"] else f"案卷 {doc['case_id']} {name}"


def _effect_text(fx: Any) -> str:
    head = fx.label
    if fx.status == "deducted":
        head = f"扣 {_num(fx.points)} 分"
    if fx.item and fx.item != "—":
        head += f"（{fx.item}）"
    return head


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def field_rows(case: Mapping[str, Any], corrections: Mapping[str, FieldCorrection]) -> list[dict[str, Any]]:
    """Every correctable field: label, value shown, where it was read, the correction in force."""
    fields = case.get("fields", {})
    prov = (case.get("provenance") or {}).get("fields", {})
    rows = []
    for key in correctable_keys():
        top, _, sub = key.partition(".")
        value = fields.get(top)
        if sub:
            value = (value or {}).get(sub)
        corr = corrections.get(key)
        rows.append({
            "key": key, "label": SUB_NAMES.get(key) or FIELD_NAMES.get(key, key),
            "value": show(value_label(key, value)),
            "raw": edit_text(key, value), "form": form_of(key), "where": prov.get(top),
            "correction": corr, "extracted": show(value_label(key, corr.extracted)) if corr is not None else None,
            "corrected": ("未载明（空白）" if corr.blank else show(value_label(key, corr.value)))
            if corr is not None else None,
        })
    return rows


def show(value: Any) -> str:
    """A field value as the reviewer reads it."""
    if value is None or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_person(v) if isinstance(v, Mapping) else str(v) for v in value)
    if isinstance(value, Mapping):
        return "；".join(f"{k}：{show(v)}" for k, v in value.items() if v is not None) or "—"
    return str(value)


def _person(p: Mapping[str, Any]) -> str:
    return f"{p.get('name') or ''} {p.get('cert_no') or ''}".strip()


def edit_text(key: str, value: Any) -> str:
    """The value as the correction form's input expects it (``parse_value`` reads it back)."""
    if value is None:
        return ""
    if key == "hearing_waived":
        return "是" if value else "否"
    if key == "officers":
        return "、".join(_person(p) for p in value)
    if key in ("procedure", "outcome", "party.kind"):
        return str(value_label(key, value))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def extracted_value(case: Mapping[str, Any], key: str, corrections: Mapping[str, FieldCorrection]) -> Any:
    """What the extractors read for ``key`` (not a correction in force, which cases.jsonl shows
    once the review has applied it)."""
    if key in corrections:
        return corrections[key].extracted
    top, _, sub = key.partition(".")
    value = case.get("fields", {}).get(top)
    return (value or {}).get(sub) if sub else value


def viewer(bench: Workbench, case: Mapping[str, Any], doc_id: str | None, page: int | None,
           quote: str = "") -> dict[str, Any]:
    """What the left pane shows for ``doc_id`` page ``page`` with ``quote`` highlighted."""
    docs = case.get("documents", [])
    if not doc_id and docs:
        doc_id = docs[0]["path"] + (f"#{docs[0]['part']}" if docs[0].get("part") else "")
    doc = bench.document(case, doc_id) if doc_id else None
    if doc is None:
        return {"kind": "none", "quote": quote, "doc_id": doc_id}
    assert bench.archive is not None
    path = doc["path"]
    numbers = _page_numbers(bench, case, doc_id or path, doc)
    page = page if page in numbers else (numbers[0] if numbers else 1)
    stored = bench.page_of(case, doc_id or path, page)
    ext = pages.suffix(path)
    out: dict[str, Any] = {
        "doc_id": doc_id, "path": path, "case_id": doc["case_id"], "page": page, "numbers": numbers,
        "title": doc.get("title") or DOC_NAMES.get(doc["doc_type"], doc["doc_type"]),
        "doc_type": DOC_NAMES.get(doc["doc_type"], doc["doc_type"]), "source": doc["text_source"],
        "quote": quote, "boxes": [], "located": False, "text": None, "marked": None, "turn": 0, "skew": 0.0,
    }
    if ext in PDF_EXTS or ext in IMAGE_EXTS:
        out["kind"] = "image"
        boxes: list[Any] = []
        if quote:
            try:
                if stored is not None and stored.source == "ocr":
                    boxes = pages.ocr_quote_boxes(stored.text, tuple(getattr(stored, "line_boxes", ()) or ()), quote)
                elif ext in PDF_EXTS:
                    boxes = pages.pdf_quote_boxes(bench.archive, path, page, quote)
            except (pages.NotServed, OSError):
                boxes = []
        out["boxes"] = [_percent(b) for b in boxes]
        out["located"] = bool(boxes)
        if stored is not None and stored.source == "ocr":
            out["text"] = stored.text
            out["turn"], out["skew"] = stored.rotation, stored.skew  # the page as OCR levelled it
    elif ext in DOCX_EXTS:
        out["kind"] = "text"
        text = stored.text if stored is not None else _docx_page_text(bench, path, page)
        out["text"] = text
        marked = pages.marked_text(text or "", quote) if quote else None
        out["marked"] = marked
        out["located"] = marked is not None
    else:
        out["kind"] = "none"
    return out


def _page_numbers(bench: Workbench, case: Mapping[str, Any], doc_id: str, doc: Mapping[str, Any]) -> list[int]:
    path, _, part = doc_id.partition("#")
    owner = bench.case(doc["case_id"]) if doc["case_id"] != case["case_id"] else case
    ci = bench.case_input(owner["source"])
    if ci is not None:
        for d in ci.docs:
            if d.path == path and (not part or str(d.part) == part):
                return [p.number for p in d.pages]
    return list(range(1, int(doc.get("pages") or 1) + 1))


def _docx_page_text(bench: Workbench, path: str, page: int) -> str:
    from pipeline.read.readers import ReadLimits, read_docx_with_errors

    assert bench.archive is not None
    try:
        pages_read, _errors = read_docx_with_errors(pages.file_bytes(bench.archive, path), path, ReadLimits())
    except Exception:  # noqa: BLE001 - an unreadable file: the pane says so
        return ""
    for p in pages_read:
        if p.number == page:
            return str(p.text)
    return ""


def _percent(box: Any) -> dict[str, float]:
    x0, y0, x1, y1 = box
    pad = 0.003
    return {"left": round(max(0.0, x0 - pad) * 100, 3), "top": round(max(0.0, y0 - pad) * 100, 3),
            "width": round((x1 - x0 + 2 * pad) * 100, 3), "height": round((y1 - y0 + 2 * pad) * 100, 3)}


__all__ = ["edit_text", "extracted_value", "field_rows", "finding_rows", "show",
           "viewer"]
