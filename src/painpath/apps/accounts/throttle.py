"""Log-in throttling: after too many failed attempts for one username from one IP address within
a window, further attempts are refused (even with the right password) until the window passes.

Why username+IP: it stops password guessing against an account without letting anyone lock a
clinician out from everywhere by typing their username wrongly (OWASP Authentication Cheat
Sheet, "Login throttling"). Attempts are stored in the database (``LoginAttempt``) so the limit
holds across server worker processes. Every lock-out is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from painpath.apps.accounts.models import LoginAttempt
from painpath.apps.audit import services as audit
from painpath.apps.audit.models import AuditAction

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)


def _key(username: str) -> str:
    return (username or "").strip().lower()[:150]


def is_locked_out(username: str, ip: str | None, *, now: dt.datetime | None = None) -> bool:
    """True when ``MAX_FAILURES`` failures for this username+IP fell inside ``WINDOW`` since the
    last success."""
    now = now or timezone.now()
    recent = LoginAttempt.objects.filter(
        username=_key(username), ip_address=ip, at__gte=now - WINDOW
    ).order_by("-at", "-id")[:MAX_FAILURES]
    outcomes = [a.succeeded for a in recent]
    return len(outcomes) >= MAX_FAILURES and not any(outcomes)


def note_attempt(username: str, ip: str | None, *, succeeded: bool) -> None:
    LoginAttempt.objects.create(username=_key(username), ip_address=ip, succeeded=succeeded)


class ThrottledModelBackend(ModelBackend):
    """Django's model backend with the lock-out in front of the password check.

    A locked-out attempt raises PermissionDenied, which ``django.contrib.auth.authenticate``
    treats as "stop, do not try other backends" and reports as a failed log-in.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get("username", "")
        ip = audit.client_ip(request)
        if is_locked_out(username or "", ip):
            note_attempt(username or "", ip, succeeded=False)
            audit.record(
                actor=_key(username or "") or "anonymous",
                action=AuditAction.LOGIN_FAILED,
                object_type="user",
                request=request,
                detail={"reason": "locked_out"},
            )
            raise PermissionDenied("too many failed log-in attempts; try again later")
        return super().authenticate(request, username=username, password=password, **kwargs)
