"""Audit trail append-only at the database; log-in audit and throttling."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.db import DatabaseError, connection, transaction

from painpath.apps.accounts import throttle
from painpath.apps.accounts.models import LoginAttempt
from painpath.apps.audit.models import AuditEvent
from painpath.apps.audit.services import record
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _event() -> AuditEvent:
    return record(actor="system", action="read", object_type="patient", object_id=1, patient_id=1)


def test_audit_update_refused_by_database() -> None:
    event = _event()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="update")
    assert AuditEvent.objects.get(pk=event.pk).action == "read"


def test_audit_delete_refused_by_database() -> None:
    event = _event()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_raw_sql_update_refused() -> None:
    _event()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_label = 'someone else'")


def _try(rf: Any, username: str, password: str, ip: str = "198.51.100.1") -> Any:
    request = rf.post("/login/", REMOTE_ADDR=ip)
    return authenticate(request, username=username, password=password)


def test_login_and_failed_login_audited(users: dict[str, Any], rf: Any) -> None:
    from django.contrib.auth import login
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.post("/login/", REMOTE_ADDR="198.51.100.9")
    request.session = SessionStore()
    user = authenticate(request, username="nurse-user", password=PASSWORD)
    assert user == users["nurse"]
    login(request, user)
    assert _try(rf, "nurse-user", "wrong") is None
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor_label"))
    assert actions == [("login", "nurse-user"), ("login_failed", "nurse-user")]


def test_lockout_after_repeated_failures(users: dict[str, Any], rf: Any) -> None:
    for _ in range(throttle.MAX_FAILURES):
        assert _try(rf, "nurse-user", "wrong") is None
    # Locked out: even the right password is refused, and the refusal is audited.
    assert _try(rf, "nurse-user", PASSWORD) is None
    assert AuditEvent.objects.filter(action="login_failed", detail__reason="locked_out").exists()
    # Another address is not locked out (username + IP), nor is another user.
    assert _try(rf, "nurse-user", PASSWORD, ip="198.51.100.2") == users["nurse"]
    assert _try(rf, "admin-user", PASSWORD) == users["admin"]
    # After the window the lock lifts.
    LoginAttempt.objects.update(at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert _try(rf, "nurse-user", PASSWORD) == users["nurse"]


def test_success_resets_the_count(users: dict[str, Any], rf: Any) -> None:
    from django.contrib.auth import login
    from django.contrib.sessions.backends.db import SessionStore

    for _ in range(throttle.MAX_FAILURES - 1):
        _try(rf, "nurse-user", "wrong")
    request = rf.post("/login/", REMOTE_ADDR="198.51.100.1")
    request.session = SessionStore()
    login(request, _try(rf, "nurse-user", PASSWORD))
    _try(rf, "nurse-user", "wrong")
    assert not throttle.is_locked_out("nurse-user", "198.51.100.1")
    assert _try(rf, "nurse-user", PASSWORD) == users["nurse"]


def test_username_case_does_not_dodge_lockout(users: dict[str, Any], rf: Any) -> None:
    for i in range(throttle.MAX_FAILURES):
        _try(rf, "Nurse-User" if i % 2 else "nurse-user", "wrong")
    assert throttle.is_locked_out("NURSE-USER", "198.51.100.1")
