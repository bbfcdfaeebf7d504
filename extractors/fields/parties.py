"""Parties and people: the party (name, id number, address, representative), the party of a record
(kept apart from the person asked), officers with their 执法证号, the witness and the place."""
from __future__ import annotations

import bisect
import functools
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
        o.emit("party_address", t.text(v[0], v[1]), v[0], v[1], "party")
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


# a certificate label, and a certificate number: an optional agency prefix (沪青城管, 青) then letters
# and digits; the bare form (no label) needs six digits or more
_CERT_LABEL = r"(?<!身份)(?:执法证件号码|执法证件号|执法证号码|执法证编号|执法证号|执法证|证件号码|证件号|证号)"
_CERT_NO = r"(?:[" + CJK + r"]{1,8}[ ]?(?=[A-Za-z0-9]))?[A-Za-z0-9][A-Za-z0-9\-]{3,19}"
_CERT_LIST = re.compile(_CERT_LABEL + r"[ \t]*(?:[:|][ \t]*)?(?P<list>" + _CERT_NO
                        + r"(?:[ \t]*[、,;/][ \t]*" + _CERT_NO + r")*)")
_CERT_LABEL_RX = re.compile(_CERT_LABEL)
_BARE_CERT = re.compile(r"[ \t]*[(\[]?[ \t]*(?P<no>(?:[" + CJK + r"]{1,8}[ ]?(?=\d))?[A-Za-z]{0,3}\d{6,14})(?![0-9])")
_CERT_CORE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]*")


def cert_number(printed: str) -> str:
    """The certificate number itself: the agency prefix (沪城管执字第, 沪城管执证), 第/号 and spaces
    dropped, so one officer's number is one key however a form prints it."""
    m = _CERT_CORE.search(printed)
    return m.group(0) if m else printed.strip()
_NAME_PART = re.compile(r"[" + CJK + r"*＊]{2,4}(?![" + CJK + r"])")
_NAME_CERT = re.compile(r"(?<![" + CJK + r"])(?P<n>[" + CJK + r"]{2,4})\s*\(\s*(?:执法证号|执法证件号|"
                        r"证号|执法证编号)\s*:?\s*(?:[" + CJK + r"]{1,8}[ ]?)?[A-Za-z0-9]")
_NOT_NAME = ("执法", "证号", "签名", "意见", "人员")


def _names_in(t: Text, vs: int, ve: int) -> list[tuple[str, int, int]]:
    """The officers' names in one value: 张三、李四 / 张三 李四 / 张三（执法证号…）、李四 31190012377."""
    out: list[tuple[str, int, int]] = []
    seg = t.norm[vs:ve]
    pos = 0
    for part in re.split(r"[、,;/ \t]|和", seg):
        ps = seg.find(part, pos) if part else -1
        if ps < 0:
            continue
        pos = ps + len(part)
        m = _NAME_PART.match(part)
        if not m or m.group(0) in ALL_LABELS or any(x in m.group(0) for x in _NOT_NAME):
            continue
        out.append((m.group(0), vs + ps, vs + ps + len(m.group(0))))
    return out


def _officer_region(t: Text, e: int, labels: Sequence[str]) -> int:
    """Where the names after an officer label end: the line's end (PDF: the next cut), or an
    earlier label that is neither an officer nor a certificate label."""
    end = t.line_end(e) if not t.pdf else t.row_end(e)
    cuts = t.cuts()
    keep = _keep_labels(tuple(labels))
    for k in range(bisect.bisect_right(cuts, e), len(cuts)):
        cut = cuts[k]
        if cut >= end:
            break
        if not keep.match(t.norm, cut):
            return cut
    return end


@functools.lru_cache(maxsize=16)
def _keep_labels(labels: tuple[str, ...]) -> re.Pattern[str]:
    """Labels that do not end a list of officers: the officer labels and the certificate labels."""
    return re.compile(r"(?:" + "|".join(map(re.escape, labels)) + r"|" + _CERT_LABEL + ")")


def _officer_names(t: Text, labels: Sequence[str]) -> list[tuple[str, int, int]]:
    names: list[tuple[str, int, int]] = []
    for _s, e, sep in t.label_iter(labels):
        if t.value_after(e, sep) is not None:
            names.extend(_names_in(t, e, _officer_region(t, e, labels)))
    # a two-column table: a header row (officer label, certificate label), then one officer a row
    for _s, e, _sep in t.label_iter(labels):
        le = t.line_end(e)
        if not re.match(r"[ \t|]*" + _CERT_LABEL + r"[ \t|]*$", t.norm[e:le]):
            continue
        row = le + (0 if t.pdf else 1)
        while row < len(t.norm):
            re_ = t.line_end(row)
            m = re.match(r"[ \t|]*(?P<n>[" + CJK + r"*＊]{2,4})[ \t|]+" + _CERT_NO + r"[ \t|]*$", t.norm[row:re_])
            if not m or m.group("n") in ALL_LABELS:
                break
            names.append((m.group("n"), row + m.start("n"), row + m.end("n")))
            row = re_ + (0 if t.pdf else 1)
    # names written as 张三（执法证号：123）without a label before each
    for m in _NAME_CERT.finditer(t.norm):
        nm = m.group("n")
        if nm not in ALL_LABELS and not any(n == nm for n, _, _ in names):
            names.append((nm, m.start("n"), m.end("n")))
    return sorted(set(names), key=lambda x: x[1])


def _cert_tokens(t: Text) -> tuple[list[tuple[int, int, str, int]], list[int]]:
    """Every labelled certificate number (start, end, number, index of its label) and the start
    of every certificate label that is followed by nothing."""
    certs: list[tuple[int, int, str, int]] = []
    for k, m in enumerate(_CERT_LIST.finditer(t.norm)):
        base = m.start("list")
        for nm in re.finditer(_CERT_NO, m.group("list")):
            certs.append((base + nm.start(), base + nm.end(), t.raw[base + nm.start():base + nm.end()], k))
    cuts = set(t.cuts())
    empty = []
    for m in _CERT_LABEL_RX.finditer(t.norm):
        after = m.end() + len(re.match(r"[ \t]*[:|]?[ \t]*", t.norm[m.end():]).group(0))  # type: ignore[union-attr]
        if after >= len(t.norm) or t.norm[after] in "\n)" or t.is_break(after) or after in cuts:
            empty.append(m.start())
    return certs, empty


def read_officers(t: Text, o: Out, labels: Sequence[str] = labels("officers")) -> None:
    """Officers with their 执法证号: ``[{"name", "cert_no", "cert_state"}]``.

    Names come from the officer labels' values (several to a value), from a two-column table under
    an officer/certificate header row, and from ``张三（执法证号…）``. A name's number is the first
    certificate after it and before the next name on its line (labelled, with or without an agency
    prefix, or a bare number right after the name); several numbers after one certificate label
    (``执法证号 31190012345、31190012377``) go to the names before it that have none, in order.
    ``cert_state``: "found"; "blank" when a certificate label after the name holds nothing; else
    "not_found" (no number printed where one could be read: never evidence of a missing one).
    """
    names = _officer_names(t, labels)
    if not names:
        return
    certs, empty = _cert_tokens(t)
    n = t.norm
    given: dict[int, tuple[int, int, str, int]] = {}  # name index -> its certificate
    used: set[int] = set()

    def take(i: int, c: tuple[int, int, str, int]) -> None:
        given[i] = c
        used.add(c[0])

    # 1. several numbers after one label go, in order, to as many names before it that have none
    for k in sorted({c[3] for c in certs if c[0] not in used}):
        group = [c for c in certs if c[3] == k and c[0] not in used]
        before = [i for i, x in enumerate(names) if i not in given and x[2] <= group[0][0]
                  and (t.pdf or t.line_start(x[1]) == t.line_start(group[0][0]))]
        if len(group) >= 2 and len(before) >= len(group):
            for i, g in zip(before[-len(group):], group):
                take(i, g)
    # 2. a number right after its name: 张三（执法证号：311…） / 张三 311… / 张三 执法证号：311…
    for i, (_nm, _s, e) in enumerate(names):
        if i in given:
            continue
        nc = next((c for c in certs if c[0] >= e and c[0] not in used), None)
        if nc is not None and re.fullmatch(r"[ \t(|:]*(?:" + _CERT_LABEL + r")?[ \t:|]*", n[e:nc[0]]):
            take(i, nc)
            continue
        bm = _BARE_CERT.match(n, e)
        if bm:
            take(i, (bm.start("no"), bm.end("no"), t.raw[bm.start("no"):bm.end("no")], -1))
    # 3. else the first number after the name, before the next name and within 60 characters
    for i, (_nm, _s, e) in enumerate(names):
        if i in given:
            continue
        nxt = names[i + 1][1] if i + 1 < len(names) else len(n)
        near = next((c for c in certs if e <= c[0] < min(nxt, e + 60) and c[0] not in used), None)
        if near is not None:
            take(i, near)
    out: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    lo, hi = names[0][1], max(x[2] for x in names)
    for i, (nm, s, e) in enumerate(names):
        cert = given.get(i)
        nxt = names[i + 1][1] if i + 1 < len(names) else len(n)
        stop = min(nxt, e + 60)
        state = "found" if cert else ("blank" if any(e <= x < stop for x in empty) else "not_found")
        if cert:
            hi = max(hi, cert[1])
        if nm in index:  # named twice (a signature row): keep the first, fill a missing number
            entry = out[index[nm]]
            if entry["cert_no"] is None and cert:
                entry.update(cert_no=cert_number(cert[2]), cert_state="found")
            continue
        index[nm] = len(out)
        out.append({"name": t.raw[s:e], "cert_no": cert_number(cert[2]) if cert else None, "cert_state": state})
    o.emit("officers", out, lo, hi, "officers", 1.0 if all(x["cert_no"] for x in out) else 0.9)


def read_place(t: Text, o: Out, labels: Sequence[str] = labels("place")) -> None:
    v = t.label_value(labels)
    if v:
        o.emit("place", t.text(v[0], v[1]), v[0], v[1], "place")


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
