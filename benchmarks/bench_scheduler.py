"""Follow-up scheduler throughput with 100,000 due follow-ups (issue 5), SQLite and PostgreSQL.

Builds a scratch database (SQLite file, or PostgreSQL with ``--db postgres``), bulk-creates N
synthetic patients (with an email address), each with a follow-up plan whose baseline set is
due now, then times ``painpath run-scheduler --once`` as 1 worker, and again (fresh database)
as 2 workers started together. Every invitation is claimed, its link made, the email rendered
and serialised to MIME by a backend that counts and discards it (transport excluded: SMTP or the
file backend would measure the mail system), then marked sent. The run ends with the dashboard's
completion refresh, included in the time.

Checks after each run: every set sent, one outbox row per set, no key twice, none left claimed.

Run: ``.venv/bin/python -m benchmarks.bench_scheduler [--db sqlite|postgres] [--due 100000]
[--workers 1,2]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("PAINPATH_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DB = "painpath_bench_scheduler"


class CountingBackend(BaseEmailBackend):
    """Serialises each message to MIME bytes (the work a real backend does first), keeps none."""

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        for m in email_messages:
            m.message().as_bytes()
        return len(email_messages)


def _env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "painpath.config.settings",
            "PAINPATH_EMAIL_BACKEND": "benchmarks.bench_scheduler.CountingBackend",
        }
    )
    return env


def seed(n: int) -> None:
    """N patients, plans and baseline sets due now, bulk-created (this measures the scheduler)."""
    from painpath.commands._db import prepare_database

    prepare_database()
    from django.utils import timezone

    from painpath.apps.followup.actions import at_send_time
    from painpath.apps.followup.models import FollowUpPlan, FollowUpSet
    from painpath.apps.patients.models import Patient
    from painpath.clinical.followup import schedule_sets

    today = timezone.localdate()
    start = today - dt.timedelta(days=1)
    (baseline, *_) = schedule_sets(start)
    due_at = min(at_send_time(start), timezone.now())
    step = 10_000
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        patients = Patient.objects.bulk_create(
            Patient(
                nhs_number=f"7{i:09d}",
                given_name="Synthetic",
                family_name=f"Patient{i}",
                date_of_birth=dt.date(1950 + i % 50, 1 + i % 12, 1 + i % 28),
                sex=("female", "male")[i % 2],
                email=f"patient{i}@example.org",
            )
            for i in range(lo, hi)
        )
        plans = FollowUpPlan.objects.bulk_create(
            FollowUpPlan(patient=p, started_on=start) for p in patients
        )
        FollowUpSet.objects.bulk_create(
            FollowUpSet(
                plan=plan,
                patient_id=plan.patient_id,
                timepoint=baseline.timepoint,
                due_on=baseline.due_on,
                closes_on=baseline.closes_on,
                instruments=list(baseline.instruments),
                ask_side_effects=False,
                next_action_at=due_at,
            )
            for plan in plans
        )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def check(n: int) -> str:
    from django.db.models import Count

    from painpath.apps.followup.models import FollowUpSet, OutboundMessage

    sent_sets = FollowUpSet.objects.filter(status="sent").count()
    rows = OutboundMessage.objects.count()
    distinct = OutboundMessage.objects.values("key").distinct().count()
    claimed = OutboundMessage.objects.filter(status="claimed").count()
    per_worker = OutboundMessage.objects.values("claimed_by").annotate(n=Count("id")).order_by("-n")
    ok = sent_sets == rows == distinct == n and claimed == 0
    split = "/".join(str(r["n"]) for r in per_worker)
    return f"{'ok' if ok else 'FAILED'}: {sent_sets} sent, {rows} rows, split {split}"


def _run(argv: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *argv], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )


def bench(url: str, n: int, workers: int) -> tuple[float, str]:
    env = _env(url)
    subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_scheduler", "--child", "seed", "--due", str(n)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    started = time.perf_counter()
    procs = [
        _run(["-m", "painpath.cli", "run-scheduler", "--once", "--batch", "500"], env)
        for _ in range(workers)
    ]
    for p in procs:
        p.communicate()
        assert p.returncode == 0, p.returncode
    seconds = time.perf_counter() - started
    verdict = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_scheduler", "--child", "check", "--due", str(n)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return seconds, verdict


def _fresh(db: str, tmp: Path, k: int) -> str:
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DB}"
    return f"sqlite:///{tmp}/scheduler-{k}.sqlite3"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--due", type=int, default=100_000)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--child", choices=["seed", "check"], default=None)
    args, _ = ap.parse_known_args()
    if args.child:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "painpath.config.settings")
        from painpath.config import django_setup

        django_setup()
        if args.child == "seed":
            seed(args.due)
        else:
            print(check(args.due))
        return
    print(f"database: {args.db}; {args.due:,} due follow-ups (baseline invitations)")
    print(f"{'workers':>7} {'seconds':>8} {'sets/s':>8}  check")
    with tempfile.TemporaryDirectory() as tmp:
        for k, w in enumerate(int(x) for x in args.workers.split(",")):
            url = _fresh(args.db, Path(tmp), k)
            os.environ["PAINPATH_VAR_DIR"] = tmp
            seconds, verdict = bench(url, args.due, w)
            print(f"{w:>7} {seconds:>8.1f} {args.due / seconds:>8.0f}  {verdict}", flush=True)
    if args.db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


if __name__ == "__main__":
    main()
