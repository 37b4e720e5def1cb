"""Assessment schemas: the triage input of CLINICAL.md section 1, and the stored Triage back."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from painpath.apps.assessments.models import Region


class FindingIn(Schema):
    code: str = Field(min_length=1, max_length=60)
    days: int | None = Field(default=None, ge=0)
    course: Literal["new", "stable", "improving", "deteriorating"] | None = None


class TriageInput(Schema):
    region: Region
    age: int | None = Field(default=None, ge=0, le=130)
    sex: Literal["female", "male", "other"] | None = None
    duration_weeks: int = Field(ge=0, le=5200)
    age_at_onset: int | None = Field(default=None, ge=0, le=130)
    findings: list[str | FindingIn] = []
    startback: list[int | None] | None = None
    paindetect: list[int | None] | None = None

    def triage_data(self) -> dict[str, Any]:
        """The plain mapping the clinical core reads (unset optional fields left out)."""
        data = self.model_dump(
            exclude_none=True, exclude={"patient_id", "examination", "performed_at"}
        )
        data["findings"] = [
            f if isinstance(f, str) else {k: v for k, v in f.items() if v is not None}
            for f in data.get("findings", [])
        ]
        return data


class AssessmentCreate(TriageInput):
    """Age and sex default to the patient's record when left out."""

    patient_id: int
    examination: str = Field(default="", max_length=20_000)
    performed_at: dt.datetime | None = None


class AssessmentPublic(Schema):
    id: int
    patient_id: int
    performed_at: dt.datetime
    region: str
    urgency: str
    pain_type: str
    ruleset: str
    findings: list[Any]
    examination: str
    triage: dict[str, Any]
