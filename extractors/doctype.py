"""Typing documents by their content: the title, then body keywords. Pure functions.

A document's type comes from its title (``extractors/data/doctype_titles.yaml``), never from
its file name. Matching goes, strongest first:

1. exact: the normalised line equals a known title (confidence 1.0);
2. framed: a known title with an agency name before it on the same line, or a bracketed
   qualifier after it (``（存根）``, ``（邮寄）``), confidence 0.95; any other short prefix glued to
   a known title (``行政执法文书送达回证``), 0.9;
3. fuzzy: ``rapidfuzz.fuzz.ratio`` against every title, for OCR-damaged or mistyped titles
   (confidence ``ratio / 100 * scale``); body keywords then settle near types
   (当场 → simple_decision, 不予处罚 → non_penalty_decision …);
4. no title line: a title line further down the first page (0.5), else ``other`` (0.1).

Normalisation removes all whitespace and unifies brackets (``()`` → ``（）``, ``[]【】［］﹝﹞`` →
``〔〕``). A title line is short (≤ 25 characters), has no body punctuation (``：，。《》`` …) and
is not a table row (no tab), so mentions such as ``送达文书：行政处罚决定书`` or
``依据《行政处罚事先告知书》`` are never taken for titles.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from pipeline.core.models import DOC_TYPES, Page

DATA_FILE = Path(__file__).parent / "data" / "doctype_titles.yaml"

_BRACKETS = str.maketrans({
    "(": "（", ")": "）", "、": None, "·": None,
    "[": "〔", "]": "〕", "［": "〔", "］": "〕", "【": "〔", "】": "〕", "﹝": "〔", "﹞": "〕",
    "\u3000": " ",
})


def normalise(text: str) -> str:
    """Remove all whitespace and 、, unify brackets (the form titles are compared in)."""
    return "".join(text.translate(_BRACKETS).split())


@dataclass(frozen=True, slots=True)
class TitleTable:
    by_title: dict[str, str]          # normalised title -> doc_type
    titles: tuple[str, ...]           # normalised titles, longest first
    ratio_min: float
    ratio_min_short: float
    short_title_chars: int
    min_title_chars: int
    max_length_delta: int
    confidence_scale: float
    max_title_chars: int
    title_window: int
    agency_suffixes: tuple[str, ...]
    title_suffixes: tuple[str, ...]
    max_qualifier_chars: int
    max_prefix_chars: int
    continuation_marks: tuple[str, ...]
    forbidden: frozenset[str]
    tie_breakers: tuple[tuple[str, tuple[str, ...], str], ...]
    content_rules: tuple[tuple[str, tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]], ...] = ()


def _build(data: dict[str, Any]) -> TitleTable:
    by_title: dict[str, str] = {}
    for doc_type, titles in data["titles"].items():
        if doc_type not in DOC_TYPES:
            raise ValueError(f"doctype_titles.yaml: unknown doc_type {doc_type!r}")
        for t in titles:
            key = normalise(t)
            if key in by_title and by_title[key] != doc_type:
                raise ValueError(f"doctype_titles.yaml: title {t!r} listed under two doc_types")
            by_title[key] = doc_type
    fz = data.get("fuzzy", {})
    tbs = tuple((tb["when"], tuple(tb["body_any"]), tb["becomes"]) for tb in data.get("tie_breakers", []))
    for when, _, becomes in tbs:
        if when not in DOC_TYPES or becomes not in DOC_TYPES:
            raise ValueError(f"doctype_titles.yaml: unknown doc_type in tie_breakers ({when}, {becomes})")
    rules = []
    for r in data.get("content_rules", []):
        if r["doc_type"] not in DOC_TYPES:
            raise ValueError(f"doctype_titles.yaml: unknown doc_type in content_rules ({r['doc_type']})")
        rules.append((r["doc_type"], tuple(re.compile(x) for x in r.get("all", ())),
                      tuple(re.compile(x) for x in r.get("none", ()))))
    return TitleTable(
        content_rules=tuple(rules),
        by_title=by_title,
        titles=tuple(sorted(by_title, key=lambda t: (-len(t), t))),
        ratio_min=float(fz.get("ratio_min", 80)),
        ratio_min_short=float(fz.get("ratio_min_short", fz.get("ratio_min", 80))),
        short_title_chars=int(fz.get("short_title_chars", 0)),
        min_title_chars=int(fz.get("min_title_chars", 4)),
        max_length_delta=int(fz.get("max_length_delta", 3)),
        confidence_scale=float(fz.get("confidence_scale", 0.9)),
        max_title_chars=int(data.get("max_title_chars", 25)),
        title_window=int(data.get("title_window", 6)),
        agency_suffixes=tuple(data.get("agency_suffixes", ())),
        title_suffixes=tuple(normalise(s) for s in data.get("title_suffixes", ())),
        max_qualifier_chars=int(data.get("max_qualifier_chars", 0)),
        max_prefix_chars=int(data.get("max_prefix_chars", 0)),
        continuation_marks=tuple(normalise(s) for s in data.get("continuation_marks", ())),
        forbidden=frozenset(data.get("forbidden_chars", "")),
        tie_breakers=tbs,
    )


@lru_cache(maxsize=1)
def load_table() -> TitleTable:
    """The title table shipped in ``extractors/data/doctype_titles.yaml``."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        return _build(yaml.safe_load(fh))


_QUALIFIER = re.compile(r"^(?P<core>.+?)（(?P<q>[^（）]+)）$")


def _framed(norm: str, tab: TitleTable, glued_ok: bool) -> tuple[str, str, float] | None:
    """A known title with something before it on the same line: an agency name (0.95) or,
    when ``glued_ok``, any short prefix (0.9)."""
    for title in tab.titles:  # longest first
        if norm.endswith(title) and len(norm) > len(title):
            prefix = norm[: -len(title)]
            if prefix.endswith(tab.agency_suffixes):
                return title, tab.by_title[title], 0.95
            if glued_ok and len(prefix) <= tab.max_prefix_chars:
                return title, tab.by_title[title], 0.9
    return None


@lru_cache(maxsize=4096)
def _match_line(raw: str) -> tuple[str, str, float] | None:
    """(title text, doc_type, score) when ``raw`` is a title line, else None."""
    if "\t" in raw:  # a DOCX table row: cells are data, not titles
        return None
    tab = load_table()
    norm = normalise(raw)
    if len(norm) < 2 or len(norm) > tab.max_title_chars:
        return None
    if any(ch in tab.forbidden for ch in norm):
        return None
    hit = tab.by_title.get(norm)
    if hit:
        return norm, hit, 1.0
    for suf in tab.title_suffixes:  # copy marks after the title
        if norm.endswith(suf) and norm[: -len(suf)] in tab.by_title:
            core = norm[: -len(suf)]
            return core, tab.by_title[core], 0.95
    # Words glued before a title are a prefix (行政执法文书送达回证); words separated by spaces
    # are a flattened table row (送达文书 行政处罚决定书) unless the whole title is letter-spaced.
    tokens = raw.split()
    glued_ok = len(tokens) == 1 or all(len(t) == 1 for t in tokens)
    m = _QUALIFIER.match(norm)
    if m and len(m.group("q")) <= tab.max_qualifier_chars:
        core = m.group("core")
        if core in tab.by_title:
            return core, tab.by_title[core], 0.95
        framed = _framed(core, tab, glued_ok)
        if framed is not None:
            return framed[0], framed[1], 0.9
    framed = _framed(norm, tab, glued_ok)
    if framed is not None:
        return framed
    if len(norm) < tab.min_title_chars:
        return None
    cutoff = min(tab.ratio_min, tab.ratio_min_short)
    best: tuple[str, float] | None = None
    for title, score, _ in process.extract(norm, tab.titles, scorer=fuzz.ratio,
                                           score_cutoff=cutoff, limit=8):
        if abs(len(title) - len(norm)) > tab.max_length_delta:
            continue
        if score < (tab.ratio_min_short if len(title) <= tab.short_title_chars else tab.ratio_min):
            continue
        if best is None or score > best[1]:
            best = (title, score)
    if best is None:
        return None
    return norm, tab.by_title[best[0]], round(best[1] / 100 * tab.confidence_scale, 3)


def find_title(lines: Sequence[str]) -> tuple[int, str, str, float] | None:
    """Find a document title among the first non-empty lines of a page.

    Returns ``(line index in lines, title text, doc_type, score)`` or None. Only the first
    ``title_window`` (6) non-empty lines are looked at, so an agency header line and a 文号 line
    may stand around the title; body mentions of titles are rejected by the line rules.
    """
    window = load_table().title_window
    seen = 0
    for i, raw in enumerate(lines):
        if not raw.strip():
            continue
        seen += 1
        if seen > window:
            break
        m = _match_line(raw)
        if m is not None:
            return i, m[0], m[1], m[2]
    return None


def _tie_break(doc_type: str, body: str) -> str:
    norm = normalise(body)
    for when, keywords, becomes in load_table().tie_breakers:
        if doc_type == when and any(k in norm for k in keywords):
            return becomes
    return doc_type


def classify(text: str, title: str | None = None) -> tuple[str, float]:
    """Type a document from its text (and its title line when the caller already found it).

    Returns ``(doc_type, confidence)`` with doc_type one of ``models.DOC_TYPES``.
    """
    match: tuple[str, str, float] | None = None
    if title is not None:
        match = _match_line(title)
    if match is None:
        found = find_title(text.splitlines())
        if found is not None:
            match = (found[1], found[2], found[3])
    if match is not None:
        _, doc_type, score = match
        if score < 0.95:  # a damaged title: let the body settle near types
            doc_type = _tie_break(doc_type, text)
        return doc_type, score
    # No title at the top: a title line further down the first lines (a cover sheet, a stamp
    # or a table before the title), at lower confidence.
    lines = text.splitlines()[:60]
    for raw in lines:
        m = _match_line(raw)
        if m is not None and m[2] >= 0.95:
            return _tie_break(m[1], text), 0.5
    by_content = classify_by_content(text)
    if by_content is not None:
        return _tie_break(by_content, text), 0.4
    return "other", 0.1


def classify_by_content(text: str) -> str | None:
    """The doc type of a document without a title line, from what it says (``content_rules`` of
    doctype_titles.yaml), or None."""
    body = "\n".join(re.sub(r"[ \t\u3000]+", "", line) for line in text.splitlines()[:200])
    body = body.translate(_BRACKETS)
    for doc_type, need, refuse in load_table().content_rules:
        if all(p.search(body) for p in need) and not any(p.search(body) for p in refuse):
            return doc_type
    return None


def _is_continuation(lines: Sequence[str], index: int) -> bool:
    marks = load_table().continuation_marks
    near = normalise("".join(lines[max(0, index - 1): index + 2]))
    return any(m in near for m in marks)


_AGENCY_ONLY = re.compile(r"^[\u4e00-\u9fa5（）()]{2,30}"
                          r"(?:局|人民政府|政府|办事处|委员会|大队|中队|支队|执法队)[:：]?$")
_DATE_ONLY = re.compile(r"^(?:(?:19|20)\d{2}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}\s*日?|"
                        r"[〇零○一二三四五六七八九十]{4}年[〇零○一二三四五六七八九十]{1,2}月[〇零○一二三四五六七八九十]{1,3}日)$")
_END_MARKS = ("签名", "签字", "盖章", "印章", "捺印", "（章）", "(章)")


def _ends_document(line: str) -> bool:
    """A line that closes a document: its 落款 date, the agency, a signature or seal row."""
    norm = "".join(line.split())
    return bool(_DATE_ONLY.match(norm) or _AGENCY_ONLY.match(norm)) or any(m in norm for m in _END_MARKS)


def _heading_start(lines: Sequence[str], i: int) -> int | None:
    """The line where a document headed by the title at ``lines[i]`` starts inside a page, or None
    when that line is not a heading: an exact title (letter-spaced, framed or qualified) with, before
    it, a blank line, or an agency-only line (which starts the document), or a line that closes the
    document before (a date, a signature, a seal); and after it no other title (a catalogue lists
    titles one a line)."""
    m = _match_line(lines[i])
    if m is None or m[2] < 0.9:
        return None
    nxt = next((x for x in lines[i + 1:] if x.strip()), None)
    if nxt is None or _match_line(nxt) is not None:
        return None
    k = i - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    if k < 0:
        return 0
    blank_before = k < i - 1
    if _AGENCY_ONLY.match("".join(lines[k].split())) and "\t" not in lines[k]:
        j = k - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        if j < 0 or j < k - 1 or _ends_document(lines[j]):
            return k
        return None
    if blank_before or _ends_document(lines[k]):
        return i
    return None


def split_file(pages: Sequence[Page]) -> list[tuple[tuple[Page, ...], str | None]]:
    """The documents of one file: ``[(pages, title)]`` in order.

    A document starts on a page whose first lines hold a title (``split_points``), or inside a page
    at a heading (``_heading_start``: files whose documents follow one another without a page
    break, a combined Word file split only by its headings). A page cut inside is shared: each part
    keeps its lines as a Page of the same number (OCR line confidences and boxes cut with them).
    """
    starts: dict[tuple[int, int], str] = {}
    for idx, title in split_points(pages):
        top = find_title(pages[idx].text.splitlines())
        # the title stands below the tail of the document before it (its officers, its date)
        st = _heading_start(pages[idx].text.splitlines(), top[0]) if top is not None and idx > 0 else None
        starts[(idx, st or 0)] = title
    for idx, page in enumerate(pages):
        lines = page.text.splitlines()
        top = find_title(lines)
        first_body = (top[0] + 1) if top is not None else 0
        for i in range(first_body, len(lines)):
            if i == 0:
                continue
            st = _heading_start(lines, i)
            if st is None or st == 0:
                continue
            m = _match_line(lines[i])
            assert m is not None
            starts.setdefault((idx, st), m[0])
    if not starts:
        return [(tuple(pages), None)]
    order = sorted(starts)
    if order[0] != (0, 0):  # what comes before the first title belongs to the first document
        first = order[0]
        starts[(0, 0)] = starts.pop(first)
        order = sorted(starts)
    out: list[tuple[tuple[Page, ...], str | None]] = []
    for n, (pi, li) in enumerate(order):
        end = order[n + 1] if n + 1 < len(order) else (len(pages), 0)
        parts: list[Page] = []
        for k in range(pi, min(end[0] + 1, len(pages))):
            lines = pages[k].text.splitlines()
            lo = li if k == pi else 0
            hi = end[1] if k == end[0] else len(lines)
            if k == end[0] and hi == 0:
                break
            parts.append(_page_lines(pages[k], lines, lo, hi))
        out.append((tuple(parts), starts[(pi, li)]))
    return out


def _page_lines(page: Page, lines: Sequence[str], lo: int, hi: int) -> Page:
    """Lines [lo, hi) of ``page`` as a Page of the same number (the whole page when they are all)."""
    if lo == 0 and hi >= len(lines):
        return page
    conf = page.line_confidence[lo:hi] if len(page.line_confidence) == len(lines) else ()
    boxes = page.line_boxes[lo:hi] if len(page.line_boxes) == len(lines) else ()
    return dataclasses.replace(page, text="\n".join(lines[lo:hi]), line_confidence=conf, line_boxes=boxes)


def split_points(pages: Sequence[Page]) -> list[tuple[int, str]]:
    """Where documents start in a combined file: ``[(page index, title)]`` in page order.

    A page starts a new document when a title line is among its first non-empty lines. A title
    repeated on a page marked as a continuation (续页, 第2页 …) of a document of the same type
    does not start a new one.
    """
    out: list[tuple[int, str]] = []
    current: str | None = None
    for idx, page in enumerate(pages):
        lines = page.text.splitlines()
        found = find_title(lines)
        if found is None:
            continue
        line_idx, title, doc_type, _ = found
        if current == doc_type and _is_continuation(lines, line_idx):
            continue
        out.append((idx, title))
        current = doc_type
    return out
