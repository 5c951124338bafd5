"""The rules of supervision (DOMAIN §5.7-5.8), through the services: who may, in which state, with
exact dates; each refusal with nothing changed and nothing queued; the events and notifications."""

import threading
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.notifications.models import Notification, Reminder
from lvzhi.suggestions import services as suggestion_services
from lvzhi.suggestions.choices import AssignmentRole, AssignmentStatus, Satisfaction, SuggestionStatus
from lvzhi.suggestions.models import Assignment, Suggestion, SuggestionEvent, SuggestionRules
from lvzhi.supervision import services
from lvzhi.supervision.choices import ActivityKind, MeetingDecision, SupervisionKind, SupervisionStatus
from lvzhi.supervision.models import (
    CampaignSuggestion,
    DissatisfiedMeeting,
    MeetingReassignment,
    SupervisionActivity,
    SupervisionCampaign,
    SupervisionItem,
)
from lvzhi.supervision.services import items as item_services

from ..factories import CongressFactory, HandlingUnitFactory, UserFactory
from ..suggestions.conftest import at
from ..suggestions.factories import accept, assign, released, submit
from .conftest import assigned_suggestion, dissatisfied, start_key

S = SuggestionStatus
A = AssignmentStatus
K = SupervisionKind
ST = SupervisionStatus


def supervision_events(suggestion) -> list[str]:
    return list(
        suggestion.events.filter(type__startswith="supervision.")
        .order_by("at", "id")
        .values_list("type", flat=True)
    )


def notified(kind: str) -> dict[str, str]:
    """username → title of the notifications of ``kind``."""
    return {
        n.recipient.username: n.title
        for n in Notification.objects.filter(kind=kind).select_related("recipient")
    }


def snapshot(suggestion) -> tuple:
    """What a refused action must leave as it was."""
    items = tuple(SupervisionItem.objects.order_by("id").values_list("id", "status", "version", "leader_id"))
    return (
        items,
        SupervisionActivity.objects.count(),
        SuggestionEvent.objects.filter(suggestion=suggestion).count(),
        Suggestion.objects.get(pk=suggestion.pk).version,
    )


# -- Starting (列为督办) ----------------------------------------------------------------------------------


def test_office_lists_a_key_item_with_the_directors_meeting_decision(
    assigned,
    staff,
    leader,
    committee,
    committee_user,
    unit_user,
    co_unit_user,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        item = start_key(
            assigned, staff=staff, leader=leader, committee=committee, team_members=[committee_user, leader],
            team="市人大代表张某",
        )  # fmt: skip

    item.refresh_from_db()
    assert (item.kind, item.year, item.status, item.leader, item.committee) == (
        K.KEY, 2025, ST.IN_PROGRESS, leader, committee
    )  # fmt: skip
    assert (item.decided_on, item.decision_ref, item.team) == (
        date(2025, 2, 20), "第十六届常委会第二十次主任会议", "市人大代表张某"
    )  # fmt: skip
    # The leader leads the team; it is not also one of its members.
    assert list(item.team_members.all()) == [committee_user]
    assert item.created_by == staff
    event = assigned.events.get(type="supervision.started")
    assert (event.actor, event.from_status, event.to_status) == (staff, S.ASSIGNED, S.ASSIGNED)
    assert event.payload == {
        "item": item.pk, "kind": "key", "year": 2025, "leader": "t-leader", "committee": "城建环资工委",
        "team": ["t-committee"],
    }  # fmt: skip
    titles = notified("supervision.started")
    assert set(titles) == {"t-leader", "t-committee", "t-unit", "t-co-unit"}
    assert titles["t-leader"] == f"请您领衔督办建议（重点督办）：{assigned.title}"
    assert titles["t-unit"] == f"您单位承办的建议已列为2025年度重点督办：{assigned.title}"
    assert Notification.objects.get(recipient=leader).link == f"/supervision/{item.pk}/"


def test_a_key_item_may_be_picked_once_accepted_before_assignment(
    own_mandate, staff, leader, urban_field, rules
):
    suggestion = accept(own_mandate, staff, field=urban_field)

    item = start_key(suggestion, staff=staff, leader=leader)

    assert item.suggestion_id == suggestion.pk


def test_a_key_item_needs_a_standing_committee_leader(
    assigned, staff, committee_user, django_capture_on_commit_callbacks
):
    before = snapshot(assigned)
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(DomainError, match="重点督办须指定领衔督办的常委会领导。"):
            start_key(assigned, staff=staff, leader=None)
        with pytest.raises(DomainError, match="领衔督办领导须为常委会领导。"):
            start_key(assigned, staff=staff, leader=committee_user)
    assert snapshot(assigned) == before
    assert callbacks == []


@pytest.mark.parametrize("who", ["leader", "committee_user", "unit_user", "deputy_user", "county_user"])
def test_only_the_office_records_key_items(assigned, leader, who, request):
    before = snapshot(assigned)
    with pytest.raises(ForbiddenError, match="重点督办事项由代表工委根据主任会议决定登记。"):
        start_key(assigned, staff=request.getfixturevalue(who), leader=leader)
    assert snapshot(assigned) == before


def test_follow_up_supervision_is_the_offices(assigned, staff, leader):
    with pytest.raises(ForbiddenError, match="跟踪督办由代表工委开展。"):
        services.supervision_start(suggestion=assigned, kind=K.FOLLOW_UP, year=2025, actor=leader)

    item = services.supervision_start(suggestion=assigned, kind=K.FOLLOW_UP, year=2025, actor=staff)

    assert (item.kind, item.leader, item.committee) == (K.FOLLOW_UP, None, None)


def test_a_committee_supervises_a_suggestion_of_its_fields_in_its_own_name(
    assigned, committee, committee_user
):
    item = services.supervision_start(
        suggestion=assigned, kind=K.COUNTERPART, year=2025, actor=committee_user
    )

    assert (item.kind, item.committee, item.created_by) == (K.COUNTERPART, committee, committee_user)


def test_a_committee_cannot_pick_a_suggestion_outside_its_fields(
    own_mandate, staff, lead_unit, education_field, other_committee, committee_user, rules
):
    school, _assignments = assign(own_mandate, staff, field=education_field, lead=lead_unit)
    before = snapshot(school)

    with pytest.raises(ForbiddenError, match="该建议不属于本委员会的对口领域，不能列为对口督办。"):
        services.supervision_start(suggestion=school, kind=K.COUNTERPART, year=2025, actor=committee_user)
    with pytest.raises(ForbiddenError, match="只能以本委员会的名义开展对口督办。"):
        services.supervision_start(
            suggestion=school, kind=K.COUNTERPART, year=2025, actor=committee_user, committee=other_committee
        )
    assert snapshot(school) == before


def test_a_committee_lists_only_counterpart_items(assigned, committee_user, leader):
    with pytest.raises(ForbiddenError):
        start_key(assigned, staff=committee_user, leader=leader)


def test_counterpart_supervision_by_the_office_names_the_committee(assigned, staff, committee):
    with pytest.raises(DomainError, match="对口督办须指定对口委员会。"):
        services.supervision_start(suggestion=assigned, kind=K.COUNTERPART, year=2025, actor=staff)

    item = services.supervision_start(
        suggestion=assigned, kind=K.COUNTERPART, year=2025, actor=staff, committee=committee
    )
    assert item.committee == committee


def test_a_committee_of_another_congress_is_refused(assigned, staff):
    from ..factories import CommitteeFactory

    elsewhere = CommitteeFactory(congress=CongressFactory(name="鼓楼区人民代表大会"), name="城建工委")
    with pytest.raises(DomainError, match="对口委员会须属于该建议所在的人大。"):
        services.supervision_start(
            suggestion=assigned, kind=K.COUNTERPART, year=2025, actor=staff, committee=elsewhere
        )


def test_only_an_accepted_open_suggestion_is_supervised(own_mandate, staff, leader, urban_field, rules):
    submitted = submit(own_mandate, title="关于一号的建议")
    with pytest.raises(DomainError, match="该建议尚未立案，不能列为督办。"):
        start_key(submitted, staff=staff, leader=leader)
    withdrawn = submit(own_mandate, title="关于二号的建议")
    suggestion_services.suggestion_withdraw(suggestion=withdrawn, actor=own_mandate.person.user)
    with pytest.raises(DomainError, match="该建议状态为“已撤回”，不能列为督办。"):
        start_key(withdrawn, staff=staff, leader=leader)
    closed = assigned_suggestion(own_mandate, unit=HandlingUnitFactory(), field=urban_field, status=S.CLOSED)
    with pytest.raises(DomainError, match="该建议已办结，不能列为督办。"):
        start_key(closed, staff=staff, leader=leader)
    assert SupervisionItem.objects.count() == 0


def test_one_item_per_suggestion_kind_and_year(assigned, staff, leader, committee):
    start_key(assigned, staff=staff, leader=leader)
    before = snapshot(assigned)

    with pytest.raises(DomainError, match="该建议已列为2025年度重点督办，请勿重复。"):
        start_key(assigned, staff=staff, leader=leader)
    assert snapshot(assigned) == before

    # Another kind, or another year, is another item.
    services.supervision_start(
        suggestion=assigned, kind=K.COUNTERPART, year=2025, actor=staff, committee=committee
    )
    start_key(assigned, staff=staff, leader=leader, year=2026)
    assert SupervisionItem.objects.filter(suggestion=assigned).count() == 3


def test_start_refuses_a_future_decision_a_unit_on_the_team_and_a_year_before_the_suggestion(
    assigned, staff, leader, unit_user
):
    with pytest.raises(DomainError, match="决定日期不能晚于今天。"):
        start_key(assigned, staff=staff, leader=leader, decided_on=date(2025, 3, 6))
    with pytest.raises(DomainError, match="承办单位工作人员不能作为督办组成员：t-unit。"):
        start_key(assigned, staff=staff, leader=leader, team_members=[unit_user])
    with pytest.raises(DomainError, match="督办年度不能早于建议的年度（2025年）。"):
        start_key(assigned, staff=staff, leader=leader, year=2024)
    with pytest.raises(DomainError, match="请选择督办类型。"):
        services.supervision_start(suggestion=assigned, kind="monthly", year=2025, actor=staff)
    assert SupervisionItem.objects.count() == 0


# -- Arranging ---------------------------------------------------------------------------------------------


@pytest.fixture
def key_item(assigned, staff, leader, committee, committee_user):
    return start_key(assigned, staff=staff, leader=leader, committee=committee, team_members=[committee_user])


def test_the_office_changes_the_leader_and_the_team(
    key_item, staff, other_leader, admin_user, committee_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.supervision_update(
            item=key_item,
            expected_version=1,
            changes={
                "leader": other_leader,
                "team_members": [committee_user, admin_user],
                "team": " 代表两名 ",
            },
            actor=staff,
        )

    key_item.refresh_from_db()
    assert (key_item.leader, key_item.team, key_item.version) == (other_leader, "代表两名", 2)
    assert set(key_item.team_members.all()) == {committee_user, admin_user}
    event = key_item.suggestion.events.get(type="supervision.changed")
    assert event.payload["fields"] == ["leader", "team", "team_members"]
    assert event.payload["leader"] == "t-leader-2"
    assert set(notified("supervision.changed")) == {"t-leader-2", "t-admin"}


def test_a_stale_version_changes_nothing(key_item, staff, other_leader):
    services.supervision_update(item=key_item, expected_version=1, changes={"team": "甲"}, actor=staff)
    before = snapshot(key_item.suggestion)

    with pytest.raises(ConflictError, match="该督办事项已被他人修改，请刷新页面后重试。"):
        services.supervision_update(
            item=key_item, expected_version=1, changes={"leader": other_leader}, actor=staff
        )

    assert snapshot(key_item.suggestion) == before


def test_unchanged_values_write_nothing(key_item, staff, leader):
    services.supervision_update(item=key_item, expected_version=1, changes={"leader": leader}, actor=staff)
    key_item.refresh_from_db()
    assert key_item.version == 1
    assert not key_item.suggestion.events.filter(type="supervision.changed").exists()


def test_a_committee_arranges_only_its_own_counterpart_items(
    assigned, staff, key_item, committee, other_committee, committee_user, deputy_user
):
    counterpart = services.supervision_start(
        suggestion=assigned, kind=K.COUNTERPART, year=2025, actor=committee_user
    )

    services.supervision_update(
        item=counterpart, expected_version=1, changes={"team": "委员三名"}, actor=committee_user
    )
    with pytest.raises(ForbiddenError, match="只能以本委员会的名义开展对口督办。"):
        services.supervision_update(
            item=counterpart, expected_version=2, changes={"committee": other_committee}, actor=committee_user
        )
    with pytest.raises(ForbiddenError, match="只有代表工委或对口督办的委员会可以调整督办安排。"):
        services.supervision_update(
            item=key_item, expected_version=1, changes={"team": "x"}, actor=committee_user
        )
    with pytest.raises(ForbiddenError):
        services.supervision_update(
            item=counterpart, expected_version=2, changes={"team": "x"}, actor=deputy_user
        )
    counterpart.refresh_from_db()
    assert (counterpart.team, counterpart.committee, counterpart.version) == ("委员三名", committee, 2)


def test_a_finished_item_is_not_rearranged(key_item, staff, leader):
    services.supervision_finish(item=key_item, conclusion="已解决", actor=leader)
    with pytest.raises(DomainError, match="该督办事项已完成，如需调整请先恢复督办。"):
        services.supervision_update(item=key_item, expected_version=2, changes={"team": "x"}, actor=staff)


def test_only_arrangement_fields_are_edited(key_item, staff):
    with pytest.raises(DomainError, match="不能修改这些字段：status"):
        services.supervision_update(
            item=key_item, expected_version=1, changes={"status": "finished"}, actor=staff
        )


# -- The team's work ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "committee_user", "staff"])
def test_the_team_records_its_activities(key_item, who, request, django_capture_on_commit_callbacks):
    actor = request.getfixturevalue(who)
    with django_capture_on_commit_callbacks(execute=True):
        activity = services.supervision_activity_record(
            item=key_item, kind=ActivityKind.VISIT, happened_on=date(2025, 3, 4), participants=" 领导、委员 ",
            note=" 实地察看停车场选址 ", actor=actor,
        )  # fmt: skip

    assert (activity.kind, activity.happened_on, activity.participants, activity.note, activity.recorded_by) == (
        "visit", date(2025, 3, 4), "领导、委员", "实地察看停车场选址", actor
    )  # fmt: skip
    event = key_item.suggestion.events.get(type="supervision.activity")
    assert (event.actor, event.reason) == (actor, "实地察看停车场选址")
    assert event.payload == {
        "item": key_item.pk, "kind": "key", "year": 2025, "activity": activity.pk, "activity_kind": "visit",
        "happened_on": "2025-03-04",
    }  # fmt: skip
    assert set(notified("supervision.activity")) == {"t-leader", "t-committee"}


def test_a_team_member_records_an_activity(assigned, staff, leader, admin_user):
    item = services.supervision_start(
        suggestion=assigned, kind=K.FOLLOW_UP, year=2025, actor=staff, team_members=[leader]
    )
    services.supervision_activity_record(
        item=item, kind=ActivityKind.FORUM, happened_on=date(2025, 3, 5), note="座谈", actor=leader
    )
    assert item.activities.count() == 1


@pytest.mark.parametrize(
    "who", ["unit_user", "other_leader", "deputy_user", "county_user", "other_committee_user"]
)
def test_others_may_not_record_activities(key_item, who, request, django_capture_on_commit_callbacks):
    before = snapshot(key_item.suggestion)
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(
            ForbiddenError, match="只有领衔督办领导、督办组成员、对口委员会或代表工委可以记录督办活动。"
        ):
            services.supervision_activity_record(
                item=key_item, kind=ActivityKind.VISIT, happened_on=date(2025, 3, 4), note="调研",
                actor=request.getfixturevalue(who),
            )  # fmt: skip
    assert snapshot(key_item.suggestion) == before
    assert callbacks == []


def test_an_activity_is_not_in_the_future_and_says_what_was_done(key_item, leader):
    with pytest.raises(DomainError, match="活动日期不能晚于今天。"):
        services.supervision_activity_record(
            item=key_item, kind=ActivityKind.VISIT, happened_on=date(2025, 3, 6), note="调研", actor=leader
        )
    with pytest.raises(DomainError, match="请填写督办情况。"):
        services.supervision_activity_record(
            item=key_item, kind=ActivityKind.VISIT, happened_on=date(2025, 3, 5), note="  ", actor=leader
        )
    with pytest.raises(DomainError, match="请选择活动类型。"):
        services.supervision_activity_record(
            item=key_item, kind="party", happened_on=date(2025, 3, 5), note="x", actor=leader
        )
    assert SupervisionActivity.objects.count() == 0


def test_the_leader_finishes_and_the_office_reopens(
    key_item, leader, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.supervision_finish(item=key_item, conclusion=" 停车位已增设 ", actor=leader)
    key_item.refresh_from_db()
    assert (key_item.status, key_item.conclusion, timezone.localdate(key_item.finished_at)) == (
        ST.FINISHED, "停车位已增设", date(2025, 3, 5)
    )  # fmt: skip
    assert set(notified("supervision.finished")) == {"t-leader", "t-committee"}

    services.supervision_reopen(item=key_item, reason="代表反映仍未落实", actor=staff, expected_version=2)

    key_item.refresh_from_db()
    assert (key_item.status, key_item.conclusion, key_item.finished_at, key_item.version) == (
        ST.IN_PROGRESS, "", None, 3
    )  # fmt: skip
    assert supervision_events(key_item.suggestion) == [
        "supervision.started", "supervision.finished", "supervision.reopened"
    ]  # fmt: skip
    reopened = key_item.suggestion.events.get(type="supervision.reopened")
    assert (reopened.actor, reopened.reason) == (staff, "代表反映仍未落实")


def test_finishing_and_reopening_refusals(key_item, leader, committee_user, staff):
    before = snapshot(key_item.suggestion)
    with pytest.raises(DomainError, match="请填写督办结论。"):
        services.supervision_finish(item=key_item, conclusion=" ", actor=leader)
    # A key item's conclusion is the leader's: the committee on its team does not finish it.
    with pytest.raises(ForbiddenError, match="只有领衔督办领导、对口督办的委员会或代表工委可以完成督办。"):
        services.supervision_finish(item=key_item, conclusion="好", actor=committee_user)
    with pytest.raises(DomainError, match="该督办事项正在督办中，无需恢复。"):
        services.supervision_reopen(item=key_item, reason="x", actor=staff)
    with pytest.raises(ConflictError):
        services.supervision_finish(item=key_item, conclusion="好", actor=leader, expected_version=7)
    assert snapshot(key_item.suggestion) == before

    services.supervision_finish(item=key_item, conclusion="好", actor=leader)
    with pytest.raises(DomainError, match="该督办事项已完成。"):
        services.supervision_finish(item=key_item, conclusion="好", actor=leader)
    with pytest.raises(ForbiddenError, match="只有代表工委工作人员可以进行此操作。"):
        services.supervision_reopen(item=key_item, reason="x", actor=leader)
    with pytest.raises(DomainError, match="请说明恢复督办的理由。"):
        services.supervision_reopen(item=key_item, reason="", actor=staff)


# -- Carrying over (DOMAIN §5.8) ---------------------------------------------------------------------------


@pytest.fixture
def year_items(own_mandate, staff, leader, committee, committee_user, urban_field, lead_unit, rules):
    """Three suggestions with 2025 items: a key item in progress, a finished key item, a counterpart
    item in progress."""
    suggestions = [
        assigned_suggestion(own_mandate, unit=lead_unit, field=urban_field, title=f"关于第{n}项的建议")
        for n in range(3)
    ]
    open_key = start_key(suggestions[0], staff=staff, leader=leader, committee=committee, team_members=[committee_user],
                         team="代表两名")  # fmt: skip
    finished = start_key(suggestions[1], staff=staff, leader=leader)
    services.supervision_finish(item=finished, conclusion="已解决", actor=leader)
    counterpart = services.supervision_start(
        suggestion=suggestions[2], kind=K.COUNTERPART, year=2025, actor=staff, committee=committee
    )
    return open_key, finished, counterpart


def test_unfinished_key_items_carry_over_to_the_next_year(
    year_items, leader, committee, committee_user, django_capture_on_commit_callbacks
):
    open_key, finished, counterpart = year_items

    with django_capture_on_commit_callbacks(execute=True):
        [successor] = services.supervision_carry_over(year=2025)

    open_key.refresh_from_db()
    assert open_key.status == ST.CARRIED_OVER
    assert (successor.year, successor.kind, successor.status, successor.carried_over_from) == (
        2026, K.KEY, ST.IN_PROGRESS, open_key
    )  # fmt: skip
    assert (successor.leader, successor.committee, successor.team) == (leader, committee, "代表两名")
    assert list(successor.team_members.all()) == [committee_user]
    assert successor.decision_ref == "由2025年度重点督办结转"
    finished.refresh_from_db()
    counterpart.refresh_from_db()
    assert (finished.status, counterpart.status) == (ST.FINISHED, ST.IN_PROGRESS)
    event = open_key.suggestion.events.get(type="supervision.carried_over")
    assert event.actor is None
    assert event.payload == {
        "item": open_key.pk,
        "kind": "key",
        "year": 2025,
        "new_item": successor.pk,
        "to_year": 2026,
    }
    assert notified("supervision.carried_over")["t-leader"] == (
        f"您领衔督办的建议转入2026年度继续督办：{open_key.suggestion.title}"
    )

    # Idempotent: nothing is in progress in 2025 any more.
    assert services.supervision_carry_over(year=2025) == []
    assert SupervisionItem.objects.filter(year=2026).count() == 1


def test_carry_over_links_an_item_the_directors_meeting_already_made(year_items, staff, other_leader):
    open_key, _finished, _counterpart = year_items
    chosen = start_key(open_key.suggestion, staff=staff, leader=other_leader, year=2026)

    [successor] = services.supervision_carry_over(year=2025, actor=staff)

    assert successor == chosen
    chosen.refresh_from_db()
    assert (chosen.carried_over_from, chosen.leader) == (open_key, other_leader)
    assert SupervisionItem.objects.filter(year=2026).count() == 1


def test_a_closed_suggestion_s_unfinished_key_item_still_carries_over(year_items):
    """The item's own status says whether supervision is finished (documented in the service)."""
    open_key, _finished, _counterpart = year_items
    Suggestion.objects.filter(pk=open_key.suggestion_id).update(status=S.CLOSED)

    assert len(services.supervision_carry_over(year=2025)) == 1


def test_carry_over_is_the_offices_and_may_be_limited_to_a_congress(year_items, leader, staff):
    before = snapshot(year_items[0].suggestion)
    with pytest.raises(ForbiddenError):
        services.supervision_carry_over(year=2025, actor=leader)
    assert snapshot(year_items[0].suggestion) == before

    other = CongressFactory(name="闽侯县人民代表大会")
    assert services.supervision_carry_over(year=2025, actor=staff, congress=other) == []
    assert (
        len(
            services.supervision_carry_over(
                year=2025, actor=staff, congress=year_items[0].suggestion.congress
            )
        )
        == 1
    )


def test_a_carried_over_item_is_closed_to_work(year_items, leader):
    open_key = year_items[0]
    services.supervision_carry_over(year=2025)
    with pytest.raises(DomainError, match="该督办事项已结转下年度，请在下年度的督办事项中办理。"):
        services.supervision_activity_record(
            item=open_key, kind=ActivityKind.VISIT, happened_on=date(2025, 3, 5), note="x", actor=leader
        )


# -- Supervision months (督办月) ------------------------------------------------------------------------------


def make_campaign(congress, staff, **kwargs):
    values = {
        "year": 2025,
        "name": "2025年代表建议督办月",
        "starts_on": date(2025, 3, 1),
        "ends_on": date(2025, 3, 31),
        "note": "集中督办",
    }
    values.update(kwargs)
    return services.campaign_create(congress=congress, actor=staff, **values)


def test_the_office_creates_a_supervision_month(congress, staff):
    campaign = make_campaign(congress, staff, name=" 2025年代表建议督办月 ")

    assert (campaign.name, campaign.starts_on, campaign.ends_on, campaign.created_by) == (
        "2025年代表建议督办月", date(2025, 3, 1), date(2025, 3, 31), staff
    )  # fmt: skip


def test_campaign_refusals(congress, staff, leader):
    make_campaign(congress, staff)
    with pytest.raises(DomainError, match="结束日期不能早于开始日期。"):
        make_campaign(congress, staff, name="另一个", ends_on=date(2025, 2, 28))
    with pytest.raises(DomainError, match="已有同名的督办月活动：2025年代表建议督办月。"):
        make_campaign(congress, staff)
    with pytest.raises(DomainError, match="请填写活动名称。"):
        make_campaign(congress, staff, name=" ")
    with pytest.raises(ForbiddenError):
        make_campaign(congress, leader, name="领导的")
    assert SupervisionCampaign.objects.count() == 1


def test_editing_a_campaign_carries_its_version(congress, staff):
    campaign = make_campaign(congress, staff)
    other = make_campaign(congress, staff, name="第二个")

    services.campaign_update(
        campaign=campaign, expected_version=1, changes={"ends_on": date(2025, 4, 15)}, actor=staff
    )
    with pytest.raises(ConflictError, match="该督办月活动已被他人修改，请刷新页面后重试。"):
        services.campaign_update(campaign=campaign, expected_version=1, changes={"note": "x"}, actor=staff)
    with pytest.raises(DomainError, match="已有同名的督办月活动：第二个。"):
        services.campaign_update(
            campaign=campaign, expected_version=2, changes={"name": other.name}, actor=staff
        )
    with pytest.raises(DomainError, match="结束日期不能早于开始日期。"):
        services.campaign_update(
            campaign=campaign, expected_version=2, changes={"starts_on": date(2025, 5, 1)}, actor=staff
        )
    campaign.refresh_from_db()
    assert (campaign.ends_on, campaign.version, campaign.note) == (date(2025, 4, 15), 2, "集中督办")


@pytest.fixture
def three_assigned(own_mandate, urban_field, lead_unit, co_unit):
    one = assigned_suggestion(own_mandate, unit=lead_unit, field=urban_field, title="关于甲的建议")
    two = assigned_suggestion(own_mandate, unit=lead_unit, field=urban_field, title="关于乙的建议")
    three = assigned_suggestion(own_mandate, unit=co_unit, field=urban_field, title="关于丙的建议")
    return one, two, three


def test_suggestions_go_into_a_campaign_and_each_unit_is_told_once(
    congress, staff, three_assigned, unit_user, co_unit_user, django_capture_on_commit_callbacks
):
    campaign = make_campaign(congress, staff)

    with django_capture_on_commit_callbacks(execute=True):
        entries = services.campaign_add_suggestions(
            campaign=campaign, suggestions=list(three_assigned), actor=staff
        )

    assert [entry.suggestion for entry in entries] == list(three_assigned)
    for suggestion in three_assigned:
        event = suggestion.events.get(type="supervision.campaign_added")
        assert (event.actor, event.payload) == (
            staff,
            {
                "campaign": campaign.pk,
                "name": "2025年代表建议督办月",
                "starts_on": "2025-03-01",
                "ends_on": "2025-03-31",
            },
        )
    titles = notified("supervision.campaign_added")
    assert titles == {
        "t-unit": "您单位有2件建议列入“2025年代表建议督办月”（2025-03-01至2025-03-31），请加快办理。",
        "t-co-unit": "您单位有1件建议列入“2025年代表建议督办月”（2025-03-01至2025-03-31），请加快办理。",
    }


def test_adding_to_a_campaign_is_all_or_nothing(
    congress, staff, three_assigned, own_mandate, urban_field, lead_unit, django_capture_on_commit_callbacks
):
    one, two, _three = three_assigned
    campaign = make_campaign(congress, staff)
    services.campaign_add_suggestions(campaign=campaign, suggestions=[one], actor=staff)
    closed = assigned_suggestion(
        own_mandate, unit=lead_unit, field=urban_field, status=S.CLOSED, title="关于丁的建议"
    )
    not_assigned = accept(own_mandate, staff, field=urban_field, title="关于戊的建议")
    events = SuggestionEvent.objects.count()

    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(DomainError) as refused:
            services.campaign_add_suggestions(
                campaign=campaign, suggestions=[two, one, closed, not_assigned], actor=staff
            )

    assert refused.value.message == (
        "以下建议不能列入督办月，本次全部未列入："
        f"第2条{one.number_label}“关于甲的建议”：已在本督办月中；"
        f"第3条{closed.number_label}“关于丁的建议”：已办结；"
        f"第4条{not_assigned.number_label}“关于戊的建议”：尚未交办"
    )
    assert list(campaign.entries.values_list("suggestion_id", flat=True)) == [one.pk]
    assert SuggestionEvent.objects.count() == events
    assert callbacks == []
    with pytest.raises(DomainError, match="同一建议不能重复选择。"):
        services.campaign_add_suggestions(campaign=campaign, suggestions=[two, two], actor=staff)
    with pytest.raises(ForbiddenError):
        services.campaign_add_suggestions(campaign=campaign, suggestions=[two], actor=own_mandate.person.user)


def test_an_ended_campaign_takes_no_more_suggestions(congress, staff, three_assigned):
    campaign = make_campaign(
        congress, staff, name="二月督办", starts_on=date(2025, 2, 1), ends_on=date(2025, 2, 28)
    )
    with pytest.raises(DomainError, match="该督办月活动已于2025-02-28结束，不能再列入建议。"):
        services.campaign_add_suggestions(campaign=campaign, suggestions=[three_assigned[0]], actor=staff)
    assert CampaignSuggestion.objects.count() == 0


def test_removing_a_suggestion_from_a_campaign(congress, staff, three_assigned, leader):
    one, two, _three = three_assigned
    campaign = make_campaign(congress, staff)
    services.campaign_add_suggestions(campaign=campaign, suggestions=[one], actor=staff)

    with pytest.raises(ForbiddenError):
        services.campaign_remove_suggestion(campaign=campaign, suggestion=one, actor=leader)
    with pytest.raises(DomainError, match="该建议不在本督办月中。"):
        services.campaign_remove_suggestion(campaign=campaign, suggestion=two, actor=staff)
    services.campaign_remove_suggestion(campaign=campaign, suggestion=one, actor=staff)

    assert campaign.entries.count() == 0
    assert one.events.get(type="supervision.campaign_removed").payload == {
        "campaign": campaign.pk, "name": "2025年代表建议督办月"
    }  # fmt: skip


# -- The dissatisfied-suggestion meeting (不满意件交办会) -----------------------------------------------------------


@pytest.fixture
def rehandling(assigned, unit_user, staff, own_mandate, django_capture_on_commit_callbacks):
    """The lead unit's reply rated 不满意 on 2025-03-05: re-handled until 2025-04-05 (and reminded)."""
    with django_capture_on_commit_callbacks(execute=True):
        lead = dissatisfied(assigned, unit_user, staff, own_mandate)
    Notification.objects.all().delete()
    assert Reminder.objects.get(kind="suggestion.rehandling_due").due_date == date(2025, 4, 5)
    assert lead.rehandling_due == date(2025, 4, 5)
    return lead


def meeting_state(suggestion) -> tuple:
    assignments = tuple(
        Assignment.objects.filter(suggestion=suggestion)
        .order_by("id")
        .values_list("unit_id", "status", "rehandling_due")
    )
    return (
        assignments,
        Suggestion.objects.get(pk=suggestion.pk).status,
        DissatisfiedMeeting.objects.count(),
        MeetingReassignment.objects.count(),
        SuggestionEvent.objects.filter(suggestion=suggestion).count(),
    )


def test_the_same_unit_re_handles_from_the_meeting_date(
    congress, staff, rehandling, unit_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.dissatisfied_meeting_hold(
            congress=congress, name="2025年不满意件交办会", held_on=date(2025, 1, 31), note="限期办结",
            decisions=[(rehandling, MeetingDecision.SAME_UNIT, None, "主要领导牵头")], actor=staff,
        )  # fmt: skip

    rehandling.refresh_from_db()
    # One calendar month from 31 January is the last day of February (Art. 51 counts months).
    assert (rehandling.status, rehandling.rehandling_due) == (A.REHANDLING, date(2025, 2, 28))
    record = meeting.reassignments.get()
    assert (record.assignment, record.decision, record.new_assignment, record.due, record.note) == (
        rehandling, "same_unit", None, date(2025, 2, 28), "主要领导牵头"
    )  # fmt: skip
    event = rehandling.suggestion.events.get(type="assignment.reassigned_at_meeting")
    assert (event.from_status, event.to_status, event.reason, event.assignment) == (
        S.REHANDLING, S.REHANDLING, "限期办结", rehandling
    )  # fmt: skip
    assert event.payload["decisions"] == [
        {"assignment": rehandling.pk, "unit": "市住房和城乡建设局", "decision": "same_unit", "new_unit": "",
         "new_assignment": None, "due": "2025-02-28"}
    ]  # fmt: skip
    reminder = Reminder.objects.get(kind="suggestion.rehandling_due", target_object_id=rehandling.pk)
    assert (reminder.due_date, reminder.status) == (date(2025, 2, 28), "open")
    assert notified("supervision.meeting_same") == {
        "t-unit": "不满意件交办会：您单位须重新办理1件建议，请在2025-02-28前答复。"
    }


def test_the_rehandling_period_comes_from_the_congress_rules(congress, staff, rehandling):
    SuggestionRules.objects.filter(congress=congress).update(rehandling_months=2)

    services.dissatisfied_meeting_hold(
        congress=congress, name="交办会", held_on=date(2025, 3, 3),
        decisions=[(rehandling, MeetingDecision.SAME_UNIT, None, "")], actor=staff,
    )  # fmt: skip

    rehandling.refresh_from_db()
    assert rehandling.rehandling_due == date(2025, 5, 3)


def test_a_new_unit_takes_over_a_dissatisfied_suggestion(
    congress, staff, rehandling, other_unit, other_unit_user, unit_user, django_capture_on_commit_callbacks
):
    suggestion = rehandling.suggestion
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.dissatisfied_meeting_hold(
            congress=congress, name="2025年不满意件交办会", held_on=date(2025, 3, 5),
            decisions=[services.MeetingRow(rehandling, MeetingDecision.NEW_UNIT, other_unit, "改由市教育局办理")],
            actor=staff,
        )  # fmt: skip

    rehandling.refresh_from_db()
    assert rehandling.status == A.CANCELLED
    replacement = Assignment.objects.get(suggestion=suggestion, unit=other_unit)
    assert (replacement.role, replacement.status, replacement.assigned_on, replacement.assigned_by) == (
        AssignmentRole.LEAD, A.ASSIGNED, date(2025, 3, 5), staff
    )  # fmt: skip
    # The re-handling period from the meeting (1 month), not a fresh statutory three months; the
    # objection window as for any assignment that day (7 working days).
    assert (replacement.reply_due, replacement.objection_deadline) == (date(2025, 4, 5), date(2025, 3, 14))
    suggestion.refresh_from_db()
    assert suggestion.status == S.ASSIGNED  # rolled up from the new unit's assignment
    record = meeting.reassignments.get()
    assert (record.decision, record.new_assignment, record.due) == ("new_unit", replacement, date(2025, 4, 5))
    event = suggestion.events.get(type="assignment.reassigned_at_meeting")
    assert (event.from_status, event.to_status) == (S.REHANDLING, S.ASSIGNED)
    assert event.payload["decisions"][0]["new_unit"] == "市教育局"
    # The old unit owes nothing any more; the new one is reminded.
    assert (
        Reminder.objects.get(kind="suggestion.rehandling_due", target_object_id=rehandling.pk).status
        == "cancelled"
    )
    assert Reminder.objects.get(
        kind="suggestion.reply_due", target_object_id=replacement.pk
    ).due_date == date(2025, 4, 5)
    assert notified("supervision.meeting_new") == {
        "t-other-unit": "不满意件交办会：向您单位交办建议1件，请及时签收，在2025-04-05前答复。"
    }
    assert notified("supervision.meeting_moved") == {
        "t-unit": "不满意件交办会：您单位承办的1件建议改由其他单位办理。"
    }
    # The new unit sees the suggestion now, the old one no longer.
    from lvzhi.suggestions.selectors import suggestions_visible_to

    assert suggestions_visible_to(other_unit_user).filter(pk=suggestion.pk).exists()
    assert not suggestions_visible_to(unit_user).filter(pk=suggestion.pk).exists()


def test_the_meeting_is_all_or_nothing(
    congress,
    staff,
    rehandling,
    own_mandate,
    urban_field,
    lead_unit,
    other_unit,
    django_capture_on_commit_callbacks,
):
    handling = assigned_suggestion(
        own_mandate, unit=other_unit, field=urban_field, status=S.HANDLING, title="关于己的建议"
    )
    still_handled = handling.assignments.get()
    before = meeting_state(rehandling.suggestion), meeting_state(handling)

    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(DomainError) as refused:
            services.dissatisfied_meeting_hold(
                congress=congress, name="交办会", held_on=date(2025, 3, 5),
                decisions=[
                    (rehandling, MeetingDecision.SAME_UNIT, None, ""),
                    (still_handled, MeetingDecision.SAME_UNIT, None, ""),
                ],
                actor=staff,
            )  # fmt: skip

    assert refused.value.message == (
        "以下不满意件不能交办，本次交办会未登记："
        f"第2条{handling.number_label}“关于己的建议”（市教育局）：当前不是代表不满意、重新办理中的交办（办理中）。"
    )
    assert (meeting_state(rehandling.suggestion), meeting_state(handling)) == before
    assert callbacks == []


def test_meeting_refusals(congress, staff, leader, rehandling, lead_unit, co_unit, rules):
    def hold(*decisions, actor=staff, **kwargs):
        values = {"congress": congress, "name": "交办会", "held_on": date(2025, 3, 5)}
        values.update(kwargs)
        return services.dissatisfied_meeting_hold(decisions=list(decisions), actor=actor, **values)

    before = meeting_state(rehandling.suggestion)
    same = (rehandling, MeetingDecision.SAME_UNIT, None, "")
    with pytest.raises(ForbiddenError):
        hold(same, actor=leader)
    with pytest.raises(DomainError, match="会议日期不能晚于今天。"):
        hold(same, held_on=date(2025, 3, 6))
    with pytest.raises(DomainError, match="请填写会议名称。"):
        hold(same, name=" ")
    with pytest.raises(DomainError, match="请至少对一件不满意件作出交办决定。"):
        hold()
    with pytest.raises(DomainError, match="同一不满意件不能重复交办。"):
        hold(same, same)
    with pytest.raises(DomainError, match="请选择新的承办单位。"):
        hold((rehandling, MeetingDecision.NEW_UNIT, None, ""))
    with pytest.raises(DomainError, match="新的承办单位不能是原承办单位。"):
        hold((rehandling, MeetingDecision.NEW_UNIT, lead_unit, ""))
    with pytest.raises(DomainError, match="市交通运输局已承办该建议。"):
        hold((rehandling, MeetingDecision.NEW_UNIT, co_unit, ""))
    with pytest.raises(DomainError, match="不是本级人大的建议。"):
        hold(same, congress=CongressFactory(name="仓山区人民代表大会"))
    assert meeting_state(rehandling.suggestion) == before


def test_a_sub_unit_s_dissatisfied_assignment_stays_with_its_unit(
    congress, staff, own_mandate, urban_field, government, sub_department, other_unit
):
    suggestion = assigned_suggestion(own_mandate, unit=government, field=urban_field, status=S.REHANDLING)
    parent = suggestion.assignments.get()
    Assignment.objects.filter(pk=parent.pk).update(status=A.REASSIGNED)
    child = Assignment.objects.create(
        suggestion=suggestion, unit=sub_department, role=AssignmentRole.LEAD, parent=parent, status=A.REHANDLING,
        assigned_on=date(2025, 3, 5), assigned_by=staff, reply_due=date(2025, 6, 5),
    )  # fmt: skip

    with pytest.raises(DomainError, match="转办下级单位办理的建议只能由原承办单位重新办理。"):
        services.dissatisfied_meeting_hold(
            congress=congress, name="交办会", held_on=date(2025, 3, 5),
            decisions=[(child, MeetingDecision.NEW_UNIT, other_unit, "")], actor=staff,
        )  # fmt: skip
    services.dissatisfied_meeting_hold(
        congress=congress, name="交办会", held_on=date(2025, 3, 5),
        decisions=[(child, MeetingDecision.SAME_UNIT, None, "")], actor=staff,
    )  # fmt: skip
    child.refresh_from_db()
    assert child.rehandling_due == date(2025, 4, 5)


def test_the_new_unit_re_handles_and_the_suggestion_follows(
    congress, staff, rehandling, other_unit, other_unit_user, own_mandate
):
    """After the meeting the new unit works as any assigned unit: acknowledge, reply, the deputy rates."""
    services.dissatisfied_meeting_hold(
        congress=congress, name="交办会", held_on=date(2025, 3, 5),
        decisions=[(rehandling, MeetingDecision.NEW_UNIT, other_unit, "")], actor=staff,
    )  # fmt: skip
    replacement = Assignment.objects.get(unit=other_unit)

    reply = released(replacement, other_unit_user, staff, contact_deputy=own_mandate)

    rehandling.suggestion.refresh_from_db()
    assert rehandling.suggestion.status == S.REPLIED
    assert reply.recipients.get().mandate == own_mandate
    evaluation = suggestion_services.reply_evaluate(
        recipient=reply.recipients.get(), actor=own_mandate.person.user, satisfaction=Satisfaction.SATISFIED,
        process_rating=Satisfaction.SATISFIED, result_rating=Satisfaction.SATISFIED,
    )  # fmt: skip
    assert evaluation.satisfaction == Satisfaction.SATISFIED


# -- Concurrency (PostgreSQL) -------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_offices_listing_the_same_item_at_once_make_one(
    congress, term, gulou_mandate, urban_field, lead_unit, staff, admin_user, leader, monkeypatch
):
    """The suggestion's row lock queues the second start, which then sees the first item and is
    refused as a duplicate (never an integrity error)."""
    suggestion = assigned_suggestion(gulou_mandate, unit=lead_unit, field=urban_field)
    barrier = threading.Barrier(2)
    real_event = item_services.record_event

    def slow_event(*args, **kwargs):
        import time

        time.sleep(0.3)  # hold the lock while the other thread arrives
        return real_event(*args, **kwargs)

    monkeypatch.setattr(item_services, "record_event", slow_event)
    outcomes = {}

    def run(name, actor):
        try:
            barrier.wait()
            with time_machine.travel(at(2025, 3, 5), tick=True):
                start_key(suggestion, staff=actor, leader=leader)
            outcomes[name] = "ok"
        except DomainError as error:
            outcomes[name] = error.message
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(name, actor)) for name, actor in (("a", staff), ("b", admin_user))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == ["ok", "该建议已列为2025年度重点督办，请勿重复。"]
    assert SupervisionItem.objects.filter(suggestion=suggestion).count() == 1


def test_team_members_may_be_any_platform_user_but_not_inactive(assigned, staff, leader):
    gone = UserFactory(username="t-gone", is_active=False)
    with pytest.raises(DomainError, match="t-gone的账号已停用。"):
        start_key(assigned, staff=staff, leader=leader, team_members=[gone])
