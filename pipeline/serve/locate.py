"""Where a quote stands in a page's text, and the boxes that cover it (pure).

Evidence quotes are cut from the text the readers produced; the page text a viewer has may differ
in whitespace (a table cell joined by a TAB, a line wrapped at another place, ``\\r\\n`` from a PDF
text layer). Matching therefore ignores whitespace: both sides are squeezed to their
non-whitespace characters, and the match is mapped back to offsets in the page text.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of the page, y downwards
MIN_PART = 4  # a part of a quote shorter than this is too common to point anywhere
_PARTS = re.compile(r"[\n；;]+")


def _squeeze(text: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if not ch.isspace():
            chars.append(ch)
            index.append(i)
    return "".join(chars), index


def find_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets in ``text`` where ``quote`` stands, compared without whitespace.

    The whole quote when it is there (one span). Otherwise the quote was assembled from several
    places (a time and a place, two table cells): each of its parts (split at line breaks and
    「；」) of at least ``MIN_PART`` characters that is found gives a span, in text order.
    """
    hay, index = _squeeze(text)
    whole, _ = _squeeze(quote)
    if not hay or not whole:
        return []

    def span(needle: str, at: int) -> tuple[int, int]:
        return index[at], index[at + len(needle) - 1] + 1

    at = hay.find(whole)
    if at >= 0:
        return [span(whole, at)]
    spans: list[tuple[int, int]] = []
    for part in dict.fromkeys(_squeeze(p)[0] for p in _PARTS.split(quote)):
        at = hay.find(part) if len(part) >= MIN_PART else -1
        if at >= 0:
            spans.append(span(part, at))
    return sorted(spans)


def merge_lines(boxes: Sequence[Box]) -> list[Box]:
    """Character boxes joined into one box per text line (boxes whose vertical middles lie within
    the other's height), in reading order."""
    lines: list[list[float]] = []
    for x0, y0, x1, y1 in boxes:
        mid = (y0 + y1) / 2
        for ln in lines:
            if ln[1] <= mid <= ln[3]:
                ln[0], ln[1], ln[2], ln[3] = min(ln[0], x0), min(ln[1], y0), max(ln[2], x1), max(ln[3], y1)
                break
        else:
            lines.append([x0, y0, x1, y1])
    return [(a, b, c, d) for a, b, c, d in sorted(lines, key=lambda ln: (ln[1], ln[0]))]


def line_range(text: str, start: int, end: int) -> tuple[int, int]:
    """The indices of the first and last line of ``text`` that the span ``[start, end)`` touches."""
    first = text.count("\n", 0, start)
    last = text.count("\n", 0, max(start, end - 1))
    return first, last


__all__ = ["Box", "find_spans", "line_range", "merge_lines"]
