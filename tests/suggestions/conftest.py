"""Fixtures of the suggestion tests: a Fuzhou-like congress in its fourth session (2025), deputies
with accounts, handling units with their staff, and a fixed clock."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from lvzhi.accounts.choices import Role
from lvzhi.core.calendar import calendar_cache_clear
from lvzhi.suggestions.models import SuggestionRules

from ..factories import (
    ExpertiseFieldFactory,
    HandlingUnitFactory,
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
    """Every test runs on Wednesday 2025-03-05 unless it travels elsewhere: dates are exact."""
    with time_machine.travel(at(2025, 3, 5), tick=True):
        yield


@pytest.fixture(autouse=True)
def _fresh_calendar():
    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture
def rules(congress):
    return SuggestionRules.objects.create(congress=congress)


@pytest.fixture
def session(term):
    """十六届四次, opened 2025-01-06."""
    return SessionFactory(term=term, number=4, start_date=date(2025, 1, 6), end_date=date(2025, 1, 9))


@pytest.fixture
def urban_field(db):
    return ExpertiseFieldFactory(name="城建环境")


@pytest.fixture
def lead_unit(handling_unit):
    """市住房和城乡建设局, whose staff is ``unit_user``."""
    return handling_unit


@pytest.fixture
def co_unit(db):
    return HandlingUnitFactory(name="市交通运输局")


@pytest.fixture
def co_unit_user(co_unit):
    return UserFactory(username="t-co-unit", role=Role.HANDLING_UNIT_STAFF, handling_unit=co_unit)


@pytest.fixture
def other_unit(db):
    return HandlingUnitFactory(name="市教育局")


@pytest.fixture
def other_unit_user(other_unit):
    return UserFactory(username="t-other-unit", role=Role.HANDLING_UNIT_STAFF, handling_unit=other_unit)


@pytest.fixture
def government(db):
    return HandlingUnitFactory(name="市人民政府")


@pytest.fixture
def sub_department(government):
    return HandlingUnitFactory(name="市城市管理委员会", parent=government)


@pytest.fixture
def government_user(government):
    return UserFactory(username="t-government", role=Role.HANDLING_UNIT_STAFF, handling_unit=government)


@pytest.fixture
def sub_department_user(sub_department):
    return UserFactory(
        username="t-sub-department", role=Role.HANDLING_UNIT_STAFF, handling_unit=sub_department
    )


def deputy_with_account(term, unit, username: str, name: str):
    user = UserFactory(username=username, role=Role.DEPUTY)
    person = PersonFactory(user=user, name=name)
    return MandateFactory(person=person, congress=term.congress, term=term, electoral_unit=unit)


@pytest.fixture
def cosigner_one(term, gulou):
    return deputy_with_account(term, gulou, "t-cosigner-1", "陈联一")


@pytest.fixture
def cosigner_two(term, taijiang):
    return deputy_with_account(term, taijiang, "t-cosigner-2", "林联二")


@pytest.fixture
def other_deputy(term, taijiang):
    return deputy_with_account(term, taijiang, "t-other-deputy", "黄旁人")
