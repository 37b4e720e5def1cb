"""Signing a CBPM initiation starts the patient's CBPM treatment and follow-up plan in the same
transaction; stopping the last CBPM prescription stops the treatment and keeps the plan
(issue 5, ADR 0091)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.urls import reverse

from painpath.apps.accounts.models import Role
from painpath.apps.accounts.permissions import MANAGE_FOLLOWUP, ROLE_PERMISSIONS, SIGN_PRESCRIPTION
from painpath.apps.audit.models import AuditEvent
from painpath.apps.errors import ActionError
from painpath.apps.followup import actions as followup
from painpath.apps.followup.models import FollowUpPlan, FollowUpSet
from painpath.apps.medicines import actions
from painpath.apps.medicines import models as m
from painpath.apps.patients.models import Treatment
from tests.factories import AssessmentFactory

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _check(users, rx, **kwargs):
    return actions.check_prescription_draft(
        by=users["nurse"], prescription=rx, facts=kwargs.get("facts", {}),
        current_medicines=kwargs.get("current_medicines", []), today=TODAY,
    )  # fmt: skip


def _sign(users, rx, **kwargs):
    return actions.sign_prescription(
        by=users["prescriber"], prescription=rx, today=TODAY, driving_advice_given=True, **kwargs
    )


def _continuation(users, patient, products):
    rx = actions.draft_prescription(
        by=users["nurse"], patient=patient, product=products["cbd"], dose="0.5 ml twice daily",
        daily_amount="1", quantity="30", quantity_words="thirty millilitres", unit="ml",
        kind="continuation",
    )  # fmt: skip
    return _check(users, rx)


def _cbpm(patient):
    return Treatment.objects.filter(patient=patient, category="cbpm")


def test_signing_an_initiation_starts_a_plan_with_sets_and_a_cbpm_treatment(users, patient, draft):
    AssessmentFactory(patient=patient, region="neck")
    rx = _sign(users, _check(users, draft))
    treatment = _cbpm(patient).get()
    assert (treatment.name, treatment.started_on, treatment.stopped_on, treatment.effect) == (
        "Demo balanced oil 10:10",
        TODAY,
        None,
        "ongoing",
    )
    plan = FollowUpPlan.objects.get(patient=patient)
    assert (plan.status, plan.treatment, plan.started_on, plan.region) == (
        "active",
        treatment,
        TODAY,
        "neck",
    )
    sets = list(plan.sets.order_by("due_on"))
    assert [(s.timepoint, s.due_on) for s in sets[:3]] == [
        ("baseline", TODAY),
        ("2w", TODAY + dt.timedelta(days=14)),
        ("1m", dt.date(2026, 12, 2)),
    ]
    assert "ndi" in sets[0].instruments and all(s.status == "due" for s in sets)
    entry = m.PrescribingLogEntry.objects.get(prescription=rx, event="sign")
    assert entry.detail["followup"] == {
        "treatment_id": treatment.pk,
        "treatment_created": True,
        "plan": "started",
        "plan_id": plan.pk,
    }
    created = AuditEvent.objects.filter(action="create", patient_id=patient.pk)
    assert created.get(object_type="followup_plan").object_id == str(plan.pk)
    assert created.get(object_type="treatment", object_id=str(treatment.pk)).detail == {
        "category": "cbpm",
        "prescription_id": rx.pk,
    }


def test_a_later_appropriate_date_starts_the_treatment_and_plan_then(
    users, patient, products, approved
):
    later = TODAY + dt.timedelta(days=10)
    rx = actions.draft_prescription(
        by=users["nurse"], patient=patient, product=products["cbd"], dose="0.5 ml twice daily",
        daily_amount="1", quantity="30", quantity_words="thirty millilitres", unit="ml",
        appropriate_date=later,
    )  # fmt: skip
    _sign(users, _check(users, rx))
    assert _cbpm(patient).get().started_on == later
    plan = FollowUpPlan.objects.get(patient=patient)
    assert plan.started_on == later
    assert plan.sets.get(timepoint="baseline").due_on == later


def test_an_ongoing_cbpm_treatment_is_reused(users, patient, draft):
    ongoing = Treatment.objects.create(
        patient=patient, category="cbpm", name="CBD oil (another clinic)", effect="ongoing"
    )
    rx = _sign(users, _check(users, draft))
    assert list(_cbpm(patient)) == [ongoing]
    assert FollowUpPlan.objects.get(patient=patient).treatment == ongoing
    detail = m.PrescribingLogEntry.objects.get(prescription=rx, event="sign").detail
    assert detail["followup"]["treatment_created"] is False
    assert not AuditEvent.objects.filter(object_type="treatment", action="create").exists()


def test_a_continuation_starts_no_other_plan(users, patient, products, draft):
    _sign(users, _check(users, draft))
    plan = FollowUpPlan.objects.get(patient=patient)
    followup.stop_plan(by=users["nurse"], plan=plan)
    rx = _sign(users, _continuation(users, patient, products))
    assert rx.status == "signed"
    assert FollowUpPlan.objects.filter(patient=patient).count() == 1
    assert _cbpm(patient).count() == 1
    assert "followup" not in m.PrescribingLogEntry.objects.get(prescription=rx, event="sign").detail
    assert actions.signing_followup(rx) is None


def test_an_active_plan_is_left_untouched_and_the_signing_says_so(users, patient, draft, client):
    existing = followup.start_plan(
        by=users["nurse"], patient=patient, started_on=TODAY - dt.timedelta(days=7), today=TODAY
    )
    before = list(FollowUpSet.objects.order_by("id").values_list("id", "due_on", "status"))
    rx = _sign(users, _check(users, draft))
    assert list(FollowUpPlan.objects.filter(patient=patient)) == [existing]
    existing.refresh_from_db()
    assert (existing.status, existing.treatment, existing.started_on) == (
        "active",
        None,
        TODAY - dt.timedelta(days=7),
    )
    assert list(FollowUpSet.objects.order_by("id").values_list("id", "due_on", "status")) == before
    assert _cbpm(patient).count() == 1  # the treatment is still recorded
    outcome = actions.signing_followup(rx)
    assert outcome["status"] == "already_active" and outcome["plan"] == existing
    client.force_login(users["prescriber"])
    page = client.get(reverse("medicines:rx", args=[rx.pk])).content.decode()
    assert (
        "Follow-up plan not started: the patient already has an active follow-up plan "
        "(started 26 Oct 2026); it was left as it is." in page
    )


def test_a_plan_that_cannot_start_rolls_the_whole_signing_back(users, patient, draft, settings):
    settings.PAINPATH_FOLLOWUP_SCHEDULE = {"horizon_months": 100_000}
    rx = _check(users, draft, facts={"epilepsy": True}, current_medicines=["pregabalin"])
    counts = {
        model: model.objects.count()
        for model in (
            m.PrescribingLogEntry, m.PrescriptionTransition, m.SafetyOverride, m.DrivingAdvice,
            Treatment, FollowUpPlan, FollowUpSet, AuditEvent,
        )
    }  # fmt: skip
    with pytest.raises(ActionError) as exc:
        _sign(
            users,
            rx,
            overrides={"EPILEPSY": "seizure-free 10 years", "IX_CNS_DEPRESSANT": "low dose"},
        )
    assert list(exc.value.errors) == ["followup_schedule.horizon_months"]
    assert exc.value.errors["followup_schedule.horizon_months"].startswith(
        "Not signed: the follow-up plan that an initiation starts could not start"
    )
    rx.refresh_from_db()
    assert (rx.status, rx.signed_by, rx.date_signed) == ("checked", None, None)
    assert {model: model.objects.count() for model in counts} == counts
    assert not _cbpm(patient).exists() and not FollowUpPlan.objects.exists()


def test_the_sign_page_shows_why_nothing_was_signed(users, draft, settings, client):
    settings.PAINPATH_FOLLOWUP_SCHEDULE = {"horizon_months": 100_000}
    rx = _check(users, draft)
    client.force_login(users["prescriber"])
    r = client.post(reverse("medicines:rx_sign", args=[rx.pk]), {"driving_advice_given": "on"})
    assert r.status_code == 422
    assert "Not signed: the follow-up plan that an initiation starts could not start" in (
        r.content.decode()
    )
    rx.refresh_from_db()
    assert rx.status == "checked" and not FollowUpPlan.objects.exists()


def test_the_prescription_page_says_when_the_first_set_is_due(users, patient, draft, client):
    rx = _check(users, draft)
    client.force_login(users["prescriber"])
    r = client.post(reverse("medicines:rx_sign", args=[rx.pk]), {"driving_advice_given": "on"})
    assert r.status_code == 302
    plan = FollowUpPlan.objects.get(patient=patient)
    due = plan.sets.order_by("due_on").first().due_on
    page = client.get(reverse("medicines:rx", args=[rx.pk])).content.decode()
    assert f"Follow-up plan started: first set due {due.day} {due:%b %Y}." in page
    assert reverse("followup:patient", args=[patient.pk]) in page
    # This patient has no email address: the sets exist, their links cannot be emailed.
    assert plan.sets.count() > 6
    assert "the follow-up sets are created but their links cannot be emailed" in page
    patient.email = "alex@example.org"
    patient.save()
    page = client.get(reverse("medicines:rx", args=[rx.pk])).content.decode()
    assert "Follow-up plan started" in page and "cannot be emailed" not in page


def test_stopping_the_last_cbpm_prescription_stops_the_treatment_and_keeps_the_plan(
    users, patient, draft, caplog
):
    rx = _sign(users, _check(users, draft))
    stop_day = TODAY + dt.timedelta(days=40)
    with caplog.at_level(logging.DEBUG):
        actions.end_prescription(
            by=users["prescriber"], prescription=rx, event="stop",
            reason="no benefit at 6 weeks", today=stop_day,
        )  # fmt: skip
    treatment = _cbpm(patient).get()
    assert (treatment.stopped_on, treatment.reason_stopped) == (stop_day, "no benefit at 6 weeks")
    plan = FollowUpPlan.objects.get(patient=patient)
    assert plan.status == "active" and plan.stopped_at is None
    assert not plan.sets.filter(status="cancelled").exists()
    update = AuditEvent.objects.get(
        object_type="treatment", object_id=str(treatment.pk), action="update"
    )
    assert update.detail == {"fields": ["reason_stopped", "stopped_on"], "prescription_id": rx.pk}
    assert "no benefit" not in caplog.text
    assert not AuditEvent.objects.filter(detail__icontains="no benefit").exists()


def test_stopping_one_of_two_active_prescriptions_keeps_the_treatment_going(
    users, patient, products, draft
):
    first = _sign(users, _check(users, draft))
    second = _sign(users, _continuation(users, patient, products))
    actions.end_prescription(by=users["prescriber"], prescription=first, event="stop", reason="x")
    assert _cbpm(patient).get().stopped_on is None
    actions.end_prescription(
        by=users["prescriber"], prescription=second, event="stop", reason="side effects",
        today=TODAY,
    )  # fmt: skip
    treatment = _cbpm(patient).get()
    assert (treatment.stopped_on, treatment.reason_stopped) == (TODAY, "side effects")


def test_stopped_before_its_appropriate_date_the_treatment_stops_on_its_start(
    users, patient, products, approved
):
    later = TODAY + dt.timedelta(days=10)
    rx = actions.draft_prescription(
        by=users["nurse"], patient=patient, product=products["cbd"], dose="0.5 ml twice daily",
        daily_amount="1", quantity="30", quantity_words="thirty millilitres", unit="ml",
        appropriate_date=later,
    )  # fmt: skip
    rx = _sign(users, _check(users, rx))
    actions.end_prescription(
        by=users["prescriber"], prescription=rx, event="stop", reason="changed mind", today=TODAY
    )
    treatment = _cbpm(patient).get()
    assert (treatment.started_on, treatment.stopped_on) == (later, later)


def test_every_role_that_signs_may_start_follow_up() -> None:
    """Signing an initiation starts a plan with the signer's own permission."""
    signers = [role for role in Role if SIGN_PRESCRIPTION in ROLE_PERMISSIONS.get(role, ())]
    assert signers == [Role.PRESCRIBER]
    assert all(MANAGE_FOLLOWUP in ROLE_PERMISSIONS[role] for role in signers)


def test_the_cbpm_treatment_is_not_prefilled_as_a_current_medicine(
    users, patient, products, draft, client
):
    _sign(users, _check(users, draft))
    Treatment.objects.create(patient=patient, category="nsaid", name="ibuprofen", effect="partial")
    rx = actions.draft_prescription(
        by=users["nurse"], patient=patient, product=products["cbd"], dose="0.5 ml twice daily",
        daily_amount="1", quantity="30", quantity_words="thirty millilitres", unit="ml",
        kind="continuation",
    )  # fmt: skip
    client.force_login(users["nurse"])
    page = client.get(reverse("medicines:rx", args=[rx.pk])).content.decode()
    start = page.index('name="current_medicines"')
    box = page[start : page.index("</textarea>", start)]
    assert "ibuprofen" in box and "Demo balanced oil" not in box


def test_cancelling_a_signed_initiation_stops_its_treatment_and_unanswered_plan(
    users, patient, draft
):
    """Issued in error or never supplied: nothing was taken and nothing is to be followed
    (ADR 0093). Before, the treatment stayed 'ongoing' and the plan kept sending links."""
    rx = _sign(users, _check(users, draft))
    plan = FollowUpPlan.objects.get(patient=patient)
    actions.end_prescription(
        by=users["prescriber"], prescription=rx, event="cancel", reason="wrong product chosen",
        today=TODAY,
    )  # fmt: skip
    treatment = _cbpm(patient).get()
    assert (treatment.stopped_on, treatment.reason_stopped) == (
        TODAY,
        "Cancelled: wrong product chosen",
    )
    plan.refresh_from_db()
    assert plan.status == "stopped"
    assert set(plan.sets.values_list("status", flat=True)) == {"cancelled"}
    entry = m.PrescribingLogEntry.objects.get(prescription=rx, event="cancel")
    assert entry.detail == {"treatment_stopped": treatment.pk, "plan_stopped": plan.pk}


def test_cancelling_an_initiation_keeps_a_plan_the_patient_has_answered(users, patient, draft):
    rx = _sign(users, _check(users, draft))
    plan = FollowUpPlan.objects.get(patient=patient)
    baseline = plan.sets.order_by("due_on", "id").first()
    FollowUpSet.objects.filter(pk=baseline.pk).update(
        status="completed", completed_at=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
    )
    actions.end_prescription(
        by=users["prescriber"], prescription=rx, event="cancel", reason="not dispensed"
    )
    plan.refresh_from_db()
    assert plan.status == "active"  # their answers are evidence; the clinic decides
    assert _cbpm(patient).get().stopped_on is not None


def test_cancelling_an_initiation_leaves_a_plan_it_did_not_start(users, patient, draft):
    """A plan already active before the signing (started by hand) is not the signing's to end."""
    existing = followup.start_plan(by=users["prescriber"], patient=patient, today=TODAY)
    rx = _sign(users, _check(users, draft))
    actions.end_prescription(by=users["prescriber"], prescription=rx, event="cancel", reason="x")
    existing.refresh_from_db()
    assert existing.status == "active"


def test_cancelling_a_draft_touches_no_treatment(users, patient, draft):
    actions.end_prescription(by=users["nurse"], prescription=draft, event="cancel", reason="x")
    assert not _cbpm(patient).exists() and not FollowUpPlan.objects.filter(patient=patient).exists()
