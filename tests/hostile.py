"""Builders of test inputs BY CODE: good DOCX/PDF documents and a hostile archive.

Nothing here is a fixture file: every document is made on the fly in a tmp dir, so the tests
show exactly what each input holds. ``build_hostile_archive`` returns what the reader must find
(expected error codes per path, the good documents and their types).
"""
from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

AGENCY = "上海市青浦区城市管理行政执法局"

# A block: ("p", text) paragraph; ("table", rows) table; ("break",) page break;
# ("nested", rows, (r, c), inner_rows) table whose cell (r, c) holds a nested table;
# ("pbb", text) paragraph with pageBreakBefore; ("section", text) paragraph ending a section.
Block = tuple


def make_docx(blocks: Sequence[Block]) -> bytes:
    """A DOCX made with python-docx from the blocks above."""
    import docx
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_BREAK

    d = docx.Document()
    for b in blocks:
        kind = b[0]
        if kind == "p":
            d.add_paragraph(b[1])
        elif kind == "pbb":
            d.add_paragraph(b[1]).paragraph_format.page_break_before = True
        elif kind == "break":
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "section":
            d.add_paragraph(b[1])
            d.add_section(WD_SECTION.NEW_PAGE)
        elif kind in ("table", "nested"):
            rows = b[1]
            ncols = max(len(r) for r in rows)
            t = d.add_table(rows=len(rows), cols=ncols)
            for i, r in enumerate(rows):
                for j, v in enumerate(r):
                    t.cell(i, j).text = v
            if kind == "nested":
                (r, c), inner = b[2], b[3]
                cell = t.cell(r, c)
                it = cell.add_table(rows=len(inner), cols=max(len(x) for x in inner))
                for i, row in enumerate(inner):
                    for j, v in enumerate(row):
                        it.cell(i, j).text = v
        else:
            raise ValueError(kind)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def make_pdf(pages: Sequence[Sequence[str]], *, user_password: str | None = None,
             owner_password: str | None = None, blank_pages: Sequence[int] = ()) -> bytes:
    """A PDF with one text line per string (reportlab, STSong-Light CID font, no embedding).

    ``blank_pages``: indexes of pages drawn with a rectangle only (no text layer).
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    encrypt = None
    if user_password is not None or owner_password is not None:
        from reportlab.lib import pdfencrypt
        encrypt = pdfencrypt.StandardEncryption(user_password or "", ownerPassword=owner_password or "owner",
                                                strength=128)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, encrypt=encrypt)
    for i, lines in enumerate(pages):
        if i in blank_pages:
            c.rect(100, 100, 300, 400, fill=1)
        else:
            c.setFont("STSong-Light", 12)
            y = 800
            for line in lines:
                c.drawString(50, y, line)
                y -= 18
        c.showPage()
    c.save()
    return buf.getvalue()


def make_png(width: int = 8, height: int = 8) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (width, height), 255).save(buf, format="PNG")
    return buf.getvalue()


def make_jpeg(width: int = 8, height: int = 8) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (255, 255, 255)).save(buf, format="JPEG")
    return buf.getvalue()


def with_doctype(docx_bytes: bytes) -> bytes:
    """The same DOCX with an internal DTD (entity declaration) in word/document.xml."""
    src = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                head, sep, rest = data.partition(b"?>")
                data = head + sep + b'<!DOCTYPE w:document [<!ENTITY x "boom">]>' + rest
            dst.writestr(info.filename, data)
    return out.getvalue()


def gbk_named_zip(members: Sequence[tuple[str, bytes]], gbk_names: Sequence[str] = (),
                  raw_names: Sequence[tuple[str, bytes]] = ()) -> bytes:
    """A zip whose members listed in ``gbk_names`` carry GBK-encoded names with the UTF-8 flag
    unset (as Windows' built-in zipper writes them); ``raw_names`` maps a member to raw bytes."""
    placeholders: dict[bytes, bytes] = {}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (name, data) in enumerate(members):
            raw = dict(raw_names).get(name)
            if raw is None and name in gbk_names:
                raw = name.encode("gbk")
            if raw is not None:
                ph = (f"ph{i:03d}" + "x" * len(raw))[: len(raw)].encode("ascii")
                assert len(ph) == len(raw)
                placeholders[ph] = raw
                zf.writestr(ph.decode("ascii"), data)
            else:
                zf.writestr(name, data)
    out = buf.getvalue()
    for ph, raw in placeholders.items():
        assert out.count(ph) == 2  # local header + central directory
        out = out.replace(ph, raw)
    return out


def has_soffice() -> bool:
    from pipeline.read.legacy import find_soffice

    return find_soffice() is not None


def encrypted_zip(members: Sequence[tuple[str, bytes]], password: bytes = b"secret") -> bytes:
    """A password zip (ZipCrypto, stored) with UTF-8-flag-less GBK names, as Windows tools write
    them. zipfile cannot encrypt, so the traditional PKWARE cipher is applied here by hand."""
    import struct
    import zlib

    def crc_byte(crc: int, b: int) -> int:
        return zlib.crc32(bytes([b]), crc ^ 0xFFFFFFFF) ^ 0xFFFFFFFF

    class Cipher:
        def __init__(self) -> None:
            self.k = [0x12345678, 0x23456789, 0x34567890]
            for c in password:
                self.update(c)

        def update(self, c: int) -> None:
            k0, k1, k2 = self.k
            k0 = crc_byte(k0, c)
            k1 = ((k1 + (k0 & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
            k2 = crc_byte(k2, (k1 >> 24) & 0xFF)
            self.k = [k0, k1, k2]

        def encrypt(self, data: bytes) -> bytes:
            out = bytearray()
            for c in data:
                t = (self.k[2] | 2) & 0xFFFF
                out.append(c ^ (((t * (t ^ 1)) >> 8) & 0xFF))
                self.update(c)
            return bytes(out)

    local = bytearray()
    central = bytearray()
    for name, data in members:
        raw_name = name.encode("gbk")
        crc = zlib.crc32(data)
        header = bytes(range(11)) + bytes([(crc >> 24) & 0xFF])
        body = Cipher().encrypt(header + data)
        offset = len(local)
        fields = struct.pack("<HHHHHIIIHH", 20, 0x1, 0, 0, 0x21, crc, len(body), len(data), len(raw_name), 0)
        local += b"PK\x03\x04" + fields + raw_name + body
        central += (b"PK\x01\x02" + struct.pack("<H", 20) + fields
                    + struct.pack("<HHHII", 0, 0, 0, 0, offset) + raw_name)
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(central), len(local), 0)
    return bytes(local + central + end)


OFD_NS = "http://www.ofdspec.org/2016"


def make_ofd(pages: Sequence[Sequence[str]]) -> bytes:
    """A minimal OFD (GB/T 33190): OFD.xml → Doc_0/Document.xml → one Content.xml per page, each
    line a TextObject with one TextCode per half line (X advances), lines 10 mm apart."""
    ns = f'xmlns:ofd="{OFD_NS}"'
    files: list[tuple[str, bytes]] = [("OFD.xml", (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0" DocType="OFD"><ofd:DocBody>'
        '<ofd:DocInfo><ofd:DocID>t</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
        '</ofd:DocBody></ofd:OFD>').encode())]
    page_refs = "".join(f'<ofd:Page ID="{i + 10}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    files.append(("Doc_0/Document.xml", (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID>'
        '<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>'
        f'<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>').encode()))
    for i, lines in enumerate(pages):
        objs = []
        # written bottom line first: the reader must order by position, not by file order
        for j, line in reversed(list(enumerate(lines))):
            half = max(1, len(line) // 2)
            if line[half:]:
                codes = (f'<ofd:TextCode X="0" Y="4">{line[:half]}</ofd:TextCode>'
                         f'<ofd:TextCode X="{half * 4}" Y="4">{line[half:]}</ofd:TextCode>')
            else:
                codes = f'<ofd:TextCode X="0" Y="4">{line}</ofd:TextCode>'
            objs.append(f'<ofd:TextObject ID="{100 + j}" Boundary="20 {20 + j * 10} 170 6" Font="1" Size="4">'
                        f'{codes}</ofd:TextObject>')
        files.append((f"Doc_0/Pages/Page_{i}/Content.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content><ofd:Layer ID="2">'
            + "".join(objs) + '</ofd:Layer></ofd:Content></ofd:Page>').encode("utf-8")))
    return zip_of(files)


def make_xls(rows: Sequence[Sequence[object]], merges: Sequence[tuple[int, int, int, int]] = ()) -> bytes:
    """A legacy .xls (BIFF8) written with xlwt; ``merges`` are (row1, row2, col1, col2), inclusive;
    a datetime cell gets a date format, as Excel stores dates."""
    import datetime as dt

    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("台账")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    merged = {(r1, c1) for r1, _r2, c1, _c2 in merges}
    covered = {(r, c) for r1, r2, c1, c2 in merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    for r1, r2, c1, c2 in merges:
        ws.write_merge(r1, r2, c1, c2, rows[r1][c1] if c1 < len(rows[r1]) else None)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if (r, c) in covered or (r, c) in merged or v is None:
                continue
            if isinstance(v, dt.datetime):
                ws.write(r, c, v, date_style)
            else:
                ws.write(r, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zip_of(members: Sequence[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 6, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def many_page_pdf(n_pages: int, text: str = "Case page") -> bytes:
    """A hand-written PDF of ``n_pages`` pages sharing one content stream (one text line each).

    10,000 pages take ~1 MB and a few milliseconds to build (no page-by-page rendering).
    """
    content = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("ascii")
    objs: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [" % n_pages
        + b" ".join(b"%d 0 R" % (5 + i) for i in range(n_pages)) + b"] >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R " \
           b"/Resources << /Font << /F1 3 0 R >> >> >>"
    objs.extend([page] * n_pages)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims ``width``×``height`` (8-bit grey) with a few bytes of pixel data:
    a reader that allocates before checking the size would need width×height bytes."""
    import struct
    import zlib as _zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", _zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", _zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


def huge_xml_docx(target_bytes: int) -> bytes:
    """A DOCX whose word/document.xml is at least ``target_bytes`` of ordinary paragraphs."""
    base = make_docx([("p", "询问笔录")])
    para = "<w:p><w:r><w:t>问：这是一段很长的笔录内容。答：是的。</w:t></w:r></w:p>".encode()
    src = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                head, sep, rest = data.partition(b"<w:body>")
                data = head + sep + para * (target_bytes // len(para) + 1) + rest
            dst.writestr(info.filename, data)
    return out.getvalue()


def lying_size_docx() -> bytes:
    """A DOCX whose central directory understates the size of word/document.xml (4 bytes):
    the reader must stop at the declared size (bounded memory) and see the CRC fail."""
    data = bytearray(make_docx([("p", "询问笔录"), ("p", "问：姓名？")]))
    name = b"word/document.xml"
    pos = 0
    while True:
        pos = data.index(b"PK\x01\x02", pos)
        n = int.from_bytes(data[pos + 28:pos + 30], "little")
        if bytes(data[pos + 46:pos + 46 + n]) == name:
            data[pos + 24:pos + 28] = (4).to_bytes(4, "little")  # uncompressed size
            return bytes(data)
        pos += 4


def make_raw_dir(parent: Path, raw_name: bytes) -> Path | None:
    """A folder whose name is raw (non-UTF-8) bytes; None where the OS refuses (Windows, macOS)."""
    try:
        p = os.fsencode(parent) + b"/" + raw_name
        os.mkdir(p)
        return Path(os.fsdecode(p))
    except (OSError, UnicodeError, ValueError):
        return None


# --- good documents ------------------------------------------------------------------------

def filing_docx() -> bytes:
    return make_docx([
        ("p", AGENCY),
        ("p", "立案审批表"),
        ("p", "沪青城管立字〔2024〕第0031号"),
        ("table", [("当事人", "张三"), ("案由", "擅自占道设摊"), ("案件来源", "巡查发现")]),
        ("p", "承办人意见：建议立案。"),
    ])


def inquiry_docx() -> bytes:
    return make_docx([
        ("p", "询问笔录"),
        ("p", "询问时间：2024年3月6日9时10分至9时40分"),
        ("p", "问：你是否在华新镇某路设摊？"),
        ("p", "答：是的。"),
    ])


def service_docx() -> bytes:
    return make_docx([
        ("p", "送达回证"),
        ("table", [("送达文书", "行政处罚决定书"), ("受送达人", "张三"), ("送达方式", "直接送达")]),
    ])


def inspection_docx() -> bytes:
    return make_docx([
        ("p", "现场检查笔录"),
        ("p", "检查时间：2024年3月5日10时"),
        ("p", "检查情况：当事人在人行道上摆摊。"),
    ])


DECISION_LINES = [AGENCY, "行政处罚决定书", "沪青城管罚字〔2024〕第123号",
                  "当事人：张三", "经查，2024年3月5日，当事人在青浦区华新镇擅自占道设摊。",
                  "依据《行政处罚事先告知书》告知的事项，本机关决定罚款人民币贰佰元整。"]


def decision_docx() -> bytes:
    return make_docx([("p", line) for line in DECISION_LINES])


def decision_pdf() -> bytes:
    return make_pdf([DECISION_LINES, ["（此页续）如不服本决定，可在六十日内申请行政复议。", "2024年3月20日"]])


def combined_pdf() -> bytes:
    """Three documents: a stray cover page, 立案审批表, 询问笔录 (two pages), 送达回证."""
    return make_pdf([
        ["卷内材料"],
        [AGENCY, "立案审批表", "当事人：李四", "案由：乱张贴"],
        ["询问笔录", "问：你为何张贴小广告？", "答：不知道不允许。"],
        ["问：还有补充吗？", "答：没有。", "以上笔录看过，与我说的相符。"],
        ["送达回证", "送达文书：行政处罚决定书", "受送达人：李四"],
    ])


def combined_docx() -> bytes:
    """Two documents separated by a page break: 行政处罚事先告知书, then 结案审批表."""
    return make_docx([
        ("p", AGENCY),
        ("p", "行政处罚事先告知书"),
        ("p", "沪青城管罚告字〔2024〕第7号"),
        ("p", "当事人：王五"),
        ("break",),
        ("p", "结案审批表"),
        ("table", [("当事人", "王五"), ("执行情况", "已缴纳罚款")]),
    ])


# --- the hostile archive --------------------------------------------------------------------

@dataclass
class HostileArchive:
    root: Path
    outside: Path                                  # a file outside the archive (symlink target)
    expected_errors: dict[str, set[str]] = field(default_factory=dict)   # path -> codes
    expected_docs: dict[str, str] = field(default_factory=dict)          # doc_id -> doc_type
    unreadable: Path | None = None                 # the file made unreadable (chmod 000)


def _symlink(target: Path, link: Path) -> bool:
    """Make a symlink; False where the OS refuses (Windows without developer mode)."""
    try:
        os.symlink(target, link)
        return True
    except (OSError, NotImplementedError):
        return False


def _write(root: Path, rel: str, data: bytes) -> None:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)


HUGE_XML_BYTES = 2 * 1024 * 1024  # the hostile archive's huge XML part (use max_xml_bytes=1 MiB)


def build_hostile_archive(base: Path) -> HostileArchive:
    """An archive with good files and one of each bad file, in ``base/archive``.

    Use it with ``ReadLimits(max_pages=5, max_zip_bytes=4 MiB, max_xml_bytes=1 MiB)`` so the
    page cap, the zip caps and the XML cap trip on small inputs.
    """
    root = base / "archive"
    root.mkdir(parents=True)
    outside = base / "outside-secret.pdf"
    outside.write_bytes(make_pdf([["行政处罚决定书", "不应被读取的文件"]]))
    h = HostileArchive(root=root, outside=outside)
    E, D = h.expected_errors, h.expected_docs

    good_docx = filing_docx()
    good_pdf = decision_pdf()
    # case A001: a folder with good files and each bad file
    _write(root, "A001/立案.docx", good_docx)
    D["A001/立案.docx"] = "filing_approval"
    _write(root, "A001/扫描件(3).pdf", good_pdf)
    D["A001/扫描件(3).pdf"] = "decision"
    _write(root, "A001/子目录/询问.docx", inquiry_docx())
    D["A001/子目录/询问.docx"] = "inquiry_record"
    E["A001/子目录"] = {"E133"}  # a sub-folder is read as part of the case, and said so
    _write(root, "A001/空文件.docx", b"")
    E["A001/空文件.docx"] = {"E101"}
    _write(root, "A001/截断.docx", good_docx[: len(good_docx) // 2])
    E["A001/截断.docx"] = {"E102"}
    _write(root, "A001/截断.pdf", good_pdf[: len(good_pdf) // 2])
    E["A001/截断.pdf"] = {"E102"}
    _write(root, "A001/假的.pdf", "这不是PDF，只是一段文字。".encode())
    E["A001/假的.pdf"] = {"E103"}
    _write(root, "A001/加密.pdf", make_pdf([["行政处罚决定书"]], user_password="secret"))
    E["A001/加密.pdf"] = {"E104"}
    _write(root, "A001/空口令加密.pdf", make_pdf([["现场检查笔录", "检查情况：正常"]], owner_password="own"))
    D["A001/空口令加密.pdf"] = "inspection_record"
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    _write(root, "A001/密码.docx", ole + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512)
    E["A001/密码.docx"] = {"E105"}
    _write(root, "A001/旧版.doc", ole + "WordDocument".encode("utf-16-le") + b"\x00" * 512)
    # a damaged legacy file: LibreOffice fails on it (E130); without LibreOffice E111 names it
    E["A001/旧版.doc"] = {"E130"} if has_soffice() else {"E111"}
    _write(root, "A001/说明.xyz", b"some notes")
    E["A001/说明.xyz"] = {"E107"}
    _write(root, "A001/无权限.docx", make_docx([("p", "询问笔录"), ("p", "问：无权限读取的文件？")]))
    h.unreadable = root / "A001/无权限.docx"
    os.chmod(h.unreadable, 0)
    E["A001/无权限.docx"] = {"E112"}
    if _symlink(outside, root / "A001/链接.pdf"):
        E["A001/链接.pdf"] = {"E113"}
    _write(root, "A001/长文件.pdf", make_pdf([["询问笔录", f"第{i + 1}页内容"] for i in range(7)]))
    E["A001/长文件.pdf"] = {"E114"}
    D["A001/长文件.pdf"] = "inquiry_record"
    _write(root, "A001/立案（副本）.docx", good_docx)  # sorts after 立案.docx: the second copy
    E["A001/立案（副本）.docx"] = {"E115"}
    _write(root, "A001/实体.docx", with_doctype(inspection_docx()))
    E["A001/实体.docx"] = {"E122"}
    _write(root, "A001/照片.jpg", make_jpeg())
    E["A001/照片.jpg"] = {"E117"}
    _write(root, "A001/坏图.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    E["A001/坏图.png"] = {"E102"}
    _write(root, "A001/扫描无文字.pdf", make_pdf([["现场检查笔录"], []], blank_pages=(1,)))
    E["A001/扫描无文字.pdf"] = {"E106"}
    D["A001/扫描无文字.pdf"] = "inspection_record"
    _write(root, "A001/万页.pdf", many_page_pdf(10_000))  # read up to the page cap only
    E["A001/万页.pdf"] = {"E114"}
    D["A001/万页.pdf"] = "other"
    _write(root, "A001/巨幅.png", png_header_only(12_000, 9_000))  # 108 megapixels, never decoded
    E["A001/巨幅.png"] = {"E114"}
    _write(root, "A001/巨大XML.docx", huge_xml_docx(HUGE_XML_BYTES))  # over max_xml_bytes
    E["A001/巨大XML.docx"] = {"E122"}
    _write(root, "A001/谎报大小.docx", lying_size_docx())
    E["A001/谎报大小.docx"] = {"E102"}
    # folders named in GBK bytes (as copied from an old Windows machine), where the OS allows it
    gbk_dir = make_raw_dir(root / "A001", "扫描件".encode("gbk"))
    if gbk_dir is not None:
        (gbk_dir / "送达.docx").write_bytes(service_docx())
        D["A001/扫描件/送达.docx"] = "service_receipt"
        E["A001/扫描件"] = {"E133"}
        bad_dir = make_raw_dir(root / "A001", b"\xff\xfe")
        assert bad_dir is not None
        (bad_dir / "x.xyz").write_bytes(b"notes")
        E["A001/\\xff\\xfe/x.xyz"] = {"E118", "E107"}
        E["A001/\\xff\\xfe"] = {"E133"}
        case_dir = make_raw_dir(root, "A009案卷".encode("gbk"))
        assert case_dir is not None
        (case_dir / "结案.docx").write_bytes(combined_docx())
        D.update({"A009案卷/结案.docx#1": "prior_notice", "A009案卷/结案.docx#2": "closing_approval"})

    # case A002: a zip of a case folder with a path-traversal member and a GBK member name
    _write(root, "A002.zip", gbk_named_zip(
        [("A002/送达回证.docx", service_docx()),
         ("../evil.txt", b"escaped"),
         ("A002/现场检查笔录.docx", inspection_docx()),
         ("A002/bad-name.txt", b"x")],
        gbk_names=("A002/现场检查笔录.docx",),
        raw_names=(("A002/bad-name.txt", b"A002/\x80\xff.txt"),)))
    D["A002.zip!/A002/送达回证.docx"] = "service_receipt"
    D["A002.zip!/A002/现场检查笔录.docx"] = "inspection_record"
    E["A002.zip"] = {"E108"}
    # case A003: a zip bomb (a highly compressible member, small on disk)
    _write(root, "A003.zip", zip_of([("A003/炸弹.docx", b"\x00" * (8 * 1024 * 1024)),
                                     ("A003/询问笔录.docx", inquiry_docx())]))
    E["A003.zip!/A003/炸弹.docx"] = {"E109"}
    D["A003.zip!/A003/询问笔录.docx"] = "inquiry_record"
    # case A004: not a zip at all
    _write(root, "A004.zip", b"PK\x03\x04 this is not really a zip archive")
    E["A004.zip"] = {"E110"}
    # case A005: a scanned page at the top level
    _write(root, "A005.jpg", make_jpeg())
    E["A005.jpg"] = {"E117"}
    # case A006: a top-level symlink out of the archive
    if _symlink(outside, root / "A006.pdf"):
        E["A006.pdf"] = {"E113"}
    # case A007: a combined PDF; A008: a multi-document DOCX
    _write(root, "A007.pdf", combined_pdf())
    D.update({"A007.pdf#1": "filing_approval", "A007.pdf#2": "inquiry_record",
              "A007.pdf#3": "service_receipt"})
    _write(root, "A008.docx", combined_docx())
    D.update({"A008.docx#1": "prior_notice", "A008.docx#2": "closing_approval"})
    # case A010: a password zip (its own code, member names decoded); A011: a zip in a zip
    _write(root, "A010.zip", encrypted_zip([("A010/决定书.docx", decision_docx())]))
    E["A010.zip!/A010/决定书.docx"] = {"E131"}
    _write(root, "A011.zip", zip_of([("A011/询问笔录.docx", inquiry_docx()),
                                     ("A011/附件.zip", zip_of([("送达回证.docx", service_docx())]))]))
    D["A011.zip!/A011/询问笔录.docx"] = "inquiry_record"
    E["A011.zip!/A011/附件.zip"] = {"E132"}
    # case A012: an OFD (GB/T 33190) read from its text layer
    _write(root, "A012.ofd", make_ofd([["行政处罚决定书", "沪青城管罚字〔2024〕第77号", "当事人：王五"]]))
    D["A012.ofd"] = "decision"
    # the register is not a case (a legacy .xls one neither)
    _write(root, "旧台账.xls", make_xls([["案件编号", "当事人"], ["A001", "张三"]]))
    _write(root, "台账.csv", "案件编号,当事人\nA001,张三\n".encode("utf-8-sig"))
    return h
