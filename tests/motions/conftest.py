"""Fixtures of the motion tests: a Fuzhou-like city congress during its fourth session (January
2025), deputies with accounts, ten co-signers, two committees with their staff, a fixed clock."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from lvzhi.accounts.choices import Role
from lvzhi.suggestions.models import SuggestionRules

from ..factories import (
    CommitteeFactory,
    ExpertiseFieldFactory,
    MandateFactory,
    PersonFactory,
    SessionFactory,
    UserFactory,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _clock():
    """Every test runs on Wednesday 2025-01-08, during the session, unless it travels elsewhere."""
    with time_machine.travel(at(2025, 1, 8), tick=True):
        yield


def deputy_with_account(term, unit, username: str, name: str):
    user = UserFactory(username=username, role=Role.DEPUTY)
    person = PersonFactory(user=user, name=name)
    return MandateFactory(person=person, congress=term.congress, term=term, electoral_unit=unit)


@pytest.fixture
def rules(congress):
    """The congress's rules as stored: ten co-signers (the default)."""
    return SuggestionRules.objects.create(congress=congress)


@pytest.fixture
def session(term):
    """十六届四次, 2025-01-06 to 2025-01-10."""
    return SessionFactory(term=term, number=4, start_date=date(2025, 1, 6), end_date=date(2025, 1, 10))


@pytest.fixture
def urban_field(db):
    return ExpertiseFieldFactory(name="城建环境")


@pytest.fixture
def other_committee(congress):
    return CommitteeFactory(congress=congress, name="财政经济委员会")


@pytest.fixture
def other_committee_user(other_committee):
    return UserFactory(username="t-other-committee", role=Role.COMMITTEE_STAFF, committee=other_committee)


@pytest.fixture
def county_taijiang_user(taijiang):
    return UserFactory(username="t-county-taijiang", role=Role.COUNTY_STAFF, electoral_unit=taijiang)


@pytest.fixture
def cosigners(term, gulou, taijiang):
    """Ten deputies with accounts, five from each unit: the city minimum."""
    return [
        deputy_with_account(term, gulou if index < 5 else taijiang, f"t-cosigner-{index}", f"附议{index}号")
        for index in range(10)
    ]


@pytest.fixture
def other_deputy(term, taijiang):
    return deputy_with_account(term, taijiang, "t-other-deputy", "黄旁人")
