import os
import shutil

import pytest

from lvzhi.accounts.choices import Role

from .factories import (
    CommitteeFactory,
    CongressFactory,
    ElectoralUnitFactory,
    HandlingUnitFactory,
    MandateFactory,
    PersonFactory,
    TermFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """The working-day calendar caches years in memory; a test's rollback must not leave them."""
    from lvzhi.core.calendar import calendar_cache_clear

    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture
def congress(db):
    return CongressFactory()


@pytest.fixture
def term(congress):
    return TermFactory(congress=congress)


@pytest.fixture
def gulou(congress):
    return ElectoralUnitFactory(congress=congress, name="鼓楼区", order=1)


@pytest.fixture
def taijiang(congress):
    return ElectoralUnitFactory(congress=congress, name="台江区", order=2)


@pytest.fixture
def handling_unit(db):
    return HandlingUnitFactory(name="市住房和城乡建设局")


@pytest.fixture
def committee(congress):
    return CommitteeFactory(congress=congress, name="城建环资工委")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="t-admin", role=Role.SYSTEM_ADMIN)


@pytest.fixture
def staff(db):
    return UserFactory(username="t-staff", role=Role.DEPUTY_AFFAIRS_STAFF)


@pytest.fixture
def leader(db):
    return UserFactory(username="t-leader", role=Role.LEADER)


@pytest.fixture
def unit_user(handling_unit):
    return UserFactory(username="t-unit", role=Role.HANDLING_UNIT_STAFF, handling_unit=handling_unit)


@pytest.fixture
def county_user(gulou):
    return UserFactory(username="t-county", role=Role.COUNTY_STAFF, electoral_unit=gulou)


@pytest.fixture
def committee_user(committee):
    return UserFactory(username="t-committee", role=Role.COMMITTEE_STAFF, committee=committee)


@pytest.fixture
def deputy_user(db):
    return UserFactory(username="t-deputy", role=Role.DEPUTY)


@pytest.fixture
def own_mandate(deputy_user, term, gulou):
    """The mandate of ``deputy_user``, in 鼓楼区."""
    person = PersonFactory(user=deputy_user, name="王自己")
    return MandateFactory(person=person, congress=term.congress, term=term, electoral_unit=gulou)


@pytest.fixture
def gulou_mandate(term, gulou):
    return MandateFactory(congress=term.congress, term=term, electoral_unit=gulou, person__name="李鼓楼")


@pytest.fixture
def taijiang_mandate(term, taijiang):
    return MandateFactory(congress=term.congress, term=term, electoral_unit=taijiang, person__name="张台江")


def chromium_path() -> str | None:
    return shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or None


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need row locks and real concurrency: they run on PostgreSQL
    (always, in CI's second run) and are skipped on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (runs in the PostgreSQL pass)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
