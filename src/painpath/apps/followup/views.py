"""Follow-up pages: the patient's questionnaires by secure link (no login) or in the portal,
and the clinic's per-patient follow-up status (start a plan, withdraw or resend a link).

A link that does not work gets a clear page with its status (404 forged or unknown, 410 used /
replaced / expired / closed, 403 withdrawn, 429 too many bad links) and nothing is saved. A form
with a refused answer comes back (422) naming each field, the saved draft untouched. Pages that
carry a link are never cached and send no Referer to other sites (the token is in the URL).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from painpath.apps.accounts.permissions import MANAGE_FOLLOWUP, USE_PORTAL, require
from painpath.apps.errors import ActionError, refuse_control_characters
from painpath.apps.followup import actions, links, presenters, selectors
from painpath.apps.followup.answers import SetAnswers, parse_form
from painpath.apps.followup.models import (
    FollowUpDraft,
    FollowUpLink,
    FollowUpPlan,
    FollowUpSet,
    PainMeasure,
    Region,
)
from painpath.apps.patients.models import Treatment
from painpath.apps.patients.selectors import get_patient_for
from painpath.typed_numbers import ascii_integer

log = logging.getLogger(__name__)


def _private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """No caching, not indexed, no Referer to other sites: the page's URL may hold a secret
    token. (``no-referrer`` would make browsers send ``Origin: null`` on the form's POST, which
    the CSRF check rightly refuses; ``same-origin`` keeps the token on this site.)"""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        if response.status_code >= 400:
            # Django's request log would print the path, and with it the link's token.
            response._has_been_logged = True  # type: ignore[attr-defined]
            log.info("follow-up page answered %s", response.status_code)
        return response

    return never_cache(wrapped)


def _see_other(url: str) -> HttpResponse:
    """303 See Other: after a patient's POST, the browser GETs the next page."""
    response = HttpResponse(status=303)
    response["Location"] = url
    return response


def _problem(request: HttpRequest, problem: links.LinkProblem) -> HttpResponse:
    return render(
        request, "followup/link_problem.html", links.describe(problem), status=problem.status
    )


def _draft_answers(s: FollowUpSet) -> SetAnswers:
    try:
        draft = s.draft
    except FollowUpDraft.DoesNotExist:
        return SetAnswers()
    return SetAnswers.from_json(draft.answers, draft.side_effects, draft.red_flags)


def _questionnaire(
    request: HttpRequest,
    s: FollowUpSet,
    *,
    link: FollowUpLink | None,
    by: Any,
    action_url: str,
) -> HttpResponse:
    """The questionnaire page of set ``s`` (GET), saving a draft or submitting it (POST)."""
    region = s.plan.region
    status = 200
    errors: dict[str, str] = {}
    got = _draft_answers(s)
    saved = request.GET.get("saved") == "1"
    if request.method == "POST":
        saved = False
        got, errors = parse_form(
            request.POST, s.instruments, ask_side_effects=s.ask_side_effects, region=region
        )
        try:
            refuse_control_characters(request.POST)
        except ActionError as exc:
            errors = {**errors, **exc.errors}
        intent = request.POST.get("action", "")
        if not errors and intent == "save":
            try:
                actions.save_draft(by=by, request=request, followup_set=s, link=link, answers=got)
            except links.LinkProblem as problem:
                return _problem(request, problem)
            except ActionError as exc:
                errors = exc.errors
            else:
                return _see_other(f"{action_url}?saved=1")
        elif not errors and intent == "submit":
            try:
                alerts = actions.submit_set(
                    by=by, request=request, followup_set=s, link=link, answers=got
                )
            except links.LinkProblem as problem:
                return _problem(request, problem)
            except ActionError as exc:
                s.refresh_from_db(fields=["status"])
                if not s.is_open:  # answered a moment ago (another tab, the portal)
                    return _problem(request, links.LinkProblem("closed", s))
                errors = exc.errors
            else:
                urgent = any(a.kind == "red_flag" for a in alerts)
                return _see_other(reverse("followup:thanks") + ("?urgent=1" if urgent else ""))
        elif not errors:
            errors = {"action": "choose Save and finish later, or Send my answers"}
        status = 422
    blocks = presenters.form_blocks(s, got, errors, region)
    context = {
        "set": s,
        "first_name": s.patient.given_name.split()[0] if s.patient.given_name.strip() else "",
        "last_day": presenters.last_day(s),
        "blocks": blocks,
        "errors": presenters.error_summary(errors, blocks),
        "saved": saved,
        "action_url": action_url,
    }
    return render(request, "followup/fill.html", context, status=status)


@_private
@require_http_methods(["GET", "POST"])
def fill(request: HttpRequest, token: str) -> HttpResponse:
    """A patient's set by secure link: no login; the link reaches only this set."""
    try:
        link = links.resolve(token, request=request)
    except links.LinkProblem as problem:
        return _problem(request, problem)
    if request.method == "GET":
        links.audit_open(link, request)
    s = FollowUpSet.objects.select_related("patient", "plan", "draft").get(pk=link.followup_set_id)
    return _questionnaire(request, s, link=link, by=None, action_url=request.path)


@_private
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "followup/thanks.html", {"urgent": request.GET.get("urgent") == "1"})


@require(USE_PORTAL)
def portal(request: HttpRequest) -> HttpResponse:
    """A signed-in patient's follow-up sets to answer now."""
    patient = selectors.portal_patient(request.user)
    rows: list[dict[str, Any]] = []
    if patient is not None:
        get_patient_for(request.user, patient.pk, request=request)
        rows = presenters.portal_rows(selectors.answerable_sets(patient))
    return render(request, "followup/portal.html", {"rows": rows, "linked": patient is not None})


@_private
@require(USE_PORTAL)
@require_http_methods(["GET", "POST"])
def portal_set(request: HttpRequest, set_id: int) -> HttpResponse:
    """One of the signed-in patient's own sets (any other set: 404, nothing said about it)."""
    patient = selectors.portal_patient(request.user)
    s = (
        FollowUpSet.objects.select_related("patient", "plan", "draft")
        .filter(pk=set_id, patient=patient)
        .first()
        if patient is not None
        else None
    )
    if s is None:
        raise Http404("no such follow-up set")
    if not s.is_open:
        return _problem(request, links.LinkProblem("closed", s))
    get_patient_for(request.user, patient.pk, request=request)  # type: ignore[union-attr]
    url = reverse("followup:portal_set", args=[s.pk])
    return _questionnaire(request, s, link=None, by=request.user, action_url=url)


# --- clinic -----------------------------------------------------------------------------------


def _clinic_context(patient: Any) -> dict[str, Any]:
    sets = selectors.patient_sets(patient)
    plan = selectors.active_plan(patient)
    return {
        "patient": patient,
        "plan": plan,
        "treatment_stopped": presenters.treatment_stopped(plan),
        "plans": selectors.plans(patient),
        "rows": presenters.clinic_set_rows(
            sets, selectors.latest_links(sets), has_email=bool(patient.email)
        ),
        "treatments": list(Treatment.objects.filter(patient=patient).order_by("-started_on")),
        "regions": Region.choices,
        "pain_measures": PainMeasure.choices,
        "data": {"region": "", "pain_measure": "nrs", "started_on": "", "treatment": ""},
        "errors": {},
    }


@require(MANAGE_FOLLOWUP)
def patient(request: HttpRequest, patient_id: int) -> HttpResponse:
    """A patient's follow-up: plan, each set's status and link; start, withdraw, resend."""
    p = get_patient_for(request.user, patient_id, request=request)
    return render(request, "followup/patient.html", _clinic_context(p))


@require(MANAGE_FOLLOWUP)
@require_POST
def start(request: HttpRequest, patient_id: int) -> HttpResponse:
    p = get_patient_for(request.user, patient_id, request=request)
    data = {k: request.POST.get(k, "").strip() for k in ("region", "pain_measure", "started_on")}
    data["treatment"] = request.POST.get("treatment", "")
    treatment_id = ascii_integer(data["treatment"], max_digits=18)
    treatment = None
    if treatment_id is not None:
        treatment = Treatment.objects.filter(pk=treatment_id, patient=p).first()
    try:
        refuse_control_characters(request.POST)
        if data["treatment"] and treatment is None:
            raise ActionError({"treatment": "choose one of this patient's treatments"})
        actions.start_plan(
            by=request.user,
            request=request,
            patient=p,
            treatment=treatment,
            started_on=data["started_on"] or None,
            region=data["region"] or None,
            pain_measure=data["pain_measure"] or PainMeasure.NRS,
        )
    except ActionError as exc:
        context = _clinic_context(p)
        context.update({"data": data, "errors": exc.errors})
        return render(request, "followup/patient.html", context, status=422)
    return redirect("followup:patient", patient_id=p.pk)


def _clinic_set(request: HttpRequest, set_id: int) -> FollowUpSet:
    s = get_object_or_404(FollowUpSet.objects.select_related("patient"), pk=set_id)
    get_patient_for(request.user, s.patient_id, request=request)
    return s


def _refused(request: HttpRequest, s: FollowUpSet, exc: ActionError) -> HttpResponse:
    context = _clinic_context(s.patient)
    context["errors"] = exc.errors
    return render(request, "followup/patient.html", context, status=409)


@require(MANAGE_FOLLOWUP)
@require_POST
def revoke(request: HttpRequest, set_id: int) -> HttpResponse:
    s = _clinic_set(request, set_id)
    try:
        actions.revoke_link(by=request.user, request=request, followup_set=s)
    except ActionError as exc:
        return _refused(request, s, exc)
    return redirect("followup:patient", patient_id=s.patient_id)


@require(MANAGE_FOLLOWUP)
@require_POST
def resend(request: HttpRequest, set_id: int) -> HttpResponse:
    s = _clinic_set(request, set_id)
    try:
        actions.resend_link(by=request.user, request=request, followup_set=s)
    except ActionError as exc:
        return _refused(request, s, exc)
    return redirect("followup:patient", patient_id=s.patient_id)


@require(MANAGE_FOLLOWUP)
@require_POST
def stop(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(FollowUpPlan, pk=plan_id)
    p = get_patient_for(request.user, plan.patient_id, request=request)
    try:
        actions.stop_plan(by=request.user, request=request, plan=plan)
    except ActionError as exc:
        context = _clinic_context(p)
        context["errors"] = exc.errors
        return render(request, "followup/patient.html", context, status=409)
    return redirect("followup:patient", patient_id=p.pk)
