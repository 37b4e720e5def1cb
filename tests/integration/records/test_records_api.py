"""The /api/v1 records endpoints: token auth, role rules, field-named errors, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from painpath.apps.accounts.models import ApiToken
from painpath.apps.accounts.tokens import digest, issue_token, revoke_token
from painpath.apps.assessments.models import QuestionnaireResponse
from painpath.apps.audit.models import AuditEvent
from painpath.apps.patients.models import Alert, Patient
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

NEW_PATIENT = {
    "nhs_number": "943 476 5919",
    "given_name": "Jo",
    "family_name": "Synthetic",
    "date_of_birth": "1968-03-02",
    "sex": "female",
    "consents": {"care": True, "research_registry": True},
}


def test_health_needs_no_token(client: Any) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_no_or_bad_token_is_401(api: Any, client: Any) -> None:
    assert api(None).get("/patients").status_code == 401
    bad = client.get("/api/v1/patients", headers={"Authorization": "Bearer pp_nope"})
    assert bad.status_code == 401


def test_tokens_stored_hashed_and_revocable(api: Any, users: dict[str, Any], client: Any) -> None:
    token, raw = issue_token(users["nurse"], name="t")
    assert raw not in str(list(ApiToken.objects.values()))
    assert token.digest == digest(raw)
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/patients", headers=headers).status_code == 200
    revoke_token(token)
    assert client.get("/api/v1/patients", headers=headers).status_code == 401


def test_expired_token_refused(users: dict[str, Any], client: Any) -> None:
    _, raw = issue_token(users["nurse"], expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert (
        client.get("/api/v1/patients", headers={"Authorization": f"Bearer {raw}"}).status_code
        == 401
    )


def test_create_patient_returns_201_and_audits(api: Any, users: dict[str, Any]) -> None:
    response = api("admin").post("/patients", NEW_PATIENT)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["nhs_number"] == "9434765919"
    patient = Patient.objects.get(pk=body["id"])
    event = AuditEvent.objects.get(object_type="patient", action="create")
    assert event.actor == users["admin"] and event.patient_id == patient.pk
    assert event.ip_address == "127.0.0.1"


def test_validation_errors_name_each_field(api: Any) -> None:
    body = {**NEW_PATIENT, "date_of_birth": "not-a-date", "sex": "x"}
    del body["family_name"]
    response = api("nurse").post("/patients", body)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"date_of_birth", "sex", "family_name"}


def test_action_errors_name_the_field(api: Any) -> None:
    response = api("nurse").post("/patients", {**NEW_PATIENT, "nhs_number": "943 476 5918"})
    assert response.status_code == 422
    assert "Modulus 11" in response.json()["errors"]["nhs_number"]
    assert not Patient.objects.exists()


@pytest.mark.parametrize(
    ("role", "list_status", "create_status"),
    [
        ("prescriber", 200, 201),
        ("nurse", 200, 201),
        ("admin", 200, 201),
        ("researcher", 403, 403),
        ("charity", 403, 403),
        ("patient", 403, 403),
    ],
)
def test_role_rules(api: Any, role: str, list_status: int, create_status: int) -> None:
    client = api(role)
    assert client.get("/patients").status_code == list_status
    assert client.post("/patients", NEW_PATIENT).status_code == create_status


def test_read_and_update_patient(api: Any) -> None:
    patient = PatientFactory()
    nurse = api("nurse")
    assert nurse.get(f"/patients/{patient.pk}").json()["id"] == patient.pk
    assert AuditEvent.objects.filter(action="read", patient_id=patient.pk).count() == 1
    response = nurse.patch(f"/patients/{patient.pk}", {"phone": "01632 960 001"})
    assert response.status_code == 200 and response.json()["phone"] == "01632 960 001"
    bad = nurse.patch(f"/patients/{patient.pk}", {"email": "nope"})
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"email"}
    assert api("researcher").get(f"/patients/{patient.pk}").status_code == 403
    assert nurse.get("/patients/999999").status_code == 404


def test_list_filters(api: Any) -> None:
    PatientFactory(family_name="Rowan")
    PatientFactory(family_name="Hazel")
    rows = api("prescriber").get("/patients", q="rowan").json()
    assert [r["family_name"] for r in rows] == ["Rowan"]
    assert set(rows[0]) >= {"latest_urgency", "latest_pain_type", "open_alert_count"}
    assert api("admin").get("/patients", urgency="emergency").status_code == 403
    assert api("nurse").get("/patients", limit=0).status_code == 422


def test_questionnaire_post_returns_score(api: Any) -> None:
    patient = PatientFactory()
    response = api("nurse").post(
        "/questionnaire-responses",
        {"patient_id": patient.pk, "instrument": "gad7", "answers": [2, 2, 2, 1, 1, 1, 1]},
    )
    assert response.status_code == 201, response.content
    score = response.json()["score"]
    assert score["value"] == 10 and score["band"] == "moderate"
    assert "gad7_positive_screen" in score["flags"]


def test_questionnaire_phq9_item9_raises_urgent_alert(api: Any) -> None:
    patient = PatientFactory()
    response = api("nurse").post(
        "/questionnaire-responses",
        {"patient_id": patient.pk, "instrument": "phq9", "answers": [1, 1, 1, 1, 1, 1, 1, 1, 1]},
    )
    assert response.status_code == 201
    alert = Alert.objects.get(patient=patient)
    assert alert.kind == "phq9_item9_positive" and alert.severity == "urgent"
    assert response.json()["alert_ids"] == [alert.pk]


def test_questionnaire_errors_name_fields(api: Any) -> None:
    patient = PatientFactory()
    nurse = api("nurse")
    unknown = nurse.post(
        "/questionnaire-responses", {"patient_id": patient.pk, "instrument": "xyz", "answers": [1]}
    )
    assert unknown.status_code == 422 and "instrument" in unknown.json()["errors"]
    bad = nurse.post(
        "/questionnaire-responses",
        {"patient_id": patient.pk, "instrument": "gad7", "answers": [9, 0, 0, 0, 0, 0, 0]},
    )
    assert bad.status_code == 422
    (field,) = bad.json()["errors"]
    assert field.startswith("answers")
    missing = nurse.post(
        "/questionnaire-responses", {"patient_id": 999999, "instrument": "nrs", "answers": [3]}
    )
    assert missing.status_code == 422 and "patient_id" in missing.json()["errors"]
    assert not QuestionnaireResponse.objects.exists()


def test_patient_submits_own_home_questionnaire_only(api: Any, users: dict[str, Any]) -> None:
    own = PatientFactory(user=users["patient"])
    other = PatientFactory()
    client = api("patient")
    body = {"instrument": "nrs", "answers": [4], "source": "home"}
    assert (
        client.post("/questionnaire-responses", {**body, "patient_id": own.pk}).status_code == 201
    )
    assert (
        client.post("/questionnaire-responses", {**body, "patient_id": other.pk}).status_code == 403
    )
    clinic = {**body, "source": "clinic", "patient_id": own.pk}
    assert client.post("/questionnaire-responses", clinic).status_code == 403


def test_treatments(api: Any) -> None:
    patient = PatientFactory()
    nurse = api("nurse")
    ok = nurse.post(
        "/treatments",
        {
            "patient_id": patient.pk,
            "category": "gabapentinoid",
            "name": "pregabalin",
            "started_on": "2022-01-01",
            "stopped_on": "2022-04-01",
            "effect": "not_tolerated",
            "reason_stopped": "dizziness",
        },
    )
    assert ok.status_code == 201, ok.content
    bad = nurse.post(
        "/treatments",
        {
            "patient_id": patient.pk,
            "category": "magic",
            "started_on": "2022-05-01",
            "stopped_on": "2022-01-01",
        },
    )
    assert bad.status_code == 422 and "category" in bad.json()["errors"]
    rows = nurse.get("/treatments", patient_id=patient.pk).json()
    assert [r["name"] for r in rows] == ["pregabalin"]
    assert api("admin").get("/treatments", patient_id=patient.pk).status_code == 403


def test_timeline_endpoint(api: Any) -> None:
    patient = PatientFactory()
    nurse = api("nurse")
    nurse.post(f"/patients/{patient.pk}/notes", {"text": "first"})
    nurse.post(
        "/questionnaire-responses", {"patient_id": patient.pk, "instrument": "nrs", "answers": [7]}
    )
    rows = nurse.get(f"/patients/{patient.pk}/timeline", limit=10).json()
    assert [r["kind"] for r in rows] == ["questionnaire", "note"]
    assert api("admin").get(f"/patients/{patient.pk}/timeline").status_code == 403


def test_openapi_docs_served(client: Any) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


def test_token_last_used_recorded(users: dict[str, Any], client: Any) -> None:
    token, raw = issue_token(users["nurse"])
    assert token.last_used_at is None
    client.get("/api/v1/patients", headers={"Authorization": f"Bearer {raw}"})
    token.refresh_from_db()
    assert token.last_used_at is not None
    first = token.last_used_at
    client.get("/api/v1/patients", headers={"Authorization": f"Bearer {raw}"})
    token.refresh_from_db()
    assert token.last_used_at == first  # not rewritten on every request


def test_inactive_user_token_refused(users: dict[str, Any], client: Any) -> None:
    _, raw = issue_token(users["nurse"])
    users["nurse"].is_active = False
    users["nurse"].save()
    assert (
        client.get("/api/v1/patients", headers={"Authorization": f"Bearer {raw}"}).status_code
        == 401
    )
