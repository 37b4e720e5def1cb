"""/api/v1/assessments: record an assessment (returns the stored Triage), preview, read."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from painpath.api.auth import patient_for_write, require_perm, token_auth, user_of
from painpath.api.schemas.assessments import AssessmentCreate, AssessmentPublic, TriageInput
from painpath.apps.accounts.permissions import EDIT_CLINICAL
from painpath.apps.assessments import actions
from painpath.apps.assessments.models import Assessment
from painpath.apps.patients import selectors

PREFIX = "/assessments"
router = Router(tags=["assessments"], auth=token_auth)


@router.post("", response={201: AssessmentPublic})
def record_assessment(request: HttpRequest, payload: AssessmentCreate) -> Any:
    """Runs the triage and stores it; an emergency or urgent triage also raises an alert."""
    patient = patient_for_write(request, payload.patient_id, EDIT_CLINICAL)
    assessment = actions.record_assessment(
        by=user_of(request),
        request=request,
        patient=patient,
        data=payload.triage_data(),
        examination=payload.examination,
        performed_at=payload.performed_at,
    )
    return Status(201, assessment)


@router.post("/preview", response=dict[str, Any])
def preview_triage(request: HttpRequest, payload: TriageInput) -> Any:
    """The triage for these findings, nothing saved (age and sex are required here)."""
    require_perm(request, EDIT_CLINICAL)
    return actions.preview_triage(payload.triage_data()).to_dict()


@router.get("/{int:assessment_id}", response=AssessmentPublic)
def read_assessment(request: HttpRequest, assessment_id: int) -> Any:
    patient_id = get_object_or_404(
        Assessment.objects.values_list("patient_id", flat=True), pk=assessment_id
    )
    selectors.get_patient_for(user_of(request), patient_id, request=request)
    return Assessment.objects.get(pk=assessment_id)
