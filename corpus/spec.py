"""What the corpus generator hands the renderer: documents as blocks, files, cases.

The generator (``corpus/generator.py``) decides *what* a case file says and which defects it
carries; the renderer (``corpus/render.py``) decides *how* it looks as DOCX or PDF bytes.
Both sides use only these records.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

BLOCK_KINDS = ("title", "subtitle", "para", "table", "seal", "signature", "pagebreak")


@dataclass(frozen=True, slots=True)
class Block:
    """One visual block of a document.

    - ``title``: the document title (centred, large). Exactly one per document, first or after
      the agency header ``subtitle``.
    - ``subtitle``: a centred line (agency header, 文号 line).
    - ``para``: a paragraph of body text.
    - ``table``: ``rows`` of cells (label/value pairs as on the official forms); a cell may
      itself be a nested table given as a tuple of rows in ``nested`` keyed by (row, col).
    - ``seal``: a seal mark, e.g. text ``（印章）上海市青浦区城市管理行政执法局``; the renderer
      draws it as red text in DOCX/PDF.
    - ``signature``: a right-aligned signature/date line.
    - ``pagebreak``: a page break inside the document.
    """

    kind: str
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    nested: Mapping[tuple[int, int], tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"Block.kind must be one of {BLOCK_KINDS}, not {self.kind!r}")


@dataclass(frozen=True, slots=True)
class DocSpec:
    """One document of a case file."""

    doc_type: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class FileSpec:
    """One file in the archive. ``name`` is relative to the case folder (or the archive root
    for combined files). Several ``docs`` make a combined file."""

    name: str
    fmt: str  # docx | pdf
    docs: tuple[DocSpec, ...]


@dataclass(frozen=True, slots=True)
class CaseSpec:
    """A whole case as it lands in the archive.

    ``container``: ``folder`` (ARCHIVE/<case_id>/<files>), ``combined_pdf`` / ``combined_docx``
    (ARCHIVE/<case_id>.pdf|.docx, a single FileSpec), or ``zip`` (ARCHIVE/<case_id>.zip holding
    the folder). ``truth`` is the case's line of truth.jsonl.
    """

    case_id: str
    container: str
    files: tuple[FileSpec, ...]
    truth: Mapping[str, Any]
