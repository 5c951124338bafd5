"""The suggestions API (/api/v1/suggestions/…): who sees and may do what (a matrix per endpoint
family), every action through the API with the exact resulting state and events, refusals with
their Chinese messages and nothing changed, bulk assignment all or nothing, the rules per congress,
and list queries that do not grow with the data."""

from datetime import date
from types import SimpleNamespace
from uuid import uuid4

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from lvzhi.suggestions import services
from lvzhi.suggestions.choices import (
    AssignmentRole,
    AssignmentStatus,
    CommitmentStatus,
    ObjectionStatus,
    ReplyStatus,
    SignerStatus,
    SuggestionStatus,
)
from lvzhi.suggestions.models import (
    Assignment,
    Commitment,
    Contact,
    Evaluation,
    Objection,
    Reply,
    Suggestion,
    SuggestionAttachment,
    SuggestionEvent,
    SuggestionRules,
    SuggestionSigner,
)

from ..factories import ExpertiseFieldFactory
from .conftest import at
from .factories import PDF_BYTES, SuggestionFactory, accept, assign, draft, pdf, released, reply, submit

S = SuggestionStatus
A = AssignmentStatus

SUGGESTIONS = "/api/v1/suggestions/"
ASSIGNMENTS = "/api/v1/suggestion-assignments/"
OBJECTIONS = "/api/v1/suggestion-objections/"
COMMITMENTS = "/api/v1/suggestion-commitments/"
REPLIES = "/api/v1/suggestion-replies/"
RECIPIENTS = "/api/v1/suggestion-reply-recipients/"
RULES = "/api/v1/suggestion-rules/"

ANONYMOUS = {"detail": "身份认证信息未提供。"}
NOT_VISIBLE = {"detail": "未找到该建议，或您无权查看。"}
ASSIGNMENT_NOT_VISIBLE = {"detail": "未找到该交办记录，或您无权查看。"}
OFFICE_ONLY = {"detail": "只有代表工委工作人员可以进行此操作。"}
NOT_YOUR_UNIT = {"detail": "该建议未交办给您的单位，不能进行此操作。"}
NOT_YOUR_REPLY = {"detail": "只能评价答复给您本人的答复。"}
STALE = {"detail": "该建议已被他人处理或修改，请刷新页面后重试。"}

ROLES = [
    "anonymous",
    "lead",
    "cosigner",
    "other_deputy",
    "unit",
    "other_unit",
    "county",
    "committee",
    "leader",
    "staff",
]


def client(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def ids(response) -> list[int]:
    return [row["id"] for row in response.data["results"]]


def event_types(suggestion) -> list[str]:
    return list(suggestion.events.order_by("at", "id").values_list("type", flat=True))


def snapshot(suggestion) -> tuple:
    """What a refused action must leave as it was: the suggestion's status and version, its
    assignments' statuses and its events."""
    suggestion = Suggestion.objects.get(pk=suggestion.pk)
    assignments = tuple(Assignment.objects.filter(suggestion=suggestion).order_by("id").values_list("status"))
    return suggestion.status, suggestion.version, assignments, suggestion.events.count()


@pytest.fixture
def users(
    deputy_user, cosigner_one, other_deputy, unit_user, other_unit_user, county_user, committee_user, leader, staff
):  # fmt: skip
    return {
        "anonymous": None,
        "lead": deputy_user,
        "cosigner": cosigner_one.person.user,
        "other_deputy": other_deputy.person.user,
        "unit": unit_user,
        "other_unit": other_unit_user,
        "county": county_user,
        "committee": committee_user,
        "leader": leader,
        "staff": staff,
    }


@pytest.fixture
def world(
    own_mandate, cosigner_one, other_deputy, staff, urban_field, lead_unit, co_unit, other_unit, committee
):
    """Three suggestions, one per way of being seen:

    - ``joint``: led by ``deputy_user`` (鼓楼区) with ``cosigner_one``, field 城建环境 (the committee's),
      assigned on 2025-03-03 to the lead unit (``unit_user``) and a co-unit;
    - ``draft``: ``deputy_user``'s own draft;
    - ``other``: led by ``other_deputy`` (台江区), field 教育科技, assigned to ``other_unit``.
    """
    committee.fields.add(urban_field)
    joint, (lead, co) = assign(
        own_mandate,
        staff,
        field=urban_field,
        lead=lead_unit,
        co_units=[co_unit],
        cosigners=[cosigner_one],
        on=date(2025, 3, 3),
    )
    own_draft = draft(own_mandate, title="关于增设社区长者食堂的建议")
    other = accept(
        other_deputy,
        staff,
        field=ExpertiseFieldFactory(name="教育科技"),
        title="关于加强校园周边交通管理的建议",
    )
    [other_assignment] = services.suggestion_assign(
        suggestion=other, actor=staff, lead=other_unit, on=date(2025, 3, 3)
    )
    return SimpleNamespace(
        joint=joint, lead=lead, co=co, draft=own_draft, other=other, other_assignment=other_assignment
    )


# --- Suggestions: who lists and opens what ------------------------------------------------------------

LIST_SCOPE = {
    "lead": ["draft", "joint"],
    "cosigner": ["joint"],
    "other_deputy": ["other"],
    "unit": ["joint"],
    "other_unit": ["other"],
    "county": ["joint"],
    "committee": ["joint"],
    "leader": ["other", "joint"],
    "staff": ["other", "joint"],
}


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_exactly_the_roles_suggestions(world, users, role):
    response = client(users[role]).get(SUGGESTIONS)

    if role == "anonymous":
        assert (response.status_code, response.data) == (403, ANONYMOUS)
        return
    assert response.status_code == 200
    assert ids(response) == [getattr(world, name).pk for name in LIST_SCOPE[role]]
    assert response.data["count"] == len(LIST_SCOPE[role])


DETAIL_STATUS = {
    "anonymous": 403,
    "lead": 200,
    "cosigner": 200,
    "other_deputy": 404,
    "unit": 200,
    "other_unit": 404,
    "county": 200,
    "committee": 200,
    "leader": 200,
    "staff": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_detail_is_404_outside_the_roles_scope(world, users, role):
    response = client(users[role]).get(f"{SUGGESTIONS}{world.joint.pk}/")

    assert response.status_code == DETAIL_STATUS[role]
    if response.status_code == 200:
        assert response.data["id"] == world.joint.pk
    elif response.status_code == 404:
        assert response.data == NOT_VISIBLE
    else:
        assert response.data == ANONYMOUS


def test_detail_shape(world, staff, own_mandate, cosigner_one, lead_unit, co_unit):
    response = client(staff).get(f"{SUGGESTIONS}{world.joint.pk}/")

    data = response.data
    assert (data["number_label"], data["year"], data["series"]) == (
        "〔2025〕第2001号",
        2025,
        "between_sessions",
    )
    assert (data["status"], data["status_display"]) == ("assigned", "已交办")
    assert data["lead_deputy"] == {"id": own_mandate.pk, "name": "王自己"}
    assert [(s["mandate"]["name"], s["status"]) for s in data["signers"]] == [("陈联一", "confirmed")]
    assert data["field"]["name"] == "城建环境"
    lead, co = data["assignments"]
    assert (lead["unit"], lead["role"], lead["status_display"]) == (
        {"id": lead_unit.pk, "name": "市住房和城乡建设局"},
        "lead",
        "待签收",
    )
    # Art. 51: three months from 2025-03-03; seven working days to object; one month for co-input.
    assert (lead["assigned_on"], lead["reply_due"], lead["objection_deadline"], lead["co_input_due"]) == (
        "2025-03-03",
        "2025-06-03",
        "2025-03-12",
        None,
    )
    assert (co["unit"]["name"], co["role"], co["co_input_due"], co["needs_calendar"]) == (
        "市交通运输局",
        "co",
        "2025-04-03",
        False,
    )
    assert (data["attachments"], data["replies"], data["commitments"]) == ([], [], [])
    assert data["available_actions"] == []  # nothing for the office until a unit moves


def test_available_actions_follow_the_workflow(world, users):
    unit = client(users["unit"]).get(f"{SUGGESTIONS}{world.joint.pk}/").data
    lead = client(users["lead"]).get(f"{SUGGESTIONS}{world.draft.pk}/").data

    assert unit["available_actions"] == [
        {"action": "acknowledge", "label": "签收", "assignment": world.lead.pk},
        {"action": "object", "label": "提出异议", "assignment": world.lead.pk},
        {"action": "reassign", "label": "转办下级单位", "assignment": world.lead.pk},
    ]
    assert [action["action"] for action in lead["available_actions"]] == [
        "edit",
        "attach",
        "invite_cosigners",
        "submit",
        "withdraw",
    ]


def test_filters_and_ordering(world, staff, lead_unit, other_unit):
    api = client(staff)

    def listed(**params) -> list[int]:
        return ids(api.get(SUGGESTIONS, params))

    assert listed(q="校园") == [world.other.pk]
    assert listed(q="2001") == [world.joint.pk]
    assert listed(q="wzj") == [world.joint.pk]  # 王自己: pinyin initials
    assert listed(q="huang") == [world.other.pk]  # 黄旁人: full pinyin
    assert listed(unit=lead_unit.pk) == [world.joint.pk]
    assert listed(unit=other_unit.pk) == [world.other.pk]
    assert listed(field=world.joint.field_id) == [world.joint.pk]
    assert listed(status="assigned", ordering="number") == [world.joint.pk, world.other.pk]
    assert listed(ordering="-number") == [world.other.pk, world.joint.pk]
    assert listed(year=2024) == []
    assert api.get(SUGGESTIONS, {"ordering": "nonsense"}).status_code == 400


# --- Suggestions: drafting, co-signing, review, assignment --------------------------------------------


def test_deputy_drafts_edits_and_attaches_through_the_api(deputy_user, own_mandate, urban_field):
    api = client(deputy_user)

    created = api.post(
        SUGGESTIONS, {"title": "关于优化公交线路的建议", "body": "增开夜班公交。"}, format="json"
    )

    assert created.status_code == 201
    suggestion = Suggestion.objects.get(pk=created.data["id"])
    assert (suggestion.lead_mandate, suggestion.status, suggestion.series) == (
        own_mandate,
        S.DRAFT,
        "between_sessions",
    )
    assert created.data["version"] == 1

    edited = api.patch(
        f"{SUGGESTIONS}{suggestion.pk}/",
        {"version": 1, "title": "关于优化夜间公交线路的建议", "field": urban_field.pk},
        format="json",
    )

    assert edited.status_code == 200
    assert (edited.data["title"], edited.data["field"]["name"], edited.data["version"]) == (
        "关于优化夜间公交线路的建议",
        "城建环境",
        2,
    )

    uploaded = api.post(
        f"{SUGGESTIONS}{suggestion.pk}/attachments/", {"file": pdf("调研报告.pdf")}, format="multipart"
    )

    assert uploaded.status_code == 201
    assert (uploaded.data["original_name"], uploaded.data["content_type"], uploaded.data["size"]) == (
        "调研报告.pdf",
        "application/pdf",
        len(PDF_BYTES),
    )
    removed = api.delete(f"{SUGGESTIONS}{suggestion.pk}/attachments/{uploaded.data['id']}/")

    assert removed.status_code == 204
    assert SuggestionAttachment.objects.count() == 0
    assert event_types(suggestion) == [
        "suggestion.created",
        "suggestion.updated",
        "suggestion.attachment_added",
        "suggestion.attachment_removed",
    ]


def test_attachment_of_a_wrong_type_is_refused(deputy_user, own_mandate):
    suggestion = draft(own_mandate)
    before = snapshot(suggestion)
    upload = SimpleUploadedFile("setup.exe", b"MZ\x90\x00", content_type="application/octet-stream")

    response = client(deputy_user).post(
        f"{SUGGESTIONS}{suggestion.pk}/attachments/", {"file": upload}, format="multipart"
    )

    assert response.status_code == 400
    assert response.data == {
        "detail": "只能上传 PDF、Word（doc、docx）或图片（jpg、png）文件。",
        "field": "file",
    }
    assert SuggestionAttachment.objects.count() == 0
    assert snapshot(suggestion) == before


def test_stale_version_is_a_conflict_and_changes_nothing(deputy_user, own_mandate):
    suggestion = draft(own_mandate)
    services.suggestion_update(
        suggestion=suggestion, expected_version=1, changes={"body": "另一处修改"}, actor=deputy_user
    )
    before = snapshot(suggestion)

    response = client(deputy_user).patch(
        f"{SUGGESTIONS}{suggestion.pk}/", {"version": 1, "title": "被覆盖的标题"}, format="json"
    )

    assert (response.status_code, response.data) == (409, STALE)
    suggestion.refresh_from_db()
    assert suggestion.title == "关于加快老旧小区加装电梯的建议"
    assert snapshot(suggestion) == before


def test_an_edit_without_the_version_is_refused(deputy_user, own_mandate):
    suggestion = draft(own_mandate)

    response = client(deputy_user).patch(f"{SUGGESTIONS}{suggestion.pk}/", {"title": "新标题"}, format="json")

    assert response.status_code == 400
    assert response.data == {"version": ["该字段是必填项。"]}


def test_a_deputy_cannot_mark_a_suggestion_hard(deputy_user, own_mandate):
    suggestion = draft(own_mandate)
    before = snapshot(suggestion)

    response = client(deputy_user).patch(
        f"{SUGGESTIONS}{suggestion.pk}/", {"version": 1, "is_hard": True}, format="json"
    )

    assert (response.status_code, response.data) == (400, {"detail": "不能修改这些字段：is_hard"})
    assert snapshot(suggestion) == before


def test_no_put_and_no_delete(deputy_user, own_mandate):
    suggestion = draft(own_mandate)
    api = client(deputy_user)

    assert (
        api.put(f"{SUGGESTIONS}{suggestion.pk}/", {"version": 1, "title": "x"}, format="json").status_code
        == 405
    )
    assert api.delete(f"{SUGGESTIONS}{suggestion.pk}/").status_code == 405
    assert Suggestion.objects.filter(pk=suggestion.pk, status=S.DRAFT).exists()


def test_joint_submission_waits_for_the_cosigners(deputy_user, own_mandate, cosigner_one, cosigner_two):
    suggestion = draft(own_mandate)
    lead = client(deputy_user)

    invited = lead.post(
        f"{SUGGESTIONS}{suggestion.pk}/invite_cosigners/",
        {"mandates": [cosigner_one.pk, cosigner_two.pk]},
        format="json",
    )
    assert invited.status_code == 200
    assert [(s["mandate"]["name"], s["status"]) for s in invited.data["signers"]] == [
        ("陈联一", "invited"),
        ("林联二", "invited"),
    ]

    submitted = lead.post(
        f"{SUGGESTIONS}{suggestion.pk}/submit/", {"version": invited.data["version"]}, format="json"
    )
    assert (submitted.status_code, submitted.data["status"]) == (200, "awaiting_cosigners")

    confirmed = client(cosigner_one.person.user).post(
        f"{SUGGESTIONS}{suggestion.pk}/respond/", {"confirm": True}, format="json"
    )
    declined = client(cosigner_two.person.user).post(
        f"{SUGGESTIONS}{suggestion.pk}/respond/", {"confirm": False}, format="json"
    )

    assert (confirmed.status_code, confirmed.data["status"]) == (200, "confirmed")
    assert (declined.status_code, declined.data["status"], declined.data["status_display"]) == (
        200,
        "declined",
        "已谢绝",
    )
    suggestion.refresh_from_db()
    assert suggestion.status == S.SUBMITTED  # the last answer sent it on to review
    assert event_types(suggestion) == [
        "suggestion.created",
        "suggestion.cosigners_invited",
        "suggestion.awaiting_cosigners",
        "suggestion.cosigner_confirmed",
        "suggestion.cosigner_declined",
        "suggestion.submitted",
    ]
    # A co-signer who declined no longer sees it.
    assert client(cosigner_two.person.user).get(f"{SUGGESTIONS}{suggestion.pk}/").status_code == 404


def test_withdraw_until_assigned(deputy_user, own_mandate):
    suggestion = submit(own_mandate)

    response = client(deputy_user).post(
        f"{SUGGESTIONS}{suggestion.pk}/withdraw/", {"reason": "已另行反映"}, format="json"
    )

    assert (response.status_code, response.data["status"]) == (200, "withdrawn")
    event = suggestion.events.get(type="suggestion.withdrawn")
    assert (event.from_status, event.to_status, event.reason) == (S.SUBMITTED, S.WITHDRAWN, "已另行反映")


def test_withdraw_after_assignment_is_an_illegal_transition(world, deputy_user):
    before = snapshot(world.joint)

    response = client(deputy_user).post(f"{SUGGESTIONS}{world.joint.pk}/withdraw/", {}, format="json")

    assert (response.status_code, response.data) == (400, {"detail": "该建议已交办，不能撤回。"})
    assert snapshot(world.joint) == before


@pytest.mark.parametrize(
    ("payload", "status_after", "event", "extra"),
    [
        (
            {"decision": "return", "reason": "请补充调研数据"},
            S.RETURNED_FOR_REVISION,
            "suggestion.returned",
            {},
        ),
        (
            {"decision": "reject", "rejection_reason": "advertising"},
            S.REJECTED,
            "suggestion.rejected",
            {"rejection_reason": "advertising", "rejection_reason_display": "宣传、推介产品或者单位"},
        ),
        ({"decision": "convert_to_letter"}, S.CONVERTED_TO_LETTER, "suggestion.converted_to_letter", {}),
    ],
)
def test_review_outcomes(own_mandate, staff, payload, status_after, event, extra):
    suggestion = submit(own_mandate)

    response = client(staff).post(f"{SUGGESTIONS}{suggestion.pk}/review/", payload, format="json")

    assert (response.status_code, response.data["status"]) == (200, status_after)
    for name, value in extra.items():
        assert response.data[name] == value
    assert event_types(suggestion)[-1] == event
    assert response.data["number_label"] == ""


def test_review_refusals_name_what_is_missing(own_mandate, staff):
    suggestion = submit(own_mandate)
    before = snapshot(suggestion)
    api = client(staff)

    no_field = api.post(f"{SUGGESTIONS}{suggestion.pk}/review/", {"decision": "accept"}, format="json")
    no_reason = api.post(f"{SUGGESTIONS}{suggestion.pk}/review/", {"decision": "reject"}, format="json")
    unknown = api.post(
        f"{SUGGESTIONS}{suggestion.pk}/review/",
        {"decision": "reject", "rejection_reason": "x"},
        format="json",
    )

    assert (no_field.status_code, no_field.data) == (
        400,
        {"detail": "立案前请为建议选择所属领域。", "field": "field"},
    )
    assert (no_reason.status_code, no_reason.data) == (
        400,
        {"detail": "请选择不予立案的理由。", "field": "rejection_reason"},
    )
    assert (unknown.status_code, unknown.data) == (400, {"rejection_reason": ["“x” 不是合法选项。"]})
    assert snapshot(suggestion) == before


def test_review_with_a_stale_version_is_a_conflict(own_mandate, staff, urban_field):
    suggestion = submit(own_mandate)
    before = snapshot(suggestion)

    response = client(staff).post(
        f"{SUGGESTIONS}{suggestion.pk}/review/",
        {"decision": "accept", "field": urban_field.pk, "version": suggestion.version - 1},
        format="json",
    )

    assert (response.status_code, response.data) == (409, STALE)
    assert snapshot(suggestion) == before


def test_accept_then_assign_split_and_merged(own_mandate, staff, urban_field, lead_unit, other_unit, co_unit):
    first = submit(own_mandate)
    second = submit(own_mandate, title="关于老旧小区加装电梯补助的建议")
    api = client(staff)
    group = str(uuid4())

    accepted = api.post(
        f"{SUGGESTIONS}{first.pk}/review/",
        {"decision": "accept", "field": urban_field.pk, "is_hard": True},
        format="json",
    )
    api.post(
        f"{SUGGESTIONS}{second.pk}/review/", {"decision": "accept", "field": urban_field.pk}, format="json"
    )
    split = {"split_units": [lead_unit.pk, other_unit.pk], "merge_group": group, "on": "2025-03-05"}
    first_assigned = api.post(f"{SUGGESTIONS}{first.pk}/assign/", split, format="json")
    second_assigned = api.post(f"{SUGGESTIONS}{second.pk}/assign/", split, format="json")

    assert (accepted.data["status"], accepted.data["number_label"], accepted.data["is_hard"]) == (
        "accepted",
        "〔2025〕第2001号",
        True,
    )
    assert first_assigned.status_code == second_assigned.status_code == 200
    assert [
        (a["unit"]["name"], a["role"], a["merge_group"], a["reply_due"])
        for a in first_assigned.data["assignments"]
    ] == [
        ("市住房和城乡建设局", "split", group, "2025-09-05"),  # hard: six months
        ("市教育局", "split", group, "2025-09-05"),
    ]
    assert [a["reply_due"] for a in second_assigned.data["assignments"]] == ["2025-06-05", "2025-06-05"]
    assert event_types(first)[-2:] == ["suggestion.accepted", "suggestion.assigned"]

    third = accept(own_mandate, staff, field=urban_field, title="关于加装电梯后续管理的建议")
    before = snapshot(third)
    refused = api.post(
        f"{SUGGESTIONS}{third.pk}/assign/", {"lead": co_unit.pk, "merge_group": group}, format="json"
    )
    assert (refused.status_code, refused.data) == (400, {"detail": "并案办理的建议须交办给相同的承办单位。"})
    assert snapshot(third) == before


@pytest.mark.parametrize("role", ROLES)
def test_only_the_office_reviews(users, role, own_mandate, cosigner_one, urban_field, committee):
    committee.fields.add(urban_field)
    suggestion = submit(own_mandate, cosigners=[cosigner_one])
    Suggestion.objects.filter(pk=suggestion.pk).update(field=urban_field)  # the committee's field
    before = snapshot(suggestion)

    response = client(users[role]).post(
        f"{SUGGESTIONS}{suggestion.pk}/review/",
        {"decision": "accept", "field": urban_field.pk},
        format="json",
    )

    expected = {
        "anonymous": (403, ANONYMOUS),
        "other_deputy": (404, NOT_VISIBLE),
        "unit": (404, NOT_VISIBLE),  # not assigned to it (yet)
        "other_unit": (404, NOT_VISIBLE),
    }.get(role, (403, OFFICE_ONLY))
    if role == "staff":
        assert (response.status_code, response.data["status"]) == (200, "accepted")
        return
    assert (response.status_code, response.data) == expected
    assert snapshot(suggestion) == before


def test_office_enters_and_submits_a_paper_suggestion(staff, gulou_mandate):
    api = client(staff)

    created = api.post(
        SUGGESTIONS,
        {"mandate": gulou_mandate.pk, "title": "关于增设口袋公园的建议", "body": "见附件。"},
        format="json",
    )

    assert created.status_code == 201
    assert (created.data["lead_deputy"]["name"], created.data["status"]) == ("李鼓楼", "draft")
    suggestion = Suggestion.objects.get(pk=created.data["id"])
    assert suggestion.created_by == staff


def test_deputy_cannot_draft_in_another_deputys_name(deputy_user, own_mandate, gulou_mandate):
    response = client(deputy_user).post(
        SUGGESTIONS, {"mandate": gulou_mandate.pk, "title": "冒名建议"}, format="json"
    )

    assert (response.status_code, response.data) == (403, {"detail": "您只能以本人的代表身份提出建议。"})
    assert Suggestion.objects.count() == 0


# --- Bulk assignment -------------------------------------------------------------------------------------


def test_bulk_assignment_of_500_through_the_api(
    staff, congress, term, gulou_mandate, urban_field, lead_unit, co_unit
):
    suggestions = SuggestionFactory.create_batch(
        500, congress=congress, term=term, lead_mandate=gulou_mandate, accepted=True, field=urban_field
    )
    plans = [{"suggestion": s.pk, "lead": lead_unit.pk, "co_units": [co_unit.pk]} for s in suggestions]

    response = client(staff).post(
        f"{SUGGESTIONS}assign_bulk/", {"plans": plans, "on": "2025-03-03"}, format="json"
    )

    assert response.status_code == 201
    assert response.data["suggestions"] == 500
    assert len(response.data["assignments"]) == 1000
    assert Suggestion.objects.filter(status=S.ASSIGNED).count() == 500
    assert set(Assignment.objects.values_list("reply_due", flat=True)) == {date(2025, 6, 3)}
    assert SuggestionEvent.objects.filter(type="suggestion.assigned").count() == 500


def test_bulk_assignment_is_all_or_nothing(staff, congress, term, gulou_mandate, urban_field, lead_unit):
    suggestions = SuggestionFactory.create_batch(
        500, congress=congress, term=term, lead_mandate=gulou_mandate, accepted=True, field=urban_field
    )
    not_accepted = suggestions[321]
    Suggestion.objects.filter(pk=not_accepted.pk).update(
        status=S.SUBMITTED, number=None, year=None, number_label=""
    )
    plans = [{"suggestion": s.pk, "lead": lead_unit.pk} for s in suggestions]

    response = client(staff).post(f"{SUGGESTIONS}assign_bulk/", {"plans": plans}, format="json")

    assert response.status_code == 400
    assert response.data["detail"] == (
        f"以下建议不能交办，本次全部未交办：第322条“{not_accepted.title}”：该建议尚未立案，不能交办。"
    )
    assert Assignment.objects.count() == 0
    assert Suggestion.objects.filter(status=S.ACCEPTED).count() == 499
    assert SuggestionEvent.objects.count() == 0


def test_bulk_assignment_names_suggestions_and_units_not_found(world, staff, lead_unit):
    accepted = accept(
        world.joint.lead_mandate, staff, field=world.joint.field, title="关于整治占道经营的建议"
    )
    plans = [
        {"suggestion": accepted.pk, "lead": lead_unit.pk},
        {"suggestion": 999999, "lead": lead_unit.pk},
        {"suggestion": world.draft.pk, "lead": 888888},
    ]

    response = client(staff).post(f"{SUGGESTIONS}assign_bulk/", {"plans": plans}, format="json")

    assert response.status_code == 400
    assert response.data == {
        "detail": "以下建议不能交办，本次全部未交办：第2条：未找到建议（999999）。；第3条：未找到建议（"
        f"{world.draft.pk}）。；第3条：未找到承办单位（888888）。",
        "field": "plans",
    }
    accepted.refresh_from_db()
    assert accepted.status == S.ACCEPTED


@pytest.mark.parametrize("role", ["lead", "unit", "county", "committee", "leader"])
def test_bulk_assignment_is_the_offices(users, role, staff, own_mandate, urban_field, lead_unit):
    accepted = accept(own_mandate, staff, field=urban_field)

    response = client(users[role]).post(
        f"{SUGGESTIONS}assign_bulk/",
        {"plans": [{"suggestion": accepted.pk, "lead": lead_unit.pk}]},
        format="json",
    )

    assert (response.status_code, response.data) == (403, OFFICE_ONLY)
    assert Assignment.objects.count() == 0


# --- The units' work --------------------------------------------------------------------------------------

WORK_LIST = {"unit": ["lead"], "other_unit": ["other_assignment"]}


@pytest.mark.parametrize("role", ROLES)
def test_work_list_is_the_units_own(world, users, role):
    response = client(users[role]).get(ASSIGNMENTS)

    if role == "anonymous":
        assert (response.status_code, response.data) == (403, ANONYMOUS)
        return
    assert response.status_code == 200
    assert ids(response) == [getattr(world, name).pk for name in WORK_LIST.get(role, [])]


def test_office_reads_a_named_units_work_list(world, staff, lead_unit, co_unit):
    api = client(staff)

    assert ids(api.get(ASSIGNMENTS, {"unit": lead_unit.pk})) == [world.lead.pk]
    assert ids(api.get(ASSIGNMENTS, {"unit": co_unit.pk})) == [world.co.pk]
    assert api.get(ASSIGNMENTS, {"unit": 999999}).status_code == 400


def test_work_list_filters(world, unit_user, co_unit_user):
    api = client(unit_user)
    services.assignment_acknowledge(assignment=world.co, actor=co_unit_user)

    assert ids(api.get(ASSIGNMENTS, {"status": "assigned"})) == [world.lead.pk]
    assert ids(api.get(ASSIGNMENTS, {"status": "acknowledged"})) == []
    assert ids(api.get(ASSIGNMENTS, {"role": "lead", "due_before": "2025-06-03"})) == [world.lead.pk]
    assert ids(api.get(ASSIGNMENTS, {"due_after": "2025-06-04"})) == []
    assert ids(api.get(ASSIGNMENTS, {"overdue": "true"})) == []
    assert ids(api.get(ASSIGNMENTS, {"needs_calendar": "false", "ordering": "-reply_due"})) == [world.lead.pk]
    with time_machine.travel(at(2025, 6, 4), tick=True):
        assert ids(api.get(ASSIGNMENTS, {"overdue": "true"})) == [world.lead.pk]
    assert ids(client(co_unit_user).get(ASSIGNMENTS, {"status": "acknowledged"})) == [world.co.pk]


ASSIGNMENT_DETAIL_STATUS = {"anonymous": 403, "unit": 200, "staff": 200}


@pytest.mark.parametrize("role", ROLES)
def test_assignment_detail_is_404_outside_the_unit(world, users, role):
    response = client(users[role]).get(f"{ASSIGNMENTS}{world.lead.pk}/")

    assert response.status_code == ASSIGNMENT_DETAIL_STATUS.get(role, 404)
    if response.status_code == 200:
        assert (response.data["id"], response.data["suggestion"]["number_label"]) == (
            world.lead.pk,
            "〔2025〕第2001号",
        )
    elif response.status_code == 404:
        assert response.data == ASSIGNMENT_NOT_VISIBLE


@pytest.mark.parametrize("role", [*ROLES, "co_unit"])
def test_only_the_assigned_unit_acknowledges(world, users, role, co_unit_user):
    user = co_unit_user if role == "co_unit" else users[role]
    before = snapshot(world.joint)

    response = client(user).post(f"{ASSIGNMENTS}{world.lead.pk}/acknowledge/", {}, format="json")

    if role == "unit":
        assert (response.status_code, response.data["status"]) == (200, "acknowledged")
        world.joint.refresh_from_db()
        assert world.joint.status == S.HANDLING
        assert event_types(world.joint)[-1] == "assignment.acknowledged"
        return
    expected = {"anonymous": (403, ANONYMOUS), "staff": (403, NOT_YOUR_UNIT)}.get(
        role, (404, ASSIGNMENT_NOT_VISIBLE)
    )
    assert (response.status_code, response.data) == expected
    assert snapshot(world.joint) == before


def test_acknowledging_twice_is_refused(world, unit_user):
    api = client(unit_user)
    api.post(f"{ASSIGNMENTS}{world.lead.pk}/acknowledge/", {}, format="json")
    before = snapshot(world.joint)

    response = api.post(f"{ASSIGNMENTS}{world.lead.pk}/acknowledge/", {}, format="json")

    assert (response.status_code, response.data) == (400, {"detail": "该建议已签收。"})
    assert snapshot(world.joint) == before


def test_objection_after_the_window_is_refused(world, unit_user):
    before = snapshot(world.joint)

    # Assigned on Monday 2025-03-03: seven working days end on Wednesday 2025-03-12.
    with time_machine.travel(at(2025, 3, 13), tick=True):
        response = client(unit_user).post(
            f"{ASSIGNMENTS}{world.lead.pk}/object/", {"reason": "不属于我局职责"}, format="json"
        )

    assert (response.status_code, response.data) == (400, {"detail": "已超过异议期限，不能再提出异议。"})
    assert Objection.objects.count() == 0
    assert snapshot(world.joint) == before


def test_upheld_objection_moves_the_suggestion_to_another_unit(
    world, unit_user, staff, other_unit, other_unit_user
):
    with time_machine.travel(at(2025, 3, 12), tick=True):  # the last day of the window
        objected = client(unit_user).post(
            f"{ASSIGNMENTS}{world.lead.pk}/object/", {"reason": "属于教育局职责"}, format="json"
        )
        decided = client(staff).post(
            f"{OBJECTIONS}{objected.data['id']}/decide/",
            {"uphold": True, "new_unit": other_unit.pk, "note": "同意"},
            format="json",
        )

    assert objected.status_code == 201
    assert (objected.data["status"], objected.data["status_before"], objected.data["unit"]["name"]) == (
        "pending",
        "assigned",
        "市住房和城乡建设局",
    )

    assert decided.status_code == 200
    assert (decided.data["status"], decided.data["decision_note"]) == ("upheld", "同意")
    replacement = Assignment.objects.get(pk=decided.data["new_assignment"])
    assert (replacement.unit, replacement.role, replacement.status) == (
        other_unit,
        AssignmentRole.LEAD,
        A.ASSIGNED,
    )
    # Fresh deadlines from the re-assignment on 2025-03-12.
    assert (replacement.reply_due, replacement.objection_deadline) == (date(2025, 6, 12), date(2025, 3, 21))
    world.lead.refresh_from_db()
    assert world.lead.status == A.CANCELLED
    # The unit no longer sees it; the new unit does.
    assert client(unit_user).get(f"{SUGGESTIONS}{world.joint.pk}/").status_code == 404
    assert replacement.pk in ids(client(other_unit_user).get(ASSIGNMENTS))
    assert event_types(world.joint)[-2:] == ["assignment.objected", "objection.upheld"]


def test_rejected_objection_needs_a_note(world, unit_user, staff):
    objection = services.assignment_object(assignment=world.lead, reason="工作量过大", actor=unit_user)
    api = client(staff)
    before = snapshot(world.joint)

    no_note = api.post(f"{OBJECTIONS}{objection.pk}/decide/", {"uphold": False}, format="json")

    assert (no_note.status_code, no_note.data) == (
        400,
        {"detail": "请说明异议不成立的理由。", "field": "note"},
    )
    assert snapshot(world.joint) == before

    decided = api.post(
        f"{OBJECTIONS}{objection.pk}/decide/", {"uphold": False, "note": "职责明确"}, format="json"
    )

    assert (decided.status_code, decided.data["status"]) == (200, "rejected")
    world.lead.refresh_from_db()
    assert world.lead.status == A.ACKNOWLEDGED
    assert event_types(world.joint)[-1] == "objection.rejected"


OBJECTION_NOT_VISIBLE = (404, {"detail": "未找到该交办异议，或您无权查看。"})
# An objection stays between the office and the units concerned (docs/visibility.md): the deputies,
# the county and the committee do not even see it.
DECIDE_EXPECTED = {
    "anonymous": (403, ANONYMOUS),
    **dict.fromkeys(
        ("lead", "cosigner", "other_deputy", "other_unit", "county", "committee"), OBJECTION_NOT_VISIBLE
    ),
}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_office_decides_objections(world, users, role, unit_user):
    objection = services.assignment_object(assignment=world.lead, reason="工作量过大", actor=unit_user)
    before = snapshot(world.joint)

    response = client(users[role]).post(
        f"{OBJECTIONS}{objection.pk}/decide/", {"uphold": False, "note": "职责明确"}, format="json"
    )

    if role == "staff":
        assert (response.status_code, response.data["status"]) == (200, "rejected")
        return
    assert (response.status_code, response.data) == DECIDE_EXPECTED.get(role, (403, OFFICE_ONLY))
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING
    assert snapshot(world.joint) == before


def test_two_level_reassignment(
    own_mandate,
    staff,
    urban_field,
    government,
    sub_department,
    government_user,
    sub_department_user,
    lead_unit,
):
    suggestion, [assignment] = assign(own_mandate, staff, field=urban_field, lead=government)

    refused = client(government_user).post(
        f"{ASSIGNMENTS}{assignment.pk}/reassign/", {"sub_unit": lead_unit.pk}, format="json"
    )
    assert (refused.status_code, refused.data) == (
        400,
        {"detail": "只能转办给本单位的下级单位。", "field": "sub_unit"},
    )

    response = client(government_user).post(
        f"{ASSIGNMENTS}{assignment.pk}/reassign/", {"sub_unit": sub_department.pk}, format="json"
    )

    assert response.status_code == 201
    assert (
        response.data["unit"]["name"],
        response.data["parent"],
        response.data["reply_due"],
        response.data["status"],
    ) == (
        "市城市管理委员会",
        assignment.pk,
        "2025-06-05",
        "assigned",
    )
    assignment.refresh_from_db()
    assert assignment.status == A.REASSIGNED
    work = client(sub_department_user).get(ASSIGNMENTS).data["results"]
    assert [(row["id"], row["parent_unit"]["name"]) for row in work] == [(response.data["id"], "市人民政府")]
    assert event_types(suggestion)[-1] == "assignment.reassigned"


def test_co_unit_gives_input_and_the_lead_unit_cannot(world, unit_user, co_unit_user):
    client(co_unit_user).post(f"{ASSIGNMENTS}{world.co.pk}/acknowledge/", {}, format="json")
    client(unit_user).post(f"{ASSIGNMENTS}{world.lead.pk}/acknowledge/", {}, format="json")
    before = snapshot(world.joint)

    refused = client(unit_user).post(f"{ASSIGNMENTS}{world.lead.pk}/input/", {"text": "意见"}, format="json")
    assert (refused.status_code, refused.data) == (400, {"detail": "只有协办单位需要提交协办意见。"})
    assert snapshot(world.joint) == before

    response = client(co_unit_user).post(
        f"{ASSIGNMENTS}{world.co.pk}/input/", {"text": "配合做好管线迁改。"}, format="json"
    )

    assert (response.status_code, response.data["status"], response.data["input_text"]) == (
        200,
        "input_submitted",
        "配合做好管线迁改。",
    )
    assert event_types(world.joint)[-1] == "assignment.input_submitted"


def test_contacts_and_promises_are_logged(world, unit_user, own_mandate, other_deputy, staff):
    api = client(unit_user)
    api.post(f"{ASSIGNMENTS}{world.lead.pk}/acknowledge/", {}, format="json")
    contact = {"contacted_on": "2025-03-04", "stage": "before", "method": "visit", "note": "上门听取意见"}

    stranger = api.post(
        f"{ASSIGNMENTS}{world.lead.pk}/contacts/", {**contact, "deputy": other_deputy.pk}, format="json"
    )
    logged = api.post(
        f"{ASSIGNMENTS}{world.lead.pk}/contacts/", {**contact, "deputy": own_mandate.pk}, format="json"
    )
    promised = api.post(
        f"{ASSIGNMENTS}{world.lead.pk}/commitments/",
        {"text": "年内完成5个小区加装电梯", "due_date": "2025-12-31"},
        format="json",
    )

    assert (stranger.status_code, stranger.data) == (
        400,
        {"detail": "只能记录与本建议领衔代表或联名代表的沟通。", "field": "deputy"},
    )
    assert logged.status_code == 201
    assert (logged.data["deputy"]["name"], logged.data["stage_display"], logged.data["method_display"]) == (
        "王自己",
        "办前",
        "走访",
    )
    assert promised.status_code == 201
    assert (promised.data["status"], promised.data["due_date"], promised.data["unit"]["name"]) == (
        "open",
        "2025-12-31",
        "市住房和城乡建设局",
    )
    assert [row["id"] for row in api.get(f"{ASSIGNMENTS}{world.lead.pk}/contacts/").data] == [
        logged.data["id"]
    ]
    assert [row["id"] for row in client(staff).get(f"{ASSIGNMENTS}{world.lead.pk}/commitments/").data] == [
        promised.data["id"]
    ]
    assert client(unit_user).get(f"{ASSIGNMENTS}{world.lead.pk}/").data["open_commitments"] == 1
    assert Contact.objects.count() == 1
    assert event_types(world.joint)[-2:] == ["contact.logged", "commitment.recorded"]


KEEP_EXPECTED = {
    "anonymous": (403, ANONYMOUS),
    "other_deputy": (404, {"detail": "未找到该承诺事项，或您无权查看。"}),
    "other_unit": (404, {"detail": "未找到该承诺事项，或您无权查看。"}),
}


@pytest.mark.parametrize("role", ROLES)
def test_the_unit_or_the_office_marks_a_promise_kept(world, users, role, unit_user):
    services.assignment_acknowledge(assignment=world.lead, actor=unit_user)
    commitment = services.commitment_record(
        assignment=world.lead, text="年内完成5个小区加装电梯", due_date=date(2025, 12, 31), actor=unit_user
    )
    before = snapshot(world.joint)

    response = client(users[role]).post(
        f"{COMMITMENTS}{commitment.pk}/keep/", {"evidence": "5个小区电梯已投用"}, format="json"
    )

    commitment.refresh_from_db()
    if role in ("unit", "staff"):
        assert (response.status_code, response.data["status"], response.data["evidence"]) == (
            200,
            "kept",
            "5个小区电梯已投用",
        )
        assert commitment.status == CommitmentStatus.KEPT
        assert event_types(world.joint)[-1] == "commitment.kept"
        return
    assert (response.status_code, response.data) == KEEP_EXPECTED.get(role, (403, NOT_YOUR_UNIT))
    assert commitment.status == CommitmentStatus.OPEN
    assert snapshot(world.joint) == before


# --- Replies, the second review, evaluations ----------------------------------------------------------------


def test_reply_drafts_are_the_units_until_released(world, users, unit_user, staff, own_mandate):
    services.assignment_acknowledge(assignment=world.lead, actor=unit_user)
    api = client(unit_user)

    drafted = api.post(
        f"{ASSIGNMENTS}{world.lead.pk}/draft_reply/",
        {"body": "经研究，已列入今年计划。", "result_class": "B", "signed_by": "张局长", "letter": pdf()},
        format="multipart",
    )

    assert drafted.status_code == 200
    assert (
        drafted.data["status"],
        drafted.data["kind"],
        drafted.data["has_letter"],
        drafted.data["version"],
    ) == (
        "draft",
        "answer",
        True,
        1,
    )

    def replies_seen(role) -> list[int]:
        return [r["id"] for r in client(users[role]).get(f"{SUGGESTIONS}{world.joint.pk}/").data["replies"]]

    # A draft is the unit's own until it submits it (docs/visibility.md), as on the page.
    assert (replies_seen("unit"), replies_seen("staff"), replies_seen("lead")) == (
        [drafted.data["id"]],
        [],
        [],
    )

    submitted = api.post(
        f"{ASSIGNMENTS}{world.lead.pk}/submit_reply/",
        {"no_contact_reason": "unreachable", "no_contact_note": "电话未接通。"},
        format="json",
    )

    assert (submitted.status_code, submitted.data["status"]) == (200, "submitted")
    assert [r["mandate"]["name"] for r in submitted.data["recipients"]] == ["王自己", "陈联一"]
    assert replies_seen("lead") == []
    assert ids(client(staff).get(REPLIES, {"status": "submitted"})) == [drafted.data["id"]]

    released_ = client(staff).post(
        f"{REPLIES}{drafted.data['id']}/review/", {"decision": "release"}, format="json"
    )

    assert (released_.status_code, released_.data["status"]) == (200, "released")
    # 20 working days from Wednesday 2025-03-05.
    assert [(r["is_lead"], r["evaluation_due"], r["evaluation"]) for r in released_.data["recipients"]] == [
        (True, "2025-04-02", None),
        (False, "2025-04-02", None),
    ]
    assert replies_seen("lead") == replies_seen("cosigner") == replies_seen("county") == [drafted.data["id"]]
    world.joint.refresh_from_db()
    assert (world.joint.status, world.joint.follow_up_required) == (S.REPLIED, True)
    assert event_types(world.joint)[-3:] == ["assignment.acknowledged", "reply.submitted", "reply.released"]


def test_an_incomplete_reply_is_not_submitted(world, unit_user):
    services.assignment_acknowledge(assignment=world.lead, actor=unit_user)
    api = client(unit_user)
    api.post(
        f"{ASSIGNMENTS}{world.lead.pk}/draft_reply/",
        {"body": "经研究，已列入今年计划。", "result_class": "B"},
        format="multipart",
    )
    before = snapshot(world.joint)

    response = api.post(f"{ASSIGNMENTS}{world.lead.pk}/submit_reply/", {}, format="json")

    assert (response.status_code, response.data) == (
        400,
        {"detail": "请填写签发答复函的单位负责人。", "field": "signed_by"},
    )
    assert Reply.objects.get().status == ReplyStatus.DRAFT
    assert snapshot(world.joint) == before


def test_the_office_returns_a_reply_with_a_reason(world, unit_user, staff):
    submitted = reply(world.lead, unit_user)
    api = client(staff)
    before = snapshot(world.joint)

    no_reason = api.post(f"{REPLIES}{submitted.pk}/review/", {"decision": "return"}, format="json")
    assert no_reason.status_code == 400
    assert no_reason.data["detail"] == "退回答复须说明理由，如未与代表沟通、办理结果分类与答复内容不符。"
    assert snapshot(world.joint) == before

    returned = api.post(
        f"{REPLIES}{submitted.pk}/review/", {"decision": "return", "reason": "未与代表沟通"}, format="json"
    )

    assert (returned.status_code, returned.data["status"], returned.data["return_reason"]) == (
        200,
        "returned",
        "未与代表沟通",
    )
    world.lead.refresh_from_db()
    assert world.lead.status == A.ACKNOWLEDGED
    assert event_types(world.joint)[-1] == "reply.returned"


REVIEW_EXPECTED = {
    "anonymous": (403, ANONYMOUS),
    "unit": (403, OFFICE_ONLY),
}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_office_releases_replies(world, users, role, unit_user):
    submitted = reply(world.lead, unit_user)
    before = snapshot(world.joint)

    response = client(users[role]).post(
        f"{REPLIES}{submitted.pk}/review/", {"decision": "release"}, format="json"
    )

    if role == "staff":
        assert (response.status_code, response.data["status"]) == (200, "released")
        return
    # Before release a reply is the unit's and the office's: nobody else learns it exists.
    expected = REVIEW_EXPECTED.get(role, (404, {"detail": "未找到该答复，或您无权查看。"}))
    assert (response.status_code, response.data) == expected
    submitted.refresh_from_db()
    assert submitted.status == ReplyStatus.SUBMITTED
    assert snapshot(world.joint) == before


EVALUATE_EXPECTED = {
    "anonymous": (403, ANONYMOUS),
    "other_deputy": (404, {"detail": "未找到该答复对象，或您无权查看。"}),
    "other_unit": (404, {"detail": "未找到该答复对象，或您无权查看。"}),
}


@pytest.mark.parametrize("role", ROLES)
def test_a_deputy_evaluates_only_its_own_reply(world, users, role, unit_user, staff, own_mandate):
    out = released(world.lead, unit_user, staff)
    lead_recipient = out.recipients.get(mandate=own_mandate)
    before = snapshot(world.joint)
    rating = {
        "satisfaction": "satisfied",
        "process_rating": "satisfied",
        "result_rating": "basically_satisfied",
    }

    response = client(users[role]).post(f"{RECIPIENTS}{lead_recipient.pk}/evaluate/", rating, format="json")

    if role == "lead":
        assert response.status_code == 201
        assert (response.data["satisfaction_display"], response.data["result_rating_display"]) == (
            "满意",
            "基本满意",
        )
        assert event_types(world.joint)[-1] == "reply.evaluated"
        return
    # A co-signer, a unit or the office sees the reply but may not rate the lead deputy's copy.
    assert (response.status_code, response.data) == EVALUATE_EXPECTED.get(role, (403, NOT_YOUR_REPLY))
    assert Evaluation.objects.count() == 0
    assert snapshot(world.joint) == before


def test_evaluation_after_the_window_is_refused(world, unit_user, staff, deputy_user, own_mandate):
    out = released(world.lead, unit_user, staff)
    recipient = out.recipients.get(mandate=own_mandate)
    before = snapshot(world.joint)
    rating = {"satisfaction": "satisfied", "process_rating": "satisfied", "result_rating": "satisfied"}

    with time_machine.travel(at(2025, 4, 3), tick=True):
        response = client(deputy_user).post(f"{RECIPIENTS}{recipient.pk}/evaluate/", rating, format="json")

    assert (response.status_code, response.data) == (
        400,
        {"detail": "已超过评价期限（2025-04-02），不能再评价。"},
    )
    assert Evaluation.objects.count() == 0
    assert snapshot(world.joint) == before


def test_closing_waits_for_the_evaluations(world, unit_user, staff):
    released(world.lead, unit_user, staff)
    before = snapshot(world.joint)

    response = client(staff).post(f"{SUGGESTIONS}{world.joint.pk}/close/", {}, format="json")

    assert (response.status_code, response.data) == (
        400,
        {"detail": "尚有代表未评价答复，评价期限届满前不能办结。"},
    )
    assert snapshot(world.joint) == before


# --- The whole life through the API --------------------------------------------------------------------------


def test_the_whole_life_of_a_joint_suggestion_through_the_api(
    deputy_user, own_mandate, cosigner_one, cosigner_two, staff, urban_field, lead_unit, co_unit, unit_user, co_unit_user
):  # fmt: skip
    """Issue 3's acceptance chain, every step an API call: submitted with two co-signers → accepted →
    assigned to a lead and a co-unit → received, input, contact, promise, reply B → released →
    不满意 → re-handling → second reply → 满意 → promise kept → closed → follow-up reply."""
    lead_api, staff_api, unit_api, co_api = (client(u) for u in (deputy_user, staff, unit_user, co_unit_user))
    cosigner_apis = [client(cosigner_one.person.user), client(cosigner_two.person.user)]
    rating = {"process_rating": "satisfied", "result_rating": "satisfied"}

    def ok(response, code=200):
        assert response.status_code == code, response.data
        return response.data

    pk = ok(
        lead_api.post(
            SUGGESTIONS,
            {"title": "关于加快老旧小区加装电梯的建议", "body": "简化审批、加大补助。"},
            format="json",
        ),
        201,
    )["id"]
    url = f"{SUGGESTIONS}{pk}/"
    ok(
        lead_api.post(
            f"{url}invite_cosigners/", {"mandates": [cosigner_one.pk, cosigner_two.pk]}, format="json"
        )
    )
    ok(lead_api.post(f"{url}submit/", {}, format="json"))
    for api in cosigner_apis:
        ok(api.post(f"{url}respond/", {"confirm": True}, format="json"))
    assert ok(staff_api.get(url))["status"] == "submitted"
    accepted = ok(
        staff_api.post(f"{url}review/", {"decision": "accept", "field": urban_field.pk}, format="json")
    )
    assert accepted["number_label"] == "〔2025〕第2001号"
    assigned = ok(
        staff_api.post(f"{url}assign/", {"lead": lead_unit.pk, "co_units": [co_unit.pk]}, format="json")
    )
    lead_id, co_id = (a["id"] for a in assigned["assignments"])
    assert [a["reply_due"] for a in assigned["assignments"]] == ["2025-06-05", "2025-06-05"]

    ok(co_api.post(f"{ASSIGNMENTS}{co_id}/acknowledge/", {}, format="json"))
    ok(co_api.post(f"{ASSIGNMENTS}{co_id}/input/", {"text": "配合做好管线迁改。"}, format="json"))
    ok(unit_api.post(f"{ASSIGNMENTS}{lead_id}/acknowledge/", {}, format="json"))
    commitment_id = ok(
        unit_api.post(
            f"{ASSIGNMENTS}{lead_id}/commitments/",
            {"text": "年内完成5个小区加装电梯", "due_date": "2025-12-31"},
            format="json",
        ),
        201,
    )["id"]
    contact = {"deputy": own_mandate.pk, "contacted_on": "2025-03-05", "stage": "before", "method": "phone"}
    ok(unit_api.post(f"{ASSIGNMENTS}{lead_id}/contacts/", contact, format="json"), 201)
    letter = {"body": "经研究，已列入今年计划。", "result_class": "B", "signed_by": "张局长"}
    first_id = ok(
        unit_api.post(f"{ASSIGNMENTS}{lead_id}/draft_reply/", {**letter, "letter": pdf()}, format="multipart")
    )["id"]
    ok(unit_api.post(f"{ASSIGNMENTS}{lead_id}/submit_reply/", {}, format="json"))
    first = ok(staff_api.post(f"{REPLIES}{first_id}/review/", {"decision": "release"}, format="json"))
    recipients = {r["mandate"]["name"]: r["id"] for r in first["recipients"]}
    assert list(recipients) == ["王自己", "陈联一", "林联二"]
    assert ok(lead_api.get(url))["follow_up_required"] is True

    ok(
        lead_api.post(
            f"{RECIPIENTS}{recipients['王自己']}/evaluate/",
            {
                "satisfaction": "dissatisfied",
                "comment": "未回应补助标准",
                "process_rating": "dissatisfied",
                "result_rating": "dissatisfied",
            },
            format="json",
        ),
        201,
    )
    ok(
        cosigner_apis[0].post(
            f"{RECIPIENTS}{recipients['陈联一']}/evaluate/",
            {"satisfaction": "satisfied", **rating},
            format="json",
        ),
        201,
    )
    work = ok(unit_api.get(f"{ASSIGNMENTS}{lead_id}/"))
    assert (work["status"], work["rehandling_due"], work["dissatisfied_count"]) == (
        "rehandling",
        "2025-04-05",
        1,
    )
    assert ok(lead_api.get(url))["status"] == "rehandling"

    ok(
        unit_api.post(
            f"{ASSIGNMENTS}{lead_id}/contacts/",
            {**contact, "stage": "during", "method": "visit"},
            format="json",
        ),
        201,
    )
    second = ok(
        unit_api.post(
            f"{ASSIGNMENTS}{lead_id}/draft_reply/",
            {**letter, "result_class": "B", "body": "补助标准已明确。", "letter": pdf()},
            format="multipart",
        )
    )
    assert second["kind"] == "rehandling"
    ok(unit_api.post(f"{ASSIGNMENTS}{lead_id}/submit_reply/", {}, format="json"))
    second = ok(staff_api.post(f"{REPLIES}{second['id']}/review/", {"decision": "release"}, format="json"))
    for name, api in zip(["王自己", "陈联一", "林联二"], [lead_api, *cosigner_apis], strict=True):
        recipient = next(r["id"] for r in second["recipients"] if r["mandate"]["name"] == name)
        ok(
            api.post(
                f"{RECIPIENTS}{recipient}/evaluate/", {"satisfaction": "satisfied", **rating}, format="json"
            ),
            201,
        )
    ok(unit_api.post(f"{COMMITMENTS}{commitment_id}/keep/", {"evidence": "5个小区电梯已投用"}, format="json"))
    closed = ok(staff_api.post(f"{url}close/", {}, format="json"))
    assert (closed["status"], closed["follow_up_required"]) == ("closed", True)

    follow_up = ok(
        unit_api.post(
            f"{ASSIGNMENTS}{lead_id}/follow_up_reply/",
            {**letter, "result_class": "A", "body": "已全部完成。", "letter": pdf()},
            format="multipart",
        ),
        201,
    )
    assert (follow_up["kind"], follow_up["status"]) == ("follow_up", "released")

    detail = ok(lead_api.get(url))
    assert (detail["status"], detail["follow_up_required"]) == ("closed", False)
    assert [(r["kind"], r["result_class"]) for r in detail["replies"]] == [
        ("answer", "B"),
        ("rehandling", "B"),
        ("follow_up", "A"),
    ]
    assert [c["status"] for c in detail["commitments"]] == ["kept"]
    assert detail["available_actions"] == []
    history = ok(lead_api.get(f"{url}events/"))
    assert [event["type"] for event in history] == [
        "suggestion.created",
        "suggestion.cosigners_invited",
        "suggestion.awaiting_cosigners",
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
        "reply.follow_up",
    ]
    assert (history[6]["actor"]["name"], history[6]["to_status_display"]) == (str(staff), "已立案待交办")
    assert SuggestionSigner.objects.filter(suggestion_id=pk, status=SignerStatus.CONFIRMED).count() == 2


# --- Rules per congress -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everybody_signed_in_reads_the_rules_and_only_the_office_changes_them(users, role, congress):
    api = client(users[role])

    read = api.get(f"{RULES}{congress.pk}/")
    changed = api.patch(f"{RULES}{congress.pk}/", {"objection_working_days": 10}, format="json")

    if role == "anonymous":
        assert (read.status_code, read.data) == (403, ANONYMOUS)
        assert (changed.status_code, changed.data) == (403, ANONYMOUS)
        assert SuggestionRules.objects.count() == 0
        return
    assert read.status_code == 200
    assert (read.data["is_default"], read.data["objection_working_days"], read.data["reply_months"]) == (
        True,
        7,
        3,
    )
    if role == "staff":
        assert (changed.status_code, changed.data["is_default"], changed.data["objection_working_days"]) == (
            200,
            False,
            10,
        )
        assert SuggestionRules.objects.get(congress=congress).objection_working_days == 10
        return
    assert (changed.status_code, changed.data) == (
        403,
        {"detail": "只有代表工委工作人员可以修改建议办理规则。"},
    )
    assert SuggestionRules.objects.count() == 0


def test_rules_are_checked_by_the_model(staff, rules):
    api = client(staff)

    response = api.put(
        f"{RULES}{rules.congress_id}/",
        {
            "result_classes": [{"code": "A", "label": "已解决"}, {"code": "A", "label": "重复"}],
            "stage_labels": {"unknown": "x"},
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.data["result_classes"] == ["办理结果分类代码不能重复。"]
    assert response.data["stage_labels"][0].startswith("环节名称只能设置已定义的环节：name、first_review")
    bad_format = api.patch(
        f"{RULES}{rules.congress_id}/", {"in_session_number_format": "第{num}号"}, format="json"
    )
    assert bad_format.status_code == 400
    assert "编号格式必须包含 {number}。" in [str(m) for m in bad_format.data["in_session_number_format"]]
    rules.refresh_from_db()
    assert (rules.result_classes[0]["code"], rules.in_session_number_format) == ("A", "第{number}号")

    three = [{"code": "A", "label": "已解决或基本解决", "follow_up": False}, {"code": "B", "label": "列入计划逐步解决", "follow_up": True}]  # fmt: skip
    saved = api.patch(
        f"{RULES}{rules.congress_id}/",
        {"result_classes": three, "second_review_enabled": False},
        format="json",
    )
    assert (saved.status_code, saved.data["result_classes"], saved.data["second_review_enabled"]) == (
        200,
        three,
        False,
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"reply_months": 4}, "reply_months", "依照代表法第五十一条，答复期限不得超过三个月。"),
        (
            {"hard_reply_months": 7},
            "hard_reply_months",
            "依照代表法第五十一条，涉及面广、难度大的答复期限不得超过六个月。",
        ),
        (
            {"reply_months": 3, "hard_reply_months": 2},
            "hard_reply_months",
            "涉及面广、难度大的答复期限不得短于一般答复期限。",
        ),
        ({"rehandling_months": 3}, "rehandling_months", "重新办理期限不得超过两个月。"),
        ({"rehandling_months": 0}, "rehandling_months", "重新办理期限不得少于十五日。"),
        ({"rating_minimum_cases": 0}, "rating_minimum_cases", None),
    ],
)
def test_rules_cannot_contradict_the_statute_and_nothing_changes(staff, rules, change, field, message):
    """Art. 51: 3 months, 6 when hard and never shorter; re-handling 15 days to 2 months (§5.7)."""
    before = api_rules = client(staff).patch(f"{RULES}{rules.congress_id}/", change, format="json")

    assert api_rules.status_code == 400
    if message:
        assert [str(m) for m in before.data[field]] == [message]
    rules.refresh_from_db()
    assert (
        rules.reply_months,
        rules.hard_reply_months,
        rules.rehandling_months,
        rules.rating_minimum_cases,
    ) == (
        3,
        6,
        1,
        5,
    )
    assert rules.history.count() == 1


def test_rules_within_the_statute_are_saved(staff, rules):
    response = client(staff).patch(
        f"{RULES}{rules.congress_id}/",
        {"reply_months": 2, "hard_reply_months": 2, "rehandling_months": 2, "rating_minimum_cases": 3},
        format="json",
    )

    assert response.status_code == 200
    rules.refresh_from_db()
    assert (
        rules.reply_months,
        rules.hard_reply_months,
        rules.rehandling_months,
        rules.rating_minimum_cases,
    ) == (
        2,
        2,
        2,
        3,
    )


def test_rules_of_an_unknown_congress_are_404(staff):
    assert client(staff).get(f"{RULES}999999/").status_code == 404


# --- Query counts --------------------------------------------------------------------------------------------------


def _assigned_batch(count, *, congress, term, lead_mandate, cosigner, unit, staff):
    for _index in range(count):
        suggestion = SuggestionFactory(
            congress=congress, term=term, lead_mandate=lead_mandate, accepted=True, status=S.ASSIGNED
        )
        SuggestionSigner.objects.create(
            suggestion=suggestion, mandate=cosigner, status=SignerStatus.CONFIRMED
        )
        Assignment.objects.create(
            suggestion=suggestion,
            unit=unit,
            role=AssignmentRole.LEAD,
            assigned_on=date(2025, 3, 3),
            assigned_by=staff,
            reply_due=date(2025, 6, 3),
        )


def _queries(api, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_the_data(
    staff, congress, term, gulou_mandate, cosigner_one, lead_unit
):
    batch = {"congress": congress, "term": term, "lead_mandate": gulou_mandate, "cosigner": cosigner_one}
    api = client(staff)

    _assigned_batch(5, unit=lead_unit, staff=staff, **batch)
    five = _queries(api, SUGGESTIONS)
    _assigned_batch(45, unit=lead_unit, staff=staff, **batch)
    fifty = _queries(api, SUGGESTIONS)

    assert api.get(SUGGESTIONS).data["count"] == 50
    assert five == fifty


def test_work_list_queries_do_not_grow_with_the_data(
    staff, unit_user, congress, term, gulou_mandate, cosigner_one, lead_unit
):
    batch = {"congress": congress, "term": term, "lead_mandate": gulou_mandate, "cosigner": cosigner_one}
    api = client(unit_user)

    _assigned_batch(5, unit=lead_unit, staff=staff, **batch)
    five = _queries(api, ASSIGNMENTS)
    _assigned_batch(45, unit=lead_unit, staff=staff, **batch)
    fifty = _queries(api, ASSIGNMENTS)

    assert api.get(ASSIGNMENTS).data["count"] == 50
    assert five == fifty


def test_detail_and_history_are_read_only(world, staff):
    before = snapshot(world.joint)

    client(staff).get(f"{SUGGESTIONS}{world.joint.pk}/")
    client(staff).get(f"{SUGGESTIONS}{world.joint.pk}/events/")

    assert snapshot(world.joint) == before
    assert Commitment.objects.count() == 0


@pytest.mark.parametrize(
    ("days", "message"), [(14, "重新办理期限不得少于十五日。"), (61, "重新办理期限不得超过两个月。")]
)
def test_re_handling_in_days_stays_within_local_rules_and_nothing_changes(staff, rules, days, message):
    response = client(staff).patch(f"{RULES}{rules.congress_id}/", {"rehandling_days": days}, format="json")

    assert (response.status_code, [str(m) for m in response.data["rehandling_days"]]) == (400, [message])
    rules.refresh_from_db()
    assert (rules.rehandling_days, rules.rehandling_months) == (None, 1)


def test_re_handling_in_days_is_saved(staff, rules):
    response = client(staff).patch(f"{RULES}{rules.congress_id}/", {"rehandling_days": 15}, format="json")

    assert (response.status_code, response.data["rehandling_days"]) == (200, 15)
