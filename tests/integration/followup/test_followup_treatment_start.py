"""A follow-up plan starts with a treatment (issue 5, ADR 0091): the add-treatment form's box
(roles that manage follow-up, no active plan, never for a treatment that stopped), one
transaction for the treatment and its plan, and the follow-up page after the treatment stops.

Signing a CBPM initiation, and stopping it, are tested in
tests/integration/medicines/test_medicines_followup.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painpath.apps.audit.models import AuditEvent
from painpath.apps.errors import ActionError
from painpath.apps.followup import actions
from painpath.apps.followup.models import FollowUpPlan, FollowUpSet
from painpath.apps.patients.actions import record_cbpm_started, record_cbpm_stopped
from painpath.apps.patients.models import Treatment
from tests.factories.followup import start_plan

pytestmark = pytest.mark.django_db
BOX = 'name="start_followup"'


def _client(users: dict[str, Any], role: str) -> Client:
    client = Client()
    client.force_login(users[role])
    return client


def _form(patient: Any) -> str:
    return reverse("patients:treatment_new", args=[patient.pk])


@pytest.mark.parametrize("role", ["nurse", "prescriber"])
def test_the_form_offers_the_box_unticked_and_it_starts_a_linked_plan(
    users: dict[str, Any], patient: Any, role: str
) -> None:
    client = _client(users, role)
    page = client.get(_form(patient)).content.decode()
    assert "Start follow-up questionnaires with this treatment" in page
    box = page[page.index(BOX) - 120 : page.index(BOX) + 200]
    assert "checked" not in box
    started = timezone.localdate() - dt.timedelta(days=3)
    r = client.post(
        _form(patient),
        {"category": "pain_programme", "name": "ESCAPE-pain", "started_on": started.isoformat(),
         "effect": "ongoing", "start_followup": "on"},
    )  # fmt: skip
    assert r.status_code == 302
    treatment = Treatment.objects.get(patient=patient)
    plan = FollowUpPlan.objects.get(patient=patient)
    assert (plan.treatment, plan.started_on, plan.status) == (treatment, started, "active")
    baseline = plan.sets.get(timepoint="baseline")
    assert baseline.due_on == started
    shown = client.get(r["Location"]).content.decode()
    assert (
        f"Treatment added and follow-up plan started: first set due "
        f"{started.day} {started:%b %Y}." in shown
    )
    assert AuditEvent.objects.filter(object_type="followup_plan", action="create").count() == 1


def test_unticked_the_form_adds_only_the_treatment(users: dict[str, Any], patient: Any) -> None:
    r = _client(users, "nurse").post(
        _form(patient), {"category": "physiotherapy", "effect": "ongoing"}
    )
    assert r.status_code == 302
    assert Treatment.objects.filter(patient=patient).count() == 1
    assert not FollowUpPlan.objects.exists()


def test_without_an_email_the_sets_are_made_and_the_clinic_is_told(
    users: dict[str, Any], patient: Any
) -> None:
    patient.email = ""
    patient.save()
    client = _client(users, "nurse")
    r = client.post(
        _form(patient), {"category": "physiotherapy", "effect": "ongoing", "start_followup": "on"}
    )
    assert r.status_code == 302
    assert FollowUpSet.objects.filter(patient=patient).count() > 6
    shown = client.get(r["Location"]).content.decode()
    assert "the follow-up sets are created but their links cannot be emailed" in shown


def test_the_box_is_not_offered_while_a_plan_is_active(users: dict[str, Any], patient: Any) -> None:
    start_plan(patient)
    page = _client(users, "nurse").get(_form(patient)).content.decode()
    assert "Add treatment" in page and BOX not in page


def test_a_ticked_box_for_a_treatment_that_stopped_is_refused_and_nothing_saved(
    users: dict[str, Any], patient: Any
) -> None:
    r = _client(users, "nurse").post(
        _form(patient),
        {"category": "opioid", "started_on": "2024-01-01", "stopped_on": "2024-04-01",
         "effect": "not_tolerated", "start_followup": "on"},
    )  # fmt: skip
    assert r.status_code == 422
    assert "is only for a treatment still going on: clear the stop date" in r.content.decode()
    assert not Treatment.objects.exists() and not FollowUpPlan.objects.exists()


@pytest.mark.parametrize("role", ["admin", "researcher", "charity", "patient"])
def test_roles_without_follow_up_never_see_the_box(
    users: dict[str, Any], patient: Any, role: str
) -> None:
    r = _client(users, role).get(_form(patient))
    assert r.status_code == 403 and BOX not in r.content.decode()
    r = _client(users, role).post(
        _form(patient), {"category": "physiotherapy", "effect": "ongoing", "start_followup": "on"}
    )
    assert r.status_code == 403
    assert not Treatment.objects.exists() and not FollowUpPlan.objects.exists()


def test_the_action_needs_the_follow_up_permission(users: dict[str, Any], patient: Any) -> None:
    with pytest.raises(PermissionDenied):
        actions.add_treatment_with_plan(by=users["admin"], patient=patient, category="nsaid")
    assert not Treatment.objects.exists()


def test_a_plan_that_cannot_start_leaves_no_treatment(
    users: dict[str, Any], patient: Any, settings: Any
) -> None:
    settings.PAINPATH_FOLLOWUP_SCHEDULE = {"horizon_months": 100_000}
    with pytest.raises(ActionError) as exc:
        actions.add_treatment_with_plan(by=users["nurse"], patient=patient, category="nsaid")
    assert list(exc.value.errors) == ["start_followup"]
    assert exc.value.errors["start_followup"].startswith("could not start: schedule.horizon")
    assert not Treatment.objects.exists() and not FollowUpPlan.objects.exists()
    assert not AuditEvent.objects.filter(object_type="treatment").exists()


def test_an_older_treatment_is_refused_by_the_page_with_the_reason(
    users: dict[str, Any], patient: Any
) -> None:
    long_ago = timezone.localdate() - dt.timedelta(days=40)
    r = _client(users, "nurse").post(
        _form(patient),
        {"category": "physiotherapy", "started_on": long_ago.isoformat(), "effect": "ongoing",
         "start_followup": "on"},
    )  # fmt: skip
    assert r.status_code == 422
    assert "follow-up can start only with a treatment started in the last 28 days" in (
        r.content.decode()
    )
    page = r.content.decode()
    box = page[page.index(BOX) - 120 : page.index(BOX) + 200]
    assert "checked" in box  # the box keeps what was sent
    assert not Treatment.objects.exists() and not FollowUpPlan.objects.exists()


def test_start_plan_takes_the_callers_today(users: dict[str, Any], patient: Any) -> None:
    today = dt.date(2026, 3, 1)
    plan = actions.start_plan(
        by=users["nurse"], patient=patient, started_on=dt.date(2026, 2, 10), today=today
    )
    assert plan.started_on == dt.date(2026, 2, 10)
    # Sets whose window had closed by the caller's today are not made (ADR 0077).
    assert plan.sets.order_by("due_on").first().timepoint == "2w"


def test_the_follow_up_page_says_the_treatment_stopped_and_the_plan_goes_on(
    users: dict[str, Any], patient: Any
) -> None:
    nurse = users["nurse"]
    today = timezone.localdate()
    treatment, created = record_cbpm_started(
        by=nurse, patient=patient, name="Demo CBD oil", started_on=today
    )
    assert created
    plan = start_plan(patient, treatment=treatment)
    client = _client(users, "nurse")
    page = client.get(reverse("followup:patient", args=[patient.pk])).content.decode()
    assert "Treatment stopped" not in page
    record_cbpm_stopped(by=nurse, patient=patient, stopped_on=today, reason="no benefit")
    page = client.get(reverse("followup:patient", args=[patient.pk])).content.decode()
    assert f"Treatment stopped</strong> on {today.day} {today:%b %Y}: Demo CBD oil" in page
    assert "(no benefit)" in page and "Follow-up goes on" in page
    assert "Stop this plan" in page
    plan.refresh_from_db()
    assert plan.status == "active"
