"""URL x role rows for the records API (/api/v1: patients, treatments, assessments,
questionnaire responses, health, docs). Tokens per role; no token is 401.

Writes send a valid body so the row shows the permission rule, not only schema validation.
"""

from __future__ import annotations

from typing import Any

from tests.integration.web.url_matrix import CLINIC_TEAM, CLINICAL, Row, World, api, expect

NEW_PATIENT = {
    "nhs_number": "943 476 5919",
    "given_name": "Matrix",
    "family_name": "New",
    "date_of_birth": "1980-05-17",
    "sex": "female",
}


def _pid(w: World) -> dict[str, Any]:
    return {"patient_id": w["patient"].pk}


def _own(w: World) -> dict[str, Any]:
    return {"patient_id": w["own_patient"].pk}


def _assessment(w: World) -> Any:
    from tests.factories import AssessmentFactory

    return AssessmentFactory(patient=w["patient"])


def _response(w: World) -> Any:
    from tests.factories import ResponseFactory

    return ResponseFactory(patient=w["patient"])


BUILDERS = {"api_assessment": _assessment, "api_response": _response}

ROWS = [
    Row("api-v1:health", expect(200)),
    Row("api-v1:api-root", expect(404), note="no index page at the API root"),
    Row("api-v1:openapi-json", expect(200)),
    Row("api-v1:openapi-view", expect(200)),
    Row("api-v1:list_patients", api(200, *CLINIC_TEAM)),
    Row(
        "api-v1:create_patient",
        api(201, *CLINIC_TEAM),
        method="POST",
        data=lambda w: NEW_PATIENT,
    ),
    Row("api-v1:read_patient", api(200, *CLINIC_TEAM), kwargs=_pid),
    Row("api-v1:read_patient", api(200, *CLINIC_TEAM, "patient"), kwargs=_own, note="own record"),
    Row(
        "api-v1:update_patient",
        api(200, *CLINIC_TEAM),
        kwargs=_pid,
        method="PATCH",
        data=lambda w: {"phone": "01234 567890"},
    ),
    Row(
        "api-v1:update_patient",
        api(200, *CLINIC_TEAM),
        kwargs=_own,
        method="PATCH",
        data=lambda w: {"phone": "01234 567890"},
        note="a patient may not edit their record through the API",
    ),
    Row("api-v1:patient_timeline", api(200, *CLINICAL), kwargs=_pid),
    Row(
        "api-v1:patient_timeline",
        api(200, *CLINICAL, "patient"),
        kwargs=_own,
        note="own record",
    ),
    Row(
        "api-v1:record_consent",
        api(201, *CLINIC_TEAM),
        kwargs=_pid,
        method="POST",
        data=lambda w: {"kind": "research_registry", "status": "given", "decided_on": "2024-01-02"},
    ),
    Row(
        "api-v1:record_consent",
        api(201, *CLINIC_TEAM, "patient"),
        kwargs=_own,
        method="POST",
        data=lambda w: {
            "kind": "research_registry",
            "status": "withdrawn",
            "decided_on": "2024-01-02",
        },
        note="a patient records their own consent",
    ),
    Row("api-v1:list_referrals", api(200, *CLINIC_TEAM), kwargs=_pid),
    Row(
        "api-v1:list_referrals",
        api(200, *CLINIC_TEAM, "patient"),
        kwargs=_own,
        note="own record",
    ),
    Row(
        "api-v1:record_referral",
        api(201, *CLINIC_TEAM),
        kwargs=_pid,
        method="POST",
        data=lambda w: {"source": "self", "received_on": "2024-01-02"},
    ),
    Row(
        "api-v1:record_referral",
        api(201, *CLINIC_TEAM),
        kwargs=_own,
        method="POST",
        data=lambda w: {"source": "self", "received_on": "2024-01-02"},
        note="a patient may not record a referral through the API (the clinic records it)",
    ),
    Row(
        "api-v1:correct_referral",
        api(200, *CLINIC_TEAM),
        kwargs=lambda w: {"patient_id": w["patient"].pk, "referral_id": w["referral"].pk},
        method="PATCH",
        data=lambda w: {"received_on": "2024-02-04", "correction_reason": "Wrong date typed."},
    ),
    Row(
        "api-v1:correct_referral",
        api(422, *CLINIC_TEAM),
        kwargs=lambda w: {"patient_id": w["patient"].pk, "referral_id": w["referral"].pk},
        method="PATCH",
        data=lambda w: {"received_on": "2999-01-01", "correction_reason": "Wrong date."},
        note="refused, naming the field",
    ),
    Row(
        "api-v1:correct_referral",
        api(200, *CLINIC_TEAM),
        kwargs=lambda w: {"patient_id": w["own_patient"].pk, "referral_id": w["own_referral"].pk},
        method="PATCH",
        data=lambda w: {"source": "gp", "correction_reason": "The GP referred."},
        note="a patient may not correct their own referral (the clinic records it)",
    ),
    Row(
        "api-v1:correct_referral",
        api(404, *CLINIC_TEAM),
        kwargs=lambda w: {"patient_id": w["patient"].pk, "referral_id": w["own_referral"].pk},
        method="PATCH",
        data=lambda w: {"source": "gp", "correction_reason": "The GP referred."},
        note="another patient's referral",
    ),
    Row(
        "api-v1:add_note",
        api(201, *CLINICAL),
        kwargs=_pid,
        method="POST",
        data=lambda w: {"text": "Matrix note."},
    ),
    Row("api-v1:open_alerts", api(200, *CLINICAL), kwargs=_pid),
    Row(
        "api-v1:add_treatment",
        api(201, *CLINICAL),
        method="POST",
        data=lambda w: {"patient_id": w["patient"].pk, "category": "physiotherapy"},
    ),
    Row(
        "api-v1:list_treatments",
        api(200, *CLINICAL),
        query=lambda w: {"patient_id": w["patient"].pk},
    ),
    Row(
        "api-v1:record_assessment",
        expect(422, anonymous=401),
        method="POST",
        data=lambda w: {"patient_id": w["patient"].pk, "region": "elbow", "duration_weeks": 10},
        note="a region outside the schema is refused before any role check",
    ),
    Row(
        "api-v1:preview_triage",
        expect(422, anonymous=401),
        method="POST",
        data=lambda w: {"region": "elbow", "duration_weeks": 10},
        note="schema refusal",
    ),
    Row(
        "api-v1:read_assessment",
        api(200, *CLINICAL),
        kwargs=lambda w: {"assessment_id": w["api_assessment"].pk},
    ),
    Row(
        "api-v1:record_response",
        api(201, *CLINICAL),
        method="POST",
        data=lambda w: {
            "patient_id": w["patient"].pk,
            "instrument": "gad7",
            "answers": [1, 1, 1, 1, 1, 1, 1],
        },
    ),
    Row(
        "api-v1:read_response",
        api(200, *CLINICAL),
        kwargs=lambda w: {"response_id": w["api_response"].pk},
    ),
]
