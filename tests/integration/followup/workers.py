"""Helpers for the multi-process scheduler tests (test_followup_workers.py).

``python -m tests.integration.followup.workers seed --patients N`` migrates the database named by
``DATABASE_URL`` and starts N follow-up plans whose baseline invitation is due now.

The email backends below write real files (Django's file backend) and can stop their process
with SIGKILL at a chosen message (``PAINPATH_TEST_KILL_AT``), before or after writing it, or
slow each send down (``PAINPATH_TEST_SEND_DELAY`` seconds) so two workers overlap.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email
import os
import signal
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.mail.backends.filebased import EmailBackend

SEPARATOR = b"\n" + b"-" * 79 + b"\n"
_started = 0


def _delay() -> None:
    time.sleep(float(os.environ.get("PAINPATH_TEST_SEND_DELAY", "0")))


class SlowFileBackend(EmailBackend):
    def send_messages(self, messages: Sequence[Any]) -> int:
        _delay()
        return super().send_messages(messages)


class KillBeforeSendBackend(EmailBackend):
    """Dies (SIGKILL) when asked to send message number ``PAINPATH_TEST_KILL_AT``."""

    def send_messages(self, messages: Sequence[Any]) -> int:
        global _started
        _started += len(messages)
        if _started >= int(os.environ["PAINPATH_TEST_KILL_AT"]):
            os.kill(os.getpid(), signal.SIGKILL)
        return super().send_messages(messages)


class KillAfterSendBackend(EmailBackend):
    """Writes message number ``PAINPATH_TEST_KILL_AT``, then dies before it can be marked sent."""

    def send_messages(self, messages: Sequence[Any]) -> int:
        global _started
        sent = super().send_messages(messages)
        _started += len(messages)
        if _started >= int(os.environ["PAINPATH_TEST_KILL_AT"]):
            os.kill(os.getpid(), signal.SIGKILL)
        return sent


def read_mail(*folders: Path) -> list[email.message.Message]:
    """Every email the file backend wrote in ``folders``."""
    out = []
    for folder in folders:
        for path in sorted(folder.glob("*.log")) if folder.exists() else []:
            for chunk in path.read_bytes().split(SEPARATOR):
                if chunk.strip():
                    out.append(email.message_from_bytes(chunk.lstrip(b"\n")))
    return out


def seed(patients: int) -> None:
    from painpath.commands._db import prepare_database

    prepare_database()
    from django.utils import timezone

    from painpath.apps.accounts.models import User
    from painpath.apps.followup.actions import start_plan
    from painpath.apps.patients.models import Patient

    nurse = User.objects.create(username="workers-nurse", role="nurse")
    start = timezone.localdate() - dt.timedelta(days=1)
    for i in range(patients):
        p = Patient.objects.create(
            nhs_number=f"9{i:09d}",
            given_name="Worker",
            family_name=f"Test{i}",
            date_of_birth=dt.date(1970, 1, 1),
            sex="female",
            email=f"worker{i}@example.org",
        )
        start_plan(by=nurse, patient=p, started_on=start)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["seed"])
    ap.add_argument("--patients", type=int, default=40)
    args = ap.parse_args()
    seed(args.patients)


if __name__ == "__main__":
    main()
