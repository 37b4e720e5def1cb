"""Referral pages: the patient page's referral list (the reason only to clinicians, ADR 0056), the
add-referral form, and the optional referral on the registration form."""

from __future__ import annotations

from typing import Any

import pytest

from painpath.apps.audit.models import AuditEvent
from painpath.apps.patients import actions
from painpath.apps.patients.models import Consent, Patient, Referral

pytestmark = pytest.mark.django_db

REASON = "Sciatica-like pain for nine months despite physiotherapy."
REFERRER = "Dr A. Example, Demo Surgery"
GOOD = {"source": "gp", "referrer": REFERRER, "received_on": "2024-02-03", "reason": REASON}
NEW = {
    "nhs_number": "943 476 5919",
    "given_name": "Jo",
    "family_name": "Newreferral",
    "date_of_birth": "1971-03-04",
    "sex": "female",
}
SOURCES = "gp, self, specialist, physiotherapy, other"


def test_admin_adds_a_referral_and_sees_it_without_the_reason(
    as_role: Any, patient: Any, users: Any
) -> None:
    client = as_role("admin")
    detail = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "No referral recorded." in detail
    assert f'href="/patients/{patient.pk}/referrals/new/"' in detail
    form = client.get(f"/patients/{patient.pk}/referrals/new/")
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    response = client.post(f"/patients/{patient.pk}/referrals/new/", GOOD)
    assert response.status_code == 302 and response["Location"] == f"/patients/{patient.pk}/"
    referral = Referral.objects.get(patient=patient)
    assert (referral.source, referral.referrer, referral.reason) == ("gp", REFERRER, REASON)
    assert referral.created_by == users["admin"]
    page = client.get(response["Location"]).content.decode()
    assert "Referral recorded." in page
    assert '<th scope="row">GP</th>' in page and REFERRER in page and "2024-02-03" in page
    assert "Sciatica" not in page  # the reason is clinical: not shown to admin staff
    assert "The reason for referral is clinical information: clinicians see it." in page
    assert "Timeline" not in page
    event = AuditEvent.objects.get(object_type="referral")
    assert event.actor == users["admin"] and event.detail == {"source": "gp"}


@pytest.mark.parametrize("role", ["nurse", "prescriber"])
def test_clinicians_see_the_reason_in_the_list_and_the_timeline(
    as_role: Any, patient: Any, users: Any, role: str
) -> None:
    actions.record_referral(by=users["admin"], patient=patient, **GOOD)
    page = as_role(role).get(f"/patients/{patient.pk}/").content.decode()
    assert page.count(REASON) == 2  # the referral list and the timeline entry
    assert f"Referral (GP): {REFERRER}" in page and "Received 2024-02-03" in page
    assert '<span class="kind">Referral</span>' in page
    assert "clinicians see it" not in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("source", "pharmacy", f"Referred by must be one of: {SOURCES}"),
        ("received_on", "03/02/2024", "Received on must be a date as YYYY-MM-DD"),
        ("received_on", "2999-01-01", "Received on cannot be in the future"),
        ("received_on", "1970-05-16", "Received on cannot be before the patient&#x27;s date of"),
        ("referrer", "x" * 201, "Referrer must be at most 200 characters"),
    ],
)
def test_bad_referral_is_refused_naming_the_field_and_keeps_the_form(
    as_role: Any, patient: Any, field: str, value: str, message: str
) -> None:
    response = as_role("admin").post(
        f"/patients/{patient.pk}/referrals/new/", {**GOOD, field: value}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Nothing was saved: please correct 1 field" in html
    assert message in html
    assert f'id="id_{field}-error"' in html and 'aria-invalid="true"' in html
    assert REASON in html  # the user's own typing is kept, the reason included
    assert (field == "referrer") or f'value="{REFERRER}"' in html
    assert not Referral.objects.exists()


@pytest.mark.parametrize("role", ["researcher", "charity", "patient"])
def test_roles_outside_the_clinic_may_not_add_referrals_and_are_audited(
    as_role: Any, patient: Any, role: str, users: Any
) -> None:
    client = as_role(role)
    url = f"/patients/{patient.pk}/referrals/new/"
    assert client.get(url).status_code == 403
    response = client.post(url, GOOD)
    assert response.status_code == 403
    assert "You do not have access" in response.content.decode()
    assert not Referral.objects.exists()
    assert AuditEvent.objects.filter(
        action="denied", patient_id=patient.pk, actor=users[role]
    ).exists()


def test_register_a_patient_with_their_referral(as_role: Any, users: Any) -> None:
    client = as_role("admin")
    form = client.get("/patients/new/").content.decode()
    assert "Referral (optional)" in form and 'name="referral_source"' in form
    response = client.post(
        "/patients/new/",
        {
            **NEW,
            "consent_care": "yes",
            "referral_source": "self",
            "referral_received_on": "2024-03-04",
            "referral_reason": REASON,
        },
    )
    patient = Patient.objects.get(family_name="Newreferral")
    assert response.status_code == 302 and response["Location"] == f"/patients/{patient.pk}/"
    referral = Referral.objects.get(patient=patient)
    assert (referral.source, referral.referrer, str(referral.received_on)) == (
        "self",
        "",
        "2024-03-04",
    )
    assert referral.reason == REASON and referral.created_by == users["admin"]
    page = client.get(response["Location"]).content.decode()
    assert "Self-referral" in page and "Sciatica" not in page


def test_register_without_a_referral_records_none(as_role: Any) -> None:
    response = as_role("nurse").post(
        "/patients/new/", {**NEW, "referral_source": "", "referral_received_on": ""}
    )
    assert response.status_code == 302
    assert Patient.objects.filter(family_name="Newreferral").exists()
    assert not Referral.objects.exists()


def test_register_with_part_of_a_referral_saves_nothing_and_keeps_the_form(as_role: Any) -> None:
    response = as_role("nurse").post(
        "/patients/new/",
        {**NEW, "consent_care": "yes", "referral_referrer": REFERRER},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "please correct 2 fields" in html
    assert f"Referred by is required; one of: {SOURCES}" in html
    assert "Received on is required (YYYY-MM-DD)" in html
    assert 'id="id_referral_source-error"' in html and 'id="id_referral_received_on-error"' in html
    assert 'href="#id_referral_source"' in html  # the summary links to the input
    assert f'value="{REFERRER}"' in html and 'value="Newreferral"' in html
    assert not Patient.objects.exists() and not Consent.objects.exists()
    assert not Referral.objects.exists()


def test_register_refuses_a_referral_before_the_birth_date(as_role: Any) -> None:
    response = as_role("admin").post(
        "/patients/new/",
        {**NEW, "referral_source": "gp", "referral_received_on": "1971-03-03"},
    )
    assert response.status_code == 422
    assert "Received on cannot be before the patient&#x27;s date of birth" in (
        response.content.decode()
    )
    assert not Patient.objects.exists() and not Referral.objects.exists()
