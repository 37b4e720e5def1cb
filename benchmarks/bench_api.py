"""API load benchmark: requests/s and p50/p99 latency at 50 concurrent clients on loopback.

For each database (the embedded SQLite file and PostgreSQL) this script
1. builds a fresh database (migrations) with a nurse, an API token and three synthetic patients:
   one with 10 timeline entries, one with 1,000, and one that receives the POSTs;
2. starts the production server (Granian, WSGI, the same options as ``painpath serve``) as a
   subprocess;
3. drives it with 50 keep-alive connections (a small asyncio HTTP/1.1 client in this process, or
   ``wrk`` with ``--loadgen wrk``) against
   - GET /api/v1/health                        the trivial endpoint (no auth, no database)
   - GET /api/v1/patients/{id}/timeline        10 and 1,000 entries (token auth, audited read)
   - POST /api/v1/questionnaire-responses      a GAD-7 scored by the core, stored and audited
   and prints one row per endpoint, with the CPU time each request cost the server, the
   database server (PostgreSQL) and the load generator. Everything shares the machine's cores,
   so the ratios are what matter: POST >= 40% of the trivial endpoint, p99 < 100 ms, timeline
   flat from 10 to 1,000.

``--cost`` measures instead the cost of one request inside the server process (no HTTP, no
load generator): each case runs through the WSGI handler N times; CPU ms per request (median of
10 rounds), or, with ``--cost callgrind``, instructions per request under valgrind, which do not
move when other work shares the machine.

Run: ``.venv/bin/python -m benchmarks.bench_api [--seconds 10] [--clients 50] [--db sqlite]``.
PostgreSQL: ``PAINPATH_BENCH_PG`` (default postgresql://postgres@127.0.0.1:5432/postgres) is
used to create a scratch database ``painpath_bench`` (dropped and re-created each run).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

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


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system, all threads) a live process has used; 0 if it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Granian's worker processes)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in task.read_text().split()]
    return found


def _postgres_backends() -> list[int]:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [PG_DB]
        ).fetchall()
    return [int(r[0]) for r in rows]


class CpuMeter:
    """CPU seconds used by the server's processes and by the database's backends, between
    ``start`` and ``stop`` (read from /proc, so only on Linux; zeros elsewhere)."""

    def __init__(self, server_pid: int, db: str) -> None:
        self.server_pid, self.db = server_pid, db

    def _read(self) -> tuple[dict[int, float], dict[int, float]]:
        server = {p: _proc_cpu(p) for p in _process_tree(self.server_pid)}
        database = {p: _proc_cpu(p) for p in _postgres_backends()} if self.db == "postgres" else {}
        return server, database

    def start(self) -> None:
        self.before = self._read()

    def stop(self) -> tuple[float, float]:
        after = self._read()
        return tuple(  # type: ignore[return-value]
            sum(cpu - before.get(pid, 0.0) for pid, cpu in now.items())
            for before, now in zip(self.before, after, strict=True)
        )


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
    """Granian with exactly the options ``painpath serve`` uses (static files from a scratch
    folder), errors only in its log."""
    from painpath.commands.serve import granian_command

    options = argparse.Namespace(host="127.0.0.1", port=port, workers=workers, threads=threads)
    static = Path(env["PAINPATH_VAR_DIR"]) / "static"
    static.mkdir(exist_ok=True)
    proc = subprocess.Popen(
        [*granian_command(options, static), "--log-level", "error"],
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
        self.completed = 0
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
            stats.completed += 1
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


Case = tuple[str, str, "str | None", "dict[str, object] | None"]  # method, path, token, body


def run_load(
    port: int, case: Case, clients: int, seconds: float, warmup: float, meter: CpuMeter
) -> dict[str, float]:
    """The asyncio client: ``clients`` connections for ``warmup`` + ``seconds``; latencies are
    recorded after the warm-up, CPU is counted over the whole run per completed request."""
    stats = Stats()
    request = _request(*case)

    async def main() -> None:
        now = time.perf_counter()
        record_from, stop_at = now + warmup, now + warmup + seconds
        await asyncio.gather(
            *(
                _client("127.0.0.1", port, request, stop_at, record_from, stats)
                for _ in range(clients)
            )
        )

    meter.start()
    cpu_before = time.process_time()
    asyncio.run(main())
    loadgen_cpu = time.process_time() - cpu_before
    server_cpu, db_cpu = meter.stop()
    lat = sorted(stats.latencies)
    n = len(lat)

    def pct(p: float) -> float:
        return lat[min(n - 1, int(p * n))] * 1000 if n else float("nan")

    total = max(1, stats.completed)
    return {
        "rps": n / seconds,
        "p50": pct(0.50),
        "p99": pct(0.99),
        "n": n,
        "errors": stats.errors,
        "server_ms": 1000 * server_cpu / total,
        "db_ms": 1000 * db_cpu / total,
        "loadgen_ms": 1000 * loadgen_cpu / total,
    }


WRK_SCRIPT = r"""
-- The request comes from the environment; done() prints one JSON line for the benchmark.
wrk.method = os.getenv("BENCH_METHOD")
local body = os.getenv("BENCH_BODY")
if body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
local auth = os.getenv("BENCH_AUTH")
if auth ~= "" then wrk.headers["Authorization"] = auth end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"n": %d, "us": %d, "p50": %f, "p99": %f, "errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.status + e.connect + e.read + e.write + e.timeout))
end
"""


def run_wrk(
    port: int, case: Case, clients: int, seconds: float, warmup: float, meter: CpuMeter
) -> dict[str, float]:
    """The same measurement with wrk (C, one thread): a warm-up run, then the measured run."""
    method, path, token, body = case
    env = {
        **os.environ,
        "BENCH_METHOD": method,
        "BENCH_BODY": json.dumps(body) if body is not None else "",
        "BENCH_AUTH": f"Bearer {token}" if token else "",
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        url = f"http://127.0.0.1:{port}{path}"
        for duration, measured in ((warmup, False), (seconds, True)):
            if measured:
                meter.start()
                children = resource.getrusage(resource.RUSAGE_CHILDREN)
            out = subprocess.run(
                ["wrk", "-t1", f"-c{clients}", f"-d{duration:g}s", "-s", script.name, url],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        server_cpu, db_cpu = meter.stop()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        loadgen_cpu = (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
    finally:
        os.unlink(script.name)
    r = json.loads(out.strip().splitlines()[-1])
    n = max(1, r["n"])
    return {
        "rps": r["n"] / (r["us"] / 1e6),
        "p50": r["p50"],
        "p99": r["p99"],
        "n": r["n"],
        "errors": r["errors"],
        "server_ms": 1000 * server_cpu / n,
        "db_ms": 1000 * db_cpu / n,
        "loadgen_ms": 1000 * loadgen_cpu / n,
    }


def _prepare(db: str, var_dir: Path) -> tuple[dict[str, str], dict[str, Any]]:
    """A fresh database with the benchmark's users and patients; its environment and ids."""
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
    return env, json.loads(out.strip().splitlines()[-1])


def _cases(ids: dict[str, Any]) -> list[tuple[str, Case]]:
    token = ids["token"]
    post_body: dict[str, object] = {
        "patient_id": ids["target"],
        "instrument": "gad7",
        "answers": [1, 2, 1, 0, 2, 1, 1],
        "source": "clinic",
    }
    cases: list[tuple[str, Case]] = [
        ("GET /health (trivial)", ("GET", "/api/v1/health", None, None)),
        (
            "GET timeline, 10 entries",
            ("GET", f"/api/v1/patients/{ids['small']}/timeline?limit=10", token, None),
        ),
        (
            "GET timeline, 1,000 entries",
            ("GET", f"/api/v1/patients/{ids['large']}/timeline?limit=10", token, None),
        ),
        (
            "POST questionnaire (GAD-7)",
            ("POST", "/api/v1/questionnaire-responses", token, post_body),
        ),
    ]
    return [c for c in cases if not ONLY or ONLY in c[0] or c is cases[0]]


def bench_database(db: str, args: argparse.Namespace) -> list[tuple[str, dict[str, float]]]:
    var_dir = Path(tempfile.mkdtemp(prefix=f"painpath-bench-{db}-"))
    try:
        env, ids = _prepare(db, var_dir)
        port = _free_port()
        server = _start_server(env, port, args.workers, args.threads)
        meter = CpuMeter(server.pid, db)
        load = run_wrk if args.loadgen == "wrk" else run_load
        try:
            results = [
                (name, load(port, case, args.clients, args.seconds, args.warmup, meter))
                for name, case in _cases(ids)
            ]
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


COST = r"""
import io, json, os, statistics, subprocess, sys, time
from painpath.config.wsgi import application
cases, n, callgrind = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"

def environ(method, path, token, body):
    path, _, query = path.partition("?")
    data = json.dumps(body).encode() if body is not None else b""
    env = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
           "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1",
           "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
           "wsgi.input": io.BytesIO(data), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
           "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False}
    if token:
        env["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if body is not None:
        env["CONTENT_TYPE"], env["CONTENT_LENGTH"] = "application/json", str(len(data))
    return env

def call(case):
    status = []
    body = b"".join(application(environ(*case), lambda s, h, e=None: status.append(s)))
    if not status[0].startswith("20"):
        raise SystemExit(f"{case[0]} {case[1]}: {status[0]} {body[:300]!r}")

for case in cases.values():
    for _ in range(50):  # warm: compiled SQL, imports, connection
        call(case)
if callgrind:  # count instructions only around the requests
    toggle = ["callgrind_control", "-i"]
    for i, case in enumerate(cases.values()):
        subprocess.run([*toggle, "on", str(os.getpid())], check=True, capture_output=True)
        for _ in range(n):
            call(case)
        subprocess.run([*toggle, "off", str(os.getpid())], check=True, capture_output=True)
        subprocess.run(["callgrind_control", "-d", f"case{i}", str(os.getpid())], check=True,
                       capture_output=True)
else:
    from django.db import connection

    def backend_cpu():  # the PostgreSQL backend serving this process's connection, if local
        if connection.vendor != "postgresql":
            return 0.0
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")

    out = {}
    for name, case in cases.items():
        rounds, database = [], 0.0
        for _ in range(10):
            started, db_started = time.process_time(), backend_cpu()
            for _ in range(n // 10):
                call(case)
            rounds.append((time.process_time() - started) / (n // 10) * 1000)
            database += backend_cpu() - db_started
        out[name] = [statistics.median(rounds), database / (n // 10 * 10) * 1000]
    print(json.dumps(out))
"""


def _callgrind_counts(env: dict[str, str], cases: dict[str, Case], n: int, out: Path) -> int:
    """Total instructions of each case's ``n`` requests (one valgrind run, dumps per case)."""
    subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}",
            sys.executable,
            "-c",
            COST,
            json.dumps(cases),
            str(n),
            "1",
        ],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    counts: dict[str, int] = {}
    for dump in out.parent.glob(out.name + ".*"):
        lines = dump.read_text(errors="replace").splitlines()
        trigger = next((line for line in lines if line.startswith("desc: Trigger:")), "")
        total = next(int(line.split()[1]) for line in lines if line.startswith("totals:"))
        for i, name in enumerate(cases):
            if trigger.rstrip().endswith(f"case{i}"):
                counts[name] = total
    return counts


def measure_cost(db: str, mode: str, n: int) -> dict[str, Any]:
    """Cost of one request of each case inside the server process: CPU ms, or instructions."""
    var_dir = Path(tempfile.mkdtemp(prefix=f"painpath-bench-{db}-"))
    try:
        env, ids = _prepare(db, var_dir)
        cases = {name: case for name, case in _cases(ids)}
        if mode == "cpu":
            out = subprocess.run(
                [sys.executable, "-c", COST, json.dumps(cases), str(n), "0"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            ).stdout
            return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]
        # Two runs (n and 3n requests) and the difference: start-up and toggling cancel out.
        small = _callgrind_counts(env, cases, n, var_dir / "small.cg")
        large = _callgrind_counts(env, cases, 3 * n, var_dir / "large.cg")
        return {name: (large[name] - small[name]) / (2 * n) for name in cases}
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("PAINPATH_WORKERS", 2)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("PAINPATH_THREADS", 2)))
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument(
        "--loadgen",
        choices=("python", "wrk"),
        default="python",
        help="the asyncio client in this process (default) or wrk (apt-get install wrk)",
    )
    parser.add_argument(
        "--cost",
        choices=("cpu", "callgrind"),
        help="measure cost per request in-process instead of HTTP load",
    )
    parser.add_argument("--requests", type=int, default=2000, help="requests per case, --cost")
    args = parser.parse_args(argv if argv is not None else [])
    dbs = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {os.cpu_count()} CPUs")
    if args.cost:
        n = args.requests if args.cost == "cpu" else max(10, args.requests // 10)
        for db in dbs:
            costs = measure_cost(db, args.cost, n)
            if args.cost == "cpu":
                print(f"\n{db}: CPU ms per request (WSGI handler in-process, no HTTP)")
                print("| endpoint | server process | database server | x trivial |")
                print("|---|---:|---:|---:|")
                trivial = next(iter(costs.values()))[0]
                for name, (cpu, database) in costs.items():
                    print(f"| {name} | {cpu:.3f} | {database:.3f} | {cpu / trivial:.1f} |")
                continue
            print(f"\n{db}: instructions per request (WSGI handler in-process, no HTTP)")
            print("| endpoint | instructions | x trivial |")
            print("|---|---:|---:|")
            trivial = next(iter(costs.values()))
            for name, cost in costs.items():
                print(f"| {name} | {cost:,.0f} | {cost / trivial:.1f} |")
        return 0
    print(
        f"{args.clients} concurrent keep-alive clients ({args.loadgen}), {args.seconds:g} s per "
        f"endpoint after {args.warmup:g} s warm-up; Granian WSGI {args.workers} workers x "
        f"{args.threads} threads"
    )
    for db in dbs:
        results = bench_database(db, args)
        trivial = results[0][1]["rps"]
        load = os.getloadavg()
        print(f"\n{db} (load average now {load[0]:.2f}):")
        print(
            "| endpoint | requests/s | p50 ms | p99 ms | % of trivial | errors | "
            "CPU ms/request: server | database | load generator |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, r in results:
            print(
                f"| {name} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
                f"{100 * r['rps'] / trivial:.0f}% | {r['errors']:.0f} | {r['server_ms']:.3f} | "
                f"{r['db_ms']:.3f} | {r['loadgen_ms']:.3f} |"
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
