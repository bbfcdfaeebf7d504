"""The case register (台账): headers with synonyms, value conversion, encodings, errors."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.read.register import REGISTER_KEYS, index_by_case_number, read_register, to_iso_date


def _xlsx(path: Path, rows: list[list]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


HEADER = ["序号", "案件编号", "承办中队", "当事人", "案由", "适用程序", "立案日期", "结案日期", "办结状态",
          "罚款金额（元）", "是否重大法制审核", "视音频", "案件来源", "投诉次数"]


def test_register_xlsx_headers_and_values(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "台账.xlsx", [
        ["2024年6月案件台账"],  # a title row above the header
        HEADER,
        [1, 2403015, "第一中队", "张三", "占道设摊", "一般", dt.datetime(2024, 3, 5), 45380, "已结案", 200, "否", "是",
         "巡查", None],
        [2, "2403016", "第二中队", "某公司", "乱张贴", "简易程序", "2024/3/6", "2024年3月8日", "办结", "1,500.50元",
         "是", "无", "投诉", "3次"],
    ])
    rows, errors = read_register(path)
    assert errors == []
    assert [r.row for r in rows] == [3, 4]
    assert dict(rows[0].values) == {
        "case_number": "2403015", "squad": "第一中队", "party": "张三", "cause": "占道设摊", "procedure": "general",
        "filing_date": "2024-03-05", "closing_date": "2024-03-29",  # Excel serial 45380 = 2024-03-29
        "status": "已结案", "fine_yuan": 200, "major_review": False, "av_record": True, "source": "巡查",
        "complaint_count": None}
    assert dict(rows[1].values) == {
        "case_number": "2403016", "squad": "第二中队", "party": "某公司", "cause": "乱张贴", "procedure": "simple",
        "filing_date": "2024-03-06", "closing_date": "2024-03-08", "status": "办结", "fine_yuan": 1500.5,
        "major_review": True, "av_record": False, "source": "投诉", "complaint_count": 3}
    assert set(index_by_case_number(rows)) == {"2403015", "2403016"}


@pytest.mark.parametrize("headers, key", [
    (["案号"], "case_number"), (["编号"], "case_number"), (["决定书文号"], "case_number"),
    (["案件编号", "中队"], "squad"), (["案件编号", "承办单位"], "squad"), (["案件编号", "执法队"], "squad"),
    (["案件编号", "当事人名称"], "party"), (["案件编号", "违法行为"], "cause"), (["案件编号", "程序"], "procedure"),
    (["案件编号", "立案时间"], "filing_date"), (["案件编号", "办结日期"], "closing_date"),
    (["案件编号", "案件状态"], "status"), (["案件编号", "罚款数额"], "fine_yuan"),
    (["案件编号", "重大法核"], "major_review"),
    (["案件编号", "是否有视音频记录"], "av_record"), (["案件编号", "来源"], "source"),
    (["案件编号", "重复投诉次数"], "complaint_count"), (["案件编号", " 罚 款 "], "fine_yuan"),
])
def test_register_header_synonyms(tmp_path: Path, headers: list[str], key: str) -> None:
    values = {"case_number": "A1", "squad": "一中队", "party": "张三", "cause": "乱设摊", "procedure": "普通程序",
              "filing_date": "2024-06-03", "closing_date": "2024-06-20", "status": "已结案", "fine_yuan": "500",
              "major_review": "Y", "av_record": "有", "source": "信访", "complaint_count": "2"}
    expected = {"case_number": "A1", "squad": "一中队", "party": "张三", "cause": "乱设摊", "procedure": "general",
                "filing_date": "2024-06-03", "closing_date": "2024-06-20", "status": "已结案", "fine_yuan": 500,
                "major_review": True, "av_record": True, "source": "信访", "complaint_count": 2}
    row = ["A1"] + [values[key]] * (len(headers) - 1)
    path = (tmp_path / "台账.csv")
    path.write_text(",".join(headers) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    rows, errors = read_register(path)
    assert errors == []
    assert rows[0].values[key] == expected[key]
    assert set(rows[0].values) == set(REGISTER_KEYS)


def test_register_csv_gbk_fallback(tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    path.write_bytes("案件编号,当事人,罚款金额\n2403015,张三,200\n".encode("gbk"))
    rows, errors = read_register(path)
    assert errors == [] and rows[0].values["party"] == "张三" and rows[0].values["fine_yuan"] == 200


def test_register_csv_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    path.write_bytes("\ufeff案件编号,立案日期\n2403015,20240305\n".encode("utf-8"))
    rows, errors = read_register(path)
    assert errors == [] and rows[0].values["case_number"] == "2403015"
    assert rows[0].values["filing_date"] == "2024-03-05"


def test_register_missing_case_number_column_is_e120(tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    path.write_text("当事人,案由\n张三,占道\n", encoding="utf-8")
    rows, errors = read_register(path)
    assert rows == [] and [e.code for e in errors] == ["E120"]
    assert "案件编号" in errors[0].message


def test_register_unparseable_cells_are_e121_and_none(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "台账.xlsx", [HEADER, [1, "2403017", None, None, None, "特别", "昨天", "2024-02-30",
                                                   None, "很多", "也许", None, None, "x"]])
    rows, errors = read_register(path)
    assert [(e.code, e.message.split("“")[1].split("”")[0]) for e in errors] == [
        ("E121", "程序"), ("E121", "立案日期"), ("E121", "结案日期"), ("E121", "罚款金额"),
        ("E121", "是否重大法制审核"), ("E121", "投诉次数")]
    assert all("第 2 行" in e.message for e in errors)
    v = rows[0].values
    assert (v["procedure"], v["filing_date"], v["closing_date"], v["fine_yuan"], v["major_review"],
            v["complaint_count"]) == (None,) * 6
    assert v["case_number"] == "2403017"


def test_register_row_without_case_number_is_kept_with_e121(tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    path.write_text("案件编号,当事人\n,张三\n\n2403016,李四\n", encoding="utf-8")
    rows, errors = read_register(path)
    assert [(r.row, r.values["case_number"], r.values["party"]) for r in rows] == [
        (2, None, "张三"), (4, "2403016", "李四")]
    assert [e.code for e in errors] == ["E121"]
    assert list(index_by_case_number(rows)) == ["2403016"]


@pytest.mark.parametrize("content", [b"PK\x03\x04 broken", b"not a workbook"])
def test_register_unreadable_xlsx_is_e119(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(content)
    rows, errors = read_register(path)
    assert rows == [] and [e.code for e in errors] == ["E119"]


@pytest.mark.parametrize("value, expected", [
    ("2024-03-05", "2024-03-05"), ("2024/3/5", "2024-03-05"), ("2024.3.5", "2024-03-05"),
    ("2024年3月5日", "2024-03-05"), ("2024 年 3 月 5 日", "2024-03-05"), ("20240305", "2024-03-05"),
    ("2024-03-05 14:30:00", "2024-03-05"), (dt.date(2024, 3, 5), "2024-03-05"),
    (dt.datetime(2024, 3, 5, 9, 0), "2024-03-05"), (45356, "2024-03-05"), (45356.5, "2024-03-05"),
    ("45356", "2024-03-05"), (None, None), ("", None),
])
def test_register_dates(value, expected) -> None:
    assert to_iso_date(value) == expected
