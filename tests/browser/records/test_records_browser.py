"""Browser journeys for the clinician's workspace: register a patient, record an assessment with
saddle anaesthesia (emergency banner live before saving and on the saved assessment), enter a
GAD-7 and see its score, and a researcher refused a patient record. axe-core runs on every page
visited (log-in, patient list, timeline, assessment form, questionnaire form, score, 403)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.factories import PatientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_nurse_registers_a_patient(
    live_app: str, page: Any, login: Any, assert_no_axe_violations: Any
) -> None:
    from painpath.apps.patients.models import Consent, Patient

    login(page, "nurse")
    page.get_by_role("heading", name="Patients", exact=True).wait_for()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Register a patient").click()
    page.get_by_label("NHS number").fill("943 476 5918")  # wrong check digit
    page.get_by_label("Given name").fill("Jo")
    page.get_by_label("Family name").fill("Browser")
    page.get_by_label("Date of birth").fill("1971-03-04")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Research registry").check()
    page.get_by_role("button", name="Register patient").click()
    summary = page.get_by_role("alert")
    summary.get_by_text("NHS number fails the Modulus 11 check digit").wait_for()
    assert not Patient.objects.filter(family_name="Browser").exists()
    # The answers are kept; only the number needs correcting.
    assert page.get_by_label("Given name").input_value() == "Jo"
    assert_no_axe_violations(page)
    page.get_by_label("NHS number").fill("943 476 5919")
    page.get_by_role("button", name="Register patient").click()
    page.get_by_role("heading", name="Jo Browser").wait_for()
    page.get_by_text("Jo Browser is registered.").wait_for()
    assert_no_axe_violations(page)
    patient = Patient.objects.get(family_name="Browser")
    assert patient.nhs_number == "9434765919"
    assert Consent.objects.get(patient=patient, kind="research_registry").status == "given"
    # Found again by NHS number typed with spaces.
    page.get_by_role("link", name="Patients", exact=True).click()
    page.get_by_label("Name or NHS number").fill("943 476 5919")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Jo Browser").wait_for()


def test_saddle_anaesthesia_shows_the_emergency_banner_live_and_when_saved(
    live_app: str, page: Any, login: Any, assert_no_axe_violations: Any
) -> None:
    from painpath.apps.assessments.models import Assessment
    from painpath.apps.patients.models import Alert

    patient = PatientFactory(given_name="Casey", family_name="Emergency")
    login(page, "prescriber")
    page.goto(f"{live_app}/patients/{patient.pk}/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="New assessment").click()
    page.get_by_label("Region").select_option("low_back")
    page.get_by_label("Duration of this pain (weeks)").fill("30")
    assert_no_axe_violations(page)
    assert page.locator("#emergency-banner").count() == 0
    page.get_by_role("checkbox", name="Altered perianal, perineal or genital sensation").check()
    # Live (HTMX), before saving: the banner at the top, with the condition, action and source.
    banner = page.locator("#triage-preview #emergency-banner")
    banner.wait_for()
    assert banner.get_attribute("role") == "alert"
    text = banner.inner_text()
    assert "EMERGENCY" in text and "cauda equina" in text.lower() and "Source:" in text
    # Wherever the clinician has scrolled to, a fixed strip says so too.
    strip = page.locator(".emergency-strip")
    expect(strip).to_be_in_viewport()
    assert "cauda equina" in strip.inner_text().lower()
    assert Assessment.objects.count() == 0
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save assessment").click()
    page.get_by_text("Assessment saved with its triage.").wait_for()
    saved = page.locator("#emergency-banner")
    assert saved.get_attribute("role") == "alert"
    assert "cauda equina" in saved.inner_text().lower()
    assert_no_axe_violations(page)
    assessment = Assessment.objects.get(patient=patient)
    assert assessment.urgency == "emergency"
    assert Alert.objects.get(patient=patient).kind == "triage_emergency"


def test_nurse_enters_a_gad7_and_sees_its_score(
    live_app: str, page: Any, login: Any, assert_no_axe_violations: Any
) -> None:
    from painpath.apps.assessments.models import QuestionnaireResponse

    patient = PatientFactory(given_name="Gale", family_name="Anxious")
    login(page, "nurse")
    page.goto(f"{live_app}/patients/{patient.pk}/")
    page.get_by_role("link", name="Enter a questionnaire").click()
    page.get_by_role("link", name="Generalised Anxiety Disorder 7-item scale (GAD-7)").click()
    assert_no_axe_violations(page)
    # Answer 6 of 7, save: refused naming item 7, answers kept, nothing saved.
    for i in range(1, 7):
        page.locator(f"#fs-item_gad7_{i}").get_by_label("More than half the days").check()
    page.get_by_role("button", name="Save and score").click()
    page.get_by_role("alert").get_by_text("item 7").first.wait_for()
    assert QuestionnaireResponse.objects.count() == 0
    assert page.locator("#fs-item_gad7_1").get_by_label("More than half the days").is_checked()
    assert_no_axe_violations(page)
    page.locator("#fs-item_gad7_7").get_by_label("Nearly every day").check()
    page.get_by_role("button", name="Save and score").click()
    page.locator("#score-value").wait_for()
    assert page.locator("#score-value").inner_text() == "15"  # 6 x 2 + 3
    assert page.locator("#score-band").inner_text() == "severe"
    assert "gad7 positive screen" in page.locator("main").inner_text()
    assert_no_axe_violations(page)


def test_researcher_cannot_open_a_patient(
    live_app: str, page: Any, login: Any, assert_no_axe_violations: Any
) -> None:
    from painpath.apps.audit.models import AuditEvent

    patient = PatientFactory()
    login(page, "researcher")
    response = page.goto(f"{live_app}/patients/{patient.pk}/")
    assert response is not None and response.status == 403
    page.get_by_role("heading", name="You do not have access to this page").wait_for()
    assert patient.family_name not in page.content()
    assert_no_axe_violations(page)
    assert AuditEvent.objects.filter(action="denied", patient_id=patient.pk).exists()
