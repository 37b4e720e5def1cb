"""Clinic follow-up dashboard cost at 5,000 and 50,000 patients (issue 5: sub-linear growth).

Builds a scratch database (SQLite file, or PostgreSQL with ``--db postgres``), bulk-creates
synthetic rows directly (no actions: this measures reads), and for each size renders the
dashboard page through the Django test client as a signed-in nurse:

* queries per page (must not grow with patients: no N+1),
* median and p90 wall time of the page over 30 warm requests,
* the cost of refreshing the materialised completion table (linear, done at most every 5 minutes;
  ADR 0075), reported separately.

Rows per patient: a follow-up plan and its 14 sets from the real schedule (baseline, 2 weeks, 1,
3, 6, 12 months, then 6-monthly to 60; statuses mixed, some overdue, missed or twice reminded);
1 in 10 patients with an acknowledged alert, 1 in 250 with an open one; 1 in 5 with an adverse
event (90% graded).

Run: ``.venv/bin/python -m benchmarks.bench_dashboard [--db sqlite|postgres] [--sizes 5000,50000]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("PAINPATH_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DB = "painpath_bench_dashboard"


def _setup(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "painpath.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _add_patients(start: int, n: int, rng: random.Random) -> None:
    from django.utils import timezone

    from painpath.apps.outcomes.models import AdverseEvent
    from painpath.apps.patients.models import Alert, Patient

    now = timezone.now()
    patients = Patient.objects.bulk_create(
        (
            Patient(
                nhs_number=f"8{start + i:09d}",
                given_name="Synthetic",
                family_name=f"Patient{start + i}",
                date_of_birth=dt.date(1950 + (i % 50), 1 + i % 12, 1 + i % 28),
                sex=("female", "male")[i % 2],
            )
            for i in range(n)
        ),
        batch_size=2000,
    )
    from painpath.apps.accounts.models import User

    nurse = User.objects.get(username="bench-nurse")
    alerts: list[Alert] = []
    events: list[AdverseEvent] = []
    for p in patients:
        if rng.random() < 0.1:
            alerts.append(
                Alert(
                    patient=p,
                    kind="deterioration",
                    severity="soon",
                    message="NRS worse",
                    acknowledged_at=now,
                    acknowledged_by=nurse,
                )
            )
        if rng.random() < 0.004:
            alerts.append(
                Alert(
                    patient=p,
                    kind=rng.choice(["red_flag", "severe_adverse_event"]),
                    severity=rng.choice(["emergency", "urgent", "soon"]),
                    message="open alert",
                )
            )
        if rng.random() < 0.2:
            graded = rng.random() < 0.9
            events.append(
                AdverseEvent(
                    patient=p,
                    reported_at=now - dt.timedelta(days=rng.randint(1, 500)),
                    source="home",
                    symptom="dizziness",
                    reported_severity="mild",
                    grade=1 if graded else None,
                    serious=False if graded else None,
                    causality="possible" if graded else "",
                    graded_by=nurse if graded else None,
                    graded_at=now if graded else None,
                )
            )
    Alert.objects.bulk_create(alerts, batch_size=2000)
    AdverseEvent.objects.bulk_create(events, batch_size=2000)
    _add_sets(patients, rng)


def _add_sets(patients: list[Any], rng: random.Random) -> None:
    """Each patient's plan with every set the real schedule makes (baseline, 2 weeks, 1, 3, 6, 12
    months, then 6-monthly to 60: 14 sets), started up to two years ago. Completion falls with
    time as in UK registries (issue 5); recent unanswered sets are sent or reminded, older ones
    missed, future ones due."""
    from django.utils import timezone

    from painpath.apps.followup.models import FollowUpPlan, FollowUpSet
    from painpath.clinical.followup import schedule_sets

    today = timezone.localdate()
    now = timezone.now()
    starts = {p.pk: today - dt.timedelta(days=rng.randint(0, 720)) for p in patients}
    plans = FollowUpPlan.objects.bulk_create(
        (FollowUpPlan(patient=p, started_on=starts[p.pk]) for p in patients), batch_size=2000
    )
    rows = []
    for plan in plans:
        for i, planned in enumerate(schedule_sets(plan.started_on)):
            reminders = 0
            if planned.due_on > today:
                status = "due"
            elif rng.random() < 0.92 - 0.08 * min(i, 6):
                status = "completed"
            elif planned.closes_on <= today:
                status = "missed"
            else:
                reminders = rng.randint(0, 2)
                status = "reminded" if reminders else "sent"
            rows.append(
                FollowUpSet(
                    plan=plan,
                    patient_id=plan.patient_id,
                    timepoint=planned.timepoint,
                    position=planned.position,
                    due_on=planned.due_on,
                    closes_on=planned.closes_on,
                    status=status,
                    reminders_sent=reminders,
                    instruments=list(planned.instruments),
                    completed_at=now if status == "completed" else None,
                )
            )
    FollowUpSet.objects.bulk_create(rows, batch_size=5000)


def _analyze() -> None:
    """PostgreSQL: refresh planner statistics after the bulk load, as autovacuum would."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _measure(client: Any, url: str, reps: int = 30) -> tuple[int, float, float]:
    from django.db import connection

    client.get(url)  # warm (and refresh the completion table if stale)
    executed: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        resp = client.get(url)
    assert resp.status_code == 200, resp.status_code
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - t)
    times.sort()
    return len(executed), statistics.median(times) * 1000, times[int(reps * 0.9)] * 1000


def child(db_url: str, sizes: list[int]) -> None:
    _setup(db_url)
    from django.test import Client
    from django.test.utils import setup_test_environment

    from painpath.apps.accounts.models import User
    from painpath.apps.outcomes.selectors import refresh_completion_summary

    setup_test_environment()
    User.objects.create_user(username="bench-nurse", password="x", role="nurse")
    client = Client()
    client.force_login(User.objects.get(username="bench-nurse"))
    rng = random.Random(5)
    have = 0
    print(f"database: {db_url.split(':', 1)[0]}; follow-up sets: the real models, 14 per patient")
    print(f"{'patients':>9} {'queries':>8} {'median ms':>10} {'p90 ms':>8} {'refresh ms':>11}")
    for n in sizes:
        _add_patients(have, n - have, rng)
        _analyze()
        have = n
        t = time.perf_counter()
        refresh_completion_summary()
        refresh_ms = (time.perf_counter() - t) * 1000
        queries, median, p90 = _measure(client, "/clinic/follow-up/")
        print(f"{n:>9,} {queries:>8} {median:>10.1f} {p90:>8.1f} {refresh_ms:>11.1f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--sizes", default="5000,50000")
    ap.add_argument("--child", default="")
    args, _ = ap.parse_known_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.child:
        child(args.child, sizes)
        return
    if args.db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DB}"
        tmp = None
    else:
        tmp = tempfile.TemporaryDirectory()
        url = f"sqlite:///{tmp.name}/dashboard.sqlite3"
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.bench_dashboard",
                "--child",
                url,
                "--sizes",
                args.sizes,
            ],
            cwd=ROOT,
            check=True,
        )
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    main()
