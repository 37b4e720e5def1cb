"""Reads of assessments and questionnaire responses for one (already audited) patient."""

from __future__ import annotations

from django.db.models import QuerySet

from painpath.apps.assessments.models import Assessment, QuestionnaireResponse
from painpath.apps.patients.models import Patient


def latest_assessment(patient: Patient) -> Assessment | None:
    """The patient's most recent assessment (its stored triage is what the clinic last decided)."""
    return Assessment.objects.filter(patient=patient).order_by("-performed_at", "-id").first()


def assessments_for(patient: Patient, *, limit: int = 50) -> QuerySet[Assessment]:
    return Assessment.objects.filter(patient=patient).order_by("-performed_at", "-id")[:limit]


def responses_for(
    patient: Patient, *, instrument: str | None = None, limit: int = 200
) -> QuerySet[QuestionnaireResponse]:
    """Questionnaire responses newest first, optionally one instrument (for outcome charts)."""
    qs = QuestionnaireResponse.objects.filter(patient=patient)
    if instrument:
        qs = qs.filter(instrument=instrument)
    return qs.order_by("-completed_at", "-id")[:limit]
