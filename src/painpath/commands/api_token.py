"""`painpath api-token USERNAME`: issue an API bearer token (printed once, stored hashed)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "api-token",
        help="issue an API token for a user (printed once; only its hash is stored)",
        description="Issue a bearer token for /api/v1. The token acts with the user's role.",
    )
    p.add_argument("username")
    p.add_argument("--name", default="cli", help="a label to tell tokens apart")
    p.add_argument("--days", type=int, default=90, help="days until it expires (0: never)")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    from painpath.cli import CommandError

    if args.days < 0:
        raise CommandError("--days must be 0 (never expires) or more")
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
    _, raw = issue_token(user, name=args.name, expires_at=expires)
    print(raw)
    return 0
