"""/api/v1/outcomes: open alerts and acknowledging them, adverse events and their grading,
responder status. Handlers call selectors and actions; permissions and audit live there."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from painpath.api.auth import require_perm, token_auth, user_of
from painpath.apps.accounts.permissions import ACKNOWLEDGE_ALERT, EDIT_CLINICAL, MANAGE_FOLLOWUP
from painpath.apps.outcomes import actions, selectors
from painpath.apps.outcomes.models import AdverseEvent
from painpath.apps.patients.actions import acknowledge_alert
from painpath.apps.patients.models import Alert
from painpath.apps.patients.selectors import get_patient_for

PREFIX = "/outcomes"
router = Router(tags=["outcomes"], auth=token_auth)


class OpenAlertPublic(Schema):
    """Not ``AlertPublic``: that is the patients API's (other fields), and the OpenAPI document
    has one schema per name, so sharing it made one endpoint's documented response wrong."""

    id: int
    patient_id: int
    kind: str
    severity: str
    message: str
    created_at: dt.datetime
    acknowledged_at: dt.datetime | None


class AcknowledgeIn(Schema):
    note: str = Field("", max_length=2000)


class AdverseEventPublic(Schema):
    id: int
    patient_id: int
    reported_at: dt.datetime
    source: str
    symptom: str
    description: str
    reported_severity: str
    followup_set_id: int | None
    grade: int | None
    serious: bool | None
    causality: str
    graded_by_id: int | None
    graded_at: dt.datetime | None


class GradeIn(Schema):
    grade: int = Field(..., ge=1, le=5, description="CTCAE v5 grade 1-5")
    serious: bool
    causality: Literal["unrelated", "unlikely", "possible", "probable", "definite"]


class ResponderPublic(Schema):
    instrument: str
    measure: str
    status: str
    reason: str


@router.get("/alerts", response=list[OpenAlertPublic])
def list_open_alerts(request: HttpRequest) -> Any:
    """Open alerts, most urgent first (up to 50)."""
    require_perm(request, MANAGE_FOLLOWUP)
    return selectors.open_alerts()


@router.post("/alerts/{int:alert_id}/acknowledge", response=OpenAlertPublic)
def acknowledge(request: HttpRequest, alert_id: int, payload: AcknowledgeIn) -> Any:
    require_perm(request, ACKNOWLEDGE_ALERT)
    alert = get_object_or_404(Alert, pk=alert_id)
    return acknowledge_alert(by=user_of(request), request=request, alert=alert, note=payload.note)


@router.get("/patients/{int:patient_id}/adverse-events", response=list[AdverseEventPublic])
def patient_adverse_events(request: HttpRequest, patient_id: int) -> Any:
    patient = get_patient_for(user_of(request), patient_id, request=request)
    return list(selectors.patient_adverse_events(patient))


@router.post("/adverse-events/{int:event_id}/grade", response=AdverseEventPublic)
def grade(request: HttpRequest, event_id: int, payload: GradeIn) -> Any:
    require_perm(request, EDIT_CLINICAL)
    event = get_object_or_404(AdverseEvent, pk=event_id)
    get_patient_for(user_of(request), event.patient_id, request=request)
    return actions.grade_adverse_event(
        by=user_of(request),
        request=request,
        event=event,
        grade=payload.grade,
        serious=payload.serious,
        causality=payload.causality,
    )


@router.get("/patients/{int:patient_id}/responders", response=list[ResponderPublic])
def responders(request: HttpRequest, patient_id: int) -> Any:
    """Responder status per instrument (and measure), from the patient's complete scores."""
    patient = get_patient_for(user_of(request), patient_id, request=request)
    seen: dict[str, Any] = {}
    for o in selectors.patient_outcomes(patient, charts=False):
        seen.setdefault(o.code, o.responder)
    return [
        {"instrument": r.instrument, "measure": r.measure, "status": r.status, "reason": r.reason}
        for r in seen.values()
    ]
