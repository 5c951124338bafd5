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


def test_schema_offers_session_and_token_authentication(schema):
    assert set(schema["components"]["securitySchemes"]) == {"cookieAuth", "tokenAuth"}


def test_schema_endpoint_serves_the_schema(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    assert "/api/v1/mandates/{id}/events/" in json.loads(response.content)["paths"]


def test_docs_are_served_from_our_static_files(client):
    response = client.get("/api/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert EXTERNAL_URL.findall(html) == []
    linked = LINKED.findall(html)
    assert linked  # the Swagger UI bundle, its preset, style sheet and icon
    for url in linked:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")) is not None, url
