"""The one deterministic .docx/.xlsx writer: the same input gives the same bytes on every run.

``fixed_zip`` re-packs an OOXML zip with fixed entry timestamps and fixed core-property dates;
``docx_bytes`` saves a python-docx ``Document`` (or a docxtpl template) through it with fixed
author, revision and title; ``write_bytes`` writes a file or raises E404; ``docx_text`` gives the
visible text of a .docx (for tests and checks of what a document says).
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from pipeline.core.errors import AnjuanError

# the shipped Word templates (a bureau may point --templates at its own folder)
TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
FIXED_ISO = "2024-01-01T00:00:00Z"
FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)

_CORE_DATES = re.compile(
    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def fixed_zip(data: bytes, fix: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """Re-pack an OOXML zip with fixed timestamps and fixed core-property dates."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = body.decode("utf-8")
                text = _CORE_DATES.sub(lambda m: m.group(1) + FIXED_ISO + m.group(3), text)
                text = re.sub(r"<cp:lastPrinted>[^<]*</cp:lastPrinted>", "", text)
                body = text.encode("utf-8")
            if fix is not None:
                body = fix(info.filename, body)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 0
            dst.writestr(zi, body)
    return out.getvalue()


def docx_bytes(doc: Any, *, title: str, saver: Any = None) -> bytes:
    """A python-docx ``Document`` as bytes that are the same on every run: fixed author, revision
    and title, then ``fixed_zip`` (fixed dates and zip entries). ``saver`` is the object whose
    ``save`` writes the file when that is not the document itself (a docxtpl template)."""
    props = doc.core_properties
    props.author = props.last_modified_by = "anjuan"
    props.revision = 1
    props.title = title
    buf = io.BytesIO()
    (saver or doc).save(buf)
    return fixed_zip(buf.getvalue())


def write_bytes(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise AnjuanError("E404", path=str(path), detail=exc.strerror or str(exc)) from exc


def docx_text(data: bytes | Path) -> str:
    """The visible text of a .docx: body paragraphs and table rows (cells joined by ' | ')."""
    doc = Document(io.BytesIO(data) if isinstance(data, bytes) else str(data))
    lines: list[str] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, doc).text)
        elif tag == "tbl":
            for row in Table(child, doc).rows:
                lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines).rstrip() + "\n"
