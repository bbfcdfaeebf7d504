"""Violation types of the corpus: 案由, the articles violated and applied, fine ranges, the act.

Articles and fine ranges come from ``extractors/data/violations.yaml`` (``load_catalogue()``);
the ``_FALLBACK`` table here is used only for keys the catalogue lacks (or if it cannot be loaded)
and for the wording of each type (the act, the place kind, the evidence kept).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from corpus.wording import Cite

HEARING_INDIV = 5000
HEARING_ORG = 50000
SIMPLE_INDIV = 200
SIMPLE_ORG = 3000
APL = "中华人民共和国行政处罚法"

@dataclass(frozen=True)
class VType:
    key: str
    name: str               # 案由 as printed
    violated: tuple[Cite, ...]
    penalty: tuple[Cite, ...]
    indiv: tuple[int, int] | None
    org: tuple[int, int] | None
    precondition: str | None
    noncontinuing: bool
    place_kind: str         # shop | road | site | community
    act: str                # the act, as written after 当事人
    items: str              # things kept as evidence / seized
    simple_ok: bool
    warning_ok: bool = False


SR = "上海市市容环境卫生管理条例"
WY = "上海市住宅物业管理规定"
LJ = "上海市生活垃圾管理条例"
DQ = "中华人民共和国大气污染防治法"

_FALLBACK: tuple[VType, ...] = (
    VType("kua_men_ying_ye", "跨门营业", ((SR, 25, 5, None),), ((SR, 25, 5, None),), (50, 500), (50, 500),
          None, False, "shop", "超出门窗和外墙摆放商品进行经营", "货架两个、商品若干", True),
    VType("zhan_dao_she_tan", "占道设摊", ((SR, 25, 2, None),), ((SR, 25, 2, None),), (50, 500), (50, 500),
          None, False, "road", "擅自占用道路设摊经营", "三轮车一辆、摊位用具一套", True),
    VType("zhan_dao_dui_wu", "擅自占道堆物", ((SR, 25, 3, None),), ((SR, 25, 3, None),), (500, 5000),
          (500, 5000), None, False, "road", "擅自占用道路堆放建材杂物", "堆放的建材若干", False),
    VType("luan_zhang_tie", "乱张贴", ((SR, 24, 1, None), (SR, 24, 2, None)), ((SR, 24, 3, None),),
          (50, 500), (50, 500), None, False, "road", "在公共设施上张贴小广告", "小广告若干张", True),
    VType("shan_zi_hu_wai_guang_gao", "擅自设置户外广告", ((SR, 20, 2, None),), ((SR, 20, 2, None),),
          (5000, 50000), (5000, 50000), None, False, "shop", "未经批准擅自设置户外广告设施", "广告画面一幅", False),
    VType("shan_zi_hu_wai_she_shi", "擅自设置户外设施", ((SR, 20, 2, None),), ((SR, 20, 2, None),),
          (500, 5000), (500, 5000), None, False, "shop", "未经批准擅自设置店招店牌", "店招一块", False),
    VType("luan_dao_la_ji", "乱倒生活垃圾", ((SR, 28, 1, 4),), ((SR, 28, 2, None),), (20, 200),
          (5000, 50000), None, True, "road", "向道路边随意倾倒生活垃圾", "垃圾袋若干", True),
    VType("fen_shao_la_ji", "露天焚烧垃圾", ((SR, 28, 1, 5),), ((SR, 28, 2, None),), (20, 200), (300, 3000),
          None, True, "site", "在空地上露天焚烧树叶和垃圾", "焚烧残留物", True),
    VType("can_chu_la_ji", "餐厨垃圾未单独收集", ((SR, 42, None, None),), ((SR, 42, None, None),), (300, 3000),
          (300, 3000), None, False, "shop", "将餐厨垃圾混入生活垃圾未单独收集处置", "餐厨垃圾桶两只", False),
    VType("yun_shu_sa_lou", "运输撒漏", ((SR, 27, 2, None),), ((SR, 27, 2, None),), (300, 3000), (300, 3000),
          None, True, "road", "驾驶运输车辆运输泥土时沿途撒漏且未及时清除", "运输车辆行驶记录", False),
    VType("jian_zha_wu_zheng_cheng_yun", "无证承运建筑垃圾", ((SR, 44, None, None),), ((SR, 44, None, None),),
          (5000, 30000), (5000, 30000), None, True, "road", "未取得建筑垃圾运输证承运建筑垃圾", "运输单据两份", False),
    VType("wei_fa_da_jian_zhu_zhai", "住宅小区违法搭建", ((WY, 56, 2, 2),), ((WY, 84, None, None),),
          (10000, 100000), (10000, 100000), None, False, "community", "在住宅小区内违法搭建建筑物、构筑物",
          "搭建材料", False),
    VType("la_ji_wei_fen_lei", "未分类投放生活垃圾", ((LJ, 24, 1, None),), ((LJ, 57, None, None),), (50, 200),
          (5000, 50000), "refuses_correction", False, "shop", "未按规定分类投放生活垃圾，经责令改正拒不改正",
          "混投的垃圾袋", True),
    VType("lu_tian_shao_kao", "露天烧烤", ((DQ, 118, 3, None),), ((DQ, 118, 3, None),), (500, 20000),
          (500, 20000), None, True, "road", "在禁止区域露天烧烤食品", "烧烤炉一台、烧烤用具一套", False),
    VType("ze_ren_qu_yi_wu", "未履行市容环境卫生责任区义务", ((SR, 13, None, None),), ((SR, 13, None, None),),
          (50, 500), (50, 500), "refuses_correction", False, "shop", "未履行市容环境卫生责任区责任，门前环境脏乱",
          "现场照片", True, True),
)

SWAP = {"kua_men_ying_ye": "zhan_dao_she_tan", "zhan_dao_she_tan": "kua_men_ying_ye",
        "luan_zhang_tie": "kua_men_ying_ye"}


def _load_types() -> dict[str, VType]:
    """The fallback table, with articles and ranges taken from the shipped catalogue
    (``extractors/data/violations.yaml``) where it holds the key."""
    out = {v.key: v for v in _FALLBACK}
    try:
        from extractors.violations import load_catalogue
        cat = load_catalogue()
    except Exception:  # the catalogue is optional for the generator
        return out
    for key, v in list(out.items()):
        c = cat.get(key)
        if c is None:
            continue

        def cites(ps: Any) -> tuple[Cite, ...]:
            return tuple((p.law, p.article, p.paragraph, p.item) for p in ps)

        def rng_(r: Any, fallback: tuple[int, int] | None) -> tuple[int, int] | None:
            if r is None:
                return None
            lo, hi = int(r[0]), int(r[1])
            return (max(lo, 20) if lo == 0 else lo, hi)

        out[key] = VType(key, v.name, cites(c.violated) or v.violated, cites(c.penalty) or v.penalty,
                         rng_(c.fine_individual, v.indiv), rng_(c.fine_organisation, v.org),
                         c.precondition, v.noncontinuing, v.place_kind, v.act, v.items, v.simple_ok,
                         v.warning_ok)
    return out


TYPES = _load_types()


def fine_range(vt: VType, truth_kind: str) -> tuple[int, int] | None:
    return vt.indiv if truth_kind == "individual" else vt.org


def hearing_threshold(truth_kind: str) -> int:
    return HEARING_INDIV if truth_kind == "individual" else HEARING_ORG

