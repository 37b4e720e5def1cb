"""Clinic pages for patients: the list, registration, demographics, the timeline, referrals,
treatments, notes, consent and the access log.

Views check the role (``@require``), read patients through the audited selector
(``get_patient_for``; the list through ``patient_list``, audited as one list read), call an
action, and on refusal re-show the form with each field's error (status 422, nothing saved).
Display logic lives in ``presenters``; templates stay logic-free.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_http_methods

from painpath.apps.accounts import permissions as perms
from painpath.apps.accounts.permissions import has_perm, require
from painpath.apps.assessments.models import Urgency
from painpath.apps.audit import services as audit
from painpath.apps.audit.models import AuditAction
from painpath.apps.errors import ActionError, refuse_control_characters
from painpath.apps.followup.actions import add_treatment_with_plan
from painpath.apps.followup.selectors import active_plan
from painpath.apps.patients import actions, forms, presenters, selectors
from painpath.apps.patients.models import ConsentKind, ConsentStatus, Patient

PAGE_SIZE = 25


def audit_role_denial(view: Any) -> Any:
    """Outside ``@require``: a signed-in user whose role is refused a page about one patient is
    recorded in the audit trail as "denied" for that patient, as ``get_patient_for`` records a
    refused read (the role check refuses before the selector is reached)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        needed = getattr(view, "required_permissions", ())
        user = request.user
        if user.is_authenticated and not all(has_perm(user, p) for p in needed):
            patient_id = kwargs.get("patient_id")
            audit.record(
                actor=user,
                action=AuditAction.DENIED,
                object_type="patient",
                object_id=patient_id or "",
                patient_id=patient_id if Patient.objects.filter(pk=patient_id).exists() else None,
                request=request,
                detail={"view": view.__name__},
            )
        return view(request, *args, **kwargs)

    return wrapped


TIMELINE_PAGE = 30


def _shown(exc: ActionError) -> dict[str, str]:
    return {("general" if k == "__all__" else k): v for k, v in exc.errors.items()}


# --- the list --------------------------------------------------------------------------------


def _open_alerts_filter(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


@require(perms.VIEW_DEMOGRAPHICS)
def patient_list(request: HttpRequest) -> HttpResponse:
    """Search by name or NHS number (spaces ignored) and, for clinicians, filter by the latest
    triage's urgency and pain type and by open alerts. Paginated; one audited list read."""
    clinical = has_perm(request.user, perms.VIEW_CLINICAL)
    q = request.GET.get("q", "").strip()[:100]
    urgency = request.GET.get("urgency", "") if clinical else ""
    pain_type = request.GET.get("pain_type", "") if clinical else ""
    open_alerts = request.GET.get("open_alerts", "") if clinical else ""
    urgency = urgency if urgency in Urgency.values else ""
    pain_type = pain_type if pain_type in dict(presenters.PAIN_TYPES) else ""
    qs = selectors.patient_list(
        request.user,
        q=q,
        urgency=urgency or None,
        pain_type=pain_type or None,
        open_alerts=_open_alerts_filter(open_alerts),
        request=request,
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "rows": presenters.patient_rows(page.object_list),
        "page": page,
        "query_string": params.urlencode(),
        "q": q,
        "clinical": clinical,
        "urgency": urgency,
        "pain_type": pain_type,
        "open_alerts": open_alerts,
        "urgency_choices": Urgency.choices,
        "pain_type_choices": presenters.PAIN_TYPES,
        "can_create": has_perm(request.user, perms.EDIT_DEMOGRAPHICS),
        "filtered": bool(q or urgency or pain_type or open_alerts),
    }
    return render(request, "patients/list.html", context)


# --- registration and demographics -------------------------------------------------------------


def _demographics_from(post: Any) -> dict[str, str]:
    return {f.name: post.get(f.name, "") for f in forms.DEMOGRAPHICS}


def _registration_referral_errors(errors: dict[str, str]) -> dict[str, str]:
    """The action names the registration referral's fields ``referral.<field>``; the form's
    inputs are ``referral_<field>``."""
    return {k.replace("referral.", "referral_", 1): v for k, v in errors.items()}


@require(perms.EDIT_DEMOGRAPHICS)
@require_http_methods(["GET", "POST"])
def patient_new(request: HttpRequest) -> HttpResponse:
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    consents: dict[str, bool] = {}
    referral: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        data = _demographics_from(request.POST)
        consents = {k: request.POST.get(f"consent_{k}") == "yes" for k in ConsentKind.values}
        referral = {f.name: request.POST.get(f.name, "") for f in forms.REGISTRATION_REFERRAL}
        try:
            refuse_control_characters(request.POST)
            patient = actions.create_patient(
                by=request.user,
                request=request,
                consents=consents,
                referral={k.removeprefix("referral_"): v for k, v in referral.items()},
                **data,
            )
        except ActionError as exc:
            errors, status = _registration_referral_errors(_shown(exc)), 422
        else:
            messages.success(request, f"{patient.full_name} is registered.")
            return redirect("patients:detail", patient_id=patient.pk)
    context = {
        "fields": forms.bound(forms.DEMOGRAPHICS, data, errors),
        "referral_fields": forms.bound(forms.REGISTRATION_REFERRAL, referral, errors),
        "error_list": forms.error_list(errors, (*forms.DEMOGRAPHICS, *forms.REGISTRATION_REFERRAL)),
        "consents": [
            {"kind": k, "label": label, "checked": consents.get(k, False)}
            for k, label in ConsentKind.choices
        ],
    }
    return render(request, "patients/new.html", context, status=status)


@audit_role_denial
@require(perms.EDIT_DEMOGRAPHICS)
@require_http_methods(["GET", "POST"])
def patient_edit(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = selectors.get_patient_for(request.user, patient_id, request=request, clinical=False)
    errors: dict[str, str] = {}
    data = {f.name: getattr(patient, f.name) for f in forms.DEMOGRAPHICS}
    status = 200
    if request.method == "POST":
        data = _demographics_from(request.POST)
        try:
            refuse_control_characters(request.POST)
            actions.update_patient(by=request.user, request=request, patient=patient, **data)
        except ActionError as exc:
            errors, status = _shown(exc), 422
        else:
            messages.success(request, "Demographics saved.")
            return redirect("patients:detail", patient_id=patient.pk)
    context = {
        "patient": presenters.patient_header(patient),
        "fields": forms.bound(forms.DEMOGRAPHICS, data, errors),
        "error_list": forms.error_list(errors, forms.DEMOGRAPHICS),
    }
    return render(request, "patients/edit.html", context, status=status)


# --- the record --------------------------------------------------------------------------------


def _before(value: str) -> dt.datetime | None:
    moment = parse_datetime(value) if value else None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _links(request: HttpRequest, patient_id: int) -> dict[str, Any]:
    user = request.user
    url = presenters.url_or_none
    return {
        "edit": has_perm(user, perms.EDIT_DEMOGRAPHICS),
        "clinical": has_perm(user, perms.EDIT_CLINICAL),
        "access_log": has_perm(user, perms.VIEW_ACCESS_LOG),
        "medicines": url("medicines:patient", patient_id)
        if has_perm(user, perms.DRAFT_PRESCRIPTION)
        else None,
        "outcomes": url("outcomes:patient", patient_id)
        if has_perm(user, perms.VIEW_CLINICAL)
        else None,
        "assessment_new": url("assessments:new", patient_id),
        "questionnaire_new": url("assessments:questionnaire_choose", patient_id),
    }


@audit_role_denial
@require(perms.VIEW_DEMOGRAPHICS)
def patient_detail(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Clinicians see the timeline (one UNION query, windowed paging); clinic admin staff see
    demographics and consent only (no clinical content)."""
    clinical = has_perm(request.user, perms.VIEW_CLINICAL)
    patient = selectors.get_patient_for(
        request.user, patient_id, request=request, clinical=clinical
    )
    show_reason = selectors.may_read_referral_reason(request.user, patient)
    context: dict[str, Any] = {
        "patient": presenters.patient_header(patient),
        "demographics": presenters.demographics(patient),
        "consents": presenters.consent_rows(selectors.current_consents(patient)),
        "referrals": presenters.referral_rows(
            selectors.referrals(patient, reason=show_reason), show_reason=show_reason
        ),
        "show_referral_reason": show_reason,
        "clinical": clinical,
        "links": _links(request, patient.pk),
        "can_acknowledge": has_perm(request.user, perms.ACKNOWLEDGE_ALERT),
    }
    if clinical:
        before = _before(request.GET.get("before", ""))
        entries = selectors.timeline(patient, limit=TIMELINE_PAGE, before=before)
        here = request.get_full_path()
        context["timeline"] = presenters.timeline_rows(entries, next_url=here)
        context["next_url"] = here
        context["older_url"] = (
            f"{reverse('patients:detail', args=[patient.pk])}?"
            + urlencode({"before": entries[-1].at.isoformat()})
            if len(entries) == TIMELINE_PAGE
            else None
        )
        context["paged"] = before is not None
        context["open_alerts"] = presenters.timeline_rows(
            [selectors._alert_entry(a) for a in selectors.open_alerts(patient)[:20]],
            next_url=here,
        )
    return render(request, "patients/detail.html", context)


@audit_role_denial
@require(perms.EDIT_DEMOGRAPHICS)
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Record a referral as it arrives (clinic admin staff too; ADR 0056). A refusal keeps what
    was typed, the reason included: it is the user's own input, not a read of the record."""
    patient = selectors.get_patient_for(request.user, patient_id, request=request, clinical=False)
    data: dict[str, Any] = {"received_on": timezone.localdate().isoformat()}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        data = {f.name: request.POST.get(f.name, "") for f in forms.REFERRAL}
        try:
            refuse_control_characters(request.POST)
            actions.record_referral(by=request.user, request=request, patient=patient, **data)
        except ActionError as exc:
            errors, status = _shown(exc), 422
        else:
            messages.success(request, "Referral recorded.")
            return redirect("patients:detail", patient_id=patient.pk)
    context = {
        "patient": presenters.patient_header(patient),
        "fields": forms.bound(forms.REFERRAL, data, errors),
        "error_list": forms.error_list(errors, forms.REFERRAL),
    }
    return render(request, "patients/referral_new.html", context, status=status)


def _same_text(posted: str, stored: str) -> bool:
    return posted.replace("\r\n", "\n").strip() == stored.replace("\r\n", "\n").strip()


@audit_role_denial
@require(perms.EDIT_DEMOGRAPHICS)
@require_http_methods(["GET", "POST"])
def referral_correct(request: HttpRequest, patient_id: int, referral_id: int) -> HttpResponse:
    """Correct a referral entered wrongly (ADR 0094): the form is prefilled with the referral as
    recorded; roles that may not read the reason (ADR 0056) are not shown it, and an empty
    reason from them keeps it as recorded."""
    patient = selectors.get_patient_for(request.user, patient_id, request=request, clinical=False)
    show_reason = selectors.may_read_referral_reason(request.user, patient)
    referral = selectors.referral_of(patient, referral_id, reason=show_reason)
    fields = forms.REFERRAL_CORRECTION if show_reason else forms.REFERRAL_CORRECTION_BLIND
    data: dict[str, Any] = {
        "source": referral.source,
        "referrer": referral.referrer,
        "received_on": referral.received_on.isoformat(),
        "reason": referral.reason if show_reason else "",
    }
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        data = {f.name: request.POST.get(f.name, "") for f in fields}
        changes = dict(data)
        if not show_reason and not changes["reason"].strip():
            del changes["reason"]
        elif show_reason and _same_text(changes["reason"], referral.reason):
            del changes["reason"]  # browsers send a textarea's line breaks as CRLF: no change
        try:
            refuse_control_characters(request.POST)
            actions.correct_referral(by=request.user, request=request, referral=referral, **changes)
        except ActionError as exc:
            errors, status = _shown(exc), 422
        else:
            messages.success(request, "Referral corrected.")
            return redirect("patients:detail", patient_id=patient.pk)
    context = {
        "patient": presenters.patient_header(patient),
        "fields": forms.bound(fields, data, errors),
        "error_list": forms.error_list(errors, fields),
    }
    return render(request, "patients/referral_correct.html", context, status=status)


def _offers_followup(request: HttpRequest, patient: Patient) -> bool:
    """The add-treatment form offers to start follow-up to roles that manage it, while the
    patient has no active plan (ADR 0091)."""
    return has_perm(request.user, perms.MANAGE_FOLLOWUP) and active_plan(patient) is None


@audit_role_denial
@require(perms.EDIT_CLINICAL)
@require_http_methods(["GET", "POST"])
def treatment_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Record a treatment tried; with the box ticked, start its follow-up plan in the same
    transaction (``followup.actions.add_treatment_with_plan``)."""
    patient = selectors.get_patient_for(request.user, patient_id, request=request)
    data: dict[str, Any] = {"effect": "ongoing"}
    errors: dict[str, str] = {}
    status = 200
    start_followup = False
    if request.method == "POST":
        data = {f.name: request.POST.get(f.name, "") for f in forms.TREATMENT}
        start_followup = request.POST.get(forms.START_FOLLOWUP.name) == "on"
        values = {
            "by": request.user,
            "request": request,
            "patient": patient,
            "category": data["category"],
            "name": data["name"],
            "started_on": data["started_on"] or None,
            "stopped_on": data["stopped_on"] or None,
            "effect": data["effect"],
            "reason_stopped": data["reason_stopped"],
        }
        try:
            refuse_control_characters(request.POST)
            if start_followup:
                _, plan = add_treatment_with_plan(**values)
            else:
                actions.add_treatment(**values)
        except ActionError as exc:
            errors, status = _shown(exc), 422
        else:
            if start_followup:
                first = plan.sets.order_by("due_on", "id").first()
                due = f": first set due {first.due_on.day} {first.due_on:%b %Y}" if first else ""
                messages.success(request, f"Treatment added and follow-up plan started{due}.")
                if not patient.email:
                    messages.warning(
                        request,
                        "The patient has no email address: the follow-up sets are created but "
                        "their links cannot be emailed. Add an email address, or the patient "
                        "can answer in the portal.",
                    )
            else:
                messages.success(request, "Treatment added.")
            return redirect("patients:detail", patient_id=patient.pk)
    offer = _offers_followup(request, patient)
    labelled = (*forms.TREATMENT, forms.START_FOLLOWUP)
    context = {
        "patient": presenters.patient_header(patient),
        "fields": forms.bound(forms.TREATMENT, data, errors),
        "error_list": forms.error_list(errors, labelled),
        "followup": forms.bound((forms.START_FOLLOWUP,), {}, errors)[0] if offer else None,
        "followup_checked": start_followup,
    }
    return render(request, "patients/treatment_new.html", context, status=status)


@audit_role_denial
@require(perms.EDIT_CLINICAL)
@require_http_methods(["GET", "POST"])
def note_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = selectors.get_patient_for(request.user, patient_id, request=request)
    text = ""
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            refuse_control_characters(request.POST)
            actions.add_note(by=request.user, request=request, patient=patient, text=text)
        except ActionError as exc:
            errors, status = _shown(exc), 422
        else:
            messages.success(request, "Note added.")
            return redirect("patients:detail", patient_id=patient.pk)
    note_field = forms.Field("text", "Note", kind="textarea", required=True)
    context = {
        "patient": presenters.patient_header(patient),
        "fields": forms.bound((note_field,), {"text": text}, errors),
        "error_list": forms.error_list(errors, (note_field,)),
    }
    return render(request, "patients/note_new.html", context, status=status)


@audit_role_denial
@require(perms.EDIT_DEMOGRAPHICS)
@require_http_methods(["GET", "POST"])
def consents(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Record a consent decision or its withdrawal (always a new row, never an edit)."""
    patient = selectors.get_patient_for(request.user, patient_id, request=request, clinical=False)
    errors: dict[str, str] = {}
    data: dict[str, Any] = {"decided_on": timezone.localdate().isoformat()}
    status = 200
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in ("kind", "status", "decided_on")}
        try:
            refuse_control_characters(request.POST)
            actions.record_consent(by=request.user, request=request, patient=patient, **data)
        except ActionError as exc:
            errors, status = _shown(exc), 422
        else:
            messages.success(request, "Consent decision recorded.")
            return redirect("patients:consents", patient_id=patient.pk)
    fields = (
        forms.Field("kind", "Consent", kind="select", required=True, choices=forms.CONSENT_KINDS),
        forms.Field(
            "status", "Decision", kind="select", required=True, choices=tuple(ConsentStatus.choices)
        ),
        forms.Field("decided_on", "Decided on", kind="date", hint="YYYY-MM-DD", required=True),
    )
    context = {
        "patient": presenters.patient_header(patient),
        "consents": presenters.consent_rows(selectors.current_consents(patient)),
        "history": selectors.consent_history(patient),
        "fields": forms.bound(fields, data, errors),
        "error_list": forms.error_list(errors, fields),
    }
    return render(request, "patients/consents.html", context, status=status)


@audit_role_denial
@require(perms.VIEW_ACCESS_LOG)
def access_log(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Who read or changed this record: who, what, when, from where (prescribers only)."""
    patient = selectors.get_patient_for(request.user, patient_id, request=request, clinical=False)
    events = selectors.access_log(request.user, patient)
    context = {
        "patient": presenters.patient_header(patient),
        "rows": presenters.access_rows(events),
    }
    return render(request, "patients/access_log.html", context)
