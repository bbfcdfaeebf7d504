"""One masked-name comparator (extractors/normalise/names.py): CON-01, MIS-01 and assembly agree.

CON-01 asks "do two documents of one file name different parties?", MIS-01 "do two files name the
same party?", assembly "may this document's party block be the same party?". Before issue 12 each
had its own comparison and mask alphabet, so CON-01 and MIS-01 could answer a pair differently.
"""
from __future__ import annotations

import pytest

from checks.registry import CheckContext, all_checks, run_case_checks
from checks.rules import make_context
from extractors.normalise.names import has_mask, names_match, norm_name
from extractors.normalise.party import names_compatible
from tests.casebuilder import build_case
from tests.test_cross_checks import build_case as build_cross_case

# (a, b, same party?) — a from a text document, b as read (a scan for the OCR-noise pairs)
PAIRS = [
    ("张某某", "张三", True),                                    # pseudonymised given name
    ("上海＊＊有限公司", "上海某某有限公司", True),                # two mask alphabets, one meaning
    ("上海××餐饮有限公司", "上海〇〇餐饮有限公司", True),
    ("杜**", "杜小平", True),
    ("邱*平", "邱小平", True),
    ("上海青浦明珠餐饮有限公司", "上海青浦明珠餐钦有限公司", True),  # OCR noise: ratio ≥ 90
    ("青浦区 香花桥（马氏）便利店", "青浦区香花桥(马氏)便利店", True),  # spaces, bracket width
    ("张三", "张山", False),                                      # ratio 50
    ("邱*平", "邱小明", False),                                   # a visible character differs
    ("上海青浦某某餐饮有限公司", "上海青浦某某贸易有限公司", False),
    ("杜**", "李**", False),
]


def _con01_flags(a: str, b: str) -> bool:
    case = build_case({"procedure": "general", "docs": [
        {"type": "filing_approval", "id": "f.pdf", "fields": {"party_name": a}},
        {"type": "decision", "id": "d.pdf", "ocr": True, "fields": {"party_name": b}},
    ]})
    return bool(run_case_checks(case, make_context(), only=["CON-01"], debug=True))


def _mis01_flags(a: str, b: str) -> bool:
    def one(case_id: str, name: str, day: str) -> dict:
        return {"case_id": case_id, "fields": {
            "party": {"name": name, "kind": "individual"}, "violation_type": "zhan_dao_she_tan",
            "violation_place": "青浦区华志路123号", "violation_date": day, "fine_yuan": 3000, "procedure": "general"}}

    cases = [build_cross_case(one("2403001", a, "2024-03-01")), build_cross_case(one("2403002", b, "2024-03-10"))]
    ctx = CheckContext(rules={}, calendar=None)
    return bool(list(all_checks()["MIS-01"].func(cases, ctx)))


@pytest.mark.parametrize("a,b,same", PAIRS, ids=[f"{a}~{b}" for a, b, _ in PAIRS])
def test_checks_names_con01_and_mis01_agree(a: str, b: str, same: bool) -> None:
    assert names_match(a, b, similarity=90) is same
    assert names_match(b, a, similarity=90) is same
    assert _con01_flags(a, b) is (not same), "CON-01"
    assert _mis01_flags(a, b) is same, "MIS-01 (3,000 + 3,000 within 30 days reaches the 5,000 threshold)"


@pytest.mark.parametrize("a,b,same", [p for p in PAIRS if "餐钦" not in p[1]])
def test_checks_names_assembly_agrees_without_ocr_tolerance(a: str, b: str, same: bool) -> None:
    assert names_compatible(a, b) is same


@pytest.mark.parametrize("a,b,strict,lenient", [
    ("某某", "张三", False, True),        # nothing visible: not contradicted, but no evidence either
    ("**有限公司", "某某有限公司", True, True),
])
def test_checks_names_min_visible_is_the_only_difference(a: str, b: str, strict: bool, lenient: bool) -> None:
    assert names_match(a, b, min_visible=1) is strict
    assert names_match(a, b, min_visible=0) is lenient


def test_checks_names_one_mask_alphabet() -> None:
    for masked in ("张＊", "张*", "张×", "张Ｘ", "张○", "张〇", "张某", "张●"):
        assert has_mask(norm_name(masked)), masked
    assert norm_name(" 上海（青浦）·某某 公司 ") == "上海青浦某某公司"
