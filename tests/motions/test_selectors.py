"""Who sees which motion (one scoping place), and reads whose queries do not grow with the data."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.accounts.choices import Role
from lvzhi.motions import workflow
from lvzhi.motions.choices import MotionStatus, SignerStatus
from lvzhi.motions.models import MotionSigner
from lvzhi.motions.selectors import motion_get, motion_list, motions_visible_to

from ..factories import (
    CommitteeFactory,
    CongressFactory,
    MandateFactory,
    SessionFactory,
    TermFactory,
    UserFactory,
)
from .conftest import deputy_with_account
from .factories import MotionFactory

S = MotionStatus


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.fixture
def world(session, own_mandate, gulou_mandate, taijiang_mandate, committee, other_committee, staff, taijiang):
    """One motion of each kind the scoping rules tell apart."""
    deputy = own_mandate.person.user
    return {
        # The deputy's own draft (entered by itself): private to it.
        "own_draft": MotionFactory(session=session, lead_mandate=own_mandate, draft=True, created_by=deputy),
        # A paper motion the office entered for 李鼓楼, still a draft.
        "office_draft": MotionFactory(
            session=session, lead_mandate=gulou_mandate, draft=True, created_by=staff
        ),
        # 张台江's submitted motion, awaiting the presidium.
        "taijiang_submitted": MotionFactory(session=session, lead_mandate=taijiang_mandate),
        # 李鼓楼's motion sent to the 城建环资工委.
        "gulou_placed": MotionFactory(
            session=session, lead_mandate=gulou_mandate, placed=True, committee=committee
        ),
        # 张台江's motion sent to the other committee.
        "taijiang_placed": MotionFactory(
            session=session, lead_mandate=taijiang_mandate, placed=True, committee=other_committee
        ),
        # The 台江 delegation's draft, entered by the office.
        "delegation_draft": MotionFactory(
            session=session, lead_mandate=None, delegation=taijiang, draft=True, created_by=staff
        ),
        # 张台江's withdrawn draft.
        "withdrawn": MotionFactory(
            session=session, lead_mandate=taijiang_mandate, status=S.WITHDRAWN, number=None, submitted_at=None
        ),
    }


def names(world, visible: set[int]) -> set[str]:
    return {name for name, motion in world.items() if motion.pk in visible}


ALL_BUT_DEPUTY_DRAFT = {
    "office_draft",
    "taijiang_submitted",
    "gulou_placed",
    "taijiang_placed",
    "delegation_draft",
    "withdrawn",
}


@pytest.mark.parametrize(
    ("user_fixture", "expected"),
    [
        ("staff", ALL_BUT_DEPUTY_DRAFT),
        ("admin_user", ALL_BUT_DEPUTY_DRAFT),
        ("leader", ALL_BUT_DEPUTY_DRAFT),
        # Its own draft, and every motion received in its congress (not drafts, not withdrawn).
        ("deputy_user", {"own_draft", "taijiang_submitted", "gulou_placed", "taijiang_placed"}),
        ("committee_user", {"gulou_placed"}),
        ("other_committee_user", {"taijiang_placed"}),
        # 鼓楼 county staff: leads elected in 鼓楼, never a deputy's private draft.
        ("county_user", {"office_draft", "gulou_placed"}),
        ("county_taijiang_user", {"taijiang_submitted", "taijiang_placed", "delegation_draft", "withdrawn"}),
        ("unit_user", set()),
    ],
)
def test_each_role_sees_exactly_its_motions(request, world, user_fixture, expected):
    user = request.getfixturevalue(user_fixture)

    assert names(world, ids(motions_visible_to(user))) == expected


def test_anonymous_sees_nothing(world):
    assert ids(motions_visible_to(AnonymousUser())) == set()
    assert ids(motions_visible_to(None)) == set()


def test_an_invited_cosigner_and_a_delegation_member_see_the_draft(world, session, term, taijiang):
    cosigner = deputy_with_account(term, taijiang, "t-cosigner-x", "附议人")
    MotionSigner.objects.create(motion=world["own_draft"], mandate=cosigner, status=SignerStatus.DECLINED)

    visible = names(world, ids(motions_visible_to(cosigner.person.user)))

    # Invited to the deputy's draft (whatever it answered); the 台江 delegation's draft as a member.
    assert visible == {
        "own_draft",
        "delegation_draft",
        "taijiang_submitted",
        "gulou_placed",
        "taijiang_placed",
    }


def test_a_deputy_of_another_congress_sees_none_of_them(world):
    province = CongressFactory(name="福建省人民代表大会", short_name="省人大", level="provincial")
    user = UserFactory(username="t-provincial", role=Role.DEPUTY)
    MandateFactory(person__user=user, congress=province, term=TermFactory(congress=province, number=14))

    assert ids(motions_visible_to(user)) == set()


def test_a_committee_from_another_congress_sees_nothing(world):
    province = CongressFactory(name="福建省人民代表大会", short_name="省人大", level="provincial")
    user = UserFactory(
        username="t-provincial-committee",
        role=Role.COMMITTEE_STAFF,
        committee=CommitteeFactory(congress=province, name="省城建委"),
    )

    assert ids(motions_visible_to(user)) == set()


def _motions(session, committee, count: int) -> None:
    term = session.term
    for index in range(count):
        lead = MandateFactory(congress=term.congress, term=term)
        motion = MotionFactory(session=session, lead_mandate=lead, placed=True, committee=committee)
        for signer_index in range(3):
            MotionSigner.objects.create(
                motion=motion,
                mandate=MandateFactory(congress=term.congress, term=term),
                status=SignerStatus.CONFIRMED,
                order=signer_index + index,
            )


def _read_list(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        for motion in motion_list(user=user):
            (
                motion.proposer_label,
                motion.session.label,
                motion.committee.name,
                workflow.confirmed_cosigners(motion),
            )
            [signer.mandate.person.name for signer in motion.signers.all()]
    return len(captured)


def _read_detail(user, pk: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        motion = motion_get(user=user, pk=pk)
        workflow.available_actions(motion, user, today=date(2025, 1, 8))
        for activity in motion.activities.all():
            [p.mandate.person.name for p in activity.participants.all()]
        getattr(motion, "decision", None)
    return len(captured)


def test_list_queries_do_not_grow_with_the_motions(session, committee, committee_user, staff, rules):
    _motions(session, committee, 5)
    five = _read_list(committee_user), _read_list(staff)

    _motions(session, committee, 45)

    assert _read_list(committee_user) == five[0]
    assert _read_list(staff) == five[1]


def test_detail_queries_do_not_grow_with_the_signers(session, committee, staff, rules):
    term = session.term
    motion = MotionFactory(session=session, lead_mandate=MandateFactory(congress=term.congress, term=term))
    before = _read_detail(staff, motion.pk)
    for index in range(20):
        MotionSigner.objects.create(
            motion=motion,
            mandate=MandateFactory(congress=term.congress, term=term),
            status=SignerStatus.CONFIRMED,
            order=index,
        )

    assert _read_detail(staff, motion.pk) == before


def test_another_session_does_not_leak_into_a_committees_list(session, committee, committee_user):
    later = SessionFactory(term=session.term, number=5, start_date=date(2026, 1, 6))
    mine = MotionFactory(
        session=later,
        lead_mandate=MandateFactory(congress=session.term.congress, term=session.term),
        placed=True,
        committee=committee,
    )
    CommitteeFactory(congress=session.term.congress, name="第三委员会")

    assert ids(motions_visible_to(committee_user)) == {mine.pk}
