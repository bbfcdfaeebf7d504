"""read_archive on a hostile archive built by code (tests/hostile.py), and the archive layout."""
from __future__ import annotations

import hashlib
import os
import pathlib
from pathlib import Path

import pytest

from pipeline.core.errors import AnjuanError
from pipeline.core.models import CaseInput, Page
from pipeline.read.archive import CaseEntry, display_path, find_register, list_cases, read_archive, read_case, type_file
from pipeline.read.readers import ReadLimits
from tests.hostile import HostileArchive, build_hostile_archive, combined_docx, filing_docx, make_pdf

LIMITS = ReadLimits(max_pages=5, max_zip_bytes=4 * 1024 * 1024, max_xml_bytes=1024 * 1024,
                    ocr=False)  # the readers alone; OCR of scans is tested in test_ocr_wiring.py


def tree_state(root: Path) -> dict[str, tuple]:
    """Every entry under root: (mode, size, mtime_ns, sha256 of the content or link target)."""
    out: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            if p.is_symlink():
                digest = os.readlink(p)
            elif p.is_file():
                try:
                    digest = hashlib.sha256(p.read_bytes()).hexdigest()
                except PermissionError:
                    digest = "unreadable"
            else:
                digest = "dir"
            out[p.relative_to(root).as_posix()] = (st.st_mode, st.st_size, st.st_mtime_ns, digest)
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[HostileArchive, dict[str, CaseInput], dict, dict]:
    h = build_hostile_archive(tmp_path_factory.mktemp("hostile"))
    before = tree_state(h.root)
    with pytest.MonkeyPatch.context() as mp:
        if os.access(h.unreadable, os.R_OK):  # root (or Windows) still reads a chmod-000 file: simulate
            real_open = pathlib.Path.open

            def guarded_open(self, *args, **kwargs):
                if self == h.unreadable:
                    raise PermissionError(13, "Permission denied", str(self))
                return real_open(self, *args, **kwargs)

            mp.setattr(pathlib.Path, "open", guarded_open)
        cases = {c.case_id: c for c in read_archive(h.root, limits=LIMITS)}
    after = tree_state(h.root)
    return h, cases, before, after


def _codes_by_path(cases: dict[str, CaseInput]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for c in cases.values():
        for e in c.errors:
            out.setdefault(e.path, set()).add(e.code)
    return out


def test_archive_cases_found_register_excluded(hostile) -> None:
    h, cases, _, _ = hostile
    expected = {"A001": "folder", "A002": "zip", "A003": "zip", "A004": "zip", "A005": "image",
                "A006": "pdf", "A007": "pdf", "A008": "docx", "A010": "zip", "A011": "zip", "A012": "other"}
    if not (h.root / "A006.pdf").is_symlink():  # no symlinks on this OS
        del expected["A006"]
    if "A009案卷/结案.docx#1" in h.expected_docs:  # a case folder named in GBK bytes
        expected["A009案卷"] = "folder"
    assert sorted(cases) == sorted(expected)
    assert {e.case_id: e.kind for e in list_cases(h.root)} == expected
    assert find_register(h.root) == h.root / "旧台账.xls"  # .xlsx, then .xls, then .csv


def test_archive_nothing_inside_changed(hostile) -> None:
    _, _, before, after = hostile
    assert before == after


def test_archive_every_file_listed(hostile) -> None:
    h, cases, _, _ = hostile
    listed = {f for c in cases.values() for f in c.files}
    on_disk = set()
    for dirpath, dirnames, filenames in os.walk(h.root):
        for name in filenames + [d for d in dirnames if (Path(dirpath) / d).is_symlink()]:
            on_disk.add(display_path((Path(dirpath) / name).relative_to(h.root).as_posix())[0])
    on_disk -= {"台账.csv", "旧台账.xls"}
    assert on_disk <= listed
    # zip members are listed too
    assert {"A002.zip!/A002/送达回证.docx", "A002.zip!/A002/现场检查笔录.docx",
            "A003.zip!/A003/询问笔录.docx"} <= listed


def test_archive_every_file_accounted_for(hostile) -> None:
    _, cases, _, _ = hostile
    for c in cases.values():
        in_docs = {d.path for d in c.docs}
        in_errors = {e.path for e in c.errors}
        for f in c.files:
            zip_ok = f.endswith(".zip") and any(p.startswith(f + "!/") for p in c.files)
            assert f in in_docs or f in in_errors or zip_ok, f"{c.case_id}: {f} neither read nor in errors"


def test_archive_good_documents_read_and_typed(hostile) -> None:
    h, cases, _, _ = hostile
    got = {d.doc_id: d.doc_type for c in cases.values() for d in c.docs}
    assert got == h.expected_docs
    a001 = {d.doc_id: d for d in cases["A001"].docs}
    assert "当事人\t张三" in a001["A001/立案.docx"].text
    assert a001["A001/立案.docx"].title == "立案审批表" and a001["A001/立案.docx"].part == 0
    assert "沪青城管罚字〔2024〕第123号" in a001["A001/扫描件(3).pdf"].text
    assert len(a001["A001/长文件.pdf"].pages) == 5  # read up to the cap


def test_archive_each_bad_file_has_expected_code(hostile) -> None:
    h, cases, _, _ = hostile
    codes = _codes_by_path(cases)
    for path, expected in h.expected_errors.items():
        assert codes.get(path) == expected, f"{path}: {codes.get(path)} != {expected}"
    # the member with an undecodable name: kept as is (E118), then not a supported type (E107)
    odd = [p for p in codes if p.startswith("A002.zip!/A002/") and p.endswith(".txt")]
    assert len(odd) == 1 and codes[odd[0]] == {"E118", "E107"}
    every = {p for p in codes}
    assert every == set(h.expected_errors) | set(odd)  # no unexpected error anywhere


def test_archive_errors_have_chinese_messages(hostile) -> None:
    _, cases, _, _ = hostile
    for c in cases.values():
        for e in c.errors:
            assert e.message.startswith(f"[{e.code}] ")
            assert any("\u4e00" <= ch <= "\u9fff" for ch in e.message)


def test_archive_duplicate_read_once_both_listed(hostile) -> None:
    _, cases, _, _ = hostile
    c = cases["A001"]
    assert {"A001/立案.docx", "A001/立案（副本）.docx"} <= set(c.files)
    assert [d.path for d in c.docs].count("A001/立案.docx") == 1
    assert "A001/立案（副本）.docx" not in {d.path for d in c.docs}
    dup = [e for e in c.errors if e.code == "E115"]
    assert len(dup) == 1 and "A001/立案.docx" in dup[0].message


def test_archive_symlink_target_outside_never_read(hostile) -> None:
    _, cases, _, _ = hostile
    assert all("不应被读取" not in d.text for c in cases.values() for d in c.docs)


def test_archive_unreadable_case_still_yields_case_input(hostile) -> None:
    _, cases, _, _ = hostile
    a004 = cases["A004"]
    assert a004.docs == () and a004.files == ("A004.zip",) and a004.source == "A004.zip"
    assert [e.code for e in a004.errors] == ["E110"]


def test_archive_combined_files_split_into_parts(hostile) -> None:
    _, cases, _, _ = hostile
    parts = [(d.doc_id, d.part, d.title, [p.number for p in d.pages]) for d in cases["A007"].docs]
    # the stray first page belongs to part 1
    assert parts == [("A007.pdf#1", 1, "立案审批表", [1, 2]), ("A007.pdf#2", 2, "询问笔录", [3, 4]),
                     ("A007.pdf#3", 3, "送达回证", [5])]
    assert [d.path for d in cases["A007"].docs] == ["A007.pdf"] * 3
    assert [(d.part, d.title) for d in cases["A008"].docs] == [(1, "行政处罚事先告知书"), (2, "结案审批表")]


def test_archive_empty_case_folder(tmp_path: Path) -> None:
    (tmp_path / "B001").mkdir()
    [entry] = list_cases(tmp_path)
    c = read_case(tmp_path, entry)
    assert c.case_id == "B001" and c.docs == () and c.files == ()
    assert [e.code for e in c.errors] == ["E123"]


def test_archive_case_ids_and_litter(tmp_path: Path) -> None:
    (tmp_path / "2403015").mkdir()
    (tmp_path / "2403015" / "a.docx").write_bytes(filing_docx())
    (tmp_path / "2403016.pdf").write_bytes(make_pdf([["立案审批表"]]))
    (tmp_path / "2403.017.docx").write_bytes(combined_docx())
    (tmp_path / ".DS_Store").write_bytes(b"x")
    (tmp_path / "Thumbs.db").write_bytes(b"x")
    (tmp_path / "案件register-6月.xlsx").write_bytes(b"x")
    (tmp_path / "说明.txt").write_bytes(b"x")
    assert list_cases(tmp_path) == [
        CaseEntry("2403.017", "2403.017.docx", "docx"), CaseEntry("2403015", "2403015", "folder"),
        CaseEntry("2403016", "2403016.pdf", "pdf"), CaseEntry("说明", "说明.txt", "other")]
    assert find_register(tmp_path) == tmp_path / "案件register-6月.xlsx"
    other = read_case(tmp_path, CaseEntry("说明", "说明.txt", "other"))
    assert [e.code for e in other.errors] == ["E107"] and other.files == ("说明.txt",)


def test_archive_same_case_as_folder_and_zip_is_one_case(tmp_path: Path) -> None:
    """A case unpacked beside its zip (2406001/ and 2406001.zip) was two entries with one id:
    reviewed twice, the second opinion overwriting the first. Now one case, E124 says so, the
    files both places share are read once (E115) and a file only in the zip is kept."""
    import io
    import zipfile

    filing = filing_docx()  # built once: the same bytes in both places
    (tmp_path / "2406001").mkdir()
    (tmp_path / "2406001" / "立案.docx").write_bytes(filing)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("2406001/立案.docx", filing)
        zf.writestr("2406001/决定.pdf", make_pdf([["行政处罚决定书"]]))
    (tmp_path / "2406001.zip").write_bytes(buf.getvalue())
    (tmp_path / "2406002.pdf").write_bytes(make_pdf([["立案审批表"]]))
    entries = list_cases(tmp_path)
    assert [(e.case_id, e.source, e.also) for e in entries] == [
        ("2406001", "2406001", (("2406001.zip", "zip"),)), ("2406002", "2406002.pdf", ())]
    c = read_case(tmp_path, entries[0])
    codes = [e.code for e in c.errors]
    assert codes.count("E124") == 1 and "E115" in codes
    e124 = next(e for e in c.errors if e.code == "E124")
    assert "2406001.zip" in e124.message and "合并" in e124.message
    assert {d.doc_type for d in c.docs} == {"filing_approval", "decision"}
    assert "2406001.zip!/2406001/决定.pdf" in c.files and "2406001/立案.docx" in c.files


def test_archive_missing_root_is_e100(tmp_path: Path) -> None:
    with pytest.raises(AnjuanError) as exc:
        list_cases(tmp_path / "nope")
    assert exc.value.code == "E100"


def test_archive_zip_inside_case_folder_is_read(tmp_path: Path) -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("附件/立案.docx", filing_docx())
    (tmp_path / "C001").mkdir()
    (tmp_path / "C001" / "附件.zip").write_bytes(buf.getvalue())
    c = read_case(tmp_path, list_cases(tmp_path)[0])
    assert c.files == ("C001/附件.zip", "C001/附件.zip!/附件/立案.docx")
    assert [(d.doc_id, d.doc_type) for d in c.docs] == [("C001/附件.zip!/附件/立案.docx", "filing_approval")]


def test_archive_single_document_file_is_part_zero() -> None:
    pages = [Page(1, "询问笔录\n问：姓名？", "docx"), Page(2, "答：张三。", "docx")]
    [doc] = type_file("X/a.docx", "docx", pages)
    assert (doc.doc_id, doc.part, doc.doc_type, doc.type_confidence, len(doc.pages)) == (
        "X/a.docx", 0, "inquiry_record", 1.0, 2)
    [untitled] = type_file("X/b.pdf", "pdf", [Page(1, "一些没有标题的文字", "pdf_text")])
    assert (untitled.part, untitled.title, untitled.doc_type) == (0, None, "other")


def test_archive_unlistable_subfolder_is_e112(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "D001" / "锁定").mkdir(parents=True)
    (tmp_path / "D001" / "立案.docx").write_bytes(filing_docx())
    real_scandir = os.scandir

    def scandir(path="."):  # root can list anything: simulate a folder without read permission
        if Path(path).name == "锁定":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    c = read_case(tmp_path, list_cases(tmp_path)[0])
    assert c.files == ("D001/立案.docx", "D001/锁定")
    assert [(e.path, e.code) for e in c.errors] == [("D001/锁定", "E112")]
    assert [d.doc_type for d in c.docs] == ["filing_approval"]


@pytest.mark.slow
def test_archive_generated_corpus_typed_as_truth(small_corpus: Path) -> None:
    """Every document of the generated corpus is found (path, part) and typed as its truth says;
    every file is read without error and the register is recognised."""
    import json

    from pipeline.read.register import read_register

    lines = (small_corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    truth = [json.loads(line) for line in lines if line.strip()]
    expected = {(d["path"], d.get("part", 0)): d["doc_type"] for t in truth for d in t["documents"]}
    root = small_corpus / "archive"
    got: dict[tuple[str, int], str] = {}
    errors = []
    for case in read_archive(root):
        errors.extend(case.errors)
        got.update({(d.path, d.part): d.doc_type for d in case.docs})
    assert errors == []
    assert set(got) == set(expected)
    wrong = {k: (expected[k], got[k]) for k in expected if got[k] != expected[k]}
    assert wrong == {}
    import openpyxl

    register = find_register(root)
    rows, reg_errors = read_register(register)
    assert reg_errors == [] and len(rows) > 0
    wb = openpyxl.load_workbook(register, read_only=True)
    raw = list(wb.active.iter_rows(values_only=True))
    wb.close()
    # every column is recognised and every non-empty cell converted (none lost as None)
    assert len(rows) == len(raw) - 1
    for r in rows:
        cells = [c for c in raw[r.row - 1] if c not in (None, "")]
        assert sum(v is not None for v in r.values.values()) == len(cells)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this OS")
def test_archive_fifo_is_listed_not_opened(tmp_path: Path) -> None:
    (tmp_path / "E001").mkdir()
    os.mkfifo(tmp_path / "E001" / "管道.pdf")  # opening it for reading would block forever
    c = read_case(tmp_path, list_cases(tmp_path)[0])
    assert c.files == ("E001/管道.pdf",) and [e.code for e in c.errors] == ["E107"]


def test_archive_hostile_review_runs_to_completion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole hostile archive through review_archive (with a database, documents written):
    every case has a line, every file is read or has an error with its expected code, and a
    second run reuses every case and writes the same cases.jsonl."""
    import json

    from pipeline.run.review import ReviewSettings, review_archive

    h = build_hostile_archive(tmp_path / "h")
    if os.access(h.unreadable, os.R_OK):  # root still reads a chmod-000 file: simulate
        real_open = pathlib.Path.open

        def guarded_open(self, *args, **kwargs):
            if self == h.unreadable:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(pathlib.Path, "open", guarded_open)
    settings = ReviewSettings(db_path=tmp_path / "anjuan.db", jobs=1, month="2024-03", progress=False,
                              limits=LIMITS)
    summary = review_archive(h.root, tmp_path / "out", settings)
    lines = [json.loads(x) for x in (tmp_path / "out/cases.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["case_id"] for r in lines] == [e.case_id for e in list_cases(h.root)]
    assert summary.data["counts"]["cases"] == len(lines)
    codes: dict[str, set[str]] = {}
    for r in lines:
        docs = {d["path"] for d in r["documents"]}
        errs = {e["path"] for e in r["errors"]}
        for e in r["errors"]:
            codes.setdefault(e["path"], set()).add(e["code"])
        assert "E900" not in {e["code"] for e in r["errors"]}, r["errors"]
        for f in r.get("provenance", {}).get("files", []):
            zip_ok = f.endswith(".zip") and any(p.startswith(f + "!/") for p in r["provenance"]["files"])
            assert f in docs or f in errs or zip_ok, f"{r['case_id']}: {f} not accounted for"
    for path, expected in h.expected_errors.items():
        assert codes.get(path) == expected, (path, codes.get(path))
    assert {d["path"] + (f"#{d['part']}" if d.get("part") else "") for r in lines for d in r["documents"]} \
        == set(h.expected_docs)
    again = review_archive(h.root, tmp_path / "out2", replace_settings(settings, write_documents=False))
    assert again.data["timing"]["cases_read"] == 0
    assert (tmp_path / "out2/cases.jsonl").read_bytes() == (tmp_path / "out/cases.jsonl").read_bytes()


def replace_settings(settings, **changes):
    from dataclasses import replace

    return replace(settings, **changes)


def test_archive_ten_thousand_pages_read_up_to_the_cap_quickly() -> None:
    import time

    from pipeline.read.readers import read_pdf
    from tests.hostile import many_page_pdf

    data = many_page_pdf(10_000)
    t = time.perf_counter()
    pages, errors = read_pdf(data, "万页.pdf")  # default cap: 2,000 pages
    elapsed = time.perf_counter() - t
    assert len(pages) == 2000 and pages[-1].number == 2000 and pages[0].text.strip() == "Case page"
    assert [e.code for e in errors] == ["E114"] and "10000 页" in errors[0].message
    assert elapsed < 20


def test_archive_hundred_megapixel_image_rejected_before_decoding() -> None:
    import time

    resource = pytest.importorskip("resource")  # POSIX: peak memory of this process

    from pipeline.read.readers import check_image
    from tests.hostile import png_header_only

    data = png_header_only(12_000, 9_000)
    assert len(data) < 200
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    [err] = check_image(data, "巨幅.png")
    assert err.code == "E114" and "12000×9000" in err.message
    assert time.perf_counter() - t < 1
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # KiB: no 108 MB buffer
    [small] = check_image(png_header_only(100, 100), "小.png")
    assert small.code in ("E117", "E102")  # within the cap: goes on to verification


def test_archive_huge_xml_part_refused_before_decompression() -> None:
    """A 190 KB .docx whose document.xml inflates to 21 MB (over the default 20 MB cap): refused
    from the zip directory's sizes, without inflating or parsing it (no memory spike)."""
    import time

    resource = pytest.importorskip("resource")  # POSIX: peak memory of this process

    from pipeline.core.errors import ReadError
    from pipeline.read.readers import ReadLimits, read_docx
    from tests.hostile import huge_xml_docx

    data = huge_xml_docx(21 * 1024 * 1024)
    assert len(data) < 300 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    with pytest.raises(ReadError) as exc:
        read_docx(data, "巨大XML.docx")
    assert exc.value.code == "E122" and ReadLimits().max_xml_bytes == 20 * 1024 * 1024
    assert time.perf_counter() - t < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 10 * 1024  # KiB
