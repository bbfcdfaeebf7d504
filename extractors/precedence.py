"""Assembly precedence as data: ``extractors/data/precedence.yaml``, loaded once and validated.

``PRECEDENCE[key]`` is the ``Precedence`` of one case-level key: its ``steps`` (document types
in precedence order and the document field read) and the ``rule`` the code adds, in words.
Every key of ``pipeline.core.models.CASE_FIELD_KEYS`` must have an entry; a document type, a
field or an option that does not exist is an E203 error naming the line.
"""
from __future__ import annotations

from dataclasses import dataclass

import yaml

from extractors.datafile import DATA, Doc
from pipeline.core.models import CASE_FIELD_KEYS, DOC_TYPES
from pipeline.core.vocab import DOC_FIELD_NAMES

_STEP_KEYS = ("from", "field", "served", "match", "order", "when")


@dataclass(frozen=True, slots=True)
class Step:
    """One source of candidates: ``field`` of the documents of ``doc_types`` (in that order)."""

    doc_types: tuple[str, ...]
    field: str
    served: tuple[str, ...] = ()
    match: str | None = None   # "violation": the text matched against the catalogue
    order: str | None = None   # "start_time": documents taken earliest first
    when: str | None = None    # "simple": only for a case with an on-the-spot decision


@dataclass(frozen=True, slots=True)
class Precedence:
    key: str
    steps: tuple[Step, ...]
    rule: str | None = None

    @property
    def doc_types(self) -> tuple[str, ...]:
        """The document types of the first step."""
        return self.steps[0].doc_types

    @property
    def field(self) -> str:
        return self.steps[0].field


def _step(doc: Doc, node: yaml.Node, what: str) -> Step:
    m = doc.mapping(node, what, allowed=_STEP_KEYS, required=("from", "field"))
    types = doc.strings(m["from"], f"{what}的 from")
    for item, dt in zip(m["from"].value, types):
        if dt not in DOC_TYPES:
            raise doc.fail(item, f"{what}：未知的文书类型“{dt}”")
    served = doc.strings(m["served"], f"{what}的 served") if "served" in m else ()
    for item, dt in zip(m["served"].value if "served" in m else (), served):
        if dt not in DOC_TYPES:
            raise doc.fail(item, f"{what}：未知的文书类型“{dt}”")
    field = doc.scalar(m["field"], f"{what}的 field")
    if field not in DOC_FIELD_NAMES:
        raise doc.fail(m["field"], f"{what}：未知的文书字段“{field}”")
    return Step(doc_types=types, field=field, served=served,
                match=doc.scalar(m["match"], f"{what}的 match", ("violation",)) if "match" in m else None,
                order=doc.scalar(m["order"], f"{what}的 order", ("start_time",)) if "order" in m else None,
                when=doc.scalar(m["when"], f"{what}的 when", ("simple",)) if "when" in m else None)


def load_precedence(name: str = "precedence.yaml") -> dict[str, Precedence]:
    """Every case key's Precedence from the data file ``name`` (E203 when malformed)."""
    doc = Doc(DATA / name)
    top = doc.mapping(doc.root, "文件", allowed=("keys",), required=("keys",))
    keys = doc.mapping(top["keys"], "keys", allowed=CASE_FIELD_KEYS, required=CASE_FIELD_KEYS)
    out: dict[str, Precedence] = {}
    for key, node in keys.items():
        what = f"键“{key}”"
        rule = None
        if isinstance(node, yaml.SequenceNode):
            step_nodes = list(node.value)
        else:
            m = doc.mapping(node, what, allowed=_STEP_KEYS + ("rule", "steps"))
            rule = doc.scalar(m["rule"], f"{what}的 rule") if "rule" in m else None
            if "steps" in m:
                if not isinstance(m["steps"], yaml.SequenceNode) or set(m) - {"steps", "rule"}:
                    raise doc.fail(m["steps"], f"{what}：steps 应为步骤列表，且不与 from/field 并用")
                step_nodes = list(m["steps"].value)
            else:
                assert isinstance(node, yaml.MappingNode)
                step_nodes = [yaml.MappingNode(node.tag, [(k, v) for k, v in node.value if k.value != "rule"],
                                               start_mark=node.start_mark)]
        if not step_nodes:
            raise doc.fail(node, f"{what}至少要有一步")
        steps = tuple(_step(doc, s, f"{what}第 {i + 1} 步") for i, s in enumerate(step_nodes))
        out[key] = Precedence(key=key, steps=steps, rule=rule)
    return out


PRECEDENCE: dict[str, Precedence] = load_precedence()
