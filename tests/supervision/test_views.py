"""Supervision pages: who may open and do what (a matrix per page), the list's filters, sorting and
export, the forms with their Chinese refusals that change nothing, the supervision months, the
dissatisfied-suggestion meeting and its per-unit lists, the leader's home card, and query counts
that do not grow with the data."""

from datetime import date
from io import BytesIO

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import load_workbook

from lvzhi.suggestions.choices import AssignmentStatus, SuggestionStatus
from lvzhi.supervision import selectors, services
from lvzhi.supervision.choices import ActivityKind, MeetingDecision, SupervisionKind, SupervisionStatus
from lvzhi.supervision.models import (
    CampaignSuggestion,
    DissatisfiedMeeting,
    SupervisionActivity,
    SupervisionCampaign,
    SupervisionItem,
)

from .conftest import assigned_suggestion, count_queries, dissatisfied, start_key

S = SuggestionStatus
LIST = reverse("supervision:list")
START = reverse("supervision:start")
CARRY_OVER = reverse("supervision:carry_over")
CAMPAIGNS = reverse("supervision:campaigns")
CAMPAIGN_NEW = reverse("supervision:campaign_create")
MEETINGS = reverse("supervision:meetings")
MEETING_NEW = reverse("supervision:meeting_new")
HOME = reverse("portal:home")
LOGIN = reverse("accounts:login")


def url(name: str, *args) -> str:
    return reverse(f"supervision:{name}", args=args)


def page(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def workbook_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def key_item(assigned, staff, leader, committee, committee_user):
    return start_key(assigned, staff=staff, leader=leader, committee=committee, team_members=[committee_user])


@pytest.fixture
def campaign(congress, staff, assigned):
    campaign = services.campaign_create(
        congress=congress, year=2025, name="2025年代表建议督办月", starts_on=date(2025, 3, 1),
        ends_on=date(2025, 3, 31), note="集中督办", actor=staff,
    )  # fmt: skip
    services.campaign_add_suggestions(campaign=campaign, suggestions=[assigned], actor=staff)
    return campaign


@pytest.fixture
def meeting(congress, staff, assigned, unit_user, own_mandate):
    lead = dissatisfied(assigned, unit_user, staff, own_mandate)
    return services.dissatisfied_meeting_hold(
        congress=congress, name="2025年不满意件交办会", held_on=date(2025, 3, 5),
        decisions=[(lead, MeetingDecision.SAME_UNIT, None, "限期办结")], actor=staff,
    )  # fmt: skip


def item_state(item) -> tuple:
    item = SupervisionItem.objects.get(pk=item.pk)
    return (
        item.status,
        item.version,
        item.leader_id,
        SupervisionActivity.objects.count(),
        item.suggestion.events.count(),
    )


# -- Who may open and do what -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_everywhere(client, key_item, campaign, meeting):
    pages = [LIST, START, CAMPAIGNS, CAMPAIGN_NEW, MEETINGS, MEETING_NEW, HOME, url("detail", key_item.pk),
             url("edit", key_item.pk), url("campaign_detail", campaign.pk), url("campaign_edit", campaign.pk),
             url("meeting_detail", meeting.pk)]  # fmt: skip
    for address in pages:
        assert client.get(address)["Location"].startswith(LOGIN), address
    before = item_state(key_item)
    posts = [CARRY_OVER, url("record_activity", key_item.pk), url("finish", key_item.pk), url("reopen", key_item.pk),
             url("campaign_add", campaign.pk), url("campaign_remove", campaign.pk, key_item.suggestion_id)]  # fmt: skip
    for address in posts:
        assert client.post(address, {"version": 1, "note": "x"})["Location"].startswith(LOGIN), address
    assert item_state(key_item) == before


# Page → expected status for each role: 200 shown, 404 not found or not allowed, 302 sent back.
MATRIX = {
    "deputy_user": {"list": 200, "start": 404, "detail": 200, "edit": 302, "campaigns": 404, "campaign": 404,
                    "campaign_new": 404, "meetings": 404, "meeting_new": 404, "meeting": 404},
    "unit_user": {"list": 200, "start": 404, "detail": 200, "edit": 302, "campaigns": 404, "campaign": 404,
                  "campaign_new": 404, "meetings": 404, "meeting_new": 404, "meeting": 404},
    "other_unit_user": {"list": 200, "start": 404, "detail": 404, "edit": 404, "campaigns": 404, "campaign": 404,
                        "campaign_new": 404, "meetings": 404, "meeting_new": 404, "meeting": 404},
    "county_user": {"list": 200, "start": 404, "detail": 200, "edit": 302, "campaigns": 404, "campaign": 404,
                    "campaign_new": 404, "meetings": 404, "meeting_new": 404, "meeting": 404},
    "committee_user": {"list": 200, "start": 200, "detail": 200, "edit": 302, "campaigns": 404, "campaign": 404,
                       "campaign_new": 404, "meetings": 404, "meeting_new": 404, "meeting": 404},
    "leader": {"list": 200, "start": 404, "detail": 200, "edit": 302, "campaigns": 200, "campaign": 200,
               "campaign_new": 404, "meetings": 200, "meeting_new": 404, "meeting": 200},
    "staff": {"list": 200, "start": 200, "detail": 200, "edit": 200, "campaigns": 200, "campaign": 200,
              "campaign_new": 200, "meetings": 200, "meeting_new": 200, "meeting": 200},
}  # fmt: skip


@pytest.mark.parametrize("who", list(MATRIX))
def test_authorization_matrix(client, key_item, campaign, meeting, who, request):
    client.force_login(request.getfixturevalue(who))
    pages = {
        "list": LIST, "start": START, "detail": url("detail", key_item.pk), "edit": url("edit", key_item.pk),
        "campaigns": CAMPAIGNS, "campaign": url("campaign_detail", campaign.pk), "campaign_new": CAMPAIGN_NEW,
        "meetings": MEETINGS, "meeting_new": MEETING_NEW, "meeting": url("meeting_detail", meeting.pk),
    }  # fmt: skip
    statuses = {name: client.get(address).status_code for name, address in pages.items()}
    assert statuses == MATRIX[who]


@pytest.mark.parametrize("who", ["deputy_user", "unit_user", "county_user", "committee_user", "leader"])
def test_office_only_posts_change_nothing(client, key_item, campaign, who, request):
    client.force_login(request.getfixturevalue(who))
    before = item_state(key_item), CampaignSuggestion.objects.count()

    assert client.post(CARRY_OVER, {"year": 2025}).status_code == 404
    assert (
        client.post(url("campaign_add", campaign.pk), {"suggestions": [key_item.suggestion_id]}).status_code
        == 404
    )
    assert client.post(url("campaign_remove", campaign.pk, key_item.suggestion_id)).status_code == 404
    assert client.post(MEETING_NEW, {"name": "x", "held_on": "2025-03-05"}).status_code == 404

    assert (item_state(key_item), CampaignSuggestion.objects.count()) == before


def test_the_navigation_offers_supervision_to_those_who_supervise(client, staff, leader, committee_user, unit_user,
                                                                  deputy_user):  # fmt: skip
    for user, shown in (
        (staff, True),
        (leader, True),
        (committee_user, True),
        (unit_user, False),
        (deputy_user, False),
    ):
        client.force_login(user)
        labels = [label for label, _href, _active in client.get(HOME).context["nav_items"]]
        assert ("建议督办" in labels) is shown, user


# -- The list ----------------------------------------------------------------------------------------------


@pytest.fixture
def listed(own_mandate, taijiang_mandate, staff, leader, other_leader, committee, urban_field, education_field,
           lead_unit, other_unit):  # fmt: skip
    parking = assigned_suggestion(own_mandate, unit=lead_unit, field=urban_field, title="关于停车难的建议")
    school = assigned_suggestion(
        taijiang_mandate, unit=other_unit, field=education_field, title="关于学校扩容的建议"
    )
    return {
        "parking": start_key(parking, staff=staff, leader=leader, committee=committee),
        "school": start_key(school, staff=staff, leader=other_leader),
        "counterpart": services.supervision_start(
            suggestion=parking, kind=SupervisionKind.COUNTERPART, year=2025, actor=staff, committee=committee
        ),
        "next_year": start_key(school, staff=staff, leader=leader, year=2026),
    }


def shown(client, **query) -> set[int]:
    response = client.get(LIST, query)
    assert response.status_code == 200
    return {item.pk for item in response.context["page"].object_list}


def test_the_list_filters(client, staff, listed, leader, committee):
    client.force_login(staff)
    pk = {name: item.pk for name, item in listed.items()}

    assert shown(client) == set(pk.values())
    assert shown(client, year=2026) == {pk["next_year"]}
    assert shown(client, kind="counterpart") == {pk["counterpart"]}
    assert shown(client, leader=leader.pk) == {pk["parking"], pk["next_year"]}
    assert shown(client, committee=committee.pk) == {pk["parking"], pk["counterpart"]}
    assert shown(client, q="学校") == {pk["school"], pk["next_year"]}
    assert shown(client, q=listed["parking"].suggestion.number_label) == {pk["parking"], pk["counterpart"]}
    assert shown(client, q=str(listed["school"].suggestion.number)) == {pk["school"], pk["next_year"]}
    services.supervision_finish(item=listed["school"], conclusion="完成", actor=listed["school"].leader)
    assert shown(client, status="finished") == {pk["school"]}
    # A forged filter value shows nothing, never everything.
    assert shown(client, kind="weekly") == set()


def test_the_list_sorts_and_the_htmx_request_gets_the_table(client, staff, listed):
    client.force_login(staff)
    response = client.get(LIST, {"ordering": "year"})
    years = [item.year for item in response.context["page"].object_list]
    assert years == sorted(years)
    assert client.get(LIST).context["page"].object_list[0].year == 2026

    partial = client.get(LIST, {"kind": "key"}, HTTP_HX_REQUEST="true")
    assert partial.templates[0].name == "supervision/partials/item_table.html"


def test_each_role_lists_only_what_it_sees(client, listed, deputy_user, unit_user, other_unit_user):
    client.force_login(deputy_user)
    assert shown(client) == {listed["parking"].pk, listed["counterpart"].pk}
    client.force_login(other_unit_user)
    assert shown(client) == {listed["school"].pk, listed["next_year"].pk}


def test_the_export_has_the_filtered_items(client, staff, listed, leader):
    client.force_login(staff)
    rows = workbook_rows(client.get(LIST, {"leader": leader.pk, "ordering": "year", "export": "xlsx"}))

    assert rows[0][:8] == (
        "年度",
        "督办类型",
        "建议号",
        "标题",
        "领衔代表",
        "所属领域",
        "领衔督办领导",
        "对口委员会",
    )
    parking = listed["parking"].suggestion
    assert rows[1][:11] == (
        2025, "重点督办", parking.number_label, "关于停车难的建议", "王自己", "城建环境", "t-leader", "城建环资工委", None,
        "市住房和城乡建设局（主办）", "办理中" if parking.status == S.HANDLING else "已交办",
    )  # fmt: skip
    assert [row[0] for row in rows[1:]] == [2025, 2026]


def test_list_queries_do_not_grow_with_the_data(
    client, staff, leader, own_mandate, urban_field, lead_unit, committee
):
    client.force_login(staff)

    def make(count):
        for n in range(count):
            suggestion = assigned_suggestion(
                own_mandate, unit=lead_unit, field=urban_field, title=f"关于{n}的建议"
            )
            item = start_key(
                suggestion, staff=staff, leader=leader, committee=committee, team_members=[staff]
            )
            services.supervision_activity_record(
                item=item, kind=ActivityKind.VISIT, happened_on=date(2025, 3, 1), note="调研", actor=leader
            )

    make(3)
    three = count_queries(lambda: client.get(LIST))
    export_three = count_queries(lambda: client.get(LIST, {"export": "xlsx"}))
    make(12)
    assert count_queries(lambda: client.get(LIST)) == three
    assert count_queries(lambda: client.get(LIST, {"export": "xlsx"})) == export_three


# -- Listing for supervision ---------------------------------------------------------------------------------


def test_the_office_lists_a_key_item(client, staff, leader, committee, committee_user, assigned):
    client.force_login(staff)
    form = client.get(START, {"q": assigned.number_label}).context["form"]
    assert list(form.fields["suggestion"].queryset) == [assigned]

    response = client.post(
        START,
        {"suggestion": assigned.pk, "kind": "key", "year": 2025, "leader": leader.pk, "committee": committee.pk,
         "team_members": [committee_user.pk], "decided_on": "2025-02-20", "decision_ref": "主任会议"},
        follow=True,
    )  # fmt: skip

    item = SupervisionItem.objects.get()
    assert response.redirect_chain[-1][0] == url("detail", item.pk)
    assert messages_of(response) == [f"已将“{assigned.title}”列为2025年度重点督办。"]
    assert (item.leader, item.committee, list(item.team_members.all())) == (
        leader,
        committee,
        [committee_user],
    )


def test_a_refused_listing_shows_why_and_creates_nothing(client, staff, assigned):
    client.force_login(staff)
    response = client.post(START, {"suggestion": assigned.pk, "kind": "key", "year": 2025})

    assert response.status_code == 200
    assert response.context["form"].errors == {"leader": ["重点督办须指定领衔督办的常委会领导。"]}
    assert SupervisionItem.objects.count() == 0


def test_a_committee_lists_counterpart_items_of_its_fields_only(
    client, committee_user, committee, assigned, own_mandate, staff, education_field, lead_unit, rules
):
    from ..suggestions.factories import assign

    school, _assignments = assign(own_mandate, staff, field=education_field, lead=lead_unit)
    client.force_login(committee_user)
    form = client.get(START).context["form"]
    assert list(form.fields["suggestion"].queryset) == [assigned]
    assert [value for value, _label in form.fields["kind"].choices] == ["counterpart"]
    assert "committee" not in form.fields

    refused = client.post(START, {"suggestion": school.pk, "kind": "counterpart", "year": 2025})
    assert "suggestion" in refused.context["form"].errors
    client.post(START, {"suggestion": assigned.pk, "kind": "counterpart", "year": 2025})
    item = SupervisionItem.objects.get()
    assert (item.kind, item.committee) == ("counterpart", committee)


# -- The item page and its actions ------------------------------------------------------------------------------


def test_the_item_page_shows_the_suggestion_the_team_and_the_history(client, key_item, leader, staff):
    services.supervision_activity_record(
        item=key_item,
        kind=ActivityKind.VISIT,
        happened_on=date(2025, 3, 4),
        note="实地调研停车场",
        actor=leader,
    )
    client.force_login(leader)

    response = client.get(url("detail", key_item.pk))

    html = page(response)
    assert "实地调研停车场" in html and "t-committee" in html and "市住房和城乡建设局" in html
    assert [str(event.get_type_display()) for event, _details in response.context["events"]] == [
        "列为督办",
        "督办活动",
    ]
    assert response.context["activity_form"] is not None and response.context["finish_form"] is not None
    assert response.context["reopen_form"] is None and response.context["can_edit"] is False


def test_the_team_records_an_activity_through_the_page(client, key_item, committee_user):
    client.force_login(committee_user)
    response = client.post(
        url("record_activity", key_item.pk),
        {"kind": "forum", "happened_on": "2025-03-05", "participants": "委员", "note": "座谈了解进展"},
        follow=True,
    )
    assert messages_of(response) == ["已记录督办活动。"]
    assert key_item.activities.get().note == "座谈了解进展"


def test_a_refused_activity_says_why_and_changes_nothing(client, key_item, unit_user, leader):
    before = item_state(key_item)
    client.force_login(unit_user)
    response = client.post(
        url("record_activity", key_item.pk),
        {"kind": "visit", "happened_on": "2025-03-05", "note": "我们自己记"},
    )
    assert response.status_code == 403
    assert response.context["page_errors"] == [
        "只有领衔督办领导、督办组成员、对口委员会或代表工委可以记录督办活动。"
    ]

    client.force_login(leader)
    future = client.post(
        url("record_activity", key_item.pk), {"kind": "visit", "happened_on": "2025-03-06", "note": "x"}
    )
    assert future.status_code == 200
    assert future.context["activity_form"].errors == {"happened_on": ["活动日期不能晚于今天。"]}
    empty = client.post(
        url("record_activity", key_item.pk), {"kind": "visit", "happened_on": "2025-03-05", "note": ""}
    )
    assert "note" in empty.context["activity_form"].errors
    assert item_state(key_item) == before


def test_finish_and_reopen_carry_the_version(client, key_item, leader, staff):
    client.force_login(leader)
    finish_form = client.get(url("detail", key_item.pk)).context["finish_form"]
    assert 'data-confirm="确定完成该督办事项吗？"' in page(client.get(url("detail", key_item.pk)))

    response = client.post(url("finish", key_item.pk), {"version": finish_form["version"].value(), "conclusion": "已增设车位"},
                           follow=True)  # fmt: skip
    assert messages_of(response) == ["督办事项已完成。"]

    client.force_login(staff)
    stale = client.post(url("reopen", key_item.pk), {"version": 1, "reason": "仍未落实"})
    assert stale.status_code == 409
    assert stale.context["reopen_form"].non_field_errors() == ["该督办事项已被他人修改，请刷新页面后重试。"]
    reopened = client.post(url("reopen", key_item.pk), {"version": 2, "reason": "仍未落实"}, follow=True)
    assert messages_of(reopened) == ["已恢复督办。"]
    key_item.refresh_from_db()
    assert (key_item.status, key_item.version) == (SupervisionStatus.IN_PROGRESS, 3)


def test_the_office_rearranges_an_item(client, key_item, staff, other_leader):
    client.force_login(staff)
    form = client.get(url("edit", key_item.pk)).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"leader": other_leader.pk})

    response = client.post(url("edit", key_item.pk), data, follow=True)

    assert messages_of(response) == ["已调整督办安排。"]
    key_item.refresh_from_db()
    assert (key_item.leader, key_item.version) == (other_leader, 2)
    stale = client.post(url("edit", key_item.pk), data)
    assert stale.status_code == 409
    assert stale.context["form"].non_field_errors() == ["该督办事项已被他人修改，请刷新页面后重试。"]


def test_the_leader_may_not_rearrange(client, key_item, leader):
    client.force_login(leader)
    response = client.get(url("edit", key_item.pk), follow=True)
    assert messages_of(response) == ["只有代表工委或对口督办的委员会可以调整督办安排。"]


def test_the_office_carries_over_after_confirming(client, key_item, staff):
    client.force_login(staff)
    assert 'data-confirm="确定将2024年度未完成的重点督办事项结转到2025年度吗？"' in page(client.get(LIST))

    response = client.post(CARRY_OVER, {"year": 2025}, follow=True)

    assert messages_of(response) == ["已将1项2025年度未完成的重点督办事项结转到2026年度。"]
    again = client.post(CARRY_OVER, {"year": 2025}, follow=True)
    assert messages_of(again) == ["2025年度没有需要结转的重点督办事项。"]
    assert SupervisionItem.objects.filter(year=2026).count() == 1


# -- Supervision months ---------------------------------------------------------------------------------------


def test_the_office_creates_a_campaign_with_checked_dates(client, staff, congress):
    client.force_login(staff)
    refused = client.post(CAMPAIGN_NEW, {"name": "四月督办月", "year": 2025, "starts_on": "2025-04-30",
                                         "ends_on": "2025-04-01"})  # fmt: skip
    assert refused.context["form"].errors == {"ends_on": ["结束日期不能早于开始日期。"]}
    missing = client.post(CAMPAIGN_NEW, {"year": 2025})
    assert set(missing.context["form"].errors) == {"name", "starts_on", "ends_on"}

    response = client.post(CAMPAIGN_NEW, {"name": "四月督办月", "year": 2025, "starts_on": "2025-04-01",
                                          "ends_on": "2025-04-30", "note": "督促办理"}, follow=True)  # fmt: skip

    campaign = SupervisionCampaign.objects.get()
    assert response.redirect_chain[-1][0] == url("campaign_detail", campaign.pk)
    duplicate = client.post(CAMPAIGN_NEW, {"name": "四月督办月", "year": 2025, "starts_on": "2025-04-01",
                                           "ends_on": "2025-04-30"})  # fmt: skip
    assert duplicate.context["form"].errors == {"name": ["已有同名的督办月活动：四月督办月。"]}


def test_the_campaign_page_adds_and_removes_suggestions(
    client, staff, campaign, own_mandate, urban_field, lead_unit
):
    other = assigned_suggestion(own_mandate, unit=lead_unit, field=urban_field, title="关于另一件的建议")
    client.force_login(staff)
    detail = client.get(url("campaign_detail", campaign.pk))
    assert list(detail.context["add_form"].fields["suggestions"].queryset) == [other]
    assert detail.context["counts"] == {"total": 1, "replied": 0, "satisfied": 0, "dissatisfied": 0}

    added = client.post(url("campaign_add", campaign.pk), {"suggestions": [other.pk]}, follow=True)
    assert messages_of(added) == ["已将1件建议列入督办月。"]
    assert campaign.entries.count() == 2
    assert "确定将“关于另一件的建议”移出本督办月吗？" in page(added)

    removed = client.post(url("campaign_remove", campaign.pk, other.pk), follow=True)
    assert messages_of(removed) == ["已将“关于另一件的建议”移出督办月。"]
    assert campaign.entries.count() == 1


def test_a_refused_addition_names_the_suggestion_and_adds_nothing(client, staff, campaign, own_mandate, urban_field,
                                                                    lead_unit):  # fmt: skip
    assigned_suggestion(own_mandate, unit=lead_unit, field=urban_field, title="关于另一件的建议")
    client.force_login(staff)
    # The page offers only what may be added: a suggestion already in it is not a choice.
    response = client.post(
        url("campaign_add", campaign.pk), {"suggestions": [campaign.entries.get().suggestion_id]}
    )
    assert "suggestions" in response.context["add_form"].errors
    empty = client.post(url("campaign_add", campaign.pk), {})
    assert empty.context["add_form"].errors == {"suggestions": ["请选择要列入督办月的建议。"]}
    assert campaign.entries.count() == 1


def test_the_leader_follows_a_campaign_and_exports_it(client, leader, campaign, assigned):
    client.force_login(leader)
    detail = client.get(url("campaign_detail", campaign.pk))
    assert detail.context["add_form"] is None and detail.context["can_edit"] is False

    rows = workbook_rows(client.get(url("campaign_detail", campaign.pk), {"export": "xlsx"}))

    assert rows[0] == (
        "建议号",
        "标题",
        "领衔代表",
        "承办单位",
        "办理状态",
        "活动期间答复",
        "最新办理结果",
        "领衔代表评价",
    )
    assert rows[1][:5] == (assigned.number_label, assigned.title, "王自己", "市住房和城乡建设局（主办）、市交通运输局（协办）",
                           "已交办")  # fmt: skip


# -- The dissatisfied-suggestion meeting ---------------------------------------------------------------------------


def test_the_meeting_page_decides_the_dissatisfied_ones(
    client, staff, assigned, unit_user, own_mandate, other_unit, taijiang_mandate, urban_field, lead_unit
):
    lead = dissatisfied(assigned, unit_user, staff, own_mandate)
    second = assigned_suggestion(taijiang_mandate, unit=lead_unit, field=urban_field, status=S.REHANDLING,
                                 title="关于第二件的建议", assignment_status=AssignmentStatus.REHANDLING)  # fmt: skip
    second_lead = second.assignments.get()
    client.force_login(staff)
    form_page = client.get(MEETING_NEW)
    assert form_page.context["count"] == 2
    assert (
        f'<label class="visually-hidden" for="decision_{lead.pk}">{assigned.number_label}（市住房和城乡建设局） 交办决定</label>'
        in page(form_page)
    )

    response = client.post(
        MEETING_NEW,
        {"name": "2025年不满意件交办会", "held_on": "2025-03-05", "note": "限期办理",
         f"decision_{lead.pk}": "new_unit", f"unit_{lead.pk}": other_unit.pk, f"note_{lead.pk}": "改由教育局",
         f"decision_{second_lead.pk}": "same_unit"},
        follow=True,
    )  # fmt: skip

    meeting = DissatisfiedMeeting.objects.get()
    assert response.redirect_chain[-1][0] == url("meeting_detail", meeting.pk)
    assert messages_of(response) == ["已登记“2025年不满意件交办会”，交办不满意件2件，请打印各单位清单。"]
    groups = {unit.name: [record.assignment.suggestion.title for record in records]
              for unit, records in response.context["groups"]}  # fmt: skip
    assert groups == {"市住房和城乡建设局": ["关于第二件的建议"], "市教育局": [assigned.title]}
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.CANCELLED


def test_a_meeting_with_one_bad_row_records_nothing(client, staff, assigned, unit_user, own_mandate, co_unit):
    lead = dissatisfied(assigned, unit_user, staff, own_mandate)
    client.force_login(staff)

    response = client.post(
        MEETING_NEW,
        {"name": "交办会", "held_on": "2025-03-05", f"decision_{lead.pk}": "new_unit", f"unit_{lead.pk}": co_unit.pk},
    )  # fmt: skip

    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("以下不满意件不能交办，本次交办会未登记：第1条") and error.endswith(
        "市交通运输局已承办该建议。"
    )
    assert DissatisfiedMeeting.objects.count() == 0
    lead.refresh_from_db()
    assert (lead.status, lead.rehandling_due) == (AssignmentStatus.REHANDLING, date(2025, 4, 5))
    skipped = client.post(
        MEETING_NEW, {"name": "交办会", "held_on": "2025-03-05", f"decision_{lead.pk}": "skip"}
    )
    assert skipped.context["form"].non_field_errors() == ["请至少对一件不满意件作出交办决定。"]
    future = client.post(
        MEETING_NEW, {"name": "交办会", "held_on": "2025-03-09", f"decision_{lead.pk}": "same_unit"}
    )
    assert future.context["form"].errors == {"held_on": ["会议日期不能晚于今天。"]}


def test_the_meeting_lists_print_per_unit(client, staff, meeting, assigned):
    client.force_login(staff)
    detail = client.get(url("meeting_detail", meeting.pk))
    [(unit, _records)] = detail.context["groups"]
    assert unit.name == "市住房和城乡建设局"

    rows = workbook_rows(client.get(url("meeting_detail", meeting.pk), {"export": "xlsx", "unit": unit.pk}))

    assert rows[0][:7] == ("序号", "承办单位", "建议号", "标题", "领衔代表", "承办方式", "交办决定")
    assert rows[1][:9] == (1, "市住房和城乡建设局", assigned.number_label, assigned.title, "王自己", "主办", "原承办单位重新办理",
                           None, rows[1][8])  # fmt: skip
    assert rows[1][8].date() == date(2025, 4, 5)
    assert rows[1][10] == "限期办结"


# -- The leader's home page -------------------------------------------------------------------------------------


def test_the_leader_sees_the_items_it_leads_on_its_home_page(
    client, key_item, leader, unit_user, committee_user
):
    client.force_login(leader)
    response = client.get(HOME)
    html = page(response)
    assert "我领衔督办的建议" in html
    assert f'href="{url("detail", key_item.pk)}"' in html
    assert html.index("我领衔督办的建议") < html.index("在职代表")

    client.force_login(committee_user)  # on the team
    assert "督办组成员" in page(client.get(HOME))
    client.force_login(unit_user)
    assert "我领衔督办的建议" not in page(client.get(HOME))


def test_the_home_page_queries_do_not_grow_with_the_items(
    client, leader, staff, own_mandate, urban_field, lead_unit
):
    client.force_login(leader)

    def make(count):
        for n in range(count):
            suggestion = assigned_suggestion(
                own_mandate, unit=lead_unit, field=urban_field, title=f"关于{n}的建议"
            )
            start_key(suggestion, staff=staff, leader=leader)

    make(1)
    one = count_queries(lambda: client.get(HOME))
    make(6)
    assert count_queries(lambda: client.get(HOME)) == one


# -- The suggestion page's panel ---------------------------------------------------------------------------------


def test_the_panel_renders_what_the_selector_found(rf, key_item, campaign, deputy_user):
    panel = selectors.supervision_for_suggestion(key_item.suggestion, deputy_user)

    html = render_to_string("supervision/partials/suggestion_panel.html", {"panel": panel})

    assert "督办情况" in html and "重点督办" in html and "t-leader" in html and "2025年代表建议督办月" in html
    assert (
        render_to_string(
            "supervision/partials/suggestion_panel.html",
            {"panel": {"items": [], "campaigns": [], "meetings": []}},
        ).strip()
        == ""
    )


def test_the_item_page_queries_do_not_grow_with_its_history(client, key_item, leader):
    client.force_login(leader)

    def record(count):
        for _ in range(count):
            services.supervision_activity_record(
                item=key_item,
                kind=ActivityKind.VISIT,
                happened_on=date(2025, 3, 1),
                note="调研",
                actor=leader,
            )

    record(1)
    once = count_queries(lambda: client.get(url("detail", key_item.pk)))
    record(8)
    assert count_queries(lambda: client.get(url("detail", key_item.pk))) == once


def test_the_office_edits_a_campaign_with_its_version(client, staff, campaign):
    client.force_login(staff)
    form = client.get(url("campaign_edit", campaign.pk)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update({"note": "加快办理进度"})

    response = client.post(url("campaign_edit", campaign.pk), data, follow=True)

    assert messages_of(response) == ["已保存修改。"]
    campaign.refresh_from_db()
    assert (campaign.note, campaign.version) == ("加快办理进度", 2)
    stale = client.post(url("campaign_edit", campaign.pk), {**data, "note": "又改"})
    assert stale.status_code == 409
    assert stale.context["form"].non_field_errors() == ["该督办月活动已被他人修改，请刷新页面后重试。"]


def test_the_suggestion_page_shows_its_supervision_to_those_who_see_the_suggestion(
    client, staff, unit_user, key_item, campaign, leader
):
    """The suggestion's detail page carries the supervision panel: the key item with its leader
    and the supervision month; the unit that handles it sees the same; an item is linked."""
    page = reverse("suggestions:detail", args=[key_item.suggestion_id])
    for user in (staff, unit_user):
        client.force_login(user)
        response = client.get(page)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-testid="supervision-panel"' in html
        assert str(leader) in html
        assert campaign.name in html
        assert url("detail", key_item.pk) in html


def test_a_suggestion_without_supervision_has_no_panel(client, staff, assigned):
    client.force_login(staff)
    response = client.get(reverse("suggestions:detail", args=[assigned.pk]))
    assert response.status_code == 200
    assert 'data-testid="supervision-panel"' not in response.content.decode()


def test_a_campaign_belongs_to_the_congress_chosen_among_those_with_suggestions(
    client, staff, congress, assigned
):
    """The form offers the congresses that have suggestions; blank takes the first of them; a
    congress without suggestions is refused by the form and nothing is created."""
    from tests.factories import CongressFactory
    from tests.suggestions.factories import SuggestionFactory

    county = SuggestionFactory(congress=CongressFactory(name="鼓楼区人民代表大会", region="鼓楼区")).congress
    empty = CongressFactory(name="台江区人民代表大会", region="台江区")
    client.force_login(staff)
    fields = {"year": 2025, "starts_on": "2025-04-01", "ends_on": "2025-04-30"}

    offered = client.get(CAMPAIGN_NEW).context["form"].fields["congress"].queryset
    assert set(offered) == {congress, county}
    refused = client.post(CAMPAIGN_NEW, {**fields, "name": "台江督办月", "congress": empty.pk})
    assert "congress" in refused.context["form"].errors
    assert not SupervisionCampaign.objects.exists()

    client.post(CAMPAIGN_NEW, {**fields, "name": "鼓楼督办月", "congress": county.pk})
    client.post(CAMPAIGN_NEW, {**fields, "name": "全市督办月"})

    assert SupervisionCampaign.objects.get(name="鼓楼督办月").congress == county
    assert SupervisionCampaign.objects.get(name="全市督办月").congress == offered.first()
