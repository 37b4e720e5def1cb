"""Clinic pages for follow-up: the dashboard, a patient's outcomes, adverse-event grading.

Views check the role (``@require``), read patients through the audited selector
(``get_patient_for``), call an action, and re-show a refused form with each field's error
(status 422, nothing saved). Display logic lives in ``presenters``; templates stay logic-free.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from painpath.apps.accounts.permissions import (
    ACKNOWLEDGE_ALERT,
    EDIT_CLINICAL,
    MANAGE_FOLLOWUP,
    VIEW_CLINICAL,
    has_perm,
    require,
)
from painpath.apps.audit import services as audit
from painpath.apps.audit.models import AuditAction
from painpath.apps.errors import ActionError, refuse_control_characters
from painpath.apps.outcomes import presenters, selectors
from painpath.apps.outcomes.actions import grade_adverse_event
from painpath.apps.outcomes.models import AdverseEvent, Causality, CtcaeGrade
from painpath.apps.patients.actions import acknowledge_alert
from painpath.apps.patients.models import Alert
from painpath.apps.patients.selectors import get_patient_for


@require(MANAGE_FOLLOWUP)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The clinic's follow-up dashboard: completion, overdue, at risk, open alerts, AEs to grade.

    It names many patients at once, so the view itself is audited (one event per page view).
    """
    audit.record(
        actor=request.user,
        action=AuditAction.READ,
        object_type="followup_dashboard",
        request=request,
    )
    context = {
        "completion": presenters.completion_rows(selectors.completion_by_timepoint()),
        "completion_at": selectors.completion_computed_at(),
        "overdue": presenters.set_rows(selectors.overdue_sets()),
        "at_risk": presenters.set_rows(selectors.at_risk_sets()),
        "alerts": presenters.alert_rows(selectors.open_alerts()),
        "alert_counts": presenters.alert_counts(selectors.open_alert_counts()),
        "ungraded": selectors.ungraded_adverse_events(),
        "limit": selectors.LIST_LIMIT,
        "can_acknowledge": has_perm(request.user, ACKNOWLEDGE_ALERT),
        "can_grade": has_perm(request.user, EDIT_CLINICAL),
    }
    return render(request, "outcomes/dashboard.html", context)


@require(ACKNOWLEDGE_ALERT)
@require_POST
def acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    """Acknowledge an alert (audited by the action); back to where the clinician came from."""
    alert = get_object_or_404(Alert, pk=alert_id)
    get_patient_for(request.user, alert.patient_id, request=request)
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    try:
        refuse_control_characters(request.POST)
        acknowledge_alert(
            by=request.user, request=request, alert=alert, note=request.POST.get("note", "")
        )
    except ActionError as exc:
        return render(
            request,
            "outcomes/acknowledge_refused.html",
            {"alert": alert, "errors": exc.errors, "next": next_url},
            status=409,
        )
    return redirect(next_url or "outcomes:dashboard")


@require(VIEW_CLINICAL)
def patient_outcomes(request: HttpRequest, patient_id: int) -> HttpResponse:
    """One patient's outcome charts (with a table of the same numbers), responder status,
    follow-up status, adverse events and open alerts."""
    patient = get_patient_for(request.user, patient_id, request=request)
    context: dict[str, Any] = {
        "patient": patient,
        "outcomes": presenters.outcome_blocks(selectors.patient_outcomes(patient)),
        "sets": presenters.set_rows(selectors.patient_followup_status(patient)),
        "events": presenters.event_rows(selectors.patient_adverse_events(patient)),
        "alerts": presenters.alert_rows(list(patient.alerts.filter(acknowledged_at__isnull=True))),
        "can_acknowledge": has_perm(request.user, ACKNOWLEDGE_ALERT),
        "can_grade": has_perm(request.user, EDIT_CLINICAL),
    }
    return render(request, "outcomes/patient.html", context)


@require(EDIT_CLINICAL)
@require_http_methods(["GET", "POST"])
def grade(request: HttpRequest, event_id: int) -> HttpResponse:
    """Grade an adverse event: CTCAE v5 grade, seriousness, causality."""
    event = get_object_or_404(AdverseEvent.objects.select_related("patient"), pk=event_id)
    patient = get_patient_for(request.user, event.patient_id, request=request)
    errors: dict[str, str] = {}
    data: dict[str, Any] = {
        "grade": "" if event.grade is None else str(event.grade),
        "serious": "" if event.serious is None else ("yes" if event.serious else "no"),
        "causality": event.causality,
    }
    status = 200
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in ("grade", "serious", "causality")}
        try:
            refuse_control_characters(request.POST)
            grade_adverse_event(
                by=request.user,
                request=request,
                event=event,
                grade=data["grade"],
                serious=data["serious"],
                causality=data["causality"],
            )
        except ActionError as exc:
            errors, status = exc.errors, 422
        else:
            return redirect("outcomes:patient", patient_id=patient.pk)
    context = {
        "event": presenters.event_row(event),
        "patient": patient,
        "data": data,
        "errors": errors,
        "grades": CtcaeGrade.choices,
        "causalities": Causality.choices,
    }
    return render(request, "outcomes/grade.html", context, status=status)
