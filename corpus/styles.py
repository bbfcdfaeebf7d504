"""House styles: the same case written the way another squad or office lays its papers out.

A style is data (``corpus/data/styles/<name>.yaml``): how tables are laid out (the house's four-column
label/value grid, two columns, six columns, or 「标签：值」 paragraphs), how titles look (spaced,
two lines under the agency name, missing on internal forms), how officers and their 执法证号 are
written (one row each, all in one cell, in brackets after the name, with the agency's certificate
prefix), the squad's name (full or short), label synonyms per document type, whether clean files
keep a separate AV log or only mention the recording in the record, payment slips with an issue
date besides the date paid, post receipts with both dates in one cell, dates with times, combined
files split only by headings, the register's layout, and a share of stock phrases worded otherwise
(``data/wording/restyle.yaml``).

``restyle`` rewrites a case's house documents (``corpus.documents``) in a style with its own seeded
generator, so the month's plan, and the truth of every field, stay what the house style gives. The
marks the defect step quotes from are rewritten with their documents, so every quote still stands in
its document. The style ``house`` is the documents as written.
"""
from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from corpus import people as P
from corpus.case import Plan
from corpus.documents import CaseDocs
from corpus.documents.base import wording
from corpus.spec import Block, DocSpec
from corpus.wording import DATE_STYLES_TABLE, fmt_date

STYLES_DIR = Path(__file__).resolve().parent / "data" / "styles"
HOUSE = "house"

# internal forms that a style may print without a title
UNTITLED_OK = frozenset({"case_source", "filing_approval", "investigation_report", "legal_review",
                         "collective_discussion", "extension_approval", "decision_approval", "closing_approval",
                         "withdrawal_approval", "av_record", "defence_record", "hearing_record", "other"})
SQUAD_RE = re.compile(re.escape(P.AGENCY_SHORT) + r"(" + "|".join(re.escape(s[0]) for s in P.SQUADS) + r")")
CERT_RE = re.compile(r"（执法证号(\d*)）")


@dataclass(frozen=True, slots=True)
class Style:
    """One house style (see the module docstring and ``data/styles/*.yaml``)."""

    name: str
    tables: str = "keep"
    titles: str = "keep"
    missing_title_share: float = 0.0
    officers: str = "keep"
    cert_prefix: str = ""
    squad: str = "full"
    av_log: str = "keep"
    av_log_share: float = 0.0
    payment_issue_date: bool = False
    post_one_cell: bool = False
    times: bool = False
    continuous: bool = False
    register: str = "plain"
    prose: float = 0.0
    spaced_labels: bool = False
    agency_line: str = ""  # the agency line above a title as the style prints it ("": as the house)
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        allowed = {"tables": ("keep", "pairs2", "wide6", "prose"), "titles": ("keep", "spaced", "two_line", "missing"),
                   "officers": ("keep", "one_cell", "inline"), "squad": ("full", "short"),
                   "av_log": ("keep", "mention"), "register": ("plain", "titled")}
        for key, values in allowed.items():
            if getattr(self, key) not in values:
                raise ValueError(f"style {self.name}: {key} must be one of {values}, not {getattr(self, key)!r}")

    def label(self, doc_type: str, label: str) -> str:
        new = self.labels.get(doc_type, {}).get(label) or self.labels.get("*", {}).get(label) or label
        return _spaced(new) if self.spaced_labels and 2 <= len(new) <= 4 else new


def style_names() -> tuple[str, ...]:
    """``house`` and every style under ``data/styles``, in name order after it."""
    return (HOUSE,) + tuple(sorted(p.stem for p in STYLES_DIR.glob("*.yaml")))


@cache
def load_style(name: str) -> Style:
    if name == HOUSE:
        return Style(HOUSE)
    path = STYLES_DIR / f"{name}.yaml"
    if not path.is_file():
        raise ValueError(f"unknown house style {name!r}; known: {', '.join(style_names())}")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("name") != name:
        raise ValueError(f"{path}: a mapping whose name is {name!r}")
    return Style(**data)


def resolve_styles(styles: Sequence[str]) -> tuple[str, ...]:
    """The style names asked for: ``()`` (the house style only, as before styles existed), ``("all",)``
    or names (each validated)."""
    names: list[str] = []
    for s in styles:
        for part in (x.strip() for x in s.split(",")):
            if not part:
                continue
            for name in (style_names() if part == "all" else (part,)):
                load_style(name)
                if name not in names:
                    names.append(name)
    return tuple(names)


# --- the rewrite ------------------------------------------------------------------------------------

def restyle(built: CaseDocs, p: Plan, style: Style, rng: random.Random, edits: Mapping[str, str]) -> CaseDocs:
    """The case's documents written in ``style`` (the house documents unchanged for ``house``)."""
    if style.name == HOUSE:
        return built
    docs = list(built.docs)
    marks = dict(built.marks)
    if style.av_log == "mention" and edits.get("av") != "omit" and rng.random() < style.av_log_share:
        docs = _drop_av_log(docs, rng)
    out: list[tuple[str, DocSpec]] = []
    for key, doc in docs:
        subs: list[Callable[[str], str]] = []
        doc = _dated(doc, p, style, rng)
        doc = _officers(doc, style)
        if style.officers != "keep" or style.cert_prefix:
            subs.append(_cert_text(style))
        if style.squad == "short":
            subs.append(_short_squad)
        subs += _phrases(style, rng)
        doc = _map_text(doc, subs)
        labels = {} if doc.title == "卷内目录" else _relabel_map(doc, style)
        doc = _relabel(doc, labels)
        doc = _layout(doc, style)
        doc = _agency_line(doc, style)
        doc = _title(doc, style, rng, untitled_ok=not (style.continuous and p.container.startswith("combined")))
        for (k, place), text in list(marks.items()):
            if k == key:
                for f in subs:
                    text = f(text)
                marks[(k, place)] = labels.get(text, text)
        out.append((key, doc))
    return CaseDocs(tuple(out), built.remedy, marks)


def _short_squad(text: str) -> str:
    return SQUAD_RE.sub(r"\1", text)


def _spaced(text: str) -> str:
    return " ".join(text)


def _drop_av_log(docs: list[tuple[str, DocSpec]], rng: random.Random) -> list[tuple[str, DocSpec]]:
    """Leave the separate AV log out; the record the recording was made in says so."""
    mentions = wording("restyle")["av_mentions"]
    said = {k: rng.choice(mentions[k]) for k in ("inspection", "simple")}
    out = []
    for key, doc in docs:
        if key == "av":
            continue
        if key in ("inspection", "simple") and "执法记录仪" not in "".join(b.text for b in doc.blocks):
            blocks = list(doc.blocks)
            at = next((i for i, b in enumerate(blocks) if b.kind == "signature"), len(blocks))
            blocks.insert(at, Block("para", said[key]))
            doc = DocSpec(doc.doc_type, doc.title, tuple(blocks))
        out.append((key, doc))
    return out


def _time(rng: random.Random) -> str:
    return rng.choice((f" {rng.randint(8, 17)}时{rng.randrange(0, 60, 5):02d}分", f" {rng.randint(8, 17):02d}:"
                       f"{rng.randrange(0, 60):02d}"))


def _dated(doc: DocSpec, p: Plan, style: Style, rng: random.Random) -> DocSpec:
    """Payment slips with an issue date, post receipts with both dates in one cell, dates with times."""
    if doc.doc_type not in ("payment_receipt", "service_receipt"):
        return doc
    blocks = []
    for b in doc.blocks:
        if b.kind != "table":
            blocks.append(b)
            continue
        rows: list[tuple[str, ...]] = []
        for row in b.rows:
            if style.payment_issue_date and row[:1] == ("缴款日期",) and "payment" in p.d:
                issued = min(p.d["payment"], p.d.get("decision", p.d["payment"]))
                rows.append(("填发日期", fmt_date(issued, rng.choice(DATE_STYLES_TABLE)), "", ""))
            if style.times and row[:1] == ("缴款日期",):
                row = (row[0], row[1] + _time(rng), *row[2:])
            if style.post_one_cell and row[:1] == ("寄出日期",) and len(row) == 4:
                sent, got = row[1], row[3] + (_time(rng) if style.times else "")
                row = ("邮寄及签收情况", f"{sent}交邮寄出，{got}由受送达人签收", "", "")
            elif style.times and len(row) == 4 and row[2] in ("签收日期", "送达日期", "收件日期") and row[3]:
                row = (*row[:3], row[3] + _time(rng))
            rows.append(row)
        blocks.append(Block("table", rows=tuple(rows)))
    return DocSpec(doc.doc_type, doc.title, tuple(blocks))


def _cert_text(style: Style) -> Callable[[str], str]:
    """Certificates written after a name in the house's ``（执法证号31180001）`` as the style writes them."""
    return lambda s: CERT_RE.sub(lambda m: f"（执法证号：{style.cert_prefix}{m.group(1)}）", s)


def _cert(style: Style, name: str, cert: str) -> str:
    return f"{name}（执法证号：{style.cert_prefix}{cert}）" if cert else name


def _officers(doc: DocSpec, style: Style) -> DocSpec:
    """Officers with their 执法证号: one row each (the house), one cell for all, or after the name."""
    if style.officers == "keep" and not style.cert_prefix:
        return doc
    blocks = []
    for b in doc.blocks:
        if b.kind == "table":
            blocks.append(Block("table", rows=_officer_rows(b.rows, style)))
        else:
            blocks.append(b)
    return DocSpec(doc.doc_type, doc.title, tuple(blocks))


def _officer_rows(rows: Sequence[tuple[str, ...]], style: Style) -> tuple[tuple[str, ...], ...]:
    out: list[tuple[str, ...]] = []
    group: list[tuple[str, ...]] = []

    def flush() -> None:
        if not group:
            return
        if style.officers == "one_cell" and len(group) > 1:
            roles = list(dict.fromkeys("执法人员" if r[0].startswith(("执法人员", "检查人")) else r[0] for r in group))
            out.append(("、".join(roles), "、".join(_cert(style, r[1], r[3]) for r in group), "", ""))
        elif style.officers == "keep":
            out.extend((r[0], r[1], r[2], f"{style.cert_prefix}{r[3]}" if r[3] else "") for r in group)
        else:
            out.extend((r[0], _cert(style, r[1], r[3]), "", "") for r in group)
        group.clear()

    for row in rows:
        if len(row) == 4 and row[2] == "执法证号":
            group.append(row)
            continue
        flush()
        out.append(tuple(row))
    flush()
    return tuple(out)


def _phrases(style: Style, rng: random.Random) -> list[Callable[[str], str]]:
    """Stock phrases worded otherwise: one wording per slot and document (so a quote follows its text)."""
    subs: list[Callable[[str], str]] = []
    if style.prose <= 0:
        return subs
    for slot in wording("restyle")["phrases"]:
        if rng.random() < style.prose:
            subs.append(_replacer(slot[0], rng.choice(slot[1:])))
    return subs


def _replacer(old: str, new: str) -> Callable[[str], str]:
    return lambda s: s.replace(old, new)


def _map_text(doc: DocSpec, subs: Sequence[Callable[[str], str]]) -> DocSpec:
    """``subs`` applied to every text of the document but its title and number lines."""
    if not subs:
        return doc

    def f(s: str) -> str:
        for g in subs:
            s = g(s)
        return s

    blocks = [b if b.kind in ("title", "subtitle") else
              Block("table", rows=tuple(tuple(f(c) for c in r) for r in b.rows)) if b.kind == "table" else
              Block(b.kind, f(b.text)) for b in doc.blocks]
    return DocSpec(doc.doc_type, doc.title, tuple(blocks))


def _relabel_map(doc: DocSpec, style: Style) -> dict[str, str]:
    out = {}
    for b in doc.blocks:
        for row in b.rows:
            for label in row[0::2]:
                new = style.label(doc.doc_type, label) if label else label
                if new != label:
                    out[label] = new
    return out


def _relabel(doc: DocSpec, labels: Mapping[str, str]) -> DocSpec:
    if not labels:
        return doc
    blocks = [Block("table", rows=tuple(tuple(labels.get(c, c) if i % 2 == 0 else c for i, c in enumerate(r))
                                        for r in b.rows)) if b.kind == "table" else b for b in doc.blocks]
    return DocSpec(doc.doc_type, doc.title, tuple(blocks))


def _pairs(row: Sequence[str]) -> list[tuple[str, str]]:
    cells = list(row) + [""] * (len(row) % 2)
    return [(cells[i], cells[i + 1]) for i in range(0, len(cells), 2) if cells[i] or cells[i + 1]]


def _layout(doc: DocSpec, style: Style) -> DocSpec:
    """Tables as the style lays them out (the 卷内目录 grid keeps its columns)."""
    if style.tables == "keep" or doc.title == "卷内目录":
        return doc
    blocks: list[Block] = []
    for b in doc.blocks:
        if b.kind != "table":
            blocks.append(b)
            continue
        pairs = [pr for r in b.rows for pr in _pairs(r)]
        if style.tables == "prose":
            for r in b.rows:
                line = "　".join(f"{lab}：{val}" for lab, val in _pairs(r))
                if line:
                    blocks.append(Block("para", line))
        elif style.tables == "pairs2":
            blocks.append(Block("table", rows=tuple((lab, val) for lab, val in pairs)))
        else:
            blocks.append(Block("table", rows=_wide(pairs)))
    return DocSpec(doc.doc_type, doc.title, tuple(blocks))


def _wide(pairs: Sequence[tuple[str, str]]) -> tuple[tuple[str, ...], ...]:
    """Label/value pairs three a row; a long value takes a row of its own."""
    rows: list[tuple[str, ...]] = []
    cur: list[str] = []
    for lab, val in pairs:
        if len(val) > 22:
            if cur:
                rows.append(tuple(cur + [""] * (6 - len(cur))))
                cur = []
            rows.append((lab, val))
            continue
        cur += [lab, val]
        if len(cur) == 6:
            rows.append(tuple(cur))
            cur = []
    if cur:
        rows.append(tuple(cur + [""] * (6 - len(cur))))
    return tuple(rows)


def _agency_line(doc: DocSpec, style: Style) -> DocSpec:
    if not style.agency_line:
        return doc
    blocks = tuple(Block("subtitle", style.agency_line) if b.kind == "subtitle" and b.text == P.AGENCY else b
                   for b in doc.blocks)
    return DocSpec(doc.doc_type, doc.title, blocks)


def _title(doc: DocSpec, style: Style, rng: random.Random, untitled_ok: bool = True) -> DocSpec:
    """The title as the style prints it. In a combined file split only by headings a document keeps
    its title (without one nobody could tell where it starts)."""
    blocks = list(doc.blocks)
    at = next((i for i, b in enumerate(blocks) if b.kind == "title"), None)
    if at is None or style.titles == "keep":
        return doc
    title = blocks[at].text
    if style.titles == "spaced" and len(title) <= 10:
        printed = _spaced(title)
        blocks[at] = Block("title", printed)
        return DocSpec(doc.doc_type, printed, tuple(blocks))
    if style.titles == "two_line":
        if at and blocks[at - 1].kind == "subtitle" and blocks[at - 1].text == P.AGENCY:
            blocks[at - 1] = Block("title", P.AGENCY)
        else:
            blocks.insert(at, Block("title", P.AGENCY))
        return DocSpec(doc.doc_type, title, tuple(blocks))
    if style.titles == "missing" and doc.doc_type in UNTITLED_OK and rng.random() < style.missing_title_share \
            and untitled_ok:
        del blocks[at]
        return DocSpec(doc.doc_type, "", tuple(blocks))
    return doc


def register_layout(names: Sequence[str]) -> str:
    """The register's layout for a corpus in ``names``: titled when one of the styles keeps it so."""
    return "titled" if any(load_style(n).register == "titled" for n in names) else "plain"


def case_style(seed: int, case_id: str, styles: Sequence[str]) -> str:
    """The style a case is written in: a seeded draw among ``styles``, fixed by seed and case id."""
    return random.Random(f"{seed}:{case_id}:style").choice(list(styles))


def style_rng(seed: int, case_id: str, style: str) -> random.Random:
    return random.Random(f"{seed}:{case_id}:{style}")
