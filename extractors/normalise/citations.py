"""Article citations: find, normalise, format (casefile.md §8.4).

``find_citations`` reads every numeral style (Chinese, Arabic, full-width), ``第X条第X款第（X）项第X目``
with 款 omitted, items as ``第(一)项`` / ``第（一）项`` / ``第一项`` / ``(一)、(二)项``, several citations in
one run (``第二十五条第二款、第三款`` → two), law names in 《》 or, for known names, bare in the text.
A citation without a law inherits the last law named before it (or ``default_law``); a bare
``第(六)项`` / ``第三款`` continues the previous citation's article. Citations introduced by 参照/按照
a 裁量 standard get ``role_hint='discretion'``; callers separate violated / penalty / procedural roles.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from extractors.normalise.numerals import cn_to_int, int_to_cn

LAWS_PATH = Path(__file__).resolve().parents[1] / "data" / "laws.yaml"

CITATION_STYLES: tuple[str, ...] = (
    "cn", "arabic", "arabic_fullwidth", "item_paren_half", "item_bare", "no_book", "short", "spaced",
    "no_para",
)
# styles that keep every part of the citation (no_para drops the 款; no_book needs a known law name)
LOSSLESS_STYLES: tuple[str, ...] = tuple(s for s in CITATION_STYLES if s != "no_para")

_LAW_SUFFIX = re.compile(r"(?:法|法典|条例|规定|办法|细则|决定|规则|标准|基准|意见|规范|解释)$")


@dataclass(frozen=True, slots=True)
class Cite:
    law: str | None
    article: int
    paragraph: int | None
    item: int | None
    sub: int | None
    start: int
    end: int
    text: str
    role_hint: str | None = None  # 'discretion' for a 裁量 standard cited with 参照/按照

    def canonical(self) -> str:
        """《上海市市容环境卫生管理条例》第二十五条第五款第（一）项 (law part left out when unknown)."""
        return format_citation(self, "cn")


# --- law names ----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _law_table() -> tuple[dict[str, str], dict[str, str]]:
    """(alias → full name, full name → preferred short alias)."""
    data = yaml.safe_load(LAWS_PATH.read_text(encoding="utf-8")) or {}
    alias: dict[str, str] = {}
    short: dict[str, str] = {}
    for full, names in data.items():
        alias[full] = full
        for n in names or []:
            alias[str(n)] = full
        if names:
            short[full] = str(names[0])
    return alias, short


def normalise_law_name(name: str) -> str:
    """Full official name for a short, bracketed or spaced law name (unknown names come back cleaned).

    ``行政处罚法`` → ``中华人民共和国行政处罚法``; ``《市容条例》`` → ``上海市市容环境卫生管理条例``;
    ``《上海市市容环境卫生管理条例》（2018年修正）`` → ``上海市市容环境卫生管理条例``.
    """
    s = "".join(name.split()).strip("《》〈〉<>\"“”'")
    s = re.sub(r"[(（][^()（）]*(?:修正|修订|修改|试行|年)[^()（）]*[)）]$", "", s)
    s = s.strip("《》")
    s = re.sub(r"[(（][^()（）]*(?:修正|修订|修改|年)[^()（）]*[)）]$", "", s)
    alias, _ = _law_table()
    if s in alias:
        return alias[s]
    # a national law quoted without its prefix: XX法 (not a Shanghai text, not an 办法)
    if (s.endswith("法") and not s.endswith("办法") and not s.startswith(("中华人民共和国", "上海"))
            and 3 <= len(s) <= 20 and "裁量" not in s):
        return "中华人民共和国" + s
    return s


@lru_cache(maxsize=1)
def _bare_law_re() -> re.Pattern[str]:
    alias, _ = _law_table()
    names = [n for n in alias if len(n) >= 4 and _LAW_SUFFIX.search(n)]
    names.sort(key=lambda n: (-len(n), n))
    return re.compile("|".join(re.escape(n) for n in names))


# --- scanning -----------------------------------------------------------------------------------

_FOLD = {chr(0xFF10 + i): str(i) for i in range(10)}
_FOLD.update({"\u3000": " ", "﹙": "(", "﹚": ")", "〔": "(", "〕": ")"})
_FOLD_TABLE = str.maketrans(_FOLD)

_N = r"[零〇一二两三四五六七八九十百千\d]+"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ITEM_ONE = r"(?:[(（][ \t]*" + _N + r"[ \t]*[)）]|" + _N + r"|[" + _CIRCLED + r"])"
_ITEM_PAREN = r"[(（][ \t]*" + _N + r"[ \t]*[)）]"
_SEP = r"[ \t]*(?:[、，,和及或与至]|以及|或者|到)[ \t]*(?:第[ \t]*)?"

_TOKEN = re.compile(
    r"(?P<book>《[^《》\n]{2,80}》(?:[ \t]*[(（][^()（）\n]{0,12}(?:修正|修订|修改|年)[^()（）\n]{0,12}[)）])?)"
    r"|(?P<art>第[ \t]*(?P<art_n>" + _N + r")[ \t]*条)"
    r"|(?P<para>第[ \t]*(?P<para_n>" + _N + r")[ \t]*款)"
    r"|(?P<item>(?:第[ \t]*(?P<item_list>" + _ITEM_ONE + r"(?:" + _SEP + _ITEM_ONE + r")*)"
    r"|(?P<item_list2>" + _ITEM_PAREN + r"(?:" + _SEP + _ITEM_ONE + r")*))[ \t]*项)"
    r"|(?P<sub>第[ \t]*(?P<sub_n>" + _N + r")[ \t]*目)"
)


def _n(s: str) -> int | None:
    s = s.strip()
    if s and s in _CIRCLED:
        return _CIRCLED.index(s) + 1
    v = cn_to_int(s)
    return v if v is not None and v > 0 else None


def _item_numbers(item_list: str) -> list[int]:
    """Numbers of an item list; ``（一）至（三）`` expands to 1, 2, 3. Empty when a number is malformed."""
    out: list[int] = []
    pending_range = False
    for m in re.finditer(_N + "|[" + _CIRCLED + "]|至|到", item_list):
        if m.group() in ("至", "到"):
            pending_range = bool(out)
            continue
        v = _n(m.group())
        if v is None:
            return []
        if pending_range and out and out[-1] < v <= out[-1] + 50:
            out.extend(range(out[-1] + 1, v + 1))
        else:
            out.append(v)
        pending_range = False
    return out


def _is_law_name(inner: str) -> bool:
    s = normalise_law_name(inner)
    alias, _ = _law_table()
    return s in alias.values() or bool(_LAW_SUFFIX.search(s))


def _role_hint(t: str, start: int, law: str | None) -> str | None:
    if law and "裁量" in law:
        return "discretion"
    cut = max(t.rfind(ch, 0, start) for ch in "。；;\n")
    prefix = t[cut + 1:start]
    if "裁量" in prefix and re.search(r"参照|按照|依照|根据", prefix):
        return "discretion"
    return None


def find_citations(text: str, default_law: str | None = None) -> list[Cite]:
    """Every article citation in ``text``, in order (see module docstring)."""
    if not text:
        return []
    t = text.translate(_FOLD_TABLE)
    # law names outside 《》 (known names only) become tokens too
    events: list[tuple[int, int, str, object]] = []
    book_spans: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(t):
        kind = None
        for k in ("book", "art", "para", "item", "sub"):
            if m.group(k) is not None:
                kind = k
                break
        if kind == "book":
            inner = re.sub(r"[ \t]*[(（][^()（）]*[)）]$", "", m.group("book")).strip()[1:-1]
            book_spans.append(m.span())
            if _is_law_name(inner):
                events.append((m.start(), m.end(), "law", normalise_law_name(inner)))
            continue
        if kind == "art":
            v = _n(m.group("art_n"))
            if v:
                events.append((m.start(), m.end(), "art", v))
        elif kind == "para":
            v = _n(m.group("para_n"))
            if v:
                events.append((m.start(), m.end(), "para", v))
        elif kind == "item":
            nums = _item_numbers(m.group("item_list") or m.group("item_list2"))
            if nums:
                events.append((m.start(), m.end(), "item", tuple(nums)))
        elif kind == "sub":
            v = _n(m.group("sub_n"))
            if v:
                events.append((m.start(), m.end(), "sub", v))
    for m in _bare_law_re().finditer(t):
        if any(s <= m.start() < e for s, e in book_spans):
            continue
        events.append((m.start(), m.end(), "law", normalise_law_name(m.group())))
    events.sort(key=lambda e: (e[0], -e[1]))

    out: list[Cite] = []
    law = normalise_law_name(default_law) if default_law else None
    law_end = -1  # end of the last law token (to include an adjacent law in the span)
    law_start = -1
    pending: dict | None = None
    last: dict | None = None  # last emitted/pending parts for continuation
    prev_end = -1

    def emit() -> None:
        nonlocal pending
        if pending is not None:
            s, e = pending["start"], pending["end"]
            out.append(Cite(pending["law"], pending["article"], pending["paragraph"], pending["item"],
                            pending["sub"], s, e, text[s:e], _role_hint(t, s, pending["law"])))
        pending = None

    def adjacent(start: int) -> bool:
        return prev_end >= 0 and t[prev_end:start].strip(" \t") == ""

    for start, end, kind, value in events:
        if start < prev_end:  # a bare law name inside a token already used
            continue
        if kind == "law":
            law = value  # type: ignore[assignment]
            law_start, law_end = start, end
            prev_end = end
            continue
        if kind == "art":
            emit()
            s = law_start if law_end >= 0 and t[law_end:start].strip(" \t") == "" else start
            pending = {"law": law, "article": value, "paragraph": None, "item": None, "sub": None,
                       "start": s, "end": end, "last": "art"}
            last = pending
        elif kind == "para":
            if pending is not None and adjacent(start) and pending["last"] == "art":
                pending.update(paragraph=value, end=end, last="para")
            elif last is not None:
                emit()
                pending = {"law": last["law"], "article": last["article"], "paragraph": value, "item": None,
                           "sub": None, "start": start, "end": end, "last": "para"}
                last = pending
            else:
                prev_end = end
                continue
        elif kind == "item":
            items = list(value)  # type: ignore[call-overload]
            gap = t[prev_end:start].strip(" \t") if prev_end >= 0 else ""
            if (gap in ("至", "到") and pending is not None and pending["last"] == "item"
                    and pending["item"] < items[0] <= pending["item"] + 50):
                items = list(range(pending["item"] + 1, items[0])) + items  # 第一项至第三项
            first = items.pop(0)
            if pending is not None and adjacent(start) and pending["last"] in ("art", "para"):
                pending.update(item=first, end=end, last="item")
            elif last is not None:
                emit()
                pending = {"law": last["law"], "article": last["article"], "paragraph": last["paragraph"],
                           "item": first, "sub": None, "start": start, "end": end, "last": "item"}
                last = pending
            else:
                prev_end = end
                continue
            for extra in items:
                emit()
                pending = dict(last or {}, item=extra, sub=None, start=start, end=end, last="item")
                last = pending
        elif kind == "sub":
            if pending is not None and adjacent(start) and pending["last"] in ("art", "para", "item"):
                pending.update(sub=value, end=end, last="sub")
            elif last is not None:
                emit()
                pending = dict(last, sub=value, start=start, end=end, last="sub")
                last = pending
            else:
                prev_end = end
                continue
        prev_end = end
    emit()
    return out


# --- formatting ---------------------------------------------------------------------------------

def _fw(s: str) -> str:
    return s.translate({ord(str(i)): 0xFF10 + i for i in range(10)})


def format_citation(c: Cite, style: str) -> str:
    """Write a citation in one of CITATION_STYLES.

    cn 《…》第二十五条第五款第（一）项 · arabic 《…》第25条第5款第(1)项 · arabic_fullwidth 第２５条… ·
    item_paren_half 第(一)项 · item_bare 第一项 · no_book 上海市…条例第二十五条 (no 《》) ·
    short 《市容条例》第二十五条 · spaced 第 二十五 条 第 五 款 · no_para 第二十五条第（一）项 (款 left out).
    """
    if style not in CITATION_STYLES:
        raise ValueError(f"unknown citation style {style!r}; known: {', '.join(CITATION_STYLES)}")
    num: Callable[[int], str] = int_to_cn
    if style in ("arabic", "arabic_fullwidth"):
        num = str
    sp = " " if style == "spaced" else ""
    law = ""
    if c.law:
        if style == "no_book":
            law = c.law
        elif style == "short":
            law = f"《{_law_table()[1].get(c.law, c.law)}》"
        else:
            law = f"《{c.law}》"
    text = f"{law}第{sp}{num(c.article)}{sp}条"
    if c.paragraph is not None and style != "no_para":
        text += f"{sp}第{sp}{num(c.paragraph)}{sp}款"
    if c.item is not None:
        if style == "item_paren_half" or style in ("arabic", "arabic_fullwidth"):
            text += f"第({num(c.item)})项"
        elif style == "item_bare":
            text += f"第{num(c.item)}项"
        else:
            text += f"{sp}第{sp}（{num(c.item)}）{sp}项"
    if c.sub is not None:
        text += f"{sp}第{sp}{num(c.sub)}{sp}目"
    if style == "arabic_fullwidth":
        text = _fw(text)
    return text
