"""CBPM prescribing records: formulary, eligibility decisions, safety screens with overrides,
driving advice, titration plans, prescriptions (a state machine held as data) and the
append-only prescribing log.

Records that attest to a clinical act (decisions, screens, overrides, advice, transitions, log
entries) are written once by ``actions.py``, which never edits them: corrections are new rows.
The prescribing log also refuses UPDATE/DELETE in the database itself (migration 0002).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from painpath.clinical import medicines as core


class Form(models.TextChoices):
    OIL = "oil", "Oil (oral)"
    FLOWER = "flower", "Flower (vaporised)"
    CAPSULE = "capsule", "Capsule"
    SPRAY = "spray", "Oromucosal spray"
    PASTILLE = "pastille", "Pastille"


class Unit(models.TextChoices):
    ML = "ml", "ml"
    G = "g", "g"
    UNIT = "unit", "unit (capsule, spray, pastille)"


class Product(models.Model):
    """A formulary product. Content in mg per ``unit``; pack sizes in the same unit."""

    name = models.CharField(max_length=120, unique=True)
    form = models.CharField(max_length=20, choices=Form.choices)
    route = models.CharField(max_length=40, default="oral")
    unit = models.CharField(max_length=10, choices=Unit.choices)
    thc_mg_per_unit = models.DecimalField(max_digits=8, decimal_places=3)
    cbd_mg_per_unit = models.DecimalField(max_digits=8, decimal_places=3)
    pack_sizes = models.JSONField(default=list, blank=True)  # decimal strings, e.g. ["10", "30"]
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active=True, retired_at__isnull=True)
                | models.Q(active=False, retired_at__isnull=False),
                name="product_retired_fields_paired",
            ),
            models.CheckConstraint(
                condition=models.Q(thc_mg_per_unit__gte=0) & models.Q(cbd_mg_per_unit__gte=0),
                name="product_content_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(thc_mg_per_unit__gt=0) | models.Q(cbd_mg_per_unit__gt=0),
                name="product_contains_cannabinoid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def to_core(self) -> core.Product:
        unit = core.Unit(self.unit)
        return core.Product(
            name=self.name,
            form=core.Form(self.form),
            unit=unit,
            thc=core.Strength(Decimal(self.thc_mg_per_unit), unit),
            cbd=core.Strength(Decimal(self.cbd_mg_per_unit), unit),
            route=self.route,
            pack_sizes=tuple(Decimal(str(s)) for s in self.pack_sizes),
        )

    @property
    def strength_text(self) -> str:
        return self.to_core().strength_text()


class PriorCannabisUse(models.TextChoices):
    NEVER = "never", "Never"
    PAST = "past", "In the past"
    CURRENT = "current", "Current"


class Decision(models.TextChoices):
    APPROVED = "approved", "Approved: CBPM may be prescribed"
    DECLINED = "declined", "Declined"


class EligibilityDecision(models.Model):
    """A specialist's decision on a CBPM for a patient, with the policy check as it stood.

    ``prior_cannabis_use`` is read by the research registry.
    """

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="cbpm_decisions"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    policy_met = models.BooleanField()
    failed_treatments = models.JSONField(default=list)
    missing = models.JSONField(default=list)
    rationale = models.TextField()
    mdt_agreement = models.BooleanField()
    mdt_date = models.DateField(null=True, blank=True)
    informed_consent_unlicensed = models.BooleanField()
    prior_cannabis_use = models.CharField(max_length=10, choices=PriorCannabisUse.choices)
    ng144_shown = models.TextField()
    decided_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision="approved")
                | (
                    models.Q(policy_met=True)
                    & models.Q(mdt_agreement=True)
                    & models.Q(informed_consent_unlicensed=True)
                ),
                name="approval_needs_policy_mdt_consent",
            )
        ]


class SafetyScreen(models.Model):
    """The safety screen run for a prescription: inputs and every issue returned."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    daily_thc_mg = models.DecimalField(max_digits=8, decimal_places=3)
    daily_cbd_mg = models.DecimalField(max_digits=8, decimal_places=3)
    facts = models.JSONField()
    current_medicines = models.JSONField(default=list)
    issues = models.JSONField(default=list)
    screened_at = models.DateTimeField(auto_now_add=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )


class SafetyOverride(models.Model):
    """A prescriber proceeding past a warning (or an overridable block) with a reason."""

    screen = models.ForeignKey(SafetyScreen, on_delete=models.PROTECT, related_name="overrides")
    prescription = models.ForeignKey(
        "Prescription", on_delete=models.PROTECT, related_name="overrides"
    )
    code = models.CharField(max_length=40)
    level = models.CharField(max_length=10)
    message = models.TextField()
    reason = models.TextField()
    overridden_at = models.DateTimeField(auto_now_add=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="override_needs_reason")
        ]


class DrivingAdvice(models.Model):
    """Record that the patient was told the drug-driving law (RTA 1988 s5A)."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    prescription = models.ForeignKey(
        "Prescription", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    given_at = models.DateTimeField(auto_now_add=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )


class TitrationPlan(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="titration_plans"
    )
    protocol = models.CharField(
        max_length=20, choices=[(k, p.title) for k, p in core.PROTOCOLS.items()]
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    thc_product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    days = models.PositiveIntegerField()
    start_date = models.DateField()
    schedule = models.JSONField()  # the core schedule, serialised (see presenters.schedule_rows)
    notes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    CHECKED = "checked", "Checked"
    SIGNED = "signed", "Signed"
    CANCELLED = "cancelled", "Cancelled"
    STOPPED = "stopped", "Stopped"
    CHANGED = "changed", "Changed (replaced)"


class Kind(models.TextChoices):
    INITIATION = "initiation", "Initiation"
    CONTINUATION = "continuation", "Continuation"


# The prescription state machine as data: (from status, event) -> to status.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, "check"): Status.CHECKED,
    (Status.DRAFT, "cancel"): Status.CANCELLED,
    (Status.CHECKED, "check"): Status.CHECKED,
    (Status.CHECKED, "sign"): Status.SIGNED,
    (Status.CHECKED, "cancel"): Status.CANCELLED,
    (Status.SIGNED, "cancel"): Status.CANCELLED,
    (Status.SIGNED, "stop"): Status.STOPPED,
    (Status.SIGNED, "change"): Status.CHANGED,
}
EVENTS_NEEDING_REASON = frozenset({"cancel", "stop", "change"})


class Prescription(models.Model):
    """A Schedule 2 CBPM prescription. ``status`` mirrors the newest transition row."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="cbpm_prescriptions"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.INITIATION)
    eligibility = models.ForeignKey(
        EligibilityDecision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    titration_plan = models.ForeignKey(
        TitrationPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dose = models.CharField(max_length=200)
    daily_amount = models.DecimalField(max_digits=10, decimal_places=3)
    daily_thc_mg = models.DecimalField(max_digits=8, decimal_places=3)
    daily_cbd_mg = models.DecimalField(max_digits=8, decimal_places=3)
    quantity = models.DecimalField(max_digits=10, decimal_places=3)
    quantity_words = models.CharField(max_length=200)
    appropriate_date = models.DateField(null=True, blank=True)
    shared_care_agreement = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    safety_screen = models.ForeignKey(
        SafetyScreen, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    check_warnings = models.JSONField(default=list)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    date_signed = models.DateField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(signed_at__isnull=True)
                    & models.Q(signed_by__isnull=True)
                    & models.Q(date_signed__isnull=True)
                )
                | (
                    models.Q(signed_at__isnull=False)
                    & models.Q(signed_by__isnull=False)
                    & models.Q(date_signed__isnull=False)
                ),
                name="prescription_signed_fields_paired",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0) & models.Q(daily_amount__gt=0),
                name="prescription_amounts_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Prescription {self.pk} ({self.product.name}, {self.status})"

    @property
    def unit(self) -> str:
        return self.product.unit

    def allowed_events(self) -> list[str]:
        return [event for (status, event) in TRANSITIONS if status == self.status]


class PrescriptionTransition(models.Model):
    """One status change, attributed: who moved the prescription, when, from what, and why."""

    prescription = models.ForeignKey(
        Prescription, on_delete=models.PROTECT, related_name="transitions"
    )
    event = models.CharField(max_length=20)
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]


class LogEvent(models.TextChoices):
    DECISION = "decision", "Eligibility decision"
    PLAN = "plan", "Titration plan"
    DRAFT = "draft", "Prescription drafted"
    CHECK = "check", "Prescription checked"
    OVERRIDE = "override", "Safety warning overridden"
    DRIVING_ADVICE = "driving_advice", "Driving advice given"
    SIGN = "sign", "Prescription signed"
    CANCEL = "cancel", "Prescription cancelled"
    STOP = "stop", "Prescription stopped"
    CHANGE = "change", "Prescription changed"
    PRODUCT = "product", "Formulary product added"
    PRODUCT_EDIT = "product_edit", "Formulary product edited"
    PRODUCT_RETIRE = "product_retire", "Formulary product retired"


class PrescribingLogEntry(models.Model):
    """The attributable, append-only prescribing log (UPDATE/DELETE refused by the database).

    Actor name, role and register status are copied in so the entry stays true if the user
    record later changes.
    """

    at = models.DateTimeField(auto_now_add=True)
    event = models.CharField(max_length=20, choices=LogEvent.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=200)
    actor_role = models.CharField(max_length=20)
    actor_gmc_number = models.CharField(max_length=7, blank=True)
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prescription = models.ForeignKey(
        Prescription, null=True, blank=True, on_delete=models.PROTECT, related_name="log_entries"
    )
    summary = models.TextField()
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["patient", "at"], name="prescribing_log_patient")]


def transitions_markdown() -> str:
    """The prescription state machine as a Mermaid diagram (docs/reference/prescription-states.md
    is generated from this, and a test keeps them in sync)."""
    lines = [
        "# Prescription states",
        "",
        "Generated from `painpath.apps.medicines.models.TRANSITIONS` (do not edit by hand).",
        f"Events needing a reason: {', '.join(sorted(EVENTS_NEEDING_REASON))}.",
        "",
        "```mermaid",
        "stateDiagram-v2",
        "    [*] --> draft",
    ]
    for (source, event), target in TRANSITIONS.items():
        lines.append(f"    {source} --> {target}: {event}")
    for final in (Status.CANCELLED, Status.STOPPED, Status.CHANGED):
        lines.append(f"    {final} --> [*]")
    lines += ["```", ""]
    return "\n".join(lines)
