"""Users and their roles.

One role per user, from DESIGN.md. Permissions are declared per role in
``painpath.apps.accounts.permissions`` and enforced on the server for every view and endpoint.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    PATIENT = "patient", "Patient"
    PRESCRIBER = "prescriber", "Specialist doctor (prescriber)"
    NURSE = "nurse", "Specialist nurse"
    ADMIN = "admin", "Clinic administrator"
    RESEARCHER = "researcher", "Researcher"
    CHARITY = "charity", "Charity staff"


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.NURSE)
    # GMC Specialist Register: only such a doctor may initiate a CBPM (CLINICAL.md section 5).
    gmc_number = models.CharField(max_length=7, blank=True)
    on_specialist_register = models.BooleanField(default=False)
    # Work address printed on Schedule 2 prescriptions and letters.
    work_address = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(on_specialist_register=False) | models.Q(role="prescriber"),
                name="specialist_register_only_for_prescribers",
            )
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A bearer token for the API (``Authorization: Bearer <token>``), stored only as a hash.

    Tokens are 256-bit random strings, so a fast SHA-256 digest is enough (no password-style slow
    hash is needed against guessing); a database leak does not reveal usable tokens. ``prefix``
    (the first characters) lets a user tell their tokens apart without the secret.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginAttempt(models.Model):
    """One log-in attempt, for throttling: failures per username and IP in a sliding window."""

    username = models.CharField(max_length=150)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["username", "ip_address", "-at"], name="login_attempt_key")]
