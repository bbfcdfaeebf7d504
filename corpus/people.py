"""Fixed vocabularies for the synthetic corpus: squads, roads, names, shops, companies.

Everything here is data; the generator draws from it with its own ``random.Random``.
"""
from __future__ import annotations

import random

AGENCY = "上海市青浦区城市管理行政执法局"
AGENCY_SHORT = "青浦区城管执法局"
RECON_BODY = "上海市青浦区人民政府"

# (squad short name, town/street, roads)
SQUADS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("夏阳中队", "夏阳街道", ("公园路", "城中北路", "外青松公路", "青安路", "华科路")),
    ("盈浦中队", "盈浦街道", ("盈港东路", "城中东路", "青松路", "庆华路", "盈中路")),
    ("香花桥中队", "香花桥街道", ("北青公路", "天辰路", "郏一路", "香大路", "新府路")),
    ("赵巷中队", "赵巷镇", ("嘉松中路", "业辉路", "沪青平公路", "崧泽大道", "佳杰路")),
    ("徐泾中队", "徐泾镇", ("徐乐路", "明珠路", "诸光路", "高泾路", "双联路")),
    ("华新中队", "华新镇", ("华志路", "新府中路", "华腾路", "嘉松北路", "纪鹤公路")),
    ("朱家角中队", "朱家角镇", ("珠溪路", "新风路", "沙家埭路", "祥凝浜路", "课植园路")),
    ("练塘中队", "练塘镇", ("章练塘路", "朱枫公路", "练西公路", "浦祥路", "叶港路")),
)

SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
            "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
            "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
            "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金")
GIVEN = ("建国", "伟", "芳", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
         "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "文", "华", "红", "志强", "海燕", "国庆",
         "春生", "建平", "小红", "晓东", "宏伟", "立新", "玉兰", "德华", "永康", "冬梅", "振华",
         "雪梅", "卫东", "金凤", "少波", "嘉伟", "思远", "佳怡", "俊杰", "浩然", "子涵", "家豪",
         "梦琪", "宇航", "欣怡", "国强", "海峰", "晨", "亮", "鹏", "斌")

SHOP_KINDS = ("小吃店", "便利店", "水果店", "五金店", "烟杂店", "面馆", "早餐店", "理发店", "烧烤店",
              "炒货店", "蔬菜店", "小卖部", "餐饮店", "电动车维修部", "日用品商店")
COMPANY_WORDS = ("青禾", "盈泰", "博越", "鑫源", "华茂", "嘉诚", "润丰", "创宏", "锦程", "恒昌", "天瑞",
                 "众邦", "沪淀", "青溪", "泓远", "卓安", "汇川", "利达", "昌隆", "德晟", "申佳", "隆腾",
                 "瑞祥", "宏拓", "金沣", "融冠", "凯晟", "云帆", "益丰", "诚越")
COMPANY_TRADES = ("餐饮管理", "建筑工程", "物流", "装饰工程", "广告", "商贸", "运输", "建材", "物业管理",
                  "环境工程", "文化传播", "实业", "食品")

LEADERS = ("顾建明", "沈卫国", "陆永平")       # 负责人 who approve
REVIEWERS = ("蔡文静", "钱立峰", "邵敏")      # 法制审核 (法制科) staff
SUPERVISORS = ("盛国华", "严晓峰", "何俊")     # 审核人 (中队长)


def person_name(rng: random.Random, used: set[str]) -> str:
    for _ in range(200):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("name pool exhausted")


def id_number(rng: random.Random) -> str:
    area = rng.choice(("310229", "310118", "310115", "310112", "320583", "340421", "412726", "511321"))
    y = rng.randint(1958, 2001)
    m = rng.randint(1, 12)
    d = rng.randint(1, 28)
    seq = rng.randint(100, 999)
    check = rng.choice("0123456789X")
    return f"{area}{y}{m:02d}{d:02d}{seq}{check}"


def mask_id(idn: str, rng: random.Random) -> str:
    style = rng.random()
    if style < 0.55:
        return idn[:8] + "******" + idn[-4:]
    if style < 0.85:
        return idn[:6] + "********" + idn[-4:]
    return idn  # unmasked (some documents mask nothing)


def credit_code(rng: random.Random, prefix: str) -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return prefix + "310118" + "MA1" + "".join(rng.choice(chars) for _ in range(7))


def mask_phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 9)}****{rng.randint(0, 9999):04d}"
