"""A realistic, deterministic Ningbo registry for the demo and the benchmarks.

``build(size=2293)`` gives the association's census count of city-level-and-above model workers
and craftsmen; ``--size 100000`` is the benchmark registry. People are registered through
``people.bulk`` (what the census import uses), not one service call each (100,000 would take
many minutes): every derived field (search keys, the ID's hash/mask/last four, the district,
``top_level``, the audit entry) comes from there, as people.services computes it.
tests/test_demo.py holds the two in step.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from core import extensions as core_points
from core.audit import log_action
from core.idnumber import check_char
from core.models import Region, RegionKind
from people.bulk import NewPerson, register_people
from people.models import (
    Collective,
    Gender,
    Honour,
    HonourTitle,
    Level,
    Person,
    PersonNameToken,
    PersonStatus,
    Skill,
    Trade,
)
from people.services import PLAIN_FIELDS

DEFAULT_SIZE = 2293
BATCH = 2000
TODAY = dt.date(2026, 1, 1)  # fixed, so a seed gives the same registry whenever it is built

# Surnames with rough weights (per mille of the population, Zhejiang-leaning), including the
# ones whose surname reading differs from pypinyin's default.
SURNAMES: list[tuple[str, float]] = [
    ("王", 72), ("陈", 70), ("张", 52), ("李", 50), ("周", 30), ("徐", 28), ("胡", 24), ("吴", 24),
    ("林", 20), ("应", 16), ("杨", 18), ("孙", 14), ("朱", 16), ("黄", 18), ("刘", 18), ("何", 12),
    ("沈", 12), ("赵", 12), ("郑", 12), ("钱", 8), ("俞", 10), ("邵", 8), ("董", 8), ("余", 8),
    ("戴", 7), ("叶", 10), ("蒋", 7), ("方", 9), ("汪", 7), ("许", 8), ("谢", 6), ("毛", 6),
    ("金", 9), ("罗", 5), ("马", 6), ("姚", 6), ("郭", 5), ("袁", 5), ("励", 3), ("竺", 2),
    ("虞", 3), ("孔", 3), ("顾", 5), ("冯", 5), ("史", 4), ("任", 4), ("夏", 4), ("邬", 3),
    ("石", 3), ("贺", 3), ("韩", 4), ("宋", 4), ("童", 3), ("范", 4), ("傅", 4), ("江", 4),
    ("岑", 2), ("翁", 3), ("柴", 2), ("屠", 2), ("乐", 2), ("华", 2), ("单", 2), ("曾", 3),
    ("区", 1), ("解", 1.5), ("仇", 1.2), ("查", 1.5), ("朴", 0.6), ("盖", 0.6), ("万", 2), ("欧阳", 0.6),
]  # fmt: skip
MALE_CHARS = "国建军伟明华强勇平海峰志刚波杰斌亚龙林辉文斌锋浩宏飞鹏军祥荣达康俊磊忠全永新民"
FEMALE_CHARS = "秀英丽芳敏静红霞燕玲娟萍素琴雅洁莉慧珍芬月凤兰婷颖萍青琳佳云美娣"
SHARED_CHARS = "亚小晓德立春海宁甬天金建明"

# Districts (and functional zones) weighted by the size of their workforce; the ID area code
# used for people born there (old codes for some of the older 鄞州 and 奉化 numbers).
DISTRICT_WEIGHTS: dict[str, float] = {
    "330212": 17, "330203": 12, "330205": 7, "330206": 10, "330211": 7, "330213": 6,
    "330281": 11, "330282": 12, "330225": 6, "330226": 6,
    "330271": 2, "330272": 1.5, "330273": 1.5, "330274": 1,
}  # fmt: skip
ZONE_ID_AREA = {"330271": "330212", "330272": "330282", "330273": "330206", "330274": "330212"}
OLD_AREA = {"330212": "330204", "330213": "330283"}

# Space-separated: company names have no spaces, and the table stays readable.
EMPLOYERS: dict[str, list[str]] = {k: v.split() for k, v in {
    "330212": "宁波精华电子科技股份有限公司 宁波公运集团股份有限公司 宁波市鄞州人民医院 "
              "鄞州区钟公庙街道社区卫生服务中心 宁波东方电缆股份有限公司",
    "330203": "宁波市第一医院 宁波市自来水有限公司 宁波银行股份有限公司 宁波华联集团有限公司 海曙区古林镇农业服务中心",
    "330205": "宁波慈城古县城开发有限公司 宁波市轨道交通集团有限公司 宁波江北农商银行 宁波海天塑机集团江北厂",
    "330206": "宁波舟山港股份有限公司北仑第三集装箱码头 海天塑机集团有限公司 吉利汽车宁波北仑工厂 宁波港集团北仑分公司",
    "330211": "镇海炼化分公司 宁波金海晨光化学股份有限公司 镇海区骆驼街道农技站 宁波镇海发电有限公司",
    "330213": "奉化区溪口镇水蜜桃合作社 宁波亚德客自动化工业有限公司 奉化区人民医院",
    "330281": "舜宇光学科技（集团）有限公司 余姚市姚江电气有限公司 余姚市阳明街道社区卫生服务中心 浙江余姚农村商业银行",
    "330282": "公牛集团股份有限公司 方太厨具有限公司 慈溪市匡堰镇杨梅合作社 慈溪市人民医院 "
              "宁波杭州湾汽车零部件有限公司",
    "330225": "象山县石浦水产加工厂 象山县人民医院 象山影视城有限公司",
    "330226": "宁海县第一医院 得力集团有限公司 宁海县模具城有限公司",
    "330271": "宁波国家高新区软件园有限公司 宁波材料所产业化公司",
    "330272": "吉利汽车杭州湾工厂 上汽大众宁波分公司",
    "330273": "宁波经济技术开发区热电有限公司 宁波大榭港务有限公司",
    "330274": "东钱湖旅游度假区建设公司 东钱湖镇农业服务中心",
}.items()}  # fmt: skip
POSTS_WORKING = ["车间主任", "班组长", "技术员", "高级工程师", "首席技师", "生产主管", "医生", "护士长", "教师",
                 "村党支部书记", "总经理", "项目经理", "维修工", "驾驶员"]  # fmt: skip
POSTS_RETIRED = ["退休职工", "退休干部", "原车间主任", "原班组长"]
ROADS = ["中山路", "解放路", "百丈路", "天童路", "江南路", "人民路", "新城路", "兴宁路", "环城南路", "学府路"]
BANKS = [("宁波银行", "6223"), ("中国工商银行", "6222"), ("中国农业银行", "6228"), ("中国银行", "6217"),
         ("中国建设银行", "6227"), ("宁波鄞州农村商业银行", "6230"), ("中国邮政储蓄银行", "6210")]  # fmt: skip
MOBILE_PREFIXES = ["138", "139", "158", "159", "135", "136", "137", "188", "187", "189", "177", "180", "181", "186",
                   "199", "150", "151", "152", "157", "133"]  # fmt: skip
ETHNICITIES = [("汉族", 975), ("畲族", 8), ("回族", 6), ("土家族", 4), ("苗族", 4), ("满族", 3)]
POLITICAL = [("中共党员", 62), ("群众", 28), ("民盟盟员", 2), ("九三学社社员", 2), ("无党派人士", 3), ("民建会员", 3)]

# trade code → specialty phrases (what a matching search would look for)
SPECIALTIES: dict[str, list[str]] = {
    "01": ["高低压配电", "变压器检修", "电机维修", "电气安全检查"],
    "02": ["氩弧焊", "压力容器焊接", "不锈钢焊接", "焊接工艺评定"],
    "03": ["精密装配", "模具钳修", "划线与刮研"],
    "04": ["精密车削", "螺纹加工", "细长轴加工"],
    "05": ["复杂曲面铣削", "五轴铣削"],
    "06": ["数控机床维修", "PLC编程", "数控编程", "加工中心调试"],
    "07": ["注塑模具设计", "冲压模具修配", "模具抛光"],
    "08": ["设备故障诊断", "液压系统维修", "减速机检修"],
    "09": ["PLC编程", "变频器调试", "自动化产线改造"],
    "10": ["工业机器人示教", "机器人离线编程", "视觉检测"],
    "11": ["新能源汽车维修", "发动机大修", "汽车电路诊断"],
    "12": ["三坐标测量", "来料检验", "质量体系审核"],
    "13": ["安全生产标准化", "应急预案编制", "隐患排查"],
    "14": ["精馏操作", "危化品管理", "DCS操作"],
    "15": ["服装制版", "立体裁剪"],
    "16": ["钢结构施工", "防水工程", "工程测量"],
    "17": ["给排水维修", "暖通安装"],
    "18": ["水稻栽培", "杨梅种植", "果树修剪", "病虫害防治"],
    "19": ["急诊急救", "慢病管理", "康复护理"],
    "20": ["职业技能培训", "课程开发"],
    "21": ["劳动争议调解", "合同审查"],
    "22": ["美发造型", "化妆"],
    "23": ["宁波菜烹饪", "面点制作"],
    "24": ["桥吊操作", "集装箱装卸", "龙门吊维修"],
    "25": ["光伏电站运维", "逆变器维修"],
    "26": ["节能诊断", "能源审计"],
    "27": ["工业软件开发", "数据分析", "网络安全"],
    "28": ["空调维修", "小家电维修"],
}
GRADES_WEIGHTED = [("5", 2), ("4", 8), ("3", 25), ("2", 30), ("1", 30), ("0", 5)]

# When each title was awarded (model-worker titles only in their rounds).
AWARD_YEARS = {
    "全国劳动模范": [1989, 1995, 2000, 2005, 2010, 2015, 2020, 2025],
    "全国先进工作者": [1995, 2000, 2005, 2010, 2015, 2020, 2025],
    "全国五一劳动奖章": list(range(1990, 2026)),
    "浙江省劳动模范": [1989, 1995, 2000, 2005, 2010, 2015, 2020, 2025],
    "浙江省先进工作者": [2000, 2005, 2010, 2015, 2020, 2025],
    "浙江省五一劳动奖章": list(range(1995, 2026)),
    "宁波市劳动模范": [1985, 1990, 1995, 2000, 2004, 2009, 2014, 2019, 2024],
    "宁波市先进工作者": [2004, 2009, 2014, 2019, 2024],
    "浙江工匠": [2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025],
    "港城工匠": [2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025],
    "宁波市首席工人": [2008, 2011, 2014, 2017, 2020, 2023],
}
# How many people hold each title as their best honour, in the association's census of 2,293
# people of city level and above (万亚勇, made by hand, is one more 全国劳动模范): about 3% national,
# 32% provincial, the rest city, about one in eight of those craftsmen only. Titles are dealt, not
# drawn: the default registry holds exactly these numbers, one of another size the same mix scaled.
# The 1,310 city model workers carry the seed's payment figures. With the default seed 1,264 of
# them are alive and still in the city, 23 浙江工匠 are paid as the city model workers they also
# are (the rules count model-worker titles), 2 are taken out in the districts' review and 9 come
# back from the bank: the 2026 round pays 1,276 city-level model workers for the first time,
# ¥2,537,800 in all ("253万余"). payments/tests/test_demo.py holds the default demo to both.
CENSUS_BEST_TITLE: list[tuple[str, int]] = [
    ("全国劳动模范", 44), ("全国先进工作者", 14), ("全国五一劳动奖章", 11),
    ("浙江省劳动模范", 451), ("浙江省先进工作者", 120), ("浙江工匠", 46), ("浙江省五一劳动奖章", 100),
    ("宁波市劳动模范", 1183), ("宁波市先进工作者", 127), ("港城工匠", 121), ("宁波市首席工人", 75),
]  # fmt: skip
COLLECTIVES = [
    ("宁波舟山港北仑第三集装箱码头桥吊班", "宁波舟山港股份有限公司", "330206", "全国工人先锋号", 2019),
    ("镇海炼化分公司炼油四部", "镇海炼化分公司", "330211", "全国模范集体", 2020),
    ("宁波市第一医院急诊科", "宁波市第一医院", "330203", "浙江省模范集体", 2020),
    ("方太厨具有限公司研发中心", "方太厨具有限公司", "330282", "宁波市模范集体", 2019),
    ("舜宇光学科技精密模具车间", "舜宇光学科技（集团）有限公司", "330281", "宁波市模范集体", 2014),
    ("宁波公运集团应急抢修队", "宁波公运集团股份有限公司", "330212", "全国工人先锋号", 2022),
    ("象山县石浦渔港救助站", "象山县石浦水产加工厂", "330225", "浙江省模范集体", 2015),
    ("得力集团智能制造车间", "得力集团有限公司", "330226", "宁波市模范集体", 2024),
]


class _Picker:
    """Weighted choice with precomputed cumulative weights (rng.choices recomputes them each call)."""

    def __init__(self, table: Sequence[tuple[Any, float]]) -> None:
        self.values = [v for v, _ in table]
        self.cum = list(accumulate(w for _, w in table))

    def __call__(self, rng: random.Random) -> Any:
        return self.values[bisect(self.cum, rng.random() * self.cum[-1])]


@dataclass
class _Row:
    person: Person  # never saved: the facts, read into a people.bulk.NewPerson by _save
    id_number: str
    bank_account: str = ""
    honours: list[tuple[str, int]] = field(default_factory=list)
    skills: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class _Context:
    rng: random.Random
    districts: dict[str, Region]
    streets: dict[str, list[Region]]
    titles: dict[str, HonourTitle]
    used_ids: set[str] = field(default_factory=set)
    used_mobiles: set[str] = field(default_factory=set)
    best_titles: list[str] = field(default_factory=list)  # dealt by _deal_best_titles, one per person


def _name(ctx: _Context, gender: str) -> str:
    rng = ctx.rng
    surname = _SURNAME_PICK(rng)
    pool = (MALE_CHARS if gender == Gender.MALE else FEMALE_CHARS) + SHARED_CHARS
    while True:
        single = len(surname) > 1 or rng.random() < 0.28  # 2 or 3 characters in all
        given = rng.choice(pool) if single else rng.choice(SHARED_CHARS + pool) + rng.choice(pool)
        if surname + given != "万亚勇":  # the one 万亚勇 is the demo's own (see _wan_yayong)
            return surname + given


_SURNAME_PICK = _Picker(SURNAMES)
_DISTRICT_PICK = _Picker(list(DISTRICT_WEIGHTS.items()))
_GRADE_PICK = _Picker(GRADES_WEIGHTED)
_ETHNICITY_PICK = _Picker([(k, float(w)) for k, w in ETHNICITIES])
_POLITICAL_PICK = _Picker([(k, float(w)) for k, w in POLITICAL])


def _deal_best_titles(rng: random.Random, n: int) -> list[str]:
    """The best titles of ``n`` generated people: CENSUS_BEST_TITLE scaled to ``n`` (the largest
    remainders round up, so the counts add up to ``n``), in shuffled order."""
    census = sum(count for _, count in CENSUS_BEST_TITLE)
    shares = [(title, count * n / census) for title, count in CENSUS_BEST_TITLE]
    counts = {title: int(share) for title, share in shares}
    for title, _ in sorted(shares, key=lambda ts: ts[1] - int(ts[1]), reverse=True)[: n - sum(counts.values())]:
        counts[title] += 1
    deck = [title for title, _ in CENSUS_BEST_TITLE for _ in range(counts[title])]
    rng.shuffle(deck)
    return deck


def _id_number(ctx: _Context, area: str, birth: dt.date, male: bool) -> str:
    rng = ctx.rng
    while True:
        seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
        first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
        number = first17 + check_char(first17)
        if number not in ctx.used_ids:
            ctx.used_ids.add(number)
            return number


def _mobile(ctx: _Context) -> str:
    while True:
        number = ctx.rng.choice(MOBILE_PREFIXES) + f"{ctx.rng.randrange(10**8):08d}"
        if number not in ctx.used_mobiles:
            ctx.used_mobiles.add(number)
            return number


def _education(rng: random.Random, year: int) -> str:
    if year < 1955:
        return rng.choice(["初中", "高中", "中专/中技", "小学"])
    if year < 1970:
        return rng.choice(["高中", "中专/中技", "大学专科", "初中", "大学本科"])
    return rng.choice(["大学本科", "大学专科", "中专/中技", "硕士研究生", "高中"])


def _honours(ctx: _Context, birth_year: int) -> list[tuple[str, int]]:
    """The person's honours: the best one, and often earlier lower ones (a city title before the
    provincial one), each in a year the title was actually awarded and after the age of 25."""
    rng = ctx.rng
    earliest = birth_year + 25

    def year_of(title: str, before: int = 9999) -> int | None:
        years = [y for y in AWARD_YEARS[title] if earliest <= y < before and y <= TODAY.year]
        return rng.choice(years) if years else None

    best = ctx.best_titles.pop()
    year = year_of(best)
    if year is None:  # too young for that title's rounds (nobody born by 1995 is): the latest city round
        best, year = "宁波市劳动模范", year_of("宁波市劳动模范") or 2024
    result = [(best, year)]
    level = ctx.titles[best].level
    if level in (Level.NATIONAL, Level.PROVINCIAL) and rng.random() < 0.6:
        earlier = year_of("宁波市劳动模范", before=year)
        if earlier:
            result.append(("宁波市劳动模范", earlier))
    if level == Level.NATIONAL and rng.random() < 0.5:
        earlier = year_of("浙江省劳动模范", before=year)
        if earlier:
            result.append(("浙江省劳动模范", earlier))
    if best not in ("港城工匠", "宁波市首席工人", "浙江工匠") and rng.random() < 0.06:
        extra = rng.choice(["港城工匠", "宁波市首席工人"])
        extra_year = year_of(extra)
        if extra_year:
            result.append((extra, extra_year))
    return result


def _make_row(ctx: _Context) -> _Row:
    rng = ctx.rng
    gender = Gender.MALE if rng.random() < 0.72 else Gender.FEMALE
    district_code = _DISTRICT_PICK(rng)
    district = ctx.districts[district_code]
    streets = ctx.streets.get(district_code, [])
    region = rng.choice(streets) if streets and rng.random() < 0.55 else district
    birth_year = min(1995, max(1940, int(rng.gauss(1966, 11))))
    birth = dt.date(birth_year, 1, 1) + dt.timedelta(days=rng.randrange(365))
    area = ZONE_ID_AREA.get(district_code, district_code)
    if area in OLD_AREA and birth_year < 1985 and rng.random() < 0.3:
        area = OLD_AREA[area]
    number = _id_number(ctx, area, birth, gender == Gender.MALE)

    age = TODAY.year - birth_year
    retire_age = 60 if gender == Gender.MALE else 55
    roll = rng.random()
    status, status_date = PersonStatus.WORKING, None
    if roll < 0.02 + max(0, age - 70) * 0.004:
        status = PersonStatus.DECEASED
        since = min(2025, max(2010, birth_year + 45))
        status_date = dt.date(rng.randint(since, 2025), rng.randint(1, 12), rng.randint(1, 28))
    elif roll < 0.028:
        status, status_date = PersonStatus.MOVED_AWAY, dt.date(rng.randint(2012, 2025), rng.randint(1, 12), 1)
    elif age >= retire_age or (age >= retire_age - 5 and rng.random() < 0.3):
        status = PersonStatus.RETIRED
        status_date = dt.date(min(birth_year + retire_age, 2025), birth.month, min(birth.day, 28))

    name = _name(ctx, gender)
    employer = rng.choice(EMPLOYERS[district_code])
    honours = _honours(ctx, birth_year)
    person = Person(
        name=name,
        gender=gender,
        ethnicity=_ETHNICITY_PICK(rng),
        birth_date=birth,
        political_status=_POLITICAL_PICK(rng),
        education=_education(rng, birth_year),
        employer=employer,
        post=rng.choice(POSTS_RETIRED if status == PersonStatus.RETIRED else POSTS_WORKING),
        region=region,
        district=district,
        status=status,
        status_date=status_date,
        mobile=_mobile(ctx) if status != PersonStatus.DECEASED and rng.random() < 0.93 else "",
        landline=f"0574-8{rng.randrange(10**6, 10**7)}" if rng.random() < 0.25 else "",
        address=f"{district.name}{region.name if region != district else ''}{rng.choice(ROADS)}{rng.randint(1, 999)}号",
        hardship=status != PersonStatus.DECEASED and rng.random() < (0.05 if age >= 70 else 0.012),
    )
    account = _set_bank(person, _bank(ctx) if status != PersonStatus.DECEASED and rng.random() < 0.86 else None)
    skills: list[tuple[str, str, str]] = []
    for trade in rng.sample(list(SPECIALTIES), k=rng.choice([0, 1, 1, 1, 2])):
        phrases = rng.sample(SPECIALTIES[trade], k=min(len(SPECIALTIES[trade]), rng.choice([1, 2, 2, 3])))
        skills.append((trade, _GRADE_PICK(rng), "、".join(phrases)))
    return _Row(person=person, id_number=number, bank_account=account, honours=honours, skills=skills)


def _bank(ctx: _Context) -> tuple[str, str]:
    bank, prefix = ctx.rng.choice(BANKS)
    return bank, prefix + "".join(str(ctx.rng.randrange(10)) for _ in range(15))


def _set_bank(person: Person, bank: tuple[str, str] | None) -> str:
    """The bank's name and the account holder on the record; returns the account number."""
    if not bank:
        return ""
    person.bank_name, account = bank
    person.bank_account_name = person.name
    return account


def _wan_yayong(ctx: _Context) -> _Row:
    """The association's best-known model worker: national model worker in 慈溪."""
    district = ctx.districts["330282"]
    street = next((s for s in ctx.streets.get("330282", []) if s.name == "浒山街道"), district)
    birth = dt.date(1968, 9, 16)
    honours = [("全国劳动模范", 2015), ("浙江省劳动模范", 2010), ("宁波市劳动模范", 2004)]
    person = Person(
        name="万亚勇",
        gender=Gender.MALE,
        ethnicity="汉族",
        birth_date=birth,
        political_status="中共党员",
        education="大学专科",
        employer="公牛集团股份有限公司",
        post="首席技师",
        region=street,
        district=district,
        status=PersonStatus.WORKING,
        mobile=_mobile(ctx),
        address="慈溪市浒山街道三北大街188号",
    )
    return _Row(
        person=person,
        id_number=_id_number(ctx, "330282", birth, True),
        bank_account=_set_bank(person, ("宁波银行", "6223" + "0" * 11 + "1968")),
        honours=honours,
        skills=[("06", "1", "数控机床维修、PLC编程、加工中心调试"), ("03", "2", "精密装配、模具钳修")],
    )


def _save(rows: list[_Row], titles: dict[str, HonourTitle], trades: dict[str, Trade], first: int) -> list[int]:
    """Register a batch; ``first`` numbers the batch's first row (for certificate numbers).
    Returns the people's ids in order."""
    people = []
    for index, row in enumerate(rows, start=first):
        p = row.person
        people.append(
            NewPerson(
                fields={f: getattr(p, f) for f in PLAIN_FIELDS},
                region_id=p.region_id,
                id_number=row.id_number,
                bank_account=row.bank_account,
                honours=tuple((titles[title].pk, year) for title, year in row.honours),
                certificates=tuple(f"NB{year}{titles[title].sort:02d}{index:06d}" for title, year in row.honours),
                skills=tuple((trades[code].pk, grade, specialties) for code, grade, specialties in row.skills),
            )
        )
    return register_people(actor=None, people=people, chunk=BATCH)


def _analyze(models: list[type[Any]]) -> None:
    """Fresh planner statistics after a bulk load. SQLite has none until ANALYZE runs and then
    picks the index on ``merged_into`` (every row matches) over the name indexes: a search by
    initials went from 230 ms to 1 ms on 100,000 people. PostgreSQL would get there by
    autovacuum, a while later."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@core_points.demo_data
@transaction.atomic
def build(*, size: int = DEFAULT_SIZE, seed: int = 2026, stdout: Any = None) -> None:
    """Write ``size`` people (with honours, skills and name tokens) and a few collectives, then
    link the demo account "worker" to 万亚勇. Does nothing if the registry already has people."""
    if Person.objects.exists():
        if stdout:
            stdout.write("  people: registry not empty, left alone")
        return
    rng = random.Random(seed)
    districts = {
        r.code: r
        for r in Region.objects.filter(kind__in=[RegionKind.DISTRICT, RegionKind.ZONE], code__in=DISTRICT_WEIGHTS)
    }
    streets: dict[str, list[Region]] = {}
    for street in (
        Region.objects.filter(kind=RegionKind.STREET, parent__code__in=DISTRICT_WEIGHTS)
        .select_related("parent")
        .order_by("code")
    ):
        assert street.parent is not None
        streets.setdefault(street.parent.code, []).append(street)
    titles = {t.name: t for t in HonourTitle.objects.all()}
    trades = {t.code: t for t in Trade.objects.all()}
    ctx = _Context(rng=rng, districts=districts, streets=streets, titles=titles)
    ctx.best_titles = _deal_best_titles(rng, max(0, size - 1))  # 万亚勇 apart

    wan: int | None = None
    rows: list[_Row] = []
    saved = 0
    for made in range(size):
        rows.append(_wan_yayong(ctx) if made == 0 else _make_row(ctx))
        if len(rows) >= BATCH * 5 or made == size - 1:
            ids = _save(rows, titles, trades, first=saved)
            wan = wan or ids[0]
            saved += len(rows)
            rows = []

    for name, employer, code, title, year in COLLECTIVES[: max(3, min(len(COLLECTIVES), size // 250))]:
        Collective.objects.create(name=name, employer=employer, region=districts[code], title=titles[title], year=year)

    worker = get_user_model().objects.filter(username="worker").first()
    if worker is not None and wan is not None and not Person.objects.filter(user=worker).exists():
        Person.objects.filter(pk=wan).update(user=worker)
    _analyze([Person, PersonNameToken, Honour, Skill])
    log_action(None, "people.demo.loaded", changes={"size": size, "seed": seed})
    if stdout:
        stdout.write(f"  people: {size} people, {Honour.objects.count()} honours, {Skill.objects.count()} skills")
