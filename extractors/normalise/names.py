"""One masked-name comparator: do two printed party names name the same party?

Case files print a party's name in full (``杜小平``), masked (``杜**``, ``杜××``, ``杜〇〇``), or
pseudonymised (``杜某某``, ``上海某某餐饮有限公司``); a scan adds OCR noise (``明珠餐钦`` for ``明珠餐饮``).
Assembly (which document's party block goes with which), CON-01 (the party is the same in every
document) and MIS-01/MIS-02 (two cases have the same party) all ask this one question here.

:func:`names_match` compares the names after :func:`norm_name` (NFKC, no whitespace or
punctuation). A run of mask characters (``MASK_CHARS``, one alphabet for every caller) stands for
one or more characters: the visible characters must agree in order, and ``min_visible`` of them
must be matched by the same character in the other name (0: "not contradicted", as for two fully
masked forms; 1 or more: positive evidence that the names agree). Unmasked names match when equal,
or when their rapidfuzz ratio reaches ``similarity`` (100: equal only; the callers lower it for OCR).
Masked names get no fuzzy tolerance: a visible character that differs contradicts.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from rapidfuzz import fuzz

__all__ = ["MASK_CHARS", "has_mask", "names_match", "norm_name"]

# after NFKC: ＊ → *, Ｘ → X. 某 stands for a pseudonymised part (张某, 某某公司).
MASK_CHARS = "*×✱●○〇□■◯某Xx"
_MASK_SET = frozenset(MASK_CHARS)
_PUNCT_RE = re.compile(r"[\s\u3000·•,，.。、;；:：!！?？'\"“”‘’()（）\[\]【】〔〕{}<>《》\-—_/\\|]+")


def norm_name(name: Any) -> str:
    """A party name for comparison: NFKC, no whitespace or punctuation (mask characters kept)."""
    if not name or not isinstance(name, str):
        return ""
    if not unicodedata.is_normalized("NFKC", name):
        name = unicodedata.normalize("NFKC", name)
    return _PUNCT_RE.sub("", name)


def has_mask(name: str) -> bool:
    """The (normalised) name holds a mask character."""
    return any(c in _MASK_SET for c in name)


def _tokens(name: str) -> list[str | None]:
    """The characters of a normalised name, each run of mask characters as one None."""
    out: list[str | None] = []
    for ch in name:
        if ch in _MASK_SET:
            if not out or out[-1] is not None:
                out.append(None)
        else:
            out.append(ch)
    return out


def _masked_agreement(a: str, b: str) -> int:
    """The most visible characters matched by equal ones over an alignment of two names in which
    every mask run covers one or more characters of the other name; -1 when none exists."""
    ta, tb = _tokens(a), _tokens(b)
    n, m = len(ta), len(tb)
    # best[i][j]: most equal pairs aligning ta[:i] with tb[:j], -1 when they cannot be aligned
    best = [[-1] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            x, y = ta[i - 1], tb[j - 1]
            if x is not None and y is not None:
                best[i][j] = best[i - 1][j - 1] + 1 if x == y and best[i - 1][j - 1] >= 0 else -1
                continue
            v = best[i - 1][j - 1]
            if x is None:
                v = max(v, best[i][j - 1])  # a's mask also covers tb[j-1]
            if y is None:
                v = max(v, best[i - 1][j])  # b's mask also covers ta[i-1]
            best[i][j] = v
    return best[n][m]


def names_match(a: Any, b: Any, *, similarity: float = 100.0, min_visible: int = 1) -> bool:
    """Two printed names can name the same party (see the module docstring). Empty → False."""
    na, nb = norm_name(a), norm_name(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    if has_mask(na) or has_mask(nb):
        return _masked_agreement(na, nb) >= max(min_visible, 0)
    return similarity <= 100 and fuzz.ratio(na, nb) >= similarity
