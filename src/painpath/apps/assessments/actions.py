"""Recording assessments (with the triage) and questionnaire responses (with the score).

The clinical core decides; these actions store its output whole, with the ruleset version, the
audit event, and any alert it implies, in ONE transaction: if anything fails nothing is saved, so
an emergency triage can never be stored without its alert (or the alert without its record).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from painpath.apps.accounts.permissions import EDIT_CLINICAL, has_perm
from painpath.apps.assessments.models import (
    Assessment,
    QuestionnaireResponse,
    Region,
    ResponseSource,
)
from painpath.apps.audit import services as audit
from painpath.apps.audit.models import AuditAction
from painpath.apps.errors import ActionError
from painpath.apps.patients.actions import _check_perm, _may_act_for_self, raise_alert
from painpath.apps.patients.models import AlertKind, AlertSeverity, Patient
from painpath.clinical.errors import InvalidInput
from painpath.db import rows

#: Triage input keys (CLINICAL.md section 1); anything else is refused rather than ignored.
TRIAGE_KEYS = frozenset(
    {
        "region",
        "age",
        "sex",
        "duration_weeks",
        "age_at_onset",
        "findings",
        "startback",
        "paindetect",
    }
)
PHQ9_ITEM9_FLAG = "phq9_item9_positive"


def _field_of(exc: InvalidInput, known: frozenset[str], default: str) -> str:
    """The input field an InvalidInput is about (its ``field``, else the first key it names)."""
    field = getattr(exc, "field", None)
    if field:
        return str(field)
    message = str(exc)
    for key in sorted(known, key=len, reverse=True):
        if key in message:
            return key
    return default


def _age_on(dob: dt.date, on: dt.date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _triage_input(patient: Patient | None, data: Mapping[str, Any], on: dt.date) -> dict[str, Any]:
    """The triage input: ``data`` with age and sex filled from the patient record when absent."""
    if not isinstance(data, Mapping):
        raise ActionError({"data": "must be an object with the triage fields"})
    unknown = sorted(set(data) - TRIAGE_KEYS)
    if unknown:
        raise ActionError(
            {
                k: f"is not a triage field; allowed: {', '.join(sorted(TRIAGE_KEYS))}"
                for k in unknown
            }
        )
    full = dict(data)
    if patient is not None:
        full.setdefault("age", _age_on(patient.date_of_birth, on))
        full.setdefault("sex", patient.sex)
    full.setdefault("findings", [])
    return full


def _assess(data: Mapping[str, Any]) -> Any:
    from painpath.clinical import triage

    try:
        return triage.assess(data)
    except InvalidInput as exc:
        raise ActionError({_field_of(exc, TRIAGE_KEYS, "findings"): str(exc)}) from exc


def preview_triage(data: Mapping[str, Any]) -> Any:
    """The triage for ``data`` without saving anything (the live assessment form).

    Raises ActionError naming the field for input the core refuses.
    """
    return _assess(_triage_input(None, data, timezone.localdate()))


def _alert_message(result: Mapping[str, Any]) -> str:
    conditions = [str(f.get("condition", f.get("code", ""))) for f in result.get("red_flags", [])]
    what = "; ".join(c for c in conditions if c) or "red flag"
    return f"{result['urgency'].capitalize()} triage: {what}. {result.get('action', '')}".strip()


@transaction.atomic
def record_assessment(
    *,
    by: Any,
    request: HttpRequest | None = None,
    patient: Patient,
    data: Mapping[str, Any],
    examination: str = "",
    performed_at: dt.datetime | None = None,
) -> Assessment:
    """Run the triage on ``data`` and store it whole with its ruleset version.

    An ``emergency`` triage raises an emergency Alert (kind triage_emergency); an ``urgent`` one an
    urgent Alert (kind red_flag): CLINICAL.md section 1 urgency meanings ("now" / "within 24 hours")
    need a clinician to act, so they must reach the dashboard, not only the form.
    """
    _check_perm(by, EDIT_CLINICAL)
    performed_at = performed_at or timezone.now()
    if timezone.is_naive(performed_at):
        performed_at = timezone.make_aware(performed_at)
    if performed_at > timezone.now() + dt.timedelta(minutes=5):
        raise ActionError({"performed_at": "cannot be in the future"})
    full = _triage_input(patient, data, timezone.localtime(performed_at).date())
    result = _assess(full)
    triage_json = result.to_dict()
    assessment = Assessment.objects.create(
        patient=patient,
        performed_at=performed_at,
        performed_by=by,
        region=full.get("region", Region.LOW_BACK),
        age=int(full["age"]),
        duration_weeks=int(full.get("duration_weeks") or 0),
        age_at_onset=full.get("age_at_onset"),
        findings=list(full.get("findings") or []),
        examination=str(examination or "").strip(),
        startback=full.get("startback"),
        paindetect=full.get("paindetect"),
        triage=triage_json,
        urgency=triage_json["urgency"],
        pain_type=triage_json.get("pain_type") or "",
        ruleset=triage_json.get("ruleset", ""),
    )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        object_type="assessment",
        object_id=assessment.pk,
        patient_id=patient.pk,
        request=request,
        detail={"urgency": assessment.urgency},
    )
    if assessment.urgency in ("emergency", "urgent"):
        emergency = assessment.urgency == "emergency"
        raise_alert(
            patient=patient,
            kind=AlertKind.TRIAGE_EMERGENCY if emergency else AlertKind.RED_FLAG,
            severity=AlertSeverity.EMERGENCY if emergency else AlertSeverity.URGENT,
            message=_alert_message(triage_json),
            source_type="assessment",
            source_id=assessment.pk,
            by=by,
        )
    return assessment


def record_questionnaire(
    *,
    by: Any,
    request: HttpRequest | None = None,
    patient: Patient,
    instrument: str,
    answers: Sequence[Any],
    source: str = ResponseSource.CLINIC,
    completed_at: dt.datetime | None = None,
    assessment: Assessment | None = None,
) -> QuestionnaireResponse:
    """Score a completed questionnaire with the core and store answers and Score together.

    A ``phq9_item9_positive`` flag raises an urgent Alert: Kroenke 2001 / CLINICAL.md section 2 —
    any answer above 0 on item 9 needs a same-day risk assessment. A patient may submit their own
    questionnaires from home (``source="home"``); ``by=None`` is a system submission (a secure
    follow-up link already checked by its caller).
    """
    if by is not None and not (_may_act_for_self(by, patient) and source == ResponseSource.HOME):
        _check_perm(by, EDIT_CLINICAL)
    errors: dict[str, str] = {}
    if source not in ResponseSource.values:
        errors["source"] = f"must be one of: {', '.join(ResponseSource.values)}"
    completed_at = completed_at or timezone.now()
    if timezone.is_naive(completed_at):
        completed_at = timezone.make_aware(completed_at)
    if completed_at > timezone.now() + dt.timedelta(minutes=5):
        errors["completed_at"] = "cannot be in the future"
    if assessment is not None and assessment.patient_id != patient.pk:
        errors["assessment"] = "belongs to another patient"
    if errors:
        raise ActionError(errors)
    from painpath.clinical.instruments import score

    try:
        result = score(instrument, answers)
    except InvalidInput as exc:
        field = exc.field or "answers"
        if field not in ("instrument", "answers"):
            field = f"answers.{field}"
        raise ActionError({field: str(exc)}) from exc
    response = QuestionnaireResponse(
        patient=patient,
        instrument=result.instrument,
        answers=list(answers),
        value=result.value,
        band=result.band or "",
        subscores=dict(result.subscores),
        flags=list(result.flags),
        complete=result.complete,
        completed_at=completed_at,
        source=source,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
        assessment=assessment,
    )
    # Validation and scoring are done; only the writes hold the transaction (and, on SQLite, the
    # database's single write lock), so concurrent submissions queue for as short a time as
    # possible, in turn (rows.write_transaction, ADR 0053). The response, its audit event and any
    # alert commit together or not at all.
    with rows.write_transaction():
        rows.insert(response)  # the INSERT compiled once (painpath.db.rows)
        audit.record(
            actor=by if by is not None else "system",
            action=AuditAction.CREATE,
            object_type="questionnaire_response",
            object_id=response.pk,
            patient_id=patient.pk,
            request=request,
            detail={"instrument": result.instrument},
        )
        if PHQ9_ITEM9_FLAG in result.flags:
            raise_alert(
                patient=patient,
                kind=AlertKind.PHQ9_ITEM9,
                severity=AlertSeverity.URGENT,
                message=(
                    "PHQ-9 item 9 answered above 0 (thoughts of self-harm or being better off "
                    "dead): a same-day risk assessment is needed."
                ),
                source_type="questionnaire_response",
                source_id=response.pk,
                by=by,
            )
    return response


def can_record(by: Any) -> bool:
    """Whether ``by`` may record assessments and clinic questionnaires (for showing the forms)."""
    return has_perm(by, EDIT_CLINICAL)
