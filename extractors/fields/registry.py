"""The extractor registry: one registered unit per document form, named with a version.

``@extracts("decisions.decision.v1", doc_types=("decision",), fields=(...))`` registers a function
``fn(text, out, spacy_doc) -> None`` that reads the fields of one kind of document into ``out``.
Names are ``<module>.<form>.v<N>`` (spaCy's versioned registry names: a changed behaviour gets a
new name). ``fields`` declares every document-level field the unit may emit (``Out.emit``
refuses any other); ``fallback=True`` marks the unit used for a document type nobody claims.
Registering a malformed name, an unknown doc type or field, a doc type twice or a second fallback
raises. ``tests/golden/extractors.json`` is a snapshot of the registry.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from extractors.fields.text import Out, Text
from pipeline.core.models import DOC_TYPES
from pipeline.core.vocab import DOC_FIELD_NAMES

NAME_RE = re.compile(r"^[a-z_]+\.[a-z_]+\.v[0-9]+$")

ExtractFn = Callable[[Text, Out, Any], None]


@dataclass(frozen=True, slots=True)
class ExtractorSpec:
    """One registered extractor.

    name (str): versioned name, ``<module>.<form>.v<N>``.
    doc_types (tuple[str, ...]): the document types it reads.
    fields (tuple[str, ...]): the document-level fields it may emit (``pipeline.core.vocab``).
    func (ExtractFn): ``fn(text, out, spacy_doc)``.
    fallback (bool): used for a document type no other extractor claims.
    """

    name: str
    doc_types: tuple[str, ...]
    fields: tuple[str, ...]
    func: ExtractFn
    fallback: bool = False
    doc: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "doc_types": list(self.doc_types), "fields": sorted(self.fields),
                "fallback": self.fallback}


REGISTRY: dict[str, ExtractorSpec] = {}


def extracts(name: str, *, doc_types: tuple[str, ...], fields: tuple[str, ...],
             fallback: bool = False) -> Callable[[ExtractFn], ExtractFn]:
    """Register an extractor (see the module docstring). Raises ValueError on a bad registration."""
    if not NAME_RE.match(name):
        raise ValueError(f"extractor name {name!r} does not match {NAME_RE.pattern}")
    unknown = [d for d in doc_types if d not in DOC_TYPES]
    if unknown:
        raise ValueError(f"extractor {name}: unknown doc types {unknown}")
    bad = [f for f in fields if f not in DOC_FIELD_NAMES]
    if bad:
        raise ValueError(f"extractor {name}: fields {bad} are not in pipeline.core.vocab.DOC_FIELDS")

    def deco(func: ExtractFn) -> ExtractFn:
        if name in REGISTRY:
            raise ValueError(f"duplicate extractor {name}")
        for other in REGISTRY.values():
            taken = set(other.doc_types) & set(doc_types)
            if taken:
                raise ValueError(f"extractor {name}: doc types {sorted(taken)} already read by {other.name}")
            if fallback and other.fallback:
                raise ValueError(f"extractor {name}: {other.name} is already the fallback")
        REGISTRY[name] = ExtractorSpec(name=name, doc_types=tuple(doc_types), fields=tuple(fields), func=func,
                                       fallback=fallback, doc=(func.__doc__ or "").strip())
        return func

    return deco
