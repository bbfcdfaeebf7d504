"""Issue 14 §4: odd files each get read or get their own code — never a fake case, never silence.

Every input is built here by code (tests/hostile.py builders); expected values are written out
by hand from what each input holds.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.read.archive import find_register, list_cases, read_case
from pipeline.read.readers import ReadLimits, downscale_for_ocr
from pipeline.read.register import read_register
from tests.hostile import (
    decision_docx,
    encrypted_zip,
    has_soffice,
    inquiry_docx,
    make_ofd,
    make_xls,
    service_docx,
    zip_of,
)

NO_OCR = ReadLimits(ocr=False)


def _codes(case) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in case.errors:
        out.setdefault(e.path, set()).add(e.code)
    return out


def _read(root: Path, name: str, limits: ReadLimits = NO_OCR):
    entry = next(e for e in list_cases(root) if e.source == name)
    return read_case(root, entry, limits=limits)


# --- registers: a title row, two-level merged headers, .xls ------------------------------------------

REGISTER_SINGLE = ["案件编号", "中队", "当事人", "案由", "程序", "立案日期", "办结日期", "办结状态", "罚款金额（元）",
                   "重大法核", "视音频", "来源", "投诉次数"]
# the same columns under a title row and group labels merged over two header rows
TOP = ["案件编号", "中队", "当事人", "案由", "程序", "立案", "办结", None, "罚款金额（元）", "审核与记录", None, "来源",
       "投诉次数"]
BOTTOM = [None, None, None, None, None, "日期", "日期", "状态", None, "重大法核", "视音频", None, None]
VERTICAL = [0, 1, 2, 3, 4, 8, 11, 12]  # columns whose label spans both header rows
GROUPS = [(6, 7), (9, 10)]


def _rows(n: int = 14) -> list[list]:
    return [[f"24060{i:02d}", ("夏阳中队", "朱家角中队", "金泽中队")[i % 3], f"当事人{i}", "占道设摊", "一般",
             dt.datetime(2024, 5, 2 + i), dt.datetime(2024, 6, 3 + i), "已结案", 200 * (i + 1),
             "是" if i % 3 == 0 else "否", "有" if i % 2 else "无", "巡查", i % 4] for i in range(n)]


def _two_level_xlsx(path: Path, rows: list[list]) -> Path:
    import openpyxl
    from openpyxl.utils import get_column_letter as col

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["青浦区城管执法局2024年6月案件台账"])
    ws.merge_cells(f"A1:{col(len(TOP))}1")
    ws.append(TOP)
    ws.append(BOTTOM)
    for c in VERTICAL:
        ws.merge_cells(f"{col(c + 1)}2:{col(c + 1)}3")
    for a, b in GROUPS:
        ws.merge_cells(f"{col(a + 1)}2:{col(b + 1)}2")
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _single_xlsx(path: Path, rows: list[list]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(REGISTER_SINGLE)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_odd_files_two_level_merged_header_keeps_every_column(tmp_path: Path) -> None:
    rows, errors = read_register(_two_level_xlsx(tmp_path / "台账.xlsx", _rows()))
    assert errors == []
    assert len(rows) == 14 and rows[0].row == 4  # title row and two header rows skipped
    assert dict(rows[0].values) == {
        "case_number": "2406000", "squad": "夏阳中队", "party": "当事人0", "cause": "占道设摊", "procedure": "general",
        "filing_date": "2024-05-02", "closing_date": "2024-06-03", "status": "已结案", "fine_yuan": 200,
        "major_review": True, "av_record": False, "source": "巡查", "complaint_count": 0}
    single, _ = read_register(_single_xlsx(tmp_path / "single.xlsx", _rows()))
    assert [dict(r.values) for r in rows] == [dict(r.values) for r in single]


def test_odd_files_two_level_register_plan_draws_the_same_cases(tmp_path: Path) -> None:
    from pipeline.run.month import make_plan

    two = make_plan(_two_level_xlsx(tmp_path / "台账.xlsx", _rows()), "2024-07", seed=3,
                    out_dir=tmp_path / "p2", db_path=None)
    one = make_plan(_single_xlsx(tmp_path / "single.xlsx", _rows()), "2024-07", seed=3,
                    out_dir=tmp_path / "p1", db_path=None)
    drawn = [i.case_number for i in one.plan.items]
    assert drawn and [i.case_number for i in two.plan.items] == drawn


def test_odd_files_xls_register_is_read_and_is_not_a_case(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    header_rows = [["2024年6月案件台账"], TOP, BOTTOM]
    merges = [(0, 0, 0, len(TOP) - 1)] + [(1, 2, c, c) for c in VERTICAL] + [(1, 1, a, b) for a, b in GROUPS]
    (root / "台账.xls").write_bytes(make_xls(header_rows + _rows(3), merges))
    (root / "2406001").mkdir()
    (root / "2406001" / "询问.docx").write_bytes(inquiry_docx())
    assert [e.case_id for e in list_cases(root)] == ["2406001"]  # never a fake case
    assert find_register(root) == root / "台账.xls"
    rows, errors = read_register(root / "台账.xls")
    assert errors == []
    assert [r.values["case_number"] for r in rows] == ["2406000", "2406001", "2406002"]
    assert rows[1].values["filing_date"] == "2024-05-03" and rows[1].values["closing_date"] == "2024-06-04"
    assert rows[1].values["major_review"] is False and rows[1].values["av_record"] is True


def test_odd_files_xls_that_is_really_html_needs_libreoffice(tmp_path: Path, monkeypatch) -> None:
    # case systems often save an HTML table as .xls; xlrd refuses it
    html = ("<html><body><table><tr><td>案件编号</td><td>当事人</td></tr>"
            "<tr><td>2406001</td><td>张三</td></tr></table></body></html>").encode()
    p = tmp_path / "台账.xls"
    p.write_bytes(html)
    if has_soffice():
        rows, errors = read_register(p)
        assert errors == [] and [r.values["case_number"] for r in rows] == ["2406001"]
    import pipeline.read.legacy as legacy

    monkeypatch.setattr(legacy, "find_soffice", lambda: None)
    rows, errors = read_register(p)
    assert rows == [] and [e.code for e in errors] == ["E119"]
    assert "libreoffice" in errors[0].message.lower()


# --- zips and folders ------------------------------------------------------------------------------

def test_odd_files_password_zip_has_its_own_code_and_the_real_member_name(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    (root / "2406002.zip").write_bytes(encrypted_zip([("2406002/决定书.docx", decision_docx()),
                                                       ("2406002/送达回证.docx", service_docx())]))
    case = _read(root, "2406002.zip")
    assert _codes(case) == {"2406002.zip!/2406002/决定书.docx": {"E131"},
                            "2406002.zip!/2406002/送达回证.docx": {"E131"}}
    assert "密码" in case.errors[0].message and "╛" not in case.errors[0].message
    assert set(case.files) == {"2406002.zip", "2406002.zip!/2406002/决定书.docx", "2406002.zip!/2406002/送达回证.docx"}


def test_odd_files_zip_inside_a_zip_is_named(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    (root / "2406003.zip").write_bytes(zip_of([("2406003/询问笔录.docx", inquiry_docx()),
                                               ("2406003/附件.zip", zip_of([("送达回证.docx", service_docx())]))]))
    case = _read(root, "2406003.zip")
    assert [d.doc_type for d in case.docs] == ["inquiry_record"]
    assert _codes(case) == {"2406003.zip!/2406003/附件.zip": {"E132"}}
    assert "内层压缩包" in case.errors[0].message


def test_odd_files_folder_inside_a_case_folder_is_read_and_named(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    (root / "2406004" / "2406005").mkdir(parents=True)
    (root / "2406004" / "询问.docx").write_bytes(inquiry_docx())
    (root / "2406004" / "2406005" / "决定书.docx").write_bytes(decision_docx())
    (root / "2406004" / "2406005" / "送达.docx").write_bytes(service_docx())
    case = _read(root, "2406004")
    assert sorted(d.doc_type for d in case.docs) == ["decision", "inquiry_record", "service_receipt"]
    assert _codes(case) == {"2406004/2406005": {"E133"}}
    assert "“2406005”" in case.errors[0].message and "2 个文件" in case.errors[0].message


# --- OFD --------------------------------------------------------------------------------------------

def test_odd_files_ofd_text_layer_read_in_reading_order(tmp_path: Path) -> None:
    from pipeline.read.ofd import read_ofd

    pages, errors = read_ofd(make_ofd([["行政处罚决定书", "沪青城管罚字〔2024〕第77号", "当事人：王五"],
                                       ["送达回证", "受送达人：王五"]]), "x.ofd")
    assert [p.text for p in pages] == ["行政处罚决定书\n沪青城管罚字〔2024〕第77号\n当事人：王五",
                                       "送达回证\n受送达人：王五"]
    assert errors == [] and {p.source for p in pages} == {"pdf_text"}


def test_odd_files_ofd_in_an_archive_is_typed(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    (root / "2406006").mkdir(parents=True)
    ofd = make_ofd([["行政处罚决定书", "当事人：王五"], ["送达回证", "受送达人：王五"]])
    (root / "2406006" / "电子文书.ofd").write_bytes(ofd)
    case = _read(root, "2406006")
    assert [(d.doc_id, d.doc_type, d.text_source) for d in case.docs] == [
        ("2406006/电子文书.ofd#1", "decision", "pdf_text"), ("2406006/电子文书.ofd#2", "service_receipt", "pdf_text")]
    assert case.errors == ()


@pytest.mark.parametrize("data, code", [
    (b"PK\x03\x04 not really", "E134"),
    (zip_of([("Doc_0/Document.xml", b"<x/>")]), "E134"),  # no OFD.xml
    (zip_of([("OFD.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>')]), "E122"),
])
def test_odd_files_bad_ofd_is_coded(data: bytes, code: str) -> None:
    from pipeline.core.errors import ReadError
    from pipeline.read.ofd import read_ofd

    with pytest.raises(ReadError) as err:
        read_ofd(data, "x.ofd")
    assert err.value.code == code


# --- legacy .doc / .wps through LibreOffice ------------------------------------------------------------

def _legacy_doc(tmp_path: Path) -> bytes:
    from pipeline.read.legacy import convert

    return convert(decision_docx(), ".docx", "doc", "make.docx")


@pytest.mark.skipif(not has_soffice(), reason="LibreOffice is not installed")
@pytest.mark.parametrize("name", ["决定书.doc", "决定书.wps"])
def test_odd_files_legacy_word_read_through_libreoffice(tmp_path: Path, name: str) -> None:
    data = _legacy_doc(tmp_path)
    assert data.startswith(b"\xd0\xcf\x11\xe0")  # a real OLE .doc
    root = tmp_path / "archive"
    (root / "2406007").mkdir(parents=True)
    (root / "2406007" / name).write_bytes(data)
    before = sorted(p.name for p in (root / "2406007").iterdir())
    digest = hashlib.sha256(data).hexdigest()
    case = _read(root, "2406007")
    assert [(d.doc_type, d.text_source) for d in case.docs] == [("decision", "docx")]
    assert "沪青城管罚字〔2024〕第123号" in case.docs[0].text
    assert case.errors == ()
    # never written next to the original, the original unchanged
    assert sorted(p.name for p in (root / "2406007").iterdir()) == before
    assert hashlib.sha256((root / "2406007" / name).read_bytes()).hexdigest() == digest


def test_odd_files_legacy_word_without_libreoffice_names_the_install_command(tmp_path: Path, monkeypatch) -> None:
    import pipeline.read.legacy as legacy

    monkeypatch.setattr(legacy, "find_soffice", lambda: None)
    root = tmp_path / "archive"
    (root / "2406008").mkdir(parents=True)
    (root / "2406008" / "旧版.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    case = _read(root, "2406008")
    assert _codes(case) == {"2406008/旧版.doc": {"E111"}}
    assert "sudo apt-get install -y libreoffice-writer" in case.errors[0].message
    assert "Windows" in case.errors[0].message


def test_odd_files_conversion_runs_in_a_temp_folder_with_a_time_limit(monkeypatch) -> None:
    import subprocess

    import pipeline.read.legacy as legacy
    from pipeline.core.errors import ReadError

    seen = {}

    def fake_run(cmd, **kw):
        seen["cmd"], seen["timeout"] = cmd, kw.get("timeout")
        raise subprocess.TimeoutExpired(cmd, kw.get("timeout"))

    monkeypatch.setattr(legacy, "find_soffice", lambda: "/opt/lo/soffice")
    monkeypatch.setattr(subprocess, "run", fake_run)
    with pytest.raises(ReadError) as err:
        legacy.convert(b"x", ".doc", "docx", "a/旧版.doc", timeout=7)
    assert err.value.code == "E130" and "7 秒" in str(err.value)
    src = Path(seen["cmd"][-1])
    assert src.name == "in.doc" and src.parent.name.startswith("anjuan-lo-") and not src.parent.exists()
    assert any(a.startswith("-env:UserInstallation=file://") for a in seen["cmd"]) and seen["timeout"] == 7


# --- a huge image is downscaled before OCR ------------------------------------------------------------

def _jpeg(w: int, h: int) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (w, h), "white").save(buf, format="JPEG", dpi=(600, 600))
    return buf.getvalue()


def test_odd_files_huge_image_is_downscaled_with_a_notice() -> None:
    from PIL import Image

    limits = ReadLimits(ocr_max_pixels=1_000_000)
    small, notes = downscale_for_ocr(_jpeg(2400, 1800), "a.jpg", limits)  # 4.32 MP
    img = Image.open(io.BytesIO(small))
    assert img.width * img.height <= 1_000_000 and abs(img.width / img.height - 4 / 3) < 0.01
    assert round(img.info["dpi"][0]) == round(600 * img.width / 2400)  # resolution kept honest
    assert [n.code for n in notes] == ["E135"] and "2400×1800" in notes[0].message
    same, none = downscale_for_ocr(_jpeg(800, 600), "b.jpg", limits)
    assert none == [] and Image.open(io.BytesIO(same)).size == (800, 600)


def test_odd_files_archive_hands_ocr_the_downscaled_image(tmp_path: Path, monkeypatch) -> None:
    from PIL import Image

    import pipeline.read.ocr as ocr

    got = {}

    def fake_ocr(data: bytes, path: str):
        got["size"] = Image.open(io.BytesIO(data)).size
        return [], []

    monkeypatch.setattr(ocr, "ocr_image_file", fake_ocr)
    root = tmp_path / "archive"
    root.mkdir()
    (root / "2406009.jpg").write_bytes(_jpeg(2400, 1800))
    case = _read(root, "2406009.jpg", ReadLimits(ocr_max_pixels=1_000_000))
    assert got["size"][0] * got["size"][1] <= 1_000_000
    assert _codes(case) == {"2406009.jpg": {"E135"}}



# --- a per-document time limit, and one bad document costs only itself --------------------------------

def test_odd_files_deadline_stops_a_stuck_loop_and_leaves_no_pending_exception() -> None:
    import time

    from pipeline.read.deadline import DocumentTimeout, call_with_deadline

    def stuck() -> None:
        while True:
            pass

    t = time.monotonic()
    with pytest.raises(DocumentTimeout):
        call_with_deadline(stuck, seconds=0.3)
    assert time.monotonic() - t < 5
    assert call_with_deadline(lambda x: x * 2, 21, seconds=0.3) == 42
    time.sleep(0.5)  # a cancelled watchdog never fires later
    assert call_with_deadline(sum, [1, 2], seconds=None) == 3


def test_odd_files_deadline_works_off_the_main_thread() -> None:
    import concurrent.futures as cf

    from pipeline.read.deadline import guarded

    def stuck() -> int:
        while True:
            pass

    with cf.ThreadPoolExecutor(1) as pool:
        result, err = pool.submit(guarded, stuck, label="a/卡住.pdf", seconds=0.3).result(timeout=10)
    assert result is None and err is not None and err.code == "E136" and err.path == "a/卡住.pdf"
    assert "ANJUAN_DOC_TIMEOUT" in err.message and "0.3 秒" in err.message


def test_odd_files_a_stuck_file_becomes_e136_and_the_case_keeps_the_others(tmp_path: Path, monkeypatch) -> None:
    import pipeline.read.archive as archive

    real = archive.read_docx_with_errors

    def slow_for_one(data, label, limits):
        if label.endswith("卡住.docx"):
            while True:
                pass
        return real(data, label, limits)

    monkeypatch.setattr(archive, "read_docx_with_errors", slow_for_one)
    root = tmp_path / "archive"
    (root / "2406010").mkdir(parents=True)
    (root / "2406010" / "询问.docx").write_bytes(inquiry_docx())
    (root / "2406010" / "卡住.docx").write_bytes(decision_docx())
    case = _read(root, "2406010", ReadLimits(ocr=False, doc_timeout_s=0.5))
    assert [d.doc_type for d in case.docs] == ["inquiry_record"]
    assert _codes(case) == {"2406010/卡住.docx": {"E136"}}


def test_odd_files_env_sets_the_default_time_limit(monkeypatch) -> None:
    monkeypatch.setenv("ANJUAN_DOC_TIMEOUT", "12")
    assert ReadLimits().doc_timeout_s == 12.0
    monkeypatch.setenv("ANJUAN_DOC_TIMEOUT", "不是数字")
    assert ReadLimits().doc_timeout_s == 300.0
    assert "doc_timeout" not in repr(ReadLimits())  # not part of the stored results' key


def test_odd_files_one_failing_document_does_not_lose_its_case(tmp_path: Path, monkeypatch) -> None:
    """spaCy's E088 on an over-long text used to turn the whole case into one E900. Now the one
    document keeps no fields and an E210 naming it; the case and its other documents are read."""
    import extractors.fields as fields
    from pipeline.run.workers import WorkerConfig, read_one

    real = fields._extract

    def e088_on_long(doc, nlp):
        if "卡住" in doc.path:
            raise ValueError("[E088] Text of length 2000001 exceeds maximum of 1000000.")
        return real(doc, nlp)

    monkeypatch.setattr(fields, "_extract", e088_on_long)
    root = tmp_path / "archive"
    (root / "2406011").mkdir(parents=True)
    (root / "2406011" / "询问.docx").write_bytes(inquiry_docx())
    (root / "2406011" / "卡住.docx").write_bytes(decision_docx())
    entry = next(e for e in list_cases(root) if e.case_id == "2406011")
    case_input, casefile = read_one(WorkerConfig(limits=ReadLimits(ocr=False)), str(root), entry)
    assert [(e.path, e.code) for e in case_input.errors] == [("2406011/卡住.docx", "E210")]
    assert "E088" in case_input.errors[0].message
    by_type = {d.doc.doc_type: d for d in casefile.docs}
    assert set(by_type) == {"inquiry_record", "decision"}
    assert by_type["decision"].fields == () and by_type["inquiry_record"].fields


# --- many dates in one document: linear structures, same answers -----------------------------------

@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=25),
       st.tuples(st.integers(0, 60), st.integers(1, 8)))
def test_odd_files_taken_spans_answer_like_a_scan_of_every_span(adds, query) -> None:
    from extractors.normalise.dates import _Taken

    spans = [(s, s + w) for s, w in adds]
    taken = _Taken(spans[:3])
    for s, e in spans[3:]:
        taken.add(s, e)
    q = (query[0], query[0] + query[1])
    assert taken.overlaps(q) == any(q[0] < e and s < q[1] for s, e in spans)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("行政处罚决定书ab1２。， \t\n\r\u3000")), max_size=60))
def test_odd_files_char_tokenizer_matches_spacys(text: str) -> None:
    import spacy

    from extractors.nlp import CharTokenizer

    ref = spacy.blank("zh")
    a, b = ref.tokenizer(text), CharTokenizer(ref.vocab)(text)
    assert [(t.text, t.whitespace_) for t in a] == [(t.text, t.whitespace_) for t in b]
    assert b.text == text


# --- a document longer than spaCy's max_length is read in pieces ---------------------------------------

def _long_text(lines: int) -> str:
    return "".join(f"第{i}页 当事人：张三 于2024年3月{1 + i % 28}日 罚款人民币伍佰元整\n" for i in range(lines))


def test_odd_files_pieces_give_the_same_spans_and_dates_as_one_pass() -> None:
    from extractors.nlp import DATES_KEY, build_nlp, process

    nlp = build_nlp()
    text = _long_text(300)
    whole, pieces = nlp(text), process(nlp, text, chunk=4000)
    assert pieces.text == text
    key = sorted((s.start_char, s.end_char, s.label_) for s in whole.spans["anjuan"])
    assert key and sorted((s.start_char, s.end_char, s.label_) for s in pieces.spans["anjuan"]) == key
    assert [(m.start, m.value) for m in pieces.user_data[DATES_KEY]] == \
        [(m.start, m.value) for m in whole.user_data[DATES_KEY]]


def test_odd_files_document_over_spacys_max_length_is_extracted(monkeypatch) -> None:
    """E088 ended the case before; spaCy's limit (1,000,000) is lowered here to keep the test fast."""
    from extractors.fields import extract_document
    from extractors.nlp import build_nlp
    from pipeline.core.models import Page, SourceDoc

    nlp = build_nlp()
    monkeypatch.setattr(nlp, "max_length", 50_000)
    text = "询问笔录\n" + _long_text(2_000) + "询问时间：2024年6月30日\n"
    assert len(text) > 50_000
    with pytest.raises(ValueError, match="E088"):
        nlp(text)
    doc = SourceDoc(doc_id="a/长.pdf", path="a/长.pdf", kind="pdf", pages=(Page(1, text, "pdf_text"),),
                    doc_type="inquiry_record")
    fields = extract_document(doc, nlp)
    assert fields.doc is doc and fields.fields
