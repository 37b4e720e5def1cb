"""Clinic pages for assessments (with the live triage) and questionnaire entry.

The triage is shown live as findings are ticked: the form posts to ``preview`` with HTMX, which
calls ``actions.preview_triage`` (nothing saved). Without JavaScript the form's "Show triage"
button posts the whole form back and the page re-renders with the preview. Saving calls
``actions.record_assessment`` (triage, ruleset, audit and any alert in one transaction).
Refused input re-shows the form with each field named (422), the answers kept, nothing saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from painpath.apps.accounts import permissions as perms
from painpath.apps.accounts.permissions import require
from painpath.apps.assessments import actions, forms, presenters
from painpath.apps.assessments.models import Assessment, QuestionnaireResponse
from painpath.apps.errors import ActionError, refuse_control_characters
from painpath.apps.patients import presenters as patient_presenters
from painpath.apps.patients.forms import error_list
from painpath.apps.patients.selectors import get_patient_for
from painpath.apps.patients.views import audit_role_denial
from painpath.clinical import instruments
from painpath.clinical.errors import InvalidInput


def _shown(exc: ActionError) -> dict[str, str]:
    return {("general" if k == "__all__" else k): v for k, v in exc.errors.items()}


def _with_patient(data: dict[str, Any], patient: Any) -> dict[str, Any]:
    """Age and sex from the record, as ``record_assessment`` fills them, so the preview and the
    stored triage see the same input."""
    full = dict(data)
    full.setdefault("age", patient_presenters.age_on(patient.date_of_birth, timezone.localdate()))
    full.setdefault("sex", patient.sex)
    return full


def _preview(post: Any, patient: Any) -> tuple[dict[str, Any] | None, dict[str, str]]:
    try:
        refuse_control_characters(post)
        data, _ = forms.assessment_data(post)
        result = actions.preview_triage(_with_patient(data, patient))
    except ActionError as exc:
        return None, _shown(exc)
    return presenters.triage_view(result.to_dict()), {}


def _screening(post: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    blocks = []
    for code in forms.SCREENING:
        shown = forms.wording(code)
        instrument = shown.instrument
        blocks.append(
            {
                "code": code,
                "title": instrument.title,
                "licence": instrument.licence,
                "wording": shown.kind,
                "problem": shown.problem,
                "items": forms.item_rows(instrument, post or {}, errors, f"{code}_"),
            }
        )
    return blocks


@audit_role_denial
@require(perms.EDIT_CLINICAL)
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id, request=request)
    post = request.POST if request.method == "POST" else None
    errors: dict[str, str] = {}
    triage = None
    status = 200
    if post is not None:
        if post.get("action") == "preview":
            triage, errors = _preview(post, patient)
            status = 422 if errors else 200
        else:
            try:
                refuse_control_characters(post)
                data, examination = forms.assessment_data(post)
                assessment = actions.record_assessment(
                    by=request.user,
                    request=request,
                    patient=patient,
                    data=_with_patient(data, patient),
                    examination=examination,
                )
            except ActionError as exc:
                errors, status = _shown(exc), 422
            else:
                messages.success(request, "Assessment saved with its triage.")
                return redirect("assessments:detail", assessment_id=assessment.pk)
    context = {
        "patient": patient_presenters.patient_header(patient),
        "regions": forms.REGIONS,
        "region": (post or {}).get("region", ""),
        "duration_weeks": (post or {}).get("duration_weeks", ""),
        "age_at_onset": (post or {}).get("age_at_onset", ""),
        "examination": (post or {}).get("examination", ""),
        "groups": presenters.finding_groups(post),
        "screening": _screening(post, errors),
        "errors": errors,
        "error_list": error_list(errors),
        "triage": triage,
    }
    return render(request, "assessments/new.html", context, status=status)


@audit_role_denial
@require(perms.EDIT_CLINICAL)
@require_POST
def assessment_preview(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The live triage (HTMX partial) for the form as it stands; nothing is saved.

    Refused input is shown in the partial naming the field (status 200 so HTMX swaps it in)."""
    patient = get_patient_for(request.user, patient_id, request=request)
    triage, errors = _preview(request.POST, patient)
    return render(
        request,
        "assessments/_triage_preview.html",
        {"triage": triage, "preview_errors": list(errors.values()), "oob": True},
    )


@require(perms.VIEW_CLINICAL)
def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = get_object_or_404(
        Assessment.objects.select_related("performed_by"), pk=assessment_id
    )
    patient = get_patient_for(request.user, assessment.patient_id, request=request)
    findings_vocab, _ = forms.vocabulary()
    findings = []
    for f in assessment.findings:
        code = f if isinstance(f, str) else f.get("code", "")
        meaning = getattr(findings_vocab.get(code), "meaning", code)
        extra = (
            ""
            if isinstance(f, str)
            else ", ".join(
                x
                for x in (
                    f"{f['days']} days" if f.get("days") is not None else "",
                    f.get("course", ""),
                )
                if x
            )
        )
        findings.append({"code": code, "meaning": meaning, "extra": extra})
    context = {
        "patient": patient_presenters.patient_header(patient),
        "assessment": assessment,
        "region": assessment.get_region_display(),
        "findings": findings,
        "triage": presenters.triage_view(assessment.triage or {}),
    }
    return render(request, "assessments/detail.html", context)


# --- questionnaires ----------------------------------------------------------------------------


def _instrument(code: str) -> forms.Wording:
    try:
        return forms.wording(code)
    except InvalidInput as exc:
        raise Http404("no such questionnaire") from exc


@audit_role_denial
@require(perms.EDIT_CLINICAL)
def questionnaire_choose(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id, request=request)
    rows = [
        {"code": i.code, "title": i.title, "items": len(i.items), "licence": i.licence,
         "full_text": i.full_text_allowed}
        for i in instruments.all_instruments()
    ]  # fmt: skip
    return render(
        request,
        "assessments/questionnaire_choose.html",
        {"patient": patient_presenters.patient_header(patient), "instruments": rows},
    )


@audit_role_denial
@require(perms.EDIT_CLINICAL)
@require_http_methods(["GET", "POST"])
def questionnaire_new(request: HttpRequest, patient_id: int, code: str) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id, request=request)
    shown = _instrument(code)
    instrument = shown.instrument
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            refuse_control_characters(request.POST)
            answers = forms.questionnaire_answers(request.POST, instrument)
            response = actions.record_questionnaire(
                by=request.user,
                request=request,
                patient=patient,
                instrument=instrument.code,
                answers=answers,
            )
        except ActionError as exc:
            errors, status = _shown(exc), 422
        else:
            messages.success(request, f"{instrument.title} saved and scored.")
            return redirect("assessments:response", response_id=response.pk)
    items = forms.item_rows(
        instrument, request.POST if request.method == "POST" else {}, errors, "item_"
    )
    summary = [
        {
            "anchor": row["options"][0]["id"],
            "label": f"Item {row['number']}",
            "message": row["error"],
        }
        for row in items
        if row["error"]
    ]
    summary += [
        {"anchor": "main", "label": k.replace("_", " ").capitalize(), "message": v}
        for k, v in errors.items()
        if not any(k in (r["name"], f"answers.{r['name'].removeprefix('item_')}") for r in items)
    ]
    context = {
        "patient": patient_presenters.patient_header(patient),
        "instrument": {
            "code": instrument.code,
            "title": instrument.title,
            "licence": instrument.licence,
            "wording": shown.kind,
            "problem": shown.problem,
            "missing_rule": instrument.missing_rule,
            "source": instrument.source,
        },
        "items": items,
        "error_list": summary,
    }
    return render(request, "assessments/questionnaire_new.html", context, status=status)


@require(perms.VIEW_CLINICAL)
def response_detail(request: HttpRequest, response_id: int) -> HttpResponse:
    response = get_object_or_404(QuestionnaireResponse, pk=response_id)
    patient = get_patient_for(request.user, response.patient_id, request=request)
    try:
        instrument = instruments.get(response.instrument)
    except InvalidInput:
        instrument = None
    context = {
        "patient": patient_presenters.patient_header(patient),
        "response": response,
        "score": presenters.score_view(response, instrument),
    }
    return render(request, "assessments/response.html", context)
