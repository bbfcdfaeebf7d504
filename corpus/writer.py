"""Write a generated corpus to disk: the archive a reviewer would hand in, plus its truth.

Layout written by :func:`write_corpus`::

    OUT/archive/<case_id>/<file.name>      container "folder"
    OUT/archive/<case_id>.pdf | .docx      container "combined_pdf" / "combined_docx"
    OUT/archive/<case_id>.zip              container "zip" (members "<case_id>/<file.name>")
    OUT/archive/台账.xlsx                   the case register
    OUT/truth.jsonl                        one line per case, in case order

Everything is deterministic: the same specs give byte-identical files.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import multiprocessing
import shutil
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from corpus.render import (
    AUTHOR,
    FIXED_DATETIME,
    fixed_zipinfo,
    render_docx,
    render_pdf_counted,
    repack_zip,
)
from corpus.spec import CaseSpec, FileSpec
from pipeline.core.models import dumps

__all__ = ["write_case", "write_register", "write_corpus", "render_file", "REGISTER_NAME"]

REGISTER_NAME = "台账.xlsx"
CONTAINERS = ("folder", "combined_pdf", "combined_docx", "zip")
FORMATS = ("docx", "pdf")

# Characters Windows refuses in file names, and its reserved device names.
_BAD_CHARS = set('<>:"|?*\\') | {chr(i) for i in range(32)} | {"\x7f"}
_RESERVED = ({"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(1, 10)}
             | {f"LPT{i}" for i in range(1, 10)})


def _safe_parts(name: str, what: str) -> tuple[str, ...]:
    """Split a relative ``/``-separated name, refusing anything that could leave its folder."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"{what}: empty name")
    if name.startswith("/") or PurePosixPath(name).is_absolute():
        raise ValueError(f"{what}: absolute path refused: {name!r}")
    parts = tuple(name.split("/"))
    for part in parts:
        if part in ("", ".", ".."):
            raise ValueError(f"{what}: path component {part!r} refused in {name!r}")
        if _BAD_CHARS & set(part):
            raise ValueError(f"{what}: character not allowed in a file name: {name!r}")
        if part != part.rstrip(" ."):
            raise ValueError(f"{what}: a name may not end with a space or dot: {name!r}")
        if part.split(".")[0].upper() in _RESERVED:
            raise ValueError(f"{what}: reserved device name refused: {name!r}")
    return parts


def _inside(root: Path, parts: Sequence[str]) -> Path:
    target = root.joinpath(*parts)
    resolved_root = root.resolve()
    resolved = target.resolve()
    if resolved != resolved_root and resolved_root not in resolved.parents:
        raise ValueError(f"refusing to write outside {root}: {target}")
    return target


def render_file(file: FileSpec, scan_key: str | None = None) -> tuple[bytes, int]:
    """Bytes of one FileSpec and its PDF page count (0 for DOCX).

    With ``scan_key`` a PDF file is rendered as an image-only scan (skewed, stamped, JPEG pages;
    corpus/scan.py) seeded by the key, so the same case always gives the same bytes.
    """
    if file.fmt == "docx":
        return render_docx(file.docs), 0
    if file.fmt == "pdf" and scan_key is not None:
        import random

        from corpus.scan import scan_document, scanned_pdf

        images = scan_document(file.docs, random.Random(scan_key))
        return scanned_pdf(images), len(images)
    if file.fmt == "pdf":
        return render_pdf_counted(file.docs)
    raise ValueError(f"FileSpec {file.name!r}: fmt must be one of {FORMATS}, not {file.fmt!r}")


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _check_unique(spec: CaseSpec) -> None:
    seen: set[str] = set()
    for file in spec.files:
        key = file.name.casefold()  # two names differing only by case collide on Windows/macOS
        if key in seen:
            raise ValueError(f"case {spec.case_id}: duplicate file name {file.name!r}")
        seen.add(key)


def _write_case(spec: CaseSpec, archive_dir: Path) -> tuple[list[str], int]:
    if "/" in spec.case_id:
        raise ValueError(f"case id may not contain '/': {spec.case_id!r}")
    _safe_parts(spec.case_id, "case id")
    for file in spec.files:
        _safe_parts(file.name, f"case {spec.case_id}")
    _check_unique(spec)
    archive_dir = Path(archive_dir)
    archive_dir.mkdir(parents=True, exist_ok=True)
    container = spec.container
    pages = 0
    written: list[str] = []
    scanned = bool(spec.truth.get("scanned")) if spec.truth else False

    def key(file: FileSpec) -> str | None:
        return f"{spec.case_id}/{file.name}" if scanned else None

    if container == "folder":
        for file in spec.files:
            data, n = render_file(file, key(file))
            pages += n
            rel = f"{spec.case_id}/{file.name}"
            _write_bytes(_inside(archive_dir, rel.split("/")), data)
            written.append(rel)
    elif container in ("combined_pdf", "combined_docx"):
        fmt = container.split("_", 1)[1]
        if len(spec.files) != 1:
            raise ValueError(f"case {spec.case_id}: {container} needs exactly one FileSpec, "
                             f"got {len(spec.files)}")
        file = spec.files[0]
        if file.fmt != fmt:
            raise ValueError(f"case {spec.case_id}: {container} needs a {fmt} FileSpec, not {file.fmt}")
        data, pages = render_file(file, key(file))
        rel = f"{spec.case_id}.{fmt}"
        _write_bytes(_inside(archive_dir, [rel]), data)
        written.append(rel)
    elif container == "zip":
        members: dict[str, bytes] = {}
        for file in spec.files:
            data, n = render_file(file, key(file))
            pages += n
            members[f"{spec.case_id}/{file.name}"] = data
        rel = f"{spec.case_id}.zip"
        _write_bytes(_inside(archive_dir, [rel]), _zip_bytes(members))
        written.append(rel)
    else:
        raise ValueError(f"case {spec.case_id}: container must be one of {CONTAINERS}, "
                         f"not {container!r}")
    return sorted(written), pages


def _zip_bytes(members: Mapping[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name in sorted(members):
            zf.writestr(fixed_zipinfo(name), members[name], compress_type=zipfile.ZIP_DEFLATED,
                        compresslevel=6)
    return out.getvalue()


def write_case(spec: CaseSpec, archive_dir: Path) -> list[str]:
    """Write one case into ``archive_dir``; return the archive-relative paths written, sorted."""
    return _write_case(spec, Path(archive_dir))[0]


# --- the register -------------------------------------------------------------------------------


def _columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    columns: list[str] = []
    seen: set[str] = set()
    for row in rows:
        for key in row:
            if key not in seen:
                seen.add(key)
                columns.append(key)
    return columns


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _display_width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def write_register(rows: Sequence[Mapping[str, Any]], path: Path) -> None:
    """Write the case register: ``.xlsx`` (openpyxl) or, for a ``.csv`` path, UTF-8 CSV with BOM.

    Columns: the first row's keys in order, then keys first seen in later rows. ``True``/``False``
    are written as 是/否, ``None`` as an empty cell.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = _columns(rows)
    if path.suffix.lower() == ".csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if _cell(row.get(c)) is None else _cell(row.get(c)) for c in columns])
        path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))
        return
    path.write_bytes(_register_xlsx(rows, columns))


def _register_xlsx(rows: Sequence[Mapping[str, Any]], columns: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "案件台账"
    ws.append(columns)
    for row in rows:
        ws.append([_cell(row.get(c)) for c in columns])
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for i, column in enumerate(columns, start=1):
        widest = max([_display_width(column)] + [_display_width(_cell(r.get(column))) for r in rows])
        ws.column_dimensions[get_column_letter(i)].width = min(max(widest + 2, 8), 50)
    for i, row in enumerate(rows, start=2):
        for j, column in enumerate(columns, start=1):
            value = row.get(column)
            if isinstance(value, (date, datetime)):
                ws.cell(row=i, column=j).number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    props = wb.properties
    props.creator = AUTHOR
    props.lastModifiedBy = AUTHOR
    props.created = FIXED_DATETIME
    props.modified = FIXED_DATETIME
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl stamps the save time into docProps/core.xml: replace it with fixed properties.
    return repack_zip(buf.getvalue(), replace={"docProps/core.xml": _CORE_XML})


_CORE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    f"<dc:creator>{AUTHOR}</dc:creator><cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy>"
    "<cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:modified>'
    "</cp:coreProperties>"
).encode()


# --- the whole corpus ---------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Truth values as JSON-ready data (mappings, sequences, dataclasses, dates)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _write_case_job(args: tuple[CaseSpec, str]) -> tuple[list[str], int]:
    spec, archive = args
    return _write_case(spec, Path(archive))


def write_corpus(cases: Sequence[CaseSpec], register_rows: Sequence[Mapping[str, Any]],
                 out_dir: Path, *, overwrite: bool = False, workers: int = 1) -> dict:
    """Write ``out_dir/archive/…`` (cases and 台账.xlsx) and ``out_dir/truth.jsonl``.

    Returns ``{"cases": n, "files": [archive-relative paths, sorted], "pages": total PDF pages,
    "bytes": total bytes of the archive files}``. An existing non-empty ``out_dir/archive`` is
    refused unless ``overwrite`` (then it and ``truth.jsonl`` are removed first). ``workers`` > 1
    renders cases in that many spawned processes; the files are the same bytes either way.
    """
    out_dir = Path(out_dir)
    archive = out_dir / "archive"
    truth_path = out_dir / "truth.jsonl"
    if archive.exists() and any(archive.iterdir()):
        if not overwrite:
            raise FileExistsError(f"{archive} is not empty; pass overwrite=True to replace it")
        shutil.rmtree(archive)
    if overwrite and truth_path.exists():
        truth_path.unlink()
    duplicates = sorted(i for i, n in Counter(c.case_id for c in cases).items() if n > 1)
    if duplicates:
        raise ValueError(f"duplicate case ids: {duplicates}")
    archive.mkdir(parents=True, exist_ok=True)
    files: list[str] = []
    pages = 0
    if workers > 1 and len(cases) > 1:
        # truth stays here: only what is rendered crosses the process boundary
        jobs = [(CaseSpec(c.case_id, c.container, c.files, {}), str(archive)) for c in cases]
        context = multiprocessing.get_context("spawn")  # the same on Windows, macOS and Linux
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = list(pool.map(_write_case_job, jobs, chunksize=4))
    else:
        results = [_write_case(spec, archive) for spec in cases]
    for written, n in results:
        files.extend(written)
        pages += n
    write_register(register_rows, archive / REGISTER_NAME)
    files.append(REGISTER_NAME)
    with truth_path.open("w", encoding="utf-8", newline="\n") as fh:
        for spec in cases:
            fh.write(dumps(_plain(spec.truth)) + "\n")
    files.sort()
    total = sum((archive / f).stat().st_size for f in files)
    return {"cases": len(cases), "files": files, "pages": pages, "bytes": total}
