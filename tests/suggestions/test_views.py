"""Suggestion pages: who sees and does what, the whole life of a joint suggestion through the
views, form validation, refusals that change nothing, lists (filters, sorting, paging, export) and
query counts that do not grow with the data."""

from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lvzhi.accounts.choices import Role
from lvzhi.suggestions import selectors, services, tables
from lvzhi.suggestions import urls as suggestion_urls
from lvzhi.suggestions.choices import (
    AssignmentRole,
    AssignmentStatus,
    CommitmentStatus,
    ReviewDecision,
    Satisfaction,
    SignerStatus,
    SuggestionStatus,
)
from lvzhi.suggestions.models import (
    Assignment,
    Commitment,
    Contact,
    Suggestion,
    SuggestionAttachment,
    SuggestionEvent,
    SuggestionSigner,
)

from ..factories import ExpertiseFieldFactory, UserFactory
from .conftest import at
from .factories import SuggestionFactory, accept, assign, draft, pdf, released, reply, submit

S = SuggestionStatus
A = AssignmentStatus
LIST = reverse("suggestions:list")
WORK = reverse("suggestions:work")
BULK = reverse("suggestions:assign_bulk")
PRINT = reverse("suggestions:assign_print")


def detail_url(suggestion) -> str:
    return reverse("suggestions:detail", args=[suggestion.pk])


def action_url(name: str, suggestion, assignment=None) -> str:
    args = [suggestion.pk] if assignment is None else [suggestion.pk, assignment.pk]
    return reverse(f"suggestions:{name}", args=args)


def card(client, suggestion, action: str, assignment=None):
    """The action card the detail page shows the logged-in user (fails when it is not offered)."""
    response = client.get(detail_url(suggestion))
    assert response.status_code == 200
    key = action if assignment is None else f"{action}-{assignment.pk}"
    cards = {c.key: c for c in response.context["cards"]}
    if response.context["attach_card"]:
        cards[response.context["attach_card"].key] = response.context["attach_card"]
    assert key in cards, f"{key} not offered; offered: {sorted(cards)}"
    return cards[key]


def act(client, suggestion, action: str, data=None, *, assignment=None, url_name=None):
    """Open the detail page, take the hidden fields of the card (the version read with the page),
    post the card's form with ``data`` and follow to the page shown after it."""
    shown = card(client, suggestion, action, assignment)
    payload = {f.name: f.value() for f in shown.form.hidden_fields()}
    payload.update(data or {})
    return client.post(shown.url, payload, follow=True)


def success(response, text: str):
    page = response.content.decode()
    assert response.status_code == 200, page[:500]
    assert text in page, [str(m) for m in response.context.get("messages", [])]
    return page


def history(response) -> list[str]:
    return [str(event.get_type_display()) for event, _unit, _details in response.context["events"]]


def state(suggestion):
    suggestion.refresh_from_db()
    return suggestion.status, suggestion.version, suggestion.events.count()


@pytest.fixture
def taijiang_county_user(taijiang):
    return UserFactory(username="t-county-taijiang", role=Role.COUNTY_STAFF, electoral_unit=taijiang)


@pytest.fixture
def assigned(own_mandate, staff, urban_field, lead_unit, co_unit, cosigner_one, rules):
    """A joint suggestion led by ``deputy_user`` (鼓楼), assigned to the lead unit and a co-unit."""
    suggestion, assignments = assign(
        own_mandate, staff, field=urban_field, lead=lead_unit, co_units=[co_unit], cosigners=[cosigner_one]
    )
    return suggestion, assignments[0], assignments[1]


# -- Who sees and does what ---------------------------------------------------------------------------


def every_action_url(suggestion, assignment) -> list[str]:
    return [action_url(name, suggestion) for _route, _view, name in suggestion_urls.SUGGESTION_ACTIONS] + [
        action_url(name, suggestion, assignment) for _route, _view, name in suggestion_urls.ASSIGNMENT_ACTIONS
    ]


def login(client, who):
    """Log in a user, or the deputy holding a mandate."""
    client.force_login(who.person.user if hasattr(who, "card_number") else who)


def test_anonymous_is_sent_to_login_everywhere(client, assigned):
    suggestion, lead, _co = assigned
    before = state(suggestion)
    for url in [LIST, WORK, BULK, PRINT, reverse("suggestions:create"), detail_url(suggestion)]:
        assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    for url in every_action_url(suggestion, lead):
        assert client.post(url, {"version": suggestion.version})["Location"].startswith(
            reverse("accounts:login")
        )
    assert state(suggestion) == before


@pytest.mark.parametrize(
    "outsider", ["other_deputy", "other_unit_user", "taijiang_county_user", "committee_user"]
)
def test_outsiders_get_404_on_the_page_and_every_action(client, assigned, outsider, request):
    suggestion, lead, _co = assigned
    login(client, request.getfixturevalue(outsider))
    before = state(suggestion)
    contacts, commitments = Contact.objects.count(), Commitment.objects.count()

    assert client.get(detail_url(suggestion)).status_code == 404
    assert client.get(reverse("suggestions:edit", args=[suggestion.pk])).status_code == 404
    for url in every_action_url(suggestion, lead):
        response = client.post(url, {"version": suggestion.version, "reason": "x", "text": "x"})
        assert response.status_code == 404, url

    assert state(suggestion) == before
    assert (Contact.objects.count(), Commitment.objects.count()) == (contacts, commitments)
    assert suggestion.pk not in {s.pk for s in client.get(LIST).context["page"].object_list}


def test_action_urls_refuse_get(client, assigned, staff):
    suggestion, lead, _co = assigned
    client.force_login(staff)
    assert client.get(action_url("close", suggestion)).status_code == 405
    assert client.get(action_url("acknowledge", suggestion, lead)).status_code == 405


def test_an_assignment_of_another_suggestion_is_404(
    client, assigned, unit_user, own_mandate, staff, urban_field, lead_unit
):
    suggestion, _lead, _co = assigned
    _other, other_assignments = assign(own_mandate, staff, field=urban_field, lead=lead_unit)
    client.force_login(unit_user)
    response = client.post(action_url("acknowledge", suggestion, other_assignments[0]))
    assert response.status_code == 404
    assert other_assignments[0].status == A.ASSIGNED


@pytest.mark.parametrize(
    "viewer", ["deputy_user", "cosigner_one", "staff", "leader", "unit_user", "co_unit_user", "county_user"]
)
def test_who_may_see_the_detail_page(client, assigned, viewer, request):
    suggestion, _lead, _co = assigned
    login(client, request.getfixturevalue(viewer))
    response = client.get(detail_url(suggestion))
    assert response.status_code == 200
    assert suggestion.title in response.content.decode()


def test_committee_sees_suggestions_of_its_counterpart_fields(
    client, assigned, committee_user, committee, urban_field
):
    suggestion, _lead, _co = assigned
    committee.fields.add(urban_field)
    client.force_login(committee_user)
    assert client.get(detail_url(suggestion)).status_code == 200


def test_a_viewer_who_may_not_act_gets_the_reason_and_nothing_changes(client, assigned, county_user):
    suggestion, _lead, _co = assigned
    client.force_login(county_user)
    before = state(suggestion)

    response = client.post(action_url("close", suggestion), {"version": suggestion.version})

    assert response.status_code == 403
    assert "只有代表工委工作人员可以进行此操作。" in response.content.decode()
    assert state(suggestion) == before
    assert response.context["cards"] == []


def test_a_unit_acting_on_another_units_assignment_is_refused(client, assigned, co_unit_user):
    suggestion, lead, _co = assigned
    client.force_login(co_unit_user)

    response = client.post(action_url("acknowledge", suggestion, lead))

    assert response.status_code == 403
    assert "该建议未交办给您的单位，不能进行此操作。" in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == A.ASSIGNED


def test_a_deputy_cannot_rate_someone_elses_reply(
    client, assigned, unit_user, staff, cosigner_one, own_mandate
):
    suggestion, lead, _co = assigned
    released(lead, unit_user, staff, contact_deputy=own_mandate, result_class="B")
    client.force_login(cosigner_one.person.user)
    client.post(
        action_url("evaluate", suggestion, lead),
        {"satisfaction": "satisfied", "process_rating": "satisfied", "result_rating": "satisfied"},
    )
    client.force_login(cosigner_one.person.user)
    second = client.post(
        action_url("evaluate", suggestion, lead),
        {
            "satisfaction": "dissatisfied",
            "process_rating": "satisfied",
            "result_rating": "satisfied",
            "comment": "x",
        },
    )
    assert second.status_code == 403
    assert "只有答复送达的代表本人可以评价该答复。" in second.content.decode()
    lead.refresh_from_db()
    assert lead.status == A.REPLIED


@pytest.mark.parametrize("role", ["deputy_user", "county_user", "committee_user", "leader"])
def test_work_list_bulk_assignment_and_print_are_not_for_them(client, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(WORK).status_code == 404
    assert client.get(BULK).status_code == 404
    assert client.post(BULK, {"on": "2025-03-05"}).status_code == 404
    assert client.get(PRINT).status_code == 404


@pytest.mark.parametrize("role", ["unit_user", "county_user", "committee_user", "leader"])
def test_only_deputies_and_the_office_draft_suggestions(client, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("suggestions:create")).status_code == 404
    assert client.post(reverse("suggestions:create"), {"title": "x"}).status_code == 404
    assert Suggestion.objects.count() == 0


def test_navigation_shows_suggestions_and_work_by_role(client, unit_user, deputy_user, own_mandate, staff):
    client.force_login(deputy_user)
    labels = [label for label, _href, _active in client.get(LIST).context["nav_items"]]
    assert "代表建议" in labels and "办理工作" not in labels
    client.force_login(unit_user)
    labels = [label for label, _href, _active in client.get(WORK).context["nav_items"]]
    assert "代表建议" in labels and "办理工作" in labels
    client.force_login(staff)
    items = client.get(LIST).context["nav_items"]
    assert ("代表建议", LIST, True) in items


# -- The whole life of one joint suggestion -----------------------------------------------------------


def test_the_whole_life_of_a_joint_suggestion(
    client, deputy_user, own_mandate, cosigner_one, cosigner_two, staff, unit_user, co_unit_user,
    lead_unit, co_unit, urban_field, rules,
):  # fmt: skip
    # The deputy drafts with two co-signers and submits at once: it waits for them.
    client.force_login(deputy_user)
    response = client.post(
        reverse("suggestions:create"),
        {
            "mandate": own_mandate.pk,
            "title": "关于加快老旧小区加装电梯的建议",
            "body": "老旧小区居民上下楼难，建议简化审批、加大补助。",
            "field": urban_field.pk,
            "cosigners": [cosigner_one.pk, cosigner_two.pk],
            "attachments": [pdf("调研报告.pdf")],
            "submit": "1",
        },
        follow=True,
    )
    success(response, "建议已提交，待联名代表全部确认后送代表工委审查。")
    suggestion = Suggestion.objects.get()
    assert suggestion.status == S.AWAITING_COSIGNERS
    assert suggestion.attachments.get().original_name == "调研报告.pdf"
    assert list(suggestion.signers.values_list("status", flat=True)) == [SignerStatus.INVITED] * 2

    # Both co-signers confirm; the last answer sends it to review.
    client.force_login(cosigner_one.person.user)
    success(act(client, suggestion, "respond", {"decision": "confirm"}), "您已确认联名。")
    assert state(suggestion)[0] == S.AWAITING_COSIGNERS
    client.force_login(cosigner_two.person.user)
    success(act(client, suggestion, "respond", {"decision": "confirm"}), "您已确认联名。")
    assert state(suggestion)[0] == S.SUBMITTED

    # The office accepts (numbered) and assigns to a lead unit and a co-unit.
    client.force_login(staff)
    success(
        act(client, suggestion, "accept", {"field": urban_field.pk}), "已受理，建议号：〔2025〕第2001号。"
    )
    assert state(suggestion)[0] == S.ACCEPTED
    response = act(
        client, suggestion, "assign", {"lead": lead_unit.pk, "co_units": [co_unit.pk], "on": "2025-03-05"}
    )
    success(response, "已交办：市住房和城乡建设局（主办）、市交通运输局（协办）。")
    assert state(suggestion)[0] == S.ASSIGNED
    lead = suggestion.assignments.get(role=AssignmentRole.LEAD)
    assert (lead.unit, lead.reply_due, lead.objection_deadline) == (
        lead_unit,
        date(2025, 6, 5),
        date(2025, 3, 14),
    )

    # The lead unit acknowledges, logs a contact, records a promise, replies with class B.
    client.force_login(unit_user)
    success(act(client, suggestion, "acknowledge", assignment=lead), "已签收。")
    assert state(suggestion)[0] == S.HANDLING
    contact = {
        "deputy": own_mandate.pk,
        "contacted_on": "2025-03-05",
        "stage": "before",
        "method": "phone",
        "note": "电话了解诉求",
    }
    success(act(client, suggestion, "log_contact", contact, assignment=lead), "已记录与代表的沟通。")
    promise = {"text": "年内完成试点小区加装电梯10部", "due_date": "2025-12-31"}
    success(act(client, suggestion, "record_commitment", promise, assignment=lead), "已记录承诺事项。")
    answer = {
        "body": "已列入今年计划，正在推进。",
        "result_class": "B",
        "signed_by": "张局长",
        "letter": pdf(),
    }
    success(act(client, suggestion, "draft_reply", answer, assignment=lead), "答复已保存，请核对后提交。")
    success(act(client, suggestion, "submit_reply", assignment=lead), "答复已提交，等待代表工委审核。")
    assert state(suggestion)[0] == S.REPLY_SUBMITTED

    # The office releases it after the second review.
    client.force_login(staff)
    release_card = card(client, suggestion, "release_reply", lead)
    assert not [text for level, text in release_card.notes if level == "text-danger"]  # no findings
    success(act(client, suggestion, "release_reply", assignment=lead), "答复已发布，代表可以评价。")
    assert state(suggestion)[0] == S.REPLIED

    # The deputy is not satisfied: re-handling with its own deadline.
    client.force_login(deputy_user)
    rating = {
        "satisfaction": "dissatisfied",
        "process_rating": "basically_satisfied",
        "result_rating": "dissatisfied",
    }
    response = act(client, suggestion, "evaluate", {**rating, "comment": "进度太慢"}, assignment=lead)
    success(response, "评价已提交。您对答复不满意，承办单位将重新办理。")
    assert state(suggestion)[0] == S.REHANDLING
    lead.refresh_from_db()
    assert (lead.status, lead.rehandling_due) == (A.REHANDLING, date(2025, 4, 5))

    # The second reply, released again.
    client.force_login(unit_user)
    answer = {"body": "已完成首批加装。", "result_class": "A", "signed_by": "张局长", "letter": pdf()}
    success(act(client, suggestion, "draft_reply", answer, assignment=lead), "答复已保存，请核对后提交。")
    success(act(client, suggestion, "submit_reply", assignment=lead), "答复已提交，等待代表工委审核。")
    client.force_login(staff)
    success(act(client, suggestion, "release_reply", assignment=lead), "答复已发布，代表可以评价。")
    assert state(suggestion)[0] == S.REPLIED

    # Satisfied, the lead and both co-signers (each got the letter).
    satisfied = {"satisfaction": "satisfied", "process_rating": "satisfied", "result_rating": "satisfied"}
    for user in (deputy_user, cosigner_one.person.user, cosigner_two.person.user):
        client.force_login(user)
        success(act(client, suggestion, "evaluate", satisfied, assignment=lead), "评价已提交，感谢您的评价。")
    assert state(suggestion)[0] == S.REPLIED

    # The promise is kept; the office closes the suggestion.
    client.force_login(unit_user)
    commitment = Commitment.objects.get()
    kept = {"commitment": commitment.pk, "evidence": "已完成10部电梯加装并投入使用"}
    success(act(client, suggestion, "keep_commitment", kept, assignment=lead), "承诺事项已兑现。")
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.KEPT
    client.force_login(staff)
    response = act(client, suggestion, "close")
    success(response, "建议已办结。")
    assert state(suggestion)[0] == S.CLOSED

    # Every step is in the history, in order, as everyone who follows it sees it.
    client.force_login(deputy_user)
    response = client.get(detail_url(suggestion))
    assert history(response) == [
        "起草建议", "上传附件", "邀请联名代表", "等待联名代表确认", "联名代表确认", "联名代表确认", "提交建议",
        "审查立案", "交办", "签收", "记录沟通", "记录承诺事项", "提交答复", "答复发出", "代表评价",
        "不满意，重新办理", "提交答复", "答复发出", "代表评价", "代表评价", "代表评价", "承诺事项兑现", "办结",
    ]  # fmt: skip
    page = response.content.decode()
    assert "重新办理 → 答复待审核" in page
    assert "办理结果：A（已解决或基本解决）" in page
    assert "进度太慢" in page
    assert response.context["cards"] == []


# -- Drafting, editing, attachments -----------------------------------------------------------------


def test_saving_a_draft_and_editing_it(client, deputy_user, own_mandate, urban_field):
    client.force_login(deputy_user)
    response = client.post(
        reverse("suggestions:create"),
        {"mandate": own_mandate.pk, "title": "关于增设社区食堂的建议", "save": "1"},
        follow=True,
    )
    success(response, "草稿已保存。")
    suggestion = Suggestion.objects.get()
    assert (suggestion.status, suggestion.series) == (S.DRAFT, "between_sessions")

    edit = reverse("suggestions:edit", args=[suggestion.pk])
    response = client.post(
        edit,
        {
            "version": suggestion.version,
            "title": "关于增设社区长者食堂的建议",
            "body": "内容",
            "field": urban_field.pk,
        },
        follow=True,
    )
    success(response, "已保存修改。")
    suggestion.refresh_from_db()
    assert (suggestion.title, suggestion.field) == ("关于增设社区长者食堂的建议", urban_field)
    assert "修改建议" in history(response)


def test_create_form_validates_in_chinese(client, deputy_user, own_mandate, session):
    client.force_login(deputy_user)
    response = client.post(
        reverse("suggestions:create"), {"mandate": own_mandate.pk, "title": "", "submit": "1"}
    )
    page = response.content.decode()
    assert "该字段是必填项。" in page
    assert "请填写建议内容后再提交。" in page
    assert Suggestion.objects.count() == 0


def test_a_refused_attachment_leaves_no_draft(client, deputy_user, own_mandate):
    client.force_login(deputy_user)
    fake = SimpleUploadedFile("说明.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(
        reverse("suggestions:create"),
        {"mandate": own_mandate.pk, "title": "关于增设路灯的建议", "body": "内容", "attachments": [fake]},
    )
    assert "文件“说明.pdf”的内容与扩展名不符。" in response.content.decode()
    assert Suggestion.objects.count() == SuggestionAttachment.objects.count() == 0


def test_a_deputy_without_a_mandate_cannot_draft(client, db):
    client.force_login(UserFactory(username="t-no-mandate", role=Role.DEPUTY))
    response = client.get(reverse("suggestions:create"), follow=True)
    assert "您没有在职的代表资格，不能提出建议。" in response.content.decode()


def test_concurrent_edit_is_refused(client, deputy_user, own_mandate):
    suggestion = draft(own_mandate)
    client.force_login(deputy_user)
    edit = reverse("suggestions:edit", args=[suggestion.pk])
    stale = {"version": suggestion.version, "title": "标题乙", "body": "内容乙"}
    client.post(edit, {"version": suggestion.version, "title": "标题甲", "body": "内容甲"})

    response = client.post(edit, stale)

    assert "该建议已被他人处理或修改，请刷新页面后重试。" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.title == "标题甲"


def test_edit_is_closed_once_assigned(client, assigned, deputy_user):
    suggestion, _lead, _co = assigned
    client.force_login(deputy_user)
    response = client.get(reverse("suggestions:edit", args=[suggestion.pk]), follow=True)
    assert "该建议已交办，不能再修改。" in response.content.decode()
    assert response.context["can_edit"] is False


def test_attachments_upload_download_and_delete(client, deputy_user, own_mandate):
    suggestion = draft(own_mandate)
    client.force_login(deputy_user)
    success(act(client, suggestion, "attach", {"file": pdf("附件一.pdf")}), "已上传附件“附件一.pdf”。")
    attachment = suggestion.attachments.get()

    download = client.get(reverse("suggestions:attachment", args=[suggestion.pk, attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    response = client.post(
        reverse("suggestions:attachment_delete", args=[suggestion.pk, attachment.pk]), follow=True
    )
    success(response, "已删除附件“附件一.pdf”。")
    assert suggestion.attachments.count() == 0


def test_drafts_are_private_to_their_deputy(client, own_mandate, staff, unit_user):
    suggestion = draft(own_mandate)
    client.force_login(staff)
    assert client.get(detail_url(suggestion)).status_code == 404
    assert client.post(action_url("submit", suggestion), {"version": suggestion.version}).status_code == 404
    assert state(suggestion)[0] == S.DRAFT


def test_withdraw_asks_first_and_is_logged(client, deputy_user, own_mandate):
    suggestion = submit(own_mandate)
    client.force_login(deputy_user)
    withdraw = card(client, suggestion, "withdraw")
    assert withdraw.spec.confirm == "确定撤回该建议吗？撤回后不能恢复。"
    assert (
        'data-confirm="确定撤回该建议吗？撤回后不能恢复。"'
        in client.get(detail_url(suggestion)).content.decode()
    )

    success(act(client, suggestion, "withdraw", {"reason": "情况已解决"}), "建议已撤回。")

    suggestion.refresh_from_db()
    assert suggestion.status == S.WITHDRAWN
    event = suggestion.events.order_by("-id").first()
    assert (event.type, event.reason, event.actor) == ("suggestion.withdrawn", "情况已解决", deputy_user)


# -- Review, assignment, handling: validation and refusals ------------------------------------------


def test_review_return_and_reject_need_reasons(client, own_mandate, staff):
    suggestion = submit(own_mandate)
    client.force_login(staff)
    before = state(suggestion)

    response = act(client, suggestion, "return", {"reason": ""})
    assert "该字段是必填项。" in response.content.decode()
    response = act(client, suggestion, "reject", {"rejection_reason": ""})
    assert "该字段是必填项。" in response.content.decode()
    assert state(suggestion) == before

    reasons = [
        value for value, _label in card(client, suggestion, "reject").form.fields["rejection_reason"].choices
    ]
    assert "litigation_or_arbitration" in reasons
    success(act(client, suggestion, "reject", {"rejection_reason": "personal_matter"}), "已决定不予受理。")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.rejection_reason) == (S.REJECTED, "personal_matter")


def test_return_for_revision_goes_back_to_the_deputy(client, own_mandate, staff, deputy_user):
    suggestion = submit(own_mandate)
    client.force_login(staff)
    success(act(client, suggestion, "return", {"reason": "请补充具体点位"}), "已退回代表修改。")
    assert state(suggestion)[0] == S.RETURNED_FOR_REVISION
    client.force_login(deputy_user)
    page = client.get(detail_url(suggestion)).content.decode()
    assert "请补充具体点位" in page
    success(act(client, suggestion, "submit"), "建议已提交，等待代表工委审查。")


def test_accept_needs_a_field(client, own_mandate, staff):
    suggestion = submit(own_mandate)
    client.force_login(staff)
    response = act(client, suggestion, "accept", {"field": ""})
    assert "该字段是必填项。" in response.content.decode()
    assert state(suggestion)[0] == S.SUBMITTED


def test_a_stale_version_gives_the_conflict_message_and_keeps_the_input(
    client, own_mandate, staff, urban_field
):
    suggestion = submit(own_mandate)
    client.force_login(staff)
    stale = card(client, suggestion, "accept")
    version = stale.form["version"].value()
    services.suggestion_update(
        suggestion=suggestion, expected_version=version, changes={"is_hard": True}, actor=staff
    )
    before = state(suggestion)

    response = client.post(stale.url, {"version": version, "field": urban_field.pk})

    assert response.status_code == 409
    assert "该建议已被他人处理或修改，请刷新页面后重试。" in response.content.decode()
    assert state(suggestion) == before
    bound = next(c for c in response.context["cards"] if c.key == "accept")
    assert str(bound.form["version"].value()) == str(before[1])  # the resubmission would go through


def test_refused_assignment_shows_the_reason_and_changes_nothing(
    client, own_mandate, staff, urban_field, lead_unit
):
    suggestion = accept(own_mandate, staff, field=urban_field)
    client.force_login(staff)
    before = state(suggestion)

    response = act(client, suggestion, "assign", {"split_units": [lead_unit.pk], "on": "2025-03-05"})

    assert "分办须指定至少两个承办单位；只有一个单位时请作为主办单位交办。" in response.content.decode()
    assert state(suggestion) == before
    assert Assignment.objects.count() == 0
    response = act(client, suggestion, "assign", {"on": "2025-03-05"})
    assert "请指定主办单位，或选择两个以上分办单位。" in response.content.decode()


def test_objection_after_the_window_is_refused(client, assigned, unit_user):
    suggestion, lead, _co = assigned
    client.force_login(unit_user)
    assert card(client, suggestion, "object", lead)
    with time_machine.travel(at(2025, 3, 17), tick=False):
        response = client.get(detail_url(suggestion))
        assert f"object-{lead.pk}" not in {c.key for c in response.context["cards"]}
        response = client.post(action_url("object", suggestion, lead), {"reason": "不属于我局职责"})
    assert "已超过异议期限，不能再提出异议。" in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == A.ASSIGNED
    assert lead.objections.count() == 0


def test_objection_within_the_window_and_the_offices_decision(client, assigned, unit_user, staff, other_unit):
    suggestion, lead, _co = assigned
    client.force_login(unit_user)
    success(
        act(client, suggestion, "object", {"reason": "不属于我局职责"}, assignment=lead),
        "已提出异议，等待代表工委处理。",
    )
    client.force_login(staff)
    uphold = card(client, suggestion, "uphold_objection", lead)
    assert ("", "异议理由：不属于我局职责") in uphold.notes
    response = act(client, suggestion, "uphold_objection", {"new_unit": other_unit.pk}, assignment=lead)
    success(response, "异议成立，已改由市教育局承办。")
    lead.refresh_from_db()
    assert lead.status == A.CANCELLED
    assert suggestion.assignments.get(role=AssignmentRole.LEAD, status=A.ASSIGNED).unit == other_unit


def test_unit_reassigns_to_a_sub_unit(
    client, own_mandate, staff, urban_field, government, sub_department, government_user, rules
):
    suggestion, (top,) = assign(own_mandate, staff, field=urban_field, lead=government)
    client.force_login(government_user)
    success(
        act(client, suggestion, "reassign", {"sub_unit": sub_department.pk}, assignment=top),
        "已转办市城市管理委员会。",
    )
    child = suggestion.assignments.get(parent=top)
    assert (child.unit, child.reply_due) == (sub_department, top.reply_due)


def test_co_unit_submits_its_input(client, assigned, co_unit_user, unit_user):
    suggestion, _lead, co = assigned
    client.force_login(co_unit_user)
    act(client, suggestion, "acknowledge", assignment=co)
    success(
        act(client, suggestion, "submit_input", {"text": "我局将配合做好交通组织。"}, assignment=co),
        "已提交协办意见。",
    )
    client.force_login(unit_user)
    assert "我局将配合做好交通组织。" in client.get(detail_url(suggestion)).content.decode()


def test_second_review_returns_a_reply_without_contact(client, assigned, unit_user, staff):
    suggestion, lead, _co = assigned
    reply(lead, unit_user, result_class="B")
    client.force_login(staff)
    notes = [
        text
        for level, text in card(client, suggestion, "release_reply", lead).notes
        if level == "text-danger"
    ]
    assert notes == ["承办单位未记录与代表的沟通（《代表法》第五十一条）。"]

    response = act(client, suggestion, "return_reply", {"reason": ""}, assignment=lead)
    assert "该字段是必填项。" in response.content.decode()
    success(
        act(client, suggestion, "return_reply", {"reason": "未与代表沟通"}, assignment=lead),
        "答复已退回承办单位修改。",
    )
    lead.refresh_from_db()
    assert lead.status == A.ACKNOWLEDGED
    client.force_login(unit_user)
    draft_card = card(client, suggestion, "draft_reply", lead)
    assert ("text-danger", "答复被退回：未与代表沟通") in draft_card.notes
    assert draft_card.form["result_class"].value() == "B"


def test_reply_form_validates_the_letter_and_the_class(client, assigned, unit_user):
    suggestion, lead, _co = assigned
    services.assignment_acknowledge(assignment=lead, actor=unit_user)
    client.force_login(unit_user)

    def word():
        return SimpleUploadedFile("答复函.docx", b"PK\x03\x04rest", content_type="application/msword")

    data = {"body": "答复", "result_class": "E", "signed_by": "张局长", "letter": word()}
    response = act(client, suggestion, "draft_reply", data, assignment=lead)
    assert "选择一个有效的选项。 E 不在可用的选项中。" in response.content.decode()
    response = act(
        client, suggestion, "draft_reply", {**data, "result_class": "B", "letter": word()}, assignment=lead
    )
    assert "答复函须为 PDF 文件。" in response.content.decode()
    assert lead.replies.count() == 0
    assert "submit_reply" not in {c.spec.action for c in response.context["cards"]}  # nothing to submit yet


def test_dissatisfied_needs_a_reason(client, assigned, unit_user, staff, deputy_user, own_mandate):
    suggestion, lead, _co = assigned
    released(lead, unit_user, staff, contact_deputy=own_mandate)
    client.force_login(deputy_user)
    rating = {
        "satisfaction": "dissatisfied",
        "process_rating": "dissatisfied",
        "result_rating": "dissatisfied",
    }
    response = act(client, suggestion, "evaluate", rating, assignment=lead)
    assert "评价为不满意时，请说明不满意的原因，以便承办单位重新办理。" in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == A.REPLIED


def test_follow_up_reply_after_a_b_answer(
    client, assigned, unit_user, staff, own_mandate, deputy_user, cosigner_one
):
    suggestion, lead, _co = assigned
    released(lead, unit_user, staff, contact_deputy=own_mandate, result_class="B")
    suggestion.refresh_from_db()
    assert suggestion.follow_up_required
    client.force_login(unit_user)
    data = {"body": "已全部完成。", "result_class": "A", "signed_by": "张局长", "letter": pdf("跟踪答复.pdf")}
    success(act(client, suggestion, "follow_up_reply", data, assignment=lead), "跟踪答复已发给代表。")
    suggestion.refresh_from_db()
    assert not suggestion.follow_up_required


def test_close_is_refused_while_deputies_have_not_rated(client, assigned, unit_user, staff, own_mandate):
    suggestion, lead, _co = assigned
    released(lead, unit_user, staff, contact_deputy=own_mandate)
    client.force_login(staff)
    before = state(suggestion)
    response = client.post(action_url("close", suggestion), {"version": suggestion.version})
    assert "尚有代表未评价答复，评价期限届满前不能办结。" in response.content.decode()
    assert state(suggestion) == before


def test_reply_drafts_are_the_units_own(client, assigned, unit_user, deputy_user, staff):
    suggestion, lead, _co = assigned
    services.assignment_acknowledge(assignment=lead, actor=unit_user)
    draft_reply = services.reply_draft(
        assignment=lead,
        actor=unit_user,
        body="草拟中的答复",
        result_class="B",
        signed_by="张局长",
        letter=pdf(),
    )
    for user, seen in ((unit_user, True), (deputy_user, False), (staff, False)):
        client.force_login(user)
        assert ("草拟中的答复" in client.get(detail_url(suggestion)).content.decode()) is seen
        letter = client.get(reverse("suggestions:reply_letter", args=[suggestion.pk, draft_reply.pk]))
        assert letter.status_code == (200 if seen else 404)


def test_needs_calendar_is_shown(client, assigned, staff):
    suggestion, lead, _co = assigned
    Assignment.objects.filter(pk=lead.pk).update(needs_calendar=True, objection_deadline=None)
    client.force_login(staff)
    assert "截止日期将于节假日安排公布后确定" in client.get(detail_url(suggestion)).content.decode()


# -- HTMX -----------------------------------------------------------------------------------------


def test_htmx_refusal_swaps_the_card_and_success_reloads_the_page(client, own_mandate, staff, urban_field):
    suggestion = submit(own_mandate)
    client.force_login(staff)
    url = action_url("accept", suggestion)

    response = client.post(url, {"version": suggestion.version, "field": ""}, HTTP_HX_REQUEST="true")
    assert next(t.name for t in response.templates) == "suggestions/partials/action_card.html"
    assert "该字段是必填项。" in response.content.decode()

    response = client.post(
        url, {"version": suggestion.version, "field": urban_field.pk}, HTTP_HX_REQUEST="true"
    )
    assert response["HX-Redirect"] == detail_url(suggestion)
    assert state(suggestion)[0] == S.ACCEPTED


# -- Lists ------------------------------------------------------------------------------------------


def _suggestions(count, *, mandate, unit, status=S.ASSIGNED, field=None, title="关于改善停车难问题的建议"):
    """``count`` assigned suggestions with a co-signer, an assignment and a rating each."""
    created = []
    for _ in range(count):
        suggestion = SuggestionFactory(
            congress=mandate.congress, term=mandate.term, lead_mandate=mandate, accepted=True, status=status,
            title=title,
        )  # fmt: skip
        if field is not None:
            Suggestion.objects.filter(pk=suggestion.pk).update(field=field)
        SuggestionSigner.objects.create(suggestion=suggestion, mandate=mandate, status=SignerStatus.CONFIRMED)
        Assignment.objects.create(
            suggestion=suggestion, unit=unit, role=AssignmentRole.LEAD, assigned_on=date(2025, 3, 5),
            assigned_by=suggestion.created_by, reply_due=date(2025, 6, 5),
        )  # fmt: skip
        created.append(suggestion)
    return created


def ids_on(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return [item.pk for item in response.context["page"].object_list]


def test_list_is_scoped_filtered_and_sorted(
    client, staff, deputy_user, own_mandate, other_deputy, lead_unit, urban_field
):
    mine = _suggestions(2, mandate=own_mandate, unit=lead_unit, field=urban_field, title="关于停车的建议")
    education = ExpertiseFieldFactory(name="教育科技")
    theirs = _suggestions(
        1, mandate=other_deputy, unit=lead_unit, status=S.SUBMITTED, field=education, title="关于教育的建议"
    )
    client.force_login(deputy_user)
    assert set(ids_on(client, LIST)) == {s.pk for s in mine}

    client.force_login(staff)
    assert set(ids_on(client, LIST)) == {s.pk for s in mine + theirs}
    assert ids_on(client, LIST + "?status=submitted&status=") == [theirs[0].pk]
    assert set(ids_on(client, LIST + f"?field={urban_field.pk}")) == {s.pk for s in mine}
    assert ids_on(client, LIST + "?q=教育") == [theirs[0].pk]
    numbers = sorted([s.number for s in mine + theirs])
    by_number = [Suggestion.objects.get(pk=pk).number for pk in ids_on(client, LIST + "?ordering=number")]
    assert by_number == numbers
    by_number = [Suggestion.objects.get(pk=pk).number for pk in ids_on(client, LIST + "?ordering=-number")]
    assert by_number == numbers[::-1]


def test_list_shows_status_units_due_and_satisfaction(
    client, assigned, unit_user, staff, own_mandate, deputy_user
):
    _suggestion, lead, _co = assigned
    released(lead, unit_user, staff, contact_deputy=own_mandate)
    recipient = lead.replies.get().recipients.get(is_lead=True)
    services.reply_evaluate(recipient=recipient, actor=deputy_user, satisfaction=Satisfaction.SATISFIED,
                            process_rating="satisfied", result_rating="satisfied")  # fmt: skip
    client.force_login(staff)
    page = client.get(LIST).content.decode()
    assert "〔2025〕第2001号" in page
    assert "市住房和城乡建设局（主办）、市交通运输局（协办）" in page
    assert "已答复" in page
    assert ">满意<" in page
    assert "王自己等2人" in page


def test_list_pagination_and_a_forged_filter(client, staff, own_mandate, lead_unit):
    _suggestions(55, mandate=own_mandate, unit=lead_unit)
    client.force_login(staff)
    first = client.get(LIST).context["page"]
    second = client.get(LIST + "?page=2").context["page"]
    assert (len(first.object_list), len(second.object_list), first.paginator.count) == (50, 5, 55)
    response = client.get(LIST + "?status=bogus")
    assert response.context["page"].paginator.count == 0
    assert "查询条件有误" in response.content.decode()


def test_export_is_the_filtered_list(client, staff, own_mandate, other_deputy, lead_unit):
    _suggestions(2, mandate=own_mandate, unit=lead_unit, title="关于停车的建议")
    _suggestions(1, mandate=other_deputy, unit=lead_unit, title="关于教育的建议")
    client.force_login(staff)

    response = client.get(LIST + f"?q={own_mandate.person.name}&export=xlsx")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("建议号", "标题", "提出时间", "会议", "领衔代表")
    assert [(row[1], row[4]) for row in rows[1:]] == [("关于停车的建议", "王自己")] * 2
    assert {row[7] for row in rows[1:]} == {"市住房和城乡建设局（主办）"}
    assert {row[8] for row in rows[1:]} == {"已交办"}


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_queries_do_not_grow_with_the_data(client, staff, own_mandate, lead_unit):
    client.force_login(staff)
    _suggestions(5, mandate=own_mandate, unit=lead_unit)
    five = count_queries(client, LIST)
    export_five = count_queries(client, LIST + "?export=xlsx")

    _suggestions(45, mandate=own_mandate, unit=lead_unit)

    assert count_queries(client, LIST) == five
    assert count_queries(client, LIST + "?export=xlsx") == export_five


def test_detail_queries_do_not_grow_with_the_history(client, assigned, unit_user, own_mandate):
    suggestion, lead, _co = assigned
    services.assignment_acknowledge(assignment=lead, actor=unit_user)
    client.force_login(unit_user)

    def log(count):
        for _ in range(count):
            services.contact_log(assignment=lead, actor=unit_user, deputy=own_mandate, contacted_on=date(2025, 3, 5),
                                 stage="during", method="visit")  # fmt: skip
            services.commitment_record(
                assignment=lead, text="承诺", due_date=date(2025, 9, 1), actor=unit_user
            )

    log(1)
    once = count_queries(client, detail_url(suggestion))
    log(10)
    assert SuggestionEvent.objects.filter(suggestion=suggestion).count() > 20
    assert count_queries(client, detail_url(suggestion)) == once


# -- The unit work list -----------------------------------------------------------------------------


def test_work_list_shows_the_units_assignments_with_deadlines(
    client, unit_user, co_unit_user, own_mandate, lead_unit, co_unit
):
    mine = _suggestions(2, mandate=own_mandate, unit=lead_unit)
    _suggestions(1, mandate=own_mandate, unit=co_unit)
    Assignment.objects.filter(suggestion=mine[0]).update(reply_due=date(2025, 3, 1))  # overdue
    Assignment.objects.filter(suggestion=mine[1]).update(reply_due=date(2025, 3, 10))  # near
    client.force_login(unit_user)

    response = client.get(WORK)

    assert [a.suggestion_id for a in response.context["page"].object_list] == [mine[0].pk, mine[1].pk]
    page = response.content.decode()
    assert "已超期4天" in page and "剩5天" in page
    assert 'class="table-danger"' in page and 'class="table-warning"' in page
    assert [a.suggestion_id for a in client.get(WORK + "?overdue=true").context["page"].object_list] == [
        mine[0].pk
    ]
    ordered = client.get(WORK + "?ordering=-reply_due").context["page"].object_list
    assert [a.suggestion_id for a in ordered] == [mine[1].pk, mine[0].pk]


def test_office_picks_a_unit_on_the_work_list_and_exports_it(client, staff, own_mandate, lead_unit, co_unit):
    _suggestions(2, mandate=own_mandate, unit=lead_unit)
    _suggestions(1, mandate=own_mandate, unit=co_unit)
    client.force_login(staff)
    assert client.get(WORK).context["page"].paginator.count == 0
    assert "请选择承办单位查看其办理工作。" in client.get(WORK).content.decode()
    assert client.get(WORK + f"?unit={co_unit.pk}").context["page"].paginator.count == 1

    response = client.get(WORK + f"?unit={lead_unit.pk}&export=xlsx")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("建议号", "标题", "领衔代表", "承办单位")
    assert [row[3] for row in rows[1:]] == ["市住房和城乡建设局"] * 2


def test_work_list_queries_do_not_grow(client, unit_user, own_mandate, lead_unit):
    client.force_login(unit_user)
    _suggestions(5, mandate=own_mandate, unit=lead_unit)
    five = count_queries(client, WORK)
    _suggestions(45, mandate=own_mandate, unit=lead_unit)
    assert count_queries(client, WORK) == five


# -- The assignment meeting -------------------------------------------------------------------------


@pytest.fixture
def accepted_three(own_mandate, staff, urban_field, rules):
    return [
        accept(own_mandate, staff, field=urban_field, title=f"关于第{i}项民生实事的建议") for i in range(1, 4)
    ]


def test_bulk_assignment_then_the_units_lists(client, staff, accepted_three, lead_unit, co_unit):
    one, two, three = accepted_three
    client.force_login(staff)
    page = client.get(BULK)
    assert page.context["total"] == 3
    assert (
        f'<label class="visually-hidden" for="lead_{one.pk}">〔2025〕第2001号 主办单位</label>'
        in page.content.decode()
    )

    response = client.post(
        BULK,
        {"on": "2025-03-05", f"lead_{one.pk}": lead_unit.pk, f"co_{one.pk}": [co_unit.pk],
         f"lead_{two.pk}": co_unit.pk, f"hard_{two.pk}": "1", f"lead_{three.pk}": ""},
        follow=True,
    )  # fmt: skip

    success(response, "已交办2件建议（2个承办单位），请打印各单位交办清单。")
    assert [(row["unit__name"], row["count"]) for row in response.context["counts"]] == [
        ("市住房和城乡建设局", 1), ("市交通运输局", 2),
    ]  # fmt: skip
    statuses = dict(Suggestion.objects.values_list("pk", "status"))
    assert statuses == {one.pk: S.ASSIGNED, two.pk: S.ASSIGNED, three.pk: S.ACCEPTED}
    assert Assignment.objects.get(suggestion=two).reply_due == date(2025, 9, 5)  # hard: six months

    printed = client.get(PRINT + f"?unit={co_unit.pk}&on=2025-03-05")
    assert [a.suggestion_id for a in printed.context["assignments"]] == [one.pk, two.pk]
    assert "代表建议交办清单" in printed.content.decode()
    export = client.get(PRINT + f"?unit={co_unit.pk}&on=2025-03-05&export=xlsx")
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["〔2025〕第2001号", "〔2025〕第2002号"]


def test_bulk_assignment_is_all_or_nothing(client, staff, accepted_three, lead_unit, co_unit):
    one, two, _three = accepted_three
    client.force_login(staff)

    response = client.post(
        BULK,
        {
            "on": "2025-03-05",
            f"lead_{one.pk}": lead_unit.pk,
            f"lead_{two.pk}": co_unit.pk,
            f"co_{two.pk}": [co_unit.pk],
        },
    )

    page = response.content.decode()
    assert "以下建议不能交办，本次全部未交办：" in page
    assert "〔2025〕第2002号“关于第2项民生实事的建议”：同一单位不能重复交办：市交通运输局。" in page
    assert Assignment.objects.count() == 0
    assert set(Suggestion.objects.values_list("status", flat=True)) == {S.ACCEPTED}
    # What was chosen is still selected.
    assert f'<option value="{lead_unit.pk}" selected>' in page


def test_bulk_assignment_needs_a_choice(client, staff, accepted_three):
    client.force_login(staff)
    response = client.post(BULK, {"on": "2025-03-05"})
    assert "请至少为一件建议选择主办单位。" in response.content.decode()
    assert Assignment.objects.count() == 0


def test_bulk_assignment_refuses_a_suggestion_assigned_meanwhile(client, staff, accepted_three, lead_unit):
    one, _two, _three = accepted_three
    client.force_login(staff)
    services.suggestion_assign(suggestion=one, actor=staff, lead=lead_unit)

    response = client.post(BULK, {"on": "2025-03-05", f"lead_{one.pk}": lead_unit.pk})

    assert "该建议已交办，请勿重复交办。" in response.content.decode()
    assert Assignment.objects.count() == 1


def test_print_index_lists_units_of_the_day(client, staff, accepted_three, lead_unit):
    services.suggestion_assign(suggestion=accepted_three[0], actor=staff, lead=lead_unit)
    client.force_login(staff)
    response = client.get(PRINT)
    assert [(row["unit__name"], row["count"]) for row in response.context["counts"]] == [
        ("市住房和城乡建设局", 1)
    ]
    assert client.get(PRINT + "?on=2025-02-30").status_code == 200  # an impossible date: today's


def test_reply_letter_download_after_release(client, assigned, unit_user, staff, own_mandate, deputy_user):
    suggestion, lead, _co = assigned
    released(lead, unit_user, staff, contact_deputy=own_mandate)
    client.force_login(deputy_user)
    letter = client.get(reverse("suggestions:reply_letter", args=[suggestion.pk, lead.replies.get().pk]))
    assert letter.status_code == 200
    assert "attachment" in letter["Content-Disposition"]


def test_the_office_enters_a_paper_suggestion(client, staff, own_mandate):
    client.force_login(staff)
    response = client.post(
        reverse("suggestions:create"),
        {"mandate": own_mandate.pk, "title": "关于纸质建议的录入", "body": "内容", "submit": "1"},
        follow=True,
    )
    success(response, "建议已提交，等待代表工委审查。")
    suggestion = Suggestion.objects.get()
    assert (suggestion.lead_mandate, suggestion.created_by, suggestion.status) == (
        own_mandate,
        staff,
        S.SUBMITTED,
    )


def test_the_assignment_history_gives_a_co_unit_its_input_deadline():
    from types import SimpleNamespace

    from lvzhi.suggestions.choices import SuggestionEventType
    from lvzhi.suggestions.tables import event_details

    event = SimpleNamespace(
        type=SuggestionEventType.ASSIGNED,
        reason="",
        payload={
            "units": [
                {"unit": "甲局", "role": "lead", "reply_due": "2025-06-05", "co_input_due": None},
                {"unit": "乙局", "role": "co", "reply_due": "2025-06-05", "co_input_due": "2025-04-05"},
            ]
        },
    )
    text = str(event_details(event))
    assert "甲局（主办），答复期限 2025-06-05" in text
    assert "乙局（协办），协办意见期限 2025-04-05" in text


# -- The unfiltered list's count -----------------------------------------------------------------------


def test_the_unfiltered_list_is_counted_on_narrow_indexes(client, staff, admin_user, own_mandate, gulou_mandate, lead_unit):  # fmt: skip
    _suggestions(3, mandate=own_mandate, unit=lead_unit)
    # Drafts: staff's own paper one (in its scope), another office user's and a deputy's (not).
    services.suggestion_create(actor=staff, mandate=gulou_mandate, title="关于增设公交站点的建议")
    services.suggestion_create(actor=admin_user, mandate=gulou_mandate, title="关于路灯维修的建议")
    SuggestionFactory(lead_mandate=own_mandate, status=S.DRAFT)
    client.force_login(staff)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST)

    assert response.context["page"].paginator.count == 4 == selectors.suggestions_visible_to(staff).count()
    counts = [
        q["sql"]
        for q in captured
        if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "suggestions_suggestion"')
    ]
    # The scope (not a draft, or a draft staff entered) is counted in its two disjoint parts: the
    # non-drafts on ``status`` alone, staff's drafts by ``created_by``; neither joins anything.
    assert len(counts) == 2 and not any("JOIN" in sql for sql in counts)
    assert "status" in counts[0] and "created_by_id" not in counts[0]
    assert "created_by_id" in counts[1]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + counts[0])
            assert "USING COVERING INDEX suggestion_status_assign_due" in str(cursor.fetchall())
    # A filtered list counts what it shows, as before.
    assert client.get(LIST + "?status=assigned").context["page"].paginator.count == 3
    assert client.get(LIST + "?ordering=bogus").context["page"].paginator.count == 0


def test_the_unfiltered_api_list_is_counted_the_same_way(client, staff, admin_user, own_mandate, gulou_mandate, lead_unit):  # fmt: skip
    """The API's list takes the same cheap count (``StandardPagination`` asks the view's
    ``known_count``): the same number as the scope, two join-free counts; filters count as before."""
    _suggestions(3, mandate=own_mandate, unit=lead_unit)
    services.suggestion_create(actor=staff, mandate=gulou_mandate, title="关于增设公交站点的建议")
    services.suggestion_create(actor=admin_user, mandate=gulou_mandate, title="关于路灯维修的建议")
    SuggestionFactory(lead_mandate=own_mandate, status=S.DRAFT)
    client.force_login(staff)
    api = "/api/v1/suggestions/"

    with CaptureQueriesContext(connection) as captured:
        body = client.get(api + "?page_size=2").json()

    assert body["count"] == 4 == selectors.suggestions_visible_to(staff).count()
    assert len(body["results"]) == 2
    counts = [q["sql"] for q in captured if q["sql"].startswith('SELECT COUNT(*) AS "__count"')]
    assert len(counts) == 2 and not any("JOIN" in sql for sql in counts)
    assert client.get(api + "?status=assigned").json()["count"] == 3
    client.force_login(admin_user)
    assert client.get(api).json()["count"] == 4 == selectors.suggestions_visible_to(admin_user).count()


# -- Plain words for deputies, a clean handling log (issue 8, item 17) ---------------------------------


def test_a_dropped_cosigner_reads_not_cosigned(client, deputy_user, own_mandate, cosigner_one, cosigner_two):
    suggestion = draft(own_mandate)
    services.suggestion_invite_cosigners(
        suggestion=suggestion, mandates=[cosigner_one, cosigner_two], actor=deputy_user
    )
    services.suggestion_submit(suggestion=suggestion, actor=deputy_user)
    services.suggestion_cosigner_respond(suggestion=suggestion, actor=cosigner_one.person.user, confirm=True)
    services.suggestion_submit(suggestion=suggestion, actor=deputy_user)
    client.force_login(deputy_user)

    page = client.get(detail_url(suggestion)).content.decode()

    assert "未联名</span>" in page
    assert "未确认</span>" not in page


def test_the_handling_log_never_doubles_punctuation(client, staff, own_mandate):
    suggestion = submit(own_mandate)
    services.suggestion_review(
        suggestion=suggestion,
        actor=staff,
        decision=ReviewDecision.REJECT,
        rejection_reason="personal_matter",
        reason="属于个人事务。",
    )
    client.force_login(staff)

    page = client.get(detail_url(suggestion)).content.decode()

    assert "属于个人事务。" in page
    assert "。；" not in page and "；；" not in page


def test_event_details_join_parts_without_their_own_punctuation():
    assert tables.join_parts(["已列入计划。", "", "需跟踪答复；", "A类"]) == "已列入计划；需跟踪答复；A类"


def test_a_deadline_waiting_for_the_holidays_reads_plainly_in_the_log():
    event = SuggestionEvent(type="suggestion.rehandling", payload={"rehandling_due": None})

    assert tables.event_details(event) == "重新办理期限 将于节假日安排公布后确定"
    assert "工作日历" not in tables.event_details(event)


def test_a_deputy_reads_plain_words_for_an_evaluation_deadline_waiting_for_the_holidays(
    client, assigned, unit_user, staff, deputy_user
):
    suggestion, lead, _co = assigned
    reply_ = released(lead, unit_user, staff, contact_deputy=suggestion.lead_mandate)
    reply_.recipients.update(needs_calendar=True, evaluation_due=None)
    client.force_login(deputy_user)

    page = client.get(detail_url(suggestion)).content.decode()

    assert "评价期限将于节假日安排公布后确定" in page
    assert "待补录工作日历" not in page and "工作日历补录" not in page


def test_the_list_shows_a_recess_suggestions_assignment_deadline_overdue(client, staff, own_mandate):
    """DOMAIN §5.3: received Wed 2025-03-05, to be assigned by Wed 2025-03-12."""
    suggestion = submit(own_mandate)
    client.force_login(staff)

    with time_machine.travel(at(2025, 3, 14), tick=True):
        rows = str(client.get(reverse("suggestions:list")).context["rows"])

    assert suggestion.assign_due == date(2025, 3, 12)
    assert "应交办" in rows and "2025-03-12" in rows and "已超期2天" in rows


def test_the_list_shows_an_assignment_deadline_near(client, staff, own_mandate):
    submit(own_mandate)
    client.force_login(staff)

    rows = str(client.get(reverse("suggestions:list")).context["rows"])

    assert "应交办" in rows and "剩7天" in rows
