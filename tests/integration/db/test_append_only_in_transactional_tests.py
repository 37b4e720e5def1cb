"""Transactional tests end with a flush, yet the append-only triggers stay in force.

tests/conftest.py lifts the triggers only for Django's flush (tests/append_only_support.py). These
two tests run in order: the first leaves an audit row for the flush to remove; the second proves
the flush happened and that the triggers were put back (a raw UPDATE and DELETE still refused).
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from painpath.apps.audit import services as audit
from painpath.apps.audit.models import AuditAction, AuditEvent
from tests.append_only_support import append_only_tables

pytestmark = pytest.mark.django_db(transaction=True)


def test_first_leaves_an_audit_row_behind() -> None:
    audit.record(actor=None, action=AuditAction.READ, object_type="probe", object_id=1)
    assert AuditEvent.objects.filter(object_type="probe").count() == 1


def test_then_the_table_was_flushed_and_the_triggers_are_back() -> None:
    assert not AuditEvent.objects.filter(object_type="probe").exists()
    assert {"audit_auditevent", "medicines_prescribinglogentry"} <= set(
        append_only_tables(connection)
    )
    audit.record(actor=None, action=AuditAction.READ, object_type="probe", object_id=2)
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    for sql in (f"UPDATE {table} SET object_id = '3'", f"DELETE FROM {table}"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
