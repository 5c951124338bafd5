"""Who sees which suggestion (one scoping place), list queries that do not grow, the rules per
congress."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.accounts.choices import Role
from lvzhi.suggestions.choices import AssignmentRole, AssignmentStatus, SignerStatus, SuggestionStatus
from lvzhi.suggestions.models import (
    DEFAULT_RESULT_CLASSES,
    THREE_CLASS_RESULT_CLASSES,
    Assignment,
    SuggestionRules,
    SuggestionSigner,
)
from lvzhi.suggestions.rules import rules_for
from lvzhi.suggestions.selectors import (
    reply_review_findings,
    suggestion_get,
    suggestion_list,
    suggestions_visible_to,
    unit_work_list,
)

from ..factories import CongressFactory, ExpertiseFieldFactory, MandateFactory, UserFactory
from .factories import SuggestionFactory, assign, reply

S = SuggestionStatus


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def assigned_to(suggestion, unit, *, staff, status=AssignmentStatus.ASSIGNED, parent=None) -> Assignment:
    return Assignment.objects.create(
        suggestion=suggestion,
        unit=unit,
        role=AssignmentRole.LEAD,
        status=status,
        parent=parent,
        assigned_on=date(2025, 3, 3),
        assigned_by=staff,
        reply_due=date(2025, 6, 3),
    )


@pytest.fixture
def world(
    congress, term, own_mandate, gulou_mandate, taijiang_mandate, staff, committee, urban_field, lead_unit,
    other_unit, government, sub_department,
):  # fmt: skip
    """One suggestion per way of being seen."""
    education = ExpertiseFieldFactory(name="教育科技")
    committee.fields.add(urban_field)

    def make(lead, field=education, **kwargs):
        return SuggestionFactory(congress=congress, term=term, lead_mandate=lead, field=field, **kwargs)

    rows = {
        "own_draft": make(own_mandate, status=S.DRAFT, submitted_at=None),
        "own": make(own_mandate, field=urban_field),
        "cosigned": make(taijiang_mandate),
        "declined": make(taijiang_mandate),
        "unit": make(taijiang_mandate, accepted=True, status=S.ASSIGNED),
        "taken_away": make(taijiang_mandate, accepted=True, status=S.ASSIGNED),
        "via_government": make(taijiang_mandate, accepted=True, status=S.ASSIGNED),
        "gulou": make(gulou_mandate),
        "urban": make(taijiang_mandate, field=urban_field),
        "other_draft": make(gulou_mandate, status=S.DRAFT, submitted_at=None),
    }
    SuggestionSigner.objects.create(
        suggestion=rows["cosigned"], mandate=own_mandate, status=SignerStatus.CONFIRMED
    )
    SuggestionSigner.objects.create(
        suggestion=rows["declined"], mandate=own_mandate, status=SignerStatus.DECLINED
    )
    assigned_to(rows["unit"], lead_unit, staff=staff)
    assigned_to(rows["taken_away"], lead_unit, staff=staff, status=AssignmentStatus.CANCELLED)
    assigned_to(rows["taken_away"], other_unit, staff=staff)
    parent = assigned_to(rows["via_government"], government, staff=staff, status=AssignmentStatus.REASSIGNED)
    assigned_to(rows["via_government"], sub_department, staff=staff, parent=parent)
    return {name: suggestion.pk for name, suggestion in rows.items()}


def expected(world, *names) -> set[int]:
    return {world[name] for name in names}


ALL_SUBMITTED = ("own", "cosigned", "declined", "unit", "taken_away", "via_government", "gulou", "urban")


@pytest.mark.parametrize(
    ("fixture", "names"),
    [
        ("staff", ALL_SUBMITTED),
        ("admin_user", ALL_SUBMITTED),
        ("leader", ALL_SUBMITTED),
        ("deputy_user", ("own_draft", "own", "cosigned")),
        ("unit_user", ("unit",)),
        ("government_user", ("via_government",)),
        ("sub_department_user", ("via_government",)),
        ("other_unit_user", ("taken_away",)),
        ("county_user", ("own", "gulou")),
        ("committee_user", ("own", "urban")),
    ],
)
def test_each_role_sees_exactly_its_suggestions(world, fixture, names, request):
    user = request.getfixturevalue(fixture)
    assert ids(suggestions_visible_to(user)) == expected(world, *names)
    assert ids(suggestion_list(user=user)) == expected(world, *names)


def test_nobody_else_sees_anything(world, taijiang):
    taijiang_county = UserFactory(username="t-taijiang", role=Role.COUNTY_STAFF, electoral_unit=taijiang)
    unlinked_deputy = UserFactory(username="t-unlinked", role=Role.DEPUTY)

    assert ids(suggestions_visible_to(taijiang_county)) == expected(
        world, "cosigned", "declined", "unit", "taken_away", "via_government", "urban"
    )
    assert ids(suggestions_visible_to(unlinked_deputy)) == set()
    assert ids(suggestions_visible_to(AnonymousUser())) == set()
    assert ids(suggestions_visible_to(None)) == set()


def test_missing_and_forbidden_look_the_same(world, unit_user):
    from lvzhi.suggestions.models import Suggestion

    with pytest.raises(Suggestion.DoesNotExist):
        suggestion_get(user=unit_user, pk=world["gulou"])
    assert suggestion_get(user=unit_user, pk=world["unit"]).pk == world["unit"]


def test_unit_work_list_is_the_units_own(world, unit_user, staff, lead_unit, other_unit, deputy_user):
    assert list(unit_work_list(user=unit_user).values_list("suggestion_id", flat=True)) == [world["unit"]]
    assert list(unit_work_list(user=staff, unit=other_unit).values_list("suggestion_id", flat=True)) == [
        world["taken_away"]
    ]
    assert not unit_work_list(user=staff).exists()
    assert not unit_work_list(user=deputy_user).exists()


# -- Queries do not grow with the data -----------------------------------------------------------------


def touch_suggestions(rows) -> None:
    for suggestion in rows:
        _ = (
            suggestion.lead_mandate.person.name,
            suggestion.congress.name,
            suggestion.field,
            suggestion.session,
        )
        _ = [signer.mandate.person.name for signer in suggestion.signers.all()]
        _ = [assignment.unit.name for assignment in suggestion.assignments.all()]


def touch_assignments(rows) -> None:
    for assignment in rows:
        suggestion = assignment.suggestion
        _ = (
            suggestion.title,
            suggestion.lead_mandate.person.name,
            suggestion.congress.name,
            suggestion.field,
        )
        _ = (
            assignment.unit.name,
            assignment.parent and assignment.parent.unit.name,
            assignment.open_commitments,
        )


def queries_for(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def make_suggestions(count, *, congress, term, mandates, staff, unit, field):
    for index in range(count):
        suggestion = SuggestionFactory(
            congress=congress, term=term, lead_mandate=mandates[index % len(mandates)], accepted=True,
            status=S.ASSIGNED, field=field,
        )  # fmt: skip
        SuggestionSigner.objects.create(suggestion=suggestion, mandate=mandates[(index + 1) % len(mandates)])
        assigned_to(suggestion, unit, staff=staff)


def test_list_queries_are_the_same_for_5_and_50_suggestions(
    congress, term, staff, unit_user, lead_unit, urban_field, gulou_mandate, taijiang_mandate
):
    setup = dict(
        congress=congress, term=term, mandates=[gulou_mandate, taijiang_mandate], staff=staff, unit=lead_unit,
        field=urban_field,
    )  # fmt: skip
    make_suggestions(5, **setup)
    small_list = queries_for(lambda: touch_suggestions(suggestion_list(user=staff)))
    small_work = queries_for(lambda: touch_assignments(unit_work_list(user=unit_user)))

    make_suggestions(45, **setup)
    assert suggestion_list(user=staff).count() == 50
    assert queries_for(lambda: touch_suggestions(suggestion_list(user=staff))) == small_list == 3
    assert queries_for(lambda: touch_assignments(unit_work_list(user=unit_user))) == small_work == 1


# -- Rules per congress ---------------------------------------------------------------------------------


def test_rules_default_to_domain_values_without_a_row(congress):
    rules = rules_for(congress)

    assert rules.pk is None
    assert (rules.reply_months, rules.hard_reply_months, rules.co_input_months) == (3, 6, 1)
    assert (rules.objection_working_days, rules.evaluation_working_days, rules.rehandling_months) == (
        7,
        20,
        1,
    )
    assert (rules.assign_within_working_days, rules.escalate_after_dissatisfied) == (5, 2)
    assert rules.second_review_enabled is True
    assert rules.result_class_codes == ["A", "B", "C", "D"]
    assert rules.result_class_label("C") == "因条件限制待以后解决"
    assert [rules.needs_follow_up(code) for code in "ABCD"] == [False, True, True, False]
    assert rules.number_label(series="in_session", number=1001, year=2025) == "〔2025〕第1001号"
    assert rules.stage_label("second_review") == "二审：答复函审查"


def test_another_congress_loads_its_own_rules_without_code(congress):
    county = CongressFactory(name="闽侯县人民代表大会", level="county", region="闽侯县")
    SuggestionRules.objects.create(
        congress=county,
        objection_working_days=3,
        result_classes=list(THREE_CLASS_RESULT_CLASSES),
        stage_labels={"second_review": "答复审核"},
        in_session_number_format="{year}年第{number}号",
    )

    rules = rules_for(county)
    assert rules.objection_working_days == 3
    assert rules.result_class_codes == ["A", "B", "C"]
    assert rules.stage_label("second_review") == "答复审核"
    assert rules.stage_label("first_review") == "一审：交办前审查"
    assert rules.number_label(series="in_session", number=7, year=2025) == "2025年第7号"
    assert rules_for(congress).result_class_codes == [item["code"] for item in DEFAULT_RESULT_CLASSES]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"result_classes": []}, "result_classes"),
        ({"result_classes": [{"code": "A", "label": "甲"}, {"code": "A", "label": "乙"}]}, "result_classes"),
        ({"stage_labels": {"fifth_review": "五审"}}, "stage_labels"),
        ({"in_session_number_format": "第号"}, "in_session_number_format"),
        ({"between_sessions_number_format": "{number}-{session}"}, "between_sessions_number_format"),
        ({"objection_working_days": 0}, "objection_working_days"),
    ],
)
def test_rules_that_do_not_make_sense_are_refused(congress, values, field):
    rules = SuggestionRules(congress=congress, **values)
    with pytest.raises(ValidationError) as error:
        rules.full_clean()
    assert field in error.value.message_dict


# -- Second review findings ----------------------------------------------------------------------------


def test_review_findings_name_a_missing_contact(own_mandate, staff, urban_field, lead_unit, unit_user):
    _suggestion, [lead] = assign(own_mandate, staff, field=urban_field, lead=lead_unit)
    without_contact = reply(lead, unit_user)
    assert reply_review_findings(without_contact) == ["承办单位未记录与代表的沟通（《代表法》第五十一条）。"]

    from lvzhi.suggestions.services import reply_review

    reply_review(reply=without_contact, actor=staff, release=False, reason="未与代表沟通")
    with_contact = reply(lead, unit_user, contact_deputy=own_mandate)
    assert reply_review_findings(with_contact) == []


def test_a_deputy_holding_two_mandates_sees_both(own_mandate, deputy_user):
    province = CongressFactory(
        name="福建省人民代表大会", short_name="省人大", level="provincial", region="福建省"
    )
    provincial = MandateFactory(person=own_mandate.person, congress=province)
    city = SuggestionFactory(congress=own_mandate.congress, term=own_mandate.term, lead_mandate=own_mandate)
    provincial_suggestion = SuggestionFactory(
        congress=province, term=provincial.term, lead_mandate=provincial
    )

    assert ids(suggestions_visible_to(deputy_user)) == {city.pk, provincial_suggestion.pk}


def test_the_office_sees_the_paper_drafts_it_entered_but_no_deputy_drafts(staff, admin_user, gulou_mandate):
    from lvzhi.suggestions.services import suggestion_create

    paper = suggestion_create(actor=staff, mandate=gulou_mandate, title="关于增设公交站点的建议")
    deputy_draft = SuggestionFactory(lead_mandate=gulou_mandate, status=S.DRAFT)

    assert paper.status == S.DRAFT
    assert ids(suggestions_visible_to(staff)) == {paper.pk}
    assert deputy_draft.pk not in ids(suggestions_visible_to(admin_user))
    assert paper.pk not in ids(suggestions_visible_to(admin_user))  # another office user's draft
