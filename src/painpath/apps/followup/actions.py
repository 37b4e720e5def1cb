"""Writes to follow-up plans and sets. Keyword-only, ``by=`` the acting user (None: the patient
through a secure link, already resolved by ``links.resolve``), one transaction each, audited
(ids only), ActionError naming the field for refused input, so nothing is ever half-saved.

Submitting a set is ONE transaction (ADR 0070, 0090): every questionnaire recorded with its
score (``record_questionnaire``, source home, which raises the PHQ-9 item 9 alert), the review
(``review_followup_submission``: side effects, red flags graded by triage, deterioration), the
set completed, the link consumed and the draft removed, or none of it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from painpath.apps.accounts.permissions import MANAGE_FOLLOWUP
from painpath.apps.assessments.actions import record_questionnaire
from painpath.apps.assessments.models import Assessment
from painpath.apps.audit import services as audit
from painpath.apps.audit.models import AuditAction
from painpath.apps.errors import ActionError
from painpath.apps.followup import conf, tokens
from painpath.apps.followup.answers import (
    SetAnswers,
    check_complete,
    red_flag_findings,
    side_effects_for_review,
)
from painpath.apps.followup.links import LinkProblem, problem_with
from painpath.apps.followup.models import (
    FollowUpDraft,
    FollowUpLink,
    FollowUpPlan,
    FollowUpSet,
    MessageKind,
    OutboundMessage,
    PainMeasure,
    PlanStatus,
    Region,
    RevokeReason,
)
from painpath.apps.outcomes.actions import review_followup_submission
from painpath.apps.patients.actions import _check_perm, add_treatment, parse_date
from painpath.apps.patients.models import Alert, Patient, Treatment, TreatmentEffect
from painpath.clinical.errors import InvalidInput
from painpath.clinical.followup.reminders import Action, ReminderPolicy, next_action, send_instant
from painpath.clinical.followup.schedule import ScheduledSet, schedule_sets
from painpath.clinical.followup.states import SetEvent, SetStatus, transition

LINK_ACTOR = "followup-link"


# --- time -------------------------------------------------------------------------------------


def local_date(at: dt.datetime) -> dt.date:
    return timezone.localtime(at, conf.local_zone()).date()


def at_send_time(day: dt.date) -> dt.datetime:
    """The instant emails for ``day`` go out: the clinic's send time, local (ADR 0077)."""
    return send_instant(day, conf.send_time(), conf.local_zone())


def at_midnight(day: dt.date) -> dt.datetime:
    return send_instant(day, dt.time(0, 0), conf.local_zone())


def set_next_action(
    s: FollowUpSet, *, today: dt.date, can_send: bool, policy: ReminderPolicy | None = None
) -> Action | None:
    """The core's next action for ``s`` from every field it depends on (one place for the
    actions and the scheduler, so both judge a set alike)."""
    return next_action(
        status=s.status,
        due_on=s.due_on,
        closes_on=s.window_closes_on,
        sent_on=s.sent_on,
        reminders_sent=s.reminders_sent,
        today=today,
        policy=policy or conf.reminder_policy(),
        can_send=can_send,
        last_message_on=s.last_message_on,
    )


def next_action_at(s: FollowUpSet, *, today: dt.date, can_send: bool) -> dt.datetime | None:
    """When the scheduler must next look at ``s`` (the core's next action, at local time)."""
    action = set_next_action(s, today=today, can_send=can_send)
    return None if action is None else action_instant(action)


def action_instant(action: Action) -> dt.datetime:
    """When ``action`` is due: a missed set at the local midnight that closes its window, an
    email at the clinic's send time."""
    return at_midnight(action.on) if action.event == SetEvent.MISS else at_send_time(action.on)


# --- plans ------------------------------------------------------------------------------------


def planned_set(plan: FollowUpPlan, planned: ScheduledSet) -> FollowUpSet:
    """An unsaved set of ``plan`` from the schedule's ``planned`` set (status due)."""
    return FollowUpSet(
        plan=plan,
        patient=plan.patient,
        timepoint=planned.timepoint,
        position=planned.position,
        due_on=planned.due_on,
        closes_on=planned.closes_on,
        instruments=list(planned.instruments),
        ask_side_effects=planned.ask_side_effects,
    )


def default_region(patient: Patient) -> str:
    latest = (
        Assessment.objects.filter(patient=patient)
        .order_by("-performed_at", "-id")
        .values_list("region", flat=True)
        .first()
    )
    return latest if latest in Region.values else Region.LOW_BACK


@transaction.atomic
def start_plan(
    *,
    by: Any,
    request: HttpRequest | None = None,
    patient: Patient,
    treatment: Treatment | None = None,
    started_on: dt.date | str | None = None,
    region: str | None = None,
    pain_measure: str = PainMeasure.NRS,
    schedule: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> FollowUpPlan:
    """Start a follow-up plan with all its sets (baseline, 2 weeks, 1, 3, 6, 12 months, then
    6-monthly to the horizon; the clinic's schedule with this plan's ``schedule`` on top).

    ``started_on`` defaults to today and may be up to 28 days back or 90 ahead (settings); sets
    whose window had closed by today are not created (ADR 0077). One active plan per patient.
    ``today`` is the caller's today (an action that takes one, like signing a prescription,
    passes its own so both agree); the clinic's local date otherwise.
    """
    _check_perm(by, MANAGE_FOLLOWUP)
    errors: dict[str, str] = {}
    today = today or timezone.localdate()
    start = parse_date(started_on, "started_on", errors, required=False) or today
    past, future = conf.start_window()
    if "started_on" not in errors:
        if start < today - dt.timedelta(days=past):
            errors["started_on"] = f"must be within the last {past} days (YYYY-MM-DD)"
        elif start > today + dt.timedelta(days=future):
            errors["started_on"] = f"must be within the next {future} days (YYYY-MM-DD)"
    region = region or default_region(patient)
    if region not in Region.values:
        errors["region"] = f"must be one of: {', '.join(Region.values)}"
    if pain_measure not in PainMeasure.values:
        errors["pain_measure"] = f"must be one of: {', '.join(PainMeasure.values)}"
    if treatment is not None and treatment.patient_id != patient.pk:
        errors["treatment"] = "belongs to another patient"
    config = None
    try:
        config = conf.clinic_schedule(schedule)
    except InvalidInput as exc:
        errors[exc.field or "schedule"] = str(exc)
    if FollowUpPlan.objects.filter(patient=patient, status=PlanStatus.ACTIVE).exists():
        errors["plan"] = "this patient already has an active follow-up plan; stop it first"
    if errors:
        raise ActionError(errors)
    assert config is not None
    try:
        with transaction.atomic():
            plan = FollowUpPlan.objects.create(
                patient=patient,
                treatment=treatment,
                started_on=start,
                region=region,
                pain_measure=pain_measure,
                schedule=config.to_dict(),
                created_by=by,
            )
    except IntegrityError as exc:  # a concurrent start for the same patient
        raise ActionError(
            {"plan": "this patient already has an active follow-up plan; stop it first"}
        ) from exc
    can_send = bool(patient.email)
    rows = []
    for planned in schedule_sets(
        start, config, region=region, pain_measure=pain_measure, today=today
    ):
        s = planned_set(plan, planned)
        s.next_action_at = next_action_at(s, today=today, can_send=can_send)
        rows.append(s)
    FollowUpSet.objects.bulk_create(rows)
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        object_type="followup_plan",
        object_id=plan.pk,
        patient_id=patient.pk,
        request=request,
        detail={"sets": len(rows), "treatment_id": treatment.pk if treatment else None},
    )
    return plan


@transaction.atomic
def stop_plan(*, by: Any, request: HttpRequest | None = None, plan: FollowUpPlan) -> FollowUpPlan:
    """Stop a plan: its open sets are cancelled and their links revoked (answered ones stay)."""
    _check_perm(by, MANAGE_FOLLOWUP)
    locked = FollowUpPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != PlanStatus.ACTIVE:
        raise ActionError({"plan": "is already stopped"})
    now = timezone.now()
    locked.status, locked.stopped_at, locked.stopped_by = PlanStatus.STOPPED, now, by
    locked.save(update_fields=["status", "stopped_at", "stopped_by"])
    open_sets = list(
        FollowUpSet.objects.select_for_update().filter(
            plan=locked, status__in=[SetStatus.DUE, SetStatus.SENT, SetStatus.REMINDED]
        )
    )
    for s in open_sets:
        s.status = transition(s.status, SetEvent.CANCEL)
        s.next_action_at = None
    FollowUpSet.objects.bulk_update(open_sets, ["status", "next_action_at"])
    FollowUpLink.objects.filter(
        followup_set__in=open_sets, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now, revoked_by=by, revoke_reason=RevokeReason.CLOSED)
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        object_type="followup_plan",
        object_id=locked.pk,
        patient_id=locked.patient_id,
        request=request,
        detail={"stopped": True, "cancelled_sets": len(open_sets)},
    )
    plan.status, plan.stopped_at, plan.stopped_by = locked.status, now, by
    return plan


@transaction.atomic
def add_treatment_with_plan(
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
) -> tuple[Treatment, FollowUpPlan]:
    """Record a treatment (``patients.actions.add_treatment``, every check it makes) and start a
    follow-up plan linked to it from its start date (today when none), in ONE transaction: a
    plan that cannot start leaves no treatment behind (ADR 0091).

    Only for a treatment still going on: one that has already stopped is refused (follow-up
    measures a treatment from its start). Refusals of the plan are named ``start_followup`` so
    the form shows them beside the box that asked for it.
    """
    _check_perm(by, MANAGE_FOLLOWUP)
    errors: dict[str, str] = {}
    if stopped_on not in (None, ""):
        errors["start_followup"] = (
            "is only for a treatment still going on: clear the stop date, or untick it"
        )
    try:
        treatment = add_treatment(
            by=by,
            request=request,
            patient=patient,
            category=category,
            name=name,
            started_on=started_on,
            stopped_on=stopped_on,
            effect=effect,
            reason_stopped=reason_stopped,
        )
    except ActionError as exc:
        raise ActionError({**exc.errors, **errors}) from None
    if errors:
        raise ActionError(errors)  # the treatment just written is rolled back with this
    try:
        plan = start_plan(
            by=by, request=request, patient=patient, treatment=treatment,
            started_on=treatment.started_on,
        )  # fmt: skip
    except ActionError as exc:
        raise ActionError({"start_followup": plan_refusal(exc.errors)}) from None
    return treatment, plan


def plan_refusal(errors: Mapping[str, str]) -> str:
    """``start_plan``'s refusal as one sentence for a form that started it on the way."""
    past, _ = conf.start_window()
    parts = []
    for field, message in errors.items():
        if field == "started_on":
            parts.append(
                f"follow-up can start only with a treatment started in the last {past} days "
                "(untick it; a plan from today can be started on the follow-up page)"
            )
        elif field == "plan":
            parts.append(message)
        else:
            parts.append(f"{field} {message}")
    return "could not start: " + "; ".join(parts)


# --- links ------------------------------------------------------------------------------------


def new_link(s: FollowUpSet, *, by: Any = None, now: dt.datetime) -> FollowUpLink:
    """A fresh link for ``s`` (any live one is replaced), valid until the window closes."""
    FollowUpLink.objects.filter(
        followup_set=s, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now, revoke_reason=RevokeReason.REPLACED)
    return FollowUpLink.objects.create(**link_fields(s, by=by))


def link_fields(s: FollowUpSet, *, by: Any = None) -> dict[str, Any]:
    nonce = tokens.new_nonce()
    return {
        "followup_set": s,
        "nonce": nonce,
        "token_hash": tokens.token_hash(tokens.token_for(nonce)),
        "expires_at": at_midnight(s.window_closes_on),
        "created_by": by if getattr(by, "is_authenticated", False) else None,
    }


def current_link(link: FollowUpLink) -> FollowUpLink:
    """``link``, or a replacement when the secret key changed since it was made (its token can
    no longer be derived; ADR 0078)."""
    if tokens.token_hash(tokens.token_for(link.nonce)) == link.token_hash:
        return link
    with transaction.atomic():
        s = FollowUpSet.objects.select_for_update().get(pk=link.followup_set_id)
        return new_link(s, now=timezone.now())


def link_url(link: FollowUpLink) -> str:
    from django.urls import reverse

    path = reverse("followup:fill", args=[tokens.url_token(link.nonce)])
    return f"{conf.base_url()}{path}"


def _lock_open_set(followup_set: FollowUpSet) -> FollowUpSet:
    s = FollowUpSet.objects.select_for_update().select_related("patient").get(pk=followup_set.pk)
    if not s.is_open:
        raise ActionError({"set": f"is {s.status}; only an open set can be changed"})
    return s


@transaction.atomic
def revoke_link(
    *, by: Any, request: HttpRequest | None = None, followup_set: FollowUpSet
) -> FollowUpLink:
    """Withdraw the set's live link (e.g. sent to a wrong address); the set stays open."""
    _check_perm(by, MANAGE_FOLLOWUP)
    s = FollowUpSet.objects.select_for_update().get(pk=followup_set.pk)
    link = (
        FollowUpLink.objects.select_for_update()
        .filter(followup_set=s, used_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if link is None:
        raise ActionError({"link": "there is no live link to revoke"})
    link.revoked_at, link.revoked_by = timezone.now(), by
    link.revoke_reason = RevokeReason.CLINICIAN
    link.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        object_type="followup_link",
        object_id=link.pk,
        patient_id=s.patient_id,
        request=request,
        detail={"revoked": True, "set_id": s.pk},
    )
    return link


def resend_link(
    *, by: Any, request: HttpRequest | None = None, followup_set: FollowUpSet
) -> OutboundMessage:
    """A new link by email now (the old one stops working): claimed in the outbox in one
    transaction, then delivered like the scheduler's messages (exactly once, ADR 0079)."""
    from painpath.apps.followup import scheduler

    _check_perm(by, MANAGE_FOLLOWUP)
    worker = f"web:{os.getpid()}"
    with transaction.atomic():
        s = _lock_open_set(followup_set)
        now = timezone.now()
        today = local_date(now)
        if today >= s.window_closes_on:
            raise ActionError({"set": "its window has closed; it can no longer be answered"})
        if s.due_on > today:
            raise ActionError({"set": f"is not due until {s.due_on:%d %b %Y}"})
        if not s.patient.email:
            raise ActionError(
                {"email": "the patient has no email address; add one, or use the portal"}
            )
        event = SetEvent.SEND if s.status == SetStatus.DUE else SetEvent.RESEND
        s.status = transition(s.status, event)
        if event == SetEvent.SEND:
            s.sent_on = today
        link = new_link(s, by=by, now=now)
        number = OutboundMessage.objects.filter(followup_set=s, kind=MessageKind.RESEND).count()
        message = OutboundMessage.objects.create(
            followup_set=s,
            link=link,
            kind=MessageKind.RESEND,
            number=number + 1,
            key=scheduler.message_key(s.pk, MessageKind.RESEND, number + 1),
            claimed_by=worker,
            lease_until=now + conf.lease(),
            attempts=1,
        )
        s.next_action_at = next_action_at(s, today=today, can_send=True)
        s.save(update_fields=["status", "sent_on", "next_action_at"])
        audit.record(
            actor=by,
            action=AuditAction.UPDATE,
            object_type="followup_set",
            object_id=s.pk,
            patient_id=s.patient_id,
            request=request,
            detail={"event": str(event), "link_id": link.pk, "message_id": message.pk},
        )
    scheduler.deliver([message.pk], worker=worker)
    message.refresh_from_db()
    return message


# --- the patient's answers --------------------------------------------------------------------


def _check_link(s: FollowUpSet, link: FollowUpLink | None, now: dt.datetime) -> None:
    """Under the set's lock: a link must still be live (it may have been used a moment ago)."""
    if link is None:
        return
    locked = FollowUpLink.objects.select_for_update().get(pk=link.pk)
    if locked.followup_set_id != s.pk:
        raise LinkProblem("unknown")
    reason = problem_with(locked, s, now)
    if reason is not None:
        raise LinkProblem(reason, s)


def _actor(by: Any) -> Any:
    return by if by is not None else LINK_ACTOR


def _check_portal_user(by: Any, s: FollowUpSet) -> None:
    """A signed-in patient may answer only their own sets (clinicians answer in clinic)."""
    if by is None:
        return
    if not (getattr(by, "is_authenticated", False) and s.patient.user_id == by.pk):
        raise ActionError({"set": "is not one of your follow-up sets"})


@transaction.atomic
def save_draft(
    *,
    by: Any = None,
    request: HttpRequest | None = None,
    followup_set: FollowUpSet,
    link: FollowUpLink | None = None,
    answers: SetAnswers,
) -> FollowUpDraft:
    """Keep partial answers to finish later (never scored). The link stays usable until the set
    is submitted (ADR 0078)."""
    now = timezone.now()
    s = _lock_open_set(followup_set)
    _check_portal_user(by, s)
    _check_link(s, link, now)
    data = answers.to_json()
    draft, created = FollowUpDraft.objects.get_or_create(
        followup_set=s, defaults={**data, "saved_at": now}
    )
    if not created:
        draft.answers, draft.side_effects, draft.red_flags = (
            data["answers"],
            data["side_effects"],
            data["red_flags"],
        )
        draft.saved_at, draft.saves = now, draft.saves + 1
        draft.save()
    audit.record(
        actor=_actor(by),
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        object_type="followup_draft",
        object_id=draft.pk,
        patient_id=s.patient_id,
        request=request,
        detail={"set_id": s.pk, "link_id": link.pk if link else None},
    )
    return draft


@transaction.atomic
def submit_set(
    *,
    by: Any = None,
    request: HttpRequest | None = None,
    followup_set: FollowUpSet,
    link: FollowUpLink | None = None,
    answers: SetAnswers,
) -> list[Alert]:
    """Complete a set: every questionnaire scored and stored, reviewed, the set completed and
    its link consumed, in one transaction. Returns the alerts raised (PHQ-9 item 9 by
    ``record_questionnaire``, the rest by the review).

    Refused (ActionError naming each field, nothing saved, the draft kept) when an answer is
    missing by the instrument's own rule or a side-effect / red-flag question is unanswered.
    """
    errors = check_complete(answers, ask_side_effects=followup_set.ask_side_effects)
    if set(answers.answers) != set(followup_set.instruments):
        errors["instruments"] = "the answers do not match this set's questionnaires"
    if errors:
        raise ActionError(errors)
    now = timezone.now()
    s = _lock_open_set(followup_set)
    _check_portal_user(by, s)
    _check_link(s, link, now)
    if local_date(now) >= s.window_closes_on:
        raise ActionError({"set": "its window has closed; it can no longer be answered"})
    responses = [
        record_questionnaire(
            by=by,
            request=request,
            patient=s.patient,
            instrument=code,
            answers=answers.answers[code],
            source="home",
            completed_at=now,
        )
        for code in s.instruments
    ]
    alerts = review_followup_submission(
        patient=s.patient,
        responses=responses,
        side_effects=side_effects_for_review(answers),
        red_flag_findings=red_flag_findings(answers),
        followup_set_id=s.pk,
    )
    alerts = [
        *Alert.objects.filter(
            source_type="questionnaire_response", source_id__in=[str(r.pk) for r in responses]
        ),
        *alerts,
    ]
    s.status = transition(s.status, SetEvent.COMPLETE)
    s.completed_at, s.next_action_at = now, None
    s.save(update_fields=["status", "completed_at", "next_action_at"])
    FollowUpLink.objects.filter(
        followup_set=s, used_at__isnull=True, revoked_at__isnull=True
    ).update(used_at=now)
    FollowUpDraft.objects.filter(followup_set=s).delete()
    audit.record(
        actor=_actor(by),
        action=AuditAction.UPDATE,
        object_type="followup_set",
        object_id=s.pk,
        patient_id=s.patient_id,
        request=request,
        detail={
            "event": "complete",
            "link_id": link.pk if link else None,
            "responses": [r.pk for r in responses],
            "alerts": [a.pk for a in alerts],
        },
    )
    followup_set.status, followup_set.completed_at = s.status, now
    return alerts
