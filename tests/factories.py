"""Factories for the whole suite. Names are generated, never real people's."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from lvzhi.accounts.choices import Role
from lvzhi.accounts.models import User
from lvzhi.core.text import pinyin_full, pinyin_initials
from lvzhi.deputies.choices import Composition, Gender, MandateEventType, MandateStatus
from lvzhi.deputies.models import Mandate, MandateEvent, Person
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

GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍"


class CongressFactory(DjangoModelFactory):
    class Meta:
        model = Congress
        django_get_or_create = ("name",)

    name = "福州市人民代表大会"
    short_name = "市人大"
    level = CongressLevel.CITY
    region = "福州市"


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("congress", "number")

    congress = factory.SubFactory(CongressFactory)
    number = 16
    start_date = date(2022, 1, 1)


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    term = factory.SubFactory(TermFactory)
    number = factory.Sequence(lambda n: n + 1)
    start_date = factory.LazyAttribute(lambda o: date(2021 + o.number, 1, 10))


class ElectoralUnitFactory(DjangoModelFactory):
    class Meta:
        model = ElectoralUnit
        django_get_or_create = ("congress", "name")

    congress = factory.SubFactory(CongressFactory)
    name = factory.Iterator(["鼓楼区", "台江区", "仓山区", "晋安区", "马尾区", "长乐区"])
    delegation_name = factory.LazyAttribute(lambda o: o.name[:2] + "团")
    order = factory.Sequence(int)


class ExpertiseFieldFactory(DjangoModelFactory):
    class Meta:
        model = ExpertiseField
        django_get_or_create = ("name",)

    name = factory.Iterator(["财政经济", "教育科技", "城建环境", "农业农村", "社会建设", "医疗卫生"])


class DeputyGroupFactory(DjangoModelFactory):
    class Meta:
        model = DeputyGroup
        django_get_or_create = ("congress", "name")

    congress = factory.SubFactory(CongressFactory)
    name = factory.Sequence(lambda n: f"第{n + 1}代表小组")
    kind = DeputyGroupKind.TERRITORIAL


class CommitteeFactory(DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("congress", "name")

    congress = factory.SubFactory(CongressFactory)
    name = factory.Sequence(lambda n: f"工作委员会{n + 1}")
    kind = CommitteeKind.WORKING


class HandlingUnitFactory(DjangoModelFactory):
    class Meta:
        model = HandlingUnit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"市测试局{n + 1}")
    kind = HandlingUnitKind.GOVERNMENT_DEPARTMENT


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyAttribute(lambda o: o.username)
    role = Role.DEPUTY_AFFAIRS_STAFF
    password = factory.django.Password("pw-test-123")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: "测" + GIVEN[n % len(GIVEN)] + GIVEN[(n // len(GIVEN)) % len(GIVEN)])
    name_pinyin = factory.LazyAttribute(lambda o: pinyin_full(o.name))
    name_initials = factory.LazyAttribute(lambda o: pinyin_initials(o.name))
    gender = Gender.FEMALE
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    email = factory.Sequence(lambda n: f"deputy{n}@example.org")
    address = "福州市鼓楼区测试路1号"
    id_number = factory.Sequence(lambda n: f"35010219800101{n:04d}")


class MandateFactory(DjangoModelFactory):
    """A seated deputy with its election event, as ``deputy_create`` would leave it."""

    class Meta:
        model = Mandate
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    congress = factory.SubFactory(CongressFactory)
    term = factory.SubFactory(TermFactory, congress=factory.SelfAttribute("..congress"))
    card_number = factory.Sequence(lambda n: f"16{n:04d}")
    electoral_unit = factory.SubFactory(ElectoralUnitFactory, congress=factory.SelfAttribute("..congress"))
    composition = Composition.PROFESSIONAL
    is_grassroots = False
    start_date = date(2022, 1, 6)
    status = MandateStatus.ACTIVE
    status_since = factory.SelfAttribute("start_date")

    @factory.post_generation
    def election(self, create, extracted, **kwargs):
        if create:
            MandateEvent.objects.create(mandate=self, type=MandateEventType.ELECTION, date=self.start_date)
