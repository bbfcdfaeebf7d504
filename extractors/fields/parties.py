"""Parties and people: the party (name, id number, address, representative), the party of a record
(kept apart from the person asked), officers with their 执法证号, the witness and the place."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from extractors.fields.labels import ALL_LABELS, labels
from extractors.fields.marks import AGENCY_LINE
from extractors.fields.text import (
    CJK,
    Out,
    Text,
)
from extractors.nlp import CERT_RE
from extractors.normalise import party as _p

# --- small value helpers --------------------------------------------------------------------------
_NAME_RE = re.compile(r"[" + CJK + r"·*＊]{1,6}")


ORG_HINT = re.compile(r"(公司|厂|店|商行|中心|合作社|事务所|集团|部|馆|社|"
                      r"院|所|会|站|行|超市|酒店|餐厅|饭店|银行|学校|单位)")


def clean_name(t: Text, s: int, e: int, org_ok: bool = True) -> tuple[int, int] | None:
    raw = t.norm[s:e]
    cut = len(raw)
    for ch in "(,;。 \t|":
        k = raw.find(ch)
        if k > 0:
            cut = min(cut, k)
    raw = raw[:cut]
    if not raw:
        return None
    if org_ok and ORG_HINT.search(raw) and len(raw) <= 40:
        return s, s + len(raw)
    m = _NAME_RE.match(raw)
    if not m or len(m.group(0)) < 2 and "*" not in raw:
        return None
    name = m.group(0)
    if name in ALL_LABELS or name in ("男", "女", "无", "拒签", "拒绝签名"):
        return None
    return s, s + len(name)


# --- families ---------------------------------------------------------------------------------------
def read_party(t: Text, o: Out, lo: int = 0, hi: int | None = None,
           rep_labels: Sequence[str] = labels("representative"), name_labels: Sequence[str] = labels("party")) -> None:
    hi = len(t.norm) if hi is None else hi
    v = t.label_value(name_labels, lo, hi)
    if v:
        nm = clean_name(t, *v)
        if nm:
            o.emit("party_name", t.raw[nm[0]:nm[1]], nm[0], nm[1], "party")
    v = t.label_value(labels("party_id"), lo, hi)
    if v:
        m = re.match(r"[0-9A-Za-z*＊]{15,20}", t.norm[v[0]:v[1]])
        if m:
            o.emit("party_id_number", t.raw[v[0]:v[0] + m.end()], v[0], v[0] + m.end(), "party")
    v = t.label_value(labels("party_address"), lo, hi)
    if v:
        o.emit("party_address", t.raw[v[0]:v[1]], v[0], v[1], "party")
    v = t.label_value(rep_labels, lo, hi)
    if v:
        nm = clean_name(t, *v, org_ok=False)
        if nm:
            o.emit("party_representative", t.raw[nm[0]:nm[1]], nm[0], nm[1], "party")
    if not o.has("party_name") and lo == 0:
        # a letter addressed to the party: "上海某某有限公司：" on its own line near the top
        for ls, le in t.lines(min(len(t.norm), 240)):
            m = _ADDRESSEE.match(t.norm, ls, le)
            if m and m.group(1) not in ALL_LABELS and not AGENCY_LINE.fullmatch(m.group(1)):
                o.emit("party_name", t.raw[m.start(1):m.end(1)], m.start(1), m.end(1), "party", 0.9)
                break
    if o.has("party_name") or o.has("party_id_number"):
        kind = party_kind_of(o)
        if kind:
            f = next((x for x in o.fields if x.name in ("party_id_number", "party_name")), None)
            o.emit("party_kind", kind, *(o.pos(f.name) if f else (None, None)), "party")


_ADDRESSEE = re.compile(r"\s*([" + CJK + r"()*＊·]{2,40}?)\s*:\s*$")


def party_kind_of(o: Out) -> str | None:
    name = next((f.value for f in o.fields if f.name == "party_name"), None)
    idn = next((f.value for f in o.fields if f.name == "party_id_number"), None)
    return _p.party_kind(id_number=idn, name=name, text=o.t.raw)


def read_officers(t: Text, o: Out, labels: Sequence[str] = labels("officers")) -> None:
    """Officers named after an officer label, each paired with the next 执法证号 before the next name."""
    names: list[tuple[str, int, int]] = []
    for _ls, vs, ve in t.label_values(labels):
        seg = t.norm[vs:ve]
        # several names in one value: 张三、李四 / 张三 李四
        pos = 0
        for part in re.split(r"[、,/ ]|和", seg):
            ps = seg.find(part, pos) if part else -1
            if ps < 0:
                continue
            pos = ps + len(part)
            m = re.match(r"[" + CJK + r"*＊]{2,4}(?![" + CJK + r"])", part)
            if not m or m.group(0) in ALL_LABELS:
                continue
            nm = m.group(0)
            if any(x in nm for x in ("执法", "证号", "签名", "意见", "人员")):
                continue
            names.append((nm, vs + ps, vs + ps + len(nm)))
    # names written as 张三（执法证号：123）without a label before each
    for m in re.finditer(r"(?<![" + CJK + r"])(?P<n>[" + CJK + r"]{2,4})\s*\(\s*(?:执法证号|执法证件号|"
                                        r"证号|执法证编号)\s*:?\s*[A-Za-z0-9]", t.norm):
        nm = m.group("n")
        if nm not in ALL_LABELS and not any(n == nm for n, _, _ in names):
            names.append((nm, m.start("n"), m.end("n")))
    names.sort(key=lambda x: x[1])
    certs = [(m.start("no"), m.end("no"), m.group("no")) for m in CERT_RE.finditer(t.norm)]
    seen: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    starts: dict[str, int] = {}
    ends: dict[str, int] = {}
    for i, (nm, s, e) in enumerate(names):
        nxt = names[i + 1][1] if i + 1 < len(names) else len(t.norm)
        # the cert belongs to this name when it lies before the next name and within 60 chars
        cert = next((c for c in certs if e <= c[0] < min(nxt, e + 60)), None)
        # or a cert label directly before the name in a table row "证号 | 123 | 姓名 | 张三" is not supported
        if nm not in seen:
            seen[nm] = {"name": t.raw[s:e], "cert_no": cert[2] if cert else None}
            order.append(nm)
            starts[nm] = s
            ends[nm] = cert[1] if cert else e
        elif seen[nm]["cert_no"] is None and cert:
            seen[nm]["cert_no"] = cert[2]
    if order:
        lo = min(starts.values())
        hi = max(ends.values())
        o.emit("officers", [seen[n] for n in order], lo, hi, "officers",
               1.0 if all(seen[n]["cert_no"] for n in order) else 0.9)


def read_place(t: Text, o: Out, labels: Sequence[str] = labels("place")) -> None:
    v = t.label_value(labels)
    if v:
        o.emit("place", t.raw[v[0]:v[1]], v[0], v[1], "place")


def read_witness(t: Text, o: Out) -> None:
    v = t.label_value(labels("witness"))
    if v:
        nm = clean_name(t, *v, org_ok=False)
        if nm:
            o.emit("witness", t.raw[nm[0]:nm[1]], nm[0], nm[1], "party")


# in a record the person asked (被询问人 / 姓名) is not necessarily the party: an employee, the
# operator of a shop or the legal representative of a company may answer for it
_ASKED = ("被询问人", "被询问人姓名", "姓名")


_RECORD_PARTY = tuple(x for x in labels("party") if x not in _ASKED)


_ASKED_FOR = re.compile(r"\s*(?P<who>[" + CJK + r"·*＊]{2,6})\s*\(\s*(?:系|"
                                        r"为|是)?\s*(?P<org>[" + CJK + r"()（）·*＊]{2,40}?)"
                        r"\s*(?:的)?\s*(?P<role>经营者|法定代表人|负责人|实际经营人|业主|店主|老板|股东|员工|职工|店员|雇员|"
                        r"工作人员|服务员|驾驶员|司机|管理人员|经理|厨师)\s*\)")


_REP_ROLES = ("经营者", "法定代表人", "负责人", "实际经营人", "业主", "店主", "老板")


def read_record_party(t: Text, o: Out) -> None:
    """The party of a record, kept apart from the person asked.

    ``party_name`` comes from a party label (当事人, 被检查人（当事人）, 被检查单位 …); else from the
    unit the person asked answers for (``被询问人 赵洋（青浦区某某便利店经营者）`` → the shop, and
    赵洋 as ``party_representative`` when the role is 经营者 / 法定代表人 / 负责人); else, the
    person asked himself (an individual party usually answers for himself — checks comparing
    party names do not rely on a personal name taken from a record).
    """
    read_party(t, o, name_labels=_RECORD_PARTY)
    v = t.label_value(_ASKED)
    if not v:
        return
    m = _ASKED_FOR.match(t.norm, v[0])
    if m and ORG_HINT.search(m.group("org")):
        # the 身份证号 of the form is the person asked's, not the unit's: drop it (and the kind
        # read from it)
        idf = next((f for f in o.fields if f.name == "party_id_number"), None)
        if idf is not None and personal_id(str(idf.value)):
            o.drop("party_id_number", "party_kind")
        if not o.has("party_name"):
            o.emit("party_name", t.raw[m.start("org"):m.end("org")], m.start("org"), m.end("org"), "party")
        if m.group("role") in _REP_ROLES and not o.has("party_representative"):
            o.emit("party_representative", t.raw[m.start("who"):m.end("who")], m.start("who"), m.end("who"), "party")
        if not o.has("party_kind"):
            # the form's 性别 / 身份证号 describe the person asked: judge the unit by its name, else
            # by the role (an 经营者 answers for a 个体工商户, a 法定代表人 for a company)
            name = next((f.value for f in o.fields if f.name == "party_name"), None)
            kind = _p.party_kind(id_number=None, name=name, text="") or {
                "法定代表人": "organisation", "经营者": "individual", "实际经营人": "individual",
                "业主": "individual", "店主": "individual"}.get(m.group("role"))
            if kind:
                o.emit("party_kind", kind, *o.pos("party_name"), "party")
        return
    if not o.has("party_name"):
        nm = clean_name(t, *v)
        if nm:
            o.emit("party_name", t.raw[nm[0]:nm[1]], nm[0], nm[1], "party", 0.8)


def personal_id(s: str) -> bool:
    """A 身份证号 (18 characters, digits but the check character; masks allowed), not a credit code."""
    s = s.strip().upper()
    return len(s) == 18 and s[:1] != "9" and all(c.isdigit() or c in "*＊×" for c in s[:17])
