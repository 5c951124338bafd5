"""The declared transitions of an item: the table is consistent, the buttons follow it; and the one
transition supervision adds to the suggestions' table stays off the suggestion page."""

from datetime import date

import pytest

from lvzhi.suggestions import workflow as suggestion_workflow
from lvzhi.suggestions.choices import AssignmentStatus
from lvzhi.supervision import services, workflow
from lvzhi.supervision.choices import SupervisionKind, SupervisionStatus
from lvzhi.supervision.workflow import Action, available_actions

from .conftest import dissatisfied, start_key


def actions_of(item, user) -> list[str]:
    return [available.action for available in available_actions(item, user)]


def test_the_table_names_only_real_statuses_and_actions():
    for transition in workflow.TRANSITIONS:
        assert transition.sources <= set(SupervisionStatus.values)
        assert transition.target is None or transition.target in SupervisionStatus.values
        assert transition.action in Action.values
    assert set(workflow.ACTIONS) == set(Action.values)


@pytest.fixture
def key_item(assigned, staff, leader, committee, admin_user):
    return start_key(assigned, staff=staff, leader=leader, committee=committee, team_members=[admin_user])


@pytest.fixture
def counterpart(assigned, committee_user):
    return services.supervision_start(
        suggestion=assigned, kind=SupervisionKind.COUNTERPART, year=2025, actor=committee_user
    )


def test_the_buttons_of_a_key_item(
    key_item, staff, leader, committee_user, other_leader, unit_user, deputy_user
):
    assert actions_of(key_item, staff) == ["update", "record_activity", "finish"]
    assert actions_of(key_item, leader) == ["record_activity", "finish"]
    # The counterpart committee supports the leader: it records, the leader concludes.
    assert actions_of(key_item, committee_user) == ["record_activity"]
    for outsider in (other_leader, unit_user, deputy_user):
        assert actions_of(key_item, outsider) == []

    services.supervision_finish(item=key_item, conclusion="已解决", actor=leader)
    key_item.refresh_from_db()
    assert actions_of(key_item, staff) == ["reopen"]
    assert actions_of(key_item, leader) == []


def test_a_team_member_records(key_item, admin_user, assigned, staff, other_leader):
    follow_up = services.supervision_start(
        suggestion=assigned,
        kind=SupervisionKind.FOLLOW_UP,
        year=2025,
        actor=staff,
        team_members=[other_leader],
    )
    assert actions_of(follow_up, other_leader) == ["record_activity"]


def test_the_buttons_of_a_counterpart_item(counterpart, committee_user, other_committee_user, staff):
    assert actions_of(counterpart, committee_user) == ["update", "record_activity", "finish"]
    assert actions_of(counterpart, other_committee_user) == []
    assert actions_of(counterpart, staff) == ["update", "record_activity", "finish"]


def test_carrying_over_is_never_a_button_but_is_checked(key_item, staff, counterpart):
    assert Action.CARRY_OVER not in actions_of(key_item, staff)
    assert workflow.check(key_item, Action.CARRY_OVER, staff).target == SupervisionStatus.CARRIED_OVER
    with pytest.raises(Exception, match="只有重点督办事项结转下年度。"):
        workflow.check(counterpart, Action.CARRY_OVER, staff)


def test_the_meeting_s_transition_is_declared_but_not_a_suggestion_page_button(
    assigned, unit_user, staff, own_mandate, other_unit
):
    """``reassign_at_meeting`` is checked by the meeting's service only: the suggestion page has no
    card for it, so ``available_actions`` never offers it."""
    lead = dissatisfied(assigned, unit_user, staff, own_mandate)
    assigned.refresh_from_db()

    offered = [a.action for a in suggestion_workflow.available_actions(assigned, staff)]

    assert suggestion_workflow.Action.REASSIGN_AT_MEETING not in offered
    assert suggestion_workflow.Action.REASSIGN_AT_MEETING not in suggestion_workflow.ASSIGNMENT_ACTIONS
    context = suggestion_workflow.Context(today=date(2025, 3, 5), rules=None, inputs={"new_unit": other_unit})
    check = suggestion_workflow.check_assignment
    assert check(lead, suggestion_workflow.Action.REASSIGN_AT_MEETING, staff, context).target == (
        AssignmentStatus.CANCELLED
    )
    same = suggestion_workflow.Context(today=date(2025, 3, 5), rules=None)
    assert check(lead, suggestion_workflow.Action.REASSIGN_AT_MEETING, staff, same).target is None
    with pytest.raises(Exception, match="只有代表工委工作人员可以进行此操作。"):
        check(lead, suggestion_workflow.Action.REASSIGN_AT_MEETING, unit_user, same)
