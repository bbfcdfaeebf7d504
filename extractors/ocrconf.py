"""OCR confidence travels with every field (issue: scanned case files).

A field read from an OCR page gets ``confidence = extractor confidence × OCR confidence`` of the
line(s) its span covers (the page's confidence when the lines are unknown). Fields from a text
layer are unchanged. Pure.
"""
from __future__ import annotations

from dataclasses import replace

from pipeline.core.models import DocFields, Field, SourceDoc


def span_ocr_confidence(doc: SourceDoc, start: int, end: int) -> float | None:
    """Lowest OCR confidence of the lines that ``doc.text[start:end]`` covers; None for text."""
    pos = 0
    lowest: float | None = None
    for page in doc.pages:
        page_end = pos + len(page.text)
        if end >= pos and start <= page_end and page.source == "ocr":
            if page.line_confidence:
                first = page.text[: max(0, start - pos)].count("\n")
                last = page.text[: max(0, min(end, page_end) - pos)].count("\n")
                vals = page.line_confidence[first:last + 1] or page.line_confidence[-1:]
                c = min(vals)
            else:
                c = page.confidence if page.confidence is not None else 0.0
            lowest = c if lowest is None else min(lowest, c)
        pos = page_end + 1
    return lowest


def with_ocr_confidence(df: DocFields) -> DocFields:
    """The document's fields with their confidence scaled by the OCR confidence of their span."""
    if not any(p.source == "ocr" for p in df.doc.pages):
        return df
    out: list[Field] = []
    for f in df.fields:
        if f.span is None:
            pages = [p for p in df.doc.pages if p.source == "ocr" and p.confidence is not None]
            c = min((p.confidence for p in pages), default=None)  # type: ignore[type-var]
        else:
            c = span_ocr_confidence(df.doc, f.span.start, f.span.end)
        out.append(replace(f, confidence=round(f.confidence * c, 4)) if c is not None else f)
    return replace(df, fields=tuple(out))
