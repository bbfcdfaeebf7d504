"""Parties and places of the corpus: persons, 个体工商户 and companies of the squad's town, and the
place of the act (a shop front, a road, a site, a residential community).
"""
from __future__ import annotations

import random

from corpus import people as P
from corpus.case import Party, Plan
from corpus.vtypes import VType

COMMUNITIES = ("青湖苑", "盈港新村", "华乐苑", "佳佳花园", "淀湖家园", "新城一品", "嘉和苑", "徐泾北城",
               "金泽雅苑", "朱家角新村", "练塘花苑", "香花新苑", "赵巷公寓", "崧泽华城", "海德花园")


def make_party(kind: str, vt: VType, squad: tuple[str, str, tuple[str, ...]], rng: random.Random,
                used: set[str]) -> Party:
    town, roads = squad[1], squad[2]
    road = rng.choice(roads)
    gender = rng.choice(("男", "女"))
    if kind == "person":
        name = P.person_name(rng, used)
        idn = P.mask_id(P.id_number(rng), rng)
        addr = f"上海市青浦区{rng.choice(roads)}{rng.randint(1, 999)}弄{rng.randint(1, 60)}号{rng.randint(101, 1602)}室"
        if rng.random() < 0.3:
            province = rng.choice(("安徽省", "江苏省", "河南省", "四川省", "浙江省"))
            city = rng.choice(("阜阳市", "盐城市", "周口市", "南充市", "温州市"))
            addr = f"{province}{city}某某村{rng.randint(1, 30)}组{rng.randint(1, 99)}号"
        return Party("person", "individual", name, idn, addr, None, None, gender, P.mask_phone(rng))
    if kind == "shop":
        owner = P.person_name(rng, used)
        for _ in range(50):
            town_short = town.replace("街道", "").replace("镇", "")
            style = rng.choice(("记", "氏", "家", "姐", "哥", "师傅"))
            name = f"青浦区{town_short}{owner[0]}{style}{rng.choice(P.SHOP_KINDS)}"
            if name not in used:
                break
        used.add(name)
        code = P.credit_code(rng, "92")
        addr = f"上海市青浦区{road}{rng.randint(1, 999)}号"
        return Party("shop", "individual", name, code, addr, owner, P.mask_id(P.id_number(rng), rng), gender,
                     P.mask_phone(rng))
    trade = {"yun_shu_sa_lou": "运输", "jian_zha_wu_zheng_cheng_yun": "运输", "shan_zi_hu_wai_guang_gao": "广告",
             "can_chu_la_ji": "餐饮管理", "wei_fa_da_jian_zhu_zhai": "物业管理",
             "zhan_dao_dui_wu": "建筑工程"}.get(vt.key) or rng.choice(P.COMPANY_TRADES)
    for _ in range(100):
        name = f"上海{rng.choice(P.COMPANY_WORDS)}{rng.choice(P.COMPANY_WORDS)}{trade}有限公司"
        if name not in used:
            break
    used.add(name)
    code = P.credit_code(rng, "91")
    if rng.random() < 0.25:
        code = code[:12] + "******"
    rep = P.person_name(rng, used)
    addr = f"上海市青浦区{road}{rng.randint(1, 999)}号{rng.randint(1, 9)}幢{rng.randint(1, 5)}层"
    return Party("company", "organisation", name, code, addr, rep, None, gender, P.mask_phone(rng))


def make_place(vt: VType, p: Plan, rng: random.Random) -> str:
    town, roads = p.squad[1], p.squad[2]
    road = rng.choice(roads)
    if vt.place_kind == "shop":
        if p.party and p.party.kind in ("shop", "company") and rng.random() < 0.6:
            base = p.party.address.replace("上海市", "")
            base = base.split("号")[0] + "号"
            return base + rng.choice(("门前", "店铺门外", "门口人行道"))
        return f"青浦区{road}{rng.randint(1, 999)}号{rng.choice(('门前', '店铺门外', '门口'))}"
    if vt.place_kind == "road":
        other = rng.choice([r for r in roads if r != road])
        joint = rng.choice(("近", "与"))
        return f"青浦区{road}{joint}{other}{rng.choice(('路口', '交叉口', '东侧人行道', '西侧人行道'))}"
    if vt.place_kind == "site":
        return f"青浦区{town}{road}{rng.randint(1, 999)}号旁空地"
    return f"青浦区{town}{rng.choice(COMMUNITIES)}{rng.randint(1, 40)}号楼{rng.choice(('楼顶', '一楼北侧', '天井'))}"



def alt_name(name: str, rng: random.Random) -> str:
    """A clearly different spelling of a party name (not OCR noise)."""
    swaps = {"记": "纪", "氏": "式", "家": "嘉", "华": "化", "明": "敏", "国": "果", "建": "健", "伟": "玮",
             "芳": "方", "强": "墙", "军": "君", "杰": "洁", "平": "萍", "文": "雯", "红": "虹", "东": "冬"}
    chars = list(name)
    idx = [i for i, ch in enumerate(chars) if ch in swaps and i > 0]
    if idx:
        i = rng.choice(idx)
        chars[i] = swaps[chars[i]]
        return "".join(chars)
    if name.endswith("有限公司"):
        return name.replace("有限公司", "发展有限公司")
    return name[0] + rng.choice(("晓", "小", "新")) + name[1:]
