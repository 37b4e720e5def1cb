"""API load benchmark: requests/s and p50/p99 latency at 50 concurrent clients on loopback.

For each database (the embedded SQLite file and PostgreSQL) this script
1. builds a fresh database (migrations) with a nurse, an API token and three synthetic patients:
   one with 10 timeline entries, one with 1,000, and one that receives the POSTs;
2. starts the production server (Granian, WSGI, as ``painpath serve`` does) as a subprocess;
3. drives it with a small asyncio HTTP/1.1 keep-alive client (50 connections) against
   - GET /api/v1/health                        the trivial endpoint (no auth, no database)
   - GET /api/v1/patients/{id}/timeline        10 and 1,000 entries (token auth, audited read)
   - POST /api/v1/questionnaire-responses      a GAD-7 scored by the core, stored and audited
   and prints one row per endpoint. The client shares the 2 CPU cores with the server, so the
   trivial endpoint's figure is a floor for what the machine can do, and the ratios are what
   matter: POST >= 40% of the trivial endpoint, p99 < 100 ms, timeline flat from 10 to 1,000.

Run: ``.venv/bin/python -m benchmarks.bench_api [--seconds 10] [--clients 50] [--db sqlite]``.
PostgreSQL: ``PAINPATH_BENCH_PG`` (default postgresql://postgres@127.0.0.1:5432/postgres) is
used to create a scratch database ``painpath_bench`` (dropped and re-created each run).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("PAINPATH_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DB = "painpath_bench"
#: Run only the endpoints whose name contains this text (plus the trivial one), e.g. "POST".
ONLY = os.environ.get("PAINPATH_BENCH_ONLY", "")

SETUP = r"""
import json, datetime as dt, random
from painpath.commands._db import prepare_database
prepare_database()
from django.utils import timezone
from painpath.apps.accounts.models import User
from painpath.apps.accounts.tokens import issue_token
from painpath.apps.assessments.models import QuestionnaireResponse
from painpath.apps.patients import actions
from painpath.apps.patients.models import Note

nurse = User.objects.create_user("bench-nurse", password="bench-password-0", role="nurse")
_, token = issue_token(nurse, name="bench")
nhs = iter(["9990000026", "9990000034", "9990000042"])

def patient(n_entries):
    p = actions.create_patient(by=nurse, nhs_number=next(nhs), given_name="Bench",
        family_name=f"Patient{n_entries}", date_of_birth=dt.date(1970, 1, 1), sex="female")
    now = timezone.now()
    rows = [QuestionnaireResponse(patient=p, instrument="nrs", answers=[5], value=5,
            band="moderate", completed_at=now - dt.timedelta(days=i), source="home")
            for i in range(n_entries // 2)]
    QuestionnaireResponse.objects.bulk_create(rows)
    Note.objects.bulk_create([Note(patient=p, text=f"synthetic note {i}")
                              for i in range(n_entries - n_entries // 2)])
    return p.pk

ids = {"token": token, "small": patient(10), "large": patient(1000), "target": patient(0)}
# A live database has planner statistics (autovacuum / ANALYZE); a fresh one must be analysed.
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print(json.dumps(ids))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(db: str, var_dir: Path) -> dict[str, str]:
    env = {**os.environ, "PAINPATH_VAR_DIR": str(var_dir)}
    env["DJANGO_SETTINGS_MODULE"] = "painpath.config.settings"
    env.pop("DATABASE_URL", None)
    if db == "postgres":
        env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_DB
    return env


def _fresh_postgres() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_DB}")


def _start_server(
    env: dict[str, str], port: int, workers: int, threads: int
) -> subprocess.Popen[bytes]:
    granian = shutil.which("granian", path=str(Path(sys.executable).parent)) or "granian"
    proc = subprocess.Popen(
        [
            granian,
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--no-access-log",
            "--log-level",
            "error",
            "painpath.config.wsgi:application",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(
        "server did not start: " + (proc.stderr.read() if proc.stderr else b"").decode()
    )


class Stats:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.statuses: dict[int, int] = {}


async def _client(
    host: str, port: int, request: bytes, stop_at: float, record_from: float, stats: Stats
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while True:
            started = time.perf_counter()
            if started >= stop_at:
                return
            writer.write(request)
            status_line = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            if length:
                await reader.readexactly(length)
            done = time.perf_counter()
            status = int(status_line.split()[1]) if status_line else 0
            if started >= record_from:
                stats.latencies.append(done - started)
                stats.statuses[status] = stats.statuses.get(status, 0) + 1
                if status >= 400 or status == 0:
                    stats.errors += 1
    finally:
        writer.close()


def _request(method: str, path: str, token: str | None, body: dict[str, object] | None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: keep-alive"]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    payload = b""
    if body is not None:
        payload = json.dumps(body).encode()
        lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


def run_load(
    port: int, request: bytes, clients: int, seconds: float, warmup: float
) -> dict[str, float]:
    stats = Stats()

    async def main() -> None:
        now = time.perf_counter()
        record_from, stop_at = now + warmup, now + warmup + seconds
        await asyncio.gather(
            *(
                _client("127.0.0.1", port, request, stop_at, record_from, stats)
                for _ in range(clients)
            )
        )

    asyncio.run(main())
    lat = sorted(stats.latencies)
    n = len(lat)

    def pct(p: float) -> float:
        return lat[min(n - 1, int(p * n))] * 1000 if n else float("nan")

    return {"rps": n / seconds, "p50": pct(0.50), "p99": pct(0.99), "n": n, "errors": stats.errors}


def bench_database(
    db: str, clients: int, seconds: float, warmup: float, workers: int, threads: int
) -> list[tuple[str, dict[str, float]]]:
    var_dir = Path(tempfile.mkdtemp(prefix=f"painpath-bench-{db}-"))
    try:
        if db == "postgres":
            _fresh_postgres()
        env = _env(db, var_dir)
        out = subprocess.run(
            [sys.executable, "-c", SETUP],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
        ids = json.loads(out.strip().splitlines()[-1])
        port = _free_port()
        server = _start_server(env, port, workers, threads)
        try:
            token = ids["token"]
            post_body = {
                "patient_id": ids["target"],
                "instrument": "gad7",
                "answers": [1, 2, 1, 0, 2, 1, 1],
                "source": "clinic",
            }
            cases = [
                ("GET /health (trivial)", _request("GET", "/api/v1/health", None, None)),
                (
                    "GET timeline, 10 entries",
                    _request(
                        "GET", f"/api/v1/patients/{ids['small']}/timeline?limit=10", token, None
                    ),
                ),
                (
                    "GET timeline, 1,000 entries",
                    _request(
                        "GET", f"/api/v1/patients/{ids['large']}/timeline?limit=10", token, None
                    ),
                ),
                (
                    "POST questionnaire (GAD-7)",
                    _request("POST", "/api/v1/questionnaire-responses", token, post_body),
                ),
            ]
            cases = [c for c in cases if not ONLY or ONLY in c[0] or c is cases[0]]
            results = [(name, run_load(port, req, clients, seconds, warmup)) for name, req in cases]
        finally:
            server.terminate()
            server.wait(timeout=20)
        flat = timeline_flatness(env, ids)
        print(
            f"{db}: timeline selector alone (page of 10, median of 400): "
            f"{flat['small']:.3f} ms with 10 entries, {flat['large']:.3f} ms with 1,000 "
            f"({flat['queries_small']:.0f} and {flat['queries_large']:.0f} queries)"
        )
        return results
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


FLATNESS = r"""
import json, os, statistics, sys, time
from painpath.config import django_setup
django_setup()
from django.db import connection
from django.test.utils import CaptureQueriesContext
from painpath.apps.patients.models import Patient
from painpath.apps.patients.selectors import timeline
ids = json.loads(sys.argv[1])
small, large = Patient.objects.get(pk=ids["small"]), Patient.objects.get(pk=ids["large"])
times = {"small": [], "large": []}
for _ in range(400):  # interleaved so machine noise hits both alike
    for name, p in (("small", small), ("large", large)):
        t = time.perf_counter(); timeline(p, limit=10); times[name].append(time.perf_counter() - t)
with CaptureQueriesContext(connection) as q_small:
    timeline(small, limit=10)
with CaptureQueriesContext(connection) as q_large:
    timeline(large, limit=10)
print(json.dumps({k: statistics.median(v) * 1000 for k, v in times.items()}
                 | {"queries_small": len(q_small), "queries_large": len(q_large)}))
"""


def timeline_flatness(env: dict[str, str], ids: dict[str, object]) -> dict[str, float]:
    """Median time of the timeline selector itself (no HTTP), 10 vs 1,000 entries, interleaved."""
    out = subprocess.run(
        [sys.executable, "-c", FLATNESS, json.dumps(ids)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    args = parser.parse_args(argv if argv is not None else [])
    dbs = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    print(
        f"{args.clients} concurrent keep-alive clients, {args.seconds:g} s per endpoint after "
        f"{args.warmup:g} s warm-up; Granian WSGI {args.workers} workers x {args.threads} threads"
    )
    for db in dbs:
        results = bench_database(
            db, args.clients, args.seconds, args.warmup, args.workers, args.threads
        )
        trivial = results[0][1]["rps"]
        print(f"\n{db}:")
        print("| endpoint | requests/s | p50 ms | p99 ms | % of trivial | errors |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, r in results:
            print(
                f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
                f"{100 * r['rps'] / trivial:.0f}% | {r['errors']:.0f} |"
            )
        if len(results) < 4:
            continue
        small, large = results[1][1], results[2][1]
        print(
            f"timeline 1,000 vs 10 entries: throughput ratio {large['rps'] / small['rps']:.2f}, "
            f"p50 ratio {large['p50'] / small['p50']:.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
