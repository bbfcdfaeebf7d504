"""Fuzzing (hypothesis, bounded): random and mutated bytes into the readers, random text into the
normalisers and the field extractor. Readers return or raise ReadError (a coded error for the
case's ``errors``), never anything else; normalisers and the extractor always return.

Bounded: few examples per test, no deadline per example, the whole file well under a minute.
A failure prints the minimal input (hypothesis shrinks it); add it to ``@example`` to keep it.
"""
from __future__ import annotations

import functools
import io
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.core.errors import AnjuanError, ReadError
from pipeline.read.readers import ReadLimits, check_image, read_docx, read_pdf, read_zip

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LIMITS = ReadLimits(max_pages=20, max_zip_bytes=8 * 1024 * 1024, max_xml_bytes=2 * 1024 * 1024)


@functools.cache
def _seeds() -> dict[str, bytes]:
    from tests.hostile import combined_docx, decision_pdf, filing_docx, make_png, zip_of

    docx = filing_docx()
    return {"docx": docx, "docx2": combined_docx(), "pdf": decision_pdf(), "png": make_png(),
            "zip": zip_of([("A/立案.docx", docx), ("A/说明.txt", "说明".encode())])}


def _mutate(data: bytes, draw) -> bytes:
    """Flip, delete, insert or truncate a few spots of ``data``."""
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        if not buf:
            break
        op = draw(st.sampled_from(("flip", "delete", "insert", "truncate", "zero_run")))
        pos = draw(st.integers(0, len(buf) - 1))
        if op == "flip":
            buf[pos] ^= draw(st.integers(1, 255))
        elif op == "delete":
            del buf[pos:pos + draw(st.integers(1, 64))]
        elif op == "insert":
            buf[pos:pos] = draw(st.binary(min_size=1, max_size=32))
        elif op == "truncate":
            del buf[pos:]
        else:
            buf[pos:pos + 16] = b"\0" * 16
    return bytes(buf)


def _reader_ok(call) -> None:
    try:
        call()
    except ReadError as exc:
        assert exc.code.startswith("E1") and str(exc).startswith(f"[{exc.code}] ")


# --- readers: random bytes ------------------------------------------------------------------------

@FUZZ
@given(st.binary(max_size=2048))
@example(b"")
@example(b"PK\x03\x04")
@example(b"%PDF-1.4\n%%EOF")
@example(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
def test_fuzz_readers_random_bytes(data: bytes) -> None:
    _reader_ok(lambda: read_docx(data, "x.docx", LIMITS))
    _reader_ok(lambda: read_pdf(data, "x.pdf", LIMITS))
    _reader_ok(lambda: read_zip(data, "x.zip", LIMITS))
    errs = check_image(data, "x.png", LIMITS)  # never raises: an error entry per image
    assert errs and all(e.code.startswith("E1") for e in errs)


# --- readers: mutated valid files ------------------------------------------------------------------

@FUZZ
@given(st.sampled_from(("docx", "docx2")), st.data())
def test_fuzz_read_docx_mutated(seed: str, data: st.DataObject) -> None:
    blob = _mutate(_seeds()[seed], data.draw)
    _reader_ok(lambda: read_docx(blob, "x.docx", LIMITS))


@FUZZ
@given(st.data())
def test_fuzz_read_pdf_mutated(data: st.DataObject) -> None:
    blob = _mutate(_seeds()["pdf"], data.draw)
    _reader_ok(lambda: read_pdf(blob, "x.pdf", LIMITS))


@FUZZ
@given(st.data())
def test_fuzz_read_zip_mutated(data: st.DataObject) -> None:
    blob = _mutate(_seeds()["zip"], data.draw)
    _reader_ok(lambda: read_zip(blob, "x.zip", LIMITS))
    assert check_image(_mutate(_seeds()["png"], data.draw), "x.png", LIMITS)


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.text(min_size=1, max_size=20), st.binary(max_size=200)), max_size=6,
                unique_by=lambda m: m[0]))
def test_fuzz_read_zip_member_names(members: list[tuple[str, bytes]]) -> None:
    """Arbitrary member names (``..``, absolute, drive letters, control characters)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, payload in members:
            try:
                zf.writestr(name, payload)
            except (ValueError, UnicodeEncodeError):
                continue
    got, errors = read_zip(buf.getvalue(), "x.zip", LIMITS)
    for m in got:
        assert not m.name.startswith("/") and ".." not in m.name.split("/")


# --- the register -----------------------------------------------------------------------------------

@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from((".csv", ".xlsx")), st.binary(max_size=1024) | st.text(max_size=300).map(
    lambda t: ("案件编号,当事人,立案日期\n" + t).encode("utf-8")))
def test_fuzz_read_register(suffix: str, data: bytes) -> None:
    import tempfile

    from pipeline.read.register import read_register

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"台账{suffix}"
        path.write_bytes(data)
        try:
            rows, errors = read_register(path)
        except AnjuanError as exc:
            assert exc.code.startswith("E1")
            return
        assert isinstance(rows, list) and all(e.code.startswith("E1") for e in errors)


# --- normalisers and the extractor ---------------------------------------------------------------

_CN = st.text(alphabet="零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟元角分整年月日号时第条款项"
                       "（）()《》0123456789.,，、 -至", max_size=40)
_TEXT = _CN | st.text(max_size=200)


@settings(max_examples=120, deadline=None, derandomize=True)
@given(_TEXT)
@example("二〇二四年十三月三十二日")
@example("人民币壹仟零伍拾元整" * 3)
@example("《》第条第款第（）项")
def test_fuzz_normalisers_always_return(text: str) -> None:
    from extractors.normalise.citations import find_citations
    from extractors.normalise.dates import find_dates
    from extractors.normalise.money import find_amounts
    from extractors.normalise.numerals import cn_to_int

    assert isinstance(find_dates(text), list)
    assert isinstance(find_amounts(text), list)
    assert isinstance(find_citations(text), list)
    value = cn_to_int(text)
    assert value is None or isinstance(value, int)


@functools.cache
def _nlp():
    from extractors.nlp import build_nlp

    return build_nlp()


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(("decision", "filing_approval", "inquiry_record", "service_receipt", "prior_notice",
                        "other")),
       st.lists(_TEXT | st.sampled_from(("当事人：张三", "罚款人民币贰佰元整", "2024年3月5日",
                                          "依据《上海市市容环境卫生管理条例》第二十五条", "送达方式：直接送达")),
                max_size=8))
def test_fuzz_extract_document_always_returns(doc_type: str, lines: list[str]) -> None:
    from extractors.fields import extract_document
    from pipeline.core.models import Page, SourceDoc

    text = "\n".join(lines)
    doc = SourceDoc(doc_id="x.docx", path="x.docx", kind="docx", pages=(Page(1, text, "docx"),),
                    doc_type=doc_type, title=None)
    df = extract_document(doc, _nlp(), debug=True)
    for f in df.fields:
        assert f.span is None or 0 <= f.span.start <= f.span.end <= len(text) + 1
