"""The demo plan: every deputy, mandate and qualification event ``seed_demo`` writes, decided in
memory from the seed (``build_plan``: pure, deterministic; same seed, same data).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from lvzhi.accounts.choices import Role
from lvzhi.deputies.choices import Composition, Gender, MandateEventType, Party, SuspensionCause
from lvzhi.deputies.workflow import TERMINATING_EVENTS

from .accounts import DEMO_ACCOUNTS, DEMO_COUNTY_UNIT
from .people import (
    CITY_STRATA,
    PROVINCIAL_STRATA,
    Generator,
    PersonSeed,
    Profile,
    draw_fields,
    draw_person,
    draw_profiles,
)
from .structure import (
    CITY_CONGRESS,
    CITY_SESSIONS,
    CITY_TERM,
    PROVINCIAL_ALSO_CITY,
    PROVINCIAL_CONGRESS,
    PROVINCIAL_GROUPS,
    PROVINCIAL_SEATS,
    PROVINCIAL_SESSIONS,
    PROVINCIAL_TERM,
    PROVINCIAL_UNIT,
    SEED,
    UNITS,
    UnitSpec,
    provincial_groups,
    sectoral_group,
    territorial_groups,
)


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


def _seat_units(rng: random.Random, profiles: list[Profile]) -> list[UnitSpec]:
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


def _city_mandates(rng: random.Random, gen: Generator, start: date) -> list[MandateSeed]:
    total = sum(unit.seats for unit in UNITS)
    profiles = draw_profiles(rng, total, CITY_STRATA)
    units = _seat_units(rng, profiles)
    by_unit: dict[str, list[MandateSeed]] = {unit.name: [] for unit in UNITS}
    for profile, unit in zip(profiles, units, strict=True):
        stratum = CITY_STRATA[profile.composition]
        person, archetype = draw_person(gen, profile, unit, stratum)
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
                fields=draw_fields(rng, archetype),
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
        (
            Step(
                MandateEventType.DEATH,
                date(2024, 11, 10),
                "因病医治无效逝世。",
                "连江县人大常委会关于代表逝世的报告（2024年11月）",
            ),
        ),
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


def _successor(gen: Generator, predecessor: MandateSeed, card_number: str, story: Story) -> MandateSeed:
    """The deputy by-elected to ``predecessor``'s seat: same unit, category and groups."""
    rng = gen.rng
    if predecessor.congress == CITY_CONGRESS:
        unit = next(unit for unit in UNITS if unit.name == predecessor.unit)
        strata, body = CITY_STRATA, f"{unit.congress_prefix}人大常委会"
        mandate_of = "福州市第十六届人民代表大会代表"
    else:
        unit = rng.choice(UNITS)
        strata, body, mandate_of = PROVINCIAL_STRATA, "福州市人大常委会", "福建省第十四届人民代表大会代表"
    profile = Profile(predecessor.composition, predecessor.is_grassroots, rng.choice(list(Gender)), Party.CPC)
    person, archetype = draw_person(gen, profile, unit, strata[predecessor.composition])
    return MandateSeed(
        person=person,
        congress=predecessor.congress,
        unit=predecessor.unit,
        card_number=card_number,
        composition=predecessor.composition,
        is_grassroots=predecessor.is_grassroots,
        start_date=story.by_election_on,
        fields=draw_fields(rng, archetype),
        groups=list(predecessor.groups),
        by_election=True,
        reason=f"{body}会议补选为{mandate_of}。",
    )


def build_plan(seed: int = SEED) -> DemoPlan:
    """Everything ``seed_demo`` writes, decided in memory from ``seed``: same seed, same data."""
    rng = random.Random(seed)
    gen = Generator(rng)
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
    for profile in draw_profiles(rng, PROVINCIAL_SEATS - PROVINCIAL_ALSO_CITY, PROVINCIAL_STRATA):
        person, archetype = draw_person(
            gen, profile, rng.choice(UNITS), PROVINCIAL_STRATA[profile.composition]
        )
        registry.append((person, profile.composition, profile.is_grassroots, draw_fields(rng, archetype)))
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
