"""The scheduler's exactly-once under concurrency and crashes, for real: separate processes
(``painpath run-scheduler --once``) on one SQLite file or one PostgreSQL database, counting the
emails Django's file backend wrote (ADR 0079).

These tests build their own database (the workers are other processes, so they cannot share the
test run's transaction): a SQLite file, or, when the suite runs on PostgreSQL (DATABASE_URL), a
scratch PostgreSQL database named after the run's test database. Seeded once, copied per test.
"""

from __future__ import annotations

import collections
import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.integration.followup.workers import read_mail

pytestmark = pytest.mark.django_db  # also run in the suite's PostgreSQL pass

ROOT = Path(__file__).resolve().parents[3]
PATIENTS = 60
BACKENDS = "tests.integration.followup.workers"


def _pg_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@dataclass
class Scratch:
    url: str
    tmp: Path

    def env(self, name: str, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "DATABASE_URL": self.url,
                "PAINPATH_VAR_DIR": str(self.tmp / name),
                "DJANGO_SETTINGS_MODULE": "painpath.config.settings",
            }
        )
        env.pop("PAINPATH_TEST_DB_NAME", None)
        env.update(extra)
        return env

    def worker(self, name: str, *, lease: float = 1.0, **extra: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "painpath.cli",
                "run-scheduler",
                "--once",
                "--batch",
                "5",
                "--lease",
                str(lease),
            ],
            cwd=ROOT,
            env=self.env(name, **extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def mail(self) -> list[Any]:
        return read_mail(*(p / "mail" for p in self.tmp.iterdir() if p.is_dir()))

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.url.startswith("sqlite"):
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as conn:
                return conn.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.url) as conn:
            return conn.execute(sql).fetchall()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: Any) -> Iterator[str]:
    """A migrated, seeded database to copy: a SQLite file path, or a PostgreSQL template name."""
    tmp = tmp_path_factory.mktemp("fup-seed")
    pg = _pg_url()
    if pg:
        import psycopg

        name = f"{os.environ.get('PAINPATH_TEST_DB_NAME', 'test_painpath')}_workers_seed"
        with psycopg.connect(pg, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = pg.rsplit("/", 1)[0] + f"/{name}"
    else:
        name = str(tmp / "seed.sqlite3")
        url = f"sqlite:///{name}"
    env = Scratch(url, tmp).env("seed")
    subprocess.run(
        [sys.executable, "-m", BACKENDS, "seed", "--patients", str(PATIENTS)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    yield name
    if pg:
        import psycopg

        with psycopg.connect(pg, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def scratch(seeded: str, tmp_path: Path, request: Any) -> Iterator[Scratch]:
    pg = _pg_url()
    if pg:
        import psycopg

        name = f"{seeded.removesuffix('_seed')}_{request.node.name[5:30]}".lower()
        with psycopg.connect(pg, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{seeded}"')
        yield Scratch(pg.rsplit("/", 1)[0] + f"/{name}", tmp_path)
        with psycopg.connect(pg, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        shutil.copy(seeded, tmp_path / "db.sqlite3")
        yield Scratch(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path)


def finish(proc: subprocess.Popen[str], timeout: float = 240) -> int:
    _, err = proc.communicate(timeout=timeout)
    assert "Traceback" not in err, err
    return proc.returncode


def by_message_id(mails: list[Any]) -> collections.Counter[str]:
    return collections.Counter(m["Message-ID"] for m in mails)


def assert_every_invitation_sent_once_in_the_database(scratch: Scratch) -> None:
    rows = scratch.query(
        "SELECT status, count(*) FROM followup_outboundmessage GROUP BY status ORDER BY status"
    )
    assert rows == [("sent", PATIENTS)]
    (sets,) = scratch.query(
        "SELECT count(*) FROM followup_followupset WHERE timepoint = 'baseline' AND status = 'sent'"
    )
    assert sets == (PATIENTS,)
    (keys,) = scratch.query("SELECT count(DISTINCT key) FROM followup_outboundmessage")
    assert keys == (PATIENTS,)


def test_two_workers_at_once_send_each_email_exactly_once(scratch: Scratch) -> None:
    slow = {"PAINPATH_EMAIL_BACKEND": f"{BACKENDS}.SlowFileBackend"}
    slow["PAINPATH_TEST_SEND_DELAY"] = "0.04"
    a = scratch.worker("a", lease=300, **slow)
    b = scratch.worker("b", lease=300, **slow)
    assert finish(a) == 0 and finish(b) == 0
    mails = scratch.mail()
    counts = by_message_id(mails)
    assert len(mails) == PATIENTS and set(counts.values()) == {1}
    assert len({m["To"] for m in mails}) == PATIENTS
    assert_every_invitation_sent_once_in_the_database(scratch)
    # Both workers really worked at the same time (each sent some of the emails).
    per_worker = scratch.query("SELECT sent FROM followup_schedulerrun ORDER BY id")
    assert len(per_worker) == 2 and all(n > 0 for (n,) in per_worker), per_worker


def test_worker_killed_after_claiming_before_sending_loses_nothing(scratch: Scratch) -> None:
    doomed = scratch.worker(
        "killed",
        PAINPATH_EMAIL_BACKEND=f"{BACKENDS}.KillBeforeSendBackend",
        PAINPATH_TEST_KILL_AT="3",
    )
    assert finish(doomed) == -signal.SIGKILL
    assert len(scratch.mail()) == 2  # two sent, the third claimed but never written
    (claimed,) = scratch.query(
        "SELECT count(*) FROM followup_outboundmessage WHERE status = 'claimed'"
    )
    assert claimed == (3,)  # the rest of its batch of 5 waits for the lease to run out
    time.sleep(1.2)
    assert finish(scratch.worker("recovery")) == 0
    mails = scratch.mail()
    assert len(mails) == PATIENTS and set(by_message_id(mails).values()) == {1}
    assert_every_invitation_sent_once_in_the_database(scratch)
    (retried,) = scratch.query("SELECT count(*) FROM followup_outboundmessage WHERE attempts = 2")
    assert retried == (3,)


def test_worker_killed_after_sending_before_marking_resends_the_same_message(
    scratch: Scratch,
) -> None:
    """The one window ADR 0079 names: the copy is identical (same Message-ID, same link)."""
    doomed = scratch.worker(
        "killed",
        PAINPATH_EMAIL_BACKEND=f"{BACKENDS}.KillAfterSendBackend",
        PAINPATH_TEST_KILL_AT="3",
    )
    assert finish(doomed) == -signal.SIGKILL
    assert len(scratch.mail()) == 3
    time.sleep(1.2)
    assert finish(scratch.worker("recovery")) == 0
    mails = scratch.mail()
    counts = by_message_id(mails)
    assert len(counts) == PATIENTS and len(mails) == PATIENTS + 1
    (twice,) = [mid for mid, n in counts.items() if n == 2]
    bodies = {
        m.get_payload()[0].get_payload(decode=True) for m in mails if m["Message-ID"] == twice
    }
    assert len(bodies) == 1  # the same link in both copies
    assert_every_invitation_sent_once_in_the_database(scratch)


def test_worker_killed_at_a_random_moment_then_another_run(scratch: Scratch) -> None:
    slow = {
        "PAINPATH_EMAIL_BACKEND": f"{BACKENDS}.SlowFileBackend",
        "PAINPATH_TEST_SEND_DELAY": "0.05",
    }
    doomed = scratch.worker("killed", **slow)
    deadline = time.monotonic() + 120
    while len(scratch.mail()) < 7 and time.monotonic() < deadline:
        time.sleep(0.05)
    doomed.send_signal(signal.SIGKILL)
    assert finish(doomed) == -signal.SIGKILL
    sent_before = len(scratch.mail())
    assert 7 <= sent_before < PATIENTS
    time.sleep(1.2)
    assert finish(scratch.worker("recovery")) == 0
    mails = scratch.mail()
    counts = by_message_id(mails)
    assert len(counts) == PATIENTS  # nothing lost
    assert len(mails) <= PATIENTS + 1  # at most the one message in flight, as the same message
    assert_every_invitation_sent_once_in_the_database(scratch)


def test_long_running_scheduler_runs_until_sigterm_then_exits_cleanly(scratch: Scratch) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "painpath.cli", "run-scheduler", "--interval", "0.2"],
        cwd=ROOT,
        env=scratch.env("loop"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 120
    while len(lines) < 2 and time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 1.0)
        if ready:
            lines.append(proc.stdout.readline())
    proc.send_signal(signal.SIGTERM)
    assert finish(proc) == 0
    assert lines[0].startswith(f"run-scheduler: invitations {PATIENTS},")
    assert lines[1].startswith("run-scheduler: invitations 0,")  # nothing twice
    assert len(scratch.mail()) == PATIENTS


def test_bad_arguments_are_one_line_and_exit_2(tmp_path: Path) -> None:
    painpath = Path(sys.executable).parent / "painpath"  # the installed command
    done = subprocess.run(
        [str(painpath), "run-scheduler", "--interval", "0"],
        cwd=ROOT,
        env={**os.environ, "PAINPATH_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "painpath run-scheduler: --interval, --batch and --lease must be positive"
    )
