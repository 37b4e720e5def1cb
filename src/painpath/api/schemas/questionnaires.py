"""Questionnaire response schemas: answers in, the core's Score back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import BaseModel, Field

from painpath.apps.assessments.models import ResponseSource


class ResponseCreate(Schema):
    patient_id: int
    instrument: str = Field(min_length=1, max_length=20, examples=["gad7"])
    answers: list[int | None] = Field(max_length=100, examples=[[1, 2, 1, 0, 3, 1, 2]])
    source: ResponseSource = ResponseSource.CLINIC
    completed_at: dt.datetime | None = None
    assessment_id: int | None = None


class ScorePublic(BaseModel):
    instrument: str
    value: float | None
    band: str | None
    subscores: dict[str, Any]
    flags: list[str]
    complete: bool


class ResponsePublic(BaseModel):
    """Plain pydantic models (not ``ninja.Schema``): the router builds them from dicts, so they
    need none of Schema's attribute lookups on ORM objects (docs/benchmarks.md, API)."""

    id: int
    patient_id: int
    instrument: str
    answers: list[int | None]
    source: str
    completed_at: dt.datetime
    assessment_id: int | None
    score: ScorePublic
    alert_ids: list[int] = []
