"""Benchmark of the cross-case checks MIS-01..MIS-04 over a synthetic month.

    .venv/bin/python bench/cross_bench.py [N] [--seed S]

builds N synthetic case files (CaseFile records, no documents on disk) with a register, plus the
digests of an earlier month (N/5 cases), plants known signals of every kind, runs the four checks
together and prints the time taken and whether exactly the planted signals were found.

``make_month(n, seed) -> (cases, history, register_rows, planted)`` is also used by
tests/test_cross_checks.py; ``planted`` is the exact set of (check_id, case_id) expected.
"""
from __future__ import annotations

import random
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checks.cross_common import digest, digests_for  # noqa: E402
from checks.register_match import REGISTER_PREFIX  # noqa: E402
from pipeline.core.digest import CaseDigest  # noqa: E402
from pipeline.core.models import CaseFile, DocFields, Field, Page, SourceDoc, Span  # noqa: E402

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
            "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文辉俊峰雪梅海燕春梅晓东立新宏伟"
STREETS = ["华志路", "公园路", "城中北路", "盈港东路", "外青松公路", "青安路", "漕盈路", "崧泽大道", "华青路",
           "沪青平公路", "青赵公路", "徐泾北路", "诸光路", "赵重公路", "朱枫公路", "练塘大街", "金泽大街",
           "白鹤镇新街", "香花桥路", "北青公路"]
TYPES = ["zhan_dao_jing_ying", "luan_dui_wu", "shan_zi_hu_wai_guang_gao", "sui_di_tu_tan", "can_chu_la_ji",
         "zhuang_xiu_la_ji", "jian_zha_shan_zi_qing_dao", "yun_shu_sa_lou", "la_ji_wei_fen_lei",
         "fen_lei_rong_qi", "fei_xian_chong_dian", "can_yin_you_yan", "jing_ying_zao_sheng",
         "gong_di_wen_ming_shi_gong", "shan_zi_hu_wai_she_shi", "diao_gua_liang_shai"]
SQUADS = [f"第{c}中队" for c in "一二三四五六七八九十"]
PREAMBLE = ("问：我们是上海市青浦区城市管理行政执法局的执法人员，这是我们的执法证件，请你过目。"
            "你是否看清楚了？答：看清楚了。问：请你如实回答我们的问题，你听清楚了吗？答：听清楚了。")
CLAUSE_A = ["店铺门前", "人行道上", "绿化带旁", "小区出入口", "菜场东侧", "公交站台附近", "河道边", "工地围挡外",
            "地下车库入口", "广场中央", "学校门口", "地铁站出口", "桥下空地", "停车场角落", "沿街商铺前"]
CLAUSE_B = ["摆放货架", "堆放纸箱", "晾晒衣物", "设置广告牌", "倾倒装修垃圾", "焚烧树叶", "摆摊售卖水果",
            "停放电动车充电", "堆放建筑材料", "排放油烟", "使用高音喇叭", "悬挂横幅", "堆放餐厨垃圾",
            "运输渣土撒漏", "私拉电线"]
CLAUSE_C = ["因为生意忙没有注意", "以为临时放一下没关系", "是店员自作主张", "不知道需要审批", "准备第二天清理",
            "车辆进不来只好先放着", "之前没有人管过", "邻居也都这样做", "是为了招揽顾客", "等着物业来处理",
            "雨天没法外运", "设备坏了还没修", "家里地方太小", "租户放的我不清楚", "想着晚上就收回去"]
CLAUSE_D = ["现在知道错了，马上整改", "愿意接受处罚", "请求从轻处理", "希望给一次机会", "会配合调查",
            "以后一定注意", "今天之内清理完毕", "已经通知工人清除", "会加装净化设备", "会按规定分类投放"]


def _f(name: str, value: Any, doc_id: str, page: int = 1) -> Field:
    quote = value if isinstance(value, str) else str(value)
    return Field(name, value, Span(doc_id, page, 0, len(quote[:60]), quote[:60]), "bench")


def _body(rng: random.Random, name: str, place: str, day: str) -> str:
    parts = [PREAMBLE, f"问：请介绍一下你的基本情况。答：我叫{name}，"
                       f"身份证号3101181990{rng.randint(10000000, 99999999)}。"]
    for _ in range(6):
        parts.append(f"问：{day}你在{place}{rng.choice(CLAUSE_A)}做什么？答：我在{rng.choice(CLAUSE_A)}"
                     f"{rng.choice(CLAUSE_B)}，{rng.choice(CLAUSE_C)}，大约{rng.randint(2, 30)}平方米。")
        parts.append(f"问：你对此有什么说明？答：{rng.choice(CLAUSE_C)}，{rng.choice(CLAUSE_D)}。")
    return "".join(parts)


def _case(case_id: str, *, name: str, kind: str, vtype: str, place: str, day: str, fine: int, procedure: str,
          squad: str, team: tuple[tuple[str, str], tuple[str, str]], slot_times: list[tuple[str, str]],
          bodies: list[str], case_number: str) -> CaseFile:
    docs = []
    officers = [{"name": n, "cert_no": c} for n, c in team]
    kinds = ("inspection_record", "inquiry_record")
    for i, (doc_type, (s, e), body) in enumerate(zip(kinds, slot_times, bodies)):
        doc_id = f"{case_id}/{'现场检查笔录' if i == 0 else '询问笔录'}.docx"
        rec_place = place if i == 0 else f"{squad}办公室{case_id}"
        sdoc = SourceDoc(doc_id, doc_id, "docx", (Page(1, body),), doc_type=doc_type)
        docs.append(DocFields(sdoc, (
            _f("start_time", s, doc_id), _f("end_time", e, doc_id), _f("place", rec_place, doc_id),
            _f("officers", officers, doc_id), _f("body", body, doc_id), _f("party_name", name, doc_id))))
    first = docs[0].doc.doc_id
    fields = {
        "party": {"name": name, "kind": kind, "id_number": None, "address": None},
        "violation_type": vtype, "violation_place": place, "violation_date": day, "fine_yuan": fine,
        "procedure": procedure, "squad": squad, "case_number": case_number, "filing_date": day,
        "closing_date": day, "officers": officers,
    }
    return CaseFile(case_id, f"{case_id}/", tuple(docs), {k: (_f(k, v, first),) for k, v in fields.items()})


Month = tuple[list[CaseFile], list[CaseDigest], list[dict[str, Any]], set[tuple[str, str]]]


def make_month(n: int, seed: int = 1) -> Month:
    """n case files of 2024-03, n//5 digests of 2024-02, the register, the planted signals."""
    rng = random.Random(seed)
    names_used: set[str] = set()
    places_used: set[str] = set()

    def new_name() -> tuple[str, str]:
        while True:
            if rng.random() < 0.3:
                trade = rng.choice(["餐饮", "贸易", "建筑", "物业", "商贸"])
                nm = f"上海{rng.choice(GIVEN)}{rng.choice(GIVEN)}{rng.choice(GIVEN)}{trade}有限公司"
                kind = "organisation"
            else:
                nm = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
                kind = "individual"
            if nm not in names_used:
                names_used.add(nm)
                return nm, kind

    def new_place() -> str:
        while True:
            p = f"{rng.choice(STREETS)}{rng.randint(1, 3000)}号"
            if p not in places_used:
                places_used.add(p)
                return p

    n_teams = max(10, n // 80)
    teams = [((f"执法员{2 * t:04d}", f"3100{2 * t:04d}"), (f"执法员{2 * t + 1:04d}", f"3100{2 * t + 1:04d}"))
             for t in range(n_teams)]
    team_slots: dict[tuple[int, str], int] = {}

    def slot_times(team: int, month: str) -> list[tuple[str, str]]:
        out = []
        for _ in range(2):
            s = team_slots.get((team, month), 0)
            team_slots[(team, month)] = s + 1
            assert s < 280, "too many records for one team in a month"

            day, hour = 1 + (s // 10) % 28, 8 + s % 10
            out.append((f"{month}-{day:02d}T{hour:02d}:00", f"{month}-{day:02d}T{hour + 1:02d}:00"))
        return out

    def make(case_id: str, month: str, **over: Any) -> CaseFile:
        name, kind = over.pop("party", None) or new_name()
        place = over.pop("place", None) or new_place()
        day = over.pop("day", None) or f"{month}-{rng.randint(1, 28):02d}"
        team = rng.randrange(n_teams)
        times = slot_times(team, month)
        bodies = over.pop("bodies", None) or [_body(rng, name, place, day) for _ in range(2)]
        args = dict(name=name, kind=kind, vtype=rng.choice(TYPES), place=place, day=day,
                    fine=rng.choice([0, 50, 500, 800, 1000, 2000, 6000, 10000, 60000]), procedure="general",
                    squad=rng.choice(SQUADS), team=teams[team], slot_times=times, bodies=bodies,
                    case_number=f"青城管罚〔{month[:4]}〕第{case_id}号")
        args.update(over)
        return _case(case_id, **args)

    planted: set[tuple[str, str]] = set()
    cases: list[CaseFile] = []
    history_cases: list[CaseFile] = []
    n_hist = n // 5
    for i in range(n_hist):
        history_cases.append(make(f"2402{i:05d}", "2024-02"))
    for i in range(n):
        cases.append(make(f"2403{i:05d}", "2024-03"))

    k = max(1, n // 500)  # signals of each kind
    # MIS-01: three 1,800-yuan cases of one individual, same type and place, within 20 days
    for g in range(k):
        ids = [3 + 40 * g + j for j in range(3)]
        party = new_name()[0]
        place = new_place()
        vtype = TYPES[g % len(TYPES)]
        for j, idx in enumerate(ids):
            cases[idx] = replace(make(cases[idx].case_id, "2024-03", party=(party, "individual"), place=place,
                                      day=f"2024-03-{1 + 10 * j:02d}", vtype=vtype, fine=1800))
            planted.add(("MIS-01", cases[idx].case_id))
    # MIS-01 across the month boundary: 2,500 in February + 3,000 in March
    for g in range(k):
        h, c = 7 + 40 * g, 9 + 40 * g
        party = new_name()[0]
        place = new_place()
        vtype = TYPES[(g + 3) % len(TYPES)]
        history_cases[h] = make(history_cases[h].case_id, "2024-02", party=(party, "individual"), place=place,
                                day="2024-02-25", vtype=vtype, fine=2500)
        cases[c] = make(cases[c].case_id, "2024-03", party=(party, "individual"), place=place,
                        day="2024-03-05", vtype=vtype, fine=3000)
        planted.add(("MIS-01", cases[c].case_id))
    # MIS-02: an inquiry body copied with another name, date and numbers (this month and from February)
    for g in range(k):
        a, b = 11 + 40 * g, 13 + 40 * g
        src = cases[a].docs[1].fields[4].value
        name_a = cases[a].value("party")["name"]
        name_b = cases[b].value("party")["name"]
        copied = src.replace(name_a, name_b).replace("2024-03", "2024-04")
        copied = "".join(str((int(ch) + 3) % 10) if ch.isdigit() else ch for ch in copied)
        cases[b] = _swap_body(cases[b], 1, copied)
        planted.update({("MIS-02", cases[a].case_id), ("MIS-02", cases[b].case_id)})
        h, c = 15 + 40 * g, 17 + 40 * g
        src = history_cases[h].docs[1].fields[4].value
        copied = src.replace(history_cases[h].value("party")["name"], cases[c].value("party")["name"])
        cases[c] = _swap_body(cases[c], 1, copied)
        planted.add(("MIS-02", cases[c].case_id))
    # MIS-03: an officer of case a recorded 20 minutes later at another case's place
    for g in range(k):
        a, b = 19 + 40 * g, 21 + 40 * g
        rec = cases[a].docs[0]
        s = rec.value("start_time")
        e = s[:-2] + "50"
        s2 = s[:-2] + "30"
        cases[b] = _swap_record(cases[b], 0, s2, e, rec.value("officers"))
        planted.update({("MIS-03", cases[a].case_id), ("MIS-03", cases[b].case_id)})

    # register: one row per case, then planted mismatches
    rows: list[dict[str, Any]] = []
    for c in cases:
        rows.append({"case_number": c.value("case_number"), "squad": c.value("squad"),
                     "party": c.value("party")["name"], "filing_date": c.value("filing_date"),
                     "closing_date": c.value("closing_date"), "fine_yuan": c.value("fine_yuan"),
                     "_row": len(rows) + 2})
    for g in range(k):
        rows[23 + 40 * g]["filing_date"] = "2024-02-01"
        rows[25 + 40 * g]["fine_yuan"] = (rows[25 + 40 * g]["fine_yuan"] or 0) + 100
        rows[27 + 40 * g]["squad"] = "机动中队"
        planted.update({("MIS-04", cases[23 + 40 * g].case_id), ("MIS-04", cases[25 + 40 * g].case_id),
                        ("MIS-04", cases[27 + 40 * g].case_id)})
    for g in range(k):
        rows.append({"case_number": f"青城管罚〔2024〕第台账{g}号", "party": "无卷当事人", "_row": len(rows) + 2})
        planted.add(("MIS-04", f"{REGISTER_PREFIX}青城管罚〔2024〕第台账{g}号"))
    drop = {29 + 40 * g for g in range(k)}
    for idx in drop:
        planted.add(("MIS-04", cases[idx].case_id))
    rows = [r for i, r in enumerate(rows) if i not in drop]

    history = [replace(digest(c), month="2024-02") for c in history_cases]
    return cases, history, rows, planted


def _swap_body(case: CaseFile, doc_index: int, body: str) -> CaseFile:
    d = case.docs[doc_index]
    fields = tuple(_f("body", body, d.doc.doc_id) if f.name == "body" else f for f in d.fields)
    nd = DocFields(replace(d.doc, pages=(Page(1, body),)), fields)
    docs = case.docs[:doc_index] + (nd,) + case.docs[doc_index + 1:]
    return replace(case, docs=docs)


def _swap_record(case: CaseFile, doc_index: int, start: str, end: str, officers: Any) -> CaseFile:
    d = case.docs[doc_index]
    new = {"start_time": start, "end_time": end, "officers": officers}
    fields = tuple(_f(f.name, new[f.name], d.doc.doc_id) if f.name in new else f for f in d.fields)
    docs = case.docs[:doc_index] + (DocFields(d.doc, fields),) + case.docs[doc_index + 1:]
    return replace(case, docs=docs)


def main(argv: list[str]) -> int:
    from checks.registry import CheckContext, run_cross_checks

    n = int(argv[0]) if argv and not argv[0].startswith("-") else 10_000
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 1
    t0 = time.perf_counter()
    cases, history, rows, planted = make_month(n, seed)
    t1 = time.perf_counter()
    times: dict[str, float] = {}
    found: set[tuple[str, str]] = set()
    t_all = time.perf_counter()
    c_all = time.process_time()
    digests = digests_for(cases)  # the run builds the month's digests once, for the four checks
    times["digests"] = time.perf_counter() - t_all
    ctx = CheckContext(rules={}, calendar=None, history=history, register_rows=rows, digests=digests)
    for cid in ("MIS-01", "MIS-02", "MIS-03", "MIS-04"):
        t = time.perf_counter()
        result = run_cross_checks(cases, ctx, only=[cid], debug=True)
        times[cid] = time.perf_counter() - t
        found |= {(f.check_id, k) for k, fs in result.items() for f in fs}
    total = time.perf_counter() - t_all
    cpu = time.process_time() - c_all
    print(f"generated {n} cases + {len(history)} history digests + {len(rows)} register rows "
          f"in {t1 - t0:.1f} s")
    print("this month's digests, then per check: "
          + ", ".join(f"{k} {v:.2f} s" for k, v in times.items()))
    print(f"digests and all four cross-case checks over {n} cases: {total:.2f} s wall, {cpu:.2f} s CPU")
    missing, extra = planted - found, found - planted
    print(f"planted {len(planted)}, found {len(found)}, missing {len(missing)}, unexpected {len(extra)}")
    if missing or extra:
        print("missing:", sorted(missing)[:10], "unexpected:", sorted(extra)[:10])
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
