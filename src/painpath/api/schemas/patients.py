"""Patient schemas. NHS number checks (Modulus 11) run in the action, so the message is the
same on the web form and the API."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import BaseModel, Field

from painpath.apps.patients.models import ConsentKind, ConsentStatus, ReferralSource, Sex


class ReferralCreate(Schema):
    """A referral as it arrives (ADR 0056). Dates in the future or before the patient's birth
    are refused by the action, naming ``received_on``."""

    source: ReferralSource
    referrer: str = Field(default="", max_length=200)
    received_on: dt.date
    reason: str = Field(default="", max_length=20_000)


class ReferralCorrect(Schema):
    """A correction (ADR 0094): only the fields sent are changed; ``correction_reason`` says
    what was wrong. The action checks the referral as corrected as ``ReferralCreate`` is."""

    source: ReferralSource | None = None
    referrer: str | None = Field(default=None, max_length=200)
    received_on: dt.date | None = None
    reason: str | None = Field(default=None, max_length=20_000)
    correction_reason: str = Field(max_length=500)


class ReferralPublic(BaseModel):
    """``reason`` is null for roles that may not read it (clinic admin staff; ADR 0056)."""

    id: int
    patient_id: int
    source: str
    referrer: str
    received_on: dt.date
    reason: str | None
    created_at: dt.datetime


class PatientCreate(Schema):
    nhs_number: str = Field(max_length=20, examples=["943 476 5919"])
    given_name: str = Field(max_length=100)
    family_name: str = Field(max_length=100)
    date_of_birth: dt.date
    sex: Sex
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    gp_practice_name: str = ""
    gp_practice_code: str = ""
    gp_email: str = ""
    consents: dict[ConsentKind, bool] | None = None
    referral: ReferralCreate | None = None


class PatientUpdate(Schema):
    """Only the fields sent are changed."""

    nhs_number: str | None = Field(default=None, max_length=20)
    given_name: str | None = Field(default=None, max_length=100)
    family_name: str | None = Field(default=None, max_length=100)
    date_of_birth: dt.date | None = None
    sex: Sex | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    postcode: str | None = None
    gp_practice_name: str | None = None
    gp_practice_code: str | None = None
    gp_email: str | None = None


class PatientPublic(Schema):
    id: int
    nhs_number: str
    given_name: str
    family_name: str
    date_of_birth: dt.date
    sex: str
    email: str
    phone: str
    address: str
    postcode: str
    gp_practice_name: str
    gp_practice_code: str
    gp_email: str
    created_at: dt.datetime
    updated_at: dt.datetime


class PatientSummary(Schema):
    """A row of the patient list; clinical columns are null for roles without clinical access."""

    id: int
    nhs_number: str
    given_name: str
    family_name: str
    date_of_birth: dt.date
    latest_urgency: str | None = None
    latest_pain_type: str | None = None
    open_alert_count: int = 0


class ConsentCreate(Schema):
    kind: ConsentKind
    status: ConsentStatus
    decided_on: dt.date


class ConsentPublic(Schema):
    id: int
    kind: str
    status: str
    decided_on: dt.date
    recorded_at: dt.datetime


class NoteCreate(Schema):
    text: str = Field(min_length=1, max_length=20_000)


class NotePublic(Schema):
    id: int
    text: str
    created_at: dt.datetime


class AlertPublic(Schema):
    id: int
    kind: str
    severity: str
    message: str
    source_type: str
    source_id: str
    created_at: dt.datetime
    acknowledged_at: dt.datetime | None


class TimelineEntryPublic(BaseModel):
    """A plain pydantic model (not ``ninja.Schema``): it is built from dicts, so it needs none of
    Schema's attribute lookups on ORM objects, which cost more than the validation itself."""

    kind: str
    at: dt.datetime
    title: str
    detail: str
    object_id: int
