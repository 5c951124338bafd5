"""What each role reads inside a suggestion it sees (docs/visibility.md): the office's and the units'
internal exchanges — an objection and its decision, a co-unit's input, drafts and returned replies,
review notes — stay between the office and the units concerned. A deputy, a co-unit and a county
user each try to read each of them through the page, the handling log, the API detail, the API
lists and the exports."""

import io
from datetime import date
from types import SimpleNamespace

import openpyxl
import pytest
from django.test import Client
from rest_framework.test import APIClient

from lvzhi.suggestions import services
from lvzhi.suggestions.choices import ContactMethod, ContactStage, Satisfaction

from .factories import assign, pdf

OBJECTION_REASON = "该事项主要属住建部门职责异议理由"
DECISION_NOTE = "职责明确请按期办理的决定说明"
CO_INPUT = "协办单位的书面意见专用文字"
RETURN_REASON = "答复未写明具体措施的退回理由"
DRAFT_BODY = "尚在起草中的答复草稿文字"
RELEASED_BODY = "已发出的正式答复：今年内完成加装电梯"
SECRETS = {
    "objection": OBJECTION_REASON,
    "decision": DECISION_NOTE,
    "input": CO_INPUT,
    "review_note": RETURN_REASON,
    "draft": DRAFT_BODY,
}

# What each reader may read of the secrets once the reply is released and a new draft (a follow-up)
# is open. The lead unit wrote or received all of them; the office all but the unit's draft.
MAY_READ = {
    "deputy": set(),
    "cosigner": set(),
    "county": set(),
    "co_unit": {"input"},
    "lead_unit": {"objection", "decision", "input", "review_note", "draft"},
    "staff": {"objection", "decision", "input", "review_note"},
}


@pytest.fixture
def handled(
    rules, own_mandate, cosigner_one, staff, urban_field, lead_unit, co_unit, unit_user, co_unit_user
):
    """A joint suggestion assigned on 2025-03-03 to a lead unit and a co-unit. The lead unit objected
    (rejected by the office); the co-unit sent its input; the lead unit's first reply was returned
    by the second review, revised and released; a follow-up reply is being drafted."""
    suggestion, (lead, co) = assign(
        own_mandate,
        staff,
        field=urban_field,
        lead=lead_unit,
        co_units=[co_unit],
        cosigners=[cosigner_one],
        on=date(2025, 3, 3),
    )
    objection = services.assignment_object(assignment=lead, reason=OBJECTION_REASON, actor=unit_user)
    services.objection_decide(objection=objection, uphold=False, actor=staff, note=DECISION_NOTE)
    services.assignment_acknowledge(assignment=co, actor=co_unit_user)
    services.assignment_input_submit(assignment=co, text=CO_INPUT, actor=co_unit_user)
    services.contact_log(
        assignment=lead,
        actor=unit_user,
        deputy=own_mandate,
        contacted_on=date(2025, 3, 4),
        stage=ContactStage.BEFORE,
        method=ContactMethod.PHONE,
    )
    first = services.reply_draft(
        assignment=lead, actor=unit_user, body="初稿", result_class="B", signed_by="张局长", letter=pdf()
    )
    services.reply_submit(reply=first, actor=unit_user)
    services.reply_review(reply=first, actor=staff, release=False, reason=RETURN_REASON)
    revised = services.reply_draft(
        assignment=lead, actor=unit_user, body=RELEASED_BODY, result_class="B", signed_by="张局长"
    )
    services.reply_submit(reply=revised, actor=unit_user)
    released = services.reply_review(reply=revised, actor=staff, release=True)
    return SimpleNamespace(suggestion=suggestion, lead=lead, co=co, objection=objection, released=released)


@pytest.fixture
def with_draft(handled, unit_user, deputy_user):
    """The same, rated 不满意 by the lead deputy, and the lead unit drafting its re-handling reply
    that nobody else has seen."""
    recipient = handled.released.recipients.get(mandate__person__user=deputy_user)
    dissatisfied = Satisfaction.DISSATISFIED
    services.reply_evaluate(
        recipient=recipient,
        actor=deputy_user,
        satisfaction=dissatisfied,
        process_rating=dissatisfied,
        result_rating=dissatisfied,
    )
    services.reply_draft(
        assignment=handled.lead,
        actor=unit_user,
        body=DRAFT_BODY,
        result_class="B",
        signed_by="张局长",
        letter=pdf(),
    )
    return handled


@pytest.fixture
def readers(deputy_user, cosigner_one, county_user, co_unit_user, unit_user, staff):
    return {
        "deputy": deputy_user,
        "cosigner": cosigner_one.person.user,
        "county": county_user,
        "co_unit": co_unit_user,
        "lead_unit": unit_user,
        "staff": staff,
    }


def _read(text: str) -> set[str]:
    return {name for name, secret in SECRETS.items() if secret in text}


def _page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _api(user, url: str):
    api = APIClient()
    api.force_authenticate(user)
    response = api.get(url)
    assert response.status_code == 200, response.data
    return response


def _xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row if value
    )


@pytest.mark.parametrize("reader", list(MAY_READ))
def test_the_detail_page_and_its_history_show_each_reader_only_its_share(with_draft, readers, reader):
    html = _page(readers[reader], f"/suggestions/{with_draft.suggestion.pk}/")

    assert _read(html) == MAY_READ[reader]
    assert RELEASED_BODY in html  # the released reply is everybody's


@pytest.mark.parametrize("reader", list(MAY_READ))
def test_the_api_detail_shows_each_reader_only_its_share(with_draft, readers, reader):
    data = _api(readers[reader], f"/api/v1/suggestions/{with_draft.suggestion.pk}/").data

    # The detail has no history: review notes are read in the handling log.
    assert _read(str(data)) == MAY_READ[reader] - {"review_note"}
    released = next(r for r in data["replies"] if r["id"] == with_draft.released.pk)
    assert (released["body"], released["return_reason"]) == (RELEASED_BODY, "")


@pytest.mark.parametrize("reader", list(MAY_READ))
def test_the_handling_log_hides_objections_and_withholds_internal_reasons(with_draft, readers, reader):
    events = _api(readers[reader], f"/api/v1/suggestions/{with_draft.suggestion.pk}/events/").data
    types = [event["type"] for event in events]

    sees_objection = "objection" in MAY_READ[reader]
    assert ("assignment.objected" in types, "objection.rejected" in types) == (sees_objection, sees_objection)
    # Progress is everybody's: the co-unit's input went in, a reply was returned, then released.
    assert {"assignment.input_submitted", "reply.returned", "reply.released"} <= set(types)
    returned = next(event for event in events if event["type"] == "reply.returned")
    assert (returned["reason"] == RETURN_REASON) is ("review_note" in MAY_READ[reader])
    assert _read(str(events)) <= MAY_READ[reader]


@pytest.mark.parametrize("reader", list(MAY_READ))
def test_the_api_lists_of_objections_and_replies_follow_the_same_rule(with_draft, readers, reader):
    objections = _api(readers[reader], "/api/v1/suggestion-objections/").data["results"]
    replies = _api(readers[reader], "/api/v1/suggestion-replies/").data["results"]

    assert [o["reason"] for o in objections] == (
        [OBJECTION_REASON] if "objection" in MAY_READ[reader] else []
    )
    assert (DRAFT_BODY in [r["body"] for r in replies]) is ("draft" in MAY_READ[reader])
    assert _read(str(replies)) <= MAY_READ[reader]


@pytest.mark.parametrize("reader", ["deputy", "county", "co_unit"])
def test_an_outsider_cannot_open_the_objection_or_an_unreleased_reply(with_draft, readers, reader):
    api = APIClient()
    api.force_authenticate(readers[reader])
    draft = with_draft.lead.replies.get(body=DRAFT_BODY)

    assert api.get(f"/api/v1/suggestion-objections/{with_draft.objection.pk}/").status_code == 404
    assert api.get(f"/api/v1/suggestion-replies/{draft.pk}/").status_code == 404


def test_the_co_unit_reads_its_own_input_and_the_lead_unit_reads_it_too(with_draft, readers):
    """Input is written to the lead unit (DOMAIN §5.3): both see it; in the co-unit's work list too."""
    co_rows = _api(readers["co_unit"], "/api/v1/suggestion-assignments/").data["results"]

    assert [row["input_text"] for row in co_rows] == [CO_INPUT]
    lead_detail = _api(readers["lead_unit"], f"/api/v1/suggestions/{with_draft.suggestion.pk}/").data
    co_seen_by_lead = next(a for a in lead_detail["assignments"] if a["id"] == with_draft.co.pk)
    assert co_seen_by_lead["input_text"] == CO_INPUT


@pytest.mark.parametrize("reader", list(MAY_READ))
def test_the_exports_carry_nothing_internal(with_draft, readers, reader):
    client = Client()
    client.force_login(readers[reader])
    exports = [client.get("/suggestions/", {"export": "xlsx"})]
    if reader in ("co_unit", "lead_unit"):
        exports.append(client.get("/suggestions/work/", {"export": "xlsx"}))

    for response in exports:
        assert response.status_code == 200
        assert _read(_xlsx_text(response.content)) <= MAY_READ[reader]


def test_the_letter_of_an_unreleased_reply_is_the_units_alone(with_draft, readers):
    draft = with_draft.lead.replies.get(body=DRAFT_BODY)
    url = f"/suggestions/{with_draft.suggestion.pk}/replies/{draft.pk}/letter/"

    for reader, expected in (
        ("deputy", 404),
        ("county", 404),
        ("co_unit", 404),
        ("staff", 404),
        ("lead_unit", 200),
    ):
        client = Client()
        client.force_login(readers[reader])
        assert (reader, client.get(url).status_code) == (reader, expected)
