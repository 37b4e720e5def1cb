"""Referrals (DESIGN.md journey step 1): the action, the optional referral at registration, who
reads the reason (ADR 0056), the timeline, the API, the demo data and the registry extract."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from painpath.apps.audit.models import AuditEvent
from painpath.apps.errors import ActionError
from painpath.apps.patients import actions, selectors
from painpath.apps.patients.models import Consent, Patient, Referral
from tests.factories import NoteFactory, PatientFactory

pytestmark = pytest.mark.django_db

SOURCES = "gp, self, specialist, physiotherapy, other"
REASON = "Radiating left leg pain for 9 months; not settling with physiotherapy."
REFERRER = "Dr A. Example, Demo Surgery"
GOOD = {"source": "gp", "referrer": REFERRER, "received_on": "2024-02-03", "reason": REASON}
MINIMAL = {"source": "gp", "received_on": "2024-01-01"}
NEW_PATIENT = dict(
    nhs_number="943 476 5919",
    given_name="Jo",
    family_name="Referred",
    date_of_birth=dt.date(1968, 3, 2),
    sex="female",
)


def _tomorrow() -> str:
    return (timezone.localdate() + dt.timedelta(days=1)).isoformat()


def _audit_text() -> str:
    return str(list(AuditEvent.objects.values_list("detail", "object_id", "actor_label")))


# --- the action ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "nurse", "prescriber"])
def test_clinic_team_records_a_referral_audited_with_ids_only(
    users: dict[str, Any], patient: Any, role: str
) -> None:
    referral = actions.record_referral(by=users[role], patient=patient, **GOOD)
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.patient_id, stored.source, stored.referrer, stored.reason) == (
        patient.pk,
        "gp",
        REFERRER,
        REASON,
    )
    assert stored.received_on == dt.date(2024, 2, 3) and stored.created_by == users[role]
    event = AuditEvent.objects.get(object_type="referral")
    assert (event.action, event.object_id, event.patient_id, event.actor_id) == (
        "create",
        str(referral.pk),
        patient.pk,
        users[role].pk,
    )
    assert event.detail == {"source": "gp"}
    assert "Radiating" not in _audit_text() and "Example" not in _audit_text()


def test_self_referral_needs_no_referrer_and_dates_may_be_today_or_the_birth_date(
    nurse: Any, patient: Any
) -> None:
    today = actions.record_referral(
        by=nurse, patient=patient, source="self", received_on=timezone.localdate()
    )
    assert (today.referrer, today.reason) == ("", "")
    assert selectors.timeline(patient, limit=1)[0].title == "Self-referral"
    born = actions.record_referral(
        by=nurse, patient=patient, source="other", received_on=patient.date_of_birth
    )
    assert born.received_on == patient.date_of_birth
    assert Referral.objects.filter(patient=patient).count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("source", "pharmacy", f"must be one of: {SOURCES}"),
        ("source", "", f"is required; one of: {SOURCES}"),
        ("received_on", "03/02/2024", "must be a date as YYYY-MM-DD, got '03/02/2024'"),
        ("received_on", "", "is required (YYYY-MM-DD)"),
        ("received_on", "tomorrow", "cannot be in the future"),
        ("received_on", "1970-05-16", "cannot be before the patient's date of birth"),
        ("referrer", "x" * 201, "must be at most 200 characters"),
        ("reason", "x" * 20_001, "must be at most 20,000 characters"),
    ],
)
def test_each_bad_field_is_named_and_nothing_is_saved(
    nurse: Any, patient: Any, field: str, value: str, message: str
) -> None:
    assert patient.date_of_birth == dt.date(1970, 5, 17)
    value = _tomorrow() if value == "tomorrow" else value
    with pytest.raises(ActionError) as err:
        actions.record_referral(by=nurse, patient=patient, **{**GOOD, field: value})
    assert err.value.errors == {field: message}
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(object_type="referral").exists()


def test_every_bad_field_is_named_at_once(nurse: Any, patient: Any) -> None:
    with pytest.raises(ActionError) as err:
        actions.record_referral(
            by=nurse,
            patient=patient,
            source="pharmacy",
            referrer="x" * 201,
            received_on=_tomorrow(),
            reason="x" * 20_001,
        )
    assert set(err.value.errors) == {"source", "referrer", "received_on", "reason"}
    assert not Referral.objects.exists()


@pytest.mark.parametrize("role", ["researcher", "charity", "patient"])
def test_roles_outside_the_clinic_may_not_record_a_referral(
    users: dict[str, Any], patient: Any, role: str
) -> None:
    patient.user = users["patient"]
    patient.save()  # not even the patient themself: the clinic records referrals
    with pytest.raises(PermissionDenied):
        actions.record_referral(by=users[role], patient=patient, **GOOD)
    assert not Referral.objects.exists() and not AuditEvent.objects.exists()


# --- registration with the first referral ------------------------------------------------------


def test_registration_records_the_referral_in_the_same_transaction(users: dict[str, Any]) -> None:
    admin = users["admin"]
    patient = actions.create_patient(
        by=admin, **NEW_PATIENT, consents={"care": True}, referral=GOOD
    )
    referral = Referral.objects.get(patient=patient)
    assert (referral.source, referral.referrer, referral.reason) == ("gp", REFERRER, REASON)
    assert referral.received_on == dt.date(2024, 2, 3) and referral.created_by == admin
    assert set(AuditEvent.objects.values_list("object_type", flat=True)) == {
        "patient",
        "consent",
        "referral",
    }
    assert "Radiating" not in _audit_text()


@pytest.mark.parametrize(
    "referral", [None, {}, {"source": "", "referrer": " ", "received_on": "", "reason": ""}]
)
def test_registration_without_referral_details_records_none(
    nurse: Any, referral: dict[str, str] | None
) -> None:
    patient = actions.create_patient(by=nurse, **NEW_PATIENT, referral=referral)
    assert patient.pk and not Referral.objects.exists()


def test_registration_referral_is_all_or_nothing(nurse: Any) -> None:
    """Any referral field given makes source and received_on required; the referral's errors
    come with the demographics' errors, and nothing at all is saved."""
    with pytest.raises(ActionError) as err:
        actions.create_patient(
            by=nurse, **NEW_PATIENT, consents={"care": True}, referral={"reason": "leg pain"}
        )
    assert err.value.errors == {
        "referral.source": f"is required; one of: {SOURCES}",
        "referral.received_on": "is required (YYYY-MM-DD)",
    }
    with pytest.raises(ActionError) as err:
        actions.create_patient(
            by=nurse,
            **{**NEW_PATIENT, "nhs_number": "943 476 5918"},
            referral={**GOOD, "source": "pharmacy", "received_on": "1968-03-01"},
        )
    assert err.value.errors.keys() == {"nhs_number", "referral.source", "referral.received_on"}
    assert err.value.errors["referral.received_on"] == (
        "cannot be before the patient's date of birth"
    )
    assert not Patient.objects.exists() and not Consent.objects.exists()
    assert not Referral.objects.exists() and not AuditEvent.objects.exists()


def test_registration_referral_date_not_checked_against_a_refused_birth_date(nurse: Any) -> None:
    with pytest.raises(ActionError) as err:
        actions.create_patient(
            by=nurse, **{**NEW_PATIENT, "date_of_birth": "2999-01-01"}, referral=GOOD
        )
    assert set(err.value.errors) == {"date_of_birth"}


def test_failure_after_the_referral_row_rolls_back_the_registration(
    nurse: Any, monkeypatch: Any
) -> None:
    """The referral's audit event fails after its row (and the patient's, the consents') were
    written: the whole registration is rolled back."""
    from painpath.apps.audit import services

    real = services.record

    def failing(**kwargs: Any) -> Any:
        if kwargs.get("object_type") == "referral":
            raise RuntimeError("audit store unavailable")
        return real(**kwargs)

    monkeypatch.setattr(actions.audit, "record", failing)
    with pytest.raises(RuntimeError):
        actions.create_patient(by=nurse, **NEW_PATIENT, consents={"care": True}, referral=GOOD)
    assert not Patient.objects.exists() and not Consent.objects.exists()
    assert not Referral.objects.exists() and not AuditEvent.objects.exists()


# --- reads: who sees the reason ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("prescriber", True),
        ("nurse", True),
        ("admin", False),
        ("researcher", False),
        ("charity", False),
        ("patient", False),
    ],
)
def test_who_may_read_the_referral_reason(
    users: dict[str, Any], patient: Any, role: str, allowed: bool
) -> None:
    assert selectors.may_read_referral_reason(users[role], patient) is allowed


def test_the_patient_may_read_the_reason_on_their_own_record(users: dict[str, Any]) -> None:
    own = PatientFactory(user=users["patient"])
    assert selectors.may_read_referral_reason(users["patient"], own) is True
    assert selectors.may_read_referral_reason(users["patient"], PatientFactory()) is False


def test_referrals_without_the_reason_never_fetch_it(nurse: Any, patient: Any) -> None:
    actions.record_referral(by=nurse, patient=patient, **GOOD)
    actions.record_referral(by=nurse, patient=patient, source="self", received_on="2024-05-06")
    with CaptureQueriesContext(connection) as ctx:
        rows = list(selectors.referrals(patient, reason=False))
        shown = [(r.source, r.received_on) for r in rows]
    assert shown == [("self", dt.date(2024, 5, 6)), ("gp", dt.date(2024, 2, 3))]
    assert len(ctx.captured_queries) == 1
    assert '"reason"' not in ctx.captured_queries[0]["sql"]
    assert all("reason" in r.get_deferred_fields() for r in rows)
    assert [r.reason for r in selectors.referrals(patient, reason=True)] == ["", REASON]


# --- the timeline ------------------------------------------------------------------------------


def test_timeline_shows_referrals_rebuilt_from_the_database(nurse: Any, patient: Any) -> None:
    made = actions.record_referral(by=nurse, patient=patient, **GOOD)
    (entry,) = selectors.timeline(patient, limit=10)
    assert entry.kind == "referral" and entry.obj.pk == made.pk
    assert entry.title == f"Referral (GP): {REFERRER}"
    assert entry.detail == f"Received 2024-02-03\n{REASON}"
    stored = Referral.objects.get(pk=made.pk)
    for f in Referral._meta.concrete_fields:
        assert getattr(entry.obj, f.attname) == getattr(stored, f.attname), f.name
    assert entry.at == stored.created_at and entry.at.tzinfo is not None


def test_timeline_pages_through_referrals_with_the_other_kinds(nurse: Any, patient: Any) -> None:
    base = timezone.now() - dt.timedelta(days=30)
    for i in range(6):
        r = actions.record_referral(
            by=nurse, patient=patient, source="gp", received_on="2024-01-01"
        )
        Referral.objects.filter(pk=r.pk).update(created_at=base + dt.timedelta(days=2 * i))
        n = NoteFactory(patient=patient)
        type(n).objects.filter(pk=n.pk).update(created_at=base + dt.timedelta(days=2 * i + 1))
    first = selectors.timeline(patient, limit=5)
    assert [e.kind for e in first] == ["note", "referral", "note", "referral", "note"]
    second = selectors.timeline(patient, limit=5, before=first[-1].at)
    assert [e.kind for e in second] == ["referral", "note", "referral", "note", "referral"]
    third = selectors.timeline(patient, limit=5, before=second[-1].at)
    assert [e.kind for e in third] == ["note", "referral"]
    seen = [e.obj.pk for e in first + second + third if e.kind == "referral"]
    assert sorted(seen) == sorted(Referral.objects.values_list("pk", flat=True))


def test_timeline_with_many_referrals_is_still_one_query(nurse: Any, patient: Any) -> None:
    def count(n_extra: int) -> tuple[int, int]:
        for _ in range(n_extra):
            actions.record_referral(
                by=nurse, patient=patient, source="gp", received_on="2024-01-01"
            )
        with CaptureQueriesContext(connection) as ctx:
            entries = selectors.timeline(patient, limit=20)
        return len(ctx.captured_queries), len(entries)

    assert count(3) == (1, 3)
    assert count(120) == (1, 20)


# --- the API -----------------------------------------------------------------------------------


def test_api_records_and_lists_referrals_with_the_reason_by_role(
    api: Any, users: dict[str, Any], patient: Any
) -> None:
    url = f"/patients/{patient.pk}/referrals"
    made = api("admin").post(url, GOOD)
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["source"] == "gp" and body["referrer"] == REFERRER
    assert body["received_on"] == "2024-02-03" and body["patient_id"] == patient.pk
    assert body["reason"] is None  # admin staff record the reason but do not read it back
    stored = Referral.objects.get(pk=body["id"])
    assert stored.reason == REASON and stored.created_by == users["admin"]
    nurse_rows = api("nurse").get(url).json()
    assert [(r["id"], r["reason"]) for r in nurse_rows] == [(stored.pk, REASON)]
    admin_rows = api("admin").get(url).json()
    assert [(r["id"], r["reason"], r["referrer"]) for r in admin_rows] == [
        (stored.pk, None, REFERRER)
    ]
    assert REASON not in api("admin").get(url).content.decode()
    reads = AuditEvent.objects.filter(action="read", patient_id=patient.pk)
    assert {(e.actor_id, e.detail["scope"]) for e in reads} >= {
        (users["nurse"].pk, "clinical"),
        (users["admin"].pk, "demographics"),
    }


def test_api_patient_reads_own_referrals_only(api: Any, users: dict[str, Any], nurse: Any) -> None:
    own = PatientFactory(user=users["patient"])
    other = PatientFactory()
    actions.record_referral(by=nurse, patient=own, **GOOD)
    client = api("patient")
    assert [r["reason"] for r in client.get(f"/patients/{own.pk}/referrals").json()] == [REASON]
    assert client.get(f"/patients/{other.pk}/referrals").status_code == 403
    assert client.post(f"/patients/{own.pk}/referrals", GOOD).status_code == 403
    assert Referral.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "list_status", "create_status"),
    [
        ("prescriber", 200, 201),
        ("nurse", 200, 201),
        ("admin", 200, 201),
        ("researcher", 403, 403),
        ("charity", 403, 403),
        ("patient", 403, 403),
    ],
)
def test_api_role_rules(
    api: Any, patient: Any, role: str, list_status: int, create_status: int
) -> None:
    client = api(role)
    url = f"/patients/{patient.pk}/referrals"
    assert client.get(url).status_code == list_status
    assert client.post(url, GOOD).status_code == create_status
    assert Referral.objects.count() == (1 if create_status == 201 else 0)
    assert api(None).get(url).status_code == 401


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({**GOOD, "source": "pharmacy"}, {"source"}),
        ({**GOOD, "received_on": "03/02/2024"}, {"received_on"}),
        ({"referrer": REFERRER}, {"source", "received_on"}),
        ({**GOOD, "referrer": "x" * 201, "reason": "x" * 20_001}, {"referrer", "reason"}),
        ({**GOOD, "received_on": "tomorrow"}, {"received_on"}),
        ({**GOOD, "received_on": "1970-05-16"}, {"received_on"}),
    ],
)
def test_api_422_names_each_bad_field_and_saves_nothing(
    api: Any, patient: Any, body: dict[str, Any], fields: set[str]
) -> None:
    if body.get("received_on") == "tomorrow":
        body = {**body, "received_on": _tomorrow()}
    response = api("nurse").post(f"/patients/{patient.pk}/referrals", body)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert set(errors) == fields
    if "source" in fields and "source" in body:
        assert all(code in errors["source"] for code in SOURCES.split(", "))
    assert not Referral.objects.exists()


def test_api_unknown_patient_is_404(api: Any) -> None:
    assert api("nurse").get("/patients/987654321/referrals").status_code == 404
    assert api("admin").post("/patients/987654321/referrals", GOOD).status_code == 404


def test_api_registration_with_a_referral(api: Any) -> None:
    body = {**NEW_PATIENT, "date_of_birth": "1968-03-02", "referral": GOOD}
    response = api("admin").post("/patients", body)
    assert response.status_code == 201, response.content
    referral = Referral.objects.get(patient_id=response.json()["id"])
    assert (referral.source, referral.reason) == ("gp", REASON)


def test_api_registration_with_a_bad_referral_saves_nothing(api: Any) -> None:
    body = {
        **NEW_PATIENT,
        "date_of_birth": "1968-03-02",
        "referral": {**GOOD, "received_on": "1968-03-01"},
    }
    response = api("admin").post("/patients", body)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "referral.received_on": "cannot be before the patient's date of birth"
    }
    missing = api("admin").post("/patients", {**body, "referral": {"reason": "leg pain"}})
    assert missing.status_code == 422
    assert set(missing.json()["errors"]) == {"referral.source", "referral.received_on"}
    assert not Patient.objects.exists() and not Referral.objects.exists()


# --- demo data and the registry extract --------------------------------------------------------


@pytest.fixture
def demo_users(settings: Any) -> Any:
    from painpath.demo.users import ensure_demo_users

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return ensure_demo_users("demo-password-for-tests")


def test_demo_patients_each_have_a_plausible_synthetic_referral(demo_users: Any) -> None:
    from painpath.demo.patients import REFERRER_SURNAMES, generate_patients

    generate_patients(40, by=demo_users, seed=5, with_assessments=False)
    today = timezone.localdate()
    sources = []
    for p in Patient.objects.all():
        (referral,) = Referral.objects.filter(patient=p)
        sources.append(referral.source)
        assert p.date_of_birth < referral.received_on < today
        assert referral.created_by == demo_users["admin"]
        assert referral.reason.startswith("Synthetic demo")
        if referral.source == "self":
            assert referral.referrer == ""
        else:
            assert any(f". {name}, " in referral.referrer for name in REFERRER_SURNAMES)
        if referral.source == "gp":
            assert referral.referrer.startswith("Dr ")
            assert referral.referrer.endswith(p.gp_practice_name)
    assert sources.count("gp") > len(sources) / 2 and "self" in sources


def test_registry_extract_carries_no_referral_reason_or_referrer(
    demo_users: Any, tmp_path: Path
) -> None:
    from painpath.demo.patients import generate_patients
    from painpath.registry.extract import extract
    from tests.integration.registry.scan import hits, output_texts

    generate_patients(15, by=demo_users, seed=9, with_assessments=False)
    referrals = list(Referral.objects.all())
    assert len(referrals) == 15
    summary = extract(tmp_path / "extract", b"k" * 40, today=timezone.localdate())
    assert summary.patients > 0
    needles = sorted({r.referrer for r in referrals if r.referrer} | {r.reason for r in referrals})
    needles += ["Synthetic demo referral", "Synthetic demo self-referral"]
    outputs = output_texts(tmp_path / "extract")
    assert outputs and hits(needles, outputs) == []
    assert not any("referr" in o.text.lower() for o in outputs)
