"""/api/v1/followup: a patient's follow-up sets, starting a plan, withdrawing and resending a
set's secure link. Handlers call selectors and actions; permissions and audit live there. The
link itself (its token) is never returned: it goes to the patient by email only (ADR 0078)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from painpath.api.auth import require_perm, token_auth, user_of
from painpath.apps.accounts.permissions import MANAGE_FOLLOWUP
from painpath.apps.errors import ActionError
from painpath.apps.followup import actions, selectors
from painpath.apps.followup.models import FollowUpSet
from painpath.apps.patients.models import Treatment
from painpath.apps.patients.selectors import get_patient_for

PREFIX = "/followup"
router = Router(tags=["followup"], auth=token_auth)


class SetPublic(Schema):
    id: int
    plan_id: int
    patient_id: int
    timepoint: str
    due_on: dt.date
    closes_on: dt.date | None
    status: str
    reminders_sent: int
    instruments: list[str]
    ask_side_effects: bool
    sent_on: dt.date | None
    completed_at: dt.datetime | None


class PlanCreate(Schema):
    started_on: dt.date | None = None
    region: Literal["low_back", "neck", "thoracic"] | None = None
    pain_measure: Literal["nrs", "bpi"] = "nrs"
    treatment_id: int | None = None
    schedule: dict[str, Any] | None = Field(
        None, description="overrides of the clinic's schedule (ADR 0077)"
    )


class PlanPublic(Schema):
    id: int
    patient_id: int
    treatment_id: int | None
    started_on: dt.date
    region: str
    pain_measure: str
    status: str
    sets: list[SetPublic]

    @staticmethod
    def resolve_sets(obj: Any) -> list[FollowUpSet]:
        return list(obj.sets.order_by("due_on", "id"))


class MessagePublic(Schema):
    id: int
    set_id: int = Field(..., alias="followup_set_id")
    kind: str
    status: str
    sent_at: dt.datetime | None


def _set(request: HttpRequest, set_id: int) -> FollowUpSet:
    require_perm(request, MANAGE_FOLLOWUP)
    s = get_object_or_404(FollowUpSet, pk=set_id)
    get_patient_for(user_of(request), s.patient_id, request=request)
    return s


@router.get("/patients/{int:patient_id}/sets", response=list[SetPublic])
def followup_sets(request: HttpRequest, patient_id: int) -> Any:
    """Every follow-up set of the patient, in due order."""
    require_perm(request, MANAGE_FOLLOWUP)
    patient = get_patient_for(user_of(request), patient_id, request=request)
    return selectors.patient_sets(patient)


@router.post("/patients/{int:patient_id}/plans", response={201: PlanPublic})
def followup_start_plan(request: HttpRequest, patient_id: int, payload: PlanCreate) -> Any:
    require_perm(request, MANAGE_FOLLOWUP)
    patient = get_patient_for(user_of(request), patient_id, request=request)
    treatment = None
    if payload.treatment_id is not None:
        treatment = Treatment.objects.filter(pk=payload.treatment_id, patient=patient).first()
        if treatment is None:
            raise ActionError({"treatment_id": "is not one of this patient's treatments"})
    plan = actions.start_plan(
        by=user_of(request),
        request=request,
        patient=patient,
        treatment=treatment,
        started_on=payload.started_on,
        region=payload.region,
        pain_measure=payload.pain_measure,
        schedule=payload.schedule,
    )
    return Status(201, plan)


@router.post("/sets/{int:set_id}/revoke", response=SetPublic)
def followup_revoke_link(request: HttpRequest, set_id: int) -> Any:
    s = _set(request, set_id)
    actions.revoke_link(by=user_of(request), request=request, followup_set=s)
    return s


@router.post("/sets/{int:set_id}/resend", response=MessagePublic)
def followup_resend_link(request: HttpRequest, set_id: int) -> Any:
    """Email the patient a new link now (the old one stops working)."""
    s = _set(request, set_id)
    return actions.resend_link(by=user_of(request), request=request, followup_set=s)
