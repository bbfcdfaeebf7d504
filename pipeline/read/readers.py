"""Readers: DOCX, PDF, images and zips → pages of text. IO lives here, typing does not.

- DOCX through python-docx's XML layer (``docx.oxml.parse_xml`` on the main document part, found
  through ``_rels/.rels``; opening the whole package with ``docx.Document`` costs ~10 ms a file
  for styles and settings we do not use): the body's ``w:p`` and ``w:tbl`` children in order.
  Headers, footers, footnotes and comments are not read.
  A table row becomes one line, its cells joined with a TAB (``\\t``) so that label and value
  stay adjacent (``当事人\\t张三`` matches ``当事人[:：\\s|]*张三``); a cell holding several
  paragraphs or a nested table keeps them on their own lines inside the row. Merged cells appear
  once. Explicit page breaks (``w:br w:type="page"``, ``w:pageBreakBefore``, a section break
  that is not ``continuous``) start a new Page. Before python-docx's parser sees a part it is
  checked: every XML part has a bounded size, and the parsed ones (``_rels/.rels``, the main
  document) hold no ``<!DOCTYPE`` / ``<!ENTITY`` (E122).
- PDF through pypdfium2 by default (``engine="pdfium"``), or pdfplumber (``engine="pdfplumber"``,
  ``page.dedupe_chars().extract_text()``). Both give the same characters; they differ in order
  where a table cell wraps: pdfium keeps each cell's text together (``金额（大写）人民币…元\n整``),
  pdfplumber interleaves the wrapped lines of neighbouring cells (``案件 投诉 登记\n来源 时间``),
  which splits labels. pdfium is also 3–40× faster, hence the default.
  A page without a text layer is kept with empty text and gets an E106 error.
- Images are not OCR'd yet: each gets an E117 error (E102 when the file is not a readable image).
- Zips are read in memory: unsafe member paths (E108), caps on member count, total size and
  compression ratio (E109), corrupt archive (E110), password-protected members (E131), GBK
  member names recovered (E118 otherwise).
"""
from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline.core.errors import ReadError, msg
from pipeline.core.models import InputError, Page
from pipeline.read.deadline import default_doc_timeout

# what reading a damaged zip member can raise; NotImplementedError is zipfile's answer to a
# compression method it does not support (not an unfinished part of this module)
ZIP_MEMBER_ERRORS = (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, zlib.error)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"

DOCX_EXTS = frozenset({".docx", ".docm"})
PDF_EXTS = frozenset({".pdf"})
IMAGE_EXTS = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff"})
ZIP_EXTS = frozenset({".zip"})
LEGACY_WORD_EXTS = frozenset({".doc", ".wps"})
PDF_ENGINES = ("pdfium", "pdfplumber")


@dataclass(frozen=True)
class ReadLimits:
    """Caps that keep a hostile or huge input from exhausting the machine."""

    max_pages: int = 2000                      # per file; the rest is not read (E114)
    max_zip_members: int = 2000                # per zip (E109)
    max_zip_bytes: int = 500 * 1024 * 1024     # total uncompressed size of a zip (E109)
    max_ratio: float = 200.0                   # uncompressed/compressed size of one member (E109)
    max_file_bytes: int = 500 * 1024 * 1024    # one input file (E114)
    max_xml_bytes: int = 20 * 1024 * 1024      # one XML part of a DOCX (E122): ~250 MB parsed
    max_image_pixels: int = 100_000_000        # one image (E114)
    ocr_max_pixels: int = 25_000_000           # an image above this is downscaled before OCR (E135)
    pdf_engine: str = "pdfium"                 # "pdfium" (default, faster) or "pdfplumber"
    ocr: bool = True                           # OCR scanned pages and images when an engine is installed
    # seconds one file's reading (and, in the workers, one document's extraction) may take (E136);
    # $ANJUAN_DOC_TIMEOUT or 300; 0 = no limit
    doc_timeout_s: float = field(default_factory=default_doc_timeout, repr=False)  # not in code_key

    def __post_init__(self) -> None:
        if self.pdf_engine not in PDF_ENGINES:
            raise ValueError(f"ReadLimits.pdf_engine must be one of {PDF_ENGINES}, not {self.pdf_engine!r}")
        for name in ("max_pages", "max_zip_members", "max_zip_bytes", "max_file_bytes",
                     "max_xml_bytes", "max_image_pixels", "ocr_max_pixels"):
            if getattr(self, name) <= 0:
                raise ValueError(f"ReadLimits.{name} must be > 0")


def input_error(code: str, path: str, **kwargs: object) -> InputError:
    return InputError(path=path, code=code, message=msg(code, path=path, **kwargs))


def _load(data_or_path: bytes | str | Path, path_label: str) -> bytes:
    if isinstance(data_or_path, (bytes, bytearray, memoryview)):
        return bytes(data_or_path)
    try:
        return Path(data_or_path).read_bytes()
    except PermissionError as exc:
        raise ReadError("E112", path_label) from exc
    except OSError as exc:
        raise ReadError("E102", path_label, detail=type(exc).__name__) from exc


def is_encrypted_ooxml(data: bytes) -> bool:
    """An OLE compound file holding an encrypted Office Open XML package (a password .docx)."""
    return data.startswith(OLE_MAGIC) and (
        "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data)


# ---------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_W_P, _W_TBL, _W_TR, _W_TC, _W_SDT, _W_SDTCONTENT = (
    W + "p", W + "tbl", W + "tr", W + "tc", W + "sdt", W + "sdtContent")
_W_T, _W_TAB, _W_BR, _W_CR, _W_PPR, _W_SECTPR, _W_TYPE, _W_VAL = (
    W + "t", W + "tab", W + "br", W + "cr", W + "pPr", W + "sectPr", W + "type", W + "val")
_W_PBB, _W_NBH, _W_VMERGE, _W_TCPR = W + "pageBreakBefore", W + "noBreakHyphen", W + "vMerge", W + "tcPr"
_RUN_TAGS = (_W_T, _W_TAB, _W_BR, _W_CR, _W_NBH)
_DANGEROUS_XML = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


_REL_OFFICE_DOC = re.compile(
    rb'<Relationship\b[^>]*?Type="[^"]*/officeDocument"[^>]*?>', re.IGNORECASE)
_REL_TARGET = re.compile(rb'Target="([^"]+)"')


def _check_xml(raw: bytes, path_label: str) -> bytes:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise ReadError("E122", path_label) from exc
    if b"<!" in raw and _DANGEROUS_XML.search(raw):
        raise ReadError("E122", path_label)
    return raw


check_xml = _check_xml  # the same checks for every XML part we parse (DOCX, OFD)


def check_docx_package(data: bytes, path_label: str, limits: ReadLimits) -> tuple[str, bytes]:
    """Open a DOCX package safely; return (main part name, its checked XML bytes).

    Raises ReadError: E101 empty, E105 password-protected, E111 legacy Word, E102 not a
    complete package, E109 bomb-like package, E122 an XML part over ``limits.max_xml_bytes`` or a
    parsed part (``_rels/.rels``, the main document) holding ``<!DOCTYPE``/``<!ENTITY``. Parts
    that are never parsed (styles, themes …) are bounded by size only, not decompressed.
    """
    if not data:
        raise ReadError("E101", path_label)
    if data.startswith(OLE_MAGIC):
        raise ReadError("E105" if is_encrypted_ooxml(data) else "E111", path_label)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError("E102", path_label, detail=f"不是完整的 docx 压缩包：{exc}") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_zip_members:
            raise ReadError("E109", path_label, detail=f"部件数 {len(infos)} > {limits.max_zip_members}")
        total = sum(i.file_size for i in infos)
        if total > limits.max_zip_bytes:
            raise ReadError("E109", path_label, detail=f"解压后 {total} 字节 > {limits.max_zip_bytes}")
        by_name = {i.filename: i for i in infos}
        for info in infos:
            lname = info.filename.lower()
            if (lname.endswith(".xml") or lname.endswith(".rels")) and info.file_size > limits.max_xml_bytes:
                raise ReadError("E122", path_label)

        def read_part(info: zipfile.ZipInfo) -> bytes:
            if info.compress_size and info.file_size / info.compress_size > limits.max_ratio * 5:
                raise ReadError("E109", path_label, detail=f"{info.filename} 压缩比过高")
            try:
                return _check_xml(zf.read(info), path_label)
            except ZIP_MEMBER_ERRORS as exc:
                raise ReadError("E102", path_label, detail=f"{info.filename}：{exc}") from exc

        rels = read_part(by_name["_rels/.rels"]) if "_rels/.rels" in by_name else b""
        main = _main_part_name(rels)
        if main not in by_name:
            raise ReadError("E102", path_label, detail=f"缺少 {main}")
        return main, read_part(by_name[main])


def _main_part_name(rels: bytes) -> str:
    m = _REL_OFFICE_DOC.search(rels)
    if m:
        t = _REL_TARGET.search(m.group(0))
        if t:
            return t.group(1).decode("utf-8", "replace").lstrip("/")
    return "word/document.xml"


def _para_runs(p) -> Iterator[tuple[str, str]]:
    """('text', s) pieces and ('page', '') breaks of one paragraph, in order."""
    has_fallback = p.find(".//" + MC_FALLBACK) is not None
    for el in p.iter(*_RUN_TAGS):
        if has_fallback and any(a.tag == MC_FALLBACK for a in el.iterancestors()):
            continue
        tag = el.tag
        if tag == _W_T:
            if el.text:
                yield "text", el.text
        elif tag == _W_TAB:
            if el.getparent() is not None and el.getparent().tag == _W_PPR:
                continue  # tab stop definitions, not text
            yield "text", "\t"
        elif tag == _W_BR:
            if el.get(_W_TYPE) == "page":
                yield "page", ""
            else:
                yield "text", "\n"
        elif tag == _W_CR:
            yield "text", "\n"
        elif tag == _W_NBH:
            yield "text", "-"


def _para_text(p) -> str:
    """Text of a paragraph inside a table cell (page breaks ignored there)."""
    return "".join(s for kind, s in _para_runs(p) if kind == "text")


def _cell_text(tc) -> str:
    parts: list[str] = []
    for child in _block_children(tc):
        if child.tag == _W_P:
            parts.append(_para_text(child))
        elif child.tag == _W_TBL:
            parts.extend(_table_lines(child))
    while parts and not parts[-1].strip():
        parts.pop()
    return "\n".join(parts).replace("\t", " ")


def _table_lines(tbl) -> list[str]:
    lines: list[str] = []
    for tr in _block_children(tbl, _W_TR):
        cells: list[str] = []
        for tc in _block_children(tr, _W_TC):
            tcpr = tc.find(_W_TCPR)
            if tcpr is not None:
                vm = tcpr.find(_W_VMERGE)
                if vm is not None and vm.get(_W_VAL) in (None, "continue"):
                    continue  # continuation of a vertically merged cell: shown once, above
            cells.append(_cell_text(tc).strip())
        line = "\t".join(c for c in cells if c)
        if line:
            lines.append(line)
    return lines


def _block_children(el, only: str | None = None) -> Iterator:
    """Children of ``el``, looking through content controls (w:sdt/w:sdtContent)."""
    for child in el:
        if child.tag == _W_SDT:
            content = child.find(_W_SDTCONTENT)
            if content is not None:
                yield from _block_children(content, only)
            continue
        if only is None or child.tag == only:
            yield child


def _section_starts_new_page(sectpr) -> bool:
    if sectpr is None:
        return True
    t = sectpr.find(_W_TYPE)
    return t is None or t.get(_W_VAL) != "continuous"


def docx_body_pages(body) -> list[str]:
    """Split a ``w:body`` element into page texts at explicit page and section breaks."""
    children = list(_block_children(body))
    # the sectPr that *starts* each section is the one that ends it: collect them in order
    section_props = [c.find(f"{_W_PPR}/{_W_SECTPR}") for c in children if c.tag == _W_P]
    section_props = [s for s in section_props if s is not None]
    final = body.find(_W_SECTPR)
    section_props.append(final)
    sect_index = 0

    pages: list[list[str]] = [[]]
    current: list[str] = []  # pieces of the line being built

    def end_line() -> None:
        pages[-1].append("".join(current))
        current.clear()

    def new_page() -> None:
        if current:
            end_line()
        if pages[-1] and any(s.strip() for s in pages[-1]):
            pages.append([])

    for child in children:
        if child.tag == _W_P:
            ppr = child.find(_W_PPR)
            pbb = ppr.find(_W_PBB) if ppr is not None else None
            if pbb is not None and pbb.get(_W_VAL) not in ("0", "false"):
                new_page()
            for kind, s in _para_runs(child):
                if kind == "page":
                    new_page()
                else:
                    current.append(s)
            end_line()
            if ppr is not None and ppr.find(_W_SECTPR) is not None:
                sect_index += 1
                nxt = section_props[sect_index] if sect_index < len(section_props) else None
                if _section_starts_new_page(nxt):
                    new_page()
        elif child.tag == _W_TBL:
            if current:
                end_line()
            pages[-1].extend(_table_lines(child))
    if current:
        end_line()
    texts = ["\n".join(lines).strip("\n") for lines in pages]
    while len(texts) > 1 and not texts[-1].strip():
        texts.pop()
    return texts


def read_docx_with_errors(data_or_path: bytes | str | Path, path_label: str,
                          limits: ReadLimits = ReadLimits()) -> tuple[list[Page], list[InputError]]:
    """Read a DOCX into pages; fatal problems raise ReadError.

    Non-fatal: E114 when there are more pages than ``limits.max_pages`` (the first ones are
    kept), E116 when the document has no text at all.
    """
    from docx.oxml import parse_xml  # python-docx's parser (no DTD, no entities, no network)

    data = _load(data_or_path, path_label)
    main, xml = check_docx_package(data, path_label, limits)
    try:
        root = parse_xml(xml)
    except Exception as exc:  # lxml XMLSyntaxError and friends
        raise ReadError("E102", path_label, detail=f"{type(exc).__name__}: {exc}") from exc
    body = root.find(W + "body")
    if body is None:
        raise ReadError("E102", path_label, detail=f"{main} 没有正文")
    texts = docx_body_pages(body)
    errors: list[InputError] = []
    if not any(t.strip() for t in texts):  # e.g. a scan pasted into Word as a picture
        errors.append(input_error("E116", path_label))
    if len(texts) > limits.max_pages:
        errors.append(input_error("E114", path_label, detail=f"{len(texts)} 页 > 上限 {limits.max_pages} 页"))
        texts = texts[: limits.max_pages]
    return [Page(number=i + 1, text=t, source="docx") for i, t in enumerate(texts)], errors


def read_docx(data_or_path: bytes | str | Path, path_label: str,
              limits: ReadLimits = ReadLimits()) -> list[Page]:
    """Pages of a DOCX (text source 'docx'); raises ReadError (E101 E102 E105 E109 E111 E122)."""
    return read_docx_with_errors(data_or_path, path_label, limits)[0]


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------

_PDFIUM_JUNK = str.maketrans({"\r": None, "\x00": None, "\ufffe": None, "\x02": None, "\ufeff": None})


def _pdf_preflight(data: bytes, path_label: str) -> list[InputError]:
    if not data:
        raise ReadError("E101", path_label)
    head = data[:1024]
    if PDF_MAGIC not in head:
        raise ReadError("E103", path_label)
    if b"%%EOF" not in data[-2048:]:
        return [input_error("E102", path_label, detail="文件末尾不完整，可能被截断；已尽量读取")]
    return []


_CJK = re.compile(r"[\u3400-\u9fff]")


def undouble_line(line: str) -> str:
    """Collapse a line whose characters were all printed twice (fake bold by overprinting, as
    some case systems do for titles): ``行行政政处处罚罚决决定定书书`` → ``行政处罚决定书``.

    pdfplumber removes such duplicates by position (``dedupe_chars``); pdfium returns them, so
    the pdfium path collapses a line only when it is made entirely of doubled characters and
    holds at least three doubled CJK characters — ordinary text (人人, 天天) is left alone.
    """
    compact = line.strip()
    if len(compact) < 6 or len(compact) % 2:
        return line
    pairs = [compact[i:i + 2] for i in range(0, len(compact), 2)]
    if all(p[0] == p[1] for p in pairs) and sum(1 for p in pairs if _CJK.match(p[0])) >= 3:
        return "".join(p[0] for p in pairs)
    return line


def _undouble(text: str) -> str:
    if not text:
        return text
    return "\n".join(undouble_line(x) for x in text.split("\n"))


def _pdfium_pages(data: bytes, path_label: str, limits: ReadLimits) -> tuple[list[str | None], int]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise ReadError("E104", path_label) from exc
        raise ReadError("E102", path_label, detail=str(exc)) from exc
    try:
        total = len(pdf)
        texts: list[str | None] = []
        for i in range(min(total, limits.max_pages)):
            try:
                page = pdf[i]
            except pdfium.PdfiumError:  # one damaged page: the others are still read
                texts.append(None)
                continue
            try:
                tp = page.get_textpage()
                try:
                    texts.append(_undouble(tp.get_text_range().translate(_PDFIUM_JUNK))
                                 if tp.count_chars() else "")
                finally:
                    tp.close()
            finally:
                page.close()
        return texts, total
    finally:
        pdf.close()


def _pdfplumber_pages(data: bytes, path_label: str, limits: ReadLimits) -> tuple[list[str | None], int]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # PdfminerException wraps the cause
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or isinstance(exc,
                                                                                 PDFPasswordIncorrect):
            raise ReadError("E104", path_label) from exc
        raise ReadError("E102", path_label, detail=f"{type(cause).__name__}") from exc
    try:
        total = len(pdf.pages)
        texts: list[str | None] = []
        for page in pdf.pages[: limits.max_pages]:
            texts.append(page.dedupe_chars().extract_text() or "" if page.chars else "")
            page.close()
        return texts, total
    except Exception as exc:
        raise ReadError("E102", path_label, detail=f"{type(exc).__name__}") from exc
    finally:
        pdf.close()


def read_pdf(path_or_bytes: bytes | str | Path, path_label: str, limits: ReadLimits = ReadLimits(),
             *, engine: str | None = None) -> tuple[list[Page], list[InputError]]:
    """Pages of a PDF (source 'pdf_text') and per-page errors.

    ``engine`` is ``"pdfium"`` (default: ``limits.pdf_engine``) or ``"pdfplumber"``.
    Raises ReadError for a file that cannot be opened at all (E101 E102 E103 E104).
    A page without a text layer is kept with empty text and gets an E106 error; pages beyond
    ``limits.max_pages`` are not read (E114).
    """
    engine = engine or limits.pdf_engine
    if engine not in PDF_ENGINES:
        raise ValueError(f"engine must be one of {PDF_ENGINES}, not {engine!r}")
    data = _load(path_or_bytes, path_label)
    errors = _pdf_preflight(data, path_label)
    reader = _pdfium_pages if engine == "pdfium" else _pdfplumber_pages
    texts, total = reader(data, path_label, limits)
    pages: list[Page] = []
    for i, text in enumerate(texts):
        if text is None:  # the page itself could not be loaded
            errors.append(input_error("E102", path_label, detail=f"第 {i + 1} 页无法读取"))
            text = ""
        elif not text.strip():
            errors.append(input_error("E106", path_label, page=i + 1))
            text = ""
        pages.append(Page(number=i + 1, text=text, source="pdf_text"))
    if total > limits.max_pages:
        errors.append(input_error("E114", path_label, detail=f"{total} 页 > 上限 {limits.max_pages} 页"))
    return pages, errors


# ---------------------------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------------------------

def check_image(data: bytes, path_label: str, limits: ReadLimits = ReadLimits()) -> list[InputError]:
    """Errors for one scanned image: E117 (needs OCR) for a readable one, E102/E114 otherwise."""
    if not data:
        return [input_error("E101", path_label)]
    try:
        from PIL import Image
    except ImportError:  # Pillow comes with reportlab; without it only the OCR notice is given
        return [input_error("E117", path_label)]
    import warnings

    try:
        with warnings.catch_warnings():  # Image.open reads the header only; our own cap decides
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
        with img:
            w, h = img.size
            if w * h > limits.max_image_pixels:  # checked before any pixel is decoded
                return [input_error("E114", path_label, detail=f"{w}×{h} 像素")]
            img.verify()
    except Image.DecompressionBombError:
        return [input_error("E114", path_label, detail="像素数超过上限")]
    except Exception as exc:  # UnidentifiedImageError, truncated data, struct errors …
        return [input_error("E102", path_label, detail=f"图片无法识别：{type(exc).__name__}")]
    return [input_error("E117", path_label)]


def downscale_for_ocr(data: bytes, path_label: str,
                      limits: ReadLimits = ReadLimits()) -> tuple[bytes, list[InputError]]:
    """An image over ``limits.ocr_max_pixels`` scaled down to fit (aspect kept, dpi scaled with
    it) so that OCR never decodes a 60 MB photo at full size, with an E135 notice; any other
    image is returned as it is. A JPEG is decoded at the reduced size directly (``draft``), so
    the full-size pixels are never held; a multi-page TIFF is left alone."""
    import math

    from PIL import Image

    try:
        img = Image.open(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - check_image has already named an unreadable image
        return data, []
    with img:
        w, h = img.size
        if w * h <= limits.ocr_max_pixels or getattr(img, "n_frames", 1) > 1:
            return data, []
        scale = math.sqrt(limits.ocr_max_pixels / (w * h))
        target = (max(1, int(w * scale)), max(1, int(h * scale)))
        dpi = img.info.get("dpi")
        if img.format == "JPEG":
            img.draft("RGB", target)  # DCT scaling: decodes at 1/2, 1/4 or 1/8 of full size
        small = img.convert("RGB") if img.mode not in ("RGB", "L") else img.copy()
        small.thumbnail(target, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        kw: dict[str, object] = {}
        if dpi:
            kw["dpi"] = tuple(float(d) * small.width / w for d in dpi)
        small.save(out, format="PNG", **kw)
    note = input_error("E135", path_label, detail=f"{w}×{h} 像素", target=f"{small.width}×{small.height} 像素")
    return out.getvalue(), [note]


# ---------------------------------------------------------------------------------------------
# Zips
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ZipMember:
    name: str      # normalised member path, '/'-separated
    data: bytes


def decode_member_name(info: zipfile.ZipInfo) -> tuple[str, bool]:
    """(name, ok): recover a GBK (or unflagged UTF-8) member name that zipfile read as cp437."""
    name = info.filename
    if info.flag_bits & 0x800 or name.isascii():
        return name, True
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name, True
    for enc in ("utf-8", "gbk"):
        try:
            return raw.decode(enc), True
        except UnicodeDecodeError:
            continue
    return name, False


def _safe_member_path(name: str) -> str | None:
    """Normalised relative path, or None when the member tries to leave the extraction dir."""
    name = name.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    return str(PurePosixPath(*parts)) if parts else ""


def read_zip(data: bytes, path_label: str,
             limits: ReadLimits = ReadLimits()) -> tuple[list[ZipMember], list[InputError]]:
    """Read a zip in memory, safely. Returns the regular-file members and the errors met.

    Raises ReadError E101 (empty) or E110 (not a zip / corrupt central directory).
    """
    if not data:
        raise ReadError("E101", path_label)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError("E110", path_label, detail=str(exc) or type(exc).__name__) from exc
    errors: list[InputError] = []
    members: list[ZipMember] = []
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_zip_members:
            errors.append(input_error("E109", path_label,
                                      detail=f"成员数 {len(infos)} > 上限 {limits.max_zip_members}"))
            infos = infos[: limits.max_zip_members]
        budget = limits.max_zip_bytes
        for info in infos:
            name, ok = decode_member_name(info)
            if not ok:
                errors.append(input_error("E118", f"{path_label}!/{name}"))
            if info.is_dir():
                continue
            safe = _safe_member_path(name)
            label = f"{path_label}!/{safe or name}"
            if safe is None or not safe:
                errors.append(input_error("E108", path_label, member=name))
                continue
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                errors.append(input_error("E113", label))
                continue
            if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
                errors.append(input_error("E109", label, detail=(
                    f"压缩比 {info.file_size / info.compress_size:.0f} > 上限 {limits.max_ratio:.0f}")))
                continue
            if info.file_size > budget or info.file_size > limits.max_file_bytes:
                errors.append(input_error("E109", label, detail=(
                    f"解压后总大小超过上限 {limits.max_zip_bytes} 字节")))
                continue
            if info.flag_bits & 0x1:  # encrypted (a password zip): its own code, the decoded name
                errors.append(input_error("E131", label))
                continue
            try:
                with zf.open(info) as fh:
                    content = fh.read(info.file_size + 1)
            except RuntimeError:  # encrypted in a way the flag did not say
                errors.append(input_error("E131", label))
                continue
            except ZIP_MEMBER_ERRORS as exc:  # zipfile names the member as cp437: show ours
                detail = f"{type(exc).__name__}: {exc}".replace(info.filename, safe)
                errors.append(input_error("E110", label, detail=detail))
                continue
            if len(content) > info.file_size:  # never trust the declared size
                errors.append(input_error("E109", label, detail="实际大小超过声明大小"))
                continue
            budget -= len(content)
            members.append(ZipMember(name=safe, data=content))
    return members, errors
