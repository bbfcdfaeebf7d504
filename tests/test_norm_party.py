"""Party: id classification, kind, masking, name comparison."""
from __future__ import annotations

import pytest

from extractors.normalise.party import (
    classify_id,
    mask_id,
    mask_phone,
    mask_text,
    names_compatible,
    names_equal,
    party_kind,
)


@pytest.mark.parametrize(
    "s, kind",
    [
        ("310115199001011234", "id_card"),
        ("31011519900101123X", "id_card"),
        ("31011519900101123x", "id_card"),
        ("31011519******123X", "id_card"),
        ("310115********1234", "id_card"),
        ("３１０１１５１９９００１０１１２３４", "id_card"),
        ("310115900101123", "id_card"),
        ("91310118MA1J******", "credit_code"),
        ("91310118MA1JABCD1X", "credit_code"),
        ("91310118ma1jabcd1x", "credit_code"),
        ("（91310118MA1JABCD1X", "credit_code"),
        ("92310118MA1JABCD1X", "credit_code"),
        ("913101180000000001", "credit_code"),
        ("12310118425012345X", "credit_code"),
        ("12345", None),
        ("", None),
        (None, None),
        ("******************", None),
        ("2406015", None),
    ],
)
def test_norm_party_classify_id(s, kind):
    assert classify_id(s) == kind


@pytest.mark.parametrize(
    "id_number, name, text, as_, kind",
    [
        ("310115199001011234", "杜小平", "", "individual", "individual"),
        ("31011519******123X", None, "", "individual", "individual"),
        ("91310118MA1J******", "上海某某餐饮有限公司", "", "individual", "organisation"),
        ("91310118MA1JABCD1X", "青浦区某某小吃店", "当事人：青浦区某某小吃店（个体工商户）",
         "individual", "individual"),
        ("91310118MA1JABCD1X", "青浦区某某小吃店", "个体工商户", "organisation", "organisation"),
        ("92310118MA1JABCD1X", "某某水果店", "", "individual", "individual"),
        ("92310118MA1JABCD1X", "某某水果店", "", "organisation", "organisation"),
        ("91310118MA1JABCD1X", None, "当事人类型：□个人 ☑单位 □个体工商户", "individual", "organisation"),
        (None, "上海某某建设工程有限公司", "", "individual", "organisation"),
        (None, "某某五金厂", "", "individual", "organisation"),
        (None, "某某农业专业合作社", "", "individual", "organisation"),
        (None, "某某服务中心", "", "individual", "organisation"),
        (None, "某某便利店", "个体工商户 经营者：王某", "individual", "individual"),
        (None, None, "统一社会信用代码：（空） 法定代表人：张三", "individual", "organisation"),
        (None, None, "身份证号：*** 性别：男", "individual", "individual"),
        (None, "杜**", "", "individual", "individual"),
        (None, None, "", "individual", None),
        ("12345", "ABC", "", "individual", None),
    ],
)
def test_norm_party_kind(id_number, name, text, as_, kind):
    assert party_kind(id_number, name, text, individual_business_as=as_) == kind


def test_norm_party_kind_rejects_bad_setting():
    with pytest.raises(ValueError):
        party_kind(None, individual_business_as="company")


@pytest.mark.parametrize(
    "s, masked",
    [
        ("310115199001011234", "310115********1234"),
        ("31011519900101123x", "310115********123X"),
        ("31011519******123X", "310115********123X"),
        ("91310118MA1JABCD1X", "91310118MA1JABCD1X"),
        ("abc", "abc"),
    ],
)
def test_norm_party_mask_id(s, masked):
    assert mask_id(s) == masked


@pytest.mark.parametrize(
    "s, masked",
    [("13812341234", "138****1234"), ("138-1234-5678", "138****5678"), ("021-59731234", "021-59731234")],
)
def test_norm_party_mask_phone(s, masked):
    assert mask_phone(s) == masked


def test_norm_party_mask_text():
    text = ("身份证号310115199001011234，联系电话13812345678（或 138 1234 5678），案号2406015，"
            "统一社会信用代码91310118MA1JABCD1X")
    assert mask_text(text) == (
        "身份证号310115********1234，联系电话138****5678（或 138****5678），案号2406015，"
        "统一社会信用代码91310118MA1JABCD1X"
    )
    assert mask_text("") == ""
    assert mask_text("无个人信息") == "无个人信息"


@pytest.mark.parametrize(
    "a, b, compatible",
    [
        ("杜**", "杜某某", True),
        ("杜**", "杜某", True),
        ("杜**", "杜小平", True),
        ("杜某", "杜小平", True),
        ("杜某某", "杜小平", True),
        ("冷*", "冷小明", True),
        ("邱*平", "邱小平", True),
        ("邱*平", "邱小明", False),
        ("杜*平", "杜小*", True),
        ("杜**", "李**", False),
        ("杜小平", "杜大平", False),
        ("杜小平", "杜小平平", False),
        ("杜 小 平", "杜小平", True),
        ("杜＊＊", "杜小平", True),
        ("上海某某餐饮有限公司", "上海青浦餐饮有限公司", True),
        ("上海某某餐饮有限公司", "上海某某贸易有限公司", False),
        ("", "杜小平", False),
    ],
)
def test_norm_party_names_compatible(a, b, compatible):
    assert names_compatible(a, b) is compatible
    assert names_compatible(b, a) is compatible


@pytest.mark.parametrize(
    "a, b, equal",
    [
        ("杜小平", "杜小平", True),
        ("杜 小平", "杜小平", True),
        ("某某（上海）有限公司", "某某(上海)有限公司", True),
        ("杜**", "杜某某", False),
        ("杜**", "杜小平", False),
        ("杜小平", "杜大平", False),
        ("", "", False),
    ],
)
def test_norm_party_names_equal(a, b, equal):
    assert names_equal(a, b) is equal
