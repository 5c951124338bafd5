"""The demo installation's fixed facts and its structure: the seed and the demo's day; the
congresses with their terms and sessions, electoral units, fields of work, deputy groups,
committees and handling units, all under the real names of Fuzhou's bodies (public institutions).

``seed_structure`` writes them, matched by name: what exists is kept as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lvzhi.core.text import chinese_number
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

from .report import SeedReport, get_or_create

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


# ---------------------------------------------------------------------------------------------
# Writing it
# ---------------------------------------------------------------------------------------------


@dataclass
class Structure:
    """The structure ``seed_structure`` found or wrote, by the names the plan uses."""

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
    congress, _ = get_or_create(
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
    term, _ = get_or_create(
        report, "届", Term, congress=congress, number=term_number, defaults={"start_date": sessions[0][0]}
    )
    for number, (start, end) in enumerate(sessions, start=1):
        get_or_create(
            report, "会议", Session, term=term, number=number, defaults={"start_date": start, "end_date": end}
        )
    return congress, term


def seed_structure(report: SeedReport) -> Structure:
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
        units[(CITY_CONGRESS, unit.name)], _ = get_or_create(
            report,
            "选举单位",
            ElectoralUnit,
            congress=city,
            name=unit.name,
            defaults={"delegation_name": unit.delegation, "code": unit.code, "order": order},
        )
    name, delegation, code = PROVINCIAL_UNIT
    units[(PROVINCIAL_CONGRESS, name)], _ = get_or_create(
        report,
        "选举单位",
        ElectoralUnit,
        congress=provincial,
        name=name,
        defaults={"delegation_name": delegation, "code": code, "order": 1},
    )

    fields = {}
    for order, name in enumerate(FIELDS, start=1):
        fields[name], _ = get_or_create(report, "领域", ExpertiseField, name=name, defaults={"order": order})

    groups = {}
    for unit in UNITS:
        for name in territorial_groups(unit):
            groups[(CITY_CONGRESS, name)], _ = get_or_create(
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
        groups[(CITY_CONGRESS, name)], _ = get_or_create(
            report,
            "代表小组",
            DeputyGroup,
            congress=city,
            name=name,
            defaults={"kind": DeputyGroupKind.SECTORAL},
        )
    for name in provincial_groups():
        groups[(PROVINCIAL_CONGRESS, name)], _ = get_or_create(
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
        committee, created = get_or_create(
            report, "委员会", Committee, congress=city, name=name, defaults={"kind": kind, "order": order}
        )
        if created:
            committee.fields.set([fields[field_name] for field_name in counterpart])
        committees[name] = committee

    handling_units = {}
    government, _ = get_or_create(
        report,
        "承办单位",
        HandlingUnit,
        name=CITY_GOVERNMENT,
        defaults={"short_name": "市政府", "kind": HandlingUnitKind.GOVERNMENT_DEPARTMENT, "order": 1},
    )
    handling_units[CITY_GOVERNMENT] = government
    for order, (name, short_name) in enumerate(DEPARTMENTS, start=2):
        handling_units["福州市" + name], _ = get_or_create(
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
        handling_units[name], _ = get_or_create(
            report,
            "承办单位",
            HandlingUnit,
            name=name,
            defaults={"short_name": short_name, "kind": kind, "order": order},
        )
    return Structure(
        city, provincial, city_term, provincial_term, units, fields, groups, committees, handling_units
    )
