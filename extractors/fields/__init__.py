"""Document-level field extraction: ``extract_document(doc) -> DocFields``.

Pure: a typed ``SourceDoc`` in, a ``DocFields`` out, every value with a ``Span`` whose ``quote``
is the exact text at ``[start, end)`` of ``doc.text``. Names come only from
``pipeline.core.vocab.DOC_FIELDS``.

The house
---------
- ``text``: the text view (``Text``: offsets that map back to ``doc.text``, label/value lookup)
  and the collector (``Out``); ``labels``: the field labels of ``extractors/data/labels.yaml``.
- Field families, shared by the forms: ``parties``, ``dates``, ``marks`` (signatures, seal,
  agency), ``identity`` (文号, 案由, squad), ``clauses`` (citations, penalties, remedy, facts,
  rights, waivers, approval section).
- Forms, registered with ``@extracts`` (``registry``) and discovered when this package is
  imported: ``decisions``, ``records``, ``approvals``, ``forms``. ``all_extractors()`` lists them;
  ``tests/golden/extractors.json`` is their snapshot.

How values are found
--------------------
- **Label/value**: forms are label/value tables flattened by the reader (cells joined by a TAB
  in DOCX, by spaces in PDF text) or ``label：value`` prose. ``Text.label_value(labels)``
  finds a label that stands alone (not the tail of a longer label), then its value: the next
  cell, or the text after the colon up to the next separator. A value that is itself a label,
  or is blank (``年 月 日``), gives None — a neighbouring field's value is never taken.
- **Prose clauses**: rights, remedy, seal and refusal clauses come from the spaCy spans of
  ``extractors.nlp`` (keyword windows); citations are classed by the nearest trigger before
  them (违反 → violated, 依据/根据/依照 → basis, 参照/裁量 → discretion, dropped; 加处/复议/
  诉讼 → procedural, dropped).
- **Records** (inspection, inquiry, hearing, defence): ``party_name`` is the party (当事人 /
  被检查人（当事人） / 被检查单位, or the unit the person asked answers for in
  ``被询问人 赵洋（某某便利店经营者）``), never an employee asked; the person asked falls back to
  ``party_name`` only when nothing else names the party. The form's 身份证号 is then the person
  asked's and is not emitted as ``party_id_number``.
- **Closing form**: ``fine_yuan`` from 处理结果 / 罚款金额, ``amount_yuan`` from what 执行情况 says
  was paid (CON-02 compares it like a payment receipt).
- **Normalisers**: ``extractors.normalise.dates``, ``money``, ``citations``, ``party``, ``numerals``.

Field extractor ids are ``<family>.<field>.v1`` (e.g. ``dates.decision_date.v1``).
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from extractors.fields.registry import REGISTRY, ExtractorSpec
from extractors.fields.text import Out, Text, find_dates
from extractors.nlp import DATES_KEY, build_nlp
from pipeline.core.models import DocFields, SourceDoc

__all__ = ["all_extractors", "extract_document", "extractor_for", "find_dates"]

_HELPERS = {"labels", "registry", "text"}


def _discover() -> None:
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name not in _HELPERS and not mod.name.startswith("_"):
            importlib.import_module(f"{__name__}.{mod.name}")


_discover()
_BY_TYPE: dict[str, ExtractorSpec] = {dt: spec for spec in REGISTRY.values() for dt in spec.doc_types}
_FALLBACK: ExtractorSpec = next(spec for spec in REGISTRY.values() if spec.fallback)


def all_extractors() -> dict[str, ExtractorSpec]:
    """Every registered extractor, by name."""
    return dict(sorted(REGISTRY.items()))


def extractor_for(doc_type: str) -> ExtractorSpec:
    """The extractor that reads documents of ``doc_type`` (the fallback for an unclaimed type)."""
    return _BY_TYPE.get(doc_type, _FALLBACK)


def extract_document(doc: SourceDoc, nlp: Any = None) -> DocFields:
    """Every document-level field ``doc`` states, each with its Span.

    doc (SourceDoc): a typed document (``doc_type`` set).
    nlp (Language | None): the pipeline from ``extractors.nlp.build_nlp()`` (built if None).
    RETURNS (DocFields): the document with its fields (names from ``pipeline.core.vocab.DOC_FIELDS``).
    """
    nlp = nlp if nlp is not None else build_nlp()
    t = Text(doc)
    sd = nlp(t.raw)
    if sd.user_data.get(DATES_KEY) is not None:
        t.use_dates(find_dates(t.raw, 0, sd.user_data[DATES_KEY]))
    spec = extractor_for(doc.doc_type)
    o = Out(t, spec.fields)
    spec.func(t, o, sd)
    return DocFields(doc=doc, fields=tuple(o.fields))
