"""Treatment history schemas."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from painpath.apps.patients.models import TreatmentCategory, TreatmentEffect


class TreatmentCreate(Schema):
    patient_id: int
    category: TreatmentCategory
    name: str = Field(default="", max_length=200)
    started_on: dt.date | None = None
    stopped_on: dt.date | None = None
    effect: TreatmentEffect = TreatmentEffect.ONGOING
    reason_stopped: str = Field(default="", max_length=2000)


class TreatmentPublic(Schema):
    id: int
    patient_id: int
    category: str
    name: str
    started_on: dt.date | None
    stopped_on: dt.date | None
    effect: str
    reason_stopped: str
    created_at: dt.datetime
