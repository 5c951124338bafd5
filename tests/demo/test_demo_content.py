"""The demo's content for trying the platform out: motions at every step, supervision on the
current year's suggestions by the committee of their field, seeded once for the module."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from lvzhi.demo.motions import seed_motions
from lvzhi.demo.report import SeedReport
from lvzhi.demo.structure import seed_structure
from lvzhi.deputies.choices import SignerStatus
from lvzhi.motions.choices import MotionStatus
from lvzhi.motions.models import Motion
from lvzhi.motions.selectors import motion_invitations_to_confirm
from lvzhi.suggestions.models import Suggestion
from lvzhi.supervision.models import SupervisionItem

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", suggestions=120, stdout=out, stderr=io.StringIO())
    # ``seed_demo`` calls it once its hook is in; calling it again changes nothing.
    seed_motions(SeedReport(), seed_structure(SeedReport()))
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        output = seed()
        yield output
        transaction.set_rollback(True)


def test_the_demo_holds_motions_at_every_step(seeded):
    statuses = set(Motion.objects.values_list("status", flat=True))
    assert statuses >= {
        MotionStatus.DRAFT,
        MotionStatus.SUBMITTED,
        MotionStatus.PLACED_ON_AGENDA,
        MotionStatus.REPORTED,
        MotionStatus.CLOSED,
        MotionStatus.CONVERTED,
    }


def test_demo_deputy_is_asked_to_endorse_and_leads_a_motion_of_ten_deputies(seeded, django_user_model):
    deputy = django_user_model.objects.get(username="demo-deputy")
    assert motion_invitations_to_confirm(user=deputy).count() == 1
    ready = Motion.objects.get(lead_mandate__person__user=deputy, status=MotionStatus.DRAFT)
    confirmed = ready.signers.filter(status=SignerStatus.CONFIRMED).count()
    assert confirmed + 1 == 10  # Organic Law Art. 24: ten deputies including the lead


def test_the_converted_motion_is_a_suggestion_of_its_delegation(seeded):
    converted = Motion.objects.get(status=MotionStatus.CONVERTED)
    suggestion = Suggestion.objects.get(title=converted.subject)
    assert suggestion.congress_id == converted.congress_id
    assert suggestion.lead_mandate.electoral_unit_id == converted.delegation_id


def test_supervision_is_on_the_current_years_suggestions_by_the_committee_of_their_field(seeded):
    items = list(SupervisionItem.objects.select_related("suggestion", "committee"))
    assert items
    latest = (
        Suggestion.objects.filter(year__isnull=False).order_by("-year").values_list("year", flat=True).first()
    )
    for item in items:
        assert item.suggestion.year == latest
        assert item.committee is not None
        assert item.committee.fields.filter(pk=item.suggestion.field_id).exists()


def test_seeding_again_adds_no_motion(seeded):
    before = Motion.objects.count()
    seed()
    assert Motion.objects.count() == before
