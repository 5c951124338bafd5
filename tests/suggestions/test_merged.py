"""并案 (merged handling, DOMAIN §5.3): suggestions handled together by the same units, each deputy
still answered on its own suggestion. Assigning them together (the assignment meeting's page, or
joining a group from one suggestion's form), the group on the detail page within the user's scope,
the unit work list's marks and filters, and one reply drafted for the whole group: services, pages
and API."""

import threading
import time
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from lvzhi.accounts.choices import Role
from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.suggestions import services
from lvzhi.suggestions.choices import AssignmentRole, AssignmentStatus, ReplyStatus, SuggestionStatus
from lvzhi.suggestions.models import Assignment, Reply, ReplyRecipient, Suggestion, SuggestionRules
from lvzhi.suggestions.services import replies as reply_services

from ..factories import CongressFactory, MandateFactory, TermFactory, UserFactory
from .factories import SuggestionFactory, accept, pdf

S = SuggestionStatus
A = AssignmentStatus
WORK = reverse("suggestions:work")
BULK = reverse("suggestions:assign_bulk")
ASSIGNMENTS = "/api/v1/suggestion-assignments/"
SUGGESTIONS = "/api/v1/suggestions/"


def detail_url(suggestion) -> str:
    return reverse("suggestions:detail", args=[suggestion.pk])


def merge(*suggestions, staff, lead, co_units=()) -> list[Assignment]:
    """Assign the suggestions together in one new merge group, as the assignment meeting does."""
    group = services.new_merge_group()
    plans = [
        services.AssignmentPlan(suggestion=s, lead=lead, co_units=co_units, merge_group=group)
        for s in suggestions
    ]
    return services.suggestions_assign_bulk(plans=plans, actor=staff, on=date(2025, 3, 5))


@pytest.fixture
def merged(own_mandate, cosigner_one, other_deputy, staff, urban_field, lead_unit, co_unit, rules):
    """〔2025〕第2001号, led by ``deputy_user`` with 陈联一 co-signing, and 〔2025〕第2002号, led by 黄旁人, handled
    together by the lead unit (``unit_user``) with a co-unit."""
    first = accept(
        own_mandate, staff, field=urban_field, cosigners=[cosigner_one], title="关于老旧小区加装电梯的建议"
    )
    second = accept(other_deputy, staff, field=urban_field, title="关于加装电梯财政补助的建议")
    merge(first, second, staff=staff, lead=lead_unit, co_units=[co_unit])
    lead = {a.suggestion_id: a for a in Assignment.objects.filter(unit=lead_unit)}
    co = {a.suggestion_id: a for a in Assignment.objects.filter(unit=co_unit)}
    return SimpleNamespace(
        first=first,
        second=second,
        group=lead[first.pk].merge_group,
        lead_first=lead[first.pk],
        lead_second=lead[second.pk],
        co_first=co[first.pk],
    )


def acknowledge(*assignments, user):
    for assignment in assignments:
        services.assignment_acknowledge(assignment=assignment, actor=user)


def draft_merged(merged, user, **kwargs):
    values = {
        "body": "经研究，两件建议一并办理：已列入今年计划。",
        "result_class": "B",
        "signed_by": "张局长",
    }
    values.update(kwargs)
    return services.reply_draft_merged(assignment=merged.lead_first, actor=user, **values)


# -- Drafting one reply for the group (services) -------------------------------------------------------


def test_the_same_reply_is_drafted_on_each_suggestion_of_the_group(merged, unit_user):
    acknowledge(merged.lead_first, merged.lead_second, user=unit_user)

    result = draft_merged(merged, unit_user, letter=pdf())

    first, second = result.replies
    assert (first.assignment_id, second.assignment_id) == (merged.lead_first.pk, merged.lead_second.pk)
    assert result.skipped == []
    for reply in (first, second):
        reply.refresh_from_db()
        assert (reply.status, reply.body, reply.result_class, reply.signed_by, reply.version) == (
            ReplyStatus.DRAFT, "经研究，两件建议一并办理：已列入今年计划。", "B", "张局长", 1,
        )  # fmt: skip
    # One sealed letter for the group, stored once.
    assert first.letter.name.endswith(".pdf") and second.letter.name == first.letter.name


def test_each_deputy_gets_its_own_reply_and_evaluates_it(merged, unit_user, staff, own_mandate, cosigner_one, other_deputy):  # fmt: skip
    acknowledge(merged.lead_first, merged.lead_second, user=unit_user)
    first, second = draft_merged(merged, unit_user, letter=pdf()).replies

    for reply in (first, second):
        services.reply_submit(
            reply=reply, actor=unit_user, no_contact_reason="unreachable", no_contact_note="电话未接通。"
        )
        services.reply_review(reply=reply, actor=staff, release=True)

    recipients = sorted(ReplyRecipient.objects.values_list("reply_id", "mandate_id", "is_lead"))
    assert recipients == sorted(
        [
            (first.pk, own_mandate.pk, True),
            (first.pk, cosigner_one.pk, False),
            (second.pk, other_deputy.pk, True),
        ]
    )
    evaluation = services.reply_evaluate(
        recipient=ReplyRecipient.objects.get(reply=second),
        actor=other_deputy.person.user,
        satisfaction="satisfied",
        process_rating="satisfied",
        result_rating="satisfied",
    )
    assert evaluation.recipient.reply_id == second.pk
    with pytest.raises(ForbiddenError, match="只能评价答复给您本人的答复。"):
        services.reply_evaluate(
            recipient=ReplyRecipient.objects.get(reply=second),
            actor=own_mandate.person.user,
            satisfaction="satisfied",
            process_rating="satisfied",
            result_rating="satisfied",
        )


def test_a_draft_being_revised_in_the_group_gets_the_new_text_and_letter(merged, unit_user):
    acknowledge(merged.lead_first, merged.lead_second, user=unit_user)
    earlier = services.reply_draft(
        assignment=merged.lead_second, actor=unit_user, body="旧稿", result_class="C", letter=pdf("旧函.pdf")
    )

    result = draft_merged(merged, unit_user, letter=pdf())

    earlier.refresh_from_db()
    assert result.replies[1].pk == earlier.pk
    assert (earlier.body, earlier.result_class, earlier.signed_by, earlier.version) == (
        "经研究，两件建议一并办理：已列入今年计划。", "B", "张局长", 2,
    )  # fmt: skip
    assert earlier.letter.name == result.replies[0].letter.name
    assert Reply.objects.count() == 2


def test_assignments_that_may_not_be_drafted_now_are_left_out_and_named(merged, unit_user, staff):
    third = accept(merged.first.lead_mandate, staff, field=merged.first.field, title="关于电梯维保的建议")
    fourth = accept(merged.first.lead_mandate, staff, field=merged.first.field, title="关于电梯安全的建议")
    group = [
        services.AssignmentPlan(
            suggestion=s,
            lead=merged.lead_first.unit,
            co_units=[merged.co_first.unit],
            merge_group=merged.group,
        )
        for s in (third, fourth)
    ]
    services.suggestions_assign_bulk(plans=group, actor=staff, on=date(2025, 3, 5))
    lead_third = Assignment.objects.get(suggestion=third, unit=merged.lead_first.unit)
    lead_fourth = Assignment.objects.get(suggestion=fourth, unit=merged.lead_first.unit)
    acknowledge(merged.lead_first, lead_third, lead_fourth, user=unit_user)
    # 〔2025〕第2004号's reply is already with the office; 〔2025〕第2002号 was never acknowledged.
    services.reply_submit(
        reply=services.reply_draft(
            assignment=lead_fourth,
            actor=unit_user,
            body="已答复",
            result_class="A",
            signed_by="张局长",
            letter=pdf(),
        ),
        actor=unit_user,
        no_contact_reason="unreachable",
        no_contact_note="电话未接通。",
    )

    result = draft_merged(merged, unit_user)

    assert [reply.assignment_id for reply in result.replies] == [merged.lead_first.pk, lead_third.pk]
    assert [(a.pk, reason) for a, reason in result.skipped] == [
        (merged.lead_second.pk, "请先签收该建议。"),
        (lead_fourth.pk, "当前状态“答复待审核”下不能起草答复。"),
    ]
    assert not Reply.objects.filter(assignment=merged.lead_second).exists()
    assert Reply.objects.get(assignment=lead_fourth).body == "已答复"


def test_merged_drafting_is_all_or_nothing(merged, unit_user, staff, lead_unit, co_unit, urban_field):
    """A refusal on any suggestion of the group (here another congress's result classes, A-C)
    leaves every reply unwritten, the first one included."""
    county = CongressFactory(name="闽侯县人民代表大会", level="county", region="闽侯县")
    SuggestionRules.objects.create(
        congress=county,
        result_classes=[
            {"code": "A", "label": "已解决", "follow_up": False},
            {"code": "B", "label": "列入计划", "follow_up": True},
            {"code": "C", "label": "难以解决", "follow_up": False},
        ],
    )
    term = TermFactory(congress=county)
    elsewhere = SuggestionFactory(
        congress=county, term=term, lead_mandate=MandateFactory(congress=county, term=term), accepted=True
    )
    services.suggestions_assign_bulk(
        plans=[services.AssignmentPlan(suggestion=elsewhere, lead=lead_unit, co_units=[co_unit], merge_group=merged.group)],
        actor=staff,
    )  # fmt: skip
    acknowledge(
        merged.lead_first, Assignment.objects.get(suggestion=elsewhere, unit=lead_unit), user=unit_user
    )

    with pytest.raises(DomainError, match="请从A、B、C中选择办理结果分类。"):
        draft_merged(merged, unit_user, result_class="D", letter=pdf())

    assert Reply.objects.count() == 0


def test_a_stale_version_of_the_first_draft_writes_nothing(merged, unit_user):
    acknowledge(merged.lead_first, merged.lead_second, user=unit_user)
    first, _second = draft_merged(merged, unit_user).replies

    with pytest.raises(ConflictError, match="该答复已被他人修改，请刷新页面后重新编辑。"):
        draft_merged(merged, unit_user, body="新稿", expected_version=first.version - 1)

    assert set(Reply.objects.values_list("body", "version")) == {
        ("经研究，两件建议一并办理：已列入今年计划。", 1)
    }


@pytest.mark.parametrize(
    ("who", "error", "message"),
    [
        ("other_unit_user", ForbiddenError, "该建议未交办给您的单位，不能进行此操作。"),
        ("co_unit_user", ForbiddenError, "该建议未交办给您的单位，不能进行此操作。"),
        ("staff", ForbiddenError, "该建议未交办给您的单位，不能进行此操作。"),
    ],
)
def test_only_the_assigned_unit_drafts_for_the_group(merged, unit_user, who, error, message, request):
    acknowledge(merged.lead_first, merged.lead_second, user=unit_user)

    with pytest.raises(error, match=message):
        draft_merged(merged, request.getfixturevalue(who))

    assert Reply.objects.count() == 0


def test_a_co_unit_does_not_reply_for_the_group(merged, co_unit_user):
    acknowledge(merged.co_first, user=co_unit_user)
    with pytest.raises(DomainError, match="协办单位不直接答复代表，请向主办单位提交协办意见。"):
        services.reply_draft_merged(assignment=merged.co_first, actor=co_unit_user, body="意见")
    assert Reply.objects.count() == 0


def test_a_suggestion_not_merged_is_drafted_alone(
    own_mandate, staff, urban_field, lead_unit, unit_user, rules
):
    suggestion = accept(own_mandate, staff, field=urban_field)
    [assignment] = services.suggestion_assign(suggestion=suggestion, actor=staff, lead=lead_unit)
    acknowledge(assignment, user=unit_user)

    with pytest.raises(DomainError, match="该建议不是并案办理，请直接起草答复。"):
        services.reply_draft_merged(assignment=assignment, actor=unit_user, body="答复")

    assert Reply.objects.count() == 0


def test_the_group_assignment_another_unit_took_over_is_not_the_units(
    merged, unit_user, staff, other_unit, other_unit_user
):
    """After an upheld objection 〔2025〕第2002号 is the other unit's (in the same group): the lead unit's
    merged draft covers only its own assignments."""
    objection = services.assignment_object(
        assignment=merged.lead_second, reason="不属于本单位职责", actor=unit_user
    )
    services.objection_decide(objection=objection, uphold=True, actor=staff, new_unit=other_unit)
    replacement = Assignment.objects.get(suggestion=merged.second, unit=other_unit)
    assert replacement.merge_group == merged.group
    acknowledge(merged.lead_first, user=unit_user)
    acknowledge(replacement, user=other_unit_user)

    result = draft_merged(merged, unit_user)

    assert ([r.assignment_id for r in result.replies], result.skipped) == ([merged.lead_first.pk], [])
    assert not Reply.objects.filter(assignment=replacement).exists()


# -- Assigning together (pages) ----------------------------------------------------------------------


@pytest.fixture
def accepted_three(own_mandate, staff, urban_field, rules):
    return [
        accept(own_mandate, staff, field=urban_field, title=f"关于第{i}项民生实事的建议") for i in range(1, 4)
    ]


def test_bulk_assignment_merges_the_ticked_rows(client, staff, accepted_three, lead_unit, co_unit):
    one, two, three = accepted_three
    client.force_login(staff)
    assert f'<label class="visually-hidden" for="merge_{one.pk}">〔2025〕第2001号 并案办理</label>' in (
        client.get(BULK).content.decode()
    )

    # 〔2025〕第2002号 is ticked without units: it takes those chosen for 〔2025〕第2001号.
    response = client.post(
        BULK,
        {"on": "2025-03-05", f"lead_{one.pk}": lead_unit.pk, f"co_{one.pk}": [co_unit.pk], f"merge_{one.pk}": "1",
         f"merge_{two.pk}": "1", f"lead_{three.pk}": co_unit.pk},
        follow=True,
    )  # fmt: skip

    assert (
        "已交办3件建议（2个承办单位），请打印各单位交办清单。其中2件并案办理。" in response.content.decode()
    )
    rows = Assignment.objects.order_by("suggestion_id", "id").values_list(
        "suggestion_id", "unit_id", "role", "merge_group"
    )
    groups = {group for _s, _u, _r, group in rows if group is not None}
    assert len(groups) == 1
    [group] = groups
    assert list(rows) == [
        (one.pk, lead_unit.pk, AssignmentRole.LEAD, group), (one.pk, co_unit.pk, AssignmentRole.CO, group),
        (two.pk, lead_unit.pk, AssignmentRole.LEAD, group), (two.pk, co_unit.pk, AssignmentRole.CO, group),
        (three.pk, co_unit.pk, AssignmentRole.LEAD, None),
    ]  # fmt: skip


def test_bulk_merged_rows_with_different_units_are_refused_whole(
    client, staff, accepted_three, lead_unit, co_unit
):
    one, two, three = accepted_three
    client.force_login(staff)

    response = client.post(
        BULK,
        {"on": "2025-03-05", f"lead_{one.pk}": lead_unit.pk, f"merge_{one.pk}": "1",
         f"lead_{two.pk}": co_unit.pk, f"merge_{two.pk}": "1", f"lead_{three.pk}": co_unit.pk},
    )  # fmt: skip

    page = response.content.decode()
    assert (
        "以下建议不能交办，本次全部未交办：第2条〔2025〕第2002号“关于第2项民生实事的建议”：并案办理的建议须交办给相同的承办单位。"
        in page
    )
    assert Assignment.objects.count() == 0
    assert set(Suggestion.objects.values_list("status", flat=True)) == {S.ACCEPTED}
    assert f'id="merge_{two.pk}" name="merge_{two.pk}" value="1" checked>' in page  # kept as ticked


@pytest.mark.parametrize(
    ("ticked", "message"),
    [(1, "并案办理须至少勾选两件建议。"), (2, "请为并案办理的建议选择主办单位。")],
)
def test_bulk_merged_selection_must_be_complete(client, staff, accepted_three, lead_unit, ticked, message):
    one, two, three = accepted_three
    client.force_login(staff)
    data = {"on": "2025-03-05", f"lead_{three.pk}": lead_unit.pk, f"merge_{one.pk}": "1"}
    if ticked == 2:
        data[f"merge_{two.pk}"] = "1"

    response = client.post(BULK, data)

    assert message in response.content.decode()
    assert Assignment.objects.count() == 0


def assign_card(client, suggestion):
    response = client.get(detail_url(suggestion))
    return {c.key: c for c in response.context["cards"]}["assign"]


def test_one_suggestion_joins_an_existing_group(
    client, merged, staff, own_mandate, urban_field, lead_unit, co_unit
):
    third = accept(own_mandate, staff, field=urban_field, title="关于电梯维保的建议")
    client.force_login(staff)
    form = assign_card(client, third).form
    assert [label for _value, label in form.fields["merge_with"].choices] == [
        "不并案", "〔2025〕第2001号 关于老旧小区加装电梯的建议", "〔2025〕第2002号 关于加装电梯财政补助的建议",
    ]  # fmt: skip

    response = client.post(
        reverse("suggestions:assign", args=[third.pk]),
        {"version": third.version, "lead": lead_unit.pk, "co_units": [co_unit.pk], "merge_with": merged.second.pk,
         "on": "2025-03-05"},
        follow=True,
    )  # fmt: skip

    assert (
        "已交办：市住房和城乡建设局（主办）、市交通运输局（协办），与〔2025〕第2002号并案办理。"
        in response.content.decode()
    )
    assert set(Assignment.objects.filter(suggestion=third).values_list("merge_group", flat=True)) == {
        merged.group
    }


def test_joining_a_group_with_other_units_is_refused(
    client, merged, staff, own_mandate, urban_field, lead_unit
):
    third = accept(own_mandate, staff, field=urban_field, title="关于电梯维保的建议")
    client.force_login(staff)

    response = client.post(
        reverse("suggestions:assign", args=[third.pk]),
        {"version": third.version, "lead": lead_unit.pk, "merge_with": merged.first.pk, "on": "2025-03-05"},
    )

    assert "并案办理的建议须交办给相同的承办单位。" in response.content.decode()
    third.refresh_from_db()
    assert (third.status, Assignment.objects.filter(suggestion=third).count()) == (S.ACCEPTED, 0)


def test_the_assign_form_offers_no_group_when_there_is_none(client, staff, accepted_three):
    client.force_login(staff)
    assert "merge_with" not in assign_card(client, accepted_three[0]).form.fields


# -- The group on the detail page --------------------------------------------------------------------


@pytest.fixture
def third_in_group(merged, staff, gulou_mandate, lead_unit, co_unit):
    """〔2025〕第2003号, led by 李鼓楼 (no account), joins the group."""
    third = SuggestionFactory(
        congress=gulou_mandate.congress, term=gulou_mandate.term, lead_mandate=gulou_mandate, accepted=True,
        number=2003, number_label="〔2025〕第2003号", title="关于电梯加装审批的建议",
    )  # fmt: skip
    services.suggestion_assign(
        suggestion=third, actor=staff, lead=lead_unit, co_units=[co_unit], merge_group=merged.group
    )
    return third


def merged_rows(response):
    return [(other.number_label, other.title, other.lead_mandate.person.name) for other, _css in response.context["merged"]]  # fmt: skip


def test_staff_see_the_whole_group_linked(client, merged, third_in_group, staff):
    client.force_login(staff)

    response = client.get(detail_url(merged.first))

    assert merged_rows(response) == [
        ("〔2025〕第2002号", "关于加装电梯财政补助的建议", "黄旁人"), ("〔2025〕第2003号", "关于电梯加装审批的建议", "李鼓楼"),
    ]  # fmt: skip
    assert response.context["merged_hidden"] == 0
    page = response.content.decode()
    assert f'<a href="{detail_url(merged.second)}">关于加装电梯财政补助的建议</a>' in page
    assert [(other.get_status_display(), css) for other, css in response.context["merged"]] == [
        ("已交办", "bg-blue-lt"),
        ("已交办", "bg-blue-lt"),
    ]
    assert '<td><span class="badge bg-blue-lt">已交办</span></td>' in page


def test_a_deputy_sees_only_its_own_suggestions_of_the_group(client, merged, third_in_group, deputy_user):
    client.force_login(deputy_user)

    response = client.get(detail_url(merged.first))

    assert merged_rows(response) == []
    assert response.context["merged_hidden"] == 2
    page = response.content.decode()
    assert "另有 2 件建议与本建议并案办理。" in page
    assert "关于加装电梯财政补助的建议" not in page and "黄旁人" not in page
    assert client.get(detail_url(merged.second)).status_code == 404


def test_a_deputy_leading_two_of_the_group_sees_the_other_linked(client, merged, staff, deputy_user, own_mandate, lead_unit, co_unit):  # fmt: skip
    own_other = accept(own_mandate, staff, field=merged.first.field, title="关于电梯维保的建议")
    services.suggestion_assign(
        suggestion=own_other, actor=staff, lead=lead_unit, co_units=[co_unit], merge_group=merged.group
    )
    client.force_login(deputy_user)

    response = client.get(detail_url(merged.first))

    assert merged_rows(response) == [("〔2025〕第2003号", "关于电梯维保的建议", "王自己")]
    assert response.context["merged_hidden"] == 1
    assert f'<a href="{detail_url(own_other)}">关于电梯维保的建议</a>' in response.content.decode()


def test_a_suggestion_not_merged_shows_no_group(client, staff, accepted_three, lead_unit):
    services.suggestion_assign(suggestion=accepted_three[0], actor=staff, lead=lead_unit)
    client.force_login(staff)
    response = client.get(detail_url(accepted_three[0]))
    assert (response.context["is_merged"], 'data-testid="merged"' in response.content.decode()) == (
        False,
        False,
    )


def grow_group(merged, count, *, staff, lead_unit, co_unit):
    mandate = merged.second.lead_mandate
    for _ in range(count):
        other = SuggestionFactory(
            congress=mandate.congress, term=mandate.term, lead_mandate=mandate, accepted=True
        )
        services.suggestion_assign(
            suggestion=other, actor=staff, lead=lead_unit, co_units=[co_unit], merge_group=merged.group
        )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["staff", "unit_user", "deputy_user"])
def test_detail_queries_do_not_grow_with_the_group(
    client, merged, staff, unit_user, lead_unit, co_unit, who, request
):
    acknowledge(
        merged.lead_first, merged.lead_second, user=unit_user
    )  # the unit's reply card offers the group
    client.force_login(request.getfixturevalue(who))
    two = count_queries(client, detail_url(merged.first))

    grow_group(merged, 5, staff=staff, lead_unit=lead_unit, co_unit=co_unit)

    assert count_queries(client, detail_url(merged.first)) == two


# -- The unit work list --------------------------------------------------------------------------------


def test_the_work_list_marks_merged_rows_and_filters_them(
    client, merged, unit_user, staff, own_mandate, lead_unit
):
    alone = accept(own_mandate, staff, field=merged.first.field, title="关于增设公交站点的建议")
    [alone_assignment] = services.suggestion_assign(suggestion=alone, actor=staff, lead=lead_unit)
    client.force_login(unit_user)

    page = client.get(WORK).content.decode()
    link = f'<a class="badge bg-purple-lt" href="{WORK}?unit={lead_unit.pk}&amp;merge_group={merged.group}"'
    assert page.count(link) == 2

    def rows(query):
        return [a.pk for a in client.get(WORK + query).context["page"].object_list]

    assert rows("?merged=true") == [merged.lead_first.pk, merged.lead_second.pk]
    assert rows("?merged=false") == [alone_assignment.pk]
    assert rows(f"?merge_group={merged.group}") == [merged.lead_first.pk, merged.lead_second.pk]
    assert rows("?merge_group=not-a-uuid") == []
    assert "仅显示同一并案组的建议。" in client.get(WORK + f"?merge_group={merged.group}").content.decode()


def test_the_reply_card_drafts_for_the_group(client, merged, unit_user):
    acknowledge(merged.lead_first, merged.lead_second, user=unit_user)
    client.force_login(unit_user)
    response = client.get(detail_url(merged.first))
    card = {c.key: c for c in response.context["cards"]}[f"draft_reply-{merged.lead_first.pk}"]
    assert card.form.fields["also_merged"].label == "同时为并案的其他建议起草相同答复"
    assert card.notes[-1] == (
        "text-secondary",
        "并案办理：勾选下方选项，将为〔2025〕第2002号起草相同的答复内容、办理结果分类、签发人和答复函；各件分别提交，分别答复代表。",
    )

    response = client.post(
        card.url,
        {
            "body": "两件建议一并答复。",
            "result_class": "A",
            "signed_by": "张局长",
            "letter": pdf(),
            "also_merged": "on",
        },
        follow=True,
    )

    assert (
        "答复已保存，并为并案的〔2025〕第2002号起草了相同答复；请分别核对后提交。"
        in response.content.decode()
    )
    assert sorted(Reply.objects.values_list("assignment_id", "body", "result_class")) == [
        (merged.lead_first.pk, "两件建议一并答复。", "A"), (merged.lead_second.pk, "两件建议一并答复。", "A"),
    ]  # fmt: skip


def test_the_reply_card_names_those_it_leaves_out(client, merged, third_in_group, unit_user):
    acknowledge(
        merged.lead_first, merged.lead_second, user=unit_user
    )  # 〔2025〕第2003号 not yet acknowledged
    client.force_login(unit_user)
    response = client.get(detail_url(merged.first))
    card = {c.key: c for c in response.context["cards"]}[f"draft_reply-{merged.lead_first.pk}"]
    assert card.notes[-1][1].endswith("不包括：〔2025〕第2003号（请先签收该建议）。")

    response = client.post(
        card.url,
        {"body": "一并答复。", "result_class": "A", "signed_by": "张局长", "also_merged": "on"},
        follow=True,
    )

    assert (
        "答复已保存，并为并案的〔2025〕第2002号起草了相同答复；请分别核对后提交。未起草：〔2025〕第2003号（请先签收该建议）。"
        in response.content.decode()
    )


def test_the_reply_card_offers_the_group_only_when_another_may_be_drafted(client, merged, unit_user):
    acknowledge(merged.lead_first, user=unit_user)  # 〔2025〕第2002号 not yet acknowledged
    client.force_login(unit_user)
    response = client.get(detail_url(merged.first))
    card = {c.key: c for c in response.context["cards"]}[f"draft_reply-{merged.lead_first.pk}"]
    assert "also_merged" not in card.form.fields


# -- API -----------------------------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_drafts_the_same_reply_for_the_group(merged, unit_user):
    acknowledge(merged.lead_first, user=unit_user)
    url = f"{ASSIGNMENTS}{merged.lead_first.pk}/draft_reply/"

    response = api(unit_user).post(
        url,
        {
            "body": "一并答复。",
            "result_class": "A",
            "signed_by": "张局长",
            "letter": pdf(),
            "apply_to_merged": "true",
        },
        format="multipart",
    )

    assert response.status_code == 200, response.data
    data = response.data
    assert (data["assignment"], data["suggestion"], data["body"], data["has_letter"], data["version"]) == (
        merged.lead_first.pk, merged.first.pk, "一并答复。", True, 1,
    )  # fmt: skip
    assert data["merged_replies"] == []
    assert data["merged_skipped"] == [
        {"assignment": merged.lead_second.pk, "suggestion": merged.second.pk, "number_label": "〔2025〕第2002号",
         "reason": "请先签收该建议。"}
    ]  # fmt: skip

    acknowledge(merged.lead_second, user=unit_user)
    response = api(unit_user).post(
        url,
        {"body": "一并答复（修改）。", "result_class": "A", "signed_by": "张局长", "version": 1,
         "apply_to_merged": True},
        format="json",
    )  # fmt: skip
    data = response.data
    assert (data["body"], data["has_letter"], data["version"], data["merged_skipped"]) == (
        "一并答复（修改）。", True, 2, [],
    )  # fmt: skip
    assert [(r["assignment"], r["body"], r["has_letter"], r["version"]) for r in data["merged_replies"]] == [
        (merged.lead_second.pk, "一并答复（修改）。", True, 1)
    ]


def test_api_draft_without_the_flag_drafts_only_this_one(merged, unit_user):
    acknowledge(merged.lead_first, merged.lead_second, user=unit_user)

    response = api(unit_user).post(
        f"{ASSIGNMENTS}{merged.lead_first.pk}/draft_reply/", {"body": "只答复本件。"}, format="json"
    )

    assert (response.status_code, response.data["merged_replies"], response.data["merged_skipped"]) == (
        200,
        [],
        [],
    )
    assert list(Reply.objects.values_list("assignment_id", flat=True)) == [merged.lead_first.pk]


@pytest.mark.parametrize(
    ("who", "status", "detail"),
    [
        ("other_unit_user", 404, "未找到该交办记录，或您无权查看。"),
        ("co_unit_user", 404, "未找到该交办记录，或您无权查看。"),
        ("deputy_user", 404, "未找到该交办记录，或您无权查看。"),
        ("staff", 403, "该建议未交办给您的单位，不能进行此操作。"),
    ],
)
def test_api_merged_draft_is_the_assigned_units_alone(merged, unit_user, who, status, detail, request):
    acknowledge(merged.lead_first, merged.lead_second, user=unit_user)

    response = api(request.getfixturevalue(who)).post(
        f"{ASSIGNMENTS}{merged.lead_first.pk}/draft_reply/",
        {"body": "答复", "apply_to_merged": True},
        format="json",
    )

    assert (response.status_code, response.data) == (status, {"detail": detail})
    assert Reply.objects.count() == 0


def test_api_merged_draft_of_a_suggestion_not_merged_is_400(own_mandate, staff, urban_field, lead_unit, unit_user, rules):  # fmt: skip
    suggestion = accept(own_mandate, staff, field=urban_field)
    [assignment] = services.suggestion_assign(suggestion=suggestion, actor=staff, lead=lead_unit)
    acknowledge(assignment, user=unit_user)

    response = api(unit_user).post(
        f"{ASSIGNMENTS}{assignment.pk}/draft_reply/", {"body": "答复", "apply_to_merged": True}, format="json"
    )

    assert (response.status_code, response.data) == (400, {"detail": "该建议不是并案办理，请直接起草答复。"})
    assert Reply.objects.count() == 0


def test_api_detail_names_the_group_within_the_users_scope(merged, third_in_group, staff, deputy_user):
    as_staff = api(staff).get(f"{SUGGESTIONS}{merged.first.pk}/").data
    assert [(s["number_label"], s["lead_deputy"]["name"], s["status"]) for s in as_staff["merged_suggestions"]] == [
        ("〔2025〕第2002号", "黄旁人", S.ASSIGNED), ("〔2025〕第2003号", "李鼓楼", S.ASSIGNED),
    ]  # fmt: skip
    assert as_staff["merged_hidden_count"] == 0

    as_deputy = api(deputy_user).get(f"{SUGGESTIONS}{merged.first.pk}/").data
    assert (as_deputy["merged_suggestions"], as_deputy["merged_hidden_count"]) == ([], 2)


def test_api_lists_filter_by_group(merged, unit_user, staff, own_mandate, lead_unit):
    alone = accept(own_mandate, staff, field=merged.first.field, title="关于增设公交站点的建议")
    services.suggestion_assign(suggestion=alone, actor=staff, lead=lead_unit)

    work = api(unit_user).get(ASSIGNMENTS, {"merged": "true"}).data["results"]
    assert [(row["id"], row["merge_group"]) for row in work] == [
        (merged.lead_first.pk, str(merged.group)), (merged.lead_second.pk, str(merged.group)),
    ]  # fmt: skip
    group = api(staff).get(SUGGESTIONS, {"merge_group": str(merged.group)}).data["results"]
    assert [row["id"] for row in group] == [merged.second.pk, merged.first.pk]


def test_api_releases_each_merged_reply_to_its_own_deputies(merged, unit_user, staff, other_deputy):
    acknowledge(merged.lead_first, merged.lead_second, user=unit_user)
    _first, second = draft_merged(merged, unit_user, letter=pdf()).replies
    services.reply_submit(
        reply=second, actor=unit_user, no_contact_reason="unreachable", no_contact_note="电话未接通。"
    )

    response = api(staff).post(
        f"/api/v1/suggestion-replies/{second.pk}/review/", {"decision": "release"}, format="json"
    )

    assert response.status_code == 200, response.data
    assert [(r["mandate"]["id"], r["is_lead"]) for r in response.data["recipients"]] == [
        (other_deputy.pk, True)
    ]
    merged.first.refresh_from_db()
    merged.second.refresh_from_db()
    assert (merged.first.status, merged.second.status) == (S.HANDLING, S.REPLIED)


# -- Concurrency (PostgreSQL) ------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_merged_drafts_at_once_queue_instead_of_deadlocking(merged, unit_user, lead_unit, monkeypatch):
    """Two staff of the unit draft for the group at the same moment, one from each suggestion: the
    group is locked in one order, so the second waits for the first, then overwrites both drafts;
    the group never ends with two different replies."""
    colleague = UserFactory(username="t-unit-2", role=Role.HANDLING_UNIT_STAFF, handling_unit=lead_unit)
    acknowledge(merged.lead_first, merged.lead_second, user=unit_user)
    barrier = threading.Barrier(2)
    real_write = reply_services._write_draft

    def slow_write(*args, **kwargs):
        time.sleep(0.3)  # hold the locks while the other thread arrives
        return real_write(*args, **kwargs)

    monkeypatch.setattr(reply_services, "_write_draft", slow_write)
    outcomes = {}

    def draft(name, actor, assignment):
        try:
            barrier.wait(5)
            services.reply_draft_merged(
                assignment=assignment, actor=actor, body=f"{name}稿", result_class="A"
            )
            outcomes[name] = "done"
        except Exception as error:  # the test reports whatever went wrong (a deadlock, a refusal)
            outcomes[name] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=draft, args=("甲", unit_user, merged.lead_first)),
        threading.Thread(target=draft, args=("乙", colleague, merged.lead_second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert outcomes == {"甲": "done", "乙": "done"}
    bodies = set(Reply.objects.values_list("body", flat=True))
    assert Reply.objects.count() == 2 and len(bodies) == 1 and bodies <= {"甲稿", "乙稿"}
