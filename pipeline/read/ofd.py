"""OFD (GB/T 33190, 版式文档) → pages of text, from its XML text layer.

An OFD is a zip of XML: ``OFD.xml`` names each document's root (``DocBody/DocRoot``, e.g.
``Doc_0/Document.xml``), which lists its pages (``Pages/Page@BaseLoc``); a page's
``Content.xml`` holds ``TextObject`` elements (``Boundary="x y w h"``) whose ``TextCode``
children carry the text and its position (``X``, ``Y`` inside the boundary). Text codes are
placed on the page, grouped into lines by their baseline (within half a line height) and read
left to right, lines top to bottom. A page without any text code is kept empty with E106, as a
scanned PDF page is (its image may be OCR'd one day; not here).

Compared with a library: ``easyofd`` renders OFD to PDF/images and pulls PyMuPDF, fontTools and
loguru; reading the text layer needs none of that, so this reader is ~150 lines over the zip
limits and XML checks the DOCX reader already applies (no DTD, no entities, bounded sizes).
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from pipeline.core.errors import ReadError
from pipeline.core.models import InputError, Page
from pipeline.read.readers import ZIP_MEMBER_ERRORS, ReadLimits, check_xml, input_error

OFD_EXTS = frozenset({".ofd"})
_TEXT_TAGS = ("TextObject",)


@dataclass(frozen=True, slots=True)
class _Glyphs:
    x: float
    y: float
    size: float
    text: str


def _local(tag: object) -> str:
    t = str(tag)
    return t.rsplit("}", 1)[-1]


def _floats(s: str | None, n: int) -> list[float]:
    vals: list[float] = []
    for part in (s or "").replace(",", " ").split():
        try:
            vals.append(float(part))
        except ValueError:
            vals.append(0.0)
    return (vals + [0.0] * n)[:n]


class _Package:
    def __init__(self, data: bytes, path_label: str, limits: ReadLimits) -> None:
        self.label = path_label
        self.limits = limits
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise ReadError("E134", path_label, detail=f"不是完整的 OFD 压缩包：{exc}") from exc
        infos = self.zf.infolist()
        if len(infos) > limits.max_zip_members:
            raise ReadError("E109", path_label, detail=f"部件数 {len(infos)} > {limits.max_zip_members}")
        if sum(i.file_size for i in infos) > limits.max_zip_bytes:
            raise ReadError("E109", path_label, detail="解压后大小超过上限")
        self.by_name = {i.filename.lstrip("/"): i for i in infos}

    def xml(self, name: str):  # -> lxml element
        from lxml import etree

        info = self.by_name.get(name.lstrip("/"))
        if info is None:
            raise ReadError("E134", self.label, detail=f"缺少 {name}")
        if info.file_size > self.limits.max_xml_bytes or (
                info.compress_size and info.file_size / info.compress_size > self.limits.max_ratio * 5):
            raise ReadError("E109", self.label, detail=f"{name} 过大或压缩比过高")
        try:
            raw = check_xml(self.zf.read(info), self.label)
        except ZIP_MEMBER_ERRORS as exc:
            raise ReadError("E134", self.label, detail=f"{name}：{exc}") from exc
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        try:
            return etree.fromstring(raw, parser)
        except etree.XMLSyntaxError as exc:
            raise ReadError("E134", self.label, detail=f"{name}：{exc}") from exc


def _resolve(base: str, loc: str) -> str:
    """A location inside the package: absolute (``/Doc_0/...``) or relative to ``base``'s folder."""
    loc = loc.strip().replace("\\", "/")
    if loc.startswith("/"):
        return loc.lstrip("/")
    parts: list[str] = []
    for p in (PurePosixPath(base).parent / loc).parts:
        if p == "..":
            if parts:
                parts.pop()
        elif p not in (".", ""):
            parts.append(p)
    return "/".join(parts)


def _page_glyphs(content) -> list[_Glyphs]:
    out: list[_Glyphs] = []
    for obj in content.iter():
        if _local(obj.tag) not in _TEXT_TAGS:
            continue
        bx, by, _bw, bh = _floats(obj.get("Boundary"), 4)
        size = _floats(obj.get("Size"), 1)[0] or bh or 3.5
        x = y = 0.0
        for code in obj:
            if _local(code.tag) != "TextCode":
                continue
            if code.get("X") is not None:
                x = _floats(code.get("X"), 1)[0]
            if code.get("Y") is not None:
                y = _floats(code.get("Y"), 1)[0]
            if code.text:
                out.append(_Glyphs(bx + x, by + y, size, code.text))
    return out


def _lines(glyphs: list[_Glyphs]) -> str:
    """Glyph runs → text: grouped by baseline (within half a line height), left to right."""
    lines: list[list[_Glyphs]] = []
    for g in sorted(glyphs, key=lambda g: (g.y, g.x)):
        if lines and abs(lines[-1][0].y - g.y) <= max(lines[-1][0].size, g.size) / 2:
            lines[-1].append(g)
        else:
            lines.append([g])
    return "\n".join("".join(g.text for g in sorted(line, key=lambda g: g.x)) for line in lines).strip()


def read_ofd(data: bytes, path_label: str,
             limits: ReadLimits = ReadLimits()) -> tuple[list[Page], list[InputError]]:
    """Pages of an OFD (text source 'pdf_text': a fixed-layout text layer) and per-page errors.

    Raises ReadError: E101 empty, E134 not a readable OFD, E109 bomb-like package, E122 XML
    holding a DTD or entity.
    """
    if not data:
        raise ReadError("E101", path_label)
    pkg = _Package(data, path_label, limits)
    with pkg.zf:
        root = pkg.xml("OFD.xml")
        doc_roots = [c.text.strip() for c in root.iter() if _local(c.tag) == "DocRoot" and c.text]
        if not doc_roots:
            raise ReadError("E134", path_label, detail="OFD.xml 未指明文档（DocRoot）")
        texts: list[str] = []
        total = 0
        for doc_loc in doc_roots:
            doc_name = _resolve("OFD.xml", doc_loc)
            doc = pkg.xml(doc_name)
            for page in (p for p in doc.iter() if _local(p.tag) == "Page"):
                total += 1
                if len(texts) >= limits.max_pages:
                    continue
                loc = page.get("BaseLoc")
                if not loc:
                    texts.append("")
                    continue
                texts.append(_lines(_page_glyphs(pkg.xml(_resolve(doc_name, loc)))))
    errors: list[InputError] = []
    pages: list[Page] = []
    for i, text in enumerate(texts):
        if not text.strip():
            errors.append(input_error("E106", path_label, page=i + 1))
        pages.append(Page(number=i + 1, text=text, source="pdf_text"))
    if total > limits.max_pages:
        errors.append(input_error("E114", path_label, detail=f"{total} 页 > 上限 {limits.max_pages} 页"))
    if not pages:
        errors.append(input_error("E116", path_label))
    return pages, errors


__all__ = ["OFD_EXTS", "read_ofd"]
