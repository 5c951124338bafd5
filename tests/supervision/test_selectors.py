"""Who sees which supervision item (one scoping place, built on the suggestions' scope), the leader's
home card, the suggestion page's panel and a campaign's figures, with query counts that do not grow."""

from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from lvzhi.accounts.choices import Role
from lvzhi.suggestions.choices import AssignmentStatus, Satisfaction
from lvzhi.suggestions.models import Assignment
from lvzhi.supervision import selectors, services
from lvzhi.supervision.choices import MeetingDecision, SupervisionKind

from ..factories import UserFactory
from ..suggestions.conftest import at
from ..suggestions.factories import assign, released
from .conftest import assigned_suggestion, count_queries, dissatisfied, start_key


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.fixture
def world(
    own_mandate, taijiang_mandate, staff, leader, committee, other_committee, urban_field, education_field,
    lead_unit, other_unit,
):  # fmt: skip
    """An urban suggestion of 鼓楼 (lead unit) and a school suggestion of 台江 (other unit); a key item
    on each (the school one with the 城建 committee as counterpart), a counterpart item of the 教科文卫
    committee on the school one."""
    urban = assigned_suggestion(own_mandate, unit=lead_unit, field=urban_field, title="关于停车的建议")
    school = assigned_suggestion(
        taijiang_mandate, unit=other_unit, field=education_field, title="关于学校的建议"
    )
    return {
        "urban_key": start_key(urban, staff=staff, leader=leader),
        "school_key": start_key(school, staff=staff, leader=leader, committee=committee),
        "school_counterpart": services.supervision_start(
            suggestion=school,
            kind=SupervisionKind.COUNTERPART,
            year=2025,
            actor=staff,
            committee=other_committee,
        ),
    }


@pytest.fixture
def taijiang_county_user(taijiang):
    return UserFactory(username="t-county-taijiang", role=Role.COUNTY_STAFF, electoral_unit=taijiang)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("staff", {"urban_key", "school_key", "school_counterpart"}),
        ("admin_user", {"urban_key", "school_key", "school_counterpart"}),
        ("leader", {"urban_key", "school_key", "school_counterpart"}),
        # Its fields' suggestions, and its own counterpart work whatever the field.
        ("committee_user", {"urban_key", "school_key"}),
        ("other_committee_user", {"school_key", "school_counterpart"}),
        ("unit_user", {"urban_key"}),
        ("other_unit_user", {"school_key", "school_counterpart"}),
        ("deputy_user", {"urban_key"}),
        ("county_user", {"urban_key"}),
        ("taijiang_county_user", {"school_key", "school_counterpart"}),
        ("co_unit_user", set()),
    ],
)
def test_who_sees_which_item(world, who, expected, request):
    user = request.getfixturevalue(who)
    assert ids(selectors.supervision_items_visible_to(user)) == {world[name].pk for name in expected}


def test_nobody_else_sees_anything(world):
    assert ids(selectors.supervision_items_visible_to(AnonymousUser())) == set()
    assert ids(selectors.supervision_items_visible_to(None)) == set()


def test_a_unit_whose_assignment_was_cancelled_no_longer_sees_the_item(world, unit_user):
    Assignment.objects.filter(suggestion=world["urban_key"].suggestion).update(
        status=AssignmentStatus.CANCELLED
    )
    assert ids(selectors.supervision_items_visible_to(unit_user)) == set()


def test_who_may_open_the_pages(staff, leader, committee_user, unit_user, deputy_user, county_user):
    assert [selectors.may_see_supervision(u) for u in (staff, leader, committee_user, unit_user, deputy_user)] == [
        True, True, True, False, False
    ]  # fmt: skip
    assert [selectors.may_see_campaigns(u) for u in (staff, leader, committee_user, county_user)] == [
        True, True, False, False
    ]  # fmt: skip
    assert [selectors.may_start_supervision(u) for u in (staff, leader, committee_user)] == [
        True,
        False,
        True,
    ]


# -- The leader's home card ----------------------------------------------------------------------------


def test_the_home_card_lists_this_years_open_items_led_or_joined(
    own_mandate, staff, leader, other_leader, urban_field, lead_unit
):
    suggestions = [
        assigned_suggestion(own_mandate, unit=lead_unit, field=urban_field, title=f"关于第{n}项的建议")
        for n in range(4)
    ]
    led = start_key(suggestions[0], staff=staff, leader=leader)
    joined = start_key(suggestions[1], staff=staff, leader=other_leader, team_members=[leader])
    finished = start_key(suggestions[2], staff=staff, leader=leader)
    services.supervision_finish(item=finished, conclusion="完成", actor=leader)
    start_key(suggestions[3], staff=staff, leader=leader, year=2026)  # next year's
    services.supervision_activity_record(
        item=led, kind="visit", happened_on=date(2025, 3, 1), note="调研", actor=leader
    )
    services.supervision_activity_record(
        item=led, kind="forum", happened_on=date(2025, 3, 4), note="座谈", actor=leader
    )

    items = selectors.supervision_items_for_home(leader)

    assert [item.pk for item in items] == [led.pk, joined.pk]
    first, second = items
    assert (first.is_leader, first.latest_activity, first.units, first.reply_due) == (
        True, date(2025, 3, 4), "市住房和城乡建设局（主办）", date(2025, 6, 5)
    )  # fmt: skip
    assert (second.is_leader, second.latest_activity) == (False, None)
    assert selectors.supervision_items_for_home(other_leader) == [joined]


def test_the_home_card_costs_the_same_queries_for_more_items(
    own_mandate, staff, leader, urban_field, lead_unit
):
    def make(count):
        for n in range(count):
            suggestion = assigned_suggestion(
                own_mandate, unit=lead_unit, field=urban_field, title=f"关于{n}的建议"
            )
            item = start_key(suggestion, staff=staff, leader=leader)
            services.supervision_activity_record(
                item=item, kind="visit", happened_on=date(2025, 3, 1), note="调研", actor=leader
            )

    make(1)
    one = count_queries(lambda: selectors.supervision_items_for_home(leader))
    make(6)
    assert len(selectors.supervision_items_for_home(leader)) == 7
    assert count_queries(lambda: selectors.supervision_items_for_home(leader)) == one


# -- The suggestion page's panel ---------------------------------------------------------------------------


def test_the_panel_shows_items_campaigns_and_meetings(
    assigned, staff, leader, congress, unit_user, own_mandate, deputy_user, other_unit_user
):
    item = start_key(assigned, staff=staff, leader=leader)
    services.supervision_activity_record(
        item=item, kind="visit", happened_on=date(2025, 3, 2), note="x", actor=leader
    )
    campaign = services.campaign_create(
        congress=congress,
        year=2025,
        name="督办月",
        starts_on=date(2025, 3, 1),
        ends_on=date(2025, 3, 31),
        actor=staff,
    )
    services.campaign_add_suggestions(campaign=campaign, suggestions=[assigned], actor=staff)
    lead = dissatisfied(assigned, unit_user, staff, own_mandate)
    services.dissatisfied_meeting_hold(
        congress=congress, name="交办会", held_on=date(2025, 3, 5),
        decisions=[(lead, MeetingDecision.SAME_UNIT, None, "")], actor=staff,
    )  # fmt: skip

    panel = selectors.supervision_for_suggestion(assigned, deputy_user)

    [shown] = panel["items"]
    assert (shown, shown.activity_count, shown.latest_activity) == (item, 1, date(2025, 3, 2))
    assert [entry.campaign for entry in panel["campaigns"]] == [campaign]
    assert [(record.decision, record.due) for record in panel["meetings"]] == [
        ("same_unit", date(2025, 4, 5))
    ]
    assert count_queries(lambda: selectors.supervision_for_suggestion(assigned, deputy_user)) == 3
    # Someone who cannot see the suggestion's items gets none of them.
    assert selectors.supervision_for_suggestion(assigned, other_unit_user)["items"] == []


# -- A campaign's figures ------------------------------------------------------------------------------------


def rate(reply, mandate, satisfaction):
    from lvzhi.suggestions import services as suggestion_services

    return suggestion_services.reply_evaluate(
        recipient=reply.recipients.get(mandate=mandate), actor=mandate.person.user, satisfaction=satisfaction,
        process_rating=satisfaction, result_rating=satisfaction,
    )  # fmt: skip


def test_a_campaign_counts_replies_and_ratings_until_its_end(
    congress, staff, own_mandate, urban_field, lead_unit, unit_user, rules
):
    suggestions = [assign(own_mandate, staff, field=urban_field, lead=lead_unit)[0] for _ in range(3)]
    campaign = services.campaign_create(
        congress=congress, year=2025, name="三月督办月", starts_on=date(2025, 3, 1), ends_on=date(2025, 3, 31),
        actor=staff,
    )  # fmt: skip
    services.campaign_add_suggestions(campaign=campaign, suggestions=suggestions, actor=staff)
    satisfied, unhappy, late = suggestions
    lead_of = {s.pk: s.assignments.get() for s in suggestions}
    rate(
        released(lead_of[satisfied.pk], unit_user, staff, contact_deputy=own_mandate),
        own_mandate,
        "satisfied",
    )
    rate(
        released(lead_of[unhappy.pk], unit_user, staff, contact_deputy=own_mandate),
        own_mandate,
        "dissatisfied",
    )

    progress = selectors.campaign_progress(campaign)
    assert progress["counts"] == {"total": 3, "replied": 2, "satisfied": 1, "dissatisfied": 1}

    # After the month: what happens then is not the month's result.
    with time_machine.travel(at(2025, 4, 10), tick=False):
        rate(
            released(lead_of[late.pk], unit_user, staff, contact_deputy=own_mandate), own_mandate, "satisfied"
        )
        progress = selectors.campaign_progress(campaign)
    assert progress["counts"] == {"total": 3, "replied": 2, "satisfied": 1, "dissatisfied": 1}
    by_suggestion = {entry.suggestion_id: entry for entry in progress["entries"]}
    assert (by_suggestion[satisfied.pk].replied, by_suggestion[satisfied.pk].reply_count) == (True, 1)
    assert by_suggestion[satisfied.pk].latest_class == "A"
    assert by_suggestion[unhappy.pk].satisfaction == Satisfaction.DISSATISFIED
    assert (by_suggestion[late.pk].replied, by_suggestion[late.pk].satisfaction) == (False, None)


def test_campaign_progress_queries_do_not_grow(congress, staff, own_mandate, urban_field, lead_unit):
    campaign = services.campaign_create(
        congress=congress,
        year=2025,
        name="督办月",
        starts_on=date(2025, 3, 1),
        ends_on=date(2025, 3, 31),
        actor=staff,
    )

    def add(count):
        suggestions = [
            assigned_suggestion(own_mandate, unit=lead_unit, field=urban_field, title=f"关于{n}的建议")
            for n in range(count)
        ]
        services.campaign_add_suggestions(campaign=campaign, suggestions=suggestions, actor=staff)

    add(2)
    two = count_queries(lambda: selectors.campaign_progress(campaign))
    add(8)
    assert count_queries(lambda: selectors.campaign_progress(campaign)) == two
