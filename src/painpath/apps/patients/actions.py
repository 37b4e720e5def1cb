"""Writes to patient records. Every function is keyword-only, takes the acting user as ``by=``,
runs in one transaction, writes its audit event in that transaction, and raises
``ActionError({field: message})`` for input it refuses, so nothing is ever half-saved.

Permissions are checked here as well as in views and API endpoints (defence in depth): a caller
that forgets its check still cannot write what the role does not allow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from painpath.apps.accounts.models import Role
from painpath.apps.accounts.permissions import (
    ACKNOWLEDGE_ALERT,
    EDIT_CLINICAL,
    EDIT_DEMOGRAPHICS,
    has_perm,
)
from painpath.apps.audit import services as audit
from painpath.apps.audit.models import AuditAction
from painpath.apps.errors import ActionError
from painpath.apps.patients.models import (
    Alert,
    AlertKind,
    AlertSeverity,
    Consent,
    ConsentKind,
    ConsentStatus,
    Note,
    Patient,
    Referral,
    ReferralCorrection,
    ReferralSource,
    Sex,
    Treatment,
    TreatmentCategory,
    TreatmentEffect,
)
from painpath.apps.patients.validators import InvalidNhsNumber, normalise_nhs_number

#: Fields ``update_patient`` may change (demographics and contact details only).
DEMOGRAPHIC_FIELDS = (
    "nhs_number",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "email",
    "phone",
    "address",
    "postcode",
    "gp_practice_name",
    "gp_practice_code",
    "gp_email",
)
_MAX_LENGTHS = {
    "given_name": 100,
    "family_name": 100,
    "phone": 30,
    "postcode": 10,
    "gp_practice_name": 200,
    "gp_practice_code": 10,
    "address": 1000,
}
#: An alert's acknowledgement note (free text).
ACKNOWLEDGEMENT_NOTE_MAX_LENGTH = 2000
#: Oldest plausible age at registration; older dates of birth are typing errors.
MAX_AGE_YEARS = 130
#: Fields of a referral (``record_referral``; ``create_patient(referral=...)``).
REFERRAL_FIELDS = ("source", "referrer", "received_on", "reason")
REFERRER_MAX_LENGTH = 200
REASON_MAX_LENGTH = 20_000
#: Why a referral was corrected (``correct_referral``): short free text, never audited.
CORRECTION_REASON_MAX_LENGTH = 500


def _today() -> dt.date:
    return timezone.localdate()


def _check_perm(by: Any, perm: str) -> None:
    if not has_perm(by, perm):
        raise PermissionDenied(f"your role may not do this ({perm})")


def _choices_text(choices: Any) -> str:
    return ", ".join(choices.values)


def parse_date(value: Any, field: str, errors: dict[str, str], *, required: bool) -> dt.date | None:
    """Accept a date or an ISO ``YYYY-MM-DD`` string; record a message under ``field`` if not."""
    if value in (None, ""):
        if required:
            errors[field] = "is required (YYYY-MM-DD)"
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors[field] = f"must be a date as YYYY-MM-DD, got {str(value)[:20]!r}"
        return None


def _clean_demographics(
    values: Mapping[str, Any], *, partial: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate demographic fields; return (clean values, errors by field)."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for field, value in values.items():
        if field == "nhs_number":
            try:
                clean[field] = normalise_nhs_number(value)
            except InvalidNhsNumber as exc:
                errors[field] = str(exc)
        elif field in ("given_name", "family_name"):
            text = str(value or "").strip()
            if not text:
                errors[field] = "is required"
            elif len(text) > _MAX_LENGTHS[field]:
                errors[field] = f"must be at most {_MAX_LENGTHS[field]} characters"
            else:
                clean[field] = text
        elif field == "date_of_birth":
            dob = parse_date(value, field, errors, required=True)
            if dob is not None:
                today = _today()
                if dob > today:
                    errors[field] = "cannot be in the future"
                elif today.year - dob.year > MAX_AGE_YEARS:
                    errors[field] = f"gives an age over {MAX_AGE_YEARS} years; please re-check"
                else:
                    clean[field] = dob
        elif field == "sex":
            if value not in Sex.values:
                errors[field] = f"must be one of: {_choices_text(Sex)}"
            else:
                clean[field] = value
        elif field in ("email", "gp_email"):
            text = str(value or "").strip()
            if text:
                try:
                    validate_email(text)
                except ValidationError:
                    errors[field] = "must be a valid email address"
                    continue
            clean[field] = text
        elif field == "postcode":
            text = " ".join(str(value or "").upper().split())
            if len(text) > _MAX_LENGTHS[field]:
                errors[field] = f"must be at most {_MAX_LENGTHS[field]} characters"
            else:
                clean[field] = text
        elif field == "gp_practice_code":
            text = str(value or "").strip().upper()
            if len(text) > _MAX_LENGTHS[field]:
                errors[field] = f"must be at most {_MAX_LENGTHS[field]} characters"
            else:
                clean[field] = text
        elif field in ("phone", "gp_practice_name", "address"):
            text = str(value or "").strip()
            if len(text) > _MAX_LENGTHS[field]:
                errors[field] = f"must be at most {_MAX_LENGTHS[field]} characters"
            else:
                clean[field] = text
        else:
            errors[field] = "is not a field that can be changed here"
    if not partial:
        for field in ("nhs_number", "given_name", "family_name", "date_of_birth", "sex"):
            if field not in values:
                errors.setdefault(field, "is required")
    return clean, errors


def _nhs_number_taken(nhs_number: str, *, exclude_pk: int | None = None) -> bool:
    qs = Patient.objects.filter(nhs_number=nhs_number)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _clean_consents(consents: Mapping[str, bool] | None, errors: dict[str, str]) -> dict[str, bool]:
    if not consents:
        return {}
    clean: dict[str, bool] = {}
    for kind, given in consents.items():
        if kind not in ConsentKind.values:
            errors[f"consents.{kind}"] = f"unknown consent; allowed: {_choices_text(ConsentKind)}"
        elif not isinstance(given, bool):
            errors[f"consents.{kind}"] = "must be true (given) or false (withdrawn / not given)"
        else:
            clean[kind] = given
    return clean


@transaction.atomic
def create_patient(
    *,
    by: Any,
    request: HttpRequest | None = None,
    nhs_number: str,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | str,
    sex: str,
    email: str = "",
    phone: str = "",
    address: str = "",
    postcode: str = "",
    gp_practice_name: str = "",
    gp_practice_code: str = "",
    gp_email: str = "",
    consents: Mapping[str, bool] | None = None,
    referral: Mapping[str, Any] | None = None,
) -> Patient:
    """Register a patient (NHS number Modulus 11 checked and unique) with their consent decisions
    and, optionally, the referral that brought them (DESIGN.md journey step 1).

    ``consents`` maps a consent kind to True (given) or False (not given); each becomes a Consent
    row decided today. ``referral`` holds ``record_referral``'s fields (source, referrer,
    received_on, reason): optional as a group, but when any is given, source and received_on are
    required. Its errors are named ``referral.<field>``; every field of both is checked before
    anything is written, and the referral is saved in the patient's transaction.
    """
    _check_perm(by, EDIT_DEMOGRAPHICS)
    values = {
        "nhs_number": nhs_number,
        "given_name": given_name,
        "family_name": family_name,
        "date_of_birth": date_of_birth,
        "sex": sex,
        "email": email,
        "phone": phone,
        "address": address,
        "postcode": postcode,
        "gp_practice_name": gp_practice_name,
        "gp_practice_code": gp_practice_code,
        "gp_email": gp_email,
    }
    clean, errors = _clean_demographics(values, partial=False)
    clean_consents = _clean_consents(consents, errors)
    clean_referral = _clean_registration_referral(referral, clean.get("date_of_birth"), errors)
    if "nhs_number" in clean and _nhs_number_taken(clean["nhs_number"]):
        errors["nhs_number"] = "is already registered to another patient"
    if errors:
        raise ActionError(errors)
    try:
        with transaction.atomic():
            patient = Patient.objects.create(created_by=by, **clean)
    except IntegrityError as exc:  # a concurrent registration of the same number
        raise ActionError({"nhs_number": "is already registered to another patient"}) from exc
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        object_type="patient",
        object_id=patient.pk,
        patient_id=patient.pk,
        request=request,
    )
    today = _today()
    for kind, given in clean_consents.items():
        _create_consent(
            by=by,
            request=request,
            patient=patient,
            kind=kind,
            status=ConsentStatus.GIVEN if given else ConsentStatus.WITHDRAWN,
            decided_on=today,
        )
    if clean_referral is not None:
        _create_referral(by=by, request=request, patient=patient, **clean_referral)
    return patient


@transaction.atomic
def update_patient(
    *, by: Any, request: HttpRequest | None = None, patient: Patient, **fields: Any
) -> Patient:
    """Change demographics or contact details; only fields in ``DEMOGRAPHIC_FIELDS`` are allowed.

    The audit event names the fields changed, never their values.
    """
    _check_perm(by, EDIT_DEMOGRAPHICS)
    clean, errors = _clean_demographics(fields, partial=True)
    if "nhs_number" in clean and _nhs_number_taken(clean["nhs_number"], exclude_pk=patient.pk):
        errors["nhs_number"] = "is already registered to another patient"
    if errors:
        raise ActionError(errors)
    locked = Patient.objects.select_for_update().get(pk=patient.pk)
    changed = sorted(f for f, v in clean.items() if getattr(locked, f) != v)
    for field in changed:
        setattr(locked, field, clean[field])
    if changed:
        try:
            with transaction.atomic():
                locked.save(update_fields=[*changed, "updated_at"])
        except IntegrityError as exc:
            raise ActionError({"nhs_number": "is already registered to another patient"}) from exc
        audit.record(
            actor=by,
            action=AuditAction.UPDATE,
            object_type="patient",
            object_id=locked.pk,
            patient_id=locked.pk,
            request=request,
            detail={"fields": changed},
        )
    for field in DEMOGRAPHIC_FIELDS:
        setattr(patient, field, getattr(locked, field))
    patient.updated_at = locked.updated_at
    return patient


def _create_consent(
    *,
    by: Any,
    request: HttpRequest | None,
    patient: Patient,
    kind: str,
    status: str,
    decided_on: dt.date,
) -> Consent:
    consent = Consent.objects.create(
        patient=patient,
        kind=kind,
        status=status,
        decided_on=decided_on,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        object_type="consent",
        object_id=consent.pk,
        patient_id=patient.pk,
        request=request,
        detail={"kind": kind, "status": status},
    )
    return consent


def _may_act_for_self(by: Any, patient: Patient) -> bool:
    """A signed-in patient acting on their own record (portal and home questionnaires)."""
    return (
        getattr(by, "is_authenticated", False)
        and getattr(by, "role", None) == Role.PATIENT
        and patient.user_id is not None
        and patient.user_id == by.pk
    )


@transaction.atomic
def record_consent(
    *,
    by: Any,
    request: HttpRequest | None = None,
    patient: Patient,
    kind: str,
    status: str,
    decided_on: dt.date | str,
) -> Consent:
    """Record a consent decision as a new row; withdrawal is a new "withdrawn" row, never an edit.

    The newest row of a kind is the patient's current position (``selectors.has_consent``). A
    patient may record their own decisions through the portal.
    """
    if not _may_act_for_self(by, patient):
        _check_perm(by, EDIT_DEMOGRAPHICS)
    errors: dict[str, str] = {}
    if kind not in ConsentKind.values:
        errors["kind"] = f"must be one of: {_choices_text(ConsentKind)}"
    if status not in ConsentStatus.values:
        errors["status"] = f"must be one of: {_choices_text(ConsentStatus)}"
    decided = parse_date(decided_on, "decided_on", errors, required=True)
    if decided is not None and decided > _today():
        errors["decided_on"] = "cannot be in the future"
    if errors:
        raise ActionError(errors)
    assert decided is not None
    return _create_consent(
        by=by, request=request, patient=patient, kind=kind, status=status, decided_on=decided
    )


def _given(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _clean_referral(
    values: Mapping[str, Any], date_of_birth: dt.date | None, errors: dict[str, str], prefix: str
) -> dict[str, Any]:
    """Validate a referral's fields; messages go under ``prefix + field``. ``date_of_birth``
    None (not known yet, or itself refused) skips the before-birth check."""
    clean: dict[str, Any] = {}
    unknown = sorted(set(values) - set(REFERRAL_FIELDS))
    for field in unknown:
        errors[f"{prefix}{field}"] = "is not a field of a referral"
    source = values.get("source")
    source = getattr(source, "value", source)
    if not _given(source):
        errors[f"{prefix}source"] = f"is required; one of: {_choices_text(ReferralSource)}"
    elif source not in ReferralSource.values:
        errors[f"{prefix}source"] = f"must be one of: {_choices_text(ReferralSource)}"
    else:
        clean["source"] = source
    referrer = str(values.get("referrer") or "").strip()
    if len(referrer) > REFERRER_MAX_LENGTH:
        errors[f"{prefix}referrer"] = f"must be at most {REFERRER_MAX_LENGTH} characters"
    clean["referrer"] = referrer
    received = parse_date(values.get("received_on"), f"{prefix}received_on", errors, required=True)
    if received is not None:
        if received > _today():
            errors[f"{prefix}received_on"] = "cannot be in the future"
        elif date_of_birth is not None and received < date_of_birth:
            errors[f"{prefix}received_on"] = "cannot be before the patient's date of birth"
        else:
            clean["received_on"] = received
    reason = str(values.get("reason") or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        errors[f"{prefix}reason"] = f"must be at most {REASON_MAX_LENGTH:,} characters"
    clean["reason"] = reason
    return clean


def _clean_registration_referral(
    referral: Mapping[str, Any] | None, date_of_birth: dt.date | None, errors: dict[str, str]
) -> dict[str, Any] | None:
    """The registration form's optional referral: None when no field of it is given."""
    if not referral or not any(_given(v) for v in referral.values()):
        return None
    return _clean_referral(referral, date_of_birth, errors, "referral.")


def _create_referral(
    *,
    by: Any,
    request: HttpRequest | None,
    patient: Patient,
    source: str,
    referrer: str,
    received_on: dt.date,
    reason: str,
) -> Referral:
    referral = Referral.objects.create(
        patient=patient,
        source=source,
        referrer=referrer,
        received_on=received_on,
        reason=reason,
        created_by=by,
    )
    # Ids and the source code only: the referrer and the reason never enter the audit trail.
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        object_type="referral",
        object_id=referral.pk,
        patient_id=patient.pk,
        request=request,
        detail={"source": source},
    )
    return referral


@transaction.atomic
def record_referral(
    *,
    by: Any,
    request: HttpRequest | None = None,
    patient: Patient,
    source: str,
    referrer: str = "",
    received_on: dt.date | str,
    reason: str = "",
) -> Referral:
    """Record a referral (or self-referral) as it arrives (DESIGN.md journey step 1).

    Clinic admin staff log referrals, so this needs the demographics-editing permission, as
    registration does; the ``reason`` they may type from the referral letter is clinical free
    text that only roles reading the clinical record see afterwards (ADR 0056). Every bad field
    is named: ``source`` outside its codes (the codes listed), ``received_on`` not a date, in the
    future or before the patient's birth, ``referrer`` or ``reason`` too long. The audit event
    holds ids and the source code, never the referrer or the reason.
    """
    _check_perm(by, EDIT_DEMOGRAPHICS)
    errors: dict[str, str] = {}
    values = {
        "source": source,
        "referrer": referrer,
        "received_on": received_on,
        "reason": reason,
    }
    clean = _clean_referral(values, patient.date_of_birth, errors, "")
    if errors:
        raise ActionError(errors)
    return _create_referral(by=by, request=request, patient=patient, **clean)


@transaction.atomic
def correct_referral(
    *, by: Any, request: HttpRequest | None = None, referral: Referral, **changes: Any
) -> Referral:
    """Correct a referral entered wrongly (ADR 0094): ``changes`` holds the fields to change
    (any of ``REFERRAL_FIELDS``) and the required ``correction_reason``.

    The same permission as recording one (``EDIT_DEMOGRAPHICS``) and the same validation: the
    referral as it would be after the change is checked by ``_clean_referral``, so every bad
    field is named as ``record_referral`` names it. Nothing that differs is refused, naming
    ``changes``. The values held before are kept in an append-only ``ReferralCorrection`` row
    with the reason; the audit event (UPDATE) names the fields changed, never their values or
    the reason for the correction.
    """
    _check_perm(by, EDIT_DEMOGRAPHICS)
    errors: dict[str, str] = {}
    why = str(changes.pop("correction_reason", None) or "").strip()
    if not why:
        errors["correction_reason"] = (
            f"is required: say what was wrong (at most {CORRECTION_REASON_MAX_LENGTH} characters)"
        )
    elif len(why) > CORRECTION_REASON_MAX_LENGTH:
        errors["correction_reason"] = f"must be at most {CORRECTION_REASON_MAX_LENGTH} characters"
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    date_of_birth = Patient.objects.values_list("date_of_birth", flat=True).get(
        pk=locked.patient_id
    )
    current = {f: getattr(locked, f) for f in REFERRAL_FIELDS}
    field_errors: dict[str, str] = {}
    clean = _clean_referral({**current, **changes}, date_of_birth, field_errors, "")
    errors.update(field_errors)
    changed = sorted(f for f in changes if f in REFERRAL_FIELDS and clean.get(f) != current[f])
    if not changed and not field_errors:
        errors["changes"] = (
            "nothing differs from the referral as recorded: give a new value for at least one "
            f"of {', '.join(REFERRAL_FIELDS)}"
        )
    if errors:
        raise ActionError(errors)
    ReferralCorrection.objects.create(
        referral=locked,
        fields=changed,
        previous_source=locked.source,
        previous_referrer=locked.referrer,
        previous_received_on=locked.received_on,
        previous_reason=locked.reason,
        correction_reason=why,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    for field in changed:
        setattr(locked, field, clean[field])
    locked.save(update_fields=changed)
    # The field names only: no referrer, reason or correction text in the audit trail.
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        object_type="referral",
        object_id=locked.pk,
        patient_id=locked.patient_id,
        request=request,
        detail={"fields": changed},
    )
    return locked


@transaction.atomic
def add_treatment(
    *,
    by: Any,
    request: HttpRequest | None = None,
    patient: Patient,
    category: str,
    name: str = "",
    started_on: dt.date | str | None = None,
    stopped_on: dt.date | str | None = None,
    effect: str = TreatmentEffect.ONGOING,
    reason_stopped: str = "",
) -> Treatment:
    """Record a treatment tried and its effect (used by CBPM eligibility: two failed treatments)."""
    _check_perm(by, EDIT_CLINICAL)
    errors: dict[str, str] = {}
    if category not in TreatmentCategory.values:
        errors["category"] = f"must be one of: {_choices_text(TreatmentCategory)}"
    if effect not in TreatmentEffect.values:
        errors["effect"] = f"must be one of: {_choices_text(TreatmentEffect)}"
    name = str(name or "").strip()
    if len(name) > 200:
        errors["name"] = "must be at most 200 characters"
    start = parse_date(started_on, "started_on", errors, required=False)
    stop = parse_date(stopped_on, "stopped_on", errors, required=False)
    today = _today()
    if start is not None and start > today:
        errors["started_on"] = "cannot be in the future"
    if stop is not None and stop > today:
        errors["stopped_on"] = "cannot be in the future"
    if start is not None and stop is not None and stop < start:
        errors["stopped_on"] = "cannot be before the start date"
    if start is not None and patient.date_of_birth and start < patient.date_of_birth:
        errors["started_on"] = "cannot be before the patient's date of birth"
    if errors:
        raise ActionError(errors)
    treatment = Treatment.objects.create(
        patient=patient,
        category=category,
        name=name,
        started_on=start,
        stopped_on=stop,
        effect=effect,
        reason_stopped=str(reason_stopped or "").strip(),
        created_by=by,
    )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        object_type="treatment",
        object_id=treatment.pk,
        patient_id=patient.pk,
        request=request,
    )
    return treatment


def ongoing_cbpm_treatment(patient: Patient, *, lock: bool = False) -> Treatment | None:
    """The patient's CBPM treatment still going on (no stop date), the latest recorded."""
    qs = Treatment.objects.filter(
        patient=patient, category=TreatmentCategory.CBPM, stopped_on__isnull=True
    ).order_by("-created_at", "-id")
    return (qs.select_for_update() if lock else qs).first()


@transaction.atomic
def record_cbpm_started(
    *,
    by: Any,
    request: HttpRequest | None = None,
    patient: Patient,
    name: str,
    started_on: dt.date,
    prescription_id: int | None = None,
) -> tuple[Treatment, bool]:
    """The CBPM treatment a signed initiation prescription starts (ADR 0091): the patient's
    ongoing CBPM treatment when there is one (reused, unchanged), else a new one of category
    ``cbpm`` named after the product, started on the prescription's start date (which may be
    later than today: the appropriate date), effect ongoing. Returns (treatment, created).

    The patient row is locked first so two initiations signed at once make one treatment.
    """
    _check_perm(by, EDIT_CLINICAL)
    Patient.objects.select_for_update().filter(pk=patient.pk).exists()
    existing = ongoing_cbpm_treatment(patient, lock=True)
    if existing is not None:
        return existing, False
    name = str(name or "").strip()[:200]
    treatment = Treatment.objects.create(
        patient=patient,
        category=TreatmentCategory.CBPM,
        name=name,
        started_on=started_on,
        effect=TreatmentEffect.ONGOING,
        created_by=by,
    )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        object_type="treatment",
        object_id=treatment.pk,
        patient_id=patient.pk,
        request=request,
        detail={"category": TreatmentCategory.CBPM.value, "prescription_id": prescription_id},
    )
    return treatment, True


@transaction.atomic
def record_cbpm_stopped(
    *,
    by: Any,
    request: HttpRequest | None = None,
    patient: Patient,
    stopped_on: dt.date,
    reason: str,
    prescription_id: int | None = None,
) -> Treatment | None:
    """Stop the patient's ongoing CBPM treatment when their last CBPM prescription stops
    (ADR 0091): its stop date and the stop reason. None when no CBPM treatment is going on.

    A treatment whose start date is still ahead (a prescription stopped before its appropriate
    date) stops on its start date: it never ran, and a stop before the start is impossible.
    The reason is free text: it is kept on the treatment, never in the audit detail or a log.
    """
    _check_perm(by, EDIT_CLINICAL)
    treatment = ongoing_cbpm_treatment(patient, lock=True)
    if treatment is None:
        return None
    start = treatment.started_on
    treatment.stopped_on = max(stopped_on, start) if start is not None else stopped_on
    treatment.reason_stopped = str(reason or "").strip()
    treatment.save(update_fields=["stopped_on", "reason_stopped"])
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        object_type="treatment",
        object_id=treatment.pk,
        patient_id=patient.pk,
        request=request,
        detail={"fields": ["reason_stopped", "stopped_on"], "prescription_id": prescription_id},
    )
    return treatment


@transaction.atomic
def add_note(*, by: Any, request: HttpRequest | None = None, patient: Patient, text: str) -> Note:
    """Add a clinical note (free text; never copied into the audit trail)."""
    _check_perm(by, EDIT_CLINICAL)
    text = str(text or "").strip()
    if not text:
        raise ActionError({"text": "is required"})
    if len(text) > 20_000:
        raise ActionError({"text": "must be at most 20,000 characters"})
    note = Note.objects.create(patient=patient, text=text, created_by=by)
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        object_type="note",
        object_id=note.pk,
        patient_id=patient.pk,
        request=request,
    )
    return note


@transaction.atomic
def raise_alert(
    *,
    patient: Patient,
    kind: str,
    severity: str,
    message: str,
    source_type: str = "",
    source_id: object = "",
    by: Any = None,
) -> Alert:
    """Raise an alert a clinician must see and acknowledge. ``by=None`` means the system did.

    Called by other actions (triage, PHQ-9 item 9, follow-up review) inside their transaction, so
    an alert exists exactly when the record that caused it does.
    """
    errors: dict[str, str] = {}
    if kind not in AlertKind.values:
        errors["kind"] = f"must be one of: {_choices_text(AlertKind)}"
    if severity not in AlertSeverity.values:
        errors["severity"] = f"must be one of: {_choices_text(AlertSeverity)}"
    message = str(message or "").strip()
    if not message:
        errors["message"] = "is required"
    if errors:
        raise ActionError(errors)
    alert = Alert.objects.create(
        patient=patient,
        kind=kind,
        severity=severity,
        message=message,
        source_type=source_type,
        source_id=str(source_id),
    )
    audit.record(
        actor=by if by is not None else "system",
        action=AuditAction.CREATE,
        object_type="alert",
        object_id=alert.pk,
        patient_id=patient.pk,
        detail={"kind": kind, "severity": severity},
    )
    return alert


@transaction.atomic
def acknowledge_alert(
    *, by: Any, request: HttpRequest | None = None, alert: Alert, note: str = ""
) -> Alert:
    """Acknowledge an open alert (once; a second acknowledgement is refused, not overwritten)."""
    _check_perm(by, ACKNOWLEDGE_ALERT)
    note = str(note or "").strip()
    if len(note) > ACKNOWLEDGEMENT_NOTE_MAX_LENGTH:
        limit = ACKNOWLEDGEMENT_NOTE_MAX_LENGTH
        raise ActionError({"note": f"must be at most {limit} characters (got {len(note)})"})
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.acknowledged_at is not None:
        raise ActionError({"alert": "has already been acknowledged"})
    locked.acknowledged_at = timezone.now()
    locked.acknowledged_by = by
    locked.acknowledgement_note = note
    locked.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        object_type="alert",
        object_id=locked.pk,
        patient_id=locked.patient_id,
        request=request,
        detail={"acknowledged": True},
    )
    alert.acknowledged_at = locked.acknowledged_at
    alert.acknowledged_by = locked.acknowledged_by
    alert.acknowledgement_note = locked.acknowledgement_note
    return alert
