"""The text view of a document and the field collector (``Text``, ``Out``), with the adapters over
the normalisers (dates, money, citations) that every field family uses."""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from extractors.fields.labels import ALL_LABELS, labels
from extractors.normalise import citations as _cit
from extractors.normalise import dates as _dates
from extractors.normalise import money as _money
from extractors.normalise import numerals as _num
from pipeline.core.models import Field, SourceDoc, Span
from pipeline.core.vocab import DOC_FIELD_NAMES

CJK = "\u4e00-\u9fa5"


NORM = str.maketrans({"：": ":", "，": ",", "；": ";", "（": "(", "）": ")", "　": " ", "｜": "|",
                       "。": "。", "﹕": ":", **{chr(0xFF10 + i): str(i) for i in range(10)}})


DATE_BLANK = re.compile(r"^[\s_＿\-—]*((19|20)?\d{0,2}[\s_＿]*年[\s_＿]*月[\s_＿]*日)?[\s_＿\-—]*$")


# --- adapters over H4's normalisers -----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DateHit:
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


def find_dates(text: str, base: int = 0, found: Sequence[Any] | None = None) -> list[DateHit]:
    out: list[DateHit] = []
    for m in (found if found is not None else _dates.find_dates(text)):
        iso = _attr(m, "iso", "value", "date")
        if iso is None:
            continue
        iso = str(iso)
        t = _attr(m, "time")
        if "T" in iso:
            iso, t = iso.split("T", 1)
        out.append(DateHit(m.start + base, m.end + base, iso[:10], t[:5] if t else None,
                      float(_attr(m, "confidence", default=1.0))))
    return out


@dataclass(frozen=True, slots=True)
class MoneyHit:
    start: int
    end: int
    value: Any
    cn: Any
    ar: Any


def find_money(text: str, base: int = 0) -> list[MoneyHit]:
    out: list[MoneyHit] = []
    for m in _money.find_amounts(text):
        cn = _attr(m, "cn_value")
        ar = _attr(m, "ar_value")
        val = cn if cn is not None else (ar if ar is not None else _attr(m, "value"))
        if val is None:
            continue
        out.append(MoneyHit(m.start + base, m.end + base, money_norm(val), cn, ar))
    return out


def money_norm(v: Any) -> Any:
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
        self.norm = self.raw.translate(NORM)
        assert len(self.norm) == len(self.raw)
        self._dates: list[DateHit] | None = None
        self._stamps_dropped = False
        self._cuts: list[int] | None = None
        self._width: int | None = None

    # provenance
    def span(self, start: int, end: int) -> Span:
        if self._o2r is not None:
            rs = self._o2r[start]
            re_ = self._o2r[end - 1] + 1 if end > start else rs
        else:
            rs, re_ = start, end
        return Span(self.doc.doc_id, self.doc.page_of(rs), rs, re_, self.orig[rs:re_])

    def text(self, start: int, end: int) -> str:
        """The value at [start, end) as a field holds it: the raw text, and for PDF text without the
        spaces that justified layout or OCR put inside Chinese words (``凤 　 栖苑 16 号``)."""
        v = self.raw[start:end]
        if self.pdf and _CJK_RX.search(v):
            v = _WS_ALL.sub("", v)
        return v

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

    def window(self, pos: int, width: int) -> int:
        """The end of a look-ahead of ``width`` characters from ``pos`` that never reads the next
        row: it stops at the line's end (PDF: at the next label, PDF lines being wrapped cells)."""
        stop = self.next_cut(pos) if self.pdf else self.line_end(pos)
        return min(len(self.norm), pos + width, stop)

    def is_break(self, i: int) -> bool:
        return i in self._break_set

    def use_dates(self, dates: list[DateHit]) -> None:
        """Take the dates found once by the spaCy pipeline over the same text."""
        self._dates = dates
        self._stamps_dropped = False

    @property
    def dates(self) -> list[DateHit]:
        """Every date of the text but a print or export stamp's (labels.yaml ``print_stamp``)."""
        if self._dates is None:
            self._dates = find_dates(self.raw)
        if not self._stamps_dropped:
            stamps = [e for _s, e, _sep in self.label_iter(labels("print_stamp"))]
            if stamps:
                self._dates = [d for d in self._dates if not any(e <= d.start <= e + 2 for e in stamps)]
            self._stamps_dropped = True
        return self._dates

    def dates_in(self, lo: int, hi: int) -> list[DateHit]:
        return [d for d in self.dates if d.start >= lo and d.end <= hi]

    # label/value
    def _qualified(self, s: int, e: int, sep: str) -> bool:
        n = self.norm
        if self.pdf and ":" not in sep:
            # a table label in PDF text starts a line or follows a cell separator
            if not (s == 0 or self.is_break(s) or n[s - 1] in " \t|"):
                return False
        before_ok = s == 0 or not is_cjk(n[s - 1]) or self.is_break(s)
        # run-on text: a label glued to the number or title before it (…第0517号当事人：)
        before_ok = before_ok or (":" in sep and n[s - 1] in _GLUE_BEFORE)
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
        elif ":" in sep and self.pdf:
            end = self._pdf_colon_end(pos)
        elif ":" in sep:
            m = _COLON_END.search(n, pos)
            end = m.start() if m else len(n)
        else:  # a space or nothing: one word
            m = _WS.search(n, pos)
            end = m.start() if m else len(n)
        if self.pdf:  # the next label ends the value (cells glued by a removed line break)
            end = min(end, self.next_cut(pos - 1))
            end = self._wrap_end(pos, end)
        s, e = pos, end
        while s < e and n[s] in " \u3000":
            s += 1
        while e > s and n[e - 1] in " \u3000":
            e -= 1
        if e <= s:
            return None
        val = n[s:e].strip(":")
        if not val or val in ALL_LABELS or _WS_ALL.sub("", val) in _NORM_LABELS:
            return None
        return s, e

    def _pdf_colon_end(self, pos: int) -> int:
        """Where a 「标签：值」 value of line-joined PDF text ends: at a cell separator or sentence
        end, or where a label this file may not know starts after a space (``发证机关：``) — the
        value itself may hold spaces (justified text: ``2024 年 9 月 10 日``, ``凤 　 栖苑``)."""
        n = self.norm
        s = pos
        while s < len(n) and n[s] == " ":
            s += 1
        for m in _COLON_END_PDF.finditer(n, s):
            if m.group("label") is None:
                return m.start()
            # an unknown label is a short word after a space on one line; a longer run is the
            # value's tail glued to the next line's label by a removed line break
            ls, le = m.start("label"), m.end("label")
            if not any(self.is_break(i) for i in range(ls + 1, le)):
                return m.start()
        return len(n)

    def row_end(self, pos: int) -> int:
        """PDF: the end of the table row or 「标签：值」 line a value at ``pos`` stands on — its wrapped
        continuation lines included, a line that starts a paragraph or a new label not."""
        return self._wrap_end(pos, len(self.norm))

    def _wrap_end(self, pos: int, end: int) -> int:
        """Cut a PDF value at a line break that starts a paragraph rather than a wrap.

        A line as wide as the page's widest wraps: its value goes on (unless the next line opens a
        paragraph: 你/经查/根据 …). Else a wrapped cell continues on a short line, and a paragraph
        after a table starts a long line (full page width) or with an opener.
        """
        k = bisect.bisect_left(self.breaks, pos)
        while k < len(self.breaks) and self.breaks[k] < end:
            b = self.breaks[k]
            nxt = self.breaks[k + 1] if k + 1 < len(self.breaks) else len(self.norm)
            line = self.norm[b:nxt]
            if b >= pos:
                if _PARA_OPENER.match(line) or _LABELISH.match(line):
                    return b
                prev = self.norm[self.breaks[k - 1] if k > 0 else 0:b]
                if not self._full(prev) and len(line) >= PDF_PARAGRAPH_LINE:
                    return b
            k += 1
        return end

    def _full(self, line: str) -> bool:
        """A PDF line that fills the page's width (its text wrapped at the margin)."""
        if self._width is None:  # the width of the text's full lines: the 80th percentile
            starts = [0] + self.breaks + [len(self.norm)]
            widths = sorted(_width(self.norm[a:b]) for a, b in zip(starts, starts[1:]))
            self._width = widths[int(len(widths) * 0.8)] if widths else 0
        return self._width > 0 and _width(line) >= FULL_LINE * self._width

    def label_value(self, labels: Sequence[str], lo: int = 0,
                    hi: int | None = None) -> tuple[int, int] | Literal[False] | None:
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

    def blank_label(self, labels: Sequence[str], lo: int = 0, hi: int | None = None) -> tuple[int, int] | None:
        """(start, end) of the first of ``labels`` in [lo, hi) when its value is positively empty,
        else None (no such label, a value, or nothing that proves the value missing)."""
        hi = len(self.norm) if hi is None else hi
        for s, e, sep in self.label_iter(labels):
            if s < lo or s >= hi:
                continue
            if self.value_after(e, sep) is not None or not self._empty_after(s, e, sep):
                return None
            return s, e - len(sep)
        return None

    def _empty_after(self, s: int, pos: int, sep: str) -> bool:
        """Whether the label at ``s`` (its separator ending at ``pos``) has no value, by the shape
        of what follows: another cell (TAB, |), a table row's end (the reader drops empty cells),
        another label, or the end of the text. A paragraph label whose line ends may have its
        value on the next line: empty only when that line starts with a label."""
        n = self.norm
        if "\t" in sep or "|" in sep or pos >= len(n):
            return True
        cuts = self.cuts()
        k = bisect.bisect_left(cuts, pos)
        next_cut = cuts[k] if k < len(cuts) else len(n)
        if self.pdf:
            gap = n[pos:next_cut]
            return not gap.strip() or next_cut == pos
        le = self.line_end(pos if "\n" not in sep else s)
        if n[pos:le].strip():
            return True  # something on the line, and value_after found it is a label
        line = n[self.line_start(s):le]
        if "\t" in line:
            return True  # a table row whose value cells were empty (dropped by the reader)
        nxt = le + 1
        return nxt >= len(n) or nxt == next_cut or not n[nxt:self.line_end(nxt)].strip()

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


# a PDF line at least this share of the text's full width (80th percentile) is full: what follows is a wrap
FULL_LINE = 0.85


def _width(line: str) -> int:
    """The printed width of a line: CJK and full-width characters count two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in line.rstrip())


# a line that starts with a short label this file does not know (涉案物品 …, 整改要求：…) starts a
# new cell: 2–8 characters ending like a label, then a separator
_LABELISH = re.compile(r"[" + CJK + r"]{1,6}(?:时间|日期|地点|地址|名称|单位|意见|情况|号码|方式|金额|理由|"
                       r"事项|物品|编号|原因|依据|结果|要求|期限|电话|人员|签名|姓名|类型|来源|内容)(?:[ :|]|$)")
_PARA_OPENER = re.compile(r"(你|您|经查|经调查|本局|本机关|如不服|根据|依据|依照|"
                          r"执法人员已|执法人员出示|以上|上述|问:|答:|检查情况)")


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fa5"


_WS = re.compile(r"\s")
_GLUE_BEFORE = "号书"  # what a label may be glued to in run-on text when a colon follows it


_COLON_END = re.compile(r"[\t|\n,;。]|\s{2,}|\s+[" + CJK + r"()]{1,12}:")


_COLON_END_PDF = re.compile(r"[\t|\n,;。]|\s+(?=(?P<label>[" + CJK + r"]{2,10}(?:\([" + CJK + r"]{1,6}\))?)[ ]?:)")


_WS_ALL = re.compile(r"\s+")


_CJK_RX = re.compile(r"[" + CJK + r"]")


_NORM_LABELS = frozenset(x.translate(NORM) for x in ALL_LABELS)


_ALL_LABELS_SORTED = tuple(sorted(ALL_LABELS))


_LABEL_RX: dict[tuple[tuple[str, ...], bool], re.Pattern[str]] = {}


def _spaced_alt(label: str) -> str:
    """A label as a pattern that also matches it letter-spaced (``当 事 人``, ``地　　点``) or wrapped
    with the padding of justified text (``记 　 　⏎录人``): up to four spaces between two of its CJK
    characters."""
    out = [re.escape(label[0])] if label else []
    for a, b in zip(label, label[1:]):
        out.append(("[ ]{0,4}" if is_cjk(a) and is_cjk(b) else "") + re.escape(b))
    return "".join(out)


def _label_rx(labels: tuple[str, ...], pdf: bool = False) -> re.Pattern[str]:
    key = (labels, pdf)
    rx = _LABEL_RX.get(key)
    if rx is None:
        alts = "|".join(_spaced_alt(x.translate(NORM)) for x in sorted(set(labels), key=lambda x: (-len(x), x)))
        tail = r"|)" if pdf else r"|(?=[^" + CJK + r"]))"
        rx = re.compile(r"(?:" + alts + r")(?:\((?!签|盖|捺|章)[" + CJK + r"、/]{1,8}\))?(?:[1-9](?![0-9]))?"
                        r"(?P<sep>[ \t]*[:|\t][ \t]*|[ ]+|[ \t]*\n" + tail)
        _LABEL_RX[key] = rx
    return rx


# --- the collector --------------------------------------------------------------------------------
class Out:
    """The fields one extractor reads from one document: the first value of a name wins.

    ``declared`` (the registered extractor's ``fields``) is the set of names it may emit; any
    other name is a programming error and raises ``KeyError``."""

    def __init__(self, t: Text, declared: Iterable[str] | None = None) -> None:
        self.t = t
        self.declared = frozenset(declared) if declared is not None else None
        self.fields: list[Field] = []
        self._names: set[str] = set()
        self._blank: set[str] = set()
        self._pos: dict[str, tuple[int | None, int | None]] = {}

    def emit(self, name: str, value: Any, start: int | None, end: int | None, family: str,
             confidence: float = 1.0) -> None:
        self._check(name)
        if name in self._names or value is None:
            return
        if name in self._blank:  # a value read elsewhere outweighs a blank cell
            self.fields = [f for f in self.fields if f.name != name]
            self._blank.discard(name)
        span = self.t.span(start, end) if start is not None and end is not None else None
        self.fields.append(Field(name, value, span, f"{family}.{name}.v1", confidence))
        self._names.add(name)
        self._pos[name] = (start, end)

    def blank(self, name: str, start: int, end: int, family: str, confidence: float = 1.0) -> None:
        """Record that the slot ``name`` was found empty: its label (or cell) at [start, end) holds
        nothing. Positive evidence of a missing value; a value emitted later replaces it."""
        self._check(name)
        if name in self._names or name in self._blank:
            return
        self.fields.append(Field(name, None, self.t.span(start, end), f"{family}.{name}.v1", confidence,
                                 state="blank"))
        self._blank.add(name)

    def _check(self, name: str) -> None:
        if name not in DOC_FIELD_NAMES:
            raise KeyError(f"{name} is not a DOC_FIELDS name")
        if self.declared is not None and name not in self.declared:
            raise KeyError(f"{name} is not among the fields its extractor declares")

    def pos(self, name: str) -> tuple[int | None, int | None]:
        """Offsets (in the matching text) of an emitted field, to reuse its evidence."""
        return self._pos.get(name, (None, None))

    def has(self, name: str) -> bool:
        """A value was read for ``name`` (a blank slot does not count)."""
        return name in self._names

    def drop(self, *names: str) -> None:
        """Forget emitted fields (a value found to belong to someone else)."""
        self.fields = [f for f in self.fields if f.name not in names]
        self._names -= set(names)
        self._blank -= set(names)
        for n in names:
            self._pos.pop(n, None)


def cn_or_int(s: str) -> int | None:
    s = s.strip()
    if s.isdigit():
        return int(s)
    return cn_int(s)
