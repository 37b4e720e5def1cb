"""Reviewing what a patient reports at follow-up, and grading adverse events.

``review_followup_submission`` is called by the follow-up app inside the transaction that saves a
completed set (docs/decisions/0070): the adverse events and every alert the submission implies
exist exactly when the submission does. Rules live in the clinical core: red flags are graded by
``painpath.clinical.triage`` (never re-implemented here), changes by
``painpath.clinical.outcomes.change`` (through ``painpath.clinical.outcomes_responder``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from painpath.apps.accounts.permissions import EDIT_CLINICAL
from painpath.apps.assessments.models import Assessment, QuestionnaireResponse
from painpath.apps.audit import services as audit
from painpath.apps.audit.models import AuditAction
from painpath.apps.errors import ActionError
from painpath.apps.outcomes.models import (
    AdverseEvent,
    Causality,
    CtcaeGrade,
    ReportedSeverity,
    ReportSource,
    Symptom,
)
from painpath.apps.patients.actions import _check_perm, raise_alert
from painpath.apps.patients.models import Alert, AlertKind, AlertSeverity, Patient
from painpath.clinical.errors import InvalidInput
from painpath.clinical.outcomes_responder import is_deterioration, mcid_measure

#: Most urgent first (CLINICAL.md section 1: the most urgent red flag sets the urgency).
URGENCY_ORDER = ("emergency", "urgent", "soon", "routine")
#: A severe adverse event needs a clinician the same day (policy, ADR 0072).
SEVERE_AE_SEVERITY = AlertSeverity.URGENT
#: Deterioration beyond the MCID: review within two weeks (policy, ADR 0073).
DETERIORATION_SEVERITY = AlertSeverity.SOON
SIDE_EFFECT_KEYS = frozenset({"symptom", "severity", "description"})
DEFAULT_REGION = "low_back"


def _most_urgent(urgencies: Iterable[str]) -> str:
    ranked = [u for u in URGENCY_ORDER if u in set(urgencies)]
    return ranked[0] if ranked else "routine"


def _finding_code(finding: Any) -> str:
    return str(finding.get("code", "")) if isinstance(finding, Mapping) else str(finding)


# --- side effects -----------------------------------------------------------------------------


def clean_side_effects(side_effects: Any) -> list[dict[str, str]]:
    """Validate reported side effects: each ``{symptom, severity, description?}``.

    Raises ActionError naming each bad entry (``side_effects[2].symptom``) and what is allowed.
    ``other`` needs a description (the free-text question).
    """
    if side_effects is None:
        return []
    if not isinstance(side_effects, Sequence) or isinstance(side_effects, str | bytes):
        raise ActionError({"side_effects": "must be a list of {symptom, severity, description}"})
    errors: dict[str, str] = {}
    clean: list[dict[str, str]] = []
    for i, entry in enumerate(side_effects):
        at = f"side_effects[{i}]"
        if not isinstance(entry, Mapping):
            errors[at] = "must be an object with symptom, severity and description"
            continue
        unknown = sorted(set(entry) - SIDE_EFFECT_KEYS)
        if unknown:
            errors[f"{at}.{unknown[0]}"] = (
                f"is not a side-effect field; allowed: {', '.join(sorted(SIDE_EFFECT_KEYS))}"
            )
        symptom = str(entry.get("symptom") or "")
        severity = str(entry.get("severity") or "")
        description = str(entry.get("description") or "").strip()
        if symptom not in Symptom.values:
            errors[f"{at}.symptom"] = f"must be one of: {', '.join(Symptom.values)}"
        if severity not in ReportedSeverity.values:
            errors[f"{at}.severity"] = f"must be one of: {', '.join(ReportedSeverity.values)}"
        if symptom == Symptom.OTHER and not description:
            errors[f"{at}.description"] = "is required when the symptom is 'other'"
        if len(description) > 2000:
            errors[f"{at}.description"] = "must be at most 2000 characters"
        clean.append({"symptom": symptom, "severity": severity, "description": description})
    if errors:
        raise ActionError(errors)
    return clean


def _severe_ae_alert(event: AdverseEvent, why: str, by: Any = None) -> Alert:
    return raise_alert(
        patient=event.patient,
        kind=AlertKind.SEVERE_ADVERSE_EVENT,
        severity=SEVERE_AE_SEVERITY,
        message=f"Severe adverse event: {event.get_symptom_display()} ({why}). "
        "Review today and grade it (CTCAE v5, seriousness, causality).",
        source_type="adverse_event",
        source_id=event.pk,
        by=by,
    )


def _store_side_effects(
    patient: Patient,
    side_effects: list[dict[str, str]],
    *,
    source: str,
    reported_at: dt.datetime,
    followup_set_id: int | None,
    by: Any,
) -> tuple[list[AdverseEvent], list[Alert]]:
    events: list[AdverseEvent] = []
    alerts: list[Alert] = []
    for se in side_effects:
        event = AdverseEvent.objects.create(
            patient=patient,
            reported_at=reported_at,
            source=source,
            symptom=se["symptom"],
            description=se["description"],
            reported_severity=se["severity"],
            followup_set_id=followup_set_id,
        )
        audit.record(
            actor=by if by is not None else "system",
            action=AuditAction.CREATE,
            object_type="adverse_event",
            object_id=event.pk,
            patient_id=patient.pk,
            detail={"source": source},
        )
        events.append(event)
        if event.reported_severity == ReportedSeverity.SEVERE:
            alerts.append(_severe_ae_alert(event, "reported as severe by the patient", by))
    return events, alerts


# --- red flags --------------------------------------------------------------------------------


def _age_on(dob: dt.date, on: dt.date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _triage_context(patient: Patient, reported: list[str], on: dt.date) -> dict[str, Any]:
    """Triage input: the latest assessment's context plus the findings reported at home.

    Findings already recorded (e.g. ``history_of_cancer``) stay, so a new symptom is graded in
    combination (cancer history + new leg weakness = suspected MSCC, an emergency). A finding
    reported at home is passed as a bare code, which the core counts as new (the safe default).
    """
    latest = (
        Assessment.objects.filter(patient=patient)
        .order_by("-performed_at", "-id")
        .only("region", "duration_weeks", "age_at_onset", "findings", "performed_at")
        .first()
    )
    known = [f for f in (latest.findings if latest else []) if _finding_code(f) not in reported]
    data: dict[str, Any] = {
        "region": latest.region if latest else DEFAULT_REGION,
        "age": min(max(_age_on(patient.date_of_birth, on), 16), 120),
        "sex": patient.sex,
        "duration_weeks": (
            latest.duration_weeks + max((on - latest.performed_at.date()).days // 7, 0)
            if latest
            else 0
        ),
        "findings": [*known, *reported],
    }
    if latest is not None and latest.age_at_onset is not None:
        data["age_at_onset"] = latest.age_at_onset
    return data


def _clean_findings(red_flag_findings: Any) -> list[str]:
    if red_flag_findings is None:
        return []
    if not isinstance(red_flag_findings, Sequence) or isinstance(red_flag_findings, str | bytes):
        raise ActionError({"red_flag_findings": "must be a list of finding codes"})
    codes = list(dict.fromkeys(str(c) for c in red_flag_findings))
    if not codes:
        return []
    from painpath.clinical import triage

    unknown = [c for c in codes if c not in triage.FINDINGS]
    if unknown:
        raise ActionError(
            {
                "red_flag_findings": f"unknown finding code(s) {', '.join(unknown)}; "
                "see `painpath findings` for the vocabulary"
            }
        )
    return codes


def grade_home_red_flags(patient: Patient, codes: list[str], on: dt.date) -> tuple[str, list[str]]:
    """(urgency, conditions) the triage core gives the findings reported at home.

    Only red flags that involve a reported finding count (ones from the last assessment alone were
    alerted then). No red flag firing on its own gives ``routine``: still an alert, because the
    patient answered yes to a red-flag question (ADR 0071).
    """
    from painpath.clinical import triage

    try:
        result = triage.assess(_triage_context(patient, codes, on)).to_dict()
    except InvalidInput as exc:
        raise ActionError({"red_flag_findings": str(exc)}) from exc
    return red_flags_involving(result, codes)


def red_flags_involving(result: Mapping[str, Any], codes: Sequence[str]) -> tuple[str, list[str]]:
    """(most urgent urgency, conditions) of the triage output's red flags that involve ``codes``.

    ``result`` is ``Triage.to_dict()`` (CLINICAL.md section 1: ``red_flags`` of
    ``{code, condition, urgency, findings, source}``); red flags firing only on findings from an
    earlier assessment are left out. None involved -> ``routine``.
    """
    reported = set(codes)
    urgencies: list[str] = []
    conditions: list[str] = []
    for flag in result.get("red_flags", []):
        involved = {_finding_code(f) for f in flag.get("findings", [])}
        if involved & reported:
            urgencies.append(str(flag.get("urgency", "routine")))
            conditions.append(str(flag.get("condition") or flag.get("code") or "red flag"))
    return _most_urgent(urgencies), list(dict.fromkeys(conditions))


def _red_flag_alert(
    patient: Patient, codes: list[str], on: dt.date, followup_set_id: int | None
) -> Alert:
    from painpath.clinical import triage

    urgency, conditions = grade_home_red_flags(patient, codes, on)
    meanings = "; ".join(getattr(triage.FINDINGS[c], "meaning", c) for c in codes)
    if conditions:
        what = f"Suspected: {'; '.join(conditions)}."
    else:
        what = "No red-flag rule fires on these alone; review at the next contact."
    return raise_alert(
        patient=patient,
        kind=AlertKind.RED_FLAG,
        severity=urgency,
        message=f"Reported at home: {meanings}. {what} Triage urgency {urgency}.",
        source_type="followup_set" if followup_set_id is not None else "home_report",
        source_id=followup_set_id if followup_set_id is not None else "",
    )


# --- deterioration ----------------------------------------------------------------------------


def _measure_value(response: QuestionnaireResponse, measure: str) -> float | None:
    if measure == "value":
        return response.value
    got = (response.subscores or {}).get(measure)
    return None if got is None else float(got)


def baseline_response(response: QuestionnaireResponse) -> QuestionnaireResponse | None:
    """The patient's first complete response of the same instrument before ``response``.

    The baseline is the first score ever recorded (IMMPACT: change from baseline), one indexed
    query on (patient, instrument, completed_at).
    """
    return (
        QuestionnaireResponse.objects.filter(
            patient_id=response.patient_id,
            instrument=response.instrument,
            complete=True,
            completed_at__lt=response.completed_at,
        )
        .exclude(pk=response.pk)
        .order_by("completed_at", "id")
        .first()
    )


def _deterioration_alert(response: QuestionnaireResponse) -> Alert | None:
    measure = mcid_measure(response.instrument)
    if measure is None or not response.complete:
        return None
    base = baseline_response(response)
    if base is None:
        return None
    b, f = _measure_value(base, measure), _measure_value(response, measure)
    if b is None or f is None:
        return None
    ch = is_deterioration(response.instrument, b, f)
    if ch is None:
        return None
    what = response.instrument.upper() + ("" if measure == "value" else f" {measure}")
    return raise_alert(
        patient=response.patient,
        kind=AlertKind.DETERIORATION,
        severity=DETERIORATION_SEVERITY,
        message=f"{what} worse than baseline by at least the MCID: {ch.baseline:g} on "
        f"{base.completed_at:%d %b %Y} -> {ch.follow_up:g} (change {ch.change:+g}).",
        source_type="questionnaire_response",
        source_id=response.pk,
    )


# --- the submission review --------------------------------------------------------------------


@transaction.atomic
def review_followup_submission(
    *,
    patient: Patient,
    responses: list[QuestionnaireResponse],
    side_effects: list[dict[str, Any]],
    red_flag_findings: list[str],
    followup_set_id: int | None = None,
) -> list[Alert]:
    """Store the side effects and raise every alert a completed follow-up set implies.

    * red-flag findings reported at home -> one ``red_flag`` alert, urgency from the triage core;
    * each side effect -> an AdverseEvent awaiting grading; patient-reported severe -> a
      ``severe_adverse_event`` alert;
    * each response worse than the patient's baseline of that instrument by at least the MCID ->
      a ``deterioration`` alert.
    PHQ-9 item 9 is alerted by ``record_questionnaire``, not here. Bad input raises ActionError
    naming the field, and nothing is saved (one transaction with the caller's).
    """
    effects = clean_side_effects(side_effects)
    codes = _clean_findings(red_flag_findings)
    for i, r in enumerate(responses or []):
        if not isinstance(r, QuestionnaireResponse) or r.patient_id != patient.pk:
            raise ActionError({f"responses[{i}]": "must be a saved response of this patient"})
    now = timezone.now()
    alerts: list[Alert] = []
    if codes:
        alerts.append(_red_flag_alert(patient, codes, timezone.localdate(), followup_set_id))
    _, ae_alerts = _store_side_effects(
        patient,
        effects,
        source=ReportSource.HOME,
        reported_at=now,
        followup_set_id=followup_set_id,
        by=None,
    )
    alerts.extend(ae_alerts)
    for r in responses or []:
        alert = _deterioration_alert(r)
        if alert is not None:
            alerts.append(alert)
    return alerts


@transaction.atomic
def record_adverse_event(
    *,
    by: Any,
    request: HttpRequest | None = None,
    patient: Patient,
    symptom: str,
    severity: str,
    description: str = "",
) -> AdverseEvent:
    """Record a side effect reported in clinic (awaiting grading); severe raises an alert."""
    _check_perm(by, EDIT_CLINICAL)
    try:
        clean = clean_side_effects(
            [{"symptom": symptom, "severity": severity, "description": description}]
        )
    except ActionError as exc:
        raise ActionError({k.split(".", 1)[-1]: v for k, v in exc.errors.items()}) from exc
    events, _ = _store_side_effects(
        patient,
        clean,
        source=ReportSource.CLINIC,
        reported_at=timezone.now(),
        followup_set_id=None,
        by=by,
    )
    return events[0]


def _parse_grading(grade: Any, serious: Any, causality: Any) -> tuple[int, bool, str]:
    errors: dict[str, str] = {}
    g: int | None = None
    try:
        if isinstance(grade, bool):
            raise ValueError
        g = int(grade)
        if g not in CtcaeGrade.values:
            raise ValueError
    except (TypeError, ValueError):
        errors["grade"] = "must be a CTCAE v5 grade 1, 2, 3, 4 or 5"
    s: bool | None
    if isinstance(serious, bool):
        s = serious
    elif str(serious).lower() in ("yes", "true", "1"):
        s = True
    elif str(serious).lower() in ("no", "false", "0"):
        s = False
    else:
        s = None
        errors["serious"] = "must be yes or no"
    c = str(causality or "")
    if c not in Causality.values:
        errors["causality"] = f"must be one of: {', '.join(Causality.values)}"
    if g == CtcaeGrade.DEATH and s is False:
        errors["serious"] = "a grade 5 event (death) is always serious"
    if errors:
        raise ActionError(errors)
    assert g is not None and s is not None
    return g, s, c


@transaction.atomic
def grade_adverse_event(
    *,
    by: Any,
    request: HttpRequest | None = None,
    event: AdverseEvent,
    grade: Any,
    serious: Any,
    causality: Any,
) -> AdverseEvent:
    """A clinician grades an event: CTCAE v5 grade 1-5, serious yes/no, causality.

    Re-grading is allowed (a correction; the audit event marks it as one). Grade >= 3 or serious
    raises a ``severe_adverse_event`` alert unless this event already has one (ADR 0072).
    """
    _check_perm(by, EDIT_CLINICAL)
    g, s, c = _parse_grading(grade, serious, causality)
    locked = AdverseEvent.objects.select_for_update().select_related("patient").get(pk=event.pk)
    regraded = locked.is_graded
    locked.grade, locked.serious, locked.causality = g, s, c
    locked.graded_by, locked.graded_at = by, timezone.now()
    locked.save(update_fields=["grade", "serious", "causality", "graded_by", "graded_at"])
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        object_type="adverse_event",
        object_id=locked.pk,
        patient_id=locked.patient_id,
        request=request,
        detail={"graded": True, "regraded": regraded},
    )
    if (g >= CtcaeGrade.SEVERE or s) and not Alert.objects.filter(
        kind=AlertKind.SEVERE_ADVERSE_EVENT, source_type="adverse_event", source_id=str(locked.pk)
    ).exists():
        why = f"graded CTCAE {g}" + (", serious" if s else "")
        _severe_ae_alert(locked, why, by)
    for name in ("grade", "serious", "causality", "graded_by", "graded_at"):
        setattr(event, name, getattr(locked, name))
    return event
