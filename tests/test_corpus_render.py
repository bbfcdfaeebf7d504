"""Rendering DocSpecs to DOCX/PDF and writing a corpus: round trips, layout, determinism."""
from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest

from corpus.render import render_docx, render_pdf, render_pdf_counted
from corpus.spec import Block, CaseSpec, DocSpec, FileSpec
from corpus.writer import write_case, write_corpus, write_register

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

BODY = ("经查，当事人上海某某餐饮有限公司于2024年3月5日在青浦区华新镇华志路门前擅自占用道路堆放物品，"
        "违反了《上海市市容环境卫生管理条例》第二十五条第五款的规定。")
FINE = "决定罚款人民币¥2000元（￥贰仟元整），文号青城管罚〔2024〕第0012号；缴款期限：十五日！"


def decision(title: str = "行政处罚决定书") -> DocSpec:
    return DocSpec("decision", title, (
        Block("subtitle", "上海市青浦区城市管理行政执法局"),
        Block("title", title),
        Block("subtitle", "青城管罚〔2024〕第0012号"),
        Block("para", BODY),
        Block("table", rows=(
            ("当事人", "上海某某餐饮有限公司", "法定代表人", "张三"),
            ("地址", "青浦区华新镇华志路1号"),
            ("物品清单",),
        ), nested={(2, 0): (("名称", "数量"), ("桌子", "2张"))}),
        Block("para", FINE),
        Block("pagebreak"),
        Block("para", "如不服本决定，可以在收到本决定书之日起六十日内申请行政复议。"),
        Block("seal", "（印章）上海市青浦区城市管理行政执法局"),
        Block("signature", "2024年3月8日"),
    ))


def inquiry(title: str = "询问笔录", lines: int = 1) -> DocSpec:
    text = "问：你是否清楚今天我们为什么找你？答：清楚，是因为门前堆物的事情。" * lines
    return DocSpec("inquiry_record", title, (Block("title", title), Block("para", text)))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- DOCX -----------------------------------------------------------------------------------------


def test_corpus_render_docx_paragraphs_and_fonts():
    document = docx.Document(io.BytesIO(render_docx([decision()])))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts == [
        "上海市青浦区城市管理行政执法局", "行政处罚决定书", "青城管罚〔2024〕第0012号", BODY, FINE,
        "如不服本决定，可以在收到本决定书之日起六十日内申请行政复议。",
        "（印章）上海市青浦区城市管理行政执法局", "2024年3月8日",
    ]
    section = document.sections[0]
    # stored in twips (1/1440 inch): A4 is 11906 × 16838; 37 mm = 2098, 35 mm = 1984, 28 mm = 1587,
    # 26 mm = 1474
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert (section.top_margin.twips, section.bottom_margin.twips) == (2098, 1984)
    assert (section.left_margin.twips, section.right_margin.twips) == (1587, 1474)
    by_text = {p.text: p for p in document.paragraphs if p.text}
    title_run = by_text["行政处罚决定书"].runs[0]
    assert title_run.bold is True
    assert title_run._r.rPr.rFonts.get(f"{W_NS}eastAsia") == "方正小标宋简体"
    assert by_text["行政处罚决定书"].alignment == 1  # centre
    body_run = by_text[BODY].runs[0]
    assert body_run._r.rPr.rFonts.get(f"{W_NS}eastAsia") == "仿宋_GB2312"
    seal = by_text["（印章）上海市青浦区城市管理行政执法局"]
    assert seal.alignment == 2  # right
    assert seal.runs[0].bold is True and str(seal.runs[0].font.color.rgb) == "E60012"
    assert by_text["2024年3月8日"].alignment == 2


def test_corpus_render_docx_table_nested_and_pagebreak():
    data = render_docx([decision()])
    document = docx.Document(io.BytesIO(data))
    assert len(document.tables) == 1
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["当事人", "上海某某餐饮有限公司", "法定代表人", "张三"]
    # the short rows span the table: their last cell is merged to the right edge
    assert table.rows[1].cells[1].text == "青浦区华新镇华志路1号"
    assert table.rows[1].cells[1]._tc is table.rows[1].cells[3]._tc
    assert table.rows[2].cells[0]._tc is table.rows[2].cells[3]._tc
    cell = table.cell(2, 0)
    assert cell.paragraphs[0].text == "物品清单"
    assert len(cell.tables) == 1
    assert [[c.text for c in r.cells] for r in cell.tables[0].rows] == [["名称", "数量"], ["桌子", "2张"]]
    borders = table._tbl.tblPr.find(f"{W_NS}tblBorders")
    edges = [b.tag.replace(W_NS, "") for b in borders]
    assert edges == ["top", "left", "bottom", "right", "insideH", "insideV"]
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert xml.count('<w:br w:type="page"/>') == 1


def test_corpus_render_docx_combined_breaks_before_each_next_document():
    docs = [inquiry("询问笔录"), decision("行政处罚决定书"), inquiry("现场检查笔录")]
    body = docx.Document(io.BytesIO(render_docx(docs))).element.body
    paragraphs = [el for el in body if el.tag == f"{W_NS}p"]

    def text(p):
        return "".join(t.text for t in p.iter(f"{W_NS}t"))

    def is_break(p):
        return any(br.get(f"{W_NS}type") == "page" for br in p.iter(f"{W_NS}br"))

    breaks = [i for i, p in enumerate(paragraphs) if is_break(p)]
    # two document separators + the decision's own pagebreak block
    assert len(breaks) == 3
    after = [text(paragraphs[i + 1]) for i in breaks]
    assert after == ["上海市青浦区城市管理行政执法局",
                     "如不服本决定，可以在收到本决定书之日起六十日内申请行政复议。", "现场检查笔录"]


def test_corpus_render_refuses_nested_table_outside_cells():
    block = Block("table", rows=(("名称", "数量"),), nested={(0, 2): (("x",),)})
    doc = DocSpec("other", "清单", (Block("title", "清单"), block))
    with pytest.raises(ValueError):
        render_docx([doc])
    with pytest.raises(ValueError):
        render_pdf([doc])


# --- PDF ------------------------------------------------------------------------------------------


def test_corpus_render_pdf_text_round_trip():
    data = render_pdf([decision()])
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
    assert len(pages) == 2  # the pagebreak block
    assert squash(pages[0]) == squash(
        "上海市青浦区城市管理行政执法局 行政处罚决定书 青城管罚〔2024〕第0012号" + BODY
        + "当事人 上海某某餐饮有限公司 法定代表人 张三 地址 青浦区华新镇华志路1号 物品清单 名称 数量 桌子 2张"
        + FINE)
    assert squash(pages[1]) == squash(
        "如不服本决定，可以在收到本决定书之日起六十日内申请行政复议。"
        "（印章）上海市青浦区城市管理行政执法局 2024年3月8日")


def test_corpus_render_pdf_pypdfium2_reads_the_same_text():
    import pypdfium2

    data = render_pdf([decision()])
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        plumber = [page.extract_text() for page in pdf.pages]
    document = pypdfium2.PdfDocument(data)
    try:
        pdfium = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()
    assert [t.replace("\r\n", "\n") for t in pdfium] == plumber
    assert "青城管罚〔2024〕第0012号" in pdfium[0] and "¥2000元（￥贰仟元整）" in pdfium[0]


def test_corpus_render_pdf_seal_is_red_and_title_large():
    with pdfplumber.open(io.BytesIO(render_pdf([decision()]))) as pdf:
        chars = pdf.pages[1].chars + pdf.pages[0].chars
    seal = [c for c in chars if c["text"] == "印"]
    red = (0xE6 / 255, 0.0, 0x12 / 255)  # (0.902, 0, 0.071)
    assert seal and all(c["non_stroking_color"] == pytest.approx(red, abs=0.01) for c in seal)
    title = [c for c in chars if c["text"] == "罚" and c["size"] > 20]
    assert len(title) == 1 and title[0]["size"] == pytest.approx(22, abs=0.5)


def test_corpus_render_pdf_combined_documents_start_new_pages():
    docs = [inquiry("询问笔录"), inquiry("现场检查笔录", lines=25), inquiry("陈述申辩笔录")]
    data, pages = render_pdf_counted(docs)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        first_lines = [(page.extract_text() or "").split("\n")[0] for page in pdf.pages]
        n = len(pdf.pages)
    # 25 × 34 characters ≈ 32 lines of 27: the second document flows onto a second page
    assert pages == n == 4
    assert first_lines[0] == "询问笔录"
    assert first_lines[1] == "现场检查笔录"
    assert len(first_lines[2]) > 10 and first_lines[2] in docs[1].blocks[1].text  # continuation
    assert first_lines[3] == "陈述申辩笔录"


# --- determinism ----------------------------------------------------------------------------------


def test_corpus_render_is_deterministic():
    docs = [decision(), inquiry()]
    assert sha(render_docx(docs)) == sha(render_docx(docs))
    assert sha(render_pdf(docs)) == sha(render_pdf(docs))
    assert sha(render_pdf(docs)) != sha(render_pdf([decision(), inquiry(lines=2)]))
    with zipfile.ZipFile(io.BytesIO(render_docx(docs))) as zf:
        infos = zf.infolist()
        core = zf.read("docProps/core.xml").decode("utf-8")
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(2024, 1, 1, 0, 0, 0)}
    assert "docProps/thumbnail.jpeg" not in [i.filename for i in infos]
    assert "<dc:creator>anjuan-corpus</dc:creator>" in core
    assert "2024-01-01T00:00:00Z" in core


# --- writer ---------------------------------------------------------------------------------------


def case(case_id: str, container: str) -> CaseSpec:
    if container == "combined_pdf":
        files = (FileSpec("ignored.pdf", "pdf", (inquiry(), decision())),)
    elif container == "combined_docx":
        files = (FileSpec("ignored.docx", "docx", (inquiry(), decision())),)
    else:
        files = (FileSpec("立案审批表.docx", "docx", (inquiry("立案审批表"),)),
                 FileSpec("扫描件(3).pdf", "pdf", (decision(),)))
    return CaseSpec(case_id, container, files, {"case_id": case_id, "findings": ["DEC-01"]})


def test_corpus_writer_zip_container_layout(tmp_path):
    written = write_case(case("2403017", "zip"), tmp_path)
    assert written == ["2403017.zip"]
    with zipfile.ZipFile(tmp_path / "2403017.zip") as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == ["2403017/扫描件(3).pdf", "2403017/立案审批表.docx"]
        assert all(i.flag_bits & 0x800 for i in infos)
        assert {i.date_time for i in infos} == {(2024, 1, 1, 0, 0, 0)}
        inner = docx.Document(io.BytesIO(zf.read("2403017/立案审批表.docx")))
        assert inner.paragraphs[0].text == "立案审批表"
        assert zf.read("2403017/扫描件(3).pdf").startswith(b"%PDF-")
    # the raw central directory stores the UTF-8 bytes of the names
    assert "2403017/立案审批表.docx".encode() in (tmp_path / "2403017.zip").read_bytes()


def test_corpus_writer_folder_and_combined_layout(tmp_path):
    assert write_case(case("2403015", "folder"), tmp_path) == ["2403015/扫描件(3).pdf", "2403015/立案审批表.docx"]
    assert write_case(case("2403016", "combined_pdf"), tmp_path) == ["2403016.pdf"]
    assert write_case(case("2403018", "combined_docx"), tmp_path) == ["2403018.docx"]
    with pdfplumber.open(tmp_path / "2403016.pdf") as pdf:
        assert pdf.pages[0].extract_text().split("\n")[0] == "询问笔录"
        assert pdf.pages[1].extract_text().split("\n")[1] == "行政处罚决定书"
    with pytest.raises(ValueError):
        write_case(CaseSpec("x1", "combined_pdf", (FileSpec("a.docx", "docx", (inquiry(),)),), {}), tmp_path)


@pytest.mark.parametrize("name", ["../escape.docx", "a/../../escape.docx", "/etc/escape.docx",
                                  "C:\\escape.docx", "a\\..\\escape.docx", "", "con.docx"])
def test_corpus_writer_refuses_unsafe_names(tmp_path, name):
    archive = tmp_path / "archive"
    spec = CaseSpec("2403019", "folder", (FileSpec(name, "docx", (inquiry(),)),), {})
    with pytest.raises(ValueError):
        write_case(spec, archive)
    assert not (tmp_path / "escape.docx").exists()
    assert not archive.exists() or not any(archive.rglob("*.docx"))


def test_corpus_writer_refuses_unsafe_case_id(tmp_path):
    with pytest.raises(ValueError):
        write_case(CaseSpec("../2403019", "combined_pdf", (FileSpec("a.pdf", "pdf", (inquiry(),)),), {}),
                   tmp_path / "archive")


ROWS = [
    {"案件编号": "2403015", "中队": "华新中队", "当事人": "上海某某餐饮有限公司", "罚款金额": 2000,
     "是否重大法制审核": False},
    {"案件编号": "2403016", "中队": "赵巷中队", "当事人": "李四", "罚款金额": 200,
     "是否重大法制审核": True, "投诉次数": 3},
]


def test_corpus_writer_register_xlsx(tmp_path):
    path = tmp_path / "sub" / "台账.xlsx"
    write_register(ROWS, path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values == [
        ["案件编号", "中队", "当事人", "罚款金额", "是否重大法制审核", "投诉次数"],
        ["2403015", "华新中队", "上海某某餐饮有限公司", 2000, "否", None],
        ["2403016", "赵巷中队", "李四", 200, "是", 3],
    ]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.b is True
    assert ws.column_dimensions["C"].width == 22  # 10 CJK chars → 20 + 2
    first = path.read_bytes()
    write_register(ROWS, path)
    assert path.read_bytes() == first


def test_corpus_writer_register_csv(tmp_path):
    path = tmp_path / "台账.csv"
    write_register(ROWS, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows == [["案件编号", "中队", "当事人", "罚款金额", "是否重大法制审核", "投诉次数"],
                    ["2403015", "华新中队", "上海某某餐饮有限公司", "2000", "否", ""],
                    ["2403016", "赵巷中队", "李四", "200", "是", "3"]]


def tree_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): sha(p.read_bytes())
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_corpus_writer_write_corpus_layout_truth_and_determinism(tmp_path):
    cases = [case("2403015", "folder"), case("2403016", "combined_pdf"), case("2403017", "zip")]
    manifest = write_corpus(cases, ROWS, tmp_path / "a")
    write_corpus(cases, ROWS, tmp_path / "b")
    a, b = tree_hashes(tmp_path / "a"), tree_hashes(tmp_path / "b")
    assert a == b
    assert sorted(a) == ["archive/2403015/扫描件(3).pdf", "archive/2403015/立案审批表.docx",
                         "archive/2403016.pdf", "archive/2403017.zip", "archive/台账.xlsx", "truth.jsonl"]
    assert manifest["cases"] == 3
    assert manifest["files"] == ["2403015/扫描件(3).pdf", "2403015/立案审批表.docx", "2403016.pdf",
                                 "2403017.zip", "台账.xlsx"]
    # decision(): 2 pages; 2403015 has one decision, 2403016 an inquiry (1) + decision (2)
    # and 2403017 one decision inside the zip
    assert manifest["pages"] == 2 + 3 + 2
    archive = tmp_path / "a" / "archive"
    assert manifest["bytes"] == sum((archive / f).stat().st_size for f in manifest["files"])
    lines = (tmp_path / "a" / "truth.jsonl").read_text(encoding="utf-8").split("\n")
    assert lines == ['{"case_id":"2403015","findings":["DEC-01"]}',
                     '{"case_id":"2403016","findings":["DEC-01"]}',
                     '{"case_id":"2403017","findings":["DEC-01"]}', ""]
    with pytest.raises(FileExistsError):
        write_corpus(cases, ROWS, tmp_path / "a")
    write_corpus(cases[:1], ROWS, tmp_path / "a", overwrite=True)
    assert sorted(tree_hashes(tmp_path / "a")) == ["archive/2403015/扫描件(3).pdf",
                                                   "archive/2403015/立案审批表.docx", "archive/台账.xlsx",
                                                   "truth.jsonl"]


def test_corpus_writer_workers_write_the_same_bytes(tmp_path):
    cases = [case("2403015", "folder"), case("2403016", "combined_docx"), case("2403017", "zip")]
    one = write_corpus(cases, ROWS, tmp_path / "one")
    two = write_corpus(cases, ROWS, tmp_path / "two", workers=2)
    assert one == two
    assert tree_hashes(tmp_path / "one") == tree_hashes(tmp_path / "two")
