"""The gazetteer of the district's squads: ``extractors/data/squads.yaml``, loaded once, validated.

``find_squad(text)`` finds a squad named anywhere in ``text`` (a place of the list, optionally
街道 / 镇, then a unit word: 朱家角中队, 朱家角镇综合行政执法队（城管执法中队）, 练塘城管中队) and
returns its span and the gazetteer's name for it. Used by assembly for a file whose squad is named
only in its agency line, its folder name or the register.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from extractors.datafile import DATA, Doc


@dataclass(frozen=True, slots=True)
class Squad:
    name: str
    place: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Gazetteer:
    squads: tuple[Squad, ...]
    pattern: re.Pattern[str]

    def find(self, text: str) -> tuple[int, int, str] | None:
        """(start, end, squad name) of the first squad named in ``text``, or None."""
        m = self.pattern.search(text)
        if m is None:
            return None
        hit = m.group(0)
        for sq in self.squads:
            if hit.startswith(sq.place) or hit in sq.aliases:
                return m.start(), m.end(), sq.name
        return None


def load_squads(path: Path | None = None) -> Gazetteer:
    """The gazetteer of ``path`` (default: extractors/data/squads.yaml); E203 when malformed."""
    doc = Doc(path or DATA / "squads.yaml")
    top = doc.mapping(doc.root, "文件", allowed=("unit_words", "squads"), required=("unit_words", "squads"))
    units = doc.strings(top["unit_words"], "unit_words")
    squads: list[Squad] = []
    if not hasattr(top["squads"], "value") or not isinstance(top["squads"].value, list):
        raise doc.fail(top["squads"], "squads 应为列表")
    for i, node in enumerate(top["squads"].value):
        what = f"第 {i + 1} 个中队"
        m = doc.mapping(node, what, allowed=("name", "place", "aliases"), required=("name", "place"))
        aliases = doc.strings(m["aliases"], f"{what}的 aliases") if "aliases" in m else ()
        squads.append(Squad(doc.scalar(m["name"], f"{what}的 name"), doc.scalar(m["place"], f"{what}的 place"),
                            aliases))
    places = "|".join(re.escape(s.place) for s in sorted(squads, key=lambda s: -len(s.place)))
    words = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    alias = "|".join(re.escape(a) for s in squads for a in s.aliases)
    rx = r"(?:" + places + r")(?:街道|镇)?(?:" + words + r")" + (r"|" + alias if alias else "")
    return Gazetteer(tuple(squads), re.compile(rx))


SQUADS: Gazetteer = load_squads()
