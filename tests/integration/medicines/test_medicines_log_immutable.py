"""The prescribing log refuses UPDATE and DELETE in the database (SQLite and PostgreSQL), through
the ORM and through raw SQL; corrections are new entries; the inspector's CSV export carries
every event, attributed (who, role, GMC number, when)."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from painpath.apps.medicines import actions
from painpath.apps.medicines import models as m

from .conftest import TODAY

pytestmark = pytest.mark.django_db
TABLE = "medicines_prescribinglogentry"


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


@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE {TABLE} SET summary = 'rewritten'",
        f"UPDATE {TABLE} SET reason = 'x', actor_gmc_number = '' WHERE id = %s",
        f"UPDATE {TABLE} SET at = at WHERE id = %s",  # even a no-op update
        f"DELETE FROM {TABLE}",
        f"DELETE FROM {TABLE} WHERE id = %s",
    ],
)
def test_raw_sql_update_and_delete_refused(entry, sql):
    before = list(m.PrescribingLogEntry.objects.values())
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk] if "%s" in sql else None)
    assert list(m.PrescribingLogEntry.objects.values()) == before


def test_truncate_refused(entry):
    """PostgreSQL: the statement trigger refuses TRUNCATE. SQLite has no TRUNCATE (its
    "truncate optimisation" of DELETE is disabled by the triggers, tested above)."""
    refusal = "append-only" if connection.vendor == "postgresql" else "syntax error"
    with (
        pytest.raises(DatabaseError, match=refusal),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        if connection.vendor == "postgresql":
            # The test's own inserts leave deferred FK checks pending; run them first so the
            # refusal seen is the append-only trigger's.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {TABLE}")
    assert m.PrescribingLogEntry.objects.count() == 1


def test_triggers_present_on_this_database():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            expected = {f"{TABLE}_no_update", f"{TABLE}_no_delete"}
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [TABLE],
            )
            expected = {f"{TABLE}_append_only", f"{TABLE}_no_truncate"}
        assert {row[0] for row in cursor.fetchall()} == expected


def test_corrections_are_new_entries(users, entry):
    actions.log(
        by=users["prescriber"],
        event="decision",
        patient=entry.patient,
        summary="Correction to previous entry",
        reason="typo in rationale",
        detail={"corrects": entry.pk},
    )
    assert m.PrescribingLogEntry.objects.count() == 2
    entry.refresh_from_db()
    assert entry.summary == "Eligibility approved"


def test_attribution_survives_a_change_to_the_user(users, entry):
    users["prescriber"].first_name = "Renamed"
    users["prescriber"].gmc_number = "7999999"
    users["prescriber"].save()
    entry.refresh_from_db()
    assert entry.actor_name == "Dana Demo" and entry.actor_gmc_number == "7000001"


def test_csv_export_has_every_event_attributed(client, users, patient, products, draft):
    """A whole journey: decision, plan, draft, check, override, driving advice, sign, change,
    stop, and formulary edits; each appears once, with who, role, GMC number and when."""
    actions.create_titration_plan(
        by=users["nurse"], patient=patient, protocol="routine", product=products["cbd"],
        days=14, start_date=TODAY,
    )  # fmt: skip
    rx = actions.check_prescription_draft(
        by=users["nurse"], prescription=draft, facts={"epilepsy": True}, current_medicines=[],
        today=TODAY,
    )  # fmt: skip
    rx = actions.sign_prescription(
        by=users["prescriber"], prescription=rx, today=TODAY, driving_advice_given=True,
        overrides={"EPILEPSY": "seizure-free 10 years"},
    )  # fmt: skip
    new = actions.change_prescription(
        by=users["prescriber"], prescription=rx, reason="dose increase", daily_amount="1.5",
        dose="0.75 ml twice daily", quantity="45", quantity_words="forty-five millilitres",
    )  # fmt: skip
    actions.end_prescription(by=users["nurse"], prescription=new, event="cancel", reason="x")
    actions.edit_product(
        by=users["prescriber"], product=products["thc"], reason="pack", pack_sizes=["10"]
    )
    actions.retire_product(by=users["prescriber"], product=products["thc"], reason="withdrawn")
    client.force_login(users["admin"])
    r = client.get(reverse("medicines:log_csv"))
    assert r.status_code == 200 and r["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(b"".join(r.streaming_content).decode())))
    assert [row["event"] for row in rows] == [
        "decision", "draft", "plan", "check", "override", "driving_advice", "sign", "draft",
        "change", "cancel", "product_edit", "product_retire",
    ]  # fmt: skip
    assert len(rows) == m.PrescribingLogEntry.objects.count()
    by_event = {row["event"]: row for row in rows}
    sign = by_event["sign"]
    assert (sign["actor"], sign["actor_role"], sign["actor_gmc_number"]) == (
        "Dana Demo", "prescriber", "7000001",
    )  # fmt: skip
    assert sign["actor_username"] == "dr_demo" and sign["at"].startswith("20")
    assert by_event["override"]["reason"] == "seizure-free 10 years"
    assert by_event["change"]["reason"] == "dose increase"
    assert (
        by_event["check"]["actor_role"] == "nurse" and by_event["check"]["actor_gmc_number"] == ""
    )
    assert all(row["at"] and row["actor"] and row["actor_role"] for row in rows)
    assert '"overrides": ["EPILEPSY"]' in sign["detail"]


def test_log_page_and_csv_refused_to_clinical_non_exporters(client, users, entry):
    for role in ("nurse", "researcher"):
        client.force_login(users[role])
        assert client.get(reverse("medicines:log_csv")).status_code == 403
        assert client.get(reverse("medicines:log")).status_code == 403


def test_log_page_read_is_audited(client, users, entry):
    from painpath.apps.audit.models import AuditEvent

    client.force_login(users["prescriber"])
    r = client.get(reverse("medicines:log"), {"patient": entry.patient_id})
    assert r.status_code == 200 and "Eligibility approved" in r.content.decode()
    event = AuditEvent.objects.get(object_type="medicines.prescribinglog", action="read")
    assert event.actor == users["prescriber"] and event.detail == {"patient": str(entry.patient_id)}
