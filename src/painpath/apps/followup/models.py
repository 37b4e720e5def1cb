"""Follow-up plans, their sets, secure links, drafts and the scheduler's outbox.

The set's life is the pure state machine ``painpath.clinical.followup.states`` (ADR 0079); the
dashboard (``painpath.apps.outcomes.selectors``) reads ``patient``, ``timepoint``, ``due_on``,
``status`` and ``reminders_sent`` through the indexes ADR 0076 asks for.

Links store a random nonce and the SHA-256 of the token, never the token (ADR 0078). Messages are
rows of an outbox with a unique idempotency key per (set, kind, number), claimed under a lease
before the email leaves, so each is sent once even with two schedulers or a killed one (ADR 0079).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from painpath.apps.patients.models import Patient, Treatment
from painpath.clinical.followup.states import SetStatus

Q = models.Q


class Region(models.TextChoices):
    LOW_BACK = "low_back", "Low back"
    NECK = "neck", "Neck"
    THORACIC = "thoracic", "Thoracic"


class PainMeasure(models.TextChoices):
    NRS = "nrs", "Pain numerical rating scale (NRS)"
    BPI = "bpi", "Brief Pain Inventory (BPI)"


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    STOPPED = "stopped", "Stopped"


class FollowUpPlan(models.Model):
    """One patient's follow-up after a treatment starts: its schedule and what it asks.

    Creatable with just a patient (defaults: today, low back, NRS, the clinic's schedule); the
    ``start_plan`` action is the way the product creates one, with its sets.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="followup_plans")
    treatment = models.ForeignKey(
        Treatment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followup_plans",
    )
    started_on = models.DateField(default=timezone.localdate)
    region = models.CharField(max_length=10, choices=Region.choices, default=Region.LOW_BACK)
    pain_measure = models.CharField(
        max_length=5, choices=PainMeasure.choices, default=PainMeasure.NRS
    )
    #: The schedule the sets were made from (``ScheduleConfig.to_dict()``), kept for explanation.
    schedule = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stopped_at = models.DateTimeField(null=True, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status="active"),
                name="followup_one_active_plan",
            ),
            models.CheckConstraint(
                condition=Q(status="active", stopped_at__isnull=True)
                | Q(status="stopped", stopped_at__isnull=False),
                name="followup_plan_stopped_paired",
            ),
        ]
        indexes = [models.Index(fields=["patient", "-started_on"], name="followup_plan_patient")]

    def __str__(self) -> str:
        return f"Follow-up plan {self.pk} from {self.started_on}"


class FollowUpSet(models.Model):
    """One timepoint's questionnaires for one patient, and where it is in its life."""

    plan = models.ForeignKey(FollowUpPlan, on_delete=models.PROTECT, related_name="sets")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="followup_sets")
    timepoint = models.CharField(max_length=30)
    position = models.PositiveIntegerField(default=0)
    due_on = models.DateField()
    #: First day the set can no longer be answered (exclusive end of its window).
    closes_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10,
        choices=[(s.value, s.value.capitalize()) for s in SetStatus],
        default=SetStatus.DUE.value,
    )
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    instruments = models.JSONField(default=list, blank=True)
    ask_side_effects = models.BooleanField(default=True)
    sent_on = models.DateField(null=True, blank=True)
    #: Local date of the latest email about this set (at most one a day; ADR 0077).
    last_message_on = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    #: When the scheduler must look at this set next (None: nothing scheduled).
    next_action_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "timepoint"], name="followup_set_once"),
            models.CheckConstraint(
                condition=Q(status="completed", completed_at__isnull=False)
                | (~Q(status="completed") & Q(completed_at__isnull=True)),
                name="followup_set_completed_paired",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gt=models.F("due_on")),
                name="followup_set_window_after_due",
            ),
        ]
        indexes = [
            # ADR 0076: overdue and missed lists; "no later set completed"; completion recount.
            models.Index(fields=["status", "due_on"], name="followup_set_status_due"),
            models.Index(fields=["patient", "due_on"], name="followup_set_patient_due"),
            models.Index(fields=["due_on", "timepoint", "status"], name="followup_set_completion"),
            # The scheduler's queue: only sets with something scheduled.
            models.Index(
                fields=["next_action_at", "id"],
                condition=Q(next_action_at__isnull=False),
                name="followup_set_queue",
            ),
        ]
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"Follow-up set {self.timepoint} due {self.due_on} ({self.status})"

    @property
    def window_closes_on(self) -> dt.date:
        """The window's end; sets made without one get the default 28-day window (ADR 0077)."""
        from painpath.clinical.followup.schedule import DEFAULT_WINDOW_DAYS

        return self.closes_on or self.due_on + dt.timedelta(days=DEFAULT_WINDOW_DAYS)

    @property
    def is_open(self) -> bool:
        return self.status in (SetStatus.DUE, SetStatus.SENT, SetStatus.REMINDED)


class RevokeReason(models.TextChoices):
    CLINICIAN = "clinician", "Withdrawn by the clinic"
    REPLACED = "replaced", "Replaced by a newer link"
    CLOSED = "closed", "The set was completed, missed or cancelled"


class FollowUpLink(models.Model):
    """A secure link to one set: single-use on submission, expiring, revocable (ADR 0078).

    ``token_hash`` is the SHA-256 of the token; the token is derived from ``nonce`` with a keyed
    HMAC (the server's secret key) so a reminder can carry the same link, and is never stored.
    """

    followup_set = models.ForeignKey(FollowUpSet, on_delete=models.PROTECT, related_name="links")
    nonce = models.CharField(max_length=64, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField(max_length=10, choices=RevokeReason.choices, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["followup_set"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="followup_one_live_link",
            ),
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(revoked_at__isnull=True),
                name="followup_link_used_or_revoked",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoke_reason="")
                | (Q(revoked_at__isnull=False) & ~Q(revoke_reason="")),
                name="followup_link_revoke_reason_paired",
            ),
        ]

    def state(self, now: dt.datetime) -> str:
        """``live``, ``used``, ``revoked`` or ``expired`` at ``now``."""
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "revoked"
        if now >= self.expires_at:
            return "expired"
        return "live"


class FollowUpDraft(models.Model):
    """Answers saved to finish later: never scored, never a response (issue 5)."""

    followup_set = models.OneToOneField(FollowUpSet, on_delete=models.CASCADE, related_name="draft")
    answers = models.JSONField(default=dict)
    side_effects = models.JSONField(default=dict)
    red_flags = models.JSONField(default=dict)
    saved_at = models.DateTimeField()
    saves = models.PositiveIntegerField(default=1)


class MessageKind(models.TextChoices):
    INVITATION = "invitation", "Invitation"
    REMINDER = "reminder", "Reminder"
    FINAL_REMINDER = "final", "Final reminder"
    RESEND = "resend", "New link sent by the clinic"


class MessageStatus(models.TextChoices):
    CLAIMED = "claimed", "Claimed (to send)"
    SENT = "sent", "Sent"
    ABANDONED = "abandoned", "Not sent (no longer needed)"


class OutboundMessage(models.Model):
    """One email of the outbox. ``key`` is the idempotency key: one row per (set, kind, number),
    enforced by the database, so a message can be claimed once whatever the workers do."""

    followup_set = models.ForeignKey(FollowUpSet, on_delete=models.PROTECT, related_name="messages")
    link = models.ForeignKey(
        FollowUpLink, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    number = models.PositiveSmallIntegerField(default=0)
    key = models.CharField(max_length=80, unique=True)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.CLAIMED
    )
    claimed_by = models.CharField(max_length=100)
    lease_until = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=60, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False)
                | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="followup_message_sent_paired",
            )
        ]
        indexes = [
            # Claimed messages whose lease ran out (a killed worker's), oldest first.
            models.Index(
                fields=["lease_until", "id"],
                condition=Q(status="claimed"),
                name="followup_message_claimed",
            )
        ]

    @property
    def message_id(self) -> str:
        """The email's Message-ID: the idempotency key, so a receiver can drop a duplicate."""
        return f"<followup.{self.key.replace(':', '.')}@painpath.invalid>"


class SchedulerRun(models.Model):
    """One run of ``painpath run-scheduler``: counts only (no patient data)."""

    worker = models.CharField(max_length=100)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    invitations = models.PositiveIntegerField(default=0)
    reminders = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    retried = models.PositiveIntegerField(default=0)
    abandoned = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]


class LinkFailure(models.Model):
    """A request with an unknown or forged link, per IP address, to slow down guessing."""

    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["ip_address", "-at"], name="followup_link_failure")]
