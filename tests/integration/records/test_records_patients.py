"""Patient actions and selectors: validation, consent, permissions, audit, one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from painpath.apps.audit.models import AuditEvent
from painpath.apps.errors import ActionError
from painpath.apps.patients import actions, selectors
from painpath.apps.patients.models import Consent, Patient, Referral
from tests.factories import AlertFactory, AssessmentFactory, PatientFactory

pytestmark = pytest.mark.django_db

VALID = dict(
    nhs_number="943 476 5919",
    given_name="Jo",
    family_name="Synthetic",
    date_of_birth=dt.date(1968, 3, 2),
    sex="female",
)


def test_create_patient_normalises_nhs_number_and_audits(nurse: Any) -> None:
    p = actions.create_patient(
        by=nurse, **VALID, consents={"care": True, "research_registry": False}
    )
    assert p.nhs_number == "9434765919"
    events = AuditEvent.objects.filter(patient_id=p.pk)
    assert {(e.action, e.object_type) for e in events} == {
        ("create", "patient"),
        ("create", "consent"),
    }
    assert all(e.actor_id == nurse.pk for e in events)
    assert selectors.has_consent(p, "care") is True
    assert selectors.has_consent(p, "research_registry") is False
    assert selectors.has_consent(p, "gp_sharing") is False


def test_create_patient_names_every_bad_field_and_saves_nothing(nurse: Any) -> None:
    with pytest.raises(ActionError) as err:
        actions.create_patient(
            by=nurse,
            nhs_number="943 476 5918",
            given_name=" ",
            family_name="X",
            date_of_birth="2999-01-01",
            sex="unknown",
            email="not-an-email",
            consents={"care": True, "marketing": True},
        )
    assert set(err.value.errors) == {
        "nhs_number",
        "given_name",
        "date_of_birth",
        "sex",
        "email",
        "consents.marketing",
    }
    assert "Modulus 11" in err.value.errors["nhs_number"]
    assert Patient.objects.count() == 0
    assert Consent.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_duplicate_nhs_number_refused(nurse: Any) -> None:
    actions.create_patient(by=nurse, **VALID)
    with pytest.raises(ActionError) as err:
        actions.create_patient(by=nurse, **{**VALID, "nhs_number": "9434765919"})
    assert err.value.errors == {"nhs_number": "is already registered to another patient"}
    assert Patient.objects.count() == 1


def test_failure_midway_leaves_nothing_saved(nurse: Any) -> None:
    """A consent that fails after the patient row was written rolls the patient back too."""
    with pytest.raises(ActionError):
        actions.create_patient(by=nurse, **VALID, consents={"care": "yes"})  # type: ignore[dict-item]
    assert not Patient.objects.exists()


@pytest.mark.parametrize("role", ["researcher", "charity", "patient"])
def test_roles_without_demographics_cannot_create(users: dict[str, Any], role: str) -> None:
    with pytest.raises(PermissionDenied):
        actions.create_patient(by=users[role], **VALID)
    assert not Patient.objects.exists()


def test_update_patient_audits_field_names_not_values(users: dict[str, Any], patient: Any) -> None:
    admin = users["admin"]
    actions.update_patient(by=admin, patient=patient, phone="01632 960 001", given_name="Sam")
    patient.refresh_from_db()
    assert patient.phone == "01632 960 001"
    event = AuditEvent.objects.get(action="update", object_type="patient")
    assert event.detail == {"fields": ["given_name", "phone"]}
    assert "01632" not in str(event.detail)


def test_update_patient_refuses_unknown_and_invalid_fields(nurse: Any, patient: Any) -> None:
    with pytest.raises(ActionError) as err:
        actions.update_patient(by=nurse, patient=patient, nhs_number="1234567890", user_id=5)
    assert set(err.value.errors) == {"nhs_number", "user_id"}


def test_consent_withdrawal_is_a_new_row(nurse: Any, patient: Any) -> None:
    actions.record_consent(
        by=nurse,
        patient=patient,
        kind="research_registry",
        status="given",
        decided_on=dt.date(2024, 1, 1),
    )
    assert selectors.has_consent(patient, "research_registry")
    actions.record_consent(
        by=nurse,
        patient=patient,
        kind="research_registry",
        status="withdrawn",
        decided_on="2024-06-01",
    )
    assert not selectors.has_consent(patient, "research_registry")
    assert Consent.objects.filter(patient=patient).count() == 2


def test_record_consent_validates(nurse: Any, patient: Any) -> None:
    with pytest.raises(ActionError) as err:
        actions.record_consent(by=nurse, patient=patient, kind="x", status="maybe", decided_on="no")
    assert set(err.value.errors) == {"kind", "status", "decided_on"}


def test_add_treatment_checks_dates(nurse: Any, patient: Any) -> None:
    with pytest.raises(ActionError) as err:
        actions.add_treatment(
            by=nurse,
            patient=patient,
            category="opioid",
            started_on="2020-05-01",
            stopped_on="2020-01-01",
            effect="failed",
        )
    assert set(err.value.errors) == {"stopped_on", "effect"}
    t = actions.add_treatment(
        by=nurse,
        patient=patient,
        category="opioid",
        name="codeine",
        started_on="2020-01-01",
        stopped_on="2020-05-01",
        effect="not_tolerated",
        reason_stopped="constipation",
    )
    assert t.pk and AuditEvent.objects.filter(object_type="treatment", object_id=t.pk).exists()


def test_admin_cannot_write_clinical_records(users: dict[str, Any], patient: Any) -> None:
    with pytest.raises(PermissionDenied):
        actions.add_note(by=users["admin"], patient=patient, text="x")
    with pytest.raises(PermissionDenied):
        actions.add_treatment(by=users["admin"], patient=patient, category="nsaid")


def test_note_text_not_in_audit(nurse: Any, patient: Any) -> None:
    actions.add_note(by=nurse, patient=patient, text="Feels low; sleeping badly.")
    assert "sleeping" not in str(list(AuditEvent.objects.values_list("detail", flat=True)))


def test_acknowledge_alert_once(prescriber: Any, patient: Any) -> None:
    alert = actions.raise_alert(patient=patient, kind="other", severity="soon", message="check")
    actions.acknowledge_alert(by=prescriber, alert=alert, note="seen")
    alert.refresh_from_db()
    assert alert.acknowledged_by == prescriber and alert.acknowledged_at is not None
    with pytest.raises(ActionError):
        actions.acknowledge_alert(by=prescriber, alert=alert)


def test_raise_alert_validates() -> None:
    patient = PatientFactory()
    with pytest.raises(ActionError) as err:
        actions.raise_alert(patient=patient, kind="nope", severity="bad", message="")
    assert set(err.value.errors) == {"kind", "severity", "message"}


# --- selectors -------------------------------------------------------------------------------


def test_get_patient_for_audits_every_read(prescriber: Any, patient: Any, rf: Any) -> None:
    request = rf.get("/", REMOTE_ADDR="192.0.2.7")
    selectors.get_patient_for(prescriber, patient.pk, request=request)
    selectors.get_patient_for(prescriber, str(patient.pk), request=request)
    reads = AuditEvent.objects.filter(action="read", patient_id=patient.pk)
    assert reads.count() == 2
    assert {r.ip_address for r in reads} == {"192.0.2.7"}
    assert {r.actor_id for r in reads} == {prescriber.pk}


@pytest.mark.parametrize(
    ("role", "clinical", "allowed"),
    [
        ("prescriber", True, True),
        ("nurse", True, True),
        ("admin", True, False),
        ("admin", False, True),
        ("researcher", False, False),
        ("charity", False, False),
        ("patient", False, False),
    ],
)
def test_get_patient_for_role_rules(
    users: dict[str, Any], patient: Any, role: str, clinical: bool, allowed: bool
) -> None:
    if allowed:
        assert selectors.get_patient_for(users[role], patient.pk, clinical=clinical) == patient
    else:
        with pytest.raises(PermissionDenied):
            selectors.get_patient_for(users[role], patient.pk, clinical=clinical)
        assert AuditEvent.objects.filter(action="denied", actor=users[role]).exists()


def test_patient_may_read_own_record(users: dict[str, Any], patient: Any) -> None:
    patient.user = users["patient"]
    patient.save()
    assert selectors.get_patient_for(users["patient"], patient.pk) == patient
    other = PatientFactory()
    with pytest.raises(PermissionDenied):
        selectors.get_patient_for(users["patient"], other.pk)


def test_missing_patient_is_404(prescriber: Any) -> None:
    with pytest.raises(Http404):
        selectors.get_patient_for(prescriber, 999999)
    with pytest.raises(Http404):
        selectors.get_patient_for(prescriber, "abc")


def test_patient_list_annotations_and_filters(prescriber: Any) -> None:
    a, b, c = (
        PatientFactory(family_name="Ash"),
        PatientFactory(family_name="Birch"),
        PatientFactory(),
    )
    AssessmentFactory(
        patient=a, urgency="routine", performed_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    )
    AssessmentFactory(
        patient=a,
        urgency="emergency",
        pain_type="radicular",
        performed_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC),
    )
    AssessmentFactory(patient=b, urgency="soon", pain_type="mechanical")
    AlertFactory(patient=a)
    AlertFactory(patient=a)
    rows = {p.pk: p for p in selectors.patient_list(prescriber)}
    assert rows[a.pk].latest_urgency == "emergency"
    assert rows[a.pk].latest_pain_type == "radicular"
    assert rows[a.pk].open_alert_count == 2
    assert rows[c.pk].latest_urgency is None and rows[c.pk].open_alert_count == 0
    assert [p.pk for p in selectors.patient_list(prescriber, urgency="emergency")] == [a.pk]
    assert [p.pk for p in selectors.patient_list(prescriber, pain_type="mechanical")] == [b.pk]
    assert [p.pk for p in selectors.patient_list(prescriber, open_alerts=True)] == [a.pk]
    assert [p.pk for p in selectors.patient_list(prescriber, q="birch")] == [b.pk]
    assert [
        p.pk
        for p in selectors.patient_list(prescriber, q=a.nhs_number[:3] + " " + a.nhs_number[3:6])
    ][:3]


def test_patient_list_is_one_query(prescriber: Any) -> None:
    for _ in range(15):
        p = PatientFactory()
        AssessmentFactory(patient=p)
        AlertFactory(patient=p)
    qs = selectors.patient_list(prescriber)
    with CaptureQueriesContext(connection) as ctx:
        rows = [(p.latest_urgency, p.open_alert_count) for p in qs]
    assert len(rows) == 15 and len(ctx.captured_queries) == 1


def test_patient_list_scoped_by_role(users: dict[str, Any]) -> None:
    p = PatientFactory()
    AssessmentFactory(patient=p, urgency="emergency")
    rows = list(selectors.patient_list(users["admin"]))
    assert rows[0].latest_urgency is None  # admin staff see no clinical details
    with pytest.raises(PermissionDenied):
        selectors.patient_list(users["admin"], urgency="emergency")
    for role in ("researcher", "charity", "patient"):
        with pytest.raises(PermissionDenied):
            selectors.patient_list(users[role])


def test_timeline_merges_newest_first_and_pages(nurse: Any, patient: Any) -> None:
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    for i in range(5):
        AssessmentFactory(patient=patient, performed_at=base + dt.timedelta(days=2 * i))
    referral = actions.record_referral(
        by=nurse, patient=patient, source="gp", received_on="2023-12-01"
    )
    Referral.objects.filter(pk=referral.pk).update(created_at=base + dt.timedelta(days=1))
    actions.add_note(by=nurse, patient=patient, text="a note")
    entries = selectors.timeline(patient, limit=4)
    assert entries[0].kind == "note"  # created now, newest
    assert len(entries) == 4
    assert all(entries[i].at >= entries[i + 1].at for i in range(3))
    older = selectors.timeline(patient, limit=10, before=entries[-1].at)
    assert len(older) == 3 and all(e.at < entries[-1].at for e in older)
    assert [e.kind for e in older] == ["assessment", "referral", "assessment"]


def test_timeline_query_count_flat(patient: Any) -> None:
    def count(n_extra: int) -> int:
        for _ in range(n_extra):
            AssessmentFactory(patient=patient)
            Referral.objects.create(patient=patient, source="gp", received_on=dt.date(2024, 1, 2))
        with CaptureQueriesContext(connection) as ctx:
            selectors.timeline(patient, limit=20)
        return len(ctx.captured_queries)

    assert count(5) == count(200) == 1


def test_access_log_for_prescribers_only(users: dict[str, Any], patient: Any) -> None:
    selectors.get_patient_for(users["nurse"], patient.pk)
    log = list(selectors.access_log(users["prescriber"], patient))
    assert [(e.action, e.actor_id) for e in log] == [("read", users["nurse"].pk)]
    for role in ("nurse", "admin", "researcher"):
        with pytest.raises(PermissionDenied):
            selectors.access_log(users[role], patient)


def test_timeline_objects_match_the_database(nurse: Any, patient: Any) -> None:
    """Timeline rows come back packed as JSON: every kind must rebuild to the stored values."""
    from painpath.apps.assessments.models import QuestionnaireResponse
    from tests.factories import ResponseFactory

    AssessmentFactory(patient=patient, findings=["foot_drop", {"code": "x", "days": 3}])
    ResponseFactory(patient=patient, flags=["phq9_item9_positive"], value=7.5, band="mild")
    actions.add_treatment(
        by=nurse,
        patient=patient,
        category="nsaid",
        name="naproxen",
        started_on="2021-02-03",
        stopped_on="2021-04-05",
        effect="no_effect",
    )
    actions.add_note(by=nurse, patient=patient, text="Note with 'quotes' and \"doubles\" — ü")
    alert = actions.raise_alert(patient=patient, kind="other", severity="soon", message="m")
    actions.acknowledge_alert(by=nurse, alert=alert, note="ok")
    actions.record_referral(
        by=nurse,
        patient=patient,
        source="physiotherapy",
        referrer="K. O'Example, Demo MSK Physiotherapy",
        received_on="2021-01-31",
        reason="Leg pain — 'not settling'\non two lines",
    )
    entries = selectors.timeline(patient, limit=10)
    assert sorted(e.kind for e in entries) == [
        "alert",
        "assessment",
        "note",
        "questionnaire",
        "referral",
        "treatment",
    ]
    for e in entries:
        stored = type(e.obj).objects.get(pk=e.obj.pk)
        for f in type(e.obj)._meta.concrete_fields:
            if f.name in ("answers", "subscores") and isinstance(e.obj, QuestionnaireResponse):
                continue
            assert getattr(e.obj, f.attname) == getattr(stored, f.attname), (e.kind, f.name)
        assert e.at.tzinfo is not None
