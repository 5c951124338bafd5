"""Art. 51: a unit submits a reply only after a contact with the lead deputy, or saying why there
was none, which staff see at the second review; staff may withhold a released reply from the
public page (不宜公开)."""

from datetime import date

import pytest
from django.urls import reverse

from lvzhi.core.errors import DomainError
from lvzhi.suggestions import reports, services
from lvzhi.suggestions.choices import ContactMethod, ContactStage, ReplyStatus

from .factories import assign, pdf
from .test_api import ASSIGNMENTS, REPLIES
from .test_api import client as api_client
from .test_views import act

REFUSAL = (
    "提交答复前，请先记录与领衔代表的沟通（《代表法》第五十一条）；确实无法沟通的，请选择原因并说明情况。"
)


@pytest.fixture
def assigned(own_mandate, cosigner_one, staff, urban_field, lead_unit, unit_user, rules):
    suggestion, [lead] = assign(
        own_mandate, staff, field=urban_field, lead=lead_unit, cosigners=[cosigner_one]
    )
    services.assignment_acknowledge(assignment=lead, actor=unit_user)
    draft = services.reply_draft(
        assignment=lead,
        actor=unit_user,
        body="已列入计划。",
        result_class="B",
        signed_by="张局长",
        letter=pdf(),
    )
    return suggestion, lead, draft


def state(draft):
    draft.refresh_from_db()
    return draft.status, draft.submitted_at, draft.version, draft.recipients.count()


def test_a_reply_without_a_contact_or_a_reason_is_refused_and_nothing_changes(assigned, unit_user):
    _suggestion, lead, draft = assigned
    before, events = state(draft), lead.suggestion.events.count()

    with pytest.raises(DomainError) as refused:
        services.reply_submit(reply=draft, actor=unit_user)

    assert (refused.value.message, refused.value.field) == (REFUSAL, "no_contact_reason")
    assert state(draft) == before
    assert lead.suggestion.events.count() == events


@pytest.mark.parametrize(
    ("reason", "note", "message"),
    [
        ("forgot", "忘了", "请选择未能与领衔代表沟通的原因。"),
        ("unreachable", "  ", "请说明未能与领衔代表沟通的情况。"),
    ],
)
def test_a_reason_must_be_one_of_the_choices_and_explained(assigned, unit_user, reason, note, message):
    _suggestion, _lead, draft = assigned
    before = state(draft)

    with pytest.raises(DomainError, match=message):
        services.reply_submit(reply=draft, actor=unit_user, no_contact_reason=reason, no_contact_note=note)

    assert state(draft) == before


def test_a_contact_with_a_cosigner_is_not_a_contact_with_the_lead(assigned, unit_user, cosigner_one):
    _suggestion, lead, draft = assigned
    services.contact_log(
        assignment=lead,
        actor=unit_user,
        deputy=cosigner_one,
        contacted_on=date(2025, 3, 5),
        stage=ContactStage.BEFORE,
        method=ContactMethod.PHONE,
    )

    with pytest.raises(DomainError, match="请先记录与领衔代表的沟通"):
        services.reply_submit(reply=draft, actor=unit_user)


def test_a_contact_with_the_lead_deputy_is_enough(assigned, unit_user, own_mandate):
    _suggestion, lead, draft = assigned
    services.contact_log(
        assignment=lead,
        actor=unit_user,
        deputy=own_mandate,
        contacted_on=date(2025, 3, 5),
        stage=ContactStage.BEFORE,
        method=ContactMethod.VISIT,
    )

    reply = services.reply_submit(
        reply=draft, actor=unit_user, no_contact_reason="declined", no_contact_note="x"
    )

    assert (reply.status, reply.no_contact_reason, reply.no_contact_note) == (ReplyStatus.SUBMITTED, "", "")


def test_the_reason_is_kept_and_shown_at_the_second_review(client, assigned, unit_user, staff):
    suggestion, _lead, draft = assigned
    services.reply_submit(
        reply=draft, actor=unit_user, no_contact_reason="unreachable", no_contact_note="多次致电未接通。"
    )
    client.force_login(staff)

    page = client.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()

    draft.refresh_from_db()
    assert (draft.no_contact_reason, draft.no_contact_note) == ("unreachable", "多次致电未接通。")
    assert "承办单位未与领衔代表沟通，原因：代表无法联系。情况说明：多次致电未接通。" in page


def test_the_page_refuses_a_reply_without_contact_and_accepts_one_with_the_reason(
    client, assigned, unit_user
):
    suggestion, lead, draft = assigned
    client.force_login(unit_user)

    refused = act(client, suggestion, "submit_reply", assignment=lead)

    assert REFUSAL in refused.content.decode()
    assert state(draft)[0] == ReplyStatus.DRAFT
    act(
        client,
        suggestion,
        "submit_reply",
        {"no_contact_reason": "declined", "no_contact_note": "代表表示无需当面沟通。"},
        assignment=lead,
    )
    draft.refresh_from_db()
    assert (draft.status, draft.no_contact_reason) == (ReplyStatus.SUBMITTED, "declined")


def test_the_api_refuses_a_reply_without_contact_and_accepts_one_with_the_reason(assigned, unit_user):
    _suggestion, lead, draft = assigned
    api = api_client(unit_user)

    refused = api.post(f"{ASSIGNMENTS}{lead.pk}/submit_reply/", {}, format="json")

    assert (refused.status_code, refused.json()["detail"]) == (400, REFUSAL)
    assert state(draft)[0] == ReplyStatus.DRAFT
    accepted = api.post(
        f"{ASSIGNMENTS}{lead.pk}/submit_reply/",
        {"no_contact_reason": "unreachable", "no_contact_note": "电话停机。"},
        format="json",
    )
    assert accepted.status_code == 200
    assert (accepted.json()["no_contact_reason"], accepted.json()["status"]) == ("unreachable", "submitted")


# -- 不宜公开 at the second review ----------------------------------------------------------------------


def _submitted(assigned, unit_user):
    _suggestion, _lead, draft = assigned
    return services.reply_submit(
        reply=draft, actor=unit_user, no_contact_reason="unreachable", no_contact_note="电话未接通。"
    )


def test_staff_withhold_a_reply_from_the_public_at_release(assigned, unit_user, staff, congress):
    reply = _submitted(assigned, unit_user)

    services.reply_review(reply=reply, actor=staff, release=True, withhold_from_public=True)

    reply.refresh_from_db()
    assert (reply.status, reply.is_withheld_from_public) == (ReplyStatus.RELEASED, True)
    assert list(reports.public_replies(congress=congress, year=2025)) == []


def test_a_released_reply_is_published_by_default(assigned, unit_user, staff, congress):
    reply = _submitted(assigned, unit_user)

    services.reply_review(reply=reply, actor=staff, release=True)

    assert [row["pk"] for row in reports.public_replies(congress=congress, year=2025)] == [reply.pk]


def test_the_api_withholds_at_release(assigned, unit_user, staff):
    reply = _submitted(assigned, unit_user)

    response = api_client(staff).post(
        f"{REPLIES}{reply.pk}/review/", {"decision": "release", "withhold_from_public": True}, format="json"
    )

    assert (response.status_code, response.json()["is_withheld_from_public"]) == (200, True)


def test_the_page_withholds_at_release(client, assigned, unit_user, staff):
    suggestion, lead, _draft = assigned
    reply = _submitted(assigned, unit_user)
    client.force_login(staff)

    act(client, suggestion, "release_reply", {"withhold_from_public": "on"}, assignment=lead)

    reply.refresh_from_db()
    assert (reply.status, reply.is_withheld_from_public) == (ReplyStatus.RELEASED, True)
