"""Regression tests for the API bugs the schema fuzzer (test_api_fuzz.py) found: each was a 500
or an error body that did not name the field a client sent."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from painpath.apps.accounts.tokens import issue_token
from painpath.apps.errors import CONTROL_MESSAGE
from painpath.apps.patients.models import Note, Patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def headers(users: dict[str, Any]) -> dict[str, str]:
    _, raw = issue_token(users["prescriber"], name="errors")
    return {"Authorization": f"Bearer {raw}"}


def _post(client: Client, path: str, body: Any, headers: dict[str, str]) -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(path, data, content_type="application/json", headers=headers)


def test_an_offset_past_64_bits_is_refused_naming_offset(
    client: Client, headers: dict[str, str]
) -> None:
    """Was a 500 (SQLite: "datatype mismatch" on OFFSET)."""
    r = client.get("/api/v1/patients", {"offset": str(10**20)}, headers=headers)
    assert r.status_code == 422
    assert set(r.json()["errors"]) == {"offset"}
    assert client.get("/api/v1/patients", {"offset": "1000000000"}, headers=headers).json() == []


def test_a_missing_body_is_named_body_not_the_handlers_argument(
    client: Client, headers: dict[str, str], patient: Any
) -> None:
    """Was ``{"errors": {"payload": "Field required"}}``: ``payload`` is a Python name."""
    r = _post(client, f"/api/v1/patients/{patient.pk}/notes", b"", headers)
    assert r.status_code == 422
    assert r.json() == {"errors": {"body": "Field required"}}


def test_a_body_that_is_not_json_is_named_body(
    client: Client, headers: dict[str, str], patient: Any
) -> None:
    """Was ``{"detail": "Cannot parse request body"}`` with no ``errors``."""
    r = _post(client, f"/api/v1/patients/{patient.pk}/notes", b"\xff{", headers)
    assert r.status_code == 400
    assert r.json() == {"errors": {"body": "is not valid JSON"}}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "pain worse\x00"}, "text"),
        ({"text": ["\x00"]}, "text.0"),
        ({"text": "ok", "ex\x00tra": "y"}, "ex\x00tra"),
        ({"text": "colour \x1b[31mred"}, "text"),
    ],
)
def test_a_nul_in_the_body_is_refused_naming_the_field_and_nothing_is_saved(
    client: Client, headers: dict[str, str], patient: Any, body: Any, field: str
) -> None:
    """Was a 500 on PostgreSQL (text cannot hold NUL) and stored silently on SQLite."""
    r = _post(client, f"/api/v1/patients/{patient.pk}/notes", body, headers)
    assert r.status_code == 422
    assert r.json() == {"errors": {field: CONTROL_MESSAGE}}
    assert not Note.objects.filter(patient=patient).exists()


def test_tabs_and_line_breaks_are_not_control_characters_to_refuse(
    client: Client, headers: dict[str, str], patient: Any
) -> None:
    r = _post(client, f"/api/v1/patients/{patient.pk}/notes", {"text": "a\tb\r\nc"}, headers)
    assert r.status_code == 201
    assert Note.objects.get(patient=patient).text == "a\tb\r\nc"


def test_a_nul_in_a_nested_body_field_is_named_by_its_path(
    client: Client, headers: dict[str, str]
) -> None:
    body = {
        "nhs_number": "943 476 5919", "given_name": "Nul", "family_name": "Test",
        "date_of_birth": "1980-05-17", "sex": "female",
        "referral": {"source": "gp", "received_on": "2024-01-02", "reason": "back\x00pain"},
    }  # fmt: skip
    r = _post(client, "/api/v1/patients", body, headers)
    assert r.status_code == 422
    assert r.json() == {"errors": {"referral.reason": CONTROL_MESSAGE}}
    assert not Patient.objects.filter(family_name="Test").exists()


def test_a_nul_in_a_query_parameter_is_refused_naming_it(
    client: Client, headers: dict[str, str]
) -> None:
    """Was a 500 on PostgreSQL (the search's LIKE parameter)."""
    r = client.get("/api/v1/patients", {"q": "Rob\x00"}, headers=headers)
    assert r.status_code == 422
    assert r.json() == {"errors": {"q": CONTROL_MESSAGE}}


def test_an_unknown_prescription_is_named_by_the_path_parameter(
    client: Client, headers: dict[str, str]
) -> None:
    """Was ``prescription_id``; the path's parameter is ``rx_id``."""
    r = client.get("/api/v1/medicines/prescriptions/999999", headers=headers)
    assert r.status_code == 422
    assert r.json() == {"errors": {"rx_id": "no prescription with id 999999"}}


def test_the_two_alert_shapes_each_have_their_own_openapi_schema(client: Client) -> None:
    """Both were ``AlertPublic``, so the document described the outcomes alerts with the
    patients API's fields (``source_type``, ``source_id``) that they do not have."""
    doc = client.get("/api/v1/openapi.json").json()

    def item_schema(path: str, method: str) -> dict[str, Any]:
        ok = doc["paths"][path][method]["responses"]["200"]
        schema = ok["content"]["application/json"]["schema"]
        ref = schema.get("items", schema)["$ref"]
        return doc["components"]["schemas"][ref.rsplit("/", 1)[1]]

    outcomes = item_schema("/api/v1/outcomes/alerts", "get")
    acknowledged = item_schema("/api/v1/outcomes/alerts/{alert_id}/acknowledge", "post")
    patients = item_schema("/api/v1/patients/{patient_id}/alerts", "get")
    assert "patient_id" in outcomes["properties"]
    assert "source_type" not in outcomes["properties"]
    assert acknowledged == outcomes
    assert "source_type" in patients["properties"]


@pytest.mark.parametrize(
    "body", [[], [{"text": "a note"}], 7, "a note", None, True, "\x00", ["\x00"]]
)
def test_a_body_that_is_not_an_object_is_refused_naming_body(
    client: Client, headers: dict[str, str], patient: Any, body: Any
) -> None:
    """Was read as an empty object where every field has a default (acknowledging an alert
    with a bare number as the body succeeded)."""
    before = Note.objects.count()
    r = _post(client, f"/api/v1/patients/{patient.pk}/notes", body, headers)
    assert r.status_code == 422
    assert r.json() == {"errors": {"body": "must be a JSON object"}}
    assert Note.objects.count() == before


@pytest.mark.parametrize("path", ["/api/v1/patients/-1", "/api/v1/patients/abc", "/api/v1/nope"])
def test_an_api_address_that_does_not_exist_is_a_json_404(
    client: Client, headers: dict[str, str], path: str
) -> None:
    """Was Django's HTML 404 page, which an API client cannot read."""
    r = client.get(path, headers=headers)
    assert r.status_code == 404
    assert r["Content-Type"].startswith("application/json")
    assert "not found" in r.json()["detail"]


def test_a_page_that_does_not_exist_is_still_the_sites_404_page(client: Client) -> None:
    r = client.get("/no-such-page/")
    assert r.status_code == 404
    assert r["Content-Type"].startswith("text/html")
