"""Assessments (triage stored whole, alerts) and questionnaires (score stored, PHQ-9 item 9 alert),
each one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from painpath.apps.assessments import actions
from painpath.apps.assessments.models import Assessment
from painpath.apps.audit.models import AuditEvent
from painpath.apps.errors import ActionError
from painpath.apps.patients.models import Alert
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

triage = pytest.importorskip("painpath.clinical.triage", reason="triage core not landed yet")

CES = {
    "region": "low_back",
    "duration_weeks": 30,
    "findings": [{"code": "saddle_anaesthesia", "days": 2, "course": "new"}],
}
ROUTINE = {"region": "low_back", "duration_weeks": 60, "findings": ["pain_varies_with_activity"]}


def test_emergency_triage_stored_with_ruleset_and_alert(nurse: Any) -> None:
    patient = PatientFactory(date_of_birth=dt.date(1975, 1, 1), sex="male")
    a = actions.record_assessment(by=nurse, patient=patient, data=CES, examination="Reduced S3-5")
    a.refresh_from_db()
    assert a.urgency == "emergency"
    assert a.triage["urgency"] == "emergency"
    assert a.ruleset == triage.RULESET == a.triage["ruleset"]
    today = timezone.localdate()
    assert a.age == today.year - 1975  # born 1 January: birthday already passed
    assert a.triage["red_flags"][0]["findings"]
    alert = Alert.objects.get(patient=patient)
    assert (alert.kind, alert.severity) == ("triage_emergency", "emergency")
    assert alert.source_type == "assessment" and alert.source_id == str(a.pk)
    assert AuditEvent.objects.filter(object_type="assessment", object_id=a.pk).exists()


def test_urgent_triage_raises_urgent_alert(nurse: Any) -> None:
    patient = PatientFactory()
    data = {"region": "low_back", "duration_weeks": 10, "findings": ["foot_drop"]}
    a = actions.record_assessment(by=nurse, patient=patient, data=data)
    assert a.urgency == "urgent"
    alert = Alert.objects.get(patient=patient)
    assert (alert.kind, alert.severity) == ("red_flag", "urgent")


def test_routine_triage_raises_no_alert(nurse: Any) -> None:
    patient = PatientFactory()
    a = actions.record_assessment(by=nurse, patient=patient, data=ROUTINE)
    assert a.urgency == "routine" and a.pain_type
    assert not Alert.objects.exists()


def test_bad_triage_input_names_field_and_saves_nothing(nurse: Any) -> None:
    patient = PatientFactory()
    with pytest.raises(ActionError) as err:
        actions.record_assessment(by=nurse, patient=patient, data={**CES, "region": "elbow"})
    assert "region" in err.value.errors
    with pytest.raises(ActionError) as err:
        actions.record_assessment(by=nurse, patient=patient, data={**CES, "colour": "red"})
    assert "colour" in err.value.errors
    assert not Assessment.objects.exists() and not Alert.objects.exists()
    assert not AuditEvent.objects.exists()


def test_alert_failure_rolls_back_the_assessment(nurse: Any, monkeypatch: Any) -> None:
    """One transaction per submission: an emergency triage is never stored without its alert."""
    patient = PatientFactory()

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("alert store unavailable")

    monkeypatch.setattr(actions, "raise_alert", broken)
    with pytest.raises(RuntimeError):
        actions.record_assessment(by=nurse, patient=patient, data=CES)
    assert not Assessment.objects.exists() and not AuditEvent.objects.exists()


def test_preview_saves_nothing() -> None:
    result = actions.preview_triage({**CES, "age": 50, "sex": "female"})
    assert result.to_dict()["urgency"] == "emergency"
    assert not Assessment.objects.exists()


def test_admin_cannot_record_assessment(users: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        actions.record_assessment(by=users["admin"], patient=PatientFactory(), data=ROUTINE)


def test_api_assessment_returns_triage(api: Any) -> None:
    patient = PatientFactory()
    response = api("prescriber").post("/assessments", {"patient_id": patient.pk, **CES})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["urgency"] == "emergency" and body["triage"]["red_flags"]
    bad = api("prescriber").post(
        "/assessments", {"patient_id": patient.pk, "region": "elbow", "duration_weeks": -1}
    )
    assert bad.status_code == 422 and {"region", "duration_weeks"} <= set(bad.json()["errors"])
    assert api("admin").post("/assessments", {"patient_id": patient.pk, **CES}).status_code == 403
    read = api("nurse").get(f"/assessments/{body['id']}")
    assert read.status_code == 200 and read.json()["triage"] == body["triage"]
