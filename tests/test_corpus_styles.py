"""House styles of the synthetic corpus (corpus/styles.py): the same month written by other hands.

The properties asserted here come from the brief of issue 13 item 6, not from the code's output: each
document type is written in at least three styles; a style changes how the documents look, never
what the file says (the truth of every field is the house month's); every seeded defect's quote
still stands in its document; the default keeps today's house style and truth.
"""
from __future__ import annotations

import collections
import re

import pytest

from corpus.generator import generate_cases, spec_to_json, text_of
from corpus.styles import load_style, resolve_styles, style_names
from pipeline.core.models import DOC_TYPES

MONTH = "2024-06"


@pytest.fixture(scope="module")
def styled():
    return generate_cases(160, MONTH, 9, styles=("all",))


@pytest.fixture(scope="module")
def house():
    return generate_cases(160, MONTH, 9)


def _docs(c):
    return [d for f in c.files for d in f.docs]


def test_corpus_styles_default_is_the_house_without_style_keys(house):
    assert all("style" not in c.truth for c in house)
    assert all("style" not in d for c in house for d in c.truth["documents"])


def test_corpus_styles_resolve():
    assert resolve_styles(()) == ()
    assert resolve_styles(("all",)) == style_names()
    assert resolve_styles(("prose,terse",)) == ("prose", "terse")
    assert len(style_names()) >= 4 and style_names()[0] == "house"
    with pytest.raises(ValueError, match="unknown house style"):
        resolve_styles(("nosuch",))


def test_corpus_styles_same_seed_same_bytes():
    a = spec_to_json(generate_cases(30, MONTH, 4, styles=("all",)))
    assert a == spec_to_json(generate_cases(30, MONTH, 4, styles=("all",)))


def test_corpus_styles_truth_fields_are_the_house_months(styled, house):
    for a, b in zip(house, styled):
        assert a.case_id == b.case_id
        for key in ("fields", "findings", "register", "related_cases", "procedure", "outcome", "squad"):
            assert a.truth[key] == b.truth[key], (a.case_id, key)


def _look(doc):
    return tuple((b.kind, b.text, b.rows) for b in doc.blocks)


def test_corpus_styles_every_doc_type_in_three_styles(styled):
    for c in styled:
        assert c.truth["style"] in style_names()
        assert all(d["style"] == c.truth["style"] for d in c.truth["documents"])
    house = generate_cases(100, MONTH, 5)
    base = {c.case_id: {(d.doc_type, i): _look(d) for i, d in enumerate(_docs(c))} for c in house}
    others = [n for n in style_names() if n != "house"]
    assert len(others) >= 3
    for name in others:
        written = collections.defaultdict(int)
        for c in generate_cases(100, MONTH, 5, styles=(name,)):
            house_texts = set(base[c.case_id].values())
            for d in _docs(c):
                if _look(d) not in house_texts:  # laid out or written differently from the house
                    written[d.doc_type] += 1
        assert [k for k in DOC_TYPES if not written[k]] == [], name


def test_corpus_styles_quotes_stand_in_their_documents(styled):
    for c in styled:
        where = {(d["path"], d["part"]): i for i, d in enumerate(c.truth["documents"])}
        flat = _docs(c)
        assert len(flat) == len(c.truth["documents"])
        for defect in c.truth["defects"]:
            if defect["document"] == "台账.xlsx":
                continue
            assert defect["quote"] in text_of(flat[where[(defect["document"], defect["part"])]]), (c.case_id, defect)


def _text(c):
    return "\n".join(text_of(d) for d in _docs(c))


def test_corpus_styles_officers_and_certificates_as_the_style_writes_them(styled):
    for c in styled:
        st = load_style(c.truth["style"])
        text = _text(c)
        for o in c.truth["fields"]["officers"]:
            assert o["name"] in text
            if o["cert_no"] and st.officers != "keep":  # the certificate in brackets after the name
                assert f"{o['name']}（执法证号：{st.cert_prefix}{o['cert_no']}）" in text, (c.case_id, o)
        if st.officers == "one_cell" and c.truth["procedure"] == "general" and len(c.truth["fields"]["officers"]) == 2:
            insp = next((d for d in _docs(c) if d.doc_type == "inspection_record"), None)
            if insp is not None:
                rows = [r for b in insp.blocks for r in b.rows if r and r[0] == "执法人员"]
                assert rows and "、" in rows[0][1]


def test_corpus_styles_short_squads_and_titles(styled):
    for c in styled:
        st = load_style(c.truth["style"])
        text = _text(c)
        squad = c.truth["squad"]
        if st.squad == "short":
            assert squad not in text  # 青浦区城管执法局X中队 printed as X中队
        for d, spec in zip(c.truth["documents"], _docs(c)):
            titles = [b.text for b in spec.blocks if b.kind == "title"]
            if st.titles == "spaced" and d["title"]:
                assert re.fullmatch(r"(\S )+\S", d["title"]) or len(d["title"].replace(" ", "")) > 10
            if st.titles == "two_line" and titles:
                assert len(titles) == 2 and titles[0] == "上海市青浦区城市管理行政执法局"
            if d["title"] == "":
                assert not titles and st.titles == "missing"


def test_corpus_styles_payment_slips_carry_issue_and_payment_dates(styled):
    n = 0
    for c in styled:
        if not load_style(c.truth["style"]).payment_issue_date:
            continue
        for spec in _docs(c):
            if spec.doc_type == "payment_receipt":
                text = text_of(spec)
                assert "填发日期" in text.replace(" ", "")
                n += 1
    assert n


def test_corpus_styles_clean_files_without_a_separate_av_log_mention_the_recording(styled):
    without = 0
    for c in styled:
        types = {d["doc_type"] for d in c.truth["documents"]}
        if c.truth["clean"] and "av_record" not in types:
            without += 1
            assert "执法记录仪" in _text(c), c.case_id
        if "REC-01" in c.truth["findings"]:
            assert "av_record" not in types
    assert without


def test_corpus_styles_combined_files_split_only_by_headings(styled):
    flags = {(c.truth["style"], f.continuous) for c in styled for f in c.files if len(f.docs) > 1}
    assert ("terse", True) in flags and all(not cont for st, cont in flags if st != "terse")
    for c in styled:  # split only by headings: every document there has one
        for f in c.files:
            if f.continuous:
                assert all(any(b.kind == "title" for b in d.blocks) for d in f.docs), c.case_id


@pytest.mark.parametrize("n, seed", [(8, 12), (40, 11), (77, 3)])
def test_corpus_styles_generate_small_months(n, seed):
    cases = generate_cases(n, MONTH, seed, styles=("all",))
    assert len(cases) == n


def test_corpus_styles_titled_register_has_a_title_row_and_grouped_headers(tmp_path):
    from openpyxl import load_workbook

    from corpus.generator import register_rows
    from corpus.writer import write_register

    cases = generate_cases(12, MONTH, 3, styles=("all",))
    rows = register_rows(cases)
    write_register(rows, tmp_path / "plain.xlsx")
    write_register(rows, tmp_path / "titled.xlsx", "titled")
    plain = list(load_workbook(tmp_path / "plain.xlsx").active.iter_rows(values_only=True))
    ws = load_workbook(tmp_path / "titled.xlsx").active
    titled = list(ws.iter_rows(values_only=True))
    assert titled[0][0] and "台账" in titled[0][0] and all(v is None for v in titled[0][1:])
    assert titled[1][0] == "案件信息" and titled[2] == plain[0]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:M1" in merged and any(r.endswith("2") and r.startswith("A2") for r in merged)
    assert len(titled) == len(plain) + 2
    squads = {r[1] for r in titled[3:]}
    assert squads and all(s.endswith("中队") and not s.startswith("青浦区城管执法局") for s in squads)
