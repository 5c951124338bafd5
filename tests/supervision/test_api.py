"""The supervision API (/api/v1/supervision-…): the same scoping as the pages, every write through the
same services with the same Chinese refusals (400/403/409, nothing changed), list queries that do
not grow, and an OpenAPI schema without warnings."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from lvzhi.suggestions.choices import AssignmentStatus
from lvzhi.suggestions.models import Assignment
from lvzhi.supervision import services
from lvzhi.supervision.choices import ActivityKind, MeetingDecision, SupervisionKind, SupervisionStatus
from lvzhi.supervision.models import (
    DissatisfiedMeeting,
    SupervisionActivity,
    SupervisionCampaign,
    SupervisionItem,
)

from .conftest import assigned_suggestion, count_queries, dissatisfied, start_key

ITEMS = "/api/v1/supervision-items/"
CAMPAIGNS = "/api/v1/supervision-campaigns/"
MEETINGS = "/api/v1/supervision-meetings/"
ANONYMOUS = {"detail": "身份认证信息未提供。"}
NOT_VISIBLE = {"detail": "未找到该督办事项，或您无权查看。"}


def client(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def ids(response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


@pytest.fixture
def key_item(assigned, staff, leader, committee, committee_user):
    return start_key(assigned, staff=staff, leader=leader, committee=committee, team_members=[committee_user])


@pytest.fixture
def school_item(taijiang_mandate, staff, other_leader, other_unit, education_field):
    school = assigned_suggestion(
        taijiang_mandate, unit=other_unit, field=education_field, title="关于学校的建议"
    )
    return start_key(school, staff=staff, leader=other_leader)


def item_state(item) -> tuple:
    item = SupervisionItem.objects.get(pk=item.pk)
    return (
        item.status,
        item.version,
        item.leader_id,
        SupervisionActivity.objects.count(),
        item.suggestion.events.count(),
    )


# -- Items: scoping ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees_key", "sees_school"),
    [
        ("staff", True, True),
        ("leader", True, True),
        ("committee_user", True, False),
        ("unit_user", True, False),
        ("other_unit_user", False, True),
        ("deputy_user", True, False),
        ("county_user", True, False),
        ("co_unit_user", True, False),
    ],
)
def test_items_are_scoped_like_the_pages(key_item, school_item, who, sees_key, sees_school, request):
    api = client(request.getfixturevalue(who))
    expected = {pk for pk, seen in ((key_item.pk, sees_key), (school_item.pk, sees_school)) if seen}

    assert ids(api.get(ITEMS)) == expected
    for item, seen in ((key_item, sees_key), (school_item, sees_school)):
        response = api.get(f"{ITEMS}{item.pk}/")
        assert response.status_code == (200 if seen else 404)
        if not seen:
            assert response.data == NOT_VISIBLE


def test_anonymous_gets_nothing(key_item):
    assert client().get(ITEMS).data == ANONYMOUS
    assert client().post(f"{ITEMS}{key_item.pk}/finish/", {"conclusion": "x"}).status_code == 403


def test_the_item_detail(key_item, leader):
    services.supervision_activity_record(
        item=key_item, kind=ActivityKind.VISIT, happened_on=date(2025, 3, 4), note="调研", actor=leader
    )

    data = client(leader).get(f"{ITEMS}{key_item.pk}/").data

    assert (data["kind"], data["kind_display"], data["year"], data["status"]) == (
        "key",
        "重点督办",
        2025,
        "in_progress",
    )
    assert data["leader"] == {"id": leader.pk, "name": "t-leader"}
    assert data["committee"]["name"] == "城建环资工委"
    assert [member["name"] for member in data["team_members"]] == ["t-committee"]
    assert data["suggestion"]["units"] == "市住房和城乡建设局（主办）、市交通运输局（协办）"
    assert data["suggestion"]["reply_due"] == "2025-06-05"
    assert [(a["kind"], a["note"]) for a in data["activities"]] == [("visit", "调研")]
    assert data["latest_activity"] == "2025-03-04"
    assert [a["action"] for a in data["available_actions"]] == ["record_activity", "finish"]


def test_the_list_filters(key_item, school_item, staff, leader):
    api = client(staff)
    assert ids(api.get(ITEMS, {"leader": leader.pk})) == {key_item.pk}
    assert ids(api.get(ITEMS, {"q": "学校"})) == {school_item.pk}
    assert ids(api.get(ITEMS, {"kind": "counterpart"})) == set()
    assert api.get(ITEMS, {"kind": "weekly"}).status_code == 400


def test_list_queries_do_not_grow(staff, leader, own_mandate, urban_field, lead_unit, committee):
    api = client(staff)

    def make(count):
        for n in range(count):
            suggestion = assigned_suggestion(
                own_mandate, unit=lead_unit, field=urban_field, title=f"关于{n}的建议"
            )
            start_key(suggestion, staff=staff, leader=leader, committee=committee, team_members=[staff])

    make(2)
    two = count_queries(lambda: api.get(ITEMS))
    make(10)
    assert count_queries(lambda: api.get(ITEMS)) == two


# -- Items: writes ------------------------------------------------------------------------------------------------


def test_the_office_lists_a_key_item(assigned, staff, leader, committee, committee_user):
    response = client(staff).post(
        ITEMS,
        {"suggestion": assigned.pk, "kind": "key", "year": 2025, "leader": leader.pk, "committee": committee.pk,
         "team_members": [committee_user.pk], "decided_on": "2025-02-20", "decision_ref": "主任会议"},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201, response.data
    item = SupervisionItem.objects.get()
    assert (response.data["id"], response.data["leader"]["id"], response.data["version"]) == (
        item.pk,
        leader.pk,
        1,
    )


@pytest.mark.parametrize(
    ("who", "payload", "code", "detail"),
    [
        ("staff", {"kind": "key", "year": 2025}, 400, "重点督办须指定领衔督办的常委会领导。"),
        ("leader", {"kind": "key", "year": 2025}, 403, "重点督办事项由代表工委根据主任会议决定登记。"),
        ("unit_user", {"kind": "counterpart", "year": 2025}, 403, "只有代表工委或委员会工作人员可以列为对口督办。"),
        ("other_committee_user", {"kind": "counterpart", "year": 2025}, 403,
         "该建议不属于本委员会的对口领域，不能列为对口督办。"),
    ],
)  # fmt: skip
def test_refused_listings(assigned, who, payload, code, detail, request):
    response = client(request.getfixturevalue(who)).post(
        ITEMS, {"suggestion": assigned.pk, **payload}, format="json"
    )

    assert (response.status_code, response.data["detail"]) == (code, detail)
    assert SupervisionItem.objects.count() == 0


def test_a_duplicate_is_refused(key_item, staff, leader):
    response = client(staff).post(
        ITEMS,
        {"suggestion": key_item.suggestion_id, "kind": "key", "year": 2025, "leader": leader.pk},
        format="json",
    )
    assert (response.status_code, response.data["detail"]) == (
        400,
        "该建议已列为2025年度重点督办，请勿重复。",
    )


def test_the_arrangement_is_patched_with_its_version(key_item, staff, other_leader, committee_user):
    api = client(staff)
    response = api.patch(f"{ITEMS}{key_item.pk}/", {"version": 1, "leader": other_leader.pk}, format="json")
    assert (response.status_code, response.data["leader"]["id"], response.data["version"]) == (
        200,
        other_leader.pk,
        2,
    )

    before = item_state(key_item)
    stale = api.patch(f"{ITEMS}{key_item.pk}/", {"version": 1, "team": "x"}, format="json")
    assert (stale.status_code, stale.data["detail"]) == (409, "该督办事项已被他人修改，请刷新页面后重试。")
    forbidden = client(committee_user).patch(
        f"{ITEMS}{key_item.pk}/", {"version": 2, "team": "x"}, format="json"
    )
    assert (forbidden.status_code, forbidden.data["detail"]) == (
        403,
        "只有代表工委或对口督办的委员会可以调整督办安排。",
    )
    assert item_state(key_item) == before
    assert api.put(f"{ITEMS}{key_item.pk}/", {}, format="json").status_code == 405
    assert api.delete(f"{ITEMS}{key_item.pk}/").status_code == 405


def test_activities_finish_and_reopen(key_item, leader, staff, unit_user, other_unit_user):
    api = client(leader)
    activity = api.post(f"{ITEMS}{key_item.pk}/record_activity/",
                        {"kind": "briefing", "happened_on": "2025-03-05", "note": "听取汇报"}, format="json")  # fmt: skip
    assert (activity.status_code, activity.data["kind_display"], activity.data["recorded_by"]["id"]) == (
        201, "听取办理情况汇报", leader.pk
    )  # fmt: skip

    before = item_state(key_item)
    refused = client(unit_user).post(f"{ITEMS}{key_item.pk}/record_activity/",
                                     {"kind": "visit", "happened_on": "2025-03-05", "note": "x"}, format="json")  # fmt: skip
    assert refused.status_code == 403
    unseen = client(other_unit_user).post(f"{ITEMS}{key_item.pk}/record_activity/",
                                          {"kind": "visit", "happened_on": "2025-03-05", "note": "x"}, format="json")  # fmt: skip
    assert unseen.status_code == 404
    future = api.post(f"{ITEMS}{key_item.pk}/record_activity/",
                      {"kind": "visit", "happened_on": "2025-03-06", "note": "x"}, format="json")  # fmt: skip
    assert (future.status_code, future.data) == (
        400,
        {"detail": "活动日期不能晚于今天。", "field": "happened_on"},
    )
    empty = api.post(f"{ITEMS}{key_item.pk}/finish/", {"conclusion": ""}, format="json")
    assert (empty.status_code, empty.data["detail"]) == (400, "请填写督办结论。")
    assert item_state(key_item) == before

    finished = api.post(
        f"{ITEMS}{key_item.pk}/finish/", {"conclusion": "已解决", "version": 1}, format="json"
    )
    assert (finished.status_code, finished.data["status"], finished.data["conclusion"]) == (
        200,
        "finished",
        "已解决",
    )
    assert (
        client(leader).post(f"{ITEMS}{key_item.pk}/reopen/", {"reason": "x"}, format="json").status_code
        == 403
    )
    reopened = client(staff).post(f"{ITEMS}{key_item.pk}/reopen/", {"reason": "仍未落实"}, format="json")
    assert (reopened.status_code, reopened.data["status"]) == (200, SupervisionStatus.IN_PROGRESS)


def test_carry_over_through_the_api(key_item, staff, leader):
    assert client(leader).post(f"{ITEMS}carry_over/", {"year": 2025}, format="json").status_code == 403

    response = client(staff).post(f"{ITEMS}carry_over/", {"year": 2025}, format="json")

    successor = SupervisionItem.objects.get(year=2026)
    assert response.data == {"year": 2025, "count": 1, "items": [successor.pk]}
    assert client(staff).post(f"{ITEMS}carry_over/", {"year": 2025}, format="json").data["count"] == 0


# -- Supervision months ---------------------------------------------------------------------------------------------


def test_campaigns_through_the_api(
    congress, staff, leader, assigned, deputy_user, own_mandate, urban_field, lead_unit
):
    created = client(staff).post(
        CAMPAIGNS,
        {
            "congress": congress.pk,
            "year": 2025,
            "name": "督办月",
            "starts_on": "2025-03-01",
            "ends_on": "2025-03-31",
        },
        format="json",
    )
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    refused = client(leader).post(
        CAMPAIGNS,
        {
            "congress": congress.pk,
            "year": 2025,
            "name": "领导的",
            "starts_on": "2025-03-01",
            "ends_on": "2025-03-31",
        },
        format="json",
    )
    assert refused.status_code == 403
    backwards = client(staff).post(
        CAMPAIGNS,
        {
            "congress": congress.pk,
            "year": 2025,
            "name": "倒序",
            "starts_on": "2025-03-31",
            "ends_on": "2025-03-01",
        },
        format="json",
    )
    assert (backwards.status_code, backwards.data["detail"]) == (400, "结束日期不能早于开始日期。")

    added = client(staff).post(
        f"{CAMPAIGNS}{pk}/add_suggestions/", {"suggestions": [assigned.pk]}, format="json"
    )
    assert (added.status_code, added.data["suggestion_count"]) == (200, 1)
    again = client(staff).post(
        f"{CAMPAIGNS}{pk}/add_suggestions/", {"suggestions": [assigned.pk]}, format="json"
    )
    assert again.status_code == 400 and "已在本督办月中" in again.data["detail"]

    progress = client(leader).get(f"{CAMPAIGNS}{pk}/progress/").data
    assert progress["counts"] == {"total": 1, "replied": 0, "satisfied": 0, "dissatisfied": 0}
    assert progress["entries"][0]["suggestion"]["id"] == assigned.pk

    # Deputies do not see campaigns at all.
    assert client(deputy_user).get(CAMPAIGNS).data["results"] == []
    assert client(deputy_user).get(f"{CAMPAIGNS}{pk}/").status_code == 404

    patched = client(staff).patch(f"{CAMPAIGNS}{pk}/", {"version": 1, "note": "加快进度"}, format="json")
    assert (patched.status_code, patched.data["note"], patched.data["version"]) == (200, "加快进度", 2)
    stale = client(staff).patch(f"{CAMPAIGNS}{pk}/", {"version": 1, "note": "x"}, format="json")
    assert stale.status_code == 409

    removed = client(staff).post(
        f"{CAMPAIGNS}{pk}/remove_suggestion/", {"suggestion": assigned.pk}, format="json"
    )
    assert (removed.status_code, removed.data["suggestion_count"]) == (200, 0)
    assert SupervisionCampaign.objects.get().entries.count() == 0


# -- Dissatisfied-suggestion meetings -----------------------------------------------------------------------------------


def test_meetings_through_the_api(congress, staff, leader, assigned, unit_user, own_mandate, other_unit):
    lead = dissatisfied(assigned, unit_user, staff, own_mandate)
    listed = client(staff).get(f"{MEETINGS}dissatisfied/").data
    assert [row["id"] for row in listed["results"]] == [lead.pk]
    assert listed["results"][0]["suggestion"]["title"] == assigned.title

    payload = {
        "congress": congress.pk, "name": "交办会", "held_on": "2025-03-05",
        "decisions": [{"assignment": lead.pk, "decision": "new_unit", "new_unit": other_unit.pk, "note": "改办"}],
    }  # fmt: skip
    assert client(leader).post(MEETINGS, payload, format="json").status_code == 403
    bad = client(staff).post(
        MEETINGS, {**payload, "decisions": [{"assignment": lead.pk, "decision": "new_unit"}]}, format="json"
    )
    assert bad.status_code == 400 and bad.data["detail"].endswith("请选择新的承办单位。")
    assert DissatisfiedMeeting.objects.count() == 0

    response = client(staff).post(MEETINGS, payload, format="json")

    assert response.status_code == 201, response.data
    [record] = response.data["reassignments"]
    assert (record["decision"], record["unit"]["name"], record["new_unit"]["name"], record["due"]) == (
        MeetingDecision.NEW_UNIT, "市住房和城乡建设局", "市教育局", "2025-04-05"
    )  # fmt: skip
    assert Assignment.objects.get(pk=lead.pk).status == AssignmentStatus.CANCELLED
    assert client(leader).get(f"{MEETINGS}{response.data['id']}/").status_code == 200
    assert client(unit_user).get(f"{MEETINGS}{response.data['id']}/").status_code == 404
    assert client(unit_user).get(f"{MEETINGS}dissatisfied/").data["results"] == []


# -- The schema --------------------------------------------------------------------------------------------------------


def test_the_schema_describes_supervision_without_warnings(tmp_path, django_db_blocker):
    target = tmp_path / "schema.json"
    with django_db_blocker.unblock():
        call_command(
            "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(target)
        )
    schema = json.loads(target.read_text())

    paths = {path for path in schema["paths"] if "/supervision-" in path}
    assert paths == {
        "/api/v1/supervision-items/", "/api/v1/supervision-items/{id}/", "/api/v1/supervision-items/{id}/finish/",
        "/api/v1/supervision-items/{id}/record_activity/", "/api/v1/supervision-items/{id}/reopen/",
        "/api/v1/supervision-items/carry_over/", "/api/v1/supervision-campaigns/", "/api/v1/supervision-campaigns/{id}/",
        "/api/v1/supervision-campaigns/{id}/add_suggestions/", "/api/v1/supervision-campaigns/{id}/progress/",
        "/api/v1/supervision-campaigns/{id}/remove_suggestion/", "/api/v1/supervision-meetings/",
        "/api/v1/supervision-meetings/{id}/", "/api/v1/supervision-meetings/dissatisfied/",
    }  # fmt: skip
    assert set(schema["paths"]["/api/v1/supervision-items/{id}/"]) == {"get", "patch"}
    finish = schema["paths"]["/api/v1/supervision-items/{id}/finish/"]["post"]
    assert set(finish["responses"]) == {"200", "400", "403", "409"}
    assert SupervisionKind.KEY in schema["components"]["schemas"]["SupervisionItemStartKindEnum"]["enum"]
