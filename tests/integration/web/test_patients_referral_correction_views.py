"""Correcting a referral on the web (ADR 0094): the "Correct" link on the patient page, the form
prefilled with the referral as recorded (the reason only for roles that read it, ADR 0056),
refusals naming the field, and the redirect back with a message."""

from __future__ import annotations

from typing import Any

import pytest

from painpath.apps.audit.models import AuditEvent
from painpath.apps.patients import actions
from painpath.apps.patients.models import Referral, ReferralCorrection
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

REASON = "Sciatica-like pain for nine months despite physiotherapy."
REFERRER = "Dr A. Example, Demo Surgery"
GOOD = {"source": "gp", "referrer": REFERRER, "received_on": "2024-02-03", "reason": REASON}
WHY = "Typed from the wrong letter."


@pytest.fixture
def referral(users: Any, patient: Any) -> Referral:
    return actions.record_referral(by=users["nurse"], patient=patient, **GOOD)


def _url(referral: Referral) -> str:
    return f"/patients/{referral.patient_id}/referrals/{referral.pk}/correct/"


@pytest.mark.parametrize("role", ["admin", "nurse", "prescriber"])
def test_each_referral_on_the_patient_page_has_a_correct_link(
    as_role: Any, referral: Referral, role: str
) -> None:
    page = as_role(role).get(f"/patients/{referral.patient_id}/").content.decode()
    assert f'href="{_url(referral)}"' in page
    assert 'Correct<span class="visually-hidden"> the referral received 2024-02-03</span>' in page


def test_clinician_form_is_prefilled_with_the_referral_and_the_reason(
    as_role: Any, referral: Referral
) -> None:
    html = as_role("nurse").get(_url(referral)).content.decode()
    assert '<option value="gp" selected>' in html
    assert f'value="{REFERRER}"' in html and 'value="2024-02-03"' in html
    assert f">{REASON}</textarea>" in html
    assert '<label for="id_correction_reason">Reason for the correction' in html


def test_nurse_corrects_and_returns_to_the_patient_with_a_message(
    as_role: Any, referral: Referral, users: Any
) -> None:
    client = as_role("nurse")
    body = {**GOOD, "source": "specialist", "reason": "Neck pain.", "correction_reason": WHY}
    response = client.post(_url(referral), body)
    assert response.status_code == 302
    assert response["Location"] == f"/patients/{referral.patient_id}/"
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.source, stored.reason, stored.referrer) == ("specialist", "Neck pain.", REFERRER)
    kept = ReferralCorrection.objects.get()
    assert (kept.fields, kept.previous_source, kept.previous_reason) == (
        ["reason", "source"],
        "gp",
        REASON,
    )
    assert kept.correction_reason == WHY and kept.created_by == users["nurse"]
    page = client.get(response["Location"]).content.decode()
    assert "Referral corrected." in page and "Other specialist" in page


def test_admin_form_hides_the_reason_and_an_empty_reason_keeps_it(
    as_role: Any, referral: Referral
) -> None:
    client = as_role("admin")
    html = client.get(_url(referral)).content.decode()
    assert REASON not in html and "Sciatica" not in html
    assert "Leave empty to keep the reason as recorded" in html
    assert f'value="{REFERRER}"' in html and 'value="2024-02-03"' in html
    body = {**GOOD, "reason": "", "received_on": "2024-02-04", "correction_reason": WHY}
    response = client.post(_url(referral), body)
    assert response.status_code == 302
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.reason, str(stored.received_on)) == (REASON, "2024-02-04")
    assert ReferralCorrection.objects.get().fields == ["received_on"]
    event = AuditEvent.objects.get(action="update", object_type="referral")
    assert event.detail == {"fields": ["received_on"]}


def test_admin_may_replace_the_reason_without_reading_it(as_role: Any, referral: Referral) -> None:
    body = {**GOOD, "reason": "Low back pain.", "correction_reason": WHY}
    response = as_role("admin").post(_url(referral), body)
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).reason == "Low back pain."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("source", "pharmacy", "Referred by must be one of: gp, self"),
        ("received_on", "03/02/2024", "Received on must be a date as YYYY-MM-DD"),
        ("received_on", "2999-01-01", "Received on cannot be in the future"),
        ("referrer", "x" * 201, "Referrer must be at most 200 characters"),
        ("correction_reason", "", "Reason for the correction is required"),
        ("correction_reason", "x" * 501, "Reason for the correction must be at most 500"),
    ],
)
def test_bad_correction_is_refused_naming_the_field_and_keeps_the_form(
    as_role: Any, referral: Referral, field: str, value: str, message: str
) -> None:
    body = {**GOOD, "source": "self", "correction_reason": WHY, field: value}
    response = as_role("nurse").post(_url(referral), body)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Nothing was saved: please correct 1 field" in html
    assert message in html
    assert f'href="#id_{field}"' in html
    assert f'id="id_{field}-error"' in html and 'aria-invalid="true"' in html
    assert not ReferralCorrection.objects.exists()
    assert Referral.objects.get(pk=referral.pk).source == "gp"


def test_nothing_changed_is_refused_with_a_message(as_role: Any, referral: Referral) -> None:
    response = as_role("nurse").post(_url(referral), {**GOOD, "correction_reason": WHY})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Changes nothing differs from the referral as recorded" in html
    assert not ReferralCorrection.objects.exists()


@pytest.mark.parametrize("role", ["researcher", "charity", "patient"])
def test_roles_outside_the_clinic_may_not_correct_and_are_audited(
    as_role: Any, referral: Referral, role: str, users: Any
) -> None:
    client = as_role(role)
    assert client.get(_url(referral)).status_code == 403
    response = client.post(_url(referral), {**GOOD, "source": "self", "correction_reason": WHY})
    assert response.status_code == 403
    assert not ReferralCorrection.objects.exists()
    assert AuditEvent.objects.filter(
        action="denied", patient_id=referral.patient_id, actor=users[role]
    ).exists()


def test_another_patients_referral_is_404(as_role: Any, referral: Referral) -> None:
    other = PatientFactory()
    client = as_role("nurse")
    url = f"/patients/{other.pk}/referrals/{referral.pk}/correct/"
    assert client.get(url).status_code == 404
    body = {**GOOD, "source": "self", "correction_reason": WHY}
    assert client.post(url, body).status_code == 404
    assert not ReferralCorrection.objects.exists()


def test_an_untouched_multi_line_reason_posted_back_with_crlf_is_not_a_change(
    as_role: Any, users: Any, patient: Any
) -> None:
    referral = actions.record_referral(
        by=users["nurse"], patient=patient, **{**GOOD, "reason": "Line one.\nLine two."}
    )
    body = {**GOOD, "reason": "Line one.\r\nLine two.", "source": "self", "correction_reason": WHY}
    assert as_role("nurse").post(_url(referral), body).status_code == 302
    assert ReferralCorrection.objects.get().fields == ["source"]
    assert Referral.objects.get(pk=referral.pk).reason == "Line one.\nLine two."
