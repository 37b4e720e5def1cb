"""Assessments (findings, examination, the stored triage) and questionnaire responses."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from painpath.apps.patients.models import Patient


class Region(models.TextChoices):
    LOW_BACK = "low_back", "Low back"
    NECK = "neck", "Neck"
    THORACIC = "thoracic", "Thoracic"


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", "Emergency"
    URGENT = "urgent", "Urgent"
    SOON = "soon", "Soon"
    ROUTINE = "routine", "Routine"


class Assessment(models.Model):
    """One clinical assessment and the triage the clinical core produced for it.

    The triage is stored whole with its ruleset version so a past decision can always be
    explained, even after the rules change.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="assessments")
    performed_at = models.DateTimeField(db_index=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.CharField(max_length=10, choices=Region.choices)
    age = models.PositiveSmallIntegerField()
    duration_weeks = models.PositiveIntegerField()
    age_at_onset = models.PositiveSmallIntegerField(null=True, blank=True)
    findings = models.JSONField(default=list)
    examination = models.TextField(blank=True)
    startback = models.JSONField(null=True, blank=True)
    paindetect = models.JSONField(null=True, blank=True)
    triage = models.JSONField()
    urgency = models.CharField(max_length=10, choices=Urgency.choices, db_index=True)
    pain_type = models.CharField(max_length=20, db_index=True)
    ruleset = models.CharField(max_length=40)

    class Meta:
        indexes = [
            # (time, id): the latest-assessment subquery and the timeline need no sort.
            models.Index(fields=["patient", "-performed_at", "-id"], name="assessment_patient")
        ]


class ResponseSource(models.TextChoices):
    CLINIC = "clinic", "In clinic"
    HOME = "home", "At home"


class QuestionnaireResponse(models.Model):
    """A completed questionnaire with the Score the clinical core gave it."""

    # No single-column indexes on patient, instrument or completed_at: every query reads one
    # patient's responses, which the two composite indexes below serve, and each extra index is
    # another B-tree every insert writes (docs/benchmarks.md, API).
    patient = models.ForeignKey(
        Patient,
        on_delete=models.PROTECT,
        related_name="questionnaire_responses",
        db_index=False,
    )
    instrument = models.CharField(max_length=20)
    answers = models.JSONField()
    value = models.FloatField(null=True)
    band = models.CharField(max_length=30, blank=True)
    subscores = models.JSONField(default=dict)
    flags = models.JSONField(default=list)
    complete = models.BooleanField(default=True)
    completed_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=ResponseSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["patient", "instrument", "-completed_at"], name="response_patient"
            ),
            # The timeline pages all of a patient's responses by completion time.
            models.Index(fields=["patient", "-completed_at", "-id"], name="response_timeline"),
        ]
