"""Demo people: generated from fragments, never real. Names, ID numbers (GB 11643), phones,
addresses and workplaces are drawn with the plan's random generator, in the proportions of
Fuzhou's recent rolls (``CITY_STRATA``, ``PROVINCIAL_STRATA``).
"""

from __future__ import annotations

import random
import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from lvzhi.core.text import pinyin_full
from lvzhi.deputies.choices import Composition, Gender, Party

from .structure import FIELDS, UnitSpec

T = TypeVar("T")


# Common surnames, weighted towards Fuzhou's (陈 and 林 lead by far).
SURNAMES = (
    ("陈", 12), ("林", 12), ("黄", 6), ("张", 5), ("吴", 4), ("李", 4), ("王", 4), ("郑", 4), ("刘", 3),
    ("杨", 2), ("许", 2), ("蔡", 2), ("何", 2), ("谢", 2), ("郭", 2), ("洪", 2), ("周", 2), ("叶", 2),
    ("邱", 1), ("曾", 1), ("廖", 1), ("赖", 1), ("徐", 1), ("苏", 1), ("庄", 1), ("江", 1), ("吕", 1),
    ("游", 1), ("余", 1), ("詹", 1), ("高", 1), ("翁", 1), ("潘", 1), ("方", 1), ("魏", 1), ("卓", 1),
    ("薛", 1), ("施", 1), ("傅", 1), ("朱", 1), ("池", 1), ("卢", 1), ("欧", 1), ("程", 1),
)  # fmt: skip
GIVEN_MALE = (
    "伟强磊军勇杰涛明超刚平辉鹏飞斌宇浩凯健俊旭宁龙波建国志文清海晨阳昊鑫毅峰锋泽恒坤荣祥德振武良铭鸿"
)
GIVEN_FEMALE = "芳娜敏静丽艳秀霞桂英玉兰萍婷琳燕雪慧颖倩洁晶琴红梅莉丹月蓉欣怡婧瑶璐薇岚珊菲妍雯"
GIVEN_NEUTRAL = "华林榕闽晓小永立思嘉佳家子一文新春秋晴安宏诗雨若"
# Generated names could still spell a famous person's: refuse the ones anybody would recognise.
FAMOUS_NAMES = frozenset(
    {"林则徐", "严复", "林觉民", "沈葆桢", "陈嘉庚", "林徽因", "冰心", "陈景润", "林纾", "陈宝琛"}
)

ETHNIC_MINORITIES = ("畲族", "回族", "满族", "苗族", "壮族", "土家族", "侗族")
DEMOCRATIC_PARTIES = (
    (Party.CNDCA, 18), (Party.CDL, 14), (Party.CAPD, 12), (Party.CPWDP, 12), (Party.CZGP, 10),
    (Party.JS, 10), (Party.RCCK, 10), (Party.TDSL, 4), (Party.NONE_PARTY, 10),
)  # fmt: skip
DEMOCRATIC = "democratic"  # a stratum's share for the eight democratic parties and 无党派人士

# GB 11643: weights of the first 17 digits and the check character for (sum mod 11).
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_check_character(first17: str) -> str:
    """The 18th character of a citizen ID number (GB 11643-1999)."""
    return ID_CHECK[sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_number_is_valid(value: str) -> bool:
    """True when ``value`` is 17 digits and the right check character."""
    return len(value) == 18 and value[:17].isdigit() and value[17] == id_check_character(value[:17])


@dataclass(frozen=True)
class Stratum:
    """One composition category (构成类别) of a congress: its share and what its deputies are like."""

    share: float
    grassroots: float  # share flagged 基层代表
    women: float
    parties: tuple[tuple[str, float], ...]  # Party or DEMOCRATIC → share
    born: tuple[int, int]
    education: tuple[tuple[str, int], ...]


# Shares after Fuzhou's recent rolls: grassroots ≈ 53%, workers and farmers ≈ 20%, professionals
# ≈ 23%, officials ≈ 31%, enterprise heads ≈ 16%, women ≈ 30%, CPC members ≈ 68%, the democratic
# parties and non-party ≈ 15%. Apportioned by largest remainder, so the shares hold exactly.
CITY_STRATA = {
    Composition.OFFICIAL: Stratum(
        0.31, 0.0, 0.20, ((Party.CPC, 0.92), (DEMOCRATIC, 0.08)), (1966, 1984), (("研究生", 3), ("大学", 2))
    ),
    Composition.PROFESSIONAL: Stratum(
        0.23,
        0.80,
        0.42,
        ((Party.CPC, 0.45), (DEMOCRATIC, 0.35), (Party.MASSES, 0.20)),
        (1965, 1990),
        (("研究生", 3), ("大学", 3), ("大专", 1)),
    ),
    Composition.ENTERPRISE: Stratum(
        0.16,
        0.45,
        0.22,
        ((Party.CPC, 0.50), (DEMOCRATIC, 0.20), (Party.MASSES, 0.30)),
        (1960, 1988),
        (("研究生", 1), ("大学", 3), ("大专", 2)),
    ),
    Composition.WORKER: Stratum(
        0.11,
        1.0,
        0.35,
        ((Party.CPC, 0.65), (Party.MASSES, 0.35)),
        (1972, 1995),
        (("大专", 2), ("中专", 2), ("高中", 2)),
    ),
    Composition.FARMER: Stratum(
        0.093,
        1.0,
        0.35,
        ((Party.CPC, 0.70), (Party.MASSES, 0.30)),
        (1965, 1990),
        (("高中", 3), ("中专", 2), ("初中", 2), ("大专", 1)),
    ),
    Composition.MILITARY: Stratum(0.007, 0.0, 0.0, ((Party.CPC, 1.0),), (1972, 1982), (("大学", 1),)),
    Composition.OTHER: Stratum(
        0.09,
        0.85,
        0.40,
        ((Party.CPC, 0.75), (DEMOCRATIC, 0.10), (Party.MASSES, 0.15)),
        (1968, 1992),
        (("大学", 2), ("大专", 2)),
    ),
}
# Provincial deputies elected in Fuzhou who are not city deputies: no military (elected by the
# garrison, not by the city), more officials.
PROVINCIAL_STRATA = {
    composition: stratum
    for composition, stratum in CITY_STRATA.items()
    if composition != Composition.MILITARY
}
MINORITY_SHARE = 0.04


@dataclass(frozen=True)
class Archetype:
    """A kind of workplace (工作单位及职务) of one composition category, and what it is about.

    ``template`` is formatted with place keys (``county``, ``town``, ``street``, ``town_rural``,
    ``community``, ``village``, ``brand`` …, see ``_place_values``) and with ``choices``.
    """

    template: str
    fields: tuple[str, ...]
    sector: str | None = None
    weight: int = 1
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _a(template: str, fields: str, sector: str | None = None, weight: int = 1, **choices: str) -> Archetype:
    """Compact archetype notation: fields and each choice list are space-separated."""
    return Archetype(
        template,
        tuple(fields.split()),
        sector,
        weight,
        tuple((key, tuple(v.split())) for key, v in choices.items()),
    )


ARCHETYPES = {
    Composition.OFFICIAL: (
        _a("{county}{town}{town_secretary}", "城乡建设 社会保障", weight=4),
        _a("{county}{town}{town_chief}", "城乡建设 营商环境", weight=4),
        _a("{county}{deputy_head}", "财政经济 营商环境", weight=2),
        _a("{congress_prefix}人大常委会{title}", "法治建设", title="主任 副主任"),
        _a("{county}教育局局长", "教育科技", "教育"),
        _a("{county}卫生健康局局长", "医疗卫生", "医疗卫生"),
        _a("{county}农业农村局局长", "农业农村", "乡村振兴"),
        _a("{county}住房和城乡建设局局长", "城乡建设", "城市建设"),
        _a("{county}民政局局长", "社会保障"),
        _a("{county}财政局局长", "财政经济"),
        _a("{county}人民法院院长", "法治建设", "法律"),
        _a("{county}人民检察院检察长", "法治建设", "法律"),
        _a("福州市{dept}{title}", "教育科技", "教育", dept="教育局", title="局长 副局长"),
        _a("福州市{dept}{title}", "医疗卫生", "医疗卫生", dept="卫生健康委员会", title="主任 副主任"),
        _a("福州市{dept}{title}", "财政经济", dept="财政局 审计局 统计局", title="局长 副局长"),
        _a("福州市{dept}{title}", "城乡建设", "城市建设", dept="城乡建设局 自然资源和规划局", title="局长 副局长"),
        _a("福州市{dept}{title}", "交通运输", dept="交通运输局", title="局长 副局长"),
        _a("福州市{dept}{title}", "农业农村", "乡村振兴", dept="农业农村局 林业局 水利局", title="局长 副局长"),
        _a("福州市{dept}{title}", "生态环境", "生态环保", dept="生态环境局", title="局长 副局长"),
        _a("福州市{dept}{title}", "法治建设", "法律", dept="司法局 公安局", title="副局长"),
        _a("福州市{dept}{title}", "营商环境", dept="商务局 市场监督管理局 数据管理局", title="局长 副局长"),
        _a("福州市{dept}{title}", "文化旅游", "文化旅游", dept="文化和旅游局 体育局", title="局长 副局长"),
        _a("福州市{dept}{title}", "社会保障", dept="民政局 人力资源和社会保障局 医疗保障局", title="局长 副局长"),
        _a("福州市{dept}{title}", "民族宗教侨务", dept="民族与宗教事务局 外事办公室", title="局长 副局长 主任"),
        _a("{zone}管委会{title}", "营商环境 教育科技", "科技创新", zone="福州高新区 福州经济技术开发区 福州新区", title="主任 副主任"),
    ),
    Composition.PROFESSIONAL: (
        _a(
            "{hospital}{department}{title}",
            "医疗卫生",
            "医疗卫生",
            weight=5,
            hospital="福建医科大学附属协和医院 福建医科大学附属第一医院 福建省立医院 福州市第一总医院 "
            "福州市第二总医院 福州市中医院 福建中医药大学附属人民医院 福建省福州儿童医院",
            department="心血管内科 儿科 急诊科 肿瘤科 神经内科 妇产科 骨科 呼吸与危重症医学科 普外科 内分泌科 护理部",
            title="主任医师 副主任医师 主治医师 护士长",
        ),
        _a("{county}{town}{clinic}{title}", "医疗卫生 社会保障", "医疗卫生", weight=2, title="主任 全科医生"),
        _a("福州第{number}中学{title}", "教育科技", "教育", weight=3, number="一 二 三 四 八 十一 十六 十八 二十四", title="高级教师 教研组长 副校长"),
        _a("{county}实验小学{title}", "教育科技", "教育", title="校长 高级教师"),
        _a("{county}{town_rural}中心小学{title}", "教育科技 农业农村", "教育", weight=2, title="校长 教师"),
        _a("{university}{title}", "教育科技", "科技创新", weight=2, university="福州大学 福建师范大学 福建农林大学 福建医科大学 闽江学院", title="教授 副教授"),
        _a("福州大学{college}{title}", "城乡建设", "城市建设", college="土木工程学院 建筑与城乡规划学院", title="教授 副院长"),
        _a("福州大学{college}{title}", "财政经济 营商环境", college="经济与管理学院", title="教授 副院长"),
        _a("福州大学{college}{title}", "生态环境", "生态环保", college="环境与安全工程学院", title="教授 副院长"),
        _a("福建农林大学{college}{title}", "农业农村", "乡村振兴", college="农学院 园艺学院 资源与环境学院", title="教授 副院长"),
        _a("福建师范大学{college}{title}", "文化旅游 教育科技", "文化旅游", college="文学院 教育学院 文化旅游与公共管理学院", title="教授 副院长"),
        _a("福建{brand}律师事务所{title}", "法治建设", "法律", weight=3, title="主任 合伙人 律师"),
        _a("福建{brand}会计师事务所{title}", "财政经济 营商环境", title="所长 注册会计师"),
        _a("福州市规划设计研究院集团有限公司{title}", "城乡建设 交通运输", "城市建设", title="高级工程师 总工程师"),
        _a("福州市环境监测站{title}", "生态环境", "生态环保", title="站长 高级工程师"),
        _a("{county}农业技术推广站{title}", "农业农村", "乡村振兴", weight=2, title="站长 高级农艺师 农艺师"),
        _a("福州市闽剧艺术传承发展中心{title}", "文化旅游", "文化旅游", title="国家一级演员 演员"),
        _a("{county}文化馆{title}", "文化旅游", "文化旅游", title="馆长 馆员"),
        _a("福建{brand}{industry}有限公司研发中心{title}", "教育科技 营商环境", "科技创新", weight=2, industry="软件 信息技术 数字科技 生物科技 新材料", title="主任 高级工程师"),
    ),
    Composition.ENTERPRISE: (
        _a("福建{brand}{industry}有限公司{boss}", "营商环境 财政经济", "民营经济", weight=4, industry="纺织 化纤 服装 鞋业 食品 机械 汽车配件 光电 电子科技 智能装备"),
        _a("福建{brand}{industry}有限公司{boss}", "教育科技 营商环境", "科技创新", weight=2, industry="软件 信息技术 数字科技 生物科技 新材料"),
        _a("福州{brand}{industry}有限公司{boss}", "城乡建设", "城市建设", industry="建设工程 建筑设计 房地产开发"),
        _a("福州{brand}{industry}有限公司{boss}", "交通运输 营商环境", "民营经济", industry="物流 运输 供应链管理"),
        _a("{county}{brand}{industry}有限公司{boss}", "农业农村 营商环境", "乡村振兴", weight=2, industry="茶业 水产 农业开发 食用菌 茉莉花茶"),
        _a("福州{brand}{industry}有限公司{boss}", "文化旅游", "文化旅游", industry="文化传媒 旅游发展 酒店管理"),
        _a("福建{brand}{industry}有限公司{boss}", "医疗卫生 营商环境", "医疗卫生", industry="医药 医疗器械"),
        _a("福州{brand}集团有限公司{boss}", "营商环境 财政经济", "民营经济", weight=2),
    ),
    Composition.WORKER: (
        _a("福建{brand}{industry}有限公司{workshop}{title}", "营商环境 社会保障", weight=4, industry="纺织 化纤 电子 机械 食品", workshop="生产车间 装配车间 织造车间 质检部", title="班组长 技术工人 操作工 质检员 车间主任"),
        _a("国网福州供电公司{town}供电所{title}", "城乡建设", title="电工 所长 抢修班班长"),
        _a("福州地铁集团有限公司运营分公司{title}", "交通运输", title="值班站长 电客车司机 检修工"),
        _a("福州公交集团有限公司{route}路公交车驾驶员", "交通运输", route="1 7 20 27 51 69 101 115 130 301"),
        _a("{county}环境卫生服务中心{title}", "生态环境 城乡建设", "生态环保", title="环卫工人 班长"),
        _a("福州港{port}港区{title}", "交通运输", port="江阴 罗源湾 松下 可门", title="装卸工人 桥吊司机"),
        _a("{county}{town}快递服务站快递员", "社会保障"),
    ),
    Composition.FARMER: (
        _a("{county}{town_rural}{village}党支部书记、村委会主任", "农业农村", "乡村振兴", weight=4),
        _a("{county}{brand}{crop}专业合作社理事长", "农业农村 生态环境", "乡村振兴", weight=3, crop="茶叶 橄榄 青梅 李果 食用菌 蔬菜 花卉 茉莉花 柑橘 水产养殖"),
        _a("{county}{town_rural}{village}{title}", "农业农村", weight=3, title="种植大户 家庭农场主 养殖户 村民"),
    ),
    Composition.MILITARY: (_a("{county}人民武装部{title}", "社会保障 法治建设", title="部长 政治委员"),),
    Composition.OTHER: (
        _a("{county}{town}{community}党委书记、居委会主任", "社会保障 城乡建设", weight=4),
        _a("{county}{town}{community}居委会主任", "社会保障", weight=2),
        _a("{county}归国华侨联合会主席", "民族宗教侨务"),
        _a("{county}残疾人联合会理事长", "社会保障"),
        _a("{county}妇女联合会主席", "社会保障"),
        _a("福州市{brand}商会会长", "营商环境", "民营经济"),
        _a("{county}个体劳动者协会会长", "营商环境", "民营经济"),
        _a("福州市{brand}社会工作服务中心主任", "社会保障"),
    ),
}  # fmt: skip

BRAND_SYLLABLES = "榕闽福鼓瀛江海新宏恒鑫泰兴嘉盛瑞安达源华诚信和昌隆锦阳辰晟"
BOSSES = ("董事长", "总经理", "党委书记、董事长", "执行董事")
COMMUNITY_STEMS = (
    "东湖", "南门", "西园", "北峰", "新港", "江滨", "湖前", "榕城", "温泉", "金山", "茶园", "后坂", "福新", "华林",
    "屏西", "梅峰", "井店", "乌山", "桂湖", "凤凰", "塔头", "树兜", "白马", "仓前", "半洲", "龙津", "琼东", "鹤林",
)  # fmt: skip
VILLAGE_FIRST = "上下东西南北前后大小新溪岭坑洋厝山湖林岐"
VILLAGE_SECOND = "洋厝岭坂溪头尾屿坑山里洲塘埕"
ROADS = (
    "福人", "工业", "湖滨", "江滨", "学府", "站前", "华林", "五四", "六一", "温泉", "长安", "清昌", "迎宾", "滨海",
    "文化", "新华", "人民", "建设", "中山", "金山", "连江", "南江滨", "北环", "梅花",
)  # fmt: skip


@dataclass
class PersonSeed:
    name: str
    gender: str
    ethnicity: str
    birth_date: date
    party: str
    education: str
    workplace: str
    id_number: str
    phone: str
    email: str
    address: str

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _apportion(total: int, shares: Sequence[tuple[T, float]]) -> list[tuple[T, int]]:
    """Split ``total`` by ``shares`` into whole numbers (largest remainder), keeping the order."""
    weight = sum(share for _, share in shares)
    exact = [total * share / weight for _, share in shares]
    counts = [int(value) for value in exact]
    for index in sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])[: total - sum(counts)]:
        counts[index] += 1
    return [(key, count) for (key, _), count in zip(shares, counts, strict=True)]


def _spread(rng: random.Random, total: int, shares: Sequence[tuple[T, float]]) -> list[T]:
    """``total`` values in the proportions ``shares``, shuffled."""
    values = [key for key, count in _apportion(total, shares) for _ in range(count)]
    rng.shuffle(values)
    return values


def _weighted(rng: random.Random, options: Sequence[tuple[T, int]]) -> T:
    return rng.choices([value for value, _ in options], weights=[weight for _, weight in options])[0]


@dataclass
class Profile:
    composition: str
    is_grassroots: bool
    gender: str
    party: str
    minority: bool = False


def draw_profiles(rng: random.Random, total: int, strata: dict[str, Stratum]) -> list[Profile]:
    """``total`` deputies' composition, grassroots flag, gender and party, in exact proportions."""
    profiles = []
    for composition, count in _apportion(total, [(key, stratum.share) for key, stratum in strata.items()]):
        stratum = strata[composition]
        grassroots = _spread(rng, count, [(True, stratum.grassroots), (False, 1 - stratum.grassroots)])
        genders = _spread(rng, count, [(Gender.FEMALE, stratum.women), (Gender.MALE, 1 - stratum.women)])
        parties = _spread(rng, count, stratum.parties)
        for index in range(count):
            party = parties[index]
            if party == DEMOCRATIC:
                party = _weighted(rng, DEMOCRATIC_PARTIES)
            profiles.append(Profile(composition, grassroots[index], genders[index], party))
    for index in rng.sample(range(total), round(total * MINORITY_SHARE)):
        profiles[index].minority = True
    rng.shuffle(profiles)
    return profiles


class Generator:
    """Draws names, ID numbers, phones and workplaces, never the same twice."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.names: set[str] = set()
        self.id_numbers: set[str] = set()
        self.phones: set[str] = set()
        self.workplaces: set[str] = set()
        self.emails: Counter[str] = Counter()
        self.surnames = [surname for surname, _ in SURNAMES]
        self.surname_weights = [weight for _, weight in SURNAMES]

    def name(self, gender: str) -> str:
        own = GIVEN_FEMALE if gender == Gender.FEMALE else GIVEN_MALE
        pool = own + own + GIVEN_NEUTRAL  # mostly gendered characters, some neutral
        while True:
            surname = self.rng.choices(self.surnames, weights=self.surname_weights)[0]
            length = 1 if self.rng.random() < 0.2 else 2
            given = "".join(self.rng.choice(pool) for _ in range(length))
            name = surname + given
            if len(set(given)) == length and name not in self.names and name not in FAMOUS_NAMES:
                self.names.add(name)
                return name

    def birth_date(self, born: tuple[int, int]) -> date:
        year = self.rng.randint(*born)
        return date(year, 1, 1) + timedelta(days=self.rng.randrange(365))

    def id_number(self, unit: UnitSpec, birth_date: date, gender: str) -> str:
        """18 characters: division code, birth date, sequence (odd for men), GB 11643 check."""
        while True:
            sequence = self.rng.randrange(0, 499) * 2 + (1 if gender == Gender.MALE else 2)
            first17 = f"{unit.code}{birth_date:%Y%m%d}{sequence:03d}"
            value = first17 + id_check_character(first17)
            if value not in self.id_numbers:
                self.id_numbers.add(value)
                return value

    def phone(self) -> str:
        while True:
            value = "139" + f"{self.rng.randrange(10**8):08d}"
            if value not in self.phones:
                self.phones.add(value)
                return value

    def email(self, name: str) -> str:
        local = pinyin_full(name)
        self.emails[local] += 1
        suffix = "" if self.emails[local] == 1 else str(self.emails[local])
        return f"{local}{suffix}@example.com"  # a reserved domain: no demo mail reaches anybody

    def address(self, unit: UnitSpec) -> str:
        town = self.rng.choice(unit.towns)
        return f"福建省福州市{unit.name}{town}{self.rng.choice(ROADS)}路{self.rng.randint(1, 399)}号"

    def _place_values(self, unit: UnitSpec, keys: set[str]) -> dict[str, str] | None:
        """Values for a template's place keys in ``unit``, or None if the unit has no such place."""
        rng = self.rng
        values: dict[str, str] = {"county": unit.name, "deputy_head": unit.deputy_head}
        values["congress_prefix"] = unit.congress_prefix
        if keys & {"street"}:
            if not unit.streets:
                return None
            values["street"] = rng.choice(unit.streets)
        if keys & {"town_rural", "village"}:
            if not unit.rural_towns:
                return None
            values["town_rural"] = rng.choice(unit.rural_towns)
        town = rng.choice(unit.towns)
        values["town"] = town
        urban = town.endswith("街道")
        values["town_secretary"] = "党工委书记" if urban else "党委书记"
        values["town_chief"] = "办事处主任" if urban else ("乡长" if town.endswith("乡") else "镇长")
        values["clinic"] = "社区卫生服务中心" if urban else "卫生院"
        values["community"] = rng.choice(COMMUNITY_STEMS) + "社区"
        values["village"] = rng.choice(VILLAGE_FIRST) + rng.choice(VILLAGE_SECOND) + "村"
        values["brand"] = "".join(rng.sample(BRAND_SYLLABLES, 2))
        values["boss"] = rng.choice(BOSSES)
        return values

    def workplace(self, composition: str, unit: UnitSpec) -> tuple[str, Archetype]:
        """A workplace and title of ``composition`` in ``unit``; unique where it can be."""
        archetypes = ARCHETYPES[composition]
        weights = [archetype.weight for archetype in archetypes]
        candidate = None
        for _ in range(40):
            archetype = self.rng.choices(archetypes, weights=weights)[0]
            keys = {name for _, name, _, _ in string.Formatter().parse(archetype.template) if name}
            values = self._place_values(unit, keys)
            if values is None:
                continue
            for key, options in archetype.choices:
                values[key] = self.rng.choice(options)
            candidate = (archetype.template.format(**values), archetype)
            if candidate[0] not in self.workplaces:
                break
        assert candidate is not None, f"no workplace of {composition} fits {unit.name}"
        self.workplaces.add(candidate[0])
        return candidate


def _education(rng: random.Random, stratum: Stratum) -> str:
    return _weighted(rng, stratum.education)


def draw_person(
    gen: Generator, profile: Profile, unit: UnitSpec, stratum: Stratum
) -> tuple[PersonSeed, Archetype]:
    rng = gen.rng
    name = gen.name(profile.gender)
    birth_date = gen.birth_date(stratum.born)
    workplace, archetype = gen.workplace(profile.composition, unit)
    if profile.minority:
        # 畲族 live mostly in the northern counties, 满族 in 长乐's 琴江 village.
        ethnicity = {"罗源县": "畲族", "连江县": "畲族", "闽侯县": "畲族", "长乐区": "满族"}.get(unit.name)
        ethnicity = ethnicity or rng.choice(ETHNIC_MINORITIES)
    else:
        ethnicity = "汉族"
    person = PersonSeed(
        name=name,
        gender=profile.gender,
        ethnicity=ethnicity,
        birth_date=birth_date,
        party=profile.party,
        education=_education(rng, stratum),
        workplace=workplace,
        id_number=gen.id_number(unit, birth_date, profile.gender),
        phone=gen.phone(),
        email=gen.email(name),
        address=gen.address(unit),
    )
    return person, archetype


def draw_fields(rng: random.Random, archetype: Archetype) -> list[str]:
    """The archetype's fields, and sometimes one more: one to three fields per deputy."""
    fields = list(archetype.fields)
    if len(fields) < 3 and rng.random() < 0.35:
        fields.append(rng.choice([name for name in FIELDS if name not in fields]))
    return fields
