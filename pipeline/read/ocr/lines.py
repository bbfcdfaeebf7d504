"""Line assembly: recognised boxes → the page's lines in reading order.

Boxes are grouped into rows (vertical overlap), rows run top to bottom and boxes left to right;
boxes of one row separated by a table rule or a wide gap are joined with a TAB, as the DOCX reader
joins cells (``当事人\\t张三``). Lines of one table row (both cross a vertical rule, no horizontal
rule between them: a cell wrapped) are joined cell by cell. The width of a 文号's brackets is kept
(:func:`bracket_width`, :func:`_spaced_brackets`: the recogniser writes ［］（） as ASCII); years in
Chinese numerals are repaired and the year brackets of a 文号 paired
(``extractors.normalise.brackets``).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from extractors.normalise.brackets import fix_years, pair_brackets
from pipeline.read.ocr.engines import ASCII_WORD, Box
from pipeline.read.ocr.image import ink_mask

__all__ = ["FULL_WIDTH_GAP", "MAX_CELL_LINES", "OcrLine", "box_rows", "bracket_width", "page_lines"]

FULL_WIDTH_GAP = 0.45  # a blank this share of the text height beside a bracket: full-width (bracket_width)
MAX_CELL_LINES = 4  # a table row whose cells wrap onto more lines than this is not joined


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One line of the page in reading order (cells of a table row joined with TAB).

    ``box`` is (x0, y0, x1, y1) as fractions of the corrected page's width and height.
    """

    text: str
    confidence: float
    box: tuple[float, float, float, float]


def box_rows(boxes: Sequence[Box]) -> list[list[Box]]:
    rows: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: ((b.y0 + b.y1) / 2, b.x0)):
        placed = False
        if rows:
            row = rows[-1]
            top = sorted(b.y0 for b in row)[len(row) // 2]
            bottom = sorted(b.y1 for b in row)[len(row) // 2]
            overlap = min(bottom, box.y1) - max(top, box.y0)
            if overlap >= 0.5 * min(bottom - top, box.h):
                row.append(box)
                placed = True
        if not placed:
            rows.append([box])
    return [sorted(r, key=lambda b: b.x0) for r in rows]


def _rule_between(v_rule, a: Box, b: Box) -> bool:
    """A vertical table rule lies between the end of ``a`` and the first character of ``b``."""
    if v_rule is None:
        return False
    y0, y1 = int(max(a.y0, b.y0)), int(min(a.y1, b.y1))
    if y1 <= y0:
        y0, y1 = int(a.y0), int(a.y1)
    h = min(a.h, b.h)
    x0, x1 = int(min(a.x1, b.x0) - h * 0.3), int(b.x0 + h * 0.5) + 1
    band = v_rule[max(y0, 0):max(y1, 0), max(x0, 0):max(x1, 0)]
    return bool(band.size) and bool(band.any(axis=0).any())


_FULL_WIDTH = str.maketrans("[]()", "［］（）")
_SPACED_PAIR = re.compile(r"( ?)([\[(])([^\[\]()\s]{1,30})([\])])( ?)")


def _spaced_brackets(text: str) -> str:
    """``字 [2024] 第`` → ``字［2024］第``: the recogniser writes the blank half of a full-width
    bracket as a space beside an ASCII one; a pair with such a space becomes full-width."""
    def fix(m: re.Match) -> str:
        if not (m.group(1) or m.group(5)):
            return m.group(0)
        return (m.group(2) + m.group(3) + m.group(4)).translate(_FULL_WIDTH)
    return _SPACED_PAIR.sub(fix, text)


_ASCII_YEAR_PAIR = re.compile(r"[\[(]\d{4}[\])]")


def bracket_width(gray, box: Box) -> Box:
    """A box read with an ASCII bracket pair around a year (``字[2024]第``) whose line image has
    two blank gaps of at least ``FULL_WIDTH_GAP`` of the text height: the brackets were
    full-width (their blank halves make those gaps; ASCII brackets sit close to their
    neighbours), so ``［2024］`` / ``（2024）`` is returned."""
    if len(_ASCII_YEAR_PAIR.findall(box.text)) != 1:
        return box
    crop = gray[max(int(box.y0), 0):int(box.y1) + 1, max(int(box.x0), 0):int(box.x1) + 1]
    if crop.size == 0:
        return box
    ink = ink_mask(crop)
    rows = np.flatnonzero(ink.sum(axis=1) > 1)
    cols = np.flatnonzero(ink.any(axis=0))
    if rows.size == 0 or cols.size < 2:
        return box
    height = rows[-1] - rows[0] + 1
    blank = ~ink[:, cols[0]:cols[-1] + 1].any(axis=0)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], blank.astype(np.int8), [0]])))
    widths = edges[1::2] - edges[0::2]
    if int((widths >= FULL_WIDTH_GAP * height).sum()) < 2:
        return box
    text = _ASCII_YEAR_PAIR.sub(lambda m: m.group(0).translate(_FULL_WIDTH), box.text)
    return Box(text, box.confidence, box.x0, box.y0, box.x1, box.y1)


def _join_row(row: Sequence[Box], v_rule) -> str:
    """The row's boxes left to right: a TAB where a table rule or a wide gap parts two boxes, a
    space between two Latin words, nothing otherwise.

    The recogniser writes full-width brackets ［］（） as ASCII ones; but the blank half of a
    full-width bracket makes the detector cut the line there, while an ASCII bracket stays inside
    its box. So a box that begins with an ASCII bracket right after its neighbour, or ends with
    one right before the next, had full-width brackets (``字［2024］第`` read as ``字`` ``[2024]``
    ``第``, or as ``字 [2024] 第`` in one box): its brackets are made full-width."""
    h = sorted(b.h for b in row)[len(row) // 2]
    tabs = [_rule_between(v_rule, prev, box) or box.x0 - prev.x1 > 1.0 * h for prev, box in zip(row, row[1:])]
    texts = [_spaced_brackets(b.text) for b in row]
    for i, t in enumerate(texts):
        left = i > 0 and not tabs[i - 1] and t[:1] in "[("
        right = i < len(row) - 1 and not tabs[i] and t[-1:] in ")]"
        if left or right:
            texts[i] = t.translate(_FULL_WIDTH)
    text = texts[0]
    for i, (prev, box) in enumerate(zip(row, row[1:])):
        gap = box.x0 - prev.x1
        if tabs[i]:
            text += "\t"
        elif gap > 0.3 * h and ASCII_WORD.search(prev.text) and ASCII_WORD.match(box.text):
            text += " "
        text += texts[i + 1]
    return text


def _in_table(rule, y0: float, y1: float) -> bool:
    return rule is not None and bool(rule[max(int(y0), 0):max(int(y1), 0)].any())


def _table_blocks(rows: list[list[Box]], h_rule, v_rule) -> list[list[list[Box]]]:
    """Consecutive rows of one table row (a cell wrapped onto a second line: both rows cross a
    vertical rule and no horizontal rule lies between them) grouped together; other rows alone."""
    blocks: list[list[list[Box]]] = []
    for row in rows:
        if blocks and h_rule is not None and len(blocks[-1]) < MAX_CELL_LINES:
            prev = blocks[-1][-1]
            # from the middle of one line to the middle of the next (boxes are padded and may
            # reach over a rule)
            a = int(sum((x.y0 + x.y1) / 2 for x in prev) / len(prev))
            b = int(sum((x.y0 + x.y1) / 2 for x in row) / len(row)) + 1
            if (_in_table(v_rule, min(x.y0 for x in prev), max(x.y1 for x in prev))
                    and _in_table(v_rule, min(x.y0 for x in row), max(x.y1 for x in row))
                    and not h_rule[max(a, 0):max(b, 0)].any()):
                blocks[-1].append(row)
                continue
        blocks.append([row])
    return blocks


def _block_text(block: list[list[Box]], v_rule) -> str:
    """One table row whose cells wrap: each cell's lines joined, the cells joined with TAB."""
    y0, y1 = int(min(b.y0 for r in block for b in r)), int(max(b.y1 for r in block for b in r)) + 1
    band = v_rule[max(y0, 0):y1]
    cols = np.flatnonzero(band.sum(axis=0) >= 0.5 * band.shape[0])
    rules = [int(c) for i, c in enumerate(cols) if i == 0 or c - cols[i - 1] > 2]
    cells: dict[int, list[str]] = {}
    for row in block:
        parts: dict[int, list[Box]] = {}
        for box in row:
            parts.setdefault(sum(1 for x in rules if x < (box.x0 + box.x1) / 2), []).append(box)
        for idx, boxes in parts.items():
            cells.setdefault(idx, []).append(_join_row(boxes, None))
    return "\t".join("".join(cells[i]) for i in sorted(cells))


def page_lines(rows: list[list[Box]], v_rule, width: int, height: int, h_rule) -> list[OcrLine]:
    """The page's lines from its rows of boxes (:func:`box_rows`), wrapped table cells joined."""
    out = []
    for block in _table_blocks(rows, h_rule, v_rule):
        row = [b for r in block for b in r]
        text = _join_row(block[0], v_rule) if len(block) == 1 else _block_text(block, v_rule)
        text = pair_brackets(fix_years(text))
        n = sum(len(b.text) for b in row)
        conf = sum(b.confidence * len(b.text) for b in row) / n if n else 0.0
        box = (_frac(min(b.x0 for b in row) / width), _frac(min(b.y0 for b in row) / height),
               _frac(max(b.x1 for b in row) / width), _frac(max(b.y1 for b in row) / height))
        out.append(OcrLine(text, round(conf, 4), box))
    return out


def _frac(v: float) -> float:
    """A coordinate as a fraction of the page, clamped to 0..1 and rounded to 4 places."""
    return round(max(0.0, min(1.0, v)), 4)
