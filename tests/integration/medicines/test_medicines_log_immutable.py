"""The prescribing log refuses UPDATE and DELETE in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from painpath.apps.medicines import models as m

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(approved):
    return m.PrescribingLogEntry.objects.get(event="decision")


def test_orm_update_refused(entry):
    entry.summary = "rewritten"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.save()
    entry.refresh_from_db()
    assert entry.summary == "Eligibility approved"


def test_queryset_update_and_delete_refused(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        m.PrescribingLogEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        m.PrescribingLogEntry.objects.filter(pk=entry.pk).delete()
    assert m.PrescribingLogEntry.objects.filter(pk=entry.pk).exists()


def test_raw_sql_refused(entry):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM medicines_prescribinglogentry")
    assert m.PrescribingLogEntry.objects.count() == 1


def test_corrections_are_new_entries(users, entry):
    from painpath.apps.medicines.actions import log

    log(
        by=users["prescriber"],
        event="decision",
        patient=entry.patient,
        summary="Correction to previous entry",
        reason="typo in rationale",
    )
    assert m.PrescribingLogEntry.objects.count() == 2
