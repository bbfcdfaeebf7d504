"""Prose clauses: citations, penalties, remedy, facts, rights, waivers, the record body and the
approval section."""
from __future__ import annotations

import re
from typing import Any

from extractors.fields.dates import (
    date_at,
)
from extractors.fields.labels import ALL_LABELS, labels
from extractors.fields.parties import (
    clean_name,
)
from extractors.fields.text import (
    CJK,
    Out,
    Text,
    cn_or_int,
    find_cites,
    find_money,
    money_norm,
)
from extractors.nlp import spans_of

PENALTY_KINDS: tuple[tuple[str, str], ...] = (
    # (canonical, regex)
    ("警告", r"警告"),
    ("通报批评", r"通报批评"),
    ("罚款", r"罚款"),
    ("没收违法所得", r"没收(?:其)?违法所得"),
    ("没收非法财物", r"没收(?:其)?(?:非法财物|违法财物|[^，。,;；]{0,12}(?:工具|物品|设施|器材))"),
    ("暂扣许可证件", r"暂扣[^，。,;；]{0,8}(?:许可证|执照|证件|许可)"),
    ("吊销许可证件", r"吊销[^，。,;；]{0,8}(?:许可证|执照|证件|许可)"),
    ("降低资质等级", r"降低资质等级"),
    ("限制开展生产经营活动", r"限制开展生产经营活动"),
    ("责令停产停业", r"责令停产停业"),
    ("责令关闭", r"责令关闭"),
    ("限制从业", r"限制从业"),
    ("行政拘留", r"行政拘留"),
    ("限期拆除", r"限期(?:自行)?拆除"),
)


# --- citations, penalties, money, remedy ---------------------------------------------------------
_TRIG = re.compile(r"(违反了|违反|依据|根据|依照|按照|参照|裁量|加处|复议|诉讼|第七十二条)")


_Cites = list[tuple[int, int, str]]


def classify_citations(t: Text, lo: int = 0, hi: int | None = None) -> tuple[_Cites, _Cites]:
    hi = len(t.raw) if hi is None else hi
    violated: list[tuple[int, int, str]] = []
    basis: list[tuple[int, int, str]] = []
    for s, e, canon in find_cites(t.raw[lo:hi], lo):
        sent_start = max(t.norm.rfind("。", 0, s), t.norm.rfind("\n", 0, s), lo - 1) + 1
        clause_start = max(sent_start, t.norm.rfind(",", 0, s) + 1, t.norm.rfind(";", 0, s) + 1)
        clause = t.norm[clause_start:s]
        before = t.norm[sent_start:s]
        sent_end = t.norm.find("。", e)
        sentence = t.norm[sent_start:len(t.norm) if sent_end == -1 else sent_end]
        if (re.search(r"参照|裁量|加处|复议|诉讼", clause) or "加处罚款" in sentence
                or "行政处罚法" in canon and "第七十二条" in canon):
            continue
        trig = [m.group(1) for m in _TRIG.finditer(before)]
        last = trig[-1] if trig else None
        if last in ("违反了", "违反"):
            violated.append((s, e, canon))
        elif last in ("依据", "根据", "依照", "按照"):
            tail = t.norm[e:min(len(t.norm), e + 80)]
            stop = re.search(r"[。\n]", tail)
            tail = tail[:stop.start()] if stop else tail
            if re.search(r"参照|裁量", clause) or (last == "按照" and "裁量" in tail[:20]):
                continue
            if re.search(r"陈述|申辩|听证|复议|诉讼|告知|权利", tail):
                continue
            if canon.startswith(PROCEDURAL_ARTICLES):
                continue
            basis.append((s, e, canon))
    return violated, basis


# articles of the 行政处罚法 that are procedure, not a penalty basis: rights (44, 45, 63, 64),
# the simple procedure (51, 52), the late-payment surcharge (72), service (61)
_APL = "《中华人民共和国行政处罚法》"


PROCEDURAL_ARTICLES = tuple(_APL + a for a in (
    "第四十四条", "第四十五条", "第五十一条", "第五十二条", "第六十一条", "第六十三条", "第六十四条",
    "第七十二条"))


def _dedupe(items: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    seen: set[str] = set()
    out = []
    for it in items:
        if it[2] not in seen:
            seen.add(it[2])
            out.append(it)
    return out


def _emit_list(t: Text, o: Out, name: str, items: list[tuple[int, int, str]], family: str) -> None:
    items = _dedupe(items)
    if items:
        o.emit(name, [x[2] for x in items], items[0][0], items[-1][1], family)


def read_citations(t: Text, o: Out, lo: int = 0, hi: int | None = None) -> None:
    v, b = classify_citations(t, lo, hi)
    _emit_list(t, o, "violated_provisions", v, "citations")
    _emit_list(t, o, "penalty_basis", b, "citations")


def penalty_region(t: Text, proposed: bool) -> tuple[int, int] | None:
    n = t.norm
    if proposed:
        m = re.search(r"拟(?:作出|对|给予|处以|决定|作|予以)", n)
    else:
        m = None
        for rx in (r"(?:决定|作出如下|处罚如下|现决定|予以|责令|处以)[^。]{0,40}?(?:行政处罚|处罚|罚款|警告|如下)",
                   r"决定(?:给予|对|处以|作出|如下|:)"):
            m = re.search(rx, n)
            if m:
                break
    if not m:
        return None
    s = m.start()
    # the penalty sentence ends at the performance / remedy / surcharge clause
    end_rx = re.compile(r"(如不服|逾期不|到期不缴纳|申请行政复议|收到本决定书之日起|"
                        r"当事人应当|限于|请于|应于|自收到|。\s*\n)")
    e = end_rx.search(n, m.end())
    return s, (e.start() if e else min(len(n), s + 300))


_BOUND_AFTER = re.compile(r"\s*(?:以上|以下|至|到|[-－—~～])")
_BOUND_BEFORE = re.compile(r"(?:以上|至|到|[-－—~～])\s*$")


def _range_bound(n: str, start: int, end: int) -> bool:
    """The amount at [start, end) is a bound of a range (…元以上…元以下, …至…元), not an amount."""
    return bool(_BOUND_AFTER.match(n, end) or _BOUND_BEFORE.search(n[max(0, start - 3):start]))


def read_penalties(t: Text, o: Out, proposed: bool) -> None:
    reg = penalty_region(t, proposed)
    name_kinds = "proposed_penalty_kinds" if proposed else "penalty_kinds"
    name_fine = "proposed_fine_yuan" if proposed else "fine_yuan"
    if not reg:
        o.emit("has_penalty", False, None, None, "penalties")
        return
    s, e = reg
    seg = t.norm[s:e]
    kinds: list[tuple[int, str]] = []
    for canon, rx in PENALTY_KINDS:
        for m in re.finditer(rx, seg):
            if canon == "罚款" and re.search(r"加处|处罚款数额", seg[max(0, m.start() - 3):m.end() + 3]):
                continue
            if unticked(seg, m.start()):  # a printed form's choice left unticked: ☐警告 ☑罚款
                continue
            kinds.append((m.start(), canon))
            break
    kinds.sort()
    if kinds:
        o.emit(name_kinds, [k for _, k in kinds], s, e, "penalties")
        o.emit("has_penalty", True, s, e, "penalties")
    else:
        o.emit("has_penalty", False, None, None, "penalties")
    # a statute's range quoted inline (处五十元以上五百元以下罚款) bounds the fine; it is not the fine
    money = [mm for mm in find_money(t.raw[s:e], s) if not _range_bound(t.norm, mm.start, mm.end)]
    # the amount next to 罚款
    fk = [m.start() + s for m in re.finditer(r"罚款|罚金|处以", seg)]
    pick = None
    for mm in money:
        if any(abs(mm.start - f) <= 20 for f in fk):
            pick = mm
            break
    if pick is None and money and "罚款" in seg:
        pick = money[0]
    if pick is not None:
        conf = 1.0
        if pick.cn is not None and pick.ar is not None and money_norm(pick.cn) != money_norm(pick.ar):
            conf = 0.5
        o.emit(name_fine, money_norm(pick.value), pick.start, pick.end, "money", conf)


_UNTICKED = "☐□"


def unticked(n: str, pos: int) -> bool:
    """The word at ``pos`` is a form's choice whose box is left empty (``☐警告``)."""
    k = pos - 1
    while k >= 0 and n[k] in " \t":
        k -= 1
    return k >= 0 and n[k] in _UNTICKED


def in_book_title(n: str, pos: int) -> bool:
    """True when ``pos`` lies inside 《…》 (a law's name, not a clause)."""
    k = n.rfind("《", max(0, pos - 40), pos)
    return k != -1 and n.find("》", k, pos) == -1


def read_remedy(t: Text, o: Out, sd) -> None:
    n = t.norm
    recon = [s for s in spans_of(sd, "REMEDY_RECON") if not in_book_title(n, s.start_char)]
    litig = [s for s in spans_of(sd, "REMEDY_LITIG") if not in_book_title(n, s.start_char)]
    if not recon and not litig:
        o.emit("has_remedy", False, None, None, "remedy")
        return
    first = min([s.start_char for s in recon + litig])
    last = max([s.end_char for s in recon + litig])
    sent_s = max(n.rfind("。", 0, first), n.rfind("\n", 0, first)) + 1
    rem: dict[str, Any] = {"reconsideration_body": None, "reconsideration_days": None,
                           "litigation_months": None, "litigation_court": None}
    NUM = r"(\d+|[一二三四五六七八九十百零〇两]+)"
    if recon:
        rs = recon[0].start_char
        win = n[max(sent_s, rs - 80):rs + 10]
        base = max(sent_s, rs - 80)
        m = None
        for m2 in re.finditer(NUM + r"\s*(?:个)?(?:日|天)(?:内)?", win):
            m = m2
        if m:
            rem["reconsideration_days"] = cn_or_int(m.group(1))
        mb = None
        for m2 in re.finditer(r"向\s*(?P<b>[" + CJK + r"]{2,30}?(?:人民政府|执法局|管理局|城管局|政府|委员会))", win):
            mb = m2
        if mb:
            rem["reconsideration_body"] = t.text(base + mb.start("b"), base + mb.end("b"))
    if litig:
        ls_ = litig[0].start_char
        win = n[max(sent_s, ls_ - 60):ls_ + 10]
        m = None
        for m2 in re.finditer(NUM + r"\s*个月", win):
            m = m2
        if m:
            rem["litigation_months"] = cn_or_int(m.group(1))
        base = max(sent_s, ls_ - 60)
        mc = None
        for m2 in re.finditer(r"(?:向|依法向)\s*(?P<c>[" + CJK + r"]{0,20}?法院)", win):
            mc = m2
        court = t.text(base + mc.start("c"), base + mc.end("c")) if mc else None
        if court and court != "人民法院":  # 向人民法院提起行政诉讼 names no court
            rem["litigation_court"] = court
    end = max(last, n.find("。", last) if n.find("。", last) != -1 else last)
    o.emit("has_remedy", True, first, last, "remedy")
    o.emit("remedy", rem, sent_s, min(len(n), end + 1), "remedy")


def read_facts(t: Text, o: Out) -> None:
    n = t.norm
    m = re.search(r"(经查明|现查明|经调查核实|经调查|经查|违法事实|查明)[,:]?", n)
    if not m:
        ev = re.search(r"(以上事实有|上述事实,?有|以上事实,?有)", n)
        if ev:
            e = ev.start()
            k = e - 1
            while k > 0 and n[k - 1] not in "。\n":
                k -= 1
            if e - k > 4:
                o.emit("facts", t.raw[k:e].strip()[:500], k, e, "facts", 0.9)
                o.emit("has_facts", True, k, e, "facts", 0.9)
                return
    if not m:
        # the sentence(s) before the one that says 违反: "{date}，执法人员…发现，你…。你的行为违反了…"
        vm = re.search(r"违反", n)
        if vm:
            e = n.rfind("。", 0, vm.start())
            if e != -1:
                k = e
                while k > 0 and n[k - 1] not in "。\n:":
                    k -= 1
                if e - k > 8 and re.search(r"\d|[〇○一二三四五六七八九十]+月", n[k:e]):
                    o.emit("facts", t.raw[k:e].strip()[:500], k, e, "facts", 0.8)
                    o.emit("has_facts", True, k, e, "facts", 0.8)
                    return
    if not m:
        v = t.label_value(("违法事实", "简要案情", "案情摘要", "案件事实", "主要事实"))
        if v:
            o.emit("facts", t.raw[v[0]:v[1]][:500], v[0], v[1], "facts")
            o.emit("has_facts", True, v[0], v[1], "facts")
        else:
            o.emit("has_facts", False, None, None, "facts")
        return
    s = m.end()
    e_m = re.compile(r"(以上事实|上述事实|你的上述行为|你单位的上述行为|"
                     r"当事人的上述行为|上述行为|你\(单位\)的上述行为|违反了)").search(n, s)
    e = e_m.start() if e_m else min(len(n), s + 500)
    if e - s < 4:
        o.emit("has_facts", False, None, None, "facts")
        return
    o.emit("facts", t.raw[s:e].strip()[:500], s, e, "facts")
    o.emit("has_facts", True, s, e, "facts")


def read_flag(t: Text, o: Out, name: str, rx: str, family: str, absent_false: bool = True) -> None:
    m = re.search(rx, t.norm)
    if m:
        o.emit(name, True, m.start(), m.end(), family)
    elif absent_false:
        o.emit(name, False, None, None, family)


def read_rights(t: Text, o: Out, sd) -> None:
    st = spans_of(sd, "RIGHT_STATEMENT")
    hr = spans_of(sd, "RIGHT_HEARING")
    if st:
        o.emit("right_statement", True, st[0].start_char, st[0].end_char, "clauses")
        # the period printed in a statement sentence (the first one that prints one)
        n = t.norm
        m = None
        for sp in st:
            s0 = sp.start_char
            sent_s = max(n.rfind("。", 0, s0), n.rfind("\n", 0, s0)) + 1
            sent_e = n.find("。", s0)
            sent_e = len(n) if sent_e == -1 else sent_e
            m = re.search(r"(\d+|[一二三四五六七八九十]+)\s*(个)?\s*(工作日|日|天)\s*内", n[sent_s:sent_e])
            if m:
                break
        if m:
            days = cn_or_int(m.group(1))
            if days is not None:
                a, b = sent_s + m.start(), sent_s + m.end()
                o.emit("statement_period_days", days, a, b, "clauses")
                o.emit("statement_period_unit", "wd" if m.group(3) == "工作日" else "cd", a, b, "clauses")
    else:
        o.emit("right_statement", False, None, None, "clauses")
    if hr:
        o.emit("right_hearing", True, hr[0].start_char, hr[0].end_char, "clauses")
    else:
        o.emit("right_hearing", False, None, None, "clauses")


_WAIVE_HEARING = re.compile(r"(?<!视为)(?<!视作)(?:自愿|明确|书面|本人|我|我单位|"
                            r"本单位|当事人)?[^。\n]{0,6}?放弃[^。\n]{0,12}?听证")


_WAIVE_STATEMENT = re.compile(r"(?<!视为)(?<!视作)放弃[^。\n]{0,6}?(?:陈述|申辩)|"
                              r"不(?:进行|提出)?陈述(?:、|和|及)?(?:申辩)?|无陈述申辩意见|不申辩")


def read_waivers(t: Text, o: Out) -> None:
    n = t.norm
    for m in _WAIVE_HEARING.finditer(n):
        if re.search(r"视为|视作|逾期", n[max(0, m.start() - 12):m.start() + 4]):
            continue
        o.emit("hearing_waived", True, m.start(), m.end(), "clauses")
        break
    for m in _WAIVE_STATEMENT.finditer(n):
        if re.search(r"视为|视作|逾期", n[max(0, m.start() - 12):m.start() + 4]):
            continue
        o.emit("statement_waived", True, m.start(), m.end(), "clauses")
        break
    hm = re.search(r"(?<!未)(?<!不)(?:要求|申请)(?:举行)?听证", n)
    if hm and not re.search(r"有权|可以|享有|权利|可在|如", n[max(0, hm.start() - 12):hm.start()]):
        o.emit("hearing_requested", True, hm.start(), hm.end(), "clauses")


def read_record_body(t: Text, o: Out) -> None:
    n = t.norm
    qa = [m for m in re.finditer(r"(问|答)\s*[:：]", n) if t.line_start(m.start()) == m.start()]
    if qa:
        s = qa[0].start()
        e = t.line_end(qa[-1].end())
        if t.pdf:  # the answer may wrap: run on to the next label (the signature line)
            e = max(e, min(t.next_cut(qa[-1].end()), len(n)))
        o.emit("body", t.raw[s:e].strip(), s, e, "records")
        return
    v = t.region_after_label(("检查情况", "现场情况", "勘验情况", "检查记录", "现场检查情况", "听证情况",
                              "陈述申辩内容", "陈述申辩意见", "陈述内容", "申辩内容", "主要内容"),
                             labels("party_sign") + labels("witness")
                             + ("执法人员签名", "记录人签名", "检查人签名", "签名"))
    if v and v[1] - v[0] > 4:
        s, e = v
        while s < e and t.norm[s] in " \t|:\n":
            s += 1
        o.emit("body", t.raw[s:e].strip(), s, e, "records")


def read_approval(t: Text, o: Out) -> None:
    """approver and approval_date from the 负责人/审批意见 section (or labelled 批准日期)."""
    v = t.label_value(labels("approval_date"))
    if v is not False:
        # an explicit approval-date label decides, blank or not
        if v:
            d = date_at(t, *v)
            if d:
                o.emit("approval_date", d.iso, d.start, d.end, "dates", d.confidence)
        date_done = True
    else:
        date_done = False
    reg = t.region_after_label(labels("approval_section"), labels("other_section")
                               + labels("approval_date") + ("备注",))
    if reg:
        s, e = reg
        if not date_done:
            ds = t.dates_in(s, e)
            if ds:
                o.emit("approval_date", ds[-1].iso, ds[-1].start, ds[-1].end, "dates", ds[-1].confidence)
        v = t.label_value(("签名", "签字", "负责人", "审批人", "批准人", "负责人签名", "审批人签名"), s, e)
        nm = clean_name(t, *v, org_ok=False) if v else None
        if nm:
            o.emit("approver", t.raw[nm[0]:nm[1]], nm[0], nm[1], "approvals")
        elif v is False:
            m = re.search(r"(?:签名|签字)\s*[:|\t ]\s*(?P<n>[" + CJK + r"*＊]{2,3})(?![" + CJK + r"])", t.norm[s:e])
            if m and m.group("n") not in ALL_LABELS:
                a, b = s + m.start("n"), s + m.end("n")
                o.emit("approver", t.raw[a:b], a, b, "approvals")
    if not o.has("approver"):
        v = t.label_value(labels("approver"))
        if v:
            nm = clean_name(t, *v, org_ok=False)
            if nm:
                o.emit("approver", t.raw[nm[0]:nm[1]], nm[0], nm[1], "approvals")


def read_av(t: Text, o: Out) -> None:
    read_flag(t, o, "av_reference", r"执法记录仪|录音录像|视音频|音视频|录像|视频|摄像", "records")
