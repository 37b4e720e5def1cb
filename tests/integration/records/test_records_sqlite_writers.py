"""SQLite writers take turns on a file lock (painpath.db.rows.write_transaction, ADR 0053): held
for exactly the transaction, not taken when nested, and with several processes writing at once
(some through the lock, one not) every questionnaire and its audit event is stored.

Real processes on one SQLite file: the test run's own database is in memory and one process.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]

HOLD = r"""
import sys
from painpath.config import django_setup
django_setup()
from django.db import transaction
from painpath.db import rows

def step(message):
    print(message, flush=True)
    sys.stdin.readline()

with rows.write_transaction():
    step("in")
step("out")
with transaction.atomic(), rows.write_transaction():
    step("nested")
try:
    with rows.write_transaction():
        raise RuntimeError("fails inside")
except RuntimeError:
    step("failed")
"""

SEED = r"""
import datetime as dt, json
from painpath.commands._db import prepare_database
prepare_database()
from painpath.apps.accounts.models import User
from painpath.apps.patients import actions
nurse = User.objects.create_user("writers-nurse", password="writers-password-0", role="nurse")
patient = actions.create_patient(by=nurse, nhs_number="9990000026", given_name="Writers",
    family_name="Test", date_of_birth=dt.date(1970, 1, 1), sex="female")
print(json.dumps({"nurse": nurse.pk, "patient": patient.pk}))
"""

WRITE = r"""
import json, sys
from painpath.config import django_setup
django_setup()
from painpath.apps.accounts.models import User
from painpath.apps.assessments.actions import record_questionnaire
from painpath.apps.audit import services as audit
from painpath.apps.patients.models import Patient
ids, n, mode = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
nurse, patient = User.objects.get(pk=ids["nurse"]), Patient.objects.get(pk=ids["patient"])
sys.stdin.readline()  # start together
for i in range(n):
    if mode == "questionnaire":  # through the file lock
        record_questionnaire(by=nurse, patient=patient, instrument="gad7",
                             answers=[i % 4, 1, 0, 2, 1, 0, 3])
    else:  # a writer that does not use the lock (autocommit insert), at the same time
        audit.record(actor=nurse, action="read", object_type="patient", object_id=patient.pk,
                     patient_id=patient.pk)
print("done", flush=True)
"""


def _env(tmp: Path) -> dict[str, str]:
    env = {**os.environ, "PAINPATH_VAR_DIR": str(tmp)}
    env["DJANGO_SETTINGS_MODULE"] = "painpath.config.settings"
    env.pop("DATABASE_URL", None)
    return env


def _locked(path: Path) -> bool:
    """Whether another process holds the writers' lock (tried without waiting)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_lock_held_for_the_transaction_only(tmp_path: Path) -> None:
    lock = tmp_path / "painpath.sqlite3-writers"
    child: Any = subprocess.Popen(
        [sys.executable, "-c", HOLD],
        cwd=ROOT,
        env=_env(tmp_path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        seen = {}
        for step in ("in", "out", "nested", "failed"):
            assert child.stdout.readline().strip() == step, child.stderr.read()
            seen[step] = _locked(lock)
            child.stdin.write("\n")
            child.stdin.flush()
        assert child.wait(timeout=30) == 0, child.stderr.read()
    finally:
        child.kill()
    # held inside; released after commit; not taken inside an outer transaction (it would
    # deadlock with a holder waiting for SQLite's lock); released after a rollback
    assert seen == {"in": True, "out": False, "nested": False, "failed": False}


@pytest.mark.parametrize("writers", [3])
def test_concurrent_writers_all_stored(tmp_path: Path, writers: int) -> None:
    env = _env(tmp_path)
    seed = subprocess.run(
        [sys.executable, "-c", SEED], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert seed.returncode == 0, seed.stderr
    ids = seed.stdout.strip().splitlines()[-1]
    n = 40
    modes = ["questionnaire"] * writers + ["audit"]
    procs: list[Any] = [
        subprocess.Popen(
            [sys.executable, "-c", WRITE, ids, str(n), mode],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for mode in modes
    ]
    for proc in procs:
        proc.stdin.write("\n")
        proc.stdin.flush()
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and out.strip() == "done", err
    with sqlite3.connect(tmp_path / "painpath.sqlite3") as db:
        responses = db.execute("SELECT count(*) FROM assessments_questionnaireresponse").fetchone()
        audited = db.execute(
            "SELECT count(*) FROM audit_auditevent a JOIN assessments_questionnaireresponse r"
            " ON a.object_type = 'questionnaire_response' AND a.object_id = CAST(r.id AS TEXT)"
        ).fetchone()
        reads = db.execute("SELECT count(*) FROM audit_auditevent WHERE action = 'read'").fetchone()
    assert responses == (writers * n,)
    assert audited == (writers * n,)  # every response with its own audit event
    assert reads == (n,)
