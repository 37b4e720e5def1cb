"""URL x role rows for the patient pages (apps/patients)."""

from __future__ import annotations

from typing import Any

from tests.integration.web.url_matrix import CLINIC_TEAM, CLINICAL, Row, World, page


def _pid(w: World) -> dict[str, Any]:
    return {"patient_id": w["patient"].pk}


def _own(w: World) -> dict[str, Any]:
    return {"patient_id": w["own_patient"].pk}


def _missing(w: World) -> dict[str, Any]:
    return {"patient_id": 987654321}


def _referral(w: World) -> Any:
    from painpath.apps.patients.models import Referral

    return Referral.objects.create(
        patient=w["patient"], source="gp", referrer="Dr A. Example", received_on="2024-02-03"
    )


def _own_referral(w: World) -> Any:
    from painpath.apps.patients.models import Referral

    return Referral.objects.create(
        patient=w["own_patient"], source="self", received_on="2024-02-03"
    )


def _rid(w: World) -> dict[str, Any]:
    return {"patient_id": w["patient"].pk, "referral_id": w["referral"].pk}


def _other_patients_referral(w: World) -> dict[str, Any]:
    return {"patient_id": w["patient"].pk, "referral_id": w["own_referral"].pk}


BUILDERS = {"referral": _referral, "own_referral": _own_referral}

CORRECTION = {
    "source": "specialist",
    "referrer": "Dr B. Example",
    "received_on": "2024-02-04",
    "correction_reason": "Typed from the wrong letter.",
}

NEW_PATIENT = {
    "nhs_number": "943 476 5919",
    "given_name": "Matrix",
    "family_name": "New",
    "date_of_birth": "1980-05-17",
    "sex": "female",
}

ROWS = [
    Row("patients:list", page(200, *CLINIC_TEAM)),
    Row(
        "patients:list",
        page(200, *CLINIC_TEAM),
        query=lambda w: {"q": "943 476", "urgency": "emergency", "open_alerts": "yes"},
        note="search and filters (admin: clinical filters ignored)",
    ),
    Row("patients:new", page(200, *CLINIC_TEAM)),
    Row(
        "patients:new",
        page(302, *CLINIC_TEAM),
        method="POST",
        data=lambda w: NEW_PATIENT,
        note="registered, to the record",
    ),
    Row(
        "patients:new",
        page(422, *CLINIC_TEAM),
        method="POST",
        data=lambda w: {**NEW_PATIENT, "nhs_number": "943 476 5918"},
        note="bad NHS number",
    ),
    Row("patients:detail", page(200, *CLINIC_TEAM), kwargs=_pid),
    Row(
        "patients:detail",
        page(200, *CLINIC_TEAM),
        kwargs=_own,
        note="a patient uses the portal, not the clinic record",
    ),
    Row("patients:detail", page(404, *CLINIC_TEAM), kwargs=_missing, note="no such patient"),
    Row("patients:edit", page(200, *CLINIC_TEAM), kwargs=_pid),
    Row(
        "patients:edit",
        page(302, *CLINIC_TEAM),
        kwargs=_pid,
        method="POST",
        data=lambda w: {**NEW_PATIENT, "nhs_number": w["patient"].nhs_number},
        note="saved",
    ),
    Row(
        "patients:edit",
        page(422, *CLINIC_TEAM),
        kwargs=_pid,
        method="POST",
        data=lambda w: {**NEW_PATIENT, "date_of_birth": "17/05/1980"},
        note="bad date",
    ),
    Row("patients:referral_new", page(200, *CLINIC_TEAM), kwargs=_pid),
    Row(
        "patients:referral_new",
        page(302, *CLINIC_TEAM),
        kwargs=_pid,
        method="POST",
        data=lambda w: {"source": "gp", "referrer": "Dr A. Example", "received_on": "2024-02-03"},
        note="recorded (admin staff log referrals as they arrive)",
    ),
    Row(
        "patients:referral_new",
        page(422, *CLINIC_TEAM),
        kwargs=_pid,
        method="POST",
        data=lambda w: {"source": "pharmacy", "received_on": "2999-01-01"},
        note="refused",
    ),
    Row("patients:referral_new", page(404, *CLINIC_TEAM), kwargs=_missing, note="no such patient"),
    Row("patients:referral_correct", page(200, *CLINIC_TEAM), kwargs=_rid),
    Row(
        "patients:referral_correct",
        page(302, *CLINIC_TEAM),
        kwargs=_rid,
        method="POST",
        data=lambda w: CORRECTION,
        note="corrected (the clinic team, as for recording a referral)",
    ),
    Row(
        "patients:referral_correct",
        page(422, *CLINIC_TEAM),
        kwargs=_rid,
        method="POST",
        data=lambda w: {**CORRECTION, "correction_reason": "", "received_on": "2999-01-01"},
        note="refused",
    ),
    Row(
        "patients:referral_correct",
        page(404, *CLINIC_TEAM),
        kwargs=_other_patients_referral,
        note="another patient's referral",
    ),
    Row("patients:treatment_new", page(200, *CLINICAL), kwargs=_pid),
    Row(
        "patients:treatment_new",
        page(422, *CLINICAL),
        kwargs=_pid,
        method="POST",
        data=lambda w: {"category": "magic", "effect": "helped"},
        note="refused",
    ),
    Row("patients:note_new", page(200, *CLINICAL), kwargs=_pid),
    Row(
        "patients:note_new",
        page(302, *CLINICAL),
        kwargs=_pid,
        method="POST",
        data=lambda w: {"text": "Matrix note."},
        note="added",
    ),
    Row("patients:consents", page(200, *CLINIC_TEAM), kwargs=_pid),
    Row(
        "patients:consents",
        page(302, *CLINIC_TEAM),
        kwargs=_pid,
        method="POST",
        data=lambda w: {"kind": "gp_sharing", "status": "withdrawn", "decided_on": "2024-02-03"},
        note="recorded",
    ),
    Row("patients:access_log", page(200, "prescriber"), kwargs=_pid),
]
