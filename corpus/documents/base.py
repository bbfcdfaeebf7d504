"""What every document family shares: the block builder, the case's writer and its wording data.

A family module (``corpus/documents/<family>.py``) writes the documents of one kind from the case's
``Plan`` through a ``Writer``: printed dates, the party's name and rows, the cited articles. The
writer knows nothing of check ids. Seeded defects reach it as *edits* on named places
(``"filing.approval": "blank"``, ``"notice.seal": "omit"``; see ``corpus.defects.document_edits``),
and it records the printed text of named places as *marks* (``("filing", "approval_date")``) from
which the defect step takes its quotes (``corpus.truth``).

Fixed sentences are data: ``corpus/data/wording/<doc_type>.yaml`` holds, per key, the sentences a
document chooses from (``{placeholders}`` filled by the family module).
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from corpus import people as P
from corpus.case import Party, Plan
from corpus.days import TD
from corpus.spec import Block, DocSpec
from corpus.vtypes import SWAP, TYPES, VType
from corpus.wording import DATE_STYLES_PROSE, DATE_STYLES_TABLE, Cite, colon, fmt_amount, fmt_date

WORDING_DIR = Path(__file__).resolve().parents[1] / "data" / "wording"


@cache
def wording(doc_type: str) -> Mapping[str, Any]:
    """The wording data of one document type (``data/wording/<doc_type>.yaml``)."""
    path = WORDING_DIR / f"{doc_type}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of wording keys")
    return data


def words(doc_type: str, key: str) -> list[str]:
    """The sentences (or titles, labels) a document of ``doc_type`` chooses from for ``key``."""
    value = wording(doc_type)[key]
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise ValueError(f"wording {doc_type}.{key}: expected a list of strings")
    return value


def say(doc_type: str, key: str, **values: Any) -> str:
    """The fixed sentence ``key`` of ``doc_type``, its placeholders filled."""
    value = wording(doc_type)[key]
    if not isinstance(value, str):
        raise ValueError(f"wording {doc_type}.{key}: expected a string")
    return value.format_map(values)


class DocB:
    """Collects the blocks of one document."""

    def __init__(self, doc_type: str, title: str, header: bool = False, number: str | None = None) -> None:
        self.doc_type = doc_type
        self.title_text = title
        self.blocks: list[Block] = []
        if header:
            self.blocks.append(Block("subtitle", P.AGENCY))
        self.blocks.append(Block("title", title))
        if number:
            self.blocks.append(Block("subtitle", number))

    def para(self, text: str) -> DocB:
        self.blocks.append(Block("para", text))
        return self

    def table(self, rows: Sequence[Sequence[str]]) -> DocB:
        self.blocks.append(Block("table", rows=tuple(tuple(r) for r in rows)))
        return self

    def seal(self, text: str) -> DocB:
        self.blocks.append(Block("seal", text))
        return self

    def sign(self, text: str) -> DocB:
        self.blocks.append(Block("signature", text))
        return self

    def spec(self) -> DocSpec:
        return DocSpec(self.doc_type, self.title_text, tuple(self.blocks))


def text_of(doc: DocSpec) -> str:
    """All text of a document (cells joined), for quote checks."""
    out = []
    for b in doc.blocks:
        if b.text:
            out.append(b.text)
        for row in b.rows:
            out.append("\t".join(row))
    return "\n".join(out)


SEALS = (f"{P.AGENCY}（印章）", f"（印章）{P.AGENCY}", f"{P.AGENCY}（公章）")


def seal_text(rng: random.Random) -> str:
    return rng.choice(SEALS)


class Writer:
    """Writes the documents of one case from its plan, in the month's draw order."""

    def __init__(self, p: Plan, rng: random.Random, edits: Mapping[str, str]) -> None:
        self.p = p
        self.r = rng
        self.edits = edits
        self.docs: list[tuple[str, DocSpec]] = []
        self.marks: dict[tuple[str, str], str] = {}

    @property
    def vt(self) -> VType:
        assert self.p.vt is not None
        return self.p.vt

    @property
    def party(self) -> Party:
        assert self.p.party is not None
        return self.p.party

    # -- edits and marks ------------------------------------------------------------------
    def edit(self, slot: str) -> str | None:
        """The edit a seeded defect makes at ``slot`` (``"<doc key>.<place>"``), if any."""
        return self.edits.get(slot)

    def mark(self, key: str, place: str, text: str) -> str:
        """Record the printed text of a named place of document ``key``; returns it."""
        self.marks[(key, place)] = text
        return text

    def begin(self, doc_type: str, titles: str = "titles", header: bool | float = False,
              number: str | None = None) -> DocB:
        """A new document of ``doc_type`` titled with one of its wording's ``titles``; the agency
        line above the title always (``True``) or with probability ``header`` (drawn after the title)."""
        title = self.r.choice(words(doc_type, titles))
        with_header = header if isinstance(header, bool) else self.r.random() < header
        return DocB(doc_type, title, header=with_header, number=number)

    def add(self, key: str, doc: DocSpec) -> None:
        self.docs.append((key, doc))

    # -- small helpers ------------------------------------------------------------------
    def dt_(self, d: dt.date, table: bool = False) -> str:
        return fmt_date(d, self.r.choice(DATE_STYLES_TABLE if table else DATE_STYLES_PROSE))

    def c(self) -> str:
        return colon(self.r)

    def pick(self, doc_type: str, key: str, **values: Any) -> str:
        """One of the sentences of ``doc_type``'s ``key``, its placeholders filled."""
        return self.r.choice(words(doc_type, key)).format_map(values)

    def name_in(self, key: str) -> str:
        p = self.p
        name = p.alt_name if p.alt_name and self.edit(f"{key}.party_name") == "alt" else self.party.name
        return self.mark(key, "party_name", name)

    def wrong_amount(self, fine: int) -> int:
        """A paid amount that contradicts the fine (CON-02). A late payment may carry the 加处罚款
        (up to the fine again), so an amount above the fine is then no contradiction: go below it,
        or past twice the fine."""
        p, r = self.p, self.r
        served = p.d.get("decision_service")
        late = "PAY-01" in p.defects or "payment" not in p.d or served is None or p.d["payment"] > served + TD(days=15)
        if fine >= 1000:
            return fine - r.choice((100, 200, 500))
        if not late:
            return fine + r.choice((100, 200, 500))
        below = [x for x in (100, 200, 500) if x < fine]
        return fine - r.choice(below) if below else 2 * fine + r.choice((100, 200, 500))

    def squad_name(self) -> str:
        return P.AGENCY_SHORT + self.p.squad[0]

    def officer_cells(self, officers: Sequence[tuple[str, str | None]]) -> list[list[str]]:
        rows = []
        for i, (name, cert) in enumerate(officers):
            rows.append([f"执法人员{i + 1}" if self.r.random() < 0.5 else "检查人", name, "执法证号", cert or ""])
        return rows

    def party_rows(self, key: str) -> list[list[str]]:
        pt = self.party
        name = self.name_in(key)
        if pt.kind == "person":
            return [["当事人", name, "性别", pt.gender], ["身份证号", pt.id_printed, "联系电话", pt.phone],
                    ["住址", pt.address, "", ""]]
        if pt.kind == "shop":
            return [["当事人", f"{name}（个体工商户）", "经营者", pt.rep or ""],
                    ["统一社会信用代码", pt.id_printed, "联系电话", pt.phone], ["经营场所", pt.address, "", ""]]
        return [["当事人", name, "法定代表人", pt.rep or ""], ["统一社会信用代码", pt.id_printed, "联系电话", pt.phone],
                ["住所", pt.address, "", ""]]

    def party_para(self, key: str, address: bool = True) -> str:
        pt = self.party
        c = self.c()
        name = self.name_in(key)
        sep = self.r.choice(("，", "；", " "))
        if pt.kind == "person":
            parts = [f"当事人{c}{name}", f"性别{c}{pt.gender}", f"身份证号{c}{pt.id_printed}"]
            if address:
                parts.append(f"住址{c}{pt.address}")
        elif pt.kind == "shop":
            parts = [f"当事人{c}{name}", f"经营者{c}{pt.rep}", f"统一社会信用代码{c}{pt.id_printed}"]
            if address:
                parts.append(f"经营场所{c}{pt.address}")
        else:
            parts = [f"当事人{c}{name}", f"统一社会信用代码{c}{pt.id_printed}", f"法定代表人{c}{pt.rep}"]
            if address:
                parts.append(f"住所{c}{pt.address}")
        return sep.join(parts) + "。"

    def you(self) -> str:
        return "你" if self.party.kind == "person" else self.r.choice(("你单位", "你（单位）", "你"))

    def cites(self, which: str) -> tuple[Cite, ...]:
        vt = self.vt
        if self.edit("cites") == "sibling":
            vt = TYPES[SWAP[vt.key]]
        return vt.violated if which == "violated" else vt.penalty

    def amount(self, n: int) -> str:
        return fmt_amount(n, self.r.choice(("upper", "rmb_arabic", "yen", "upper_yen", "plain")))

    def facts(self) -> str:
        p = self.p
        d = p.d["violation"]
        return self.r.choice((
            f"经查，{self.you()}于{self.dt_(d)}在{p.place}{self.vt.act}",
            f"{self.dt_(d)}，本局执法人员在{p.place}检查时发现，{self.you()}{self.vt.act}",
            f"经调查核实，{self.dt_(d)}{self.you()}在{p.place}存在{self.vt.act}的行为",
        ))

    def evidence(self) -> str:
        items = ["现场检查笔录", "询问笔录", "现场照片", "身份证明材料", "视音频资料"]
        if self.edit("evidence.av") == "omit":
            items.remove("视音频资料")
        self.r.shuffle(items)
        return self.r.choice(("以上事实有", "上述事实，有")) + "、".join(items[:4]) + "等证据为证。"
