"""Patient pages: list (search, filters, paging, one audited read, no N+1), registration,
demographics, timeline, treatments, notes, consent and the access log."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from painpath.apps.audit.models import AuditEvent
from painpath.apps.patients.models import Consent, Note, Patient, Treatment
from tests.factories import AlertFactory, AssessmentFactory, NoteFactory, PatientFactory

pytestmark = pytest.mark.django_db

NEW = {
    "nhs_number": "943 476 5919",
    "given_name": "Jo",
    "family_name": "Newpatient",
    "date_of_birth": "1971-03-04",
    "sex": "female",
    "postcode": "tt1 1aa",
}


def test_list_search_by_nhs_number_with_spaces_and_by_name(as_role: Any) -> None:
    alex = PatientFactory(nhs_number="9434765919", given_name="Alex", family_name="Findme")
    PatientFactory(given_name="Other", family_name="Person")
    client = as_role("nurse")
    by_number = client.get("/patients/", {"q": "943 476 5919"}).content.decode()
    assert "Alex Findme" in by_number and "Other Person" not in by_number
    assert "943 476 5919" in by_number  # shown in the 3-3-4 display form
    by_name = client.get("/patients/", {"q": "findme"}).content.decode()
    assert "Alex Findme" in by_name and "Other Person" not in by_name
    assert alex.pk


def test_list_filters_by_latest_urgency_pain_type_and_open_alerts(as_role: Any) -> None:
    urgent = PatientFactory(given_name="Una", family_name="Urgent")
    AssessmentFactory(patient=urgent, urgency="urgent", pain_type="radicular")
    calm = PatientFactory(given_name="Cal", family_name="Routine")
    AssessmentFactory(patient=calm)
    AlertFactory(patient=calm)
    client = as_role("prescriber")
    html = client.get("/patients/", {"urgency": "urgent"}).content.decode()
    assert "Una Urgent" in html and "Cal Routine" not in html
    html = client.get("/patients/", {"pain_type": "radicular"}).content.decode()
    assert "Una Urgent" in html and "Cal Routine" not in html
    html = client.get("/patients/", {"open_alerts": "yes"}).content.decode()
    assert "Cal Routine" in html and "Una Urgent" not in html


def test_list_is_one_audited_read_paginated_without_n_plus_1(as_role: Any, users: Any) -> None:
    for i in range(60):
        p = PatientFactory(family_name=f"Paged{i:02d}")
        AssessmentFactory(patient=p)
        AlertFactory(patient=p)
    client = as_role("nurse")
    client.get("/patients/")  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get("/patients/", {"page": "2"})
    PatientFactory.create_batch(40)
    with CaptureQueriesContext(connection) as more:
        html = client.get("/patients/", {"page": "2"}).content.decode()
    assert len(more) == len(few)  # the query count does not grow with the number of patients
    assert "page 2 of 4" in html
    reads = AuditEvent.objects.filter(object_type="patient_list", actor=users["nurse"])
    assert reads.count() == 3
    assert reads.first().detail == {
        "search": False,
        "urgency": None,
        "pain_type": None,
        "open_alerts": None,
    }


def test_admin_sees_no_clinical_columns_or_filters(as_role: Any) -> None:
    p = PatientFactory(given_name="Ada", family_name="Admin")
    AssessmentFactory(patient=p, urgency="emergency")
    html = as_role("admin").get("/patients/", {"urgency": "routine"}).content.decode()
    assert "Ada Admin" in html  # the clinical filter is ignored for admin staff
    assert "Latest triage" not in html and "Emergency" not in html


def test_register_patient_with_consents_then_see_the_record(as_role: Any, users: Any) -> None:
    client = as_role("admin")
    response = client.post(
        "/patients/new/", {**NEW, "consent_care": "yes", "consent_gp_sharing": "yes"}
    )
    patient = Patient.objects.get(family_name="Newpatient")
    assert response.status_code == 302 and response["Location"] == f"/patients/{patient.pk}/"
    assert patient.nhs_number == "9434765919" and patient.postcode == "TT1 1AA"
    consents = {c.kind: c.status for c in Consent.objects.filter(patient=patient)}
    assert consents == {"care": "given", "gp_sharing": "given", "research_registry": "withdrawn"}
    assert AuditEvent.objects.filter(
        action="create", object_type="patient", patient_id=patient.pk, actor=users["admin"]
    ).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Jo Newpatient is registered." in page
    assert "Timeline" not in page  # admin staff see no clinical record


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nhs_number", "943 476 5918", "NHS number fails the Modulus 11 check digit"),
        ("nhs_number", "12345", "NHS number must be 10 digits, got 5"),
        ("date_of_birth", "04/03/1971", "Date of birth must be a date as YYYY-MM-DD"),
        ("sex", "", "Sex must be one of: female, male, other"),
        ("given_name", " ", "Given name is required"),
    ],
)
def test_register_refuses_bad_input_naming_the_field(
    as_role: Any, field: str, value: str, message: str
) -> None:
    response = as_role("nurse").post("/patients/new/", {**NEW, field: value})
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}-error"' in html and 'aria-invalid="true"' in html
    assert 'value="Newpatient"' in html or field == "family_name"  # the answers are kept
    assert not Patient.objects.filter(family_name="Newpatient").exists()
    assert not Consent.objects.exists()


def test_register_refuses_an_nhs_number_already_registered(as_role: Any) -> None:
    PatientFactory(nhs_number="9434765919")
    response = as_role("nurse").post("/patients/new/", NEW)
    assert response.status_code == 422
    assert "NHS number is already registered to another patient" in response.content.decode()


def test_edit_demographics_names_changed_fields_in_the_audit(
    as_role: Any, patient: Any, users: Any
) -> None:
    client = as_role("admin")
    form = client.get(f"/patients/{patient.pk}/edit/").content.decode()
    assert 'value="Webtest"' in form
    data = {
        "nhs_number": patient.nhs_number,
        "given_name": "Robin",
        "family_name": "Webtest",
        "date_of_birth": "1970-05-17",
        "sex": "female",
        "phone": "01234 567890",
        "postcode": "ZZ99 3VZ",
    }
    assert client.post(f"/patients/{patient.pk}/edit/", data).status_code == 302
    patient.refresh_from_db()
    assert patient.phone == "01234 567890"
    event = AuditEvent.objects.get(action="update", object_type="patient", patient_id=patient.pk)
    assert event.detail == {"fields": ["phone"]}
    assert "01234" not in str(event.detail)


@pytest.mark.parametrize("role", ["researcher", "charity", "patient"])
def test_roles_outside_the_clinic_may_not_edit_and_are_audited(
    as_role: Any, patient: Any, role: str
) -> None:
    response = as_role(role).post(f"/patients/{patient.pk}/edit/", {"phone": "1"})
    assert response.status_code == 403
    assert "You do not have access" in response.content.decode()
    patient.refresh_from_db()
    assert patient.phone == ""
    assert AuditEvent.objects.filter(action="denied", patient_id=patient.pk).exists()


def test_timeline_shows_assessments_scores_treatments_notes_and_alerts(
    as_role: Any, patient: Any, users: Any
) -> None:
    from tests.factories import ResponseFactory, TreatmentFactory

    AssessmentFactory(
        patient=patient,
        urgency="urgent",
        triage={
            "urgency": "urgent",
            "red_flags": [{"code": "foot_drop", "condition": "Foot drop", "urgency": "urgent",
                           "findings": ["foot_drop"], "source": "NICE CKS"}],
        },
    )  # fmt: skip
    ResponseFactory(patient=patient, instrument="phq9", value=12, band="moderate",
                    flags=["phq9_item9_positive"])  # fmt: skip
    TreatmentFactory(patient=patient, category="nsaid", name="naproxen")
    NoteFactory(patient=patient, text="Walks with a stick.")
    alert = AlertFactory(patient=patient, severity="urgent", message="Check mood today.")
    html = as_role("nurse").get(f"/patients/{patient.pk}/").content.decode()
    for text in (
        "Red flag:</strong> Foot drop",
        "PHQ9: 12 (moderate)",
        "phq9 item9 positive",
        "Treatment NSAID: naproxen",
        "Walks with a stick.",
        "Check mood today.",
        f'action="/clinic/follow-up/alerts/{alert.pk}/acknowledge/"',
    ):
        assert text in html, text
    assert AuditEvent.objects.filter(
        action="read", object_type="patient", patient_id=patient.pk, detail__scope="clinical"
    ).exists()


def test_timeline_pages_back_through_older_entries(as_role: Any, patient: Any) -> None:
    for i in range(35):
        NoteFactory(patient=patient, text=f"Note number {i:02d}.")
    client = as_role("nurse")
    first = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "Note number 34." in first and "Note number 00." not in first
    older = first.split('<p><a href="')[-1].split('">Older entries')[0].replace("&amp;", "&")
    second = client.get(older).content.decode()
    assert "Note number 00." in second and "Note number 34." not in second


def test_acknowledge_from_the_timeline_returns_to_it(as_role: Any, patient: Any) -> None:
    alert = AlertFactory(patient=patient)
    here = f"/patients/{patient.pk}/"
    response = as_role("nurse").post(
        f"/clinic/follow-up/alerts/{alert.pk}/acknowledge/", {"next": here}
    )
    assert response.status_code == 302 and response["Location"] == here
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None


def test_add_treatment_and_refuse_stop_before_start(as_role: Any, patient: Any) -> None:
    client = as_role("nurse")
    bad = client.post(
        f"/patients/{patient.pk}/treatments/new/",
        {"category": "opioid", "started_on": "2024-05-01", "stopped_on": "2024-04-01",
         "effect": "no_effect"},
    )  # fmt: skip
    assert bad.status_code == 422
    assert "Stopped on cannot be before the start date" in bad.content.decode()
    assert not Treatment.objects.exists()
    good = client.post(
        f"/patients/{patient.pk}/treatments/new/",
        {"category": "opioid", "name": "codeine", "started_on": "2024-01-01",
         "stopped_on": "2024-04-01", "effect": "not_tolerated", "reason_stopped": "nausea"},
    )  # fmt: skip
    assert good.status_code == 302
    t = Treatment.objects.get(patient=patient)
    assert (t.category, t.effect, t.reason_stopped) == ("opioid", "not_tolerated", "nausea")
    assert AuditEvent.objects.filter(object_type="treatment", object_id=str(t.pk)).exists()


def test_add_note_refuses_empty_and_never_audits_the_text(as_role: Any, patient: Any) -> None:
    client = as_role("prescriber")
    bad = client.post(f"/patients/{patient.pk}/notes/new/", {"text": "  "})
    assert bad.status_code == 422 and "Note is required" in bad.content.decode()
    client.post(f"/patients/{patient.pk}/notes/new/", {"text": "Private words here."})
    note = Note.objects.get(patient=patient)
    assert note.text == "Private words here."
    assert not AuditEvent.objects.filter(detail__icontains="Private").exists()


def test_record_and_withdraw_consent(as_role: Any, patient: Any) -> None:
    from painpath.apps.patients.selectors import has_consent

    client = as_role("admin")
    url = f"/patients/{patient.pk}/consents/"
    client.post(url, {"kind": "research_registry", "status": "given", "decided_on": "2024-01-02"})
    assert has_consent(patient, "research_registry")
    client.post(
        url, {"kind": "research_registry", "status": "withdrawn", "decided_on": "2024-03-04"}
    )
    assert not has_consent(patient, "research_registry")
    assert Consent.objects.filter(patient=patient).count() == 2  # withdrawal is a new row
    html = client.get(url).content.decode()
    assert "Withdrawn" in html and "2024-03-04" in html and "2024-01-02" in html
    bad = client.post(
        url, {"kind": "research_registry", "status": "given", "decided_on": "2999-01-01"}
    )
    assert bad.status_code == 422 and "Decided on cannot be in the future" in bad.content.decode()


def test_prescriber_sees_the_access_log(as_role: Any, patient: Any, users: Any) -> None:
    as_role("nurse").get(f"/patients/{patient.pk}/")
    html = as_role("prescriber").get(f"/patients/{patient.pk}/access-log/").content.decode()
    assert users["nurse"].display_name in html and "Specialist nurse" in html
    assert "Read patient" in html and "127.0.0.1" in html
    assert as_role("nurse").get(f"/patients/{patient.pk}/access-log/").status_code == 403
