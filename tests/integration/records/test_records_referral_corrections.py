"""Correcting a referral entered wrongly (ADR 0094): the action (permission, validation shared
with recording, the required reason, nothing-differs refusal, previous values kept append-only,
audit naming fields only) and PATCH /api/v1/patients/{id}/referrals/{id}."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.utils import timezone

from painpath.apps.audit.models import AuditEvent
from painpath.apps.errors import ActionError
from painpath.apps.patients import actions
from painpath.apps.patients.models import Referral, ReferralCorrection
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

REASON = "Radiating left leg pain for 9 months; not settling with physiotherapy."
REFERRER = "Dr A. Example, Demo Surgery"
GOOD = {"source": "gp", "referrer": REFERRER, "received_on": "2024-02-03", "reason": REASON}
WHY = "Typed from another patient's letter."


@pytest.fixture
def referral(nurse: Any, patient: Any) -> Referral:
    return actions.record_referral(by=nurse, patient=patient, **GOOD)


def _unchanged(referral: Referral) -> None:
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.source, stored.referrer, stored.received_on, stored.reason) == (
        "gp",
        REFERRER,
        dt.date(2024, 2, 3),
        REASON,
    )
    assert not ReferralCorrection.objects.exists()
    assert not AuditEvent.objects.filter(action="update", object_type="referral").exists()


# --- the action ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "nurse", "prescriber"])
def test_clinic_team_corrects_a_referral_keeping_the_previous_values(
    users: dict[str, Any], referral: Referral, role: str
) -> None:
    corrected = actions.correct_referral(
        by=users[role],
        referral=referral,
        source="specialist",
        received_on="2024-02-05",
        referrer=REFERRER,  # sent unchanged: not a change
        correction_reason=f"  {WHY}  ",
    )
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.source, stored.received_on, stored.referrer, stored.reason) == (
        "specialist",
        dt.date(2024, 2, 5),
        REFERRER,
        REASON,
    )
    assert corrected.source == "specialist"
    (kept,) = ReferralCorrection.objects.filter(referral=referral)
    assert (kept.previous_source, kept.previous_received_on) == ("gp", dt.date(2024, 2, 3))
    assert (kept.previous_referrer, kept.previous_reason) == (REFERRER, REASON)
    assert kept.fields == ["received_on", "source"]
    assert kept.correction_reason == WHY and kept.created_by == users[role]
    (event,) = AuditEvent.objects.filter(action="update", object_type="referral")
    assert event.detail == {"fields": ["received_on", "source"]}
    assert (event.object_id, event.patient_id) == (str(referral.pk), referral.patient_id)
    audit_text = str(list(AuditEvent.objects.values_list("detail", "object_id", "actor_label")))
    assert WHY not in audit_text and REFERRER not in audit_text and REASON not in audit_text


def test_each_correction_keeps_its_own_previous_values(nurse: Any, referral: Referral) -> None:
    actions.correct_referral(by=nurse, referral=referral, referrer="Dr B", correction_reason="1")
    actions.correct_referral(by=nurse, referral=referral, reason="", correction_reason="2")
    rows = list(ReferralCorrection.objects.filter(referral=referral).order_by("pk"))
    assert [(r.fields, r.previous_referrer, r.previous_reason) for r in rows] == [
        (["referrer"], REFERRER, REASON),
        (["reason"], "Dr B", REASON),
    ]
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.referrer, stored.reason) == ("Dr B", "")


@pytest.mark.parametrize("role", ["researcher", "charity", "patient"])
def test_roles_outside_the_clinic_may_not_correct(
    users: dict[str, Any], referral: Referral, role: str
) -> None:
    with pytest.raises(PermissionDenied):
        actions.correct_referral(
            by=users[role], referral=referral, source="self", correction_reason=WHY
        )
    _unchanged(referral)


def test_a_patient_may_not_correct_their_own_referral(users: dict[str, Any], nurse: Any) -> None:
    own = PatientFactory(user=users["patient"])
    referral = actions.record_referral(by=nurse, patient=own, **GOOD)
    with pytest.raises(PermissionDenied):
        actions.correct_referral(
            by=users["patient"], referral=referral, source="self", correction_reason=WHY
        )
    _unchanged(referral)


def _tomorrow() -> str:
    return (timezone.localdate() + dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"source": "pharmacy"}, "source", "must be one of: gp, self, specialist"),
        ({"source": ""}, "source", "is required"),
        ({"received_on": "03/02/2024"}, "received_on", "YYYY-MM-DD"),
        ({"received_on": ""}, "received_on", "is required"),
        ({"received_on": "tomorrow"}, "received_on", "cannot be in the future"),
        ({"received_on": "1900-01-01"}, "received_on", "before the patient's date of birth"),
        ({"referrer": "x" * 201}, "referrer", "at most 200 characters"),
        ({"reason": "x" * 20_001}, "reason", "at most 20,000 characters"),
        ({"ward": "7"}, "ward", "is not a field of a referral"),
    ],
)
def test_the_recording_rules_refuse_a_bad_correction_naming_the_field(
    nurse: Any, referral: Referral, changes: dict[str, Any], field: str, words: str
) -> None:
    if changes.get("received_on") == "tomorrow":
        changes = {"received_on": _tomorrow()}
    with pytest.raises(ActionError) as exc:
        actions.correct_referral(by=nurse, referral=referral, correction_reason=WHY, **changes)
    assert set(exc.value.errors) == {field}
    assert words in exc.value.errors[field]
    _unchanged(referral)


@pytest.mark.parametrize(
    ("why", "words"),
    [
        (None, "is required"),
        ("", "is required"),
        ("   ", "is required"),
        ("x" * 501, "at most 500"),
    ],
)
def test_the_correction_reason_is_required_and_short(
    nurse: Any, referral: Referral, why: Any, words: str
) -> None:
    kwargs = {} if why is None else {"correction_reason": why}
    with pytest.raises(ActionError) as exc:
        actions.correct_referral(by=nurse, referral=referral, source="self", **kwargs)
    assert set(exc.value.errors) == {"correction_reason"}
    assert words in exc.value.errors["correction_reason"]
    _unchanged(referral)


def test_a_reason_of_500_characters_is_accepted(nurse: Any, referral: Referral) -> None:
    actions.correct_referral(
        by=nurse, referral=referral, source="self", correction_reason="y" * 500
    )
    assert ReferralCorrection.objects.get().correction_reason == "y" * 500


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"source": "gp"},
        {"received_on": "2024-02-03", "referrer": f" {REFERRER} ", "reason": REASON},
        {"received_on": dt.date(2024, 2, 3)},
    ],
)
def test_nothing_differing_is_refused_naming_changes(
    nurse: Any, referral: Referral, changes: dict[str, Any]
) -> None:
    with pytest.raises(ActionError) as exc:
        actions.correct_referral(by=nurse, referral=referral, correction_reason=WHY, **changes)
    assert set(exc.value.errors) == {"changes"}
    assert "nothing differs" in exc.value.errors["changes"]
    _unchanged(referral)


def test_every_bad_field_is_named_at_once(nurse: Any, referral: Referral) -> None:
    with pytest.raises(ActionError) as exc:
        actions.correct_referral(
            by=nurse, referral=referral, source="x", referrer="y" * 201, correction_reason=""
        )
    assert set(exc.value.errors) == {"source", "referrer", "correction_reason"}
    _unchanged(referral)


def test_a_failure_after_the_correction_row_saves_nothing(
    nurse: Any, referral: Referral, monkeypatch: pytest.MonkeyPatch
) -> None:
    from painpath.apps.audit import services as audit

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        actions.correct_referral(by=nurse, referral=referral, source="self", correction_reason=WHY)
    monkeypatch.undo()
    _unchanged(referral)


def test_corrections_are_append_only_at_the_database(nurse: Any, referral: Referral) -> None:
    actions.correct_referral(by=nurse, referral=referral, source="self", correction_reason=WHY)
    for attempt in (
        lambda: ReferralCorrection.objects.update(correction_reason="rewritten"),
        lambda: ReferralCorrection.objects.all().delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert ReferralCorrection.objects.get().correction_reason == WHY


# --- the API ---------------------------------------------------------------------------------


def _url(referral: Referral) -> str:
    return f"/patients/{referral.patient_id}/referrals/{referral.pk}"


def test_api_corrects_only_the_fields_sent(api: Any, referral: Referral) -> None:
    response = api("nurse").patch(
        _url(referral), {"received_on": "2024-02-05", "correction_reason": WHY}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["source"], body["received_on"]) == (referral.pk, "gp", "2024-02-05")
    assert (body["referrer"], body["reason"]) == (REFERRER, REASON)
    assert ReferralCorrection.objects.get().fields == ["received_on"]


def test_api_admin_corrects_but_reads_no_reason(api: Any, referral: Referral) -> None:
    response = api("admin").patch(
        _url(referral), {"reason": "Low back pain.", "correction_reason": WHY}
    )
    assert response.status_code == 200, response.content
    assert response.json()["reason"] is None
    assert REASON not in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).reason == "Low back pain."
    assert ReferralCorrection.objects.get().previous_reason == REASON


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"source": "pharmacy", "correction_reason": WHY}, {"source"}),
        ({"received_on": "03/02/2024", "correction_reason": WHY}, {"received_on"}),
        ({"received_on": "1900-01-01", "correction_reason": WHY}, {"received_on"}),
        ({"received_on": None, "correction_reason": WHY}, {"received_on"}),
        ({"referrer": "x" * 201, "correction_reason": WHY}, {"referrer"}),
        ({"source": "self"}, {"correction_reason"}),
        ({"source": "self", "correction_reason": " "}, {"correction_reason"}),
        ({"source": "self", "correction_reason": "x" * 501}, {"correction_reason"}),
        ({"source": "gp", "correction_reason": WHY}, {"changes"}),
        ({"correction_reason": WHY}, {"changes"}),
    ],
)
def test_api_422_names_each_bad_field_and_changes_nothing(
    api: Any, referral: Referral, body: dict[str, Any], fields: set[str]
) -> None:
    response = api("nurse").patch(_url(referral), body)
    assert response.status_code == 422, response.content
    assert set(response.json()["errors"]) == fields
    _unchanged(referral)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("prescriber", 200),
        ("nurse", 200),
        ("admin", 200),
        ("researcher", 403),
        ("charity", 403),
        ("patient", 403),
        (None, 401),
    ],
)
def test_api_role_rules(api: Any, referral: Referral, role: str | None, status: int) -> None:
    response = api(role).patch(_url(referral), {"source": "self", "correction_reason": WHY})
    assert response.status_code == status
    assert ReferralCorrection.objects.count() == (1 if status == 200 else 0)


def test_api_another_patients_referral_or_none_is_404(api: Any, referral: Referral) -> None:
    other = PatientFactory()
    body = {"source": "self", "correction_reason": WHY}
    client = api("nurse")
    assert client.patch(f"/patients/{other.pk}/referrals/{referral.pk}", body).status_code == 404
    assert (
        client.patch(f"/patients/{referral.patient_id}/referrals/987654", body).status_code == 404
    )
    assert client.patch(f"/patients/987654321/referrals/{referral.pk}", body).status_code == 404
    _unchanged(referral)
