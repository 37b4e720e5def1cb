"""The clinic's follow-up page: start a plan, each set's status and link, withdraw and resend."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painpath.apps.audit.models import AuditEvent
from painpath.apps.followup.models import FollowUpLink, FollowUpPlan
from tests.factories import TreatmentFactory
from tests.factories.followup import start_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse_client(nurse: Any) -> Client:
    client = Client()
    client.force_login(nurse)
    return client


def test_start_a_plan_from_the_page(nurse_client: Client, patient: Any) -> None:
    treatment = TreatmentFactory(patient=patient, category="cbpm", name="Demo oil")
    url = reverse("followup:patient", args=[patient.pk])
    page = nurse_client.get(url).content.decode()
    assert "Start a follow-up plan" in page and "Demo oil" in page
    resp = nurse_client.post(
        reverse("followup:start", args=[patient.pk]),
        {"treatment": str(treatment.pk), "region": "neck", "pain_measure": "bpi"},
    )
    assert resp.status_code == 302 and resp["Location"] == url
    plan = FollowUpPlan.objects.get(patient=patient)
    assert (plan.treatment, plan.region, plan.pain_measure) == (treatment, "neck", "bpi")
    page = nurse_client.get(url).content.decode()
    assert "Stop this plan" in page and "Send the link now" in page
    assert AuditEvent.objects.filter(object_type="patient", action="read", actor=plan.created_by)


def test_refused_start_names_the_field_and_saves_nothing(
    nurse_client: Client, patient: Any
) -> None:
    old = (timezone.localdate() - dt.timedelta(days=60)).isoformat()
    resp = nurse_client.post(reverse("followup:start", args=[patient.pk]), {"started_on": old})
    assert resp.status_code == 422
    assert "must be within the last 28 days" in resp.content.decode()
    assert not FollowUpPlan.objects.exists()
    other = TreatmentFactory()
    resp = nurse_client.post(
        reverse("followup:start", args=[patient.pk]), {"treatment": str(other.pk)}
    )
    assert resp.status_code == 422 and "choose one of this patient" in resp.content.decode()


def test_resend_and_withdraw_from_the_page(nurse_client: Client, patient: Any) -> None:
    plan = start_plan(patient)
    baseline = plan.sets.get(timepoint="baseline")
    url = reverse("followup:patient", args=[patient.pk])
    resp = nurse_client.post(reverse("followup:resend", args=[baseline.pk]))
    assert resp.status_code == 302 and len(mail.outbox) == 1
    page = nurse_client.get(url).content.decode()
    assert "Withdraw link" in page and "Live" in page
    assert nurse_client.post(reverse("followup:revoke", args=[baseline.pk])).status_code == 302
    assert FollowUpLink.objects.get().revoke_reason == "clinician"
    again = nurse_client.post(reverse("followup:revoke", args=[baseline.pk]))
    assert again.status_code == 409 and "no live link to revoke" in again.content.decode()
    # Not due yet: no link can be sent early (it would answer the wrong timepoint).
    later = plan.sets.get(timepoint="3m")
    resp = nurse_client.post(reverse("followup:resend", args=[later.pk]))
    assert resp.status_code == 409 and "is not due until" in resp.content.decode()
    assert len(mail.outbox) == 1


def test_patient_without_email_cannot_be_sent_a_link(nurse_client: Client, patient: Any) -> None:
    patient.email = ""
    patient.save()
    baseline = start_plan(patient).sets.get(timepoint="baseline")
    page = nurse_client.get(reverse("followup:patient", args=[patient.pk])).content.decode()
    assert "No email address" in page and "Send the link now" not in page
    resp = nurse_client.post(reverse("followup:resend", args=[baseline.pk]))
    assert resp.status_code == 409 and "no email address" in resp.content.decode()
    assert mail.outbox == []


def test_outcomes_page_links_to_the_follow_up_page(nurse_client: Client, patient: Any) -> None:
    page = nurse_client.get(reverse("outcomes:patient", args=[patient.pk])).content.decode()
    assert reverse("followup:patient", args=[patient.pk]) in page
