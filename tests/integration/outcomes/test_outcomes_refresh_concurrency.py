"""Two refreshes of the completion summary at the same moment never collide (ADR 0075).

Scheduler workers each refresh the summary at the end of a run, and a page refreshes it when
stale; without serialising, both delete, both insert, and the second insert breaks the unique
timepoint (seen with two scheduler workers on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import os
import threading

import pytest
from django.db import connections
from django.utils import timezone

from painpath.apps.followup.models import FollowUpPlan, FollowUpSet
from painpath.apps.outcomes.models import CompletionSummary
from painpath.apps.outcomes.selectors import refresh_completion_summary
from tests.factories import PatientFactory

TODAY = dt.date(2026, 6, 15)
ROUNDS = 15


@pytest.mark.postgres_only
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="SQLite's in-memory test database (shared cache) reports 'table is locked' instead of "
    "waiting; on SQLite files refreshes queue on the IMMEDIATE write lock, proven with real "
    "processes by test_followup_workers.py::test_two_workers_at_once_send_each_email_exactly_once",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_all_succeed_with_one_table() -> None:
    now = timezone.now()
    for i in range(4):
        patient = PatientFactory()
        plan = FollowUpPlan.objects.create(patient=patient)
        for timepoint, days, status in (("baseline", 60, "completed"), ("2w", 46, "missed")):
            FollowUpSet.objects.create(
                plan=plan,
                patient=patient,
                timepoint=timepoint,
                due_on=TODAY - dt.timedelta(days=days + i),
                status=status,
                completed_at=now if status == "completed" else None,
            )
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def refresh_repeatedly() -> None:
        try:
            start.wait()
            for _ in range(ROUNDS):
                refresh_completion_summary(TODAY)
        except BaseException as exc:  # reported below with its type
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=refresh_repeatedly) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, [f"{type(e).__name__}: {e}" for e in errors]
    rows = {(s.timepoint, s.due, s.completed) for s in CompletionSummary.objects.all()}
    assert rows == {("baseline", 4, 4), ("2w", 4, 0)}
