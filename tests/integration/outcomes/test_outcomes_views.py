"""Clinic pages: dashboard, patient outcomes (charts + tables), AE grading, acknowledging alerts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from painpath.apps.audit.models import AuditEvent
from painpath.apps.outcomes.actions import review_followup_submission
from painpath.apps.outcomes.models import AdverseEvent
from painpath.apps.patients.models import Alert

pytestmark = pytest.mark.django_db


def _severe(patient: Any) -> Alert:
    (alert,) = review_followup_submission(
        patient=patient,
        responses=[],
        side_effects=[{"symptom": "palpitations", "severity": "severe"}],
        red_flag_findings=[],
    )
    return alert


ROLE_MATRIX = [
    # (url name, role, expected status)
    ("dashboard", "prescriber", 200),
    ("dashboard", "nurse", 200),
    ("dashboard", "admin", 403),
    ("dashboard", "researcher", 403),
    ("dashboard", "charity", 403),
    ("dashboard", "patient", 403),
    ("patient", "prescriber", 200),
    ("patient", "nurse", 200),
    ("patient", "admin", 403),
    ("patient", "researcher", 403),
    ("patient", "charity", 403),
    ("grade", "nurse", 200),
    ("grade", "admin", 403),
    ("grade", "researcher", 403),
    ("grade", "patient", 403),
]


@pytest.mark.parametrize(("name", "role", "status"), ROLE_MATRIX)
def test_role_matrix(logged_in: Any, patient: Any, name: str, role: str, status: int) -> None:
    _severe(patient)
    args = {"dashboard": [], "patient": [patient.pk], "grade": [AdverseEvent.objects.get().pk]}
    assert logged_in(role).get(reverse(f"outcomes:{name}", args=args[name])).status_code == status


def test_anonymous_is_sent_to_log_in(client: Any, patient: Any) -> None:
    for url in (reverse("outcomes:dashboard"), reverse("outcomes:patient", args=[patient.pk])):
        assert client.get(url).status_code == 302


def test_dashboard_shows_open_alert_until_acknowledged(logged_in: Any, patient: Any) -> None:
    alert = _severe(patient)
    client = logged_in("nurse")
    page = client.get(reverse("outcomes:dashboard")).content.decode()
    assert "Severe adverse event" in page and patient.full_name in page
    assert AuditEvent.objects.filter(object_type="followup_dashboard", action="read").exists()
    resp = client.post(reverse("outcomes:acknowledge", args=[alert.pk]), {"note": "called"})
    assert resp.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None and alert.acknowledgement_note == "called"
    assert AuditEvent.objects.filter(object_type="alert", action="update").exists()
    page = client.get(reverse("outcomes:dashboard")).content.decode()
    assert "No open alerts." in page
    again = client.post(reverse("outcomes:acknowledge", args=[alert.pk]))
    assert again.status_code == 409 and "already been acknowledged" in again.content.decode()


def test_acknowledge_needs_post_and_permission(logged_in: Any, patient: Any) -> None:
    alert = _severe(patient)
    url = reverse("outcomes:acknowledge", args=[alert.pk])
    assert logged_in("nurse").get(url).status_code == 405
    assert logged_in("admin").post(url).status_code == 403
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_acknowledge_ignores_foreign_next(logged_in: Any, patient: Any) -> None:
    alert = _severe(patient)
    url = reverse("outcomes:acknowledge", args=[alert.pk])
    resp = logged_in("nurse").post(url, {"next": "https://evil.example/"})
    assert resp["Location"] == reverse("outcomes:dashboard")


def test_patient_page_charts_and_tables_and_audited_read(
    logged_in: Any, patient: Any, respond: Any
) -> None:
    respond(patient, "nrs", [8], days_ago=60)
    respond(patient, "nrs", [5], days_ago=30)
    respond(patient, "gad7", [1, 1, 1, 1, 1, 1, 1], days_ago=30)
    page = logged_in("prescriber").get(reverse("outcomes:patient", args=[patient.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<svg ") == 2 and 'role="img"' in html
    assert "Improved beyond MCID" in html  # NRS 8 -> 5 (Farrar 2001)
    assert "Responder" in html and "Not enough scores yet" in html
    assert AuditEvent.objects.filter(
        object_type="patient", action="read", patient_id=patient.pk
    ).exists()


def test_grading_form_saves_and_reshows_errors(logged_in: Any, patient: Any) -> None:
    _severe(patient)
    event = AdverseEvent.objects.get()
    client = logged_in("nurse")
    url = reverse("outcomes:grade", args=[event.pk])
    bad = client.post(url, {"grade": "5", "serious": "no", "causality": "possible"})
    assert bad.status_code == 422 and "always serious" in bad.content.decode()
    event.refresh_from_db()
    assert event.graded_at is None
    ok = client.post(url, {"grade": "3", "serious": "yes", "causality": "probable"})
    assert ok.status_code == 302
    event.refresh_from_db()
    assert (event.grade, event.serious, event.causality) == (3, True, "probable")
    # the severe alert raised at reporting is not duplicated by the grading
    assert Alert.objects.filter(kind="severe_adverse_event").count() == 1
