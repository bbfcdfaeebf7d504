"""The party: kind (individual / organisation), id numbers, masking, name comparison (casefile.md §8.5–8.6).

Kind comes from the id type: a 身份证号 → individual; a 统一社会信用代码 → organisation, except an
个体工商户 (stated in the text, or a code whose first two characters are 92), which is treated as
``individual_business_as`` (UNCONFIRMED in the domain files, so the caller passes the configured value).
Masked and malformed ids are classified by shape and never checksum-validated.
"""
from __future__ import annotations

import re
import unicodedata

from extractors.normalise.names import names_match
from pipeline.core.masking import mask_personal

ORG_SUFFIXES = ("公司", "厂", "店", "中心", "合作社", "商行", "餐厅", "饭店", "酒店", "超市", "门市部", "经营部",
                "工作室", "事务所", "医院", "学校", "幼儿园", "协会", "集团", "委员会", "研究所", "分公司",
                "有限合伙", "物业", "工地", "项目部")
_CREDIT_CHARS = "0-9A-HJ-NPQRTUWXY"
_CREDIT_RE = re.compile(r"^[" + _CREDIT_CHARS + r"]{2}[0-9*]{6}[" + _CREDIT_CHARS + r"*]{10}$")
_ID18_RE = re.compile(r"^[0-9*]{17}[0-9X*]$")
_ID15_RE = re.compile(r"^[1-8]\d{14}$")
_DATE8_RE = re.compile(r"^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$")
_UNCHECKED = "□☐"


def _clean_id(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    s = re.sub(r"[\s()\[\]{}（）【】:：,，.。;；'\"“”]", "", s)
    return s.upper()


def classify_id(s: str | None) -> str | None:
    """``'id_card'`` for a 身份证号, ``'credit_code'`` for a 统一社会信用代码, None otherwise (masks allowed)."""
    if not s:
        return None
    c = _clean_id(s)
    if _ID15_RE.match(c):
        return "id_card"
    if len(c) != 18:
        return None
    visible = sum(ch != "*" for ch in c)
    if visible < 6:
        return None
    letters = [ch for ch in c[:17] if ch.isalpha()]
    if not letters and _ID18_RE.match(c):
        birth = c[6:14]
        if "*" in birth or _DATE8_RE.match(birth):
            if c[0] in "12345678" or c[0] == "*":
                return "id_card"
        if _CREDIT_RE.match(c):
            return "credit_code"
        return None
    if _CREDIT_RE.match(c):
        return "credit_code"
    return None


def _says_individual_business(text: str) -> bool:
    for m in re.finditer("个体工商户", text or ""):
        before = text[max(0, m.start() - 2):m.start()].strip()
        if before and before[-1] in _UNCHECKED:
            continue  # an unticked box on a form
        return True
    return False


def _looks_like_person(name: str) -> bool:
    n = "".join(unicodedata.normalize("NFKC", name).split())
    return bool(re.fullmatch(r"[\u4e00-\u9fa5][\u4e00-\u9fa5*×●某]{0,3}", n)) and not n.endswith(ORG_SUFFIXES)


def party_kind(id_number: str | None, name: str | None = None, text: str = "", *,
               individual_business_as: str = "individual") -> str | None:
    """``'individual'`` / ``'organisation'`` for a party, or None when nothing decides it.

    Order: the id type; then 个体工商户 in the text; then an organisation-like name (…公司/厂/店/中心/合作社);
    then the labels in the text (统一社会信用代码/法定代表人 vs 身份证号); then a person-like name (2–4 characters).
    """
    if individual_business_as not in ("individual", "organisation"):
        raise ValueError(
            f"individual_business_as must be individual or organisation, got {individual_business_as!r}")
    kind = classify_id(id_number)
    ind_business = _says_individual_business(text)
    if kind == "id_card":
        return "individual"
    if kind == "credit_code":
        code = _clean_id(id_number or "")
        if ind_business or code.startswith("92"):
            return individual_business_as
        return "organisation"
    if ind_business:
        return individual_business_as
    n = "".join(unicodedata.normalize("NFKC", name or "").split())
    if n and n.endswith(ORG_SUFFIXES):
        return "organisation"
    if text:
        org_label = re.search(r"统一社会信用代码|法定代表人|单位名称", text)
        person_label = re.search(r"身份证(?:号|件)|公民身份号码|性别|出生日期|出生年月", text)
        if org_label and not person_label:
            return "organisation"
        if person_label and not org_label:
            return "individual"
    if n and _looks_like_person(n):
        return "individual"
    return None


# --- masking ------------------------------------------------------------------------------------

def mask_id(s: str) -> str:
    """A 身份证号 with only its first 6 and last 4 characters shown (310115********123X).

    Credit codes are public and come back unchanged; anything else comes back unchanged.
    """
    if classify_id(s) != "id_card":
        return s
    c = _clean_id(s)
    return c[:6] + "*" * (len(c) - 10) + c[-4:]


def mask_phone(s: str) -> str:
    """A mobile number as 138****1234 (separators dropped); other strings unchanged."""
    digits = re.sub(r"[\s\-－]", "", unicodedata.normalize("NFKC", s))
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return digits[:3] + "****" + digits[-4:]
    return s


mask_text = mask_personal  # every 身份证号 and mobile number in a text: the one masker, in the kernel


# --- names --------------------------------------------------------------------------------------

def _norm_name(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s or "").split())


def names_compatible(a: str, b: str) -> bool:
    """True when two printed names can be the same name (杜** ~ 杜某某 ~ 杜某 ~ 杜小平; 邱*平 ~ 邱小平):
    ``names.names_match`` with nothing required to be visible, so two different masked forms that do
    not contradict each other are compatible (never "equal"). Empty → False.
    """
    return names_match(a, b, min_visible=0)


def names_equal(a: str, b: str) -> bool:
    """Strict equality after removing spaces and folding full/half width.

    Masked forms are only equal to the identical masked form.
    """
    na, nb = _norm_name(a), _norm_name(b)
    return bool(na) and na == nb
