"""Find the cases of an archive and read each into a typed ``CaseInput``.

Layout (contract/archive.md): every top-level entry of the archive is one case —

- a folder (any name; files in any order and names; sub-folders belong to the case),
- a combined ``.pdf`` or ``.docx`` (documents one after another, split at each title),
- a ``.zip`` (holding a case folder or loose files; read in memory, never extracted),
- a scanned image (``.jpg .jpeg .png .tif .tiff``; needs OCR, E117),
- anything else (kind ``other``: listed, with an error explaining why it was not read).

Names on disk that are not UTF-8 (a folder copied from an old Windows machine, GBK bytes on a
POSIX file system) reach Python with lone surrogates; every label and case id shown to the
reviewer is decoded per path component as GBK (``display_path``), or kept as ``\\xNN`` escapes
with an E118 error when that fails too. The file itself is still opened by its real name.

The register (any top-level ``.xlsx``/``.xls``/``.csv`` whose name contains 台账 or ``register``)
is not a case. Hidden entries (``.*``) and OS litter (``Thumbs.db``, ``desktop.ini``, ``__MACOSX``)
at the top level are not cases either. The case id is the entry's name without its extension.

Nothing inside the archive is ever written: files are opened read-only, zips in memory.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from extractors.doctype import classify, split_file
from pipeline.core.errors import AnjuanError, ReadError
from pipeline.core.models import CaseInput, InputError, Page, SourceDoc
from pipeline.read.deadline import DocumentTimeout, call_with_deadline
from pipeline.read.ofd import OFD_EXTS, read_ofd
from pipeline.read.readers import (
    DOCX_EXTS,
    IMAGE_EXTS,
    LEGACY_WORD_EXTS,
    OLE_MAGIC,
    PDF_EXTS,
    ZIP_EXTS,
    ZIP_MAGIC,
    ReadLimits,
    check_image,
    downscale_for_ocr,
    input_error,
    is_encrypted_ooxml,
    read_docx_with_errors,
    read_pdf,
    read_zip,
)

CASE_KINDS = ("folder", "pdf", "docx", "zip", "image", "other")
REGISTER_EXTS = frozenset({".xlsx", ".xls", ".csv"})
_REGISTER_PREFERENCE = {".xlsx": 0, ".xls": 1, ".csv": 2}
REGISTER_MARKS = ("台账", "register")
TOP_LEVEL_LITTER = frozenset({"thumbs.db", "desktop.ini", "__macosx"})


@dataclass(frozen=True, slots=True)
class CaseEntry:
    """One case of an archive: ``source`` is its path relative to the archive root."""

    case_id: str
    source: str
    kind: str  # folder | pdf | docx | zip | image | other
    # other (source, kind) of the same case id (a folder and its zip side by side): read into
    # this case, so nothing is lost and no id is reviewed twice (E124)
    also: tuple[tuple[str, str], ...] = ()

    def sources(self) -> tuple[tuple[str, str], ...]:
        """(source, kind) of every place this case was found, the main one first."""
        return ((self.source, self.kind),) + self.also


def _is_register(path: Path) -> bool:
    name = path.name.lower()
    return path.suffix.lower() in REGISTER_EXTS and any(m in name for m in REGISTER_MARKS)


def _kind_of(path: Path) -> str:
    if path.is_dir() and not path.is_symlink():
        return "folder"
    ext = path.suffix.lower()
    if ext in PDF_EXTS:
        return "pdf"
    if ext in DOCX_EXTS:
        return "docx"
    if ext in ZIP_EXTS:
        return "zip"
    if ext in IMAGE_EXTS:
        return "image"
    return "other"


def _check_root(root: Path) -> None:
    if not root.is_dir():
        raise AnjuanError("E100", path=str(root))


def find_register(root: Path) -> Path | None:
    """The archive's 台账 (.xlsx preferred over .xls, then .csv), or None."""
    root = Path(root)
    _check_root(root)
    found = sorted((p for p in root.iterdir() if p.is_file() and _is_register(p)),
                   key=lambda p: (_REGISTER_PREFERENCE[p.suffix.lower()], p.name))
    return found[0] if found else None


def list_cases(root: Path) -> list[CaseEntry]:
    """Every case of the archive, sorted by case id (then source)."""
    root = Path(root)
    _check_root(root)
    out: list[CaseEntry] = []
    for p in root.iterdir():
        if p.name.startswith(".") or p.name.lower() in TOP_LEVEL_LITTER:
            continue
        if not p.is_dir() and _is_register(p):
            continue
        kind = _kind_of(p)
        case_id = p.name if kind == "folder" else (p.stem if p.suffix else p.name)
        case_id = display_path(case_id)[0]
        out.append(CaseEntry(case_id=case_id, source=p.name, kind=kind))
    out.sort(key=lambda e: (e.case_id, e.kind != "folder", e.source))
    merged: list[CaseEntry] = []
    for e in out:  # one entry per case id: a folder first, then the other places in name order
        if merged and merged[-1].case_id == e.case_id:
            first = merged[-1]
            merged[-1] = dataclasses.replace(first, also=first.also + ((e.source, e.kind),))
        else:
            merged.append(e)
    return merged


# ---------------------------------------------------------------------------------------------
# one case
# ---------------------------------------------------------------------------------------------

@dataclass
class _CaseReader:
    root: Path
    limits: ReadLimits
    docs: list[SourceDoc]
    errors: list[InputError]
    files: list[str]
    seen: dict[str, str]  # sha256 -> first path with that content

    def error(self, code: str, path: str, **kwargs: object) -> None:
        self.errors.append(input_error(code, path, **kwargs))

    def label_of(self, path: Path, top: Path) -> str:
        """The reviewer-facing label of a path below the archive root (E118 if undecodable)."""
        label, ok = display_path(path.relative_to(top).as_posix())
        if not ok:
            self.error("E118", label)
        return label

    # -- files on disk -------------------------------------------------------------------
    def disk_file(self, path: Path, label: str) -> None:
        self.files.append(label)
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                self.error("E113", label)
                return
            if not _inside(target, self.root):
                self.error("E113", label)
                return
            if target.is_dir():
                self.error("E107", label)
                return
        try:
            st = path.stat()
        except PermissionError:
            self.error("E112", label)
            return
        except OSError as exc:
            self.error("E102", label, detail=type(exc).__name__)
            return
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            self.error("E107", label)
            return
        size = st.st_size
        if size == 0:
            self.error("E101", label)
            return
        if size > self.limits.max_file_bytes:
            self.error("E114", label, detail=f"{size} 字节 > 上限 {self.limits.max_file_bytes} 字节")
            return
        try:
            with path.open("rb") as fh:
                data = fh.read(self.limits.max_file_bytes + 1)
        except PermissionError:
            self.error("E112", label)
            return
        except OSError as exc:
            self.error("E102", label, detail=type(exc).__name__)
            return
        self.content(label, path.suffix.lower(), data, in_zip=False)

    # -- bytes of one file (on disk or in a zip) -----------------------------------------
    def content(self, label: str, ext: str, data: bytes, *, in_zip: bool) -> None:
        if not data:
            self.error("E101", label)
            return
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.seen:
            self.error("E115", label, other=self.seen[digest])
            return
        self.seen[digest] = label
        try:
            if ext in ZIP_EXTS and not in_zip:  # each member has its own time limit
                self.dispatch(label, ext, data, in_zip=in_zip)
            else:
                call_with_deadline(self.dispatch, label, ext, data, in_zip=in_zip,
                                   seconds=self.limits.doc_timeout_s)
        except DocumentTimeout:
            self.error("E136", label, seconds=f"{self.limits.doc_timeout_s:g}")
        except ReadError as exc:
            self.errors.append(InputError(path=label, code=exc.code, message=str(exc)))
        except MemoryError:
            raise
        except Exception as exc:  # a reader bug must not stop the archive
            self.error("E900", label, detail=f"{type(exc).__name__}: {exc}")

    def dispatch(self, label: str, ext: str, data: bytes, *, in_zip: bool) -> None:
        """Read one file's bytes by its extension (and magic bytes); ReadError for a bad one."""
        word = ext in DOCX_EXTS or ext in LEGACY_WORD_EXTS
        if word and data.startswith(ZIP_MAGIC):  # a .docx, or a .doc/.wps that is one inside
            pages, errs = read_docx_with_errors(data, label, self.limits)
            self.errors.extend(errs)
            self.add_file_docs(label, "docx", pages)
        elif word and (ext in LEGACY_WORD_EXTS or (data.startswith(OLE_MAGIC) and not is_encrypted_ooxml(data))):
            # legacy Word/WPS (or one renamed .docx): LibreOffice converts a copy in a temp folder
            from pipeline.read.legacy import convert, find_soffice

            if find_soffice() is None:
                self.error("E111", label)
                return
            pages, errs = read_docx_with_errors(convert(data, ext, "docx", label), label, self.limits)
            self.errors.extend(errs)
            self.add_file_docs(label, "docx", pages)
        elif ext in DOCX_EXTS:  # E105 (password) and the other package errors
            pages, errs = read_docx_with_errors(data, label, self.limits)
            self.errors.extend(errs)
            self.add_file_docs(label, "docx", pages)
        elif ext in PDF_EXTS:
            pages, errs = read_pdf(data, label, self.limits)
            if self.limits.ocr and any(e.code == "E106" for e in errs):
                from pipeline.read.ocr import ocr_missing_pdf_pages

                pages, errs = ocr_missing_pdf_pages(data, pages, errs, label)
            self.errors.extend(errs)
            self.add_file_docs(label, "pdf", pages)
        elif ext in OFD_EXTS:
            pages, errs = read_ofd(data, label, self.limits)
            self.errors.extend(errs)
            self.add_file_docs(label, "ofd", pages)
        elif ext in IMAGE_EXTS:
            self.image(label, data)
        elif ext in ZIP_EXTS:
            if in_zip:  # never unpacked: a zip in a zip is named, not silently skipped
                self.error("E132", label)
            else:
                self.zip_members(label, data)
        else:
            self.error("E107", label)

    def image(self, label: str, data: bytes) -> None:
        errs = check_image(data, label, self.limits)
        if self.limits.ocr and [e.code for e in errs] == ["E117"]:  # a readable image: OCR it
            from pipeline.read.ocr import ocr_image_file

            data, notes = downscale_for_ocr(data, label, self.limits)
            pages, errs = ocr_image_file(data, label)
            errs = notes + errs
            if pages:
                self.add_file_docs(label, "image", pages)
        self.errors.extend(errs)

    def zip_members(self, label: str, data: bytes) -> None:
        members, errs = read_zip(data, label, self.limits)
        self.errors.extend(errs)
        # members refused by read_zip (encrypted, bombs, links …) are listed too: every file counts
        self.files.extend(sorted({e.path for e in errs if e.path.startswith(label + "!/")}))
        for m in sorted(members, key=lambda m: m.name):
            mlabel = f"{label}!/{m.name}"
            self.files.append(mlabel)
            self.content(mlabel, PurePosixPath(m.name).suffix.lower(), m.data, in_zip=True)

    # -- typing and splitting --------------------------------------------------------------
    def add_file_docs(self, label: str, kind: str, pages: list[Page]) -> None:
        self.docs.extend(type_file(label, kind, pages))


def type_file(label: str, kind: str, pages: list[Page]) -> list[SourceDoc]:
    """Split one file's pages into documents at their titles (``split_file``) and type each one."""
    parts = split_file(pages)
    if len(parts) <= 1:
        title = parts[0][1] if parts else None
        doc_type, conf = classify("\n".join(p.text for p in pages), title)
        return [SourceDoc(doc_id=label, path=label, kind=kind, pages=tuple(pages), part=0,
                          title=title, doc_type=doc_type, type_confidence=conf)]
    docs: list[SourceDoc] = []
    for n, (part_pages, title) in enumerate(parts, start=1):
        doc_type, conf = classify("\n".join(p.text for p in part_pages), title)
        docs.append(SourceDoc(doc_id=f"{label}#{n}", path=label, kind=kind, pages=part_pages, part=n,
                              title=title, doc_type=doc_type, type_confidence=conf))
    return docs


def display_path(rel: str) -> tuple[str, bool]:
    """(label, ok): a '/'-separated path as the reviewer should see it.

    A component holding lone surrogates (bytes that were not UTF-8, kept by the file system
    encoding's ``surrogateescape``) is decoded from those bytes as GBK; when that fails too it
    is shown with ``\\xNN`` escapes and ``ok`` is False. Valid names are returned unchanged.
    """
    try:
        rel.encode("utf-8")
        return rel, True
    except UnicodeEncodeError:
        pass
    ok = True
    parts = []
    for part in rel.split("/"):
        try:
            part.encode("utf-8")
            parts.append(part)
            continue
        except UnicodeEncodeError:
            pass
        raw = part.encode("utf-8", "surrogateescape")
        try:
            parts.append(raw.decode("gbk"))
        except UnicodeDecodeError:
            parts.append(raw.decode("utf-8", "backslashreplace"))
            ok = False
    return "/".join(parts), ok


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def walk(folder: Path, unlistable: list[Path]) -> Iterator[Path]:
    """Every entry below ``folder`` that is not a real directory, in a stable order.

    Folders that cannot be listed are appended to ``unlistable``.
    """
    def onerror(exc: OSError) -> None:
        unlistable.append(Path(exc.filename) if exc.filename else folder)

    for dirpath, dirnames, filenames in os.walk(folder, onerror=onerror, followlinks=False):
        d = Path(dirpath)
        links = [n for n in dirnames if (d / n).is_symlink()]
        dirnames[:] = sorted(n for n in dirnames if n not in links)
        for name in sorted(filenames + links):
            yield d / name


def read_case(root: Path, entry: CaseEntry, *, limits: ReadLimits = ReadLimits()) -> CaseInput:
    """Read and type every file of one case. Never raises for a bad file: errors are recorded."""
    root = Path(root)
    real_root = root.resolve()
    reader = _CaseReader(root=real_root, limits=limits, docs=[], errors=[], files=[], seen={})
    for src, kind in entry.sources():
        top = root / src
        if kind == "folder":
            unlistable: list[Path] = []
            inner: dict[str, int] = {}  # first-level sub-folder -> files read from it
            for path in walk(top, unlistable):
                reader.disk_file(path, reader.label_of(path, root))
                rel = path.relative_to(top).parts
                if len(rel) > 1:
                    inner[rel[0]] = inner.get(rel[0], 0) + 1
            for name in sorted(inner):  # read as part of the case, and said so (E133)
                folder = display_path(name)[0]
                reader.error("E133", display_path((top / name).relative_to(root).as_posix())[0],
                             folder=folder, count=inner[name])
            for path in unlistable:
                label = reader.label_of(path, root)
                reader.files.append(label)
                reader.error("E112", label)
        else:
            reader.disk_file(top, reader.label_of(top, root))
    source = display_path(entry.source)[0]
    if entry.also:
        reader.error("E124", source, case=entry.case_id,
                     places="、".join(display_path(s)[0] for s, _ in entry.sources()))
    if not reader.files:
        reader.error("E123", source)
    return CaseInput(case_id=entry.case_id, source=source, docs=tuple(reader.docs),
                     errors=tuple(reader.errors), files=tuple(reader.files))


def read_archive(root: Path, *, limits: ReadLimits = ReadLimits()) -> Iterator[CaseInput]:
    """Read every case of the archive, in case-id order."""
    for entry in list_cases(Path(root)):
        yield read_case(Path(root), entry, limits=limits)


__all__ = ["CaseEntry", "CASE_KINDS", "display_path", "find_register", "list_cases", "read_case", "read_archive",
           "type_file"]
