"""The violation catalogue: shipped data matches violations.md, loader validation, matching, ranges."""
from __future__ import annotations

from pathlib import Path

import pytest

from extractors.violations import Provision, fine_range, load_catalogue, match_violation
from pipeline.core.errors import RulesError

SHIRONG = "上海市市容环境卫生管理条例"

# every key of violations.md §1–4 (hand-copied from the tables)
ALL_KEYS = """
kua_men_ying_ye zhan_dao_she_tan zhan_dao_dui_wu tan_dian_bu_zheng_jie luan_zhang_tie zu_zhi_luan_zhang_tie
shan_zi_hu_wai_guang_gao shan_zi_hu_wai_she_shi hu_wai_she_shi_po_sun lin_shi_da_jian ze_ren_qu_yi_wu
diao_gua_liang_shai sui_di_tu_tan luan_reng_fei_qi_wu luan_dao_la_ji fen_shao_la_ji yun_shu_wei_mi_bi
yun_shu_sa_lou gong_di_wen_ming_shi_gong can_chu_la_ji zhuang_xiu_la_ji jian_zha_wu_chu_zhi_zheng
jian_zha_wu_zheng_cheng_yun jian_zha_che_liang_bu_gui_fan jian_zha_shan_zi_qing_dao
wei_fa_da_jian_zhu_zhai sun_huai_cheng_zhong po_huai_fang_wu_wai_mao la_ji_wei_fen_lei fen_lei_rong_qi
sun_huai_lv_hua shan_zi_qian_yi_shu_mu shan_zi_kan_fa_shu_mu lin_shi_zhan_yong_lv_di zhan_yong_lv_di
fei_xian_chong_dian shi_nei_ting_fang_chong_dian dian_che_jin_dian_ti gong_xiang_dan_che
can_yin_you_yan zhu_zhai_lou_can_yin lu_tian_shao_kao ye_jian_shi_gong jing_ying_zao_sheng sheng_huo_zao_sheng
wei_qu_gui_hua_xu_ke sui_yi_qing_dao_sheng_huo_la_ji shi_gong_qing_dao_jian_zha
""".split()

FULL_LAWS = {
    SHIRONG, "上海市住宅物业管理规定", "上海市生活垃圾管理条例", "上海市绿化条例", "上海市非机动车安全管理条例",
    "中华人民共和国大气污染防治法", "上海市大气污染防治条例", "中华人民共和国噪声污染防治法", "上海市环境保护条例",
    "中华人民共和国城乡规划法", "中华人民共和国固体废物污染环境防治法",
}


def test_violations_catalogue_has_every_key_once():
    cat = load_catalogue()
    assert sorted(cat) == sorted(ALL_KEYS)
    assert len(ALL_KEYS) == len(set(ALL_KEYS)) == 48


def test_violations_names_and_aliases_are_unique_across_entries():
    seen: dict[str, str] = {}
    for v in load_catalogue().values():
        for phrase in (v.name, *v.aliases):
            assert phrase not in seen or seen[phrase] == v.key, (phrase, seen.get(phrase), v.key)
            seen[phrase] = v.key


def test_violations_user_file_short_law_name_is_normalised(tmp_path):
    text = ENTRY.format(key="a_b", name="某行为", article=25, lo=1, hi=2).replace(
        "上海市市容环境卫生管理条例", "《市容条例》")
    assert load_catalogue(_write(tmp_path, text))["a_b"].violated == (Provision(SHIRONG, 25, 5),)


def test_violations_laws_are_full_names():
    for v in load_catalogue().values():
        for p in v.violated + v.penalty:
            assert p.law in FULL_LAWS, (v.key, p.law)


@pytest.mark.parametrize(
    "key, violated, penalty, individual, organisation",
    [
        ("kua_men_ying_ye", [(SHIRONG, 25, 5, None)], [(SHIRONG, 25, 5, None)], (50, 500), (50, 500)),
        ("zhan_dao_dui_wu", [(SHIRONG, 25, 3, None)], [(SHIRONG, 25, 3, None)], (500, 5000), (500, 5000)),
        ("luan_zhang_tie", [(SHIRONG, 24, 1, None), (SHIRONG, 24, 2, None)], [(SHIRONG, 24, 3, None)],
         (50, 500), (50, 500)),
        ("luan_dao_la_ji", [(SHIRONG, 28, 1, 4)], [(SHIRONG, 28, 2, None)], (0, 200), (5000, 50000)),
        ("sui_di_tu_tan", [(SHIRONG, 28, 1, 1)], [(SHIRONG, 28, 2, None)], (0, 200), None),
        ("yun_shu_wei_mi_bi", [(SHIRONG, 27, 2, None)], [(SHIRONG, 27, 2, None)], None, (1000, 10000)),
        ("diao_gua_liang_shai", [(SHIRONG, 26, None, None)], [(SHIRONG, 26, None, None)],
         (20, 20), (20, 200)),
        ("wei_fa_da_j"
         "ian_zhu_zhai", [("上海市住宅物业管理规定", 56, 2, 2)], [("上海市住宅物业管理规定", 84, None, None)],
         (10000, 100000), (10000, 100000)),
        ("la_ji_wei_fen_lei", [("上海市生活垃圾管理条例", 24, 1, None)], [("上海市生活垃圾管理条例", 57, None, None)],
         (50, 200), (5000, 50000)),
        ("fei_xian_chong_dian", [("上海市非机动车安全管理条例", 29, None, None)],
         [("上海市非机动车安全管理条例", 44, None, None)], (50, 200), None),
        ("lu_tian_shao_kao", [("中华人民共和国大气污染防治法", 118, 3, None)],
         [("中华人民共和国大气污染防治法", 118, 3, None)], (500, 20000), (500, 20000)),
        ("sui_yi_qing_dao_sheng_huo_la_ji", [("中华人民共和国固体废物污染环境防治法", 111, None, None)],
         [("中华人民共和国固体废物污染环境防治法", 111, None, None)], (100, 500), (50000, 500000)),
    ],
)
def test_violations_rows_match_domain_table(key, violated, penalty, individual, organisation):
    v = load_catalogue()[key]
    assert v.violated == tuple(Provision(*p) for p in violated)
    assert v.penalty == tuple(Provision(*p) for p in penalty)
    assert v.fine_individual == individual
    assert v.fine_organisation == organisation


@pytest.mark.parametrize(
    "key", ["sun_huai_lv_hua", "shan_zi_qian_yi_shu_mu", "shan_zi_kan_fa_shu_mu", "lin_shi_zhan_yong_lv_di",
            "zhan_yong_lv_di"],
)
def test_violations_open_green_articles_are_unconfirmed(key):
    v = load_catalogue()[key]
    assert v.violated == () and v.penalty == ()
    assert v.status == "UNCONFIRMED" and not v.confirmed
    assert v.note and "verif" in v.note
    assert fine_range(v, "individual") is None  # a formula: needs the base from the file


@pytest.mark.parametrize(
    "key, formula",
    [("zhuang_xiu_la_ji", "per_ton(200)"), ("shan_zi_kan_fa_shu_mu", "multiple_of_compensation(5,10)"),
     ("lin_shi_zhan_yong_lv_di", "per_m2_per_day(10,30)"), ("zhan_yong_lv_di", "per_m2(500,2000)"),
     ("wei_qu_gui_hua_xu_ke", "pct_of_cost(5,10)")],
)
def test_violations_formula_rows(key, formula):
    assert load_catalogue()[key].fine_formula == formula


@pytest.mark.parametrize(
    "key", ["hu_wai_she_shi_po_sun", "ze_ren_qu_yi_wu", "diao_gua_liang_shai", "la_ji_wei_fen_lei",
            "fen_lei_rong_qi", "zhu_zhai_lou_can_yin"],
)
def test_violations_refuses_correction_precondition(key):
    assert load_catalogue()[key].precondition == "refuses_correction"


def test_violations_provision_canonical():
    assert Provision(SHIRONG, 25, 5).canonical() == "《上海市市容环境卫生管理条例》第二十五条第五款"
    assert Provision(SHIRONG, 28, 1, 4).canonical() == "《上海市市容环境卫生管理条例》第二十八条第一款第（四）项"
    assert Provision("中华人民共和国大气污染防治法", 118).canonical() == ("《中华人民共和国大气污"
                                                                          "染防治法》第一百一十八条")


def test_violations_fine_range_by_kind_and_tier():
    cat = load_catalogue()
    assert fine_range(cat["luan_dao_la_ji"], "individual") == (0, 200)
    assert fine_range(cat["luan_dao_la_ji"], "organisation") == (5000, 50000)
    assert fine_range(cat["luan_dao_la_ji"], None) is None  # kinds disagree: unknown kind cannot be judged
    assert fine_range(cat["kua_men_ying_ye"], None) == (50, 500)
    assert fine_range(cat["sui_di_tu_tan"], "organisation") is None
    assert fine_range(cat["sun_huai_cheng_zhong"], "individual") == (10000, 100000)
    assert fine_range(cat["sun_huai_cheng_zhong"], "individual", escalated=True) == (100000, 200000)
    assert fine_range(cat["kua_men_ying_ye"], "organisation", escalated=True) == (50, 500)
    with pytest.raises(ValueError):
        fine_range(cat["kua_men_ying_ye"], "company")


@pytest.mark.parametrize(
    "text, key",
    [
        ("跨门营业", "kua_men_ying_ye"),
        ("当事人超出门窗和外墙经营案", "kua_men_ying_ye"),
        ("涉嫌跨门经营", "kua_men_ying_ye"),
        ("店外经营", "kua_men_ying_ye"),
        ("无证设摊", "zhan_dao_she_tan"),
        ("擅自占用道路堆物", "zhan_dao_dui_wu"),
        ("乱张贴小广告", "luan_zhang_tie"),
        ("擅自设置户外广告", "shan_zi_hu_wai_guang_gao"),
        ("擅自设置店招店牌", "shan_zi_hu_wai_she_shi"),
        ("乱倒生活垃圾", "luan_dao_la_ji"),
        ("随地吐痰", "sui_di_tu_tan"),
        ("露天焚烧树叶", "fen_shao_la_ji"),
        ("运输车辆未密闭", "yun_shu_wei_mi_bi"),
        ("擅自倾倒建筑垃圾", "jian_zha_shan_zi_qing_dao"),
        ("住宅小区违法搭建", "wei_fa_da_jian_zhu_zhai"),
        ("个人未分类投放生活垃圾", "la_ji_wei_fen_lei"),
        ("电动自行车飞线充电", "fei_xian_chong_dian"),
        ("携电动自行车进入电梯", "dian_che_jin_dian_ti"),
        ("未安装油烟净化设施", "can_yin_you_yan"),
        ("在禁止区域露天烧烤", "lu_tian_shao_kao"),
        ("未经批准夜间施工", "ye_jian_shi_gong"),
        ("使用高音喇叭招揽顾客", "jing_ying_zao_sheng"),
        ("擅自砍伐树木", "shan_zi_kan_fa_shu_mu"),
        ("未取得建设工程规划许可证进行建设", "wei_qu_gui_hua_xu_ke"),
    ],
)
def test_violations_match_exact_phrases(text, key):
    got, conf = match_violation(text)
    assert got == key
    assert conf >= 0.95


@pytest.mark.parametrize(
    "text, key",
    [("损坏房屋承重", "sun_huai_cheng_zhong"), ("跨门营", "kua_men_ying_ye")],
)
def test_violations_match_fuzzy(text, key):
    got, conf = match_violation(text)
    assert got == key
    assert 0 < conf < 0.95


@pytest.mark.parametrize("text", ["", "   ", "今天天气很好适合散步", "设摊", "根据调查询问笔录"])
def test_violations_match_nothing(text):
    assert match_violation(text) == (None, 0.0)


def test_violations_longest_alias_wins():
    # 乱倒垃圾 (luan_dao_la_ji) and 擅自倾倒建筑垃圾 — the longer phrase decides
    assert match_violation("当事人擅自倾倒建筑垃圾")[0] == "jian_zha_shan_zi_qing_dao"


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "user.yaml"
    p.write_text(text, encoding="utf-8")
    return p


ENTRY = """\
- key: {key}
  name: {name}
  aliases: []
  violated: [{{law: 上海市市容环境卫生管理条例, article: {article}, paragraph: 5}}]
  penalty: same
  fines:
    individual: {{min: {lo}, max: {hi}}}
    organisation: null
  status: CONFIRMED (2018 text)
"""


def test_violations_user_file_replaces_and_extends(tmp_path):
    text = ENTRY.format(key="kua_men_ying_ye", name="跨门营业", article=22, lo=100, hi=1000)
    text += ENTRY.format(key="xin_lei_xing", name="新类型违法行为", article=30, lo=10, hi=20)
    cat = load_catalogue(_write(tmp_path, text))
    assert cat["kua_men_ying_ye"].violated == (Provision(SHIRONG, 22, 5),)
    assert cat["kua_men_ying_ye"].fine_individual == (100, 1000)
    assert cat["xin_lei_xing"].name == "新类型违法行为"
    assert len(cat) == 49
    # the shipped default is not changed by a user load
    assert load_catalogue()["kua_men_ying_ye"].violated == (Provision(SHIRONG, 25, 5),)


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        (ENTRY.format(key="a_b", name="x", article=25, lo=500, hi=50), 6, "a_b.fines.individual"),
        (ENTRY.format(key="a_b", name="x", article="二十五", lo=1, hi=2), 4, "a_b.violated[0].article"),
        (ENTRY.format(key="a_b", name="x", article=25, lo=1, hi=2).replace(
            "  status: CONFIRMED (2018 text)\n", ""),
         1, "a_b.status"),
        (ENTRY.format(key="a_b", name="x", article=25, lo=1, hi=2) + "  colour: red\n", 10, "a_b.colour"),
        (ENTRY.format(key="a_b", name="x", article=25, lo=1, hi=2) + ENTRY.format(
            key="a_b", name="y", article=25, lo=1, hi=2), 10, "a_b"),
        (ENTRY.format(key="A-B", name="x", article=25, lo=1, hi=2), 1, "#1.key"),
        (ENTRY.format(key="a_b", name="x", article=25, lo=1, hi=2).replace("penalty: same", "penalty: 第25条"),
         5, "a_b.penalty"),
    ],
)
def test_violations_invalid_file_names_entry_and_line(tmp_path, text, line, fragment):
    path = _write(tmp_path, text)
    with pytest.raises(RulesError) as err:
        load_catalogue(path)
    message = str(err.value)
    assert message.startswith("[E302]")
    assert str(path) in message
    assert f"第 {line} 行" in message
    assert fragment in message


def test_violations_broken_yaml_is_e301(tmp_path):
    with pytest.raises(RulesError) as err:
        load_catalogue(_write(tmp_path, "- key: [unclosed\n"))
    assert str(err.value).startswith("[E301]")


def test_violations_shanghai_entry_preferred_over_national_fallback() -> None:
    # 随意倾倒生活垃圾 falls under 市容 28 (乱倒生活垃圾) and under 固废法 111; Shanghai law applies
    # first (violations.md §4), so the phrase is an alias of the Shanghai entry only
    from extractors.violations import match_violation

    assert match_violation("向道路边随意倾倒生活垃圾")[0] == "luan_dao_la_ji"
