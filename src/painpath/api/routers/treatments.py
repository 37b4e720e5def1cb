"""/api/v1/treatments: record a treatment tried and its effect; list a patient's history."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from painpath.api.auth import patient_for_write, token_auth, user_of
from painpath.api.schemas.treatments import TreatmentCreate, TreatmentPublic
from painpath.apps.accounts.permissions import EDIT_CLINICAL
from painpath.apps.patients import actions, selectors
from painpath.apps.patients.models import Treatment

PREFIX = "/treatments"
router = Router(tags=["treatments"], auth=token_auth)


@router.post("", response={201: TreatmentPublic})
def add_treatment(request: HttpRequest, payload: TreatmentCreate) -> Any:
    patient = patient_for_write(request, payload.patient_id, EDIT_CLINICAL)
    data = payload.model_dump(exclude={"patient_id"})
    data["category"] = payload.category.value
    data["effect"] = payload.effect.value
    treatment = actions.add_treatment(by=user_of(request), request=request, patient=patient, **data)
    return Status(201, treatment)


@router.get("", response=list[TreatmentPublic])
def list_treatments(request: HttpRequest, patient_id: int) -> Any:
    patient = selectors.get_patient_for(user_of(request), patient_id, request=request)
    return list(Treatment.objects.filter(patient=patient).order_by("-started_on", "-id")[:500])
