"""`painpath run-scheduler [--once]`: send due follow-up invitations and reminders, mark missed
sets, refresh the dashboard's completion table. Safe to run in several processes at once and to
kill at any moment (each email is claimed before it leaves; ADR 0079)."""

from __future__ import annotations

import argparse
import math
import signal
import threading
from typing import Any

from painpath.commands._input import whole_number

MAX_SECONDS = 86_400.0  # a day: longer than any sensible wait between runs or claim lease
MAX_BATCH = 10_000


def register(sub: Any) -> None:
    p = sub.add_parser(
        "run-scheduler",
        help="send due follow-up invitations and reminders (long-running, or --once for cron)",
        description="Send due follow-up invitations and reminders exactly once, mark sets "
        "missed after their window, and refresh the clinic dashboard's completion counts. Runs "
        "until stopped (SIGTERM or Ctrl-C finish the current run first), or once with --once.",
    )
    p.add_argument("--once", action="store_true", help="one run, then exit (for cron)")
    p.add_argument(
        "--interval",
        type=float,
        default=60.0,
        help="seconds between runs (default 60)",
    )
    p.add_argument(
        "--batch",
        type=whole_number(),
        default=200,
        help=f"sets claimed per transaction, 1 to {MAX_BATCH} (default 200)",
    )
    p.add_argument(
        "--lease",
        type=float,
        default=None,
        help="seconds a claim holds before another worker may retry it "
        "(default PAINPATH_FOLLOWUP_LEASE_SECONDS, 300)",
    )
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    from painpath.cli import CommandError

    if args.interval <= 0 or args.batch < 1 or (args.lease is not None and args.lease <= 0):
        raise CommandError("--interval, --batch and --lease must be positive")
    for name, value in (("--interval", args.interval), ("--lease", args.lease)):
        if value is not None and not (math.isfinite(value) and value <= MAX_SECONDS):
            raise CommandError(
                f"{name} must be a number of seconds above 0 and at most {MAX_SECONDS:g}, "
                f"got {value:g}"
            )
    if args.batch > MAX_BATCH:
        raise CommandError(
            f"--batch must be a whole number from 1 to {MAX_BATCH}, got {args.batch}"
        )
    from painpath.commands._db import prepare_database

    prepare_database()
    from django.conf import settings

    if args.lease is not None:
        settings.PAINPATH_FOLLOWUP_LEASE_SECONDS = args.lease
    from painpath.apps.followup.scheduler import run_once, worker_id

    worker = worker_id()
    stop = threading.Event()
    if not args.once:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    while True:
        result = run_once(worker=worker, batch=args.batch)
        print(f"run-scheduler: {result.summary()}", flush=True)
        if args.once or stop.wait(args.interval):
            return 0
