"""`painpath api-token USERNAME`: issue an API bearer token (printed once, stored hashed)."""

from __future__ import annotations

import argparse
from typing import Any

from painpath.commands._input import whole_number

MAX_DAYS = 3650  # ten years; 0 (never expires) is the choice for longer
NAME_LENGTH = 100  # ApiToken.name


def register(sub: Any) -> None:
    p = sub.add_parser(
        "api-token",
        help="issue an API token for a user (printed once; only its hash is stored)",
        description="Issue a bearer token for /api/v1. The token acts with the user's role.",
    )
    p.add_argument("username")
    p.add_argument(
        "--name", default="cli", help=f"a label to tell tokens apart (1-{NAME_LENGTH} characters)"
    )
    p.add_argument(
        "--days",
        type=whole_number(),
        default=90,
        help=f"days until it expires, 1 to {MAX_DAYS} (0: never; default 90)",
    )
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    from painpath.cli import CommandError

    if not 0 <= args.days <= MAX_DAYS:
        raise CommandError(
            f"--days must be 0 (never expires) or a whole number of days up to {MAX_DAYS}, "
            f"got {args.days}"
        )
    name = args.name.strip()
    if not 1 <= len(name) <= NAME_LENGTH or not name.isprintable():
        got = "a control character" if not name.isprintable() else f"{len(name)} characters"
        raise CommandError(
            f"--name must be 1 to {NAME_LENGTH} printable characters (no control characters), "
            f"got {got}"
        )
    from painpath.commands._db import prepare_database

    prepare_database()
    import datetime as dt

    from django.utils import timezone

    from painpath.apps.accounts.models import User
    from painpath.apps.accounts.tokens import issue_token

    user = User.objects.filter(username=args.username, is_active=True).first()
    if user is None:
        raise CommandError(f"no active user {args.username!r}")
    expires = timezone.now() + dt.timedelta(days=args.days) if args.days else None
    _, raw = issue_token(user, name=name, expires_at=expires)
    print(raw)
    return 0
