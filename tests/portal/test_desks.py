"""The work desk (工作台): each role's home page counts its work, each count links to the list
narrowed to exactly those items, the counts are scoped, and they cost constant queries."""

import itertools
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.motions.choices import MotionStatus
from lvzhi.suggestions import services
from lvzhi.suggestions.choices import SuggestionStatus
from lvzhi.suggestions.filters import SuggestionFilter
from lvzhi.suggestions.models import Assignment
from lvzhi.suggestions.selectors import suggestion_list

from ..factories import CommitteeFactory
from ..motions.factories import MotionFactory
from ..suggestions.factories import SuggestionFactory, assign, draft, released

HOME = reverse("portal:home")
TODAY = date(2025, 3, 5)


def desk(client) -> dict[str, tuple[int, str]]:
    """The desk's counts by label: (count, link)."""
    response = client.get(HOME)
    assert response.status_code == 200
    return {
        str(item.label): (item.count, item.url)
        for section in response.context["sections"]
        for item in section.counts
    }


def titles(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [row["suggestion"].title if isinstance(row, dict) else row.title for row in _rows(response)]


def _rows(response):
    page = response.context["page"]
    return list(page.object_list)


def desk_list(rf, user, key: str) -> list[str]:
    """The titles the suggestion list's ``?desk=`` filter gives ``user`` (pages and API share it)."""
    request = rf.get("/", {"desk": key})
    request.user = user
    filterset = SuggestionFilter(request.GET, queryset=suggestion_list(user=user), request=request)
    assert filterset.is_valid(), filterset.errors
    return [s.title for s in filterset.qs]


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


# Numbered in the year before, apart from the numbers the services give this year.
NUMBERS = itertools.count(9001)


def accepted(congress, term, title: str, assign_due: date):
    number = next(NUMBERS)
    return SuggestionFactory(
        congress=congress,
        term=term,
        accepted=True,
        title=title,
        assign_due=assign_due,
        year=2024,
        number=number,
        number_label=f"第{number}号",
    )


@pytest.fixture
def late_assignment(own_mandate, staff, rules, urban_field, lead_unit, co_unit):
    """A suggestion assigned to ``lead_unit`` with ``co_unit``; every deadline already past."""
    suggestion, _assignments = assign(
        own_mandate, staff, field=urban_field, lead=lead_unit, co_units=[co_unit], is_hard=False
    )
    Assignment.objects.filter(suggestion=suggestion).update(
        objection_deadline=date(2025, 3, 1), co_input_due=date(2025, 3, 3), reply_due=date(2025, 3, 4)
    )
    return suggestion


# -- The office -------------------------------------------------------------------------------------------


def test_the_office_desk_counts_its_work_and_links_to_exactly_those_suggestions(
    client, staff, congress, term, own_mandate, late_assignment
):
    SuggestionFactory(congress=congress, term=term, lead_mandate=own_mandate, title="待审查的建议")
    accepted(congress, term, "交办期限已过的建议", date(2025, 3, 4))
    accepted(congress, term, "交办期限将至的建议", date(2025, 3, 7))
    accepted(congress, term, "交办期限尚远的建议", date(2025, 4, 30))
    client.force_login(staff)

    counts = desk(client)

    assert counts["待审查"][0] == 1
    assert counts["待交办"][0] == 3
    assert counts["交办期限将至"][0] == 1
    assert counts["已超过交办期限"][0] == 1
    assert counts["逾期未签收"][0] == 1
    assert counts["逾期未答复"][0] == 1
    assert counts["协办单位逾期未提交意见"][0] == 1
    assert titles(client, counts["已超过交办期限"][1]) == ["交办期限已过的建议"]
    assert titles(client, counts["交办期限将至"][1]) == ["交办期限将至的建议"]
    assert titles(client, counts["逾期未答复"][1]) == [late_assignment.title]
    assert titles(client, counts["待审查"][1]) == ["待审查的建议"]


def test_the_office_desk_keeps_the_registry_summary_one_click_away(client, staff, own_mandate):
    client.force_login(staff)
    html = client.get(HOME).content.decode()
    assert "代表名册概况" in html and reverse("portal:registry") in html
    registry = client.get(reverse("portal:registry"))
    assert registry.status_code == 200
    assert "各级人大代表人数" in registry.content.decode()


def test_the_desk_and_the_registry_are_for_logged_in_users_only(client):
    for address in (HOME, reverse("portal:registry")):
        assert client.get(address)["Location"].startswith(reverse("accounts:login"))


# -- Handling units -----------------------------------------------------------------------------------------


def test_the_unit_desk_counts_only_its_own_assignments(
    client, unit_user, co_unit_user, other_unit_user, late_assignment
):
    client.force_login(unit_user)
    counts = desk(client)
    assert (counts["待签收"][0], counts["已逾期"][0], counts["即将到期"][0], counts["重新办理"][0]) == (
        1,
        1,
        0,
        0,
    )
    overdue = client.get(counts["已逾期"][1])
    assert [a.suggestion_id for a in overdue.context["page"].object_list] == [late_assignment.pk]

    client.force_login(other_unit_user)  # another unit sees none of it
    counts = desk(client)
    assert (counts["待签收"][0], counts["已逾期"][0]) == (0, 0)
    assert list(client.get(counts["已逾期"][1]).context["page"].object_list) == []


def test_the_unit_desk_shows_what_falls_due_within_a_week(client, unit_user, late_assignment):
    Assignment.objects.filter(unit=unit_user.handling_unit).update(reply_due=date(2025, 3, 10))
    client.force_login(unit_user)
    counts = desk(client)
    assert (counts["即将到期"][0], counts["已逾期"][0]) == (1, 0)
    soon = client.get(counts["即将到期"][1])
    assert [a.suggestion_id for a in soon.context["page"].object_list] == [late_assignment.pk]


# -- Deputies -------------------------------------------------------------------------------------------------


def test_the_deputy_desk_asks_for_its_co_signature_and_its_rating(
    client, rf, deputy_user, own_mandate, cosigner_one, staff, rules, urban_field, lead_unit, unit_user
):
    invited = draft(cosigner_one, title="邀请王自己联名的建议")
    services.suggestion_invite_cosigners(
        suggestion=invited, mandates=[own_mandate], actor=cosigner_one.person.user
    )
    suggestion, (assignment,) = assign(own_mandate, staff, field=urban_field, lead=lead_unit)
    released(assignment, unit_user, staff, contact_deputy=own_mandate)
    draft(cosigner_one, title="与王自己无关的草稿")
    client.force_login(deputy_user)

    counts = desk(client)

    assert counts["待确认联名的建议"][0] == 1
    assert counts["待评价的答复"][0] == 1
    assert counts[str(SuggestionStatus.REPLIED.label)][0] == 1
    html = client.get(HOME).content.decode()  # each one linked to the page where the deputy acts
    assert f'href="{reverse("suggestions:detail", args=[invited.pk])}"' in html
    assert f'href="{reverse("suggestions:detail", args=[suggestion.pk])}"' in html
    assert "与王自己无关的草稿" not in html
    assert desk_list(rf, deputy_user, "to_confirm") == ["邀请王自己联名的建议"]
    assert desk_list(rf, deputy_user, "to_evaluate") == [suggestion.title]

    client.force_login(cosigner_one.person.user)  # the lead of the invitation is asked nothing
    counts = desk(client)
    assert (counts["待确认联名的建议"][0], counts["待评价的答复"][0]) == (0, 0)
    assert desk_list(rf, cosigner_one.person.user, "to_confirm") == []


def test_the_desk_filter_is_refused_quietly_when_unknown(client, deputy_user, own_mandate):
    client.force_login(deputy_user)
    response = client.get(reverse("suggestions:list") + "?desk=nonsense")
    assert response.status_code == 200
    assert response.context["filter"].form.errors


# -- Committees and counties ---------------------------------------------------------------------------------------


def test_the_county_desk_counts_the_suggestions_of_its_deputies(
    client, county_user, congress, term, own_mandate, taijiang_mandate
):
    SuggestionFactory(congress=congress, term=term, lead_mandate=own_mandate)  # 鼓楼: the county's
    SuggestionFactory(congress=congress, term=term, lead_mandate=taijiang_mandate)  # 台江: not
    client.force_login(county_user)
    counts = desk(client)
    assert counts[str(SuggestionStatus.SUBMITTED.label)][0] == 1


def test_the_committee_desk_counts_the_motions_sent_to_it(
    client, committee_user, committee, own_mandate, session
):
    MotionFactory(session=session, lead_mandate=own_mandate, placed=True, committee=committee)
    other = CommitteeFactory(congress=committee.congress, name="教科文卫工委")
    MotionFactory(session=session, lead_mandate=own_mandate, placed=True, committee=other)
    client.force_login(committee_user)
    counts = desk(client)
    assert counts[str(MotionStatus.PLACED_ON_AGENDA.label)][0] == 1
    assert counts["督办中"][0] == 0


# -- Constant queries --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["staff", "unit_user", "deputy_user", "county_user", "committee_user", "leader"]
)
def test_a_desk_costs_the_same_queries_for_more_data(
    request, client, role, congress, term, own_mandate, staff, rules, urban_field, lead_unit, co_unit
):
    user = request.getfixturevalue(role)
    client.force_login(user)

    def more(count: int) -> None:
        for n in range(count):
            assign(own_mandate, staff, field=urban_field, lead=lead_unit, co_units=[co_unit])
            accepted(congress, term, f"待交办{n}", date(2025, 3, 4))

    more(1)
    one = count_queries(lambda: client.get(HOME))
    more(4)
    assert count_queries(lambda: client.get(HOME)) == one
