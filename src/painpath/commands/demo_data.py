"""`painpath demo-data --patients N`: add synthetic patients (and demo users) to the database."""

from __future__ import annotations

import argparse
from typing import Any

from painpath.commands._input import whole_number


def register(sub: Any) -> None:
    p = sub.add_parser(
        "demo-data",
        help="create synthetic demo patients (no real people) and one demo user per role",
        description="Create synthetic patients with assessments, questionnaires on plausible "
        "trajectories, treatment histories, consents and alerts, plus demo users per role.",
    )
    p.add_argument(
        "--patients",
        type=whole_number(),
        default=40,
        help="how many patients, 0 to 100000 (default 40)",
    )
    p.add_argument(
        "--seed",
        type=whole_number(),
        default=None,
        help="random seed (a whole number) for a repeatable set",
    )
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    from painpath.cli import CommandError

    if not 0 <= args.patients <= 100_000:
        raise CommandError(
            f"--patients must be a whole number from 0 to 100000, got {args.patients}"
        )
    from painpath.commands._db import prepare_database

    prepare_database()
    from painpath.demo.seed import seed
    from painpath.demo.users import demo_password

    summary = seed(args.patients, seed=args.seed)
    print(
        f"created {summary.patients} patients, {summary.assessments} assessments, "
        f"{summary.responses} questionnaire responses, {summary.treatments} treatments, "
        f"{summary.alerts} alerts"
    )
    for note in summary.notes:
        print(note)
    print(
        f"demo users: prescriber, nurse, admin, researcher, charity, patient "
        f"(password for newly created ones: {demo_password()})"
    )
    return 0
