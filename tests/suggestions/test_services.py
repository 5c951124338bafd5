"""The rules of suggestions (DOMAIN §5), through the services: each window with exact dates, each
refusal with nothing changed."""

import threading
import time
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.deputies.choices import MandateStatus
from lvzhi.notifications.models import Notification, Reminder
from lvzhi.suggestions import handling, services
from lvzhi.suggestions.choices import (
    AssignmentRole,
    AssignmentStatus,
    CommitmentStatus,
    ContactMethod,
    ContactStage,
    InadmissibleReason,
    ObjectionStatus,
    ReplyKind,
    ReplyStatus,
    ReviewDecision,
    Satisfaction,
    SignerStatus,
    SuggestionSeries,
    SuggestionStatus,
)
from lvzhi.suggestions.models import (
    Assignment,
    Evaluation,
    Objection,
    Reply,
    Suggestion,
    SuggestionAttachment,
    SuggestionEvent,
    SuggestionRules,
)

from ..factories import CongressFactory, HandlingUnitFactory, MandateFactory, TermFactory
from .conftest import at
from .factories import SuggestionFactory, accept, assign, draft, pdf, released, reply, submit

S = SuggestionStatus
A = AssignmentStatus


def event_types(suggestion) -> list[str]:
    return list(suggestion.events.order_by("at", "id").values_list("type", flat=True))


def assert_unchanged(suggestion, status, event_count):
    suggestion.refresh_from_db()
    assert suggestion.status == status
    assert suggestion.events.count() == event_count


# -- Drafting and submission ------------------------------------------------------------------------


def test_deputy_drafts_a_suggestion_between_sessions(deputy_user, own_mandate):
    suggestion = services.suggestion_create(
        actor=deputy_user, mandate=own_mandate, title="  关于增设社区养老服务站的建议 ", body="内容"
    )

    assert suggestion.status == S.DRAFT
    assert suggestion.series == SuggestionSeries.BETWEEN_SESSIONS
    assert suggestion.title == "关于增设社区养老服务站的建议"
    assert (suggestion.congress, suggestion.term) == (own_mandate.congress, own_mandate.term)
    event = suggestion.events.get()
    assert (event.type, event.actor, event.to_status) == ("suggestion.created", deputy_user, S.DRAFT)


def test_suggestion_at_the_session_is_in_the_session_series(deputy_user, own_mandate, session):
    suggestion = draft(own_mandate, session=session)
    assert (suggestion.series, suggestion.session) == (SuggestionSeries.IN_SESSION, session)


def test_deputy_cannot_draft_in_another_deputys_name(deputy_user, gulou_mandate):
    with pytest.raises(ForbiddenError, match="本人的代表身份"):
        services.suggestion_create(actor=deputy_user, mandate=gulou_mandate, title="标题")
    assert Suggestion.objects.count() == 0


def test_suspended_deputy_cannot_make_suggestions(deputy_user, own_mandate):
    own_mandate.status = MandateStatus.SUSPENDED
    own_mandate.save()

    with pytest.raises(DomainError) as refusal:
        draft(own_mandate)

    assert refusal.value.message == "该代表资格状态为“暂停执行代表职务”，不能提出建议。"
    assert Suggestion.objects.count() == 0


def test_office_enters_a_paper_suggestion_for_a_deputy(staff, gulou_mandate):
    suggestion = draft(gulou_mandate, actor=staff)
    services.suggestion_submit(suggestion=suggestion, actor=staff)

    suggestion.refresh_from_db()
    assert suggestion.status == S.SUBMITTED
    assert suggestion.created_by == staff


def test_joint_submission_waits_for_every_cosigner_then_goes_to_review(
    deputy_user, own_mandate, cosigner_one, cosigner_two
):
    suggestion = draft(own_mandate)
    services.suggestion_invite_cosigners(
        suggestion=suggestion, mandates=[cosigner_one, cosigner_two], actor=deputy_user
    )

    with time_machine.travel(at(2025, 9, 26), tick=False):  # a Friday before National Day
        services.suggestion_submit(suggestion=suggestion, actor=deputy_user)
        suggestion.refresh_from_db()
        assert suggestion.status == S.AWAITING_COSIGNERS

        services.suggestion_cosigner_respond(
            suggestion=suggestion, actor=cosigner_one.person.user, confirm=True
        )
        suggestion.refresh_from_db()
        assert suggestion.status == S.AWAITING_COSIGNERS

        services.suggestion_cosigner_respond(
            suggestion=suggestion, actor=cosigner_two.person.user, confirm=True
        )

    suggestion.refresh_from_db()
    assert suggestion.status == S.SUBMITTED
    # DOMAIN §5.3: between sessions, assign within 5 working days of receipt — 09-28 (a Sunday
    # worked in lieu), 09-29, 09-30, then after the holiday 10-09, 10-10.
    assert suggestion.assign_due == date(2025, 10, 10)
    assert suggestion.needs_calendar is False
    assert event_types(suggestion) == [
        "suggestion.created",
        "suggestion.cosigners_invited",
        "suggestion.awaiting_cosigners",
        "suggestion.cosigner_confirmed",
        "suggestion.cosigner_confirmed",
        "suggestion.submitted",
    ]
    submitted = suggestion.events.get(type="suggestion.submitted")
    assert (submitted.actor, submitted.from_status, submitted.to_status) == (
        cosigner_two.person.user,
        S.AWAITING_COSIGNERS,
        S.SUBMITTED,
    )


def test_lead_submits_with_the_confirmed_cosigners(deputy_user, own_mandate, cosigner_one, cosigner_two):
    suggestion = draft(own_mandate)
    services.suggestion_invite_cosigners(
        suggestion=suggestion, mandates=[cosigner_one, cosigner_two], actor=deputy_user
    )
    services.suggestion_submit(suggestion=suggestion, actor=deputy_user)
    services.suggestion_cosigner_respond(suggestion=suggestion, actor=cosigner_one.person.user, confirm=True)

    services.suggestion_submit(suggestion=suggestion, actor=deputy_user)

    suggestion.refresh_from_db()
    assert suggestion.status == S.SUBMITTED
    assert dict(suggestion.signers.values_list("mandate_id", "status")) == {
        cosigner_one.pk: SignerStatus.CONFIRMED,
        cosigner_two.pk: SignerStatus.LAPSED,
    }
    assert suggestion.events.get(type="suggestion.submitted").payload == {
        "cosigners": 1,
        "lapsed": [cosigner_two.pk],
    }
    # The lapsed co-signer can no longer answer.
    with pytest.raises(ForbiddenError, match="待确认的联名代表"):
        services.suggestion_cosigner_respond(
            suggestion=suggestion, actor=cosigner_two.person.user, confirm=True
        )


def test_cosigner_declines_and_submission_goes_on(deputy_user, own_mandate, cosigner_one):
    suggestion = draft(own_mandate)
    services.suggestion_invite_cosigners(suggestion=suggestion, mandates=[cosigner_one], actor=deputy_user)
    services.suggestion_submit(suggestion=suggestion, actor=deputy_user)

    services.suggestion_cosigner_respond(suggestion=suggestion, actor=cosigner_one.person.user, confirm=False)

    suggestion.refresh_from_db()
    assert suggestion.status == S.SUBMITTED
    signer = suggestion.signers.get()
    assert signer.status == SignerStatus.DECLINED and signer.responded_at is not None


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("lead", "领衔代表不能同时作为联名代表。"),
        ("twice", "陈联一已在联名代表名单中。"),
        ("other_term", "不是本届代表，不能联名"),
        ("terminated", "的代表资格状态为“资格终止”，不能联名。"),
    ],
)
def test_invitations_that_are_refused(deputy_user, own_mandate, cosigner_one, congress, who, message):
    suggestion = draft(own_mandate)
    services.suggestion_invite_cosigners(suggestion=suggestion, mandates=[cosigner_one], actor=deputy_user)
    mandate = {
        "lead": lambda: own_mandate,
        "twice": lambda: cosigner_one,
        "other_term": lambda: MandateFactory(
            congress=congress, term=TermFactory(congress=congress, number=15, start_date=date(2017, 1, 1))
        ),
        "terminated": lambda: MandateFactory(
            congress=congress, term=own_mandate.term, status=MandateStatus.TERMINATED
        ),
    }[who]()

    with pytest.raises(DomainError, match=message):
        services.suggestion_invite_cosigners(suggestion=suggestion, mandates=[mandate], actor=deputy_user)
    assert suggestion.signers.count() == 1


def test_only_the_lead_invites_cosigners(own_mandate, cosigner_one, cosigner_two):
    suggestion = draft(own_mandate)
    with pytest.raises(ForbiddenError, match="领衔代表本人"):
        services.suggestion_invite_cosigners(
            suggestion=suggestion, mandates=[cosigner_two], actor=cosigner_one.person.user
        )
    assert suggestion.signers.count() == 0


def test_submission_needs_a_body(deputy_user, own_mandate):
    suggestion = services.suggestion_create(actor=deputy_user, mandate=own_mandate, title="只有标题")
    with pytest.raises(DomainError, match="标题和内容"):
        services.suggestion_submit(suggestion=suggestion, actor=deputy_user)
    assert_unchanged(suggestion, S.DRAFT, 1)


def test_edits_carry_the_version_read(deputy_user, own_mandate):
    suggestion = draft(own_mandate)

    services.suggestion_update(
        suggestion=suggestion,
        expected_version=1,
        changes={"title": "关于老旧小区加装电梯的建议（修改）"},
        actor=deputy_user,
    )
    with pytest.raises(ConflictError, match="已被他人处理或修改"):
        services.suggestion_update(
            suggestion=suggestion, expected_version=1, changes={"body": "旧页面"}, actor=deputy_user
        )

    suggestion.refresh_from_db()
    assert (suggestion.title, suggestion.version) == ("关于老旧小区加装电梯的建议（修改）", 2)
    assert suggestion.events.get(type="suggestion.updated").payload == {"fields": ["title"]}


def test_only_the_office_marks_a_suggestion_hard(deputy_user, staff, own_mandate):
    suggestion = draft(own_mandate)
    with pytest.raises(DomainError, match="不能修改这些字段：is_hard"):
        services.suggestion_update(
            suggestion=suggestion, expected_version=1, changes={"is_hard": True}, actor=deputy_user
        )
    with pytest.raises(ForbiddenError):  # the deputy's draft is its own until submitted
        services.suggestion_update(
            suggestion=suggestion, expected_version=1, changes={"is_hard": True}, actor=staff
        )

    services.suggestion_submit(suggestion=suggestion, actor=deputy_user)
    services.suggestion_update(
        suggestion=suggestion, expected_version=2, changes={"is_hard": True}, actor=staff
    )
    suggestion.refresh_from_db()
    assert (suggestion.is_hard, suggestion.version) == (True, 3)


def test_another_deputy_cannot_edit_or_withdraw(own_mandate, other_deputy):
    suggestion = submit(own_mandate)
    with pytest.raises(ForbiddenError):
        services.suggestion_update(
            suggestion=suggestion,
            expected_version=suggestion.version,
            changes={"title": "x"},
            actor=other_deputy.person.user,
        )
    with pytest.raises(ForbiddenError):
        services.suggestion_withdraw(suggestion=suggestion, actor=other_deputy.person.user)
    assert_unchanged(suggestion, S.SUBMITTED, 2)


def test_attachments_are_checked_by_type_content_and_size(deputy_user, own_mandate):
    suggestion = draft(own_mandate)

    attachment = services.suggestion_attach(
        suggestion=suggestion, file=pdf("现场照片说明.pdf"), actor=deputy_user
    )
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "现场照片说明.pdf",
        "application/pdf",
        len(pdf().read()),
    )
    png = SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    assert (
        services.suggestion_attach(suggestion=suggestion, file=png, actor=deputy_user).content_type
        == "image/png"
    )

    refusals = [
        (SimpleUploadedFile("病毒.exe", b"MZ" + b"0" * 10), "只能上传 PDF、Word"),
        (SimpleUploadedFile("伪装.png", b"%PDF-1.7 not a png"), "内容与扩展名不符"),
        (SimpleUploadedFile("空.pdf", b""), "是空文件"),
        (SimpleUploadedFile("大.pdf", b"%PDF" + b"0" * (20 * 1024 * 1024)), "超过 20 MB"),
    ]
    for upload, message in refusals:
        with pytest.raises(DomainError, match=message):
            services.suggestion_attach(suggestion=suggestion, file=upload, actor=deputy_user)
    assert SuggestionAttachment.objects.count() == 2

    services.suggestion_attachment_remove(attachment=attachment, actor=deputy_user)
    assert list(suggestion.attachments.values_list("original_name", flat=True)) == ["现场.png"]


def test_withdraw_until_assigned(deputy_user, own_mandate, staff, urban_field):
    suggestion = accept(own_mandate, staff, field=urban_field)

    services.suggestion_withdraw(suggestion=suggestion, actor=deputy_user, reason="问题已解决")

    suggestion.refresh_from_db()
    assert suggestion.status == S.WITHDRAWN
    event = suggestion.events.latest("id")
    assert (event.type, event.from_status, event.to_status, event.reason) == (
        "suggestion.withdrawn",
        S.ACCEPTED,
        S.WITHDRAWN,
        "问题已解决",
    )


def test_withdraw_after_assignment_is_refused(deputy_user, own_mandate, staff, urban_field, lead_unit):
    suggestion, _ = assign(own_mandate, staff, field=urban_field, lead=lead_unit)
    events = suggestion.events.count()

    with pytest.raises(DomainError) as refusal:
        services.suggestion_withdraw(suggestion=suggestion, actor=deputy_user)

    assert refusal.value.message == "该建议已交办，不能撤回。"
    assert_unchanged(suggestion, S.ASSIGNED, events)
    with pytest.raises(DomainError, match="该建议已交办，不能再修改。"):
        services.suggestion_update(
            suggestion=suggestion,
            expected_version=suggestion.version,
            changes={"body": "新内容"},
            actor=deputy_user,
        )


# -- First review ------------------------------------------------------------------------------------


def test_numbers_come_from_the_session_and_between_session_series(own_mandate, staff, urban_field, session):
    first = accept(own_mandate, staff, field=urban_field, session=session)
    second = accept(own_mandate, staff, field=urban_field, session=session)
    between = accept(own_mandate, staff, field=urban_field)

    numbered = [(s.series, s.year, s.number, s.number_label) for s in (first, second, between)]
    assert numbered == [
        (SuggestionSeries.IN_SESSION, 2025, 1001, "〔2025〕第1001号"),
        (SuggestionSeries.IN_SESSION, 2025, 1002, "〔2025〕第1002号"),
        (SuggestionSeries.BETWEEN_SESSIONS, 2025, 2001, "〔2025〕第2001号"),
    ]
    event = first.events.get(type="suggestion.accepted")
    assert (event.actor, event.from_status, event.to_status) == (staff, S.SUBMITTED, S.ACCEPTED)
    assert event.payload == {"number": "〔2025〕第1001号", "field": "城建环境", "is_hard": False}


def test_numbering_follows_the_congress_rules_and_restarts_each_year(
    own_mandate, staff, urban_field, congress
):
    SuggestionRules.objects.create(
        congress=congress, between_sessions_number_format="闭{year}-{number}", between_sessions_number_start=1
    )
    first = accept(own_mandate, staff, field=urban_field)
    second = accept(own_mandate, staff, field=urban_field)
    with time_machine.travel(at(2026, 1, 5), tick=True):
        next_year = accept(own_mandate, staff, field=urban_field)

    assert [s.number_label for s in (first, second, next_year)] == ["闭2025-1", "闭2025-2", "闭2026-1"]


def test_another_congress_numbers_with_its_own_defaults(own_mandate, staff, urban_field, congress):
    SuggestionRules.objects.create(congress=congress, between_sessions_number_start=1)
    province = CongressFactory(
        name="福建省人民代表大会", short_name="省人大", level="provincial", region="福建省"
    )
    provincial = MandateFactory(
        person=own_mandate.person,
        congress=province,
        term=TermFactory(congress=province, number=14, start_date=date(2023, 1, 1)),
    )

    assert accept(own_mandate, staff, field=urban_field).number_label == "〔2025〕第1号"
    assert accept(provincial, staff, field=urban_field).number_label == "〔2025〕第2001号"


def test_acceptance_needs_a_field(own_mandate, staff):
    suggestion = submit(own_mandate)
    with pytest.raises(DomainError, match="所属领域"):
        services.suggestion_review(suggestion=suggestion, actor=staff, decision=ReviewDecision.ACCEPT)
    assert_unchanged(suggestion, S.SUBMITTED, 2)
    suggestion.refresh_from_db()
    assert suggestion.number is None


def test_returned_suggestion_is_revised_and_accepted(deputy_user, own_mandate, staff, urban_field):
    suggestion = submit(own_mandate)
    with pytest.raises(DomainError, match="退回修改须说明理由"):
        services.suggestion_review(suggestion=suggestion, actor=staff, decision=ReviewDecision.RETURN)

    services.suggestion_review(
        suggestion=suggestion, actor=staff, decision=ReviewDecision.RETURN, reason="请补充具体小区和现状数据"
    )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.review_reason) == (
        S.RETURNED_FOR_REVISION,
        "请补充具体小区和现状数据",
    )

    services.suggestion_update(
        suggestion=suggestion,
        expected_version=suggestion.version,
        changes={"body": "鼓楼区三个小区……"},
        actor=deputy_user,
    )
    services.suggestion_submit(suggestion=suggestion, actor=deputy_user)
    services.suggestion_review(
        suggestion=suggestion, actor=staff, decision=ReviewDecision.ACCEPT, field=urban_field
    )

    suggestion.refresh_from_db()
    assert suggestion.status == S.ACCEPTED
    assert event_types(suggestion)[-4:] == [
        "suggestion.returned",
        "suggestion.updated",
        "suggestion.submitted",
        "suggestion.accepted",
    ]


def test_rejection_names_an_inadmissible_kind(own_mandate, staff):
    suggestion = submit(own_mandate)
    with pytest.raises(DomainError, match="不予立案的理由"):
        services.suggestion_review(
            suggestion=suggestion, actor=staff, decision=ReviewDecision.REJECT, rejection_reason="dislike"
        )
    assert_unchanged(suggestion, S.SUBMITTED, 2)

    services.suggestion_review(
        suggestion=suggestion,
        actor=staff,
        decision=ReviewDecision.REJECT,
        rejection_reason=InadmissibleReason.LITIGATION_OR_ARBITRATION,
    )

    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.rejection_reason) == (S.REJECTED, "litigation_or_arbitration")
    assert suggestion.events.latest("id").reason == "涉及诉讼、仲裁中的具体案件"


def test_conversion_to_a_letter(own_mandate, staff):
    suggestion = submit(own_mandate)
    services.suggestion_review(
        suggestion=suggestion,
        actor=staff,
        decision=ReviewDecision.CONVERT_TO_LETTER,
        reason="反映个人诉求，转信访处理",
    )
    assert_unchanged(suggestion, S.CONVERTED_TO_LETTER, 3)


@pytest.mark.parametrize("fixture", ["deputy_user", "unit_user", "county_user", "leader", "committee_user"])
def test_only_the_office_reviews(own_mandate, urban_field, fixture, request):
    suggestion = submit(own_mandate)
    with pytest.raises(ForbiddenError, match="代表工委"):
        services.suggestion_review(
            suggestion=suggestion,
            actor=request.getfixturevalue(fixture),
            decision=ReviewDecision.ACCEPT,
            field=urban_field,
        )
    assert_unchanged(suggestion, S.SUBMITTED, 2)


# -- Assignment ----------------------------------------------------------------------------------------


def test_assign_sets_deadlines_and_records_event(own_mandate, staff, urban_field, lead_unit, co_unit):
    suggestion = accept(own_mandate, staff, field=urban_field)

    lead, co = services.suggestion_assign(
        suggestion=suggestion, actor=staff, lead=lead_unit, co_units=[co_unit], on=date(2025, 3, 5)
    )

    suggestion.refresh_from_db()
    assert suggestion.status == S.ASSIGNED
    # Art. 51: three months from the assignment date.
    assert (lead.role, lead.reply_due, lead.co_input_due) == (AssignmentRole.LEAD, date(2025, 6, 5), None)
    # DOMAIN §5.3: co-units give their input within one month.
    assert (co.role, co.reply_due, co.co_input_due) == (AssignmentRole.CO, date(2025, 6, 5), date(2025, 4, 5))
    # Seven working days, the assignment day not counted: 03-06 … 03-14.
    assert lead.objection_deadline == co.objection_deadline == date(2025, 3, 14)
    assert lead.needs_calendar is False
    event = suggestion.events.get(type="suggestion.assigned")
    assert (event.actor, event.from_status, event.to_status) == (staff, S.ACCEPTED, S.ASSIGNED)
    assert [unit["unit"] for unit in event.payload["units"]] == ["市住房和城乡建设局", "市交通运输局"]


def test_hard_suggestion_has_six_months(own_mandate, staff, urban_field, lead_unit):
    suggestion = accept(own_mandate, staff, field=urban_field)

    [lead] = services.suggestion_assign(
        suggestion=suggestion, actor=staff, lead=lead_unit, is_hard=True, on=date(2025, 3, 5)
    )

    assert lead.reply_due == date(2025, 9, 5)
    suggestion.refresh_from_db()
    assert suggestion.is_hard is True


def test_deadlines_across_the_spring_festival(own_mandate, staff, urban_field, lead_unit):
    suggestion = accept(own_mandate, staff, field=urban_field)

    [lead] = services.suggestion_assign(
        suggestion=suggestion, actor=staff, lead=lead_unit, on=date(2025, 1, 24)
    )

    # 01-26 (Sunday worked in lieu), 01-27, holiday 01-28 … 02-04, 02-05, 02-06, 02-07,
    # 02-08 (Saturday worked in lieu), 02-10.
    assert lead.objection_deadline == date(2025, 2, 10)
    assert lead.reply_due == date(2025, 4, 24)


def test_objection_window_across_national_day(own_mandate, staff, urban_field, lead_unit, unit_user):
    with time_machine.travel(at(2025, 9, 26), tick=True):  # a Friday before the National Day holiday
        suggestion, [lead] = assign(
            own_mandate, staff, field=urban_field, lead=lead_unit, on=date(2025, 9, 26)
        )
    # Seven working days, the assignment day not counted: 09-28 (Sunday worked in lieu), 09-29,
    # 09-30, holiday 10-01 … 10-08, 10-09, 10-10, 10-11 (Saturday worked in lieu), 10-13.
    assert lead.objection_deadline == date(2025, 10, 13)
    events = suggestion.events.count()

    with pytest.raises(DomainError) as refusal:
        services.assignment_object(
            assignment=lead, reason="不属于我局职责", actor=unit_user, today=date(2025, 10, 14)
        )

    assert refusal.value.message == "已超过异议期限，不能再提出异议。"
    assert Objection.objects.count() == 0
    lead.refresh_from_db()
    assert lead.status == A.ASSIGNED
    assert_unchanged(suggestion, S.ASSIGNED, events)

    objection = services.assignment_object(
        assignment=lead, reason="不属于我局职责", actor=unit_user, today=date(2025, 10, 13)
    )
    assert objection.status == ObjectionStatus.PENDING


def test_working_day_deadline_without_holiday_data_is_flagged_not_guessed(
    own_mandate, staff, urban_field, lead_unit
):
    with time_machine.travel(at(2026, 12, 28), tick=True):
        suggestion = accept(own_mandate, staff, field=urban_field)
        [lead] = services.suggestion_assign(suggestion=suggestion, actor=staff, lead=lead_unit)

    # 2027's holidays are not published yet: the window reaches into 2027.
    assert lead.objection_deadline is None
    assert lead.needs_calendar is True
    assert lead.reply_due == date(2027, 3, 28)  # calendar months need no holiday data
    assert suggestion.events.get(type="suggestion.assigned").payload["needs_calendar"] is True


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ({}, "请指定主办单位或分办单位。"),
        ({"co_units": ["co"]}, "协办单位须与主办单位一起交办。"),
        ({"split_units": ["lead"]}, "分办须指定至少两个承办单位"),
        ({"lead": "lead", "split_units": ["co", "other"]}, "主办和分办不能同时使用。"),
        ({"lead": "lead", "co_units": ["lead"]}, "同一单位不能重复交办：市住房和城乡建设局。"),
        ({"lead": "inactive"}, "承办单位“市已撤销局”已停用。"),
    ],
)
def test_assignment_plans_that_are_refused(
    own_mandate, staff, urban_field, lead_unit, co_unit, other_unit, plan, message
):
    units = {
        "lead": lead_unit,
        "co": co_unit,
        "other": other_unit,
        "inactive": HandlingUnitFactory(name="市已撤销局", is_active=False),
    }
    resolved = {
        key: [units[u] for u in value] if isinstance(value, list) else units[value]
        for key, value in plan.items()
    }
    suggestion = accept(own_mandate, staff, field=urban_field)
    events = suggestion.events.count()

    with pytest.raises(DomainError, match=message):
        services.suggestion_assign(suggestion=suggestion, actor=staff, on=date(2025, 3, 5), **resolved)

    assert Assignment.objects.count() == 0
    assert_unchanged(suggestion, S.ACCEPTED, events)


def test_a_suggestion_not_yet_accepted_cannot_be_assigned(own_mandate, staff, lead_unit):
    suggestion = submit(own_mandate)
    with pytest.raises(DomainError, match="该建议尚未立案，不能交办。"):
        services.suggestion_assign(suggestion=suggestion, actor=staff, lead=lead_unit)
    assert Assignment.objects.count() == 0


def test_assignment_date_cannot_be_in_the_future(own_mandate, staff, urban_field, lead_unit):
    suggestion = accept(own_mandate, staff, field=urban_field)
    with pytest.raises(DomainError, match="交办日期不能晚于今天"):
        services.suggestion_assign(suggestion=suggestion, actor=staff, lead=lead_unit, on=date(2025, 3, 6))
    assert Assignment.objects.count() == 0


def test_merged_suggestions_go_to_the_same_units(
    own_mandate, cosigner_one, staff, urban_field, lead_unit, co_unit
):
    group = services.new_merge_group()
    first = accept(own_mandate, staff, field=urban_field)
    second = accept(cosigner_one, staff, field=urban_field)
    third = accept(cosigner_one, staff, field=urban_field)

    services.suggestion_assign(suggestion=first, actor=staff, lead=lead_unit, merge_group=group)
    services.suggestion_assign(suggestion=second, actor=staff, lead=lead_unit, merge_group=group)
    with pytest.raises(DomainError, match="并案办理的建议须交办给相同的承办单位。"):
        services.suggestion_assign(suggestion=third, actor=staff, lead=co_unit, merge_group=group)

    assert set(Assignment.objects.filter(merge_group=group).values_list("suggestion_id", flat=True)) == {
        first.pk,
        second.pk,
    }


def test_bulk_assignment_of_500_in_one_transaction(
    staff, congress, term, lead_unit, co_unit, urban_field, gulou_mandate
):
    suggestions = SuggestionFactory.create_batch(
        500, congress=congress, term=term, lead_mandate=gulou_mandate, accepted=True, field=urban_field
    )
    plans = [services.AssignmentPlan(suggestion=s, lead=lead_unit, co_units=[co_unit]) for s in suggestions]

    assignments = services.suggestions_assign_bulk(plans=plans, actor=staff, on=date(2025, 3, 3))

    assert len(assignments) == 1000
    assert Suggestion.objects.filter(status=S.ASSIGNED).count() == 500
    assert set(Assignment.objects.values_list("reply_due", flat=True)) == {date(2025, 6, 3)}
    assert set(Assignment.objects.filter(role="co").values_list("co_input_due", flat=True)) == {
        date(2025, 4, 3)
    }
    assert SuggestionEvent.objects.filter(type="suggestion.assigned").count() == 500


def test_bulk_assignment_is_all_or_nothing(staff, congress, term, lead_unit, urban_field, gulou_mandate):
    suggestions = SuggestionFactory.create_batch(
        500, congress=congress, term=term, lead_mandate=gulou_mandate, accepted=True, field=urban_field
    )
    invalid = suggestions[321]
    invalid.status = S.SUBMITTED
    invalid.number = invalid.year = None
    invalid.save()
    plans = [services.AssignmentPlan(suggestion=s, lead=lead_unit) for s in suggestions]

    with pytest.raises(DomainError) as refusal:
        services.suggestions_assign_bulk(plans=plans, actor=staff, on=date(2025, 3, 3))

    assert refusal.value.message.startswith("以下建议不能交办，本次全部未交办：第322条")
    assert "该建议尚未立案，不能交办。" in refusal.value.message
    assert Assignment.objects.count() == 0
    assert Suggestion.objects.filter(status=S.ACCEPTED).count() == 499
    assert SuggestionEvent.objects.count() == 0


def test_bulk_assignment_only_by_the_office(unit_user, congress, term, lead_unit, urban_field, gulou_mandate):
    suggestion = SuggestionFactory(congress=congress, term=term, lead_mandate=gulou_mandate, accepted=True)
    with pytest.raises(ForbiddenError):
        services.suggestions_assign_bulk(
            plans=[services.AssignmentPlan(suggestion=suggestion, lead=lead_unit)], actor=unit_user
        )
    assert Assignment.objects.count() == 0


# -- The unit's work -----------------------------------------------------------------------------------


@pytest.fixture
def assigned(own_mandate, staff, urban_field, lead_unit, co_unit, cosigner_one):
    """A joint suggestion assigned on 2025-03-03 to a lead unit and a co-unit."""
    suggestion, assignments = assign(
        own_mandate,
        staff,
        field=urban_field,
        lead=lead_unit,
        co_units=[co_unit],
        cosigners=[cosigner_one],
        on=date(2025, 3, 3),
    )
    return suggestion, *assignments


def test_receipt_moves_the_suggestion_into_handling(assigned, unit_user, co_unit_user):
    suggestion, lead, co = assigned

    services.assignment_acknowledge(assignment=co, actor=co_unit_user)
    suggestion.refresh_from_db()
    assert suggestion.status == S.ASSIGNED  # a co-unit's receipt does not start the reply

    services.assignment_acknowledge(assignment=lead, actor=unit_user)
    suggestion.refresh_from_db()
    lead.refresh_from_db()
    assert (lead.status, suggestion.status) == (A.ACKNOWLEDGED, S.HANDLING)
    assert lead.acknowledged_at is not None
    event = suggestion.events.latest("id")
    assert (event.type, event.from_status, event.to_status, event.assignment) == (
        "assignment.acknowledged",
        S.ASSIGNED,
        S.HANDLING,
        lead,
    )
    with pytest.raises(DomainError, match="该建议已签收。"):
        services.assignment_acknowledge(assignment=lead, actor=unit_user)


def test_a_unit_acting_on_a_suggestion_not_assigned_to_it_is_refused(
    assigned, other_unit_user, co_unit_user, cosigner_one
):
    suggestion, lead, _co = assigned
    events = suggestion.events.count()

    attempts = [
        lambda: services.assignment_acknowledge(assignment=lead, actor=other_unit_user),
        lambda: services.assignment_object(assignment=lead, reason="不是我们的", actor=other_unit_user),
        lambda: services.reply_draft(assignment=lead, actor=co_unit_user, body="抢答"),
        lambda: services.contact_log(
            assignment=lead, actor=other_unit_user, deputy=cosigner_one, contacted_on=date(2025, 3, 3),
            stage=ContactStage.BEFORE, method=ContactMethod.PHONE,
        ),
    ]  # fmt: skip
    for attempt in attempts:
        with pytest.raises(ForbiddenError) as refusal:
            attempt()
        assert refusal.value.message == "该建议未交办给您的单位，不能进行此操作。"

    lead.refresh_from_db()
    assert lead.status == A.ASSIGNED
    assert Reply.objects.count() == 0
    assert_unchanged(suggestion, S.ASSIGNED, events)


def test_handling_starts_with_receipt(assigned, unit_user, cosigner_one):
    _suggestion, lead, _co = assigned
    with pytest.raises(DomainError, match="请先签收该建议。"):
        services.contact_log(
            assignment=lead, actor=unit_user, deputy=cosigner_one, contacted_on=date(2025, 3, 3),
            stage=ContactStage.BEFORE, method=ContactMethod.PHONE,
        )  # fmt: skip


def test_upheld_objection_moves_the_assignment_to_another_unit(
    assigned, unit_user, staff, other_unit, other_unit_user
):
    suggestion, lead, _co = assigned
    objection = services.assignment_object(assignment=lead, reason="属于教育部门职责", actor=unit_user)
    suggestion.refresh_from_db()
    assert suggestion.status == S.ASSIGNED

    with time_machine.travel(at(2025, 3, 10), tick=True):
        services.objection_decide(
            objection=objection, uphold=True, actor=staff, new_unit=other_unit, note="同意"
        )

    objection.refresh_from_db()
    lead.refresh_from_db()
    replacement = objection.new_assignment
    assert (objection.status, objection.decided_by, lead.status) == (
        ObjectionStatus.UPHELD,
        staff,
        A.CANCELLED,
    )
    assert (replacement.unit, replacement.role, replacement.assigned_on) == (
        other_unit,
        AssignmentRole.LEAD,
        date(2025, 3, 10),
    )
    # Fresh deadlines from the re-assignment date.
    assert (replacement.reply_due, replacement.objection_deadline) == (date(2025, 6, 10), date(2025, 3, 19))
    services.assignment_acknowledge(assignment=replacement, actor=other_unit_user)
    with pytest.raises(DomainError):
        services.assignment_acknowledge(assignment=lead, actor=unit_user)


def test_rejected_objection_needs_a_reason_and_the_unit_handles_it(assigned, unit_user, staff):
    suggestion, lead, _co = assigned
    objection = services.assignment_object(assignment=lead, reason="不属于我局职责", actor=unit_user)

    with pytest.raises(DomainError, match="异议不成立的理由"):
        services.objection_decide(objection=objection, uphold=False, actor=staff)
    services.objection_decide(objection=objection, uphold=False, actor=staff, note="加装电梯由住建部门牵头")

    lead.refresh_from_db()
    suggestion.refresh_from_db()
    assert (lead.status, suggestion.status) == (A.ACKNOWLEDGED, S.HANDLING)
    with pytest.raises(DomainError, match="该异议已处理。"):
        services.objection_decide(objection=objection, uphold=False, actor=staff, note="再次")


def test_only_the_office_decides_objections(assigned, unit_user, other_unit):
    _suggestion, lead, _co = assigned
    objection = services.assignment_object(assignment=lead, reason="不属于我局职责", actor=unit_user)
    with pytest.raises(ForbiddenError):
        services.objection_decide(objection=objection, uphold=True, actor=unit_user, new_unit=other_unit)
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING


def test_two_level_reassignment_to_a_sub_unit(
    own_mandate,
    staff,
    urban_field,
    government,
    government_user,
    sub_department,
    sub_department_user,
    other_unit,
):
    suggestion, [lead] = assign(own_mandate, staff, field=urban_field, lead=government, on=date(2025, 3, 3))

    with pytest.raises(DomainError, match="只能转办给本单位的下级单位。"):
        services.assignment_reassign(assignment=lead, sub_unit=other_unit, actor=government_user)
    child = services.assignment_reassign(assignment=lead, sub_unit=sub_department, actor=government_user)

    lead.refresh_from_db()
    assert lead.status == A.REASSIGNED
    assert (child.parent, child.role, child.reply_due, child.objection_deadline) == (
        lead,
        AssignmentRole.LEAD,
        date(2025, 6, 3),
        None,
    )
    # The sub-unit handles and replies; the government's own assignment no longer can.
    with pytest.raises(DomainError):
        services.reply_draft(assignment=lead, actor=government_user, body="x")
    with pytest.raises(DomainError, match="转办的建议不能再次转办。"):
        services.assignment_reassign(assignment=child, sub_unit=sub_department, actor=sub_department_user)
    with pytest.raises(DomainError, match="转办的建议请向转办单位反映"):
        services.assignment_object(assignment=child, reason="x", actor=sub_department_user)
    released(child, sub_department_user, staff, contact_deputy=own_mandate)
    suggestion.refresh_from_db()
    assert suggestion.status == S.REPLIED


def test_co_unit_gives_input_and_does_not_reply(assigned, co_unit_user, unit_user):
    _suggestion, _lead, co = assigned
    services.assignment_acknowledge(assignment=co, actor=co_unit_user)

    with pytest.raises(DomainError, match="协办单位不直接答复代表"):
        services.reply_draft(assignment=co, actor=co_unit_user, body="x")
    services.assignment_input_submit(assignment=co, text="我局将配合做好道路占用审批。", actor=co_unit_user)

    co.refresh_from_db()
    assert (co.status, co.input_text) == (A.INPUT_SUBMITTED, "我局将配合做好道路占用审批。")


def test_contacts_are_with_the_suggestions_deputies(assigned, unit_user, own_mandate, other_deputy):
    suggestion, lead, _co = assigned
    services.assignment_acknowledge(assignment=lead, actor=unit_user)

    with pytest.raises(DomainError, match="领衔代表或联名代表"):
        services.contact_log(
            assignment=lead, actor=unit_user, deputy=other_deputy, contacted_on=date(2025, 3, 3),
            stage=ContactStage.BEFORE, method=ContactMethod.VISIT,
        )  # fmt: skip
    with pytest.raises(DomainError, match="沟通日期不能早于交办日期"):
        services.contact_log(
            assignment=lead, actor=unit_user, deputy=own_mandate, contacted_on=date(2025, 3, 2),
            stage=ContactStage.BEFORE, method=ContactMethod.VISIT,
        )  # fmt: skip
    contact = services.contact_log(
        assignment=lead, actor=unit_user, deputy=own_mandate, contacted_on=date(2025, 3, 3),
        stage=ContactStage.BEFORE, method=ContactMethod.VISIT, note="电话13900000000，约定下周走访",
    )  # fmt: skip

    assert contact.recorded_by == unit_user
    event = suggestion.events.get(type="contact.logged")
    assert event.payload["stage"] == "before" and "13900000000" not in str(event.payload)


# -- Replies, evaluation, re-handling, closing -------------------------------------------------------


def test_reply_needs_text_class_signer_and_sealed_letter(assigned, unit_user):
    _suggestion, lead, _co = assigned
    services.assignment_acknowledge(assignment=lead, actor=unit_user)

    with pytest.raises(DomainError, match="请从A、B、C、D中选择办理结果分类。"):
        services.reply_draft(assignment=lead, actor=unit_user, body="答复", result_class="E")
    with pytest.raises(DomainError, match="答复函须为 PDF 文件。"):
        services.reply_draft(
            assignment=lead, actor=unit_user, letter=SimpleUploadedFile("答复函.docx", b"PK\x03\x04docx")
        )
    draft_reply = services.reply_draft(
        assignment=lead, actor=unit_user, body="答复", result_class="A", signed_by="张局长"
    )
    with pytest.raises(DomainError, match="请上传加盖公章的答复函"):
        services.reply_submit(reply=draft_reply, actor=unit_user)

    draft_reply = services.reply_draft(
        assignment=lead, actor=unit_user, body="答复", result_class="A", signed_by="张局长", letter=pdf(),
        expected_version=draft_reply.version,
    )  # fmt: skip
    submitted = services.reply_submit(
        reply=draft_reply, actor=unit_user, no_contact_reason="unreachable", no_contact_note="电话未接通。"
    )
    assert submitted.status == ReplyStatus.SUBMITTED
    assert Reply.objects.count() == 1


def test_one_reply_recipient_per_confirmed_deputy(
    own_mandate, staff, urban_field, lead_unit, unit_user, cosigner_one, cosigner_two
):
    suggestion = draft(own_mandate)
    services.suggestion_invite_cosigners(
        suggestion=suggestion, mandates=[cosigner_one, cosigner_two], actor=own_mandate.person.user
    )
    services.suggestion_cosigner_respond(suggestion=suggestion, actor=cosigner_one.person.user, confirm=True)
    services.suggestion_cosigner_respond(suggestion=suggestion, actor=cosigner_two.person.user, confirm=False)
    services.suggestion_submit(suggestion=suggestion, actor=own_mandate.person.user)
    services.suggestion_review(
        suggestion=suggestion, actor=staff, decision=ReviewDecision.ACCEPT, field=urban_field
    )
    [lead] = services.suggestion_assign(suggestion=suggestion, actor=staff, lead=lead_unit)

    submitted = reply(lead, unit_user)

    assert list(submitted.recipients.values_list("mandate_id", "is_lead")) == [
        (own_mandate.pk, True),
        (cosigner_one.pk, False),
    ]


def test_second_review_returns_then_releases(assigned, unit_user, staff, own_mandate):
    suggestion, lead, _co = assigned
    submitted = reply(lead, unit_user)
    suggestion.refresh_from_db()
    assert suggestion.status == S.REPLY_SUBMITTED

    with pytest.raises(DomainError, match="退回答复须说明理由"):
        services.reply_review(reply=submitted, actor=staff, release=False)
    services.reply_review(reply=submitted, actor=staff, release=False, reason="未与代表沟通")
    submitted.refresh_from_db()
    lead.refresh_from_db()
    suggestion.refresh_from_db()
    assert (submitted.status, submitted.return_reason, lead.status, suggestion.status) == (
        ReplyStatus.RETURNED, "未与代表沟通", A.ACKNOWLEDGED, S.HANDLING,
    )  # fmt: skip

    resubmitted = reply(lead, unit_user, contact_deputy=own_mandate)
    assert resubmitted.pk == submitted.pk
    with time_machine.travel(at(2025, 9, 5), tick=True):
        services.reply_review(reply=resubmitted, actor=staff, release=True)

    resubmitted.refresh_from_db()
    suggestion.refresh_from_db()
    assert (resubmitted.status, resubmitted.reviewed_by, suggestion.status) == (
        ReplyStatus.RELEASED,
        staff,
        S.REPLIED,
    )
    # Twenty working days from the release on Friday 2025-09-05: 09-08 … 09-26 (15), 09-28 (Sunday
    # worked in lieu), 09-29, 09-30, then after National Day 10-09, 10-10.
    assert set(resubmitted.recipients.values_list("evaluation_due", flat=True)) == {date(2025, 10, 10)}


def test_without_the_second_review_submission_releases(assigned, unit_user, congress):
    SuggestionRules.objects.create(congress=congress, second_review_enabled=False)
    suggestion, lead, _co = assigned

    submitted = reply(lead, unit_user)

    suggestion.refresh_from_db()
    assert (submitted.status, suggestion.status) == (ReplyStatus.RELEASED, S.REPLIED)
    assert event_types(suggestion)[-2:] == ["reply.submitted", "reply.released"]


def test_only_the_office_releases_replies(assigned, unit_user):
    _suggestion, lead, _co = assigned
    submitted = reply(lead, unit_user)
    with pytest.raises(ForbiddenError):
        services.reply_review(reply=submitted, actor=unit_user, release=True)
    submitted.refresh_from_db()
    assert submitted.status == ReplyStatus.SUBMITTED


def evaluate(recipient_of, mandate, satisfaction, **kwargs):
    recipient = recipient_of.recipients.get(mandate=mandate)
    return services.reply_evaluate(
        recipient=recipient,
        actor=mandate.person.user,
        satisfaction=satisfaction,
        process_rating=kwargs.pop("process_rating", satisfaction),
        result_rating=kwargs.pop("result_rating", satisfaction),
        **kwargs,
    )


def test_a_deputy_rating_someone_elses_reply_is_refused(
    assigned, unit_user, staff, other_deputy, cosigner_one, own_mandate
):
    _suggestion, lead, _co = assigned
    out = released(lead, unit_user, staff)
    lead_recipient = out.recipients.get(mandate=own_mandate)

    for intruder in (other_deputy.person.user, cosigner_one.person.user, unit_user):
        with pytest.raises(ForbiddenError, match="只能评价答复给您本人的答复。"):
            services.reply_evaluate(
                recipient=lead_recipient, actor=intruder, satisfaction=Satisfaction.DISSATISFIED,
                process_rating=Satisfaction.DISSATISFIED, result_rating=Satisfaction.DISSATISFIED,
            )  # fmt: skip
    assert Evaluation.objects.count() == 0
    lead.refresh_from_db()
    assert lead.status == A.REPLIED


def test_evaluation_window(assigned, unit_user, staff, own_mandate):
    _suggestion, lead, _co = assigned
    out = released(lead, unit_user, staff)  # released on Wednesday 2025-03-05
    recipient = out.recipients.get(mandate=own_mandate)
    assert recipient.evaluation_due == date(2025, 4, 2)  # 20 working days

    with pytest.raises(DomainError, match=r"已超过评价期限（2025-04-02），不能再评价。"):
        evaluate(out, own_mandate, Satisfaction.SATISFIED, today=date(2025, 4, 3))
    assert Evaluation.objects.count() == 0

    evaluate(out, own_mandate, Satisfaction.SATISFIED, today=date(2025, 4, 2))
    with pytest.raises(DomainError, match="您已评价过该答复。"):
        evaluate(out, own_mandate, Satisfaction.SATISFIED, today=date(2025, 4, 2))


def test_separate_ratings_follow_the_rules(assigned, unit_user, staff, own_mandate, cosigner_one, congress):
    _suggestion, lead, _co = assigned
    out = released(lead, unit_user, staff)
    recipient = out.recipients.get(mandate=own_mandate)

    with pytest.raises(DomainError, match="请分别评价办理过程和办理结果。"):
        services.reply_evaluate(
            recipient=recipient, actor=own_mandate.person.user, satisfaction=Satisfaction.SATISFIED
        )
    evaluation = evaluate(
        out, own_mandate, Satisfaction.BASICALLY_SATISFIED, process_rating=Satisfaction.SATISFIED,
        result_rating=Satisfaction.BASICALLY_SATISFIED, comment="沟通及时",
    )  # fmt: skip
    assert (evaluation.process_rating, evaluation.result_rating) == ("satisfied", "basically_satisfied")

    SuggestionRules.objects.create(congress=congress, separate_ratings_enabled=False)
    other = services.reply_evaluate(
        recipient=out.recipients.get(mandate=cosigner_one), actor=cosigner_one.person.user,
        satisfaction=Satisfaction.SATISFIED, process_rating=Satisfaction.DISSATISFIED,
    )  # fmt: skip
    assert (other.process_rating, other.result_rating) == ("", "")


def test_the_whole_life_of_a_joint_suggestion(
    own_mandate, cosigner_one, cosigner_two, staff, urban_field, lead_unit, co_unit, unit_user, co_unit_user
):
    """Acceptance chain of issue 3: submitted with two co-signers → accepted → assigned to a lead and a
    co-unit → received, contact, promise, reply B → released → 不满意 → re-handling → second reply →
    满意 → promise kept → closed, every step in the history."""
    suggestion, [lead, co] = assign(
        own_mandate,
        staff,
        field=urban_field,
        lead=lead_unit,
        co_units=[co_unit],
        cosigners=[cosigner_one, cosigner_two],
    )
    services.assignment_acknowledge(assignment=co, actor=co_unit_user)
    services.assignment_input_submit(assignment=co, text="配合做好管线迁改。", actor=co_unit_user)
    services.assignment_acknowledge(assignment=lead, actor=unit_user)
    commitment = services.commitment_record(
        assignment=lead, text="年内完成5个小区加装电梯", due_date=date(2025, 12, 31), actor=unit_user
    )
    first = released(lead, unit_user, staff, result_class="B", contact_deputy=own_mandate)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.follow_up_required) == (S.REPLIED, True)

    evaluate(first, own_mandate, Satisfaction.DISSATISFIED, comment="未回应补助标准")
    evaluate(first, cosigner_one, Satisfaction.SATISFIED)  # the other co-signers may still rate it

    lead.refresh_from_db()
    suggestion.refresh_from_db()
    # DOMAIN §5.7: re-handled within one month of the 不满意.
    assert (lead.status, lead.rehandling_due, lead.dissatisfied_count, lead.is_escalated) == (
        A.REHANDLING, date(2025, 4, 5), 1, False,
    )  # fmt: skip
    assert suggestion.status == S.REHANDLING
    second = reply(lead, unit_user, result_class="A", body="补助标准已明确。", contact_deputy=own_mandate)
    with pytest.raises(DomainError, match="新的答复正在审核，请在答复发出后评价。"):
        evaluate(first, cosigner_two, Satisfaction.SATISFIED)
    second = services.reply_review(reply=second, actor=staff, release=True)
    assert second.kind == ReplyKind.REHANDLING
    with pytest.raises(DomainError, match="该答复已有新的答复，请评价最新的答复。"):
        evaluate(first, cosigner_two, Satisfaction.SATISFIED)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.follow_up_required) == (S.REPLIED, False)

    for deputy in (own_mandate, cosigner_one, cosigner_two):
        evaluate(second, deputy, Satisfaction.SATISFIED)
    services.commitment_keep(commitment=commitment, evidence="5个小区电梯已投用", actor=unit_user)
    services.suggestion_close(suggestion=suggestion, actor=staff)

    suggestion.refresh_from_db()
    commitment.refresh_from_db()
    assert suggestion.status == S.CLOSED and suggestion.closed_at is not None
    assert commitment.status == CommitmentStatus.KEPT
    assert event_types(suggestion) == [
        "suggestion.created",
        "suggestion.cosigners_invited",
        "suggestion.cosigner_confirmed",
        "suggestion.cosigner_confirmed",
        "suggestion.submitted",
        "suggestion.accepted",
        "suggestion.assigned",
        "assignment.acknowledged",
        "assignment.input_submitted",
        "assignment.acknowledged",
        "commitment.recorded",
        "contact.logged",
        "reply.submitted",
        "reply.released",
        "reply.evaluated",
        "suggestion.rehandling",
        "reply.evaluated",
        "contact.logged",
        "reply.submitted",
        "reply.released",
        "reply.evaluated",
        "reply.evaluated",
        "reply.evaluated",
        "commitment.kept",
        "suggestion.closed",
    ]
    statuses = list(suggestion.events.order_by("at", "id").values_list("from_status", "to_status"))
    assert (S.HANDLING, S.REPLY_SUBMITTED) in statuses and (S.REPLIED, S.REHANDLING) in statuses


def test_twice_dissatisfied_escalates(assigned, unit_user, staff, own_mandate, cosigner_one):
    suggestion, lead, _co = assigned
    first = released(lead, unit_user, staff)
    evaluate(first, own_mandate, Satisfaction.DISSATISFIED)
    evaluate(first, cosigner_one, Satisfaction.DISSATISFIED)  # the same round: counted once
    lead.refresh_from_db()
    assert (lead.dissatisfied_count, lead.is_escalated) == (1, False)

    second = released(lead, unit_user, staff)
    evaluate(second, own_mandate, Satisfaction.DISSATISFIED)

    lead.refresh_from_db()
    assert (lead.status, lead.dissatisfied_count, lead.is_escalated) == (A.REHANDLING, 2, True)
    escalation = suggestion.events.get(type="suggestion.escalated")
    assert (escalation.assignment, escalation.payload) == (
        lead,
        {"unit": "市住房和城乡建设局", "dissatisfied_count": 2},
    )


def test_closing_waits_for_the_evaluations(assigned, unit_user, staff, own_mandate, cosigner_one):
    suggestion, lead, _co = assigned
    out = released(lead, unit_user, staff)
    suggestion.refresh_from_db()
    events = suggestion.events.count()

    with pytest.raises(DomainError, match="尚有代表未评价答复"):
        services.suggestion_close(suggestion=suggestion, actor=staff)
    assert_unchanged(suggestion, S.REPLIED, events)

    evaluate(out, own_mandate, Satisfaction.SATISFIED)
    # The co-signer let the window (to 2025-04-02) pass: it no longer holds the suggestion open.
    services.suggestion_close(suggestion=suggestion, actor=staff, today=date(2025, 4, 3))
    suggestion.refresh_from_db()
    assert suggestion.status == S.CLOSED


def test_b_answer_stays_open_for_a_follow_up_after_closing(
    assigned, unit_user, staff, own_mandate, cosigner_one
):
    suggestion, lead, _co = assigned
    out = released(lead, unit_user, staff, result_class="C")
    evaluate(out, own_mandate, Satisfaction.BASICALLY_SATISFIED)
    evaluate(out, cosigner_one, Satisfaction.SATISFIED)
    services.suggestion_close(suggestion=suggestion, actor=staff)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.follow_up_required) == (S.CLOSED, True)

    follow_up = services.suggestion_follow_up_reply(
        assignment=lead,
        actor=unit_user,
        body="条件已具备，已全部完成。",
        result_class="A",
        signed_by="张局长",
        letter=pdf(),
    )

    suggestion.refresh_from_db()
    assert (follow_up.kind, follow_up.status) == (ReplyKind.FOLLOW_UP, ReplyStatus.RELEASED)
    assert follow_up.recipients.count() == 2
    assert (suggestion.status, suggestion.follow_up_required) == (S.CLOSED, False)
    with pytest.raises(DomainError, match="不需要跟踪答复"):
        services.suggestion_follow_up_reply(
            assignment=lead, actor=unit_user, body="再次", result_class="A", signed_by="张局长", letter=pdf()
        )


def test_split_units_each_reply_before_the_suggestion_is_replied(
    own_mandate, staff, urban_field, lead_unit, unit_user, co_unit, co_unit_user
):
    suggestion = accept(own_mandate, staff, field=urban_field)
    first, second = services.suggestion_assign(
        suggestion=suggestion, actor=staff, split_units=[lead_unit, co_unit]
    )

    released(first, unit_user, staff)
    suggestion.refresh_from_db()
    assert suggestion.status == S.HANDLING  # the other split unit has not replied yet

    released(second, co_unit_user, staff)
    suggestion.refresh_from_db()
    assert suggestion.status == S.REPLIED


# -- Side effects -------------------------------------------------------------------------------------


def test_notifications_and_reminders_follow_the_commit(
    own_mandate, staff, urban_field, lead_unit, unit_user, django_capture_on_commit_callbacks
):
    suggestion = accept(own_mandate, staff, field=urban_field)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        [lead] = services.suggestion_assign(
            suggestion=suggestion, actor=staff, lead=lead_unit, on=date(2025, 3, 3)
        )

    assert callbacks  # nothing was written to the notifications before the commit
    reply_reminder = Reminder.objects.get(kind="suggestion.reply_due")
    assert (reply_reminder.due_date, list(reply_reminder.recipients.all())) == (date(2025, 6, 3), [unit_user])
    assert reply_reminder.target_object_id == lead.pk
    assert Reminder.objects.get(kind="suggestion.receipt_due").due_date == date(2025, 3, 12)
    notification = Notification.objects.get(recipient=unit_user)
    assert (notification.kind, notification.link) == ("suggestion.assigned", f"/suggestions/{suggestion.pk}/")

    with django_capture_on_commit_callbacks(execute=True):
        reply(lead, unit_user)
    assert Reminder.objects.get(kind="suggestion.reply_due").status == "done"


def test_a_recess_suggestion_reminds_the_office_of_its_assignment_deadline(
    own_mandate, staff, urban_field, lead_unit, django_capture_on_commit_callbacks
):
    """DOMAIN §5.3: between sessions, assign within 5 working days of receipt (Wed 2025-03-05 →
    Wed 2025-03-12); the reminder goes to the office and is done once assigned."""
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = submit(own_mandate)

    reminder = Reminder.objects.get(kind="suggestion.assign_due")
    assert (reminder.due_date, reminder.status, reminder.target_object_id) == (
        date(2025, 3, 12),
        "open",
        suggestion.pk,
    )
    assert staff in reminder.recipients.all()
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = services.suggestion_review(
            suggestion=suggestion, actor=staff, decision=ReviewDecision.ACCEPT, field=urban_field
        )
        services.suggestion_assign(suggestion=suggestion, actor=staff, lead=lead_unit)
    assert Reminder.objects.get(kind="suggestion.assign_due").status == "done"


def test_a_refused_action_queues_nothing(own_mandate, staff, lead_unit, django_capture_on_commit_callbacks):
    suggestion = submit(own_mandate)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(DomainError):
        services.suggestion_assign(suggestion=suggestion, actor=staff, lead=lead_unit)
    assert callbacks == []


# -- Concurrency (PostgreSQL) ------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_version", [True, False])
def test_two_reviewers_at_once_cannot_both_win(
    staff, admin_user, congress, term, gulou_mandate, urban_field, monkeypatch, with_version
):
    """Two staff decide the same suggestion at the same moment: the row lock queues the second, which
    then sees the first's decision and is refused (a conflict when it carries the version it read)."""
    suggestion = SuggestionFactory(
        congress=congress, term=term, lead_mandate=gulou_mandate, field=urban_field
    )
    read_version = suggestion.version
    barrier = threading.Barrier(2)
    real_event = handling.record_event

    def slow_event(*args, **kwargs):
        time.sleep(0.3)  # hold the lock while the other thread arrives
        return real_event(*args, **kwargs)

    monkeypatch.setattr(handling, "record_event", slow_event)
    outcomes = {}

    def decide(name, actor, decision, extra):
        try:
            barrier.wait(5)
            services.suggestion_review(
                suggestion=Suggestion.objects.get(pk=suggestion.pk),
                actor=actor,
                decision=decision,
                expected_version=read_version if with_version else None,
                **extra,
            )
            outcomes[name] = "won"
        except DomainError as error:
            outcomes[name] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=decide, args=("accept", staff, ReviewDecision.ACCEPT, {"field": urban_field})
        ),
        threading.Thread(
            target=decide,
            args=(
                "reject",
                admin_user,
                ReviewDecision.REJECT,
                {"rejection_reason": InadmissibleReason.ADVERTISING},
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    winners = [name for name, outcome in outcomes.items() if outcome == "won"]
    losers = [outcome for outcome in outcomes.values() if outcome != "won"]
    assert len(winners) == 1 and len(losers) == 1
    if with_version:
        assert isinstance(losers[0], ConflictError)
        assert losers[0].message == "该建议已被他人处理或修改，请刷新页面后重试。"
    else:
        assert not isinstance(losers[0], ConflictError)
        assert losers[0].message.startswith("当前状态“")
    suggestion.refresh_from_db()
    assert suggestion.status == {"accept": S.ACCEPTED, "reject": S.REJECTED}[winners[0]]
    assert suggestion.events.count() == 1
    assert suggestion.version == read_version + 1


def test_reminders_stop_for_what_is_no_longer_owed(
    own_mandate, cosigner_one, cosigner_two, staff, urban_field, lead_unit, co_unit, unit_user,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    def open_reminders(kind):
        return Reminder.objects.filter(kind=kind, status="open").count()

    with django_capture_on_commit_callbacks(execute=True):
        suggestion, [lead, _co] = assign(
            own_mandate, staff, field=urban_field, lead=lead_unit, co_units=[co_unit],
            cosigners=[cosigner_one, cosigner_two],
        )  # fmt: skip
        services.assignment_acknowledge(assignment=lead, actor=unit_user)
        services.commitment_record(
            assignment=lead, text="年内完成", due_date=date(2025, 12, 31), actor=unit_user
        )
        first = released(lead, unit_user, staff, result_class="B", contact_deputy=own_mandate)
    assert open_reminders("suggestion.evaluation_due") == 3

    with django_capture_on_commit_callbacks(execute=True):
        evaluate(first, own_mandate, Satisfaction.DISSATISFIED, comment="未回应补助标准")
    # The reply is being replaced: the co-signers are no longer asked to rate it.
    assert open_reminders("suggestion.evaluation_due") == 0

    with django_capture_on_commit_callbacks(execute=True):
        second = released(lead, unit_user, staff, result_class="A", contact_deputy=own_mandate)
        for deputy in (own_mandate, cosigner_one, cosigner_two):
            evaluate(second, deputy, Satisfaction.SATISFIED)
        services.suggestion_close(suggestion=suggestion, actor=staff)

    # Closed: the co-unit is no longer reminded of receipt or input; only the promise stays tracked.
    assert set(Reminder.objects.filter(status="open").values_list("kind", flat=True)) == {
        "suggestion.commitment_due"
    }


def test_a_congress_counting_re_handling_in_days_gets_its_due_date_in_days(
    own_mandate, staff, urban_field, lead_unit, unit_user, rules
):
    """DOMAIN §5.7: 15 days to 2 months; here 20 calendar days from the 不满意 (2025-03-05)."""
    SuggestionRules.objects.filter(pk=rules.pk).update(rehandling_days=20)
    _suggestion, [lead] = assign(own_mandate, staff, field=urban_field, lead=lead_unit)
    first = released(lead, unit_user, staff, result_class="B", contact_deputy=own_mandate)

    evaluate(first, own_mandate, Satisfaction.DISSATISFIED)

    lead.refresh_from_db()
    assert (lead.status, lead.rehandling_due) == (A.REHANDLING, date(2025, 3, 25))
