"""Adverse events reported at follow-up and their clinician grading (CLINICAL.md section 5).

A patient reports a side effect (at home or in clinic) with their own severity; a clinician then
grades it with CTCAE v5 (grade 1-5), seriousness and causality. The grading fields are paired in
the database (graded_at with graded_by) so an event can never look graded without a grader, and
a grade 5 (death related to the adverse event, CTCAE v5) can never be recorded as not serious.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from painpath.apps.patients.models import Patient


class Symptom(models.TextChoices):
    """Common CBPM side effects asked at every follow-up (issue 5; Sativex/Epidyolex SmPCs)."""

    DIZZINESS = "dizziness", "Dizziness"
    DROWSINESS = "drowsiness", "Drowsiness"
    DRY_MOUTH = "dry_mouth", "Dry mouth"
    NAUSEA = "nausea", "Nausea"
    FATIGUE = "fatigue", "Fatigue"
    ANXIETY = "anxiety", "Anxiety"
    PALPITATIONS = "palpitations", "Palpitations"
    CONFUSION = "confusion", "Confusion"
    OTHER = "other", "Other (described in words)"


class ReportSource(models.TextChoices):
    HOME = "home", "At home"
    CLINIC = "clinic", "In clinic"


class ReportedSeverity(models.TextChoices):
    """The patient's own rating, before any clinician grading."""

    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


class CtcaeGrade(models.IntegerChoices):
    """CTCAE v5.0 general grade definitions (NCI, 2017)."""

    MILD = 1, "1 - Mild; no intervention indicated"
    MODERATE = 2, "2 - Moderate; minimal, local or non-invasive intervention indicated"
    SEVERE = 3, "3 - Severe or medically significant; hospitalisation indicated"
    LIFE_THREATENING = 4, "4 - Life-threatening; urgent intervention indicated"
    DEATH = 5, "5 - Death related to the adverse event"


class Causality(models.TextChoices):
    """Relatedness to the medicine (WHO-UMC style categories as used in registry reporting)."""

    UNRELATED = "unrelated", "Unrelated"
    UNLIKELY = "unlikely", "Unlikely"
    POSSIBLE = "possible", "Possible"
    PROBABLE = "probable", "Probable"
    DEFINITE = "definite", "Definite"


class AdverseEvent(models.Model):
    """One side effect a patient reported, awaiting (or with) a clinician's grading."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="adverse_events")
    reported_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=ReportSource.choices)
    symptom = models.CharField(max_length=20, choices=Symptom.choices)
    description = models.TextField(blank=True)
    reported_severity = models.CharField(max_length=10, choices=ReportedSeverity.choices)
    followup_set_id = models.BigIntegerField(null=True, blank=True)
    grade = models.PositiveSmallIntegerField(choices=CtcaeGrade.choices, null=True, blank=True)
    serious = models.BooleanField(null=True, blank=True)
    causality = models.CharField(max_length=10, choices=Causality.choices, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(graded_at__isnull=True, graded_by__isnull=True)
                | models.Q(graded_at__isnull=False, graded_by__isnull=False),
                name="adverse_event_graded_paired",
            ),
            # A graded event has all three judgements; an ungraded one has none of them.
            models.CheckConstraint(
                condition=models.Q(
                    graded_at__isnull=True,
                    grade__isnull=True,
                    serious__isnull=True,
                    causality="",
                )
                | (
                    models.Q(graded_at__isnull=False, grade__isnull=False, serious__isnull=False)
                    & ~models.Q(causality="")
                ),
                name="adverse_event_grading_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(grade__isnull=True) | models.Q(grade__gte=1, grade__lte=5),
                name="adverse_event_grade_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(grade=5) | models.Q(serious=True),
                name="adverse_event_death_is_serious",
            ),
            models.CheckConstraint(
                condition=~models.Q(symptom="other") | ~models.Q(description=""),
                name="adverse_event_other_described",
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "-reported_at"], name="adverse_event_patient"),
            # The grading queue: ungraded events, oldest first.
            models.Index(fields=["graded_at", "reported_at"], name="adverse_event_queue"),
        ]
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_symptom_display()} ({self.reported_severity})"

    @property
    def is_graded(self) -> bool:
        return self.graded_at is not None

    @property
    def is_severe(self) -> bool:
        """Severe for alerting: patient-reported severe, or graded CTCAE >= 3, or serious."""
        return (
            self.reported_severity == ReportedSeverity.SEVERE
            or (self.grade is not None and self.grade >= CtcaeGrade.SEVERE)
            or bool(self.serious)
        )


class CompletionSummary(models.Model):
    """Follow-up completion per timepoint, materialised for the clinic dashboard (ADR 0075).

    Counting every set of every patient is linear in the registry's size; the dashboard reads these
    few rows instead (cost flat in patients) and refreshes them when older than
    ``selectors.SUMMARY_MAX_AGE``. Completion rates are management figures, not safety signals:
    alerts and the overdue and at-risk lists are always read live.
    """

    timepoint = models.CharField(max_length=30, unique=True)
    position = models.PositiveIntegerField(default=0)
    due = models.PositiveIntegerField()
    completed = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["position", "timepoint"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(completed__lte=models.F("due")),
                name="completion_summary_completed_le_due",
            )
        ]
