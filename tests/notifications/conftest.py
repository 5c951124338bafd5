import pytest

from lvzhi.accounts.choices import Role

from ..factories import HandlingUnitFactory, UserFactory


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "celery: a reminder end to end through a real Celery worker and beat on Redis, or through the "
        "embedded default's task thread and in-process scheduler",
    )


@pytest.fixture
def recipient(db):
    """A deputy with an e-mail address and a phone: reachable on every channel."""
    return UserFactory(
        username="t-recipient", role=Role.DEPUTY, email="wang@example.org", phone="13912345678"
    )


@pytest.fixture
def other_user(db):
    return UserFactory(username="t-other", role=Role.DEPUTY, email="li@example.org")


@pytest.fixture
def target(db):
    """Any model instance stands for the object a notification or reminder is about."""
    return HandlingUnitFactory(name="市住房和城乡建设局")
