"""The OpenAPI schema and the API docs: generated without warnings, valid, and served from our own
static files (no request may leave the machine)."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

EXTERNAL_URL = re.compile(r"https?://", re.IGNORECASE)
LINKED = re.compile(r"""(?:src|href)=["']([^"']+)["']""")

API_PATHS = {
    "/api/v1/auth/token/",
    # lvzhi.access: accounts (the office) and the user's own account
    "/api/v1/accounts/",
    "/api/v1/accounts/deputies/",
    "/api/v1/accounts/{id}/",
    "/api/v1/accounts/{id}/activation-link/",
    "/api/v1/accounts/{id}/deactivate/",
    "/api/v1/accounts/{id}/events/",
    "/api/v1/accounts/{id}/reactivate/",
    "/api/v1/accounts/{id}/reset/",
    "/api/v1/me/",
    "/api/v1/me/contact/",
    "/api/v1/me/password/",
    *(
        f"/api/v1/{name}/{suffix}"
        for name in (
            "congresses",
            "terms",
            "sessions",
            "electoral-units",
            "deputy-groups",
            "committees",
            "handling-units",
            "fields",
            "mandates",
            "roster-imports",
        )
        for suffix in ("", "{id}/")
    ),
    "/api/v1/mandates/{id}/events/",
    "/api/v1/mandates/{id}/history/",
    "/api/v1/roster-imports/{id}/apply/",
    "/api/v1/roster-imports/{id}/cancel/",
    "/api/v1/roster-imports/template/",
    "/api/v1/notifications/",
    "/api/v1/notifications/{id}/",
    "/api/v1/notifications/{id}/read/",
    "/api/v1/notifications/read-all/",
    "/api/v1/notifications/unread-count/",
    "/api/v1/motions/",
    "/api/v1/motions/{id}/",
    "/api/v1/motions/{id}/sign/",
    "/api/v1/motions/{id}/submit/",
    "/api/v1/motions/{id}/withdraw/",
    "/api/v1/motions/{id}/decide/",
    "/api/v1/motions/{id}/activities/",
    "/api/v1/motions/{id}/activities/{activity_id}/attendance/",
    "/api/v1/motions/{id}/report/",
    "/api/v1/motions/{id}/close/",
    "/api/v1/motions/{id}/events/",
    # Suggestions (lvzhi.suggestions.api)
    *(
        f"/api/v1/{name}/{suffix}"
        for name in (
            "suggestions",
            "suggestion-assignments",
            "suggestion-objections",
            "suggestion-commitments",
            "suggestion-replies",
            "suggestion-reply-recipients",
        )
        for suffix in ("", "{id}/")
    ),
    *(
        f"/api/v1/suggestions/{{id}}/{action}/"
        for action in (
            "invite_cosigners",
            "respond",
            "submit",
            "withdraw",
            "review",
            "assign",
            "attachments",
            "close",
            "events",
        )
    ),
    "/api/v1/suggestions/{id}/attachments/{attachment_id}/",
    "/api/v1/suggestions/assign_bulk/",
    *(
        f"/api/v1/suggestion-assignments/{{id}}/{action}/"
        for action in (
            "acknowledge",
            "object",
            "reassign",
            "input",
            "contacts",
            "commitments",
            "draft_reply",
            "submit_reply",
            "follow_up_reply",
        )
    ),
    "/api/v1/suggestion-objections/{id}/decide/",
    "/api/v1/suggestion-commitments/{id}/keep/",
    "/api/v1/suggestion-replies/{id}/review/",
    "/api/v1/suggestion-reply-recipients/{id}/evaluate/",
    "/api/v1/suggestion-rules/{congress}/",
    # Supervision (lvzhi.supervision.api)
    *(
        f"/api/v1/{name}/{suffix}"
        for name in ("supervision-items", "supervision-campaigns", "supervision-meetings")
        for suffix in ("", "{id}/")
    ),
    *(f"/api/v1/supervision-items/{{id}}/{action}/" for action in ("record_activity", "finish", "reopen")),
    "/api/v1/supervision-items/carry_over/",
    *(
        f"/api/v1/supervision-campaigns/{{id}}/{action}/"
        for action in ("add_suggestions", "remove_suggestion", "progress")
    ),
    "/api/v1/supervision-meetings/dissatisfied/",
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker) -> dict:
    target = tmp_path_factory.mktemp("openapi") / "schema.json"
    with django_db_blocker.unblock():
        # Raises on any generator warning and on a schema that does not validate.
        call_command(
            "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(target)
        )
    return json.loads(target.read_text())


def test_schema_lists_every_endpoint(schema):
    assert set(schema["paths"]) == API_PATHS


def test_schema_describes_the_mandate_events(schema):
    events = schema["paths"]["/api/v1/mandates/{id}/events/"]

    assert set(events) == {"get", "post"}
    assert events["post"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/MandateEventInputRequest"
    }
    assert events["post"]["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/MandateEvent"
    }
    assert events["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/MandateEvent"},
    }


def test_schema_never_offers_deleting_a_mandate_or_writing_its_status(schema):
    mandate = schema["paths"]["/api/v1/mandates/{id}/"]
    update = schema["components"]["schemas"]["PatchedMandateUpdateRequest"]["properties"]

    assert set(mandate) == {"get", "put", "patch"}
    assert "status" not in update
    assert "status_since" not in update
    assert schema["components"]["schemas"]["Mandate"]["properties"]["status"]["readOnly"] is True


def test_schema_describes_the_suggestion_transitions(schema):
    suggestion = schema["paths"]["/api/v1/suggestions/{id}/"]
    review = schema["paths"]["/api/v1/suggestions/{id}/review/"]["post"]
    draft_reply = schema["paths"]["/api/v1/suggestion-assignments/{id}/draft_reply/"]["post"]
    components = schema["components"]["schemas"]

    # No PUT, no DELETE: edited field by field with the version read; withdrawn by an action.
    assert set(suggestion) == {"get", "patch"}
    assert review["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SuggestionReviewRequest"
    }
    assert review["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SuggestionDetail"
    }
    assert set(review["responses"]) == {"200", "400", "403", "409"}
    assert components["SuggestionReviewDecisionEnum"]["enum"] == [
        "accept",
        "return",
        "reject",
        "convert_to_letter",
    ]
    assert "multipart/form-data" in draft_reply["requestBody"]["content"]
    assert components["ReplyDraftRequest"]["properties"]["letter"]["format"] == "binary"
    assert "status" not in components["PatchedSuggestionUpdateRequest"]["properties"]


def test_schema_offers_session_and_token_authentication(schema):
    assert set(schema["components"]["securitySchemes"]) == {"cookieAuth", "tokenAuth"}


def test_schema_endpoint_serves_the_schema(client, staff):
    client.force_login(staff)
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    assert "/api/v1/mandates/{id}/events/" in json.loads(response.content)["paths"]


def test_docs_are_served_from_our_static_files(client, staff):
    client.force_login(staff)
    response = client.get("/api/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert EXTERNAL_URL.findall(html) == []
    linked = LINKED.findall(html)
    assert linked  # the Swagger UI bundle, its preset, style sheet and icon
    for url in linked:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")) is not None, url


@pytest.mark.parametrize("address", ["/api/docs/", "/api/schema/"])
def test_the_api_documentation_is_for_the_office_only(client, address, admin_user, staff, leader, unit_user,
                                                      county_user, committee_user, deputy_user):  # fmt: skip
    anonymous = client.get(address)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    for user in (leader, unit_user, county_user, committee_user, deputy_user):
        client.force_login(user)
        assert client.get(address).status_code == 404, user
    for user in (admin_user, staff):
        client.force_login(user)
        assert client.get(address).status_code == 200, user
