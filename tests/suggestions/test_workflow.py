"""The declared transitions: the table is consistent, the buttons follow it, and every transition
it does not declare is refused with nothing changed."""

from datetime import date
from types import SimpleNamespace

import pytest

from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.suggestions import services, workflow
from lvzhi.suggestions.choices import (
    AssignmentRole,
    AssignmentStatus,
    InadmissibleReason,
    ReviewDecision,
    SuggestionStatus,
)
from lvzhi.suggestions.models import NUMBERED_STATUSES, Assignment, SuggestionEvent
from lvzhi.suggestions.workflow import Action, available_actions

from .factories import SuggestionFactory, assign, draft, released, submit

S = SuggestionStatus
A = AssignmentStatus


def actions_of(suggestion, user, **kwargs) -> list[str]:
    return [available.action for available in available_actions(suggestion, user, **kwargs)]


# -- The table ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "statuses"),
    [(workflow.SUGGESTION_TRANSITIONS, S), (workflow.ASSIGNMENT_TRANSITIONS, A)],
)
def test_the_tables_name_only_real_statuses_and_actions(table, statuses):
    for transition in table:
        assert transition.sources <= set(statuses.values)
        assert transition.target is None or transition.target in statuses.values
        assert transition.action in Action.values
        # One "who may" per action: the same people may take it whatever the branch.
        assert all(t.who is transition.who for t in table if t.action == transition.action)


@pytest.mark.parametrize("table", [workflow.SUGGESTION_TRANSITIONS, workflow.ASSIGNMENT_TRANSITIONS])
def test_every_branch_has_a_fallback(table):
    """Where ``when`` picks among transitions of one action, some transition without ``when`` covers
    the same statuses, so a check never falls through."""
    for transition in table:
        if transition.when is None:
            continue
        fallbacks = [t for t in table if t.action == transition.action and t.when is None]
        covered = set().union(*(t.sources for t in fallbacks)) if fallbacks else set()
        assert transition.sources <= covered, transition


def assignments(*pairs):
    return [SimpleNamespace(role=role, status=status) for role, status in pairs]


LEAD, CO, SPLIT = AssignmentRole.LEAD, AssignmentRole.CO, AssignmentRole.SPLIT


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], S.ASSIGNED),
        ([(LEAD, A.ASSIGNED), (CO, A.ACKNOWLEDGED)], S.ASSIGNED),
        ([(LEAD, A.OBJECTED)], S.ASSIGNED),
        ([(LEAD, A.ACKNOWLEDGED), (CO, A.ASSIGNED)], S.HANDLING),
        ([(LEAD, A.REASSIGNED), (LEAD, A.ASSIGNED)], S.ASSIGNED),  # the sub-unit has it now
        ([(LEAD, A.CANCELLED), (LEAD, A.ACKNOWLEDGED)], S.HANDLING),  # replaced after an objection
        ([(LEAD, A.REPLY_SUBMITTED), (CO, A.ASSIGNED)], S.REPLY_SUBMITTED),
        ([(SPLIT, A.REPLIED), (SPLIT, A.ASSIGNED)], S.HANDLING),
        ([(SPLIT, A.REPLIED), (SPLIT, A.REPLY_SUBMITTED)], S.REPLY_SUBMITTED),
        ([(SPLIT, A.REPLIED), (SPLIT, A.REHANDLING)], S.REHANDLING),
        ([(LEAD, A.REPLIED), (CO, A.INPUT_SUBMITTED)], S.REPLIED),
    ],
)
def test_the_suggestions_status_rolls_up_from_its_assignments(rows, expected):
    assert workflow.status_from_assignments(assignments(*rows)) == expected


# -- Buttons -------------------------------------------------------------------------------------------


def test_buttons_of_a_draft(deputy_user, own_mandate, cosigner_one, staff, other_deputy):
    suggestion = draft(own_mandate)
    services.suggestion_invite_cosigners(suggestion=suggestion, mandates=[cosigner_one], actor=deputy_user)

    assert actions_of(suggestion, deputy_user) == ["edit", "attach", "invite_cosigners", "submit", "withdraw"]
    assert actions_of(suggestion, cosigner_one.person.user) == ["respond"]
    assert actions_of(suggestion, staff) == []  # a deputy's draft is private until submitted
    assert actions_of(suggestion, other_deputy.person.user) == []


def test_buttons_of_the_first_review(deputy_user, own_mandate, staff, unit_user):
    suggestion = submit(own_mandate)

    assert actions_of(suggestion, staff) == [
        "edit",
        "attach",
        "accept",
        "return",
        "reject",
        "convert_to_letter",
    ]
    assert actions_of(suggestion, deputy_user) == ["edit", "attach", "withdraw"]
    assert actions_of(suggestion, unit_user) == []


def test_buttons_of_the_units_follow_scope_and_window(
    own_mandate, staff, urban_field, lead_unit, unit_user, other_unit_user, deputy_user
):
    suggestion, [lead] = assign(own_mandate, staff, field=urban_field, lead=lead_unit, on=date(2025, 3, 3))

    unit_buttons = available_actions(suggestion, unit_user, today=date(2025, 3, 12))
    assert [(b.action, b.assignment_id) for b in unit_buttons] == [
        ("acknowledge", lead.pk),
        ("object", lead.pk),
        ("reassign", lead.pk),
    ]
    # The objection window closed on 2025-03-12.
    assert actions_of(suggestion, unit_user, today=date(2025, 3, 13)) == ["acknowledge", "reassign"]
    assert actions_of(suggestion, other_unit_user) == []
    assert actions_of(suggestion, deputy_user) == []
    assert actions_of(suggestion, staff) == []

    services.assignment_object(assignment=lead, reason="不属于我局", actor=unit_user)
    assert actions_of(suggestion, staff) == ["uphold_objection", "reject_objection"]


def test_buttons_of_the_evaluation(
    own_mandate, staff, urban_field, lead_unit, unit_user, deputy_user, other_deputy
):
    suggestion, [lead] = assign(own_mandate, staff, field=urban_field, lead=lead_unit)
    released(lead, unit_user, staff)
    suggestion.refresh_from_db()

    assert actions_of(suggestion, deputy_user) == ["evaluate"]
    assert actions_of(suggestion, other_deputy.person.user) == []
    assert actions_of(suggestion, unit_user) == ["log_contact", "record_commitment"]
    assert actions_of(suggestion, staff) == []  # closing waits for the evaluation


# -- Every undeclared transition is refused, nothing changed ------------------------------------------


def suggestion_in(status, own_mandate):
    extra = {"rejection_reason": InadmissibleReason.ADVERTISING} if status == S.REJECTED else {}
    return SuggestionFactory(
        congress=own_mandate.congress,
        term=own_mandate.term,
        lead_mandate=own_mandate,
        status=status,
        accepted=status in NUMBERED_STATUSES,
        **extra,
    )


def assert_refused(suggestion, call, status):
    version = suggestion.version
    with pytest.raises(DomainError) as refusal:
        call()
    assert not isinstance(refusal.value, ForbiddenError)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.version) == (status, version)
    assert SuggestionEvent.objects.count() == 0
    return refusal.value.message


@pytest.mark.parametrize("status", [s for s in S.values if s != S.SUBMITTED])
def test_review_outside_submitted_is_refused(status, own_mandate, staff, urban_field):
    suggestion = suggestion_in(status, own_mandate)
    message = assert_refused(
        suggestion,
        lambda: services.suggestion_review(
            suggestion=suggestion, actor=staff, decision=ReviewDecision.ACCEPT, field=urban_field
        ),
        status,
    )
    assert message == f"当前状态“{S(status).label}”下不能立案。"


@pytest.mark.parametrize("status", [s for s in S.values if s != S.ACCEPTED])
def test_assignment_outside_accepted_is_refused(status, own_mandate, staff, lead_unit):
    suggestion = suggestion_in(status, own_mandate)
    assert_refused(
        suggestion,
        lambda: services.suggestion_assign(suggestion=suggestion, actor=staff, lead=lead_unit),
        status,
    )
    assert Assignment.objects.count() == 0


@pytest.mark.parametrize("status", sorted(workflow.AFTER_ASSIGNMENT | workflow.CLOSED_OR_GONE))
def test_withdrawal_after_assignment_or_an_end_is_refused(status, own_mandate, deputy_user):
    suggestion = suggestion_in(status, own_mandate)
    message = assert_refused(
        suggestion, lambda: services.suggestion_withdraw(suggestion=suggestion, actor=deputy_user), status
    )
    if status in workflow.AFTER_ASSIGNMENT:
        assert message == "该建议已交办，不能撤回。"


@pytest.mark.parametrize("status", [s for s in S.values if s != S.REPLIED])
def test_closing_outside_replied_is_refused(status, own_mandate, staff):
    suggestion = suggestion_in(status, own_mandate)
    assert_refused(suggestion, lambda: services.suggestion_close(suggestion=suggestion, actor=staff), status)


@pytest.mark.parametrize(
    "status", [s for s in S.values if s not in (S.DRAFT, S.RETURNED_FOR_REVISION, S.AWAITING_COSIGNERS)]
)
def test_submission_outside_drafting_is_refused(status, own_mandate, deputy_user):
    suggestion = suggestion_in(status, own_mandate)
    assert_refused(
        suggestion, lambda: services.suggestion_submit(suggestion=suggestion, actor=deputy_user), status
    )
