"""/api/v1/patients: list, register, read, update; timeline, referrals (recorded and
corrected), consents, notes and alerts.

Route handlers hold no permission or query logic: they call ``painpath.apps.patients`` actions
(checked, atomic, audited) and selectors (scoped, audited reads).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from painpath.api.auth import require_perm, token_auth, user_of
from painpath.api.schemas.patients import (
    AlertPublic,
    ConsentCreate,
    ConsentPublic,
    NoteCreate,
    NotePublic,
    PatientCreate,
    PatientPublic,
    PatientSummary,
    PatientUpdate,
    ReferralCorrect,
    ReferralCreate,
    ReferralPublic,
    TimelineEntryPublic,
)
from painpath.apps.accounts.permissions import EDIT_DEMOGRAPHICS, VIEW_CLINICAL, has_perm
from painpath.apps.patients import actions, selectors
from painpath.apps.patients.models import Referral

PREFIX = "/patients"
router = Router(tags=["patients"], auth=token_auth)


class ListFilters(Schema):
    q: str = Field(default="", max_length=100)
    urgency: str | None = None
    pain_type: str | None = None
    open_alerts: bool | None = None
    limit: int = Field(default=50, ge=1, le=200)
    # Bounded so the slice fits the databases' 64-bit OFFSET (an unbounded one was a 500).
    offset: int = Field(default=0, ge=0, le=1_000_000_000)


@router.get("", response=list[PatientSummary])
def list_patients(request: HttpRequest, filters: Query[ListFilters]) -> Any:
    qs = selectors.patient_list(
        user_of(request),
        q=filters.q,
        urgency=filters.urgency,
        pain_type=filters.pain_type,
        open_alerts=filters.open_alerts,
        request=request,
    )
    return list(qs[filters.offset : filters.offset + filters.limit])


@router.post("", response={201: PatientPublic})
def create_patient(request: HttpRequest, payload: PatientCreate) -> Any:
    user = require_perm(request, EDIT_DEMOGRAPHICS)
    data = payload.model_dump()
    consents = data.pop("consents") or None
    if consents:
        consents = {str(getattr(k, "value", k)): v for k, v in consents.items()}
    referral = data.pop("referral")
    patient = actions.create_patient(
        by=user, request=request, consents=consents, referral=referral, **data
    )
    return Status(201, patient)


@router.get("/{int:patient_id}", response=PatientPublic)
def read_patient(request: HttpRequest, patient_id: int) -> Any:
    return selectors.get_patient_for(user_of(request), patient_id, request=request, clinical=False)


@router.patch("/{int:patient_id}", response=PatientPublic)
def update_patient(request: HttpRequest, patient_id: int, payload: PatientUpdate) -> Any:
    user = require_perm(request, EDIT_DEMOGRAPHICS)
    patient = selectors.get_patient_for(user, patient_id, request=request, clinical=False)
    fields = payload.model_dump(exclude_unset=True)
    return actions.update_patient(by=user, request=request, patient=patient, **fields)


class TimelineQuery(Schema):
    limit: int = Field(default=50, ge=1, le=200)
    before: dt.datetime | None = None


@router.get("/{int:patient_id}/timeline", response=list[TimelineEntryPublic])
def patient_timeline(request: HttpRequest, patient_id: int, page: Query[TimelineQuery]) -> Any:
    patient = selectors.get_patient_for(user_of(request), patient_id, request=request)
    return [
        {"kind": e.kind, "at": e.at, "title": e.title, "detail": e.detail, "object_id": e.obj.pk}
        for e in selectors.timeline(patient, limit=page.limit, before=page.before)
    ]


def _referral_public(referral: Referral, *, reason: bool) -> ReferralPublic:
    return ReferralPublic(
        id=referral.pk,
        patient_id=referral.patient_id,
        source=referral.source,
        referrer=referral.referrer,
        received_on=referral.received_on,
        reason=referral.reason if reason else None,
        created_at=referral.created_at,
    )


@router.get("/{int:patient_id}/referrals", response=list[ReferralPublic])
def list_referrals(request: HttpRequest, patient_id: int) -> Any:
    """Clinic team (and the patient themself); the reason only to those who may read it."""
    user = user_of(request)
    clinical = has_perm(user, VIEW_CLINICAL)
    patient = selectors.get_patient_for(user, patient_id, request=request, clinical=clinical)
    reason = selectors.may_read_referral_reason(user, patient)
    return [_referral_public(r, reason=reason) for r in selectors.referrals(patient, reason=reason)]


@router.post("/{int:patient_id}/referrals", response={201: ReferralPublic})
def record_referral(request: HttpRequest, patient_id: int, payload: ReferralCreate) -> Any:
    user = require_perm(request, EDIT_DEMOGRAPHICS)
    patient = selectors.get_patient_for(user, patient_id, request=request, clinical=False)
    referral = actions.record_referral(
        by=user,
        request=request,
        patient=patient,
        source=payload.source.value,
        referrer=payload.referrer,
        received_on=payload.received_on,
        reason=payload.reason,
    )
    reason = selectors.may_read_referral_reason(user, patient)
    return Status(201, _referral_public(referral, reason=reason))


@router.patch("/{int:patient_id}/referrals/{int:referral_id}", response=ReferralPublic)
def correct_referral(
    request: HttpRequest, patient_id: int, referral_id: int, payload: ReferralCorrect
) -> Any:
    """Correct a referral entered wrongly (ADR 0094): the clinic team, as for recording one."""
    user = require_perm(request, EDIT_DEMOGRAPHICS)
    patient = selectors.get_patient_for(user, patient_id, request=request, clinical=False)
    referral = selectors.referral_of(patient, referral_id, reason=False)
    referral = actions.correct_referral(
        by=user, request=request, referral=referral, **payload.model_dump(exclude_unset=True)
    )
    reason = selectors.may_read_referral_reason(user, patient)
    return _referral_public(referral, reason=reason)


@router.post("/{int:patient_id}/consents", response={201: ConsentPublic})
def record_consent(request: HttpRequest, patient_id: int, payload: ConsentCreate) -> Any:
    user = user_of(request)
    patient = selectors.get_patient_for(user, patient_id, request=request, clinical=False)
    consent = actions.record_consent(
        by=user,
        request=request,
        patient=patient,
        kind=payload.kind.value,
        status=payload.status.value,
        decided_on=payload.decided_on,
    )
    return Status(201, consent)


@router.post("/{int:patient_id}/notes", response={201: NotePublic})
def add_note(request: HttpRequest, patient_id: int, payload: NoteCreate) -> Any:
    user = user_of(request)
    patient = selectors.get_patient_for(user, patient_id, request=request)
    return Status(
        201, actions.add_note(by=user, request=request, patient=patient, text=payload.text)
    )


@router.get("/{int:patient_id}/alerts", response=list[AlertPublic])
def open_alerts(request: HttpRequest, patient_id: int) -> Any:
    patient = selectors.get_patient_for(user_of(request), patient_id, request=request)
    return list(selectors.open_alerts(patient))
