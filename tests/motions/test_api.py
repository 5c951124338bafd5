"""The motions API: scoping per role, one endpoint per transition with the same rules as the pages,
Chinese refusals with their status codes, version conflicts, and constant query counts."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from lvzhi.motions.choices import ActivityKind, DecisionOutcome, MotionStatus, SignerStatus
from lvzhi.motions.models import Motion, MotionSigner
from lvzhi.suggestions.models import Suggestion

from ..factories import MandateFactory
from .conftest import at, deputy_with_account
from .factories import GROUNDS, PLAN, SUBJECT, MotionFactory, draft, pdf, placed, submitted

S = MotionStatus
MOTIONS = "/api/v1/motions/"
NOT_FOUND = {"detail": "未找到该议案，或您无权查看。"}


def url(motion, action: str = "") -> str:
    return f"{MOTIONS}{motion.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def lead(term, gulou, rules):
    return deputy_with_account(term, gulou, "t-lead", "郑领衔")


def as_user(api, user) -> APIClient:
    api.force_authenticate(user)
    return api


def listed(api) -> set[int]:
    response = api.get(MOTIONS)
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


# -- Scoping ---------------------------------------------------------------------------------------------


def test_each_role_lists_exactly_its_motions(
    api,
    session,
    lead,
    cosigners,
    staff,
    committee,
    other_committee,
    committee_user,
    other_committee_user,
    county_user,
    county_taijiang_user,
    unit_user,
    other_deputy,
    leader,
):
    mine = placed(lead, session, cosigners, staff, committee)
    theirs = placed(lead, session, cosigners, staff, other_committee, subject="关于修订物业条例的议案")
    private = draft(other_deputy, session, subject="黄旁人的草稿")

    expected = {
        staff: {mine.pk, theirs.pk},
        leader: {mine.pk, theirs.pk},
        committee_user: {mine.pk},
        other_committee_user: {theirs.pk},
        county_user: {mine.pk, theirs.pk},  # led by a 鼓楼 deputy
        county_taijiang_user: set(),
        unit_user: set(),
        other_deputy.person.user: {mine.pk, theirs.pk, private.pk},
        cosigners[0].person.user: {mine.pk, theirs.pk},
    }
    for user, motions in expected.items():
        assert listed(as_user(api, user)) == motions, user


def test_out_of_scope_is_404_and_in_scope_but_not_allowed_is_403(
    api, session, lead, cosigners, staff, committee, other_committee_user, other_deputy
):
    motion = placed(lead, session, cosigners, staff, committee)

    as_user(api, other_committee_user)
    assert api.get(url(motion)).json() == NOT_FOUND
    assert api.post(url(motion, "report"), {"text": "报告"}).status_code == 404

    as_user(api, other_deputy.person.user)
    refused = api.post(url(motion, "report"), {"text": "报告"})
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "该议案未交您所在的委员会审议，不能进行此操作。"},
    )
    motion.refresh_from_db()
    assert motion.status == S.PLACED_ON_AGENDA


def test_anonymous_is_refused(api, session, lead):
    assert api.get(MOTIONS).status_code in (401, 403)


# -- The whole life through the API -------------------------------------------------------------------------


def test_a_motion_from_draft_to_closing(api, session, lead, cosigners, staff, committee, committee_user):
    as_user(api, lead.person.user)
    created = api.post(
        MOTIONS,
        {
            "lead_mandate": lead.pk,
            "session": session.pk,
            "subject": SUBJECT,
            "grounds": GROUNDS,
            "plan": PLAN,
            "cosigners": [c.pk for c in cosigners],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    motion = Motion.objects.get(pk=body["id"])
    assert (body["status"], body["status_display"], body["confirmed_cosigners"]) == ("draft", "草稿", 0)
    # Not "submit": no co-signer has confirmed yet.
    assert body["available_actions"] == ["edit", "withdraw"]

    for cosigner in cosigners:
        as_user(api, cosigner.person.user)
        assert api.post(url(motion, "sign"), {"confirm": True}, format="json").status_code == 200

    as_user(api, lead.person.user)
    motion.refresh_from_db()
    assert api.get(url(motion)).json()["available_actions"] == ["edit", "submit", "withdraw"]
    body = api.post(url(motion, "submit"), {"version": motion.version}, format="json")
    assert body.status_code == 200, body.json()
    assert (body.json()["status"], body.json()["number_label"], body.json()["confirmed_cosigners"]) == (
        "submitted",
        "第1号",
        10,
    )

    as_user(api, staff)
    decided = api.post(
        url(motion, "decide"),
        {"outcome": DecisionOutcome.PLACE_ON_AGENDA, "committee": committee.pk, "reason": "列入议程"},
        format="json",
    )
    assert decided.status_code == 200, decided.json()
    assert (decided.json()["report_due"], decided.json()["decision"]["outcome"]) == (
        "2025-10-31",
        "place_on_agenda",
    )

    as_user(api, committee_user)
    activity = api.post(
        url(motion, "activities"),
        {
            "kind": ActivityKind.RESEARCH,
            "held_on": "2025-06-01",
            "title": "专题调研",
            "invited": [lead.pk, cosigners[0].pk],
        },
        format="json",
    )
    assert activity.status_code == 201, activity.json()
    activity_id = activity.json()["id"]
    with time_machine.travel(at(2025, 6, 2)):
        api.force_authenticate(committee_user)
        attended = api.post(
            f"{url(motion, 'activities')}{activity_id}/attendance/", {"attended": [lead.pk]}, format="json"
        )
        assert attended.status_code == 200, attended.json()
        assert [(p["mandate"]["name"], p["attendance"]) for p in attended.json()["participants"]] == [
            ("郑领衔", "attended"),
            ("附议0号", "absent"),
        ]
        reported = api.post(
            url(motion, "report"), {"text": "建议列入立法计划。", "file": pdf()}, format="multipart"
        )
    assert reported.status_code == 200, reported.json()
    assert (reported.json()["status"], reported.json()["is_report_late"]) == ("reported", False)
    assert reported.json()["report_file_url"] == f"/motions/{motion.pk}/report/file/"

    with time_machine.travel(at(2025, 6, 3)):
        as_user(api, staff)
        closed = api.post(url(motion, "close"), {"reason": "已审议"}, format="json")
    assert closed.json()["status"] == "closed"
    events = api.get(url(motion, "events")).json()
    assert [e["type"] for e in events] == [
        "motion.created",
        "motion.cosigners_invited",
        *["motion.cosigner_confirmed"] * 10,
        "motion.submitted",
        "motion.placed_on_agenda",
        "activity.recorded",
        "activity.attendance_recorded",
        "motion.reported",
        "motion.closed",
    ]
    assert events[-1]["actor"] == "t-staff"


def test_required_text_is_refused_in_chinese(api, session, lead):
    as_user(api, lead.person.user)

    response = api.post(
        MOTIONS,
        {"lead_mandate": lead.pk, "session": session.pk, "subject": SUBJECT, "grounds": " ", "plan": PLAN},
        format="json",
    )

    assert (response.status_code, response.json()) == (400, {"detail": "请填写案据。", "field": "grounds"})
    assert not Motion.objects.exists()


def test_too_few_cosigners_is_a_400_and_changes_nothing(api, session, lead, cosigners):
    motion = draft(lead, session, cosigners=cosigners[:1])
    as_user(api, lead.person.user)

    response = api.post(url(motion, "submit"), {}, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "议案须由10名以上代表联名（含领衔代表）提出，或由代表团提出。"},
    )
    motion.refresh_from_db()
    assert (motion.status, motion.number, motion.version) == (S.DRAFT, None, 1)


def test_a_stale_version_is_409(api, session, lead):
    motion = draft(lead, session)
    as_user(api, lead.person.user)
    assert api.patch(url(motion), {"subject": "新案由", "version": 1}, format="json").status_code == 200

    response = api.patch(url(motion), {"subject": "再改", "version": 1}, format="json")

    assert (response.status_code, response.json()) == (
        409,
        {"detail": "该议案已被他人处理或修改，请刷新页面后重试。"},
    )
    motion.refresh_from_db()
    assert motion.subject == "新案由"


def test_conversion_through_the_api(api, session, lead, cosigners, staff):
    motion = submitted(lead, session, cosigners)
    as_user(api, staff)

    response = api.post(
        url(motion, "decide"), {"outcome": "convert", "reason": "不属于本级人大职权"}, format="json"
    )

    suggestion = Suggestion.objects.get()
    assert response.json()["status"] == "converted"
    assert response.json()["converted_suggestion"] == suggestion.pk
    assert response.json()["decision"]["suggestion"] == suggestion.pk
    assert suggestion.title == SUBJECT


def test_illegal_transition_is_refused_with_nothing_changed(api, session, lead, cosigners, staff, committee):
    motion = submitted(lead, session, cosigners)
    as_user(api, staff)

    response = api.post(url(motion, "close"), {}, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "当前状态“已提交待主席团决定”下不能办结。"},
    )
    motion.refresh_from_db()
    assert motion.status == S.SUBMITTED
    assert motion.events.count() == 13


def test_there_is_no_delete(api, session, lead, staff):
    motion = draft(lead, session, actor=staff)
    as_user(api, staff)

    assert api.delete(url(motion)).status_code == 405


def test_filters(api, session, staff, committee, term):
    first = MotionFactory(
        session=session,
        subject="关于养犬管理的议案",
        placed=True,
        committee=committee,
        lead_mandate=MandateFactory(congress=term.congress, term=term),
    )
    MotionFactory(
        session=session,
        subject="关于河道保护的议案",
        lead_mandate=MandateFactory(congress=term.congress, term=term),
    )
    as_user(api, staff)

    assert [r["id"] for r in api.get(f"{MOTIONS}?committee={committee.pk}").json()["results"]] == [first.pk]
    assert [r["id"] for r in api.get(f"{MOTIONS}?q=养犬").json()["results"]] == [first.pk]


def _bulk(session, committee, count: int) -> None:
    term = session.term
    for index in range(count):
        motion = MotionFactory(
            session=session,
            lead_mandate=MandateFactory(congress=term.congress, term=term),
            placed=True,
            committee=committee,
        )
        MotionSigner.objects.create(
            motion=motion,
            mandate=MandateFactory(congress=term.congress, term=term),
            status=SignerStatus.CONFIRMED,
            order=index,
        )


def count_queries(api, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("user_fixture", ["staff", "committee_user"])
def test_list_queries_do_not_grow_with_the_data(request, api, session, committee, user_fixture):
    as_user(api, request.getfixturevalue(user_fixture))
    _bulk(session, committee, 5)
    five = count_queries(api, MOTIONS)

    _bulk(session, committee, 45)

    assert count_queries(api, MOTIONS) == five
    assert api.get(MOTIONS).json()["count"] == 50


def test_the_detail_query_count_does_not_grow_with_signers(api, session, staff, term, rules):
    motion = MotionFactory(session=session, lead_mandate=MandateFactory(congress=term.congress, term=term))
    as_user(api, staff)
    _ = count_queries(api, url(motion))
    MotionSigner.objects.create(
        motion=motion, mandate=MandateFactory(congress=term.congress, term=term), order=0
    )
    one = count_queries(api, url(motion))
    for order in range(1, 20):
        MotionSigner.objects.create(
            motion=motion, mandate=MandateFactory(congress=term.congress, term=term), order=order
        )

    assert count_queries(api, url(motion)) == one


def test_report_due_is_reported_for_delegations_too(
    api, county_user, gulou, session, rules, staff, committee
):
    as_user(api, county_user)
    created = api.post(
        MOTIONS,
        {"delegation": gulou.pk, "session": session.pk, "subject": SUBJECT, "grounds": GROUNDS, "plan": PLAN},
        format="json",
    )
    motion_id = created.json()["id"]
    assert created.json()["proposer"] == "鼓楼团"
    assert api.post(f"{MOTIONS}{motion_id}/submit/", {}, format="json").json()["status"] == "submitted"

    as_user(api, staff)
    decided = api.post(
        f"{MOTIONS}{motion_id}/decide/",
        {
            "outcome": "place_on_agenda",
            "committee": committee.pk,
            "report_due": "2025-09-30",
            "decided_on": "2025-01-08",
        },
        format="json",
    )

    assert decided.json()["report_due"] == "2025-09-30"
    assert date.fromisoformat(decided.json()["decision"]["decided_on"]) == date(2025, 1, 8)
