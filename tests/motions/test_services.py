"""The rules of motions (DOMAIN §4), through the services: each rule with exact values, each refusal
with nothing changed."""

import re
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.motions import services
from lvzhi.motions.choices import (
    ActivityKind,
    Attendance,
    DecisionOutcome,
    MotionEventType,
    MotionStatus,
    SignerStatus,
)
from lvzhi.motions.models import Motion, MotionActivity, MotionDecision
from lvzhi.motions.selectors import motion_history_for_suggestion, motion_participations
from lvzhi.notifications.models import Notification, Reminder
from lvzhi.suggestions.choices import SignerStatus as SuggestionSignerStatus
from lvzhi.suggestions.choices import SuggestionSeries, SuggestionStatus
from lvzhi.suggestions.models import Suggestion, SuggestionRules

from ..factories import (
    CommitteeFactory,
    CongressFactory,
    ElectoralUnitFactory,
    SessionFactory,
    TermFactory,
)
from .conftest import at, deputy_with_account
from .factories import GROUNDS, PLAN, SUBJECT, draft, pdf, placed, signed, submitted

S = MotionStatus
E = MotionEventType
TOO_FEW = "议案须由10名以上代表联名（含领衔代表）提出，或由代表团提出。"


def event_types(motion) -> list[str]:
    return list(motion.events.order_by("at", "id").values_list("type", flat=True))


def assert_unchanged(motion, *, status, version, events):
    motion.refresh_from_db()
    assert motion.status == status
    assert motion.version == version
    assert motion.events.count() == events


@pytest.fixture
def lead(term, gulou, rules):
    """The lead deputy (鼓楼区), in a congress with stored rules (ten co-signers)."""
    return deputy_with_account(term, gulou, "t-lead", "郑领衔")


# -- Drafting: subject, grounds and plan (Art. 15) ---------------------------------------------------


@pytest.mark.parametrize(
    ("missing", "message"),
    [("subject", "请填写案由。"), ("grounds", "请填写案据。"), ("plan", "请填写方案。")],
)
def test_create_requires_subject_grounds_and_plan(lead, session, missing, message):
    text = {"subject": SUBJECT, "grounds": GROUNDS, "plan": PLAN, missing: "  "}

    with pytest.raises(DomainError) as refused:
        services.motion_create(actor=lead.person.user, session=session, mandate=lead, **text)

    assert refused.value.message == message
    assert refused.value.field == missing
    assert not Motion.objects.exists()


def test_create_records_the_draft_and_invites_the_cosigners(
    lead, session, cosigners, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        motion = draft(lead, session, cosigners=cosigners[:2])

    assert motion.status == S.DRAFT
    assert (motion.congress, motion.term, motion.session) == (session.term.congress, session.term, session)
    assert (motion.subject, motion.grounds, motion.plan) == (SUBJECT, GROUNDS, PLAN)
    assert motion.number is None
    assert list(motion.signers.values_list("mandate_id", "status")) == [
        (cosigners[0].pk, SignerStatus.INVITED),
        (cosigners[1].pk, SignerStatus.INVITED),
    ]
    assert event_types(motion) == [E.CREATED, E.COSIGNERS_INVITED]
    invited = Notification.objects.filter(kind="motion.cosigner_invited")
    assert sorted(invited.values_list("recipient__username", flat=True)) == ["t-cosigner-0", "t-cosigner-1"]


def test_a_deputy_leads_only_with_its_own_mandate(lead, session, other_deputy):
    with pytest.raises(ForbiddenError, match="您只能以本人的代表身份领衔提出议案。"):
        draft(other_deputy, session, actor=lead.person.user)
    assert not Motion.objects.exists()


@pytest.mark.parametrize("both", [True, False])
def test_a_motion_has_a_lead_or_a_delegation_never_both_nor_neither(staff, lead, session, gulou, both):
    with pytest.raises(DomainError, match="请指定领衔代表或提出议案的代表团（二者选其一）。"):
        services.motion_create(
            actor=staff,
            session=session,
            mandate=lead if both else None,
            delegation=gulou if both else None,
            subject=SUBJECT,
            grounds=GROUNDS,
            plan=PLAN,
        )
    assert not Motion.objects.exists()


def test_no_motions_between_sessions(lead, session):
    with time_machine.travel(at(2025, 1, 11)), pytest.raises(DomainError) as refused:
        draft(lead, session)

    assert refused.value.message == "第四次会议已闭幕，闭会期间不能提出议案，您可以提出建议。"
    assert not Motion.objects.exists()


def test_a_cosigner_must_be_an_active_deputy_of_the_term_and_not_the_lead(lead, session, cosigners):
    other_term = TermFactory(congress=lead.congress, number=15)
    stranger = deputy_with_account(other_term, lead.electoral_unit, "t-old", "旧届代表")

    with pytest.raises(DomainError, match="领衔代表不能同时作为附议代表。"):
        draft(lead, session, cosigners=[lead])
    with pytest.raises(DomainError, match="旧届代表不是本届代表，不能附议。"):
        draft(lead, session, cosigners=[cosigners[0], stranger])
    assert not Motion.objects.exists()


# -- Co-signing and submission --------------------------------------------------------------------------


def test_cosigners_confirm_or_decline_themselves(lead, session, cosigners):
    motion = draft(lead, session, cosigners=cosigners[:3])

    services.motion_sign(motion=motion, actor=cosigners[0].person.user, confirm=True)
    services.motion_sign(motion=motion, actor=cosigners[1].person.user, confirm=False)
    with pytest.raises(ForbiddenError, match="您不是该议案待确认的附议代表。"):
        services.motion_sign(motion=motion, actor=cosigners[0].person.user, confirm=True)

    assert dict(motion.signers.values_list("mandate_id", "status")) == {
        cosigners[0].pk: SignerStatus.CONFIRMED,
        cosigners[1].pk: SignerStatus.DECLINED,
        cosigners[2].pk: SignerStatus.INVITED,
    }
    assert event_types(motion)[-2:] == [E.COSIGNER_CONFIRMED, E.COSIGNER_DECLINED]


def test_submit_is_refused_with_fewer_cosigners_than_the_rule(lead, session, cosigners):
    """A lead and eight co-signers are nine deputies: one short of the ten."""
    motion = signed(lead, session, cosigners[:8])
    version, events = motion.version, motion.events.count()

    with pytest.raises(DomainError) as refused:
        services.motion_submit(motion=motion, actor=lead.person.user)

    assert refused.value.message == TOO_FEW
    assert_unchanged(motion, status=S.DRAFT, version=version, events=events)
    assert motion.number is None


def test_submit_with_ten_cosigners_numbers_the_motion_per_session(
    lead, session, cosigners, staff, django_capture_on_commit_callbacks
):
    next_session = SessionFactory(term=session.term, number=5, start_date=date(2025, 1, 7))
    with django_capture_on_commit_callbacks(execute=True):
        first = submitted(lead, session, cosigners)
        second = submitted(lead, session, cosigners, subject="关于修订《福州市物业管理条例》的议案")
        third = submitted(lead, next_session, cosigners, subject="关于制定《福州市河道保护条例》的议案")

    assert [m.number_label for m in (first, second, third)] == ["第1号", "第2号", "第1号"]
    assert first.status == S.SUBMITTED
    assert first.submitted_at is not None
    event = first.events.get(type=E.SUBMITTED)
    assert (event.from_status, event.to_status) == (S.DRAFT, S.SUBMITTED)
    assert event.payload == {"number": "第1号", "cosigners": 10}
    received = Notification.objects.filter(kind="motion.submitted", recipient=staff)
    assert sorted(received.values_list("title", flat=True)) == sorted(
        [
            f"收到议案第1号：{SUBJECT}",
            "收到议案第2号：关于修订《福州市物业管理条例》的议案",
            "收到议案第1号：关于制定《福州市河道保护条例》的议案",
        ]
    )


def test_unanswered_invitations_lapse_on_submission(lead, session, cosigners, other_deputy):
    motion = signed(lead, session, cosigners)
    services.motion_update(
        motion=motion,
        expected_version=motion.version,
        changes={},
        cosigners=[*cosigners, other_deputy],
        actor=lead.person.user,
    )

    services.motion_submit(motion=motion, actor=lead.person.user)

    assert motion.signers.get(mandate=other_deputy).status == SignerStatus.LAPSED
    assert motion.events.get(type=E.SUBMITTED).payload["lapsed"] == [other_deputy.pk]


def test_another_congress_loads_its_own_minimum_without_code_changes(staff):
    county = CongressFactory(name="闽侯县人民代表大会", short_name="县人大", level="county")
    term = TermFactory(congress=county, number=18)
    session = SessionFactory(term=term, number=4, start_date=date(2025, 1, 6), end_date=date(2025, 1, 9))
    unit = ElectoralUnitFactory(congress=county, name="甘蔗街道")
    SuggestionRules.objects.create(congress=county, motion_cosigner_minimum=5)
    lead = deputy_with_account(term, unit, "t-county-lead", "县领衔")
    others = [deputy_with_account(term, unit, f"t-county-{i}", f"县附议{i}") for i in range(5)]

    three = signed(lead, session, others[:3])
    with pytest.raises(DomainError, match=r"议案须由5名以上代表联名（含领衔代表）提出，或由代表团提出。"):
        services.motion_submit(motion=three, actor=lead.person.user)
    four = submitted(lead, session, others[:4], subject="关于加强县域饮用水源保护的议案")

    assert four.status == S.SUBMITTED


def test_without_stored_rules_the_default_is_ten(session, term, gulou, cosigners):
    lead = deputy_with_account(term, gulou, "t-lead-no-rules", "无规则领衔")
    motion = signed(lead, session, cosigners[:8])

    with pytest.raises(DomainError, match=TOO_FEW):
        services.motion_submit(motion=motion, actor=lead.person.user)

    motion.refresh_from_db()
    assert (motion.status, motion.events.filter(type=E.SUBMITTED).exists()) == (S.DRAFT, False)


def test_a_lead_and_nine_confirmed_cosigners_make_the_ten(session, term, gulou, cosigners):
    """Organic Law Art. 24 "代表十人以上联名": the ten include the lead."""
    lead = deputy_with_account(term, gulou, "t-lead-nine", "九人附议领衔")
    motion = signed(lead, session, cosigners[:9])

    services.motion_submit(motion=motion, actor=lead.person.user)

    motion.refresh_from_db()
    assert motion.status == S.SUBMITTED


def test_a_delegation_raises_a_motion_without_cosigners(county_user, gulou, session, rules):
    motion = services.motion_create(
        actor=county_user, session=session, delegation=gulou, subject=SUBJECT, grounds=GROUNDS, plan=PLAN
    )

    services.motion_submit(motion=motion, actor=county_user)

    motion.refresh_from_db()
    assert motion.status == S.SUBMITTED
    assert motion.lead_mandate is None
    assert motion.proposer_label == "鼓楼团"
    assert motion.number_label == "第1号"


def test_only_the_delegations_own_staff_or_the_office_raise_its_motion(
    county_taijiang_user, gulou, session, staff, cosigners
):
    text = {"session": session, "delegation": gulou, "subject": SUBJECT, "grounds": GROUNDS, "plan": PLAN}

    with pytest.raises(ForbiddenError, match="只有代表工委或本代表团的工作人员可以以代表团名义提出议案。"):
        services.motion_create(actor=county_taijiang_user, **text)
    with pytest.raises(DomainError, match="代表团提出的议案不需要附议代表。"):
        services.motion_create(actor=staff, cosigners=[cosigners[0]], **text)
    assert not Motion.objects.exists()

    motion = services.motion_create(actor=staff, **text)
    with pytest.raises(DomainError, match="代表团提出的议案不需要附议代表。"):
        services.motion_update(
            motion=motion, expected_version=1, changes={}, cosigners=[cosigners[0]], actor=staff
        )
    assert not motion.signers.exists()


# -- Editing ---------------------------------------------------------------------------------------------


def test_changing_the_text_asks_the_cosigners_to_confirm_again(lead, session, cosigners):
    motion = signed(lead, session, cosigners[:2])

    services.motion_update(
        motion=motion,
        expected_version=motion.version,
        changes={"plan": "修改后的方案：先行制定政府规章。"},
        actor=lead.person.user,
    )

    motion.refresh_from_db()
    assert motion.plan == "修改后的方案：先行制定政府规章。"
    assert set(motion.signers.values_list("status", flat=True)) == {SignerStatus.INVITED}
    assert event_types(motion)[-2:] == [E.UPDATED, E.COSIGNERS_RESET]
    assert motion.events.get(type=E.UPDATED).payload == {"fields": ["plan"]}


def test_the_cosigner_list_is_replaced(lead, session, cosigners):
    motion = draft(lead, session, cosigners=cosigners[:2])

    services.motion_update(
        motion=motion,
        expected_version=motion.version,
        changes={},
        cosigners=[cosigners[1], cosigners[2]],
        actor=lead.person.user,
    )

    assert list(motion.signers.values_list("mandate_id", flat=True)) == [cosigners[1].pk, cosigners[2].pk]


def test_a_stale_version_is_a_conflict_and_changes_nothing(lead, session):
    motion = draft(lead, session)
    services.motion_update(
        motion=motion, expected_version=1, changes={"subject": "新案由"}, actor=lead.person.user
    )

    with pytest.raises(ConflictError, match="该议案已被他人处理或修改，请刷新页面后重试。"):
        services.motion_update(
            motion=motion, expected_version=1, changes={"subject": "另一个案由"}, actor=lead.person.user
        )

    motion.refresh_from_db()
    assert (motion.subject, motion.version) == ("新案由", 2)


def test_a_blank_subject_is_refused_on_edit(lead, session):
    motion = draft(lead, session)

    with pytest.raises(DomainError, match="请填写案由。"):
        services.motion_update(
            motion=motion, expected_version=1, changes={"subject": ""}, actor=lead.person.user
        )

    assert_unchanged(motion, status=S.DRAFT, version=1, events=1)


def test_a_deputys_draft_is_its_own_until_submitted(lead, session, staff):
    motion = draft(lead, session)

    with pytest.raises(ForbiddenError):
        services.motion_update(motion=motion, expected_version=1, changes={"subject": "代改"}, actor=staff)
    with pytest.raises(ForbiddenError):
        services.motion_submit(motion=motion, actor=staff)

    assert_unchanged(motion, status=S.DRAFT, version=1, events=1)


# -- The presidium's decision ---------------------------------------------------------------------------


def test_placing_on_the_agenda_assigns_the_committee_and_the_default_deadline(
    lead, session, cosigners, staff, committee, committee_user, django_capture_on_commit_callbacks
):
    motion = submitted(lead, session, cosigners)

    with django_capture_on_commit_callbacks(execute=True):
        decision = services.motion_decide(
            motion=motion,
            actor=staff,
            outcome=DecisionOutcome.PLACE_ON_AGENDA,
            committee=committee,
            reason="符合议案要求",
        )

    motion.refresh_from_db()
    assert motion.status == S.PLACED_ON_AGENDA
    assert (motion.committee, motion.report_due) == (committee, date(2025, 10, 31))
    assert (decision.decided_on, decision.committee, decision.report_due) == (
        date(2025, 1, 8),
        committee,
        date(2025, 10, 31),
    )
    event = motion.events.get(type=E.PLACED_ON_AGENDA)
    assert (event.from_status, event.to_status, event.reason) == (
        S.SUBMITTED,
        S.PLACED_ON_AGENDA,
        "符合议案要求",
    )
    assert event.payload["report_due"] == "2025-10-31"
    reminder = Reminder.objects.get(kind="motion.report_due")
    assert reminder.due_date == date(2025, 10, 31)
    assert list(reminder.recipients.all()) == [committee_user]


def test_the_report_deadline_is_a_setting(lead, session, cosigners, staff, committee, settings):
    settings.LVZHI_MOTION_REPORT_DUE = "09-30"
    motion = submitted(lead, session, cosigners)

    services.motion_decide(
        motion=motion, actor=staff, outcome=DecisionOutcome.PLACE_ON_AGENDA, committee=committee
    )

    motion.refresh_from_db()
    assert motion.report_due == date(2025, 9, 30)


def test_placing_needs_a_committee_of_the_same_congress(lead, session, cosigners, staff):
    motion = submitted(lead, session, cosigners)
    foreign = CommitteeFactory(congress=CongressFactory(name="福建省人民代表大会"), name="省法制委员会")

    with pytest.raises(DomainError, match="请指定审议该议案的委员会。"):
        services.motion_decide(motion=motion, actor=staff, outcome=DecisionOutcome.PLACE_ON_AGENDA)
    with pytest.raises(DomainError, match="所选委员会不属于本级人大。"):
        services.motion_decide(
            motion=motion, actor=staff, outcome=DecisionOutcome.PLACE_ON_AGENDA, committee=foreign
        )

    assert_unchanged(motion, status=S.SUBMITTED, version=motion.version, events=motion.events.count())
    assert not MotionDecision.objects.exists()


def test_only_the_office_records_the_decision_and_only_once(lead, session, cosigners, staff, committee):
    motion = submitted(lead, session, cosigners)

    with pytest.raises(ForbiddenError, match="只有代表工委工作人员可以进行此操作。"):
        services.motion_decide(
            motion=motion,
            actor=lead.person.user,
            outcome=DecisionOutcome.PLACE_ON_AGENDA,
            committee=committee,
        )
    services.motion_decide(
        motion=motion, actor=staff, outcome=DecisionOutcome.PLACE_ON_AGENDA, committee=committee
    )
    with pytest.raises(DomainError, match="主席团已对该议案作出决定。"):
        services.motion_decide(motion=motion, actor=staff, outcome=DecisionOutcome.CONVERT, reason="改为建议")

    assert MotionDecision.objects.count() == 1
    assert not Suggestion.objects.exists()


def test_conversion_creates_the_suggestion_with_the_same_text_lead_and_cosigners(
    lead, session, cosigners, staff, urban_field
):
    motion = signed(lead, session, cosigners)
    services.motion_update(
        motion=motion, expected_version=motion.version, changes={"field": urban_field}, actor=lead.person.user
    )
    motion = services.motion_submit(motion=motion, actor=lead.person.user)

    decision = services.motion_decide(
        motion=motion, actor=staff, outcome=DecisionOutcome.CONVERT, reason="属于政府职权范围内的具体工作"
    )

    motion.refresh_from_db()
    suggestion = motion.converted_suggestion
    assert motion.status == S.CONVERTED
    assert decision.suggestion == suggestion
    assert suggestion.source_motion == motion
    assert (suggestion.title, suggestion.lead_mandate, suggestion.session, suggestion.field) == (
        SUBJECT,
        lead,
        session,
        urban_field,
    )
    assert suggestion.body == f"案据：\n{GROUNDS}\n\n方案：\n{PLAN}"
    assert suggestion.series == SuggestionSeries.IN_SESSION
    assert suggestion.status == SuggestionStatus.SUBMITTED
    assert list(suggestion.signers.values_list("mandate_id", "status")) == [
        (cosigner.pk, SuggestionSignerStatus.CONFIRMED) for cosigner in cosigners
    ]
    # The motion's history is kept, and shown on the suggestion.
    assert event_types(motion) == [
        E.CREATED,
        E.COSIGNERS_INVITED,
        *[E.COSIGNER_CONFIRMED] * 10,
        E.UPDATED,
        E.SUBMITTED,
        E.CONVERTED,
    ]
    assert motion.events.get(type=E.CONVERTED).payload["suggestion"] == suggestion.pk
    assert motion_history_for_suggestion(suggestion) == list(motion.events.order_by("at", "id"))
    created = suggestion.events.get(type="suggestion.created")
    assert created.reason == f"由议案第1号“{SUBJECT}”转来：属于政府职权范围内的具体工作"
    assert created.payload == {"motion": motion.pk, "motion_number": "第1号"}
    assert list(suggestion.events.values_list("type", flat=True)) == [
        "suggestion.created",
        "suggestion.submitted",
    ]


def test_conversion_needs_a_reason_and_changes_nothing_without(lead, session, cosigners, staff):
    motion = submitted(lead, session, cosigners)

    with pytest.raises(DomainError, match="请说明不列入大会议程的理由。"):
        services.motion_decide(motion=motion, actor=staff, outcome=DecisionOutcome.CONVERT, reason=" ")

    assert_unchanged(motion, status=S.SUBMITTED, version=motion.version, events=motion.events.count())
    assert not Suggestion.objects.exists()


def test_a_delegations_motion_is_converted_under_a_named_member(
    county_user, gulou, session, rules, staff, term
):
    member = deputy_with_account(term, gulou, "t-member", "鼓楼团代表")
    outsider = deputy_with_account(
        term, ElectoralUnitFactory(congress=term.congress, name="仓山区"), "t-out", "仓山代表"
    )
    motion = services.motion_create(
        actor=county_user, session=session, delegation=gulou, subject=SUBJECT, grounds=GROUNDS, plan=PLAN
    )
    services.motion_submit(motion=motion, actor=county_user)

    with pytest.raises(DomainError, match="代表团提出的议案转为建议，请指定领衔的代表团代表。"):
        services.motion_decide(
            motion=motion, actor=staff, outcome=DecisionOutcome.CONVERT, reason="不属于立法事项"
        )
    with pytest.raises(DomainError, match="仓山代表不是该代表团的代表。"):
        services.motion_decide(
            motion=motion,
            actor=staff,
            outcome=DecisionOutcome.CONVERT,
            reason="不属于立法事项",
            suggestion_lead=outsider,
        )
    services.motion_decide(
        motion=motion,
        actor=staff,
        outcome=DecisionOutcome.CONVERT,
        reason="不属于立法事项",
        suggestion_lead=member,
    )

    motion.refresh_from_db()
    assert motion.converted_suggestion.lead_mandate == member
    assert Suggestion.objects.count() == 1


# -- The committee's work with the proposers (Art. 50) -------------------------------------------------


def test_the_committee_invites_the_proposers_and_each_participation_is_credited(
    lead, session, cosigners, staff, committee, committee_user
):
    motion = placed(lead, session, cosigners, staff, committee)

    with time_machine.travel(at(2025, 4, 10)):
        activity = services.motion_activity_record(
            motion=motion,
            actor=committee_user,
            kind=ActivityKind.RESEARCH,
            held_on=date(2025, 4, 10),
            title="养犬管理立法专题调研",
            invited=[lead, cosigners[0], cosigners[1]],
            attended=[lead, cosigners[0]],
        )

    assert dict(activity.participants.values_list("mandate_id", "attendance")) == {
        lead.pk: Attendance.ATTENDED,
        cosigners[0].pk: Attendance.ATTENDED,
        cosigners[1].pk: Attendance.ABSENT,
    }
    assert [p.activity for p in motion_participations(lead)] == [activity]
    assert list(motion_participations(cosigners[1])) == []
    event = motion.events.get(type=E.ACTIVITY_RECORDED)
    assert event.activity == activity
    assert event.payload["attended"] == sorted([lead.pk, cosigners[0].pk])


def test_invitations_are_announced_and_attendance_recorded_after_the_activity(
    lead, session, cosigners, staff, committee, committee_user, django_capture_on_commit_callbacks
):
    motion = placed(lead, session, cosigners, staff, committee)
    with django_capture_on_commit_callbacks(execute=True):
        activity = services.motion_activity_record(
            motion=motion,
            actor=committee_user,
            kind=ActivityKind.DRAFTING,
            held_on=date(2025, 5, 20),
            title="条例草案起草座谈",
            invited=[lead, cosigners[2]],
        )
    assert set(activity.participants.values_list("attendance", flat=True)) == {Attendance.INVITED}
    assert Notification.objects.filter(kind="motion.activity_invitation").count() == 2

    with pytest.raises(DomainError, match="活动尚未举行，不能记录参加情况。"):
        services.motion_activity_attendance_record(activity=activity, attended=[lead], actor=committee_user)
    with time_machine.travel(at(2025, 5, 21)):
        services.motion_activity_attendance_record(
            activity=activity, attended=[cosigners[2]], actor=committee_user
        )

    assert dict(activity.participants.values_list("mandate_id", "attendance")) == {
        lead.pk: Attendance.ABSENT,
        cosigners[2].pk: Attendance.ATTENDED,
    }
    assert [p.mandate for p in motion_participations(cosigners[2])] == [cosigners[2]]


def test_only_proposers_are_invited_and_only_by_the_assigned_committee(
    lead, session, cosigners, staff, committee, other_committee_user, other_deputy, unit_user
):
    motion = placed(lead, session, cosigners, staff, committee)
    kwargs = {"kind": ActivityKind.REVIEW, "held_on": date(2025, 1, 8), "title": "审议座谈"}

    with pytest.raises(ForbiddenError, match="该议案未交您所在的委员会审议，不能进行此操作。"):
        services.motion_activity_record(motion=motion, actor=other_committee_user, invited=[lead], **kwargs)
    with pytest.raises(ForbiddenError):
        services.motion_activity_record(motion=motion, actor=unit_user, invited=[lead], **kwargs)
    with pytest.raises(DomainError, match="黄旁人不是本议案的提案人。"):
        services.motion_activity_record(motion=motion, actor=staff, invited=[lead, other_deputy], **kwargs)
    with pytest.raises(DomainError, match="请选择邀请参加的提案人。"):
        services.motion_activity_record(motion=motion, actor=staff, invited=[], **kwargs)

    assert not MotionActivity.objects.exists()


def test_activities_only_once_placed_on_the_agenda(lead, session, cosigners, staff):
    motion = submitted(lead, session, cosigners)

    with pytest.raises(DomainError, match="该议案尚未交委员会审议。"):
        services.motion_activity_record(
            motion=motion,
            actor=staff,
            kind=ActivityKind.RESEARCH,
            held_on=date(2025, 1, 8),
            title="调研",
            invited=[lead],
        )


# -- The committee's report ---------------------------------------------------------------------------


def test_a_report_by_the_deadline_is_on_time(
    lead, session, cosigners, staff, committee, committee_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        motion = placed(lead, session, cosigners, staff, committee)

    with time_machine.travel(at(2025, 10, 31)), django_capture_on_commit_callbacks(execute=True):
        services.motion_report_submit(
            motion=motion, actor=committee_user, text="建议列入2026年立法计划。", file=pdf()
        )

    motion.refresh_from_db()
    assert motion.status == S.REPORTED
    assert (motion.reported_on, motion.is_report_late, motion.reported_by) == (
        date(2025, 10, 31),
        False,
        committee_user,
    )
    assert motion.report_file_name == "审议结果报告.pdf"
    assert motion.events.get(type=E.REPORTED).payload == {
        "report_due": "2025-10-31",
        "late": False,
        "days_late": 0,
    }
    assert Reminder.objects.get(kind="motion.report_due").status == "done"


def test_a_late_report_is_accepted_and_flagged(
    lead, session, cosigners, staff, committee, committee_user, django_capture_on_commit_callbacks
):
    motion = placed(lead, session, cosigners, staff, committee)

    with time_machine.travel(at(2025, 11, 3)), django_capture_on_commit_callbacks(execute=True):
        services.motion_report_submit(motion=motion, actor=committee_user, text="审议结果报告。")

    motion.refresh_from_db()
    assert (motion.status, motion.is_report_late) == (S.REPORTED, True)
    assert motion.events.get(type=E.REPORTED).payload == {
        "report_due": "2025-10-31",
        "late": True,
        "days_late": 3,
    }
    assert Notification.objects.filter(title__startswith="城建环资工委逾期报告议案第1号").exists()


def test_only_the_assigned_committee_reports(
    lead, session, cosigners, staff, committee, other_committee_user
):
    motion = placed(lead, session, cosigners, staff, committee)
    version, events = motion.version, motion.events.count()

    for actor in (other_committee_user, staff, lead.person.user):
        with pytest.raises(ForbiddenError, match="该议案未交您所在的委员会审议，不能进行此操作。"):
            services.motion_report_submit(motion=motion, actor=actor, text="报告")

    assert_unchanged(motion, status=S.PLACED_ON_AGENDA, version=version, events=events)


def test_a_report_needs_text_and_a_pdf_or_word_file(
    lead, session, cosigners, staff, committee, committee_user
):
    motion = placed(lead, session, cosigners, staff, committee)
    version, events = motion.version, motion.events.count()
    fake = SimpleUploadedFile("报告.pdf", b"not a pdf at all", content_type="application/pdf")

    with pytest.raises(DomainError, match="请填写审议结果报告。"):
        services.motion_report_submit(motion=motion, actor=committee_user, text="")
    with pytest.raises(DomainError, match="报告文件须为 PDF 或 Word（doc、docx）文件。"):
        services.motion_report_submit(
            motion=motion, actor=committee_user, text="报告", file=SimpleUploadedFile("a.exe", b"MZ")
        )
    with pytest.raises(DomainError, match=re.escape("文件“报告.pdf”的内容与扩展名不符。")):
        services.motion_report_submit(motion=motion, actor=committee_user, text="报告", file=fake)

    assert_unchanged(motion, status=S.PLACED_ON_AGENDA, version=version, events=events)


def test_the_office_closes_a_reported_motion(lead, session, cosigners, staff, committee, committee_user):
    motion = placed(lead, session, cosigners, staff, committee)
    with pytest.raises(DomainError, match="委员会尚未提交审议结果报告，不能办结。"):
        services.motion_close(motion=motion, actor=staff)
    services.motion_report_submit(motion=motion, actor=committee_user, text="报告")
    with pytest.raises(ForbiddenError):
        services.motion_close(motion=motion, actor=committee_user)

    services.motion_close(motion=motion, actor=staff, reason="常委会会议已审议")

    motion.refresh_from_db()
    assert motion.status == S.CLOSED
    assert motion.events.last().reason == "常委会会议已审议"


# -- Illegal transitions change nothing -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda m, lead, staff: services.motion_submit(motion=m, actor=lead), "该议案已提交，请勿重复提交。"),
        (lambda m, lead, staff: services.motion_sign(motion=m, actor=lead), "您不是该议案待确认的附议代表。"),
        (
            lambda m, lead, staff: services.motion_update(
                motion=m, expected_version=m.version, changes={"subject": "改"}, actor=lead
            ),
            "该议案已提交，不能再修改。",
        ),
        (
            lambda m, lead, staff: services.motion_close(motion=m, actor=staff),
            "当前状态“已提交待主席团决定”下不能办结。",
        ),
    ],
)
def test_illegal_transitions_on_a_submitted_motion_change_nothing(
    lead, session, cosigners, staff, call, message
):
    motion = submitted(lead, session, cosigners)
    version, events = motion.version, motion.events.count()

    with pytest.raises(DomainError, match=message):
        call(motion, lead.person.user, staff)

    assert_unchanged(motion, status=S.SUBMITTED, version=version, events=events)


def test_withdrawal_before_the_decision_only(lead, session, cosigners, staff, committee):
    first = submitted(lead, session, cosigners)
    second = placed(lead, session, cosigners, staff, committee, subject="关于修订物业条例的议案")

    services.motion_withdraw(motion=first, actor=lead.person.user, reason="与他案重复")
    with pytest.raises(DomainError, match="主席团已对该议案作出决定，不能撤回。"):
        services.motion_withdraw(motion=second, actor=lead.person.user)

    first.refresh_from_db()
    assert first.status == S.WITHDRAWN
    assert first.events.last().reason == "与他案重复"
    assert_unchanged(second, status=S.PLACED_ON_AGENDA, version=second.version, events=second.events.count())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_take_different_numbers(term, gulou):
    """Two leads submit in the same session at the same moment: the session row lock gives each its
    own number."""
    import threading

    from django.db import connection

    SuggestionRules.objects.create(congress=term.congress, motion_cosigner_minimum=1)
    session = SessionFactory(term=term, number=4, start_date=date(2025, 1, 6), end_date=date(2025, 1, 10))
    leads = [deputy_with_account(term, gulou, f"t-race-{i}", f"并发{i}") for i in range(2)]
    helper = deputy_with_account(term, gulou, "t-race-helper", "附议人")
    motions = [signed(lead, session, [helper], subject=f"并发议案{i}") for i, lead in enumerate(leads)]
    barrier = threading.Barrier(2)
    errors = []

    def submit(motion, lead):
        try:
            barrier.wait()
            services.motion_submit(motion=motion, actor=lead.person.user)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=(m, lead)) for m, lead in zip(motions, leads, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(Motion.objects.values_list("number", flat=True)) == [1, 2]
