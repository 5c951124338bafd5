"""Fixtures of the supervision tests: those of the suggestion tests (a Fuzhou-like congress in 2025,
deputies with accounts, handling units and their staff, the clock on Wednesday 2025-03-05), a second
leader and committee, assigned suggestions, and helpers that drive suggestions and items through
the real services."""

from datetime import date
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.accounts.choices import Role
from lvzhi.suggestions import services as suggestion_services
from lvzhi.suggestions.choices import AssignmentRole, AssignmentStatus, Satisfaction, SuggestionStatus
from lvzhi.suggestions.models import Assignment, Suggestion
from lvzhi.supervision import services
from lvzhi.supervision.choices import SupervisionKind

from ..factories import CommitteeFactory, ExpertiseFieldFactory, UserFactory
from ..suggestions import conftest as suggestion_fixtures
from ..suggestions.factories import SuggestionFactory, assign, released

S = SuggestionStatus
A = AssignmentStatus

# The suggestion tests' fixtures (the clock, the rules, units and their staff, deputies), shared here.
_clock = suggestion_fixtures._clock
_fresh_calendar = suggestion_fixtures._fresh_calendar
co_unit = suggestion_fixtures.co_unit
co_unit_user = suggestion_fixtures.co_unit_user
cosigner_one = suggestion_fixtures.cosigner_one
cosigner_two = suggestion_fixtures.cosigner_two
government = suggestion_fixtures.government
government_user = suggestion_fixtures.government_user
lead_unit = suggestion_fixtures.lead_unit
other_deputy = suggestion_fixtures.other_deputy
other_unit = suggestion_fixtures.other_unit
other_unit_user = suggestion_fixtures.other_unit_user
rules = suggestion_fixtures.rules
session = suggestion_fixtures.session
sub_department = suggestion_fixtures.sub_department
sub_department_user = suggestion_fixtures.sub_department_user
urban_field = suggestion_fixtures.urban_field


@pytest.fixture
def education_field(db):
    return ExpertiseFieldFactory(name="教育科技")


@pytest.fixture
def committee(congress, urban_field):
    """城建环资工委, counterpart of 城建环境 (``committee_user`` is its staff)."""
    committee = CommitteeFactory(congress=congress, name="城建环资工委")
    committee.fields.add(urban_field)
    return committee


@pytest.fixture
def other_committee(congress, education_field):
    committee = CommitteeFactory(congress=congress, name="教科文卫工委")
    committee.fields.add(education_field)
    return committee


@pytest.fixture
def other_committee_user(other_committee):
    return UserFactory(username="t-committee-2", role=Role.COMMITTEE_STAFF, committee=other_committee)


@pytest.fixture
def other_leader(db):
    return UserFactory(username="t-leader-2", role=Role.LEADER)


@pytest.fixture
def assigned(own_mandate, staff, urban_field, lead_unit, co_unit, rules):
    """A suggestion led by ``deputy_user`` (鼓楼, 城建环境), assigned on 2025-03-05 to the lead unit
    (``unit_user``) with a co-unit (``co_unit_user``)."""
    suggestion, _assignments = assign(
        own_mandate, staff, field=urban_field, lead=lead_unit, co_units=[co_unit]
    )
    return suggestion


# Numbers apart from those the services give (第2001号 on): the two never collide.
NUMBERS = count(9001)


def assigned_suggestion(
    mandate, *, unit, field, status=S.ASSIGNED, title="关于改善停车难问题的建议", **kwargs
):
    """A numbered suggestion assigned to ``unit`` (lead), put in its state directly (lists, scoping)."""
    suggestion = SuggestionFactory(
        congress=mandate.congress,
        term=mandate.term,
        lead_mandate=mandate,
        accepted=True,
        status=status,
        title=title,
        number=next(NUMBERS),
    )
    Suggestion.objects.filter(pk=suggestion.pk).update(field=field)
    suggestion.refresh_from_db()
    Assignment.objects.create(
        suggestion=suggestion,
        unit=unit,
        role=AssignmentRole.LEAD,
        status=kwargs.get("assignment_status", A.ACKNOWLEDGED),
        assigned_on=date(2025, 3, 5),
        assigned_by=suggestion.created_by,
        reply_due=date(2025, 6, 5),
    )
    return suggestion


def start_key(suggestion, *, staff, leader, committee=None, team_members=(), year=2025, **kwargs):
    return services.supervision_start(
        suggestion=suggestion,
        kind=SupervisionKind.KEY,
        year=year,
        actor=staff,
        leader=leader,
        committee=committee,
        team_members=list(team_members),
        decided_on=kwargs.pop("decided_on", date(2025, 2, 20)),
        decision_ref=kwargs.pop("decision_ref", "第十六届常委会第二十次主任会议"),
        **kwargs,
    )


def dissatisfied(suggestion, unit_user, staff, mandate, *, unit=None) -> Assignment:
    """The lead unit replies, the office releases it and the lead deputy rates it 不满意: the lead
    assignment is re-handled (``rehandling``), through the real services."""
    lead = suggestion.assignments.get(role=AssignmentRole.LEAD, status__in=(A.ASSIGNED, A.ACKNOWLEDGED))
    reply = released(lead, unit_user, staff, contact_deputy=mandate)
    recipient = reply.recipients.get(mandate=mandate)
    suggestion_services.reply_evaluate(
        recipient=recipient,
        actor=mandate.person.user,
        satisfaction=Satisfaction.DISSATISFIED,
        process_rating=Satisfaction.DISSATISFIED,
        result_rating=Satisfaction.DISSATISFIED,
        comment="问题没有解决",
    )
    lead.refresh_from_db()
    assert lead.status == A.REHANDLING
    return lead


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)
