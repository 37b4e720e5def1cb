"""Patient records: demographics, consent, referral, treatment history, notes and alerts."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"


class Patient(models.Model):
    nhs_number = models.CharField(max_length=10, unique=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    gp_practice_name = models.CharField(max_length=200, blank=True)
    gp_practice_code = models.CharField(max_length=10, blank=True)
    gp_email = models.EmailField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="patient_record",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["family_name", "given_name"], name="patient_name")]
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class ConsentKind(models.TextChoices):
    CARE = "care", "Care and treatment"
    RESEARCH_REGISTRY = "research_registry", "Research registry"
    GP_SHARING = "gp_sharing", "Sharing with the GP"


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Given"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Consent(models.Model):
    """One consent decision; the newest row per kind is the patient's current position."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(max_length=30, choices=ConsentKind.choices)
    status = models.CharField(max_length=10, choices=ConsentStatus.choices)
    decided_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["patient", "kind", "-recorded_at"], name="consent_current")]


class ReferralSource(models.TextChoices):
    GP = "gp", "GP"
    SELF = "self", "Self-referral"
    SPECIALIST = "specialist", "Other specialist"
    PHYSIOTHERAPY = "physiotherapy", "Physiotherapy"
    OTHER = "other", "Other"


class Referral(models.Model):
    """How the patient came to the clinic (DESIGN.md journey step 1). ``reason`` is clinical free
    text: only roles that read the clinical record see it (ADR 0056)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="referrals")
    source = models.CharField(max_length=20, choices=ReferralSource.choices)
    referrer = models.CharField(max_length=200, blank=True)
    received_on = models.DateField()
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [
            # The timeline pages referrals by when they were recorded, as it does treatments.
            models.Index(fields=["patient", "-created_at", "-id"], name="referral_timeline"),
        ]


class ReferralCorrection(models.Model):
    """A correction of a referral entered wrongly (ADR 0094): the values the referral held
    before, the fields changed and why. Append-only (database triggers, migration patients
    0005); ``previous_reason`` is clinical free text, read by the roles that read the reason."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="corrections")
    fields = models.JSONField()
    previous_source = models.CharField(max_length=20, choices=ReferralSource.choices)
    previous_referrer = models.CharField(max_length=200, blank=True)
    previous_received_on = models.DateField()
    previous_reason = models.TextField(blank=True)
    correction_reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["referral", "-created_at"], name="referral_correction")]


class TreatmentCategory(models.TextChoices):
    EXERCISE = "exercise", "Exercise programme"
    PHYSIOTHERAPY = "physiotherapy", "Physiotherapy"
    MANUAL_THERAPY = "manual_therapy", "Manual therapy (manipulation, mobilisation)"
    PSYCHOLOGICAL = "psychological", "Psychological therapy (CBT, ACT)"
    PAIN_PROGRAMME = "pain_programme", "Combined physical and psychological programme"
    NSAID = "nsaid", "NSAID"
    PARACETAMOL = "paracetamol", "Paracetamol"
    OPIOID = "opioid", "Opioid"
    GABAPENTINOID = "gabapentinoid", "Gabapentinoid"
    ANTIDEPRESSANT = "antidepressant", "Antidepressant (TCA, SNRI)"
    SPINAL_INJECTION = "spinal_injection", "Spinal injection (epidural, facet)"
    RADIOFREQUENCY = "radiofrequency", "Radiofrequency denervation"
    SURGERY = "surgery", "Surgery"
    ACUPUNCTURE = "acupuncture", "Acupuncture"
    CBPM = "cbpm", "Cannabis-based medicinal product"
    OTHER = "other", "Other"


class TreatmentEffect(models.TextChoices):
    ONGOING = "ongoing", "Ongoing, too early to say"
    HELPED = "helped", "Helped"
    PARTIAL = "partial", "Partial benefit"
    NO_EFFECT = "no_effect", "No effect (failed)"
    NOT_TOLERATED = "not_tolerated", "Not tolerated"
    WORSE = "worse", "Made it worse"


class Treatment(models.Model):
    """A conventional (or CBPM) treatment the patient has had, and what it did."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="treatments")
    category = models.CharField(max_length=30, choices=TreatmentCategory.choices)
    name = models.CharField(max_length=200, blank=True)
    started_on = models.DateField(null=True, blank=True)
    stopped_on = models.DateField(null=True, blank=True)
    effect = models.CharField(
        max_length=20, choices=TreatmentEffect.choices, default=TreatmentEffect.ONGOING
    )
    reason_stopped = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stopped_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(stopped_on__gte=models.F("started_on")),
                name="treatment_stops_after_start",
            )
        ]
        indexes = [
            models.Index(fields=["patient", "-started_on"], name="treatment_patient"),
            # The timeline pages treatments by when they were recorded.
            models.Index(fields=["patient", "-created_at", "-id"], name="treatment_timeline"),
        ]


class Note(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["patient", "-created_at", "-id"], name="note_timeline")]


class AlertKind(models.TextChoices):
    PHQ9_ITEM9 = "phq9_item9_positive", "PHQ-9 item 9 positive (self-harm thoughts)"
    RED_FLAG = "red_flag", "New red-flag symptom"
    SEVERE_ADVERSE_EVENT = "severe_adverse_event", "Severe adverse event"
    DETERIORATION = "deterioration", "Deterioration beyond the MCID"
    TRIAGE_EMERGENCY = "triage_emergency", "Emergency triage"
    OTHER = "other", "Other"


class AlertSeverity(models.TextChoices):
    EMERGENCY = "emergency", "Emergency"
    URGENT = "urgent", "Urgent"
    SOON = "soon", "Soon"
    ROUTINE = "routine", "Routine"


class Alert(models.Model):
    """Something a clinician must see and acknowledge; stays on the dashboard until then."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=30, choices=AlertKind.choices)
    severity = models.CharField(max_length=10, choices=AlertSeverity.choices)
    message = models.TextField()
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledgement_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | models.Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="alert_ack_paired",
            )
        ]
        indexes = [
            models.Index(fields=["acknowledged_at", "-created_at"], name="alert_open"),
            # (time, id) so the timeline's "newest first, then by id" needs no sort on any database.
            models.Index(fields=["patient", "-created_at", "-id"], name="alert_patient"),
        ]
