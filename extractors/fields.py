"""Document-level field extraction: ``extract_document(doc) -> DocFields``.

Pure: a typed ``SourceDoc`` in, a ``DocFields`` out, every value with a ``Span`` whose ``quote``
is the exact text at ``[start, end)`` of ``doc.text``. Names come only from
``pipeline.core.vocab.DOC_FIELDS``.

How values are found
--------------------
- **Label/value**: forms are label/value tables flattened by the reader (cells joined by a TAB
  in DOCX, by spaces in PDF text) or ``label：value`` prose. ``Text.label_value(labels)``
  finds a label that stands alone (not the tail of a longer label), then its value: the next
  cell, or the text after the colon up to the next separator. A value that is itself a label,
  or is blank (``年 月 日``), gives None — a neighbouring field's value is never taken.
- **Prose clauses**: rights, remedy, seal and refusal clauses come from the spaCy spans of
  ``extractors.nlp`` (keyword windows); citations are classed by the nearest trigger before
  them (违反 → violated, 依据/根据/依照 → basis, 参照/裁量 → discretion, dropped; 加处/复议/
  诉讼 → procedural, dropped).
- **Records** (inspection, inquiry, hearing, defence): ``party_name`` is the party (当事人 /
  被检查人（当事人） / 被检查单位, or the unit the person asked answers for in
  ``被询问人 赵洋（某某便利店经营者）``), never an employee asked; the person asked falls back to
  ``party_name`` only when nothing else names the party. The form's 身份证号 is then the person
  asked's and is not emitted as ``party_id_number``.
- **Closing form**: ``fine_yuan`` from 处理结果 / 罚款金额, ``amount_yuan`` from what 执行情况 says
  was paid (CON-02 compares it like a payment receipt).
- **Normalisers** (H4): ``extractors.normalise.dates``, ``extractors.normalise.money``, ``extractors.normalise.citations``,
  ``extractors.normalise.party``, ``extractors.normalise.numerals``.

Extractor ids are ``<family>.<field>.v1`` (e.g. ``dates.decision_date.v1``).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from extractors.normalise import citations as _cit
from extractors.normalise import dates as _dates
from extractors.normalise import money as _money
from extractors.normalise import numerals as _num
from extractors.nlp import (DATES_KEY, CASE_NO, CASE_NO_MIDYEAR, CASE_NO_SH_DIGITS, CERT_RE, DOC_NO_ANY,
                            SERIAL_NO, build_nlp, process, spans_of)
from pipeline.core.models import DocFields, Field, SourceDoc, Span
from pipeline.core.vocab import DOC_FIELD_NAMES

CJK = "\u4e00-\u9fa5"
_NORM = str.maketrans({"：": ":", "，": ",", "；": ";", "（": "(", "）": ")", "　": " ", "｜": "|",
                       "。": "。", "﹕": ":", **{chr(0xFF10 + i): str(i) for i in range(10)}})

# --- label vocabulary -------------------------------------------------------------------------
L_PARTY = ("当事人", "被检查人（当事人）", "被检查人(当事人)", "被处罚人", "当事人名称", "当事人姓名", "单位名称", "被检查人", "被检查单位",
           "被询问单位", "被询问人", "受处罚人", "违法行为人", "名称", "姓名")
L_ID = ("统一社会信用代码", "社会信用代码", "身份证号码", "身份证号", "公民身份号码", "身份证件号码",
        "营业执照号", "营业执照注册号", "证件号码", "注册号")
L_ADDR = ("地址", "住址", "住所", "经营地址", "注册地址", "联系地址", "户籍地址", "住所地", "家庭住址",
          "单位地址", "经营场所")
L_REP = ("法定代表人", "负责人", "经营者", "法定代表人(负责人)", "法定代表人（负责人）")
L_OFFICER = ("执法人员", "承办人", "承办人员", "检查人", "检查人员", "询问人", "记录人", "调查人",
             "调查人员", "勘验人", "执法人员签名", "执法人员（签名）", "执法人员(签名)", "承办人签名", "询问人签名", "记录人签名", "检查人签名")
L_PLACE = ("检查地点", "勘验地点", "询问地点", "调查地点", "违法地点", "发生地点", "案发地点", "地点",
           "违法行为地点", "听证地点", "陈述地点", "申辩地点", "发现地点")
L_TIME = ("检查时间", "勘验时间", "询问时间", "调查时间", "听证时间", "陈述时间", "时间", "违法时间",
          "违法行为时间", "发现时间")
L_CAUSE = ("案由", "案件名称", "违法行为", "涉嫌违法行为")
L_SQUAD = ("承办中队", "承办单位", "承办部门", "执法中队", "承办机构")
L_WITNESS = ("见证人", "见证人签名", "见证人（签名）", "见证人(签名)")
L_PARTY_SIGN = ("当事人签名", "被检查人签名", "被询问人签名", "当事人(签名)", "当事人（签名）",
                "当事人签字", "被询问人签字", "当事人签名或盖章", "当事人(签名或盖章)",
                "当事人（签名或盖章）", "陈述人签名", "申辩人签名", "被检查人(签名)", "被检查人（签名）",
                "被询问人(签名)", "被询问人（签名）", "当事人确认")
L_RECEIVER_SIGN = ("受送达人签名", "受送达人签名或盖章", "受送达人(签名)", "受送达人（签名）",
                   "受送达人签收", "签收人", "收件人签名", "受送达人(签名或盖章)",
                   "受送达人（签名或盖章）", "代收人签名", "代收人")
L_APPROVER = ("负责人", "审批人", "批准人", "分管负责人", "负责人签名", "审批人签名", "机关负责人",
              "局负责人", "单位负责人")
L_APPROVAL_SECTION = ("负责人意见", "负责人审批意见", "审批意见", "机关负责人意见", "局负责人意见", "分管负责人意见",
                      "单位负责人意见", "领导审批意见", "批准意见", "领导意见")
L_APPROVAL_DATE = ("批准日期", "审批日期", "审批时间", "批准时间")
L_SECTION_ANY = ("承办人意见", "承办意见", "承办机构意见", "审核意见", "法制审核意见", "中队意见",
                 "部门意见", "科室意见", "法制机构意见") + L_APPROVAL_SECTION
L_SERVED_DOC = ("送达文书名称", "送达文书", "送达文件名称", "送达文件", "文书名称", "送达的文书",
                "送达文书名称及文号", "文书名称及文号", "被送达文书")
L_SERVICE_DATE = ("送达日期", "送达时间", "签收日期", "签收时间", "收到日期", "收件日期", "收件时间",
                  "送达日", "妥投日期", "投递日期", "确认日期", "送达确认日期")
L_DISPATCH_DATE = ("寄出日期", "邮寄日期", "交寄日期", "发送日期", "寄送日期", "发出日期")
L_SERVICE_METHOD = ("送达方式",)
L_PAY_AMOUNT = ("缴款金额", "实缴金额", "罚没款金额", "金额", "罚款金额", "收款金额", "合计金额",
                "缴纳金额", "金额(小写)", "金额（小写）", "金额(大写)", "金额（大写）", "小写", "大写")
L_PAY_DATE = ("缴款日期", "收款日期", "交款日期", "缴费日期", "缴纳日期", "开票日期", "填制日期",
              "入账日期", "日期")
L_SOURCE_KIND = ("案件来源", "来源", "来源方式", "线索来源", "来源渠道")
L_DISCOVERED = ("发现时间", "发现日期", "受理时间", "受理日期", "接报时间", "接报日期", "登记日期",
                "登记时间", "来源时间", "收到日期", "投诉时间", "举报时间", "交办日期", "移送日期")
L_FILING_DATE = ("立案日期", "立案时间")
L_EXT_UNTIL = ("延长至", "延长期限至", "延期至日期", "延长后期限", "延长后办案期限", "办案期限延长至", "延期至")
L_WD_GROUND = ("撤案（销案）理由", "撤案(销案)理由", "撤案理由", "撤销立案理由", "销案理由", "撤销理由", "撤案原因", "撤销原因", "理由")
L_DECISION_DATE_LBL = ("决定日期", "处罚日期", "作出决定日期")
L_CORR_DEADLINE = ("改正期限", "整改期限", "限期改正日期")
# closing form: the penalty decided (处理结果 …) and what was paid (执行情况 …)
L_CLOSE_FINE = ("处理结果", "处罚决定", "处罚结果", "处罚内容", "处罚决定内容", "决定罚款", "罚款金额", "处罚金额")
L_CLOSE_PAID = ("执行情况", "执行结果", "履行情况", "缴款情况", "缴纳情况", "实缴金额", "缴款金额", "已缴金额",
                "已缴罚款")

ALL_LABELS = frozenset(
    L_PARTY + L_ID + L_ADDR + L_REP + L_OFFICER + L_PLACE + L_TIME + L_CAUSE + L_SQUAD + L_WITNESS
    + L_PARTY_SIGN + L_RECEIVER_SIGN + L_APPROVER + L_APPROVAL_SECTION + L_APPROVAL_DATE
    + L_SECTION_ANY + L_SERVED_DOC + L_SERVICE_DATE + L_DISPATCH_DATE + L_SERVICE_METHOD
    + L_PAY_AMOUNT + L_PAY_DATE + L_SOURCE_KIND + L_DISCOVERED + L_FILING_DATE + L_EXT_UNTIL
    + L_WD_GROUND + L_DECISION_DATE_LBL + L_CORR_DEADLINE + L_CLOSE_FINE + L_CLOSE_PAID
    + ("执法证号", "证号", "执法证件号", "执法证件号码", "性别", "年龄", "出生日期", "联系电话", "电话",
       "职务", "民族", "工作单位", "邮编", "邮政编码", "送达地点", "受送达人", "送达人", "送达人签名",
       "备注", "文号", "编号", "日期", "签名", "盖章", "年月日", "承办人意见", "与当事人关系",
       "委托代理人", "记录人", "主持人", "听证主持人", "听证员", "书记员", "结案日期", "执行情况",
       "处罚决定", "处理结果", "简要案情", "案情摘要", "违法事实", "检查情况", "现场情况", "证据",
       "送达机关", "受送达单位", "邮寄单号", "快递单号", "缴款人", "交款人", "付款人", "收款单位",
       "票据号码", "缴款书号", "执收单位"))

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

_DATE_BLANK = re.compile(r"^[\s_＿\-—]*((19|20)?\d{0,2}[\s_＿]*年[\s_＿]*月[\s_＿]*日)?[\s_＿\-—]*$")


# --- adapters over H4's normalisers -----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _D:
    start: int
    end: int
    iso: str           # YYYY-MM-DD
    time: str | None   # HH:MM when the match carried a time
    confidence: float


def _attr(obj: Any, *names: str, default: Any = None) -> Any:
    for n in names:
        v = getattr(obj, n, None)
        if v is not None:
            return v
    return default


def find_dates(text: str, base: int = 0, found: Sequence[Any] | None = None) -> list[_D]:
    out: list[_D] = []
    for m in (found if found is not None else _dates.find_dates(text)):
        iso = _attr(m, "iso", "value", "date")
        if iso is None:
            continue
        iso = str(iso)
        t = _attr(m, "time")
        if "T" in iso:
            iso, t = iso.split("T", 1)
        out.append(_D(m.start + base, m.end + base, iso[:10], t[:5] if t else None,
                      float(_attr(m, "confidence", default=1.0))))
    return out


@dataclass(frozen=True, slots=True)
class _M:
    start: int
    end: int
    value: Any
    cn: Any
    ar: Any


def find_money(text: str, base: int = 0) -> list[_M]:
    out: list[_M] = []
    for m in _money.find_amounts(text):
        cn = _attr(m, "cn_value")
        ar = _attr(m, "ar_value")
        val = cn if cn is not None else (ar if ar is not None else _attr(m, "value"))
        if val is None:
            continue
        out.append(_M(m.start + base, m.end + base, _money_norm(val), cn, ar))
    return out


def _money_norm(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, float):
        return round(v, 2)
    return v


def find_cites(text: str, base: int = 0) -> list[tuple[int, int, str]]:
    return [(c.start + base, c.end + base, c.canonical()) for c in _cit.find_citations(text)
            if c.role_hint != "discretion" and c.law]


def cn_int(s: str) -> int | None:
    return _num.cn_to_int(s)


# --- the text view ------------------------------------------------------------------------------
class Text:
    """A document's text prepared for matching, with offsets that map back to ``doc.text``.

    - DOCX text is used as it is (table cells joined by TAB, rows by newline).
    - PDF text wraps inside table cells and paragraphs (``承办单\\n位``, ``第二十\\n五条``), and
      its cells are separated by spaces. Its newlines are removed (``raw`` is the joined text) and
      their positions kept in ``breaks``: a label then counts when it starts a line or follows a
      space and is followed by a separator or a line break, and a value ends at whitespace or at
      the next such label. ``span()`` maps offsets back, so every quote is exact original text.
    ``norm`` is ``raw`` with full-width punctuation and digits folded (same length).
    """

    def __init__(self, doc: SourceDoc) -> None:
        self.doc = doc
        orig = doc.text
        self.orig = orig
        self.pdf = doc.kind != "docx"
        self.breaks: list[int] = []
        self._o2r: list[int] | None = None
        if self.pdf:
            chars: list[str] = []
            o2r: list[int] = []
            for i, ch in enumerate(orig):
                if ch == "\n":
                    self.breaks.append(len(chars))
                    continue
                chars.append(ch)
                o2r.append(i)
            o2r.append(len(orig))
            self.raw = "".join(chars)
            self._o2r = o2r
            self._break_set = frozenset(self.breaks)
        else:
            self.raw = orig
            self._break_set = frozenset(i + 1 for i, ch in enumerate(orig) if ch == "\n")
        self.norm = self.raw.translate(_NORM)
        assert len(self.norm) == len(self.raw)
        self._dates: list[_D] | None = None
        self._cuts: list[int] | None = None

    # provenance
    def span(self, start: int, end: int) -> Span:
        if self._o2r is not None:
            rs = self._o2r[start]
            re_ = self._o2r[end - 1] + 1 if end > start else rs
        else:
            rs, re_ = start, end
        return Span(self.doc.doc_id, self.doc.page_of(rs), rs, re_, self.orig[rs:re_])

    # lines (a PDF's removed newlines still end lines)
    def line_start(self, i: int) -> int:
        if not self.pdf:
            return self.raw.rfind("\n", 0, i) + 1
        k = bisect.bisect_right(self.breaks, i) - 1
        return self.breaks[k] if k >= 0 else 0

    def line_end(self, i: int) -> int:
        if not self.pdf:
            k = self.raw.find("\n", i)
            return len(self.raw) if k == -1 else k
        k = bisect.bisect_right(self.breaks, i)
        return self.breaks[k] if k < len(self.breaks) else len(self.raw)

    def lines(self, hi: int | None = None) -> Iterable[tuple[int, int]]:
        """(start, end) of each line that starts before ``hi``."""
        hi = len(self.norm) if hi is None else hi
        if self.pdf:
            starts = [0] + [b for b in self.breaks if b > 0]
            for k, ls in enumerate(starts):
                if ls >= hi:
                    return
                yield ls, starts[k + 1] if k + 1 < len(starts) else len(self.norm)
            return
        i = 0
        while i < hi:
            e = self.raw.find("\n", i)
            e = len(self.raw) if e == -1 else e
            yield i, e
            i = e + 1

    def is_break(self, i: int) -> bool:
        return i in self._break_set

    @property
    def dates(self) -> list[_D]:
        if self._dates is None:
            self._dates = find_dates(self.raw)
        return self._dates

    def dates_in(self, lo: int, hi: int) -> list[_D]:
        return [d for d in self.dates if d.start >= lo and d.end <= hi]

    # label/value
    def _qualified(self, s: int, e: int, sep: str) -> bool:
        n = self.norm
        if self.pdf and ":" not in sep:
            # a table label in PDF text starts a line or follows a cell separator
            if not (s == 0 or self.is_break(s) or n[s - 1] in " \t|"):
                return False
        before_ok = s == 0 or not _is_cjk(n[s - 1]) or self.is_break(s)
        if not before_ok:
            return False
        if not self.pdf:
            return True
        # PDF: a label needs a separator after it, or a line break, or the end
        return bool(sep.strip(" ")) or sep.startswith(" ") or self.is_break(e) or e >= len(n) \
            or n[e] in "(:"

    def label_iter(self, labels: Sequence[str]) -> Iterable[tuple[int, int, str]]:
        """(label start, end of label and separator, separator) for each stand-alone label.

        A label stands alone when no CJK character precedes it (or it starts a line) and a
        separator (colon, TAB, |, space, newline, a non-CJK character — for PDF text a line
        break) follows it, optionally after a row digit (``执法人员1``); so 当事人 never matches
        inside 当事人签名 or 被询问人.
        """
        rx = _label_rx(tuple(labels), self.pdf)
        for m in rx.finditer(self.norm):
            s, e, sep = m.start(), m.end(), m.group("sep")
            if self._qualified(s, m.start("sep"), sep):
                yield s, e, sep

    def cuts(self) -> list[int]:
        """Start offsets of every qualified label (PDF values end at the next one)."""
        if self._cuts is None:
            self._cuts = [s for s, _e, _sep in self.label_iter(_ALL_LABELS_SORTED)]
        return self._cuts

    def next_cut(self, pos: int) -> int:
        cuts = self.cuts()
        k = bisect.bisect_right(cuts, pos)
        return cuts[k] if k < len(cuts) else len(self.norm)

    def value_after(self, pos: int, sep: str) -> tuple[int, int] | None:
        """The value that follows a label ending at ``pos``; None when blank or another label."""
        n = self.norm
        if "\n" in sep:
            return None
        if "\t" in sep or "|" in sep:
            end = len(n)
            for ch in "\t|\n":
                k = n.find(ch, pos)
                if k != -1:
                    end = min(end, k)
        elif ":" in sep:
            rx = _COLON_END_PDF if self.pdf else _COLON_END
            m = rx.search(n, pos)
            end = m.start() if m else len(n)
        else:  # a space or nothing: one word
            m = _WS.search(n, pos)
            end = m.start() if m else len(n)
        if self.pdf:  # the next label ends the value (cells glued by a removed line break)
            end = min(end, self.next_cut(pos - 1))
            if ":" not in sep:  # a table cell, not prose
                end = self._wrap_end(pos, end)
        s, e = pos, end
        while s < e and n[s] in " \u3000":
            s += 1
        while e > s and n[e - 1] in " \u3000":
            e -= 1
        if e <= s:
            return None
        val = n[s:e].strip(":")
        if not val or val in ALL_LABELS or val.translate(_NORM) in _NORM_LABELS:
            return None
        return s, e

    def _wrap_end(self, pos: int, end: int) -> int:
        """Cut a PDF value at a line break that starts a paragraph rather than a cell wrap.

        A wrapped cell continues on a short line; a paragraph after a table starts a long line
        (full page width) or with an opener such as 你/经查/根据.
        """
        k = bisect.bisect_left(self.breaks, pos)
        while k < len(self.breaks) and self.breaks[k] < end:
            b = self.breaks[k]
            nxt = self.breaks[k + 1] if k + 1 < len(self.breaks) else len(self.norm)
            line = self.norm[b:nxt]
            if b >= pos and (len(line) >= PDF_PARAGRAPH_LINE or _PARA_OPENER.match(line)):
                return b
            k += 1
        return end

    def label_value(self, labels: Sequence[str], lo: int = 0,
                    hi: int | None = None) -> tuple[int, int] | None | bool:
        """First labelled value in [lo, hi): (start, end); None if labelled but blank; False if no label."""
        hi = len(self.norm) if hi is None else hi
        seen = False
        for s, e, sep in self.label_iter(labels):
            if s < lo or s >= hi:
                continue
            seen = True
            v = self.value_after(e, sep)
            if v is not None:
                return v
            return None
        return False if not seen else None

    def label_values(self, labels: Sequence[str]) -> list[tuple[int, int, int]]:
        """Every (label start, value start, value end) for the labels."""
        out = []
        for s, e, sep in self.label_iter(labels):
            v = self.value_after(e, sep)
            if v is not None:
                out.append((s, v[0], v[1]))
        return out

    def region_after_label(self, labels: Sequence[str], stop_labels: Sequence[str]) -> tuple[int, int] | None:
        """From the end of the (last) label to the next stop label (or the end of the text)."""
        found = list(self.label_iter(labels))
        if not found:
            return None
        s, e, _ = found[-1]
        hi = len(self.norm)
        for s2, _e2, _ in self.label_iter(stop_labels):
            if s2 > e and s2 < hi:
                hi = s2
                break
        return e, hi


# a PDF line at least this long is body text, not the wrapped tail of a table cell
PDF_PARAGRAPH_LINE = 26
_PARA_OPENER = re.compile(r"(你|您|经查|经调查|本局|本机关|如不服|根据|依据|依照|执法人员已|执法人员出示|以上|上述|问:|答:|检查情况)")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fa5"


_WS = re.compile(r"\s")
_COLON_END = re.compile(r"[\t|\n,;。]|\s{2,}|\s+[" + CJK + r"()]{1,12}:")
_COLON_END_PDF = re.compile(r"[\t|\n,;。]|\s")
_NORM_LABELS = frozenset(x.translate(_NORM) for x in ALL_LABELS)
_ALL_LABELS_SORTED = tuple(sorted(ALL_LABELS))
_LABEL_RX: dict[tuple[tuple[str, ...], bool], re.Pattern[str]] = {}


def _label_rx(labels: tuple[str, ...], pdf: bool = False) -> re.Pattern[str]:
    key = (labels, pdf)
    rx = _LABEL_RX.get(key)
    if rx is None:
        alts = "|".join(re.escape(x.translate(_NORM)) for x in sorted(set(labels), key=lambda x: (-len(x), x)))
        tail = r"|)" if pdf else r"|(?=[^" + CJK + r"]))"
        rx = re.compile(r"(?:" + alts + r")(?:[1-9](?![0-9]))?"
                        r"(?P<sep>[ \t]*[:|\t][ \t]*|[ ]+|[ \t]*\n" + tail)
        _LABEL_RX[key] = rx
    return rx


# --- the collector --------------------------------------------------------------------------------
class Out:
    def __init__(self, t: Text) -> None:
        self.t = t
        self.fields: list[Field] = []
        self._names: set[str] = set()
        self._pos: dict[str, tuple[int | None, int | None]] = {}

    def emit(self, name: str, value: Any, start: int | None, end: int | None, family: str,
             confidence: float = 1.0) -> None:
        if name not in DOC_FIELD_NAMES:
            raise KeyError(f"{name} is not a DOC_FIELDS name")
        if name in self._names or value is None:
            return
        span = self.t.span(start, end) if start is not None and end is not None else None
        self.fields.append(Field(name, value, span, f"{family}.{name}.v1", confidence))
        self._names.add(name)
        self._pos[name] = (start, end)

    def pos(self, name: str) -> tuple[int | None, int | None]:
        """Offsets (in the matching text) of an emitted field, to reuse its evidence."""
        return self._pos.get(name, (None, None))

    def has(self, name: str) -> bool:
        return name in self._names

    def drop(self, *names: str) -> None:
        """Forget emitted fields (a value found to belong to someone else)."""
        self.fields = [f for f in self.fields if f.name not in names]
        self._names -= set(names)
        for n in names:
            self._pos.pop(n, None)


# --- small value helpers --------------------------------------------------------------------------
_NAME_RE = re.compile(r"[" + CJK + r"·*＊]{1,6}")
_ORG_HINT = re.compile(r"(公司|厂|店|商行|中心|合作社|事务所|集团|部|馆|社|院|所|会|站|行|超市|酒店|餐厅|饭店|银行|学校|单位)")


def _clean_name(t: Text, s: int, e: int, org_ok: bool = True) -> tuple[int, int] | None:
    raw = t.norm[s:e]
    cut = len(raw)
    for ch in "(,;。 \t|":
        k = raw.find(ch)
        if k > 0:
            cut = min(cut, k)
    raw = raw[:cut]
    if not raw:
        return None
    if org_ok and _ORG_HINT.search(raw) and len(raw) <= 40:
        return s, s + len(raw)
    m = _NAME_RE.match(raw)
    if not m or len(m.group(0)) < 2 and "*" not in raw:
        return None
    name = m.group(0)
    if name in ALL_LABELS or name in ("男", "女", "无", "拒签", "拒绝签名"):
        return None
    return s, s + len(name)


def _date_at(t: Text, s: int, e: int) -> _D | None:
    ds = t.dates_in(s, e)
    return ds[0] if ds else None


_TIME_RE = re.compile(r"\s*(?P<ap>上午|下午|早上|晚上|中午)?\s*(?P<h>\d{1,2}|[零〇一二两三四五六七八九十]{1,3})\s*(?:时|:|点)\s*(?:(?P<m>\d{1,2}|[零〇一二三四五六七八九十]{1,3})\s*分?)?")


def _time_after(t: Text, pos: int) -> tuple[str, int] | None:
    m = _TIME_RE.match(t.norm, pos)
    if not m:
        return None
    h = cn_int(m.group("h"))
    mi = cn_int(m.group("m")) if m.group("m") else 0
    if h is None or mi is None or h > 23 or mi > 59:
        return None
    if m.group("ap") in ("下午", "晚上") and h < 12:
        h += 12
    return f"{h:02d}:{mi:02d}", m.end()


def _datetimes(t: Text, lo: int, hi: int) -> list[tuple[str, int, int]]:
    """Date-times inside [lo, hi): a date followed by a time, or a bare time after 至 (same day)."""
    out: list[tuple[str, int, int]] = []
    last_date: str | None = None
    ds = t.dates_in(lo, hi)
    used_end = lo
    for d in ds:
        tm = (d.time, d.end) if d.time else _time_after(t, d.end)
        if tm:
            out.append((f"{d.iso}T{tm[0]}", d.start, tm[1]))
            used_end = tm[1]
        last_date = d.iso
    # "至10时15分" without a date
    if last_date:
        for m in re.finditer(r"(?:至|到|-|—|~)\s*(?=(?:上午|下午|早上|晚上|中午)?\s*\d{1,2}\s*(?:时|:|点))", t.norm[lo:hi]):
            p = lo + m.end()
            if any(s <= p < e for _, s, e in out):
                continue
            tm = _time_after(t, p)
            if tm:
                # date = the last date before this point
                prev = [d for d in ds if d.end <= p]
                if prev:
                    out.append((f"{prev[-1].iso}T{tm[0]}", p, tm[1]))
    out.sort(key=lambda x: x[1])
    return out


def _cn_or_int(s: str) -> int | None:
    s = s.strip()
    if s.isdigit():
        return int(s)
    return cn_int(s)


# --- families ---------------------------------------------------------------------------------------
def _party(t: Text, o: Out, lo: int = 0, hi: int | None = None,
           rep_labels: Sequence[str] = L_REP, name_labels: Sequence[str] = L_PARTY) -> None:
    hi = len(t.norm) if hi is None else hi
    v = t.label_value(name_labels, lo, hi)
    if v:
        nm = _clean_name(t, *v)
        if nm:
            o.emit("party_name", t.raw[nm[0]:nm[1]], nm[0], nm[1], "party")
    v = t.label_value(L_ID, lo, hi)
    if v:
        m = re.match(r"[0-9A-Za-z*＊]{15,20}", t.norm[v[0]:v[1]])
        if m:
            o.emit("party_id_number", t.raw[v[0]:v[0] + m.end()], v[0], v[0] + m.end(), "party")
    v = t.label_value(L_ADDR, lo, hi)
    if v:
        o.emit("party_address", t.raw[v[0]:v[1]], v[0], v[1], "party")
    v = t.label_value(rep_labels, lo, hi)
    if v:
        nm = _clean_name(t, *v, org_ok=False)
        if nm:
            o.emit("party_representative", t.raw[nm[0]:nm[1]], nm[0], nm[1], "party")
    if not o.has("party_name") and lo == 0:
        # a letter addressed to the party: "上海某某有限公司：" on its own line near the top
        for ls, le in t.lines(min(len(t.norm), 240)):
            m = _ADDRESSEE.match(t.norm, ls, le)
            if m and m.group(1) not in ALL_LABELS and not _AGENCY_LINE.fullmatch(m.group(1)):
                o.emit("party_name", t.raw[m.start(1):m.end(1)], m.start(1), m.end(1), "party", 0.9)
                break
    if o.has("party_name") or o.has("party_id_number"):
        kind = _party_kind(o)
        if kind:
            f = next((x for x in o.fields if x.name in ("party_id_number", "party_name")), None)
            o.emit("party_kind", kind, *(o.pos(f.name) if f else (None, None)), "party")


_ADDRESSEE = re.compile(r"\s*([" + CJK + r"()*＊·]{2,40}?)\s*:\s*$")


def _party_kind(o: Out) -> str | None:
    from extractors.normalise import party as _p
    name = next((f.value for f in o.fields if f.name == "party_name"), None)
    idn = next((f.value for f in o.fields if f.name == "party_id_number"), None)
    return _p.party_kind(id_number=idn, name=name, text=o.t.raw)


def _officers(t: Text, o: Out, labels: Sequence[str] = L_OFFICER) -> None:
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
    for m in re.finditer(r"(?<![" + CJK + r"])(?P<n>[" + CJK + r"]{2,4})\s*\(\s*(?:执法证号|执法证件号|证号|执法证编号)\s*:?\s*[A-Za-z0-9]", t.norm):
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


def _place(t: Text, o: Out, labels: Sequence[str] = L_PLACE) -> None:
    v = t.label_value(labels)
    if v:
        o.emit("place", t.raw[v[0]:v[1]], v[0], v[1], "place")


def _times(t: Text, o: Out) -> None:
    """start_time/end_time from the 时间 label: "2024年3月5日9时30分至10时15分"."""
    for s, e, sep in t.label_iter(L_TIME):
        line_end = t.next_cut(e) if t.pdf else t.line_end(e)
        # stop at the next label on the same line
        dts = _datetimes(t, e, line_end)
        if not dts:
            continue
        # nothing but separators between the label and the first date-time
        if t.norm[e:dts[0][1]].strip(" \t|:") != "":
            continue
        o.emit("start_time", dts[0][0], dts[0][1], dts[0][2], "dates")
        if len(dts) > 1:
            o.emit("end_time", dts[1][0], dts[1][1], dts[1][2], "dates")
        return


def _signatures(t: Text, o: Out, sign_labels: Sequence[str], field: str) -> None:
    v = t.label_value(sign_labels)
    if v is False:
        return
    if v:
        seg = t.norm[v[0]:v[1]]
        if re.search(r"拒|未签|不签", seg):
            o.emit(field, False, v[0], v[1], "signatures")
        elif re.match(r"[" + CJK + r"*＊]{2,}", seg) and not _DATE_BLANK.match(seg):
            o.emit(field, True, v[0], v[1], "signatures")
        else:
            o.emit(field, False, v[0], v[1], "signatures")
    else:
        lab = next(iter(t.label_iter(sign_labels)))
        o.emit(field, False, lab[0], lab[1], "signatures")


def _refusal(t: Text, o: Out, sd) -> None:
    sp = spans_of(sd, "REFUSAL_NOTE")
    if sp:
        o.emit("refusal_note", True, sp[0].start_char, sp[0].end_char, "clauses")
    else:
        o.emit("refusal_note", False, None, None, "clauses")


def _witness(t: Text, o: Out) -> None:
    v = t.label_value(L_WITNESS)
    if v:
        nm = _clean_name(t, *v, org_ok=False)
        if nm:
            o.emit("witness", t.raw[nm[0]:nm[1]], nm[0], nm[1], "party")


def _seal(t: Text, o: Out, sd) -> None:
    sp = [s for s in spans_of(sd, "SEAL")
          if not re.search(r"签(名|字)或?$", t.norm[max(0, s.start_char - 4):s.start_char])]
    if sp:
        s = sp[-1]
        o.emit("has_seal", True, s.start_char, s.end_char, "seal")
        # the seal's text: an agency name right after (or before) the mark on the same line
        after = re.match(r"\s*([" + CJK + r"()（）]{4,40}?(?:局|政府|办事处|中队|大队|科|室|委员会|所|中心))",
                         t.norm[s.end_char:s.end_char + 50])
        if after:
            a, b = s.end_char + after.start(1), s.end_char + after.end(1)
            o.emit("seal_text", t.raw[a:b], a, b, "seal")
        else:
            ls = t.line_start(s.start_char)
            before = re.search(r"([" + CJK + r"()（）]{4,40}?(?:局|政府|办事处|中队|大队|科|室|委员会|所|中心))\s*$",
                               t.norm[ls:s.start_char])
            if before:
                a, b = ls + before.start(1), ls + before.end(1)
                o.emit("seal_text", t.raw[a:b], a, b, "seal")
    else:
        o.emit("has_seal", False, None, None, "seal")


_AGENCY_RE = re.compile(r"[" + CJK + r"]{2,30}?(?:城市管理行政执法局|城管执法局|综合行政执法局|城市管理综合行政执法局|人民政府|街道办事处|城管执法大队|行政执法局)")


_AGENCY_LINE = re.compile(r"(?P<a>[" + CJK + r"]{2,30}?(?:城市管理行政执法局|城管执法局|综合行政执法局|人民政府|街道办事处|城管执法大队|行政执法局|执法大队))")
_LINE_NOISE = re.compile(r"[\s()（）\[\]【】:]|印章|公章|盖章|落款")


_AGENCY_LINE = re.compile(r"[" + CJK + r"]{2,30}?(?:城市管理行政执法局|城管执法局|综合行政执法局|人民政府|街道办事处|城管执法大队|行政执法局|执法大队)")
_LINE_NOISE = re.compile(r"[\s()（）\[\]【】:]|印章|公章|盖章|落款|日期")
_DATE_TEXT = re.compile(r"(?:19|20)\d{2}\D{0,2}\d{1,2}\D{0,2}\d{1,2}日?"
                        r"|[〇零○一二三四五六七八九十]{4}年[〇零○一二三四五六七八九十]{1,2}月[〇零○一二三四五六七八九十]{1,3}日")


def _agency(t: Text, o: Out) -> None:
    """The issuer: a line that holds only an agency name (besides a seal mark or the date) —
    the last such line in the second half (落款), else the first (header); a name inside a
    sentence (…向上海市青浦区人民政府申请行政复议) is never taken."""
    n = t.norm
    found: list[tuple[int, int]] = []
    for m in _AGENCY_LINE.finditer(n):
        ls, le = t.line_start(m.start()), t.line_end(m.end() - 1)
        rest = _DATE_TEXT.sub("", n[ls:m.start()] + n[m.end():le])
        if len(_LINE_NOISE.sub("", rest)) <= 2:
            found.append((m.start(), m.end()))
    if not found:
        return
    tail = found[-1]
    if tail[0] > len(n) // 2:
        o.emit("agency", t.raw[tail[0]:tail[1]], tail[0], tail[1], "agency")
    else:
        o.emit("agency", t.raw[found[0][0]:found[0][1]], found[0][0], found[0][1], "agency", 0.9)


def _standalone(t: Text, d: _D) -> bool:
    ls = t.line_start(d.start)
    le = t.line_end(d.end - 1)
    rest = (t.norm[ls:d.start] + t.norm[d.end:le])
    rest = _AGENCY_RE.sub("", rest)
    rest = re.sub(r"[\s\t|:()（）【】\[\]]|印章|公章|盖章|日期|落款", "", rest)
    return len(rest) <= 4


def _closing_date(t: Text, after: int | None = None) -> _D | None:
    """The 落款 date: a date on a line that holds little else (agency, seal, date).

    after (int | None): when given (the end of the closing clause of a decision or notice), the
        first such date after it — so a receipt glued on by a missed split does not lend its
        date; else the last date of the text, if it stands alone.
    """
    if after is not None:
        for d in t.dates:
            if d.start >= after and _standalone(t, d):
                return d
        return None
    for d in reversed(t.dates):
        return d if _standalone(t, d) else None
    return None


def _doc_number(t: Text, o: Out, decision: bool) -> None:
    """The number directly after the title (decision) or the first printed 文号."""
    n = t.norm
    title = t.doc.title
    lo = 0
    if title:
        k = n.find(title.translate(_NORM))
        if k != -1:
            lo = k + len(title)
    window = n[lo:lo + 160]
    bad = re.compile(r"责改|改通|先告|告字|通字|听告|送字|催字")
    rxs = ((CASE_NO_MIDYEAR, CASE_NO, CASE_NO_SH_DIGITS) if decision
           else (CASE_NO_MIDYEAR, DOC_NO_ANY, CASE_NO, CASE_NO_SH_DIGITS))
    for rx in rxs:
        for m in rx.finditer(window):
            if bad.search(m.group(0)) and decision:
                continue
            s, e = lo + m.start(), lo + m.end()
            # a PDF title and number are joined: the number starts at a line start
            for b in t.breaks:
                if s < b < lo + m.start("year"):
                    s = b
            # trim a leading 编号/文号 label or stray punctuation
            while s < e and not re.match(r"[" + CJK + r"A-Za-z0-9(（〔\[［﹝【第]", n[s]):
                s += 1
            raw = t.raw[s:e]
            val = re.sub(r"\s+", "", raw)
            val = re.sub(r"^(?:文号|编号|案号)[:：]?", "", val)
            conf = 1.0 if re.search(_CLOSE_CHARS, raw) else 0.6
            o.emit("doc_number", val, s, e, "numbers", conf)
            return
    m = SERIAL_NO.search(n, lo, lo + 160) or SERIAL_NO.search(n, 0, 300)
    if m:  # a pre-printed serial (No.0012345 / 编号：…)
        o.emit("doc_number", t.raw[m.start("serial"):m.end("serial")], m.start("serial"), m.end("serial"),
               "numbers", 0.8)


_CLOSE_CHARS = r"[〕\]］)）﹞】]"


# --- citations, penalties, money, remedy ---------------------------------------------------------
_TRIG = re.compile(r"(违反了|违反|依据|根据|依照|按照|参照|裁量|加处|复议|诉讼|第七十二条)")


_Cites = list[tuple[int, int, str]]


def _classify_citations(t: Text, lo: int = 0, hi: int | None = None) -> tuple[_Cites, _Cites]:
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


def _citations(t: Text, o: Out, lo: int = 0, hi: int | None = None) -> None:
    v, b = _classify_citations(t, lo, hi)
    _emit_list(t, o, "violated_provisions", v, "citations")
    _emit_list(t, o, "penalty_basis", b, "citations")


def _penalty_region(t: Text, proposed: bool) -> tuple[int, int] | None:
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
    end_rx = re.compile(r"(如不服|逾期不|到期不缴纳|申请行政复议|收到本决定书之日起|当事人应当|限于|请于|应于|自收到|。\s*\n)")
    e = end_rx.search(n, m.end())
    return s, (e.start() if e else min(len(n), s + 300))


def _penalties(t: Text, o: Out, proposed: bool) -> None:
    reg = _penalty_region(t, proposed)
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
            kinds.append((m.start(), canon))
            break
    kinds.sort()
    if kinds:
        o.emit(name_kinds, [k for _, k in kinds], s, e, "penalties")
        o.emit("has_penalty", True, s, e, "penalties")
    else:
        o.emit("has_penalty", False, None, None, "penalties")
    money = find_money(t.raw[s:e], s)
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
        if pick.cn is not None and pick.ar is not None and _money_norm(pick.cn) != _money_norm(pick.ar):
            conf = 0.5
        o.emit(name_fine, _money_norm(pick.value), pick.start, pick.end, "money", conf)


def _in_book_title(n: str, pos: int) -> bool:
    """True when ``pos`` lies inside 《…》 (a law's name, not a clause)."""
    k = n.rfind("《", max(0, pos - 40), pos)
    return k != -1 and n.find("》", k, pos) == -1


def _remedy(t: Text, o: Out, sd) -> None:
    n = t.norm
    recon = [s for s in spans_of(sd, "REMEDY_RECON") if not _in_book_title(n, s.start_char)]
    litig = [s for s in spans_of(sd, "REMEDY_LITIG") if not _in_book_title(n, s.start_char)]
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
            rem["reconsideration_days"] = _cn_or_int(m.group(1))
        mb = None
        for m2 in re.finditer(r"向\s*(?P<b>[" + CJK + r"]{2,30}?(?:人民政府|执法局|管理局|城管局|政府|委员会))", win):
            mb = m2
        if mb:
            rem["reconsideration_body"] = t.raw[base + mb.start("b"):base + mb.end("b")]
    if litig:
        ls_ = litig[0].start_char
        win = n[max(sent_s, ls_ - 60):ls_ + 10]
        m = None
        for m2 in re.finditer(NUM + r"\s*个月", win):
            m = m2
        if m:
            rem["litigation_months"] = _cn_or_int(m.group(1))
        base = max(sent_s, ls_ - 60)
        mc = None
        for m2 in re.finditer(r"(?:向|依法向)\s*(?P<c>[" + CJK + r"]{0,20}?法院)", win):
            mc = m2
        if mc:
            rem["litigation_court"] = t.raw[base + mc.start("c"):base + mc.end("c")]
    end = max(last, n.find("。", last) if n.find("。", last) != -1 else last)
    o.emit("has_remedy", True, first, last, "remedy")
    o.emit("remedy", rem, sent_s, min(len(n), end + 1), "remedy")


def _facts(t: Text, o: Out) -> None:
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
    e_m = re.compile(r"(以上事实|上述事实|你的上述行为|你单位的上述行为|当事人的上述行为|上述行为|你\(单位\)的上述行为|违反了)").search(n, s)
    e = e_m.start() if e_m else min(len(n), s + 500)
    if e - s < 4:
        o.emit("has_facts", False, None, None, "facts")
        return
    o.emit("facts", t.raw[s:e].strip()[:500], s, e, "facts")
    o.emit("has_facts", True, s, e, "facts")


def _flag(t: Text, o: Out, name: str, rx: str, family: str, absent_false: bool = True) -> None:
    m = re.search(rx, t.norm)
    if m:
        o.emit(name, True, m.start(), m.end(), family)
    elif absent_false:
        o.emit(name, False, None, None, family)


def _rights(t: Text, o: Out, sd) -> None:
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
            days = _cn_or_int(m.group(1))
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


_WAIVE_HEARING = re.compile(r"(?<!视为)(?<!视作)(?:自愿|明确|书面|本人|我|我单位|本单位|当事人)?[^。\n]{0,6}?放弃[^。\n]{0,12}?听证")
_WAIVE_STATEMENT = re.compile(r"(?<!视为)(?<!视作)放弃[^。\n]{0,6}?(?:陈述|申辩)|不(?:进行|提出)?陈述(?:、|和|及)?(?:申辩)?|无陈述申辩意见|不申辩")


def _waivers(t: Text, o: Out) -> None:
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
    m = re.search(r"(?<!未)(?<!不)(?:要求|申请)(?:举行)?听证", n)
    if m and not re.search(r"有权|可以|享有|权利|可在|如", n[max(0, m.start() - 12):m.start()]):
        o.emit("hearing_requested", True, m.start(), m.end(), "clauses")


def _record_body(t: Text, o: Out) -> None:
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
                             L_PARTY_SIGN + L_WITNESS + ("执法人员签名", "记录人签名", "检查人签名", "签名"))
    if v and v[1] - v[0] > 4:
        s, e = v
        while s < e and t.norm[s] in " \t|:\n":
            s += 1
        o.emit("body", t.raw[s:e].strip(), s, e, "records")


def _approval(t: Text, o: Out) -> None:
    """approver and approval_date from the 负责人/审批意见 section (or labelled 批准日期)."""
    v = t.label_value(L_APPROVAL_DATE)
    if v is not False:
        # an explicit approval-date label decides, blank or not
        if v:
            d = _date_at(t, *v)
            if d:
                o.emit("approval_date", d.iso, d.start, d.end, "dates", d.confidence)
        date_done = True
    else:
        date_done = False
    reg = t.region_after_label(L_APPROVAL_SECTION, tuple(x for x in L_SECTION_ANY if x not in L_APPROVAL_SECTION)
                               + L_APPROVAL_DATE + ("备注",))
    if reg:
        s, e = reg
        if not date_done:
            ds = t.dates_in(s, e)
            if ds:
                o.emit("approval_date", ds[-1].iso, ds[-1].start, ds[-1].end, "dates", ds[-1].confidence)
        v = t.label_value(("签名", "签字", "负责人", "审批人", "批准人", "负责人签名", "审批人签名"), s, e)
        nm = _clean_name(t, *v, org_ok=False) if v else None
        if nm:
            o.emit("approver", t.raw[nm[0]:nm[1]], nm[0], nm[1], "approvals")
        elif v is False:
            m = re.search(r"(?:签名|签字)\s*[:|\t ]\s*(?P<n>[" + CJK + r"*＊]{2,3})(?![" + CJK + r"])", t.norm[s:e])
            if m and m.group("n") not in ALL_LABELS:
                o.emit("approver", t.raw[s + m.start("n"):s + m.end("n")], s + m.start("n"), s + m.end("n"), "approvals")
    if not o.has("approver"):
        v = t.label_value(L_APPROVER)
        if v:
            nm = _clean_name(t, *v, org_ok=False)
            if nm:
                o.emit("approver", t.raw[nm[0]:nm[1]], nm[0], nm[1], "approvals")


def _label_date(t: Text, o: Out, name: str, labels: Sequence[str], family: str = "dates") -> bool:
    """A date after one of ``labels``; True when a label was seen (blank or not)."""
    v = t.label_value(labels)
    if v is False:
        return False
    if v:
        d = _date_at(t, *v)
        if d:
            o.emit(name, d.iso, d.start, d.end, family, d.confidence)
    return True


def _case_cause(t: Text, o: Out) -> None:
    v = t.label_value(L_CAUSE)
    if v:
        o.emit("case_cause", t.raw[v[0]:v[1]], v[0], v[1], "cause")
        from extractors.violations import match_violation
        key, score = match_violation(t.raw[v[0]:v[1]])
        if key:
            o.emit("violation_type", key, v[0], v[1], "cause", score)


def _squad(t: Text, o: Out) -> None:
    v = t.label_value(L_SQUAD)
    if v:
        o.emit("squad", t.raw[v[0]:v[1]], v[0], v[1], "squad")
        return
    m = re.search(r"[" + CJK + r"]{2,12}?(?:执法中队|中队)(?![" + CJK + r"]*(?:意见|负责人))", t.norm)
    if m:
        o.emit("squad", t.raw[m.start():m.end()], m.start(), m.end(), "squad", 0.8)


def _av(t: Text, o: Out) -> None:
    _flag(t, o, "av_reference", r"执法记录仪|录音录像|视音频|音视频|录像|视频|摄像", "records")


def _after(o: Out, *names: str) -> int | None:
    """The furthest end offset of the named fields (None when none was found)."""
    ends = [o.pos(n)[1] for n in names]
    ends = [e for e in ends if e is not None]
    return max(ends) if ends else None


def _doc_date(t: Text, o: Out, after: int | None = None) -> _D | None:
    d = _closing_date(t, after)
    if d:
        o.emit("doc_date", d.iso, d.start, d.end, "dates", d.confidence)
    return d


# --- per doc type ------------------------------------------------------------------------------------
def _x_decision(t: Text, o: Out, sd) -> None:
    _doc_number(t, o, decision=True)
    _party(t, o)
    _facts(t, o)
    _citations(t, o)
    _penalties(t, o, proposed=False)
    _flag(t, o, "has_performance", r"缴纳|缴款|交纳|缴至|指定(?:的)?银行|代收机构", "clauses")
    _flag(t, o, "has_surcharge_clause", r"加处罚款|每日按罚款数额的(?:百分之三|3%)|加处", "clauses")
    _remedy(t, o, sd)
    _agency(t, o)
    d = _doc_date(t, o, _after(o, "remedy"))
    if d:
        o.emit("decision_date", d.iso, d.start, d.end, "dates", d.confidence)
    _seal(t, o, sd)
    _squad_if_labelled(t, o)


def _squad_if_labelled(t: Text, o: Out) -> None:
    v = t.label_value(L_SQUAD)
    if v:
        o.emit("squad", t.raw[v[0]:v[1]], v[0], v[1], "squad")


def _x_non_penalty(t: Text, o: Out, sd) -> None:
    _doc_number(t, o, decision=False)
    _party(t, o)
    _facts(t, o)
    _citations(t, o)
    n = t.norm
    m = re.search(r"[^。\n]{0,60}(?:轻微|首次|首违|主观过错|不能成立|证据不足|已过追责时效|超过追责时效)[^。\n]{0,40}", n)
    if m:
        o.emit("non_penalty_ground", t.raw[m.start():m.end()].strip(" ,，。"), m.start(), m.end(), "grounds")
    _remedy(t, o, sd)
    _agency(t, o)
    d = _doc_date(t, o, _after(o, "remedy"))
    if d:
        o.emit("decision_date", d.iso, d.start, d.end, "dates", d.confidence)
    _seal(t, o, sd)


def _x_prior_notice(t: Text, o: Out, sd) -> None:
    _doc_number(t, o, decision=False)
    _party(t, o)
    _facts(t, o)
    _citations(t, o)
    _penalties(t, o, proposed=True)
    _rights(t, o, sd)
    _agency(t, o)
    _doc_date(t, o, _after(o, "right_hearing", "right_statement", "statement_period_days"))
    _seal(t, o, sd)


def _act_violation(t: Text, o: Out) -> None:
    """violation_type from the act stated before 违反 (documents without a 案由)."""
    from extractors.violations import match_violation
    m = re.search(r"违反", t.norm)
    if not m:
        return
    lo = max(0, m.start() - 60)
    who = None
    for who in re.finditer(r"你\(单位\)|你单位|你|当事人", t.norm[lo:m.start()]):
        pass
    if who is not None:
        lo += who.end()
    key, score = match_violation(t.raw[lo:m.start()])
    if key:
        o.emit("violation_type", key, lo, m.start(), "cause", score)


def _x_simple(t: Text, o: Out, sd) -> None:
    _doc_number(t, o, decision=False)
    _party(t, o)
    _act_violation(t, o)
    vm = re.search(r"违反", t.norm)
    if vm:  # the act is stated in the sentence that says 违反
        ls = max(t.norm.rfind("。", 0, vm.start()) + 1, t.line_start(vm.start()) if not t.pdf else 0)
        o.emit("has_facts", vm.start() - ls > 4, ls, vm.start(), "facts")
    else:
        o.emit("has_facts", False, None, None, "facts")
    _officers(t, o)
    _place(t, o, ("违法地点", "违法行为地点", "地点", "发生地点", "处罚地点"))
    for s, e, sep in t.label_iter(("违法时间", "违法行为时间", "时间", "发生时间")):
        dts = _datetimes(t, e, min(len(t.norm), e + 40))
        if dts and t.norm[e:dts[0][1]].strip(" \t|:") == "":
            o.emit("start_time", dts[0][0], dts[0][1], dts[0][2], "dates")
            break
    _citations(t, o)
    _penalties(t, o, proposed=False)
    _flag(t, o, "reconsideration_first", r"(?:应当|应|须)(?:先|首先)[^。]{0,40}?申请(?:行政)?复议|复议前置|先(?:行)?申请(?:行政)?复议", "clauses")
    m = re.search(r"当场收缴", t.norm)
    if m:
        neg = re.search(r"(未|不|非)当场收缴|(?:□|☐)\s*当场收缴", t.norm[max(0, m.start() - 2):m.end()])
        o.emit("collected_on_spot", not bool(neg), m.start(), m.end(), "clauses")
    else:
        o.emit("collected_on_spot", False, None, None, "clauses")
    _flag(t, o, "remote_area", r"边远|水上|交通不便", "clauses")
    _remedy(t, o, sd)
    _agency(t, o)
    _squad_if_labelled(t, o)
    d = _doc_date(t, o, _after(o, "remedy"))
    if d:
        o.emit("decision_date", d.iso, d.start, d.end, "dates", d.confidence)
    _signatures(t, o, L_PARTY_SIGN, "party_signed")
    _refusal(t, o, sd)
    _seal(t, o, sd)


# in a record the person asked (被询问人 / 姓名) is not necessarily the party: an employee, the
# operator of a shop or the legal representative of a company may answer for it
L_ASKED = ("被询问人", "被询问人姓名", "姓名")
L_RECORD_PARTY = tuple(x for x in L_PARTY if x not in L_ASKED)
_ASKED_FOR = re.compile(r"\s*(?P<who>[" + CJK + r"·*＊]{2,6})\s*\(\s*(?:系|为|是)?\s*(?P<org>[" + CJK + r"()（）·*＊]{2,40}?)"
                        r"\s*(?:的)?\s*(?P<role>经营者|法定代表人|负责人|实际经营人|业主|店主|老板|股东|员工|职工|店员|雇员|"
                        r"工作人员|服务员|驾驶员|司机|管理人员|经理|厨师)\s*\)")
_REP_ROLES = ("经营者", "法定代表人", "负责人", "实际经营人", "业主", "店主", "老板")


def _record_party(t: Text, o: Out) -> None:
    """The party of a record, kept apart from the person asked.

    ``party_name`` comes from a party label (当事人, 被检查人（当事人）, 被检查单位 …); else from the
    unit the person asked answers for (``被询问人 赵洋（青浦区某某便利店经营者）`` → the shop, and
    赵洋 as ``party_representative`` when the role is 经营者 / 法定代表人 / 负责人); else, the
    person asked himself (an individual party usually answers for himself — checks comparing
    party names do not rely on a personal name taken from a record).
    """
    _party(t, o, name_labels=L_RECORD_PARTY)
    v = t.label_value(L_ASKED)
    if not v:
        return
    m = _ASKED_FOR.match(t.norm, v[0])
    if m and _ORG_HINT.search(m.group("org")):
        # the 身份证号 of the form is the person asked's, not the unit's: drop it (and the kind
        # read from it)
        idf = next((f for f in o.fields if f.name == "party_id_number"), None)
        if idf is not None and _personal_id(str(idf.value)):
            o.drop("party_id_number", "party_kind")
        if not o.has("party_name"):
            o.emit("party_name", t.raw[m.start("org"):m.end("org")], m.start("org"), m.end("org"), "party")
        if m.group("role") in _REP_ROLES and not o.has("party_representative"):
            o.emit("party_representative", t.raw[m.start("who"):m.end("who")], m.start("who"), m.end("who"), "party")
        if not o.has("party_kind"):
            # the form's 性别 / 身份证号 describe the person asked: judge the unit by its name, else
            # by the role (an 经营者 answers for a 个体工商户, a 法定代表人 for a company)
            from extractors.normalise import party as _p
            name = next((f.value for f in o.fields if f.name == "party_name"), None)
            kind = _p.party_kind(id_number=None, name=name, text="") or {
                "法定代表人": "organisation", "经营者": "individual", "实际经营人": "individual",
                "业主": "individual", "店主": "individual"}.get(m.group("role"))
            if kind:
                o.emit("party_kind", kind, *o.pos("party_name"), "party")
        return
    if not o.has("party_name"):
        nm = _clean_name(t, *v)
        if nm:
            o.emit("party_name", t.raw[nm[0]:nm[1]], nm[0], nm[1], "party", 0.8)


def _personal_id(s: str) -> bool:
    """A 身份证号 (18 characters, digits but the check character; masks allowed), not a credit code."""
    s = s.strip().upper()
    return len(s) == 18 and s[:1] != "9" and all(c.isdigit() or c in "*＊×" for c in s[:17])


def _x_record(t: Text, o: Out, sd) -> None:
    dt = t.doc.doc_type
    _officers(t, o)
    _times(t, o)
    _place(t, o)
    _record_party(t, o)
    _signatures(t, o, L_PARTY_SIGN, "party_signed")
    _refusal(t, o, sd)
    if not o.has("party_signed") and o.fields[-1].name == "refusal_note" and o.fields[-1].value:
        f = o.fields[-1]
        o.emit("party_signed", False, *o.pos(f.name), "signatures")
    _witness(t, o)
    _record_body(t, o)
    _av(t, o)
    if dt == "inspection_record":
        v = t.label_value(("违法时间", "违法行为时间", "发现时间", "违法日期"))
        if v:
            d = _date_at(t, *v)
            if d:
                o.emit("violation_date", d.iso, d.start, d.end, "dates", d.confidence)
        else:
            # an act date stated in the findings ("当事人于2022年3月1日…"), else the inspection date
            m = re.search(r"当事人(?:于|在)\s*", t.norm)
            d = _date_at(t, m.end(), min(len(t.norm), m.end() + 20)) if m else None
            if d and d.start == m.end():
                o.emit("violation_date", d.iso, d.start, d.end, "dates", d.confidence)
            elif o.has("start_time"):
                f = next(f for f in o.fields if f.name == "start_time")
                o.emit("violation_date", f.value[:10], *o.pos(f.name), "dates", 0.9)
    if dt == "defence_record":
        n = t.norm
        _waivers(t, o)
        waived = o.has("statement_waived")
        m = re.search(r"(?:陈述|申辩)(?:意见|内容|理由|如下)?\s*[:：]\s*(?P<v>[^\n]{2,})", n)
        made = bool(m) and not waived and not re.match(r"\s*(无|没有|放弃)", m.group("v"))
        if m:
            o.emit("defence_made", made, m.start(), m.end(), "records")
        else:
            o.emit("defence_made", not waived and bool(re.search(r"答\s*[:：]", n)), None, None, "records")
        if o.has("start_time"):
            f = next(f for f in o.fields if f.name == "start_time")
            o.emit("defence_date", f.value[:10], *o.pos(f.name), "dates")
        else:
            _label_date(t, o, "defence_date", ("时间", "陈述时间", "申辩时间", "日期", "陈述申辩时间"))
        v = t.label_value(("复核意见", "复核结论", "复核情况"))
        if v:
            o.emit("review_opinion", True, v[0], v[1], "records")
        else:
            _flag(t, o, "review_opinion", r"经复核|复核认为|复核后", "records")
    else:
        _waivers(t, o)
    if not o.has("doc_date") and o.has("start_time"):
        f = next(f for f in o.fields if f.name == "start_time")
        o.emit("doc_date", f.value[:10], *o.pos(f.name), "dates")


def _x_approval(t: Text, o: Out, sd) -> None:
    dt = t.doc.doc_type
    _doc_number(t, o, decision=False)
    _case_cause(t, o)
    _party(t, o, rep_labels=tuple(x for x in L_REP if x != "负责人"))
    _officers(t, o, ("承办人", "承办人员", "执法人员", "调查人", "调查人员", "承办人签名"))
    _squad(t, o)
    _approval(t, o)
    n = t.norm
    appr = next((f for f in o.fields if f.name == "approval_date"), None)
    if appr:
        o.emit("doc_date", appr.value, *o.pos(appr.name), "dates", appr.confidence)
    if dt == "filing_approval":
        seen = _label_date(t, o, "filing_date", L_FILING_DATE)
        if not seen and appr:
            o.emit("filing_date", appr.value, *o.pos(appr.name), "dates", appr.confidence)
        _label_date(t, o, "discovered_date", L_DISCOVERED)
        v = t.label_value(L_SOURCE_KIND)
        if v:
            k = _source_kind(t.norm[v[0]:v[1]])
            if k:
                o.emit("source_kind", k, v[0], v[1], "source")
        _flag(t, o, "extension_of_filing", r"延长立案期限|立案期限延长", "approvals", absent_false=False)
    elif dt == "extension_approval":
        if appr:
            o.emit("extension_approved_date", appr.value, *o.pos(appr.name), "dates", appr.confidence)
        v = t.label_value(L_EXT_UNTIL)
        if v:
            d = _date_at(t, *v)
            if d:
                o.emit("extension_until", d.iso, d.start, d.end, "dates", d.confidence)
        else:
            m = re.search(r"延长(?:办案期限)?至", n)
            if m:
                d = _date_at(t, m.end(), min(len(n), m.end() + 20))
                if d:
                    o.emit("extension_until", d.iso, d.start, d.end, "dates", d.confidence)
    elif dt == "withdrawal_approval":
        if appr:
            o.emit("withdrawal_date", appr.value, *o.pos(appr.name), "dates", appr.confidence)
        v = t.label_value(L_WD_GROUND)
        if v:
            o.emit("withdrawal_ground", t.raw[v[0]:v[1]], v[0], v[1], "grounds")
            o.emit("withdrawal_reasons", True, v[0], v[1], "grounds")
        else:
            o.emit("withdrawal_reasons", False, None, None, "grounds")
        # transferred when the stated ground is 移送 (the approver's words do not decide it)
        lo, hi = (v[0], v[1]) if v else (0, len(n))
        m = _MOVE.search(n, lo, hi)
        if m is None and v:  # a long ground may wrap past the cut: the 承办人意见 says it too
            v2 = t.label_value(("承办人意见", "承办意见"))
            m = _MOVE.search(n, v2[0], v2[1]) if v2 else None
        o.emit("transferred", bool(m), m.start() if m else None, m.end() if m else None, "approvals")
        o.emit("outcome", "transferred" if m else "withdrawn", m.start() if m else None,
               m.end() if m else None, "approvals")
    elif dt == "closing_approval":
        lab = _label_date(t, o, "closing_date", ("结案日期", "结案时间"))
        if not lab and appr:
            o.emit("closing_date", appr.value, *o.pos(appr.name), "dates", appr.confidence)
        _outcome(t, o)
        _closing_amounts(t, o)
    elif dt == "legal_review":
        reg = t.region_after_label(("法制审核意见", "审核意见", "审核结论"), ("审核人", "负责人意见", "审批意见"))
        d = None
        lab = t.label_value(("审核日期", "审核时间"))
        if lab:
            d = _date_at(t, *lab)
        if d is None and lab is False:
            d = appr and _D(*o.pos(appr.name), appr.value, None, appr.confidence)
            if d is None:
                d = _closing_date(t)
        if d:
            o.emit("legal_review_date", d.iso, d.start, d.end, "dates", d.confidence)
            o.emit("doc_date", d.iso, d.start, d.end, "dates", d.confidence)
        seg = n[reg[0]:reg[1]] if reg else n
        m = re.search(r"不同意|不予通过|未通过|不通过|退回", seg)
        m2 = re.search(r"同意|通过|合法|无异议", seg)
        if m or m2:
            base = reg[0] if reg else 0
            mm = m or m2
            o.emit("legal_review_passed", not bool(m), base + mm.start(), base + mm.end(), "approvals")
    elif dt == "collective_discussion":
        lab = _label_date(t, o, "discussion_date", ("讨论时间", "讨论日期", "会议时间", "时间", "日期"))
        if not lab:
            d = _closing_date(t)
            if d:
                o.emit("discussion_date", d.iso, d.start, d.end, "dates", d.confidence)
        f = next((f for f in o.fields if f.name == "discussion_date"), None)
        if f:
            o.emit("doc_date", f.value, *o.pos(f.name), "dates", f.confidence)
    elif dt == "investigation_report":
        _facts(t, o)
        _citations(t, o)
        _penalties(t, o, proposed=True)
        _outcome(t, o)
    elif dt == "decision_approval":
        _citations(t, o)
        _penalties(t, o, proposed=True)
    if dt in ("investigation_report", "decision_approval", "collective_discussion", "legal_review",
              "filing_approval"):
        _flag(t, o, "mitigated", r"减轻(?:行政)?处罚", "approvals", absent_false=False)
    if dt != "withdrawal_approval":
        _flag(t, o, "transferred", r"移送(?:至|给|到)?[" + CJK + r"]{0,20}(?:处理|管辖|公安|机关)", "approvals", absent_false=False)
    if not o.has("doc_date"):
        _doc_date(t, o)


_MOVE = re.compile("移送")


def _labelled_money(t: Text, labels: Sequence[str]) -> _M | None:
    """The first amount in the value of the first of ``labels`` that has one: from the label to
    the next label (a PDF cell wrapped over lines stays whole)."""
    for _s, e, sep in t.label_iter(labels):
        if "\n" in sep and not t.pdf:
            continue
        end = t.next_cut(e - 1)
        if not t.pdf:
            k = t.norm.find("\n", e)
            end = min(end, k) if k != -1 else end
        ms = find_money(t.raw[e:end], e)
        if ms:
            return ms[0]
    return None


def _closing_amounts(t: Text, o: Out) -> None:
    """``fine_yuan``: the fine in the closing form's 处理结果 / 罚款金额; ``amount_yuan``: the amount
    its 执行情况 says was paid (checked like a payment receipt, CON-02)."""
    m = _labelled_money(t, L_CLOSE_FINE)
    if m is not None:
        o.emit("fine_yuan", m.value, m.start, m.end, "money")
    m = _labelled_money(t, L_CLOSE_PAID)
    if m is None:  # prose: 当事人已于…缴纳罚款人民币400元
        for k in re.finditer(r"(?:已|于)[^。；;\n]{0,30}?(?:缴纳|缴清|缴付|交纳)", t.norm):
            ms = find_money(t.raw[k.end():k.end() + 30], k.end())
            if ms and ms[0].start - k.end() <= 8:
                m = ms[0]
                break
    if m is not None:
        o.emit("amount_yuan", m.value, m.start, m.end, "money")


def _outcome(t: Text, o: Out) -> None:
    n = t.norm
    for rx, val in ((r"不予(?:行政)?处罚", "not_penalized"), (r"移送", "transferred"),
                    (r"撤销立案|撤案|销案", "withdrawn"), (r"罚款|警告|没收|处罚决定", "penalized")):
        m = re.search(rx, n)
        if m:
            o.emit("outcome", val, m.start(), m.end(), "approvals", 0.8)
            return


def _source_kind(s: str) -> str | None:
    for k in ("投诉", "举报", "信访", "巡查", "移送", "交办"):
        if k in s:
            return k
    if "12345" in s or "热线" in s:
        return "投诉"
    if "检查" in s or "发现" in s:
        return "巡查"
    return None


def _x_case_source(t: Text, o: Out, sd) -> None:
    v = t.label_value(L_SOURCE_KIND)
    k = _source_kind(t.norm[v[0]:v[1]]) if v else None
    if k:
        o.emit("source_kind", k, v[0], v[1], "source")
    else:
        title = t.doc.title or t.norm[:60]
        k = _source_kind(title)
        if k:
            i = t.norm.find(k)
            o.emit("source_kind", k, i if i >= 0 else None, i + len(k) if i >= 0 else None, "source", 0.8)
    seen = _label_date(t, o, "discovered_date", L_DISCOVERED)
    if not seen:
        d = _closing_date(t)
        if d:
            o.emit("discovered_date", d.iso, d.start, d.end, "dates", 0.7)
    _place(t, o, ("发生地点", "违法地点", "地点", "发现地点", "案发地点", "事发地点", "反映地点", "投诉地点"))
    _party(t, o)
    _case_cause(t, o)
    _doc_date(t, o)


def _x_service(t: Text, o: Out, sd) -> None:
    from extractors.doctype import classify
    v = t.label_value(L_SERVED_DOC)
    if v:
        name = t.norm[v[0]:v[1]]
        dt, conf = _served_fallback(name), 1.0
        if dt is None:
            dt, conf = classify(name, title=name)
        if dt and dt != "other":
            o.emit("served_doc", dt, v[0], v[1], "service", conf if conf else 0.8)
    if not o.has("served_doc"):
        m = re.search(r"(当场行政处罚决定书|不予行政处罚决定书|行政处罚事先(?:\(听证\))?告知书|行政处罚决定书|责令(?:限期)?改正通知书|听证通知书)", t.norm)
        if m:
            dt = _served_fallback(m.group(1))
            if dt:
                o.emit("served_doc", dt, m.start(), m.end(), "service", 0.7)
    got = _label_date(t, o, "service_date", L_SERVICE_DATE)
    if not got:
        reg = t.region_after_label(L_RECEIVER_SIGN, ("送达人", "送达人签名", "见证人", "备注", "送达方式"))
        if reg:
            d = _date_at(t, *reg)
            if d:
                o.emit("service_date", d.iso, d.start, d.end, "dates", d.confidence)
    _label_date(t, o, "dispatch_date", L_DISPATCH_DATE)
    v = t.label_value(L_SERVICE_METHOD)
    meth = None
    if v:
        seg = t.norm[v[0]:v[1]]
        for k in ("直接送达", "留置送达", "邮寄送达", "电子送达", "公告送达", "当场交付", "委托送达"):
            if k in seg or k[:2] in seg and len(seg) <= 4:
                meth = (k, v[0], v[1])
                break
    if meth is None:
        sp = spans_of(sd, "SERVICE_METHOD")
        if sp:
            meth = (sp[0].text, sp[0].start_char, sp[0].end_char)
    if meth:
        o.emit("service_method", meth[0], meth[1], meth[2], "service")
    _signatures(t, o, L_RECEIVER_SIGN, "receiver_signed")
    _refusal(t, o, sd)
    _witness(t, o)
    _doc_date(t, o)


_SERVED = (("当场行政处罚决定书", "simple_decision"), ("当场处罚决定书", "simple_decision"),
           ("不予行政处罚决定书", "non_penalty_decision"), ("不予处罚决定书", "non_penalty_decision"),
           ("事先", "prior_notice"), ("告知书", "prior_notice"), ("行政处罚决定书", "decision"),
           ("处罚决定书", "decision"), ("责令", "correction_order"), ("听证通知", "hearing_notice"))


def _served_fallback(name: str) -> str | None:
    for k, v in _SERVED:
        if k in name:
            return v
    return None


def _x_payment(t: Text, o: Out, sd) -> None:
    for s, vs, ve in t.label_values(L_PAY_AMOUNT):
        ms = find_money(t.raw[vs:ve], vs)
        if not ms:
            m = re.match(r"\s*[¥￥]?\s*([\d,]+(?:\.\d{1,2})?)", t.norm[vs:ve])
            if m:
                raw = m.group(1).replace(",", "")
                val = float(raw) if "." in raw else int(raw)
                o.emit("amount_yuan", _money_norm(val), vs + m.start(1), vs + m.end(1), "money")
                break
            continue
        o.emit("amount_yuan", ms[0].value, ms[0].start, ms[0].end, "money")
        break
    if not o.has("amount_yuan"):
        ms = find_money(t.raw)
        if ms:
            o.emit("amount_yuan", ms[0].value, ms[0].start, ms[0].end, "money", 0.7)
    got = _label_date(t, o, "payment_date", L_PAY_DATE)
    if not got:
        d = _closing_date(t)
        if d:
            o.emit("payment_date", d.iso, d.start, d.end, "dates", 0.8)
    _party(t, o)
    _flag(t, o, "urge_notice", r"催告|加处罚款|强制执行", "payment", absent_false=False)
    f = next((f for f in o.fields if f.name == "payment_date"), None)
    if f:
        o.emit("doc_date", f.value, *o.pos(f.name), "dates")


def _x_correction(t: Text, o: Out, sd) -> None:
    _doc_number(t, o, decision=False)
    _party(t, o)
    got = _label_date(t, o, "correction_deadline", L_CORR_DEADLINE)
    if not got:
        m = re.search(r"(?:限(?:你|你单位|当事人)?|于|在)\s*(?=(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})", t.norm)
        if m:
            d = _date_at(t, m.end(), min(len(t.norm), m.end() + 20))
            if d and re.match(r"\s*(?:前|之前|以前|内)", t.norm[d.end:d.end + 4]):
                o.emit("correction_deadline", d.iso, d.start, d.end, "dates", d.confidence)
    _citations(t, o)
    _agency(t, o)
    _doc_date(t, o)
    _seal(t, o, sd)


def _x_preservation(t: Text, o: Out, sd) -> None:
    title = t.doc.title or t.norm[:80]
    _party(t, o)
    d = _doc_date(t, o)
    if "处理决定" in title:
        if d:
            o.emit("handling_decision_date", d.iso, d.start, d.end, "dates", d.confidence)
    else:
        got = _label_date(t, o, "preservation_date", ("保存日期", "登记保存日期", "保存时间"))
        if not got:
            _approval(t, o)
            appr = next((f for f in o.fields if f.name == "approval_date"), None)
            src = appr.span if appr else None
            if appr:
                o.emit("preservation_date", appr.value, *o.pos("approval_date"), "dates", appr.confidence)
            elif d:
                o.emit("preservation_date", d.iso, d.start, d.end, "dates", d.confidence)
    _seal(t, o, sd)


def _x_generic(t: Text, o: Out, sd) -> None:
    _party(t, o)
    _waivers(t, o)
    _doc_date(t, o)


_BY_TYPE: dict[str, Callable[[Text, Out, Any], None]] = {
    "decision": _x_decision,
    "non_penalty_decision": _x_non_penalty,
    "simple_decision": _x_simple,
    "prior_notice": _x_prior_notice,
    "inspection_record": _x_record,
    "inquiry_record": _x_record,
    "hearing_record": _x_record,
    "defence_record": _x_record,
    "filing_approval": _x_approval,
    "decision_approval": _x_approval,
    "extension_approval": _x_approval,
    "withdrawal_approval": _x_approval,
    "closing_approval": _x_approval,
    "investigation_report": _x_approval,
    "legal_review": _x_approval,
    "collective_discussion": _x_approval,
    "service_receipt": _x_service,
    "payment_receipt": _x_payment,
    "case_source": _x_case_source,
    "correction_order": _x_correction,
    "evidence_preservation": _x_preservation,
}


def extract_document(doc: SourceDoc, nlp=None) -> DocFields:
    """Every document-level field ``doc`` states, each with its Span.

    doc (SourceDoc): a typed document (``doc_type`` set).
    nlp (Language | None): the pipeline from ``extractors.nlp.build_nlp()`` (built if None).
    RETURNS (DocFields): the document with its fields (names from ``pipeline.core.vocab.DOC_FIELDS``).
    """
    nlp = nlp if nlp is not None else build_nlp()
    t = Text(doc)
    sd = process(nlp, t.raw)  # in pieces past spaCy's max_length (E088)
    if sd.user_data.get(DATES_KEY) is not None:
        t._dates = find_dates(t.raw, 0, sd.user_data[DATES_KEY])
    o = Out(t)
    fn = _BY_TYPE.get(doc.doc_type, _x_generic)
    fn(t, o, sd)
    return DocFields(doc=doc, fields=tuple(o.fields))
