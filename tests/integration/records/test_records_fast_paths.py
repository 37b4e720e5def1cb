"""The API's hot-path reads and writes (painpath.db.rows, the token lookup) give exactly what the
ORM gives: the same field values, the same refusals, the same transaction behaviour."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from painpath.apps.accounts.models import ApiToken, User
from painpath.apps.accounts.tokens import LAST_USED_RESOLUTION, issue_token, user_for_token
from painpath.apps.assessments.models import QuestionnaireResponse
from painpath.apps.audit import services as audit
from painpath.apps.audit.models import AuditEvent
from painpath.apps.patients.models import Patient
from painpath.apps.patients.selectors import patient_by_id
from painpath.db import rows
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

BIGGEST_ID = 2**63 - 1


def _fields(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_patient_by_id_equals_the_orm_row(nurse: Any) -> None:
    patient = PatientFactory(user=nurse, email="p@example.invalid", postcode="AB1 2CD")
    found = patient_by_id(patient.pk)
    assert isinstance(found, Patient)
    assert _fields(found) == _fields(Patient.objects.get(pk=patient.pk))
    assert timezone.is_aware(found.created_at)
    assert isinstance(found.date_of_birth, dt.date)
    assert found._state.adding is False and found._state.db == "default"


@pytest.mark.parametrize("pk", [0, -1, 10**6, BIGGEST_ID, BIGGEST_ID + 1, -(2**63) - 1])
def test_patient_by_id_unknown_or_out_of_range_is_none(pk: int) -> None:
    PatientFactory()
    assert patient_by_id(pk) is None


def test_out_of_range_patient_id_is_404_not_500(api: Any) -> None:
    nurse_api = api("nurse")
    assert nurse_api.get(f"/patients/{BIGGEST_ID + 1}/timeline").status_code == 404
    response = nurse_api.post(
        "/questionnaire-responses",
        {"patient_id": BIGGEST_ID + 1, "instrument": "gad7", "answers": [0] * 7},
    )
    assert response.status_code == 422
    assert "patient_id" in response.json()["errors"]


def test_insert_stores_what_save_would(nurse: Any) -> None:
    patient = PatientFactory()
    before = timezone.now()
    response = rows.insert(
        QuestionnaireResponse(
            patient=patient,
            instrument="gad7",
            answers=[1, None, 3],
            value=4.0,
            band="minimal",
            subscores={"a": 1.5, "nested": {"b": [1, 2]}},
            flags=["x"],
            complete=False,
            completed_at=before - dt.timedelta(days=2),
            source="clinic",
            recorded_by=nurse,
        )
    )
    assert response.pk is not None and response._state.adding is False
    assert before <= response.created_at <= timezone.now()  # auto_now_add filled
    stored = QuestionnaireResponse.objects.get(pk=response.pk)
    assert _fields(stored) == _fields(response)
    assert stored.answers == [1, None, 3] and stored.subscores["nested"] == {"b": [1, 2]}


def test_audit_record_through_insert(nurse: Any, rf: Any) -> None:
    request = rf.get("/", REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT="ua")
    event = audit.record(
        actor=nurse,
        action="read",
        object_type="patient",
        object_id=42,
        patient_id=42,
        request=request,
        detail={"scope": "clinical"},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert _fields(stored) == _fields(event)
    assert (stored.actor_id, stored.actor_label, stored.ip_address) == (
        nurse.pk,
        nurse.username,
        "198.51.100.7",
    )
    assert stored.detail == {"scope": "clinical"} and timezone.is_aware(stored.at)


def test_insert_rolls_back_with_its_transaction() -> None:
    patient = PatientFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(actor="system", action="read", object_type="patient", patient_id=patient.pk)
        raise RuntimeError("after the insert")
    assert not AuditEvent.objects.filter(patient_id=patient.pk).exists()


def test_insert_uses_save_when_a_receiver_listens() -> None:
    seen: list[int] = []

    def receiver(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
        seen.append(instance.pk)

    post_save.connect(receiver, sender=AuditEvent)
    try:
        event = audit.record(actor="system", action="read", object_type="patient")
    finally:
        post_save.disconnect(receiver, sender=AuditEvent)
    assert seen == [event.pk]


def test_token_user_equals_the_orm_user(nurse: Any) -> None:
    _, raw = issue_token(nurse, expires_at=timezone.now() + dt.timedelta(hours=1))
    user = user_for_token(raw)
    assert isinstance(user, User)
    assert _fields(user) == _fields(User.objects.get(pk=nurse.pk))
    assert user.is_authenticated and user.role == nurse.role


def test_token_last_used_rewritten_only_after_the_resolution(nurse: Any) -> None:
    token, raw = issue_token(nurse)
    stale = timezone.now() - LAST_USED_RESOLUTION - dt.timedelta(seconds=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    assert user_for_token(raw) == nurse
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at > stale
    recent = token.last_used_at
    assert user_for_token(raw) == nurse
    token.refresh_from_db()
    assert token.last_used_at == recent


def test_hot_path_statements_prepared_on_postgresql_only(api: Any, nurse: Any) -> None:
    """PostgreSQL: the token lookup, patient read, audit insert and timeline are prepared after
    ``prepare_threshold`` runs (the server stops re-planning them); ORM queries never are.
    SQLite: the usual cursor (Python's sqlite3 keeps its own statement cache)."""
    from django.db import connection

    patient = PatientFactory()
    nurse_api = api("nurse")
    for _ in range(8):
        assert nurse_api.get(f"/patients/{patient.pk}/timeline").status_code == 200
        assert Patient.objects.filter(nhs_number=patient.nhs_number).exists()
    with rows.cursor() as cursor:
        if connection.vendor != "postgresql":
            assert type(cursor.cursor).__name__ == "SQLiteCursorWrapper"
            return
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [r[0] for r in cursor.fetchall()]
    assert any("accounts_apitoken" in s for s in prepared)
    assert any("UNION ALL" in s for s in prepared)
    assert any(s.startswith('INSERT INTO "audit_auditevent"') for s in prepared)
    assert any(s.startswith('SELECT "patients_patient"."id"') for s in prepared)
    assert not any('"nhs_number" =' in s for s in prepared)  # the ORM's own query: not prepared
