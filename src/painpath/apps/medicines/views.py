"""Web pages for CBPM prescribing. Views check the role (``@require``), read the patient through
the audited selector, call an action, and re-show the form with each field's error on refusal
(status 422, nothing saved). Display logic lives in ``presenters``; templates stay logic-free.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from painpath.apps.accounts import permissions as perms
from painpath.apps.accounts.permissions import has_perm, require
from painpath.apps.audit.services import record as audit
from painpath.apps.errors import ActionError, refuse_control_characters
from painpath.apps.medicines import actions
from painpath.apps.medicines import models as m
from painpath.apps.medicines.presenters import day_rows, followup_note, step_rows
from painpath.apps.patients.selectors import get_patient_for
from painpath.clinical import medicines as core
from painpath.clinical.medicines.products import fmt
from painpath.clinical.medicines.titration import SOURCE as TITRATION_SOURCE
from painpath.typed_numbers import ascii_integer

FACT_LABELS = (
    ("pregnant", "Pregnant"),
    ("breastfeeding", "Breastfeeding"),
    ("psychosis_personal_history", "Personal history of psychosis"),
    ("psychosis_family_history", "Family history of psychosis (first-degree)"),
    ("unstable_cardiovascular_disease", "Unstable cardiovascular disease"),
    ("substance_use_disorder", "Substance use disorder"),
    ("epilepsy", "Epilepsy"),
)
LFT_LABELS = (
    ("alt_x_uln", "ALT (multiple of upper limit of normal)"),
    ("ast_x_uln", "AST (multiple of upper limit of normal)"),
    ("bilirubin_x_uln", "Bilirubin (multiple of upper limit of normal)"),
)


def _shown(exc: ActionError) -> dict[str, str]:
    """Errors for a template (which cannot read the ``__all__`` key)."""
    return {("general" if k == "__all__" else k): v for k, v in exc.errors.items()}


def _patient(request: HttpRequest, patient_id: int) -> Any:
    return get_patient_for(request.user, patient_id, request=request)


def _rx(request: HttpRequest, rx_id: int) -> m.Prescription:
    rx = get_object_or_404(
        m.Prescription.objects.select_related("product", "patient", "signed_by"), pk=rx_id
    )
    get_patient_for(request.user, rx.patient_id, request=request)
    return rx


def _date(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ActionError({field: "enter a date as YYYY-MM-DD"}) from None


def _id(value: str) -> int | None:
    """A record id typed or posted: ASCII digits only, at most 18."""
    return ascii_integer(value, max_digits=18)


def _product(value: str, field: str = "product") -> m.Product:
    pk = _id(value)
    product = m.Product.objects.filter(pk=pk, active=True).first() if pk is not None else None
    if product is None:
        raise ActionError({field: "choose a product from the formulary"})
    return product


# --- formulary -------------------------------------------------------------------------------


def _pack_sizes(text: str) -> list[str]:
    return [s for s in text.replace(",", " ").split() if s]


@require(perms.DRAFT_PRESCRIPTION)
@require_http_methods(["GET", "POST"])
def formulary(request: HttpRequest) -> HttpResponse:
    """The formulary: everyone clinical sees it; only prescribers add (POST), edit and retire."""
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not has_perm(request.user, perms.MANAGE_FORMULARY):
            raise PermissionDenied
        p = request.POST
        try:
            refuse_control_characters(request.POST)
            actions.add_product(
                by=request.user, request=request, name=p.get("name", ""),
                form=p.get("form", ""), unit=p.get("unit", ""), route=p.get("route", "oral"),
                thc_mg_per_unit=p.get("thc_mg_per_unit", ""),
                cbd_mg_per_unit=p.get("cbd_mg_per_unit", ""),
                pack_sizes=_pack_sizes(p.get("pack_sizes", "")),
            )  # fmt: skip
            return redirect("medicines:formulary")
        except ActionError as exc:
            errors, status = _shown(exc), 422
    return render(request, "medicines/formulary.html", {
        "products": m.Product.objects.filter(active=True),
        "retired": m.Product.objects.filter(active=False).select_related("retired_by"),
        "errors": errors,
        "form_choices": m.Form.choices, "unit_choices": m.Unit.choices, "data": request.POST,
        "can_manage": has_perm(request.user, perms.MANAGE_FORMULARY),
    }, status=status)  # fmt: skip


@require(perms.MANAGE_FORMULARY)
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, product_id: int) -> HttpResponse:
    """Edit a product (with a reason); content is fixed once the product has been used."""
    product = get_object_or_404(m.Product, pk=product_id)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        p = request.POST
        changes = {
            "name": p.get("name", ""), "form": p.get("form", ""), "unit": p.get("unit", ""),
            "route": p.get("route", ""), "thc_mg_per_unit": p.get("thc_mg_per_unit", ""),
            "cbd_mg_per_unit": p.get("cbd_mg_per_unit", ""),
            "pack_sizes": _pack_sizes(p.get("pack_sizes", "")),
        }  # fmt: skip
        try:
            refuse_control_characters(request.POST)
            actions.edit_product(
                by=request.user, request=request, product=product,
                reason=p.get("reason", ""), **changes,
            )  # fmt: skip
            return redirect("medicines:formulary")
        except ActionError as exc:
            errors, status = _shown(exc), 422
        data: Any = p
    else:
        data = {
            "name": product.name, "form": product.form, "unit": product.unit,
            "route": product.route, "thc_mg_per_unit": fmt(product.thc_mg_per_unit),
            "cbd_mg_per_unit": fmt(product.cbd_mg_per_unit),
            "pack_sizes": " ".join(str(s) for s in product.pack_sizes),
        }  # fmt: skip
    return render(request, "medicines/product_edit.html", {
        "product": product, "errors": errors, "data": data, "uses": actions.product_in_use(product),
        "form_choices": m.Form.choices, "unit_choices": m.Unit.choices,
    }, status=status)  # fmt: skip


@require(perms.MANAGE_FORMULARY)
@require_POST
def product_retire(request: HttpRequest, product_id: int) -> HttpResponse:
    product = get_object_or_404(m.Product, pk=product_id)
    try:
        refuse_control_characters(request.POST)
        actions.retire_product(
            by=request.user, request=request, product=product, reason=request.POST.get("reason", "")
        )
    except ActionError as exc:
        return render(request, "medicines/product_edit.html", {
            "product": product, "errors": _shown(exc), "uses": actions.product_in_use(product),
            "data": {"name": product.name, "form": product.form, "unit": product.unit,
                     "route": product.route, "thc_mg_per_unit": fmt(product.thc_mg_per_unit),
                     "cbd_mg_per_unit": fmt(product.cbd_mg_per_unit),
                     "pack_sizes": " ".join(str(s) for s in product.pack_sizes)},
            "form_choices": m.Form.choices, "unit_choices": m.Unit.choices,
        }, status=422)  # fmt: skip
    return redirect("medicines:formulary")


# --- patient overview and eligibility --------------------------------------------------------


@require(perms.DRAFT_PRESCRIPTION)
def patient_medicines(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    latest = actions.latest_decision(patient)
    check = actions.eligibility_for(
        patient, prescriber=request.user, mdt_agreement=bool(latest and latest.mdt_agreement)
    )
    return render(request, "medicines/patient.html", {
        "patient": patient, "check": check, "decisions": patient.cbpm_decisions.all()[:20],
        "plans": patient.titration_plans.select_related("product").order_by("-created_at")[:20],
        "prescriptions": patient.cbpm_prescriptions.select_related("product")[:50],
        "can_decide": has_perm(request.user, perms.SIGN_PRESCRIPTION),
    })  # fmt: skip


@require(perms.SIGN_PRESCRIPTION)
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        p = request.POST
        try:
            refuse_control_characters(request.POST)
            actions.record_eligibility_decision(
                by=request.user, request=request, patient=patient,
                decision=p.get("decision", ""), rationale=p.get("rationale", ""),
                mdt_agreement=p.get("mdt_agreement") == "on",
                mdt_date=_date(p.get("mdt_date", ""), "mdt_date"),
                informed_consent_unlicensed=p.get("informed_consent_unlicensed") == "on",
                prior_cannabis_use=p.get("prior_cannabis_use", ""),
            )  # fmt: skip
            return redirect("medicines:patient", patient_id=patient.pk)
        except ActionError as exc:
            errors, status = _shown(exc), 422
    check = actions.eligibility_for(
        patient, prescriber=request.user, mdt_agreement=request.POST.get("mdt_agreement") == "on"
    )
    return render(request, "medicines/decide.html", {
        "patient": patient, "check": check, "errors": errors, "data": request.POST,
        "decision_choices": m.Decision.choices, "use_choices": m.PriorCannabisUse.choices,
    }, status=status)  # fmt: skip


# --- titration -------------------------------------------------------------------------------


@require(perms.DRAFT_PRESCRIPTION)
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        p = request.POST
        try:
            refuse_control_characters(request.POST)
            days = _id(p.get("days", ""))
            if days is None:
                raise ActionError({"days": "enter a whole number of days, 1-366"})
            plan = actions.create_titration_plan(
                by=request.user, request=request, patient=patient,
                protocol=p.get("protocol", ""), product=_product(p.get("product", "")),
                thc_product=_product(p["thc_product"], "thc_product")
                if p.get("thc_product") else None,
                days=days,
                start_date=_date(p.get("start_date", ""), "start_date") or timezone.localdate(),
            )  # fmt: skip
            return redirect("medicines:plan", plan_id=plan.pk)
        except ActionError as exc:
            errors, status = _shown(exc), 422
    return render(request, "medicines/plan_new.html", {
        "patient": patient, "errors": errors, "data": request.POST,
        "protocols": [(k, p.title) for k, p in core.PROTOCOLS.items()],
        "products": m.Product.objects.filter(active=True),
    }, status=status)  # fmt: skip


def _plan_context(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    plan = get_object_or_404(
        m.TitrationPlan.objects.select_related("product", "thc_product"), pk=plan_id
    )
    patient = _patient(request, plan.patient_id)
    return {
        "plan": plan,
        "patient": patient,
        "periods": step_rows(plan.schedule, start=plan.start_date),
        "days": day_rows(plan.schedule, plan.start_date),
        "source": TITRATION_SOURCE,
    }


@require(perms.DRAFT_PRESCRIPTION)
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    return render(request, "medicines/plan.html", _plan_context(request, plan_id))


@require(perms.DRAFT_PRESCRIPTION)
def plan_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _pdf(
        request,
        "medicines/plan_document.html",
        _plan_context(request, plan_id),
        f"titration-plan-{plan_id}.pdf",
    )


def _pdf(
    request: HttpRequest, template: str, context: dict[str, Any], filename: str
) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string("medicines/pdf.html", {**context, "document": template}, request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- prescriptions ---------------------------------------------------------------------------


@require(perms.DRAFT_PRESCRIPTION)
@require_http_methods(["GET", "POST"])
def rx_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        p = request.POST
        try:
            refuse_control_characters(request.POST)
            rx = actions.draft_prescription(
                by=request.user, request=request, patient=patient,
                product=_product(p.get("product", "")), dose=p.get("dose", ""),
                daily_amount=p.get("daily_amount", ""), quantity=p.get("quantity", ""),
                quantity_words=p.get("quantity_words", ""),
                kind=p.get("kind", m.Kind.INITIATION), unit=p.get("unit", ""),
                appropriate_date=_date(p.get("appropriate_date", ""), "appropriate_date"),
                shared_care_agreement=p.get("shared_care_agreement") == "on",
            )  # fmt: skip
            return redirect("medicines:rx", rx_id=rx.pk)
        except ActionError as exc:
            errors, status = _shown(exc), 422
    return render(request, "medicines/rx_new.html", {
        "patient": patient, "errors": errors, "data": request.POST,
        "products": m.Product.objects.filter(active=True), "kinds": m.Kind.choices,
        "unit_choices": m.Unit.choices,
    }, status=status)  # fmt: skip


def _issue_rows(rx: m.Prescription, data: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    """Each pending issue with its override field name, typed value and error."""
    rows = []
    for issue in actions.pending_issues(rx):
        name = f"override_{issue['code']}"
        error = errors.get(name) or errors.get(f"issue_{issue['code']}", "")
        rows.append({**issue, "field_name": name, "value": data.get(name, ""), "error": error})
    return rows


def _current_medicines(rx: m.Prescription) -> str:
    """Pre-fill: medicines the patient is still taking (no stop date, not failed), other than
    the CBPM treatment that signing an initiation records (ADR 0091)."""
    names = (
        rx.patient.treatments.filter(
            stopped_on__isnull=True, effect__in=("ongoing", "helped", "partial")
        )
        .exclude(name="")
        .exclude(category="cbpm")
        .values_list("name", flat=True)
    )
    return "\n".join(names)


#: Labels for the errors the prescription page shows above a form (not next to their field), so
#: each message names its field.
RX_FIELD_LABELS = {
    **dict(FACT_LABELS),
    **dict(LFT_LABELS),
    "hepatic_impairment": "Hepatic impairment",
    "current_medicines": "Current medicines",
    "driving_note": "Note on driving advice",
    "reason": "Reason",
    "product": "Product",
    "kind": "Kind",
    "dose": "Dose",
    "unit": "Unit",
    "daily_amount": "Total per day",
    "quantity": "Total quantity",
    "quantity_words": "Total quantity in words",
    "appropriate_date": "Not to be supplied before",
}


def _labelled(errors: dict[str, str]) -> dict[str, str]:
    """Each error as "<field label>: <message>" (a general error as it is)."""
    return {
        k: v
        if k == "general"
        else f"{RX_FIELD_LABELS.get(k, k.replace('_', ' ').capitalize())}: {v}"
        for k, v in errors.items()
    }


# Sign errors that are not shown next to an issue or the driving-advice box: shown above the
# sign button (Schedule 2 content, signer rules, eligibility).
_SIGN_FIELD_PREFIXES = ("override_", "issue_", "driving_advice_given", "status", "reason")


def _rx_page(
    request: HttpRequest,
    rx: m.Prescription,
    errors: dict[str, str] | None = None,
    status: int = 200,
    *,
    failed: str = "",
) -> HttpResponse:
    """The prescription page; ``failed`` names the form whose errors are shown (check, sign,
    end, change), so each error appears once, next to the form that was sent."""
    data = request.POST if request.method == "POST" else {}
    labelled = _labelled(errors or {})
    sign_errors = [(k, v) for k, v in labelled.items() if not k.startswith(_SIGN_FIELD_PREFIXES)]
    return render(request, "medicines/rx.html", {
        "rx": rx, "patient": rx.patient, "errors": errors or {}, "labelled": labelled, "data": data,
        "check_failed": failed == "check", "sign_failed": failed == "sign",
        "end_failed": failed == "end", "change_failed": failed == "change",
        "sign_errors": sign_errors,
        "issues": _issue_rows(rx, data, errors or {}), "events": rx.allowed_events(),
        "can_check": "check" in rx.allowed_events(),
        "can_sign": "sign" in rx.allowed_events()
        and has_perm(request.user, perms.SIGN_PRESCRIPTION),
        "can_stop": "stop" in rx.allowed_events()
        and has_perm(request.user, perms.SIGN_PRESCRIPTION),
        "can_cancel": "cancel" in rx.allowed_events(),
        "can_change": "change" in rx.allowed_events()
        and has_perm(request.user, perms.SIGN_PRESCRIPTION),
        "transitions": rx.transitions.select_related("by"),
        "overrides": rx.overrides.select_related("overridden_by"),
        "fact_rows": [(n, label, data.get(n) == "on") for n, label in FACT_LABELS],
        "lft_rows": [(n, label, data.get(n, "")) for n, label in LFT_LABELS],
        "hepatic_selected": data.get("hepatic_impairment", "none"),
        "medicines_text": data.get("current_medicines") if data else _current_medicines(rx),
        "hepatic_levels": ("none", "mild", "moderate", "severe"),
        "followup": followup_note(
            actions.signing_followup(rx), has_email=bool(rx.patient.email)
        ),
    }, status=status)  # fmt: skip


@require(perms.DRAFT_PRESCRIPTION)
def rx_detail(request: HttpRequest, rx_id: int) -> HttpResponse:
    return _rx_page(request, _rx(request, rx_id))


@require(perms.DRAFT_PRESCRIPTION)
@require_POST
def rx_check(request: HttpRequest, rx_id: int) -> HttpResponse:
    rx = _rx(request, rx_id)
    p = request.POST
    facts: dict[str, Any] = {k: True for k, _ in FACT_LABELS if p.get(k) == "on"}
    if p.get("hepatic_impairment", "none") != "none":
        facts["hepatic_impairment"] = p["hepatic_impairment"]
    for k, _ in LFT_LABELS:
        if p.get(k, "").strip():
            facts[k] = p[k].strip()
    medicines = [
        line.strip() for line in p.get("current_medicines", "").splitlines() if line.strip()
    ]
    try:
        refuse_control_characters(request.POST)
        actions.check_prescription_draft(
            by=request.user,
            request=request,
            prescription=rx,
            facts=facts,
            current_medicines=medicines,
        )
    except ActionError as exc:
        return _rx_page(request, rx, _shown(exc), 422, failed="check")
    return redirect("medicines:rx", rx_id=rx.pk)


@require(perms.SIGN_PRESCRIPTION)
@require_POST
def rx_sign(request: HttpRequest, rx_id: int) -> HttpResponse:
    rx = _rx(request, rx_id)
    p = request.POST
    overrides = {
        k.removeprefix("override_"): v
        for k, v in p.items()
        if k.startswith("override_") and v.strip()
    }
    try:
        refuse_control_characters(request.POST)
        actions.sign_prescription(
            by=request.user, request=request, prescription=rx, overrides=overrides,
            driving_advice_given=p.get("driving_advice_given") == "on",
            driving_note=p.get("driving_note", ""),
        )  # fmt: skip
    except ActionError as exc:
        return _rx_page(request, rx, _shown(exc), 422, failed="sign")
    return redirect("medicines:rx", rx_id=rx.pk)


@require(perms.DRAFT_PRESCRIPTION)
@require_POST
def rx_end(request: HttpRequest, rx_id: int, event: str) -> HttpResponse:
    rx = _rx(request, rx_id)
    try:
        refuse_control_characters(request.POST)
        actions.end_prescription(
            by=request.user,
            request=request,
            prescription=rx,
            event=event,
            reason=request.POST.get("reason", ""),
        )
    except ActionError as exc:
        return _rx_page(request, rx, _shown(exc), 422, failed="end")
    return redirect("medicines:rx", rx_id=rx.pk)


@require(perms.SIGN_PRESCRIPTION)
@require_POST
def rx_change(request: HttpRequest, rx_id: int) -> HttpResponse:
    """Change a signed prescription: a new draft (to check and sign) replaces it."""
    rx = _rx(request, rx_id)
    p = request.POST
    changes = {
        k: p[k]
        for k in ("dose", "daily_amount", "quantity", "quantity_words", "unit")
        if p.get(k, "").strip()
    }
    try:
        refuse_control_characters(request.POST)
        new = actions.change_prescription(
            by=request.user, request=request, prescription=rx, reason=p.get("reason", ""), **changes
        )
    except ActionError as exc:
        return _rx_page(request, rx, _shown(exc), 422, failed="change")
    return redirect("medicines:rx", rx_id=new.pk)


def _rx_print_context(request: HttpRequest, rx_id: int) -> dict[str, Any]:
    rx = _rx(request, rx_id)
    result = core.check_prescription(
        actions.to_core_prescription(
            rx,
            signer=rx.signed_by or request.user,
            today=rx.date_signed or timezone.localdate(),
            signed=rx.signed_by is not None,
        ),
        timezone.localdate(),
    )
    return {
        "rx": rx,
        "patient": rx.patient,
        "prescriber": rx.signed_by,
        "valid_until": result.valid_until,
        "not_before": rx.appropriate_date
        if rx.appropriate_date and rx.date_signed and rx.appropriate_date > rx.date_signed
        else None,
        "strength": rx.product.strength_text,
    }


@require(perms.DRAFT_PRESCRIPTION)
def rx_print(request: HttpRequest, rx_id: int) -> HttpResponse:
    return render(request, "medicines/rx_print.html", _rx_print_context(request, rx_id))


@require(perms.DRAFT_PRESCRIPTION)
def rx_pdf(request: HttpRequest, rx_id: int) -> HttpResponse:
    return _pdf(
        request,
        "medicines/rx_document.html",
        _rx_print_context(request, rx_id),
        f"prescription-{rx_id}.pdf",
    )


# --- the prescribing log ---------------------------------------------------------------------


def _log_rows(request: HttpRequest) -> QuerySet[m.PrescribingLogEntry]:
    rows = m.PrescribingLogEntry.objects.order_by("at", "id")
    patient_id = _id(request.GET.get("patient", ""))
    if patient_id is not None:
        rows = rows.filter(patient_id=patient_id)
    return rows


@require(perms.EXPORT_PRESCRIBING_LOG)
def log_list(request: HttpRequest) -> HttpResponse:
    """The newest log entries (the read is audited, like the export)."""
    audit(
        actor=request.user,
        action="read",
        object_type="medicines.prescribinglog",
        request=request,
        detail={"patient": request.GET.get("patient", "")},
    )
    rows = _log_rows(request).order_by("-at", "-id")[:200]
    return render(
        request, "medicines/log.html", {"entries": rows, "patient": request.GET.get("patient", "")}
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


LOG_COLUMNS = (
    "id",
    "at",
    "event",
    "actor",
    "actor_role",
    "actor_gmc_number",
    "patient_id",
    "prescription_id",
    "summary",
    "reason",
    "actor_username",
    "actor_id",
    "detail",
)


@require(perms.EXPORT_PRESCRIBING_LOG)
def log_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The log as CSV for an inspector (streamed; the export itself is audited)."""
    audit(
        actor=request.user,
        action="export",
        object_type="medicines.prescribinglog",
        request=request,
        detail={"patient": request.GET.get("patient", "")},
    )
    writer = csv.writer(_Echo())

    def rows() -> Any:
        yield writer.writerow(LOG_COLUMNS)
        for e in _log_rows(request).select_related("actor").iterator(chunk_size=1000):
            yield writer.writerow([
                e.pk, e.at.isoformat(), e.event, e.actor_name, e.actor_role,
                e.actor_gmc_number, e.patient_id or "", e.prescription_id or "",
                _csv_safe(e.summary), _csv_safe(e.reason), e.actor.get_username(), e.actor_id,
                json.dumps(e.detail, sort_keys=True),
            ])  # fmt: skip

    response = StreamingHttpResponse(rows(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="prescribing-log.csv"'
    return response


def _csv_safe(text: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection) in free text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
