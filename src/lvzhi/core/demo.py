"""Demo data: a generated but realistic Fuzhou installation to try lvzhi on.

What it builds (``seed_demo``):

- the Fuzhou city congress (第十六届, sessions 2022-2026), the provincial congress whose deputies
  elected in Fuzhou the city standing committee services (第十四届, 2023-2026), and the 13
  county-level congresses under the city;
- the city's 13 electoral units and their delegations, the provincial congress's unit 福州市;
- fields of work, territorial and sectoral deputy groups, the committees, ~60 handling units under
  the real names of Fuzhou's organs;
- ~560 city deputies and ~100 provincial deputies (some persons hold both mandates) with a
  realistic composition, and a few qualification events (suspensions, terminations, by-elections);
- one demo account per role (``DEMO_ACCOUNTS``), password ``settings.LVZHI_DEMO_PASSWORD``.

Bodies and organs carry their real names; **people never do**: every name, ID number, phone and
address is generated from fragments with a fixed random seed, so two runs build the same data.

The plan is built in memory first (``build_plan``: pure, deterministic) and then written through
the registry's own services (``deputies.services.deputy_create``, ``mandate_event_record``), so the
demo data satisfies every invariant that staff-entered data does: election events, derived
status, pinyin search fields, row history.

Only the demo command calls this module, and only where ``settings.LVZHI_ALLOW_DEMO`` is true.
"""

from __future__ import annotations

import random
import string
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from lvzhi.accounts.choices import Role
from lvzhi.accounts.models import User
from lvzhi.core.text import chinese_number, normalize_code, pinyin_full
from lvzhi.deputies import services
from lvzhi.deputies.choices import (
    Composition,
    Gender,
    MandateEventType,
    MandateStatus,
    Party,
    SuspensionCause,
)
from lvzhi.deputies.models import Mandate, MandateEvent, Person
from lvzhi.deputies.workflow import TERMINATING_EVENTS
from lvzhi.organizations.choices import CommitteeKind, CongressLevel, DeputyGroupKind, HandlingUnitKind
from lvzhi.organizations.models import (
    Committee,
    Congress,
    DeputyGroup,
    ElectoralUnit,
    ExpertiseField,
    HandlingUnit,
    Session,
    Term,
)

T = TypeVar("T")

# Changing the seed changes every generated person: keep it fixed so demos and screenshots agree.
SEED = 20250311  # the day the revised Deputies Law was adopted
# The demo's history is told as of this day: qualification events are dated before it, whatever
# the machine's clock says, so the data is the same on every run.
DEMO_TODAY = date(2025, 10, 31)

# ---------------------------------------------------------------------------------------------
# Bodies: real names (they are public institutions), dates approximate.
# ---------------------------------------------------------------------------------------------

CITY_CONGRESS = "福州市人民代表大会"
PROVINCIAL_CONGRESS = "福建省人民代表大会"
CITY_TERM = 16
PROVINCIAL_TERM = 14
# First sessions are held in January each year (第一次会议 … 第五次会议).
CITY_SESSIONS = (
    (date(2022, 1, 5), date(2022, 1, 8)),
    (date(2023, 1, 4), date(2023, 1, 7)),
    (date(2024, 1, 9), date(2024, 1, 12)),
    (date(2025, 1, 7), date(2025, 1, 10)),
    (date(2026, 1, 6), date(2026, 1, 9)),
)
PROVINCIAL_SESSIONS = (
    (date(2023, 1, 12), date(2023, 1, 17)),
    (date(2024, 1, 23), date(2024, 1, 27)),
    (date(2025, 1, 12), date(2025, 1, 16)),
    (date(2026, 1, 24), date(2026, 1, 28)),
)


@dataclass(frozen=True)
class UnitSpec:
    """A county-level division of Fuzhou: the city congress's electoral unit and its delegation."""

    name: str
    delegation: str
    code: str  # the division code (GB/T 2260), also the first six digits of local ID numbers
    seats: int  # city deputies it elects (weighted by population, plus a base)
    rurality: float  # 0 urban … 1 rural: where farmers and village cadres are seated
    towns: tuple[str, ...]  # its sub-districts (街道), towns (镇) and townships (乡)
    congress_name: str = ""  # its own people's congress, when not "<name>人民代表大会"

    @property
    def county_congress(self) -> str:
        return self.congress_name or f"{self.name}人民代表大会"

    @property
    def congress_prefix(self) -> str:
        return self.county_congress.removesuffix("人民代表大会")

    @property
    def streets(self) -> tuple[str, ...]:
        return tuple(town for town in self.towns if town.endswith("街道"))

    @property
    def rural_towns(self) -> tuple[str, ...]:
        return tuple(town for town in self.towns if not town.endswith("街道"))

    @property
    def deputy_head(self) -> str:
        """The deputy head of the local government, as workplaces write it."""
        if self.name == "平潭综合实验区":
            return "管委会副主任"
        return "人民政府副" + {"区": "区长", "市": "市长", "县": "县长"}[self.name[-1]]


# The city congress's 13 electoral units in the order of the city's own documents. Seats total 558;
# the five largest are 福清, 鼓楼, 仓山, 晋安 and 长乐.
UNITS = (
    UnitSpec("鼓楼区", "鼓楼团", "350102", 64, 0.0,
             ("东街街道", "南街街道", "温泉街道", "鼓东街道", "鼓西街道", "安泰街道", "华大街道", "水部街道", "五凤街道", "洪山镇")),
    UnitSpec("台江区", "台江团", "350103", 42, 0.0,
             ("瀛洲街道", "后洲街道", "义洲街道", "新港街道", "上海街道", "茶亭街道", "洋中街道", "鳌峰街道", "宁化街道", "苍霞街道")),
    UnitSpec("仓山区", "仓山团", "350104", 60, 0.15,
             ("仓前街道", "东升街道", "对湖街道", "临江街道", "三叉街街道", "上渡街道", "下渡街道", "金山街道", "盖山镇", "建新镇", "城门镇", "螺洲镇")),
    UnitSpec("晋安区", "晋安团", "350111", 56, 0.3,
             ("茶园街道", "王庄街道", "象园街道", "鼓山镇", "新店镇", "岳峰镇", "宦溪镇", "寿山乡", "日溪乡")),
    UnitSpec("马尾区", "马尾团", "350105", 28, 0.4, ("罗星街道", "马尾镇", "亭江镇", "琅岐镇")),
    UnitSpec("长乐区", "长乐团", "350112", 50, 0.6,
             ("吴航街道", "航城街道", "营前街道", "漳港街道", "潭头镇", "金峰镇", "湖南镇", "文岭镇", "梅花镇", "古槐镇", "江田镇", "松下镇")),
    UnitSpec("福清市", "福清团", "350181", 70, 0.6,
             ("玉屏街道", "龙山街道", "龙江街道", "宏路街道", "石竹街道", "音西街道", "阳下街道", "海口镇", "城头镇", "龙田镇", "江阴镇", "高山镇", "东张镇")),
    UnitSpec("闽侯县", "闽侯团", "350121", 48, 0.7,
             ("甘蔗街道", "上街镇", "南屿镇", "南通镇", "青口镇", "祥谦镇", "尚干镇", "荆溪镇", "白沙镇", "竹岐乡")),
    UnitSpec("连江县", "连江团", "350122", 38, 0.8,
             ("凤城镇", "敖江镇", "琯头镇", "晓澳镇", "东岱镇", "黄岐镇", "苔菉镇", "筱埕镇", "丹阳镇", "透堡镇")),
    UnitSpec("罗源县", "罗源团", "350123", 22, 0.85,
             ("凤山镇", "松山镇", "起步镇", "中房镇", "飞竹镇", "鉴江镇", "碧里乡", "霍口畲族乡")),
    UnitSpec("闽清县", "闽清团", "350124", 24, 0.9,
             ("梅城镇", "梅溪镇", "白樟镇", "金沙镇", "白中镇", "池园镇", "坂东镇", "塔庄镇")),
    UnitSpec("永泰县", "永泰团", "350125", 26, 0.9,
             ("樟城镇", "城峰镇", "清凉镇", "嵩口镇", "梧桐镇", "葛岭镇", "同安镇", "大洋镇")),
    # 平潭 is administered by the experimental zone; its deputies are elected by 平潭县人大.
    UnitSpec("平潭综合实验区", "平潭团", "350128", 30, 0.7,
             ("潭城镇", "苏澳镇", "流水镇", "澳前镇", "北厝镇", "平原镇", "敖东镇", "白青乡"),
             congress_name="平潭县人民代表大会"),
)  # fmt: skip
UNIT_NAMES = tuple(unit.name for unit in UNITS)
# Provincial deputies from Fuzhou are elected by the city congress: one electoral unit.
PROVINCIAL_UNIT = ("福州市", "福州代表团", "3501")
PROVINCIAL_SEATS = 100
PROVINCIAL_ALSO_CITY = 30  # of them, persons who are city deputies too

FIELDS = (
    "财政经济",
    "城乡建设",
    "生态环境",
    "教育科技",
    "医疗卫生",
    "农业农村",
    "社会保障",
    "文化旅游",
    "交通运输",
    "法治建设",
    "民族宗教侨务",
    "营商环境",
)
SECTORS = ("教育", "医疗卫生", "民营经济", "法律", "科技创新", "乡村振兴", "生态环保", "文化旅游", "城市建设")
PROVINCIAL_GROUPS = 4

# (name, kind, counterpart fields): 专门委员会 of the congress, 工作委员会 of its standing committee.
COMMITTEES = (
    ("法制委员会", CommitteeKind.SPECIAL, ("法治建设",)),
    ("财政经济委员会", CommitteeKind.SPECIAL, ("财政经济", "营商环境")),
    ("监察和司法委员会", CommitteeKind.SPECIAL, ("法治建设",)),
    ("教育科学文化卫生委员会", CommitteeKind.SPECIAL, ("教育科技", "医疗卫生", "文化旅游")),
    ("城乡建设环境与资源保护委员会", CommitteeKind.SPECIAL, ("城乡建设", "生态环境", "交通运输")),
    ("农业与农村委员会", CommitteeKind.SPECIAL, ("农业农村",)),
    ("华侨外事民族宗教委员会", CommitteeKind.SPECIAL, ("民族宗教侨务",)),
    ("社会建设委员会", CommitteeKind.SPECIAL, ("社会保障", "医疗卫生")),
    ("法制工作委员会", CommitteeKind.WORKING, ("法治建设",)),
    ("预算工作委员会", CommitteeKind.WORKING, ("财政经济",)),
    ("代表工作委员会", CommitteeKind.WORKING, ()),
    ("财政经济工作委员会", CommitteeKind.WORKING, ("财政经济", "营商环境")),
    ("教育科学文化卫生工作委员会", CommitteeKind.WORKING, ("教育科技", "医疗卫生", "文化旅游")),
    ("城建环资工作委员会", CommitteeKind.WORKING, ("城乡建设", "生态环境", "交通运输")),
    ("农村经济工作委员会", CommitteeKind.WORKING, ("农业农村",)),
    ("社会建设工作委员会", CommitteeKind.WORKING, ("社会保障", "医疗卫生")),
    ("监察和司法工作委员会", CommitteeKind.WORKING, ("法治建设",)),
    ("华侨外事民族宗教工作委员会", CommitteeKind.WORKING, ("民族宗教侨务",)),
)

CITY_GOVERNMENT = "福州市人民政府"
# The city government's departments: (name after "福州市", short name). The government re-assigns
# suggestions to them, so they are its children.
DEPARTMENTS = (
    ("人民政府办公厅", "市政府办"),
    ("发展和改革委员会", "市发改委"),
    ("教育局", "市教育局"),
    ("科学技术局", "市科技局"),
    ("工业和信息化局", "市工信局"),
    ("公安局", "市公安局"),
    ("民政局", "市民政局"),
    ("司法局", "市司法局"),
    ("财政局", "市财政局"),
    ("人力资源和社会保障局", "市人社局"),
    ("自然资源和规划局", "市资规局"),
    ("生态环境局", "市生态环境局"),
    ("城乡建设局", "市城乡建设局"),
    ("住房保障和房产管理局", "市住房局"),
    ("城市管理委员会", "市城管委"),
    ("交通运输局", "市交通运输局"),
    ("农业农村局", "市农业农村局"),
    ("水利局", "市水利局"),
    ("商务局", "市商务局"),
    ("文化和旅游局", "市文旅局"),
    ("卫生健康委员会", "市卫健委"),
    ("退役军人事务局", "市退役军人局"),
    ("应急管理局", "市应急局"),
    ("审计局", "市审计局"),
    ("人民政府国有资产监督管理委员会", "市国资委"),
    ("市场监督管理局", "市市场监管局"),
    ("体育局", "市体育局"),
    ("统计局", "市统计局"),
    ("医疗保障局", "市医保局"),
    ("林业局", "市林业局"),
    ("海洋与渔业局", "市海渔局"),
    ("信访局", "市信访局"),
    ("数据管理局", "市数据局"),
    ("园林中心", "市园林中心"),
    ("机关事务管理局", "市机关事务局"),
    ("民族与宗教事务局", "市民宗局"),
    ("外事办公室", "市外办"),
    ("地方金融管理局", "市金融局"),
    ("人民防空办公室", "市人防办"),
)
# (name, short name, kind): the organs outside the government that handle suggestions.
OTHER_HANDLING_UNITS = (
    ("福州市中级人民法院", "市中院", HandlingUnitKind.COURT),
    ("福州市人民检察院", "市检察院", HandlingUnitKind.PROCURATORATE),
    ("福州市监察委员会", "市监委", HandlingUnitKind.SUPERVISORY_COMMISSION),
    ("中共福州市委宣传部", "市委宣传部", HandlingUnitKind.OTHER),
    ("中共福州市委统战部", "市委统战部", HandlingUnitKind.OTHER),
    ("中共福州市委政法委员会", "市委政法委", HandlingUnitKind.OTHER),
    ("中共福州市委机构编制委员会办公室", "市委编办", HandlingUnitKind.OTHER),
    ("国网福州供电公司", "福州供电公司", HandlingUnitKind.OTHER),
    ("福州市住房公积金中心", "市住房公积金中心", HandlingUnitKind.OTHER),
    ("国家税务总局福州市税务局", "市税务局", HandlingUnitKind.OTHER),
    ("福州地铁集团有限公司", "福州地铁集团", HandlingUnitKind.OTHER),
    ("福州市消防救援支队", "市消防救援支队", HandlingUnitKind.OTHER),
    ("福州市气象局", "市气象局", HandlingUnitKind.OTHER),
    ("福州水务集团有限公司", "福州水务集团", HandlingUnitKind.OTHER),
    ("福州市交通建设集团有限公司", "福州交建集团", HandlingUnitKind.OTHER),
    ("福州市烟草专卖局", "市烟草专卖局", HandlingUnitKind.OTHER),
    ("国家金融监督管理总局福州监管分局", "福州金融监管分局", HandlingUnitKind.OTHER),
    ("中国移动通信集团福建有限公司福州分公司", "福州移动", HandlingUnitKind.OTHER),
)


@dataclass(frozen=True)
class AccountSpec:
    """A demo account: one per role."""

    username: str
    role: str
    title: str = ""  # shown after the generated name, e.g. 常委会副主任


DEMO_ACCOUNTS = (
    AccountSpec("demo-admin", Role.SYSTEM_ADMIN, "系统管理员"),
    AccountSpec("demo-staff", Role.DEPUTY_AFFAIRS_STAFF, "代表工委"),
    AccountSpec("demo-leader", Role.LEADER, "常委会副主任"),
    AccountSpec("demo-deputy", Role.DEPUTY),
    AccountSpec("demo-unit", Role.HANDLING_UNIT_STAFF, "市城乡建设局"),
    AccountSpec("demo-county", Role.COUNTY_STAFF, "鼓楼区人大常委会"),
    AccountSpec("demo-committee", Role.COMMITTEE_STAFF, "城建环资工委"),
)
DEMO_USERNAMES = tuple(account.username for account in DEMO_ACCOUNTS)
DEMO_UNIT_HANDLING = "福州市城乡建设局"
DEMO_COUNTY_UNIT = "鼓楼区"
DEMO_COMMITTEE = "城建环资工作委员会"

# ---------------------------------------------------------------------------------------------
# People: generated from fragments, never real.
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# The plan: built in memory, deterministic.
# ---------------------------------------------------------------------------------------------


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


@dataclass
class MandateSeed:
    """One mandate to seat: who, where, and what the registry records about it."""

    person: PersonSeed
    congress: str  # CITY_CONGRESS or PROVINCIAL_CONGRESS
    unit: str
    card_number: str
    composition: str
    is_grassroots: bool
    start_date: date
    fields: list[str]
    groups: list[str]
    by_election: bool = False
    reason: str = ""


@dataclass
class EventSeed:
    """A qualification event recorded through ``mandate_event_record`` after the deputies exist."""

    card_number: str
    congress: str
    type: str
    on: date
    reason: str
    document_reference: str = ""
    suspension_cause: str = ""
    cause_ends_on: date | None = None
    announcement_number: str = ""


@dataclass
class DemoPlan:
    mandates: list[MandateSeed] = field(default_factory=list)  # in creation order
    events: list[EventSeed] = field(default_factory=list)  # in date order
    account_names: dict[str, str] = field(default_factory=dict)  # username → display name
    demo_deputy_id_number: str = ""


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
class _Profile:
    composition: str
    is_grassroots: bool
    gender: str
    party: str
    minority: bool = False


def _profiles(rng: random.Random, total: int, strata: dict[str, Stratum]) -> list[_Profile]:
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
            profiles.append(_Profile(composition, grassroots[index], genders[index], party))
    for index in rng.sample(range(total), round(total * MINORITY_SHARE)):
        profiles[index].minority = True
    rng.shuffle(profiles)
    return profiles


class _Generator:
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


def _person(
    gen: _Generator, profile: _Profile, unit: UnitSpec, stratum: Stratum
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


def _fields(rng: random.Random, archetype: Archetype) -> list[str]:
    """The archetype's fields, and sometimes one more: one to three fields per deputy."""
    fields = list(archetype.fields)
    if len(fields) < 3 and rng.random() < 0.35:
        fields.append(rng.choice([name for name in FIELDS if name not in fields]))
    return fields


def territorial_groups(unit: UnitSpec) -> list[str]:
    """A unit's territorial deputy groups: three in the largest units, one in the smallest."""
    count = 3 if unit.seats >= 50 else 2 if unit.seats >= 35 else 1
    if count == 1:
        return [f"{unit.name}代表小组"]
    return [f"{unit.name}第{chinese_number(number)}代表小组" for number in range(1, count + 1)]


def sectoral_group(sector: str) -> str:
    return f"{sector}专业代表小组"


def provincial_groups() -> list[str]:
    """The groups of the provincial deputies elected in Fuzhou."""
    return [f"福州市省人大代表第{chinese_number(number)}小组" for number in range(1, PROVINCIAL_GROUPS + 1)]


def _seat_units(rng: random.Random, profiles: list[_Profile]) -> list[UnitSpec]:
    """The electoral unit of each profile: farmers where the countryside is, the rest anywhere."""
    free = {unit.name: unit.seats for unit in UNITS}
    by_name = {unit.name: unit for unit in UNITS}
    seated: dict[int, UnitSpec] = {}
    # Farmers first, while the rural units still have seats.
    order = sorted(range(len(profiles)), key=lambda i: profiles[i].composition != Composition.FARMER)
    for index in order:
        farmer = profiles[index].composition == Composition.FARMER
        names = [name for name, seats in free.items() if seats]
        weights = [free[name] * (by_name[name].rurality if farmer else 1) for name in names]
        if not any(weights):
            weights = [free[name] for name in names]
        name = rng.choices(names, weights=weights)[0]
        free[name] -= 1
        seated[index] = by_name[name]
    return [seated[index] for index in range(len(profiles))]


def _city_mandates(rng: random.Random, gen: _Generator, start: date) -> list[MandateSeed]:
    total = sum(unit.seats for unit in UNITS)
    profiles = _profiles(rng, total, CITY_STRATA)
    units = _seat_units(rng, profiles)
    by_unit: dict[str, list[MandateSeed]] = {unit.name: [] for unit in UNITS}
    for profile, unit in zip(profiles, units, strict=True):
        stratum = CITY_STRATA[profile.composition]
        person, archetype = _person(gen, profile, unit, stratum)
        groups = territorial_groups(unit)
        seat = len(by_unit[unit.name])
        group_names = [groups[seat % len(groups)]]
        if archetype.sector and rng.random() < 0.45:
            group_names.append(sectoral_group(archetype.sector))
        by_unit[unit.name].append(
            MandateSeed(
                person=person,
                congress=CITY_CONGRESS,
                unit=unit.name,
                card_number="",
                composition=profile.composition,
                is_grassroots=profile.is_grassroots,
                start_date=start,
                fields=_fields(rng, archetype),
                groups=group_names,
            )
        )
    # Card numbers follow the units' order, as printed rolls do: 16001 is 鼓楼's first.
    mandates = [mandate for unit in UNITS for mandate in by_unit[unit.name]]
    for number, mandate in enumerate(mandates, start=1):
        mandate.card_number = f"{CITY_TERM}{number:03d}"
    return mandates


@dataclass(frozen=True)
class Step:
    """One qualification event of a story (see ``CITY_STORIES``)."""

    type: str
    on: date
    reason: str
    document_reference: str = ""
    suspension_cause: str = ""
    cause_ends_on: date | None = None  # Art. 61: the suspension ends by itself on this day


@dataclass(frozen=True)
class Story:
    """What happened to one city deputy, drawn from ``unit`` and ``composition``; a successor is
    by-elected on ``by_election_on`` when the seat was filled again."""

    unit: str
    composition: str
    steps: tuple[Step, ...]
    by_election_on: date | None = None


# Three suspensions (one still in force, one ended by itself), four terminations, two by-elections.
CITY_STORIES = (
    Story(
        "台江区",
        Composition.OFFICIAL,
        (
            Step(
                MandateEventType.RESIGNATION,
                date(2023, 4, 27),
                "因工作需要，本人书面提出辞去福州市第十六届人民代表大会代表职务，台江区人大常委会决定接受其辞职。",
                "台江区人大常委会关于接受辞去市人大代表职务的决定（2023年4月27日）",
            ),
        ),
        by_election_on=date(2023, 9, 22),
    ),
    Story(
        "晋安区",
        Composition.PROFESSIONAL,
        (
            Step(
                MandateEventType.TRANSFER_OUT,
                date(2024, 2, 28),
                "因工作调动，已调离本行政区域（《代表法》第六十二条第一项）。",
                "晋安区人大常委会代表资格审查委员会报告（2024年2月）",
            ),
        ),
        by_election_on=date(2024, 6, 27),
    ),
    Story(
        "连江县",
        Composition.ENTERPRISE,
        (Step(MandateEventType.DEATH, date(2024, 11, 10), "因病医治无效逝世。"),),
    ),
    Story(
        "福清市",
        Composition.ENTERPRISE,
        (
            Step(
                MandateEventType.SUSPENSION,
                date(2024, 3, 12),
                "因涉嫌刑事犯罪被公安机关依法刑事拘留。",
                "福清市人大常委会许可（2024年3月）",
                SuspensionCause.CUSTODY,
            ),
            Step(
                MandateEventType.RECALL,
                date(2024, 9, 20),
                "福清市人大常委会会议表决通过，罢免其福州市第十六届人民代表大会代表职务。",
                "福清市人大常委会关于罢免市人大代表的决议（2024年9月20日）",
            ),
        ),
    ),
    Story(
        "长乐区",
        Composition.WORKER,
        (
            Step(
                MandateEventType.SUSPENSION,
                date(2023, 8, 10),
                "因犯危险驾驶罪被判处拘役二个月，没有附加剥夺政治权利，正在服刑。",
                "长乐区人民法院刑事判决书",
                SuspensionCause.SENTENCE,
                cause_ends_on=date(2023, 10, 9),
            ),
        ),
    ),
    Story(
        "闽侯县",
        Composition.OTHER,
        (
            Step(
                MandateEventType.SUSPENSION,
                date(2025, 9, 16),
                "因涉嫌刑事犯罪被依法逮捕，正在受审查起诉。",
                "闽侯县人大常委会许可（2025年9月）",
                SuspensionCause.CUSTODY,
            ),
        ),
    ),
)


def _story_events(mandate: MandateSeed, story: Story, announcements: Counter[str]) -> list[EventSeed]:
    """The story's events on ``mandate``; each termination gets the next announcement number."""
    events = []
    for step in story.steps:
        number = ""
        if step.type in TERMINATING_EVENTS:
            announcements[mandate.congress] += 1  # Art. 63: terminations are announced
            number = f"〔{step.on.year}〕第{announcements[mandate.congress]}号"
        events.append(
            EventSeed(
                card_number=mandate.card_number,
                congress=mandate.congress,
                type=step.type,
                on=step.on,
                reason=step.reason,
                document_reference=step.document_reference,
                suspension_cause=step.suspension_cause,
                cause_ends_on=step.cause_ends_on,
                announcement_number=number,
            )
        )
    return events


# A provincial deputy moves away and the city standing committee by-elects a successor.
PROVINCIAL_STORY = Story(
    PROVINCIAL_UNIT[0],
    "",
    (
        Step(
            MandateEventType.TRANSFER_OUT,
            date(2024, 8, 30),
            "因工作调动，已调离福州市（《代表法》第六十二条第一项）。",
            "福州市人大常委会代表资格审查委员会报告（2024年8月）",
        ),
    ),
    by_election_on=date(2024, 12, 26),
)


def _successor(gen: _Generator, predecessor: MandateSeed, card_number: str, story: Story) -> MandateSeed:
    """The deputy by-elected to ``predecessor``'s seat: same unit, category and groups."""
    rng = gen.rng
    if predecessor.congress == CITY_CONGRESS:
        unit = next(unit for unit in UNITS if unit.name == predecessor.unit)
        strata, body = CITY_STRATA, f"{unit.congress_prefix}人大常委会"
        mandate_of = "福州市第十六届人民代表大会代表"
    else:
        unit = rng.choice(UNITS)
        strata, body, mandate_of = PROVINCIAL_STRATA, "福州市人大常委会", "福建省第十四届人民代表大会代表"
    profile = _Profile(
        predecessor.composition, predecessor.is_grassroots, rng.choice(list(Gender)), Party.CPC
    )
    person, archetype = _person(gen, profile, unit, strata[predecessor.composition])
    return MandateSeed(
        person=person,
        congress=predecessor.congress,
        unit=predecessor.unit,
        card_number=card_number,
        composition=predecessor.composition,
        is_grassroots=predecessor.is_grassroots,
        start_date=story.by_election_on,
        fields=_fields(rng, archetype),
        groups=list(predecessor.groups),
        by_election=True,
        reason=f"{body}会议补选为{mandate_of}。",
    )


def build_plan(seed: int = SEED) -> DemoPlan:
    """Everything ``seed_demo`` writes, decided in memory from ``seed``: same seed, same data."""
    rng = random.Random(seed)
    gen = _Generator(rng)
    plan = DemoPlan()

    city = _city_mandates(rng, gen, CITY_SESSIONS[0][0])
    # The demo deputy: a 鼓楼区 professional who is also a provincial deputy.
    demo = next(m for m in city if m.unit == DEMO_COUNTY_UNIT and m.composition == Composition.PROFESSIONAL)
    plan.demo_deputy_id_number = demo.person.id_number

    # The stories' deputies are drawn first, so that nobody with a story is also provincial.
    used = {id(demo)}
    stories = []
    for story in CITY_STORIES:
        candidates = [m for m in city if m.unit == story.unit and m.composition == story.composition]
        mandate = rng.choice([m for m in candidates if id(m) not in used])
        used.add(id(mandate))
        stories.append((mandate, story))

    # Provincial deputies: 30 city deputies with a second mandate, 70 others.
    senior = (Composition.OFFICIAL, Composition.ENTERPRISE, Composition.PROFESSIONAL)
    eligible = [m for m in city if id(m) not in used and m.composition in senior]
    doubles = [demo, *rng.sample(eligible, PROVINCIAL_ALSO_CITY - 1)]
    registry = [(m.person, m.composition, m.is_grassroots, list(m.fields)) for m in doubles]
    for profile in _profiles(rng, PROVINCIAL_SEATS - PROVINCIAL_ALSO_CITY, PROVINCIAL_STRATA):
        person, archetype = _person(gen, profile, rng.choice(UNITS), PROVINCIAL_STRATA[profile.composition])
        registry.append((person, profile.composition, profile.is_grassroots, _fields(rng, archetype)))
    rng.shuffle(registry)
    provincial = [
        MandateSeed(
            person=person,
            congress=PROVINCIAL_CONGRESS,
            unit=PROVINCIAL_UNIT[0],
            card_number=f"{PROVINCIAL_TERM}{card:03d}",
            composition=composition,
            is_grassroots=is_grassroots,
            start_date=PROVINCIAL_SESSIONS[0][0],
            fields=fields,
            groups=[provincial_groups()[card % PROVINCIAL_GROUPS]],
        )
        for card, (person, composition, is_grassroots, fields) in enumerate(registry, start=1)
    ]
    plan.mandates = city + provincial

    # Qualification events; by-elections take the next card numbers.
    doubled = {id(m.person) for m in doubles}
    stories.append((rng.choice([m for m in provincial if id(m.person) not in doubled]), PROVINCIAL_STORY))
    announcements: Counter[str] = Counter()
    next_card = {CITY_CONGRESS: len(city) + 1, PROVINCIAL_CONGRESS: len(provincial) + 1}
    for mandate, story in stories:
        plan.events.extend(_story_events(mandate, story, announcements))
        if story.by_election_on:
            term = CITY_TERM if mandate.congress == CITY_CONGRESS else PROVINCIAL_TERM
            card_number = f"{term}{next_card[mandate.congress]:03d}"
            next_card[mandate.congress] += 1
            plan.mandates.append(_successor(gen, mandate, card_number, story))
    plan.events.sort(key=lambda event: event.on)

    for account in DEMO_ACCOUNTS:
        if account.role == Role.DEPUTY:
            plan.account_names[account.username] = demo.person.name
        else:
            name = gen.name(rng.choice(list(Gender)))
            plan.account_names[account.username] = f"{name}（{account.title}）" if account.title else name
    return plan


# ---------------------------------------------------------------------------------------------
# Writing it.
# ---------------------------------------------------------------------------------------------


@dataclass
class SeedReport:
    """What ``seed_demo`` created, by kind (Chinese labels), and why it skipped what it skipped."""

    created: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.created.values())


def _get_or_create(report: SeedReport, label: str, model, defaults: dict | None = None, **lookup):
    obj, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
    if created:
        report.created[label] += 1
    return obj, created


@dataclass
class _Structure:
    city: Congress
    provincial: Congress
    city_term: Term
    provincial_term: Term
    units: dict[tuple[str, str], ElectoralUnit]  # (congress name, unit name) → unit
    fields: dict[str, ExpertiseField]
    groups: dict[tuple[str, str], DeputyGroup]  # (congress name, group name) → group
    committees: dict[str, Committee]
    handling_units: dict[str, HandlingUnit]


def _seed_congress(report, name, short_name, level, region, order, term_number, sessions, parent=None):
    """A congress and, when ``term_number`` is given, that term and its sessions."""
    congress, _ = _get_or_create(
        report,
        "人大",
        Congress,
        name=name,
        defaults={
            "short_name": short_name,
            "level": level,
            "region": region,
            "order": order,
            "parent": parent,
        },
    )
    if term_number is None:
        return congress, None
    term, _ = _get_or_create(
        report, "届", Term, congress=congress, number=term_number, defaults={"start_date": sessions[0][0]}
    )
    for number, (start, end) in enumerate(sessions, start=1):
        _get_or_create(
            report, "会议", Session, term=term, number=number, defaults={"start_date": start, "end_date": end}
        )
    return congress, term


def _seed_structure(report: SeedReport) -> _Structure:
    """Congresses, terms, sessions, units, fields, groups, committees, handling units: by name."""
    city, city_term = _seed_congress(
        report, CITY_CONGRESS, "市人大", CongressLevel.CITY, "福州市", 1, CITY_TERM, CITY_SESSIONS
    )
    provincial, provincial_term = _seed_congress(
        report,
        PROVINCIAL_CONGRESS,
        "省人大",
        CongressLevel.PROVINCIAL,
        "福建省",
        2,
        PROVINCIAL_TERM,
        PROVINCIAL_SESSIONS,
    )
    for order, unit in enumerate(UNITS, start=10):
        region = unit.congress_prefix
        _seed_congress(
            report, unit.county_congress, region + "人大", CongressLevel.COUNTY, region, order, None, (), city
        )

    units = {}
    for order, unit in enumerate(UNITS, start=1):
        units[(CITY_CONGRESS, unit.name)], _ = _get_or_create(
            report,
            "选举单位",
            ElectoralUnit,
            congress=city,
            name=unit.name,
            defaults={"delegation_name": unit.delegation, "code": unit.code, "order": order},
        )
    name, delegation, code = PROVINCIAL_UNIT
    units[(PROVINCIAL_CONGRESS, name)], _ = _get_or_create(
        report,
        "选举单位",
        ElectoralUnit,
        congress=provincial,
        name=name,
        defaults={"delegation_name": delegation, "code": code, "order": 1},
    )

    fields = {}
    for order, name in enumerate(FIELDS, start=1):
        fields[name], _ = _get_or_create(report, "领域", ExpertiseField, name=name, defaults={"order": order})

    groups = {}
    for unit in UNITS:
        for name in territorial_groups(unit):
            groups[(CITY_CONGRESS, name)], _ = _get_or_create(
                report,
                "代表小组",
                DeputyGroup,
                congress=city,
                name=name,
                defaults={
                    "kind": DeputyGroupKind.TERRITORIAL,
                    "electoral_unit": units[(CITY_CONGRESS, unit.name)],
                },
            )
    for sector in SECTORS:
        name = sectoral_group(sector)
        groups[(CITY_CONGRESS, name)], _ = _get_or_create(
            report,
            "代表小组",
            DeputyGroup,
            congress=city,
            name=name,
            defaults={"kind": DeputyGroupKind.SECTORAL},
        )
    for name in provincial_groups():
        groups[(PROVINCIAL_CONGRESS, name)], _ = _get_or_create(
            report,
            "代表小组",
            DeputyGroup,
            congress=provincial,
            name=name,
            defaults={
                "kind": DeputyGroupKind.TERRITORIAL,
                "electoral_unit": units[(PROVINCIAL_CONGRESS, PROVINCIAL_UNIT[0])],
            },
        )

    committees = {}
    for order, (name, kind, counterpart) in enumerate(COMMITTEES, start=1):
        committee, created = _get_or_create(
            report, "委员会", Committee, congress=city, name=name, defaults={"kind": kind, "order": order}
        )
        if created:
            committee.fields.set([fields[field_name] for field_name in counterpart])
        committees[name] = committee

    handling_units = {}
    government, _ = _get_or_create(
        report,
        "承办单位",
        HandlingUnit,
        name=CITY_GOVERNMENT,
        defaults={"short_name": "市政府", "kind": HandlingUnitKind.GOVERNMENT_DEPARTMENT, "order": 1},
    )
    handling_units[CITY_GOVERNMENT] = government
    for order, (name, short_name) in enumerate(DEPARTMENTS, start=2):
        handling_units["福州市" + name], _ = _get_or_create(
            report,
            "承办单位",
            HandlingUnit,
            name="福州市" + name,
            defaults={
                "short_name": short_name,
                "kind": HandlingUnitKind.GOVERNMENT_DEPARTMENT,
                "parent": government,
                "order": order,
            },
        )
    for order, (name, short_name, kind) in enumerate(OTHER_HANDLING_UNITS, start=len(DEPARTMENTS) + 2):
        handling_units[name], _ = _get_or_create(
            report,
            "承办单位",
            HandlingUnit,
            name=name,
            defaults={"short_name": short_name, "kind": kind, "order": order},
        )
    return _Structure(
        city, provincial, city_term, provincial_term, units, fields, groups, committees, handling_units
    )


def _seed_accounts(report: SeedReport, structure: _Structure, plan: DemoPlan) -> dict[str, User]:
    """The demo accounts that are missing; existing ones (and their passwords) are left alone."""
    scopes = {
        Role.HANDLING_UNIT_STAFF: {"handling_unit": structure.handling_units[DEMO_UNIT_HANDLING]},
        Role.COUNTY_STAFF: {"electoral_unit": structure.units[(CITY_CONGRESS, DEMO_COUNTY_UNIT)]},
        Role.COMMITTEE_STAFF: {"committee": structure.committees[DEMO_COMMITTEE]},
    }
    users = {}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            is_admin = account.role == Role.SYSTEM_ADMIN
            user = User(
                username=account.username,
                role=account.role,
                display_name=plan.account_names[account.username],
                email=f"{account.username}@example.com",
                is_staff=is_admin,  # Django's admin site
                is_superuser=is_admin,
                **scopes.get(account.role, {}),
            )
            user.set_password(settings.LVZHI_DEMO_PASSWORD)
            user.save()
            report.created["演示账户"] += 1
        users[account.username] = user
    return users


def _seed_deputies(report: SeedReport, structure: _Structure, plan: DemoPlan, actor: User) -> None:
    """Seat the deputies, then tell their stories in date order: events, by-elections."""
    persons_before, events_before = Person.objects.count(), MandateEvent.objects.count()
    context = _SeatingContext(structure)
    _seat_elected([seed for seed in plan.mandates if not seed.by_election], context, actor)

    # By-elections go through the service, after the events that emptied their seats.
    timeline: list[tuple[date, Callable[[], object]]] = [
        (seed.start_date, lambda s=seed: context.seat(s, actor)) for seed in plan.mandates if seed.by_election
    ]
    timeline += [(event.on, lambda e=event: context.record(e, actor)) for event in plan.events]
    for _, step in sorted(timeline, key=lambda item: item[0]):
        step()

    report.created["人员"] += Person.objects.count() - persons_before
    report.created["代表资格"] += len(context.mandates)
    report.created["资格变动"] += MandateEvent.objects.count() - events_before

    demo = Person.objects.get(id_number=plan.demo_deputy_id_number)
    user = User.objects.filter(username="demo-deputy", person__isnull=True).first()
    if user is not None and demo.user_id is None:
        demo.user = user
        demo._history_user = actor
        demo.save(update_fields=["user", "updated_at"])


class _SeatingContext:
    """The structure objects a seed names, and the mandates seated so far by (congress, card)."""

    def __init__(self, structure: _Structure):
        self.structure = structure
        self.congresses = {CITY_CONGRESS: structure.city, PROVINCIAL_CONGRESS: structure.provincial}
        self.terms = {CITY_CONGRESS: structure.city_term, PROVINCIAL_CONGRESS: structure.provincial_term}
        self.mandates: dict[tuple[str, str], Mandate] = {}

    def data(self, seed: MandateSeed) -> services.DeputyData:
        return services.DeputyData(
            person=seed.person.as_dict(),
            congress=self.congresses[seed.congress],
            term=self.terms[seed.congress],
            card_number=seed.card_number,
            electoral_unit=self.structure.units[(seed.congress, seed.unit)],
            composition=seed.composition,
            is_grassroots=seed.is_grassroots,
            start_date=seed.start_date,
            fields=[self.structure.fields[name] for name in seed.fields],
            groups=[self.structure.groups[(seed.congress, name)] for name in seed.groups],
            by_election=seed.by_election,
            reason=seed.reason,
        )

    def seat(self, seed: MandateSeed, actor: User) -> None:
        self.mandates[(seed.congress, seed.card_number)] = services.deputy_create(
            data=self.data(seed), actor=actor
        )

    def record(self, event: EventSeed, actor: User) -> None:
        services.mandate_event_record(
            mandate_id=self.mandates[(event.congress, event.card_number)].pk,
            type=event.type,
            on=event.on,
            actor=actor,
            reason=event.reason,
            document_reference=event.document_reference,
            suspension_cause=event.suspension_cause,
            cause_ends_on=event.cause_ends_on,
            announcement_number=event.announcement_number,
            today=DEMO_TODAY,
        )


def _seat_elected(seeds: list[MandateSeed], context: _SeatingContext, actor: User) -> None:
    """Seat the deputies elected at the start of their terms, in bulk.

    ``deputy_create`` one by one takes ~25 ms a deputy (most of it simple_history answering every
    m2m change with another history row); in bulk the ~660 take about a second. The rows are the
    ones ``deputy_create`` writes (person with pinyin, active mandate, election event), and each
    person and mandate gets one "created" history row, the mandate's with its fields and groups.
    """
    persons: dict[int, Person] = {}
    for seed in seeds:
        if id(seed.person) in persons:
            continue  # the same person's second mandate
        values = seed.person.as_dict()
        person = Person(**{key: value for key, value in values.items() if key != "name"})
        person.id_number = normalize_code(person.id_number)
        services.person_apply_name(person, values["name"])
        persons[id(seed.person)] = person
    bulk_create_with_history(list(persons.values()), Person, default_user=actor)

    mandates, links = [], {"fields": [], "groups": []}
    for seed in seeds:
        data = context.data(seed)
        mandate = Mandate(
            person=persons[id(seed.person)],
            congress=data.congress,
            term=data.term,
            card_number=normalize_code(seed.card_number),
            electoral_unit=data.electoral_unit,
            composition=seed.composition,
            is_grassroots=seed.is_grassroots,
            start_date=seed.start_date,
            status=MandateStatus.ACTIVE,
            status_since=seed.start_date,
        )
        mandates.append(mandate)
        links["fields"] += [(mandate, field) for field in data.fields]
        links["groups"] += [(mandate, group) for group in data.groups]
        context.mandates[(seed.congress, seed.card_number)] = mandate
    Mandate.objects.bulk_create(mandates)

    through_rows = {}
    for name, pairs in links.items():
        through = getattr(Mandate, name).through
        target = getattr(Mandate, name).field.m2m_reverse_field_name()
        through_rows[name] = through.objects.bulk_create(
            [through(mandate=mandate, **{target: linked}) for mandate, linked in pairs]
        )
    history = Mandate.history.bulk_history_create(mandates, default_user=actor)
    _bulk_m2m_history(history, through_rows)
    MandateEvent.objects.bulk_create(
        MandateEvent(mandate=mandate, type=MandateEventType.ELECTION, date=mandate.start_date, actor=actor)
        for mandate in mandates
    )


def _bulk_m2m_history(history: list, links: dict[str, list]) -> None:
    """The m2m snapshot simple_history keeps with each historical mandate (fields, groups)."""
    record_of = {record.id: record for record in history}
    for name, rows in links.items():
        m2m_history_model = HistoricalRecords.m2m_models[Mandate._meta.get_field(name)]
        through_fields = [f.name for f in getattr(Mandate, name).through._meta.fields]
        m2m_history_model.objects.bulk_create(
            m2m_history_model(
                history=record_of[row.mandate_id], **{f: getattr(row, f) for f in through_fields}
            )
            for row in rows
        )


@transaction.atomic
def seed_demo() -> SeedReport:
    """Load the demo data; idempotent: what exists is kept as it is and nothing is duplicated.

    Structure and accounts are matched by name; the deputies are seated only while neither demo
    term has a mandate. Callers must check ``settings.LVZHI_ALLOW_DEMO`` (the command does).
    """
    report = SeedReport()
    plan = build_plan()
    structure = _seed_structure(report)
    users = _seed_accounts(report, structure, plan)
    if Mandate.objects.filter(term__in=[structure.city_term, structure.provincial_term]).exists():
        if report.changed:  # only part of the demo data was there: say what was left alone
            report.notes.append("代表名册已有数据，未载入演示代表。")
    else:
        _seed_deputies(report, structure, plan, actor=users["demo-staff"])
    return report


# ---------------------------------------------------------------------------------------------
# Listing the accounts (``demo_accounts``).
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccountRow:
    username: str
    display_name: str
    role: str
    scope: str


def demo_account_rows() -> list[DemoAccountRow]:
    """The demo accounts that exist, in role order, with what each may see."""
    users = {
        user.username: user
        for user in User.objects.filter(username__in=DEMO_USERNAMES).select_related(
            "electoral_unit__congress", "handling_unit", "committee"
        )
    }
    rows = []
    for account in DEMO_ACCOUNTS:
        user = users.get(account.username)
        if user is None:
            continue
        rows.append(DemoAccountRow(user.username, user.display_name, Role(user.role).label, _scope(user)))
    return rows


def _scope(user: User) -> str:
    if user.role == Role.SYSTEM_ADMIN:
        return "全部数据，含后台管理（/admin/）"
    if user.role in (Role.DEPUTY_AFFAIRS_STAFF, Role.LEADER):
        return "全部代表"
    if user.role == Role.HANDLING_UNIT_STAFF and user.handling_unit:
        return f"{user.handling_unit.name}（不含代表联系方式）"
    if user.role == Role.COUNTY_STAFF and user.electoral_unit:
        congress = user.electoral_unit.congress
        return f"{congress.short_name or congress.name}{user.electoral_unit.name}选出的代表"
    if user.role == Role.COMMITTEE_STAFF and user.committee:
        return f"{user.committee.name}（不含代表联系方式）"
    if user.role == Role.DEPUTY:
        person = Person.objects.filter(user=user).first()
        if person is None:
            return "本人（尚未关联代表）"
        congresses = "、".join(
            mandate.congress.short_name or mandate.congress.name
            for mandate in person.mandates.select_related("congress").order_by("congress__order")
        )
        return f"本人：{person.name}（{congresses}代表）"
    return ""
