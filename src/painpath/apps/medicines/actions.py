"""Every write in CBPM prescribing: keyword-only, ``by=`` the acting user, atomic, audited, and
logged in the append-only prescribing log in the same transaction. Nothing is half-saved: bad
input raises ``ActionError({field: message})`` before any row is written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from painpath.apps.accounts import permissions as perms
from painpath.apps.audit.services import record as audit
from painpath.apps.errors import ActionError
from painpath.apps.followup import actions as followup
from painpath.apps.followup.models import FollowUpPlan, PlanStatus
from painpath.apps.medicines import models as m
from painpath.apps.medicines.presenters import issue_dicts, schedule_rows
from painpath.apps.patients import actions as patient_actions
from painpath.clinical import InvalidInput
from painpath.clinical import medicines as core
from painpath.clinical.medicines.products import (
    MAX_CONTENT_MG,
    MAX_DAILY_AMOUNT,
    MAX_QUANTITY,
    amount_value,
    at_most,
    fmt,
    non_negative,
    places_at_most,
    to_decimal,
)

FACT_FIELDS = (
    "pregnant", "breastfeeding", "psychosis_personal_history", "psychosis_family_history",
    "unstable_cardiovascular_disease", "hepatic_impairment", "substance_use_disorder",
    "epilepsy", "alt_x_uln", "ast_x_uln", "bilirubin_x_uln",
)  # fmt: skip


@contextmanager
def core_errors() -> Iterator[None]:
    """Turn the core's InvalidInput into an ActionError naming the field."""
    try:
        yield
    except InvalidInput as exc:
        raise ActionError({exc.field or "__all__": str(exc)}) from None


def _require(user: Any, perm: str) -> None:
    if not perms.has_perm(user, perm):
        raise PermissionDenied(f"{getattr(user, 'username', 'anonymous')} may not {perm}")


def log(
    *,
    by: Any,
    event: str,
    summary: str,
    patient: Any = None,
    prescription: m.Prescription | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> m.PrescribingLogEntry:
    """Append one attributable entry to the prescribing log."""
    return m.PrescribingLogEntry.objects.create(
        event=event,
        actor=by,
        actor_name=by.get_full_name() or by.get_username(),
        actor_role=by.role,
        actor_gmc_number=getattr(by, "gmc_number", ""),
        patient=patient,
        prescription=prescription,
        summary=summary,
        reason=reason,
        detail=detail or {},
    )


def _audit(by: Any, request: HttpRequest | None, event: str, obj: Any, patient_id: Any) -> None:
    """Audit the write (create for new records, update for status changes); the medicines
    event name goes in ``detail`` (the audit action vocabulary is shared and short)."""
    audit(
        actor=by,
        action="create" if event in CREATING_EVENTS else "update",
        object_type=f"medicines.{obj._meta.model_name}",
        object_id=obj.pk,
        patient_id=patient_id,
        request=request,
        detail={"event": event},
    )


CREATING_EVENTS = frozenset(
    {"add_product", "eligibility_decision", "titration_plan", "draft_prescription"}
)


def age_on(date_of_birth: date, today: date) -> int:
    years = today.year - date_of_birth.year
    return years - ((today.month, today.day) < (date_of_birth.month, date_of_birth.day))


# --- formulary -------------------------------------------------------------------------------

# Text limits (the columns' lengths): refused with the field named rather than failing in the
# database.
MAX_LENGTHS = {
    "name": 120,
    "route": 40,
    "dose": 200,
    "quantity_words": 200,
    "driving_note": 2000,
}
#: A transition's reason (cancel, stop, change): free text, kept short enough to read in the log.
MAX_REASON_LENGTH = 2000


def _text(value: object, field: str, *, required: bool = False) -> str:
    text = value.strip() if isinstance(value, str) else None
    if text is None:
        raise ActionError({field: "expected text"})
    if required and not text:
        raise ActionError({field: "required"})
    limit = MAX_LENGTHS.get(field)
    if limit is not None and len(text) > limit:
        raise ActionError({field: f"at most {limit} characters (got {len(text)})"})
    return text


def _validated_product(
    *,
    name: object,
    form: object,
    unit: object,
    thc_mg_per_unit: object,
    cbd_mg_per_unit: object,
    route: object,
    pack_sizes: Sequence[object],
) -> core.Product:
    """Every field checked at once; the core validates form, unit, content and pack sizes."""
    errors: dict[str, str] = {}
    texts: dict[str, str] = {}
    for field, value in (("name", name), ("route", route)):
        try:
            texts[field] = _text(value, field, required=True)
        except ActionError as exc:
            errors.update(exc.errors)
    if form not in m.Form.values:
        errors["form"] = f"must be one of {', '.join(m.Form.values)}"
    if unit not in m.Unit.values:
        errors["unit"] = f"must be one of {', '.join(m.Unit.values)}"
    content: dict[str, Decimal] = {}
    for field, value in (
        ("thc_mg_per_unit", thc_mg_per_unit),
        ("cbd_mg_per_unit", cbd_mg_per_unit),
    ):
        try:
            number = non_negative(value, field)
            at_most(number, MAX_CONTENT_MG, field, " mg per ml, g or unit")
            content[field] = places_at_most(number, 3, field)
        except InvalidInput as exc:
            errors[field] = str(exc)
    if isinstance(pack_sizes, (str, bytes)):
        errors["pack_sizes"] = "expected a list of amounts"
    if errors:
        raise ActionError(errors)
    unit_ = core.Unit(str(unit))
    with core_errors():
        return core.Product(
            name=texts["name"],
            form=core.Form(str(form)),
            unit=unit_,
            thc=core.Strength(content["thc_mg_per_unit"], unit_),
            cbd=core.Strength(content["cbd_mg_per_unit"], unit_),
            route=texts["route"],
            pack_sizes=tuple(to_decimal(s, "pack_sizes") for s in pack_sizes),
        )


def _product_fields(product: core.Product) -> dict[str, Any]:
    return {
        "name": product.name,
        "form": product.form.value,
        "unit": product.unit.value,
        "route": product.route,
        "thc_mg_per_unit": product.thc.mg,
        "cbd_mg_per_unit": product.cbd.mg,
        "pack_sizes": [fmt(s) for s in product.pack_sizes],
    }


@transaction.atomic
def add_product(
    *,
    by: Any,
    request: HttpRequest | None = None,
    name: str,
    form: str,
    unit: str,
    thc_mg_per_unit: object,
    cbd_mg_per_unit: object,
    route: str = "oral",
    pack_sizes: Sequence[object] = (),
) -> m.Product:
    """Add a formulary product (prescribers only); the core validates form, unit and content."""
    _require(by, perms.MANAGE_FORMULARY)
    product = _validated_product(
        name=name, form=form, unit=unit, thc_mg_per_unit=thc_mg_per_unit,
        cbd_mg_per_unit=cbd_mg_per_unit, route=route, pack_sizes=pack_sizes,
    )  # fmt: skip
    if m.Product.objects.filter(name__iexact=product.name).exists():
        raise ActionError({"name": f"a product named {product.name!r} already exists"})
    row = m.Product.objects.create(**_product_fields(product), created_by=by)
    log(
        by=by,
        event=m.LogEvent.PRODUCT,
        summary=f"Added {row.name} ({product.strength_text()})",
        detail={"product_id": row.pk},
    )
    _audit(by, request, "add_product", row, None)
    return row


def product_in_use(product: m.Product) -> int:
    """How many prescriptions and titration plans name ``product``."""
    return (
        m.Prescription.objects.filter(product=product).count()
        + m.TitrationPlan.objects.filter(
            models.Q(product=product) | models.Q(thc_product=product)
        ).count()
    )


# Fields that identify what a product *is*: once it has been prescribed or planned they cannot
# change (a past prescription must keep meaning what was signed); retire it and add a new one.
IDENTITY_FIELDS = ("name", "form", "unit", "thc_mg_per_unit", "cbd_mg_per_unit")


@transaction.atomic
def edit_product(
    *,
    by: Any,
    request: HttpRequest | None = None,
    product: m.Product,
    reason: str,
    **changes: Any,
) -> m.Product:
    """Edit a formulary product with a reason. Route and pack sizes can always change; name,
    form, unit and content only while no prescription or plan uses the product."""
    _require(by, perms.MANAGE_FORMULARY)
    row = m.Product.objects.select_for_update().get(pk=product.pk)
    allowed = {*IDENTITY_FIELDS, "route", "pack_sizes"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ActionError({"changes": f"cannot change {', '.join(unknown)}"})
    errors: dict[str, str] = {}
    if not isinstance(reason, str) or not reason.strip():
        errors["reason"] = "give a reason for the change"
    if not row.active:
        errors["product"] = f"{row.name} is retired; add a new product instead"
    current = _product_fields(row.to_core())
    wanted = {**current, **changes}
    if wanted["name"] != current["name"] and not isinstance(wanted["name"], str):
        errors["name"] = "expected text"
    if errors:
        raise ActionError(errors)
    product_core = _validated_product(
        name=wanted["name"], form=wanted["form"], unit=wanted["unit"],
        thc_mg_per_unit=wanted["thc_mg_per_unit"], cbd_mg_per_unit=wanted["cbd_mg_per_unit"],
        route=wanted["route"], pack_sizes=wanted["pack_sizes"],
    )  # fmt: skip
    new = _product_fields(product_core)
    changed = sorted(k for k in new if new[k] != current[k])
    if not changed:
        raise ActionError({"__all__": "nothing changed"})
    uses = product_in_use(row)
    locked = [k for k in changed if k in IDENTITY_FIELDS]
    if uses and locked:
        raise ActionError(
            {
                k: f"cannot change: {row.name} is used by {uses} prescription(s) or plan(s); "
                "retire it and add a new product"
                for k in locked
            }
        )
    if (
        "name" in changed
        and m.Product.objects.filter(name__iexact=new["name"]).exclude(pk=row.pk).exists()
    ):
        raise ActionError({"name": f"a product named {new['name']!r} already exists"})
    before = row.to_core().strength_text()
    for field in changed:
        setattr(row, field, new[field])
    row.save(update_fields=changed)
    log(
        by=by,
        event=m.LogEvent.PRODUCT_EDIT,
        summary=f"Edited {row.name}: {', '.join(changed)} (was {before})",
        reason=reason.strip(),
        detail={"product_id": row.pk, "fields": changed},
    )
    _audit(by, request, "edit_product", row, None)
    return row


@transaction.atomic
def retire_product(
    *, by: Any, request: HttpRequest | None = None, product: m.Product, reason: str
) -> m.Product:
    """Take a product off the formulary (no new plans or prescriptions); history keeps it."""
    _require(by, perms.MANAGE_FORMULARY)
    row = m.Product.objects.select_for_update().get(pk=product.pk)
    errors: dict[str, str] = {}
    if not isinstance(reason, str) or not reason.strip():
        errors["reason"] = "give a reason to retire the product"
    if not row.active:
        errors["product"] = f"{row.name} is already retired"
    if errors:
        raise ActionError(errors)
    row.active = False
    row.retired_at = timezone.now()
    row.retired_by = by
    row.save(update_fields=["active", "retired_at", "retired_by"])
    log(
        by=by,
        event=m.LogEvent.PRODUCT_RETIRE,
        summary=f"Retired {row.name}",
        reason=reason.strip(),
        detail={"product_id": row.pk},
    )
    _audit(by, request, "retire_product", row, None)
    return row


# --- eligibility -----------------------------------------------------------------------------


def eligibility_for(patient: Any, *, prescriber: Any, mdt_agreement: bool) -> core.Eligibility:
    """The policy check from the patient's recorded conventional treatments."""
    treatments = [
        core.TreatmentTried(category=t.category, name=t.name, effect=t.effect)
        for t in patient.treatments.order_by("created_at", "id")
    ]
    return core.check_eligibility(
        treatments,
        prescriber_on_specialist_register=bool(
            getattr(prescriber, "on_specialist_register", False)
        ),
        mdt_agreement_recorded=mdt_agreement,
    )


@transaction.atomic
def record_eligibility_decision(
    *,
    by: Any,
    request: HttpRequest | None = None,
    patient: Any,
    decision: str,
    rationale: str,
    mdt_agreement: bool,
    informed_consent_unlicensed: bool,
    prior_cannabis_use: str,
    mdt_date: date | None = None,
) -> m.EligibilityDecision:
    """A specialist's decision. Approval needs the policy met, MDT agreement and consent."""
    _require(by, perms.SIGN_PRESCRIPTION)
    errors: dict[str, str] = {}
    if decision not in m.Decision.values:
        errors["decision"] = f"must be one of {', '.join(m.Decision.values)}"
    if prior_cannabis_use not in m.PriorCannabisUse.values:
        errors["prior_cannabis_use"] = f"must be one of {', '.join(m.PriorCannabisUse.values)}"
    if not rationale.strip():
        errors["rationale"] = "record why (NICE NG144 does not recommend CBPMs for chronic pain)"
    if mdt_date is not None and mdt_date > timezone.localdate():
        errors["mdt_date"] = "cannot be in the future: the date the MDT met (YYYY-MM-DD)"
    check = eligibility_for(patient, prescriber=by, mdt_agreement=mdt_agreement)
    if decision == m.Decision.APPROVED:
        if check.missing:
            errors["decision"] = "cannot approve: " + "; ".join(check.missing)
        if not informed_consent_unlicensed:
            errors["informed_consent_unlicensed"] = (
                "record the patient's informed consent to an unlicensed medicine"
            )
    if errors:
        raise ActionError(errors)
    row = m.EligibilityDecision.objects.create(
        patient=patient,
        decision=decision,
        policy_met=check.eligible,
        failed_treatments=list(check.failed_treatments),
        missing=list(check.missing),
        rationale=rationale.strip(),
        mdt_agreement=mdt_agreement,
        mdt_date=mdt_date,
        informed_consent_unlicensed=informed_consent_unlicensed,
        prior_cannabis_use=prior_cannabis_use,
        ng144_shown=f"{check.ng144_position} ({check.ng144_source})",
        decided_by=by,
    )
    log(
        by=by,
        event=m.LogEvent.DECISION,
        patient=patient,
        reason=row.rationale,
        summary=f"Eligibility {row.decision}",
        detail={"decision_id": row.pk, "missing": list(check.missing)},
    )
    _audit(by, request, "eligibility_decision", row, patient.pk)
    return row


def latest_decision(patient: Any) -> m.EligibilityDecision | None:
    return m.EligibilityDecision.objects.filter(patient=patient).first()


# --- titration -------------------------------------------------------------------------------


@transaction.atomic
def create_titration_plan(
    *,
    by: Any,
    request: HttpRequest | None = None,
    patient: Any,
    protocol: str,
    product: m.Product,
    days: int,
    start_date: date,
    thc_product: m.Product | None = None,
) -> m.TitrationPlan:
    _require(by, perms.DRAFT_PRESCRIPTION)
    with core_errors():
        schedule = core.titration_schedule(
            protocol,
            days,
            product.to_core(),
            thc_product=thc_product.to_core() if thc_product else None,
        )
    plan = m.TitrationPlan.objects.create(
        patient=patient,
        protocol=protocol,
        product=product,
        thc_product=thc_product,
        days=days,
        start_date=start_date,
        schedule=schedule_rows(schedule),
        notes=list(schedule.notes),
        created_by=by,
    )
    log(
        by=by,
        event=m.LogEvent.PLAN,
        patient=patient,
        summary=f"Titration plan {protocol}, {days} days, {product.name}",
        detail={"plan_id": plan.pk},
    )
    _audit(by, request, "titration_plan", plan, patient.pk)
    return plan


# --- prescriptions ---------------------------------------------------------------------------


@transaction.atomic
def draft_prescription(
    *,
    by: Any,
    request: HttpRequest | None = None,
    patient: Any,
    product: m.Product,
    dose: str,
    daily_amount: object,
    quantity: object,
    quantity_words: str,
    kind: str = m.Kind.INITIATION,
    appropriate_date: date | None = None,
    shared_care_agreement: bool = False,
    titration_plan: m.TitrationPlan | None = None,
    replaces: m.Prescription | None = None,
    unit: str | None = None,
) -> m.Prescription:
    """A draft. Amounts are Decimal in the product's unit: positive, at most the maxima, no finer
    than the unit allows; ``unit``, when given (the web form and API always give it), must be
    the product's (a unit mismatch is refused, never converted). Every field is checked and every
    error returned together; nothing is saved on error. Schedule 2 content is checked at
    ``check`` and again at ``sign``."""
    _require(by, perms.DRAFT_PRESCRIPTION)
    errors: dict[str, str] = {}
    amounts: dict[str, Decimal] = {}
    product_unit = core.Unit(product.unit)
    if unit is not None and unit != product.unit:
        allowed = ", ".join(m.Unit.values)
        errors["unit"] = (
            f"unit mismatch: {product.name} is measured in {product.unit}, not {unit!r}"
            if unit in m.Unit.values
            else f"must be one of {allowed}"
        )
    for field, value, maximum in (
        ("daily_amount", daily_amount, MAX_DAILY_AMOUNT),
        ("quantity", quantity, MAX_QUANTITY),
    ):
        try:
            amounts[field] = amount_value(value, product_unit, field, maximum)
        except InvalidInput as exc:
            errors[field] = str(exc)
    texts: dict[str, str] = {}
    for field, value in (("dose", dose), ("quantity_words", quantity_words)):
        try:
            texts[field] = _text(value, field)
        except ActionError as exc:
            errors.update(exc.errors)
    if kind not in m.Kind.values:
        errors["kind"] = f"must be one of {', '.join(m.Kind.values)}"
    if not product.active:
        errors["product"] = f"{product.name} is no longer on the formulary"
    if titration_plan is not None and titration_plan.patient_id != patient.pk:
        errors["titration_plan"] = "the titration plan is for another patient"
    if errors:
        raise ActionError(errors)
    per_day = amounts["daily_amount"]
    rx = m.Prescription.objects.create(
        patient=patient,
        product=product,
        kind=kind,
        dose=texts["dose"],
        daily_amount=per_day,
        quantity=amounts["quantity"],
        daily_thc_mg=per_day * product.thc_mg_per_unit,
        daily_cbd_mg=per_day * product.cbd_mg_per_unit,
        quantity_words=texts["quantity_words"],
        appropriate_date=appropriate_date,
        shared_care_agreement=shared_care_agreement,
        titration_plan=titration_plan,
        eligibility=latest_decision(patient),
        replaces=replaces,
        created_by=by,
    )
    m.PrescriptionTransition.objects.create(
        prescription=rx, event="draft", from_status="", to_status=m.Status.DRAFT, by=by
    )
    log(
        by=by,
        event=m.LogEvent.DRAFT,
        patient=patient,
        prescription=rx,
        summary=f"Drafted {product.name}: {rx.dose}",
    )
    _audit(by, request, "draft_prescription", rx, patient.pk)
    return rx


def to_core_prescription(
    rx: m.Prescription, *, signer: Any, today: date, signed: bool
) -> core.Prescription:
    """The prescription as the core sees it, as if ``signer`` signs it ``today``."""
    patient = rx.patient
    product = rx.product.to_core()
    address = "\n".join(x for x in (patient.address, patient.postcode) if x)
    unit = product.unit
    with core_errors():
        return core.Prescription(
            patient_name=patient.full_name,
            patient_address=address,
            product=product,
            form=rx.product.get_form_display(),
            strength=product.strength_text(),
            dose=rx.dose,
            daily_amount=core.Amount(Decimal(rx.daily_amount), unit),
            quantity=core.Amount(Decimal(rx.quantity), unit),
            quantity_words=rx.quantity_words,
            prescriber_name=signer.get_full_name() or signer.get_username(),
            prescriber_address=getattr(signer, "work_address", ""),
            prescriber_signed=signed,
            date_signed=today if signed else rx.date_signed,
            prescriber_on_specialist_register=bool(
                getattr(signer, "on_specialist_register", False)
            ),
            kind=rx.kind,
            shared_care_agreement=rx.shared_care_agreement,
            appropriate_date=rx.appropriate_date,
        )


def _transition(rx: m.Prescription, event: str, *, by: Any, reason: str = "") -> None:
    target = m.TRANSITIONS.get((rx.status, event))
    if target is None:
        raise ActionError({"status": f"cannot {event} a prescription that is {rx.status}"})
    if event in m.EVENTS_NEEDING_REASON and not reason.strip():
        raise ActionError({"reason": f"a reason is required to {event} a prescription"})
    if len(reason.strip()) > MAX_REASON_LENGTH:
        got = len(reason.strip())
        raise ActionError({"reason": f"must be at most {MAX_REASON_LENGTH} characters (got {got})"})
    m.PrescriptionTransition.objects.create(
        prescription=rx,
        event=event,
        from_status=rx.status,
        to_status=target,
        reason=reason.strip(),
        by=by,
    )
    rx.status = target


def _errors_by_field(issues: Sequence[core.Issue]) -> dict[str, str]:
    out: dict[str, str] = {}
    for issue in issues:
        key = issue.field or "__all__"
        out[key] = f"{out[key]}; {issue.message}" if key in out else issue.message
    return out


@transaction.atomic
def check_prescription_draft(
    *,
    by: Any,
    request: HttpRequest | None = None,
    prescription: m.Prescription,
    facts: Mapping[str, Any],
    current_medicines: Sequence[str],
    today: date | None = None,
) -> m.Prescription:
    """Run the safety screen and the Schedule 2 content check; draft -> checked.

    Content errors that the prescriber can fix (dose, quantity words, addresses) are returned as
    ActionError and the prescription stays a draft. Signing-time rules (signature, register,
    expiry) are checked again at ``sign``.
    """
    _require(by, perms.DRAFT_PRESCRIPTION)
    today = today or timezone.localdate()
    rx = m.Prescription.objects.select_for_update().get(pk=prescription.pk)
    if (rx.status, "check") not in m.TRANSITIONS:
        raise ActionError({"status": f"cannot check a prescription that is {rx.status}"})
    unknown = set(facts) - set(FACT_FIELDS)
    if unknown:
        raise ActionError({"facts": f"unknown fact(s): {', '.join(sorted(unknown))}"})
    with core_errors():
        patient_facts = core.PatientFacts(
            age_years=age_on(rx.patient.date_of_birth, today), **dict(facts)
        )
        issues = core.safety_screen(
            patient_facts,
            rx.product.to_core(),
            Decimal(rx.daily_thc_mg),
            Decimal(rx.daily_cbd_mg),
            list(current_medicines),
        )
    # Content as written: signature/date/register are supplied at signing, so ignore those here.
    content = core.check_prescription(
        to_core_prescription(rx, signer=by, today=today, signed=True), today
    )
    signing_codes = {
        "INITIATION_NOT_SPECIALIST",
        "CONTINUATION_WITHOUT_SHARED_CARE",
        "MISSING_PRESCRIBER_ADDRESS",
        "MISSING_PRESCRIBER_NAME",
    }
    fixable = [e for e in content.errors if e.code not in signing_codes]
    if fixable:
        raise ActionError(_errors_by_field(fixable))
    screen = m.SafetyScreen.objects.create(
        patient=rx.patient,
        product=rx.product,
        daily_thc_mg=rx.daily_thc_mg,
        daily_cbd_mg=rx.daily_cbd_mg,
        facts={k: (str(v) if isinstance(v, Decimal) else v) for k, v in facts.items()},
        current_medicines=list(current_medicines),
        issues=issue_dicts(issues),
        screened_by=by,
    )
    _transition(rx, "check", by=by)
    rx.safety_screen = screen
    rx.check_warnings = issue_dicts(content.warnings)
    rx.save(update_fields=["status", "safety_screen", "check_warnings"])
    log(
        by=by,
        event=m.LogEvent.CHECK,
        patient=rx.patient,
        prescription=rx,
        summary=f"Checked: {len(issues)} safety issue(s), {len(content.warnings)} warning(s)",
        detail={"screen_id": screen.pk, "codes": [i.code for i in issues]},
    )
    _audit(by, request, "check_prescription", rx, rx.patient_id)
    return rx


def initiated_by_specialist(patient: Any) -> bool:
    """True when a specialist has signed an initiation prescription for ``patient``: the CBPM
    that a continuation (possibly under shared care) continues."""
    return m.Prescription.objects.filter(
        patient=patient,
        kind=m.Kind.INITIATION,
        signed_by__isnull=False,
        signed_by__on_specialist_register=True,
    ).exists()


def pending_issues(rx: m.Prescription) -> list[dict[str, Any]]:
    """Issues from the check that signing must deal with (safety screen + supply warnings)."""
    screen_issues = list(rx.safety_screen.issues) if rx.safety_screen else []
    return screen_issues + list(rx.check_warnings)


@transaction.atomic
def sign_prescription(
    *,
    by: Any,
    request: HttpRequest | None = None,
    prescription: m.Prescription,
    overrides: Mapping[str, str] | None = None,
    driving_advice_given: bool = False,
    driving_note: str = "",
    today: date | None = None,
) -> m.Prescription:
    """checked -> signed, by a prescriber. Refused (nothing saved) when any Schedule 2 error
    stands, a non-overridable block stands, a warning lacks a reason, driving advice is not
    recorded, or an initiation lacks an approved eligibility decision."""
    _require(by, perms.SIGN_PRESCRIPTION)
    today = today or timezone.localdate()
    overrides = {k: v.strip() for k, v in (overrides or {}).items()}
    driving_note = _text(driving_note, "driving_note")
    rx = m.Prescription.objects.select_for_update().get(pk=prescription.pk)
    if (rx.status, "sign") not in m.TRANSITIONS:
        raise ActionError({"status": f"cannot sign a prescription that is {rx.status}"})
    errors: dict[str, str] = {}
    result = core.check_prescription(
        to_core_prescription(rx, signer=by, today=today, signed=True), today
    )
    errors.update(_errors_by_field(result.errors))
    if rx.kind == m.Kind.INITIATION:
        decision = latest_decision(rx.patient)
        if decision is None or decision.decision != m.Decision.APPROVED:
            errors["eligibility"] = "initiation needs an approved eligibility decision"
    elif not initiated_by_specialist(rx.patient):
        errors["kind"] = (
            "continuation needs a CBPM first initiated for this patient by a specialist "
            "(a signed initiation prescription)"
        )
    to_override: list[dict[str, Any]] = []
    for issue in pending_issues(rx):
        if issue["level"] == "block" and not issue["overridable"]:
            errors[f"issue_{issue['code']}"] = f"{issue['message']} (cannot be overridden)"
        elif issue["needs_reason"]:
            if overrides.get(issue["code"]):
                to_override.append(issue)
            else:
                errors[f"override_{issue['code']}"] = (
                    f"give a reason to proceed: {issue['message']}"
                )
        elif issue["must_record"] and not driving_advice_given:
            errors["driving_advice_given"] = "record that driving advice was given"
    if errors:
        raise ActionError(errors)
    for issue in to_override:
        row = (
            m.SafetyOverride.objects.create(
                screen=rx.safety_screen,
                prescription=rx,
                code=issue["code"],
                level=issue["level"],
                message=issue["message"],
                reason=overrides[issue["code"]],
                overridden_by=by,
            )
            if rx.safety_screen
            else None
        )
        log(
            by=by,
            event=m.LogEvent.OVERRIDE,
            patient=rx.patient,
            prescription=rx,
            summary=f"Overrode {issue['code']}: {issue['message']}",
            reason=overrides[issue["code"]],
            detail={"override_id": row.pk if row else None},
        )
    if driving_advice_given:
        advice = m.DrivingAdvice.objects.create(
            patient=rx.patient, prescription=rx, note=driving_note.strip(), given_by=by
        )
        log(
            by=by,
            event=m.LogEvent.DRIVING_ADVICE,
            patient=rx.patient,
            prescription=rx,
            summary="Driving advice given (RTA 1988 s5A)",
            detail={"advice_id": advice.pk},
        )
    _transition(rx, "sign", by=by)
    rx.signed_by = by
    rx.signed_at = timezone.now()
    rx.date_signed = today
    rx.save(update_fields=["status", "signed_by", "signed_at", "date_signed"])
    detail: dict[str, Any] = {
        "overrides": [i["code"] for i in to_override],
        "valid_until": result.valid_until.isoformat() if result.valid_until else None,
    }
    if rx.kind == m.Kind.INITIATION:
        detail["followup"] = _start_followup(by=by, request=request, rx=rx, today=today)
    log(
        by=by,
        event=m.LogEvent.SIGN,
        patient=rx.patient,
        prescription=rx,
        summary=f"Signed {rx.product.name}: {rx.dose}; quantity {rx.quantity} {rx.unit} "
        f"({rx.quantity_words})",
        detail=detail,
    )
    _audit(by, request, "sign_prescription", rx, rx.patient_id)
    return rx


def treatment_start(rx: m.Prescription) -> date:
    """The day a signed prescription's treatment starts: its appropriate date when later than
    the date signed (supply may not begin before it; MDR reg 16), else the date signed."""
    assert rx.date_signed is not None
    return max(rx.date_signed, rx.appropriate_date or rx.date_signed)


def _start_followup(
    *, by: Any, request: HttpRequest | None, rx: m.Prescription, today: date
) -> dict[str, Any]:
    """Inside signing's transaction (ADR 0091): the patient's CBPM treatment (reused when one is
    going on) and, unless a plan is already active (left as it is), a follow-up plan linked to
    it from the treatment's start, its region from the latest assessment. Returns what it did
    for the sign log entry's ``detail.followup`` (ids and the code ``started`` or
    ``already_active``). A plan that cannot start refuses the signing (ActionError with
    ``followup_`` fields): nothing is saved."""
    start = treatment_start(rx)
    treatment, created = patient_actions.record_cbpm_started(
        by=by, request=request, patient=rx.patient, name=rx.product.name, started_on=start,
        prescription_id=rx.pk,
    )  # fmt: skip
    outcome: dict[str, Any] = {"treatment_id": treatment.pk, "treatment_created": created}
    active = (
        FollowUpPlan.objects.filter(patient=rx.patient, status=PlanStatus.ACTIVE)
        .values_list("pk", flat=True)
        .first()
    )
    if active is not None:
        return {**outcome, "plan": "already_active", "plan_id": active}
    try:
        plan = followup.start_plan(
            by=by, request=request, patient=rx.patient, treatment=treatment, started_on=start,
            today=today,
        )  # fmt: skip
    except ActionError as exc:
        raise ActionError(
            {
                f"followup_{field}": "Not signed: the follow-up plan that an initiation starts "
                f"could not start ({field} {message})"
                for field, message in exc.errors.items()
            }
        ) from None
    return {**outcome, "plan": "started", "plan_id": plan.pk}


def _signing_followup_outcome(rx: m.Prescription) -> dict[str, Any] | None:
    """What signing ``rx`` recorded about follow-up in its sign log entry (``_start_followup``'s
    return value), or None."""
    entry = rx.log_entries.filter(event=m.LogEvent.SIGN).order_by("-at", "-id").first()
    outcome: dict[str, Any] | None = (entry.detail or {}).get("followup") if entry else None
    return outcome


def signing_followup(rx: m.Prescription) -> dict[str, Any] | None:
    """What signing ``rx`` did about follow-up, for its page: None for a prescription that
    started none (a continuation, unsigned, or signed before ADR 0091); else the outcome with
    the plan (and its first set's due date when this signing started it)."""
    if rx.kind != m.Kind.INITIATION or rx.signed_at is None:
        return None
    outcome = _signing_followup_outcome(rx)
    if not outcome:
        return None
    plan = FollowUpPlan.objects.filter(pk=outcome.get("plan_id")).first()
    first_due = (
        plan.sets.order_by("due_on", "id").values_list("due_on", flat=True).first()
        if plan is not None
        else None
    )
    return {"status": outcome.get("plan"), "plan": plan, "first_due": first_due}


def _plan_to_close(rx: m.Prescription) -> FollowUpPlan | None:
    """The follow-up plan ``rx``'s signing started (not one already active that it joined),
    while it is active and none of its sets has been answered; else None (ADR 0093)."""
    outcome = _signing_followup_outcome(rx)
    if not outcome or outcome.get("plan") != "started":
        return None
    plan = FollowUpPlan.objects.filter(pk=outcome.get("plan_id"), status=PlanStatus.ACTIVE).first()
    if plan is None or plan.sets.filter(completed_at__isnull=False).exists():
        return None
    return plan


@transaction.atomic
def end_prescription(
    *,
    by: Any,
    request: HttpRequest | None = None,
    prescription: m.Prescription,
    event: str,
    reason: str,
    today: date | None = None,
) -> m.Prescription:
    """Cancel (before or after signing) or stop (after signing), with a reason.

    Stopping or cancelling the patient's last signed CBPM prescription stops their CBPM
    treatment (stop date, the reason) in the same transaction; after a stop their follow-up plan
    goes on (ADR 0091). Cancelling a signed initiation also stops the follow-up plan its signing
    started, when no questionnaire set of it has been answered yet: the treatment was issued in
    error or never supplied, so there is nothing to follow (ADR 0093). A plan with answers goes
    on, as after a stop."""
    if event not in ("cancel", "stop"):
        raise ActionError({"event": "must be cancel or stop"})
    rx = m.Prescription.objects.select_for_update().get(pk=prescription.pk)
    was_signed = rx.status == m.Status.SIGNED
    _require(by, perms.SIGN_PRESCRIPTION if was_signed else perms.DRAFT_PRESCRIPTION)
    _transition(rx, event, by=by, reason=reason)
    rx.save(update_fields=["status"])
    detail: dict[str, Any] = {}
    if (
        was_signed
        and not m.Prescription.objects.filter(patient_id=rx.patient_id, status=m.Status.SIGNED)
        .exclude(pk=rx.pk)
        .exists()
    ):
        stopped_reason = reason.strip() if event == "stop" else f"Cancelled: {reason.strip()}"
        treatment = patient_actions.record_cbpm_stopped(
            by=by, request=request, patient=rx.patient, stopped_on=today or timezone.localdate(),
            reason=stopped_reason, prescription_id=rx.pk,
        )  # fmt: skip
        if treatment is not None:
            detail["treatment_stopped"] = treatment.pk
    if was_signed and event == "cancel" and rx.kind == m.Kind.INITIATION:
        plan = _plan_to_close(rx)
        if plan is not None:
            followup.stop_plan(by=by, request=request, plan=plan)
            detail["plan_stopped"] = plan.pk
    log(
        by=by,
        event=event,
        patient=rx.patient,
        prescription=rx,
        reason=reason.strip(),
        summary=f"{event.capitalize()} {rx.product.name}",
        detail=detail or None,
    )
    _audit(by, request, f"{event}_prescription", rx, rx.patient_id)
    return rx


@transaction.atomic
def change_prescription(
    *,
    by: Any,
    request: HttpRequest | None = None,
    prescription: m.Prescription,
    reason: str,
    **changes: Any,
) -> m.Prescription:
    """Signed -> changed; a new draft with ``changes`` replaces it (to be checked and signed)."""
    _require(by, perms.SIGN_PRESCRIPTION)
    rx = m.Prescription.objects.select_for_update().get(pk=prescription.pk)
    _transition(rx, "change", by=by, reason=reason)
    rx.save(update_fields=["status"])
    allowed = {
        "product",
        "dose",
        "daily_amount",
        "quantity",
        "quantity_words",
        "kind",
        "appropriate_date",
        "shared_care_agreement",
        "titration_plan",
        "unit",
    }
    bad = set(changes) - allowed
    if bad:
        raise ActionError({"changes": f"cannot change {', '.join(sorted(bad))}"})
    fields: dict[str, Any] = {
        "product": rx.product,
        "dose": rx.dose,
        "daily_amount": rx.daily_amount,
        "quantity": rx.quantity,
        "quantity_words": rx.quantity_words,
        "kind": m.Kind.CONTINUATION,
        "shared_care_agreement": rx.shared_care_agreement,
        "titration_plan": rx.titration_plan,
        **changes,
    }
    new = draft_prescription(by=by, request=request, patient=rx.patient, replaces=rx, **fields)
    log(
        by=by,
        event=m.LogEvent.CHANGE,
        patient=rx.patient,
        prescription=rx,
        reason=reason.strip(),
        summary=f"Changed; replaced by prescription {new.pk}",
        detail={"new_id": new.pk},
    )
    _audit(by, request, "change_prescription", rx, rx.patient_id)
    return new
