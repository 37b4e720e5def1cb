"""API tokens: issue, look up by hash, revoke. The raw token is shown once and never stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import connection
from django.utils import timezone

from painpath.apps.accounts.models import ApiToken, User

TOKEN_PREFIX = "pp_"
#: Update ``last_used_at`` at most this often, so reads do not each cost a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(
    user: User, *, name: str = "api", expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; return the row and the raw token (show it once)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:10], digest=digest(raw), expires_at=expires_at
    )
    return token, raw


_LOOKUP_SQL: dict[str, str] = {}


def _lookup_sql() -> str:
    """One indexed join, written as SQL because it runs on every API request (no ORM compile)."""
    vendor = connection.vendor
    if vendor not in _LOOKUP_SQL:
        q = connection.ops.quote_name
        user_table, token_table = q(User._meta.db_table), q(ApiToken._meta.db_table)
        _LOOKUP_SQL[vendor] = (
            f"SELECT u.*, t.{q('id')} AS token_id, t.{q('last_used_at')} AS token_last_used "
            f"FROM {token_table} t JOIN {user_table} u ON u.{q('id')} = t.{q('user_id')} "
            f"WHERE t.{q('digest')} = %s AND t.{q('revoked_at')} IS NULL "
            f"AND (t.{q('expires_at')} IS NULL OR t.{q('expires_at')} > %s) "
            f"AND u.{q('is_active')} = %s"
        )
    return _LOOKUP_SQL[vendor]


def user_for_token(raw: str) -> Any:
    """The active user owning an unexpired, unrevoked token, or None."""
    if not raw or len(raw) > 200:
        return None
    now = timezone.now()
    found = list(User.objects.raw(_lookup_sql(), [digest(raw), now, True]))
    if not found:
        return None
    user = found[0]
    last_used = user.token_last_used
    if isinstance(last_used, str):  # SQLite returns raw text for extra columns
        last_used = dt.datetime.fromisoformat(last_used)
    if last_used is not None and timezone.is_naive(last_used):
        last_used = timezone.make_aware(last_used, dt.UTC)
    if last_used is None or now - last_used > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=user.token_id).update(last_used_at=now)
    return user


def revoke_token(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
