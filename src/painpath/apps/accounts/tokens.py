"""API tokens: issue, look up by hash, revoke. The raw token is shown once and never stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import connection
from django.utils import timezone

from painpath.apps.accounts.models import ApiToken, User
from painpath.db import rows

TOKEN_PREFIX = "pp_"
#: Update ``last_used_at`` at most this often, so reads do not each cost a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)
_LAST_USED = ApiToken._meta.get_field("last_used_at")


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
            f"SELECT {rows.select_columns(User, 'u')}, t.{q('id')}, t.{q('last_used_at')} "
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
    params = [digest(raw), connection.ops.adapt_datetimefield_value(now), True]
    with rows.cursor() as cursor:
        cursor.execute(_lookup_sql(), params)
        row = cursor.fetchone()
    if row is None:
        return None
    user = rows.from_row(User, row)  # the same User instance (and converters) as the ORM's
    token_id, last_used = row[-2], rows.convert(_LAST_USED, row[-1])
    if last_used is None or now - last_used > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return user


def revoke_token(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
