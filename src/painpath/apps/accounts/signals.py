"""Audit every log-in, failed log-in and log-out, and feed the throttle with each attempt."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from painpath.apps.accounts import throttle
from painpath.apps.audit import services as audit
from painpath.apps.audit.models import AuditAction


@receiver(user_logged_in, dispatch_uid="painpath_audit_login")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    throttle.note_attempt(user.get_username(), audit.client_ip(request), succeeded=True)
    audit.record(
        actor=user, action=AuditAction.LOGIN, object_type="user", object_id=user.pk, request=request
    )


@receiver(user_login_failed, dispatch_uid="painpath_audit_login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))
    ip = audit.client_ip(request)
    if throttle.is_locked_out(username, ip):
        return  # the backend already recorded and audited the locked-out attempt
    throttle.note_attempt(username, ip, succeeded=False)
    audit.record(
        actor=throttle._key(username) or "anonymous",
        action=AuditAction.LOGIN_FAILED,
        object_type="user",
        request=request,
        detail={"reason": "bad_credentials"},
    )


@receiver(user_logged_out, dispatch_uid="painpath_audit_logout")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(
            actor=user,
            action=AuditAction.LOGOUT,
            object_type="user",
            object_id=user.pk,
            request=request,
        )
