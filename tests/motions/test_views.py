"""The motion pages: scoping per role, the forms and buttons of each step, Excel export, filters, and
query counts that do not grow with the data."""

from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lvzhi.motions.choices import ActivityKind, Attendance, DecisionOutcome, MotionStatus, SignerStatus
from lvzhi.motions.models import Motion, MotionActivity, MotionActivityParticipant, MotionSigner

from ..factories import MandateFactory
from .conftest import at, deputy_with_account
from .factories import GROUNDS, PLAN, SUBJECT, MotionFactory, draft, pdf, placed, signed, submitted

S = MotionStatus
LIST = reverse("motions:list")


def detail(motion) -> str:
    return reverse("motions:detail", args=[motion.pk])


def listed(client, url=LIST) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200
    return [row["motion"].pk for row in response.context["rows"]]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def lead(term, gulou, rules):
    return deputy_with_account(term, gulou, "t-lead", "郑领衔")


@pytest.fixture
def placed_motion(lead, session, cosigners, staff, committee):
    return placed(lead, session, cosigners, staff, committee)


# -- Scoping ------------------------------------------------------------------------------------------


def test_the_list_shows_each_role_exactly_its_motions(
    client,
    session,
    lead,
    cosigners,
    staff,
    committee,
    committee_user,
    other_committee,
    other_committee_user,
    county_taijiang_user,
    unit_user,
    other_deputy,
):
    mine = placed(lead, session, cosigners, staff, committee)
    theirs = placed(lead, session, cosigners, staff, other_committee, subject="关于修订物业条例的议案")
    private = draft(other_deputy, session, subject="黄旁人的草稿")

    expected = {
        staff: {mine.pk, theirs.pk},
        committee_user: {mine.pk},
        other_committee_user: {theirs.pk},
        county_taijiang_user: set(),
        unit_user: set(),
        other_deputy.person.user: {mine.pk, theirs.pk, private.pk},
    }
    for user, motions in expected.items():
        client.force_login(user)
        assert set(listed(client)) == motions, user


def test_another_committees_staff_gets_404(client, placed_motion, other_committee_user, committee_user):
    client.force_login(other_committee_user)
    assert client.get(detail(placed_motion)).status_code == 404
    assert client.get(reverse("motions:report", args=[placed_motion.pk])).status_code == 404

    client.force_login(committee_user)
    assert client.get(detail(placed_motion)).status_code == 200


def test_a_deputy_reading_a_published_motion_gets_no_action_pages(client, placed_motion, other_deputy):
    client.force_login(other_deputy.person.user)

    response = client.get(detail(placed_motion))

    assert response.status_code == 200
    assert response.context["actions"] == set()
    for name in ("decide", "report", "activity_create", "edit"):
        assert client.get(reverse(f"motions:{name}", args=[placed_motion.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, placed_motion):
    assert client.get(LIST).status_code == 302
    assert client.get(detail(placed_motion)).status_code == 302


# -- Drafting, signing, submitting -------------------------------------------------------------------------


def test_a_deputy_drafts_a_motion_with_cosigners(client, lead, session, cosigners, urban_field):
    client.force_login(lead.person.user)
    form = {
        "mandate": lead.pk,
        "session": session.pk,
        "subject": SUBJECT,
        "grounds": GROUNDS,
        "plan": PLAN,
        "field": urban_field.pk,
        "cosigners": [c.pk for c in cosigners[:3]],
    }

    response = client.post(reverse("motions:create"), form)

    motion = Motion.objects.get()
    assert response.status_code == 302
    assert response.url == detail(motion)
    assert (motion.lead_mandate, motion.subject, motion.field, motion.status) == (
        lead,
        SUBJECT,
        urban_field,
        S.DRAFT,
    )
    assert list(motion.signers.values_list("mandate_id", flat=True)) == [c.pk for c in cosigners[:3]]


def test_the_form_asks_for_subject_grounds_and_plan_in_chinese(client, lead, session):
    client.force_login(lead.person.user)

    response = client.post(reverse("motions:create"), {"mandate": lead.pk, "session": session.pk})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert (errors["subject"], errors["grounds"], errors["plan"]) == (
        ["请填写案由。"],
        ["请填写案据。"],
        ["请填写方案。"],
    )
    assert not Motion.objects.exists()


def test_a_deputy_cannot_lead_with_someone_elses_mandate(client, lead, session, other_deputy):
    client.force_login(lead.person.user)

    response = client.post(
        reverse("motions:create"),
        {
            "mandate": other_deputy.pk,
            "session": session.pk,
            "subject": SUBJECT,
            "grounds": GROUNDS,
            "plan": PLAN,
        },
    )

    assert response.status_code == 200
    assert "mandate" in response.context["form"].errors
    assert not Motion.objects.exists()


def test_county_staff_raise_their_delegations_motion(client, county_user, gulou, session, rules):
    client.force_login(county_user)

    response = client.post(
        reverse("motions:create"),
        {"delegation": gulou.pk, "session": session.pk, "subject": SUBJECT, "grounds": GROUNDS, "plan": PLAN},
    )

    motion = Motion.objects.get()
    assert response.status_code == 302
    assert (motion.delegation, motion.lead_mandate) == (gulou, None)


def test_cosigners_sign_and_the_lead_submits_from_the_page(client, lead, session, cosigners):
    motion = draft(lead, session, cosigners=cosigners)
    for index, cosigner in enumerate(cosigners):
        client.force_login(cosigner.person.user)
        assert "sign" in client.get(detail(motion)).context["actions"]
        decision = "decline" if index >= 8 else "confirm"
        response = client.post(reverse("motions:sign", args=[motion.pk]), {"decision": decision}, follow=True)
        assert response.status_code == 200

    client.force_login(lead.person.user)
    page = client.get(detail(motion))
    assert "submit" not in page.context["actions"]
    assert (page.context["confirmed_count"], page.context["minimum"]) == (8, 10)
    response = client.post(
        reverse("motions:submit", args=[motion.pk]), {"version": motion.version}, follow=True
    )

    assert messages_of(response) == ["议案须由10名以上代表联名（含领衔代表）提出，或由代表团提出。"]
    motion.refresh_from_db()
    assert motion.status == S.DRAFT
    assert motion.signers.filter(status=SignerStatus.DECLINED).count() == 2


def test_the_lead_submits_and_edits_no_more(client, lead, session, cosigners):
    motion = signed(lead, session, cosigners)
    client.force_login(lead.person.user)
    assert client.get(detail(motion)).context["actions"] == {"edit", "submit", "withdraw"}

    response = client.post(
        reverse("motions:submit", args=[motion.pk]), {"version": motion.version}, follow=True
    )

    assert messages_of(response) == ["议案已提交。"]
    assert response.context["motion"].number_label == "第1号"
    assert response.context["actions"] == {"withdraw"}
    edit = client.get(reverse("motions:edit", args=[motion.pk]), follow=True)
    assert edit.redirect_chain == [(detail(motion), 302)]
    assert messages_of(edit) == ["该议案已提交，不能再修改。"]
    refused = client.post(
        reverse("motions:edit", args=[motion.pk]),
        {"version": motion.version + 1, "session": session.pk, "subject": "改", "grounds": "g", "plan": "p"},
    )
    assert refused.status_code == 302
    motion.refresh_from_db()
    assert motion.subject == SUBJECT


def test_editing_with_a_stale_version_shows_the_conflict(client, lead, session):
    motion = draft(lead, session)
    client.force_login(lead.person.user)
    form = {"session": session.pk, "subject": "新案由", "grounds": GROUNDS, "plan": PLAN, "version": 1}
    assert client.post(reverse("motions:edit", args=[motion.pk]), form).status_code == 302

    response = client.post(reverse("motions:edit", args=[motion.pk]), {**form, "subject": "再改"})

    assert response.context["form"].non_field_errors() == ["该议案已被他人处理或修改，请刷新页面后重试。"]
    motion.refresh_from_db()
    assert motion.subject == "新案由"


# -- The presidium's decision ---------------------------------------------------------------------------


def test_the_office_places_a_motion_on_the_agenda(client, lead, session, cosigners, staff, committee):
    motion = submitted(lead, session, cosigners)
    client.force_login(staff)
    page = client.get(reverse("motions:decide", args=[motion.pk]))
    assert page.context["form"]["report_due"].initial == date(2025, 10, 31)

    response = client.post(
        reverse("motions:decide", args=[motion.pk]),
        {
            "outcome": DecisionOutcome.PLACE_ON_AGENDA,
            "decided_on": "2025-01-08",
            "committee": committee.pk,
            "version": motion.version,
        },
    )

    motion.refresh_from_db()
    assert response.status_code == 302
    assert (motion.status, motion.committee, motion.report_due) == (
        S.PLACED_ON_AGENDA,
        committee,
        date(2025, 10, 31),
    )


def test_the_decision_form_shows_the_rules_refusal(client, lead, session, cosigners, staff):
    motion = submitted(lead, session, cosigners)
    client.force_login(staff)

    response = client.post(
        reverse("motions:decide", args=[motion.pk]),
        {"outcome": DecisionOutcome.PLACE_ON_AGENDA, "decided_on": "2025-01-08"},
    )

    assert response.context["form"].errors == {"committee": ["请指定审议该议案的委员会。"]}
    motion.refresh_from_db()
    assert motion.status == S.SUBMITTED


def test_conversion_links_both_ways_and_keeps_the_history(client, lead, session, cosigners, staff):
    motion = submitted(lead, session, cosigners)
    client.force_login(staff)

    client.post(
        reverse("motions:decide", args=[motion.pk]),
        {"outcome": DecisionOutcome.CONVERT, "decided_on": "2025-01-08", "reason": "不属于本级人大职权"},
    )

    motion.refresh_from_db()
    client.force_login(lead.person.user)
    page = client.get(detail(motion))
    assert page.status_code == 200
    content = page.content.decode()
    assert f'href="/suggestions/{motion.converted_suggestion_id}/"' in content
    assert [e.type for e in page.context["motion_events"]][-1] == "motion.converted"
    # The lead sees what happened to the suggestion since.
    assert [e.type for e in page.context["suggestion_events"]] == [
        "suggestion.created",
        "suggestion.submitted",
    ]


# -- The committee's work and report ----------------------------------------------------------------------


def test_the_committee_records_an_activity_and_attendance(
    client, placed_motion, lead, cosigners, committee_user
):
    client.force_login(committee_user)
    assert client.get(detail(placed_motion)).context["actions"] == {
        "record_activity",
        "record_attendance",
        "submit_report",
    }

    response = client.post(
        reverse("motions:activity_create", args=[placed_motion.pk]),
        {
            "kind": ActivityKind.RESEARCH,
            "held_on": "2025-01-08",
            "title": "实地调研",
            "invited": [lead.pk, cosigners[0].pk],
            "record_attendance": "on",
            "attended": [lead.pk],
        },
    )
    assert response.status_code == 302
    activity = MotionActivity.objects.get()
    assert dict(activity.participants.values_list("mandate_id", "attendance")) == {
        lead.pk: Attendance.ATTENDED,
        cosigners[0].pk: Attendance.ABSENT,
    }

    response = client.post(
        reverse("motions:activity_attendance", args=[placed_motion.pk, activity.pk]),
        {"attended": [cosigners[0].pk]},
    )
    assert response.status_code == 302
    assert dict(activity.participants.values_list("mandate_id", "attendance")) == {
        lead.pk: Attendance.ABSENT,
        cosigners[0].pk: Attendance.ATTENDED,
    }


def test_only_proposers_are_offered_and_accepted(client, placed_motion, other_deputy, committee_user, lead):
    client.force_login(committee_user)
    page = client.get(reverse("motions:activity_create", args=[placed_motion.pk]))
    offered = {mandate.pk for mandate in page.context["form"].fields["invited"].queryset}
    assert other_deputy.pk not in offered
    assert lead.pk in offered

    response = client.post(
        reverse("motions:activity_create", args=[placed_motion.pk]),
        {"kind": ActivityKind.REVIEW, "held_on": "2025-01-08", "title": "审议", "invited": [other_deputy.pk]},
    )

    assert "invited" in response.context["form"].errors
    assert not MotionActivity.objects.exists()


def test_a_late_report_from_the_page_is_flagged_and_its_file_served(
    client, placed_motion, committee_user, lead
):
    with time_machine.travel(at(2025, 11, 5)):
        client.force_login(committee_user)
        page = client.get(reverse("motions:report", args=[placed_motion.pk]))
        assert page.context["is_late"] is True
        response = client.post(
            reverse("motions:report", args=[placed_motion.pk]),
            {"text": "建议列入立法计划。", "file": pdf(), "version": placed_motion.version},
        )
    assert response.status_code == 302
    placed_motion.refresh_from_db()
    assert (placed_motion.status, placed_motion.is_report_late) == (S.REPORTED, True)

    client.force_login(lead.person.user)
    page = client.get(detail(placed_motion))
    assert 'data-testid="late-report"' in page.content.decode()
    download = client.get(reverse("motions:report_file", args=[placed_motion.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_office_closes_from_the_page(client, placed_motion, committee_user, staff):
    client.force_login(committee_user)
    client.post(reverse("motions:report", args=[placed_motion.pk]), {"text": "报告"})
    client.force_login(staff)

    response = client.post(
        reverse("motions:close", args=[placed_motion.pk]), {"reason": "已审议"}, follow=True
    )

    assert messages_of(response)[-1] == "议案已办结。"
    placed_motion.refresh_from_db()
    assert placed_motion.status == S.CLOSED


def test_a_committee_cannot_close(client, placed_motion, committee_user):
    client.force_login(committee_user)
    client.post(reverse("motions:report", args=[placed_motion.pk]), {"text": "报告"})

    assert client.post(reverse("motions:close", args=[placed_motion.pk])).status_code == 404
    placed_motion.refresh_from_db()
    assert placed_motion.status == S.REPORTED


# -- Filters, export, queries --------------------------------------------------------------------------------


def test_filters_and_sorting(client, session, staff, committee, other_committee, term):
    first = MotionFactory(
        session=session,
        subject="关于养犬管理的议案",
        placed=True,
        committee=committee,
        lead_mandate=MandateFactory(congress=term.congress, term=term, person__name="甲代表"),
    )
    second = MotionFactory(
        session=session,
        subject="关于河道保护的议案",
        placed=True,
        committee=other_committee,
        lead_mandate=MandateFactory(congress=term.congress, term=term, person__name="乙代表"),
    )
    third = MotionFactory(
        session=session,
        subject="关于物业管理的议案",
        lead_mandate=MandateFactory(congress=term.congress, term=term),
    )
    client.force_login(staff)

    assert listed(client, f"{LIST}?committee={committee.pk}") == [first.pk]
    assert listed(client, f"{LIST}?status=submitted") == [third.pk]
    assert listed(client, f"{LIST}?q=河道") == [second.pk]
    assert listed(client, f"{LIST}?q=甲代表") == [first.pk]
    assert listed(client, f"{LIST}?q={second.number}") == [second.pk]
    assert listed(client, f"{LIST}?session={session.pk}&ordering=-number") == [third.pk, second.pk, first.pk]
    assert listed(client, f"{LIST}?status=forged") == []


def test_the_htmx_request_gets_the_table_only(client, staff, session, term):
    MotionFactory(session=session, lead_mandate=MandateFactory(congress=term.congress, term=term))
    client.force_login(staff)

    response = client.get(LIST, headers={"HX-Request": "true"})

    assert response.templates[0].name == "motions/partials/motion_table.html"


def test_excel_export_of_the_filtered_list(client, placed_motion, staff, committee):
    client.force_login(staff)

    response = client.get(f"{LIST}?export=xlsx&committee={committee.pk}")

    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("议案号", "会议", "案由", "领衔代表/代表团", "附议代表人数")
    assert rows[1][:9] == (
        "第1号",
        "第十六届第四次会议",
        SUBJECT,
        "郑领衔",
        10,
        None,
        "已列入议程，交委员会审议",
        "城建环资工委",
        rows[1][8],
    )
    assert len(rows) == 2


def _bulk(session, committee, count: int) -> None:
    term = session.term
    for index in range(count):
        motion = MotionFactory(
            session=session,
            lead_mandate=MandateFactory(congress=term.congress, term=term),
            placed=True,
            committee=committee,
        )
        for order in range(2):
            MotionSigner.objects.create(
                motion=motion,
                mandate=MandateFactory(congress=term.congress, term=term),
                status=SignerStatus.CONFIRMED,
                order=order + index,
            )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("user_fixture", ["staff", "committee_user", "deputy_user"])
def test_list_queries_do_not_grow_with_the_data(
    request, client, session, committee, own_mandate, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))
    _bulk(session, committee, 5)
    five = count_queries(client, LIST), count_queries(client, f"{LIST}?export=xlsx")

    _bulk(session, committee, 45)

    assert Motion.objects.count() == 50
    assert (count_queries(client, LIST), count_queries(client, f"{LIST}?export=xlsx")) == five


def test_detail_queries_do_not_grow_with_activities_and_history(
    client, placed_motion, committee_user, lead, cosigners
):
    client.force_login(committee_user)
    url = detail(placed_motion)
    count_queries(client, url)  # warm: the rules, the session
    for day in range(5):
        activity = MotionActivity.objects.create(
            motion=placed_motion,
            kind=ActivityKind.FORUM,
            held_on=date(2025, 1, 8),
            title=f"座谈{day}",
            recorded_by=committee_user,
        )
        for mandate in (lead, *cosigners[:3]):
            MotionActivityParticipant.objects.create(activity=activity, mandate=mandate)
        if day == 0:
            with_one = count_queries(client, url)

    assert count_queries(client, url) == with_one
